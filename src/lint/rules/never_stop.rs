//! `service-must-not-stop` in a script: a service the catalog says must never be stopped
//! (SURFNAVI's ICPFSrv, seed 002 スクリプト作成の注意事項) is started by ARMLOAD (so the
//! cluster stops it too), stopped by `NET STOP`, or stopped by ARMKILL of a watch id that an
//! ARMLOAD of the same script, or of the paired start.bat, gave it.

use std::collections::HashMap;

use crate::catalog::{Catalog, NeverStop};
use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;
use crate::lint::script::{Kind, Script};

fn never_stop<'c>(catalog: &'c Catalog, name: &str) -> Option<&'c NeverStop> {
    catalog
        .products
        .values()
        .flat_map(|p| &p.never_stop)
        .find(|n| n.name.eq_ignore_ascii_case(name))
}

/// The never-stop services the ARMLOAD lines of `script` start, by upper-cased watch id (the
/// first such line of each).
fn loaded<'c>(script: &Script, catalog: &'c Catalog) -> HashMap<String, &'c NeverStop> {
    let mut out = HashMap::new();
    for l in script.arm_loads() {
        if let Some(n) = l.target.as_ref().and_then(|t| never_stop(catalog, t.unquoted())) {
            out.entry(l.watch_id.text.as_str().to_ascii_uppercase()).or_insert(n);
        }
    }
    out
}

/// With `start`, only the ARMKILL lines of `item` (a stop.bat) are checked against the ARMLOAD
/// lines of its start.bat; without, every line against the file itself.
pub fn check(item: &mut Linted, start: Option<&Script>, catalog: &Catalog) {
    let loads = loaded(start.unwrap_or(&item.script), catalog);
    let mut found = Vec::new();
    for line in &item.script.lines {
        let (token, fact, what) = match (&line.kind, start) {
            (Kind::ArmLoad(load), None) => {
                let Some(target) = &load.target else { continue };
                match never_stop(catalog, target.unquoted()) {
                    Some(n) => (target, n, "started by ARMLOAD, so the cluster also stops it"),
                    None => continue,
                }
            }
            (Kind::NetStop(service), None) => match never_stop(catalog, service.unquoted()) {
                Some(n) => (service, n, "stopped by NET STOP"),
                None => continue,
            },
            (Kind::ArmKill(watch_id), _) => match loads.get(&watch_id.text.as_str().to_ascii_uppercase()) {
                Some(n) => (watch_id, *n, "stopped by ARMKILL"),
                None => continue,
            },
            _ => continue,
        };
        found.push(
            Diagnostic::new(
                Code::ServiceMustNotStop,
                token.span.clone(),
                format!("{} must never be stopped, but is {what}", fact.name),
            )
            .label(fact.reason.clone())
            .help(format!(
                "remove the line, or comment it out as the guide's sample does ({})",
                fact.source
            )),
        );
    }
    for d in found {
        item.diagnostics.push(d);
    }
}
