//! Which scenarios to play: by default the cluster's start, every server down (with
//! `--depth 2` every pair too, and so on), every server coming back, every manual move of a
//! group to each other server of its policy, and a disk failure at the start of each group
//! with a disk; with `--down`, exactly the lists given.

use super::Kind;
use super::model::Model;

/// What the command line asks for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--down` lists: each is one scenario, its servers going down in the order given.
    pub down: Vec<Vec<String>>,
    /// The most servers down at once in the default scenarios (at least 1).
    pub depth: usize,
}

pub(super) fn specs(model: &Model, options: &Options) -> Result<Vec<Kind>, String> {
    if !options.down.is_empty() {
        return options.down.iter().map(|list| down_list(model, list)).collect();
    }
    let n = model.servers.len();
    let mut out = vec![Kind::Start];
    let depth = options.depth.clamp(1, n.max(1));
    for size in 1..=depth {
        combinations(n, size, &mut |c| out.push(Kind::Down(c.to_vec())));
    }
    out.extend((0..n).map(Kind::Back));
    for &g in &model.start_order {
        let group = &model.groups[g];
        out.extend(group.policy[1..].iter().map(|&to| Kind::Move { group: g, to }));
    }
    out.extend(
        model
            .start_order
            .iter()
            .filter(|&&g| model.groups[g].has_disk)
            .map(|&g| Kind::Disk(g)),
    );
    Ok(out)
}

fn down_list(model: &Model, list: &[String]) -> Result<Kind, String> {
    let mut servers = Vec::with_capacity(list.len());
    for name in list {
        let Some(i) = model.servers.iter().position(|s| s == name) else {
            let mut message = format!("--down: no server `{name}` in the file");
            match crate::suggest::help(name, model.servers.iter().map(String::as_str)) {
                Some(help) => message.push_str(&format!("; {help}")),
                None => message.push_str(&format!(" (its servers: {})", model.servers.join(", "))),
            }
            return Err(message);
        };
        if servers.contains(&i) {
            return Err(format!("--down: server `{name}` is named twice in one list"));
        }
        servers.push(i);
    }
    if servers.is_empty() {
        return Err("--down: name at least one server".to_string());
    }
    Ok(Kind::Down(servers))
}

/// Calls `f` with every `size`-subset of `0..n`, in lexicographic order.
fn combinations(n: usize, size: usize, f: &mut impl FnMut(&[usize])) {
    fn go(start: usize, n: usize, size: usize, current: &mut Vec<usize>, f: &mut impl FnMut(&[usize])) {
        if current.len() == size {
            f(current);
            return;
        }
        for i in start..n {
            current.push(i);
            go(i + 1, n, size, current, f);
            current.pop();
        }
    }
    go(0, n, size, &mut Vec::with_capacity(size), f);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_of_four_servers_are_six() {
        let mut seen = Vec::new();
        combinations(4, 2, &mut |c| seen.push(c.to_vec()));
        assert_eq!(seen, [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]);
    }
}
