//! `hagen diff OLD NEW`: the semantic changes between two sides, how each is applied, the
//! rollout and the rollback, in the chosen format on standard output.

use super::reporter::{diagnostics_to_stderr, profiles_of};
use super::stdout::Output;
use crate::app::{EXIT_ERRORS, EXIT_FAILURE, EXIT_OK};
use crate::catalog::Catalog;
use crate::cli::{DiffArgs, DiffFormat};
use crate::diff::{LoadError, Report};

/// Exit 0 (with `--exit-code`, 1 when there are changes); 2 when a side cannot be read or a
/// cluster file has errors (its diagnostics on standard error).
pub fn run(args: &DiffArgs) -> i32 {
    let mut out = Output::new();
    let loaded = match profiles_of(args.profiles.as_deref()) {
        Ok(loaded) => loaded,
        Err(message) => {
            out.error_line(&message);
            return EXIT_FAILURE;
        }
    };
    let catalog = loaded.as_ref().unwrap_or(Catalog::builtin());
    // Both cluster files are planned under NEW's file name, as its package would be built.
    let plan_as = (!args.new.is_dir())
        .then(|| args.new.file_name().map(|n| n.to_string_lossy().into_owned()))
        .flatten();
    let mut sides = Vec::with_capacity(2);
    for path in [&args.old, &args.new] {
        match crate::diff::load(path, catalog, plan_as.as_deref()) {
            Ok(side) => sides.push(side),
            Err(LoadError::Message(message)) => {
                out.error_line(&message);
                return EXIT_FAILURE;
            }
            Err(LoadError::Diagnostics(file, diagnostics)) => {
                // diff speaks English (its report is English whatever the files' language).
                diagnostics_to_stderr(&file, &diagnostics, crate::model::Language::En);
                out.error_line(&format!(
                    "{}: has errors; fix them before diffing it",
                    crate::render::human::printable(&file.name)
                ));
                return EXIT_FAILURE;
            }
        }
    }
    let new = sides.pop().expect("two sides");
    let old = sides.pop().expect("two sides");
    let report = Report::new(old, new);
    out.write(&match args.format {
        DiffFormat::Human => crate::diff::human::render(&report),
        DiffFormat::Json => crate::diff::json::render(&report),
        DiffFormat::Markdown => crate::diff::markdown::render(&report),
        DiffFormat::Github => crate::diff::github::render(&report),
    });
    if !out.finish() {
        return EXIT_FAILURE;
    }
    if args.exit_code && !report.changes.is_empty() {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}
