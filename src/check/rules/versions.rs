//! Versions: `version-unsupported` (product version x OS x platform, and the platform's OS)
//! and `placement-unsupported` (SURFNAVI's edition and placement); `invalid-value` for a
//! cluster feature the platform does not have.

use crate::catalog::KeyKind;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::resolved::Cluster;
use crate::tr;

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
    let l = cluster.language();
    let text = |key: &str| crate::i18n::text(l, key);
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
                tr!(l, "diag.os", platform = platform.name, os = os.value),
            )
            .help(tr!(
                l,
                "diag.supported",
                list = list.join(", "),
                source = platform.os_source
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
                        tr!(l, "diag.feature", platform = platform.name, feature = feature.value),
                    )
                    .help(tr!(l, "diag.feature.help", source = "PP guide (SURFNAVI)")),
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
            // Both diagnostics point at the version, or at the product when none is written.
            let span = || {
                app.app
                    .version
                    .as_ref()
                    .map(|v| v.span.clone())
                    .unwrap_or_else(|| app.app.product.span.clone())
            };
            let verified = product.versions.iter().filter(|r| !r.unverified).any(|r| fits(&r));
            if !verified && let Some(row) = product.versions.iter().filter(|r| r.unverified).find(fits) {
                diags.push(
                    Diagnostic::new(
                        Code::CombinationUnverified,
                        span(),
                        tr!(
                            l,
                            "diag.unverified",
                            product = product.id,
                            version = app.version().unwrap_or(text("diag.any_version")),
                            os = os.unwrap_or(text("diag.unknown_os")),
                            platform = platform_id.unwrap_or(text("diag.unknown_platform")),
                        ),
                    )
                    .label(tr!(l, "diag.unverified.label"))
                    .help(tr!(
                        l,
                        "diag.reason_source",
                        reason = row
                            .note
                            .as_deref()
                            .map_or(text("diag.unverified.help"), |n| crate::i18n::catalog_text(l, n)),
                        source = row.source,
                    )),
                );
                continue;
            }
            if !product.versions.is_empty() && !product.versions.iter().any(|row| fits(&row)) {
                let combos: Vec<String> = product
                    .versions
                    .iter()
                    .map(|r| {
                        let with = if r.with.is_empty() {
                            String::new()
                        } else {
                            tr!(l, "diag.combo.with", products = r.with.join(text("diag.list.or")))
                        };
                        tr!(
                            l,
                            "diag.combo",
                            versions = r.versions.join("/"),
                            os = r.os.join("/"),
                            platforms = r.platforms.join("/"),
                            with = with,
                        )
                    })
                    .collect();
                diags.push(
                    Diagnostic::new(
                        Code::VersionUnsupported,
                        span(),
                        tr!(
                            l,
                            "diag.unsupported",
                            product = product.id,
                            version = app.version().unwrap_or(text("diag.any_version")),
                            os = os.unwrap_or(text("diag.unknown_os")),
                            platform = platform_id.unwrap_or(text("diag.unknown_platform")),
                        ),
                    )
                    .label(tr!(l, "diag.unsupported.label"))
                    .help(tr!(
                        l,
                        "diag.supported",
                        list = combos.join(text("list.semicolon")),
                        source = product.versions[0].source,
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
                            tr!(
                                l,
                                "diag.placement",
                                product = product.id,
                                key = key,
                                value = value.value
                            ),
                        )
                        .label(tr!(l, "diag.placement.label"))
                        .help(tr!(
                            l,
                            "diag.reason_source",
                            reason = choice
                                .reason
                                .as_deref()
                                .map_or(text("diag.placement.help"), |r| crate::i18n::catalog_text(l, r)),
                            source = choice.source,
                        )),
                    );
                }
            }
        }
    }
}
