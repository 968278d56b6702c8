//! `hagen lint-scripts`: static analysis of start.bat and stop.bat files people already run.
//!
//! hagen's own scripts are correct by construction (SPEC section 5); the scripts copied from
//! the PP guides' samples and edited by hand over the years are not. This module reads them in
//! either dialect (`ARMS_*` of CLUSTERPRO 6.0-8.0, `CLP_*` of CLUSTERPRO X), finds what makes
//! cmd.exe do something other than what the cluster means, and reports it through the same
//! [`Diagnostic`] machinery as `check`, so every output format and `--deny warnings` work.
//!
//! The product knowledge (which service must never stop, which product forbids ARMLOAD /M)
//! comes from the catalog. Rules never do I/O: `app` reads the files and hands over bytes.
//! A start.bat is paired with the stop.bat of the same folder (`x-start.bat` with
//! `x-stop.bat` too) for the rules that compare them.

mod decode;
pub mod flow;
pub mod rules;
pub mod script;

use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::diag::{Diagnostic, Diagnostics};
use crate::source::SourceFile;

pub use decode::{Decoded, Saved};
pub use script::Script;

/// One script as read from disk.
#[derive(Debug, Clone)]
pub struct ScriptInput {
    /// The path as given: it names the file in diagnostics and finds its partner.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// What the user says about the scripts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// The scripts are `en` ones, which hagen writes in ASCII (SPEC section 5): any other
    /// character is a finding.
    pub ascii_only: bool,
}

/// A script with what its bytes said, its control flow, and the findings so far.
pub struct Linted {
    pub options: Options,
    pub saved: Saved,
    pub script: Script,
    /// The script's labels by name, its control-flow graph, and the cluster state reaching
    /// each line: built once, read by every rule that follows the flow.
    pub labels: flow::Labels,
    pub flow: flow::Flow,
    pub states: Vec<flow::State>,
    /// The file is a stop script (its name ends in `stop.bat`): the cluster runs it for START
    /// and FAILOVER only, to stop the group.
    pub stop: bool,
    pub diagnostics: Diagnostics,
}

impl Linted {
    pub fn new(path: &Path, bytes: Vec<u8>, options: Options) -> Linted {
        let Decoded { text, saved } = decode::decode_owned(bytes);
        let file = SourceFile::new(path.display().to_string(), text);
        let script = Script::parse(file);
        let labels = flow::Labels::new(&script);
        let graph = flow::Flow::new(&script, &labels);
        let states = graph.states(&script);
        let stop = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.to_ascii_lowercase().ends_with("stop.bat"));
        Linted {
            options,
            saved,
            script,
            labels,
            flow: graph,
            states,
            stop,
            diagnostics: Diagnostics::default(),
        }
    }

    /// The prefix of the cluster's variables the script uses: `ARMS` (CLUSTERPRO 6.0-8.0) or
    /// `CLP` (CLUSTERPRO X, also when the script names neither).
    pub fn dialect(&self) -> &'static str {
        let arms = self
            .script
            .lines
            .iter()
            .any(|l| matches!(&l.condition, Some(Some(c)) if c.variable.starts_with("ARMS_")));
        if arms { "ARMS" } else { "CLP" }
    }
}

/// Lints every script; returns each file with its diagnostics sorted by place, in input order.
pub fn lint(inputs: &[ScriptInput], catalog: &Catalog) -> Vec<(SourceFile, Vec<Diagnostic>)> {
    lint_with(inputs.to_vec(), catalog, Options::default())
}

/// [`lint`], with what the user says about the scripts, which it takes: each script's bytes
/// become its text (without a copy when they are ASCII or UTF-8).
pub fn lint_with(inputs: Vec<ScriptInput>, catalog: &Catalog, options: Options) -> Vec<(SourceFile, Vec<Diagnostic>)> {
    let pairs = pairs(&inputs);
    let mut linted: Vec<Linted> = inputs
        .into_iter()
        .map(|input| Linted::new(&input.path, input.bytes, options))
        .collect();
    for item in &mut linted {
        rules::check_file(item, catalog);
    }
    for (start, stop) in pairs {
        let (a, b) = if start < stop {
            let (left, right) = linted.split_at_mut(stop);
            (&mut left[start], &mut right[0])
        } else {
            let (left, right) = linted.split_at_mut(start);
            (&mut right[0], &mut left[stop])
        };
        rules::check_pair(a, b, catalog);
    }
    // Every script's lines, flow and states are dropped before the first sort: the sort's
    // buffer and the findings never come on top of them.
    let found: Vec<(SourceFile, Diagnostics)> = linted.into_iter().map(|l| (l.script.file, l.diagnostics)).collect();
    found
        .into_iter()
        .map(|(file, diagnostics)| (file, diagnostics.into_sorted()))
        .collect()
}

/// The (start, stop) index pairs: the same folder, and names that differ only in `start`
/// against `stop` at the end (`start.bat`/`stop.bat`, `web-start.bat`/`web-stop.bat`), in any
/// case.
fn pairs(inputs: &[ScriptInput]) -> Vec<(usize, usize)> {
    let key = |path: &Path, suffix: &str| -> Option<(PathBuf, String)> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let stem = name.strip_suffix(suffix)?.to_string();
        Some((path.parent().unwrap_or(Path::new("")).to_path_buf(), stem))
    };
    let mut out = Vec::new();
    for (i, a) in inputs.iter().enumerate() {
        let Some(wanted) = key(&a.path, "start.bat") else {
            continue;
        };
        if let Some(j) = inputs
            .iter()
            .position(|b| key(&b.path, "stop.bat").as_ref() == Some(&wanted))
        {
            out.push((i, j));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(path: &str) -> ScriptInput {
        ScriptInput {
            path: PathBuf::from(path),
            bytes: b"exit\r\n".to_vec(),
        }
    }

    #[test]
    fn scripts_pair_by_folder_and_name() {
        let inputs = [
            input("a/start.bat"),
            input("b/STOP.BAT"),
            input("a/stop.bat"),
            input("b/web-start.bat"),
            input("b/web-stop.bat"),
            input("b/START.BAT"),
        ];
        assert_eq!(pairs(&inputs), [(0, 2), (3, 4), (5, 1)]);
    }
}
