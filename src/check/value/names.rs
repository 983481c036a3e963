//! Names of components: references, the error for a name that is none
//! (with did-you-mean), and member access (`component.field`).

use super::{Checker, Origin};
use crate::check::error::{Expected, ValueError};
use crate::check::model::{Kind, TVal, Typed};
use crate::diagnostics::did_you_mean_name;
use crate::resolve::{Value, ValueKind};
use crate::source::Span;

impl Checker<'_> {
    pub(super) fn reference(
        &mut self,
        v: &Value,
        kind: Kind,
        path: &str,
        origin: Origin,
    ) -> Option<Typed> {
        let ValueKind::Name(n) = &v.kind else {
            self.mismatch(v, Expected::Reference(kind));
            return None;
        };
        if self.component_of(kind, n).is_some() {
            return Some(self.typed(
                TVal::Ref {
                    kind,
                    name: n.clone(),
                },
                origin,
                v.span,
                path,
            ));
        }
        self.unresolved(n, v.span, &[kind]);
        None
    }

    /// `name` is no component of the expected kinds: say what it is, or what was meant.
    pub(super) fn unresolved(&mut self, name: &str, span: Span, kinds: &[Kind]) {
        if let Some(other) = self.site().components.first(name) {
            let candidates: Vec<String> = self
                .site()
                .components
                .all()
                .iter()
                .filter(|c| Kind::parse(&c.kind.name).is_some_and(|k| kinds.contains(&k)))
                .map(|c| c.name.clone())
                .collect();
            self.diags.report(ValueError::WrongKind {
                span,
                name: name.to_string(),
                kind: other.kind.name.clone(),
                declared: other.name_span,
                wanted: kinds.to_vec(),
                candidates,
            });
            return;
        }
        if self.site().names_lost {
            // No component has this name, but a file failed to load or parse and
            // may declare it. The failure that lost the declaration has been reported; the
            // component's cross-component rules would only restate it.
            self.poisoned = true;
            return;
        }
        let mut candidates: Vec<&str> = self
            .site()
            .components
            .all()
            .iter()
            .filter(|c| {
                kinds.is_empty() || Kind::parse(&c.kind.name).is_some_and(|k| kinds.contains(&k))
            })
            .map(|c| c.name.as_str())
            .collect();
        candidates.extend(self.site().bound_names.iter().map(String::as_str));
        let suggestion = did_you_mean_name(name, candidates.iter().copied()).map(str::to_string);
        self.diags.report(ValueError::CannotFind {
            span,
            name: name.to_string(),
            kinds: kinds.to_vec(),
            suggestion,
        });
    }

    /// `component.field[.field…]`: the value written in another component.
    pub(super) fn member(
        &mut self,
        base: &crate::syntax::ast::Ident,
        path: &[crate::syntax::ast::Ident],
    ) -> Option<Value> {
        let Some(c) = self.site().components.first(&base.name) else {
            self.unresolved(&base.name, base.span, &[]);
            return None;
        };
        let mut fields = &c.body.fields;
        let mut found: Option<&Value> = None;
        for m in path {
            let Some(f) = fields.get(&m.name) else {
                self.diags.report(ValueError::NoSuchMember {
                    span: m.span,
                    component: base.name.clone(),
                    member: m.name.clone(),
                    kind: c.kind.name.clone(),
                    declared: c.name_span,
                });
                return None;
            };
            if f.value.kind == ValueKind::Poisoned {
                self.poisoned = true;
                return None;
            }
            found = Some(&f.value);
            if let ValueKind::Record(r) | ValueKind::Tagged { body: r, .. } = &f.value.kind {
                fields = &r.fields;
            }
        }
        found.cloned()
    }
}
