//! Runs generated start.bat and stop.bat files under Wine's cmd.exe, with stand-ins for
//! CLUSTERPRO's commands, and reports what each run did: its exit code and every ARMLOAD,
//! ARMKILL, ARMBCAST and ARMFOVER call, byte for byte.
//!
//! Why Wine: reading a script's text proves that lines are there, not that cmd.exe takes the
//! branch the cluster means (GOTO targets, fall-through, `EXIT` codes, CP932 messages). Running
//! the script in a real cmd.exe does. Linux CI has no Windows, and Wine's cmd.exe is the closest
//! one it can run.
//!
//! How:
//! - `tests/stand-ins/arm.c` is compiled once per test run (a [`OnceLock`]) with MinGW-w64 into
//!   `target/wine-stand-ins/<hash>/`, under each command's name, and that folder is put first on
//!   the driver's PATH. The stand-in appends one line per call to the file named by
//!   `HAGEN_ARM_LOG`.
//! - Wine starts in about half a second cold and a tenth warm, and every process it starts costs
//!   about 60 ms, so one Wine process runs a whole list of cases for one script: a driver .bat
//!   sets the cluster's variables for a case, runs `%ComSpec% /c script` (so that the script's
//!   `EXIT n` ends only that inner cmd.exe and becomes its ERRORLEVEL), and writes the exit code,
//!   the console and the calls into the case's own folder. Every case stays separately
//!   observable, and every [`run`] has its own temporary folder, so tests run in parallel. The
//!   one shared thing is the prefix's C: drive: runs that make and probe files there (a script's
//!   pre-start commands clear fixed paths) take turns on a lock file.
//! - The prefix is `target/wine-prefix`, made by `.ci/install`. `LC_ALL` picks Wine's code
//!   pages: `ja_JP.UTF-8` runs cmd.exe in CP932 as on Japanese Windows, so a Japanese message
//!   reaches the stand-in with the bytes the script holds.
//!
//! Missing tools are a test failure that says to run `.ci/install`, never a silent skip: a
//! skipped script test would pass for a broken script.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

/// The variables either dialect's cluster sets (FACTS.md section 1). Each case clears them all
/// before it sets its own, so nothing leaks from the machine or from the case before.
pub const CLUSTER_VARIABLES: [&str; 6] = [
    "ARMS_EVENT",
    "ARMS_DISK",
    "ARMS_SERVER",
    "CLP_EVENT",
    "CLP_DISK",
    "CLP_SERVER",
];

/// The names the stand-in is installed under (FACTS.md section 1).
pub const COMMANDS: [&str; 4] = ["ARMLOAD", "ARMKILL", "ARMBCAST", "ARMFOVER"];

/// How long one Wine process may take for all its cases before the run counts as hung.
const TIMEOUT: Duration = Duration::from_secs(300);

const INSTALL_HINT: &str = "run `.ci/install` (as root) first: it installs wine64, MinGW-w64 and Blinter and \
                            initialises target/wine-prefix";

/// One run of the script: the cluster variables it sees (on top of all of them cleared).
#[derive(Clone, Debug)]
pub struct Case {
    /// How failures name the case.
    pub name: String,
    pub vars: Vec<(String, String)>,
}

impl Case {
    pub fn new(vars: &[(&str, &str)]) -> Case {
        let name = if vars.is_empty() {
            "no cluster variable".to_string()
        } else {
            vars.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        Case {
            name,
            vars: vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }
}

/// What is around every case of a [`run`].
#[derive(Clone, Debug)]
pub struct Setup {
    /// `LC_ALL` for Wine, which sets its ANSI and OEM code pages: `ja_JP.UTF-8` for CP932.
    pub locale: &'static str,
    /// cmd.exe lines the driver runs before each case (to make files the script should remove).
    pub prepare: Vec<String>,
    /// Windows paths whose existence each call records and that are checked after each case.
    pub probes: Vec<String>,
}

impl Default for Setup {
    fn default() -> Setup {
        Setup {
            locale: "en_US.UTF-8",
            prepare: Vec::new(),
            probes: Vec::new(),
        }
    }
}

/// One call of a stand-in.
#[derive(Clone, PartialEq, Eq)]
pub struct Call {
    /// One `+` (exists) or `-` (missing) per [`Setup::probes`] path, at the time of the call.
    pub probes: String,
    /// ARMLOAD, ARMKILL, ARMBCAST or ARMFOVER.
    pub program: String,
    /// The rest of the command line, as cmd.exe passed it (CP932 bytes for Japanese text).
    pub args: Vec<u8>,
}

impl Call {
    pub fn new(probes: &str, program: &str, args: impl Into<Vec<u8>>) -> Call {
        Call {
            probes: probes.to_string(),
            program: program.to_string(),
            args: args.into(),
        }
    }
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.probes.is_empty() {
            write!(f, "[{}] ", self.probes)?;
        }
        write!(f, "{} {}", self.program, encoding_rs::SHIFT_JIS.decode(&self.args).0)
    }
}

/// What one case did.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub case: Case,
    /// The script's exit code (the ERRORLEVEL of the `cmd /c` that ran it).
    pub exit_code: i32,
    pub calls: Vec<Call>,
    /// One `+` or `-` per probe, after the script ended.
    pub probes_after: String,
    /// What cmd.exe echoed while it ran the script (the trace of its lines), for failure messages.
    pub console: String,
}

/// The Wine loader, the folder of the stand-ins and the prefix, found or built once per run.
struct Tools {
    wine: PathBuf,
    stand_ins: PathBuf,
    prefix: PathBuf,
}

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Result<Tools, String>> = OnceLock::new();
    match TOOLS.get_or_init(find_tools) {
        Ok(tools) => tools,
        Err(message) => panic!("{message}"),
    }
}

fn find_tools() -> Result<Tools, String> {
    // Debian's wine64 package has the loader in /usr/lib/wine and no wine64 on PATH.
    let wine = find_on_path("wine64")
        .or_else(|| {
            ["/usr/lib/wine/wine64", "/usr/lib64/wine/wine64"]
                .iter()
                .map(PathBuf::from)
                .find(|p| p.is_file())
        })
        .ok_or_else(|| format!("wine64 is missing (not on PATH, not in /usr/lib/wine): {INSTALL_HINT}"))?;
    let prefix = crate_dir().join("target/wine-prefix");
    if !prefix.join(".hagen-ready").is_file() {
        return Err(format!(
            "the Wine prefix {} is not initialised: {INSTALL_HINT}",
            prefix.display()
        ));
    }
    let stand_ins = build_stand_ins()?;
    Ok(Tools {
        wine,
        stand_ins,
        prefix,
    })
}

/// Compiles `tests/stand-ins/arm.c` and installs it under every name of [`COMMANDS`], in a folder
/// of `target/wine-stand-ins/` named after the source and the flags. A folder is complete before
/// it is renamed into place and never changes after: another test process (a second `cargo test`)
/// may be looking commands up in it, and cmd.exe under Wine can miss a file that is being
/// replaced ("not recognized as an internal or external command").
fn build_stand_ins() -> Result<PathBuf, String> {
    use std::hash::{Hash, Hasher};
    const GCC: &str = "x86_64-w64-mingw32-gcc";
    const FLAGS: [&str; 5] = ["-O2", "-Wall", "-Wextra", "-Werror", "-s"];
    let source = crate_dir().join("tests/stand-ins/arm.c");
    let code = fs::read(&source).map_err(|e| format!("{}: {e}", source.display()))?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (&code, FLAGS).hash(&mut hasher);
    let root = crate_dir().join("target/wine-stand-ins");
    let dir = root.join(format!("{:016x}", hasher.finish()));
    if dir.is_dir() {
        return Ok(dir);
    }
    if find_on_path(GCC).is_none() {
        return Err(format!("{GCC} is missing: {INSTALL_HINT}"));
    }
    let work = root.join(format!(".build-{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let exe = work.join(format!("{}.exe", COMMANDS[0]));
    let out = Command::new(GCC)
        .args(FLAGS)
        .arg("-o")
        .arg(&exe)
        .arg(&source)
        .output()
        .map_err(|e| format!("{GCC}: {e}: {INSTALL_HINT}"))?;
    if !out.status.success() {
        return Err(format!(
            "{GCC} could not build {}:\n{}",
            source.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    for name in &COMMANDS[1..] {
        let copy = work.join(format!("{name}.exe"));
        fs::copy(&exe, &copy).map_err(|e| format!("{}: {e}", copy.display()))?;
    }
    // Another process may have won the race: its folder is as good as this one.
    if fs::rename(&work, &dir).is_err() {
        let _ = fs::remove_dir_all(&work);
        if !dir.is_dir() {
            return Err(format!("could not create {}", dir.display()));
        }
    }
    Ok(dir)
}

/// The Windows name of a Linux path, through Wine's default `Z:` drive (the Linux root). Only
/// plain characters are accepted, since the path is written into a batch file.
pub fn windows_path(path: &Path) -> String {
    let text = path.to_str().expect("a UTF-8 path");
    assert!(path.is_absolute(), "{text}: not an absolute path");
    assert!(
        text.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+ ".contains(c)),
        "{text}: a character cmd.exe could misread"
    );
    format!("Z:{}", text.replace('/', "\\"))
}

fn check_plain(what: &str, text: &str) {
    assert!(
        !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "{what} {text:?}: only letters, digits and _ can go into the driver"
    );
}

/// The driver: for each case, clear and set the variables, run the script in its own cmd.exe,
/// and keep its exit code, console, calls and probe results in the case's folder.
fn driver(script: &str, setup: &Setup, cases: &[Case], dir: &Path, stand_ins: &str) -> String {
    for probe in &setup.probes {
        assert!(
            probe
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "\\:._- ".contains(c)),
            "probe {probe:?}: a character cmd.exe could misread"
        );
    }
    // An empty HAGEN_ARM_PROBE clears the variable: the stand-in then records no probe.
    let mut bat = vec![
        "@echo off".to_string(),
        format!("set \"PATH={stand_ins};%PATH%\""),
        format!("set \"HAGEN_ARM_PROBE={}\"", setup.probes.join(";")),
    ];
    for (i, case) in cases.iter().enumerate() {
        let folder = dir.join(i.to_string());
        fs::create_dir(&folder).expect("a case folder");
        let folder = windows_path(&folder);
        bat.push(format!("rem case {i}"));
        bat.extend(CLUSTER_VARIABLES.iter().map(|v| format!("set \"{v}=\"")));
        for (name, value) in &case.vars {
            check_plain("variable", name);
            check_plain("value", value);
            bat.push(format!("set \"{name}={value}\""));
        }
        bat.push(format!("set \"HAGEN_ARM_LOG={folder}\\calls.log\""));
        bat.extend(setup.prepare.iter().cloned());
        bat.push(format!("cd /d \"{folder}\""));
        bat.push(format!("\"%ComSpec%\" /c \"{script}\" >\"{folder}\\console.txt\" 2>&1"));
        // The space before > keeps a one-digit code from being read as a handle number.
        bat.push(format!("echo %ERRORLEVEL% >\"{folder}\\exit.txt\""));
        for probe in &setup.probes {
            bat.push(format!(
                "if exist \"{probe}\" (echo +>>\"{folder}\\after.txt\") else (echo ->>\"{folder}\\after.txt\")"
            ));
        }
    }
    bat.push(format!("echo done>\"{}\\done.txt\"", windows_path(dir)));
    let mut text = bat.join("\r\n");
    text.push_str("\r\n");
    assert!(text.is_ascii(), "the driver must be ASCII:\n{text}");
    text
}

/// Runs `script` once per case, in one Wine process, and returns what each case did, in order.
/// Panics when the harness itself fails (no Wine, a hang, a driver that did not finish).
pub fn run(script: &Path, setup: &Setup, cases: &[Case]) -> Vec<Outcome> {
    let tools = tools();
    let script = fs::canonicalize(script).unwrap_or_else(|e| panic!("{}: {e}", script.display()));
    // Probed paths are fixed paths on the prefix's C: drive, which every run shares: runs that
    // make or probe them take turns, across threads and test processes alike.
    let _c_drive = (!setup.prepare.is_empty() || !setup.probes.is_empty()).then(|| {
        let lock = fs::File::create(tools.prefix.join(".hagen-c-drive.lock")).expect("the C: lock");
        lock.lock().expect("lock C:");
        lock
    });
    let temp = tempfile::Builder::new()
        .prefix("hagen-wine")
        .tempdir()
        .expect("a temporary folder");
    let dir = temp.path();
    let driver_path = dir.join("driver.bat");
    let text = driver(
        &windows_path(&script),
        setup,
        cases,
        dir,
        &windows_path(&tools.stand_ins),
    );
    fs::write(&driver_path, text).expect("write the driver");

    let wine_log = dir.join("wine.txt");
    // Wine itself has been seen, under heavy load, to end at once with no output and without
    // running the driver; never twice in a row. Such a run is tried once more, from empty case
    // folders. A script cannot cause it: each case runs in a child cmd.exe, whose EXIT ends
    // only that child, so the driver always reaches its end.
    for attempt in 1..=2 {
        let log = fs::File::create(&wine_log).expect("the Wine log");
        let mut command = Command::new(&tools.wine);
        command
            .args(["cmd", "/c"])
            .arg(windows_path(&driver_path))
            .current_dir(dir)
            .env("WINEPREFIX", &tools.prefix)
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env("WINELOADER", &tools.wine)
            .env("LC_ALL", setup.locale)
            .env_remove("HAGEN_ARM_LOG")
            .env_remove("HAGEN_ARM_PROBE")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("the Wine log"))
            .stderr(log);
        for var in CLUSTER_VARIABLES {
            command.env_remove(var);
        }
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("{}: {e}: {INSTALL_HINT}", tools.wine.display()));
        let started = Instant::now();
        loop {
            if child.try_wait().expect("wait for Wine").is_some() {
                break;
            }
            if started.elapsed() > TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{}: Wine did not finish {} cases in {TIMEOUT:?}\n{}",
                    script.display(),
                    cases.len(),
                    fs::read_to_string(&wine_log).unwrap_or_default()
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
        let silent = fs::read_to_string(&wine_log).unwrap_or_default().trim().is_empty();
        if dir.join("done.txt").is_file() || !silent || attempt == 2 {
            break;
        }
        for i in 0..cases.len() {
            let folder = dir.join(i.to_string());
            fs::remove_dir_all(&folder).expect("clear a case folder");
            fs::create_dir(&folder).expect("a case folder");
        }
    }
    let harness_failure = |what: &str| -> ! {
        panic!(
            "{}: {what}\n--- Wine's output:\n{}\n--- driver:\n{}",
            script.display(),
            fs::read_to_string(&wine_log).unwrap_or_default(),
            fs::read_to_string(&driver_path).unwrap_or_default()
        )
    };
    if !dir.join("done.txt").is_file() {
        harness_failure("the driver did not run to its end");
    }
    cases
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let folder = dir.join(i.to_string());
            let exit = fs::read_to_string(folder.join("exit.txt")).unwrap_or_default();
            let exit_code = exit
                .trim()
                .parse()
                .unwrap_or_else(|_| harness_failure(&format!("case {i}: exit code {exit:?}")));
            let calls = match fs::read(folder.join("calls.log")) {
                Ok(bytes) => parse_calls(&bytes, setup.probes.len())
                    .unwrap_or_else(|e| harness_failure(&format!("case {i}: {e}"))),
                Err(_) => Vec::new(),
            };
            let probes_after: String = fs::read_to_string(folder.join("after.txt"))
                .unwrap_or_default()
                .lines()
                .map(str::trim)
                .collect();
            let console = fs::read(folder.join("console.txt")).unwrap_or_default();
            Outcome {
                case: case.clone(),
                exit_code,
                calls,
                probes_after,
                console: encoding_rs::SHIFT_JIS.decode(&console).0.replace('\r', ""),
            }
        })
        .collect()
}

/// Splits the stand-in's log into calls: `[probes ]PROGRAM args`, one a line.
fn parse_calls(bytes: &[u8], probes: usize) -> Result<Vec<Call>, String> {
    let mut calls = Vec::new();
    let lines = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    if lines.is_empty() {
        return Ok(calls);
    }
    for line in lines.split(|&b| b == b'\n') {
        let bad = || format!("a malformed log line {:?}", String::from_utf8_lossy(line));
        let (state, rest) = if probes == 0 {
            (&b""[..], line)
        } else {
            match line.get(probes) {
                Some(b' ') => (&line[..probes], &line[probes + 1..]),
                _ => return Err(bad()),
            }
        };
        let (program, args) = match rest.iter().position(|&b| b == b' ') {
            Some(at) => (&rest[..at], &rest[at + 1..]),
            None => (rest, &b""[..]),
        };
        let program = std::str::from_utf8(program).map_err(|_| bad())?;
        if !COMMANDS.contains(&program) || !state.iter().all(|&b| b == b'+' || b == b'-') {
            return Err(bad());
        }
        calls.push(Call {
            probes: String::from_utf8(state.to_vec()).map_err(|_| bad())?,
            program: program.to_string(),
            args: args.to_vec(),
        });
    }
    Ok(calls)
}

/// Compiles `tests/stand-ins/canary.c` once per run into its own folder of
/// `target/wine-stand-ins/` as `canary.exe`, and returns that folder: a test puts it on the
/// PATH of a script (a `Setup::prepare` line) to see whether the script can be made to run a
/// program it does not name. Panics when MinGW-w64 is missing, as the other stand-ins do.
#[allow(dead_code)]
pub fn canary_folder() -> &'static Path {
    static FOLDER: OnceLock<PathBuf> = OnceLock::new();
    FOLDER.get_or_init(|| {
        use std::hash::{Hash, Hasher};
        const GCC: &str = "x86_64-w64-mingw32-gcc";
        let source = crate_dir().join("tests/stand-ins/canary.c");
        let code = fs::read(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        code.hash(&mut hasher);
        let root = crate_dir().join("target/wine-stand-ins");
        let dir = root.join(format!("canary-{:016x}", hasher.finish()));
        if dir.join("canary.exe").is_file() {
            return dir;
        }
        let work = root.join(format!(".canary-{}", std::process::id()));
        let _ = fs::remove_dir_all(&work);
        fs::create_dir_all(&work).unwrap_or_else(|e| panic!("{}: {e}", work.display()));
        let out = Command::new(GCC)
            .args(["-O2", "-Wall", "-Werror", "-s", "-o"])
            .arg(work.join("canary.exe"))
            .arg(&source)
            .output()
            .unwrap_or_else(|e| panic!("{GCC}: {e}: {INSTALL_HINT}"));
        assert!(
            out.status.success(),
            "{GCC} could not build {}:\n{}",
            source.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        // Another process may have won the race: its folder is as good as this one.
        if fs::rename(&work, &dir).is_err() {
            let _ = fs::remove_dir_all(&work);
            assert!(dir.join("canary.exe").is_file(), "could not create {}", dir.display());
        }
        dir
    })
}
