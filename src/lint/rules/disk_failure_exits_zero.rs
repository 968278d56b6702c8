//! `script-disk-failure-exits-zero`: start.bat's path for a failed disk ends the script with
//! exit code 0.
//!
//! On CLUSTERPRO X the script resource takes start.bat's exit code as the result of starting
//! it: 0 is success (EXPRESSCLUSTER X Reference Guide, script resource). A branch for
//! `FAILURE` that only broadcasts a message and then jumps to the common `:EXIT` — as the
//! guides' samples do (seed 000 1.1.5 and 1.5.7, ディスク関連エラー処理; seed 002) — ends the
//! script with 0 (`EXIT` without a code, `EXIT 0`, `GOTO :EOF` or the end of the file after a
//! command that succeeded), so the cluster believes the group started on a server whose disk
//! failed, and neither fails it over nor reports it. hagen's own scripts end that branch with
//! `EXIT 1`.
//!
//! The flow is followed backwards from every end with code 0 along the edges a failed disk can
//! take, once for the whole script; each comparison that sends a failed disk into that part is
//! reported at the branch it jumps to.

use std::collections::BTreeSet;

use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;
use crate::lint::flow::{Disk, State, To, narrow};
use crate::lint::script::Kind;

/// Every event with the disk known to have failed.
const FAILED: State = State(0b100_100_100_100);
/// START, FAILOVER and RECOVER with the disk not looked at yet.
const UNCHECKED: State = State(0b000_001_001_001);

pub fn check(item: &mut Linted) {
    if item.stop {
        return;
    }
    let lines = &item.script.lines;
    let n = lines.len();
    // For each line, the line where a failed disk reaching it ends the script with code 0.
    let mut ends_zero: Vec<Option<usize>> = vec![None; n];
    // The edges a failed disk can take, as (to, from) pairs sorted by where they lead: the
    // lines leading into line `j` are one run of the list.
    let mut reverse: Vec<(usize, usize)> = Vec::with_capacity(n);
    let mut pending = Vec::new();
    for (i, edges) in item.flow.lines().enumerate() {
        for e in edges {
            if e.call || narrow(FAILED, &lines[i], e.when).is_empty() {
                continue;
            }
            match e.to {
                To::Line(j) => reverse.push((j, i)),
                To::End(Some(true)) if ends_zero[i].is_none() => {
                    ends_zero[i] = Some(i);
                    pending.push(i);
                }
                To::End(_) => {}
            }
        }
    }
    reverse.sort_unstable();
    while let Some(j) = pending.pop() {
        let from = reverse.partition_point(|&(to, _)| to < j);
        for &(_, i) in reverse[from..].iter().take_while(|&&(to, _)| to == j) {
            if ends_zero[i].is_none() {
                ends_zero[i] = ends_zero[j];
                pending.push(i);
            }
        }
    }
    let mut reported = BTreeSet::new();
    let mut found = Vec::new();
    for (i, edges) in item.flow.lines().enumerate() {
        let Some(Some(c)) = &lines[i].condition else { continue };
        let reaching = State(item.states[i].0 & UNCHECKED.0);
        if reaching.is_empty() || !c.variable.ends_with("_DISK") {
            continue;
        }
        for e in edges {
            if e.call || !narrow(reaching, &lines[i], e.when).has_disk(Disk::Failure) {
                continue;
            }
            let (at, end) = match e.to {
                To::Line(j) => match ends_zero[j] {
                    Some(end) => (j, end),
                    None => continue,
                },
                To::End(Some(true)) => (i, i),
                To::End(_) => continue,
            };
            if !reported.insert(at) {
                continue;
            }
            let (span, what) = match &lines[at].kind {
                Kind::Label(t) if at != i => (t.span.clone(), format!("the branch `:{}`", t.text)),
                _ => (
                    c.left.span.start..c.right.span.end,
                    "the path for a failed disk".to_string(),
                ),
            };
            let mut d = Diagnostic::new(
                Code::ScriptDiskFailureExitsZero,
                span,
                format!(
                    "{what} ends the script with exit code 0, so the cluster takes a failed disk for a started group"
                ),
            )
            .label("a failed disk comes here")
            .help("end the branch with `EXIT 1` after its message, so that the cluster sees the start fail");
            d = d.related(lines[end].span.clone(), "the script ends here with exit code 0");
            found.push(d);
        }
    }
    for d in found {
        item.diagnostics.push(d);
    }
}
