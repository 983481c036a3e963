//! `--set` in Helm's syntax (its `strvals`): `a.b=c`, `list[0]=x`,
//! `list[1].name=y`, several pairs separated by commas, `a={x,y}` for a list,
//! `\,` `\.` `\=` `\[` `\\` to escape; `true`, `false`, `null` and integers
//! are typed, everything else is a string. The pairs are set into the
//! user's merged `-f` values, as Helm does: an index changes an existing
//! list in place.

use super::values::{Entry, Node, Value};
use super::yaml::YamlError;
use crate::source::{FileId, Span};

/// The highest list index `--set` may write (Helm refuses large ones too).
pub const MAX_INDEX: usize = 10_000;

/// The most keys and indexes one `--set` key may have (as a values file's
/// nesting limit).
pub const MAX_SEGMENTS: usize = super::yaml::MAX_DEPTH;

/// One part of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Applies one `--set` argument, written at byte `offset` of `file` (the
/// `<--set>` text of all arguments), to `root`. Every valid pair is set;
/// each invalid one is an error, with the span of its value (which the
/// caller masks: it may be a credential).
pub fn apply(root: &mut Node, file: FileId, offset: usize, arg: &str) -> Vec<(YamlError, Span)> {
    let at = |start: usize, end: usize| Span::new(file, offset + start, offset + end.max(start));
    let mut errors = Vec::new();
    for (start, pair) in split_unescaped(arg, ',', true) {
        let whole = at(start, start + pair.len());
        let Some((eq, _)) = split_unescaped(pair, '=', false).nth(1) else {
            let message = "a pair without `=`: not KEY=VALUE".to_string();
            errors.push((
                YamlError {
                    span: whole,
                    message,
                },
                // No value to mask: the pair is shown, as the key it should be.
                at(start, start),
            ));
            continue;
        };
        let key = &pair[..eq - 1];
        let key_span = at(start, start + key.len());
        let value_span = at(start + eq, start + pair.len());
        let value = parse_value(&pair[eq..], value_span);
        let done = parse_key(key).and_then(|path| set(root, &path, value, key_span));
        if let Err(message) = done {
            errors.push((
                YamlError {
                    span: key_span,
                    message,
                },
                value_span,
            ));
        }
    }
    errors
}

/// Splits at unescaped `sep`, yielding `(byte offset, part)`; with
/// `braces`, separators inside `{…}` do not split.
fn split_unescaped(text: &str, sep: char, braces: bool) -> impl Iterator<Item = (usize, &str)> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '{' if braces => depth += 1,
            '}' if braces => depth = depth.saturating_sub(1),
            c if c == sep && depth == 0 => {
                parts.push((start, &text[start..i]));
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push((start, &text[start..]));
    parts.into_iter()
}

/// The text with its backslash escapes removed.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn parse_key(key: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    for (_, part) in split_unescaped(key, '.', false) {
        let (name, mut rest) = match part.find('[') {
            Some(i) if !part[..i].ends_with('\\') => (&part[..i], &part[i..]),
            _ => (part, ""),
        };
        let name = unescape(name);
        if name.is_empty() {
            return Err(format!("`{key}` has an empty key"));
        }
        out.push(Segment::Key(name));
        while let Some(inner) = rest.strip_prefix('[') {
            let close = inner
                .find(']')
                .ok_or_else(|| format!("`{key}`: `[` without `]`"))?;
            let index: usize = inner[..close]
                .parse()
                .map_err(|_| format!("`{key}`: `{}` is not a list index", &inner[..close]))?;
            if index > MAX_INDEX {
                return Err(format!("`{key}`: index {index} is above {MAX_INDEX}"));
            }
            out.push(Segment::Index(index));
            rest = &inner[close + 1..];
        }
        if !rest.is_empty() {
            return Err(format!("`{key}`: unexpected `{rest}` after an index"));
        }
        if out.len() > MAX_SEGMENTS {
            return Err(format!(
                "`{key}` is nested deeper than {MAX_SEGMENTS} levels"
            ));
        }
    }
    Ok(out)
}

/// A value: `{a,b}` is a list, else a typed scalar.
fn parse_value(raw: &str, span: Span) -> Node {
    if let Some(inner) = raw.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        let items = if inner.is_empty() {
            Vec::new()
        } else {
            split_unescaped(inner, ',', false)
                .map(|(_, item)| Node::new(typed(item), Some(span)))
                .collect()
        };
        return Node::new(Value::Seq(items), Some(span));
    }
    Node::new(typed(raw), Some(span))
}

/// Helm's typing of `--set` values: booleans, `null` and integers (without
/// a leading zero); the rest is a string.
fn typed(raw: &str) -> Value {
    match raw {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        _ => {
            let digits = raw.strip_prefix('-').unwrap_or(raw);
            let leading_zero = digits.len() > 1 && digits.starts_with('0');
            match raw.parse::<i64>() {
                Ok(i) if !leading_zero => Value::Int(i),
                _ => Value::Str(unescape(raw)),
            }
        }
    }
}

/// Sets `value` at `path` in `node`, making maps and lists on the way.
fn set(node: &mut Node, path: &[Segment], value: Node, key_span: Span) -> Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        *node = value;
        return Ok(());
    };
    match first {
        Segment::Key(key) => {
            if !matches!(node.value, Value::Map(_)) {
                *node = Node::new(Value::Map(Vec::new()), Some(key_span));
            }
            let Value::Map(entries) = &mut node.value else {
                return Err("not a map".into());
            };
            let i = match entries.iter().position(|e| &e.key == key) {
                Some(i) => i,
                None => {
                    entries.push(Entry {
                        key: key.clone(),
                        key_span: Some(key_span),
                        node: Node::new(Value::Null, Some(key_span)),
                    });
                    entries.len() - 1
                }
            };
            entries[i].key_span = Some(key_span);
            set(&mut entries[i].node, rest, value, key_span)
        }
        Segment::Index(index) => {
            if !matches!(node.value, Value::Seq(_)) {
                *node = Node::new(Value::Seq(Vec::new()), Some(key_span));
            }
            let Value::Seq(items) = &mut node.value else {
                return Err("not a list".into());
            };
            while items.len() <= *index {
                items.push(Node::new(Value::Null, Some(key_span)));
            }
            set(&mut items[*index], rest, value, key_span)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Node {
        let mut root = Node::new(Value::Map(Vec::new()), None);
        for a in args {
            assert!(apply(&mut root, FileId(9), 0, a).is_empty(), "{a}");
        }
        root
    }

    fn value<'a>(root: &'a Node, path: &str) -> Option<&'a Value> {
        root.at(path).map(|n| &n.value)
    }

    #[test]
    fn dotted_keys_and_comma_separated_pairs() {
        let root = run(&["a.b=c,d=1,e=true,f=null,g=007"]);
        assert_eq!(value(&root, "a.b"), Some(&Value::Str("c".into())));
        assert_eq!(value(&root, "d"), Some(&Value::Int(1)));
        assert_eq!(value(&root, "e"), Some(&Value::Bool(true)));
        assert_eq!(value(&root, "f"), Some(&Value::Null));
        assert_eq!(value(&root, "g"), Some(&Value::Str("007".into())));
    }

    #[test]
    fn escapes_keep_commas_and_dots() {
        let root = run(&[r"a=x\,y", r"labels.app\.kubernetes\.io/team=z"]);
        assert_eq!(value(&root, "a"), Some(&Value::Str("x,y".into())));
        let labels = root.at("labels").expect("labels");
        assert!(labels.entry("app.kubernetes.io/team").is_some());
    }

    #[test]
    fn lists_by_index_and_by_braces() {
        let root = run(&["q[1]=b", "q[0]=a", "l={x,y}", "e[0].name=N,e[0].value=V"]);
        let Some(Value::Seq(q)) = value(&root, "q") else {
            panic!("a list")
        };
        assert_eq!(q[0].value, Value::Str("a".into()));
        assert_eq!(q[1].value, Value::Str("b".into()));
        let Some(Value::Seq(l)) = value(&root, "l") else {
            panic!("a list")
        };
        assert_eq!(l.len(), 2);
        let Some(Value::Seq(e)) = value(&root, "e") else {
            panic!("a list")
        };
        assert_eq!(
            e[0].at("value").map(|n| &n.value),
            Some(&Value::Str("V".into()))
        );
    }

    #[test]
    fn malformed_pairs_are_errors_not_panics() {
        let mut root = Node::new(Value::Map(Vec::new()), None);
        let deep = format!("{}=1", vec!["a"; 100_000].join("."));
        let many = format!("a{}=1", "[0]".repeat(100_000));
        for bad in [
            "novalue",
            "a[=1",
            "a[x]=1",
            "a[99999999]=1",
            "=1",
            "a..b=1",
            &deep,
            &many,
        ] {
            assert!(!apply(&mut root, FileId(0), 0, bad).is_empty(), "{bad:.20}");
        }
    }
}
