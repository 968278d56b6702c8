//! The diff as GitHub workflow annotations: a notice per change at the cluster-file line that
//! causes it (at the file's first line when no line does), then the summary as a notice.

use super::{Report, place};
use crate::render::github::{escape_data, escape_property};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let fallback = report
        .new
        .text
        .as_ref()
        .or(report.old.text.as_ref())
        .map(|f| f.name.clone());
    for c in &report.changes {
        let message = format!(
            "{}{}{} — apply: {} ({}); disturbs: {}",
            c.group.as_deref().map(|g| format!("group {g}: ")).unwrap_or_default(),
            c.summary,
            match (&c.before, &c.after) {
                (Some(b), Some(a)) => format!(" ({b} -> {a})"),
                _ => String::new(),
            },
            c.method.name(),
            c.method.source_shown(),
            c.method.disturbs()
        );
        let title = escape_property(&format!("hagen diff {}", c.kind.name()));
        match place(report, c) {
            Some((file, at)) => out.push_str(&format!(
                "::notice file={},line={},col={},title={title}::{}\n",
                escape_property(&file),
                at.line,
                at.column,
                escape_data(&message)
            )),
            None => match &fallback {
                Some(file) => out.push_str(&format!(
                    "::notice file={},line=1,title={title}::{}\n",
                    escape_property(file),
                    escape_data(&message)
                )),
                None => out.push_str(&format!("::notice title={title}::{}\n", escape_data(&message))),
            },
        }
    }
    out.push_str(&format!(
        "::notice title=hagen diff::{}\n",
        escape_data(&report.summary())
    ));
    out
}
