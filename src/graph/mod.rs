//! The start-order graph of a cluster, as a model and in three drawings.
//!
//! [`Graph::new`] reads a resolved [`Cluster`], so it works for files with errors too (a
//! cycle is exactly what a reviewer wants to see). It holds every group with its apps and the
//! services each app controls, the app -> app edges of each group (explicit `after` entries
//! and the products' built-in start orders), and the group -> group edges of the groups'
//! `after` lists. An edge `from -> to` means `to` starts after `from`.
//!
//! Edges are the resolved start order's ([`crate::resolved::order`]), each `(from, to, kind)`
//! once: `after`, `rule` and `companion` edges bind, and a cycle of them is marked; a `sample`
//! edge only follows the guide's script sample, and the start order drops it where it would
//! close a cycle, which the model marks as `overridden`. Every edge that is not overridden is
//! honoured by the generated scripts.
//!
//! Everything is in file order (groups, apps, services as the script starts them), edges
//! sorted by their ends' file positions, so the same file always gives the same bytes.
//!
//! Renderers: [`to_dot`] (Graphviz), [`to_mermaid`] and [`to_svg`] (laid out here, no
//! Graphviz needed). Every text they place is escaped for its format.

mod dot;
mod mermaid;
pub(crate) mod svg;

use crate::resolved::{AppView, Cluster, GroupView};

pub use crate::resolved::EdgeKind;

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
    /// Between groups, from the groups' `after`; indices into `groups`. Drawn: an edge that a
    /// longer path of the others implies is in `implied` instead.
    pub edges: Vec<GroupEdge>,
    /// The group edges the drawings leave out, as a longer path of `edges` implies each (the
    /// checker and the planner still follow them).
    pub implied: Vec<GroupEdge>,
}

/// A failover group and the start order of its apps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupNode {
    pub name: String,
    /// The group is part of a cycle of groups (or waits for itself).
    pub in_cycle: bool,
    /// In file order.
    pub apps: Vec<AppNode>,
    /// Between the apps of this group; indices into `apps`. Drawn: an `after` edge that a
    /// longer path of followed edges implies is in `implied` instead.
    pub edges: Vec<AppEdge>,
    /// The `after` edges the drawings leave out, as a longer path implies each.
    pub implied: Vec<AppEdge>,
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
        let order = &cluster.group_order;
        let groups = cluster
            .groups
            .iter()
            .enumerate()
            .map(|(i, view)| group(view, order.cycle[i].is_some()))
            .collect();
        let all: Vec<GroupEdge> = order
            .distinct()
            .into_iter()
            .map(|e| GroupEdge {
                from: e.from,
                to: e.to,
                in_cycle: e.in_cycle,
            })
            .collect();
        let pairs: Vec<(usize, usize)> = all.iter().map(|e| (e.from, e.to)).collect();
        let flags = crate::resolved::order::implied(cluster.groups.len(), &pairs);
        let (edges, implied) = split(all, flags, |_| true);
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
            implied,
        }
    }

    /// Whether any group or app is part of a cycle.
    pub fn has_cycle(&self) -> bool {
        self.groups
            .iter()
            .any(|g| g.in_cycle || g.apps.iter().any(|a| a.in_cycle))
    }
}

fn group(view: &GroupView, in_cycle: bool) -> GroupNode {
    let order = &view.order;
    let apps = view
        .apps
        .iter()
        .zip(&order.cycle)
        .map(|(a, cycle)| app(a, cycle.is_some()))
        .collect();
    let all: Vec<AppEdge> = order
        .distinct()
        .into_iter()
        .map(|e| AppEdge {
            from: e.from,
            to: e.to,
            kind: e.kind(),
            source: e.source().map(str::to_string),
            in_cycle: e.in_cycle,
            overridden: e.overridden,
        })
        .collect();
    // The followed edges decide what is implied; only an `after` edge is left out of a
    // drawing (a product's edge carries its source, which the reader must see).
    let followed: Vec<(usize, usize)> = all.iter().filter(|e| !e.overridden).map(|e| (e.from, e.to)).collect();
    let flags = crate::resolved::order::implied(view.apps.len(), &followed).map(|flags| {
        let mut flags = flags.into_iter();
        all.iter()
            .map(|e| !e.overridden && flags.next().unwrap_or(false))
            .collect()
    });
    let (edges, implied) = split(all, flags, |e| e.kind == EdgeKind::After);
    GroupNode {
        name: view.name().to_string(),
        in_cycle,
        apps,
        edges,
        implied,
    }
}

/// Edges apart: those drawn, and those a longer path implies (when `droppable`).
fn split<E>(all: Vec<E>, implied: Option<Vec<bool>>, droppable: impl Fn(&E) -> bool) -> (Vec<E>, Vec<E>) {
    let Some(implied) = implied else {
        return (all, Vec::new());
    };
    let mut drawn = Vec::with_capacity(all.len());
    let mut left_out = Vec::new();
    for (edge, flag) in all.into_iter().zip(implied) {
        if flag && droppable(&edge) {
            left_out.push(edge);
        } else {
            drawn.push(edge);
        }
    }
    (drawn, left_out)
}

fn app(view: &AppView, in_cycle: bool) -> AppNode {
    AppNode {
        id: view.id().to_string(),
        product: view.app.product.value.clone(),
        version: view.version().map(str::to_string),
        services: view
            .services_in_start_order()
            .into_iter()
            .map(|s| ServiceNode {
                name: s.name.clone(),
                watch_id: s.watch_id.clone(),
            })
            .collect(),
        in_cycle,
    }
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
        crate::pipeline::check_graph(&file, Catalog::builtin())
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
        let (diags, graph) = crate::pipeline::check_graph(&file, Catalog::builtin());
        assert!(graph.is_none());
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn identifiers_keep_only_letters_digits_and_underscores() {
        assert_eq!(sanitize("order-api"), "order_api");
        assert_eq!(sanitize("a b\"<c>"), "a_b__c_");
    }
}
