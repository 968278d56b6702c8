//! `failover-option-discouraged` in a script: ARMLOAD /FOV.
//!
//! seed 000 1.5.7 (and seed 002, script sample notes): a failure may be solved by stopping and
//! starting the service, and it may also make the system unstable, so the guides advise not to
//! add /FOV. A warning, as for the `failover_on_failure` key of a cluster file.

use crate::diag::{Code, Diagnostic};
use crate::lint::Linted;

pub fn check(item: &mut Linted) {
    for load in item.script.arm_loads() {
        if let Some(fov) = load.option("/FOV") {
            item.diagnostics.push(
                Diagnostic::new(
                    Code::FailoverOptionDiscouraged,
                    fov.span.clone(),
                    format!(
                        "ARMLOAD {} asks for /FOV, which the guides advise against",
                        load.watch_id.text
                    ),
                )
                .label("/FOV")
                .help("remove /FOV"),
            );
        }
    }
}
