//! Names of components: references, the error for a name that is none
//! (with did-you-mean), and member access (`component.field`).

use super::{Checker, Origin};
use crate::check::error::{Expected, ValueError};
use crate::check::model::{Kind, TVal, Typed};
use crate::diagnostics::Suggest;
use crate::resolve::{Value, ValueKind};
use crate::source::Span;

/// How many candidates E0302 names (`the candidates here are …`): a site
/// of 10,000 pools listed them all in each error.
const SHOWN: usize = 5;

/// The components of some kinds, in their order, and the did-you-mean
/// over them and the names bound at the top level.
pub(super) struct NamesOf<'a> {
    components: Vec<&'a str>,
    suggest: Suggest<&'a str>,
}

impl<'a> Checker<'a> {
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
            let of = self.names_of(kinds);
            let candidates = of
                .components
                .iter()
                .take(SHOWN)
                .map(|c| c.to_string())
                .collect();
            let more = of.components.len().saturating_sub(SHOWN);
            self.diags.report(ValueError::WrongKind {
                span,
                name: name.to_string(),
                kind: other.kind.name.clone(),
                declared: other.name_span,
                wanted: kinds.to_vec(),
                candidates,
                more,
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
        let suggestion = self.names_of(kinds).suggest.best(name).map(str::to_string);
        self.diags.report(ValueError::CannotFind {
            span,
            name: name.to_string(),
            kinds: kinds.to_vec(),
            suggestion,
        });
    }

    /// The names a name that is none is compared with when a component of
    /// `kinds` (of any kind, when empty) was expected: made once, for the
    /// first.
    fn names_of(&mut self, kinds: &[Kind]) -> &mut NamesOf<'a> {
        let at = match self.names_of.iter().position(|(k, _)| k == kinds) {
            Some(at) => at,
            None => {
                let site = self.site();
                let components: Vec<&'a str> = site
                    .components
                    .all()
                    .iter()
                    .filter(|c| {
                        kinds.is_empty()
                            || Kind::parse(&c.kind.name).is_some_and(|k| kinds.contains(&k))
                    })
                    .map(|c| c.name.as_str())
                    .collect();
                let mut names = components.clone();
                names.extend(site.bound_names.iter().map(String::as_str));
                let suggest = Suggest::names(names);
                self.names_of.push((
                    kinds.to_vec(),
                    NamesOf {
                        components,
                        suggest,
                    },
                ));
                self.names_of.len() - 1
            }
        };
        &mut self.names_of[at].1
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

#[cfg(test)]
mod tests {
    /// Each name that is none is compared with the names of the kinds
    /// wanted where it stands (a pool, a server, any component), and a
    /// component of another kind is answered with the components of the
    /// wanted kind, however many: one build asks for each, so that what
    /// is made for the first kinds is not given for the next.
    #[test]
    fn names_that_are_none_are_compared_with_the_names_of_their_kinds() {
        let out = crate::build_text(
            "site demo { namespace = \"prefect\", prefect = \"3.4.25\" }\n\
             server prefect { database = sqlite {} }\n\
             pool etl { type = kubernetes }\n\
             pool ml { type = kubernetes }\n\
             pool reports { type = kubernetes }\n\
             worker w1 { pool = etx, api = prefect }\n\
             worker w2 { pool = etl, api = prefekt }\n\
             worker w3 { pool = etl, api = prefect, replicas = w9.replicas }\n\
             worker w4 { pool = w1, api = prefect }\n\
             worker w5 { pool = etl, api = w1 }\n\
             worker w6 { pool = ml, api = prefect, replicas = w9.replicas }\n",
        );
        let helps: Vec<(String, String)> = out
            .diagnostics
            .iter()
            .map(|d| (d.message.clone(), d.help.clone().unwrap_or_default()))
            .collect();
        let expected = [
            ("cannot find `etx`", "did you mean `etl`?"),
            ("cannot find `prefekt`", "did you mean `prefect`?"),
            ("cannot find `w9`", "did you mean `w1`?"),
            (
                "`w1` is a worker, not a pool",
                "the candidates here are `etl`, `ml`, `reports`",
            ),
            (
                "`w1` is a worker, not a server",
                "the only server here is `prefect`",
            ),
            ("cannot find `w9`", "did you mean `w1`?"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(m, h)| (m.to_string(), h.to_string()))
            .collect();
        assert_eq!(helps, expected);
    }
}
