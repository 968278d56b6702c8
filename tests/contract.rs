//! The spec's own fixtures (SPEC, introduction): every file in `examples/` checks clean, and
//! every file in `invalid/` whose first line is `# expect: CODE` fails with that code.
//!
//! Each test runs every fixture and reports all that fail at once, so one broken rule does not
//! hide the state of the others.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_no_failures, spec_dir};
use serde_json::Value;

fn fixtures(folder: &str) -> Vec<PathBuf> {
    yaml_files(&spec_dir().join(folder))
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
}

/// Runs `hagen check --format json FILE`: the exit code and the error diagnostics' codes.
fn check(path: &Path) -> Result<(i32, Vec<String>, String), String> {
    let output = Command::new(env!("CARGO_BIN_EXE_hagen"))
        .args(["check", "--format", "json"])
        .arg(path)
        .output()
        .map_err(|e| e.to_string())?;
    let status = output.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let json: Value = serde_json::from_str(&stdout)
        .map_err(|e| format!("exit {status}, stdout is not JSON ({e}); stderr: {stderr}"))?;
    let errors = json["diagnostics"]
        .as_array()
        .ok_or("no diagnostics array")?
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["code"].as_str().unwrap_or("?").to_string())
        .collect();
    Ok((status, errors, stdout))
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn every_example_checks_clean() {
    assert_clean(fixtures("examples"));
}

/// The copies in `examples/` that the README runs.
#[test]
fn every_bundled_example_checks_clean() {
    assert_clean(yaml_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")));
}

fn assert_clean(paths: Vec<PathBuf>) {
    let mut failures = Vec::new();
    for path in paths {
        match check(&path) {
            Ok((0, errors, _)) if errors.is_empty() => {}
            Ok((status, _, stdout)) => failures.push(format!("{}: exit {status}\n{stdout}", name(&path))),
            Err(e) => failures.push(format!("{}: {e}", name(&path))),
        }
    }
    assert_no_failures("example(s) fail", failures);
}

#[test]
fn every_invalid_file_raises_its_code() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in fixtures("invalid") {
        let text = fs::read_to_string(&path).unwrap_or_default();
        let Some(common::Expect { code: expected, .. }) = common::expectation(&text) else {
            continue;
        };
        let expected = expected.as_str();
        checked += 1;
        match check(&path) {
            Ok((1, errors, _)) if errors.iter().any(|c| c == expected) => {}
            Ok((status, errors, _)) => failures.push(format!(
                "{}: expected exit 1 with {expected}, got exit {status} with errors {errors:?}",
                name(&path)
            )),
            Err(e) => failures.push(format!("{}: {e}", name(&path))),
        }
    }
    assert!(checked > 0, "no invalid fixture names its code");
    assert_no_failures("invalid file(s) fail", failures);
}
