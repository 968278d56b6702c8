//! How each kind of change is applied, what it disturbs, and the rollout and rollback plans.
//!
//! A change reaches a running cluster by one of four methods (upload only, suspend and resume
//! the cluster, stop and start the group, restart the cluster), by the parameters it touches.
//! No public document in reach states which, for the kinds of change hagen reports:
//!
//! - `../shared/reference/nec-docs/` (the clp.conf parameter references of NEC's generator,
//!   `ClusterParameters_Windows_jp.md`, `GroupParameters_Windows_jp.md`,
//!   `ResourceParameters_Windows_jp.md`, `MonitorParameters_Windows_jp.md`,
//!   `CommandParameters_en.md`, `CommandUsage_v1/v2_Windows_jp.md`) give element paths and
//!   values, not how a change is applied;
//! - NEC's public repositories show the sequence for other settings only, on Linux: an alert
//!   destination change needs the cluster suspended and resumed around the push
//!   (github.com/EXPRESSCLUSTER/AlertMessages, `alertDestEdit_JP.md`, 構成ファイルをクラスタに
//!   反映します), and so does a StatsD setting (github.com/EXPRESSCLUSTER/StatsD, `README.md`);
//!   hagen describes neither;
//! - the guides' own parameter tables (the Reference Guide of each CLUSTERPRO X version,
//!   chapter 2, パラメータの詳細) could not be read here.
//!
//! So every method below is hagen's cautious choice and says `unverified`: it names no source,
//! and [`Method::to_confirm`] says what a reader must confirm before relying on it. When a
//! table is in reach, its document and section go in [`Method::source`] for the kinds it
//! covers, and the method follows it.
//!
//! Changes outside clp.conf (the packet filter, a service's startup type) are made on the
//! servers, before the push (what must be open or manual) or after it (what may close).

use serde::Serialize;

use super::change::{Change, Kind};

/// How a change reaches the running cluster, from the least to the most disturbing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// On each server's packet filter, outside the cluster configuration.
    PacketFilter,
    /// On each server of the group (a service's startup type), outside the configuration.
    ServerSetting,
    /// The configuration is uploaded; nothing running is disturbed.
    UploadOnly,
    /// Suspend the cluster, upload, resume: monitoring pauses, the groups keep running.
    SuspendResume,
    /// Upload, then stop and start the group: its services stop for the while.
    StopStartGroup,
    /// Stop the cluster, upload, start it: every group stops for the while.
    RestartCluster,
}

impl Method {
    /// The method of a kind of change.
    pub fn of(kind: Kind) -> Method {
        use Kind::*;
        match kind {
            PortOpen | PortClose => Method::PacketFilter,
            ManualStartAdded | ManualStartDropped => Method::ServerSetting,
            ClusterName | MonitorAdded | MonitorRemoved | MonitorTarget => Method::SuspendResume,
            GroupAdded | GroupRemoved | GroupOrderAdded | GroupOrderRemoved | FailoverPolicy => Method::SuspendResume,
            Platform | Language | ServerAdded | ServerRemoved | Interconnects => Method::RestartCluster,
            FloatingIp
            | ComputerName
            | Disk
            | Mirror
            | Control
            | AppAdded
            | AppRemoved
            | AppChanged
            | ServiceAdded
            | ServiceRemoved
            | ServiceChanged
            | ServiceResourceAdded
            | ServiceResourceRemoved
            | StartOrder
            | EdgeAdded
            | EdgeRemoved
            | RegistryAdded
            | RegistryRemoved
            | ScriptAdded
            | ScriptRemoved
            | ScriptChanged => Method::StopStartGroup,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Method::PacketFilter => "packet filter",
            Method::ServerSetting => "server setting",
            Method::UploadOnly => "upload only",
            Method::SuspendResume => "suspend/resume cluster",
            Method::StopStartGroup => "stop/start group",
            Method::RestartCluster => "restart cluster",
        }
    }

    /// What applying it disturbs.
    pub fn disturbs(self) -> &'static str {
        match self {
            Method::PacketFilter | Method::ServerSetting | Method::UploadOnly => "nothing running",
            Method::SuspendResume => "monitoring pauses; groups keep running",
            Method::StopStartGroup => "the group's services stop until it starts again",
            Method::RestartCluster => "every group stops until the cluster starts again",
        }
    }

    /// The public NEC document (and section or table) that gives this method; `None`:
    /// unverified (see the module's documentation).
    pub fn source(self) -> Option<&'static str> {
        None
    }

    /// What to confirm, and where, while the method is unverified; `None` once it has a source.
    pub fn to_confirm(self) -> Option<&'static str> {
        if self.source().is_some() {
            return None;
        }
        Some(match self {
            Method::PacketFilter => {
                "that the rule is changed on each server's packet filter itself: clp.conf does not hold it, so no cluster operation applies it"
            }
            Method::ServerSetting => {
                "that the startup type is set on each server of the group in Windows' Services console: clp.conf does not hold it, so no cluster operation applies it"
            }
            Method::UploadOnly => {
                "in the Reference Guide of the cluster's CLUSTERPRO version (chapter 2, Parameter details) that uploading alone applies a change to these parameters"
            }
            Method::SuspendResume => {
                "in the Reference Guide of the cluster's CLUSTERPRO version (chapter 2, Parameter details) that suspending and resuming the cluster applies a change to these parameters while the groups keep running, and that no group or cluster restart is needed"
            }
            Method::StopStartGroup => {
                "in the Reference Guide of the cluster's CLUSTERPRO version (chapter 2, Parameter details) that stopping and starting the group applies a change to these parameters, and that a cluster suspend or restart is not needed instead"
            }
            Method::RestartCluster => {
                "in the Reference Guide of the cluster's CLUSTERPRO version (chapter 2, Parameter details) whether a change to these parameters needs the cluster stopped and started, or whether suspending and resuming it is enough"
            }
        })
    }

    /// The source as shown: the document, or `unverified`.
    pub fn source_shown(self) -> &'static str {
        self.source().unwrap_or("unverified")
    }

    /// The order changes are listed in: the most disturbing first.
    pub fn impact(self) -> u8 {
        match self {
            Method::RestartCluster => 5,
            Method::StopStartGroup => 4,
            Method::SuspendResume => 3,
            Method::UploadOnly => 2,
            Method::ServerSetting => 1,
            Method::PacketFilter => 0,
        }
    }
}

/// One step of a rollout or rollback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub text: String,
}

/// The rollout of `changes` (sorted), taking the cluster from `old` to `new` (their paths):
/// open ports and set services to Manual first, stop what is removed, push with the most
/// disturbing method any change needs, restart only the groups that must restart, verify,
/// then close what is no longer needed.
pub fn rollout(changes: &[Change], new: &str, conf: bool) -> Vec<Step> {
    let mut steps = Vec::new();
    if changes.is_empty() {
        return steps;
    }
    let mut step = |text: String| steps.push(Step { text });
    let list = |kind: Kind| -> Vec<&Change> { changes.iter().filter(|c| c.kind == kind).collect() };
    let opened = list(Kind::PortOpen);
    if !opened.is_empty() {
        step(format!(
            "Open on the packet filter of every server: {}.",
            join(opened.iter().map(|c| c.after.clone().unwrap_or_default()))
        ));
    }
    for c in list(Kind::ManualStartAdded) {
        step(format!(
            "Group {}: {}.",
            c.group.as_deref().unwrap_or_default(),
            c.after.clone().unwrap_or_default()
        ));
    }
    let removed: Vec<&str> = list(Kind::GroupRemoved)
        .iter()
        .filter_map(|c| c.group.as_deref())
        .collect();
    if !removed.is_empty() {
        step(format!("Stop the groups that are removed: {}.", removed.join(", ")));
    }
    let pushed = changes.iter().any(|c| c.method >= Method::UploadOnly);
    let top = changes.iter().map(|c| c.method).max().unwrap_or(Method::PacketFilter);
    let push = if conf {
        format!("push the new configuration (`clpcfctrl --push -x DIR`, DIR holding {new}'s package)")
    } else {
        format!("copy {new}'s scripts to every server")
    };
    if pushed {
        step(match top {
            Method::RestartCluster => format!("Stop the cluster, {push}, then start the cluster."),
            Method::SuspendResume => format!("Suspend the cluster, {push}, then resume the cluster."),
            _ => capitalised(&format!("{push}.")),
        });
    }
    if pushed && top < Method::RestartCluster {
        let added: Vec<&str> = list(Kind::GroupAdded)
            .iter()
            .filter_map(|c| c.group.as_deref())
            .collect();
        // Sets: a change of a thousand groups asks of each whether it was added or removed.
        let new_or_gone: std::collections::HashSet<&str> = added.iter().chain(&removed).copied().collect();
        let mut restart: Vec<&str> = changes
            .iter()
            .filter(|c| c.method == Method::StopStartGroup)
            .filter_map(|c| c.group.as_deref())
            .filter(|g| !new_or_gone.contains(g))
            .collect();
        restart.dedup();
        if !restart.is_empty() {
            step(format!(
                "Stop and start these groups, one at a time, each on its current server: {}.",
                restart.join(", ")
            ));
        }
        if !added.is_empty() {
            step(format!("Start the new groups: {}.", added.join(", ")));
        }
    }
    if pushed && conf {
        step(format!(
            "Verify: pull the live configuration (`clpcfctrl --pull -x DIR`) and check that `hagen diff {new} DIR/clp.conf` reports no change; check that every group is online."
        ));
    } else {
        step("Verify: check that every group is online.".to_string());
    }
    let closed = list(Kind::PortClose);
    if !closed.is_empty() {
        step(format!(
            "Then the packet filter may close: {}.",
            join(closed.iter().map(|c| c.before.clone().unwrap_or_default()))
        ));
    }
    steps
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unverified_method_says_what_to_confirm_and_a_sourced_one_does_not() {
        for method in [
            Method::PacketFilter,
            Method::ServerSetting,
            Method::UploadOnly,
            Method::SuspendResume,
            Method::StopStartGroup,
            Method::RestartCluster,
        ] {
            assert_eq!(method.to_confirm().is_some(), method.source().is_none(), "{method:?}");
            assert_eq!(method.source_shown() == "unverified", method.source().is_none());
        }
    }
}
