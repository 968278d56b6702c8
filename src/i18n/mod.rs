//! The message catalogues: every sentence hagen writes into a deliverable (runbook, review
//! page, firewall files) and into a diagnostic, in each language of SPEC section 2.
//!
//! `en.yaml` and `ja.yaml` beside this file map the same keys to a text each; a text names
//! its values as `{name}`, filled by [`fmt`] (or, in a template, written in as `{{name}}` by
//! [`localize_template`]). The Japanese texts use the PP guides' own terms (seed 000, 002):
//! フェイルオーバグループ, 切替パーティション, フローティング IP, スタートアップの種類 「手動」,
//! インタコネクト, クラスタシャットダウン.
//!
//! Texts that come from the catalog (a product note, a port's purpose, a note's topic) are
//! English in the profiles; `catalog.ja.yaml` gives each built-in one its Japanese text,
//! keyed by the English text, through [`catalog_text`]. A text of a user's own profile that
//! it does not know is written as the profile gives it. Sources and citations are never
//! translated: they name documents as those documents are named.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;

pub use crate::model::Language;

const EN: &str = include_str!("en.yaml");
const JA: &str = include_str!("ja.yaml");
const CATALOG_JA: &str = include_str!("catalog.ja.yaml");

type Catalogue = HashMap<String, String>;

fn parse(text: &str, name: &str) -> Catalogue {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("src/i18n/{name} parses: {e}"))
}

/// The catalogue of one language.
fn catalogue(language: Language) -> &'static Catalogue {
    static EN_CELL: OnceLock<Catalogue> = OnceLock::new();
    static JA_CELL: OnceLock<Catalogue> = OnceLock::new();
    match language {
        Language::En => EN_CELL.get_or_init(|| parse(EN, "en.yaml")),
        Language::Ja => JA_CELL.get_or_init(|| parse(JA, "ja.yaml")),
    }
}

/// The text of `key` in `language`, as it stands (placeholders unfilled).
pub fn text(language: Language, key: &str) -> &'static str {
    catalogue(language)
        .get(key)
        .map(String::as_str)
        .unwrap_or_else(|| panic!("src/i18n has no message `{key}`"))
}

/// `n` of something: the text of `one` when `n` is 1, else of `many`, with `{n}` filled.
pub fn count(language: Language, n: usize, one: &str, many: &str) -> String {
    fmt(language, if n == 1 { one } else { many }, &[("n", &n)])
}

/// The text of `key` in `language` with each `{name}` replaced by its value in `args`. A
/// brace that names no argument stays as it is.
pub fn fmt(language: Language, key: &str, args: &[(&str, &dyn Display)]) -> String {
    fill(text(language, key), args)
}

fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after
            .find('}')
            .and_then(|close| args.iter().find(|(n, _)| *n == &after[..close]).map(|a| (close, a.1)));
        match value {
            Some((close, value)) => {
                let _ = write!(out, "{value}");
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `fmt` with named arguments: `tr!(lang, "key", name = value, ...)`.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $key:expr) => {
        $crate::i18n::text($lang, $key).to_string()
    };
    ($lang:expr, $key:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::fmt($lang, $key, &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),+])
    };
}

/// The text the catalog gives in English (a product note, a purpose, a topic), in `language`:
/// its Japanese text where `catalog.ja.yaml` has one, else as it is.
pub fn catalog_text(language: Language, english: &str) -> &str {
    static CELL: OnceLock<Catalogue> = OnceLock::new();
    match language {
        Language::En => english,
        Language::Ja => CELL
            .get_or_init(|| parse(CATALOG_JA, "catalog.ja.yaml"))
            .get(english)
            .map_or(english, String::as_str),
    }
}

/// Whether `catalog.ja.yaml` has a Japanese text for this English one.
pub fn catalog_has(english: &str) -> bool {
    !std::ptr::eq(catalog_text(Language::Ja, english), english)
}

/// The template with every `{{msg.KEY}}` replaced by that message of `language`, passed
/// through `escape` (the format's own escaper: messages are text like any value), and each
/// `{name}` of the message written as the template expression `{{name}}`. Messages are the
/// same for every file, so they are written in once, when a language's registry is made; a
/// key the catalogue lacks fails there, as strict mode would at render time.
pub fn localize_template(template: &str, language: Language, escape: fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let close = open + rest[open..].find("}}").expect("every `{{` of a template is closed") + 2;
        let expression = &rest[open..close];
        match expression[2..expression.len() - 2].strip_prefix("msg.") {
            Some(key) => {
                out.push_str(&rest[..open]);
                out.push_str(&with_expressions(&escape(text(language, key))));
            }
            None => out.push_str(&rest[..close]),
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// `{name}` (a placeholder) becomes `{{name}}` (a template expression).
fn with_expressions(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if after[..close]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') =>
            {
                out.push_str("{{");
                out.push_str(&after[..close]);
                out.push_str("}}");
                rest = &after[close + 1..];
            }
            _ => panic!("message `{text}` holds a brace that is no placeholder"),
        }
    }
    out.push_str(rest);
    out
}

/// The letters of a text: how many are Japanese (kana, kanji, full-width forms) and how many
/// are Latin. Tests measure with it that a Japanese deliverable reads as Japanese.
pub fn letters(text: &str) -> (usize, usize) {
    let mut ja = 0;
    let mut latin = 0;
    for c in text.chars() {
        if matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ff66}'..='\u{ff9f}')
        {
            ja += 1;
        } else if c.is_alphabetic() {
            latin += 1;
        }
    }
    (ja, latin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(language: Language) -> Vec<&'static str> {
        let mut keys: Vec<&str> = catalogue(language).keys().map(String::as_str).collect();
        keys.sort_unstable();
        keys
    }

    #[test]
    fn every_key_is_in_both_catalogues() {
        let en = keys(Language::En);
        let ja = keys(Language::Ja);
        let only_en: Vec<&&str> = en.iter().filter(|k| !ja.contains(k)).collect();
        let only_ja: Vec<&&str> = ja.iter().filter(|k| !en.contains(k)).collect();
        assert!(only_en.is_empty(), "keys without a Japanese text: {only_en:?}");
        assert!(only_ja.is_empty(), "keys without an English text: {only_ja:?}");
    }

    /// A placeholder of one language's text is one of the other's: a translation neither
    /// drops a value nor names one the code does not give.
    #[test]
    fn both_texts_of_a_key_name_the_same_values() {
        let names = |text: &str| {
            let mut names: Vec<String> = Vec::new();
            let mut rest = text;
            while let Some(open) = rest.find('{') {
                let after = &rest[open + 1..];
                let close = after.find('}').unwrap_or(0);
                names.push(after[..close].to_string());
                rest = &after[close..];
            }
            names.sort();
            names.dedup();
            names
        };
        for key in keys(Language::En) {
            assert_eq!(
                names(text(Language::En, key)),
                names(text(Language::Ja, key)),
                "placeholders of `{key}`"
            );
        }
    }

    /// Every Japanese text is written mostly in Japanese (commands, names and codes aside),
    /// and holds nothing CP932 cannot encode, as scripts and firewall scripts are CP932.
    #[test]
    fn japanese_texts_are_japanese_and_cp932() {
        for key in keys(Language::Ja) {
            let text = text(Language::Ja, key);
            let (_, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
            assert!(!unmappable, "`{key}` is not CP932: {text}");
        }
        let all: String = keys(Language::Ja)
            .iter()
            .map(|k| fill(text(Language::Ja, k), &[]))
            .collect();
        let (ja, latin) = letters(&without_placeholders(&all));
        assert!(ja * 10 >= (ja + latin) * 7, "{ja} Japanese letters, {latin} Latin");
    }

    fn without_placeholders(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            rest = rest[open..].split_once('}').map_or("", |(_, r)| r);
        }
        out.push_str(rest);
        out
    }

    /// cmd.exe reads an `echo` line's text: none of the Japanese ones has a character whose
    /// second CP932 byte is `|` or `^` (ポ, タ), which a reader blind to CP932 would take for
    /// a pipe or an escape.
    #[test]
    fn japanese_echo_texts_hold_no_metacharacter_byte() {
        for key in ["netsh.failed", "netsh.done", "netsh.legacy.wide"] {
            let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text(Language::Ja, key));
            assert!(!bytes.iter().any(|b| matches!(b, b'|' | b'^')), "{key}");
        }
    }

    #[test]
    fn placeholders_are_filled_and_other_braces_kept() {
        assert_eq!(fill("a {x} b {y} {z", &[("x", &1), ("y", &"two")]), "a 1 b two {z");
        assert_eq!(fill("{GUID}", &[("x", &1)]), "{GUID}");
    }

    #[test]
    fn templates_get_the_messages_escaped_with_expressions() {
        let esc: fn(&str) -> String = |s| s.replace('&', "&amp;");
        assert_eq!(with_expressions("Cluster {name} & more"), "Cluster {{name}} & more");
        let en = catalogue(Language::En).iter().next().map(|(k, _)| k.clone()).unwrap();
        let out = localize_template(&format!("<p>{{{{msg.{en}}}}}</p>{{{{x}}}}"), Language::En, esc);
        assert!(out.starts_with("<p>") && out.ends_with("</p>{{x}}"), "{out}");
    }

    /// Every text of the built-in catalog that reaches a deliverable (a note and its topic, a
    /// port's purpose, why a service must never stop) has its Japanese text.
    #[test]
    fn every_builtin_catalog_text_has_a_japanese_text() {
        let catalog = crate::catalog::Catalog::builtin();
        let mut texts: Vec<&str> = Vec::new();
        for platform in catalog.platforms.values() {
            texts.extend(platform.ports.iter().map(|p| p.purpose.as_str()));
        }
        for product in catalog.products.values() {
            texts.extend(product.ports.iter().map(|p| p.purpose.as_str()));
            texts.extend(product.never_stop.iter().map(|n| n.reason.as_str()));
            for note in &product.notes {
                texts.push(&note.topic);
                texts.push(&note.text);
            }
        }
        let missing: Vec<&&str> = texts.iter().filter(|t| !catalog_has(t)).collect();
        assert!(
            missing.is_empty(),
            "no Japanese text in src/i18n/catalog.ja.yaml: {missing:#?}"
        );
    }

    #[test]
    fn catalog_texts_fall_back_to_the_profile_text() {
        assert_eq!(catalog_text(Language::En, "anything"), "anything");
        assert_eq!(
            catalog_text(Language::Ja, "a text no profile has"),
            "a text no profile has"
        );
        assert!(!catalog_has("a text no profile has"));
    }
}
