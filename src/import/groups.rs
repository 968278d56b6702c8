//! The `groups:` part: each failover group's failover order, address, computer name, disk,
//! registry keys, start order, control and apps, from its resources (and, for its script
//! resources, the scripts of the package).

use super::Package;
use super::apps::{App, add_service, write_app};
use super::out::{Out, list, scalar, shown};
use super::resources::{Definitions, collect_keys, tuned};
use super::scripts::script_apps;
use super::servers::sorted_servers;
use super::xml::Element;
use crate::catalog::Catalog;
use crate::model::values;

pub fn groups(root: &Element, package: Option<&Package>, catalog: &Catalog, out: &mut Out) -> usize {
    out.line(0, "groups:");
    let servers: Vec<String> = sorted_servers(root)
        .iter()
        .filter_map(|s| s.attribute("name"))
        .filter(|s| values::name_problem(s).is_none())
        .map(str::to_string)
        .collect();
    let definitions = Definitions::new(root);
    let mut count = 0;
    for group in root.all("group") {
        let name = group.attribute("name").unwrap_or_default();
        if values::name_problem(name).is_some() {
            out.note(
                2,
                format!(
                    "the group `{}` has a name hagen cannot use; rename it and add it",
                    shown(name)
                ),
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
            let (usable, unusable): (Vec<String>, Vec<String>) = policy
                .into_iter()
                .map(|(_, s)| s)
                .partition(|s| values::name_problem(s).is_none());
            for s in unusable {
                out.note(
                    4,
                    format!(
                        "the failover policy names the server `{}`, a name hagen cannot use: left out",
                        shown(&s)
                    ),
                );
            }
            usable
        };
        out.line(4, format!("failover: {}", list(&failover)));
        group_body(root, &definitions, group, name, package, catalog, out);
    }
    count
}

fn group_body(
    root: &Element,
    definitions: &Definitions,
    group: &Element,
    name: &str,
    package: Option<&Package>,
    catalog: &Catalog,
    out: &mut Out,
) {
    let resources = definitions.resources_of(group);
    let mut ips = Vec::new();
    let mut computer_name = None;
    let mut disk: Option<(String, Vec<(String, String)>)> = None;
    let mut mirror: Option<Vec<(usize, String)>> = None;
    let mut registry = Vec::new();
    let mut apps: Vec<App> = Vec::new();
    let mut service_resources = false;
    let mut notes = Vec::new();
    for r in &resources {
        let Some(e) = r.element else {
            notes.push(format!(
                "the resource `{}@{}` is not defined under <resource>",
                shown(&r.kind),
                shown(&r.name)
            ));
            continue;
        };
        if tuned(e) {
            notes.push(format!(
                "the resource `{}` has waits, retries, timeouts or recovery actions, which hagen leaves to the defaults",
                shown(&r.name)
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
                    notes.push(format!("a second disk resource `{}` is not described by hagen", shown(&r.name)));
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
                let said = comment.strip_prefix("app ").and_then(|c| c.split_once(", watch id "));
                let app = match said {
                    Some((a, _)) if values::name_problem(a).is_none() => a.to_string(),
                    Some((a, _)) => {
                        notes.push(format!(
                            "the service resource `{}` names the app `{}`, a name hagen cannot use: its service is in the app `services`",
                            shown(&r.name),
                            shown(a)
                        ));
                        "services".to_string()
                    }
                    None => "services".to_string(),
                };
                let watch_id = said.map(|(_, w)| w.to_string()).unwrap_or_else(|| {
                    let id: String = service.chars().filter(char::is_ascii_alphanumeric).collect();
                    id.to_ascii_uppercase()
                });
                if values::service_name_problem(&service).is_some() || values::watch_id_problem(&watch_id).is_some() {
                    notes.push(format!(
                        "the service resource `{}` controls `{}`, which is not a service name hagen accepts",
                        shown(&r.name),
                        shown(&service)
                    ));
                    continue;
                }
                add_service(&mut apps, catalog, &watch_id, &service, Some(false), false, &app);
            }
            "script" => match package.and_then(|p| p.scripts(name, &r.name)) {
                Some(scripts) => script_apps(&r.name, scripts, catalog, &mut apps, &mut notes),
                None => notes.push(format!(
                    "the script resource `{}`: its start.bat was not read (give --scripts DIR), so its apps are not imported",
                    shown(&r.name)
                )),
            },
            "md" if mirror.is_some() => notes.push(format!(
                "a second mirror disk `{}` is not described by hagen",
                shown(&r.name)
            )),
            "md" => mirror = super::mirror::mirror(root, e, &r.name, &mut notes),
            other => notes.push(format!(
                "the resource `{}` of type `{}` is not described by hagen",
                shown(&r.name),
                shown(other)
            )),
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
                shown(&ips[1..].join(", "))
            ),
        );
    }
    match computer_name {
        Some(c) if values::computer_name_problem(&c).is_none() => out.line(4, format!("computer_name: {}", scalar(&c))),
        Some(c) => out.note(
            4,
            format!("the virtual computer name `{}` is not one hagen accepts", shown(&c)),
        ),
        None => {}
    }
    // A drive is one letter and a colon, as a hand-written file must give it.
    let is_drive = |d: &str| d.len() == 2 && d.as_bytes()[0].is_ascii_alphabetic() && d.ends_with(':');
    if let Some((drive, _)) = disk.as_ref().filter(|(d, _)| !is_drive(d)) {
        out.note(
            4,
            format!(
                "the disk is mounted at `{}`, not at a drive letter; add `disk:`",
                shown(drive)
            ),
        );
    }
    if let Some((drive, guids)) = disk.filter(|(d, _)| is_drive(d)) {
        out.line(4, "disk:");
        out.line(6, format!("drive: {}", scalar(&drive)));
        // One GUID per server: a server named twice would be a duplicate key.
        let mut usable: Vec<(String, String)> = Vec::new();
        let mut left_out = Vec::new();
        for (server, guid) in guids {
            if values::name_problem(&server).is_some() {
                left_out.push(format!(
                    "the volume GUID of the server `{}`, a name hagen cannot use: left out",
                    shown(&server)
                ));
            } else if values::guid_problem(&guid).is_some() {
                left_out.push(format!("{server}: `{}` is not a volume GUID", shown(&guid)));
            } else if usable.iter().any(|(s, _)| *s == server) {
                left_out.push(format!("{server}: a second volume GUID `{guid}` is left out"));
            } else {
                usable.push((server, guid));
            }
        }
        if !usable.is_empty() {
            out.line(6, "volume_guids:");
        }
        for n in &left_out {
            out.note(if usable.is_empty() { 6 } else { 8 }, n);
        }
        for (server, guid) in usable {
            out.line(8, format!("{}: {}", scalar(&server), scalar(&guid)));
        }
    }
    for (indent, line) in mirror.iter().flatten() {
        out.line(*indent, line);
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
    let (after, unusable): (Vec<String>, Vec<String>) =
        after.into_iter().partition(|a| values::name_problem(a).is_none());
    for a in unusable {
        out.note(
            4,
            format!(
                "the group depends on `{}`, a name hagen cannot use: left out",
                shown(&a)
            ),
        );
    }
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
                out.note(6, format!("`{}` is not a registry key hagen accepts", shown(key)));
            }
        }
    }
    if apps.is_empty() {
        // A group may hold only its address and disk (SPEC section 2); one with a script
        // resource whose scripts were not read has a note above.
        return;
    }
    out.line(4, "apps:");
    for app in &apps {
        write_app(app, catalog, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::import;

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
}
