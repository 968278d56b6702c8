//! Loading each side of a diff: a cluster file (through the pipeline, to its plan and its one
//! start order), a clp.conf (`clpconf.rs`), or a package folder (its clp.conf and scripts).
//!
//! A path that is a folder is a package; a file whose first non-blank bytes are `<` is a
//! clp.conf; anything else is a cluster file, which must check without errors.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::clpconf;
use super::model::{
    AppFacts, DiskFacts, EdgeFacts, GroupFacts, MirrorFacts, Origin, Placed, PortFact, ServerFacts, ServiceFacts, Side,
};
use crate::catalog::CatalogSource;
use crate::diag::Diagnostic;
use crate::input::{self, Input};
use crate::plan::{MirrorConnect, Plan, PlanGroup};
use crate::resolved::{Cluster, GroupView};
use crate::source::SourceFile;

/// Why a side could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// One line: unreadable, not a clp.conf, ...
    Message(String),
    /// A cluster file with errors: its diagnostics.
    Diagnostics(Box<SourceFile>, Vec<Diagnostic>),
}

/// Reads one side from a path. A cluster file is planned as if named `plan_as` (its own name
/// when `None`): the generated scripts name the file they come from, and the two sides of a
/// diff are planned under one name so that a renamed file is not a script change.
pub fn load(path: &Path, catalog: &(impl CatalogSource + ?Sized), plan_as: Option<&str>) -> Result<Side, LoadError> {
    if path.is_dir() {
        return package(path).map_err(LoadError::Message);
    }
    let name = path.display().to_string();
    let bytes = input::read_bytes(path).map_err(|e| LoadError::Message(e.to_string()))?;
    let first = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF);
    if first == Some(&b'<') {
        let shown = crate::render::human::printable(&name);
        return clpconf::read(&name, &bytes, Origin::ClpConf).map_err(|e| LoadError::Message(format!("{shown}: {e}")));
    }
    let file = match input::read(path) {
        Ok(Input::Source(file)) => file,
        Ok(Input::TooLarge(file)) => {
            return Err(LoadError::Message(format!(
                "{}: {}",
                file.name,
                input::too_large().message
            )));
        }
        Err(err) => return Err(LoadError::Message(err.to_string())),
    };
    cluster_file(file, catalog, plan_as)
}

/// A cluster file: checked, planned, and its package generated in memory (scripts, clp.conf).
pub fn cluster_file(
    file: SourceFile,
    catalog: &(impl CatalogSource + ?Sized),
    plan_as: Option<&str>,
) -> Result<Side, LoadError> {
    let short = plan_as
        .unwrap_or_else(|| file.name.rsplit(['/', '\\']).next().unwrap_or(&file.name))
        .to_string();
    let (diagnostics, side) = crate::pipeline::analyze(&file, catalog, |cluster, clean| {
        clean.then(|| {
            let plan = crate::plan::build(cluster, &short);
            from_plan(cluster, &plan)
        })
    });
    match side.flatten() {
        Some(mut side) => {
            side.name = file.name.clone();
            side.text = Some(file);
            Ok(side)
        }
        None => Err(LoadError::Diagnostics(Box::new(file), diagnostics)),
    }
}

fn from_plan(cluster: &Cluster, plan: &Plan) -> Side {
    let views: HashMap<&str, &GroupView> = cluster.groups.iter().map(|g| (g.name(), g)).collect();
    let server_spans: HashMap<&str, _> = cluster
        .file
        .servers
        .iter()
        .map(|s| (s.name.value.as_str(), s.name.span.clone()))
        .collect();
    let groups = plan
        .groups
        .iter()
        .filter_map(|g| Some(group_from_plan(g, views.get(g.name.as_str())?, &plan.mirror_connects)))
        .collect();
    let scripts: BTreeMap<String, String> = crate::emit::scripts(plan)
        .into_iter()
        .map(|(path, bytes)| (path, script_text(&bytes)))
        .collect();
    // The monitors as clp.conf writes them, read back as a pulled clp.conf is read, so that
    // both kinds of side describe them alike.
    let monitors = plan
        .platform
        .has_clp_conf()
        .then(|| clpconf::monitors_of(&crate::emit::clpconf::clp_conf_without_order(plan)))
        .flatten();
    let mut port_spans = HashMap::new();
    for app in cluster.file.groups.iter().flat_map(|g| g.apps.iter()) {
        for p in &app.ports {
            port_spans.entry(p.value).or_insert(p.span.clone());
        }
    }
    let ports = crate::resolved::port_needs(cluster)
        .into_iter()
        .map(|n| PortFact {
            rule: n.rule.to_string(),
            purpose: n.purpose,
            source: n.source,
            span: port_spans.get(&n.rule).cloned(),
        })
        .collect();
    Side {
        origin: Origin::ClusterFile,
        name: String::new(),
        text: None,
        cluster_name: Some(plan.cluster_name.clone()),
        platform: Some(plan.platform.id.clone()),
        language: Some(format!("{:?}", plan.language).to_ascii_lowercase()),
        servers: plan
            .servers
            .iter()
            .map(|s| ServerFacts {
                name: s.name.clone(),
                interconnects: s.interconnects.iter().map(|i| i.to_string()).collect(),
                span: server_spans.get(s.name.as_str()).cloned(),
            })
            .collect(),
        groups,
        shape: true,
        ports: Some(ports),
        scripts: Some(scripts),
        monitors,
        ignored: Vec::new(),
    }
}

fn group_from_plan(g: &PlanGroup, view: &GroupView, mirror_connects: &[MirrorConnect]) -> GroupFacts {
    let model = view.group;
    let after_spans: HashMap<&str, _> = model.after.iter().map(|a| (a.value.as_str(), a.span.clone())).collect();
    let registry_spans: HashMap<&str, _> = model
        .registry
        .iter()
        .map(|r| (r.value.as_str(), r.span.clone()))
        .collect();
    let mut service_spans = HashMap::new();
    let mut apps = Vec::with_capacity(view.apps.len());
    for a in &view.apps {
        for s in &a.services {
            service_spans.entry((a.id(), s.name.as_str())).or_insert(s.span.clone());
        }
        apps.push(AppFacts {
            id: a.id().to_string(),
            product: a.app.product.value.clone(),
            version: a.version().map(str::to_string),
            span: Some(a.app.span.clone()),
        });
    }
    let services = g
        .start
        .iter()
        .map(|s| ServiceFacts {
            app: s.app.clone(),
            name: s.service.clone(),
            watch_id: s.watch_id.clone(),
            monitor: s.monitor,
            failover: s.failover,
            span: service_spans.get(&(s.app.as_str(), s.service.as_str())).cloned(),
        })
        .collect();
    let edges = view
        .order
        .distinct()
        .into_iter()
        .filter(|e| e.followed())
        .map(|e| EdgeFacts {
            from: view.apps[e.from].id().to_string(),
            to: view.apps[e.to].id().to_string(),
            kind: e.kind().name(),
            // diff reports in English, whatever the file's language.
            reason: e.why(crate::model::Language::En, &view.apps),
            span: Some(e.span.clone()),
        })
        .collect();
    // Each service once, in start order (a set to know which are in: a group can start
    // thousands).
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::with_capacity(g.start.len());
    let manual: Vec<String> = g
        .start
        .iter()
        .filter(|s| seen.insert(s.service.as_str()))
        .map(|s| s.service.clone())
        .collect();
    GroupFacts {
        name: g.name.clone(),
        span: Some(model.name.span.clone()),
        policy: g.policy.clone(),
        policy_span: Some(model.failover_span.clone()),
        after: g
            .after
            .iter()
            .map(|a| Placed::new(a.clone(), after_spans.get(a.as_str()).cloned()))
            .collect(),
        fip: Some(Placed::new(
            g.fip.value.to_string(),
            model.ip.as_ref().map(|i| i.span.clone()),
        )),
        computer_name: g
            .vcom
            .as_ref()
            .map(|v| Placed::new(v.value.clone(), model.computer_name.as_ref().map(|c| c.span.clone()))),
        disk: g.disk.as_ref().map(|d| {
            Placed::new(
                DiskFacts {
                    drive: d.value.drive,
                    guids: sorted(
                        d.value
                            .guids
                            .iter()
                            .map(|(s, guid)| (s.clone(), guid.trim_matches(['{', '}']).to_ascii_lowercase()))
                            .collect(),
                    ),
                },
                model.disk.as_ref().map(|d| d.span.clone()),
            )
        }),
        mirror: g.mirror.as_ref().map(|m| {
            let guid = |g: &str| g.trim_matches(['{', '}']).to_ascii_lowercase();
            let mut guids: Vec<(String, String, String)> = m
                .value
                .guids
                .iter()
                .map(|(s, data, cluster)| (s.clone(), guid(data), guid(cluster)))
                .collect();
            guids.sort();
            Placed::new(
                MirrorFacts {
                    drive: m.value.drive,
                    cluster_drive: m.value.cluster_drive,
                    guids,
                    connects: m
                        .value
                        .connects
                        .iter()
                        .map(|&i| {
                            let mut addresses: Vec<(String, String)> = mirror_connects[i]
                                .addresses
                                .iter()
                                .map(|(s, ip)| (s.clone(), ip.to_string()))
                                .collect();
                            addresses.sort();
                            addresses
                        })
                        .collect(),
                },
                model.mirror.as_ref().map(|m| m.span.clone()),
            )
        }),
        registry: g
            .regsync
            .iter()
            .flat_map(|r| r.value.iter())
            .map(|k| Placed::new(k.key.clone(), registry_spans.get(k.key.as_str()).cloned()))
            .collect(),
        control: Some(
            match g.control {
                crate::model::Control::Script => "script",
                crate::model::Control::ServiceResources => "service-resources",
            }
            .to_string(),
        ),
        service_resources: g.service_resources.iter().map(|r| r.value.service.clone()).collect(),
        apps: Some(apps),
        services: Some(services),
        edges: Some(edges),
        manual_start: Some(manual),
    }
}

/// Volume GUIDs by server name: their order in the file says nothing.
pub(super) fn sorted(mut guids: Vec<(String, String)>) -> Vec<(String, String)> {
    guids.sort();
    guids
}

/// A script's bytes as text with `\n` line ends (ASCII or UTF-8 as it is, else CP932).
fn script_text(bytes: &[u8]) -> String {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes).0.into_owned(),
    };
    text.replace("\r\n", "\n")
}

/// A package folder: its clp.conf (CLUSTERPRO X) and every file under `scripts/`.
fn package(dir: &Path) -> Result<Side, String> {
    let name = dir.display().to_string();
    let shown = crate::render::human::printable(&name);
    let conf = dir.join("clp.conf");
    let mut side = if conf.is_file() {
        let bytes = input::read_bytes(&conf).map_err(|e| e.to_string())?;
        clpconf::read(&name, &bytes, Origin::Package).map_err(|e| format!("{shown}/clp.conf: {e}"))?
    } else {
        Side {
            origin: Origin::Package,
            name: name.clone(),
            text: None,
            cluster_name: None,
            platform: None,
            language: None,
            servers: Vec::new(),
            groups: Vec::new(),
            shape: false,
            ports: None,
            scripts: None,
            monitors: None,
            ignored: Vec::new(),
        }
    };
    let scripts_dir = dir.join("scripts");
    if !scripts_dir.is_dir() && !conf.is_file() {
        return Err(format!(
            "{shown}: not a package: it holds neither clp.conf nor a scripts folder"
        ));
    }
    let mut scripts = BTreeMap::new();
    if scripts_dir.is_dir() {
        collect_scripts(&scripts_dir, "scripts", 0, &mut scripts)?;
    }
    if side.groups.is_empty() {
        // Without clp.conf (CLUSTERPRO 6.0-8.0), the groups are the folders of the scripts.
        let mut names: Vec<&str> = scripts.keys().filter_map(|p| p.split('/').nth(1)).collect();
        names.dedup();
        side.groups = names
            .into_iter()
            .map(|n| GroupFacts {
                name: n.to_string(),
                ..GroupFacts::default()
            })
            .collect();
    }
    side.scripts = Some(scripts);
    Ok(side)
}

/// Every `.bat` file below `dir` (at most three folders deep), by its path in the package.
fn collect_scripts(dir: &Path, prefix: &str, depth: usize, out: &mut BTreeMap<String, String>) -> Result<(), String> {
    if depth > 3 {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {}", dir.display(), input::describe(&e)))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {}", dir.display(), input::describe(&e)))?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let inside = format!("{prefix}/{file_name}");
        if path.is_dir() {
            collect_scripts(&path, &inside, depth + 1, out)?;
        } else if file_name.to_ascii_lowercase().ends_with(".bat") {
            let bytes = input::read_bytes(&path).map_err(|e| e.to_string())?;
            out.insert(inside, script_text(&bytes));
        }
    }
    Ok(())
}
