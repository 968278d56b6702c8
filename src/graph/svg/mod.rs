//! The graph as SVG, laid out here without Graphviz.
//!
//! A small layered layout, the same at two levels: the apps inside each group, then the
//! groups. Edges are made acyclic by reversing the back edges of a depth-first search (nodes
//! and successors in file order), every node gets the length of the longest path that reaches
//! it as its rank, ranks are columns from left to right, and a column stacks its nodes in file
//! order. Forward edges are curves from the right side of one box to the left side of the next;
//! an edge going back (a cycle) loops below everything, an edge within a column loops out to
//! its right.
//!
//! [`scene`] computes every coordinate; `templates/graph.svg.hbs` writes the SVG through a
//! handlebars registry in strict mode whose (default) escaper makes every text and attribute
//! value safe for XML and HTML. The review page includes the same template as a partial, so
//! the graph it shows is this one, byte for byte.

use std::sync::OnceLock;

use handlebars::{Context, Handlebars};
use serde::Serialize;

use super::{EdgeKind, Graph, product_line, service_line};

mod layout;

use layout::{Bounds, LaidGroup, label_of, lay_out_group, place, ranks, route, text_width, translate};

/// The template; the review page registers it as its `graph` partial.
pub(crate) const TEMPLATE: &str = include_str!("../../../templates/graph.svg.hbs");

/// Text metrics of the 12 px monospace font the SVG asks for (a character is 0.6 em wide in
/// the usual monospace fonts; a little more is kept as margin).
const CHAR_W: f64 = 7.5;
const TITLE_CHAR_W: f64 = 8.4;
const LABEL_CHAR_W: f64 = 6.4;
const LINE_H: f64 = 16.0;
const PAD_X: f64 = 10.0;
const PAD_Y: f64 = 7.0;
const MIN_APP_W: f64 = 90.0;
const RANK_GAP: f64 = 80.0;
const NODE_GAP: f64 = 22.0;
const GROUP_PAD: f64 = 16.0;
const GROUP_TITLE: f64 = 24.0;
const MIN_GROUP_W: f64 = 150.0;
const GROUP_COL_GAP: f64 = 90.0;
const GROUP_ROW_GAP: f64 = 40.0;
const LOOP: f64 = 34.0;
const LOOP_STEP: f64 = 16.0;
const MARGIN: f64 = 16.0;

const INK: &str = "#222222";
const MUTED: &str = "#555555";
const RED: &str = "#d00000";
const BLUE: &str = "#2a62b0";
const GRAY: &str = "#999999";

/// The scene the template draws: every number already formatted, every text raw (the
/// template escapes it).
#[derive(Debug, Serialize)]
pub(crate) struct Scene {
    width: String,
    height: String,
    view_box: String,
    origin_x: String,
    origin_y: String,
    title: String,
    groups: Vec<SceneGroup>,
    edges: Vec<SceneEdge>,
    apps: Vec<SceneApp>,
    texts: Vec<SceneText>,
    legend: Vec<LegendItem>,
}

#[derive(Debug, Serialize)]
struct SceneGroup {
    id: String,
    class: String,
    name: String,
    x: String,
    y: String,
    w: String,
    h: String,
    stroke: &'static str,
    stroke_width: &'static str,
    title_x: String,
    title_y: String,
    title_fill: &'static str,
}

#[derive(Debug, Serialize)]
struct SceneApp {
    id: String,
    class: String,
    name: String,
    group: String,
    title: String,
    x: String,
    y: String,
    w: String,
    h: String,
    stroke: &'static str,
    stroke_width: &'static str,
    lines: Vec<SceneLine>,
}

#[derive(Debug, Serialize)]
struct SceneLine {
    x: String,
    y: String,
    text: String,
    weight: &'static str,
    style: &'static str,
    fill: &'static str,
}

#[derive(Debug, Serialize)]
struct SceneEdge {
    id: String,
    class: String,
    title: String,
    path: String,
    stroke: &'static str,
    stroke_width: &'static str,
    dash: Option<&'static str>,
    marker: &'static str,
    label: String,
    label_x: String,
    label_y: String,
    label_fill: &'static str,
    label_weight: &'static str,
}

#[derive(Debug, Serialize)]
struct SceneText {
    x: String,
    y: String,
    text: String,
    fill: &'static str,
}

#[derive(Debug, Serialize)]
struct LegendItem {
    x1: String,
    x2: String,
    y: String,
    text_x: String,
    text_y: String,
    stroke: &'static str,
    stroke_width: &'static str,
    dash: Option<&'static str>,
    label: &'static str,
}

fn registry() -> &'static Handlebars<'static> {
    static REGISTRY: OnceLock<Handlebars<'static>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut hb = crate::emit::strict_registry();
        hb.register_template_string("graph.svg", TEMPLATE)
            .expect("templates/graph.svg.hbs parses");
        hb
    })
}

/// The start-order graph as a standalone SVG document (UTF-8, no XML declaration, so that it
/// can be inlined in HTML as it is).
pub fn to_svg(graph: &Graph) -> String {
    let mut value = serde_json::to_value(scene(graph)).unwrap_or_default();
    scrub(&mut value);
    // The value becomes the context itself: `render` would copy the whole scene again.
    registry()
        .render_with_context("graph.svg", &Context::from(value))
        .unwrap_or_else(|e| panic!("template graph.svg: {e}"))
}

/// Replaces, in every string of a template's data, each character XML cannot hold or a
/// reader should not be shown (control characters but tab and line breaks, U+FFFE, U+FFFF,
/// the Unicode bidirectional controls) by U+FFFD. The escaper does the rest.
pub(crate) fn scrub(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => {
            let bad = |c: char| {
                (crate::source::is_unprintable(c) && !matches!(c, '\t' | '\n' | '\r'))
                    || matches!(c, '\u{fffe}' | '\u{ffff}')
            };
            if s.chars().any(bad) {
                *s = s.chars().map(|c| if bad(c) { '\u{fffd}' } else { c }).collect();
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(scrub),
        serde_json::Value::Object(map) => map.values_mut().for_each(scrub),
        _ => {}
    }
}

/// A number as the SVG writes it: one decimal, never `-0.0`.
fn num(v: f64) -> String {
    let v = if v.abs() < 0.05 { 0.0 } else { v };
    format!("{v:.1}")
}

/// Every coordinate and text of the drawing.
pub(crate) fn scene(graph: &Graph) -> Scene {
    let laid: Vec<LaidGroup> = graph.groups.iter().map(lay_out_group).collect();
    let group_edges: Vec<(usize, usize)> = graph.edges.iter().map(|e| (e.from, e.to)).collect();
    let group_rank = ranks(graph.groups.len(), &group_edges);
    let sizes: Vec<(f64, f64)> = laid.iter().map(|l| l.size).collect();
    let boxes = place(&sizes, &group_rank, GROUP_COL_GAP, GROUP_ROW_GAP);

    let mut bounds = Bounds::empty();
    let mut groups = Vec::new();
    let mut apps = Vec::new();
    let mut edges = Vec::new();
    let mut texts = Vec::new();
    for (g, (group, (lay, rect))) in graph.groups.iter().zip(laid.iter().zip(&boxes)).enumerate() {
        bounds.rect(rect);
        let (stroke, stroke_width, title_fill) = if group.in_cycle {
            (RED, "3", RED)
        } else {
            ("#8a94a6", "1.2", INK)
        };
        groups.push(SceneGroup {
            id: format!("hagen-g{g}"),
            class: if group.in_cycle { "group cycle" } else { "group" }.to_string(),
            name: group.name.clone(),
            x: num(rect.x),
            y: num(rect.y),
            w: num(rect.w),
            h: num(rect.h),
            stroke,
            stroke_width,
            title_x: num(rect.x + GROUP_PAD),
            title_y: num(rect.y + 18.0),
            title_fill,
        });
        if group.apps.is_empty() {
            texts.push(SceneText {
                x: num(rect.x + GROUP_PAD),
                y: num(rect.y + GROUP_TITLE + GROUP_PAD + 12.0),
                text: "(no apps)".to_string(),
                fill: MUTED,
            });
        }
        for (a, (app, r)) in group.apps.iter().zip(&lay.apps).enumerate() {
            let r = translate(r, rect.x, rect.y);
            let (stroke, stroke_width) = if app.in_cycle { (RED, "3") } else { ("#333333", "1.2") };
            let mut lines = Vec::new();
            let mut push = |text: String, weight, style, fill| {
                let k = lines.len() as f64;
                lines.push(SceneLine {
                    x: num(r.x + PAD_X),
                    y: num(r.y + PAD_Y + (k + 1.0) * LINE_H - 4.0),
                    text,
                    weight,
                    style,
                    fill,
                });
            };
            push(app.id.clone(), "bold", "normal", if app.in_cycle { RED } else { INK });
            push(product_line(app), "normal", "italic", MUTED);
            for s in &app.services {
                push(service_line(s), "normal", "normal", INK);
            }
            apps.push(SceneApp {
                id: format!("hagen-g{g}-a{a}"),
                class: if app.in_cycle { "app cycle" } else { "app" }.to_string(),
                name: app.id.clone(),
                group: group.name.clone(),
                title: format!("app {} ({}) in group {}", app.id, product_line(app), group.name),
                x: num(r.x),
                y: num(r.y),
                w: num(r.w),
                h: num(r.h),
                stroke,
                stroke_width,
                lines,
            });
        }
        for (e, (edge, route)) in group.edges.iter().zip(&lay.routes).enumerate() {
            let route = route.translate(rect.x, rect.y);
            route.bound(&mut bounds);
            let (stroke, stroke_width, dash, marker) = if edge.in_cycle {
                (RED, "2.5", None, "hagen-arrow-red")
            } else if edge.overridden {
                (GRAY, "1.2", Some("2 3"), "hagen-arrow-gray")
            } else {
                match edge.kind {
                    EdgeKind::After => (INK, "1.4", None, "hagen-arrow"),
                    EdgeKind::Rule | EdgeKind::Companion => (BLUE, "1.4", None, "hagen-arrow-blue"),
                    EdgeKind::Sample => (BLUE, "1.2", Some("6 4"), "hagen-arrow-blue"),
                }
            };
            let (from, to) = (&group.apps[edge.from], &group.apps[edge.to]);
            let mut title = format!("{} starts after {} ({})", to.id, from.id, label_of(edge));
            if let Some(source) = &edge.source {
                title.push_str(": ");
                title.push_str(source);
            }
            if edge.in_cycle {
                title.push_str("; on a cycle");
            }
            let (lx, ly) = route.label;
            edges.push(SceneEdge {
                id: format!("hagen-g{g}-e{e}"),
                class: if edge.in_cycle { "edge cycle" } else { "edge" }.to_string(),
                title,
                path: route.path(),
                stroke,
                stroke_width,
                dash,
                marker,
                label: label_of(edge).to_string(),
                label_x: num(lx),
                label_y: num(ly - 3.0),
                label_fill: if edge.in_cycle { RED } else { MUTED },
                label_weight: if edge.in_cycle { "bold" } else { "normal" },
            });
        }
    }

    let pairs: Vec<(usize, usize)> = graph.edges.iter().map(|e| (e.from, e.to)).collect();
    let bottom = if bounds.is_empty() { 0.0 } else { bounds.max_y };
    let routes = route(&boxes, &group_rank, &pairs, bottom, GROUP_COL_GAP);
    for (e, (edge, route)) in graph.edges.iter().zip(&routes).enumerate() {
        route.bound(&mut bounds);
        let (lx, ly) = route.label;
        let (from_name, to_name) = (&graph.groups[edge.from].name, &graph.groups[edge.to].name);
        edges.push(SceneEdge {
            id: format!("hagen-ge{e}"),
            class: if edge.in_cycle {
                "group-edge cycle"
            } else {
                "group-edge"
            }
            .to_string(),
            title: format!(
                "group {to_name} starts after group {from_name} (after){}",
                if edge.in_cycle { "; on a cycle" } else { "" }
            ),
            path: route.path(),
            stroke: if edge.in_cycle { RED } else { INK },
            stroke_width: if edge.in_cycle { "3" } else { "2.2" },
            dash: None,
            marker: if edge.in_cycle {
                "hagen-arrow-red"
            } else {
                "hagen-arrow"
            },
            label: "after".to_string(),
            label_x: num(lx),
            label_y: num(ly - 4.0),
            label_fill: if edge.in_cycle { RED } else { INK },
            label_weight: "bold",
        });
    }

    if graph.groups.is_empty() {
        texts.push(SceneText {
            x: num(0.0),
            y: num(14.0),
            text: "(no groups)".to_string(),
            fill: MUTED,
        });
        bounds.point(0.0, 0.0);
        bounds.point(120.0, 20.0);
    }

    // The legend, below the drawing, in rows no wider than the drawing (or 560).
    let left = bounds.min_x;
    let width = (bounds.max_x - bounds.min_x).max(560.0);
    let mut y = bounds.max_y + 28.0;
    let mut x = left;
    let mut legend = Vec::new();
    // A companion order is listed only where one is drawn.
    let companion = graph
        .groups
        .iter()
        .any(|g| g.edges.iter().any(|e| e.kind == EdgeKind::Companion));
    let items: [(&'static str, &'static str, &'static str, Option<&'static str>); 6] = [
        ("after: written in the file", INK, "1.4", None),
        ("rule: the product's guide", BLUE, "1.4", None),
        ("companion: a product's order of its group", BLUE, "1.4", None),
        ("sample: the guide's script sample", BLUE, "1.2", Some("6 4")),
        ("overridden sample", GRAY, "1.2", Some("2 3")),
        ("on a cycle", RED, "2.5", None),
    ];
    for (label, stroke, stroke_width, dash) in items {
        if label.starts_with("companion") && !companion {
            continue;
        }
        let item_w = 34.0 + text_width(label, LABEL_CHAR_W);
        if x > left && x + item_w > left + width {
            x = left;
            y += 18.0;
        }
        legend.push(LegendItem {
            x1: num(x),
            x2: num(x + 28.0),
            y: num(y - 4.0),
            text_x: num(x + 34.0),
            text_y: num(y),
            stroke,
            stroke_width,
            dash,
            label,
        });
        bounds.point(x + item_w, y + 6.0);
        x += item_w + 22.0;
    }

    let (ox, oy) = (bounds.min_x - MARGIN, bounds.min_y - MARGIN);
    let (w, h) = (
        bounds.max_x - bounds.min_x + 2.0 * MARGIN,
        bounds.max_y - bounds.min_y + 2.0 * MARGIN,
    );
    let title = if graph.cluster.is_empty() {
        "The start order".to_string()
    } else {
        format!("The start order of cluster {}", graph.cluster)
    };
    Scene {
        width: num(w.ceil()),
        height: num(h.ceil()),
        view_box: format!("{} {} {} {}", num(ox), num(oy), num(w.ceil()), num(h.ceil())),
        origin_x: num(ox),
        origin_y: num(oy),
        title,
        groups,
        edges,
        apps,
        texts,
        legend,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_longest_paths_and_back_edges_do_not_loop() {
        assert_eq!(ranks(3, &[(0, 1), (1, 2), (0, 2)]), [0, 1, 2]);
        assert_eq!(ranks(3, &[(2, 0)]), [1, 0, 0]);
        // a cycle 0 -> 1 -> 2 -> 0: the edge back to 0 is reversed
        assert_eq!(ranks(3, &[(0, 1), (1, 2), (2, 0)]), [0, 1, 2]);
        assert_eq!(ranks(2, &[(0, 0), (1, 1)]), [0, 0]);
        assert_eq!(ranks(0, &[]), Vec::<usize>::new());
    }

    #[test]
    fn numbers_have_one_decimal_and_no_negative_zero() {
        assert_eq!(num(-0.01), "0.0");
        assert_eq!(num(12.26), "12.3");
        assert_eq!(num(-3.0), "-3.0");
    }

    #[test]
    fn characters_xml_cannot_hold_are_replaced() {
        let mut value = serde_json::json!({ "a": ["x\u{1b}[31m\u{202e}y\tz\u{ffff}"], "n": 1 });
        scrub(&mut value);
        assert_eq!(value["a"][0], "x\u{fffd}[31m\u{fffd}y\tz\u{fffd}");
    }

    #[test]
    fn an_empty_graph_is_still_a_drawing() {
        let svg = to_svg(&Graph::default());
        assert!(svg.starts_with("<svg ") && svg.trim_end().ends_with("</svg>"), "{svg}");
        assert!(svg.contains("(no groups)"));
    }
}
