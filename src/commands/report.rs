//! `hagen report FILE --out PAGE`: the review page of one cluster file.

use std::path::Path;

use super::reporter::{diagnostics_to_stderr, profiles_and_file};
use super::stdout::Output;
use crate::app::EXIT_FAILURE;
use crate::catalog::Catalog;
use crate::output;

/// `hagen report FILE --out PAGE`: the review page, written through the one atomic writer.
pub fn run(path: &Path, page: &Path, profiles: Option<&Path>) -> i32 {
    let mut out = Output::new();
    let (loaded, file) = match profiles_and_file(profiles, path, &mut out) {
        Ok(both) => both,
        Err(code) => return code,
    };
    let catalog = loaded.as_ref().unwrap_or(Catalog::builtin());
    let mut file = file;
    file.name = crate::report::shown_name(path, std::env::current_dir().ok().as_deref());
    let (diagnostics, html, language) = crate::pipeline::check_report(&file, catalog);
    let inputs: Vec<&Path> = [Some(path), profiles].into_iter().flatten().collect();
    if let Err(message) = output::write_file(page, html.as_bytes(), &inputs) {
        out.error_line(&message);
        return EXIT_FAILURE;
    }
    let _ = out.finish();
    diagnostics_to_stderr(&file, &diagnostics, language)
}
