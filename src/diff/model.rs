//! What one side of a diff says about the cluster, in the terms hagen describes it.
//!
//! A cluster file says everything (apps, services, the start order with its reasons, ports,
//! scripts); a clp.conf says only the cluster's shape (servers, failover policies, resources,
//! monitors); a package folder says that and its scripts. Every part a side cannot say is
//! `None` and is not compared: a difference is reported only where both sides know.

use std::collections::BTreeMap;

use crate::diag::Span;

/// Where a side was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    ClusterFile,
    Package,
    ClpConf,
}

impl Origin {
    pub fn name(self) -> &'static str {
        match self {
            Origin::ClusterFile => "cluster file",
            Origin::Package => "package folder",
            Origin::ClpConf => "clp.conf",
        }
    }
}

/// One side of a diff.
#[derive(Debug, Clone)]
pub struct Side {
    pub origin: Origin,
    /// The path as given.
    pub name: String,
    /// The text of a cluster file, for the places of its changes.
    pub text: Option<crate::source::SourceFile>,
    pub cluster_name: Option<String>,
    pub platform: Option<String>,
    pub language: Option<String>,
    pub servers: Vec<ServerFacts>,
    pub groups: Vec<GroupFacts>,
    /// Whether the groups' failover policies and resources are known (not for a package
    /// without clp.conf, whose groups are only its scripts' folders).
    pub shape: bool,
    /// The ports the cluster needs through its packet filter (cluster files only).
    pub ports: Option<Vec<PortFact>>,
    /// Generated or packaged scripts by path (`scripts/<group>/...`), as text with `\n` lines.
    pub scripts: Option<BTreeMap<String, String>>,
    /// The monitors of its clp.conf (a clp.conf or a package; a cluster file's own, generated).
    pub monitors: Option<Vec<MonitorFacts>>,
    /// What the side holds that hagen does not describe, each said once.
    pub ignored: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerFacts {
    pub name: String,
    pub interconnects: Vec<String>,
    pub span: Option<Span>,
}

#[derive(Debug, Clone, Default)]
pub struct GroupFacts {
    pub name: String,
    pub span: Option<Span>,
    /// Servers in failover order.
    pub policy: Vec<String>,
    pub policy_span: Option<Span>,
    /// Groups this group starts after.
    pub after: Vec<Placed<String>>,
    pub fip: Option<Placed<String>>,
    pub computer_name: Option<Placed<String>>,
    pub disk: Option<Placed<DiskFacts>>,
    pub mirror: Option<Placed<MirrorFacts>>,
    pub registry: Vec<Placed<String>>,
    /// `script` or `service-resources` (cluster files; a clp.conf says it by its resources).
    pub control: Option<String>,
    /// Service resources (clp.conf level): the Windows service names in resource order.
    pub service_resources: Vec<String>,
    /// The apps (cluster files only).
    pub apps: Option<Vec<AppFacts>>,
    /// The services the group starts, in start order (cluster files only).
    pub services: Option<Vec<ServiceFacts>>,
    /// Start-order edges between the apps, with their reasons (cluster files only).
    pub edges: Option<Vec<EdgeFacts>>,
    /// The Windows services that must be set to startup type Manual on the group's servers
    /// (cluster files only).
    pub manual_start: Option<Vec<String>>,
}

/// A value and where a cluster file says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed<T> {
    pub value: T,
    pub span: Option<Span>,
}

impl<T> Placed<T> {
    pub fn new(value: T, span: Option<Span>) -> Self {
        Placed { value, span }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskFacts {
    /// Upper-case drive letter.
    pub drive: char,
    /// Server -> volume GUID (lower case, without braces), in policy order.
    pub guids: Vec<(String, String)>,
}

/// A mirror disk (`md`): its data and cluster partitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorFacts {
    /// Upper-case drive letter of the data partition.
    pub drive: char,
    /// Upper-case drive letter of the cluster partition.
    pub cluster_drive: char,
    /// Server -> (data partition GUID, cluster partition GUID), lower case, without braces,
    /// sorted by server.
    pub guids: Vec<(String, String, String)>,
    /// The mirror connects in priority order, each as server -> address, sorted by server.
    pub connects: Vec<Vec<(String, String)>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppFacts {
    pub id: String,
    pub product: String,
    pub version: Option<String>,
    pub span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFacts {
    pub app: String,
    pub name: String,
    pub watch_id: String,
    /// ARMLOAD /M.
    pub monitor: bool,
    /// ARMLOAD /FOV.
    pub failover: bool,
    pub span: Option<Span>,
}

/// `to` starts after `from`, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeFacts {
    pub from: String,
    pub to: String,
    /// `after`, `rule`, `companion` or `sample`.
    pub kind: &'static str,
    pub reason: String,
    pub span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortFact {
    /// `tcp/in 29001-29005`.
    pub rule: String,
    pub purpose: String,
    pub source: String,
    pub span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitorFacts {
    pub name: String,
    /// `fipw`, `servicew`, ...
    pub kind: String,
    /// What it watches, in words that do not depend on resource numbering
    /// (`the address of group db`), or the raw target when it names no known resource.
    pub target: String,
}
