//! What the `hagen` binary does with a parsed command line, and the exit code it ends with.
//!
//! Kept apart from `main.rs` so that the whole program is a library call the tests can reach.
//! Exit codes are the contract of SPEC section 1: 0 no errors, 1 errors found, 2 usage or I/O
//! failure (which wins over 1). No input makes hagen panic or print a backtrace: a bug in a
//! check is reported as one line for that file and the other files are still checked.

use std::any::Any;
use std::cell::RefCell;
use std::io::{self, Write};
use std::panic;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::commands;
use crate::render::Summary;

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
        Command::Check(args) => commands::check::run(args),
        Command::Build(args) => commands::build::run(args),
        Command::Profiles(args) => commands::profiles::run(args),
        Command::Init(args) => commands::init::run(args),
        Command::Explain { code } => commands::explain::run(code),
        Command::LintScripts(args) => commands::lint_scripts::run(args),
        Command::Import(args) => commands::import::run(args),
        Command::Diff(args) => commands::diff::run(args),
        Command::Schema { kind, profiles } => commands::schema::run(*kind, profiles.as_deref()),
        Command::Graph { file, format, profiles } => commands::graph::run(file, *format, profiles.as_deref()),
        Command::Report { file, out, profiles } => commands::report::run(file, out, profiles.as_deref()),
        Command::Simulate {
            file,
            down,
            depth,
            format,
            out,
            profiles,
            deny,
        } => commands::simulate::run(&commands::simulate::Args {
            file,
            down,
            depth: *depth,
            format: *format,
            out: out.as_ref(),
            profiles: profiles.as_deref(),
            deny_warnings: deny.contains(&crate::cli::Deny::Warnings),
        }),
        Command::Completions { shell } => commands::completions::completions(*shell),
        Command::Man => commands::completions::man(),
        Command::Inventory { action } => commands::inventory::run(action),
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

pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
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
    use crate::diag::{Code, Diagnostic, Severity};

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
