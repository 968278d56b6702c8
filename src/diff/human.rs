//! The diff for people: the changes by group with how each is applied, the script diffs, the
//! rollout and the rollback, what was not compared, and the summary line last.

use super::{Report, place, shown};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let mut current: Option<Option<&str>> = None;
    for c in &report.changes {
        if current != Some(c.group.as_deref()) {
            current = Some(c.group.as_deref());
            match &c.group {
                Some(g) => out.push_str(&format!("group {g}:\n")),
                None => out.push_str("cluster:\n"),
            }
        }
        out.push_str(&format!(
            "  {} [{}]\n    apply: {} ({}); disturbs: {}\n",
            c.summary,
            c.kind.name(),
            c.method.name(),
            c.method.source_shown(),
            c.method.disturbs()
        ));
        if let Some(confirm) = c.method.to_confirm() {
            out.push_str(&format!("    to confirm: {confirm}\n"));
        }
        if let Some(before) = &c.before {
            out.push_str(&format!("    before: {before}\n"));
        }
        if let Some(after) = &c.after {
            out.push_str(&format!("    after:  {after}\n"));
        }
        if let Some((file, at)) = place(report, c) {
            out.push_str(&format!("    at: {file}:{}:{}\n", at.line, at.column));
        }
        if let Some(diff) = &c.text_diff {
            for line in diff.lines() {
                out.push_str("    | ");
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    for (title, steps) in [("Rollout", &report.rollout), ("Rollback", &report.rollback)] {
        if !steps.is_empty() && !report.changes.is_empty() {
            out.push_str(&format!("\n{title}:\n"));
            for (i, s) in steps.iter().enumerate() {
                out.push_str(&format!("  {}. {}\n", i + 1, s.text));
            }
        }
    }
    if !report.ignored.is_empty() {
        out.push_str("\nNot compared (hagen does not describe them):\n");
        for i in &report.ignored {
            out.push_str(&format!("  - {i}\n"));
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&report.summary());
    out.push('\n');
    shown(&out)
}
