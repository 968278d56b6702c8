//! `wmic service get Name,StartMode /format:csv`.
//!
//! WMIC's CSV output is a blank line, a header line naming the columns (`Node` first, the
//! computer's name, then the properties asked for), and one line per service, with no
//! quoting. The values of StartMode are those of the Win32_Service class (Microsoft,
//! "Win32_Service class": StartMode is one of Boot, System, Auto, Manual, Disabled). The
//! columns are found by name in the header, in whatever order they come.

use super::{Entry, text};
use crate::model::StartMode;

/// Whether the first line that is not blank is a header with `Name` and `StartMode` columns.
pub fn recognise(text: &str) -> bool {
    header(text).is_some()
}

fn header(text: &str) -> Option<(usize, usize, usize, usize)> {
    let (n, line) = text::lines(text).find(|(_, l)| !l.trim().is_empty())?;
    let columns: Vec<&str> = line.split(',').map(str::trim).collect();
    let find = |want: &str| columns.iter().position(|c| c.eq_ignore_ascii_case(want));
    Some((n, columns.len(), find("Name")?, find("StartMode")?))
}

pub fn read(text: &str) -> Result<Vec<Entry>, String> {
    let Some((header_line, width, name_at, mode_at)) = header(text) else {
        return Err("no header line with `Name` and `StartMode` columns".to_string());
    };
    let mut entries: Vec<Entry> = Vec::new();
    for (n, line) in text::lines(text).skip(header_line) {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').collect();
        if fields.len() < width {
            return Err(format!("line {n} has {} columns; the header has {width}", fields.len()));
        }
        // A service name may hold commas, which WMIC does not quote: the extra fields are
        // the name's.
        let extra = fields.len() - width;
        let name = fields[name_at..=name_at + extra].join(",");
        let mode_field = if mode_at > name_at {
            fields[mode_at + extra]
        } else {
            fields[mode_at]
        };
        let mode = start_mode(mode_field.trim()).ok_or_else(|| {
            format!(
                "line {n}: `{}` is not a StartMode of Win32_Service (Boot, System, Auto, Manual, Disabled)",
                mode_field.trim().escape_debug()
            )
        })?;
        let name = name.trim().to_string();
        if !name.is_empty() && !entries.iter().any(|e| e.name == name) {
            entries.push(Entry {
                name,
                mode,
                line: Some(n),
            });
        }
    }
    Ok(entries)
}

/// A StartMode of Win32_Service, any case.
pub fn start_mode(value: &str) -> Option<StartMode> {
    match value.to_ascii_lowercase().as_str() {
        "boot" | "system" | "auto" => Some(StartMode::Auto),
        "manual" => Some(StartMode::Manual),
        "disabled" => Some(StartMode::Disabled),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_name() {
        let got = read("\r\r\nNode,StartMode,Name\r\r\nSV1,Manual,W3SVC\r\r\n").unwrap();
        assert_eq!(
            (got[0].name.as_str(), got[0].mode, got[0].line),
            ("W3SVC", StartMode::Manual, Some(3))
        );
    }

    #[test]
    fn a_name_with_a_comma_keeps_it() {
        let got = read("Node,Name,StartMode\nSV1,a,b,Auto\n").unwrap();
        assert_eq!(got[0].name, "a,b");
    }

    #[test]
    fn a_bad_start_mode_names_its_line() {
        let err = read("\nNode,Name,StartMode\nSV1,W3SVC,Sometimes\n").unwrap_err();
        assert!(err.starts_with("line 3:"), "{err}");
    }
}
