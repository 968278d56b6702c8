//! `script-hard-coded-credential`: a password written in the script.
//!
//! start.bat and stop.bat sit in the cluster's configuration, which every server holds and
//! which is copied with each configuration upload and support log collection, and the
//! commands they run show, with their arguments, in the process list of anyone logged on to
//! the server. A password on a command line (`sqlcmd -U sa -P secret`, `net use ... secret
//! /user:...`, `psexec -p`, `sqlplus scott/tiger@db`, `Password=...` in a connection string,
//! `-Password` in a PowerShell command) or set in a variable whose name says so (`SET
//! DB_PASSWORD=secret`) is readable by all of them. Values that are themselves variables
//! (`%DB_PW%`, `$cred`) or that ask for the password (`*`) are not reported.

use crate::diag::{Code, Diagnostic, Span};
use crate::lint::Linted;
use crate::lint::script::{Line, Token};

/// Options whose next word (or whose value after `:` or `=`) is a password, in any case.
const FLAGS: [&str; 12] = [
    "-password",
    "/password",
    "--password",
    "-pwd",
    "/pwd",
    "--pwd",
    "-pass",
    "/pass",
    "--pass",
    "-passwd",
    "/passwd",
    "--passwd",
];

/// `key=value` keys of connection strings and `sc config`.
const KEYS: [&str; 3] = ["password=", "pwd=", "passwd="];

/// The words of a line, split further at quotes, so that the arguments inside a quoted
/// `powershell -Command "..."` are words too.
fn sub_words(words: &[Token]) -> Vec<Token> {
    let mut out = Vec::new();
    for w in words {
        let mut start = None;
        for (i, c) in w.text.char_indices().chain(std::iter::once((w.text.len(), ' '))) {
            let blank = c.is_whitespace() || c == '"' || c == '\'';
            match (start, blank) {
                (None, false) => start = Some(i),
                (Some(s), true) => {
                    out.push(Token {
                        text: w.text[s..i].into(),
                        span: w.span.start + s..w.span.start + i,
                    });
                    start = None;
                }
                _ => {}
            }
        }
    }
    out
}

/// Whether a value is a password written out: not empty, not a variable, not a prompt.
fn literal(value: &str) -> bool {
    let v = value.trim_matches(|c| c == '"' || c == '\'');
    !v.is_empty() && v != "*" && !v.contains('%') && !v.contains('!') && !v.starts_with('$') && !v.starts_with('-')
}

/// The name of the program a command runs, upper-cased, without folder and extension.
fn program(word: &str) -> String {
    let name = word.trim_start_matches('@').rsplit(['\\', '/']).next().unwrap_or("");
    let upper = name.trim_matches('"').to_ascii_uppercase();
    for ext in [".EXE", ".CMD", ".BAT", ".COM"] {
        if let Some(stem) = upper.strip_suffix(ext) {
            return stem.to_string();
        }
    }
    upper
}

/// The span of the password a line writes out, if any, and the program it is given to.
fn password(line: &Line) -> Option<(Span, String)> {
    let words = &line.words;
    let first = words.first()?;
    let name = program(&first.text);
    if name == "SET" {
        let assignment = words.iter().skip(1).find(|w| !w.text.starts_with('/'))?;
        let text = assignment.text.trim_start_matches('"');
        let offset = assignment.text.len() - text.len();
        let (var, value) = text.split_once('=')?;
        let var = var.to_ascii_uppercase();
        let value = value.trim_end_matches('"');
        if ["PASS", "PWD", "SECRET"].iter().any(|k| var.contains(k)) && literal(value) {
            let start = assignment.span.start + offset + var.len() + 1;
            return Some((start..start + value.len(), format!("the variable `{var}`")));
        }
        return None;
    }
    let subs = sub_words(words);
    let shown = format!("`{}`", first.text.trim_start_matches('@'));
    let value_at = |i: usize| {
        subs.get(i)
            .filter(|v| literal(&v.text))
            .map(|v| (v.span.clone(), shown.clone()))
    };
    let is_net_use = name == "NET" && words.get(1).is_some_and(|w| w.text.eq_ignore_ascii_case("use"));
    for (i, w) in subs.iter().enumerate().skip(1) {
        let lower = w.text.as_str().to_ascii_lowercase();
        if FLAGS.contains(&lower.as_str()) {
            if let Some(found) = value_at(i + 1) {
                return Some(found);
            }
            continue;
        }
        if let Some(flag) = FLAGS
            .iter()
            .find(|f| lower.starts_with(*f) && matches!(lower.as_bytes().get(f.len()), Some(b':' | b'=')))
        {
            let value = &w.text[flag.len() + 1..];
            if literal(value) {
                return Some((w.span.start + flag.len() + 1..w.span.end, shown));
            }
            continue;
        }
        for key in KEYS {
            let Some(at) = lower.find(key) else { continue };
            if at > 0 && !matches!(lower.as_bytes()[at - 1], b';' | b' ' | b'"' | b'\'' | b'(' | b'{') {
                continue;
            }
            let start = at + key.len();
            if start == w.text.len() {
                // `sc config ... password= secret`
                if let Some(found) = value_at(i + 1) {
                    return Some(found);
                }
                continue;
            }
            let end = w.text[start..].find(';').map_or(w.text.len(), |e| start + e);
            if literal(&w.text[start..end]) {
                return Some((w.span.start + start..w.span.start + end, shown));
            }
        }
        let specific = match name.as_str() {
            "SQLCMD" | "OSQL" | "ISQL" | "BCP" => w.text == "-P",
            "PSEXEC" | "PSEXEC64" | "PAEXEC" => w.text == "-p",
            _ => false,
        };
        if specific && let Some(found) = value_at(i + 1) {
            return Some(found);
        }
        let mysql = matches!(name.as_str(), "MYSQL" | "MYSQLDUMP" | "MYSQLADMIN");
        if mysql && w.text.len() > 2 && w.text.starts_with("-p") && literal(&w.text[2..]) {
            return Some((w.span.start + 2..w.span.end, shown));
        }
    }
    if matches!(name.as_str(), "SQLPLUS" | "EXP" | "IMP" | "EXPDP" | "IMPDP" | "RMAN") {
        for w in words.iter().skip(1) {
            let text = w.unquoted();
            if text.starts_with(['-', '/', '@']) {
                continue;
            }
            if let Some((user, rest)) = text.split_once('/') {
                let pass = rest.split('@').next().unwrap_or("");
                if !user.is_empty() && literal(pass) {
                    let start = w.span.start + w.text.find('/').unwrap_or(0) + 1;
                    return Some((start..start + pass.len(), shown));
                }
            }
            break;
        }
    }
    if is_net_use {
        // NET USE [device] \\server\share [password | *] [/USER:...]
        let mut seen_share = false;
        for w in words.iter().skip(2) {
            if w.text.starts_with('/') {
                continue;
            }
            if seen_share {
                if literal(&w.text) {
                    return Some((w.span.clone(), shown));
                }
                break;
            }
            seen_share = w.unquoted().starts_with("\\\\");
        }
    }
    None
}

pub fn check(item: &mut Linted) {
    let mut found = Vec::new();
    for line in &item.script.lines {
        let Some((span, whom)) = password(line) else { continue };
        found.push(
            Diagnostic::new(
                Code::ScriptHardCodedCredential,
                span,
                format!("a password is written in the script, given to {whom}"),
            )
            .label("password")
            .help("use Windows authentication (`sqlcmd -E`, a service account) or read the password from a file only administrators can read; then change the password"),
        );
    }
    for d in found {
        item.diagnostics.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Script;
    use crate::source::SourceFile;

    fn found(line: &str) -> Option<String> {
        let s = Script::parse(SourceFile::new("start.bat", line));
        password(&s.lines[0]).map(|(span, _)| s.file.slice(span).to_string())
    }

    #[test]
    fn passwords_on_command_lines() {
        assert_eq!(found("sqlcmd -S . -U sa -P secret -Q \"x\"").as_deref(), Some("secret"));
        assert_eq!(found("sqlcmd -S . -E -p -Q x"), None);
        assert_eq!(found("osql -U sa -P %SA_PW%"), None);
        assert_eq!(
            found("powershell -Command \"Connect-X -User a -Password 'p@ss' \"").as_deref(),
            Some("p@ss")
        );
        assert_eq!(
            found("net use Z: \\\\fs\\share s3cret /user:DOM\\svc").as_deref(),
            Some("s3cret")
        );
        assert_eq!(found("net use Z: \\\\fs\\share * /user:DOM\\svc"), None);
        assert_eq!(found("net use Z: \\\\fs\\share /persistent:no"), None);
        assert_eq!(found("sc config svc obj= DOM\\u password= pw1").as_deref(), Some("pw1"));
        assert_eq!(
            found("app.exe \"Server=db;User Id=sa;Password=pw2;\"").as_deref(),
            Some("pw2")
        );
        assert_eq!(found("sqlplus scott/tiger@orcl @x.sql").as_deref(), Some("tiger"));
        assert_eq!(found("sqlplus / as sysdba"), None);
        assert_eq!(
            found("C:\\tools\\PsExec.exe \\\\h -u a -p pw3 cmd").as_deref(),
            Some("pw3")
        );
        assert_eq!(found("set DB_PASSWORD=pw4").as_deref(), Some("pw4"));
        assert_eq!(found("set \"SA_PWD=pw5\"").as_deref(), Some("pw5"));
        assert_eq!(found("set PASSWORD_FILE=").as_deref(), None);
        assert_eq!(found("rem sqlcmd -U sa -P secret"), None);
        assert_eq!(found("psql -h db -p 5432"), None);
    }
}
