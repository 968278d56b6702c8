//! ExpressMail's ARM-era sample start script (PP guide (Internet) 1.5.7) moves the group on
//! after a disk failure when it runs on a server other than the highest-priority one:
//! `IF "%ARMS_SERVER%" == "OTHER" START ARMFOVER %ARMS_GROUPNAME%` on its disk-error path. The
//! CLUSTERPRO X sample keeps those lines commented out, so X scripts do not have them. Proved
//! under Wine's cmd.exe with the stand-in ARMFOVER, for every event, disk and server state.

mod common;
#[path = "common/wine.rs"]
#[allow(dead_code)] // This test uses only part of the harness.
mod wine;

use std::fs;
use std::path::Path;

use common::Test;
use wine::{Case, Setup};

const LINE: &str = "IF \"%ARMS_SERVER%\" == \"OTHER\" START ARMFOVER %ARMS_GROUPNAME%\r\n";

/// Builds a cluster file and reads one of its scripts (CP932 for `ja`, ASCII for `en`).
fn build(fixture: &str, script: &str) -> (tempfile::TempDir, String) {
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture)).unwrap();
    let out = Test::new()
        .write("cluster.yaml", text)
        .args(["build", "cluster.yaml", "--out", "dist"])
        .run();
    let bytes = fs::read(out.tempdir.path().join("dist").join(script)).unwrap();
    let start = encoding_rs::SHIFT_JIS.decode(&bytes).0.into_owned();
    (out.tempdir, start)
}

#[test]
fn the_arm_sample_moves_the_group_on_after_a_disk_failure_away_from_home() {
    let (dir, text) = build(
        "tests/fixtures/rules/expressmail-platform.ok.yaml",
        "scripts/mail/start.bat",
    );
    // On the disk-error path, after its broadcast and before its non-zero exit.
    let error = text.find(":ERROR_DISK\r\n").expect("a disk-error label");
    let line = text.find(LINE).expect("the ARMFOVER line");
    let exit = error + text[error..].find("EXIT 1\r\n").unwrap();
    assert!(error < line && line < exit, "{text}");
    assert_eq!(text.matches("ARMFOVER").count(), 1, "{text}");

    let start = dir.path().join("dist/scripts/mail/start.bat");
    let mut cases = Vec::new();
    for event in ["START", "FAILOVER"] {
        for disk in ["SUCCESS", "FAILURE"] {
            for server in ["HOME", "OTHER"] {
                cases.push(Case::new(&[
                    ("ARMS_EVENT", event),
                    ("ARMS_DISK", disk),
                    ("ARMS_SERVER", server),
                    ("ARMS_GROUPNAME", "mail"),
                ]));
            }
        }
    }
    // `START` runs ARMFOVER without waiting, as the guide's sample means it to (the move waits
    // for this script to end). Its call is in the case's log by the time the next case has
    // run, so the last case is one without a disk failure.
    cases.push(cases[0].clone());
    let outcomes = wine::run(&start, &Setup::default(), &cases);
    for outcome in outcomes {
        let vars = &outcome.case.vars;
        let failed = vars.iter().any(|(k, v)| k == "ARMS_DISK" && v == "FAILURE");
        let other = vars.iter().any(|(k, v)| k == "ARMS_SERVER" && v == "OTHER");
        let fovers: Vec<String> = outcome
            .calls
            .iter()
            .filter(|c| c.program == "ARMFOVER")
            .map(|c| String::from_utf8_lossy(&c.args).into_owned())
            .collect();
        let loads = outcome.calls.iter().filter(|c| c.program == "ARMLOAD").count();
        let name = &outcome.case.name;
        if failed {
            assert_ne!(outcome.exit_code, 0, "{name}: {}", outcome.console);
            assert_eq!(loads, 0, "{name}: nothing starts after a disk failure");
            let want: Vec<String> = if other { vec!["mail".to_string()] } else { Vec::new() };
            assert_eq!(fovers, want, "{name}: {}", outcome.console);
        } else {
            assert_eq!(outcome.exit_code, 0, "{name}: {}", outcome.console);
            assert!(fovers.is_empty(), "{name}: ARMFOVER without a disk failure");
            assert_eq!(loads, 7, "{name}: every ExpressMail service starts");
        }
    }
}

#[test]
fn the_x_scripts_keep_the_sample_s_commented_out_armfover_out() {
    let (_dir, text) = build("examples/expressmail.yaml", "scripts/mail/script1/start.bat");
    assert!(!text.contains("ARMFOVER"), "{text}");
}
