//! `hagen graph FILE`: the start order drawn, also for a file with errors.

use std::path::Path;

use super::reporter::{diagnostics_to_stderr, profiles_and_file};
use super::stdout::Output;
use crate::app::EXIT_FAILURE;
use crate::catalog::Catalog;
use crate::cli::GraphFormat;

/// `hagen graph FILE`: the start-order graph, also for a file with errors (a cycle is drawn
/// highlighted).
pub fn run(path: &Path, format: GraphFormat, profiles: Option<&Path>) -> i32 {
    let mut out = Output::new();
    let (loaded, file) = match profiles_and_file(profiles, path, &mut out) {
        Ok(both) => both,
        Err(code) => return code,
    };
    let catalog = loaded.as_ref().unwrap_or(Catalog::builtin());
    let (diagnostics, graph, language) = crate::pipeline::check_graph_in_its_language(&file, catalog);
    if let Some(graph) = graph {
        out.write(&match format {
            GraphFormat::Dot => crate::graph::to_dot(&graph),
            GraphFormat::Mermaid => crate::graph::to_mermaid(&graph),
            GraphFormat::Svg => crate::graph::to_svg(&graph),
        });
    }
    if !out.finish() {
        return EXIT_FAILURE;
    }
    diagnostics_to_stderr(&file, &diagnostics, language)
}
