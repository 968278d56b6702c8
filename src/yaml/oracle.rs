//! The reference the tree builder is tested against: serde-saphyr's own deserialization of
//! the same text into the same tree, through `Spanned` (how hagen read YAML before it built
//! the tree from the parser's events). Every file of the test corpus, and many mutations of
//! them, must give the same tree, or both be refused. Also built with the `oracle` feature,
//! for the fuzz target that compares the two on generated input.

use std::ops::Range;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, Location, Options, Spanned};

use super::node::{Kind, Node};
use super::{MAX_ALIASES, MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES};
use crate::source::SourceFile;

fn options() -> Options {
    let budget = serde_saphyr::budget! {
        max_depth: MAX_DEPTH,
        max_events: 2 * MAX_NODES,
        max_nodes: MAX_NODES,
        max_aliases: MAX_ALIASES,
        max_anchors: MAX_ALIASES,
        max_documents: 1,
        max_total_scalar_bytes: MAX_FILE_BYTES,
    };
    serde_saphyr::options! {
        budget: budget,
        strict_booleans: true,
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
        with_snippet: false,
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: super::MAX_ALIAS_NODES,
            max_replay_stack_depth: 16,
            max_alias_expansions_per_anchor: 1_000,
        },
    }
}

/// The tree serde-saphyr gives (`Ok(None)` for no document), or its error's byte offset.
pub fn parse(text: &str) -> Result<Option<Node>, (Option<usize>, String)> {
    match serde_saphyr::from_str_with_options::<Root>(text, options()) {
        Ok(Root(node)) => Ok(node),
        Err(err) => Err((
            err.location().and_then(|l| l.span().byte_offset()).map(|o| o as usize),
            err.to_string(),
        )),
    }
}

fn span_of(location: &Location) -> Range<usize> {
    let span = location.span();
    match span.byte_offset() {
        Some(start) => {
            let start = start as usize;
            start..start + span.byte_len().unwrap_or(0) as usize
        }
        None => 0..0,
    }
}

impl From<Spanned<Kind>> for Node {
    fn from(s: Spanned<Kind>) -> Self {
        Node {
            span: span_of(&s.referenced),
            kind: s.value,
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Spanned::<Kind>::deserialize(d).map(Node::from)
    }
}

/// A mapping key, read as any value: decoding refuses keys that are not text (`1:`, `true:`,
/// `[a]:`) with their place.
struct Key(Node);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let node = Node::deserialize(d)?;
        Ok(Key(node))
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KindVisitor;

        impl<'de> Visitor<'de> for KindVisitor {
            type Value = Kind;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<Kind, E> {
                Ok(Kind::Null)
            }
            fn visit_none<E>(self) -> Result<Kind, E> {
                Ok(Kind::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
                Kind::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Kind, E> {
                Ok(Kind::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Kind, E> {
                Ok(Kind::Int(v))
            }
            // Integers beyond i64 are numbers all the same: decoding reads a number's source
            // text, so the value only has to say what kind of YAML it was.
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Kind, E> {
                Ok(i64::try_from(v).map_or(Kind::Float(v as f64), Kind::Int))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Kind, E> {
                Ok(i64::try_from(v).map_or(Kind::Float(v as f64), Kind::Int))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Kind, E> {
                Ok(i64::try_from(v).map_or(Kind::Float(v as f64), Kind::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Kind, E> {
                Ok(Kind::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Kind, E> {
                Ok(Kind::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Kind, E> {
                Ok(Kind::Str(v))
            }
            fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Kind, E> {
                Err(E::custom("binary values are not supported"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Node>()? {
                    items.push(item);
                }
                Ok(Kind::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
                let mut entries = Vec::new();
                while let Some(Key(key)) = map.next_key::<Key>()? {
                    let value = map.next_value::<Node>()?;
                    entries.push((key, value));
                }
                Ok(Kind::Map(entries))
            }
        }

        d.deserialize_any(KindVisitor)
    }
}

/// The whole document: empty input deserializes to `None`.
struct Root(pub Option<Node>);

impl<'de> Deserialize<'de> for Root {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let node = Node::deserialize(d)?;
        Ok(Root(match node.kind {
            Kind::Null => None,
            _ => Some(node),
        }))
    }
}

/// How a text fares with each reader: its tree, or refused (with the byte offset).
fn new(text: &str) -> Result<Option<String>, usize> {
    match crate::yaml::parse(&SourceFile::new("t.yaml", text)) {
        Ok(node) => Ok(Some(format!("{node:?}"))),
        Err(d) if d.message == "the file holds no YAML document" => Ok(None),
        Err(d) => Err(d.span.start),
    }
}

fn old(text: &str) -> Result<Option<String>, Option<usize>> {
    match parse(text) {
        Ok(Some(node)) if node.kind != Kind::Null => Ok(Some(format!("{node:?}"))),
        Ok(_) => Ok(None),
        Err((offset, _)) => Err(offset),
    }
}

/// `Ok` when both readers give the same tree or both refuse the text; else what differs.
/// `!!binary`, which serde-saphyr decodes and hagen refuses on purpose, is not a difference.
pub fn compare(text: &str) -> Result<(), String> {
    match (new(text), old(text)) {
        (Ok(a), Ok(b)) if a != b => {
            let (a, b) = (a.unwrap_or_default(), b.unwrap_or_default());
            let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
            let from = at.saturating_sub(150);
            Err(format!(
                "the trees differ at\n  new: {}\n  old: {}",
                a.get(from..(at + 150).min(a.len())).unwrap_or(&a),
                b.get(from..(at + 150).min(b.len())).unwrap_or(&b)
            ))
        }
        (Err(_), Ok(_)) if text.contains("!!binary") => Ok(()),
        (Ok(_), Ok(_)) | (Err(_), Err(_)) => Ok(()),
        (a, b) => Err(format!("the tree builder says {a:?}, serde-saphyr says {b:?}")),
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    /// Every YAML file the tests and the spec hold.
    fn corpus() -> Vec<(String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut dirs: Vec<PathBuf> = ["tests", "examples", "profiles", "templates", "../shared/spec"]
            .iter()
            .map(|d| root.join(d))
            .collect();
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    files.push((path.display().to_string(), text));
                }
            }
        }
        files.sort();
        assert!(
            files.len() > 100,
            "the corpus is the test suite's YAML: {}",
            files.len()
        );
        files
    }

    /// Both readers give the same tree, or both refuse the text.
    fn same(name: &str, text: &str) {
        if let Err(difference) = compare(text) {
            panic!("{name}: {difference}\n{text:?}");
        }
    }

    #[test]
    fn every_corpus_file_gives_serde_saphyrs_tree() {
        for (name, text) in corpus() {
            same(&name, &text);
        }
    }

    const MUTATIONS: usize = 40;

    #[test]
    fn mutated_corpus_files_give_serde_saphyrs_tree_or_both_are_refused() {
        // A fixed pseudo-random sequence: the same mutations on every run.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        const PIECES: &[&str] = &[
            ":", "- ", "[", "]", "{", "}", ",", "#", "&a ", "*a", "!!str ", "!!int ", "'", "\"", "|", ">", "\n", "  ",
            "\t", "<<: ", "---\n", "...\n", "? ", "~", "0x", "1_0", ".inf", "\\", "%",
        ];
        for (name, text) in corpus().into_iter().filter(|(_, t)| t.len() < 20_000) {
            for _ in 0..MUTATIONS {
                let mut text = text.clone();
                for _ in 0..1 + next() % 3 {
                    let mut at = (next() as usize) % (text.len() + 1);
                    while !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    match next() % 3 {
                        0 => text.insert_str(at, PIECES[(next() as usize) % PIECES.len()]),
                        1 => {
                            let end = text[at..]
                                .char_indices()
                                .nth(1 + (next() as usize) % 4)
                                .map_or(text.len(), |(i, _)| at + i);
                            text.replace_range(at..end, "");
                        }
                        _ => text.insert_str(at, &format!(" {}", next() % 1000)),
                    }
                }
                same(&name, &text);
            }
        }
    }

    #[test]
    fn scalar_spellings_resolve_as_serde_saphyr_resolves_them() {
        let spellings = [
            "",
            "~",
            "null",
            "Null",
            "NULL",
            "nULL",
            "true",
            "True",
            "TRUE",
            "tRUE",
            "false",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "n",
            "0",
            "-0",
            "+0",
            "7",
            "-7",
            "+7",
            "007",
            "-007",
            "0x1F",
            "0X1f",
            "-0x10",
            "0o17",
            "0O17",
            "0b101",
            "0b2",
            "0x",
            "1_000",
            "1__0",
            "_1",
            "1_",
            "0x_1",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "0xFFFFFFFFFFFFFFFF",
            "0x1FFFFFFFFFFFFFFFF",
            "-0xFFFFFFFFFFFFFFFF",
            "99999999999999999999999999999999999999999",
            "1.5",
            "-1.5",
            "+1.5",
            ".5",
            "5.",
            "1e3",
            "1E-3",
            "1.5e+3",
            "1e",
            "e3",
            ".",
            "-",
            "+",
            ".inf",
            "-.inf",
            "+.INF",
            ".Inf",
            ".nan",
            ".NaN",
            "inf",
            "-inf",
            "nan",
            "NaN",
            "infinity",
            "1e999",
            "-1e999",
            "1_000.5",
            "29001-29007",
            "10.0.0.1",
            "1.2.3",
            "0.0.0.0/0",
            "1:30",
            "12:30:45",
            "2026-11-22",
            "0127",
            "08",
            "09.5",
            "x",
            "'1'",
            "\"true\"",
            "!!str 1",
            "!!str",
            "!!int 7",
            "!!float 1",
            "!!bool true",
            "!!null ''",
            "! 12",
            "!local 12",
            "!!int x",
            "!!bool yes",
            "!!float x",
            "|\n 12\n",
            ">\n true\n",
            "'null'",
            "\"\"",
        ];
        for spelling in spellings {
            same(spelling, &format!("key: {spelling}\n"));
            same(spelling, &format!("- {spelling}\n"));
        }
    }

    #[test]
    fn yaml_features_give_serde_saphyrs_tree() {
        let texts = [
            "a: &x {b: 1, c: [2, 3]}\nd: *x\n",
            "a: &x 12\nb: *x\nc: [*x, *x]\n",
            "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n",
            "a: &a {x: 1}\nb: &b {x: 2, z: 3}\nc:\n  <<: [*a, *b]\n  w: 4\n",
            "c:\n  <<: {x: 1}\n",
            "c:\n  <<: 5\n",
            "c:\n  <<:\n  a: 1\n",
            "c:\n  <<: [{a: 1}, 5]\n",
            "c:\n  <<: &m {a: 1}\n  <<: {b: 2}\n",
            "c:\n  a: 0\n  <<: {a: 1, b: 2}\n",
            "c:\n  <<: !!map {a: 1}\n",
            "c:\n  <<: []\n",
            "c:\n  !!str <<: {a: 1}\n",
            "c:\n  '<<': {x: 1}\n",
            "? [a, b]\n: c\n",
            "? {a: 1}\n: c\n",
            "a: 1\na: 2\n",
            "%YAML 1.2\n---\na: 1\n...\n",
            "--- \n- a\n",
            "a: |\n  two\n  lines\n",
            "a: >-\n  folded\n  text\n",
            "a: \"esc\\x41\\u00e9\\n\"\n",
            "a: 'it''s'\n",
            "[a, {b: c}, [d]]\n",
            "{}\n",
            "[]\n",
            "a:\n",
            "a: !!map {b: 1}\n",
            "a: !!seq [1]\n",
            "a: !!seq {b: 1}\n",
            "a: !!str {b: 1}\n",
            "a: !x {b: 1}\n",
            "a: ! {b: 1}\n",
            "! [a, b]\n",
            "# fi\r\r!\r\r-\r\r-\r-",
            "a:\n   <<:\n      - \n      - { pr,!x }\n",
            "a: !<tag:yaml.org,2002:str> 5\n",
            "%TAG !e! tag:example.com,2000:\n---\na: !e!x 5\n",
            "# only a comment\n",
            "",
            "a: 1\n---\nb: 2\n",
            "a: [1, 2\nb: c\n",
            "a: *missing\n",
            "a: &x [1, *x]\n",
            "a: &x {b: *x}\n",
            "a: &x {b: [c, {d: *x}]}\n",
            "a: &d [[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]\nb: [[[[[[[[[[*d]]]]]]]]]]\n",
            "a: &d [[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]\nb: [[[[*d]]]]\n",
            "  a: 1\n b: 2\n",
            "a:\tb\n",
            "切替: パーティション\n",
            "\u{feff}a: 1\n",
            "a: 1\r\nb: [x, y]\r\n",
        ];
        for text in texts {
            same(text, text);
        }
    }

    #[test]
    fn binary_values_are_refused_where_serde_saphyr_decodes_them() {
        // No field of hagen's takes bytes; serde-saphyr turns base64 into text.
        let text = "a: !!binary aGVsbG8=\n";
        assert_eq!(new(text), Err(12));
        assert!(old(text).is_ok());
    }
}
