//! Writing one scalar in the style serde_yaml would choose: plain, single-
//! or double-quoted, or a literal block; numbers as serde_yaml writes them.

use std::fmt::Write as _;

use serde_json::Number;

use super::pad;
use super::yaml11::{ambiguous, maybe_ambiguous};

pub(super) fn write_number(out: &mut String, n: &Number) {
    if let Some(i) = n.as_i64() {
        let _ = write!(out, "{i}");
    } else if let Some(u) = n.as_u64() {
        let _ = write!(out, "{u}");
    } else if let Some(f) = n.as_f64() {
        // Rare (no Kubernetes field here is a float): serde_yaml's own form.
        let text = serde_yaml::to_string(&f).unwrap_or_else(|_| f.to_string());
        out.push_str(text.trim_end());
    }
}

pub(super) fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

pub(super) fn is_printable(c: char) -> bool {
    matches!(c,
        '\n' | '\u{20}'..='\u{7E}' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
        && c != '\u{FEFF}'
}

/// The common case, decided without the full analysis: names, paths,
/// images, URLs and numbers, which are plain unless [`ambiguous`].
fn simple_plain(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter().all(|&c| {
            c.is_ascii_alphanumeric() || matches!(c, b'.' | b'/' | b'_' | b'-' | b':' | b'=')
        })
        && b[b.len() - 1] != b':'
        && s != "-"
        && !s.starts_with("---")
        && !s.starts_with("...")
}

/// What libyaml's scalar analysis allows for `s` in block context.
struct Allowed {
    plain: bool,
    single_quoted: bool,
    literal: bool,
    multiline: bool,
}

fn analyze(s: &str) -> Allowed {
    let blank = |c: Option<char>| c.is_none_or(|c| matches!(c, ' ' | '\t') || is_break(c));
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break) = (false, false);
    let (mut trailing_space, mut trailing_break) = (false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let mut chars = s.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        // Most characters of a long value (a base job template) are
        // printable ASCII that decides nothing: only the state they reset.
        if !first && c.is_ascii_graphic() && !matches!(c, ':' | '#') {
            (previous_space, previous_break) = (false, false);
            preceded_by_whitespace = false;
            continue;
        }
        let followed_by_whitespace = blank(chars.peek().copied());
        if first {
            if "#,[]{}&*!|>'\"%@`".contains(c) || (c == '-' && followed_by_whitespace) {
                block_indicators = true;
            }
            if matches!(c, '?' | ':') && followed_by_whitespace {
                block_indicators = true;
            }
        } else {
            if c == ':' && followed_by_whitespace {
                block_indicators = true;
            }
            if c == '#' && preceded_by_whitespace {
                block_indicators = true;
            }
        }
        if !is_printable(c) {
            special = true;
        }
        let last = chars.peek().is_none();
        if is_break(c) {
            line_breaks = true;
        }
        if c == ' ' {
            leading_space |= first;
            trailing_space |= last;
            break_space |= previous_break;
            (previous_space, previous_break) = (true, false);
        } else if is_break(c) {
            leading_break |= first;
            trailing_break |= last;
            space_break |= previous_space;
            (previous_space, previous_break) = (false, true);
        } else {
            (previous_space, previous_break) = (false, false);
        }
        preceded_by_whitespace = matches!(c, ' ' | '\t') || is_break(c);
        first = false;
    }
    let mut allowed = Allowed {
        plain: !(leading_space || leading_break || trailing_space || trailing_break),
        single_quoted: true,
        literal: !trailing_space,
        multiline: line_breaks,
    };
    if break_space {
        allowed.plain = false;
        allowed.single_quoted = false;
    }
    if space_break || special {
        allowed.plain = false;
        allowed.single_quoted = false;
        allowed.literal = false;
    }
    if line_breaks || block_indicators {
        allowed.plain = false;
    }
    allowed
}

/// A string scalar, in the style serde_yaml would choose. Literal blocks
/// continue at `indent`.
pub(super) fn write_scalar(out: &mut String, s: &str, indent: usize, key: bool) {
    if s.is_empty() {
        out.push_str("''");
        return;
    }
    if simple_plain(s) {
        if maybe_ambiguous(s) && ambiguous(s) {
            out.push('\'');
            out.push_str(s);
            out.push('\'');
        } else {
            out.push_str(s);
        }
        return;
    }
    let allowed = analyze(s);
    if s.contains('\n') {
        if allowed.literal && !key {
            write_literal(out, s, indent);
        } else {
            write_double_quoted(out, s);
        }
        return;
    }
    if key && allowed.multiline {
        write_double_quoted(out, s);
    } else if allowed.plain && !ambiguous(s) {
        out.push_str(s);
    } else if allowed.single_quoted && !allowed.multiline {
        out.push('\'');
        for c in s.chars() {
            if c == '\'' {
                out.push('\'');
            }
            out.push(c);
        }
        out.push('\'');
    } else {
        write_double_quoted(out, s);
    }
}

fn write_literal(out: &mut String, s: &str, indent: usize) {
    out.push('|');
    if s.starts_with([' ', '\n']) {
        out.push('2');
    }
    let chomp = if !s.ends_with('\n') {
        "-"
    } else if s == "\n" || s.ends_with("\n\n") {
        "+"
    } else {
        ""
    };
    out.push_str(chomp);
    out.push('\n');
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        if !line.is_empty() {
            pad(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
    // The caller ends the line; a literal block already did.
    out.pop();
}

fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\u{1b}' => out.push_str("\\e"),
            '\u{85}' => out.push_str("\\N"),
            '\u{a0}' => out.push_str("\\_"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if is_printable(c) => out.push(c),
            c if (c as u32) <= 0xFF => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c if (c as u32) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08X}", c as u32);
            }
        }
    }
    out.push('"');
}
