//! clp.conf, the cluster configuration of CLUSTERPRO X, as NEC's tools write it.
//!
//! The shape follows the real files in `../shared/reference/clpconf-samples/` and NEC's
//! parameter references (FACTS.md section 3): `<all>` with the charset, one `<server>` per
//! server with a `lan` device per interconnect, one `lankhb` per interconnect, one `<group>`
//! per failover group with its policy and members, then the `<resource>` and `<monitor>`
//! containers (one `<types>` per distinct child type, then the children) and the object count
//! of `<webmgr>`. The file is built as a small element tree first — so the object count is
//! counted, not computed apart — and written with quick-xml's `Writer`, which escapes every
//! text and attribute; the values themselves passed their allowlists at check time.
//!
//! Where the references are silent hagen writes the least it can and says so:
//! - the element holding a `regsync` resource's keys appears in no reference file; hagen
//!   writes `parameters/list@N/key`, and the runbook asks to confirm the keys in Cluster
//!   WebUI after the push;
//! - the public LAN address of a server is not a heartbeat (SPEC section 2): only the
//!   interconnects become `lan` devices.
//!
//! Mirror disks and network partition resolution follow NEC's two-node mirror sample
//! (EXPRESSCLUSTER/BasicCluster, X41/Win/conf/2nodesMirror/clp.conf at commit
//! e91caaa36023a5abb3f5da39db91253bb245f322), element for element: the `mdc` devices of each
//! server (`type`, `info`, `mdc/info`), the `md` resource (`parameters/netdev@N` with
//! `priority`, `device`, `mdcname`; `volumemountpoint`, `cpvolumemountpoint`;
//! `server@S/parameters/volumeguid` and `cpvolumeguid`), the `mdw` and `mdnw` monitors (empty
//! `target`, `relation` rsc, `parameters/object`), the `ping` device of each server
//! (`info` 1: used) and `networkpartition/pingnp` (`priority`, `device`, `grp@0/list@N/ip`;
//! device 10200 and ids from 0 as NEC's clpcreate documents them, CommandParameters_en.md,
//! "Network partition resolution resource (PING method)").

use std::collections::{BTreeSet, HashMap};
use std::io::Cursor;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::model::Language;
use crate::plan::{Plan, PlanGroup, PlanMirror, ResourceKind};

/// The bytes of clp.conf: SJIS for `ja` (as Japanese Windows saves it), ASCII for `en`.
pub fn clp_conf(plan: &Plan) -> Vec<u8> {
    bytes(plan, tree(plan, Order::Written))
}

/// Whether the groups' start order (`<depend>`) is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
    Written,
    Left,
}

/// clp.conf as [`clp_conf`] writes it, but without the groups' `<depend>` lists: what
/// `hagen diff` reads the monitors from (it takes the start order from the plan). A fully
/// ordered cluster's dependencies are most of its clp.conf (1,000 groups: 500,000 entries),
/// and reading them back only to find the monitors made a diff take seconds.
pub fn clp_conf_without_order(plan: &Plan) -> Vec<u8> {
    bytes(plan, tree(plan, Order::Left))
}

fn bytes(plan: &Plan, root: El<'_>) -> Vec<u8> {
    let charset = charset(plan.language);
    let mut writer = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some(charset), None)))
        .and_then(|_| write(&mut writer, &root))
        .expect("writing to memory cannot fail");
    let mut text = String::from_utf8(writer.into_inner().into_inner()).expect("the writer writes UTF-8");
    text.push('\n');
    match plan.language {
        Language::Ja => {
            let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
            assert!(!unmappable, "clp.conf holds a character SJIS cannot encode");
            bytes.into_owned()
        }
        Language::En => {
            assert!(text.is_ascii(), "an English clp.conf holds a non-ASCII character");
            text.into_bytes()
        }
    }
}

fn charset(language: Language) -> &'static str {
    match language {
        Language::Ja => "SJIS",
        Language::En => "ASCII",
    }
}

/// One element: a name, at most one attribute (`name` or `id`, as clp.conf uses), and either
/// text or children.
#[derive(Debug, Clone, PartialEq, Eq)]
struct El<'a> {
    name: &'static str,
    attr: Option<(&'static str, String)>,
    text: Option<String>,
    children: Vec<El<'a>>,
    /// After the children, one empty element `<E name="N"/>` per name N, kept as the names
    /// alone: a group's `<depend>` lists (the fully ordered 1,000 groups have a million
    /// entries, which as elements took a hundred megabytes).
    named: Option<(&'static str, Vec<&'a str>)>,
}

impl<'a> El<'a> {
    fn new(name: &'static str) -> El<'a> {
        El {
            name,
            attr: None,
            text: None,
            children: Vec::new(),
            named: None,
        }
    }

    /// `<name>` holding one `<element name="N"/>` per name N.
    fn named_list(name: &'static str, element: &'static str, names: Vec<&'a str>) -> El<'a> {
        El {
            named: Some((element, names)),
            ..El::new(name)
        }
    }

    fn named(name: &'static str, value: impl Into<String>) -> El<'a> {
        El::new(name).attr("name", value)
    }

    fn attr(mut self, key: &'static str, value: impl Into<String>) -> El<'a> {
        self.attr = Some((key, value.into()));
        self
    }

    fn text(name: &'static str, text: impl ToString) -> El<'a> {
        El {
            text: Some(text.to_string()),
            ..El::new(name)
        }
    }

    fn child(mut self, child: El<'a>) -> El<'a> {
        self.children.push(child);
        self
    }

    fn children(mut self, children: impl IntoIterator<Item = El<'a>>) -> El<'a> {
        self.children.extend(children);
        self
    }
}

fn write(writer: &mut Writer<Cursor<Vec<u8>>>, el: &El) -> std::io::Result<()> {
    let mut start = writer.create_element(el.name);
    if let Some((key, value)) = &el.attr {
        start = start.with_attribute((*key, value.as_str()));
    }
    let named = el.named.as_ref().filter(|(_, names)| !names.is_empty());
    match (&el.text, el.children.is_empty() && named.is_none()) {
        (Some(text), _) => start.write_text_content(BytesText::new(text)).map(|_| ()),
        (None, true) => start.write_empty().map(|_| ()),
        (None, false) => start
            .write_inner_content(|w| {
                el.children.iter().try_for_each(|c| write(w, c))?;
                named.into_iter().try_for_each(|(element, names)| {
                    names.iter().try_for_each(|name| {
                        w.create_element(*element)
                            .with_attribute(("name", *name))
                            .write_empty()
                            .map(|_| ())
                    })
                })
            })
            .map(|_| ()),
    }
}

/// A container (`resource`, `monitor`, `heartbeat`): one `<types name="T"/>` per distinct
/// child type, in the order of first appearance, then the children.
fn container<'a>(name: &'static str, children: Vec<El<'a>>) -> El<'a> {
    let mut types: Vec<&'static str> = Vec::new();
    for child in &children {
        if !types.contains(&child.name) {
            types.push(child.name);
        }
    }
    El::new(name)
        .children(types.into_iter().map(|t| El::named("types", t)))
        .children(children)
}

/// A monitor watching one resource (`fipw`, `sdw`, `regsyncw`, `servicew`): active while the
/// resource is, recovering the resource.
fn resource_monitor(kind: &'static str, name: String, target: &str) -> El<'static> {
    El::named(kind, name)
        .child(El::new("comment"))
        .child(El::text("target", target))
        .child(
            El::new("relation")
                .child(El::text("type", "rsc"))
                .child(El::text("name", target)),
        )
}

fn tree(plan: &Plan, order: Order) -> El<'_> {
    let servers = plan.servers.iter().map(|s| {
        El::named("server", &s.name)
            .child(El::text("priority", s.priority))
            .children(s.interconnects.iter().enumerate().map(|(id, ip)| {
                El::new("device")
                    .attr("id", id.to_string())
                    .child(El::text("type", "lan"))
                    .child(El::text("info", ip))
            }))
            .children(mirror_devices(plan, &s.name))
    });
    let heartbeats = plan.servers.iter().map(|s| s.interconnects.len()).max().unwrap_or(0);
    let heartbeat = container(
        "heartbeat",
        (0..heartbeats)
            .map(|i| {
                El::named("lankhb", format!("lankhb{}", i + 1))
                    .child(El::text("priority", i))
                    .child(El::text("device", i))
            })
            .collect(),
    );

    // The groups that start after each group, in plan order: a group's `<deact>` (see `group`).
    let mut started_after: HashMap<&str, Vec<&str>> = HashMap::new();
    for other in plan.groups.iter().filter(|_| order == Order::Written) {
        for before in other.after.iter().collect::<BTreeSet<_>>() {
            started_after.entry(before).or_default().push(&other.name);
        }
    }
    let groups = plan.groups.iter().map(|g| {
        let after: &[String] = if order == Order::Written { &g.after } else { &[] };
        group(g, after, started_after.remove(g.name.as_str()).unwrap_or_default())
    });
    let resources = container(
        "resource",
        plan.groups.iter().flat_map(|g| resources(plan, g)).collect(),
    );

    let mut monitors = vec![
        El::named("userw", "userw")
            .child(El::new("comment"))
            .child(El::new("target"))
            .child(
                El::new("relation")
                    .child(El::text("type", "cls"))
                    .child(El::text("name", "LocalServer")),
            ),
    ];
    let mut numbers: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    let mut count = |kind: &'static str| {
        let n = numbers.entry(kind).or_insert(0);
        *n += 1;
        format!("{kind}{n}")
    };
    for g in &plan.groups {
        monitors.push(resource_monitor("fipw", count("fipw"), &g.fip.name));
        if let Some(disk) = &g.disk {
            monitors.push(
                resource_monitor("sdw", count("sdw"), &disk.name)
                    .child(El::new("parameters").child(El::text("object", &disk.name))),
            );
        }
        if let Some(mirror) = &g.mirror {
            monitors.push(mirror_monitor("mdw", count("mdw"), &mirror.name));
            monitors.push(mirror_monitor("mdnw", count("mdnw"), &mirror.name));
        }
        if let Some(regsync) = &g.regsync {
            monitors.push(resource_monitor("regsyncw", count("regsyncw"), &regsync.name));
        }
        for service in g.service_resources.iter().filter(|s| s.value.watchable) {
            monitors.push(resource_monitor("servicew", count("servicew"), &service.name));
        }
    }
    let monitor = container("monitor", monitors);

    let mut root = El::new("root")
        .child(
            El::new("all")
                .child(El::text("charset", charset(plan.language)))
                .child(El::text("encode", "SJIS"))
                .child(El::text("serveros", "windows")),
        )
        .child(
            El::new("cluster")
                .child(El::text("name", &plan.cluster_name))
                .child(El::new("comment")),
        )
        .children(servers)
        .child(heartbeat)
        .children(network_partition(plan))
        .children(groups)
        .child(resources)
        .child(monitor);
    let objects = object_number(&root);
    root = root.child(El::new("webmgr").child(El::new("client").child(El::text("objectnumber", objects))));
    root
}

/// A group; `stop_first` are the groups that start after it.
fn group<'a>(g: &'a PlanGroup, after: &'a [String], stop_first: Vec<&'a str>) -> El<'a> {
    let policy = g
        .policy
        .iter()
        .enumerate()
        .map(|(order, server)| El::named("policy", server).child(El::text("order", order)));
    let members = g
        .resource_chain()
        .into_iter()
        .map(|(kind, name)| El::named("resource", format!("{}@{name}", kind.type_name())));
    // Start after the groups in `after`; stop only once the groups that start after this one
    // have stopped (GroupParameters: depend/act and depend/deact).
    let mut depend = El::new("depend");
    if !after.is_empty() {
        depend = depend.child(El::named_list(
            "act",
            "depend",
            after.iter().map(String::as_str).collect(),
        ));
    }
    if !stop_first.is_empty() {
        depend = depend.child(El::named_list("deact", "depend", stop_first));
    }
    El::named("group", &g.name)
        .child(El::new("comment"))
        .children(policy)
        .children(members)
        .children((!depend.children.is_empty()).then_some(depend))
}

/// The group's resources, each with the explicit `<depend>` on the one before it in the chain.
fn resources(plan: &Plan, g: &PlanGroup) -> Vec<El<'static>> {
    let chain = g.resource_chain();
    let mut out = Vec::new();
    for (i, (kind, name)) in chain.iter().enumerate() {
        // A service resource says which app and ARMLOAD watch id it replaces.
        let comment = match kind {
            ResourceKind::Service => g
                .service_resources
                .iter()
                .find(|r| r.name == *name)
                .map(|r| El::text("comment", format!("app {}, watch id {}", r.value.app, r.value.watch_id))),
            _ => None,
        };
        let mut el = El::named(kind.type_name(), *name).child(comment.unwrap_or_else(|| El::new("comment")));
        let parameters = match kind {
            ResourceKind::Fip => vec![El::text("ip", g.fip.value)],
            ResourceKind::Vcom => {
                let vcom = g.vcom.as_ref().expect("in the chain");
                vec![El::text("vcomname", &vcom.value), El::text("target", &g.fip.name)]
            }
            ResourceKind::Sd => {
                let disk = g.disk.as_ref().expect("in the chain");
                vec![El::text("volumemountpoint", disk.value.drive)]
            }
            ResourceKind::Md => md_parameters(plan, &g.mirror.as_ref().expect("in the chain").value),
            ResourceKind::Regsync => {
                let keys = &g.regsync.as_ref().expect("in the chain").value;
                keys.iter()
                    .enumerate()
                    .map(|(id, k)| {
                        El::new("list")
                            .attr("id", id.to_string())
                            .child(El::text("key", &k.key))
                    })
                    .collect()
            }
            ResourceKind::Script => Vec::new(),
            ResourceKind::Service => {
                let service = g
                    .service_resources
                    .iter()
                    .find(|r| r.name == *name)
                    .expect("in the chain");
                vec![El::text("name", &service.value.service)]
            }
        };
        if !parameters.is_empty() {
            el = el.child(El::new("parameters").children(parameters));
        }
        if i > 0 {
            el = el.child(El::named("depend", chain[i - 1].1));
        }
        if let (ResourceKind::Md, Some(mirror)) = (kind, &g.mirror) {
            el = el.children(md_servers(&mirror.value));
        }
        if let (ResourceKind::Sd, Some(disk)) = (kind, &g.disk) {
            el = el.children(disk.value.guids.iter().map(|(server, guid)| {
                El::named("server", server).child(El::new("parameters").child(El::text(
                    "volumeguid",
                    guid.trim_matches(['{', '}']).to_ascii_lowercase(),
                )))
            }));
        }
        out.push(el);
    }
    out
}

// ---- mirror disks and network partition resolution (sample named in the module's doc) ----

/// The first device id of ping network partition resolution (CommandParameters_en.md: "The
/// device ID of a NP resolution resource starts from 10200").
const PING_DEVICE: usize = 10200;

/// A server's `mdc` devices (one per mirror connect it is on) and its `ping` device.
fn mirror_devices(plan: &Plan, server: &str) -> Vec<El<'static>> {
    let mut out: Vec<El> = plan
        .mirror_connects
        .iter()
        .filter_map(|c| {
            let ip = c.addresses.iter().find(|(s, _)| s == server)?.1;
            Some(
                El::new("device")
                    .attr("id", c.device.to_string())
                    .child(El::text("type", "mdc"))
                    .child(El::text("info", ip))
                    .child(El::new("mdc").child(El::text("info", ip))),
            )
        })
        .collect();
    if !plan.ping_targets.is_empty() {
        out.push(
            El::new("device")
                .attr("id", PING_DEVICE.to_string())
                .child(El::text("type", "ping"))
                .child(El::text("info", 1)),
        );
    }
    out
}

/// `<networkpartition>` with one `pingnp` whose group 0 lists the targets, when there are any.
fn network_partition(plan: &Plan) -> Option<El<'static>> {
    if plan.ping_targets.is_empty() {
        return None;
    }
    let lists = plan
        .ping_targets
        .iter()
        .enumerate()
        .map(|(id, ip)| El::new("list").attr("id", id.to_string()).child(El::text("ip", ip)));
    Some(container(
        "networkpartition",
        vec![
            El::named("pingnp", "pingnp1")
                .child(El::text("priority", 0))
                .child(El::text("device", PING_DEVICE))
                .child(El::new("grp").attr("id", "0").children(lists)),
        ],
    ))
}

/// An `md` resource's parameters: its mirror connects in priority order, then its drives.
fn md_parameters(plan: &Plan, mirror: &PlanMirror) -> Vec<El<'static>> {
    let mut out: Vec<El> = mirror
        .connects
        .iter()
        .enumerate()
        .map(|(id, &index)| {
            let connect = &plan.mirror_connects[index];
            El::new("netdev")
                .attr("id", id.to_string())
                .child(El::text("priority", id + 1))
                .child(El::text("device", connect.device))
                .child(El::text("mdcname", &connect.name))
        })
        .collect();
    out.push(El::text("volumemountpoint", mirror.drive));
    out.push(El::text("cpvolumemountpoint", mirror.cluster_drive));
    out
}

/// An `md` resource's per-server GUIDs of its data and cluster partitions.
fn md_servers(mirror: &PlanMirror) -> Vec<El<'static>> {
    let bare = |guid: &str| guid.trim_matches(['{', '}']).to_ascii_lowercase();
    mirror
        .guids
        .iter()
        .map(|(server, data, cluster)| {
            El::named("server", server).child(
                El::new("parameters")
                    .child(El::text("volumeguid", bare(data)))
                    .child(El::text("cpvolumeguid", bare(cluster))),
            )
        })
        .collect()
}

/// `mdw` or `mdnw` on a mirror disk: no target, recovering the resource, watching it.
fn mirror_monitor(kind: &'static str, name: String, md: &str) -> El<'static> {
    El::named(kind, name)
        .child(El::new("comment"))
        .child(El::new("target"))
        .child(
            El::new("relation")
                .child(El::text("type", "rsc"))
                .child(El::text("name", md)),
        )
        .child(El::new("parameters").child(El::text("object", md)))
}

/// `<webmgr><client><objectnumber>`: 4 + servers + groups + resources + monitors + servers x
/// (heartbeats + network-partition resources) (FACTS.md section 3, checked against all five
/// reference samples by the tests).
fn object_number(root: &El) -> usize {
    let of = |name: &str| root.children.iter().filter(|c| c.name == name).count();
    let instances = |container: &str, skip: &[&str]| {
        root.children
            .iter()
            .filter(|c| c.name == container)
            .flat_map(|c| &c.children)
            .filter(|c| c.name != "types" && !skip.contains(&c.name))
            .count()
    };
    let servers = of("server");
    4 + servers
        + of("group")
        + instances("resource", &[])
        + instances("monitor", &[])
        + servers * (instances("heartbeat", &[]) + instances("networkpartition", &[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_container_lists_each_type_once_before_its_children() {
        let c = container(
            "monitor",
            vec![
                El::named("fipw", "fipw1"),
                El::named("sdw", "sdw1"),
                El::named("fipw", "fipw2"),
            ],
        );
        let names: Vec<String> = c
            .children
            .iter()
            .map(|e| format!("{}:{}", e.name, e.attr.as_ref().unwrap().1))
            .collect();
        assert_eq!(
            names,
            ["types:fipw", "types:sdw", "fipw:fipw1", "sdw:sdw1", "fipw:fipw2"]
        );
    }

    #[test]
    fn text_and_attributes_are_escaped_by_the_writer() {
        let mut writer = Writer::new(Cursor::new(Vec::new()));
        write(&mut writer, &El::named("x", "a\"<b").child(El::text("t", "1 < 2 & 3"))).unwrap();
        let text = String::from_utf8(writer.into_inner().into_inner()).unwrap();
        assert_eq!(text, r#"<x name="a&quot;&lt;b"><t>1 &lt; 2 &amp; 3</t></x>"#);
    }

    #[test]
    fn the_object_number_follows_nec_formula() {
        // 2 servers, 1 group, 1 resource, 2 monitors, 2 heartbeats: sample 05's 14.
        let root = El::new("root")
            .child(El::named("server", "a"))
            .child(El::named("server", "b"))
            .child(container(
                "heartbeat",
                vec![El::named("lankhb", "1"), El::named("lankhb", "2")],
            ))
            .child(El::named("group", "g"))
            .child(container("resource", vec![El::named("fip", "fip")]))
            .child(container(
                "monitor",
                vec![El::named("userw", "u"), El::named("fipw", "f")],
            ));
        assert_eq!(object_number(&root), 14);
    }
}
