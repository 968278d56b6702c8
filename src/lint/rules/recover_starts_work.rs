//! `script-recover-starts-work`: start.bat runs a command when the cluster runs it for the
//! RECOVER event.
//!
//! The cluster runs start.bat with `RECOVER` (`ARMS_EVENT`, `CLP_EVENT`) on a server that
//! comes back into the cluster while the group runs elsewhere; the guides' samples give
//! RECOVER a branch of its own that only broadcasts a message (seed 000 1.1.5 and 1.5.7,
//! リカバリ対応処理; seed 002, クラスタ復帰後のリカバリ処理). A START or FAILOVER command
//! reached for RECOVER — an ARMLOAD, a database start, a `net start` — starts the group's
//! services a second time on a server that does not own the disk. That happens when a script
//! does not dispatch on the event, when RECOVER falls through into another branch, or when it
//! jumps to the same label as START. One finding per script, at the first such command.

use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;
use crate::lint::flow::{Event, is_work};

pub fn check(item: &mut Linted) {
    if item.stop {
        return;
    }
    let mut hits = item
        .script
        .lines
        .iter()
        .enumerate()
        .filter(|(i, line)| is_work(line) && item.states[*i].has_event(Event::Recover));
    let Some((_, line)) = hits.next() else { return };
    let more = hits.count();
    let word = &line.words[0];
    let dialect = item.dialect();
    let mut message = format!("`{}` runs when the cluster runs the script for RECOVER", word.text);
    if more > 0 {
        message.push_str(&format!(
            " (and {more} more such command{})",
            if more == 1 { "" } else { "s" }
        ));
    }
    let mut d = Diagnostic::new(Code::ScriptRecoverStartsWork, word.span.clone(), message)
        .label("runs for RECOVER")
        .help(format!(
            "dispatch on the event first (`IF \"%{dialect}_EVENT%\" == \"RECOVER\" GOTO RECOVER`) and end the RECOVER branch with `GOTO EXIT` before any command"
        ));
    if let Some(&l) = item.labels.lines("RECOVER").first()
        && let crate::lint::script::Kind::Label(t) = &item.script.lines[l].kind
    {
        d = d.related(t.span.clone(), "the RECOVER branch");
    }
    item.diagnostics.push(d);
}
