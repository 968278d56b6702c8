//! The rules, one family per file. Each reads the resolved [`Cluster`] and pushes what it
//! finds; the order in which they run does not matter, as output is sorted by place.

mod accounts;
mod companions;
mod disk;
pub mod encoding;
mod install;
mod mirror;
mod monitor;
mod network;
mod order;
mod ports;
mod services;
mod standby;
mod versions;

use crate::diag::Diagnostics;
use crate::resolved::Cluster;

/// Runs every rule.
pub fn run(cluster: &Cluster, diags: &mut Diagnostics) {
    order::check(cluster, diags);
    companions::check(cluster, diags);
    ports::check(cluster, diags);
    services::check(cluster, diags);
    monitor::check(cluster, diags);
    standby::check(cluster, diags);
    versions::check(cluster, diags);
    accounts::check(cluster, diags);
    install::check(cluster, diags);
    disk::check(cluster, diags);
    network::check(cluster, diags);
    encoding::check(cluster, diags);
    mirror::check(cluster, diags);
}
