//! `language: ja`: every example, built in Japanese by the real binary, gives a runbook, a
//! review page and firewall files that read as Japanese. Outside code spans, citations (they
//! name documents as those name themselves, and stay as they are) and what is a name rather
//! than a sentence (product, service and platform names, the cluster file's own values,
//! commands, paths, addresses, codes), at least 90% of the letters are Japanese: no English
//! sentence is left in. The runbook holds no Markdown escape in any language, and a Japanese
//! package is recognised as hagen's when it is built again.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Test, assert_no_failures};
use hagen::catalog::Catalog;

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// The example in Japanese: the examples in English get `language: ja`.
fn in_japanese(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains("language: "), "{}", path.display());
    text.replace("language: en", "language: ja")
}

/// hagen run in `dir`.
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hagen"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// hagen run in `dir` on a file with errors: it must end with exit code 1.
fn run_failing(dir: &Path, args: &[&str]) -> Output {
    let output = run(dir, args);
    assert_eq!(output.status.code(), Some(1), "{args:?}");
    output
}

fn hagen(dir: &Path, args: &[&str]) {
    let output = run(dir, args);
    assert!(
        output.status.success(),
        "hagen {args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Words that are names, not sentences: every string value of the cluster file and every
/// product, platform and service name of the catalog, and the product and tool names the
/// guides use as they are, and the commands the steps run.
fn names(yaml: &str) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    let mut add = |text: &str| {
        for w in text.split(|c: char| !c.is_alphanumeric()) {
            if !w.is_empty() {
                words.insert(w.to_string());
            }
        }
    };
    let value: serde_json::Value = serde_saphyr::from_str(yaml).unwrap();
    let mut stack = vec![&value];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::String(s) => add(s),
            serde_json::Value::Array(a) => stack.extend(a),
            serde_json::Value::Object(o) => {
                // Inventory keys are service names.
                for (k, v) in o {
                    if v.is_string() {
                        add(k);
                    }
                    stack.push(v);
                }
            }
            _ => {}
        }
    }
    let catalog = Catalog::builtin();
    for p in catalog.platforms.values() {
        add(&p.name);
    }
    for p in catalog.products.values() {
        add(&p.name);
        for s in &p.services {
            add(&s.name);
            add(s.display.as_deref().unwrap_or(""));
        }
        for n in &p.never_stop {
            add(&n.name);
        }
    }
    for tool in [
        "hagen Windows Microsoft Management Console Cluster WebUI WebManager Replicator Option",
        "ActiveX ISAPI PacketFilter SURFNAVI ExpressMail dbMail Caution Normal Administrators",
        "administrator Service Server Ver WWW",
        // commands
        "clpcfctrl push clpdiskctrl get guid ping",
    ] {
        add(tool);
    }
    words
}

/// (Japanese letters, Latin letters outside names, the first such words) of `text`.
fn letters(text: &str, names: &BTreeSet<String>) -> (usize, usize, Vec<String>) {
    let (ja, _) = hagen::i18n::letters(text);
    let mut latin = 0;
    let mut words = Vec::new();
    let token_end = |c: char| c.is_whitespace() || !c.is_ascii() || "()[]{},;:'\"|".contains(c);
    for token in text.split(token_end) {
        let word = token.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        if word.is_empty()
            || word
                .chars()
                .any(|c| c.is_ascii_digit() || "\\/._-@=%<>&#*+$".contains(c))
            || (word.len() > 1 && word.chars().all(|c| c.is_ascii_uppercase()))
            || names.contains(word)
        {
            continue;
        }
        let n = word.chars().filter(|c| c.is_ascii_alphabetic()).count();
        latin += n;
        if n > 0 && words.len() < 20 {
            words.push(word.to_string());
        }
    }
    (ja, latin, words)
}

/// `text` without code spans and citations (`出典: ...` to the end of its line, and the
/// runbook's list of cited documents).
fn prose(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut line = line.to_string();
        while let (Some(a), Some(b)) = (line.find('`'), line.rfind('`')) {
            if a == b {
                break;
            }
            let end = a + 1 + line[a + 1..].find('`').unwrap();
            line.replace_range(a..=end, " ");
        }
        if let Some(at) = line.find("出典: ") {
            line.truncate(at);
        }
        // The list of the documents the steps cite: their titles, as they are.
        if line.starts_with("- ") {
            continue;
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The text a reader sees on the review page, without its code, citations, graph, snippets and
/// monospaced values (rules, ids, addresses).
fn page_text(html: &str) -> String {
    visible_text(html, &[("<svg", "</svg>")])
}

/// The text a reader sees in the review page's failover scenarios, their drawings' labels,
/// counts and tooltips included, without code and citations.
fn scenarios_text(html: &str) -> String {
    let start = html.find("<section id=\"scenarios\">").expect("a scenarios section");
    let end = start + html[start..].find("</section>").expect("closed");
    visible_text(&html[start..end], &[])
}

/// `html` as text, without what `drop` and [`visible_text`]'s own list enclose.
fn visible_text(html: &str, drop: &[(&str, &str)]) -> String {
    let mut text = html.to_string();
    for &(open, close) in drop.iter().chain(&[
        ("<style>", "</style>"),
        ("<pre>", "</pre>"),
        ("<code>", "</code>"),
        ("<td class=\"source\">", "</td>"),
        ("<span class=\"source\">", "</span>"),
        ("<span class=\"small mono\">", "</span>"),
        ("<td class=\"mono", "</td>"),
    ]) {
        while let Some(a) = text.find(open) {
            let end = a + text[a..].find(close).expect("closed") + close.len();
            text.replace_range(a..end, " ");
        }
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
}

fn check_share(what: &str, text: &str, names: &BTreeSet<String>, failures: &mut Vec<String>) {
    let (ja, latin, words) = letters(text, names);
    if ja == 0 || ja * 100 < (ja + latin) * 90 {
        failures.push(format!(
            "{what}: {ja} Japanese letters, {latin} Latin outside names ({:.1}% Japanese); words: {words:?}",
            100.0 * ja as f64 / (ja + latin).max(1) as f64
        ));
    }
}

#[test]
fn every_example_built_in_japanese_reads_as_japanese() {
    let mut failures = Vec::new();
    for path in examples() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let yaml = in_japanese(&path);
        let names = names(&yaml);
        let test = Test::new().write(&name, &yaml);
        let dir = test.path();
        hagen(dir, &["build", &name, "--out", "dist"]);
        hagen(dir, &["report", &name, "--out", "page.html"]);

        let runbook = fs::read_to_string(dir.join("dist/runbook.md")).unwrap();
        assert!(runbook.starts_with(hagen::output::RUNBOOK_MARK_JA), "{name}: {runbook}");
        check_share(&format!("{name} runbook.md"), &prose(&runbook), &names, &mut failures);

        let page = fs::read_to_string(dir.join("page.html")).unwrap();
        assert!(page.contains("lang=\"ja\""), "{name}: the page's language");
        check_share(&format!("{name} report.html"), &page_text(&page), &names, &mut failures);
        let scenarios = scenarios_text(&page);
        assert!(scenarios.contains("サーバダウン"), "{name}: {scenarios}");
        check_share(
            &format!("{name} report.html, scenarios"),
            &scenarios,
            &names,
            &mut failures,
        );

        let firewall = dir.join("dist/firewall");
        let mut files: Vec<PathBuf> = fs::read_dir(&firewall)
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        files.sort();
        for file in files {
            let bytes = fs::read(&file).unwrap();
            let shown = format!("{name} {}", file.file_name().unwrap().to_string_lossy());
            let text = if file.extension().is_some_and(|e| e == "cmd") {
                // CP932, as the group scripts; the comments and messages are what a reader
                // reads, the rest is netsh's own syntax.
                let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
                assert!(!bad, "{shown}: CP932");
                text.lines()
                    .filter_map(|l| l.strip_prefix("rem ").or_else(|| l.strip_prefix("echo ")))
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                String::from_utf8(bytes).unwrap()
            };
            check_share(&shown, &prose(&text), &names, &mut failures);
        }

        // Built again into the same folder: the Japanese runbook marks the folder as hagen's.
        hagen(dir, &["build", &name, "--out", "dist"]);
    }
    assert_no_failures("Japanese deliverables", failures);
}

/// At least one example is in Japanese as it is shipped.
#[test]
fn an_example_is_in_japanese() {
    assert!(
        examples()
            .iter()
            .any(|p| fs::read_to_string(p).unwrap().contains("language: ja"))
    );
}

/// No runbook, in either language, holds a Markdown backslash escape: it reads as it is in
/// Notepad.
#[test]
fn runbooks_hold_no_markdown_escape() {
    let mut failures = Vec::new();
    for path in examples() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for (language, yaml) in [
            ("as shipped", fs::read_to_string(&path).unwrap()),
            ("ja", in_japanese(&path)),
            (
                "en",
                fs::read_to_string(&path)
                    .unwrap()
                    .replace("language: ja", "language: en"),
            ),
        ] {
            let test = Test::new().write(&name, &yaml);
            hagen(test.path(), &["build", &name, "--out", "dist"]);
            let runbook = fs::read_to_string(test.path().join("dist/runbook.md")).unwrap();
            for escape in [
                "\\_", "\\<", "\\>", "\\[", "\\]", "\\*", "\\`", "\\#", "\\|", "\\&", "\\~", "\\!", "\\\\",
            ] {
                if runbook.contains(escape) {
                    failures.push(format!("{name} ({language}): `{escape}` in runbook.md"));
                }
            }
        }
    }
    assert_no_failures("Markdown escapes", failures);
}

/// A Japanese netsh script says the same netsh commands as the English one: only comments and
/// messages differ.
#[test]
fn a_japanese_netsh_script_runs_the_same_commands() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/in-house-services.yaml");
    let en = fs::read_to_string(&path).unwrap();
    assert!(en.contains("filter: windows-firewall"));
    let commands = |yaml: &str| -> Vec<String> {
        let test = Test::new().write("c.yaml", yaml);
        hagen(test.path(), &["build", "c.yaml", "--out", "dist"]);
        let dir = test.path().join("dist/firewall");
        let mut out = Vec::new();
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "cmd"))
            .collect();
        files.sort();
        assert!(!files.is_empty());
        for file in files {
            let bytes = fs::read(file).unwrap();
            let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
            out.extend(
                text.split("\r\n")
                    .filter(|l| !l.starts_with("rem ") && !l.starts_with("echo "))
                    .map(str::to_string),
            );
        }
        out
    };
    assert_eq!(commands(&en), commands(&en.replace("language: en", "language: ja")));
}

/// The diagnostics of a file in Japanese: the same codes at the same places as in English,
/// and every message, help and related place in Japanese, but those of a file that is not
/// YAML at all (its language is not known, and the message is the YAML parser's).
#[test]
fn diagnostics_of_a_japanese_file_are_japanese_with_the_same_codes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/codes");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml") && !p.to_string_lossy().ends_with(".ok.yaml"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut japanese = 0;
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let en = fs::read_to_string(&path).unwrap();
        if !en.contains("language: en") {
            continue;
        }
        let ja = en.replace("language: en", "language: ja");
        let diagnostics_of = |text: &str| -> Vec<serde_json::Value> {
            let test = Test::new().write(&name, text);
            let output = run(test.path(), &["check", &name, "--format", "json"]);
            let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            json["diagnostics"].as_array().unwrap().clone()
        };
        let (en, ja) = (diagnostics_of(&en), diagnostics_of(&ja));
        let place = |d: &serde_json::Value| (d["code"].clone(), d["line"].clone(), d["column"].clone());
        if en.iter().map(place).collect::<Vec<_>>() != ja.iter().map(place).collect::<Vec<_>>() {
            failures.push(format!("{name}: other codes or places in Japanese"));
        }
        let not_yaml = ja.len() == 1 && ja[0]["code"] == "yaml-syntax";
        for d in &ja {
            let code = d["code"].as_str().unwrap();
            let texts = std::iter::once(&d["message"])
                .chain(d["related"].as_array().unwrap().iter().map(|r| &r["message"]))
                .chain(d["help"].as_str().map(|_| &d["help"]));
            for text in texts {
                let text = text.as_str().unwrap();
                if is_japanese(text) {
                    japanese += 1;
                } else if !not_yaml {
                    failures.push(format!("{name}: {code}: {text}"));
                }
            }
        }
    }
    assert!(japanese >= 40, "{japanese} Japanese texts");
    assert_no_failures("Japanese diagnostics", failures);
}

fn is_japanese(text: &str) -> bool {
    hagen::i18n::letters(text).0 > 0
}

/// A file that checks clean, with a custom app and a switching partition: the cases below
/// break it one way each.
const CUSTOM: &str = r#"cluster: { name: app-cluster, platform: clusterpro-x-4.2, os: windows-server-2019, language: en }
servers:
  - { name: n1, ip: 192.168.60.11, interconnects: [10.0.6.11] }
  - { name: n2, ip: 192.168.60.12, interconnects: [10.0.6.12] }
groups:
  - name: app
    failover: [n1, n2]
    ip: 192.168.60.100
    disk: { drive: "S:", volume_guids: { n1: "{3d4e5f60-0000-4000-8000-000000000001}", n2: "{3d4e5f60-0000-4000-8000-000000000002}" } }
    apps:
      - { product: custom, services: [{ name: AppSvc, watch_id: APPSVC }] }
"#;

/// The same with IIS on CLUSTERPRO X 2.1, for the products' keys and services.
const IIS: &str = r#"cluster: { name: web-cluster, platform: clusterpro-x-2.1, os: windows-server-2003, language: en }
servers:
  - { name: gw1, ip: 172.16.5.11, interconnects: [10.0.3.11] }
  - { name: gw2, ip: 172.16.5.12, interconnects: [10.0.3.12] }
groups:
  - name: web
    failover: [gw1, gw2]
    ip: 172.16.5.100
    disk: { drive: "S:", volume_guids: { gw1: "{3d4e5f60-0000-4000-8000-000000000001}", gw2: "{3d4e5f60-0000-4000-8000-000000000002}" } }
    apps:
      - { product: iis, version: "6.0", services: [www], content_dir: 'S:\inetpub' }
"#;

const APP: &str = "{ product: custom, services: [{ name: AppSvc, watch_id: APPSVC }] }";
const IIS_APP: &str = "{ product: iis, version: \"6.0\", services: [www], content_dir: 'S:\\inetpub' }";
const DISK: &str = r#"disk: { drive: "S:", volume_guids: { n1: "{3d4e5f60-0000-4000-8000-000000000001}", n2: "{3d4e5f60-0000-4000-8000-000000000002}" } }"#;

/// One way of breaking a file per message of reading and resolving it: the message's key in
/// the catalogues, the file, and the text replaced in it (appended when `from` is empty).
const CASES: &[(&str, &str, &str, &str)] = &[
    // The file's shape (model::decode).
    ("decode.not_mapping", CUSTOM, "", "firewall: [windows-firewall]\n"),
    ("decode.key_not_text", CUSTOM, "", "firewall: { 1: windows-firewall }\n"),
    ("decode.not_text", CUSTOM, "  - name: app\n", "  - name: [app]\n"),
    (
        "decode.not_bool",
        CUSTOM,
        "{ product: custom,",
        "{ product: custom, monitor: 3,",
    ),
    ("decode.not_list", CUSTOM, "failover: [n1, n2]", "failover: n1"),
    ("decode.unknown_key", CUSTOM, "failover: [n1, n2]", "failovr: [n1, n2]"),
    (
        "decode.duplicate_key",
        CUSTOM,
        "    ip: 192.168.60.100\n",
        "    ip: 192.168.60.100\n    ip: 192.168.60.101\n",
    ),
    ("decode.missing_key", CUSTOM, "    ip: 192.168.60.100\n", ""),
    (
        "decode.yaml11_bool",
        CUSTOM,
        "{ product: custom,",
        "{ product: custom, monitor: yes,",
    ),
    ("decode.not_valid", CUSTOM, "windows-server-2019", "windows-server-2025"),
    ("decode.not_ipv4", CUSTOM, "ip: 192.168.60.100", "ip: 192.168.60"),
    (
        "decode.not_feature_name",
        IIS,
        "services: [www]",
        "services: [www], features: [a_b]",
    ),
    ("decode.not_service_key", IIS, "services: [www]", "services: [w.w]"),
    (
        "decode.feature_twice",
        CUSTOM,
        "language: en }",
        "language: en, features: [forced-stop, forced-stop] }",
    ),
    ("decode.failover_empty", CUSTOM, "failover: [n1, n2]", "failover: []"),
    (
        "decode.apps_empty",
        CUSTOM,
        "    apps:\n      - { product",
        "    apps: []\n    x: { product",
    ),
    (
        "decode.connects_empty",
        CUSTOM,
        DISK,
        r#"mirror: { drive: "E:", cluster_drive: "F:", connects: [] }"#,
    ),
    ("decode.ping_empty", CUSTOM, "", "network_partition: { ping: [] }\n"),
    // The values' formats (model::values).
    (
        "value.port_rule",
        CUSTOM,
        "",
        "firewall: { filter: windows-firewall, allow: [tcp80] }\n",
    ),
    (
        "value.protocol",
        CUSTOM,
        "",
        "firewall: { filter: windows-firewall, allow: [icmp/in 1] }\n",
    ),
    (
        "value.direction",
        CUSTOM,
        "",
        "firewall: { filter: windows-firewall, allow: [tcp/up 1] }\n",
    ),
    (
        "value.port",
        CUSTOM,
        "",
        "firewall: { filter: windows-firewall, allow: [tcp/in 0] }\n",
    ),
    (
        "value.backwards",
        CUSTOM,
        "",
        "firewall: { filter: windows-firewall, allow: [tcp/in 5-3] }\n",
    ),
    ("value.script_char", CUSTOM, "  - name: app\n", "  - name: 'a&b'\n"),
    ("value.dotdot", CUSTOM, "product: custom", "product: a..b"),
    ("value.path_char", CUSTOM, "product: custom", "product: a/b"),
    (
        "value.contains",
        CUSTOM,
        "    apps:\n",
        "    registry: ['HKEY_LOCAL_MACHINE\\a;b']\n    apps:\n",
    ),
    ("value.name.empty", CUSTOM, "  - name: app\n", "  - name: ''\n"),
    ("value.name.first", CUSTOM, "  - name: app\n", "  - name: 1app\n"),
    ("value.name.char", CUSTOM, "  - name: app\n", "  - name: ap.p\n"),
    (
        "value.name.long",
        CUSTOM,
        "  - name: app\n",
        "  - name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
    ),
    ("value.name.device", CUSTOM, "  - name: app\n", "  - name: CON\n"),
    ("value.path.absolute", IIS, "'S:\\inetpub'", "inetpub"),
    ("value.path.empty_folder", IIS, "'S:\\inetpub'", "'S:\\a\\\\b'"),
    ("value.path.dot", IIS, "'S:\\inetpub'", "'S:\\a\\.\\b'"),
    ("value.path.char", IIS, "'S:\\inetpub'", "'S:\\a;b'"),
    ("value.path.device", IIS, "'S:\\inetpub'", "'S:\\NUL\\b'"),
    ("value.drive.system", CUSTOM, "drive: \"S:\"", "drive: \"C:\""),
    ("value.drive", CUSTOM, "drive: \"S:\"", "drive: \"SS\""),
    (
        "value.mirror_drive.system",
        CUSTOM,
        DISK,
        r#"mirror: { drive: "C:", cluster_drive: "F:", connects: [{ n1: 10.0.6.11, n2: 10.0.6.12 }] }"#,
    ),
    ("value.service.empty", CUSTOM, "name: AppSvc", "name: ' '"),
    ("value.service.long", CUSTOM, "name: AppSvc", "name: LONG_SERVICE_NAME"),
    ("value.service.slash", CUSTOM, "name: AppSvc", "name: a/b"),
    ("value.service.quote", CUSTOM, "name: AppSvc", "name: 'a\"b'"),
    ("value.watch_id.empty", CUSTOM, "watch_id: APPSVC", "watch_id: ''"),
    ("value.watch_id.char", CUSTOM, "watch_id: APPSVC", "watch_id: A-B"),
    (
        "value.watch_id.long",
        CUSTOM,
        "watch_id: APPSVC",
        "watch_id: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ),
    (
        "value.version",
        CUSTOM,
        "{ product: custom,",
        "{ product: custom, version: 6.x,",
    ),
    (
        "value.account.char",
        CUSTOM,
        "{ product: custom,",
        "{ product: custom, service_account: 'CORP\\a#b',",
    ),
    (
        "value.hostname",
        CUSTOM,
        "    apps:\n",
        "    hostname: -bad\n    apps:\n",
    ),
    (
        "value.computer_name",
        CUSTOM,
        "    apps:\n",
        "    computer_name: way-too-long-computer-name\n    apps:\n",
    ),
    ("value.guid", CUSTOM, "\"{3d4e5f60-0000-4000-8000-000000000001}\"", "zz"),
    (
        "value.registry.root",
        CUSTOM,
        "    apps:\n",
        "    registry: ['HKEY_X\\a']\n    apps:\n",
    ),
    (
        "value.registry.empty",
        CUSTOM,
        "    apps:\n",
        "    registry: ['HKEY_LOCAL_MACHINE\\\\a']\n    apps:\n",
    ),
    ("value.export.long", CUSTOM, "", "inventory: { n1: LONG_PATH }\n"),
    ("value.export.outside", CUSTOM, "", "inventory: { n1: ../sv1.csv }\n"),
    ("value.export.char", CUSTOM, "", "inventory: { n1: 'inv/a;b.csv' }\n"),
    // The inventory's exports (inventory::load): `inv` is a folder.
    ("inventory.unreadable", CUSTOM, "", "inventory: { n1: inv }\n"),
    // The names, resolved (resolved).
    ("resolve.unknown", CUSTOM, "failover: [n1, n2]", "failover: [n1, n3]"),
    ("resolve.duplicate", CUSTOM, "name: n2,", "name: n1,"),
    ("resolve.duplicate.case", CUSTOM, "name: n2,", "name: N1,"),
    (
        "resolve.platform.unknown",
        CUSTOM,
        "clusterpro-x-4.2",
        "clusterpro-x-9.9",
    ),
    (
        "resolve.failover_twice",
        CUSTOM,
        "failover: [n1, n2]",
        "failover: [n1, n1, n2]",
    ),
    (
        "resolve.no_app",
        CUSTOM,
        "{ product: custom,",
        "{ product: custom, after: [ghost],",
    ),
    (
        "resolve.product.no_key",
        IIS,
        "services: [www]",
        "services: [www], data_dir: 'S:\\d'",
    ),
    ("resolve.product.needs", IIS, ", content_dir: 'S:\\inetpub'", ""),
    (
        "resolve.product.not_choice",
        IIS,
        IIS_APP,
        "{ product: surfnavi, version: \"2.1\", edition: nt2, placement: intranet }",
    ),
    (
        "resolve.product.not_feature",
        IIS,
        IIS_APP,
        "{ product: webharmo-oltp, install_dir: 'C:\\OLTP', features: [partial-sent] }",
    ),
    ("resolve.product.needs_version", IIS, "version: \"6.0\", ", ""),
    (
        "resolve.services.by_key",
        IIS,
        "services: [www]",
        "services: [{ name: W3SVC, watch_id: WWW }]",
    ),
    ("resolve.service.twice", IIS, "services: [www]", "services: [www, www]"),
    (
        "resolve.service.versions",
        IIS,
        "services: [www]",
        "services: [www, admin]",
    ),
    (
        "resolve.service.unsupported",
        IIS,
        "services: [www]",
        "services: [www, smtp]",
    ),
    (
        "diag.never_stop",
        IIS,
        IIS_APP,
        "{ product: surfnavi, version: \"2.1\", edition: intranet-dmz-server, placement: intranet, services: [sysres, icpf] }",
    ),
    ("resolve.service.unknown", IIS, "services: [www]", "services: [wwww]"),
    (
        "resolve.custom.no_key",
        CUSTOM,
        "{ product: custom,",
        "{ product: custom, content_dir: 'S:\\x',",
    ),
    ("resolve.custom.needs_services", CUSTOM, APP, "{ product: custom }"),
    (
        "resolve.custom.by_name",
        CUSTOM,
        APP,
        "{ product: custom, services: [w3svc] }",
    ),
    (
        "resolve.service.controlled_twice",
        CUSTOM,
        APP,
        "{ product: custom, services: [{ name: AppSvc, watch_id: APPSVC }, { name: appsvc, watch_id: APPSVC2 }] }",
    ),
    (
        "resolve.watch_id.used",
        CUSTOM,
        APP,
        "{ product: custom, services: [{ name: AppSvc, watch_id: APPSVC }, { name: Other, watch_id: appsvc }] }",
    ),
];

/// Messages no file can raise: a watch id with `NEC_` holds `_`, which
/// `value.watch_id.char` refuses first.
const UNREACHABLE: &[&str] = &["value.watch_id.nec"];

/// Keys of the catalogues that are no message of their own: labels, helps and related places
/// (checked with the message they go with), and the words messages are made of.
fn is_part(key: &str) -> bool {
    [".label", ".help", ".related"].iter().any(|s| key.ends_with(s))
        || ["decode.what.", "decode.kind.", "resolve.what.", "inventory.reason."]
            .iter()
            .any(|p| key.starts_with(p))
        || [
            "decode.takes",
            "resolve.unknown.list",
            "resolve.platform.list",
            "resolve.product.no_keys",
            "resolve.product.takes",
            "resolve.services.keys",
            "resolve.services.list",
            "resolve.custom.takes",
        ]
        .contains(&key)
}

/// Whether `message` is `template` (`{name}` placeholders standing for any text) filled in.
fn fills(template: &str, message: &str) -> bool {
    // The fixed pieces between placeholders, in order.
    let mut pieces = vec![String::new()];
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        let placeholder = rest.strip_prefix('{').and_then(|after| {
            let close = after.find('}')?;
            let name = &after[..close];
            (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(close + 2)
        });
        match placeholder {
            Some(len) => {
                pieces.push(String::new());
                rest = &rest[len..];
            }
            None => {
                pieces.last_mut().unwrap().push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if pieces.len() == 1 {
        return message == pieces[0];
    }
    let (first, last) = (&pieces[0], pieces.last().unwrap());
    if !message.starts_with(first.as_str()) || !message.ends_with(last.as_str()) {
        return false;
    }
    let (mut at, end) = (first.len(), message.len() - last.len());
    if end < at {
        return false;
    }
    for piece in &pieces[1..pieces.len() - 1] {
        match message[at..end].find(piece.as_str()) {
            Some(i) => at += i + piece.len(),
            None => return false,
        }
    }
    true
}

/// (code, line, column, message, label, help, related messages) of each diagnostic of a file
/// at `path`.
type Found = (String, usize, usize, String, String, Option<String>, Vec<String>);

fn diagnose(path: &Path, text: &str) -> Vec<Found> {
    let file = hagen::source::SourceFile::new(path.to_string_lossy(), text);
    hagen::pipeline::check_file(&file, Catalog::builtin())
        .into_iter()
        .map(|d| {
            let at = file.position(d.span.start);
            let related = d.related.into_iter().map(|r| r.message).collect();
            (
                d.code.name().to_string(),
                at.line,
                at.column,
                d.message,
                d.label.into_owned(),
                d.help,
                related,
            )
        })
        .collect()
}

/// Every diagnostic of reading and resolving a file, in a `language: ja` copy of a file that
/// raises it: the same code at the same line and column as in English, and its message,
/// label, help and related places in Japanese. Every such message of the catalogues has its
/// case, and each case raises the message it names.
#[test]
fn reading_and_resolving_diagnostics_are_japanese_at_the_same_places() {
    let english: std::collections::HashMap<String, String> =
        serde_saphyr::from_str(include_str!("../src/i18n/en.yaml")).unwrap();
    let test = Test::new().write("inv/sv1.csv", "");
    let path = test.path().join("c.yaml");
    for base in [CUSTOM, IIS] {
        assert_eq!(diagnose(&path, base), [], "{base}");
    }
    let mut failures = Vec::new();
    for &(key, base, from, to) in CASES {
        assert!(from.is_empty() || base.contains(from), "{key}: no `{from}` in the file");
        let to = to
            .replace("LONG_SERVICE_NAME", &"s".repeat(257))
            .replace("LONG_PATH", &"p".repeat(1025));
        let en = if from.is_empty() {
            format!("{base}{to}")
        } else {
            base.replacen(from, &to, 1)
        };
        let ja = en.replace("language: en", "language: ja");
        let (en, ja) = (diagnose(&path, &en), diagnose(&path, &ja));
        let place = |d: &Found| (d.0.clone(), d.1, d.2);
        if en.iter().map(place).collect::<Vec<_>>() != ja.iter().map(place).collect::<Vec<_>>() {
            failures.push(format!("{key}: other codes or places in Japanese:\n{en:?}\n{ja:?}"));
            continue;
        }
        let template = english.get(key).unwrap_or_else(|| panic!("no message `{key}`"));
        let raised: Vec<usize> = (0..en.len()).filter(|&i| fills(template, &en[i].3)).collect();
        if raised.is_empty() {
            failures.push(format!("{key}: not raised: {en:?}"));
        }
        for i in raised {
            let (code, line, column, message, label, help, related) = &ja[i];
            let texts = std::iter::once(message)
                .chain((!label.is_empty()).then_some(label))
                .chain(help)
                .chain(related);
            for text in texts {
                if !is_japanese(text) {
                    failures.push(format!("{key} ({code} at {line}:{column}): `{text}` in {message}"));
                }
            }
        }
    }
    let covered: BTreeSet<&str> = CASES.iter().map(|c| c.0).collect();
    for key in english.keys() {
        let reading = ["decode.", "value.", "inventory.", "resolve."]
            .iter()
            .any(|p| key.starts_with(p));
        if reading && !is_part(key) && !covered.contains(key.as_str()) && !UNREACHABLE.contains(&key.as_str()) {
            failures.push(format!("{key}: no case raises it"));
        }
    }
    assert_no_failures("diagnostics of reading and resolving", failures);
}

/// The human output of a Japanese file: its diagnostics and the summary line in Japanese (of
/// `check` and of `build`); a run that also checks an English file keeps the English line.
#[test]
fn the_check_summary_line_is_japanese_for_japanese_files() {
    let en = CUSTOM.replace("failover: [n1, n2]", "failovr: [n1, n2]");
    let ja = en.replace("language: en", "language: ja");
    let output = |args: &[&str]| -> String {
        let test = Test::new().write("en.yaml", &en).write("ja.yaml", &ja);
        String::from_utf8(run_failing(test.path(), args).stdout).unwrap()
    };
    let human = output(&["check", "ja.yaml"]);
    assert!(
        human.contains("error[unknown-field]: `groups[]` に不明なキー `failovr` があります"),
        "{human}"
    );
    assert!(human.contains("help: `failover` の誤りではありませんか?"), "{human}");
    assert!(human.contains("ここに `failover` がない"), "{human}");
    assert_eq!(
        human.lines().last(),
        Some("エラー 2 件、警告 0 件 (ファイル 1 個)"),
        "{human}"
    );
    let build = output(&["build", "ja.yaml", "--out", "dist"]);
    assert_eq!(
        build.lines().last(),
        Some("エラー 2 件、警告 0 件 (ファイル 1 個)"),
        "{build}"
    );
    let both = output(&["check", "ja.yaml", "en.yaml"]);
    assert_eq!(both.lines().last(), Some("4 errors, 0 warnings in 2 files"), "{both}");
    let english = output(&["check", "en.yaml"]);
    assert!(english.contains("unknown key `failovr` in `groups[]`"), "{english}");
    assert_eq!(
        english.lines().last(),
        Some("2 errors, 0 warnings in 1 file"),
        "{english}"
    );
}

/// `graph`, `report` and `simulate` print a file's diagnostics on standard error with the same
/// summary line as `check`: Japanese for a Japanese file, English for an English one.
#[test]
fn the_stderr_summary_line_follows_the_file() {
    let en = CUSTOM.replace("failover: [n1, n2]", "failovr: [n1, n2]");
    let ja = en.replace("language: en", "language: ja");
    let test = Test::new().write("en.yaml", &en).write("ja.yaml", &ja);
    let stderr_of = |args: &[&str]| String::from_utf8(run_failing(test.path(), args).stderr).unwrap();
    for (file, line) in [
        ("ja.yaml", "エラー 2 件、警告 0 件 (ファイル 1 個)"),
        ("en.yaml", "2 errors, 0 warnings in 1 file"),
    ] {
        for args in [
            vec!["graph", file],
            vec!["report", file, "--out", "page.html"],
            vec!["simulate", file],
        ] {
            let stderr = stderr_of(&args);
            assert_eq!(stderr.lines().last(), Some(line), "{args:?}:\n{stderr}");
        }
    }
}
