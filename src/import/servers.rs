//! The `servers:` part: the servers in priority order, their public addresses (from the
//! runbook) and their interconnects (the LAN devices of the kernel-mode heartbeats).

use super::Package;
use super::out::{Out, list, scalar, shown};
use super::xml::Element;
use crate::model::values;

/// Servers in priority order.
pub fn sorted_servers(root: &Element) -> Vec<&Element> {
    let mut servers: Vec<&Element> = root.all("server").collect();
    servers.sort_by_key(|s| {
        s.text_at("priority")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(u32::MAX)
    });
    servers
}

pub fn servers(root: &Element, package: Option<&Package>, out: &mut Out) {
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
                format!(
                    "heartbeats of type {} are not described by hagen",
                    shown(&other.join(", "))
                ),
            );
        }
    }
    for server in sorted_servers(root) {
        let name = server.attribute("name").unwrap_or_default();
        if values::name_problem(name).is_some() {
            out.note(
                2,
                format!(
                    "the server `{}` has a name hagen cannot use; rename it and add it",
                    shown(name)
                ),
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
                Some(a) => out.note(
                    4,
                    format!("the heartbeat address `{}` is not an IPv4 address", shown(a)),
                ),
                None => out.note(4, format!("no LAN device {} for this heartbeat", shown(id))),
            }
        }
        let other: Vec<&str> = server
            .all("device")
            .filter_map(|d| d.text_at("type"))
            // Mirror connects and ping devices are read with the mirror disks and the network
            // partition resolution that name them (mirror.rs).
            .filter(|t| !matches!(*t, "lan" | "mdc" | "ping"))
            .collect();
        if !other.is_empty() {
            out.note(
                4,
                format!(
                    "devices of type {} are not described by hagen",
                    shown(&other.join(", "))
                ),
            );
        }
        out.line(4, format!("interconnects: {}", list(&interconnects)));
    }
}
