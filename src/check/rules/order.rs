//! Start order: `dependency-cycle` and `order-conflict`.
//!
//! The start order is the resolved one ([`crate::resolved::order`]): inside a group, the
//! explicit `after` lists, the products' built-in rules (dbMail after the web server, ...) and
//! the orders a product sets between the other apps of its group (`companion_order`: in
//! dbMail's group IIS starts before the mail server, which starts before the RDB, PP guide
//! 1.2.5); between groups, the groups' `after` lists. A cycle (a strongly connected component
//! of more than one node, or a node that waits for itself) has no start order: it is reported
//! once, at its first `after` entry, with every edge of the component as a related location. A
//! cycle that holds a built-in edge is an `order-conflict` (the user's `after` contradicts the
//! guide); otherwise a `dependency-cycle`.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::model::Language;
use crate::resolved::{Cluster, GroupView};
use crate::tr;

/// An edge of a cycle: where it is written, whether a product's order made it, and why.
struct Edge {
    span: Span,
    builtin: bool,
    why: String,
}

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
    let l = cluster.language();
    for group in &cluster.groups {
        if group.order.has_cycle() {
            apps_in_group(l, group, diags);
        }
    }
    let order = &cluster.group_order;
    let mut cycles: BTreeMap<usize, Vec<Edge>> = BTreeMap::new();
    for e in order.edges.iter().filter(|e| e.in_cycle) {
        let (group, after) = (cluster.groups[e.to].name(), cluster.groups[e.from].name());
        cycles
            .entry(order.cycle[e.from].unwrap_or_default())
            .or_default()
            .push(Edge {
                span: e.span.clone(),
                builtin: false,
                why: tr!(l, "diag.order.group_after", group = group, after = after),
            });
    }
    for edges in cycles.into_values() {
        report(l, edges, &tr!(l, "diag.order.the_groups"), diags);
    }
}

fn apps_in_group(l: Language, group: &GroupView, diags: &mut Diagnostics) {
    let mut cycles: BTreeMap<usize, Vec<Edge>> = BTreeMap::new();
    for e in group.order.edges.iter().filter(|e| e.in_cycle) {
        cycles
            .entry(group.order.cycle[e.from].unwrap_or_default())
            .or_default()
            .push(Edge {
                span: e.span.clone(),
                builtin: e.kind() != crate::resolved::EdgeKind::After,
                why: e.why(l, &group.apps),
            });
    }
    let what = tr!(l, "diag.order.the_apps", group = group.name());
    for edges in cycles.into_values() {
        report(l, edges, &what, diags);
    }
}

fn report(l: Language, mut edges: Vec<Edge>, what: &str, diags: &mut Diagnostics) {
    edges.sort_by_key(|e| (e.builtin, e.span.start));
    let Some(first) = edges.iter().position(|e| !e.builtin) else {
        // Product rules alone contradicting each other (a user profile's): the profile's
        // problem, not the file's.
        return;
    };
    let conflict = edges.iter().any(|e| e.builtin);
    let (code, message, help) = if conflict {
        (
            Code::OrderConflict,
            tr!(l, "diag.order.conflict", what = what),
            tr!(l, "diag.order.conflict.help"),
        )
    } else {
        (
            Code::DependencyCycle,
            tr!(l, "diag.order.cycle", what = what),
            tr!(l, "diag.order.cycle.help"),
        )
    };
    let head = edges.remove(first);
    let mut d = Diagnostic::new(code, head.span, message).label(head.why).help(help);
    for edge in edges {
        d = d.related(edge.span, edge.why);
    }
    diags.push(d);
}
