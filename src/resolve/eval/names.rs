//! Reading a name: loop variables, params and lazily evaluated lets, member
//! paths (`a.b.c`), and the error for a name that is none of them.

use super::{Bound, Env, LetState};
use crate::diagnostics::{Diagnostics, did_you_mean};
use crate::resolve::error::EvalError;
use crate::resolve::tree::*;
use crate::source::Span;
use crate::syntax::ast::Ident;

impl Env {
    pub(super) fn lookup(
        &mut self,
        name: &Ident,
        diags: &mut Diagnostics,
    ) -> Option<Option<Value>> {
        if let Some(i) = self.scope.iter().rposition(|(n, _)| *n == name.name) {
            let v = match &self.scope[i].1 {
                Bound::Value(v) => (**v).clone(),
                Bound::Let { expr, upto } => {
                    // Evaluated with the bindings before it, then kept; a
                    // let that failed is kept poisoned, so that its uses are
                    // not also reported.
                    let (expr, upto) = (expr.clone(), *upto);
                    let rest = self.scope.split_off(upto);
                    let v = self
                        .eval(&expr, diags)
                        .unwrap_or(Value::poisoned(expr.span));
                    self.scope.extend(rest);
                    self.scope[i].1 = Bound::Value(v.clone().into());
                    v
                }
            };
            return Some(Some(v).filter(|v| v.kind != ValueKind::Poisoned));
        }
        if let Some(p) = self.params.get(&name.name) {
            self.used.insert(name.name.clone());
            if let Some(r) = &mut self.recording {
                r.read(&name.name, Some(p.value.as_ref()));
            }
            return Some(p.value.clone());
        }
        let Some(slot) = self.lets.get_mut(&name.name) else {
            if let Some(r) = &mut self.recording {
                r.read(&name.name, None);
            }
            return None;
        };
        self.used.insert(name.name.clone());
        match &slot.state {
            LetState::Done(v) => {
                if let Some(r) = &mut self.recording {
                    r.read(&name.name, Some(Some(v)));
                }
                Some(Some(v.clone()))
            }
            LetState::Failed => {
                if let Some(r) = &mut self.recording {
                    r.read(&name.name, Some(None));
                }
                Some(None)
            }
            LetState::InProgress => {
                let at = slot.name.span;
                slot.state = LetState::Failed;
                diags.report(EvalError::LetCycle {
                    name: name.clone(),
                    defined: at,
                });
                Some(None)
            }
            LetState::Unevaluated => {
                let expr = slot.expr.clone();
                slot.state = LetState::InProgress;
                // Lets are global: evaluate without the caller's loop variables.
                let saved = std::mem::take(&mut self.scope);
                let steps = self.budget.steps();
                if let Some(r) = &mut self.recording {
                    r.in_let += 1;
                }
                let v = self.eval(&expr, diags);
                if let Some(r) = &mut self.recording {
                    r.in_let -= 1;
                    if r.in_let == 0 {
                        r.let_steps += self.budget.steps() - steps;
                    }
                    r.read(&name.name, Some(v.as_ref()));
                }
                self.scope = saved;
                let slot = self.lets.get_mut(&name.name).expect("the let still exists");
                if !matches!(slot.state, LetState::Failed) {
                    slot.state = match &v {
                        Some(v) => LetState::Done(v.clone()),
                        None => LetState::Failed,
                    };
                }
                Some(v)
            }
        }
    }

    pub(super) fn path(
        &mut self,
        ids: &[Ident],
        span: Span,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        if ids.len() > 1
            && let Some(v) = self.loop_member(ids, span, diags)
        {
            return v;
        }
        let base = &ids[0];
        let Some(bound) = self.lookup(base, diags) else {
            if ids.len() == 1 {
                return Some(Value::new(ValueKind::Name(base.name.clone()), span));
            }
            return Some(Value::new(
                ValueKind::Member {
                    base: base.clone(),
                    path: ids[1..].to_vec(),
                },
                span,
            ));
        };
        let v = bound?;
        // Reading a name copies its value.
        let copied = self.budget.measure(&v).cost();
        self.budget.step(copied, span, diags)?;
        let member = member(&v, &ids[1..], diags)?;
        used(member.clone(), ids, span)
    }

    /// [`Env::path`] of a member of a loop variable (`w.team`), read in
    /// place: only the member is copied, not the variable's whole record
    /// for each of its members read (a loop of 10,000 records copied each
    /// record once a member, then the member out of the copy). It is
    /// charged to the budget as the copy it was.
    pub(super) fn loop_member(
        &mut self,
        ids: &[Ident],
        span: Span,
        diags: &mut Diagnostics,
    ) -> Option<Option<Value>> {
        let i = self.scope.iter().rposition(|(n, _)| *n == ids[0].name)?;
        let Bound::Value(bound) = &self.scope[i].1 else {
            return None;
        };
        if bound.kind == ValueKind::Poisoned {
            return Some(None);
        }
        let copied = self.budget.measure(bound).cost();
        if self.budget.step(copied, span, diags).is_none() {
            return Some(None);
        }
        let v = member(bound, &ids[1..], diags).map(|m| used(m.clone(), ids, span));
        Some(v.flatten())
    }

    pub(super) fn unresolved(&self, name: &str, span: Span) -> EvalError {
        let mut names: Vec<&str> = self.scope.iter().map(|(n, _)| n.as_str()).collect();
        names.extend(self.lets.keys().map(String::as_str));
        names.extend(self.params.keys().map(String::as_str));
        EvalError::UnresolvedName {
            span,
            name: name.to_string(),
            suggestion: did_you_mean(name, names).map(str::to_string),
        }
    }
}

/// The member `path` of `v` (`team` of `w`), or its error.
fn member<'v>(mut v: &'v Value, path: &[Ident], diags: &mut Diagnostics) -> Option<&'v Value> {
    for member in path {
        let fields = match &v.kind {
            ValueKind::Record(r) | ValueKind::Tagged { body: r, .. } => &r.fields,
            // Its error has been reported.
            ValueKind::Poisoned => return None,
            _ => {
                diags.report(EvalError::NoFields {
                    member: member.clone(),
                    value: v.clone(),
                });
                return None;
            }
        };
        match fields.get(&member.name) {
            Some(f) => v = &f.value,
            None => {
                diags.report(EvalError::NoSuchField {
                    member: member.clone(),
                    suggestion: did_you_mean(&member.name, fields.keys().map(String::as_str))
                        .map(str::to_string),
                });
                return None;
            }
        }
    }
    Some(v)
}

/// `a.b.c`: the names of a path, written as one.
pub(super) fn dotted(ids: &[Ident]) -> String {
    let mut name = String::with_capacity(ids.iter().map(|i| i.name.len() + 1).sum());
    for (n, i) in ids.iter().enumerate() {
        if n > 0 {
            name.push('.');
        }
        name.push_str(&i.name);
    }
    name
}

/// The value `v` read through `ids` at `span`: it keeps its definition's
/// span, where diagnostics about it point, and remembers this use, the
/// outermost one.
fn used(mut v: Value, ids: &[Ident], span: Span) -> Option<Value> {
    if v.kind == ValueKind::Poisoned {
        return None;
    }
    v.used_at = Some(Box::new(Use {
        name: dotted(ids),
        span,
    }));
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::super::{Bound, Env};
    use crate::diagnostics::Diagnostics;
    use crate::resolve::tree::*;
    use crate::source::{FileId, Span};
    use crate::syntax::ast::Ident;

    fn ident(name: &str) -> Ident {
        Ident {
            name: name.into(),
            span: Span::new(FileId(0), 0, 1),
        }
    }

    /// A loop variable's member is read in place, yet charged as the copy
    /// of the whole variable reading it used to make, and given as before:
    /// the member, remembering the use; a missing member is still an error.
    #[test]
    fn a_loop_variables_member_costs_the_copy_it_was() {
        let at = Span::new(FileId(0), 5, 9);
        let field = |k: &str, v: &str| {
            let value = Value::new(ValueKind::Str(v.into()), at);
            let f = Field {
                key: ident(k),
                value,
                attrs: Vec::new(),
                append_to_default: false,
            };
            (k.to_string(), f)
        };
        let record = Value::new(
            ValueKind::Record(Record {
                fields: [field("team", "data"), field("pool", "gpu")]
                    .into_iter()
                    .collect(),
                span: at,
            }),
            at,
        );
        let mut env = Env::new();
        env.scope
            .push(("w".into(), Bound::Value(record.clone().into())));
        let mut diags = Diagnostics::default();
        let read = Span::new(FileId(0), 20, 26);
        let team = env
            .path(&[ident("w"), ident("team")], read, &mut diags)
            .expect("the member");
        assert_eq!(team.kind, ValueKind::Str("data".into()));
        let used = team.used_at.as_deref().expect("the use");
        assert_eq!((used.name.as_str(), used.span), ("w.team", read));
        assert_eq!(
            env.budget.steps(),
            1 + env.budget.measure(&record).cost() as u64,
            "charged as a copy of `w`"
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert!(
            env.path(&[ident("w"), ident("tema")], read, &mut diags)
                .is_none()
        );
        assert_eq!(diags.0.len(), 1, "{diags:?}");
    }
}
