//! The mirror disk of a group (`md`) and the cluster's mirror connects (`mdc`), planned from a
//! cluster that checked clean (two servers, every GUID, connects on interconnects).
//!
//! Names and device ids follow NEC's sample (EXPRESSCLUSTER/BasicCluster,
//! X41/Win/conf/2nodesMirror/clp.conf at commit e91caaa): mirror connects are `mdc1`, `mdc2`,
//! ... on devices 400, 401, ... of each server, and a mirror disk's connects are its
//! `netdev`s with priorities 1, 2, ... A connect two mirror disks share is planned once.

use super::build::Names;
use super::*;
use crate::resolved::{Cluster, GroupView};

/// The first `mdc` device id (sample above; FACTS.md section 3: "mdc 400..").
pub const MDC_DEVICE: usize = 400;

pub(super) fn mirror(
    cluster: &Cluster,
    view: &GroupView,
    connects: &mut Vec<MirrorConnect>,
    names: &mut Names,
) -> Option<Resource<PlanMirror>> {
    let m = view.group.mirror.as_ref()?;
    // Servers in the cluster's order, so that the same connect written in either order is one.
    let order = |server: &str| cluster.file.servers.iter().position(|s| s.name.value == server);
    let mut indexes = Vec::new();
    for connect in &m.connects {
        let mut addresses: Vec<(String, Ipv4Addr)> = connect
            .addresses
            .iter()
            .map(|(s, ip)| (s.value.clone(), ip.value))
            .collect();
        addresses.sort_by_key(|(s, _)| order(s));
        let index = match connects.iter().position(|c| c.addresses == addresses) {
            Some(i) => i,
            None => {
                connects.push(MirrorConnect {
                    name: format!("mdc{}", connects.len() + 1),
                    device: MDC_DEVICE + connects.len(),
                    addresses,
                });
                connects.len() - 1
            }
        };
        if !indexes.contains(&index) {
            indexes.push(index);
        }
    }
    let guids = view
        .servers
        .iter()
        .filter_map(|s| {
            let g = m.volume_guids.iter().find(|g| g.server.value == s.value)?;
            Some((
                s.value.clone(),
                g.data.as_ref()?.value.clone(),
                g.cluster.as_ref()?.value.clone(),
            ))
        })
        .collect();
    Some(Resource {
        name: names.next("md"),
        value: PlanMirror {
            drive: m.drive.as_ref().expect("a clean mirror has a drive").value,
            cluster_drive: m
                .cluster_drive
                .as_ref()
                .expect("a clean mirror has a cluster drive")
                .value,
            guids,
            connects: indexes,
        },
    })
}
