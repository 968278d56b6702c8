//! The machine formats of `check` and `build`: SARIF 2.1.0 and GitHub workflow annotations,
//! beside the JSON of SPEC section 4. The same diagnostics, in the same order, at the same
//! places, in every format; `--deny warnings` decides the exit code whatever the format.

mod common;

use common::Test;
use serde_json::Value;

const CYCLE_AND_WARNING: &str = "\
cluster: { name: c, platform: clusterpro-x-2.1, os: windows-server-2003, language: en }
servers:
  - { name: a, ip: 10.0.0.1, interconnects: [10.1.0.1] }
  - { name: b, ip: 10.0.0.2, interconnects: [10.1.0.2] }
groups:
  - name: g
    failover: [a, b]
    ip: 10.0.0.10
    apps:
      - product: custom
        name: one
        after: [two]
        failover_on_failure: true
        services: [{ name: One, watch_id: OneId }]
      - product: custom
        name: two
        after: [one]
        services: [{ name: Two, watch_id: TwoId }]
";

fn json(args: &[&str]) -> Value {
    Test::new()
        .write("c.yaml", CYCLE_AND_WARNING)
        .args(["check", "c.yaml"])
        .args(args.iter().copied())
        .status(1)
        .run()
        .json()
}

#[test]
fn sarif_carries_every_diagnostic_with_its_rule_and_region() {
    let plain = json(&["--format", "json"]);
    let sarif = json(&["--format", "sarif"]);
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 33);
    let results = run["results"].as_array().unwrap();
    let diagnostics = plain["diagnostics"].as_array().unwrap();
    assert_eq!(results.len(), diagnostics.len());
    assert!(results.len() >= 2, "{plain}");
    for (r, d) in results.iter().zip(diagnostics) {
        assert_eq!(r["ruleId"], d["code"]);
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], d["code"]);
        assert_eq!(r["level"], d["severity"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], d["line"]);
        assert_eq!(region["startColumn"], d["column"]);
        assert_eq!(region["endLine"], d["end_line"]);
        assert_eq!(region["endColumn"], d["end_column"]);
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "c.yaml"
        );
        assert_eq!(
            r["relatedLocations"].as_array().map_or(0, Vec::len),
            d["related"].as_array().unwrap().len()
        );
    }
    assert!(results.iter().any(|r| r["level"] == "warning"));
}

#[test]
fn github_annotations_name_file_line_and_column() {
    let out = Test::new()
        .write("c.yaml", CYCLE_AND_WARNING)
        .args(["check", "c.yaml", "--format", "github"])
        .status(1)
        .run();
    let plain = json(&["--format", "json"]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let diagnostics = plain["diagnostics"].as_array().unwrap();
    assert_eq!(lines.len(), diagnostics.len(), "{}", out.stdout);
    for (line, d) in lines.iter().zip(diagnostics) {
        let kind = if d["severity"] == "error" { "error" } else { "warning" };
        let head = format!(
            "::{kind} file=c.yaml,line={},col={},endLine={},endColumn={},title=hagen {}::",
            d["line"],
            d["column"],
            d["end_line"],
            d["end_column"],
            d["code"].as_str().unwrap()
        );
        assert!(line.starts_with(&head), "{line}\n{head}");
    }
}

#[test]
fn deny_warnings_works_with_every_format() {
    let only_warning = CYCLE_AND_WARNING.replace("        after: [one]\n", "");
    for format in ["human", "json", "sarif", "github"] {
        Test::new()
            .write("w.yaml", &only_warning)
            .args(["check", "w.yaml", "--format", format])
            .status(0)
            .run();
        Test::new()
            .write("w.yaml", &only_warning)
            .args(["check", "w.yaml", "--format", format, "--deny", "warnings"])
            .status(1)
            .run();
    }
}

/// `--format sarif` against the official SARIF 2.1.0 schema (2.1.0-rtm.5), which `.ci/install`
/// fetches from the npm registry into `target/sarif/`. A clean run and a run with errors,
/// warnings and related locations must both validate.
#[test]
fn sarif_is_valid_against_the_official_schema() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sarif/sarif-2.1.0-rtm.5.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}: run .ci/install to fetch the SARIF schema", path.display()));
    let mut schema: Value = serde_json::from_str(&text).unwrap();
    // The `language` patterns of the published schema hold a stray `]`, which ECMA-262 reads
    // as a literal and Rust's regex refuses; escape it, as ECMA-262 means it. hagen does not
    // write `language`.
    fn escape_stray_bracket(value: &mut Value) -> usize {
        match value {
            Value::String(s) if s == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" => {
                *s = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$".to_string();
                1
            }
            Value::Array(items) => items.iter_mut().map(escape_stray_bracket).sum(),
            Value::Object(map) => map.values_mut().map(escape_stray_bracket).sum(),
            _ => 0,
        }
    }
    assert!(escape_stray_bracket(&mut schema) > 0, "the schema changed");
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let failing = json(&["--format", "sarif"]);
    let clean = Test::new()
        .write("ok.yaml", common::example("iis-one-way.yaml"))
        .args(["check", "ok.yaml", "--format", "sarif"])
        .run()
        .json();
    for log in [failing, clean] {
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // The schema is not vacuous: a result without a message is refused.
    let mut broken = json(&["--format", "sarif"]);
    broken["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(!validator.is_valid(&broken));
}
