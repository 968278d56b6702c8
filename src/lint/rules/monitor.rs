//! `monitor-not-allowed` in a script: ARMLOAD /M on a service of a product that forbids it.
//!
//! The catalog says per product whether ARMLOAD's monitor option may be used (`monitor.allowed`;
//! dbMail: no, seed 000 1.2.6). The service is recognised by its name or watch id.

use crate::catalog::Catalog;
use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;

pub fn check(item: &mut Linted, catalog: &Catalog) {
    for load in item.script.arm_loads() {
        let Some(m) = load.option("/M") else { continue };
        let name = load.target.as_ref().map(|t| t.unquoted());
        let forbidding = catalog.products.values().filter(|p| !p.monitor.allowed).find(|p| {
            p.services
                .iter()
                .any(|s| name.is_some_and(|n| s.is_named(n)) || s.watch_id.eq_ignore_ascii_case(&load.watch_id.text))
        });
        if let Some(product) = forbidding {
            item.diagnostics.push(
                Diagnostic::new(
                    Code::MonitorNotAllowed,
                    m.span.clone(),
                    format!(
                        "ARMLOAD {} monitors a {} service, which must not be started with /M",
                        load.watch_id.text, product.name
                    ),
                )
                .label("/M")
                .help(format!("remove /M ({})", product.monitor.source)),
            );
        }
    }
}
