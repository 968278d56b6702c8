//! Inventories read from the servers' own exports (`inventory: { sv1: PATH }`): every format
//! and encoding of `tests/fixtures/inventory/exports/` gives the same `service-not-manual`
//! diagnostics as the same start types written in YAML, and what cannot be read is an
//! `invalid-value` at the path.

mod common;

use std::fs;
use std::path::Path;

use common::Test;

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/inventory")
        .join(name);
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A folder with the cluster file and every export beside it.
fn with_exports(cluster: &str, text: &str) -> Test {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inventory/exports");
    let mut test = Test::new().write(cluster, text);
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        test = test.write(&format!("exports/{name}"), fs::read(&path).unwrap());
    }
    test
}

/// (code, severity, message) of each diagnostic: what must not depend on where the start
/// types were written.
fn findings(out: &common::Output) -> Vec<(String, String, String)> {
    out.diagnostics()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn check(test: Test, file: &str, status: i32) -> common::Output {
    test.args(["check", file, "--format", "json"]).status(status).run()
}

#[test]
fn every_export_finds_what_the_same_yaml_finds() {
    let exports = String::from_utf8(fixture("exports.yaml")).unwrap();
    let equivalent = String::from_utf8(fixture("equivalent.yaml")).unwrap();
    let from_exports = findings(&check(with_exports("exports.yaml", &exports), "exports.yaml", 1));
    let from_yaml = findings(&check(
        Test::new().write("equivalent.yaml", &equivalent),
        "equivalent.yaml",
        1,
    ));
    assert_eq!(from_exports, from_yaml);
    let messages: Vec<&str> = from_yaml.iter().map(|f| f.2.as_str()).collect();
    assert_eq!(
        messages,
        [
            "on `sv1`, `W3SVC` starts auto, but group `web` controls it: it would also run on the standby server",
            "on `sv2`, `MSFTPSVC` starts disabled, but group `web` controls it: a disabled service cannot be started by the cluster",
            "on `sv3`, `MSFTPSVC` starts auto, but group `web` controls it: it would also run on the standby server",
        ]
    );
}

#[test]
fn each_format_alone_matches_its_yaml() {
    let cluster = String::from_utf8(fixture("equivalent.yaml")).unwrap();
    let head = &cluster[..cluster.find("inventory:").unwrap()];
    // (export, the same start types of the services IIS controls, in YAML)
    let cases = [
        ("sv1-sc-cp932.txt", "{ W3SVC: auto, MSFTPSVC: manual }"),
        ("sv2-wmic-utf16.csv", "{ W3SVC: manual, MSFTPSVC: disabled }"),
        ("sv3-powershell51-utf16.json", "{ W3SVC: manual, MSFTPSVC: auto }"),
        ("sv4-powershell7-utf8.json", "{ W3SVC: manual, MSFTPSVC: manual }"),
        ("sv4-cim-utf16.json", "{ W3SVC: auto, MSFTPSVC: manual }"),
    ];
    for (export, yaml) in cases {
        let by_path = format!("{head}inventory:\n  sv2: exports/{export}\n");
        let by_hand = format!("{head}inventory:\n  sv2: {yaml}\n");
        let clean = !yaml.contains("auto") && !yaml.contains("disabled");
        let status = if clean { 0 } else { 1 };
        let a = findings(&check(with_exports("c.yaml", &by_path), "c.yaml", status));
        let b = findings(&check(Test::new().write("c.yaml", &by_hand), "c.yaml", status));
        assert_eq!(a, b, "{export}");
    }
}

#[test]
fn a_finding_from_an_export_points_at_its_path() {
    let exports = String::from_utf8(fixture("exports.yaml")).unwrap();
    let out = check(with_exports("exports.yaml", &exports), "exports.yaml", 1);
    let first = &out.diagnostics()[0];
    assert_eq!(first["snippet"], "exports/sv1-sc-cp932.txt", "{first}");
}

#[test]
fn exports_are_read_relative_to_the_cluster_file() {
    let exports = String::from_utf8(fixture("exports.yaml")).unwrap();
    let test = Test::new().write("deep/er/exports.yaml", &exports);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inventory/exports");
    let mut test = test;
    for name in [
        "sv1-sc-cp932.txt",
        "sv2-wmic-utf16.csv",
        "sv3-powershell51-utf16.json",
        "sv4-powershell7-utf8.json",
    ] {
        test = test.write(&format!("deep/er/exports/{name}"), fs::read(dir.join(name)).unwrap());
    }
    let out = check(test, "deep/er/exports.yaml", 1);
    assert_eq!(findings(&out).len(), 3);
}

/// What cannot be read is an `invalid-value` at the path, saying why, and nothing else stops.
#[test]
fn unreadable_exports_are_diagnostics_at_the_path() {
    let cluster = String::from_utf8(fixture("equivalent.yaml")).unwrap();
    let head = &cluster[..cluster.find("inventory:").unwrap()];
    let cases = [
        ("exports/get-service-table.txt", "not an export hagen knows"),
        ("exports/sc-query-only.txt", "no start types"),
        ("exports/missing.csv", "no such file or folder"),
        ("exports", "a folder, not a file"),
    ];
    for (path, reason) in cases {
        let text = format!("{head}inventory:\n  sv1: {path}\n");
        let out = check(with_exports("c.yaml", &text), "c.yaml", 1);
        let d = &out.diagnostics()[0];
        assert_eq!(d["code"], "invalid-value", "{path}: {d}");
        assert_eq!(d["snippet"], path, "{path}: {d}");
        assert!(d["message"].as_str().unwrap().contains(reason), "{path}: {d}");
    }
    let unknown = format!("{head}inventory:\n  sv1: exports/get-service-table.txt\n");
    let out = check(with_exports("c.yaml", &unknown), "c.yaml", 1);
    let message = out.diagnostics()[0]["message"].as_str().unwrap().to_string();
    for accepted in [
        "sc qc",
        "wmic service get Name,StartMode /format:csv",
        "ConvertTo-Json",
        "hagen inventory collect",
    ] {
        assert!(message.contains(accepted), "{message}");
    }
}

#[test]
fn a_path_cannot_leave_the_cluster_file_folder() {
    let cluster = String::from_utf8(fixture("equivalent.yaml")).unwrap();
    let head = &cluster[..cluster.find("inventory:").unwrap()];
    for path in [
        "../sv1.csv",
        "/etc/passwd",
        "'C:\\exports\\sv1.csv'",
        "exports/../sv1.csv",
    ] {
        let text = format!("{head}inventory:\n  sv1: {path}\n");
        let out = Test::new()
            .write("c.yaml", &text)
            .write("sv1.csv", "Node,Name,StartMode\nSV1,W3SVC,Auto\n")
            .args(["check", "c.yaml", "--format", "json"])
            .status(1)
            .run();
        let d = &out.diagnostics()[0];
        assert_eq!(d["code"], "invalid-value", "{path}: {d}");
        assert!(
            d["message"].as_str().unwrap().contains("no `..`, no absolute path"),
            "{path}: {d}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_pipe_is_refused_without_waiting() {
    let cluster = String::from_utf8(fixture("equivalent.yaml")).unwrap();
    let head = &cluster[..cluster.find("inventory:").unwrap()];
    let test = Test::new().write("c.yaml", format!("{head}inventory:\n  sv1: sv1.csv\n"));
    let made = std::process::Command::new("mkfifo")
        .arg(test.path().join("sv1.csv"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let out = check(test, "c.yaml", 1);
    assert!(
        out.diagnostics()[0]["message"]
            .as_str()
            .unwrap()
            .contains("not a regular file")
    );
}

#[test]
fn collect_prints_the_commands_for_each_server() {
    let exports = String::from_utf8(fixture("exports.yaml")).unwrap();
    let out = Test::new()
        .write("c.yaml", &exports)
        .args(["inventory", "collect", "c.yaml"])
        .stdout_contains("wmic service get Name,StartMode /format:csv > sv4.csv\n")
        .stdout_contains("Get-Service | Select-Object Name,StartType | ConvertTo-Json | Out-File sv1.json\n")
        .stdout_contains("inventory:\n  sv1: inventory/sv1.csv\n")
        .run();
    assert!(out.stdout.contains("sc qc \"%b\" 8192) > sv2.txt"));
    Test::new()
        .args(["inventory", "collect"])
        .stdout_contains("wmic service get Name,StartMode /format:csv > SERVER.csv\n")
        .run();
    Test::new()
        .args(["inventory", "collect", "missing.yaml"])
        .status(2)
        .stderr_contains("missing.yaml: no such file or folder")
        .run();
}
