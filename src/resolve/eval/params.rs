//! Params: their declaration, their values from `--param` or their
//! defaults, and the check of a value against the declared type.

use super::{Env, Param};
use crate::diagnostics::{Diagnostics, did_you_mean};
use crate::resolve::ParamValues;
use crate::resolve::error::EvalError;
use crate::resolve::tree::*;
use crate::source::Span;
use crate::syntax::ast::{Expr, Ident, TypeExpr};

impl Env {
    pub fn declare_param(
        &mut self,
        name: &Ident,
        ty: TypeExpr,
        default: Option<Expr>,
        diags: &mut Diagnostics,
    ) {
        if let Some(first) = self.first_binding(&name.name) {
            diags.report(EvalError::DuplicateBinding {
                name: name.clone(),
                first,
            });
            return;
        }
        self.params.insert(
            name.name.clone(),
            Param {
                name: name.clone(),
                ty,
                default,
                value: None,
            },
        );
    }

    /// Gives every param its value: from the command line, else its default.
    pub fn bind_params(&mut self, given: &ParamValues, diags: &mut Diagnostics) {
        for key in given.keys() {
            if !self.params.contains_key(key) {
                let declared: Vec<String> = self.params.keys().cloned().collect();
                diags.report(EvalError::UnknownCliParam {
                    key: key.clone(),
                    suggestion: did_you_mean(key, declared.iter().map(String::as_str))
                        .map(str::to_string),
                    declared,
                });
            }
        }
        let names: Vec<String> = self.params.keys().cloned().collect();
        for n in names {
            let p = &self.params[&n];
            let value = match given.get(&n) {
                Some(text) => Some(cli_value(text, &p.ty, p.name.span)),
                None => match p.default.clone() {
                    Some(e) => self.eval(&e, diags),
                    None => {
                        diags.report(EvalError::ParamWithoutValue {
                            name: p.name.clone(),
                        });
                        None
                    }
                },
            };
            // A value of the wrong type is reported here, once: the param
            // is then unusable, and its uses are not reported again.
            let value = value.filter(|v| check_param_type(&self.params[&n], v, diags));
            self.params[&n].value = value;
        }
    }
}

/// A `--param` value, read as the param's type expects.
fn cli_value(text: &str, ty: &TypeExpr, span: Span) -> Value {
    let is = |n: &str| matches!(ty, TypeExpr::Named(i) if i.name == n);
    let kind = if is("String") {
        ValueKind::Str(text.to_string())
    } else if text == "true" || text == "false" {
        ValueKind::Bool(text == "true")
    } else if text.parse::<f64>().is_ok() {
        ValueKind::Number(text.to_string())
    } else if let Some(split) = text.find(|c: char| c.is_ascii_alphabetic() || c == '%')
        && split > 0
        && text[..split].parse::<f64>().is_ok()
    {
        ValueKind::Quantity {
            number: text[..split].to_string(),
            suffix: text[split..].to_string(),
        }
    } else {
        ValueKind::Str(text.to_string())
    };
    Value::new(kind, span)
}

/// Whether `v` has the param's declared type; reports it when not.
fn check_param_type(p: &Param, v: &Value, diags: &mut Diagnostics) -> bool {
    let TypeExpr::Named(ty) = &p.ty else {
        return true;
    };
    let ok = match ty.name.as_str() {
        "String" => matches!(v.kind, ValueKind::Str(_)),
        "Int" => matches!(&v.kind, ValueKind::Number(n) if n.parse::<i64>().is_ok()),
        "Bool" => matches!(v.kind, ValueKind::Bool(_)),
        _ => true,
    };
    if !ok {
        diags.report(EvalError::ParamTypeMismatch {
            param: p.name.name.clone(),
            ty: ty.clone(),
            value: v.clone(),
        });
    }
    ok
}
