//! Folders as data for tests: every file below a folder with its bytes, so that two packages
//! can be compared byte for byte with one `assert_eq!`.

// Each test crate uses a different part of this module.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Every file below `dir`: `/`-separated relative path -> bytes. A missing folder is empty.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

/// A cluster file of `groups` failover groups on four servers, three custom apps each
/// chained by `after`: large enough that building it takes a while, and checking it clean.
pub fn fleet(groups: usize) -> String {
    let mut text = String::from(
        "cluster:\n  name: fleet\n  platform: clusterpro-x-4.2\n  os: windows-server-2019\n  language: en\n\nservers:\n",
    );
    for s in 0..4 {
        text += &format!(
            "  - name: n{s}\n    ip: 192.168.60.{}\n    interconnects: [10.0.6.{}]\n",
            11 + s,
            11 + s
        );
    }
    text += "\ngroups:\n";
    for g in 0..groups {
        text += &format!(
            "  - name: g{g}\n    failover: [n0, n1, n2, n3]\n    ip: 10.{}.{}.10\n    apps:\n",
            1 + g / 250,
            g % 250
        );
        for a in 0..3 {
            let after = if a > 0 {
                format!("\n        after: [a{g}x{}]", a - 1)
            } else {
                String::new()
            };
            text += &format!(
                "      - product: custom\n        name: a{g}x{a}{after}\n        services:\n          - {{ name: S{g}x{a}, watch_id: W{g}X{a} }}\n"
            );
        }
    }
    text
}

/// The bundled examples (`examples/*.yaml`): file name and text, sorted by name.
pub fn examples() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut out: Vec<(String, String)> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(&path).unwrap())
        })
        .collect();
    out.sort();
    out
}
