//! The shapes of platform and product profiles.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::values::{self, PortRule};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Generation {
    /// CLUSTERPRO for Windows 6.0-8.0: ARMS_* script variables, no clp.conf.
    Arm,
    /// CLUSTERPRO X: CLP_* script variables, clp.conf.
    X,
}

/// A port the cluster itself needs, and why.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortFact {
    pub rule: String,
    pub purpose: String,
    /// Needed only when one of these cluster features is on (empty: always).
    #[serde(default)]
    pub features: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureFact {
    pub id: String,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    pub id: String,
    pub name: String,
    pub generation: Generation,
    pub version: String,
    /// Supported operating systems, or `null` where no source states them.
    pub os: Option<Vec<String>>,
    pub os_source: String,
    /// Whether the cluster's own ports are known for this platform.
    pub ports_known: bool,
    #[serde(default)]
    pub ports: Vec<PortFact>,
    #[serde(default)]
    pub features: Vec<FeatureFact>,
    pub source: String,
}

impl Platform {
    /// The script variables' prefix: `ARMS` or `CLP`.
    pub fn dialect(&self) -> &'static str {
        match self.generation {
            Generation::Arm => "ARMS",
            Generation::X => "CLP",
        }
    }

    pub fn supports_feature(&self, feature: &str) -> bool {
        self.features.iter().any(|f| f.id == feature)
    }

    /// The ports the cluster needs with these features on, each with its purpose.
    pub fn required_ports(&self, features: &[&str]) -> Vec<(PortRule, &PortFact)> {
        self.ports
            .iter()
            .filter(|p| p.features.is_empty() || p.features.iter().any(|f| features.contains(&f.as_str())))
            .filter_map(|p| PortRule::parse(&p.rule).ok().map(|r| (r, p)))
            .collect()
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        for p in &self.ports {
            PortRule::parse(&p.rule)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyKind {
    /// A Windows path; `location` says on which disk it must be.
    Path,
    /// A Windows service account; `domain: true` requires `DOMAIN\user`.
    Account,
    /// An IPv4 address.
    Ip,
    /// One of `choices`.
    Choice,
    /// A list of `choices`.
    List,
    /// A selection among the product's `services`.
    Services,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Disk {
    /// Each server's own disk.
    Local,
    /// The group's switching partition.
    Shared,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: String,
    #[serde(default = "yes")]
    pub supported: bool,
    #[serde(default)]
    pub reason: Option<String>,
    pub source: String,
}

fn yes() -> bool {
    true
}

/// A product key an app of this product accepts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySpec {
    pub kind: KeyKind,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub location: Option<Disk>,
    #[serde(default)]
    pub domain: bool,
    #[serde(default)]
    pub choices: Vec<Choice>,
    pub description: String,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceFact {
    /// The key users write in `services`.
    pub key: String,
    /// The Windows service name ARMLOAD is given.
    pub name: String,
    /// The name the Services console shows, where the guide gives it.
    #[serde(default)]
    pub display: Option<String>,
    pub watch_id: String,
    /// Controlled when the app lists no `services`.
    #[serde(default = "yes")]
    pub default: bool,
    /// Only with these product versions (empty: all).
    #[serde(default)]
    pub versions: Vec<String>,
    pub source: String,
}

impl ServiceFact {
    pub fn applies_to(&self, version: Option<&str>) -> bool {
        self.versions.is_empty()
            || version.is_some_and(|v| self.versions.iter().any(|x| values::compare_versions(x, v).is_eq()))
    }

    /// Whether an inventory entry's name means this service.
    pub fn is_named(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name) || self.display.as_deref().is_some_and(|d| d.eq_ignore_ascii_case(name))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnsupportedService {
    pub key: String,
    pub name: String,
    pub source: String,
}

/// A service that must never be stopped by the cluster (SURFNAVI's ICPFSrv).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeverStop {
    pub key: String,
    pub name: String,
    pub reason: String,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitorFact {
    /// Whether the guide's sample starts the services with ARMLOAD /M.
    pub default: bool,
    /// Whether /M may be used at all.
    pub allowed: bool,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StandbyKind {
    /// One failover group for the product: one active server, the others stand by
    /// (the guides' 片方向 / シングルスタンバイ).
    OneWay,
    /// Two groups running the product crosswise on the same two servers (双方向 / mutual).
    TwoWay,
}

impl StandbyKind {
    pub fn name(self) -> &'static str {
        match self {
            StandbyKind::OneWay => "one-way",
            StandbyKind::TwoWay => "two-way",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandbyFact {
    pub kind: StandbyKind,
    #[serde(default)]
    pub min_servers: Option<usize>,
    #[serde(default)]
    pub max_servers: Option<usize>,
    /// Each site must be bound explicitly to its group's floating IP.
    #[serde(default)]
    pub site_binding: bool,
    /// The start script stops the product's services before starting them (they may run
    /// for the other group).
    #[serde(default)]
    pub kill_before_load: bool,
    pub source: String,
}

/// One row of a version matrix: every listed version works on every listed OS and platform.
/// `*` matches anything; `2.0+` matches 2.0 and later.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionRow {
    pub versions: Vec<String>,
    pub os: Vec<String>,
    pub platforms: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub source: String,
}

impl VersionRow {
    pub fn matches(&self, version: Option<&str>, os: Option<&str>, platform: Option<&str>) -> bool {
        let version_ok = |spec: &str| match (spec, version) {
            ("*", _) => true,
            (_, None) => true,
            (s, Some(v)) => match s.strip_suffix('+') {
                Some(min) => values::compare_versions(v, min).is_ge(),
                None => values::compare_versions(v, s).is_eq(),
            },
        };
        let in_list = |list: &[String], value: Option<&str>| {
            value.is_none() || list.iter().any(|x| x == "*" || Some(x.as_str()) == value)
        };
        self.versions.iter().any(|s| version_ok(s)) && in_list(&self.os, os) && in_list(&self.platforms, platform)
    }
}

/// Another product that must be in the same group.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Require {
    pub product: String,
    /// The versions of that product that work (empty: any).
    #[serde(default)]
    pub versions: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    /// The guide states the order as a rule: contradicting it is an `order-conflict`.
    Rule,
    /// The guide's script sample uses this order without stating it as a rule.
    Sample,
}

/// A built-in start order relation with the apps of a role in the same group.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderFact {
    pub role: String,
    pub strength: Strength,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductFeature {
    pub id: String,
    /// Commands run before the group's services start; `{install_dir}` is replaced.
    #[serde(default)]
    pub pre_start: Vec<String>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryFact {
    pub key: String,
    #[serde(default)]
    pub note: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductPort {
    pub rule: String,
    /// Needed only when this service is controlled (empty: always).
    #[serde(default)]
    pub service: Option<String>,
    pub purpose: String,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub topic: String,
    pub text: String,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub source: String,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub version_required: bool,
    #[serde(default)]
    pub keys: BTreeMap<String, KeySpec>,
    #[serde(default)]
    pub services: Vec<ServiceFact>,
    #[serde(default)]
    pub unsupported_services: Vec<UnsupportedService>,
    #[serde(default)]
    pub never_stop: Vec<NeverStop>,
    pub monitor: MonitorFact,
    /// Supported standby types (empty: the guide states none).
    #[serde(default)]
    pub standby: Vec<StandbyFact>,
    /// Supported combinations (empty: the guide states none).
    #[serde(default)]
    pub versions: Vec<VersionRow>,
    #[serde(default)]
    pub requires: Vec<Require>,
    /// This product starts after the apps of these roles in its group (and stops before them).
    #[serde(default)]
    pub start_after: Vec<OrderFact>,
    /// This product starts before the apps of these roles in its group.
    #[serde(default)]
    pub start_before: Vec<OrderFact>,
    /// This product is installed after the apps of these roles in its group.
    #[serde(default)]
    pub install_after: Vec<OrderFact>,
    /// This product is installed before the apps of these roles in its group.
    #[serde(default)]
    pub install_before: Vec<OrderFact>,
    #[serde(default)]
    pub features: Vec<ProductFeature>,
    #[serde(default)]
    pub registry: Vec<RegistryFact>,
    #[serde(default)]
    pub ports: Vec<ProductPort>,
    #[serde(default)]
    pub notes: Vec<Note>,
}

impl Product {
    pub fn service(&self, key: &str) -> Option<&ServiceFact> {
        self.services.iter().find(|s| s.key == key)
    }

    pub fn standby(&self, kind: StandbyKind) -> Option<&StandbyFact> {
        self.standby.iter().find(|s| s.kind == kind)
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        for p in &self.ports {
            PortRule::parse(&p.rule)?;
        }
        for s in &self.services {
            if let Some(problem) =
                values::watch_id_problem(&s.watch_id).or_else(|| values::service_name_problem(&s.name))
            {
                return Err(problem);
            }
        }
        for r in &self.registry {
            if let Some(problem) = values::registry_problem(&r.key) {
                return Err(problem);
            }
        }
        for f in &self.features {
            for c in &f.pre_start {
                let expanded = c.replace("{install_dir}", "X");
                if let Some(bad) = expanded
                    .chars()
                    .find(|c| values::SCRIPT_METACHARACTERS.contains(c) && *c != '"')
                {
                    return Err(format!("pre_start command `{c}` contains `{bad}`"));
                }
            }
        }
        Ok(())
    }
}
