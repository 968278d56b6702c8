//! `hagen build FILE --out DIR`: check one file and, when it is clean, write (or with
//! `--check`, compare) its package through the one atomic writer.

use std::panic::{self, AssertUnwindSafe};

use super::reporter::{Reporter, catalog_source, user_profiles};
use crate::app::{EXIT_ERRORS, panic_message};
use crate::cli::{BuildArgs, Format};
use crate::input::{self, Input};
use crate::output;
use crate::pipeline::check_and_plan_in_its_language;
use crate::render::human;

/// `hagen build`: check one file; when it is clean, write (or with `--check`, compare) its
/// package.
pub fn run(args: &BuildArgs) -> i32 {
    let mut report = Reporter::new(&args.output);
    let Ok(loaded) = user_profiles(args.output.profiles.as_deref(), &mut report) else {
        return report.finish();
    };
    let catalog = catalog_source(&loaded);
    let file = match input::read(&args.file) {
        Ok(Input::Source(file)) => file,
        Ok(Input::TooLarge(file)) => {
            report.file(&file, &[input::too_large()]);
            return report.finish();
        }
        Err(err) => {
            report.io_error(&err.to_string());
            return report.finish();
        }
    };
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        let (diagnostics, plan, language) = check_and_plan_in_its_language(&file, catalog, true);
        (diagnostics, plan.map(|p| crate::emit::package(&p)), language)
    }));
    let (diagnostics, package, language) = match outcome {
        Ok(result) => result,
        Err(payload) => {
            report.internal_error(&file, &panic_message(&*payload));
            return report.finish();
        }
    };
    report.cluster_file(&file, &diagnostics, language);
    let denied = args.output.deny_warnings() && report.summary.warnings > 0;
    let (Some(files), false) = (package, denied) else {
        return report.finish();
    };
    if args.check {
        let stale = match output::stale_files(&args.out, &files) {
            Ok(stale) => stale,
            Err(message) => {
                report.io_error(&message);
                return report.finish();
            }
        };
        for line in &stale {
            report.out.write(&format!(
                "{}/{line}\n",
                human::printable(&args.out.display().to_string())
            ));
        }
        let code = report.finish();
        return if stale.is_empty() { code } else { code.max(EXIT_ERRORS) };
    }
    let inputs: Vec<&std::path::Path> = [Some(&*args.file), args.output.profiles.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if let Err(message) = output::write_package(&args.out, &files, &inputs) {
        report.io_error(&message);
        return report.finish();
    }
    if !args.output.quiet && args.output.format == Format::Human {
        report.out.write(&format!(
            "wrote {} files to {}\n",
            files.len(),
            human::printable(&args.out.display().to_string())
        ));
    }
    report.finish()
}
