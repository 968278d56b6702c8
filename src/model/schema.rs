//! The cluster file of SPEC section 2 as types that only describe it, for the JSON Schema
//! (`schemas/cluster.schema.json`, `hagen schema cluster`).
//!
//! [`decode`](super::decode) reads cluster files from the spanned YAML tree, not through
//! these types; they mirror what it accepts, key by key, so an editor and hagen agree. Their
//! doc comments become the schema's descriptions, which editors show on hover. The catalog's
//! product-specific rules (which keys each product takes, which are required, their choices)
//! are added from the catalog by [`crate::schema`].

use std::collections::BTreeMap;

use schemars::JsonSchema;

use crate::schema::formats::{
    ClusterFeature, ComputerName, Drive, ExportPath, FeatureName, Hostname, Ipv4, Key, Name, OrNull, OsId, PortRule,
    RegistryKey, ServiceAccount, ServiceName, Version, VolumeGuid, WatchId, WindowsPath,
};

/// A CLUSTERPRO cluster for hagen: its servers, its failover groups and the applications they
/// run. `hagen check FILE` checks it against the PP guides' rules; `hagen build FILE --out DIR`
/// writes clp.conf, the group scripts and the runbook.
#[derive(JsonSchema)]
#[schemars(title = "hagen cluster file", deny_unknown_fields)]
pub struct ClusterFile {
    /// The cluster as a whole: its name, platform, operating system and language.
    pub cluster: Cluster,
    /// The servers (nodes) of the cluster.
    pub servers: OrNull<Vec<Server>>,
    /// The packet filter between the servers, and what it lets through today.
    pub firewall: Option<Firewall>,
    /// The failover groups.
    pub groups: OrNull<Vec<Group>>,
    /// The start mode of services on each server (server name, then Windows service name, or
    /// the path of the server's own export): used to verify that every cluster-controlled
    /// service is set to manual.
    pub inventory: Option<BTreeMap<Name, InventoryServer>>,
    /// Network partition resolution: how a server that loses every heartbeat tells a failed
    /// peer from a broken network (CLUSTERPRO X).
    pub network_partition: Option<NetworkPartition>,
}

/// Network partition resolution (clp.conf's `pingnp`, as in NEC's sample
/// EXPRESSCLUSTER/BasicCluster X41/Win/conf/2nodesMirror/clp.conf).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct NetworkPartition {
    /// Ping method: the addresses each server pings (a gateway, say); none may be a server's
    /// own address.
    #[schemars(length(min = 1))]
    pub ping: Vec<Ipv4>,
}

/// The cluster as a whole.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Cluster {
    /// The cluster's name.
    pub name: Name,
    /// The CLUSTERPRO version, a platform of the catalog (`hagen profiles list`), e.g.
    /// `clusterpro-x-4.2` or `clusterpro-8.0`.
    pub platform: PlatformRef,
    /// The servers' Windows version.
    pub os: OsId,
    /// The language of generated messages and comments: `ja` writes scripts in CP932 and
    /// clp.conf in SJIS, `en` in ASCII.
    pub language: Language,
    /// Cluster features that need extra ports (udp/in 623 for IPMI, CLUSTERPRO X 2.0 and later).
    pub features: Option<Vec<ClusterFeature>>,
}

/// A platform id of the catalog.
pub struct PlatformRef;

/// A product id of the catalog, or `custom`.
pub struct ProductRef;

macro_rules! plain_string {
    ($($ty:ident: $description:literal;)*) => {$(
        impl JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($ty).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "description": $description, "type": "string" })
            }
        }
    )*};
}

plain_string! {
    PlatformRef: "A platform id of the catalog (`hagen profiles list`; `--profiles DIR` adds more).";
    ProductRef: "A product id of the catalog (`hagen profiles list`; `--profiles DIR` adds more), or `custom` for an application described here by its services.";
}

#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Language {
    /// Japanese: scripts in CP932, clp.conf in SJIS.
    Ja,
    /// English: scripts and clp.conf in ASCII.
    En,
}

/// A server (node) of the cluster.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Server {
    /// The server's host name.
    pub name: Name,
    /// The server's address on the public LAN.
    pub ip: Ipv4,
    /// The server's interconnect addresses; each becomes a kernel-mode LAN heartbeat.
    pub interconnects: OrNull<Vec<Ipv4>>,
}

/// The packet filter between the servers.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Firewall {
    /// Which packet filter runs on the servers.
    pub filter: Filter,
    /// The rules the filter lets through today, each `PROTO/DIR PORT[-PORT]`: hagen reports
    /// every port the platform, a feature or an app needs that is missing.
    pub allow: Option<Vec<PortRule>>,
}

#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Filter {
    /// No packet filter.
    None,
    /// Windows Firewall.
    WindowsFirewall,
    /// SURFNAVI's packet filter.
    SurfnaviPacketFilter,
}

/// A failover group.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Group {
    /// The group's name (it names its script folder).
    pub name: Name,
    /// The failover policy: the servers that may run the group, in priority order; the first
    /// is its home server.
    #[schemars(length(min = 1))]
    pub failover: Vec<Name>,
    /// The floating IP address clients use.
    pub ip: Ipv4,
    /// The DNS name of the floating IP.
    pub hostname: Option<Hostname>,
    /// A virtual computer name, always tied to the floating IP (PP guide 1.1, note 1).
    pub computer_name: Option<ComputerName>,
    /// The switching partition (shared disk) of the group.
    pub disk: Option<Disk>,
    /// The mirror disk of the group: a data partition mirrored between the two servers of the
    /// failover policy (CLUSTERPRO X).
    pub mirror: Option<Mirror>,
    /// Extra registry keys to synchronize between the servers (the catalog adds the
    /// products' own keys).
    pub registry: Option<Vec<RegistryKey>>,
    /// Other groups this group starts after (and stops before).
    pub after: Option<Vec<Name>>,
    /// How the group drives its services.
    pub control: Option<Control>,
    /// The applications the group runs; leave it out for a group that holds only its
    /// floating IP and its disk.
    #[schemars(length(min = 1))]
    pub apps: Option<Vec<App>>,
}

/// The switching partition of a group.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Disk {
    /// The drive letter of the partition, e.g. `"S:"`.
    pub drive: Drive,
    /// Each server's volume GUID of the partition, as `clpdiskctrl get guid` prints it
    /// (server name, then GUID). Required to build for CLUSTERPRO X platforms.
    pub volume_guids: Option<BTreeMap<Name, VolumeGuid>>,
}

/// The mirror disk of a group (clp.conf's `md` resource).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Mirror {
    /// The drive letter of the data partition (NTFS), e.g. `"E:"`; not `C:`.
    pub drive: Drive,
    /// The drive letter of the cluster partition (RAW, not formatted), e.g. `"X:"`; not
    /// `C:`, and not the data partition's.
    pub cluster_drive: Drive,
    /// Each server's volume GUIDs of the two partitions (server name, then `data` and
    /// `cluster`). Required to build.
    pub volume_guids: Option<BTreeMap<Name, MirrorGuids>>,
    /// The mirror connects in priority order: each maps both servers to one of their
    /// `interconnects`.
    #[schemars(length(min = 1))]
    pub connects: Vec<BTreeMap<Name, Ipv4>>,
}

/// A server's volume GUIDs of a mirror disk's partitions.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct MirrorGuids {
    /// The data partition's volume GUID.
    pub data: VolumeGuid,
    /// The cluster partition's volume GUID.
    pub cluster: VolumeGuid,
}

#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Control {
    /// The default: start.bat and stop.bat drive the services with ARMLOAD and ARMKILL, as
    /// the PP guides do.
    Script,
    /// CLUSTERPRO X only: one service resource and one servicew monitor per service, as NEC's
    /// ARMLOAD migration memo does.
    ServiceResources,
}

/// An application of a group: a catalog product, or `custom`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct App {
    /// The product: a catalog id, or `custom` for an application described by its services.
    pub product: ProductRef,
    /// The app's id inside the group (defaults to the product id).
    pub name: Option<Name>,
    /// The product's version, e.g. `"6.0"`: the supported combinations depend on it.
    pub version: Option<Version>,
    /// Apps of the same group this app starts after (and stops before).
    pub after: Option<Vec<Name>>,
    /// Start the services with ARMLOAD /M (monitor them): overrides the catalog's default.
    pub monitor: Option<bool>,
    /// Start the services with ARMLOAD /FOV: a failed service fails the group over.
    pub failover_on_failure: Option<bool>,
    /// The ports the app serves, each `PROTO/DIR PORT[-PORT]`: the packet filter must let them
    /// through.
    pub ports: Option<Vec<PortRule>>,
    /// The services the group controls: for a catalog product, a selection of its service
    /// keys (default: the product's usual services); for `custom`, each Windows service with
    /// its ARMLOAD watch id.
    pub services: Option<Vec<ServiceRef>>,
    /// Where the content (home directories) lives, e.g. `'S:\inetpub'`.
    pub content_dir: Option<WindowsPath>,
    /// The address the site is bound to (IIS two-way standby: the group's floating IP).
    pub site_binding: Option<Ipv4>,
    /// Where the product's program is installed, e.g. `'C:\Program Files\Product'`.
    pub install_dir: Option<WindowsPath>,
    /// Where the product's data lives, e.g. `'S:\data'`.
    pub data_dir: Option<WindowsPath>,
    /// The account the product's services run as; `DOMAIN\user` where the product needs a
    /// domain account.
    pub service_account: Option<ServiceAccount>,
    /// The product's edition, one of the catalog's choices.
    pub edition: Option<Key>,
    /// Where the servers stand, one of the catalog's choices.
    pub placement: Option<Key>,
    /// Product features in use, from the catalog's choices.
    pub features: Option<Vec<FeatureName>>,
}

/// A service an app controls: a catalog service key (`www`), or a `custom` app's service.
#[derive(JsonSchema)]
#[serde(untagged)]
pub enum ServiceRef {
    /// A service key of the app's product, e.g. `www`.
    Key(Key),
    /// A Windows service of a `custom` app.
    Custom(CustomService),
}

/// A Windows service of a `custom` app.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CustomService {
    /// The Windows service name (services.msc, Properties, Service name).
    pub name: ServiceName,
    /// The ARMLOAD watch id of the service: 1-31 letters and digits, unique in the cluster.
    pub watch_id: WatchId,
}

/// One server's inventory: its services written out, or the export the server wrote.
#[derive(JsonSchema)]
#[schemars(untagged)]
pub enum InventoryServer {
    /// Windows service name -> start mode.
    Services(OrNull<BTreeMap<ServiceName, StartMode>>),
    /// The unedited output of `sc query state= all` with `sc qc`, of `wmic service get
    /// Name,StartMode /format:csv`, or of PowerShell `Get-Service | Select-Object
    /// Name,StartType | ConvertTo-Json`, saved on the server (UTF-8, UTF-16 or CP932), at
    /// this path relative to the cluster file; `hagen inventory collect` prints the commands.
    Export(ExportPath),
}

/// A service's start mode as the server's service list shows it.
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StartMode {
    /// Automatic: Windows starts the service at boot.
    Auto,
    /// Manual: only the cluster starts it (what a cluster-controlled service must be).
    Manual,
    /// Disabled.
    Disabled,
}
