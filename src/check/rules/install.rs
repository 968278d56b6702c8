//! `install-location`: a product's program or data on the wrong disk.
//!
//! Some products live on the switching partition (dbMail, WEBharmo/RDBEUF, every product's
//! data), others on each server's local disk (ExpressMail's and WEBharmo/OLTP's programs). A
//! local path on a drive that is some group's switching partition disappears at failover; a
//! shared path off the group's switching partition does not move with the group.

use crate::catalog::{Disk, KeyKind};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::values::drive_of;
use crate::resolved::Cluster;
use crate::tr;

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
    let l = cluster.language();
    let shared_drives: Vec<(char, &str)> = cluster
        .groups
        .iter()
        .filter_map(|g| {
            g.group
                .disk
                .as_ref()
                .and_then(|d| d.drive.as_ref())
                .map(|d| (d.value, g.name()))
        })
        .collect();
    for group in &cluster.groups {
        let own = group.group.disk.as_ref().and_then(|d| d.drive.as_ref());
        for app in &group.apps {
            let Some(product) = app.product else { continue };
            for (key, spec) in &product.keys {
                let (KeyKind::Path, Some(location)) = (spec.kind, spec.location) else {
                    continue;
                };
                let Some(path) = app.app.prop(key) else { continue };
                let drive = drive_of(&path.value);
                match location {
                    Disk::Shared => {
                        let problem = match own {
                            None => Some(match group.group.mirror.as_ref().and_then(|m| m.drive.as_ref()) {
                                Some(m) => tr!(l, "diag.install.no_disk_mirror", group = group.name(), drive = m.value),
                                None => tr!(l, "diag.install.no_disk", group = group.name()),
                            }),
                            Some(d) if d.value != drive => {
                                Some(tr!(l, "diag.install.other_disk", group = group.name(), drive = d.value))
                            }
                            Some(_) => None,
                        };
                        if let Some(problem) = problem {
                            let mut d = Diagnostic::new(
                                Code::InstallLocation,
                                path.span.clone(),
                                tr!(
                                    l,
                                    "diag.install.shared",
                                    key = key,
                                    product = product.id,
                                    problem = problem
                                ),
                            )
                            .label(tr!(l, "diag.install.label", drive = drive))
                            .help(tr!(
                                l,
                                "diag.install.help",
                                description = crate::i18n::catalog_text(l, &spec.description),
                                source = spec.source,
                            ));
                            if let Some(own) = own {
                                d = d.related(own.span.clone(), tr!(l, "diag.install.related"));
                            }
                            diags.push(d);
                        }
                    }
                    Disk::Local => {
                        if let Some((_, owner)) = shared_drives.iter().find(|(d, _)| *d == drive) {
                            diags.push(
                                Diagnostic::new(
                                    Code::InstallLocation,
                                    path.span.clone(),
                                    tr!(
                                        l,
                                        "diag.install.local",
                                        key = key,
                                        product = product.id,
                                        drive = drive,
                                        group = owner
                                    ),
                                )
                                .label(tr!(l, "diag.install.label", drive = drive))
                                .help(tr!(
                                    l,
                                    "diag.install.help",
                                    description = crate::i18n::catalog_text(l, &spec.description),
                                    source = spec.source,
                                )),
                            );
                        }
                    }
                }
            }
        }
    }
}
