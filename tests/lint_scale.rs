//! `hagen lint-scripts` costs time in proportion to a script's length: the reader, the flow
//! graph and every rule. Each case lints a script of size n and of size 4n in-process and
//! asserts that the larger takes less than 6 times as long (a quadratic cost would take 16
//! times); in a release build (`cargo test --release --test lint_scale`) each also has an
//! absolute bound: 40,000 ARMLOAD lines and 200,000 jumps to missing labels in under 2 s, a
//! 40,000-line script of every statement the reader knows in under 1 s.

use std::fmt::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use hagen::catalog::Catalog;
use hagen::lint::{ScriptInput, lint};

fn input(name: &str, text: String) -> ScriptInput {
    ScriptInput {
        path: PathBuf::from(name),
        bytes: text.replace('\n', "\r\n").into_bytes(),
    }
}

/// The time `lint` takes, the best of two runs; and the number of findings.
fn time(inputs: &[ScriptInput]) -> (Duration, usize) {
    let catalog = Catalog::builtin();
    let mut best = Duration::MAX;
    let mut found = 0;
    for _ in 0..2 {
        let t = Instant::now();
        let out = lint(inputs, catalog);
        best = best.min(t.elapsed());
        found = out.iter().map(|(_, d)| d.len()).sum();
    }
    (best, found)
}

/// Asserts the size-ratio bound between n and 4n, and in release the absolute bound at 4n.
fn scales(what: &str, make: impl Fn(usize) -> Vec<ScriptInput>, n: usize, bound: Duration) -> usize {
    let (small, _) = time(&make(n));
    let (large, found) = time(&make(4 * n));
    let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
    eprintln!("{what}: n={n} {small:?}, 4n={} {large:?}, ratio {ratio:.2}", 4 * n);
    assert!(ratio < 6.0, "{what}: {small:?} at {n}, {large:?} at {}", 4 * n);
    if !cfg!(debug_assertions) {
        assert!(large < bound, "{what}: {large:?} at {}", 4 * n);
    }
    found
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
    let found = scales("ARMLOAD", arm_loads, 10_000, Duration::from_secs(2));
    assert_eq!(found, 0);
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
    let found = scales("GOTO", missing_labels, 50_000, Duration::from_secs(2));
    assert_eq!(found, 200_000);
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
    let found = scales("every statement", every_statement, 10_000, Duration::from_secs(1));
    assert!(found > 0);
}
