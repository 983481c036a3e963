//! Comments are silent in the grammar, so the parse tree does not hold them.
//! They are found instead in the gaps between the tree's leaf tokens: a gap
//! holds only whitespace, punctuation the grammar matches literally (`{`,
//! `,`, `Ref<`) and comments — never a string, since strings are leaves.

use pest::iterators::Pair;

use crate::syntax::Rule;

/// A `// line` or `/* block */` comment as written (a line comment without
/// the end of its line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub is_line: bool,
}

/// Tokens whose text is printed exactly as written: no comment hides inside.
/// An empty block or list has no children but is not a token.
pub fn is_leaf(p: &Pair<'_, Rule>) -> bool {
    match p.as_rule() {
        Rule::dq_str | Rule::triple_str | Rule::path | Rule::quantity | Rule::number => true,
        Rule::block | Rule::list => false,
        _ => p.clone().into_inner().next().is_none(),
    }
}

/// The byte range of a leaf token. `+` and `!` are matched with a lookahead
/// (`"+" ~ !"="`) whose implicit whitespace and comments end up inside their
/// span: the token itself is its first character.
pub fn leaf_range(p: &Pair<'_, Rule>) -> (usize, usize) {
    let s = p.as_span();
    match p.as_rule() {
        Rule::add_op | Rule::prefix => (s.start(), (s.start() + 1).min(s.end())),
        _ => (s.start(), s.end()),
    }
}

/// The byte ranges of the leaf tokens under `pairs`, in source order.
pub fn leaves<'i>(pair: Pair<'i, Rule>, out: &mut Vec<(usize, usize)>) {
    if is_leaf(&pair) {
        let (start, end) = leaf_range(&pair);
        if end > start {
            out.push((start, end));
        }
        return;
    }
    for c in pair.into_inner() {
        leaves(c, out);
    }
}

/// Every comment of `text`, given the leaf tokens of its parse tree.
pub fn collect(text: &str, leaves: &[(usize, usize)]) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut from = 0;
    for &(start, end) in leaves {
        scan_gap(text, from, start.max(from), &mut out);
        from = from.max(end);
    }
    scan_gap(text, from, text.len(), &mut out);
    out
}

fn scan_gap(text: &str, start: usize, end: usize, out: &mut Vec<Comment>) {
    let bytes = text.as_bytes();
    let mut i = start;
    while i + 1 < end {
        if bytes[i] == b'/' && bytes[i + 1] == b'/' {
            let stop = text[i..end].find('\n').map_or(end, |n| i + n);
            out.push(Comment {
                start: i,
                end: stop,
                text: text[i..stop].trim_end().to_string(),
                is_line: true,
            });
            i = stop;
        } else if bytes[i] == b'/' && bytes[i + 1] == b'*' {
            let stop = text[i + 2..end].find("*/").map_or(end, |n| i + 2 + n + 2);
            out.push(Comment {
                start: i,
                end: stop,
                text: text[i..stop].to_string(),
                is_line: false,
            });
            i = stop;
        } else {
            i += 1;
        }
    }
}

/// Whether there is a blank line (one holding only whitespace) in `gap`.
pub fn has_blank_line(gap: &str) -> bool {
    let mut lines = gap.split('\n');
    lines.next();
    let mut inner: Vec<&str> = lines.collect();
    inner.pop();
    inner.iter().any(|l| l.trim().is_empty())
}

/// Where `token` starts after `from`, skipping whitespace and comments; or
/// `None` when something else comes first.
pub fn find_token(text: &str, from: usize, token: &str) -> Option<usize> {
    let mut i = from;
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with(token) {
            return Some(i);
        } else if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if let Some(body) = rest.strip_prefix("/*") {
            i += body.find("*/").map_or(rest.len(), |n| n + 4);
        } else if let Some(c) = rest.chars().next().filter(|c| c.is_whitespace()) {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_are_lines_of_whitespace() {
        assert!(!has_blank_line(" \n  "));
        assert!(has_blank_line("x\n  \n  "));
        assert!(!has_blank_line("\n,\n"));
    }

    #[test]
    fn finds_punctuation_after_comments() {
        let text = "f /* a */ // b\n (";
        assert_eq!(find_token(text, 1, "("), Some(text.len() - 1));
        assert_eq!(find_token("f x (", 1, "("), None);
    }
}
