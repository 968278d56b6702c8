//! `hagen import CLP.CONF [--scripts DIR]`: an existing CLUSTERPRO X cluster as a cluster
//! file.

use std::io::{self, Write};

use super::stdout::Output;
use crate::app::{EXIT_FAILURE, EXIT_OK};
use crate::catalog::Catalog;
use crate::cli::ImportArgs;
use crate::input;

/// `hagen import CLP.CONF [--scripts DIR]`: the cluster file on standard output, a summary on
/// standard error; an unreadable clp.conf or folder is one line and exit 2.
pub fn run(args: &ImportArgs) -> i32 {
    let mut out = Output::new();
    let package = match args.scripts.as_deref().map(crate::import::read_package).transpose() {
        Ok(package) => package,
        Err(message) => {
            out.error_line(&message);
            return EXIT_FAILURE;
        }
    };
    let bytes = match input::read_bytes(&args.file) {
        Ok(bytes) => bytes,
        Err(err) => {
            out.error_line(&err.to_string());
            return EXIT_FAILURE;
        }
    };
    let name = args.file.display().to_string();
    // Messages show the path with its control characters escaped, as every other command does.
    let shown = crate::render::human::printable(&name);
    match crate::import::import(&name, &bytes, package.as_ref(), Catalog::builtin()) {
        Ok(imported) => {
            out.write(&imported.yaml);
            let ok = out.finish();
            let _ = writeln!(
                io::stderr(),
                "hagen: imported {shown}: {} groups, {} notes (`# note:` lines)",
                imported.groups,
                imported.notes
            );
            if ok { EXIT_OK } else { EXIT_FAILURE }
        }
        Err(reason) => {
            out.error_line(&format!("{shown}: {reason}"));
            EXIT_FAILURE
        }
    }
}
