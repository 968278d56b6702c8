//! `script-duplicate-label`: a label defined twice.
//!
//! cmd.exe looks for a GOTO's label from the line after the jump down to the end of the file,
//! then from the top, and takes the first it finds; a second `:NAME` is therefore reached by
//! some jumps and not others, depending only on where each jump stands. In a script copied
//! branch by branch from the guides' samples (seed 000 1.1.5, 1.5.7; seed 002) it is almost
//! always a copy-paste slip, and the branch it was meant for is the one that never runs. It
//! also guards generated scripts: a command line added in front of the services that reads
//! `:RECOVER` would catch the dispatch's `GOTO RECOVER` before the real branch does.

use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;
use crate::lint::script::Kind;

pub fn check(item: &mut Linted) {
    let mut found = Vec::new();
    for lines in item.labels.duplicated() {
        let Kind::Label(first) = &item.script.lines[lines[0]].kind else {
            continue;
        };
        for &again in &lines[1..] {
            let Kind::Label(label) = &item.script.lines[again].kind else {
                continue;
            };
            found.push(
                Diagnostic::new(
                    Code::ScriptDuplicateLabel,
                    label.span.clone(),
                    format!("the label `:{}` is defined a second time", label.text),
                )
                .label("defined again")
                .related(first.span.clone(), "first defined here")
                .help(format!(
                    "rename or remove one of them: a `GOTO {}` reaches the first of the two below it, else the first from the top",
                    first.text
                )),
            );
        }
    }
    for d in found {
        item.diagnostics.push(d);
    }
}
