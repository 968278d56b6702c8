//! clp.conf read back (with support/xml.rs) and compared with the plan it was emitted from:
//! each server (priority, interconnects), group (failover policy, inter-group waits,
//! members), resource (name, type, dependency chain, address, drive, volume GUIDs, registry
//! keys, service name) and monitor (type and target) is exactly what `check_and_plan`
//! decided, and nothing else is there. Used by tests/clpconf_plan.rs for the examples and by
//! tests/properties.rs for generated clusters.

// Each test crate uses a different part of this module.
#![allow(dead_code)]

use std::collections::BTreeSet;

use hagen::catalog::Catalog;
use hagen::pipeline::check_and_plan;
use hagen::plan::{Plan, PlanGroup, ResourceKind};
use hagen::source::SourceFile;

use super::xml::{self, Element};

/// The plan of a clean file and its clp.conf parsed (`None` on ARM platforms, which have none).
fn plan_and_conf(name: &str, text: &str) -> (Plan, Option<Element>) {
    let file = SourceFile::new(name, text);
    let (diagnostics, plan) = check_and_plan(&file, Catalog::builtin(), true);
    let plan = plan.unwrap_or_else(|| panic!("{name} does not check clean: {diagnostics:?}"));
    let package = hagen::emit::package(&plan);
    let conf = package.iter().find(|(path, _)| path == "clp.conf").map(|(_, bytes)| {
        // SJIS for `ja`, ASCII for `en`: Shift_JIS decodes both.
        let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(bytes);
        assert!(!bad, "{name}: clp.conf is not Shift_JIS");
        xml::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
    });
    assert_eq!(conf.is_some(), plan.platform.has_clp_conf(), "{name}");
    (plan, conf)
}

fn children<'a>(e: &'a Element, name: &str) -> Vec<&'a Element> {
    e.children.iter().filter(|c| c.name == name).collect()
}

fn one<'a>(e: &'a Element, name: &str) -> &'a Element {
    let found = children(e, name);
    assert_eq!(found.len(), 1, "<{}> has {} <{name}>", e.name, found.len());
    found[0]
}

fn text(e: &Element, path: &str) -> String {
    path.split('/').fold(e, one).text.trim().to_string()
}

fn attr(e: &Element, key: &str) -> String {
    e.attr(key)
        .unwrap_or_else(|| panic!("<{}> has no {key}", e.name))
        .to_string()
}

/// `<depend name=..>` of a resource: the resource before it in the chain.
fn depends(e: &Element) -> Vec<String> {
    children(e, "depend").iter().map(|d| attr(d, "name")).collect()
}

fn check_servers(plan: &Plan, root: &Element) {
    let servers = children(root, "server");
    let names: Vec<String> = servers.iter().map(|s| attr(s, "name")).collect();
    let planned: Vec<String> = plan.servers.iter().map(|s| s.name.clone()).collect();
    assert_eq!(names, planned);
    for (xml, planned) in servers.iter().zip(&plan.servers) {
        assert_eq!(text(xml, "priority"), planned.priority.to_string(), "{}", planned.name);
        let lans: Vec<String> = children(xml, "device")
            .iter()
            .filter(|d| text(d, "type") == "lan")
            .map(|d| text(d, "info"))
            .collect();
        let interconnects: Vec<String> = planned.interconnects.iter().map(|i| i.to_string()).collect();
        assert_eq!(lans, interconnects, "{}", planned.name);
        // The mirror connects this server is on (`mdc` devices), and the ping device.
        let mdcs: Vec<(String, String, String)> = children(xml, "device")
            .iter()
            .filter(|d| text(d, "type") == "mdc")
            .map(|d| (attr(d, "id"), text(d, "info"), text(d, "mdc/info")))
            .collect();
        let planned_mdcs: Vec<(String, String, String)> = plan
            .mirror_connects
            .iter()
            .filter_map(|c| {
                let ip = c.addresses.iter().find(|(s, _)| *s == planned.name)?.1.to_string();
                Some((c.device.to_string(), ip.clone(), ip))
            })
            .collect();
        assert_eq!(mdcs, planned_mdcs, "{}: mdc devices", planned.name);
        let pings: Vec<(String, String)> = children(xml, "device")
            .iter()
            .filter(|d| text(d, "type") == "ping")
            .map(|d| (attr(d, "id"), text(d, "info")))
            .collect();
        let planned_pings: Vec<(String, String)> = if plan.ping_targets.is_empty() {
            Vec::new()
        } else {
            vec![("10200".to_string(), "1".to_string())]
        };
        assert_eq!(pings, planned_pings, "{}: ping device", planned.name);
    }
}

/// The group's `depend/act` (groups it starts after) and `depend/deact` (groups that start
/// after it, stopped first).
fn check_group_waits(plan: &Plan, group: &PlanGroup, xml: &Element) {
    let waits = |kind: &str| -> BTreeSet<String> {
        children(xml, "depend")
            .iter()
            .flat_map(|d| children(d, kind))
            .flat_map(|k| children(k, "depend"))
            .map(|d| attr(d, "name"))
            .collect()
    };
    let after: BTreeSet<String> = group.after.iter().cloned().collect();
    let before: BTreeSet<String> = plan
        .groups
        .iter()
        .filter(|g| g.after.contains(&group.name))
        .map(|g| g.name.clone())
        .collect();
    assert_eq!(waits("act"), after, "{}: starts after", group.name);
    assert_eq!(waits("deact"), before, "{}: stops before", group.name);
}

/// The resource element of a type and name below `<resource>`.
fn resource<'a>(resources: &'a Element, kind: ResourceKind, name: &str) -> &'a Element {
    let found: Vec<&Element> = children(resources, kind.type_name())
        .into_iter()
        .filter(|r| r.attr("name") == Some(name))
        .collect();
    assert_eq!(found.len(), 1, "{}@{name}", kind.type_name());
    found[0]
}

fn check_group_resources(plan: &Plan, group: &PlanGroup, xml: &Element, resources: &Element) {
    let chain = group.resource_chain();
    let members: Vec<String> = children(xml, "resource").iter().map(|r| attr(r, "name")).collect();
    let planned: Vec<String> = chain
        .iter()
        .map(|(kind, name)| format!("{}@{name}", kind.type_name()))
        .collect();
    assert_eq!(members, planned, "{}: members", group.name);
    for (i, (kind, name)) in chain.iter().enumerate() {
        let r = resource(resources, *kind, name);
        let before: Vec<String> = chain[..i].last().map(|(_, n)| n.to_string()).into_iter().collect();
        assert_eq!(
            depends(r),
            before,
            "{}: {name} depends on the one before it",
            group.name
        );
    }
    let fip = resource(resources, ResourceKind::Fip, &group.fip.name);
    assert_eq!(text(fip, "parameters/ip"), group.fip.value.to_string());
    if let Some(vcom) = &group.vcom {
        let r = resource(resources, ResourceKind::Vcom, &vcom.name);
        assert_eq!(text(r, "parameters/vcomname"), vcom.value);
        assert_eq!(text(r, "parameters/target"), group.fip.name);
    }
    if let Some(disk) = &group.disk {
        let r = resource(resources, ResourceKind::Sd, &disk.name);
        assert_eq!(text(r, "parameters/volumemountpoint"), disk.value.drive.to_string());
        let guids: Vec<(String, String)> = children(r, "server")
            .iter()
            .map(|s| (attr(s, "name"), text(s, "parameters/volumeguid")))
            .collect();
        let planned: Vec<(String, String)> = disk
            .value
            .guids
            .iter()
            .map(|(s, g)| (s.clone(), g.trim_matches(['{', '}']).to_string()))
            .collect();
        assert_eq!(guids, planned, "{}: volume GUIDs", group.name);
    }
    if let Some(mirror) = &group.mirror {
        let r = resource(resources, ResourceKind::Md, &mirror.name);
        assert_eq!(text(r, "parameters/volumemountpoint"), mirror.value.drive.to_string());
        assert_eq!(
            text(r, "parameters/cpvolumemountpoint"),
            mirror.value.cluster_drive.to_string()
        );
        let guids: Vec<(String, String, String)> = children(r, "server")
            .iter()
            .map(|s| {
                (
                    attr(s, "name"),
                    text(s, "parameters/volumeguid"),
                    text(s, "parameters/cpvolumeguid"),
                )
            })
            .collect();
        let bare = |g: &str| g.trim_matches(['{', '}']).to_ascii_lowercase();
        let planned: Vec<(String, String, String)> = mirror
            .value
            .guids
            .iter()
            .map(|(s, d, c)| (s.clone(), bare(d), bare(c)))
            .collect();
        assert_eq!(guids, planned, "{}: mirror GUIDs", group.name);
        let netdevs: Vec<(String, String, String, String)> = children(one(r, "parameters"), "netdev")
            .iter()
            .map(|n| {
                (
                    attr(n, "id"),
                    text(n, "priority"),
                    text(n, "device"),
                    text(n, "mdcname"),
                )
            })
            .collect();
        let planned: Vec<(String, String, String, String)> = mirror
            .value
            .connects
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                let connect = &plan.mirror_connects[c];
                (
                    i.to_string(),
                    (i + 1).to_string(),
                    connect.device.to_string(),
                    connect.name.clone(),
                )
            })
            .collect();
        assert_eq!(netdevs, planned, "{}: mirror connects", group.name);
    }
    if let Some(regsync) = &group.regsync {
        let r = resource(resources, ResourceKind::Regsync, &regsync.name);
        let keys: Vec<(String, String)> = children(one(r, "parameters"), "list")
            .iter()
            .map(|l| (attr(l, "id"), text(l, "key")))
            .collect();
        let planned: Vec<(String, String)> = regsync
            .value
            .iter()
            .enumerate()
            .map(|(i, k)| (i.to_string(), k.key.clone()))
            .collect();
        assert_eq!(keys, planned, "{}: registry keys", group.name);
    }
    for service in &group.service_resources {
        let r = resource(resources, ResourceKind::Service, &service.name);
        assert_eq!(text(r, "parameters/name"), service.value.service);
    }
}

/// Every monitor (type, target): the cluster's `userw`, then per group one per address,
/// disk and registry resource, and one per watchable service resource.
fn check_monitors(plan: &Plan, root: &Element) {
    let monitors = one(root, "monitor");
    let found: BTreeSet<(String, String)> = monitors
        .children
        .iter()
        .filter(|m| m.name != "types")
        .map(|m| (m.name.clone(), text(m, "target")))
        .collect();
    let mut planned = BTreeSet::from([("userw".to_string(), String::new())]);
    for g in &plan.groups {
        planned.insert(("fipw".into(), g.fip.name.clone()));
        planned.extend(g.disk.iter().map(|d| ("sdw".to_string(), d.name.clone())));
        // mdw and mdnw name the mirror disk in `relation` and `parameters/object`, not `target`.
        planned.extend(
            g.mirror
                .iter()
                .flat_map(|_| [("mdw".to_string(), String::new()), ("mdnw".to_string(), String::new())]),
        );
        planned.extend(g.regsync.iter().map(|r| ("regsyncw".to_string(), r.name.clone())));
        planned.extend(
            g.service_resources
                .iter()
                .filter(|s| s.value.watchable)
                .map(|s| ("servicew".to_string(), s.name.clone())),
        );
    }
    assert_eq!(found, planned, "monitors");
    let types: BTreeSet<String> = children(monitors, "types").iter().map(|t| attr(t, "name")).collect();
    let used: BTreeSet<String> = planned.iter().map(|(t, _)| t.clone()).collect();
    assert_eq!(types, used, "monitor types");
}

/// Checks the clp.conf of a clean file against its plan; `false` when the platform has no
/// clp.conf (the ARM generation).
pub fn check(name: &str, text_of_file: &str) -> bool {
    let (plan, conf) = plan_and_conf(name, text_of_file);
    let Some(root) = conf else { return false };
    assert_eq!(text(&root, "cluster/name"), plan.cluster_name, "{name}");
    check_servers(&plan, &root);
    let groups = children(&root, "group");
    let names: Vec<String> = groups.iter().map(|g| attr(g, "name")).collect();
    let planned: Vec<String> = plan.groups.iter().map(|g| g.name.clone()).collect();
    assert_eq!(names, planned, "{name}: groups");
    let resources = one(&root, "resource");
    let mut every: BTreeSet<(String, String)> = BTreeSet::new();
    for (xml, group) in groups.iter().zip(&plan.groups) {
        let policy: Vec<(String, String)> = children(xml, "policy")
            .iter()
            .map(|p| (attr(p, "name"), text(p, "order")))
            .collect();
        let planned: Vec<(String, String)> = group
            .policy
            .iter()
            .enumerate()
            .map(|(i, s)| (s.clone(), i.to_string()))
            .collect();
        assert_eq!(policy, planned, "{name}: policy of {}", group.name);
        check_group_waits(&plan, group, xml);
        check_group_resources(&plan, group, xml, resources);
        every.extend(
            group
                .resource_chain()
                .iter()
                .map(|(k, n)| (k.type_name().to_string(), n.to_string())),
        );
    }
    // No resource that no group's chain names.
    let present: BTreeSet<(String, String)> = resources
        .children
        .iter()
        .filter(|r| r.name != "types")
        .map(|r| (r.name.clone(), attr(r, "name")))
        .collect();
    assert_eq!(present, every, "{name}: resources");
    check_monitors(&plan, &root);
    true
}
