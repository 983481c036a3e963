//! Did-you-mean over all the names of a site, for each name that is none.
//!
//! [`super::did_you_mean_name`] measures the name against every candidate. A
//! site of 10,000 workers whose every worker names a pool that is not
//! declared measured 10,000 names 10,000 times: the build of 2,000 such
//! workers took 1.9 s, nine times that of 500 (docs/performance.md, "An
//! error on every component, stop 64"). [`Suggest`] indexes the names once,
//! on the first name that is none, and gives the same suggestion:
//!
//! - a name already asked about is answered from a memo (a `for` loop
//!   repeats one misspelling for each of its components);
//! - a name one edit from some candidate finds them through the index of
//!   each candidate and each candidate with one byte left out: two names
//!   one edit apart (an insertion, a deletion, a substitution or a swap of
//!   two neighbours) are each such a variant of the other, or share one.
//!   Since no candidate is closer than one edit (the name itself is never
//!   suggested), the closest of those is the suggestion;
//! - only a name with no candidate one edit away is measured against
//!   every candidate, as before (and then looked for with words added or
//!   removed at its ends).

use std::hash::BuildHasher;

use crate::map::HashMap;

/// The longest name the index holds or is asked with: a name of `n` bytes
/// has `n + 1` variants of `n` bytes each, and a name of a megabyte would
/// cost a million times a megabyte. A component's name is at most 63 bytes
/// (a DNS label); a longer name (a `let`'s, or one that fails E0202) is
/// measured, as without the index.
const INDEXED_BYTES: usize = 128;

/// The closest of a fixed set of names to each name asked about, as
/// [`super::did_you_mean_name`] gives it ([`Suggest::names`]), or
/// [`super::did_you_mean`] ([`Suggest::closest`]).
pub struct Suggest<S> {
    names: Vec<S>,
    /// Whether a name with no close candidate is looked for with words
    /// added or removed at its ends ([`super::did_you_mean_name`]).
    words_at_ends: bool,
    /// Built on the first question: the hash of each ASCII candidate, and
    /// of each with one byte left out, to the candidates that give it.
    /// A hash shared by chance only adds a candidate to measure.
    near: Option<HashMap<u64, Vec<u32>>>,
    /// The candidates that are not ASCII or longer than [`INDEXED_BYTES`],
    /// which the index leaves out: measured for each question (at most one
    /// byte longer or shorter than it).
    unindexed: Vec<u32>,
    /// Each candidate's [`super::letter_set`], made with the index: a name
    /// no candidate is one edit from is measured against every candidate,
    /// and most are passed over by their letters.
    sets: Vec<Option<u128>>,
    hasher: foldhash::fast::RandomState,
    memo: HashMap<String, Option<u32>>,
}

impl<S: AsRef<str>> Suggest<S> {
    /// [`super::did_you_mean_name`] over `names`.
    pub fn names(names: Vec<S>) -> Suggest<S> {
        Suggest {
            names,
            words_at_ends: true,
            near: None,
            unindexed: Vec::new(),
            sets: Vec::new(),
            hasher: Default::default(),
            memo: Default::default(),
        }
    }

    /// [`super::did_you_mean`] over `names`.
    pub fn closest(names: Vec<S>) -> Suggest<S> {
        Suggest {
            words_at_ends: false,
            ..Suggest::names(names)
        }
    }

    /// The candidate the function this was made for would suggest for
    /// `name`.
    pub fn best(&mut self, name: &str) -> Option<&str> {
        let found = match self.memo.get(name) {
            Some(known) => *known,
            None => {
                let found = self.one_edit_away(name).or_else(|| self.measured(name));
                self.memo.insert(name.to_string(), found);
                found
            }
        };
        found.map(|i| self.names[i as usize].as_ref())
    }

    /// The suggestion for `name` from measuring every candidate.
    fn measured(&self, name: &str) -> Option<u32> {
        let names = self.names.iter().map(AsRef::as_ref);
        // No sets when the index was not made (a name that is not ASCII).
        let sets = self.sets.iter().copied().chain(std::iter::repeat(None));
        let found = match super::closest(name, names.clone().zip(sets)) {
            None if self.words_at_ends => super::with_words_at_ends(name, names),
            found => found,
        };
        found.and_then(|(at, _)| u32::try_from(at).ok())
    }

    /// The closest candidate one edit from `name`, by name; `None` when
    /// none is (or `name` is not ASCII or longer than [`INDEXED_BYTES`],
    /// which the index does not hold).
    fn one_edit_away(&mut self, name: &str) -> Option<u32> {
        if !name.is_ascii() || name.len() > INDEXED_BYTES {
            return None;
        }
        let near = match &self.near {
            Some(near) => near,
            None => {
                let near = self.index();
                self.near.insert(near)
            }
        };
        let names = &self.names;
        let mut best: Option<u32> = None;
        let mut consider = |i: u32| {
            let c = names[i as usize].as_ref();
            if c != name
                // One edit of a character changes at most 4 bytes.
                && c.len().abs_diff(name.len()) <= 4
                && best.is_none_or(|b| c < names[b as usize].as_ref())
                && strsim::damerau_levenshtein(name, c) == 1
            {
                best = Some(i);
            }
        };
        let mut buf = Vec::with_capacity(name.len());
        for skip in 0..=name.len() {
            variant(name.as_bytes(), skip, &mut buf);
            for &i in near
                .get(&self.hasher.hash_one(&buf[..]))
                .into_iter()
                .flatten()
            {
                consider(i);
            }
        }
        for &i in &self.unindexed {
            consider(i);
        }
        // One edit is within every name's limit (`did_you_mean`'s is at
        // least one), and no candidate is closer.
        best
    }

    fn index(&mut self) -> HashMap<u64, Vec<u32>> {
        let mut near: HashMap<u64, Vec<u32>> = Default::default();
        let mut buf = Vec::new();
        self.sets = self
            .names
            .iter()
            .map(|c| super::letter_set(c.as_ref()))
            .collect();
        for (i, c) in (0u32..).zip(&self.names) {
            let c = c.as_ref();
            if !c.is_ascii() || c.len() > INDEXED_BYTES {
                self.unindexed.push(i);
                continue;
            }
            for skip in 0..=c.len() {
                variant(c.as_bytes(), skip, &mut buf);
                let at = near.entry(self.hasher.hash_one(&buf[..])).or_default();
                // A name with a doubled byte gives one variant twice.
                if at.last() != Some(&i) {
                    at.push(i);
                }
            }
        }
        near
    }
}

/// `name` without its byte at `skip` (all of it when `skip` is its
/// length), into `buf`.
fn variant(name: &[u8], skip: usize, buf: &mut Vec<u8>) {
    buf.clear();
    buf.extend_from_slice(&name[..skip]);
    if skip < name.len() {
        buf.extend_from_slice(&name[skip + 1..]);
    }
}

#[cfg(test)]
mod tests {
    use super::Suggest;
    use crate::diagnostics::{did_you_mean, did_you_mean_name};

    /// Every name asked of a set of names gets what measuring every
    /// candidate gives: names one edit away in each way (a byte added,
    /// left out, changed, two neighbours swapped), further away, equal to
    /// a candidate, not ASCII, and asked twice.
    #[test]
    fn suggests_what_measuring_every_name_suggests() {
        let mut names: Vec<String> = Vec::new();
        for i in 0..300 {
            names.push(format!("pool-{i}"));
            names.push(format!("team-{i}"));
        }
        names.extend(
            [
                "prefect",
                "prefect-server",
                "etl",
                "etl-jobs",
                "ab",
                "ba",
                "aab",
                "zürich",
                "zurich",
            ]
            .map(String::from),
        );
        // Names longer than the index holds, one edit apart and further.
        names.extend(["x".repeat(200), format!("{}-y", "x".repeat(127))]);
        let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut asked: Vec<String> = Vec::new();
        for i in (0..300).step_by(7) {
            for n in [format!("pool-{i}"), format!("team-{i}")] {
                let b = n.as_bytes();
                for at in 0..=b.len() {
                    let mut added = b.to_vec();
                    added.insert(at, b'x');
                    asked.push(String::from_utf8(added).unwrap_or_default());
                    if at < b.len() {
                        let mut gone = b.to_vec();
                        gone.remove(at);
                        asked.push(String::from_utf8(gone).unwrap_or_default());
                        let mut changed = b.to_vec();
                        changed[at] = b'q';
                        asked.push(String::from_utf8(changed).unwrap_or_default());
                    }
                    if at + 1 < b.len() {
                        let mut swapped = b.to_vec();
                        swapped.swap(at, at + 1);
                        asked.push(String::from_utf8(swapped).unwrap_or_default());
                    }
                }
                asked.push(format!("{n}-xyz"));
                asked.push(n);
            }
        }
        asked.extend(
            [
                "prefekt",
                "zurch",
                "zürch",
                "zürich",
                "a",
                "b",
                "aba",
                "ba",
                "",
                "jobs",
                "server",
                "etl-jobs-2",
                "nothing-like-it",
                "team-xyz",
                "pool-qrs",
            ]
            .map(String::from),
        );
        asked.extend([
            "x".repeat(199),
            "x".repeat(201),
            "x".repeat(128),
            "x".repeat(129),
        ]);
        // A name that is not ASCII asked first, before the index is made.
        for first in ["zürch", "zurch"] {
            let expected = did_you_mean_name(first, candidates.iter().copied());
            assert!(expected.is_some());
            assert_eq!(Suggest::names(candidates.clone()).best(first), expected);
        }
        let mut names = Suggest::names(candidates.clone());
        let owned: Vec<String> = candidates.iter().map(|c| c.to_string()).collect();
        let mut closest = Suggest::closest(owned);
        let (mut found, mut with_words) = (0, 0);
        for _ in 0..2 {
            for name in &asked {
                let expected = did_you_mean_name(name, candidates.iter().copied());
                assert_eq!(names.best(name), expected, "{name:?}");
                let close = did_you_mean(name, candidates.iter().copied());
                assert_eq!(closest.best(name), close, "{name:?}");
                found += usize::from(close.is_some());
                with_words += usize::from(expected.is_some() && close.is_none());
            }
        }
        // Most of them are suggestions, not all `None`, and some are found
        // only with words added or removed.
        assert!(found > asked.len(), "{found} of {}", 2 * asked.len());
        assert!(with_words > 0);
    }
}
