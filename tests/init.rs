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
        Test::new()
            .write("new.yaml", &out.stdout)
            .args(["check", "new.yaml"])
            .stdout("0 errors, 0 warnings in 1 file\n")
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
