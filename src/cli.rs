//! The command line, declared with clap's derive so that the options, their help text and the
//! usage errors all come from one place.
//!
//! Only parsing lives here: [`crate::app`] decides what a parsed command does. The names used
//! here (`check`, `--format`, `--deny warnings`, `--quiet`) are public (SPEC section 1), so
//! they change only with the contract.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Checks CLUSTERPRO cluster descriptions against what NEC's PP guides require.
#[derive(Debug, Parser)]
#[command(name = "hagen", version, arg_required_else_help = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check cluster files and report every problem at its place.
    ///
    /// Exits 0 when no errors were found, 1 when there were errors, 2 when a file could not be
    /// read or the command line is wrong.
    Check(CheckArgs),
    /// Check one cluster file, then write its package: clp.conf, scripts, runbook, graph.
    ///
    /// Writes nothing when the file has errors. DIR is replaced all at once: it ends up holding
    /// exactly the new package, or is left as it was. With --check, writes nothing and exits 1
    /// naming every file that would change.
    Build(BuildArgs),
    /// The catalog: list platforms and products, or show what one of them requires.
    ///
    /// Every fact is shown with its source: a section of the PP guides or a reference file.
    Profiles(ProfilesArgs),
    /// Print a commented cluster file to start from, for the chosen platform and products.
    ///
    /// Asks nothing: flags choose. Products a product needs are added (dbMail needs IIS), the
    /// version comes from the catalog, and the file checks clean once its placeholders are
    /// replaced by the real addresses and volume GUIDs.
    Init(InitArgs),
    /// Lint existing start.bat and stop.bat files (ARMS_* or CLP_* dialect): fall-through,
    /// missing labels, services never stopped or stopped out of order, line endings, encoding.
    ///
    /// A start.bat is compared with the stop.bat of the same folder when both are given.
    /// Exits 0 when clean, 1 when there are findings (errors, or warnings with --deny
    /// warnings), 2 when a file could not be read.
    LintScripts(LintArgs),
    /// Print an existing CLUSTERPRO X clp.conf as a cluster file, with a `# note:` for
    /// everything it could not map.
    ///
    /// With --scripts DIR (a package, or its scripts folder), the ARMLOAD lines of each script
    /// resource's start.bat tell the apps. Exits 0, or 2 when clp.conf cannot be read or is not
    /// a Windows clp.conf.
    Import(ImportArgs),
    /// Show what a change to a cluster does: the semantic changes between OLD and NEW (each a
    /// cluster file, a package folder or a clp.conf), how each is applied, the rollout and the
    /// rollback; a cluster file against a pulled clp.conf shows drift.
    ///
    /// Exits 0 (with --exit-code: 0 no change, 1 changes), 2 when a side cannot be read or a
    /// cluster file has errors.
    Diff(DiffArgs),
    /// Print the start-order graph: every group, its apps and their services, the apps' and
    /// the groups' start order, with any cycle highlighted.
    ///
    /// The graph goes to standard output, the file's diagnostics to standard error; the exit
    /// code is check's.
    Graph {
        /// The cluster file.
        #[arg(value_name = "FILE")]
        file: PathBuf,

        /// Graphviz DOT, a Mermaid flowchart, or an SVG drawn by hagen itself.
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,

        /// Load extra or overriding product and platform profiles from this folder.
        #[arg(long, value_name = "DIR")]
        profiles: Option<PathBuf>,
    },
    /// Write one self-contained HTML review page: failover matrix, start-order graph, ports,
    /// manual-start table, diagnostics and runbook.
    ///
    /// The page is written also when the file has errors (they are on it); the exit code is
    /// check's.
    Report {
        /// The cluster file.
        #[arg(value_name = "FILE")]
        file: PathBuf,

        /// The page to write.
        #[arg(long, value_name = "PAGE.html")]
        out: PathBuf,

        /// Load extra or overriding product and platform profiles from this folder.
        #[arg(long, value_name = "DIR")]
        profiles: Option<PathBuf>,
    },
    /// Play every failover scenario of a clean cluster file offline: each server down (with
    /// --depth 2 each pair), each server back, each manual group move, a disk failure at a
    /// group's start; or only the --down lists given.
    ///
    /// Shows where each group lands, which script runs on which server with which event
    /// variables, which services start and stop in order, and what to flag. A file with errors
    /// is refused (exit 1); an unknown server is a usage error (exit 2).
    Simulate {
        /// The cluster file.
        #[arg(value_name = "FILE")]
        file: PathBuf,

        /// Servers that go down, in order, as one scenario; repeat for more scenarios.
        #[arg(long, value_name = "SERVER[,SERVER...]")]
        down: Vec<String>,

        /// The most servers down at once in the default scenarios (2: every pair too).
        #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::builder::TypedValueParser::map(clap::value_parser!(u16).range(1..=16), usize::from))]
        depth: usize,

        /// For people, JSON for tools, or the acceptance test plan.
        #[arg(long, value_enum, default_value_t = crate::commands::simulate::SimulateFormat::Human)]
        format: crate::commands::simulate::SimulateFormat,

        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,

        /// Load extra or overriding product and platform profiles from this folder.
        #[arg(long, value_name = "DIR")]
        profiles: Option<PathBuf>,

        /// Count the file's warnings and the scenarios' findings as failures for the exit code.
        #[arg(long, value_enum, value_name = "WHAT")]
        deny: Vec<Deny>,
    },
    /// Print the JSON Schema of the cluster file or of a profile, for editors and tools.
    Schema {
        /// Which schema.
        #[arg(value_enum, default_value_t = SchemaKind::Cluster)]
        kind: SchemaKind,

        /// Include the products and platforms of this profile folder.
        #[arg(long, value_name = "DIR")]
        profiles: Option<PathBuf>,
    },
    /// Print shell completions (bash, zsh, fish, powershell) to standard output.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the man page (roff) to standard output.
    Man,
    /// Server inventories: `hagen inventory collect [FILE]` prints the commands that export
    /// each server's services in a form `inventory:` reads.
    Inventory {
        #[command(subcommand)]
        action: InventoryAction,
    },
    /// Explain a diagnostic code: what it means, why the guides require it, how to fix it, and
    /// an example.
    Explain {
        /// A code, as diagnostics print it (e.g. `dependency-cycle`).
        code: String,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The cluster's name.
    #[arg(long, default_value = "my-cluster")]
    pub name: String,

    /// A platform id (`hagen profiles list`); default: the newest that runs every product.
    #[arg(long, value_name = "ID")]
    pub platform: Option<String>,

    /// The servers' OS, e.g. windows-server-2003; default: one the products support there.
    #[arg(long)]
    pub os: Option<String>,

    /// The language of generated messages.
    #[arg(long, value_parser = ["ja", "en"], default_value = "en")]
    pub language: String,

    /// A product id; repeat for several products in the group.
    #[arg(long = "product", value_name = "ID")]
    pub products: Vec<String>,

    /// Where editors find the cluster schema (`hagen schema cluster` prints it).
    #[arg(long, value_name = "PATH|URL", default_value = "cluster.schema.json")]
    pub schema: String,

    /// Load extra or overriding product and platform profiles from this folder: init offers
    /// what `check --profiles DIR` accepts.
    #[arg(long, value_name = "DIR")]
    pub profiles: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ProfilesArgs {
    #[command(subcommand)]
    pub action: Option<ProfilesAction>,

    /// How to print: text for people, or JSON for tools.
    #[arg(long, value_enum, default_value_t = DataFormat::Human, global = true)]
    pub format: DataFormat,

    /// Load extra or overriding product and platform profiles from this folder.
    #[arg(long, value_name = "DIR", global = true)]
    pub profiles: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ProfilesAction {
    /// Every platform and product (the default).
    List,
    /// What one platform or product requires: services, manual start, ports, standby types,
    /// versions, notes.
    Show {
        /// A platform or product id, as `hagen profiles list` prints it.
        id: String,
    },
}

/// The arguments of `hagen diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The cluster as it is (a cluster file, a package folder or a clp.conf).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,

    /// The cluster as it is to be (a cluster file, a package folder or a clp.conf).
    #[arg(value_name = "NEW")]
    pub new: PathBuf,

    /// human, json, markdown (a pull-request comment) or github (workflow annotations).
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,

    /// Exit 1 when there are changes (as `git diff --exit-code`).
    #[arg(long)]
    pub exit_code: bool,

    /// Load extra or overriding product profiles from DIR.
    #[arg(long, value_name = "DIR")]
    pub profiles: Option<PathBuf>,
}

/// The forms of `hagen diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Json,
    Markdown,
    Github,
}

/// The forms of `hagen graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Svg,
}

/// What `hagen inventory` does.
#[derive(Debug, Subcommand)]
pub enum InventoryAction {
    /// Print the commands to run on each server, and the `inventory:` lines naming their output.
    Collect {
        /// A cluster file: the commands and lines name its servers.
        file: Option<PathBuf>,
    },
}

/// The shells `hagen completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// A cluster file (SPEC section 2).
    Cluster,
    /// A platform or product profile (SPEC section 3).
    Profile,
}

/// The output of commands that print data rather than diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Cluster files, or folders to search for `*.yaml` and `*.yml` files.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The cluster file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The package folder to write (replaced as a whole).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Write nothing; exit 1 and name every file that would change.
    #[arg(long)]
    pub check: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// The scripts to lint (start.bat, stop.bat, in any folder).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The language of the scripts' messages: with `en`, any non-ASCII character is reported.
    #[arg(long, value_parser = ["ja", "en"])]
    pub language: Option<String>,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The clp.conf to read.
    #[arg(value_name = "CLP.CONF")]
    pub file: PathBuf,

    /// The package (or its scripts folder) holding scripts/<group>/<script resource>/start.bat.
    #[arg(long, value_name = "DIR")]
    pub scripts: Option<PathBuf>,
}

/// How diagnostics are reported, for every command that checks.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Count warnings as errors for the exit code.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub deny: Vec<Deny>,

    /// Print nothing when there is nothing to report (human format; JSON is always printed).
    #[arg(long, short)]
    pub quiet: bool,

    /// Load extra or overriding product and platform profiles from this folder.
    #[arg(long, value_name = "DIR")]
    pub profiles: Option<PathBuf>,
}

impl OutputArgs {
    /// Whether warnings fail the check.
    pub fn deny_warnings(&self) -> bool {
        self.deny.contains(&Deny::Warnings)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Annotated snippets for people.
    Human,
    /// One JSON object for tools.
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// GitHub Actions workflow annotations, one line per diagnostic.
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Warnings make the check fail.
    Warnings,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn check_takes_its_options() {
        let cli = Cli::try_parse_from([
            "hagen", "check", "a.yaml", "dir", "--format", "json", "--deny", "warnings", "-q",
        ])
        .unwrap();
        let Command::Check(args) = cli.command else {
            panic!("not check")
        };
        assert_eq!(args.paths, [PathBuf::from("a.yaml"), PathBuf::from("dir")]);
        assert_eq!(args.output.format, Format::Json);
        assert!(args.output.deny_warnings());
        assert!(args.output.quiet);
    }

    #[test]
    fn build_takes_a_file_and_a_folder() {
        let cli = Cli::try_parse_from(["hagen", "build", "a.yaml", "--out", "dist", "--check"]).unwrap();
        let Command::Build(args) = cli.command else {
            panic!("not build")
        };
        assert_eq!(args.out, PathBuf::from("dist"));
        assert!(args.check);
        assert!(Cli::try_parse_from(["hagen", "build", "a.yaml"]).is_err());
    }

    #[test]
    fn lint_scripts_takes_files_and_the_output_options() {
        let cli = Cli::try_parse_from(["hagen", "lint-scripts", "start.bat", "stop.bat", "--format", "sarif"]).unwrap();
        let Command::LintScripts(args) = cli.command else {
            panic!("not lint-scripts")
        };
        assert_eq!(args.files.len(), 2);
        assert_eq!(args.output.format, Format::Sarif);
        assert!(Cli::try_parse_from(["hagen", "lint-scripts"]).is_err());
    }

    #[test]
    fn check_needs_a_path() {
        assert!(Cli::try_parse_from(["hagen", "check"]).is_err());
    }
}
