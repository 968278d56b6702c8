//! The review page: one self-contained HTML file for review and hand-over.
//!
//! It holds the cluster's header (name, platform, OS, language), the failover matrix (servers
//! x groups, priority order, HOME marked), the start-order graph (the SVG of
//! [`crate::graph`], inline), the ports the cluster needs against `firewall.allow`, the
//! services to set to manual on each server against the inventory, the diagnostics with their
//! snippets, and the runbook when the file checks clean.
//!
//! The page is written as XHTML-style HTML (every element closed, no HTML-only entity), with
//! its CSS inline, no script and no reference to anything outside itself. It is rendered by
//! its own handlebars registry in strict mode with the default HTML escaper, with no
//! triple-stash: every value, down to the graph's labels (the graph template is a partial of
//! this one), is escaped. Characters that XML cannot hold (control characters) and the
//! Unicode bidirectional controls are replaced by U+FFFD before rendering.

mod ports;
mod scenarios;

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use handlebars::{Context, Handlebars};
use serde::Serialize;

use crate::catalog::Catalog;
use crate::diag::{Diagnostic, Severity};
use crate::graph::{Graph, svg};
use crate::model::{Filter, Language};
use crate::plan::Plan;
use crate::resolved::Cluster;
use crate::source::SourceFile;
use crate::tr;

const TEMPLATE: &str = include_str!("../../templates/report.html.hbs");

/// The review page of one cluster file, whatever its diagnostics
/// ([`crate::pipeline::check_report`] also returns them).
pub fn report(file: &SourceFile, catalog: &Catalog) -> String {
    crate::pipeline::check_report(file, catalog).1
}

/// The input's name as the page shows it: a page is made to be shared, so an absolute path
/// (which names the home folder, the user) is shown relative to the working folder `cwd` when
/// it lies below it, else by its file name alone; a relative path is shown as it was given.
pub fn shown_name(path: &std::path::Path, cwd: Option<&std::path::Path>) -> String {
    let shown = |p: &std::path::Path| crate::render::human::printable(&p.display().to_string()).into_owned();
    if path.is_relative() {
        return shown(path);
    }
    match cwd.and_then(|cwd| path.strip_prefix(cwd).ok()) {
        Some(rel) if !rel.as_os_str().is_empty() => shown(rel),
        _ => path
            .file_name()
            .map_or_else(|| shown(path), |n| shown(std::path::Path::new(n))),
    }
}

/// The page: the parts of the resolved cluster (none when the file is not YAML) with the
/// file's diagnostics.
pub fn page(file: &SourceFile, parts: Option<Parts>, diagnostics: &[Diagnostic]) -> String {
    let language = parts.as_ref().map_or(Language::En, |p| p.language);
    let page = Page::new(file, parts, diagnostics);
    let mut value = serde_json::to_value(&page).unwrap_or_default();
    // The page's data is held once: as the template's context, not copied into it.
    drop(page);
    svg::scrub(&mut value);
    registry(language)
        .render_with_context("report.html", &Context::from(value))
        .unwrap_or_else(|e| panic!("template report.html: {e}"))
}

/// The page's registry in one language: the template with that language's texts written in
/// (HTML-escaped, as every value is), and the default HTML escaper.
fn registry(language: Language) -> &'static Handlebars<'static> {
    static CELLS: crate::emit::PerLanguage<Handlebars<'static>> = crate::emit::PerLanguage::new();
    CELLS.get(language, || {
        let mut hb = crate::emit::strict_registry();
        hb.register_template_string("report.html", page_template(language))
            .expect("templates/report.html.hbs parses");
        hb
    })
}

/// The page's template in one language, with its two parts (the start-order graph and the
/// scenarios) written in where it includes them. A handlebars partial starts from a copy of
/// the including context (handlebars 6 merges it into a new value), and every value looked up
/// in a copied context is copied again: on a 1,000-group page that made several copies of the
/// scenario drawings. Written in, the parts read the page's data where it is. The graph reads
/// its scene as the root of its own template, so it is written inside `#with`.
fn page_template(language: Language) -> String {
    let escape: fn(&str) -> String = handlebars::html_escape;
    let page = crate::i18n::localize_template(TEMPLATE, language, escape);
    let scenarios = crate::i18n::localize_template(scenarios::TEMPLATE, language, escape);
    let graph = format!("{{{{#with cluster.scene}}}}\n{}{{{{/with}}}}\n", svg::TEMPLATE);
    let mut out = page;
    for (include, part) in [("{{> graph cluster.scene}}\n", graph), ("{{> scenarios}}\n", scenarios)] {
        assert_eq!(
            out.matches(include).count(),
            1,
            "templates/report.html.hbs includes `{include}` once"
        );
        out = out.replacen(include, &part, 1);
    }
    out
}

#[derive(Serialize)]
struct Page {
    title: String,
    source: String,
    version: &'static str,
    status: Status,
    /// `None` when the file is not YAML: there is no cluster to show.
    cluster: Option<Parts>,
    diagnostics: Vec<DiagnosticView>,
}

#[derive(Serialize)]
struct Status {
    class: &'static str,
    text: String,
}

/// Everything the page shows of a resolved cluster.
#[derive(Serialize)]
pub struct Parts {
    #[serde(skip)]
    pub(crate) language: Language,
    header: Header,
    matrix: Matrix,
    scene: svg::Scene,
    ports: Ports,
    manual: Vec<ManualServer>,
    runbook: Runbook,
    /// The failover scenarios of a clean file (`scenarios.rs`).
    scenarios: Option<scenarios::Scenarios>,
}

#[derive(Serialize)]
struct Header {
    name: String,
    #[serde(skip)]
    name_missing: bool,
    platform: String,
    os: String,
    language: String,
    features: String,
    servers: usize,
    groups: usize,
}

#[derive(Serialize)]
struct Matrix {
    groups: Vec<MatrixGroup>,
    rows: Vec<MatrixRow>,
}

#[derive(Serialize)]
struct MatrixGroup {
    name: String,
    ip: String,
}

#[derive(Serialize)]
struct MatrixRow {
    server: String,
    ip: String,
    cells: Vec<Cell>,
}

#[derive(Serialize)]
struct Cell {
    text: String,
    class: &'static str,
}

#[derive(Serialize)]
struct Ports {
    filter: String,
    note: String,
    rows: Vec<PortRow>,
    /// Allowlist entries no need of this cluster uses.
    unused: Vec<String>,
    missing: usize,
}

#[derive(Serialize)]
struct PortRow {
    rule: String,
    purpose: String,
    source: String,
    status: &'static str,
    class: &'static str,
}

#[derive(Serialize)]
struct ManualServer {
    server: String,
    note: String,
    rows: Vec<ManualRow>,
}

#[derive(Serialize)]
struct ManualRow {
    service: String,
    display: String,
    watch_id: String,
    controlled_by: String,
    state: String,
    status: &'static str,
    class: &'static str,
}

#[derive(Serialize)]
struct DiagnosticView {
    code: &'static str,
    severity: &'static str,
    class: &'static str,
    message: String,
    location: String,
    snippet: String,
    help: Option<String>,
    related: Vec<RelatedView>,
}

#[derive(Serialize)]
struct RelatedView {
    location: String,
    message: String,
}

#[derive(Serialize)]
struct Runbook {
    note: String,
    sections: Vec<RunbookSection>,
}

#[derive(Serialize)]
struct RunbookSection {
    number: usize,
    title: String,
    steps: Vec<RunbookStep>,
}

#[derive(Serialize)]
struct RunbookStep {
    number: usize,
    servers: String,
    /// The step's text, its code spans (between backticks) apart, as runbook.md has them.
    text: Vec<Segment>,
    source: String,
}

#[derive(Serialize, Debug, PartialEq)]
struct Segment {
    code: bool,
    text: String,
}

/// A runbook text cut at its code spans: a pair of backticks marks code, as in Markdown; an
/// unpaired backtick is a letter.
fn segments(text: &str) -> Vec<Segment> {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return vec![Segment {
            code: false,
            text: text.to_string(),
        }];
    }
    parts
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.is_empty())
        .map(|(i, p)| Segment {
            code: i % 2 == 1,
            text: p.to_string(),
        })
        .collect()
}

impl Page {
    fn new(file: &SourceFile, cluster: Option<Parts>, diagnostics: &[Diagnostic]) -> Page {
        let l = cluster.as_ref().map_or(Language::En, |c| c.language);
        let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        let warnings = diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
        let count =
            |n: usize, what: &str| crate::i18n::count(l, n, &format!("report.{what}"), &format!("report.{what}s"));
        let status = match (errors, warnings) {
            (0, 0) => Status {
                class: "ok",
                text: tr!(l, "report.clean"),
            },
            (0, w) => Status {
                class: "warn",
                text: tr!(l, "report.no_errors", warnings = count(w, "warning")),
            },
            (e, w) => Status {
                class: "bad",
                text: tr!(
                    l,
                    "report.errors_warnings",
                    errors = count(e, "error"),
                    warnings = count(w, "warning")
                ),
            },
        };
        let title = match cluster.as_ref() {
            Some(c) if !c.header.name_missing => tr!(l, "report.title", name = c.header.name),
            _ => tr!(l, "report.title_file", file = file.name),
        };
        Page {
            title,
            source: file.name.clone(),
            version: env!("CARGO_PKG_VERSION"),
            status,
            cluster,
            diagnostics: diagnostics.iter().map(|d| diagnostic(file, d)).collect(),
        }
    }
}

fn diagnostic(file: &SourceFile, d: &Diagnostic) -> DiagnosticView {
    let json = crate::render::json::diagnostic(file, d);
    DiagnosticView {
        code: json.code,
        severity: json.severity,
        class: match d.severity {
            Severity::Error => "bad",
            Severity::Warning => "warn",
            _ => "muted",
        },
        location: format!("{}:{}:{}", json.file, json.line, json.column),
        message: json.message,
        snippet: json.snippet,
        help: json.help,
        related: json
            .related
            .into_iter()
            .map(|r| RelatedView {
                location: format!("{}:{}:{}", r.file, r.line, r.column),
                message: r.message,
            })
            .collect(),
    }
}

impl Parts {
    /// What the page shows of a resolved cluster; `plan` is the plan of a file that checked
    /// clean (the runbook is shown only then).
    pub fn new(cluster: &Cluster, plan: Option<&Plan>) -> Parts {
        Parts {
            language: cluster.language(),
            header: header(cluster),
            matrix: matrix(cluster),
            scene: svg::scene(&Graph::new(cluster)),
            ports: port_table(cluster),
            manual: manual(cluster),
            runbook: runbook(cluster.language(), plan),
            scenarios: scenarios::section(cluster, plan),
        }
    }
}

fn header(cluster: &Cluster) -> Header {
    let l = cluster.language();
    let not_given = || tr!(l, "report.not_given");
    let info = &cluster.file.cluster;
    let platform = match (cluster.platform, &info.platform) {
        (Some(p), _) => format!("{} ({})", p.name, p.id),
        (None, Some(id)) => tr!(l, "report.not_in_catalog", id = id.value),
        (None, None) => not_given(),
    };
    let features = cluster.features();
    Header {
        name: info.name.as_ref().map_or_else(not_given, |n| n.value.clone()),
        name_missing: info.name.is_none(),
        platform,
        os: cluster.os().map_or_else(not_given, str::to_string),
        language: match info.language.as_ref().map(|l| l.value) {
            Some(Language::Ja) => tr!(l, "report.language.ja"),
            Some(Language::En) => tr!(l, "report.language.en"),
            None => not_given(),
        },
        features: if features.is_empty() {
            tr!(l, "report.features.none")
        } else {
            features.join(", ")
        },
        servers: cluster.servers.len(),
        groups: cluster.groups.len(),
    }
}

/// The servers in file order (each name once).
fn servers<'a>(cluster: &Cluster<'a>) -> Vec<&'a crate::model::Server> {
    let mut out: Vec<&crate::model::Server> = Vec::new();
    for server in &cluster.file.servers {
        if !out.iter().any(|s| s.name.value == server.name.value) {
            out.push(server);
        }
    }
    out
}

fn matrix(cluster: &Cluster) -> Matrix {
    let l = cluster.language();
    let groups = cluster
        .groups
        .iter()
        .map(|g| MatrixGroup {
            name: g.name().to_string(),
            ip: g.group.ip.as_ref().map_or(String::new(), |ip| ip.value.to_string()),
        })
        .collect();
    let rows = servers(cluster)
        .into_iter()
        .map(|server| MatrixRow {
            server: server.name.value.clone(),
            ip: server.ip.as_ref().map_or(String::new(), |ip| ip.value.to_string()),
            cells: cluster
                .groups
                .iter()
                .map(|g| match g.servers.iter().position(|s| s.value == server.name.value) {
                    Some(0) => Cell {
                        text: tr!(l, "report.matrix.home"),
                        class: "home",
                    },
                    Some(i) => Cell {
                        text: (i + 1).to_string(),
                        class: "standby",
                    },
                    None => Cell {
                        text: "-".to_string(),
                        class: "none",
                    },
                })
                .collect(),
        })
        .collect();
    Matrix { groups, rows }
}

fn port_table(cluster: &Cluster) -> Ports {
    let l = cluster.language();
    let text = |key: &str| crate::i18n::text(l, key);
    let filter = ports::filter(cluster);
    let allow: Vec<crate::model::PortRule> = cluster
        .file
        .firewall
        .iter()
        .flat_map(|f| f.allow.iter().map(|a| a.value))
        .collect();
    let needs = crate::resolved::port_needs(cluster);
    let rows: Vec<PortRow> = needs
        .iter()
        .map(|need| {
            let (status, class) = match filter {
                None => (text("report.ports.no_filter"), "muted"),
                Some(_) if need.rule.allowed_by(&allow) => (text("report.ports.allowed"), "ok"),
                Some(_) => (text("report.ports.missing_one"), "bad"),
            };
            PortRow {
                rule: need.rule.to_string(),
                purpose: need.purpose.clone(),
                source: need.source.clone(),
                status,
                class,
            }
        })
        .collect();
    let unused = allow
        .iter()
        .filter(|a| !needs.iter().any(|n| n.rule.overlaps(a)))
        .map(|a| a.to_string())
        .collect();
    let mut note = match filter {
        None => tr!(l, "report.ports.note_none"),
        Some(f) => tr!(l, "report.ports.note", filter = crate::plan::filter_name(l, f)),
    };
    if let Some(platform) = cluster.platform.filter(|p| !p.ports_known) {
        note.push_str(&tr!(l, "report.ports.unknown", platform = platform.name));
    }
    Ports {
        filter: match filter {
            None => "none".to_string(),
            Some(Filter::WindowsFirewall) => "windows-firewall".to_string(),
            Some(Filter::SurfnaviPacketFilter) => "surfnavi-packet-filter".to_string(),
            Some(Filter::None) => "none".to_string(),
        },
        missing: rows.iter().filter(|r| r.class == "bad").count(),
        note,
        rows,
        unused,
    }
}

/// Per server, the services the cluster controls there (every group whose failover policy
/// names the server), each once, against the server's inventory. Rows and inventory entries
/// are found through maps by lowercased name: a server may run thousands of services.
fn manual(cluster: &Cluster) -> Vec<ManualServer> {
    let l = cluster.language();
    let text = |key: &str| crate::i18n::text(l, key);
    servers(cluster)
        .into_iter()
        .map(|server| {
            let name = server.name.value.as_str();
            let inventory = cluster.file.inventory.iter().find(|i| i.server.value == name);
            let entries = inventory.map(|inv| (inv, inv.first_entries()));
            let mut rows: Vec<ManualRow> = Vec::new();
            let mut row_of: HashMap<String, usize> = HashMap::new();
            for group in cluster.groups.iter().filter(|g| g.runs_on(name)) {
                for app in &group.apps {
                    for service in app.services_in_start_order() {
                        let by = tr!(l, "report.manual.by", group = group.name(), app = app.id());
                        let slot = match row_of.entry(service.name.to_ascii_lowercase()) {
                            Entry::Occupied(row) => {
                                let row = &mut rows[*row.get()];
                                row.controlled_by.push_str(text("list.semicolon"));
                                row.controlled_by.push_str(&by);
                                continue;
                            }
                            Entry::Vacant(slot) => slot,
                        };
                        slot.insert(rows.len());
                        // The first entry that names the service by any of its names.
                        let found = entries.as_ref().and_then(|(inv, first)| {
                            let at = service.names().filter_map(|n| first.get(&n.to_ascii_lowercase())).min();
                            at.map(|&i| &inv.services[i])
                        });
                        let (state, status, class) = match (inventory, found) {
                            (None, _) => ("-".to_string(), text("report.manual.by_hand"), "muted"),
                            (Some(_), None) => (
                                tr!(l, "report.manual.not_listed"),
                                text("report.manual.by_hand"),
                                "warn",
                            ),
                            (Some(_), Some((_, mode))) if mode.value == crate::model::StartMode::Manual => {
                                (mode.value.name().to_string(), text("report.manual.manual"), "ok")
                            }
                            (Some(_), Some((_, mode))) => (
                                mode.value.name().to_string(),
                                text("report.manual.must_be_manual"),
                                "bad",
                            ),
                        };
                        rows.push(ManualRow {
                            service: service.name.clone(),
                            display: service.fact.and_then(|f| f.display.clone()).unwrap_or_default(),
                            watch_id: service.watch_id.clone(),
                            controlled_by: by,
                            state,
                            status,
                            class,
                        });
                    }
                }
            }
            let note = match (rows.is_empty(), inventory.is_some()) {
                (true, _) => tr!(l, "report.manual.nothing"),
                (false, true) => tr!(l, "report.manual.inventory"),
                (false, false) => tr!(l, "report.manual.no_inventory"),
            };
            ManualServer {
                server: name.to_string(),
                note,
                rows,
            }
        })
        .collect()
}

fn runbook(l: Language, plan: Option<&Plan>) -> Runbook {
    let Some(plan) = plan else {
        return Runbook {
            note: tr!(l, "report.runbook.unavailable"),
            sections: Vec::new(),
        };
    };
    Runbook {
        note: tr!(l, "report.runbook.note", platform = plan.platform.name, os = plan.os),
        sections: plan
            .runbook
            .iter()
            .enumerate()
            .map(|(i, s)| RunbookSection {
                number: i + 1,
                title: s.title.clone(),
                steps: s
                    .steps
                    .iter()
                    .enumerate()
                    .map(|(j, step)| RunbookStep {
                        number: j + 1,
                        servers: step.servers.join(", "),
                        text: segments(&step.text),
                        source: step.source.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_never_shows_an_absolute_path() {
        use std::path::Path;
        let cwd = Some(Path::new("/home/alice/work"));
        assert_eq!(shown_name(Path::new("/home/alice/work/c/x.yaml"), cwd), "c/x.yaml");
        assert_eq!(shown_name(Path::new("/home/alice/x.yaml"), cwd), "x.yaml");
        assert_eq!(shown_name(Path::new("../x.yaml"), cwd), "../x.yaml");
        assert_eq!(shown_name(Path::new("/srv/x.yaml"), None), "x.yaml");
        assert_eq!(
            shown_name(Path::new("a\u{1b}[2J\u{202e}.yaml"), None),
            "a\\u{1b}[2J\\u{202e}.yaml"
        );
    }

    const HEAD: &str = "cluster: { name: c, platform: clusterpro-x-2.1, os: windows-server-2003, language: en }\nservers:\n  - { name: a, ip: 10.0.0.1, interconnects: [10.1.0.1] }\n  - { name: b, ip: 10.0.0.2, interconnects: [10.1.0.2] }\n";

    fn parts(body: &str) -> Parts {
        let file = SourceFile::new("t.yaml", format!("{HEAD}{body}"));
        crate::pipeline::analyze(&file, Catalog::builtin(), |c, clean| {
            Parts::new(c, clean.then(|| crate::plan::build(c, "t.yaml")).as_ref())
        })
        .1
        .unwrap()
    }

    #[test]
    fn a_missing_port_is_named_and_an_unneeded_allow_entry_listed() {
        let body = "firewall:\n  filter: windows-firewall\n  allow: [tcp/in 29001-29005, tcp/in 29007, udp/in 29003, udp/in 29007, udp/out 29003, udp/out 389, tcp/in 8000-8009, tcp/in 9999]\ngroups:\n  - name: g\n    failover: [a, b]\n    ip: 10.0.0.9\n    apps:\n      - { product: custom, ports: [tcp/in 8005-8010], services: [{ name: S, watch_id: W }] }\n";
        let ports = parts(body).ports;
        let rows: Vec<(&str, &str)> = ports.rows.iter().map(|r| (r.rule.as_str(), r.status)).collect();
        assert!(rows.contains(&("tcp/in 8005-8010", "missing")), "{rows:?}");
        assert!(rows.contains(&("udp/in 29106", "missing")), "{rows:?}");
        assert!(rows.contains(&("tcp/in 29004", "allowed")), "{rows:?}");
        assert_eq!(ports.missing, 2);
        assert_eq!(ports.unused, ["tcp/in 9999"]);
    }

    #[test]
    fn the_manual_table_merges_a_service_two_groups_control_and_reads_the_inventory() {
        let group = |n: &str, servers: &str, ip: u8| {
            format!(
                "  - name: {n}\n    failover: [{servers}]\n    ip: 10.0.0.{ip}\n    apps:\n      - {{ product: iis, version: \"6.0\", services: [www], content_dir: 'C:\\w', site_binding: 10.0.0.{ip} }}\n"
            )
        };
        let body = format!(
            "groups:\n{}{}inventory:\n  a: {{ World Wide Web Publishing Service: auto }}\n",
            group("g1", "a, b", 21),
            group("g2", "b, a", 22)
        );
        let manual = parts(&body).manual;
        let a = &manual[0];
        assert_eq!(a.rows.len(), 1);
        let row = &a.rows[0];
        assert_eq!(
            (row.service.as_str(), row.state.as_str(), row.status),
            ("W3SVC", "auto", "must be manual")
        );
        assert_eq!(row.controlled_by, "group g1, app iis; group g2, app iis");
        assert_eq!(manual[1].rows[0].status, "check by hand", "b has no inventory");
    }

    #[test]
    fn runbook_texts_show_their_code_spans_as_code() {
        let seg = |code, text: &str| Segment {
            code,
            text: text.to_string(),
        };
        assert_eq!(
            segments("line `a: b` and `c`."),
            [
                seg(false, "line "),
                seg(true, "a: b"),
                seg(false, " and "),
                seg(true, "c"),
                seg(false, ".")
            ]
        );
        assert_eq!(segments("a ` b"), [seg(false, "a ` b")]);
        assert_eq!(segments("plain"), [seg(false, "plain")]);
    }

    #[test]
    fn the_matrix_marks_home_and_the_priorities() {
        let body = "groups:\n  - { name: g, failover: [b, a], ip: 10.0.0.9, apps: [{ product: custom, services: [{ name: S, watch_id: W }] }] }\n  - { name: h, failover: [b], ip: 10.0.0.8, apps: [{ product: custom, services: [{ name: T, watch_id: V }] }] }\n";
        let matrix = parts(body).matrix;
        let cells: Vec<Vec<&str>> = matrix
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(cells, [vec!["2", "-"], vec!["1 HOME", "1 HOME"]]);
    }
}
