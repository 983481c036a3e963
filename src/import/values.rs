//! The values tree: every node knows where it was written (`None`: the
//! chart's defaults), and trees merge as Helm merges values files.

use crate::map::HashMap;
use crate::source::Span;

/// A value of a values file.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    /// A number that is not an integer, as written.
    Float(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A map entry: the key, where the key was written, the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    /// `None` for a chart default.
    pub key_span: Option<Span>,
    pub node: Node,
}

/// A value with where it was written; `span` is `None` for a chart default.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Option<Span>,
}

impl Value {
    /// A plain (unquoted) scalar typed by the YAML core schema, as Helm
    /// reads it: `true`/`false`, `null`/`~`/empty, integers, floats; the rest
    /// is a string.
    pub fn plain(text: &str) -> Value {
        match text {
            "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
            "true" | "True" | "TRUE" => return Value::Bool(true),
            "false" | "False" | "FALSE" => return Value::Bool(false),
            _ => {}
        }
        if let Ok(i) = text.parse::<i64>() {
            return Value::Int(i);
        }
        let numeric = text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
        if numeric && text.bytes().any(|b| b.is_ascii_digit()) && text.parse::<f64>().is_ok() {
            return Value::Float(text.to_string());
        }
        Value::Str(text.to_string())
    }

    /// The value's kind, for messages: "a string", "a map".
    pub fn what(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a map",
        }
    }
}

impl Node {
    pub fn new(value: Value, span: Option<Span>) -> Node {
        Node { value, span }
    }

    /// Whether the user wrote this value (not a chart default).
    pub fn is_user(&self) -> bool {
        self.span.is_some()
    }

    /// The nodes in this tree.
    pub fn count(&self) -> usize {
        1 + match &self.value {
            Value::Seq(items) => items.iter().map(Node::count).sum(),
            Value::Map(entries) => entries.iter().map(|e| e.node.count()).sum(),
            _ => 0,
        }
    }

    /// A copy whose every position is `span` (an alias's copy of its anchor).
    pub fn relocated(&self, span: Span) -> Node {
        let value = match &self.value {
            Value::Seq(items) => Value::Seq(items.iter().map(|n| n.relocated(span)).collect()),
            Value::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|e| Entry {
                        key: e.key.clone(),
                        key_span: Some(span),
                        node: e.node.relocated(span),
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        Node::new(value, Some(span))
    }

    /// The entry `key` of a map.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// The node at a dotted path (`server.basicAuth.enabled`).
    pub fn at(&self, path: &str) -> Option<&Node> {
        path.split('.')
            .try_fold(self, |node, key| node.entry(key).map(|e| &e.node))
    }

    /// The entry at a dotted path.
    pub fn entry_at(&self, path: &str) -> Option<&Entry> {
        let (parent, key) = match path.rsplit_once('.') {
            Some((parent, key)) => (self.at(parent)?, key),
            None => (self, path),
        };
        parent.entry(key)
    }
}

/// How a `null` in the later tree acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nulls {
    /// Kept as a value (a later `-f` file over an earlier one: the `null`
    /// must still delete the chart's default afterwards).
    Keep,
    /// Deletes the key (the user's values over the chart's).
    Delete,
}

/// The text of a scalar (numbers and booleans as written).
pub fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) | Value::Float(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Seq(_) | Value::Map(_) => None,
    }
}

/// Merges `over` into `base` as Helm merges values: maps merge key by key,
/// anything else (lists, scalars, a map over a scalar) replaces, and a
/// `null` deletes the key or is kept, as `nulls` says.
pub fn merge(base: &mut Node, over: Node, nulls: Nulls) {
    let Value::Map(over_entries) = over.value else {
        *base = over;
        return;
    };
    let Value::Map(base_entries) = &mut base.value else {
        *base = Node::new(Value::Map(over_entries), over.span);
        return;
    };
    // Each key's place, found once (a values file of thousands of keys is
    // merged in one pass); deleted entries are dropped at the end.
    let mut at: HashMap<String, usize> = HashMap::default();
    for (i, e) in base_entries.iter().enumerate() {
        at.entry(e.key.clone()).or_insert(i);
    }
    let mut deleted = vec![false; base_entries.len()];
    for entry in over_entries {
        let existing = at.get(&entry.key).copied();
        match (existing, &entry.node.value) {
            (Some(i), Value::Null) if nulls == Nulls::Delete => {
                deleted[i] = true;
                at.remove(&entry.key);
            }
            (Some(i), Value::Map(_)) if matches!(base_entries[i].node.value, Value::Map(_)) => {
                base_entries[i].key_span = entry.key_span;
                merge(&mut base_entries[i].node, entry.node, nulls);
            }
            (Some(i), _) => base_entries[i] = entry,
            (None, Value::Null) if nulls == Nulls::Delete => {}
            (None, _) => {
                at.insert(entry.key.clone(), base_entries.len());
                base_entries.push(entry);
                deleted.push(false);
            }
        }
    }
    if deleted.contains(&true) {
        let mut gone = deleted.into_iter();
        base_entries.retain(|_| !gone.next().unwrap_or(false));
    }
}

/// `items` where a later item of a key replaces an earlier one and takes
/// its place at the end, as Helm merges a list of `name`d entries or a map
/// with a repeated key: what a `retain` and a `push` per item do, in one
/// pass.
pub fn last_wins<T>(items: Vec<T>, key: impl Fn(&T) -> &str) -> Vec<T> {
    let mut last: HashMap<&str, usize> = HashMap::default();
    for (i, item) in items.iter().enumerate() {
        last.insert(key(item), i);
    }
    let keep: Vec<bool> = items
        .iter()
        .enumerate()
        .map(|(i, item)| last.get(key(item)) == Some(&i))
        .collect();
    drop(last);
    items
        .into_iter()
        .zip(keep)
        .filter_map(|(item, keep)| keep.then_some(item))
        .collect()
}

/// Every value the user wrote, as `(dotted path, key span, node)`: the
/// leaves (scalars, lists, empty maps) of the tree whose node came from a
/// user file or `--set`.
pub fn user_leaves(root: &Node) -> Vec<(String, Span, &Node)> {
    let mut out = Vec::new();
    let mut todo: Vec<(String, &Node)> = vec![(String::new(), root)];
    while let Some((path, node)) = todo.pop() {
        let Value::Map(entries) = &node.value else {
            continue;
        };
        for e in entries.iter().rev() {
            let p = if path.is_empty() {
                e.key.clone()
            } else {
                format!("{path}.{}", e.key)
            };
            match &e.node.value {
                Value::Map(inner) if !inner.is_empty() => todo.push((p, &e.node)),
                _ => {
                    if let (Some(span), true) = (e.key_span, e.node.is_user()) {
                        out.push((p, span, &e.node));
                    }
                }
            }
        }
    }
    out
}

/// The tree as chart defaults: no positions.
pub fn as_defaults(node: Node) -> Node {
    let value = match node.value {
        Value::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|e| Entry {
                    key: e.key,
                    key_span: None,
                    node: as_defaults(e.node),
                })
                .collect(),
        ),
        Value::Seq(items) => Value::Seq(items.into_iter().map(as_defaults).collect()),
        other => other,
    };
    Node::new(value, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::yaml::parse;
    use crate::source::FileId;

    fn doc(file: u32, text: &str) -> Node {
        parse(FileId(file), text).expect("valid YAML")
    }

    #[test]
    fn later_files_win_and_maps_merge() {
        let mut base = doc(0, "a:\n  b: 1\n  c: 2\nl: [1, 2]\n");
        merge(&mut base, doc(1, "a:\n  c: 3\nl: [9]\n"), Nulls::Delete);
        assert_eq!(base.at("a.b").map(|n| &n.value), Some(&Value::Int(1)));
        assert_eq!(base.at("a.c").map(|n| &n.value), Some(&Value::Int(3)));
        let Some(Value::Seq(items)) = base.at("l").map(|n| &n.value) else {
            panic!("a list")
        };
        assert_eq!(items.len(), 1);
    }

    #[test]
    fn null_deletes_a_key() {
        let mut base = doc(0, "a:\n  b: 1\n  c: 2\n");
        merge(&mut base, doc(1, "a:\n  b: null\n"), Nulls::Delete);
        assert!(base.at("a.b").is_none());
        assert!(base.at("a.c").is_some());
    }

    #[test]
    fn plain_scalars_are_typed_and_quoted_ones_are_strings() {
        let d = doc(
            0,
            "a: true\nb: \"true\"\nc: 5432\nd: '5432'\ne: ~\nf: 1.5\ng: 3-latest\n",
        );
        assert_eq!(d.at("a").map(|n| &n.value), Some(&Value::Bool(true)));
        assert_eq!(
            d.at("b").map(|n| &n.value),
            Some(&Value::Str("true".into()))
        );
        assert_eq!(d.at("c").map(|n| &n.value), Some(&Value::Int(5432)));
        assert_eq!(
            d.at("d").map(|n| &n.value),
            Some(&Value::Str("5432".into()))
        );
        assert_eq!(d.at("e").map(|n| &n.value), Some(&Value::Null));
        assert_eq!(
            d.at("f").map(|n| &n.value),
            Some(&Value::Float("1.5".into()))
        );
        assert_eq!(
            d.at("g").map(|n| &n.value),
            Some(&Value::Str("3-latest".into()))
        );
    }

    #[test]
    fn user_leaves_are_the_written_values_only() {
        let mut base = doc(0, "a:\n  b: 1\n");
        base = Node {
            span: None,
            ..as_defaults(base)
        };
        merge(&mut base, doc(1, "a:\n  c: 2\n"), Nulls::Delete);
        let leaves: Vec<String> = user_leaves(&base).into_iter().map(|l| l.0).collect();
        assert_eq!(leaves, ["a.c"]);
    }

    /// The merge as it was written before the keys were indexed: a search
    /// of the base per key. The indexed one must agree with it.
    fn reference_merge(base: &mut Node, over: Node, nulls: Nulls) {
        let Value::Map(over_entries) = over.value else {
            *base = over;
            return;
        };
        let Value::Map(base_entries) = &mut base.value else {
            *base = Node::new(Value::Map(over_entries), over.span);
            return;
        };
        for entry in over_entries {
            let existing = base_entries.iter().position(|e| e.key == entry.key);
            match (existing, &entry.node.value) {
                (Some(i), Value::Null) if nulls == Nulls::Delete => {
                    base_entries.remove(i);
                }
                (Some(i), Value::Map(_)) if matches!(base_entries[i].node.value, Value::Map(_)) => {
                    base_entries[i].key_span = entry.key_span;
                    reference_merge(&mut base_entries[i].node, entry.node, nulls);
                }
                (Some(i), _) => base_entries[i] = entry,
                (None, Value::Null) if nulls == Nulls::Delete => {}
                (None, _) => base_entries.push(entry),
            }
        }
    }

    /// A small deterministic generator (an LCG), so that the cases are the
    /// same on every run.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, below: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % below
        }
    }

    /// A map of up to six keys from a four-letter alphabet (so keys repeat
    /// across maps), with nulls, scalars and nested maps.
    fn random_map(rng: &mut Lcg, depth: u32) -> Node {
        let entries = (0..rng.next(7))
            .map(|i| {
                let value = match rng.next(4) {
                    0 => Value::Null,
                    1 if depth > 0 => random_map(rng, depth - 1).value,
                    _ => Value::Int(i64::try_from(i).unwrap_or_default()),
                };
                let key = ["a", "b", "c", "d"][usize::try_from(rng.next(4)).unwrap_or_default()];
                Entry {
                    key: key.to_string(),
                    key_span: None,
                    node: Node::new(value, None),
                }
            })
            .collect();
        // The maps a values file reads have each key once.
        Node::new(Value::Map(last_wins(entries, |e| &e.key)), None)
    }

    #[test]
    fn the_indexed_merge_is_the_searching_one() {
        let mut rng = Lcg(17);
        for case in 0..2_000 {
            let base = random_map(&mut rng, 2);
            let over = random_map(&mut rng, 2);
            for nulls in [Nulls::Keep, Nulls::Delete] {
                let (mut got, mut want) = (base.clone(), base.clone());
                merge(&mut got, over.clone(), nulls);
                reference_merge(&mut want, over.clone(), nulls);
                assert_eq!(got, want, "case {case}: {base:?} + {over:?} ({nulls:?})");
            }
        }
    }

    #[test]
    fn last_wins_is_a_retain_and_a_push_per_item() {
        let mut rng = Lcg(5);
        for _ in 0..2_000 {
            let items: Vec<(String, u64)> = (0..rng.next(9))
                .map(|i| {
                    (
                        ["x", "y", "z"][usize::try_from(rng.next(3)).unwrap_or_default()]
                            .to_string(),
                        i,
                    )
                })
                .collect();
            let mut want: Vec<(String, u64)> = Vec::new();
            for (k, v) in items.clone() {
                want.retain(|(n, _)| *n != k);
                want.push((k, v));
            }
            assert_eq!(last_wins(items.clone(), |(k, _)| k), want, "{items:?}");
        }
    }

    #[test]
    fn a_repeated_key_wins_and_moves_to_the_end() {
        let d = doc(0, "a: 1\nb: 2\na: 3\n");
        let Value::Map(entries) = &d.value else {
            panic!("a map")
        };
        let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["b", "a"]);
        assert_eq!(d.at("a").map(|n| &n.value), Some(&Value::Int(3)));
    }
}
