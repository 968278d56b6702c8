//! `script-work-before-disk-check`: start.bat runs a command on START or FAILOVER before it
//! has compared the disk variable.
//!
//! The cluster passes the state of the group's switched or mirrored disk in `ARMS_DISK`
//! (CLUSTERPRO 6.0-8.0) or `CLP_DISK` (CLUSTERPRO X), and every sample of the guides compares
//! it first in both the START and the FAILOVER branch, jumping to `ERROR_DISK` on `FAILURE`
//! before any ARMLOAD (seed 000 1.1.5 and 1.5.7, ディスクチェック; seed 002, スクリプトサンプル).
//! A command that runs before that comparison runs on a server whose disk did not come up:
//! a database or a service starts without its files, or writes to the local disk under the
//! shared drive letter. The flow is followed through GOTO, CALL and IF blocks; one finding per
//! script, at the first such command.

use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;
use crate::lint::flow::{Disk, Event, is_work};

pub fn check(item: &mut Linted) {
    if item.stop {
        return;
    }
    let mut hits = item.script.lines.iter().enumerate().filter(|(i, line)| {
        let s = item.states[*i];
        is_work(line) && (s.has(Event::Start, Disk::Unknown) || s.has(Event::Failover, Disk::Unknown))
    });
    let Some((i, line)) = hits.next() else { return };
    let more = hits.count();
    let state = item.states[i];
    let event = if state.has(Event::Start, Disk::Unknown) {
        "START"
    } else {
        "FAILOVER"
    };
    let dialect = item.dialect();
    let word = &line.words[0];
    let mut message = format!(
        "`{}` runs for {event} before the script has compared %{dialect}_DISK%",
        word.text
    );
    if more > 0 {
        message.push_str(&format!(
            " (and {more} more such command{})",
            if more == 1 { "" } else { "s" }
        ));
    }
    let d = Diagnostic::new(Code::ScriptWorkBeforeDiskCheck, word.span.clone(), message)
        .label("runs even when the disk failed")
        .help(format!(
            "begin the START and FAILOVER branches with `IF \"%{dialect}_DISK%\" == \"FAILURE\" GOTO ERROR_DISK`"
        ));
    item.diagnostics.push(d);
}
