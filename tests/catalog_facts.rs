//! The built-in catalog: every fact names where it comes from, and every profile is exercised.
//!
//! A fact without a source cannot be checked by a reader, so each one, from a platform's ports
//! to a product's companion order and install-once rule, must name its source. And a profile
//! that no example or fixture uses is a profile no test reads end to end: each platform and
//! each product appears in at least one cluster file of the project that is checked by the
//! tests.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use hagen::catalog::Catalog;

/// Every fact of the built-in catalog as `(where, source)`.
fn facts(catalog: &Catalog) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |place: String, source: &str| out.push((place, source.to_string()));
    for p in catalog.platforms.values() {
        let id = &p.id;
        add(format!("platform {id}"), &p.source);
        if p.os.is_some() {
            add(format!("platform {id} os"), &p.os_source);
        }
        for f in &p.ports {
            add(format!("platform {id} port {}", f.rule), &f.source);
        }
        for f in &p.features {
            add(format!("platform {id} feature {}", f.id), &f.source);
        }
    }
    for p in catalog.products.values() {
        let id = &p.id;
        add(format!("product {id}"), &p.source);
        for (key, spec) in &p.keys {
            add(format!("product {id} key {key}"), &spec.source);
            for c in &spec.choices {
                add(format!("product {id} key {key} choice {}", c.id), &c.source);
            }
        }
        for s in &p.services {
            add(format!("product {id} service {}", s.key), &s.source);
        }
        for s in &p.unsupported_services {
            add(format!("product {id} unsupported service {}", s.key), &s.source);
        }
        for s in &p.never_stop {
            add(format!("product {id} never-stop service {}", s.key), &s.source);
        }
        add(format!("product {id} monitor"), &p.monitor.source);
        for s in &p.standby {
            add(format!("product {id} standby {:?}", s.kind), &s.source);
        }
        for v in &p.versions {
            add(format!("product {id} versions {:?}", v.versions), &v.source);
        }
        for r in &p.requires {
            add(format!("product {id} requires {}", r.product), &r.source);
        }
        for (what, list) in [
            ("start_after", &p.start_after),
            ("start_before", &p.start_before),
            ("install_after", &p.install_after),
            ("install_before", &p.install_before),
        ] {
            for f in list {
                add(format!("product {id} {what} {}", f.role), &f.source);
            }
        }
        if let Some(once) = &p.install_once {
            add(format!("product {id} install_once"), &once.source);
        }
        for c in &p.companion_order {
            add(format!("product {id} companion_order {:?}", c.roles), &c.source);
        }
        for f in &p.features {
            add(format!("product {id} feature {}", f.id), &f.source);
        }
        for r in &p.registry {
            add(format!("product {id} registry {}", r.key), &r.source);
        }
        for port in &p.ports {
            add(format!("product {id} port {}", port.rule), &port.source);
        }
        for n in &p.notes {
            add(format!("product {id} note {}", n.topic), &n.source);
        }
    }
    out
}

#[test]
fn every_catalog_fact_names_its_source() {
    let catalog = Catalog::builtin();
    let all = facts(catalog);
    let failures: Vec<String> = all
        .iter()
        .filter(|(_, source)| source.trim().len() < 4)
        .map(|(place, source)| format!("{place}: source {source:?}"))
        .collect();
    common::assert_no_failures("facts without a source", failures);
    // Companion orders and install-once rules are facts like the others.
    assert!(all.iter().any(|(p, _)| p.contains("companion_order")));
    assert!(all.iter().any(|(p, _)| p.contains("install_once")));
    assert!(all.len() > 200, "only {} facts were found", all.len());
}

fn cluster_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            // User profiles are not cluster files.
            if !path.ends_with("profiles") {
                cluster_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// The value of every `KEY: VALUE` (block or flow style) in a text, for one key.
fn values_of<'t>(text: &'t str, key: &str) -> Vec<&'t str> {
    let needle = format!("{key}:");
    let mut out = Vec::new();
    for (i, _) in text.match_indices(&needle) {
        let before = text[..i].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let rest = text[i + needle.len()..].trim_start_matches([' ', '"', '\'']);
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
            .unwrap_or(rest.len());
        out.push(&rest[..end]);
    }
    out
}

#[test]
fn every_builtin_profile_is_used_by_an_example_or_a_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    cluster_files(&root.join("examples"), &mut paths);
    cluster_files(&root.join("tests/fixtures"), &mut paths);
    let texts: Vec<String> = paths.iter().map(|p| fs::read_to_string(p).unwrap()).collect();
    let used = |key: &str, id: &str| texts.iter().any(|t| values_of(t, key).contains(&id));
    let catalog = Catalog::builtin();
    let mut failures = Vec::new();
    for id in catalog.platforms.keys() {
        if !used("platform", id) {
            failures.push(format!("platform {id}"));
        }
    }
    for id in catalog.products.keys() {
        if !used("product", id) {
            failures.push(format!("product {id}"));
        }
    }
    common::assert_no_failures("built-in profiles that no example or fixture uses", failures);
}

/// The platforms no example uses have a fixture each (`tests/fixtures/platforms/`): each must
/// check clean and be planned.
#[test]
fn every_platform_fixture_checks_clean_and_plans() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/platforms");
    let mut paths = Vec::new();
    cluster_files(&dir, &mut paths);
    assert!(!paths.is_empty());
    let mut failures = Vec::new();
    for path in paths {
        let file = hagen::source::SourceFile::new(path.display().to_string(), fs::read_to_string(&path).unwrap());
        let (diagnostics, plan) = hagen::pipeline::check_and_plan(&file, Catalog::builtin(), true);
        if !diagnostics.is_empty() || plan.is_none() {
            failures.push(format!("{}: {diagnostics:?}", path.display()));
        }
    }
    common::assert_no_failures("platform fixtures that do not check clean", failures);
}
