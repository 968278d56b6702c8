//! Diagnostics as SARIF 2.1.0, the format code-scanning services ingest.
//!
//! A small hand-written serde model of the parts hagen fills in, rather than a generated
//! binding of the whole standard: one run, the tool with a rule per diagnostic code (so a
//! viewer can show the code's description and where to read more), and one result per
//! diagnostic with its region and related locations. Columns count Unicode code points, as
//! the JSON format's do, and the run says so (`columnKind`).

use serde::Serialize;

use super::json::{JsonDiagnostic, JsonRelated};
use crate::diag::{Code, Severity};

#[derive(Debug, Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: Vec<Run>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub tool: Tool,
    pub column_kind: &'static str,
    pub results: Vec<SarifResult>,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub driver: Driver,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    pub name: &'static str,
    pub version: &'static str,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub id: &'static str,
    pub short_description: Text,
    pub help: Text,
    pub default_configuration: Configuration,
}

#[derive(Debug, Serialize)]
pub struct Configuration {
    pub level: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Text {
    pub text: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    pub rule_id: &'static str,
    pub rule_index: usize,
    pub level: &'static str,
    pub message: Text,
    pub locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_locations: Vec<Location>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<usize>,
    pub physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Text>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    pub region: Region,
}

#[derive(Debug, Serialize)]
pub struct ArtifactLocation {
    pub uri: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<Text>,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A file name as a relative URI reference: forward slashes, and the characters a URI may
/// not hold percent-encoded.
fn uri(file: &str) -> String {
    let mut out = String::with_capacity(file.len());
    for b in file.replace('\\', "/").bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn related(index: usize, r: &JsonRelated) -> Location {
    Location {
        id: Some(index),
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri: uri(&r.file) },
            region: Region {
                start_line: r.line,
                start_column: r.column,
                end_line: r.end_line,
                end_column: r.end_column,
                snippet: None,
            },
        },
        message: Some(Text {
            text: r.message.clone(),
        }),
    }
}

/// The SARIF log of diagnostics already resolved to lines and columns.
pub fn log(diagnostics: &[JsonDiagnostic]) -> Log {
    let rules = Code::ALL
        .iter()
        .map(|code| Rule {
            id: code.name(),
            short_description: Text {
                text: code.description().to_string(),
            },
            help: Text {
                text: format!(
                    "`hagen explain {}` tells what it means, why, and how to fix it.",
                    code.name()
                ),
            },
            default_configuration: Configuration {
                level: level(code.severity()),
            },
        })
        .collect();
    let results = diagnostics
        .iter()
        .map(|d| {
            let rule_index = Code::ALL
                .iter()
                .position(|c| c.name() == d.code)
                .expect("every diagnostic has a known code");
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            SarifResult {
                rule_id: d.code,
                rule_index,
                // hagen's severities are SARIF's level names.
                level: d.severity,
                message: Text { text: message },
                locations: vec![Location {
                    id: None,
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation { uri: uri(&d.file) },
                        region: Region {
                            start_line: d.line,
                            start_column: d.column,
                            end_line: d.end_line,
                            end_column: d.end_column,
                            snippet: Some(Text {
                                text: d.snippet.clone(),
                            }),
                        },
                    },
                    message: None,
                }],
                related_locations: d.related.iter().enumerate().map(|(i, r)| related(i, r)).collect(),
            }
        })
        .collect();
    Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "hagen",
                    version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_become_relative_uris() {
        assert_eq!(uri("clusters/web 1.yaml"), "clusters/web%201.yaml");
        assert_eq!(uri("a\\b.yaml"), "a/b.yaml");
        assert_eq!(uri("日本.yaml"), "%E6%97%A5%E6%9C%AC.yaml");
    }
}
