//! `script-missing-label`: a GOTO to a label the script does not define.
//!
//! cmd.exe stops the whole script at such a GOTO ("The system cannot find the batch label
//! specified"), so the branch's services are never started or stopped. The SURFNAVI guide's
//! stop.bat (seed 002, ストップスクリプト) jumps to FAILOVER but defines FALLOVER.
//!
//! Labels are looked up by name in the script's label index, and the "did you mean" search
//! runs once per distinct missing name, among the labels nearest to it in sorted order when
//! there are many ([`Names`]), so a script of many jumps and many labels costs time in
//! proportion to its length. The findings go straight into the
//! script's list: a script of 200,000 such jumps holds one list of them, not two.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;
use crate::lint::script::Kind;
use crate::suggest::Names;

/// A label name as cmd.exe compares them: ASCII case ignored. Borrowed from the script, so a
/// missing name costs no copy to remember.
#[derive(Clone, Copy)]
struct Caseless<'a>(&'a str);

impl PartialEq for Caseless<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for Caseless<'_> {}

impl Hash for Caseless<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for b in self.0.bytes() {
            state.write_u8(b.to_ascii_uppercase());
        }
        state.write_u8(0xff);
    }
}

pub fn check(item: &mut Linted) {
    let script = &item.script;
    let has_labels = script.labels().next().is_some();
    // Gathered at the first missing name: a script whose jumps all land pays nothing.
    let labels = OnceCell::new();
    // The line of the closest label of each missing name.
    let mut near: HashMap<Caseless, Option<usize>> = HashMap::new();
    for line in &script.lines {
        let Kind::Goto(target) = &line.kind else { continue };
        if target.text.eq_ignore_ascii_case("eof") || !item.labels.lines(&target.text).is_empty() {
            continue;
        }
        let close = if !has_labels {
            None
        } else {
            *near.entry(Caseless(&target.text)).or_insert_with(|| {
                let labels = labels.get_or_init(|| Names::new(script.labels().map(|(_, t)| t.text.as_str())));
                let name = labels.closest(&target.text)?;
                item.labels.lines(name).first().copied()
            })
        };
        let mut d = Diagnostic::new(
            Code::ScriptMissingLabel,
            target.span.clone(),
            format!("GOTO `{}`, but the script has no label `:{}`", target.text, target.text),
        )
        .label("cmd.exe ends the script here");
        match close.map(|at| &script.lines[at].kind) {
            Some(Kind::Label(t)) => {
                let name = &t.text;
                d = d
                    .related(t.span.clone(), format!("the label `:{name}` is defined here"))
                    .help(format!(
                        "rename the label `:{name}` to `:{}` or jump to `{name}`",
                        target.text
                    ));
            }
            _ => d = d.help(format!("define the label `:{}`", target.text)),
        }
        item.diagnostics.push(d);
    }
}
