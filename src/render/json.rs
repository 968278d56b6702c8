//! Diagnostics for tools: the one JSON object of SPEC section 4.
//!
//! The shape is public (CI gates and editors parse it), so it is spelled out as serde structs
//! and pinned by a snapshot test; `format_version` changes if a field ever changes meaning.

use serde::Serialize;

use super::Summary;
use crate::diag::{Diagnostic, Span};
use crate::source::SourceFile;

/// The version of this object's layout.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Report {
    pub format_version: u32,
    pub tool: Tool,
    pub diagnostics: Vec<JsonDiagnostic>,
    pub summary: JsonSummary,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

/// One diagnostic with its place resolved to 1-based lines and character columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// The text the span covers; for an empty span, the whole line it is on.
    pub snippet: String,
    pub help: Option<String>,
    pub related: Vec<JsonRelated>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonRelated {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct JsonSummary {
    pub errors: usize,
    pub warnings: usize,
    pub files: usize,
}

/// Resolves a diagnostic of `file` to its JSON form (so the file's text can be dropped).
pub fn diagnostic(file: &SourceFile, d: &Diagnostic) -> JsonDiagnostic {
    let start = file.position(d.span.start);
    let end = file.position(d.span.end.max(d.span.start));
    JsonDiagnostic {
        code: d.code.name(),
        severity: d.severity.name(),
        message: d.message.clone(),
        file: file.name.clone(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        snippet: snippet(file, &d.span),
        help: d.help.clone(),
        related: d
            .related
            .iter()
            .map(|r| {
                let start = file.position(r.span.start);
                let end = file.position(r.span.end.max(r.span.start));
                JsonRelated {
                    file: file.name.clone(),
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    message: r.message.clone(),
                }
            })
            .collect(),
    }
}

fn snippet(file: &SourceFile, span: &Span) -> String {
    if span.end > span.start {
        return file.slice(span.clone()).to_string();
    }
    let text = &file.text;
    let mut at = span.start.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    text[line_start..line_end].trim_end_matches('\r').to_string()
}

/// The whole report, pretty-printed with a trailing newline; diagnostics sorted by file, line,
/// column and code.
/// The order of every machine format: file, line, column, code.
pub fn sort(diagnostics: &mut [JsonDiagnostic]) {
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column, a.code).cmp(&(&b.file, b.line, b.column, b.code)));
}

/// The object, sorted; the commands write it straight to the output as indented JSON, so
/// that a list of 200,000 diagnostics is not also held as one string.
pub fn report(mut diagnostics: Vec<JsonDiagnostic>, summary: &Summary) -> Report {
    sort(&mut diagnostics);
    Report {
        format_version: FORMAT_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        diagnostics,
        summary: JsonSummary {
            errors: summary.errors,
            warnings: summary.warnings,
            files: summary.files,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    /// The object as the commands print it.
    fn render(diagnostics: Vec<JsonDiagnostic>, summary: &Summary) -> String {
        serde_json::to_string_pretty(&report(diagnostics, summary)).unwrap() + "\n"
    }

    #[test]
    fn the_report_has_the_shape_of_the_spec() {
        let text = "cluster:\n  name: web\ngroups:\n  - name: web\n  - name: \"ウェブ\"\n    x: 1\n";
        let file = SourceFile::new("b.yaml", text);
        let second = text.rfind("web").unwrap();
        let first = text[..second].rfind("web").unwrap();
        let x = text.find("x: 1").unwrap();
        let diags = [
            Diagnostic::new(Code::UnknownField, x..x + 1, "unknown key `x`").help("did you mean `ip`?"),
            Diagnostic::new(Code::DuplicateName, second..second + 3, "two groups are named `web`")
                .related(first..first + 3, "first definition"),
            Diagnostic::new(Code::MissingField, x..x, "missing key `apps`"),
        ];
        let other = SourceFile::new("a.yaml", "a: 1\n");
        let mut summary = Summary::default();
        summary.add_file(&diags);
        let yaml_error = [Diagnostic::new(Code::YamlSyntax, 5..5, "end")];
        summary.add_file(&yaml_error);
        let mut list: Vec<_> = diags.iter().map(|d| diagnostic(&file, d)).collect();
        list.push(diagnostic(&other, &yaml_error[0]));
        insta::assert_snapshot!(render(list, &summary));
    }

    #[test]
    fn positions_count_characters_and_end_at_the_span_end() {
        let text = "name: \"サーバ\"\r\nip: 1\n";
        let file = SourceFile::new("t.yaml", text);
        let start = text.find('"').unwrap();
        let end = text.rfind('"').unwrap() + 1;
        let d = diagnostic(&file, &Diagnostic::new(Code::InvalidName, start..end, "bad"));
        assert_eq!((d.line, d.column, d.end_line, d.end_column), (1, 7, 1, 12));
        assert_eq!(d.snippet, "\"サーバ\"");
        assert_eq!(d.help, None);

        let ip = text.find("ip").unwrap();
        let d = diagnostic(&file, &Diagnostic::new(Code::MissingField, ip + 2..ip + 2, "x"));
        assert_eq!((d.line, d.column, d.end_line, d.end_column), (2, 3, 2, 3));
        assert_eq!(d.snippet, "ip: 1");
        let d = diagnostic(&file, &Diagnostic::new(Code::MissingField, 2..2, "x"));
        assert_eq!(d.snippet, "name: \"サーバ\"", "the line ending is not part of it");
    }

    #[test]
    fn help_is_null_when_absent() {
        let file = SourceFile::new("t.yaml", "a: 1\n");
        let out = render(
            vec![diagnostic(&file, &Diagnostic::new(Code::YamlSyntax, 0..0, "x"))],
            &Summary::default(),
        );
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(value["diagnostics"][0]["help"].is_null());
        assert!(out.ends_with("}\n"));
    }
}
