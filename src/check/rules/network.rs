//! Addresses: a floating IP that is also a server's or another group's address, a server
//! whose interconnect count differs from the others (one kernel-mode LAN heartbeat per
//! interconnect needs the same number on every server), and `control: service-resources`
//! on a platform without service resources.

use std::collections::HashMap;
use std::net::Ipv4Addr;

use crate::catalog::Generation;
use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::model::Control;
use crate::resolved::Cluster;
use crate::tr;

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
    let l = cluster.language();
    let mut owners: HashMap<Ipv4Addr, (String, Span)> = HashMap::new();
    let addresses = cluster
        .file
        .servers
        .iter()
        .flat_map(|s| {
            s.ip.iter()
                .map(move |ip| (ip, tr!(l, "diag.address.server", server = s.name.value)))
                .chain(
                    s.interconnects
                        .iter()
                        .map(move |ip| (ip, tr!(l, "diag.address.interconnect", server = s.name.value))),
                )
        })
        .chain(cluster.file.groups.iter().flat_map(|g| {
            g.ip.iter()
                .map(move |ip| (ip, tr!(l, "diag.address.group", group = g.name.value)))
        }));
    for (ip, owner) in addresses {
        match owners.get(&ip.value) {
            Some((first, span)) => diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    ip.span.clone(),
                    tr!(l, "diag.address", ip = ip.value, first = first),
                )
                .label(tr!(l, "diag.address.label", owner = owner))
                .related(span.clone(), tr!(l, "diag.address.related", first = first)),
            ),
            None => {
                owners.insert(ip.value, (owner, ip.span.clone()));
            }
        }
    }

    if let Some(first) = cluster.file.servers.first() {
        for server in &cluster.file.servers[1..] {
            if server.interconnects.len() != first.interconnects.len() {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        server.name.span.clone(),
                        tr!(
                            l,
                            "diag.interconnects",
                            server = server.name.value,
                            count = server.interconnects.len(),
                            first = first.name.value,
                            first_count = first.interconnects.len(),
                        ),
                    )
                    .help(tr!(l, "diag.interconnects.help")),
                );
            }
        }
    }

    if let Some(platform) = cluster.platform
        && platform.generation == Generation::Arm
    {
        for group in &cluster.file.groups {
            if let Some(control) = &group.control
                && control.value == Control::ServiceResources
            {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        control.span.clone(),
                        tr!(l, "diag.service_resources", platform = platform.name),
                    )
                    .help(tr!(l, "diag.service_resources.help")),
                );
            }
        }
    }
}
