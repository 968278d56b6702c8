//! The command line from outside: arguments, exit codes, what goes to stdout and stderr, and
//! how several paths combine (SPEC sections 1 and 4; section 6, bad input, is
//! tests/bad_input.rs).

mod common;

use common::{Test, example};
use serde_json::Value;

/// Valid YAML that is not a cluster file: a yaml-syntax error at a known place.
const SYNTAX_ERROR: &str = "cluster:\n  name: web: x\n";

// ---- arguments and exit codes ----

#[test]
fn version_and_help_exit_0() {
    Test::new()
        .arg("--version")
        .stdout(format!("hagen {}\n", env!("CARGO_PKG_VERSION")))
        .run();
    Test::new().arg("--help").stdout_contains("Usage: hagen").run();
    Test::new().args(["check", "--help"]).stdout_contains("--deny").run();
}

#[test]
fn a_bad_flag_is_a_usage_error() {
    Test::new()
        .args(["check", "--bogus", "a.yaml"])
        .status(2)
        .stdout("")
        .stderr_contains("unexpected argument '--bogus'")
        .run();
}

#[test]
fn bad_option_values_are_usage_errors() {
    Test::new()
        .args(["check", "--format", "xml", "a.yaml"])
        .status(2)
        .stderr_contains("invalid value 'xml'")
        .run();
    Test::new()
        .args(["check", "--deny", "notes", "a.yaml"])
        .status(2)
        .stderr_contains("invalid value 'notes'")
        .run();
}

#[test]
fn no_command_or_no_path_is_a_usage_error() {
    Test::new().status(2).stderr_contains("Usage: hagen").run();
    Test::new().arg("check").status(2).stderr_contains("<PATH>...").run();
    Test::new()
        .arg("compile")
        .status(2)
        .stderr_contains("unrecognized subcommand")
        .run();
}

// ---- several paths (each kind of bad input alone: tests/bad_input.rs) ----

#[test]
fn io_failures_do_not_stop_the_other_files_and_win_over_errors() {
    let out = Test::new()
        .write("bad.yaml", SYNTAX_ERROR)
        .write("empty.yaml", "")
        .args(["check", "missing.yaml", "bad.yaml", "empty.yaml", "--format", "json"])
        .status(2)
        .stderr(
            "hagen: missing.yaml: no such file or folder\n\
             hagen: empty.yaml: the file is empty\n",
        )
        .run();
    let json = out.json();
    assert_eq!(json["summary"]["files"], 1);
    assert_eq!(json["summary"]["errors"], 1);
    assert_eq!(json["diagnostics"][0]["file"], "bad.yaml");
}

// ---- files and folders that are read ----

#[test]
fn folders_are_walked_recursively_and_sorted() {
    let out = Test::new()
        .write("clusters/b/z.yml", SYNTAX_ERROR)
        .write("clusters/b/a.yaml", SYNTAX_ERROR)
        .write("clusters/a.yaml", SYNTAX_ERROR)
        .write("clusters/b/readme.md", "not yaml")
        .write("clusters/c/d/e.YAML", SYNTAX_ERROR)
        .args(["check", "clusters"])
        .status(1)
        .stdout_contains("4 errors, 0 warnings in 4 files\n")
        .stderr("")
        .run();
    let order: Vec<usize> = [
        "[clusters/a.yaml:",
        "[clusters/b/a.yaml:",
        "[clusters/b/z.yml:",
        "[clusters/c/d/e.YAML:",
    ]
    .iter()
    .map(|name| {
        out.stdout
            .find(name)
            .unwrap_or_else(|| panic!("{name} in\n{}", out.stdout))
    })
    .collect();
    assert!(order.is_sorted(), "files in walk order\n{}", out.stdout);
}

#[test]
fn a_file_named_on_the_command_line_is_read_whatever_its_extension() {
    Test::new()
        .write("cluster.txt", SYNTAX_ERROR)
        .args(["check", "cluster.txt"])
        .status(1)
        .stdout_contains("[cluster.txt:2:12]")
        .run();
}

#[test]
fn a_file_named_twice_is_checked_once() {
    Test::new()
        .write("bad.yaml", SYNTAX_ERROR)
        .args(["check", "bad.yaml", "bad.yaml"])
        .status(1)
        .stdout_contains("1 error, 0 warnings in 1 file\n")
        .run();
}

// ---- output ----

#[test]
fn yaml_syntax_error_in_json_has_line_and_column() {
    let out = Test::new()
        .write("bad.yaml", SYNTAX_ERROR)
        .args(["check", "--format", "json", "bad.yaml"])
        .status(1)
        .stderr("")
        .run();
    let diagnostics = out.diagnostics();
    assert_eq!(diagnostics.len(), 1);
    let d = &diagnostics[0];
    assert_eq!(d["code"], "yaml-syntax");
    assert_eq!(d["file"], "bad.yaml");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(2), Some(12)));
    assert_eq!((d["end_line"].as_u64(), d["end_column"].as_u64()), (Some(2), Some(12)));
}

#[test]
fn json_output_has_the_shape_of_the_spec() {
    let out = Test::new()
        .write("b.yaml", SYNTAX_ERROR)
        .write("a.yaml", "a: [1, 2\n")
        .write("ok.yaml", example("iis-one-way.yaml"))
        .args(["check", "b.yaml", "ok.yaml", "a.yaml", "--format", "json"])
        .status(1)
        .run();
    assert!(out.stdout.ends_with("}\n"));
    let json = out.json();
    let object = json.as_object().unwrap();
    assert_eq!(keys(&json), ["diagnostics", "format_version", "summary", "tool"]);
    assert_eq!(object["format_version"], 1);
    assert_eq!(json["tool"]["name"], "hagen");
    assert_eq!(json["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(keys(&json["tool"]), ["name", "version"]);
    assert_eq!(keys(&json["summary"]), ["errors", "files", "warnings"]);
    assert_eq!(json["summary"]["errors"], 2);
    assert_eq!(json["summary"]["warnings"], 0);
    assert_eq!(json["summary"]["files"], 3);

    let diagnostics = json["diagnostics"].as_array().unwrap();
    let files: Vec<&str> = diagnostics.iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert_eq!(files, ["a.yaml", "b.yaml"], "sorted by file");
    for d in diagnostics {
        assert_eq!(
            keys(d),
            [
                "code",
                "column",
                "end_column",
                "end_line",
                "file",
                "help",
                "line",
                "message",
                "related",
                "severity",
                "snippet"
            ]
        );
        for key in ["code", "severity", "message", "file", "snippet"] {
            assert!(d[key].is_string(), "{key} in {d}");
        }
        assert!(["error", "warning", "note"].contains(&d["severity"].as_str().unwrap()));
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(d[key].as_u64().is_some_and(|n| n >= 1), "{key} in {d}");
        }
        assert!(d["help"].is_string() || d["help"].is_null());
        for r in d["related"].as_array().unwrap() {
            assert_eq!(keys(r), ["column", "end_column", "end_line", "file", "line", "message"]);
        }
    }
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

#[test]
fn json_is_printed_even_when_clean() {
    let out = Test::new()
        .write("ok.yaml", example("iis-one-way.yaml"))
        .args(["check", "--format", "json", "--quiet", "ok.yaml"])
        .run();
    let json = out.json();
    assert_eq!(json["diagnostics"], Value::Array(vec![]));
    assert_eq!(json["summary"]["files"], 1);
}

#[test]
fn human_output_is_plain_and_ends_with_a_summary() {
    let out = Test::new()
        .write("bad.yaml", SYNTAX_ERROR)
        .args(["check", "bad.yaml"])
        .status(1)
        .stderr("")
        .run();
    let expected_start = "  error[yaml-syntax]: ";
    assert!(out.stdout.starts_with(expected_start), "{}", out.stdout);
    for text in [
        "[bad.yaml:2:12]",
        " 2 |   name: web: x",
        "  help: ",
        "\n\n1 error, 0 warnings in 1 file\n",
    ] {
        assert!(out.stdout.contains(text), "{text:?} in\n{}", out.stdout);
    }
    assert!(out.stdout.is_ascii(), "no colour or box drawing when piped");
}

#[test]
fn quiet_prints_nothing_when_clean_and_everything_else_otherwise() {
    Test::new()
        .write("ok.yaml", example("iis-one-way.yaml"))
        .args(["check", "--quiet", "ok.yaml"])
        .stdout("")
        .stderr("")
        .run();
    Test::new()
        .write("bad.yaml", SYNTAX_ERROR)
        .args(["check", "-q", "bad.yaml"])
        .status(1)
        .stdout_contains("error[yaml-syntax]")
        .stdout_contains("1 error, 0 warnings in 1 file\n")
        .run();
    Test::new()
        .args(["check", "-q", "missing.yaml"])
        .status(2)
        .stdout("")
        .stderr("hagen: missing.yaml: no such file or folder\n")
        .run();
}

#[test]
fn deny_warnings_is_accepted_and_leaves_clean_files_clean() {
    // The exit code with warnings present is covered by unit tests in src/app.rs.
    Test::new()
        .write("ok.yaml", example("iis-one-way.yaml"))
        .args(["check", "--deny", "warnings", "ok.yaml"])
        .stdout("0 errors, 0 warnings in 1 file\n")
        .run();
    Test::new()
        .write("bad.yaml", SYNTAX_ERROR)
        .args(["check", "--deny", "warnings", "bad.yaml"])
        .status(1)
        .run();
}

#[test]
fn escape_sequences_in_a_file_or_a_value_do_not_reach_the_terminal() {
    let out = Test::new()
        .write("raw.yaml", "cluster:\n  name: \u{1b}[2Jweb\n")
        .write(
            "escaped.yaml",
            "cluster: { name: \"\\e[2Jweb\" }\nservers: []\ngroups: []\n",
        )
        .args(["check", "raw.yaml", "escaped.yaml"])
        .status(1)
        .stdout_contains("error[yaml-syntax]")
        .stdout_contains("[raw.yaml:2:9]")
        .stdout_contains(" 2 |   name: ?[2Jweb")
        .stdout_contains("error[invalid-value]: `\\u{1b}[2Jweb` contains `\\u{1b}`, which would change what a")
        .run();
    assert!(!out.stdout.contains('\u{1b}'), "{}", out.stdout);
}

#[test]
fn no_color_and_no_escape_sequences_when_piped() {
    let out = Test::new()
        .write("bad.yaml", SYNTAX_ERROR)
        .args(["check", "bad.yaml"])
        .env("CLICOLOR_FORCE", "1")
        .status(1)
        .run();
    assert!(!out.stdout.contains('\u{1b}'), "{}", out.stdout);
}

#[test]
fn names_that_differ_only_in_case_are_duplicates() {
    let file = "\
cluster: { name: c, platform: clusterpro-x-2.1, os: windows-server-2003, language: en }
servers:
  - { name: n1, ip: 10.0.0.1, interconnects: [10.1.0.1] }
  - { name: N1, ip: 10.0.0.2, interconnects: [10.1.0.2] }
groups:
  - { name: web, failover: [n1], ip: 10.0.0.10, apps: [{ product: custom, services: [{ name: A, watch_id: A }] }] }
  - { name: Web, failover: [n1], ip: 10.0.0.11, apps: [{ product: custom, services: [{ name: B, watch_id: B }] }] }
";
    let json = Test::new()
        .write("c.yaml", file)
        .args(["check", "c.yaml", "--format", "json"])
        .status(1)
        .run()
        .json();
    let places: Vec<(String, u64, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "duplicate-name")
        .map(|d| {
            (
                d["snippet"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [("N1".to_string(), 4, 13), ("Web".to_string(), 7, 13)],
        "{json}"
    );
}

/// Progress (`checked N/M files`) is for terminals only: a folder checked into a pipe or a
/// log gets nothing on standard error.
#[test]
fn no_progress_is_printed_when_stderr_is_not_a_terminal() {
    let mut test = Test::new();
    for i in 0..50 {
        test = test.write(&format!("many/c{i}.yaml"), common::example("iis-one-way.yaml"));
    }
    test.args(["check", "many"])
        .stderr("")
        .stdout("0 errors, 0 warnings in 50 files\n")
        .run();
}
