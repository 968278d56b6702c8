//! clp.conf read back: the generated file is parsed with quick-xml's reader and checked
//! structurally against the cluster file it came from, and the object-count formula is
//! checked against NEC's own files in `../shared/reference/clpconf-samples/`.
//!
//! Byte-for-byte comparison (tests/build.rs) says the output did not change; these tests say
//! what it means: every group and server is there, every member and dependency refers to a
//! resource that exists, every monitor watches one, and the count NEC's manager keeps agrees.

mod common;

use std::fs;
use std::path::Path;

use common::Test;
use quick_xml::Reader;
use quick_xml::events::Event;

/// An element: name, attributes, text and children.
#[derive(Debug, Default, Clone)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn one(&self, name: &str) -> &Node {
        let mut found = self.children.iter().filter(|c| c.name == name);
        let first = found
            .next()
            .unwrap_or_else(|| panic!("<{}> has no <{name}>", self.name));
        assert!(found.next().is_none(), "<{}> has more than one <{name}>", self.name);
        first
    }

    /// The text at a slash-separated path of single children.
    fn at(&self, path: &str) -> &str {
        path.split('/').fold(self, |n, p| n.one(p)).text.trim()
    }

    /// The instances of a container (`resource`, `monitor`, ...), without its `types`.
    fn instances(&self) -> Vec<&Node> {
        self.children.iter().filter(|c| c.name != "types").collect()
    }
}

/// Parses clp.conf text (already decoded) into its root element.
fn parse(text: &str) -> Node {
    let mut reader = Reader::from_str(text);
    let mut stack = vec![Node::default()];
    loop {
        match reader.read_event().expect("clp.conf is well-formed XML") {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let node = element(&e);
                stack.last_mut().unwrap().children.push(node);
            }
            Event::End(_) => {
                let node = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(node);
            }
            Event::Text(t) => {
                let text = t.to_string();
                stack.last_mut().unwrap().text.push_str(&text);
            }
            Event::GeneralRef(r) => {
                let name = r.to_string();
                let c = match name.as_str() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity &{other};"),
                };
                stack.last_mut().unwrap().text.push_str(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unbalanced elements");
    let mut top = stack.pop().unwrap();
    assert_eq!(top.children.len(), 1, "one root element");
    top.children.pop().unwrap()
}

fn element(e: &quick_xml::events::BytesStart) -> Node {
    Node {
        name: e.name().as_ref().to_string(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (
                    a.key.as_ref().to_string(),
                    a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect(),
        ..Node::default()
    }
}

/// NEC's object count: 4 + servers + groups + resources + monitors + servers x (heartbeats +
/// network-partition resources) (FACTS.md section 3).
fn object_count(root: &Node) -> usize {
    let count = |name: &str| root.all(name).count();
    let instances = |name: &str| root.all(name).map(|c| c.instances().len()).sum::<usize>();
    let servers = count("server");
    4 + servers
        + count("group")
        + instances("resource")
        + instances("monitor")
        + servers * (instances("heartbeat") + instances("networkpartition"))
}

#[test]
fn the_object_count_formula_holds_for_every_reference_sample() {
    let dir = common::spec_dir().join("../reference/clpconf-samples");
    let mut checked = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(".clp.conf") {
            continue;
        }
        let bytes = fs::read(&path).unwrap();
        let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
        let root = parse(&text);
        let stated: usize = root.at("webmgr/client/objectnumber").parse().unwrap();
        assert_eq!(object_count(&root), stated, "{}", path.display());
        checked += 1;
    }
    assert_eq!(checked, 5);
}

/// Builds `examples/NAME` and returns its clp.conf, decoded, and the cluster file as YAML.
fn built(name: &str) -> (Node, String, serde_json::Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name);
    let yaml = fs::read_to_string(&path).unwrap();
    let out = Test::new()
        .write(name, &yaml)
        .args(["build", name, "--out", "dist"])
        .run();
    let bytes = fs::read(out.tempdir.path().join("dist/clp.conf")).unwrap();
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad, "{name}: clp.conf is not SJIS");
    let cluster: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
    (parse(&text), text.into_owned(), cluster)
}

fn x_examples() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(n)).unwrap();
            text.contains("platform: clusterpro-x-")
        })
        .collect();
    names.sort();
    assert!(names.len() >= 4, "{names:?}");
    names
}

fn strs(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|x| x.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn every_generated_clp_conf_describes_its_cluster() {
    for name in x_examples() {
        let (root, text, cluster) = built(&name);
        let ctx = |what: &str| format!("{name}: {what}");

        // <all> and the declaration agree on the charset; the language picks it.
        let charset = if cluster["cluster"]["language"] == "ja" {
            "SJIS"
        } else {
            "ASCII"
        };
        assert_eq!(root.at("all/charset"), charset, "{}", ctx("charset"));
        assert!(
            text.starts_with(&format!("<?xml version=\"1.0\" encoding=\"{charset}\"?>")),
            "{}",
            ctx("declaration")
        );
        assert_eq!(root.at("all/serveros"), "windows");
        assert_eq!(root.at("cluster/name"), cluster["cluster"]["name"].as_str().unwrap());

        // Servers in priority order, a lan device per interconnect, a lankhb per interconnect.
        let servers: Vec<&Node> = root.all("server").collect();
        let yaml_servers = cluster["servers"].as_array().unwrap();
        assert_eq!(servers.len(), yaml_servers.len(), "{}", ctx("servers"));
        for (i, (s, y)) in servers.iter().zip(yaml_servers).enumerate() {
            assert_eq!(s.attr("name"), y["name"].as_str());
            assert_eq!(s.at("priority"), i.to_string());
            // The lan devices; mirror connects (`mdc`) and the ping device are tests/mirror.rs's.
            let devices: Vec<(&str, &str, &str)> = s
                .all("device")
                .map(|d| (d.attr("id").unwrap(), d.at("type"), d.at("info")))
                .filter(|(_, kind, _)| !matches!(*kind, "mdc" | "ping"))
                .collect();
            let interconnects = strs(&y["interconnects"]);
            assert_eq!(devices.len(), interconnects.len(), "{}", ctx("devices"));
            for (j, (id, kind, info)) in devices.iter().enumerate() {
                assert_eq!(
                    (*id, *kind, *info),
                    (j.to_string().as_str(), "lan", interconnects[j].as_str())
                );
            }
        }
        let heartbeat = root.one("heartbeat");
        let lankhb: Vec<&Node> = heartbeat.all("lankhb").collect();
        assert_eq!(lankhb.len(), strs(&yaml_servers[0]["interconnects"]).len());
        for (i, hb) in lankhb.iter().enumerate() {
            assert_eq!(hb.at("device"), i.to_string());
        }

        // Every container lists each child type once.
        for container in ["heartbeat", "resource", "monitor"] {
            let c = root.one(container);
            let types: Vec<&str> = c.all("types").map(|t| t.attr("name").unwrap()).collect();
            let mut kinds: Vec<&str> = c.instances().iter().map(|n| n.name.as_str()).collect();
            kinds.dedup();
            let mut distinct = kinds.clone();
            distinct.sort();
            distinct.dedup();
            let mut sorted_types = types.clone();
            sorted_types.sort();
            assert_eq!(sorted_types, distinct, "{}", ctx(container));
        }

        // Groups: policy as written, members that exist, a dependency chain through them.
        let resources = root.one("resource");
        let by_name = |n: &str| resources.instances().into_iter().find(|r| r.attr("name") == Some(n));
        let groups: Vec<&Node> = root.all("group").collect();
        let yaml_groups = cluster["groups"].as_array().unwrap();
        assert_eq!(groups.len(), yaml_groups.len());
        let mut members_total = 0;
        for (g, y) in groups.iter().zip(yaml_groups) {
            assert_eq!(g.attr("name"), y["name"].as_str());
            let policy: Vec<(&str, &str)> = g
                .all("policy")
                .map(|p| (p.attr("name").unwrap(), p.at("order")))
                .collect();
            let failover = strs(&y["failover"]);
            assert_eq!(policy.len(), failover.len(), "{}", ctx("policy"));
            for (i, (server, order)) in policy.iter().enumerate() {
                assert_eq!((*server, *order), (failover[i].as_str(), i.to_string().as_str()));
            }
            let members: Vec<(&str, &str)> = g
                .all("resource")
                .map(|r| r.attr("name").unwrap().split_once('@').unwrap())
                .collect();
            members_total += members.len();
            assert_eq!(members[0].0, "fip", "{}", ctx("the address comes first"));
            // A group without apps holds only its address and disk: no script resource.
            let has_apps = y["apps"].as_array().is_some_and(|a| !a.is_empty());
            assert_eq!(
                members.iter().any(|m| m.0 == "script"),
                has_apps,
                "{}",
                ctx("a script resource exactly when there are apps")
            );
            for (i, (kind, rname)) in members.iter().enumerate() {
                let r = by_name(rname).unwrap_or_else(|| panic!("{}", ctx(&format!("member {rname} missing"))));
                assert_eq!(r.name, *kind);
                let depends: Vec<&str> = r.all("depend").map(|d| d.attr("name").unwrap()).collect();
                let expected: Vec<&str> = if i == 0 { vec![] } else { vec![members[i - 1].1] };
                assert_eq!(depends, expected, "{}", ctx(&format!("{rname} depends")));
            }
            let fip = by_name(members[0].1).unwrap();
            assert_eq!(fip.at("parameters/ip"), y["ip"].as_str().unwrap());
            if let Some(disk) = y.get("disk") {
                let sd = by_name(members.iter().find(|m| m.0 == "sd").unwrap().1).unwrap();
                let drive = disk["drive"].as_str().unwrap().trim_end_matches(':');
                assert_eq!(sd.at("parameters/volumemountpoint"), drive);
                let guids: Vec<(&str, &str)> = sd
                    .all("server")
                    .map(|s| (s.attr("name").unwrap(), s.at("parameters/volumeguid")))
                    .collect();
                assert_eq!(guids.len(), failover.len(), "{}", ctx("a volume GUID per server"));
                for (server, guid) in guids {
                    let written = disk["volume_guids"][server].as_str().unwrap();
                    assert_eq!(guid, written.trim_matches(['{', '}']).to_ascii_lowercase());
                }
            }
            let services: Vec<&str> = members.iter().filter(|m| m.0 == "service").map(|m| m.1).collect();
            if y["control"] == "service-resources" {
                assert!(!services.is_empty(), "{}", ctx("service resources"));
                let script_at = members.iter().position(|m| m.0 == "script").unwrap();
                assert!(members[script_at + 1..].iter().all(|m| m.0 == "service"));
            } else {
                assert!(
                    services.is_empty(),
                    "{}",
                    ctx("no service resources with script control")
                );
            }
            // Start after the `after` groups; those groups stop only after this one.
            for after in strs(&y["after"]) {
                let act: Vec<&str> = g
                    .one("depend")
                    .one("act")
                    .all("depend")
                    .map(|d| d.attr("name").unwrap())
                    .collect();
                assert!(act.contains(&after.as_str()), "{}", ctx("depend/act"));
                let other = groups.iter().find(|o| o.attr("name") == Some(after.as_str())).unwrap();
                let deact: Vec<&str> = other
                    .one("depend")
                    .one("deact")
                    .all("depend")
                    .map(|d| d.attr("name").unwrap())
                    .collect();
                assert!(deact.contains(&y["name"].as_str().unwrap()), "{}", ctx("depend/deact"));
            }
        }
        assert_eq!(
            members_total,
            resources.instances().len(),
            "{}",
            ctx("no resource outside a group")
        );

        // Monitors: userw for the cluster; the others watch a resource that exists.
        let monitors = root.one("monitor").instances();
        assert_eq!(monitors.iter().filter(|m| m.name == "userw").count(), 1);
        for m in monitors.iter().filter(|m| m.name != "userw") {
            // mdw and mdnw leave `target` empty and name the mirror disk in `parameters/object`
            // (NEC's two-node mirror sample); tests/mirror.rs compares them with it.
            let mirror = matches!(m.name.as_str(), "mdw" | "mdnw");
            let target = if mirror {
                m.at("parameters/object")
            } else {
                m.at("target")
            };
            let r = by_name(target).unwrap_or_else(|| panic!("{}", ctx(&format!("{} watches nothing", m.name))));
            if mirror {
                assert_eq!(r.name, "md", "{}", ctx("mirror monitor type"));
            } else {
                assert_eq!(format!("{}w", r.name), m.name, "{}", ctx("monitor type"));
            }
            assert_eq!(m.at("relation/type"), "rsc");
            assert_eq!(m.at("relation/name"), target);
        }
        for kind in ["fip", "sd", "regsync"] {
            let resources_of = resources.instances().iter().filter(|r| r.name == kind).count();
            let monitors_of = monitors.iter().filter(|m| m.name == format!("{kind}w")).count();
            assert_eq!(resources_of, monitors_of, "{}", ctx(&format!("a {kind}w per {kind}")));
        }

        assert_eq!(
            root.at("webmgr/client/objectnumber"),
            object_count(&root).to_string(),
            "{}",
            ctx("objectnumber")
        );
    }
}
