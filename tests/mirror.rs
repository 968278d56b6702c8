//! Mirror disks and network partition resolution: NEC's two-node data-mirroring cluster
//! (EXPRESSCLUSTER/BasicCluster, X41/Win/2nodesMirror.md and X41/Win/conf/2nodesMirror/clp.conf
//! at commit e91caaa36023a5abb3f5da39db91253bb245f322), checked, built and imported.
//!
//! - `tests/fixtures/mirror/<rule>.yaml` breaks one rule of `src/check/rules/mirror.rs` (first
//!   line `# expect: CODE at LINE:COLUMN`, second `# rule: ...`) and raises exactly that
//!   diagnostic; `<rule>.ok.yaml` is the same cluster fixed and checks clean; the rendered
//!   diagnostics are snapshots (`tests/snapshots/mirror__*.snap`).
//! - `tests/fixtures/import/mirror/clp.conf` is a clp.conf written to the public sample's
//!   element shape with values of its own (the cluster of `examples/mirror-two-node.yaml`):
//!   the example's clp.conf has the same shape of mirror connects, mirror disk, monitors and
//!   network partition resolution; importing the fixture notes none of them, checks clean
//!   once `os` and the public addresses are added, and builds the same elements, value for
//!   value.

mod common;
#[path = "support/xml.rs"]
mod xml;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use common::{Test, assert_no_failures};
use hagen::catalog::Catalog;
use hagen::pipeline::check_file;
use hagen::render::human::{HumanRenderer, Style};
use hagen::source::SourceFile;
use xml::Element;

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(crate_dir().join("tests/fixtures/mirror"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter(|p| !p.to_string_lossy().ends_with(".ok.yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    files
}

fn source(path: &Path) -> SourceFile {
    let name = format!("tests/fixtures/mirror/{}", path.file_name().unwrap().to_string_lossy());
    SourceFile::new(name, fs::read_to_string(path).unwrap())
}

#[test]
fn every_mirror_rule_fixture_raises_exactly_its_code_and_its_twin_checks_clean() {
    let catalog = Catalog::builtin();
    let renderer = HumanRenderer::new(Style::PLAIN);
    let mut failures = Vec::new();
    for path in fixtures() {
        let file = source(&path);
        let Some(common::Expect {
            code,
            at: Some((line, column)),
        }) = common::expectation(&file.text)
        else {
            failures.push(format!("{}: no `# expect: CODE at LINE:COLUMN`", file.name));
            continue;
        };
        let rule = file.text.lines().nth(1).unwrap_or_default();
        if !rule.starts_with("# rule: ") {
            failures.push(format!("{}: second line is not `# rule: ...`", file.name));
        }
        let diagnostics = check_file(&file, catalog);
        let found: Vec<(&str, usize, usize)> = diagnostics
            .iter()
            .map(|d| {
                let at = file.position(d.span.start);
                (d.code.name(), at.line, at.column)
            })
            .collect();
        if found != [(code.as_str(), line, column)] {
            failures.push(format!(
                "{}: expected only {code} at {line}:{column}, got {found:?}",
                file.name
            ));
        }
        let rendered: String = diagnostics.iter().map(|d| renderer.render(&file, d)).collect();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(stem, rendered);

        let ok = source(&path.with_extension("ok.yaml"));
        if !ok.text.starts_with("# fixed: ") || ok.text.lines().nth(1) != Some(rule) {
            failures.push(format!(
                "{}: first line is not `# fixed: ...` or its rule differs",
                ok.name
            ));
        }
        let left = check_file(&ok, catalog);
        if !left.is_empty() {
            failures.push(format!("{}: {left:?}", ok.name));
        }
    }
    assert_no_failures("mirror fixture(s) that do not hold", failures);
}

// ---- clp.conf: the element shape of the public sample ----------------------------------------

fn parse(bytes: &[u8]) -> Element {
    xml::parse(&String::from_utf8_lossy(bytes)).unwrap()
}

fn built(yaml: &str) -> Element {
    let out = Test::new()
        .write("cluster.yaml", yaml)
        .args(["build", "cluster.yaml", "--out", "dist"])
        .run();
    parse(&fs::read(out.tempdir.path().join("dist/clp.conf")).unwrap())
}

fn fixture_conf() -> Element {
    parse(&fs::read(crate_dir().join("tests/fixtures/import/mirror/clp.conf")).unwrap())
}

fn children<'a>(e: &'a Element, name: &str) -> Vec<&'a Element> {
    e.children.iter().filter(|c| c.name == name).collect()
}

/// The elements of clp.conf that mirror disks and network partition resolution make: each
/// server's `mdc` and `ping` devices, the `networkpartition` container, the `md` resources and
/// the `mdw`/`mdnw` monitors, with the `types` entries of their containers. A resource's
/// `<depend>` is left out: hagen writes every group's dependency chain explicitly (FACTS.md
/// section 3), where the sample leaves the mirror disk to the default order; NEC's own
/// NeoFace sample (EXPRESSCLUSTER/NeoFace, config/NeoFace-Watch/clp.conf) writes the same
/// `<depend>` of `md` on its `fip`.
fn mirror_elements(root: &Element) -> Vec<Element> {
    let mut out = Vec::new();
    for server in children(root, "server") {
        for device in children(server, "device") {
            let kind = children(device, "type").first().map(|t| t.text.trim().to_string());
            if matches!(kind.as_deref(), Some("mdc" | "ping")) {
                let mut d = device.clone();
                // Whose device it is belongs to the comparison.
                d.attrs.insert("server".into(), server.attr("name").unwrap().into());
                out.push(d);
            }
        }
    }
    out.extend(children(root, "networkpartition").into_iter().cloned());
    for (container, kinds) in [("resource", &["md"][..]), ("monitor", &["mdw", "mdnw"][..])] {
        for c in children(root, container) {
            for e in &c.children {
                let typed = e.name == "types" && kinds.contains(&e.attr("name").unwrap_or_default());
                if typed || kinds.contains(&e.name.as_str()) {
                    let mut e = e.clone();
                    e.children.retain(|c| c.name != "depend");
                    out.push(e);
                }
            }
        }
    }
    for group in children(root, "group") {
        for r in children(group, "resource") {
            if r.attr("name").is_some_and(|n| n.starts_with("md@")) {
                out.push(r.clone());
            }
        }
    }
    out
}

/// An element's shape: its name and attribute names, then its children's shapes, sorted (the
/// order of elements may differ between writers); text left out.
fn shape(e: &Element) -> String {
    let mut kids: Vec<String> = e.children.iter().map(shape).collect();
    kids.sort();
    format!(
        "<{} {:?}>[{}]",
        e.name,
        e.attrs.keys().collect::<Vec<_>>(),
        kids.join(",")
    )
}

#[test]
fn the_example_builds_the_element_shape_of_nec_two_node_mirror_sample() {
    let example = fs::read_to_string(crate_dir().join("examples/mirror-two-node.yaml")).unwrap();
    let conf = built(&example);
    let ours: BTreeSet<String> = mirror_elements(&conf).iter().map(shape).collect();
    let sample: BTreeSet<String> = mirror_elements(&fixture_conf()).iter().map(shape).collect();
    assert_eq!(ours, sample);
    // Each kind of element is there: mdc and ping devices, pingnp, md, mdw, mdnw.
    let text: String = ours.iter().cloned().collect();
    for name in [
        "<mdc ",
        "<pingnp ",
        "<md ",
        "<mdw ",
        "<mdnw ",
        "<grp ",
        "<netdev ",
        "<cpvolumeguid ",
    ] {
        assert!(text.contains(name), "no {name}: {text}");
    }
    // A group of only its floating IP and its disk has no script resource, and the object
    // count follows NEC's formula with the network partition resource (the sample's 19).
    assert!(
        children(&conf, "resource")[0]
            .children
            .iter()
            .all(|c| c.name != "script")
    );
    let objects = conf.find_all("objectnumber")[0].text.trim().to_string();
    assert_eq!(objects, fixture_conf().find_all("objectnumber")[0].text.trim());
}

/// The public sample itself, where the shared reference files are present: the same shape.
#[test]
fn the_shape_fixture_has_the_shape_of_the_public_sample() {
    let path = crate_dir().join("../shared/reference/clpconf-samples/02_win_x42_basiccluster_md_fip_pingnp.clp.conf");
    let Ok(bytes) = fs::read(path) else { return };
    let sample: BTreeSet<String> = mirror_elements(&parse(&bytes)).iter().map(shape).collect();
    let fixture: BTreeSet<String> = mirror_elements(&fixture_conf()).iter().map(shape).collect();
    assert_eq!(fixture, sample);
}

// ---- import: the fixture round trip --------------------------------------------------------------

/// An element in full: name, attributes, trimmed text (`<x/>` and `<x />` agree), and its
/// children, sorted.
fn canonical(e: &Element) -> String {
    let mut kids: Vec<String> = e.children.iter().map(canonical).collect();
    kids.sort();
    format!("<{} {:?}>{}[{}]", e.name, e.attrs, e.text.trim(), kids.join(","))
}

/// The mirror elements in full, with the mirror disk's resource name made `MD`: hagen names
/// resources by type and number (`md1`, as NEC's tools name a first mirror disk, e.g.
/// EXPRESSCLUSTER/clpcfdiff conf/02_current/clp.conf), where the sample names it `md`.
fn canonical_mirror(root: &Element) -> BTreeSet<String> {
    let md: Vec<String> = children(root, "resource")
        .iter()
        .flat_map(|r| children(r, "md"))
        .filter_map(|m| m.attr("name").map(str::to_string))
        .collect();
    mirror_elements(root)
        .iter()
        .map(|e| {
            let mut text = canonical(e);
            if e.name == "types" {
                return text;
            }
            for name in &md {
                for (from, to) in [
                    (format!("\"{name}\""), "\"MD\"".to_string()),
                    (format!(">{name}["), ">MD[".to_string()),
                    (format!("md@{name}\""), "md@MD\"".to_string()),
                ] {
                    text = text.replace(&from, &to);
                }
            }
            text
        })
        .collect()
}

/// What clp.conf cannot hold, added to an imported file: the OS and each server's public
/// address.
fn completed(imported: &str) -> String {
    imported
        .replace(
            "  # note: clp.conf does not name the servers' Windows version; add `os:`\n",
            "  os: windows-server-2019\n",
        )
        .replacen(
            "    # note: clp.conf holds no public LAN address (only heartbeats); add `ip:`\n",
            "    ip: 10.20.0.11\n",
            1,
        )
        .replacen(
            "    # note: clp.conf holds no public LAN address (only heartbeats); add `ip:`\n",
            "    ip: 10.20.0.12\n",
            1,
        )
}

#[test]
fn the_mirror_fixture_imports_without_a_mirror_note_checks_clean_and_builds_the_same_elements() {
    let fixture = crate_dir().join("tests/fixtures/import/mirror/clp.conf");
    let imported = Test::new()
        .write("clp.conf", fs::read(&fixture).unwrap())
        .args(["import", "clp.conf"])
        .run()
        .stdout;
    insta::assert_snapshot!("import", imported);
    for word in [
        "md",
        "mdc",
        "mdw",
        "mdnw",
        "pingnp",
        "ping",
        "networkpartition",
        "mirror",
    ] {
        for line in imported.lines().filter(|l| l.contains("# note:")) {
            assert!(
                !line.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w == word),
                "a note about {word}: {line}"
            );
        }
    }
    let yaml = completed(&imported);
    let checked = Test::new()
        .write("cluster.yaml", &yaml)
        .args(["check", "cluster.yaml", "--format", "json"])
        .run();
    assert!(checked.diagnostics().is_empty(), "{yaml}\n{:?}", checked.diagnostics());
    let rebuilt = built(&yaml);
    let (ours, theirs) = (canonical_mirror(&rebuilt), canonical_mirror(&fixture_conf()));
    assert_eq!(
        ours,
        theirs,
        "only built: {:?}\nonly in the fixture: {:?}",
        ours.difference(&theirs).collect::<Vec<_>>(),
        theirs.difference(&ours).collect::<Vec<_>>()
    );
    // And the rebuilt cluster is the example's.
    let example = fs::read_to_string(crate_dir().join("examples/mirror-two-node.yaml")).unwrap();
    assert_eq!(canonical_mirror(&rebuilt), canonical_mirror(&built(&example)));
}

/// NEC's sample itself, where the shared reference files are present: the same round trip.
#[test]
fn the_public_sample_imports_checks_clean_and_builds_its_mirror_elements() {
    let path = crate_dir().join("../shared/reference/clpconf-samples/02_win_x42_basiccluster_md_fip_pingnp.clp.conf");
    let Ok(bytes) = fs::read(path) else { return };
    let imported = Test::new()
        .write("clp.conf", &bytes)
        .args(["import", "clp.conf"])
        .run()
        .stdout;
    let yaml = completed(&imported);
    let checked = Test::new()
        .write("cluster.yaml", &yaml)
        .args(["check", "cluster.yaml", "--format", "json"])
        .run();
    assert!(checked.diagnostics().is_empty(), "{yaml}\n{:?}", checked.diagnostics());
    assert_eq!(
        canonical_mirror(&built(&yaml)),
        canonical_mirror(&parse(&bytes)),
        "{yaml}"
    );
}

/// The runbook prepares the partitions, the licence and the GUIDs before the cluster is
/// created, and checks the initial mirror construction and the mirror after it starts, each
/// step with its public source.
#[test]
fn the_runbook_has_the_mirror_steps_in_order_each_with_its_source() {
    let runbook = fs::read_to_string(crate_dir().join("tests/expected/mirror-two-node/runbook.md")).unwrap();
    let steps = [
        "prepare two partitions on a disk other than the system drive: the data partition E: (NTFS",
        "the cluster partition X: (1 GB, RAW: do not format it)",
        "Register the Replicator Option licence",
        "clpdiskctrl get guid E:\\ and clpdiskctrl get guid X:\\",
        "ping 10.20.0.1",
        "Apply the configuration",
        "the initial mirror construction copies E: to node2",
        "write a test file on E: on node1, move group files to node2",
    ];
    let mut at = 0;
    for step in steps {
        let found = runbook[at..]
            .find(step)
            .unwrap_or_else(|| panic!("no {step:?} after byte {at}:\n{runbook}"));
        at += found + step.len();
        if !step.starts_with("Apply") {
            let rest = &runbook[at..];
            let source = rest.lines().nth(1).unwrap_or_default();
            assert!(
                source.contains("(source: ") && !source.contains("unverified"),
                "{step}: {source}"
            );
        }
    }
}

/// The two-node mirror example's group with apps: one custom service, or IIS with its content.
fn mirror_with(apps: &str) -> SourceFile {
    let text = fs::read_to_string(crate_dir().join("examples/mirror-two-node.yaml")).unwrap();
    SourceFile::new("mirror-apps.yaml", format!("{text}    apps:\n{apps}"))
}

/// A mirror group's texts say its mirror disk and data partition where a shared disk's say the
/// switching partition: the runbook's install step, the scripts (`tests/wine.rs` runs them),
/// and the install-location diagnostic.
#[test]
fn a_mirror_group_is_named_by_its_mirror_disk_not_a_switching_partition() {
    let file = mirror_with("      - { product: custom, name: a, services: [{ name: FileSrv, watch_id: FILESRV }] }\n");
    let (diagnostics, plan) = hagen::pipeline::check_and_plan(&file, Catalog::builtin(), true);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let package = hagen::emit::package(&plan.unwrap());
    let text = |suffix: &str| -> String {
        let (_, bytes) = package.iter().find(|(p, _)| p.ends_with(suffix)).unwrap();
        String::from_utf8(bytes.clone()).unwrap()
    };
    let runbook = text("runbook.md");
    assert!(
        runbook.contains("Start group files on node1 so that its mirror disk (data partition E:) is reachable."),
        "{runbook}"
    );
    for name in ["runbook.md", "start.bat", "stop.bat"] {
        let text = text(name);
        assert!(!text.contains("switching partition"), "{name}:\n{text}");
    }
    assert!(text("start.bat").contains("mirror disk (data partition E:)"));

    let file = mirror_with(
        "      - { product: iis, version: \"6.0\", services: [www], content_dir: 'E:\\Inetpub', site_binding: 10.20.0.100 }\n",
    );
    let messages: Vec<String> = check_file(&file, Catalog::builtin())
        .into_iter()
        .filter(|d| d.code.name() == "install-location")
        .map(|d| d.message)
        .collect();
    assert_eq!(
        messages,
        [
            "`content_dir` of `iis` belongs on the switching partition, and group `files` has no switching partition (`disk`), only a mirror disk (data partition E:)"
        ],
    );
}
