//! `script-unquoted-comparison`: an `IF` compares a variable without quotes, or a quoted
//! operand with an unquoted one.
//!
//! cmd.exe replaces `%NAME%` before it reads the line: when the variable is empty or not set,
//! `IF %CLP_FACTOR% == "GROUPFAILOVER" (` becomes `IF  == "GROUPFAILOVER" (`, a syntax error
//! that ends the whole script there ("was unexpected at this time"), so the branch's services
//! are neither started nor stopped. The cluster's variables are not set when the script is run
//! by hand, and `CLP_FACTOR` is empty for some events. The guides' samples quote both sides
//! (`IF "%ARMS_EVENT%" == "START"`, seed 000 1.1.5; `IF "%CLP_EVENT%" == "START"`, seed 002).
//! The quotes are also part of the compared text, so `"%CLP_EVENT%" == START` or
//! `%CLP_FACTOR% == "GROUPFAILOVER"` never holds.
//!
//! Variables cmd.exe always sets (`ERRORLEVEL`, `CD`, `DATE`, ...) and operands with other
//! text around the reference (`[%X%]`, `x%X%`) cannot be empty and are not reported for it.

use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;
use crate::lint::script::Token;

/// Variables cmd.exe (or Windows) always defines.
const ALWAYS_SET: [&str; 10] = [
    "ERRORLEVEL",
    "CD",
    "DATE",
    "TIME",
    "RANDOM",
    "CMDEXTVERSION",
    "CMDCMDLINE",
    "COMSPEC",
    "SYSTEMROOT",
    "WINDIR",
];

/// Whether an unquoted operand is made only of variable references, one of which may be
/// empty: then the operand may vanish. Returns the first such reference.
fn may_vanish(operand: &str) -> Option<&str> {
    if operand.is_empty() || operand.starts_with('"') {
        return None;
    }
    let bytes = operand.as_bytes();
    let mut i = 0;
    let mut empty = None;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            return None;
        }
        let rest = &operand[i + 1..];
        if rest.starts_with(|c: char| c.is_ascii_digit() || c == '~') {
            // A batch argument (`%1`, `%~1`, `%~dp0`): the cluster passes none.
            let len = rest.find(|c: char| c.is_ascii_digit()).map_or(rest.len(), |d| d + 1);
            if !rest[..len].ends_with('0') {
                empty = empty.or(Some(&operand[i..i + 1 + len]));
            }
            i += 1 + len;
            continue;
        }
        let close = rest.find('%')?;
        let name = rest[..close].split(':').next().unwrap_or("");
        if name.is_empty() {
            return None;
        }
        if !ALWAYS_SET.iter().any(|s| s.eq_ignore_ascii_case(name)) {
            empty = empty.or(Some(&operand[i..i + close + 2]));
        }
        i += close + 2;
    }
    empty
}

fn quoted(t: &Token) -> bool {
    t.text.starts_with('"')
}

pub fn check(item: &mut Linted) {
    let mut found = Vec::new();
    for line in &item.script.lines {
        let Some(Some(c)) = &line.condition else { continue };
        let vanishing = [&c.left, &c.right]
            .into_iter()
            .find_map(|t| may_vanish(&t.text).map(|r| (t, r)));
        let mismatch = quoted(&c.left) != quoted(&c.right);
        let d = match vanishing {
            Some((operand, reference)) => {
                let mut message = format!(
                    "`{reference}` is compared without quotes: when it is empty, cmd.exe stops the script with a syntax error"
                );
                if mismatch {
                    let other = if std::ptr::eq(operand, &c.left) {
                        &c.right
                    } else {
                        &c.left
                    };
                    message.push_str(&format!(
                        ", and it never equals {}, whose quotes are part of the text",
                        other.text
                    ));
                }
                Diagnostic::new(Code::ScriptUnquotedComparison, operand.span.clone(), message)
                    .label("not quoted")
                    .help(format!("quote both sides: `\"{}\"`", operand.text))
            }
            None if mismatch => {
                let operand = if quoted(&c.left) { &c.right } else { &c.left };
                Diagnostic::new(
                    Code::ScriptUnquotedComparison,
                    operand.span.clone(),
                    format!(
                        "{} is compared with {} unquoted: the quotes are part of the text, so they are never equal",
                        if quoted(&c.left) { &c.left.text } else { &c.right.text },
                        operand.text
                    ),
                )
                .label("not quoted")
                .help(format!("quote both sides: `\"{}\"`", operand.text))
            }
            None => continue,
        };
        found.push(d);
    }
    for d in found {
        item.diagnostics.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::may_vanish;

    #[test]
    fn what_may_vanish() {
        assert_eq!(may_vanish("%CLP_FACTOR%"), Some("%CLP_FACTOR%"));
        assert_eq!(may_vanish("%A%%B:~0,2%"), Some("%A%"));
        assert_eq!(may_vanish("%1"), Some("%1"));
        assert_eq!(may_vanish("%ERRORLEVEL%"), None);
        assert_eq!(may_vanish("\"%X%\""), None);
        assert_eq!(may_vanish("[%X%]"), None);
        assert_eq!(may_vanish("x%X%"), None);
        assert_eq!(may_vanish("%~dp0"), None);
        assert_eq!(may_vanish("START"), None);
    }
}
