//! Ports: `port-not-allowed`, `port-conflict` and `port-unused`.
//!
//! When the cluster declares a packet filter, every port the platform needs (with the
//! features in use), and every port of the services the groups control, must be in the
//! allowlist; each missing rule is named exactly with its purpose. An allowlist entry that
//! opens the cluster ports of another platform generation is a warning: it is dead weight at
//! best and a sign the list was copied from another cluster at worst. Independently of any
//! filter, two apps of one group may not need the same port, since they share one address.

use crate::catalog::Product;
use crate::check::{AppView, Cluster};
use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::model::{Direction, Filter, PortRule};

/// A port something in the cluster needs, why, and where that need comes from.
struct Need {
    rule: PortRule,
    purpose: String,
    span: Option<Span>,
}

/// The ports an app needs (its product's ports for the services it controls, and its own
/// `ports`), each with its purpose and where it is asked for.
fn app_ports(app: &AppView) -> Vec<(PortRule, String, Span)> {
    let mut out = Vec::new();
    if let Some(product) = app.product {
        out.extend(
            product_ports(product, app)
                .into_iter()
                .map(|(r, p)| (r, p, app.app.product.span.clone())),
        );
    }
    for rule in &app.app.ports {
        out.push((rule.value, format!("`ports` of app `{}`", app.id()), rule.span.clone()));
    }
    out
}

fn product_ports(product: &Product, app: &AppView) -> Vec<(PortRule, String)> {
    product
        .ports
        .iter()
        .filter(|p| match &p.service {
            None => true,
            Some(key) => app.services.iter().any(|s| s.fact.is_some_and(|f| &f.key == key)),
        })
        .filter_map(|p| {
            PortRule::parse(&p.rule)
                .ok()
                .map(|r| (r, format!("{}, {} of app `{}`", p.purpose, product.id, app.id())))
        })
        .collect()
}

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
    conflicts(cluster, diags);
    let Some(firewall) = &cluster.file.firewall else { return };
    if firewall.filter.value == Filter::None {
        return;
    }
    let features = cluster.features();
    let mut needs: Vec<Need> = Vec::new();
    if let Some(platform) = cluster.platform {
        for (rule, fact) in platform.required_ports(&features) {
            let feature_span = cluster
                .file
                .cluster
                .features
                .iter()
                .find(|f| fact.features.contains(&f.value))
                .map(|f| f.span.clone());
            let purpose = if fact.features.is_empty() {
                format!("{}, {}", fact.purpose, platform.name)
            } else {
                let on: Vec<&str> = features
                    .iter()
                    .copied()
                    .filter(|f| fact.features.iter().any(|x| x == f))
                    .collect();
                format!("{}, needed by {}", fact.purpose, on.join(" and "))
            };
            needs.push(Need {
                rule,
                purpose,
                span: feature_span,
            });
        }
    }
    for group in &cluster.groups {
        for app in &group.apps {
            for (rule, purpose, span) in app_ports(app) {
                needs.push(Need {
                    rule,
                    purpose,
                    span: Some(span),
                });
            }
        }
    }

    let allowed = |rule: &PortRule| {
        (rule.first..=rule.last).all(|port| {
            firewall.allow.iter().any(|a| {
                a.value.covers(&PortRule {
                    first: port,
                    last: port,
                    ..*rule
                })
            })
        })
    };
    let mut reported: Vec<PortRule> = Vec::new();
    for need in &needs {
        if allowed(&need.rule) || reported.contains(&need.rule) {
            continue;
        }
        reported.push(need.rule);
        let mut d = Diagnostic::new(
            Code::PortNotAllowed,
            firewall.span.clone(),
            format!("the allowlist lacks {} ({})", need.rule, need.purpose),
        )
        .label(format!("add `{}`", need.rule))
        .help(format!("add `- {}` to `firewall.allow`", need.rule));
        if let Some(span) = &need.span {
            d = d.related(span.clone(), format!("needs {}", need.rule));
        }
        diags.push(d);
    }

    // Cluster ports of other platforms that this cluster does not need.
    let Some(platform) = cluster.platform else { return };
    let opens = |p: &crate::catalog::Platform, allow: &PortRule| {
        p.ports
            .iter()
            .any(|f| PortRule::parse(&f.rule).is_ok_and(|r| r.overlaps(allow)))
    };
    for allow in &firewall.allow {
        if needs.iter().any(|n| n.rule.overlaps(&allow.value)) || opens(platform, &allow.value) {
            continue;
        }
        let others: Vec<&str> = cluster
            .catalog
            .platforms
            .values()
            .filter(|p| opens(p, &allow.value))
            .map(|p| p.id.as_str())
            .collect();
        if others.is_empty() {
            continue;
        }
        diags.push(
            Diagnostic::new(
                Code::PortUnused,
                allow.span.clone(),
                format!(
                    "`{}` opens a cluster port of {}, not of {}",
                    allow.value,
                    others.join(", "),
                    platform.id
                ),
            )
            .label("not needed by this cluster")
            .help("remove it: an open port nobody needs is attack surface"),
        );
    }
}

fn conflicts(cluster: &Cluster, diags: &mut Diagnostics) {
    for group in &cluster.groups {
        let mut seen: Vec<(PortRule, &AppView, String, Span)> = Vec::new();
        for app in &group.apps {
            for (rule, purpose, span) in app_ports(app) {
                if rule.direction != Direction::In {
                    continue;
                }
                if let Some((first, other, other_purpose, other_span)) =
                    seen.iter().find(|(r, a, _, _)| r.overlaps(&rule) && a.id() != app.id())
                {
                    diags.push(
                        Diagnostic::new(
                            Code::PortConflict,
                            span,
                            format!(
                                "`{}` and `{}` both need {} on the address of group `{}`",
                                other.id(),
                                app.id(),
                                first,
                                group.name()
                            ),
                        )
                        .label(purpose.clone())
                        .related(other_span.clone(), other_purpose.clone())
                        .help("move one app to a group of its own (its own floating IP), or change its port"),
                    );
                    continue;
                }
                seen.push((rule, app, purpose, span));
            }
        }
    }
}
