//! How the spans of one build's files map into the next build's: the
//! language server builds a site again after every edit, and a result kept
//! from the last build (a worker's lowering) is the same result now if
//! what it was made from is the same after the edit, every span moved as
//! the text around it moved (issue 17).
//!
//! A span of a piece (a declaration the language server parsed on its
//! own, [`super::Anchor`]) counts from the piece's start: it is where it
//! was while the build has the piece, which it has only with the same
//! text. A span of a file parsed whole (while a piece of it does not parse
//! on its own) counts from the file's start, and an edit moves it. Each
//! file's change is its text between the longest common prefix and
//! the longest common suffix of its last and its new text. A span before
//! that stays where it was, a span after it moves by the difference of
//! the lengths, and a span that meets it has no place now: its text may
//! have changed. Several edits of one file between two builds are one
//! change from the first to the last of them. A span whose text is the
//! same before and after is all a kept result can count on, and all it
//! needs: everything else it read is compared by value.

use crate::map::HashSet;
use std::borrow::Cow;
use std::cell::{Cell, RefCell};

#[cfg(test)]
use super::FileId;
use super::{Anchor, SourceMap, Span};

/// How each file of the last build changed, by [`FileId`](super::FileId).
pub struct Edits {
    files: Vec<Change>,
    /// The pieces of this build in files the last build had under the
    /// same ids and names ([`super::Anchor`]): a piece's spans count from
    /// its start, so a piece this build has is the same text at the same
    /// offsets from it.
    pieces: HashSet<Anchor>,
    /// The last piece asked about, and whether it is one of `pieces`: the
    /// spans of a kept value are mostly of one piece.
    asked: Cell<Option<(Anchor, bool)>>,
    /// Whether a comparison found a span that moved ([`Edits::compare`]).
    moved: Cell<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Change {
    /// The same name and text.
    None,
    /// `from..to` of the last text became `from..now_to`.
    Text { from: u32, to: u32, now_to: u32 },
    /// Another file under this id, or none.
    Gone,
}

/// What a comparison of a kept value with this build's found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sameness {
    /// Not the same: something other than a span differs, or a span has
    /// no place now.
    Different,
    /// Equal, spans included.
    Equal,
    /// The same once its spans are moved with the text.
    Moved,
}

impl Edits {
    /// No file of the last build is this build's (there was no last build).
    pub fn none() -> Edits {
        Edits {
            files: Vec::new(),
            pieces: HashSet::default(),
            asked: Cell::new(None),
            moved: Cell::new(false),
        }
    }

    /// Where `span` of the last build is in this one, if its text is the
    /// same there.
    pub fn span(&self, span: Span) -> Option<Span> {
        let file = match span.anchor.file() {
            Some(file) => file,
            None => {
                // A piece's text is the same wherever it is now.
                let has = match self.asked.get() {
                    Some((anchor, has)) if anchor == span.anchor => has,
                    _ => {
                        let has = self.pieces.contains(&span.anchor);
                        self.asked.set(Some((span.anchor, has)));
                        has
                    }
                };
                return has.then_some(span);
            }
        };
        let change = self.files.get(file.0 as usize)?;
        match *change {
            Change::None => Some(span),
            Change::Gone => None,
            Change::Text { from, to, now_to } => {
                if span.end <= from {
                    Some(span)
                } else if span.start >= to {
                    Some(Span {
                        anchor: span.anchor,
                        start: span.start - to + now_to,
                        end: span.end - to + now_to,
                    })
                } else {
                    None
                }
            }
        }
    }

    /// Whether `last`, a span of the last build, is `now` after the edits.
    pub fn same(&self, last: Span, now: Span) -> bool {
        if self.span(last) != Some(now) {
            return false;
        }
        if last != now {
            self.moved.set(true);
        }
        true
    }

    /// What `same` (a comparison made with these edits, through
    /// [`Edits::same`] for every span) says of a kept value and this
    /// build's.
    pub fn compare(&self, same: impl FnOnce(&Edits) -> bool) -> Sameness {
        self.moved.set(false);
        let result = match same(self) {
            false => Sameness::Different,
            true if self.moved.get() => Sameness::Moved,
            true => Sameness::Equal,
        };
        self.moved.set(false);
        result
    }
}

/// The texts of the files of the last build a result was kept from, to
/// find how they changed.
#[derive(Default)]
pub struct Texts {
    last: RefCell<Vec<(String, Cow<'static, str>)>>,
}

impl Texts {
    /// How the files changed since the texts kept, which `now`'s replace:
    /// call it once for each build whose results are kept, and only then.
    pub fn edits_to(&self, now: &SourceMap) -> Edits {
        let mut last = self.last.borrow_mut();
        let files: Vec<Change> = now
            .files()
            .map(|(id, file)| match last.get(id.0 as usize) {
                Some((name, text)) if *name == file.name => change(text, &file.text),
                _ => Change::Gone,
            })
            .collect();
        *last = now
            .files()
            .map(|(_, f)| (f.name.clone(), f.text.clone()))
            .collect();
        // A piece of a file now under another name is not the same text
        // (its file's text may even be the same).
        let pieces = now
            .pieces
            .iter()
            .filter(|(_, (file, _))| files.get(file.0 as usize) != Some(&Change::Gone))
            .map(|(anchor, _)| *anchor)
            .collect();
        Edits {
            files,
            pieces,
            asked: Cell::new(None),
            moved: Cell::new(false),
        }
    }
}

/// Bytes compared at once while looking for where two texts differ: a
/// keystroke in a 2,000-line file compares some 50 KB of it.
const CHUNK: usize = 32;

/// How many items two sequences have alike before the first difference:
/// whole equal chunks first, then item by item from the first chunk that
/// differs (`bytes`, the same sequences item by item).
fn common<'a>(
    chunks: impl Iterator<Item = (&'a [u8], &'a [u8])>,
    bytes: impl Iterator<Item = (&'a u8, &'a u8)>,
) -> usize {
    let mut whole = 0;
    for (x, y) in chunks {
        if x != y || x.len() != CHUNK {
            break;
        }
        whole += CHUNK;
    }
    whole + bytes.skip(whole).take_while(|(x, y)| x == y).count()
}

/// How `last` became `now`: the bytes between their common prefix and
/// their common suffix (which do not overlap).
fn change(last: &str, now: &str) -> Change {
    if last == now {
        return Change::None;
    }
    let (a, b) = (last.as_bytes(), now.as_bytes());
    let prefix = common(a.chunks(CHUNK).zip(b.chunks(CHUNK)), a.iter().zip(b));
    let room = a.len().min(b.len()) - prefix;
    let (a_rest, b_rest) = (&a[prefix..], &b[prefix..]);
    let suffix = common(
        a_rest.rchunks(CHUNK).zip(b_rest.rchunks(CHUNK)),
        a_rest.iter().rev().zip(b_rest.iter().rev()),
    )
    .min(room);
    Change::Text {
        from: prefix as u32,
        to: (a.len() - suffix) as u32,
        now_to: (b.len() - suffix) as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: u32, end: u32) -> Span {
        Span {
            anchor: FileId(0).into(),
            start,
            end,
        }
    }

    fn edits(last: &str, now: &str) -> Edits {
        let texts = Texts::default();
        let mut map = SourceMap::default();
        map.add("site.pfk".into(), last.to_string());
        texts.edits_to(&map);
        let mut map = SourceMap::default();
        map.add("site.pfk".into(), now.to_string());
        texts.edits_to(&map)
    }

    /// `r = 1` becomes `r = 12` in the first of two declarations: the
    /// first's block has no place, the second moves.
    #[test]
    fn spans_after_an_edit_move_and_spans_across_it_have_no_place() {
        let last = "a { r = 1 }\nb { r = 1 }\n";
        let now = "a { r = 12 }\nb { r = 1 }\n";
        let e = edits(last, now);
        assert_eq!(e.span(span(0, 1)), Some(span(0, 1)), "before the edit");
        // The edit is an insertion after `1`: the old value's text is
        // still there, and is not the new value's (`8..10`).
        assert_eq!(e.span(span(8, 9)), Some(span(8, 9)), "the value before it");
        assert!(!e.same(span(8, 9), span(8, 10)));
        assert_eq!(e.span(span(0, 11)), None, "the block around it");
        assert_eq!(e.span(span(12, 23)), Some(span(13, 24)), "after it");
        assert_eq!(e.span(span(9, 11)), Some(span(10, 12)), "right after it");
        assert_eq!(&now[13..24], &last[12..23]);
    }

    /// Two edits of one file are one change from the first to the last.
    #[test]
    fn two_edits_are_one_change() {
        let e = edits("abcdefgh", "aXcdefYh");
        assert_eq!(e.span(span(0, 1)), Some(span(0, 1)));
        assert_eq!(e.span(span(3, 4)), None, "between the two edits");
        assert_eq!(e.span(span(7, 8)), Some(span(7, 8)));
    }

    /// A file renamed, or one the last build did not have, moves nothing.
    #[test]
    fn another_file_under_the_same_id_has_no_places() {
        let texts = Texts::default();
        let mut map = SourceMap::default();
        map.add("a.pfk".into(), "x".to_string());
        texts.edits_to(&map);
        let mut map = SourceMap::default();
        map.add("b.pfk".into(), "x".to_string());
        map.add("c.pfk".into(), "y".to_string());
        let e = texts.edits_to(&map);
        assert_eq!(e.span(span(0, 1)), None);
        let other = Span {
            anchor: FileId(1).into(),
            start: 0,
            end: 1,
        };
        assert_eq!(e.span(other), None);
        assert_eq!(Edits::none().span(span(0, 1)), None);
        // The same texts again: every span stays.
        assert_eq!(texts.edits_to(&map).span(other), Some(other));
    }

    /// A span of a piece is where it was while this build has the piece,
    /// wherever the piece is now; a piece this build does not have (its
    /// text changed), or one of a file now under another name, has no
    /// place. Each is asked twice, the second answer the remembered one.
    #[test]
    fn a_piece_keeps_its_spans_while_the_build_has_it() {
        let texts = Texts::default();
        let (kept, gone, renamed) = (Anchor::piece(0), Anchor::piece(1), Anchor::piece(2));
        let mut map = SourceMap::default();
        map.add("a.pfk".into(), "pool p {}\npool q {}\n".to_string());
        map.add("b.pfk".into(), "pool r {}\n".to_string());
        map.add_piece(kept, FileId(0), 0);
        map.add_piece(gone, FileId(0), 10);
        map.add_piece(renamed, FileId(1), 0);
        texts.edits_to(&map);
        let mut map = SourceMap::default();
        map.add("a.pfk".into(), "\npool p {}\npool qq {}\n".to_string());
        map.add("c.pfk".into(), "pool r {}\n".to_string());
        map.add_piece(kept, FileId(0), 1);
        map.add_piece(Anchor::piece(3), FileId(0), 11);
        map.add_piece(renamed, FileId(1), 0);
        let e = texts.edits_to(&map);
        let of = |anchor: Anchor| Span {
            anchor,
            start: 5,
            end: 6,
        };
        for _ in 0..2 {
            assert_eq!(e.span(of(kept)), Some(of(kept)), "moved, the same");
            assert_eq!(e.span(of(gone)), None, "its text changed");
            assert_eq!(e.span(of(renamed)), None, "its file renamed");
        }
        assert_eq!(e.span(of(kept)), Some(of(kept)));
    }

    /// The chunked search finds what a byte-by-byte one finds.
    #[test]
    fn the_change_is_the_bytes_between_the_common_prefix_and_suffix() {
        let base: String = (0..300).map(|i| char::from(b'a' + (i % 7) as u8)).collect();
        for at in [0, 1, 31, 32, 33, 64, 150, 299, 300] {
            for (cut, insert) in [(0, "x"), (1, ""), (5, "yz"), (40, "q"), (0, "")] {
                let end = (at + cut).min(base.len());
                let now = format!("{}{insert}{}", &base[..at], &base[end..]);
                let (a, b) = (base.as_bytes(), now.as_bytes());
                let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
                let room = a.len().min(b.len()) - prefix;
                let suffix = a
                    .iter()
                    .rev()
                    .zip(b.iter().rev())
                    .take(room)
                    .take_while(|(x, y)| x == y)
                    .count();
                let expected = if base == now {
                    Change::None
                } else {
                    Change::Text {
                        from: prefix as u32,
                        to: (a.len() - suffix) as u32,
                        now_to: (b.len() - suffix) as u32,
                    }
                };
                assert_eq!(change(&base, &now), expected, "{at} {cut} {insert:?}");
            }
        }
    }

    #[test]
    fn a_comparison_says_whether_a_span_moved() {
        let e = edits("ab", "aXb");
        assert_eq!(
            e.compare(|e| e.same(span(0, 1), span(0, 1))),
            Sameness::Equal
        );
        assert_eq!(
            e.compare(|e| e.same(span(1, 2), span(2, 3))),
            Sameness::Moved
        );
        assert_eq!(
            e.compare(|e| e.same(span(1, 2), span(1, 2))),
            Sameness::Different
        );
        assert_eq!(
            e.compare(|e| e.same(span(1, 2), span(2, 3)) && e.same(span(0, 1), span(1, 2))),
            Sameness::Different
        );
        // The flag does not outlive a comparison.
        assert_eq!(e.compare(|_| true), Sameness::Equal);
    }
}
