//! `hagen completions SHELL` and `hagen man`: made from the same clap definition as the
//! parser, so they never disagree with it.

use super::stdout::Output;
use crate::app::{EXIT_FAILURE, EXIT_OK};
use crate::cli::{Cli, Shell};

/// `hagen completions SHELL`: generated from the same clap definition as the parser.
pub fn completions(shell: Shell) -> i32 {
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
pub fn man() -> i32 {
    use clap::CommandFactory;
    let mut bytes = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut bytes)
        .expect("rendering to memory cannot fail");
    let mut out = Output::new();
    out.write(&String::from_utf8_lossy(&bytes));
    if out.finish() { EXIT_OK } else { EXIT_FAILURE }
}
