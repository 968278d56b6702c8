//! One semantic change between two sides: what changed, where, and how it is applied.
//!
//! Each kind has one apply method (`apply.rs`); a new kind of resource (a mirror disk) is one
//! more variant with its method, and every renderer shows it without change.

use serde::Serialize;

use super::apply::Method;
use crate::diag::Span;

/// The kinds of change, in the order they are listed within a group at equal impact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    ClusterName,
    Platform,
    Language,
    ServerAdded,
    ServerRemoved,
    Interconnects,
    GroupAdded,
    GroupRemoved,
    GroupOrderAdded,
    GroupOrderRemoved,
    FailoverPolicy,
    FloatingIp,
    ComputerName,
    Disk,
    /// A mirror disk added, removed or changed.
    Mirror,
    Control,
    AppAdded,
    AppRemoved,
    AppChanged,
    ServiceAdded,
    ServiceRemoved,
    ServiceChanged,
    ServiceResourceAdded,
    ServiceResourceRemoved,
    StartOrder,
    EdgeAdded,
    EdgeRemoved,
    RegistryAdded,
    RegistryRemoved,
    MonitorAdded,
    MonitorRemoved,
    MonitorTarget,
    ManualStartAdded,
    ManualStartDropped,
    PortOpen,
    PortClose,
    ScriptAdded,
    ScriptRemoved,
    ScriptChanged,
}

impl Kind {
    /// The kind's name in JSON and in the tables (`edge-added`).
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// Which side a place is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Which {
    Old,
    New,
}

/// One change.
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: Kind,
    /// The group it belongs to; `None` for the cluster as a whole.
    pub group: Option<String>,
    /// What changed, in one line.
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub method: Method,
    /// Where the cluster file says what causes it.
    pub place: Option<(Which, Span)>,
    /// The unified diff of a script (script changes only).
    pub text_diff: Option<String>,
}

impl Change {
    pub fn new(kind: Kind, group: Option<&str>, summary: String) -> Change {
        Change {
            kind,
            group: group.map(str::to_string),
            summary,
            before: None,
            after: None,
            method: Method::of(kind),
            place: None,
            text_diff: None,
        }
    }

    pub fn values(mut self, before: Option<String>, after: Option<String>) -> Change {
        self.before = before;
        self.after = after;
        self
    }

    pub fn at(mut self, which: Which, span: Option<Span>) -> Change {
        if self.place.is_none() {
            self.place = span.map(|s| (which, s));
        }
        self
    }
}
