//! Every string of a cluster file that can reach a script, clp.conf, the runbook or a
//! generated path, fed every character that would inject (SPEC section 6): `% ^ & | < > " !`,
//! CR, LF, `..`, `\`, `/`, `:`, and DOS device names. Each must be refused with
//! `invalid-value` or `invalid-name` at the value's line and column, unless the field's row
//! says why it allows it; then the value is accepted, and what reaches the package is shown
//! to be harmless there (quoted in scripts, never part of a path).
//!
//! The table is the list of fields: a new field is one row. Checking runs in-process (the
//! library's `check_file`) for speed; `every_field_is_listed` keeps the table complete
//! against the decoder's key lists.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use hagen::catalog::Catalog;
use hagen::diag::Code;
use hagen::pipeline::{check_and_plan, check_file};
use hagen::source::SourceFile;

use common::assert_no_failures;

/// What an allowed character does in the package.
#[derive(Clone, Copy, Debug)]
enum Harmless {
    /// The value reaches scripts inside double quotes, or bare when it holds only letters,
    /// digits, `_`, `-` and `.`, which cmd.exe reads as plain text (and it is in no path).
    Quoted,
    /// The value reaches no script line and no path (clp.conf, runbook: text).
    NotInScripts,
}

/// One field: where it is in which example, a valid value it can be extended from, and
/// what it legitimately allows.
struct Field {
    /// The field's place in the file, as the decoder names it.
    name: &'static str,
    /// The example file (`examples/`) the field is taken from.
    example: &'static str,
    /// Unique text of the example that ends right where the value starts.
    before: &'static str,
    /// The value as the example writes it (quotes included), replaced by each payload.
    old: &'static str,
    /// A valid value the character payloads are appended to.
    base: &'static str,
    /// How a DOS device name is placed in this field (`None`: the field is not a name or a
    /// path, so the device name is just text there).
    device: fn(&str) -> String,
    /// The payloads the field accepts, and why; with how the package keeps them harmless.
    allows: &'static [(&'static str, Harmless, &'static str)],
}

const CHARS: &[&str] = &[
    "%", "^", "&", "|", "<", ">", "\"", "!", "\r", "\n", "..", "\\", "/", ":",
];
const DEVICES: &[&str] = &["CON", "NUL", "COM1", "LPT1", "AUX", "PRN", "con.txt", "nul.yaml"];

fn plain(device: &str) -> String {
    device.to_string()
}

fn on_share(device: &str) -> String {
    format!("S:\\{device}")
}

fn in_key(device: &str) -> String {
    format!("HKEY_LOCAL_MACHINE\\SOFTWARE\\{device}")
}

fn in_account(device: &str) -> String {
    format!("CORP\\{device}")
}

const SPACE_IN_SERVICE: &str = "Windows service names hold spaces and dots (`Order Mailer`, FACTS.md section 1); \
     they reach start.bat and stop.bat only quoted, and no path";
const SERVICE_CHARS: &str = "a Windows service name may hold any character but `/` and `\\` (`MSSQL$PROD`, \
     `SQL Server (NEOFACE)`); scripts write it in double quotes with `%` doubled, where cmd.exe reads the \
     others as text (tests/wine.rs runs them); a double quote and line breaks cannot pass and are refused";
const PATH_CHARS: &str = "a Windows path is written with `\\` and the drive's `:` (SPEC section 2); it \
     reaches the runbook and clp.conf as text, and scripts not at all";
const REGISTRY_CHARS: &str = "a registry key is `\\`-separated (SPEC section 2); it reaches clp.conf and the \
     runbook as text, and no script or path";
const ACCOUNT_CHARS: &str = "an account is `DOMAIN\\user` and a device name is a valid user name; it reaches the \
     runbook only";
const UNKNOWN_ID: &str = "a platform or product that is not in the catalog is `unknown-reference`, and a \
     catalog id cannot be a device name (the PlatformId and ProductId formats), so the value never reaches output";
const DEVICE_AS_TEXT: &str = "a device name is a valid value here: the field never becomes a file or folder name";

/// Every string field of the cluster file that reaches an output.
fn fields() -> Vec<Field> {
    use Harmless::*;
    vec![
        Field {
            name: "cluster.name",
            example: "in-house-services.yaml",
            before: "cluster:\n  name: ",
            old: "app-cluster",
            base: "app-cluster",
            device: plain,
            allows: &[],
        },
        Field {
            name: "cluster.platform",
            example: "in-house-services.yaml",
            before: "  platform: ",
            old: "clusterpro-x-4.2",
            base: "clusterpro-x-4.2",
            device: plain,
            allows: &[
                ("CON", NotInScripts, UNKNOWN_ID),
                ("NUL", NotInScripts, UNKNOWN_ID),
                ("COM1", NotInScripts, UNKNOWN_ID),
                ("LPT1", NotInScripts, UNKNOWN_ID),
                ("AUX", NotInScripts, UNKNOWN_ID),
                ("PRN", NotInScripts, UNKNOWN_ID),
                ("con.txt", NotInScripts, UNKNOWN_ID),
                ("nul.yaml", NotInScripts, UNKNOWN_ID),
            ],
        },
        Field {
            name: "cluster.os",
            example: "in-house-services.yaml",
            before: "  os: ",
            old: "windows-server-2019",
            base: "windows-server-2019",
            device: plain,
            allows: &[],
        },
        Field {
            name: "cluster.language",
            example: "in-house-services.yaml",
            before: "  language: ",
            old: "en",
            base: "en",
            device: plain,
            allows: &[],
        },
        Field {
            name: "cluster.features[]",
            example: "surfnavi.yaml",
            before: "  features: [",
            old: "forced-stop",
            base: "forced-stop",
            device: plain,
            allows: &[],
        },
        Field {
            name: "servers[].name",
            example: "in-house-services.yaml",
            before: "servers:\n  - name: ",
            old: "n1",
            base: "n1",
            device: plain,
            allows: &[],
        },
        Field {
            name: "servers[].ip",
            example: "in-house-services.yaml",
            before: "    ip: ",
            old: "192.168.60.11",
            base: "192.168.60.11",
            device: plain,
            allows: &[],
        },
        Field {
            name: "servers[].interconnects[]",
            example: "in-house-services.yaml",
            before: "interconnects: [",
            old: "10.0.6.11",
            base: "10.0.6.11",
            device: plain,
            allows: &[],
        },
        Field {
            name: "firewall.filter",
            example: "in-house-services.yaml",
            before: "  filter: ",
            old: "windows-firewall",
            base: "windows-firewall",
            device: plain,
            allows: &[],
        },
        Field {
            name: "firewall.allow[]",
            example: "in-house-services.yaml",
            before: "  allow:\n    - ",
            old: "tcp/in 29001-29005",
            base: "tcp/in 29001-29005",
            device: plain,
            allows: &[],
        },
        Field {
            name: "groups[].name",
            example: "in-house-services.yaml",
            before: "groups:\n  - name: ",
            old: "db",
            base: "db",
            device: plain,
            allows: &[],
        },
        Field {
            name: "groups[].failover[]",
            example: "in-house-services.yaml",
            before: "    failover: [",
            old: "n1",
            base: "n1",
            device: plain,
            allows: &[],
        },
        Field {
            name: "groups[].ip",
            example: "in-house-services.yaml",
            before: "    failover: [n1, n2]\n    ip: ",
            old: "192.168.60.100",
            base: "192.168.60.100",
            device: plain,
            allows: &[],
        },
        Field {
            name: "groups[].hostname",
            example: "expressmail.yaml",
            before: "    hostname: ",
            old: "mail.example.co.jp",
            base: "mail.example.co.jp",
            device: plain,
            allows: &[
                ("CON", NotInScripts, DEVICE_AS_TEXT),
                ("NUL", NotInScripts, DEVICE_AS_TEXT),
                ("COM1", NotInScripts, DEVICE_AS_TEXT),
                ("LPT1", NotInScripts, DEVICE_AS_TEXT),
                ("AUX", NotInScripts, DEVICE_AS_TEXT),
                ("PRN", NotInScripts, DEVICE_AS_TEXT),
                ("con.txt", NotInScripts, DEVICE_AS_TEXT),
                ("nul.yaml", NotInScripts, DEVICE_AS_TEXT),
            ],
        },
        Field {
            name: "groups[].computer_name",
            example: "in-house-services.yaml",
            before: "    computer_name: ",
            old: "ORDERS",
            base: "ORDERS",
            device: plain,
            allows: &[
                ("CON", NotInScripts, DEVICE_AS_TEXT),
                ("NUL", NotInScripts, DEVICE_AS_TEXT),
                ("COM1", NotInScripts, DEVICE_AS_TEXT),
                ("LPT1", NotInScripts, DEVICE_AS_TEXT),
                ("AUX", NotInScripts, DEVICE_AS_TEXT),
                ("PRN", NotInScripts, DEVICE_AS_TEXT),
            ],
        },
        Field {
            name: "groups[].disk.drive",
            example: "in-house-services.yaml",
            before: "      drive: ",
            old: "\"S:\"",
            base: "S:",
            device: plain,
            allows: &[],
        },
        Field {
            name: "groups[].disk.volume_guids key",
            example: "in-house-services.yaml",
            before: "      volume_guids:\n        ",
            old: "n1",
            base: "n1",
            device: plain,
            allows: &[],
        },
        Field {
            name: "groups[].disk.volume_guids value",
            example: "in-house-services.yaml",
            before: "        n1: ",
            old: "\"{9a8b7c6d-0000-4000-8000-000000000001}\"",
            base: "{9a8b7c6d-0000-4000-8000-000000000001}",
            device: plain,
            allows: &[],
        },
        Field {
            name: "groups[].registry[]",
            example: "in-house-services.yaml",
            before: "    registry:\n      - ",
            old: "'HKEY_LOCAL_MACHINE\\SOFTWARE\\Example\\OrderApi'",
            base: "HKEY_LOCAL_MACHINE\\SOFTWARE\\Example\\OrderApi",
            device: in_key,
            allows: &[
                ("\\", NotInScripts, REGISTRY_CHARS),
                ("..", NotInScripts, REGISTRY_CHARS),
                ("CON", NotInScripts, REGISTRY_CHARS),
                ("NUL", NotInScripts, REGISTRY_CHARS),
                ("COM1", NotInScripts, REGISTRY_CHARS),
                ("LPT1", NotInScripts, REGISTRY_CHARS),
                ("AUX", NotInScripts, REGISTRY_CHARS),
                ("PRN", NotInScripts, REGISTRY_CHARS),
                ("con.txt", NotInScripts, REGISTRY_CHARS),
                ("nul.yaml", NotInScripts, REGISTRY_CHARS),
            ],
        },
        Field {
            name: "groups[].after[]",
            example: "in-house-services.yaml",
            before: "    after: [",
            old: "db",
            base: "db",
            device: plain,
            allows: &[],
        },
        Field {
            name: "groups[].control",
            example: "in-house-services.yaml",
            before: "    control: ",
            old: "service-resources",
            base: "service-resources",
            device: plain,
            allows: &[],
        },
        Field {
            name: "apps[].product",
            example: "expressmail.yaml",
            before: "      - product: ",
            old: "expressmail",
            base: "expressmail",
            device: plain,
            allows: &[
                ("CON", NotInScripts, UNKNOWN_ID),
                ("NUL", NotInScripts, UNKNOWN_ID),
                ("COM1", NotInScripts, UNKNOWN_ID),
                ("LPT1", NotInScripts, UNKNOWN_ID),
                ("AUX", NotInScripts, UNKNOWN_ID),
                ("PRN", NotInScripts, UNKNOWN_ID),
                ("con.txt", NotInScripts, UNKNOWN_ID),
                ("nul.yaml", NotInScripts, UNKNOWN_ID),
            ],
        },
        Field {
            name: "apps[].name",
            example: "in-house-services.yaml",
            before: "        name: ",
            old: "database",
            base: "database",
            device: plain,
            allows: &[],
        },
        Field {
            name: "apps[].version",
            example: "expressmail.yaml",
            before: "        version: ",
            old: "\"6.1\"",
            base: "6.1",
            device: plain,
            allows: &[],
        },
        Field {
            name: "apps[].after[]",
            example: "in-house-services.yaml",
            before: "        after: [",
            old: "worker",
            base: "worker",
            device: plain,
            allows: &[],
        },
        Field {
            name: "apps[].ports[]",
            example: "in-house-services.yaml",
            before: "        ports: [",
            old: "tcp/in 5432",
            base: "tcp/in 5432",
            device: plain,
            allows: &[],
        },
        Field {
            name: "apps[].services[] (a product's key)",
            example: "webharmo-oltp.yaml",
            before: "        services: [",
            old: "www",
            base: "www",
            device: plain,
            allows: &[],
        },
        Field {
            name: "apps[].services[].name",
            example: "in-house-services.yaml",
            before: "          - { name: ",
            old: "OrderDB",
            base: "OrderDB",
            device: plain,
            allows: &[
                ("%", Quoted, SERVICE_CHARS),
                ("^", Quoted, SERVICE_CHARS),
                ("&", Quoted, SERVICE_CHARS),
                ("|", Quoted, SERVICE_CHARS),
                ("<", Quoted, SERVICE_CHARS),
                (">", Quoted, SERVICE_CHARS),
                ("!", Quoted, SERVICE_CHARS),
                (":", Quoted, SERVICE_CHARS),
                ("..", Quoted, SPACE_IN_SERVICE),
                ("CON", Quoted, DEVICE_AS_TEXT),
                ("NUL", Quoted, DEVICE_AS_TEXT),
                ("COM1", Quoted, DEVICE_AS_TEXT),
                ("LPT1", Quoted, DEVICE_AS_TEXT),
                ("AUX", Quoted, DEVICE_AS_TEXT),
                ("PRN", Quoted, DEVICE_AS_TEXT),
                ("con.txt", Quoted, DEVICE_AS_TEXT),
                ("nul.yaml", Quoted, DEVICE_AS_TEXT),
            ],
        },
        Field {
            name: "apps[].services[].watch_id",
            example: "in-house-services.yaml",
            before: "OrderDB, watch_id: ",
            old: "ORDERDB",
            base: "ORDERDB",
            device: plain,
            allows: &[
                ("CON", Quoted, DEVICE_AS_TEXT),
                ("NUL", Quoted, DEVICE_AS_TEXT),
                ("COM1", Quoted, DEVICE_AS_TEXT),
                ("LPT1", Quoted, DEVICE_AS_TEXT),
                ("AUX", Quoted, DEVICE_AS_TEXT),
                ("PRN", Quoted, DEVICE_AS_TEXT),
            ],
        },
        Field {
            name: "apps[].content_dir",
            example: "iis-two-way.yaml",
            before: "        content_dir: ",
            old: "'S:\\site-a'",
            base: "S:\\site-a",
            device: on_share,
            allows: &[("\\", NotInScripts, PATH_CHARS)],
        },
        Field {
            name: "apps[].install_dir",
            example: "expressmail.yaml",
            before: "        install_dir: ",
            old: "'C:\\Program Files\\ExpressMail'",
            base: "C:\\Program Files\\ExpressMail",
            device: |d| format!("C:\\{d}"),
            allows: &[("\\", NotInScripts, PATH_CHARS)],
        },
        Field {
            name: "apps[].data_dir",
            example: "expressmail.yaml",
            before: "        data_dir: ",
            old: "'S:\\ExpressMail'",
            base: "S:\\ExpressMail",
            device: on_share,
            allows: &[("\\", NotInScripts, PATH_CHARS)],
        },
        Field {
            name: "apps[].site_binding",
            example: "iis-two-way.yaml",
            before: "        site_binding: ",
            old: "192.168.20.101",
            base: "192.168.20.101",
            device: plain,
            allows: &[],
        },
        Field {
            name: "apps[].service_account",
            example: "expressmail.yaml",
            before: "        service_account: ",
            old: "'CORP\\ExpressMail_User'",
            base: "CORP\\ExpressMail_User",
            device: in_account,
            allows: &[
                ("..", NotInScripts, ACCOUNT_CHARS),
                ("\\", NotInScripts, ACCOUNT_CHARS),
                ("CON", NotInScripts, ACCOUNT_CHARS),
                ("NUL", NotInScripts, ACCOUNT_CHARS),
                ("COM1", NotInScripts, ACCOUNT_CHARS),
                ("LPT1", NotInScripts, ACCOUNT_CHARS),
                ("AUX", NotInScripts, ACCOUNT_CHARS),
                ("PRN", NotInScripts, ACCOUNT_CHARS),
                ("con.txt", NotInScripts, ACCOUNT_CHARS),
                ("nul.yaml", NotInScripts, ACCOUNT_CHARS),
            ],
        },
        Field {
            name: "apps[].edition",
            example: "surfnavi.yaml",
            before: "        edition: ",
            old: "intranet-dmz-server",
            base: "intranet-dmz-server",
            device: plain,
            allows: &[],
        },
        Field {
            name: "apps[].placement",
            example: "surfnavi.yaml",
            before: "        placement: ",
            old: "intranet",
            base: "intranet",
            device: plain,
            allows: &[],
        },
        Field {
            name: "apps[].features[]",
            example: "webharmo-oltp.yaml",
            before: "        features: [",
            old: "partial-send",
            base: "partial-send",
            device: plain,
            allows: &[],
        },
        Field {
            name: "inventory key (server)",
            example: "expressmail.yaml",
            before: "inventory:\n  ",
            old: "mx1",
            base: "mx1",
            device: plain,
            allows: &[],
        },
        Field {
            name: "inventory service name",
            example: "expressmail.yaml",
            before: "  mx1:\n    ",
            old: "\"ExpressMail Smtp Service\"",
            base: "ExpressMail Smtp Service",
            device: plain,
            allows: &[
                ("%", NotInScripts, SERVICE_CHARS),
                ("^", NotInScripts, SERVICE_CHARS),
                ("&", NotInScripts, SERVICE_CHARS),
                ("|", NotInScripts, SERVICE_CHARS),
                ("<", NotInScripts, SERVICE_CHARS),
                (">", NotInScripts, SERVICE_CHARS),
                ("!", NotInScripts, SERVICE_CHARS),
                (":", NotInScripts, SERVICE_CHARS),
                ("..", NotInScripts, SPACE_IN_SERVICE),
                ("CON", NotInScripts, DEVICE_AS_TEXT),
                ("NUL", NotInScripts, DEVICE_AS_TEXT),
                ("COM1", NotInScripts, DEVICE_AS_TEXT),
                ("LPT1", NotInScripts, DEVICE_AS_TEXT),
                ("AUX", NotInScripts, DEVICE_AS_TEXT),
                ("PRN", NotInScripts, DEVICE_AS_TEXT),
                ("con.txt", NotInScripts, DEVICE_AS_TEXT),
                ("nul.yaml", NotInScripts, DEVICE_AS_TEXT),
            ],
        },
        Field {
            name: "inventory start mode",
            example: "expressmail.yaml",
            before: "  mx1:\n    \"ExpressMail Smtp Service\": ",
            old: "manual",
            base: "manual",
            device: plain,
            allows: &[],
        },
    ]
}

fn example(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name);
    fs::read_to_string(path).unwrap()
}

/// A YAML double-quoted scalar holding `text` exactly (a JSON string is one).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// The value a payload gives a field: a character is put inside a valid value, a device
/// name where the field would use it as a name.
fn value(field: &Field, payload: &str) -> String {
    if DEVICES.contains(&payload) {
        return (field.device)(payload);
    }
    if payload == ".." && field.base.get(1..3) == Some(":\\") {
        // In a path, `..` climbs only as a folder of its own.
        return format!("{}\\..\\x", field.base);
    }
    format!("{}{payload}x", field.base)
}

/// The file with the field set to `value`, and the byte offset of the value.
fn place(field: &Field, value: &str) -> (String, usize) {
    let text = example(field.example);
    let anchor = format!("{}{}", field.before, field.old);
    assert_eq!(
        text.matches(&anchor).count(),
        1,
        "{}: `{anchor}` is not unique",
        field.name
    );
    let at = text.find(&anchor).unwrap() + field.before.len();
    let new = format!("{}{}{}", &text[..at], quoted(value), &text[at + field.old.len()..]);
    (new, at)
}

fn payloads() -> impl Iterator<Item = &'static str> {
    CHARS.iter().chain(DEVICES).copied()
}

#[test]
fn every_field_refuses_every_injection_at_its_place() {
    let mut failures = Vec::new();
    for field in fields() {
        let allowed: BTreeSet<&str> = field.allows.iter().map(|(p, _, _)| *p).collect();
        for payload in payloads() {
            let value = value(&field, payload);
            let (text, at) = place(&field, &value);
            let file = SourceFile::new("injected.yaml", text);
            let diagnostics = check_file(&file, Catalog::builtin());
            let here = diagnostics.iter().find(|d| {
                matches!(d.code, Code::InvalidValue | Code::InvalidName)
                    && (d.span.start == at || d.span.start == at + 1)
            });
            match (here, allowed.contains(payload)) {
                (Some(_), false) | (None, true) => {}
                (None, false) => {
                    let at = file.position(at);
                    failures.push(format!(
                        "{} = {value:?}: no invalid-value or invalid-name at {}:{}; got {:?}",
                        field.name,
                        at.line,
                        at.column,
                        diagnostics
                            .iter()
                            .map(|d| format!("{} {}", d.code, d.message))
                            .collect::<Vec<_>>()
                    ));
                }
                (Some(d), true) => failures.push(format!(
                    "{} = {value:?} is listed as allowed but refused: {}",
                    field.name, d.message
                )),
            }
        }
    }
    assert_no_failures("field value(s) handled wrongly", failures);
}

/// An allowed payload that leaves the file clean is built, and what reaches the package is
/// harmless: in a script only between double quotes, in no generated path.
#[test]
fn allowed_characters_reach_the_package_harmlessly() {
    let mut built = 0;
    for field in fields() {
        for (payload, harmless, _why) in field.allows {
            let value = value(&field, payload);
            let (text, _) = place(&field, &value);
            let file = SourceFile::new("allowed.yaml", text);
            let (diagnostics, plan) = check_and_plan(&file, Catalog::builtin(), true);
            let Some(plan) = plan else {
                // Another rule refuses the value (e.g. a service the product does not know).
                assert!(!diagnostics.is_empty(), "{}", field.name);
                continue;
            };
            built += 1;
            for (path, bytes) in hagen::emit::package(&plan) {
                assert!(!path.contains(&value), "{}: {value:?} in the path {path}", field.name);
                if !path.ends_with(".bat") {
                    continue;
                }
                let script = String::from_utf8_lossy(&bytes);
                // A batch file writes `%` as `%%`, inside quotes too.
                let written = value.replace('%', "%%");
                for line in script.lines().filter(|l| l.contains(&value) || l.contains(&written)) {
                    match harmless {
                        Harmless::NotInScripts => {
                            panic!("{}: {value:?} reaches {path}: {line}", field.name)
                        }
                        Harmless::Quoted => assert!(
                            line.contains(&format!("\"{written}\""))
                                || value.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b)),
                            "{}: {value:?} unquoted in {path}: {line}",
                            field.name
                        ),
                    }
                }
            }
        }
    }
    assert!(built > 10, "only {built} allowed values built");
}

/// Every key the decoder reads as text is in the table (or is a choice of fixed words, an
/// address or a boolean, which are listed too).
#[test]
fn every_field_is_listed() {
    let listed: BTreeSet<String> = fields()
        .iter()
        .map(|f| {
            let last = f.name.rsplit('.').next().unwrap();
            last.split(' ').next().unwrap().trim_end_matches("[]").to_string()
        })
        .collect();
    for key in hagen::model::TEXT_PRODUCT_KEYS {
        assert!(listed.contains(*key), "{key} is not in the table");
    }
    for key in [
        "name",
        "platform",
        "os",
        "language",
        "features",
        "ip",
        "interconnects",
        "filter",
        "allow",
        "failover",
        "hostname",
        "computer_name",
        "drive",
        "registry",
        "after",
        "control",
        "product",
        "version",
        "ports",
        "services",
        "watch_id",
    ] {
        assert!(listed.contains(key), "{key} is not in the table");
    }
}

// ---- user profiles (`--profiles DIR`) ----

/// What a profile field may hold beyond a name's characters, and why.
#[derive(Clone, Copy, Debug)]
enum ProfileText {
    /// Allowlisted tightly: every payload is refused (Name, Key, WatchId, RegistryKey, ...),
    /// but for the listed exceptions.
    Strict(&'static [&'static str]),
    /// Prose (`Line`): any character but line breaks. It reaches the runbook and the review
    /// page, each through its escaper, and never a script or a path.
    Prose,
    /// `ScriptText`: prose without `% ^ & | < > " !`. It reaches scripts only in `rem` lines,
    /// through the batch escaper, and never a path.
    ScriptText,
    /// `Command`: a pre-start command line, which names paths and options and quotes them
    /// (`rmdir /S /Q "{install_dir}\OLTP\TEMP"`); no `% ^ & | < > !`, so it is one command.
    Command,
}

/// One profile field: the profile (a built-in overridden key by key) with `@@` where the
/// value goes, the valid value payloads are added to, and what it allows.
struct ProfileField {
    name: &'static str,
    profile: &'static str,
    base: &'static str,
    text: ProfileText,
    /// What a DOS device name is put after, to stand where the field would use it as a name.
    device_after: &'static str,
}

const IIS_SERVICES: &str = "id: iis\nservices:\n  - key: www\n    name: @@\n    watch_id: WWWService\n    source: \"test\"\n  - key: ftp\n    name: MSFTPSVC\n    watch_id: FTPService\n    source: \"test\"\nports: []\n";

fn profile_fields() -> Vec<ProfileField> {
    use ProfileText::*;
    // A service name is a Windows service name: dots and device names are valid there, and it
    // reaches scripts quoted or as plain letters, digits, `_`, `-`, `.` (see the cluster file's
    // table), and no path.
    let service_name_allows: &'static [&'static str] = &[
        "%", "^", "&", "|", "<", ">", "!", ":", "..", "CON", "NUL", "COM1", "LPT1", "AUX", "PRN", "con.txt", "nul.yaml",
    ];
    let alnum_devices: &'static [&'static str] = &["CON", "NUL", "COM1", "LPT1", "AUX", "PRN"];
    vec![
        ProfileField {
            name: "platform name",
            profile: "id: clusterpro-8.0\nname: @@\n",
            base: "CLUSTERPRO 8.0",
            text: ScriptText,
            device_after: "",
        },
        ProfileField {
            name: "product name",
            profile: "id: iis\nname: @@\n",
            base: "IIS",
            text: Prose,
            device_after: "",
        },
        ProfileField {
            name: "product source",
            profile: "id: iis\nsource: @@\n",
            base: "seed 000",
            text: Prose,
            device_after: "",
        },
        ProfileField {
            name: "services[].key",
            profile: "id: iis\nservices:\n  - key: @@\n    name: W3SVC\n    watch_id: WWWService\n    source: \"test\"\n  - key: ftp\n    name: MSFTPSVC\n    watch_id: FTPService\n    source: \"test\"\nports: []\n",
            base: "www",
            text: Strict(alnum_devices),
            device_after: "",
        },
        ProfileField {
            name: "services[].name",
            profile: IIS_SERVICES,
            base: "W3SVC",
            text: Strict(service_name_allows),
            device_after: "",
        },
        ProfileField {
            name: "services[].watch_id",
            profile: "id: iis\nservices:\n  - key: www\n    name: W3SVC\n    watch_id: @@\n    source: \"test\"\n  - key: ftp\n    name: MSFTPSVC\n    watch_id: FTPService\n    source: \"test\"\nports: []\n",
            base: "WWWService",
            text: Strict(alnum_devices),
            device_after: "",
        },
        ProfileField {
            name: "services[].display",
            profile: "id: iis\nservices:\n  - key: www\n    name: W3SVC\n    display: @@\n    watch_id: WWWService\n    source: \"test\"\n  - key: ftp\n    name: MSFTPSVC\n    watch_id: FTPService\n    source: \"test\"\nports: []\n",
            base: "World Wide Web",
            text: Prose,
            device_after: "",
        },
        ProfileField {
            name: "features[].id",
            profile: "id: webharmo-oltp\nfeatures:\n  - id: @@\n    pre_start: ['del /Q x']\n    source: \"test\"\n",
            base: "partial-send",
            text: Strict(alnum_devices),
            device_after: "",
        },
        ProfileField {
            name: "features[].pre_start[]",
            profile: "id: webharmo-oltp\nfeatures:\n  - id: partial-send\n    pre_start: [@@]\n    source: \"test\"\n",
            base: "del /Q x",
            text: Command,
            device_after: "del /Q ",
        },
        ProfileField {
            name: "features[].source",
            profile: "id: webharmo-oltp\nfeatures:\n  - id: partial-send\n    pre_start: ['del /Q x']\n    source: @@\n",
            base: "seed 000 1.4.5",
            text: ScriptText,
            device_after: "",
        },
        ProfileField {
            name: "registry[].key",
            profile: "id: expressmail\nregistry:\n  - key: @@\n    source: \"test\"\n",
            base: "HKEY_LOCAL_MACHINE\\SOFTWARE\\NEC",
            text: Strict(&[
                "\\", "..", "CON", "NUL", "COM1", "LPT1", "AUX", "PRN", "con.txt", "nul.yaml",
            ]),
            device_after: "HKEY_LOCAL_MACHINE\\SOFTWARE\\",
        },
        ProfileField {
            name: "ports[].purpose",
            profile: "id: iis\nports:\n  - rule: tcp/in 80\n    service: www\n    purpose: @@\n    source: \"test\"\n",
            base: "HTTP",
            text: Prose,
            device_after: "",
        },
        ProfileField {
            name: "notes[].text",
            profile: "id: iis\nnotes:\n  - topic: t\n    text: @@\n    source: \"test\"\n",
            base: "A note",
            text: Prose,
            device_after: "",
        },
        ProfileField {
            name: "notes[].topic",
            profile: "id: iis\nnotes:\n  - topic: @@\n    text: t\n    source: \"test\"\n",
            base: "a topic",
            text: Prose,
            device_after: "",
        },
    ]
}

/// Whether a payload is allowed in a field of this kind.
fn profile_allows(text: ProfileText, payload: &str) -> bool {
    let breaks = payload.contains(['\r', '\n']);
    let script = payload.contains(['%', '^', '&', '|', '<', '>', '"', '!']);
    match text {
        ProfileText::Strict(allowed) => allowed.contains(&payload),
        ProfileText::Prose => !breaks,
        ProfileText::ScriptText => !breaks && !script,
        ProfileText::Command => !breaks && (payload == "\"" || !script),
    }
}

#[test]
fn every_profile_field_refuses_what_it_does_not_allow_at_its_place() {
    let mut failures = Vec::new();
    for field in profile_fields() {
        for payload in payloads() {
            let value = if DEVICES.contains(&payload) {
                format!("{}{payload}", field.device_after)
            } else {
                format!("{}{payload}x", field.base)
            };
            let text = field.profile.replace("@@", &quoted(&value));
            let at = field.profile.find("@@").unwrap();
            let dir = tempfile::tempdir().unwrap();
            fs::write(dir.path().join("p.yaml"), &text).unwrap();
            let loaded = Catalog::with_profiles(dir.path());
            let allowed = profile_allows(field.text, payload);
            match (&loaded, allowed) {
                (Ok(_), true) => {}
                (Err(load), false) => {
                    let here = load.files.iter().flat_map(|(_, d)| d).any(|d| {
                        matches!(d.code, Code::InvalidValue | Code::InvalidName)
                            && (d.span.start == at || d.span.start == at + 1)
                    });
                    if !here {
                        failures.push(format!(
                            "{} = {value:?}: refused, but not at the value: {load}",
                            field.name
                        ));
                    }
                }
                (Ok(_), false) => failures.push(format!("{} = {value:?}: accepted", field.name)),
                (Err(load), true) => failures.push(format!("{} = {value:?}: refused: {load}", field.name)),
            }
        }
    }
    assert_no_failures("profile value(s) handled wrongly", failures);
}

/// Accepted profile values reach the package harmlessly: prose never in a script, script text
/// only in `rem` lines, service names quoted or plain, and none of them in a path.
#[test]
fn accepted_profile_values_reach_the_package_harmlessly() {
    let mut built = 0;
    for field in profile_fields() {
        for payload in payloads().filter(|p| profile_allows(field.text, p)) {
            let value = if DEVICES.contains(&payload) {
                format!("{}{payload}", field.device_after)
            } else {
                format!("{}{payload}x", field.base)
            };
            let dir = tempfile::tempdir().unwrap();
            fs::write(dir.path().join("p.yaml"), field.profile.replace("@@", &quoted(&value))).unwrap();
            let catalog = Catalog::with_profiles(dir.path()).unwrap_or_else(|e| panic!("{}: {e}", field.name));
            for example in ["webharmo-oltp.yaml", "expressmail.yaml", "iis-one-way.yaml"] {
                let file = SourceFile::new(example, self::example(example));
                let (_, plan) = check_and_plan(&file, &catalog, true);
                let Some(plan) = plan else { continue };
                built += 1;
                for (path, bytes) in hagen::emit::package(&plan) {
                    assert!(!path.contains(&value), "{}: {value:?} in the path {path}", field.name);
                    if !path.ends_with(".bat") {
                        continue;
                    }
                    let script = encoding_rs::SHIFT_JIS.decode(&bytes).0.into_owned();
                    for line in script.lines().filter(|l| l.contains(&value)) {
                        let ok = match field.text {
                            ProfileText::Prose => false,
                            ProfileText::ScriptText => line.starts_with("rem "),
                            ProfileText::Command => line.starts_with("del /Q "),
                            ProfileText::Strict(_) => {
                                line.contains(&format!("\"{value}\""))
                                    || value.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
                            }
                        };
                        assert!(ok, "{}: {value:?} in {example} {path}: {line}", field.name);
                    }
                }
            }
        }
    }
    assert!(built > 20, "only {built} packages built");
}

/// A pre-start command that is a batch label line (`:RECOVER`) would add a second GOTO
/// target to start.bat, so that RECOVER started the services: refused at its place.
#[test]
fn a_pre_start_label_line_is_refused_at_its_place() {
    for command in [":RECOVER", "  :EXIT", "::x", ":SERVICES"] {
        let profile = format!(
            "id: webharmo-oltp\nfeatures:\n  - id: partial-send\n    pre_start: [{}]\n    source: \"test\"\n",
            quoted(command)
        );
        let at = profile.find("pre_start: [").unwrap() + "pre_start: [".len();
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("p.yaml"), &profile).unwrap();
        let load = Catalog::with_profiles(dir.path()).expect_err(command);
        let here = load
            .files
            .iter()
            .flat_map(|(_, d)| d)
            .any(|d| d.code == Code::InvalidValue && d.span.start == at && d.message.contains("label"));
        assert!(here, "{command}: {load}");
    }
}

/// A profile text the scripts' code page cannot hold (the platform's name, a feature's
/// pre-start command or source), or a file name it cannot hold, is `invalid-value` in the
/// cluster file where it is brought in, never an internal error.
#[test]
fn texts_the_scripts_cannot_encode_are_invalid_values_where_they_are_brought_in() {
    let check = |name: &str, cluster: &str, profile: &str| {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("p.yaml"), profile).unwrap();
        let catalog = Catalog::with_profiles(dir.path()).unwrap_or_else(|e| panic!("{profile}: {e}"));
        let file = SourceFile::new(name, cluster.to_string());
        let (diagnostics, plan) = check_and_plan(&file, &catalog, true);
        assert!(plan.is_none(), "{name}: built");
        diagnostics
            .iter()
            .filter(|d| d.code == Code::InvalidValue)
            .map(|d| file.slice(d.span.clone()).to_string())
            .collect::<Vec<_>>()
    };
    let en = example("webharmo-oltp.yaml");
    let oltp = en.replace("language: en", "language: ja");
    assert_ne!(oltp, en);
    let feature = |command: &str, source: &str| {
        format!(
            "id: webharmo-oltp\nfeatures:\n  - id: partial-send\n    pre_start: [{}]\n    source: {}\n  - id: web-print\n    pre_start: ['del x']\n    source: \"test\"\n",
            quoted(command),
            quoted(source)
        )
    };
    let platform = "id: clusterpro-8.0\nname: \"CLUSTERPRO 8.0 😀\"\n";
    assert!(oltp.contains("platform: clusterpro-8.0"));
    assert_eq!(check("c.yaml", &oltp, platform), ["clusterpro-8.0"]);
    assert_eq!(check("c.yaml", &en, &feature("del café", "test")), ["partial-send"]);
    assert_eq!(
        check("c.yaml", &en, &feature("del x", "seed 1.4.5 の手順")),
        ["partial-send"]
    );
    // the same source in Japanese builds for `ja`
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("p.yaml"), feature("del x", "seed 1.4.5 の手順")).unwrap();
    let catalog = Catalog::with_profiles(dir.path()).unwrap();
    assert!(
        check_and_plan(&SourceFile::new("c.yaml", oltp.clone()), &catalog, true)
            .1
            .is_some()
    );
    assert_eq!(check("dir/café.yaml", &en, &feature("del x", "test")), ["en"]);
    assert_eq!(check("クラスタ😀.yaml", &oltp, &feature("del x", "test")), ["ja"]);
}
