//! `hagen lint-scripts FILE...`: the scripts a cluster runs today, linted.

use super::reporter::{Reporter, user_profiles};
use crate::catalog::Catalog;
use crate::cli::LintArgs;
use crate::input;

/// `hagen lint-scripts FILE...`: every readable script is linted (a start.bat with the
/// stop.bat of its folder); unreadable ones are one line each and make the exit code 2.
pub fn run(args: &LintArgs) -> i32 {
    let mut report = Reporter::new(&args.output);
    let Ok(loaded) = user_profiles(args.output.profiles.as_deref(), &mut report) else {
        return report.finish();
    };
    let catalog = loaded.as_ref().unwrap_or(Catalog::builtin());
    let mut inputs = Vec::new();
    for path in &args.files {
        match input::read_bytes(path) {
            Ok(bytes) => inputs.push(crate::lint::ScriptInput {
                path: path.clone(),
                bytes,
            }),
            Err(err) => report.io_error(&err.to_string()),
        }
    }
    let options = crate::lint::Options {
        ascii_only: args.language.as_deref() == Some("en"),
    };
    for (file, diagnostics) in crate::lint::lint_with(inputs, catalog, options) {
        report.file(&file, &diagnostics);
    }
    report.finish()
}
