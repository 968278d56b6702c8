//! `script-fall-through`: one event's branch runs on into the next without a GOTO or EXIT.
//!
//! cmd.exe does not stop at a label: a branch that does not end in `GOTO EXIT` (or `EXIT`)
//! goes on with the lines of the branch written after it. The guides' samples dispatch on the
//! event (`IF "%ARMS_EVENT%" == "START" GOTO NORMAL`, FACTS.md section 1) and on the disk
//! (`GOTO ERROR_DISK`) and on the server's priority (`GOTO ON_OTHER1`), and jump to `no_arm`
//! when the cluster did not run the script; the labels those jumps go to are the branches.
//! Falling into one of them runs another case's actions: the START branch also runs the
//! FAILOVER branch, the highest-priority server also runs the other servers' ARMLOAD lines a
//! second time, or the disk error is broadcast.
//! Reaching a label after which nothing runs before the script ends (the common `:EXIT`) is
//! the normal end, and two labels on consecutive lines (`:NORMAL` then `:FAILOVER`) are one
//! branch with two names; an empty branch with comments is a branch of its own.

use std::collections::BTreeSet;

use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;
use crate::lint::script::{Kind, Line, Script};

/// The labels that begin a branch, upper-cased: targets of a jump on the event, the disk or
/// the server's priority (`GOTO ON_OTHER1`), and of an unconditional jump before the first
/// label (the "not run by the cluster" branch).
pub fn branch_labels(script: &Script) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut before_labels = true;
    for line in &script.lines {
        match (&line.kind, &line.condition) {
            (Kind::Label(_), _) => before_labels = false,
            (Kind::Goto(t), Some(Some(c)))
                if ["_EVENT", "_DISK", "_SERVER"].iter().any(|v| c.variable.ends_with(v)) =>
            {
                out.insert(t.text.as_str().to_ascii_uppercase());
            }
            (Kind::Goto(t), None) if before_labels => {
                out.insert(t.text.as_str().to_ascii_uppercase());
            }
            _ => {}
        }
    }
    out.remove("EOF");
    out
}

pub fn check(item: &mut Linted) {
    let script = &item.script;
    let lines = &script.lines;
    let n = lines.len();
    let branches = branch_labels(script);
    let is_branch =
        |l: &Line| matches!(&l.kind, Kind::Label(t) if branches.contains(&t.text.as_str().to_ascii_uppercase()));
    // Computed once, each in one pass, so that the script costs time in proportion to its length:
    // `quiet[i]`: the lines from `i` reach the end of the script, or an unconditional jump or
    // exit, without running a command or entering another branch (the common `:EXIT`, which
    // every branch may reach).
    let mut quiet = vec![true; n + 1];
    for i in (0..n).rev() {
        let line = &lines[i];
        quiet[i] = line.ends_flow()
            || match &line.kind {
                Kind::Nothing => quiet[i + 1],
                Kind::Label(_) if !is_branch(line) => quiet[i + 1],
                _ => false,
            };
    }
    // `previous[i]`: the last line before `i` that runs something or begins a branch.
    // `dead[i]`: the lines after `i` cannot run: no label lies between them and the last
    // unconditional jump or exit before (the guide samples' `*****` box lines after `GOTO
    // no_arm`). `owner[i]`: the last branch label at or before `i`.
    let mut previous = vec![None; n];
    let mut dead = vec![false; n];
    let mut owner: Vec<Option<usize>> = vec![None; n];
    let (mut last, mut after_end, mut branch) = (None, false, None);
    for (i, line) in lines.iter().enumerate() {
        previous[i] = last;
        dead[i] = after_end;
        if matches!(line.kind, Kind::Label(_)) {
            after_end = false;
        } else if line.ends_flow() {
            after_end = true;
        }
        if is_branch(line) {
            branch = Some(i);
        }
        owner[i] = branch;
        if !matches!(line.kind, Kind::Nothing | Kind::Label(_)) || is_branch(line) {
            last = Some(i);
        }
    }
    let mut found = Vec::new();
    for (index, label) in script.labels() {
        if !branches.contains(&label.text.as_str().to_ascii_uppercase()) || quiet[index + 1] {
            continue;
        }
        let Some(previous) = previous[index] else { continue };
        let line = &lines[previous];
        // `:NORMAL` right above `:FAILOVER`, with no line between, names one branch twice.
        let alias = is_branch(line) && previous + 1 == index;
        if alias || line.ends_flow() || (!is_branch(line) && dead[previous]) {
            continue;
        }
        // An empty branch right above falls through itself; otherwise the branch the last
        // line belongs to does.
        let from = match owner[previous].map(|o| &lines[o].kind) {
            Some(Kind::Label(t)) => format!("the branch `:{}`", t.text),
            _ => "the lines before the first branch".to_string(),
        };
        let why = if is_branch(line) {
            "this branch does nothing and goes on"
        } else {
            "the last line before it neither jumps nor exits"
        };
        found.push(
            Diagnostic::new(
                Code::ScriptFallThrough,
                label.span.clone(),
                format!("{from} runs on into the branch `:{}`", label.text),
            )
            .label("reached without a jump")
            .related(line.span.clone(), why)
            .help("end the branch above with `GOTO EXIT` (or `EXIT`)"),
        );
    }
    for d in found {
        item.diagnostics.push(d);
    }
}
