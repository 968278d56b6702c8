//! SPEC section 5's script guarantees, read off the text of a package's scripts: CRLF only
//! and no BOM, a header of comments naming the source, every GOTO to a label that exists, no
//! branch falling through into the next label, every service started once and stopped in the
//! exact reverse order.

// Each test crate uses a different part of this module.
#![allow(dead_code)]

use std::collections::BTreeMap;

/// Asserts every guarantee on each script of `package` (relative path -> bytes), built from
/// the cluster file `name`.
pub fn check_invariants(name: &str, package: &BTreeMap<String, Vec<u8>>) {
    for (rel, bytes) in package.iter().filter(|(p, _)| p.ends_with(".bat")) {
        let context = format!("{name}: {rel}");
        assert!(!bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "{context}: BOM");
        for (i, w) in bytes.windows(2).enumerate() {
            assert!(
                !(w[1] == b'\n' && w[0] != b'\r'),
                "{context}: bare LF at byte {}",
                i + 1
            );
        }
        let text = encoding_rs::SHIFT_JIS.decode(bytes).0.into_owned();
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.to_ascii_lowercase().starts_with("rem"))
            .collect();
        assert!(
            lines[0].starts_with("IF"),
            "{context}: the header must be comments only"
        );
        let labels: Vec<String> = lines
            .iter()
            .filter_map(|l| l.strip_prefix(':'))
            .map(|l| l.to_ascii_lowercase())
            .collect();
        for line in &lines {
            if let Some(target) = line.split("GOTO ").nth(1) {
                assert!(
                    labels.contains(&target.trim().to_ascii_lowercase()),
                    "{context}: GOTO {target} has no label"
                );
            }
        }
        // No fall-through: the line before every label (but the first) is a jump or an exit.
        for (i, line) in lines.iter().enumerate().skip(1) {
            if line.starts_with(':') {
                let before = lines[i - 1].to_ascii_uppercase();
                assert!(
                    before.starts_with("GOTO ") || before.starts_with("EXIT"),
                    "{context}: falls through into {line}"
                );
            }
        }
        let header = text.lines().take(5).collect::<Vec<_>>().join("\n");
        assert!(header.contains(name), "{context}: the header does not name the source");
    }
    // Each group: every service started once; stop.bat kills them in the exact reverse.
    for (rel, bytes) in package.iter().filter(|(p, _)| p.ends_with("start.bat")) {
        let start = encoding_rs::SHIFT_JIS.decode(bytes).0.into_owned();
        let stop_bytes = &package[&rel.replace("start.bat", "stop.bat")];
        let stop = encoding_rs::SHIFT_JIS.decode(stop_bytes).0.into_owned();
        let loads: Vec<&str> = start
            .lines()
            .filter_map(|l| l.strip_prefix("ARMLOAD "))
            .map(|l| l.split(' ').next().unwrap())
            .collect();
        let mut kills: Vec<&str> = stop.lines().filter_map(|l| l.strip_prefix("ARMKILL ")).collect();
        kills.reverse();
        assert_eq!(
            loads, kills,
            "{name}: {rel}: stop order is not the reverse of the start order"
        );
        let mut unique = loads.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), loads.len(), "{name}: {rel}: a service starts twice");
    }
}
