//! A block-style YAML serializer for Kubernetes objects. It writes what
//! serde_yaml (libyaml) writes for the same value —
//! the same layout, the same choice between plain, quoted and literal
//! scalars — about ten times faster, and it quotes every string a YAML 1.1
//! reader such as Kubernetes' would take for something else (booleans such
//! as `yes` and `on`, `1_000`, `0x1F`, `1:20`, `2001-12-14`, `<<`, …; see
//! [`yaml11_typed`]), which a YAML 1.2 emitter leaves plain.

// The test-only reference writer matches JSON values by shape.
#![cfg_attr(test, allow(clippy::wildcard_enum_match_arm))]

use std::fmt::Write as _;

use serde_json::Number;
#[cfg(test)]
use serde_json::{Map, Value};

/// Writes a JSON value as one YAML document (no `---`): the reference the
/// streaming writer ([`to_string`]) is tested against.
#[cfg(test)]
pub fn write(out: &mut String, value: &Value) {
    match value {
        Value::Object(map) if !map.is_empty() => write_entries(out, map, 0, false),
        Value::Array(items) if !items.is_empty() => write_items(out, items, 0, false),
        other => {
            write_inline(out, other, 0);
            out.push('\n');
        }
    }
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

#[cfg(test)]
/// A map's entries at `indent`; the first one continues the current line
/// when `inline` (after `- `).
fn write_entries(out: &mut String, map: &Map<String, Value>, indent: usize, inline: bool) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 || !inline {
            pad(out, indent);
        }
        write_scalar(out, key, indent, true);
        out.push(':');
        match value {
            Value::Object(m) if !m.is_empty() => {
                out.push('\n');
                write_entries(out, m, indent + 2, false);
            }
            // Sequences in a mapping are not indented.
            Value::Array(items) if !items.is_empty() => {
                out.push('\n');
                write_items(out, items, indent, false);
            }
            other => {
                out.push(' ');
                write_inline(out, other, indent + 2);
                out.push('\n');
            }
        }
    }
}

#[cfg(test)]
/// A sequence's items with their dashes at `indent`.
fn write_items(out: &mut String, items: &[Value], indent: usize, inline: bool) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !inline {
            pad(out, indent);
        }
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => write_entries(out, m, indent + 2, true),
            Value::Array(inner) if !inner.is_empty() => write_items(out, inner, indent + 2, true),
            other => {
                write_inline(out, other, indent + 2);
                out.push('\n');
            }
        }
    }
}

#[cfg(test)]
/// A value on the current line; block scalars continue at `indent`.
fn write_inline(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_scalar(out, s, indent, false),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

fn write_number(out: &mut String, n: &Number) {
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

/// Words a YAML 1.1 reader takes for booleans: quoted although YAML 1.2
/// (and serde_yaml) would leave them plain.
const YAML11_BOOLEANS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
    "OFF",
];

/// Whether a plain `s` would be read back as something other than a string
/// (serde_yaml's rules, plus YAML 1.1's, [`yaml11_typed`]).
fn ambiguous(s: &str) -> bool {
    if yaml11_typed(s) {
        return true;
    }
    if s.is_empty()
        || matches!(s, "~" | "null" | "Null" | "NULL")
        || matches!(s, "true" | "True" | "TRUE" | "false" | "False" | "FALSE")
        || YAML11_BOOLEANS.contains(&s)
        || digits_but_not_number(s)
    {
        return true;
    }
    is_int(s) || is_float(s)
}

/// Whether a YAML 1.1 reader (PyYAML; go-yaml v2, which Kubernetes'
/// `sigs.k8s.io/yaml` uses) or a YAML 1.2 one would read the plain scalar
/// `s` as something other than a string, after the implicit types of YAML
/// 1.1 (<https://yaml.org/type/>): null, bool (y/n/yes/no/on/off in three
/// cases), int (`_` separators, bases 2, 8, 16 and 60), float (`_`,
/// exponents, base 60, `.inf`, `.nan`), timestamp, merge (`<<`) and value
/// (`=`). Where YAML 1.1 and 1.2 differ (`0o17`, `1e3`, `-.5`), either
/// reading counts.
fn yaml11_typed(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL" | "<<" | "=")
        || matches!(s, "true" | "True" | "TRUE" | "false" | "False" | "FALSE")
        || YAML11_BOOLEANS.contains(&s)
        || yaml11_int(s)
        || yaml11_float(s)
        || yaml11_timestamp(s)
}

/// `[0-9_]+` with at least one digit.
fn digits_(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().all(|b| b.is_ascii_digit() || b == b'_')
}

/// The `:[0-5]?[0-9]` parts of a base-60 number.
fn base60_parts(parts: &[&str]) -> bool {
    !parts.is_empty()
        && parts.iter().all(|p| {
            let b = p.as_bytes();
            match b {
                [d] => d.is_ascii_digit(),
                [t, d] => (b'0'..=b'5').contains(t) && d.is_ascii_digit(),
                _ => false,
            }
        })
}

fn yaml11_int(s: &str) -> bool {
    let u = s.strip_prefix(['-', '+']).unwrap_or(s);
    let radix = |prefix: &str, ok: fn(u8) -> bool| {
        u.strip_prefix(prefix)
            .is_some_and(|r| r.bytes().any(|b| b != b'_') && r.bytes().all(|b| ok(b) || b == b'_'))
    };
    if radix("0b", |b| matches!(b, b'0' | b'1'))
        || radix("0o", |b| (b'0'..=b'7').contains(&b))
        || radix("0x", |b| b.is_ascii_hexdigit())
    {
        return true;
    }
    // Decimal and octal (`017`); leading zeros and `_` are read as a number
    // by one reader or another.
    if digits_(u) && u.starts_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    // Base 60: `1:20` is 80.
    let parts: Vec<&str> = u.split(':').collect();
    parts.len() > 1
        && digits_(parts[0])
        && u.starts_with(|c: char| c.is_ascii_digit())
        && base60_parts(&parts[1..])
}

fn yaml11_float(s: &str) -> bool {
    let u = s.strip_prefix(['-', '+']).unwrap_or(s);
    if matches!(u, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match u.find(['e', 'E']) {
        Some(i) => (&u[..i], Some(&u[i + 1..])),
        None => (u, None),
    };
    if let Some(e) = exponent {
        let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    let Some((whole, fraction)) = mantissa.split_once('.') else {
        // `1e3`: a float in YAML 1.2.
        return exponent.is_some() && digits_(mantissa);
    };
    if !(fraction.is_empty() || digits_(fraction)) {
        return false;
    }
    if whole.is_empty() {
        return digits_(fraction);
    }
    // Base 60 with a fraction: `1:20.5`.
    let parts: Vec<&str> = whole.split(':').collect();
    digits_(parts[0])
        && whole.starts_with(|c: char| c.is_ascii_digit())
        && (parts.len() == 1 || (exponent.is_none() && base60_parts(&parts[1..])))
}

/// `2001-12-14`, `2001-12-14t21:59:43.10-05:00`, `2001-12-14 21:59:43.10 -5`.
fn yaml11_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |from: usize, min: usize, max: usize| -> Option<usize> {
        let n = b[from.min(b.len())..]
            .iter()
            .take(max)
            .take_while(|c| c.is_ascii_digit())
            .count();
        (n >= min).then_some(from + n)
    };
    let expect = |at: usize, c: u8| (b.get(at) == Some(&c)).then_some(at + 1);
    let date = || -> Option<usize> {
        let i = digits(0, 4, 4)?;
        let i = expect(i, b'-')?;
        let i = digits(i, 1, 2)?;
        let i = expect(i, b'-')?;
        digits(i, 1, 2)
    };
    let Some(end) = date() else { return false };
    if end == b.len() {
        // The date alone must be `YYYY-MM-DD`.
        return b.len() == 10;
    }
    let time = || -> Option<usize> {
        let mut i = end;
        if matches!(b.get(i), Some(b'T' | b't')) {
            i += 1;
        } else {
            let start = i;
            while matches!(b.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
            if i == start {
                return None;
            }
        }
        let i = digits(i, 1, 2)?;
        let i = expect(i, b':')?;
        let i = digits(i, 2, 2)?;
        let i = expect(i, b':')?;
        let mut i = digits(i, 2, 2)?;
        if b.get(i) == Some(&b'.') {
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        while matches!(b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        match b.get(i) {
            None => Some(i),
            Some(b'Z') => Some(i + 1),
            Some(b'-' | b'+') => {
                let i = digits(i + 1, 1, 2)?;
                match expect(i, b':') {
                    Some(j) => digits(j, 2, 2),
                    None => Some(i),
                }
            }
            _ => None,
        }
    };
    time() == Some(b.len())
}

fn digits_but_not_number(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    s.len() > 1 && s.starts_with('0') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

fn is_int(s: &str) -> bool {
    let (negative, unsigned) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unsigned.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return false;
            }
            return u128::from_str_radix(rest, radix).is_ok();
        }
    }
    let digits = if negative { s } else { unsigned };
    if negative && digits_but_not_number(s) {
        return false;
    }
    digits.parse::<i128>().is_ok() || digits.parse::<u128>().is_ok()
}

fn is_float(s: &str) -> bool {
    let unpositive = match s.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return false,
        Some(rest) => rest,
        None => s,
    };
    if matches!(unpositive, ".inf" | ".Inf" | ".INF")
        || matches!(s, "-.inf" | "-.Inf" | "-.INF" | ".nan" | ".NaN" | ".NAN")
    {
        return true;
    }
    unpositive.parse::<f64>().is_ok_and(f64::is_finite)
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_printable(c: char) -> bool {
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

/// Whether [`ambiguous`] can be true: a number's first character, or a
/// short word.
fn maybe_ambiguous(s: &str) -> bool {
    s.len() <= 5 || s.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
}

/// What libyaml's scalar analysis allows for `s` in block context.
struct Allowed {
    plain: bool,
    single_quoted: bool,
    literal: bool,
    multiline: bool,
}

fn analyze(s: &str) -> Allowed {
    let chars: Vec<char> = s.chars().collect();
    let blankz =
        |i: usize| i >= chars.len() || matches!(chars[i], ' ' | '\t') || is_break(chars[i]);
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break) = (false, false);
    let (mut trailing_space, mut trailing_break) = (false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_whitespace = blankz(i + 1);
        if i == 0 {
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
        let last = i + 1 == chars.len();
        if is_break(c) {
            line_breaks = true;
        }
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= last;
            break_space |= previous_break;
            (previous_space, previous_break) = (true, false);
        } else if is_break(c) {
            leading_break |= i == 0;
            trailing_break |= last;
            space_break |= previous_space;
            (previous_space, previous_break) = (false, true);
        } else {
            (previous_space, previous_break) = (false, false);
        }
        preceded_by_whitespace = matches!(c, ' ' | '\t') || is_break(c);
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
fn write_scalar(out: &mut String, s: &str, indent: usize, key: bool) {
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

// ---------------------------------------------------------------------------
// Writing any `Serialize` value directly, without building a `Value` first.

/// Writes `value` as one YAML document, laid out exactly like [`write`]
/// does for the same value turned into JSON.
pub fn to_string<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut out = String::with_capacity(4096);
    value.serialize(Ser {
        out: &mut out,
        at: At::Root,
    })?;
    Ok(out)
}

/// A value the writer cannot lay out (never produced by prefectc's types).
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl serde::ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// Where the next value goes.
#[derive(Clone, Copy)]
enum At {
    /// A whole document.
    Root,
    /// After `key:` of a key at this indentation.
    MapValue(usize),
    /// After `- ` of a dash at this column.
    SeqItem(usize),
}

impl At {
    /// The indentation of a nested mapping's entries, and whether its first
    /// entry continues the current line.
    fn entries(self) -> (usize, bool) {
        match self {
            At::Root => (0, false),
            At::MapValue(k) => (k + 2, false),
            At::SeqItem(d) => (d + 2, true),
        }
    }

    /// The column of a nested sequence's dashes, and whether its first item
    /// continues the current line. Sequences in a mapping are not indented.
    fn items(self) -> (usize, bool) {
        match self {
            At::Root => (0, false),
            At::MapValue(k) => (k, false),
            At::SeqItem(d) => (d + 2, true),
        }
    }

    /// Where a literal block's lines go.
    fn block(self) -> usize {
        match self {
            At::Root => 2,
            At::MapValue(k) => k + 2,
            At::SeqItem(d) => d + 2,
        }
    }
}

struct Ser<'a> {
    out: &'a mut String,
    at: At,
}

impl Ser<'_> {
    /// A scalar written as-is, then the end of the line.
    fn raw(self, text: &str) -> Result<(), Error> {
        if let At::MapValue(_) = self.at {
            self.out.push(' ');
        }
        self.out.push_str(text);
        self.out.push('\n');
        Ok(())
    }

    fn string(self, s: &str) -> Result<(), Error> {
        if let At::MapValue(_) = self.at {
            self.out.push(' ');
        }
        write_scalar(self.out, s, self.at.block(), false);
        self.out.push('\n');
        Ok(())
    }

    fn number(self, n: impl Into<Number>) -> Result<(), Error> {
        if let At::MapValue(_) = self.at {
            self.out.push(' ');
        }
        write_number(self.out, &n.into());
        self.out.push('\n');
        Ok(())
    }
}

/// A mapping or a sequence being written; `started` once it has an entry.
struct Compound<'a> {
    out: &'a mut String,
    at: At,
    started: bool,
    /// The indentation of the current key (maps), for its value.
    key_indent: usize,
}

impl Compound<'_> {
    /// Opens the next entry of a mapping: the line break and padding.
    fn next_entry(&mut self) {
        let (indent, inline) = self.at.entries();
        if !self.started {
            self.started = true;
            if let At::MapValue(_) = self.at {
                self.out.push('\n');
            }
            if !inline {
                pad(self.out, indent);
            }
        } else {
            pad(self.out, indent);
        }
        self.key_indent = indent;
    }

    /// Opens the next item of a sequence: the padding and the dash.
    fn next_item(&mut self) -> usize {
        let (indent, inline) = self.at.items();
        if !self.started {
            self.started = true;
            if let At::MapValue(_) = self.at {
                self.out.push('\n');
            }
            if !inline {
                pad(self.out, indent);
            }
        } else {
            pad(self.out, indent);
        }
        self.out.push_str("- ");
        indent
    }

    fn end_with(self, empty: &str) -> Result<(), Error> {
        if !self.started {
            if let At::MapValue(_) = self.at {
                self.out.push(' ');
            }
            self.out.push_str(empty);
            self.out.push('\n');
        }
        Ok(())
    }
}

/// Writes a mapping key (any scalar) as a string.
struct KeySer<'a> {
    out: &'a mut String,
    indent: usize,
}

macro_rules! key_from_display {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<(), Error> {
            self.out.push_str(&v.to_string());
            Ok(())
        })*
    };
}

impl serde::Serializer for KeySer<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = serde::ser::Impossible<(), Error>;
    type SerializeTuple = serde::ser::Impossible<(), Error>;
    type SerializeTupleStruct = serde::ser::Impossible<(), Error>;
    type SerializeTupleVariant = serde::ser::Impossible<(), Error>;
    type SerializeMap = serde::ser::Impossible<(), Error>;
    type SerializeStruct = serde::ser::Impossible<(), Error>;
    type SerializeStructVariant = serde::ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_scalar(self.out, v, self.indent, true);
        Ok(())
    }
    key_from_display!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char);
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(Error("bytes as a mapping key".into()))
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_some<T: serde::Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, v: &'static str) -> Result<(), Error> {
        self.serialize_str(v)
    }
    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(Error("an enum as a mapping key".into()))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(Error("a sequence as a mapping key".into()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(Error("a tuple as a mapping key".into()))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(Error("a tuple as a mapping key".into()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error("an enum as a mapping key".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(Error("a mapping as a mapping key".into()))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(Error("a struct as a mapping key".into()))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error("an enum as a mapping key".into()))
    }
}

macro_rules! integers_as_numbers {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<(), Error> {
            self.number(v)
        })*
    };
}

impl<'a> serde::Serializer for Ser<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = serde::ser::Impossible<(), Error>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = serde::ser::Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.raw(if v { "true" } else { "false" })
    }
    integers_as_numbers!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64);
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        match Number::from_f64(v) {
            Some(n) => self.number(n),
            None => self.raw(if v.is_nan() {
                ".nan"
            } else if v > 0.0 {
                ".inf"
            } else {
                "-.inf"
            }),
        }
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(Error("bytes".into()))
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.raw("null")
    }
    fn serialize_some<T: serde::Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.raw("null")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.raw("null")
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, v: &'static str) -> Result<(), Error> {
        self.string(v)
    }
    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
    }
    /// `{variant: value}`, as serde_json writes it.
    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        use serde::ser::SerializeMap;
        let mut map = self.serialize_map(Some(1))?;
        map.serialize_entry(variant, v)?;
        map.end()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(Compound {
            out: self.out,
            at: self.at,
            started: false,
            key_indent: 0,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error("tuple variants".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Error> {
        self.serialize_seq(None)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error("struct variants".into()))
    }
}

impl serde::ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        let dash = self.next_item();
        v.serialize(Ser {
            out: self.out,
            at: At::SeqItem(dash),
        })
    }
    fn end(self) -> Result<(), Error> {
        self.end_with("[]")
    }
}

impl serde::ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        serde::ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Error> {
        serde::ser::SerializeSeq::end(self)
    }
}

impl serde::ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        serde::ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Error> {
        serde::ser::SerializeSeq::end(self)
    }
}

impl serde::ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: serde::Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.next_entry();
        key.serialize(KeySer {
            out: self.out,
            indent: self.key_indent,
        })?;
        self.out.push(':');
        Ok(())
    }
    fn serialize_value<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        v.serialize(Ser {
            out: self.out,
            at: At::MapValue(self.key_indent),
        })
    }
    fn end(self) -> Result<(), Error> {
        self.end_with("{}")
    }
}

impl serde::ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: serde::Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        serde::ser::SerializeMap::serialize_entry(self, key, v)
    }
    fn end(self) -> Result<(), Error> {
        serde::ser::SerializeMap::end(self)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn yaml(v: &serde_json::Value) -> String {
        let mut out = String::new();
        super::write(&mut out, v);
        out
    }

    /// Tricky strings as values, keys and list items.
    fn samples() -> Vec<&'static str> {
        vec![
            "",
            " ",
            "a",
            "-",
            "-c",
            "--port",
            "- x",
            "? x",
            "?x",
            ":",
            "a:b",
            "a: b",
            "a:",
            "a #b",
            "a#b",
            "#a",
            "@a",
            "`a",
            "%a",
            "!a",
            "&a",
            "*a",
            "|",
            ">",
            "'",
            "\"",
            "'a'",
            "it's",
            "a,b",
            "[a]",
            "{a}",
            "---",
            "...",
            "--- x",
            "~",
            "null",
            "Null",
            "true",
            "False",
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "n",
            "0",
            "1",
            "-1",
            "+1",
            "007",
            "-007",
            "0x1F",
            "0o17",
            "0b101",
            "1.5",
            "1e3",
            ".5",
            "5.",
            ".inf",
            "-.inf",
            ".nan",
            "inf",
            "nan",
            "1_000",
            "1_000.5",
            "12:30",
            "1:20",
            "1:20.5",
            "0x_1F",
            "2026-06-01",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14 21:59:43.10 -5",
            "=",
            "<<",
            " lead",
            "trail ",
            "tab\there",
            "a\nb",
            "a\nb\n",
            "a\n\nb\n\n",
            "\n",
            " a\nb",
            "a \nb",
            "a\n b",
            "x\r",
            "é",
            "日本",
            "\u{85}",
            "\u{feff}",
            "\u{7}",
            "back\\slash",
            "http://x:80/api",
            "C:\\path",
            "key=value",
            "500m",
            "1Gi",
            "3.4.25",
            "'1'",
        ]
    }

    /// Strings a YAML 1.1 reader (or a 1.2 one) takes for something else,
    /// and near misses that stay strings.
    #[test]
    fn yaml11_types_are_recognised() {
        for typed in [
            "",
            "~",
            "null",
            "NULL",
            "=",
            "<<",
            "y",
            "N",
            "yes",
            "Yes",
            "NO",
            "on",
            "OFF",
            "true",
            "False",
            "0",
            "12",
            "-1",
            "+1",
            "007",
            "09",
            "1_000",
            "0x1F",
            "0x_1F",
            "-0x1f",
            "0o17",
            "0b101",
            "+0b1_0",
            "1:20",
            "-1:20:30",
            "190:20:30",
            "1.5",
            "1_000.5",
            ".5",
            "-.5",
            "5.",
            "1e3",
            "1E+3",
            "1.5e-3",
            "1:20.5",
            ".inf",
            "-.Inf",
            "+.INF",
            ".nan",
            "2001-12-14",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14 21:59:43.10 -5",
            "2001-12-15T02:59:43.1Z",
            "2002-1-1 1:02:03",
        ] {
            assert!(
                super::yaml11_typed(typed),
                "{typed:?} is not a string in YAML 1.1"
            );
        }
        for string in [
            "a",
            "3.4.25",
            "1.2.3",
            "1:60",
            "1:2:",
            "12:3a",
            "0x",
            "0xg",
            "0b2",
            "0o8",
            "1e",
            "1e+",
            "e3",
            ".",
            "._",
            "-",
            "+",
            "inf",
            "nan",
            ".infinity",
            "yess",
            "ya",
            "nil",
            "2001-12-1",
            "2001-12-14x",
            "2001-12-14 21:59",
            "<",
            "==",
            "<<<",
            "1-2",
            "500m",
            "1Gi",
            "v1",
            "1.5Gi",
            "1_a",
        ] {
            assert!(!super::yaml11_typed(string), "{string:?} is a string");
        }
    }

    #[test]
    fn serializing_directly_equals_writing_the_json_value() {
        for s in samples() {
            let value = json!({ s: [s, { s: s }, [], {}, [[s]]], "n": { "k": s, "i": -3, "f": 1.5, "b": true, "z": null } });
            assert_eq!(
                super::to_string(&value).expect("serialises"),
                yaml(&value),
                "{s:?}"
            );
        }
    }

    #[test]
    fn every_sample_reads_back_unchanged() {
        for s in samples() {
            let value = json!({ s: [s, { s: s }], "nested": { "k": s } });
            let text = yaml(&value);
            let back: serde_json::Value = serde_yaml::from_str(&text)
                .unwrap_or_else(|e| panic!("{s:?} gave invalid YAML {text:?}: {e}"));
            assert_eq!(back, value, "{s:?} as {text:?}");
        }
    }

    #[test]
    fn the_layout_is_serde_yaml_s() {
        let value = json!({
            "apiVersion": "v1",
            "metadata": { "name": "x", "labels": {}, "port": 4200, "on": true },
            "spec": {
                "list": [],
                "args": ["a", "yes", "two\nlines\n"],
                "ports": [{ "name": "http", "port": 80 }, { "x": { "y": 1 } }],
                "nested": [["a", "b"], []],
                "none": null,
            },
        });
        let ours = yaml(&value);
        let theirs = serde_yaml::to_string(&value).expect("serialises");
        // serde_yaml leaves `yes` and the keys `on` and `y` plain; everything
        // else matches.
        let theirs = theirs
            .replace("- yes", "- 'yes'")
            .replace("  on:", "  'on':")
            .replace(" y: 1", " 'y': 1");
        assert_eq!(ours, theirs);
    }

    #[test]
    fn every_sample_is_written_like_serde_yaml_or_safer() {
        for s in samples() {
            let value = json!({ "k": s, "l": [s] });
            let ours = yaml(&value);
            let theirs = serde_yaml::to_string(&value).expect("serialises");
            let yaml11 = super::yaml11_typed(s);
            // Characters serde_yaml sends through its single-quoted or folded
            // paths are double-quoted here: still the same string.
            let rare = s
                .chars()
                .any(|c| c != '\n' && (super::is_break(c) || !super::is_printable(c) || c == '\t'));
            if !yaml11 && !rare {
                assert_eq!(ours, theirs, "{s:?}");
            }
        }
    }
}
