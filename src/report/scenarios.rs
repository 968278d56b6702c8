//! The review page's failover scenarios: for each default scenario of `hagen simulate` (each
//! server down, each server back, each manual move of a group, a disk failure at each group's
//! start), a small drawing of the groups on the servers before and after, and its findings.
//!
//! The scenarios are the ones [`crate::simulate::simulate`] plays, from the same plan: this
//! module only draws them. Each drawing shows the groups the scenario moves (at most
//! [`SHOWN`] per server, then a count) and, per server, how many other groups stay; so a
//! drawing's size follows the servers and the groups that move, not the number of groups,
//! and the counts come from the scenario's changes rather than from a walk over every group.
//! The drawing is built by hand, like the start-order graph, and rendered by
//! `templates/report-scenarios.html.hbs` with the page's escaper. Its texts are in the
//! cluster's language, as the rest of the page: the template's through its `{{msg.*}}` (a
//! partial of each language's registry), the drawings', headings' and findings' from the
//! message catalogues here.

use serde::Serialize;

use crate::plan::Plan;
use crate::resolved::Cluster;
use crate::simulate::{self, Kind, Options, Scenario, Simulation};
use crate::tr;

/// The template of the section (a partial of the page).
pub(super) const TEMPLATE: &str = include_str!("../../templates/report-scenarios.html.hbs");

/// The most groups a drawing names in one server's cell; the rest are counted.
pub(super) const SHOWN: usize = 8;

// The drawing's measures, in pixels: whole numbers, written as such.
const LABEL_W: i64 = 64;
const COL_W: i64 = 168;
const HEAD_H: i64 = 24;
const LINE_H: i64 = 22;
const PAD: i64 = 6;
const ROW_GAP: i64 = 28;

#[derive(Serialize)]
pub(super) struct Scenarios {
    note: String,
    /// The servers' headers, the same in every drawing: name and left edge.
    heads: Vec<Head>,
    /// The left edge of the `(stopped)` column's header, drawn when a drawing has it.
    stopped_x: i64,
    items: Vec<Item>,
}

#[derive(Serialize)]
struct Head {
    name: String,
    x: i64,
}

#[derive(Serialize)]
struct Item {
    id: String,
    /// The scenario's name, as `hagen simulate` names it (`down sv1`).
    name: String,
    /// Its heading, in the cluster's language.
    title: String,
    /// `down`, `back`, `move` or `disk`.
    kind: &'static str,
    /// "2 groups moved, 1 finding".
    summary: String,
    picture: Picture,
    findings: Vec<FindingView>,
}

#[derive(Serialize)]
struct FindingView {
    code: &'static str,
    message: String,
    source: String,
}

/// One drawing: the servers' headers (from [`Scenarios::heads`]), a "before" and an "after"
/// row of cells, and an arrow for each group named in both rows. Cells and boxes are placed by
/// a translation, so that what is inside them has fixed coordinates.
#[derive(Serialize)]
struct Picture {
    title_id: String,
    title: String,
    width: i64,
    height: i64,
    /// Whether the drawing has the `(stopped)` column.
    stopped: bool,
    rows: Vec<Row>,
    arrows: Vec<Arrow>,
}

#[derive(Serialize)]
struct Row {
    /// `before` or `after`.
    label: &'static str,
    /// The label, in the cluster's language.
    text: String,
    label_y: i64,
    cells: Vec<CellView>,
}

#[derive(Serialize)]
struct CellView {
    /// The server's name, or `(stopped)`.
    server: String,
    /// `up`, `down` or `stopped`.
    class: &'static str,
    fill: &'static str,
    x: i64,
    y: i64,
    h: i64,
    groups: Vec<GroupBox>,
    /// "+3 more moved", "12 other groups", "(down)": what the cell does not name, one line
    /// each from `notes_y` down.
    notes: Vec<String>,
    notes_y: i64,
}

#[derive(Serialize)]
struct GroupBox {
    name: String,
    /// Its disk fails: it does not start (else the scenario moves it).
    failed: bool,
    /// Its top, in the cell.
    y: i64,
}

#[derive(Serialize)]
struct Arrow {
    group: String,
    path: String,
}

/// The section of a file that checked clean (`plan`); `None` without a plan.
pub(super) fn section(cluster: &Cluster, plan: Option<&Plan>) -> Option<Scenarios> {
    let plan = plan?;
    let options = Options {
        down: Vec::new(),
        depth: 1,
    };
    let sim = simulate::simulate(plan, cluster, &options).ok()?;
    Some(from_simulation(&sim))
}

/// The left edge of a column.
fn col_x(col: usize) -> i64 {
    LABEL_W + col as i64 * COL_W
}

fn from_simulation(sim: &Simulation) -> Scenarios {
    let l = sim.language;
    // How many groups each server runs in normal operation (once; each scenario adjusts it by
    // its changes).
    let mut home_count = vec![0usize; sim.servers.len()];
    for g in 0..sim.groups.len() {
        if let Some(h) = sim.home(g) {
            home_count[h] += 1;
        }
    }
    let items = sim
        .scenarios
        .iter()
        .filter(|s| s.kind != Kind::Start)
        .enumerate()
        .map(|(i, s)| item(sim, &home_count, i + 1, s))
        .collect();
    let n = sim.servers.len();
    Scenarios {
        heads: sim
            .servers
            .iter()
            .enumerate()
            .map(|(col, name)| Head {
                name: name.clone(),
                x: col_x(col) + 2,
            })
            .collect(),
        stopped_x: col_x(n) + 2,
        note: tr!(
            l,
            "report.scenarios.note",
            cluster = sim.cluster,
            platform = sim.platform,
            shown = SHOWN
        ),
        items,
    }
}

/// A scenario's heading: in English its name (`down sv1`), in Japanese its kind in the
/// guides' words (サーバダウン, グループ移動, ...).
fn title(sim: &Simulation, s: &Scenario) -> String {
    let l = sim.language;
    let server = |i: usize| sim.servers[i].as_str();
    let group = |i: usize| sim.groups[i].name.as_str();
    match &s.kind {
        Kind::Start => s.name.clone(),
        Kind::Down(list) => {
            let servers: Vec<&str> = list.iter().map(|&i| server(i)).collect();
            let servers = servers.join(crate::i18n::text(l, "report.scenarios.server_sep"));
            tr!(l, "report.scenarios.down", servers = servers)
        }
        Kind::Back(i) => tr!(l, "report.scenarios.back", server = server(*i)),
        Kind::Move { group: g, to } => tr!(l, "report.scenarios.move", group = group(*g), server = server(*to)),
        Kind::Disk(g) => tr!(l, "report.scenarios.disk", group = group(*g)),
    }
}

fn item(sim: &Simulation, home_count: &[usize], number: usize, s: &Scenario) -> Item {
    let l = sim.language;
    let (kind, failed) = match s.kind {
        Kind::Down(_) | Kind::Start => ("down", None),
        Kind::Back(_) => ("back", None),
        Kind::Move { .. } => ("move", None),
        Kind::Disk(g) => ("disk", Some(g)),
    };
    let (down_before, down_after): (Vec<usize>, Vec<usize>) = match &s.kind {
        Kind::Down(list) => (Vec::new(), list.clone()),
        Kind::Back(server) => (vec![*server], Vec::new()),
        _ => (Vec::new(), Vec::new()),
    };
    let shown: Vec<&simulate::Change> = s
        .changes
        .iter()
        .filter(|c| c.before != c.after || Some(c.group) == failed)
        .collect();
    let id = format!("scenario-{number}");
    let picture = picture(sim, home_count, s, &id, &shown, failed, [&down_before, &down_after]);
    let moved = s.moved().count();
    let mut summary = crate::i18n::count(l, moved, "report.scenarios.moved_one", "report.scenarios.moved");
    if !s.findings.is_empty() {
        summary.push_str(crate::i18n::text(l, "report.list_sep"));
        let n = s.findings.len();
        summary.push_str(&crate::i18n::count(
            l,
            n,
            "report.scenarios.finding",
            "report.scenarios.findings",
        ));
    }
    Item {
        name: s.name.clone(),
        title: title(sim, s),
        kind,
        summary,
        picture,
        findings: s
            .findings
            .iter()
            .map(|f| FindingView {
                code: f.code,
                message: f.message_in(l),
                source: f.source.clone(),
            })
            .collect(),
        id,
    }
}

/// The drawing of one scenario. Columns: the servers in the file's order, then `(stopped)`
/// when a group is stopped before or after. Rows: before, after.
fn picture(
    sim: &Simulation,
    home_count: &[usize],
    s: &Scenario,
    id: &str,
    shown: &[&simulate::Change],
    failed: Option<usize>,
    down: [&Vec<usize>; 2],
) -> Picture {
    let l = sim.language;
    let n = sim.servers.len();
    let stopped_col = shown.iter().any(|c| c.before.is_none() || c.after.is_none());
    let columns = n + usize::from(stopped_col);
    let column = |at: Option<usize>| at.unwrap_or(n);
    // Per row and column: the groups named, and how many groups run there in all.
    let mut named: [Vec<Vec<usize>>; 2] = [vec![Vec::new(); columns], vec![Vec::new(); columns]];
    for c in shown {
        for (row, at) in [c.before, c.after].into_iter().enumerate() {
            if at.is_some() || stopped_col {
                named[row][column(at)].push(c.group);
            }
        }
    }
    let mut total: [Vec<usize>; 2] = [home_count.to_vec(), home_count.to_vec()];
    for c in &s.changes {
        if let Some(h) = sim.home(c.group) {
            total[0][h] -= 1;
            total[1][h] -= 1;
        }
        if let Some(b) = c.before {
            total[0][b] += 1;
        }
        if let Some(a) = c.after {
            total[1][a] += 1;
        }
    }
    let lines = |row: usize, col: usize| -> usize {
        let names = named[row][col].len();
        let more = usize::from(names > SHOWN);
        let others = usize::from(col < n && total[row][col] > names);
        names.min(SHOWN) + more + others
    };
    let row_h: Vec<i64> = (0..2)
        .map(|row| {
            let most = (0..columns).map(|col| lines(row, col)).max().unwrap_or(0).max(1);
            PAD * 2 + most as i64 * LINE_H
        })
        .collect();
    let row_y = [HEAD_H + 4, HEAD_H + 4 + row_h[0] + ROW_GAP];
    let box_w = COL_W - 4 - 2 * PAD;
    // Where each named group's box is, per row: to draw the arrows.
    let mut at: [Vec<(usize, i64, i64)>; 2] = [Vec::new(), Vec::new()];
    let rows = (0..2)
        .map(|row| Row {
            label: if row == 0 { "before" } else { "after" },
            text: tr!(
                l,
                if row == 0 {
                    "report.scenarios.before"
                } else {
                    "report.scenarios.after"
                }
            ),
            label_y: row_y[row] + row_h[row] / 2 + 4,
            cells: (0..columns)
                .map(|col| {
                    let x = col_x(col) + 2;
                    let y = row_y[row];
                    let is_down = col < n && down[row].contains(&col);
                    let (class, fill) = match (col < n, is_down) {
                        (false, _) => ("stopped", "#f7f7f7"),
                        (true, true) => ("down", "#fbe3e7"),
                        (true, false) => ("up", "#f3f5f9"),
                    };
                    let names = &named[row][col];
                    let groups: Vec<GroupBox> = names
                        .iter()
                        .take(SHOWN)
                        .enumerate()
                        .map(|(k, &g)| {
                            let top = PAD + k as i64 * LINE_H;
                            at[row].push((g, x + PAD + box_w / 2, y + top));
                            GroupBox {
                                name: sim.groups[g].name.clone(),
                                failed: Some(g) == failed,
                                y: top,
                            }
                        })
                        .collect();
                    let mut notes = Vec::new();
                    if names.len() > SHOWN {
                        notes.push(tr!(l, "report.scenarios.more", n = names.len() - SHOWN));
                    }
                    if col < n && total[row][col] > names.len() {
                        let others = total[row][col] - names.len();
                        notes.push(crate::i18n::count(
                            l,
                            others,
                            "report.scenarios.other",
                            "report.scenarios.others",
                        ));
                    }
                    if is_down {
                        notes.push(tr!(l, "report.scenarios.server_down"));
                    }
                    CellView {
                        server: if col < n {
                            sim.servers[col].clone()
                        } else {
                            "(stopped)".to_string()
                        },
                        class,
                        fill,
                        x,
                        y,
                        h: row_h[row],
                        notes_y: PAD + groups.len() as i64 * LINE_H + 13,
                        groups,
                        notes,
                    }
                })
                .collect(),
        })
        .collect();
    // An arrow from each group named in both rows, before to after.
    let arrows = at[0]
        .iter()
        .filter_map(|&(g, x0, y0)| {
            let &(_, x1, y1) = at[1].iter().find(|(h, _, _)| *h == g)?;
            if x0 == x1 {
                return None;
            }
            Some(Arrow {
                group: sim.groups[g].name.clone(),
                path: format!("M {} {} L {} {}", x0, y0 + LINE_H - 4, x1, y1),
            })
        })
        .collect();
    let height = row_y[1] + row_h[1] + 4;
    Picture {
        title_id: format!("{id}-title"),
        title: tr!(l, "report.scenarios.picture", name = title(sim, s)),
        width: LABEL_W + columns as i64 * COL_W + 4,
        height,
        stopped: stopped_col,
        rows,
        arrows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::source::SourceFile;

    fn simulation(name: &str, text: &str) -> Simulation {
        let file = SourceFile::new(name, text);
        let options = Options {
            down: Vec::new(),
            depth: 2,
        };
        crate::pipeline::simulate(&file, Catalog::builtin(), &options)
            .1
            .expect("a cluster")
            .expect("a simulation")
    }

    /// In English a scenario's heading is its name as `hagen simulate` names it; in Japanese
    /// it says the kind of scenario in the guides' words.
    #[test]
    fn headings_are_the_names_in_english_and_the_guides_words_in_japanese() {
        for (name, text) in [
            ("iis-two-way.yaml", include_str!("../../examples/iis-two-way.yaml")),
            (
                "in-house-services.yaml",
                include_str!("../../examples/in-house-services.yaml"),
            ),
        ] {
            let en = simulation(name, &text.replace("language: ja", "language: en"));
            assert!(
                en.scenarios
                    .iter()
                    .any(|s| matches!(&s.kind, Kind::Down(l) if l.len() == 2))
            );
            for s in &en.scenarios {
                assert_eq!(title(&en, s), s.name, "{name}");
            }
            let ja = simulation(name, &text.replace("language: en", "language: ja"));
            for s in ja.scenarios.iter().filter(|s| s.kind != Kind::Start) {
                let heading = title(&ja, s);
                let (letters, _) = crate::i18n::letters(&heading);
                assert!(letters > 0, "{name}: {heading}");
            }
        }
    }
}
