//! Writing one scalar in the style serde_yaml would choose: plain, single-
//! or double-quoted, or a literal block; numbers as serde_yaml writes them.

use std::fmt::Write as _;

use serde_json::Number;

use super::pad;
use super::recent::Recent;
use super::yaml11::{ambiguous, maybe_ambiguous};

pub(super) fn write_number(out: &mut String, n: &Number) {
    // `itoa`, not `write!`: a worker's objects hold about 25 integers,
    // and `core::fmt` took over 200 instructions for each.
    if let Some(i) = n.as_i64() {
        out.push_str(itoa::Buffer::new().format(i));
    } else if let Some(u) = n.as_u64() {
        out.push_str(itoa::Buffer::new().format(u));
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

/// The bytes of a [`simple_plain`] string: ASCII letters and digits and
/// `./_-:=`, looked up in one load per byte rather than tested by ranges.
const SIMPLE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] =
            c.is_ascii_alphanumeric() || matches!(c, b'.' | b'/' | b'_' | b'-' | b':' | b'=');
        b += 1;
    }
    table
};

/// The common case, decided without the full analysis: names, paths,
/// images, URLs and numbers, which are plain unless [`ambiguous`].
fn simple_plain(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        // A fold, not `all`: no branch a byte (most strings are simple).
        && b.iter().fold(true, |ok, &c| ok & SIMPLE[usize::from(c)])
        && b[b.len() - 1] != b':'
        && s != "-"
        && !s.starts_with("---")
        && !s.starts_with("...")
}

/// What libyaml's scalar analysis allows for `s` in block context.
#[cfg_attr(test, derive(Debug, PartialEq))]
struct Allowed {
    plain: bool,
    single_quoted: bool,
    literal: bool,
    multiline: bool,
}

fn analyze(s: &str) -> Allowed {
    analyze_printable_ascii(s).unwrap_or_else(|| analyze_chars(s))
}

/// [`analyze_chars`] for the common long value (a base job template, a
/// script): printable ASCII and line feeds only. Then no character is
/// special, the only blanks are space and line feed, and every flag is
/// whether a pair of characters occurs, which a substring search answers
/// many bytes at a time (SIMD) instead of a state machine one character at
/// a time. `None` for any other string. The unit tests hold it to
/// [`analyze_chars`] on every short string of the characters that decide.
fn analyze_printable_ascii(s: &str) -> Option<Allowed> {
    // A fold, not `all`: without the early exit the loop is vectorised
    // (1.6 instructions a byte instead of 13).
    let printable = s.bytes().fold(true, |ok, b| {
        ok & (b == b'\n' || (b' '..=b'~').contains(&b))
    });
    if !printable {
        return None;
    }
    let first = s.as_bytes().first().copied()?;
    let followed_by_blank = matches!(s.as_bytes().get(1), None | Some(b' ' | b'\n'));
    let block_indicators = s.starts_with("---")
        || s.starts_with("...")
        || b"#,[]{}&*!|>'\"%@`".contains(&first)
        || (matches!(first, b'-' | b'?') && followed_by_blank)
        // `:` followed by a blank, anywhere (at the start too).
        || s.contains(": ")
        || s.contains(":\n")
        || s.ends_with(':')
        // `#` after a space (at the start it is an indicator above; after
        // a line break the break alone rules plain out).
        || s.contains(" #");
    let line_breaks = s.contains('\n');
    let (leading, trailing) = (first, s.as_bytes()[s.len() - 1]);
    let trailing_space = trailing == b' ';
    let edge_blank = leading == b' ' || leading == b'\n' || trailing_space || trailing == b'\n';
    let break_space = s.contains("\n ");
    let space_break = s.contains(" \n");
    let literal = !trailing_space && !space_break;
    Some(Allowed {
        plain: !(edge_blank || break_space || space_break || line_breaks || block_indicators),
        single_quoted: !(break_space || space_break),
        literal,
        multiline: line_breaks,
    })
}

/// libyaml's analysis, character by character.
fn analyze_chars(s: &str) -> Allowed {
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

/// A string of at least this many bytes is written from [`RECENT_LONG`]
/// when it is one of the last written.
const LONG: usize = 1024;

/// How many long strings [`RECENT_LONG`] keeps.
const RECENT: usize = 8;

thread_local! {
    /// The last long strings written, by text, indentation and key-ness:
    /// a pool's base job template (10 KB, 300 lines) is written into the
    /// ConfigMap of each of its workers, the same text at the same
    /// indentation every time. The ConfigMaps are sorted by name, which
    /// interleaves the pools (`team-1`, `team-10`, `team-100`, …): with only
    /// the last one kept, 1,890 of the 10,000 templates of
    /// `benches/scale.py`'s site were written anew, with four or more none
    /// but each pool's first.
    static RECENT_LONG: std::cell::RefCell<Recent<(String, usize, bool)>> =
        const { std::cell::RefCell::new(Recent::new(RECENT)) };
}

/// A string scalar, in the style serde_yaml would choose. Literal blocks
/// continue at `indent`.
pub(super) fn write_scalar(out: &mut String, s: &str, indent: usize, key: bool) {
    if s.len() < LONG {
        return write_scalar_once(out, s, indent, key);
    }
    RECENT_LONG.with_borrow_mut(|recent| {
        if let Some(written) = recent.find(|(t, i, k)| (*i, *k) == (indent, key) && t == s) {
            out.push_str(written);
            return;
        }
        let start = out.len();
        write_scalar_once(out, s, indent, key);
        recent.keep((s.to_string(), indent, key), &out[start..]);
    });
}

/// How many field names [`FIELD_NAMES`] holds: several times the k8s
/// types' (about 200), so that few share a slot (512 slots took 0.1 %
/// more instructions at 1,000 workers; 2,048, 0.07 % fewer).
const FIELD_SLOTS: usize = 1024;

thread_local! {
    /// Whether each struct field name met so far is written as it is, by
    /// its address and length (a `&'static str`, the same text wherever
    /// it is met): a worker's objects write about 250 field names, and
    /// analysing each every time was a ninth of the writer's instructions
    /// (docs/performance.md, stop 57). A slot holds one name; another
    /// name in it is analysed again.
    static FIELD_NAMES: std::cell::RefCell<Vec<(usize, usize, bool)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

#[cfg(test)]
thread_local! {
    /// How many field names were analysed rather than remembered.
    pub(super) static ANALYSED_NAMES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A struct's field name as a mapping key: what [`write_scalar`] writes
/// for it, from the second time on without the analysis when that is the
/// name as it is (a key is never a literal block, so the indentation does
/// not change that).
pub(super) fn write_field_name(out: &mut String, name: &'static str, indent: usize) {
    // Fibonacci hashing of the address: names are a few bytes apart.
    let slot = (name.as_ptr() as usize).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        >> (usize::BITS - FIELD_SLOTS.trailing_zeros());
    write_field_name_in(out, name, indent, slot);
}

/// [`write_field_name`], remembered in `slot`.
fn write_field_name_in(out: &mut String, name: &'static str, indent: usize, slot: usize) {
    let (address, len) = (name.as_ptr() as usize, name.len());
    let known = FIELD_NAMES.with_borrow(|names| {
        names
            .get(slot)
            .filter(|&&(a, l, _)| (a, l) == (address, len))
            .map(|&(_, _, as_is)| as_is)
    });
    if known == Some(true) {
        out.push_str(name);
        return;
    }
    #[cfg(test)]
    ANALYSED_NAMES.with(|n| n.set(n.get() + 1));
    let start = out.len();
    write_scalar(out, name, indent, true);
    let as_is = out[start..] == *name;
    FIELD_NAMES.with_borrow_mut(|names| {
        if names.is_empty() {
            names.resize(FIELD_SLOTS, (0, 0, false));
        }
        names[slot] = (address, len, as_is);
    });
}

fn write_scalar_once(out: &mut String, s: &str, indent: usize, key: bool) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string of up to `len` characters of `alphabet`.
    fn strings(alphabet: &[char], len: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..len {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    /// The fast analysis decides as the character-by-character one does,
    /// on every string of up to six of the characters that decide
    /// something (blanks, indicators at the start and inside) and one that
    /// decides nothing.
    #[test]
    fn the_fast_analysis_is_the_full_one() {
        let alphabet = [' ', '\n', ':', '#', '-', '?', '.', 'a', '\''];
        let mut compared = 0;
        for s in strings(&alphabet, 6) {
            if let Some(fast) = analyze_printable_ascii(&s) {
                assert_eq!(fast, analyze_chars(&s), "{s:?}");
                compared += 1;
            }
        }
        // Only the empty string (never analysed) is left to the full one.
        assert_eq!(compared, (1..=6).map(|n| 9usize.pow(n)).sum::<usize>());
    }

    /// What the shortcut writes plain, the full analysis allows plain: on
    /// every string of one or two ASCII characters, and each character
    /// between two letters.
    #[test]
    fn the_shortcut_is_plain_only_where_the_analysis_is() {
        let ascii: Vec<char> = (0u8..128).map(char::from).collect();
        let mut shortcut = 0;
        for s in strings(&ascii, 2)
            .into_iter()
            .chain(ascii.iter().map(|c| format!("a{c}b")))
        {
            if simple_plain(&s) {
                assert!(analyze(&s).plain, "{s:?}");
                shortcut += 1;
            }
        }
        // The 68 letters, digits and `./_-:=` alone (less `:` and `-`), in
        // pairs (less those ending in `:`), and between two letters.
        assert_eq!(shortcut, (68 - 2) + (68 * 68 - 68) + 68);
    }

    /// A tab, a carriage return, a control or a non-ASCII character goes
    /// to the full analysis, which knows what they mean.
    #[test]
    fn other_characters_take_the_full_analysis() {
        for s in ["a\tb", "a\r\nb", "a\u{7f}", "é", "a\u{85}b", "\u{feff}"] {
            assert!(analyze_printable_ascii(s).is_none(), "{s:?}");
        }
    }

    /// A pretty-printed JSON template, the value the fast path is for,
    /// written as a literal block.
    #[test]
    fn a_json_template_is_a_literal_block() {
        let json = "{\n  \"job\": {\n    \"a\": \"b # c\"\n  }\n}";
        let allowed = analyze(json);
        assert_eq!(allowed, analyze_chars(json));
        assert!(allowed.literal && !allowed.plain);
    }

    /// A field name the analysis quotes (a YAML 1.1 boolean, a `: `
    /// inside) is quoted every time it is written, and a plain one is
    /// written as it is, the first time and after.
    #[test]
    fn a_field_name_is_written_as_the_analysis_says() {
        #[derive(serde::Serialize)]
        struct Named {
            on: u8,
            #[serde(rename = "a: b")]
            colon: u8,
            plain: u8,
        }
        let named = Named {
            on: 1,
            colon: 2,
            plain: 3,
        };
        for _ in 0..3 {
            assert_eq!(
                super::super::to_string(&named).unwrap(),
                "'on': 1\n'a: b': 2\nplain: 3\n"
            );
        }
    }

    /// A field name written as it is is analysed the first time only;
    /// one that is quoted, every time.
    #[test]
    fn a_plain_field_name_is_analysed_once() {
        #[derive(serde::Serialize)]
        struct Named {
            alpha: u8,
            beta: u8,
            yes: u8,
        }
        ANALYSED_NAMES.with(|n| n.set(0));
        for _ in 0..4 {
            let named = Named {
                alpha: 1,
                beta: 2,
                yes: 3,
            };
            super::super::to_string(&named).unwrap();
        }
        // `alpha` and `beta` once, `yes` (quoted) four times.
        assert_eq!(ANALYSED_NAMES.with(std::cell::Cell::get), 2 + 4);
    }

    /// Names that share a slot are each known by their own address: a
    /// quoted name taking a plain one's slot is analysed, not written as
    /// the plain one was, and the other way round.
    #[test]
    fn names_in_one_slot_are_told_apart() {
        let write = |name: &'static str| {
            let mut out = String::new();
            write_field_name_in(&mut out, name, 0, 7);
            out
        };
        for _ in 0..2 {
            assert_eq!(write("alpha"), "alpha");
            assert_eq!(write("on"), "'on'");
            assert_eq!(write("alpha"), "alpha");
            assert_eq!(write("alpha: beta"), "'alpha: beta'");
        }
    }

    /// A long string written again is copied from the last writing only
    /// when the text, the indentation and the key-ness are all the same.
    #[test]
    fn a_long_string_is_written_again_only_when_all_is_the_same() {
        let a = "{\n  \"a\": 1\n}\n".repeat(LONG / 10);
        let b = a.replace('1', "2");
        let once = |s: &str, indent: usize, key: bool| {
            let mut out = String::new();
            write_scalar_once(&mut out, s, indent, key);
            out
        };
        let mut seen = Vec::new();
        for (s, indent, key) in [
            (&a, 2, false),
            (&a, 2, false),
            (&b, 2, false),
            (&a, 2, false),
            (&a, 4, false),
            (&a, 4, true),
            (&a, 4, false),
        ] {
            let mut out = String::from("x:");
            write_scalar(&mut out, s, indent, key);
            assert_eq!(out, format!("x:{}", once(s, indent, key)));
            seen.push(out);
        }
        assert_ne!(seen[0], seen[2]);
        assert_ne!(seen[0], seen[4]);
        assert_ne!(seen[4], seen[5]);
    }

    /// Long strings written in turns are each written once and then
    /// copied, while no more than [`RECENT`] take turns; and what is copied
    /// is what was written for that string, whichever came between.
    #[test]
    fn long_strings_taking_turns_are_copied() {
        RECENT_LONG.with_borrow_mut(|r| *r = Recent::new(RECENT));
        let texts: Vec<String> = (0..=RECENT)
            .map(|i| format!("{{\n  \"pool\": \"{i}\"\n}}\n").repeat(LONG / 10))
            .collect();
        let cached = |s: &str| {
            RECENT_LONG.with_borrow(|recent| recent.keys().any(|(t, i, _)| t == s && *i == 2))
        };
        for round in 0..3 {
            for (i, text) in texts[..RECENT].iter().enumerate() {
                assert_eq!(cached(text), round > 0, "round {round}, text {i}");
                let mut out = String::new();
                write_scalar(&mut out, text, 2, false);
                let mut once = String::new();
                write_scalar_once(&mut once, text, 2, false);
                assert_eq!(out, once);
            }
        }
        // The first used again, then one more than it keeps: the one used
        // longest ago goes, the second.
        let mut out = String::new();
        write_scalar(&mut out, &texts[0], 2, false);
        write_scalar(&mut out, &texts[RECENT], 2, false);
        assert!(!cached(&texts[1]));
        assert!(cached(&texts[0]) && cached(&texts[2]) && cached(&texts[RECENT]));
        RECENT_LONG.with_borrow(|recent| assert_eq!(recent.keys().count(), RECENT));
    }
}
