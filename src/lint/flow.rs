//! How control moves through a script, and what the cluster's variables can be on each line.
//!
//! The rules that ask "can this line run on a server whose disk failed?" or "does RECOVER reach
//! an ARMLOAD?" need cmd.exe's control flow, not the order of lines: a GOTO searches for its
//! label from the line after it down to the end and then from the top (so of two labels of
//! one name, the one a jump reaches depends on where the jump is), `IF cond GOTO` splits the
//! flow in two, a parenthesised `IF (...) ELSE (...)` block runs one of its halves, `CALL
//! :SUB` runs a subroutine and comes back, and `EXIT` or the end of the file ends the script.
//! [`Flow`] is that graph, one node per line, built once per script and read by every rule.
//!
//! On it, [`Flow::states`] runs one forward data-flow pass over what the cluster passes in:
//! the event (`START`, `FAILOVER`, `RECOVER`, or none when the cluster did not start the
//! script) and what the script has learnt of the disk (not yet looked at, `SUCCESS`,
//! `FAILURE`), for both dialects (`ARMS_EVENT`/`ARMS_DISK` of CLUSTERPRO 6.0-8.0, seed 000;
//! `CLP_EVENT`/`CLP_DISK` of CLUSTERPRO X, seed 002). A state is a set of those 12
//! combinations (a bit each); a comparison of the event or disk variable narrows it on each
//! of its two edges; a line's state is the union over the edges into it. States only grow
//! and have 12 bits, so each line is visited at most 13 times: the pass is linear in the
//! script's length, as is building the graph (labels are found through a sorted index).

use std::collections::HashMap;

use super::script::{Compare, Kind, Line, Open, Script};

/// What the cluster started the script for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Start = 0,
    Failover = 1,
    Recover = 2,
    /// The variable is not set: the script was not started by the cluster.
    None = 3,
}

/// What the script knows of the disk on a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disk {
    /// The path has not compared the disk variable yet.
    Unknown = 0,
    Success = 1,
    Failure = 2,
}

/// A set of (event, disk) combinations: bit `event * 3 + disk`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct State(pub u16);

impl State {
    /// Every event, the disk not looked at: the state at the first line.
    pub const ENTRY: State = State(0b001_001_001_001);

    pub fn has(self, event: Event, disk: Disk) -> bool {
        self.0 & (1 << (event as u16 * 3 + disk as u16)) != 0
    }

    pub fn has_event(self, event: Event) -> bool {
        self.0 & (0b111 << (event as u16 * 3)) != 0
    }

    pub fn has_disk(self, disk: Disk) -> bool {
        self.0 & (0b001_001_001_001 << disk as u16) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// Where an edge leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum To {
    Line(usize),
    /// The script ends: `Some(true)` with exit code 0 (`EXIT` without a code or with 0, `EXIT
    /// /B` so, `GOTO :EOF` or the end of the file after a command that succeeded), `Some(false)`
    /// with another literal code or because cmd.exe stopped it (a GOTO to a missing label),
    /// `None` with a code not known before it runs (`EXIT %ERRORLEVEL%`).
    End(Option<bool>),
}

/// One edge out of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub to: To,
    /// The edge is taken only when the line's comparison holds (`Some(true)`) or does not
    /// (`Some(false)`).
    pub when: Option<bool>,
    /// The edge enters a subroutine through `CALL :NAME`.
    pub call: bool,
}

/// The control-flow graph of a script: the edges out of each line, kept in one list (a line
/// has one or two; a list per line would cost more than its edges).
#[derive(Debug)]
pub struct Flow {
    edges: Vec<Edge>,
    /// Where the edges of each line begin in `edges`, and one more entry: where they end.
    starts: Vec<usize>,
}

/// The labels of a script, upper-cased, each with the lines that define it in file order.
pub struct Labels {
    by_name: HashMap<String, Vec<usize>>,
}

impl Labels {
    pub fn new(script: &Script) -> Labels {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, t) in script.labels() {
            by_name.entry(t.text.as_str().to_ascii_uppercase()).or_default().push(i);
        }
        Labels { by_name }
    }

    /// The lines defining `name` (any case), in file order.
    pub fn lines(&self, name: &str) -> &[usize] {
        self.by_name.get(&name.to_ascii_uppercase()).map_or(&[], Vec::as_slice)
    }

    /// Every name defined more than once, with its lines.
    pub fn duplicated(&self) -> impl Iterator<Item = &[usize]> {
        self.by_name.values().filter(|l| l.len() > 1).map(Vec::as_slice)
    }

    /// The label line a `GOTO name` on line `from` reaches: the first after it, else the first
    /// from the top (cmd.exe's search). `None`: no such label.
    pub fn resolve(&self, name: &str, from: usize) -> Option<usize> {
        let lines = self.lines(name);
        let after = lines.partition_point(|&l| l <= from);
        lines.get(after).or(lines.first()).copied()
    }
}

/// Whether a line's comparison is on the event or the disk variable of either dialect.
fn cluster_variable(c: &Compare, suffix: &str) -> bool {
    (c.variable.starts_with("ARMS_") || c.variable.starts_with("CLP_")) && c.variable.ends_with(suffix)
}

/// The state that leaves a line along an edge, given the state that reached it.
pub fn narrow(state: State, line: &Line, when: Option<bool>) -> State {
    let (Some(holds), Some(Some(c))) = (when, &line.condition) else {
        return state;
    };
    let holds = holds != c.negated;
    if cluster_variable(c, "_EVENT") {
        let mut events = 0u16;
        for (event, name) in [
            (Event::Start, "START"),
            (Event::Failover, "FAILOVER"),
            (Event::Recover, "RECOVER"),
            (Event::None, ""),
        ] {
            if c.equals(name) == holds {
                events |= 0b111 << (event as u16 * 3);
            }
        }
        return State(state.0 & events);
    }
    if cluster_variable(c, "_DISK") {
        // The disk values for which this edge is taken.
        let success = c.equals("SUCCESS") == holds;
        let failure = c.equals("FAILURE") == holds;
        let mut out = 0u16;
        for event in 0..4u16 {
            let bit = |disk: Disk| 1u16 << (event * 3 + disk as u16);
            if state.0 & bit(Disk::Unknown) != 0 {
                match (success, failure) {
                    (true, true) => out |= bit(Disk::Unknown),
                    (true, false) => out |= bit(Disk::Success),
                    (false, true) => out |= bit(Disk::Failure),
                    (false, false) => {}
                }
            }
            if success && state.0 & bit(Disk::Success) != 0 {
                out |= bit(Disk::Success);
            }
            if failure && state.0 & bit(Disk::Failure) != 0 {
                out |= bit(Disk::Failure);
            }
        }
        return State(out);
    }
    state
}

impl Flow {
    pub fn new(script: &Script, labels: &Labels) -> Flow {
        let lines = &script.lines;
        let n = lines.len();
        // Each block's opening line with where it closes and where its ELSE part starts.
        let mut close: Vec<Option<usize>> = vec![None; n];
        let mut else_at: Vec<Option<usize>> = vec![None; n];
        // For a `) ELSE (` line: the IF line whose block it closes.
        let mut else_of: Vec<Option<usize>> = vec![None; n];
        let mut stack: Vec<usize> = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if line.closes_first
                && let Some(o) = stack.pop()
            {
                close[o] = Some(i);
                if line.opens == Some(Open::Else) || line.condition.is_some() {
                    else_at[o] = Some(i);
                    else_of[i] = Some(o);
                }
            }
            if line.opens.is_some() {
                stack.push(i);
            }
            if line.closes_last
                && let Some(o) = stack.pop()
            {
                close[o] = Some(i);
            }
        }
        let next = |i: usize| {
            if i + 1 < n {
                To::Line(i + 1)
            } else {
                To::End(Some(true))
            }
        };
        // The line after the block opened on line `o`.
        let after_block = |o: usize| close[o].map_or(To::End(Some(true)), next);
        let edge = |to, when| Edge { to, when, call: false };
        let mut edges = Vec::with_capacity(2 * n);
        let mut starts = Vec::with_capacity(n + 1);
        starts.push(0);
        for (i, line) in lines.iter().enumerate() {
            // A `) ELSE (` line reached from the IF half: skip the ELSE half.
            // (`) ELSE command` without a block: past the command.)
            if else_of[i].is_some() {
                let to = if line.opens == Some(Open::Else) {
                    after_block(i)
                } else {
                    next(i)
                };
                edges.push(edge(to, None));
                starts.push(edges.len());
                continue;
            }
            let conditional = line.condition.is_some();
            let jump = match &line.kind {
                Kind::Goto(t) if t.text.eq_ignore_ascii_case("eof") => Some(To::End(Some(true))),
                Kind::Goto(t) => Some(labels.resolve(&t.text, i).map_or(To::End(Some(false)), To::Line)),
                Kind::Exit(e) => Some(To::End(e.is_zero())),
                _ => None,
            };
            match (line.opens, jump) {
                (Some(Open::If), _) => {
                    edges.push(edge(next(i), Some(true)));
                    let otherwise = match else_at[i] {
                        Some(e) if lines[e].opens == Some(Open::Else) => next(e),
                        Some(e) => To::Line(e),
                        None => after_block(i),
                    };
                    edges.push(edge(otherwise, Some(false)));
                }
                (Some(Open::Loop), _) => {
                    edges.push(edge(next(i), None));
                    edges.push(edge(after_block(i), None));
                }
                (_, Some(to)) if conditional => {
                    edges.push(edge(to, Some(true)));
                    edges.push(edge(next(i), Some(false)));
                }
                (_, Some(to)) => edges.push(edge(to, None)),
                (_, None) => {
                    if let Kind::Call(t) = &line.kind
                        && let Some(l) = labels.resolve(&t.text, i)
                    {
                        edges.push(Edge {
                            to: To::Line(l),
                            when: None,
                            call: true,
                        });
                    }
                    edges.push(edge(next(i), None));
                }
            }
            starts.push(edges.len());
        }
        Flow { edges, starts }
    }

    /// The number of lines.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The edges out of line `i`.
    pub fn out(&self, i: usize) -> &[Edge] {
        &self.edges[self.starts[i]..self.starts[i + 1]]
    }

    /// Every line's edges, in line order.
    pub fn lines(&self) -> impl Iterator<Item = &[Edge]> {
        self.starts.windows(2).map(|w| &self.edges[w[0]..w[1]])
    }

    /// The state reaching each line (empty: the line cannot run), from [`State::ENTRY`] at
    /// the first line.
    pub fn states(&self, script: &Script) -> Vec<State> {
        let n = self.len();
        let mut states = vec![State::default(); n];
        if n == 0 {
            return states;
        }
        states[0] = State::ENTRY;
        let mut queued = vec![false; n];
        let mut work = vec![0usize];
        queued[0] = true;
        while let Some(i) = work.pop() {
            queued[i] = false;
            for e in self.out(i) {
                let To::Line(j) = e.to else { continue };
                let out = narrow(states[i], &script.lines[i], e.when);
                let merged = State(states[j].0 | out.0);
                if merged != states[j] {
                    states[j] = merged;
                    if !queued[j] {
                        queued[j] = true;
                        work.push(j);
                    }
                }
            }
        }
        states
    }
}

/// Whether a line does work on the server: starts or stops a service or a program, or runs
/// any command but the harmless ones (messages, variables, folders, waits, the cluster's
/// broadcast and log). A `*****` box line (seed 000's samples) is no command at all.
pub fn is_work(line: &Line) -> bool {
    match &line.kind {
        Kind::ArmLoad(_) | Kind::ArmKill(_) | Kind::NetStop(_) => true,
        Kind::Other => {
            if line.opens == Some(Open::Loop) {
                return false;
            }
            let Some(name) = line.command() else { return false };
            if !name.chars().any(|c| c.is_alphanumeric()) {
                return false;
            }
            let name = name.trim_end_matches(".EXE");
            !HARMLESS.contains(&name) && !name.starts_with("ECHO")
        }
        _ => false,
    }
}

/// Commands that change nothing on the server or in the cluster.
const HARMLESS: [&str; 20] = [
    "SET",
    "SETLOCAL",
    "ENDLOCAL",
    "CD",
    "CHDIR",
    "PUSHD",
    "POPD",
    "TITLE",
    "CLS",
    "VER",
    "TIMEOUT",
    "SHIFT",
    "COLOR",
    "PROMPT",
    "TYPE",
    "PAUSE",
    "ARMBCAST",
    "ARMGETCD",
    "CLPLOGCMD",
    "VERIFY",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn flow(text: &str) -> (Script, Flow, Vec<State>) {
        let script = Script::parse(SourceFile::new("start.bat", text));
        let labels = Labels::new(&script);
        let flow = Flow::new(&script, &labels);
        let states = flow.states(&script);
        (script, flow, states)
    }

    #[test]
    fn a_goto_searches_down_then_from_the_top() {
        let (script, ..) = flow(":A\r\nGOTO A\r\n:A\r\nGOTO A\r\n");
        let labels = Labels::new(&script);
        assert_eq!(labels.resolve("a", 1), Some(2));
        assert_eq!(labels.resolve("A", 3), Some(0));
        assert_eq!(labels.resolve("B", 3), None);
    }

    #[test]
    fn event_and_disk_comparisons_narrow_the_state() {
        let (_, _, s) = flow(
            "IF \"%CLP_EVENT%\" == \"START\" GOTO N\r\nGOTO E\r\n:N\r\nIF \"%CLP_DISK%\" == \"FAILURE\" GOTO D\r\n\
             ARMLOAD A /S a\r\nGOTO E\r\n:D\r\nEXIT 1\r\n:E\r\n",
        );
        assert!(s[2].has(Event::Start, Disk::Unknown) && !s[2].has_event(Event::Recover));
        assert_eq!(s[4], State(1 << Disk::Success as u16));
        assert_eq!(s[6], State(1 << Disk::Failure as u16));
        assert!(s[8].has_event(Event::Recover) && s[8].has(Event::Start, Disk::Success));
    }

    #[test]
    fn if_else_blocks_run_one_half() {
        let (_, f, s) = flow(
            "IF /I \"%ARMS_DISK%\" NEQ \"success\" (\r\n  EXIT 1\r\n) ELSE (\r\n  net start x\r\n)\r\nrem end\r\n",
        );
        assert_eq!(f.out(0).len(), 2);
        assert!(s[1].has_disk(Disk::Failure) && !s[1].has_disk(Disk::Success));
        assert!(s[3].has_disk(Disk::Success) && !s[3].has_disk(Disk::Failure));
        assert_eq!(
            f.out(2),
            [Edge {
                to: To::Line(5),
                when: None,
                call: false
            }]
        );
        assert!(s[5].has_disk(Disk::Success) && !s[5].has_disk(Disk::Failure));
    }

    #[test]
    fn work_is_what_changes_the_server() {
        let (script, ..) = flow("ARMBCAST /MSG x /A\r\nsqlcmd -Q x\r\n*****\r\necho.\r\nset A=1\r\nnet start x\r\n");
        let work: Vec<bool> = script.lines.iter().map(is_work).collect();
        assert_eq!(work, [false, true, false, false, false, true]);
    }
}
