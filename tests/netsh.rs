//! `firewall/<server>.cmd`: every line of every generated netsh script parses against the
//! netsh grammar of its Windows version, and running a script twice under Wine's cmd.exe leaves
//! each rule once.
//!
//! The grammars, written from Microsoft's references:
//! - Windows Server 2003 SP1/R2, `netsh firewall` ("Appendix B: Netsh Command Syntax for the
//!   Netsh Firewall Context"): `add portopening [protocol=]TCP|UDP|ALL [port=]1-65535
//!   [name=]NAME [mode=ENABLE|DISABLE] [scope=ALL|SUBNET|CUSTOM] [addresses=..]
//!   [profile=CURRENT|DOMAIN|STANDARD|ALL] [interface=..]`; `delete portopening
//!   [protocol=]TCP|UDP|ALL [port=]1-65535 [profile=..] [interface=..]`.
//! - Windows Server 2008 and later, `netsh advfirewall firewall` ("Netsh AdvFirewall Firewall
//!   Commands"): `add rule name=NAME dir=in|out action=allow|block|bypass [protocol=..]
//!   [localport=..] [remoteport=..] [description=..] [enable=yes|no] [profile=..] ...`, ports
//!   only with protocol tcp or udp; `delete rule name=NAME|all [dir=..] [protocol=..]
//!   [localport=..] [remoteport=..] ...`.
//!
//! Wine's own netsh.exe answers every command, even a wrong one, with exit code 0, so it cannot
//! judge a line: the scripts run with a stand-in netsh (`tests/stand-ins/arm.c` built under that
//! name) that records each call, and the calls are applied to a model of the firewall's rule
//! list with each context's identity (advfirewall: the rule name, all rules of that name go on
//! delete; firewall: protocol and port).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use hagen::catalog::Catalog;
use hagen::emit::netsh;
use hagen::model::PortRule;
use hagen::plan::{Plan, PortNeed};
use hagen::source::SourceFile;

fn example_plan() -> Plan {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/in-house-services.yaml");
    let file = SourceFile::new("in-house-services.yaml", fs::read_to_string(path).unwrap());
    let (diags, plan) = hagen::pipeline::check_and_plan(&file, Catalog::builtin(), true);
    plan.unwrap_or_else(|| panic!("the example checks clean: {diags:?}"))
}

/// The example's plan for `os`, with an outbound rule, a range and a purpose full of cmd.exe
/// metacharacters added.
fn plan_for(os: &str) -> Plan {
    let mut plan = example_plan();
    plan.os = os.to_string();
    let firewall = plan.firewall.as_mut().expect("the example declares Windows Firewall");
    for (rule, purpose) in [
        ("udp/out 389", "domain membership"),
        ("tcp/in 30001-30004", "a range & more | <x> %PATH% ^ !v! \"q\""),
        ("tcp/out 8000-8010", "an outbound range"),
    ] {
        firewall.rules.push(PortNeed {
            rule: PortRule::parse(rule).unwrap(),
            purpose: purpose.to_string(),
            source: "tests/netsh.rs".to_string(),
        });
    }
    plan
}

const OSES: [&str; 4] = [
    "windows-server-2003",
    "windows-server-2008",
    "windows-server-2012-r2",
    "windows-server-2022",
];

fn script(os: &str) -> String {
    let bytes = netsh::script(&plan_for(os), "n1").expect("a script for Windows Firewall");
    assert!(bytes.is_ascii(), "{os}: ASCII");
    let text = String::from_utf8(bytes).unwrap();
    assert!(!text.replace("\r\n", "").contains('\n'), "{os}: CRLF only");
    text
}

/// `key=value` and `key="quoted value"` tokens, the way netsh's arguments are written.
fn tokens(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if quoted {
        return Err("an unclosed quote".into());
    }
    if !current.is_empty() {
        out.push(current);
    }
    Ok(out)
}

fn params(tokens: &[String]) -> Result<BTreeMap<String, String>, String> {
    let mut map = BTreeMap::new();
    for t in tokens {
        let (k, v) = t.split_once('=').ok_or_else(|| format!("`{t}` is not key=value"))?;
        if map.insert(k.to_ascii_lowercase(), v.to_string()).is_some() {
            return Err(format!("`{k}` twice"));
        }
    }
    Ok(map)
}

fn one_of(map: &BTreeMap<String, String>, key: &str, values: &[&str]) -> Result<(), String> {
    match map.get(key) {
        Some(v) if values.iter().any(|w| w.eq_ignore_ascii_case(v)) => Ok(()),
        Some(v) => Err(format!("{key}={v} is not one of {values:?}")),
        None => Ok(()),
    }
}

fn port_list(value: &str, low: u32) -> Result<(), String> {
    for part in value.split(',') {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let (a, b): (u32, u32) = (
            a.parse().map_err(|_| format!("port `{part}`"))?,
            b.parse().map_err(|_| format!("port `{part}`"))?,
        );
        if a < low || b > 65535 || a > b {
            return Err(format!("port `{part}` out of range"));
        }
    }
    Ok(())
}

fn only(map: &BTreeMap<String, String>, allowed: &[&str]) -> Result<(), String> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(format!("`{k}` is not a parameter of this command")),
        None => Ok(()),
    }
}

/// One netsh command line (without `netsh`), against the grammar of its dialect.
fn netsh_grammar(dialect: netsh::Dialect, args: &[String]) -> Result<(), String> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match (dialect, words.as_slice()) {
        (netsh::Dialect::AdvFirewall, ["advfirewall", "firewall", "add", "rule", rest @ ..]) => {
            let map = params(&rest.iter().map(|s| s.to_string()).collect::<Vec<_>>())?;
            only(
                &map,
                &[
                    "name",
                    "dir",
                    "action",
                    "program",
                    "service",
                    "description",
                    "enable",
                    "profile",
                    "localip",
                    "remoteip",
                    "localport",
                    "remoteport",
                    "protocol",
                    "interfacetype",
                    "rmtcomputergrp",
                    "rmtusrgrp",
                    "edge",
                    "security",
                ],
            )?;
            for required in ["name", "dir", "action"] {
                if !map.contains_key(required) {
                    return Err(format!("`{required}` is required"));
                }
            }
            one_of(&map, "dir", &["in", "out"])?;
            one_of(&map, "action", &["allow", "block", "bypass"])?;
            let proto = map.get("protocol").map(|p| p.to_ascii_lowercase());
            for key in ["localport", "remoteport"] {
                if let Some(v) = map.get(key) {
                    if !matches!(proto.as_deref(), Some("tcp" | "udp")) {
                        return Err(format!("{key} needs protocol=tcp or udp"));
                    }
                    port_list(v, 0)?;
                }
            }
            if map["name"].is_empty() || map["name"].eq_ignore_ascii_case("all") {
                return Err("a rule name cannot be empty or `all`".into());
            }
            Ok(())
        }
        (netsh::Dialect::AdvFirewall, ["advfirewall", "firewall", "delete", "rule", rest @ ..]) => {
            let map = params(&rest.iter().map(|s| s.to_string()).collect::<Vec<_>>())?;
            only(
                &map,
                &[
                    "name",
                    "dir",
                    "profile",
                    "program",
                    "service",
                    "localip",
                    "remoteip",
                    "localport",
                    "remoteport",
                    "protocol",
                ],
            )?;
            if !map.contains_key("name") {
                return Err("`name` is required".into());
            }
            Ok(())
        }
        (netsh::Dialect::Firewall, ["firewall", "add", "portopening", rest @ ..]) => {
            let map = params(&rest.iter().map(|s| s.to_string()).collect::<Vec<_>>())?;
            only(
                &map,
                &[
                    "protocol",
                    "port",
                    "name",
                    "mode",
                    "scope",
                    "addresses",
                    "profile",
                    "interface",
                ],
            )?;
            for required in ["protocol", "port", "name"] {
                if !map.contains_key(required) {
                    return Err(format!("`{required}` is required"));
                }
            }
            one_of(&map, "protocol", &["TCP", "UDP", "ALL"])?;
            one_of(&map, "mode", &["ENABLE", "DISABLE"])?;
            one_of(&map, "scope", &["ALL", "SUBNET", "CUSTOM"])?;
            one_of(&map, "profile", &["CURRENT", "DOMAIN", "STANDARD", "ALL"])?;
            let port: u32 = map["port"].parse().map_err(|_| "port is one number".to_string())?;
            if !(1..=65535).contains(&port) {
                return Err("port out of 1-65535".into());
            }
            Ok(())
        }
        (netsh::Dialect::Firewall, ["firewall", "delete", "portopening", rest @ ..]) => {
            let map = params(&rest.iter().map(|s| s.to_string()).collect::<Vec<_>>())?;
            only(&map, &["protocol", "port", "profile", "interface"])?;
            one_of(&map, "protocol", &["TCP", "UDP", "ALL"])?;
            one_of(&map, "profile", &["CURRENT", "DOMAIN", "STANDARD", "ALL"])?;
            map.get("port")
                .ok_or("`port` is required")?
                .parse::<u16>()
                .map_err(|_| "port is one number".to_string())?;
            Ok(())
        }
        _ => Err("not a command of this Windows version's netsh context".into()),
    }
}

/// Every line of a script: a netsh command of its dialect, or one of the few cmd.exe lines the
/// scripts use, with nothing cmd.exe would read as an operator outside a `rem`.
fn check_line(dialect: netsh::Dialect, line: &str) -> Result<(), String> {
    const FIXED: [&str; 9] = [
        "@echo off",
        "setlocal",
        "set FAILED=0",
        "set FAILED=1",
        "if errorlevel 1 set FAILED=1",
        "if \"%FAILED%\"==\"0\" goto done",
        "exit /b 0",
        "exit /b 1",
        ":done",
    ];
    if FIXED.contains(&line) {
        return Ok(());
    }
    if let Some(text) = line.strip_prefix("rem ").or_else(|| line.strip_prefix("echo ")) {
        return match text.chars().find(|c| "&|<>^%!\"".contains(*c)) {
            Some(c) => Err(format!("`{c}` in a comment or message")),
            None => Ok(()),
        };
    }
    let command = line.strip_suffix(" >nul 2>&1").unwrap_or(line);
    if command.len() != line.len() && !command.contains(" delete ") {
        return Err("only deletes are silenced".into());
    }
    let rest = command.strip_prefix("netsh ").ok_or("not a line these scripts hold")?;
    if rest.chars().any(|c| "&|<>^%!".contains(c)) {
        return Err("a cmd.exe operator in a netsh command".into());
    }
    netsh_grammar(dialect, &tokens(rest)?)
}

#[test]
fn every_line_parses_against_its_windows_versions_netsh_grammar() {
    let mut failures = Vec::new();
    for os in OSES {
        let dialect = netsh::dialect(os).unwrap();
        for (n, line) in script(os).lines().enumerate() {
            if let Err(e) = check_line(dialect, line) {
                failures.push(format!("{os} line {}: {e}: {line}", n + 1));
            }
        }
    }
    common::assert_no_failures("lines outside the grammar", failures);
}

#[test]
fn each_rule_names_its_ports_protocol_direction_and_side() {
    let adv = script("windows-server-2019");
    assert!(adv.contains("rem tcp/in 30001-30004: local ports 30001-30004, inbound. a range _ more _ _x_ _PATH_ _ _v_ _q_ (source: tests/netsh.rs)\r\n"), "{adv}");
    assert!(adv.contains("add rule name=\"hagen app-cluster TCP in 30001-30004\" dir=in action=allow protocol=TCP localport=30001-30004\r\n"));
    assert!(adv.contains(
        "add rule name=\"hagen app-cluster UDP out 389\" dir=out action=allow protocol=UDP remoteport=389\r\n"
    ));
    let legacy = script("windows-server-2003");
    assert!(!legacy.contains("advfirewall") && !adv.contains("netsh firewall "));
    for port in 30001..=30004 {
        assert!(legacy.contains(&format!("netsh firewall add portopening protocol=TCP port={port} name=\"hagen app-cluster TCP {port}\" mode=ENABLE scope=ALL profile=ALL\r\n")));
    }
    assert!(legacy.contains("rem udp/out 389: remote port 389, outbound. domain membership (source: tests/netsh.rs)\r\nrem Windows Firewall of Windows Server 2003 does not filter outbound traffic"));
}

#[test]
fn no_script_where_windows_has_no_firewall_or_the_filter_is_another() {
    for os in ["windows-nt-4.0", "windows-2000-server"] {
        assert!(netsh::script(&plan_for(os), "n1").is_none(), "{os}");
    }
    let mut plan = plan_for("windows-server-2019");
    plan.firewall.as_mut().unwrap().filter = hagen::model::Filter::SurfnaviPacketFilter;
    assert!(netsh::script(&plan, "n1").is_none());
}

/// The firewall's rule list, as each context identifies a rule.
#[derive(Default, Debug, PartialEq, Eq, Clone)]
struct Firewall {
    /// advfirewall: (name, the rest of the add command), in the order added.
    rules: Vec<(String, String)>,
    /// firewall: (protocol, port) -> name.
    openings: BTreeMap<(String, String), String>,
}

impl Firewall {
    fn apply(&mut self, args: &str) {
        let t = tokens(args).unwrap();
        let words: Vec<&str> = t.iter().map(String::as_str).collect();
        let map = |rest: &[&str]| params(&rest.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        match words.as_slice() {
            ["advfirewall", "firewall", "add", "rule", rest @ ..] => {
                let m = map(rest);
                self.rules.push((m["name"].clone(), args.to_string()));
            }
            ["advfirewall", "firewall", "delete", "rule", rest @ ..] => {
                let m = map(rest);
                self.rules.retain(|(name, _)| name != &m["name"]);
            }
            ["firewall", "add", "portopening", rest @ ..] => {
                let m = map(rest);
                self.openings
                    .insert((m["protocol"].clone(), m["port"].clone()), m["name"].clone());
            }
            ["firewall", "delete", "portopening", rest @ ..] => {
                let m = map(rest);
                self.openings.remove(&(m["protocol"].clone(), m["port"].clone()));
            }
            other => panic!("an unexpected netsh call {other:?}"),
        }
    }
}

/// The stand-in, built with MinGW-w64 under the name netsh.exe into a folder of its own.
fn stand_in() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new("x86_64-w64-mingw32-gcc")
        .args(["-O2", "-s", "-o"])
        .arg(dir.path().join("netsh.exe"))
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/stand-ins/arm.c"))
        .output()
        .expect("x86_64-w64-mingw32-gcc: run `.ci/install` first");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir
}

/// The prefix `.ci/install` prepares, as tests/common/wine.rs uses it.
fn wine_prefix() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/wine-prefix")
}

/// The 64-bit loader (Debian puts it in /usr/lib/wine, not on PATH), as tests/common/wine.rs finds it.
fn wine64() -> PathBuf {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("wine64"))
        .chain(["/usr/lib/wine/wine64", "/usr/lib64/wine/wine64"].map(PathBuf::from))
        .find(|p| p.is_file())
        .expect("wine64 is missing: run `.ci/install` first")
}

#[test]
fn running_a_script_twice_under_wine_leaves_each_rule_once() {
    assert!(
        wine_prefix().join(".hagen-ready").is_file(),
        "target/wine-prefix is not initialised: run `.ci/install` first"
    );
    let bin = stand_in();
    for os in ["windows-server-2003", "windows-server-2019"] {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("n1.cmd"), script(os)).unwrap();
        let z = |p: &Path| format!("Z:{}", p.display().to_string().replace('/', "\\"));
        let driver = [
            "@echo off".to_string(),
            format!("set \"PATH={};%PATH%\"", z(bin.path())),
            format!("cd /d \"{}\"", z(dir.path())),
            format!("set \"HAGEN_ARM_LOG={}\\first.log\"", z(dir.path())),
            "call \"%ComSpec%\" /c n1.cmd >first.txt 2>&1".to_string(),
            "echo %ERRORLEVEL% >first-exit.txt".to_string(),
            format!("set \"HAGEN_ARM_LOG={}\\second.log\"", z(dir.path())),
            "call \"%ComSpec%\" /c n1.cmd >second.txt 2>&1".to_string(),
            "echo %ERRORLEVEL% >second-exit.txt".to_string(),
        ]
        .join("\r\n");
        fs::write(dir.path().join("driver.bat"), driver + "\r\n").unwrap();
        let status = Command::new(wine64())
            .args(["cmd", "/c", "driver.bat"])
            .current_dir(dir.path())
            .env("WINEPREFIX", wine_prefix())
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env("WINELOADER", wine64())
            .env("LC_ALL", "en_US.UTF-8")
            .status()
            .expect("wine: run `.ci/install` first");
        assert!(status.success(), "{os}: wine");
        let read = |name: &str| fs::read_to_string(dir.path().join(name)).unwrap_or_default();
        for run in ["first", "second"] {
            assert_eq!(
                read(&format!("{run}-exit.txt")).trim(),
                "0",
                "{os} {run} run: {}",
                read(&format!("{run}.txt"))
            );
        }
        let calls = |log: &str| -> Vec<String> {
            read(log)
                .lines()
                .map(|l| {
                    l.strip_prefix("NETSH ")
                        .unwrap_or_else(|| panic!("{os}: {l}"))
                        .to_string()
                })
                .collect()
        };
        let (first, second) = (calls("first.log"), calls("second.log"));
        assert!(!first.is_empty(), "{os}: no netsh call");
        assert_eq!(first, second, "{os}: both runs make the same calls");
        let mut firewall = Firewall::default();
        first.iter().for_each(|c| firewall.apply(c));
        let once = firewall.clone();
        second.iter().for_each(|c| firewall.apply(c));
        assert_eq!(firewall, once, "{os}: the second run changes nothing");
        let names: Vec<&String> = once.rules.iter().map(|(n, _)| n).collect();
        let mut unique = names.clone();
        unique.dedup();
        assert_eq!(names.len(), unique.len(), "{os}: each rule once");
        assert!(once.rules.len() + once.openings.len() >= 14, "{os}: {once:?}");
    }
}

/// The SURFNAVI list has the form of the guide's own (seed 000, 1.6.5 (1) 9): given the guide's
/// CLUSTERPRO 8.0 ports, it is the guide's two tables, row for row.
#[test]
fn surfnavi_gets_the_guides_two_tables() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/surfnavi.yaml");
    let file = SourceFile::new("surfnavi.yaml", fs::read_to_string(path).unwrap());
    let (_, plan) = hagen::pipeline::check_and_plan(&file, Catalog::builtin(), true);
    let mut plan = plan.expect("the example checks clean");
    let guide_in = "TCP IN 20003 UDP IN 20003 TCP IN 20004 TCP IN 20005 TCP IN 20006 UDP IN 20006 TCP IN 20009 UDP IN 20010 TCP IN 20020 TCP IN 20090 TCP IN 20091";
    let guide_out = "UDP OUT 20008 UDP OUT 389";
    let rules = |text: &str| -> Vec<PortNeed> {
        let words: Vec<&str> = text.split(' ').collect();
        words
            .chunks(3)
            .map(|w| PortNeed {
                rule: PortRule::parse(&format!("{}/{} {}", w[0].to_lowercase(), w[1].to_lowercase(), w[2])).unwrap(),
                purpose: "CLUSTERPRO 8.0".into(),
                source: "seed 000 1.6.5".into(),
            })
            .collect()
    };
    let firewall = plan.firewall.as_mut().unwrap();
    firewall.rules = rules(guide_out);
    firewall.rules.extend(rules(guide_in));
    let list = String::from_utf8(hagen::emit::surfnavi::list(&plan, "gw1").unwrap()).unwrap();
    let body: Vec<&str> = list.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
    let squeeze = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut expected = vec!["プロトコル 方向 ローカルポート".to_string()];
    expected.extend(guide_in.split(' ').collect::<Vec<_>>().chunks(3).map(|w| w.join(" ")));
    expected.push("プロトコル 方向 リモートポート".to_string());
    expected.extend(guide_out.split(' ').collect::<Vec<_>>().chunks(3).map(|w| w.join(" ")));
    assert_eq!(body.iter().map(|l| squeeze(l)).collect::<Vec<_>>(), expected);
    assert!(
        netsh::script(&plan, "gw1").is_none(),
        "no netsh script for a SURFNAVI filter"
    );
}
