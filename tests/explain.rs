//! `hagen explain CODE`: a document for every code, a usage error with a hint otherwise.

mod common;

use common::Test;

const CODES: &[&str] = &[
    "yaml-syntax",
    "unknown-field",
    "missing-field",
    "invalid-value",
    "invalid-name",
    "duplicate-name",
    "unknown-reference",
    "dependency-cycle",
    "order-conflict",
    "missing-dependency",
    "port-not-allowed",
    "port-conflict",
    "port-unused",
    "service-not-manual",
    "service-must-not-stop",
    "monitor-not-allowed",
    "failover-option-discouraged",
    "service-unsupported",
    "standby-unsupported",
    "server-count",
    "version-unsupported",
    "placement-unsupported",
    "site-binding-required",
    "domain-account-required",
    "install-location",
    "volume-guid-missing",
    "script-fall-through",
    "script-missing-label",
    "script-unstopped-service",
    "script-stop-order",
    "script-line-endings",
    "script-encoding",
];

#[test]
fn every_code_of_the_spec_is_explained() {
    for code in CODES {
        let out = Test::new().args(["explain", code]).run();
        assert!(out.stdout.starts_with(&format!("# {code}\n")), "{code}: {}", out.stdout);
        for section in ["## What it does", "## Why", "## Example", "## Fix"] {
            assert!(out.stdout.contains(section), "{code}: no {section}");
        }
    }
}

#[test]
fn an_unknown_code_is_a_usage_error_with_the_nearest_code() {
    Test::new()
        .args(["explain", "dependancy-cycle"])
        .status(2)
        .stderr("hagen: no diagnostic code `dependancy-cycle`; did you mean `dependency-cycle`?\n")
        .run();
}
