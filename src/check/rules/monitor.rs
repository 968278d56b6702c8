//! ARMLOAD options: `monitor-not-allowed` (dbMail forbids /M) and
//! `failover-option-discouraged` (the guides advise against /FOV).

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::resolved::Cluster;
use crate::tr;

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
    let l = cluster.language();
    for group in &cluster.groups {
        for app in &group.apps {
            if let (Some(monitor), Some(product)) = (&app.app.monitor, app.product)
                && monitor.value
                && !product.monitor.allowed
            {
                diags.push(
                    Diagnostic::new(
                        Code::MonitorNotAllowed,
                        monitor.span.clone(),
                        tr!(l, "diag.monitor", product = product.id),
                    )
                    .label(tr!(l, "diag.monitor.label"))
                    .help(tr!(l, "diag.monitor.help", source = product.monitor.source)),
                );
            }
            if let Some(fov) = &app.app.failover_on_failure
                && fov.value
            {
                diags.push(
                    Diagnostic::new(Code::FailoverOptionDiscouraged, fov.span.clone(), tr!(l, "diag.fov"))
                        .label("/FOV")
                        .help(tr!(
                            l,
                            "diag.fov.help",
                            source = "PP guide (Internet) 1.5.7, PP guide (SURFNAVI) script notes"
                        )),
                );
            }
        }
    }
}
