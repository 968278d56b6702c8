//! Reading YAML into a [`Node`] tree in which every key and value knows its byte span.
//!
//! serde-saphyr's parser (granit) reads the text; [`tree`] builds hagen's generic tree from
//! its events rather than deserializing straight into model types, so that decoding can report
//! *every* unknown key, missing key and bad value of a file in one run (serde's derive stops
//! at the first) and can point at each of them. Building the tree from the events, not through
//! serde, halves the cost of `hagen check` (README, Performance); the tests compare the tree
//! with serde-saphyr's own deserialization on the whole test corpus (`oracle`).
//!
//! Scalars resolve by YAML 1.2's core schema (`yes`/`no`/`on`/`off` stay strings, so a
//! boolean field can name them), duplicate keys are passed through (decoding reports both
//! places), and budgets on aliases, depth and node counts make a hostile file cost bounded
//! time and memory.

mod node;
#[cfg(any(test, feature = "oracle"))]
pub mod oracle;
mod scalar;
mod tree;

pub use node::{Kind, Node};

use crate::diag::{Code, Diagnostic};
use crate::source::SourceFile;
use tree::{Breach, Failure};

/// Files larger than this are refused before parsing (SPEC section 2).
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// Nesting deeper than this is refused. A cluster file needs seven levels (groups, apps,
/// services); the limit keeps a hostile file's tree (and the recursive walks over it) well
/// inside a 1 MiB thread stack (Windows' default).
pub const MAX_DEPTH: usize = 20;

/// At most this many aliases (and as many anchors) in a file.
const MAX_ALIASES: usize = 10_000;

/// At most this many values (scalars, lists, mappings) in a file: the benchmark's 10,000-group
/// file, far beyond a real cluster, needs 500,000 to 700,000; the budget bounds the memory a
/// file of tiny values can take.
const MAX_NODES: usize = 1_000_000;

/// At most this many values produced by expanding aliases.
const MAX_ALIAS_NODES: usize = 100_000;

const BUDGET: tree::Budget = tree::Budget {
    depth: MAX_DEPTH,
    nodes: MAX_NODES,
    aliases: MAX_ALIASES,
    alias_nodes: MAX_ALIAS_NODES,
    scalar_bytes: MAX_FILE_BYTES,
};

/// Parses one YAML document. A file that is not YAML, breaks a budget or holds more than one
/// document yields one `yaml-syntax` diagnostic at the place the parser stopped.
pub fn parse(file: &SourceFile) -> Result<Node, Diagnostic> {
    if file.text.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            Code::YamlSyntax,
            0..0,
            format!("the file is larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024)),
        )
        .help("split the cluster into several files"));
    }
    let (offset, message) = match tree::build(&file.text, &BUDGET) {
        Ok(Some(node)) if node.kind != Kind::Null => return Ok(node),
        Ok(_) => {
            return Err(Diagnostic::new(
                Code::YamlSyntax,
                0..0,
                "the file holds no YAML document",
            ));
        }
        Err(Failure::Syntax(err)) => {
            let marker = err.marker();
            let offset = marker
                .byte_offset()
                .unwrap_or_else(|| offset_of(file, marker.line(), marker.col() + 1));
            (offset, syntax_message(&err.info()))
        }
        Err(Failure::At(offset, breach)) => (offset, breach_message(&breach)),
    };
    Err(Diagnostic::new(Code::YamlSyntax, offset..offset, message)
        .help("fix the YAML at this place; hagen reads YAML 1.2 with unique keys"))
}

/// A broken budget or tag, in words.
fn breach_message(breach: &Breach) -> String {
    match breach {
        Breach::Depth => format!("the YAML nests deeper than {MAX_DEPTH} levels"),
        Breach::Documents => "the file holds more than one YAML document: a cluster file is one document".to_string(),
        Breach::Aliases => format!("the file uses more than {MAX_ALIASES} aliases"),
        Breach::Anchors => format!("the file defines more than {MAX_ALIASES} anchors"),
        Breach::Nodes => format!("the file holds more than {MAX_NODES} YAML values"),
        Breach::AliasNodes => format!("aliases expand to more than {MAX_ALIAS_NODES} YAML values (an alias bomb?)"),
        Breach::ScalarBytes => format!(
            "the file's text values add up to more than {} MiB",
            MAX_FILE_BYTES / (1024 * 1024)
        ),
        Breach::Value(message) => message.to_string(),
    }
}

/// The parser's message, as a sentence hagen can show.
fn syntax_message(info: &str) -> String {
    let text = info.lines().next().unwrap_or("").trim().trim_end_matches(':').trim();
    if text == "recursion limit exceeded" {
        // The scanner's own guard against deep nesting, which can trip before the depth budget.
        return format!("the YAML nests deeper than {MAX_DEPTH} levels");
    }
    if text.is_empty() {
        "invalid YAML".to_string()
    } else {
        text.to_string()
    }
}

fn offset_of(file: &SourceFile, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in file.text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = column.saturating_sub(1);
            return offset + l.char_indices().nth(col).map(|(b, _)| b).unwrap_or(l.len());
        }
        offset += l.len();
    }
    file.text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Node, Diagnostic> {
        parse(&SourceFile::new("t.yaml", text))
    }

    #[test]
    fn keys_and_values_carry_byte_spans() {
        let text = "cluster:\n  name: web\n  ok: true\n";
        let node = parse_str(text).unwrap();
        let cluster = &node.entries()[0];
        assert_eq!(cluster.0.as_str(), Some("cluster"));
        let (key, value) = &cluster.1.entries()[0];
        assert_eq!(&text[key.span.clone()], "name");
        assert_eq!(&text[value.span.clone()], "web");
        assert!(matches!(cluster.1.entries()[1].1.kind, Kind::Bool(true)));
    }

    #[test]
    fn yaml_1_1_booleans_stay_strings() {
        let node = parse_str("a: yes\nb: off\n").unwrap();
        assert_eq!(node.entries()[0].1.as_str(), Some("yes"));
        assert_eq!(node.entries()[1].1.as_str(), Some("off"));
    }

    #[test]
    fn duplicate_keys_reach_the_tree() {
        let node = parse_str("a: 1\na: 2\n").unwrap();
        assert_eq!(node.entries().len(), 2);
    }

    #[test]
    fn syntax_errors_point_at_the_place() {
        let text = "a: [1, 2\nb: c\n";
        let d = parse_str(text).unwrap_err();
        assert_eq!(d.code, Code::YamlSyntax);
        assert!(d.span.start > 0, "{d:?}");
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let d = parse_str(&text).unwrap_err();
        assert_eq!(d.code, Code::YamlSyntax);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        let d = parse_str(&text).unwrap_err();
        assert_eq!(d.code, Code::YamlSyntax);
        assert_eq!(d.message, "the YAML nests deeper than 20 levels");
        let text = "[".repeat(100) + &"]".repeat(100);
        let d = parse_str(&text).unwrap_err();
        assert_eq!(d.message, "the YAML nests deeper than 20 levels");
        assert_eq!(d.span, 20..20, "at the bracket that goes too deep");
        // The limit itself parses, in block style too, within a 1 MiB stack.
        let mut block = String::new();
        for level in 0..MAX_DEPTH - 1 {
            block.push_str(&format!("{}a:\n", "  ".repeat(level)));
        }
        block.push_str(&format!("{}- b\n", "  ".repeat(MAX_DEPTH - 1)));
        let parsed = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(move || parse_str(&block).map(|_| ()))
            .unwrap()
            .join()
            .expect("no stack overflow");
        assert!(parsed.is_ok(), "{parsed:?}");
    }

    #[test]
    fn budgets_are_named_in_words() {
        let d = parse_str("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(
            d.message,
            "the file holds more than one YAML document: a cluster file is one document"
        );
        assert_eq!(d.span.start, 5, "at the second document");
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..8 {
            let p = i - 1;
            bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![format!("*a{p}"); 10].join(", ")));
        }
        let d = parse_str(&bomb).unwrap_err();
        assert_eq!(
            d.message,
            "aliases expand to more than 100000 YAML values (an alias bomb?)"
        );
        assert!(d.span.start > 0, "{d:?}");
    }

    #[test]
    fn an_alias_inside_the_value_it_names_is_refused_at_the_alias() {
        let text = "a: &x {b: [c, *x]}\n";
        let d = parse_str(text).unwrap_err();
        assert_eq!(d.code, Code::YamlSyntax);
        assert_eq!(d.message, "an alias cannot stand inside the value it names");
        assert_eq!(d.span.start, text.find('*').unwrap());
    }

    #[test]
    fn anchors_nested_in_anchors_count_what_they_copy() {
        // Each anchor keeps a copy of its value: 19 nested anchors around 100,000 values would
        // hold 1.9 million copies, beyond the budget of values.
        let values = vec!["x"; 100_000].join(", ");
        let anchored: String = (1..20).map(|level| format!("&a{level} [")).collect();
        let text = format!("a: {anchored}{values}{}\n", "]".repeat(19));
        let d = parse_str(&text).unwrap_err();
        assert_eq!(d.message, "the file holds more than 1000000 YAML values");
        // The same lists without anchors are a file well within the budget.
        let text = format!("a: {}{values}{}\n", "[".repeat(19), "]".repeat(19));
        assert!(parse_str(&text).is_ok());
    }

    #[test]
    fn an_alias_may_not_nest_its_copy_deeper_than_the_budget() {
        // Fifteen levels anchored, then named ten levels down: 25 levels in all.
        let deep = format!("{}x{}", "[".repeat(15), "]".repeat(15));
        let text = format!("a: &d {deep}\nb: {}*d{}\n", "[".repeat(10), "]".repeat(10));
        let d = parse_str(&text).unwrap_err();
        assert_eq!(d.message, "the YAML nests deeper than 20 levels");
        assert_eq!(d.span.start, text.find('*').unwrap());
        // Named four levels down it fits: the mapping, four lists, fifteen more.
        let text = format!("a: &d {deep}\nb: {}*d{}\n", "[".repeat(4), "]".repeat(4));
        assert!(parse_str(&text).is_ok());
    }

    #[test]
    fn integers_of_any_size_are_numbers() {
        let node = parse_str("a: 18446744073709551615\nb: -170141183460469231731687303715884105728\nc: 7\n").unwrap();
        let kinds: Vec<&Kind> = node.entries().iter().map(|(_, v)| &v.kind).collect();
        assert!(matches!(kinds[0], Kind::Float(_)), "{kinds:?}");
        assert!(matches!(kinds[1], Kind::Float(_) | Kind::Str(_)), "{kinds:?}");
        assert_eq!(kinds[2], &Kind::Int(7));
    }

    #[test]
    fn empty_documents_are_refused() {
        assert_eq!(parse_str("# only a comment\n").unwrap_err().code, Code::YamlSyntax);
    }
}
