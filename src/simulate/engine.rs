//! Plays one scenario: from its starting state, each event in order, every script the cluster
//! runs as a [`Step`], and where every group ends up.
//!
//! What each script does per event is what the generated scripts do (`templates/start.bat.hbs`,
//! `templates/stop.bat.hbs`): START and FAILOVER with a good disk run the group's services
//! (start.bat in two-way standby first stops them, in stop order), RECOVER only broadcasts, a
//! failed disk starts nothing and exits 1; with service resources the script makes no ARMLOAD
//! or ARMKILL call and the resources start the services in the same order.

use super::findings::Findings;
use super::model::Model;
use super::{Event, Kind, Scenario, Script, Step};

/// The cluster while a scenario plays.
pub(super) struct State<'m> {
    pub model: &'m Model,
    /// Where each group runs.
    pub at: Vec<Option<usize>>,
    pub up: Vec<bool>,
    pub steps: Vec<Step>,
    pub findings: Findings,
}

impl<'m> State<'m> {
    fn new(model: &'m Model) -> Self {
        State {
            model,
            at: vec![None; model.groups.len()],
            up: vec![true; model.servers.len()],
            steps: Vec::new(),
            findings: Findings::default(),
        }
    }

    /// Every group on its HOME server, every server up: normal operation.
    fn normal(model: &'m Model) -> Self {
        let mut state = State::new(model);
        for (g, group) in model.groups.iter().enumerate() {
            state.at[g] = group.policy.first().copied();
        }
        state
    }

    fn is_home(&self, g: usize, server: usize) -> bool {
        self.model.groups[g].policy.first() == Some(&server)
    }

    /// The cluster runs start.bat of `g` on `server`.
    pub fn start(&mut self, g: usize, server: usize, event: Event, disk_ok: bool) {
        let group = &self.model.groups[g];
        let runs = disk_ok && event != Event::Recover;
        let mut step = Step {
            server,
            group: g,
            script: Script::Start,
            event,
            home: self.is_home(g, server),
            disk_ok,
            services: Vec::new(),
            actions: Vec::new(),
            exit: if disk_ok { 0 } else { 1 },
        };
        if runs {
            super::findings::on_start(self, g, server);
            step.services = group.start.iter().map(|(_, s)| s.clone()).collect();
            if !group.service_resources {
                if group.kill_before_load {
                    step.actions
                        .extend(group.start.iter().rev().map(|(w, _)| format!("ARMKILL {w}")));
                }
                step.actions
                    .extend(group.start.iter().map(|(w, _)| format!("ARMLOAD {w}")));
            }
            self.at[g] = Some(server);
        }
        self.steps.push(step);
    }

    /// The cluster runs stop.bat of `g` on `server` (a group stop or move: event START).
    pub fn stop(&mut self, g: usize, server: usize) {
        let group = &self.model.groups[g];
        let mut step = Step {
            server,
            group: g,
            script: Script::Stop,
            event: Event::Start,
            home: self.is_home(g, server),
            disk_ok: true,
            services: group.start.iter().rev().map(|(_, s)| s.clone()).collect(),
            actions: Vec::new(),
            exit: 0,
        };
        if !group.service_resources {
            step.actions = group.start.iter().rev().map(|(w, _)| format!("ARMKILL {w}")).collect();
        }
        self.at[g] = None;
        self.steps.push(step);
    }

    /// `server` goes down: the groups on it fail over, in the start order between groups, to
    /// the first server of their policy that is up; a group with none left stops.
    fn down(&mut self, server: usize) {
        self.up[server] = false;
        let moving: Vec<usize> = self
            .model
            .start_order
            .iter()
            .copied()
            .filter(|&g| self.at[g] == Some(server))
            .collect();
        for &g in &moving {
            self.at[g] = None;
        }
        for g in moving {
            let target = self.model.groups[g].policy.iter().copied().find(|&s| self.up[s]);
            match target {
                Some(to) => self.start(g, to, Event::Failover, true),
                None => super::findings::stopped(self, g),
            }
        }
    }

    /// The other groups on `server` that control one of `g`'s services there.
    pub fn sharing(&self, g: usize, server: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        let index = &self.model.service_groups[server];
        for (_, service) in &self.model.groups[g].start {
            for &r in index.get(&service.to_ascii_lowercase()).into_iter().flatten() {
                if r != g && self.at[r] == Some(server) && !out.contains(&r) {
                    out.push(r);
                }
            }
        }
        out
    }

    fn finish(self, name: String, kind: Kind, down: Vec<usize>, before: Vec<Option<usize>>) -> Scenario {
        Scenario {
            name,
            kind,
            down,
            before,
            placement: self.at,
            steps: self.steps,
            findings: self.findings.into_vec(),
        }
    }
}

pub(super) fn play(model: &Model, kind: Kind) -> Scenario {
    let servers = &model.servers;
    match kind {
        Kind::Start => {
            let mut state = State::new(model);
            let before = state.at.clone();
            for &g in &model.start_order {
                if let Some(&home) = model.groups[g].policy.first() {
                    state.start(g, home, Event::Start, true);
                }
            }
            state.finish("start".to_string(), kind, Vec::new(), before)
        }
        Kind::Down(ref list) => {
            let mut state = State::normal(model);
            let before = state.at.clone();
            for &s in list {
                state.down(s);
            }
            let names: Vec<&str> = list.iter().map(|&s| servers[s].as_str()).collect();
            let down = list.clone();
            state.finish(format!("down {}", names.join(",")), kind, down, before)
        }
        Kind::Back(server) => {
            // The state after the server went down, played without keeping its steps.
            let mut state = State::normal(model);
            let left: Vec<usize> = model
                .start_order
                .iter()
                .copied()
                .filter(|&g| state.at[g] == Some(server))
                .collect();
            state.down(server);
            state.steps.clear();
            state.findings = Default::default();
            let before = state.at.clone();
            state.up[server] = true;
            for &g in &left {
                state.start(g, server, Event::Recover, true);
            }
            // Fail-back is manual (the group stays where it is until moved): move each group
            // that left the server back to it.
            for &g in &left {
                match state.at[g] {
                    Some(from) => {
                        let partners = state.sharing(g, from);
                        state.stop(g, from);
                        state.start(g, server, Event::Start, true);
                        for r in partners {
                            super::findings::restarted(&mut state, g, r, from);
                            state.stop(r, from);
                            state.start(r, from, Event::Start, true);
                        }
                    }
                    None => state.start(g, server, Event::Start, true),
                }
            }
            state.finish(format!("back {}", servers[server]), kind, Vec::new(), before)
        }
        Kind::Move { group, to } => {
            let mut state = State::normal(model);
            let before = state.at.clone();
            if let Some(from) = state.at[group] {
                state.stop(group, from);
            }
            state.start(group, to, Event::Start, true);
            let name = format!("move {} to {}", model.groups[group].name, servers[to]);
            state.finish(name, kind, Vec::new(), before)
        }
        Kind::Disk(group) => {
            let mut state = State::normal(model);
            state.at[group] = None;
            let before = state.at.clone();
            if let Some(&home) = model.groups[group].policy.first() {
                state.start(group, home, Event::Start, false);
            }
            let name = format!("disk {}", model.groups[group].name);
            state.finish(name, kind, Vec::new(), before)
        }
    }
}
