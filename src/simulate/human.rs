//! The default output: per scenario, the groups that moved, each step with its event
//! variables and services, and the findings.

use std::fmt::Write;

use super::Simulation;

pub fn to_human(sim: &Simulation) -> String {
    let mut out = String::new();
    let name = |s: Option<usize>| s.map_or("(stopped)", |s| sim.servers[s].as_str());
    for scenario in &sim.scenarios {
        let _ = writeln!(out, "scenario: {}", scenario.name);
        let moved: Vec<String> = scenario
            .moved()
            .map(|c| format!("{} {} -> {}", sim.groups[c.group].name, name(c.before), name(c.after)))
            .collect();
        if moved.is_empty() {
            out.push_str("  placement: unchanged\n");
        } else {
            let _ = writeln!(out, "  placement: {}", moved.join("; "));
        }
        for (i, step) in scenario.steps.iter().enumerate() {
            let env: Vec<String> = step
                .env(sim.generation)
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let _ = write!(
                out,
                "  {}. {} {}.bat of {} ({})",
                i + 1,
                sim.servers[step.server],
                step.script.name(),
                sim.groups[step.group].name,
                env.join(" ")
            );
            if step.services.is_empty() || step.exit != 0 {
                let _ = writeln!(out, ": nothing started, exit {}", step.exit);
            } else {
                let verb = match step.script {
                    super::Script::Start => "starts",
                    super::Script::Stop => "stops",
                };
                let _ = writeln!(out, ": {verb} {}", step.services.join(", "));
            }
        }
        for f in &scenario.findings {
            let _ = writeln!(out, "  {}: {} [{}]", f.code, f.message, f.source);
        }
    }
    let _ = writeln!(
        out,
        "{} scenarios, {} findings",
        sim.scenarios.len(),
        sim.finding_count()
    );
    out
}
