//! Turning the PATH arguments of `hagen check` into source files.
//!
//! Everything that can go wrong before YAML parsing starts is decided here, so that each
//! problem becomes one clear line (SPEC section 6) and checking goes on with the other files:
//! a missing or unreadable path, a folder without YAML, an empty file, bytes that are not
//! UTF-8. A file over [`MAX_FILE_BYTES`] is not such a failure but a `yaml-syntax` diagnostic
//! (SPEC section 2); it is found without reading more than one byte past the limit.
//!
//! Folders are walked recursively for `*.yaml` and `*.yml` and listed sorted by path, so that
//! output does not depend on the order the file system returns entries in.

use std::collections::HashSet;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};
use crate::source::SourceFile;
use crate::yaml::MAX_FILE_BYTES;

/// A file that could be read.
#[derive(Debug)]
pub enum Input {
    /// The whole file as text, BOM removed.
    Source(SourceFile),
    /// A file over [`MAX_FILE_BYTES`]: only the start of its first line is kept, to show where
    /// the diagnostic points.
    TooLarge(SourceFile),
}

impl Input {
    pub fn file(&self) -> &SourceFile {
        match self {
            Input::Source(file) | Input::TooLarge(file) => file,
        }
    }
}

/// A path that could not be turned into text: printed as `hagen: PATH: REASON`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: PathBuf,
    pub reason: String,
}

impl InputError {
    fn new(path: &Path, reason: impl Into<String>) -> Self {
        InputError {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for InputError {
    /// `PATH: REASON`, with any control character of the path shown escaped (a file name may
    /// hold an escape sequence).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display().to_string();
        write!(f, "{}: {}", crate::render::human::printable(&path), self.reason)
    }
}

/// The files named by the arguments, in argument order; a folder contributes its `*.yaml` and
/// `*.yml` files (recursively, sorted by path). Paths that cannot be used are `Err` in the
/// same order, so messages come out in the order of the command line. A file named twice is
/// listed once.
pub fn expand(paths: &[PathBuf]) -> Vec<Result<PathBuf, InputError>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for path in paths {
        let found = match fs::metadata(path) {
            Err(err) => vec![Err(InputError::new(path, describe(&err)))],
            Ok(meta) if meta.is_dir() => walk(path),
            Ok(_) => vec![Ok(path.clone())],
        };
        for item in found {
            match item {
                Ok(file) if !seen.insert(file.clone()) => {}
                item => out.push(item),
            }
        }
    }
    out
}

/// Every YAML file below `root`, sorted by path, with the entries that could not be read.
fn walk(root: &Path) -> Vec<Result<PathBuf, InputError>> {
    let mut found = Vec::new();
    let mut visited = HashSet::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        // Symbolic links may lead back up the tree: visit each real folder once.
        if let Ok(real) = fs::canonicalize(&dir)
            && !visited.insert(real)
        {
            continue;
        }
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) => {
                found.push(Err(InputError::new(&dir, describe(&err))));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    found.push(Err(InputError::new(&dir, describe(&err))));
                    continue;
                }
            };
            let path = entry.path();
            match fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => pending.push(path),
                Ok(meta) if meta.is_file() && is_yaml(&path) => found.push(Ok(path)),
                // A pipe, socket or device named *.yaml: reading it could wait forever.
                Ok(_) if is_yaml(&path) => found.push(Err(InputError::new(
                    &path,
                    "not a regular file (a pipe, socket or device); name it on the command line to read it",
                ))),
                Ok(_) => {}
                Err(err) if is_yaml(&path) => {
                    let dangling = fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink());
                    let reason = match err.kind() {
                        io::ErrorKind::NotFound if dangling => {
                            "a symbolic link to a file that does not exist".to_string()
                        }
                        io::ErrorKind::NotFound => "the file vanished while its folder was read".to_string(),
                        _ => describe(&err),
                    };
                    found.push(Err(InputError::new(&path, reason)));
                }
                Err(_) => {}
            }
        }
    }
    if found.is_empty() {
        return vec![Err(InputError::new(root, "no *.yaml or *.yml files in this folder"))];
    }
    found.sort_by(|a, b| key(a).cmp(key(b)));
    found
}

fn key(item: &Result<PathBuf, InputError>) -> &Path {
    match item {
        Ok(path) => path,
        Err(err) => &err.path,
    }
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// The bytes of one file that is not a cluster file (a script for `lint-scripts`), up to
/// [`MAX_FILE_BYTES`]; a missing, unreadable or too large file, or a folder, is the reason.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    if fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err(InputError::new(path, "a folder, not a file"));
    }
    let file = File::open(path).map_err(|err| InputError::new(path, describe(&err)))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| InputError::new(path, describe(&err)))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(InputError::new(path, "larger than 16 MiB; not a script"));
    }
    Ok(bytes)
}

/// Reads one file, whatever its extension.
pub fn read(path: &Path) -> Result<Input, InputError> {
    read_limited(path, MAX_FILE_BYTES)
}

fn read_limited(path: &Path, limit: usize) -> Result<Input, InputError> {
    let name = path.display().to_string();
    // `build` and `report` name one file without walking first, so a missing file is reported
    // here as it is by `expand`.
    let error = |err: io::Error| InputError::new(path, describe(&err));
    let file = File::open(path).map_err(error)?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1).read_to_end(&mut bytes).map_err(error)?;
    if bytes.len() > limit {
        return Ok(Input::TooLarge(SourceFile::new(name, first_line(&bytes))));
    }
    decode(&bytes)
        .map(|text| Input::Source(SourceFile::new(name, text)))
        .map_err(|reason| InputError::new(path, reason))
}

/// The text of a file's bytes: UTF-8, BOM removed, CRLF kept. The error is the reason the
/// bytes are not a usable cluster file.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8".into());
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => return Err(not_utf8(bytes, &err)),
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.is_empty() {
        return Err("the file is empty".into());
    }
    if text.chars().all(|c| c.is_whitespace() || c == '\u{FEFF}') {
        return Err("the file is empty (it holds only whitespace)".into());
    }
    Ok(text.to_string())
}

fn not_utf8(bytes: &[u8], err: &std::str::Utf8Error) -> String {
    let offset = err.valid_up_to();
    // The bytes before the error are valid UTF-8, so lines and columns can be counted.
    let before = std::str::from_utf8(&bytes[..offset]).unwrap_or("");
    let before = before.strip_prefix('\u{FEFF}').unwrap_or(before);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    let what = match err.error_len() {
        Some(_) => format!("invalid byte 0x{:02X}", bytes[offset]),
        None => "an incomplete character at the end".to_string(),
    };
    format!("the file is not UTF-8: {what} at byte offset {offset} (line {line}, column {column})")
}

/// The start of a too-large file's first line, enough to show where its diagnostic points. It
/// ends at the first control character, so a binary file shows no terminal escapes.
fn first_line(bytes: &[u8]) -> String {
    const KEEP: usize = 200;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let end = bytes
        .iter()
        .position(|&b| (b < 0x20 && b != b'\t') || b == 0x7F)
        .unwrap_or(bytes.len());
    let text = String::from_utf8_lossy(&bytes[..end.min(KEEP)]);
    text.trim_end_matches('\u{FFFD}').to_string()
}

/// The diagnostic a file over [`MAX_FILE_BYTES`] gets, at line 1, column 1.
pub fn too_large() -> Diagnostic {
    Diagnostic::new(
        Code::YamlSyntax,
        0..0,
        format!("the file is larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024)),
    )
    .help("split the cluster into several files")
}

/// An I/O error as one short phrase, without the "(os error N)" suffix or a temporary
/// file's path: the caller names the path the user gave.
pub fn describe(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::IsADirectory => "is a folder, not a file".to_string(),
        io::ErrorKind::InvalidData => "the file could not be read as data".to_string(),
        _ => {
            let text = err.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_strips_the_bom_and_keeps_crlf() {
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1\r\n").unwrap(), "a: 1\r\n");
        assert_eq!(decode(b"a: 1\n").unwrap(), "a: 1\n");
    }

    #[test]
    fn decode_refuses_empty_and_blank_files() {
        assert_eq!(decode(b"").unwrap_err(), "the file is empty");
        assert_eq!(decode(b"\xEF\xBB\xBF").unwrap_err(), "the file is empty");
        assert!(decode(b" \r\n\t\n").unwrap_err().contains("only whitespace"));
        assert!(decode(b"\xEF\xBB\xBF  \n").unwrap_err().contains("only whitespace"));
    }

    #[test]
    fn decode_names_the_offset_of_bad_bytes() {
        let err = decode(b"a: 1\nb: \xFF\n").unwrap_err();
        assert_eq!(
            err,
            "the file is not UTF-8: invalid byte 0xFF at byte offset 8 (line 2, column 4)"
        );
        let err = decode("a: サ".as_bytes().split_last().unwrap().1).unwrap_err();
        assert!(
            err.contains("incomplete character at the end at byte offset 3"),
            "{err}"
        );
        assert!(decode(b"\xFF\xFEa\0").unwrap_err().contains("UTF-16"));
    }

    #[test]
    fn reading_stops_one_byte_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.yaml");
        fs::write(&path, "a: 1\nb: 2\n").unwrap();
        assert!(matches!(read_limited(&path, 10).unwrap(), Input::Source(_)));
        match read_limited(&path, 9).unwrap() {
            Input::TooLarge(file) => assert_eq!(file.text, "a: 1"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn first_line_is_cut_at_a_character() {
        let mut bytes = "é".repeat(150).into_bytes();
        bytes.push(b'\n');
        let line = first_line(&bytes);
        assert_eq!(line, "é".repeat(100));
    }

    #[test]
    fn the_first_line_of_a_binary_file_stops_at_a_control_character() {
        assert_eq!(first_line(b"cluster:\x1b[2J\n"), "cluster:");
        assert_eq!(first_line(b"\0\0\0"), "");
        assert_eq!(first_line(b"a:\tb\r\n"), "a:\tb");
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_in_a_folder_is_an_error_not_a_wait() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.yaml"), "a: 1\n").unwrap();
        let fifo = dir.path().join("p.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        let out = expand(&[dir.path().to_path_buf()]);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out[0].is_ok());
        let err = out[1].as_ref().unwrap_err();
        assert_eq!(err.path, fifo);
        assert!(err.reason.starts_with("not a regular file"), "{err}");
    }

    #[test]
    fn paths_in_messages_cannot_drive_the_terminal() {
        let err = InputError::new(Path::new("a\u{1b}[2J.yaml"), "no such file or folder");
        assert_eq!(err.to_string(), "a\\u{1b}[2J.yaml: no such file or folder");
    }

    #[test]
    fn missing_paths_are_errors_in_argument_order() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        fs::write(&a, "a: 1\n").unwrap();
        let missing = dir.path().join("missing.yaml");
        let out = expand(&[missing.clone(), a.clone(), a.clone()]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].as_ref().unwrap_err().reason, "no such file or folder");
        assert_eq!(out[1].as_ref().unwrap(), &a);
    }

    #[test]
    fn folders_are_walked_for_yaml_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("b/c")).unwrap();
        for name in ["b/c/z.yml", "b/a.YAML", "a.yaml", "notes.txt", "b/c/x.json"] {
            fs::write(root.join(name), "a: 1\n").unwrap();
        }
        let out: Vec<PathBuf> = expand(&[root.to_path_buf()])
            .into_iter()
            .map(|r| r.unwrap().strip_prefix(root).unwrap().to_path_buf())
            .collect();
        let expected: Vec<PathBuf> = ["a.yaml", "b/a.YAML", "b/c/z.yml"].iter().map(PathBuf::from).collect();
        assert_eq!(out, expected);
    }

    #[test]
    fn a_folder_without_yaml_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("x.txt"), "a").unwrap();
        let out = expand(&[dir.path().to_path_buf()]);
        assert_eq!(
            out[0].as_ref().unwrap_err().reason,
            "no *.yaml or *.yml files in this folder"
        );
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_link_loops_end() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("d")).unwrap();
        fs::write(dir.path().join("d/a.yaml"), "a: 1\n").unwrap();
        std::os::unix::fs::symlink("..", dir.path().join("d/up")).unwrap();
        std::os::unix::fs::symlink("gone.yaml", dir.path().join("d/dangling.yaml")).unwrap();
        let out = expand(&[dir.path().join("d")]);
        let oks = out.iter().filter(|r| r.is_ok()).count();
        assert_eq!(oks, 1, "{out:?}");
        let errs: Vec<_> = out.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(errs.len(), 1, "{out:?}");
        assert!(errs[0].reason.contains("symbolic link"));
    }
}
