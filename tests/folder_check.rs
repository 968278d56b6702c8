//! `hagen check DIR` checks the folder's files on every core; what it prints must be exactly
//! what checking the same files one by one prints, in the same order: every diagnostic, every
//! unreadable file's line, in every format.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Test;

/// The files of the folder: every code's failing and fixed fixture, the spec's examples, a
/// file that is not UTF-8 and an empty one; the name each is written under.
fn folder() -> (Test, Vec<String>) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut test = Test::new();
    let mut names = Vec::new();
    for dir in [root.join("tests/fixtures/codes"), root.join("examples")] {
        for entry in fs::read_dir(&dir).expect("fixture folder") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let name = format!("fleet/{}", path.file_name().unwrap().to_string_lossy());
                test = test.write(&name, fs::read(&path).expect("fixture"));
                names.push(name);
            }
        }
    }
    test = test
        .write("fleet/not-utf8.yaml", [0xff, 0xfe, 0x41])
        .write("fleet/empty.yaml", "");
    names.extend(["fleet/not-utf8.yaml".to_string(), "fleet/empty.yaml".to_string()]);
    names.sort();
    names.dedup();
    (test, names)
}

/// One file checked on its own: (exit code, stdout, stderr).
fn alone(dir: &Path, name: &str, format: &str) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hagen"))
        .current_dir(dir)
        .args(["check", name, "--format", format])
        .env_remove("NO_COLOR")
        .output()
        .expect("run hagen");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

/// The text without its last line (the summary line of human output).
fn without_summary(text: &str) -> &str {
    let body = text.strip_suffix('\n').unwrap_or(text);
    body.rfind('\n').map_or("", |i| &body[..=i])
}

#[test]
fn a_folder_prints_what_its_files_print_one_by_one() {
    let (test, names) = folder();
    assert!(names.len() > 50, "{} files", names.len());
    let whole = test.args(["check", "fleet"]).status(2).run();
    let dir = whole.tempdir.path();

    let (mut stdout, mut stderr, mut worst) = (String::new(), String::new(), 0);
    for name in &names {
        let (status, out, err) = alone(dir, name, "human");
        stdout.push_str(without_summary(&out));
        stderr.push_str(&err);
        worst = worst.max(status);
    }
    assert!(stdout.contains("error["), "the fixtures raise diagnostics");
    assert_eq!(without_summary(&whole.stdout), stdout);
    assert_eq!(whole.stderr, stderr);
    assert_eq!(worst, 2, "the unreadable file fails alone too");
}

#[test]
fn a_folder_reports_in_json_what_its_files_report_one_by_one() {
    let (test, names) = folder();
    let whole = test.args(["check", "fleet", "--format", "json"]).status(2).run();
    let dir = whole.tempdir.path();

    let mut diagnostics = Vec::new();
    let (mut errors, mut warnings, mut files) = (0, 0, 0);
    for name in &names {
        let (_, out, _) = alone(dir, name, "json");
        if out.is_empty() {
            continue; // unreadable: its line is on stderr, compared by the human test
        }
        let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        diagnostics.extend(json["diagnostics"].as_array().expect("diagnostics").iter().cloned());
        errors += json["summary"]["errors"].as_u64().unwrap();
        warnings += json["summary"]["warnings"].as_u64().unwrap();
        files += json["summary"]["files"].as_u64().unwrap();
    }
    let json = whole.json();
    assert_eq!(json["diagnostics"].as_array().expect("diagnostics"), &diagnostics);
    assert_eq!(
        (
            json["summary"]["errors"].as_u64().unwrap(),
            json["summary"]["warnings"].as_u64().unwrap(),
            json["summary"]["files"].as_u64().unwrap()
        ),
        (errors, warnings, files)
    );
    assert!(errors > 20 && warnings > 0, "{errors} errors, {warnings} warnings");
}
