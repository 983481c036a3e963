//! Structured diagnostics. Stages build [`Diagnostic`] values; they are
//! rendered only at the edge (human via miette, JSON Lines, later SARIF/LSP).

mod codes;
pub mod json;
pub mod render;
pub mod rules;
pub mod sarif;
mod suggest;

pub use suggest::Suggest;

pub use codes::{Code, explanation};

use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// A policy finding suppressed by a waiver: reported, not counted.
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A span with a short text saying what is there.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One problem in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Says what is wrong at the primary span.
    pub primary: Label,
    /// Say why: the other declaration, the pool of the other type.
    pub secondary: Vec<Label>,
    /// What to write instead.
    pub help: Option<String>,
    pub notes: Vec<String>,
    /// Set on the findings of policy rules.
    pub policy: Option<PolicyInfo>,
    /// The help as an edit of the source, when it gives an exact
    /// replacement: applied, it fixes this problem (`tests/suggestions.rs`
    /// checks that for every fixture of `tests/fixtures/suggestions/`).
    pub suggestion: Option<Suggestion>,
}

/// A machine-applicable fix: replace the text of `span` by `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub span: Span,
    pub replacement: String,
}

/// What a policy finding adds to a diagnostic (its rule is the code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyInfo {
    /// The site's profile: `restricted`, `baseline` or `privileged`.
    pub profile: &'static str,
    /// The waiver that suppresses it.
    pub waived_by: Option<WaivedBy>,
}

/// An `@allow` waiver, as the reports list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaivedBy {
    pub span: Span,
    pub reason: String,
    pub until: Option<String>,
    pub owner: Option<String>,
}

impl Diagnostic {
    /// An error with the severity its code implies.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            primary: Label {
                span,
                message: String::new(),
            },
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
            policy: None,
            suggestion: None,
        }
    }

    /// The diagnostic with every span `moved` (none if any has no place).
    pub fn moved(&self, moved: impl Fn(Span) -> Option<Span>) -> Option<Diagnostic> {
        let mut d = self.clone();
        for span in d.spans_mut() {
            *span = moved(*span)?;
        }
        Some(d)
    }

    /// Every span of the diagnostic: its labels', its suggestion's, its
    /// waiver's.
    fn spans_mut(&mut self) -> impl Iterator<Item = &mut Span> {
        let labels = std::iter::once(&mut self.primary).chain(&mut self.secondary);
        let waiver = self.policy.as_mut().and_then(|p| p.waived_by.as_mut());
        labels
            .map(|l| &mut l.span)
            .chain(self.suggestion.as_mut().map(|s| &mut s.span))
            .chain(waiver.map(|w| &mut w.span))
    }

    /// Sets the text under the primary span.
    pub fn label(mut self, message: impl Into<String>) -> Diagnostic {
        self.primary.message = message.into();
        self
    }

    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// The help's exact replacement of the text at `span`.
    pub fn suggest(mut self, span: Span, replacement: impl Into<String>) -> Diagnostic {
        self.suggestion = Some(Suggestion {
            span,
            replacement: replacement.into(),
        });
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    /// Everything but the secondary labels is equal.
    fn same_problem(&self, other: &Diagnostic) -> bool {
        self.code == other.code
            && self.severity == other.severity
            && self.message == other.message
            && self.primary == other.primary
            && self.help == other.help
            && self.notes == other.notes
            && self.policy == other.policy
            && self.suggestion == other.suggestion
    }
}

/// A stage's problem as data: an error kind carrying its fields, no wording.
/// Each stage words its own kinds in one module (`syntax/error.rs`,
/// `resolve/error/`, `check/error/`, `lower/error.rs`, `diff/error.rs`,
/// `policy/wording/`), so a message, its label, help and notes are written
/// once, next to the other messages of that stage, and the code that finds a
/// problem says only what it found.
pub trait IntoDiagnostic {
    fn into_diagnostic(self) -> Diagnostic;
}

impl IntoDiagnostic for Diagnostic {
    fn into_diagnostic(self) -> Diagnostic {
        self
    }
}

/// Diagnostics collected by a stage. Stages keep going after an error when
/// they can, so a user sees every independent problem at once.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds a stage's error kind, worded by its stage's error module.
    pub fn report(&mut self, e: impl IntoDiagnostic) {
        self.0.push(e.into_diagnostic());
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every span counted from the start of its file instead of a piece's
    /// ([`crate::source::Anchor`]): what is reported leaves the build so,
    /// and every reader of a report (rendering, JSON, SARIF, the language
    /// server, `--fix`) reads a span's offsets in its file.
    pub fn placed(mut self, sources: &crate::source::SourceMap) -> Diagnostics {
        let place = |span: &mut Span| {
            let p = sources.place(*span);
            *span = Span::new(p.file, p.start as usize, p.end as usize);
        };
        for d in &mut self.0 {
            d.spans_mut().for_each(place);
        }
        self
    }

    /// Orders diagnostics by file and position (stable for equal positions)
    /// and merges duplicates, so output does not depend on stage order. A
    /// problem met several times (a let used in two places) is reported
    /// once, with the secondary labels of every occurrence. The spans are
    /// counted from their files' starts ([`Diagnostics::placed`]).
    pub fn sorted(mut self) -> Diagnostics {
        let at = |d: &Diagnostic| {
            let span = d.primary.span;
            debug_assert!(span.anchor.file().is_some(), "placed in its file");
            (span.anchor.file(), span.start)
        };
        self.0.sort_by_key(|d| (at(d), d.severity));
        let mut out: Vec<Diagnostic> = Vec::with_capacity(self.0.len());
        // Sorted by position: the same problem can only be among the last
        // ones, at the same place, and those are known by what they say
        // (a `for` loop's thousands of components put as many problems at
        // one place, each with its own message or help: a search of them
        // all for each was quadratic).
        let mut place = None;
        let mut here: crate::map::HashMap<u64, Vec<usize>> = Default::default();
        let says = foldhash::fast::RandomState::default();
        // The secondary labels of each problem met more than once (a let
        // used in thousands of places).
        let mut labels: crate::map::HashMap<usize, crate::map::HashSet<Label>> = Default::default();
        for d in self.0 {
            if place != Some(at(&d)) {
                place = Some(at(&d));
                here.clear();
            }
            let key = std::hash::BuildHasher::hash_one(
                &says,
                (d.code, &d.message, &d.primary, &d.help, &d.notes),
            );
            let same = here.entry(key).or_default();
            match same.iter().copied().find(|&i| out[i].same_problem(&d)) {
                Some(i) => {
                    let o = &mut out[i];
                    let seen = labels
                        .entry(i)
                        .or_insert_with(|| o.secondary.iter().cloned().collect());
                    for l in d.secondary {
                        if seen.insert(l.clone()) {
                            o.secondary.push(l);
                        }
                    }
                }
                None => {
                    same.push(out.len());
                    out.push(d);
                }
            }
        }
        Diagnostics(out)
    }
}

/// `text` with the suggestions of `file` applied, or `None` when two of
/// them overlap or one is outside the text (or not at a character boundary).
/// Suggestions of other files are ignored.
pub fn apply_suggestions<'a>(
    text: &str,
    file: crate::source::FileId,
    suggestions: impl IntoIterator<Item = &'a Suggestion>,
) -> Option<String> {
    let mut edits: Vec<&Suggestion> = suggestions
        .into_iter()
        .filter(|s| s.span.anchor == file.into())
        .collect();
    edits.sort_by_key(|s| (s.span.start, s.span.end));
    edits.dedup();
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for s in edits {
        let (start, end) = (s.span.start as usize, s.span.end as usize);
        if start < at || end < start {
            return None;
        }
        out.push_str(text.get(at..start)?);
        text.get(start..end)?;
        out.push_str(&s.replacement);
        at = end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// `name` in the form of a .pfk name, lower-case with hyphens:
/// `nodeSelector` → `node-selector`, `AWS_REGION` → `aws-region`,
/// `HTTPProxy` → `http-proxy`, `ETL` → `etl`.
pub fn kebab_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let boundary = prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower);
            if boundary && !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The closest candidate to `name` by edit distance, if it is close enough to
/// be a plausible typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    closest(name, candidates.into_iter().map(|c| (c, None))).map(|(_, c)| c)
}

/// [`did_you_mean`] of candidates each given with its [`letter_set`] when
/// one was made: then a candidate with more letters the name lacks (or the
/// name with more letters it lacks) than the closest so far is passed over
/// in a few instructions. Each such letter costs an edit (it can only be
/// deleted, or replaced), so the suggestion is the same. With the
/// suggestion's place among the candidates.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = (&'a str, Option<u128>)>,
) -> Option<(usize, &'a str)> {
    let limit = (name.chars().count() / 3).max(1) + usize::from(name.len() > 6);
    let letters = Letters::of(name);
    let set = letter_set(name);
    // The closest so far, by distance then name. A candidate the letters
    // put further than it cannot take its place: once a close one is met,
    // the rest of thousands of names are mostly skipped by their letters,
    // not measured (the full distance allocates and is quadratic in the
    // names' lengths). The same suggestion as measuring every candidate.
    let mut best: Option<(usize, &'a str, usize)> = None;
    for (at, (c, c_set)) in candidates.into_iter().enumerate() {
        if c == name {
            continue;
        }
        let bound = best.map_or(limit, |(d, _, _)| d);
        if let (Some(a), Some(b)) = (set, c_set) {
            let lacking = (a & !b).count_ones().max((b & !a).count_ones());
            if lacking as usize > bound {
                continue;
            }
        }
        if letters.as_ref().is_some_and(|l| !l.may_be_within(c, bound)) {
            continue;
        }
        let d = strsim::damerau_levenshtein(name, c);
        if d <= limit && best.is_none_or(|(bd, bc, _)| (d, c) < (bd, bc)) {
            best = Some((d, c, at));
        }
    }
    best.map(|(_, c, at)| (at, c))
}

/// Which ASCII characters an ASCII name holds, a bit each; `None` for a
/// name that is not ASCII.
pub(crate) fn letter_set(name: &str) -> Option<u128> {
    name.is_ascii()
        .then(|| name.bytes().fold(0u128, |set, b| set | (1u128 << b)))
}

/// The letters of an ASCII name, counted: a cheap lower bound on the edit
/// distance to another name, so that a name compared with thousands (every
/// component of a large site, for each reference that names none) skips
/// the full Damerau–Levenshtein distance of those that cannot be close.
/// Each edit changes the counts by at most two (a substitution), one (an
/// insertion or deletion) or none (a swap), so half the difference of the
/// counts never exceeds the distance: skipping a candidate above the limit
/// by it changes no suggestion.
struct Letters {
    counts: [i16; 128],
    len: usize,
}

impl Letters {
    fn of(name: &str) -> Option<Letters> {
        if !name.is_ascii() || name.len() > usize::from(i16::MAX.unsigned_abs()) {
            return None;
        }
        let mut counts = [0; 128];
        for b in name.bytes() {
            counts[usize::from(b)] += 1;
        }
        Some(Letters {
            counts,
            len: name.len(),
        })
    }

    fn may_be_within(&self, candidate: &str, limit: usize) -> bool {
        if !candidate.is_ascii() {
            return true;
        }
        if candidate.len().abs_diff(self.len) > limit {
            return false;
        }
        let mut counts = self.counts;
        // The sum of the counts' differences, as each letter is taken away.
        let mut difference = self.len;
        for b in candidate.bytes() {
            let n = &mut counts[usize::from(b)];
            if *n > 0 {
                difference -= 1;
            } else {
                difference += 1;
            }
            *n -= 1;
        }
        difference <= 2 * limit
    }
}

/// The declared name `name` most likely means: a close one by
/// [`did_you_mean`], else one that is `name` with hyphenated words added or
/// removed at either end (Helm's release names: `prefect-server` for the
/// server `prefect`, `jobs` for `etl-jobs`), the shortest difference first.
pub fn did_you_mean_name<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    did_you_mean(name, candidates.clone())
        .or_else(|| with_words_at_ends(name, candidates).map(|(_, c)| c))
}

/// The candidate that is `name` with hyphenated words added or removed at
/// either end, the shortest difference first ([`did_you_mean_name`]); with
/// its place among the candidates.
fn with_words_at_ends<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<(usize, &'a str)> {
    let words_at_end = |long: &str, short: &str| {
        long.len() > short.len()
            && (long
                .strip_prefix(short)
                .is_some_and(|rest| rest.starts_with('-'))
                || long
                    .strip_suffix(short)
                    .is_some_and(|rest| rest.ends_with('-')))
    };
    candidates
        .into_iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty() && (words_at_end(name, c) || words_at_end(c, name)))
        .min_by_key(|(_, c)| (c.len().abs_diff(name.len()), *c))
}

#[cfg(test)]
mod tests {
    use super::{did_you_mean, did_you_mean_name, kebab_case};

    #[test]
    fn names_with_words_added_or_removed() {
        assert_eq!(
            did_you_mean_name("prefect-server", ["prefect", "jobs"]),
            Some("prefect")
        );
        assert_eq!(did_you_mean_name("jobz", ["prefect", "jobs"]), Some("jobs"));
        assert_eq!(did_you_mean_name("jobs", ["etl-jobs"]), Some("etl-jobs"));
        assert_eq!(did_you_mean_name("prefectserver", ["prefect"]), None);
        assert_eq!(did_you_mean_name("pre", ["prefect-x"]), None);
        assert_eq!(did_you_mean_name("a-b-c", ["a", "a-b", "b-c"]), Some("a-b"));
    }

    #[test]
    fn kebab_case_of_helm_and_env_names() {
        for (name, kebab) in [
            ("nodeSelector", "node-selector"),
            ("imagePullPolicy", "image-pull-policy"),
            ("AWS_REGION", "aws-region"),
            ("HTTPProxy", "http-proxy"),
            ("ETL", "etl"),
            ("MyPool", "my-pool"),
            ("pool2Name", "pool2-name"),
            ("already-kebab", "already-kebab"),
            ("_x__Y_", "x-y"),
        ] {
            assert_eq!(kebab_case(name), kebab, "{name}");
        }
    }

    /// The count of letters never skips a candidate whose distance is
    /// within the limit (names of a few letters, each edit of each kind
    /// made at random), and does skip some that are not.
    #[test]
    fn counting_letters_never_skips_a_close_name() {
        let mut seed = 0x9e37_79b9_u32;
        let mut next = move |n: u32| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed % n
        };
        let mut skipped = 0;
        for _ in 0..20_000 {
            let len = 1 + next(9) as usize;
            let name: Vec<u8> = (0..len).map(|_| b"abc-1"[next(5) as usize]).collect();
            let mut other = name.clone();
            for _ in 0..next(5) {
                let at = next(other.len() as u32 + 1) as usize;
                let letter = b"abcd-12"[next(7) as usize];
                match next(4) {
                    0 => other.insert(at, letter),
                    1 if at < other.len() => drop(other.remove(at)),
                    2 if at < other.len() => other[at] = letter,
                    _ if at + 1 < other.len() => other.swap(at, at + 1),
                    _ => {}
                }
            }
            let (name, other) = (
                String::from_utf8(name).unwrap(),
                String::from_utf8(other).unwrap(),
            );
            for limit in 0..4 {
                let close = strsim::damerau_levenshtein(&name, &other) <= limit;
                let kept = super::Letters::of(&name)
                    .unwrap()
                    .may_be_within(&other, limit);
                assert!(kept || !close, "{name} {other} {limit}");
                skipped += usize::from(!kept);
            }
        }
        assert!(skipped > 10_000, "{skipped}");
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("replica", ["replicas", "image"]),
            Some("replicas")
        );
        assert_eq!(
            did_you_mean("prefekt", ["prefect", "pool"]),
            Some("prefect")
        );
        assert_eq!(did_you_mean("xyz", ["replicas", "image"]), None);
    }

    /// The threshold at its edges, each distance counted by hand: a third
    /// of the name's length (at least 1), one more for names longer than 6
    /// characters, Damerau–Levenshtein (a swap of neighbours is one edit).
    /// A slip of one in the threshold or the length test fails one row.
    #[test]
    fn threshold_at_its_edges() {
        let cases: &[(&str, &str, bool)] = &[
            // length 1 and 2: limit 1
            ("a", "b", true),
            ("ab", "ax", true),
            ("ab", "xy", false),
            ("ab", "ba", true), // one swap; Levenshtein would count 2
            ("ab", "abcd", false),
            // length 5: limit 1
            ("image", "imagx", true),
            ("image", "imxgx", false),
            // length 6: limit 2, no bonus
            ("abcdef", "abcxyf", true),
            ("abcdef", "axyzef", false),
            ("abcdef", "abcdefgh", true),
            ("abcdef", "abcdefghi", false),
            // length 7: limit 2 + 1
            ("abcdefg", "abcxyzg", true),
            ("abcdefg", "awxyzfg", false),
            // length 9: limit 3 + 1
            ("abcdefghi", "abwxyzghi", true),
            ("abcdefghi", "avwxyzghi", false),
        ];
        for (name, candidate, suggested) in cases {
            assert_eq!(
                did_you_mean(name, [*candidate]).is_some(),
                *suggested,
                "`{name}` → `{candidate}`"
            );
        }
    }

    /// The same name is no suggestion; the closest wins, then the first in
    /// alphabetical order.
    #[test]
    fn closest_then_alphabetical() {
        assert_eq!(did_you_mean("pool", ["pool"]), None);
        assert_eq!(
            did_you_mean("replicax", ["replicas", "replica"]),
            Some("replica")
        );
        assert_eq!(did_you_mean("abcd", ["abce", "abcf"]), Some("abce"));
        assert_eq!(did_you_mean("abcd", ["abcf", "abce"]), Some("abce"));
    }
}
