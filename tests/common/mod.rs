//! A small builder for running the real `hagen` binary on files in a temporary folder, in the
//! style of casey/just's test harness: write the files, give the arguments, state what stdout,
//! stderr and the exit code must be, run.
//!
//! The binary runs with the temporary folder as its working directory, so file names in its
//! output are the short relative names the test wrote.

// Each test crate uses a different part of this module.
#![allow(dead_code)]

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// The spec folder shared with the other parts of the project.
pub fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spec")
}

/// Fails with every collected failure, one per line, after `what` and their number, so that
/// a test over many files or values reports all that are wrong at once.
pub fn assert_no_failures(what: &str, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} {what}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// What a fixture's first line says it must raise: `# expect: CODE at LINE:COLUMN`, or
/// `# expect: CODE` alone (the spec's `invalid/` files name no place).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    pub code: String,
    /// 1-based line and column, when the line gives them.
    pub at: Option<(usize, usize)>,
}

/// The expectation of a fixture's text, or `None` when its first line is no `# expect:` line
/// (or names a place that is not `LINE:COLUMN`).
pub fn expectation(text: &str) -> Option<Expect> {
    let rest = text.lines().next()?.strip_prefix("# expect:")?.trim();
    match rest.split_once(" at ") {
        None => Some(Expect {
            code: rest.to_string(),
            at: None,
        }),
        Some((code, at)) => {
            let (line, column) = at.trim().split_once(':')?;
            Some(Expect {
                code: code.trim().to_string(),
                at: Some((line.parse().ok()?, column.parse().ok()?)),
            })
        }
    }
}

/// The text of one of the spec's examples (files that must check clean).
pub fn example(name: &str) -> String {
    let path = spec_dir().join("examples").join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[must_use]
pub struct Test {
    tempdir: TempDir,
    args: Vec<OsString>,
    env: Vec<(String, String)>,
    status: i32,
    stdout: Option<String>,
    stderr: Option<String>,
    stdout_contains: Vec<String>,
    stderr_contains: Vec<String>,
}

impl Default for Test {
    fn default() -> Self {
        Self::new()
    }
}

impl Test {
    pub fn new() -> Self {
        Test {
            tempdir: tempfile::Builder::new()
                .prefix("hagen-test")
                .tempdir()
                .expect("a temporary folder"),
            args: Vec::new(),
            env: Vec::new(),
            status: 0,
            stdout: None,
            stderr: None,
            stdout_contains: Vec::new(),
            stderr_contains: Vec::new(),
        }
    }

    /// The temporary folder the binary runs in.
    pub fn path(&self) -> &Path {
        self.tempdir.path()
    }

    /// Writes a file (creating its folders) below the temporary folder.
    pub fn write(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        let path = self.path().join(path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create folders");
        }
        fs::write(&path, contents).expect("write file");
        self
    }

    /// Creates a folder (and its parents) below the temporary folder.
    pub fn dir(self, path: &str) -> Self {
        fs::create_dir_all(self.path().join(path)).expect("create folder");
        self
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<I: IntoIterator<Item = A>, A: Into<OsString>>(mut self, args: I) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// The exit code the run must end with (0 unless told).
    pub fn status(mut self, status: i32) -> Self {
        self.status = status;
        self
    }

    /// The exact standard output.
    pub fn stdout(mut self, stdout: impl Into<String>) -> Self {
        self.stdout = Some(stdout.into());
        self
    }

    /// The exact standard error.
    pub fn stderr(mut self, stderr: impl Into<String>) -> Self {
        self.stderr = Some(stderr.into());
        self
    }

    pub fn stdout_contains(mut self, text: impl Into<String>) -> Self {
        self.stdout_contains.push(text.into());
        self
    }

    pub fn stderr_contains(mut self, text: impl Into<String>) -> Self {
        self.stderr_contains.push(text.into());
        self
    }

    /// Runs the binary and checks every expectation; also that nothing panicked.
    pub fn run(self) -> Output {
        let output = Command::new(env!("CARGO_BIN_EXE_hagen"))
            .current_dir(self.tempdir.path())
            .args(&self.args)
            .env_remove("NO_COLOR")
            .env_remove("RUST_BACKTRACE")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .output()
            .expect("run hagen");
        let out = Output {
            status: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            tempdir: self.tempdir,
        };
        let context = || {
            format!(
                "hagen {:?}\n--- exit code: {}\n--- stdout:\n{}\n--- stderr:\n{}",
                self.args, out.status, out.stdout, out.stderr
            )
        };
        assert_eq!(out.status, self.status, "wrong exit code\n{}", context());
        if let Some(stdout) = &self.stdout {
            assert_eq!(&out.stdout, stdout, "wrong stdout\n{}", context());
        }
        if let Some(stderr) = &self.stderr {
            assert_eq!(&out.stderr, stderr, "wrong stderr\n{}", context());
        }
        for text in &self.stdout_contains {
            assert!(
                out.stdout.contains(text.as_str()),
                "stdout lacks {text:?}\n{}",
                context()
            );
        }
        for text in &self.stderr_contains {
            assert!(
                out.stderr.contains(text.as_str()),
                "stderr lacks {text:?}\n{}",
                context()
            );
        }
        for bad in ["panicked", "RUST_BACKTRACE", "internal error"] {
            assert!(!out.stderr.contains(bad), "stderr shows a panic\n{}", context());
        }
        out
    }
}

pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
    pub tempdir: TempDir,
}

impl Output {
    /// Standard output parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// The diagnostics of a `--format json` run.
    pub fn diagnostics(&self) -> Vec<serde_json::Value> {
        self.json()["diagnostics"]
            .as_array()
            .expect("a diagnostics array")
            .clone()
    }
}
