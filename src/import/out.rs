//! The cluster file as the importer writes it: lines at their indentation, `# note:` comments
//! counted, and scalars quoted only where YAML could read them as something else.
//!
//! clp.conf and the scripts are not trusted: a value reaches a YAML line only after its
//! allowlist (`model::values`), and a value quoted in a note goes through [`shown`], so that
//! no line break or control character can end the comment and start a line of YAML.

use std::fmt::Write as _;

/// The cluster file being written: lines, and the notes among them.
#[derive(Default)]
pub struct Out {
    pub text: String,
    pub notes: usize,
}

impl Out {
    pub fn line(&mut self, indent: usize, text: impl AsRef<str>) {
        let text = text.as_ref();
        debug_assert!(!text.chars().any(breaks_yaml), "an unescaped line: {text:?}");
        let _ = writeln!(self.text, "{:indent$}{}", "", text);
    }

    /// A `# note:` comment; whatever in it could end the comment is escaped.
    pub fn note(&mut self, indent: usize, text: impl AsRef<str>) {
        self.notes += 1;
        self.line(indent, format!("# note: {}", escaped(text.as_ref())));
    }
}

/// A character a YAML line or comment cannot hold as it is: a line break (also those of YAML
/// 1.1 and Unicode), any other control character, a byte order mark, a non-character; and a
/// bidirectional control, which would reorder what a terminal or an editor shows.
fn breaks_yaml(c: char) -> bool {
    crate::source::is_unprintable(c) || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

/// The text with every character [`breaks_yaml`] escaped, as Rust writes it (`\n`, `\u{2028}`).
pub fn escaped(text: &str) -> String {
    text.chars()
        .map(|c| {
            if breaks_yaml(c) {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The longest a value is shown in a note, in characters.
const SHOWN: usize = 60;

/// A value from clp.conf or a script as a note quotes it: escaped, and cut when very long.
pub fn shown(value: &str) -> String {
    let text = escaped(value);
    match text.char_indices().nth(SHOWN) {
        Some((at, _)) => format!("{}… ({} characters)", &text[..at], value.chars().count()),
        None => text,
    }
}

/// A YAML scalar for a value that passed its allowlist: plain when it cannot be misread,
/// single-quoted otherwise, and double-quoted with escapes when it holds a character a
/// single-quoted scalar cannot (the allowlists keep those out; this is the second line).
pub fn scalar(value: &str) -> String {
    if value.chars().any(breaks_yaml) {
        let inner: String = value
            .chars()
            .map(|c| match c {
                '"' => "\\\"".to_string(),
                '\\' => "\\\\".to_string(),
                c if breaks_yaml(c) => format!("\\u{:04x}", c as u32),
                c => c.to_string(),
            })
            .collect();
        return format!("\"{inner}\"");
    }
    // A plain scalar starting with a digit may be a number or a date (`0x10`, `012`,
    // `2001-12-14`): only an IPv4 address may; anything else starts with a letter.
    let starts_well =
        value.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) || value.parse::<std::net::Ipv4Addr>().is_ok();
    let plain = starts_well
        && value.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && value.parse::<f64>().is_err()
        && !matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}

pub fn list(values: &[String]) -> String {
    format!("[{}]", values.iter().map(|v| scalar(v)).collect::<Vec<_>>().join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_only_when_yaml_could_misread_them() {
        assert_eq!(scalar("web-cluster"), "web-cluster");
        assert_eq!(scalar("10.0.0.1"), "10.0.0.1");
        assert_eq!(scalar("6.0"), "'6.0'");
        assert_eq!(scalar("no"), "'no'");
        assert_eq!(scalar("S:"), "'S:'");
        assert_eq!(scalar("it's"), "'it''s'");
        assert_eq!(scalar("Order Mailer"), "'Order Mailer'");
    }

    #[test]
    fn every_scalar_reads_back_as_the_same_string() {
        let long = "x".repeat(5000);
        let values = [
            "a: b",
            "0x10",
            "0o17",
            "0b101",
            "012",
            "1_000",
            "2001-12-14",
            "1:30",
            "10.0.0.1",
            "#x",
            "- x",
            "{",
            "}",
            "[a]",
            "a\nb",
            "a\r\nb",
            "\n",
            "%TAG",
            "&anchor",
            "*alias",
            "!tag",
            "'",
            "\"",
            "it's \"so\"",
            "\\",
            "@x",
            "`x`",
            "|",
            ">",
            "? x",
            " lead",
            "trail ",
            "\t",
            "\u{0}",
            "\u{1b}[31m",
            "\u{7f}",
            "\u{85}",
            "\u{2028}",
            "\u{feff}x",
            "~",
            "null",
            "0x10",
            "1e3",
            ".inf",
            "",
            "営業",
            &long,
        ];
        for value in values {
            let yaml = format!("v: {}\n", scalar(value));
            // Read as untyped data: a number or a date would not be a string.
            let read: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{yaml:?}: {e}"));
            assert_eq!(read["v"], serde_json::Value::String(value.to_string()), "{yaml:?}");
        }
    }

    #[test]
    fn a_note_is_one_comment_line_whatever_it_quotes() {
        let mut out = Out::default();
        out.note(2, format!("the name `{}`", shown("x\nplatform: evil\r\u{2028}\u{1b}")));
        assert_eq!(out.text, "  # note: the name `x\\nplatform: evil\\r\\u{2028}\\u{1b}`\n");
        assert_eq!(shown(&"a".repeat(100)), format!("{}… (100 characters)", "a".repeat(60)));
    }
}
