//! Names of components: references, the error for a name that is none
//! (with did-you-mean), and member access (`component.field`).

use super::{Checker, Origin};
use crate::check::model::{Kind, TVal, Typed};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
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
            self.mismatch(v, &format!("the name of a {}", kind.as_str()), None);
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
        if let Some(other) = self.components.iter().find(|c| c.name == name) {
            let wanted: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            let matching: Vec<String> = self
                .components
                .iter()
                .filter(|c| Kind::parse(&c.kind.name).is_some_and(|k| kinds.contains(&k)))
                .map(|c| format!("`{}`", c.name))
                .collect();
            let wanted_text = wanted.join(" or ");
            let help = match matching.len() {
                0 => format!(
                    "no {wanted_text} is declared: add one, `{} NAME {{ … }}`",
                    wanted[0]
                ),
                1 => format!("the only {wanted_text} here is {}", matching[0]),
                _ => format!("the candidates here are {}", matching.join(", ")),
            };
            self.diags.push(
                Diagnostic::new(
                    Code::TypeMismatch,
                    span,
                    format!(
                        "`{name}` is a {}, not a {}",
                        other.kind.name,
                        wanted.join(" or ")
                    ),
                )
                .label(format!("expected a {}", wanted.join(" or ")))
                .with_secondary(other.name_span, format!("the {} `{name}`", other.kind.name))
                .help(help),
            );
            return;
        }
        if self.names_lost {
            // No component has this name, but a file failed to load or parse and
            // may declare it. The failure that lost the declaration has been reported; the
            // component's cross-component rules would only restate it.
            self.poisoned = true;
            return;
        }
        let mut candidates: Vec<&str> = self
            .components
            .iter()
            .filter(|c| {
                kinds.is_empty() || Kind::parse(&c.kind.name).is_some_and(|k| kinds.contains(&k))
            })
            .map(|c| c.name.as_str())
            .collect();
        candidates.extend(self.bound_names.iter().map(String::as_str));
        let what = if kinds.is_empty() {
            "no let or param".to_string()
        } else {
            format!(
                "no {}, let or param",
                kinds
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            )
        };
        let mut d = Diagnostic::new(Code::UnresolvedName, span, format!("cannot find `{name}`"))
            .label(format!("{what} has this name"));
        d = match did_you_mean(name, candidates.iter().copied()) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None if !kinds.is_empty() => d.help(format!(
                "declare it: `{} {name} {{ … }}`",
                kinds[0].as_str()
            )),
            None => d,
        };
        self.diags.push(d);
    }

    /// `component.field[.field…]`: the value written in another component.
    pub(super) fn member(
        &mut self,
        base: &crate::syntax::ast::Ident,
        path: &[crate::syntax::ast::Ident],
    ) -> Option<Value> {
        let Some(c) = self.components.iter().find(|c| c.name == base.name) else {
            self.unresolved(&base.name, base.span, &[]);
            return None;
        };
        let mut fields = &c.body.fields;
        let mut found: Option<&Value> = None;
        for m in path {
            let Some(f) = fields.get(&m.name) else {
                self.diags.push(
                    Diagnostic::new(
                        Code::UnresolvedName,
                        m.span,
                        format!("`{}` sets no field `{}`", base.name, m.name),
                    )
                    .label("not written in that component")
                    .with_secondary(c.name_span, format!("the {} `{}`", c.kind.name, c.name))
                    .help("member access reads fields written in the component's block"),
                );
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
