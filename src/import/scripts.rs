//! The apps of a script resource, from its scripts: the ARMLOAD lines of start.bat and the
//! ARMKILL lines of stop.bat.
//!
//! start.bat says the most (service names, `/M`, `/FOV`), but a folder may hold only stop.bat,
//! or start.bat may start a service that stop.bat never stops (or the reverse): a service is
//! recognised wherever either script names it, and a disagreement between the two is said in
//! a note, since one of the scripts is then wrong (lint-scripts' script-unstopped-service).

use super::apps::{App, add_service, add_stopped, recognise};
use super::out::shown;
use super::package::Scripts;
use crate::catalog::Catalog;
use crate::lint::script::Kind;
use crate::lint::{Decoded, Script};
use crate::model::values;
use crate::source::SourceFile;

/// A service started by an ARMLOAD line.
struct Started {
    watch_id: String,
    service: String,
    monitor: bool,
    fov: bool,
}

fn parse(file: &str, bytes: &[u8]) -> Script {
    Script::parse(SourceFile::new(file, Decoded::from_bytes(bytes).text))
}

/// The text a batch line's argument passes to a program: quotes removed, `%%` read as `%`,
/// and outside quotes a caret's next character taken as it is (as cmd.exe reads a batch
/// file's line; hagen writes service names this way, `emit::scripts`).
fn batch_argument(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut quoted = false;
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '%' if chars.peek() == Some(&'%') => {
                chars.next();
                out.push('%');
            }
            '^' if !quoted => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Adds the services of the script resource `resource` to `apps`, and says in `notes` what
/// could not be taken.
pub fn script_apps(resource: &str, scripts: &Scripts, catalog: &Catalog, apps: &mut Vec<App>, notes: &mut Vec<String>) {
    // The name of the `custom` app of this resource's other services, a name like any other.
    let app = Some(format!("{resource}-services"))
        .filter(|a| values::name_problem(a).is_none())
        .unwrap_or_else(|| "script-services".to_string());
    let resource = shown(resource);
    // Every watch id each script names, accepted or not, for comparing the two scripts.
    let mut loaded = Vec::new();
    let mut killed = Vec::new();
    let mut started = Vec::new();
    if let Some(bytes) = &scripts.start {
        for line in parse("start.bat", bytes).lines {
            let Kind::ArmLoad(load) = &line.kind else { continue };
            let service = load
                .target
                .as_ref()
                .map(|t| batch_argument(&t.text))
                .unwrap_or_default();
            let watch_id = load.watch_id.text.to_string();
            loaded.push(watch_id.clone());
            if values::watch_id_problem(&watch_id).is_some() || values::service_name_problem(&service).is_some() {
                notes.push(format!(
                    "`ARMLOAD {}` in {resource}'s start.bat is not a service line hagen accepts",
                    shown(&watch_id)
                ));
                continue;
            }
            started.push(Started {
                watch_id,
                service,
                monitor: load.option("/M").is_some(),
                fov: load.option("/FOV").is_some(),
            });
        }
    }
    let mut stopped = Vec::new();
    if let Some(bytes) = &scripts.stop {
        for line in parse("stop.bat", bytes).lines {
            let Kind::ArmKill(id) = &line.kind else { continue };
            killed.push(id.text.clone());
            if values::watch_id_problem(&id.text).is_some() {
                notes.push(format!(
                    "`ARMKILL {}` in {resource}'s stop.bat is not a service line hagen accepts",
                    shown(&id.text)
                ));
                continue;
            }
            stopped.push(id.text.clone());
        }
    }
    let is_stopped = |id: &str| killed.iter().any(|s| s.eq_ignore_ascii_case(id));
    let is_started = |id: &str| loaded.iter().any(|s| s.eq_ignore_ascii_case(id));
    let mut custom = 0;
    for s in &started {
        if scripts.stop.is_some() && !is_stopped(&s.watch_id) {
            notes.push(format!(
                "{resource}'s start.bat starts `{}` (ARMLOAD), which its stop.bat never stops (ARMKILL)",
                s.watch_id
            ));
        }
        if recognise(catalog, &s.watch_id, &s.service).is_none() {
            custom += 1;
        }
        add_service(apps, catalog, &s.watch_id, &s.service, Some(s.monitor), s.fov, &app);
    }
    if scripts.start.is_none() && !stopped.is_empty() {
        notes.push(format!(
            "{resource} has a stop.bat but no start.bat: its services are recognised from the ARMKILL lines, \
             without the ARMLOAD options (`/M`, `/FOV`)"
        ));
    }
    // Stopped in the reverse of the start order: the start order is the reverse of stop.bat's.
    for id in stopped.iter().rev().filter(|id| !is_started(id)) {
        if scripts.start.is_some() {
            notes.push(format!(
                "{resource}'s stop.bat stops `{id}` (ARMKILL), which its start.bat never starts (ARMLOAD)"
            ));
        }
        match recognise(catalog, id, "") {
            Some(_) => add_stopped(apps, catalog, id, &app),
            None => notes.push(format!(
                "`ARMKILL {id}` in {resource}'s stop.bat names no service of the catalog, and stop.bat does \
                 not hold the service's name: add it to a `custom` app"
            )),
        }
    }
    if custom > 0 {
        notes.push(format!(
            "{custom} service(s) of {resource}'s start.bat belong to no product of the catalog: a `custom` app"
        ));
    }
}
