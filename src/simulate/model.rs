//! The facts of each group the engine reads, gathered once from the plan and the resolved
//! cluster: servers as indices, the services in the plan's start order, what the start script
//! does before it loads (two-way standby), the products' standby facts and notes, the ports a
//! packet filter does not let through, and the inventory's start modes.

use std::collections::HashMap;

use crate::catalog::{Product, StandbyKind};
use crate::model::{Control, Filter, PortRule, StartMode};
use crate::plan::{Plan, PlanGroup};
use crate::resolved::{Cluster, GroupView};

pub(super) struct Model {
    pub servers: Vec<String>,
    pub groups: Vec<GroupModel>,
    /// Group indices in the start order between groups (the resolved `after` edges, ties in
    /// the file's order).
    pub start_order: Vec<usize>,
    /// Per server: Windows service name (lower case) -> groups controlling it that may run there.
    pub service_groups: Vec<HashMap<String, Vec<usize>>>,
}

pub(super) struct GroupModel {
    pub name: String,
    pub ip: String,
    pub policy: Vec<usize>,
    /// Groups this group starts after.
    pub after: Vec<usize>,
    /// (watch id, Windows service) in start order.
    pub start: Vec<(String, String)>,
    pub kill_before_load: bool,
    /// Whether the group has a switching partition (a disk can fail at its start).
    pub has_disk: bool,
    /// `control: service-resources`: clp.conf's service resources start the services.
    pub service_resources: bool,
    pub products: Vec<ProductFacts>,
    /// Port rules the file's packet filter does not allow, with what needs them.
    pub blocked: Vec<String>,
    /// (server, service, mode) of the inventory, for controlled services not set to manual.
    pub not_manual: Vec<(usize, String, StartMode)>,
}

pub(super) struct ProductFacts {
    pub id: String,
    pub name: String,
    /// Where the product's standby types are stated, and whether two-way is one of them.
    pub two_way: bool,
    pub standby_source: String,
    /// The product's note that a two-way failover pauses the partner's site, if any.
    pub pause_source: Option<String>,
    /// The product's two-way fail-back note, if any.
    pub fail_back_source: Option<String>,
}

impl ProductFacts {
    fn new(product: &Product) -> ProductFacts {
        let note = |topic: &str| {
            product
                .notes
                .iter()
                .find(|n| n.topic == topic)
                .map(|n| n.source.clone())
        };
        let standby_source = product
            .standby
            .iter()
            .map(|s| s.source.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        ProductFacts {
            id: product.id.clone(),
            name: product.name.clone(),
            two_way: product.standby.iter().any(|s| s.kind == StandbyKind::TwoWay),
            standby_source,
            pause_source: note("two-way failover pause"),
            fail_back_source: note("two-way fail-back"),
        }
    }
}

impl Model {
    pub fn new(plan: &Plan, cluster: &Cluster) -> Model {
        let servers: Vec<String> = plan.servers.iter().map(|s| s.name.clone()).collect();
        let server_index: HashMap<&str, usize> = servers.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
        let group_index: HashMap<&str, usize> = plan
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.name.as_str(), i))
            .collect();
        let views: HashMap<&str, &GroupView> = cluster.groups.iter().map(|g| (g.name(), g)).collect();
        let groups: Vec<GroupModel> = plan
            .groups
            .iter()
            .map(|g| {
                group(
                    g,
                    views.get(g.name.as_str()).copied(),
                    cluster,
                    &server_index,
                    &group_index,
                )
            })
            .collect();
        let start_order = start_order(&groups);
        let mut service_groups: Vec<HashMap<String, Vec<usize>>> = vec![HashMap::new(); servers.len()];
        for &g in &start_order {
            for &s in &groups[g].policy {
                for (_, service) in &groups[g].start {
                    service_groups[s]
                        .entry(service.to_ascii_lowercase())
                        .or_default()
                        .push(g);
                }
            }
        }
        Model {
            servers,
            groups,
            start_order,
            service_groups,
        }
    }
}

fn group(
    g: &PlanGroup,
    view: Option<&GroupView>,
    cluster: &Cluster,
    servers: &HashMap<&str, usize>,
    groups: &HashMap<&str, usize>,
) -> GroupModel {
    let mut products: Vec<ProductFacts> = Vec::new();
    let mut blocked = Vec::new();
    let mut not_manual = Vec::new();
    let allow: Option<Vec<PortRule>> = cluster
        .file
        .firewall
        .as_ref()
        .filter(|f| f.filter.value != Filter::None)
        .map(|f| f.allow.iter().map(|r| r.value).collect());
    if let Some(view) = view {
        for app in &view.apps {
            if let Some(product) = app.product
                && !products.iter().any(|p| p.id == product.id)
            {
                products.push(ProductFacts::new(product));
            }
            let Some(allow) = &allow else { continue };
            let mut needs: Vec<PortRule> = app.app.ports.iter().map(|p| p.value).collect();
            if let Some(product) = app.product {
                for port in &product.ports {
                    let used = port
                        .service
                        .as_deref()
                        .is_none_or(|key| app.services.iter().any(|s| s.fact.is_some_and(|f| f.key == key)));
                    if let (true, Ok(rule)) = (used, PortRule::parse(&port.rule)) {
                        needs.push(rule);
                    }
                }
            }
            for need in needs {
                if !allow.iter().any(|a| covers(a, &need)) {
                    blocked.push(format!("{} ({})", rule_text(&need), app.id()));
                }
            }
        }
        for inventory in &cluster.file.inventory {
            let Some(&server) = servers.get(inventory.server.value.as_str()) else {
                continue;
            };
            if !g.policy.iter().any(|p| p == &inventory.server.value) {
                continue;
            }
            for (name, mode) in &inventory.services {
                let controlled = view.apps.iter().flat_map(|a| &a.services).any(|s| {
                    s.name.eq_ignore_ascii_case(&name.value) || s.fact.is_some_and(|f| f.is_named(&name.value))
                });
                if controlled && mode.value != StartMode::Manual {
                    not_manual.push((server, name.value.clone(), mode.value));
                }
            }
        }
    }
    GroupModel {
        name: g.name.clone(),
        ip: g.fip.value.to_string(),
        policy: g
            .policy
            .iter()
            .filter_map(|s| servers.get(s.as_str()).copied())
            .collect(),
        after: g.after.iter().filter_map(|a| groups.get(a.as_str()).copied()).collect(),
        start: g
            .start
            .iter()
            .map(|a| (a.watch_id.clone(), a.service.clone()))
            .collect(),
        kill_before_load: g.kill_before_load,
        has_disk: g.disk.is_some(),
        service_resources: g.control == Control::ServiceResources,
        products,
        blocked,
        not_manual,
    }
}

/// Whether the allowlist rule `allow` lets all of `need` through.
fn covers(allow: &PortRule, need: &PortRule) -> bool {
    allow.protocol == need.protocol
        && allow.direction == need.direction
        && allow.first <= need.first
        && need.last <= allow.last
}

fn rule_text(rule: &PortRule) -> String {
    rule.to_string()
}

/// The groups in the start order between groups: a group comes after every group of its
/// `after` (the resolved edges, as the plan carries them), ties in the file's order. The file
/// checked clean, so there is no cycle; a group on one would still be listed, last.
fn start_order(groups: &[GroupModel]) -> Vec<usize> {
    let n = groups.len();
    let mut waiting: Vec<usize> = groups.iter().map(|g| g.after.len()).collect();
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, g) in groups.iter().enumerate() {
        for &a in &g.after {
            next[a].push(i);
        }
    }
    let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<usize>> =
        (0..n).filter(|&i| waiting[i] == 0).map(std::cmp::Reverse).collect();
    let mut order = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    while let Some(std::cmp::Reverse(i)) = ready.pop() {
        order.push(i);
        placed[i] = true;
        for &j in &next[i] {
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.push(std::cmp::Reverse(j));
            }
        }
    }
    order.extend((0..n).filter(|&i| !placed[i]));
    order
}
