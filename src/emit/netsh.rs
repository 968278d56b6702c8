//! `firewall/<server>.cmd`: the Windows Firewall rules of the plan as a script an operator runs
//! as an administrator on the server, in the netsh dialect of the cluster's Windows version.
//!
//! - Windows Server 2003 (Service Pack 1 and R2, where Windows Firewall first ships: Microsoft,
//!   "Windows Firewall in Windows Server 2003 Service Pack 1"): the `netsh firewall` context
//!   (Microsoft, "Appendix B: Netsh Command Syntax for the Netsh Firewall Context", in
//!   "Deploying Windows Firewall Settings for Microsoft Windows XP with Service Pack 2"):
//!   `add portopening protocol=TCP|UDP port=1-65535 name=NAME mode=ENABLE scope=ALL
//!   profile=ALL` opens one port, and `delete portopening protocol=.. port=.. profile=ALL`
//!   removes it. A port opening is one port, so a range is one command per port. That Windows
//!   Firewall filters unsolicited incoming traffic only (same Microsoft document on SP1: it
//!   works "by preventing unsolicited incoming traffic"), so outbound rules need nothing and
//!   are written as comments.
//! - Windows Server 2008 and later: the `netsh advfirewall firewall` context (Microsoft,
//!   "Netsh AdvFirewall Firewall Commands", Windows Server 2008 and 2008 R2; Microsoft KB 947709,
//!   "How to use the netsh advfirewall firewall context instead of the netsh firewall context"):
//!   `add rule name=NAME dir=in|out action=allow protocol=TCP|UDP localport=|remoteport=N[-M]`
//!   and `delete rule name=NAME`. An inbound rule names the local port (the cluster listens on
//!   it), an outbound rule the remote port (the server it talks to listens on it).
//! - Windows NT 4.0 and Windows 2000 Server have no Windows Firewall: no script.
//!
//! Idempotent: every rule is deleted by its own name (or port) before it is added, so running
//! the script again leaves each rule once. Names start with `hagen <cluster>`, so the script
//! never deletes a rule it did not add. Each rule is preceded by a comment with its rule, the
//! port spelled out as local or remote, its purpose and its source. Comments are reduced to
//! characters that cmd.exe reads literally, whatever a profile's text holds; the script has
//! CRLF line endings and is ASCII for `en`, CP932 for `ja` (as the group scripts; FACTS.md
//! section 4), its comments and messages in the cluster's language.

use crate::model::{Direction, Filter, Language, PortRule, Protocol};
use crate::plan::{Plan, PortNeed};
use crate::tr;

/// Ports of one range that `netsh firewall` opens one by one, at most; a wider range is left
/// to the operator, with a comment and a failure exit.
pub const MAX_LEGACY_RANGE: u32 = 64;

/// Which netsh context a Windows version takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `netsh firewall`: Windows Server 2003 SP1 and R2.
    Firewall,
    /// `netsh advfirewall firewall`: Windows Server 2008 and later.
    AdvFirewall,
}

/// The dialect of an OS id of SPEC section 2; `None` where Windows has no firewall.
pub fn dialect(os: &str) -> Option<Dialect> {
    match os {
        "windows-server-2003" => Some(Dialect::Firewall),
        os if os.starts_with("windows-server-") => Some(Dialect::AdvFirewall),
        _ => None,
    }
}

/// The script for one server, when the cluster declares Windows Firewall on a Windows that has it.
pub fn script(plan: &Plan, server: &str) -> Option<Vec<u8>> {
    let firewall = plan.firewall.as_ref()?;
    if firewall.filter != Filter::WindowsFirewall {
        return None;
    }
    let dialect = dialect(&plan.os)?;
    let l = plan.language;
    let mut out = String::new();
    let mut line = |text: &str| {
        out.push_str(text);
        out.push_str("\r\n");
    };
    line("@echo off");
    line(&tr!(
        l,
        "netsh.title",
        server = server,
        cluster = comment(l, &plan.cluster_name),
        os = comment(l, &plan.os),
    ));
    line(&tr!(l, "netsh.generated", source = comment(l, &plan.source_name)));
    match dialect {
        Dialect::Firewall => {
            line(&tr!(l, "netsh.legacy.context"));
            line(&tr!(l, "netsh.legacy.again"));
        }
        Dialect::AdvFirewall => {
            line(&tr!(l, "netsh.adv.context"));
            line(&tr!(l, "netsh.adv.again"));
        }
    }
    line("setlocal");
    line("set FAILED=0");
    let prefix = format!("hagen {}", plan.cluster_name);
    for need in &firewall.rules {
        for text in rule(l, dialect, &prefix, need) {
            line(&text);
        }
    }
    line("if \"%FAILED%\"==\"0\" goto done");
    line(&tr!(l, "netsh.failed"));
    line("exit /b 1");
    line(":done");
    line(&tr!(l, "netsh.done", server = server));
    line("exit /b 0");
    Some(super::scripts::encode(&out, l))
}

/// The lines of one rule: its comment, then delete and add (or a comment saying why none).
fn rule(l: Language, dialect: Dialect, prefix: &str, need: &PortNeed) -> Vec<String> {
    let r = need.rule;
    let mut lines = vec![tr!(
        l,
        "netsh.rule",
        rule = r,
        spelled = spelled(l, &r),
        purpose = comment(l, &need.purpose),
        source = comment(l, &need.source),
    )];
    let proto = match r.protocol {
        Protocol::Tcp => "TCP",
        Protocol::Udp => "UDP",
    };
    match dialect {
        Dialect::AdvFirewall => {
            let (dir, side) = match r.direction {
                Direction::In => ("in", "localport"),
                Direction::Out => ("out", "remoteport"),
            };
            let name = format!("{prefix} {proto} {dir} {}", ports(&r));
            lines.push(format!(
                "netsh advfirewall firewall delete rule name=\"{name}\" >nul 2>&1"
            ));
            lines.push(format!(
                "netsh advfirewall firewall add rule name=\"{name}\" dir={dir} action=allow protocol={proto} {side}={}",
                ports(&r)
            ));
            lines.push("if errorlevel 1 set FAILED=1".to_string());
        }
        Dialect::Firewall if r.direction == Direction::Out => {
            lines.push(tr!(l, "netsh.legacy.outbound"));
        }
        Dialect::Firewall if u32::from(r.last) - u32::from(r.first) + 1 > MAX_LEGACY_RANGE => {
            lines.push(tr!(l, "netsh.legacy.wide", rule = r, max = MAX_LEGACY_RANGE));
            lines.push("set FAILED=1".to_string());
        }
        Dialect::Firewall => {
            for port in r.first..=r.last {
                let name = format!("{prefix} {proto} {port}");
                lines.push(format!(
                    "netsh firewall delete portopening protocol={proto} port={port} profile=ALL >nul 2>&1"
                ));
                lines.push(format!(
                    "netsh firewall add portopening protocol={proto} port={port} name=\"{name}\" mode=ENABLE scope=ALL profile=ALL"
                ));
                lines.push("if errorlevel 1 set FAILED=1".to_string());
            }
        }
    }
    lines
}

/// `29001` or `29001-29005`.
fn ports(r: &PortRule) -> String {
    if r.first == r.last {
        r.first.to_string()
    } else {
        format!("{}-{}", r.first, r.last)
    }
}

/// The rule in words: which side's port, which direction.
pub fn spelled(l: Language, r: &PortRule) -> String {
    let key = match (r.direction, r.first == r.last) {
        (Direction::In, true) => "firewall.spelled.in",
        (Direction::In, false) => "firewall.spelled.in_range",
        (Direction::Out, true) => "firewall.spelled.out",
        (Direction::Out, false) => "firewall.spelled.out_range",
    };
    tr!(l, key, ports = ports(r))
}

/// Text reduced to what a `rem` line shows literally: letters, digits, space and plain
/// punctuation; anything else (cmd.exe's metacharacters, control and non-ASCII characters)
/// becomes `_`. A Japanese script (CP932) keeps the non-ASCII characters CP932 encodes,
/// except the bidirectional and other format controls: they are letters to cmd.exe.
fn comment(l: Language, text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " .,:;()/'+=_-#@[]{}".contains(c) || (l == Language::Ja && wide(c)) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A non-ASCII character CP932 writes, that is neither a control nor a format character.
fn wide(c: char) -> bool {
    if c.is_ascii() || c.is_control() || crate::render::human::printable(&c.to_string()) != c.to_string() {
        return false;
    }
    let mut buf = [0u8; 4];
    let (_, _, unmappable) = encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut buf));
    !unmappable
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialects_follow_the_windows_version() {
        assert_eq!(dialect("windows-server-2003"), Some(Dialect::Firewall));
        assert_eq!(dialect("windows-server-2008"), Some(Dialect::AdvFirewall));
        assert_eq!(dialect("windows-server-2022"), Some(Dialect::AdvFirewall));
        assert_eq!(dialect("windows-2000-server"), None);
        assert_eq!(dialect("windows-nt-4.0"), None);
    }

    #[test]
    fn comments_cannot_run_anything() {
        assert_eq!(
            comment(Language::En, "a & b | c > d % e ^ f ! \" \r\n 日本"),
            "a _ b _ c _ d _ e _ f _ _ __ __"
        );
        assert_eq!(
            comment(Language::Ja, "a & b | 日本語、用途 \u{202e} \u{1F600} \r\n"),
            "a _ b _ 日本語、用途 _ _ __"
        );
    }

    #[test]
    fn rules_are_spelled_out() {
        let r = PortRule::parse("tcp/in 29001-29005").unwrap();
        assert_eq!(spelled(Language::En, &r), "local ports 29001-29005, inbound");
        assert_eq!(spelled(Language::Ja, &r), "ローカルポート 29001-29005、受信");
        let r = PortRule::parse("udp/out 389").unwrap();
        assert_eq!(spelled(Language::En, &r), "remote port 389, outbound");
        assert_eq!(spelled(Language::Ja, &r), "リモートポート 389、送信");
    }
}
