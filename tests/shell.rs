//! `hagen completions SHELL` and `hagen man`: generated from the parser's own definition, so
//! they name every command; bash's completion script is also parsed by bash itself.

mod common;

use std::process::Command;

use common::Test;

const COMMANDS: &[&str] = &[
    "check",
    "build",
    "profiles",
    "init",
    "schema",
    "lint-scripts",
    "import",
    "completions",
    "man",
    "explain",
];

#[test]
fn completions_cover_every_command_in_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = Test::new().args(["completions", shell]).run();
        for command in COMMANDS {
            assert!(out.stdout.contains(command), "{shell}: {command}");
        }
        assert!(out.stdout.contains("format"), "{shell}");
    }
    Test::new()
        .args(["completions", "tcsh"])
        .status(2)
        .stderr_contains("invalid value 'tcsh'")
        .run();
}

#[test]
fn the_bash_completion_script_is_valid_bash() {
    let out = Test::new().args(["completions", "bash"]).run();
    let path = out.tempdir.path().join("hagen.bash");
    std::fs::write(&path, &out.stdout).unwrap();
    let status = Command::new("bash").arg("-n").arg(&path).status().expect("bash runs");
    assert!(status.success());
}

#[test]
fn the_man_page_is_roff_naming_every_command() {
    let out = Test::new().args(["man"]).run();
    assert!(out.stdout.contains(".TH hagen 1"), "{}", out.stdout);
    for command in COMMANDS {
        // roff writes a hyphen as `\-`.
        assert!(out.stdout.contains(&command.replace('-', "\\-")), "{command}");
    }
}

/// The pre-commit hook runs `hagen check` on YAML files, outside the profiles and schemas.
#[test]
fn the_pre_commit_hook_runs_check_on_cluster_files() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.pre-commit-hooks.yaml")).unwrap();
    let hooks: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let hook = &hooks[0];
    assert_eq!(hook["id"], "hagen-check");
    assert_eq!(hook["entry"], "hagen check");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], true);
    assert_eq!(hook["files"], "\\.ya?ml$");
}
