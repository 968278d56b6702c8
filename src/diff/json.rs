//! The diff as JSON (README, "Change review"): both sides, the summary, every change with its
//! apply method and place, the rollout, the rollback and what was not compared.

use serde::Serialize;

use super::{Report, place};

#[derive(Serialize)]
struct Json<'a> {
    old: SideJson<'a>,
    new: SideJson<'a>,
    summary: String,
    changed: bool,
    changes: Vec<ChangeJson<'a>>,
    rollout: Vec<&'a str>,
    rollback: Vec<&'a str>,
    ignored: &'a [String],
}

#[derive(Serialize)]
struct SideJson<'a> {
    path: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
struct ChangeJson<'a> {
    group: Option<&'a str>,
    kind: String,
    summary: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
    apply: ApplyJson,
    place: Option<PlaceJson>,
    diff: Option<&'a str>,
}

#[derive(Serialize)]
struct ApplyJson {
    method: &'static str,
    disturbs: &'static str,
    /// The NEC document and section; `null` when unverified.
    source: Option<&'static str>,
    verified: bool,
    /// While unverified: what to confirm, and where.
    to_confirm: Option<&'static str>,
}

#[derive(Serialize)]
struct PlaceJson {
    file: String,
    line: usize,
    column: usize,
}

pub fn render(report: &Report) -> String {
    let changes = report
        .changes
        .iter()
        .map(|c| ChangeJson {
            group: c.group.as_deref(),
            kind: c.kind.name(),
            summary: &c.summary,
            before: c.before.as_deref(),
            after: c.after.as_deref(),
            apply: ApplyJson {
                method: c.method.name(),
                disturbs: c.method.disturbs(),
                source: c.method.source(),
                verified: c.method.source().is_some(),
                to_confirm: c.method.to_confirm(),
            },
            place: place(report, c).map(|(file, at)| PlaceJson {
                file,
                line: at.line,
                column: at.column,
            }),
            diff: c.text_diff.as_deref(),
        })
        .collect();
    let json = Json {
        old: SideJson {
            path: &report.old.name,
            kind: report.old.origin.name(),
        },
        new: SideJson {
            path: &report.new.name,
            kind: report.new.origin.name(),
        },
        summary: report.summary(),
        changed: !report.changes.is_empty(),
        changes,
        rollout: report.rollout.iter().map(|s| s.text.as_str()).collect(),
        rollback: report.rollback.iter().map(|s| s.text.as_str()).collect(),
        ignored: &report.ignored,
    };
    let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
    text.push('\n');
    text
}
