//! The graph as Graphviz DOT: one `subgraph cluster_N` per group, apps as boxes listing their
//! services, edges labelled `after`, `rule` or `sample`, and whatever lies on a cycle in red
//! and bold.

use std::fmt::Write;

use super::{EdgeKind, Graph, app_id, group_id, product_line, service_line};

const CYCLE: &str = "color=red, fontcolor=red, penwidth=2, style=bold";

/// A DOT double-quoted string: backslashes and quotes escaped, control characters dropped (a
/// name cannot hold them; a label's line breaks are written by [`label`]).
/// A DOT string: quotes and backslashes escaped, control characters dropped.
pub(crate) fn quote(text: &str) -> String {
    format!("\"{}\"", escape(text))
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A label of several lines, each escaped, joined by DOT's centred line break.
pub(crate) fn label<S: AsRef<str>>(lines: &[S]) -> String {
    let escaped: Vec<String> = lines.iter().map(|l| escape(l.as_ref())).collect();
    format!("\"{}\"", escaped.join("\\n"))
}

/// The start-order graph as a Graphviz digraph (`dot -Tsvg` draws it).
pub fn to_dot(graph: &Graph) -> String {
    let mut out = String::new();
    let title = if graph.cluster.is_empty() {
        "the start order".to_string()
    } else {
        format!("the start order of cluster {}", graph.cluster)
    };
    let _ = writeln!(out, "// {}, drawn by hagen.", escape(&title));
    let _ = writeln!(out, "// An edge A -> B: B starts after A.");
    let _ = writeln!(out, "digraph start_order {{");
    let _ = writeln!(out, "  label={};", quote(&title));
    let _ = writeln!(out, "  labelloc=t;");
    let _ = writeln!(out, "  rankdir=LR;");
    let _ = writeln!(out, "  compound=true;");
    let _ = writeln!(out, "  fontname=\"Helvetica\";");
    let _ = writeln!(out, "  node [shape=box, fontname=\"Helvetica\", fontsize=11];");
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=10];");
    for (g, group) in graph.groups.iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster_{g} {{");
        let _ = writeln!(out, "    label={};", quote(&format!("group {}", group.name)));
        if group.in_cycle {
            let _ = writeln!(out, "    color=red; fontcolor=red; penwidth=2; style=bold;");
        }
        // The group's anchor: group edges start and end here, clipped to the cluster's box.
        let _ = writeln!(
            out,
            "    {} [label=\"\", shape=point, style=invis, width=0, height=0];",
            quote(&group_id(g, group))
        );
        for (a, app) in group.apps.iter().enumerate() {
            let mut lines = vec![app.id.clone(), product_line(app)];
            lines.extend(app.services.iter().map(service_line));
            let style = if app.in_cycle {
                format!(", {CYCLE}")
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "    {} [label={}{style}];",
                quote(&app_id(g, a, app)),
                label(&lines)
            );
        }
        for edge in &group.edges {
            let mut attrs = vec![format!(
                "label={}",
                quote(if edge.overridden {
                    "sample (overridden)"
                } else {
                    edge.kind.name()
                })
            )];
            if edge.in_cycle {
                attrs.push(CYCLE.to_string());
            } else if edge.overridden {
                attrs.push("style=dotted, color=gray50, fontcolor=gray50, constraint=false".to_string());
            } else if edge.kind == EdgeKind::Sample {
                attrs.push("style=dashed".to_string());
            }
            if let Some(source) = &edge.source {
                attrs.push(format!("tooltip={}", quote(source)));
            }
            let _ = writeln!(
                out,
                "    {} -> {} [{}];",
                quote(&app_id(g, edge.from, &group.apps[edge.from])),
                quote(&app_id(g, edge.to, &group.apps[edge.to])),
                attrs.join(", ")
            );
        }
        let _ = writeln!(out, "  }}");
    }
    for edge in &graph.edges {
        let mut attrs = vec!["label=\"after\"".to_string()];
        if edge.from != edge.to {
            attrs.push(format!("ltail=cluster_{}, lhead=cluster_{}", edge.from, edge.to));
        }
        attrs.push(if edge.in_cycle {
            CYCLE.to_string()
        } else {
            "penwidth=2".to_string()
        });
        let _ = writeln!(
            out,
            "  {} -> {} [{}];",
            quote(&group_id(edge.from, &graph.groups[edge.from])),
            quote(&group_id(edge.to, &graph.groups[edge.to])),
            attrs.join(", ")
        );
    }
    let _ = writeln!(out, "}}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_backslashes_are_escaped_and_line_breaks_are_dot_breaks() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(label(&["x\"", "y\n"]), r#""x\"\ny""#);
    }
}
