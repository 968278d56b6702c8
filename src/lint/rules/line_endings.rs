//! `script-line-endings`: a UTF-8 byte order mark, LF-only or mixed line endings.
//!
//! cmd.exe's label lookup for GOTO misbehaves in a .bat file with bare LF line endings, and a
//! UTF-8 byte order mark corrupts the first line (FACTS.md section 4). One finding per file:
//! the BOM at the start, else the first line that does not end in CRLF.

use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;

pub fn check(item: &mut Linted) {
    if item.saved.bom {
        item.diagnostics.push(
            Diagnostic::new(
                Code::ScriptLineEndings,
                0..0,
                "the script starts with a UTF-8 byte order mark, which cmd.exe reads as part of the first line",
            )
            .help("save the file without a byte order mark"),
        );
    }
    let text = &item.script.file.text;
    let bytes = text.as_bytes();
    let crlf = text.matches("\r\n").count();
    let bad = bytes.iter().enumerate().find_map(|(i, &b)| match b {
        b'\n' if i == 0 || bytes[i - 1] != b'\r' => Some((i, "LF")),
        b'\r' if bytes.get(i + 1) != Some(&b'\n') => Some((i, "CR")),
        _ => None,
    });
    if let Some((at, kind)) = bad {
        let message = if crlf == 0 {
            format!("the script's lines end in {kind} only; cmd.exe needs CRLF to find GOTO labels reliably")
        } else {
            format!(
                "mixed line endings: this line ends in {kind}, others in CRLF; cmd.exe needs CRLF to find GOTO labels reliably"
            )
        };
        item.diagnostics.push(
            Diagnostic::new(Code::ScriptLineEndings, at..at + 1, message)
                .label(format!("{kind} line ending"))
                .help("save the file with CRLF (Windows) line endings"),
        );
    }
}
