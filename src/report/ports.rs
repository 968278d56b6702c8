//! The ports the review page lists: every port the cluster needs through a packet filter, and
//! whether `firewall.allow` lets it through.
//!
//! The needs are the planner's own ([`crate::plan::port_needs`]), computed for a cluster
//! that may have errors.

use crate::check::Cluster;
use crate::model::{Filter, PortRule};

/// Whether a declared packet filter is in force (`firewall` given, `filter` not `none`).
pub(super) fn filter(cluster: &Cluster) -> Option<Filter> {
    cluster
        .file
        .firewall
        .as_ref()
        .map(|f| f.filter.value)
        .filter(|f| *f != Filter::None)
}

/// Whether every port of `rule` is let through by some entry of the allowlist (as the
/// `port-not-allowed` rule decides it).
pub(super) fn allowed(rule: &PortRule, allow: &[PortRule]) -> bool {
    (rule.first..=rule.last).all(|port| {
        allow.iter().any(|a| {
            a.covers(&PortRule {
                first: port,
                last: port,
                ..*rule
            })
        })
    })
}
