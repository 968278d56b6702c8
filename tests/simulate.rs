//! `hagen simulate`: the scenarios of the examples, their JSON form, and bad input.
//!
//! The two-way IIS example (PP guide 1.1, figures 5-7) and the four-server dbMail example (1.2,
//! figures 1-2) are the acceptance cases: where each group lands when servers go down, the
//! two-way partner's pause and fail-back steps (1.1.6 (4), 1.1.7), and the event variables of
//! each script run. `tests/simulate_wine.rs` runs the scripts with those variables.

mod common;

use std::path::Path;

use common::Test;
use hagen::catalog::Catalog;
use hagen::simulate::{Options, Simulation};
use hagen::source::SourceFile;
use serde_json::Value;

fn example_text(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn simulate(name: &str, options: &Options) -> Simulation {
    let file = SourceFile::new(name, example_text(name));
    let (diags, sim) = hagen::pipeline::simulate(&file, Catalog::builtin(), options);
    assert!(
        diags.iter().all(|d| d.severity != hagen::diag::Severity::Error),
        "{diags:?}"
    );
    sim.expect("a clean file is simulated").expect("no --down error")
}

fn depth(n: usize) -> Options {
    Options {
        down: Vec::new(),
        depth: n,
    }
}

/// Scenario name -> (group -> server or "-").
fn placements(sim: &Simulation) -> Vec<(String, Vec<(String, String)>)> {
    sim.scenarios
        .iter()
        .map(|s| {
            let at = sim
                .groups
                .iter()
                .zip(sim.placement(s))
                .map(|(g, p)| (g.name.clone(), p.map_or("-".to_string(), |p| sim.servers[p].clone())))
                .collect();
            (s.name.clone(), at)
        })
        .collect()
}

fn scenario<'a>(sim: &'a Simulation, name: &str) -> &'a hagen::simulate::Scenario {
    sim.scenarios
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no scenario `{name}`"))
}

fn codes(s: &hagen::simulate::Scenario) -> Vec<&str> {
    s.findings.iter().map(|f| f.code).collect()
}

#[test]
fn two_way_iis_covers_each_server_down_each_move_and_each_return() {
    let sim = simulate("iis-two-way.yaml", &depth(1));
    let names: Vec<&str> = sim.scenarios.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "start",
            "down sv1",
            "down sv2",
            "back sv1",
            "back sv2",
            "move site-a to sv2",
            "move site-b to sv1",
            "disk site-a",
            "disk site-b"
        ]
    );
    let at = placements(&sim);
    let pair = |a: &str, b: &str| {
        vec![
            ("site-a".to_string(), a.to_string()),
            ("site-b".to_string(), b.to_string()),
        ]
    };
    assert_eq!(at[1].1, pair("sv2", "sv2"), "sv1 down: both groups on sv2");
    assert_eq!(at[2].1, pair("sv1", "sv1"), "sv2 down: both groups on sv1");
    assert_eq!(at[3].1, pair("sv1", "sv2"), "sv1 back: site-a moved home");
    assert_eq!(at[4].1, pair("sv1", "sv2"));
    assert_eq!(at[5].1, pair("sv2", "sv2"));
    assert_eq!(at[6].1, pair("sv1", "sv1"));
    assert_eq!(at[7].1, pair("-", "sv2"), "a failed disk starts nothing");

    // sv1 down: site-a fails over to sv2 (FAILOVER, OTHER); its start.bat stops IIS first, so
    // site-b pauses, and returning needs the guide's manual steps.
    let down = scenario(&sim, "down sv1");
    assert_eq!(down.steps.len(), 1);
    let step = &down.steps[0];
    assert_eq!(sim.servers[step.server], "sv2");
    assert_eq!(
        step.env(sim.generation).map(|(k, v)| format!("{k}={v}")),
        ["CLP_EVENT=FAILOVER", "CLP_SERVER=OTHER", "CLP_DISK=SUCCESS"]
    );
    assert_eq!(
        step.actions,
        [
            "ARMKILL FTPService",
            "ARMKILL WWWService",
            "ARMLOAD WWWService",
            "ARMLOAD FTPService"
        ]
    );
    assert_eq!(step.services, ["W3SVC", "MSFTPSVC"]);
    assert_eq!(codes(down), ["partner-site-pause", "manual-fail-back"]);
    assert!(
        down.findings[1]
            .message
            .contains("stop group `site-b` and start it again on `sv2`")
    );
    assert_eq!(down.findings[1].source, "PP guide (Internet) 1.1.7");

    // sv1 back: RECOVER starts nothing; then the guide's fail-back: site-a back to sv1, site-b
    // stopped and started again on sv2.
    let back = scenario(&sim, "back sv1");
    let steps: Vec<String> = back
        .steps
        .iter()
        .map(|s| {
            format!(
                "{} {} {} {}",
                sim.servers[s.server],
                s.script.name(),
                sim.groups[s.group].name,
                s.event.value()
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            "sv1 start site-a RECOVER",
            "sv2 stop site-a START",
            "sv1 start site-a START",
            "sv2 stop site-b START",
            "sv2 start site-b START"
        ]
    );
    assert!(back.steps[0].services.is_empty() && back.steps[0].actions.is_empty());
    assert_eq!(codes(back), ["manual-fail-back"]);

    let disk = scenario(&sim, "disk site-a");
    assert_eq!(disk.steps[0].exit, 1);
    assert!(disk.steps[0].actions.is_empty());
}

#[test]
fn dbmail_lands_on_the_next_server_of_its_policy_for_each_server_and_pair() {
    let sim = simulate("dbmail-legacy.yaml", &depth(2));
    let at: Vec<(String, String)> = placements(&sim)
        .into_iter()
        .filter(|(name, _)| name.starts_with("down "))
        .map(|(name, at)| (name, at[0].1.clone()))
        .collect();
    let expected = [
        ("down db1", "db2"),
        ("down db2", "db1"),
        ("down db3", "db1"),
        ("down db4", "db1"),
        ("down db1,db2", "db3"),
        ("down db1,db3", "db2"),
        ("down db1,db4", "db2"),
        ("down db2,db3", "db1"),
        ("down db2,db4", "db1"),
        ("down db3,db4", "db1"),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    assert_eq!(at, expected);
    // The ARM generation's variables; IIS before dbMail (the resolved start order).
    let step = &scenario(&sim, "down db1").steps[0];
    assert_eq!(
        step.env(sim.generation).map(|(k, v)| format!("{k}={v}")),
        ["ARMS_EVENT=FAILOVER", "ARMS_SERVER=OTHER", "ARMS_DISK=SUCCESS"]
    );
    assert_eq!(step.services, ["W3SVC", "MSFTPSVC", "dbmail Service"]);
    assert!(sim.scenarios.iter().all(|s| s.findings.is_empty()));
}

#[test]
fn a_group_with_every_server_down_is_stopped() {
    let options = Options {
        down: vec![vec!["db4".into(), "db1".into(), "db2".into(), "db3".into()]],
        depth: 1,
    };
    let sim = simulate("dbmail-legacy.yaml", &options);
    assert_eq!(sim.scenarios.len(), 1);
    let s = &sim.scenarios[0];
    assert_eq!(s.name, "down db4,db1,db2,db3");
    assert_eq!(sim.placement(s), [None]);
    // db1 down: to db2; db2 down: to db3; db3 down: none left.
    let landed: Vec<&str> = s.steps.iter().map(|st| sim.servers[st.server].as_str()).collect();
    assert_eq!(landed, ["db2", "db3"]);
    assert_eq!(codes(s), ["group-stopped"]);
}

#[test]
fn json_has_the_shape_of_spec_section_8() {
    let out = Test::new()
        .write("c.yaml", example_text("iis-two-way.yaml"))
        .args(["simulate", "c.yaml", "--format", "json", "--down", "sv1"])
        .run();
    let json: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let scenarios = json["scenarios"].as_array().expect("scenarios");
    assert_eq!(scenarios.len(), 1);
    let s = &scenarios[0];
    assert_eq!(s["name"], "down sv1");
    assert_eq!(s["down"], serde_json::json!(["sv1"]));
    assert_eq!(s["placement"], serde_json::json!({"site-a": "sv2", "site-b": "sv2"}));
    let step = &s["steps"][0];
    assert_eq!(step["server"], "sv2");
    assert_eq!(step["group"], "site-a");
    assert_eq!(step["script"], "start");
    assert_eq!(
        step["env"],
        serde_json::json!({"CLP_EVENT": "FAILOVER", "CLP_SERVER": "OTHER", "CLP_DISK": "SUCCESS"})
    );
    assert_eq!(step["services"], serde_json::json!(["W3SVC", "MSFTPSVC"]));
    assert_eq!(step["actions"][0], "ARMKILL FTPService");
    assert_eq!(s["findings"][0]["code"], "partner-site-pause");
    assert!(s["findings"][0]["message"].is_string());
}

#[test]
fn a_group_with_no_server_is_null_in_json() {
    let out = Test::new()
        .write("c.yaml", example_text("iis-two-way.yaml"))
        .args(["simulate", "c.yaml", "--format", "json", "--down", "sv1,sv2"])
        .run();
    let json: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(
        json["scenarios"][0]["placement"],
        serde_json::json!({"site-a": null, "site-b": null})
    );
}

#[test]
fn an_unknown_server_gets_did_you_mean_and_exit_2() {
    Test::new()
        .write("c.yaml", example_text("iis-two-way.yaml"))
        .args(["simulate", "c.yaml", "--down", "sv3x"])
        .status(2)
        .stderr_contains("no server `sv3x`")
        .run();
    Test::new()
        .write("c.yaml", example_text("dbmail-legacy.yaml"))
        .args(["simulate", "c.yaml", "--down", "db1,dbb2"])
        .status(2)
        .stderr_contains("did you mean `db2`?")
        .run();
}

#[test]
fn a_file_with_errors_is_refused_as_build_refuses_it() {
    let broken = example_text("iis-two-way.yaml").replace("failover: [sv1, sv2]", "failover: [sv1, sv9]");
    let out = Test::new()
        .write("c.yaml", &broken)
        .args(["simulate", "c.yaml"])
        .status(1)
        .stderr_contains("unknown-reference")
        .run();
    assert_eq!(out.stdout, "");
}

#[test]
fn findings_fail_only_with_deny_warnings() {
    Test::new()
        .write("c.yaml", example_text("iis-two-way.yaml"))
        .args(["simulate", "c.yaml", "--down", "sv1"])
        .stdout_contains("partner-site-pause")
        .run();
    Test::new()
        .write("c.yaml", example_text("iis-two-way.yaml"))
        .args(["simulate", "c.yaml", "--down", "sv1", "--deny", "warnings"])
        .status(1)
        .run();
}

#[test]
fn every_example_simulates_the_same_twice() {
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let a = hagen::simulate::to_json(&simulate(&name, &depth(2)));
        let b = hagen::simulate::to_json(&simulate(&name, &depth(2)));
        assert_eq!(a, b, "{name}");
    }
}

#[test]
fn the_acceptance_plan_is_in_the_clusters_language_with_boxes_and_a_tester() {
    let sim = simulate("iis-two-way.yaml", &depth(1));
    let md = hagen::simulate::to_markdown(&sim);
    assert!(md.starts_with("# 受け入れ試験計画: web-mutual"), "{md}");
    for text in [
        "## 2. down sv1",
        "1. サーバ sv1 をダウンさせる",
        "| site-a | sv2 | W3SVC, MSFTPSVC | 192.168.20.101 (sv2 で応答) |",
        "- [ ] 要確認 \\[manual-fail-back\\]",
        "CLUSTERPRO マネージャからグループ site-a を sv1 に移動する (PP ガイド 1.1.7)",
        "CLUSTERPRO マネージャからグループ site-b を停止する (PP ガイド 1.1.7)",
        "CLUSTERPRO マネージャからグループ site-b を sv2 で開始する (PP ガイド 1.1.7)",
        "`clpstat -s` (PP guide (SURFNAVI)、本書の表記法)",
        "試験者: ________",
    ] {
        assert!(md.contains(text), "no {text:?} in\n{md}");
    }
    let html = hagen::simulate::to_html(&sim);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"ja\">"));
    assert!(!html.contains("<script") && html.contains("☐"));
    // The ARM generation checks status in the manager, in English for an `en` file.
    let en = example_text("dbmail-legacy.yaml").replace("language: ja", "language: en");
    let file = SourceFile::new("d.yaml", en);
    let (_, sim) = hagen::pipeline::simulate(&file, Catalog::builtin(), &depth(1));
    let md = hagen::simulate::to_markdown(&sim.unwrap().unwrap());
    assert!(md.starts_with("# Acceptance test plan: dbmail-cluster"), "{md}");
    assert!(md.contains("in the ARM manager (CLUSTERPRO manager), group dbmail is online on db2"));
    assert!(!md.contains("clpstat"));
}
