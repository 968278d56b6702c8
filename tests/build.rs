//! `hagen build`: the packages of the bundled examples byte for byte, the guarantees of
//! SPEC section 5 checked on every generated script, and all-or-nothing writing.
//!
//! Expected packages live in `tests/expected/<example>/`. After an intended change, rebuild
//! them with `HAGEN_BLESS=1 cargo test --test build` and review the diff.

mod common;
#[path = "support/scripts.rs"]
mod scripts;
#[path = "support/tree.rs"]
mod tree;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::Test;
use tree::tree;

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files: Vec<PathBuf> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

fn build(name: &str, text: &str) -> (BTreeMap<String, Vec<u8>>, common::Output) {
    let out = Test::new()
        .write(name, text)
        .args(["build", name, "--out", "dist"])
        .run();
    (tree(&out.tempdir.path().join("dist")), out)
}

#[test]
fn every_example_builds_its_expected_package_byte_for_byte() {
    let bless = std::env::var_os("HAGEN_BLESS").is_some();
    let mut failures = Vec::new();
    for path in examples() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (package, _) = build(&name, &fs::read_to_string(&path).unwrap());
        let expected_dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/expected")
            .join(path.file_stem().unwrap());
        if bless {
            let _ = fs::remove_dir_all(&expected_dir);
            for (rel, bytes) in &package {
                let target = expected_dir.join(rel);
                fs::create_dir_all(target.parent().unwrap()).unwrap();
                fs::write(target, bytes).unwrap();
            }
            continue;
        }
        let expected = tree(&expected_dir);
        if expected.keys().ne(package.keys()) {
            failures.push(format!(
                "{name}: files {:?}, expected {:?}",
                package.keys().collect::<Vec<_>>(),
                expected.keys().collect::<Vec<_>>()
            ));
        }
        for (rel, bytes) in &package {
            if expected.get(rel).is_some_and(|e| e != bytes) {
                failures.push(format!("{name}: {rel} differs from tests/expected"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n(rebuild with HAGEN_BLESS=1 after an intended change)",
        failures.join("\n")
    );
}

#[test]
fn the_package_is_the_same_from_any_directory() {
    let text = common::example("iis-two-way.yaml");
    let (here, _) = build("iis-two-way.yaml", &text);
    let out = Test::new()
        .write("deep/er/iis-two-way.yaml", &text)
        .args(["build", "deep/er/iis-two-way.yaml", "--out", "x/dist"])
        .run();
    assert_eq!(here, tree(&out.tempdir.path().join("x/dist")));
}

#[test]
fn the_package_has_the_layout_of_spec_section_5() {
    let (x, _) = build("iis-two-way.yaml", &common::example("iis-two-way.yaml"));
    let files: Vec<&str> = x.keys().map(String::as_str).collect();
    assert_eq!(
        files,
        [
            "clp.conf",
            "graph.dot",
            "runbook.md",
            "scripts/site-a/script1/start.bat",
            "scripts/site-a/script1/stop.bat",
            "scripts/site-b/script2/start.bat",
            "scripts/site-b/script2/stop.bat",
        ]
    );
    let (arm, _) = build("dbmail-legacy.yaml", &common::example("dbmail-legacy.yaml"));
    assert!(arm.contains_key("scripts/dbmail/start.bat") && !arm.contains_key("clp.conf"));
    let (filtered, _) = build("surfnavi.yaml", &common::example("surfnavi.yaml"));
    assert!(filtered.contains_key("firewall/gw1.txt") && filtered.contains_key("firewall/gw2.txt"));
}

/// SPEC section 5's script guarantees, read off the text of every generated script.
#[test]
fn every_generated_script_keeps_the_script_invariants() {
    for path in examples() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (package, _) = build(&name, &fs::read_to_string(&path).unwrap());
        scripts::check_invariants(&name, &package);
    }
}

#[test]
fn a_file_with_errors_writes_nothing() {
    let bad = common::example("iis-one-way.yaml").replace("version: \"6.0\"", "version: \"9.9\"");
    let out = Test::new()
        .write("dist/runbook.md", "# Runbook of cluster old\n")
        .write("bad.yaml", bad)
        .args(["build", "bad.yaml", "--out", "dist"])
        .status(1)
        .stdout_contains("version-unsupported")
        .run();
    assert_eq!(tree(&out.tempdir.path().join("dist")).len(), 1);
    assert!(!out.tempdir.path().join("dist/clp.conf").exists());
}

#[test]
fn check_names_every_stale_file_and_writes_nothing() {
    let text = common::example("iis-one-way.yaml");
    let out = Test::new()
        .write("c.yaml", &text)
        .args(["build", "c.yaml", "--out", "dist"])
        .run();
    let dir = out.tempdir.path().to_path_buf();
    fs::write(dir.join("dist/runbook.md"), "# Runbook of cluster edited\n").unwrap();
    // a file of hagen's layout that this package does not produce, and one of the user's
    fs::create_dir_all(dir.join("dist/scripts/old")).unwrap();
    fs::write(dir.join("dist/scripts/old/start.bat"), "x").unwrap();
    fs::write(dir.join("dist/extra.txt"), "x").unwrap();
    let before = tree(&dir.join("dist"));
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_hagen"))
            .current_dir(&dir)
            .args(args)
            .output()
            .unwrap()
    };
    let check = run(&["build", "c.yaml", "--out", "dist", "--check"]);
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(stdout.contains("dist/runbook.md: differs"), "{stdout}");
    assert!(
        stdout.contains("dist/scripts/old/start.bat: no longer produced"),
        "{stdout}"
    );
    assert!(!stdout.contains("extra.txt"), "{stdout}");
    assert_eq!(tree(&dir.join("dist")), before, "--check wrote something");
    // A fresh build makes the package current again, and keeps the user's file.
    assert_eq!(run(&["build", "c.yaml", "--out", "dist"]).status.code(), Some(0));
    assert!(!dir.join("dist/scripts/old").exists());
    assert_eq!(fs::read_to_string(dir.join("dist/extra.txt")).unwrap(), "x");
    assert_eq!(
        run(&["build", "c.yaml", "--out", "dist", "--check"]).status.code(),
        Some(0)
    );
}

/// The spec's own examples build as well as check: each gives a package, and the bundled
/// copies in `examples/` are the same files, so their expected packages cover them.
#[test]
fn every_spec_example_builds_and_the_bundled_copies_match_it() {
    let dir = common::spec_dir().join("examples");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in names {
        let text = fs::read_to_string(dir.join(&name)).unwrap();
        let (package, out) = build(&name, &text);
        assert_eq!(out.status, 0, "{name}: {}", out.stdout);
        assert!(package.contains_key("runbook.md"), "{name}");
        let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(&name);
        assert_eq!(
            fs::read_to_string(bundled).unwrap(),
            text,
            "examples/{name} differs from the spec's"
        );
    }
}

/// Every citation in a deliverable names a document its reader can open (a guide by its
/// title, a public NEC repository file, an RFC), never a file of hagen's own sources.
#[test]
fn no_deliverable_cites_an_internal_file() {
    let mut failures = Vec::new();
    for path in examples() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (package, _) = build(&name, &fs::read_to_string(&path).unwrap());
        for (rel, bytes) in &package {
            let text = String::from_utf8_lossy(bytes);
            for internal in ["seed 0", "FACTS.md", "SPEC section", "SPEC §"] {
                if let Some(at) = text.find(internal) {
                    let line = text[..at].lines().count();
                    failures.push(format!("{name}: {rel}:{line} cites `{internal}`"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
