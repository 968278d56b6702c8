//! The stages of hagen, composed: parse -> decode -> resolve -> check -> plan -> emit.
//!
//! Every command that reads a cluster file goes through here, so that each stage only reads
//! what the one before it produced and no stage calls a later one: the checker never plans,
//! the planner never checks, and the drawings and the review page read the same resolved
//! cluster (and its one start order) that the planner follows.

use crate::catalog::CatalogSource;
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::Graph;
use crate::model::Language;
use crate::plan::Plan;
use crate::resolved::Cluster;
use crate::source::SourceFile;

/// Parses, decodes, resolves and checks one file; returns its diagnostics sorted by place.
pub fn check_file(file: &SourceFile, catalog: &(impl CatalogSource + ?Sized)) -> Vec<Diagnostic> {
    analyze(file, catalog, |_, _| ()).0
}

/// [`check_file`], with the language its messages are in: the file's `language`, English
/// when the file does not say or is not YAML.
pub fn check_file_in_its_language(
    file: &SourceFile,
    catalog: &(impl CatalogSource + ?Sized),
) -> (Vec<Diagnostic>, Language) {
    let (diagnostics, language) = analyze(file, catalog, |cluster, _| cluster.language());
    (diagnostics, language.unwrap_or(Language::En))
}

/// Checks one file and, when asked and it has no errors, plans its package. The plan names
/// the file by `file.name`'s last component, so it is the same from any directory.
pub fn check_and_plan(
    file: &SourceFile,
    catalog: &(impl CatalogSource + ?Sized),
    plan: bool,
) -> (Vec<Diagnostic>, Option<Plan>) {
    let (diags, planned, _) = check_and_plan_in_its_language(file, catalog, plan);
    (diags, planned)
}

/// [`check_and_plan`], with the language the messages are in (as
/// [`check_file_in_its_language`] gives it).
pub fn check_and_plan_in_its_language(
    file: &SourceFile,
    catalog: &(impl CatalogSource + ?Sized),
    plan: bool,
) -> (Vec<Diagnostic>, Option<Plan>, Language) {
    let (diags, out) = analyze(file, catalog, |cluster, clean| {
        let planned = (plan && clean).then(|| crate::plan::build(cluster, short_name(file)));
        (planned, cluster.language())
    });
    let (planned, language) = out.unwrap_or((None, Language::En));
    (diags, planned, language)
}

/// Checks one file and draws its start order: the diagnostics sorted by place, and the graph
/// of every group and between groups, also when the file has errors (a cycle is marked in
/// it). The graph is `None` only when the file is not YAML at all.
pub fn check_graph(file: &SourceFile, catalog: &(impl CatalogSource + ?Sized)) -> (Vec<Diagnostic>, Option<Graph>) {
    let (diags, graph, _) = check_graph_in_its_language(file, catalog);
    (diags, graph)
}

/// [`check_graph`], with the language of the diagnostics.
pub fn check_graph_in_its_language(
    file: &SourceFile,
    catalog: &(impl CatalogSource + ?Sized),
) -> (Vec<Diagnostic>, Option<Graph>, Language) {
    let (diags, out) = analyze(file, catalog, |cluster, _| (Graph::new(cluster), cluster.language()));
    match out {
        Some((graph, language)) => (diags, Some(graph), language),
        None => (diags, None, Language::En),
    }
}

/// Checks one file and makes its review page: the diagnostics sorted by place (for the exit
/// code, as `hagen check` decides it), the page, and the language of both. A file that checks
/// clean is planned, and the page shows the plan's runbook.
pub fn check_report(file: &SourceFile, catalog: &(impl CatalogSource + ?Sized)) -> (Vec<Diagnostic>, String, Language) {
    let name = short_name(file);
    let (diagnostics, parts) = analyze(file, catalog, |cluster, clean| {
        let plan = clean.then(|| crate::plan::build(cluster, name));
        crate::report::Parts::new(cluster, plan.as_ref())
    });
    let language = parts.as_ref().map_or(Language::En, |p| p.language);
    let page = crate::report::page(file, parts, &diagnostics);
    (diagnostics, page, language)
}

/// Checks one file and, when it has no errors, plays its failover scenarios on its plan: the
/// diagnostics sorted by place, and the simulation (`None` when the file has errors, as
/// `build` refuses it; an error for a `--down` server the file does not have).
pub fn simulate(
    file: &SourceFile,
    catalog: &(impl CatalogSource + ?Sized),
    options: &crate::simulate::Options,
) -> (Vec<Diagnostic>, Option<Result<crate::simulate::Simulation, String>>) {
    let (diags, out, _) = simulate_in_its_language(file, catalog, options);
    (diags, out)
}

/// [`simulate`], with the language of the diagnostics (as [`check_file_in_its_language`]
/// gives it).
pub fn simulate_in_its_language(
    file: &SourceFile,
    catalog: &(impl CatalogSource + ?Sized),
    options: &crate::simulate::Options,
) -> (
    Vec<Diagnostic>,
    Option<Result<crate::simulate::Simulation, String>>,
    Language,
) {
    let (diags, out) = analyze(file, catalog, |cluster, clean| {
        let sim = clean.then(|| {
            let plan = crate::plan::build(cluster, short_name(file));
            crate::simulate::simulate(&plan, cluster, options)
        });
        (sim, cluster.language())
    });
    let (sim, language) = out.unwrap_or((None, Language::En));
    (diags, sim, language)
}

/// Parses, decodes, resolves and checks one file, then hands the resolved cluster to `then`
/// with whether it checked without errors. Returns the diagnostics sorted by place and what
/// `then` returned; `None` when the file is not YAML, so that there is no cluster. The
/// catalog is asked for only after parsing, so that it can load meanwhile.
pub fn analyze<R>(
    file: &SourceFile,
    catalog: &(impl CatalogSource + ?Sized),
    then: impl FnOnce(&Cluster, bool) -> R,
) -> (Vec<Diagnostic>, Option<R>) {
    let mut diags = Diagnostics::default();
    let mut out = None;
    match crate::yaml::parse(file) {
        Ok(root) => {
            let mut model = crate::model::decode(file, &root, &mut diags);
            // The model owns what it took from the tree: the tree is freed before the later
            // stages allocate, not on top of them (a file of 500,000 `after` entries: 32 MB).
            // It is freed on this thread: handed to another thread to free, the benchmark's
            // check took a tenth longer, the two threads contending for the allocator's lock.
            drop(root);
            crate::inventory::load(&mut model, std::path::Path::new(&file.name), &mut diags);
            let cluster = crate::resolved::resolve(&model, catalog.catalog(), &mut diags);
            crate::check::run(&cluster, &mut diags);
            crate::check::rules::encoding::source_name(&file.name, &cluster, &mut diags);
            out = Some(then(&cluster, !diags.has_errors()));
        }
        Err(d) => diags.push(d),
    }
    (diags.into_sorted(), out)
}

/// The file's name without its folders, as generated files name it.
fn short_name(file: &SourceFile) -> &str {
    file.name.rsplit(['/', '\\']).next().unwrap_or(&file.name)
}
