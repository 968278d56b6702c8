//! Reading profiles, built-in or the user's (`--profiles DIR`), into a [`Catalog`].
//!
//! Every profile goes the same way: the YAML is parsed into the spanned tree, the profile
//! schema (generated from the catalog's types, [`crate::schema`]) is applied to it with
//! [`Walker`], so every unknown key, missing key, wrong type and value outside an allowlist
//! is a diagnostic at its place in the profile file; serde then reads the checked value into
//! [`Platform`] or [`Product`]; last, references between profiles are resolved (roles,
//! required products, platforms of a version matrix, the service of a port).
//!
//! Which profile a file is:
//! - its `id` is a built-in platform's or product's: it **overrides** that profile, key by
//!   key. Each top-level key the file has replaces the built-in's whole value (a list is
//!   replaced, not appended to); every key it does not have keeps the built-in's facts. So a
//!   file of `id` and `versions` alone replaces a product's version matrix and keeps the rest;
//! - any other `id` **adds** a profile: a platform when the file has `generation`, a product
//!   otherwise; then every required key must be there.
//!
//! Two user files may not define the same id.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{Catalog, Platform, Product};
use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::input::{self, Input, InputError};
use crate::schema::walk::Walker;
use crate::source::SourceFile;
use crate::suggest;
use crate::yaml::{Kind as NodeKind, Node};

/// Why user profiles could not be loaded.
#[derive(Debug, Default)]
pub struct ProfileLoad {
    /// Paths that could not be read: a missing or unreadable DIR, a DIR without `*.yaml`, an
    /// unreadable or non-UTF-8 profile. Each is one line (`PATH: REASON`), and the exit code
    /// is 2, as for a cluster file that cannot be read.
    pub io: Vec<InputError>,
    /// Each profile file with problems and its diagnostics, sorted by place (all errors):
    /// rendered like a cluster file's, exit code 1.
    pub files: Vec<(SourceFile, Vec<Diagnostic>)>,
}

impl ProfileLoad {
    /// The exit code the failure stands for: 2 when a path could not be read, else 1.
    pub fn exit_code(&self) -> i32 {
        if self.io.is_empty() { 1 } else { 2 }
    }
}

impl fmt::Display for ProfileLoad {
    /// One line per unreadable path, then `FILE:LINE:COLUMN: code: message` per diagnostic.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.io {
            writeln!(f, "{e}")?;
        }
        for (file, diagnostics) in &self.files {
            for d in diagnostics {
                let at = file.position(d.span.start);
                // Control characters escaped: a file name or a quoted value cannot drive the terminal.
                let shown = crate::render::human::printable;
                writeln!(
                    f,
                    "{}:{}:{}: {}: {}",
                    shown(&file.name),
                    at.line,
                    at.column,
                    d.code,
                    shown(&d.message)
                )?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Platform,
    Product,
}

/// A profile file that did not pass the schema, with why.
type Failed = (SourceFile, Vec<Diagnostic>);

/// A profile file that passed the schema.
struct Read {
    file: SourceFile,
    root: Node,
    kind: Kind,
    /// Whether it overrides a built-in profile.
    overrides: bool,
    id: String,
    value: Map<String, Value>,
}

/// The ids the built-in catalog has, by kind.
#[derive(Default)]
struct Known {
    platforms: BTreeSet<String>,
    products: BTreeSet<String>,
}

/// Parses a profile and applies the schema. `known` are the built-in ids (none while the
/// built-in catalog itself is read).
fn read(file: SourceFile, known: &Known) -> Result<Read, Box<Failed>> {
    let root = match crate::yaml::parse(&file) {
        Ok(root) => root,
        Err(d) => return Err(Box::new((file, vec![d]))),
    };
    let id = root
        .entries()
        .iter()
        .find(|(k, _)| k.as_str() == Some("id"))
        .and_then(|(_, v)| v.as_str())
        .map(str::to_string);
    let (kind, overrides) = match id.as_deref() {
        Some(id) if known.platforms.contains(id) => (Kind::Platform, true),
        Some(id) if known.products.contains(id) => (Kind::Product, true),
        _ if root.entries().iter().any(|(k, _)| k.as_str() == Some("generation")) => (Kind::Platform, false),
        _ => (Kind::Product, false),
    };
    let definition = match (kind, overrides) {
        (Kind::Platform, false) => "Platform",
        (Kind::Product, false) => "Product",
        (Kind::Platform, true) => "PlatformOverride",
        (Kind::Product, true) => "ProductOverride",
    };
    let document = crate::schema::profile_definitions();
    let mut walker = Walker::new(&file, document);
    let value = if matches!(root.kind, NodeKind::Map(_)) {
        walker.check(&root, &document["$defs"][definition])
    } else {
        walker.diagnostics.push(
            Diagnostic::new(
                Code::InvalidValue,
                root.span.clone(),
                format!("a profile is a mapping, found {}", root.describe()),
            )
            .help("start with `id:`, then the platform's or product's keys"),
        );
        None
    };
    let diagnostics = walker.diagnostics;
    match value {
        Some(Value::Object(value)) if diagnostics.is_empty() => Ok(Read {
            file,
            root,
            kind,
            overrides,
            id: id.unwrap_or_default(),
            value,
        }),
        _ => Err(Box::new((file, sorted(diagnostics)))),
    }
}

fn sorted(list: Vec<Diagnostic>) -> Vec<Diagnostic> {
    Diagnostics { list }.into_sorted()
}

/// One step of a path into a profile.
#[derive(Debug, Clone, Copy)]
enum Seg<'s> {
    Key(&'s str),
    Index(usize),
}

/// The node at a path of a profile file, if the file has it.
fn find<'n>(node: &'n Node, path: &[Seg]) -> Option<&'n Node> {
    let Some((first, rest)) = path.split_first() else {
        return Some(node);
    };
    let next = match (first, &node.kind) {
        (Seg::Key(key), NodeKind::Map(entries)) => {
            entries.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v)
        }
        (Seg::Index(i), NodeKind::Seq(items)) => items.get(*i),
        _ => None,
    }?;
    find(next, rest)
}

/// The span of a top-level key of a profile file.
fn key_span(read: &Read, key: &str) -> Option<Span> {
    read.root
        .entries()
        .iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(k, _)| k.span.clone())
}

/// The span of a profile's `id` value (the start of the file when it has none).
fn id_span(read: &Read) -> Span {
    find(&read.root, &[Seg::Key("id")]).map_or(0..0, |n| n.span.clone())
}

/// The built-in profiles, read.
fn builtin_reads() -> Vec<Read> {
    let none = Known::default();
    super::BUILTIN
        .iter()
        .map(|(name, text)| {
            read(SourceFile::new(format!("profiles/{name}"), *text), &none)
                .unwrap_or_else(|f| panic!("built-in profile {}: {:?}", f.0.name, f.1))
        })
        .collect()
}

/// Loads the built-in profiles given as (file name, text): the errors as text.
pub(super) fn load_builtin(files: &[(&str, &str)]) -> Result<Catalog, String> {
    let none = Known::default();
    let mut reads = Vec::new();
    let mut failed = ProfileLoad::default();
    for (name, text) in files {
        match read(SourceFile::new(*name, *text), &none) {
            Ok(r) => reads.push(r),
            Err(f) => failed.files.push(*f),
        }
    }
    if !failed.files.is_empty() {
        return Err(failed.to_string());
    }
    let (mut catalog, problems) = assemble(Vec::new(), reads, true);
    // Built-in profiles come from no user file: `origins` names only what --profiles changed.
    catalog.origins.clear();
    if problems.files.is_empty() {
        Ok(catalog)
    } else {
        Err(problems.to_string())
    }
}

/// The built-in catalog with the profiles of `dir` (every `*.yaml` and `*.yml` below it, or
/// the one file it names) added or overriding.
pub(super) fn load_with(dir: &Path) -> Result<Catalog, ProfileLoad> {
    let base = builtin_reads();
    let mut known = Known::default();
    for r in &base {
        match r.kind {
            Kind::Platform => known.platforms.insert(r.id.clone()),
            Kind::Product => known.products.insert(r.id.clone()),
        };
    }
    let mut failed = ProfileLoad::default();
    let mut user = Vec::new();
    for path in input::expand(&[dir.to_path_buf()]) {
        let file = match path.and_then(|p: PathBuf| input::read(&p)) {
            Ok(Input::Source(file)) => file,
            Ok(Input::TooLarge(file)) => {
                failed.files.push((file, vec![input::too_large()]));
                continue;
            }
            Err(e) => {
                failed.io.push(e);
                continue;
            }
        };
        match read(file, &known) {
            Ok(r) => user.push(r),
            Err(f) => failed.files.push(*f),
        }
    }
    if !failed.io.is_empty() || !failed.files.is_empty() {
        return Err(failed);
    }
    let (catalog, problems) = assemble(base, user, false);
    if problems.files.is_empty() {
        Ok(catalog)
    } else {
        Err(problems)
    }
}

/// Merges the user's profiles into the base ones, reads them into the catalog's types and
/// resolves the references between profiles. Problems are reported into the user's files.
/// `builtin`: the "user" files are the built-in profiles themselves, whose orders by roles no
/// product has (dbMail's `rdb`) are facts of the guides.
fn assemble(base: Vec<Read>, user: Vec<Read>, builtin: bool) -> (Catalog, ProfileLoad) {
    let mut problems: Vec<Vec<Diagnostic>> = user.iter().map(|_| Vec::new()).collect();
    let mut merged: BTreeMap<String, Entry> = BTreeMap::new();
    let mut base_values: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for r in base {
        base_values.insert(r.id.clone(), r.value.clone());
        merged.insert(
            r.id,
            Entry {
                kind: r.kind,
                value: r.value,
                owner: None,
            },
        );
    }
    for (i, r) in user.iter().enumerate() {
        match merged.get_mut(&r.id) {
            Some(Entry { owner: Some(first), .. }) => {
                let first = *first;
                problems[i].push(
                    Diagnostic::new(
                        Code::DuplicateName,
                        id_span(r),
                        format!("the profile `{}` is already defined by {}", r.id, user[first].file.name),
                    )
                    .label("defined again here")
                    .help("keep one file per id: merge the two"),
                );
            }
            Some(Entry { value, owner, .. }) if r.overrides => {
                for (key, v) in &r.value {
                    value.insert(key.clone(), v.clone());
                }
                *owner = Some(i);
            }
            _ => {
                merged.insert(
                    r.id.clone(),
                    Entry {
                        kind: r.kind,
                        value: r.value.clone(),
                        owner: Some(i),
                    },
                );
            }
        }
    }

    let mut catalog = Catalog::default();
    for (id, Entry { kind, value, owner }) in merged {
        let result = match kind {
            Kind::Platform => serde_json::from_value::<Platform>(Value::Object(value)).map(|p| {
                catalog.platforms.insert(id.clone(), p);
            }),
            Kind::Product => serde_json::from_value::<Product>(Value::Object(value)).map(|p| {
                catalog.products.insert(id.clone(), p);
            }),
        };
        match (result, owner) {
            (Ok(()), Some(i)) => {
                catalog.origins.insert(id, user[i].file.name.clone());
            }
            (Ok(()), None) => {}
            (Err(e), Some(i)) => problems[i].push(Diagnostic::new(
                Code::InvalidValue,
                id_span(&user[i]),
                format!("the profile `{id}` cannot be read: {e}"),
            )),
            (Err(e), None) => panic!("built-in profile `{id}`: {e}"),
        }
    }

    let owner_of = |id: &str| user.iter().position(|r| r.id == id);
    // Roles a product may order itself by: those products have, and those the built-in
    // profiles order by without a product of the catalog having them (dbMail's `rdb`).
    let declared: BTreeSet<&str> = catalog
        .products
        .values()
        .flat_map(|p| p.roles.iter().map(String::as_str))
        .collect();
    let role_list = |v: &Map<String, Value>, key: &str| -> Vec<String> {
        let Some(Value::Array(items)) = v.get(key) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| match item {
                Value::String(s) => Some(s.clone()),
                Value::Object(o) => o.get("role").and_then(Value::as_str).map(str::to_string),
                _ => None,
            })
            .collect()
    };
    let declared_in_base: BTreeSet<String> = base_values.values().flat_map(|v| role_list(v, "roles")).collect();
    let ordered_in_base: BTreeSet<String> = base_values
        .values()
        .chain(user.iter().filter(|_| builtin).map(|r| &r.value))
        .flat_map(|v| ORDERS.iter().flat_map(|k| role_list(v, k)))
        .collect();
    let roles: BTreeSet<&str> = declared
        .iter()
        .copied()
        .chain(ordered_in_base.iter().map(String::as_str))
        .collect();
    let mut found: Vec<(usize, Diagnostic)> = Vec::new();
    for product in catalog.products.values() {
        let mut refs = References {
            user: &user,
            owner: owner_of(&product.id),
            found: &mut found,
        };
        for (i, require) in product.requires.iter().enumerate() {
            if !catalog.products.contains_key(&require.product) {
                refs.unknown(
                    &[Seg::Key("requires"), Seg::Index(i), Seg::Key("product")],
                    "product",
                    &require.product,
                    catalog.products.keys().map(String::as_str),
                );
            }
        }
        for field in ORDERS {
            let facts = match field {
                "start_after" => &product.start_after,
                "start_before" => &product.start_before,
                "install_after" => &product.install_after,
                _ => &product.install_before,
            };
            for (i, fact) in facts.iter().enumerate() {
                let path = [Seg::Key(field), Seg::Index(i), Seg::Key("role")];
                if refs.has(&path) {
                    if !roles.contains(fact.role.as_str()) {
                        refs.unknown(&path, "role", &fact.role, roles.iter().copied());
                    }
                    continue;
                }
                if declared.contains(fact.role.as_str()) || !declared_in_base.contains(&fact.role) {
                    continue;
                }
                // A built-in order whose role a user's `roles` took away.
                for (j, r) in user.iter().enumerate() {
                    let had = base_values
                        .get(&r.id)
                        .and_then(|v| v.get("roles"))
                        .and_then(Value::as_array)
                        .is_some_and(|list| list.iter().any(|x| x == fact.role.as_str()));
                    if let (true, true, Some(span)) = (r.overrides, had, key_span(r, "roles")) {
                        refs.found.push((
                            j,
                            Diagnostic::new(
                                Code::UnknownReference,
                                span,
                                format!(
                                    "`{}` orders itself by the role `{}` (`{field}`), which no product has without this profile",
                                    product.id, fact.role
                                ),
                            )
                            .label("the role is taken away here")
                            .help(format!("keep `{}` in `roles`", fact.role)),
                        ));
                    }
                }
            }
        }
        for (i, order) in product.companion_order.iter().enumerate() {
            for (k, role) in order.roles.iter().enumerate() {
                let path = [
                    Seg::Key("companion_order"),
                    Seg::Index(i),
                    Seg::Key("roles"),
                    Seg::Index(k),
                ];
                if refs.has(&path) && !roles.contains(role.as_str()) {
                    refs.unknown(&path, "role", role, roles.iter().copied());
                }
            }
        }
        for (i, row) in product.versions.iter().enumerate() {
            for (j, platform) in row.platforms.iter().enumerate() {
                if platform != "*" && !catalog.platforms.contains_key(platform) {
                    refs.unknown(
                        &[
                            Seg::Key("versions"),
                            Seg::Index(i),
                            Seg::Key("platforms"),
                            Seg::Index(j),
                        ],
                        "platform",
                        platform,
                        catalog.platforms.keys().map(String::as_str),
                    );
                }
            }
        }
        let keys: Vec<&str> = product.services.iter().map(|s| s.key.as_str()).collect();
        for (i, port) in product.ports.iter().enumerate() {
            if let Some(service) = &port.service
                && !keys.contains(&service.as_str())
            {
                let path = [Seg::Key("ports"), Seg::Index(i), Seg::Key("service")];
                if refs.has(&path) || refs.owner.is_none() {
                    refs.unknown(&path, "service", service, keys.iter().copied());
                } else if let Some(o) = refs.owner
                    && let Some(span) = key_span(&user[o], "services")
                {
                    refs.found.push((
                        o,
                        Diagnostic::new(
                            Code::UnknownReference,
                            span,
                            format!(
                                "the port {} of `{}` needs the service `{service}`, which these `services` no longer have",
                                port.rule, product.id
                            ),
                        )
                        .help(format!("keep a service with `key: {service}`, or override `ports` too")),
                    ));
                }
            }
        }
        for (i, service) in product.services.iter().enumerate() {
            let earlier = &product.services[..i];
            if earlier.iter().any(|s| s.key == service.key) {
                refs.duplicate(
                    &[Seg::Key("services"), Seg::Index(i), Seg::Key("key")],
                    "service key",
                    &service.key,
                );
            } else if earlier
                .iter()
                .any(|s| s.watch_id.eq_ignore_ascii_case(&service.watch_id))
            {
                refs.duplicate(
                    &[Seg::Key("services"), Seg::Index(i), Seg::Key("watch_id")],
                    "watch id",
                    &service.watch_id,
                );
            }
        }
    }
    for (i, d) in found {
        problems[i].push(d);
    }

    let mut out = ProfileLoad::default();
    for (r, diagnostics) in user.into_iter().zip(problems) {
        if !diagnostics.is_empty() {
            out.files.push((r.file, sorted(diagnostics)));
        }
    }
    (catalog, out)
}

/// A profile being assembled: its kind, its value (the built-in's with the user's keys laid
/// over it), and the user file that defined or changed it.
struct Entry {
    kind: Kind,
    value: Map<String, Value>,
    owner: Option<usize>,
}

/// The keys of a product that order it by roles.
const ORDERS: [&str; 4] = ["start_after", "start_before", "install_after", "install_before"];

/// Reports references of one profile that lead nowhere, into the user file that wrote them.
struct References<'a> {
    user: &'a [Read],
    /// The user file that defined or overrode the profile.
    owner: Option<usize>,
    found: &'a mut Vec<(usize, Diagnostic)>,
}

impl References<'_> {
    fn has(&self, path: &[Seg]) -> bool {
        self.owner.is_some_and(|o| find(&self.user[o].root, path).is_some())
    }

    /// The place of a path in the owner's file: the value, or the profile's id when the
    /// value is the built-in's. `None` for a built-in profile nobody changed.
    fn place(&self, path: &[Seg]) -> Option<(usize, Span)> {
        let o = self.owner?;
        let read = &self.user[o];
        let span = find(&read.root, path).map_or_else(|| id_span(read), |n| n.span.clone());
        Some((o, span))
    }

    fn unknown<'c>(&mut self, path: &[Seg], what: &str, name: &str, candidates: impl Iterator<Item = &'c str>) {
        let Some((o, span)) = self.place(path) else {
            return;
        };
        let candidates: Vec<&str> = candidates.collect();
        let mut d = Diagnostic::new(Code::UnknownReference, span, format!("unknown {what} `{name}`"))
            .label(format!("no such {what}"));
        d = match suggest::help(name, candidates.iter().copied()) {
            Some(h) => d.help(h),
            None if candidates.is_empty() => d,
            None => d.help(format!("{what}s: {}", candidates.join(", "))),
        };
        self.found.push((o, d));
    }

    fn duplicate(&mut self, path: &[Seg], what: &str, name: &str) {
        let Some((o, span)) = self.place(path) else {
            return;
        };
        self.found.push((
            o,
            Diagnostic::new(Code::DuplicateName, span, format!("the {what} `{name}` is used twice"))
                .label("used again here"),
        ));
    }
}
