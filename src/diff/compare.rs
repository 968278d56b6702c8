//! The semantic comparison of two sides: every change, grouped by group and sorted by impact.
//!
//! Each part is compared only when both sides know it (`model.rs`), each by hash maps keyed by
//! names, so that the comparison is linear in the size of the two sides.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::change::{Change, Kind, Which};
use super::model::{GroupFacts, MonitorFacts, Origin, Side};
use super::text;

/// Every change from `old` to `new`, sorted: the cluster's first, then each group's, the
/// groups by their most disturbing change; within one, the most disturbing first.
pub fn compare(old: &Side, new: &Side) -> Vec<Change> {
    let mut out = Vec::new();
    cluster(old, new, &mut out);
    groups(old, new, &mut out);
    ports(old, new, &mut out);
    monitors(old, new, &mut out);
    scripts(old, new, &mut out);
    sort(&mut out);
    out
}

fn differs<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
    a.is_some() && b.is_some() && a != b
}

fn cluster(old: &Side, new: &Side, out: &mut Vec<Change>) {
    for (kind, what, a, b) in [
        (Kind::ClusterName, "cluster name", &old.cluster_name, &new.cluster_name),
        (Kind::Platform, "platform", &old.platform, &new.platform),
        (Kind::Language, "language", &old.language, &new.language),
    ] {
        if differs(a, b) {
            out.push(Change::new(kind, None, format!("the {what} changes")).values(a.clone(), b.clone()));
        }
    }
    if old.servers.is_empty() || new.servers.is_empty() {
        return;
    }
    let before: HashMap<&str, _> = old.servers.iter().map(|s| (s.name.as_str(), s)).collect();
    let after: HashMap<&str, _> = new.servers.iter().map(|s| (s.name.as_str(), s)).collect();
    for s in &new.servers {
        match before.get(s.name.as_str()) {
            None => out.push(
                Change::new(Kind::ServerAdded, None, format!("server {} is added", s.name))
                    .values(None, Some(s.interconnects.join(", ")))
                    .at(Which::New, s.span.clone()),
            ),
            Some(o) if o.interconnects != s.interconnects => out.push(
                Change::new(
                    Kind::Interconnects,
                    None,
                    format!("the interconnects of server {} change", s.name),
                )
                .values(Some(o.interconnects.join(", ")), Some(s.interconnects.join(", ")))
                .at(Which::New, s.span.clone()),
            ),
            Some(_) => {}
        }
    }
    for s in old.servers.iter().filter(|s| !after.contains_key(s.name.as_str())) {
        out.push(
            Change::new(Kind::ServerRemoved, None, format!("server {} is removed", s.name))
                .values(Some(s.interconnects.join(", ")), None)
                .at(Which::Old, s.span.clone()),
        );
    }
}

fn groups(old: &Side, new: &Side, out: &mut Vec<Change>) {
    let before: HashMap<&str, &GroupFacts> = old.groups.iter().map(|g| (g.name.as_str(), g)).collect();
    let after: HashSet<&str> = new.groups.iter().map(|g| g.name.as_str()).collect();
    for g in &new.groups {
        match before.get(g.name.as_str()) {
            Some(o) => group(o, g, old.shape && new.shape, out),
            None => {
                let apps = g
                    .apps
                    .as_ref()
                    .map(|a| a.iter().map(|a| a.id.as_str()).collect::<Vec<_>>());
                let apps = apps.map(|a| format!(" (apps: {})", a.join(", "))).unwrap_or_default();
                out.push(
                    Change::new(
                        Kind::GroupAdded,
                        Some(&g.name),
                        format!("group {} is added{apps}", g.name),
                    )
                    .values(None, Some(g.policy.join(", ")))
                    .at(Which::New, g.span.clone()),
                );
            }
        }
    }
    for g in old.groups.iter().filter(|g| !after.contains(g.name.as_str())) {
        out.push(
            Change::new(
                Kind::GroupRemoved,
                Some(&g.name),
                format!("group {} is removed", g.name),
            )
            .values(Some(g.policy.join(", ")), None)
            .at(Which::Old, g.span.clone()),
        );
    }
}

fn group(o: &GroupFacts, n: &GroupFacts, shape: bool, out: &mut Vec<Change>) {
    if shape {
        group_shape(o, n, out);
    }
    group_apps(o, n, out);
}

/// The failover policy, start order between groups, address, computer name, disk, control,
/// registry keys and manual-start services of a group.
fn group_shape(o: &GroupFacts, n: &GroupFacts, out: &mut Vec<Change>) {
    let name = n.name.as_str();
    let at_group = n.span.clone();
    if o.policy != n.policy && !o.policy.is_empty() && !n.policy.is_empty() {
        out.push(
            Change::new(Kind::FailoverPolicy, Some(name), "the failover policy changes".into())
                .values(Some(o.policy.join(", ")), Some(n.policy.join(", ")))
                .at(Which::New, n.policy_span.clone()),
        );
    }
    let o_after: HashSet<&str> = o.after.iter().map(|a| a.value.as_str()).collect();
    let n_after: HashSet<&str> = n.after.iter().map(|a| a.value.as_str()).collect();
    for a in n.after.iter().filter(|a| !o_after.contains(a.value.as_str())) {
        out.push(
            Change::new(
                Kind::GroupOrderAdded,
                Some(name),
                format!("group {name} now starts after group {} (its `after`)", a.value),
            )
            .at(Which::New, a.span.clone())
            .at(Which::New, at_group.clone()),
        );
    }
    for a in o.after.iter().filter(|a| !n_after.contains(a.value.as_str())) {
        out.push(
            Change::new(
                Kind::GroupOrderRemoved,
                Some(name),
                format!("group {name} no longer starts after group {}", a.value),
            )
            .at(Which::New, at_group.clone()),
        );
    }
    let value = |p: &Option<super::model::Placed<String>>| p.as_ref().map(|p| p.value.clone());
    if value(&o.fip) != value(&n.fip) && o.fip.is_some() && n.fip.is_some() {
        out.push(
            Change::new(Kind::FloatingIp, Some(name), "the floating IP address changes".into())
                .values(value(&o.fip), value(&n.fip))
                .at(Which::New, n.fip.as_ref().and_then(|f| f.span.clone())),
        );
    }
    if value(&o.computer_name) != value(&n.computer_name) {
        out.push(
            Change::new(
                Kind::ComputerName,
                Some(name),
                "the virtual computer name changes".into(),
            )
            .values(value(&o.computer_name), value(&n.computer_name))
            .at(Which::New, n.computer_name.as_ref().and_then(|f| f.span.clone()))
            .at(Which::New, at_group.clone()),
        );
    }
    let disk = |g: &GroupFacts| g.disk.as_ref().map(|d| d.value.clone());
    if disk(o) != disk(n) {
        let shown = |d: Option<super::model::DiskFacts>| {
            d.map(|d| {
                let guids: Vec<String> = d.guids.iter().map(|(s, g)| format!("{s}={g}")).collect();
                if guids.is_empty() {
                    format!("{}:", d.drive)
                } else {
                    format!("{}: ({})", d.drive, guids.join(", "))
                }
            })
        };
        let summary = match (disk(o), disk(n)) {
            (None, Some(_)) => "a shared disk is added".to_string(),
            (Some(_), None) => "the shared disk is removed".to_string(),
            (Some(a), Some(b)) if a.drive != b.drive => "the shared disk's drive letter changes".to_string(),
            _ => "the shared disk's volume GUIDs change".to_string(),
        };
        out.push(
            Change::new(Kind::Disk, Some(name), summary)
                .values(shown(disk(o)), shown(disk(n)))
                .at(Which::New, n.disk.as_ref().and_then(|d| d.span.clone()))
                .at(Which::New, at_group.clone()),
        );
    }
    let mirror = |g: &GroupFacts| g.mirror.as_ref().map(|m| m.value.clone());
    if mirror(o) != mirror(n) {
        let shown = |m: Option<super::model::MirrorFacts>| {
            m.map(|m| {
                let guids: Vec<String> = m
                    .guids
                    .iter()
                    .map(|(s, data, cluster)| format!("{s}={data}/{cluster}"))
                    .collect();
                let mut text = format!("data partition {}:, cluster partition {}:", m.drive, m.cluster_drive);
                if !guids.is_empty() {
                    text.push_str(&format!(" ({})", guids.join(", ")));
                }
                if !m.connects.is_empty() {
                    let connects: Vec<String> = m
                        .connects
                        .iter()
                        .map(|c| {
                            c.iter()
                                .map(|(s, ip)| format!("{s}={ip}"))
                                .collect::<Vec<_>>()
                                .join(" ")
                        })
                        .collect();
                    text.push_str(&format!("; mirror connects in priority order: {}", connects.join(", ")));
                }
                text
            })
        };
        let summary = match (mirror(o), mirror(n)) {
            (None, Some(m)) => format!("a mirror disk is added (data partition {}:)", m.drive),
            (Some(m), None) => format!("the mirror disk is removed (data partition {}:)", m.drive),
            (Some(a), Some(b)) if a.drive != b.drive || a.cluster_drive != b.cluster_drive => {
                "the mirror disk's drive letters change".to_string()
            }
            (Some(a), Some(b)) if a.guids != b.guids => "the mirror disk's volume GUIDs change".to_string(),
            _ => "the mirror disk's mirror connects change".to_string(),
        };
        out.push(
            Change::new(Kind::Mirror, Some(name), summary)
                .values(shown(mirror(o)), shown(mirror(n)))
                .at(Which::New, n.mirror.as_ref().and_then(|m| m.span.clone()))
                .at(Which::New, at_group.clone()),
        );
    }
    if differs(&o.control, &n.control) {
        out.push(
            Change::new(
                Kind::Control,
                Some(name),
                "how the services are controlled changes".into(),
            )
            .values(o.control.clone(), n.control.clone())
            .at(Which::New, at_group.clone()),
        );
    }
    let o_keys: Vec<String> = o.registry.iter().map(|r| r.value.clone()).collect();
    let n_keys: Vec<String> = n.registry.iter().map(|r| r.value.clone()).collect();
    let spans: HashMap<&str, _> = n.registry.iter().map(|r| (r.value.as_str(), r.span.clone())).collect();
    let mut registry = Vec::new();
    multiset(
        &o_keys,
        &n_keys,
        |k| {
            Change::new(
                Kind::RegistryAdded,
                Some(name),
                format!("registry key {k} is synchronized"),
            )
            .at(Which::New, spans.get(k.as_str()).cloned().flatten())
        },
        |k| {
            Change::new(
                Kind::RegistryRemoved,
                Some(name),
                format!("registry key {k} is no longer synchronized"),
            )
        },
        &mut registry,
    );
    out.extend(registry.into_iter().map(|c| c.at(Which::New, at_group.clone())));
    if let (Some(om), Some(nm)) = (&o.manual_start, &n.manual_start) {
        let pairs = |g: &GroupFacts, m: &[String]| -> BTreeMap<String, Vec<String>> {
            g.policy.iter().map(|s| (s.clone(), m.to_vec())).collect()
        };
        let (before, after) = (pairs(o, om), pairs(n, nm));
        let added = pair_difference(&after, &before);
        let dropped = pair_difference(&before, &after);
        if !added.is_empty() {
            out.push(
                Change::new(
                    Kind::ManualStartAdded,
                    Some(name),
                    "services must be set to startup type Manual".into(),
                )
                .values(None, Some(format!("set to startup type Manual and stop {added}")))
                .at(Which::New, at_group.clone()),
            );
        }
        if !dropped.is_empty() {
            out.push(
                Change::new(
                    Kind::ManualStartDropped,
                    Some(name),
                    "services are no longer started by the cluster; they may get back their own startup type".into(),
                )
                .values(Some(format!("manual {dropped}")), None)
                .at(Which::New, at_group),
            );
        }
    }
}

/// The apps, services and start-order edges of a group.
fn group_apps(o: &GroupFacts, n: &GroupFacts, out: &mut Vec<Change>) {
    let name = n.name.as_str();
    let at_group = n.span.clone();
    if let (Some(oa), Some(na)) = (&o.apps, &n.apps) {
        let before: HashMap<&str, _> = oa.iter().map(|a| (a.id.as_str(), a)).collect();
        let after: HashSet<&str> = na.iter().map(|a| a.id.as_str()).collect();
        let product = |a: &super::model::AppFacts| match &a.version {
            Some(v) => format!("{} {v}", a.product),
            None => a.product.clone(),
        };
        for a in na {
            match before.get(a.id.as_str()) {
                None => out.push(
                    Change::new(Kind::AppAdded, Some(name), format!("app {} is added", a.id))
                        .values(None, Some(product(a)))
                        .at(Which::New, a.span.clone()),
                ),
                Some(b) if product(b) != product(a) => out.push(
                    Change::new(
                        Kind::AppChanged,
                        Some(name),
                        format!("app {} changes product or version", a.id),
                    )
                    .values(Some(product(b)), Some(product(a)))
                    .at(Which::New, a.span.clone()),
                ),
                Some(_) => {}
            }
        }
        for a in oa.iter().filter(|a| !after.contains(a.id.as_str())) {
            out.push(
                Change::new(Kind::AppRemoved, Some(name), format!("app {} is removed", a.id))
                    .values(Some(product(a)), None)
                    .at(Which::New, at_group.clone()),
            );
        }
    }
    if let (Some(os), Some(ns)) = (&o.services, &n.services) {
        services(name, os, ns, at_group.clone(), out);
    } else {
        multiset(
            &o.service_resources,
            &n.service_resources,
            |s| {
                Change::new(
                    Kind::ServiceResourceAdded,
                    Some(name),
                    format!("service resource for {s} is added"),
                )
            },
            |s| {
                Change::new(
                    Kind::ServiceResourceRemoved,
                    Some(name),
                    format!("service resource for {s} is removed"),
                )
            },
            out,
        );
    }
    if let (Some(oe), Some(ne)) = (&o.edges, &n.edges) {
        let key = |e: &super::model::EdgeFacts| (e.from.clone(), e.to.clone(), e.kind);
        let before: HashSet<_> = oe.iter().map(key).collect();
        let after: HashSet<_> = ne.iter().map(key).collect();
        for e in ne.iter().filter(|e| !before.contains(&key(e))) {
            out.push(
                Change::new(
                    Kind::EdgeAdded,
                    Some(name),
                    format!("{} now starts after {} ({}: {})", e.to, e.from, e.kind, e.reason),
                )
                .at(Which::New, e.span.clone()),
            );
        }
        for e in oe.iter().filter(|e| !after.contains(&key(e))) {
            out.push(
                Change::new(
                    Kind::EdgeRemoved,
                    Some(name),
                    format!(
                        "{} no longer starts after {} (was {}: {})",
                        e.to, e.from, e.kind, e.reason
                    ),
                )
                .at(Which::New, at_group.clone()),
            );
        }
    }
}

/// The services of `a` missing from `b`, by server: `on n1: A, B; on n2: C`.
fn pair_difference(a: &BTreeMap<String, Vec<String>>, b: &BTreeMap<String, Vec<String>>) -> String {
    let mut parts = Vec::new();
    for (server, services) in a {
        let other: HashSet<&str> = b
            .get(server)
            .map(|s| s.iter().map(String::as_str).collect())
            .unwrap_or_default();
        let missing: Vec<&str> = services
            .iter()
            .map(String::as_str)
            .filter(|s| !other.contains(s))
            .collect();
        if !missing.is_empty() {
            parts.push(format!("on {server}: {}", missing.join(", ")));
        }
    }
    parts.join("; ")
}

fn services(
    name: &str,
    os: &[super::model::ServiceFacts],
    ns: &[super::model::ServiceFacts],
    at_group: Option<crate::diag::Span>,
    out: &mut Vec<Change>,
) {
    let key = |s: &super::model::ServiceFacts| (s.app.clone(), s.name.clone());
    let before: HashMap<_, _> = os.iter().map(|s| (key(s), s)).collect();
    let after: HashSet<_> = ns.iter().map(key).collect();
    let options = |s: &super::model::ServiceFacts| {
        let mut o = format!("watch id {}", s.watch_id);
        if s.monitor {
            o.push_str(", /M");
        }
        if s.failover {
            o.push_str(", /FOV");
        }
        o
    };
    for s in ns {
        match before.get(&key(s)) {
            None => out.push(
                Change::new(
                    Kind::ServiceAdded,
                    Some(name),
                    format!("service {} (app {}) is started and stopped", s.name, s.app),
                )
                .values(None, Some(options(s)))
                .at(Which::New, s.span.clone()),
            ),
            Some(b) if options(b) != options(s) => out.push(
                Change::new(
                    Kind::ServiceChanged,
                    Some(name),
                    format!("service {} (app {}) changes how it is watched", s.name, s.app),
                )
                .values(Some(options(b)), Some(options(s)))
                .at(Which::New, s.span.clone()),
            ),
            Some(_) => {}
        }
    }
    for s in os.iter().filter(|s| !after.contains(&key(s))) {
        out.push(
            Change::new(
                Kind::ServiceRemoved,
                Some(name),
                format!("service {} (app {}) is no longer started", s.name, s.app),
            )
            .values(Some(options(s)), None)
            .at(Which::New, at_group.clone()),
        );
    }
    let common_old: Vec<&str> = os
        .iter()
        .filter(|s| after.contains(&key(s)))
        .map(|s| s.name.as_str())
        .collect();
    let common_new: Vec<&str> = ns
        .iter()
        .filter(|s| before.contains_key(&key(s)))
        .map(|s| s.name.as_str())
        .collect();
    if common_old != common_new {
        out.push(
            Change::new(
                Kind::StartOrder,
                Some(name),
                "the services start in another order".into(),
            )
            .values(Some(common_old.join(", ")), Some(common_new.join(", ")))
            .at(Which::New, at_group),
        );
    }
}

/// Items of `new` beyond their count in `old` become `added`, and the other way `removed`.
fn multiset(
    old: &[String],
    new: &[String],
    added: impl Fn(&String) -> Change,
    removed: impl Fn(&String) -> Change,
    out: &mut Vec<Change>,
) {
    let mut count: HashMap<&str, i64> = HashMap::new();
    for s in old {
        *count.entry(s).or_default() += 1;
    }
    for s in new {
        let c = count.entry(s).or_default();
        if *c > 0 {
            *c -= 1;
        } else {
            out.push(added(s));
        }
    }
    let mut left: HashMap<&str, i64> = count;
    for s in old {
        if let Some(c) = left.get_mut(s.as_str())
            && *c > 0
        {
            *c -= 1;
            out.push(removed(s));
        }
    }
}

fn ports(old: &Side, new: &Side, out: &mut Vec<Change>) {
    let (Some(op), Some(np)) = (&old.ports, &new.ports) else {
        return;
    };
    let before: HashSet<&str> = op.iter().map(|p| p.rule.as_str()).collect();
    let after: HashSet<&str> = np.iter().map(|p| p.rule.as_str()).collect();
    for p in np.iter().filter(|p| !before.contains(p.rule.as_str())) {
        out.push(
            Change::new(
                Kind::PortOpen,
                None,
                format!("the packet filter must allow {} ({}; {})", p.rule, p.purpose, p.source),
            )
            .values(None, Some(p.rule.clone()))
            .at(Which::New, p.span.clone()),
        );
    }
    for p in op.iter().filter(|p| !after.contains(p.rule.as_str())) {
        out.push(
            Change::new(
                Kind::PortClose,
                None,
                format!("the packet filter may close {} (was: {})", p.rule, p.purpose),
            )
            .values(Some(p.rule.clone()), None),
        );
    }
}

/// Monitors are compared when a side was read from a clp.conf or a package: between two
/// cluster files they follow from the other changes. A monitor is matched by what it watches;
/// one left on each side with the same name has changed its target.
fn monitors(old: &Side, new: &Side, out: &mut Vec<Change>) {
    let (Some(om), Some(nm)) = (&old.monitors, &new.monitors) else {
        return;
    };
    if old.origin == Origin::ClusterFile && new.origin == Origin::ClusterFile {
        return;
    }
    let key = |m: &MonitorFacts| (m.kind.clone(), m.target.clone());
    let mut count: HashMap<(String, String), i64> = HashMap::new();
    for m in om {
        *count.entry(key(m)).or_default() += 1;
    }
    let mut added: Vec<&MonitorFacts> = Vec::new();
    for m in nm {
        let c = count.entry(key(m)).or_default();
        if *c > 0 {
            *c -= 1;
        } else {
            added.push(m);
        }
    }
    let mut removed: Vec<&MonitorFacts> = Vec::new();
    for m in om {
        if let Some(c) = count.get_mut(&key(m))
            && *c > 0
        {
            *c -= 1;
            removed.push(m);
        }
    }
    let removed_by_name: HashMap<&str, &MonitorFacts> = removed.iter().map(|m| (m.name.as_str(), *m)).collect();
    let mut retargeted: HashSet<&str> = HashSet::new();
    for m in added {
        match removed_by_name.get(m.name.as_str()) {
            Some(r) if r.kind == m.kind => {
                retargeted.insert(&r.name);
                out.push(
                    Change::new(
                        Kind::MonitorTarget,
                        None,
                        format!("monitor {} ({}) watches another target", m.name, m.kind),
                    )
                    .values(Some(r.target.clone()), Some(m.target.clone())),
                );
            }
            _ => out.push(
                Change::new(
                    Kind::MonitorAdded,
                    None,
                    format!("monitor {} ({}) is added", m.name, m.kind),
                )
                .values(None, Some(m.target.clone())),
            ),
        }
    }
    for m in removed.iter().filter(|m| !retargeted.contains(m.name.as_str())) {
        out.push(
            Change::new(
                Kind::MonitorRemoved,
                None,
                format!("monitor {} ({}) is removed", m.name, m.kind),
            )
            .values(Some(m.target.clone()), None),
        );
    }
}

fn scripts(old: &Side, new: &Side, out: &mut Vec<Change>) {
    let (Some(os), Some(ns)) = (&old.scripts, &new.scripts) else {
        return;
    };
    let paths: BTreeSet<&String> = os.keys().chain(ns.keys()).collect();
    for path in paths {
        let group = path.split('/').nth(1);
        let (kind, summary) = match (os.get(path), ns.get(path)) {
            (Some(a), Some(b)) if a == b => continue,
            (Some(_), Some(_)) => (Kind::ScriptChanged, format!("{path} changes")),
            (None, _) => (Kind::ScriptAdded, format!("{path} is added")),
            (_, None) => (Kind::ScriptRemoved, format!("{path} is removed")),
        };
        let empty = String::new();
        let a = os.get(path).unwrap_or(&empty);
        let b = ns.get(path).unwrap_or(&empty);
        let mut change = Change::new(kind, group, summary);
        change.text_diff = Some(text::unified(a, b, &format!("a/{path}"), &format!("b/{path}")));
        out.push(change);
    }
}

/// Cluster-wide changes first, then the groups by their most disturbing change (then name);
/// within each, the most disturbing first, then by kind and wording.
fn sort(changes: &mut [Change]) {
    let mut top: HashMap<Option<String>, u8> = HashMap::new();
    for c in changes.iter() {
        let t = top.entry(c.group.clone()).or_default();
        *t = (*t).max(c.method.impact());
    }
    changes.sort_by(|a, b| {
        let rank = |c: &Change| (c.group.is_some(), std::cmp::Reverse(top[&c.group]), c.group.clone());
        rank(a)
            .cmp(&rank(b))
            .then_with(|| b.method.impact().cmp(&a.method.impact()))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.summary.cmp(&b.summary))
    });
}
