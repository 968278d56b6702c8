//! Diagnostics for people: a header naming severity and code, the snippet of the file with the
//! span underlined and labelled, labels at the related places, and the help line, drawn by
//! miette's graphical handler.
//!
//! Colour and Unicode box drawing are used only on a terminal (and colour only without
//! `NO_COLOR`); anything else gets plain ASCII at a fixed width, so piped output, CI logs and
//! snapshot tests are the same everywhere.

use std::fmt;
use std::io::IsTerminal;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};

use super::Summary;
use crate::diag::{Diagnostic, Severity, Span};
use crate::model::Language;
use crate::source::SourceFile;
use crate::tr;

/// Width used when output is not a terminal (and when a terminal's width is unknown).
pub const PLAIN_WIDTH: usize = 100;

/// How output may be drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    pub unicode: bool,
    pub width: usize,
}

impl Style {
    /// ASCII only, no escape sequences, [`PLAIN_WIDTH`] columns.
    pub const PLAIN: Style = Style {
        color: false,
        unicode: false,
        width: PLAIN_WIDTH,
    };

    /// The style for standard output: plain unless it is a terminal; colour unless `NO_COLOR`
    /// is set to something.
    pub fn for_stdout() -> Style {
        let stdout = std::io::stdout();
        if !stdout.is_terminal() {
            return Style::PLAIN;
        }
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let width = terminal_size::terminal_size_of(&stdout)
            .map(|(w, _)| usize::from(w.0))
            .filter(|&w| w >= 40)
            .unwrap_or(PLAIN_WIDTH);
        Style {
            color: !no_color,
            unicode: true,
            width,
        }
    }
}

/// Renders diagnostics one at a time, as text ending in a blank line.
#[derive(Debug, Clone, Copy)]
pub struct HumanRenderer {
    style: Style,
}

impl HumanRenderer {
    pub fn new(style: Style) -> Self {
        HumanRenderer { style }
    }

    fn theme(&self) -> GraphicalTheme {
        match (self.style.unicode, self.style.color) {
            (true, true) => GraphicalTheme::unicode(),
            (true, false) => GraphicalTheme::unicode_nocolor(),
            (false, true) => GraphicalTheme::ascii(),
            (false, false) => GraphicalTheme::none(),
        }
    }

    /// Every diagnostic of `file`, each handed to `each` in order. A snippet costs tens of
    /// microseconds to draw, so a script with 200,000 GOTOs to missing labels is drawn on
    /// every core; the text is the same as drawing them one by one.
    pub fn render_all(&self, file: &SourceFile, diagnostics: &[Diagnostic], each: impl FnMut(String)) {
        let threads = if diagnostics.len() < PARALLEL_FROM {
            1
        } else {
            crate::parallel::threads()
        };
        crate::parallel::map_small_in_order(diagnostics.iter().collect(), threads, |d| self.render(file, d), each);
    }

    /// Whether the message and help of `d` would come out of miette's line wrapping as they
    /// went in, so that wrapping can be skipped: it is a quarter of the time of a snippet. True
    /// when every line is non-empty, has no space at either end, and fits the width with the
    /// longest indent miette puts before it, counted in bytes (a character is never wider on
    /// screen than its bytes). `wrapping_changes_nothing_that_fits` holds it to that.
    fn fits_unwrapped(&self, d: &Diagnostic) -> bool {
        // `  error[code]: ` before the message; `  help: ` before the help.
        let header = 2 + d.severity.name().len() + d.code.name().len() + 4;
        let width = self.style.width.saturating_sub(2);
        let fits = |text: &str, indent: usize| {
            !text.ends_with('\n')
                && text
                    .split('\n')
                    .all(|line| !line.is_empty() && line.trim() == line && indent + line.len() < width)
        };
        fits(&printable(&d.message), header) && d.help.as_deref().is_none_or(|h| fits(&printable(h), 8))
    }

    /// One diagnostic of `file`, followed by a blank line.
    pub fn render(&self, file: &SourceFile, diagnostic: &Diagnostic) -> String {
        self.render_wrapping(file, diagnostic, !self.fits_unwrapped(diagnostic))
    }

    fn render_wrapping(&self, file: &SourceFile, diagnostic: &Diagnostic, wrap: bool) -> String {
        // The header is miette's severity marker; replacing it per diagnostic gives
        // `error[code]: message` in the severity's colour.
        let mut theme = self.theme();
        let header = format!("{}[{}]:", diagnostic.severity.name(), diagnostic.code.name());
        match diagnostic.severity {
            Severity::Error => theme.characters.error = header,
            Severity::Warning => theme.characters.warning = header,
            Severity::Note => theme.characters.advice = header,
        }
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(self.style.width)
            .with_links(false)
            .with_urls(false)
            .without_syntax_highlighting()
            .with_context_lines(1)
            .with_wrap_lines(wrap);

        let mut out = String::new();
        if draws_a_long_line(file, diagnostic)
            || handler.render_report(&mut out, &Report::new(file, diagnostic)).is_err()
        {
            // miette fails only on spans it cannot read; say the essentials without a snippet.
            out = fallback(file, diagnostic);
        } else if diagnostic.related.len() > MAX_DRAWN_RELATED {
            if !out.ends_with('\n') {
                out.push('\n');
            }
            for related in &diagnostic.related[MAX_DRAWN_RELATED..] {
                out.push_str(&place(file, related));
            }
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
        out
    }
}

/// Lines between the context of two places of a diagnostic up to which they are drawn as
/// one snippet; farther apart, each place has its own snippet under its own header.
const MERGED_GAP: usize = 16;

/// Diagnostics of one file from which [`HumanRenderer::render_all`] draws on several threads.
const PARALLEL_FROM: usize = 64;

/// Related places drawn in a snippet, at most; the others are listed one per line after it.
/// A set of 10,000 groups that share one product would otherwise be one snippet of the whole
/// file with 10,000 labels, which no one reads and whose drawing costs labels x lines.
const MAX_DRAWN_RELATED: usize = 8;

/// `  and file:line:column: message`, a related place not drawn.
fn place(file: &SourceFile, related: &crate::diag::Related) -> String {
    let p = file.position(related.span.start);
    format!(
        "  and {}:{}:{}: {}\n",
        printable(&file.name),
        p.line,
        p.column,
        printable(&related.message)
    )
}

/// Lines longer than this are not drawn whole: a file written on one long line would otherwise
/// be printed again under each of its diagnostics. Such a diagnostic shows an excerpt.
const MAX_DRAWN_LINE: usize = 1_000;

/// Whether a snippet of this diagnostic would draw a line longer than [`MAX_DRAWN_LINE`] (the
/// lines of its spans and the context line on each side).
fn draws_a_long_line(file: &SourceFile, d: &Diagnostic) -> bool {
    std::iter::once(&d.span)
        .chain(d.related.iter().take(MAX_DRAWN_RELATED).map(|r| &r.span))
        .any(|span| {
            let (first, last) = (file.position(span.start).line, file.position(span.end).line);
            (first.saturating_sub(1)..=last + 1).any(|line| file.line_range(line).len() > MAX_DRAWN_LINE)
        })
}

/// Up to 60 characters of the line around `offset` (20 before, 40 from it), and the column of
/// `offset` in them. Only those characters are visited, however long the line.
fn excerpt(file: &SourceFile, offset: usize) -> (String, usize) {
    let line = file.line_range(file.position(offset).line);
    let text = &file.shown()[line.clone()];
    let at = offset.clamp(line.start, line.end) - line.start;
    let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let from = text[..at].char_indices().rev().nth(19).map_or(0, |(i, _)| i);
    let to = text[at..].char_indices().nth(40).map_or(text.len(), |(i, _)| at + i);
    let mut out = String::new();
    if from > 0 {
        out.push_str("...");
    }
    out.push_str(&text[from..at]);
    let column = out.chars().count();
    out.push_str(&text[at..to]);
    if to < text.len() {
        out.push_str("...");
    }
    (out, column)
}

/// Text for a diagnostic miette could not draw, or that sits on a very long line: the place as
/// `file:line:column`, an excerpt of the line with a mark, and the help.
fn fallback(file: &SourceFile, d: &Diagnostic) -> String {
    let p = file.position(d.span.start);
    let mut out = format!(
        "  {}[{}]: {}\n  at {}:{}:{}\n",
        d.severity.name(),
        d.code.name(),
        printable(&d.message),
        printable(&file.name),
        p.line,
        p.column
    );
    let (text, column) = excerpt(file, d.span.start);
    if !text.is_empty() {
        let mark = format!("{}^ {}", " ".repeat(column), printable(&d.label));
        out.push_str(&format!("   | {text}\n   | {}\n", mark.trim_end()));
    }
    for related in &d.related {
        out.push_str(&place(file, related));
    }
    if let Some(help) = &d.help {
        out.push_str(&format!("  help: {}\n", printable(help)));
    }
    out
}

/// `2 errors, 1 warning in 3 files`, in `l`.
pub fn summary_line(summary: &Summary, l: Language) -> String {
    let count =
        |n: usize, what: &str| crate::i18n::count(l, n, &format!("summary.{what}"), &format!("summary.{what}s"));
    let mut parts = vec![count(summary.errors, "error"), count(summary.warnings, "warning")];
    if summary.notes > 0 {
        parts.push(count(summary.notes, "note"));
    }
    let counts = parts.join(crate::i18n::text(l, "summary.sep"));
    let mut line = tr!(l, "summary.line", counts = counts, files = count(summary.files, "file"));
    if summary.failed > 0 {
        line.push_str(&tr!(l, "summary.failed", paths = count(summary.failed, "path")));
    }
    line
}

/// Text that is safe to print on a terminal: control characters (escape sequences, line
/// breaks) and Unicode bidirectional controls, which a value written as `"\e[2J"` or
/// `"\u202e"` could carry into a message, are shown escaped instead of acting.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = crate::source::is_unprintable;
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A hagen diagnostic seen through miette's `Diagnostic` trait.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    message: String,
    help: Option<String>,
    source: Snippets<'a>,
    labels: Vec<LabeledSpan>,
}

impl<'a> Report<'a> {
    fn new(file: &'a SourceFile, diagnostic: &'a Diagnostic) -> Self {
        let drawn = &diagnostic.related[..diagnostic.related.len().min(MAX_DRAWN_RELATED)];
        let spans = std::iter::once(&diagnostic.span).chain(drawn.iter().map(|r| &r.span));
        let source = Snippets::new(file, spans);
        let primary = (!diagnostic.label.is_empty()).then(|| printable(&diagnostic.label).into_owned());
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            primary,
            source.span(&diagnostic.span),
        )];
        for related in drawn {
            labels.push(LabeledSpan::new_with_span(
                Some(printable(&related.message).into_owned()),
                source.span(&related.span),
            ));
        }
        Report {
            diagnostic,
            message: printable(&diagnostic.message).into_owned(),
            help: diagnostic.help.as_deref().map(|h| printable(h).into_owned()),
            source,
            labels,
        }
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// The file as miette reads it: named, and with lines and columns counted as
/// [`SourceFile::position`] does (miette counts bytes), so the `file:line:column` in the
/// snippet header matches the JSON output.
struct Snippets<'a> {
    file: &'a SourceFile,
    /// Where an empty span at the very end of a file that ends in a line break is drawn: at
    /// the end of the last line, as miette has no line to draw after it. The header still
    /// names the true place (the start of the line after).
    moved_end: Option<usize>,
}

impl<'a> Snippets<'a> {
    /// The file, with the end moved if one of `spans` is empty at the end of the file.
    fn new<'s>(file: &'a SourceFile, mut spans: impl Iterator<Item = &'s Span>) -> Self {
        let text = &file.text;
        let at_end = spans.any(|s| s.start >= text.len() && s.end <= s.start);
        let moved_end = text
            .strip_suffix('\n')
            .filter(|_| at_end)
            .map(|t| t.strip_suffix('\r').unwrap_or(t).len());
        Snippets { file, moved_end }
    }

    /// A span as miette can draw it: clamped to the text and to character boundaries.
    fn span(&self, span: &Span) -> SourceSpan {
        let text = &self.file.text;
        let floor = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = floor(span.start);
        let end = floor(span.end).max(start);
        if start == end
            && start == text.len()
            && let Some(moved) = self.moved_end
        {
            return SourceSpan::new(moved.into(), 0);
        }
        SourceSpan::new(start.into(), end - start)
    }

    /// The true offset of a span passed to miette.
    fn offset(&self, span: &SourceSpan) -> usize {
        match self.moved_end {
            Some(moved) if span.offset() == moved && span.is_empty() => self.file.text.len(),
            _ => span.offset(),
        }
    }
}

impl SourceCode for Snippets<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        // Drawn from the shown text, which has the file's offsets. miette reads a `str` from
        // its start to the span; it is given only the lines around the span (with a margin, so
        // it sees the same context), and what it returns is moved back to file positions.
        let text: &'b str = self.file.shown();
        let first = self.file.position(span.offset().min(text.len())).line;
        let last = self.file.position((span.offset() + span.len()).min(text.len())).line;
        let from = first.saturating_sub(context_lines_before + 1).max(1);
        let to = last + context_lines_after + 2;
        let start = self.file.line_range(from).start;
        let end = self.file.line_range(to + 1).start.max(start);
        let window = &text[start..end];
        let local = SourceSpan::new(span.offset().saturating_sub(start).into(), span.len());
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        // Lines before the window count as miette would have counted them.
        let skipped = from - 1;
        // Without context, miette asks for the place a header names.
        let (line, column) = if context_lines_before == 0 {
            let p = self.file.position(self.offset(span));
            (p.line - 1, p.column - 1)
        } else {
            (skipped + inner.line(), inner.column())
        };
        // miette draws two places as one snippet when the first line of the second is at most
        // the first line of the first plus this count. Its own readers give the line after the
        // last one counted from the top of the file, so a place on line 1,000 and one on line
        // 1,900 came out as one snippet of 900 lines. Here it is the lines drawn plus
        // [`MERGED_GAP`]: places a few lines apart share a snippet, far ones have their own.
        let data = inner.data();
        let drawn =
            data.iter().filter(|&&b| b == b'\n').count() + usize::from(data.last().is_some_and(|&b| b != b'\n'));
        let lines = drawn + MERGED_GAP;
        Ok(Box::new(MietteSpanContents::new_named(
            printable(&self.file.name).into_owned(),
            data,
            SourceSpan::new((start + inner.span().offset()).into(), inner.span().len()),
            line,
            column,
            lines,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    const FILE: &str = "cluster:\n  name: web\n  platform: clusterpro-x-9.9\ngroups:\n  - name: web\n  - name: web\n";

    fn render(file: &SourceFile, d: &Diagnostic) -> String {
        HumanRenderer::new(Style::PLAIN).render(file, d)
    }

    fn at(text: &str, needle: &str, nth: usize) -> Span {
        let start = text.match_indices(needle).nth(nth).unwrap().0;
        start..start + needle.len()
    }

    #[test]
    fn a_diagnostic_with_label_help_and_related_place() {
        let file = SourceFile::new("clusters/web.yaml", FILE);
        let d = Diagnostic::new(Code::DuplicateName, at(FILE, "web", 2), "two groups are named `web`")
            .label("second definition")
            .related(at(FILE, "web", 1), "first definition")
            .help("give every group its own name");
        insta::assert_snapshot!(render(&file, &d));
    }

    #[test]
    fn many_related_places_draw_the_first_and_list_the_rest() {
        let text: String = (0..20).map(|i| format!("  - name: g{i:02}\n")).collect();
        let file = SourceFile::new("many.yaml", &text);
        let mut d = Diagnostic::new(
            Code::StandbyUnsupported,
            at(&text, "g19", 0),
            "one product in 20 groups",
        );
        for i in 0..19 {
            d = d.related(at(&text, &format!("g{i:02}"), 0), format!("also in g{i:02}"));
        }
        let out = render(&file, &d);
        // The first MAX_DRAWN_RELATED places are labels in the snippet...
        for i in 0..MAX_DRAWN_RELATED {
            assert!(out.contains(&format!("`-- also in g{i:02}")), "g{i:02} drawn:\n{out}");
        }
        // ... and every other one is a line of its own, with its line and column, once.
        for i in MAX_DRAWN_RELATED..19 {
            let line = format!("  and many.yaml:{}:11: also in g{i:02}\n", i + 1);
            assert_eq!(out.matches(&line).count(), 1, "{line:?} listed once:\n{out}");
            assert!(
                !out.contains(&format!("`-- also in g{i:02}")),
                "g{i:02} not drawn:\n{out}"
            );
        }
        assert!(
            out.starts_with("  error[standby-unsupported]: one product in 20 groups"),
            "{out}"
        );
    }

    #[test]
    fn wrapping_changes_nothing_that_fits() {
        // Every message text of both catalogues (placeholders unfilled), and edge cases.
        let mut texts: Vec<String> = ["en.yaml", "ja.yaml"]
            .iter()
            .flat_map(|name| {
                let path = format!("{}/src/i18n/{name}", env!("CARGO_MANIFEST_DIR"));
                let map: std::collections::BTreeMap<String, String> =
                    serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
                map.into_values()
            })
            .collect();
        texts.extend([
            "a-very-long-word-".repeat(10),
            "x ".repeat(60),
            "two\nlines".into(),
            " leading".into(),
            "trailing ".into(),
            "日本語のメッセージ".repeat(12),
            "ends\n".into(),
            String::new(),
        ]);
        let file = SourceFile::new("web.yaml", FILE);
        let mut fast = 0;
        for style in [
            Style::PLAIN,
            Style {
                color: true,
                unicode: true,
                width: 60,
            },
        ] {
            let renderer = HumanRenderer::new(style);
            for (i, text) in texts.iter().enumerate() {
                let help = &texts[(i + 1) % texts.len()];
                let d = Diagnostic::new(Code::UnknownReference, at(FILE, "web", 0), text.clone()).help(help.clone());
                if renderer.fits_unwrapped(&d) {
                    fast += 1;
                    assert_eq!(
                        renderer.render_wrapping(&file, &d, false),
                        renderer.render_wrapping(&file, &d, true),
                        "{text:?} / {help:?}"
                    );
                }
            }
        }
        // The fast path is taken, for a good share of the real messages.
        assert!(fast * 3 > texts.len(), "{fast} of {} fit", 2 * texts.len());
    }

    #[test]
    fn a_warning_without_label_or_help() {
        let file = SourceFile::new("web.yaml", FILE);
        let d = Diagnostic::new(
            Code::UnknownReference,
            at(FILE, "clusterpro-x-9.9", 0),
            "unknown platform `clusterpro-x-9.9`",
        );
        let d = Diagnostic {
            severity: Severity::Warning,
            ..d
        };
        insta::assert_snapshot!(render(&file, &d));
    }

    #[test]
    fn places_far_apart_are_drawn_apart_and_near_ones_together() {
        let text: String = (1..=3_000).map(|i| format!("line{i}: x\n")).collect();
        let file = SourceFile::new("long.yaml", text.as_str());
        let at = |line: usize| {
            let start = text.find(&format!("line{line}:")).unwrap();
            start..start + format!("line{line}").len()
        };
        // The first place defined on line 1,000, again on line 1,900: two snippets of three
        // lines each, not the 900 lines between them.
        let d = Diagnostic::new(Code::DuplicateName, at(1_900), "again")
            .label("here")
            .related(at(1_000), "first");
        let out = render(&file, &d);
        assert!(
            out.contains("[long.yaml:1000:1]") && out.contains("[long.yaml:1900:1]"),
            "{out}"
        );
        assert!(!out.contains("line1450:"), "{out}");
        assert!(out.lines().count() < 30, "{out}");
        // A few lines apart: one snippet with the lines between.
        let d = Diagnostic::new(Code::DuplicateName, at(1_010), "again")
            .label("here")
            .related(at(1_000), "first");
        let out = render(&file, &d);
        assert!(out.contains("line1005:") && out.matches(",-[").count() == 1, "{out}");
    }

    #[test]
    fn an_empty_span_points_at_its_place() {
        let text = "a: 1\nb: [1, 2\n";
        let file = SourceFile::new("t.yaml", text);
        let d = Diagnostic::new(Code::YamlSyntax, 8..8, "unclosed bracket '['").label("here");
        let out = render(&file, &d);
        assert!(out.contains("[t.yaml:2:4]"), "{out}");
        insta::assert_snapshot!(out);

        // at the very end of the file, and in an empty file
        let d = Diagnostic::new(Code::YamlSyntax, text.len()..text.len(), "end").label("end");
        let out = render(&file, &d);
        assert!(out.contains("[t.yaml:3:1]"), "{out}");
        assert!(out.contains(" 2 | b: [1, 2\n   :         ^\n"), "{out}");
        let file = SourceFile::new("t.yaml", "a: [1\r\n");
        let out = render(&file, &Diagnostic::new(Code::YamlSyntax, 7..7, "end"));
        assert!(
            out.contains("[t.yaml:2:1]") && out.contains("a: [1\n   :      ^\n"),
            "{out}"
        );
        // an empty span at the end of the last line itself keeps its place
        let out = render(&file, &Diagnostic::new(Code::YamlSyntax, 5..5, "eol"));
        assert!(out.contains("[t.yaml:1:6]"), "{out}");
        let empty = SourceFile::new("e.yaml", "");
        let out = render(&empty, &Diagnostic::new(Code::YamlSyntax, 0..0, "empty"));
        assert!(out.contains("error[yaml-syntax]: empty"), "{out}");
    }

    #[test]
    fn columns_count_characters() {
        let text = "name: \"サーバ\"\nip: x\n";
        let file = SourceFile::new("t.yaml", text);
        let d = Diagnostic::new(Code::InvalidValue, at(text, "x", 0), "not an address");
        assert!(render(&file, &d).contains("[t.yaml:2:5]"));
        let d = Diagnostic::new(Code::InvalidName, at(text, "\"", 1), "quote");
        assert!(render(&file, &d).contains("[t.yaml:1:11]"));
    }

    #[test]
    fn spans_past_the_end_still_render() {
        let file = SourceFile::new("t.yaml", "a: é\n");
        let d = Diagnostic::new(Code::YamlSyntax, 4..400, "bad");
        let out = render(&file, &d);
        assert!(out.contains("error[yaml-syntax]: bad"), "{out}");
        assert!(!out.contains("Failed to read"), "{out}");
    }

    #[test]
    fn plain_output_has_no_escape_sequences() {
        let file = SourceFile::new("web.yaml", FILE);
        let d = Diagnostic::new(Code::InvalidValue, at(FILE, "web", 0), "x").help("y");
        let out = render(&file, &d);
        assert!(out.is_ascii() && !out.contains('\u{1b}'), "{out}");
        let coloured = HumanRenderer::new(Style {
            color: true,
            unicode: true,
            width: 80,
        })
        .render(&file, &d);
        assert!(coloured.contains('\u{1b}'));
    }

    #[test]
    fn escape_sequences_and_bidi_controls_in_messages_do_not_act() {
        let text = "name: x\n";
        let file = SourceFile::new("t.yaml", text);
        let d = Diagnostic::new(Code::InvalidName, 6..7, "`\u{1b}[2Jx\u{202e}` is bad")
            .label("a\u{1b}[31m")
            .related(0..4, "b\nc")
            .help("d\u{7}");
        let out = render(&file, &d);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202e}') && !out.contains('\u{7}'),
            "{out}"
        );
        assert!(out.contains(r"`\u{1b}[2Jx\u{202e}` is bad"), "{out}");
        assert!(
            out.contains(r"a\u{1b}[31m") && out.contains(r"b\nc") && out.contains(r"d\u{7}"),
            "{out}"
        );
        assert_eq!(printable("サーバ `web`"), "サーバ `web`");
        let named = SourceFile::new("x\u{1b}[2J.yaml", text);
        let out = render(&named, &d);
        assert!(out.contains(r"[x\u{1b}[2J.yaml:1:7]"), "{out}");
        let long = SourceFile::new("y\u{1b}.yaml", format!("name: {}\n", "x".repeat(2000)));
        let out = render(&long, &Diagnostic::new(Code::InvalidName, 6..7, "m"));
        assert!(out.contains(r"at y\u{1b}.yaml:1:7"), "{out}");
    }

    #[test]
    fn control_characters_in_the_source_are_drawn_harmless_in_place() {
        let text = "a: \u{1b}[2Jx\u{202e}y\u{85}z\u{7f}\nb: 1\n";
        let file = SourceFile::new("t.yaml", text);
        let at = text.find('z').unwrap();
        let d = Diagnostic::new(Code::YamlSyntax, at..at + 1, "bad").label("here");
        let out = render(&file, &d);
        assert!(out.contains(" 1 | a: ?[2Jx\u{fffd}y\u{bf}z?\n"), "{out}");
        assert!(out.contains("[t.yaml:1:12]"), "{out}");
        assert!(out.contains("\n   :            |\n"), "the mark stays under `z`: {out}");
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202e}') && !out.contains('\u{85}'),
            "{out}"
        );
    }

    #[test]
    fn a_very_long_line_is_shown_as_an_excerpt() {
        let text = format!("{{cluster: {{name: x}}, {}bad: 1}}\n", "k: v, ".repeat(400));
        let file = SourceFile::new("one-line.yaml", text.as_str());
        let at = text.find("bad").unwrap();
        let d = Diagnostic::new(Code::UnknownField, at..at + 3, "unknown key `bad`")
            .label("not a key")
            .related(1..8, "first")
            .help("remove it");
        let out = render(&file, &d);
        assert!(out.len() < 600, "{out}");
        assert_eq!(
            out,
            format!(
                "  error[unknown-field]: unknown key `bad`\n  at one-line.yaml:1:{}\n   | ..., k: v, k: v, k: v, bad: 1}}\n   |                        ^ not a key\n  and one-line.yaml:1:2: first\n  help: remove it\n\n",
                at + 1
            )
        );
    }

    #[test]
    fn excerpts_cut_at_characters_and_mark_the_column() {
        let file = SourceFile::new("t.yaml", "ab\nサ".to_string() + &"ー".repeat(70) + "バ\n");
        assert_eq!(excerpt(&file, 1), ("ab".to_string(), 1));
        let (text, column) = excerpt(&file, 3);
        assert_eq!((text.chars().count(), column), (43, 0));
        assert!(text.starts_with("サー") && text.ends_with("ー..."), "{text}");
        let end = file.text.len() - 1;
        let (text, column) = excerpt(&file, end);
        assert_eq!(column, 23);
        assert_eq!(text, format!("...{}", "ー".repeat(19)) + "バ");
        let (text, column) = excerpt(&file, end - 1);
        assert_eq!(
            text.chars().nth(column),
            Some('バ'),
            "an offset inside a character marks it"
        );
    }

    #[test]
    fn summary_lines_count_in_english_and_japanese() {
        let s = Summary {
            errors: 2,
            warnings: 1,
            notes: 0,
            files: 3,
            failed: 0,
        };
        assert_eq!(summary_line(&s, Language::En), "2 errors, 1 warning in 3 files");
        assert_eq!(summary_line(&s, Language::Ja), "エラー 2 件、警告 1 件 (ファイル 3 個)");
        let s = Summary {
            errors: 0,
            warnings: 0,
            notes: 1,
            files: 1,
            failed: 2,
        };
        assert_eq!(
            summary_line(&s, Language::En),
            "0 errors, 0 warnings, 1 note in 1 file; 2 paths could not be checked"
        );
        assert_eq!(
            summary_line(&s, Language::Ja),
            "エラー 0 件、警告 0 件、注記 1 件 (ファイル 1 個)。パス 2 個はチェックできませんでした"
        );
    }
}
