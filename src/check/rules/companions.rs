//! `missing-dependency`: a product that needs another in its group (dbMail, WEBharmo/RDBEUF
//! and WEBharmo/OLTP need IIS), and `version-unsupported` when that companion's version is
//! not one the product works with (dbMail needs IIS 4.0 or 5.0).

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::values::compare_versions;
use crate::resolved::Cluster;
use crate::tr;

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
    let l = cluster.language();
    let or = crate::i18n::text(l, "diag.list.or");
    for group in &cluster.groups {
        for app in &group.apps {
            let Some(product) = app.product else { continue };
            for req in &product.requires {
                let companion = group
                    .apps
                    .iter()
                    .find(|a| a.product.is_some_and(|p| p.id == req.product));
                let Some(companion) = companion else {
                    let versions = if req.versions.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", req.versions.join(or))
                    };
                    diags.push(
                        Diagnostic::new(
                            Code::MissingDependency,
                            app.app.product.span.clone(),
                            tr!(
                                l,
                                "diag.requires",
                                product = product.id,
                                needs = req.product,
                                versions = versions
                            ),
                        )
                        .label(tr!(l, "diag.requires.label", needs = req.product, group = group.name()))
                        .help(tr!(
                            l,
                            "diag.requires.help",
                            needs = req.product,
                            group = group.name(),
                            source = req.source,
                        )),
                    );
                    continue;
                };
                if req.versions.is_empty() {
                    continue;
                }
                let Some(version) = &companion.app.version else {
                    continue;
                };
                if !req.versions.iter().any(|v| compare_versions(v, &version.value).is_eq()) {
                    diags.push(
                        Diagnostic::new(
                            Code::VersionUnsupported,
                            version.span.clone(),
                            tr!(
                                l,
                                "diag.requires.version",
                                product = product.id,
                                needs = req.product,
                                versions = req.versions.join(or),
                                version = version.value,
                            ),
                        )
                        .label(format!("{} {}", req.product, version.value))
                        .related(
                            app.app.product.span.clone(),
                            tr!(
                                l,
                                "diag.requires.version.related",
                                product = product.id,
                                needs = req.product,
                                versions = req.versions.join(or),
                            ),
                        )
                        .help(tr!(l, "diag.source", source = req.source)),
                    );
                }
            }
        }
    }
}
