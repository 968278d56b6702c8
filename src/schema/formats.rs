//! The text formats of the cluster file and of profiles: for each, the JSON Schema pattern an
//! editor checks and the function hagen checks with.
//!
//! The two must agree. A pattern is what an editor can say; the function is what hagen says,
//! with a message. `tests/schema.rs` runs both over a corpus of tricky strings, and the profile
//! loader finds the function of every `pattern` it meets in the profile schema through
//! [`by_pattern`], so a pattern without a function cannot slip into the schema.

use std::borrow::Cow;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::model::values;

/// One text format.
#[derive(Debug)]
pub struct Format {
    /// The name of its definition in the schemas (`#/$defs/NAME`).
    pub name: &'static str,
    /// An ECMA-262 regular expression, as JSON Schema's `pattern` takes it.
    pub pattern: &'static str,
    /// `maxLength`, where the pattern alone does not bound the length.
    pub max_length: Option<u64>,
    /// Whether a YAML number is read as its text (`version: 6.0` is `"6.0"`).
    pub numbers: bool,
    pub description: &'static str,
    /// What is wrong with a text, or `None` when it has this format.
    pub check: fn(&str) -> Option<String>,
}

impl Format {
    /// The format's schema, as it stands in `$defs`.
    pub fn schema(&self) -> Schema {
        let mut schema = json_schema!({
            "description": self.description,
            "type": if self.numbers { serde_json::json!(["string", "number"]) } else { serde_json::json!("string") },
            "pattern": self.pattern,
        });
        if let Some(max) = self.max_length {
            schema.insert("maxLength".into(), max.into());
        }
        schema
    }
}

/// The DOS device names, which no name may be (any case).
macro_rules! device {
    () => {
        "(?:[Cc][Oo][Nn]|[Pp][Rr][Nn]|[Aa][Uu][Xx]|[Nn][Uu][Ll]|(?:[Cc][Oo][Mm]|[Ll][Pp][Tt])[1-9])"
    };
}

/// A port number, 1-65535, leading zeros allowed as `PortRule::parse` allows them.
macro_rules! port {
    () => {
        "0*(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
    };
}

/// One folder name of a Windows path: not `.` or `..`, not a DOS device name (with any
/// extension or trailing spaces).
macro_rules! segment {
    () => {
        concat!(
            "(?!\\.{1,2}(?:\\\\|$))(?!",
            device!(),
            " *(?:\\.|\\\\|$))[A-Za-z0-9 _.()-]+"
        )
    };
}

/// An IPv4 octet without leading zeros.
macro_rules! octet {
    () => {
        "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
    };
}

/// A character of one line of text, and of one that may go into a script.
macro_rules! text_char {
    () => {
        "[^\\x00-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]"
    };
}

const NAME: &str = concat!("^(?!", device!(), "$)[A-Za-z][A-Za-z0-9_-]{0,30}$");
const PRODUCT_ID: &str = concat!("^(?!custom$)(?!", device!(), "$)[A-Za-z][A-Za-z0-9_-]{0,30}$");
const PLATFORM_ID: &str = "^(?!.*\\.\\.)[A-Za-z][A-Za-z0-9_.-]{0,63}$";
const PLATFORM_REF: &str = "^(?:\\*|(?!.*\\.\\.)[A-Za-z][A-Za-z0-9_.-]{0,63})$";
const IPV4: &str = concat!("^(?:", octet!(), "\\.){3}", octet!(), "$");
const PORT_RULE: &str = concat!(
    "^\\s*(?:tcp|udp)/(?:in|out) \\s*",
    port!(),
    "\\s*(?:-\\s*",
    port!(),
    "\\s*)?$"
);
const DRIVE: &str = "^[ABD-Zabd-z]:$";
const GUID: &str = "^\\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\\}$";
const HOSTNAME: &str =
    "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$";
const COMPUTER_NAME: &str = "^[A-Za-z0-9-]{1,15}$";
const REGISTRY_KEY: &str = "^(?:HKEY_LOCAL_MACHINE|HKEY_USERS|HKEY_CURRENT_USER|HKEY_CLASSES_ROOT|HKEY_CURRENT_CONFIG)(?:\\\\[A-Za-z0-9 _.()-]+)*$";
const VERSION: &str = "^[0-9]{1,6}(?:\\.[0-9]{1,6})*$";
const VERSION_SPEC: &str = "^(?:\\*|[0-9]{1,6}(?:\\.[0-9]{1,6})*\\+?)$";
const WINDOWS_PATH: &str = concat!("^[A-Za-z]:\\\\(?:", segment!(), "(?:\\\\", segment!(), ")*\\\\?)?$");
const ACCOUNT: &str = "^[A-Za-z0-9\\\\_. $-]*$";
const KEY: &str = "^[A-Za-z0-9_-]+$";
const FEATURE_NAME: &str = "^[A-Za-z0-9-]+$";
const SERVICE_NAME: &str =
    "^[^/\\\\\"\\x00-\\x1f\\x7f-\\x9f]*[^\\s/\\\\\"\\x00-\\x1f\\x7f-\\x9f][^/\\\\\"\\x00-\\x1f\\x7f-\\x9f]*$";
const WATCH_ID: &str = "^[A-Za-z0-9]{1,31}$";
const EXPORT_PATH: &str = "^[A-Za-z0-9_][A-Za-z0-9 _.-]*(?:/[A-Za-z0-9_][A-Za-z0-9 _.-]*)*$";
const LINE: &str = concat!(
    "^",
    text_char!(),
    "*[^\\s\\x00-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]",
    text_char!(),
    "*$"
);
const SCRIPT_TEXT: &str = "^[^%^&|<>\"!\\x00-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]*[^%^&|<>\"!\\s\\x00-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069][^%^&|<>\"!\\x00-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]*$";
const COMMAND: &str = "^[^\\S\\x00-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]*[^%^&|<>!:\\s\\x00-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069][^%^&|<>!\\x00-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]*$";

/// Every format, in the order the schemas list them.
pub const ALL: &[Format] = &[
    Format {
        name: "Name",
        pattern: NAME,
        max_length: None,
        numbers: false,
        description: "A name: an ASCII letter, then letters, digits, `-` and `_`; at most 31 characters; not a DOS device name such as CON or NUL.",
        check: name,
    },
    Format {
        name: "ProductId",
        pattern: PRODUCT_ID,
        max_length: None,
        numbers: false,
        description: "A product id: a name (an ASCII letter, then letters, digits, `-` and `_`; at most 31 characters; not a DOS device name), other than `custom`.",
        check: product_id,
    },
    Format {
        name: "PlatformId",
        pattern: PLATFORM_ID,
        max_length: None,
        numbers: false,
        description: "A platform id such as `clusterpro-x-4.2`: an ASCII letter, then letters, digits, `-`, `_` and `.` (never `..`); at most 64 characters.",
        check: platform_id,
    },
    Format {
        name: "PlatformRef",
        pattern: PLATFORM_REF,
        max_length: None,
        numbers: false,
        description: "A platform id, or `*` for every platform.",
        check: platform_ref,
    },
    Format {
        name: "Ipv4",
        pattern: IPV4,
        max_length: None,
        numbers: false,
        description: "An IPv4 address in dotted decimal, without leading zeros, e.g. `192.168.60.11`.",
        check: ipv4,
    },
    Format {
        name: "PortRule",
        pattern: PORT_RULE,
        max_length: None,
        numbers: false,
        description: "A port rule `PROTO/DIR PORT[-PORT]`: `tcp` or `udp`, `in` or `out`, ports 1-65535, e.g. `tcp/in 29001-29005` or `udp/out 389`.",
        check: port_rule,
    },
    Format {
        name: "Drive",
        pattern: DRIVE,
        max_length: None,
        numbers: false,
        description: "The drive letter of the switching partition, e.g. `S:` (quote it in YAML); not `C:`, the system drive.",
        check: drive,
    },
    Format {
        name: "VolumeGuid",
        pattern: GUID,
        max_length: None,
        numbers: false,
        description: "A volume GUID as `clpdiskctrl get guid` prints it, braces included, e.g. `{6a7b8c9d-0000-4000-8000-000000000001}` (quote it in YAML).",
        check: values::guid_problem,
    },
    Format {
        name: "Hostname",
        pattern: HOSTNAME,
        max_length: Some(253),
        numbers: false,
        description: "A DNS host name: labels of letters, digits and `-` (not first or last), separated by dots.",
        check: values::hostname_problem,
    },
    Format {
        name: "ComputerName",
        pattern: COMPUTER_NAME,
        max_length: None,
        numbers: false,
        description: "A NetBIOS computer name: 1-15 letters, digits and `-`.",
        check: values::computer_name_problem,
    },
    Format {
        name: "RegistryKey",
        pattern: REGISTRY_KEY,
        max_length: None,
        numbers: false,
        description: "A registry key under a predefined root, e.g. `HKEY_LOCAL_MACHINE\\SOFTWARE\\Example` (single quotes in YAML keep the backslashes): letters, digits, space, `_`, `-`, `.`, `(`, `)`.",
        check: values::registry_problem,
    },
    Format {
        name: "Version",
        pattern: VERSION,
        max_length: None,
        numbers: true,
        description: "A dotted version such as `6.0` (a YAML number is read as written).",
        check: values::version_problem,
    },
    Format {
        name: "VersionSpec",
        pattern: VERSION_SPEC,
        max_length: None,
        numbers: true,
        description: "A version (`6.0`), a version and later (`2.0+`), or `*` for any version.",
        check: version_spec,
    },
    Format {
        name: "WindowsPath",
        pattern: WINDOWS_PATH,
        max_length: None,
        numbers: false,
        description: "An absolute Windows path on a drive, e.g. `S:\\inetpub` (single quotes in YAML keep the backslashes): folder names of letters, digits, space, `_`, `-`, `.`, `(`, `)`; no `.` or `..` folders, no DOS device names.",
        check: values::path_problem,
    },
    Format {
        name: "ServiceAccount",
        pattern: ACCOUNT,
        max_length: None,
        numbers: false,
        description: "A Windows account, `DOMAIN\\user` for a domain account: letters, digits, `\\`, `_`, `-`, `.`, `$` and space.",
        check: values::account_problem,
    },
    Format {
        name: "Key",
        pattern: KEY,
        max_length: None,
        numbers: false,
        description: "A key from the catalog: letters, digits, `-` and `_`.",
        check: key,
    },
    Format {
        name: "FeatureName",
        pattern: FEATURE_NAME,
        max_length: None,
        numbers: false,
        description: "A product feature from the catalog: letters, digits and `-`.",
        check: feature_name,
    },
    Format {
        name: "ServiceName",
        pattern: SERVICE_NAME,
        max_length: Some(256),
        numbers: false,
        description: "A Windows service name as ARMLOAD receives it (services.msc, Properties, Service name): at most 256 characters, any but `/` and `\\`; a double quote and control characters cannot pass through a batch file intact and are refused. Scripts write it in double quotes (`%` doubled) unless it holds only letters, digits, `_`, `-` and `.`.",
        check: values::service_name_problem,
    },
    Format {
        name: "ExportPath",
        pattern: EXPORT_PATH,
        max_length: Some(1024),
        numbers: false,
        description: "The path of a server's own service export (`sc qc`, `wmic ... /format:csv` or PowerShell `ConvertTo-Json` output), relative to the cluster file's folder and inside it: names of letters, digits, space, `_`, `.` and `-`, each starting with a letter, digit or `_`, joined by `/`.",
        check: crate::inventory::export_path_problem,
    },
    Format {
        name: "WatchId",
        pattern: WATCH_ID,
        max_length: None,
        numbers: false,
        description: "An ARMLOAD watch id: 1-31 letters and digits (`NEC_` is reserved by CLUSTERPRO and cannot be written).",
        check: watch_id,
    },
    Format {
        name: "Line",
        pattern: LINE,
        max_length: None,
        numbers: false,
        description: "One line of text, not blank.",
        check: line,
    },
    Format {
        name: "ScriptText",
        pattern: SCRIPT_TEXT,
        max_length: None,
        numbers: false,
        description: "One line of text, not blank, that is written into scripts: without `% ^ & | < > \" !`.",
        check: script_text,
    },
    Format {
        name: "Command",
        pattern: COMMAND,
        max_length: None,
        numbers: false,
        description: "A cmd.exe command line run before the group's services start; `{install_dir}` is replaced by the app's install directory. Without `% ^ & | < > !` or line breaks (`\"` may quote a path), and not a label line (`:NAME`).",
        check: command,
    },
];

/// The format a `pattern` of the schemas belongs to.
pub fn by_pattern(pattern: &str) -> Option<&'static Format> {
    ALL.iter().find(|f| f.pattern == pattern)
}

/// The format of this definition name.
pub fn by_name(name: &str) -> Option<&'static Format> {
    ALL.iter().find(|f| f.name == name)
}

fn name(text: &str) -> Option<String> {
    values::injection_problem(text).or_else(|| values::name_problem(text))
}

fn product_id(text: &str) -> Option<String> {
    name(text).or_else(|| {
        (text == "custom").then(|| "`custom` is reserved for apps described in the cluster file itself".to_string())
    })
}

fn platform_id(text: &str) -> Option<String> {
    if let Some(problem) = values::script_hazard(text).map(|c| {
        format!(
            "`{}` contains `{}`, which would change what a script runs",
            text.escape_debug(),
            c.escape_debug()
        )
    }) {
        return Some(problem);
    }
    let mut chars = text.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        && text.len() <= 64
        && !text.contains("..");
    (!ok).then(|| {
        format!(
            "`{}` is not a platform id: an ASCII letter, then letters, digits, `-`, `_` and `.` (never `..`), at most 64 characters",
            text.escape_debug()
        )
    })
}

fn platform_ref(text: &str) -> Option<String> {
    if text == "*" { None } else { platform_id(text) }
}

/// The decoder's reading of an IPv4 address ([`values::parse_ipv4`]).
pub fn ipv4(text: &str) -> Option<String> {
    values::parse_ipv4(text)
        .is_none()
        .then(|| format!("`{}` is not an IPv4 address", text.escape_debug()))
}

fn port_rule(text: &str) -> Option<String> {
    values::PortRule::parse(text).err()
}

/// The decoder's reading of a drive ([`values::parse_drive`]).
pub fn drive(text: &str) -> Option<String> {
    values::parse_drive(text).err()
}

fn version_spec(text: &str) -> Option<String> {
    if text == "*" {
        return None;
    }
    let bare = text.strip_suffix('+').unwrap_or(text);
    values::version_problem(bare).map(|_| {
        format!(
            "`{}` is not a version (`6.0`), a version and later (`2.0+`) or `*`",
            text.escape_debug()
        )
    })
}

/// The decoder's reading of edition and placement values and of service keys.
pub fn key(text: &str) -> Option<String> {
    (!values::is_key(text)).then(|| {
        format!(
            "`{}` is not a key: use letters, digits, `-` and `_`",
            text.escape_debug()
        )
    })
}

/// The decoder's reading of an app's `features`.
pub fn feature_name(text: &str) -> Option<String> {
    (!values::is_feature_name(text)).then(|| format!("`{}` is not a feature name", text.escape_debug()))
}

fn watch_id(text: &str) -> Option<String> {
    values::injection_problem(text).or_else(|| values::watch_id_problem(text))
}

fn line(text: &str) -> Option<String> {
    if text.trim().is_empty() {
        return Some("the text is blank".into());
    }
    // A control character breaks the line; a bidirectional control reorders what a terminal,
    // an editor or the review page shows around it.
    text.chars().find(|c| crate::source::is_unprintable(*c)).map(|c| {
        if c.is_control() {
            format!("the text contains `{}`: write one line", c.escape_debug())
        } else {
            format!(
                "the text contains `{}`, a bidirectional control that reorders what is shown around it",
                c.escape_unicode()
            )
        }
    })
}

fn script_text(text: &str) -> Option<String> {
    line(text).or_else(|| {
        values::script_hazard(text).map(|c| {
            format!(
                "`{}` contains `{}`, which would change what a script runs",
                text.escape_debug(),
                c.escape_debug()
            )
        })
    })
}

fn command(text: &str) -> Option<String> {
    line(text)
        .or_else(|| {
            text.chars()
                .find(|c| values::SCRIPT_METACHARACTERS.contains(c) && *c != '"')
                .map(|c| {
                    format!(
                        "the command `{}` contains `{}`, which would change what start.bat runs",
                        text.escape_debug(),
                        c.escape_debug()
                    )
                })
        })
        .or_else(|| {
            // cmd.exe reads a line that starts with `:` as a label: `:RECOVER` would be a second
            // target of `GOTO RECOVER`, and the first one wins.
            text.trim_start().starts_with(':').then(|| {
                format!(
                    "the command `{}` is a batch label line, which would add a GOTO target to start.bat (`:RECOVER` would start the services on RECOVER)",
                    text.escape_debug()
                )
            })
        })
}

/// Implements [`JsonSchema`] for a marker type that stands for a format.
macro_rules! markers {
    ($($(#[$doc:meta])* $ty:ident;)*) => {$(
        $(#[$doc])*
        pub struct $ty;

        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                stringify!($ty).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                by_name(stringify!($ty)).expect("every marker has a format").schema()
            }
        }
    )*};
}

markers! {
    /// [`ALL`]'s `Name`.
    Name;
    /// [`ALL`]'s `ProductId`.
    ProductId;
    /// [`ALL`]'s `PlatformId`.
    PlatformId;
    /// [`ALL`]'s `PlatformRef`.
    PlatformRef;
    /// [`ALL`]'s `Ipv4`.
    Ipv4;
    /// [`ALL`]'s `PortRule`.
    PortRule;
    /// [`ALL`]'s `Drive`.
    Drive;
    /// [`ALL`]'s `VolumeGuid`.
    VolumeGuid;
    /// [`ALL`]'s `Hostname`.
    Hostname;
    /// [`ALL`]'s `ComputerName`.
    ComputerName;
    /// [`ALL`]'s `RegistryKey`.
    RegistryKey;
    /// [`ALL`]'s `Version`.
    Version;
    /// [`ALL`]'s `VersionSpec`.
    VersionSpec;
    /// [`ALL`]'s `WindowsPath`.
    WindowsPath;
    /// [`ALL`]'s `ServiceAccount`.
    ServiceAccount;
    /// [`ALL`]'s `Key`.
    Key;
    /// [`ALL`]'s `FeatureName`.
    FeatureName;
    /// [`ALL`]'s `ServiceName`.
    ServiceName;
    /// [`ALL`]'s `WatchId`.
    WatchId;
    /// [`ALL`]'s `ExportPath`.
    ExportPath;
    /// [`ALL`]'s `Line`.
    Line;
    /// [`ALL`]'s `ScriptText`.
    ScriptText;
    /// [`ALL`]'s `Command`.
    Command;
}

/// A closed list of words: the schema is an `enum`.
macro_rules! word_lists {
    ($($(#[$doc:meta])* $ty:ident = $words:expr, $description:literal;)*) => {$(
        $(#[$doc])*
        pub struct $ty;

        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                stringify!($ty).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                let words: Vec<&str> = $words;
                json_schema!({ "description": $description, "type": "string", "enum": words })
            }
        }
    )*};
}

word_lists! {
    /// An operating system of SPEC section 2.
    OsId = crate::model::OS_IDS.to_vec(),
        "A Windows version: the cluster's operating system.";
    /// An operating system, or `*`.
    OsSpec = crate::model::OS_IDS.iter().copied().chain(["*"]).collect(),
        "A Windows version, or `*` for every one.";
    /// A cluster feature of SPEC section 2.
    ClusterFeature = crate::model::FEATURES.to_vec(),
        "A cluster feature: `forced-stop` (forced stop of a failed server through IPMI) or `chassis-identify` (chassis lamp through IPMI).";
}

/// A value that may also be written as null (an empty YAML value), which hagen reads as empty.
pub struct OrNull<T>(PhantomData<T>);

impl<T: JsonSchema> JsonSchema for OrNull<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        format!("{}_or_null", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<Option<T>>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_patterns_are_unique_and_every_marker_has_a_format() {
        for (i, f) in ALL.iter().enumerate() {
            assert!(ALL[..i].iter().all(|g| g.name != f.name), "{}", f.name);
            assert!(ALL[..i].iter().all(|g| g.pattern != f.pattern), "{}", f.name);
        }
        let mut generator = SchemaGenerator::default();
        let _ = generator.subschema_for::<Name>();
        let _ = generator.subschema_for::<Command>();
        assert!(NAME.contains(device!()) && PRODUCT_ID.contains(device!()) && WINDOWS_PATH.contains(device!()));
    }

    #[test]
    fn the_checks_are_those_of_the_decoder() {
        assert_eq!(drive("s:"), None);
        assert!(drive("c:").is_some());
        assert_eq!(ipv4("10.0.0.1"), None);
        assert!(ipv4("10.0.0.01").is_some());
        assert_eq!(version_spec("2.0+"), None);
        assert!(version_spec("+").is_some());
        assert!(product_id("custom").is_some());
        assert_eq!(platform_id("clusterpro-x-4.2"), None);
        assert!(platform_id("a..b").is_some());
        assert!(command("del \"{install_dir}\\x\"").is_none());
        assert!(command("a & b").is_some());
        assert!(command(":RECOVER").is_some());
        assert!(command("  :EXIT").is_some());
        assert!(command("::").is_some());
        assert!(command("copy a:x b").is_none());
        assert!(script_text("a \"b\"").is_some());
        assert!(line("a\nb").is_some());
    }
}
