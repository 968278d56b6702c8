//! The review page through the library: for every example and every invalid file of the spec
//! it is well-formed XHTML (read back with quick-xml) and refers to nothing outside itself;
//! its sections hold what the cluster file says (failover matrix, start-order SVG, ports,
//! manual-start table, diagnostics, runbook); hostile text comes out escaped; and the same
//! file gives the same bytes.

#[path = "support/xml.rs"]
mod xml;

use std::fs;
use std::path::{Path, PathBuf};

use hagen::catalog::Catalog;
use hagen::pipeline::check_report;
use hagen::report::report;
use hagen::source::SourceFile;
use xml::Element;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn examples() -> Vec<PathBuf> {
    yaml_files(&crate_dir().join("examples"))
}

fn invalid() -> Vec<PathBuf> {
    yaml_files(&crate_dir().join("../shared/spec/invalid"))
}

fn page_of(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    page_of_text(&path.file_name().unwrap().to_string_lossy(), &text)
}

fn page_of_text(name: &str, text: &str) -> String {
    report(&SourceFile::new(name, text), Catalog::builtin())
}

fn parse(page: &str, what: &str) -> Element {
    xml::parse(page).unwrap_or_else(|e| panic!("{what}: not well-formed: {e}"))
}

fn section<'a>(root: &'a Element, id: &str) -> &'a Element {
    root.by_id(id).unwrap_or_else(|| panic!("no section #{id}"))
}

/// The text of each cell of each row of a table (header cells included).
fn rows(table: &Element) -> Vec<Vec<String>> {
    table
        .find_all("tr")
        .into_iter()
        .map(|tr| {
            tr.children
                .iter()
                .filter(|c| c.name == "td" || c.name == "th")
                .map(|c| c.all_text().trim().to_string())
                .collect()
        })
        .collect()
}

/// The page refers to nothing outside itself: the only URLs are the XHTML and SVG namespace
/// names, links are fragments, and there is no script, stylesheet link, import or external
/// `url(...)`.
fn assert_self_contained(page: &str, root: &Element, what: &str) {
    const NAMESPACES: [&str; 2] = ["http://www.w3.org/1999/xhtml\"", "http://www.w3.org/2000/svg\""];
    for scheme in ["http://", "https://"] {
        for (at, _) in page.match_indices(scheme) {
            assert!(
                NAMESPACES.iter().any(|ns| page[at..].starts_with(ns)),
                "{what}: a URL at byte {at}: {}",
                &page[at..(at + 60).min(page.len())]
            );
        }
    }
    for scheme in ["ftp:", "file:", "data:", "//"] {
        for e in root.descendants() {
            for (k, v) in &e.attrs {
                assert!(!v.starts_with(scheme), "{what}: <{} {k}={v:?}>", e.name);
            }
        }
    }
    for e in root.descendants() {
        assert!(e.attr("src").is_none(), "{what}: <{} src>", e.name);
        if let Some(href) = e.attr("href") {
            assert!(href.starts_with('#'), "{what}: href {href:?}");
        }
        assert!(
            !["script", "link", "iframe", "object", "embed", "img"].contains(&e.name.as_str()),
            "{what}: <{}>",
            e.name
        );
    }
    let lower = page.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "{what}: a script");
    assert!(!lower.contains("@import"), "{what}: an @import");
    for (at, _) in lower.match_indices("url(") {
        assert!(
            lower[at..].starts_with("url(#"),
            "{what}: {}",
            &page[at..(at + 40).min(page.len())]
        );
    }
}

#[test]
fn every_page_is_well_formed_self_contained_and_has_every_section() {
    for path in examples().into_iter().chain(invalid()) {
        let what = path.display().to_string();
        let page = page_of(&path);
        assert!(page.starts_with("<!DOCTYPE html>\n"), "{what}");
        let root = parse(&page, &what);
        assert_eq!(root.name, "html");
        assert_eq!(root.attr("xmlns"), Some("http://www.w3.org/1999/xhtml"));
        assert!(!root.find_all("title")[0].all_text().is_empty());
        assert_self_contained(&page, &root, &what);
        for id in [
            "matrix",
            "graph",
            "ports",
            "manual",
            "diagnostics",
            "runbook",
            "scenarios",
        ] {
            section(&root, id);
        }
        let svg = section(&root, "graph").find_all("svg");
        assert_eq!(svg.len(), 1, "{what}: one inline SVG");
        assert_eq!(svg[0].attr("xmlns"), Some("http://www.w3.org/2000/svg"));
        // Every link of the navigation leads to a section of the page.
        for a in root.find_all("a") {
            let target = a.attr("href").unwrap().trim_start_matches('#');
            assert!(root.by_id(target).is_some(), "{what}: #{target}");
        }
    }
}

#[test]
fn a_clean_example_shows_its_matrix_graph_ports_services_and_runbook() {
    let path = crate_dir().join("examples/in-house-services.yaml");
    let page = page_of(&path);
    let root = parse(&page, "in-house-services");

    assert_eq!(root.find_all("h1")[0].all_text(), "Cluster app-cluster");
    assert_eq!(root.by_id("status").unwrap().all_text(), "checks clean");
    let header = root.find_all("dd").iter().map(|d| d.all_text()).collect::<Vec<_>>();
    assert!(
        header.contains(&"CLUSTERPRO X 4.2 for Windows (clusterpro-x-4.2)".to_string()),
        "{header:?}"
    );
    assert!(header.contains(&"windows-server-2019".to_string()), "{header:?}");
    assert!(header.iter().any(|h| h.starts_with("en ")), "{header:?}");

    let matrix = rows(section(&root, "matrix").find_all("table")[0]);
    assert_eq!(matrix[0][0], "server");
    assert!(
        matrix[0][1].starts_with("db") && matrix[0][2].starts_with("app"),
        "{matrix:?}"
    );
    let cells: Vec<Vec<&str>> = matrix[1..]
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(
        cells,
        [
            vec!["n1 192.168.60.11", "1 HOME", "2"],
            vec!["n2 192.168.60.12", "2", "1 HOME"]
        ]
    );

    let graph = section(&root, "graph");
    let apps: Vec<&str> = graph
        .descendants()
        .into_iter()
        .filter(|e| e.has_class("app"))
        .map(|e| e.attr("data-name").unwrap())
        .collect();
    assert_eq!(apps, ["database", "api", "worker"]);
    assert_eq!(
        graph.descendants().iter().filter(|e| e.has_class("group-edge")).count(),
        1
    );

    let ports = rows(section(&root, "ports").find_all("table")[0]);
    assert_eq!(ports[0], ["rule", "purpose", "source", "status"]);
    for rule in ["tcp/in 5432", "tcp/in 8080", "udp/in 29106"] {
        let row = ports
            .iter()
            .find(|r| r[0] == rule)
            .unwrap_or_else(|| panic!("{rule}: {ports:?}"));
        assert_eq!(row[3], "allowed", "{row:?}");
    }
    let api = ports.iter().find(|r| r[0] == "tcp/in 8080").unwrap();
    assert_eq!(
        (api[1].as_str(), api[2].as_str()),
        ("app api in group app", "the cluster file")
    );
    assert!(ports[1..].iter().all(|r| r[3] == "allowed"));

    // n1 runs both groups: every service of the cluster, none of them in an inventory.
    let manual = section(&root, "manual");
    assert_eq!(manual.find_all("h3")[0].all_text(), "n1");
    let n1 = rows(manual.find_all("table")[0]);
    let services: Vec<(&str, &str, &str)> = n1[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[2].as_str(), r[5].as_str()))
        .collect();
    assert_eq!(
        services,
        [
            ("OrderDB", "ORDERDB", "check by hand"),
            ("OrderApi", "ORDERAPI", "check by hand"),
            ("OrderWorker", "ORDERWORKER", "check by hand"),
            ("Order Mailer", "ORDERMAILER", "check by hand"),
        ]
    );

    let diagnostics = section(&root, "diagnostics");
    assert!(diagnostics.find_all("article").is_empty());
    assert!(diagnostics.all_text().contains("None: the file checks clean."));

    // The runbook is the plan's.
    let file = SourceFile::new("in-house-services.yaml", fs::read_to_string(&path).unwrap());
    let (_, plan) = hagen::pipeline::check_and_plan(&file, Catalog::builtin(), true);
    let plan = plan.unwrap();
    let runbook = section(&root, "runbook");
    let titles: Vec<String> = runbook.find_all("ol")[0]
        .children
        .iter()
        .map(|li| li.find_all("strong")[0].all_text())
        .collect();
    let want: Vec<&str> = plan.runbook.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, want);
    let steps = runbook.find_all("ol").iter().filter(|o| o.has_class("steps")).count();
    assert_eq!(steps, plan.runbook.len());
    assert!(runbook.all_text().contains(&plan.runbook[0].steps[0].text));
}

#[test]
fn the_manual_table_reads_the_inventory() {
    // Every ExpressMail service is in the inventory as manual (the example is in Japanese:
    // the status reads 手動, the inventory's start type stays as the inventory spells it).
    let root = parse(&page_of(&crate_dir().join("examples/expressmail.yaml")), "expressmail");
    let manual = section(&root, "manual");
    for table in manual.find_all("table") {
        let rows = rows(table);
        assert_eq!(rows.len(), 8, "{rows:?}");
        assert!(rows[1..].iter().all(|r| r[4] == "manual" && r[5] == "手動"), "{rows:?}");
    }

    // The spec's auto-start file: the service set to auto is named, and so is its diagnostic.
    let path = crate_dir().join("../shared/spec/invalid/auto-start.yaml");
    let root = parse(&page_of(&path), "auto-start");
    let bad: Vec<Vec<String>> = section(&root, "manual")
        .find_all("table")
        .iter()
        .flat_map(|t| rows(t))
        .filter(|r| r.last().is_some_and(|s| s == "must be manual"))
        .collect();
    assert!(!bad.is_empty(), "a service that must be manual");
    let codes: Vec<String> = section(&root, "diagnostics")
        .find_all("strong")
        .iter()
        .map(|s| s.all_text())
        .collect();
    assert!(codes.contains(&"error[service-not-manual]".to_string()), "{codes:?}");
}

#[test]
fn a_missing_port_is_marked_missing() {
    let path = crate_dir().join("../shared/spec/invalid/surfnavi-forced-stop-port.yaml");
    let root = parse(&page_of(&path), "surfnavi-forced-stop-port");
    let ports = rows(section(&root, "ports").find_all("table")[0]);
    let missing: Vec<&str> = ports
        .iter()
        .filter(|r| r[3] == "missing")
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(missing, ["udp/in 623"]);
    let text = section(&root, "ports").find_all("h2")[0].all_text();
    assert!(text.contains("1 missing"), "{text}");
}

#[test]
fn an_invalid_file_shows_its_diagnostics_with_snippets_and_no_runbook() {
    let path = crate_dir().join("../shared/spec/invalid/cycle.yaml");
    let page = page_of(&path);
    let root = parse(&page, "cycle");
    assert_eq!(root.by_id("status").unwrap().all_text(), "1 error, 0 warnings");
    let articles = section(&root, "diagnostics").find_all("article");
    assert_eq!(articles.len(), 1);
    let article = articles[0];
    assert!(article.has_class("bad"));
    let paragraphs: Vec<String> = article.find_all("p").iter().map(|p| p.all_text()).collect();
    assert_eq!(
        paragraphs,
        [
            "error[dependency-cycle]: the start order of the apps of group `app` has a cycle",
            "cycle.yaml:18:17",
            "help: remove one `after` entry so that some app or group can start first",
        ]
    );
    assert_eq!(article.find_all("pre")[0].all_text(), "billing");
    let related: Vec<String> = article.find_all("li").iter().map(|l| l.all_text()).collect();
    assert_eq!(related, ["cycle.yaml:23:17 `billing` starts after `order-api`"]);

    let runbook = section(&root, "runbook");
    assert!(runbook.find_all("ol").is_empty());
    assert!(runbook.all_text().contains("needs a file that checks without errors"));

    // The graph shows the cycle.
    let cycle: Vec<&str> = section(&root, "graph")
        .descendants()
        .into_iter()
        .filter(|e| e.has_class("app") && e.has_class("cycle"))
        .map(|e| e.attr("data-name").unwrap())
        .collect();
    assert_eq!(cycle, ["order-api", "billing"]);

    // The library gives the diagnostics with the page, for the exit code.
    let file = SourceFile::new("cycle.yaml", fs::read_to_string(&path).unwrap());
    let (diagnostics, again, _) = check_report(&file, Catalog::builtin());
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(again, page);
}

#[test]
fn a_file_that_is_not_yaml_gets_a_page_with_its_diagnostic() {
    let page = page_of_text("broken.yaml", "cluster: [\n");
    let root = parse(&page, "broken");
    assert_self_contained(&page, &root, "broken");
    assert!(root.by_id("matrix").is_none() && root.by_id("graph").is_none());
    let article = &section(&root, "diagnostics").find_all("article")[0];
    assert!(article.find_all("strong")[0].all_text().ends_with("[yaml-syntax]"));
    assert_eq!(root.find_all("h1")[0].all_text(), "broken.yaml");
}

#[test]
fn hostile_text_is_escaped() {
    let text = "cluster: { name: c, platform: clusterpro-x-4.2, os: windows-server-2019, language: en }\nservers:\n  - { name: n1, ip: 10.0.0.1, interconnects: [10.1.0.1] }\n\"<script>alert('x')</script>\": 1\ngroups:\n  - name: \"g</title><b>\"\n    failover: [n1]\n    ip: 10.0.0.9\n    apps: [{ product: custom, services: [{ name: S, watch_id: W }] }]\n";
    let page = page_of_text("hostile.yaml", text);
    assert!(!page.contains("<script"), "a raw script tag");
    assert!(!page.contains("<b>"), "a raw tag from a group name");
    assert!(page.contains("&lt;script&gt;"), "the key, escaped");
    let root = parse(&page, "hostile");
    assert_self_contained(&page, &root, "hostile");
    let messages: Vec<String> = section(&root, "diagnostics")
        .find_all("article")
        .iter()
        .map(|a| a.find_all("p")[0].all_text())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("<script>alert('x')</script>")),
        "the message quotes the key as written: {messages:?}"
    );
    let snippets: Vec<String> = section(&root, "diagnostics")
        .find_all("pre")
        .iter()
        .map(|p| p.all_text())
        .collect();
    assert!(snippets.iter().any(|s| s.contains("<script>")), "{snippets:?}");
}

#[test]
fn characters_xml_cannot_hold_are_replaced() {
    // A raw control character (an escape sequence) in the file: the diagnostic's snippet shows
    // the line it is on, and the page stays well-formed.
    let page = page_of_text("ctl.yaml", "cluster:\n  name: \"a\u{1b}[31mb\"\n  nope: \u{7}\n");
    let root = parse(&page, "ctl");
    assert!(!page.contains('\u{1b}') && !page.contains('\u{7}'));
    assert!(section(&root, "diagnostics").all_text().contains('\u{fffd}'));
}

#[test]
fn every_page_is_byte_identical_across_runs() {
    for path in examples().into_iter().chain(invalid()) {
        assert_eq!(page_of(&path), page_of(&path), "{}", path.display());
    }
}

/// The scenario articles of a page: (name, article).
fn scenario_articles(root: &Element) -> Vec<(&str, &Element)> {
    section(root, "scenarios")
        .find_all("article")
        .into_iter()
        .map(|a| (a.attr("data-name").expect("data-name"), a))
        .collect()
}

/// The cells of one row (`before` or `after`) of a scenario's drawing: (server, class, the
/// groups named, the counts' texts).
fn drawing_row(article: &Element, row: &str) -> Vec<(String, String, Vec<String>, Vec<String>)> {
    let svg = article.find_all("svg");
    assert_eq!(svg.len(), 1, "one drawing per scenario");
    let row = svg[0]
        .find_all("g")
        .into_iter()
        .find(|g| g.has_class("row") && g.has_class(row))
        .unwrap_or_else(|| panic!("no row {row}"));
    row.children
        .iter()
        .filter(|c| c.has_class("cell"))
        .map(|cell| {
            let class = ["up", "down", "stopped"]
                .into_iter()
                .find(|c| cell.has_class(c))
                .expect("a cell's class")
                .to_string();
            let groups = cell
                .children
                .iter()
                .filter(|g| g.has_class("group"))
                .map(|g| g.attr("data-name").unwrap().to_string())
                .collect();
            let counts = cell
                .children
                .iter()
                .filter(|t| t.has_class("count"))
                .flat_map(|t| t.find_all("tspan"))
                .map(|t| t.all_text())
                .collect();
            (cell.attr("data-server").unwrap().to_string(), class, groups, counts)
        })
        .collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_scenarios_are_simulates_default_scenarios_with_their_findings() {
    // One source: the page draws what `hagen simulate` plays (its default scenarios but the
    // cluster's start), in its order, with the same findings.
    for name in ["iis-two-way.yaml", "dbmail-legacy.yaml", "in-house-services.yaml"] {
        let path = crate_dir().join("examples").join(name);
        let text = fs::read_to_string(&path).unwrap();
        let file = SourceFile::new(name, text);
        let options = hagen::simulate::Options {
            down: Vec::new(),
            depth: 1,
        };
        let sim = hagen::pipeline::simulate(&file, Catalog::builtin(), &options)
            .1
            .unwrap()
            .unwrap();
        let page = page_of(&path);
        let root = parse(&page, name);
        let articles = scenario_articles(&root);
        let expected: Vec<&hagen::simulate::Scenario> = sim.scenarios.iter().filter(|s| s.name != "start").collect();
        let names: Vec<&str> = articles.iter().map(|(n, _)| *n).collect();
        let want: Vec<&str> = expected.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, want, "{name}");
        for ((_, article), s) in articles.iter().zip(&expected) {
            let codes: Vec<String> = article
                .find_all("li")
                .iter()
                .map(|li| li.find_all("code")[0].all_text())
                .collect();
            let want: Vec<String> = s.findings.iter().map(|f| f.code.to_string()).collect();
            assert_eq!(codes, want, "{name}: {}", s.name);
            // Every group the scenario moves is named in the drawing's after row, on the
            // server it ends on.
            for c in s.moved() {
                let at = c.after.map_or("(stopped)", |a| sim.servers[a].as_str());
                let cells = drawing_row(article, "after");
                let cell = cells.iter().find(|(server, ..)| server == at).expect("its server");
                assert!(
                    cell.2.contains(&sim.groups[c.group].name),
                    "{name}: {}: {cells:?}",
                    s.name
                );
            }
        }
    }
}

#[test]
fn a_scenario_drawing_shows_the_groups_on_the_servers_before_and_after() {
    let page = page_of(&crate_dir().join("examples/iis-two-way.yaml"));
    let root = parse(&page, "iis-two-way");
    let articles = scenario_articles(&root);
    let (_, down) = articles.iter().find(|(n, _)| *n == "down sv1").expect("down sv1");
    // Before: site-a on sv1 (its HOME), site-b counted on sv2. After: sv1 down, both on sv2.
    // The example is in Japanese, and so are the counts.
    assert_eq!(
        drawing_row(down, "before"),
        [
            ("sv1".into(), "up".into(), strings(&["site-a"]), strings(&[])),
            ("sv2".into(), "up".into(), strings(&[]), strings(&["他のグループ 1 個"])),
        ]
    );
    assert_eq!(
        drawing_row(down, "after"),
        [
            ("sv1".into(), "down".into(), strings(&[]), strings(&["(ダウン)"])),
            (
                "sv2".into(),
                "up".into(),
                strings(&["site-a"]),
                strings(&["他のグループ 1 個"])
            ),
        ]
    );
    let svg = down.find_all("svg")[0];
    assert_eq!(svg.attr("xmlns"), Some("http://www.w3.org/2000/svg"));
    let arrows: Vec<&str> = svg
        .find_all("path")
        .iter()
        .filter(|p| p.has_class("move"))
        .map(|p| p.attr("data-group").unwrap())
        .collect();
    assert_eq!(arrows, ["site-a"]);
    let servers: Vec<String> = svg
        .find_all("g")
        .iter()
        .filter(|g| g.has_class("server"))
        .map(|g| g.all_text())
        .collect();
    assert_eq!(servers, ["sv1", "sv2"]);
    // A disk failure: the group does not start; it is drawn failed, in the stopped column.
    let (_, disk) = articles.iter().find(|(n, _)| *n == "disk site-a").expect("disk site-a");
    let after = drawing_row(disk, "after");
    let stopped = after.iter().find(|(s, ..)| s == "(stopped)").expect("a stopped column");
    assert_eq!(stopped.1, "stopped");
    assert_eq!(stopped.2, ["site-a"]);
    let failed = disk.find_all("g").into_iter().filter(|g| g.has_class("failed")).count();
    assert_eq!(failed, 2, "before and after");
    // Every title id is unique on the page.
    let mut ids: Vec<&str> = root.descendants().iter().filter_map(|e| e.attr("id")).collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate ids");
}

#[test]
fn a_drawing_names_at_most_eight_groups_per_server_and_counts_the_rest() {
    // Twelve groups on n1, failing over to n2; one more on n2: a drawing's size follows the
    // servers, not the groups.
    let mut text = String::from(
        "cluster: { name: c, platform: clusterpro-x-4.2, os: windows-server-2019, language: en }\nservers:\n  - { name: n1, ip: 10.0.0.1, interconnects: [10.1.0.1] }\n  - { name: n2, ip: 10.0.0.2, interconnects: [10.1.0.2] }\ngroups:\n",
    );
    for i in 0..13 {
        let failover = if i < 12 { "[n1, n2]" } else { "[n2, n1]" };
        text.push_str(&format!(
            "  - {{ name: g{i:02}, failover: {failover}, ip: 10.0.1.{}, apps: [{{ product: custom, services: [{{ name: S{i}, watch_id: W{i} }}] }}] }}\n",
            i + 10
        ));
    }
    let page = page_of_text("many.yaml", &text);
    let root = parse(&page, "many");
    let articles = scenario_articles(&root);
    let (_, down) = articles.iter().find(|(n, _)| *n == "down n1").expect("down n1");
    let after = drawing_row(down, "after");
    let n2 = &after[1];
    assert_eq!(n2.0, "n2");
    assert_eq!(n2.2.len(), 8, "{n2:?}");
    assert_eq!(n2.2[0], "g00");
    assert_eq!(n2.3, ["+4 more moved", "1 other group"]);
    // A move names only the group it moves.
    let (_, moved) = articles.iter().find(|(n, _)| *n == "move g03 to n2").expect("a move");
    let before = drawing_row(moved, "before");
    assert_eq!(before[0].2, ["g03"]);
    assert_eq!(before[0].3, ["11 other groups"]);
    assert_eq!(before[1].3, ["1 other group"]);
}

#[test]
fn a_file_with_errors_has_no_scenarios_but_says_why() {
    let path = invalid()[0].clone();
    let page = page_of(&path);
    let root = parse(&page, "invalid");
    let scenarios = section(&root, "scenarios");
    assert!(scenarios.find_all("article").is_empty());
    assert!(scenarios.all_text().contains("checks without errors"));
}
