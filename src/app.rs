//! What the `hagen` binary does with a parsed command line, and the exit code it ends with.
//!
//! Kept apart from `main.rs` so that the whole program is a library call the tests can reach.
//! Exit codes are the contract of SPEC section 1: 0 no errors, 1 errors found, 2 usage or I/O
//! failure (which wins over 1). No input makes hagen panic or print a backtrace: a bug in a
//! check is reported as one line for that file and the other files are still checked.

use std::any::Any;
use std::cell::RefCell;
use std::io::{self, BufWriter, Stdout, Write};
use std::panic::{self, AssertUnwindSafe};

use clap::Parser;

use crate::catalog::Catalog;
use crate::check::check_file;
use crate::cli::{CheckArgs, Cli, Command, Format};
use crate::diag::Diagnostic;
use crate::input::{self, Input, InputError};
use crate::render::Summary;
use crate::render::human::{self, HumanRenderer, Style};
use crate::render::json;

/// No errors (warnings allowed unless denied).
pub const EXIT_OK: i32 = 0;
/// Errors were found in the files.
pub const EXIT_ERRORS: i32 = 1;
/// The command line was wrong, or a file could not be read.
pub const EXIT_FAILURE: i32 = 2;

/// Runs the program with the process's arguments; returns the exit code.
pub fn main() -> i32 {
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr
            // (exit 2, its usage code).
            let _ = err.print();
            return err.exit_code();
        }
    };
    match panic::catch_unwind(|| run(&cli)) {
        Ok(code) => code,
        Err(payload) => {
            let _ = writeln!(io::stderr(), "hagen: internal error: {}", panic_message(&*payload));
            EXIT_FAILURE
        }
    }
}

fn run(cli: &Cli) -> i32 {
    match &cli.command {
        Command::Check(args) => check(args),
    }
}

/// `hagen check`: every file is read and checked even when others fail.
pub fn check(args: &CheckArgs) -> i32 {
    let catalog = Catalog::builtin();
    let renderer = HumanRenderer::new(Style::for_stdout());
    let mut out = Output::new();
    let mut summary = Summary::default();
    let mut json_diagnostics = Vec::new();

    for item in input::expand(&args.paths) {
        let input = match item.and_then(|path| input::read(&path)) {
            Ok(input) => input,
            Err(err) => {
                out.io_error(&err);
                summary.failed += 1;
                continue;
            }
        };
        let diagnostics = match diagnose(&input, catalog) {
            Ok(diagnostics) => diagnostics,
            Err(message) => {
                out.error_line(&format!(
                    "{}: internal error while checking this file (please report it): {message}",
                    input.file().name
                ));
                summary.failed += 1;
                continue;
            }
        };
        summary.add_file(&diagnostics);
        let file = input.file();
        match args.format {
            Format::Human => {
                for d in &diagnostics {
                    out.write(&renderer.render(file, d));
                }
            }
            Format::Json => {
                json_diagnostics.extend(diagnostics.iter().map(|d| json::diagnostic(file, d)));
            }
        }
    }
    match args.format {
        Format::Human => {
            // Quiet: the summary only accompanies diagnostics; read failures are on stderr.
            if !(args.quiet && summary.is_clean()) {
                out.write(&human::summary_line(&summary));
                out.write("\n");
            }
        }
        Format::Json => out.write(&json::render(json_diagnostics, &summary)),
    }
    let code = exit_code(&summary, args.deny_warnings(), summary.failed > 0);
    if out.finish() { code } else { EXIT_FAILURE }
}

/// The diagnostics of one file; a panic in a check becomes `Err` with its message.
fn diagnose(input: &Input, catalog: &Catalog) -> Result<Vec<Diagnostic>, String> {
    match input {
        Input::TooLarge(_) => Ok(vec![input::too_large()]),
        Input::Source(file) => panic::catch_unwind(AssertUnwindSafe(|| check_file(file, catalog)))
            .map_err(|payload| panic_message(&*payload)),
    }
}

/// The exit code for what was found: I/O failure wins over errors; with `deny_warnings`,
/// warnings count as errors.
pub fn exit_code(summary: &Summary, deny_warnings: bool, io_failed: bool) -> i32 {
    if io_failed {
        EXIT_FAILURE
    } else if summary.errors > 0 || (deny_warnings && summary.warnings > 0) {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}

/// Standard output, buffered; a reader that went away (broken pipe) ends output quietly, any
/// other write error is reported once.
struct Output {
    inner: BufWriter<Stdout>,
    error: Option<io::Error>,
}

impl Output {
    fn new() -> Self {
        Output {
            inner: BufWriter::new(io::stdout()),
            error: None,
        }
    }

    fn write(&mut self, text: &str) {
        if self.error.is_none()
            && let Err(err) = self.inner.write_all(text.as_bytes())
        {
            self.error = Some(err);
        }
    }

    /// `hagen: PATH: REASON` on stderr, after what stdout holds so far.
    fn io_error(&mut self, err: &InputError) {
        self.error_line(&err.to_string());
    }

    fn error_line(&mut self, line: &str) {
        if self.error.is_none()
            && let Err(err) = self.inner.flush()
        {
            self.error = Some(err);
        }
        let _ = writeln!(io::stderr(), "hagen: {line}");
    }

    /// Flushes; false when output could not be written for a reason other than a closed pipe.
    fn finish(mut self) -> bool {
        if self.error.is_none()
            && let Err(err) = self.inner.flush()
        {
            self.error = Some(err);
        }
        match self.error {
            None => true,
            Some(err) if err.kind() == io::ErrorKind::BrokenPipe => true,
            Some(err) => {
                let _ = writeln!(io::stderr(), "hagen: cannot write to standard output: {err}");
                false
            }
        }
    }
}

thread_local! {
    static PANIC_PLACE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Replaces Rust's panic printout (message, backtrace hint) with nothing: panics are caught
/// and reported as one line by [`main`] and [`check`]. The place of the panic is kept for that
/// line.
fn install_panic_hook() {
    panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
        PANIC_PLACE.with(|p| *p.borrow_mut() = place);
    }));
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    let message = if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    };
    match PANIC_PLACE.with(|p| p.borrow_mut().take()) {
        Some(place) => format!("{message} (at {place})"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Code, Severity};

    fn summary_of(diagnostics: &[Diagnostic]) -> Summary {
        let mut summary = Summary::default();
        summary.add_file(diagnostics);
        summary
    }

    fn warning() -> Diagnostic {
        let d = Diagnostic::new(
            Code::PortUnused,
            0..3,
            "tcp/in 29001-29005 is not used by this platform",
        );
        assert_eq!(d.severity, Severity::Warning);
        d
    }

    #[test]
    fn warnings_pass_unless_denied() {
        let summary = summary_of(&[warning()]);
        assert_eq!(exit_code(&summary, false, false), EXIT_OK);
        assert_eq!(exit_code(&summary, true, false), EXIT_ERRORS);
    }

    #[test]
    fn errors_fail_and_io_failure_wins() {
        let error = Diagnostic::new(Code::YamlSyntax, 0..0, "bad");
        let summary = summary_of(&[error, warning()]);
        assert_eq!(exit_code(&summary, false, false), EXIT_ERRORS);
        assert_eq!(exit_code(&summary, false, true), EXIT_FAILURE);
        assert_eq!(exit_code(&Summary::default(), true, false), EXIT_OK);
        assert_eq!(exit_code(&Summary::default(), false, true), EXIT_FAILURE);
    }

    #[test]
    fn notes_never_fail() {
        let mut note = warning();
        note.severity = Severity::Note;
        assert_eq!(exit_code(&summary_of(&[note]), true, false), EXIT_OK);
    }

    #[test]
    fn panic_payloads_become_messages() {
        let payload: Box<dyn Any + Send> = Box::new(String::from("boom"));
        assert_eq!(panic_message(&*payload), "boom");
        PANIC_PLACE.with(|p| *p.borrow_mut() = Some("src/x.rs:3".into()));
        let payload: Box<dyn Any + Send> = Box::new("bang");
        assert_eq!(panic_message(&*payload), "bang (at src/x.rs:3)");
    }
}
