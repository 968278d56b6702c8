//! Reading the exports a cluster file names, before any check runs (checks never do I/O).
//!
//! A path is relative to the cluster file's folder and stays inside it: it is written with
//! `/` between folder names, each starting with a letter, digit or `_` (so neither `..` nor
//! `.` nor an absolute path can be written), and a symbolic link that leads outside the folder
//! is refused too. A cluster file checked in CI can so not make hagen read, and quote in its
//! diagnostics, a file from elsewhere on the machine. The file must be a regular file (a pipe
//! or device could block the read) of at most 16 MiB, the limit of a cluster file.

use std::fs::{self, File};
use std::io::Read;
use std::path::Path;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{ClusterFile, Language, Sp, values};
use crate::tr;
use crate::yaml::MAX_FILE_BYTES;

/// What is wrong with the path of an export as written, or `None`.
pub fn export_path_problem(path: &str) -> Option<String> {
    export_path_problem_in(Language::En, path)
}

/// [`export_path_problem`] in `l`.
pub fn export_path_problem_in(l: Language, path: &str) -> Option<String> {
    if path.len() > 1024 {
        return Some(tr!(l, "value.export.long"));
    }
    let outside = || Some(tr!(l, "value.export.outside", path = path.escape_debug()));
    for segment in path.split('/') {
        let mut chars = segment.chars();
        match chars.next() {
            Some(first) if first.is_ascii_alphanumeric() || first == '_' => {}
            _ => return outside(),
        }
        if let Some(c) = chars.find(|c| !(c.is_ascii_alphanumeric() || " _.-".contains(*c))) {
            if matches!(c, '/' | '\\' | ':') {
                return outside();
            }
            return Some(tr!(
                l,
                "value.export.char",
                path = path.escape_debug(),
                char = c.escape_debug()
            ));
        }
    }
    None
}

/// Reads the export of every inventory that names one, relative to `cluster_file`'s folder,
/// and puts its services in the inventory; a file that cannot be read or understood is an
/// `invalid-value` at the path.
pub fn load(file: &mut ClusterFile, cluster_file: &Path, diags: &mut Diagnostics) {
    let base = match cluster_file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let l = file.cluster.language();
    for inventory in &mut file.inventory {
        let Some(path) = &inventory.export else { continue };
        match read(l, base, &path.value) {
            Ok(export) => {
                inventory.services = export
                    .entries
                    .into_iter()
                    .filter(|e| values::service_name_problem(&e.name).is_none())
                    .map(|e| (Sp::new(e.name, path.span.clone()), Sp::new(e.mode, path.span.clone())))
                    .collect();
            }
            Err(reason) => diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    path.span.clone(),
                    tr!(
                        l,
                        "inventory.unreadable",
                        server = inventory.server.value,
                        path = path.value,
                        reason = reason
                    ),
                )
                .label(tr!(l, "inventory.unreadable.label"))
                .help(tr!(l, "inventory.unreadable.help")),
            ),
        }
    }
}

/// The export at `relative`, or why it cannot be read (hagen's own reasons in `l`; the
/// system's and the export formats' in English).
fn read(l: Language, base: &Path, relative: &str) -> Result<super::Export, String> {
    if let Some(problem) = export_path_problem_in(l, relative) {
        return Err(problem);
    }
    let path = base.join(relative);
    let meta = fs::metadata(&path).map_err(|e| crate::input::describe(&e))?;
    if meta.is_dir() {
        return Err(tr!(l, "inventory.reason.folder"));
    }
    if !meta.is_file() {
        return Err(tr!(l, "inventory.reason.special"));
    }
    let (Ok(inside), Ok(real)) = (fs::canonicalize(base), fs::canonicalize(&path)) else {
        return Err(tr!(l, "inventory.reason.unresolved"));
    };
    if !real.starts_with(&inside) {
        return Err(tr!(l, "inventory.reason.outside"));
    }
    let mut bytes = Vec::new();
    File::open(&path)
        .and_then(|f| f.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes))
        .map_err(|e| crate::input::describe(&e))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(tr!(l, "inventory.reason.large", mib = MAX_FILE_BYTES / (1024 * 1024)));
    }
    super::parse(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_below_the_cluster_file() {
        assert_eq!(export_path_problem("inventory/sv1.csv"), None);
        assert_eq!(export_path_problem("sv1 export.txt"), None);
        for bad in [
            "../sv1.csv",
            "/etc/passwd",
            "a//b",
            "./a",
            "a/../b",
            "C:/x",
            "a\\b",
            ".hidden",
            "a/",
        ] {
            assert!(export_path_problem(bad).is_some(), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("secret.csv");
        fs::write(&outside, "Node,Name,StartMode\nA,B,Auto\n").unwrap();
        fs::create_dir(dir.path().join("c")).unwrap();
        std::os::unix::fs::symlink(&outside, dir.path().join("c/sv1.csv")).unwrap();
        let err = read(Language::En, &dir.path().join("c"), "sv1.csv").unwrap_err();
        assert!(err.contains("outside"), "{err}");
        fs::copy(&outside, dir.path().join("c/sv2.csv")).unwrap();
        assert!(read(Language::En, &dir.path().join("c"), "sv2.csv").is_ok());
    }
}
