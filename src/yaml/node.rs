//! The spanned YAML tree and its serde glue.

use std::ops::Range;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

/// A YAML value and the byte range of its text in the file (for a mapping or sequence, its
/// first byte).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The entries of a mapping (empty for anything else).
    pub fn entries(&self) -> &[(Node, Node)] {
        match &self.kind {
            Kind::Map(entries) => entries,
            _ => &[],
        }
    }

    /// What kind of YAML value this is, for messages.
    pub fn describe(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Int(_) => "an integer",
            Kind::Float(_) => "a number",
            Kind::Str(_) => "a string",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
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
pub(super) struct Root(pub Option<Node>);

impl<'de> Deserialize<'de> for Root {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let node = Node::deserialize(d)?;
        Ok(Root(match node.kind {
            Kind::Null => None,
            _ => Some(node),
        }))
    }
}
