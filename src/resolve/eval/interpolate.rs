//! String interpolation: `"${name}-worker"`.

use super::{Env, misuse};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::resolve::tree::*;
use crate::source::Span;
use crate::syntax::ast::{self, ExprKind, StrPart};

impl Env {
    pub(super) fn interpolate(
        &mut self,
        s: &ast::StringLit,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        let mut out = String::new();
        for (index, part) in s.parts.iter().enumerate() {
            match part {
                StrPart::Text(t) => out.push_str(t),
                StrPart::Interp(e) => {
                    let v = self.eval(e, diags)?;
                    match v.kind {
                        ValueKind::Str(s) => out.push_str(&s),
                        ValueKind::Number(n) => out.push_str(&n),
                        ValueKind::Quantity { number, suffix } => {
                            out.push_str(&number);
                            out.push_str(&suffix);
                        }
                        ValueKind::Bool(b) => out.push_str(if b { "true" } else { "false" }),
                        ValueKind::Name(n) => {
                            let d = match self.components.iter().find(|(_, c, _)| *c == n) {
                                Some((kind, _, at)) => {
                                    interpolated_component(kind, &n, v.span, *at, s, index)
                                }
                                // It may be declared in a file that failed.
                                None if self.names_lost => return None,
                                None => self.unresolved(&n, v.span),
                            };
                            diags.push(d);
                            return None;
                        }
                        ref other => {
                            diags.push(misuse(
                                Diagnostic::new(
                                    Code::InvalidOperation,
                                    e.span,
                                    format!("cannot put {} into a string", other.describe()),
                                )
                                .label(format!(
                                    "expected a string, number or boolean, found {}",
                                    other.describe()
                                ))
                                .help(
                                    "interpolate a string, number, quantity or boolean; \
                                     a list or block has no text of its own",
                                ),
                                &v,
                            ));
                            return None;
                        }
                    }
                }
            }
        }
        Some(out)
    }
}

/// `"${prefect}-worker"` where `prefect` is a component: say so, and how to
/// write the string (`"prefect-worker"`) or the reference.
fn interpolated_component(
    kind: &str,
    name: &str,
    span: Span,
    declared: Span,
    s: &ast::StringLit,
    index: usize,
) -> Diagnostic {
    let mut written = String::from("\"");
    for (i, part) in s.parts.iter().enumerate() {
        match part {
            StrPart::Text(t) => {
                for c in t.chars() {
                    match c {
                        '"' | '\\' | '$' => {
                            written.push('\\');
                            written.push(c);
                        }
                        '\n' => written.push_str("\\n"),
                        '\t' => written.push_str("\\t"),
                        c => written.push(c),
                    }
                }
            }
            StrPart::Interp(_) if i == index => written.push_str(name),
            StrPart::Interp(e) => match &e.kind {
                ExprKind::Path(ids) => {
                    let path: Vec<&str> = ids.iter().map(|i| i.name.as_str()).collect();
                    written.push_str(&format!("${{{}}}", path.join(".")));
                }
                _ => written.push_str("${…}"),
            },
        }
    }
    written.push('"');
    Diagnostic::new(
        Code::InvalidOperation,
        span,
        format!("the {kind} `{name}` cannot be put into a string"),
    )
    .label(format!(
        "`{name}` is a {kind}, not a let, param or loop variable"
    ))
    .with_secondary(declared, format!("the {kind} `{name}`"))
    .help(format!(
        "to use its name, write it out: `{written}`; where a field takes a {kind}, \
         name it without quotes: `{name}`"
    ))
}
