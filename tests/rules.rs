//! The rules of the PP guides (`../shared/seeds/`), each proved on the real binary.
//!
//! `tests/fixtures/rules/` holds one pair per rule a check enforces:
//!
//! - `<product>-<rule>.yaml` breaks exactly that rule. Its first line is
//!   `# expect: CODE at LINE:COLUMN`, its second `# rule: <seed section>: <the rule>`; `hagen
//!   check --format json` must report that code at that place and nothing else (any other
//!   diagnostic is a fixture bug: the file would prove two rules at once, or none);
//! - `<product>-<rule>.ok.yaml` is the same cluster fixed (first line `# fixed: ...`, second
//!   the same `# rule:` line) and must check without any diagnostic, warnings included.
//!
//! Rules that are procedures or notes cannot be checked on a cluster file; they must reach the
//! package instead. The second half builds the bundled examples, the fixed fixtures and the
//! cluster files of `tests/fixtures/rules/build/`, and asserts that each such step is in
//! `runbook.md` (in the right order where the guide fixes one) and that the scripts follow
//! the guides' script rules. `docs/catalog-audit.md` lists every rule and where it is proved.
//!
//! Every test collects all failures and reports them at once.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Test, assert_no_failures};
use serde_json::Value;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rules_dir() -> PathBuf {
    manifest().join("tests/fixtures/rules")
}

/// The fixture files directly in `tests/fixtures/rules/` (not the `build/` inputs), sorted.
fn fixture_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(rules_dir())
        .expect("tests/fixtures/rules exists")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in tests/fixtures/rules");
    files
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

fn is_ok(path: &Path) -> bool {
    name(path).ends_with(".ok.yaml")
}

/// The failing fixtures, each with its fixed twin.
fn pairs() -> Vec<(PathBuf, PathBuf)> {
    fixture_files()
        .into_iter()
        .filter(|p| !is_ok(p))
        .map(|bad| {
            let ok = bad.with_file_name(name(&bad).replace(".yaml", ".ok.yaml"));
            (bad, ok)
        })
        .collect()
}

/// Runs `hagen check --format json FILE` and returns its diagnostics.
fn check(path: &Path) -> Result<Vec<Value>, String> {
    let output = Command::new(env!("CARGO_BIN_EXE_hagen"))
        .args(["check", "--format", "json"])
        .arg(path)
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json: Value = serde_json::from_str(&stdout).map_err(|e| {
        format!(
            "exit {:?}, stdout is not JSON ({e}); stderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    let diagnostics = json["diagnostics"].as_array().ok_or("no diagnostics array")?.clone();
    let expected_status = if diagnostics.iter().any(|d| d["severity"] == "error") {
        1
    } else {
        0
    };
    if output.status.code() != Some(expected_status) {
        return Err(format!(
            "exit {:?} with {} diagnostic(s)",
            output.status.code(),
            diagnostics.len()
        ));
    }
    Ok(diagnostics)
}

fn describe(d: &Value) -> String {
    format!(
        "{} at {}:{} on {} ({})",
        d["code"].as_str().unwrap_or("?"),
        d["line"],
        d["column"],
        d["snippet"],
        d["message"].as_str().unwrap_or("")
    )
}

/// `(code, line, column)` from `# expect: CODE at LINE:COLUMN`.
fn expectation(text: &str) -> Option<(String, u64, u64)> {
    let common::Expect {
        code,
        at: Some((line, column)),
    } = common::expectation(text)?
    else {
        return None;
    };
    Some((code, line as u64, column as u64))
}

fn rule_line(text: &str) -> Option<&str> {
    text.lines()
        .nth(1)?
        .strip_prefix("# rule: ")
        .filter(|r| r.contains("seed ") || r.contains("SPEC"))
}

#[test]
fn every_rule_fixture_raises_exactly_its_code_at_its_place() {
    let mut failures = Vec::new();
    for (bad, _) in pairs() {
        let text = fs::read_to_string(&bad).unwrap();
        let Some((code, line, column)) = expectation(&text) else {
            failures.push(format!(
                "{}: first line is not `# expect: CODE at LINE:COLUMN`",
                name(&bad)
            ));
            continue;
        };
        match check(&bad) {
            Err(e) => failures.push(format!("{}: {e}", name(&bad))),
            Ok(found) => {
                let hit = |d: &Value| d["code"] == code.as_str() && d["line"] == line && d["column"] == column;
                if found.len() != 1 || !hit(&found[0]) {
                    let got: Vec<String> = found.iter().map(describe).collect();
                    failures.push(format!(
                        "{}: expected only {code} at {line}:{column}; got [{}]",
                        name(&bad),
                        got.join("; ")
                    ));
                }
            }
        }
    }
    assert_no_failures("failing fixture(s) do not raise exactly their code", failures);
}

#[test]
fn every_fixed_rule_fixture_checks_clean() {
    let mut failures = Vec::new();
    for (_, ok) in pairs() {
        match check(&ok) {
            Err(e) => failures.push(format!("{}: {e}", name(&ok))),
            Ok(found) if !found.is_empty() => {
                let got: Vec<String> = found.iter().map(describe).collect();
                failures.push(format!("{}: [{}]", name(&ok), got.join("; ")));
            }
            Ok(_) => {}
        }
    }
    assert_no_failures("fixed fixture(s) do not check clean", failures);
}

#[test]
fn every_rule_fixture_names_its_rule_and_has_its_twin() {
    let mut failures = Vec::new();
    let files = fixture_files();
    for path in &files {
        let text = fs::read_to_string(path).unwrap();
        if rule_line(&text).is_none() {
            failures.push(format!(
                "{}: second line is not `# rule: <seed section>: <rule>`",
                name(path)
            ));
        }
        let twin = if is_ok(path) {
            path.with_file_name(name(path).replace(".ok.yaml", ".yaml"))
        } else {
            path.with_file_name(name(path).replace(".yaml", ".ok.yaml"))
        };
        if !twin.exists() {
            failures.push(format!("{}: no {}", name(path), name(&twin)));
        }
        if is_ok(path) {
            if !text.starts_with("# fixed: ") {
                failures.push(format!("{}: first line is not `# fixed: ...`", name(path)));
            }
            let bad = fs::read_to_string(&twin).unwrap_or_default();
            if rule_line(&bad) != rule_line(&text) {
                failures.push(format!("{}: its `# rule:` line differs from its twin's", name(path)));
            }
        }
        let stem = name(path);
        let known = [
            "iis-",
            "indexing-service-",
            "dbmail-",
            "webharmo-rdbeuf-",
            "webharmo-oltp-",
            "expressmail-",
            "surfnavi-",
        ];
        if !known.iter().any(|p| stem.starts_with(p)) {
            failures.push(format!("{stem}: not named `<product>-<rule>.yaml`"));
        }
    }
    assert_no_failures("fixture naming problem(s)", failures);
}

/// Every file of a built package, its text decoded leniently (CP932 scripts keep their ASCII
/// commands intact) and the runbook's Markdown escapes removed, so that expectations read as
/// the guide's words.
struct Package {
    input: String,
    files: BTreeMap<String, String>,
}

impl Package {
    /// Runs `hagen build FILE --out dist` in a temporary folder; a failed build is an error
    /// that names the input, collected with the other failures.
    fn build(input: &Path) -> Result<Package, String> {
        let file = name(input);
        // The guides' procedures are matched in the English runbook: a file in Japanese is
        // built in English here (`tests/japanese.rs` proves the Japanese package).
        let text = fs::read_to_string(input)
            .map_err(|e| format!("{file}: {e}"))?
            .replace("language: ja", "language: en");
        // The common test folder and file writer; the build runs here so that a failure is
        // collected rather than a panic.
        let dir = Test::new().write(&file, text);
        let output = Command::new(env!("CARGO_BIN_EXE_hagen"))
            .current_dir(dir.path())
            .args(["build", &file, "--out", "dist"])
            .output()
            .map_err(|e| e.to_string())?;
        if !output.status.success() {
            return Err(format!(
                "{file}: `hagen build` exited {:?}\n{}{}",
                output.status.code(),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let mut files = BTreeMap::new();
        let root = dir.path().join("dist");
        let mut stack = vec![root.clone()];
        while let Some(folder) = stack.pop() {
            for entry in fs::read_dir(&folder).map_err(|e| e.to_string())? {
                let path = entry.map_err(|e| e.to_string())?.path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
                    let bytes = fs::read(&path).map_err(|e| e.to_string())?;
                    let mut body = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
                    if rel == "runbook.md" {
                        for c in ["_", "[", "]", "<", ">", "*"] {
                            body = body.replace(&format!("\\{c}"), c);
                        }
                    }
                    files.insert(rel, body);
                }
            }
        }
        Ok(Package { input: file, files })
    }

    /// `runbook`, `GROUP:start.bat` or `GROUP:stop.bat` (in either package layout), or a
    /// file's path in the package.
    fn file(&self, file: &str) -> Option<&str> {
        let found = match file.split_once(':') {
            _ if file == "runbook" => self.files.get("runbook.md"),
            Some((group, which)) => self
                .files
                .iter()
                .find(|(k, _)| k.starts_with(&format!("scripts/{group}/")) && k.ends_with(&format!("/{which}")))
                .map(|(_, v)| v),
            None => self.files.get(file),
        };
        found.map(String::as_str)
    }
}

/// One expectation on a package.
enum Expect<'a> {
    /// `file` holds `text`.
    Has(&'a str, &'a str),
    /// `file` holds every text, each after the one before.
    InOrder(&'a str, &'a [&'a str]),
    /// `file` does not hold `text`.
    Lacks(&'a str, &'a str),
}

/// What a rule needs to be found in a package: the seed section, the rule, and the
/// expectations.
struct Step<'a> {
    rule: &'a str,
    expect: Vec<Expect<'a>>,
}

fn verify(package: &Result<Package, String>, steps: &[Step], failures: &mut Vec<String>) {
    let package = match package {
        Ok(package) => package,
        Err(e) => {
            failures.push(e.clone());
            return;
        }
    };
    for step in steps {
        for expect in &step.expect {
            let file = match expect {
                Expect::Has(file, _) | Expect::Lacks(file, _) | Expect::InOrder(file, _) => *file,
            };
            let Some(body) = package.file(file) else {
                failures.push(format!("{} [{}]: the package has no {file}", package.input, step.rule));
                continue;
            };
            match expect {
                Expect::Has(file, text) => {
                    if !body.contains(text) {
                        failures.push(format!("{} [{}]: {file} lacks {text:?}", package.input, step.rule));
                    }
                }
                Expect::Lacks(file, text) => {
                    if body.contains(text) {
                        failures.push(format!("{} [{}]: {file} holds {text:?}", package.input, step.rule));
                    }
                }
                Expect::InOrder(file, texts) => {
                    let haystack = body;
                    let mut from = 0;
                    for text in *texts {
                        match haystack[from..].find(text) {
                            Some(at) => from += at + text.len(),
                            None => {
                                failures.push(format!(
                                    "{} [{}]: {file} lacks {text:?} after {:?}",
                                    package.input,
                                    step.rule,
                                    texts.iter().take_while(|t| *t != text).collect::<Vec<_>>()
                                ));
                                break;
                            }
                        }
                    }
                }
            }
        }
    }
}

fn example(file: &str) -> PathBuf {
    manifest().join("examples").join(file)
}

fn fixture(file: &str) -> PathBuf {
    rules_dir().join(file)
}

fn build_input(file: &str) -> PathBuf {
    rules_dir().join("build").join(file)
}

use Expect::{Has, InOrder, Lacks};

#[test]
fn procedures_and_notes_of_iis_reach_the_package() {
    let mut failures = Vec::new();
    verify(
        &Package::build(&example("iis-two-way.yaml")),
        &[
            Step {
                rule: "seed 000 1.1.7: two-way fail-back names the groups",
                expect: vec![
                    Has(
                        "runbook",
                        "(two-way fail-back of group site-a): after a failover, move group site-a back to sv1, then stop group site-b and start it again on sv2",
                    ),
                    Has(
                        "runbook",
                        "(two-way fail-back of group site-b): after a failover, move group site-b back to sv2, then stop group site-a and start it again on sv1",
                    ),
                ],
            },
            Step {
                rule: "seed 000 1.1.4 two-way (7)-(10): a virtual site for the partner group, once IIS is on both servers",
                expect: vec![InOrder(
                    "runbook",
                    &[
                        "On sv1: Install IIS",
                        "On sv2: Install IIS",
                        "On sv2: Move group site-a to sv2.",
                        "On sv2: For group site-a: With the group moved to this server, create a new Web site and a new FTP site bound to the group's floating IP",
                        "Here: address 192.168.20.101, home directory S:\\site-a.",
                        "On sv1: Move groups site-a and site-b to sv1.",
                        "On sv1: For group site-b: ",
                        "Here: address 192.168.20.102, home directory T:\\site-b.",
                        "Shut the whole cluster down",
                    ],
                )],
            },
            Step {
                rule: "seed 000 1.1.4 two-way: each server installs IIS once, with the group whose home it is",
                expect: vec![
                    InOrder(
                        "runbook",
                        &[
                            ". Install group site-a",
                            "On sv1: Install IIS",
                            ". Install group site-b",
                            "On sv2: Install IIS",
                        ],
                    ),
                    Lacks(
                        "runbook",
                        "On sv2: Install IIS (Internet Information Server/Service) 6.0: content (home directories) in S:",
                    ),
                ],
            },
            Step {
                rule: "seed 000 1.1.6 (3), (4): two-way event log and failover pause notes",
                expect: vec![
                    Has("runbook", "(two-way event log): In two-way standby, event ids 101"),
                    Has("runbook", "(two-way failover pause)"),
                ],
            },
            Step {
                rule: "seed 000 1.1.5.2: two-way start scripts kill the services, then load them",
                expect: vec![
                    InOrder(
                        "site-a:start.bat",
                        &[
                            "ARMKILL FTPService",
                            "ARMKILL WWWService",
                            "ARMLOAD WWWService /S W3SVC",
                            "ARMLOAD FTPService /S MSFTPSVC",
                        ],
                    ),
                    InOrder(
                        "site-b:start.bat",
                        &[
                            "ARMKILL FTPService",
                            "ARMKILL WWWService",
                            "ARMLOAD WWWService /S W3SVC",
                        ],
                    ),
                ],
            },
            Step {
                rule: "seed 000 1.1.5: stop in the reverse of the start order",
                expect: vec![InOrder(
                    "site-a:stop.bat",
                    &["ARMKILL FTPService", "ARMKILL WWWService"],
                )],
            },
        ],
        &mut failures,
    );
    verify(
        &Package::build(&example("iis-one-way.yaml")),
        &[
            Step {
                rule: "seed 000 1.1.4 (3): WWW and FTP set to manual on every server",
                expect: vec![Has(
                    "runbook",
                    "Set these services to startup type Manual and stop them: World Wide Web Publishing Service (W3SVC), FTP Publishing Service (MSFTPSVC).",
                )],
            },
            Step {
                rule: "seed 000 1.1.4 (1), (2): WWW and FTP sub-components only, default sites' home directories on the switching partition",
                expect: vec![InOrder(
                    "runbook",
                    &[
                        "On sv1: Install IIS",
                        "On sv1: In the IIS setup (Add/Remove Windows Components), choose only the WWW and FTP sub-components (clear NNTP Service and SMTP Service)",
                        "On sv2: Install IIS",
                        "On sv2: In the IIS setup",
                    ],
                )],
            },
            Step {
                rule: "seed 000 1.1.4 (5): shut the cluster down and restart after installing",
                expect: vec![Has(
                    "runbook",
                    "Shut the whole cluster down from the manager and restart every server.",
                )],
            },
            Step {
                rule: "seed 000 1.1.6 (1), (5), (6), (8), (9): IIS's notes",
                expect: vec![
                    Has(
                        "runbook",
                        "(virtual computer name): A virtual computer name must be tied to the floating IP",
                    ),
                    Has(
                        "runbook",
                        "(anonymous account): Give the anonymous user account the same rights on every server",
                    ),
                    Has(
                        "runbook",
                        "(web applications): ISAPI or ActiveX applications can block the stop of World Wide Web Publishing Service",
                    ),
                    Has(
                        "runbook",
                        "(service packs): Apply the service pack again after installing IIS.",
                    ),
                    Has(
                        "runbook",
                        "(Windows Server 2003 SP1 firewall): With SP1 and the firewall on, all ports close",
                    ),
                    // 1.1.6 (3) is about IIS 5.0: this runbook is IIS 6.0's.
                    Lacks("runbook", "(event log): With IIS 5.0, event ids 1003 and 1000"),
                ],
            },
            Step {
                rule: "seed 000 1.1.6 (3), (4), 1.1.7: the two-way notes stay out of a one-way runbook",
                expect: vec![
                    Lacks("runbook", "two-way event log"),
                    Lacks("runbook", "two-way fail-back"),
                    Lacks("runbook", "ARMKILL WWWService\nARMLOAD"),
                ],
            },
            Step {
                rule: "seed 000 1.1.5.1: one-way start scripts load WWW then FTP, without /M",
                expect: vec![
                    InOrder(
                        "web:start.bat",
                        &["ARMLOAD WWWService /S W3SVC", "ARMLOAD FTPService /S MSFTPSVC"],
                    ),
                    Lacks("web:start.bat", "ARMKILL"),
                    Lacks("web:start.bat", "WWWService /S /M"),
                    Lacks("web:start.bat", "FTPService /S /M"),
                ],
            },
        ],
        &mut failures,
    );
    verify(
        &Package::build(&fixture("indexing-service-after-iis.ok.yaml")),
        &[Step {
            rule: "seed 000 1.1.6 (7): Indexing Service starts after IIS and stops before it",
            expect: vec![
                InOrder(
                    "web:start.bat",
                    &["ARMLOAD WWWService /S W3SVC", "ARMLOAD IndexingService /S"],
                ),
                InOrder("web:stop.bat", &["ARMKILL IndexingService", "ARMKILL WWWService"]),
                Has(
                    "runbook",
                    "Set these services to startup type Manual and stop them: World Wide Web Publishing Service (W3SVC), Indexing Service.",
                ),
            ],
        }],
        &mut failures,
    );
    assert_no_failures("missing step(s)", failures);
}

#[test]
fn procedures_and_notes_of_dbmail_and_webharmo_reach_the_package() {
    let mut failures = Vec::new();
    verify(
        &Package::build(&example("dbmail-legacy.yaml")),
        &[
            Step {
                // 1.2.4 creates the group with the key before the install; "only after every server
                // has the software" is ExpressMail's rule (1.5.5), not dbMail's.
                rule: "seed 000 1.2.4: the group is created with the registry key HKEY_LOCAL_MACHINE\\SOFTWARE\\NEC\\dbMail",
                expect: vec![
                    Has(
                        "runbook",
                        "In the ARM manager, create group dbmail with its floating IP 192.168.40.100, switching partition S:, registry key(s) HKEY_LOCAL_MACHINE\\SOFTWARE\\NEC\\dbMail, and register",
                    ),
                    Lacks(
                        "runbook",
                        "Only after the software is installed on every server of dbmail",
                    ),
                ],
            },
            Step {
                rule: "seed 000 1.2.4: dbMail is installed on the switching partition from every server in turn",
                expect: vec![InOrder(
                    "runbook",
                    &[
                        "On db1: Install dbMail: program in S:\\dbMail (the switching partition).",
                        "On db2: Start group dbmail on db2",
                        "On db2: Install dbMail: program in S:\\dbMail",
                    ],
                )],
            },
            Step {
                rule: "seed 000 1.2.4 IIS 5.0 (4): run the dbMail environment support utility on each server",
                expect: vec![InOrder(
                    "runbook",
                    &[
                        "On db1: Install dbMail",
                        "On db1: Install into the same directory of the switching partition from every server",
                        "run the dbMail environment support utility",
                        "On db2: Install dbMail",
                        "run the dbMail environment support utility",
                    ],
                )],
            },
            Step {
                rule: "seed 000 1.2.4 (3): dbmail Service set to manual",
                expect: vec![Has("runbook", "dbmail Service.")],
            },
            Step {
                rule: "seed 000 1.2.5, 1.2.6: dbMail starts after IIS, without the monitor option, and stops first",
                expect: vec![
                    InOrder(
                        "dbmail:start.bat",
                        &["ARMLOAD WWWService /S W3SVC", "ARMLOAD DBMSVC /S \"dbmail Service\""],
                    ),
                    InOrder(
                        "dbmail:stop.bat",
                        &["ARMKILL DBMSVC", "ARMKILL FTPService", "ARMKILL WWWService"],
                    ),
                    Lacks("dbmail:start.bat", "DBMSVC /S /M"),
                ],
            },
            Step {
                rule: "seed 000 1.2.8 (1)-(6): dbMail's notes",
                expect: vec![
                    Has(
                        "runbook",
                        "(utilities): Close dbMail monitor and the dbMail utilities before moving the group",
                    ),
                    Has("runbook", "(group move): The service pauses during a group move"),
                    Has("runbook", "(linked applications):"),
                ],
            },
        ],
        &mut failures,
    );
    verify(
        &Package::build(&fixture("dbmail-after-mail-server.ok.yaml")),
        &[Step {
            rule: "seed 000 1.2.5: dbMail starts after IIS and the mail server of its group, and stops before them",
            expect: vec![
                InOrder(
                    "dbmail:start.bat",
                    &["ARMLOAD WWWService", "ARMLOAD EMLDAP", "ARMLOAD DBMSVC"],
                ),
                InOrder("dbmail:stop.bat", &["ARMKILL DBMSVC", "ARMKILL EMLDAP"]),
            ],
        }],
        &mut failures,
    );
    verify(
        &Package::build(&build_input("dbmail-companions-out-of-order.yaml")),
        &[Step {
            rule: "seed 000 1.2.5: in dbMail's group, IIS, then the mail server, then dbMail, whatever order they are written in",
            expect: vec![
                InOrder(
                    "dbmail:start.bat",
                    &[
                        "ARMLOAD WWWService",
                        "ARMLOAD EMSMTP",
                        "ARMLOAD EMLDAP",
                        "ARMLOAD DBMSVC",
                    ],
                ),
                InOrder(
                    "dbmail:stop.bat",
                    &[
                        "ARMKILL DBMSVC",
                        "ARMKILL EMLDAP",
                        "ARMKILL EMSMTP",
                        "ARMKILL WWWService",
                    ],
                ),
            ],
        }],
        &mut failures,
    );
    verify(
        &Package::build(&fixture("webharmo-rdbeuf-needs-iis.ok.yaml")),
        &[
            Step {
                rule: "seed 000 1.3.4 (3), (4): set the URL in IIS and the ODBC data source",
                expect: vec![Has(
                    "runbook",
                    "On sv1: Set in IIS the URL that starts WEBharmo/RDBEUF, and in ODBC the data source of the RDB it uses",
                )],
            },
            Step {
                rule: "seed 000 1.3.4: installed once, from the highest-priority server; URL and ODBC on each",
                expect: vec![
                    Has("runbook", "On sv1: Install WEBharmo/RDBEUF 2.0: program in S:\\RDBEUF"),
                    Lacks("runbook", "On sv2: Install WEBharmo/RDBEUF"),
                    Has(
                        "runbook",
                        "On sv2: Do not install WEBharmo/RDBEUF again: it is installed once, from sv1.",
                    ),
                    Has(
                        "runbook",
                        "On sv2: Set in IIS the URL that starts WEBharmo/RDBEUF, and in ODBC the data source",
                    ),
                ],
            },
            Step {
                rule: "seed 000 1.3.7 (1): identical URL and ODBC data sources on every server",
                expect: vec![Has(
                    "runbook",
                    "(identical settings): Set the WEBharmo/RDBEUF URL and the ODBC data sources it uses identically on every server.",
                )],
            },
            Step {
                rule: "seed 000 1.3.7 (2)-(4): unavailable during failover; no group move during database updates",
                expect: vec![Has(
                    "runbook",
                    "(failover): WEBharmo/RDBEUF is unavailable while the group fails over",
                )],
            },
            Step {
                rule: "seed 000 1.3.5: no script lines for WEBharmo/RDBEUF",
                expect: vec![Lacks("rdbeuf:start.bat", "RDBEUF")],
            },
        ],
        &mut failures,
    );
    verify(
        &Package::build(&example("webharmo-oltp.yaml")),
        &[
            Step {
                rule: "seed 000 1.4.5: pre-start cleanup per feature, before IIS starts",
                expect: vec![InOrder(
                    "oltp:start.bat",
                    &[
                        "rmdir /S /Q \"C:\\WEBharmo\\OLTP\\TEMP\"",
                        "del /S /Q \"C:\\WEBharmo\\OLTP\\PRINT\\DOC\\*.*\"",
                        "ARMLOAD WWWService /S W3SVC",
                    ],
                )],
            },
            Step {
                rule: "seed 000 1.4.4 (1), (2): local install, identical OLTP\\ENV and OLTP\\PRINT trees",
                expect: vec![
                    Has(
                        "runbook",
                        "Install WEBharmo/OLTP 4.0: program in C:\\WEBharmo (this server's local disk).",
                    ),
                    Has(
                        "runbook",
                        "(identical directories): Create the OLTP\\ENV and OLTP\\PRINT trees",
                    ),
                ],
            },
            Step {
                rule: "seed 000 1.4.6 (1), (3): licences and registry values per server",
                expect: vec![
                    Has("runbook", "(licences):"),
                    Has(
                        "runbook",
                        "(settings): OLTP runs with the registry values of the server the group runs on",
                    ),
                ],
            },
            Step {
                rule: "seed 000 1.4.4 multi-standby (3): virtual directories are for multi-standby only",
                expect: vec![Lacks("runbook", "/WHO")],
            },
        ],
        &mut failures,
    );
    verify(
        &Package::build(&build_input("webharmo-oltp-multi-standby.yaml")),
        &[
            Step {
                rule: "seed 000 1.4.4 multi-standby (3): each group's virtual site gets the /WHO virtual directories",
                expect: vec![
                    Has("runbook", ": Multi-standby: on every server"),
                    Has(
                        "runbook",
                        "/WHO -> DIR\\OLTP\\ENV\\HTM, /WHO/PRT -> DIR\\OLTP\\PRINT\\DOC, /WHO/UTL -> DIR\\OLTP\\UTL, /WHO/SCR -> DIR\\OLTP\\WHAPP",
                    ),
                ],
            },
            Step {
                rule: "seed 000 1.4.6 (2): in multi-standby, IIS and OLTP stop for a moment at failover",
                expect: vec![Has(
                    "runbook",
                    "(two-way failover pause): In multi-standby, failover stops IIS",
                )],
            },
            Step {
                rule: "seed 000 1.4.5, 1.1.5.2: the cleanup comes before every IIS start, also when IIS is killed first",
                expect: vec![
                    InOrder(
                        "oltp-a:start.bat",
                        &[
                            "rmdir /S /Q \"C:\\WEBharmo\\OLTP\\TEMP\"",
                            "ARMLOAD WWWService /S W3SVC",
                        ],
                    ),
                    InOrder(
                        "oltp-b:start.bat",
                        &[
                            "rmdir /S /Q \"C:\\WEBharmo\\OLTP\\TEMP\"",
                            "ARMKILL WWWService",
                            "ARMLOAD WWWService /S W3SVC",
                        ],
                    ),
                ],
            },
        ],
        &mut failures,
    );
    assert_no_failures("missing step(s)", failures);
}

#[test]
fn procedures_and_notes_of_expressmail_reach_the_package() {
    let mut failures = Vec::new();
    verify(
        &Package::build(&example("expressmail.yaml")),
        &[
            Step {
                rule: "seed 000 1.5.5: the registry key is registered only after ExpressMail is on every server",
                expect: vec![
                    InOrder(
                        "runbook",
                        &[
                            "In WebManager, remove the resource regsync1 from group mail and apply: its registry keys are registered only once every server has the software.",
                            "On mx1: Install ExpressMail",
                            "On mx2: Install ExpressMail",
                            "Only after the software is installed on every server of mail: synchronize the registry keys HKEY_LOCAL_MACHINE\\SOFTWARE\\NEC\\ExpressMail.",
                            "Apply the configuration again",
                        ],
                    ),
                    Has("clp.conf", "HKEY_LOCAL_MACHINE\\SOFTWARE\\NEC\\ExpressMail"),
                ],
            },
            Step {
                rule: "seed 000 1.5.8 (1): DNS A, MX and PTR records before setup",
                expect: vec![InOrder(
                    "runbook",
                    &[
                        ". Before installing: DNS",
                        "Here: A and MX records mail.example.co.jp -> 192.168.30.100; PTR records for 192.168.30.100 and for the real addresses mx1 192.168.30.11, mx2 192.168.30.12.",
                        "Install group mail",
                    ],
                )],
            },
            Step {
                rule: "seed 000 1.5.2 (1), 1.5.5 (1): program local, data on the switching partition",
                expect: vec![Has(
                    "runbook",
                    "Install ExpressMail 6.1: data in S:\\ExpressMail (the switching partition); program in C:\\Program Files\\ExpressMail (this server's local disk).",
                )],
            },
            Step {
                rule: "seed 000 1.5.5 (1): services set to manual; the setup's inputs: account, manual start, formal name",
                expect: vec![
                    Has(
                        "runbook",
                        "Set these services to startup type Manual and stop them: ExpressMail Smtp Service, ExpressMail Password Service",
                    ),
                    Has(
                        "runbook",
                        "as the mail server's formal name the host name and domain name of the group's floating (virtual) IP. Here: service account CORP\\ExpressMail_User; formal name mail.example.co.jp (the group's hostname).",
                    ),
                ],
            },
            Step {
                rule: "seed 000 1.5.5: central account management on a domain slave",
                expect: vec![
                    Has(
                        "runbook",
                        "(central account management): Only with Ver6.0 or later, and only on a domain slave whose domain master is itself a cluster",
                    ),
                    Has("runbook", "stop and start the slave group, then the master group"),
                    Has(
                        "runbook",
                        "Do this again after every update applied in ExpressMail manager's Account management tab.",
                    ),
                ],
            },
            Step {
                rule: "seed 000 1.5.5 (2), 1.5.8 (2)-(6), 1.5.7: ExpressMail's notes",
                expect: vec![
                    Has("runbook", "(identical setup): Enter identical settings on every server"),
                    Has("runbook", "(administration): Change settings only on the active server"),
                    Has("runbook", "(first start):"),
                    Has(
                        "runbook",
                        "(restarts): When ExpressMail manager asks for a service restart, stop and start the group",
                    ),
                    Has("runbook", "(failover option): Do not add /FOV to ARMLOAD"),
                ],
            },
            Step {
                rule: "seed 000 1.5.7: the seven services start with ARMLOAD /S /M in the sample's order",
                expect: vec![InOrder(
                    "mail:start.bat",
                    &[
                        "ARMLOAD EMSMTP /S /M ",
                        "ARMLOAD EMPASS /S /M ",
                        "ARMLOAD EMPOP /S /M ",
                        "ARMLOAD EMIMAP /S /M ",
                        "ARMLOAD EMHTTP /S /M ",
                        "ARMLOAD EMCRON /S /M ",
                        "ARMLOAD EMLDAP /S /M ",
                    ],
                )],
            },
        ],
        &mut failures,
    );
    assert_no_failures("missing step(s)", failures);
}

#[test]
fn procedures_and_notes_of_surfnavi_reach_the_package() {
    let mut failures = Vec::new();
    verify(
        &Package::build(&example("surfnavi.yaml")),
        &[
            Step {
                rule: "seed 002 installation steps F)-H); seed 000 1.6.5 (1) 6-8: unbind the packet filter from the interconnect",
                expect: vec![
                    Has(
                        "runbook",
                        "On gw1: Unbind the SURFNAVI PacketFilter from the interconnect's network connection: set driver signing to ignore, clear [PacketFilter] in the connection's properties, then restore driver signing. Interconnect address(es) here: 10.0.3.11.",
                    ),
                    Has(
                        "runbook",
                        "On gw2: Unbind the SURFNAVI PacketFilter from the interconnect's network connection",
                    ),
                    Has("runbook", "Interconnect address(es) here: 10.0.3.12."),
                ],
            },
            Step {
                rule: "seed 002 installation step E), notes (6): settings that reset services to automatic",
                expect: vec![
                    Has(
                        "runbook",
                        "Some settings switch services back to automatic and start them: set them to manual again and stop them.",
                    ),
                    Has(
                        "runbook",
                        "(monitoring service buttons): Do not use 'monitoring service on' or 'restart monitoring service' in the SURFNAVI Management Console: they set services to automatic.",
                    ),
                    Has(
                        "runbook",
                        "whenever any other settings tool switches a service to automatic",
                    ),
                ],
            },
            Step {
                rule: "seed 002 installation step E); seed 000 1.6.5 (1) 5: the nine services set to manual",
                expect: vec![
                    Has(
                        "runbook",
                        "Set to manual: FTP Publishing Service, World Wide Web Publishing Service, SURFNAVI Protocol Proxy, SURFNAVI Proxy Server, SURFNAVI Tunnel Proxy, DNS Server, FMSRVC, SURFNAVI SysInt, SURFNAVI SysRes",
                    ),
                    Has(
                        "runbook",
                        "SURFNAVI Proxy Server (SURFNAVIProxyServer), SURFNAVI Tunnel Proxy (SURFNAVITunnelProxy), DNS Server (Dns), FMSRVC (FMSRVC), SURFNAVI SysInt (SysInt), SURFNAVI SysRes (SysRes).",
                    ),
                ],
            },
            Step {
                rule: "seed 002 installation steps A), B), D), notes (1): IIS first, then SURFNAVI without ExpressMail, then ExpressMail",
                expect: vec![InOrder(
                    "runbook",
                    &[
                        "On gw1: Install IIS",
                        "On gw1: Install SURFNAVI intranet/DMZ server 2.0.",
                        "On gw1: Install SURFNAVI with a custom install that leaves ExpressMail out, then add ExpressMail from Add/Remove Programs",
                        "On gw1: Install ExpressMail 6.1",
                        "On gw2: Install IIS",
                    ],
                )],
            },
            Step {
                rule: "seed 002 installation step I), notes (7): the packet filter passes the cluster's ports, once SURFNAVI is installed",
                expect: vec![
                    InOrder(
                        "runbook",
                        &[
                            "On gw1: Install SURFNAVI intranet/DMZ server",
                            "On gw1: Allow tcp/in 29001, tcp/in 29002, tcp/in 29003, udp/in 29003, tcp/in 29004, tcp/in 29005, tcp/in 29007, udp/in 29007, udp/in 29106, udp/out 29003, udp/out 389, udp/in 623",
                        ],
                    ),
                    Has("firewall/gw1.txt", "udp/in 623"),
                    Has("firewall/gw2.txt", "udp/in 29106"),
                ],
            },
            Step {
                rule: "seed 002 installation step (3); seed 000 1.6.5 (3): DNS records for the floating IP",
                expect: vec![InOrder(
                    "runbook",
                    &[
                        "On gw2: Install SURFNAVI",
                        "After installing: review DNS",
                        "On gw1, gw2: Group surfnavi: Review the DNS settings SURFNAVI's setup made: when SURFNAVI's DNS serves the floating IP or delivers mail",
                    ],
                )],
            },
            Step {
                rule: "seed 002 installation step B) 【注意】, notes (2)-(5), (8): SURFNAVI's notes",
                expect: vec![
                    Has(
                        "runbook",
                        "On gw1: The security policy template on the SURFNAVI CD removes every member",
                    ),
                    Has(
                        "runbook",
                        "(identical setup): Use identical settings on every server, except the network settings' IP address and host name",
                    ),
                    Has(
                        "runbook",
                        "(tools): The tool list's network connection test and log cleaning do not work",
                    ),
                ],
            },
            Step {
                rule: "seed 002 script sample, スクリプト作成の注意事項: ExpressMail, SURFNAVI (with /M), then IIS; ICPFSrv never controlled",
                expect: vec![
                    InOrder(
                        "surfnavi:start.bat",
                        &[
                            "ARMLOAD EMLDAP /S /M",
                            "ARMLOAD SNVPrtPrx /S /M SURFNAVIProtocolProxy",
                            "ARMLOAD SNVSysRes /S /M SysRes",
                            "ARMLOAD WWWService /S W3SVC",
                            "ARMLOAD FTPService /S MSFTPSVC",
                        ],
                    ),
                    Lacks("surfnavi:start.bat", "ICPF"),
                    Lacks("surfnavi:stop.bat", "ICPF"),
                    InOrder(
                        "surfnavi:stop.bat",
                        &[
                            "ARMKILL FTPService",
                            "ARMKILL WWWService",
                            "ARMKILL SNVSysRes",
                            "ARMKILL SNVPrtPrx",
                            "ARMKILL EMLDAP",
                            "ARMKILL EMSMTP",
                        ],
                    ),
                ],
            },
        ],
        &mut failures,
    );
    verify(
        &Package::build(&fixture("surfnavi-install-local.ok.yaml")),
        &[Step {
            rule: "seed 000 1.6.5; seed 002 installation steps: the group's registry key is registered after SURFNAVI is on every server",
            expect: vec![InOrder(
                "runbook",
                &[
                    "On sv2: Install SURFNAVI intranet/DMZ server 2.0: program in C:\\SURFNAVI (this server's local disk).",
                    "Only after the software is installed on every server of gw: synchronize the registry keys HKEY_LOCAL_MACHINE\\SOFTWARE\\NEC\\ExpressMail.",
                ],
            )],
        }],
        &mut failures,
    );
    assert_no_failures("missing step(s)", failures);
}

/// The guides quote a service name that holds spaces (seed 000 1.2.6 `ARMLOAD DBMSVC /S
/// "dbmail Service"`, 1.5.7 `ARMLOAD EMSMTP /S /M "ExpressMail Smtp Service"`): unquoted, the
/// name would reach ARMLOAD as several arguments.
#[test]
fn service_names_with_spaces_are_quoted_as_the_guides_write_them() {
    let mut failures = Vec::new();
    verify(
        &Package::build(&example("expressmail.yaml")),
        &[Step {
            rule: "seed 000 1.5.7: ARMLOAD EMSMTP /S /M \"ExpressMail Smtp Service\"",
            expect: vec![Has(
                "mail:start.bat",
                "ARMLOAD EMSMTP /S /M \"ExpressMail Smtp Service\"",
            )],
        }],
        &mut failures,
    );
    verify(
        &Package::build(&example("dbmail-legacy.yaml")),
        &[Step {
            rule: "seed 000 1.2.6: ARMLOAD DBMSVC /S \"dbmail Service\"",
            expect: vec![Has("dbmail:start.bat", "ARMLOAD DBMSVC /S \"dbmail Service\"")],
        }],
        &mut failures,
    );
    assert_no_failures("unquoted service name(s)", failures);
}
