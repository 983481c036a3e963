//! The YAML 1.1 quoting rules: whether a plain scalar would be read back
//! as something other than a string, by a YAML 1.1 reader such as
//! Kubernetes' ([`yaml11_typed`]) or by serde_yaml ([`ambiguous`]).

/// Words a YAML 1.1 reader takes for booleans: quoted although YAML 1.2
/// (and serde_yaml) would leave them plain.
const YAML11_BOOLEANS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
    "OFF",
];

/// Whether a plain `s` would be read back as something other than a string
/// (serde_yaml's rules, plus YAML 1.1's, [`yaml11_typed`]).
pub(super) fn ambiguous(s: &str) -> bool {
    // Most short values are words (`name`, `prod`, `app`): of those only
    // the null and boolean words are typed (`inf` and `nan` parse as
    // floats, but not finite ones). The unit tests hold this to
    // [`ambiguous_in_full`] on every short string of the deciding letters.
    if s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return is_word(s);
    }
    // Most of the others are versions, images and quantities (`3.4.25-
    // python3.12`, `512Mi`): a letter no typed form holds rules them out
    // before the number parsers run. The unit tests hold this to
    // [`ambiguous_in_full`] with every byte put into typed strings.
    s.bytes().all(|b| MAY_BE_TYPED[usize::from(b)]) && ambiguous_in_full(s)
}

/// The bytes of a string that [`ambiguous_in_full`] may take for
/// something other than a string, when it starts with no letter: digits
/// and separators (`_ . : + -`), the letters of hexadecimal digits, of
/// the prefixes `0x`, `0o`, `0b`, of exponents, of `.inf` and `.nan`, and
/// of timestamps (`T`, `t`, `Z`), blanks, and `~`, `<`, `=`.
const MAY_BE_TYPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_hexdigit()
            || matches!(
                c,
                b'_' | b'.'
                    | b':'
                    | b'+'
                    | b'-'
                    | b'x'
                    | b'o'
                    | b'i'
                    | b'n'
                    | b'I'
                    | b'N'
                    | b'T'
                    | b't'
                    | b'Z'
                    | b' '
                    | b'\t'
                    | b'~'
                    | b'<'
                    | b'='
            );
        b += 1;
    }
    table
};

/// The null and boolean words, of YAML 1.2 and of YAML 1.1.
fn is_word(s: &str) -> bool {
    matches!(s, "null" | "Null" | "NULL")
        || matches!(s, "true" | "True" | "TRUE" | "false" | "False" | "FALSE")
        || YAML11_BOOLEANS.contains(&s)
}

/// [`ambiguous`], every rule tried.
fn ambiguous_in_full(s: &str) -> bool {
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
pub(super) fn yaml11_typed(s: &str) -> bool {
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

/// The `:[0-5]?[0-9]` parts of a base-60 number, after its first: at
/// least one. An iterator, not a `Vec`: every scalar that starts like a
/// number comes this way when it is written.
fn base60_parts<'a>(parts: impl Iterator<Item = &'a str>) -> bool {
    let mut any = false;
    for p in parts {
        let ok = match p.as_bytes() {
            [d] => d.is_ascii_digit(),
            [t, d] => (b'0'..=b'5').contains(t) && d.is_ascii_digit(),
            _ => false,
        };
        if !ok {
            return false;
        }
        any = true;
    }
    any
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
    let mut parts = u.split(':');
    let first = parts.next().unwrap_or("");
    digits_(first) && u.starts_with(|c: char| c.is_ascii_digit()) && base60_parts(parts)
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
    let starts = whole.starts_with(|c: char| c.is_ascii_digit());
    match whole.split_once(':') {
        None => digits_(whole) && starts,
        Some((first, rest)) => {
            digits_(first) && starts && exponent.is_none() && base60_parts(rest.split(':'))
        }
    }
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

/// Whether [`ambiguous`] can be true: a number's first character, or a
/// short word.
pub(super) fn maybe_ambiguous(s: &str) -> bool {
    s.len() <= 5 || s.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    /// Every string of up to four of the letters, digits and signs that
    /// make up the typed words and numbers, and each typed word with one
    /// character changed: a string starting with a letter is ambiguous
    /// exactly when every rule says so.
    #[test]
    fn the_word_shortcut_is_the_full_rules() {
        let alphabet: Vec<char> = "nulyesoftrNYOTFix0159.-+:_E".chars().collect();
        let mut last = vec![String::new()];
        let mut all = Vec::new();
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        let words = [
            "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
        ];
        for word in words.iter().chain(super::YAML11_BOOLEANS) {
            all.push(word.to_string());
            for i in 0..word.len() {
                for c in ['a', 'E', '0', '.'] {
                    let mut changed = word.to_string();
                    changed.replace_range(i..=i, &c.to_string());
                    all.push(changed);
                }
            }
            all.extend(
                [
                    "inf", "nan", "infinity", "NaN", "Infinity", "e5", "E5", "x1",
                ]
                .map(String::from),
            );
        }
        let mut typed_words = 0;
        for s in &all {
            assert_eq!(super::ambiguous(s), super::ambiguous_in_full(s), "{s:?}");
            typed_words += usize::from(
                s.starts_with(|c: char| c.is_ascii_alphabetic()) && super::ambiguous(s),
            );
        }
        // The shortcut was taken, and found words: a negative control.
        assert!(typed_words > 25, "{typed_words}");
    }

    /// Every typed string of [`TYPED`] with each of its characters
    /// replaced by every ASCII byte (and two others), and with every such
    /// byte inserted at each place: the byte shortcut of [`ambiguous`]
    /// agrees with the full rules on every one.
    #[test]
    fn the_byte_shortcut_is_the_full_rules() {
        let bytes: Vec<char> = (0u8..128)
            .map(char::from)
            .chain(['é', '\u{2028}'])
            .collect();
        let (mut checked, mut shortcut) = (0, 0);
        for typed in TYPED {
            let chars: Vec<char> = typed.chars().collect();
            for i in 0..=chars.len() {
                for &c in &bytes {
                    let mut inserted = chars.clone();
                    inserted.insert(i, c);
                    let mut replaced = chars.clone();
                    if let Some(at) = replaced.get_mut(i) {
                        *at = c;
                    }
                    for s in [inserted, replaced] {
                        let s: String = s.into_iter().collect();
                        assert_eq!(super::ambiguous(&s), super::ambiguous_in_full(&s), "{s:?}");
                        checked += 1;
                        shortcut += usize::from(
                            !s.starts_with(|c: char| c.is_ascii_alphabetic())
                                && !s.bytes().all(|b| super::MAY_BE_TYPED[usize::from(b)]),
                        );
                    }
                }
            }
        }
        // Negative control: the shortcut decided many of them.
        assert!(shortcut > checked / 4, "{shortcut} of {checked}");
    }

    /// Strings a YAML 1.1 reader (or a 1.2 one) takes for something else.
    const TYPED: &[&str] = &[
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
        ".NaN",
        ".NAN",
        "2001-12-14",
        "2001-12-14t21:59:43.10-05:00",
        "2001-12-14 21:59:43.10 -5",
        "2001-12-15T02:59:43.1Z",
        "2002-1-1 1:02:03",
        "2002-1-1\t1:02:03",
        "0xabcdef",
        "0xABCDEF",
    ];

    /// The strings of [`TYPED`] are typed, and near misses stay strings.
    #[test]
    fn yaml11_types_are_recognised() {
        for typed in TYPED {
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
}
