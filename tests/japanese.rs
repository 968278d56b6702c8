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
use std::process::Command;

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

fn hagen(dir: &Path, args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_hagen"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
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

/// The text a reader sees on the review page, without its code, citations, graph, snippets,
/// monospaced values (rules, ids, addresses) and failover scenarios.
fn page_text(html: &str) -> String {
    let mut text = html.to_string();
    for (open, close) in [
        // The failover scenarios (hagen simulate's) are not in the catalogues yet.
        ("<section id=\"scenarios\">", "</section>"),
        ("<style>", "</style>"),
        ("<svg", "</svg>"),
        ("<pre>", "</pre>"),
        ("<code>", "</code>"),
        ("<td class=\"source\">", "</td>"),
        ("<span class=\"source\">", "</span>"),
        ("<span class=\"small mono\">", "</span>"),
        ("<td class=\"mono", "</td>"),
    ] {
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
/// and the messages of the checks (every code but those of reading the file and the
/// scripts' code page) in Japanese.
#[test]
fn diagnostics_of_a_japanese_file_are_japanese_with_the_same_codes() {
    // Codes raised while reading and resolving the file, before the checks (their messages
    // are not in the catalogues yet); `invalid-value` is raised there and by the checks.
    let english_only = [
        "yaml-syntax",
        "unknown-field",
        "missing-field",
        "invalid-name",
        "duplicate-name",
        "unknown-reference",
        "service-must-not-stop",
        "service-unsupported",
    ];
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
        let run = |text: &str| -> Vec<serde_json::Value> {
            let test = Test::new().write(&name, text);
            let output = Command::new(env!("CARGO_BIN_EXE_hagen"))
                .current_dir(test.path())
                .args(["check", &name, "--format", "json"])
                .output()
                .unwrap();
            let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            json["diagnostics"].as_array().unwrap().clone()
        };
        let (en, ja) = (run(&en), run(&ja));
        let place = |d: &serde_json::Value| (d["code"].clone(), d["line"].clone(), d["column"].clone());
        if en.iter().map(place).collect::<Vec<_>>() != ja.iter().map(place).collect::<Vec<_>>() {
            failures.push(format!("{name}: other codes or places in Japanese"));
        }
        for d in &ja {
            let code = d["code"].as_str().unwrap();
            let message = d["message"].as_str().unwrap();
            let (letters, _) = hagen::i18n::letters(message);
            if letters > 0 {
                japanese += 1;
            } else if !english_only.contains(&code) && !code.starts_with("script-") && code != "invalid-value" {
                failures.push(format!("{name}: {code}: {message}"));
            }
        }
    }
    assert!(japanese >= 10, "{japanese} Japanese messages");
    assert_no_failures("Japanese diagnostics", failures);
}
