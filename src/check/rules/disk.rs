//! `volume-guid-missing`: CLUSTERPRO X's clp.conf names each server's volume of a switching
//! partition by its GUID (FACTS.md section 3), so every server of the failover policy needs
//! one.

use crate::catalog::Generation;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::resolved::Cluster;
use crate::tr;

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
    let l = cluster.language();
    shared_drive_letters(cluster, diags);
    let Some(platform) = cluster.platform else { return };
    if platform.generation != Generation::X {
        return;
    }
    for group in &cluster.groups {
        let Some(disk) = &group.group.disk else { continue };
        let missing: Vec<&str> = group
            .servers
            .iter()
            .filter(|s| !disk.volume_guids.iter().any(|(server, _)| server.value == s.value))
            .map(|s| s.value.as_str())
            .collect();
        if missing.is_empty() {
            continue;
        }
        diags.push(
            Diagnostic::new(
                Code::VolumeGuidMissing,
                disk.span.clone(),
                tr!(
                    l,
                    "diag.guid",
                    group = group.name(),
                    servers = missing.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "),
                ),
            )
            .label(tr!(l, "diag.guid.label"))
            .help(tr!(l, "diag.guid.help", server = missing[0])),
        );
    }
}

/// Two groups that can run on the same server cannot both mount their switching partition as
/// the same drive letter: after a failover one of them would find its letter taken (the
/// guides give each group of a two-way pair its own partition, PP guide 1.1.4).
fn shared_drive_letters(cluster: &Cluster, diags: &mut Diagnostics) {
    let l = cluster.language();
    for (i, group) in cluster.groups.iter().enumerate() {
        let Some(drive) = group.group.disk.as_ref().and_then(|d| d.drive.as_ref()) else {
            continue;
        };
        let earlier = cluster.groups[..i].iter().find_map(|other| {
            let theirs = other.group.disk.as_ref().and_then(|d| d.drive.as_ref())?;
            let server = group.servers.iter().find(|s| other.runs_on(&s.value))?;
            (theirs.value == drive.value).then_some((other, theirs, server))
        });
        let Some((other, theirs, server)) = earlier else {
            continue;
        };
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                drive.span.clone(),
                tr!(
                    l,
                    "diag.drive_shared",
                    first = other.name(),
                    second = group.name(),
                    drive = drive.value,
                    server = server.value,
                ),
            )
            .label(tr!(l, "diag.drive_shared.label", drive = drive.value))
            .related(
                theirs.span.clone(),
                tr!(
                    l,
                    "diag.drive_shared.related",
                    drive = theirs.value,
                    group = other.name()
                ),
            )
            .help(tr!(l, "diag.drive_shared.help")),
        );
    }
}
