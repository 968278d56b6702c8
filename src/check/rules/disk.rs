//! `volume-guid-missing`: CLUSTERPRO X's clp.conf names each server's volume of a switching
//! partition by its GUID (FACTS.md section 3), so every server of the failover policy needs
//! one.

use crate::catalog::Generation;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::resolved::Cluster;

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
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
                format!(
                    "the switching partition of group `{}` has no volume GUID for {}",
                    group.name(),
                    missing.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                ),
            )
            .label("`volume_guids` incomplete")
            .help(format!(
                "run `clpdiskctrl get guid` on each server and add `volume_guids: {{ {}: \"{{...}}\" }}`",
                missing[0]
            )),
        );
    }
}

/// Two groups that can run on the same server cannot both mount their switching partition as
/// the same drive letter: after a failover one of them would find its letter taken (the
/// guides give each group of a two-way pair its own partition, PP guide 1.1.4).
fn shared_drive_letters(cluster: &Cluster, diags: &mut Diagnostics) {
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
                format!(
                    "groups `{}` and `{}` both mount their switching partition as {}: on `{}`",
                    other.name(),
                    group.name(),
                    drive.value,
                    server.value
                ),
            )
            .label(format!("{}: again", drive.value))
            .related(
                theirs.span.clone(),
                format!("{}: of group `{}`", theirs.value, other.name()),
            )
            .help("give each group that can run on the same server a drive letter of its own"),
        );
    }
}
