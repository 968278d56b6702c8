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
use std::collections::HashMap;

use super::{Change, Event, Kind, Scenario, Script, Step};

/// The cluster while a scenario plays. One state serves every scenario: it starts from
/// normal operation (every group on HOME, every server up), records each group a scenario
/// places elsewhere, and is put back by undoing only those, so a scenario costs what it
/// changes rather than the number of groups.
pub(super) struct State<'m> {
    pub model: &'m Model,
    /// Where each group runs (write through [`State::place`]).
    pub at: Vec<Option<usize>>,
    pub up: Vec<bool>,
    pub steps: Vec<Step>,
    pub findings: Findings,
    /// Where each group runs in normal operation: its HOME.
    home: Vec<Option<usize>>,
    /// The groups placed since normal operation, each once, and whether each group is one.
    touched: Vec<usize>,
    is_touched: Vec<bool>,
    /// The placement of the touched groups when the scenario's starting state was reached.
    before: HashMap<usize, Option<usize>>,
}

impl<'m> State<'m> {
    /// Every group on its HOME server, every server up: normal operation.
    fn normal(model: &'m Model) -> Self {
        let home: Vec<Option<usize>> = model.groups.iter().map(|g| g.policy.first().copied()).collect();
        State {
            model,
            at: home.clone(),
            up: vec![true; model.servers.len()],
            steps: Vec::new(),
            findings: Findings::default(),
            home,
            touched: Vec::new(),
            is_touched: vec![false; model.groups.len()],
            before: HashMap::new(),
        }
    }

    /// Places group `g` (`None`: not running).
    fn place(&mut self, g: usize, at: Option<usize>) {
        if !self.is_touched[g] {
            self.is_touched[g] = true;
            self.touched.push(g);
        }
        self.at[g] = at;
    }

    /// The state reached so far is the scenario's starting state: its steps and findings are
    /// dropped, and the placement of the groups placed so far is kept as "before".
    fn starting_state(&mut self) {
        self.steps.clear();
        self.findings = Findings::default();
        self.before = self.touched.iter().map(|&g| (g, self.at[g])).collect();
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
            self.place(g, Some(server));
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
        self.place(g, None);
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
            self.place(g, None);
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

    /// The scenario played, and the state put back to normal operation for the next one.
    fn finish(&mut self, name: String, kind: Kind, down: Vec<usize>) -> Scenario {
        self.touched.sort_unstable();
        let mut changes = Vec::with_capacity(self.touched.len());
        for &g in &self.touched {
            let before = self.before.get(&g).copied().unwrap_or(self.home[g]);
            let after = self.at[g];
            if before != self.home[g] || after != self.home[g] {
                changes.push(Change {
                    group: g,
                    before,
                    after,
                });
            }
            self.at[g] = self.home[g];
            self.is_touched[g] = false;
        }
        self.touched.clear();
        self.before.clear();
        self.up.fill(true);
        Scenario {
            name,
            kind,
            down,
            changes,
            steps: std::mem::take(&mut self.steps),
            findings: std::mem::take(&mut self.findings).into_vec(),
        }
    }
}

/// Plays every scenario, in order, on one state.
pub(super) fn play_all(model: &Model, kinds: Vec<Kind>) -> Vec<Scenario> {
    let mut state = State::normal(model);
    kinds.into_iter().map(|kind| play(&mut state, kind)).collect()
}

fn play(state: &mut State, kind: Kind) -> Scenario {
    let model = state.model;
    let servers = &model.servers;
    match kind {
        Kind::Start => {
            for g in 0..model.groups.len() {
                state.place(g, None);
            }
            state.starting_state();
            for &g in &model.start_order {
                if let Some(&home) = model.groups[g].policy.first() {
                    state.start(g, home, Event::Start, true);
                }
            }
            state.finish("start".to_string(), kind, Vec::new())
        }
        Kind::Down(ref list) => {
            for &s in list {
                state.down(s);
            }
            let names: Vec<&str> = list.iter().map(|&s| servers[s].as_str()).collect();
            let down = list.clone();
            state.finish(format!("down {}", names.join(",")), kind, down)
        }
        Kind::Back(server) => {
            // The state after the server went down, played without keeping its steps.
            let left: Vec<usize> = model
                .start_order
                .iter()
                .copied()
                .filter(|&g| state.at[g] == Some(server))
                .collect();
            state.down(server);
            state.starting_state();
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
                            super::findings::restarted(state, g, r, from);
                            state.stop(r, from);
                            state.start(r, from, Event::Start, true);
                        }
                    }
                    None => state.start(g, server, Event::Start, true),
                }
            }
            state.finish(format!("back {}", servers[server]), kind, Vec::new())
        }
        Kind::Move { group, to } => {
            if let Some(from) = state.at[group] {
                state.stop(group, from);
            }
            state.start(group, to, Event::Start, true);
            let name = format!("move {} to {}", model.groups[group].name, servers[to]);
            state.finish(name, kind, Vec::new())
        }
        Kind::Disk(group) => {
            state.place(group, None);
            state.starting_state();
            if let Some(&home) = model.groups[group].policy.first() {
                state.start(group, home, Event::Start, false);
            }
            let name = format!("disk {}", model.groups[group].name);
            state.finish(name, kind, Vec::new())
        }
    }
}
