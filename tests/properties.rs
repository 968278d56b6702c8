//! Properties over generated input:
//! (a) generated valid clusters (servers, groups, custom apps with services and `after`
//!     edges forming a DAG, sometimes IIS in a safe configuration) check clean, build, and
//!     their scripts keep SPEC section 5's invariants, with a start order that respects every
//!     `after` edge, and their clp.conf is their plan (tests/support/plan_conf.rs);
//! (b) mutations of the bundled examples (byte flips, deleted, repeated or swapped lines,
//!     truncations) never panic and give a clean result or diagnostics, never an internal
//!     failure (in-process, and a few through the binary);
//! (c) the package is byte-identical across runs and output folders.
//!
//! Case counts keep the file well under a minute in a debug build; raise them with
//! `PROPTEST_CASES=N`.

mod common;
#[path = "support/plan_conf.rs"]
mod plan_conf;
#[path = "support/scripts.rs"]
mod scripts;
#[path = "support/tree.rs"]
mod tree;
#[path = "support/xml.rs"]
mod xml;

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use hagen::catalog::Catalog;
use hagen::diag::Severity;
use hagen::pipeline::check_and_plan;
use hagen::source::SourceFile;
use proptest::prelude::*;
use proptest::sample::subsequence;

// ---- (a) generated valid clusters ----

#[derive(Debug, Clone)]
struct App {
    services: usize,
    /// Indexes of earlier apps of the group this one starts after: a DAG by construction.
    after: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Group {
    /// Rotation of the server list that gives the failover order.
    rotate: usize,
    apps: Vec<App>,
    /// Indexes of earlier groups.
    after: Vec<usize>,
    /// IIS 6.0 in this group too (the first group only: IIS in several groups that share
    /// servers is mutual standby, which the guide limits to two servers and two groups).
    iis: bool,
    service_resources: bool,
}

#[derive(Debug, Clone)]
struct Cluster {
    servers: usize,
    language: &'static str,
    groups: Vec<Group>,
}

fn app(index: usize) -> impl Strategy<Value = App> {
    (
        1..=3usize,
        subsequence((0..index).collect::<Vec<_>>(), 0..=index.min(2)),
    )
        .prop_map(|(services, after)| App { services, after })
}

fn group(index: usize) -> impl Strategy<Value = Group> {
    (1..=4usize)
        .prop_flat_map(|n| (0..n).map(app).collect::<Vec<_>>())
        .prop_flat_map(move |apps| {
            (
                Just(apps),
                0..4usize,
                subsequence((0..index).collect::<Vec<_>>(), 0..=index.min(2)),
                any::<bool>(),
                any::<bool>(),
            )
        })
        .prop_map(move |(apps, rotate, after, iis, service_resources)| Group {
            rotate,
            apps,
            after,
            iis: iis && index == 0,
            service_resources,
        })
}

fn cluster() -> impl Strategy<Value = Cluster> {
    (2..=4usize, prop_oneof![Just("en"), Just("ja")], 1..=4usize)
        .prop_flat_map(|(servers, language, n)| {
            let groups: Vec<_> = (0..n).map(group).collect();
            (Just(servers), Just(language), groups)
        })
        .prop_map(|(servers, language, groups)| Cluster {
            servers,
            language,
            groups,
        })
}

/// The YAML of a generated cluster (CLUSTERPRO X 2.1 on Windows Server 2003, where IIS 6.0
/// is supported, as in examples/iis-two-way.yaml).
fn yaml(c: &Cluster) -> String {
    let mut t = format!(
        "cluster:\n  name: generated\n  platform: clusterpro-x-2.1\n  os: windows-server-2003\n  language: {}\n\nservers:\n",
        c.language
    );
    for s in 0..c.servers {
        t += &format!(
            "  - name: n{s}\n    ip: 192.168.60.{}\n    interconnects: [10.0.6.{}]\n",
            11 + s,
            11 + s
        );
    }
    t += "\ngroups:\n";
    for (g, group) in c.groups.iter().enumerate() {
        let order: Vec<String> = (0..c.servers)
            .map(|i| format!("n{}", (i + group.rotate) % c.servers))
            .collect();
        t += &format!(
            "  - name: g{g}\n    failover: [{}]\n    ip: 192.168.60.{}\n",
            order.join(", "),
            100 + g
        );
        if !group.after.is_empty() {
            let after: Vec<String> = group.after.iter().map(|a| format!("g{a}")).collect();
            t += &format!("    after: [{}]\n", after.join(", "));
        }
        if group.service_resources {
            t += "    control: service-resources\n";
        }
        if group.iis {
            // IIS 6.0 on a shared disk, as examples/iis-two-way.yaml has it.
            t += &format!(
                "    disk:\n      drive: \"{}:\"\n      volume_guids:\n{}",
                char::from(b'S' + g as u8),
                (0..c.servers)
                    .map(|s| format!("        n{s}: \"{{1b2c3d4e-0000-4000-8000-0000000{g:02}{s:03}}}\"\n"))
                    .collect::<String>()
            );
        }
        t += "    apps:\n";
        if group.iis {
            t += &format!(
                "      - product: iis\n        version: \"6.0\"\n        services: [www]\n        content_dir: '{}:\\site{g}'\n        site_binding: 192.168.60.{}\n",
                char::from(b'S' + g as u8),
                100 + g
            );
        }
        for (a, app) in group.apps.iter().enumerate() {
            t += &format!("      - product: custom\n        name: a{g}x{a}\n");
            if !app.after.is_empty() {
                let after: Vec<String> = app.after.iter().map(|b| format!("a{g}x{b}")).collect();
                t += &format!("        after: [{}]\n", after.join(", "));
            }
            t += "        services:\n";
            for s in 0..app.services {
                t += &format!("          - {{ name: Svc{g}x{a}x{s}, watch_id: W{g}X{a}X{s} }}\n");
            }
        }
    }
    t
}

/// The package of a clean file, with every diagnostic it got.
fn build(name: &str, text: &str) -> (Vec<String>, Option<BTreeMap<String, Vec<u8>>>) {
    let file = SourceFile::new(name, text);
    let (diagnostics, plan) = check_and_plan(&file, Catalog::builtin(), true);
    let shown = diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    (shown, plan.map(|p| hagen::emit::package(&p).into_iter().collect()))
}

/// Watch ids in the order start.bat loads them.
fn loads(script: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(script)
        .lines()
        .filter_map(|l| l.strip_prefix("ARMLOAD "))
        .map(|l| l.split(' ').next().unwrap().to_string())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn generated_clusters_check_clean_and_keep_the_script_invariants(c in cluster()) {
        let text = yaml(&c);
        let (diagnostics, package) = build("generated.yaml", &text);
        prop_assert!(diagnostics.is_empty(), "{diagnostics:?}\n{text}");
        let package = package.expect("a clean file has a plan");
        scripts::check_invariants("generated.yaml", &package);
        // clp.conf says what the plan says.
        prop_assert!(plan_conf::check("generated.yaml", &text));
        for (path, bytes) in &package {
            if c.language == "en" {
                prop_assert!(bytes.is_ascii(), "{path} is not ASCII");
            } else if path.ends_with(".bat") || path.ends_with(".cmd") {
                let (_, _, bad) = encoding_rs::SHIFT_JIS.decode(bytes);
                prop_assert!(!bad, "{path} is not CP932");
            } else if path.ends_with(".md") || path.ends_with(".txt") {
                // The runbook and the firewall lists are UTF-8 text, in Japanese.
                prop_assert!(std::str::from_utf8(bytes).is_ok(), "{path} is not UTF-8");
            } else {
                prop_assert!(bytes.is_ascii(), "{path} is not ASCII");
            }
        }
        for (g, group) in c.groups.iter().enumerate() {
            let start = package
                .iter()
                .find(|(p, _)| p.starts_with(&format!("scripts/g{g}/")) && p.ends_with("start.bat"))
                .map(|(_, b)| b)
                .expect("a start.bat per group");
            let loaded = loads(start);
            let services: BTreeSet<String> = group
                .apps
                .iter()
                .enumerate()
                .flat_map(|(a, app)| (0..app.services).map(move |s| format!("W{g}X{a}X{s}")))
                .collect();
            if group.service_resources {
                // Service resources start the services; the script starts none of them.
                prop_assert!(loaded.iter().all(|w| !services.contains(w)), "{loaded:?}");
                continue;
            }
            let mine: Vec<&String> = loaded.iter().filter(|w| services.contains(*w)).collect();
            prop_assert_eq!(mine.len(), services.len(), "every service once: {:?}", loaded);
            let position = |w: &str| loaded.iter().position(|x| x == w).unwrap();
            for (a, app) in group.apps.iter().enumerate() {
                for &b in &app.after {
                    for s in 0..app.services {
                        for t in 0..group.apps[b].services {
                            let (late, early) = (format!("W{g}X{a}X{s}"), format!("W{g}X{b}X{t}"));
                            prop_assert!(
                                position(&early) < position(&late),
                                "{late} starts before {early}, but a{g}x{a} is after a{g}x{b}"
                            );
                        }
                    }
                }
            }
        }
    }
}

// ---- (b) mutations of the bundled examples ----

#[derive(Debug, Clone)]
enum Mutation {
    Flip {
        at: usize,
        byte: u8,
    },
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Truncate(usize),
    /// Swap the keys of two `key: value` lines.
    SwapKeys(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapKeys(a, b)),
    ]
}

fn mutate(text: &str, m: &Mutation) -> Vec<u8> {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let n = lines.len();
    match *m {
        Mutation::Flip { at, byte } => {
            let mut bytes = text.as_bytes().to_vec();
            let at = at % bytes.len();
            bytes[at] = byte;
            return bytes;
        }
        Mutation::Truncate(at) => return text.as_bytes()[..at % text.len()].to_vec(),
        Mutation::DeleteLine(i) => {
            lines.remove(i % n);
        }
        Mutation::DuplicateLine(i) => {
            let line = lines[i % n].clone();
            lines.insert(i % n, line);
        }
        Mutation::SwapLines(a, b) => lines.swap(a % n, b % n),
        Mutation::SwapKeys(a, b) => {
            let keyed: Vec<usize> = (0..n).filter(|&i| lines[i].contains(": ")).collect();
            if keyed.len() >= 2 {
                let (a, b) = (keyed[a % keyed.len()], keyed[b % keyed.len()]);
                let split = |l: &str| {
                    let (k, v) = l.split_once(": ").unwrap();
                    (k.to_string(), v.to_string())
                };
                let ((ka, va), (kb, vb)) = (split(&lines[a]), split(&lines[b]));
                let indent = |k: &str| k.len() - k.trim_start().len();
                lines[a] = format!("{}{}: {va}", &ka[..indent(&ka)], kb.trim_start());
                lines[b] = format!("{}{}: {vb}", &kb[..indent(&kb)], ka.trim_start());
            }
        }
    }
    lines.concat().into_bytes()
}

/// What `hagen check` and `build` would do with the bytes, in-process: `None` for an
/// I/O-style refusal (not UTF-8, empty), else the diagnostics and whether a package was
/// planned; a panic is `Err` with its message.
type Outcome = Result<Option<(Vec<hagen::diag::Diagnostic>, bool)>, String>;

fn outcome(bytes: &[u8]) -> Outcome {
    let Ok(text) = hagen::input::decode(bytes) else {
        return Ok(None);
    };
    let file = SourceFile::new("mutant.yaml", text);
    catch_unwind(AssertUnwindSafe(|| {
        let (diagnostics, plan) = check_and_plan(&file, Catalog::builtin(), true);
        if let Some(plan) = &plan {
            assert!(!hagen::emit::package(plan).is_empty());
        }
        for d in &diagnostics {
            assert!(d.span.start <= d.span.end && d.span.end <= file.text.len(), "{d:?}");
        }
        (diagnostics, plan.is_some())
    }))
    .map(Some)
    .map_err(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn mutated_examples_never_panic(
        which in 0..7usize,
        mutations in prop::collection::vec(mutation(), 1..=3),
    ) {
        let examples = tree::examples();
        let (name, text) = &examples[which % examples.len()];
        let mut bytes = text.as_bytes().to_vec();
        for m in &mutations {
            bytes = mutate(&String::from_utf8_lossy(&bytes), m);
            if bytes.is_empty() {
                break;
            }
        }
        match outcome(&bytes) {
            Err(panic) => prop_assert!(false, "{name} {mutations:?} panicked: {panic}"),
            // Either errors (exit 1, nothing built) or none and a package (exit 0).
            Ok(Some((diagnostics, planned))) => {
                let errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
                prop_assert_eq!(errors, !planned, "{} {:?}: {:?}", name, mutations, diagnostics);
            }
            Ok(None) => {}
        }
    }
}

/// A few mutants through the real binary: exit 0 or 1 (2 only for bytes that are not a
/// usable file), and never a panic.
#[test]
fn mutated_examples_through_the_binary() {
    let examples = tree::examples();
    let mutations = [
        Mutation::Flip { at: 40, byte: b'{' },
        Mutation::DeleteLine(9),
        Mutation::DuplicateLine(20),
        Mutation::SwapLines(3, 30),
        Mutation::Truncate(300),
        Mutation::SwapKeys(2, 11),
        Mutation::Flip { at: 100, byte: 0xFF },
    ];
    for (i, m) in mutations.iter().enumerate() {
        let (name, text) = &examples[i % examples.len()];
        let bytes = mutate(text, m);
        let usable = hagen::input::decode(&bytes).is_ok();
        let out = common::Test::new()
            .write("mutant.yaml", &bytes)
            .args(["check", "--format", "json", "mutant.yaml"])
            .status(if usable { expected_status(&bytes) } else { 2 })
            .run();
        if usable {
            let json = out.json();
            let errors = json["summary"]["errors"].as_u64().unwrap();
            assert_eq!(out.status == 1, errors > 0, "{name} {m:?}: {}", out.stdout);
        }
    }
}

/// 1 when the in-process check finds an error, else 0.
fn expected_status(bytes: &[u8]) -> i32 {
    match outcome(bytes) {
        Ok(Some((d, _))) if d.iter().any(|d| d.severity == Severity::Error) => 1,
        Ok(_) => 0,
        Err(panic) => panic!("{panic}"),
    }
}

// ---- (c) deterministic output ----

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Two builds of the same file, into different folders through the real binary, give
    /// the same bytes; and the same as the in-process package.
    #[test]
    fn the_package_is_the_same_across_runs_and_folders(c in cluster()) {
        let text = yaml(&c);
        let out = common::Test::new()
            .write("c.yaml", &text)
            .write("sub/dir/c.yaml", &text)
            .args(["build", "c.yaml", "--out", "one"])
            .run();
        let dir = out.tempdir.path();
        let again = std::process::Command::new(env!("CARGO_BIN_EXE_hagen"))
            .current_dir(dir.join("sub"))
            .args(["build", "dir/c.yaml", "--out", "../elsewhere/two"])
            .output()
            .unwrap();
        prop_assert!(again.status.success(), "{again:?}");
        let one = tree::tree(&dir.join("one"));
        let two = tree::tree(&dir.join("elsewhere/two"));
        prop_assert!(!one.is_empty());
        prop_assert_eq!(&one, &two);
        let (_, package) = build("c.yaml", &text);
        prop_assert_eq!(&one, &package.unwrap());
    }
}
