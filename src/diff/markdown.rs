//! The diff as a pull-request comment: the summary line, a table of the changes with their
//! impact, the rollout and rollback steps, the script diffs folded, what was not compared.

use super::{Report, shown};

/// A table cell: no line break, no `|`, no HTML.
fn cell(text: &str) -> String {
    shown(text)
        .replace('\n', " ")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub fn render(report: &Report) -> String {
    let mut out = format!("### hagen diff\n\n{}\n", cell(&report.summary()));
    if report.changes.is_empty() {
        return out;
    }
    out.push_str("\n| Group | Change | Before | After | Apply | Disturbs | Source |\n|---|---|---|---|---|---|---|\n");
    for c in &report.changes {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            cell(c.group.as_deref().unwrap_or("(cluster)")),
            cell(&c.summary),
            cell(c.before.as_deref().unwrap_or("")),
            cell(c.after.as_deref().unwrap_or("")),
            c.method.name(),
            c.method.disturbs(),
            cell(c.method.source_shown()),
        ));
    }
    for (title, steps) in [("Rollout", &report.rollout), ("Rollback", &report.rollback)] {
        out.push_str(&format!("\n#### {title}\n\n"));
        for (i, s) in steps.iter().enumerate() {
            out.push_str(&format!("{}. {}\n", i + 1, cell(&s.text)));
        }
    }
    let diffs: Vec<_> = report.changes.iter().filter(|c| c.text_diff.is_some()).collect();
    if !diffs.is_empty() {
        out.push_str("\n#### Scripts\n");
        for c in diffs {
            let diff = shown(c.text_diff.as_deref().unwrap_or_default());
            // A fence longer than any run of backticks in the diff.
            let longest = diff.split(|ch| ch != '`').map(str::len).max().unwrap_or(0);
            let fence = "`".repeat(longest.max(2) + 1);
            out.push_str(&format!(
                "\n<details><summary>{}</summary>\n\n{fence}diff\n{}{fence}\n\n</details>\n",
                cell(&c.summary),
                diff
            ));
        }
    }
    if !report.ignored.is_empty() {
        out.push_str("\n#### Not compared\n\n");
        for i in &report.ignored {
            out.push_str(&format!("- {}\n", cell(i)));
        }
    }
    out
}
