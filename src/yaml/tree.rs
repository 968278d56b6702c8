//! Builds the [`Node`] tree straight from the parser's events, within budgets.
//!
//! serde-saphyr's parser (granit) turns the text into events that carry byte spans; this
//! module stacks them into nodes. It does what the generic serde path did for hagen (spans,
//! scalar kinds, aliases, merge keys) at less than half the cost: the serde path went through a
//! visitor and two synthesized location structs per key and value, which made most of
//! `hagen check`'s time.
//!
//! Every budget is counted here, as the events arrive, so a hostile file is refused at the
//! event that breaks it: nesting depth, values, aliases and anchors, the values aliases
//! expand to, the bytes of text values and documents. The copies kept for anchors and made
//! by aliases count too, so that no arrangement of them multiplies the file's memory.

use std::ops::Range;

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag as ParserTag};

use super::node::{Kind, Node};
use super::scalar::{self, Tag};

/// The limits a file must stay within.
pub struct Budget {
    pub depth: usize,
    pub nodes: usize,
    pub aliases: usize,
    pub alias_nodes: usize,
    pub scalar_bytes: usize,
}

/// Why the tree could not be built: a syntax error of the parser, or a broken budget or
/// tag, at a byte offset.
#[derive(Debug)]
pub enum Failure {
    Syntax(ScanError),
    At(usize, Breach),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Breach {
    Depth,
    Nodes,
    Aliases,
    Anchors,
    AliasNodes,
    ScalarBytes,
    Documents,
    /// A value that is not of its tag, or not a value hagen reads: the message says which.
    Value(&'static str),
}

/// An open sequence or mapping: the place of its start (`[`, `{`, or its first entry), its
/// anchor, and what it holds so far. A mapping holds its key until the value arrives, and its
/// merge keys' values (`<<: *base`) until it ends.
struct Open {
    span: Range<usize>,
    anchor: usize,
    kind: OpenKind,
}

enum OpenKind {
    Seq(Vec<Node>),
    Map {
        entries: Vec<(Node, Node)>,
        key: Option<(Node, bool)>,
        merges: Vec<Node>,
    },
}

/// An anchored node and what copying it costs.
struct Anchored {
    node: Node,
    size: Size,
}

struct Builder<'b> {
    budget: &'b Budget,
    stack: Vec<Open>,
    anchors: Vec<Option<Anchored>>,
    root: Option<Node>,
    documents: usize,
    nodes: usize,
    aliases: usize,
    anchor_count: usize,
    alias_nodes: usize,
    scalar_bytes: usize,
}

/// Parses `text` (one YAML document) into its tree; `None` when it holds no document.
pub fn build(text: &str, budget: &Budget) -> Result<Option<Node>, Failure> {
    let mut b = Builder {
        budget,
        stack: Vec::new(),
        anchors: Vec::new(),
        root: None,
        documents: 0,
        nodes: 0,
        aliases: 0,
        anchor_count: 0,
        alias_nodes: 0,
        scalar_bytes: 0,
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(Failure::Syntax)?;
        let at = offset(&span.start);
        b.event(event, span).map_err(|breach| Failure::At(at, breach))?;
    }
    Ok(b.root)
}

fn offset(marker: &serde_saphyr::granit_parser::Marker) -> usize {
    marker.byte_offset().unwrap_or(0)
}

fn range(span: &Span) -> Range<usize> {
    let start = offset(&span.start);
    start..offset(&span.end).max(start)
}

fn tag_of(tag: Option<&ParserTag>) -> Tag {
    tag.map_or(Tag::None, |t| Tag::new(t.handle(), t.suffix()))
}

impl Builder<'_> {
    fn event(&mut self, event: Event, span: Span) -> Result<(), Breach> {
        match event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Breach::Documents);
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                charge(&mut self.nodes, 1, self.budget.nodes, Breach::Nodes)?;
                charge(
                    &mut self.scalar_bytes,
                    text.len(),
                    self.budget.scalar_bytes,
                    Breach::ScalarBytes,
                )?;
                let plain = matches!(style, ScalarStyle::Plain);
                let tag = tag_of(tag.as_deref());
                let merge = plain && tag == Tag::None && text == "<<";
                let kind = scalar::resolve(&text, plain, tag).map_err(Breach::Value)?;
                let node = Node {
                    kind,
                    span: range(&span),
                };
                self.anchor(anchor, &node)?;
                self.push(node, merge)?;
            }
            Event::SequenceStart(_, anchor, tag) => self.open(&span, anchor, tag_of(tag.as_deref()), false)?,
            Event::MappingStart(_, anchor, tag) => self.open(&span, anchor, tag_of(tag.as_deref()), true)?,
            Event::SequenceEnd | Event::MappingEnd => {
                let open = self
                    .stack
                    .pop()
                    .ok_or(Breach::Value("a list or mapping ends that never began"))?;
                let kind = match open.kind {
                    OpenKind::Seq(items) => Kind::Seq(items),
                    OpenKind::Map { entries, merges, .. } => Kind::Map(merged(entries, merges)),
                };
                let node = Node { kind, span: open.span };
                self.anchor(open.anchor, &node)?;
                self.push(node, false)?;
            }
            Event::Alias(id) => {
                charge(&mut self.aliases, 1, self.budget.aliases, Breach::Aliases)?;
                // The parser only names anchors defined before; one whose value is not
                // finished yet is the alias's own container (`&a [*a]`).
                let anchored = self
                    .anchors
                    .get(id)
                    .and_then(Option::as_ref)
                    .ok_or(Breach::Value("an alias cannot stand inside the value it names"))?;
                // The copy nests as deep as the original: it must fit where it is placed, so
                // that no chain of aliases builds a tree deeper than the budget.
                if self.stack.len() + anchored.size.height > self.budget.depth {
                    return Err(Breach::Depth);
                }
                let size = anchored.size;
                charge(
                    &mut self.alias_nodes,
                    size.values,
                    self.budget.alias_nodes,
                    Breach::AliasNodes,
                )?;
                charge(
                    &mut self.scalar_bytes,
                    size.bytes,
                    self.budget.scalar_bytes,
                    Breach::ScalarBytes,
                )?;
                // Every value of the copy is placed at the alias, where it is used: a
                // diagnostic about it points at the `*name` that brought it in.
                let mut node = anchored.node.clone();
                place(&mut node, &range(&span));
                self.push(node, false)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn open(&mut self, span: &Span, anchor: usize, tag: Tag, map: bool) -> Result<(), Breach> {
        charge(&mut self.nodes, 1, self.budget.nodes, Breach::Nodes)?;
        if self.stack.len() >= self.budget.depth {
            return Err(Breach::Depth);
        }
        match (tag, map) {
            (Tag::None | Tag::NonSpecific | Tag::Other, _) | (Tag::Seq, false) | (Tag::Map, true) => {}
            (_, true) => return Err(Breach::Value("a mapping cannot have this tag")),
            (_, false) => return Err(Breach::Value("a sequence cannot have this tag")),
        }
        let kind = if map {
            OpenKind::Map {
                entries: Vec::new(),
                key: None,
                merges: Vec::new(),
            }
        } else {
            OpenKind::Seq(Vec::new())
        };
        self.stack.push(Open {
            span: range(span),
            anchor,
            kind,
        });
        Ok(())
    }

    /// Remembers an anchored node for its aliases.
    fn anchor(&mut self, id: usize, node: &Node) -> Result<(), Breach> {
        if id == 0 {
            return Ok(());
        }
        charge(&mut self.anchor_count, 1, self.budget.aliases, Breach::Anchors)?;
        if self.anchors.len() <= id {
            self.anchors.resize_with(id + 1, || None);
        }
        // A copy of the anchored value is kept for its aliases. It counts against the budgets
        // like the values and text it copies, so that anchors nested in anchors cannot
        // multiply the file's memory.
        let size = size(node);
        charge(&mut self.nodes, size.values, self.budget.nodes, Breach::Nodes)?;
        charge(
            &mut self.scalar_bytes,
            size.bytes,
            self.budget.scalar_bytes,
            Breach::ScalarBytes,
        )?;
        self.anchors[id] = Some(Anchored {
            node: node.clone(),
            size,
        });
        Ok(())
    }

    /// Places a finished node: in the open collection, or as the document.
    fn push(&mut self, node: Node, merge_key: bool) -> Result<(), Breach> {
        let Some(open) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match &mut open.kind {
            OpenKind::Seq(items) => items.push(node),
            OpenKind::Map { entries, key, merges } => match key.take() {
                None => *key = Some((node, merge_key)),
                Some((_, true)) if is_mergeable(&node) => merges.push(node),
                Some((_, true)) if node.kind == Kind::Null => {}
                Some((_, true)) => return Err(Breach::Value("a merge key (<<) takes a mapping or a list of mappings")),
                Some((k, _)) => entries.push((k, node)),
            },
        }
        Ok(())
    }
}

/// Gives a node and everything in it the place `span`.
fn place(node: &mut Node, span: &Range<usize>) {
    node.span = span.clone();
    match &mut node.kind {
        Kind::Seq(items) => items.iter_mut().for_each(|i| place(i, span)),
        Kind::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            place(k, span);
            place(v, span);
        }),
        _ => {}
    }
}

/// What a node holds: its values, its text bytes, and its height (the levels of lists and
/// mappings in it: 0 for a scalar).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Size {
    values: usize,
    bytes: usize,
    height: usize,
}

fn size(node: &Node) -> Size {
    let leaf = |bytes| Size {
        values: 1,
        bytes,
        height: 0,
    };
    let collection = |children: &mut dyn Iterator<Item = &Node>| {
        children.map(size).fold(
            Size {
                values: 1,
                bytes: 0,
                height: 1,
            },
            |a, b| Size {
                values: a.values + b.values,
                bytes: a.bytes + b.bytes,
                height: a.height.max(b.height + 1),
            },
        )
    };
    match &node.kind {
        Kind::Str(s) => leaf(s.len()),
        Kind::Seq(items) => collection(&mut items.iter()),
        Kind::Map(entries) => collection(&mut entries.iter().flat_map(|(k, v)| [k, v])),
        _ => leaf(0),
    }
}

/// Adds `amount` to what a budget has `used`; `breach` when that passes its `limit`.
fn charge(used: &mut usize, amount: usize, limit: usize, breach: Breach) -> Result<(), Breach> {
    *used += amount;
    if *used > limit { Err(breach) } else { Ok(()) }
}

/// A merge key's value: a mapping, or a list of mappings (empty items merge nothing).
fn is_mergeable(node: &Node) -> bool {
    match &node.kind {
        Kind::Map(_) => true,
        Kind::Seq(items) => items.iter().all(|i| matches!(i.kind, Kind::Map(_) | Kind::Null)),
        _ => false,
    }
}

/// A mapping with its merge keys (`<<: *base`) applied: the mapping's own keys first, then
/// each merged mapping's keys it does not already have, earlier merges first. A merged entry
/// is placed where its mapping is written or named (`{`, `*base`).
fn merged(mut entries: Vec<(Node, Node)>, merges: Vec<Node>) -> Vec<(Node, Node)> {
    for merge in merges {
        let sources = match merge.kind {
            Kind::Seq(items) => items,
            _ => vec![merge],
        };
        for source in sources {
            let Kind::Map(source_entries) = source.kind else {
                continue;
            };
            for (mut k, mut v) in source_entries {
                if !entries.iter().any(|(e, _)| e.kind == k.kind) {
                    place(&mut k, &source.span);
                    place(&mut v, &source.span);
                    entries.push((k, v));
                }
            }
        }
    }
    entries
}
