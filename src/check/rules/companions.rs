//! `missing-dependency`: a product that needs another in its group (dbMail, WEBharmo/RDBEUF
//! and WEBharmo/OLTP need IIS), and `version-unsupported` when that companion's version is
//! not one the product works with (dbMail needs IIS 4.0 or 5.0).

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::values::compare_versions;
use crate::resolved::Cluster;

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
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
                        format!(" {}", req.versions.join(" or "))
                    };
                    diags.push(
                        Diagnostic::new(
                            Code::MissingDependency,
                            app.app.product.span.clone(),
                            format!("`{}` needs `{}`{versions} in the same group", product.id, req.product),
                        )
                        .label(format!("no `{}` in group `{}`", req.product, group.name()))
                        .help(format!(
                            "add an app with `product: {}` to group `{}`; source: {}",
                            req.product,
                            group.name(),
                            req.source
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
                            format!(
                                "`{}` works with `{}` {} only, not {}",
                                product.id,
                                req.product,
                                req.versions.join(" or "),
                                version.value
                            ),
                        )
                        .label(format!("{} {}", req.product, version.value))
                        .related(
                            app.app.product.span.clone(),
                            format!("`{}` needs {} {}", product.id, req.product, req.versions.join(" or ")),
                        )
                        .help(format!("source: {}", req.source)),
                    );
                }
            }
        }
    }
}
