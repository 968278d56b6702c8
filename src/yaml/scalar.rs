//! What kind of value a scalar is: YAML 1.2's core schema, with serde-saphyr's spellings.
//!
//! A plain (unquoted) scalar is null, a boolean, an integer or a number when its text says so,
//! and a string otherwise; a quoted or block scalar is always a string. An explicit core tag
//! (`!!str`, `!!int`, ...) decides instead, and a tagged value that is not of its tag is an
//! error. Only YAML 1.2 booleans are booleans (`yes`, `no`, `on`, `off` stay strings), so a
//! boolean field can hold them as names.
//!
//! The rules follow serde-saphyr's untyped deserialization with hagen's options (strict
//! booleans, no legacy octal); the tests of `oracle.rs` compare the two on a list of spellings
//! and on every file of the test corpus.

use super::node::Kind;

/// The tag on a node, as far as hagen cares: core tags decide a scalar's kind; any other tag
/// (local `!x`, global URIs) is ignored; the non-specific `!` makes a scalar a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    None,
    /// `!`: "not resolved by content", a string when on a scalar, nothing on a collection.
    NonSpecific,
    Str,
    Null,
    Bool,
    Int,
    Float,
    Seq,
    Map,
    Binary,
    Other,
}

impl Tag {
    /// The tag from its resolved handle and suffix (`!x` is `!` and `x`; the non-specific `!`
    /// and verbatim tags `!<...>` come whole in the suffix).
    pub fn new(handle: &str, suffix: &str) -> Tag {
        let full = format!("{handle}{suffix}");
        if full == "!" {
            return Tag::NonSpecific;
        }
        match full.strip_prefix("tag:yaml.org,2002:") {
            Some("str") => Tag::Str,
            Some("null") => Tag::Null,
            Some("bool") => Tag::Bool,
            Some("int") => Tag::Int,
            Some("float") => Tag::Float,
            Some("seq") => Tag::Seq,
            Some("map") => Tag::Map,
            Some("binary") => Tag::Binary,
            _ => Tag::Other,
        }
    }
}

/// The kind of a scalar with this text, quoting (`plain`) and tag; `Err` names what the tag
/// wanted when the text is not of it.
pub fn resolve(text: &str, plain: bool, tag: Tag) -> Result<Kind, &'static str> {
    match tag {
        Tag::Str | Tag::NonSpecific => return Ok(Kind::Str(text.to_owned())),
        Tag::Null => return Ok(Kind::Null),
        Tag::Bool => {
            return boolean(text)
                .map(Kind::Bool)
                .ok_or("a value tagged !!bool must be true or false");
        }
        Tag::Int => return integer(text).ok_or("a value tagged !!int must be an integer"),
        Tag::Float => {
            return float(text)
                .ok_or("a value tagged !!float must be a number")
                .and_then(finite);
        }
        Tag::Seq | Tag::Map => return Err("a scalar cannot be tagged as a collection"),
        Tag::Binary => return Err("binary values are not supported"),
        Tag::None | Tag::Other => {}
    }
    if !plain {
        return Ok(Kind::Str(text.to_owned()));
    }
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Ok(Kind::Null);
    }
    if let Some(b) = boolean(text) {
        return Ok(Kind::Bool(b));
    }
    if let Some(kind) = integer(text) {
        return Ok(kind);
    }
    if let Some(f) = float(text) {
        return finite(f);
    }
    Ok(Kind::Str(text.to_owned()))
}

/// A number that must be finite: `.inf`, `.nan` and numbers beyond f64 are refused, as
/// serde-saphyr refuses them (no field of hagen's takes one).
fn finite(f: f64) -> Result<Kind, &'static str> {
    if f.is_finite() {
        Ok(Kind::Float(f))
    } else {
        Err("infinite and not-a-number values (.inf, .nan) are not supported")
    }
}

fn trim(text: &str) -> &str {
    text.trim_matches([' ', '\t', '\r', '\n'])
}

fn boolean(text: &str) -> Option<bool> {
    match trim(text) {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// An integer: decimal without a redundant leading zero, or `0x`, `0o`, `0b`; an optional
/// sign; single underscores between digits. One beyond 64 bits is still a number (decoding
/// reads a number's source text), so it becomes a float.
fn integer(text: &str) -> Option<Kind> {
    let t = trim(text);
    let (negative, rest) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (radix, digits) = if let Some(d) = rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")) {
        (16, d)
    } else if let Some(d) = rest.strip_prefix("0o").or_else(|| rest.strip_prefix("0O")) {
        (8, d)
    } else if let Some(d) = rest.strip_prefix("0b").or_else(|| rest.strip_prefix("0B")) {
        (2, d)
    } else {
        if rest.starts_with('0') && rest != "0" {
            return None;
        }
        (10, rest)
    };
    let magnitude = digits_value(digits, radix)?;
    let kind = if negative {
        match magnitude.checked_neg().and_then(|v| i64::try_from(v).ok()) {
            Some(v) => Kind::Int(v),
            // Beyond i64 but within i128: a number all the same (serde-saphyr's i64 parse
            // fails there and the float parse takes it, for decimal text).
            None if radix == 10 => Kind::Float(-(magnitude as f64)),
            None => return None,
        }
    } else {
        match i64::try_from(magnitude) {
            Ok(v) => Kind::Int(v),
            Err(_) if magnitude <= i128::from(u64::MAX) => Kind::Float(magnitude as f64),
            Err(_) if radix == 10 => Kind::Float(magnitude as f64),
            Err(_) => return None,
        }
    };
    Some(kind)
}

/// The value of `digits` in `radix`, with single underscores allowed between digits; `None`
/// when empty, malformed or beyond 128 bits.
fn digits_value(digits: &str, radix: u32) -> Option<i128> {
    let bytes = digits.as_bytes();
    let mut value: i128 = 0;
    let mut seen = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            if i == 0 || bytes[i - 1] == b'_' || i + 1 == bytes.len() || bytes[i + 1] == b'_' {
                return None;
            }
            continue;
        }
        let digit = (b as char).to_digit(radix)?;
        value = value.checked_mul(i128::from(radix))?.checked_add(i128::from(digit))?;
        seen = true;
    }
    seen.then_some(value)
}

/// A number in YAML 1.2's spellings (`.inf`, `-.Inf`, `.nan`) or Rust's decimal float syntax.
fn float(text: &str) -> Option<f64> {
    let t = trim(text);
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" => return Some(if negative { f64::NEG_INFINITY } else { f64::INFINITY }),
        _ => {}
    }
    // Rust also reads `inf`, `infinity` and `nan` in any case; YAML does not.
    if !t.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Kind {
        resolve(text, true, Tag::None).unwrap()
    }

    #[test]
    fn plain_scalars_take_their_kind_from_their_text() {
        assert_eq!(plain(""), Kind::Null);
        assert_eq!(plain("~"), Kind::Null);
        assert_eq!(plain("true"), Kind::Bool(true));
        assert_eq!(plain("FALSE"), Kind::Bool(false));
        assert_eq!(plain("yes"), Kind::Str("yes".into()));
        assert_eq!(plain("29001"), Kind::Int(29001));
        assert_eq!(plain("-7"), Kind::Int(-7));
        assert_eq!(plain("0x1F"), Kind::Int(31));
        assert_eq!(plain("1_000"), Kind::Int(1000));
        assert_eq!(plain("0127"), Kind::Float(127.0));
        assert_eq!(plain("1.5"), Kind::Float(1.5));
        assert_eq!(plain("inf"), Kind::Str("inf".into()));
        assert!(resolve(".inf", true, Tag::None).is_err());
        assert_eq!(plain("29001-29007"), Kind::Str("29001-29007".into()));
        assert_eq!(plain("10.0.0.1"), Kind::Str("10.0.0.1".into()));
    }

    #[test]
    fn quoted_scalars_and_the_string_tag_stay_strings() {
        assert_eq!(resolve("1", false, Tag::None).unwrap(), Kind::Str("1".into()));
        assert_eq!(resolve("null", true, Tag::Str).unwrap(), Kind::Str("null".into()));
        assert!(resolve("x", true, Tag::Int).is_err());
    }
}
