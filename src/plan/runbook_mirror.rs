//! The runbook's steps for mirror disks and network partition resolution, each with its
//! public NEC source:
//!
//! - EXPRESSCLUSTER/BasicCluster, X41/Win/2nodesMirror.md (commit 09a8779): the two partitions
//!   (data: NTFS; cluster: 1 GB, RAW, not formatted; never C:), the Replicator Option licence
//!   on each server, the initial mirror construction ("Initial Recovery", during which mdw
//!   shows Caution; the second server's data partition is overwritten), the check by a test
//!   file and a group move, and every server reaching the ping target;
//! - the volume GUIDs read with NEC's disk tool: `../shared/reference/nec-docs/
//!   ResourceParameters_Windows_jp.md` (disk resource `server@<server>/parameters/volumeguid`,
//!   "clpdiskctrl.exe" of EXPRESSCLUSTER/ControlDisk), whose doc/HowToUse_en.md, "Get GUID",
//!   runs it as `get guid <drive letter>`.

use super::*;
use crate::tr;

const GUIDE: &str = "EXPRESSCLUSTER/BasicCluster X41/Win/2nodesMirror.md (commit 09a8779)";

/// Before the cluster is created: the partitions, the licence and the GUIDs of every mirror.
pub(super) fn prepare(plan: &Plan) -> Option<RunbookSection> {
    let l = plan.language;
    let mut steps = Vec::new();
    for group in &plan.groups {
        let Some(mirror) = &group.mirror else { continue };
        let m = &mirror.value;
        steps.push(RunbookStep {
            servers: group.policy.clone(),
            text: tr!(
                l,
                "runbook.mirror.partitions",
                group = group.name,
                data = m.drive,
                cluster = m.cluster_drive,
                others = group.policy[1..].join(", "),
            ),
            source: format!("{GUIDE}, Requirements"),
        });
        steps.push(RunbookStep {
            servers: group.policy.clone(),
            text: tr!(l, "runbook.mirror.licence"),
            source: format!("{GUIDE}, Sample configuration (Required Licenses) and Install EXPRESSCLUSTER X"),
        });
        for (server, data, cluster) in &m.guids {
            steps.push(RunbookStep {
                servers: vec![server.clone()],
                text: tr!(
                    l,
                    "runbook.mirror.guids",
                    d = m.drive,
                    c = m.cluster_drive,
                    data = data,
                    cluster = cluster,
                ),
                source: "nec-docs/ResourceParameters_Windows_jp.md (sd, server@/parameters/volumeguid: clpdiskctrl.exe); EXPRESSCLUSTER/ControlDisk doc/HowToUse_en.md, Get GUID".to_string(),
            });
        }
    }
    if !plan.ping_targets.is_empty() {
        let targets: Vec<String> = plan.ping_targets.iter().map(|t| t.to_string()).collect();
        steps.push(RunbookStep {
            servers: plan.servers.iter().map(|s| s.name.clone()).collect(),
            text: tr!(l, "runbook.mirror.ping", targets = targets.join(", ")),
            source: format!("{GUIDE}, Requirements and NP Resolution (Ping)"),
        });
    }
    (!steps.is_empty()).then(|| RunbookSection {
        title: tr!(l, "runbook.title.mirror_prepare"),
        steps,
    })
}

/// After the cluster starts: the initial mirror construction, and the mirror checked.
pub(super) fn verify(plan: &Plan) -> Option<RunbookSection> {
    let l = plan.language;
    let mut steps = Vec::new();
    for group in &plan.groups {
        let Some(mirror) = &group.mirror else { continue };
        let (home, other) = (&group.policy[0], group.policy[1..].join(", "));
        steps.push(RunbookStep {
            servers: Vec::new(),
            text: tr!(
                l,
                "runbook.mirror.initial",
                group = group.name,
                home = home,
                drive = mirror.value.drive,
                other = other,
            ),
            source: format!("{GUIDE}, Check cluster"),
        });
        steps.push(RunbookStep {
            servers: Vec::new(),
            text: tr!(
                l,
                "runbook.mirror.check",
                drive = mirror.value.drive,
                home = home,
                group = group.name,
                other = other,
            ),
            source: format!("{GUIDE}, Check cluster"),
        });
    }
    (!steps.is_empty()).then(|| RunbookSection {
        title: tr!(l, "runbook.title.mirror_check"),
        steps,
    })
}
