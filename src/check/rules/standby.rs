//! Standby types: `standby-unsupported`, `server-count` and `site-binding-required`.
//!
//! The standby type is detected, not declared. A product in one group alone is one-way
//! (single) standby. The same product in two groups that share a server is two-way (mutual)
//! standby: each server runs one instance and stands by for the other (PP guide 1.1.1); its
//! services are shared, which is why the guides kill them before loading them. A product in
//! three or more such groups is supported by no guide.

use crate::catalog::{Product, StandbyKind};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::resolved::{AppView, Cluster, GroupView};

struct User<'c, 'a> {
    index: usize,
    group: &'c GroupView<'a>,
    app: &'c AppView<'a>,
}

pub fn check(cluster: &Cluster, diags: &mut Diagnostics) {
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
            let others = cluster.partners(user.index, &product.id);
            let partners: Vec<&User> = users.iter().filter(|o| others.contains(&o.index)).collect();
            // Pairs and sets of groups are reported once, at their last group.
            let last = partners.iter().all(|p| p.index < user.index);
            if partners.len() > 1 {
                if last {
                    let mut d = Diagnostic::new(
                        Code::StandbyUnsupported,
                        user.app.app.product.span.clone(),
                        format!(
                            "`{}` runs in {} groups that share servers; no guide supports more than two-way standby",
                            product.id,
                            partners.len() + 1
                        ),
                    );
                    for p in &partners {
                        d = d.related(
                            p.app.app.product.span.clone(),
                            format!("also in group `{}`", p.group.name()),
                        );
                    }
                    diags.push(d);
                }
                continue;
            }
            if product.standby.is_empty() {
                continue; // the guide states no standby type for this product
            }
            let kind = if partners.is_empty() {
                StandbyKind::OneWay
            } else {
                StandbyKind::TwoWay
            };
            let Some(fact) = product.standby(kind) else {
                if last {
                    let supported: Vec<&str> = product.standby.iter().map(|s| s.kind.name()).collect();
                    let mut d = Diagnostic::new(
                        Code::StandbyUnsupported,
                        user.app.app.product.span.clone(),
                        format!(
                            "`{}` here and in a group on the same servers is {} standby, which `{}` does not support",
                            product.id,
                            kind.name(),
                            product.id
                        ),
                    )
                    .label(format!("{} standby", kind.name()))
                    .help(format!(
                        "`{}` supports {} standby only; source: {}",
                        product.id,
                        supported.join(" and "),
                        product.standby[0].source
                    ));
                    for p in &partners {
                        d = d.related(
                            p.app.app.product.span.clone(),
                            format!("also in group `{}`, on the same servers", p.group.name()),
                        );
                    }
                    diags.push(d);
                }
                continue;
            };
            if kind == StandbyKind::TwoWay && last {
                same_servers(user, partners[0], product, fact, diags);
            }
            // A two-way pair runs on one set of servers: its count is reported once, at the
            // pair's last group (a pair on different sets is `same_servers`' problem).
            if kind == StandbyKind::OneWay || last {
                server_count(user, product, kind, fact, diags);
            }
            if fact.site_binding {
                site_binding(user, product, fact, diags);
            }
        }
    }
}

/// Two-way standby is two groups crosswise on the same servers, each standing by for the
/// other (PP guide 1.1.1 (2)); groups that share only some servers stand by for nobody in
/// particular, which no guide describes.
fn same_servers(
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
            format!(
                "`{}` in groups `{}` and `{}` shares only some servers; two-way standby needs both groups on the same servers",
                product.id,
                partner.group.name(),
                user.group.name()
            ),
        )
        .label(format!("fails over between {}", mine.join(", ")))
        .related(
            partner.group.group.failover_span.clone(),
            format!("fails over between {}", theirs.join(", ")),
        )
        .help(format!(
            "give both groups the same servers in crossed priority order (e.g. [{a}, {b}] and [{b}, {a}]), or move one to servers of its own; source: {}",
            fact.source,
            a = mine.first().copied().unwrap_or("sv1"),
            b = mine.get(1).copied().unwrap_or("sv2"),
        )),
    );
}

fn server_count(
    user: &User,
    product: &Product,
    kind: StandbyKind,
    fact: &crate::catalog::StandbyFact,
    diags: &mut Diagnostics,
) {
    let count = user.group.servers.len();
    let range = match (fact.min_servers, fact.max_servers) {
        (Some(a), Some(b)) if a == b => format!("exactly {a}"),
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
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
            format!(
                "group `{}` fails over between {count} server(s); {} standby of `{}` needs {range}",
                user.group.name(),
                kind.name(),
                product.id
            ),
        )
        .label(format!("{count} server(s)"))
        .related(
            user.app.app.product.span.clone(),
            format!("{} standby of `{}`", kind.name(), product.id),
        )
        .help(format!("source: {}", fact.source)),
    );
}

fn site_binding(user: &User, product: &Product, fact: &crate::catalog::StandbyFact, diags: &mut Diagnostics) {
    let ip = user.group.group.ip.as_ref().map(|i| i.value.to_string());
    match (user.app.app.prop("site_binding"), ip) {
        (None, ip) => diags.push(
            Diagnostic::new(
                Code::SiteBindingRequired,
                user.app.app.product.span.clone(),
                format!(
                    "two-way standby of `{}` needs the site bound to the group's floating IP",
                    product.id
                ),
            )
            .label("no `site_binding`")
            .help(format!(
                "add `site_binding: {}`: with \"all unassigned\", clients can reach the wrong content; source: {}",
                ip.as_deref().unwrap_or("<the group's ip>"),
                fact.source
            )),
        ),
        (Some(binding), Some(ip)) if binding.value != ip => diags.push(
            Diagnostic::new(
                Code::SiteBindingRequired,
                binding.span.clone(),
                format!(
                    "the site is bound to {}, but group `{}` floats {ip}",
                    binding.value,
                    user.group.name()
                ),
            )
            .label("not the group's floating IP")
            .help(format!("write `site_binding: {ip}`; source: {}", fact.source)),
        ),
        _ => {}
    }
}
