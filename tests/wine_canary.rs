//! Injection, run: user profiles (`--profiles DIR`) whose values that reach start.bat and
//! stop.bat (service names, watch ids, pre-start commands and their sources, the platform's
//! name) and a cluster file name carry payloads that try to start a second command. For each,
//! either hagen refuses the profile with a diagnostic in it, or the generated scripts, run
//! under Wine's cmd.exe with the stand-in ARM commands (tests/common/wine.rs), never run
//! `canary.exe` (tests/stand-ins/canary.c), which would leave a marker file.
//!
//! The controls show that the harness can see a canary: a script that calls it, and a profile
//! whose pre-start command legitimately is the canary, both leave the marker.

// This test uses only a part of the harness.
#[allow(dead_code)]
#[path = "common/wine.rs"]
mod wine;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use wine::{Case, Setup};

/// Payloads from the brief of SPEC section 6, and some that pass the allowlists on purpose
/// (only `"`, `(`, `)` and spaces, which a pre-start command may hold).
const PAYLOADS: &[&str] = &[
    "x & canary.exe",
    "x | canary",
    "%COMSPEC% /c canary",
    "^& canary",
    "\"&canary&\"",
    "!x!",
    "x\r\ncanary",
    "x\ncanary",
    "x > canary",
    "x ) canary (",
    "\"x\" canary",
    "x\" canary \"y",
];

/// A YAML double-quoted scalar holding `text` exactly (a JSON string is one).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// IIS's services as examples/webharmo-oltp.yaml uses them (profiles/products/iis.yaml), with
/// the W3SVC service's name or watch id replaced.
fn iis(name: &str, watch_id: &str) -> String {
    format!(
        "id: iis\nservices:\n  - key: www\n    name: {}\n    watch_id: {}\n    source: \"test\"\n  \
         - key: ftp\n    name: MSFTPSVC\n    watch_id: FTPService\n    source: \"test\"\n",
        quoted(name),
        quoted(watch_id)
    )
}

/// WEBharmo/OLTP's features (profiles/products/webharmo-oltp.yaml) with the partial-send
/// feature's pre-start command or its source replaced.
fn oltp(command: &str, source: &str) -> String {
    format!(
        "id: webharmo-oltp\nfeatures:\n  - id: partial-send\n    pre_start: [{}]\n    source: {}\n  \
         - id: web-print\n    pre_start: ['del /S /Q \"{{install_dir}}\\OLTP\\PRINT\\DOC\\*.*\"']\n    source: \"test\"\n",
        quoted(command),
        quoted(source)
    )
}

/// The places a payload can go: a profile file name and its text.
fn places(payload: &str) -> Vec<(&'static str, String, String)> {
    vec![
        ("service name", "iis.yaml".into(), iis(payload, "WWWService")),
        ("watch id", "iis.yaml".into(), iis("W3SVC", payload)),
        (
            "pre-start command",
            "oltp.yaml".into(),
            oltp(&format!("del /Q {payload}"), "test"),
        ),
        ("pre-start source", "oltp.yaml".into(), oltp("del /Q x", payload)),
        (
            "platform name",
            "platform.yaml".into(),
            format!("id: clusterpro-8.0\nname: {}\n", quoted(payload)),
        ),
    ]
}

fn example() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/webharmo-oltp.yaml");
    fs::read_to_string(path).unwrap()
}

/// Builds `cluster` (named `file`) with the profile; the package folder when it built, else
/// the output, which must be a refusal naming the profile.
fn build(dir: &Path, file: &str, cluster: &str, profile: Option<(&str, &str)>) -> Result<PathBuf, String> {
    fs::write(dir.join(file), cluster).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_hagen"));
    command.current_dir(dir).args(["build", "--out", "dist"]).arg(file);
    if let Some((name, text)) = profile {
        fs::create_dir_all(dir.join("profiles")).unwrap();
        fs::write(dir.join("profiles").join(name), text).unwrap();
        command.args(["--profiles", "profiles"]);
    }
    let out = command.output().unwrap();
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!shown.contains("panicked"), "{shown}");
    match out.status.code() {
        Some(0) => Ok(dir.join("dist")),
        Some(1) => Err(shown),
        other => panic!("exit {other:?}: {shown}"),
    }
}

/// Runs the package's start.bat and stop.bat under Wine with the canary on PATH, for a start,
/// a failover and a run outside the cluster; returns what the marker holds (empty: the canary
/// never ran).
fn run_scripts(package: &Path, marker: &Path) -> String {
    let setup = Setup {
        prepare: vec![
            format!("set \"PATH={};%PATH%\"", wine::windows_path(wine::canary_folder())),
            format!("set \"HAGEN_CANARY={}\"", wine::windows_path(marker)),
        ],
        ..Setup::default()
    };
    let cases = [
        Case::new(&[
            ("ARMS_EVENT", "START"),
            ("ARMS_DISK", "SUCCESS"),
            ("ARMS_SERVER", "HOME"),
        ]),
        Case::new(&[
            ("ARMS_EVENT", "FAILOVER"),
            ("ARMS_DISK", "SUCCESS"),
            ("ARMS_SERVER", "OTHER"),
        ]),
        Case::new(&[]),
    ];
    for script in ["start.bat", "stop.bat"] {
        let path = package.join("scripts/oltp").join(script);
        assert!(path.is_file(), "{}", path.display());
        let outcomes = wine::run(&path, &setup, &cases);
        // The script ran: a start broadcasts and loads services.
        assert!(!outcomes[0].calls.is_empty(), "{script}: {}", outcomes[0].console);
    }
    fs::read_to_string(marker).unwrap_or_default()
}

#[test]
fn no_payload_in_a_profile_runs_the_canary() {
    let mut refused = 0;
    let mut ran = Vec::new();
    for payload in PAYLOADS {
        for (place, file, profile) in places(payload) {
            let temp = tempfile::Builder::new().prefix("hagen-canary").tempdir().unwrap();
            let dir = temp.path();
            match build(dir, "oltp.yaml", &example(), Some((&file, &profile))) {
                Err(shown) => {
                    assert!(
                        shown.contains(&format!("profiles/{file}")),
                        "{place} = {payload:?}: refused, but not in the profile:\n{shown}"
                    );
                    refused += 1;
                }
                Ok(package) => {
                    let marker = dir.join("marker.txt");
                    let hits = run_scripts(&package, &marker);
                    assert_eq!(hits, "", "{place} = {payload:?} ran the canary");
                    ran.push(format!("{place} = {payload:?}"));
                }
            }
        }
    }
    eprintln!("refused {refused}; built and ran without the canary: {ran:#?}");
    assert!(
        !ran.is_empty(),
        "no payload got as far as a script: the Wine half proved nothing"
    );
}

/// A cluster file's name is in the scripts' header: its payloads are escaped there.
#[test]
fn no_file_name_runs_the_canary() {
    for payload in PAYLOADS.iter().filter(|p| !p.contains(['/', '\r', '\n'])) {
        let temp = tempfile::Builder::new().prefix("hagen-canary").tempdir().unwrap();
        let dir = temp.path();
        let file = format!("{payload}.yaml");
        let package = build(dir, &file, &example(), None).unwrap_or_else(|e| panic!("{file}: {e}"));
        let start = fs::read(package.join("scripts/oltp/start.bat")).unwrap();
        assert!(
            String::from_utf8_lossy(&start)
                .lines()
                .take(5)
                .any(|l| l.starts_with("rem ")),
            "{file}"
        );
        assert_eq!(
            run_scripts(&package, &dir.join("marker.txt")),
            "",
            "{file:?} ran the canary"
        );
    }
}

/// The controls: the canary is found and leaves its marker when a script does call it, by
/// hand or through a pre-start command that names it.
#[test]
fn the_canary_is_seen_when_a_script_calls_it() {
    let temp = tempfile::Builder::new().prefix("hagen-canary").tempdir().unwrap();
    let dir = temp.path();
    let script = dir.join("call.bat");
    fs::write(&script, "canary.exe direct\r\nEXIT 0\r\n").unwrap();
    let marker = dir.join("marker.txt");
    let setup = Setup {
        prepare: vec![
            format!("set \"PATH={};%PATH%\"", wine::windows_path(wine::canary_folder())),
            format!("set \"HAGEN_CANARY={}\"", wine::windows_path(&marker)),
        ],
        ..Setup::default()
    };
    wine::run(&script, &setup, &[Case::new(&[])]);
    assert!(fs::read_to_string(&marker).unwrap().contains("direct"));

    let package = build(
        dir,
        "oltp.yaml",
        &example(),
        Some(("oltp.yaml", &oltp("canary.exe pre-start", "test"))),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let other = dir.join("marker2.txt");
    assert!(run_scripts(&package, &other).contains("pre-start"));
}
