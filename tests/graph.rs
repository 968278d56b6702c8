//! The start-order graph through the library: the model [`check_graph`] builds, and its three
//! drawings. The DOT output is read back by a small DOT parser (below) and must hold exactly
//! the groups, apps, services and edges each example implies; the SVG is read back as XML; a
//! cycle is marked in the model and drawn red in every format; hostile names come out
//! escaped; and the same file always gives the same bytes.

#[path = "support/xml.rs"]
mod xml;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use hagen::catalog::Catalog;
use hagen::graph::{AppEdge, AppNode, EdgeKind, Graph, GroupEdge, GroupNode, ServiceNode, to_dot, to_mermaid, to_svg};
use hagen::pipeline::check_graph;
use hagen::source::SourceFile;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn examples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(crate_dir().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn graph_of(path: &Path) -> Graph {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    graph_of_text(&path.file_name().unwrap().to_string_lossy(), &text)
}

fn graph_of_text(name: &str, text: &str) -> Graph {
    let file = SourceFile::new(name, text);
    check_graph(&file, Catalog::builtin()).1.expect("the file is YAML")
}

fn cycle_file() -> PathBuf {
    crate_dir().join("../shared/spec/invalid/cycle.yaml")
}

// --- A small DOT reader ------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// An identifier, a number or a quoted string (unescaped: `\"`, `\\`, and `\n` as a line
    /// break).
    Id(String),
    Punct(&'static str),
}

fn lex(text: &str) -> Vec<Tok> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '-' && chars.get(i + 1) == Some(&'>') {
            out.push(Tok::Punct("->"));
            i += 2;
        } else if let Some(p) = ["{", "}", "[", "]", ";", ",", "="]
            .into_iter()
            .find(|p| p.starts_with(c))
        {
            out.push(Tok::Punct(p));
            i += 1;
        } else if c == '"' {
            let mut s = String::new();
            i += 1;
            loop {
                let c = *chars.get(i).expect("an unterminated DOT string");
                match c {
                    '"' => break,
                    '\\' => {
                        let next = chars[i + 1];
                        match next {
                            '"' | '\\' => s.push(next),
                            'n' => s.push('\n'),
                            other => panic!("an unexpected DOT escape \\{other}"),
                        }
                        i += 1;
                    }
                    c if c.is_control() => panic!("a control character in a DOT string"),
                    c => s.push(c),
                }
                i += 1;
            }
            out.push(Tok::Id(s));
            i += 1;
        } else if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '.') {
                i += 1;
            }
            out.push(Tok::Id(chars[start..i].iter().collect()));
        } else {
            panic!("an unexpected character {c:?} in DOT");
        }
    }
    out
}

type Attrs = BTreeMap<String, String>;

#[derive(Debug, Default)]
struct Sub {
    attrs: Attrs,
}

#[derive(Debug, Default)]
struct DotNode {
    attrs: Attrs,
    sub: Option<usize>,
}

#[derive(Debug)]
struct DotEdge {
    from: String,
    to: String,
    attrs: Attrs,
}

#[derive(Debug, Default)]
struct Dot {
    attrs: Attrs,
    subs: Vec<Sub>,
    nodes: BTreeMap<String, DotNode>,
    edges: Vec<DotEdge>,
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
    dot: Dot,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }
    fn next(&mut self) -> Tok {
        let t = self.toks.get(self.at).cloned().expect("more DOT");
        self.at += 1;
        t
    }
    fn id(&mut self) -> String {
        match self.next() {
            Tok::Id(s) => s,
            t => panic!("expected an id, got {t:?}"),
        }
    }
    fn expect(&mut self, p: &str) {
        assert_eq!(
            self.next(),
            Tok::Punct(match p {
                "{" => "{",
                "}" => "}",
                "=" => "=",
                "]" => "]",
                _ => unreachable!(),
            })
        );
    }
    fn eat(&mut self, p: &str) -> bool {
        if self.peek()
            == Some(&Tok::Punct(match p {
                ";" => ";",
                "," => ",",
                "[" => "[",
                "->" => "->",
                "=" => "=",
                _ => unreachable!(),
            }))
        {
            self.at += 1;
            true
        } else {
            false
        }
    }
    fn attr_list(&mut self) -> Attrs {
        let mut attrs = Attrs::new();
        while self.eat("[") {
            while self.peek() != Some(&Tok::Punct("]")) {
                let k = self.id();
                self.expect("=");
                let v = self.id();
                assert!(attrs.insert(k.clone(), v).is_none(), "attribute {k} twice");
                let _ = self.eat(",") || self.eat(";");
            }
            self.expect("]");
        }
        attrs
    }
    fn declare(&mut self, id: &str, sub: Option<usize>) {
        self.dot.nodes.entry(id.to_string()).or_insert(DotNode {
            attrs: Attrs::new(),
            sub,
        });
    }
    fn stmts(&mut self, sub: Option<usize>) {
        loop {
            if self.peek() == Some(&Tok::Punct("}")) {
                self.at += 1;
                return;
            }
            let first = self.id();
            match first.as_str() {
                "subgraph" => {
                    let _name = self.id();
                    self.expect("{");
                    self.dot.subs.push(Sub::default());
                    let index = self.dot.subs.len() - 1;
                    self.stmts(Some(index));
                }
                "node" | "edge" | "graph" => {
                    let _defaults = self.attr_list();
                }
                _ if self.eat("=") => {
                    let v = self.id();
                    let target = match sub {
                        Some(s) => &mut self.dot.subs[s].attrs,
                        None => &mut self.dot.attrs,
                    };
                    target.insert(first, v);
                }
                _ => {
                    let mut chain = vec![first];
                    while self.eat("->") {
                        chain.push(self.id());
                    }
                    let attrs = self.attr_list();
                    for id in &chain {
                        self.declare(id, sub);
                    }
                    if chain.len() == 1 {
                        let node = self.dot.nodes.get_mut(&chain[0]).unwrap();
                        assert!(node.attrs.is_empty(), "node {} declared twice", chain[0]);
                        node.attrs = attrs;
                    } else {
                        for pair in chain.windows(2) {
                            self.dot.edges.push(DotEdge {
                                from: pair[0].clone(),
                                to: pair[1].clone(),
                                attrs: attrs.clone(),
                            });
                        }
                    }
                }
            }
            let _ = self.eat(";");
        }
    }
}

/// Parses a `digraph NAME { ... }`: statements, subgraphs, attribute lists, edge chains.
fn parse_dot(text: &str) -> Dot {
    let mut p = Parser {
        toks: lex(text),
        at: 0,
        dot: Dot::default(),
    };
    assert_eq!(p.id(), "digraph");
    let _name = p.id();
    p.expect("{");
    p.stmts(None);
    assert_eq!(p.at, p.toks.len(), "nothing after the digraph");
    p.dot
}

/// What a DOT drawing shows, by name: groups with their apps (and each app's label lines),
/// app edges (group, from, to, label) and group edges (from, to).
/// An app as a drawing shows it: its name and the lines of its label below the name.
type ShownApp = (String, Vec<String>);

#[derive(Debug)]
struct Shown {
    groups: Vec<(String, Vec<ShownApp>)>,
    app_edges: Vec<(String, String, String, String)>,
    group_edges: Vec<(String, String)>,
}

fn shown(dot: &Dot) -> Shown {
    let group_of = |sub: usize| {
        dot.subs[sub].attrs["label"]
            .strip_prefix("group ")
            .expect("a cluster label `group NAME`")
            .to_string()
    };
    let mut groups: Vec<(String, Vec<ShownApp>)> = (0..dot.subs.len()).map(|s| (group_of(s), Vec::new())).collect();
    // Nodes in the order they are declared: sort by their declaration in the DOT text is lost
    // in the map, so order apps by their identifier's index (`a<group>_<app>_...`).
    let mut apps: Vec<(&String, &DotNode)> = dot
        .nodes
        .iter()
        .filter(|(_, n)| n.attrs.get("style").is_none_or(|s| s != "invis"))
        .collect();
    let index = |id: &str| -> (usize, usize) {
        let mut parts = id[1..].split('_');
        (
            parts.next().unwrap().parse().unwrap(),
            parts.next().unwrap().parse().unwrap(),
        )
    };
    apps.sort_by_key(|(id, _)| index(id));
    let mut app_name: BTreeMap<&str, (String, String)> = BTreeMap::new();
    for (id, node) in apps {
        let sub = node.sub.expect("every app is inside its group's cluster");
        let lines: Vec<String> = node.attrs["label"].split('\n').map(str::to_string).collect();
        app_name.insert(id, (groups[sub].0.clone(), lines[0].clone()));
        groups[sub].1.push((lines[0].clone(), lines[1..].to_vec()));
    }
    let anchor: BTreeMap<&str, String> = dot
        .nodes
        .iter()
        .filter(|(_, n)| n.attrs.get("style").is_some_and(|s| s == "invis"))
        .map(|(id, n)| (id.as_str(), group_of(n.sub.expect("an anchor inside its cluster"))))
        .collect();
    let mut app_edges = Vec::new();
    let mut group_edges = Vec::new();
    for e in &dot.edges {
        if let (Some(a), Some(b)) = (anchor.get(e.from.as_str()), anchor.get(e.to.as_str())) {
            group_edges.push((a.clone(), b.clone()));
        } else {
            let (g, from) = &app_name[e.from.as_str()];
            let (h, to) = &app_name[e.to.as_str()];
            assert_eq!(g, h, "an app edge stays in its group");
            app_edges.push((g.clone(), from.clone(), to.clone(), e.attrs["label"].clone()));
        }
    }
    Shown {
        groups,
        app_edges,
        group_edges,
    }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

type GroupsExpected = &'static [(&'static str, &'static [&'static str])];
type EdgesExpected = &'static [(&'static str, &'static str, &'static str, &'static str)];
type GroupEdgesExpected = &'static [(&'static str, &'static str)];

/// Per example: its groups with their apps, its app edges (group, from, to, label) and group
/// edges (from, to).
const EXPECTED: &[(&str, GroupsExpected, EdgesExpected, GroupEdgesExpected)] = &[
    (
        "dbmail-legacy",
        &[("dbmail", &["iis", "dbmail"])],
        &[("dbmail", "iis", "dbmail", "rule")],
        &[],
    ),
    ("expressmail", &[("mail", &["expressmail"])], &[], &[]),
    ("iis-one-way", &[("web", &["iis"])], &[], &[]),
    ("iis-two-way", &[("site-a", &["iis"]), ("site-b", &["iis"])], &[], &[]),
    (
        "in-house-services",
        &[("db", &["database"]), ("app", &["api", "worker"])],
        &[("app", "worker", "api", "after")],
        &[("db", "app")],
    ),
    // A group of only its floating IP and its mirror disk: no app, no edge.
    ("mirror-two-node", &[("files", &[])], &[], &[]),
    (
        "surfnavi",
        &[("surfnavi", &["iis", "expressmail", "surfnavi"])],
        &[
            ("surfnavi", "expressmail", "surfnavi", "sample"),
            ("surfnavi", "surfnavi", "iis", "sample"),
        ],
        &[],
    ),
    (
        "webharmo-oltp",
        &[("oltp", &["iis", "webharmo-oltp"])],
        &[("oltp", "iis", "webharmo-oltp", "rule")],
        &[],
    ),
];

#[test]
fn every_example_is_a_digraph_with_its_groups_apps_services_and_edges() {
    let names: Vec<String> = examples()
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let listed: Vec<&str> = EXPECTED.iter().map(|e| e.0).collect();
    assert_eq!(names, listed, "every example has its expectation here");
    for (name, groups, app_edges, group_edges) in EXPECTED {
        let path = crate_dir().join("examples").join(format!("{name}.yaml"));
        let graph = graph_of(&path);
        let dot = to_dot(&graph);
        let shown = shown(&parse_dot(&dot));

        let got: Vec<(String, Vec<String>)> = shown
            .groups
            .iter()
            .map(|(g, apps)| (g.clone(), apps.iter().map(|a| a.0.clone()).collect()))
            .collect();
        let want: Vec<(String, Vec<String>)> = groups.iter().map(|(g, a)| (g.to_string(), strings(a))).collect();
        assert_eq!(got, want, "{name}: groups and apps");

        // Each app's label: its product (and version), then its services as the model has them.
        for ((_, apps), group) in shown.groups.iter().zip(&graph.groups) {
            for ((_, lines), app) in apps.iter().zip(&group.apps) {
                let mut want = vec![match &app.version {
                    Some(v) => format!("{} {v}", app.product),
                    None => app.product.clone(),
                }];
                want.extend(app.services.iter().map(|s| format!("{} ({})", s.name, s.watch_id)));
                assert_eq!(lines, &want, "{name}: app {}", app.id);
            }
        }

        let want: Vec<(String, String, String, String)> = app_edges
            .iter()
            .map(|(g, a, b, l)| (g.to_string(), a.to_string(), b.to_string(), l.to_string()))
            .collect();
        assert_eq!(shown.app_edges, want, "{name}: app edges");
        let want: Vec<(String, String)> = group_edges
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(shown.group_edges, want, "{name}: group edges");
        assert!(!graph.has_cycle(), "{name} has no cycle");
        assert!(!dot.contains("red"), "{name}: nothing is red");
    }
}

#[test]
fn services_are_listed_with_their_watch_ids_in_start_order() {
    let graph = graph_of(&crate_dir().join("examples/in-house-services.yaml"));
    let worker = &graph.groups[1].apps[1];
    let lines: Vec<String> = worker
        .services
        .iter()
        .map(|s| format!("{} ({})", s.name, s.watch_id))
        .collect();
    assert_eq!(lines, ["OrderWorker (ORDERWORKER)", "Order Mailer (ORDERMAILER)"]);
    let graph = graph_of(&crate_dir().join("examples/iis-one-way.yaml"));
    let iis = &graph.groups[0].apps[0];
    let watch: Vec<&str> = iis.services.iter().map(|s| s.watch_id.as_str()).collect();
    assert_eq!(watch, ["WWWService", "FTPService"]);
}

#[test]
fn group_edges_are_clipped_to_the_clusters_boxes() {
    let dot = parse_dot(&to_dot(&graph_of(&crate_dir().join("examples/in-house-services.yaml"))));
    assert_eq!(dot.attrs["compound"], "true");
    let edge = dot.edges.iter().find(|e| e.attrs.contains_key("lhead")).unwrap();
    assert_eq!(
        (edge.attrs["ltail"].as_str(), edge.attrs["lhead"].as_str()),
        ("cluster_0", "cluster_1")
    );
}

// --- Cycles -----------------------------------------------------------------------------------

/// The link lines of a Mermaid flowchart in order (`linkStyle` counts them so), as (from, to).
fn mermaid_links(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("%%"))
        .filter(|l| {
            [" --> ", " -.-> ", " ==> ", " -->|", " -.->|", " ==>|"]
                .iter()
                .any(|a| l.contains(a))
        })
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            (words[0].to_string(), words[words.len() - 1].to_string())
        })
        .collect()
}

/// The ids of a `class A,B cycle` line and the indices of the red `linkStyle` line.
fn mermaid_marks(text: &str) -> (BTreeSet<String>, BTreeSet<usize>) {
    let mut nodes = BTreeSet::new();
    let mut links = BTreeSet::new();
    for line in text.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["class", ids, "cycle"] => nodes.extend(ids.split(',').map(str::to_string)),
            ["linkStyle", list, style] if style.contains("#d00000") => {
                links.extend(list.split(',').map(|i| i.parse::<usize>().unwrap()))
            }
            _ => {}
        }
    }
    (nodes, links)
}

#[test]
fn the_cycle_of_the_spec_is_marked_and_drawn_red_in_every_format() {
    let graph = graph_of(&cycle_file());
    let group = &graph.groups[0];
    let apps: Vec<(&str, bool)> = group.apps.iter().map(|a| (a.id.as_str(), a.in_cycle)).collect();
    assert_eq!(apps, [("order-api", true), ("billing", true)]);
    let edges: Vec<(&str, &str, EdgeKind, bool)> = group
        .edges
        .iter()
        .map(|e| {
            (
                group.apps[e.from].id.as_str(),
                group.apps[e.to].id.as_str(),
                e.kind,
                e.in_cycle,
            )
        })
        .collect();
    assert_eq!(
        edges,
        [
            ("order-api", "billing", EdgeKind::After, true),
            ("billing", "order-api", EdgeKind::After, true),
        ]
    );
    assert!(graph.has_cycle());

    // DOT: both apps and both edges red and bold.
    let dot = parse_dot(&to_dot(&graph));
    let red_nodes: Vec<String> = dot
        .nodes
        .values()
        .filter(|n| n.attrs.get("color").is_some_and(|c| c == "red"))
        .map(|n| n.attrs["label"].split('\n').next().unwrap().to_string())
        .collect();
    assert_eq!(red_nodes, ["order-api", "billing"]);
    for node in dot.nodes.values().filter(|n| n.attrs.contains_key("color")) {
        assert_eq!(node.attrs["style"], "bold");
    }
    assert_eq!(dot.edges.len(), 2);
    for edge in &dot.edges {
        assert_eq!(
            (
                edge.attrs["color"].as_str(),
                edge.attrs["style"].as_str(),
                edge.attrs["label"].as_str()
            ),
            ("red", "bold", "after")
        );
    }

    // Mermaid: both apps in class `cycle`, both links red.
    let mermaid = to_mermaid(&graph);
    let (nodes, links) = mermaid_marks(&mermaid);
    assert_eq!(
        nodes,
        BTreeSet::from(["a0_0_order_api".to_string(), "a0_1_billing".to_string()])
    );
    let all = mermaid_links(&mermaid);
    assert_eq!(all.len(), 2);
    assert_eq!(links, BTreeSet::from([0, 1]));
    assert!(mermaid.contains("classDef cycle "), "{mermaid}");

    // SVG: the two app elements and the two edge elements carry the class `cycle`, in red.
    let svg = xml::parse(&to_svg(&graph)).expect("well-formed SVG");
    let cycle_apps: Vec<&str> = svg
        .descendants()
        .into_iter()
        .filter(|e| e.has_class("app") && e.has_class("cycle"))
        .map(|e| e.attr("data-name").unwrap())
        .collect();
    assert_eq!(cycle_apps, ["order-api", "billing"]);
    let cycle_edges: Vec<&xml::Element> = svg
        .descendants()
        .into_iter()
        .filter(|e| e.has_class("edge") && e.has_class("cycle"))
        .collect();
    assert_eq!(cycle_edges.len(), 2);
    for edge in cycle_edges {
        let path = &edge.find_all("path")[0];
        assert_eq!(path.attr("stroke"), Some("#d00000"));
        assert_eq!(path.attr("marker-end"), Some("url(#hagen-arrow-red)"));
    }
}

#[test]
fn a_cycle_of_groups_is_drawn_red_in_every_format_and_the_rest_is_not() {
    let text = "cluster: { name: c, platform: clusterpro-x-4.2, os: windows-server-2019, language: en }\nservers:\n  - { name: a, ip: 10.0.0.1, interconnects: [10.1.0.1] }\n  - { name: b, ip: 10.0.0.2, interconnects: [10.1.0.2] }\ngroups:\n  - { name: one, failover: [a, b], ip: 10.0.0.11, after: [two], apps: [{ product: custom, name: x, services: [{ name: X, watch_id: X }] }] }\n  - { name: two, failover: [a, b], ip: 10.0.0.12, after: [one], apps: [{ product: custom, name: y, services: [{ name: Y, watch_id: Y }] }] }\n  - { name: three, failover: [a, b], ip: 10.0.0.13, after: [two], apps: [{ product: custom, name: z, services: [{ name: Z, watch_id: Z }] }] }\n";
    let graph = graph_of_text("groups.yaml", text);
    let flags: Vec<bool> = graph.groups.iter().map(|g| g.in_cycle).collect();
    assert_eq!(flags, [true, true, false]);
    let edges: Vec<(usize, usize, bool)> = graph.edges.iter().map(|e| (e.from, e.to, e.in_cycle)).collect();
    assert_eq!(edges, [(0, 1, true), (1, 0, true), (1, 2, false)]);

    let dot = parse_dot(&to_dot(&graph));
    let red: Vec<bool> = dot
        .subs
        .iter()
        .map(|s| s.attrs.get("color").is_some_and(|c| c == "red"))
        .collect();
    assert_eq!(red, [true, true, false]);
    let red_edges: Vec<bool> = dot
        .edges
        .iter()
        .map(|e| e.attrs.get("color").is_some_and(|c| c == "red"))
        .collect();
    assert_eq!(red_edges, [true, true, false]);

    let mermaid = to_mermaid(&graph);
    let (nodes, links) = mermaid_marks(&mermaid);
    assert_eq!(nodes, BTreeSet::from(["g0_one".to_string(), "g1_two".to_string()]));
    let all = mermaid_links(&mermaid);
    let red: Vec<&(String, String)> = links.iter().map(|&i| &all[i]).collect();
    assert_eq!(
        red,
        [
            &("g0_one".to_string(), "g1_two".to_string()),
            &("g1_two".to_string(), "g0_one".to_string())
        ]
    );

    let svg = xml::parse(&to_svg(&graph)).unwrap();
    let groups: Vec<(&str, bool)> = svg
        .descendants()
        .into_iter()
        .filter(|e| e.has_class("group"))
        .map(|e| (e.attr("data-name").unwrap(), e.has_class("cycle")))
        .collect();
    assert_eq!(groups, [("one", true), ("two", true), ("three", false)]);
    let group_edges: Vec<bool> = svg
        .descendants()
        .into_iter()
        .filter(|e| e.has_class("group-edge"))
        .map(|e| e.has_class("cycle"))
        .collect();
    assert_eq!(group_edges, [true, true, false]);
}

#[test]
fn a_clean_example_marks_nothing_in_any_format() {
    let graph = graph_of(&crate_dir().join("examples/in-house-services.yaml"));
    let (nodes, links) = mermaid_marks(&to_mermaid(&graph));
    assert!(nodes.is_empty() && links.is_empty());
    let svg = xml::parse(&to_svg(&graph)).unwrap();
    assert!(svg.descendants().iter().all(|e| !e.has_class("cycle")));
}

// --- SVG --------------------------------------------------------------------------------------

#[test]
fn every_svg_is_well_formed_with_an_element_per_group_and_app() {
    for path in examples().into_iter().chain([cycle_file()]) {
        let graph = graph_of(&path);
        let text = to_svg(&graph);
        let svg = xml::parse(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()));
        assert_eq!(svg.name, "svg");
        assert_eq!(svg.attr("xmlns"), Some("http://www.w3.org/2000/svg"));
        let view_box: Vec<f64> = svg
            .attr("viewBox")
            .unwrap()
            .split(' ')
            .map(|n| n.parse().unwrap())
            .collect();
        assert!(view_box[2] > 100.0 && view_box[3] > 50.0, "{view_box:?}");

        let groups: Vec<&str> = svg
            .descendants()
            .into_iter()
            .filter(|e| e.name == "g" && e.has_class("group"))
            .map(|e| e.attr("data-name").unwrap())
            .collect();
        let want: Vec<&str> = graph.groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(groups, want, "{}", path.display());

        let apps: Vec<(&str, &str)> = svg
            .descendants()
            .into_iter()
            .filter(|e| e.name == "g" && e.has_class("app"))
            .map(|e| (e.attr("data-group").unwrap(), e.attr("data-name").unwrap()))
            .collect();
        let want: Vec<(&str, &str)> = graph
            .groups
            .iter()
            .flat_map(|g| g.apps.iter().map(move |a| (g.name.as_str(), a.id.as_str())))
            .collect();
        assert_eq!(apps, want, "{}", path.display());

        // Each app box shows its id, product and services.
        for (g, group) in graph.groups.iter().enumerate() {
            for (a, app) in group.apps.iter().enumerate() {
                let element = svg.by_id(&format!("hagen-g{g}-a{a}")).unwrap();
                let lines: Vec<String> = element.find_all("text").iter().map(|t| t.all_text()).collect();
                assert_eq!(lines[0], app.id);
                for s in &app.services {
                    assert!(lines.contains(&format!("{} ({})", s.name, s.watch_id)), "{lines:?}");
                }
            }
        }

        let edges = svg.descendants().into_iter().filter(|e| e.has_class("edge")).count();
        assert_eq!(edges, graph.groups.iter().map(|g| g.edges.len()).sum::<usize>());
        let group_edges = svg
            .descendants()
            .into_iter()
            .filter(|e| e.has_class("group-edge"))
            .count();
        assert_eq!(group_edges, graph.edges.len());
    }
}

/// Names no cluster file can have (the allowlists refuse them), to show that every drawing
/// escapes what it prints anyway.
fn hostile() -> Graph {
    let app = |id: &str| AppNode {
        id: id.to_string(),
        product: "p&q".to_string(),
        version: Some("1\"2".to_string()),
        services: vec![ServiceNode {
            name: "S<1> & 'two'".to_string(),
            watch_id: "W\\\"#;|".to_string(),
        }],
        in_cycle: true,
    };
    Graph {
        cluster: "c</title><script>alert(1)</script>".to_string(),
        groups: vec![GroupNode {
            name: "g<\"&'>]] end".to_string(),
            in_cycle: true,
            apps: vec![app("<script>alert('x')</script>"), app("b]\"[ -->|x| end")],
            edges: vec![AppEdge {
                from: 0,
                to: 1,
                kind: EdgeKind::Rule,
                source: Some("</title><script>\" \\n".to_string()),
                in_cycle: false,
                overridden: false,
            }],
            implied: Vec::new(),
        }],
        edges: vec![GroupEdge {
            from: 0,
            to: 0,
            in_cycle: true,
        }],
        implied: Vec::new(),
    }
}

#[test]
fn hostile_names_are_escaped_in_every_format() {
    let graph = hostile();
    let app0 = &graph.groups[0].apps[0];
    let service = "S<1> & 'two' (W\\\"#;|)";

    let svg_text = to_svg(&graph);
    assert!(!svg_text.contains("<script"), "{svg_text}");
    let svg = xml::parse(&svg_text).expect("well-formed SVG");
    let element = svg.by_id("hagen-g0-a0").unwrap();
    assert_eq!(element.attr("data-name"), Some(app0.id.as_str()));
    let lines: Vec<String> = element.find_all("text").iter().map(|t| t.all_text()).collect();
    assert_eq!(lines, [app0.id.as_str(), "p&q 1\"2", service]);
    assert_eq!(
        svg.find_all("title")[0].all_text(),
        format!("The start order of cluster {}", graph.cluster)
    );
    let edge_title = svg.by_id("hagen-g0-e0").unwrap().find_all("title")[0].all_text();
    assert!(edge_title.ends_with("</title><script>\" \\n"), "{edge_title}");

    let dot = parse_dot(&to_dot(&graph));
    assert_eq!(dot.subs[0].attrs["label"], format!("group {}", graph.groups[0].name));
    let labels: Vec<&String> = dot.nodes.values().filter_map(|n| n.attrs.get("label")).collect();
    assert!(
        labels.contains(&&format!("{}\np&q 1\"2\n{service}", app0.id)),
        "{labels:?}"
    );
    assert_eq!(dot.edges[0].attrs["tooltip"], "</title><script>\" \\n");
    assert_eq!(
        dot.attrs["label"],
        format!("the start order of cluster {}", graph.cluster)
    );

    let mermaid = to_mermaid(&graph);
    assert!(!mermaid.contains("<script") && !mermaid.contains("&"), "{mermaid}");
    for line in mermaid.lines() {
        // Every label is one quoted string whose only markup is the line break.
        if let Some(start) = line.find("[\"") {
            let label = &line[start + 2..line.rfind("\"]").unwrap()];
            let plain = label.replace("<br/>", "");
            assert!(
                plain
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || " -_.,:/()#;".contains(c)),
                "{line}"
            );
        }
        let trimmed = line.trim();
        if let Some(id) = trimmed.strip_prefix("subgraph ") {
            let id = &id[..id.find('[').unwrap()];
            assert!(id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{id}");
        }
    }
    // The labels decode back to the names.
    let decode = |s: &str| {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find('#') {
            out.push_str(&rest[..i]);
            let end = rest[i..].find(';').unwrap() + i;
            out.push(char::from_u32(rest[i + 1..end].parse().unwrap()).unwrap());
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    };
    let node_line = mermaid.lines().find(|l| l.trim().starts_with("a0_0_")).unwrap();
    let label = &node_line[node_line.find("[\"").unwrap() + 2..node_line.rfind("\"]").unwrap()];
    let lines: Vec<String> = label.split("<br/>").map(decode).collect();
    assert_eq!(lines, [app0.id.as_str(), "p&q 1\"2", service]);
}

#[test]
fn every_drawing_is_byte_identical_across_runs() {
    for path in examples().into_iter().chain([cycle_file()]) {
        let (a, b) = (graph_of(&path), graph_of(&path));
        assert_eq!(a, b);
        assert_eq!(to_dot(&a), to_dot(&b), "{}", path.display());
        assert_eq!(to_mermaid(&a), to_mermaid(&b), "{}", path.display());
        assert_eq!(to_svg(&a), to_svg(&b), "{}", path.display());
    }
}

#[test]
fn the_dot_and_mermaid_of_an_example_are_as_reviewed() {
    let graph = graph_of(&crate_dir().join("examples/in-house-services.yaml"));
    insta::assert_snapshot!("in-house-services.dot", to_dot(&graph));
    insta::assert_snapshot!("in-house-services.mmd", to_mermaid(&graph));
}
