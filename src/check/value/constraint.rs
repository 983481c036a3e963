//! Constraints: evaluating a field's constraint, and the value nearest to
//! the one written that it allows (the help of E0305 is worded in
//! `check::error::constraint`).

use super::Checker;
use crate::check::error::ValueError;
use crate::check::model::{TVal, Typed};
use crate::check::types::FieldDef;
use crate::source::Span;
use crate::syntax::ast::{BinOp, Expr, ExprKind};

impl Checker<'_> {
    pub(super) fn constraint(&mut self, def: &FieldDef, t: &Typed, span: Span) {
        let Some(c) = &def.constraint else { return };
        let TVal::Int(v) = t.value else { return };
        if eval_constraint(c, def.name, v) == Some(false) {
            self.diags.report(ValueError::ConstraintViolated {
                span,
                field: Box::new(def.clone()),
                constraint: constraint_text(c),
                value: v,
                nearest: nearest_allowed(c, def.name, v),
            });
        }
    }
}

/// Evaluates a schema constraint with the field's value bound to its name.
fn eval_constraint(e: &Expr, field: &str, v: i64) -> Option<bool> {
    fn num(e: &Expr, field: &str, v: i64) -> Option<f64> {
        match &e.kind {
            ExprKind::Number(n) => n.parse().ok(),
            ExprKind::Path(p) if p.len() == 1 && p[0].name == field => Some(v as f64),
            _ => None,
        }
    }
    match &e.kind {
        ExprKind::Binary { first, rest } => match rest.as_slice() {
            [(BinOp::And | BinOp::Or, _), ..] => {
                let mut values = std::iter::once(&**first)
                    .chain(rest.iter().map(|(_, e)| e))
                    .map(|e| eval_constraint(e, field, v));
                if rest[0].0 == BinOp::And {
                    values.try_fold(true, |all, b| Some(all && b?))
                } else {
                    values.try_fold(false, |any, b| Some(any || b?))
                }
            }
            [(op, rhs)] => {
                let (a, b) = (num(first, field, v)?, num(rhs, field, v)?);
                Some(match op {
                    BinOp::Ge => a >= b,
                    BinOp::Le => a <= b,
                    BinOp::Gt => a > b,
                    BinOp::Lt => a < b,
                    BinOp::Eq => a == b,
                    BinOp::Ne => a != b,
                    _ => return None,
                })
            }
            _ => None,
        },
        ExprKind::Not(inner) => eval_constraint(inner, field, v).map(|b| !b),
        _ => None,
    }
}

/// For a violated constraint made of bounds (`min >= 1`, `a >= 0 && a <= 9`),
/// the allowed value nearest to `v`.
fn nearest_allowed(e: &Expr, field: &str, v: i64) -> Option<i64> {
    let ExprKind::Binary { first, rest } = &e.kind else {
        return None;
    };
    if rest.iter().all(|(op, _)| *op == BinOp::And) {
        let violated = std::iter::once(&**first)
            .chain(rest.iter().map(|(_, e)| e))
            .find(|e| eval_constraint(e, field, v) == Some(false))?;
        return nearest_allowed(violated, field, v);
    }
    let [(op, rhs)] = rest.as_slice() else {
        return None;
    };
    let lhs = &**first;
    let is_field =
        |e: &Expr| matches!(&e.kind, ExprKind::Path(p) if p.len() == 1 && p[0].name == field);
    let number = |e: &Expr| match &e.kind {
        ExprKind::Number(n) => n.parse::<i64>().ok(),
        _ => None,
    };
    // Written as `field OP n`, or mirrored as `n OP field`.
    let (op, n) = if is_field(lhs) {
        (*op, number(rhs)?)
    } else if is_field(rhs) {
        let mirrored = match op {
            BinOp::Ge => BinOp::Le,
            BinOp::Le => BinOp::Ge,
            BinOp::Gt => BinOp::Lt,
            BinOp::Lt => BinOp::Gt,
            other => *other,
        };
        (mirrored, number(lhs)?)
    } else {
        return None;
    };
    match op {
        BinOp::Ge | BinOp::Le => Some(n),
        BinOp::Gt => n.checked_add(1),
        BinOp::Lt => n.checked_sub(1),
        _ => None,
    }
}

fn constraint_text(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Number(n) => n.clone(),
        ExprKind::Path(p) => p
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>()
            .join("."),
        ExprKind::Binary { first, rest } => {
            let mut text = constraint_text(first);
            for (op, e) in rest {
                text = format!("{text} {} {}", op.symbol(), constraint_text(e));
            }
            text
        }
        ExprKind::Not(i) => format!("!{}", constraint_text(i)),
        _ => "…".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::error::constraint::{
        DRASTIC_MINIMUM, UNSET_IS_UNLIMITED, UNSET_MEANS, out_of_range_help,
    };

    /// The value a help proposes, `` `field = N` ``, if it proposes one first.
    fn proposed(help: &str, field: &str) -> Option<i64> {
        let start = help.find(&format!("`{field} = "))? + field.len() + 4;
        help[start..].split('`').next()?.parse().ok()
    }

    /// Every field of the standard library with a constraint, given `-1`:
    /// the help, applied, fixes the error, and never proposes first a value
    /// that stops the work or runs as root.
    #[test]
    fn negative_values_get_a_help_that_fixes_them() {
        let types = &crate::stdlib().types;
        let mut seen = 0;
        for schema in types.schemas.values() {
            for def in schema.fields.values() {
                let Some(c) = &def.constraint else { continue };
                if eval_constraint(c, def.name, -1) != Some(false) {
                    continue;
                }
                seen += 1;
                let name = &def.name;
                let help = out_of_range_help(def, -1, nearest_allowed(c, name, -1), "…");
                let what = format!("{}.{name}: {help}", schema.name);
                if help.starts_with("remove") || help.starts_with("leave") {
                    assert!(
                        def.default.is_some() || def.ty.is_optional(),
                        "{what}: removing a required field does not fix it"
                    );
                    if let Some(n) = proposed(&help, name)
                        && !DRASTIC_MINIMUM.iter().any(|(f, _)| f == name)
                    {
                        assert_eq!(eval_constraint(c, name, n), Some(true), "{what}");
                    }
                } else {
                    let n = proposed(&help, name).unwrap_or_else(|| panic!("{what}"));
                    assert_eq!(eval_constraint(c, name, n), Some(true), "{what}");
                    assert!(
                        !DRASTIC_MINIMUM.iter().any(|(f, _)| f == name),
                        "{what}: proposes a drastic minimum"
                    );
                }
                if UNSET_IS_UNLIMITED.contains(name) && def.ty.is_optional() {
                    assert!(help.contains("unset for no limit"), "{what}");
                }
            }
        }
        assert!(seen >= 20, "only {seen} constrained fields found");
        // The tables name fields that exist.
        let all: Vec<&str> = types
            .schemas
            .values()
            .flat_map(|s| s.fields.keys().map(|k| &**k))
            .collect();
        for f in DRASTIC_MINIMUM
            .iter()
            .map(|(f, _)| *f)
            .chain(UNSET_IS_UNLIMITED.iter().copied())
            .chain(UNSET_MEANS.iter().map(|(f, _)| *f))
        {
            assert!(
                all.contains(&f),
                "`{f}` is no field of the standard library"
            );
        }
        // A drastic minimum is never the only way out: each such field can
        // be removed.
        for schema in types.schemas.values() {
            for def in schema.fields.values() {
                if DRASTIC_MINIMUM.iter().any(|(f, _)| *f == def.name) {
                    assert!(
                        def.default.is_some() || def.ty.is_optional(),
                        "{}.{} is required: removing it is no help",
                        schema.name,
                        def.name
                    );
                }
            }
        }
    }

    /// The help, word for word, for one field of each kind: written by hand
    /// from the standard library's docs, not copied from the output.
    #[test]
    fn each_kind_of_field_gets_its_own_help() {
        let types = &crate::stdlib().types;
        let cases: &[(&str, &str, i64, &str)] = &[
            (
                "Pool",
                "concurrency",
                -1,
                "leave `concurrency` unset for no limit: remove it \
                 (`concurrency = 0` lets no flow run start)",
            ),
            (
                "Worker",
                "limit",
                -1,
                "leave `limit` unset for no limit: remove it, \
                 or use the smallest allowed value: `limit = 1`",
            ),
            (
                "Worker",
                "replicas",
                -1,
                "remove `replicas` for the default, 1 (`replicas = 0` runs no pod at all)",
            ),
            (
                "ContainerSecurity",
                "run-as-user",
                -1,
                "leave `run-as-user` unset to use the pod's: remove it \
                 (`run-as-user = 0` runs as root)",
            ),
            (
                "Relabeling",
                "modulus",
                -1,
                "leave `modulus` unset: remove it, \
                 or use the smallest allowed value: `modulus = 1`",
            ),
            ("Redis", "db", -1, "remove `db` for the default, 0"),
            // Zero is not negative: not taken for "unset".
            (
                "Worker",
                "limit",
                0,
                "the nearest allowed value is 1: `limit = 1`",
            ),
            (
                "Autoscaling",
                "max",
                -1,
                "the nearest allowed value is 1: `max = 1`",
            ),
        ];
        for (schema, field, v, want) in cases {
            let def = &types.schemas[*schema].fields[*field];
            let c = def.constraint.as_ref().unwrap();
            let help = out_of_range_help(def, *v, nearest_allowed(c, field, *v), "…");
            assert_eq!(help, *want, "{schema}.{field} = {v}");
        }
    }

    /// Values out of range that are not negative keep the nearest bound.
    #[test]
    fn other_values_get_the_nearest_bound() {
        let types = &crate::stdlib().types;
        let weight = &types.schemas["WeightedNodeTerm"].fields["weight"];
        let c = weight.constraint.as_ref().unwrap();
        let help = out_of_range_help(weight, 101, nearest_allowed(c, "weight", 101), "…");
        assert_eq!(help, "the nearest allowed value is 100: `weight = 100`");
        let help = out_of_range_help(weight, -3, nearest_allowed(c, "weight", -3), "…");
        assert_eq!(help, "remove `weight` for the default, 1");
        let spread = &types.schemas["PodSpread"].fields["weight"];
        let help = out_of_range_help(spread, -3, nearest_allowed(c, "weight", -3), "…");
        assert_eq!(
            help,
            "remove `weight` for the default, 100, or use the smallest allowed value: `weight = 1`"
        );
    }
}
