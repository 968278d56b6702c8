//! The acceptance test plan (`--format markdown|html`), in the cluster's language: for each
//! scenario the precondition, the actions on the real cluster, the expected state (where each
//! group runs, its services, its floating IP) with the scripts the cluster runs, what to
//! verify with boxes to tick (one per finding too), and a place for the tester's name, the
//! date and the result.
//!
//! Commands: no source hagen holds documents a command that moves a group, stops a server or
//! starts the cluster, so the actions are the manager operations in the guides' words (PP guide
//! 1.1.7: move a group, stop it, start it from the CLUSTERPRO manager), and the plan says the
//! commands are unverified. `clpstat -s` is named by PP guide (SURFNAVI) (its notation table) and is the
//! status check offered on CLUSTERPRO X. Each of the two formats has its own handlebars registry
//! in strict mode with its own escaper (Markdown's punctuation escapes; HTML's).

use std::collections::HashMap;
use std::sync::OnceLock;

use handlebars::Handlebars;
use serde::Serialize;

use super::{Kind, Scenario, Script, Simulation, Step};
use crate::catalog::Generation;
use crate::model::Language;

const MARKDOWN: &str = include_str!("../../templates/simulate-plan.md.hbs");
const HTML: &str = include_str!("../../templates/simulate-plan.html.hbs");

#[derive(Serialize)]
struct Labels {
    precondition: &'static str,
    action: &'static str,
    expected: &'static str,
    group: &'static str,
    server: &'static str,
    services: &'static str,
    vip: &'static str,
    steps: &'static str,
    verify: &'static str,
    tester: &'static str,
    date: &'static str,
    result: &'static str,
    pass: &'static str,
    fail: &'static str,
}

const JA: Labels = Labels {
    precondition: "前提",
    action: "操作",
    expected: "期待される状態",
    group: "グループ",
    server: "サーバ",
    services: "起動しているサービス",
    vip: "フローティング IP",
    steps: "クラスタが実行するスクリプト (順に):",
    verify: "確認",
    tester: "試験者",
    date: "日付",
    result: "結果",
    pass: "合格",
    fail: "不合格",
};

const EN: Labels = Labels {
    precondition: "Precondition",
    action: "Action",
    expected: "Expected state",
    group: "Group",
    server: "Server",
    services: "Services running",
    vip: "Floating IP",
    steps: "Scripts the cluster runs, in order:",
    verify: "Verify",
    tester: "Tester",
    date: "Date",
    result: "Result",
    pass: "pass",
    fail: "fail",
};

#[derive(Serialize)]
struct Doc {
    lang: &'static str,
    title: String,
    intro: String,
    notes: Vec<String>,
    l: &'static Labels,
    scenarios: Vec<ScenarioDoc>,
}

#[derive(Serialize)]
struct ScenarioDoc {
    number: usize,
    name: String,
    precondition: String,
    actions: Vec<String>,
    expected: Vec<Row>,
    steps: Vec<String>,
    verify: Vec<String>,
    findings: Vec<String>,
}

#[derive(Serialize)]
struct Row {
    group: String,
    server: String,
    services: String,
    vip: String,
}

/// The words of one language.
struct Words {
    ja: bool,
    x: bool,
}

impl Words {
    fn t(&self, ja: String, en: String) -> String {
        if self.ja { ja } else { en }
    }

    fn status_check(&self) -> String {
        match (self.x, self.ja) {
            (true, true) => "`clpstat -s` (PP guide (SURFNAVI)、本書の表記法) または CLUSTERPRO マネージャで".into(),
            (true, false) => {
                "with `clpstat -s` (PP guide (SURFNAVI), notation table) or the CLUSTERPRO manager,".into()
            }
            (false, true) => "ARM マネージャ (CLUSTERPRO マネージャ) で".into(),
            (false, false) => "in the ARM manager (CLUSTERPRO manager),".into(),
        }
    }
}

fn doc(sim: &Simulation) -> Doc {
    let w = Words {
        ja: sim.language == Language::Ja,
        x: sim.generation == Generation::X,
    };
    let title = w.t(
        format!("受け入れ試験計画: {} ({})", sim.cluster, sim.platform),
        format!("Acceptance test plan: {} ({})", sim.cluster, sim.platform),
    );
    let intro = w.t(
        "hagen simulate がクラスタ構成ファイルから作成しました。各シナリオの期待される状態は、生成したスクリプトを Wine で実行して確かめたものと同じ手順で求めています。".into(),
        "Written by hagen simulate from the cluster file. The expected states follow the same steps the generated scripts were run with under Wine.".into(),
    );
    let notes = vec![
        w.t(
            "グループの移動・停止・開始、クラスタの起動は CLUSTERPRO マネージャの操作として書いています (PP ガイド 1.1.7 の言葉)。これらを行うコマンドは本書の出典に記載がないため未確認です。".into(),
            "Moving, stopping and starting groups and starting the cluster are written as CLUSTERPRO manager operations (the words of PP guide (Internet) 1.1.7); no source at hand names a command for them, so commands are unverified.".into(),
        ),
        w.t(
            "サーバダウンは障害 (例: 電源断) として扱います: ダウンしたサーバでは終了スクリプトは実行されません。障害の起こし方は出典がなく未確認です。".into(),
            "A server down is a failure (for example, power off): no stop script runs on it. How to cause the failure is not in any source (unverified).".into(),
        ),
        w.t(
            "フェイルバックは手動です (GroupParameters_Windows_jp.md 属性: failback 既定値 0 = 手動)。復帰したサーバへはグループを手で戻します。".into(),
            "Fail-back is manual (GroupParameters_Windows_jp.md, attributes: failback defaults to 0, manual); groups are moved back by hand.".into(),
        ),
    ];
    let scenarios = sim
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| scenario(sim, &w, i + 1, s))
        .collect();
    Doc {
        lang: if w.ja { "ja" } else { "en" },
        title,
        intro,
        notes,
        l: if w.ja { &JA } else { &EN },
        scenarios,
    }
}

fn scenario(sim: &Simulation, w: &Words, number: usize, s: &Scenario) -> ScenarioDoc {
    let server = |i: usize| sim.servers[i].as_str();
    let group = |i: usize| sim.groups[i].name.as_str();
    let normal = w.t(
        "通常運用: 全サーバが起動し、各グループがフェイルオーバポリシの最高プライオリティのサーバで稼働している".into(),
        "normal operation: every server up, each group on the first server of its failover policy".into(),
    );
    let (precondition, actions) = match &s.kind {
        Kind::Start => (
            w.t("全グループが停止している".into(), "every group stopped".into()),
            vec![w.t(
                "クラスタを起動する (グループは自動起動: GroupParameters_Windows_jp.md 属性 start 既定値 1)".into(),
                "start the cluster (groups start automatically: GroupParameters_Windows_jp.md, attribute start defaults to 1)".into(),
            )],
        ),
        Kind::Down(list) => (
            normal,
            list.iter()
                .map(|&d| w.t(format!("サーバ {} をダウンさせる", server(d)), format!("take server {} down", server(d))))
                .collect(),
        ),
        Kind::Back(b) => {
            let mut actions = vec![w.t(
                format!("サーバ {} を起動し、クラスタに復帰させる", server(*b)),
                format!("start server {} and let it rejoin the cluster", server(*b)),
            )];
            let mut last_group = None;
            for step in &s.steps {
                if step.event.value() == "RECOVER" {
                    continue;
                }
                let g = group(step.group);
                let on = server(step.server);
                let text = match (step.script, step.server == *b, last_group == Some(step.group)) {
                    (Script::Start, true, _) => w.t(
                        format!("CLUSTERPRO マネージャからグループ {g} を {on} に移動する (PP ガイド 1.1.7)"),
                        format!("move group {g} to {on} from the CLUSTERPRO manager (PP guide (Internet) 1.1.7)"),
                    ),
                    (Script::Stop, false, _) if s.steps.iter().any(|o| o.group == step.group && o.server == *b) => {
                        continue;
                    }
                    (Script::Stop, _, _) => w.t(
                        format!("CLUSTERPRO マネージャからグループ {g} を停止する (PP ガイド 1.1.7)"),
                        format!("stop group {g} from the CLUSTERPRO manager (PP guide (Internet) 1.1.7)"),
                    ),
                    (Script::Start, false, _) => w.t(
                        format!("CLUSTERPRO マネージャからグループ {g} を {on} で開始する (PP ガイド 1.1.7)"),
                        format!("start group {g} on {on} from the CLUSTERPRO manager (PP guide (Internet) 1.1.7)"),
                    ),
                };
                last_group = Some(step.group);
                actions.push(text);
            }
            (
                w.t(
                    format!("シナリオ「down {}」の後の状態", server(*b)),
                    format!("the state after scenario \"down {}\"", server(*b)),
                ),
                actions,
            )
        }
        Kind::Move { group: g, to } => (
            normal,
            vec![w.t(
                format!("CLUSTERPRO マネージャからグループ {} を {} に移動する", group(*g), server(*to)),
                format!("move group {} to {} from the CLUSTERPRO manager", group(*g), server(*to)),
            )],
        ),
        Kind::Disk(g) => (
            w.t(
                format!("通常運用、ただしグループ {} は停止している", group(*g)),
                format!("normal operation, except group {} stopped", group(*g)),
            ),
            vec![w.t(
                format!(
                    "グループ {} の切替ディスクを使えない状態にして、グループを開始する (ディスク障害の起こし方は出典がなく未確認)",
                    group(*g)
                ),
                format!(
                    "make group {}'s switching disk unavailable and start the group (how to cause the disk failure is unverified)",
                    group(*g)
                ),
            )],
        ),
    };
    // Every group whose placement the scenario changes, or every group at the cluster's start;
    // each with the services of its last start step.
    let mut expected = Vec::new();
    let mut verify = Vec::new();
    let status = w.status_check();
    let shown: Vec<(usize, Option<usize>)> = if s.kind == Kind::Start {
        (0..sim.groups.len()).map(|g| (g, sim.placement_of(s, g))).collect()
    } else {
        s.changes
            .iter()
            .filter(|c| c.before != c.after || matches!(s.kind, Kind::Disk(d) if d == c.group))
            .map(|c| (c.group, c.after))
            .collect()
    };
    let mut started: HashMap<usize, &Step> = HashMap::new();
    for st in &s.steps {
        if st.script == Script::Start && !st.services.is_empty() {
            started.insert(st.group, st);
        }
    }
    for (g, placement) in shown {
        let info = &sim.groups[g];
        let services = started.get(&g).map(|st| st.services.join(", ")).unwrap_or_default();
        match placement {
            Some(at) => {
                expected.push(Row {
                    group: info.name.clone(),
                    server: server(at).to_string(),
                    services: services.clone(),
                    vip: w.t(
                        format!("{} ({} で応答)", info.ip, server(at)),
                        format!("{} (answered by {})", info.ip, server(at)),
                    ),
                });
                verify.push(w.t(
                    format!(
                        "{status} グループ {} が {} で起動していることを確認する",
                        info.name,
                        server(at)
                    ),
                    format!("{status} group {} is online on {}", info.name, server(at)),
                ));
                if !services.is_empty() {
                    verify.push(w.t(
                        format!(
                            "{} でサービス {services} が実行中であることを確認する (サービス コンソール)",
                            server(at)
                        ),
                        format!("on {}, services {services} are running (Services console)", server(at)),
                    ));
                }
                verify.push(w.t(
                    format!(
                        "クライアントからフローティング IP {} に接続できることを確認する",
                        info.ip
                    ),
                    format!("a client reaches the floating IP {}", info.ip),
                ));
            }
            None => {
                expected.push(Row {
                    group: info.name.clone(),
                    server: w.t("停止".into(), "stopped".into()),
                    services: String::new(),
                    vip: w.t(format!("{} (応答なし)", info.ip), format!("{} (no answer)", info.ip)),
                });
                verify.push(w.t(
                    format!("{status} グループ {} が停止していることを確認する", info.name),
                    format!("{status} group {} is offline", info.name),
                ));
            }
        }
    }
    let steps = s
        .steps
        .iter()
        .map(|st| {
            let env: Vec<String> = st.env(sim.generation).iter().map(|(k, v)| format!("{k}={v}")).collect();
            let what = if st.services.is_empty() || st.exit != 0 {
                w.t(
                    format!("何も起動しない (終了コード {})", st.exit),
                    format!("starts nothing (exit {})", st.exit),
                )
            } else if st.script == Script::Start {
                w.t(
                    format!("{} を起動", st.services.join(", ")),
                    format!("starts {}", st.services.join(", ")),
                )
            } else {
                w.t(
                    format!("{} を停止", st.services.join(", ")),
                    format!("stops {}", st.services.join(", ")),
                )
            };
            format!(
                "{}: {} {}.bat ({}): {what}",
                server(st.server),
                group(st.group),
                st.script.name(),
                env.join(" ")
            )
        })
        .collect();
    let findings = s
        .findings
        .iter()
        .map(|f| {
            let message = f.message_in(sim.language);
            w.t(
                format!("要確認 [{}]: {message} (出典: {})", f.code, f.source),
                format!("check [{}]: {message} (source: {})", f.code, f.source),
            )
        })
        .collect();
    ScenarioDoc {
        number,
        name: s.name.clone(),
        precondition,
        actions,
        expected,
        steps,
        verify,
        findings,
    }
}

/// Backslash-escapes the characters that start Markdown syntax; line breaks become spaces.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn registry(html: bool) -> &'static Handlebars<'static> {
    static MD: OnceLock<Handlebars<'static>> = OnceLock::new();
    static HT: OnceLock<Handlebars<'static>> = OnceLock::new();
    let (cell, template) = if html { (&HT, HTML) } else { (&MD, MARKDOWN) };
    cell.get_or_init(|| {
        let mut hb = crate::emit::strict_registry();
        if !html {
            hb.register_escape_fn(escape_markdown);
        }
        hb.register_template_string("plan", template)
            .expect("the acceptance plan template parses");
        hb
    })
}

fn render(sim: &Simulation, html: bool) -> String {
    registry(html)
        .render("plan", &doc(sim))
        .unwrap_or_else(|e| panic!("acceptance plan template: {e}"))
}

/// The acceptance test plan as Markdown.
pub fn to_markdown(sim: &Simulation) -> String {
    render(sim, false)
}

/// The acceptance test plan as one self-contained HTML page (no script, no external asset).
pub fn to_html(sim: &Simulation) -> String {
    render(sim, true)
}
