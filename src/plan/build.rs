//! From a resolved cluster that checked clean to the [`Plan`].

use std::collections::BTreeSet;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use super::*;
use crate::catalog::{KeyKind, OrderFact, Product, Strength};
use crate::check::{AppView, Cluster, GroupView};
use crate::model::values::is_dos_device_name;

/// Builds the plan. The cluster must have checked without errors: names resolve, orders are
/// acyclic and every value has passed its allowlist.
pub fn build(cluster: &Cluster, source_name: &str) -> Plan {
    let file = cluster.file;
    let platform = cluster.platform.expect("a clean cluster has a platform");
    let language = file.cluster.language.as_ref().map(|l| l.value).unwrap_or(Language::En);
    let servers = file
        .servers
        .iter()
        .enumerate()
        .map(|(priority, s)| PlanServer {
            name: s.name.value.clone(),
            priority,
            ip: s.ip.as_ref().expect("a clean server has an address").value,
            interconnects: s.interconnects.iter().map(|i| i.value).collect(),
        })
        .collect();

    let mut names = Names::default();
    let groups: Vec<PlanGroup> = cluster
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| group(cluster, i, g, platform.generation, &mut names))
        .collect();

    let firewall = file
        .firewall
        .as_ref()
        .filter(|f| f.filter.value != Filter::None)
        .map(|f| PlanFirewall {
            filter: f.filter.value,
            rules: port_needs(cluster),
        });

    let mut plan = Plan {
        source_name: source_name.to_string(),
        cluster_name: file.cluster.name.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
        platform: PlanPlatform {
            id: platform.id.clone(),
            name: platform.name.clone(),
            generation: platform.generation,
        },
        os: cluster.os().unwrap_or_default().to_string(),
        language,
        features: cluster.features().iter().map(|f| f.to_string()).collect(),
        servers,
        groups,
        firewall,
        runbook: Vec::new(),
    };
    plan.runbook = super::runbook::sections(cluster, &plan);
    debug_assert!(plan.groups.iter().all(|g| !is_dos_device_name(&g.script)));
    plan
}

/// Resource names, numbered per type across the cluster as NEC's tools number them
/// (`fip1`, `fip2`, `sd1`, ...).
#[derive(Default)]
struct Names {
    counts: std::collections::BTreeMap<&'static str, usize>,
}

impl Names {
    fn next(&mut self, kind: &'static str) -> String {
        let n = self.counts.entry(kind).or_insert(0);
        *n += 1;
        format!("{kind}{n}")
    }
}

fn group(cluster: &Cluster, index: usize, view: &GroupView, generation: Generation, names: &mut Names) -> PlanGroup {
    let g = view.group;
    let order = start_order(view);
    let apps: Vec<&AppView> = order.iter().map(|&i| &view.apps[i]).collect();

    let mut standby = StandbyKind::OneWay;
    let mut kill_before_load = false;
    for app in &apps {
        let Some(product) = app.product else { continue };
        if !cluster.partners(index, &product.id).is_empty() {
            standby = StandbyKind::TwoWay;
            kill_before_load |= product.standby(StandbyKind::TwoWay).is_some_and(|f| f.kill_before_load);
        }
    }

    let mut start = Vec::new();
    let mut pre_start = Vec::new();
    for app in &apps {
        let monitor = app
            .app
            .monitor
            .as_ref()
            .map(|m| m.value)
            .unwrap_or_else(|| app.product.is_some_and(|p| p.monitor.default));
        let failover = app.app.failover_on_failure.as_ref().is_some_and(|f| f.value);
        let watchable = app.product.is_none_or(|p| p.monitor.allowed);
        for service in services_in_order(app) {
            start.push(ServiceAction {
                app: app.id().to_string(),
                watch_id: service.watch_id.clone(),
                service: service.name.clone(),
                monitor,
                failover,
                watchable,
            });
        }
        if let (Some(product), Some(features)) = (app.product, &app.app.features) {
            pre_start.extend(pre_start_commands(
                product,
                app,
                features.value.iter().map(|f| f.value.as_str()),
            ));
        }
    }

    let fip = Resource {
        name: names.next("fip"),
        value: g.ip.as_ref().expect("a clean group has an address").value,
    };
    let vcom = g.computer_name.as_ref().map(|c| Resource {
        name: names.next("vcom"),
        value: c.value.clone(),
    });
    let disk = g.disk.as_ref().map(|d| {
        let guids = if generation == Generation::X {
            view.servers
                .iter()
                .filter_map(|s| {
                    d.volume_guids
                        .iter()
                        .find(|(server, _)| server.value == s.value)
                        .map(|(_, guid)| (s.value.clone(), guid.value.clone()))
                })
                .collect()
        } else {
            Vec::new()
        };
        Resource {
            name: names.next("sd"),
            value: PlanDisk {
                drive: d.drive.as_ref().expect("a clean disk has a drive").value,
                guids,
            },
        }
    });

    let mut keys: Vec<RegistryKey> = Vec::new();
    for app in &apps {
        for fact in app.product.map(|p| p.registry.as_slice()).unwrap_or_default() {
            if !keys.iter().any(|k| k.key.eq_ignore_ascii_case(&fact.key)) {
                keys.push(RegistryKey {
                    key: fact.key.clone(),
                    source: fact.source.clone(),
                });
            }
        }
    }
    for key in &g.registry {
        if !keys.iter().any(|k| k.key.eq_ignore_ascii_case(&key.value)) {
            keys.push(RegistryKey {
                key: key.value.clone(),
                source: "the cluster file".to_string(),
            });
        }
    }
    let regsync = (!keys.is_empty()).then(|| Resource {
        name: names.next("regsync"),
        value: keys,
    });
    let script = names.next("script");
    let control = g.control.as_ref().map(|c| c.value).unwrap_or(Control::Script);
    let service_resources = match control {
        Control::ServiceResources => start
            .iter()
            .map(|a| Resource {
                name: names.next("service"),
                value: a.clone(),
            })
            .collect(),
        Control::Script => Vec::new(),
    };

    PlanGroup {
        name: g.name.value.clone(),
        policy: view.servers.iter().map(|s| s.value.clone()).collect(),
        standby,
        control,
        after: g.after.iter().map(|a| a.value.clone()).collect(),
        fip,
        hostname: g.hostname.as_ref().map(|h| h.value.clone()),
        vcom,
        disk,
        regsync,
        script,
        pre_start,
        start,
        kill_before_load,
        service_resources,
        apps: apps.iter().map(|a| plan_app(a)).collect(),
    }
}

/// The apps of a group in start order: explicit `after`, the products' rules, and the order
/// of the guides' script samples where it does not contradict those; ties go to the app
/// written first.
fn start_order(view: &GroupView) -> Vec<usize> {
    order(view, true, |p| (&p.start_after, &p.start_before))
}

/// The apps of a group in installation order: the products' install rules; ties go to the app
/// written first.
pub(super) fn install_order(view: &GroupView) -> Vec<usize> {
    order(view, false, |p| (&p.install_after, &p.install_before))
}

type Relations = for<'p> fn(&'p Product) -> (&'p Vec<OrderFact>, &'p Vec<OrderFact>);

fn order(view: &GroupView, explicit: bool, relations: Relations) -> Vec<usize> {
    let n = view.apps.len();
    let mut graph: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..n).map(|i| graph.add_node(i)).collect();
    let role_edges = |strength: Strength| {
        let mut edges = Vec::new();
        for (i, app) in view.apps.iter().enumerate() {
            let Some(product) = app.product else { continue };
            // The start order also holds the orders a product sets between the other apps of
            // its group (dbMail's companions); installation knows none.
            let chains = product
                .companion_order
                .iter()
                .filter(|c| explicit && c.strength == strength);
            for chain in chains {
                for (first_role, then_role) in crate::check::rules::role_pairs(&chain.roles) {
                    let has = |k: usize, role: &String| {
                        k != i && view.apps[k].product.is_some_and(|p| p.roles.contains(role))
                    };
                    for j in (0..n).filter(|&j| has(j, first_role)) {
                        edges.extend((0..n).filter(|&k| k != j && has(k, then_role)).map(|k| (j, k)));
                    }
                }
            }
            let (after, before) = relations(product);
            for (j, other) in view.apps.iter().enumerate() {
                let Some(other_product) = other.product else { continue };
                let matches = |facts: &Vec<OrderFact>| {
                    facts
                        .iter()
                        .any(|r| r.strength == strength && other_product.roles.contains(&r.role))
                };
                if i != j && matches(after) {
                    edges.push((j, i));
                }
                if i != j && matches(before) {
                    edges.push((i, j));
                }
            }
        }
        edges
    };
    if explicit {
        for (i, app) in view.apps.iter().enumerate() {
            for after in &app.app.after {
                if let Some(j) = view.apps.iter().position(|a| a.id() == after.value) {
                    graph.update_edge(nodes[j], nodes[i], ());
                }
            }
        }
    }
    for (a, b) in role_edges(Strength::Rule) {
        graph.update_edge(nodes[a], nodes[b], ());
    }
    for (a, b) in role_edges(Strength::Sample) {
        let edge = graph.update_edge(nodes[a], nodes[b], ());
        if petgraph::algo::is_cyclic_directed(&graph) {
            graph.remove_edge(edge);
        }
    }

    // Kahn's algorithm, always taking the ready app written first.
    let mut indegree: Vec<usize> = nodes
        .iter()
        .map(|&v| graph.edges_directed(v, petgraph::Incoming).count())
        .collect();
    let mut ready: BTreeSet<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for edge in graph.edges(nodes[i]) {
            let j = graph[edge.target()];
            indegree[j] -= 1;
            if indegree[j] == 0 {
                ready.insert(j);
            }
        }
    }
    // A clean cluster has no cycle through an explicit `after`; should product rules alone
    // (a user profile's) contradict each other, the rest keeps the order written.
    order.extend((0..n).filter(|i| !order.contains(i)).collect::<Vec<_>>());
    order
}

/// A product's services in the catalog's order (the order of the guide's sample); a custom
/// app's in the order written.
fn services_in_order<'v>(app: &'v AppView) -> Vec<&'v crate::check::Controlled<'v>> {
    let mut services: Vec<&crate::check::Controlled> = app.services.iter().collect();
    if let Some(product) = app.product {
        services.sort_by_key(|s| {
            s.fact
                .and_then(|f| product.services.iter().position(|x| x.key == f.key))
                .unwrap_or(usize::MAX)
        });
    }
    services
}

fn pre_start_commands<'f>(product: &Product, app: &AppView, features: impl Iterator<Item = &'f str>) -> Vec<PreStart> {
    let install_dir = app
        .app
        .prop("install_dir")
        .map(|d| d.value.trim_end_matches('\\').to_string())
        .unwrap_or_default();
    let mut out = Vec::new();
    for feature in features {
        let Some(fact) = product.features.iter().find(|f| f.id == feature) else {
            continue;
        };
        for command in &fact.pre_start {
            out.push(PreStart {
                command: command.replace("{install_dir}", &install_dir),
                app: app.id().to_string(),
                source: fact.source.clone(),
            });
        }
    }
    out
}

fn plan_app(app: &AppView) -> PlanApp {
    let settings = match app.product {
        Some(product) => product
            .keys
            .iter()
            .filter(|(_, spec)| !matches!(spec.kind, KeyKind::Services | KeyKind::List))
            .filter_map(|(key, _)| app.app.prop(key).map(|v| (key.clone(), v.value.clone())))
            .collect(),
        None => Vec::new(),
    };
    PlanApp {
        id: app.id().to_string(),
        product: app
            .product
            .map(|p| p.id.clone())
            .unwrap_or_else(|| "custom".to_string()),
        product_name: app
            .product
            .map(|p| p.name.clone())
            .unwrap_or_else(|| "custom application".to_string()),
        version: app.version().map(str::to_string),
        settings,
    }
}

/// Every port the cluster needs through its packet filter, each once, with why: the
/// platform's (with the features in use), then each app's, its product's ports for the
/// services it controls and its own `ports`. It reads only the resolved cluster, so the
/// review page uses it for files with errors too.
pub fn port_needs(cluster: &Cluster) -> Vec<PortNeed> {
    let mut out: Vec<PortNeed> = Vec::new();
    let mut push = |rule: PortRule, purpose: String, source: String| {
        if !out.iter().any(|n| n.rule == rule) {
            out.push(PortNeed { rule, purpose, source });
        }
    };
    if let Some(platform) = cluster.platform {
        for (rule, fact) in platform.required_ports(&cluster.features()) {
            push(
                rule,
                format!("{}, {}", fact.purpose, platform.name),
                fact.source.clone(),
            );
        }
    }
    for group in &cluster.groups {
        for app in &group.apps {
            if let Some(product) = app.product {
                for port in &product.ports {
                    let used = port
                        .service
                        .as_ref()
                        .is_none_or(|key| app.services.iter().any(|s| s.fact.is_some_and(|f| &f.key == key)));
                    if let (true, Ok(rule)) = (used, PortRule::parse(&port.rule)) {
                        push(
                            rule,
                            format!("{}, {} in group {}", port.purpose, product.id, group.name()),
                            port.source.clone(),
                        );
                    }
                }
            }
            for rule in &app.app.ports {
                push(
                    rule.value,
                    format!("app {} in group {}", app.id(), group.name()),
                    "the cluster file".to_string(),
                );
            }
        }
    }
    out
}
