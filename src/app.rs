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
use std::path::PathBuf;

use clap::Parser;

use crate::catalog::{Builtin, Catalog, CatalogSource};
use crate::check::{check_and_plan, check_file};
use crate::cli::{
    BuildArgs, CheckArgs, Cli, Command, DataFormat, Format, GraphFormat, ImportArgs, InitArgs, LintArgs, OutputArgs,
    ProfilesAction, ProfilesArgs, SchemaKind, Shell,
};
use crate::diag::Diagnostic;
use crate::input::{self, Input, InputError};
use crate::output;
use crate::render::Summary;
use crate::render::human::{self, HumanRenderer, Style};
use crate::render::{github, json, sarif};
use crate::source::SourceFile;

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
        Command::Build(args) => build(args),
        Command::Profiles(args) => profiles(args),
        Command::Init(args) => init(args),
        Command::Explain { code } => explain(code),
        Command::LintScripts(args) => lint_scripts(args),
        Command::Import(args) => import(args),
        Command::Schema { kind, profiles } => schema(*kind, profiles.as_deref()),
        Command::Graph { file, format, profiles } => graph(file, *format, profiles.as_deref()),
        Command::Report { file, out, profiles } => report(file, out, profiles.as_deref()),
        Command::Completions { shell } => completions(*shell),
        Command::Man => man(),
    }
}

/// The user profiles for commands that take `--profiles` (`None`: the built-in catalog), or
/// the reason they cannot be loaded.
fn profiles_of(profiles: Option<&std::path::Path>) -> Result<Option<Catalog>, String> {
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

/// Reads the one cluster file of `graph` and `report`; an unreadable file is one line.
fn read_one(path: &std::path::Path) -> Result<SourceFile, String> {
    match input::read(path) {
        Ok(Input::Source(file)) => Ok(file),
        Ok(Input::TooLarge(file)) => Err(format!("{}: {}", file.name, input::too_large().message)),
        Err(err) => Err(err.to_string()),
    }
}

/// The diagnostics of `graph` and `report`, for people, on standard error (their standard
/// output is the graph); the exit code as `check` decides it.
fn diagnostics_to_stderr(file: &SourceFile, diagnostics: &[Diagnostic]) -> i32 {
    let renderer = HumanRenderer::new(Style::PLAIN);
    let mut summary = Summary::default();
    summary.add_file(diagnostics);
    let mut text = String::new();
    for d in diagnostics {
        text.push_str(&renderer.render(file, d));
    }
    if !summary.is_clean() {
        text.push_str(&human::summary_line(&summary));
        text.push('\n');
    }
    let _ = io::stderr().write_all(text.as_bytes());
    exit_code(&summary, false, false)
}

/// `hagen graph FILE`: the start-order graph, also for a file with errors (a cycle is drawn
/// highlighted).
fn graph(path: &std::path::Path, format: GraphFormat, profiles: Option<&std::path::Path>) -> i32 {
    let mut out = Output::new();
    let (loaded, file) = match profiles_of(profiles).and_then(|c| Ok((c, read_one(path)?))) {
        Ok(both) => both,
        Err(message) => {
            out.error_line(&message);
            return EXIT_FAILURE;
        }
    };
    let catalog = loaded.as_ref().unwrap_or(Catalog::builtin());
    let (diagnostics, graph) = crate::check::check_graph(&file, catalog);
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
    diagnostics_to_stderr(&file, &diagnostics)
}

/// `hagen report FILE --out PAGE`: the review page, written through the one atomic writer.
fn report(path: &std::path::Path, page: &std::path::Path, profiles: Option<&std::path::Path>) -> i32 {
    let mut out = Output::new();
    let (loaded, file) = match profiles_of(profiles).and_then(|c| Ok((c, read_one(path)?))) {
        Ok(both) => both,
        Err(message) => {
            out.error_line(&message);
            return EXIT_FAILURE;
        }
    };
    let catalog = loaded.as_ref().unwrap_or(Catalog::builtin());
    let mut file = file;
    file.name = crate::report::shown_name(path, std::env::current_dir().ok().as_deref());
    let (diagnostics, html) = crate::report::check_report(&file, catalog);
    let inputs: Vec<&std::path::Path> = [Some(path), profiles].into_iter().flatten().collect();
    if let Err(message) = output::write_file(page, html.as_bytes(), &inputs) {
        out.error_line(&message);
        return EXIT_FAILURE;
    }
    let _ = out.finish();
    diagnostics_to_stderr(&file, &diagnostics)
}

/// `hagen schema [cluster|profile]`: the JSON Schema on standard output.
fn schema(kind: SchemaKind, profiles: Option<&std::path::Path>) -> i32 {
    let mut out = Output::new();
    let text = match kind {
        SchemaKind::Profile => crate::schema::profile_schema(),
        SchemaKind::Cluster => match profiles_of(profiles) {
            Ok(None) => crate::schema::cluster_schema(),
            Ok(Some(catalog)) => crate::schema::cluster_schema_for(&catalog),
            Err(message) => {
                out.error_line(&message);
                return EXIT_FAILURE;
            }
        },
    };
    out.write(&text);
    if out.finish() { EXIT_OK } else { EXIT_FAILURE }
}

/// `hagen completions SHELL`: generated from the same clap definition as the parser.
fn completions(shell: Shell) -> i32 {
    use clap::CommandFactory;
    use clap_complete::Shell as S;
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
    };
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "hagen", &mut bytes);
    let mut out = Output::new();
    out.write(&String::from_utf8_lossy(&bytes));
    if out.finish() { EXIT_OK } else { EXIT_FAILURE }
}

/// `hagen man`: the man page, from the clap definition.
fn man() -> i32 {
    use clap::CommandFactory;
    let mut bytes = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut bytes)
        .expect("rendering to memory cannot fail");
    let mut out = Output::new();
    out.write(&String::from_utf8_lossy(&bytes));
    if out.finish() { EXIT_OK } else { EXIT_FAILURE }
}

/// `hagen explain CODE`: the code's document, or a usage error with the nearest code.
fn explain(code: &str) -> i32 {
    use crate::diag::explain;
    let mut out = Output::new();
    let status = match explain::explain(code) {
        Some(text) => {
            out.write(text);
            EXIT_OK
        }
        None => {
            let hint = match explain::suggest(code) {
                Some(near) => format!("; did you mean `{near}`?"),
                None => "; every code is listed in SPEC section 4 and in `hagen check --help`".to_string(),
            };
            out.error_line(&format!("no diagnostic code `{code}`{hint}"));
            EXIT_FAILURE
        }
    };
    if out.finish() { status } else { EXIT_FAILURE }
}

/// `hagen init`: the scaffold on standard output.
fn init(args: &InitArgs) -> i32 {
    use crate::commands::init::{InitOptions, init};
    let options = InitOptions {
        name: args.name.clone(),
        platform: args.platform.clone(),
        os: args.os.clone(),
        language: args.language.clone(),
        products: args.products.clone(),
        schema: args.schema.clone(),
    };
    let mut out = Output::new();
    let code = match init(Catalog::builtin(), &options) {
        Ok(text) => {
            out.write(&text);
            EXIT_OK
        }
        Err(message) => {
            out.error_line(&message);
            EXIT_FAILURE
        }
    };
    if out.finish() { code } else { EXIT_FAILURE }
}

/// `hagen profiles [list|show ID]`.
fn profiles(args: &ProfilesArgs) -> i32 {
    use crate::commands::profiles as show;
    let mut out = Output::new();
    let loaded = match profiles_of(args.profiles.as_deref()) {
        Ok(c) => c,
        Err(message) => {
            out.error_line(&message);
            return EXIT_FAILURE;
        }
    };
    let catalog = loaded.as_ref().unwrap_or(Catalog::builtin());
    let json = args.format == DataFormat::Json;
    match &args.action {
        None | Some(ProfilesAction::List) if json => out.write(&pretty(&show::list_json(catalog))),
        None | Some(ProfilesAction::List) => out.write(&show::list(catalog)),
        Some(ProfilesAction::Show { id }) => {
            let found = if json {
                show::show_json(catalog, id).map(|v| pretty(&v))
            } else {
                show::show(catalog, id)
            };
            match found {
                Some(text) => out.write(&text),
                None => {
                    let hint = crate::suggest::help(id, show::ids(catalog))
                        .map(|h| format!("; {h}"))
                        .unwrap_or_else(|| "; `hagen profiles list` shows every id".to_string());
                    out.error_line(&format!("no platform or product `{id}` in the catalog{hint}"));
                    let _ = out.finish();
                    return EXIT_FAILURE;
                }
            }
        }
    }
    if out.finish() { EXIT_OK } else { EXIT_FAILURE }
}

/// JSON for people and tools alike: indented, with a final line break.
fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("a JSON value serializes");
    text.push('\n');
    text
}

/// `hagen check`: every file is read and checked even when others fail.
pub fn check(args: &CheckArgs) -> i32 {
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
    let work = |item: Result<PathBuf, InputError>| -> Result<(Input, Result<Vec<Diagnostic>, String>), InputError> {
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
        progress.clear_if(outcome.as_ref().map_or(true, |d| !d.is_empty()));
        match outcome {
            Ok(diagnostics) => report.file(input.file(), &diagnostics),
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

/// `hagen build`: check one file; when it is clean, write (or with `--check`, compare) its
/// package.
pub fn build(args: &BuildArgs) -> i32 {
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
        let (diagnostics, plan) = check_and_plan(&file, catalog, true);
        (diagnostics, plan.map(|p| crate::emit::package(&p)))
    }));
    let (diagnostics, package) = match outcome {
        Ok(result) => result,
        Err(payload) => {
            report.internal_error(&file, &panic_message(&*payload));
            return report.finish();
        }
    };
    report.file(&file, &diagnostics);
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

/// `hagen lint-scripts FILE...`: every readable script is linted (a start.bat with the
/// stop.bat of its folder); unreadable ones are one line each and make the exit code 2.
pub fn lint_scripts(args: &LintArgs) -> i32 {
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
    for (file, diagnostics) in crate::lint::lint_with(&inputs, catalog, options) {
        report.file(&file, &diagnostics);
    }
    report.finish()
}

/// `hagen import CLP.CONF [--scripts DIR]`: the cluster file on standard output, a summary on
/// standard error; an unreadable clp.conf or folder is one line and exit 2.
fn import(args: &ImportArgs) -> i32 {
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

/// The user's catalog when there is one; else the built-in catalog, which starts loading now
/// on another thread while the input is read and parsed.
fn catalog_source(loaded: &Option<Catalog>) -> &dyn CatalogSource {
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
fn user_profiles(dir: Option<&std::path::Path>, report: &mut Reporter) -> Result<Option<Catalog>, ()> {
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
struct Reporter<'a> {
    args: &'a OutputArgs,
    renderer: HumanRenderer,
    out: Output,
    summary: Summary,
    json: Vec<json::JsonDiagnostic>,
}

impl<'a> Reporter<'a> {
    fn new(args: &'a OutputArgs) -> Self {
        Reporter {
            args,
            renderer: HumanRenderer::new(Style::for_stdout()),
            out: Output::new(),
            summary: Summary::default(),
            json: Vec::new(),
        }
    }

    fn file(&mut self, file: &SourceFile, diagnostics: &[Diagnostic]) {
        self.summary.add_file(diagnostics);
        match self.args.format {
            Format::Human => {
                for d in diagnostics {
                    self.out.write(&self.renderer.render(file, d));
                }
            }
            Format::Json | Format::Sarif | Format::Github => {
                self.json.extend(diagnostics.iter().map(|d| json::diagnostic(file, d)))
            }
        }
    }

    fn io_error(&mut self, message: &str) {
        self.out.error_line(message);
        self.summary.failed += 1;
    }

    fn internal_error(&mut self, file: &SourceFile, message: &str) {
        self.io_error(&format!(
            "{}: internal error while checking this file (please report it): {message}",
            file.name
        ));
    }

    fn finish(mut self) -> i32 {
        match self.args.format {
            Format::Human => {
                // Quiet: the summary only accompanies diagnostics; read failures are on stderr.
                if !(self.args.quiet && self.summary.is_clean()) {
                    self.out.write(&human::summary_line(&self.summary));
                    self.out.write("\n");
                }
            }
            Format::Json => {
                let json = std::mem::take(&mut self.json);
                self.out.write(&json::render(json, &self.summary));
            }
            Format::Sarif => {
                json::sort(&mut self.json);
                self.out.write(&sarif::render(&self.json));
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

/// The diagnostics of one file; a panic in a check becomes `Err` with its message.
fn diagnose(input: &Input, catalog: &dyn CatalogSource) -> Result<Vec<Diagnostic>, String> {
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
