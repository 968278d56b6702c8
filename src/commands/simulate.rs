//! `hagen simulate FILE`: every failover scenario of a clean cluster file played out offline,
//! printed for people, as JSON, or as the acceptance test plan (markdown or HTML).

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::reporter::{diagnostics_to_stderr, profiles_and_file};
use super::stdout::Output;
use crate::app::{EXIT_ERRORS, EXIT_FAILURE, EXIT_OK};
use crate::catalog::Catalog;
use crate::output;
use crate::simulate::{self, Options};

/// The forms of `hagen simulate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimulateFormat {
    /// Each scenario's moves, steps and findings, for people.
    Human,
    /// One JSON object (SPEC section 8).
    Json,
    /// The acceptance test plan, in the cluster's language.
    Markdown,
    /// The acceptance test plan as one self-contained HTML page.
    Html,
}

/// What `hagen simulate` was given.
pub struct Args<'a> {
    pub file: &'a Path,
    pub down: &'a [String],
    pub depth: usize,
    pub format: SimulateFormat,
    pub out: Option<&'a PathBuf>,
    pub profiles: Option<&'a Path>,
    pub deny_warnings: bool,
}

/// `hagen simulate`: a file with errors is refused as `build` refuses it (its diagnostics,
/// exit 1); an unknown server in `--down` is a usage error (exit 2).
pub fn run(args: &Args) -> i32 {
    let mut out = Output::new();
    let (loaded, file) = match profiles_and_file(args.profiles, args.file, &mut out) {
        Ok(both) => both,
        Err(code) => return code,
    };
    let catalog = loaded.as_ref().unwrap_or(Catalog::builtin());
    let options = Options {
        down: args
            .down
            .iter()
            .map(|list| list.split(',').map(|s| s.trim().to_string()).collect())
            .collect(),
        depth: args.depth,
    };
    let (diagnostics, result, language) = crate::pipeline::simulate_in_its_language(&file, catalog, &options);
    let sim = match result {
        None => {
            let code = diagnostics_to_stderr(&file, &diagnostics, language);
            let _ = out.finish();
            return code.max(EXIT_ERRORS);
        }
        Some(Err(message)) => {
            out.error_line(&format!("{}: {message}", file.name));
            return EXIT_FAILURE;
        }
        Some(Ok(sim)) => sim,
    };
    let text = match args.format {
        SimulateFormat::Human => simulate::to_human(&sim),
        SimulateFormat::Json => simulate::to_json(&sim),
        SimulateFormat::Markdown => simulate::to_markdown(&sim),
        SimulateFormat::Html => simulate::to_html(&sim),
    };
    match args.out {
        Some(path) => {
            // Never over the input file or into the profiles folder.
            let inputs: Vec<&Path> = [Some(args.file), args.profiles].into_iter().flatten().collect();
            if let Err(message) = output::write_file(path, text.as_bytes(), &inputs) {
                out.error_line(&message);
                return EXIT_FAILURE;
            }
        }
        None => out.write(&text),
    }
    if !out.finish() {
        return EXIT_FAILURE;
    }
    // The file's warnings (errors were refused above) and the findings fail only when denied.
    if !diagnostics.is_empty() {
        diagnostics_to_stderr(&file, &diagnostics, language);
    }
    if args.deny_warnings && (!diagnostics.is_empty() || sim.finding_count() > 0) {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}
