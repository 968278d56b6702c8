//! User profiles (`--profiles DIR`, SPEC sections 1 and 3): a new id adds a product or a
//! platform, a built-in id overrides the keys the file has, and every problem of a profile is
//! a diagnostic at its line and column in the profile file.
//!
//! `tests/fixtures/profiles/errors/*.yaml` start with `# expect: CODE at LINE:COLUMN`, like the
//! fixtures of the codes.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use hagen::catalog::{Catalog, ProfileLoad};
use hagen::diag::Code;
use hagen::pipeline::check_file;
use hagen::source::SourceFile;

fn fixtures(dir: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/profiles")
        .join(dir)
}

fn load(path: &Path) -> Catalog {
    Catalog::with_profiles(path).unwrap_or_else(|e| panic!("{}:\n{e}", path.display()))
}

fn failure(path: &Path) -> ProfileLoad {
    match Catalog::with_profiles(path) {
        Ok(_) => panic!("{} loads", path.display()),
        Err(e) => e,
    }
}

fn codes(text: &str, catalog: &Catalog) -> Vec<&'static str> {
    check_file(&SourceFile::new("t.yaml", text), catalog)
        .iter()
        .map(|d| d.code.name())
        .collect()
}

const ACME: &str = r#"cluster: { name: q, platform: clusterpro-x-4.2, os: windows-server-2019, language: en }
servers:
  - { name: n1, ip: 192.168.60.11, interconnects: [10.0.6.11] }
  - { name: n2, ip: 192.168.60.12, interconnects: [10.0.6.12] }
groups:
  - name: queue
    failover: [n1, n2]
    ip: 192.168.60.100
    apps:
      - { product: acme-queue, version: "3.4", install_dir: 'C:\Acme\Queue' }
"#;

#[test]
fn a_new_product_can_be_used_by_a_cluster() {
    let builtin = Catalog::builtin();
    assert_eq!(codes(ACME, builtin), ["unknown-reference"]);
    let catalog = load(&fixtures("good"));
    assert_eq!(codes(ACME, &catalog), Vec::<&str>::new());
    let acme = catalog.product("acme-queue").unwrap();
    assert_eq!(acme.services.len(), 2);
    assert_eq!(
        catalog.origin("acme-queue").map(|o| o.ends_with("acme-queue.yaml")),
        Some(true)
    );
    assert_eq!(catalog.origin("expressmail"), None);
    // Its facts are checked like a built-in's: the version matrix, the required key.
    assert_eq!(
        codes(&ACME.replace("\"3.4\"", "\"3.1\""), &catalog),
        ["version-unsupported"]
    );
    assert_eq!(
        codes(&ACME.replace(", install_dir: 'C:\\Acme\\Queue'", ""), &catalog),
        ["missing-field"]
    );
    // Built-in profiles are all still there.
    assert_eq!(catalog.platforms.len(), builtin.platforms.len());
    assert_eq!(catalog.products.len(), builtin.products.len() + 1);
}

#[test]
fn an_override_replaces_the_keys_it_has_and_keeps_the_others() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/codes");
    let unsupported = fs::read_to_string(path.join("version-unsupported.yaml")).unwrap();
    let supported = fs::read_to_string(path.join("version-unsupported.ok.yaml")).unwrap();
    let builtin = Catalog::builtin();
    assert_eq!(codes(&unsupported, builtin), ["version-unsupported"]);
    assert_eq!(codes(&supported, builtin), Vec::<&str>::new());

    let catalog = load(&fixtures("good"));
    // The customer's matrix has IIS 6.0 on Windows 2000 Server: the verdict turns...
    assert_eq!(codes(&unsupported, &catalog), Vec::<&str>::new());
    // ...and it replaced the built-in matrix as a whole.
    assert_eq!(codes(&supported, &catalog), ["version-unsupported"]);
    let iis = catalog.product("iis").unwrap();
    assert_eq!(iis.versions.len(), 1);
    assert_eq!(iis.versions[0].source, "customer X's validation 2026-03");
    // Every other fact is the built-in's.
    let original = builtin.product("iis").unwrap();
    assert_eq!(iis.name, original.name);
    assert_eq!(iis.services.len(), original.services.len());
    assert_eq!(iis.standby.len(), original.standby.len());
    assert_eq!(iis.keys.len(), original.keys.len());
    assert_eq!(iis.notes.len(), original.notes.len());
    assert!(catalog.origin("iis").is_some());
}

#[test]
fn the_worked_example_loads_and_checks_a_cluster() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("profiles/examples");
    let catalog = load(&dir);
    let product = catalog.product("infocage-serverwall").unwrap();
    assert!(product.services.iter().all(|s| s.name.starts_with("CONFIRM")));
    let cluster = r#"cluster: { name: fw, platform: clusterpro-8.0, os: windows-server-2003, language: en }
servers:
  - { name: sv1, ip: 192.168.1.11, interconnects: [10.0.1.11] }
  - { name: sv2, ip: 192.168.1.12, interconnects: [10.0.1.12] }
groups:
  - name: fw
    failover: [sv1, sv2]
    ip: 192.168.1.100
    apps:
      - { product: infocage-serverwall, version: "4.0", install_dir: 'C:\ServerWall' }
"#;
    assert_eq!(codes(cluster, &catalog), Vec::<&str>::new());
}

/// (code, line, column) from `# expect: CODE at LINE:COLUMN`.
fn expectation(text: &str, name: &str) -> (String, usize, usize) {
    match common::expectation(text) {
        Some(common::Expect {
            code,
            at: Some((line, column)),
        }) => (code, line, column),
        _ => panic!("{name}: first line is not `# expect: CODE at LINE:COLUMN`"),
    }
}

fn assert_expected(load: &ProfileLoad, path: &Path) {
    let text = fs::read_to_string(path).unwrap();
    let name = path.display().to_string();
    let (code, line, column) = expectation(&text, &name);
    assert!(Code::from_name(&code).is_some(), "{name}: `{code}` is no code");
    assert!(load.io.is_empty(), "{name}: {:?}", load.io);
    assert_eq!(load.exit_code(), 1);
    let (file, diagnostics) = load
        .files
        .iter()
        .find(|(f, _)| Path::new(&f.name) == path)
        .unwrap_or_else(|| panic!("{name}: no diagnostics for the file: {load}"));
    let found = diagnostics
        .iter()
        .find(|d| d.code.name() == code)
        .unwrap_or_else(|| panic!("{name}: `{code}` not raised: {load}"));
    let at = file.position(found.span.start);
    assert_eq!(
        (at.line, at.column),
        (line, column),
        "{name}: `{code}` at the wrong place: {load}"
    );
    assert!(!found.message.is_empty());
}

#[test]
fn every_kind_of_profile_error_is_reported_at_its_place_in_the_profile() {
    let mut paths: Vec<PathBuf> = fs::read_dir(fixtures("errors"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 15, "{paths:?}");
    for path in paths {
        assert_expected(&failure(&path), &path);
    }
}

#[test]
fn two_profiles_with_one_id_are_a_duplicate() {
    let load = failure(&fixtures("duplicate"));
    assert_eq!(load.files.len(), 1, "{load}");
    assert_expected(&load, &fixtures("duplicate").join("b.yaml"));
}

#[test]
fn errors_in_several_profiles_are_all_reported() {
    let load = failure(&fixtures("errors"));
    assert!(load.files.len() >= 10, "{load}");
}

#[test]
fn an_unknown_key_gets_a_did_you_mean() {
    let load = failure(&fixtures("errors/override-typo.yaml"));
    let d = &load.files[0].1[0];
    assert_eq!(d.help.as_deref(), Some("did you mean `versions`?"));
    let load = failure(&fixtures("errors/unknown-field.yaml"));
    let d = load.files[0].1.iter().find(|d| d.code == Code::UnknownField).unwrap();
    assert_eq!(d.help.as_deref(), Some("did you mean `watch_id`?"));
    let load = failure(&fixtures("errors/unknown-product.yaml"));
    assert_eq!(load.files[0].1[0].help.as_deref(), Some("did you mean `iis`?"));
}

#[test]
fn a_folder_that_cannot_be_read_is_an_io_error() {
    let missing = fixtures("no-such-folder");
    let load = failure(&missing);
    assert_eq!(load.exit_code(), 2);
    assert_eq!(load.io.len(), 1);
    assert!(load.to_string().contains("no-such-folder"), "{load}");

    let empty = tempfile::tempdir().unwrap();
    let load = failure(empty.path());
    assert_eq!(load.exit_code(), 2);
    assert!(load.io[0].reason.contains("no *.yaml"), "{load}");

    fs::write(empty.path().join("latin1.yaml"), b"id: caf\xe9\n").unwrap();
    let load = failure(empty.path());
    assert_eq!(load.exit_code(), 2);
    assert!(load.io[0].reason.contains("UTF-8"), "{load}");
}

#[test]
fn an_override_that_takes_away_a_service_a_port_needs_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("iis.yaml");
    fs::write(
        &path,
        "id: iis\nservices:\n  - { key: web, name: W3SVC, watch_id: WWW, source: \"customer X\" }\n",
    )
    .unwrap();
    let load = failure(dir.path());
    let (file, diagnostics) = &load.files[0];
    let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::UnknownReference, Code::UnknownReference], "{load}");
    assert_eq!(file.slice(diagnostics[0].span.clone()), "services");
}

#[test]
fn an_override_that_takes_away_a_role_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("iis.yaml"), "id: iis\nroles: []\n").unwrap();
    let load = failure(dir.path());
    let (file, diagnostics) = &load.files[0];
    assert!(diagnostics.iter().all(|d| d.code == Code::UnknownReference), "{load}");
    assert!(
        diagnostics.iter().all(|d| file.slice(d.span.clone()) == "roles"),
        "{load}"
    );
}
