//! PowerShell's `ConvertTo-Json` of services: `Get-Service | Select-Object Name,StartType`
//! (PowerShell 5.0 and later) or `Get-CimInstance Win32_Service | Select-Object
//! Name,StartMode` (PowerShell 3.0 and 4.0, where Get-Service has no StartType).
//!
//! `StartType` is a `System.ServiceProcess.ServiceStartMode` (Microsoft, ".NET API reference:
//! ServiceController.StartType Property"), which ConvertTo-Json writes as its number, or as its
//! name with `-EnumsAsStrings` (Microsoft, "ConvertTo-Json", PowerShell 7: the parameter
//! converts every enumeration to its string form): Boot 0, System 1, Automatic 2, Manual 3,
//! Disabled 4 (Microsoft, ".NET API reference: ServiceStartMode Enum"). `StartMode` of
//! Win32_Service is a string: Boot, System, Auto, Manual or Disabled (Microsoft,
//! "Win32_Service class"). One service is written as an object, several as an array.

use serde_json::Value;

use super::Entry;
use crate::model::StartMode;

/// Whether the text is JSON: it starts with `[` or `{` once blanks are skipped.
pub fn recognise(text: &str) -> bool {
    matches!(text.trim_start().chars().next(), Some('[' | '{'))
}

pub fn read(text: &str) -> Result<Vec<Entry>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("it is not JSON: {e}"))?;
    let items = match value {
        Value::Array(items) => items,
        object @ Value::Object(_) => vec![object],
        _ => return Err("the JSON is neither a list of services nor one service".to_string()),
    };
    let mut entries: Vec<Entry> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Object(fields) = item else {
            return Err(format!("service {} of the list is not an object", i + 1));
        };
        let get = |key: &str| fields.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v);
        let Some(Value::String(name)) = get("Name") else {
            return Err(format!("service {} of the list has no `Name` text", i + 1));
        };
        let mode = match (get("StartType"), get("StartMode")) {
            (Some(v), _) => start_type(v),
            (None, Some(Value::String(s))) => super::wmic::start_mode(s),
            _ => {
                return Err(format!(
                    "service `{}` has neither `StartType` nor `StartMode`",
                    name.escape_debug()
                ));
            }
        };
        let mode =
            mode.ok_or_else(|| format!("service `{}` has a start type hagen does not know", name.escape_debug()))?;
        if !entries.iter().any(|e| &e.name == name) {
            entries.push(Entry {
                name: name.clone(),
                mode,
                line: None,
            });
        }
    }
    Ok(entries)
}

/// A ServiceStartMode, as its number or its name.
fn start_type(value: &Value) -> Option<StartMode> {
    match value {
        Value::Number(n) => match n.as_u64()? {
            0..=2 => Some(StartMode::Auto),
            3 => Some(StartMode::Manual),
            4 => Some(StartMode::Disabled),
            _ => None,
        },
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "boot" | "system" | "automatic" => Some(StartMode::Auto),
            "manual" => Some(StartMode::Manual),
            "disabled" => Some(StartMode::Disabled),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_names_and_one_object() {
        let got = read(
            r#"[{"Name":"a","StartType":2},{"Name":"b","StartType":"Manual"},{"name":"c","StartMode":"Disabled"}]"#,
        )
        .unwrap();
        let modes: Vec<_> = got.iter().map(|e| (e.name.as_str(), e.mode)).collect();
        assert_eq!(
            modes,
            [
                ("a", StartMode::Auto),
                ("b", StartMode::Manual),
                ("c", StartMode::Disabled)
            ]
        );
        assert_eq!(
            read(r#"{"Name":"W3SVC","StartType":3}"#).unwrap()[0].mode,
            StartMode::Manual
        );
    }

    #[test]
    fn an_unknown_start_type_is_an_error() {
        assert!(read(r#"[{"Name":"a","StartType":7}]"#).unwrap_err().contains("`a`"));
        assert!(read(r#"[{"Name":"a"}]"#).unwrap_err().contains("neither"));
    }
}
