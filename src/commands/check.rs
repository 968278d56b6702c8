//! `hagen check FILE|DIR...`: every file is read and checked on every core, and reported in
//! the order given.

use std::io::{self, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;

use super::reporter::{Reporter, catalog_source, user_profiles};
use crate::app::panic_message;
use crate::catalog::CatalogSource;
use crate::cli::CheckArgs;
use crate::diag::Diagnostic;
use crate::input::{self, Input, InputError};
use crate::model::Language;
use crate::pipeline::check_file_in_its_language;

/// `hagen check`: every file is read and checked even when others fail.
pub fn run(args: &CheckArgs) -> i32 {
    let mut report = Reporter::new(&args.output);
    let Ok(loaded) = user_profiles(args.output.profiles.as_deref(), &mut report) else {
        return report.finish();
    };
    let catalog = catalog_source(&loaded);
    let items = input::expand(&args.paths);
    let mut progress = Progress::new(items.len());
    let mut done = 0;
    // Files are read and checked on every core; their results are reported here, in the
    // order of `items`, so the output is the same as checking them one by one.
    let work = |item: Result<PathBuf, InputError>| -> Result<(Input, Result<Checked, String>), InputError> {
        let input = item.and_then(|path| input::read(&path))?;
        let outcome = diagnose(&input, catalog);
        Ok((input, outcome))
    };
    crate::parallel::map_in_order(items, crate::parallel::threads(), work, |checked| {
        progress.show(done);
        done += 1;
        let (input, outcome) = match checked {
            Ok(checked) => checked,
            Err(err) => {
                progress.clear();
                report.io_error(&err.to_string());
                return;
            }
        };
        progress.clear_if(outcome.as_ref().map_or(true, |(d, _)| !d.is_empty()));
        match outcome {
            Ok((diagnostics, language)) => report.cluster_file(input.file(), &diagnostics, language),
            Err(message) => report.internal_error(input.file(), &message),
        }
    });
    progress.clear();
    report.finish()
}

/// `checked N/M files` on standard error while a long run goes on, only when standard error
/// is a terminal (never in a pipe, a log or CI), redrawn at most ten times a second and wiped
/// before anything else is printed.
struct Progress {
    total: usize,
    enabled: bool,
    started: std::time::Instant,
    drawn: Option<std::time::Instant>,
}

impl Progress {
    fn new(total: usize) -> Self {
        use std::io::IsTerminal;
        Progress {
            total,
            enabled: total > 1 && io::stderr().is_terminal(),
            started: std::time::Instant::now(),
            drawn: None,
        }
    }

    fn show(&mut self, done: usize) {
        let now = std::time::Instant::now();
        // Short runs never show it; then at most every 100 ms.
        let due = now.duration_since(self.started).as_millis() >= 300
            && self.drawn.is_none_or(|t| now.duration_since(t).as_millis() >= 100);
        if self.enabled && due {
            let _ = write!(io::stderr(), "\rhagen: checked {done}/{} files", self.total);
            self.drawn = Some(now);
        }
    }

    fn clear_if(&mut self, yes: bool) {
        if yes {
            self.clear();
        }
    }

    fn clear(&mut self) {
        if self.drawn.take().is_some() {
            let _ = write!(io::stderr(), "\r\x1b[2K");
        }
    }
}

/// The diagnostics of one file and the language they are in.
type Checked = (Vec<Diagnostic>, Language);

/// The diagnostics of one file; a panic in a check becomes `Err` with its message.
fn diagnose(input: &Input, catalog: &dyn CatalogSource) -> Result<Checked, String> {
    match input {
        Input::TooLarge(_) => Ok((vec![input::too_large()], Language::En)),
        Input::Source(file) => panic::catch_unwind(AssertUnwindSafe(|| check_file_in_its_language(file, catalog)))
            .map_err(|payload| panic_message(&*payload)),
    }
}
