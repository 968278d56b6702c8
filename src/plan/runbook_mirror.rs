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

const GUIDE: &str = "EXPRESSCLUSTER/BasicCluster X41/Win/2nodesMirror.md (commit 09a8779)";

/// Before the cluster is created: the partitions, the licence and the GUIDs of every mirror.
pub(super) fn prepare(plan: &Plan) -> Option<RunbookSection> {
    let mut steps = Vec::new();
    for group in &plan.groups {
        let Some(mirror) = &group.mirror else { continue };
        let m = &mirror.value;
        steps.push(RunbookStep {
            servers: group.policy.clone(),
            text: format!(
                "Group {}: prepare two partitions on a disk other than the system drive: the data partition {}: (NTFS, sized for the data) and the cluster partition {}: (1 GB, RAW: do not format it). The initial mirror construction overwrites the data partition of {}.",
                group.name,
                m.drive,
                m.cluster_drive,
                group.policy[1..].join(", ")
            ),
            source: format!("{GUIDE}, Requirements"),
        });
        steps.push(RunbookStep {
            servers: group.policy.clone(),
            text: "Register the Replicator Option licence (one per server).".to_string(),
            source: format!("{GUIDE}, Sample configuration (Required Licenses) and Install EXPRESSCLUSTER X"),
        });
        for (server, data, cluster) in &m.guids {
            steps.push(RunbookStep {
                servers: vec![server.clone()],
                text: format!(
                    "Read the volume GUIDs with clpdiskctrl get guid {d}:\\ and clpdiskctrl get guid {c}:\\; they must be the cluster file's: {d}: {data}, {c}: {cluster}.",
                    d = m.drive,
                    c = m.cluster_drive,
                ),
                source: "nec-docs/ResourceParameters_Windows_jp.md (sd, server@/parameters/volumeguid: clpdiskctrl.exe); EXPRESSCLUSTER/ControlDisk doc/HowToUse_en.md, Get GUID".to_string(),
            });
        }
    }
    if !plan.ping_targets.is_empty() {
        let targets: Vec<String> = plan.ping_targets.iter().map(|t| t.to_string()).collect();
        steps.push(RunbookStep {
            servers: plan.servers.iter().map(|s| s.name.clone()).collect(),
            text: format!(
                "Check that this server reaches the network partition resolution's ping target(s): ping {}.",
                targets.join(", ")
            ),
            source: format!("{GUIDE}, Requirements and NP Resolution (Ping)"),
        });
    }
    (!steps.is_empty()).then(|| RunbookSection {
        title: "Prepare the mirror disks".to_string(),
        steps,
    })
}

/// After the cluster starts: the initial mirror construction, and the mirror checked.
pub(super) fn verify(plan: &Plan) -> Option<RunbookSection> {
    let mut steps = Vec::new();
    for group in &plan.groups {
        let Some(mirror) = &group.mirror else { continue };
        let (home, other) = (&group.policy[0], group.policy[1..].join(", "));
        steps.push(RunbookStep {
            servers: Vec::new(),
            text: format!(
                "Start group {} on {home}: the initial mirror construction copies {}: to {other}. Its mirror disk monitor shows Caution until the copy ends (longer for a large partition); wait until it is Normal.",
                group.name, mirror.value.drive
            ),
            source: format!("{GUIDE}, Check cluster"),
        });
        steps.push(RunbookStep {
            servers: Vec::new(),
            text: format!(
                "Check the mirror: write a test file on {d}: on {home}, move group {g} to {other} in Cluster WebUI, and check that the file is on {d}: there.",
                d = mirror.value.drive,
                g = group.name
            ),
            source: format!("{GUIDE}, Check cluster"),
        });
    }
    (!steps.is_empty()).then(|| RunbookSection {
        title: "Check the mirror disks".to_string(),
        steps,
    })
}
