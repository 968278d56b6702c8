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
    assert_eq!(rules.len(), 26);
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
