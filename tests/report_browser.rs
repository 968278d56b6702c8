//! The review page in a real browser: headless Chromium (Debian's `chromium`, installed by
//! `.ci/install`) opens the page of an example and of an invalid file from `file://`.
//!
//! - A screenshot at 1280x2000 must be a PNG of that size and far from blank.
//! - The page must raise no console message. The page has no script, so any console line is a
//!   fault: an SVG attribute Chromium cannot parse (`Error: <path> attribute d: ...`), a
//!   blocked or missing resource, a script error (`Uncaught ...`). How it is read: with
//!   `--enable-logging=stderr --v=0`, Chromium writes every console message of the page to
//!   stderr as `[pid:tid:time:INFO:CONSOLE:LINE] "message", source: URL (LINE)` — at the INFO
//!   level whatever the message's own level (`console.error` included) — and uncaught
//!   exceptions as `"Uncaught ..."` messages. The test fails on any stderr line that holds
//!   `CONSOLE` or `Uncaught`; Chromium's own start-up noise (D-Bus, GPU, sandbox warnings)
//!   holds neither. So that a change in Chromium's logging cannot make this check pass
//!   vacuously, a control page with a broken SVG path is run first and must be caught.
//! - `--dump-dom` prints the DOM after loading: it must hold the rendered sections and the
//!   inline SVG, so the page was parsed as intended and not, say, shown as text.
//!
//! A missing Chromium is a failure that says to run `.ci/install`, never a skip.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use hagen::catalog::Catalog;
use hagen::report::report;
use hagen::source::SourceFile;

const CHROMIUM: &str = "/usr/bin/chromium";
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 2000;

fn chromium() -> &'static Path {
    let path = Path::new(CHROMIUM);
    assert!(
        path.exists(),
        "{CHROMIUM} is missing: run `.ci/install` (as root) first; it installs Debian's chromium"
    );
    path
}

/// Runs Chromium headless on `page` with a fresh profile and the given extra arguments;
/// ends it after two minutes.
fn run_chromium(page: &Path, extra: &[String]) -> Output {
    let profile = tempfile::Builder::new().prefix("hagen-chromium").tempdir().unwrap();
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{CHROMIUM}: {e}"));
    let start = Instant::now();
    // Reading the pipes while waiting: a full pipe would block Chromium.
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let err_reader = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("{CHROMIUM} did not finish within two minutes on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: out_reader.join().unwrap().into_bytes(),
        stderr: err_reader.join().unwrap().into_bytes(),
    }
}

/// The console lines of a run with console logging on.
fn console_lines(page: &Path, screenshot: &Path) -> Vec<String> {
    let out = run_chromium(
        page,
        &[
            "--enable-logging=stderr".to_string(),
            "--v=0".to_string(),
            format!("--screenshot={}", screenshot.display()),
            format!("--window-size={WIDTH},{HEIGHT}"),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{CHROMIUM} failed: {stderr}");
    stderr
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .map(str::to_string)
        .collect()
}

fn write_page(dir: &Path, source: &Path) -> PathBuf {
    let text = fs::read_to_string(source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
    let name = source.file_name().unwrap().to_string_lossy().into_owned();
    let page = report(&SourceFile::new(name.clone(), text), Catalog::builtin());
    let path = dir.join(format!("{name}.html"));
    fs::write(&path, page).unwrap();
    path
}

/// Width and height from a PNG's IHDR chunk, after checking the signature.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.len() > 24, "a PNG of {} bytes", bytes.len());
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "the PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

#[test]
fn the_console_check_catches_a_broken_page() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.html");
    fs::write(
        &page,
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><meta charset=\"utf-8\"/><title>t</title></head><body><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><path d=\"M 0 0 L x y\"/></svg></body></html>\n",
    )
    .unwrap();
    let lines = console_lines(&page, &dir.path().join("broken.png"));
    assert!(
        lines.iter().any(|l| l.contains("attribute d")),
        "the broken SVG path is reported on the console: {lines:?}"
    );
}

#[test]
fn the_page_renders_in_chromium_without_console_messages() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = [
        root.join("examples/surfnavi.yaml"),
        root.join("../shared/spec/invalid/cycle.yaml"),
    ];
    for source in &sources {
        let page = write_page(dir.path(), source);
        let png = dir.path().join("page.png");
        let _ = fs::remove_file(&png);

        let lines = console_lines(&page, &png);
        assert!(lines.is_empty(), "{}: console messages: {lines:#?}", source.display());

        let bytes = fs::read(&png).unwrap_or_else(|e| panic!("{}: no screenshot: {e}", png.display()));
        assert_eq!(png_size(&bytes), (WIDTH, HEIGHT), "{}", source.display());
        // A blank 1280x2000 page compresses to about 12 KB; this one (tables, text and a graph)
        // to well over 300 KB.
        assert!(
            bytes.len() > 100_000,
            "{}: a PNG of only {} bytes",
            source.display(),
            bytes.len()
        );

        let out = run_chromium(&page, &["--dump-dom".to_string()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let dom = String::from_utf8_lossy(&out.stdout);
        for marker in [
            "<section id=\"matrix\">",
            "<section id=\"graph\">",
            "<section id=\"ports\">",
            "<section id=\"manual\">",
            "<section id=\"diagnostics\">",
            "<section id=\"runbook\">",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"",
            "class=\"app",
        ] {
            assert!(dom.contains(marker), "{}: the DOM lacks {marker}", source.display());
        }
    }
}
