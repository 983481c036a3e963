//! Params: their declaration, their values from `--param` or their
//! defaults, and the check of a value against the declared type.

use super::{Env, Param, duplicate_binding};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::resolve::ParamValues;
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
            diags.push(duplicate_binding(name, first));
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
                let root = Span::default();
                let declared: Vec<&str> = self.params.keys().map(String::as_str).collect();
                let mut d = Diagnostic::new(
                    Code::MissingParam,
                    root,
                    format!("`--param {key}` names no param of this site"),
                )
                .label("the site is read from here");
                d = match did_you_mean(key, declared.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `--param {s}=…`?")),
                    None if declared.is_empty() => d.help("the site declares no params"),
                    None => d.help(format!("declared params: {}", declared.join(", "))),
                };
                diags.push(d);
            }
        }
        let names: Vec<String> = self.params.keys().cloned().collect();
        for n in names {
            let p = &self.params[&n];
            let value = match given.get(&n) {
                Some(text) => Some(cli_value(text, &p.ty, p.name.span)),
                None => {
                    match p.default.clone() {
                        Some(e) => self.eval(&e, diags),
                        None => {
                            diags.push(
                            Diagnostic::new(Code::MissingParam, p.name.span, format!("param `{n}` has no value"))
                                .label("no default, and not given on the command line")
                                .help(format!("run with `--param {n}=…`, or give it a default: `param {n}: … = …`")),
                        );
                            None
                        }
                    }
                }
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
        let mut d = Diagnostic::new(
            Code::TypeMismatch,
            v.span,
            format!(
                "param `{}` expects {}, found {}",
                p.name.name,
                ty.name,
                v.kind.describe()
            ),
        )
        .label(format!("expected {}", ty.name))
        .with_secondary(ty.span, "the param's declared type");
        let help = match (ty.name.as_str(), &v.kind) {
            ("Int", ValueKind::Str(s)) if s.parse::<i64>().is_ok() => {
                Some(format!("remove the quotes: `{s}`"))
            }
            ("Bool", ValueKind::Str(s)) if s == "true" || s == "false" => {
                Some(format!("remove the quotes: `{s}`"))
            }
            ("String", ValueKind::Number(n)) => Some(format!("quote it: `\"{n}\"`")),
            _ => None,
        };
        if let Some(h) = help {
            d = d.help(h);
        }
        diags.push(d);
    }
    ok
}
