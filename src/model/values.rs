//! Small value types of the cluster file and their strict parsers.
//!
//! Every text that can reach a script, an XML file or a path is checked here against an
//! allowlist of characters; escaping later is only a second line of defence.

use std::fmt;

use super::Language;
use crate::tr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    Tcp,
    Udp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    In,
    Out,
}

/// `PROTO/DIR PORT[-PORT]`, e.g. `tcp/in 29001-29005`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PortRule {
    pub protocol: Protocol,
    pub direction: Direction,
    pub first: u16,
    pub last: u16,
}

impl PortRule {
    pub fn parse(text: &str) -> Result<PortRule, String> {
        PortRule::parse_in(Language::En, text)
    }

    /// [`PortRule::parse`], with what is wrong said in `l`.
    pub fn parse_in(l: Language, text: &str) -> Result<PortRule, String> {
        let bad = || tr!(l, "value.port_rule", text = text);
        let (head, ports) = text.trim().split_once(' ').ok_or_else(bad)?;
        let (protocol, direction) = head.split_once('/').ok_or_else(bad)?;
        let protocol = match protocol {
            "tcp" => Protocol::Tcp,
            "udp" => Protocol::Udp,
            other => return Err(tr!(l, "value.protocol", protocol = other)),
        };
        let direction = match direction {
            "in" => Direction::In,
            "out" => Direction::Out,
            other => return Err(tr!(l, "value.direction", direction = other)),
        };
        let port = |s: &str| -> Result<u16, String> {
            match s.trim().parse::<u16>() {
                Ok(p) if p > 0 && s.trim().bytes().all(|b| b.is_ascii_digit()) => Ok(p),
                _ => Err(tr!(l, "value.port", port = s)),
            }
        };
        let ports = ports.trim();
        let (first, last) = match ports.split_once('-') {
            Some((a, b)) => (port(a)?, port(b)?),
            None => {
                let p = port(ports)?;
                (p, p)
            }
        };
        if first > last {
            return Err(tr!(l, "value.backwards", ports = ports));
        }
        Ok(PortRule {
            protocol,
            direction,
            first,
            last,
        })
    }

    pub fn single(protocol: Protocol, direction: Direction, port: u16) -> PortRule {
        PortRule {
            protocol,
            direction,
            first: port,
            last: port,
        }
    }

    /// Whether this rule lets `other` through entirely.
    pub fn covers(&self, other: &PortRule) -> bool {
        self.protocol == other.protocol
            && self.direction == other.direction
            && self.first <= other.first
            && other.last <= self.last
    }

    /// Whether every port of this rule is let through by some entry of an allowlist (one
    /// entry need not cover the whole range: `tcp/in 29001-29003` is let through by
    /// `tcp/in 29001` and `tcp/in 29002-29003`).
    pub fn allowed_by<'a>(&self, allow: impl IntoIterator<Item = &'a PortRule> + Clone) -> bool {
        (self.first..=self.last).all(|port| {
            let single = PortRule {
                first: port,
                last: port,
                ..*self
            };
            allow.clone().into_iter().any(|a| a.covers(&single))
        })
    }

    pub fn overlaps(&self, other: &PortRule) -> bool {
        self.protocol == other.protocol
            && self.direction == other.direction
            && self.first <= other.last
            && other.first <= self.last
    }
}

impl fmt::Display for PortRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = match self.protocol {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        };
        let d = match self.direction {
            Direction::In => "in",
            Direction::Out => "out",
        };
        if self.first == self.last {
            write!(f, "{p}/{d} {}", self.first)
        } else {
            write!(f, "{p}/{d} {}-{}", self.first, self.last)
        }
    }
}

/// Characters that change what cmd.exe runs (FACTS.md section 4), and line breaks.
pub const SCRIPT_METACHARACTERS: &[char] = &['%', '^', '&', '|', '<', '>', '"', '!', '\r', '\n'];

/// Names Windows reserves for devices: no file or folder may carry them (FACTS.md section 4).
pub fn is_dos_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end().as_bytes();
    let is = |word: &str| stem.len() >= word.len() && stem[..word.len()].eq_ignore_ascii_case(word.as_bytes());
    (stem.len() == 3 && ["CON", "PRN", "AUX", "NUL"].into_iter().any(is))
        || (stem.len() == 4 && (is("COM") || is("LPT")) && matches!(stem[3], b'1'..=b'9'))
}

/// The first character that may not appear in a script-bound text, if any.
pub fn script_hazard(text: &str) -> Option<char> {
    text.chars()
        .find(|c| SCRIPT_METACHARACTERS.contains(c) || c.is_control())
}

/// What is wrong with a name or id that would carry a script metacharacter, a line break or a
/// control character into a script, or `..`, `\`, `/`, `:` into a generated path (SPEC
/// section 6: such a value is `invalid-value`, whatever other rule it also breaks).
pub fn injection_problem(text: &str) -> Option<String> {
    injection_problem_in(Language::En, text)
}

/// [`injection_problem`] in `l`.
pub fn injection_problem_in(l: Language, text: &str) -> Option<String> {
    if let Some(c) = script_hazard(text) {
        return Some(script_char(l, text, c));
    }
    if text.contains("..") {
        return Some(tr!(l, "value.dotdot", text = text.escape_debug()));
    }
    if let Some(c) = text.chars().find(|c| matches!(c, '\\' | '/' | ':')) {
        return Some(tr!(
            l,
            "value.path_char",
            text = text.escape_debug(),
            char = c.escape_debug()
        ));
    }
    None
}

/// `text` holds `c`, which would change what a script runs.
fn script_char(l: Language, text: &str, c: char) -> String {
    tr!(
        l,
        "value.script_char",
        text = text.escape_debug(),
        char = c.escape_debug()
    )
}

/// Checks the naming rule of SPEC section 4: an ASCII letter, then letters, digits, `-`, `_`;
/// at most 31 bytes; not a DOS device name.
pub fn name_problem(name: &str) -> Option<String> {
    name_problem_in(Language::En, name)
}

/// [`name_problem`] in `l`.
pub fn name_problem_in(l: Language, name: &str) -> Option<String> {
    let mut chars = name.chars();
    match chars.next() {
        None => return Some(tr!(l, "value.name.empty")),
        Some(c) if !c.is_ascii_alphabetic() => {
            return Some(tr!(l, "value.name.first", name = name.escape_debug()));
        }
        _ => {}
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Some(tr!(
            l,
            "value.name.char",
            name = name.escape_debug(),
            char = c.escape_debug()
        ));
    }
    if name.len() > 31 {
        return Some(tr!(l, "value.name.long", name = name, bytes = name.len()));
    }
    if is_dos_device_name(name) {
        return Some(tr!(l, "value.name.device", name = name));
    }
    None
}

/// Checks a Windows absolute path on a drive (`S:\dir\sub`): letters, digits, space, `_`, `-`,
/// `.`, `(`, `)` in each segment; no `..`, no DOS device names, no script metacharacters.
pub fn path_problem(path: &str) -> Option<String> {
    path_problem_in(Language::En, path)
}

/// [`path_problem`] in `l`.
pub fn path_problem_in(l: Language, path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    if bytes.len() < 3 || !bytes[0].is_ascii_alphabetic() || bytes[1] != b':' || bytes[2] != b'\\' {
        return Some(tr!(l, "value.path.absolute", path = path.escape_debug()));
    }
    if let Some(c) = script_hazard(path) {
        return Some(script_char(l, path, c));
    }
    for segment in path[3..].split('\\') {
        if segment.is_empty() {
            if path.len() > 3 && !path.ends_with('\\') {
                return Some(tr!(l, "value.path.empty_folder", path = path));
            }
            continue;
        }
        if segment == ".." || segment == "." {
            return Some(tr!(l, "value.path.dot", path = path, segment = segment));
        }
        if let Some(c) = segment
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || " _-.()".contains(*c)))
        {
            return Some(tr!(l, "value.path.char", path = path, char = c));
        }
        if is_dos_device_name(segment) {
            return Some(tr!(l, "value.path.device", path = path, segment = segment));
        }
    }
    None
}

/// An IPv4 address as the cluster file writes it: four decimal parts without leading zeros
/// (`10.0.0.01` is refused: some readers take a leading zero for octal).
pub fn parse_ipv4(text: &str) -> Option<std::net::Ipv4Addr> {
    let ok = text.split('.').count() == 4
        && text
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 3 && (p == "0" || !p.starts_with('0')));
    text.parse().ok().filter(|_| ok)
}

/// A switching partition's drive: a letter and a colon, not the system drive `C:`; the
/// letter, upper case.
pub fn parse_drive(text: &str) -> Result<char, String> {
    parse_drive_in(Language::En, text)
}

/// [`parse_drive`] in `l`.
pub fn parse_drive_in(l: Language, text: &str) -> Result<char, String> {
    let b = text.as_bytes();
    if b.len() == 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        let letter = (b[0] as char).to_ascii_uppercase();
        if letter == 'C' {
            return Err(tr!(l, "value.drive.system"));
        }
        return Ok(letter);
    }
    Err(tr!(l, "value.drive", text = text.escape_debug()))
}

/// A mirror disk's data or cluster partition: a drive as [`parse_drive`] reads it. NEC does not
/// support mirroring the system drive: "It is not supported to mirror C: drive"
/// (EXPRESSCLUSTER/BasicCluster, X41/Win/2nodesMirror.md, Requirements).
pub fn parse_mirror_drive(text: &str) -> Result<char, String> {
    parse_mirror_drive_in(Language::En, text)
}

/// [`parse_mirror_drive`] in `l`.
pub fn parse_mirror_drive_in(l: Language, text: &str) -> Result<char, String> {
    parse_drive_in(l, text).map_err(|message| {
        if text.eq_ignore_ascii_case("c:") {
            tr!(l, "value.mirror_drive.system")
        } else {
            message
        }
    })
}

/// A key of the catalog (an edition, a placement, a service key): letters, digits, `-`, `_`.
pub fn is_key(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A feature name: letters, digits and `-`.
pub fn is_feature_name(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The drive letter of a path already accepted by [`path_problem`], upper case.
pub fn drive_of(path: &str) -> char {
    path.chars().next().unwrap_or('C').to_ascii_uppercase()
}

/// Windows service names: up to 256 characters, any but `/` and `\\` (the Service Control
/// Manager refuses those; `CreateService` in Microsoft's Win32 documentation). Two more cannot be
/// written into a batch line intact and are refused: a double quote (inside cmd.exe's `"..."`
/// it ends the quoted run, and cmd.exe has no escape inside quotes) and control characters
/// (a line break ends the line). Everything else (`$`, parentheses, spaces, `% ^ & | < > !`)
/// reaches ARMLOAD intact in double quotes, `%` doubled (see `emit::scripts`).
pub fn service_name_problem(name: &str) -> Option<String> {
    service_name_problem_in(Language::En, name)
}

/// [`service_name_problem`] in `l`.
pub fn service_name_problem_in(l: Language, name: &str) -> Option<String> {
    if name.trim().is_empty() {
        return Some(tr!(l, "value.service.empty"));
    }
    if name.chars().count() > 256 {
        return Some(tr!(l, "value.service.long"));
    }
    if let Some(c) = name.chars().find(|c| matches!(c, '/' | '\\')) {
        return Some(tr!(
            l,
            "value.service.slash",
            name = name.escape_debug(),
            char = c.escape_debug()
        ));
    }
    if let Some(c) = name.chars().find(|c| *c == '"' || c.is_control()) {
        return Some(tr!(
            l,
            "value.service.quote",
            name = name.escape_debug(),
            char = c.escape_debug()
        ));
    }
    None
}

/// Whether a service name is written bare in a script: it holds only letters, digits, `_`, `-`
/// and `.`, which cmd.exe reads as plain text; any other name is written in double quotes.
pub fn service_name_is_bare(name: &str) -> bool {
    name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
}

/// Watch ids of ARMLOAD: alphanumeric, and the `NEC_` prefix is reserved (FACTS.md section 1).
pub fn watch_id_problem(id: &str) -> Option<String> {
    watch_id_problem_in(Language::En, id)
}

/// [`watch_id_problem`] in `l`.
pub fn watch_id_problem_in(l: Language, id: &str) -> Option<String> {
    if id.is_empty() {
        return Some(tr!(l, "value.watch_id.empty"));
    }
    if let Some(c) = id.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Some(tr!(
            l,
            "value.watch_id.char",
            id = id.escape_debug(),
            char = c.escape_debug()
        ));
    }
    if id.len() > 31 {
        return Some(tr!(l, "value.watch_id.long", id = id, bytes = id.len()));
    }
    if id.to_ascii_uppercase().starts_with("NEC") && id.len() >= 4 && id.as_bytes()[3] == b'_' {
        return Some(tr!(l, "value.watch_id.nec", id = id));
    }
    None
}

/// A dotted version such as `6.0` or `2.1`.
pub fn version_problem(version: &str) -> Option<String> {
    version_problem_in(Language::En, version)
}

/// [`version_problem`] in `l`.
pub fn version_problem_in(l: Language, version: &str) -> Option<String> {
    let ok = !version.is_empty()
        && version
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 6 && p.bytes().all(|b| b.is_ascii_digit()));
    (!ok).then(|| tr!(l, "value.version", version = version.escape_debug()))
}

/// Compares dotted versions numerically (`6.10` > `6.9`; `2` == `2.0`).
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let parts = |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    let (mut pa, mut pb) = (parts(a), parts(b));
    let n = pa.len().max(pb.len());
    pa.resize(n, 0);
    pb.resize(n, 0);
    pa.cmp(&pb)
}

/// `DOMAIN\user` with a NetBIOS-style domain and a user name of safe characters.
pub fn account_problem(account: &str) -> Option<String> {
    account_problem_in(Language::En, account)
}

/// [`account_problem`] in `l`.
pub fn account_problem_in(l: Language, account: &str) -> Option<String> {
    if let Some(c) = script_hazard(account) {
        return Some(tr!(
            l,
            "value.contains",
            text = account.escape_debug(),
            char = c.escape_debug()
        ));
    }
    if let Some(c) = account
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "\\_-. $".contains(*c)))
    {
        return Some(tr!(l, "value.account.char", account = account, char = c));
    }
    None
}

/// Whether an account is written `DOMAIN\user`.
pub fn is_domain_account(account: &str) -> bool {
    match account.split_once('\\') {
        Some((domain, user)) => {
            !domain.is_empty()
                && !user.is_empty()
                && !user.contains('\\')
                && domain.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
                && domain != "."
        }
        None => false,
    }
}

/// A DNS host name: labels of letters, digits and `-`, separated by dots.
pub fn hostname_problem(name: &str) -> Option<String> {
    hostname_problem_in(Language::En, name)
}

/// [`hostname_problem`] in `l`.
pub fn hostname_problem_in(l: Language, name: &str) -> Option<String> {
    let ok = !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    (!ok).then(|| tr!(l, "value.hostname", name = name.escape_debug()))
}

/// A NetBIOS computer name: 1-15 letters, digits and `-`.
pub fn computer_name_problem(name: &str) -> Option<String> {
    computer_name_problem_in(Language::En, name)
}

/// [`computer_name_problem`] in `l`.
pub fn computer_name_problem_in(l: Language, name: &str) -> Option<String> {
    let ok = !name.is_empty() && name.len() <= 15 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    (!ok).then(|| tr!(l, "value.computer_name", name = name.escape_debug()))
}

/// A volume GUID as `clpdiskctrl get guid` prints it: `{8-4-4-4-12}` hexadecimal.
pub fn guid_problem(guid: &str) -> Option<String> {
    guid_problem_in(Language::En, guid)
}

/// [`guid_problem`] in `l`.
pub fn guid_problem_in(l: Language, guid: &str) -> Option<String> {
    let inner = guid.strip_prefix('{').and_then(|g| g.strip_suffix('}'));
    let ok = inner.is_some_and(|g| {
        let parts: Vec<&str> = g.split('-').collect();
        parts.len() == 5
            && parts
                .iter()
                .zip([8, 4, 4, 4, 12])
                .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    (!ok).then(|| tr!(l, "value.guid", guid = guid.escape_debug()))
}

/// A registry key path under one of the predefined roots.
pub fn registry_problem(key: &str) -> Option<String> {
    registry_problem_in(Language::En, key)
}

/// [`registry_problem`] in `l`.
pub fn registry_problem_in(l: Language, key: &str) -> Option<String> {
    if let Some(c) = script_hazard(key) {
        return Some(tr!(
            l,
            "value.contains",
            text = key.escape_debug(),
            char = c.escape_debug()
        ));
    }
    let root = key.split('\\').next().unwrap_or("");
    if !matches!(
        root,
        "HKEY_LOCAL_MACHINE" | "HKEY_USERS" | "HKEY_CURRENT_USER" | "HKEY_CLASSES_ROOT" | "HKEY_CURRENT_CONFIG"
    ) {
        return Some(tr!(l, "value.registry.root", key = key));
    }
    if let Some(c) = key
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || " _-.()\\".contains(*c)))
    {
        return Some(tr!(l, "value.contains", text = key, char = c));
    }
    if key.split('\\').any(str::is_empty) {
        return Some(tr!(l, "value.registry.empty", key = key));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_may_be_let_through_by_several_entries() {
        let rule = PortRule::parse("tcp/in 29001-29003").unwrap();
        let split = [
            PortRule::parse("tcp/in 29001").unwrap(),
            PortRule::parse("tcp/in 29002-29003").unwrap(),
        ];
        assert!(rule.allowed_by(&split));
        assert!(!rule.allowed_by(&split[..1]));
        assert!(!rule.allowed_by(&[PortRule::parse("udp/in 29001-29003").unwrap()]));
    }

    #[test]
    fn port_rules_parse_and_print() {
        let r = PortRule::parse("tcp/in 29001-29005").unwrap();
        assert_eq!(r.to_string(), "tcp/in 29001-29005");
        assert!(r.covers(&PortRule::single(Protocol::Tcp, Direction::In, 29003)));
        assert!(!r.covers(&PortRule::single(Protocol::Udp, Direction::In, 29003)));
        assert!(PortRule::parse("tcp/in 0").is_err());
        assert!(PortRule::parse("tcp/in 5-3").is_err());
        assert!(PortRule::parse("icmp/in 1").is_err());
        assert!(PortRule::parse("tcp in 80").is_err());
        assert!(PortRule::parse("tcp/in +80").is_err());
    }

    #[test]
    fn dos_device_names_are_known_in_any_case_and_with_any_extension() {
        for name in [
            "CON", "con", "Prn", "aux.txt", "NUL.", "nul .log", "COM1", "com9.x.y", "LpT3",
        ] {
            assert!(is_dos_device_name(name), "{name}");
        }
        for name in ["CONX", "console", "com0", "COM10", "LPT", "co", "", "xCON"] {
            assert!(!is_dos_device_name(name), "{name}");
        }
    }

    #[test]
    fn names_follow_the_rules() {
        assert_eq!(name_problem("web-1_a"), None);
        assert!(name_problem("1web").is_some());
        assert!(name_problem("web.1").is_some());
        assert!(name_problem("CON").is_some());
        assert!(name_problem("lpt9").is_some());
        assert!(name_problem("com10").is_none());
        assert!(name_problem(&"a".repeat(32)).is_some());
        assert!(name_problem(&"a".repeat(31)).is_none());
    }

    #[test]
    fn paths_refuse_injection_and_traversal() {
        assert_eq!(path_problem("S:\\inetpub"), None);
        assert_eq!(path_problem("C:\\Program Files\\ExpressMail"), None);
        for bad in [
            "S:\\a&b",
            "S:\\a%x%",
            "S:\\..\\x",
            "S:\\NUL\\x",
            "S:/x",
            "inetpub",
            "S:\\a\nb",
            "S:\\a\"b",
            "S:\\a!b",
        ] {
            assert!(path_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn watch_ids_and_accounts() {
        assert_eq!(watch_id_problem("WWWService"), None);
        assert!(watch_id_problem("NEC_X").is_some());
        assert!(watch_id_problem("A B").is_some());
        assert!(is_domain_account("CORP\\ExpressMail_User"));
        assert!(!is_domain_account("ExpressMail_User"));
        assert!(!is_domain_account(".\\user"));
    }

    #[test]
    fn versions_compare_numerically() {
        use std::cmp::Ordering::*;
        assert_eq!(compare_versions("6.10", "6.9"), Greater);
        assert_eq!(compare_versions("2", "2.0"), Equal);
        assert_eq!(version_problem("6.0"), None);
        assert!(version_problem("6.x").is_some());
    }

    #[test]
    fn guids() {
        assert_eq!(guid_problem("{6a7b8c9d-0000-4000-8000-000000000001}"), None);
        assert!(guid_problem("6a7b8c9d-0000-4000-8000-000000000001").is_some());
    }
}
