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
use crate::model::Language;
use crate::model::{Direction, Filter, PortRule};
use crate::resolved::{AppView, Cluster};
use crate::tr;

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

impl By<'_> {
    fn text(&self, l: Language) -> String {
        match self {
            By::App(id, None) => tr!(l, "diag.ports.by_app", app = id),
            By::App(id, Some(product)) => tr!(l, "diag.ports.by_app_product", app = id, product = product),
            By::Platform(text) => text.clone(),
        }
    }
}

impl Need<'_> {
    /// "RULE (PURPOSE), needed by WHO".
    fn text(&self, l: Language) -> String {
        tr!(
            l,
            "diag.ports.need",
            rule = self.rule,
            purpose = purpose(l, self.purpose),
            by = self.by.text(l),
        )
    }
}

/// A purpose in the cluster's language (`declared in ports` is hagen's own).
fn purpose(l: Language, purpose: &str) -> String {
    if purpose == DECLARED {
        tr!(l, "diag.ports.declared")
    } else {
        crate::i18n::catalog_text(l, purpose).to_string()
    }
}

const DECLARED: &str = "declared in `ports`";

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
        purpose: DECLARED,
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
    let l = cluster.language();
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
                let key = if on.len() == 1 {
                    "diag.ports.feature"
                } else {
                    "diag.ports.features"
                };
                tr!(
                    l,
                    key,
                    features = on.join(crate::i18n::text(l, "list.and")),
                    platform = platform.name,
                )
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
            tr!(l, "diag.ports.lacks", need = need.text(l)),
        )
        .label(tr!(l, "diag.ports.lacks.label", rule = need.rule))
        .help(tr!(l, "diag.ports.lacks.help", rule = need.rule));
        if let Some(span) = need.span {
            d = d.related(span.clone(), tr!(l, "diag.ports.lacks.related", rule = need.rule));
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
                    purposes.push(crate::i18n::catalog_text(l, &f.purpose));
                }
            }
        }
        // A port hagen knows no use for here is not a port nobody uses: the user decides.
        diags.push(
            Diagnostic::new(
                Code::PortUnused,
                allow.span.clone(),
                tr!(
                    l,
                    "diag.ports.unused",
                    rule = allow.value,
                    platform = platform.id,
                    others = others.join(", "),
                    purposes = purposes.join(crate::i18n::text(l, "list.semicolon")),
                ),
            )
            .label(tr!(l, "diag.ports.unused.label"))
            .help(tr!(l, "diag.ports.unused.help")),
        );
    }
}

fn conflicts(cluster: &Cluster, diags: &mut Diagnostics) {
    let l = cluster.language();
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
                        tr!(
                            l,
                            "diag.ports.conflict",
                            first = other.id(),
                            second = app.id(),
                            rule = first.rule,
                            group = group.name(),
                        ),
                    )
                    .label(need.text(l))
                    .help(tr!(l, "diag.ports.conflict.help"));
                    if let Some(other_span) = first.span {
                        d = d.related(other_span.clone(), first.text(l));
                    }
                    diags.push(d);
                    continue;
                }
                seen.push((app, need));
            }
        }
    }
}
