//! The ports the review page lists: every port the cluster needs through a packet filter, and
//! whether `firewall.allow` lets it through.
//!
//! The needs are the planner's own ([`crate::plan::port_needs`]), computed for a cluster
//! that may have errors; whether the allowlist lets one through is
//! [`crate::model::PortRule::allowed_by`], as the `port-not-allowed` rule decides it.

use crate::model::Filter;
use crate::resolved::Cluster;

/// Whether a declared packet filter is in force (`firewall` given, `filter` not `none`).
pub(super) fn filter(cluster: &Cluster) -> Option<Filter> {
    cluster
        .file
        .firewall
        .as_ref()
        .map(|f| f.filter.value)
        .filter(|f| *f != Filter::None)
}
