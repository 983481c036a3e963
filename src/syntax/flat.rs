//! A parse tree as plain data: how a piece of a large file parsed on
//! another thread comes back to the thread that builds its syntax tree.
//! pest's own tree shares its tokens through `Rc`, which cannot cross
//! threads; this one is a vector of nodes in the order pest gives them,
//! each with where the nodes after its own subtree start.

use pest::iterators::Pair;

use super::Rule;
use super::build::Tree;

/// One node: its rule, where it is in the parsed text, and the index of
/// the first node after its subtree (its children are the nodes between).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Flat {
    rule: Rule,
    start: u32,
    end: u32,
    next: u32,
}

/// The tree of a parsed text, its root the first node.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FlatTree {
    nodes: Vec<Flat>,
}

impl FlatTree {
    /// pest's tree of `root` and everything under it. The text is at most
    /// the 16 MiB a file may be (`limits`), so its offsets fit in `u32`.
    pub fn of(root: Pair<'_, Rule>) -> FlatTree {
        let mut nodes = Vec::new();
        push(root, &mut nodes);
        FlatTree { nodes }
    }

    /// The root, reading its text from `text`, the text that was parsed.
    pub fn root<'t>(&'t self, text: &'t str) -> Node<'t> {
        Node {
            nodes: &self.nodes,
            text,
            at: 0,
        }
    }
}

fn push(pair: Pair<'_, Rule>, nodes: &mut Vec<Flat>) {
    let at = nodes.len();
    let span = pair.as_span();
    nodes.push(Flat {
        rule: pair.as_rule(),
        start: offset(span.start()),
        end: offset(span.end()),
        next: 0,
    });
    for child in pair.into_inner() {
        push(child, nodes);
    }
    nodes[at].next = offset(nodes.len());
}

fn offset(n: usize) -> u32 {
    u32::try_from(n).expect("a file is at most 16 MiB, and has fewer nodes than bytes")
}

/// A node of a [`FlatTree`].
#[derive(Clone, Copy, Debug)]
pub struct Node<'t> {
    nodes: &'t [Flat],
    text: &'t str,
    at: usize,
}

impl<'t> Node<'t> {
    fn flat(&self) -> Flat {
        self.nodes[self.at]
    }
}

impl<'t> Tree<'t> for Node<'t> {
    type Inner = Children<'t>;
    fn as_rule(&self) -> Rule {
        self.flat().rule
    }
    fn as_str(&self) -> &'t str {
        let (start, end) = self.range();
        &self.text[start..end]
    }
    fn range(&self) -> (usize, usize) {
        let f = self.flat();
        (f.start as usize, f.end as usize)
    }
    fn into_inner(self) -> Children<'t> {
        Children {
            node: Node {
                at: self.at + 1,
                ..self
            },
            end: self.flat().next as usize,
        }
    }
}

/// The children of a [`Node`], in order.
pub struct Children<'t> {
    node: Node<'t>,
    end: usize,
}

impl<'t> Iterator for Children<'t> {
    type Item = Node<'t>;
    fn next(&mut self) -> Option<Node<'t>> {
        if self.node.at >= self.end {
            return None;
        }
        let child = self.node;
        self.node.at = child.flat().next as usize;
        Some(child)
    }
}

#[cfg(test)]
mod tests {
    use pest::Parser;

    use super::super::{PfkParser, Rule};
    use super::*;

    /// Every node of the flat tree is pest's node at the same place in a
    /// walk of both: rule, range, text and children.
    fn same<'i>(pair: Pair<'i, Rule>, node: Node<'_>) {
        assert_eq!(Tree::as_rule(&pair), node.as_rule());
        assert_eq!(Tree::range(&pair), node.range());
        assert_eq!(Tree::as_str(&pair), node.as_str());
        let pairs: Vec<_> = pair.into_inner().collect();
        let nodes: Vec<_> = node.into_inner().collect();
        assert_eq!(pairs.len(), nodes.len());
        for (p, n) in pairs.into_iter().zip(nodes) {
            same(p, n);
        }
    }

    #[test]
    fn a_flat_tree_reads_as_pests() {
        let text = r#"
/// A worker.
@allow("PFK-S001", reason = "x")
worker w {
  pool = if a == "b" { p } else { q },
  env = { "A" = "x${y.z}", B = """
    multi
  """ },
  resources { requests { cpu = 100m } }
  queues = [one, two(3), -4.5]
}
let x = !a && b || c.d + "e"
"#;
        let root = PfkParser::parse(Rule::file, text)
            .expect("parses")
            .next()
            .expect("the file rule");
        let flat = FlatTree::of(root.clone());
        same(root, flat.root(text));
    }
}
