//! `hagen lint-scripts`: the per-code script fixtures, the guides' own samples, and the command
//! line (formats, `--deny warnings`, exit codes).
//!
//! Each code `hagen lint-scripts` raises has a pair of folders in
//! `tests/fixtures/codes/scripts/`: `<code>/` (a start.bat and stop.bat, and an `expect` file
//! `CODE at FILE:LINE:COLUMN`) raises it at that place; `<code>.ok/` is the same pair fixed and
//! lints clean. `tests/fixtures/seed-scripts/` holds every script sample of the seeds; what
//! lint-scripts prints for them is kept byte for byte in a snapshot.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Test;
use hagen::catalog::Catalog;
use hagen::diag::{Code, Diagnostic};
use hagen::lint::{ScriptInput, lint};
use hagen::render::human::{HumanRenderer, Style};
use hagen::source::SourceFile;

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn scripts_dir() -> PathBuf {
    crate_dir().join("tests/fixtures/codes/scripts")
}

/// The start.bat and stop.bat of a fixture folder, linted together.
fn lint_folder(name: &str) -> Vec<(SourceFile, Vec<Diagnostic>)> {
    let dir = scripts_dir().join(name);
    let inputs: Vec<ScriptInput> = ["start.bat", "stop.bat"]
        .iter()
        .map(|f| ScriptInput {
            path: PathBuf::from(f),
            bytes: fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{name}/{f}: {e}")),
        })
        .collect();
    lint(&inputs, Catalog::builtin())
}

/// `(code, file, line, column)` of a fixture's `expect` file.
fn expectation(name: &str) -> (String, String, usize, usize) {
    let path = scripts_dir().join(name).join("expect");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (code, at) = text.trim().split_once(" at ").expect("CODE at FILE:LINE:COLUMN");
    let mut parts = at.split(':');
    let file = parts.next().unwrap().to_string();
    let line = parts.next().unwrap().parse().unwrap();
    let column = parts.next().unwrap().parse().unwrap();
    (code.to_string(), file, line, column)
}

fn script_codes() -> impl Iterator<Item = Code> {
    Code::ALL.iter().copied().filter(|c| c.in_scripts())
}

#[test]
fn every_script_code_has_a_fixture_that_raises_it_at_its_place() {
    for code in script_codes() {
        let (expected, file, line, column) = expectation(code.name());
        assert_eq!(expected, code.name());
        let linted = lint_folder(code.name());
        let (source, diagnostics) = linted
            .iter()
            .find(|(f, _)| f.name == file)
            .unwrap_or_else(|| panic!("{code}: no {file}"));
        let found = diagnostics
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("{code}: not raised in {file}; got {linted:#?}"));
        let at = source.position(found.span.start);
        assert_eq!((at.line, at.column), (line, column), "{code}: {found:#?}");
        assert_eq!(found.severity, code.severity());
        // The fixture raises nothing else but its own code.
        for (_, ds) in &linted {
            assert!(ds.iter().all(|d| d.code == code), "{code}: {ds:#?}");
        }
    }
}

#[test]
fn every_fixed_script_pair_lints_clean() {
    for code in script_codes() {
        for (file, diagnostics) in lint_folder(&format!("{}.ok", code.name())) {
            assert!(diagnostics.is_empty(), "{code}.ok/{}: {diagnostics:#?}", file.name);
        }
    }
}

#[test]
fn no_script_fixture_lacks_a_code() {
    for entry in fs::read_dir(scripts_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.starts_with('.') {
            continue;
        }
        let code = Code::from_name(name.trim_end_matches(".ok")).unwrap_or_else(|| panic!("{name} names no code"));
        assert!(code.in_scripts(), "{name}");
    }
}

#[test]
fn rendered_diagnostics_of_every_script_fixture() {
    let renderer = HumanRenderer::new(Style::PLAIN);
    for code in script_codes() {
        let rendered: String = lint_folder(code.name())
            .iter()
            .flat_map(|(file, ds)| ds.iter().map(move |d| renderer.render(file, d)))
            .collect();
        insta::assert_snapshot!(format!("script-{}", code.name()), rendered);
    }
}

fn seed_dir() -> PathBuf {
    crate_dir().join("tests/fixtures/seed-scripts")
}

/// Every sample, sorted by name.
fn seed_scripts() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(seed_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".bat"))
        .collect();
    names.sort();
    names
}

/// What `hagen lint-scripts` prints for the guides' samples, run in their folder so that the
/// names are short; byte for byte.
#[test]
fn the_guides_samples_lint_as_recorded() {
    let names = seed_scripts();
    assert_eq!(names.len(), 13, "{names:?}");
    for format in ["human", "json"] {
        let out = Command::new(env!("CARGO_BIN_EXE_hagen"))
            .current_dir(seed_dir())
            .arg("lint-scripts")
            .args(&names)
            .args(["--format", format])
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
        insta::assert_snapshot!(format!("seed-scripts-{format}"), String::from_utf8(out.stdout).unwrap());
    }
}

/// Every sample is CRLF and CP932, as the guides' files would be on Windows.
#[test]
fn the_samples_are_crlf_and_cp932() {
    for name in seed_scripts() {
        let bytes = fs::read(seed_dir().join(&name)).unwrap();
        let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(&bytes);
        assert!(!had_errors, "{name}");
        assert!(text.contains("ARMLOAD") || text.contains("ARMKILL"), "{name}");
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count(), "{name}");
        assert!(
            std::str::from_utf8(&bytes).is_err() || bytes.is_ascii(),
            "{name} is UTF-8"
        );
    }
}

const START: &str = "IF \"%CLP_EVENT%\" == \"START\" GOTO NORMAL\r\nGOTO EXIT\r\n:NORMAL\r\n\
                     IF \"%CLP_DISK%\" == \"FAILURE\" EXIT 1\r\nARMLOAD A /S SvcA\r\nARMLOAD B /S SvcB\r\nGOTO EXIT\r\n:EXIT\r\n";
const STOP_REVERSED: &str = "IF \"%CLP_EVENT%\" == \"START\" GOTO NORMAL\r\nGOTO EXIT\r\n:NORMAL\r\n\
                             ARMKILL B\r\nARMKILL A\r\nGOTO EXIT\r\n:EXIT\r\n";

#[test]
fn exit_codes_clean_findings_and_unreadable() {
    Test::new()
        .write("g/start.bat", START)
        .write("g/stop.bat", STOP_REVERSED)
        .args(["lint-scripts", "g/start.bat", "g/stop.bat", "--quiet"])
        .stdout("")
        .run();
    Test::new()
        .write("g/start.bat", START)
        .args(["lint-scripts", "g/start.bat", "missing.bat"])
        .status(2)
        .stderr_contains("hagen: missing.bat: ")
        .run();
    Test::new()
        .write("g/start.bat", START.replace("GOTO EXIT\r\n:EXIT", ":EXIT"))
        .args(["lint-scripts", "g/start.bat"])
        .status(0)
        .run();
    Test::new()
        .write("g/start.bat", START.replace("GOTO NORMAL", "GOTO NORMALL"))
        .args(["lint-scripts", "g/start.bat"])
        .status(1)
        .stdout_contains("error[script-missing-label]")
        .stdout_contains("g/start.bat:1:")
        .run();
}

#[test]
fn a_warning_fails_only_with_deny_warnings_in_every_format() {
    let stop = STOP_REVERSED.replace("ARMKILL B\r\nARMKILL A", "ARMKILL A\r\nARMKILL B");
    for format in ["human", "json", "sarif", "github"] {
        Test::new()
            .write("start.bat", START)
            .write("stop.bat", &stop)
            .args(["lint-scripts", "start.bat", "stop.bat", "--format", format])
            .stdout_contains("script-stop-order")
            .run();
        Test::new()
            .write("start.bat", START)
            .write("stop.bat", &stop)
            .args(["lint-scripts", "start.bat", "stop.bat", "--format", format])
            .args(["--deny", "warnings"])
            .status(1)
            .run();
    }
}

#[test]
fn json_and_sarif_name_file_line_and_column() {
    let stop = STOP_REVERSED.replace("ARMKILL B\r\n", "");
    let out = Test::new()
        .write("start.bat", START)
        .write("stop.bat", &stop)
        .args(["lint-scripts", "start.bat", "stop.bat", "--format", "json"])
        .status(1)
        .run()
        .json();
    let d = &out["diagnostics"][0];
    assert_eq!(d["code"], "script-unstopped-service");
    assert_eq!(d["file"], "start.bat");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(6), Some(9)));
    let sarif = Test::new()
        .write("start.bat", START)
        .write("stop.bat", &stop)
        .args(["lint-scripts", "start.bat", "stop.bat", "--format", "sarif"])
        .status(1)
        .run()
        .json();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "script-unstopped-service");
    assert_eq!(result["locations"][0]["physicalLocation"]["region"]["startLine"], 6);
}

/// hagen's own scripts (the packages of the examples) are what the rules ask for.
#[test]
fn the_scripts_hagen_writes_lint_clean() {
    let mut inputs = Vec::new();
    let mut pending = vec![crate_dir().join("tests/expected")];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "bat") {
                inputs.push(ScriptInput {
                    bytes: fs::read(&path).unwrap(),
                    path,
                });
            }
        }
    }
    assert!(inputs.len() >= 10, "{}", inputs.len());
    for (file, diagnostics) in lint(&inputs, Catalog::builtin()) {
        assert!(diagnostics.is_empty(), "{}: {diagnostics:#?}", file.name);
    }
}

/// `--language en`: the English scripts are ASCII, so a Japanese message is a finding there,
/// and nowhere else.
#[test]
fn language_en_asks_for_ascii() {
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("ARMBCAST /MSG \"起動中です\" /A\r\n");
    Test::new()
        .write("start.bat", sjis.as_ref())
        .args(["lint-scripts", "start.bat", "--quiet"])
        .run();
    Test::new()
        .write("start.bat", sjis.as_ref())
        .args(["lint-scripts", "start.bat", "--language", "en"])
        .status(1)
        .stdout_contains("error[script-encoding]: a non-ASCII character in an `en` script")
        .stdout_contains("start.bat:1:16")
        .run();
}

/// A command line before the services of hagen's start.bat that reads `:RECOVER` would catch
/// the dispatch's `GOTO RECOVER` before the real branch: the label is reported as defined
/// twice, and RECOVER as starting the services.
#[test]
fn a_label_slipped_into_a_generated_start_bat_is_reported() {
    let path = crate_dir().join("tests/expected/in-house-services/scripts/db/script1/start.bat");
    let text = fs::read_to_string(&path).unwrap();
    let injected = text.replacen(":SERVICES\r\n", ":SERVICES\r\n:RECOVER\r\n", 1);
    assert_ne!(text, injected);
    let inputs = [ScriptInput {
        path: PathBuf::from("start.bat"),
        bytes: injected.into_bytes(),
    }];
    let linted = lint(&inputs, Catalog::builtin());
    let codes: Vec<Code> = linted[0].1.iter().map(|d| d.code).collect();
    assert!(codes.contains(&Code::ScriptDuplicateLabel), "{codes:?}");
    assert!(codes.contains(&Code::ScriptRecoverStartsWork), "{codes:?}");
}
