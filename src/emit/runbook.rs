//! runbook.md: the manual steps of the plan, per server and in order.
//!
//! Rendered by its own handlebars registry (strict mode) whose escaper neutralises Markdown
//! syntax, so no value can turn into a link, an emphasis or a table break.

use std::sync::OnceLock;

use handlebars::Handlebars;
use serde::Serialize;

use crate::plan::Plan;

const TEMPLATE: &str = include_str!("../../templates/runbook.md.hbs");

#[derive(Serialize)]
struct RunbookContext<'a> {
    cluster: &'a str,
    source: &'a str,
    platform: &'a str,
    os: &'a str,
    servers: Vec<ServerRow<'a>>,
    sections: Vec<Section<'a>>,
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
/// punctuation escapes), and folds line breaks to spaces.
fn escape_markdown(text: &str) -> String {
    let special = |c: char| matches!(c, '*' | '_' | '[' | ']' | '<' | '>' | '|' | '`' | '#' | '!') || c.is_control();
    if !text.chars().any(special) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '*' | '_' | '[' | ']' | '<' | '>' | '|' | '`' | '#' | '!' => {
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
        hb.register_template_string("runbook.md", TEMPLATE)
            .expect("templates/runbook.md.hbs parses");
        hb
    })
}

/// The runbook as UTF-8 Markdown with LF line endings.
pub fn runbook(plan: &Plan) -> Vec<u8> {
    let context = RunbookContext {
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
        sections: plan
            .runbook
            .iter()
            .enumerate()
            .map(|(i, s)| Section {
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
            })
            .collect(),
    };
    let text = registry()
        .render("runbook.md", &context)
        .unwrap_or_else(|e| panic!("template runbook.md: {e}"));
    text.into_bytes()
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
    }
}
