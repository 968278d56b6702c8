//! The JSON Schemas of `schemas/`: committed as generated, and in agreement with hagen.
//!
//! - `schemas/*.schema.json` are what `hagen::schema` generates (`HAGEN_BLESS=1 cargo test
//!   --test schema` rewrites them);
//! - every cluster file hagen reads without a shape error validates against
//!   `cluster.schema.json`, and every file hagen rejects for its shape is rejected by it,
//!   except the rules listed in [`EXCEPTIONS`];
//! - every format's pattern agrees with hagen's check on a corpus of tricky texts;
//! - every built-in profile, and the worked example, validates against `profile.schema.json`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use hagen::catalog::Catalog;
use hagen::diag::{Code, Diagnostic};
use hagen::pipeline::check_file;
use hagen::schema::formats;
use hagen::source::SourceFile;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Compares a committed schema with the generated one, or writes it with `HAGEN_BLESS=1`.
fn committed(name: &str, generated: &str) {
    let path = root().join("schemas").join(name);
    if std::env::var_os("HAGEN_BLESS").is_some() {
        fs::write(&path, generated).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let on_disk = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "schemas/{name} is not what hagen generates: run `HAGEN_BLESS=1 cargo test --test schema` and commit it"
    );
}

#[test]
fn the_committed_schemas_are_generated() {
    committed("cluster.schema.json", &hagen::schema::cluster_schema());
    committed("profile.schema.json", &hagen::schema::profile_schema());
}

/// What JSON Schema cannot say, each with why: a file whose only problems are these checks
/// clean against the schema, and the schema is not expected to reject it.
const EXCEPTIONS: &[(&str, &str)] = &[
    (
        "both mount their switching partition",
        "two groups that meet on a server use one drive letter: a comparison between groups",
    ),
    (
        "is already the address of",
        "an address given twice: uniqueness across the whole file",
    ),
    (
        "interconnect(s)",
        "servers with different numbers of interconnects: a comparison between servers",
    ),
    (
        "has no service resources",
        "`control: service-resources` on a CLUSTERPRO 6.0-8.0 platform: depends on `cluster.platform`'s generation",
    ),
    (
        "` feature",
        "a cluster feature the platform lacks (`has no `forced-stop` feature`): depends on `cluster.platform`",
    ),
    (
        "runs backwards",
        "a port range whose first port is above its last: a regular expression cannot compare numbers",
    ),
];

/// `yaml-syntax` is not a shape the schema can have: a file that is not YAML has no JSON, and
/// JSON has no duplicate keys, anchors or budgets.
fn skipped(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.code == Code::YamlSyntax)
}

/// The diagnostics about the file's shape that the schema must find too.
fn shape(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.code,
                Code::UnknownField | Code::MissingField | Code::InvalidValue | Code::InvalidName
            )
        })
        .filter(|d| {
            !EXCEPTIONS
                .iter()
                .any(|(m, _)| d.code != Code::UnknownField && d.message.contains(m))
        })
        .collect()
}

/// YAML as JSON, the way an editor reads it: YAML 1.2 booleans, like hagen.
fn json(text: &str) -> Value {
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(text, options).unwrap_or_else(|e| panic!("not YAML: {e}"))
}

fn validator(name: &str) -> jsonschema::Validator {
    let text = fs::read_to_string(root().join("schemas").join(name)).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn schema_errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Whether hagen and the schema agree on a text; a description of the disagreement if not.
fn disagreement(validator: &jsonschema::Validator, name: &str, text: &str) -> Option<String> {
    let file = SourceFile::new(name, text);
    let diagnostics = check_file(&file, Catalog::builtin());
    if skipped(&diagnostics) {
        return None;
    }
    let shape = shape(&diagnostics);
    let instance = json(text);
    let errors = schema_errors(validator, &instance);
    match (shape.is_empty(), errors.is_empty()) {
        (true, false) => Some(format!(
            "{name}: hagen finds no shape error ({:?}) but the schema rejects it: {errors:#?}",
            diagnostics.iter().map(|d| d.code.name()).collect::<Vec<_>>()
        )),
        (false, true) => Some(format!(
            "{name}: hagen rejects its shape but the schema accepts it: {:#?}",
            shape
                .iter()
                .map(|d| format!("{} {}", d.code, d.message))
                .collect::<Vec<_>>()
        )),
        _ => None,
    }
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

#[test]
fn hagen_and_the_cluster_schema_agree_on_every_example_and_fixture() {
    let validator = validator("cluster.schema.json");
    let spec = root().join("../shared/spec");
    let mut files = Vec::new();
    for dir in [
        spec.join("examples"),
        spec.join("invalid"),
        root().join("examples"),
        root().join("tests/fixtures/codes"),
        root().join("tests/fixtures/schema"),
    ] {
        if dir.exists() {
            files.extend(yaml_files(&dir));
        }
    }
    assert!(files.len() > 60, "{files:?}");
    let mut failures = Vec::new();
    for path in &files {
        let text = fs::read_to_string(path).unwrap();
        failures.extend(disagreement(&validator, &path.display().to_string(), &text));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_schema_fixtures_are_what_their_names_say() {
    for path in yaml_files(&root().join("tests/fixtures/schema")) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let file = SourceFile::new(name.clone(), fs::read_to_string(&path).unwrap());
        let diagnostics = check_file(&file, Catalog::builtin());
        if name.ends_with(".ok.yaml") {
            assert!(diagnostics.is_empty(), "{name}: {diagnostics:#?}");
        } else {
            assert!(
                !shape(&diagnostics).is_empty(),
                "{name}: no shape error: {diagnostics:#?}"
            );
        }
    }
}

/// A cluster that checks clean and has every section; each mutation below breaks one thing.
const BASE: &str = r#"cluster:
  name: web-cluster
  platform: clusterpro-x-2.1
  os: windows-server-2003
  language: en
  features: [forced-stop]
servers:
  - name: n1
    ip: 192.168.0.11
    interconnects: [10.0.0.11]
  - name: n2
    ip: 192.168.0.12
    interconnects: [10.0.0.12]
firewall:
  filter: windows-firewall
  allow: [tcp/in 29001-29005, tcp/in 29007, udp/in 29003, udp/in 29007, udp/in 29106, udp/out 29003, udp/out 389, udp/in 623, tcp/in 80, tcp/in 21, tcp/in 8080]
groups:
  - name: web
    failover: [n1, n2]
    ip: 192.168.0.100
    hostname: www.example.com
    computer_name: WEB
    disk:
      drive: "S:"
      volume_guids:
        n1: "{6a7b8c9d-0000-4000-8000-000000000001}"
        n2: "{6a7b8c9d-0000-4000-8000-000000000002}"
    registry: ['HKEY_LOCAL_MACHINE\SOFTWARE\Example']
    control: script
    apps:
      - product: iis
        version: 6.0
        services: [www, ftp]
        content_dir: 'S:\inetpub'
        monitor: false
      - product: custom
        name: api
        after: [iis]
        ports: [tcp/in 8080]
        failover_on_failure: false
        services:
          - { name: ApiSvc, watch_id: APISVC }
  - name: jobs
    failover: [n2, n1]
    ip: 192.168.0.101
    after: [web]
    apps:
      - { product: custom, services: [{ name: JobSvc, watch_id: JOBSVC }] }
inventory:
  n1: { W3SVC: manual, ApiSvc: manual }
  n2: { W3SVC: manual }
"#;

/// (what, text to replace, replacement): one shape problem each.
const MUTATIONS: &[(&str, &str, &str)] = &[
    // unknown keys, at every level
    ("unknown top-level key", "inventory:\n", "inventorie: {}\ninventory:\n"),
    (
        "unknown key in cluster",
        "  language: en\n",
        "  language: en\n  colour: red\n",
    ),
    (
        "unknown key in a server",
        "    ip: 192.168.0.11\n",
        "    ip: 192.168.0.11\n    role: db\n",
    ),
    (
        "unknown key in firewall",
        "  filter: windows-firewall\n",
        "  filter: windows-firewall\n  deny: []\n",
    ),
    (
        "unknown key in a group",
        "    computer_name: WEB\n",
        "    computer_name: WEB\n    failovr: [n1]\n",
    ),
    (
        "unknown key in disk",
        "      drive: \"S:\"\n",
        "      drive: \"S:\"\n      size: 10\n",
    ),
    (
        "unknown key in an app",
        "        monitor: false\n",
        "        monitor: false\n        monitr: true\n",
    ),
    (
        "unknown key in a custom service",
        "watch_id: APISVC }",
        "watch_id: APISVC, start: auto }",
    ),
    (
        "unknown product key",
        "        content_dir: 'S:\\inetpub'\n",
        "        content_dir: 'S:\\inetpub'\n        content: x\n",
    ),
    // missing keys
    (
        "missing cluster",
        "cluster:\n  name: web-cluster\n  platform: clusterpro-x-2.1\n  os: windows-server-2003\n  language: en\n  features: [forced-stop]\n",
        "",
    ),
    ("missing cluster.name", "  name: web-cluster\n", ""),
    ("missing cluster.platform", "  platform: clusterpro-x-2.1\n", ""),
    ("missing cluster.os", "  os: windows-server-2003\n", ""),
    ("missing cluster.language", "  language: en\n", ""),
    ("missing a server's ip", "    ip: 192.168.0.12\n", ""),
    ("missing interconnects", "    interconnects: [10.0.0.12]\n", ""),
    ("missing filter", "  filter: windows-firewall\n", ""),
    ("missing a group's ip", "    ip: 192.168.0.101\n", ""),
    ("missing failover", "    failover: [n2, n1]\n", ""),
    (
        // `apps` may be left out (a group of only its address and disk), not written empty.
        "empty apps",
        "    apps:\n      - { product: custom, services: [{ name: JobSvc, watch_id: JOBSVC }] }\n",
        "    apps: []\n",
    ),
    ("missing drive", "      drive: \"S:\"\n", ""),
    (
        "missing product",
        "      - product: custom\n        name: api\n",
        "      - name: api\n",
    ),
    (
        "missing watch_id",
        "{ name: JobSvc, watch_id: JOBSVC }",
        "{ name: JobSvc }",
    ),
    (
        "missing a custom app's services",
        "{ product: custom, services: [{ name: JobSvc, watch_id: JOBSVC }] }",
        "{ product: custom, ports: [tcp/in 8080] }",
    ),
    (
        "missing a required product key",
        "        content_dir: 'S:\\inetpub'\n",
        "",
    ),
    ("missing a required version", "        version: 6.0\n", ""),
    // wrong types
    (
        "cluster as a list",
        "cluster:\n  name: web-cluster\n  platform: clusterpro-x-2.1\n  os: windows-server-2003\n  language: en\n  features: [forced-stop]\n",
        "cluster: []\n",
    ),
    (
        "servers as a mapping",
        "servers:\n  - name: n1\n    ip: 192.168.0.11\n    interconnects: [10.0.0.11]\n  - name: n2\n    ip: 192.168.0.12\n    interconnects: [10.0.0.12]\n",
        "servers:\n  n1: { ip: 192.168.0.11 }\n",
    ),
    (
        "interconnects as text",
        "interconnects: [10.0.0.11]",
        "interconnects: 10.0.0.11",
    ),
    ("monitor as text", "monitor: false", "monitor: \"false\""),
    ("monitor in YAML 1.1", "monitor: false", "monitor: no"),
    (
        "failover_on_failure as a number",
        "failover_on_failure: false",
        "failover_on_failure: 0",
    ),
    ("failover as text", "failover: [n2, n1]", "failover: n2"),
    ("empty failover", "failover: [n2, n1]", "failover: []"),
    (
        "empty apps",
        "    apps:\n      - { product: custom, services: [{ name: JobSvc, watch_id: JOBSVC }] }\n",
        "    apps: []\n",
    ),
    ("ip as a number", "ip: 192.168.0.101", "ip: 3232235621"),
    ("a service as a number", "services: [www, ftp]", "services: [www, 21]"),
    (
        "disk as text",
        "    disk:\n      drive: \"S:\"\n",
        "    disk: S\n    diskx:\n      drive: \"S:\"\n",
    ),
    // enums
    ("unknown os", "os: windows-server-2003", "os: windows-server-2025"),
    ("unknown language", "language: en", "language: de"),
    (
        "unknown cluster feature",
        "features: [forced-stop]",
        "features: [forced]",
    ),
    ("unknown filter", "filter: windows-firewall", "filter: iptables"),
    ("unknown control", "control: script", "control: scripts"),
    ("unknown start mode", "W3SVC: manual }", "W3SVC: automatic }"),
    // formats
    ("name starting with a digit", "name: jobs", "name: 1jobs"),
    ("DOS device name", "name: jobs", "name: nul"),
    ("name too long", "name: jobs", "name: jobsjobsjobsjobsjobsjobsjobsjobs"),
    ("name with a dot", "name: web-cluster", "name: web.cluster"),
    ("name that injects", "name: jobs", "name: 'jobs&calc'"),
    ("address out of range", "ip: 192.168.0.11", "ip: 192.168.0.256"),
    ("address with a leading zero", "ip: 192.168.0.11", "ip: 192.168.0.011"),
    (
        "port zero",
        "tcp/in 8080]\n        failover",
        "tcp/in 0]\n        failover",
    ),
    ("port rule without a slash", "udp/out 389", "udp out 389"),
    ("unknown protocol", "udp/out 389", "icmp/out 389"),
    ("port too high", "udp/out 389", "udp/out 65536"),
    ("system drive", "drive: \"S:\"", "drive: \"C:\""),
    ("not a drive", "drive: \"S:\"", "drive: \"S:\\\\\""),
    (
        "GUID without braces",
        "\"{6a7b8c9d-0000-4000-8000-000000000001}\"",
        "\"6a7b8c9d-0000-4000-8000-000000000001\"",
    ),
    (
        "volume GUID for a bad server name",
        "        n1: \"{6a7b",
        "        CON: \"{6a7b",
    ),
    (
        "bad host name",
        "hostname: www.example.com",
        "hostname: -www.example.com",
    ),
    (
        "computer name too long",
        "computer_name: WEB",
        "computer_name: WEBSERVERCLUSTER1",
    ),
    (
        "registry key outside a root",
        "'HKEY_LOCAL_MACHINE\\SOFTWARE\\Example'",
        "'HKLM\\SOFTWARE\\Example'",
    ),
    (
        "registry key with an empty part",
        "'HKEY_LOCAL_MACHINE\\SOFTWARE\\Example'",
        "'HKEY_LOCAL_MACHINE\\\\SOFTWARE'",
    ),
    ("version with a letter", "version: 6.0", "version: 6.x"),
    ("relative path", "content_dir: 'S:\\inetpub'", "content_dir: 'inetpub'"),
    (
        "path that injects",
        "content_dir: 'S:\\inetpub'",
        "content_dir: 'S:\\inetpub & calc'",
    ),
    (
        "path that climbs",
        "content_dir: 'S:\\inetpub'",
        "content_dir: 'S:\\..\\inetpub'",
    ),
    (
        "path through a device",
        "content_dir: 'S:\\inetpub'",
        "content_dir: 'S:\\con.txt\\inetpub'",
    ),
    (
        "site binding not an address",
        "        monitor: false\n",
        "        monitor: false\n        site_binding: localhost\n",
    ),
    (
        "service key with a space",
        "services: [www, ftp]",
        "services: [www, 'f tp']",
    ),
    // `%PATH%` is a legal service name (quoted, `%` doubled in scripts); `"` cannot pass cmd.exe.
    ("service name with a double quote", "name: ApiSvc,", "name: 'Api\"Svc',"),
    ("service name with a backslash", "name: ApiSvc,", "name: 'Api\\Svc',"),
    ("empty service name", "name: ApiSvc,", "name: ' ',"),
    ("watch id with an underscore", "watch_id: APISVC", "watch_id: API_SVC"),
    (
        "watch id too long",
        "watch_id: APISVC",
        "watch_id: APISVCAPISVCAPISVCAPISVCAPISVC12",
    ),
    (
        "inventory server name",
        "  n2: { W3SVC: manual }",
        "  2n: { W3SVC: manual }",
    ),
    ("inventory service name", "ApiSvc: manual }", "'Api/Svc': manual }"),
    // the catalog's rules for each product
    (
        "a key IIS does not take",
        "        monitor: false\n",
        "        monitor: false\n        install_dir: 'C:\\iis'\n",
    ),
    (
        "a service IIS does not have",
        "services: [www, ftp]",
        "services: [www, gopher]",
    ),
    (
        "IIS services by name",
        "services: [www, ftp]",
        "services: [{ name: W3SVC, watch_id: WWW }]",
    ),
    (
        "a product key on a custom app",
        "        failover_on_failure: false\n",
        "        failover_on_failure: false\n        install_dir: 'C:\\api'\n",
    ),
    (
        "a custom app's service by key",
        "services: [{ name: JobSvc, watch_id: JOBSVC }]",
        "services: [JobSvc]",
    ),
];

#[test]
fn every_shape_problem_is_found_by_hagen_and_by_the_schema() {
    let validator = validator("cluster.schema.json");
    let base = SourceFile::new("base.yaml", BASE);
    let diagnostics = check_file(&base, Catalog::builtin());
    assert!(diagnostics.is_empty(), "the base checks clean: {diagnostics:#?}");
    assert!(schema_errors(&validator, &json(BASE)).is_empty());
    let mut failures = Vec::new();
    for (what, from, to) in MUTATIONS {
        assert_eq!(
            BASE.matches(from).count(),
            1,
            "{what}: `{from}` is not in the base once"
        );
        let text = BASE.replacen(from, to, 1);
        let file = SourceFile::new(*what, text.as_str());
        let diagnostics = check_file(&file, Catalog::builtin());
        if shape(&diagnostics).is_empty() {
            failures.push(format!("{what}: hagen finds no shape error: {diagnostics:#?}"));
            continue;
        }
        if schema_errors(&validator, &json(&text)).is_empty() {
            failures.push(format!("{what}: the schema accepts it"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Texts on which a format's pattern and hagen's check must agree.
fn corpus() -> Vec<String> {
    let mut texts: Vec<String> = [
        "",
        " ",
        "a",
        "A1",
        "a-b",
        "a_b",
        "a.b",
        "a b",
        "1a",
        "-a",
        "a-",
        "ab-",
        "CON",
        "con",
        "Lpt1",
        "com0",
        "com10",
        "NUL.txt",
        "a..b",
        "..",
        ".",
        "...",
        "a/b",
        "a\\b",
        "a:b",
        "a&b",
        "a%b%",
        "a^b",
        "a|b",
        "a<b",
        "a>b",
        "a\"b",
        "a!b",
        "a\nb",
        "a\r\nb",
        "a\tb",
        "\u{1b}[31m",
        "\u{202e}ab",
        "\u{85}",
        "サーバ",
        "a\u{a0}b",
        "10.0.0.1",
        "10.0.0.01",
        "256.0.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "1.2.3",
        "1.2.3.4.5",
        " 10.0.0.1",
        "10.0.0.1 ",
        "1.2.3.-4",
        "tcp/in 80",
        "tcp/in 0",
        "tcp/in 00",
        "tcp/in 65535",
        "tcp/in 65536",
        "udp/out 1-2",
        "tcp/in 080",
        " tcp/in 80 ",
        "tcp/in  80",
        "tcp/in 80 - 90",
        "tcp in 80",
        "icmp/in 1",
        "tcp/in +80",
        "tcp/in 80-",
        "tcp/in -80",
        "tcp/in 1-2-3",
        "TCP/in 80",
        "tcp/in 99999",
        "tcp/in\t80",
        "S:",
        "s:",
        "C:",
        "c:",
        "SS:",
        "1:",
        "S",
        "{6a7b8c9d-0000-4000-8000-000000000001}",
        "6a7b8c9d-0000-4000-8000-000000000001",
        "{6A7B8C9D-0000-4000-8000-00000000000F}",
        "{6a7b8c9d-0000-4000-8000-00000000000g}",
        "HKEY_LOCAL_MACHINE",
        "HKEY_LOCAL_MACHINE\\SOFTWARE\\X",
        "HKLM\\X",
        "HKEY_LOCAL_MACHINE\\\\X",
        "HKEY_LOCAL_MACHINE\\X\\",
        "HKEY_USERS\\a (b).c",
        "6.0",
        "6",
        "6.x",
        "1234567",
        "6.0+",
        "*",
        "2.0+",
        "+",
        "6..0",
        ".6",
        "S:\\",
        "S:\\a",
        "S:\\a\\",
        "S:\\a\\\\b",
        "S:\\..\\x",
        "S:\\.\\x",
        "S:\\x\\..",
        "S:\\NUL",
        "S:\\nul.txt",
        "S:\\con \\x",
        "S:\\com1.a.b",
        "S:\\comx",
        "S:\\a..b",
        "S:\\...",
        "S:/x",
        "inetpub",
        "C:\\Program Files\\X (x86)",
        "S:\\a&b",
        "S:\\a%x%",
        "CORP\\user",
        "CORP\\user$",
        ".\\user",
        "a%b",
        "WWWService",
        "NEC_X",
        "W X",
        "ExpressMail Smtp Service",
        " lead",
        "trail ",
        "custom",
        "customer",
        "clusterpro-x-4.2",
        "seed 000 1.1",
        "del /S /Q \"{install_dir}\\x\\*.*\"",
        "a & b",
        "rmdir /S /Q \"{install_dir}\\OLTP\\TEMP\"",
        "customer X's validation 2026-03",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for n in [15, 16, 31, 32, 63, 64, 65, 253, 254, 256, 257] {
        texts.push("x".repeat(n));
        texts.push(format!("a{}", "-".repeat(n - 1)));
    }
    texts.push(format!("{}.{}", "a".repeat(63), "b".repeat(63)));
    texts.push(format!("{}.b", "a".repeat(64)));
    texts
}

/// Where a pattern and hagen's check differ on purpose: (format, text, why).
const PATTERN_EXCEPTIONS: &[(&str, &str, &str)] = &[
    (
        "WindowsPath",
        "S:\\\\",
        "hagen accepts empty folder names in a path that ends with `\\`; the schema does not",
    ),
    (
        "WindowsPath",
        "S:\\a\\\\",
        "hagen accepts empty folder names in a path that ends with `\\`; the schema does not",
    ),
];

#[test]
fn every_pattern_agrees_with_hagens_check() {
    let mut texts = corpus();
    texts.extend(PATTERN_EXCEPTIONS.iter().map(|(_, t, _)| t.to_string()));
    let mut failures = Vec::new();
    for format in formats::ALL {
        let mut schema = format.schema().to_value();
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema".into();
        let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{}: {e}", format.name));
        for text in &texts {
            let by_pattern = validator.is_valid(&Value::String(text.clone()));
            let by_hagen = (format.check)(text).is_none();
            let excepted = PATTERN_EXCEPTIONS
                .iter()
                .any(|(f, t, _)| *f == format.name && t == text);
            if by_pattern != by_hagen && !excepted {
                failures.push(format!(
                    "{}: {text:?}: the pattern says {by_pattern}, hagen says {by_hagen}",
                    format.name
                ));
            }
            if excepted {
                assert_ne!(
                    by_pattern, by_hagen,
                    "{}: {text:?} is no longer an exception",
                    format.name
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_schemas_are_valid_json_schemas() {
    for name in ["cluster.schema.json", "profile.schema.json"] {
        let text = fs::read_to_string(root().join("schemas").join(name)).unwrap();
        let schema: Value = serde_json::from_str(&text).unwrap();
        assert!(jsonschema::meta::is_valid(&schema), "{name}");
        assert!(
            !text.contains("\"format\": \"uint\""),
            "{name}: schemars' integer formats are dropped"
        );
    }
}

/// The codes of profile problems that JSON Schema cannot express: references between
/// profiles (`unknown-reference`, `duplicate-name`) and files that are not YAML.
const PROFILE_EXCEPTIONS: &[&str] = &["unknown-reference", "duplicate-name", "yaml-syntax"];

#[test]
fn the_profile_schema_rejects_every_profile_hagen_rejects_for_its_shape() {
    let validator = validator("profile.schema.json");
    let mut failures = Vec::new();
    for path in yaml_files(&root().join("tests/fixtures/profiles/errors")) {
        let text = fs::read_to_string(&path).unwrap();
        let code = common::expectation(&text)
            .unwrap_or_else(|| panic!("{}: no `# expect:` line", path.display()))
            .code;
        if PROFILE_EXCEPTIONS.contains(&code.as_str()) {
            continue;
        }
        if schema_errors(&validator, &json(&text)).is_empty() {
            failures.push(format!("{}: the schema accepts it", path.display()));
        }
    }
    for path in yaml_files(&root().join("tests/fixtures/profiles/good")) {
        let errors = schema_errors(&validator, &json(&fs::read_to_string(&path).unwrap()));
        if !errors.is_empty() {
            failures.push(format!("{}: {errors:#?}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_built_in_profile_and_the_worked_example_validate_against_the_profile_schema() {
    let validator = validator("profile.schema.json");
    let mut files = Vec::new();
    for dir in ["profiles/platforms", "profiles/products", "profiles/examples"] {
        files.extend(yaml_files(&root().join(dir)));
    }
    assert!(files.len() >= 20, "{files:?}");
    let mut failures = Vec::new();
    for path in files {
        let errors = schema_errors(&validator, &json(&fs::read_to_string(&path).unwrap()));
        if !errors.is_empty() {
            failures.push(format!("{}: {errors:#?}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_file_can_name_its_schema_on_its_first_line() {
    // A comment, so hagen ignores it: the file checks clean (see the fixtures' test), and the
    // path it names is the schema, relative to the file.
    let files = [
        root().join("tests/fixtures/schema/every-key.ok.yaml"),
        root().join("tests/fixtures/profiles/good/acme-queue.yaml"),
        root().join("profiles/examples/infocage-serverwall.yaml"),
    ];
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        let first = text.lines().next().unwrap();
        let schema = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{}: {first}", path.display()));
        let named = path.parent().unwrap().join(schema);
        assert!(
            named.is_file(),
            "{}: {} does not exist",
            path.display(),
            named.display()
        );
    }
    let file = SourceFile::new(
        "every-key.ok.yaml",
        fs::read_to_string(root().join("tests/fixtures/schema/every-key.ok.yaml")).unwrap(),
    );
    assert!(check_file(&file, Catalog::builtin()).is_empty());
}
