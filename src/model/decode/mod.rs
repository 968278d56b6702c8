//! From the YAML tree to [`ClusterFile`], reporting every shape problem of the file.
//!
//! Decoding never stops at the first problem: an unknown key, a missing key or a bad value is
//! recorded and decoding goes on with the rest of the file.
//!
//! This file holds the reader of leaf values (text, names, booleans, lists, choices,
//! addresses, port rules) and of mappings (unknown and duplicate keys); `sections.rs` reads
//! the sections of SPEC section 2 with it. Value formats themselves live in
//! [`super::values`], which the schema's format table shares.

use std::collections::HashMap;
use std::net::Ipv4Addr;

use super::values::{self, PortRule};
use super::*;
use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::source::SourceFile;
use crate::suggest;
use crate::yaml::{Kind, Node};

mod mirror;
mod sections;

/// Up to this many keys, a mapping's repeated keys are found by a scan of the earlier ones.
const MANY_KEYS: usize = 16;
#[cfg(test)]
mod tests;

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
        // The first place of each known key: a mapping of a known shape has a handful of them
        // (a scan of the earlier keys finds a repeat), but a hostile one can repeat one many
        // times (a map does).
        let mut first_at: Option<HashMap<&str, &Span>> = (entries.len() > MANY_KEYS).then(HashMap::new);
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
            let first = match &mut first_at {
                Some(map) => map.get(name).map(|s| (*s).clone()),
                None => entries[..i]
                    .iter()
                    .find(|(k, _)| k.as_str() == Some(name))
                    .map(|(k, _)| k.span.clone()),
            };
            match (first, &mut first_at) {
                (Some(first), _) => self.push(
                    Diagnostic::new(
                        Code::YamlSyntax,
                        key.span.clone(),
                        format!("duplicate key `{name}` in `{what}`"),
                    )
                    .label("defined again here")
                    .related(first, "first defined here")
                    .help("YAML keys are unique: remove one of the two"),
                ),
                (None, Some(map)) => {
                    map.insert(name, &key.span);
                }
                (None, None) => {}
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
        match values::parse_ipv4(text) {
            Some(ip) => Some(Sp::new(ip, node.span.clone())),
            None => {
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
}

/// The span to blame for a list item: its first key when it is a mapping.
fn item_span(node: &Node) -> Span {
    match node.entries().first() {
        Some((k, _)) => k.span.clone(),
        None => node.span.clone(),
    }
}
