//! The runbook in the guides' order: for every server, the install steps of a product come
//! before any step on that server that uses it (moving a group there, creating its site,
//! setting its services to manual); the two-way IIS runbook is guide 1.1.4 two-way (1)-(11)
//! step by step; and no note of another product version or OS is printed.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use hagen::catalog::Catalog;
use hagen::pipeline::check_and_plan;
use hagen::plan::{Plan, RunbookStep};
use hagen::source::SourceFile;

use common::{assert_no_failures, spec_dir};

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// Every example, every spec example, and the runbook fixtures (two-way OLTP, ...).
fn inputs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = yaml_files(&root.join("examples"));
    files.extend(yaml_files(&spec_dir().join("examples")));
    files.extend(yaml_files(&root.join("tests/fixtures/runbook")));
    files
}

fn plan(path: &Path) -> Plan {
    let file = SourceFile::new(
        path.file_name().unwrap().to_string_lossy(),
        // The steps are matched in English: a file in Japanese is planned in English here
        // (`tests/japanese.rs` proves the Japanese runbook).
        fs::read_to_string(path)
            .unwrap()
            .replace("language: ja", "language: en"),
    );
    let (diagnostics, plan) = check_and_plan(&file, Catalog::builtin(), true);
    plan.unwrap_or_else(|| panic!("{}: no plan: {diagnostics:?}", path.display()))
}

/// The runbook's steps, without its opening summary of the cluster's values (which does
/// nothing on a server and is no step of the guides).
fn steps(plan: &Plan) -> Vec<&RunbookStep> {
    plan.runbook
        .iter()
        .filter(|s| s.title != "Values of this cluster")
        .flat_map(|s| s.steps.iter())
        .collect()
}

/// Whether `text` names group `group` as a whole word (`site-a`, not `site-ab`).
fn names_group(text: &str, group: &str) -> bool {
    text.match_indices(group).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + group.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        !word(before) && !word(after)
    })
}

#[test]
fn every_server_installs_a_product_before_any_step_there_uses_it() {
    let mut failures = Vec::new();
    for path in inputs() {
        let plan = plan(&path);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let steps = steps(&plan);
        for group in &plan.groups {
            for app in group.apps.iter().filter(|a| a.product != "custom") {
                let product = &app.product_name;
                for server in &group.policy {
                    let on = |s: &RunbookStep| s.servers.iter().any(|x| x == server);
                    let installed = steps.iter().position(|s| {
                        on(s)
                            && (s.text.starts_with(&format!("Install {product}"))
                                || s.text.starts_with(&format!("Do not install {product} again")))
                    });
                    let Some(installed) = installed else {
                        failures.push(format!("{name}: {product} is never installed on {server}"));
                        continue;
                    };
                    let services: Vec<&str> = group
                        .start
                        .iter()
                        .filter(|s| s.app == app.id)
                        .map(|s| s.service.as_str())
                        .collect();
                    for (at, step) in steps.iter().enumerate() {
                        if !on(step) || at > installed {
                            continue;
                        }
                        let uses = (step.text.starts_with("Move group") && names_group(&step.text, &group.name))
                            || step.text.starts_with(&format!("For group {}:", group.name))
                            || (step.text.starts_with("Set these services to startup type Manual")
                                && services.iter().any(|s| step.text.contains(s)));
                        if uses {
                            failures.push(format!(
                                "{name}: on {server}, step {} ({:?}) uses {product} before it is installed (step {})",
                                at + 1,
                                step.text,
                                installed + 1
                            ));
                        }
                    }
                }
            }
        }
    }
    assert_no_failures("runbook(s) out of the guides' install order", failures);
}

/// Guide 1.1.4, two-way standby, steps (1)-(11), next to the runbook of
/// `examples/iis-two-way.yaml` (group site-a is the guide's group 1 with SV1 = sv1, group
/// site-b its group 2 with SV2 = sv2).
#[test]
fn the_two_way_iis_runbook_is_guide_1_1_4_two_way_step_by_step() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let plan = plan(&root.join("examples/iis-two-way.yaml"));
    let got: Vec<(String, String)> = steps(&plan)
        .into_iter()
        .filter(|s| !s.text.starts_with("Apply the configuration"))
        .map(|s| (s.servers.join(", "), s.text.clone()))
        .take_while(|(_, t)| !t.starts_with("IIS (Internet Information Server/Service) ("))
        .collect();
    let iis = "IIS (Internet Information Server/Service) 6.0";
    // (guide step, server, what the runbook's step starts with)
    let mapping: &[(&str, &str, &str)] = &[
        ("(1) start group 1 on SV1", "sv1", "Start group site-a on sv1"),
        ("(1) install IIS on SV1", "sv1", iis),
        (
            "(1) WWW and FTP only, (2) default sites on partition 1",
            "sv1",
            "In the IIS setup",
        ),
        (
            "(3) FTP and WWW manual on SV1",
            "sv1",
            "Set these services to startup type Manual",
        ),
        ("(4) start group 2 on SV2", "sv2", "Start group site-b on sv2"),
        ("(4) install IIS on SV2", "sv2", iis),
        (
            "(4) WWW and FTP only, (5) default sites on partition 2",
            "sv2",
            "In the IIS setup",
        ),
        (
            "(6) FTP and WWW manual on SV2",
            "sv2",
            "Set these services to startup type Manual",
        ),
        ("(7) move group 1 to SV2", "sv2", "Move group site-a to sv2."),
        (
            "(8) on SV2, the Web and FTP sites of group 1",
            "sv2",
            "For group site-a: ",
        ),
        (
            "(9) move groups 1 and 2 to SV1",
            "sv1",
            "Move groups site-a and site-b to sv1.",
        ),
        (
            "(10) on SV1, the Web and FTP sites of group 2",
            "sv1",
            "For group site-b: ",
        ),
        ("(11) cluster shutdown and restart", "", "Shut the whole cluster down"),
    ];
    let mut failures = Vec::new();
    if got.len() != mapping.len() {
        failures.push(format!(
            "{} steps, the guide has {}: {got:#?}",
            got.len(),
            mapping.len()
        ));
    }
    for ((guide, server, text), (on, step)) in mapping.iter().zip(&got) {
        let text = if *text == iis {
            format!("Install {iis}")
        } else {
            text.to_string()
        };
        if on != server || !step.starts_with(&text) {
            failures.push(format!(
                "guide {guide}: expected on {server:?} {text:?}, got on {on:?} {step:?}"
            ));
        }
    }
    // (8) and (10): the partner's site has the group's address and the home directory of (2), (5).
    for (group, address, home) in [
        ("site-a", "192.168.20.101", "S:\\site-a"),
        ("site-b", "192.168.20.102", "T:\\site-b"),
    ] {
        let site = got.iter().find(|(_, t)| t.starts_with(&format!("For group {group}:")));
        if !site.is_some_and(|(_, t)| t.contains(address) && t.contains(home)) {
            failures.push(format!("the site of {group} lacks {address} or {home}: {site:?}"));
        }
    }
    assert_no_failures("difference(s) from guide 1.1.4 two-way", failures);
}

#[test]
fn no_note_of_another_version_or_os_is_printed() {
    let catalog = Catalog::builtin();
    let mut failures = Vec::new();
    let mut limited = 0;
    for path in inputs() {
        let plan = plan(&path);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text: String = steps(&plan).iter().map(|s| format!("{}\n", s.text)).collect();
        for app in plan.groups.iter().flat_map(|g| &g.apps) {
            let Some(product) = catalog.product(&app.product) else {
                continue;
            };
            for note in product
                .notes
                .iter()
                .filter(|n| !n.versions.is_empty() || !n.os.is_empty())
            {
                limited += 1;
                let applies = note.applies_to(app.version.as_deref(), Some(&plan.os));
                if !applies && text.contains(&note.text) {
                    failures.push(format!(
                        "{name}: the note {:?} ({:?}, {:?}) is printed for {} {:?} on {}",
                        note.topic, note.versions, note.os, app.product, app.version, plan.os
                    ));
                }
            }
        }
        // The two notes the guides limit, by their words.
        let iis5 = plan
            .groups
            .iter()
            .flat_map(|g| &g.apps)
            .any(|a| a.product == "iis" && a.version.as_deref() == Some("5.0"));
        if !iis5 && text.contains("With IIS 5.0, event ids") {
            failures.push(format!("{name}: IIS 5.0's event-id note without IIS 5.0"));
        }
        if plan.os != "windows-server-2003" && text.contains("With SP1 and the firewall on") {
            failures.push(format!("{name}: the Windows Server 2003 SP1 note on {}", plan.os));
        }
    }
    assert!(limited > 0, "no note limited to a version or OS was met");
    assert_no_failures("note(s) of another version or OS", failures);
}

/// SURFNAVI PP guide, installation steps (1) A)-I), then (2) on the other servers, then (3) the
/// DNS review on the active and standby servers (examples/surfnavi.yaml).
#[test]
fn the_surfnavi_runbook_follows_its_guide_a_to_i_then_dns() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let plan = plan(&root.join("examples/surfnavi.yaml"));
    let got: Vec<String> = steps(&plan)
        .iter()
        .map(|s| format!("{}: {}", s.servers.join(", "), s.text))
        .collect();
    // (guide step, what the runbook's step starts with)
    let mapping: &[(&str, &str)] = &[
        ("(1) A) IIS", "gw1: Install IIS"),
        ("(1) B) SURFNAVI", "gw1: Install SURFNAVI"),
        (
            "(1) B) without ExpressMail, then add it",
            "gw1: Install SURFNAVI with a custom install",
        ),
        ("(1) B) 【注意】", "gw1: The security policy template"),
        ("(1) D) ExpressMail", "gw1: Install ExpressMail"),
        ("(1) D) its setup inputs", "gw1: In the ExpressMail setup"),
        ("(1) E) manual start", "gw1: Set these services to startup type Manual"),
        ("(1) F)-H) interconnect", "gw1: Unbind the SURFNAVI PacketFilter"),
        ("(1) I) cluster ports", "gw1: Allow "),
        ("(2) the other server", "gw2: Install IIS"),
        ("(2) the other server, I)", "gw2: Allow "),
        (
            "(3) DNS on active and standby",
            "gw1, gw2: Group surfnavi: Review the DNS settings",
        ),
    ];
    let mut from = 0;
    let mut failures = Vec::new();
    for (guide, text) in mapping {
        match got[from..].iter().position(|s| s.starts_with(text)) {
            Some(at) => from += at + 1,
            None => failures.push(format!("guide {guide}: no {text:?} after step {from}")),
        }
    }
    assert_no_failures("difference(s) from the SURFNAVI guide's order", failures);
}
