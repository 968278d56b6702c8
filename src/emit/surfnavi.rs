//! `firewall/<server>.surfnavi.txt`: the permissions a SURFNAVI packet filter needs, in the form
//! of the PP guide's own list (seed 000, 1.6.5 (1) 9: "CLUSTERPRO の通信に必要なポートの許可設定を
//! 追加します"): one table of inbound permissions by protocol, direction and local port, one of
//! outbound permissions by protocol, direction and remote port, one port per row in upper case
//! (`TCP IN 20003`, `UDP OUT 389`), as the operator enters them in the filter's console. A
//! range is written as its ports, one per row, as the guide lists every port on its own.

use std::fmt::Write;

use crate::model::{Direction, Filter, Protocol};
use crate::plan::Plan;
use crate::tr;

/// Ports of one range written out one per row, at most; a wider range is one row with the range.
const MAX_ROWS_PER_RANGE: u32 = 64;

pub fn list(plan: &Plan, server: &str) -> Option<Vec<u8>> {
    let firewall = plan.firewall.as_ref()?;
    if firewall.filter != Filter::SurfnaviPacketFilter {
        return None;
    }
    let l = plan.language;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}",
        tr!(l, "surfnavi.title", server = server, cluster = plan.cluster_name)
    );
    let _ = writeln!(out, "# {}", tr!(l, "firewall.generated", source = plan.source_name));
    for (direction, heading) in [
        (Direction::In, crate::i18n::text(l, "surfnavi.in")),
        (Direction::Out, crate::i18n::text(l, "surfnavi.out")),
    ] {
        let rules: Vec<_> = firewall
            .rules
            .iter()
            .filter(|n| n.rule.direction == direction)
            .collect();
        if rules.is_empty() {
            continue;
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "{heading}");
        for need in rules {
            let r = need.rule;
            let proto = match r.protocol {
                Protocol::Tcp => "TCP",
                Protocol::Udp => "UDP",
            };
            let dir = match direction {
                Direction::In => "IN ",
                Direction::Out => "OUT",
            };
            if u32::from(r.last) - u32::from(r.first) < MAX_ROWS_PER_RANGE {
                for port in r.first..=r.last {
                    let _ = writeln!(out, "{proto} {dir} {port}");
                }
            } else {
                let _ = writeln!(out, "{proto} {dir} {}-{}", r.first, r.last);
            }
        }
    }
    Some(out.into_bytes())
}
