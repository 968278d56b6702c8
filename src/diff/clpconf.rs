//! A clp.conf read into the terms of a diff: its servers, each group's failover policy, start
//! order between groups, address, computer name, shared disk, registry keys and service
//! resources, and its monitors; what else it holds is listed once as ignored.
//!
//! The elements are read through the importer's reader (`import::xml`), as NEC's tools write
//! them (FACTS.md section 3; `nec-docs/ResourceParameters_Windows_jp.md`,
//! `GroupParameters_Windows_jp.md`). Every lookup is through a hash map, so a 1,000-group
//! clp.conf is read in one pass.

use std::collections::{BTreeSet, HashMap};

use super::model::{DiskFacts, GroupFacts, MirrorFacts, MonitorFacts, Origin, Placed, ServerFacts, Side};
use crate::import::xml::{self, Element};

/// The resource types hagen writes and a diff compares.
const DESCRIBED: [&str; 7] = ["fip", "vcom", "sd", "md", "regsync", "script", "service"];

/// The top-level elements a diff reads; any other is listed as ignored.
const READ: [&str; 8] = [
    "all",
    "cluster",
    "server",
    "heartbeat",
    "group",
    "resource",
    "monitor",
    "webmgr",
];

/// Reads clp.conf bytes into a side (`origin` is `ClpConf`, or `Package` for a package's).
pub fn read(name: &str, bytes: &[u8], origin: Origin) -> Result<Side, String> {
    let document = xml::parse_clpconf(bytes)?;
    let root = document.root;
    let mut ignored = BTreeSet::new();
    for child in &root.children {
        if !READ.contains(&child.name.as_str()) {
            ignored.insert(format!("<{}> settings", child.name));
        }
    }
    if root
        .get("heartbeat")
        .is_some_and(|h| h.children.iter().any(|c| c.name != "types" && c.name != "lankhb"))
    {
        ignored.insert("heartbeats other than LAN heartbeats (lankhb)".to_string());
    }
    let resources = resource_index(&root);
    let mdcs = mirror_connects(&root);
    let mut described: HashMap<String, String> = HashMap::new();
    let mut groups = Vec::new();
    for group in root.all("group") {
        groups.push(group_facts(group, &resources, &mdcs, &mut described, &mut ignored));
    }
    let monitors = monitors(&root, &described, &mut ignored);
    Ok(Side {
        origin,
        name: name.to_string(),
        text: None,
        cluster_name: root.text_at("cluster/name").map(str::to_string),
        platform: None,
        language: None,
        servers: servers(&root),
        groups,
        shape: true,
        ports: None,
        scripts: None,
        monitors: Some(monitors),
        ignored: ignored.into_iter().collect(),
    })
}

/// `(type, name)` -> the resource's element under `<resource>`.
fn resource_index(root: &Element) -> HashMap<(&str, &str), &Element> {
    let mut index = HashMap::new();
    if let Some(all) = root.get("resource") {
        for e in all.children.iter().filter(|e| e.name != "types") {
            if let Some(name) = e.attribute("name") {
                index.entry((e.name.as_str(), name)).or_insert(e);
            }
        }
    }
    index
}

/// Each `mdc` device id -> every server's address on it, sorted by server (NEC's two-node
/// mirror sample: `<server><device id="400"><type>mdc</type><info>ADDRESS</info>`).
fn mirror_connects(root: &Element) -> HashMap<String, Vec<(String, String)>> {
    let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for server in root.all("server") {
        let Some(name) = server.attribute("name") else { continue };
        for device in server.all("device").filter(|d| d.text_at("type") == Some("mdc")) {
            if let (Some(id), Some(info)) = (device.attribute("id"), device.text_at("info")) {
                out.entry(id.to_string())
                    .or_default()
                    .push((name.to_string(), info.to_string()));
            }
        }
    }
    for addresses in out.values_mut() {
        addresses.sort();
    }
    out
}

/// The servers in priority order, each with the LAN devices its LAN heartbeats use.
fn servers(root: &Element) -> Vec<ServerFacts> {
    let mut devices: Vec<(u32, String)> = root
        .get("heartbeat")
        .map(|h| {
            h.all("lankhb")
                .filter_map(|k| {
                    let priority = k.text_at("priority").and_then(|p| p.parse().ok()).unwrap_or(u32::MAX);
                    Some((priority, k.text_at("device")?.to_string()))
                })
                .collect()
        })
        .unwrap_or_default();
    devices.sort();
    let mut servers: Vec<(u32, ServerFacts)> = root
        .all("server")
        .filter_map(|s| {
            let by_id: HashMap<&str, &str> = s
                .all("device")
                .filter(|d| d.text_at("type") == Some("lan"))
                .filter_map(|d| Some((d.attribute("id")?, d.text_at("info")?)))
                .collect();
            let interconnects = devices
                .iter()
                .filter_map(|(_, id)| by_id.get(id.as_str()).map(|i| i.to_string()))
                .collect();
            let priority = s.text_at("priority").and_then(|p| p.parse().ok()).unwrap_or(u32::MAX);
            Some((
                priority,
                ServerFacts {
                    name: s.attribute("name")?.to_string(),
                    interconnects,
                    span: None,
                },
            ))
        })
        .collect();
    servers.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
    servers.into_iter().map(|(_, s)| s).collect()
}

fn group_facts(
    group: &Element,
    resources: &HashMap<(&str, &str), &Element>,
    mdcs: &HashMap<String, Vec<(String, String)>>,
    described: &mut HashMap<String, String>,
    ignored: &mut BTreeSet<String>,
) -> GroupFacts {
    let name = group.attribute("name").unwrap_or_default().to_string();
    let mut policy: Vec<(u32, &str)> = group
        .all("policy")
        .filter_map(|p| {
            let order = p.text_at("order").and_then(|o| o.parse().ok()).unwrap_or(u32::MAX);
            Some((order, p.attribute("name")?))
        })
        .collect();
    policy.sort();
    let after = group
        .get("depend")
        .and_then(|d| d.get("act"))
        .map(|act| {
            act.all("depend")
                .filter_map(|d| d.attribute("name"))
                .map(|n| Placed::new(n.to_string(), None))
                .collect()
        })
        .unwrap_or_default();
    let mut facts = GroupFacts {
        policy: policy.into_iter().map(|(_, s)| s.to_string()).collect(),
        after,
        ..GroupFacts::default()
    };
    for full in group.all("resource").filter_map(|r| r.attribute("name")) {
        let (kind, rname) = full.split_once('@').unwrap_or(("", full));
        let element = resources.get(&(kind, rname)).copied();
        let text = |path: &str| element.and_then(|e| e.text_at(path)).map(str::to_string);
        if !DESCRIBED.contains(&kind) {
            ignored.insert(format!("`{kind}` resources"));
            described.insert(rname.to_string(), format!("{kind} resource `{rname}` of group {name}"));
            continue;
        }
        if element.is_some_and(crate::import::tuned) {
            ignored
                .insert("resource settings hagen does not write (waits, retries, timeouts, recovery actions)".into());
        }
        let what = match kind {
            "fip" => {
                facts.fip = text("parameters/ip").map(|ip| Placed::new(ip, None));
                format!("the address of group {name}")
            }
            "vcom" => {
                facts.computer_name = text("parameters/vcomname").map(|v| Placed::new(v, None));
                format!("the computer name of group {name}")
            }
            "sd" => {
                let drive = text("parameters/volumemountpoint")
                    .and_then(|d| d.chars().next())
                    .map(|c| c.to_ascii_uppercase());
                let guids = super::load::sorted(
                    element
                        .map(|e| {
                            e.all("server")
                                .filter_map(|s| {
                                    Some((
                                        s.attribute("name")?.to_string(),
                                        s.text_at("parameters/volumeguid")?
                                            .trim_matches(['{', '}'])
                                            .to_ascii_lowercase(),
                                    ))
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                );
                if let Some(drive) = drive {
                    facts.disk = Some(Placed::new(DiskFacts { drive, guids }, None));
                }
                format!("the disk of group {name}")
            }
            "md" => {
                let letter = |path: &str| {
                    text(path)
                        .and_then(|d| d.chars().next())
                        .map(|c| c.to_ascii_uppercase())
                };
                let guid =
                    |e: &Element, path: &str| e.text_at(path).map(|g| g.trim_matches(['{', '}']).to_ascii_lowercase());
                let mut guids: Vec<(String, String, String)> = element
                    .map(|e| {
                        e.all("server")
                            .filter_map(|s| {
                                Some((
                                    s.attribute("name")?.to_string(),
                                    guid(s, "parameters/volumeguid")?,
                                    guid(s, "parameters/cpvolumeguid")?,
                                ))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                guids.sort();
                if let (Some(drive), Some(cluster_drive)) = (
                    letter("parameters/volumemountpoint"),
                    letter("parameters/cpvolumemountpoint"),
                ) {
                    // The md resource's netdevs name the mdc devices, in their priority order.
                    let mut netdevs: Vec<(u32, String)> = element
                        .and_then(|e| e.get("parameters"))
                        .map(|p| {
                            p.all("netdev")
                                .filter_map(|n| {
                                    let priority =
                                        n.text_at("priority").and_then(|p| p.parse().ok()).unwrap_or(u32::MAX);
                                    Some((priority, n.text_at("device")?.to_string()))
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    netdevs.sort();
                    let connects = netdevs
                        .iter()
                        .map(|(_, id)| mdcs.get(id).cloned().unwrap_or_default())
                        .collect();
                    facts.mirror = Some(Placed::new(
                        MirrorFacts {
                            drive,
                            cluster_drive,
                            guids,
                            connects,
                        },
                        None,
                    ));
                }
                format!("the mirror disk of group {name}")
            }
            "regsync" => {
                let mut keys = Vec::new();
                if let Some(e) = element {
                    crate::import::collect_keys(e, &mut keys);
                }
                facts.registry = keys.into_iter().map(|k| Placed::new(k, None)).collect();
                format!("the registry of group {name}")
            }
            "service" => {
                let service = text("parameters/name").unwrap_or_else(|| rname.to_string());
                let what = format!("service `{service}` of group {name}");
                facts.service_resources.push(service);
                what
            }
            _ => format!("the script of group {name}"),
        };
        described.insert(rname.to_string(), what);
    }
    facts.name = name;
    facts
}

/// Each monitor with its target in words; monitor settings are listed once as ignored.
fn monitors(root: &Element, described: &HashMap<String, String>, ignored: &mut BTreeSet<String>) -> Vec<MonitorFacts> {
    let Some(all) = root.get("monitor") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut settings = false;
    for m in all.children.iter().filter(|e| e.name != "types") {
        let Some(name) = m.attribute("name") else { continue };
        let target = m.text_at("target").unwrap_or_default();
        settings |= m
            .children
            .iter()
            .any(|c| !matches!(c.name.as_str(), "comment" | "target" | "relation" | "parameters"))
            || m.get("parameters")
                .is_some_and(|p| p.children.iter().any(|c| c.name != "object"));
        let target = if target.is_empty() {
            "the cluster (always)".to_string()
        } else {
            described
                .get(target)
                .cloned()
                .unwrap_or_else(|| format!("`{target}` (no such resource)"))
        };
        out.push(MonitorFacts {
            name: name.to_string(),
            kind: m.name.clone(),
            target,
        });
    }
    if settings {
        ignored.insert("monitor settings (intervals, timeouts, recovery actions)".into());
    }
    out
}

/// The monitors of clp.conf bytes hagen generated (for a cluster file's side).
pub fn monitors_of(bytes: &[u8]) -> Option<Vec<MonitorFacts>> {
    read("", bytes, Origin::ClusterFile).ok().and_then(|s| s.monitors)
}
