//! The one start order of the cluster: between the apps of each group and between groups.
//!
//! Every start-order edge hagen knows is made here and nowhere else, with its reason; the
//! checker reports its cycles, the planner follows it, and the graph and the review page draw
//! it, so a reviewer is shown exactly the order the scripts follow.
//!
//! Between the apps of a group, an edge `from -> to` (`to` starts after `from`, and stops
//! before it) comes from:
//! - an `after` entry of the cluster file ([`Reason::After`]);
//! - a product's `start_after`/`start_before` fact that its guide states as a rule
//!   ([`Reason::Rule`]);
//! - a product's `companion_order`: the order it sets between other apps of its group (in
//!   dbMail's group, IIS, then the mail server, then the RDB: PP guide 1.2.5)
//!   ([`Reason::Companion`]);
//! - the order of a guide's script sample that is not stated as a rule ([`Reason::Sample`]).
//!
//! The first three bind: a strongly connected component of them is a cycle (tarjan_scc), and
//! the checker reports it. A sample edge is followed unless it would close a cycle with what
//! is followed before it (it is then `overridden`). The start order is the topological order
//! of what is followed, ties going to the app written first (Kahn's algorithm with the ready
//! apps in file order): that is the tie-break, and the order of the guides' samples where
//! nothing else decides.
//!
//! Between groups, an edge comes from a group's `after` list (the first group of that name).
//!
//! Edges are kept as they arise (one per `after` entry and per fact, repeats included, so
//! that a cycle names every one of its causes); [`AppOrder::distinct`] gives each
//! `(from, to, kind)` once, which is what drawings show. Building is linear in the number of
//! edges, which is at most the number of `after` entries plus, per product fact, the apps of
//! the roles it names.

use std::collections::{BTreeSet, HashMap, HashSet};

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use super::{AppView, GroupView};
use crate::catalog::{OrderFact, Product, Strength};
use crate::diag::Span;
use crate::model::Group;

/// The kind of an edge, as drawings label it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// An explicit `after` entry of the cluster file.
    After,
    /// A product's start order with the apps of a role, stated by its guide as a rule.
    Rule,
    /// The order a product sets between other apps of its group (`companion_order`).
    Companion,
    /// The order of a guide's script sample, not stated as a rule.
    Sample,
}

impl EdgeKind {
    /// The edge's label in every drawing.
    pub fn name(self) -> &'static str {
        match self {
            EdgeKind::After => "after",
            EdgeKind::Rule => "rule",
            EdgeKind::Companion => "companion",
            EdgeKind::Sample => "sample",
        }
    }

    /// Whether a cycle of such edges leaves no start order (all but samples).
    pub fn binds(self) -> bool {
        self != EdgeKind::Sample
    }
}

/// Why `to` starts after `from` (indices into the group's apps).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason<'a> {
    /// `to` lists `from` in its `after`.
    After,
    /// A fact of `by`'s product names the other app's role; `before` when it is a
    /// `start_before` fact (then `by` is `from`), else a `start_after` fact (`by` is `to`).
    Rule {
        by: usize,
        before: bool,
        role: &'a str,
        source: &'a str,
    },
    /// `by`'s product orders the apps of `first_role` (`from`) before those of `then_role`
    /// (`to`).
    Companion {
        by: usize,
        first_role: &'a str,
        then_role: &'a str,
        source: &'a str,
    },
    /// As [`Reason::Rule`], from the guide's script sample.
    Sample {
        by: usize,
        before: bool,
        role: &'a str,
        source: &'a str,
    },
}

/// `to` starts after `from` (indices into the group's apps).
#[derive(Debug, Clone)]
pub struct AppEdge<'a> {
    pub from: usize,
    pub to: usize,
    pub reason: Reason<'a>,
    /// The `after` entry, or the `product` of the app whose fact it is.
    pub span: Span,
    /// The edge lies on a cycle of binding edges.
    pub in_cycle: bool,
    /// A sample edge the start order does not follow: it would contradict what binds.
    pub overridden: bool,
}

impl AppEdge<'_> {
    pub fn kind(&self) -> EdgeKind {
        match self.reason {
            Reason::After => EdgeKind::After,
            Reason::Rule { .. } => EdgeKind::Rule,
            Reason::Companion { .. } => EdgeKind::Companion,
            Reason::Sample { .. } => EdgeKind::Sample,
        }
    }

    /// Why the edge is there, in words of `l`, naming the apps of its group (`apps`): what a
    /// cycle's diagnostic and a change review say of it.
    pub fn why(&self, l: crate::model::Language, apps: &[AppView]) -> String {
        let id = |i: usize| apps[i].id();
        match self.reason {
            Reason::After => crate::tr!(l, "diag.order.after", app = id(self.to), after = id(self.from)),
            Reason::Rule {
                by,
                before,
                role,
                source,
                ..
            }
            | Reason::Sample {
                by,
                before,
                role,
                source,
                ..
            } => {
                let (other, key) = if before {
                    (self.to, "diag.order.rule_before")
                } else {
                    (self.from, "diag.order.rule_after")
                };
                crate::tr!(l, key, app = id(by), other = id(other), role = role, source = source)
            }
            Reason::Companion {
                by,
                first_role,
                then_role,
                source,
            } => crate::tr!(
                l,
                "diag.order.companion",
                by = id(by),
                then = id(self.to),
                then_role = then_role,
                first = id(self.from),
                first_role = first_role,
                source = source,
            ),
        }
    }

    /// Where the product's order comes from (none for an `after` entry).
    pub fn source(&self) -> Option<&str> {
        match self.reason {
            Reason::After => None,
            Reason::Rule { source, .. } | Reason::Companion { source, .. } | Reason::Sample { source, .. } => {
                Some(source)
            }
        }
    }

    /// Whether the start order follows this edge: it binds, or is a sample not overridden.
    pub fn followed(&self) -> bool {
        !self.overridden
    }
}

/// The start order of the apps of one group.
#[derive(Debug, Clone, Default)]
pub struct AppOrder<'a> {
    /// Every edge, in the order it arises (per app in file order: its `after` entries, its
    /// product's rules, companion orders, then samples).
    pub edges: Vec<AppEdge<'a>>,
    /// Per app: the cycle it lies on (one number per strongly connected component).
    pub cycle: Vec<Option<usize>>,
    /// The apps in start order (indices into the group's apps); stop is its exact reverse.
    pub start: Vec<usize>,
}

impl<'a> AppOrder<'a> {
    /// Each `(from, to, kind)` once (the first edge of each), sorted by `(from, to, kind)`:
    /// what a drawing shows.
    pub fn distinct(&self) -> Vec<&AppEdge<'a>> {
        // Keys sorted in one contiguous vector, the edge's index last so that the first edge
        // of each key comes first: a dense order has hundreds of thousands of edges, and
        // sorting references compared through memory, or hashing each, costs more than this.
        let mut keys: Vec<(usize, usize, EdgeKind, usize)> = self
            .edges
            .iter()
            .enumerate()
            .map(|(i, e)| (e.from, e.to, e.kind(), i))
            .collect();
        keys.sort_unstable();
        keys.dedup_by_key(|k| (k.0, k.1, k.2));
        keys.into_iter().map(|k| &self.edges[k.3]).collect()
    }

    pub fn has_cycle(&self) -> bool {
        self.cycle.iter().any(Option::is_some)
    }
}

/// `to` starts after `from` (indices into the cluster's groups).
#[derive(Debug, Clone)]
pub struct GroupEdge {
    pub from: usize,
    pub to: usize,
    /// The `after` entry.
    pub span: Span,
    pub in_cycle: bool,
}

/// The start order between groups.
#[derive(Debug, Clone, Default)]
pub struct GroupOrder {
    /// One per `after` entry that names a group, in file order.
    pub edges: Vec<GroupEdge>,
    /// Per group: the cycle it lies on (one number per strongly connected component).
    pub cycle: Vec<Option<usize>>,
}

impl GroupOrder {
    /// Each `(from, to)` once, sorted.
    pub fn distinct(&self) -> Vec<&GroupEdge> {
        // As [`AppOrder::distinct`]: contiguous keys, the first edge of each kept.
        let mut keys: Vec<(usize, usize, usize)> =
            self.edges.iter().enumerate().map(|(i, e)| (e.from, e.to, i)).collect();
        keys.sort_unstable();
        keys.dedup_by_key(|k| (k.0, k.1));
        keys.into_iter().map(|k| &self.edges[k.2]).collect()
    }
}

/// The start order of a group's apps.
pub(super) fn apps<'a>(apps: &[AppView<'a>]) -> AppOrder<'a> {
    let n = apps.len();
    // A group holds a handful of apps: a scan finds an id faster than a map, which only a
    // group of many apps needs.
    let ids: Option<HashMap<&str, usize>> = (n > SMALL).then(|| {
        let mut ids = HashMap::with_capacity(n);
        for (i, app) in apps.iter().enumerate() {
            ids.entry(app.id()).or_insert(i);
        }
        ids
    });
    let find = |name: &str| match &ids {
        Some(ids) => ids.get(name).copied(),
        None => apps.iter().position(|a| a.id() == name),
    };
    let mut by_role = Roles::new(apps);
    let mut edges: Vec<AppEdge<'a>> = Vec::new();
    for (i, app) in apps.iter().enumerate() {
        for after in &app.app.after {
            if let Some(j) = find(&after.value) {
                edges.push(edge(j, i, Reason::After, after.span.clone()));
            }
        }
        let Some(product) = app.product else { continue };
        let span = &app.app.product.span;
        // Its `start_after` facts (the other app first), then its `start_before` facts.
        for (before, facts) in [(false, &product.start_after), (true, &product.start_before)] {
            for fact in facts.iter().filter(|f| f.strength == Strength::Rule) {
                for &j in by_role.get(&fact.role).iter().filter(|&&j| j != i) {
                    let reason = Reason::Rule {
                        by: i,
                        before,
                        role: &fact.role,
                        source: &fact.source,
                    };
                    let (from, to) = if before { (i, j) } else { (j, i) };
                    edges.push(edge(from, to, reason, span.clone()));
                }
            }
        }
        companions(i, product, Strength::Rule, span, &mut by_role, &mut edges);
    }
    let binding = edges.len();
    let cycle = mark_cycles(n, &mut edges);
    // Samples, per app in file order, each with the apps in file order.
    for (i, app) in apps.iter().enumerate() {
        let Some(product) = app.product else { continue };
        let span = &app.app.product.span;
        companions(i, product, Strength::Sample, span, &mut by_role, &mut edges);
        for (j, other) in apps.iter().enumerate() {
            let Some(other_product) = other.product else { continue };
            if i == j {
                continue;
            }
            let fact = |facts: &'a [OrderFact]| {
                facts
                    .iter()
                    .find(|f| f.strength == Strength::Sample && other_product.roles.contains(&f.role))
            };
            if let Some(f) = fact(&product.start_after) {
                let reason = Reason::Sample {
                    by: i,
                    before: false,
                    role: &f.role,
                    source: &f.source,
                };
                edges.push(edge(j, i, reason, span.clone()));
            }
            if let Some(f) = fact(&product.start_before) {
                let reason = Reason::Sample {
                    by: i,
                    before: true,
                    role: &f.role,
                    source: &f.source,
                };
                edges.push(edge(i, j, reason, span.clone()));
            }
        }
    }
    let pairs: Vec<(usize, usize)> = edges.iter().map(|e| (e.from, e.to)).collect();
    let (start, overridden) = follow(n, &pairs[..binding], &pairs[binding..]);
    for (edge, flag) in edges[binding..].iter_mut().zip(overridden) {
        edge.overridden = flag;
    }
    AppOrder { edges, cycle, start }
}

/// The apps of a group in installation order: the products' install facts (rules bind,
/// samples are followed where they do not contradict them), ties to the app written first.
pub fn install(group: &GroupView) -> Vec<usize> {
    let apps = &group.apps;
    let mut pairs: [Vec<(usize, usize)>; 2] = [Vec::new(), Vec::new()];
    for (strength, pairs) in [Strength::Rule, Strength::Sample].into_iter().zip(&mut pairs) {
        for (i, app) in apps.iter().enumerate() {
            let Some(product) = app.product else { continue };
            for (j, other) in apps.iter().enumerate() {
                let Some(other_product) = other.product else { continue };
                let matches = |facts: &[OrderFact]| {
                    facts
                        .iter()
                        .any(|f| f.strength == strength && other_product.roles.contains(&f.role))
                };
                if i != j && matches(&product.install_after) {
                    pairs.push((j, i));
                }
                if i != j && matches(&product.install_before) {
                    pairs.push((i, j));
                }
            }
        }
    }
    let [binding, samples] = pairs;
    follow(apps.len(), &binding, &samples).0
}

/// The start order between groups.
pub(super) fn groups(groups: &[GroupView]) -> GroupOrder {
    let n = groups.len();
    // The first group of each name.
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(n);
    for (i, group) in groups.iter().enumerate() {
        index.entry(group.name()).or_insert(i);
    }
    let mut edges = Vec::new();
    for (i, group) in groups.iter().enumerate() {
        let Group { after, .. } = group.group;
        for entry in after {
            if let Some(&j) = index.get(entry.value.as_str()) {
                edges.push(GroupEdge {
                    from: j,
                    to: i,
                    span: entry.span.clone(),
                    in_cycle: false,
                });
            }
        }
    }
    let pairs: Vec<(usize, usize)> = edges.iter().map(|e| (e.from, e.to)).collect();
    let cycle = if kahn(n, &pairs).len() == n {
        vec![None; n]
    } else {
        cycles(n, &pairs)
    };
    for edge in &mut edges {
        edge.in_cycle = cycle[edge.from].is_some() && cycle[edge.from] == cycle[edge.to];
    }
    GroupOrder { edges, cycle }
}

fn edge(from: usize, to: usize, reason: Reason, span: Span) -> AppEdge {
    AppEdge {
        from,
        to,
        reason,
        span,
        in_cycle: false,
        overridden: false,
    }
}

/// The apps of each role, found once per role asked for.
struct Roles<'v, 'a> {
    apps: &'v [AppView<'a>],
    found: HashMap<&'v str, Vec<usize>>,
}

impl<'v, 'a> Roles<'v, 'a> {
    fn new(apps: &'v [AppView<'a>]) -> Self {
        Roles {
            apps,
            found: HashMap::new(),
        }
    }

    fn get(&mut self, role: &'v str) -> Vec<usize> {
        let apps = self.apps;
        self.found
            .entry(role)
            .or_insert_with(|| {
                (0..apps.len())
                    .filter(|&j| {
                        apps[j]
                            .product
                            .is_some_and(|p| p.roles.iter().any(|r| r.as_str() == role))
                    })
                    .collect()
            })
            .clone()
    }
}

/// The edges of app `i`'s companion orders of `strength`: for each pair of roles of a chain
/// (`[a, b, c]` gives a-b, a-c and b-c, so the order holds when a role in the middle has no
/// app), every app of the first role before every app of the second, `i` itself aside.
fn companions<'v, 'a: 'v>(
    i: usize,
    product: &'a Product,
    strength: Strength,
    span: &Span,
    by_role: &mut Roles<'v, 'a>,
    edges: &mut Vec<AppEdge<'a>>,
) {
    for chain in product.companion_order.iter().filter(|c| c.strength == strength) {
        let roles = &chain.roles;
        for (a, first_role) in roles.iter().enumerate() {
            for then_role in &roles[a + 1..] {
                let firsts = by_role.get(first_role);
                let thens = by_role.get(then_role);
                for &j in firsts.iter().filter(|&&j| j != i) {
                    for &k in thens.iter().filter(|&&k| k != i && k != j) {
                        let reason = Reason::Companion {
                            by: i,
                            first_role,
                            then_role,
                            source: &chain.source,
                        };
                        edges.push(edge(j, k, reason, span.clone()));
                    }
                }
            }
        }
    }
}

/// Marks the binding edges (all of `edges` so far) that lie on a cycle; returns each app's
/// cycle.
fn mark_cycles(n: usize, edges: &mut [AppEdge]) -> Vec<Option<usize>> {
    let pairs: Vec<(usize, usize)> = edges.iter().map(|e| (e.from, e.to)).collect();
    if kahn(n, &pairs).len() == n {
        return vec![None; n];
    }
    let cycle = cycles(n, &pairs);
    for edge in edges.iter_mut() {
        edge.in_cycle = cycle[edge.from].is_some() && cycle[edge.from] == cycle[edge.to];
    }
    cycle
}

/// The cycle each of `n` nodes lies on: a strongly connected component of more than one node,
/// or a node with an edge to itself (tarjan_scc), numbered in the order tarjan_scc finds them.
pub(crate) fn cycles(n: usize, edges: &[(usize, usize)]) -> Vec<Option<usize>> {
    let mut graph: DiGraph<usize, ()> = DiGraph::with_capacity(n, edges.len());
    let nodes: Vec<NodeIndex> = (0..n).map(|i| graph.add_node(i)).collect();
    for &(a, b) in edges {
        graph.add_edge(nodes[a], nodes[b], ());
    }
    let mut component = vec![0; n];
    let mut cyclic = Vec::new();
    for (c, members) in tarjan_scc(&graph).into_iter().enumerate() {
        cyclic.push(members.len() > 1);
        for node in members {
            component[graph[node]] = c;
        }
    }
    for &(a, b) in edges {
        if a == b {
            cyclic[component[a]] = true;
        }
    }
    component.into_iter().map(|c| cyclic[c].then_some(c)).collect()
}

/// The order that follows the `binding` pairs always, and each of the `samples` unless its
/// head already leads back to its tail through what is followed before it (it is then
/// overridden: the second result marks those); ties go to the node written first. Nodes on a
/// cycle of binding pairs (only possible when product rules alone contradict each other, which
/// no clean file has) keep the order written, after the rest.
fn follow(n: usize, binding: &[(usize, usize)], samples: &[(usize, usize)]) -> (Vec<usize>, Vec<bool>) {
    if samples.is_empty() {
        return (complete(n, kahn(n, binding)), Vec::new());
    }
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut seen: HashSet<(usize, usize)> = HashSet::with_capacity(binding.len() + samples.len());
    for &(from, to) in binding {
        if seen.insert((from, to)) {
            out[from].push(to);
        }
    }
    let mut overridden = vec![false; samples.len()];
    for (&(from, to), flag) in samples.iter().zip(&mut overridden) {
        if seen.contains(&(from, to)) {
            continue;
        }
        if reaches(&out, to, from) {
            *flag = true;
        } else {
            seen.insert((from, to));
            out[from].push(to);
        }
    }
    let followed: Vec<(usize, usize)> = out
        .iter()
        .enumerate()
        .flat_map(|(from, targets)| targets.iter().map(move |&to| (from, to)))
        .collect();
    (complete(n, kahn(n, &followed)), overridden)
}

/// `order` with the nodes it lacks (those on a cycle) after it, in the order written.
fn complete(n: usize, mut order: Vec<usize>) -> Vec<usize> {
    if order.len() < n {
        let mut placed = vec![false; n];
        for &i in &order {
            placed[i] = true;
        }
        order.extend((0..n).filter(|&i| !placed[i]));
    }
    order
}

/// Kahn's algorithm over `pairs` (repeats allowed), always taking the ready node written
/// first; the nodes on or after a cycle are missing from the result. The successors are kept
/// in one array (compressed rows), and with at most 64 nodes the ready set is a bit mask.
fn kahn(n: usize, pairs: &[(usize, usize)]) -> Vec<usize> {
    let mut order = Vec::with_capacity(n);
    if pairs.is_empty() {
        order.extend(0..n);
        return order;
    }
    let mut start = vec![0usize; n + 1];
    let mut indegree = vec![0usize; n];
    for &(a, b) in pairs {
        start[a + 1] += 1;
        indegree[b] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut next = start.clone();
    let mut targets = vec![0usize; pairs.len()];
    for &(a, b) in pairs {
        targets[next[a]] = b;
        next[a] += 1;
    }
    let successors = |i: usize| &targets[start[i]..start[i + 1]];
    if n <= 64 {
        let mut ready: u64 = (0..n).filter(|&i| indegree[i] == 0).fold(0, |m, i| m | 1 << i);
        while ready != 0 {
            let i = ready.trailing_zeros() as usize;
            ready &= ready - 1;
            order.push(i);
            for &j in successors(i) {
                indegree[j] -= 1;
                if indegree[j] == 0 {
                    ready |= 1 << j;
                }
            }
        }
    } else {
        let mut ready: BTreeSet<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
        while let Some(i) = ready.pop_first() {
            order.push(i);
            for &j in successors(i) {
                indegree[j] -= 1;
                if indegree[j] == 0 {
                    ready.insert(j);
                }
            }
        }
    }
    order
}

/// Whether `to` can be reached from `from` along `out`.
fn reaches(out: &[Vec<usize>], from: usize, to: usize) -> bool {
    let mut seen = vec![false; out.len()];
    let mut stack = vec![from];
    while let Some(node) = stack.pop() {
        if node == to {
            return true;
        }
        if !std::mem::replace(&mut seen[node], true) {
            stack.extend(out[node].iter().copied());
        }
    }
    false
}

/// Which of `edges` (pairs of `n` nodes) are implied by a longer path of the others, so that
/// a drawing can show the transitive reduction: an edge `u -> v` is implied when `v` can be
/// reached from another successor of `u`. `None` when the edges hold a cycle (a drawing then
/// shows every edge, the cycle being what a reviewer must see) or when the graph is too large
/// for the reachability sets (more than [`REDUCTION_LIMIT`] nodes: such a graph is drawn as
/// given). Repeated pairs are not implied by each other.
///
/// The nodes are taken in reverse topological order, each node's successors in topological
/// order, and each node's reachable set is a bit set: O(edges x nodes / 64) word operations,
/// about eight million for 1,000 groups each after every earlier one.
pub fn implied(n: usize, edges: &[(usize, usize)]) -> Option<Vec<bool>> {
    if n > REDUCTION_LIMIT || edges.is_empty() {
        return (n <= REDUCTION_LIMIT).then(|| vec![false; edges.len()]);
    }
    let topo = kahn(n, edges);
    if topo.len() < n {
        return None;
    }
    let mut position = vec![0usize; n];
    for (p, &node) in topo.iter().enumerate() {
        position[node] = p;
    }
    // Each node's edges (as indices into `edges`), in one array.
    let mut start = vec![0usize; n + 1];
    for &(a, _) in edges {
        start[a + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut next = start.clone();
    let mut by_node = vec![0usize; edges.len()];
    for (e, &(a, _)) in edges.iter().enumerate() {
        by_node[next[a]] = e;
        next[a] += 1;
    }
    let words = n.div_ceil(64);
    let mut reach = vec![0u64; n * words];
    let mut implied = vec![false; edges.len()];
    let mut mine = vec![0u64; words];
    for &u in topo.iter().rev() {
        let own = &mut by_node[start[u]..start[u + 1]];
        own.sort_unstable_by_key(|&e| position[edges[e].1]);
        mine.fill(0);
        let mut previous: Option<(usize, bool)> = None;
        for &e in own.iter() {
            let v = edges[e].1;
            // A repeated pair is implied exactly when its first is.
            if let Some((target, flag)) = previous
                && target == v
            {
                implied[e] = flag;
                continue;
            }
            let flag = mine[v / 64] & (1 << (v % 64)) != 0;
            implied[e] = flag;
            previous = Some((v, flag));
            if !flag {
                mine[v / 64] |= 1 << (v % 64);
                for (w, r) in mine.iter_mut().zip(&reach[v * words..(v + 1) * words]) {
                    *w |= r;
                }
            }
        }
        reach[u * words..(u + 1) * words].copy_from_slice(&mine);
    }
    Some(implied)
}

/// Up to this many apps, a group's look-ups scan instead of hashing.
const SMALL: usize = 16;

/// The most nodes whose drawing is reduced: their reachability sets take at most 32 MiB.
pub const REDUCTION_LIMIT: usize = 16_384;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shortcut_of_a_path_is_implied_and_a_repeated_pair_is_not_implied_by_itself() {
        // 0 -> 1 -> 2, the shortcut 0 -> 2 (twice), and 3 -> 2 on its own.
        let edges = [(0, 1), (1, 2), (0, 2), (3, 2), (0, 2)];
        assert_eq!(implied(4, &edges), Some(vec![false, false, true, false, true]));
        assert_eq!(implied(2, &[(0, 1), (0, 1)]), Some(vec![false, false]));
    }

    #[test]
    fn a_cycle_is_never_reduced() {
        assert_eq!(implied(3, &[(0, 1), (1, 2), (2, 0), (0, 2)]), None);
    }

    #[test]
    fn kahn_takes_the_ready_node_written_first_and_stops_at_a_cycle() {
        assert_eq!(kahn(4, &[(3, 0), (2, 1)]), [2, 1, 3, 0]);
        assert_eq!(kahn(3, &[(0, 1), (1, 0)]), [2]);
        // Past 64 nodes the ready set is a tree, with the same order.
        let pairs: Vec<(usize, usize)> = (1..100).map(|i| (i, i - 1)).collect();
        let expected: Vec<usize> = (0..100).rev().collect();
        assert_eq!(kahn(100, &pairs), expected);
    }
}
