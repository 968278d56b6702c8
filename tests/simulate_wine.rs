//! Proof by execution of `hagen simulate`: for every scenario of every example (with every
//! pair of servers down too), each step's script — the group's generated start.bat or
//! stop.bat — runs under Wine's cmd.exe with the step's event variables and the stand-in
//! ARMLOAD/ARMKILL/ARMBCAST/ARMFOVER (`tests/common/wine.rs`). What the stand-ins log must be
//! what the simulator says: the ARMLOAD and ARMKILL calls in order, the services ARMLOAD starts
//! in order, and the exit code.
//!
//! The simulator and the scripts both come from the plan, so this proves that the simulator's
//! reading of the event variables (START, FAILOVER, RECOVER; HOME, OTHER; a failed disk) is
//! the branch cmd.exe takes in the scripts hagen writes. Steps with the same script and the
//! same variables give the same run, so each distinct one runs once, all of a script's cases in
//! one Wine process.

#[path = "common/wine.rs"]
#[allow(dead_code)] // This test uses only part of the harness.
mod wine;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use hagen::catalog::Catalog;
use hagen::model::Language;
use hagen::simulate::{Options, Script};
use hagen::source::SourceFile;
use wine::{Case, Setup};

/// A script's variables, and the (scenario, step) pairs that run it with them.
type Uses = (Vec<(String, String)>, Vec<(String, usize)>);

/// The service name of an ARMLOAD call's arguments: what follows the watch id and the options.
fn loaded_service(args: &str) -> String {
    let mut rest = args.split_once(' ').map_or("", |(_, r)| r).trim();
    while let Some(option) = ["/S ", "/M ", "/FOV "].iter().find(|o| rest.starts_with(**o)) {
        rest = rest[option.len()..].trim_start();
    }
    rest.trim().trim_matches('"').to_string()
}

#[test]
fn every_simulated_step_is_what_the_generated_script_does_under_wine() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<String> = fs::read_dir(&examples)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    let mut failures = Vec::new();
    let (mut steps_checked, mut runs) = (0, 0);
    for name in &names {
        let file = SourceFile::new(name.as_str(), fs::read_to_string(examples.join(name)).unwrap());
        let (_, plan) = hagen::pipeline::check_and_plan(&file, Catalog::builtin(), true);
        let plan = plan.unwrap_or_else(|| panic!("{name} checks clean"));
        let (_, sim) = hagen::pipeline::simulate(
            &file,
            Catalog::builtin(),
            &Options {
                down: Vec::new(),
                depth: 2,
            },
        );
        let sim = sim.unwrap().unwrap();
        let dir = tempfile::tempdir().unwrap();
        for (path, bytes) in hagen::emit::package(&plan) {
            let path = dir.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
        // (group, script) -> distinct variable sets, each with the steps that use it.
        let mut cases: BTreeMap<(usize, &'static str), Vec<Uses>> = BTreeMap::new();
        for scenario in &sim.scenarios {
            for (i, step) in scenario.steps.iter().enumerate() {
                let env: Vec<(String, String)> = step
                    .env(sim.generation)
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_string()))
                    .collect();
                let list = cases.entry((step.group, step.script.name())).or_default();
                let at = match list.iter().position(|(e, _)| *e == env) {
                    Some(at) => at,
                    None => {
                        list.push((env, Vec::new()));
                        list.len() - 1
                    }
                };
                list[at].1.push((scenario.name.clone(), i));
            }
        }
        let locale = match plan.language {
            Language::Ja => "ja_JP.UTF-8",
            Language::En => "en_US.UTF-8",
        };
        for ((g, script), list) in &cases {
            let group = &plan.groups[*g];
            // A group of only its address and disk has no script resource: nothing runs.
            let Some(script_dir) = group.script_dir(&plan.platform) else {
                assert!(
                    group.start.is_empty(),
                    "group {} has services but no script",
                    group.name
                );
                continue;
            };
            let path = dir.path().join(script_dir).join(format!("{script}.bat"));
            let wine_cases: Vec<Case> = list
                .iter()
                .map(|(env, _)| {
                    let vars: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                    Case::new(&vars)
                })
                .collect();
            let setup = Setup {
                locale,
                ..Setup::default()
            };
            let outcomes = wine::run(&path, &setup, &wine_cases);
            runs += outcomes.len();
            for ((_, uses), outcome) in list.iter().zip(&outcomes) {
                let calls: Vec<(String, String)> = outcome
                    .calls
                    .iter()
                    .filter(|c| c.program == "ARMLOAD" || c.program == "ARMKILL")
                    .map(|c| (c.program.clone(), String::from_utf8_lossy(&c.args).into_owned()))
                    .collect();
                let actions: Vec<String> = calls
                    .iter()
                    .map(|(p, a)| format!("{p} {}", a.split(' ').next().unwrap_or("")))
                    .collect();
                let loaded: Vec<String> = calls
                    .iter()
                    .filter(|(p, _)| p == "ARMLOAD")
                    .map(|(_, a)| loaded_service(a))
                    .collect();
                for (scenario, i) in uses {
                    steps_checked += 1;
                    let step = &sim.scenarios.iter().find(|s| &s.name == scenario).unwrap().steps[*i];
                    let what = format!(
                        "{name}, scenario `{scenario}`, step {} ({script}.bat of {} with {})",
                        i + 1,
                        group.name,
                        outcome.case.name
                    );
                    if actions != step.actions {
                        failures.push(format!(
                            "{what}: the script called {actions:?}, simulated {:?}",
                            step.actions
                        ));
                    }
                    if outcome.exit_code != step.exit {
                        failures.push(format!("{what}: exit {}, simulated {}", outcome.exit_code, step.exit));
                    }
                    let script_starts = step.script == Script::Start && !step.actions.is_empty();
                    if script_starts && loaded != step.services {
                        failures.push(format!(
                            "{what}: ARMLOAD started {loaded:?}, simulated {:?}",
                            step.services
                        ));
                    }
                }
            }
        }
    }
    assert!(steps_checked > 50, "only {steps_checked} steps checked");
    eprintln!("{steps_checked} simulated steps checked with {runs} script runs");
    common_failures(failures);
}

fn common_failures(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
