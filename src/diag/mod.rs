//! Diagnostics: what every check produces and every output format renders.
//!
//! A diagnostic points into one file with byte offsets; lines, columns and snippets are
//! derived from the [`SourceFile`](crate::source::SourceFile) when rendering. Checks collect
//! diagnostics into a [`Diagnostics`] list and never stop at the first one.

mod code;
pub mod explain;

use std::borrow::Cow;
use std::ops::Range;

pub use code::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A byte range in the file a diagnostic belongs to.
pub type Span = Range<usize>;

/// A second place that explains a diagnostic: the other definition of a duplicate, an edge of
/// a cycle, the rule a value contradicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// Label shown under the primary snippet; empty when the message says it all. Mostly a
    /// fixed text, which is then not copied into each of a long script's diagnostics.
    pub label: Cow<'static, str>,
    pub help: Option<String>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            span,
            label: Cow::Borrowed(""),
            help: None,
            related: Vec::new(),
        }
    }

    pub fn label(mut self, label: impl Into<Cow<'static, str>>) -> Self {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }
}

/// The diagnostics of one file, in the order they were found.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.list.push(diagnostic);
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error)
    }

    /// Sorted by position, then code, with exact repeats removed.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.list.sort_by(|a, b| {
            (a.span.start, a.span.end, a.code, &a.message).cmp(&(b.span.start, b.span.end, b.code, &b.message))
        });
        self.list.dedup();
        self.list
    }
}
