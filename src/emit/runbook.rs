//! runbook.md: the manual steps of the plan, per server and in order.
//!
//! Rendered by its own handlebars registry (strict mode) whose escaper neutralises Markdown
//! syntax, so no value can turn into a link, an emphasis or a table break.
//!
//! The head (`templates/runbook.md.hbs`) and each section (`runbook-section.md.hbs`) are
//! rendered apart, each from its own context: inside nested `#each` blocks handlebars
//! rebuilds a value's whole path from the root for every lookup, so a context one level
//! shallower costs about a quarter less for a runbook of thousands of steps.

use std::sync::OnceLock;

use handlebars::Handlebars;
use serde::Serialize;

use crate::catalog::sources::{self, Document};
use crate::plan::Plan;

const HEAD: &str = include_str!("../../templates/runbook.md.hbs");
const SECTION: &str = include_str!("../../templates/runbook-section.md.hbs");

#[derive(Serialize)]
struct Head<'a> {
    cluster: &'a str,
    source: &'a str,
    platform: &'a str,
    os: &'a str,
    servers: Vec<ServerRow<'a>>,
    /// The public documents the steps cite, each once, in `catalog::sources` order.
    documents: Vec<&'static Document>,
}

#[derive(Serialize)]
struct ServerRow<'a> {
    name: &'a str,
    priority: usize,
    ip: String,
    interconnects: String,
}

#[derive(Serialize)]
struct Section<'a> {
    number: usize,
    title: &'a str,
    steps: Vec<Step<'a>>,
}

#[derive(Serialize)]
struct Step<'a> {
    number: usize,
    servers: String,
    text: &'a str,
    source: &'a str,
}

/// Backslash-escapes the characters that start Markdown syntax (CommonMark's ASCII
/// punctuation escapes, GitHub's `~` and `|`, and `&`, which starts an entity such as
/// `&copy;`), and folds line breaks to spaces. A backslash is escaped where it would itself
/// escape: before ASCII punctuation (`C:\*` would otherwise turn the escape of `*` into a
/// literal backslash and leave `*` live) and at the end, where the next text could follow it;
/// elsewhere (`S:\inetpub`) it is a literal backslash already, and stays as the path reads.
fn escape_markdown(text: &str) -> String {
    let syntax = |c: char| matches!(c, '*' | '_' | '[' | ']' | '<' | '>' | '|' | '`' | '#' | '!' | '&' | '~');
    let special = |c: char| syntax(c) || c == '\\' || c.is_control();
    if !text.chars().any(special) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_none_or(|n| n.is_ascii_punctuation()) => out.push_str("\\\\"),
            c if syntax(c) => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn registry() -> &'static Handlebars<'static> {
    static REGISTRY: OnceLock<Handlebars<'static>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut hb = crate::emit::strict_registry();
        hb.register_escape_fn(escape_markdown);
        hb.register_template_string("runbook.md", HEAD)
            .expect("templates/runbook.md.hbs parses");
        hb.register_template_string("runbook-section.md", SECTION)
            .expect("templates/runbook-section.md.hbs parses");
        hb
    })
}

/// The runbook as UTF-8 Markdown with LF line endings.
pub fn runbook(plan: &Plan) -> Vec<u8> {
    let head = Head {
        cluster: &plan.cluster_name,
        source: &plan.source_name,
        platform: &plan.platform.name,
        os: &plan.os,
        servers: plan
            .servers
            .iter()
            .map(|s| ServerRow {
                name: &s.name,
                priority: s.priority,
                ip: s.ip.to_string(),
                interconnects: s
                    .interconnects
                    .iter()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        documents: sources::DOCUMENTS
            .iter()
            .filter(|d| {
                plan.runbook
                    .iter()
                    .flat_map(|s| &s.steps)
                    .any(|step| step.source.contains(d.short))
            })
            .collect(),
    };
    let mut out = Vec::new();
    render(&mut out, "runbook.md", &head);
    for (i, s) in plan.runbook.iter().enumerate() {
        let section = Section {
            number: i + 1,
            title: &s.title,
            steps: s
                .steps
                .iter()
                .enumerate()
                .map(|(j, step)| Step {
                    number: j + 1,
                    servers: step.servers.join(", "),
                    text: &step.text,
                    source: &step.source,
                })
                .collect(),
        };
        render(&mut out, "runbook-section.md", &section);
    }
    out
}

fn render(out: &mut Vec<u8>, name: &str, context: &impl Serialize) {
    registry()
        .render_to_write(name, context, out)
        .unwrap_or_else(|e| panic!("template {name}: {e}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_syntax_in_values_is_neutralised() {
        assert_eq!(
            escape_markdown("[x](http://a) *b* <c>\nd"),
            "\\[x\\](http://a) \\*b\\* \\<c\\> d"
        );
        assert_eq!(escape_markdown(r"S:\inetpub"), r"S:\inetpub");
        // a backslash that would escape is escaped: `\*` stays a backslash and a star
        assert_eq!(escape_markdown(r"C:\*b*"), r"C:\\\*b\*");
        assert_eq!(escape_markdown(r"C:\dir\"), r"C:\dir\\");
        assert_eq!(escape_markdown("a &copy; ~~b~~"), r"a \&copy; \~\~b\~\~");
    }
}
