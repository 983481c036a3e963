//! String interpolation: `"${name}-worker"`.

use super::Env;
use crate::diagnostics::Diagnostics;
use crate::resolve::error::EvalError;
use crate::resolve::tree::*;
use crate::syntax::ast::{self, StrPart};

impl Env {
    pub(super) fn interpolate(
        &mut self,
        s: &ast::StringLit,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        // Room for the text and a short value in each `${…}`: `"team-${t}"`
        // made for each item of a `for` loop was grown twice each time.
        let room = s
            .parts
            .iter()
            .map(|p| match p {
                StrPart::Text(t) => t.len(),
                StrPart::Interp(_) => 16,
            })
            .sum();
        let mut out = String::with_capacity(room);
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
                            let e = match self.components.get(&n) {
                                Some((kind, at)) => EvalError::InterpolatedComponent {
                                    span: v.span,
                                    kind: kind.clone(),
                                    name: n,
                                    declared: *at,
                                    string: s.clone(),
                                    index,
                                },
                                // It may be declared in a file that failed.
                                None if self.names_lost => return None,
                                None => self.unresolved(&n, v.span),
                            };
                            diags.report(e);
                            return None;
                        }
                        _ => {
                            diags.report(EvalError::NotInterpolable {
                                span: e.span,
                                value: v,
                            });
                            return None;
                        }
                    }
                }
            }
        }
        Some(out)
    }
}
