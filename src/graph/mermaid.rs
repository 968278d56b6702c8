//! The graph as a Mermaid flowchart: a `subgraph` per group, apps as boxes listing their
//! services, edges labelled `after`, `rule` or `sample`; nodes on a cycle get the class
//! `cycle`, edges on a cycle a red `linkStyle`.
//!
//! Identifiers are `g<N>_<name>` and `a<N>_<M>_<id>` with every character but ASCII letters,
//! digits and `_` replaced, so no name can clash with Mermaid's syntax or keywords (`end`);
//! labels are quoted and every character outside a small safe set is an entity code (`#35;`).

use std::fmt::Write;

use super::{EdgeKind, Graph, app_id, group_id, product_line, service_line};

const RED: &str = "stroke:#d00000,stroke-width:3px,color:#d00000";
const GRAY: &str = "stroke:#999999,stroke-width:1px,color:#777777";

/// Label text for a quoted Mermaid label: letters, digits, space and `-_.,:/()` as they are,
/// every other character as Mermaid's decimal entity code `#N;`.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || " -_.,:/()".contains(c) {
            out.push(c);
        } else if !c.is_control() {
            let _ = write!(out, "#{};", c as u32);
        }
    }
    out
}

/// A quoted label of several lines.
fn label<S: AsRef<str>>(lines: &[S]) -> String {
    let lines: Vec<String> = lines.iter().map(|l| text(l.as_ref())).collect();
    format!("\"{}\"", lines.join("<br/>"))
}

/// The start-order graph as a Mermaid `flowchart LR`.
pub fn to_mermaid(graph: &Graph) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "flowchart LR");
    let title = if graph.cluster.is_empty() {
        "the start order".to_string()
    } else {
        format!("the start order of cluster {}", graph.cluster)
    };
    let _ = writeln!(out, "  %% {}, drawn by hagen. A --> B: B starts after A.", text(&title));
    let mut link = 0usize;
    let mut red_links = Vec::new();
    let mut gray_links = Vec::new();
    let mut cycle_nodes = Vec::new();
    for (g, group) in graph.groups.iter().enumerate() {
        let id = group_id(g, group);
        if group.in_cycle {
            cycle_nodes.push(id.clone());
        }
        let _ = writeln!(out, "  subgraph {id}[{}]", label(&[format!("group {}", group.name)]));
        let _ = writeln!(out, "    direction LR");
        if group.apps.is_empty() {
            let _ = writeln!(out, "    {id}_empty[{}]", label(&["(no apps)"]));
        }
        for (a, app) in group.apps.iter().enumerate() {
            let mut lines = vec![app.id.clone(), product_line(app)];
            lines.extend(app.services.iter().map(service_line));
            let node = app_id(g, a, app);
            let _ = writeln!(out, "    {node}[{}]", label(&lines));
            if app.in_cycle {
                cycle_nodes.push(node);
            }
        }
        for edge in &group.edges {
            let arrow = if edge.kind == EdgeKind::Sample { "-.->" } else { "-->" };
            let name = if edge.overridden {
                "sample (overridden)"
            } else {
                edge.kind.name()
            };
            let _ = writeln!(
                out,
                "    {} {arrow}|{}| {}",
                app_id(g, edge.from, &group.apps[edge.from]),
                label(&[name]),
                app_id(g, edge.to, &group.apps[edge.to])
            );
            if edge.in_cycle {
                red_links.push(link);
            } else if edge.overridden {
                gray_links.push(link);
            }
            link += 1;
        }
        let _ = writeln!(out, "  end");
    }
    for edge in &graph.edges {
        let _ = writeln!(
            out,
            "  {} ==>|{}| {}",
            group_id(edge.from, &graph.groups[edge.from]),
            label(&["after"]),
            group_id(edge.to, &graph.groups[edge.to])
        );
        if edge.in_cycle {
            red_links.push(link);
        }
        link += 1;
    }
    let _ = writeln!(out, "  classDef cycle {RED},font-weight:bold");
    if !cycle_nodes.is_empty() {
        let _ = writeln!(out, "  class {} cycle", cycle_nodes.join(","));
    }
    for (links, style) in [(&red_links, RED), (&gray_links, GRAY)] {
        if !links.is_empty() {
            let list: Vec<String> = links.iter().map(usize::to_string).collect();
            let _ = writeln!(out, "  linkStyle {} {style}", list.join(","));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_text_outside_the_safe_set_becomes_entity_codes() {
        assert_eq!(text("order-api (x)"), "order-api (x)");
        assert_eq!(text("a\"b<c>#;|"), "a#34;b#60;c#62;#35;#59;#124;");
        assert_eq!(label(&["x", "y&"]), "\"x<br/>y#38;\"");
    }
}
