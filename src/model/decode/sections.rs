//! The sections of SPEC section 2 (`cluster`, `servers`, `firewall`, `groups` with their
//! disks and apps, `inventory`), read with the leaf readers of the decoder.

use std::sync::LazyLock;

use super::*;

/// Groups decoded by one job when a file's groups are decoded on several cores: enough that a
/// job outweighs handing it over, few enough that the cores share the work evenly.
const GROUPS_PER_JOB: usize = 64;

impl<'a> Decoder<'a> {
    // ---- the sections of SPEC section 2 ----

    pub(super) fn cluster_file(&mut self, root: &Node) -> ClusterFile {
        let mut out = ClusterFile::default();
        let Some(top) = self.fields(
            root,
            0..0,
            "the cluster file",
            &[
                "cluster",
                "servers",
                "firewall",
                "groups",
                "inventory",
                "network_partition",
            ],
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
        if let Some(node) = top.get("network_partition") {
            out.network_partition = self.network_partition(node, top.key_span("network_partition").unwrap_or_default());
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
            info.platform = self.checked(n, "cluster.platform", Code::InvalidValue, values::injection_problem_in);
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
                        let l = self.l;
                        self.push(
                            Diagnostic::new(
                                Code::DuplicateName,
                                v.span.clone(),
                                tr!(l, "decode.feature_twice", feature = v.value),
                            )
                            .related(first, tr!(l, "diag.first_listed")),
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
        let (file, l) = (self.file, self.l);
        let mut groups = Vec::with_capacity(items.len());
        crate::parallel::map_in_order(
            items.chunks(GROUPS_PER_JOB).collect(),
            threads,
            |run: &[Node]| {
                let mut diags = Diagnostics::default();
                let mut decoder = Decoder {
                    file,
                    diags: &mut diags,
                    l,
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
                "mirror",
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
                    self.invalid(failover_span.clone(), tr!(self.l, "decode.failover_empty"));
                }
                names
            }
            None => Vec::new(),
        };
        let ip = self.required(&f, "ip").and_then(|n| self.ip(n, "group ip"));
        let hostname = f
            .get("hostname")
            .and_then(|n| self.checked(n, "hostname", Code::InvalidValue, values::hostname_problem_in));
        let computer_name = f
            .get("computer_name")
            .and_then(|n| self.checked(n, "computer_name", Code::InvalidValue, values::computer_name_problem_in));
        let disk = f
            .get("disk")
            .and_then(|n| self.disk(n, f.key_span("disk").unwrap_or_default()));
        let mirror = f
            .get("mirror")
            .and_then(|n| self.mirror(n, f.key_span("mirror").unwrap_or_default()));
        let mut registry = Vec::new();
        if let Some(n) = f.get("registry") {
            for item in self.list(n, "registry") {
                registry.extend(self.checked(item, "registry", Code::InvalidValue, values::registry_problem_in));
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
        // A group may hold only its floating IP and its disk (SPEC section 2): `apps` may be
        // left out, but a list that is written must name an app.
        let mut apps = Vec::new();
        if let Some(n) = f.get("apps") {
            let items = self.list(n, "apps");
            if items.is_empty() && matches!(n.kind, Kind::Seq(_) | Kind::Null) {
                self.invalid(f.key_span("apps").unwrap_or_default(), tr!(self.l, "decode.apps_empty"));
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
            mirror,
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
            match values::parse_drive_in(self.l, &text.value) {
                Ok(letter) => Some(Sp::new(letter, text.span)),
                Err(message) => {
                    self.invalid(text.span, message);
                    None
                }
            }
        });
        let mut volume_guids = Vec::new();
        if let Some(n) = f.get("volume_guids")
            && let Some(g) = self.open_map(n, f.key_span("volume_guids").unwrap_or_default(), "volume_guids")
        {
            for (k, v) in g {
                let server = self.name(k, "server name");
                let guid = self.checked(v, "volume GUID", Code::InvalidValue, values::guid_problem_in);
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
    pub(super) fn open_map<'n>(
        &mut self,
        node: &'n Node,
        owner: Span,
        what: &str,
    ) -> Option<Vec<(&'n Node, &'n Node)>> {
        let Kind::Map(entries) = &node.kind else {
            if matches!(node.kind, Kind::Null) {
                return Some(Vec::new());
            }
            let span = if node.span.is_empty() { owner } else { node.span.clone() };
            self.not_a(span, "decode.not_mapping", what, node);
            return None;
        };
        let mut out: Vec<(&Node, &Node)> = Vec::with_capacity(entries.len());
        // Each name's first place: an inventory can hold a hundred thousand services.
        let mut first_at: HashMap<&str, &Span> = HashMap::with_capacity(entries.len());
        for (k, v) in entries {
            let Some(name) = k.as_str() else {
                self.not_a(k.span.clone(), "decode.key_not_text", what, k);
                continue;
            };
            if let Some(&first) = first_at.get(name) {
                let d = self.duplicate_key(k.span.clone(), first.clone(), name, what);
                self.push(d);
                continue;
            }
            first_at.insert(name, &k.span);
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
            .and_then(|n| self.checked(n, "product", Code::InvalidValue, values::injection_problem_in));
        let name = f.get("name").and_then(|n| self.name(n, "app name"));
        let version = f
            .get("version")
            .and_then(|n| self.checked(n, "version", Code::InvalidValue, values::version_problem_in));
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
                        self.checked(n, key, Code::InvalidValue, values::path_problem_in)
                    }
                    "site_binding" => self.ip(n, key).map(|ip| Sp::new(ip.value.to_string(), ip.span)),
                    "service_account" => self.checked(n, key, Code::InvalidValue, values::account_problem_in),
                    _ => {
                        let what = self.what(key);
                        let message = |l, s: &str| {
                            (!values::is_key(s))
                                .then(|| tr!(l, "decode.not_valid", value = s.escape_debug(), what = what))
                        };
                        self.checked(n, key, Code::InvalidValue, message)
                    }
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
                    self.checked(item, "features", Code::InvalidValue, |l, s| {
                        (!values::is_feature_name(s))
                            .then(|| tr!(l, "decode.not_feature_name", value = s.escape_debug()))
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
                    .and_then(|n| self.checked(n, "service name", Code::InvalidValue, values::service_name_problem_in));
                let watch_id = self
                    .required(&f, "watch_id")
                    .and_then(|n| self.ruled(n, "watch_id", values::watch_id_problem_in));
                Some(ServiceRef::Custom {
                    name: name?,
                    watch_id: watch_id?,
                })
            }
            _ => {
                let key = self.text(node, "services")?;
                if !values::is_key(&key.value) {
                    let message = tr!(self.l, "decode.not_service_key", value = key.value.escape_debug());
                    self.invalid(key.span, message);
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
            // A path: the server's own export, read by `inventory::load` before checking.
            if v.as_str().is_some() {
                let export = self.checked(
                    v,
                    "inventory export",
                    Code::InvalidValue,
                    crate::inventory::export_path_problem_in,
                );
                if let Some(export) = export {
                    out.push(Inventory {
                        server,
                        services: Vec::new(),
                        export: Some(export),
                    });
                }
                continue;
            }
            let Some(entries) = self.open_map(v, k.span.clone(), "inventory server") else {
                continue;
            };
            let mut services = Vec::new();
            for (sk, sv) in entries {
                let name = self.checked(sk, "service name", Code::InvalidValue, values::service_name_problem_in);
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
            out.push(Inventory {
                server,
                services,
                export: None,
            });
        }
        out
    }
}
