//! Start order: `dependency-cycle` and `order-conflict`.
//!
//! Inside a group, apps start in an order made of the explicit `after` lists and the
//! products' built-in rules (dbMail after the web server, ...); between groups, of the
//! groups' `after` lists. A strongly connected component of more than one node (or a node
//! that waits for itself) has no start order: it is reported once, at its first `after`
//! entry, with every edge of the component as a related location. A component that holds a
//! built-in rule edge is an `order-conflict` (the user's `after` contradicts the guide);
//! otherwise a `dependency-cycle`. A product can also order other apps of its group
//! (`companion_order`: in dbMail's group IIS starts before the mail server, which starts before
//! the RDB, PP guide 1.2.5).

use std::collections::HashMap;

use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;

use crate::catalog::Strength;
use crate::check::{Cluster, GroupView};
use crate::diag::{Code, Diagnostic, Diagnostics, Span};

/// Why one node starts after another.
struct Edge<'a> {
    /// The `after` entry, or the dependent app's `product` for a built-in rule.
    span: Span,
    why: Why<'a>,
    builtin: bool,
}

/// An edge's reason, put into words only for an edge of a cycle (most edges are not).
enum Why<'a> {
    After(&'a str, &'a str),
    GroupAfter(&'a str, &'a str),
    /// The app, the other app, whether the app starts before it, the other's role, the source.
    Rule(&'a str, &'a str, bool, &'a str, &'a str),
    /// The app, the later app and its role, the earlier app and its role, the source.
    Companion(&'a str, &'a str, &'a str, &'a str, &'a str, &'a str),
}

impl std::fmt::Display for Why<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Why::After(app, after) => write!(f, "`{app}` starts after `{after}`"),
            Why::GroupAfter(group, after) => write!(f, "group `{group}` starts after `{after}`"),
            Why::Rule(app, other, before, role, source) => {
                let when = if *before { "before" } else { "after" };
                write!(f, "`{app}` must start {when} `{other}` ({role}): {source}")
            }
            Why::Companion(app, then, then_role, first, first_role, source) => write!(
                f,
                "in a group with `{app}`, `{then}` ({then_role}) must start after `{first}` ({first_role}): {source}"
            ),
        }
    }
}

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
    for group in &cluster.groups {
        apps_in_group(group, diags);
    }
    groups(cluster, diags);
}

fn apps_in_group(group: &GroupView, diags: &mut Diagnostics) {
    let mut graph: DiGraph<usize, Edge> = DiGraph::new();
    let nodes: Vec<_> = (0..group.apps.len()).map(|i| graph.add_node(i)).collect();
    for (i, app) in group.apps.iter().enumerate() {
        for after in &app.app.after {
            if let Some(j) = group.apps.iter().position(|a| a.id() == after.value) {
                graph.add_edge(
                    nodes[j],
                    nodes[i],
                    Edge {
                        span: after.span.clone(),
                        why: Why::After(app.id(), &after.value),
                        builtin: false,
                    },
                );
            }
        }
        let Some(product) = app.product else { continue };
        for rule in product.start_after.iter().filter(|r| r.strength == Strength::Rule) {
            for (j, other) in group.apps.iter().enumerate() {
                if j != i && other.product.is_some_and(|p| p.roles.contains(&rule.role)) {
                    graph.add_edge(
                        nodes[j],
                        nodes[i],
                        Edge {
                            span: app.app.product.span.clone(),
                            why: Why::Rule(app.id(), other.id(), false, &rule.role, &rule.source),
                            builtin: true,
                        },
                    );
                }
            }
        }
        for rule in product.start_before.iter().filter(|r| r.strength == Strength::Rule) {
            for (j, other) in group.apps.iter().enumerate() {
                if j != i && other.product.is_some_and(|p| p.roles.contains(&rule.role)) {
                    graph.add_edge(
                        nodes[i],
                        nodes[j],
                        Edge {
                            span: app.app.product.span.clone(),
                            why: Why::Rule(app.id(), other.id(), true, &rule.role, &rule.source),
                            builtin: true,
                        },
                    );
                }
            }
        }
        // Orders the product sets between other apps of its group (dbMail: IIS, then the
        // mail server, then the RDB).
        for chain in product.companion_order.iter().filter(|c| c.strength == Strength::Rule) {
            for (first_role, then_role) in role_pairs(&chain.roles) {
                for (j, first) in group.apps.iter().enumerate() {
                    if j == i || !first.product.is_some_and(|p| p.roles.contains(first_role)) {
                        continue;
                    }
                    for (k, then) in group.apps.iter().enumerate() {
                        if k == i || k == j || !then.product.is_some_and(|p| p.roles.contains(then_role)) {
                            continue;
                        }
                        graph.add_edge(
                            nodes[j],
                            nodes[k],
                            Edge {
                                span: app.app.product.span.clone(),
                                why: Why::Companion(
                                    app.id(),
                                    then.id(),
                                    then_role,
                                    first.id(),
                                    first_role,
                                    &chain.source,
                                ),
                                builtin: true,
                            },
                        );
                    }
                }
            }
        }
    }
    report(&graph, || format!("the apps of group `{}`", group.name()), diags);
}

/// Every (earlier, later) pair of a role chain: `[a, b, c]` gives a-b, a-c and b-c, so the
/// order holds when a role in the middle has no app.
pub(crate) fn role_pairs(roles: &[String]) -> impl Iterator<Item = (&String, &String)> {
    roles
        .iter()
        .enumerate()
        .flat_map(move |(a, first)| roles[a + 1..].iter().map(move |then| (first, then)))
}

fn groups(cluster: &Cluster, diags: &mut Diagnostics) {
    let mut graph: DiGraph<usize, Edge> = DiGraph::new();
    let nodes: Vec<_> = (0..cluster.groups.len()).map(|i| graph.add_node(i)).collect();
    // The first group of each name, as a scan with `position` would find it, in one lookup.
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(cluster.groups.len());
    for (i, group) in cluster.groups.iter().enumerate() {
        index.entry(group.name()).or_insert(i);
    }
    for (i, group) in cluster.groups.iter().enumerate() {
        for after in &group.group.after {
            if let Some(&j) = index.get(after.value.as_str()) {
                graph.add_edge(
                    nodes[j],
                    nodes[i],
                    Edge {
                        span: after.span.clone(),
                        why: Why::GroupAfter(group.name(), &after.value),
                        builtin: false,
                    },
                );
            }
        }
    }
    report(&graph, || "the groups".to_string(), diags);
}

fn report(graph: &DiGraph<usize, Edge>, what: impl Fn() -> String, diags: &mut Diagnostics) {
    for component in tarjan_scc(graph) {
        let cyclic = component.len() > 1 || graph.find_edge(component[0], component[0]).is_some();
        if !cyclic {
            continue;
        }
        let what = what();
        let mut edges: Vec<&Edge> = graph
            .edge_indices()
            .filter(|&e| {
                let (a, b) = graph.edge_endpoints(e).expect("edge of this graph");
                component.contains(&a) && component.contains(&b)
            })
            .map(|e| &graph[e])
            .collect();
        edges.sort_by_key(|e| (e.builtin, e.span.start));
        let Some(first) = edges.iter().find(|e| !e.builtin) else {
            continue;
        };
        let conflict = edges.iter().any(|e| e.builtin);
        let (code, message, help) = if conflict {
            (
                Code::OrderConflict,
                format!("this `after` contradicts a built-in start order of {what}"),
                "remove the `after` entry: the product's guide fixes this order",
            )
        } else {
            (
                Code::DependencyCycle,
                format!("the start order of {what} has a cycle"),
                "remove one `after` entry so that some app or group can start first",
            )
        };
        let mut d = Diagnostic::new(code, first.span.clone(), message)
            .label(first.why.to_string())
            .help(help);
        for edge in edges.iter().filter(|e| !std::ptr::eq(**e, *first)) {
            d = d.related(edge.span.clone(), edge.why.to_string());
        }
        diags.push(d);
    }
}
