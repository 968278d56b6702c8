//! `hagen profiles`: the catalog on the command line, as text and as JSON.

mod common;

use common::Test;

#[test]
fn list_names_every_platform_and_product() {
    let out = Test::new().args(["profiles"]).stdout_contains("clusterpro-x-5.1").run();
    for id in [
        "clusterpro-6.0",
        "iis",
        "dbmail",
        "webharmo-rdbeuf",
        "webharmo-oltp",
        "expressmail",
        "surfnavi",
        "indexing-service",
    ] {
        assert!(out.stdout.contains(id), "{id}: {}", out.stdout);
    }
    let json = Test::new().args(["profiles", "list", "--format", "json"]).run().json();
    assert_eq!(json["platforms"].as_array().unwrap().len(), 12);
    assert_eq!(json["products"].as_array().unwrap().len(), 7);
}

#[test]
fn show_tells_what_a_product_needs_with_sources() {
    let out = Test::new()
        .args(["profiles", "show", "expressmail"])
        .stdout_contains("Set to startup type Manual on every server")
        .run();
    assert!(
        out.stdout.contains("HKEY_LOCAL_MACHINE\\SOFTWARE\\NEC\\ExpressMail"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("[PP guide (Internet) 1.5"), "{}", out.stdout);

    let json = Test::new()
        .args(["profiles", "show", "surfnavi", "--format", "json"])
        .run()
        .json();
    assert_eq!(json["kind"], "product");
    assert_eq!(json["never_stop"][0]["name"], "ICPFSrv");
    assert!(
        json["services"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["source"].is_string())
    );

    let platform = Test::new()
        .args(["profiles", "show", "clusterpro-x-2.1", "--format", "json"])
        .run()
        .json();
    assert_eq!(platform["kind"], "platform");
    assert!(
        platform["ports"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["rule"] == "udp/in 623"),
        "{platform}"
    );
}

#[test]
fn an_unknown_id_is_a_usage_error_with_a_hint() {
    Test::new()
        .args(["profiles", "show", "expresmail"])
        .status(2)
        .stderr("hagen: no platform or product `expresmail` in the catalog; did you mean `expressmail`?\n")
        .run();
}
