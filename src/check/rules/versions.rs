//! Versions: `version-unsupported` (product version x OS x platform, and the platform's OS)
//! and `placement-unsupported` (SURFNAVI's edition and placement); `invalid-value` for a
//! cluster feature the platform does not have.

use crate::catalog::KeyKind;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::resolved::Cluster;

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
    let os = cluster.os();
    let platform_id = cluster.platform.map(|p| p.id.as_str());

    if let (Some(platform), Some(os)) = (cluster.platform, &cluster.file.cluster.os)
        && let Some(list) = &platform.os
        && !list.contains(&os.value)
    {
        diags.push(
            Diagnostic::new(
                Code::VersionUnsupported,
                os.span.clone(),
                format!("{} does not run on {}", platform.name, os.value),
            )
            .help(format!(
                "supported: {}; source: {}",
                list.join(", "),
                platform.os_source
            )),
        );
    }
    if let Some(platform) = cluster.platform {
        for feature in &cluster.file.cluster.features {
            if !platform.supports_feature(&feature.value) {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        feature.span.clone(),
                        format!("{} has no `{}` feature", platform.name, feature.value),
                    )
                    .help("forced stop and chassis identify exist from CLUSTERPRO X 2.0 (PP guide (SURFNAVI))"),
                );
            }
        }
    }

    for group in &cluster.groups {
        for app in &group.apps {
            let Some(product) = app.product else { continue };
            let fits = |row: &&crate::catalog::VersionRow| {
                row.matches(app.version(), os, platform_id)
                    && (row.with.is_empty()
                        || group
                            .apps
                            .iter()
                            .any(|a| a.product.is_some_and(|p| row.with.contains(&p.id))))
            };
            let verified = product.versions.iter().filter(|r| !r.unverified).any(|r| fits(&r));
            if !verified && let Some(row) = product.versions.iter().filter(|r| r.unverified).find(fits) {
                let span = app
                    .app
                    .version
                    .as_ref()
                    .map(|v| v.span.clone())
                    .unwrap_or_else(|| app.app.product.span.clone());
                diags.push(
                    Diagnostic::new(
                        Code::CombinationUnverified,
                        span,
                        format!(
                            "no source covers `{}` {} on {} with {}",
                            product.id,
                            app.version().unwrap_or("(any version)"),
                            os.unwrap_or("(unknown OS)"),
                            platform_id.unwrap_or("(unknown platform)")
                        ),
                    )
                    .label("unverified combination")
                    .help(format!(
                        "{}; source: {}",
                        row.note
                            .as_deref()
                            .unwrap_or("confirm the combination with the vendor before building"),
                        row.source
                    )),
                );
                continue;
            }
            if !product.versions.is_empty() && !product.versions.iter().any(|row| fits(&row)) {
                let span = app
                    .app
                    .version
                    .as_ref()
                    .map(|v| v.span.clone())
                    .unwrap_or_else(|| app.app.product.span.clone());
                let combos: Vec<String> = product
                    .versions
                    .iter()
                    .map(|r| {
                        let with = if r.with.is_empty() {
                            String::new()
                        } else {
                            format!(" in a group with {}", r.with.join(" or "))
                        };
                        format!(
                            "{} on {} with {}{with}",
                            r.versions.join("/"),
                            r.os.join("/"),
                            r.platforms.join("/")
                        )
                    })
                    .collect();
                diags.push(
                    Diagnostic::new(
                        Code::VersionUnsupported,
                        span,
                        format!(
                            "`{}` {} on {} with {} is not a supported combination",
                            product.id,
                            app.version().unwrap_or("(any version)"),
                            os.unwrap_or("(unknown OS)"),
                            platform_id.unwrap_or("(unknown platform)")
                        ),
                    )
                    .label("unsupported combination")
                    .help(format!(
                        "supported: {}; source: {}",
                        combos.join("; "),
                        product.versions[0].source
                    )),
                );
            }
            for (key, spec) in &product.keys {
                if spec.kind != KeyKind::Choice {
                    continue;
                }
                let Some(value) = app.app.prop(key) else { continue };
                let Some(choice) = spec.choices.iter().find(|c| c.id == value.value) else {
                    continue;
                };
                if !choice.supported {
                    diags.push(
                        Diagnostic::new(
                            Code::PlacementUnsupported,
                            value.span.clone(),
                            format!("`{}` with {key} `{}` cannot be clustered", product.id, value.value),
                        )
                        .label("not supported in a cluster")
                        .help(format!(
                            "{}; source: {}",
                            choice.reason.as_deref().unwrap_or("the guide does not support it"),
                            choice.source
                        )),
                    );
                }
            }
        }
    }
}
