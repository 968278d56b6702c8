//! Services: `service-not-manual` against the inventory, and `service-must-not-stop` for a
//! custom app that controls a service the catalog forbids stopping.
//!
//! The cluster starts a group's services on the server the group runs on; a service that
//! also starts with Windows runs on the standby servers too, and a disabled one cannot be
//! started at all. Every service the cluster controls must therefore be set to manual on
//! every server of its group's failover policy (PP guides 1.1.4, 1.2.4, 1.5.5, 1.6.5).

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::StartMode;
use crate::resolved::{AppView, Cluster, Controlled, GroupView};
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
        let mut controlled: Option<HashMap<String, Control>> = None;
        for (name, mode) in &inventory.services {
            if mode.value == StartMode::Manual {
                continue;
            }
            let controlled = controlled.get_or_insert_with(|| controlled_on(cluster, server));
            let Some(&(group, app, service)) = controlled.get(&name.value.to_ascii_lowercase()) else {
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

/// A service with the group and app that control it.
type Control<'c, 'a> = (&'c GroupView<'a>, &'c AppView<'a>, &'c Controlled<'a>);

/// The services controlled on `server`, by each name an inventory may give them (lowercased),
/// the first in group, app and service order: built once per inventory, so that checking its
/// entries is a lookup each, not a scan of every service of the cluster.
fn controlled_on<'c, 'a>(cluster: &'c Cluster<'a>, server: &str) -> HashMap<String, Control<'c, 'a>> {
    let mut by_name = HashMap::new();
    for group in cluster.groups.iter().filter(|g| g.runs_on(server)) {
        for app in &group.apps {
            for service in &app.services {
                for name in service.names() {
                    by_name
                        .entry(name.to_ascii_lowercase())
                        .or_insert((group, app, service));
                }
            }
        }
    }
    by_name
}
