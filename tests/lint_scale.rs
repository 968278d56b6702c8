//! `hagen lint-scripts` reads long scripts whole: every line of a 40,000-line script is read
//! and every finding of 200,000 jumps to missing labels is reported, none dropped or merged.
//!
//! That the cost stays in proportion to a script's length is the scaling suite's to prove
//! (`bench/scaling.py`, shapes `armload`, `missing-gotos`, `every-statement`, `deep-if`): it
//! measures CPU time and memory at n and 4n outside the test harness, where a loaded machine
//! cannot make a timing flaky. The scripts here are the same shapes at the suite's 4n.

use std::fmt::Write;
use std::path::PathBuf;

use hagen::catalog::Catalog;
use hagen::diag::Code;
use hagen::lint::{ScriptInput, lint};

fn input(name: &str, text: String) -> ScriptInput {
    ScriptInput {
        path: PathBuf::from(name),
        bytes: text.replace('\n', "\r\n").into_bytes(),
    }
}

/// The codes `lint` finds in `inputs`, each with its count, sorted.
fn found(inputs: &[ScriptInput]) -> Vec<(Code, usize)> {
    let mut counts: std::collections::BTreeMap<&str, (Code, usize)> = std::collections::BTreeMap::new();
    for (_, diagnostics) in lint(inputs, Catalog::builtin()) {
        for d in diagnostics {
            counts.entry(d.code.name()).or_insert((d.code, 0)).1 += 1;
        }
    }
    counts.into_values().collect()
}

/// start.bat with `n` ARMLOAD lines (each its own watch id) and stop.bat killing them in
/// reverse, as a group of many services would.
fn arm_loads(n: usize) -> Vec<ScriptInput> {
    let mut start = String::from(
        "IF \"%CLP_EVENT%\" == \"START\" GOTO NORMAL\nIF \"%CLP_EVENT%\" == \"FAILOVER\" GOTO NORMAL\nGOTO EXIT\n:NORMAL\nIF \"%CLP_DISK%\" == \"FAILURE\" EXIT 1\n",
    );
    let mut stop = String::from(start.as_str());
    for i in 0..n {
        writeln!(start, "ARMLOAD W{i} /S Service{i}").unwrap();
        writeln!(stop, "ARMKILL W{}", n - 1 - i).unwrap();
    }
    start.push_str("GOTO EXIT\n:EXIT\n");
    stop.push_str("GOTO EXIT\n:EXIT\n");
    vec![input("g/start.bat", start), input("g/stop.bat", stop)]
}

#[test]
fn forty_thousand_arm_loads() {
    assert_eq!(found(&arm_loads(40_000)), vec![]);
}

/// `n` jumps, each to a label that does not exist, among a few that do.
fn missing_labels(n: usize) -> Vec<ScriptInput> {
    let mut text = String::from(":NORMAL\n:FAILOVER\n:EXIT\n");
    for i in 0..n {
        writeln!(text, "IF \"%CLP_SERVER%\" == \"OTHER\" GOTO MISSING{}", i % 1000).unwrap();
    }
    vec![input("start.bat", text)]
}

#[test]
fn two_hundred_thousand_jumps_to_missing_labels() {
    assert_eq!(
        found(&missing_labels(200_000)),
        vec![(Code::ScriptMissingLabel, 200_000)]
    );
}

/// A script of `n` lines built from every statement the reader knows: dispatch, branches,
/// blocks, calls, subroutines, labels defined twice, ARMLOAD and other commands.
fn every_statement(n: usize) -> Vec<ScriptInput> {
    let mut text = String::from("@echo off\nIF \"%CLP_EVENT%\" == \"RECOVER\" GOTO B0\n");
    let mut lines = 2;
    let mut i = 0;
    while lines < n {
        write!(
            text,
            ":B{i}\nIF \"%CLP_DISK%\" == \"FAILURE\" GOTO B{next}\nIF %CLP_FACTOR% == \"GROUPFAILOVER\" (\n  sqlcmd -U sa -P pw{i} -Q x\n) ELSE (\n  net start Svc{i})\nCALL :B{back}\nARMLOAD W{i} /S Svc{i}\n:B{i}\nFOR %%f IN (a b) DO (\necho %%f\n)\nEXIT /B\n",
            next = i + 1,
            back = i / 2,
        )
        .unwrap();
        lines += 13;
        i += 1;
    }
    vec![input("start.bat", text)]
}

#[test]
fn forty_thousand_lines_of_every_statement() {
    // 3,077 blocks of 13 lines. Each defines its label twice, compares an unquoted
    // `%CLP_FACTOR%`, writes a password and falls through into the next block's label; the
    // last one jumps to the block that is not there, and the dispatch's RECOVER starts work.
    let blocks = (40_000 - 2usize).div_ceil(13);
    assert_eq!(blocks, 3_077);
    assert_eq!(
        found(&every_statement(40_000)),
        vec![
            (Code::ScriptDuplicateLabel, blocks),
            (Code::ScriptFallThrough, blocks + 1),
            (Code::ScriptHardCodedCredential, blocks),
            (Code::ScriptMissingLabel, 1),
            (Code::ScriptRecoverStartsWork, 1),
            (Code::ScriptUnquotedComparison, blocks),
        ]
    );
}
