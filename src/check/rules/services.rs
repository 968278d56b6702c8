//! Services: `service-not-manual` against the inventory, and `service-must-not-stop` for a
//! custom app that controls a service the catalog forbids stopping.
//!
//! The cluster starts a group's services on the server the group runs on; a service that
//! also starts with Windows runs on the standby servers too, and a disabled one cannot be
//! started at all. Every service the cluster controls must therefore be set to manual on
//! every server of its group's failover policy (PP guides 1.1.4, 1.2.4, 1.5.5, 1.6.5).

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::StartMode;
use crate::resolved::Cluster;
use crate::tr;

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
    let l = cluster.language();
    for group in &cluster.groups {
        for app in &group.apps {
            if app.product.is_some() {
                continue; // product keys were checked while resolving
            }
            for service in &app.services {
                if let Some((product, never)) = cluster.never_stop(&service.name) {
                    diags.push(
                        Diagnostic::new(
                            Code::ServiceMustNotStop,
                            service.span.clone(),
                            tr!(l, "diag.never_stop", service = never.name),
                        )
                        .label(tr!(l, "diag.never_stop.label"))
                        .help(tr!(
                            l,
                            "diag.never_stop.help",
                            reason = crate::i18n::catalog_text(l, &never.reason),
                            product = product.id,
                            source = never.source,
                        )),
                    );
                }
            }
        }
    }

    for inventory in &cluster.file.inventory {
        let server = inventory.server.value.as_str();
        for (name, mode) in &inventory.services {
            if mode.value == StartMode::Manual {
                continue;
            }
            let controlled = cluster
                .groups
                .iter()
                .filter(|g| g.runs_on(server))
                .flat_map(|g| g.apps.iter().map(move |a| (g, a)))
                .find_map(|(g, a)| {
                    a.services
                        .iter()
                        .find(|s| {
                            s.name.eq_ignore_ascii_case(&name.value) || s.fact.is_some_and(|f| f.is_named(&name.value))
                        })
                        .map(|s| (g, a, s))
                });
            let Some((group, app, service)) = controlled else {
                continue;
            };
            let why = match mode.value {
                StartMode::Disabled => crate::i18n::text(l, "diag.not_manual.disabled"),
                _ => crate::i18n::text(l, "diag.not_manual.auto"),
            };
            diags.push(
                Diagnostic::new(
                    Code::ServiceNotManual,
                    mode.span.clone(),
                    tr!(
                        l,
                        "diag.not_manual",
                        server = server,
                        service = name.value,
                        mode = mode.value.name(),
                        group = group.name(),
                        why = why,
                    ),
                )
                .label(tr!(l, "diag.not_manual.label"))
                .related(
                    service.span.clone(),
                    tr!(
                        l,
                        "diag.not_manual.related",
                        app = app.id(),
                        watch_id = service.watch_id
                    ),
                )
                .help(tr!(l, "diag.not_manual.help", service = name.value, server = server)),
            );
        }
    }
}
