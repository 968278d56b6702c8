//! `hagen profiles [list|show ID]`: the catalog as a consultant reads it.
//!
//! `show` answers "what does this product need?" in one screen: the services and their watch
//! ids (and so the manual-start list), the services that must never stop or cannot be
//! clustered, monitoring, standby types and server counts, the version matrix, companions,
//! start order, install locations, registry keys, ports and the guide's notes — each fact
//! with its source. The JSON form carries the same facts for tools; it is built here by hand
//! so the catalog's own types stay plain data.

use std::fmt::Write;

use serde_json::{Value, json};

use super::reporter::profiles_of;
use super::stdout::Output;
use crate::app::{EXIT_FAILURE, EXIT_OK};
use crate::catalog::{Catalog, Disk, Generation, OrderFact, Platform, Product};
use crate::cli::{DataFormat, ProfilesAction, ProfilesArgs};

/// One line per platform and per product.
pub fn list(catalog: &Catalog) -> String {
    let mut out = String::from("Platforms:\n");
    for p in catalog.platforms.values() {
        let _ = writeln!(out, "  {:<20} {} ({})", p.id, p.name, dialect(p));
    }
    out.push_str("\nProducts:\n");
    for p in catalog.products.values() {
        let _ = writeln!(out, "  {:<20} {} ({})", p.id, p.name, p.source);
    }
    out.push_str("\n`hagen profiles show ID` tells what one of them requires.\n");
    out
}

pub fn list_json(catalog: &Catalog) -> Value {
    json!({
        "platforms": catalog.platforms.values().map(|p| json!({
            "id": p.id, "name": p.name, "dialect": dialect(p), "clp_conf": p.generation == Generation::X,
        })).collect::<Vec<_>>(),
        "products": catalog.products.values().map(|p| json!({
            "id": p.id, "name": p.name, "source": p.source,
        })).collect::<Vec<_>>(),
    })
}

fn dialect(p: &Platform) -> &'static str {
    match p.generation {
        Generation::Arm => "ARMS_* scripts, no clp.conf",
        Generation::X => "CLP_* scripts, clp.conf",
    }
}

/// What a platform or product requires, for a terminal; `None` for an unknown id.
pub fn show(catalog: &Catalog, id: &str) -> Option<String> {
    if let Some(p) = catalog.product(id) {
        return Some(show_product(p));
    }
    catalog.platform(id).map(show_platform)
}

pub fn show_json(catalog: &Catalog, id: &str) -> Option<Value> {
    if let Some(p) = catalog.product(id) {
        return Some(product_json(p));
    }
    catalog.platform(id).map(platform_json)
}

/// Every id, for "did you mean".
pub fn ids(catalog: &Catalog) -> Vec<&str> {
    catalog
        .platforms
        .keys()
        .chain(catalog.products.keys())
        .map(String::as_str)
        .collect()
}

fn section(out: &mut String, title: &str, lines: Vec<String>) {
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title}:");
    for line in lines {
        let _ = writeln!(out, "  - {line}");
    }
}

fn show_platform(p: &Platform) -> String {
    let mut out = format!("{} ({})\n  {}\n  source: {}\n", p.name, p.id, dialect(p), p.source);
    let os = match &p.os {
        Some(list) => list.join(", "),
        None => "not stated by any source: not checked".to_string(),
    };
    let _ = writeln!(out, "  supported OS: {os} [{}]", p.os_source);
    let ports = if p.ports_known {
        p.ports
            .iter()
            .map(|f| {
                let when = if f.features.is_empty() {
                    String::new()
                } else {
                    format!(", with {}", f.features.join(" or "))
                };
                format!("{}: {}{when} [{}]", f.rule, f.purpose, f.source)
            })
            .collect()
    } else {
        vec!["not stated by any source: a packet filter is not checked against them".to_string()]
    };
    section(&mut out, "Ports the cluster needs", ports);
    section(
        &mut out,
        "Features",
        p.features.iter().map(|f| format!("{} [{}]", f.id, f.source)).collect(),
    );
    out
}

fn platform_json(p: &Platform) -> Value {
    json!({
        "kind": "platform",
        "id": p.id,
        "name": p.name,
        "version": p.version,
        "dialect": dialect(p),
        "clp_conf": p.generation == Generation::X,
        "source": p.source,
        "os": p.os,
        "os_source": p.os_source,
        "ports_known": p.ports_known,
        "ports": p.ports.iter().map(|f| json!({
            "rule": f.rule, "purpose": f.purpose, "features": f.features, "source": f.source,
        })).collect::<Vec<_>>(),
        "features": p.features.iter().map(|f| json!({"id": f.id, "source": f.source})).collect::<Vec<_>>(),
    })
}

fn service_display(name: &str, display: Option<&str>) -> String {
    match display {
        Some(d) if d != name => format!("{d} ({name})"),
        _ => name.to_string(),
    }
}

fn orders(facts: &[OrderFact], word: &str) -> Vec<String> {
    facts
        .iter()
        .map(|f| {
            let how = match f.strength {
                crate::catalog::Strength::Rule => "rule",
                crate::catalog::Strength::Sample => "as the guide's sample does",
            };
            format!("{word} the {} ({how}) [{}]", f.role, f.source)
        })
        .collect()
}

fn show_product(p: &Product) -> String {
    let mut out = format!("{} ({})\n  source: {}\n", p.name, p.id, p.source);
    if !p.roles.is_empty() {
        let _ = writeln!(out, "  roles: {}", p.roles.join(", "));
    }
    section(
        &mut out,
        "Services the cluster controls (ARMLOAD watch id, Windows service)",
        p.services
            .iter()
            .map(|s| {
                let mut line = format!(
                    "{}: {} -> {}",
                    s.key,
                    s.watch_id,
                    service_display(&s.name, s.display.as_deref())
                );
                if !s.default {
                    line.push_str(", only when listed in `services`");
                }
                if !s.versions.is_empty() {
                    let _ = write!(line, ", version {} only", s.versions.join("/"));
                }
                let _ = write!(line, " [{}]", s.source);
                line
            })
            .collect(),
    );
    section(
        &mut out,
        "Set to startup type Manual on every server",
        p.services
            .iter()
            .map(|s| {
                let name = service_display(&s.name, s.display.as_deref());
                if s.default {
                    name
                } else {
                    format!("{name}, when the group controls it")
                }
            })
            .collect(),
    );
    section(
        &mut out,
        "Never stopped by the cluster",
        p.never_stop
            .iter()
            .map(|n| format!("{}: {} [{}]", n.name, n.reason, n.source))
            .collect(),
    );
    section(
        &mut out,
        "Not supported in a cluster",
        p.unsupported_services
            .iter()
            .map(|u| format!("{} ({}) [{}]", u.name, u.key, u.source))
            .collect(),
    );
    let monitor = match (p.monitor.allowed, p.monitor.default) {
        (false, _) => "ARMLOAD /M is forbidden",
        (true, true) => "ARMLOAD /M by default",
        (true, false) => "no ARMLOAD /M by default; `monitor: true` adds it",
    };
    section(
        &mut out,
        "Monitoring",
        vec![format!("{monitor} [{}]", p.monitor.source)],
    );
    section(
        &mut out,
        "Standby types",
        p.standby
            .iter()
            .map(|s| {
                let mut line = s.kind.name().to_string();
                match (s.min_servers, s.max_servers) {
                    (Some(a), Some(b)) if a == b => {
                        let _ = write!(line, ", exactly {a} servers");
                    }
                    (Some(a), Some(b)) => {
                        let _ = write!(line, ", {a}-{b} servers");
                    }
                    (Some(a), None) => {
                        let _ = write!(line, ", at least {a} servers");
                    }
                    (None, Some(b)) => {
                        let _ = write!(line, ", at most {b} servers");
                    }
                    (None, None) => {}
                }
                if s.site_binding {
                    line.push_str(", explicit site binding");
                }
                if s.kill_before_load {
                    line.push_str(", start script kills then loads");
                }
                let _ = write!(line, " [{}]", s.source);
                line
            })
            .collect(),
    );
    section(
        &mut out,
        "Supported versions (version / OS / platform)",
        p.versions
            .iter()
            .map(|r| {
                let note = r.note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default();
                format!(
                    "{} / {} / {}{note} [{}]",
                    r.versions.join(", "),
                    r.os.join(", "),
                    r.platforms.join(", "),
                    r.source
                )
            })
            .collect(),
    );
    section(
        &mut out,
        "Needs in the same group",
        p.requires
            .iter()
            .map(|r| {
                let versions = if r.versions.is_empty() {
                    String::new()
                } else {
                    format!(" {}", r.versions.join("/"))
                };
                format!("{}{versions} [{}]", r.product, r.source)
            })
            .collect(),
    );
    let mut order = orders(&p.start_after, "starts after");
    order.extend(orders(&p.start_before, "starts before"));
    order.extend(p.companion_order.iter().map(|c| {
        format!(
            "in its group, the {} start in that order ({}) [{}]",
            c.roles.join(", then "),
            match c.strength {
                crate::catalog::Strength::Rule => "rule",
                crate::catalog::Strength::Sample => "as the guide's sample does",
            },
            c.source
        )
    }));
    section(&mut out, "Start order", order);
    section(
        &mut out,
        "Install locations and product keys",
        p.keys
            .iter()
            .map(|(key, spec)| {
                let place = match spec.location {
                    Some(Disk::Local) => " (each server's local disk)",
                    Some(Disk::Shared) => " (the switching partition)",
                    None => "",
                };
                let required = if spec.required { ", required" } else { "" };
                format!("{key}{place}{required}: {} [{}]", spec.description, spec.source)
            })
            .collect(),
    );
    section(
        &mut out,
        "Installed",
        match &p.install_once {
            Some(once) => vec![format!(
                "once, from the group's highest-priority server (not on every server) [{}]",
                once.source
            )],
            None => Vec::new(),
        },
    );
    section(
        &mut out,
        "Registry keys to synchronize",
        p.registry
            .iter()
            .map(|r| {
                let note = r.note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default();
                format!("{}{note} [{}]", r.key, r.source)
            })
            .collect(),
    );
    section(
        &mut out,
        "Ports",
        p.ports
            .iter()
            .map(|port| {
                let with = port
                    .service
                    .as_ref()
                    .map(|s| format!(", with service {s}"))
                    .unwrap_or_default();
                format!("{}: {}{with} [{}]", port.rule, port.purpose, port.source)
            })
            .collect(),
    );
    section(
        &mut out,
        "Features",
        p.features
            .iter()
            .map(|f| {
                let pre = if f.pre_start.is_empty() {
                    String::new()
                } else {
                    format!(": before the services start, {}", f.pre_start.join("; "))
                };
                format!("{}{pre} [{}]", f.id, f.source)
            })
            .collect(),
    );
    section(
        &mut out,
        "Notes",
        p.notes
            .iter()
            .map(|n| format!("{}: {} [{}]", n.topic, n.text, n.source))
            .collect(),
    );
    out
}

fn product_json(p: &Product) -> Value {
    let order = |facts: &[OrderFact]| {
        facts
            .iter()
            .map(|f| {
                json!({
                    "role": f.role,
                    "strength": match f.strength {
                        crate::catalog::Strength::Rule => "rule",
                        crate::catalog::Strength::Sample => "sample",
                    },
                    "source": f.source,
                })
            })
            .collect::<Vec<_>>()
    };
    json!({
        "kind": "product",
        "id": p.id,
        "name": p.name,
        "source": p.source,
        "roles": p.roles,
        "services": p.services.iter().map(|s| json!({
            "key": s.key, "name": s.name, "display": s.display, "watch_id": s.watch_id,
            "default": s.default, "versions": s.versions, "source": s.source,
        })).collect::<Vec<_>>(),
        "manual_start": p.services.iter().filter(|s| s.default).map(|s| s.name.clone()).collect::<Vec<_>>(),
        "never_stop": p.never_stop.iter().map(|n| json!({
            "key": n.key, "name": n.name, "reason": n.reason, "source": n.source,
        })).collect::<Vec<_>>(),
        "unsupported_services": p.unsupported_services.iter().map(|u| json!({
            "key": u.key, "name": u.name, "source": u.source,
        })).collect::<Vec<_>>(),
        "monitor": {"default": p.monitor.default, "allowed": p.monitor.allowed, "source": p.monitor.source},
        "standby": p.standby.iter().map(|s| json!({
            "kind": s.kind.name(), "min_servers": s.min_servers, "max_servers": s.max_servers,
            "site_binding": s.site_binding, "kill_before_load": s.kill_before_load, "source": s.source,
        })).collect::<Vec<_>>(),
        "versions": p.versions.iter().map(|r| json!({
            "versions": r.versions, "os": r.os, "platforms": r.platforms, "note": r.note, "source": r.source,
        })).collect::<Vec<_>>(),
        "requires": p.requires.iter().map(|r| json!({
            "product": r.product, "versions": r.versions, "source": r.source,
        })).collect::<Vec<_>>(),
        "start_after": order(&p.start_after),
        "start_before": order(&p.start_before),
        "companion_order": p.companion_order.iter().map(|c| json!({
            "roles": c.roles,
            "strength": match c.strength {
                crate::catalog::Strength::Rule => "rule",
                crate::catalog::Strength::Sample => "sample",
            },
            "source": c.source,
        })).collect::<Vec<_>>(),
        "keys": p.keys.iter().map(|(k, s)| json!({
            "key": k,
            "location": s.location.map(|l| match l { Disk::Local => "local", Disk::Shared => "shared" }),
            "required": s.required,
            "description": s.description,
            "source": s.source,
        })).collect::<Vec<_>>(),
        "install_once": p.install_once.as_ref().map(|o| json!({"source": o.source})),
        "registry": p.registry.iter().map(|r| json!({"key": r.key, "note": r.note, "source": r.source})).collect::<Vec<_>>(),
        "ports": p.ports.iter().map(|x| json!({
            "rule": x.rule, "service": x.service, "purpose": x.purpose, "source": x.source,
        })).collect::<Vec<_>>(),
        "features": p.features.iter().map(|f| json!({"id": f.id, "pre_start": f.pre_start, "source": f.source})).collect::<Vec<_>>(),
        "notes": p.notes.iter().map(|n| json!({"topic": n.topic, "text": n.text, "source": n.source})).collect::<Vec<_>>(),
    })
}

/// `hagen profiles [list|show ID]`.
pub fn run(args: &ProfilesArgs) -> i32 {
    let mut out = Output::new();
    let loaded = match profiles_of(args.profiles.as_deref()) {
        Ok(c) => c,
        Err(message) => {
            out.error_line(&message);
            return EXIT_FAILURE;
        }
    };
    let catalog = loaded.as_ref().unwrap_or(Catalog::builtin());
    let json = args.format == DataFormat::Json;
    match &args.action {
        None | Some(ProfilesAction::List) if json => out.write(&pretty(&list_json(catalog))),
        None | Some(ProfilesAction::List) => out.write(&list(catalog)),
        Some(ProfilesAction::Show { id }) => {
            let found = if json {
                show_json(catalog, id).map(|v| pretty(&v))
            } else {
                show(catalog, id)
            };
            match found {
                Some(text) => out.write(&text),
                None => {
                    let hint = crate::suggest::help(id, ids(catalog))
                        .map(|h| format!("; {h}"))
                        .unwrap_or_else(|| "; `hagen profiles list` shows every id".to_string());
                    out.error_line(&format!("no platform or product `{id}` in the catalog{hint}"));
                    let _ = out.finish();
                    return EXIT_FAILURE;
                }
            }
        }
    }
    if out.finish() { EXIT_OK } else { EXIT_FAILURE }
}

/// JSON for people and tools alike: indented, with a final line break.
fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("a JSON value serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_can_be_shown_in_both_forms() {
        let catalog = Catalog::builtin();
        for id in ids(catalog) {
            let text = show(catalog, id).unwrap();
            assert!(text.contains(&format!("({id})")), "{id}");
            assert_eq!(show_json(catalog, id).unwrap()["id"], id);
        }
        assert!(show(catalog, "nope").is_none());
    }

    #[test]
    fn a_product_shows_what_the_guide_requires() {
        let catalog = Catalog::builtin();
        let surfnavi = show(catalog, "surfnavi").unwrap();
        assert!(surfnavi.contains("Never stopped by the cluster"), "{surfnavi}");
        assert!(surfnavi.contains("ICPFSrv"), "{surfnavi}");
        let dbmail = show_json(catalog, "dbmail").unwrap();
        assert_eq!(dbmail["monitor"]["allowed"], false);
        assert!(!dbmail["companion_order"].as_array().unwrap().is_empty(), "{dbmail}");
        assert!(
            show(catalog, "dbmail")
                .unwrap()
                .contains("in its group, the web-server")
        );
        let iis = show(catalog, "iis").unwrap();
        assert!(
            iis.contains("two-way, exactly 2 servers, explicit site binding"),
            "{iis}"
        );
        assert!(iis.contains("SMTP"), "{iis}");
    }
}
