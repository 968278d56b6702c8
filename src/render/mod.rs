//! Printing diagnostics: [`human`] for people (miette snippets), [`json`] for tools
//! (SPEC section 4), [`sarif`] for code-scanning services and [`github`] for workflow
//! annotations.
//!
//! Renderers only format: positions, snippets and counts are derived here from the
//! [`SourceFile`](crate::source::SourceFile) a diagnostic points into, and what to print
//! where, and the exit code, are decided in [`crate::app`].

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::diag::{Diagnostic, Severity};

/// What a run found, counted over every file checked.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Files that were read and checked (files that could not be read are not counted).
    pub files: usize,
    /// Paths that could not be read or checked (reported on stderr, not counted in `files`).
    pub failed: usize,
}

impl Summary {
    /// Counts the diagnostics of one more checked file.
    pub fn add_file(&mut self, diagnostics: &[Diagnostic]) {
        self.files += 1;
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Note => self.notes += 1,
            }
        }
    }

    /// Whether there is anything to report at all.
    pub fn is_clean(&self) -> bool {
        self.errors == 0 && self.warnings == 0 && self.notes == 0
    }
}
