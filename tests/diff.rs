//! `hagen diff`: each fixture pair of `tests/fixtures/diff/` (one change each) diffed by the
//! real binary, its human and JSON output as snapshots and its `--exit-code`; drift of a built
//! example's clp.conf edited by hand; every example against its own package and clp.conf.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs hagen in `dir`; returns (exit code, stdout, stderr).
fn hagen(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hagen"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run hagen");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixture(name: &str) -> PathBuf {
    crate_dir().join("tests/fixtures/diff").join(name)
}

fn kinds(json: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(json).expect("json");
    v["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            format!(
                "{}:{}",
                c["group"].as_str().unwrap_or("-"),
                c["kind"].as_str().unwrap_or("")
            )
        })
        .collect()
}

const PAIRS: [(&str, &[&str]); 8] = [
    ("after-added", &["app:start-order", "app:edge-added"]),
    ("service-added", &["app:service-added", "app:manual-start-added"]),
    ("port-changed", &["-:port-open", "-:port-close"]),
    ("failover-moved", &["db:failover-policy"]),
    ("disk-letter", &["db:disk"]),
    (
        "mirror-added",
        &["db:disk", "db:mirror", "db:script-changed", "db:script-changed"],
    ),
    ("mirror-connects", &["files:mirror"]),
    ("no-change", &[]),
];

#[test]
fn each_pair_shows_its_one_change_in_human_and_json() {
    for (name, expected) in PAIRS {
        let dir = fixture(name);
        let (code, human, err) = hagen(&dir, &["diff", "old.yaml", "new.yaml"]);
        assert_eq!((code, err.as_str()), (0, ""), "{name}");
        insta::assert_snapshot!(format!("{name}.human"), human);
        let (code, json, _) = hagen(&dir, &["diff", "old.yaml", "new.yaml", "--format", "json"]);
        assert_eq!(code, 0, "{name}");
        assert_eq!(kinds(&json), expected.to_vec(), "{name}");
        insta::assert_snapshot!(format!("{name}.json"), json);
        let (code, _, _) = hagen(&dir, &["diff", "old.yaml", "new.yaml", "--exit-code"]);
        assert_eq!(code, i32::from(!expected.is_empty()), "{name} --exit-code");
    }
}

#[test]
fn no_change_prints_only_the_summary() {
    let (code, out, _) = hagen(&fixture("no-change"), &["diff", "old.yaml", "new.yaml", "--exit-code"]);
    assert_eq!(code, 0);
    assert_eq!(out, "no change between old.yaml and new.yaml\n");
    let (_, md, _) = hagen(
        &fixture("no-change"),
        &["diff", "old.yaml", "new.yaml", "--format", "markdown"],
    );
    assert_eq!(md, "### hagen diff\n\nno change between old.yaml and new.yaml\n");
}

#[test]
fn markdown_and_github_forms() {
    let dir = fixture("after-added");
    let (_, md, _) = hagen(&dir, &["diff", "old.yaml", "new.yaml", "--format", "markdown"]);
    assert!(md.starts_with("### hagen diff\n\n2 changes in 1 group"), "{md}");
    assert!(md.contains("| app | api now starts after worker"), "{md}");
    assert!(md.contains("#### Rollout") && md.contains("#### Rollback"), "{md}");
    let (_, gh, _) = hagen(&dir, &["diff", "old.yaml", "new.yaml", "--format", "github"]);
    let lines: Vec<&str> = gh.lines().collect();
    assert_eq!(lines.len(), 3, "{gh}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::notice file=new.yaml,line=55,col=17,title=hagen diff edge-added::")),
        "{gh}"
    );
}

#[test]
fn errors_and_unreadable_sides_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("bad.yaml"), "cluster: [").expect("write");
    let old = fixture("no-change").join("old.yaml");
    let old = old.to_str().expect("path");
    let (code, out, err) = hagen(dir.path(), &["diff", old, "bad.yaml", "--exit-code"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    let (code, _, err) = hagen(dir.path(), &["diff", old, "missing.yaml"]);
    assert_eq!(code, 2, "{err}");
    fs::write(dir.path().join("x.conf"), "<root><nothing/></root>").expect("write");
    let (code, _, err) = hagen(dir.path(), &["diff", old, "x.conf"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a clp.conf"), "{err}");
}

#[test]
fn every_example_matches_its_own_package_and_clp_conf() {
    for entry in fs::read_dir(crate_dir().join("examples")).expect("examples") {
        let path = entry.expect("entry").path();
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("stem").to_string();
        let expected = crate_dir().join("tests/expected").join(&stem);
        let yaml = path.to_str().expect("path");
        let (code, out, err) = hagen(
            crate_dir(),
            &["diff", yaml, expected.to_str().expect("path"), "--exit-code"],
        );
        assert_eq!(code, 0, "{stem} against its package:\n{out}{err}");
        let conf = expected.join("clp.conf");
        if conf.is_file() {
            let (code, out, err) = hagen(
                crate_dir(),
                &["diff", yaml, conf.to_str().expect("path"), "--exit-code"],
            );
            assert_eq!(code, 0, "{stem} against its clp.conf:\n{out}{err}");
        }
    }
}

/// Builds in-house-services, edits its clp.conf as someone would in the WebManager (a floating
/// IP, a resource removed, a monitor's target), and diffs the cluster file against it.
#[test]
fn drift_reports_exactly_the_edits_of_the_live_clp_conf() {
    let dir = tempfile::tempdir().expect("tempdir");
    let example = crate_dir().join("examples/in-house-services.yaml");
    let (code, _, err) = hagen(dir.path(), &["build", example.to_str().expect("path"), "--out", "pkg"]);
    assert_eq!(code, 0, "{err}");
    let conf = fs::read_to_string(dir.path().join("pkg/clp.conf")).expect("clp.conf");
    let vcom_start = conf.find("    <vcom name=\"vcom1\">").expect("vcom");
    let vcom_end = conf[vcom_start..].find("</vcom>\n").expect("end") + vcom_start + "</vcom>\n".len();
    let live = format!("{}{}", &conf[..vcom_start], &conf[vcom_end..])
        .replace("<ip>192.168.60.100</ip>", "<ip>192.168.60.200</ip>")
        .replace("    <resource name=\"vcom@vcom1\"/>\n", "")
        .replace(
            "<target>fip2</target>\n      <relation>\n        <type>rsc</type>\n        <name>fip2</name>",
            "<target>fip1</target>\n      <relation>\n        <type>rsc</type>\n        <name>fip1</name>",
        );
    assert_ne!(live, conf);
    fs::create_dir(dir.path().join("pulled")).expect("mkdir");
    fs::write(dir.path().join("pulled/clp.conf"), &live).expect("write");
    let yaml = example.to_str().expect("path");
    let (code, json, err) = hagen(
        dir.path(),
        &["diff", yaml, "pulled/clp.conf", "--format", "json", "--exit-code"],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        kinds(&json),
        ["-:monitor-target", "app:computer-name", "db:floating-ip"]
    );
    let v: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["changes"][2]["before"], "192.168.60.100");
    assert_eq!(v["changes"][2]["after"], "192.168.60.200");
    assert_eq!(v["changes"][0]["after"], "the address of group db");
    let ignored = v["ignored"].as_array().expect("ignored");
    assert_eq!(ignored.len(), 1, "{ignored:?}");
    // Unedited, the built clp.conf shows no drift.
    let (code, _, _) = hagen(dir.path(), &["diff", yaml, "pkg/clp.conf", "--exit-code"]);
    assert_eq!(code, 0);
}

/// Mirror connects are read from both sides: the cluster file's `connects` in priority order,
/// and clp.conf's `md` netdevs (by priority) joined to each server's `mdc` device address.
#[test]
fn mirror_connects_are_compared_against_the_live_clp_conf() {
    let dir = tempfile::tempdir().unwrap();
    let pair = fixture("mirror-connects");
    let (code, _, err) = hagen(&pair, &["build", "old.yaml", "--out", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let conf = dir.path().join("clp.conf");
    let conf = conf.to_str().unwrap();
    let (code, json, _) = hagen(&pair, &["diff", "old.yaml", conf, "--format", "json"]);
    assert_eq!(code, 0);
    assert!(kinds(&json).is_empty(), "{json}");
    let (code, json, _) = hagen(&pair, &["diff", "new.yaml", conf, "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(kinds(&json), ["files:mirror"], "{json}");
}
