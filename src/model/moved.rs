//! Whether a component kept from the last build is this build's after an
//! edit: the same values, every span moved as its text moved
//! ([`Edits`]). A worker's lowering is kept by its component and the
//! components it reads (`lower/kept.rs`); with spans compared by
//! equality, a keystroke above them in their file would lose them all.
//!
//! Every type of the site model has [`SameAfter`]: the schemas' types in
//! the generated `moved/schema/`, the values they are built from here.

mod schema;

use std::sync::Arc;

use super::schema::*;
use super::{Component, Spec, Written};
use crate::map::IndexMap;
use crate::source::{Edits, Span};

/// `self`, from the last build, is `now` once its spans are moved by
/// `edits` ([`Edits::same`] for every span).
pub trait SameAfter {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool;
}

/// Types without spans: the same when equal.
macro_rules! by_value {
    ($($t:ty),* $(,)?) => {
        $(
            impl SameAfter for $t {
                fn same_after(&self, _: &Edits, now: &Self) -> bool {
                    self == now
                }
            }
        )*
    };
}
pub(crate) use by_value;

by_value!(
    String,
    bool,
    i64,
    u32,
    Quantity,
    Millis,
    SecretKeyRef,
    SecretName,
    ConfigMapKeyRef,
    ConfigMapName,
    SiteRef,
    ServerRef,
    PoolRef,
    WorkerRef,
    AgentRef,
    ExporterRef,
);

impl SameAfter for Span {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        edits.same(*self, *now)
    }
}

impl<T: SameAfter + ?Sized> SameAfter for Box<T> {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        (**self).same_after(edits, now)
    }
}

impl<T: SameAfter + ?Sized> SameAfter for Arc<T> {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        (**self).same_after(edits, now)
    }
}

impl<T: SameAfter> SameAfter for Option<T> {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        match (self, now) {
            (Some(a), Some(b)) => a.same_after(edits, b),
            (None, None) => true,
            (Some(_), None) | (None, Some(_)) => false,
        }
    }
}

impl<T: SameAfter> SameAfter for [T] {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.len() == now.len() && self.iter().zip(now).all(|(a, b)| a.same_after(edits, b))
    }
}

impl<T: SameAfter> SameAfter for Vec<T> {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.as_slice().same_after(edits, now)
    }
}

/// Two lists of keyed values: the same keys in the same order, and each
/// value the same after the edits.
pub fn same_keyed<'a, K: PartialEq, V: SameAfter + 'a>(
    edits: &Edits,
    last: impl ExactSizeIterator<Item = (K, &'a V)>,
    now: impl ExactSizeIterator<Item = (K, &'a V)>,
) -> bool {
    last.len() == now.len()
        && last
            .zip(now)
            .all(|((k, a), (l, b))| k == l && a.same_after(edits, b))
}

/// The pairs of a list of pairs, as [`same_keyed`] reads them.
pub fn pairs<K, V>(list: &[(K, V)]) -> impl ExactSizeIterator<Item = (&K, &V)> {
    list.iter().map(|(k, v)| (k, v))
}

/// In order: what is emitted follows the order written.
impl<V: SameAfter> SameAfter for IndexMap<String, V> {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        same_keyed(edits, self.iter(), now.iter())
    }
}

impl SameAfter for Prov {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        match (self, now) {
            (Prov::Source(a), Prov::Source(b)) => a.same_after(edits, b),
            (
                Prov::Default { component, field },
                Prov::Default {
                    component: c,
                    field: f,
                },
            ) => field == f && component.same_after(edits, c),
            (Prov::Source(_), Prov::Default { .. }) | (Prov::Default { .. }, Prov::Source(_)) => {
                false
            }
        }
    }
}

impl<T: SameAfter> SameAfter for Located<T> {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        let Located { value, prov } = self;
        prov.same_after(edits, &now.prov) && value.same_after(edits, &now.value)
    }
}

impl SameAfter for Waiver {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        let Waiver {
            rules,
            reason,
            until,
            owner,
            span,
        } = self;
        *reason == now.reason
            && *until == now.until
            && *owner == now.owner
            && span.same_after(edits, &now.span)
            && same_keyed(edits, pairs(rules), pairs(&now.rules))
    }
}

impl SameAfter for Written {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        let Written {
            path,
            name_at,
            span,
            text,
            waivers,
        } = self;
        *path == now.path
            && *name_at == now.name_at
            && *text == now.text
            && span.same_after(edits, &now.span)
            && waivers.same_after(edits, &now.waivers)
    }
}

impl SameAfter for Spec {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        match self {
            Spec::Server(a) => matches!(now, Spec::Server(b) if a.same_after(edits, b)),
            Spec::Pool(a) => matches!(now, Spec::Pool(b) if a.same_after(edits, b)),
            Spec::Worker(a) => matches!(now, Spec::Worker(b) if a.same_after(edits, b)),
            Spec::Agent(a) => matches!(now, Spec::Agent(b) if a.same_after(edits, b)),
            Spec::Exporter(a) => matches!(now, Spec::Exporter(b) if a.same_after(edits, b)),
        }
    }
}

/// Every field, so that a field added to [`Component`] is a compile error
/// here until it is compared.
impl<S: SameAfter> SameAfter for Component<S> {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        let Component {
            kind,
            name,
            name_span,
            header,
            waivers,
            doc,
            spec,
            body,
            written,
        } = self;
        *kind == now.kind
            && *name == now.name
            && *doc == now.doc
            && name_span.same_after(edits, &now.name_span)
            && header.same_after(edits, &now.header)
            && body.same_after(edits, &now.body)
            && waivers.same_after(edits, &now.waivers)
            && written.same_after(edits, &now.written)
            && spec.same_after(edits, &now.spec)
    }
}

/// Moves spans where a map says (after an edit: [`Edits::span`]) and
/// remembers a span it found no place for.
pub struct Mover<'a> {
    to: &'a dyn Fn(Span) -> Option<Span>,
    lost: bool,
}

impl<'a> Mover<'a> {
    pub fn new(to: &'a dyn Fn(Span) -> Option<Span>) -> Mover<'a> {
        Mover { to, lost: false }
    }

    /// Whether a span had no place (the value moved is then not to be used).
    pub fn lost(&self) -> bool {
        self.lost
    }

    pub fn span(&mut self, span: &mut Span) {
        match (self.to)(*span) {
            Some(now) => *span = now,
            None => self.lost = true,
        }
    }

    pub fn prov(&mut self, prov: &mut Prov) {
        match prov {
            Prov::Source(span) => self.span(span),
            Prov::Default { component, .. } => self.span(component),
        }
    }
}

/// A value of the site model with every span moved ([`Mover`]): a kept
/// component that is [`SameAfter`] an edit, made this build's.
pub trait MoveSpans {
    fn move_spans(&mut self, m: &mut Mover);
}

/// Types without spans.
macro_rules! no_spans {
    ($($t:ty),* $(,)?) => {
        $(
            impl MoveSpans for $t {
                fn move_spans(&mut self, _: &mut Mover) {}
            }
        )*
    };
}
pub(crate) use no_spans;

no_spans!(
    String,
    bool,
    i64,
    u32,
    Quantity,
    Millis,
    SecretKeyRef,
    SecretName,
    ConfigMapKeyRef,
    ConfigMapName,
    SiteRef,
    ServerRef,
    PoolRef,
    WorkerRef,
    AgentRef,
    ExporterRef,
);

impl MoveSpans for Span {
    fn move_spans(&mut self, m: &mut Mover) {
        m.span(self);
    }
}

impl MoveSpans for Prov {
    fn move_spans(&mut self, m: &mut Mover) {
        m.prov(self);
    }
}

impl<T: MoveSpans + ?Sized> MoveSpans for Box<T> {
    fn move_spans(&mut self, m: &mut Mover) {
        (**self).move_spans(m);
    }
}

impl<T: MoveSpans> MoveSpans for Option<T> {
    fn move_spans(&mut self, m: &mut Mover) {
        if let Some(v) = self {
            v.move_spans(m);
        }
    }
}

impl<T: MoveSpans> MoveSpans for [T] {
    fn move_spans(&mut self, m: &mut Mover) {
        for v in self {
            v.move_spans(m);
        }
    }
}

impl<T: MoveSpans> MoveSpans for Vec<T> {
    fn move_spans(&mut self, m: &mut Mover) {
        self.as_mut_slice().move_spans(m);
    }
}

impl<V: MoveSpans> MoveSpans for IndexMap<String, V> {
    fn move_spans(&mut self, m: &mut Mover) {
        for v in self.values_mut() {
            v.move_spans(m);
        }
    }
}

impl<T: MoveSpans> MoveSpans for Located<T> {
    fn move_spans(&mut self, m: &mut Mover) {
        let Located { value, prov } = self;
        m.prov(prov);
        value.move_spans(m);
    }
}

impl MoveSpans for Waiver {
    fn move_spans(&mut self, m: &mut Mover) {
        let Waiver {
            rules,
            reason: _,
            until: _,
            owner: _,
            span,
        } = self;
        m.span(span);
        for (_, span) in rules {
            m.span(span);
        }
    }
}

impl MoveSpans for Written {
    fn move_spans(&mut self, m: &mut Mover) {
        let Written {
            path: _,
            name_at: _,
            span,
            text: _,
            waivers,
        } = self;
        m.span(span);
        waivers.move_spans(m);
    }
}

impl MoveSpans for Spec {
    fn move_spans(&mut self, m: &mut Mover) {
        match self {
            Spec::Server(s) => s.move_spans(m),
            Spec::Pool(s) => s.move_spans(m),
            Spec::Worker(s) => s.move_spans(m),
            Spec::Agent(s) => s.move_spans(m),
            Spec::Exporter(s) => s.move_spans(m),
        }
    }
}

impl<S: MoveSpans> MoveSpans for Component<S> {
    fn move_spans(&mut self, m: &mut Mover) {
        let Component {
            kind: _,
            name: _,
            name_span,
            header,
            waivers,
            doc: _,
            spec,
            body,
            written,
        } = self;
        for s in [name_span, header, body] {
            m.span(s);
        }
        waivers.move_spans(m);
        written.move_spans(m);
        spec.move_spans(m);
    }
}

#[cfg(test)]
mod tests {
    use super::SameAfter;
    use crate::source::{Sameness, Texts};

    /// How each component of `last`'s site compares with the same one of
    /// `now`'s, after the edit from `last` to `now`.
    fn compare(last: &str, now: &str) -> Vec<(String, Sameness)> {
        let (a, b) = (crate::build_text(last), crate::build_text(now));
        let texts = Texts::default();
        texts.edits_to(&a.sources);
        let edits = texts.edits_to(&b.sources);
        let (a, b) = (a.site.expect("builds"), b.site.expect("builds"));
        let site = edits.compare(|e| a.site.same_after(e, &b.site));
        let mut all = vec![("site".to_string(), site)];
        assert_eq!(a.components.len(), b.components.len());
        for (x, y) in a.components.iter().zip(&b.components) {
            all.push((x.name.clone(), edits.compare(|e| x.same_after(e, y))));
        }
        all
    }

    /// Lines above everything move every component and change none; the
    /// same text changes nothing; a changed value is found, in the
    /// component that has it only.
    #[test]
    fn a_component_is_the_same_moved_and_not_when_changed() {
        let text = include_str!("../../examples/production.pfk");
        let moved = compare(text, &format!("// above\n\n{text}"));
        assert!(moved.len() > 4, "{moved:?}");
        assert!(
            moved.iter().all(|(_, s)| *s == Sameness::Moved),
            "{moved:?}"
        );
        let same = compare(text, text);
        assert!(same.iter().all(|(_, s)| *s == Sameness::Equal), "{same:?}");

        // The same length: only the value tells it from the text before.
        let changed = text.replacen("replicas       = 2", "replicas       = 3", 1);
        assert_ne!(changed, text);
        let found = compare(text, &changed);
        let different: Vec<_> = found
            .iter()
            .filter(|(_, s)| *s == Sameness::Different)
            .collect();
        assert_eq!(different.len(), 1, "{found:?}");
    }

    /// A value is compared by what it is and by where it came from.
    #[test]
    fn a_located_value_is_its_value_and_its_place() {
        use crate::model::{Located, Prov};
        use crate::source::{FileId, SourceMap, Span};
        let texts = Texts::default();
        let mut map = SourceMap::default();
        map.add("site.pfk".into(), "x = 1".to_string());
        texts.edits_to(&map);
        let mut map = SourceMap::default();
        map.add("site.pfk".into(), "\nx = 1".to_string());
        let edits = texts.edits_to(&map);
        let at = |start| {
            Prov::Source(Span {
                anchor: FileId(0).into(),
                start,
                end: start + 1,
            })
        };
        let one = |start| Located {
            value: 1_i64,
            prov: at(start),
        };
        assert_eq!(
            edits.compare(|e| one(4).same_after(e, &one(5))),
            Sameness::Moved
        );
        assert_eq!(
            edits.compare(|e| one(4).same_after(e, &one(4))),
            Sameness::Different
        );
        let two = Located {
            value: 2_i64,
            prov: at(5),
        };
        assert_eq!(
            edits.compare(|e| one(4).same_after(e, &two)),
            Sameness::Different
        );
    }

    /// Judged by the components' debug text, not by the mover's own walk:
    /// every span a typed component holds moves.
    #[test]
    fn every_span_a_component_holds_moves() {
        use super::{MoveSpans, Mover};
        use crate::source::Span;
        let starts = |text: &str| -> Vec<u32> {
            // A span's debug text: `start: 12, end: 14 }`.
            text.match_indices("start: ")
                .filter_map(|(i, m)| {
                    let digits = &text[i + m.len()..];
                    let end = digits.find(|c: char| !c.is_ascii_digit())?;
                    digits[end..].starts_with(", end: ").then_some(())?;
                    digits[..end].parse().ok()
                })
                .collect()
        };
        let far = |s: Span| {
            Some(Span {
                start: s.start + 100_000,
                end: s.end + 100_000,
                ..s
            })
        };
        let mut spans = 0;
        for text in [
            include_str!("../../examples/production.pfk"),
            include_str!("../../examples/scheduling.pfk"),
            include_str!("../../examples/legacy-agent.pfk"),
            include_str!("../../examples/cloud-workers.pfk"),
        ] {
            let site = crate::build_text(text).site.expect("builds");
            let mut site_component = site.site.clone();
            let mut m = Mover::new(&far);
            site_component.move_spans(&mut m);
            let mut pairs = vec![(format!("{:?}", site.site), format!("{site_component:?}"))];
            for c in &site.components {
                let mut moved = (**c).clone();
                moved.move_spans(&mut m);
                pairs.push((format!("{c:?}"), format!("{moved:?}")));
            }
            assert!(!m.lost());
            for (before, after) in pairs {
                let before = starts(&before);
                let expected: Vec<u32> = before.iter().map(|s| s + 100_000).collect();
                assert_eq!(starts(&after), expected, "{after}");
                spans += before.len();
            }
        }
        assert!(spans > 1_000, "{spans} spans");
    }
}
