//! `script-unstopped-service`: a watch id start.bat starts with ARMLOAD and stop.bat never
//! stops with ARMKILL.
//!
//! Every service the group starts must be stopped when the group stops or moves (FACTS.md
//! section 1: stop.bat stops what start.bat started); a service left running keeps its files on
//! the switched disk open and keeps running on the server the group left.

use std::collections::HashSet;

use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;

pub fn check(start: &mut Linted, stop: &Linted) {
    let killed: HashSet<String> = stop
        .script
        .arm_kills()
        .map(|k| k.text.as_str().to_ascii_uppercase())
        .collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut found = Vec::new();
    for load in start.script.arm_loads() {
        let id = load.watch_id.text.as_str();
        let upper = id.to_ascii_uppercase();
        if killed.contains(&upper) || !seen.insert(upper) {
            continue;
        }
        found.push(
            Diagnostic::new(
                Code::ScriptUnstoppedService,
                load.watch_id.span.clone(),
                format!(
                    "`{id}` is started here, but {} never stops it with ARMKILL",
                    stop.script.file.name
                ),
            )
            .label("started, never stopped")
            .help(format!(
                "add `ARMKILL {id}` to every branch of stop.bat, in the reverse of the start order"
            )),
        );
    }
    for d in found {
        start.diagnostics.push(d);
    }
}
