//! Checks a spanned YAML tree against a JSON Schema, with hagen's diagnostics at the place of
//! every problem.
//!
//! Profiles are read this way: their schema (`schemas/profile.schema.json`) is generated from
//! the catalog's types, and this walker applies it to the user's file, so an editor with the
//! schema and hagen report the same problems, hagen with a line and column, "did you mean"
//! and its stable codes (`unknown-field`, `missing-field`, `invalid-value`). It returns the
//! file as a JSON value that serde then reads into the catalog's types.
//!
//! It covers the part of JSON Schema that schemars writes and hagen's schemas use: `$ref`
//! into `$defs`, `allOf`, `anyOf`, `oneOf`, `if`/`then`/`else`, `type`, `enum`, `const`,
//! `properties`, `patternProperties`, `additionalProperties`, `required`, `items`,
//! `minItems`, `minimum`, `maximum`, and `pattern` through [`formats`](super::formats), whose
//! function says what is wrong with a text.

use serde_json::{Map, Value};

use crate::diag::{Code, Diagnostic, Span};
use crate::source::SourceFile;
use crate::suggest;
use crate::yaml::{Kind, Node};

use super::formats;

/// The help of a missing or blank `source`.
const SOURCE_HELP: &str = "every fact names its source: a section of a guide, a reference file, or your own validation (e.g. \"customer X's validation 2026-03\")";

/// Walks one file against one schema document.
pub struct Walker<'a> {
    file: &'a SourceFile,
    document: &'a Value,
    pub diagnostics: Vec<Diagnostic>,
}

/// Where a value is: its path for messages, and the span to blame when it has none.
#[derive(Clone)]
struct At {
    path: String,
    owner: Span,
}

impl At {
    fn key(&self, key: &str, span: Span) -> At {
        let path = if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        };
        At { path, owner: span }
    }

    fn index(&self, i: usize, span: Span) -> At {
        At {
            path: format!("{}[{i}]", self.path),
            owner: span,
        }
    }

    fn name(&self) -> &str {
        if self.path.is_empty() { "the file" } else { &self.path }
    }
}

impl<'a> Walker<'a> {
    pub fn new(file: &'a SourceFile, document: &'a Value) -> Self {
        Walker {
            file,
            document,
            diagnostics: Vec::new(),
        }
    }

    /// Checks `node` against `schema` (a schema of the document, or one of its parts). The
    /// value is `None` when anything is wrong; every problem is in [`Walker::diagnostics`].
    pub fn check(&mut self, node: &Node, schema: &Value) -> Option<Value> {
        let at = At {
            path: String::new(),
            owner: node.span.clone(),
        };
        self.value(node, schema, &at)
    }

    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn span(&self, node: &Node, at: &At) -> Span {
        if node.span.is_empty() {
            at.owner.clone()
        } else {
            node.span.clone()
        }
    }

    fn invalid(&mut self, node: &Node, at: &At, message: impl Into<String>) {
        let span = self.span(node, at);
        self.push(Diagnostic::new(Code::InvalidValue, span, message));
    }

    /// Runs `f` and takes back what it reported.
    fn quietly<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> (T, Vec<Diagnostic>) {
        let saved = std::mem::take(&mut self.diagnostics);
        let out = f(self);
        let found = std::mem::replace(&mut self.diagnostics, saved);
        (out, found)
    }

    fn resolve(&self, reference: &str) -> &'a Value {
        let document: &'a Value = self.document;
        reference
            .strip_prefix("#/")
            .and_then(|pointer| document.pointer(&format!("/{pointer}")))
            .unwrap_or_else(|| panic!("the schema has no `{reference}`"))
    }

    fn value(&mut self, node: &Node, schema: &Value, at: &At) -> Option<Value> {
        let s = match schema {
            Value::Bool(true) => return Some(self.plain(node)),
            Value::Bool(false) => {
                self.invalid(node, at, format!("`{}` is not allowed here", at.name()));
                return None;
            }
            Value::Object(s) => s,
            _ => return Some(self.plain(node)),
        };
        let mut ok = true;
        let mut out = None;
        let mut keep = |result: Option<Value>, ok: &mut bool| match result {
            Some(v) => {
                if out.is_none() {
                    out = Some(v);
                }
            }
            None => *ok = false,
        };
        if let Some(reference) = s.get("$ref").and_then(Value::as_str) {
            let target = self.resolve(reference);
            let r = self.value(node, target, at);
            keep(r, &mut ok);
        }
        for sub in s.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            let r = self.value(node, sub, at);
            keep(r, &mut ok);
        }
        if let Some(branches) = s.get("anyOf").or_else(|| s.get("oneOf")).and_then(Value::as_array) {
            let r = self.any(node, branches, at);
            keep(r, &mut ok);
        }
        if let Some(condition) = s.get("if") {
            let (matched, _) = self.quietly(|w| w.value(node, condition, at).is_some());
            let branch = if matched { s.get("then") } else { s.get("else") };
            if let Some(branch) = branch {
                let r = self.value(node, branch, at);
                keep(r, &mut ok);
            }
        }
        let r = self.local(node, s, at);
        keep(r, &mut ok);
        if ok {
            out.or_else(|| Some(self.plain(node)))
        } else {
            None
        }
    }

    /// One of several schemas.
    fn any(&mut self, node: &Node, branches: &[Value], at: &At) -> Option<Value> {
        let mut tried = Vec::new();
        for branch in branches {
            let (value, found) = self.quietly(|w| w.value(node, branch, at));
            if value.is_some() {
                return value;
            }
            tried.push((branch, found));
        }
        // Every branch a word: one message naming them all.
        let words: Option<Vec<Value>> = branches.iter().map(|b| self.words(b)).collect();
        if let Some(words) = words {
            let words: Vec<Value> = words
                .into_iter()
                .flat_map(|w| w.as_array().cloned().unwrap_or_default())
                .collect();
            self.not_one_of(node, &words, at);
            return None;
        }
        // Otherwise the diagnostics of the branch meant for this kind of value.
        let is_null = matches!(node.kind, Kind::Null);
        let meant = tried
            .into_iter()
            .filter(|(b, _)| is_null || !self.only_null(b))
            .min_by_key(|(_, found)| found.len());
        match meant {
            Some((_, found)) => self.diagnostics.extend(found),
            None => self.invalid(node, at, format!("`{}` has the wrong kind of value", at.name())),
        }
        None
    }

    /// The words a schema is a `const` or `enum` of, if that is all it is.
    fn words(&self, schema: &Value) -> Option<Value> {
        let s = schema.as_object()?;
        if let Some(reference) = s.get("$ref").and_then(Value::as_str) {
            return self.words(self.resolve(reference));
        }
        if let Some(c) = s.get("const") {
            return Some(Value::Array(vec![c.clone()]));
        }
        s.get("enum").cloned()
    }

    fn only_null(&self, schema: &Value) -> bool {
        schema.get("type").and_then(Value::as_str) == Some("null")
    }

    fn not_one_of(&mut self, node: &Node, words: &[Value], at: &At) {
        let names: Vec<String> = words
            .iter()
            .map(|w| w.as_str().map(str::to_string).unwrap_or_else(|| w.to_string()))
            .collect();
        let written = match &node.kind {
            Kind::Str(s) => s.clone(),
            _ => self.file.slice(node.span.clone()).to_string(),
        };
        let span = self.span(node, at);
        let mut d = Diagnostic::new(
            Code::InvalidValue,
            span,
            format!("`{}` is not a valid `{}`", written.escape_debug(), at.name()),
        );
        d = match suggest::help(&written, names.iter().map(String::as_str)) {
            Some(h) => d.help(h),
            None => d.help(format!("use one of: {}", names.join(", "))),
        };
        self.push(d);
    }

    /// The keywords that apply to this schema's own value.
    fn local(&mut self, node: &Node, s: &Map<String, Value>, at: &At) -> Option<Value> {
        let mut value = None;
        if let Some(types) = s.get("type") {
            let types: Vec<&str> = match types {
                Value::String(t) => vec![t.as_str()],
                Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            value = Some(self.typed(node, &types, at)?);
        }
        let value = value.unwrap_or_else(|| self.plain(node));
        if let Some(c) = s.get("const")
            && value != *c
        {
            self.not_one_of(node, std::slice::from_ref(c), at);
            return None;
        }
        if let Some(Value::Array(words)) = s.get("enum")
            && !words.contains(&value)
        {
            self.not_one_of(node, words, at);
            return None;
        }
        let has = |keys: &[&str]| keys.iter().any(|k| s.contains_key(*k));
        match (&node.kind, &value) {
            (_, Value::String(text)) => self.text(node, text, s, at).then_some(value),
            (Kind::Int(n), _) => self.number(node, *n, s, at).then_some(value),
            (Kind::Seq(items), _) if has(&["items", "minItems"]) => self.list(node, items, s, at),
            (Kind::Map(entries), _)
                if has(&["properties", "patternProperties", "additionalProperties", "required"]) =>
            {
                self.map(entries, s, at)
            }
            (Kind::Seq(_) | Kind::Map(_), _) => Some(self.plain(node)),
            _ => Some(value),
        }
    }

    /// The node as a JSON value of one of these types.
    fn typed(&mut self, node: &Node, types: &[&str], at: &At) -> Option<Value> {
        let has = |t: &str| types.contains(&t);
        let as_text = has("string") && has("number");
        let value = match &node.kind {
            Kind::Null if has("null") => Some(Value::Null),
            Kind::Bool(b) if has("boolean") => Some(Value::Bool(*b)),
            Kind::Int(_) | Kind::Float(_) if as_text => {
                Some(Value::String(self.file.slice(node.span.clone()).to_string()))
            }
            Kind::Int(n) if has("integer") || has("number") => Some(Value::from(*n)),
            Kind::Float(x) if has("number") => serde_json::Number::from_f64(*x).map(Value::Number),
            Kind::Str(s) if has("string") => Some(Value::String(s.clone())),
            Kind::Seq(_) if has("array") => Some(Value::Array(Vec::new())),
            Kind::Map(_) if has("object") => Some(Value::Object(Map::new())),
            _ => None,
        };
        if value.is_some() {
            return value;
        }
        if let Kind::Str(s) = &node.kind
            && has("boolean")
            && matches!(s.to_ascii_lowercase().as_str(), "yes" | "no" | "on" | "off" | "y" | "n")
        {
            let meant = matches!(s.to_ascii_lowercase().as_str(), "yes" | "on" | "y");
            let span = self.span(node, at);
            self.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    span,
                    format!("`{}` must be true or false; `{s}` is a YAML 1.1 spelling", at.name()),
                )
                .help(format!("write `{meant}`")),
            );
            return None;
        }
        let expected: Vec<&str> = types
            .iter()
            .filter(|t| !(as_text && **t == "number"))
            .map(|t| match *t {
                "string" => "text",
                "array" => "a list",
                "object" => "a mapping",
                "boolean" => "true or false",
                "integer" => "an integer",
                "number" => "a number",
                "null" => "empty",
                other => other,
            })
            .collect();
        self.invalid(
            node,
            at,
            format!(
                "`{}` must be {}, found {}",
                at.name(),
                expected.join(" or "),
                node.describe()
            ),
        );
        None
    }

    fn text(&mut self, node: &Node, text: &str, s: &Map<String, Value>, at: &At) -> bool {
        let Some(pattern) = s.get("pattern").and_then(Value::as_str) else {
            return true;
        };
        let format = formats::by_pattern(pattern).unwrap_or_else(|| panic!("no format has the pattern `{pattern}`"));
        match (format.check)(text) {
            None => true,
            Some(problem) => {
                let span = self.span(node, at);
                let mut d =
                    Diagnostic::new(Code::InvalidValue, span, problem).label(format!("invalid `{}`", at.name()));
                if at.path == "source" || at.path.ends_with(".source") {
                    d = d.help(SOURCE_HELP);
                }
                self.push(d);
                false
            }
        }
    }

    fn number(&mut self, node: &Node, n: i64, s: &Map<String, Value>, at: &At) -> bool {
        let min = s.get("minimum").and_then(Value::as_i64);
        let max = s.get("maximum").and_then(Value::as_i64);
        if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
            let range = match (min, max) {
                (Some(a), Some(b)) => format!("from {a} to {b}"),
                (Some(a), None) => format!("at least {a}"),
                (None, Some(b)) => format!("at most {b}"),
                (None, None) => unreachable!(),
            };
            self.invalid(node, at, format!("`{}` must be {range}, found {n}", at.name()));
            return false;
        }
        true
    }

    fn list(&mut self, node: &Node, items: &[Node], s: &Map<String, Value>, at: &At) -> Option<Value> {
        let mut ok = true;
        if let Some(min) = s.get("minItems").and_then(Value::as_u64)
            && (items.len() as u64) < min
        {
            self.invalid(
                node,
                at,
                format!(
                    "`{}` must list at least {min} item{}",
                    at.name(),
                    if min == 1 { "" } else { "s" }
                ),
            );
            ok = false;
        }
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let item_at = at.index(i, item_span(item));
            let value = match s.get("items") {
                Some(schema) => self.value(item, schema, &item_at),
                None => Some(self.plain(item)),
            };
            match value {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(Value::Array(out))
    }

    fn map(&mut self, entries: &[(Node, Node)], s: &Map<String, Value>, at: &At) -> Option<Value> {
        let properties = s.get("properties").and_then(Value::as_object);
        let patterns = s.get("patternProperties").and_then(Value::as_object);
        let additional = s.get("additionalProperties");
        let mut ok = true;
        let mut out = Map::new();
        let mut seen: Vec<(&str, &Node)> = Vec::new();
        for (key, value) in entries {
            let Some(name) = key.as_str() else {
                self.invalid(
                    key,
                    at,
                    format!("keys of `{}` must be text, found {}", at.name(), key.describe()),
                );
                ok = false;
                continue;
            };
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == name) {
                let first = first.span.clone();
                self.push(
                    Diagnostic::new(
                        Code::YamlSyntax,
                        key.span.clone(),
                        format!("duplicate key `{name}` in `{}`", at.name()),
                    )
                    .label("defined again here")
                    .related(first, "first defined here")
                    .help("YAML keys are unique: remove one of the two"),
                );
                ok = false;
                continue;
            }
            seen.push((name, key));
            let value_at = at.key(name, key.span.clone());
            let schema = properties.and_then(|p| p.get(name)).or_else(|| {
                patterns.and_then(|p| {
                    p.iter()
                        .find(|(pattern, _)| {
                            (formats::by_pattern(pattern)
                                .unwrap_or_else(|| panic!("no format has the pattern `{pattern}`"))
                                .check)(name)
                            .is_none()
                        })
                        .map(|(_, schema)| schema)
                })
            });
            let schema = match (schema, additional) {
                (Some(schema), _) => Some(schema),
                (None, Some(Value::Bool(false))) => {
                    self.unknown(key, name, properties, patterns, at);
                    ok = false;
                    continue;
                }
                (None, other) => other,
            };
            let converted = match schema {
                Some(schema) => self.value(value, schema, &value_at),
                None => Some(self.plain(value)),
            };
            match converted {
                Some(v) => {
                    out.insert(name.to_string(), v);
                }
                None => ok = false,
            }
        }
        for required in s.get("required").and_then(Value::as_array).into_iter().flatten() {
            let Some(required) = required.as_str() else { continue };
            if !seen.iter().any(|(k, _)| *k == required) {
                let what = if at.path.is_empty() {
                    "the profile".to_string()
                } else {
                    format!("`{}`", at.path)
                };
                let mut d = Diagnostic::new(
                    Code::MissingField,
                    at.owner.clone(),
                    format!("{what} needs the key `{required}`"),
                )
                .label(format!("`{required}` missing here"));
                if required == "source" {
                    d = d.help(SOURCE_HELP);
                } else if let Some(description) = properties
                    .and_then(|p| p.get(required))
                    .and_then(|p| p.get("description"))
                    .and_then(Value::as_str)
                {
                    d = d.help(format!("`{required}`: {description}"));
                }
                self.push(d);
                ok = false;
            }
        }
        ok.then_some(Value::Object(out))
    }

    fn unknown(
        &mut self,
        key: &Node,
        name: &str,
        properties: Option<&Map<String, Value>>,
        patterns: Option<&Map<String, Value>>,
        at: &At,
    ) {
        let known: Vec<&str> = properties
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let what = if at.path.is_empty() {
            "the profile".to_string()
        } else {
            format!("`{}`", at.path)
        };
        let mut d = Diagnostic::new(
            Code::UnknownField,
            key.span.clone(),
            format!("unknown key `{name}` in {what}"),
        );
        if known.is_empty() {
            // A map of names (servers, services): the key breaks the naming rule.
            if let Some(problem) = patterns.and_then(|p| {
                p.keys()
                    .filter_map(|pattern| formats::by_pattern(pattern))
                    .find_map(|f| (f.check)(name))
            }) {
                d = Diagnostic::new(Code::InvalidValue, key.span.clone(), problem);
            }
        } else {
            d = match suggest::help(name, known.iter().copied()) {
                Some(help) => d.help(help),
                None => d.help(format!("{what} takes: {}", known.join(", "))),
            };
        }
        self.push(d);
    }

    /// The node as JSON, numbers as numbers.
    fn plain(&self, node: &Node) -> Value {
        match &node.kind {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Int(n) => Value::from(*n),
            Kind::Float(x) => serde_json::Number::from_f64(*x).map_or(Value::Null, Value::Number),
            Kind::Str(s) => Value::String(s.clone()),
            Kind::Seq(items) => Value::Array(items.iter().map(|n| self.plain(n)).collect()),
            Kind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .filter_map(|(k, v)| k.as_str().map(|k| (k.to_string(), self.plain(v))))
                    .collect(),
            ),
        }
    }
}

/// The span to blame for a list item: its first key when it is a mapping.
fn item_span(node: &Node) -> Span {
    match node.entries().first() {
        Some((k, _)) => k.span.clone(),
        None => node.span.clone(),
    }
}
