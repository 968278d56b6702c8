//! The start-order graph of a cluster, as a model and in three drawings.
//!
//! [`Graph::new`] reads a resolved [`Cluster`], so it works for files with errors too (a
//! cycle is exactly what a reviewer wants to see). It holds every group with its apps and the
//! services each app controls, the app -> app edges of each group (explicit `after` entries
//! and the products' built-in start orders), and the group -> group edges of the groups'
//! `after` lists. An edge `from -> to` means `to` starts after `from`.
//!
//! Edges are read as the checker and the planner read them (`check/rules/order.rs`,
//! `plan/build.rs`): `after` and `rule` edges are binding, and a strongly connected component
//! of them is a cycle; a `sample` edge only follows the guide's script sample, and the plan
//! drops it where it would close a cycle, which the model marks as `overridden`.
//!
//! Everything is in file order (groups, apps, services as the script starts them), edges
//! sorted by their ends' file positions, so the same file always gives the same bytes.
//!
//! Renderers: [`to_dot`] (Graphviz), [`to_mermaid`] and [`to_svg`] (laid out here, no
//! Graphviz needed). Every text they place is escaped for its format.

mod dot;
mod mermaid;
pub(crate) mod svg;

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::Dfs;

use crate::catalog::{OrderFact, Strength};
use crate::check::{AppView, Cluster, Controlled, GroupView};

pub use dot::to_dot;
pub(crate) use dot::{label as dot_label, quote as dot_quote};
pub use mermaid::to_mermaid;
pub use svg::to_svg;

/// The start order of a whole cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graph {
    /// `cluster.name`, or empty when the file has none.
    pub cluster: String,
    /// In file order.
    pub groups: Vec<GroupNode>,
    /// Between groups, from the groups' `after`; indices into `groups`.
    pub edges: Vec<GroupEdge>,
}

/// A failover group and the start order of its apps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupNode {
    pub name: String,
    /// The group is part of a cycle of groups (or waits for itself).
    pub in_cycle: bool,
    /// In file order.
    pub apps: Vec<AppNode>,
    /// Between the apps of this group; indices into `apps`.
    pub edges: Vec<AppEdge>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppNode {
    /// The app's id inside its group (`name`, or the product id).
    pub id: String,
    /// The product as written: a catalog id, `custom`, or an unknown id.
    pub product: String,
    pub version: Option<String>,
    /// The services the app controls, in the order the start script starts them.
    pub services: Vec<ServiceNode>,
    /// The app is part of a cycle of its group's start order.
    pub in_cycle: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceNode {
    /// The Windows service name.
    pub name: String,
    /// The ARMLOAD watch id.
    pub watch_id: String,
}

/// Why one app starts after another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    /// An explicit `after` entry of the cluster file.
    After,
    /// A product's built-in start order that its guide states as a rule.
    Rule,
    /// The order of a guide's script sample, not stated as a rule.
    Sample,
}

impl EdgeKind {
    /// The edge's label in every drawing.
    pub fn name(self) -> &'static str {
        match self {
            EdgeKind::After => "after",
            EdgeKind::Rule => "rule",
            EdgeKind::Sample => "sample",
        }
    }
}

/// `to` starts after `from` (indices into the group's apps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppEdge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    /// For `rule` and `sample`: where the product's order comes from.
    pub source: Option<String>,
    /// The edge lies on a cycle (`after` and `rule` edges only).
    pub in_cycle: bool,
    /// A `sample` edge the plan does not follow, because it would contradict the binding
    /// order.
    pub overridden: bool,
}

/// Group `to` starts after group `from` (indices into the cluster's groups).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupEdge {
    pub from: usize,
    pub to: usize,
    pub in_cycle: bool,
}

impl Graph {
    /// The graph of a resolved cluster, whether or not it checked clean.
    pub fn new(cluster: &Cluster) -> Graph {
        let groups: Vec<GroupNode> = cluster.groups.iter().map(group).collect();
        let mut edges: Vec<GroupEdge> = Vec::new();
        for (i, view) in cluster.groups.iter().enumerate() {
            for after in &view.group.after {
                // The first group of that name, as the order rule reads it.
                let Some(j) = cluster.groups.iter().position(|g| g.name() == after.value) else {
                    continue;
                };
                if !edges.iter().any(|e| e.from == j && e.to == i) {
                    edges.push(GroupEdge {
                        from: j,
                        to: i,
                        in_cycle: false,
                    });
                }
            }
        }
        let pairs: Vec<(usize, usize)> = edges.iter().map(|e| (e.from, e.to)).collect();
        let (nodes_in_cycle, edges_in_cycle) = cycles(groups.len(), &pairs);
        for (edge, in_cycle) in edges.iter_mut().zip(edges_in_cycle) {
            edge.in_cycle = in_cycle;
        }
        let mut groups = groups;
        for (group, in_cycle) in groups.iter_mut().zip(nodes_in_cycle) {
            group.in_cycle = in_cycle;
        }
        edges.sort_by_key(|e| (e.from, e.to));
        Graph {
            cluster: cluster
                .file
                .cluster
                .name
                .as_ref()
                .map(|n| n.value.clone())
                .unwrap_or_default(),
            groups,
            edges,
        }
    }

    /// Whether any group or app is part of a cycle.
    pub fn has_cycle(&self) -> bool {
        self.groups
            .iter()
            .any(|g| g.in_cycle || g.apps.iter().any(|a| a.in_cycle))
    }
}

fn group(view: &GroupView) -> GroupNode {
    let apps: Vec<AppNode> = view.apps.iter().map(app).collect();
    let mut edges: Vec<AppEdge> = Vec::new();
    let push = |edges: &mut Vec<AppEdge>, from: usize, to: usize, kind: EdgeKind, source: Option<&str>| {
        if !edges.iter().any(|e| e.from == from && e.to == to && e.kind == kind) {
            edges.push(AppEdge {
                from,
                to,
                kind,
                source: source.map(str::to_string),
                in_cycle: false,
                overridden: false,
            });
        }
    };
    for (i, view_app) in view.apps.iter().enumerate() {
        for after in &view_app.app.after {
            if let Some(j) = view.apps.iter().position(|a| a.id() == after.value) {
                push(&mut edges, j, i, EdgeKind::After, None);
            }
        }
    }
    // Built-in orders, in the order the planner adds them: per app, its `start_after` and
    // `start_before` facts against every other app with the role.
    for strength in [Strength::Rule, Strength::Sample] {
        let kind = match strength {
            Strength::Rule => EdgeKind::Rule,
            Strength::Sample => EdgeKind::Sample,
        };
        for (i, view_app) in view.apps.iter().enumerate() {
            let Some(product) = view_app.product else { continue };
            for (j, other) in view.apps.iter().enumerate() {
                let Some(other_product) = other.product else { continue };
                if i == j {
                    continue;
                }
                let fact = |facts: &'_ [OrderFact]| {
                    facts
                        .iter()
                        .find(|r| r.strength == strength && other_product.roles.contains(&r.role))
                        .map(|r| r.source.clone())
                };
                if let Some(source) = fact(&product.start_after) {
                    push(&mut edges, j, i, kind, Some(&source));
                }
                if let Some(source) = fact(&product.start_before) {
                    push(&mut edges, i, j, kind, Some(&source));
                }
            }
        }
    }

    // Binding edges: their strongly connected components are the cycles the checker reports.
    let binding: Vec<(usize, usize)> = edges
        .iter()
        .filter(|e| e.kind != EdgeKind::Sample)
        .map(|e| (e.from, e.to))
        .collect();
    let (nodes_in_cycle, edges_in_cycle) = cycles(apps.len(), &binding);
    let mut flags = edges_in_cycle.into_iter();
    for edge in edges.iter_mut().filter(|e| e.kind != EdgeKind::Sample) {
        edge.in_cycle = flags.next().unwrap_or(false);
    }

    // Sample edges, in the planner's order: each is followed unless its head already leads
    // back to its tail through what is followed so far.
    let mut followed: DiGraph<(), ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..apps.len()).map(|_| followed.add_node(())).collect();
    for &(a, b) in &binding {
        followed.add_edge(nodes[a], nodes[b], ());
    }
    for edge in edges.iter_mut().filter(|e| e.kind == EdgeKind::Sample) {
        if reaches(&followed, nodes[edge.to], nodes[edge.from]) {
            edge.overridden = true;
        } else {
            followed.add_edge(nodes[edge.from], nodes[edge.to], ());
        }
    }

    edges.sort_by_key(|e| (e.from, e.to, e.kind));
    let mut apps = apps;
    for (app, in_cycle) in apps.iter_mut().zip(nodes_in_cycle) {
        app.in_cycle = in_cycle;
    }
    GroupNode {
        name: view.name().to_string(),
        in_cycle: false,
        apps,
        edges,
    }
}

/// An app's services in the start script's order: a product's in the catalog's order, a
/// custom app's as written (as the planner orders them).
pub(crate) fn services_in_start_order<'v>(view: &'v AppView) -> Vec<&'v Controlled<'v>> {
    let mut services: Vec<&Controlled> = view.services.iter().collect();
    if let Some(product) = view.product {
        services.sort_by_key(|s| {
            s.fact
                .and_then(|f| product.services.iter().position(|x| x.key == f.key))
                .unwrap_or(usize::MAX)
        });
    }
    services
}

fn app(view: &AppView) -> AppNode {
    AppNode {
        id: view.id().to_string(),
        product: view.app.product.value.clone(),
        version: view.version().map(str::to_string),
        services: services_in_start_order(view)
            .into_iter()
            .map(|s| ServiceNode {
                name: s.name.clone(),
                watch_id: s.watch_id.clone(),
            })
            .collect(),
        in_cycle: false,
    }
}

fn reaches(graph: &DiGraph<(), ()>, from: NodeIndex, to: NodeIndex) -> bool {
    let mut dfs = Dfs::new(graph, from);
    while let Some(node) = dfs.next(graph) {
        if node == to {
            return true;
        }
    }
    false
}

/// Which of `n` nodes and which `edges` lie on a cycle: a strongly connected component of more
/// than one node, or a node with an edge to itself (tarjan_scc).
fn cycles(n: usize, edges: &[(usize, usize)]) -> (Vec<bool>, Vec<bool>) {
    let mut graph: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..n).map(|i| graph.add_node(i)).collect();
    for &(a, b) in edges {
        graph.add_edge(nodes[a], nodes[b], ());
    }
    let mut component = vec![usize::MAX; n];
    let mut cyclic = Vec::new();
    for (c, members) in tarjan_scc(&graph).into_iter().enumerate() {
        let is_cyclic = members.len() > 1 || graph.find_edge(members[0], members[0]).is_some();
        cyclic.push(is_cyclic);
        for node in members {
            component[graph[node]] = c;
        }
    }
    let node_flags = (0..n).map(|i| cyclic[component[i]]).collect();
    let edge_flags = edges
        .iter()
        .map(|&(a, b)| component[a] == component[b] && cyclic[component[a]])
        .collect();
    (node_flags, edge_flags)
}

/// A name as an identifier of DOT or Mermaid: ASCII letters, digits and `_`, every other
/// character as `_`. Uniqueness comes from the index prefix the renderers put before it.
pub(crate) fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// The renderers' identifiers: `g<group>_<name>` and `a<group>_<app>_<id>`.
pub(crate) fn group_id(index: usize, group: &GroupNode) -> String {
    format!("g{index}_{}", sanitize(&group.name))
}

pub(crate) fn app_id(group: usize, index: usize, app: &AppNode) -> String {
    format!("a{group}_{index}_{}", sanitize(&app.id))
}

/// The second line of an app's label: its product and version.
pub(crate) fn product_line(app: &AppNode) -> String {
    match &app.version {
        Some(v) => format!("{} {v}", app.product),
        None => app.product.clone(),
    }
}

/// A service as an app's label lists it: `W3SVC (WWWService)`.
pub(crate) fn service_line(service: &ServiceNode) -> String {
    format!("{} ({})", service.name, service.watch_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::source::SourceFile;

    const HEAD: &str = "cluster: { name: c, platform: clusterpro-x-2.1, os: windows-server-2003, language: en }\nservers:\n  - { name: a, ip: 10.0.0.1, interconnects: [10.1.0.1] }\n  - { name: b, ip: 10.0.0.2, interconnects: [10.1.0.2] }\n";

    fn graph(body: &str) -> Graph {
        let file = SourceFile::new("t.yaml", format!("{HEAD}{body}"));
        crate::check::check_graph(&file, Catalog::builtin())
            .1
            .expect("the file is YAML")
    }

    fn custom(name: &str, after: &str) -> String {
        format!(
            "      - {{ product: custom, name: {name}, after: [{after}], services: [{{ name: S{name}, watch_id: W{name} }}] }}\n"
        )
    }

    fn app_edges(g: &GroupNode) -> Vec<(String, String, &'static str, bool)> {
        g.edges
            .iter()
            .map(|e| {
                (
                    g.apps[e.from].id.clone(),
                    g.apps[e.to].id.clone(),
                    e.kind.name(),
                    e.in_cycle,
                )
            })
            .collect()
    }

    #[test]
    fn a_three_app_cycle_marks_its_edges_and_nodes_but_not_the_rest() {
        let body = format!(
            "groups:\n  - name: g\n    failover: [a, b]\n    ip: 10.0.0.9\n    apps:\n{}{}{}{}",
            custom("x", "z"),
            custom("y", "x"),
            custom("z", "y"),
            custom("w", "x")
        );
        let g = graph(&body);
        let group = &g.groups[0];
        assert_eq!(
            app_edges(group),
            [
                ("x".into(), "y".into(), "after", true),
                ("x".into(), "w".into(), "after", false),
                ("y".into(), "z".into(), "after", true),
                ("z".into(), "x".into(), "after", true),
            ]
        );
        let flags: Vec<bool> = group.apps.iter().map(|a| a.in_cycle).collect();
        assert_eq!(flags, [true, true, true, false]);
        assert!(g.has_cycle());
        assert!(!group.in_cycle, "the groups themselves have no cycle");
    }

    #[test]
    fn an_app_waiting_for_itself_is_a_cycle_of_one() {
        let body = format!(
            "groups:\n  - name: g\n    failover: [a, b]\n    ip: 10.0.0.9\n    apps:\n{}",
            custom("x", "x")
        );
        let g = graph(&body);
        assert_eq!(app_edges(&g.groups[0]), [("x".into(), "x".into(), "after", true)]);
        assert!(g.groups[0].apps[0].in_cycle);
    }

    #[test]
    fn groups_after_each_other_form_a_cycle_and_unknown_names_are_skipped() {
        let group = |n: &str, after: &str, ip: u8| {
            format!(
                "  - name: {n}\n    failover: [a, b]\n    ip: 10.0.0.{ip}\n    after: [{after}]\n    apps:\n{}",
                custom(n, "")
            )
        };
        let body = format!(
            "groups:\n{}{}{}",
            group("p", "q, nowhere", 21),
            group("q", "p", 22),
            group("r", "q", 23)
        );
        let g = graph(&body);
        let edges: Vec<(usize, usize, bool)> = g.edges.iter().map(|e| (e.from, e.to, e.in_cycle)).collect();
        assert_eq!(edges, [(0, 1, true), (1, 0, true), (1, 2, false)]);
        let flags: Vec<bool> = g.groups.iter().map(|g| g.in_cycle).collect();
        assert_eq!(flags, [true, true, false]);
    }

    #[test]
    fn builtin_orders_are_rules_or_samples_and_a_contradicted_sample_is_overridden() {
        let disk = "    disk: { drive: \"S:\", volume_guids: { a: \"{00000000-0000-4000-8000-000000000001}\", b: \"{00000000-0000-4000-8000-000000000002}\" } }\n";
        let body = format!(
            "groups:\n  - name: g\n    failover: [a, b]\n    ip: 10.0.0.9\n{disk}    apps:\n      - {{ product: iis, version: \"6.0\", content_dir: 'S:\\w' }}\n      - {{ product: indexing-service }}\n      - {{ product: expressmail, version: \"6.1\", install_dir: 'C:\\e', data_dir: 'S:\\e', service_account: 'D\\u' }}\n      - {{ product: surfnavi, version: \"2.0\", edition: intranet-dmz-server, placement: intranet, after: [iis] }}\n"
        );
        let g = graph(&body);
        let group = &g.groups[0];
        let edges: Vec<(String, String, &str, bool)> = group
            .edges
            .iter()
            .map(|e| {
                (
                    group.apps[e.from].id.clone(),
                    group.apps[e.to].id.clone(),
                    e.kind.name(),
                    e.overridden,
                )
            })
            .collect();
        assert_eq!(
            edges,
            [
                ("iis".into(), "indexing-service".into(), "rule", false),
                ("iis".into(), "surfnavi".into(), "after", false),
                ("expressmail".into(), "surfnavi".into(), "sample", false),
                ("surfnavi".into(), "iis".into(), "sample", true),
            ]
        );
        let rule = group.edges.iter().find(|e| e.kind == EdgeKind::Rule).unwrap();
        assert!(rule.source.as_deref().is_some_and(|s| s.contains("1.1.6")), "{rule:?}");
        assert!(!g.has_cycle(), "samples never make a cycle");
    }

    #[test]
    fn apps_list_their_services_in_start_order() {
        let body = "groups:\n  - name: g\n    failover: [a, b]\n    ip: 10.0.0.9\n    apps:\n      - { product: iis, version: \"6.0\", services: [ftp, www], content_dir: 'C:\\w' }\n";
        let g = graph(body);
        let app = &g.groups[0].apps[0];
        assert_eq!((app.product.as_str(), app.version.as_deref()), ("iis", Some("6.0")));
        let services: Vec<String> = app.services.iter().map(service_line).collect();
        assert_eq!(services, ["W3SVC (WWWService)", "MSFTPSVC (FTPService)"]);
    }

    #[test]
    fn a_file_that_is_not_yaml_has_no_graph() {
        let file = SourceFile::new("t.yaml", "a: [\n");
        let (diags, graph) = crate::check::check_graph(&file, Catalog::builtin());
        assert!(graph.is_none());
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn identifiers_keep_only_letters_digits_and_underscores() {
        assert_eq!(sanitize("order-api"), "order_api");
        assert_eq!(sanitize("a b\"<c>"), "a_b__c_");
    }
}
