//! Legal Windows service names that a batch file must quote, end to end: SQL Server's named
//! instance `MSSQL$PROD`, `SQL Server (NEOFACE)` of NEC's NeoFace sample, and a name with
//! `& ( ) % ^ !` and spaces (`tests/fixtures/service-names/cluster.yaml`). The file checks
//! clean and builds; its start.bat, run under Wine's cmd.exe with the stand-in ARMLOAD, passes
//! every name intact; and `hagen import` of the built package gives the names back.

mod common;
#[path = "common/wine.rs"]
#[allow(dead_code)] // This test uses only part of the harness.
mod wine;

use std::fs;
use std::path::Path;

use common::Test;
use wine::{Case, Setup};

const NAMES: [(&str, &str); 3] = [
    ("MSSQLPROD", "MSSQL$PROD"),
    ("SQLNEOFACE", "SQL Server (NEOFACE)"),
    ("ODDNAME", "A&B (x) 100% ^up! %PATH%"),
];

fn fixture() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/service-names/cluster.yaml")).unwrap()
}

#[test]
fn quoted_service_names_check_clean_build_and_reach_armload_intact() {
    let built = Test::new()
        .write("cluster.yaml", fixture())
        .args(["build", "cluster.yaml", "--out", "dist"])
        .run();
    let dist = built.tempdir.path().join("dist");
    let start = dist.join("scripts/sql/script1/start.bat");
    let text = fs::read_to_string(&start).unwrap();
    // `%` doubled in the file, every other character as it is, in double quotes.
    assert!(
        text.contains("ARMLOAD ODDNAME /S \"A&B (x) 100%% ^up! %%PATH%%\""),
        "{text}"
    );

    let outcomes = wine::run(
        &start,
        &Setup::default(),
        &[
            Case::new(&[("CLP_EVENT", "START"), ("CLP_DISK", "SUCCESS"), ("CLP_SERVER", "HOME")]),
            Case::new(&[
                ("CLP_EVENT", "FAILOVER"),
                ("CLP_DISK", "SUCCESS"),
                ("CLP_SERVER", "OTHER"),
            ]),
        ],
    );
    for outcome in outcomes {
        assert_eq!(outcome.exit_code, 0, "{}: {}", outcome.case.name, outcome.console);
        let loads: Vec<String> = outcome
            .calls
            .iter()
            .filter(|c| c.program == "ARMLOAD")
            .map(|c| String::from_utf8_lossy(&c.args).into_owned())
            .collect();
        // The stand-in logs the command line as cmd.exe passed it: the quotes are there for
        // ARMLOAD's own argument parsing, and between them the name is exactly the service's.
        let want: Vec<String> = NAMES.iter().map(|(id, name)| format!("{id} /S \"{name}\"")).collect();
        assert_eq!(loads, want, "{}: {}", outcome.case.name, outcome.console);
    }
}

#[test]
fn import_keeps_quoted_service_names() {
    let test = Test::new().write("cluster.yaml", fixture());
    let built = test.args(["build", "cluster.yaml", "--out", "dist"]).run();
    let dist = built.tempdir.path().join("dist");
    let imported = std::process::Command::new(env!("CARGO_BIN_EXE_hagen"))
        .arg("import")
        .arg(dist.join("clp.conf"))
        .arg("--scripts")
        .arg(&dist)
        .output()
        .unwrap();
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let yaml = String::from_utf8(imported.stdout).unwrap();
    let read: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
    let services: Vec<(String, String)> = read["groups"][0]["apps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["services"].as_array().cloned().unwrap_or_default())
        .map(|s| {
            (
                s["watch_id"].as_str().unwrap().to_string(),
                s["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = NAMES.iter().map(|(i, n)| (i.to_string(), n.to_string())).collect();
    assert_eq!(services, want, "{yaml}");
}
