//! One fixture pair per diagnostic code, in `tests/fixtures/codes/`:
//!
//! - `<code>.yaml` starts with `# expect: <code> at LINE:COLUMN` and must raise that code at
//!   that place (the place is asserted apart from the wording, which may change);
//! - `<code>.ok.yaml` is the same cluster with the problem fixed, and must check clean.
//!
//! The rendered human output of every failing fixture is a snapshot, so a change in wording
//! or layout is reviewed, not accidental.

mod common;

use std::fs;
use std::path::PathBuf;

use hagen::catalog::Catalog;
use hagen::diag::Code;
use hagen::pipeline::check_file;
use hagen::render::human::{HumanRenderer, Style};
use hagen::source::SourceFile;

fn fixture(name: &str) -> SourceFile {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/codes")
        .join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    SourceFile::new(format!("tests/fixtures/codes/{name}"), text)
}

/// `(code, line, column)` from `# expect: CODE at LINE:COLUMN`.
fn expectation(file: &SourceFile) -> (String, usize, usize) {
    match common::expectation(&file.text) {
        Some(common::Expect {
            code,
            at: Some((line, column)),
        }) => (code, line, column),
        _ => panic!("{}: first line is not `# expect: CODE at LINE:COLUMN`", file.name),
    }
}

#[test]
fn every_code_has_a_fixture_that_raises_exactly_it_at_its_place() {
    let catalog = Catalog::builtin();
    let mut failures = Vec::new();
    for &code in Code::ALL.iter().filter(|c| !c.script_only()) {
        let file = fixture(&format!("{}.yaml", code.name()));
        let (expected, line, column) = expectation(&file);
        assert_eq!(expected, code.name(), "{}", file.name);
        // Exactly the one diagnostic the fixture is about: a fixture that raises more would
        // hide a rule firing where it should not.
        let found: Vec<(&str, usize, usize)> = check_file(&file, catalog)
            .iter()
            .map(|d| {
                let at = file.position(d.span.start);
                assert_eq!(d.severity, d.code.severity());
                assert!(!d.message.is_empty());
                (d.code.name(), at.line, at.column)
            })
            .collect();
        if found != [(code.name(), line, column)] {
            failures.push(format!(
                "{}: expected only {code} at {line}:{column}, got {found:?}",
                file.name
            ));
        }
    }
    common::assert_no_failures("fixtures that do not raise exactly their code", failures);
}

#[test]
fn every_fixed_fixture_checks_clean() {
    let catalog = Catalog::builtin();
    for &code in Code::ALL.iter().filter(|c| !c.script_only()) {
        let file = fixture(&format!("{}.ok.yaml", code.name()));
        let diagnostics = check_file(&file, catalog);
        assert!(diagnostics.is_empty(), "{}: {diagnostics:#?}", file.name);
    }
}

#[test]
fn no_fixture_lacks_a_code() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/codes");
    for entry in fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name == "scripts" {
            // The script pairs of `hagen lint-scripts`, checked by tests/lint.rs.
            continue;
        }
        let stem = name.trim_end_matches(".yaml").trim_end_matches(".ok");
        assert!(Code::from_name(stem).is_some(), "{name} names no code");
    }
}

#[test]
fn rendered_diagnostics_of_every_fixture() {
    let catalog = Catalog::builtin();
    let renderer = HumanRenderer::new(Style::PLAIN);
    for &code in Code::ALL.iter().filter(|c| !c.script_only()) {
        let file = fixture(&format!("{}.yaml", code.name()));
        let rendered: String = check_file(&file, catalog)
            .iter()
            .map(|d| renderer.render(&file, d))
            .collect();
        insta::assert_snapshot!(code.name(), rendered);
    }
}

/// SPEC section 6: a value that would put `% ^ & | < > " !` or a line break into a script, or
/// `..`, `\`, `/`, `:` into a generated path, is `invalid-value`, whichever field it is in
/// (names included: a group name becomes a folder, a server name a file name).
#[test]
fn injection_into_a_script_or_a_path_is_an_invalid_value_at_its_place() {
    let catalog = Catalog::builtin();
    let base = fixture("invalid-value.ok.yaml").text;
    let cases = [
        ("name: app-cluster", "name: 'app%cluster%'", "'app%cluster%'"),
        ("name: app\n", "name: '../app'\n", "'../app'"),
        ("name: app\n", "name: 'scripts/app'\n", "'scripts/app'"),
        ("name: app\n", "name: 'app\\x'\n", "'app\\x'"),
        ("name: app\n", "name: 'C:app'\n", "'C:app'"),
        ("name: app\n", "name: \"app\\nGOTO EXIT\"\n", "\"app\\nGOTO EXIT\""),
        ("{ name: n1,", "{ name: 'n1|calc',", "'n1|calc'"),
        ("[n1, n2]", "['n1>x', n2]", "'n1>x'"),
        ("product: custom,", "product: custom, name: 'a^b',", "'a^b'"),
        ("name: AppSvc,", "name: 'App\"Svc',", "'App\"Svc'"),
        ("name: AppSvc,", "name: 'App/Svc',", "'App/Svc'"),
        ("watch_id: APPSVC", "watch_id: 'APP<SVC'", "'APP<SVC'"),
        ("watch_id: APPSVC", "watch_id: 'APP/SVC'", "'APP/SVC'"),
    ];
    for (from, to, value) in cases {
        assert!(base.contains(from), "{from}");
        let file = SourceFile::new("injection.yaml", base.replacen(from, to, 1));
        let diagnostics = check_file(&file, catalog);
        let found = diagnostics
            .iter()
            .find(|d| d.code == Code::InvalidValue)
            .unwrap_or_else(|| panic!("{to}: no invalid-value in {diagnostics:#?}"));
        assert_eq!(file.slice(found.span.clone()), value, "{to}: {found:#?}");
        assert!(
            diagnostics.iter().all(|d| d.code != Code::InvalidName),
            "{to}: {diagnostics:#?}"
        );
    }
}
