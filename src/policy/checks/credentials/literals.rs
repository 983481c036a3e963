//! Whether a text contains one of a few literals, in one pass that looks
//! at most bytes once: the first two bytes of each literal index a set of
//! byte pairs, and only where a pair of the text is in it are the
//! literals compared.
//!
//! Written here rather than taken from `aho-corasick`, which did this job
//! first: most strings the credential rules read are a few bytes long
//! (names, labels, ports), and the crate's per-search setup cost about 380
//! instructions on each; this costs a few per byte (measured with callgrind
//! on a 105-team site, issue 17). The unit tests below and those of
//! `screen.rs` hold it to what a substring search would answer.

/// A set of literals of two bytes or more.
pub(super) struct Literals {
    all: &'static [&'static str],
    /// Compared ignoring ASCII case.
    fold: bool,
    /// The first two bytes of each literal (both cases of each letter if
    /// `fold`), a set of 2^16 bits.
    starts: [u64; 1024],
}

impl Literals {
    pub(super) const fn new(all: &'static [&'static str], fold: bool) -> Literals {
        let mut starts = [0; 1024];
        let mut i = 0;
        while i < all.len() {
            let a = all[i].as_bytes();
            assert!(a.len() >= 2, "a literal of two bytes or more");
            let (first, second) = (cases(a[0], fold), cases(a[1], fold));
            let mut c = 0;
            while c < 4 {
                let pair = (first[c / 2] as usize) << 8 | second[c % 2] as usize;
                starts[pair / 64] |= 1 << (pair % 64);
                c += 1;
            }
            i += 1;
        }
        Literals { all, fold, starts }
    }

    pub(super) fn any_in(&self, text: &str) -> bool {
        let b = text.as_bytes();
        let same = |x: &[u8], y: &[u8]| {
            if self.fold {
                x.eq_ignore_ascii_case(y)
            } else {
                x == y
            }
        };
        b.windows(2).enumerate().any(|(i, w)| {
            let pair = usize::from(w[0]) << 8 | usize::from(w[1]);
            self.starts[pair / 64] & (1 << (pair % 64)) != 0
                && self.all.iter().any(|l| {
                    let l = l.as_bytes();
                    same(&l[..2], w) && b[i..].get(..l.len()).is_some_and(|r| same(r, l))
                })
        })
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

    #[test]
    fn finds_literals_anywhere_and_only_them() {
        static SET: Literals = Literals::new(&["://", "eyJ", "AKIA"], false);
        for yes in ["http://x", "://", "a.eyJb", "xAKIA"] {
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
}
