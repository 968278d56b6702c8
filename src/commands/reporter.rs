//! What the commands that read cluster files share: the catalog they check against (built
//! in, or with the user's profiles), and the [`Reporter`] that prints every file's
//! diagnostics in the chosen format and decides the exit code.

use std::io::{self, Write};

use super::stdout::Output;
use crate::app::{EXIT_FAILURE, exit_code};
use crate::catalog::{Builtin, Catalog, CatalogSource};
use crate::cli::{Format, OutputArgs};
use crate::diag::Diagnostic;
use crate::input::{self, Input};
use crate::model::Language;
use crate::render::Summary;
use crate::render::human::{self, HumanRenderer, Style};
use crate::render::{github, json, sarif};
use crate::source::SourceFile;

/// The user profiles for commands that take `--profiles` (`None`: the built-in catalog), or
/// the reason they cannot be loaded.
pub(crate) fn profiles_of(profiles: Option<&std::path::Path>) -> Result<Option<Catalog>, String> {
    match profiles {
        None => Ok(None),
        Some(dir) => Catalog::with_profiles(dir).map(Some).map_err(|load| {
            format!(
                "{}: the profiles have problems; `hagen check --profiles` shows them at their places:\n{load}",
                human::printable(&dir.display().to_string())
            )
        }),
    }
}

/// The user's profiles (`None`: the built-in catalog) and the one cluster file of `graph`,
/// `report` and `simulate`; when either cannot be read, the reason is said on `out` and the
/// exit code returned.
pub(crate) fn profiles_and_file(
    profiles: Option<&std::path::Path>,
    path: &std::path::Path,
    out: &mut super::stdout::Output,
) -> Result<(Option<Catalog>, SourceFile), i32> {
    profiles_of(profiles)
        .and_then(|catalog| Ok((catalog, read_one(path)?)))
        .map_err(|message| {
            out.error_line(&message);
            crate::app::EXIT_FAILURE
        })
}

/// Reads the one cluster file of `graph` and `report`; an unreadable file is one line.
fn read_one(path: &std::path::Path) -> Result<SourceFile, String> {
    match input::read(path) {
        Ok(Input::Source(file)) => Ok(file),
        Ok(Input::TooLarge(file)) => Err(format!("{}: {}", file.name, input::too_large().message)),
        Err(err) => Err(err.to_string()),
    }
}

/// The diagnostics of `graph` and `report`, for people, on standard error (their standard
/// output is the graph), with the summary line in the file's `language`; the exit code as
/// `check` decides it.
pub(crate) fn diagnostics_to_stderr(file: &SourceFile, diagnostics: &[Diagnostic], language: Language) -> i32 {
    let renderer = HumanRenderer::new(Style::PLAIN);
    let mut summary = Summary::default();
    summary.add_file(diagnostics);
    let mut text = String::new();
    renderer.render_all(file, diagnostics, |one| text.push_str(&one));
    if !summary.is_clean() {
        text.push_str(&human::summary_line(&summary, language));
        text.push('\n');
    }
    let _ = io::stderr().write_all(text.as_bytes());
    exit_code(&summary, false, false)
}

/// The user's catalog when there is one; else the built-in catalog, which starts loading now
/// on another thread while the input is read and parsed.
pub(crate) fn catalog_source(loaded: &Option<Catalog>) -> &dyn CatalogSource {
    match loaded {
        Some(catalog) => catalog,
        None => {
            Catalog::preload_builtin();
            &Builtin
        }
    }
}

/// The user profiles of `check` and `build` (`None`: the built-in catalog); `Err` when a
/// profile is wrong or cannot be read, after reporting why like a cluster file's problems (in
/// the profile files, at their places, in the chosen format).
pub(crate) fn user_profiles(dir: Option<&std::path::Path>, report: &mut Reporter) -> Result<Option<Catalog>, ()> {
    let Some(dir) = dir else { return Ok(None) };
    match Catalog::with_profiles(dir) {
        Ok(catalog) => Ok(Some(catalog)),
        Err(load) => {
            for err in &load.io {
                report.io_error(&err.to_string());
            }
            for (file, diagnostics) in &load.files {
                report.file(file, diagnostics);
            }
            Err(())
        }
    }
}

/// Collects the diagnostics of every file, prints them in the chosen format, and decides the
/// exit code.
pub(crate) struct Reporter<'a> {
    args: &'a OutputArgs,
    renderer: HumanRenderer,
    pub(crate) out: Output,
    pub(crate) summary: Summary,
    /// How many of the files reported were cluster files in Japanese: when all are, the
    /// summary line is Japanese too.
    japanese: usize,
    json: Vec<json::JsonDiagnostic>,
}

impl<'a> Reporter<'a> {
    pub(crate) fn new(args: &'a OutputArgs) -> Self {
        Reporter {
            args,
            renderer: HumanRenderer::new(Style::for_stdout()),
            out: Output::new(),
            summary: Summary::default(),
            japanese: 0,
            json: Vec::new(),
        }
    }

    /// A cluster file's diagnostics, in the file's `language`.
    pub(crate) fn cluster_file(&mut self, file: &SourceFile, diagnostics: &[Diagnostic], language: Language) {
        self.japanese += usize::from(language == Language::Ja);
        self.file(file, diagnostics);
    }

    /// The language of the summary line: Japanese when every file checked is a cluster file
    /// in Japanese, else English (a run over files of both languages, or none).
    fn language(&self) -> Language {
        if self.summary.files > 0 && self.japanese == self.summary.files {
            Language::Ja
        } else {
            Language::En
        }
    }

    pub(crate) fn file(&mut self, file: &SourceFile, diagnostics: &[Diagnostic]) {
        self.summary.add_file(diagnostics);
        match self.args.format {
            Format::Human => {
                let out = &mut self.out;
                self.renderer.render_all(file, diagnostics, |one| out.write(&one));
            }
            Format::Json | Format::Sarif | Format::Github => {
                self.json.extend(diagnostics.iter().map(|d| json::diagnostic(file, d)))
            }
        }
    }

    pub(crate) fn io_error(&mut self, message: &str) {
        self.out.error_line(message);
        self.summary.failed += 1;
    }

    pub(crate) fn internal_error(&mut self, file: &SourceFile, message: &str) {
        self.io_error(&format!(
            "{}: internal error while checking this file (please report it): {message}",
            file.name
        ));
    }

    pub(crate) fn finish(mut self) -> i32 {
        match self.args.format {
            Format::Human => {
                // Quiet: the summary only accompanies diagnostics; read failures are on stderr.
                if !(self.args.quiet && self.summary.is_clean()) {
                    self.out.write(&human::summary_line(&self.summary, self.language()));
                    self.out.write("\n");
                }
            }
            Format::Json => {
                let json = std::mem::take(&mut self.json);
                self.out.write_json(&json::report(json, &self.summary));
            }
            Format::Sarif => {
                json::sort(&mut self.json);
                self.out.write_json(&sarif::log(&self.json));
            }
            Format::Github => {
                json::sort(&mut self.json);
                for d in &self.json {
                    self.out.write(&github::annotation(d));
                }
            }
        }
        let code = exit_code(&self.summary, self.args.deny_warnings(), self.summary.failed > 0);
        if self.out.finish() { code } else { EXIT_FAILURE }
    }
}
