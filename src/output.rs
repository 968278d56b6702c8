//! The one place hagen writes files: a package folder, replaced all at once, and the review
//! page.
//!
//! What hagen owns in an output folder is what SPEC section 5's layout names, in a folder
//! whose `runbook.md` is hagen's: `clp.conf`, `runbook.md`, `graph.dot`, `firewall/<name>.txt`,
//! `.cmd` and `.surfnavi.txt`, `scripts/<group>/[<resource>/]start.bat` and `stop.bat`, as regular files (the
//! layout is public and stable, so it identifies an earlier package without a file of hagen's
//! own that the layout does not name). Everything else in the folder is the user's: it is
//! never read past its name, never followed (a symbolic link, a pipe or a device is the
//! user's too), never removed and never changed.
//!
//! The new package is written into a fresh folder beside the target (its folders and files
//! made on every core, see [`on_threads`]), then swapped in with one atomic rename (Linux
//! `renameat2(RENAME_EXCHANGE)`; elsewhere two renames), and the old one removed: a failure or
//! a kill at any moment leaves either the old package or the new one in place, never a mix.
//! When the folder cannot be swapped without taking the user's things with it (it holds files
//! of the user's, it is the working folder or holds it, or it is a mount point), the package
//! is staged inside it and each file is renamed into place, and only hagen's old files that
//! are no longer produced are removed: the user's files stay byte for byte; a failure before
//! the first rename (the usual case: a full disk) leaves the folder as it was. A folder that
//! is neither empty nor an earlier package is never written into, and a package file that
//! would land on something of the user's (the input file, a link, a folder) stops the build
//! before anything is written, naming it.
//!
//! Staging folders are named `.hagen-new-*`; each has a lock file beside it
//! (`.hagen-new-*.lock`) that its build holds locked while it lives, so that the next build
//! removes the leftovers of a killed one, and only those.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use crate::input::describe;

/// A package: relative paths (`/`-separated) and their bytes.
pub type Files = [(String, Vec<u8>)];

/// The first line of every runbook hagen writes: how an earlier package is recognised.
pub const RUNBOOK_MARK: &str = "# Runbook of cluster ";

/// The same mark in a runbook written in Japanese (`language: ja`).
pub const RUNBOOK_MARK_JA: &str = "# 作業手順書 (クラスタ ";

/// The name of every staging folder and file starts with this.
const STAGING: &str = ".hagen-new-";

/// The lock file beside a staging folder or file ends with this.
const LOCK: &str = ".lock";

/// How many of the user's entries a refusal names (then "and N more").
const NAMED: usize = 8;

/// Replaces the package in `dir` with exactly `files`. `inputs` are the files and folders the
/// build reads (the cluster file, the `--profiles` folder): a package file never lands on one.
pub fn write_package(dir: &Path, files: &Files, inputs: &[&Path]) -> Result<(), String> {
    let shown = printable(dir);
    for (path, _) in files {
        debug_assert!(
            !path.split('/').any(|p| p.is_empty() || p == ".." || p == "."),
            "{path}"
        );
    }
    let old = match fs::symlink_metadata(dir) {
        Err(_) => None,
        Ok(meta) if meta.file_type().is_symlink() => return Err(format!("{shown}: {}", LINK_REFUSED)),
        Ok(meta) if !meta.is_dir() => return Err(format!("{shown}: exists and is not a folder")),
        Ok(_) => {
            remove_dead_staging(dir);
            let survey = survey(dir)?;
            refusal(dir, &survey, files, inputs).map_or(Ok(()), Err)?;
            Some(survey)
        }
    };
    let parent = parent_of(dir);
    match old {
        Some(survey) if !survey.foreign.is_empty() || holds_working_folder(dir) || is_mount_point(dir) => {
            write_in_place(dir, files, &survey)
        }
        _ => write_and_swap(dir, &parent, files),
    }
}

/// What a `hagen does not write through links` refusal says.
const LINK_REFUSED: &str =
    "is a symbolic link; hagen does not write through links: give --out the path it points to, or another one";

/// The package staged beside `dir`, then swapped in whole (or renamed into place when `dir`
/// does not exist).
fn write_and_swap(dir: &Path, parent: &Path, files: &Files) -> Result<(), String> {
    let shown = printable(dir);
    fs::create_dir_all(parent)
        .map_err(|e| format!("{}: cannot create the folder: {}", printable(parent), describe(&e)))?;
    remove_dead_staging(parent);
    let staging = Staging::folder_in(parent)
        .map_err(|e| format!("{}: cannot write here: {}", printable(parent), describe(&e)))?;
    stage(&staging.path, &shown, files)?;
    // The staging folder is private while it is written (0700); the package is not.
    readable(&staging.path, 0o755).map_err(|e| format!("{shown}: {}", describe(&e)))?;
    if fs::symlink_metadata(dir).is_err() {
        return fs::rename(&staging.path, dir).map_err(|e| format!("{shown}: {}", describe(&e)));
    }
    swap(&staging.path, dir).map_err(|e| format!("{shown}: {}", describe(&e)))?;
    // The staging folder now holds the old package; dropping it removes it.
    drop(staging);
    Ok(())
}

/// The package staged inside `dir`, then each file renamed into place; hagen's old files that
/// are no longer produced are removed, and their folders when nothing else is left in them.
fn write_in_place(dir: &Path, files: &Files, old: &Survey) -> Result<(), String> {
    let shown = printable(dir);
    let staging = Staging::folder_in(dir).map_err(|e| format!("{shown}: cannot write here: {}", describe(&e)))?;
    stage(&staging.path, &shown, files)?;
    let failed = |path: &str, e: io::Error| format!("{shown}/{path}: {}", describe(&e));
    for level in folder_levels(files) {
        for folder in level {
            match fs::create_dir(dir.join(folder)) {
                Ok(()) => {}
                // The survey found it hagen's folder (a folder, not a link).
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && old.folders.contains(folder) => {}
                Err(e) => return Err(failed(folder, e)),
            }
        }
    }
    for (path, _) in files {
        fs::rename(staging.path.join(path), dir.join(path)).map_err(|e| failed(path, e))?;
    }
    let new: BTreeSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    for path in old.files.iter().filter(|p| !new.contains(p.as_str())) {
        match fs::remove_file(dir.join(path)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(failed(path, e)),
            _ => {}
        }
    }
    // Deepest first; a folder that still holds something of the user's stays.
    for folder in old.folders.iter().rev() {
        let _ = fs::remove_dir(dir.join(folder));
    }
    Ok(())
}

/// Writes `files` into the fresh folder `root` and puts them on the disk.
fn stage(root: &Path, shown: &str, files: &Files) -> Result<(), String> {
    // Each folder is made once, parents first (a level at a time): on a slow file system a
    // failed `mkdir` of a folder whose parent is missing costs as much as a successful one.
    for level in folder_levels(files) {
        on_threads(&level, |folder| {
            fs::create_dir(root.join(folder)).map_err(|e| format!("{shown}/{folder}: {}", describe(&e)))
        })?;
    }
    on_threads(files, |(path, bytes)| {
        File::create(root.join(path))
            .and_then(|mut file| file.write_all(bytes))
            .map_err(|e| format!("{shown}/{path}: {}", describe(&e)))
    })?;
    sync_staged(root, files).map_err(|e| format!("{shown}: {}", describe(&e)))
}

/// Why the package cannot go into `dir` as the survey found it, if it cannot.
fn refusal(dir: &Path, survey: &Survey, files: &Files, inputs: &[&Path]) -> Option<String> {
    let shown = printable(dir);
    if let Some(name) = &survey.busy {
        return Some(format!(
            "{shown}: another hagen build is writing into this folder now ({}); wait for it to end, then build again",
            printable(Path::new(name))
        ));
    }
    if !survey.package && !survey.foreign.is_empty() {
        return Some(format!(
            "{shown}: is neither empty nor a package hagen built (no runbook.md of hagen's; it holds {}); \
             refusing to write into it: give --out a new or empty folder",
            named(&survey.foreign)
        ));
    }
    let landing: Vec<String> = files
        .iter()
        .filter(|(path, _)| lands_on(path, &survey.foreign))
        .map(|(path, _)| path.clone())
        .collect();
    if !landing.is_empty() {
        return Some(format!(
            "{shown}: the new package writes where something hagen did not write is: {} (a link, a folder, \
             a pipe or device, or a file of yours); move it out of {shown}, or give --out another folder",
            named(&landing)
        ));
    }
    let root = fs::canonicalize(dir).ok()?;
    for input in inputs {
        let Some(rel) = fs::canonicalize(input).ok().and_then(|i| {
            i.strip_prefix(&root)
                .ok()
                .map(|r| r.to_string_lossy().replace('\\', "/"))
        }) else {
            continue;
        };
        let hit = |path: &str| path == rel || path.starts_with(&format!("{rel}/"));
        if files.iter().any(|(p, _)| hit(p)) || survey.files.iter().any(|p| hit(p)) {
            return Some(format!(
                "{}: is an input of this build, and the package writes or removes it; move it out of {shown}, \
                 or give --out another folder",
                printable(input)
            ));
        }
    }
    None
}

/// Whether `path` or a folder above it is one of `foreign` (the user's entries).
fn lands_on(path: &str, foreign: &[String]) -> bool {
    foreign.iter().any(|f| path == f || path.starts_with(&format!("{f}/")))
}

/// The first [`NAMED`] of `paths`, then how many more.
fn named(paths: &[String]) -> String {
    let mut text = paths
        .iter()
        .take(NAMED)
        .map(|p| printable(Path::new(p)))
        .collect::<Vec<_>>()
        .join(", ");
    if paths.len() > NAMED {
        text.push_str(&format!(" and {} more", paths.len() - NAMED));
    }
    text
}

/// What an existing output folder holds, by owner. Read without following a link and without
/// opening anything but `runbook.md` (for its first line): bounded by the package's layout,
/// whatever the user keeps in the folder.
#[derive(Debug, Default)]
struct Survey {
    /// `runbook.md` is hagen's: the folder is an earlier package.
    package: bool,
    /// hagen's files of the earlier package.
    files: Vec<String>,
    /// hagen's folders, parents before their subfolders.
    folders: BTreeSet<String>,
    /// Everything else (a folder of the user's is one entry, not looked into).
    foreign: Vec<String>,
    /// The staging of a build that is alive.
    busy: Option<String>,
}

/// Where a folder sits in the package's layout.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Root,
    Scripts,
    Group,
    Resource,
    Firewall,
}

fn survey(dir: &Path) -> Result<Survey, String> {
    let mut survey = Survey {
        package: is_hagen_runbook(&dir.join("runbook.md")),
        ..Survey::default()
    };
    walk(dir, "", Place::Root, &mut survey)?;
    Ok(survey)
}

fn walk(dir: &Path, rel: &str, place: Place, survey: &mut Survey) -> Result<(), String> {
    let shown = || printable(dir);
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {}", shown(), describe(&e)))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {}", shown(), describe(&e)))?;
        let kind = entry
            .file_type()
            .map_err(|e| format!("{}: {}", shown(), describe(&e)))?;
        names.push((entry.file_name(), kind));
    }
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, kind) in names {
        let text = name.to_string_lossy();
        let path = if rel.is_empty() {
            text.to_string()
        } else {
            format!("{rel}/{text}")
        };
        if place == Place::Root && text.starts_with(STAGING) && name.to_str().is_some() {
            // Dead builds' staging was removed before: what is left with a lock is alive.
            let stem = text.strip_suffix(LOCK).unwrap_or(&text);
            if fs::symlink_metadata(dir.join(format!("{stem}{LOCK}"))).is_ok() {
                survey.busy = Some(path);
                continue;
            }
        }
        let regular = kind.is_file();
        let folder = kind.is_dir();
        let legal = name
            .to_str()
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        let stem_legal = |suffixes: &[&str]| {
            name.to_str().is_some_and(|n| {
                suffixes.iter().any(|s| {
                    n.strip_suffix(s).is_some_and(|stem| {
                        !stem.is_empty()
                            && stem
                                .bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                    })
                })
            })
        };
        let script = regular && (text == "start.bat" || text == "stop.bat");
        let into = match (survey.package, place) {
            (false, _) => None,
            (true, Place::Root) if regular && ["clp.conf", "runbook.md", "graph.dot"].contains(&&*text) => {
                survey.files.push(path);
                continue;
            }
            (true, Place::Root) if folder && text == "scripts" => Some(Place::Scripts),
            (true, Place::Root) if folder && text == "firewall" => Some(Place::Firewall),
            (true, Place::Scripts) if folder && legal => Some(Place::Group),
            (true, Place::Group | Place::Resource) if script => {
                survey.files.push(path);
                continue;
            }
            (true, Place::Group) if folder && legal => Some(Place::Resource),
            (true, Place::Firewall) if regular && stem_legal(&[".txt", ".cmd", ".surfnavi.txt"]) => {
                survey.files.push(path);
                continue;
            }
            _ => None,
        };
        match into {
            Some(inner) => {
                survey.folders.insert(path.clone());
                walk(&dir.join(&name), &path, inner, survey)?;
            }
            None => survey.foreign.push(path),
        }
    }
    Ok(())
}

/// Whether `path` is a runbook hagen wrote (its first line), read without following a link or
/// waiting on a pipe.
fn is_hagen_runbook(path: &Path) -> bool {
    let mut start = Vec::new();
    open_plain(path)
        .and_then(|f| f.take(RUNBOOK_MARK_JA.len() as u64).read_to_end(&mut start))
        .is_ok_and(|_| {
            [RUNBOOK_MARK, RUNBOOK_MARK_JA]
                .iter()
                .any(|m| start.starts_with(m.as_bytes()))
        })
}

/// Opens `path` for reading if it is a regular file: never through a link (as its last
/// component), never waiting on a pipe, never a device.
fn open_plain(path: &Path) -> io::Result<File> {
    #[cfg(unix)]
    let file: File = {
        use rustix::fs::{Mode, OFlags};
        rustix::fs::open(
            path,
            OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
            Mode::empty(),
        )?
        .into()
    };
    #[cfg(not(unix))]
    let file = {
        if fs::symlink_metadata(path)?.file_type().is_symlink() {
            return Err(io::Error::other("a symbolic link"));
        }
        File::open(path)?
    };
    if file.metadata()?.is_file() {
        Ok(file)
    } else {
        Err(io::Error::other("not a regular file"))
    }
}

/// The folder a path lies in (`.` for a bare name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Whether the working folder is `dir` or inside it: swapping `dir` would leave the shell that
/// ran hagen in a removed folder (and `.` cannot be renamed).
fn holds_working_folder(dir: &Path) -> bool {
    match (
        std::env::current_dir().and_then(fs::canonicalize),
        fs::canonicalize(dir),
    ) {
        (Ok(cwd), Ok(dir)) => cwd.starts_with(dir),
        _ => true,
    }
}

/// Whether `dir` is a mount point, which cannot be renamed.
fn is_mount_point(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::metadata(dir), fs::metadata(dir.join(".."))) {
            (Ok(d), Ok(p)) => d.dev() != p.dev() || d.ino() == p.ino(),
            _ => true,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

/// A staging folder or file (`.hagen-new-XXXXXX`) and its lock file, held locked while the
/// build lives; dropping it removes both.
struct Staging {
    path: PathBuf,
    lock_path: PathBuf,
    _lock: File,
}

impl Staging {
    fn folder_in(parent: &Path) -> io::Result<Staging> {
        Self::new_in(parent, |path| fs::create_dir(path).map(|()| None)).map(|(s, _)| s)
    }

    fn file_in(parent: &Path) -> io::Result<(Staging, File)> {
        Self::new_in(parent, |path| {
            fs::OpenOptions::new().write(true).create_new(true).open(path).map(Some)
        })
        .map(|(s, f)| (s, f.expect("a file was made")))
    }

    fn new_in(parent: &Path, make: impl Fn(&Path) -> io::Result<Option<File>>) -> io::Result<(Staging, Option<File>)> {
        let mut last = io::Error::other("no free name");
        for _ in 0..16 {
            let (lock, lock_path) = tempfile::Builder::new()
                .prefix(STAGING)
                .suffix(LOCK)
                .tempfile_in(parent)?
                .keep()
                .map_err(|e| e.error)?;
            lock.lock()?;
            // A build cleaning up may have found the lock free in the moment before it was
            // taken, and removed it: then start again with another name.
            if !same_file(&lock, &lock_path) {
                continue;
            }
            let name = lock_path.to_string_lossy();
            let path = PathBuf::from(&name[..name.len() - LOCK.len()]);
            match make(&path) {
                Ok(file) => {
                    return Ok((
                        Staging {
                            path,
                            lock_path,
                            _lock: lock,
                        },
                        file,
                    ));
                }
                Err(e) => {
                    let _ = fs::remove_file(&lock_path);
                    last = e;
                }
            }
        }
        Err(last)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if remove_entry(&self.path).is_ok() {
            let _ = fs::remove_file(&self.lock_path);
        }
    }
}

/// Whether the open `file` is the one at `path` (not replaced or removed since).
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::symlink_metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}

/// Removes a file or a whole folder (never following a link); a missing one is fine.
fn remove_entry(path: &Path) -> io::Result<()> {
    let result = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) => Err(e),
    };
    match result {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Removes the staging of builds that died (killed, or the machine went down) in `folder`:
/// each `.hagen-new-*` whose lock file nobody holds. The staging of a live build, and anything
/// else that happens to start with that name, is left alone.
fn remove_dead_staging(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(stem) = name.to_str().and_then(|n| n.strip_suffix(LOCK)) else {
            continue;
        };
        if !stem.starts_with(STAGING) || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let Ok(lock) = open_plain(&entry.path()) else { continue };
        if lock.try_lock().is_err() {
            continue;
        }
        if remove_entry(&folder.join(stem)).is_ok() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Every folder the files lie in, grouped by depth: `scripts`, then `scripts/g1`, ...
fn folder_levels(files: &Files) -> Vec<Vec<&str>> {
    let folders: BTreeSet<&str> = files
        .iter()
        .flat_map(|(path, _)| path.match_indices('/').map(|(end, _)| &path[..end]))
        .collect();
    let mut levels: Vec<Vec<&str>> = Vec::new();
    for folder in folders {
        let depth = folder.matches('/').count();
        if levels.len() <= depth {
            levels.resize_with(depth + 1, Vec::new);
        }
        levels[depth].push(folder);
    }
    levels
}

/// Runs `work` on every item on one thread per core, each thread taking the next item not
/// yet taken. Creating a folder or a file costs the kernel's time more than the disk's (on
/// ext4, finding a free inode; slow after many files were just deleted), so threads beyond
/// the cores do not pay: measured on a 2-core machine, a 1,000-group package took 0.8x the
/// time of one thread with 2 threads, 0.9x with 4. After an error no item is started; the
/// error returned is the first in item order (every earlier item was taken before it, so has
/// run).
fn on_threads<T: Sync>(items: &[T], work: impl Fn(&T) -> Result<(), String> + Sync) -> Result<(), String> {
    let next = AtomicUsize::new(0);
    let first_error: Mutex<Option<(usize, String)>> = Mutex::new(None);
    thread::scope(|scope| {
        for _ in 0..crate::parallel::threads().min(items.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    if let Err(message) = work(item) {
                        next.store(items.len(), Ordering::Relaxed);
                        let mut first = first_error.lock().unwrap_or_else(|e| e.into_inner());
                        if first.as_ref().is_none_or(|(earlier, _)| i < *earlier) {
                            *first = Some((i, message));
                        }
                    }
                }
            });
        }
    });
    match first_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some((_, message)) => Err(message),
        None => Ok(()),
    }
}

/// The staged package reaches the disk before it is swapped in. On Linux one `syncfs` after
/// the last file flushes the whole package (files and folders) at once: one flush of the
/// disk's cache instead of one per file, which costs more than writing a script. Elsewhere
/// each file is synced as it is written.
#[cfg(target_os = "linux")]
fn sync_staged(staging: &Path, _: &Files) -> std::io::Result<()> {
    rustix::fs::syncfs(fs::File::open(staging)?)?;
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn sync_staged(staging: &Path, files: &Files) -> std::io::Result<()> {
    for (path, _) in files {
        fs::File::open(staging.join(path))?.sync_all()?;
    }
    Ok(())
}

/// Gives a staged file or folder the ordinary permissions (0644 files, 0755 folders) instead
/// of the private ones temporary files get.
fn readable(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Exchanges two folders' contents atomically where the system allows it.
fn swap(new: &Path, dir: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, new, CWD, dir, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    // Two renames: the old package steps aside, the new one takes its place.
    let aside = new.with_extension("old");
    fs::rename(dir, &aside)?;
    if let Err(e) = fs::rename(new, dir) {
        let _ = fs::rename(&aside, dir);
        return Err(e);
    }
    fs::rename(&aside, new)
}

/// Replaces one file (the review page) atomically: written beside it, then renamed over it,
/// so a reader sees the old page or the new one, never half of one. A link, a pipe or device,
/// a folder, and the command's own `inputs` (a file, or a folder the page would land in) are
/// refused before anything is written.
pub fn write_file(path: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<(), String> {
    let shown = printable(path);
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => return Err(format!("{shown}: {LINK_REFUSED}")),
        Ok(meta) if meta.is_dir() => return Err(format!("{shown}: is a folder")),
        Ok(meta) if !meta.is_file() => {
            return Err(format!(
                "{shown}: is not a regular file (a pipe, socket or device); give --out the path of a file"
            ));
        }
        _ => {}
    }
    let parent = parent_of(path);
    if let Some(same) = input_at(path, &parent, inputs) {
        let place = if same { "an input" } else { "inside an input folder" };
        return Err(format!(
            "{shown}: is {place} of this command, which hagen never replaces; give --out another path"
        ));
    }
    fs::create_dir_all(&parent)
        .map_err(|e| format!("{}: cannot create the folder: {}", printable(&parent), describe(&e)))?;
    remove_dead_staging(&parent);
    let (staging, mut file) = Staging::file_in(&parent)
        .map_err(|e| format!("{}: cannot write here: {}", printable(&parent), describe(&e)))?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(|e| format!("{shown}: {}", describe(&e)))?;
    drop(file);
    readable(&staging.path, 0o644).map_err(|e| format!("{shown}: {}", describe(&e)))?;
    fs::rename(&staging.path, path).map_err(|e| format!("{shown}: {}", describe(&e)))?;
    Ok(())
}

/// Whether `path` is one of `inputs` (`Some(true)`: the same file, by path or as a hard link)
/// or lies inside an input folder (`Some(false)`).
fn input_at(path: &Path, parent: &Path, inputs: &[&Path]) -> Option<bool> {
    let here = fs::canonicalize(parent).ok()?.join(path.file_name()?);
    for input in inputs {
        let Ok(meta) = fs::metadata(input) else { continue };
        if meta.is_file() {
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                if fs::metadata(path).is_ok_and(|m| m.dev() == meta.dev() && m.ino() == meta.ino()) {
                    return Some(true);
                }
            }
            if fs::canonicalize(input).is_ok_and(|i| i == here) {
                return Some(true);
            }
        } else if fs::canonicalize(input).is_ok_and(|i| here.starts_with(i)) {
            return Some(false);
        }
    }
    None
}

/// What `--check` reports: every file that would change, with why. Nothing is followed or
/// waited on: a link, a pipe or a device where a package file goes is named as such.
pub fn stale_files(dir: &Path, files: &Files) -> Result<Vec<String>, String> {
    let shown = printable(dir);
    let survey = match fs::symlink_metadata(dir) {
        Err(_) => Survey::default(),
        Ok(meta) if meta.file_type().is_symlink() => return Err(format!("{shown}: {LINK_REFUSED}")),
        Ok(meta) if !meta.is_dir() => return Err(format!("{shown}: exists and is not a folder")),
        Ok(_) => survey(dir)?,
    };
    let mut stale = Vec::new();
    for (path, bytes) in files {
        if lands_on(path, &survey.foreign) {
            stale.push(format!("{path}: not written by hagen; a build refuses to replace it"));
            continue;
        }
        let mut old = Vec::new();
        match open_plain(&dir.join(path)).and_then(|f| f.take(bytes.len() as u64 + 1).read_to_end(&mut old)) {
            Ok(_) if &old == bytes => {}
            Ok(_) => stale.push(format!("{path}: differs")),
            Err(_) => stale.push(format!("{path}: missing")),
        }
    }
    for path in &survey.files {
        if !files.iter().any(|(p, _)| p == path) {
            stale.push(format!("{path}: no longer produced"));
        }
    }
    stale.sort();
    Ok(stale)
}

/// A path as messages show it: control characters escaped, so that a folder name cannot drive
/// the terminal.
fn printable(path: &Path) -> String {
    crate::render::human::printable(&path.display().to_string()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(runbook: &str) -> Vec<(String, Vec<u8>)> {
        vec![
            ("runbook.md".into(), format!("{RUNBOOK_MARK}c\n{runbook}").into_bytes()),
            ("scripts/g/start.bat".into(), b"x".to_vec()),
        ]
    }

    #[test]
    fn a_build_replaces_exactly_the_old_package() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("dist");
        let mut one = package("one");
        one.push(("scripts/old/s/stop.bat".into(), b"old".to_vec()));
        write_package(&dir, &one, &[]).unwrap();
        assert_eq!(
            stale_files(&dir, &package("one")).unwrap(),
            ["scripts/old/s/stop.bat: no longer produced"]
        );
        write_package(&dir, &package("two"), &[]).unwrap();
        assert!(!dir.join("scripts/old").exists());
        assert!(fs::read_to_string(dir.join("runbook.md")).unwrap().ends_with("two"));
        assert!(stale_files(&dir, &package("two")).unwrap().is_empty());
        // nothing is left beside it, and the package is not private
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o755);
        }
    }

    #[test]
    fn a_single_file_is_replaced_whole_and_a_folder_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let page = tmp.path().join("out/page.html");
        write_file(&page, b"one", &[]).unwrap();
        write_file(&page, b"two", &[]).unwrap();
        assert_eq!(fs::read(&page).unwrap(), b"two");
        assert_eq!(fs::read_dir(tmp.path().join("out")).unwrap().count(), 1);
        assert!(write_file(tmp.path(), b"x", &[]).unwrap_err().contains("is a folder"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&page).unwrap().permissions().mode() & 0o777, 0o644);
        }
    }

    #[test]
    fn folders_are_made_parents_first_and_once() {
        let files = [
            ("runbook.md".to_string(), Vec::new()),
            ("scripts/b/s/start.bat".to_string(), Vec::new()),
            ("scripts/b/s/stop.bat".to_string(), Vec::new()),
            ("scripts/a/start.bat".to_string(), Vec::new()),
            ("firewall/n1.txt".to_string(), Vec::new()),
        ];
        assert_eq!(
            folder_levels(&files),
            [
                vec!["firewall", "scripts"],
                vec!["scripts/a", "scripts/b"],
                vec!["scripts/b/s"]
            ]
        );
    }

    #[test]
    fn the_first_error_in_item_order_is_reported() {
        let items: Vec<usize> = (0..200).collect();
        let done = AtomicUsize::new(0);
        let result = on_threads(&items, |&i| {
            done.fetch_add(1, Ordering::Relaxed);
            if i >= 50 && i % 10 == 0 {
                Err(format!("item {i}"))
            } else {
                Ok(())
            }
        });
        assert_eq!(result.unwrap_err(), "item 50");
        assert!(done.load(Ordering::Relaxed) >= 51);
        assert_eq!(on_threads(&items, |_| Ok(())), Ok(()));
    }

    #[test]
    fn an_unwritable_file_fails_the_build_and_leaves_nothing_beside_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("dist");
        let mut files = package("one");
        // a file where a folder must go
        files.push(("scripts/g/start.bat/x".into(), b"y".to_vec()));
        let error = write_package(&dir, &files, &[]).unwrap_err();
        assert!(error.contains("scripts/g/start.bat"), "{error}");
        assert!(!dir.exists());
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_foreign_folder_or_a_file_is_never_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("precious.txt"), "keep").unwrap();
        assert!(write_package(tmp.path(), &package("x"), &[]).is_err());
        assert_eq!(fs::read_to_string(tmp.path().join("precious.txt")).unwrap(), "keep");
        let file = tmp.path().join("precious.txt");
        assert!(
            write_package(&file, &package("x"), &[])
                .unwrap_err()
                .contains("not a folder")
        );
    }

    /// Every entry under `dir` (not following links) with its bytes, or its kind.
    fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(folder) = stack.pop() {
            for entry in fs::read_dir(&folder).unwrap().flatten() {
                let path = entry.path();
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                let kind = entry.file_type().unwrap();
                if kind.is_dir() {
                    out.push((rel, b"<folder>".to_vec()));
                    stack.push(path);
                } else if kind.is_file() {
                    out.push((rel, fs::read(&path).unwrap()));
                } else {
                    out.push((rel, b"<other>".to_vec()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn the_users_files_in_a_package_folder_are_kept_byte_for_byte() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("dist");
        let mut one = package("one");
        one.push(("scripts/old/stop.bat".into(), b"old".to_vec()));
        write_package(&dir, &one, &[]).unwrap();
        let mine = [
            (".gitattributes", "*.bat eol=crlf\n"),
            ("README", "mine"),
            ("cluster.yaml", "cluster: {}\n"),
            ("profiles/p.yaml", "id: p\n"),
            ("scripts/g/notes.txt", "notes"),
            ("scripts/old/notes.txt", "more notes"),
            ("firewall/keep me.txt", "odd name"),
        ];
        for (path, text) in mine {
            fs::create_dir_all(dir.join(path).parent().unwrap()).unwrap();
            fs::write(dir.join(path), text).unwrap();
        }
        let input = dir.join("cluster.yaml");
        let profiles = dir.join("profiles");
        assert_eq!(
            stale_files(&dir, &package("two")).unwrap(),
            ["runbook.md: differs", "scripts/old/stop.bat: no longer produced"]
        );
        write_package(&dir, &package("two"), &[&input, &profiles]).unwrap();
        for (path, text) in mine {
            assert_eq!(fs::read_to_string(dir.join(path)).unwrap(), text, "{path}");
        }
        assert!(!dir.join("scripts/old/stop.bat").exists());
        assert!(fs::read_to_string(dir.join("runbook.md")).unwrap().ends_with("two"));
        assert!(stale_files(&dir, &package("two")).unwrap().is_empty());
        // no staging is left, inside or beside
        let left = |d: &Path| {
            fs::read_dir(d)
                .unwrap()
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with(STAGING))
        };
        assert!(!left(&dir) && !left(tmp.path()));
    }

    #[cfg(unix)]
    #[test]
    fn what_the_package_would_land_on_is_refused_before_anything_is_written() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("dist");
        write_package(&dir, &package("one"), &[]).unwrap();
        fs::write(tmp.path().join("outside"), "outside").unwrap();
        fs::remove_file(dir.join("scripts/g/start.bat")).unwrap();
        symlink(tmp.path().join("outside"), dir.join("scripts/g/start.bat")).unwrap();
        let before = snapshot(tmp.path());
        let error = write_package(&dir, &package("two"), &[]).unwrap_err();
        assert!(
            error.contains("scripts/g/start.bat") && error.contains("move it out"),
            "{error}"
        );
        assert_eq!(snapshot(tmp.path()), before);
        assert_eq!(
            stale_files(&dir, &package("one")).unwrap(),
            ["scripts/g/start.bat: not written by hagen; a build refuses to replace it"]
        );

        // the input itself, where the package writes
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("dist");
        write_package(&dir, &package("one"), &[]).unwrap();
        let input = dir.join("runbook.md");
        let before = snapshot(tmp.path());
        let error = write_package(&dir, &package("two"), &[&input]).unwrap_err();
        assert!(error.contains("is an input of this build"), "{error}");
        assert_eq!(snapshot(tmp.path()), before);

        // the output folder itself a link
        let link = tmp.path().join("link");
        symlink(&dir, &link).unwrap();
        let error = write_package(&link, &package("two"), &[]).unwrap_err();
        assert!(error.contains("is a symbolic link"), "{error}");
        assert!(
            stale_files(&link, &package("two"))
                .unwrap_err()
                .contains("is a symbolic link")
        );
        assert_eq!(snapshot(tmp.path()).len(), before.len() + 1);
    }

    #[cfg(unix)]
    #[test]
    fn check_follows_no_link_and_waits_on_no_pipe() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("dist");
        write_package(&dir, &package("one"), &[]).unwrap();
        symlink(&dir, dir.join("scripts/g/loop")).unwrap();
        symlink("/", dir.join("scripts/root")).unwrap();
        symlink("/dev/zero", dir.join("graph.dot")).unwrap();
        let made = std::process::Command::new("mkfifo").arg(dir.join("clp.conf")).status();
        let mut expected = vec![
            "graph.dot: not written by hagen; a build refuses to replace it",
            "runbook.md: differs",
        ];
        if made.is_ok_and(|s| s.success()) {
            expected.insert(0, "clp.conf: not written by hagen; a build refuses to replace it");
        }
        let mut files = package("two");
        files.push(("graph.dot".into(), b"g".to_vec()));
        files.push(("clp.conf".into(), b"c".to_vec()));
        assert_eq!(stale_files(&dir, &files).unwrap(), expected);
        assert!(write_package(&dir, &files, &[]).is_err());
        // without those files in the package, the links and the pipe are the user's and stay
        let before = snapshot(&dir);
        write_package(&dir, &package("two"), &[]).unwrap();
        let after = snapshot(&dir);
        assert_eq!(after.len(), before.len());
        assert_eq!(fs::read_link(dir.join("graph.dot")).unwrap(), Path::new("/dev/zero"));
    }

    #[test]
    fn the_staging_of_a_dead_build_is_removed_and_a_live_ones_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("dist");
        // dead: its lock file is held by nobody
        fs::create_dir_all(tmp.path().join(".hagen-new-dead01/scripts")).unwrap();
        fs::write(tmp.path().join(".hagen-new-dead01/runbook.md"), "x").unwrap();
        fs::write(tmp.path().join(".hagen-new-dead01.lock"), "").unwrap();
        // alive: this process holds its lock
        let live = Staging::folder_in(tmp.path()).unwrap();
        // no lock file: not known to be a build's, left alone
        fs::create_dir(tmp.path().join(".hagen-new-other")).unwrap();
        write_package(&dir, &package("one"), &[]).unwrap();
        let names: BTreeSet<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let live_name = live.path.file_name().unwrap().to_string_lossy().into_owned();
        let expected: BTreeSet<String> = [
            "dist".to_string(),
            ".hagen-new-other".into(),
            live_name.clone(),
            format!("{live_name}{LOCK}"),
        ]
        .into();
        assert_eq!(names, expected);
        drop(live);
        assert!(!tmp.path().join(&live_name).exists());
    }

    #[cfg(unix)]
    #[test]
    fn the_page_never_replaces_an_input_a_link_or_a_pipe() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("c.yaml");
        fs::write(&input, "cluster: {}\n").unwrap();
        let error = write_file(&input, b"page", &[&input]).unwrap_err();
        assert!(error.contains("is an input of this command"), "{error}");
        fs::hard_link(&input, tmp.path().join("hard.html")).unwrap();
        assert!(write_file(&tmp.path().join("hard.html"), b"page", &[&input]).is_err());
        fs::create_dir(tmp.path().join("profiles")).unwrap();
        let inside = tmp.path().join("profiles/p.yaml");
        let error = write_file(&inside, b"page", &[&input, &tmp.path().join("profiles")]).unwrap_err();
        assert!(error.contains("inside an input folder"), "{error}");
        symlink(&input, tmp.path().join("link.html")).unwrap();
        let error = write_file(&tmp.path().join("link.html"), b"page", &[]).unwrap_err();
        assert!(error.contains("is a symbolic link"), "{error}");
        let fifo = tmp.path().join("pipe.html");
        if std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success())
        {
            let error = write_file(&fifo, b"page", &[]).unwrap_err();
            assert!(error.contains("pipe"), "{error}");
        }
        let error = write_file(Path::new("/dev/null"), b"page", &[]).unwrap_err();
        assert!(error.contains("device"), "{error}");
        assert_eq!(fs::read_to_string(&input).unwrap(), "cluster: {}\n");
    }
}
