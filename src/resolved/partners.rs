//! Who stands by for whom: the groups that run one product on a shared server.
//!
//! Two groups that run the same product and share a server are in two-way (mutual) standby
//! (PP guide 1.1.1 (2)). Asking "which groups share a server with this one" of every group
//! is quadratic when many groups run one product on the same servers, so the groups are
//! indexed once by (product, server), and the questions the rules and the planner ask are
//! answered from the few lists of a group's own servers: is there a partner, are there two or
//! more, is this group the last of its set. The whole set of a group is listed only for the
//! last group of a set, where it is reported; those sets share no server, so listing them
//! costs at most the index's size.

use std::collections::HashMap;

use super::GroupView;

#[derive(Debug, Default)]
pub struct Partners<'a> {
    /// (product id, server name) -> the indices of the groups that run the product with the
    /// server in their failover policy, ascending.
    by_server: HashMap<(&'a str, &'a str), Vec<usize>>,
}

impl<'a> Partners<'a> {
    pub fn index(groups: &[GroupView<'a>]) -> Self {
        let mut by_server: HashMap<(&'a str, &'a str), Vec<usize>> = HashMap::new();
        for (index, group) in groups.iter().enumerate() {
            let mut products: Vec<&'a str> = group
                .apps
                .iter()
                .filter_map(|a| a.product)
                .map(|p| p.id.as_str())
                .collect();
            products.sort_unstable();
            products.dedup();
            for product in products {
                for server in &group.servers {
                    by_server
                        .entry((product, server.value.as_str()))
                        .or_default()
                        .push(index);
                }
            }
        }
        Partners { by_server }
    }

    /// The lists of the group's servers for `product`.
    fn lists<'s>(&'s self, group: &'s GroupView, product: &'s str) -> impl Iterator<Item = &'s [usize]> + 's {
        group
            .servers
            .iter()
            .filter_map(move |s| self.by_server.get(&(product, s.value.as_str())))
            .map(Vec::as_slice)
    }

    /// How many partners group `index` has for `product`, counted up to 2 (0, 1, or 2 meaning
    /// two or more), and the first one found. Each list is read only until two others are seen.
    pub fn count(&self, groups: &[GroupView], index: usize, product: &str) -> (usize, Option<usize>) {
        let mut first = None;
        for list in self.lists(&groups[index], product) {
            for &other in list.iter().filter(|&&o| o != index).take(2) {
                match first {
                    None => first = Some(other),
                    Some(f) if f != other => return (2, first),
                    Some(_) => {}
                }
            }
        }
        (usize::from(first.is_some()), first)
    }

    /// Whether every partner of group `index` comes before it in the file (true without any):
    /// the group where a set of partners is reported once.
    pub fn is_last(&self, groups: &[GroupView], index: usize, product: &str) -> bool {
        self.lists(&groups[index], product).all(|list| {
            let top = match list {
                [.., before, last] if *last == index => Some(*before),
                [.., last] => Some(*last),
                [] => None,
            };
            top.is_none_or(|t| t <= index)
        })
    }

    /// Every partner of group `index`, ascending. Linear in the lists of its servers: call it
    /// where a set is reported, at its last group.
    pub fn all(&self, groups: &[GroupView], index: usize, product: &str) -> Vec<usize> {
        let mut all: Vec<usize> = self
            .lists(&groups[index], product)
            .flatten()
            .copied()
            .filter(|&o| o != index)
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}
