//! The runbook's steps: what a person must do by hand, per server and in order.
//!
//! Steps come from the cluster (which server, which drive, which address) and from the
//! catalog (where each product installs, which services go manual, the products' notes), each
//! with the source that requires it.

use super::*;
use crate::catalog::{Disk, KeyKind};
use crate::resolved::Cluster;

/// Where NEC shows a package pushed with `clpcfctrl --push -x` (a public page a reader can open).
const PUSH_SOURCE: &str = "github.com/EXPRESSCLUSTER/Tools, ConvertToUserModeCluster README (clpcfctrl --push -x)";

pub(super) fn sections(cluster: &Cluster, plan: &Plan) -> Vec<RunbookSection> {
    let mut out = vec![values(cluster, plan)];
    if let Some(s) = prerequisites(cluster, plan) {
        out.push(s);
    }
    if let Some(s) = dns(cluster, plan, "DNS") {
        out.push(s);
    }
    // The cluster's own traffic must pass the filter before the cluster is created; SURFNAVI's
    // filter only exists once SURFNAVI is installed, so its step follows that install.
    if let Some(firewall) = plan
        .firewall
        .as_ref()
        .filter(|f| f.filter != Filter::SurfnaviPacketFilter)
    {
        out.push(RunbookSection {
            title: "Open the packet filter".to_string(),
            steps: plan.servers.iter().map(|s| allow_step(firewall, &s.name)).collect(),
        });
    }
    // Mirror disks: partitions, licence and GUIDs before the cluster exists (runbook_mirror.rs).
    out.extend(super::runbook_mirror::prepare(plan));
    out.push(create(plan));
    for (view, group) in cluster.groups.iter().zip(&plan.groups) {
        out.push(install(view, group, plan));
    }
    if let Some(section) = two_way(cluster, plan) {
        out.push(section);
    }
    if let Some(section) = dns(cluster, plan, "DNS review") {
        out.push(section);
    }
    out.push(finish(plan));
    out.extend(super::runbook_mirror::verify(plan));
    out.push(notes(cluster, plan));
    out
}

/// Every value of the cluster file the person on site types or checks, per group, and the
/// profiles that differ from the built-in catalog: the runbook is complete on its own.
fn values(cluster: &Cluster, plan: &Plan) -> RunbookSection {
    let file = plan.source_name.as_str();
    let mut steps = Vec::new();
    for group in &plan.groups {
        let mut parts = vec![format!(
            "failover policy {} ({} has the highest priority)",
            group.policy.join(" -> "),
            group.policy[0]
        )];
        parts.push(format!("floating IP {}", group.fip.value));
        if let Some(host) = &group.hostname {
            parts.push(format!("host name {host} (the floating IP's DNS name)"));
        }
        if let Some(vcom) = &group.vcom {
            parts.push(format!("virtual computer name {}", vcom.value));
        }
        if let Some(disk) = &group.disk {
            parts.push(format!(
                "switching partition {}:{}",
                disk.value.drive,
                guids(&disk.value.guids)
            ));
        }
        if let Some(mirror) = &group.mirror {
            let data: Vec<(String, String)> = mirror
                .value
                .guids
                .iter()
                .map(|(s, d, _)| (s.clone(), d.clone()))
                .collect();
            let cluster_part: Vec<(String, String)> = mirror
                .value
                .guids
                .iter()
                .map(|(s, _, c)| (s.clone(), c.clone()))
                .collect();
            parts.push(format!(
                "mirror disk: data partition {}:{}, cluster partition {}:{}",
                mirror.value.drive,
                guids(&data),
                mirror.value.cluster_drive,
                guids(&cluster_part)
            ));
        }
        if let Some(regsync) = &group.regsync {
            let keys: Vec<&str> = regsync.value.iter().map(|k| k.key.as_str()).collect();
            parts.push(format!("registry keys {}", keys.join(", ")));
        }
        if let Some(dir) = group.script_dir(&plan.platform) {
            parts.push(format!("scripts {dir}/start.bat and stop.bat"));
        }
        steps.push(RunbookStep {
            servers: Vec::new(),
            text: format!("Group {}: {}.", group.name, parts.join("; ")),
            source: format!("{file}, groups.{}", group.name),
        });
        for app in &group.apps {
            let mut parts: Vec<String> = app.settings.iter().map(|(k, v)| format!("{k} {v}")).collect();
            let services: Vec<&str> = group
                .start
                .iter()
                .filter(|s| s.app == app.id)
                .map(|s| s.service.as_str())
                .collect();
            if !services.is_empty() {
                parts.push(format!(
                    "services the cluster starts, in order, each set to startup type Manual on every server: {}",
                    services.join(", ")
                ));
            }
            let version = app.version.as_deref().map(|v| format!(" {v}")).unwrap_or_default();
            steps.push(RunbookStep {
                servers: Vec::new(),
                text: format!(
                    "Group {}, app {} ({}{version}): {}.",
                    group.name,
                    app.id,
                    app.product_name,
                    if parts.is_empty() {
                        "nothing to enter".to_string()
                    } else {
                        parts.join("; ")
                    }
                ),
                source: format!("{file}, groups.{}.apps.{}", group.name, app.id),
            });
        }
    }
    // Services a product needs running at all times: never in a script, never set to manual.
    let mut never: Vec<(&str, &crate::catalog::NeverStop)> = Vec::new();
    for view in &cluster.groups {
        for product in view.apps.iter().filter_map(|a| a.product) {
            for n in &product.never_stop {
                if !never.iter().any(|(_, m)| m.name == n.name) {
                    never.push((&product.name, n));
                }
            }
        }
    }
    for (product, n) in never {
        steps.push(RunbookStep {
            servers: Vec::new(),
            text: format!(
                "{product}: leave the service {} running and on its own startup type on every server; never stop it or set it to Manual: {}.",
                n.name, n.reason
            ),
            source: n.source.clone(),
        });
    }
    let mut overridden: Vec<String> = Vec::new();
    let used = cluster.platform.map(|p| p.id.as_str()).into_iter().chain(
        cluster
            .groups
            .iter()
            .flat_map(|g| g.apps.iter().filter_map(|a| a.product.map(|p| p.id.as_str()))),
    );
    for id in used {
        if let Some(origin) = cluster.catalog.origin(id)
            && !overridden.iter().any(|o| o.starts_with(&format!("{id} ")))
        {
            let builtin = crate::catalog::Catalog::builtin();
            let how = if builtin.platform(id).is_some() || builtin.product(id).is_some() {
                "overrides the built-in profile"
            } else {
                "is not built in"
            };
            overridden.push(format!("{id} ({how}: {origin})"));
        }
    }
    if !overridden.is_empty() {
        steps.push(RunbookStep {
            servers: Vec::new(),
            text: format!(
                "Profiles given with --profiles, which this runbook follows instead of the guides where they differ: {}.",
                overridden.join(", ")
            ),
            source: "the --profiles folder named".to_string(),
        });
    }
    RunbookSection {
        title: "Values of this cluster".to_string(),
        steps,
    }
}

/// ` (volume GUIDs: sv1 {..}, sv2 {..})`, or nothing where the platform needs none.
fn guids(guids: &[(String, String)]) -> String {
    if guids.is_empty() {
        return String::new();
    }
    let each: Vec<String> = guids.iter().map(|(s, g)| format!("{s} {g}")).collect();
    format!(" (volume GUIDs: {})", each.join(", "))
}

/// What the guides' 動作環境 sections ask of every server before a product is installed (NTFS,
/// TCP/IP, ...): notes of topic `prerequisites`, on the servers of each group that runs it.
fn prerequisites(cluster: &Cluster, plan: &Plan) -> Option<RunbookSection> {
    let mut steps: Vec<RunbookStep> = Vec::new();
    for (view, group) in cluster.groups.iter().zip(&plan.groups) {
        for app in &view.apps {
            let Some(product) = app.product else { continue };
            for note in product
                .notes
                .iter()
                .filter(|n| n.topic == "prerequisites" && n.applies_to(app.version(), Some(&plan.os)))
            {
                let text = format!("{}: {}", product.name, note.text);
                if steps.iter().any(|s| s.text == text && s.servers == group.policy) {
                    continue;
                }
                steps.push(RunbookStep {
                    servers: group.policy.clone(),
                    text,
                    source: note.source.clone(),
                });
            }
        }
    }
    (!steps.is_empty()).then(|| RunbookSection {
        title: "Before installing: prerequisites".to_string(),
        steps,
    })
}

fn allow_step(firewall: &PlanFirewall, server: &str) -> RunbookStep {
    RunbookStep {
        servers: vec![server.to_string()],
        text: format!(
            "Allow {} in the packet filter ({}); the list is in firewall/{server}.txt.",
            firewall
                .rules
                .iter()
                .map(|r| r.rule.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            filter_name(firewall.filter),
        ),
        source: "the platform's and the products' ports; each rule's source is in the firewall file".to_string(),
    }
}

fn filter_name(filter: Filter) -> &'static str {
    match filter {
        Filter::None => "none",
        Filter::WindowsFirewall => "Windows Firewall",
        Filter::SurfnaviPacketFilter => "SURFNAVI packet filter",
    }
}

/// DNS records: ExpressMail's before its setup (1.5.8 (1), topic `DNS`); SURFNAVI's review
/// after the install on every server, active and standby (SURFNAVI PP guide, installation
/// step (3), topic `DNS review`).
fn dns(cluster: &Cluster, plan: &Plan, topic: &str) -> Option<RunbookSection> {
    let mut steps = Vec::new();
    for (view, group) in cluster.groups.iter().zip(&plan.groups) {
        for app in &view.apps {
            let Some(product) = app.product else { continue };
            for note in product
                .notes
                .iter()
                .filter(|n| n.topic == topic && n.applies_to(app.version(), Some(&plan.os)))
            {
                let name = group.hostname.as_deref().unwrap_or("(the group's host name)");
                let reals: Vec<String> = group
                    .policy
                    .iter()
                    .filter_map(|s| plan.servers.iter().find(|x| &x.name == s))
                    .map(|s| format!("{} {}", s.name, s.ip))
                    .collect();
                steps.push(RunbookStep {
                    servers: if topic == "DNS" { Vec::new() } else { group.policy.clone() },
                    text: format!(
                        "Group {}: {} Here: A and MX records {name} -> {}; PTR records for {} and for the real addresses {}.",
                        group.name,
                        note.text,
                        group.fip.value,
                        group.fip.value,
                        reals.join(", ")
                    ),
                    source: note.source.clone(),
                });
            }
        }
    }
    let title = if topic == "DNS" {
        "Before installing: DNS"
    } else {
        "After installing: review DNS"
    };
    (!steps.is_empty()).then(|| RunbookSection {
        title: title.to_string(),
        steps,
    })
}

fn install(view: &crate::resolved::GroupView, group: &PlanGroup, plan: &Plan) -> RunbookSection {
    let mut steps = Vec::new();
    let drive = group
        .disk
        .as_ref()
        .map(|d| format!("switching partition {}:", d.value.drive))
        .or_else(|| {
            group
                .mirror
                .as_ref()
                .map(|m| format!("mirror disk (data partition {}:)", m.value.drive))
        });
    // Two-way standby: each server installs the product once, with the group whose home it is;
    // on the other servers the group gets a virtual site (below), not a second install.
    let installs_on = if group.standby == StandbyKind::TwoWay {
        &group.policy[..1]
    } else {
        &group.policy[..]
    };
    for server in installs_on {
        let on = vec![server.clone()];
        // SURFNAVI's steps F)-I) come after every install and the manual start (A)-E)).
        let mut after_manual = Vec::new();
        let reach = match &drive {
            Some(d) => format!(" so that its {d} is reachable"),
            None => String::new(),
        };
        steps.push(RunbookStep {
            servers: on.clone(),
            text: format!("Start group {} on {server}{reach}.", group.name),
            source: "PP guide (Internet) 1.1.4 (1), 1.5.5 (1): the group is started on the server that installs, so that its data is reachable".to_string(),
        });
        for index in crate::resolved::order::install(view) {
            let view_app = &view.apps[index];
            let Some(product) = view_app.product else { continue };
            let text = install_text(view_app, product);
            // A product installed once (onto the switching partition) is installed from the
            // first server only; its per-server settings below still come on every server.
            match &product.install_once {
                Some(once) if server != &installs_on[0] => steps.push(RunbookStep {
                    servers: on.clone(),
                    text: format!(
                        "Do not install {} again: it is installed once, from {}.",
                        product.name, installs_on[0]
                    ),
                    source: once.source.clone(),
                }),
                _ => steps.push(RunbookStep {
                    servers: on.clone(),
                    text,
                    source: product.source.clone(),
                }),
            }
            // What the guide asks right after the install on each server (IIS's sub-components,
            // dbMail's environment utility, WEBharmo/RDBEUF's URL and ODBC data source).
            for note in product
                .notes
                .iter()
                .filter(|n| n.topic == "two-pass install" && n.applies_to(view_app.version(), Some(&plan.os)))
            {
                steps.push(RunbookStep {
                    servers: on.clone(),
                    text: note.text.clone(),
                    source: note.source.clone(),
                });
            }
            for note in product
                .notes
                .iter()
                .filter(|n| n.topic == "install steps" && n.applies_to(view_app.version(), Some(&plan.os)))
            {
                steps.push(RunbookStep {
                    servers: on.clone(),
                    text: note.text.clone(),
                    source: note.source.clone(),
                });
            }
            // The values the setup asks for (ExpressMail 1.5.5 (1)).
            for note in product
                .notes
                .iter()
                .filter(|n| n.topic == "setup inputs" && n.applies_to(view_app.version(), Some(&plan.os)))
            {
                let mut here = Vec::new();
                if let Some(account) = view_app.app.prop("service_account") {
                    here.push(format!("service account {}", account.value));
                }
                match &group.hostname {
                    Some(host) => here.push(format!("formal name {host} (the group's hostname)")),
                    None => here.push("formal name: the group's host name (no `hostname` is declared)".to_string()),
                }
                steps.push(RunbookStep {
                    servers: on.clone(),
                    text: format!("{} Here: {}.", note.text, here.join("; ")),
                    source: note.source.clone(),
                });
            }
            if product.id == "surfnavi" {
                for note in product
                    .notes
                    .iter()
                    .filter(|n| n.topic == "interconnect" && n.applies_to(view_app.version(), Some(&plan.os)))
                {
                    let addresses: Vec<String> = plan
                        .servers
                        .iter()
                        .filter(|s| &s.name == server)
                        .flat_map(|s| s.interconnects.iter().map(|i| i.to_string()))
                        .collect();
                    after_manual.push(RunbookStep {
                        servers: on.clone(),
                        text: format!("{} Interconnect address(es) here: {}.", note.text, addresses.join(", ")),
                        source: note.source.clone(),
                    });
                }
                if let Some(firewall) = plan
                    .firewall
                    .as_ref()
                    .filter(|f| f.filter == Filter::SurfnaviPacketFilter)
                {
                    after_manual.push(allow_step(firewall, server));
                }
            }
        }
        let manual: Vec<String> = view
            .apps
            .iter()
            .flat_map(|a| a.services.iter())
            .map(manual_name)
            .collect();
        if !manual.is_empty() {
            steps.push(manual_step(server, &manual));
        }
        steps.append(&mut after_manual);
    }
    if let Some(regsync) = group
        .regsync
        .as_ref()
        .filter(|r| r.value.iter().any(|k| k.after_install))
    {
        let keys: Vec<&str> = regsync.value.iter().map(|k| k.key.as_str()).collect();
        let how = if plan.platform.has_clp_conf() {
            format!(
                "They are the resource {} of clp.conf, registered by the second push below.",
                regsync.name
            )
        } else {
            "Register them now as the group's registry resources in the ARM manager.".to_string()
        };
        steps.push(RunbookStep {
            servers: Vec::new(),
            text: format!(
                "Only after the software is installed on every server of {}: synchronize the registry keys {}. {how}",
                group.name,
                keys.join(", ")
            ),
            source: delayed_sources(regsync),
        });
    }
    RunbookSection {
        title: format!("Install group {}", group.name),
        steps,
    }
}

fn manual_name(s: &crate::resolved::Controlled) -> String {
    match s.fact.and_then(|f| f.display.as_deref()) {
        Some(display) => format!("{display} ({})", s.name),
        None => s.name.clone(),
    }
}

fn manual_step(server: &str, manual: &[String]) -> RunbookStep {
    RunbookStep {
        servers: vec![server.to_string()],
        text: format!(
            "Set these services to startup type Manual and stop them: {}.",
            manual.join(", ")
        ),
        source: "PP guide (Internet) 1.1.4 (3), 1.2.4 (3), 1.5.5 (1), 1.6.5 (1) 5: the cluster starts them".to_string(),
    }
}

/// "Install PRODUCT VERSION: program in DIR (this server's local disk); ...".
fn install_text(view_app: &crate::resolved::AppView, product: &crate::catalog::Product) -> String {
    let mut placed = Vec::new();
    for (key, spec) in &product.keys {
        if spec.kind != KeyKind::Path {
            continue;
        }
        let Some(value) = view_app.app.prop(key) else { continue };
        let what = match key.as_str() {
            "install_dir" => "program",
            "data_dir" => "data",
            "content_dir" => "content (home directories)",
            other => other,
        };
        let disk = match spec.location {
            Some(Disk::Local) => " (this server's local disk)",
            Some(Disk::Shared) => " (the switching partition)",
            None => "",
        };
        placed.push(format!("{what} in {}{disk}", value.value));
    }
    let version = view_app.version().map(|v| format!(" {v}")).unwrap_or_default();
    if placed.is_empty() {
        format!("Install {}{version}.", product.name)
    } else {
        format!("Install {}{version}: {}.", product.name, placed.join("; "))
    }
}

/// Two-way (multi-) standby, in the guide's order (PP guide 1.1.4 two-way (1)-(11), 1.4.4
/// multi-standby): every server has installed the products with the group whose home it is
/// (the install sections above); only then is each group moved to its partner server and its
/// site created there; the shutdown and restart of the last section ends it.
fn two_way(cluster: &Cluster, plan: &Plan) -> Option<RunbookSection> {
    let pairs: Vec<(&crate::resolved::GroupView, &PlanGroup)> = cluster
        .groups
        .iter()
        .zip(&plan.groups)
        .filter(|(_, g)| g.standby == StandbyKind::TwoWay)
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let mut steps = Vec::new();
    // A product of a group that the group homed on its partner server does not have is not yet
    // installed there: install it before anything on that server uses it.
    for (view, group) in &pairs {
        for server in group.policy.iter().skip(1) {
            let installed: Vec<&str> = pairs
                .iter()
                .filter(|(_, g)| g.policy.first() == Some(server))
                .flat_map(|(v, _)| v.apps.iter().filter_map(|a| a.product.map(|p| p.id.as_str())))
                .collect();
            for index in crate::resolved::order::install(view) {
                let view_app = &view.apps[index];
                let Some(product) = view_app.product else { continue };
                if installed.contains(&product.id.as_str())
                    || steps.iter().any(|s: &RunbookStep| {
                        s.servers == [server.clone()] && s.text == install_text(view_app, product)
                    })
                {
                    continue;
                }
                steps.push(RunbookStep {
                    servers: vec![server.clone()],
                    text: install_text(view_app, product),
                    source: product.source.clone(),
                });
                let manual: Vec<String> = view_app.services.iter().map(manual_name).collect();
                if !manual.is_empty() {
                    steps.push(manual_step(server, &manual));
                }
            }
        }
    }
    // Where each group runs: at home after the install sections.
    let mut at: Vec<&str> = pairs.iter().map(|(_, g)| g.policy[0].as_str()).collect();
    for (i, (view, group)) in pairs.iter().enumerate() {
        for server in group.policy.iter().skip(1) {
            // Groups moved away earlier whose home this server is come back with it (1.1.4 (9)).
            let moving: Vec<&str> = pairs
                .iter()
                .enumerate()
                .filter(|(j, (_, g))| *j == i || (at[*j] != g.policy[0].as_str() && g.policy[0] == *server))
                .map(|(_, (_, g))| g.name.as_str())
                .collect();
            for (j, (_, g)) in pairs.iter().enumerate() {
                if moving.contains(&g.name.as_str()) {
                    at[j] = server.as_str();
                }
            }
            let (noun, names) = if moving.len() == 1 {
                ("group", moving[0].to_string())
            } else {
                ("groups", moving.join(" and "))
            };
            steps.push(RunbookStep {
                servers: vec![server.clone()],
                text: format!("Move {noun} {names} to {server}."),
                source: "PP guide (Internet) 1.1.4 two-way (7), (9)".to_string(),
            });
            for app in &view.apps {
                let Some(product) = app.product else { continue };
                for note in product
                    .notes
                    .iter()
                    .filter(|n| n.topic == "two-way virtual site" && n.applies_to(app.version(), Some(&plan.os)))
                {
                    let content = app
                        .app
                        .prop("content_dir")
                        .map(|c| format!(" Here: address {}, home directory {}.", group.fip.value, c.value))
                        .unwrap_or_default();
                    steps.push(RunbookStep {
                        servers: vec![server.clone()],
                        text: format!("For group {}: {}{content}", group.name, note.text),
                        source: note.source.clone(),
                    });
                }
            }
        }
    }
    // Settings made on every group's site on every server, once every site exists.
    let mut servers: Vec<String> = Vec::new();
    for (_, group) in &pairs {
        for server in &group.policy {
            if !servers.contains(server) {
                servers.push(server.clone());
            }
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for (view, _) in &pairs {
        for app in &view.apps {
            let Some(product) = app.product else { continue };
            for note in product
                .notes
                .iter()
                .filter(|n| n.topic == "two-way virtual directories" && n.applies_to(app.version(), Some(&plan.os)))
            {
                if seen.contains(&note.text.as_str()) {
                    continue;
                }
                seen.push(note.text.as_str());
                steps.push(RunbookStep {
                    servers: servers.clone(),
                    text: note.text.clone(),
                    source: note.source.clone(),
                });
            }
        }
    }
    Some(RunbookSection {
        title: "Two-way standby: the sites on the partner servers".to_string(),
        steps,
    })
}

/// The sources of the keys a group registers only after the install (the others' sources do
/// not say so).
fn delayed_sources(regsync: &Resource<Vec<RegistryKey>>) -> String {
    let mut sources: Vec<&str> = Vec::new();
    for key in regsync.value.iter().filter(|k| k.after_install) {
        if !sources.contains(&key.source.as_str()) {
            sources.push(key.source.as_str());
        }
    }
    sources.join("; ")
}

/// The tool that changes the applied configuration: the platform's, where the catalog names it.
fn manager(plan: &Plan) -> (String, Option<String>) {
    match &plan.platform.manager {
        Some((name, source)) => (name.clone(), Some(source.clone())),
        None => ("the cluster's manager".to_string(), None),
    }
}

/// The cluster and its groups exist before anything is installed: each install step starts a
/// group to reach its switching partition.
fn create(plan: &Plan) -> RunbookSection {
    let mut steps = Vec::new();
    let with_registry: Vec<&PlanGroup> = plan
        .groups
        .iter()
        .filter(|g| {
            g.regsync
                .as_ref()
                .is_some_and(|r| r.value.iter().any(|k| k.after_install))
        })
        .collect();
    let (tool, tool_source) = manager(plan);
    if plan.platform.has_clp_conf() {
        steps.push(RunbookStep {
            servers: Vec::new(),
            text: "Apply the configuration: clpcfctrl --push -x <this package's folder>.".to_string(),
            source: PUSH_SOURCE.to_string(),
        });
        for group in &with_registry {
            let regsync = group.regsync.as_ref().expect("filtered");
            let mut source = delayed_sources(regsync);
            if let Some(tool) = &tool_source {
                source.push_str(&format!("; {tool}"));
            }
            steps.push(RunbookStep {
                servers: Vec::new(),
                text: format!(
                    "In {tool}, remove the resource {} from group {} and apply: its registry keys are registered only once every server has the software.",
                    regsync.name, group.name
                ),
                source,
            });
        }
    } else {
        for group in &plan.groups {
            steps.push(RunbookStep {
                servers: Vec::new(),
                text: format!(
                    "In the ARM manager, create group {} with its floating IP {}{}{}{}.",
                    group.name,
                    group.fip.value,
                    group
                        .disk
                        .as_ref()
                        .map(|d| format!(", switching partition {}:", d.value.drive))
                        .unwrap_or_default(),
                    // Keys the guide registers with the group from the start (dbMail, 1.2.4).
                    group
                        .regsync
                        .as_ref()
                        .map(|r| r
                            .value
                            .iter()
                            .filter(|k| !k.after_install)
                            .map(|k| k.key.as_str())
                            .collect::<Vec<_>>())
                        .filter(|k| !k.is_empty())
                        .map(|k| format!(", registry key(s) {}", k.join(", ")))
                        .unwrap_or_default(),
                    group
                        .script_dir(&plan.platform)
                        .map(|dir| format!(", and register {dir}/start.bat and stop.bat as its scripts"))
                        .unwrap_or_default()
                ),
                source: "PP guide (Internet), each product's installation steps (groups made in the ARM manager; no clp.conf before CLUSTERPRO X)"
                    .to_string(),
            });
        }
    }
    RunbookSection {
        title: "Create the cluster".to_string(),
        steps,
    }
}

fn finish(plan: &Plan) -> RunbookSection {
    let mut steps = Vec::new();
    let registries: Vec<&str> = plan
        .groups
        .iter()
        .filter_map(|g| g.regsync.as_ref())
        .filter(|r| r.value.iter().any(|k| k.after_install))
        .map(|r| r.name.as_str())
        .collect();
    let (tool, _) = manager(plan);
    if plan.platform.has_clp_conf() && !registries.is_empty() {
        steps.push(RunbookStep {
            servers: Vec::new(),
            text: format!(
                "Apply the configuration again: clpcfctrl --push -x <this package's folder>. This registers {}; check in {tool} that each lists the keys above.",
                registries.join(", ")
            ),
            source: format!(
                "{PUSH_SOURCE}; the element holding regsync keys is in none of NEC's public clp.conf samples (github.com/EXPRESSCLUSTER/BasicCluster, NeoFace): confirm them"
            ),
        });
    }
    steps.push(RunbookStep {
        servers: Vec::new(),
        text: "Shut the whole cluster down from the manager and restart every server.".to_string(),
        source: "PP guide (Internet) 1.1.4 (5), 1.2.4 (5)".to_string(),
    });
    RunbookSection {
        title: "Finish".to_string(),
        steps,
    }
}

fn notes(cluster: &Cluster, plan: &Plan) -> RunbookSection {
    let mut steps: Vec<RunbookStep> = Vec::new();
    for (view, group) in cluster.groups.iter().zip(&plan.groups) {
        for app in &view.apps {
            let Some(product) = app.product else { continue };
            for note in product
                .notes
                .iter()
                .filter(|n| n.applies_to(app.version(), Some(&plan.os)))
            {
                let skip = matches!(
                    note.topic.as_str(),
                    "prerequisites"
                        | "DNS"
                        | "DNS review"
                        | "setup inputs"
                        | "two-pass install"
                        | "install order"
                        | "install steps"
                        | "interconnect"
                        | "two-way virtual site"
                        | "two-way virtual directories"
                ) || (note.topic.starts_with("two-way") && group.standby != StandbyKind::TwoWay);
                let text = if note.topic == "two-way fail-back" && !skip {
                    fail_back(plan, group, &product.name, &note.text)
                } else {
                    format!("{} ({}): {}", product.name, note.topic, note.text)
                };
                if skip || steps.iter().any(|s| s.text == text) {
                    continue;
                }
                steps.push(RunbookStep {
                    servers: Vec::new(),
                    text,
                    source: note.source.clone(),
                });
            }
        }
    }
    RunbookSection {
        title: "Operating notes".to_string(),
        steps,
    }
}

/// The guide's two-way fail-back procedure (move group 1 back, then stop and start group 2),
/// with this cluster's groups and servers put in.
fn fail_back(plan: &Plan, group: &PlanGroup, product: &str, guide: &str) -> String {
    let home = &group.policy[0];
    let partners: Vec<&PlanGroup> = plan
        .groups
        .iter()
        .filter(|o| o.name != group.name && o.standby == StandbyKind::TwoWay && o.policy.contains(home))
        .filter(|o| o.policy[0] != *home)
        .collect();
    let mut text = format!(
        "{product} (two-way fail-back of group {}): after a failover, ",
        group.name
    );
    if partners.is_empty() {
        text.push_str(guide);
        return text;
    }
    text.push_str(&format!("move group {} back to {home}, then", group.name));
    for (i, partner) in partners.iter().enumerate() {
        let sep = if i == 0 { "" } else { " and" };
        text.push_str(&format!(
            "{sep} stop group {} and start it again on {}",
            partner.name, partner.policy[0]
        ));
    }
    text.push_str(": IIS stopped the partner's site too, and the cluster does not know it.");
    text
}
