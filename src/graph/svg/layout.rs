//! The layout of the drawing: a small layered layout, the same at two levels (the apps
//! inside each group, then the groups), and the routes of the edges between the boxes. Only
//! coordinates are made here; `mod.rs` turns them into the scene the template draws.

use super::*;

#[derive(Debug, Clone, Copy)]
pub(super) struct Rect {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) w: f64,
    pub(super) h: f64,
}

impl Rect {
    pub(super) fn right(&self) -> f64 {
        self.x + self.w
    }
    pub(super) fn bottom(&self) -> f64 {
        self.y + self.h
    }
    pub(super) fn mid_y(&self) -> f64 {
        self.y + self.h / 2.0
    }
    pub(super) fn mid_x(&self) -> f64 {
        self.x + self.w / 2.0
    }
}

/// The smallest box holding every point given.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bounds {
    pub(super) min_x: f64,
    pub(super) min_y: f64,
    pub(super) max_x: f64,
    pub(super) max_y: f64,
}

impl Bounds {
    pub(super) fn empty() -> Bounds {
        Bounds {
            min_x: f64::INFINITY,
            min_y: f64::INFINITY,
            max_x: f64::NEG_INFINITY,
            max_y: f64::NEG_INFINITY,
        }
    }
    pub(super) fn point(&mut self, x: f64, y: f64) {
        self.min_x = self.min_x.min(x);
        self.min_y = self.min_y.min(y);
        self.max_x = self.max_x.max(x);
        self.max_y = self.max_y.max(y);
    }
    pub(super) fn rect(&mut self, r: &Rect) {
        self.point(r.x, r.y);
        self.point(r.right(), r.bottom());
    }
    pub(super) fn is_empty(&self) -> bool {
        self.min_x > self.max_x
    }
}

type Point = (f64, f64);

/// One step of an edge's path.
#[derive(Debug, Clone, Copy)]
pub(super) enum Step {
    Move(Point),
    Line(Point),
    Quad(Point, Point),
    Cubic(Point, Point, Point),
}

/// An edge's path and where its label goes. Every curve lies inside the hull of its points,
/// so the points bound the drawing.
#[derive(Debug, Clone)]
pub(super) struct Route {
    pub(super) steps: Vec<Step>,
    pub(super) label: Point,
}

impl Route {
    pub(super) fn points(&self) -> Vec<Point> {
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

    pub(super) fn bound(&self, bounds: &mut Bounds) {
        for (x, y) in self.points() {
            bounds.point(x, y);
        }
    }

    pub(super) fn translate(&self, dx: f64, dy: f64) -> Route {
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

    pub(super) fn path(&self) -> String {
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
pub(super) fn middle(a: Point, b: Point, c: Point, d: Point) -> Point {
    (
        (a.0 + 3.0 * b.0 + 3.0 * c.0 + d.0) / 8.0,
        (a.1 + 3.0 * b.1 + 3.0 * c.1 + d.1) / 8.0,
    )
}

/// A box waiting for itself: a loop out of its right side and back.
pub(super) fn self_loop(r: &Rect) -> Route {
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
pub(super) fn forward(from: &Rect, to: &Rect, column_right: f64, sy: f64, ey: f64) -> Route {
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
pub(super) fn sideways(from: &Rect, to: &Rect, right: f64) -> Route {
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
pub(super) fn backward(from: &Rect, to: &Rect, below: f64, left: f64, ty: f64) -> Route {
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
pub(super) fn route(boxes: &[Rect], rank: &[usize], edges: &[(usize, usize)], bottom: f64, gap: f64) -> Vec<Route> {
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
pub(super) fn ranks(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
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
pub(super) fn place(sizes: &[(f64, f64)], ranks: &[usize], col_gap: f64, row_gap: f64) -> Vec<Rect> {
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

pub(super) fn text_width(text: &str, char_w: f64) -> f64 {
    text.chars().count() as f64 * char_w
}

pub(super) struct LaidGroup {
    /// The group's box size; everything below is relative to the box's top left corner.
    pub(super) size: (f64, f64),
    pub(super) apps: Vec<Rect>,
    /// The app edges, in the group's edge order.
    pub(super) routes: Vec<Route>,
}

pub(super) fn lay_out_group(group: &crate::graph::GroupNode) -> LaidGroup {
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

pub(super) fn label_of(edge: &crate::graph::AppEdge) -> &'static str {
    if edge.overridden {
        "sample (overridden)"
    } else {
        edge.kind.name()
    }
}

pub(super) fn translate(r: &Rect, dx: f64, dy: f64) -> Rect {
    Rect {
        x: r.x + dx,
        y: r.y + dy,
        ..*r
    }
}
