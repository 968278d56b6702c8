//! `--profiles DIR` and `hagen schema` on the command line: user profiles reach `check`,
//! `build` and `profiles`, their problems are reported at their places with exit 1, an
//! unreadable folder is exit 2, and `hagen schema` prints the committed schemas.

mod common;

use std::fs;
use std::path::Path;

use common::Test;

fn fixtures(dir: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/profiles")
        .join(dir)
        .to_string_lossy()
        .into_owned()
}

const ACME_CLUSTER: &str = "\
cluster: { name: q, platform: clusterpro-x-4.2, os: windows-server-2019, language: en }
servers:
  - { name: a, ip: 10.0.0.1, interconnects: [10.1.0.1] }
  - { name: b, ip: 10.0.0.2, interconnects: [10.1.0.2] }
groups:
  - name: q
    failover: [a, b]
    ip: 10.0.0.10
    apps:
      - { product: acme-queue, version: \"3.2\", install_dir: 'C:\\ACME' }
";

#[test]
fn a_user_product_is_checked_and_built_only_with_its_profiles() {
    let good = fixtures("good");
    Test::new()
        .write("q.yaml", ACME_CLUSTER)
        .args(["check", "q.yaml"])
        .status(1)
        .stdout_contains("unknown product `acme-queue`")
        .run();
    Test::new()
        .write("q.yaml", ACME_CLUSTER)
        .args(["check", "q.yaml", "--profiles", &good])
        .stdout("0 errors, 0 warnings in 1 file\n")
        .run();
    let out = Test::new()
        .write("q.yaml", ACME_CLUSTER)
        .args(["build", "q.yaml", "--out", "dist", "--profiles", &good])
        .run();
    let start = fs::read_to_string(out.tempdir.path().join("dist/scripts/q/script1/start.bat")).unwrap();
    assert!(start.contains("ARMLOAD ACMEBROKER /S"), "{start}");
    Test::new()
        .args(["profiles", "show", "acme-queue", "--profiles", &good])
        .stdout_contains("ACME Queue")
        .run();
}

#[test]
fn a_wrong_profile_is_reported_in_the_profile_and_nothing_is_checked() {
    let json = Test::new()
        .write("q.yaml", ACME_CLUSTER)
        .args(["check", "q.yaml", "--format", "json", "--profiles", &fixtures("errors")])
        .status(1)
        .run()
        .json();
    let files: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert!(!files.is_empty());
    assert!(files.iter().all(|f| f.contains("profiles/errors/")), "{files:?}");
    Test::new()
        .write("q.yaml", ACME_CLUSTER)
        .args(["build", "q.yaml", "--out", "dist", "--profiles", "no-such-folder"])
        .status(2)
        .stderr_contains("no-such-folder")
        .run();
}

#[test]
fn schema_prints_the_committed_schemas() {
    for (kind, file) in [("cluster", "cluster.schema.json"), ("profile", "profile.schema.json")] {
        let committed = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas").join(file)).unwrap();
        Test::new().args(["schema", kind]).stdout(committed).run();
    }
}
