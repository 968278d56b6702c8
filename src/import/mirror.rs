//! Mirror disks (`md` with its `mdc` devices, watched by `mdw` and `mdnw`) and network
//! partition resolution by ping (`pingnp` with its `ping` devices), read back into the cluster
//! file's `groups[].mirror` and `network_partition`. The element shapes are those of NEC's
//! two-node mirror sample (EXPRESSCLUSTER/BasicCluster, X41/Win/conf/2nodesMirror/clp.conf at
//! commit e91caaa) and of hagen's own clp.conf; every value passes the cluster file's
//! allowlists, and one that does not is left out with a note.

use super::out::{Out, list, scalar, shown};
use super::servers::sorted_servers;
use super::xml::Element;
use crate::model::values;

/// `network_partition:` from `<networkpartition>`: the addresses of every `pingnp`, in
/// priority order, each group's list in order. Other methods are noted.
pub fn network_partition(root: &Element, out: &mut Out) {
    let Some(np) = root.get("networkpartition") else { return };
    let mut notes = Vec::new();
    let other: Vec<&str> = np
        .all("types")
        .filter_map(|t| t.attribute("name"))
        .filter(|t| *t != "pingnp")
        .collect();
    if !other.is_empty() {
        notes.push(format!(
            "network partition resolution of type {} is not described by hagen",
            shown(&other.join(", "))
        ));
    }
    let mut pings: Vec<&Element> = np.all("pingnp").collect();
    pings.sort_by_key(|p| {
        p.text_at("priority")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(u32::MAX)
    });
    if pings.len() > 1 || pings.iter().any(|p| p.all("grp").count() > 1) {
        notes.push("several ping groups are one list of targets in hagen".to_string());
    }
    let mut targets: Vec<String> = Vec::new();
    for ping in &pings {
        for grp in ping.all("grp") {
            for item in grp.all("list") {
                match item.text_at("ip") {
                    Some(ip) if values::parse_ipv4(ip).is_some() && targets.iter().any(|t| t == ip) => {}
                    Some(ip) if values::parse_ipv4(ip).is_some() => targets.push(ip.to_string()),
                    Some(ip) => notes.push(format!("the ping target `{}` is not an IPv4 address", shown(ip))),
                    None => {}
                }
            }
        }
        // Each server says whether it uses the resource (`info` 1) on the device it names.
        let device = ping.text_at("device").unwrap_or_default();
        for server in sorted_servers(root) {
            let used = server
                .all("device")
                .find(|d| d.attribute("id") == Some(device) && d.text_at("type") == Some("ping"))
                .and_then(|d| d.text_at("info"));
            if used != Some("1") {
                notes.push(format!(
                    "the server `{}` does not use the ping resolution; hagen has every server use it",
                    shown(server.attribute("name").unwrap_or_default())
                ));
            }
        }
    }
    if targets.is_empty() && notes.is_empty() {
        return;
    }
    out.line(0, "network_partition:");
    for n in &notes {
        out.note(2, n);
    }
    if !targets.is_empty() {
        out.line(2, format!("ping: {}", list(&targets)));
    }
    out.line(0, "");
}

/// A drive letter of clp.conf (`E` as NEC's sample writes it, or `E:`) as the cluster file
/// writes it, when it is one a mirror may use.
fn drive(mount: Option<&str>) -> Option<String> {
    let mount = mount?;
    let letter = mount.trim_end_matches(':');
    let drive = format!("{letter}:");
    values::parse_mirror_drive(&drive).ok().map(|_| drive)
}

/// The lines of `mirror:` of a group for the `md` resource `md`; notes go to `notes`.
pub fn mirror(root: &Element, md: &Element, name: &str, notes: &mut Vec<String>) -> Option<Vec<(usize, String)>> {
    let mut lines: Vec<(usize, String)> = vec![(4, "mirror:".to_string())];
    let data = drive(md.text_at("parameters/volumemountpoint"));
    let cluster = drive(md.text_at("parameters/cpvolumemountpoint"));
    let (Some(data), Some(cluster)) = (data, cluster) else {
        notes.push(format!(
            "the mirror disk `{}` is not mounted at drive letters hagen accepts (`{}`, `{}`); add `mirror:`",
            shown(name),
            shown(md.text_at("parameters/volumemountpoint").unwrap_or_default()),
            shown(md.text_at("parameters/cpvolumemountpoint").unwrap_or_default())
        ));
        return None;
    };
    lines.push((6, format!("drive: {}", scalar(&data))));
    lines.push((6, format!("cluster_drive: {}", scalar(&cluster))));

    let servers: Vec<&Element> = sorted_servers(root)
        .into_iter()
        .filter(|s| s.attribute("name").is_some_and(|n| values::name_problem(n).is_none()))
        .collect();
    let mut netdevs: Vec<&Element> = md
        .get("parameters")
        .map(|p| p.all("netdev").collect())
        .unwrap_or_default();
    netdevs.sort_by_key(|n| {
        n.text_at("priority")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(u32::MAX)
    });
    let mut connects = Vec::new();
    for netdev in netdevs {
        let device = netdev.text_at("device").unwrap_or_default();
        let mut pairs = Vec::new();
        for server in &servers {
            let address = server
                .all("device")
                .find(|d| d.attribute("id") == Some(device) && d.text_at("type") == Some("mdc"))
                .and_then(|d| d.text_at("mdc/info").or_else(|| d.text_at("info")));
            match address {
                Some(a) if values::parse_ipv4(a).is_some() => {
                    pairs.push(format!("{}: {a}", scalar(server.attribute("name").unwrap_or_default())))
                }
                Some(a) => notes.push(format!(
                    "the mirror connect address `{}` is not an IPv4 address",
                    shown(a)
                )),
                None => {}
            }
        }
        if pairs.is_empty() {
            notes.push(format!(
                "the mirror connect `{}` of `{}` has no mdc device {} on any server",
                shown(netdev.text_at("mdcname").unwrap_or_default()),
                shown(name),
                shown(device)
            ));
        } else {
            connects.push(format!("- {{ {} }}", pairs.join(", ")));
        }
    }
    if connects.is_empty() {
        notes.push(format!(
            "the mirror disk `{}` has no mirror connect; add `connects:`",
            shown(name)
        ));
    } else {
        lines.push((6, "connects:".to_string()));
        lines.extend(connects.into_iter().map(|c| (8, c)));
    }

    let mut guids: Vec<(String, String)> = Vec::new();
    for s in md.all("server") {
        let server = s.attribute("name").unwrap_or_default();
        let braced = |g: Option<&str>| g.map(|g| format!("{{{}}}", g.trim_matches(['{', '}'])));
        let (data, cluster) = (
            braced(s.text_at("parameters/volumeguid")),
            braced(s.text_at("parameters/cpvolumeguid")),
        );
        let ok = |g: &Option<String>| g.as_deref().is_some_and(|g| values::guid_problem(g).is_none());
        if values::name_problem(server).is_some() {
            notes.push(format!(
                "the mirror GUIDs of the server `{}`, a name hagen cannot use: left out",
                shown(server)
            ));
        } else if !ok(&data) || !ok(&cluster) {
            notes.push(format!(
                "{server}: the mirror disk's volume GUIDs `{}`, `{}` are not both volume GUIDs: left out",
                shown(data.as_deref().unwrap_or_default()),
                shown(cluster.as_deref().unwrap_or_default())
            ));
        } else if guids.iter().any(|(s, _)| s == server) {
            notes.push(format!("{server}: second mirror GUIDs are left out"));
        } else {
            guids.push((
                server.to_string(),
                format!(
                    "{{ data: {}, cluster: {} }}",
                    scalar(data.as_deref().unwrap_or_default()),
                    scalar(cluster.as_deref().unwrap_or_default())
                ),
            ));
        }
    }
    if !guids.is_empty() {
        lines.push((6, "volume_guids:".to_string()));
        lines.extend(guids.into_iter().map(|(s, g)| (8, format!("{}: {g}", scalar(&s)))));
    }
    Some(lines)
}
