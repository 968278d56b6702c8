//! `hagen import`: NEC's reference clp.conf files as cluster files (byte for byte, as insta
//! snapshots in `tests/snapshots/import__*.snap`), what `hagen check` says about them, the refusals, and the round
//! trip through hagen's own packages.

mod common;
#[path = "support/tree.rs"]
mod tree;

use std::fs;
use std::path::{Path, PathBuf};

use common::Test;
use serde_json::Value;
use tree::tree;

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn reference(name: &str) -> PathBuf {
    crate_dir().join("../shared/reference/clpconf-samples").join(name)
}

/// Imports a reference file (copied under its own name, so messages name it the same way
/// wherever the test runs) and checks the result.
fn import_reference(stem: &str) -> (String, Vec<(String, u64)>) {
    let file = format!("{stem}.clp.conf");
    let out = Test::new()
        .write(&file, fs::read(reference(&file)).unwrap())
        .args(["import", file.as_str()])
        .stderr_contains(format!("hagen: imported {file}: 1 groups, "))
        .run();
    let checked = Test::new()
        .write("imported.yaml", &out.stdout)
        .args(["check", "imported.yaml", "--format", "json"])
        .status(1)
        .run();
    let diagnostics = checked
        .diagnostics()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap()))
        .collect();
    (out.stdout, diagnostics)
}

fn owned(list: &[(&str, u64)]) -> Vec<(String, u64)> {
    list.iter().map(|(c, l)| (c.to_string(), *l)).collect()
}

/// The reference files import as recorded; `hagen check` then reports only what clp.conf does
/// not hold: the OS, the servers' public addresses (clp.conf has only heartbeats), a product's
/// own keys, and for IIS without a version or OS the version check that follows from it. A
/// group whose services clp.conf does not name is a group of only its address and disk.
#[test]
fn the_reference_files_import_as_recorded_and_check_with_only_what_they_lack() {
    let cases: [(&str, &[(&str, u64)]); 4] = [
        (
            "01_win_x40_neoface_service_md_fip",
            &[
                ("missing-field", 3),
                ("missing-field", 10),
                ("missing-field", 13),
                ("missing-field", 47),
                ("missing-field", 47),
                ("version-unsupported", 47),
            ],
        ),
        (
            "02_win_x42_basiccluster_md_fip_pingnp",
            &[("missing-field", 3), ("missing-field", 10), ("missing-field", 13)],
        ),
        (
            "03_win_template_script_depend_genw",
            &[
                ("missing-field", 3),
                ("missing-field", 12),
                ("missing-field", 16),
                ("missing-field", 23),
            ],
        ),
        (
            "05_win_generated_createcluster_fip",
            &[("missing-field", 3), ("missing-field", 12), ("missing-field", 15)],
        ),
    ];
    for (stem, expected) in cases {
        let (yaml, diagnostics) = import_reference(stem);
        insta::assert_snapshot!(stem, yaml);
        assert_eq!(diagnostics, owned(expected), "{stem}:\n{yaml}");
        // Every diagnostic sits at a place a note explains.
        for (_, line) in &diagnostics {
            let lines: Vec<&str> = yaml.lines().collect();
            let near = &lines[(*line as usize).saturating_sub(1)..lines.len().min(*line as usize + 3)];
            let before = &lines[..(*line as usize).min(lines.len())];
            assert!(
                near.iter()
                    .chain(before.iter().rev().take(3))
                    .any(|l| l.contains("# note:")),
                "{stem}:{line}: no note near it"
            );
        }
    }
}

#[test]
fn a_linux_configuration_is_refused_in_one_line() {
    let file = "04_linux_x531_md_exec_genw.clp.conf";
    Test::new()
        .write(file, fs::read(reference(file)).unwrap())
        .args(["import", file])
        .status(2)
        .stdout("")
        .stderr(format!(
            "hagen: {file}: a CLUSTERPRO for Linux configuration (<serveros>linux</serveros>); hagen describes Windows clusters only\n"
        ))
        .run();
}

#[test]
fn unreadable_input_is_one_line_and_exit_2() {
    Test::new()
        .args(["import", "missing.conf"])
        .status(2)
        .stderr_contains("hagen: missing.conf: ")
        .run();
    Test::new()
        .write("clp.conf", "this is not XML <")
        .args(["import", "clp.conf"])
        .status(2)
        .stderr_contains("hagen: clp.conf: not ")
        .run();
    // A name with a line break in a broken tag is escaped: the message stays one line.
    Test::new()
        .write("clp.conf", "<root><a>\n</x\ny></root>")
        .args(["import", "clp.conf"])
        .status(2)
        .stderr(
            "hagen: clp.conf: not XML: ill-formed document: expected `</a>`, but `</x\\ny>` was found (at byte 16)\n",
        )
        .run();
    Test::new()
        .write("clp.conf", "<?xml version=\"1.0\"?>\n<config/>\n")
        .args(["import", "clp.conf"])
        .status(2)
        .stderr("hagen: clp.conf: not a clp.conf: the document element is not `<root>`\n")
        .run();
    Test::new()
        .write(
            "clp.conf",
            fs::read(reference("05_win_generated_createcluster_fip.clp.conf")).unwrap(),
        )
        .args(["import", "clp.conf", "--scripts", "nowhere"])
        .status(2)
        .stderr("hagen: nowhere: not a folder\n")
        .run();
    // A file name cannot drive the terminal: its control characters are shown escaped.
    Test::new()
        .write("a\u{1b}[2J.conf", "this is not XML <")
        .args(["import", "a\u{1b}[2J.conf"])
        .status(2)
        .stderr_contains("hagen: a\\u{1b}[2J.conf: not ")
        .run();
}

fn fixture(name: &str) -> PathBuf {
    crate_dir().join("tests/fixtures/import").join(name)
}

/// `hagen import` of a fixture's clp.conf with its `scripts` folder: the printed YAML, after
/// asserting the summary line (`counts`: "N groups, M notes").
fn import_fixture(name: &str, counts: &str) -> String {
    let dir = fixture(name);
    Test::new()
        .write("clp.conf", fs::read(dir.join("clp.conf")).unwrap())
        .args([
            "import".into(),
            "clp.conf".into(),
            "--scripts".into(),
            dir.join("scripts").into_os_string(),
        ])
        .stderr(format!("hagen: imported clp.conf: {counts} (`# note:` lines)\n"))
        .run()
        .stdout
}

/// The codes and lines `hagen check` reports on an imported file (exiting with `status`).
fn check_codes(yaml: &str, status: i32) -> Vec<(String, u64)> {
    Test::new()
        .write("imported.yaml", yaml)
        .args(["check", "imported.yaml", "--format", "json"])
        .status(status)
        .run()
        .diagnostics()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap()))
        .collect()
}

/// tests/fixtures/import/armkill: script1's folder holds only a stop.bat, script2's start.bat
/// starts REPORT that its stop.bat never stops, and its stop.bat stops EMLDAP (ExpressMail's
/// LDAP service) that its start.bat never starts. Every service either script names is
/// imported, each disagreement is a note, and the ARMKILL of a service the catalog does not
/// know (its name is not in stop.bat) is a note instead of an app.
#[test]
fn services_are_recognised_from_stop_bat_too_and_disagreements_are_noted() {
    let yaml = import_fixture("armkill", "1 groups, 10 notes");
    insta::assert_snapshot!("armkill", yaml);
    for note in [
        "    # note: script1 has a stop.bat but no start.bat: its services are recognised from the ARMKILL lines, without the ARMLOAD options (`/M`, `/FOV`)\n",
        "    # note: `ARMKILL ORDERSVC` in script1's stop.bat names no service of the catalog, and stop.bat does not hold the service's name: add it to a `custom` app\n",
        "    # note: script2's start.bat starts `REPORT` (ARMLOAD), which its stop.bat never stops (ARMKILL)\n",
        "    # note: script2's stop.bat stops `EMLDAP` (ARMKILL), which its start.bat never starts (ARMLOAD)\n",
        "        # note: the scripts control only imap, http, ldap of ExpressMail's services; hagen controls them all\n",
    ] {
        assert!(yaml.contains(note), "{note}{yaml}");
    }
    // Only stop.bat names ExpressMail; BATCH, stopped by both, draws no disagreement.
    assert!(yaml.contains("      - product: expressmail\n"), "{yaml}");
    assert!(!yaml.contains("`BATCH`"), "{yaml}");
    assert!(!yaml.contains("ORDERSVC }"), "{yaml}");
    // What check then asks for is what clp.conf and the scripts do not hold: the OS, the
    // public addresses, and ExpressMail's own keys.
    assert_eq!(
        check_codes(&yaml, 1),
        owned(&[
            ("missing-field", 3),
            ("missing-field", 10),
            ("missing-field", 13),
            ("missing-field", 27),
            ("missing-field", 27),
            ("missing-field", 27),
            ("missing-field", 27),
        ])
    );
}

/// tests/fixtures/import/charset: the same cluster in Shift_JIS (a Japanese comment and group
/// name) declared and named SJIS, named SJIS without an XML declaration, declared SJIS but named
/// ASCII in `<all><charset>`, and in ASCII. The bytes are decoded by the declaration, else by
/// the charset; the language follows the charset; a disagreement is a note.
#[test]
fn the_encoding_comes_from_the_declaration_else_the_charset_and_a_disagreement_is_noted() {
    let disagreement = "  # note: the XML declaration says encoding=\"SJIS\" but <all><charset> says ASCII: read as SJIS, \
                        as an XML reader does; CLUSTERPRO goes by the charset\n";
    let japanese = "  # note: the group `営業グループ` has a name hagen cannot use; rename it and add it\n";
    let cases = [
        ("sjis", "ja", true, false),
        ("sjis-undeclared", "ja", true, false),
        ("sjis-declared-ascii-charset", "en", true, true),
        ("ascii", "en", false, false),
    ];
    for (stem, language, sjis, disagrees) in cases {
        let file = format!("{stem}.clp.conf");
        let yaml = Test::new()
            .write(&file, fs::read(fixture("charset").join(&file)).unwrap())
            .args(["import", file.as_str()])
            .run()
            .stdout;
        insta::assert_snapshot!(format!("charset-{stem}"), yaml);
        assert!(yaml.contains(&format!("\n  language: {language}\n")), "{stem}:\n{yaml}");
        assert_eq!(yaml.contains(japanese), sjis, "{stem}:\n{yaml}");
        assert_eq!(yaml.contains("\n  - name: sales-main\n"), !sjis, "{stem}:\n{yaml}");
        assert_eq!(yaml.contains(disagreement), disagrees, "{stem}:\n{yaml}");
        // check asks only for what clp.conf does not hold: the OS and the public addresses (a
        // group may hold only its address and disk, so its apps are not asked for).
        let codes = check_codes(&yaml, 1);
        assert_eq!(codes.len(), 3, "{stem}: {codes:?}");
        assert!(codes.iter().all(|(c, _)| c == "missing-field"), "{stem}: {codes:?}");
    }
    // Declared ASCII, named SJIS, and Shift_JIS bytes: not readable as declared.
    let sjis = fs::read(fixture("charset").join("sjis.clp.conf")).unwrap();
    let text = encoding_rs::SHIFT_JIS
        .decode(&sjis)
        .0
        .replace("encoding=\"SJIS\"", "encoding=\"ASCII\"");
    Test::new()
        .write("clp.conf", encoding_rs::SHIFT_JIS.encode(&text).0)
        .args(["import", "clp.conf"])
        .status(2)
        .stdout("")
        .stderr("hagen: clp.conf: the file declares ASCII but holds other bytes (<all><charset> says SJIS)\n")
        .run();
}

/// tests/fixtures/import/hostile: names and values made to change what the printed YAML means
/// (`a: b`, `#x`, `- x`, `{`, line breaks through `&#10;`, NEL and LINE SEPARATOR, ESC, tab and
/// BEL, `%`, `&`, quotes, a 400-character name, a server given two volume GUIDs) in every place
/// the importer reads, and in the scripts' ARMLOAD and ARMKILL lines. The YAML it prints
/// parses, means exactly the values that passed their allowlists (compared as data), and says
/// every other one only in a one-line note; `hagen check` finds no YAML error, only what
/// follows from the values left out.
#[test]
fn hostile_values_are_left_out_with_a_note_never_printed_as_yaml() {
    let yaml = import_fixture("hostile", "1 groups, 37 notes");
    insta::assert_snapshot!("hostile", yaml);
    let read: Value = serde_saphyr::from_str(&yaml).unwrap();
    let expected = serde_json::json!({
        "cluster": {"platform": "clusterpro-x-5.1", "language": "en"},
        "servers": [
            {"name": "s1", "interconnects": ["10.0.0.1"]},
            {"name": "s2", "interconnects": []},
        ],
        "groups": [{
            "name": "g1",
            "failover": ["s1", "s2"],
            "ip": "10.0.0.10",
            "disk": {"drive": "S:", "volume_guids": {"s1": "{6a7b8c9d-0000-4000-8000-000000000001}"}},
            "after": ["g0"],
            "control": "service-resources",
            "registry": ["HKEY_LOCAL_MACHINE\\SOFTWARE\\Good"],
            "apps": [
                {"product": "custom", "name": "services", "services": [{"name": "Spooler", "watch_id": "W1"}]},
                // `a: b` is a legal Windows service name (any character but `/` and `\\`), kept quoted.
                {"product": "custom", "name": "script1-services", "services": [{"name": "a: b", "watch_id": "W2"}, {"name": "Print Queue", "watch_id": "W4"}]},
            ],
        }],
    });
    assert_eq!(read, expected, "{yaml}");
    // Every line is YAML hagen wrote or a whole comment: no value starts a line of its own.
    for line in yaml.lines() {
        let code = line.trim_start();
        assert!(
            code.is_empty()
                || code.starts_with('#')
                || code.starts_with("- ")
                || code
                    .split_once(':')
                    .is_some_and(|(k, _)| k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')),
            "a line hagen did not mean: {line:?}"
        );
        assert!(!line.contains(['\r', '\u{85}', '\u{2028}']), "{line:?}");
    }
    for shown in [
        "the cluster's name `a: b`",
        "the server `#x`",
        "the server `- x`",
        "the server `evil\\nplatform: clusterpro-6.0`",
        "the group `{`",
        "the group `%PATH%`",
        "the group `a&b`",
        "the group `q\"'`",
        " (400 characters)` has a name hagen cannot use",
        "the failover policy names the server `s2\\n- injected`",
        "further floating IPs are not described by hagen: 10.0.0.11\\nip: 1.2.3.4",
        "monitors not described by hagen: g\\ncluster: evil\\u{85}\\u{2028} (genw)",
        "`HKEY_LOCAL_MACHINE\\SOFTWARE\\x\\n- HKEY_LOCAL_MACHINE\\Y` is not a registry key",
        "the service resource `svc1` names the app `a: b`",
        "`ARMLOAD W%3` in script1's start.bat is not a service line",
        "s1: a second volume GUID `{6a7b8c9d-0000-4000-8000-000000000003}` is left out",
        "the group `red\\u{1b}[31m`",
        "`HKEY_LOCAL_MACHINE\\SOFTWARE\\tab\\tbell\\u{7}` is not a registry key",
    ] {
        assert!(yaml.contains(shown), "no note shows {shown}:\n{yaml}");
    }
    assert_eq!(
        check_codes(&yaml, 1),
        owned(&[
            ("missing-field", 3),
            ("missing-field", 3),
            ("missing-field", 13),
            ("missing-field", 16),
            ("invalid-value", 16),
            ("volume-guid-missing", 46),
            ("unknown-reference", 54),
        ])
    );
}

/// The keys of an app that neither clp.conf nor the scripts hold: what the product is
/// (version, edition, placement, features), where it lives (install_dir, data_dir,
/// content_dir), its account and site binding, and the app's own name, start order and ports.
/// The importer notes the product's required ones; the round trip takes them all from the
/// example.
const APP_KEYS_NOT_HELD: [&str; 12] = [
    "version",
    "edition",
    "placement",
    "features",
    "install_dir",
    "data_dir",
    "content_dir",
    "service_account",
    "site_binding",
    "name",
    "after",
    "ports",
];

/// build -> import (clp.conf + --scripts) -> build gives the same package byte for byte, for
/// every example whose platform has clp.conf, once the cluster file is completed with exactly
/// what clp.conf and the scripts cannot hold: [`APP_KEYS_NOT_HELD`], the packet filter
/// (`firewall`, which clp.conf does not describe), the `inventory`, the cluster's `features`
/// (forced stop and chassis identify are set up by hand, from the runbook) and a group's
/// `hostname` (a DNS name, which only the runbook's DNS steps mention). Everything else —
/// cluster, platform (from the scripts' header), OS and public addresses (from the runbook),
/// interconnects, groups, failover order, addresses, disks, registry keys, computer names,
/// start order between groups, control, products and their services, custom services with
/// their watch ids, ARMLOAD options — comes from the import, and must equal the example.
#[test]
fn hagen_packages_round_trip_through_import() {
    let mut done = 0;
    for entry in fs::read_dir(crate_dir().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let package = crate_dir().join("tests/expected").join(&stem);
        if !package.join("clp.conf").exists() {
            continue;
        }
        let imported = Test::new()
            .args([
                "import".into(),
                package.join("clp.conf").into_os_string(),
                "--scripts".into(),
                package.clone().into_os_string(),
            ])
            .run();
        let example: Value = serde_saphyr::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let mut completed: Value = serde_saphyr::from_str(&imported.stdout).unwrap();
        for key in ["firewall", "inventory"] {
            if let Some(v) = example.get(key) {
                completed[key] = v.clone();
            }
        }
        if let Some(v) = example["cluster"].get("features") {
            completed["cluster"]["features"] = v.clone();
        }
        let groups = example["groups"].as_array().unwrap();
        for (g, group) in groups.iter().enumerate() {
            if let Some(v) = group.get("hostname") {
                completed["groups"][g]["hostname"] = v.clone();
            }
            // Apps are matched by what they control: the import lists them in start order,
            // the example in the order its author chose, which clp.conf does not keep and the
            // runbook follows (in-house-services' runbook differs when built in start order).
            let imported_apps = completed["groups"][g]["apps"].as_array().cloned().unwrap_or_default();
            let Some(apps) = group["apps"].as_array() else {
                // A group of only its address and disk.
                assert!(imported_apps.is_empty(), "{stem}");
                continue;
            };
            let mut ordered = Vec::new();
            for app in apps {
                let mut found = imported_apps
                    .iter()
                    .find(|i| i["product"] == app["product"] && i["services"] == app["services"])
                    .unwrap_or_else(|| panic!("{stem}: no imported app like {app}:\n{}", imported.stdout))
                    .clone();
                for key in APP_KEYS_NOT_HELD {
                    if let Some(v) = app.get(key) {
                        found[key] = v.clone();
                    }
                }
                ordered.push(found);
            }
            assert_eq!(ordered.len(), imported_apps.len(), "{stem}");
            completed["groups"][g]["apps"] = Value::Array(ordered);
        }
        assert_eq!(completed, example, "{stem}: imported\n{}", imported.stdout);
        // The completed file, as JSON (which is YAML), under the example's name.
        let name = format!("{stem}.yaml");
        let built = Test::new()
            .write(&name, serde_json::to_string_pretty(&completed).unwrap())
            .args(["build", name.as_str(), "--out", "dist"])
            .run();
        let rebuilt = tree(&built.tempdir.path().join("dist"));
        let expected = tree(&package);
        assert_eq!(
            rebuilt.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "{stem}"
        );
        for (file, bytes) in &expected {
            assert!(rebuilt[file] == *bytes, "{stem}: {file} differs after the round trip");
        }
        done += 1;
    }
    assert_eq!(done, 6, "the examples with clp.conf");
}
