//! Emitters: each turns the plan into one kind of output file. None reads anything but the
//! plan, and none writes: [`package`] returns the files, and `output` writes them.

pub mod clpconf;
pub mod netsh;
pub mod other;
pub mod runbook;
pub mod scripts;
pub mod surfnavi;

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

/// A value made once per output language, the first time that language asks for it (a
/// template registry with the language's texts written in, a message table): a build parses
/// only what it renders.
pub struct PerLanguage<T> {
    en: std::sync::OnceLock<T>,
    ja: std::sync::OnceLock<T>,
}

impl<T> PerLanguage<T> {
    pub const fn new() -> Self {
        PerLanguage {
            en: std::sync::OnceLock::new(),
            ja: std::sync::OnceLock::new(),
        }
    }

    /// The value of `language`, made by `make` the first time.
    pub fn get(&self, language: crate::model::Language, make: impl FnOnce() -> T) -> &T {
        match language {
            crate::model::Language::En => &self.en,
            crate::model::Language::Ja => &self.ja,
        }
        .get_or_init(make)
    }
}

impl<T> Default for PerLanguage<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// One emitter's share of the package.
enum Job<'p> {
    ClpConf,
    Runbook,
    Graph,
    Firewall(&'p str),
    Scripts(&'p crate::plan::PlanGroup),
}

/// Every file of the package (SPEC section 5): relative path with `/` separators, and bytes.
/// Sorted by path, so the package is the same whatever order emitters run in. The emitters
/// only read the plan, so they run side by side on every core (a group's scripts are one
/// job); the largest files are started first.
pub fn package(plan: &Plan) -> Vec<(String, Vec<u8>)> {
    let mut jobs = vec![Job::Runbook];
    if plan.platform.has_clp_conf() {
        jobs.push(Job::ClpConf);
    }
    jobs.push(Job::Graph);
    jobs.extend(plan.servers.iter().map(|s| Job::Firewall(&s.name)));
    jobs.extend(plan.groups.iter().filter(|g| g.script.is_some()).map(Job::Scripts));
    run(plan, jobs)
}

/// The package's scripts only, as [`package`] makes them: what `hagen diff` compares as text
/// (the runbook, graph and firewall files follow from what it compares otherwise).
pub fn scripts(plan: &Plan) -> Vec<(String, Vec<u8>)> {
    run(
        plan,
        plan.groups
            .iter()
            .filter(|g| g.script.is_some())
            .map(Job::Scripts)
            .collect(),
    )
}

/// The files of `jobs`, sorted by path.
fn run<'p>(plan: &'p Plan, jobs: Vec<Job<'p>>) -> Vec<(String, Vec<u8>)> {
    let emit = |job: Job| -> Vec<(String, Vec<u8>)> {
        match job {
            Job::ClpConf => vec![("clp.conf".to_string(), clpconf::clp_conf(plan))],
            Job::Runbook => vec![("runbook.md".to_string(), runbook::runbook(plan))],
            Job::Graph => vec![("graph.dot".to_string(), other::graph(plan))],
            Job::Firewall(server) => other::firewall(plan, server)
                .map(|rules| (format!("firewall/{server}.txt"), rules))
                .into_iter()
                .chain(netsh::script(plan, server).map(|script| (format!("firewall/{server}.cmd"), script)))
                .chain(surfnavi::list(plan, server).map(|list| (format!("firewall/{server}.surfnavi.txt"), list)))
                .collect(),
            Job::Scripts(group) => scripts::scripts(plan, group).into(),
        }
    };
    let mut files = Vec::new();
    crate::parallel::map_in_order(jobs, crate::parallel::threads(), emit, |done| files.extend(done));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}
