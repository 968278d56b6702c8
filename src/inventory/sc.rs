//! `sc query state= all` followed by `sc qc` of each service, as cmd.exe prints them.
//!
//! `sc query` lists services, each under a `SERVICE_NAME:` line, without their start type
//! (Microsoft, "Sc query": the query operation displays SERVICE_NAME, TYPE, STATE, ...);
//! `sc qc NAME` queries the service's configuration (Microsoft, "Sc qc") and prints it under
//! the same `SERVICE_NAME:` line, its start type on a `START_TYPE` line. The keys are the
//! same on Japanese Windows; only values such as DISPLAY_NAME are translated. Only the key
//! and the number that starts its value are read: the number is the configuration's
//! `dwStartType` (Microsoft, [MS-SCMR] "2.2.15 QUERY_SERVICE_CONFIGW": SERVICE_BOOT_START 0,
//! SERVICE_SYSTEM_START 1, SERVICE_AUTO_START 2, SERVICE_DEMAND_START 3, SERVICE_DISABLED 4),
//! so a `(DELAYED)` after AUTO_START is still an automatic start (Microsoft,
//! "SERVICE_DELAYED_AUTO_START_INFO structure (winsvc.h)": the delay applies to auto-start
//! services).

use super::{Entry, text};
use crate::model::StartMode;

/// Whether the text looks like sc's output: a line that starts with `SERVICE_NAME` and a colon.
pub fn recognise(text: &str) -> bool {
    text::lines(text).any(|(_, l)| value_of(l, "SERVICE_NAME").is_some())
}

pub fn read(text: &str) -> Result<Vec<Entry>, String> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut listed = 0usize;
    let mut current: Option<(String, usize)> = None;
    for (n, line) in text::lines(text) {
        if let Some(name) = value_of(line, "SERVICE_NAME") {
            listed += 1;
            current = (!name.is_empty()).then(|| (name.to_string(), n));
        } else if let Some(value) = value_of(line, "START_TYPE") {
            let Some((name, _)) = current.take() else {
                return Err(format!("line {n}: START_TYPE without a SERVICE_NAME line before it"));
            };
            let mode = start_type(value).ok_or_else(|| {
                format!(
                    "line {n}: `{}` is not a start type sc prints (0 to 4)",
                    value.escape_debug()
                )
            })?;
            if !entries.iter().any(|e| e.name == name) {
                entries.push(Entry {
                    name,
                    mode,
                    line: Some(n),
                });
            }
        }
    }
    if entries.is_empty() && listed > 0 {
        return Err(
            "it is `sc query` output, which has no start types: add the output of `sc qc` for each service (`hagen inventory collect` prints the command)"
                .to_string(),
        );
    }
    Ok(entries)
}

/// The value after `KEY` and its colon, trimmed, when the line holds that key.
fn value_of<'l>(line: &'l str, key: &str) -> Option<&'l str> {
    let rest = line.trim_start().strip_prefix(key)?;
    let rest = rest.trim_start_matches([' ', '\t']).strip_prefix(':')?;
    Some(rest.trim())
}

/// `2   AUTO_START  (DELAYED)` -> auto: the number decides.
fn start_type(value: &str) -> Option<StartMode> {
    let number = value.split_whitespace().next()?;
    match number.parse::<u32>().ok()? {
        0..=2 => Some(StartMode::Auto),
        3 => Some(StartMode::Manual),
        4 => Some(StartMode::Disabled),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_types_by_their_number() {
        assert_eq!(start_type("2   AUTO_START  (DELAYED)"), Some(StartMode::Auto));
        assert_eq!(start_type("3   DEMAND_START"), Some(StartMode::Manual));
        assert_eq!(start_type("4   DISABLED"), Some(StartMode::Disabled));
        assert_eq!(start_type("1   SYSTEM_START"), Some(StartMode::Auto));
        assert_eq!(start_type("9   ?"), None);
        assert_eq!(start_type(""), None);
    }

    #[test]
    fn query_alone_is_explained() {
        let err = read("SERVICE_NAME: W3SVC\nDISPLAY_NAME: World Wide Web Publishing Service\n").unwrap_err();
        assert!(err.contains("sc qc"), "{err}");
    }

    #[test]
    fn names_with_spaces_and_colons_are_kept() {
        let got = read("SERVICE_NAME: ExpressMail Pop Service\n        START_TYPE         : 2   AUTO_START\n").unwrap();
        assert_eq!(got[0].name, "ExpressMail Pop Service");
        assert_eq!(got[0].mode, StartMode::Auto);
        assert_eq!(got[0].line, Some(2));
    }
}
