//! Ports: `port-not-allowed`, `port-conflict` and `port-unused`.
//!
//! When the cluster declares a packet filter, every port the platform needs (with the
//! features in use), and every port of the services the groups control, must be in the
//! allowlist; each missing rule is named exactly with its purpose. An allowlist entry that
//! opens the cluster ports of another platform generation is a warning: it is dead weight at
//! best and a sign the list was copied from another cluster at worst. Independently of any
//! filter, two apps of one group may not need the same port, since they share one address.

use crate::catalog::Product;
use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::model::{Direction, Filter, PortRule};
use crate::resolved::{AppView, Cluster};

/// A port something in the cluster needs: what it is for, who needs it, and where that need
/// is written. Messages name it as `udp/in 29106 (kernel-mode LAN heartbeat)`. Everything is
/// borrowed: a cluster has thousands of needs and a message is made only for a missing one.
struct Need<'a> {
    rule: PortRule,
    purpose: &'a str,
    by: By<'a>,
    span: Option<&'a Span>,
}

/// Who needs a port, as messages say it.
#[derive(Clone)]
enum By<'a> {
    /// An app, and its product when the app has an id of its own.
    App(&'a str, Option<&'a str>),
    /// The platform, or features of it.
    Platform(String),
}

impl std::fmt::Display for By<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            By::App(id, None) => write!(f, "app `{id}`"),
            By::App(id, Some(product)) => write!(f, "app `{id}` ({product})"),
            By::Platform(text) => f.write_str(text),
        }
    }
}

/// The ports an app needs (its product's ports for the services it controls, and its own
/// `ports`), each with its purpose, who needs it and where it is asked for.
fn app_ports<'a>(app: &'a AppView) -> impl Iterator<Item = Need<'a>> {
    let product = app.product.map(|product| {
        let by = By::App(app.id(), (app.id() != product.id).then_some(product.id.as_str()));
        product_ports(product, app).map(move |(rule, purpose)| Need {
            rule,
            purpose,
            by: by.clone(),
            span: Some(&app.app.product.span),
        })
    });
    let own = app.app.ports.iter().map(move |rule| Need {
        rule: rule.value,
        purpose: "declared in `ports`",
        by: By::App(app.id(), None),
        span: Some(&rule.span),
    });
    product.into_iter().flatten().chain(own)
}

fn product_ports<'a>(product: &'a Product, app: &'a AppView) -> impl Iterator<Item = (PortRule, &'a str)> {
    product
        .ports
        .iter()
        .filter(|p| match &p.service {
            None => true,
            Some(key) => app.services.iter().any(|s| s.fact.is_some_and(|f| &f.key == key)),
        })
        .filter_map(|p| PortRule::parse(&p.rule).ok().map(|r| (r, p.purpose.as_str())))
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
                .map(|f| &f.span);
            let by = By::Platform(if fact.features.is_empty() {
                platform.name.clone()
            } else {
                let on: Vec<&str> = features
                    .iter()
                    .copied()
                    .filter(|f| fact.features.iter().any(|x| x == f))
                    .collect();
                let noun = if on.len() == 1 { "feature" } else { "features" };
                format!("the {} {noun} of {}", on.join(" and "), platform.name)
            });
            needs.push(Need {
                rule,
                purpose: &fact.purpose,
                by,
                span: feature_span,
            });
        }
    }
    for group in &cluster.groups {
        for app in &group.apps {
            needs.extend(app_ports(app));
        }
    }

    let allowed = |rule: &PortRule| rule.allowed_by(firewall.allow.iter().map(|a| &a.value));
    let mut reported: Vec<PortRule> = Vec::new();
    for need in &needs {
        if allowed(&need.rule) || reported.contains(&need.rule) {
            continue;
        }
        reported.push(need.rule);
        let mut d = Diagnostic::new(
            Code::PortNotAllowed,
            firewall.span.clone(),
            format!(
                "the allowlist lacks {} ({}), needed by {}",
                need.rule, need.purpose, need.by
            ),
        )
        .label(format!("add `{}`", need.rule))
        .help(format!("add `- {}` to `firewall.allow`", need.rule));
        if let Some(span) = need.span {
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
        // What the port is for where the catalog knows it (`domain membership`, ...).
        let mut purposes: Vec<&str> = Vec::new();
        for p in cluster.catalog.platforms.values() {
            for f in &p.ports {
                if PortRule::parse(&f.rule).is_ok_and(|r| r.overlaps(&allow.value))
                    && !purposes.contains(&f.purpose.as_str())
                {
                    purposes.push(f.purpose.as_str());
                }
            }
        }
        // A port hagen knows no use for here is not a port nobody uses: the user decides.
        diags.push(
            Diagnostic::new(
                Code::PortUnused,
                allow.span.clone(),
                format!(
                    "hagen knows no use for `{}` on {}: it is a port of {} ({})",
                    allow.value,
                    platform.id,
                    others.join(", "),
                    purposes.join("; ")
                ),
            )
            .label("no known use on this platform")
            .help(
                "if this cluster uses it (for that purpose or one hagen does not know), keep it and list it in \
                 the `ports` of the app that needs it; if nothing uses it, remove it: an open port nobody needs \
                 is attack surface",
            ),
        );
    }
}

fn conflicts(cluster: &Cluster, diags: &mut Diagnostics) {
    for group in &cluster.groups {
        let mut seen: Vec<(&AppView, Need)> = Vec::new();
        for app in &group.apps {
            for need in app_ports(app) {
                if need.rule.direction != Direction::In {
                    continue;
                }
                let Some(span) = need.span.cloned() else { continue };
                if let Some((other, first)) = seen
                    .iter()
                    .find(|(a, n)| n.rule.overlaps(&need.rule) && a.id() != app.id())
                {
                    let mut d = Diagnostic::new(
                        Code::PortConflict,
                        span,
                        format!(
                            "`{}` and `{}` both need {} on the address of group `{}`",
                            other.id(),
                            app.id(),
                            first.rule,
                            group.name()
                        ),
                    )
                    .label(format!("{} ({}), needed by {}", need.rule, need.purpose, need.by))
                    .help("move one app to a group of its own (its own floating IP), or change its port");
                    if let Some(other_span) = first.span {
                        d = d.related(
                            other_span.clone(),
                            format!("{} ({}), needed by {}", first.rule, first.purpose, first.by),
                        );
                    }
                    diags.push(d);
                    continue;
                }
                seen.push((app, need));
            }
        }
    }
}
