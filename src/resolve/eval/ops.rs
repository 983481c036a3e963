//! Operators: chains of one precedence, arithmetic, comparison and the
//! errors for operands of the wrong kind.

use super::Env;
use crate::diagnostics::Diagnostics;
use crate::resolve::error::EvalError;
use crate::resolve::tree::*;
use crate::source::Span;
use crate::syntax::ast::{BinOp, Expr};

impl Env {
    /// A chain of operators of one precedence, left to right, in a loop:
    /// `a + b + c` is `(a + b) + c`. The size of a growing string or list
    /// is carried along rather than measured again at every operand.
    pub(super) fn chain(
        &mut self,
        first: &Expr,
        rest: &[(BinOp, Expr)],
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let mut acc = self.eval(first, diags)?;
        let mut size = self.budget.measure(&acc);
        for (op, operand) in rest {
            let r = self.eval(operand, diags)?;
            let span = first.span.to(operand.span);
            let joins = *op == BinOp::Add
                && matches!(
                    (&acc.kind, &r.kind),
                    (ValueKind::Str(_), ValueKind::Str(_))
                        | (ValueKind::List(_), ValueKind::List(_))
                );
            if joins {
                // Appending copies the right operand only.
                let added = self.budget.measure(&r);
                size = size.joined(added);
                self.budget.fits(size, span, diags)?;
                self.budget.step(added.cost(), span, diags)?;
            }
            acc = Value::new(binary(*op, acc, r, span, diags)?, span);
        }
        Some(acc)
    }
}

fn number(s: &str) -> Option<f64> {
    s.parse().ok()
}

fn binary(
    op: BinOp,
    mut l: Value,
    r: Value,
    span: Span,
    diags: &mut Diagnostics,
) -> Option<ValueKind> {
    use ValueKind as V;
    // Joining appends to the left operand, so that a chain of `+` is linear.
    match (op, &mut l.kind, &r.kind) {
        (BinOp::Add, V::Str(a), V::Str(b)) => {
            a.push_str(b);
            return Some(std::mem::replace(&mut l.kind, V::None));
        }
        (BinOp::Add, V::List(a), V::List(b)) => {
            a.extend(b.iter().cloned());
            return Some(std::mem::replace(&mut l.kind, V::None));
        }
        _ => {}
    }
    let result = match (op, &l.kind, &r.kind) {
        (BinOp::And, V::Bool(a), V::Bool(b)) => Some(V::Bool(*a && *b)),
        (BinOp::Or, V::Bool(a), V::Bool(b)) => Some(V::Bool(*a || *b)),
        (BinOp::Add, V::Number(a), V::Number(b)) => match (a.parse::<i64>(), b.parse::<i64>()) {
            (Ok(x), Ok(y)) => x.checked_add(y).map(|s| V::Number(s.to_string())),
            _ => number(a)
                .zip(number(b))
                .map(|(x, y)| V::Number((x + y).to_string())),
        },
        (BinOp::Eq | BinOp::Ne, a, b) => equal(a, b).map(|eq| V::Bool(eq == (op == BinOp::Eq))),
        (BinOp::Ge | BinOp::Le | BinOp::Gt | BinOp::Lt, V::Number(a), V::Number(b)) => {
            number(a).zip(number(b)).map(|(x, y)| {
                V::Bool(match op {
                    BinOp::Ge => x >= y,
                    BinOp::Le => x <= y,
                    BinOp::Gt => x > y,
                    _ => x < y,
                })
            })
        }
        _ => None,
    };
    if result.is_none() {
        diags.report(EvalError::InvalidBinary {
            span,
            op,
            left: l,
            right: r,
        });
    }
    result
}

/// Structural equality of two values; `None` when they cannot be compared.
fn equal(a: &ValueKind, b: &ValueKind) -> Option<bool> {
    use ValueKind as V;
    Some(match (a, b) {
        (V::Str(x), V::Str(y)) | (V::Name(x), V::Name(y)) => x == y,
        (V::Number(x), V::Number(y)) => number(x) == number(y),
        (V::Bool(x), V::Bool(y)) => x == y,
        (V::None, V::None) => true,
        (V::None, _) | (_, V::None) => false,
        (
            V::Quantity {
                number: n1,
                suffix: s1,
            },
            V::Quantity {
                number: n2,
                suffix: s2,
            },
        ) => s1 == s2 && number(n1) == number(n2),
        (V::List(x), V::List(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(a, b)| equal(&a.kind, &b.kind) == Some(true))
        }
        _ => return None,
    })
}
