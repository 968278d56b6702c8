//! `hagen import CLP.CONF [--scripts DIR]`: an existing CLUSTERPRO X configuration as a cluster
//! file (SPEC section 2), so that a running cluster can be checked and rebuilt by hagen.
//!
//! clp.conf holds the cluster's shape (servers, heartbeats, groups, their failover policies,
//! resources and monitors), not what hagen's cluster file says about the applications; the
//! scripts of the package (`scripts/<group>/<script resource>/start.bat`, SPEC section 5) hold
//! the ARMLOAD lines, from which the products are recognised through the catalog (services and
//! watch ids). Whatever cannot be mapped is said in a `# note:` comment at its place: the
//! printed file is meant to be read, completed and checked. Every value goes through the same
//! allowlist as a hand-written file; one that fails it is left out, with a note.
//!
//! A Linux clp.conf (`<serveros>linux</serveros>`) is refused: hagen describes Windows
//! clusters only.

mod apps;
mod out;
mod package;
mod xml;

use crate::catalog::{Catalog, Generation};
use crate::lint::Script;
use crate::lint::script::Kind;
use crate::model::values;
use crate::source::SourceFile;

use apps::{App, add_service, recognise, write_app};
use out::{Out, list, scalar};
pub use package::{Package, read_package};
use xml::Element;

/// The cluster file and how many notes it holds.
#[derive(Debug)]
pub struct Imported {
    pub yaml: String,
    pub notes: usize,
    pub groups: usize,
}

/// A resource of a group: its type and name (`fip@fip1`), and its element.
struct Resource<'a> {
    kind: String,
    name: String,
    element: Option<&'a Element>,
}

/// Imports clp.conf (`name` is how messages call it).
pub fn import(name: &str, bytes: &[u8], package: Option<&Package>, catalog: &Catalog) -> Result<Imported, String> {
    let root = xml::parse(bytes)?;
    if root
        .text_at("all/serveros")
        .is_some_and(|os| os.eq_ignore_ascii_case("linux"))
    {
        return Err(
            "a CLUSTERPRO for Linux configuration (<serveros>linux</serveros>); hagen describes Windows clusters only"
                .into(),
        );
    }
    if root.get("cluster").is_none() {
        return Err("not a clp.conf: there is no <cluster> element".into());
    }
    let mut out = Out::default();
    out.line(0, format!("# Imported by hagen from {name}."));
    out.line(
        0,
        "# Check it with `hagen check`; every `# note:` is something clp.conf did not say.",
    );
    cluster(&root, package, catalog, &mut out);
    out.line(0, "");
    servers(&root, package, &mut out);
    out.line(0, "");
    monitors(&root, &mut out);
    let groups = groups(&root, package, catalog, &mut out);
    Ok(Imported {
        yaml: out.text,
        notes: out.notes,
        groups,
    })
}

fn cluster(root: &Element, package: Option<&Package>, catalog: &Catalog, out: &mut Out) {
    out.line(0, "cluster:");
    match root.text_at("cluster/name") {
        Some(n) if values::name_problem(n).is_none() => out.line(2, format!("name: {}", scalar(n))),
        Some(n) => out.note(
            2,
            format!("the cluster's name `{n}` is not a valid name here; add `name:`"),
        ),
        None => out.note(2, "clp.conf names no cluster; add `name:`"),
    }
    let x_platforms: Vec<&str> = catalog
        .platform_ids()
        .into_iter()
        .filter(|id| catalog.platform(id).is_some_and(|p| p.generation == Generation::X))
        .collect();
    let saved = root.text_at("trekking/savedversion");
    let from_version = saved.and_then(|v| {
        let mut parts = v.split(['.', '-']);
        let id = format!("clusterpro-x-{}.{}", parts.next()?, parts.next()?);
        x_platforms.iter().find(|p| **p == id).copied()
    });
    let from_scripts = package.and_then(|p| p.platform_name()).and_then(|name| {
        x_platforms
            .iter()
            .find(|id| catalog.platform(id).is_some_and(|p| p.name == name))
            .copied()
    });
    match (from_version, from_scripts, x_platforms.last()) {
        (Some(id), _, _) => out.line(2, format!("platform: {id}")),
        (None, Some(id), _) => out.line(2, format!("platform: {id}")),
        (None, None, Some(newest)) => {
            match saved {
                Some(v) => out.note(
                    2,
                    format!("clp.conf was saved by version {v}, which the catalog does not have"),
                ),
                None => out.note(2, "clp.conf holds no version (<trekking><savedversion>)"),
            }
            out.note(
                2,
                "the platform is the newest of the catalog: correct it if yours is older",
            );
            out.line(2, format!("platform: {newest}"));
        }
        (None, None, None) => out.note(2, "the catalog has no CLUSTERPRO X platform; add `platform:`"),
    }
    match package.and_then(|p| p.os()) {
        Some(os) => out.line(2, format!("os: {}", scalar(&os))),
        None => out.note(2, "clp.conf does not name the servers' Windows version; add `os:`"),
    }
    // hagen writes SJIS for `ja` and ASCII for `en` (README, "What clp.conf holds").
    let language = match root.text_at("all/charset") {
        Some(c) if c.eq_ignore_ascii_case("SJIS") => "ja",
        _ => "en",
    };
    out.line(2, format!("language: {language}"));
}

/// Servers in priority order.
fn sorted_servers(root: &Element) -> Vec<&Element> {
    let mut servers: Vec<&Element> = root.all("server").collect();
    servers.sort_by_key(|s| {
        s.text_at("priority")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(u32::MAX)
    });
    servers
}

fn servers(root: &Element, package: Option<&Package>, out: &mut Out) {
    out.line(0, "servers:");
    // Each kernel-mode LAN heartbeat names a device id; each server's device of that id holds
    // its address on that network.
    let mut heartbeats: Vec<&Element> = root
        .get("heartbeat")
        .map(|h| h.all("lankhb").collect())
        .unwrap_or_default();
    heartbeats.sort_by_key(|h| {
        h.text_at("priority")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(u32::MAX)
    });
    let devices: Vec<&str> = heartbeats.iter().filter_map(|h| h.text_at("device")).collect();
    if let Some(h) = root.get("heartbeat") {
        let other: Vec<&str> = h
            .all("types")
            .filter_map(|t| t.attribute("name"))
            .filter(|t| *t != "lankhb")
            .collect();
        if !other.is_empty() {
            out.note(
                2,
                format!("heartbeats of type {} are not described by hagen", other.join(", ")),
            );
        }
    }
    if root.get("networkpartition").is_some() {
        out.note(
            2,
            "network partition resolution (<networkpartition>) is not described by hagen",
        );
    }
    for server in sorted_servers(root) {
        let name = server.attribute("name").unwrap_or_default();
        if values::name_problem(name).is_some() {
            out.note(
                2,
                format!("the server `{name}` has a name hagen cannot use; rename it and add it"),
            );
            continue;
        }
        out.line(2, format!("- name: {}", scalar(name)));
        match package.and_then(|p| p.public_address(name)) {
            Some(ip) if ip.parse::<std::net::Ipv4Addr>().is_ok() => out.line(4, format!("ip: {ip}")),
            _ => out.note(4, "clp.conf holds no public LAN address (only heartbeats); add `ip:`"),
        }
        let mut interconnects = Vec::new();
        for id in &devices {
            let address = server
                .all("device")
                .find(|d| d.attribute("id") == Some(id) && d.text_at("type") == Some("lan"))
                .and_then(|d| d.text_at("info"));
            match address {
                Some(a) if a.parse::<std::net::Ipv4Addr>().is_ok() => interconnects.push(a.to_string()),
                Some(a) => out.note(4, format!("the heartbeat address `{a}` is not an IPv4 address")),
                None => out.note(4, format!("no LAN device {id} for this heartbeat")),
            }
        }
        let other: Vec<&str> = server
            .all("device")
            .filter_map(|d| d.text_at("type"))
            .filter(|t| *t != "lan")
            .collect();
        if !other.is_empty() {
            out.note(
                4,
                format!("devices of type {} are not described by hagen", other.join(", ")),
            );
        }
        out.line(4, format!("interconnects: {}", list(&interconnects)));
    }
}

/// The resources of a group, in its order, with their elements under `<resource>`.
fn resources_of<'a>(root: &'a Element, group: &'a Element) -> Vec<Resource<'a>> {
    group
        .all("resource")
        .filter_map(|r| r.attribute("name"))
        .map(|full| {
            let (kind, name) = full.split_once('@').unwrap_or(("", full));
            let element = root
                .get("resource")
                .and_then(|all| all.all(kind).find(|e| e.attribute("name") == Some(name)));
            Resource {
                kind: kind.to_string(),
                name: name.to_string(),
                element,
            }
        })
        .collect()
}

/// The monitors hagen writes itself from the cluster file (README, "What clp.conf holds").
const OWN_MONITORS: [&str; 5] = ["userw", "fipw", "sdw", "regsyncw", "servicew"];

/// A note for the monitors hagen does not write (they are not imported), and for the
/// settings of those it does (polling, recovery: hagen leaves them to the product's defaults).
fn monitors(root: &Element, out: &mut Out) {
    let Some(monitor) = root.get("monitor") else { return };
    let others: Vec<String> = monitor
        .children
        .iter()
        .filter(|m| m.name != "types" && !OWN_MONITORS.contains(&m.name.as_str()))
        .map(|m| format!("{} ({})", m.attribute("name").unwrap_or_default(), m.name))
        .collect();
    if !others.is_empty() {
        out.note(0, format!("monitors not described by hagen: {}", others.join(", ")));
    }
    let tuned = monitor
        .children
        .iter()
        .filter(|m| OWN_MONITORS.contains(&m.name.as_str()))
        .any(|m| {
            m.children
                .iter()
                .any(|c| matches!(c.name.as_str(), "polling" | "emergency"))
        });
    if tuned {
        out.note(
            0,
            "monitor polling and recovery settings are left to the defaults by hagen",
        );
    }
}

/// Resource settings hagen does not write: waits, retries, timeouts, recovery actions.
fn tuned(resource: &Element) -> bool {
    let extra_parameters = resource.get("parameters").is_some_and(|p| {
        p.children.iter().any(|c| {
            !matches!(
                c.name.as_str(),
                "ip" | "vcomname" | "target" | "volumemountpoint" | "list" | "name"
            )
        })
    });
    extra_parameters
        || resource
            .children
            .iter()
            .any(|c| matches!(c.name.as_str(), "act" | "deact" | "timeout" | "emergency"))
}

fn groups(root: &Element, package: Option<&Package>, catalog: &Catalog, out: &mut Out) -> usize {
    out.line(0, "groups:");
    let servers: Vec<String> = sorted_servers(root)
        .iter()
        .filter_map(|s| s.attribute("name"))
        .map(str::to_string)
        .collect();
    let mut count = 0;
    for group in root.all("group") {
        let name = group.attribute("name").unwrap_or_default();
        if values::name_problem(name).is_some() {
            out.note(
                2,
                format!("the group `{name}` has a name hagen cannot use; rename it and add it"),
            );
            continue;
        }
        count += 1;
        out.line(2, format!("- name: {}", scalar(name)));
        let mut policy: Vec<(u32, String)> = group
            .all("policy")
            .filter_map(|p| {
                Some((
                    p.text_at("order").and_then(|o| o.parse().ok()).unwrap_or(u32::MAX),
                    p.attribute("name")?.to_string(),
                ))
            })
            .collect();
        policy.sort();
        let failover: Vec<String> = if policy.is_empty() {
            out.note(4, "no failover policy: every server, in server priority order");
            servers.clone()
        } else {
            policy.into_iter().map(|(_, s)| s).collect()
        };
        out.line(4, format!("failover: {}", list(&failover)));
        group_body(root, group, name, package, catalog, out);
    }
    count
}

fn group_body(
    root: &Element,
    group: &Element,
    name: &str,
    package: Option<&Package>,
    catalog: &Catalog,
    out: &mut Out,
) {
    let resources = resources_of(root, group);
    let mut ips = Vec::new();
    let mut computer_name = None;
    let mut disk: Option<(String, Vec<(String, String)>)> = None;
    let mut registry = Vec::new();
    let mut apps: Vec<App> = Vec::new();
    let mut service_resources = false;
    let mut notes = Vec::new();
    for r in &resources {
        let Some(e) = r.element else {
            notes.push(format!(
                "the resource `{}@{}` is not defined under <resource>",
                r.kind, r.name
            ));
            continue;
        };
        if tuned(e) {
            notes.push(format!(
                "the resource `{}` has waits, retries, timeouts or recovery actions, which hagen leaves to the defaults",
                r.name
            ));
        }
        match r.kind.as_str() {
            "fip" => ips.extend(e.text_at("parameters/ip").map(str::to_string)),
            "vcom" => computer_name = e.text_at("parameters/vcomname").map(str::to_string),
            "sd" => {
                // hagen writes the letter alone (`S`); NEC's files also write `M:`.
                let mount = e.text_at("parameters/volumemountpoint").unwrap_or_default();
                let letter = mount.trim_end_matches(':');
                let drive = if letter.len() == 1 { format!("{letter}:") } else { mount.to_string() };
                let guids = e
                    .all("server")
                    .filter_map(|s| {
                        let guid = s.text_at("parameters/volumeguid")?;
                        Some((s.attribute("name")?.to_string(), format!("{{{}}}", guid.trim_matches(['{', '}']))))
                    })
                    .collect();
                if disk.is_some() {
                    notes.push(format!("a second disk resource `{}` is not described by hagen", r.name));
                } else {
                    disk = Some((drive, guids));
                }
            }
            "regsync" => {
                let mut keys = Vec::new();
                collect_keys(e, &mut keys);
                registry.extend(keys);
            }
            "service" => {
                service_resources = true;
                let service = e.text_at("parameters/name").unwrap_or_default().to_string();
                // hagen's own clp.conf says which app and watch id a service resource replaces.
                let comment = e.text_at("comment").unwrap_or_default();
                let (app, watch_id) = comment
                    .strip_prefix("app ")
                    .and_then(|c| c.split_once(", watch id "))
                    .map(|(a, w)| (a.to_string(), w.to_string()))
                    .unwrap_or_else(|| {
                        let id: String = service.chars().filter(char::is_ascii_alphanumeric).collect();
                        ("services".to_string(), id.to_ascii_uppercase())
                    });
                if values::service_name_problem(&service).is_some() || values::watch_id_problem(&watch_id).is_some() {
                    notes.push(format!(
                        "the service resource `{}` controls `{service}`, which is not a service name hagen accepts",
                        r.name
                    ));
                    continue;
                }
                add_service(&mut apps, catalog, &watch_id, &service, false, false, &app);
            }
            "script" => match package.and_then(|p| p.start_script(name, &r.name)) {
                Some(bytes) => {
                    let decoded = crate::lint::Decoded::from_bytes(bytes);
                    let script = Script::parse(SourceFile::new("start.bat", decoded.text));
                    let mut custom = 0;
                    for line in &script.lines {
                        let Kind::ArmLoad(load) = &line.kind else { continue };
                        let service = load.target.as_ref().map(|t| t.unquoted().to_string()).unwrap_or_default();
                        let watch_id = load.watch_id.text.clone();
                        if values::watch_id_problem(&watch_id).is_some() || values::service_name_problem(&service).is_some() {
                            notes.push(format!("`ARMLOAD {watch_id}` in {}'s start.bat is not a service line hagen accepts", r.name));
                            continue;
                        }
                        if recognise(catalog, &watch_id, &service).is_none() {
                            custom += 1;
                        }
                        let app = format!("{}-services", r.name);
                        add_service(&mut apps, catalog, &watch_id, &service, load.option("/M").is_some(), load.option("/FOV").is_some(), &app);
                    }
                    if custom > 0 {
                        notes.push(format!(
                            "{custom} service(s) of {}'s start.bat belong to no product of the catalog: a `custom` app",
                            r.name
                        ));
                    }
                }
                None => notes.push(format!(
                    "the script resource `{}`: its start.bat was not read (give --scripts DIR), so its apps are not imported",
                    r.name
                )),
            },
            "md" => notes.push(format!("the mirror disk `{}` is not described by hagen (shared disks only)", r.name)),
            other => notes.push(format!("the resource `{}` of type `{other}` is not described by hagen", r.name)),
        }
    }
    for n in &notes {
        out.note(4, n);
    }
    match ips.first() {
        Some(ip) if ip.parse::<std::net::Ipv4Addr>().is_ok() => out.line(4, format!("ip: {ip}")),
        _ => out.note(4, "the group has no floating IP resource (fip); add `ip:`"),
    }
    if ips.len() > 1 {
        out.note(
            4,
            format!(
                "further floating IPs are not described by hagen: {}",
                ips[1..].join(", ")
            ),
        );
    }
    match computer_name {
        Some(c) if values::computer_name_problem(&c).is_none() => out.line(4, format!("computer_name: {}", scalar(&c))),
        Some(c) => out.note(4, format!("the virtual computer name `{c}` is not one hagen accepts")),
        None => {}
    }
    // A drive is one letter and a colon, as a hand-written file must give it.
    let is_drive = |d: &str| d.len() == 2 && d.as_bytes()[0].is_ascii_alphabetic() && d.ends_with(':');
    if let Some((drive, _)) = disk.as_ref().filter(|(d, _)| !is_drive(d)) {
        out.note(
            4,
            format!("the disk is mounted at `{drive}`, not at a drive letter; add `disk:`"),
        );
    }
    if let Some((drive, guids)) = disk.filter(|(d, _)| is_drive(d)) {
        out.line(4, "disk:");
        out.line(6, format!("drive: {}", scalar(&drive)));
        if !guids.is_empty() {
            out.line(6, "volume_guids:");
            for (server, guid) in guids {
                if values::guid_problem(&guid).is_none() {
                    out.line(8, format!("{}: {}", scalar(&server), scalar(&guid)));
                } else {
                    out.note(8, format!("{server}: `{guid}` is not a volume GUID"));
                }
            }
        }
    }
    let after: Vec<String> = group
        .get("depend/act")
        .map(|a| {
            a.all("depend")
                .filter_map(|d| d.attribute("name"))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if !after.is_empty() {
        out.line(4, format!("after: {}", list(&after)));
    }
    if service_resources {
        out.line(4, "control: service-resources");
    }
    // The keys the recognised products register come from the catalog again.
    let from_products: Vec<&str> = apps
        .iter()
        .filter_map(|a| catalog.product(&a.product))
        .flat_map(|p| p.registry.iter().map(|r| r.key.as_str()))
        .collect();
    let own: Vec<&String> = registry
        .iter()
        .filter(|k| !from_products.iter().any(|p| p.eq_ignore_ascii_case(k)))
        .collect();
    if !own.is_empty() {
        out.line(4, "registry:");
        for key in own {
            if values::registry_problem(key).is_none() {
                out.line(6, format!("- {}", scalar(key)));
            } else {
                out.note(6, format!("`{key}` is not a registry key hagen accepts"));
            }
        }
    }
    if apps.is_empty() {
        out.note(4, "no service of this group was found; add `apps:`");
        return;
    }
    out.line(4, "apps:");
    for app in &apps {
        write_app(app, catalog, out);
    }
}

/// Every `key` element below `e`, in file order.
fn collect_keys(e: &Element, keys: &mut Vec<String>) {
    for c in &e.children {
        if c.name == "key" && !c.text.is_empty() {
            keys.push(c.text.clone());
        }
        collect_keys(c, keys);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conf(mount: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"ASCII\"?><root><all><charset>ASCII</charset></all>\
             <cluster><name>c</name></cluster><server name=\"a\"><priority>0</priority></server>\
             <group name=\"g\"><resource name=\"sd@sd1\"/><resource name=\"regsync@r1\"/></group>\
             <resource><sd name=\"sd1\"><parameters><volumemountpoint>{mount}</volumemountpoint></parameters>\
             <server name=\"a\"><parameters><volumeguid>6a7b8c9d-0000-4000-8000-000000000001</volumeguid></parameters></server></sd>\
             <regsync name=\"r1\"><parameters><list id=\"0\"><key>HKEY_LOCAL_MACHINE\\SOFTWARE\\X</key></list></parameters></regsync>\
             </resource></root>"
        )
    }

    #[test]
    fn a_disk_is_imported_only_at_a_drive_letter() {
        let yaml = import("clp.conf", conf("S").as_bytes(), None, Catalog::builtin())
            .unwrap()
            .yaml;
        assert!(yaml.contains("    disk:\n      drive: 'S:'\n      volume_guids:\n        a: '{6a7b8c9d-0000-4000-8000-000000000001}'\n"), "{yaml}");
        assert!(
            yaml.contains("    registry:\n      - 'HKEY_LOCAL_MACHINE\\SOFTWARE\\X'\n"),
            "{yaml}"
        );
        let yaml = import("clp.conf", conf("C:\\mnt").as_bytes(), None, Catalog::builtin())
            .unwrap()
            .yaml;
        assert!(!yaml.contains("disk:\n"), "{yaml}");
        assert!(yaml.contains("# note: the disk is mounted at `C:\\mnt`, not"), "{yaml}");
    }

    #[test]
    fn a_linux_configuration_is_refused() {
        let conf = b"<?xml version=\"1.0\" encoding=\"ASCII\"?><root><all><serveros>linux</serveros></all><cluster><name>c</name></cluster></root>";
        let err = import("clp.conf", conf, None, Catalog::builtin()).unwrap_err();
        assert!(err.contains("Linux"), "{err}");
    }
}
