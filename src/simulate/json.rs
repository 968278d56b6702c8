//! `--format json` (SPEC section 8): `{"scenarios":[{"name", "down", "placement", "steps",
//! "findings"}]}`. Placement and event variables are objects in a fixed order (groups in the
//! file's order; EVENT, SERVER, DISK), so the same input gives the same bytes.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{Scenario, Simulation, Step};

#[derive(Serialize)]
struct Out<'a> {
    cluster: &'a str,
    platform: &'a str,
    scenarios: Vec<ScenarioOut<'a>>,
}

#[derive(Serialize)]
struct ScenarioOut<'a> {
    name: &'a str,
    down: Vec<&'a str>,
    placement: Placement<'a>,
    steps: Vec<StepOut<'a>>,
    findings: Vec<FindingOut<'a>>,
}

/// Every group's server at the end of the scenario: HOME unless the scenario changed it.
struct Placement<'a>(&'a Simulation, &'a Scenario);

impl Serialize for Placement<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Placement(sim, scenario) = *self;
        let mut map = serializer.serialize_map(Some(sim.groups.len()))?;
        let mut changes = scenario.changes.iter().peekable();
        for (g, group) in sim.groups.iter().enumerate() {
            let at = match changes.next_if(|c| c.group == g) {
                Some(c) => c.after,
                None => sim.home(g),
            };
            map.serialize_entry(&group.name, &at.map(|s| sim.servers[s].as_str()))?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct StepOut<'a> {
    server: &'a str,
    group: &'a str,
    script: &'static str,
    env: Env<'a>,
    services: &'a [String],
    actions: &'a [String],
    exit: i32,
}

struct Env<'a>(&'a Simulation, &'a Step);

impl Serialize for Env<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let env = self.1.env(self.0.generation);
        let mut map = serializer.serialize_map(Some(env.len()))?;
        for (name, value) in &env {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct FindingOut<'a> {
    code: &'a str,
    message: &'a str,
    source: &'a str,
}

fn scenario<'a>(sim: &'a Simulation, s: &'a Scenario) -> ScenarioOut<'a> {
    ScenarioOut {
        name: &s.name,
        down: s.down.iter().map(|&d| sim.servers[d].as_str()).collect(),
        placement: Placement(sim, s),
        steps: s
            .steps
            .iter()
            .map(|step| StepOut {
                server: &sim.servers[step.server],
                group: &sim.groups[step.group].name,
                script: step.script.name(),
                env: Env(sim, step),
                services: &step.services,
                actions: &step.actions,
                exit: step.exit,
            })
            .collect(),
        findings: s
            .findings
            .iter()
            .map(|f| FindingOut {
                code: f.code,
                message: &f.message,
                source: &f.source,
            })
            .collect(),
    }
}

/// The simulation as one JSON object, pretty-printed, with a final newline.
pub fn to_json(sim: &Simulation) -> String {
    let out = Out {
        cluster: &sim.cluster,
        platform: &sim.platform,
        scenarios: sim.scenarios.iter().map(|s| scenario(sim, s)).collect(),
    };
    let mut text = serde_json::to_string_pretty(&out).expect("the simulation serializes");
    text.push('\n');
    text
}
