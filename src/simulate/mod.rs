//! `hagen simulate`: every failover scenario of a clean cluster played out offline.
//!
//! The simulator reads the plan (failover policies, services in the start order that
//! `resolved/order.rs` made, what each script does per event) and, for the findings that need
//! catalog facts, the resolved cluster; it builds no order of its own and does no I/O. A
//! scenario starts from a known state (every group on the first server of its policy), plays
//! events in order (servers going down or coming back, manual moves, a disk failing at a
//! group's start) and records every script the cluster runs: on which server, with which event
//! variables, and which services it starts or stops, in order. `tests/simulate_wine.rs` runs the
//! generated scripts with those variables and compares what they do with the steps.
//!
//! - `model.rs`: the facts of each group the engine needs, gathered once from plan and cluster;
//! - `scenarios.rs`: which scenarios to play (all of them, or the `--down` lists);
//! - `engine.rs`: plays one scenario into placements and steps;
//! - `findings.rs`: what a scenario flags (stable codes, documented in `docs/simulate.md`);
//! - `json.rs`, `human.rs`, `acceptance.rs`: the outputs.

mod acceptance;
mod engine;
mod findings;
mod human;
mod json;
mod model;
mod scenarios;

pub use acceptance::{to_html, to_markdown};
pub use findings::CODES;
pub use human::to_human;
pub use json::to_json;
pub use scenarios::Options;

use crate::catalog::Generation;
use crate::model::Language;
use crate::plan::Plan;
use crate::resolved::Cluster;

/// Every scenario played, with what the outputs need to name things.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub cluster: String,
    pub platform: String,
    pub generation: Generation,
    pub language: Language,
    /// Server names in the file's order (indices of [`Step::server`] and placements).
    pub servers: Vec<String>,
    /// Per group (in the file's order): its name, floating IP and failover policy.
    pub groups: Vec<GroupInfo>,
    pub scenarios: Vec<Scenario>,
}

#[derive(Debug, Clone)]
pub struct GroupInfo {
    pub name: String,
    pub ip: String,
    /// Server indices in priority order: the first is HOME.
    pub policy: Vec<usize>,
}

/// What a scenario does to the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The cluster starts: every group on its HOME server, in the start order between groups.
    Start,
    /// These servers go down, one after the other.
    Down(Vec<usize>),
    /// The server, down, comes back; then the groups that left it are moved back by hand.
    Back(usize),
    /// The group is moved by hand to the server.
    Move { group: usize, to: usize },
    /// The group starts on its HOME server and its disk fails.
    Disk(usize),
}

#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub kind: Kind,
    /// Servers down at the end of the scenario.
    pub down: Vec<usize>,
    /// Every group the scenario finds or leaves away from its HOME server, by group index:
    /// where it runs before the scenario and at the end. Every other group runs on HOME
    /// throughout, so a scenario that moves one group holds one entry, whatever the number of
    /// groups ([`Simulation::placement`] gives every group's).
    pub changes: Vec<Change>,
    pub steps: Vec<Step>,
    pub findings: Vec<Finding>,
}

/// Where one group runs before a scenario and at its end (`None`: not running).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub group: usize,
    pub before: Option<usize>,
    pub after: Option<usize>,
}

impl Scenario {
    /// The groups whose server the scenario changes (before differs from after), in the file's
    /// order.
    pub fn moved(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.before != c.after)
    }
}

/// The branch a script takes, by the event the cluster passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Start,
    Failover,
    Recover,
}

impl Event {
    pub fn value(self) -> &'static str {
        match self {
            Event::Start => "START",
            Event::Failover => "FAILOVER",
            Event::Recover => "RECOVER",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Start,
    Stop,
}

impl Script {
    pub fn name(self) -> &'static str {
        match self {
            Script::Start => "start",
            Script::Stop => "stop",
        }
    }
}

/// One script run by the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub server: usize,
    pub group: usize,
    pub script: Script,
    pub event: Event,
    /// Whether the server is the group's HOME (`SERVER=HOME`, else `OTHER`).
    pub home: bool,
    /// `DISK=SUCCESS` (true) or `FAILURE`.
    pub disk_ok: bool,
    /// The Windows services the step starts (start order) or stops (stop order), also when
    /// service resources do it rather than the script.
    pub services: Vec<String>,
    /// The script's ARMLOAD and ARMKILL calls, in order: `ARMLOAD <watch id>`.
    pub actions: Vec<String>,
    /// The script's exit code.
    pub exit: i32,
}

impl Step {
    /// The event variables the cluster sets for the script (FACTS.md section 1), by name.
    pub fn env(&self, generation: Generation) -> [(String, &'static str); 3] {
        let prefix = match generation {
            Generation::Arm => "ARMS",
            Generation::X => "CLP",
        };
        [
            (format!("{prefix}_EVENT"), self.event.value()),
            (format!("{prefix}_SERVER"), if self.home { "HOME" } else { "OTHER" }),
            (
                format!("{prefix}_DISK"),
                if self.disk_ok { "SUCCESS" } else { "FAILURE" },
            ),
        ]
    }
}

/// Something a scenario flags: a scenario result, not a diagnostic of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// A stable kebab-case code (`docs/simulate.md`).
    pub code: &'static str,
    /// The message in English, as `hagen simulate` prints it ([`Finding::message_in`] gives
    /// it in another language).
    pub message: String,
    /// The guide section or reference the finding rests on.
    pub source: String,
    /// The message's key in the message catalogues and its values.
    key: &'static str,
    args: Vec<(&'static str, String)>,
}

impl Finding {
    /// The message in `l`.
    pub fn message_in(&self, l: Language) -> String {
        match l {
            Language::En => self.message.clone(),
            _ => Finding::text(l, self.key, &self.args),
        }
    }

    fn text(l: Language, key: &str, args: &[(&'static str, String)]) -> String {
        let args: Vec<(&str, &dyn std::fmt::Display)> = args
            .iter()
            .map(|(name, value)| (*name, value as &dyn std::fmt::Display))
            .collect();
        crate::i18n::fmt(l, key, &args)
    }
}

/// Plays the scenarios of `options` on a planned cluster. An unknown server in `--down` is an
/// error with a "did you mean".
pub fn simulate(plan: &Plan, cluster: &Cluster, options: &Options) -> Result<Simulation, String> {
    let model = model::Model::new(plan, cluster);
    let specs = scenarios::specs(&model, options)?;
    let scenarios = engine::play_all(&model, specs);
    Ok(Simulation {
        cluster: plan.cluster_name.clone(),
        platform: plan.platform.name.clone(),
        generation: plan.platform.generation,
        language: plan.language,
        servers: model.servers.clone(),
        groups: model
            .groups
            .iter()
            .map(|g| GroupInfo {
                name: g.name.clone(),
                ip: g.ip.clone(),
                policy: g.policy.clone(),
            })
            .collect(),
        scenarios,
    })
}

impl Simulation {
    /// The group's HOME server: where it runs in normal operation.
    pub fn home(&self, group: usize) -> Option<usize> {
        self.groups[group].policy.first().copied()
    }

    /// Where the group runs at the end of the scenario.
    pub fn placement_of(&self, scenario: &Scenario, group: usize) -> Option<usize> {
        match scenario.changes.binary_search_by_key(&group, |c| c.group) {
            Ok(i) => scenario.changes[i].after,
            Err(_) => self.home(group),
        }
    }

    /// Where every group runs at the end of the scenario, in the file's order.
    pub fn placement(&self, scenario: &Scenario) -> Vec<Option<usize>> {
        let mut out: Vec<Option<usize>> = (0..self.groups.len()).map(|g| self.home(g)).collect();
        for c in &scenario.changes {
            out[c.group] = c.after;
        }
        out
    }

    /// The number of findings over every scenario.
    pub fn finding_count(&self) -> usize {
        self.scenarios.iter().map(|s| s.findings.len()).sum()
    }
}
