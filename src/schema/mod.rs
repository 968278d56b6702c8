//! The JSON Schemas of the cluster file and of profiles (`schemas/`, `hagen schema`).
//!
//! Both are generated from types with schemars: the cluster file from the schema-only types of
//! [`crate::model::schema`], a profile from the catalog's own types. The catalog then adds
//! what only it knows: which keys each product takes and requires, their choices, the service
//! keys, and the platform and product ids editors offer. Every text format is a pattern paired
//! with hagen's own check ([`formats`]); profiles are read by applying the profile schema to
//! the file with [`walk`], so an editor and hagen agree on them by construction.
//!
//! A cluster file can name the schema on its first line for editors that use
//! yaml-language-server (VS Code's YAML extension, Neovim, Helix, ...):
//!
//! ```yaml
//! # yaml-language-server: $schema=../schemas/cluster.schema.json
//! ```

pub mod formats;
pub mod walk;

use std::sync::OnceLock;

use schemars::SchemaGenerator;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

use crate::catalog::{Catalog, KeyKind, Platform, Product};
use crate::model::PRODUCT_KEYS;

/// The schema of a cluster file for the built-in catalog, as pretty JSON with a final newline.
pub fn cluster_schema() -> String {
    cluster_schema_for(Catalog::builtin())
}

/// The schema of a cluster file for a catalog (the built-in one with `--profiles DIR`).
pub fn cluster_schema_for(catalog: &Catalog) -> String {
    pretty(&cluster_schema_value(catalog))
}

/// The schema of a profile, as pretty JSON with a final newline.
pub fn profile_schema() -> String {
    pretty(&profile_schema_value(Catalog::builtin()))
}

/// Pretty JSON (two-space indents, as serde_json writes it) with a final newline, the keys of
/// each object in the order a reader wants them: `$schema`, `title` and `description` first,
/// the validation keywords next, other keys in alphabetical order, `$defs` last. Descriptions
/// are unwrapped (doc comments break lines where the source did).
fn pretty(value: &Value) -> String {
    let mut out = String::new();
    write(value, 0, &mut out);
    out.push('\n');
    out
}

/// The place of a key in an object: first by this list, then alphabetically.
const KEY_ORDER: &[&str] = &[
    "$schema",
    "$id",
    "title",
    "description",
    "$ref",
    "type",
    "const",
    "enum",
    "pattern",
    "maxLength",
    "minimum",
    "maximum",
    "format",
    "default",
    "examples",
    "items",
    "minItems",
    "properties",
    "patternProperties",
    "additionalProperties",
    "required",
    "if",
    "then",
    "else",
    "allOf",
    "anyOf",
    "oneOf",
];

fn key_rank(key: &str) -> (usize, &str) {
    if key == "$defs" {
        return (usize::MAX, key);
    }
    (KEY_ORDER.iter().position(|k| *k == key).unwrap_or(KEY_ORDER.len()), key)
}

fn write(value: &Value, depth: usize, out: &mut String) {
    let indent = |n: usize| "  ".repeat(n);
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&indent(depth + 1));
                write(item, depth + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&indent(depth));
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| key_rank(k));
            out.push_str("{\n");
            for (i, key) in keys.iter().enumerate() {
                out.push_str(&indent(depth + 1));
                out.push_str(&Value::String(key.to_string()).to_string());
                out.push_str(": ");
                match (key.as_str(), &map[*key]) {
                    ("description", Value::String(text)) => {
                        out.push_str(&Value::String(unwrap(text)).to_string());
                    }
                    (_, v) => write(v, depth + 1, out),
                }
                out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
            }
            out.push_str(&indent(depth));
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A doc comment's text with its line breaks joined, paragraphs kept.
fn unwrap(text: &str) -> String {
    text.split("\n\n")
        .map(|paragraph| paragraph.split('\n').map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn generator() -> SchemaGenerator {
    SchemaSettings::draft2020_12().into_generator()
}

/// The cluster file's schema: the types of [`crate::model::schema`], then the catalog's rules
/// for each product.
pub fn cluster_schema_value(catalog: &Catalog) -> Value {
    let mut root = generator()
        .into_root_schema_for::<crate::model::schema::ClusterFile>()
        .to_value();
    let defs = root["$defs"].as_object_mut().expect("the schema has definitions");

    let platforms: Vec<&str> = catalog.platform_ids();
    if let Some(Value::Object(platform)) = defs.get_mut("PlatformRef") {
        platform.insert("examples".into(), json!(platforms));
    }
    let mut products: Vec<&str> = catalog.products.keys().map(String::as_str).collect();
    products.push("custom");
    if let Some(Value::Object(product)) = defs.get_mut("ProductRef") {
        product.insert("examples".into(), json!(products));
    }

    let mut rules = vec![custom_rule()];
    rules.extend(catalog.products.values().map(product_rule));
    let app = defs
        .get_mut("App")
        .and_then(Value::as_object_mut)
        .expect("the schema defines App");
    app.insert("allOf".into(), Value::Array(rules));
    root
}

/// A `custom` app lists its services by name and watch id, and takes no product key.
fn custom_rule() -> Value {
    let mut properties = Map::new();
    properties.insert(
        "services".into(),
        json!({ "items": { "$ref": "#/$defs/CustomService" } }),
    );
    for key in PRODUCT_KEYS.iter().filter(|k| **k != "services") {
        properties.insert(key.to_string(), Value::Bool(false));
    }
    json!({
        "if": { "properties": { "product": { "const": "custom" } }, "required": ["product"] },
        "then": {
            "description": "A `custom` app: `services` lists each Windows service as `{ name, watch_id }`; `ports` lists the ports it serves.",
            "required": ["services"],
            "properties": properties,
        },
    })
}

/// The keys a catalog product takes, the ones it requires, and their values.
fn product_rule(product: &Product) -> Value {
    let mut properties = Map::new();
    let mut required: Vec<&str> = Vec::new();
    for key in PRODUCT_KEYS {
        let Some(spec) = product.keys.get(*key) else {
            properties.insert(key.to_string(), Value::Bool(false));
            continue;
        };
        if spec.required {
            required.push(key);
        }
        let mut schema = Map::new();
        schema.insert(
            "description".into(),
            format!("{} ({}): {}.", product.name, product.id, spec.description).into(),
        );
        let choices: Vec<&str> = spec.choices.iter().map(|c| c.id.as_str()).collect();
        match spec.kind {
            KeyKind::Choice => {
                schema.insert("enum".into(), json!(choices));
            }
            KeyKind::List => {
                schema.insert("items".into(), json!({ "enum": choices }));
            }
            KeyKind::Services => {
                let keys: Vec<&str> = product
                    .services
                    .iter()
                    .map(|s| s.key.as_str())
                    .chain(product.unsupported_services.iter().map(|s| s.key.as_str()))
                    .chain(product.never_stop.iter().map(|s| s.key.as_str()))
                    .collect();
                schema.insert("items".into(), json!({ "type": "string", "enum": keys }));
            }
            KeyKind::Path | KeyKind::Account | KeyKind::Ip => {}
        }
        properties.insert(key.to_string(), Value::Object(schema));
    }
    if product.version_required {
        required.push("version");
    }
    json!({
        "if": { "properties": { "product": { "const": product.id } }, "required": ["product"] },
        "then": {
            "description": format!("{}: the keys the catalog's `{}` takes.", product.name, product.id),
            "required": required,
            "properties": properties,
        },
    })
}

/// The profile schema's definitions, without the catalog: the types of the catalog, the
/// text formats, and an override of a built-in platform or product (every key but `id`
/// optional). This is what the profile loader applies.
pub(crate) fn profile_definitions() -> &'static Value {
    static DEFINITIONS: OnceLock<Value> = OnceLock::new();
    DEFINITIONS.get_or_init(|| {
        let mut generator = generator();
        let _ = generator.subschema_for::<Platform>();
        let _ = generator.subschema_for::<Product>();
        let mut defs = generator.take_definitions(false);
        for (name, what) in [("Platform", "platform"), ("Product", "product")] {
            let mut partial = defs[name].clone();
            let object = partial.as_object_mut().expect("a definition is an object");
            object.insert("required".into(), json!(["id"]));
            object.insert(
                "description".into(),
                format!(
                    "A profile whose `id` is a built-in {what}'s overrides it: each top-level key it has replaces the built-in's, every other key keeps the built-in's facts."
                )
                .into(),
            );
            defs.insert(format!("{name}Override"), partial);
        }
        let mut document = json!({ "$defs": defs });
        drop_number_formats(&mut document);
        document
    })
}

/// Removes schemars' `format` of integers (`uint`, `int64`, ...): no JSON Schema vocabulary
/// defines them, editors warn about them, and `minimum` already says what they mean.
fn drop_number_formats(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let numeric = map
                .get("format")
                .and_then(Value::as_str)
                .is_some_and(|f| f.starts_with("int") || f.starts_with("uint") || f == "float" || f == "double");
            if numeric {
                map.remove("format");
            }
            map.values_mut().for_each(drop_number_formats);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_number_formats),
        _ => {}
    }
}

/// The profile schema: a platform or a product; an id of `catalog` (the built-in one) makes
/// the profile an override, and a new profile with `generation` is a platform.
pub fn profile_schema_value(catalog: &Catalog) -> Value {
    let mut root = Map::new();
    root.insert("$schema".into(), "https://json-schema.org/draft/2020-12/schema".into());
    root.insert("title".into(), "hagen profile".into());
    root.insert(
        "description".into(),
        "A platform or product profile of hagen's catalog (`hagen check --profiles DIR`). A profile whose `id` is built in overrides that platform or product key by key; any other profile adds one: a platform when it has `generation`, a product otherwise. Every fact names its `source`."
            .into(),
    );
    let platforms: Vec<&str> = catalog.platform_ids();
    let products: Vec<&str> = catalog.products.keys().map(String::as_str).collect();
    root.insert(
        "if".into(),
        json!({ "properties": { "id": { "enum": platforms } }, "required": ["id"] }),
    );
    root.insert("then".into(), json!({ "$ref": "#/$defs/PlatformOverride" }));
    root.insert(
        "else".into(),
        json!({
            "if": { "properties": { "id": { "enum": products } }, "required": ["id"] },
            "then": { "$ref": "#/$defs/ProductOverride" },
            "else": {
                "if": { "required": ["generation"] },
                "then": { "$ref": "#/$defs/Platform" },
                "else": { "$ref": "#/$defs/Product" },
            },
        }),
    );
    root.insert("$defs".into(), profile_definitions()["$defs"].clone());
    Value::Object(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `pattern` of a schema, wherever it stands.
    fn patterns(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v) {
                        ("pattern", Value::String(p)) => out.push(p.clone()),
                        ("patternProperties", Value::Object(p)) => {
                            out.extend(p.keys().cloned());
                            p.values().for_each(|v| patterns(v, out));
                        }
                        _ => patterns(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| patterns(v, out)),
            _ => {}
        }
    }

    #[test]
    fn every_pattern_of_both_schemas_is_a_format_with_a_check() {
        for schema in [
            cluster_schema_value(Catalog::builtin()),
            profile_schema_value(Catalog::builtin()),
        ] {
            let mut found = Vec::new();
            patterns(&schema, &mut found);
            assert!(!found.is_empty());
            for p in found {
                assert!(formats::by_pattern(&p).is_some(), "`{p}` has no format");
            }
        }
    }

    #[test]
    fn products_take_their_own_keys() {
        let schema = cluster_schema_value(Catalog::builtin());
        let rules = schema["$defs"]["App"]["allOf"].as_array().unwrap();
        let iis = rules
            .iter()
            .find(|r| r["if"]["properties"]["product"]["const"] == "iis")
            .unwrap();
        assert_eq!(iis["then"]["properties"]["install_dir"], Value::Bool(false));
        assert_eq!(iis["then"]["required"], json!(["content_dir", "version"]));
        let services = iis["then"]["properties"]["services"]["items"]["enum"]
            .as_array()
            .unwrap();
        assert!(services.contains(&json!("www")) && services.contains(&json!("smtp")));
    }
}
