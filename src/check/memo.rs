//! The checks of one build kept for the next build of the same site (the
//! language server's, issue 17): a component whose resolved values are the
//! last build's after the edit, and whose check would read the same of the
//! site, checks as it did, and is not checked again.
//!
//! A component's check reads its resolved values, the schemas (the same
//! for every build) and, through [`Checker`](super::value::Checker), the
//! site's components: the names it looked up ([`Reads::names`]), each with
//! the kinds and places of the components so named, which are compared
//! too. A check that read more than that ([`Reads::whole`]: the candidates
//! for a name that is none, another component's values) is not kept.
//!
//! What is kept is the check of the component alone: the checked values
//! before the cross-component rules, its diagnostics, and whether it
//! failed. The rules run on every build, as without the memo. An edit
//! above a component in its file does not move it (its spans count from
//! its declaration's piece, [`crate::source::Anchor`]); in a file parsed
//! whole, which an edit does move, a component it moved is checked again.

use std::rc::Rc;
use std::sync::Arc;

use super::kept::ByComponent;
use super::model::{CheckedComponent, Kind};
use super::value::{Reads, SiteNames};
use crate::diagnostics::Diagnostic;
use crate::map::HashMap;
use crate::model::moved::SameAfter;
use crate::resolve::{self, Attribute, Field, Record, Use, Value, ValueKind};
use crate::source::{Edits, Sameness, SourceMap, Span};
use crate::syntax::ast::Ident;

/// The last build's checks and this build's so far, by kind and name.
#[derive(Default)]
pub struct KeptChecks {
    memo: ByComponent<Entry>,
}

/// A name the check looked up, and what it found: the kind and the name's
/// place of each component so named, in order.
struct Read {
    name: String,
    found: Vec<(String, Span)>,
}

impl Read {
    fn of(name: String, site: &SiteNames) -> Read {
        let found = site
            .components
            .named(&name)
            .map(|c| (c.kind.name.clone(), c.name_span))
            .collect();
        Read { name, found }
    }

    /// Whether the site's components named so are those found, after `edits`.
    fn holds(&self, edits: &Edits, site: &SiteNames) -> bool {
        let mut now = site.components.named(&self.name);
        self.found.iter().all(|(kind, span)| {
            now.next()
                .is_some_and(|c| c.kind.name == *kind && edits.same(*span, c.name_span))
        }) && now.next().is_none()
    }
}

/// The check of one component, kept for the next build.
pub(super) struct Entry {
    resolved: Arc<resolve::Component>,
    reads: Vec<Read>,
    /// The checked values, completed by the cross-component rules when
    /// `completed_from` says so.
    pub checked: Arc<CheckedComponent>,
    pub diags: Vec<Diagnostic>,
    pub failed: bool,
    /// The pool (its name and its checked values) the rules completed a
    /// worker from (its type, its pool as a reference): the completed
    /// values hold while that pool's are the same.
    pub completed_from: Option<(String, Arc<CheckedComponent>)>,
}

/// A component checked by this build, to keep once the rules have run.
pub(super) struct Fresh {
    pub kind: Kind,
    /// Its index among the resolved components.
    pub resolved: usize,
    reads: Vec<Read>,
    pub diags: Vec<Diagnostic>,
    pub failed: bool,
}

impl KeptChecks {
    /// How many components were checked.
    pub fn checked(&self) -> usize {
        self.memo.made()
    }

    /// How many checks were taken from a build before.
    pub fn reused(&self) -> usize {
        self.memo.reused()
    }

    /// A check of the site in `sources` begins.
    pub(super) fn begin(&self, sources: &SourceMap) -> Edits {
        self.memo.begin(sources)
    }

    /// The last build's check of `c`, if `c` is its component, unmoved,
    /// and the site has what the check read. A component the edit moved
    /// (below it in a file parsed whole, see [`crate::source::Anchor`]) is
    /// checked again: moving the spans of its checked values means copying
    /// them (the typed components kept share them), which costs more than
    /// checking them.
    fn last(
        &self,
        kind: Kind,
        c: &Arc<resolve::Component>,
        edits: &Edits,
        site: &SiteNames,
    ) -> Option<Rc<Entry>> {
        let last = self.memo.take_last(&(kind, c.name.clone()))?;
        // The whole declaration first: one the edit moved or resized is
        // checked again, without comparing the rest.
        if last.resolved.span != c.span {
            return None;
        }
        // Resolve kept it (`resolve::KeptEvaluations`): the same values.
        let unchanged = Arc::ptr_eq(&last.resolved, c);
        let same = edits.compare(|edits| {
            (unchanged || (*last.resolved).same_after(edits, c))
                && last.reads.iter().all(|r| r.holds(edits, site))
        });
        (same == Sameness::Equal).then_some(last)
    }

    /// The last build's checks this build takes, by index of `components`:
    /// each one [`KeptChecks::last`] gives, but a worker's completed from a
    /// pool whose check is not taken too.
    pub(super) fn take_all(
        &self,
        components: &[Arc<resolve::Component>],
        edits: &Edits,
        site: &SiteNames,
    ) -> Vec<Option<Rc<Entry>>> {
        let mut taken: Vec<Option<Rc<Entry>>> = components
            .iter()
            .map(|c| self.last(Kind::parse(&c.kind.name)?, c, edits, site))
            .collect();
        // The first pool of each name, as the rules find it.
        let mut pools: HashMap<&str, usize> = HashMap::default();
        for (i, c) in components.iter().enumerate() {
            if Kind::parse(&c.kind.name) == Some(Kind::Pool) {
                pools.entry(c.name.as_str()).or_insert(i);
            }
        }
        for i in 0..taken.len() {
            let holds = match taken[i].as_ref().and_then(|e| e.completed_from.as_ref()) {
                None => continue,
                Some((pool, checked)) => pools
                    .get(pool.as_str())
                    .and_then(|&p| taken[p].as_ref())
                    .is_some_and(|p| Arc::ptr_eq(&p.checked, checked)),
            };
            if !holds {
                taken[i] = None;
            }
        }
        taken
    }

    /// `entry`, from [`KeptChecks::last`], is this build's check of its
    /// component.
    pub(super) fn reuse(&self, kind: Kind, entry: Rc<Entry>) {
        self.memo.reuse((kind, entry.resolved.name.clone()), entry);
    }

    /// What the check of `resolved[i]` read and gave, unless it read more
    /// of the site than names (then it is not kept).
    pub(super) fn fresh(
        &self,
        kind: Kind,
        i: usize,
        reads: Reads,
        site: &SiteNames,
        diags: &[Diagnostic],
        failed: bool,
    ) -> Option<Fresh> {
        self.memo.count_made();
        if reads.whole {
            return None;
        }
        let mut names = reads.names;
        names.sort_unstable();
        names.dedup();
        Some(Fresh {
            kind,
            resolved: i,
            reads: names.into_iter().map(|n| Read::of(n, site)).collect(),
            diags: diags.to_vec(),
            failed,
        })
    }

    /// Keeps `fresh`, a check of `c`, with its checked values once the
    /// rules have run.
    pub(super) fn keep(
        &self,
        fresh: Fresh,
        c: &Arc<resolve::Component>,
        checked: Arc<CheckedComponent>,
        completed_from: Option<(String, Arc<CheckedComponent>)>,
    ) {
        let Fresh {
            kind,
            resolved: _,
            reads,
            diags,
            failed,
        } = fresh;
        let entry = Entry {
            resolved: Arc::clone(c),
            reads,
            checked,
            diags,
            failed,
            completed_from,
        };
        self.memo.keep((kind, c.name.clone()), Rc::new(entry));
    }
}

impl SameAfter for resolve::Component {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        let resolve::Component {
            kind,
            name,
            name_span,
            span,
            attrs,
            doc,
            body,
        } = self;
        *name == now.name
            && *doc == now.doc
            && kind.same_after(edits, &now.kind)
            && name_span.same_after(edits, &now.name_span)
            && span.same_after(edits, &now.span)
            && attrs.same_after(edits, &now.attrs)
            && body.same_after(edits, &now.body)
    }
}

impl SameAfter for Ident {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        let Ident { name, span } = self;
        *name == now.name && span.same_after(edits, &now.span)
    }
}

impl SameAfter for Use {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        let Use { name, span } = self;
        *name == now.name && span.same_after(edits, &now.span)
    }
}

impl SameAfter for Attribute {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        let Attribute { name, args, span } = self;
        name.same_after(edits, &now.name)
            && span.same_after(edits, &now.span)
            && args.len() == now.args.len()
            && args
                .iter()
                .zip(&now.args)
                .all(|((k, v), (l, w))| k.same_after(edits, l) && v.same_after(edits, w))
    }
}

impl SameAfter for Record {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        let Record { fields, span } = self;
        span.same_after(edits, &now.span) && fields.same_after(edits, &now.fields)
    }
}

impl SameAfter for Field {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        let Field {
            key,
            value,
            attrs,
            append_to_default,
        } = self;
        *append_to_default == now.append_to_default
            && key.same_after(edits, &now.key)
            && value.same_after(edits, &now.value)
            && attrs.same_after(edits, &now.attrs)
    }
}

impl SameAfter for Value {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        let Value {
            kind,
            span,
            used_at,
        } = self;
        span.same_after(edits, &now.span)
            && used_at.same_after(edits, &now.used_at)
            && kind.same_after(edits, &now.kind)
    }
}

impl SameAfter for ValueKind {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        use ValueKind as V;
        match (self, now) {
            (V::List(a), V::List(b)) => a.same_after(edits, b),
            (V::Record(a), V::Record(b)) => a.same_after(edits, b),
            (V::Tagged { tag, body }, V::Tagged { tag: t, body: b }) => {
                tag.same_after(edits, t) && body.same_after(edits, b)
            }
            (V::Member { base, path }, V::Member { base: b, path: p }) => {
                base.same_after(edits, b) && path.same_after(edits, p)
            }
            (
                V::Bool(_)
                | V::None
                | V::Number(_)
                | V::Quantity { .. }
                | V::Str(_)
                | V::Name(_)
                | V::Secret { .. }
                | V::ConfigMap { .. }
                | V::Poisoned,
                _,
            ) => self == now,
            // A kind holding spans against another kind.
            (V::List(_) | V::Record(_) | V::Tagged { .. } | V::Member { .. }, _) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SameAfter;
    use crate::resolve::{self, Attribute, Field, Record, Use, Value, ValueKind};
    use crate::source::{FileId, Span};
    use crate::syntax::ast::Ident;

    fn ident(name: &str, at: usize) -> Ident {
        Ident {
            name: name.to_string(),
            span: Span::new(FileId(0), at, at + name.len()),
        }
    }

    fn value(s: &str) -> Value {
        Value::new(ValueKind::Str(s.to_string()), Span::new(FileId(0), 40, 43))
    }

    /// Each part of a resolved value is compared: the same is the same,
    /// and a part changed at the same length (so no span tells) is not.
    #[test]
    fn every_part_of_a_resolved_value_is_compared() {
        // A file of the same text in both builds: every span stays.
        let mut map = crate::source::SourceMap::default();
        map.add("site.pfk".into(), "x".repeat(60));
        let texts = crate::source::Texts::default();
        texts.edits_to(&map);
        let e = texts.edits_to(&map);
        assert!(ident("name", 3).same_after(&e, &ident("name", 3)));
        assert!(!ident("name", 3).same_after(&e, &ident("nave", 3)));
        assert!(!ident("name", 3).same_after(&e, &ident("name", 4)));

        let used = |name: &str| Use {
            name: name.to_string(),
            span: Span::new(FileId(0), 9, 12),
        };
        assert!(used("cpu").same_after(&e, &used("cpu")));
        assert!(!used("cpu").same_after(&e, &used("gpu")));

        let attr = |key: &str, reason: &str, args: usize| Attribute {
            name: ident("allow", 1),
            args: (0..args)
                .map(|_| (Some(ident(key, 20)), value(reason)))
                .collect(),
            span: Span::new(FileId(0), 0, 50),
        };
        assert!(attr("reason", "a", 1).same_after(&e, &attr("reason", "a", 1)));
        assert!(!attr("reason", "a", 1).same_after(&e, &attr("reason", "b", 1)));
        assert!(!attr("reason", "a", 1).same_after(&e, &attr("reasox", "a", 1)));
        assert!(!attr("reason", "a", 1).same_after(&e, &attr("reason", "a", 2)));

        let field = |append: bool, attrs: Vec<Attribute>| Field {
            key: ident("env", 5),
            value: value("x"),
            attrs,
            append_to_default: append,
        };
        assert!(field(false, vec![]).same_after(&e, &field(false, vec![])));
        assert!(!field(false, vec![]).same_after(&e, &field(true, vec![])));
        let waived = vec![attr("reason", "a", 1)];
        assert!(!field(false, waived).same_after(&e, &field(false, vec![])));
        let mut renamed = attr("reason", "a", 1);
        renamed.name = ident("allox", 1);
        assert!(!attr("reason", "a", 1).same_after(&e, &renamed));

        // Records, values, tags and member accesses: one part changed,
        // the others as they were.
        let field_of = |v: &str| Field {
            key: ident("env", 5),
            value: value(v),
            attrs: Vec::new(),
            append_to_default: false,
        };
        let record = |at: usize, v: &str| Record {
            fields: [("env".to_string(), field_of(v))].into_iter().collect(),
            span: Span::new(FileId(0), at, 50),
        };
        assert!(record(2, "x").same_after(&e, &record(2, "x")));
        assert!(!record(2, "x").same_after(&e, &record(3, "x")));
        assert!(!record(2, "x").same_after(&e, &record(2, "y")));
        let mut moved = value("x");
        moved.span = Span::new(FileId(0), 41, 44);
        assert!(!value("x").same_after(&e, &moved));
        let kind = |k: ValueKind| Value::new(k, Span::new(FileId(0), 40, 43));
        let tagged = |tag: &str, v: &str| {
            kind(ValueKind::Tagged {
                tag: ident(tag, 30),
                body: record(2, v),
            })
        };
        assert!(tagged("aws", "x").same_after(&e, &tagged("aws", "x")));
        assert!(!tagged("aws", "x").same_after(&e, &tagged("gcp", "x")));
        assert!(!tagged("aws", "x").same_after(&e, &tagged("aws", "y")));
        let member = |base: &str, path: &str| {
            kind(ValueKind::Member {
                base: ident(base, 30),
                path: vec![ident(path, 33)],
            })
        };
        assert!(member("a1", "replicas").same_after(&e, &member("a1", "replicas")));
        assert!(!member("a1", "replicas").same_after(&e, &member("a2", "replicas")));
        assert!(!member("a1", "replicas").same_after(&e, &member("a1", "replicaz")));
        assert!(!tagged("aws", "x").same_after(&e, &value("x")));

        let component = |name: &str, doc: &str, v: &str| resolve::Component {
            kind: ident("pool", 0),
            name: name.to_string(),
            name_span: Span::new(FileId(0), 5, 7),
            span: Span::new(FileId(0), 0, 55),
            attrs: Vec::new(),
            doc: Some(doc.to_string()),
            body: record(8, v),
        };
        let c = component("p1", "The pool.", "x");
        assert!(c.same_after(&e, &component("p1", "The pool.", "x")));
        assert!(!c.same_after(&e, &component("p2", "The pool.", "x")));
        assert!(!c.same_after(&e, &component("p1", "The pooh.", "x")));
        assert!(!c.same_after(&e, &component("p1", "The pool.", "y")));
    }
}
