//! `hagen graph` and `hagen report` on the command line: the output on standard output (or
//! the page), the diagnostics on standard error, and check's exit code.

mod common;

use std::fs;

use common::Test;

#[test]
fn graph_prints_the_graph_and_exits_as_check() {
    let out = Test::new()
        .write("c.yaml", common::example("iis-two-way.yaml"))
        .args(["graph", "c.yaml"])
        .stderr("")
        .run();
    assert!(out.stdout.contains("\ndigraph start_order {"), "{}", out.stdout);
    for (format, head) in [("mermaid", "flowchart LR"), ("svg", "<svg")] {
        let out = Test::new()
            .write("c.yaml", common::example("iis-two-way.yaml"))
            .args(["graph", "c.yaml", "--format", format])
            .run();
        assert!(out.stdout.contains(head), "{format}: {}", out.stdout);
    }
    let cycle = fs::read_to_string(common::spec_dir().join("invalid/cycle.yaml")).unwrap();
    let out = Test::new()
        .write("cycle.yaml", &cycle)
        .args(["graph", "cycle.yaml", "--format", "mermaid"])
        .status(1)
        .stderr_contains("error[dependency-cycle]")
        .run();
    assert!(
        out.stdout.contains("class ") && out.stdout.contains(" cycle"),
        "{}",
        out.stdout
    );
    Test::new()
        .args(["graph", "missing.yaml"])
        .status(2)
        .stderr_contains("missing.yaml")
        .run();
}

#[test]
fn report_writes_the_page_even_with_errors() {
    let out = Test::new()
        .write("c.yaml", common::example("surfnavi.yaml"))
        .args(["report", "c.yaml", "--out", "review/page.html"])
        .stdout("")
        .stderr("")
        .run();
    let page = fs::read_to_string(out.tempdir.path().join("review/page.html")).unwrap();
    assert!(page.contains("<svg") && page.contains("gw-cluster"), "{page}");
    let cycle = fs::read_to_string(common::spec_dir().join("invalid/cycle.yaml")).unwrap();
    let out = Test::new()
        .write("cycle.yaml", &cycle)
        .args(["report", "cycle.yaml", "--out", "page.html"])
        .status(1)
        .stderr_contains("dependency-cycle")
        .run();
    let page = fs::read_to_string(out.tempdir.path().join("page.html")).unwrap();
    assert!(page.contains("dependency-cycle"));
    Test::new()
        .write("c.yaml", common::example("surfnavi.yaml"))
        .dir("page.html")
        .args(["report", "c.yaml", "--out", "page.html"])
        .status(2)
        .stderr_contains("is a folder")
        .run();
}
