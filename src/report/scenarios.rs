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
//! `templates/report-scenarios.html.hbs` with the page's escaper.

use serde::Serialize;

use crate::plan::Plan;
use crate::resolved::Cluster;
use crate::simulate::{self, Kind, Options, Scenario, Simulation};

/// The template of the section (a partial of the page).
pub(super) const TEMPLATE: &str = include_str!("../../templates/report-scenarios.html.hbs");

/// The most groups a drawing names in one server's cell; the rest are counted.
pub(super) const SHOWN: usize = 8;

const LABEL_W: f64 = 64.0;
const COL_W: f64 = 168.0;
const HEAD_H: f64 = 24.0;
const LINE_H: f64 = 22.0;
const PAD: f64 = 6.0;
const ROW_GAP: f64 = 28.0;

#[derive(Serialize)]
pub(super) struct Scenarios {
    note: String,
    items: Vec<Item>,
}

#[derive(Serialize)]
struct Item {
    id: String,
    name: String,
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

/// One drawing: a header per server, a "before" and an "after" row of cells.
#[derive(Serialize)]
struct Picture {
    title_id: String,
    title: String,
    width: String,
    height: String,
    heads: Vec<Head>,
    rows: Vec<Row>,
    arrows: Vec<Arrow>,
}

#[derive(Serialize)]
struct Head {
    x: String,
    y: String,
    w: String,
    text_x: String,
    text_y: String,
    name: String,
}

#[derive(Serialize)]
struct Row {
    /// `before` or `after`.
    label: &'static str,
    label_y: String,
    cells: Vec<CellView>,
}

#[derive(Serialize)]
struct CellView {
    /// The server's name, or `(stopped)`.
    server: String,
    /// `up`, `down` or `stopped`.
    class: &'static str,
    x: String,
    y: String,
    w: String,
    h: String,
    fill: &'static str,
    groups: Vec<GroupBox>,
    /// "+3 more moved", "12 others": what the cell does not name.
    notes: Vec<NoteLine>,
}

#[derive(Serialize)]
struct GroupBox {
    name: String,
    /// `moved` (the scenario moves it) or `failed` (its disk fails: it does not start).
    class: &'static str,
    x: String,
    y: String,
    w: String,
    h: String,
    text_x: String,
    text_y: String,
    stroke: &'static str,
}

#[derive(Serialize)]
struct NoteLine {
    x: String,
    y: String,
    text: String,
}

#[derive(Serialize)]
struct Arrow {
    group: String,
    path: String,
}

/// A number as the drawing writes it: one decimal.
fn num(v: f64) -> String {
    format!("{v:.1}")
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

fn from_simulation(sim: &Simulation) -> Scenarios {
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
    Scenarios {
        note: format!(
            "The default scenarios of hagen simulate on this cluster ({} on {}): each server down, each server back (then its groups moved back by hand), each manual move of a group to another server of its policy, and a disk failure at each group's start. Each drawing shows where the groups run before and after: the groups the scenario moves are named (blue; red: its disk fails and it does not start), at most {SHOWN} per server, and the other groups are counted. Run hagen simulate for every step and --depth 2 for pairs of servers.",
            sim.cluster, sim.platform
        ),
        items,
    }
}

fn item(sim: &Simulation, home_count: &[usize], number: usize, s: &Scenario) -> Item {
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
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let mut summary = format!("{} moved", count(s.moved().count(), "group"));
    if !s.findings.is_empty() {
        summary.push_str(&format!(", {}", count(s.findings.len(), "finding")));
    }
    Item {
        name: s.name.clone(),
        kind,
        summary,
        picture,
        findings: s
            .findings
            .iter()
            .map(|f| FindingView {
                code: f.code,
                message: f.message.clone(),
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
    let row_h: Vec<f64> = (0..2)
        .map(|row| {
            let most = (0..columns).map(|col| lines(row, col)).max().unwrap_or(0).max(1);
            PAD * 2.0 + most as f64 * LINE_H
        })
        .collect();
    let row_y = [HEAD_H + 4.0, HEAD_H + 4.0 + row_h[0] + ROW_GAP];
    let col_x = |col: usize| LABEL_W + col as f64 * COL_W;
    let heads = (0..columns)
        .map(|col| Head {
            x: num(col_x(col) + 2.0),
            y: num(0.0),
            w: num(COL_W - 4.0),
            text_x: num(col_x(col) + COL_W / 2.0),
            text_y: num(16.0),
            name: if col < n {
                sim.servers[col].clone()
            } else {
                "(stopped)".to_string()
            },
        })
        .collect();
    let box_w = COL_W - 4.0 - 2.0 * PAD;
    // Where each named group's box is, per row: to draw the arrows.
    let mut at: [Vec<(usize, f64, f64)>; 2] = [Vec::new(), Vec::new()];
    let rows = (0..2)
        .map(|row| Row {
            label: if row == 0 { "before" } else { "after" },
            label_y: num(row_y[row] + row_h[row] / 2.0 + 4.0),
            cells: (0..columns)
                .map(|col| {
                    let x = col_x(col) + 2.0;
                    let y = row_y[row];
                    let is_down = col < n && down[row].contains(&col);
                    let (class, fill) = match (col < n, is_down) {
                        (false, _) => ("stopped", "#f7f7f7"),
                        (true, true) => ("down", "#fbe3e7"),
                        (true, false) => ("up", "#f3f5f9"),
                    };
                    let names = &named[row][col];
                    let mut groups = Vec::new();
                    for (k, &g) in names.iter().take(SHOWN).enumerate() {
                        let by = y + PAD + k as f64 * LINE_H;
                        let bx = x + PAD;
                        at[row].push((g, bx + box_w / 2.0, by));
                        let is_failed = Some(g) == failed;
                        groups.push(GroupBox {
                            name: sim.groups[g].name.clone(),
                            class: if is_failed { "failed" } else { "moved" },
                            x: num(bx),
                            y: num(by),
                            w: num(box_w),
                            h: num(LINE_H - 4.0),
                            text_x: num(bx + 6.0),
                            text_y: num(by + 13.0),
                            stroke: if is_failed { "#b00020" } else { "#2a62b0" },
                        });
                    }
                    let mut notes = Vec::new();
                    let mut line = names.len().min(SHOWN);
                    let mut note = |text: String| {
                        notes.push(NoteLine {
                            x: num(x + PAD),
                            y: num(y + PAD + line as f64 * LINE_H + 13.0),
                            text,
                        });
                        line += 1;
                    };
                    if names.len() > SHOWN {
                        note(format!("+{} more moved", names.len() - SHOWN));
                    }
                    if col < n && total[row][col] > names.len() {
                        let others = total[row][col] - names.len();
                        note(format!("{others} other group{}", if others == 1 { "" } else { "s" }));
                    }
                    if is_down {
                        note("(down)".to_string());
                    }
                    CellView {
                        server: if col < n {
                            sim.servers[col].clone()
                        } else {
                            "(stopped)".to_string()
                        },
                        class,
                        x: num(x),
                        y: num(y),
                        w: num(COL_W - 4.0),
                        h: num(row_h[row]),
                        fill,
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
            if (x0 - x1).abs() < 0.05 {
                return None;
            }
            Some(Arrow {
                group: sim.groups[g].name.clone(),
                path: format!("M {} {} L {} {}", num(x0), num(y0 + LINE_H - 4.0), num(x1), num(y1)),
            })
        })
        .collect();
    let height = row_y[1] + row_h[1] + 4.0;
    Picture {
        title_id: format!("{id}-title"),
        title: format!("Scenario {}: groups on servers before and after", s.name),
        width: num(LABEL_W + columns as f64 * COL_W + 4.0),
        height: num(height),
        heads,
        rows,
        arrows,
    }
}
