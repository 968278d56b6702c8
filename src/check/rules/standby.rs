//! Standby types: `standby-unsupported`, `server-count` and `site-binding-required`.
//!
//! The standby type is detected, not declared. A product in one group alone is one-way
//! (single) standby. The same product in two groups that share a server is two-way (mutual)
//! standby: each server runs one instance and stands by for the other (PP guide 1.1.1); its
//! services are shared, which is why the guides kill them before loading them. A product in
//! three or more such groups is supported by no guide.

use crate::catalog::{Product, StandbyKind};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::Language;
use crate::resolved::{AppView, Cluster, GroupView};
use crate::tr;

struct User<'c, 'a> {
    index: usize,
    group: &'c GroupView<'a>,
    app: &'c AppView<'a>,
}

/// A standby type in words: one-way, two-way.
fn kind_name(l: Language, kind: StandbyKind) -> &'static str {
    crate::i18n::text(l, &format!("diag.standby.{}", kind.name()))
}

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
    let l = cluster.language();
    let mut products: Vec<&Product> = cluster
        .groups
        .iter()
        .flat_map(|g| g.apps.iter().filter_map(|a| a.product))
        .collect();
    products.sort_by(|a, b| a.id.cmp(&b.id));
    products.dedup_by(|a, b| a.id == b.id);

    for product in products {
        let users: Vec<User> = cluster
            .groups
            .iter()
            .enumerate()
            .filter_map(|(index, group)| {
                group
                    .apps
                    .iter()
                    .find(|a| a.product.is_some_and(|p| p.id == product.id))
                    .map(|app| User { index, group, app })
            })
            .collect();
        for user in &users {
            let (count, first) = cluster.partner_count(user.index, &product.id);
            // Pairs and sets of groups are reported once, at their last group.
            let last = cluster.is_last_partner(user.index, &product.id);
            // `users` is in group order: a partner is found by its group's index.
            let user_of = |index: usize| {
                &users[users
                    .binary_search_by_key(&index, |u| u.index)
                    .expect("a partner runs the product")]
            };
            if count > 1 {
                if last {
                    let partners: Vec<&User> = cluster
                        .partners(user.index, &product.id)
                        .into_iter()
                        .map(user_of)
                        .collect();
                    let mut d = Diagnostic::new(
                        Code::StandbyUnsupported,
                        user.app.app.product.span.clone(),
                        tr!(l, "diag.standby.many", product = product.id, count = partners.len() + 1),
                    );
                    for p in &partners {
                        d = d.related(
                            p.app.app.product.span.clone(),
                            tr!(l, "diag.standby.also", group = p.group.name()),
                        );
                    }
                    diags.push(d);
                }
                continue;
            }
            if product.standby.is_empty() {
                continue; // the guide states no standby type for this product
            }
            let partner = first.map(user_of);
            let kind = if partner.is_none() {
                StandbyKind::OneWay
            } else {
                StandbyKind::TwoWay
            };
            let Some(fact) = product.standby(kind) else {
                if last {
                    let supported: Vec<&str> = product.standby.iter().map(|s| kind_name(l, s.kind)).collect();
                    let mut d = Diagnostic::new(
                        Code::StandbyUnsupported,
                        user.app.app.product.span.clone(),
                        tr!(l, "diag.standby.kind", product = product.id, kind = kind_name(l, kind)),
                    )
                    .label(tr!(l, "diag.standby.kind.label", kind = kind_name(l, kind)))
                    .help(tr!(
                        l,
                        "diag.standby.kind.help",
                        product = product.id,
                        kinds = supported.join(crate::i18n::text(l, "list.and")),
                        source = product.standby[0].source,
                    ));
                    if let Some(p) = partner {
                        d = d.related(
                            p.app.app.product.span.clone(),
                            tr!(l, "diag.standby.also_same", group = p.group.name()),
                        );
                    }
                    diags.push(d);
                }
                continue;
            };
            if kind == StandbyKind::TwoWay && last {
                same_servers(l, user, partner.expect("two-way has a partner"), product, fact, diags);
            }
            // A two-way pair runs on one set of servers: its count is reported once, at the
            // pair's last group (a pair on different sets is `same_servers`' problem).
            if kind == StandbyKind::OneWay || last {
                server_count(l, user, product, kind, fact, diags);
            }
            if fact.site_binding {
                site_binding(l, user, product, fact, diags);
            }
        }
    }
}

/// Two-way standby is two groups crosswise on the same servers, each standing by for the
/// other (PP guide 1.1.1 (2)); groups that share only some servers stand by for nobody in
/// particular, which no guide describes.
fn same_servers(
    l: Language,
    user: &User,
    partner: &User,
    product: &Product,
    fact: &crate::catalog::StandbyFact,
    diags: &mut Diagnostics,
) {
    fn set<'g>(g: &'g GroupView) -> Vec<&'g str> {
        let mut names: Vec<&str> = g.servers.iter().map(|s| s.value.as_str()).collect();
        names.sort_unstable();
        names
    }
    let (mine, theirs) = (set(user.group), set(partner.group));
    if mine == theirs {
        return;
    }
    diags.push(
        Diagnostic::new(
            Code::StandbyUnsupported,
            user.group.group.failover_span.clone(),
            tr!(
                l,
                "diag.standby.some_servers",
                product = product.id,
                first = partner.group.name(),
                second = user.group.name(),
            ),
        )
        .label(tr!(l, "diag.standby.between", servers = mine.join(", ")))
        .related(
            partner.group.group.failover_span.clone(),
            tr!(l, "diag.standby.between", servers = theirs.join(", ")),
        )
        .help(tr!(
            l,
            "diag.standby.some_servers.help",
            source = fact.source,
            a = mine.first().copied().unwrap_or("sv1"),
            b = mine.get(1).copied().unwrap_or("sv2"),
        )),
    );
}

fn server_count(
    l: Language,
    user: &User,
    product: &Product,
    kind: StandbyKind,
    fact: &crate::catalog::StandbyFact,
    diags: &mut Diagnostics,
) {
    let count = user.group.servers.len();
    let range = match (fact.min_servers, fact.max_servers) {
        (Some(a), Some(b)) if a == b => tr!(l, "diag.count.exactly", a = a),
        (Some(a), Some(b)) => tr!(l, "diag.count.range", a = a, b = b),
        (Some(a), None) => tr!(l, "diag.count.at_least", a = a),
        (None, Some(b)) => tr!(l, "diag.count.at_most", b = b),
        (None, None) => return,
    };
    let ok = fact.min_servers.is_none_or(|m| count >= m) && fact.max_servers.is_none_or(|m| count <= m);
    if ok || user.group.group.failover.is_empty() {
        return;
    }
    diags.push(
        Diagnostic::new(
            Code::ServerCount,
            user.group.group.failover_span.clone(),
            tr!(
                l,
                "diag.count",
                group = user.group.name(),
                count = count,
                kind = kind_name(l, kind),
                product = product.id,
                range = range,
            ),
        )
        .label(tr!(l, "diag.count.label", count = count))
        .related(
            user.app.app.product.span.clone(),
            tr!(l, "diag.count.related", kind = kind_name(l, kind), product = product.id),
        )
        .help(tr!(l, "diag.source", source = fact.source)),
    );
}

fn site_binding(
    l: Language,
    user: &User,
    product: &Product,
    fact: &crate::catalog::StandbyFact,
    diags: &mut Diagnostics,
) {
    let ip = user.group.group.ip.as_ref().map(|i| i.value.to_string());
    match (user.app.app.prop("site_binding"), ip) {
        (None, ip) => diags.push(
            Diagnostic::new(
                Code::SiteBindingRequired,
                user.app.app.product.span.clone(),
                tr!(l, "diag.binding", product = product.id),
            )
            .label(tr!(l, "diag.binding.label"))
            .help(tr!(
                l,
                "diag.binding.help",
                ip = ip.as_deref().unwrap_or(crate::i18n::text(l, "diag.binding.the_ip")),
                source = fact.source,
            )),
        ),
        (Some(binding), Some(ip)) if binding.value != ip => diags.push(
            Diagnostic::new(
                Code::SiteBindingRequired,
                binding.span.clone(),
                tr!(
                    l,
                    "diag.binding.other",
                    binding = binding.value,
                    group = user.group.name(),
                    ip = ip
                ),
            )
            .label(tr!(l, "diag.binding.other.label"))
            .help(tr!(l, "diag.binding.other.help", ip = ip, source = fact.source)),
        ),
        _ => {}
    }
}
