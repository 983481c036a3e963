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

/// `judge(s)`, looked up in `judged` when `s` was judged before.
fn judged(judged: &mut Judged, s: &str, judge: fn(&str) -> bool) -> bool {
    if let Some(&yes) = judged.get(s) {
        return yes;
    }
    let yes = judge(s);
    judged.insert(s.to_string(), yes);
    yes
}
