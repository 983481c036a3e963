//! Error recovery: cutting a broken file at declaration boundaries, and
//! finding the delimiter that was never closed.

use std::ops::Range;

use super::error::SyntaxError;
use crate::source::{FileId, Span};

const DECL_KEYWORDS: &[&str] = &[
    "import",
    "param",
    "let",
    "for",
    "template",
    "schema",
    "component",
    "enum",
    "union",
];

/// Cuts `text` before every line that starts, in column 0, with something
/// that looks like a declaration: a keyword, an attribute, or `kind name`.
/// Fields inside blocks are `name =` or `name {`, so they do not match.
pub fn chunks(text: &str) -> Vec<Range<usize>> {
    let mut starts = vec![0];
    let mut offset = 0;
    // An attribute line belongs to the declaration below it.
    let mut after_attribute = false;
    for line in text.split_inclusive('\n') {
        if offset > 0 && starts_declaration(line) && !after_attribute {
            starts.push(offset);
        }
        if !line.trim().is_empty() {
            after_attribute = line.starts_with('@');
        }
        offset += line.len();
    }
    starts.push(text.len());
    starts.windows(2).map(|w| w[0]..w[1]).collect()
}

/// Whether a line (starting in column 0) looks like the start of a
/// declaration; the language server reads broken text the same way.
pub fn starts_declaration(line: &str) -> bool {
    if line.starts_with('@') {
        return true;
    }
    let word_end = line
        .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'))
        .unwrap_or(line.len());
    if word_end == 0 {
        return false;
    }
    if DECL_KEYWORDS.contains(&&line[..word_end]) {
        return true;
    }
    let rest = line[word_end..].trim_start_matches([' ', '\t']);
    rest.len() < line.len() - word_end
        && rest
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_' || c == '"')
}

/// Finds an unclosed or mismatched delimiter (or an unterminated string) in
/// `range`, skipping strings and comments.
pub fn unbalanced(file: FileId, text: &str, range: Range<usize>) -> Option<SyntaxError> {
    let bytes = text.as_bytes();
    let mut stack: Vec<(u8, usize)> = Vec::new();
    let mut i = range.start;
    while i < range.end {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < range.end && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..range.end]
                    .find("*/")
                    .map(|e| i + 2 + e + 1)
                    .unwrap_or(range.end);
            }
            b'"' => match skip_string(text, i, range.end) {
                Some(end) => i = end,
                None => {
                    return Some(SyntaxError::UnterminatedString {
                        span: Span::new(file, i, i + 1),
                    });
                }
            },
            open @ (b'{' | b'[' | b'(') => stack.push((open, i)),
            close @ (b'}' | b']' | b')') => match stack.pop() {
                Some((open, _)) if closer(open) == close => {}
                Some((open, at)) => {
                    return Some(SyntaxError::MismatchedCloser {
                        span: Span::new(file, i, i + 1),
                        found: close as char,
                        expected: closer(open) as char,
                        opened: Span::new(file, at, at + 1),
                    });
                }
                None => {
                    return Some(SyntaxError::UnexpectedCloser {
                        span: Span::new(file, i, i + 1),
                        found: close as char,
                    });
                }
            },
            _ => {}
        }
        i += 1;
    }
    let (open, at) = stack.pop()?;
    let end = text[..range.end].trim_end().len();
    Some(SyntaxError::Unclosed {
        span: Span::new(file, at, at + 1),
        open: open as char,
        close: closer(open) as char,
        expected_by: (end > at + 1).then(|| Span::new(file, end, end)),
    })
}

fn closer(open: u8) -> u8 {
    match open {
        b'{' => b'}',
        b'[' => b']',
        _ => b')',
    }
}

/// The index of the closing quote of the string starting at `start`, or
/// `None` if it is not closed.
fn skip_string(text: &str, start: usize, end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if text[start..end].starts_with("\"\"\"") {
        return text[start + 3..end]
            .find("\"\"\"")
            .map(|e| start + 3 + e + 2);
    }
    let mut i = start + 1;
    while i < end {
        match bytes[i] {
            b'\\' => i += 1,
            b'"' => return Some(i),
            b'\n' => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::IntoDiagnostic;

    #[test]
    fn cuts_before_declarations_only() {
        let text = "site a {\n  x = 1\n}\nworker b {\nfoo = 1\n}\n@allow(\"x\")\nexporter e {}\n";
        let c = chunks(text);
        assert_eq!(c.len(), 3);
        assert!(text[c[1].clone()].starts_with("worker b"));
        assert!(text[c[2].clone()].starts_with("@allow"));
    }

    #[test]
    fn finds_the_unclosed_brace() {
        let text = "server p {\n  db = sqlite {}\n\n";
        let d = unbalanced(FileId(0), text, 0..text.len())
            .expect("unbalanced")
            .into_diagnostic();
        assert_eq!(d.primary.span.start, 9);
    }
}
