//! One file per command: each turns its parsed arguments into work through the pipeline and
//! returns the exit code; `init` and `profiles` also hold what they print, as text or JSON,
//! so it can be tested without running the binary. What several commands share is in
//! `reporter` (the catalog to check against, diagnostics in every format) and `stdout`.

pub mod build;
pub mod check;
pub mod completions;
pub mod diff;
pub mod explain;
pub mod graph;
pub mod import;
pub mod init;
pub mod inventory;
pub mod lint_scripts;
pub mod profiles;
pub mod report;
mod reporter;
pub mod schema;
pub mod simulate;
mod stdout;
