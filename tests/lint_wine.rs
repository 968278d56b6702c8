//! `hagen lint-scripts`' verdicts against what the scripts do under Wine's cmd.exe (see
//! `tests/common/wine.rs`): every finding with an observable effect must show in the calls the
//! stand-in ARM commands log, and a script without the finding must not show it.
//!
//! The oracle reads the scripts only for what the cluster passes to them (the dialect, the
//! labels the dispatch jumps to) and judges by the logged calls:
//! - fall-through into a branch label `:L`: a marker call (`ARMBCAST /MSG HAGEN_FELL_INTO_L`)
//!   put on a line of its own right above `:L` runs only when cmd.exe reaches `:L` without a
//!   jump; the fall-through shows when, in some state, another call follows the marker. For a
//!   label lint-scripts does not name, no state shows it. (A label right below another label is
//!   the same branch under a second name and gets no marker.)
//! - missing label: the case that takes the jump logs no call at all (cmd.exe stops there;
//!   Wine exits 0 where Windows gives 1, so the exit code is not used);
//! - unstopped service: a watch id ARMLOAD gets in start.bat's runs and ARMKILL never gets in
//!   stop.bat's (over START and FAILOVER, on either server, disk present);
//! - stop order: the first ARMKILL of each watch id in stop.bat's START run is not in the exact
//!   reverse of the first ARMLOAD of each in start.bat's.
//!
//! ARMFOVER calls are left out of every comparison: the samples run it with `START`, which does
//! not wait for it, so whether its call is logged before the case ends is a race.

#[path = "common/wine.rs"]
#[allow(dead_code)] // This test uses only part of the harness.
mod wine;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::thread;

use hagen::catalog::Catalog;
use hagen::diag::{Code, Diagnostic};
use hagen::lint::{ScriptInput, lint};
use hagen::source::SourceFile;
use wine::{Call, Case, Outcome, Setup};

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The scripts checked: every guide sample, and the start/stop pairs of the script fixtures
/// whose code has an effect cmd.exe shows, failing and fixed.
fn pairs() -> Vec<(PathBuf, Option<PathBuf>)> {
    let seeds = crate_dir().join("tests/fixtures/seed-scripts");
    let mut names: Vec<String> = fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with("-start.bat"))
        .collect();
    names.sort();
    let mut out: Vec<(PathBuf, Option<PathBuf>)> = names
        .iter()
        .map(|n| {
            let stop = seeds.join(n.replace("-start.bat", "-stop.bat"));
            (seeds.join(n), stop.exists().then_some(stop))
        })
        .collect();
    let codes = crate_dir().join("tests/fixtures/codes/scripts");
    for code in [
        "script-fall-through",
        "script-missing-label",
        "script-unstopped-service",
        "script-stop-order",
    ] {
        for dir in [code.to_string(), format!("{code}.ok")] {
            out.push((
                codes.join(&dir).join("start.bat"),
                Some(codes.join(&dir).join("stop.bat")),
            ));
        }
    }
    out
}

/// A script's text (CP932).
fn text(path: &Path) -> String {
    let bytes = fs::read(path).unwrap();
    encoding_rs::SHIFT_JIS
        .decode_without_bom_handling(&bytes)
        .0
        .into_owned()
}

/// `ARMS` or `CLP`: the variables the cluster running this script sets.
fn dialect(text: &str) -> &'static str {
    if text.contains("%CLP_EVENT%") { "CLP" } else { "ARMS" }
}

/// The labels the script's dispatch jumps to, upper-cased: on the event, the disk or the
/// server's priority, and the
/// jump before the first label. Read here by hand, apart from lint-scripts' own reading.
fn dispatch_labels(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut before_labels = true;
    for line in text.lines() {
        let upper = line.trim().to_ascii_uppercase();
        if upper.starts_with(':') {
            before_labels = false;
        }
        if before_labels && let Some(target) = upper.strip_prefix("GOTO ") {
            out.insert(target.trim().trim_start_matches(':').to_string());
        } else if upper.starts_with("IF ")
            && (upper.contains("_EVENT%") || upper.contains("_DISK%") || upper.contains("_SERVER%"))
            && let Some((_, target)) = upper.rsplit_once(" GOTO ")
        {
            out.insert(target.trim().trim_start_matches(':').to_string());
        }
    }
    out.remove("EOF");
    out
}

/// The states a script is run in: outside the cluster, then (event, disk, server).
const STATES: [Option<(&str, &str, &str)>; 7] = [
    None,
    Some(("START", "SUCCESS", "HOME")),
    Some(("START", "SUCCESS", "OTHER")),
    Some(("START", "FAILURE", "HOME")),
    Some(("FAILOVER", "SUCCESS", "HOME")),
    Some(("FAILOVER", "SUCCESS", "OTHER")),
    Some(("RECOVER", "SUCCESS", "HOME")),
];

/// The cluster's variables for every state, in this dialect.
fn states(dialect: &str) -> Vec<Vec<(String, String)>> {
    STATES
        .iter()
        .map(|s| match s {
            None => Vec::new(),
            Some((event, disk, server)) => vec![
                (format!("{dialect}_EVENT"), event.to_string()),
                (format!("{dialect}_DISK"), disk.to_string()),
                (format!("{dialect}_SERVER"), server.to_string()),
            ],
        })
        .collect()
}

/// The marker's message for a label.
fn marker(label: &str) -> String {
    format!("/MSG HAGEN_FELL_INTO_{label} /A")
}

/// The script with a marker call right above each line `:L` of `labels`, but for a label right
/// below another label (`:NORMAL` then `:FAILOVER`: one branch, two names).
fn instrumented(text: &str, labels: &BTreeSet<String>) -> Vec<u8> {
    let mut out = String::new();
    let mut after_label = false;
    for line in text.split_inclusive('\n') {
        let label = line.trim().strip_prefix(':').map(|l| l.trim().to_ascii_uppercase());
        if let Some(label) = label.as_ref().filter(|l| labels.contains(*l) && !after_label) {
            out.push_str(&format!("ARMBCAST {}\r\n", marker(label)));
        }
        after_label = label.is_some();
        out.push_str(line);
    }
    encoding_rs::SHIFT_JIS.encode(&out).0.into_owned()
}

/// What lint-scripts says about the pair.
fn findings(start: &Path, stop: Option<&Path>) -> Vec<(SourceFile, Vec<Diagnostic>)> {
    let inputs: Vec<ScriptInput> = [Some(start), stop]
        .into_iter()
        .flatten()
        .map(|p| ScriptInput {
            path: PathBuf::from(p.file_name().unwrap()),
            bytes: fs::read(p).unwrap(),
        })
        .collect();
    lint(&inputs, Catalog::builtin())
}

/// The names (upper-cased) at which `code` is raised in one file.
fn named(file: &SourceFile, diagnostics: &[Diagnostic], code: Code) -> BTreeSet<String> {
    diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| file.slice(d.span.clone()).to_ascii_uppercase())
        .collect()
}

/// One script run in every state.
struct Runs {
    labels: BTreeSet<String>,
    /// Per state: the calls, markers included, ARMFOVER left out.
    calls: Vec<Vec<Call>>,
}

fn run(path: &Path) -> Runs {
    let text = text(path);
    let labels = dispatch_labels(&text);
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("script.bat");
    fs::write(&copy, instrumented(&text, &labels)).unwrap();
    let cases: Vec<Case> = states(dialect(&text))
        .iter()
        .map(|state| Case::new(&state.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>()))
        .collect();
    let setup = Setup {
        locale: "ja_JP.UTF-8",
        ..Setup::default()
    };
    let calls = wine::run(&copy, &setup, &cases)
        .into_iter()
        .map(|o: Outcome| o.calls.into_iter().filter(|c| c.program != "ARMFOVER").collect())
        .collect();
    Runs { labels, calls }
}

fn is_marker(call: &Call) -> bool {
    call.program == "ARMBCAST" && call.args.starts_with(b"/MSG HAGEN_FELL_INTO_")
}

impl Runs {
    /// The script's own calls in a state, without the markers.
    fn plain(&self, state: usize) -> Vec<&Call> {
        self.calls[state].iter().filter(|c| !is_marker(c)).collect()
    }

    /// The dispatch labels reached without a jump, in some state, with a call after that.
    fn observed_fall_through(&self) -> BTreeSet<String> {
        self.labels
            .iter()
            .filter(|label| {
                let marker = marker(label);
                self.calls.iter().any(|calls| {
                    calls
                        .iter()
                        .position(|c| is_marker(c) && c.args == marker.as_bytes())
                        .is_some_and(|at| calls[at + 1..].iter().any(|c| !is_marker(c)))
                })
            })
            .cloned()
            .collect()
    }

    /// The watch ids of one program's calls in these states, each once, in order of first call.
    fn watch_ids(&self, program: &str, states: &[usize]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for &s in states {
            for call in self.plain(s).into_iter().filter(|c| c.program == program) {
                let args = String::from_utf8_lossy(&call.args).into_owned();
                let id = args.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
                if !out.contains(&id) {
                    out.push(id);
                }
            }
        }
        out
    }
}

/// The index in [`STATES`] of a state.
fn state(event: &str, disk: &str, server: &str) -> usize {
    STATES
        .iter()
        .position(|s| *s == Some((event, disk, server)))
        .unwrap_or_else(|| panic!("{event} {disk} {server} is not run"))
}

/// The state in which the jump of line `line` (1-based) of `text` is taken.
fn state_taking(text: &str, line: usize) -> usize {
    let upper = text.lines().nth(line - 1).unwrap().to_ascii_uppercase();
    if upper.contains("_EVENT%") {
        let event = upper.split('"').nth(3).unwrap().to_string();
        state(&event, "SUCCESS", "HOME")
    } else if upper.contains("_DISK%") {
        state("START", "FAILURE", "HOME")
    } else {
        assert!(upper.trim_start().starts_with("GOTO"), "{upper}");
        0
    }
}

/// Checks one start.bat (and its stop.bat) against its runs; counts what was checked.
fn check_pair(start: &Path, stop: Option<&Path>, checked: &mut BTreeMap<&'static str, usize>) {
    {
        let linted = findings(start, stop);
        let mut runs = Vec::new();
        for (path, (file, diagnostics)) in [Some(start), stop].into_iter().flatten().zip(&linted) {
            let r = run(path);
            let name = path.strip_prefix(crate_dir()).unwrap().display().to_string();
            // Fall-through, both ways.
            let said = named(file, diagnostics, Code::ScriptFallThrough);
            let seen = r.observed_fall_through();
            assert_eq!(
                seen, said,
                "{name}: fall-through seen (left) and found (right); calls per state: {:#?}",
                r.calls
            );
            *checked.entry("fall-through").or_default() += said.len();
            // Missing labels: the run that takes the jump calls nothing.
            let text = text(path);
            for d in diagnostics.iter().filter(|d| d.code == Code::ScriptMissingLabel) {
                let line = file.position(d.span.start).line;
                let s = state_taking(&text, line);
                assert!(
                    r.plain(s).is_empty(),
                    "{name}:{line}: the jump to a missing label should end the run, got {:?}",
                    r.plain(s)
                );
                *checked.entry("missing-label").or_default() += 1;
            }
            runs.push(r);
        }
        let [start_runs, stop_runs] = &runs[..] else { return };
        let (start_file, start_diags) = &linted[0];
        let (stop_file, stop_diags) = &linted[1];
        let acting = [
            state("START", "SUCCESS", "HOME"),
            state("START", "SUCCESS", "OTHER"),
            state("FAILOVER", "SUCCESS", "HOME"),
            state("FAILOVER", "SUCCESS", "OTHER"),
        ];
        let loaded = start_runs.watch_ids("ARMLOAD", &acting);
        let killed = stop_runs.watch_ids("ARMKILL", &acting);
        let unstopped: BTreeSet<String> = loaded.iter().filter(|id| !killed.contains(id)).cloned().collect();
        assert_eq!(
            unstopped,
            named(start_file, start_diags, Code::ScriptUnstoppedService),
            "{}: unstopped seen vs. found",
            start.display()
        );
        *checked.entry("unstopped-service").or_default() += unstopped.len();
        let first = [state("START", "SUCCESS", "HOME")];
        let loads = start_runs.watch_ids("ARMLOAD", &first);
        let kills = stop_runs.watch_ids("ARMKILL", &first);
        let started: Vec<&String> = loads.iter().filter(|id| kills.contains(id)).collect();
        let stopped: Vec<&String> = kills.iter().filter(|id| loads.contains(id)).collect();
        let reversed: Vec<&String> = started.iter().rev().copied().collect();
        let said = stop_diags.iter().any(|d| d.code == Code::ScriptStopOrder);
        assert_eq!(
            stopped != reversed,
            said,
            "{}: started {started:?}, stopped {stopped:?}",
            stop_file.name
        );
        *checked.entry("stop-order").or_default() += usize::from(said);
    }
}

#[test]
fn lint_findings_show_in_what_cmd_exe_does() {
    let queue = Mutex::new(pairs());
    let checked = Mutex::new(BTreeMap::<&str, usize>::new());
    // Two Wine processes at a time: each waits on its own cmd.exe much of the time.
    thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let Some((start, stop)) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let mut mine = BTreeMap::new();
                    check_pair(&start, stop.as_deref(), &mut mine);
                    let mut all = checked.lock().unwrap();
                    for (k, v) in mine {
                        *all.entry(k).or_default() += v;
                    }
                }
            });
        }
    });
    let checked = checked.into_inner().unwrap();
    // Every kind of finding was seen at least once, so no assertion above held vacuously.
    for kind in ["fall-through", "missing-label", "unstopped-service", "stop-order"] {
        assert!(checked.get(kind).copied().unwrap_or(0) > 0, "{kind}: {checked:?}");
    }
}
