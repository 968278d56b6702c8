//! Emitters: each turns the plan into one kind of output file. None reads anything but the
//! plan, and none writes: [`package`] returns the files, and `output` writes them.

pub mod clpconf;
pub mod other;
pub mod runbook;
pub mod scripts;

use crate::plan::Plan;

/// A template registry as every output format uses one: strict mode (a missing value is an
/// error, never an empty string) and no re-indenting of partials. Each format makes its own
/// and sets its own escaper (HTML, the default, unless it says otherwise).
pub fn strict_registry() -> handlebars::Handlebars<'static> {
    let mut hb = handlebars::Handlebars::new();
    hb.set_strict_mode(true);
    hb.set_prevent_indent(true);
    hb
}

/// Every file of the package (SPEC section 5): relative path with `/` separators, and bytes.
/// Sorted by path, so the package is the same whatever order emitters run in.
pub fn package(plan: &Plan) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    if plan.platform.has_clp_conf() {
        files.push(("clp.conf".to_string(), clpconf::clp_conf(plan)));
    }
    for group in &plan.groups {
        files.extend(scripts::scripts(plan, group));
    }
    files.push(("runbook.md".to_string(), runbook::runbook(plan)));
    for server in &plan.servers {
        if let Some(rules) = other::firewall(plan, &server.name) {
            files.push((format!("firewall/{}.txt", server.name), rules));
        }
    }
    files.push(("graph.dot".to_string(), other::graph(plan)));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}
