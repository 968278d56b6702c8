//! Mirror disks (`groups[].mirror`) and network partition resolution (`network_partition`).
//!
//! NEC's two-node mirror cluster (EXPRESSCLUSTER/BasicCluster, X41/Win/2nodesMirror.md and its
//! clp.conf at commit e91caaa) mirrors a data partition between the two servers of a failover
//! group over mirror connects, each a pair of interconnect addresses (the `mdc` devices of
//! each server), and keeps its state on a cluster partition; a ping target resolves network
//! partitions. What the rules here require:
//!
//! - both exist only in clp.conf: CLUSTERPRO X (`invalid-value` elsewhere);
//! - a mirror disk mirrors between exactly two servers (`server-count`); hybrid disks, which
//!   mirror between groups of servers for three or more, are not described by hagen;
//! - every server of the policy has the volume GUIDs of both partitions
//!   (`volume-guid-missing`), and no GUID names a server that does not exist
//!   (`unknown-reference`);
//! - the cluster partition is not the data partition (`invalid-value`; the system drive `C:`
//!   is refused when the file is read: "It is not supported to mirror C: drive");
//! - each mirror connect gives both servers an address that is one of their interconnects
//!   (`unknown-reference` for a server or address that is not, `missing-field` for a server
//!   it leaves out), each connect once (`invalid-value`);
//! - no drive letter of a mirror is also the letter of a shared disk or another mirror that
//!   can run on the same server (`invalid-value`);
//! - a ping target is not one of the cluster's own addresses (a server's, an interconnect,
//!   a floating IP), which answer from inside the partition (`invalid-value`).

use std::net::Ipv4Addr;

use crate::catalog::Generation;
use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::model::{Language, Mirror, Sp};
use crate::resolved::{Cluster, GroupView};
use crate::tr;

/// A disk of [`letters`] in the cluster's language.
fn disk_name(l: Language, what: &str) -> &'static str {
    crate::i18n::text(
        l,
        match what {
            "the shared disk" => "diag.mirror.disk.shared",
            "the mirror disk's data partition" => "diag.mirror.disk.data",
            _ => "diag.mirror.disk.cluster",
        },
    )
}

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
    let l = cluster.language();
    let x = cluster.platform.is_none_or(|p| p.generation == Generation::X);
    if let Some(np) = &cluster.file.network_partition {
        if !x {
            diags.push(arm_only(cluster, np.span.clone(), &tr!(l, "diag.mirror.np")));
        }
        ping_targets(cluster, &np.ping, diags);
    }
    for group in &cluster.groups {
        let Some(mirror) = &group.group.mirror else { continue };
        if !x {
            diags.push(arm_only(cluster, mirror.span.clone(), &tr!(l, "diag.mirror.mirrors")));
            continue;
        }
        // With another number of servers, what each server lacks would only repeat it.
        let two = two_servers(l, group, diags);
        guids(cluster, group, mirror, two, diags);
        partitions(l, mirror, diags);
        connects(cluster, group, mirror, two, diags);
    }
    drive_letters(cluster, diags);
}

fn arm_only(cluster: &Cluster, span: Span, what: &str) -> Diagnostic {
    let l = cluster.language();
    let name = cluster.platform.map(|p| p.name.as_str()).unwrap_or_default();
    Diagnostic::new(
        Code::InvalidValue,
        span,
        tr!(l, "diag.mirror.arm", platform = name, what = what),
    )
    .help(tr!(l, "diag.mirror.arm.help"))
}

/// Whether the policy has two servers (`server-count` when it has not).
fn two_servers(l: Language, group: &GroupView, diags: &mut Diagnostics) -> bool {
    let n = group.servers.len();
    if n == 2 || group.group.failover.len() != n {
        // Unknown or repeated servers are reported where they are written.
        return n == 2;
    }
    let help = if n > 2 {
        tr!(l, "diag.mirror.two.help_more")
    } else {
        tr!(l, "diag.mirror.two.help_one")
    };
    diags.push(
        Diagnostic::new(
            Code::ServerCount,
            group.group.failover_span.clone(),
            tr!(l, "diag.mirror.two", group = group.name(), n = n),
        )
        .label(tr!(l, "diag.mirror.two.label"))
        .help(help),
    );
    false
}

fn guids(cluster: &Cluster, group: &GroupView, mirror: &Mirror, two: bool, diags: &mut Diagnostics) {
    let l = cluster.language();
    for g in &mirror.volume_guids {
        if !cluster.servers.contains_key(g.server.value.as_str()) {
            diags.push(unknown_server(cluster, &g.server));
        }
    }
    let missing: Vec<&str> = group
        .servers
        .iter()
        .filter(|s| !mirror.volume_guids.iter().any(|g| g.server.value == s.value))
        .map(|s| s.value.as_str())
        .collect();
    if let Some(first) = missing.first().filter(|_| two) {
        diags.push(
            Diagnostic::new(
                Code::VolumeGuidMissing,
                mirror.span.clone(),
                tr!(
                    l,
                    "diag.mirror.guids",
                    group = group.name(),
                    servers = missing.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "),
                ),
            )
            .label(tr!(l, "diag.guid.label"))
            .help(tr!(l, "diag.mirror.guids.help", server = first)),
        );
    }
}

fn partitions(l: Language, mirror: &Mirror, diags: &mut Diagnostics) {
    if let (Some(data), Some(cp)) = (&mirror.drive, &mirror.cluster_drive)
        && data.value == cp.value
    {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                cp.span.clone(),
                tr!(l, "diag.mirror.same_partition", drive = cp.value),
            )
            .label(tr!(l, "diag.mirror.same_partition.label"))
            .related(data.span.clone(), tr!(l, "diag.mirror.same_partition.related"))
            .help(tr!(l, "diag.mirror.same_partition.help")),
        );
    }
}

fn connects(cluster: &Cluster, group: &GroupView, mirror: &Mirror, two: bool, diags: &mut Diagnostics) {
    let l = cluster.language();
    let mut seen: Vec<(&Span, Vec<(&str, Ipv4Addr)>)> = Vec::new();
    for connect in &mirror.connects {
        for (server, ip) in &connect.addresses {
            let Some(known) = cluster.servers.get(server.value.as_str()) else {
                diags.push(unknown_server(cluster, server));
                continue;
            };
            if !group.runs_on(&server.value) {
                diags.push(
                    Diagnostic::new(
                        Code::UnknownReference,
                        server.span.clone(),
                        tr!(
                            l,
                            "diag.mirror.connect.server",
                            server = server.value,
                            group = group.name()
                        ),
                    )
                    .help(tr!(l, "diag.mirror.connect.server.help")),
                );
                continue;
            }
            if !known.interconnects.iter().any(|i| i.value == ip.value) {
                let theirs: Vec<String> = known.interconnects.iter().map(|i| i.value.to_string()).collect();
                diags.push(
                    Diagnostic::new(
                        Code::UnknownReference,
                        ip.span.clone(),
                        tr!(l, "diag.mirror.connect.ip", ip = ip.value, server = server.value),
                    )
                    .label(tr!(l, "diag.mirror.connect.ip.label"))
                    .help(tr!(
                        l,
                        "diag.mirror.connect.ip.help",
                        server = server.value,
                        addresses = if theirs.is_empty() {
                            tr!(l, "diag.mirror.none")
                        } else {
                            theirs.join(", ")
                        },
                    )),
                );
            }
        }
        let missing: Vec<&str> = group
            .servers
            .iter()
            .filter(|s| !connect.addresses.iter().any(|(server, _)| server.value == s.value))
            .map(|s| s.value.as_str())
            .collect();
        if two && !missing.is_empty() && !connect.addresses.is_empty() {
            diags.push(
                Diagnostic::new(
                    Code::MissingField,
                    connect.span.clone(),
                    tr!(
                        l,
                        "diag.mirror.connect.missing",
                        servers = missing.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "),
                    ),
                )
                .help(tr!(l, "diag.mirror.connect.missing.help")),
            );
        }
        let mut key: Vec<(&str, Ipv4Addr)> = connect
            .addresses
            .iter()
            .map(|(s, ip)| (s.value.as_str(), ip.value))
            .collect();
        key.sort();
        if let Some((first, _)) = seen.iter().find(|(_, k)| *k == key) {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    connect.span.clone(),
                    tr!(l, "diag.mirror.connect.twice"),
                )
                .related((*first).clone(), tr!(l, "diag.mirror.connect.twice.related"))
                .help(tr!(l, "diag.mirror.connect.twice.help")),
            );
        } else {
            seen.push((&connect.span, key));
        }
    }
}

/// The drive letters of a group's disks: the shared disk's, and the mirror's two.
fn letters<'g>(group: &'g GroupView) -> Vec<(&'static str, &'g Sp<char>)> {
    let mut out = Vec::new();
    if let Some(d) = group.group.disk.as_ref().and_then(|d| d.drive.as_ref()) {
        out.push(("the shared disk", d));
    }
    if let Some(m) = &group.group.mirror {
        out.extend(m.drive.iter().map(|d| ("the mirror disk's data partition", d)));
        out.extend(
            m.cluster_drive
                .iter()
                .map(|d| ("the mirror disk's cluster partition", d)),
        );
    }
    out
}

/// A letter of a mirror that a shared disk or another mirror of a group on the same server
/// also uses (two shared disks are `disk.rs`'s).
fn drive_letters(cluster: &Cluster, diags: &mut Diagnostics) {
    let l = cluster.language();
    for (i, group) in cluster.groups.iter().enumerate() {
        let mine = letters(group);
        for (k, (what, drive)) in mine.iter().enumerate() {
            let same_group = mine[..k]
                .iter()
                .filter(|(w, _)| !(w.starts_with("the mirror") && what.starts_with("the mirror")))
                .find(|(_, d)| d.value == drive.value)
                .map(|(w, d)| (group, *w, *d, None));
            let other_group = || {
                cluster.groups[..i].iter().find_map(|other| {
                    let server = group.servers.iter().find(|s| other.runs_on(&s.value))?;
                    letters(other)
                        .into_iter()
                        .filter(|(w, _)| w.starts_with("the mirror") || what.starts_with("the mirror"))
                        .find(|(_, d)| d.value == drive.value)
                        .map(|(w, d)| (other, w, d, Some(server.value.as_str())))
                })
            };
            let Some((other, theirs, at, server)) = same_group.or_else(other_group) else {
                continue;
            };
            let message = match server {
                None => tr!(
                    l,
                    "diag.mirror.letter.group",
                    group = group.name(),
                    drive = drive.value,
                    what = disk_name(l, what),
                    theirs = disk_name(l, theirs),
                ),
                Some(server) => tr!(
                    l,
                    "diag.mirror.letter.groups",
                    first = other.name(),
                    second = group.name(),
                    drive = drive.value,
                    server = server,
                ),
            };
            diags.push(
                Diagnostic::new(Code::InvalidValue, drive.span.clone(), message)
                    .label(tr!(
                        l,
                        "diag.mirror.letter.label",
                        drive = drive.value,
                        what = disk_name(l, what)
                    ))
                    .related(
                        at.span.clone(),
                        tr!(
                            l,
                            "diag.mirror.letter.related",
                            drive = at.value,
                            theirs = disk_name(l, theirs),
                            group = other.name(),
                        ),
                    )
                    .help(tr!(l, "diag.mirror.letter.help")),
            );
        }
    }
}

/// A ping target that is a server's, an interconnect's or a group's own address.
fn ping_targets(cluster: &Cluster, ping: &[Sp<Ipv4Addr>], diags: &mut Diagnostics) {
    let l = cluster.language();
    for target in ping {
        let owner = cluster.file.servers.iter().find_map(|s| {
            if s.ip.as_ref().is_some_and(|ip| ip.value == target.value) {
                return Some((
                    tr!(l, "diag.address.server", server = s.name.value),
                    s.ip.as_ref().unwrap().span.clone(),
                ));
            }
            s.interconnects.iter().find(|i| i.value == target.value).map(|i| {
                (
                    tr!(l, "diag.address.interconnect", server = s.name.value),
                    i.span.clone(),
                )
            })
        });
        let owner = owner.or_else(|| {
            cluster.file.groups.iter().find_map(|g| {
                g.ip.as_ref()
                    .filter(|ip| ip.value == target.value)
                    .map(|ip| (tr!(l, "diag.mirror.ping.fip", group = g.name.value), ip.span.clone()))
            })
        });
        if let Some((owner, span)) = owner {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    target.span.clone(),
                    tr!(l, "diag.mirror.ping", target = target.value, owner = owner),
                )
                .label(tr!(l, "diag.mirror.ping.label"))
                .related(span, tr!(l, "diag.address.related", first = owner))
                .help(tr!(l, "diag.mirror.ping.help")),
            );
        }
    }
}

fn unknown_server(cluster: &Cluster, server: &Sp<String>) -> Diagnostic {
    let l = cluster.language();
    let mut d = Diagnostic::new(
        Code::UnknownReference,
        server.span.clone(),
        tr!(l, "diag.mirror.no_server", server = server.value),
    );
    if let Some(help) = cluster.server_names().help_in(l, &server.value) {
        d = d.help(help);
    }
    d
}
