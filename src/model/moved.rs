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

/// In order: what is emitted follows the order written.
impl<V: SameAfter> SameAfter for IndexMap<String, V> {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.len() == now.len()
            && self
                .iter()
                .zip(now)
                .all(|((k, a), (l, b))| k == l && a.same_after(edits, b))
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
            && rules.len() == now.rules.len()
            && rules
                .iter()
                .zip(&now.rules)
                .all(|((r, a), (s, b))| r == s && a.same_after(edits, b))
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
                file: FileId(0),
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
}
