//! `hagen diff OLD NEW`: what a change to a cluster does before it is applied, and the drift
//! of a live clp.conf from its cluster file.
//!
//! Each side is a cluster file, a package folder or a clp.conf (`load.rs`, `clpconf.rs`), read
//! into the same terms (`model.rs`); the two are compared part by part (`compare.rs`) into
//! changes (`change.rs`), each with how it is applied (`apply.rs`), then a rollout plan and
//! its rollback (the rollout of the reverse comparison). The renderers (`human.rs`,
//! `json.rs`, `markdown.rs`, `github.rs`) only format the [`Report`].

pub mod apply;
pub mod change;
mod clpconf;
pub mod compare;
pub mod github;
pub mod human;
pub mod json;
pub mod load;
pub mod markdown;
pub mod model;
pub mod text;

pub use apply::{Method, Step};
pub use change::{Change, Kind, Which};
pub use load::{LoadError, load};
pub use model::{Origin, Side};

/// Everything a diff says.
#[derive(Debug)]
pub struct Report {
    pub old: Side,
    pub new: Side,
    pub changes: Vec<Change>,
    pub rollout: Vec<Step>,
    pub rollback: Vec<Step>,
    /// What either side holds that hagen does not describe, each once.
    pub ignored: Vec<String>,
}

impl Report {
    /// Compares two loaded sides.
    pub fn new(old: Side, new: Side) -> Report {
        let changes = compare::compare(&old, &new);
        let conf = has_conf(&new) || has_conf(&old);
        let rollout = apply::rollout(&changes, &new.name, conf);
        let rollback = apply::rollout(&compare::compare(&new, &old), &old.name, conf);
        let mut ignored: Vec<String> = old.ignored.iter().chain(&new.ignored).cloned().collect();
        for side in [&old, &new] {
            if side.origin == Origin::ClpConf {
                ignored.push("scripts, apps, start-order reasons, ports and manual-start services: a clp.conf does not hold them (diff the package folder for its scripts)".into());
            }
        }
        ignored.sort();
        ignored.dedup();
        Report {
            old,
            new,
            changes,
            rollout,
            rollback,
            ignored,
        }
    }

    /// The one-line summary: `3 changes (2 groups): restart cluster` or `no change`.
    pub fn summary(&self) -> String {
        if self.changes.is_empty() {
            return format!("no change between {} and {}", self.old.name, self.new.name);
        }
        let mut groups: Vec<&str> = self.changes.iter().filter_map(|c| c.group.as_deref()).collect();
        groups.sort_unstable();
        groups.dedup();
        let top = self
            .changes
            .iter()
            .map(|c| c.method)
            .max()
            .unwrap_or(Method::UploadOnly);
        let within = match groups.len() {
            0 => "to the cluster as a whole".to_string(),
            n => format!("in {n} group{}", plural(n)),
        };
        format!(
            "{} change{} {within} between {} and {}; the most disturbing needs: {} ({})",
            self.changes.len(),
            plural(self.changes.len()),
            self.old.name,
            self.new.name,
            top.name(),
            top.source_shown()
        )
    }
}

fn has_conf(side: &Side) -> bool {
    match side.origin {
        Origin::ClpConf => true,
        Origin::Package => side.monitors.is_some(),
        Origin::ClusterFile => side.platform.as_deref().is_some_and(|p| p.starts_with("clusterpro-x")),
    }
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Where a change is caused in a cluster file: the file's name and the 1-based position.
pub fn place(report: &Report, change: &Change) -> Option<(String, crate::source::Position)> {
    let (which, span) = change.place.as_ref()?;
    let side = match which {
        Which::Old => &report.old,
        Which::New => &report.new,
    };
    let file = side.text.as_ref()?;
    Some((file.name.clone(), file.position(span.start)))
}

/// A line as the terminal or a comment may show it: control characters escaped.
pub(crate) fn shown(text: &str) -> String {
    text.split('\n')
        .map(|l| crate::render::human::printable(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}
