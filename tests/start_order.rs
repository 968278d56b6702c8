//! The start order a reviewer is shown is the one the scripts follow.
//!
//! For every example, every spec example and every fixture that checks clean: each app -> app
//! edge that `hagen graph` draws (DOT and Mermaid, read back from their text) and that the
//! review page's SVG draws (read back from its edge titles) is honoured by the generated
//! scripts (every service of A is loaded before any of B in start.bat, and killed after every
//! one of B in stop.bat), unless it is drawn as an overridden sample; and every ordering that
//! binds in the resolved start order is drawn.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use hagen::catalog::Catalog;
use hagen::graph::{Graph, to_dot, to_mermaid};
use hagen::model::Control;
use hagen::pipeline::{check_and_plan, check_graph};
use hagen::plan::Plan;
use hagen::source::SourceFile;

/// (group index, from app index, to app index, label) of every app edge a drawing shows.
type Drawn = BTreeSet<(usize, usize, usize, String)>;

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

/// Every cluster file of the project that checks clean: examples, spec examples, and the
/// fixed (`.ok.yaml`) fixtures and other clean fixtures.
fn clean_files() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    yaml_files(&root.join("examples"), &mut paths);
    yaml_files(&common::spec_dir().join("examples"), &mut paths);
    yaml_files(&root.join("tests/fixtures/codes"), &mut paths);
    yaml_files(&root.join("tests/fixtures/rules"), &mut paths);
    yaml_files(&root.join("tests/fixtures/platforms"), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

/// `"a<g>_<i>_<id>"` or `a<g>_<i>_<id>`: the group and app index.
fn app_ref(token: &str) -> Option<(usize, usize)> {
    let token = token.trim().trim_matches('"');
    let rest = token.strip_prefix('a')?;
    let mut parts = rest.splitn(3, '_');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

fn dot_edges(dot: &str) -> Drawn {
    let mut out = Drawn::new();
    for line in dot.lines() {
        let Some((from, rest)) = line.split_once(" -> ") else {
            continue;
        };
        let (to, attrs) = rest.split_once(" [").unwrap_or((rest, ""));
        let (Some((g, a)), Some((g2, b))) = (app_ref(from), app_ref(to)) else {
            continue;
        };
        assert_eq!(g, g2, "an app edge stays in its group: {line}");
        let label = attrs
            .split_once("label=\"")
            .and_then(|(_, l)| l.split_once('"'))
            .map(|(l, _)| l.to_string())
            .unwrap_or_default();
        out.insert((g, a, b, label));
    }
    out
}

fn mermaid_edges(mermaid: &str) -> Drawn {
    let mut out = Drawn::new();
    for line in mermaid.lines() {
        let line = line.trim();
        let Some((from, rest)) = line.split_once(" -->|\"").or_else(|| line.split_once(" -.->|\"")) else {
            continue;
        };
        let Some((label, to)) = rest.split_once("\"| ") else {
            continue;
        };
        let (Some((g, a)), Some((g2, b))) = (app_ref(from), app_ref(to)) else {
            continue;
        };
        assert_eq!(g, g2, "an app edge stays in its group: {line}");
        out.insert((g, a, b, label.to_string()));
    }
    out
}

/// The SVG's app edges, from their titles: `B starts after A (label)[: source][; on a cycle]`.
fn svg_edges(html: &str, graph: &Graph) -> Drawn {
    let mut out = Drawn::new();
    let mut ids: HashMap<(usize, String), usize> = HashMap::new();
    for (g, group) in graph.groups.iter().enumerate() {
        for (i, app) in group.apps.iter().enumerate() {
            ids.insert((g, app.id.clone()), i);
        }
    }
    for piece in html.split("id=\"hagen-g").skip(1) {
        let Some((g, rest)) = piece.split_once("-e") else {
            continue;
        };
        let Ok(g) = g.parse::<usize>() else { continue };
        let Some((_, title)) = rest.split_once("<title>") else {
            continue;
        };
        let Some((title, _)) = title.split_once("</title>") else {
            continue;
        };
        let Some((to, rest)) = title.split_once(" starts after ") else {
            continue;
        };
        let Some((from, rest)) = rest.split_once(" (") else {
            continue;
        };
        let Some((label, _)) = rest.split_once(')') else {
            continue;
        };
        let (Some(&a), Some(&b)) = (ids.get(&(g, from.to_string())), ids.get(&(g, to.to_string()))) else {
            panic!("an SVG edge names apps that are not in group {g}: {title}");
        };
        out.insert((g, a, b, label.to_string()));
    }
    out
}

/// Where each watch id is loaded in start.bat and killed in stop.bat, per group; or the
/// plan's own order for groups whose services are service resources.
fn script_positions(plan: &Plan) -> Vec<(HashMap<String, usize>, HashMap<String, usize>)> {
    let files: HashMap<String, Vec<u8>> = hagen::emit::package(plan).into_iter().collect();
    plan.groups
        .iter()
        .map(|group| {
            if group.control == Control::ServiceResources {
                let start: HashMap<String, usize> = group
                    .service_resources
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (r.value.watch_id.clone(), i))
                    .collect();
                let n = start.len();
                let stop = start.iter().map(|(k, i)| (k.clone(), n - i)).collect();
                return (start, stop);
            }
            let Some(dir) = group.script_dir(&plan.platform) else {
                return Default::default();
            };
            let read = |name: &str, verb: &str| {
                let bytes = &files[&format!("{dir}/{name}")];
                let (text, _, _) = encoding_rs::SHIFT_JIS.decode(bytes);
                let mut at = HashMap::new();
                for (n, line) in text.lines().enumerate() {
                    let mut words = line.split_whitespace();
                    if words.next().is_some_and(|w| w.eq_ignore_ascii_case(verb))
                        && let Some(id) = words.next()
                    {
                        at.entry(id.to_string()).or_insert(n);
                    }
                }
                at
            };
            (read("start.bat", "ARMLOAD"), read("stop.bat", "ARMKILL"))
        })
        .collect()
}

#[test]
fn every_drawn_edge_is_honoured_by_the_scripts_and_every_binding_order_is_drawn() {
    let catalog = Catalog::builtin();
    let mut failures = Vec::new();
    let mut checked_edges = 0;
    let mut files = 0;
    for (path, text) in clean_files() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let file = SourceFile::new(&name, text);
        let (diagnostics, plan) = check_and_plan(&file, catalog, true);
        let Some(plan) = plan else { continue };
        if diagnostics.iter().any(|d| d.severity == hagen::diag::Severity::Error) {
            continue;
        }
        files += 1;
        let graph = check_graph(&file, catalog).1.unwrap();
        let dot = dot_edges(&to_dot(&graph));
        let mermaid = mermaid_edges(&to_mermaid(&graph));
        let svg = svg_edges(&hagen::report::report(&file, catalog), &graph);
        // Every edge of the start order: drawn, or left out of drawings as a longer drawn path
        // implies it (each must be honoured all the same).
        let label_of = |e: &hagen::graph::AppEdge| {
            if e.overridden {
                "sample (overridden)".to_string()
            } else {
                e.kind.name().to_string()
            }
        };
        for (g, group) in graph.groups.iter().enumerate() {
            let drawn: Vec<(usize, usize)> = group
                .edges
                .iter()
                .filter(|e| !e.overridden)
                .map(|e| (e.from, e.to))
                .collect();
            for e in &group.implied {
                if !reaches(group.apps.len(), &drawn, e.from, e.to) {
                    failures.push(format!(
                        "{}: group {g}: the edge {} -> {} is left out of the drawings but no drawn path implies it",
                        path.display(),
                        e.from,
                        e.to
                    ));
                }
            }
        }
        let all: Drawn = graph
            .groups
            .iter()
            .enumerate()
            .flat_map(|(g, group)| {
                group
                    .edges
                    .iter()
                    .chain(&group.implied)
                    .map(move |e| (g, e.from, e.to, label_of(e)))
            })
            .collect();
        let model: Drawn = graph
            .groups
            .iter()
            .enumerate()
            .flat_map(|(g, group)| {
                group.edges.iter().map(move |e| {
                    let label = if e.overridden {
                        "sample (overridden)".to_string()
                    } else {
                        e.kind.name().to_string()
                    };
                    (g, e.from, e.to, label)
                })
            })
            .collect();
        for (format, drawn) in [("dot", &dot), ("mermaid", &mermaid), ("svg", &svg)] {
            if drawn != &model {
                failures.push(format!(
                    "{}: the {format} drawing shows {drawn:?}, the start order has {model:?}",
                    path.display()
                ));
            }
        }
        let positions = script_positions(&plan);
        for (g, a, b, label) in &all {
            if label.contains("overridden") {
                continue;
            }
            checked_edges += 1;
            let group = &graph.groups[*g];
            let plan_group = plan.groups.iter().find(|p| p.name == group.name).unwrap();
            let index = plan.groups.iter().position(|p| p.name == group.name).unwrap();
            let (start, stop) = &positions[index];
            let ids =
                |app: usize| -> Vec<&str> { group.apps[app].services.iter().map(|s| s.watch_id.as_str()).collect() };
            for x in ids(*a) {
                for y in ids(*b) {
                    let (Some(sx), Some(sy)) = (start.get(x), start.get(y)) else {
                        failures.push(format!(
                            "{}: group {}: {x} or {y} is not started",
                            path.display(),
                            plan_group.name
                        ));
                        continue;
                    };
                    if sx >= sy {
                        failures.push(format!(
                            "{}: group {}: edge {} -> {} ({label}) drawn, but start.bat loads {y} before {x}",
                            path.display(),
                            group.name,
                            group.apps[*a].id,
                            group.apps[*b].id
                        ));
                    }
                    if stop.get(x) <= stop.get(y) {
                        failures.push(format!(
                            "{}: group {}: edge {} -> {} ({label}) drawn, but stop.bat kills {x} before {y}",
                            path.display(),
                            group.name,
                            group.apps[*a].id,
                            group.apps[*b].id
                        ));
                    }
                }
            }
        }
    }
    common::assert_no_failures("differences between the drawn and the followed start order", failures);
    assert!(files >= 20, "only {files} clean files were found");
    assert!(checked_edges >= 10, "only {checked_edges} edges were checked");
}

/// Whether `to` is reachable from `from` along `edges` (a path of one edge or more).
fn reaches(n: usize, edges: &[(usize, usize)], from: usize, to: usize) -> bool {
    let mut seen = vec![false; n];
    let mut stack = vec![from];
    while let Some(node) = stack.pop() {
        for &(a, b) in edges {
            if a == node && !seen[b] {
                if b == to {
                    return true;
                }
                seen[b] = true;
                stack.push(b);
            }
        }
    }
    false
}

/// Dense `after` lists are drawn as their transitive reduction: with every app after every
/// earlier one, only the chain is drawn, and the scripts follow the same order.
#[test]
fn a_dense_after_graph_is_drawn_as_its_transitive_reduction() {
    let mut text = String::from(
        "cluster: { name: c, platform: clusterpro-x-4.2, os: windows-server-2019, language: en }\nservers:\n  - { name: a, ip: 10.0.0.1, interconnects: [10.1.0.1] }\n  - { name: b, ip: 10.0.0.2, interconnects: [10.1.0.2] }\n",
    );
    text.push_str("groups:\n");
    for g in 0..6 {
        let after: Vec<String> = (0..g).map(|e| format!("g{e}")).collect();
        text.push_str(&format!(
            "  - name: g{g}\n    failover: [a, b]\n    ip: 10.0.0.{}\n    after: [{}]\n    apps:\n",
            20 + g,
            after.join(", ")
        ));
        for i in 0..5 {
            let after: Vec<String> = (0..i).map(|e| format!("x{e}")).collect();
            text.push_str(&format!(
                "      - {{ product: custom, name: x{i}, after: [{}], services: [{{ name: S{g}x{i}, watch_id: W{g}X{i} }}] }}\n",
                after.join(", ")
            ));
        }
    }
    let file = SourceFile::new("dense.yaml", text);
    let (diagnostics, graph) = check_graph(&file, Catalog::builtin());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let graph = graph.unwrap();
    let chain: Vec<(usize, usize)> = graph.edges.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(chain, [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]);
    assert_eq!(graph.implied.len(), 15 - 5);
    for group in &graph.groups {
        let drawn: Vec<(usize, usize)> = group.edges.iter().map(|e| (e.from, e.to)).collect();
        assert_eq!(drawn, [(0, 1), (1, 2), (2, 3), (3, 4)]);
        assert_eq!(group.implied.len(), 10 - 4);
    }
    let dot = to_dot(&graph);
    let drawn = dot
        .lines()
        .filter(|l| l.trim_start().starts_with('"') && l.contains(" -> "))
        .count();
    assert_eq!(drawn, 5 + 6 * 4, "{dot}");
}

/// dbMail's group with IIS and ExpressMail (PP guide 1.2.5): IIS, then the mail server, then
/// dbMail; the graph draws the companion edge from IIS to ExpressMail that the scripts follow.
#[test]
fn the_dbmail_companion_order_is_drawn_and_followed() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/dbmail-companion-order.ok.yaml");
    let file = SourceFile::new("dbmail.yaml", fs::read_to_string(path).unwrap());
    let graph = check_graph(&file, Catalog::builtin()).1.unwrap();
    let dot = dot_edges(&to_dot(&graph));
    assert!(dot.contains(&(0, 0, 1, "companion".to_string())), "{dot:?}");
    let (_, plan) = check_and_plan(&file, Catalog::builtin(), true);
    let plan = plan.expect("the fixture checks clean");
    let order: Vec<&str> = plan.groups[0].start.iter().map(|s| s.watch_id.as_str()).collect();
    let www = order.iter().position(|w| *w == "WWWService").unwrap();
    let smtp = order.iter().position(|w| *w == "EMSMTP").unwrap();
    assert!(www < smtp, "{order:?}");
}
