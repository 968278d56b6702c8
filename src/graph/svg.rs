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

use handlebars::Handlebars;
use serde::Serialize;

use super::{EdgeKind, Graph, product_line, service_line};

/// The template; the review page registers it as its `graph` partial.
pub(crate) const TEMPLATE: &str = include_str!("../../templates/graph.svg.hbs");

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
    registry()
        .render("graph.svg", &value)
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

#[derive(Debug, Clone, Copy)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn right(&self) -> f64 {
        self.x + self.w
    }
    fn bottom(&self) -> f64 {
        self.y + self.h
    }
    fn mid_y(&self) -> f64 {
        self.y + self.h / 2.0
    }
    fn mid_x(&self) -> f64 {
        self.x + self.w / 2.0
    }
}

/// The smallest box holding every point given.
#[derive(Debug, Clone, Copy)]
struct Bounds {
    min_x: f64,
    min_y: f64,
    max_x: f64,
    max_y: f64,
}

impl Bounds {
    fn empty() -> Bounds {
        Bounds {
            min_x: f64::INFINITY,
            min_y: f64::INFINITY,
            max_x: f64::NEG_INFINITY,
            max_y: f64::NEG_INFINITY,
        }
    }
    fn point(&mut self, x: f64, y: f64) {
        self.min_x = self.min_x.min(x);
        self.min_y = self.min_y.min(y);
        self.max_x = self.max_x.max(x);
        self.max_y = self.max_y.max(y);
    }
    fn rect(&mut self, r: &Rect) {
        self.point(r.x, r.y);
        self.point(r.right(), r.bottom());
    }
    fn is_empty(&self) -> bool {
        self.min_x > self.max_x
    }
}

type Point = (f64, f64);

/// One step of an edge's path.
#[derive(Debug, Clone, Copy)]
enum Step {
    Move(Point),
    Line(Point),
    Quad(Point, Point),
    Cubic(Point, Point, Point),
}

/// An edge's path and where its label goes. Every curve lies inside the hull of its points,
/// so the points bound the drawing.
#[derive(Debug, Clone)]
struct Route {
    steps: Vec<Step>,
    label: Point,
}

impl Route {
    fn points(&self) -> Vec<Point> {
        let mut out = vec![self.label];
        for step in &self.steps {
            match *step {
                Step::Move(p) | Step::Line(p) => out.push(p),
                Step::Quad(a, b) => out.extend([a, b]),
                Step::Cubic(a, b, c) => out.extend([a, b, c]),
            }
        }
        out
    }

    fn bound(&self, bounds: &mut Bounds) {
        for (x, y) in self.points() {
            bounds.point(x, y);
        }
    }

    fn translate(&self, dx: f64, dy: f64) -> Route {
        let t = |(x, y): Point| (x + dx, y + dy);
        Route {
            steps: self
                .steps
                .iter()
                .map(|s| match *s {
                    Step::Move(p) => Step::Move(t(p)),
                    Step::Line(p) => Step::Line(t(p)),
                    Step::Quad(a, b) => Step::Quad(t(a), t(b)),
                    Step::Cubic(a, b, c) => Step::Cubic(t(a), t(b), t(c)),
                })
                .collect(),
            label: t(self.label),
        }
    }

    fn path(&self) -> String {
        let p = |(x, y): Point| format!("{} {}", num(x), num(y));
        let parts: Vec<String> = self
            .steps
            .iter()
            .map(|s| match *s {
                Step::Move(a) => format!("M {}", p(a)),
                Step::Line(a) => format!("L {}", p(a)),
                Step::Quad(a, b) => format!("Q {} {}", p(a), p(b)),
                Step::Cubic(a, b, c) => format!("C {} {} {}", p(a), p(b), p(c)),
            })
            .collect();
        parts.join(" ")
    }
}

/// The point at t = 1/2 of a cubic curve.
fn middle(a: Point, b: Point, c: Point, d: Point) -> Point {
    (
        (a.0 + 3.0 * b.0 + 3.0 * c.0 + d.0) / 8.0,
        (a.1 + 3.0 * b.1 + 3.0 * c.1 + d.1) / 8.0,
    )
}

/// A box waiting for itself: a loop out of its right side and back.
fn self_loop(r: &Rect) -> Route {
    let (x, y) = (r.right(), r.mid_y());
    let (a, b, c, d) = (
        (x, y - 6.0),
        (x + LOOP + 8.0, y - 30.0),
        (x + LOOP + 8.0, y + 30.0),
        (x, y + 6.0),
    );
    Route {
        steps: vec![Step::Move(a), Step::Cubic(b, c, d)],
        label: middle(a, b, c, d),
    }
}

/// To a later column: straight to the right edge of the source's column (so that it crosses no
/// wider box of that column), then a curve into the left side of the target.
fn forward(from: &Rect, to: &Rect, column_right: f64, sy: f64, ey: f64) -> Route {
    let sx = from.right();
    let lx = column_right.max(sx);
    let ex = to.x;
    let dx = ((ex - lx) / 2.0).max(20.0);
    let (b, c, d) = ((lx + dx, sy), (ex - dx, ey), (ex, ey));
    let mut steps = vec![Step::Move((sx, sy))];
    if lx > sx {
        steps.push(Step::Line((lx, sy)));
    }
    steps.push(Step::Cubic(b, c, d));
    Route {
        steps,
        label: middle((lx, sy), b, c, d),
    }
}

/// Within one column: out of the right sides, around to the right.
fn sideways(from: &Rect, to: &Rect, right: f64) -> Route {
    let (a, b, c, d) = (
        (from.right(), from.mid_y()),
        (right, from.mid_y()),
        (right, to.mid_y()),
        (to.right(), to.mid_y()),
    );
    Route {
        steps: vec![Step::Move(a), Step::Cubic(b, c, d)],
        label: middle(a, b, c, d),
    }
}

/// To an earlier column (an edge of a cycle, or one the layout had to turn around): down from
/// the source, left below everything, up in the gap left of the target's column, and into
/// its left side, as every other edge enters a box.
fn backward(from: &Rect, to: &Rect, below: f64, left: f64, ty: f64) -> Route {
    const R: f64 = 8.0;
    let (sx, sy) = (from.mid_x(), from.bottom());
    let tx = to.x;
    Route {
        steps: vec![
            Step::Move((sx, sy)),
            Step::Line((sx, below - R)),
            Step::Quad((sx, below), (sx - R, below)),
            Step::Line((left + R, below)),
            Step::Quad((left, below), (left, below - R)),
            Step::Line((left, ty + R)),
            Step::Quad((left, ty), (left + R, ty)),
            Step::Line((tx, ty)),
        ],
        label: ((sx + left) / 2.0, below),
    }
}

/// Routes the edges between boxes placed in columns by `rank`; `gap` is the space between
/// columns. Back edges run below `bottom`, each a little lower and further left than the one
/// before. Edges leaving a box's right side, or entering its left side, are spread along it
/// in edge order.
fn route(boxes: &[Rect], rank: &[usize], edges: &[(usize, usize)], bottom: f64, gap: f64) -> Vec<Route> {
    let column = |c: usize| boxes.iter().zip(rank).filter(move |(_, r)| **r == c).map(|(b, _)| *b);
    let n = boxes.len();
    let (mut outs, mut ins) = (vec![Vec::new(); n], vec![Vec::new(); n]);
    for (e, &(a, b)) in edges.iter().enumerate() {
        if a != b && rank[b] > rank[a] {
            outs[a].push(e);
        }
        if a != b && rank[b] != rank[a] {
            ins[b].push(e);
        }
    }
    let port = |list: &Vec<usize>, e: usize, r: &Rect| {
        let k = list.iter().position(|&x| x == e).unwrap_or(0) as f64;
        r.y + r.h * (k + 1.0) / (list.len() as f64 + 1.0)
    };
    let mut back = 0.0;
    edges
        .iter()
        .enumerate()
        .map(|(e, &(a, b))| {
            let (from, to) = (&boxes[a], &boxes[b]);
            if a == b {
                self_loop(from)
            } else if rank[b] > rank[a] {
                let right = column(rank[a]).map(|r| r.right()).fold(f64::NEG_INFINITY, f64::max);
                forward(from, to, right, port(&outs[a], e, from), port(&ins[b], e, to))
            } else if rank[b] == rank[a] {
                let right = column(rank[a]).map(|r| r.right()).fold(f64::NEG_INFINITY, f64::max);
                sideways(from, to, right + LOOP)
            } else {
                let left = column(rank[b]).map(|r| r.x).fold(f64::INFINITY, f64::min);
                let r = backward(
                    from,
                    to,
                    bottom + LOOP + back * LOOP_STEP,
                    left - (gap / 3.0) - back * 6.0,
                    port(&ins[b], e, to),
                );
                back += 1.0;
                r
            }
        })
        .collect()
}

/// The rank of each of `n` nodes: the longest path reaching it once the back edges of a
/// depth-first search (roots and successors in index order) are reversed. Self-loops are
/// ignored.
fn ranks(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        if a != b {
            succ[a].push(b);
        }
    }
    for s in &mut succ {
        s.sort_unstable();
        s.dedup();
    }
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    let mut state = vec![State::New; n];
    let mut dag: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if state[root] != State::New {
            continue;
        }
        state[root] = State::Open;
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&(v, i)) = stack.last() {
            if i == succ[v].len() {
                state[v] = State::Done;
                stack.pop();
                continue;
            }
            if let Some(top) = stack.last_mut() {
                top.1 += 1;
            }
            let w = succ[v][i];
            match state[w] {
                State::New => {
                    dag.push((v, w));
                    state[w] = State::Open;
                    stack.push((w, 0));
                }
                State::Open => dag.push((w, v)),
                State::Done => dag.push((v, w)),
            }
        }
    }
    let mut indegree = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in &dag {
        out[a].push(b);
        indegree[b] += 1;
    }
    let mut rank = vec![0usize; n];
    let mut ready: std::collections::BTreeSet<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
    while let Some(v) = ready.pop_first() {
        for &w in &out[v] {
            rank[w] = rank[w].max(rank[v] + 1);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                ready.insert(w);
            }
        }
    }
    rank
}

/// Places boxes of the given sizes in columns by rank, each column's nodes in index order and
/// centred on the tallest column. Returns the boxes (relative to (0, 0)) and each node's
/// column.
fn place(sizes: &[(f64, f64)], ranks: &[usize], col_gap: f64, row_gap: f64) -> Vec<Rect> {
    let columns = ranks.iter().copied().max().map_or(0, |m| m + 1);
    let mut widths = vec![0.0f64; columns];
    let mut heights = vec![0.0f64; columns];
    for (i, &(w, h)) in sizes.iter().enumerate() {
        let c = ranks[i];
        widths[c] = widths[c].max(w);
        if heights[c] > 0.0 {
            heights[c] += row_gap;
        }
        heights[c] += h;
    }
    let tallest = heights.iter().copied().fold(0.0, f64::max);
    let mut xs = Vec::with_capacity(columns);
    let mut x = 0.0;
    for w in &widths {
        xs.push(x);
        x += w + col_gap;
    }
    let mut ys: Vec<f64> = heights.iter().map(|h| (tallest - h) / 2.0).collect();
    let mut out = Vec::with_capacity(sizes.len());
    for (i, &(w, h)) in sizes.iter().enumerate() {
        let c = ranks[i];
        out.push(Rect {
            x: xs[c],
            y: ys[c],
            w,
            h,
        });
        ys[c] += h + row_gap;
    }
    out
}

fn text_width(text: &str, char_w: f64) -> f64 {
    text.chars().count() as f64 * char_w
}

struct LaidGroup {
    /// The group's box size; everything below is relative to the box's top left corner.
    size: (f64, f64),
    apps: Vec<Rect>,
    /// The app edges, in the group's edge order.
    routes: Vec<Route>,
}

fn lay_out_group(group: &super::GroupNode) -> LaidGroup {
    let lines: Vec<Vec<String>> = group
        .apps
        .iter()
        .map(|a| {
            let mut l = vec![a.id.clone(), product_line(a)];
            l.extend(a.services.iter().map(service_line));
            l
        })
        .collect();
    let sizes: Vec<(f64, f64)> = lines
        .iter()
        .map(|l| {
            let widest = l.iter().map(|t| text_width(t, CHAR_W)).fold(0.0, f64::max);
            (
                (widest + 2.0 * PAD_X).max(MIN_APP_W),
                l.len() as f64 * LINE_H + 2.0 * PAD_Y,
            )
        })
        .collect();
    let layout_edges: Vec<(usize, usize)> = group
        .edges
        .iter()
        .filter(|e| !e.overridden)
        .map(|e| (e.from, e.to))
        .collect();
    let rank = ranks(group.apps.len(), &layout_edges);
    let mut apps = place(&sizes, &rank, RANK_GAP, NODE_GAP);
    let mut content = Bounds::empty();
    for r in &apps {
        content.rect(r);
    }
    let edges: Vec<(usize, usize)> = group.edges.iter().map(|e| (e.from, e.to)).collect();
    let mut routes = route(&apps, &rank, &edges, content.max_y, RANK_GAP);

    // Everything drawn inside the group, then moved below its title and inside its padding.
    let mut all = content;
    if all.is_empty() {
        all.point(0.0, 0.0);
        all.point(MIN_GROUP_W - 2.0 * GROUP_PAD, LINE_H);
    }
    for (r, edge) in routes.iter().zip(&group.edges) {
        r.bound(&mut all);
        let half = text_width(label_of(edge), LABEL_CHAR_W) / 2.0;
        all.point(r.label.0 - half, r.label.1 - 12.0);
        all.point(r.label.0 + half, r.label.1 + 4.0);
    }
    let (dx, dy) = (GROUP_PAD - all.min_x, GROUP_TITLE + GROUP_PAD - all.min_y);
    for r in &mut apps {
        *r = translate(r, dx, dy);
    }
    for r in &mut routes {
        *r = r.translate(dx, dy);
    }
    let title_w = text_width(&format!("group {}", group.name), TITLE_CHAR_W);
    let w = (all.max_x - all.min_x + 2.0 * GROUP_PAD)
        .max(title_w + 2.0 * GROUP_PAD)
        .max(MIN_GROUP_W);
    let h = all.max_y - all.min_y + GROUP_TITLE + 2.0 * GROUP_PAD;
    LaidGroup {
        size: (w, h),
        apps,
        routes,
    }
}

fn label_of(edge: &super::AppEdge) -> &'static str {
    if edge.overridden {
        "sample (overridden)"
    } else {
        edge.kind.name()
    }
}

fn translate(r: &Rect, dx: f64, dy: f64) -> Rect {
    Rect {
        x: r.x + dx,
        y: r.y + dy,
        ..*r
    }
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
