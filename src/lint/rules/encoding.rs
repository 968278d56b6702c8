//! `script-encoding`: bytes cmd.exe will not read as the author meant.
//!
//! Japanese Windows runs .bat files in code page 932 (FACTS.md section 4): Japanese text saved
//! as UTF-8 reaches ARMBCAST and the console as mojibake, and bytes that are not CP932 at all
//! are replaced. Both are reported at the first such character. With `--language en`, a
//! script is one of the English ones, which hagen writes in ASCII (SPEC section 5), and any
//! other character is reported.

use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;

pub fn check(item: &mut Linted) {
    let text = &item.script.file.text;
    if item.saved.utf8 {
        let at = text.find(|c: char| !c.is_ascii()).unwrap_or(0);
        let end = at + text[at..].chars().next().map_or(0, char::len_utf8);
        item.diagnostics.push(
            Diagnostic::new(
                Code::ScriptEncoding,
                at..end,
                "the script is saved as UTF-8, but cmd.exe reads .bat files in code page 932",
            )
            .label("first non-ASCII character")
            .help("save the file as Shift_JIS (CP932), or keep it ASCII"),
        );
    } else if let Some(at) = item.saved.invalid_at {
        item.diagnostics.push(
            Diagnostic::new(
                Code::ScriptEncoding,
                at..at + '\u{FFFD}'.len_utf8(),
                "bytes that are not valid CP932 (Shift_JIS)",
            )
            .label("not a CP932 character")
            .help("save the file as Shift_JIS (CP932); ASCII is valid CP932 too"),
        );
    } else if item.options.ascii_only
        && let Some((at, c)) = text.char_indices().find(|(_, c)| !c.is_ascii())
    {
        item.diagnostics.push(
            Diagnostic::new(
                Code::ScriptEncoding,
                at..at + c.len_utf8(),
                "a non-ASCII character in an `en` script, which is ASCII",
            )
            .label("not ASCII")
            .help("write the text in ASCII, or lint the script without `--language en`"),
        );
    }
}
