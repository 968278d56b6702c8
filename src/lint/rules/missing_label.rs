//! `script-missing-label`: a GOTO to a label the script does not define.
//!
//! cmd.exe stops the whole script at such a GOTO ("The system cannot find the batch label
//! specified"), so the branch's services are never started or stopped. The SURFNAVI guide's
//! stop.bat (seed 002, ストップスクリプト) jumps to FAILOVER but defines FALLOVER.

use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;
use crate::lint::script::Kind;

pub fn check(item: &mut Linted) {
    let script = &item.script;
    let labels: Vec<&str> = script.labels().map(|(_, t)| t.text.as_str()).collect();
    for line in &script.lines {
        let Kind::Goto(target) = &line.kind else { continue };
        if target.text.eq_ignore_ascii_case("eof") || script.has_label(&target.text) {
            continue;
        }
        let mut d = Diagnostic::new(
            Code::ScriptMissingLabel,
            target.span.clone(),
            format!("GOTO `{}`, but the script has no label `:{}`", target.text, target.text),
        )
        .label("cmd.exe ends the script here");
        if let Some(near) = crate::suggest::did_you_mean(&target.text, labels.iter().copied()) {
            if let Some((_, t)) = script.labels().find(|(_, t)| t.text == near) {
                d = d.related(t.span.clone(), format!("the label `:{near}` is defined here"));
            }
            d = d.help(format!(
                "rename the label `:{near}` to `:{}` or jump to `{near}`",
                target.text
            ));
        } else {
            d = d.help(format!("define the label `:{}`", target.text));
        }
        item.diagnostics.push(d);
    }
}
