//! The graph as Graphviz DOT and as a Mermaid flowchart. Both list the
//! nodes group by group and then the edges, in the graph's order, so the
//! same site prints the same text.

use super::{EdgeKind, Graph, Node, NodeKind};
use crate::map::HashMap;

/// A DOT string literal.
fn dot_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn dot_node_style(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Workload => "shape=box, style=\"rounded,filled\", fillcolor=\"#dbeafe\"",
        NodeKind::Store => "shape=cylinder, style=filled, fillcolor=\"#dcfce7\"",
        NodeKind::Route => "shape=cds, style=filled, fillcolor=\"#ede9fe\"",
        NodeKind::Secret => "shape=note, style=filled, fillcolor=\"#fef3c7\"",
        NodeKind::Pool => "shape=hexagon, style=filled, fillcolor=\"#fae8ff\"",
        NodeKind::FlowRuns => "shape=box3d, style=filled, fillcolor=\"#e0f2fe\"",
        NodeKind::Peer => "shape=ellipse, style=dashed",
    }
}

fn dot_edge_style(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Network => "color=\"#1d4ed8\"",
        EdgeKind::Routes => "color=\"#6d28d9\", penwidth=1.5",
        EdgeKind::Reads => "color=\"#b45309\", style=dashed, arrowhead=open",
        EdgeKind::Polls => "color=\"#a21caf\", style=dotted",
        EdgeKind::Creates => "color=\"#0369a1\", style=bold",
    }
}

/// The groups in the order their first node comes (the graph puts nodes
/// without a group last), each with its nodes.
fn grouped(graph: &Graph) -> Vec<(Option<&str>, Vec<&Node>)> {
    let mut groups: Vec<(Option<&str>, Vec<&Node>)> = Vec::new();
    for node in &graph.nodes {
        let group = node.group.as_deref();
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, nodes)) => nodes.push(node),
            None => groups.push((group, vec![node])),
        }
    }
    groups
}

pub fn dot(graph: &Graph) -> String {
    let mut out = String::from("digraph site {\n");
    let mut title = graph.title.clone();
    for note in &graph.notes {
        title.push('\n');
        title.push_str(note);
    }
    out.push_str(&format!(
        "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, label={}, nodesep=0.25, ranksep=1.1, newrank=true];\n",
        dot_quote(&title)
    ));
    out.push_str("  node [fontname=\"Helvetica\", fontsize=10];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    for (i, (group, nodes)) in grouped(graph).into_iter().enumerate() {
        let indent = if group.is_some() { "    " } else { "  " };
        if let Some(group) = group {
            out.push_str(&format!(
                "  subgraph cluster_{i} {{\n    label={};\n    style=rounded;\n    color=\"#94a3b8\";\n",
                dot_quote(group)
            ));
        }
        for node in nodes {
            out.push_str(&format!(
                "{indent}{} [label={}, {}];\n",
                dot_quote(&node.id),
                dot_quote(&node.label.join("\n")),
                dot_node_style(node.kind)
            ));
        }
        if group.is_some() {
            out.push_str("  }\n");
        }
    }
    for edge in &graph.edges {
        let label = if edge.label.is_empty() {
            String::new()
        } else {
            format!("label={}, ", dot_quote(&edge.label))
        };
        out.push_str(&format!(
            "  {} -> {} [{label}{}];\n",
            dot_quote(&edge.from),
            dot_quote(&edge.to),
            dot_edge_style(edge.kind)
        ));
    }
    out.push_str("}\n");
    out
}

/// Text inside a Mermaid `"…"` label: quotes and the characters Mermaid
/// reads as markup become entities; lines are joined with `<br/>`.
fn mermaid_text(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| {
            l.replace('&', "#amp;")
                .replace('"', "#quot;")
                .replace('<', "#lt;")
                .replace('>', "#gt;")
        })
        .collect::<Vec<_>>()
        .join("<br/>")
}

fn mermaid_shape(kind: NodeKind, text: &str) -> String {
    match kind {
        NodeKind::Workload => format!("[\"{text}\"]"),
        NodeKind::Store => format!("[(\"{text}\")]"),
        NodeKind::Route => format!(">\"{text}\"]"),
        NodeKind::Secret => format!("[/\"{text}\"/]"),
        NodeKind::Pool => format!("{{{{\"{text}\"}}}}"),
        NodeKind::FlowRuns => format!("[[\"{text}\"]]"),
        NodeKind::Peer => format!("([\"{text}\"])"),
    }
}

/// The colours of the DOT drawing, for Mermaid's `classDef`.
fn mermaid_node_class(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Workload => ("workload", "fill:#dbeafe,stroke:#1e3a8a"),
        NodeKind::Store => ("store", "fill:#dcfce7,stroke:#166534"),
        NodeKind::Route => ("route", "fill:#ede9fe,stroke:#5b21b6"),
        NodeKind::Secret => ("secret", "fill:#fef3c7,stroke:#92400e"),
        NodeKind::Pool => ("pool", "fill:#fae8ff,stroke:#86198f"),
        NodeKind::FlowRuns => ("flowruns", "fill:#e0f2fe,stroke:#075985"),
        NodeKind::Peer => ("peer", "fill:#ffffff,stroke:#475569,stroke-dasharray:4 3"),
    }
}

fn mermaid_edge_color(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Network => "#1d4ed8",
        EdgeKind::Routes => "#6d28d9",
        EdgeKind::Reads => "#b45309",
        EdgeKind::Polls => "#a21caf",
        EdgeKind::Creates => "#0369a1",
    }
}

fn mermaid_arrow(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Network | EdgeKind::Routes => "-->",
        EdgeKind::Reads | EdgeKind::Polls => "-.->",
        EdgeKind::Creates => "==>",
    }
}

pub fn mermaid(graph: &Graph) -> String {
    let index: HashMap<&str, usize> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .rev() // the first node of an id, as a search from the front finds it
        .collect();
    let id_of = |id: &str| {
        index
            .get(id)
            .map_or_else(|| "missing".to_string(), |i| format!("n{i}"))
    };
    let mut out = String::from("flowchart LR\n");
    let mut title = vec![graph.title.clone()];
    title.extend(graph.notes.iter().cloned());
    out.push_str(&format!("  %% {}\n", title.join(" / ")));
    for (i, (group, nodes)) in grouped(graph).into_iter().enumerate() {
        let indent = if group.is_some() { "    " } else { "  " };
        if let Some(group) = group {
            out.push_str(&format!(
                "  subgraph g{i}[\"{}\"]\n",
                mermaid_text(&[group.to_string()])
            ));
        }
        for node in nodes {
            out.push_str(&format!(
                "{indent}{}{}\n",
                id_of(&node.id),
                mermaid_shape(node.kind, &mermaid_text(&node.label))
            ));
        }
        if group.is_some() {
            out.push_str("  end\n");
        }
    }
    for edge in &graph.edges {
        let label = if edge.label.is_empty() {
            String::new()
        } else {
            format!("|\"{}\"|", mermaid_text(std::slice::from_ref(&edge.label)))
        };
        out.push_str(&format!(
            "  {} {}{label} {}\n",
            id_of(&edge.from),
            mermaid_arrow(edge.kind),
            id_of(&edge.to)
        ));
    }
    // Colours as in the DOT drawing: a class per node kind, a link style
    // per edge kind (links are numbered in the order they were written).
    let mut kinds: Vec<NodeKind> = graph.nodes.iter().map(|n| n.kind).collect();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        let (class, style) = mermaid_node_class(kind);
        let members: Vec<String> = graph
            .nodes
            .iter()
            .filter(|n| n.kind == kind)
            .map(|n| id_of(&n.id))
            .collect();
        out.push_str(&format!("  classDef {class} {style}\n"));
        out.push_str(&format!("  class {} {class}\n", members.join(",")));
    }
    let mut edge_kinds: Vec<EdgeKind> = graph.edges.iter().map(|e| e.kind).collect();
    edge_kinds.sort();
    edge_kinds.dedup();
    for kind in edge_kinds {
        let links: Vec<String> = graph
            .edges
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == kind)
            .map(|(i, _)| i.to_string())
            .collect();
        out.push_str(&format!(
            "  linkStyle {} stroke:{}\n",
            links.join(","),
            mermaid_edge_color(kind)
        ));
    }
    out
}
