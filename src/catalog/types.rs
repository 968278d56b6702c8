//! The shapes of platform and product profiles.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::model::values::{self, PortRule};
use crate::schema::formats as f;

/// The generation of a CLUSTERPRO platform: it decides the script dialect and whether
/// clp.conf is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Generation {
    /// CLUSTERPRO for Windows 6.0-8.0: ARMS_* script variables, no clp.conf.
    Arm,
    /// CLUSTERPRO X: CLP_* script variables, clp.conf.
    X,
}

/// A port the cluster itself needs, and why.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PortFact {
    /// The rule a packet filter must let through, `PROTO/DIR PORT[-PORT]`.
    #[schemars(with = "f::PortRule")]
    pub rule: String,
    /// What the port is for, e.g. `internal communication`.
    #[schemars(with = "f::Line")]
    pub purpose: String,
    /// Needed only when one of these cluster features is on (empty: always).
    #[serde(default)]
    #[schemars(with = "Vec<f::ClusterFeature>")]
    pub features: Vec<String>,
    /// Where the fact comes from: a guide's section, a reference file, your own validation.
    #[schemars(with = "f::Line")]
    pub source: String,
}

/// A cluster feature the platform supports.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeatureFact {
    #[schemars(with = "f::ClusterFeature")]
    pub id: String,
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
    pub source: String,
}

/// A CLUSTERPRO platform: a version of CLUSTERPRO for Windows, with the operating systems it
/// supports, the ports the cluster needs and the features it offers.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    /// The id cluster files name in `cluster.platform`, e.g. `clusterpro-x-4.2`.
    #[schemars(with = "f::PlatformId")]
    pub id: String,
    /// The product name, e.g. `CLUSTERPRO X 4.2 for Windows` (written into scripts).
    #[schemars(with = "f::ScriptText")]
    pub name: String,
    /// `arm` (CLUSTERPRO 6.0-8.0: ARMS_* scripts, no clp.conf) or `x` (CLUSTERPRO X: CLP_*
    /// scripts, clp.conf).
    pub generation: Generation,
    /// The version, e.g. `"4.2"`: platforms are listed in version order.
    #[schemars(with = "f::Version")]
    pub version: String,
    /// Supported operating systems, or `null` where no source states them (then not checked).
    #[schemars(with = "Option<Vec<f::OsId>>")]
    pub os: Option<Vec<String>>,
    /// Where the operating system list comes from, or why it is unknown.
    #[schemars(with = "f::Line")]
    pub os_source: String,
    /// Whether the cluster's own ports are known for this platform.
    pub ports_known: bool,
    /// The ports the cluster itself needs through a packet filter.
    #[serde(default)]
    pub ports: Vec<PortFact>,
    /// The tool the runbook names for changing the configuration after it is applied
    /// (`WebManager`, `Cluster WebUI`), with its source; absent: "the cluster's manager".
    #[serde(default)]
    pub manager: Option<ManagerFact>,
    /// The cluster features the platform supports.
    #[serde(default)]
    pub features: Vec<FeatureFact>,
    /// Where the profile's facts come from.
    #[schemars(with = "f::Line")]
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
}

/// The management tool of a platform, as its documentation names it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagerFact {
    /// The tool's name, e.g. `Cluster WebUI`.
    #[schemars(with = "f::Line")]
    pub name: String,
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
    pub source: String,
}

/// What kind of value a product key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
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

/// Which disk a path must be on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Disk {
    /// Each server's own disk.
    Local,
    /// The group's switching partition.
    Shared,
}

/// One value a `choice` or `list` key accepts.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// The value cluster files write.
    #[schemars(with = "f::Key")]
    pub id: String,
    /// Whether it can be clustered (`false`: `placement-unsupported`, with `reason`).
    #[serde(default = "yes")]
    pub supported: bool,
    /// Why it is not supported.
    #[serde(default)]
    pub reason: Option<String>,
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
    pub source: String,
}

fn yes() -> bool {
    true
}

/// A product key an app of this product accepts.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeySpec {
    /// What the key holds; each key has its own kind (`content_dir`: path, `edition`:
    /// choice, ...).
    pub kind: KeyKind,
    /// Whether an app of the product must have the key.
    #[serde(default)]
    pub required: bool,
    /// For a path: the disk it must be on (`install-location` otherwise).
    #[serde(default)]
    pub location: Option<Disk>,
    /// For an account: whether it must be `DOMAIN\user` (`domain-account-required`).
    #[serde(default)]
    pub domain: bool,
    /// For a choice or a list: the values it accepts.
    #[serde(default)]
    pub choices: Vec<Choice>,
    /// What the key is, as `missing-field` says it.
    pub description: String,
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
    pub source: String,
}

/// A Windows service of the product that the cluster starts and stops.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceFact {
    /// The key users write in `services`.
    #[schemars(with = "f::Key")]
    pub key: String,
    /// The Windows service name ARMLOAD is given.
    #[schemars(with = "f::ServiceName")]
    pub name: String,
    /// The name the Services console shows, where the guide gives it.
    #[serde(default)]
    #[schemars(with = "Option<f::Line>")]
    pub display: Option<String>,
    /// The ARMLOAD watch id.
    #[schemars(with = "f::WatchId")]
    pub watch_id: String,
    /// Controlled when the app lists no `services`.
    #[serde(default = "yes")]
    pub default: bool,
    /// Only with these product versions (empty: all).
    #[serde(default)]
    #[schemars(with = "Vec<f::Version>")]
    pub versions: Vec<String>,
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
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

/// A service of the product that is not supported in a cluster (`service-unsupported`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnsupportedService {
    /// The key users would write in `services`.
    #[schemars(with = "f::Key")]
    pub key: String,
    /// The service's name, as messages say it.
    pub name: String,
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
    pub source: String,
}

/// A service that must never be stopped by the cluster (SURFNAVI's ICPFSrv).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NeverStop {
    /// The key users would write in `services`.
    #[schemars(with = "f::Key")]
    pub key: String,
    /// The Windows service name.
    #[schemars(with = "f::ServiceName")]
    pub name: String,
    /// Why it must never be stopped.
    pub reason: String,
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
    pub source: String,
}

/// Where a product's sample start script moves the group on after a disk failure: the
/// generation whose sample does it (the CLUSTERPRO X samples keep the line commented out).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiskFailureFailover {
    /// The platform generation whose scripts do it.
    pub generation: Generation,
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
    pub source: String,
}

/// Whether the product's services are started with ARMLOAD /M (monitored).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitorFact {
    /// Whether the guide's sample starts the services with ARMLOAD /M.
    pub default: bool,
    /// Whether /M may be used at all.
    pub allowed: bool,
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
    pub source: String,
}

/// A standby type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
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

/// A standby type the product supports, on how many servers.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StandbyFact {
    /// `one-way` (one group) or `two-way` (two groups crosswise on two servers).
    pub kind: StandbyKind,
    /// The fewest servers of a failover policy (`server-count`).
    #[serde(default)]
    pub min_servers: Option<usize>,
    /// The most servers of a failover policy (`server-count`).
    #[serde(default)]
    pub max_servers: Option<usize>,
    /// Each site must be bound explicitly to its group's floating IP.
    #[serde(default)]
    pub site_binding: bool,
    /// The start script stops the product's services before starting them (they may run
    /// for the other group).
    #[serde(default)]
    pub kill_before_load: bool,
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
    pub source: String,
}

/// One row of a version matrix: every listed version works on every listed OS and platform.
/// `*` matches anything; `2.0+` matches 2.0 and later.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionRow {
    /// Product versions: `6.0`, `2.0+` (2.0 and later) or `*`.
    #[schemars(with = "Vec<f::VersionSpec>", length(min = 1))]
    pub versions: Vec<String>,
    /// Operating systems, or `*`.
    #[schemars(with = "Vec<f::OsSpec>", length(min = 1))]
    pub os: Vec<String>,
    /// Platform ids, or `*`.
    #[schemars(with = "Vec<f::PlatformRef>", length(min = 1))]
    pub platforms: Vec<String>,
    /// No source covers the combination (`combination-unverified`, a warning, instead of an
    /// error); `note` says what to confirm and where.
    #[serde(default)]
    pub unverified: bool,
    /// Products of the same group the row needs (empty: none): IIS 4.0 is documented only as
    /// the web server of dbMail and WEBharmo/RDBEUF.
    #[serde(default)]
    #[schemars(with = "Vec<f::ProductId>")]
    pub with: Vec<String>,
    /// What the row means, shown with `version-unsupported`.
    #[serde(default)]
    pub note: Option<String>,
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
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
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Require {
    /// The other product's id.
    #[schemars(with = "f::ProductId")]
    pub product: String,
    /// The versions of that product that work (empty: any).
    #[serde(default)]
    #[schemars(with = "Vec<f::Version>")]
    pub versions: Vec<String>,
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
    pub source: String,
}

/// How firmly a guide states an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    /// The guide states the order as a rule: contradicting it is an `order-conflict`.
    Rule,
    /// The guide's script sample uses this order without stating it as a rule.
    Sample,
}

/// A built-in start order relation with the apps of a role in the same group.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderFact {
    /// A role of other products (`web-server`, `mail-server`, ...).
    #[schemars(with = "f::Name")]
    pub role: String,
    /// `rule`: contradicting it is an `order-conflict`; `sample`: only the guide's sample
    /// uses this order.
    pub strength: Strength,
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
    pub source: String,
}

/// A start order between the apps of other roles that holds in a group with this product
/// (dbMail: IIS, then the mail server, then the RDB).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanionOrder {
    /// Roles of other products, in start order (each starts after those before it and stops
    /// before them).
    #[schemars(with = "Vec<f::Name>", length(min = 2))]
    pub roles: Vec<String>,
    /// `rule`: contradicting it is an `order-conflict`; `sample`: only the guide's sample
    /// uses this order.
    pub strength: Strength,
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
    pub source: String,
}

/// A product feature an app can name in `features`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductFeature {
    /// The feature's id, as a choice of the product's `features` key.
    #[schemars(with = "f::FeatureName")]
    pub id: String,
    /// Commands run before the group's services start; `{install_dir}` is replaced.
    #[serde(default)]
    #[schemars(with = "Vec<f::Command>")]
    pub pre_start: Vec<String>,
    /// Where the fact comes from (written into start.bat above the commands).
    #[schemars(with = "f::ScriptText")]
    pub source: String,
}

/// A registry key the cluster synchronizes between the servers.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistryFact {
    /// The key, e.g. `HKEY_LOCAL_MACHINE\SOFTWARE\NEC\ExpressMail`.
    #[schemars(with = "f::RegistryKey")]
    pub key: String,
    /// When or how to register it.
    #[serde(default)]
    pub note: Option<String>,
    /// Registered only once every server has the product (the guide: registered earlier, the
    /// group may fail over); false where the guide creates the group with the key from the start.
    #[serde(default)]
    pub after_install: bool,
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
    pub source: String,
}

/// A product installed once for the group (onto the switching partition, from the
/// highest-priority server), as WEBharmo/RDBEUF is.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstallOnce {
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
    pub source: String,
}

/// A port the product serves: a packet filter must let it through.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductPort {
    /// The rule, `PROTO/DIR PORT[-PORT]`.
    #[schemars(with = "f::PortRule")]
    pub rule: String,
    /// Needed only when this service is controlled (empty: always).
    #[serde(default)]
    #[schemars(with = "Option<f::Key>")]
    pub service: Option<String>,
    /// What the port is for.
    #[schemars(with = "f::Line")]
    pub purpose: String,
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
    pub source: String,
}

/// A note of the guide: the runbook and `hagen profiles show` print it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// What the note is about.
    #[schemars(with = "f::Line")]
    pub topic: String,
    /// The note.
    #[schemars(with = "f::Line")]
    pub text: String,
    /// The product versions the note is about (empty: every version).
    #[serde(default)]
    #[schemars(with = "Vec<f::Version>")]
    pub versions: Vec<String>,
    /// The operating systems the note is about (empty: every one).
    #[serde(default)]
    #[schemars(with = "Vec<f::OsSpec>")]
    pub os: Vec<String>,
    /// Where the fact comes from.
    #[schemars(with = "f::Line")]
    pub source: String,
}

impl Note {
    /// Whether the note is about this product version on this OS: a note limited to versions
    /// or OS does not apply where the version or OS is not known.
    pub fn applies_to(&self, version: Option<&str>, os: Option<&str>) -> bool {
        (self.versions.is_empty()
            || version.is_some_and(|v| self.versions.iter().any(|x| values::compare_versions(x, v).is_eq())))
            && (self.os.is_empty() || os.is_some_and(|o| self.os.iter().any(|x| x == o)))
    }
}

/// A product of the PP guides (or your own): its services, keys, standby types, supported
/// versions, order in the group and notes.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// The id apps name in `product`, e.g. `iis`.
    #[schemars(with = "f::ProductId")]
    pub id: String,
    /// The product's name.
    #[schemars(with = "f::Line")]
    pub name: String,
    /// Where the profile's facts come from: a guide's chapter, your own validation.
    #[schemars(with = "f::Line")]
    pub source: String,
    /// What the product is for other products' order rules (`web-server`, `mail-server`).
    #[serde(default)]
    #[schemars(with = "Vec<f::Name>")]
    pub roles: Vec<String>,
    /// Whether an app must give `version`.
    #[serde(default)]
    pub version_required: bool,
    /// The product keys an app of this product takes, each with its kind.
    #[serde(default)]
    #[schemars(schema_with = "keys_schema")]
    pub keys: BTreeMap<String, KeySpec>,
    /// The services the cluster starts and stops.
    #[serde(default)]
    pub services: Vec<ServiceFact>,
    /// Services that are not supported in a cluster.
    #[serde(default)]
    pub unsupported_services: Vec<UnsupportedService>,
    /// Services the cluster must never stop.
    #[serde(default)]
    pub never_stop: Vec<NeverStop>,
    /// The start script's disk-failure path moves the group on when it runs on a server other
    /// than the highest-priority one (`START ARMFOVER <group>`), as the product's sample does.
    #[serde(default)]
    pub disk_failure_failover: Option<DiskFailureFailover>,
    /// Whether services are started with ARMLOAD /M.
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
    /// The product is installed once, from the group's highest-priority server, rather than
    /// on every server of the failover policy (absent: on every server).
    #[serde(default)]
    pub install_once: Option<InstallOnce>,
    /// Start orders between the apps of other roles in a group with this product.
    #[serde(default)]
    pub companion_order: Vec<CompanionOrder>,
    /// Product features and the commands they need before the services start.
    #[serde(default)]
    pub features: Vec<ProductFeature>,
    /// Registry keys the cluster synchronizes.
    #[serde(default)]
    pub registry: Vec<RegistryFact>,
    /// Ports the product serves.
    #[serde(default)]
    pub ports: Vec<ProductPort>,
    /// Notes of the guide.
    #[serde(default)]
    pub notes: Vec<Note>,
}

impl KeyKind {
    /// The kind each product key of the cluster file has: the decoder reads each key in its
    /// own way, so a profile cannot change it.
    pub fn of(key: &str) -> Option<KeyKind> {
        Some(match key {
            "services" => KeyKind::Services,
            "content_dir" | "install_dir" | "data_dir" => KeyKind::Path,
            "site_binding" => KeyKind::Ip,
            "service_account" => KeyKind::Account,
            "edition" | "placement" => KeyKind::Choice,
            "features" => KeyKind::List,
            _ => return None,
        })
    }

    /// The kind's name as profiles write it.
    pub fn name(self) -> &'static str {
        match self {
            KeyKind::Path => "path",
            KeyKind::Account => "account",
            KeyKind::Ip => "ip",
            KeyKind::Choice => "choice",
            KeyKind::List => "list",
            KeyKind::Services => "services",
        }
    }
}

/// The schema of a product's `keys`: each product key of the cluster file, with its kind.
fn keys_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let spec = generator.subschema_for::<KeySpec>();
    let mut properties = serde_json::Map::new();
    for key in crate::model::PRODUCT_KEYS {
        let kind = KeyKind::of(key).expect("every product key has a kind");
        let mut schema = spec.clone();
        schema.insert(
            "description".into(),
            format!("The app key `{key}`, of kind `{}`.", kind.name()).into(),
        );
        schema.insert(
            "properties".into(),
            serde_json::json!({ "kind": { "const": kind.name() } }),
        );
        properties.insert(key.to_string(), schema.to_value());
    }
    schemars::json_schema!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    })
}

impl Product {
    pub fn service(&self, key: &str) -> Option<&ServiceFact> {
        self.services.iter().find(|s| s.key == key)
    }

    pub fn standby(&self, kind: StandbyKind) -> Option<&StandbyFact> {
        self.standby.iter().find(|s| s.kind == kind)
    }
}
