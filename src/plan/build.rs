//! From a resolved cluster that checked clean to the [`Plan`].

use super::*;
use crate::catalog::{KeyKind, Product};
use crate::model::values::is_dos_device_name;
use crate::resolved::{AppView, Cluster, GroupView, port_needs};

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
    let mut mirror_connects = Vec::new();
    let groups: Vec<PlanGroup> = cluster
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let mut planned = group(cluster, i, g, platform.generation, &mut names);
            planned.mirror = super::mirror::mirror(cluster, g, &mut mirror_connects, &mut names);
            planned
        })
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
            manager: platform.manager.as_ref().map(|m| (m.name.clone(), m.source.clone())),
        },
        os: cluster.os().unwrap_or_default().to_string(),
        language,
        features: cluster.features().iter().map(|f| f.to_string()).collect(),
        servers,
        groups,
        firewall,
        mirror_connects,
        ping_targets: file
            .network_partition
            .iter()
            .flat_map(|np| np.ping.iter().map(|p| p.value))
            .collect(),
        runbook: Vec::new(),
    };
    plan.runbook = super::runbook::sections(cluster, &plan);
    debug_assert!(
        plan.groups
            .iter()
            .flat_map(|g| &g.script)
            .all(|s| !is_dos_device_name(s))
    );
    plan
}

/// Resource names, numbered per type across the cluster as NEC's tools number them
/// (`fip1`, `fip2`, `sd1`, ...).
#[derive(Default)]
pub(super) struct Names {
    counts: std::collections::BTreeMap<&'static str, usize>,
}

impl Names {
    pub(super) fn next(&mut self, kind: &'static str) -> String {
        let n = self.counts.entry(kind).or_insert(0);
        *n += 1;
        format!("{kind}{n}")
    }
}

fn group(cluster: &Cluster, index: usize, view: &GroupView, generation: Generation, names: &mut Names) -> PlanGroup {
    let g = view.group;
    // The resolved start order, the one the checker checked and the drawings show.
    let apps: Vec<&AppView> = view.order.start.iter().map(|&i| &view.apps[i]).collect();

    let mut standby = StandbyKind::OneWay;
    let mut kill_before_load = false;
    for app in &apps {
        let Some(product) = app.product else { continue };
        if cluster.partner_count(index, &product.id).0 > 0 {
            standby = StandbyKind::TwoWay;
            kill_before_load |= product.standby(StandbyKind::TwoWay).is_some_and(|f| f.kill_before_load);
        }
    }

    let disk_failover = apps
        .iter()
        .filter_map(|a| a.product?.disk_failure_failover.as_ref())
        .find(|f| f.generation == generation)
        .map(|f| f.source.clone());

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
        for service in app.services_in_start_order() {
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

    // Each key once, whatever its case (a set of the lower-cased keys: a group can list many).
    let mut keys: Vec<RegistryKey> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for app in &apps {
        for fact in app.product.map(|p| p.registry.as_slice()).unwrap_or_default() {
            if seen.insert(fact.key.to_ascii_lowercase()) {
                keys.push(RegistryKey {
                    key: fact.key.clone(),
                    after_install: fact.after_install,
                    source: fact.source.clone(),
                });
            }
        }
    }
    for key in &g.registry {
        if seen.insert(key.value.to_ascii_lowercase()) {
            keys.push(RegistryKey {
                key: key.value.clone(),
                after_install: false,
                source: "the cluster file".to_string(),
            });
        }
    }
    let regsync = (!keys.is_empty()).then(|| Resource {
        name: names.next("regsync"),
        value: keys,
    });
    // A group of only its address and disk has nothing for a script to do (SPEC section 2).
    let script = (!g.apps.is_empty()).then(|| names.next("script"));
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
        mirror: None,
        regsync,
        script,
        pre_start,
        start,
        kill_before_load,
        disk_failover,
        service_resources,
        apps: apps.iter().map(|a| plan_app(a)).collect(),
    }
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
