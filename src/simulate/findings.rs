//! What a scenario flags. Each finding has a stable kebab-case code (listed in
//! `docs/simulate.md`), a message naming the groups and servers, and the source it rests on.
//! They are results of a scenario, not diagnostics of the file: a file that checks clean can
//! still lead to a pause or a manual fail-back when a server goes down.

use std::collections::HashSet;

use super::Finding;
use super::engine::State;
use crate::model::StartMode;

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

impl Findings {
    fn push(&mut self, code: &'static str, message: String, source: impl Into<String>) {
        if self.seen.insert((code, message.clone())) {
            self.list.push(Finding {
                code,
                message,
                source: source.into(),
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
        format!(
            "group `{}` has no server left: every server of its policy ({}) is down, so it stops",
            group.name,
            policy.join(", ")
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
                format!(
                    "group `{}` starts after group `{}`, which runs nowhere: its start on `{here}` waits for it (up to the start wait's timeout)",
                    group.name, model.groups[a].name
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
                format!(
                    "groups `{}` and `{}` both run {} on `{here}`, which supports one-way standby only: one server cannot run it for two groups ({services})",
                    group.name, other.name, product.name
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
                format!(
                    "start.bat of group `{}` on `{here}` stops and restarts {services}, which group `{}` also runs there: its service pauses",
                    group.name, other.name
                ),
                source,
            );
        } else {
            state.findings.push(
                SHARED_SERVICE,
                format!(
                    "groups `{}` and `{}` both control {services} on `{here}`: stopping either group stops it for both",
                    group.name, other.name
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
                format!(
                    "to return group `{}` to `{home}`: move it to `{home}` (its stop on `{here}` stops {services}), then stop group `{}` and start it again on `{here}`",
                    group.name, other.name
                ),
                source,
            );
        }
    }
    for rule in &group.blocked {
        state.findings.push(
            PORT_BLOCKED,
            format!(
                "on `{here}`, the packet filter does not allow {rule}, which group `{}` needs",
                group.name
            ),
            "the cluster file's `firewall.allow`",
        );
    }
    for (s, service, mode) in &group.not_manual {
        let on = &model.servers[*s];
        match mode {
            StartMode::Auto if *s != server => state.findings.push(
                AUTO_START,
                format!(
                    "Windows starts `{service}` at boot on `{on}`, where group `{}` stands by: it runs there too",
                    group.name
                ),
                "PP guide (Internet) 1.1.4, 1.2.4, 1.5.5, 1.6.5 (controlled services set to manual start)",
            ),
            StartMode::Disabled if *s == server => state.findings.push(
                SERVICE_DISABLED,
                format!(
                    "`{service}` is disabled on `{on}`: group `{}` cannot start it there",
                    group.name
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
        format!(
            "moving group `{}` off `{}` stops the services group `{}` runs there, and the cluster does not know it: stop group `{}` and start it again on `{}`",
            group.name, model.servers[from], model.groups[r].name, model.groups[r].name, model.servers[from]
        ),
        source,
    );
}
