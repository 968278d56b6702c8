//! The resolved cluster: the parsed file joined to the catalog, built once, that every later
//! stage reads (the rules, the planner, the graph, the review page).
//!
//! Names become things: the platform, each app's product and the services it controls, the
//! servers of each failover policy, and the one start order of the cluster ([`order`]). Every
//! reference that leads nowhere, every name used twice and every product key that does not
//! belong to its product is reported here; the rules then work on what resolved.

pub mod order;
mod partners;
mod ports;

use std::cell::OnceCell;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use crate::catalog::{Catalog, KeyKind, NeverStop, Platform, Product, ServiceFact};
use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::i18n::catalog_text;
use crate::model::{App, ClusterFile, Group, Language, Server, ServiceRef, Sp};
use crate::suggest::{self, Names};
use crate::tr;

pub use order::{AppEdge, AppOrder, EdgeKind, GroupEdge, GroupOrder, Reason};
pub use partners::Partners;
pub use ports::{PortNeed, port_needs};

/// A service the cluster starts and stops.
#[derive(Debug)]
pub struct Controlled<'a> {
    /// The Windows service name ARMLOAD is given.
    pub name: String,
    pub watch_id: String,
    /// Where the service was asked for: its key in `services`, or the app's `product`.
    pub span: Span,
    pub fact: Option<&'a ServiceFact>,
}

impl Controlled<'_> {
    /// The names an inventory entry may give this service: its own, and the catalog's service
    /// and display names (what [`ServiceFact::is_named`] accepts).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        let fact = self
            .fact
            .into_iter()
            .flat_map(|f| [Some(f.name.as_str()), f.display.as_deref()]);
        std::iter::once(self.name.as_str()).chain(fact.flatten())
    }
}

#[derive(Debug)]
pub struct AppView<'a> {
    pub app: &'a App,
    /// The catalog product; `None` for `custom` apps and unknown products.
    pub product: Option<&'a Product>,
    pub services: Vec<Controlled<'a>>,
}

impl AppView<'_> {
    pub fn id(&self) -> &str {
        &self.app.id().value
    }

    pub fn version(&self) -> Option<&str> {
        self.app.version.as_ref().map(|v| v.value.as_str())
    }

    /// The services in the order the start script starts them: a product's in the catalog's
    /// order (the order of the guide's sample), a custom app's as written.
    pub fn services_in_start_order(&self) -> Vec<&Controlled<'_>> {
        let mut services: Vec<&Controlled> = self.services.iter().collect();
        if let Some(product) = self.product {
            services.sort_by_key(|s| {
                s.fact
                    .and_then(|f| product.services.iter().position(|x| x.key == f.key))
                    .unwrap_or(usize::MAX)
            });
        }
        services
    }
}

#[derive(Debug)]
pub struct GroupView<'a> {
    pub group: &'a Group,
    /// The failover policy's servers that exist, in priority order, without repeats.
    pub servers: Vec<&'a Sp<String>>,
    pub apps: Vec<AppView<'a>>,
    /// The start order of the apps.
    pub order: AppOrder<'a>,
}

impl GroupView<'_> {
    pub fn name(&self) -> &str {
        &self.group.name.value
    }

    pub fn runs_on(&self, server: &str) -> bool {
        self.servers.iter().any(|s| s.value == server)
    }
}

/// The cluster with its references resolved.
#[derive(Debug)]
pub struct Cluster<'a> {
    pub file: &'a ClusterFile,
    pub catalog: &'a Catalog,
    pub platform: Option<&'a Platform>,
    pub servers: BTreeMap<&'a str, &'a Server>,
    pub groups: Vec<GroupView<'a>>,
    /// The start order between groups.
    pub group_order: GroupOrder,
    /// The groups that run each product on each server (two-way standby).
    pub partners: Partners<'a>,
    /// The servers' names to suggest from, gathered at the first unknown one (while
    /// resolving or checking).
    server_names: OnceCell<Names<'a>>,
}

impl<'a> Cluster<'a> {
    /// The servers' names, to suggest one for a name that is not one of them.
    pub fn server_names(&self) -> &Names<'a> {
        self.server_names
            .get_or_init(|| Names::new(self.servers.keys().copied()))
    }

    pub fn features(&self) -> Vec<&'a str> {
        self.file.cluster.features.iter().map(|f| f.value.as_str()).collect()
    }

    /// The language of generated texts (`en` when the file does not say).
    pub fn language(&self) -> crate::model::Language {
        self.file.cluster.language()
    }

    pub fn os(&self) -> Option<&'a str> {
        self.file.cluster.os.as_ref().map(|o| o.value.as_str())
    }

    /// The other groups that run the same product on a server of group `index`: with one such
    /// group the product is in two-way (mutual) standby, with none in one-way standby. Counted
    /// up to 2 (two or more), with the first partner found.
    pub fn partner_count(&self, index: usize, product: &str) -> (usize, Option<usize>) {
        self.partners.count(&self.groups, index, product)
    }

    /// Whether no partner of group `index` comes after it (where a set is reported once).
    pub fn is_last_partner(&self, index: usize, product: &str) -> bool {
        self.partners.is_last(&self.groups, index, product)
    }

    /// Every partner of group `index`, ascending (see [`Partners::all`] on its cost).
    pub fn partners(&self, index: usize, product: &str) -> Vec<usize> {
        self.partners.all(&self.groups, index, product)
    }

    /// Every service any catalog product says must never be stopped.
    pub fn never_stop(&self, name: &str) -> Option<(&'a Product, &'a NeverStop)> {
        self.catalog.products.values().find_map(|p| {
            p.never_stop
                .iter()
                .find(|n| n.name.eq_ignore_ascii_case(name))
                .map(|n| (p, n))
        })
    }
}

/// Resolves the file's names against the catalog; what leads nowhere is reported in `diags`,
/// in the file's language.
pub fn resolve<'a>(file: &'a ClusterFile, catalog: &'a Catalog, diags: &mut Diagnostics) -> Cluster<'a> {
    let l = file.cluster.language();
    let platform = file.cluster.platform.as_ref().and_then(|p| {
        let found = catalog.platform(&p.value);
        if found.is_none() {
            let help = suggest::help_in(l, &p.value, catalog.platforms.keys().map(String::as_str))
                .unwrap_or_else(|| tr!(l, "resolve.platform.list", list = catalog.platform_ids().join(", ")));
            diags.push(
                Diagnostic::new(
                    Code::UnknownReference,
                    p.span.clone(),
                    tr!(l, "resolve.platform.unknown", platform = p.value),
                )
                .label(tr!(l, "resolve.platform.unknown.label"))
                .help(help),
            );
        }
        found
    });

    let mut servers: BTreeMap<&str, &Server> = BTreeMap::new();
    let mut server_names: HashMap<String, &Sp<String>> = HashMap::with_capacity(file.servers.len());
    for server in &file.servers {
        // Host names and the script folders named after groups are case-insensitive on Windows.
        match server_names.entry(server.name.value.to_ascii_lowercase()) {
            Entry::Occupied(first) => diags.push(duplicate(l, What::Server, &server.name, first.get())),
            Entry::Vacant(slot) => {
                slot.insert(&server.name);
                servers.insert(&server.name.value, server);
            }
        }
    }

    // Duplicates are found through the lowercased name (one lookup per group, not a scan of
    // every earlier group); references then resolve through the name as written.
    let mut group_names: HashMap<&str, &Sp<String>> = HashMap::with_capacity(file.groups.len());
    let mut lowercase: HashMap<String, &Sp<String>> = HashMap::with_capacity(file.groups.len());
    for group in &file.groups {
        match lowercase.entry(group.name.value.to_ascii_lowercase()) {
            Entry::Occupied(first) => diags.push(duplicate(l, What::Group, &group.name, first.get())),
            Entry::Vacant(slot) => {
                slot.insert(&group.name);
                group_names.insert(&group.name.value, &group.name);
            }
        }
    }

    // The names an unknown reference may have meant: gathered once, at the first one.
    // (The servers' names go on with the cluster, for the checks' unknown servers.)
    let known_servers = OnceCell::new();
    let server_list = || known_servers.get_or_init(|| Names::new(servers.keys().copied()));
    let group_list = OnceCell::new();
    let group_list = || {
        group_list.get_or_init(|| {
            let defined = file.groups.iter().map(|g| g.name.value.as_str());
            Names::new(defined.filter(|n| group_names.contains_key(n)))
        })
    };
    let mut groups = Vec::new();
    for group in &file.groups {
        let mut policy: Vec<&Sp<String>> = Vec::new();
        for server in &group.failover {
            if let Some(first) = policy.iter().find(|s| s.value == server.value) {
                diags.push(
                    Diagnostic::new(
                        Code::DuplicateName,
                        server.span.clone(),
                        tr!(
                            l,
                            "resolve.failover_twice",
                            server = server.value,
                            group = group.name.value
                        ),
                    )
                    .related(first.span.clone(), tr!(l, "diag.first_listed")),
                );
            } else if !servers.contains_key(server.value.as_str()) {
                diags.push(unknown(l, What::Server, server, server_list()));
            } else {
                policy.push(server);
            }
        }
        for after in &group.after {
            if after.value == group.name.value {
                continue; // a self-reference is a cycle, reported by the order rule
            }
            if !group_names.contains_key(after.value.as_str()) {
                diags.push(unknown(l, What::Group, after, group_list()));
            }
        }
        if let Some(disk) = &group.disk {
            for (server, _) in &disk.volume_guids {
                if !servers.contains_key(server.value.as_str()) {
                    diags.push(unknown(l, What::Server, server, server_list()));
                }
            }
        }

        let mut apps: Vec<AppView> = Vec::new();
        // A group holds a handful of apps: scans, unless it holds many.
        let many = group.apps.len() > 16;
        let mut app_ids: HashMap<String, &Sp<String>> = HashMap::new();
        for app in &group.apps {
            let first = if many {
                match app_ids.entry(app.id().value.to_ascii_lowercase()) {
                    Entry::Occupied(first) => Some(*first.get()),
                    Entry::Vacant(slot) => {
                        slot.insert(app.id());
                        None
                    }
                }
            } else {
                apps.iter()
                    .find(|a| a.id().eq_ignore_ascii_case(&app.id().value))
                    .map(|a| a.app.id())
            };
            if let Some(first) = first {
                diags.push(duplicate(l, What::App, app.id(), first).help(tr!(l, "resolve.app.duplicate.help")));
                continue;
            }
            apps.push(resolve_app(l, app, catalog, diags));
        }
        let written: Option<std::collections::HashSet<&str>> = many.then(|| apps.iter().map(|a| a.id()).collect());
        let is_app = |name: &str| match &written {
            Some(set) => set.contains(name),
            None => apps.iter().any(|a| a.id() == name),
        };
        let app_list = OnceCell::new();
        for view in &apps {
            for after in &view.app.after {
                if after.value != view.id() && !is_app(&after.value) {
                    let names = app_list.get_or_init(|| Names::new(apps.iter().map(|a| a.id())));
                    let mut d = unknown(l, What::App, after, names);
                    d.message = tr!(l, "resolve.no_app", app = after.value, group = group.name.value);
                    diags.push(d);
                }
            }
        }
        let order = order::apps(&apps);
        groups.push(GroupView {
            group,
            servers: policy,
            apps,
            order,
        });
    }

    for inv in &file.inventory {
        if !servers.contains_key(inv.server.value.as_str()) {
            diags.push(unknown(l, What::Server, &inv.server, server_list()));
        }
    }

    check_service_names(l, &groups, diags);
    let group_order = order::groups(&groups);
    let partners = Partners::index(&groups);
    Cluster {
        file,
        catalog,
        platform,
        servers,
        groups,
        group_order,
        partners,
        server_names: known_servers,
    }
}

fn resolve_app<'a>(l: Language, app: &'a App, catalog: &'a Catalog, diags: &mut Diagnostics) -> AppView<'a> {
    let product_id = app.product.value.as_str();
    if product_id == "custom" {
        return resolve_custom(l, app, diags);
    }
    let Some(product) = catalog.product(product_id) else {
        let candidates = catalog.products.keys().map(String::as_str).chain(["custom"]);
        diags.push(unknown(l, What::Product, &app.product, &Names::new(candidates)));
        return AppView {
            app,
            product: None,
            services: Vec::new(),
        };
    };

    // Product keys: only those the product has, and the required ones present.
    let present: Vec<(&str, Span)> = app
        .props
        .iter()
        .map(|(k, _)| (k.value.as_str(), k.span.clone()))
        .chain(app.services.as_ref().map(|s| ("services", s.span.clone())))
        .chain(app.features.as_ref().map(|f| ("features", f.span.clone())))
        .collect();
    for (key, span) in &present {
        if !product.keys.contains_key(*key) {
            let own: Vec<&str> = product.keys.keys().map(String::as_str).collect();
            let help = match suggest::help_in(l, key, own.iter().copied()) {
                Some(h) => h,
                None if own.is_empty() => tr!(l, "resolve.product.no_keys", product = product.id),
                None => tr!(l, "resolve.product.takes", product = product.id, keys = own.join(", ")),
            };
            diags.push(
                Diagnostic::new(
                    Code::UnknownField,
                    span.clone(),
                    tr!(l, "resolve.product.no_key", product = product.id, key = key),
                )
                .help(help),
            );
        }
    }
    for (key, spec) in &product.keys {
        if spec.required && !present.iter().any(|(k, _)| k == key) {
            diags.push(
                Diagnostic::new(
                    Code::MissingField,
                    app.product.span.clone(),
                    tr!(
                        l,
                        "resolve.product.needs",
                        product = product.id,
                        key = key,
                        description = catalog_text(l, &spec.description)
                    ),
                )
                .label(tr!(l, "resolve.missing.label", key = key))
                .help(tr!(l, "diag.source", source = spec.source)),
            );
        }
        if spec.kind == KeyKind::Choice
            && let Some(value) = app.prop(key)
            && !spec.choices.iter().any(|c| c.id == value.value)
        {
            let ids: Vec<&str> = spec.choices.iter().map(|c| c.id.as_str()).collect();
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    value.span.clone(),
                    tr!(
                        l,
                        "resolve.product.not_choice",
                        value = value.value,
                        key = key,
                        product = product.id
                    ),
                )
                .help(use_one_of(l, &value.value, &ids)),
            );
        }
        if spec.kind == KeyKind::List
            && key == "features"
            && let Some(features) = &app.features
        {
            let ids: Vec<&str> = spec.choices.iter().map(|c| c.id.as_str()).collect();
            for f in &features.value {
                if !ids.contains(&f.value.as_str()) {
                    diags.push(
                        Diagnostic::new(
                            Code::InvalidValue,
                            f.span.clone(),
                            tr!(l, "resolve.product.not_feature", value = f.value, product = product.id),
                        )
                        .help(use_one_of(l, &f.value, &ids)),
                    );
                }
            }
        }
    }
    if product.version_required && app.version.is_none() {
        diags.push(
            Diagnostic::new(
                Code::MissingField,
                app.product.span.clone(),
                tr!(l, "resolve.product.needs_version", product = product.id),
            )
            .label(tr!(l, "resolve.missing.label", key = "version"))
            .help(tr!(l, "resolve.product.needs_version.help")),
        );
    }

    let version = app.version.as_ref().map(|v| v.value.as_str());
    let mut services = Vec::new();
    match &app.services {
        Some(list)
            if product
                .keys
                .get("services")
                .is_some_and(|k| k.kind == KeyKind::Services) =>
        {
            for item in &list.value {
                let key = match item {
                    ServiceRef::Key(key) => key,
                    ServiceRef::Custom { name, .. } => {
                        diags.push(
                            Diagnostic::new(
                                Code::InvalidValue,
                                name.span.clone(),
                                tr!(l, "resolve.services.by_key", product = product.id),
                            )
                            .help(tr!(
                                l,
                                "resolve.services.keys",
                                list = service_keys(product).join(", ")
                            )),
                        );
                        continue;
                    }
                };
                if let Some(first) = services
                    .iter()
                    .find(|s: &&Controlled| s.fact.is_some_and(|f| f.key == key.value))
                {
                    diags.push(
                        Diagnostic::new(
                            Code::DuplicateName,
                            key.span.clone(),
                            tr!(l, "resolve.service.twice", service = key.value),
                        )
                        .related(first.span.clone(), tr!(l, "diag.first_listed")),
                    );
                    continue;
                }
                if let Some(fact) = product.service(&key.value) {
                    if !fact.applies_to(version) {
                        diags.push(
                            Diagnostic::new(
                                Code::ServiceUnsupported,
                                key.span.clone(),
                                tr!(
                                    l,
                                    "resolve.service.versions",
                                    key = key.value,
                                    name = fact.name,
                                    product = product.id,
                                    versions = fact.versions.join(", ")
                                ),
                            )
                            .help(tr!(l, "diag.source", source = fact.source)),
                        );
                        continue;
                    }
                    services.push(Controlled {
                        name: fact.name.clone(),
                        watch_id: fact.watch_id.clone(),
                        span: key.span.clone(),
                        fact: Some(fact),
                    });
                } else if let Some(u) = product.unsupported_services.iter().find(|u| u.key == key.value) {
                    diags.push(
                        Diagnostic::new(
                            Code::ServiceUnsupported,
                            key.span.clone(),
                            tr!(l, "resolve.service.unsupported", name = u.name, product = product.id),
                        )
                        .label(tr!(l, "resolve.service.unsupported.label"))
                        .help(tr!(l, "resolve.service.unsupported.help", source = u.source)),
                    );
                } else if let Some(n) = product.never_stop.iter().find(|n| n.key == key.value) {
                    diags.push(
                        Diagnostic::new(
                            Code::ServiceMustNotStop,
                            key.span.clone(),
                            tr!(l, "diag.never_stop", service = n.name),
                        )
                        .label(tr!(l, "resolve.never_stop.label"))
                        .help(tr!(
                            l,
                            "resolve.never_stop.help",
                            reason = catalog_text(l, &n.reason),
                            source = n.source
                        )),
                    );
                } else {
                    let keys = service_keys(product);
                    let help = suggest::help_in(l, &key.value, keys.iter().copied())
                        .unwrap_or_else(|| tr!(l, "resolve.services.list", list = keys.join(", ")));
                    diags.push(
                        Diagnostic::new(
                            Code::InvalidValue,
                            key.span.clone(),
                            tr!(l, "resolve.service.unknown", product = product.id, service = key.value),
                        )
                        .help(help),
                    );
                }
            }
        }
        _ => {
            for fact in product.services.iter().filter(|s| s.default && s.applies_to(version)) {
                services.push(Controlled {
                    name: fact.name.clone(),
                    watch_id: fact.watch_id.clone(),
                    span: app.product.span.clone(),
                    fact: Some(fact),
                });
            }
        }
    }
    AppView {
        app,
        product: Some(product),
        services,
    }
}

fn resolve_custom<'a>(l: Language, app: &'a App, diags: &mut Diagnostics) -> AppView<'a> {
    let mut services = Vec::new();
    let no_key = |span: &Span, key: &str| {
        Diagnostic::new(
            Code::UnknownField,
            span.clone(),
            tr!(l, "resolve.custom.no_key", key = key),
        )
        .help(tr!(l, "resolve.custom.takes"))
    };
    for (key, _) in &app.props {
        diags.push(no_key(&key.span, &key.value));
    }
    if let Some(f) = &app.features {
        diags.push(no_key(&f.span, "features"));
    }
    match &app.services {
        None => diags.push(
            Diagnostic::new(
                Code::MissingField,
                app.product.span.clone(),
                tr!(l, "resolve.custom.needs_services"),
            )
            .label(tr!(l, "resolve.missing.label", key = "services"))
            .help(tr!(l, "resolve.custom.needs_services.help")),
        ),
        Some(list) => {
            for item in &list.value {
                match item {
                    ServiceRef::Custom { name, watch_id } => services.push(Controlled {
                        name: name.value.clone(),
                        watch_id: watch_id.value.clone(),
                        span: name.span.clone(),
                        fact: None,
                    }),
                    ServiceRef::Key(key) => diags.push(
                        Diagnostic::new(
                            Code::InvalidValue,
                            key.span.clone(),
                            tr!(l, "resolve.custom.by_name", key = key.value),
                        )
                        .help(tr!(l, "resolve.custom.by_name.help", key = key.value)),
                    ),
                }
            }
        }
    }
    AppView {
        app,
        product: None,
        services,
    }
}

/// A service controlled twice in one group, or one watch id given to two services.
fn check_service_names(l: Language, groups: &[GroupView], diags: &mut Diagnostics) {
    let services = groups.iter().flat_map(|g| &g.apps).map(|a| a.services.len()).sum();
    let mut watch_ids: HashMap<String, (&str, Span)> = HashMap::with_capacity(services);
    for group in groups {
        // A group controls a handful of services: a list is cheaper than a map per group,
        // which only a group of many services needs.
        let count: usize = group.apps.iter().map(|a| a.services.len()).sum();
        let mut names: Vec<(&str, &Span)> = Vec::new();
        let mut by_name: Option<HashMap<String, &Span>> = (count > 16).then(|| HashMap::with_capacity(count));
        for app in &group.apps {
            for service in &app.services {
                let first = match &by_name {
                    Some(map) => map.get(&service.name.to_ascii_lowercase()).copied(),
                    None => names
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case(&service.name))
                        .map(|(_, s)| *s),
                };
                if let Some(first) = first {
                    diags.push(
                        Diagnostic::new(
                            Code::DuplicateName,
                            service.span.clone(),
                            tr!(
                                l,
                                "resolve.service.controlled_twice",
                                service = service.name,
                                group = group.name()
                            ),
                        )
                        .related((*first).clone(), tr!(l, "resolve.service.controlled_twice.related")),
                    );
                    continue;
                }
                match &mut by_name {
                    Some(map) => {
                        map.insert(service.name.to_ascii_lowercase(), &service.span);
                    }
                    None => names.push((&service.name, &service.span)),
                }
                let id = service.watch_id.to_ascii_lowercase();
                match watch_ids.get(&id) {
                    Some((name, first)) if !name.eq_ignore_ascii_case(&service.name) => diags.push(
                        Diagnostic::new(
                            Code::DuplicateName,
                            service.span.clone(),
                            tr!(l, "resolve.watch_id.used", id = service.watch_id, service = name),
                        )
                        .related(first.clone(), tr!(l, "resolve.watch_id.used.related"))
                        .help(tr!(l, "resolve.watch_id.used.help")),
                    ),
                    Some(_) => {}
                    None => {
                        watch_ids.insert(id, (&service.name, service.span.clone()));
                    }
                }
            }
        }
    }
}

fn service_keys(product: &Product) -> Vec<&str> {
    product.services.iter().map(|s| s.key.as_str()).collect()
}

/// The help of a value that is not one of `ids`: the close one, else the list.
fn use_one_of(l: Language, value: &str, ids: &[&str]) -> String {
    suggest::help_in(l, value, ids.iter().copied()).unwrap_or_else(|| tr!(l, "diag.use_one_of", list = ids.join(", ")))
}

/// What a name names, in messages.
#[derive(Clone, Copy)]
enum What {
    Server,
    Group,
    App,
    Product,
}

impl What {
    /// The word (`resolve.what.*`) and its plural (`resolve.what.*s`: Japanese has none).
    fn words(self, l: Language) -> (&'static str, &'static str) {
        let (one, many) = match self {
            What::Server => ("resolve.what.server", "resolve.what.servers"),
            What::Group => ("resolve.what.group", "resolve.what.groups"),
            What::App => ("resolve.what.app", "resolve.what.apps"),
            What::Product => ("resolve.what.product", "resolve.what.products"),
        };
        (crate::i18n::text(l, one), crate::i18n::text(l, many))
    }
}

fn duplicate(l: Language, what: What, again: &Sp<String>, first: &Sp<String>) -> Diagnostic {
    let (_, whats) = what.words(l);
    let message = if again.value == first.value {
        tr!(l, "resolve.duplicate", whats = whats, name = again.value)
    } else {
        tr!(
            l,
            "resolve.duplicate.case",
            whats = whats,
            first = first.value,
            again = again.value
        )
    };
    Diagnostic::new(Code::DuplicateName, again.span.clone(), message)
        .label(tr!(l, "diag.defined_again"))
        .related(first.span.clone(), tr!(l, "diag.first_defined"))
}

fn unknown(l: Language, what: What, name: &Sp<String>, candidates: &Names) -> Diagnostic {
    let (one, many) = what.words(l);
    let mut d = Diagnostic::new(
        Code::UnknownReference,
        name.span.clone(),
        tr!(l, "resolve.unknown", what = one, name = name.value),
    )
    .label(tr!(l, "resolve.unknown.label", what = one));
    d = match candidates.help_in(l, &name.value) {
        Some(h) => d.help(h),
        None if candidates.is_empty() => d,
        None => d.help(tr!(l, "resolve.unknown.list", whats = many, list = candidates.list(l))),
    };
    d
}
