//! Inventories exported on the servers themselves: the output of a command an operator runs
//! on each server without installing anything, named by path in the cluster file's
//! `inventory` (SPEC section 2) and read here, before any check runs.
//!
//! - [`text`]: the encodings those commands write (UTF-8, UTF-16 LE, CP932);
//! - [`sc`], [`wmic`], [`json`]: one reader per format, recognised from the content;
//! - [`load`]: the pipeline's step that reads each referenced export, within the input
//!   limits, and hands the start types to the checker as if they had been written in YAML;
//! - [`collect`]: the commands to run, as `hagen inventory collect` prints them.

pub mod collect;
pub mod json;
mod load;
pub mod sc;
pub mod text;
pub mod wmic;

pub use load::{export_path_problem, export_path_problem_in, load};

use crate::model::StartMode;

/// One service of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The service name (the registry key name, as ARMLOAD takes it).
    pub name: String,
    pub mode: StartMode,
    /// The 1-based line it was read from (none for JSON).
    pub line: Option<usize>,
}

/// The formats hagen reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Sc,
    Wmic,
    Json,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Sc => "sc query / sc qc",
            Format::Wmic => "wmic service get Name,StartMode /format:csv",
            Format::Json => "PowerShell ConvertTo-Json",
        }
    }
}

/// An export read: its format, encoding and services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub format: Format,
    pub encoding: text::Encoding,
    pub entries: Vec<Entry>,
}

/// What an unknown file is told: every accepted format.
pub const ACCEPTED: &str = "hagen reads the unedited output of `sc query state= all` with `sc qc` of each service, \
of `wmic service get Name,StartMode /format:csv`, or of PowerShell `Get-Service | Select-Object Name,StartType | ConvertTo-Json` \
(`Get-CimInstance Win32_Service | Select-Object Name,StartMode | ConvertTo-Json` before PowerShell 5.0), \
in UTF-8, UTF-16 or CP932; `hagen inventory collect` prints the commands";

/// Reads an export's bytes: decodes them, recognises the format from the content and reads
/// every service. The error says what is wrong, without quoting the file.
pub fn parse(bytes: &[u8]) -> Result<Export, String> {
    let (text, encoding) = text::decode(bytes)?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    if text.trim().is_empty() {
        return Err("the export is empty".to_string());
    }
    let format = if json::recognise(text) {
        Format::Json
    } else if wmic::recognise(text) {
        Format::Wmic
    } else if sc::recognise(text) {
        Format::Sc
    } else {
        return Err(format!(
            "not an export hagen knows ({} text): {ACCEPTED}",
            encoding.name()
        ));
    };
    let entries = match format {
        Format::Json => json::read(text),
        Format::Wmic => wmic::read(text),
        Format::Sc => sc::read(text),
    }
    .map_err(|e| format!("as {} output: {e}", format.name()))?;
    if entries.is_empty() {
        return Err(format!("as {} output: it lists no service", format.name()));
    }
    Ok(Export {
        format,
        encoding,
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_format_names_the_accepted_ones() {
        let err = parse(b"Name  StartType\n----  ---------\nW3SVC Manual\n").unwrap_err();
        assert!(
            err.contains("sc qc") && err.contains("wmic") && err.contains("ConvertTo-Json"),
            "{err}"
        );
        assert_eq!(parse(b" \r\n").unwrap_err(), "the export is empty");
    }

    #[test]
    fn the_format_comes_from_the_content() {
        assert_eq!(
            parse(b"\r\r\nNode,Name,StartMode\r\r\nA,W3SVC,Auto\r\r\n")
                .unwrap()
                .format,
            Format::Wmic
        );
        assert_eq!(
            parse(b"[{\"Name\":\"W3SVC\",\"StartType\":3}]").unwrap().format,
            Format::Json
        );
        assert_eq!(
            parse(b"SERVICE_NAME: W3SVC\r\n  START_TYPE : 3 DEMAND_START\r\n")
                .unwrap()
                .format,
            Format::Sc
        );
    }
}
