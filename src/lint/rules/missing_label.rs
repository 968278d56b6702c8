//! `script-missing-label`: a GOTO to a label the script does not define.
//!
//! cmd.exe stops the whole script at such a GOTO ("The system cannot find the batch label
//! specified"), so the branch's services are never started or stopped. The SURFNAVI guide's
//! stop.bat (seed 002, ストップスクリプト) jumps to FAILOVER but defines FALLOVER.
//!
//! Labels are looked up by name in the script's label index, and the "did you mean" search
//! runs once per distinct missing name, so a script of many jumps costs time in proportion to
//! its length.

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;
use crate::lint::script::Kind;

pub fn check(item: &mut Linted) {
    let script = &item.script;
    let labels: Vec<&str> = script.labels().map(|(_, t)| t.text.as_str()).collect();
    // The closest label of each missing name, upper-cased, with the line defining it.
    let mut near: HashMap<String, Option<(String, usize)>> = HashMap::new();
    let mut found = Vec::new();
    for line in &script.lines {
        let Kind::Goto(target) = &line.kind else { continue };
        if target.text.eq_ignore_ascii_case("eof") || !item.labels.lines(&target.text).is_empty() {
            continue;
        }
        let close = near.entry(target.text.to_ascii_uppercase()).or_insert_with(|| {
            let name = crate::suggest::did_you_mean(&target.text, labels.iter().copied())?;
            let at = item.labels.lines(name).first().copied()?;
            Some((name.to_string(), at))
        });
        let mut d = Diagnostic::new(
            Code::ScriptMissingLabel,
            target.span.clone(),
            format!("GOTO `{}`, but the script has no label `:{}`", target.text, target.text),
        )
        .label("cmd.exe ends the script here");
        if let Some((name, at)) = close {
            if let Kind::Label(t) = &script.lines[*at].kind {
                d = d.related(t.span.clone(), format!("the label `:{}` is defined here", t.text));
            }
            d = d.help(format!(
                "rename the label `:{name}` to `:{}` or jump to `{name}`",
                target.text
            ));
        } else {
            d = d.help(format!("define the label `:{}`", target.text));
        }
        found.push(d);
    }
    for d in found {
        item.diagnostics.push(d);
    }
}
