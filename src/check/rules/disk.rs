//! `volume-guid-missing`: CLUSTERPRO X's clp.conf names each server's volume of a switching
//! partition by its GUID (FACTS.md section 3), so every server of the failover policy needs
//! one.

use crate::catalog::Generation;
use crate::check::Cluster;
use crate::diag::{Code, Diagnostic, Diagnostics};

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
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
