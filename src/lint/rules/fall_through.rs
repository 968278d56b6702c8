//! `script-fall-through`: one event's branch runs on into the next without a GOTO or EXIT.
//!
//! cmd.exe does not stop at a label: a branch that does not end in `GOTO EXIT` (or `EXIT`)
//! goes on with the lines of the branch written after it. The guides' samples dispatch on the
//! event (`IF "%ARMS_EVENT%" == "START" GOTO NORMAL`, FACTS.md section 1) and on the disk
//! (`GOTO ERROR_DISK`), and jump to `no_arm` when the cluster did not run the script; the
//! labels those jumps go to are the branches. Falling into one of them runs another event's
//! actions: the START branch also runs the FAILOVER branch, or broadcasts the disk error.
//! Reaching a label after which nothing runs (the common `:EXIT`) is the normal end.

use std::collections::BTreeSet;

use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;
use crate::lint::script::{Kind, Script};

/// The labels that begin a branch, upper-cased: targets of a jump on the event or the disk,
/// and of an unconditional jump before the first label (the "not run by the cluster" branch).
pub fn branch_labels(script: &Script) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut before_labels = true;
    for line in &script.lines {
        match (&line.kind, &line.condition) {
            (Kind::Label(_), _) => before_labels = false,
            (Kind::Goto(t), Some(Some(c))) if c.variable.ends_with("_EVENT") || c.variable.ends_with("_DISK") => {
                out.insert(t.text.to_ascii_uppercase());
            }
            (Kind::Goto(t), None) if before_labels => {
                out.insert(t.text.to_ascii_uppercase());
            }
            _ => {}
        }
    }
    out.remove("EOF");
    out
}

/// Whether the lines up to the next label run no command: the end of the script (`:EXIT`),
/// which every branch may reach.
fn does_nothing(lines: &[crate::lint::script::Line]) -> bool {
    lines
        .iter()
        .take_while(|l| !matches!(l.kind, Kind::Label(_)))
        .all(|l| matches!(l.kind, Kind::Nothing | Kind::Exit))
}

/// Whether the lines after `before` cannot run: no label lies between them and the last
/// unconditional jump or exit (the guide samples' `*****` box lines after `GOTO no_arm`).
fn dead(before: &[crate::lint::script::Line]) -> bool {
    for line in before.iter().rev() {
        if matches!(line.kind, Kind::Label(_)) {
            return false;
        }
        if line.ends_flow() {
            return true;
        }
    }
    false
}

pub fn check(item: &mut Linted) {
    let script = &item.script;
    let branches = branch_labels(script);
    for (index, label) in script.labels() {
        if !branches.contains(&label.text.to_ascii_uppercase()) || does_nothing(&script.lines[index + 1..]) {
            continue;
        }
        let Some(previous) = script.lines[..index]
            .iter()
            .rposition(|l| !matches!(l.kind, Kind::Nothing | Kind::Label(_)))
        else {
            continue;
        };
        let line = &script.lines[previous];
        if line.ends_flow() || dead(&script.lines[..previous]) {
            continue;
        }
        let from = script.lines[..previous].iter().rev().find_map(|l| match &l.kind {
            Kind::Label(t) if branches.contains(&t.text.to_ascii_uppercase()) => Some(t.text.as_str()),
            _ => None,
        });
        let from = match from {
            Some(name) => format!("the branch `:{name}`"),
            None => "the lines before the first branch".to_string(),
        };
        item.diagnostics.push(
            Diagnostic::new(
                Code::ScriptFallThrough,
                label.span.clone(),
                format!("{from} runs on into the branch `:{}`", label.text),
            )
            .label("reached without a jump")
            .related(line.span.clone(), "the last line before it neither jumps nor exits")
            .help("end the branch above with `GOTO EXIT` (or `EXIT`)"),
        );
    }
}
