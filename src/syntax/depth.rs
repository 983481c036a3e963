//! The nesting limit of the source, checked in one linear pass before pest
//! runs: pest's parser, the AST builder, the evaluator and the formatter all
//! recurse once per level, so text nested deeper than
//! [`MAX_DEPTH`](crate::limits::MAX_DEPTH) is refused here (E0106) and never
//! reaches them.
//!
//! A level is an open `{`, `[` or `(` (outside strings and comments), an open
//! `${` inside a string, a `!` prefix (until its operand), and an `else if`
//! arm (until its chain ends: a `}` not followed by `else`). The counting
//! does not need the text to be well-formed: unbalanced closers are ignored,
//! and the parser reports them afterwards.

use super::error::SyntaxError;
use crate::limits::{MAX_DEPTH, MAX_TOKENS};

/// What [`first_too_deep`] returns for a file with too many tokens.
const TOKEN: &str = "token";
use crate::source::{FileId, Span};

/// One open bracket or interpolation.
struct Frame {
    /// The nesting level inside it.
    depth: usize,
    /// `${…}` in a string: its `}` goes back into the string (`"""` or not).
    interpolation: Option<bool>,
    /// Consecutive `else if` arms of a chain directly inside this frame.
    else_ifs: usize,
}

/// The E0106 error for the first construct of `text[range]` nested
/// deeper than the limit, if any (spans are offsets in `text`); or E0313
/// when the text has more than [`MAX_TOKENS`] tokens, which no stage after
/// this one would handle within its time and memory.
pub fn too_deep(file: FileId, text: &str, range: std::ops::Range<usize>) -> Option<SyntaxError> {
    let at = first_too_deep(&text.as_bytes()[range.clone()])?;
    let (start, len, what) = at;
    let start = range.start + start;
    let span = Span::new(file, start, start + len);
    Some(if what == TOKEN {
        SyntaxError::TooManyTokens { span }
    } else {
        SyntaxError::NestingTooDeep { span, what }
    })
}

/// The offset, length and description of the first token that crosses a
/// limit.
fn first_too_deep(b: &[u8]) -> Option<(usize, usize, &'static str)> {
    // The file itself is the outermost frame, never closed.
    let mut stack: Vec<Frame> = vec![Frame {
        depth: 0,
        interpolation: None,
        else_ifs: 0,
    }];
    // Inside a string: `Some(triple)`.
    let mut string: Option<bool> = None;
    let mut bangs = 0usize;
    let mut after_else = false;
    // A `}` closed a frame: the next token decides whether an `else if`
    // chain goes on.
    let mut closed_brace = false;
    let mut tokens = 0usize;
    let mut i = 0;
    let depth = |stack: &[Frame]| stack.last().map(|f| f.depth + f.else_ifs).unwrap_or(0);
    while i < b.len() {
        let c = b[i];
        if let Some(triple) = string {
            match c {
                b'\\' => i += 1,
                b'$' if b.get(i + 1) == Some(&b'{') => {
                    let d = depth(&stack) + 1;
                    if d > MAX_DEPTH {
                        return Some((i, 2, "interpolation"));
                    }
                    stack.push(Frame {
                        depth: d,
                        interpolation: Some(triple),
                        else_ifs: 0,
                    });
                    string = None;
                    i += 1;
                }
                b'"' if !triple => string = None,
                b'"' if b[i..].starts_with(b"\"\"\"") => {
                    string = None;
                    i += 2;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if b[i..].starts_with(b"/*") {
            i += 2;
            while i < b.len() && !b[i..].starts_with(b"*/") {
                i += 1;
            }
            i += 2;
            continue;
        }
        // A significant token: it may end an `else if` chain.
        tokens += 1;
        if tokens > MAX_TOKENS {
            return Some((i, 1, TOKEN));
        }
        let word_len = b[i..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'-')
            .count();
        let word = &b[i..i + word_len];
        if closed_brace {
            closed_brace = false;
            if word != b"else"
                && let Some(f) = stack.last_mut()
            {
                f.else_ifs = 0;
            }
        }
        if word_len > 0 {
            if word == b"if" && after_else {
                if let Some(f) = stack.last_mut() {
                    f.else_ifs += 1;
                }
                if depth(&stack) > MAX_DEPTH {
                    return Some((i, 2, "`else if`"));
                }
            }
            after_else = word == b"else";
            bangs = 0;
            i += word_len;
            continue;
        }
        after_else = false;
        match c {
            b'!' if b.get(i + 1) != Some(&b'=') => {
                bangs += 1;
                if depth(&stack) + bangs > MAX_DEPTH {
                    return Some((i, 1, "`!`"));
                }
            }
            b'{' | b'[' | b'(' => {
                let d = depth(&stack) + bangs + 1;
                if d > MAX_DEPTH {
                    return Some((i, 1, "bracket"));
                }
                stack.push(Frame {
                    depth: d,
                    interpolation: None,
                    else_ifs: 0,
                });
                bangs = 0;
            }
            b'}' | b']' | b')' => {
                if stack.len() > 1 {
                    let f = stack.pop().expect("more than the file's frame");
                    string = f.interpolation;
                    closed_brace = c == b'}' && string.is_none();
                }
                bangs = 0;
            }
            b'"' => {
                let triple = b[i..].starts_with(b"\"\"\"");
                string = Some(triple);
                if triple {
                    i += 2;
                }
                bangs = 0;
            }
            _ => bangs = 0,
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deep(text: &str) -> Option<&'static str> {
        first_too_deep(text.as_bytes()).map(|(_, _, what)| what)
    }

    #[test]
    fn counts_each_kind_of_nesting() {
        let n = MAX_DEPTH;
        let ok = format!("let a = {}1{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(deep(&ok), None);
        let lists = format!("let a = {}1{}", "[".repeat(n + 1), "]".repeat(n + 1));
        assert_eq!(deep(&lists), Some("bracket"));
        let interp = format!("let a = {}x{}", "\"${".repeat(n + 1), "}\"".repeat(n + 1));
        assert_eq!(deep(&interp), Some("interpolation"));
        let bangs = format!("let a = {}true", "!".repeat(n + 1));
        assert_eq!(deep(&bangs), Some("`!`"));
        let chain = |arms: usize| {
            let arms = " else if b { 2 }".repeat(arms);
            format!("let a = if a {{ 1 }}{arms} else {{ 3 }}")
        };
        assert_eq!(deep(&chain(n - 1)), None);
        // The block of the 128th arm is the 129th level.
        assert_eq!(deep(&chain(n)), Some("bracket"));
        assert_eq!(deep(&(chain(n + 1) + "}")), Some("bracket"));
        assert_eq!(deep(&"else if ".repeat(n + 1)), Some("`else if`"));
    }

    #[test]
    fn strings_comments_and_sequences_do_not_nest() {
        let n = MAX_DEPTH + 10;
        let s = format!(
            "let a = \"{}\" // {}\n/* {} */",
            "[".repeat(n),
            "(".repeat(n),
            "{".repeat(n)
        );
        assert_eq!(deep(&s), None);
        let seq = "[1] ".repeat(n) + &"!a != b ".repeat(n);
        assert_eq!(deep(&seq), None);
        // Separate if-expressions, each with one `else if`, do not add up.
        let ifs = "x = if a { 1 } else if b { 2 } else { 3 }\n".repeat(n);
        assert_eq!(deep(&format!("site s {{ {ifs} }}")), None);
    }
}
