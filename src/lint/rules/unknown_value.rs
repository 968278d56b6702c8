//! `script-unknown-value`: an `IF` compares the cluster's event, disk or server variable with
//! a value the cluster never sets.
//!
//! The values are fixed: the event is `START`, `FAILOVER` or `RECOVER`, the disk `SUCCESS` or
//! `FAILURE`, the server `HOME` or `OTHER`, in both dialects (`ARMS_*`, seed 000 1.1.5 and
//! 1.5.7; `CLP_*`, seed 002 and the EXPRESSCLUSTER X Reference Guide's script resource
//! variables). A comparison with anything else (`"STOP"`, `"FAILED"`, `"FAILOVER "`) never
//! holds, and neither does one in another case (`"start"`), since `==` tells cases apart
//! unless `IF /I` is written: the branch it guards never runs. Comparing with `""` (the
//! variable is not set: the cluster did not run the script) is allowed.

use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;

const VALUES: [(&str, &[&str]); 3] = [
    ("_EVENT", &["START", "FAILOVER", "RECOVER"]),
    ("_DISK", &["SUCCESS", "FAILURE"]),
    ("_SERVER", &["HOME", "OTHER"]),
];

pub fn check(item: &mut Linted) {
    let mut found = Vec::new();
    for line in &item.script.lines {
        let Some(Some(c)) = &line.condition else { continue };
        if !(c.variable.starts_with("ARMS_") || c.variable.starts_with("CLP_")) || c.value.is_empty() {
            continue;
        }
        let Some((_, values)) = VALUES.iter().find(|(suffix, _)| c.variable.ends_with(suffix)) else {
            continue;
        };
        if values.iter().any(|v| c.equals(v)) {
            continue;
        }
        // The operand that holds the value (the other one names the variable).
        let operand = if c.left.unquoted().trim_matches('%').eq_ignore_ascii_case(&c.variable) {
            &c.right
        } else {
            &c.left
        };
        let list = values.join(", ");
        let d = match values.iter().find(|v| v.eq_ignore_ascii_case(&c.value)) {
            Some(v) => Diagnostic::new(
                Code::ScriptUnknownValue,
                operand.span.clone(),
                format!(
                    "%{}% is compared with `{}`, but the cluster sets `{v}`, and `==` tells cases apart",
                    c.variable, c.value
                ),
            )
            .label("never equal")
            .help(format!("write `\"{v}\"`, or compare with `IF /I`")),
            None => Diagnostic::new(
                Code::ScriptUnknownValue,
                operand.span.clone(),
                format!("%{}% is never `{}`: the cluster sets it to {list}", c.variable, c.value),
            )
            .label("never set")
            .help(format!("compare with one of {list}")),
        };
        found.push(d);
    }
    for d in found {
        item.diagnostics.push(d);
    }
}
