//! The write-only pass of the benchmark: a finished package written to disk exactly as
//! `hagen build` writes it (the library's one writer: a private folder, every folder and file
//! made on every core, one flush, an atomic swap), with nothing computed.
//!
//! SPEC section 7 bounds `hagen build` at 2x `hagen check`. This pass measures what the file
//! system alone asks for the package of the 1,000-group file (2,007 files in 2,003 folders),
//! so that the benchmark can tell hagen's work from the disk's.
//!
//!   write-only --pack DIR ARCHIVE   once, untimed: every file under DIR into one file
//!   write-only ARCHIVE OUT          timed: read that one file, write its package to OUT
//!
//! The archive is one file so that the timed run reads one file, not two thousand: reading
//! the package back file by file would make the floor look higher than it is.
//! Its format is private to this program: for each file, its path, a newline, its length in
//! bytes, a newline, then the bytes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The allocator `hagen` itself uses (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let done = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["--pack", dir, archive] => pack(Path::new(dir), Path::new(archive)),
        [archive, out] => unpack(Path::new(archive)).and_then(|files| {
            let count = files.len();
            hagen::output::write_package(Path::new(out), &files, &[]).map(|()| count)
        }),
        _ => Err("usage: write-only --pack DIR ARCHIVE | write-only ARCHIVE OUT".to_string()),
    };
    match done {
        Ok(count) => {
            println!("{count} files");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("write-only: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Every file under `dir`, by relative `/`-separated path, in path order.
fn pack(dir: &Path, archive: &Path) -> Result<usize, String> {
    let mut paths = Vec::new();
    walk(dir, &mut PathBuf::new(), &mut paths)?;
    paths.sort();
    let mut out = Vec::new();
    for path in &paths {
        let bytes = fs::read(dir.join(path)).map_err(|e| format!("{}: {e}", dir.join(path).display()))?;
        out.extend_from_slice(format!("{path}\n{}\n", bytes.len()).as_bytes());
        out.extend_from_slice(&bytes);
    }
    fs::write(archive, out).map_err(|e| format!("{}: {e}", archive.display()))?;
    Ok(paths.len())
}

fn walk(root: &Path, rel: &mut PathBuf, out: &mut Vec<String>) -> Result<(), String> {
    let here = root.join(&*rel);
    for entry in fs::read_dir(&here).map_err(|e| format!("{}: {e}", here.display()))? {
        let entry = entry.map_err(|e| format!("{}: {e}", here.display()))?;
        rel.push(entry.file_name());
        if entry.file_type().map_err(|e| e.to_string())?.is_dir() {
            walk(root, rel, out)?;
        } else {
            let path = rel.to_str().ok_or_else(|| format!("{}: not UTF-8", rel.display()))?;
            out.push(path.replace('\\', "/"));
        }
        rel.pop();
    }
    Ok(())
}

fn unpack(archive: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let bytes = fs::read(archive).map_err(|e| format!("{}: {e}", archive.display()))?;
    let mut files = Vec::new();
    let mut rest = &bytes[..];
    while !rest.is_empty() {
        let (path, after) = line(rest)?;
        let (len, after) = line(after)?;
        let len: usize = len.parse().map_err(|_| format!("{}: bad length", archive.display()))?;
        if after.len() < len {
            return Err(format!("{}: truncated", archive.display()));
        }
        files.push((path.to_string(), after[..len].to_vec()));
        rest = &after[len..];
    }
    Ok(files)
}

fn line(bytes: &[u8]) -> Result<(&str, &[u8]), String> {
    let end = bytes.iter().position(|&b| b == b'\n').ok_or("truncated archive")?;
    let text = std::str::from_utf8(&bytes[..end]).map_err(|_| "archive: not UTF-8")?;
    Ok((text, &bytes[end + 1..]))
}
