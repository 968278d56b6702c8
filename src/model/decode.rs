//! From the YAML tree to [`ClusterFile`], reporting every shape problem of the file.
//!
//! Decoding never stops at the first problem: an unknown key, a missing key or a bad value is
//! recorded and decoding goes on with the rest of the file.

use std::net::Ipv4Addr;
use std::sync::LazyLock;

use super::values::{self, PortRule};
use super::*;
use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::source::SourceFile;
use crate::suggest;
use crate::yaml::{Kind, Node};

/// The keys an app may carry whatever its product; a product accepts a subset of
/// [`PRODUCT_KEYS`] on top of these (checked once the product is known).
pub const APP_KEYS: &[&str] = &[
    "product",
    "name",
    "version",
    "after",
    "monitor",
    "failover_on_failure",
    "ports",
];

/// Product-specific keys of SPEC section 2 that hold one text value.
pub const TEXT_PRODUCT_KEYS: &[&str] = &[
    "content_dir",
    "site_binding",
    "install_dir",
    "data_dir",
    "service_account",
    "edition",
    "placement",
];

/// Every product-specific key hagen knows.
pub const PRODUCT_KEYS: &[&str] = &[
    "services",
    "content_dir",
    "site_binding",
    "install_dir",
    "data_dir",
    "service_account",
    "edition",
    "placement",
    "features",
];

/// The OS ids of SPEC section 2.
pub const OS_IDS: &[&str] = &[
    "windows-nt-4.0",
    "windows-2000-server",
    "windows-server-2003",
    "windows-server-2008",
    "windows-server-2008-r2",
    "windows-server-2012",
    "windows-server-2012-r2",
    "windows-server-2016",
    "windows-server-2019",
    "windows-server-2022",
];

/// Cluster features of SPEC section 2.
pub const FEATURES: &[&str] = &["forced-stop", "chassis-identify"];

/// Decodes a parsed file. Diagnostics go to `diags`; the model holds what could be read.
/// Groups decoded by one job when a file's groups are decoded on several cores: enough that a
/// job outweighs handing it over, few enough that the cores share the work evenly.
const GROUPS_PER_JOB: usize = 64;

pub fn decode(file: &SourceFile, root: &Node, diags: &mut Diagnostics) -> ClusterFile {
    let mut d = Decoder { file, diags };
    d.cluster_file(root)
}

struct Decoder<'a> {
    file: &'a SourceFile,
    diags: &'a mut Diagnostics,
}

/// The keys of a mapping that decoding reads: text keys that are known, each once (the
/// others are reported when the mapping is opened).
struct Fields<'n> {
    entries: &'n [(Node, Node)],
    owner: Span,
    what: &'static str,
}

impl<'n> Fields<'n> {
    /// The first entry of `key`: a repeated key is reported, and its first place counts.
    fn entry(&self, key: &str) -> Option<&'n (Node, Node)> {
        self.entries.iter().find(|(k, _)| k.as_str() == Some(key))
    }

    fn get(&self, key: &str) -> Option<&'n Node> {
        self.entry(key).map(|(_, v)| v)
    }

    fn key_span(&self, key: &str) -> Option<Span> {
        self.entry(key).map(|(k, _)| k.span.clone())
    }
}

impl<'a> Decoder<'a> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn invalid(&mut self, span: Span, message: impl Into<String>) {
        self.push(Diagnostic::new(Code::InvalidValue, span, message));
    }

    /// Opens a mapping: reports duplicate and unknown keys, and a non-mapping value.
    fn fields<'n>(&mut self, node: &'n Node, owner: Span, what: &'static str, known: &[&str]) -> Option<Fields<'n>> {
        let Kind::Map(entries) = &node.kind else {
            let span = if node.span.is_empty() { owner } else { node.span.clone() };
            self.invalid(span, format!("`{what}` must be a mapping, found {}", node.describe()));
            return None;
        };
        for (i, (key, _)) in entries.iter().enumerate() {
            let Some(name) = key.as_str() else {
                self.invalid(
                    key.span.clone(),
                    format!("keys of `{what}` must be text, found {}", key.describe()),
                );
                continue;
            };
            if !known.contains(&name) {
                let mut d = Diagnostic::new(
                    Code::UnknownField,
                    key.span.clone(),
                    format!("unknown key `{name}` in `{what}`"),
                );
                d = match suggest::help(name, known.iter().copied()) {
                    Some(help) => d.help(help),
                    None => d.help(format!("`{what}` takes: {}", known.join(", "))),
                };
                self.push(d);
                continue;
            }
            if let Some((first, _)) = entries[..i].iter().find(|(k, _)| k.as_str() == Some(name)) {
                let first = first.span.clone();
                self.push(
                    Diagnostic::new(
                        Code::YamlSyntax,
                        key.span.clone(),
                        format!("duplicate key `{name}` in `{what}`"),
                    )
                    .label("defined again here")
                    .related(first, "first defined here")
                    .help("YAML keys are unique: remove one of the two"),
                );
            }
        }
        Some(Fields { entries, owner, what })
    }

    fn required<'n>(&mut self, fields: &Fields<'n>, key: &str) -> Option<&'n Node> {
        let node = fields.get(key);
        if node.is_none() {
            self.push(
                Diagnostic::new(
                    Code::MissingField,
                    fields.owner.clone(),
                    format!("`{}` needs the key `{key}`", fields.what),
                )
                .label(format!("`{key}` missing here")),
            );
        }
        node
    }

    /// A text value. Plain numbers are taken as written (`version: 6.0` reads as "6.0").
    fn text(&mut self, node: &Node, what: &str) -> Option<Sp<String>> {
        self.str(node, what).map(|s| Sp::new(s.to_string(), node.span.clone()))
    }

    /// A text value borrowed from the file, for values that are parsed rather than kept.
    fn str<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n str>
    where
        'a: 'n,
    {
        match &node.kind {
            Kind::Str(s) => Some(s),
            Kind::Int(_) | Kind::Float(_) => Some(self.file.slice(node.span.clone())),
            _ => {
                self.invalid(
                    node.span.clone(),
                    format!("`{what}` must be text, found {}", node.describe()),
                );
                None
            }
        }
    }

    /// Text that must satisfy `problem` (a validator returning what is wrong).
    fn checked(
        &mut self,
        node: &Node,
        what: &str,
        code: Code,
        problem: impl Fn(&str) -> Option<String>,
    ) -> Option<Sp<String>> {
        let value = self.text(node, what)?;
        match problem(&value.value) {
            Some(message) => {
                self.push(Diagnostic::new(code, value.span.clone(), message).label(format!("invalid `{what}`")));
                None
            }
            None => Some(value),
        }
    }

    /// A name of the naming rules. A name that would inject into a script or a generated path
    /// is an `invalid-value` (SPEC section 6); any other break of the rules an `invalid-name`.
    fn name(&mut self, node: &Node, what: &str) -> Option<Sp<String>> {
        self.ruled(node, what, values::name_problem)
    }

    /// Text checked first against [`values::injection_problem`] (`invalid-value`), then
    /// against `rule` (`invalid-name`).
    fn ruled(&mut self, node: &Node, what: &str, rule: impl Fn(&str) -> Option<String>) -> Option<Sp<String>> {
        let value = self.text(node, what)?;
        let (code, problem) = match values::injection_problem(&value.value) {
            Some(problem) => (Code::InvalidValue, Some(problem)),
            None => (Code::InvalidName, rule(&value.value)),
        };
        match problem {
            Some(message) => {
                self.push(Diagnostic::new(code, value.span.clone(), message).label(format!("invalid `{what}`")));
                None
            }
            None => Some(value),
        }
    }

    fn boolean(&mut self, node: &Node, what: &str) -> Option<Sp<bool>> {
        match &node.kind {
            Kind::Bool(b) => Some(Sp::new(*b, node.span.clone())),
            Kind::Str(s) if matches!(s.to_ascii_lowercase().as_str(), "yes" | "no" | "on" | "off" | "y" | "n") => {
                let meant = matches!(s.to_ascii_lowercase().as_str(), "yes" | "on" | "y");
                self.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        node.span.clone(),
                        format!("`{what}` must be true or false; `{s}` is a YAML 1.1 spelling"),
                    )
                    .help(format!("write `{meant}`")),
                );
                None
            }
            _ => {
                self.invalid(
                    node.span.clone(),
                    format!("`{what}` must be true or false, found {}", node.describe()),
                );
                None
            }
        }
    }

    fn list<'n>(&mut self, node: &'n Node, what: &str) -> &'n [Node] {
        match &node.kind {
            Kind::Seq(items) => items,
            Kind::Null => &[],
            _ => {
                self.invalid(
                    node.span.clone(),
                    format!("`{what}` must be a list, found {}", node.describe()),
                );
                &[]
            }
        }
    }

    fn choice<T: Copy>(&mut self, node: &Node, what: &str, options: &[(&str, T)]) -> Option<Sp<T>> {
        let text = self.str(node, what)?;
        if let Some((_, v)) = options.iter().find(|(name, _)| *name == text) {
            return Some(Sp::new(*v, node.span.clone()));
        }
        let value = Sp::new(text.to_string(), node.span.clone());
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let mut d = Diagnostic::new(
            Code::InvalidValue,
            value.span.clone(),
            format!("`{}` is not a valid `{what}`", value.value.escape_debug()),
        );
        d = match suggest::help(&value.value, names.iter().copied()) {
            Some(h) => d.help(h),
            None => d.help(format!("use one of: {}", names.join(", "))),
        };
        self.push(d);
        None
    }

    fn ip(&mut self, node: &Node, what: &str) -> Option<Sp<Ipv4Addr>> {
        let text = self.str(node, what)?;
        let ok = text.split('.').count() == 4
            && text
                .split('.')
                .all(|p| !p.is_empty() && p.len() <= 3 && (p == "0" || !p.starts_with('0')));
        match text.parse::<Ipv4Addr>() {
            Ok(ip) if ok => Some(Sp::new(ip, node.span.clone())),
            _ => {
                self.invalid(
                    node.span.clone(),
                    format!("`{}` is not an IPv4 address", text.escape_debug()),
                );
                None
            }
        }
    }

    fn port_rule(&mut self, node: &Node, what: &str) -> Option<Sp<PortRule>> {
        let text = self.str(node, what)?;
        match PortRule::parse(text) {
            Ok(rule) => Some(Sp::new(rule, node.span.clone())),
            Err(message) => {
                self.invalid(node.span.clone(), message);
                None
            }
        }
    }

    fn names(&mut self, node: &Node, what: &str) -> Vec<Sp<String>> {
        let items = self.list(node, what);
        items.iter().filter_map(|n| self.name(n, what)).collect()
    }

    // ---- the sections of SPEC section 2 ----

    fn cluster_file(&mut self, root: &Node) -> ClusterFile {
        let mut out = ClusterFile::default();
        let Some(top) = self.fields(
            root,
            0..0,
            "the cluster file",
            &["cluster", "servers", "firewall", "groups", "inventory"],
        ) else {
            return out;
        };
        if let Some(node) = self.required(&top, "cluster") {
            out.cluster = self.cluster(node, top.key_span("cluster").unwrap_or_default());
        }
        if let Some(node) = self.required(&top, "servers") {
            let items = self.list(node, "servers");
            out.servers = items.iter().filter_map(|n| self.server(n)).collect();
        }
        if let Some(node) = top.get("firewall") {
            out.firewall = self.firewall(node, top.key_span("firewall").unwrap_or_default());
        }
        if let Some(node) = self.required(&top, "groups") {
            let items = self.list(node, "groups");
            out.groups = self.groups(items);
        }
        if let Some(node) = top.get("inventory") {
            out.inventory = self.inventory(node, top.key_span("inventory").unwrap_or_default());
        }
        out
    }

    fn cluster(&mut self, node: &Node, owner: Span) -> ClusterInfo {
        let mut info = ClusterInfo {
            span: owner.clone(),
            ..ClusterInfo::default()
        };
        let Some(f) = self.fields(
            node,
            owner,
            "cluster",
            &["name", "platform", "os", "language", "features"],
        ) else {
            return info;
        };
        if let Some(n) = self.required(&f, "name") {
            info.name = self.name(n, "cluster.name");
        }
        if let Some(n) = self.required(&f, "platform") {
            // Matched against the catalog; checked first so that an id which would inject is
            // `invalid-value`, not merely unknown.
            info.platform = self.checked(n, "cluster.platform", Code::InvalidValue, values::injection_problem);
        }
        if let Some(n) = self.required(&f, "os") {
            let os: Vec<(&str, &str)> = OS_IDS.iter().map(|o| (*o, *o)).collect();
            info.os = self
                .choice(n, "cluster.os", &os)
                .map(|s| Sp::new(s.value.to_string(), s.span));
        }
        if let Some(n) = self.required(&f, "language") {
            info.language = self.choice(n, "cluster.language", &[("ja", Language::Ja), ("en", Language::En)]);
        }
        if let Some(n) = f.get("features") {
            let options: Vec<(&str, &str)> = FEATURES.iter().map(|o| (*o, *o)).collect();
            for item in self.list(n, "cluster.features") {
                if let Some(v) = self.choice(item, "cluster.features", &options) {
                    if let Some(first) = info.features.iter().find(|x| x.value == v.value) {
                        let first = first.span.clone();
                        self.push(
                            Diagnostic::new(
                                Code::DuplicateName,
                                v.span.clone(),
                                format!("the feature `{}` is listed twice", v.value),
                            )
                            .related(first, "first listed here"),
                        );
                        continue;
                    }
                    info.features.push(Sp::new(v.value.to_string(), v.span));
                }
            }
        }
        info
    }

    fn server(&mut self, node: &Node) -> Option<Server> {
        let owner = item_span(node);
        let f = self.fields(node, owner, "servers[]", &["name", "ip", "interconnects"])?;
        let name = self.required(&f, "name").and_then(|n| self.name(n, "server name"));
        let ip = self.required(&f, "ip").and_then(|n| self.ip(n, "server ip"));
        let mut interconnects = Vec::new();
        if let Some(n) = self.required(&f, "interconnects") {
            for item in self.list(n, "interconnects") {
                interconnects.extend(self.ip(item, "interconnect address"));
            }
        }
        Some(Server {
            name: name?,
            ip,
            interconnects,
        })
    }

    fn firewall(&mut self, node: &Node, owner: Span) -> Option<Firewall> {
        let f = self.fields(node, owner.clone(), "firewall", &["filter", "allow"])?;
        let filter = self.required(&f, "filter").and_then(|n| {
            self.choice(
                n,
                "firewall.filter",
                &[
                    ("none", Filter::None),
                    ("windows-firewall", Filter::WindowsFirewall),
                    ("surfnavi-packet-filter", Filter::SurfnaviPacketFilter),
                ],
            )
        })?;
        let mut allow = Vec::new();
        if let Some(n) = f.get("allow") {
            for item in self.list(n, "firewall.allow") {
                allow.extend(self.port_rule(item, "firewall.allow"));
            }
        }
        let span = f.key_span("allow").unwrap_or(owner);
        Some(Firewall { filter, allow, span })
    }

    /// The groups, decoded on every core in runs of [`GROUPS_PER_JOB`] when there are many:
    /// groups decode independently, and each run's groups and diagnostics are taken in the
    /// file's order, so the result is the one-by-one result.
    fn groups(&mut self, items: &[Node]) -> Vec<Group> {
        let threads = if items.len() >= 2 * GROUPS_PER_JOB {
            crate::parallel::threads()
        } else {
            1
        };
        let file = self.file;
        let mut groups = Vec::with_capacity(items.len());
        crate::parallel::map_in_order(
            items.chunks(GROUPS_PER_JOB).collect(),
            threads,
            |run: &[Node]| {
                let mut diags = Diagnostics::default();
                let mut decoder = Decoder {
                    file,
                    diags: &mut diags,
                };
                let decoded: Vec<Group> = run.iter().filter_map(|n| decoder.group(n)).collect();
                (decoded, diags)
            },
            |(decoded, diags)| {
                groups.extend(decoded);
                self.diags.list.extend(diags.list);
            },
        );
        groups
    }

    fn group(&mut self, node: &Node) -> Option<Group> {
        let owner = item_span(node);
        let f = self.fields(
            node,
            owner,
            "groups[]",
            &[
                "name",
                "failover",
                "ip",
                "hostname",
                "computer_name",
                "disk",
                "registry",
                "after",
                "control",
                "apps",
            ],
        )?;
        let name = self.required(&f, "name").and_then(|n| self.name(n, "group name"));
        let failover_span = f.key_span("failover").unwrap_or_else(|| f.owner.clone());
        let failover = match self.required(&f, "failover") {
            Some(n) => {
                let names = self.names(n, "failover");
                if names.is_empty() && matches!(n.kind, Kind::Seq(_) | Kind::Null) {
                    self.invalid(failover_span.clone(), "`failover` must name at least one server");
                }
                names
            }
            None => Vec::new(),
        };
        let ip = self.required(&f, "ip").and_then(|n| self.ip(n, "group ip"));
        let hostname = f
            .get("hostname")
            .and_then(|n| self.checked(n, "hostname", Code::InvalidValue, values::hostname_problem));
        let computer_name = f
            .get("computer_name")
            .and_then(|n| self.checked(n, "computer_name", Code::InvalidValue, values::computer_name_problem));
        let disk = f
            .get("disk")
            .and_then(|n| self.disk(n, f.key_span("disk").unwrap_or_default()));
        let mut registry = Vec::new();
        if let Some(n) = f.get("registry") {
            for item in self.list(n, "registry") {
                registry.extend(self.checked(item, "registry", Code::InvalidValue, values::registry_problem));
            }
        }
        let after = f.get("after").map(|n| self.names(n, "after")).unwrap_or_default();
        let control = f.get("control").and_then(|n| {
            self.choice(
                n,
                "control",
                &[
                    ("script", Control::Script),
                    ("service-resources", Control::ServiceResources),
                ],
            )
        });
        let mut apps = Vec::new();
        if let Some(n) = self.required(&f, "apps") {
            let items = self.list(n, "apps");
            if items.is_empty() && matches!(n.kind, Kind::Seq(_) | Kind::Null) {
                self.invalid(
                    f.key_span("apps").unwrap_or_default(),
                    "`apps` must list at least one application",
                );
            }
            apps = items.iter().filter_map(|n| self.app(n)).collect();
        }
        Some(Group {
            name: name?,
            failover,
            failover_span,
            ip,
            hostname,
            computer_name,
            disk,
            registry,
            after,
            control,
            apps,
        })
    }

    fn disk(&mut self, node: &Node, owner: Span) -> Option<Disk> {
        let f = self.fields(node, owner.clone(), "disk", &["drive", "volume_guids"])?;
        let drive = self.required(&f, "drive").and_then(|n| {
            let text = self.text(n, "drive")?;
            let b = text.value.as_bytes();
            if b.len() == 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
                let letter = (b[0] as char).to_ascii_uppercase();
                if letter == 'C' {
                    self.invalid(
                        text.span,
                        "`C:` is the system drive; a switching partition needs its own drive letter",
                    );
                    return None;
                }
                Some(Sp::new(letter, text.span))
            } else {
                self.invalid(
                    text.span,
                    format!("`{}` is not a drive such as `S:`", text.value.escape_debug()),
                );
                None
            }
        });
        let mut volume_guids = Vec::new();
        if let Some(n) = f.get("volume_guids")
            && let Some(g) = self.open_map(n, f.key_span("volume_guids").unwrap_or_default(), "volume_guids")
        {
            for (k, v) in g {
                let server = self.name(k, "server name");
                let guid = self.checked(v, "volume GUID", Code::InvalidValue, values::guid_problem);
                if let (Some(s), Some(g)) = (server, guid) {
                    volume_guids.push((s, g));
                }
            }
        }
        Some(Disk {
            drive,
            volume_guids,
            span: owner,
        })
    }

    /// A mapping whose keys are user names (servers, services), with duplicates reported.
    fn open_map<'n>(&mut self, node: &'n Node, owner: Span, what: &str) -> Option<Vec<(&'n Node, &'n Node)>> {
        let Kind::Map(entries) = &node.kind else {
            if matches!(node.kind, Kind::Null) {
                return Some(Vec::new());
            }
            let span = if node.span.is_empty() { owner } else { node.span.clone() };
            self.invalid(span, format!("`{what}` must be a mapping, found {}", node.describe()));
            return None;
        };
        let mut out: Vec<(&Node, &Node)> = Vec::new();
        for (k, v) in entries {
            let Some(name) = k.as_str() else {
                self.invalid(
                    k.span.clone(),
                    format!("keys of `{what}` must be text, found {}", k.describe()),
                );
                continue;
            };
            if let Some((first, _)) = out.iter().find(|(f, _)| f.as_str() == Some(name)) {
                let first = first.span.clone();
                self.push(
                    Diagnostic::new(
                        Code::YamlSyntax,
                        k.span.clone(),
                        format!("duplicate key `{name}` in `{what}`"),
                    )
                    .label("defined again here")
                    .related(first, "first defined here"),
                );
                continue;
            }
            out.push((k, v));
        }
        Some(out)
    }

    fn app(&mut self, node: &Node) -> Option<App> {
        let owner = item_span(node);
        static KNOWN: LazyLock<Vec<&str>> = LazyLock::new(|| APP_KEYS.iter().chain(PRODUCT_KEYS).copied().collect());
        let f = self.fields(node, owner.clone(), "apps[]", &KNOWN)?;
        let product = self
            .required(&f, "product")
            .and_then(|n| self.checked(n, "product", Code::InvalidValue, values::injection_problem));
        let name = f.get("name").and_then(|n| self.name(n, "app name"));
        let version = f
            .get("version")
            .and_then(|n| self.checked(n, "version", Code::InvalidValue, values::version_problem));
        let after = f.get("after").map(|n| self.names(n, "after")).unwrap_or_default();
        let monitor = f.get("monitor").and_then(|n| self.boolean(n, "monitor"));
        let failover_on_failure = f
            .get("failover_on_failure")
            .and_then(|n| self.boolean(n, "failover_on_failure"));
        let mut ports = Vec::new();
        if let Some(n) = f.get("ports") {
            for item in self.list(n, "ports") {
                ports.extend(self.port_rule(item, "ports"));
            }
        }
        let services = f.get("services").map(|n| {
            let items = self.list(n, "services");
            let list = items.iter().filter_map(|item| self.service_ref(item)).collect();
            Sp::new(list, f.key_span("services").unwrap_or_default())
        });
        let mut props = Vec::new();
        for &key in TEXT_PRODUCT_KEYS {
            if let Some(n) = f.get(key) {
                let key_span = f.key_span(key).unwrap_or_default();
                let value = match key {
                    "content_dir" | "install_dir" | "data_dir" => {
                        self.checked(n, key, Code::InvalidValue, values::path_problem)
                    }
                    "site_binding" => self.ip(n, key).map(|ip| Sp::new(ip.value.to_string(), ip.span)),
                    "service_account" => self.checked(n, key, Code::InvalidValue, values::account_problem),
                    _ => self.checked(n, key, Code::InvalidValue, |s| {
                        (!s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') || s.is_empty())
                            .then(|| format!("`{}` is not a valid `{key}`", s.escape_debug()))
                    }),
                };
                if let Some(value) = value {
                    props.push((Sp::new(key.to_string(), key_span), value));
                }
            }
        }
        let features = f.get("features").map(|n| {
            let items = self.list(n, "features");
            let list = items
                .iter()
                .filter_map(|item| {
                    self.checked(item, "features", Code::InvalidValue, |s| {
                        (!s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') || s.is_empty())
                            .then(|| format!("`{}` is not a feature name", s.escape_debug()))
                    })
                })
                .collect();
            Sp::new(list, f.key_span("features").unwrap_or_default())
        });
        Some(App {
            product: product?,
            name,
            version,
            after,
            monitor,
            failover_on_failure,
            ports,
            services,
            props,
            features,
            span: owner,
        })
    }

    fn service_ref(&mut self, node: &Node) -> Option<ServiceRef> {
        match &node.kind {
            Kind::Map(_) => {
                let owner = item_span(node);
                let f = self.fields(node, owner, "services[]", &["name", "watch_id"])?;
                let name = self
                    .required(&f, "name")
                    .and_then(|n| self.checked(n, "service name", Code::InvalidValue, values::service_name_problem));
                let watch_id = self
                    .required(&f, "watch_id")
                    .and_then(|n| self.ruled(n, "watch_id", values::watch_id_problem));
                Some(ServiceRef::Custom {
                    name: name?,
                    watch_id: watch_id?,
                })
            }
            _ => {
                let key = self.text(node, "services")?;
                if key.value.is_empty()
                    || !key
                        .value
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                {
                    self.invalid(key.span, format!("`{}` is not a service key", key.value.escape_debug()));
                    return None;
                }
                Some(ServiceRef::Key(key))
            }
        }
    }

    fn inventory(&mut self, node: &Node, owner: Span) -> Vec<Inventory> {
        let mut out = Vec::new();
        let Some(servers) = self.open_map(node, owner, "inventory") else {
            return out;
        };
        for (k, v) in servers {
            let Some(server) = self.name(k, "server name") else {
                continue;
            };
            let Some(entries) = self.open_map(v, k.span.clone(), "inventory server") else {
                continue;
            };
            let mut services = Vec::new();
            for (sk, sv) in entries {
                let name = self.checked(sk, "service name", Code::InvalidValue, values::service_name_problem);
                let mode = self.choice(
                    sv,
                    "start mode",
                    &[
                        ("auto", StartMode::Auto),
                        ("manual", StartMode::Manual),
                        ("disabled", StartMode::Disabled),
                    ],
                );
                if let (Some(n), Some(m)) = (name, mode) {
                    services.push((n, m));
                }
            }
            out.push(Inventory { server, services });
        }
        out
    }
}

/// The span to blame for a list item: its first key when it is a mapping.
fn item_span(node: &Node) -> Span {
    match node.entries().first() {
        Some((k, _)) => k.span.clone(),
        None => node.span.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (ClusterFile, Vec<Diagnostic>) {
        let file = SourceFile::new("t.yaml", text);
        let root = crate::yaml::parse(&file).unwrap();
        let mut diags = Diagnostics::default();
        let model = decode(&file, &root, &mut diags);
        (model, diags.into_sorted())
    }

    const BASE: &str = "cluster: {name: c, platform: clusterpro-x-4.2, os: windows-server-2019, language: en}\nservers:\n  - {name: a, ip: 10.0.0.1, interconnects: [10.1.0.1]}\ngroups:\n  - name: g\n    failover: [a]\n    ip: 10.0.0.9\n    apps: [{product: iis, version: 6.0}]\n";

    #[test]
    fn a_good_file_decodes_without_diagnostics() {
        let (m, d) = run(BASE);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(m.groups[0].apps[0].version.as_ref().unwrap().value, "6.0");
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let text = BASE
            .replace("language: en", "language: de, colour: red")
            .replace("failover: [a]", "failovr: [a]");
        let (_, d) = run(&text);
        let codes: Vec<_> = d.iter().map(|d| d.code.name()).collect();
        assert_eq!(
            codes,
            ["invalid-value", "unknown-field", "missing-field", "unknown-field"],
            "{d:?}"
        );
        let unknown = &d[3];
        assert_eq!(&text[unknown.span.clone()], "failovr");
        assert_eq!(unknown.help.as_deref(), Some("did you mean `failover`?"));
    }

    #[test]
    fn many_groups_decode_on_every_core_as_they_would_one_by_one() {
        // 300 groups: several jobs of GROUPS_PER_JOB; three broken groups in different jobs.
        let mut text = BASE.split("groups:\n").next().unwrap().to_string() + "groups:\n";
        for i in 0..300 {
            let key = if [5, 150, 299].contains(&i) {
                "failovr"
            } else {
                "failover"
            };
            text.push_str(&format!(
                "  - {{name: g{i}, {key}: [a], ip: 10.0.0.9, apps: [{{product: iis}}]}}\n"
            ));
        }
        let (model, d) = run(&text);
        let named: Vec<&str> = model.groups.iter().map(|g| g.name.value.as_str()).collect();
        // A group with a problem is still decoded (its diagnostics say what is wrong).
        let expected: Vec<String> = (0..300).map(|i| format!("g{i}")).collect();
        assert_eq!(named, expected);
        let unknown: Vec<usize> = d
            .iter()
            .filter(|d| d.code.name() == "unknown-field")
            .map(|d| text[..d.span.start].lines().count())
            .collect();
        // Line of each broken group: 4 lines of head before `groups:`, then one line each.
        assert_eq!(unknown, [4 + 5 + 1, 4 + 150 + 1, 4 + 299 + 1], "{d:?}");
    }

    #[test]
    fn yaml_1_1_booleans_are_refused_with_a_hint() {
        let text = BASE.replace("version: 6.0}", "version: 6.0, monitor: yes}");
        let (_, d) = run(&text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::InvalidValue);
        assert_eq!(d[0].help.as_deref(), Some("write `true`"));
    }

    #[test]
    fn duplicate_keys_name_both_places() {
        let text = format!("{BASE}servers: []\n");
        let (_, d) = run(&text);
        assert_eq!(d[0].code, Code::YamlSyntax);
        assert_eq!(d[0].related.len(), 1);
        assert_eq!(&text[d[0].related[0].span.clone()], "servers");
    }

    #[test]
    fn names_that_would_inject_are_invalid_values_and_other_bad_names_invalid_names() {
        let cases = [
            (r#""../x""#, Code::InvalidValue),
            (r#""a..b""#, Code::InvalidValue),
            (r#""a/b""#, Code::InvalidValue),
            (r"'a\b'", Code::InvalidValue),
            (r#""a:b""#, Code::InvalidValue),
            (r#""a%b%""#, Code::InvalidValue),
            (r#""a&b""#, Code::InvalidValue),
            (r#""a<b""#, Code::InvalidValue),
            (r#""a^b""#, Code::InvalidValue),
            (r#""a|b""#, Code::InvalidValue),
            (r#""a>b""#, Code::InvalidValue),
            (r#""a\"b""#, Code::InvalidValue),
            (r#""a!b""#, Code::InvalidValue),
            (r#""a\nb""#, Code::InvalidValue),
            (r#""a\r\nb""#, Code::InvalidValue),
            (r#""\e[31mred""#, Code::InvalidValue),
            ("1a", Code::InvalidName),
            ("a.b", Code::InvalidName),
            ("CON", Code::InvalidName),
            ("lpt1", Code::InvalidName),
            (r#""a b""#, Code::InvalidName),
            (r#""\u202eab""#, Code::InvalidName),
        ];
        for (name, code) in cases {
            let text = BASE.replace("name: g\n", &format!("name: {name}\n"));
            let (_, d) = run(&text);
            assert_eq!(d.len(), 1, "{name}: {d:?}");
            assert_eq!(d[0].code, code, "{name}: {d:?}");
            assert_eq!(&text[d[0].span.clone()], name, "{name}: the span covers the value");
            assert!(
                !d[0].message.contains('\u{1b}') && !d[0].message.contains('\n'),
                "{:?}",
                d[0].message
            );
        }
    }

    #[test]
    fn watch_ids_that_would_inject_are_invalid_values() {
        let app = "apps: [{product: iis, version: 6.0}]";
        for (id, code) in [
            ("'W&X'", Code::InvalidValue),
            ("'W/X'", Code::InvalidValue),
            ("'W X'", Code::InvalidName),
            ("NEC_X", Code::InvalidName),
        ] {
            let text = BASE.replace(
                app,
                &format!("apps: [{{product: custom, services: [{{name: S, watch_id: {id}}}]}}]"),
            );
            let (_, d) = run(&text);
            assert_eq!(d.len(), 1, "{id}: {d:?}");
            assert_eq!(d[0].code, code, "{id}: {d:?}");
            assert_eq!(&text[d[0].span.clone()], id);
        }
    }

    #[test]
    fn huge_numbers_are_values_with_a_place_not_syntax_errors() {
        for huge in ["18446744073709551615", "99999999999999999999999999999"] {
            let text = BASE.replace("ip: 10.0.0.9", &format!("ip: {huge}"));
            let (_, d) = run(&text);
            assert_eq!(d.len(), 1, "{d:?}");
            assert_eq!(d[0].code, Code::InvalidValue);
            assert_eq!(&text[d[0].span.clone()], huge);
        }
    }

    #[test]
    fn an_apps_mapping_is_reported_once() {
        let text = BASE.replace("apps: [{product: iis, version: 6.0}]", "apps: {}");
        let (_, d) = run(&text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("must be a list"), "{d:?}");
    }

    #[test]
    fn injection_characters_are_refused() {
        let text = BASE.replace("version: 6.0}", "content_dir: 'S:\\a & calc'}");
        let (_, d) = run(&text);
        assert_eq!(d[0].code, Code::InvalidValue);
    }
}
