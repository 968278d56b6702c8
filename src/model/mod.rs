//! The cluster file as typed values, each with the span it came from.
//!
//! [`decode`] builds these from the YAML tree; everything a user wrote that does not fit the
//! shape of SPEC section 2 is reported there, so later stages see only well-formed values
//! (syntactically valid addresses, names within the naming rules' character set, paths
//! without injection characters). Items missing a key they cannot live without are dropped
//! after their diagnostics are recorded.

mod decode;
pub mod schema;
pub mod values;

use std::collections::HashMap;
use std::net::Ipv4Addr;

pub use decode::{APP_KEYS, FEATURES, OS_IDS, PRODUCT_KEYS, TEXT_PRODUCT_KEYS, decode};
pub use values::{Direction, PortRule, Protocol};

use crate::diag::Span;

/// A value and the bytes of the file it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Span) -> Self {
        Sp { value, span }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Ja,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    None,
    WindowsFirewall,
    SurfnaviPacketFilter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Script,
    ServiceResources,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartMode {
    Auto,
    Manual,
    Disabled,
}

impl StartMode {
    pub fn name(self) -> &'static str {
        match self {
            StartMode::Auto => "auto",
            StartMode::Manual => "manual",
            StartMode::Disabled => "disabled",
        }
    }
}

#[derive(Debug, Default)]
pub struct ClusterFile {
    pub cluster: ClusterInfo,
    pub servers: Vec<Server>,
    pub firewall: Option<Firewall>,
    pub groups: Vec<Group>,
    pub inventory: Vec<Inventory>,
    /// `network_partition`, when written.
    pub network_partition: Option<NetworkPartition>,
}

#[derive(Debug, Default)]
pub struct ClusterInfo {
    pub name: Option<Sp<String>>,
    pub platform: Option<Sp<String>>,
    pub os: Option<Sp<String>>,
    pub language: Option<Sp<Language>>,
    pub features: Vec<Sp<String>>,
    pub span: Span,
}

impl ClusterInfo {
    /// The language of the file's texts and messages (`en` when the file does not say).
    pub fn language(&self) -> Language {
        self.language.as_ref().map_or(Language::En, |l| l.value)
    }
}

#[derive(Debug)]
pub struct Server {
    pub name: Sp<String>,
    pub ip: Option<Sp<Ipv4Addr>>,
    pub interconnects: Vec<Sp<Ipv4Addr>>,
}

#[derive(Debug)]
pub struct Firewall {
    pub filter: Sp<Filter>,
    pub allow: Vec<Sp<PortRule>>,
    /// The `allow` key, or `firewall` when there is none.
    pub span: Span,
}

#[derive(Debug)]
pub struct Group {
    pub name: Sp<String>,
    pub failover: Vec<Sp<String>>,
    /// The `failover` key itself, for diagnostics about the whole policy.
    pub failover_span: Span,
    pub ip: Option<Sp<Ipv4Addr>>,
    pub hostname: Option<Sp<String>>,
    pub computer_name: Option<Sp<String>>,
    pub disk: Option<Disk>,
    pub mirror: Option<Mirror>,
    pub registry: Vec<Sp<String>>,
    pub after: Vec<Sp<String>>,
    /// `control`, when written (the default is `script`).
    pub control: Option<Sp<Control>>,
    pub apps: Vec<App>,
}

#[derive(Debug)]
pub struct Disk {
    /// The drive letter, upper case.
    pub drive: Option<Sp<char>>,
    pub volume_guids: Vec<(Sp<String>, Sp<String>)>,
    pub span: Span,
}

/// A mirror disk (CLUSTERPRO X's `md` resource): a data partition mirrored between the two
/// servers of the failover policy over the mirror connects, with its cluster partition.
#[derive(Debug)]
pub struct Mirror {
    /// The data partition's drive letter, upper case.
    pub drive: Option<Sp<char>>,
    /// The cluster partition's drive letter, upper case.
    pub cluster_drive: Option<Sp<char>>,
    /// Per server: the volume GUIDs of the data partition and of the cluster partition.
    pub volume_guids: Vec<MirrorGuids>,
    /// The mirror connects in priority order: per connect, each server's interconnect address.
    pub connects: Vec<MirrorConnect>,
    /// The `mirror` key.
    pub span: Span,
}

#[derive(Debug)]
pub struct MirrorGuids {
    pub server: Sp<String>,
    pub data: Option<Sp<String>>,
    pub cluster: Option<Sp<String>>,
}

/// One mirror connect: the address each server uses on it.
#[derive(Debug)]
pub struct MirrorConnect {
    pub addresses: Vec<(Sp<String>, Sp<Ipv4Addr>)>,
    /// The list item.
    pub span: Span,
}

/// Network partition resolution: what each server does when it loses every heartbeat.
#[derive(Debug)]
pub struct NetworkPartition {
    /// Ping method: the addresses pinged, in order.
    pub ping: Vec<Sp<Ipv4Addr>>,
    /// The `network_partition` key.
    pub span: Span,
}

/// A service an app asks for: a catalog service key, or a `custom` app's own service.
#[derive(Debug, Clone)]
pub enum ServiceRef {
    Key(Sp<String>),
    Custom { name: Sp<String>, watch_id: Sp<String> },
}

#[derive(Debug)]
pub struct App {
    pub product: Sp<String>,
    pub name: Option<Sp<String>>,
    pub version: Option<Sp<String>>,
    pub after: Vec<Sp<String>>,
    pub monitor: Option<Sp<bool>>,
    pub failover_on_failure: Option<Sp<bool>>,
    pub ports: Vec<Sp<PortRule>>,
    pub services: Option<Sp<Vec<ServiceRef>>>,
    /// Product keys with a single text value (`content_dir`, `site_binding`, `install_dir`,
    /// `data_dir`, `service_account`, `edition`, `placement`), in file order.
    pub props: Vec<(Sp<String>, Sp<String>)>,
    pub features: Option<Sp<Vec<Sp<String>>>>,
    pub span: Span,
}

impl App {
    /// The app's id inside its group: `name`, or the product id.
    pub fn id(&self) -> &Sp<String> {
        self.name.as_ref().unwrap_or(&self.product)
    }

    pub fn prop(&self, key: &str) -> Option<&Sp<String>> {
        self.props.iter().find(|(k, _)| k.value == key).map(|(_, v)| v)
    }
}

#[derive(Debug)]
pub struct Inventory {
    pub server: Sp<String>,
    /// As written, or read from `export` before checking (each span is then the path's).
    pub services: Vec<(Sp<String>, Sp<StartMode>)>,
    /// The path of the server's own export, relative to the cluster file (`inventory::load`).
    pub export: Option<Sp<String>>,
}

impl Inventory {
    /// Each service name, lowercased (Windows does not tell service names apart by case), with
    /// the index of its first entry: one lookup per service asked about, not a scan.
    pub fn first_entries(&self) -> HashMap<String, usize> {
        let mut first = HashMap::with_capacity(self.services.len());
        for (i, (name, _)) in self.services.iter().enumerate() {
            first.entry(name.value.to_ascii_lowercase()).or_insert(i);
        }
        first
    }
}
