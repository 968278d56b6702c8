//! Every value the cluster file declares reaches the runbook and the review page: each group's
//! failover policy, floating IP, host name, virtual computer name, disk and volume GUIDs,
//! registry keys and scripts; each app's settings (service account, folders, ...) and the
//! services it sets to manual; the services a product must never stop; the prerequisites of
//! the guides' 動作環境 sections; and the profiles `--profiles` changed.

mod common;

use std::fs;
use std::path::Path;

use hagen::catalog::Catalog;
use hagen::pipeline::check_and_plan;
use hagen::plan::Plan;
use hagen::source::SourceFile;

use common::{Test, assert_no_failures};

fn plan(path: &Path) -> Plan {
    let file = SourceFile::new(
        path.file_name().unwrap().to_string_lossy(),
        // The values are matched in English: a file in Japanese is planned in English here
        // (`tests/japanese.rs` proves the Japanese runbook).
        fs::read_to_string(path)
            .unwrap()
            .replace("language: ja", "language: en"),
    );
    check_and_plan(&file, Catalog::builtin(), true).1.expect("a plan")
}

fn runbook_text(plan: &Plan) -> String {
    String::from_utf8(hagen::emit::runbook::runbook(plan)).unwrap()
}

/// Markdown escapes removed, so that values are found as written in the cluster file.
fn unescaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            out.push(chars.next().unwrap());
        } else {
            out.push(c);
        }
    }
    out
}

/// An override of the built-in `iis` that changes only the product's source.
const OVERRIDE: &str = "id: iis\nsource: \"customer X's validation 2026-03\"\n";

/// `hagen report` of the cluster file at `path`, with `profile` as the one file of --profiles.
fn review_page(path: &Path, profile: Option<&str>) -> String {
    let mut test = Test::new().write(
        "cluster.yaml",
        fs::read_to_string(path)
            .unwrap()
            .replace("language: ja", "language: en"),
    );
    let mut args = vec!["report", "cluster.yaml", "--out", "page.html"];
    if let Some(profile) = profile {
        test = test.write("profiles/iis-source.yaml", profile);
        args.extend(["--profiles", "profiles"]);
    }
    let out = test.args(args).run();
    fs::read_to_string(out.tempdir.path().join("page.html")).unwrap()
}

#[test]
fn every_declared_value_of_every_example_is_in_its_runbook() {
    let mut failures = Vec::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for path in files {
        let plan = plan(&path);
        let text = unescaped(&runbook_text(&plan));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut expect = |what: String| {
            if !text.contains(&what) {
                failures.push(format!("{name}: `{what}` is not in the runbook"));
            }
        };
        for group in &plan.groups {
            expect(format!("failover policy {}", group.policy.join(" -> ")));
            expect(format!("floating IP {}", group.fip.value));
            if let Some(host) = &group.hostname {
                expect(format!("host name {host}"));
            }
            if let Some(vcom) = &group.vcom {
                expect(format!("virtual computer name {}", vcom.value));
            }
            for (server, guid) in group.disk.iter().flat_map(|d| &d.value.guids) {
                expect(format!("{server} {guid}"));
            }
            for (server, data, part) in group.mirror.iter().flat_map(|m| &m.value.guids) {
                expect(format!("{server} {data}"));
                expect(format!("{server} {part}"));
            }
            for key in group.regsync.iter().flat_map(|r| &r.value) {
                expect(key.key.clone());
            }
            if let Some(dir) = group.script_dir(&plan.platform) {
                expect(format!("{dir}/start.bat"));
            }
            for app in &group.apps {
                for (key, value) in &app.settings {
                    expect(format!("{key} {value}"));
                }
            }
            for service in &group.start {
                expect(service.service.clone());
            }
        }
    }
    assert_no_failures("declared values", failures);
}

#[test]
fn never_stop_services_and_prerequisites_are_in_the_runbook_and_the_review_page() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/surfnavi.yaml");
    let out = Test::new()
        .write(
            "surfnavi.yaml",
            fs::read_to_string(&path)
                .unwrap()
                .replace("language: ja", "language: en"),
        )
        .args(["build", "surfnavi.yaml", "--out", "dist"])
        .run();
    let dist = out.tempdir.path().join("dist");
    let runbook = unescaped(&fs::read_to_string(dist.join("runbook.md")).unwrap());
    let report = review_page(&path, None);
    for text in [&runbook, &report] {
        assert!(
            text.contains("leave the service ICPFSrv running"),
            "never-stop service missing"
        );
        assert!(text.contains("formatted NTFS"), "NTFS prerequisite missing");
        assert!(
            text.contains("TCP/IP protocol is installed"),
            "TCP/IP prerequisite missing"
        );
    }
    // The prerequisites come before anything is installed.
    let prerequisites = runbook.find("Before installing: prerequisites").unwrap();
    let install = runbook.find("Install SURFNAVI").unwrap();
    assert!(prerequisites < install);
    // The runbook names the documents its steps cite.
    assert!(runbook.contains("- PP guide (SURFNAVI): CLUSTERPRO X for Windows PP Guide (SURFNAVI), 1st edition"));
}

#[test]
fn a_profile_override_is_named_in_the_runbook_and_the_review_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Test::new()
        .write("profiles/iis-source.yaml", OVERRIDE)
        .write(
            "iis.yaml",
            fs::read_to_string(root.join("examples/iis-one-way.yaml")).unwrap(),
        )
        .args(["build", "iis.yaml", "--out", "dist", "--profiles", "profiles"])
        .run();
    let dist = out.tempdir.path().join("dist");
    let runbook = unescaped(&fs::read_to_string(dist.join("runbook.md")).unwrap());
    let report = review_page(&root.join("examples/iis-one-way.yaml"), Some(OVERRIDE));
    for text in [&runbook, &report] {
        assert!(
            text.contains("iis (overrides the built-in profile: "),
            "override missing"
        );
        assert!(text.contains("iis-source.yaml"), "profile file missing");
    }
    // Without --profiles, nothing is said about profiles.
    let plain = Test::new()
        .write(
            "iis.yaml",
            fs::read_to_string(root.join("examples/iis-one-way.yaml")).unwrap(),
        )
        .args(["build", "iis.yaml", "--out", "dist"])
        .run();
    let runbook = fs::read_to_string(plain.tempdir.path().join("dist/runbook.md")).unwrap();
    assert!(!runbook.contains("--profiles"));
}
