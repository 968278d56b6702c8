//! `hagen init`: asks nothing (stdin is never read), prints a file that `hagen check` accepts,
//! with the schema line editors use.

mod common;

use common::Test;

#[test]
fn init_prints_a_file_that_checks_clean() {
    for products in [vec![], vec!["iis"], vec!["dbmail"], vec!["surfnavi", "expressmail"]] {
        let mut args = vec!["init", "--language", "ja"];
        for p in &products {
            args.extend(["--product", p]);
        }
        let out = Test::new().args(args).run();
        assert!(
            out.stdout
                .starts_with("# yaml-language-server: $schema=cluster.schema.json\n"),
            "{}",
            out.stdout
        );
        // The file is in Japanese, and so is check's summary line.
        Test::new()
            .write("new.yaml", &out.stdout)
            .args(["check", "new.yaml"])
            .stdout("エラー 0 件、警告 0 件 (ファイル 1 個)\n")
            .run();
    }
}

#[test]
fn init_refuses_what_cannot_work() {
    Test::new()
        .args(["init", "--product", "surfnavi", "--platform", "clusterpro-6.0"])
        .status(2)
        .stderr_contains("has no supported version on CLUSTERPRO for Windows 6.0")
        .run();
    Test::new()
        .args(["init", "--product", "expresmail"])
        .status(2)
        .stderr("hagen: no product `expresmail` in the catalog; did you mean `expressmail`?\n")
        .run();
}

/// `--profiles`: a product of one's own is offered, and the file checks clean with the same
/// folder; a broken profile is reported as check reports it.
#[test]
fn init_takes_the_profiles_check_takes() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let profile = std::fs::read_to_string(root.join("tests/fixtures/profiles/good/acme-queue.yaml")).unwrap();
    let out = Test::new()
        .write("profiles/acme-queue.yaml", &profile)
        .args(["init", "--product", "acme-queue", "--profiles", "profiles"])
        .run();
    assert!(out.stdout.contains("- product: acme-queue"), "{}", out.stdout);
    Test::new()
        .write("profiles/acme-queue.yaml", &profile)
        .write("new.yaml", &out.stdout)
        .args(["check", "new.yaml", "--profiles", "profiles"])
        .stdout("0 errors, 0 warnings in 1 file\n")
        .run();
    // Without the folder, the product is unknown.
    Test::new()
        .args(["init", "--product", "acme-queue"])
        .status(2)
        .stderr_contains("no product `acme-queue`")
        .run();
    // A broken profile stops init, naming the file, with check's exit code for it.
    Test::new()
        .write("profiles/bad.yaml", "id: acme\nname: [\n")
        .args(["init", "--profiles", "profiles"])
        .status(1)
        .stderr_contains("bad.yaml")
        .run();
}

/// On a platform the user names where no source covers the product, init writes the file
/// with the combination marked, and check warns about exactly that.
#[test]
fn init_marks_an_unverified_combination() {
    let out = Test::new()
        .args(["init", "--product", "surfnavi", "--platform", "clusterpro-x-4.2"])
        .run();
    assert!(
        out.stdout
            .contains("# UNVERIFIED (check warns: combination-unverified)"),
        "{}",
        out.stdout
    );
    Test::new()
        .write("new.yaml", &out.stdout)
        .args(["check", "new.yaml"])
        .stdout_contains("0 errors, 1 warning in 1 file")
        .run();
}
