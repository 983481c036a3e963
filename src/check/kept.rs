//! The typed components of one build kept for the next build of the same
//! site (the language server's): a component whose checked values are the
//! same as the last build's, after the edit, is the same typed component,
//! and is not converted again (issue 17). Converting is per component: it
//! reads the component's checked values and nothing else.
//!
//! A component the same as the last one once its spans are moved with the
//! edit is the last one's typed component with its spans moved too.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use super::model::{CheckedComponent, Kind, Rec, TVal, Typed};
use crate::map::Generations;
use crate::model::Component;
use crate::model::moved::{MoveSpans, Mover, SameAfter, pairs, same_keyed};
use crate::source::{Edits, Sameness, SourceMap, Texts};

/// What a memo of components keeps from one build to the next (the
/// checks, [`super::KeptChecks`], and the typed components): the last
/// build's entries and this build's so far, by kind and name; the texts of
/// the build they were kept from; how many entries were made and taken.
pub(super) struct ByComponent<E> {
    texts: Texts,
    entries: Generations<(Kind, String), Rc<E>>,
    made: Cell<usize>,
    reused: Cell<usize>,
}

impl<E> Default for ByComponent<E> {
    fn default() -> Self {
        ByComponent {
            texts: Texts::default(),
            entries: Generations::default(),
            made: Cell::new(0),
            reused: Cell::new(0),
        }
    }
}

impl<E> ByComponent<E> {
    /// A build of the site in `sources` begins: how its files changed.
    pub(super) fn begin(&self, sources: &SourceMap) -> Edits {
        self.entries.begin();
        self.texts.edits_to(sources)
    }

    /// The last build's entry for `key`, taken out.
    pub(super) fn take_last(&self, key: &(Kind, String)) -> Option<Rc<E>> {
        self.entries.take_last(key)
    }

    /// `entry` is this build's, made again.
    pub(super) fn keep(&self, key: (Kind, String), entry: Rc<E>) {
        self.entries.keep(key, entry);
    }

    /// `entry`, the last build's, is this build's too.
    pub(super) fn reuse(&self, key: (Kind, String), entry: Rc<E>) {
        self.reused.set(self.reused.get() + 1);
        self.entries.keep(key, entry);
    }

    /// One more entry made again.
    pub(super) fn count_made(&self) {
        self.made.set(self.made.get() + 1);
    }

    pub(super) fn made(&self) -> usize {
        self.made.get()
    }

    pub(super) fn reused(&self) -> usize {
        self.reused.get()
    }
}

/// The last build's typed components and this build's so far, each with
/// the checked component it was converted from.
#[derive(Default)]
pub struct KeptTyped {
    memo: ByComponent<Entry>,
}

struct Entry {
    checked: Arc<CheckedComponent>,
    /// Shared with the builds that read it: one kept unchanged is not
    /// copied.
    typed: Arc<Component>,
}

impl KeptTyped {
    /// How many components were converted.
    pub fn converted(&self) -> usize {
        self.memo.made()
    }

    /// How many components were taken from a build before.
    pub fn reused(&self) -> usize {
        self.memo.reused()
    }

    /// A conversion of the site in `sources` begins.
    pub(super) fn begin(&self, sources: &SourceMap) -> Edits {
        self.memo.begin(sources)
    }

    /// The typed component of `c`: the last build's if `c` is its checked
    /// component unchanged, else `convert`'s, kept for the next build.
    pub(super) fn typed<E>(
        &self,
        c: Arc<CheckedComponent>,
        edits: &Edits,
        convert: impl FnOnce(&CheckedComponent) -> Result<Arc<Component>, E>,
    ) -> Result<Arc<Component>, E> {
        let key = (c.kind, c.name.clone());
        if let Some(entry) = self.memo.take_last(&key) {
            // The check kept it (`KeptChecks`): the same, not moved.
            let same = match Arc::ptr_eq(&entry.checked, &c) {
                true => Sameness::Equal,
                false => edits.compare(|e| entry.checked.same_after(e, &c)),
            };
            let entry = match same {
                Sameness::Equal => Some(entry),
                Sameness::Moved => Entry::moved(entry, edits).map(Rc::new),
                Sameness::Different => None,
            };
            if let Some(entry) = entry {
                let typed = Arc::clone(&entry.typed);
                self.memo.reuse(key, entry);
                return Ok(typed);
            }
        }
        self.memo.count_made();
        let typed = convert(&c)?;
        let entry = Rc::new(Entry {
            checked: c,
            typed: Arc::clone(&typed),
        });
        self.memo.keep(key, entry);
        Ok(typed)
    }
}

impl Entry {
    /// The entry with every span moved by `edits`, unless one has no
    /// place: moved where it is when nothing else holds it.
    fn moved(entry: Rc<Entry>, edits: &Edits) -> Option<Entry> {
        let to = |s| edits.span(s);
        let mut m = Mover::new(&to);
        let mut entry = Rc::try_unwrap(entry).unwrap_or_else(|e| Entry {
            checked: e.checked.clone(),
            typed: e.typed.clone(),
        });
        Arc::make_mut(&mut entry.checked).move_spans(&mut m);
        Arc::make_mut(&mut entry.typed).move_spans(&mut m);
        (!m.lost()).then_some(entry)
    }
}

impl MoveSpans for Typed {
    fn move_spans(&mut self, m: &mut Mover) {
        let Typed { value, prov } = self;
        m.prov(prov);
        match value {
            TVal::List(items) => items.move_spans(m),
            TVal::Map(map) => {
                for v in map.values_mut() {
                    v.move_spans(m);
                }
            }
            TVal::Record(rec) => rec.move_spans(m),
            TVal::Variant { value, .. } => value.move_spans(m),
            // The other values hold no span.
            _ => {}
        }
    }
}

impl MoveSpans for Rec {
    fn move_spans(&mut self, m: &mut Mover) {
        let Rec {
            schema: _,
            fields,
            span,
            waivers,
        } = self;
        m.span(span);
        for v in fields.values_mut() {
            v.move_spans(m);
        }
        for (_, w) in waivers {
            w.move_spans(m);
        }
    }
}

impl MoveSpans for CheckedComponent {
    fn move_spans(&mut self, m: &mut Mover) {
        let CheckedComponent {
            kind: _,
            name: _,
            name_span,
            header,
            waivers,
            doc: _,
            fields,
        } = self;
        m.span(name_span);
        m.span(header);
        waivers.move_spans(m);
        fields.move_spans(m);
    }
}

impl SameAfter for Typed {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        let Typed { value, prov } = self;
        prov.same_after(edits, &now.prov) && value.same_after(edits, &now.value)
    }
}

impl SameAfter for TVal {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        match (self, now) {
            (TVal::List(a), TVal::List(b)) => a.same_after(edits, b),
            (TVal::Map(a), TVal::Map(b)) => a.same_after(edits, b),
            (TVal::Record(a), TVal::Record(b)) => a.same_after(edits, b),
            (TVal::Variant { tag, value }, TVal::Variant { tag: t, value: v }) => {
                tag == t && value.same_after(edits, v)
            }
            // The other values hold no span.
            (a, b) => a == b,
        }
    }
}

impl SameAfter for Rec {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        let Rec {
            schema,
            fields,
            span,
            waivers,
        } = self;
        *schema == now.schema
            && span.same_after(edits, &now.span)
            && same_keyed(edits, fields.iter(), now.fields.iter())
            && same_keyed(edits, pairs(waivers), pairs(&now.waivers))
    }
}

impl SameAfter for CheckedComponent {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        let CheckedComponent {
            kind,
            name,
            name_span,
            header,
            waivers,
            doc,
            fields,
        } = self;
        *kind == now.kind
            && *name == now.name
            && *doc == now.doc
            && name_span.same_after(edits, &now.name_span)
            && header.same_after(edits, &now.header)
            && waivers.same_after(edits, &now.waivers)
            && fields.same_after(edits, &now.fields)
    }
}
