//! The ports the cluster needs through its packet filter, each once, with why.

use super::Cluster;
use crate::model::PortRule;

/// A port the cluster needs: the rule, what it is for (and who needs it), and its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortNeed {
    pub rule: PortRule,
    pub purpose: String,
    pub source: String,
}

/// Every port the cluster needs through its packet filter, each once, with why: the
/// platform's (with the features in use), then each app's, its product's ports for the
/// services it controls and its own `ports`. It reads only the resolved cluster, so the
/// review page uses it for files with errors too, and the planner for the firewall lists.
pub fn port_needs(cluster: &Cluster) -> Vec<PortNeed> {
    let l = cluster.language();
    let purpose = |text: &str| crate::i18n::catalog_text(l, text).to_string();
    let mut out: Vec<PortNeed> = Vec::new();
    let mut push = |rule: PortRule, purpose: String, source: String| {
        if !out.iter().any(|n| n.rule == rule) {
            out.push(PortNeed { rule, purpose, source });
        }
    };
    if let Some(platform) = cluster.platform {
        for (rule, fact) in platform.required_ports(&cluster.features()) {
            push(
                rule,
                crate::tr!(
                    l,
                    "ports.platform",
                    purpose = purpose(&fact.purpose),
                    platform = platform.name
                ),
                fact.source.clone(),
            );
        }
    }
    for group in &cluster.groups {
        for app in &group.apps {
            if let Some(product) = app.product {
                for port in &product.ports {
                    let used = port
                        .service
                        .as_ref()
                        .is_none_or(|key| app.services.iter().any(|s| s.fact.is_some_and(|f| &f.key == key)));
                    if let (true, Ok(rule)) = (used, PortRule::parse(&port.rule)) {
                        push(
                            rule,
                            crate::tr!(
                                l,
                                "ports.product",
                                purpose = purpose(&port.purpose),
                                product = product.id,
                                group = group.name(),
                            ),
                            port.source.clone(),
                        );
                    }
                }
            }
            for rule in &app.app.ports {
                push(
                    rule.value,
                    crate::tr!(l, "ports.app", app = app.id(), group = group.name()),
                    "the cluster file".to_string(),
                );
            }
        }
    }
    out
}
