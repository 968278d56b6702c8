//! ARMLOAD options: `monitor-not-allowed` (dbMail forbids /M) and
//! `failover-option-discouraged` (the guides advise against /FOV).

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::resolved::Cluster;

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
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
                        format!(
                            "`{}` must not be started with ARMLOAD's monitor option (/M)",
                            product.id
                        ),
                    )
                    .label("forbidden by the guide")
                    .help(format!("remove `monitor: true`; source: {}", product.monitor.source)),
                );
            }
            if let Some(fov) = &app.app.failover_on_failure
                && fov.value
            {
                diags.push(
                    Diagnostic::new(Code::FailoverOptionDiscouraged, fov.span.clone(), "ARMLOAD /FOV keeps a failed server as standby, and the failure may have left it unstable")
                        .label("/FOV")
                        .help("prefer the default (/M: fail over and shut the failed server down); source: PP guide (Internet) 1.5.7, PP guide (SURFNAVI) script notes"),
                );
            }
        }
    }
}
