//! From the YAML tree to [`ClusterFile`], reporting every shape problem of the file.
//!
//! Decoding never stops at the first problem: an unknown key, a missing key or a bad value is
//! recorded and decoding goes on with the rest of the file.
//!
//! This file holds the reader of leaf values (text, names, booleans, lists, choices,
//! addresses, port rules) and of mappings (unknown and duplicate keys); `sections.rs` reads
//! the sections of SPEC section 2 with it. Value formats themselves live in
//! [`super::values`], which the schema's format table shares.

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::Ipv4Addr;

use super::values::{self, PortRule};
use super::*;
use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::source::SourceFile;
use crate::suggest;
use crate::tr;
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

/// Decodes a parsed file. Diagnostics go to `diags`, in the file's [`language`]; the model
/// holds what could be read.
pub fn decode(file: &SourceFile, root: &Node, diags: &mut Diagnostics) -> ClusterFile {
    let mut d = Decoder {
        file,
        diags,
        l: language(root),
    };
    d.cluster_file(root)
}

/// The language of a file's messages, read from the tree before anything is decoded:
/// `cluster.language` when it is `ja` or `en` (of a repeated key, the first, as decoding takes
/// it), else English, as a file that does not say gets.
pub fn language(root: &Node) -> Language {
    fn first<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
        node.entries()
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }
    match first(root, "cluster")
        .and_then(|c| first(c, "language"))
        .and_then(Node::as_str)
    {
        Some("ja") => Language::Ja,
        _ => Language::En,
    }
}

struct Decoder<'a> {
    file: &'a SourceFile,
    diags: &'a mut Diagnostics,
    /// The language of the messages.
    l: Language,
}

/// The values a message names by a phrase rather than by their key, with the message key of
/// the phrase in the catalogues.
const PHRASES: &[(&str, &str)] = &[
    ("the cluster file", "decode.what.file"),
    ("server name", "decode.what.server_name"),
    ("server ip", "decode.what.server_ip"),
    ("interconnect address", "decode.what.interconnect_address"),
    ("group name", "decode.what.group_name"),
    ("group ip", "decode.what.group_ip"),
    ("volume GUID", "decode.what.volume_guid"),
    ("app name", "decode.what.app_name"),
    ("service name", "decode.what.service_name"),
    ("inventory export", "decode.what.inventory_export"),
    ("inventory server", "decode.what.inventory_server"),
    ("start mode", "decode.what.start_mode"),
    ("mirror connect address", "decode.what.mirror_connect_address"),
    ("ping target", "decode.what.ping_target"),
];

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

    /// `what` as a message names it: in English as it is written (the English messages put it
    /// in a code span); in Japanese a key in a code span, followed by a space before the
    /// particle that follows it, and a phrase in Japanese.
    fn what(&self, what: &str) -> Cow<'static, str> {
        if self.l == Language::En {
            return Cow::Owned(what.to_string());
        }
        if what.contains(' ') {
            let phrase = PHRASES.iter().find(|(english, _)| *english == what);
            debug_assert!(phrase.is_some(), "no message key for the phrase `{what}`");
            if let Some((_, key)) = phrase {
                return Cow::Borrowed(crate::i18n::text(self.l, key));
            }
        }
        Cow::Owned(format!("`{what}` "))
    }

    /// What kind of YAML value `node` is, in the messages' language.
    fn found(&self, node: &Node) -> &'static str {
        let key = match node.kind {
            Kind::Null => "decode.kind.null",
            Kind::Bool(_) => "decode.kind.bool",
            Kind::Int(_) => "decode.kind.int",
            Kind::Float(_) => "decode.kind.float",
            Kind::Str(_) => "decode.kind.str",
            Kind::Seq(_) => "decode.kind.seq",
            Kind::Map(_) => "decode.kind.map",
        };
        crate::i18n::text(self.l, key)
    }

    /// The value at `span` is not of the kind the message (`decode.not_...`) asks for.
    fn not_a(&mut self, span: Span, message: &str, what: &str, node: &Node) {
        let text = tr!(self.l, message, what = self.what(what), found = self.found(node));
        self.invalid(span, text);
    }

    /// The help of an unknown name: the close candidate, else the list.
    fn did_you_mean(&self, word: &str, candidates: &[&str], list: impl FnOnce() -> String) -> String {
        suggest::help_in(self.l, word, candidates.iter().copied()).unwrap_or_else(list)
    }

    fn invalid(&mut self, span: Span, message: impl Into<String>) {
        self.push(Diagnostic::new(Code::InvalidValue, span, message));
    }

    /// Opens a mapping: reports duplicate and unknown keys, and a non-mapping value.
    fn fields<'n>(&mut self, node: &'n Node, owner: Span, what: &'static str, known: &[&str]) -> Option<Fields<'n>> {
        let Kind::Map(entries) = &node.kind else {
            let span = if node.span.is_empty() { owner } else { node.span.clone() };
            self.not_a(span, "decode.not_mapping", what, node);
            return None;
        };
        // The first place of each known key: a mapping of a known shape has a handful of them
        // (a scan of the earlier keys finds a repeat), but a hostile one can repeat one many
        // times (a map does).
        let mut first_at: Option<HashMap<&str, &Span>> = (entries.len() > MANY_KEYS).then(HashMap::new);
        for (i, (key, _)) in entries.iter().enumerate() {
            let Some(name) = key.as_str() else {
                self.not_a(key.span.clone(), "decode.key_not_text", what, key);
                continue;
            };
            if !known.contains(&name) {
                let l = self.l;
                let help = self.did_you_mean(name, known, || {
                    tr!(l, "decode.takes", what = self.what(what), keys = known.join(", "))
                });
                let message = tr!(l, "decode.unknown_key", key = name, what = self.what(what));
                self.push(Diagnostic::new(Code::UnknownField, key.span.clone(), message).help(help));
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
                (Some(first), _) => {
                    let d = self.duplicate_key(key.span.clone(), first, name, what);
                    self.push(d.help(tr!(self.l, "decode.duplicate_key.help")));
                }
                (None, Some(map)) => {
                    map.insert(name, &key.span);
                }
                (None, None) => {}
            }
        }
        Some(Fields { entries, owner, what })
    }

    /// A key written again in a mapping: where, and where it was first.
    fn duplicate_key(&self, again: Span, first: Span, key: &str, what: &str) -> Diagnostic {
        let l = self.l;
        Diagnostic::new(
            Code::YamlSyntax,
            again,
            tr!(l, "decode.duplicate_key", key = key, what = self.what(what)),
        )
        .label(tr!(l, "diag.defined_again"))
        .related(first, tr!(l, "diag.first_defined"))
    }

    fn required<'n>(&mut self, fields: &Fields<'n>, key: &str) -> Option<&'n Node> {
        let node = fields.get(key);
        if node.is_none() {
            let l = self.l;
            self.push(
                Diagnostic::new(
                    Code::MissingField,
                    fields.owner.clone(),
                    tr!(l, "decode.missing_key", what = self.what(fields.what), key = key),
                )
                .label(tr!(l, "decode.missing_key.label", key = key)),
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
                self.not_a(node.span.clone(), "decode.not_text", what, node);
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
        problem: impl Fn(Language, &str) -> Option<String>,
    ) -> Option<Sp<String>> {
        let value = self.text(node, what)?;
        match problem(self.l, &value.value) {
            Some(message) => {
                let label = self.invalid_label(what);
                self.push(Diagnostic::new(code, value.span.clone(), message).label(label));
                None
            }
            None => Some(value),
        }
    }

    /// The label of a value that breaks its format.
    fn invalid_label(&self, what: &str) -> String {
        tr!(self.l, "decode.invalid.label", what = self.what(what))
    }

    /// A name of the naming rules. A name that would inject into a script or a generated path
    /// is an `invalid-value` (SPEC section 6); any other break of the rules an `invalid-name`.
    fn name(&mut self, node: &Node, what: &str) -> Option<Sp<String>> {
        self.ruled(node, what, values::name_problem_in)
    }

    /// Text checked first against [`values::injection_problem`] (`invalid-value`), then
    /// against `rule` (`invalid-name`).
    fn ruled(
        &mut self,
        node: &Node,
        what: &str,
        rule: impl Fn(Language, &str) -> Option<String>,
    ) -> Option<Sp<String>> {
        let value = self.text(node, what)?;
        let (code, problem) = match values::injection_problem_in(self.l, &value.value) {
            Some(problem) => (Code::InvalidValue, Some(problem)),
            None => (Code::InvalidName, rule(self.l, &value.value)),
        };
        match problem {
            Some(message) => {
                let label = self.invalid_label(what);
                self.push(Diagnostic::new(code, value.span.clone(), message).label(label));
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
                let l = self.l;
                self.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        node.span.clone(),
                        tr!(l, "decode.yaml11_bool", what = self.what(what), value = s),
                    )
                    .help(tr!(l, "decode.yaml11_bool.help", meant = meant)),
                );
                None
            }
            _ => {
                self.not_a(node.span.clone(), "decode.not_bool", what, node);
                None
            }
        }
    }

    fn list<'n>(&mut self, node: &'n Node, what: &str) -> &'n [Node] {
        match &node.kind {
            Kind::Seq(items) => items,
            Kind::Null => &[],
            _ => {
                self.not_a(node.span.clone(), "decode.not_list", what, node);
                &[]
            }
        }
    }

    fn choice<T: Copy>(&mut self, node: &Node, what: &str, options: &[(&str, T)]) -> Option<Sp<T>> {
        let text = self.str(node, what)?;
        if let Some((_, v)) = options.iter().find(|(name, _)| *name == text) {
            return Some(Sp::new(*v, node.span.clone()));
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let l = self.l;
        let message = self.not_valid(text, what);
        let help = self.did_you_mean(text, &names, || tr!(l, "diag.use_one_of", list = names.join(", ")));
        self.push(Diagnostic::new(Code::InvalidValue, node.span.clone(), message).help(help));
        None
    }

    /// `text` is not a valid `what`.
    fn not_valid(&self, text: &str, what: &str) -> String {
        tr!(
            self.l,
            "decode.not_valid",
            value = text.escape_debug(),
            what = self.what(what)
        )
    }

    fn ip(&mut self, node: &Node, what: &str) -> Option<Sp<Ipv4Addr>> {
        let text = self.str(node, what)?;
        match values::parse_ipv4(text) {
            Some(ip) => Some(Sp::new(ip, node.span.clone())),
            None => {
                let message = tr!(self.l, "decode.not_ipv4", value = text.escape_debug());
                self.invalid(node.span.clone(), message);
                None
            }
        }
    }

    fn port_rule(&mut self, node: &Node, what: &str) -> Option<Sp<PortRule>> {
        let text = self.str(node, what)?;
        match PortRule::parse_in(self.l, text) {
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
