//! The plan: a validated, fully resolved description of what the package holds.
//!
//! The plan is built only from a cluster that checked without errors. It fixes every
//! decision — resource names, the start order of services, the stop order (its exact
//! reverse), pre-start commands, ARMLOAD options, the steps of the runbook — so that the
//! emitters (clp.conf, scripts, runbook, graph) only format it. No emitter reads the YAML or
//! the catalog.

mod build;
mod mirror;
mod runbook;
mod runbook_mirror;

use std::net::Ipv4Addr;

pub use crate::resolved::PortNeed;
pub use build::build;
pub use runbook::filter_name;

use crate::catalog::{Generation, StandbyKind};
use crate::model::{Control, Filter, Language};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The cluster file's name as given (without folders), named in generated headers.
    pub source_name: String,
    pub cluster_name: String,
    pub platform: PlanPlatform,
    pub os: String,
    pub language: Language,
    pub features: Vec<String>,
    pub servers: Vec<PlanServer>,
    pub groups: Vec<PlanGroup>,
    pub firewall: Option<PlanFirewall>,
    /// The mirror connects of the cluster's mirror disks, each once, in order of first use.
    pub mirror_connects: Vec<MirrorConnect>,
    /// Network partition resolution by ping: the targets, in order.
    pub ping_targets: Vec<Ipv4Addr>,
    /// The manual steps, in order.
    pub runbook: Vec<RunbookSection>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanPlatform {
    pub id: String,
    pub name: String,
    pub generation: Generation,
    /// The management tool and its source, where the catalog names one.
    pub manager: Option<(String, String)>,
}

impl PlanPlatform {
    /// The prefix of the script variables: `ARMS` (ARM generation) or `CLP` (X).
    pub fn variable_prefix(&self) -> &'static str {
        match self.generation {
            Generation::Arm => "ARMS",
            Generation::X => "CLP",
        }
    }

    /// Whether the platform is configured by clp.conf (CLUSTERPRO X).
    pub fn has_clp_conf(&self) -> bool {
        self.generation == Generation::X
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanServer {
    pub name: String,
    /// 0 is the highest; the order of `servers` in the file.
    pub priority: usize,
    pub ip: Ipv4Addr,
    pub interconnects: Vec<Ipv4Addr>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanGroup {
    pub name: String,
    /// Server names in failover priority order; the first is HOME.
    pub policy: Vec<String>,
    pub standby: StandbyKind,
    pub control: Control,
    /// Groups this group starts after.
    pub after: Vec<String>,
    pub fip: Resource<Ipv4Addr>,
    pub hostname: Option<String>,
    pub vcom: Option<Resource<String>>,
    pub disk: Option<Resource<PlanDisk>>,
    pub mirror: Option<Resource<PlanMirror>>,
    /// Registry keys to synchronize (catalog keys first, then the user's), without repeats.
    pub regsync: Option<Resource<Vec<RegistryKey>>>,
    /// The script resource, which carries the broadcasts and pre-start commands; `None` for a
    /// group without apps, which holds only its address and disk.
    pub script: Option<String>,
    /// Commands run before any service starts, in order.
    pub pre_start: Vec<PreStart>,
    /// Services in start order.
    pub start: Vec<ServiceAction>,
    /// Two-way standby: stop the services (in stop order) before starting them.
    pub kill_before_load: bool,
    /// After a disk failure on a server other than the highest-priority one, start.bat moves
    /// the group on (`START ARMFOVER`), as a product's sample does: the sample's source.
    pub disk_failover: Option<String>,
    /// `control: service-resources`: one service resource (and servicew monitor) per action,
    /// in start order; empty with `control: script`.
    pub service_resources: Vec<Resource<ServiceAction>>,
    /// The apps, in start order.
    pub apps: Vec<PlanApp>,
}

impl PlanGroup {
    /// Services in stop order: the exact reverse of the start order.
    pub fn stop(&self) -> impl Iterator<Item = &ServiceAction> {
        self.start.iter().rev()
    }

    /// The group's resources in dependency order: each depends on the one before it. The
    /// address comes first, then the computer name tied to it, the disk, the registry, the
    /// script (broadcasts and pre-start commands), and the services in start order.
    pub fn resource_chain(&self) -> Vec<(ResourceKind, &str)> {
        let mut chain = vec![(ResourceKind::Fip, self.fip.name.as_str())];
        chain.extend(self.vcom.iter().map(|r| (ResourceKind::Vcom, r.name.as_str())));
        chain.extend(self.disk.iter().map(|r| (ResourceKind::Sd, r.name.as_str())));
        chain.extend(self.mirror.iter().map(|r| (ResourceKind::Md, r.name.as_str())));
        chain.extend(self.regsync.iter().map(|r| (ResourceKind::Regsync, r.name.as_str())));
        chain.extend(self.script.iter().map(|s| (ResourceKind::Script, s.as_str())));
        chain.extend(
            self.service_resources
                .iter()
                .map(|r| (ResourceKind::Service, r.name.as_str())),
        );
        chain
    }

    /// The folder of this group's scripts in the package, when it has a script resource.
    pub fn script_dir(&self, platform: &PlanPlatform) -> Option<String> {
        let script = self.script.as_ref()?;
        Some(if platform.has_clp_conf() {
            format!("scripts/{}/{script}", self.name)
        } else {
            format!("scripts/{}", self.name)
        })
    }
}

/// The kinds of group resource hagen configures, by their clp.conf type names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ResourceKind {
    Fip,
    Vcom,
    Sd,
    Md,
    Regsync,
    Script,
    Service,
}

impl ResourceKind {
    /// The type name in clp.conf (`fip`, `sd`, ...).
    pub fn type_name(self) -> &'static str {
        match self {
            ResourceKind::Fip => "fip",
            ResourceKind::Vcom => "vcom",
            ResourceKind::Sd => "sd",
            ResourceKind::Md => "md",
            ResourceKind::Regsync => "regsync",
            ResourceKind::Script => "script",
            ResourceKind::Service => "service",
        }
    }
}

/// A cluster resource: its name in clp.conf and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource<T> {
    pub name: String,
    pub value: T,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanDisk {
    /// Upper-case drive letter.
    pub drive: char,
    /// Server -> volume GUID, in policy order (empty on ARM platforms, which need none).
    pub guids: Vec<(String, String)>,
}

/// A mirror disk (`md`): its partitions, each server's GUIDs of them, and its mirror connects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanMirror {
    /// The data partition's drive letter, upper case.
    pub drive: char,
    /// The cluster partition's drive letter, upper case.
    pub cluster_drive: char,
    /// Server -> (data partition GUID, cluster partition GUID), in policy order.
    pub guids: Vec<(String, String, String)>,
    /// The mirror connects in priority order, as indexes into [`Plan::mirror_connects`].
    pub connects: Vec<usize>,
}

/// A mirror connect (`mdc`): its name, its device id on each server, and each server's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorConnect {
    /// `mdc1`, `mdc2`, ...
    pub name: String,
    /// 400, 401, ...: the `mdc` device of each server.
    pub device: usize,
    /// Server -> its interconnect address, in server order.
    pub addresses: Vec<(String, Ipv4Addr)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryKey {
    pub key: String,
    /// Registered only once every server has the software (ExpressMail, SURFNAVI).
    pub after_install: bool,
    /// Where the key comes from: a product's source, or the cluster file.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreStart {
    pub command: String,
    pub app: String,
    pub source: String,
}

/// One service the group starts (ARMLOAD) and stops (ARMKILL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceAction {
    pub app: String,
    pub watch_id: String,
    /// The Windows service name.
    pub service: String,
    /// ARMLOAD /M.
    pub monitor: bool,
    /// ARMLOAD /FOV.
    pub failover: bool,
    /// Whether the product lets the service be watched at all (dbMail forbids it). With
    /// `control: service-resources`, such a service gets no servicew monitor.
    pub watchable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanApp {
    pub id: String,
    /// The catalog product id, or `custom`.
    pub product: String,
    pub product_name: String,
    pub version: Option<String>,
    /// Product keys as written (`install_dir`, `data_dir`, ...), in the product's order.
    pub settings: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFirewall {
    pub filter: Filter,
    /// Every port the cluster needs through the filter, with why.
    pub rules: Vec<PortNeed>,
}

/// A part of the runbook: a title and its steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunbookSection {
    pub title: String,
    pub steps: Vec<RunbookStep>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunbookStep {
    /// The servers to do it on (empty: once, anywhere).
    pub servers: Vec<String>,
    pub text: String,
    pub source: String,
}
