//! runbook.md: the manual steps of the plan, per server and in order.
//!
//! Rendered by its own handlebars registry (strict mode) whose escaper neutralises Markdown
//! syntax, so no value can turn into a link, an emphasis or a table break.
//!
//! The head (`templates/runbook.md.hbs`) and each section (`runbook-section.md.hbs`) are
//! rendered apart, each from its own context: inside nested `#each` blocks handlebars
//! rebuilds a value's whole path from the root for every lookup, so a context one level
//! shallower costs about a quarter less for a runbook of thousands of steps.

use handlebars::Handlebars;
use serde::Serialize;

use crate::catalog::sources::{self, Document};
use crate::model::Language;
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
    documents: Vec<DocumentRow>,
}

#[derive(Serialize)]
struct DocumentRow {
    short: &'static str,
    /// The document's title in the runbook's language.
    title: &'static str,
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

/// A value as plain text that reads the same raw (in Notepad) as rendered as Markdown: line
/// breaks fold to spaces and other control characters go. Nothing is backslash-escaped, as an
/// escape shows when the file is read as text; instead a word that Markdown would turn into
/// something else (an emphasis, a link, an entity, HTML, a strike-through, or a backslash
/// eating the punctuation after it) is put in a code span, which both readings show as the
/// literal it is, with its backticks. Code spans the text already has are kept as they are.
fn plain_markdown(text: &str) -> String {
    let text: String = text
        .chars()
        .filter_map(|c| match c {
            '\r' | '\n' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    // Backticks that pair up are the text's own code spans; an unpaired one is literal.
    let paired = text.matches('`').count().is_multiple_of(2);
    let mut in_code = false;
    let mut out = String::with_capacity(text.len() + 8);
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let ticks = word.matches('`').count();
        if paired && (in_code || ticks > 0) {
            out.push_str(word);
            in_code ^= ticks % 2 == 1;
        } else if active(word, i == 0) {
            let run = longest_run(word, '`');
            let fence = "`".repeat(run + 1);
            let pad = if word.starts_with('`') || word.ends_with('`') {
                " "
            } else {
                ""
            };
            out.push_str(&fence);
            out.push_str(pad);
            out.push_str(word);
            out.push_str(pad);
            out.push_str(&fence);
        } else {
            out.push_str(word);
        }
    }
    out
}

/// Whether Markdown reads something other than the letters in `word` (the first word of a
/// text also when it would start a block: a heading, a quote, a list item).
fn active(word: &str, first: bool) -> bool {
    let chars: Vec<char> = word.chars().collect();
    let alnum = |i: Option<&char>| i.is_some_and(|c| c.is_alphanumeric());
    let underscore = chars
        .iter()
        .enumerate()
        .any(|(i, c)| *c == '_' && !(i > 0 && alnum(chars.get(i - 1)) && alnum(chars.get(i + 1))));
    let escape = chars.windows(2).any(|w| w[0] == '\\' && w[1].is_ascii_punctuation());
    let entity = word.contains('&') && word.contains(';');
    let block = first
        && (word.starts_with(['#', '>', '-', '+', '='])
            || word.starts_with(|c: char| c.is_ascii_digit()) && word.ends_with(['.', ')']));
    underscore
        || escape
        || entity
        || block
        || word.contains(['*', '<', '`'])
        || word.contains("](")
        || word.contains("][")
        || word.contains("![")
        || word.contains("~~")
}

fn longest_run(word: &str, c: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for x in word.chars() {
        run = if x == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// The runbook registry of one language: the plain-Markdown escaper, and the head and section
/// templates with that language's texts written in.
fn registry(language: Language) -> &'static Handlebars<'static> {
    static CELLS: crate::emit::PerLanguage<Handlebars<'static>> = crate::emit::PerLanguage::new();
    CELLS.get(language, || {
        let mut hb = crate::emit::strict_registry();
        hb.register_escape_fn(plain_markdown);
        // The catalogue's own texts are plain already; their line breaks are the paragraph's.
        let own: fn(&str) -> String = str::to_string;
        hb.register_template_string("runbook.md", crate::i18n::localize_template(HEAD, language, own))
            .expect("templates/runbook.md.hbs parses");
        hb.register_template_string(
            "runbook-section.md",
            crate::i18n::localize_template(SECTION, language, own),
        )
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
            .map(|d: &Document| DocumentRow {
                short: d.short,
                title: match plan.language {
                    Language::Ja => d.title_ja,
                    Language::En => d.title,
                },
            })
            .collect(),
    };
    let mut out = Vec::new();
    let hb = registry(plan.language);
    render(hb, &mut out, "runbook.md", &head);
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
        render(hb, &mut out, "runbook-section.md", &section);
    }
    out
}

fn render(hb: &Handlebars<'static>, out: &mut Vec<u8>, name: &str, context: &impl Serialize) {
    hb.render_to_write(name, context, out)
        .unwrap_or_else(|e| panic!("template {name}: {e}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_the_same_raw_and_rendered() {
        // Nothing that needs no escaping is touched: paths, registry keys, arrows, brackets.
        for plain in [
            r"S:\inetpub",
            r"HKEY_LOCAL_MACHINE\SOFTWARE\NEC\ExpressMail",
            "CORP\\ExpressMail_User;",
            "mail.example.co.jp -> 192.168.30.100",
            "clear [PacketFilter] in the properties",
            "get guid E:\\ and X:\\ and",
            "line `account: domain=slave access_net=ADDRESS/255.255.255.255`, replace",
        ] {
            assert_eq!(plain_markdown(plain), plain);
        }
        // A word Markdown would change is a code span: no backslash shows in either reading.
        assert_eq!(
            plain_markdown("[x](http://a) *b* <c>\nd"),
            "`[x](http://a)` `*b*` `<c>` d"
        );
        assert_eq!(plain_markdown(r"C:\*b*"), r"`C:\*b*`");
        assert_eq!(plain_markdown("a &copy; ~~b~~ _c_"), "a `&copy;` `~~b~~` `_c_`");
        assert_eq!(plain_markdown("# heading"), "`#` heading");
        assert_eq!(plain_markdown("x`y"), "``x`y``");
    }
}
