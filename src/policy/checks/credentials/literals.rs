//! Which of a few literals a text contains, in one pass that looks at
//! most bytes once: the byte pairs the literals start with index a set of
//! 2^16 bits, and only where a pair of the text is in it are the literals
//! that start with its first byte compared. When every literal has three
//! bytes or more, one pair in two is looked at: an occurrence covers two
//! pairs in a row, its first and second, and one of them is at an even
//! offset, so the set holds both and a hit is tried as a start at its own
//! offset and the one before.
//!
//! Written here rather than taken from `aho-corasick`, which did this job
//! first: most strings the credential rules read are a few bytes long
//! (names, labels, ports), and the crate's per-search setup cost about 380
//! instructions on each; this costs a few per byte (measured with callgrind
//! on a 105-team site, issue 17). `memchr` (in the tree through serde_json)
//! finds one literal, or up to three single bytes, per pass: twenty
//! literals would be twenty passes. The unit tests below and those of
//! `screen.rs` and `formats.rs` hold it to what a substring search would
//! answer.

/// A set of up to 32 literals of two bytes or more.
pub(super) struct Literals {
    all: &'static [&'static str],
    /// Compared ignoring ASCII case.
    fold: bool,
    /// How many pairs of the text a pass moves by: 2 when every literal
    /// has three bytes or more.
    step: usize,
    /// For each pair of bytes (`first * 256 + second`): [`FIRST`] if it
    /// is the first pair of a literal (both cases of each letter if
    /// `fold`), [`SECOND`] if the second and `step` is 2. A byte a pair
    /// rather than a bit: one load and no shift in the loop every byte of
    /// every string goes through.
    pairs: [u8; 65536],
    /// For each byte: the literals that start with it (both cases if
    /// `fold`), bit `i` for `all[i]`.
    first: [u32; 256],
}

impl Literals {
    pub(super) const fn new(all: &'static [&'static str], fold: bool) -> Literals {
        assert!(all.len() <= 32, "32 literals or fewer");
        let mut shortest = usize::MAX;
        let mut i = 0;
        while i < all.len() {
            assert!(all[i].len() >= 2, "a literal of two bytes or more");
            if all[i].len() < shortest {
                shortest = all[i].len();
            }
            i += 1;
        }
        let step = if shortest >= 3 { 2 } else { 1 };
        let mut pairs = [0; 65536];
        let mut first = [0; 256];
        let mut i = 0;
        while i < all.len() {
            let a = all[i].as_bytes();
            add_pair(&mut pairs, a[0], a[1], fold, FIRST);
            if step == 2 {
                add_pair(&mut pairs, a[1], a[2], fold, SECOND);
            }
            let start = cases(a[0], fold);
            first[start[0] as usize] |= 1 << i;
            first[start[1] as usize] |= 1 << i;
            i += 1;
        }
        Literals {
            all,
            fold,
            step,
            pairs,
            first,
        }
    }

    pub(super) fn any_in(&self, text: &str) -> bool {
        self.found_in(text) != 0
    }

    /// The literals `text` contains: bit `i` for `all[i]`.
    pub(super) fn found_in(&self, text: &str) -> u32 {
        let b = text.as_bytes();
        let mut found = 0;
        let mut at = 0;
        while let Some(&[one, two]) = b.get(at..at + 2) {
            let kind = self.pairs[usize::from(one) * 256 + usize::from(two)];
            if kind != 0 {
                found |= self.around(b, at, kind);
            }
            at += self.step;
        }
        found
    }

    /// The literals whose first (`kind` has [`FIRST`]) or second
    /// ([`SECOND`]) pair is at `b[at]`.
    fn around(&self, b: &[u8], at: usize, kind: u8) -> u32 {
        let mut found = 0;
        if kind & FIRST != 0 {
            found |= self.starting(b, at);
        }
        if at > 0 && kind & SECOND != 0 {
            found |= self.starting(b, at - 1);
        }
        found
    }

    /// The literals that start at `b[at]`: of those that start with its
    /// byte, the ones whose other bytes follow.
    fn starting(&self, b: &[u8], at: usize) -> u32 {
        #[cfg(test)]
        tests::COMPARED.with(|n| n.set(n.get() + 1));
        let mut found = self.first[usize::from(b[at])];
        let mut maybe = found;
        while maybe != 0 {
            let l = maybe.trailing_zeros();
            maybe &= maybe - 1;
            let literal = self.all[l as usize].as_bytes();
            let there = b[at..].get(..literal.len()).is_some_and(|r| {
                if self.fold {
                    r.eq_ignore_ascii_case(literal)
                } else {
                    r == literal
                }
            });
            if !there {
                found &= !(1 << l);
            }
        }
        found
    }
}

/// A pair that starts a literal.
const FIRST: u8 = 1;
/// A pair that follows a literal's first byte.
const SECOND: u8 = 2;

/// Marks the pair `one two` (each byte in both cases if `fold`) `kind`.
const fn add_pair(pairs: &mut [u8; 65536], one: u8, two: u8, fold: bool, kind: u8) {
    let (one, two) = (cases(one, fold), cases(two, fold));
    let mut c = 0;
    while c < 4 {
        pairs[one[c / 2] as usize * 256 + two[c % 2] as usize] |= kind;
        c += 1;
    }
}

/// A byte as it may be written.
const fn cases(b: u8, fold: bool) -> [u8; 2] {
    if fold {
        [b.to_ascii_lowercase(), b.to_ascii_uppercase()]
    } else {
        [b, b]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// How many times this thread's sets compared their literals with
        /// a text (`Literals::starting`).
        pub(super) static COMPARED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// The literals are compared only where a pair of the text is the
    /// first or (one pair in two) second of one of them.
    #[test]
    fn literals_are_compared_only_where_a_pair_says() {
        static SET: Literals = Literals::new(&["://", "eyJ", "AKIA"], false);
        static FOLDED: Literals = Literals::new(&["KEY", "PW"], true);
        let compared = |set: &Literals, text: &str| {
            COMPARED.with(|n| n.set(0));
            set.found_in(text);
            COMPARED.with(|n| n.get())
        };
        assert_eq!(compared(&SET, "worker-team-17 base-job-template"), 0);
        assert_eq!(compared(&FOLDED, "home-dir 17"), 0);
        // `//` is the second pair of `://`, at an even offset.
        assert_eq!(compared(&SET, "ab://x"), 1);
        assert_eq!(compared(&SET, "a://x"), 1);
        assert_eq!(compared(&FOLDED, "a_pW"), 1);
    }

    #[test]
    fn finds_literals_anywhere_and_only_them() {
        static SET: Literals = Literals::new(&["://", "eyJ", "AKIA"], false);
        for yes in ["http://x", "://", "a.eyJb", "xAKIA", "ab://", "abc://"] {
            assert!(SET.any_in(yes), "{yes}");
        }
        for no in ["", ":", ":/", "http:/x", "EYJ", "akia", "AKI", "é:/"] {
            assert!(!SET.any_in(no), "{no}");
        }
        assert!(SET.any_in("é://"));
        static FOLDED: Literals = Literals::new(&["KEY", "PW"], true);
        for yes in ["apiKey", "DB_PW", "pw", "kEy"] {
            assert!(FOLDED.any_in(yes), "{yes}");
        }
        for no in ["KE", "monkee", "p_w"] {
            assert!(!FOLDED.any_in(no), "{no}");
        }
    }

    /// Every literal a text holds, at any offset, and none it does not.
    #[test]
    fn finds_which_literals() {
        static SET: Literals = Literals::new(&["://", "eyJ", "AKIA", "ey"], false);
        assert_eq!(SET.found_in("x://eyJ"), 0b1011);
        assert_eq!(SET.found_in("eyJ:/"), 0b1010);
        assert_eq!(SET.found_in("AKIAey"), 0b1100);
        assert_eq!(SET.found_in("aAKIA"), 0b0100);
        assert_eq!(SET.found_in("ez AKI"), 0);
        static FOLDED: Literals = Literals::new(&["pass", "KEY"], true);
        assert_eq!(FOLDED.found_in("dbPASSkey"), 0b11);
        // A literal found at two offsets in a row, and at two pairs of
        // the pass: found, once.
        static SAME: Literals = Literals::new(&["aaa", "bab"], false);
        assert_eq!(SAME.found_in("aaaa"), 0b01);
        assert_eq!(SAME.found_in("aaaaa"), 0b01);
        assert_eq!(SAME.found_in("xaaaa"), 0b01);
        assert_eq!(SAME.found_in("xbabab"), 0b10);
        assert_eq!(FOLDED.found_in("Key"), 0b10);
    }

    /// One pair in two when every literal has three bytes or more, every
    /// pair otherwise.
    #[test]
    fn the_step_follows_the_shortest_literal() {
        assert_eq!(Literals::new(&["abc", "defg"], false).step, 2);
        assert_eq!(Literals::new(&["abc", "de"], true).step, 1);
    }

    /// Against a substring search, on texts made of pieces of the
    /// literals (so that near misses abound) at every offset.
    #[test]
    fn as_a_substring_search_would_answer() {
        static PLAIN: Literals = Literals::new(&["://", "eyJ", "AKIA", "ghp_", "-----B"], false);
        static FOLDED: Literals = Literals::new(&["PASS", "PW", "TOKEN", "KEY", "AWS"], true);
        let pieces = [
            "", ":", "/", "//", ":/", "e", "ey", "J", "A", "AK", "KIA", "gh", "p_", "-", "--",
            "---B", "é", "P", "pa", "sS", "w", "TO", "ken", "k", "EY", "aw", "s", "x",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(seed % 7) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for (set, fold) in [(&PLAIN, false), (&FOLDED, true)] {
                let mut expected = 0;
                for (i, l) in set.all.iter().enumerate() {
                    let there = if fold {
                        text.to_ascii_lowercase().contains(&l.to_ascii_lowercase())
                    } else {
                        text.contains(l)
                    };
                    if there {
                        expected |= 1 << i;
                    }
                }
                assert_eq!(set.found_in(&text), expected, "{text}");
            }
        }
    }
}
