//! The runbook's steps: what a person must do by hand, per server and in order.
//!
//! Steps come from the cluster (which server, which drive, which address) and from the
//! catalog (where each product installs, which services go manual, the products' notes), each
//! with the source that requires it.

use super::*;
use crate::catalog::{Disk, KeyKind, Note, Product};
use crate::resolved::Cluster;
use crate::tr;

/// A product note's text in the package's language.
fn note_text(l: Language, text: &str) -> &str {
    crate::i18n::catalog_text(l, text)
}

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
            title: tr!(plan.language, "runbook.title.firewall"),
            steps: plan
                .servers
                .iter()
                .map(|s| allow_step(plan.language, firewall, &s.name))
                .collect(),
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

/// The notes of `product` about `topic` that apply to the app's version and the cluster's OS.
fn notes_on<'a>(
    product: &'a Product,
    version: Option<&'a str>,
    os: &'a str,
    topic: &'a str,
) -> impl Iterator<Item = &'a Note> + 'a {
    product
        .notes
        .iter()
        .filter(move |n| n.topic == topic && n.applies_to(version, Some(os)))
}

/// Every value of the cluster file the person on site types or checks, per group, and the
/// profiles that differ from the built-in catalog: the runbook is complete on its own.
fn values(cluster: &Cluster, plan: &Plan) -> RunbookSection {
    let l = plan.language;
    let file = plan.source_name.as_str();
    let mut steps = Vec::new();
    for group in &plan.groups {
        let mut parts = vec![tr!(
            l,
            "runbook.values.policy",
            policy = group.policy.join(" -> "),
            home = group.policy[0],
        )];
        parts.push(tr!(l, "runbook.values.fip", fip = group.fip.value));
        if let Some(host) = &group.hostname {
            parts.push(tr!(l, "runbook.values.host", host = host));
        }
        if let Some(vcom) = &group.vcom {
            parts.push(tr!(l, "runbook.values.vcom", vcom = vcom.value));
        }
        if let Some(disk) = &group.disk {
            parts.push(tr!(
                l,
                "runbook.values.disk",
                drive = disk.value.drive,
                guids = guids(l, &disk.value.guids),
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
            parts.push(tr!(
                l,
                "runbook.values.mirror",
                data = mirror.value.drive,
                data_guids = guids(l, &data),
                cluster = mirror.value.cluster_drive,
                cluster_guids = guids(l, &cluster_part),
            ));
        }
        if let Some(regsync) = &group.regsync {
            let keys: Vec<&str> = regsync.value.iter().map(|k| k.key.as_str()).collect();
            parts.push(tr!(l, "runbook.values.keys", keys = keys.join(", ")));
        }
        if let Some(dir) = group.script_dir(&plan.platform) {
            parts.push(tr!(l, "runbook.values.scripts", dir = dir));
        }
        steps.push(RunbookStep {
            servers: Vec::new(),
            text: tr!(
                l,
                "runbook.values.group",
                group = group.name,
                parts = parts.join(crate::i18n::text(l, "list.semicolon")),
            ),
            source: format!("{file}, groups.{}", group.name),
        });
        // Each app's services, in start order, found by app (not by a scan per app).
        let mut services_of: std::collections::HashMap<&str, Vec<&str>> = std::collections::HashMap::new();
        for s in &group.start {
            services_of.entry(s.app.as_str()).or_default().push(s.service.as_str());
        }
        for app in &group.apps {
            let mut parts: Vec<String> = app.settings.iter().map(|(k, v)| format!("{k} {v}")).collect();
            let services = services_of.get(app.id.as_str()).map_or(&[][..], Vec::as_slice);
            if !services.is_empty() {
                parts.push(tr!(l, "runbook.values.services", services = services.join(", ")));
            }
            let version = app.version.as_deref().map(|v| format!(" {v}")).unwrap_or_default();
            steps.push(RunbookStep {
                servers: Vec::new(),
                text: tr!(
                    l,
                    "runbook.values.app",
                    group = group.name,
                    app = app.id,
                    product = app.product_name,
                    version = version,
                    parts = if parts.is_empty() {
                        tr!(l, "runbook.values.nothing")
                    } else {
                        parts.join(crate::i18n::text(l, "list.semicolon"))
                    },
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
            text: tr!(
                l,
                "runbook.values.never_stop",
                product = product,
                service = n.name,
                reason = crate::i18n::catalog_text(l, &n.reason),
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
                crate::i18n::text(l, "runbook.values.overrides")
            } else {
                crate::i18n::text(l, "runbook.values.not_builtin")
            };
            overridden.push(format!("{id} ({how}: {origin})"));
        }
    }
    if !overridden.is_empty() {
        steps.push(RunbookStep {
            servers: Vec::new(),
            text: tr!(l, "runbook.values.profiles", profiles = overridden.join(", ")),
            source: "the --profiles folder named".to_string(),
        });
    }
    RunbookSection {
        title: tr!(l, "runbook.title.values"),
        steps,
    }
}

/// ` (volume GUIDs: sv1 {..}, sv2 {..})`, or nothing where the platform needs none.
fn guids(l: Language, guids: &[(String, String)]) -> String {
    if guids.is_empty() {
        return String::new();
    }
    let each: Vec<String> = guids.iter().map(|(s, g)| format!("{s} {g}")).collect();
    tr!(l, "runbook.values.guids", guids = each.join(", "))
}

/// What the guides' 動作環境 sections ask of every server before a product is installed (NTFS,
/// TCP/IP, ...): notes of topic `prerequisites`, on the servers of each group that runs it.
fn prerequisites(cluster: &Cluster, plan: &Plan) -> Option<RunbookSection> {
    let l = plan.language;
    let mut steps: Vec<RunbookStep> = Vec::new();
    for (view, group) in cluster.groups.iter().zip(&plan.groups) {
        for app in &view.apps {
            let Some(product) = app.product else { continue };
            for note in notes_on(product, app.version(), &plan.os, "prerequisites") {
                let text = format!("{}: {}", product.name, note_text(l, &note.text));
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
        title: tr!(l, "runbook.title.prerequisites"),
        steps,
    })
}

fn allow_step(l: Language, firewall: &PlanFirewall, server: &str) -> RunbookStep {
    RunbookStep {
        servers: vec![server.to_string()],
        text: tr!(
            l,
            "runbook.allow",
            rules = firewall
                .rules
                .iter()
                .map(|r| r.rule.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            filter = filter_name(l, firewall.filter),
            server = server,
        ),
        source: "the platform's and the products' ports; each rule's source is in the firewall file".to_string(),
    }
}

/// A filter's name in the language of the package.
pub fn filter_name(l: Language, filter: Filter) -> &'static str {
    crate::i18n::text(
        l,
        match filter {
            Filter::None => "filter.none",
            Filter::WindowsFirewall => "filter.windows-firewall",
            Filter::SurfnaviPacketFilter => "filter.surfnavi-packet-filter",
        },
    )
}

/// DNS records: ExpressMail's before its setup (1.5.8 (1), topic `DNS`); SURFNAVI's review
/// after the install on every server, active and standby (SURFNAVI PP guide, installation
/// step (3), topic `DNS review`).
fn dns(cluster: &Cluster, plan: &Plan, topic: &str) -> Option<RunbookSection> {
    let l = plan.language;
    let mut steps = Vec::new();
    for (view, group) in cluster.groups.iter().zip(&plan.groups) {
        for app in &view.apps {
            let Some(product) = app.product else { continue };
            for note in notes_on(product, app.version(), &plan.os, topic) {
                let name = group
                    .hostname
                    .as_deref()
                    .unwrap_or(crate::i18n::text(l, "runbook.dns.no_hostname"));
                let reals: Vec<String> = group
                    .policy
                    .iter()
                    .filter_map(|s| plan.servers.iter().find(|x| &x.name == s))
                    .map(|s| format!("{} {}", s.name, s.ip))
                    .collect();
                steps.push(RunbookStep {
                    servers: if topic == "DNS" {
                        Vec::new()
                    } else {
                        group.policy.clone()
                    },
                    text: tr!(
                        l,
                        "runbook.dns",
                        group = group.name,
                        note = note_text(l, &note.text),
                        name = name,
                        fip = group.fip.value,
                        reals = reals.join(", "),
                    ),
                    source: note.source.clone(),
                });
            }
        }
    }
    let title = if topic == "DNS" {
        "runbook.title.dns"
    } else {
        "runbook.title.dns_review"
    };
    (!steps.is_empty()).then(|| RunbookSection {
        title: tr!(l, title),
        steps,
    })
}

fn install(view: &crate::resolved::GroupView, group: &PlanGroup, plan: &Plan) -> RunbookSection {
    let l = plan.language;
    let mut steps = Vec::new();
    let drive = group
        .disk
        .as_ref()
        .map(|d| tr!(plan.language, "runbook.reach.disk", drive = d.value.drive))
        .or_else(|| {
            group
                .mirror
                .as_ref()
                .map(|m| tr!(plan.language, "runbook.reach.mirror", drive = m.value.drive))
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
        let text = match &drive {
            Some(d) => tr!(
                l,
                "runbook.start_group_disk",
                group = group.name,
                server = server,
                drive = d
            ),
            None => tr!(l, "runbook.start_group", group = group.name, server = server),
        };
        steps.push(RunbookStep {
            servers: on.clone(),
            text,
            source: "PP guide (Internet) 1.1.4 (1), 1.5.5 (1): the group is started on the server that installs, so that its data is reachable".to_string(),
        });
        for index in crate::resolved::order::install(view) {
            let view_app = &view.apps[index];
            let Some(product) = view_app.product else { continue };
            let text = install_text(l, view_app, product);
            // A product installed once (onto the switching partition) is installed from the
            // first server only; its per-server settings below still come on every server.
            match &product.install_once {
                Some(once) if server != &installs_on[0] => steps.push(RunbookStep {
                    servers: on.clone(),
                    text: tr!(
                        l,
                        "runbook.install_once",
                        product = product.name,
                        first = installs_on[0]
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
            for note in notes_on(product, view_app.version(), &plan.os, "two-pass install") {
                steps.push(RunbookStep {
                    servers: on.clone(),
                    text: note_text(l, &note.text).to_string(),
                    source: note.source.clone(),
                });
            }
            for note in notes_on(product, view_app.version(), &plan.os, "install steps") {
                steps.push(RunbookStep {
                    servers: on.clone(),
                    text: note_text(l, &note.text).to_string(),
                    source: note.source.clone(),
                });
            }
            // The values the setup asks for (ExpressMail 1.5.5 (1)).
            for note in notes_on(product, view_app.version(), &plan.os, "setup inputs") {
                let mut here = Vec::new();
                if let Some(account) = view_app.app.prop("service_account") {
                    here.push(tr!(l, "runbook.setup.account", account = account.value));
                }
                match &group.hostname {
                    Some(host) => here.push(tr!(l, "runbook.setup.host", host = host)),
                    None => here.push(tr!(l, "runbook.setup.no_host")),
                }
                steps.push(RunbookStep {
                    servers: on.clone(),
                    text: tr!(
                        l,
                        "runbook.setup",
                        note = note_text(l, &note.text),
                        here = here.join(crate::i18n::text(l, "list.semicolon")),
                    ),
                    source: note.source.clone(),
                });
            }
            if product.id == "surfnavi" {
                for note in notes_on(product, view_app.version(), &plan.os, "interconnect") {
                    let addresses: Vec<String> = plan
                        .servers
                        .iter()
                        .filter(|s| &s.name == server)
                        .flat_map(|s| s.interconnects.iter().map(|i| i.to_string()))
                        .collect();
                    after_manual.push(RunbookStep {
                        servers: on.clone(),
                        text: tr!(
                            l,
                            "runbook.interconnect",
                            note = note_text(l, &note.text),
                            addresses = addresses.join(", "),
                        ),
                        source: note.source.clone(),
                    });
                }
                if let Some(firewall) = plan
                    .firewall
                    .as_ref()
                    .filter(|f| f.filter == Filter::SurfnaviPacketFilter)
                {
                    after_manual.push(allow_step(l, firewall, server));
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
            steps.push(manual_step(l, server, &manual));
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
            tr!(l, "runbook.regsync.clp_conf", resource = regsync.name)
        } else {
            tr!(l, "runbook.regsync.arm")
        };
        steps.push(RunbookStep {
            servers: Vec::new(),
            text: tr!(
                l,
                "runbook.regsync",
                group = group.name,
                keys = keys.join(", "),
                how = how,
            ),
            source: delayed_sources(regsync),
        });
    }
    RunbookSection {
        title: tr!(l, "runbook.title.install", group = group.name),
        steps,
    }
}

fn manual_name(s: &crate::resolved::Controlled) -> String {
    match s.fact.and_then(|f| f.display.as_deref()) {
        Some(display) => format!("{display} ({})", s.name),
        None => s.name.clone(),
    }
}

fn manual_step(l: Language, server: &str, manual: &[String]) -> RunbookStep {
    RunbookStep {
        servers: vec![server.to_string()],
        text: tr!(l, "runbook.manual", services = manual.join(", ")),
        source: "PP guide (Internet) 1.1.4 (3), 1.2.4 (3), 1.5.5 (1), 1.6.5 (1) 5: the cluster starts them".to_string(),
    }
}

/// "Install PRODUCT VERSION: program in DIR (this server's local disk); ...".
fn install_text(l: Language, view_app: &crate::resolved::AppView, product: &crate::catalog::Product) -> String {
    let mut placed = Vec::new();
    for (key, spec) in &product.keys {
        if spec.kind != KeyKind::Path {
            continue;
        }
        let Some(value) = view_app.app.prop(key) else { continue };
        let what = match key.as_str() {
            "install_dir" => crate::i18n::text(l, "runbook.install.program"),
            "data_dir" => crate::i18n::text(l, "runbook.install.data"),
            "content_dir" => crate::i18n::text(l, "runbook.install.content"),
            other => other,
        };
        let disk = match spec.location {
            Some(Disk::Local) => crate::i18n::text(l, "runbook.install.local"),
            Some(Disk::Shared) => crate::i18n::text(l, "runbook.install.shared"),
            None => "",
        };
        placed.push(tr!(
            l,
            "runbook.install.placed",
            what = what,
            path = value.value,
            disk = disk
        ));
    }
    let version = view_app.version().map(|v| format!(" {v}")).unwrap_or_default();
    if placed.is_empty() {
        tr!(l, "runbook.install", product = product.name, version = version)
    } else {
        tr!(
            l,
            "runbook.install.in",
            product = product.name,
            version = version,
            placed = placed.join(crate::i18n::text(l, "list.semicolon")),
        )
    }
}

/// Two-way (multi-) standby, in the guide's order (PP guide 1.1.4 two-way (1)-(11), 1.4.4
/// multi-standby): every server has installed the products with the group whose home it is
/// (the install sections above); only then is each group moved to its partner server and its
/// site created there; the shutdown and restart of the last section ends it.
fn two_way(cluster: &Cluster, plan: &Plan) -> Option<RunbookSection> {
    let l = plan.language;
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
                        s.servers == [server.clone()] && s.text == install_text(l, view_app, product)
                    })
                {
                    continue;
                }
                steps.push(RunbookStep {
                    servers: vec![server.clone()],
                    text: install_text(l, view_app, product),
                    source: product.source.clone(),
                });
                let manual: Vec<String> = view_app.services.iter().map(manual_name).collect();
                if !manual.is_empty() {
                    steps.push(manual_step(l, server, &manual));
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
            let text = if moving.len() == 1 {
                tr!(l, "runbook.move_group", group = moving[0], server = server)
            } else {
                tr!(
                    l,
                    "runbook.move_groups",
                    groups = moving.join(crate::i18n::text(l, "list.and")),
                    server = server,
                )
            };
            steps.push(RunbookStep {
                servers: vec![server.clone()],
                text,
                source: "PP guide (Internet) 1.1.4 two-way (7), (9)".to_string(),
            });
            for app in &view.apps {
                let Some(product) = app.product else { continue };
                for note in notes_on(product, app.version(), &plan.os, "two-way virtual site") {
                    let content = app
                        .app
                        .prop("content_dir")
                        .map(|c| tr!(l, "runbook.virtual_site.here", fip = group.fip.value, dir = c.value))
                        .unwrap_or_default();
                    steps.push(RunbookStep {
                        servers: vec![server.clone()],
                        text: tr!(
                            l,
                            "runbook.virtual_site",
                            group = group.name,
                            note = note_text(l, &note.text),
                            content = content,
                        ),
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
            for note in notes_on(product, app.version(), &plan.os, "two-way virtual directories") {
                if seen.contains(&note.text.as_str()) {
                    continue;
                }
                seen.push(note.text.as_str());
                steps.push(RunbookStep {
                    servers: servers.clone(),
                    text: note_text(l, &note.text).to_string(),
                    source: note.source.clone(),
                });
            }
        }
    }
    Some(RunbookSection {
        title: tr!(l, "runbook.title.two_way"),
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
        None => (tr!(plan.language, "runbook.manager"), None),
    }
}

/// The cluster and its groups exist before anything is installed: each install step starts a
/// group to reach its switching partition.
fn create(plan: &Plan) -> RunbookSection {
    let l = plan.language;
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
            text: tr!(l, "runbook.push"),
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
                text: tr!(
                    l,
                    "runbook.regsync.remove",
                    tool = tool,
                    resource = regsync.name,
                    group = group.name,
                ),
                source,
            });
        }
    } else {
        for group in &plan.groups {
            steps.push(RunbookStep {
                servers: Vec::new(),
                text: tr!(
                    l,
                    "runbook.arm.create",
                    group = group.name,
                    fip = group.fip.value,
                    disk = group
                        .disk
                        .as_ref()
                        .map(|d| tr!(l, "runbook.arm.disk", drive = d.value.drive))
                        .unwrap_or_default(),
                    // Keys the guide registers with the group from the start (dbMail, 1.2.4).
                    keys = group
                        .regsync
                        .as_ref()
                        .map(|r| r
                            .value
                            .iter()
                            .filter(|k| !k.after_install)
                            .map(|k| k.key.as_str())
                            .collect::<Vec<_>>())
                        .filter(|k| !k.is_empty())
                        .map(|k| tr!(l, "runbook.arm.keys", keys = k.join(", ")))
                        .unwrap_or_default(),
                    scripts = group
                        .script_dir(&plan.platform)
                        .map(|dir| tr!(l, "runbook.arm.scripts", dir = dir))
                        .unwrap_or_default(),
                ),
                source: "PP guide (Internet), each product's installation steps (groups made in the ARM manager; no clp.conf before CLUSTERPRO X)"
                    .to_string(),
            });
        }
    }
    RunbookSection {
        title: tr!(l, "runbook.title.create"),
        steps,
    }
}

fn finish(plan: &Plan) -> RunbookSection {
    let l = plan.language;
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
            text: tr!(l, "runbook.push_again", resources = registries.join(", "), tool = tool),
            source: format!(
                "{PUSH_SOURCE}; the element holding regsync keys is in none of NEC's public clp.conf samples (github.com/EXPRESSCLUSTER/BasicCluster, NeoFace): confirm them"
            ),
        });
    }
    steps.push(RunbookStep {
        servers: Vec::new(),
        text: tr!(l, "runbook.shutdown"),
        source: "PP guide (Internet) 1.1.4 (5), 1.2.4 (5)".to_string(),
    });
    RunbookSection {
        title: tr!(l, "runbook.title.finish"),
        steps,
    }
}

fn notes(cluster: &Cluster, plan: &Plan) -> RunbookSection {
    let l = plan.language;
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
                    fail_back(plan, group, &product.name, note_text(l, &note.text))
                } else {
                    tr!(
                        l,
                        "runbook.note",
                        product = product.name,
                        topic = crate::i18n::catalog_text(l, &note.topic),
                        note = note_text(l, &note.text),
                    )
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
        title: tr!(l, "runbook.title.notes"),
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
    let l = plan.language;
    let mut text = tr!(l, "runbook.fail_back", product = product, group = group.name);
    if partners.is_empty() {
        text.push_str(guide);
        return text;
    }
    text.push_str(&tr!(l, "runbook.fail_back.move", group = group.name, home = home));
    for (i, partner) in partners.iter().enumerate() {
        let sep = if i == 0 {
            ""
        } else {
            crate::i18n::text(l, "runbook.fail_back.and")
        };
        text.push_str(sep);
        text.push_str(&tr!(
            l,
            "runbook.fail_back.partner",
            group = partner.name,
            server = partner.policy[0],
        ));
    }
    text.push_str(crate::i18n::text(l, "runbook.fail_back.end"));
    text
}
