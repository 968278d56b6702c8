//! `script-stop-order`: stop.bat stops the services in an order other than the exact reverse of
//! the order start.bat starts them in.
//!
//! The guides stop in the reverse of the start order (seed 000 1.2.5: dbMail before IIS, and
//! before the RDB and the mail server it uses; the samples of 1.1.5 and 1.5.7), and hagen's
//! own scripts do (SPEC section 5): a service stopped before one that still uses it fails that
//! one. The order compared is that of each watch id's first ARMLOAD and first ARMKILL, over the
//! watch ids both files name.

use std::collections::HashSet;

use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;
use crate::lint::script::Token;

/// Each watch id once, in the order of its first appearance.
fn first_seen<'a>(tokens: impl Iterator<Item = &'a Token>) -> Vec<&'a Token> {
    let mut seen = HashSet::new();
    tokens
        .filter(|t| seen.insert(t.text.as_str().to_ascii_uppercase()))
        .collect()
}

pub fn check(start: &Linted, stop: &mut Linted) {
    let loads = first_seen(start.script.arm_loads().map(|l| &l.watch_id));
    let kills = first_seen(stop.script.arm_kills());
    let names =
        |ts: &[&Token]| -> HashSet<String> { ts.iter().map(|t| t.text.as_str().to_ascii_uppercase()).collect() };
    let (loaded, killed) = (names(&loads), names(&kills));
    let started: Vec<&Token> = loads
        .iter()
        .copied()
        .filter(|t| killed.contains(&t.text.as_str().to_ascii_uppercase()))
        .collect();
    let stopped: Vec<&Token> = kills
        .iter()
        .copied()
        .filter(|t| loaded.contains(&t.text.as_str().to_ascii_uppercase()))
        .collect();
    let expected: Vec<&Token> = started.iter().rev().copied().collect();
    let Some(i) = (0..stopped.len()).find(|&i| !stopped[i].text.eq_ignore_ascii_case(&expected[i].text)) else {
        return;
    };
    let wanted = expected[i];
    let order: Vec<&str> = expected.iter().map(|t| t.text.as_str()).collect();
    let d = Diagnostic::new(
        Code::ScriptStopOrder,
        stopped[i].span.clone(),
        format!(
            "`{}` is stopped here, but the reverse of the start order stops `{}` now",
            stopped[i].text, wanted.text
        ),
    )
    .label("out of order")
    .help(format!("stop in the reverse of the start order: {}", order.join(", ")));
    stop.diagnostics.push(d);
}
