//! What the credential screen (`screen.rs`) judged of the strings of the
//! objects it read before.

use super::TextSet;
use super::formats::credential_in;
use super::names::may_name_credential;

/// What the screen judged of the strings of the objects read so far: the
/// objects of a site hold the same strings again and again (a site of 105
/// teams, 1,055 objects: 977 distinct among 31,214 values). A lookup costs
/// about 140 instructions: half of reading a name for every credential
/// word, and a little less than reading a value for every format's anchor
/// (measured with callgrind: 7 % of the screen on a 1,000-worker site).
#[derive(Default)]
pub(super) struct Seen {
    /// The JSON texts the screen found nothing in (the same base job
    /// template in a thousand ConfigMaps is read once).
    pub(super) texts: TextSet,
    /// Whether a string has a known format (under no name).
    formats: Judged,
    /// Whether a name may name a credential.
    names: Judged,
    /// What reading a value the objects share said, by its address, its
    /// type and the place it was read at (`Screen::shared`).
    pub(super) shared: crate::map::HashMap<SharedAt, bool>,
}

type Judged = std::collections::HashMap<String, bool, foldhash::fast::FixedState>;

/// A value the objects share, by its address and type, at a place: the
/// step that holds it (whether its keys name their values, whether its
/// strings may be flags, whether its name says credential, whether it is
/// an item) and whether strings there may hold an anchor or are inside a
/// JSON text (`Screen::shared`).
pub(super) type SharedAt = (usize, &'static str, [bool; 6]);

impl Seen {
    pub(super) fn known_format(&mut self, v: &str) -> bool {
        judged(&mut self.formats, v, |v| credential_in(v, None).is_some())
    }

    pub(super) fn may_name_credential(&mut self, name: &str) -> bool {
        judged(&mut self.names, name, may_name_credential)
    }
}

/// How many strings each memo keeps. The strings many objects hold are met
/// in the first objects (a pool's name, a label, an image); past that, a
/// large site's strings are mostly its workers' own, met in one worker's
/// objects only, and a memo of all of them (a million at 100,000 workers)
/// was a quarter of the screen's time at that size, each a copy into a
/// table far larger than the caches (docs/performance.md).
pub(super) const MEMO_MOST: usize = 1 << 14;

/// `judge(s)`, looked up in `judged` when `s` was judged before; kept when
/// the memo has room.
fn judged(judged: &mut Judged, s: &str, judge: fn(&str) -> bool) -> bool {
    if let Some(&yes) = judged.get(s) {
        return yes;
    }
    let yes = judge(s);
    if judged.len() < MEMO_MOST {
        judged.insert(s.to_string(), yes);
    }
    yes
}

#[cfg(test)]
mod tests {
    use super::{MEMO_MOST, Seen};

    /// Past its room the memo keeps no more strings, and what it is asked
    /// is still judged, the same as before.
    #[test]
    fn a_full_memo_keeps_no_more_and_still_judges() {
        let mut seen = Seen::default();
        for i in 0..MEMO_MOST + 10 {
            assert!(!seen.may_name_credential(&format!("team-{i}")));
            assert!(!seen.known_format(&format!("team-{i}")));
        }
        assert_eq!(seen.names.len(), MEMO_MOST);
        assert_eq!(seen.formats.len(), MEMO_MOST);
        for _ in 0..2 {
            assert!(seen.may_name_credential("DB_PASSWORD"));
            assert!(seen.known_format("pnu_0123456789abcdefghijABCDEFGHIJ012345"));
        }
        assert_eq!(seen.names.len(), MEMO_MOST);
        // Below its room, a string judged is kept.
        let mut seen = Seen::default();
        assert!(seen.may_name_credential("DB_PASSWORD"));
        assert_eq!(seen.names.len(), 1);
    }
}
