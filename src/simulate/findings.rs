//! What a scenario flags. Each finding has a stable kebab-case code (listed in
//! `docs/simulate.md`), a message naming the groups and servers, and the source it rests on.
//! They are results of a scenario, not diagnostics of the file: a file that checks clean can
//! still lead to a pause or a manual fail-back when a server goes down.

use std::collections::HashSet;

use super::Finding;
use super::engine::State;
use crate::model::{Language, StartMode};

/// A group left with no server of its policy up.
pub const GROUP_STOPPED: &str = "group-stopped";
/// A product that supports only one group per server, landing where another group runs it.
pub const PRODUCT_TWICE: &str = "product-twice-on-server";
/// Two-way standby: the start script stops and restarts services another group runs there.
pub const PARTNER_PAUSE: &str = "partner-site-pause";
/// Two groups controlling the same Windows service on one server (no product rule about it).
pub const SHARED_SERVICE: &str = "shared-service";
/// Returning the group home needs the guide's manual steps for its partner.
pub const MANUAL_FAIL_BACK: &str = "manual-fail-back";
/// A port the group needs that the packet filter does not let through.
pub const PORT_BLOCKED: &str = "port-blocked";
/// A controlled service Windows starts at boot on a server where the group stands by.
pub const AUTO_START: &str = "auto-start-on-standby";
/// A controlled service disabled on the server the group lands on.
pub const SERVICE_DISABLED: &str = "service-disabled";
/// A group starts while a group it starts after runs nowhere.
pub const ORDER_UNMET: &str = "group-order-unmet";

/// Every code, in the order `docs/simulate.md` explains them.
pub const CODES: [&str; 9] = [
    GROUP_STOPPED,
    PRODUCT_TWICE,
    PARTNER_PAUSE,
    SHARED_SERVICE,
    MANUAL_FAIL_BACK,
    PORT_BLOCKED,
    AUTO_START,
    SERVICE_DISABLED,
    ORDER_UNMET,
];

/// A scenario's findings, each once, in the order they arose.
#[derive(Default)]
pub(super) struct Findings {
    list: Vec<Finding>,
    seen: HashSet<(&'static str, String)>,
}

/// A finding's message: its key in the message catalogues (`simulate.finding.*`) and its
/// values.
struct Message {
    key: &'static str,
    args: Vec<(&'static str, String)>,
}

fn message<const N: usize>(key: &'static str, args: [(&'static str, &dyn std::fmt::Display); N]) -> Message {
    Message {
        key,
        args: args
            .into_iter()
            .map(|(name, value)| (name, value.to_string()))
            .collect(),
    }
}

impl Findings {
    fn push(&mut self, code: &'static str, message: Message, source: impl Into<String>) {
        let Message { key, args } = message;
        let english = Finding::text(Language::En, key, &args);
        if self.seen.insert((code, english.clone())) {
            self.list.push(Finding {
                code,
                message: english,
                source: source.into(),
                key,
                args,
            });
        }
    }

    pub fn into_vec(self) -> Vec<Finding> {
        self.list
    }
}

/// `g` went down with its server and no other server of its policy is up.
pub(super) fn stopped(state: &mut State, g: usize) {
    let model = state.model;
    let group = &model.groups[g];
    let policy: Vec<&str> = group.policy.iter().map(|&s| model.servers[s].as_str()).collect();
    state.findings.push(
        GROUP_STOPPED,
        message(
            "simulate.finding.group_stopped",
            [("group", &group.name), ("policy", &policy.join(", "))],
        ),
        "the group's failover policy (clp.conf `policy`/`order`, as in github.com/EXPRESSCLUSTER/BasicCluster X41/Win/conf/2nodesMirror/clp.conf)",
    );
}

/// The checks when `g` is about to start on `server`.
pub(super) fn on_start(state: &mut State, g: usize, server: usize) {
    let model = state.model;
    let group = &model.groups[g];
    let here = &model.servers[server];
    for &a in &group.after {
        if state.at[a].is_none() {
            state.findings.push(
                ORDER_UNMET,
                message(
                    "simulate.finding.order_unmet",
                    [("group", &group.name), ("after", &model.groups[a].name), ("here", here)],
                ),
                "nec-docs/GroupParameters_Windows_jp.md, 起動待ち合わせ (depend/act, timeout 1800 s by default)",
            );
        }
    }
    for r in state.sharing(g, server) {
        let other = &model.groups[r];
        let services: Vec<&str> = group
            .start
            .iter()
            .map(|(_, s)| s.as_str())
            .filter(|s| other.start.iter().any(|(_, o)| o.eq_ignore_ascii_case(s)))
            .collect();
        let services = services.join(", ");
        let one_way = group
            .products
            .iter()
            .find(|p| !p.two_way && other.products.iter().any(|o| o.id == p.id));
        if let Some(product) = one_way {
            state.findings.push(
                PRODUCT_TWICE,
                message(
                    "simulate.finding.product_twice",
                    [
                        ("group", &group.name),
                        ("other", &other.name),
                        ("product", &product.name),
                        ("here", here),
                        ("services", &services),
                    ],
                ),
                product.standby_source.clone(),
            );
        } else if group.kill_before_load {
            let source = group
                .products
                .iter()
                .find_map(|p| p.pause_source.clone())
                .unwrap_or_else(|| {
                    "the start script stops its services before it starts them (two-way standby)".into()
                });
            state.findings.push(
                PARTNER_PAUSE,
                message(
                    "simulate.finding.partner_pause",
                    [
                        ("group", &group.name),
                        ("here", here),
                        ("services", &services),
                        ("other", &other.name),
                    ],
                ),
                source,
            );
        } else {
            state.findings.push(
                SHARED_SERVICE,
                message(
                    "simulate.finding.shared_service",
                    [
                        ("group", &group.name),
                        ("other", &other.name),
                        ("services", &services),
                        ("here", here),
                    ],
                ),
                "PP guide (Internet) 1.1.5 and PP guide (SURFNAVI) stop scripts (ARMKILL stops what ARMLOAD started)",
            );
        }
        let home = group.policy.first().copied();
        if home != Some(server)
            && let Some(source) = group.products.iter().find_map(|p| {
                p.fail_back_source
                    .clone()
                    .filter(|_| p.two_way && other.products.iter().any(|o| o.id == p.id))
            })
        {
            let home = home.map_or("", |h| model.servers[h].as_str());
            state.findings.push(
                MANUAL_FAIL_BACK,
                message(
                    "simulate.finding.manual_fail_back",
                    [
                        ("group", &group.name),
                        ("home", &home),
                        ("here", here),
                        ("services", &services),
                        ("other", &other.name),
                    ],
                ),
                source,
            );
        }
    }
    for rule in &group.blocked {
        state.findings.push(
            PORT_BLOCKED,
            message(
                "simulate.finding.port_blocked",
                [("here", here), ("rule", rule), ("group", &group.name)],
            ),
            "the cluster file's `firewall.allow`",
        );
    }
    for (s, service, mode) in &group.not_manual {
        let on = &model.servers[*s];
        match mode {
            StartMode::Auto if *s != server => state.findings.push(
                AUTO_START,
                message(
                    "simulate.finding.auto_start",
                    [("service", service), ("on", on), ("group", &group.name)],
                ),
                "PP guide (Internet) 1.1.4, 1.2.4, 1.5.5, 1.6.5 (controlled services set to manual start)",
            ),
            StartMode::Disabled if *s == server => state.findings.push(
                SERVICE_DISABLED,
                message(
                    "simulate.finding.service_disabled",
                    [("service", service), ("on", on), ("group", &group.name)],
                ),
                "PP guide (Internet) 1.1.4, 1.2.4, 1.5.5, 1.6.5 (controlled services set to manual start)",
            ),
            _ => {}
        }
    }
}

/// Moving `g` back from `from` stopped services that `r` runs there too: `r` is stopped and
/// started again by hand.
pub(super) fn restarted(state: &mut State, g: usize, r: usize, from: usize) {
    let model = state.model;
    let group = &model.groups[g];
    let source = group
        .products
        .iter()
        .find_map(|p| p.fail_back_source.clone())
        .unwrap_or_else(|| {
            "PP guide (Internet) 1.1.5 and PP guide (SURFNAVI) stop scripts (ARMKILL stops what ARMLOAD started)".into()
        });
    state.findings.push(
        MANUAL_FAIL_BACK,
        message(
            "simulate.finding.restarted",
            [
                ("group", &group.name),
                ("from", &model.servers[from]),
                ("other", &model.groups[r].name),
            ],
        ),
        source,
    );
}
