//! The parse-only pass of the benchmark: each file read as `hagen check` reads it (the same
//! input rules), parsed into the spanned YAML tree, and nothing more: no decoding, no
//! catalog, no checks.
//!
//! SPEC section 7 bounds `hagen check` at 1.5x this time, so this is the floor hagen's own
//! work is measured against. It prints the number of YAML values it saw, which keeps the
//! tree from being optimised away and lets the benchmark see that it really parsed.

use std::path::PathBuf;
use std::process::ExitCode;

use hagen::input::{self, Input};
use hagen::yaml::{self, Kind, Node};

/// The allocator `hagen` itself uses (src/main.rs), so that the floor is measured on the
/// same footing.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn count(node: &Node) -> usize {
    1 + match &node.kind {
        Kind::Seq(items) => items.iter().map(count).sum(),
        Kind::Map(entries) => entries.iter().map(|(k, v)| count(k) + count(v)).sum(),
        _ => 0,
    }
}

fn main() -> ExitCode {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        eprintln!("usage: parse-only PATH...");
        return ExitCode::from(2);
    }
    let (mut values, mut files, mut failed) = (0, 0, false);
    for item in input::expand(&paths) {
        match item.and_then(|path| input::read(&path)) {
            Ok(Input::Source(file)) => match yaml::parse(&file) {
                Ok(root) => {
                    values += count(&root);
                    files += 1;
                }
                Err(d) => {
                    eprintln!("{}: {}", file.name, d.message);
                    failed = true;
                }
            },
            Ok(Input::TooLarge(file)) => {
                eprintln!("{}: too large", file.name);
                failed = true;
            }
            Err(err) => {
                eprintln!("{err}");
                failed = true;
            }
        }
    }
    println!("{values} YAML values in {files} files");
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
