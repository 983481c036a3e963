//! The problems of evaluating expressions, as data, and their wording:
//! lets, params, loop variables, member paths, operators, built-in calls
//! and interpolation.

use crate::diagnostics::{Code, Diagnostic, IntoDiagnostic};
use crate::resolve::tree::{Value, ValueKind};
use crate::source::Span;
use crate::syntax::ast::{BinOp, ExprKind, Ident, StrPart, StringLit};

/// A problem found while evaluating an expression, or the lets and params
/// it reads. A `Value` a variant carries is the offending value: when it was
/// read through a name, the diagnostic also shows where it was set.
#[derive(Debug, Clone, PartialEq)]
pub enum EvalError {
    /// A let or param declared with the name of another.
    DuplicateBinding { name: Ident, first: Span },
    /// A top-level let nothing reads (W0502).
    UnusedLet { name: Ident },
    /// A param nothing reads (W0502).
    UnusedParam { name: Ident },
    /// `for x in VALUE` where the value is not a list.
    ForNeedsList { span: Span, value: Value },
    /// A key set twice in one block.
    DuplicateField { key: Ident, first: Span },
    /// `if VALUE` where the value is not a boolean.
    ConditionNotBool { span: Span, value: Value },
    /// A call of a function that is not built in.
    UnknownFunction {
        func: Ident,
        suggestion: Option<&'static str>,
    },
    /// A built-in call with no argument or more than two.
    ArgumentCount {
        span: Span,
        func: String,
        given: usize,
    },
    /// A built-in call with an argument that is not a non-empty string.
    InvalidArgument {
        span: Span,
        func: String,
        value: Value,
    },
    /// `!VALUE` where the value is not a boolean.
    InvalidNot { span: Span, operand: Value },
    /// A binary operator over operands it is not defined for.
    InvalidBinary {
        span: Span,
        op: BinOp,
        left: Value,
        right: Value,
    },
    /// `"${x}"` where `x` is a list, block or reference.
    NotInterpolable { span: Span, value: Value },
    /// `"${x}"` where `x` names a component, not a let, param or loop
    /// variable.
    InterpolatedComponent {
        span: Span,
        kind: String,
        name: String,
        /// The component's name, where it is declared.
        declared: Span,
        /// The string, to show it written out.
        string: StringLit,
        /// The part of `string` that names the component.
        index: usize,
    },
    /// A name that is no let, param or loop variable.
    UnresolvedName {
        span: Span,
        name: String,
        suggestion: Option<String>,
    },
    /// A let that reads itself, directly or through other lets.
    LetCycle { name: Ident, defined: Span },
    /// `a.b` where `a` is not a block.
    NoFields { member: Ident, value: Value },
    /// `a.b` where the block `a` sets no `b`.
    NoSuchField {
        member: Ident,
        suggestion: Option<String>,
    },
    /// `--param KEY=…` where the site declares no param `KEY`.
    UnknownCliParam {
        key: String,
        /// The params the site declares, listed when none is close.
        declared: Vec<String>,
        suggestion: Option<String>,
    },
    /// A param with no default, not given on the command line.
    ParamWithoutValue { name: Ident },
    /// A param's value (given or default) that is not of its declared type.
    ParamTypeMismatch {
        param: String,
        /// The declared type's name.
        ty: Ident,
        value: Value,
    },
}

impl IntoDiagnostic for EvalError {
    fn into_diagnostic(self) -> Diagnostic {
        match self {
            EvalError::DuplicateBinding { name, first } => Diagnostic::new(
                Code::DuplicateComponent,
                name.span,
                format!("`{}` is declared twice", name.name),
            )
            .label("declared again here")
            .with_secondary(first, "first declared here")
            .help("lets and params share one namespace: rename one of them"),
            EvalError::UnusedLet { name } => unused(
                &name,
                "let",
                "use it, or remove it; a name starting with `_` marks a let kept unused on \
                 purpose"
                    .to_string(),
            ),
            EvalError::UnusedParam { name } => {
                let help = format!(
                    "nothing reads it, so `--param {}=…` would change nothing: use it, or \
                     remove it",
                    name.name
                );
                unused(&name, "param", help)
            }
            EvalError::ForNeedsList { span, value } => misuse(
                Diagnostic::new(Code::TypeMismatch, span, "`for` needs a list")
                    .label(format!("expected a list, found {}", value.kind.describe()))
                    .help("write `for x in [\"a\", \"b\"] { … }`"),
                &value,
            ),
            EvalError::DuplicateField { key, first } => Diagnostic::new(
                Code::DuplicateField,
                key.span,
                format!("`{}` is set twice", key.name),
            )
            .label("set again here")
            .with_secondary(first, "first set here")
            .help("remove one of them"),
            EvalError::ConditionNotBool { span, value } => {
                let mut d = Diagnostic::new(
                    Code::TypeMismatch,
                    span,
                    "an `if` condition must be a boolean",
                )
                .label(format!(
                    "expected a boolean, found {}",
                    value.kind.describe()
                ));
                if let (ValueKind::Str(text), Some(u)) = (&value.kind, &value.used_at) {
                    d = d.help(format!(
                        "compare it with a value: `if {} == \"{text}\" {{ … }}`",
                        u.name
                    ));
                }
                misuse(d, &value)
            }
            EvalError::UnknownFunction { func, suggestion } => {
                let d = Diagnostic::new(
                    Code::UnresolvedName,
                    func.span,
                    format!("unknown function `{}`", func.name),
                )
                .label("not a built-in function");
                match suggestion {
                    Some(s) => d.help(format!("did you mean `{s}(…)`?")),
                    None => d.help(
                        "the built-in functions are `secret(name, key)` and `config-map(name, \
                         key)`",
                    ),
                }
            }
            EvalError::ArgumentCount { span, func, given } => Diagnostic::new(
                Code::TypeMismatch,
                span,
                format!("`{func}` takes a name and an optional key"),
            )
            .label(format!("{given} arguments given"))
            .help(format!("write `{func}(\"name\", \"key\")`")),
            EvalError::InvalidArgument { span, func, value } => {
                let found = match &value.kind {
                    ValueKind::Str(_) => "an empty string",
                    other => other.describe(),
                };
                misuse(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        span,
                        format!("arguments of `{func}` are non-empty strings"),
                    )
                    .label(format!("expected a non-empty string, found {found}")),
                    &value,
                )
            }
            EvalError::InvalidNot { span, operand } => {
                misuse(op_error(span, "!", &operand.kind, None), &operand)
            }
            EvalError::InvalidBinary {
                span,
                op,
                left,
                right,
            } => {
                let d = op_error(span, op.symbol(), &left.kind, Some(&right.kind));
                misuse(misuse(d, &left), &right)
            }
            EvalError::NotInterpolable { span, value } => {
                let what = value.kind.describe();
                misuse(
                    Diagnostic::new(
                        Code::InvalidOperation,
                        span,
                        format!("cannot put {what} into a string"),
                    )
                    .label(format!(
                        "expected a string, number or boolean, found {what}"
                    ))
                    .help(
                        "interpolate a string, number, quantity or boolean; a list or block has \
                         no text of its own",
                    ),
                    &value,
                )
            }
            EvalError::InterpolatedComponent {
                span,
                kind,
                name,
                declared,
                string,
                index,
            } => {
                let written = written_with(&string, index, &name);
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
            EvalError::UnresolvedName {
                span,
                name,
                suggestion,
            } => {
                let d =
                    Diagnostic::new(Code::UnresolvedName, span, format!("cannot find `{name}`"))
                        .label("no let, param or loop variable has this name");
                match suggestion {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d,
                }
            }
            EvalError::LetCycle { name, defined } => Diagnostic::new(
                Code::UnresolvedName,
                name.span,
                format!("`{}` is defined in terms of itself", name.name),
            )
            .label("used while it is being defined")
            .with_secondary(defined, "defined here")
            .help("a let cannot depend on itself, directly or through other lets"),
            EvalError::NoFields { member, value } => Diagnostic::new(
                Code::UnresolvedName,
                member.span,
                format!("no field `{}` here", member.name),
            )
            .label(format!("{} has no fields", value.kind.describe())),
            EvalError::NoSuchField { member, suggestion } => {
                let d = Diagnostic::new(
                    Code::UnresolvedName,
                    member.span,
                    format!("no field `{}` here", member.name),
                )
                .label("not set in this block");
                match suggestion {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d,
                }
            }
            EvalError::UnknownCliParam {
                key,
                declared,
                suggestion,
            } => {
                let d = Diagnostic::new(
                    Code::MissingParam,
                    Span::default(),
                    format!("`--param {key}` names no param of this site"),
                )
                .label("the site is read from here");
                match suggestion {
                    Some(s) => d.help(format!("did you mean `--param {s}=…`?")),
                    None if declared.is_empty() => d.help("the site declares no params"),
                    None => d.help(format!("declared params: {}", declared.join(", "))),
                }
            }
            EvalError::ParamWithoutValue { name } => {
                let n = &name.name;
                Diagnostic::new(
                    Code::MissingParam,
                    name.span,
                    format!("param `{n}` has no value"),
                )
                .label("no default, and not given on the command line")
                .help(format!(
                    "run with `--param {n}=…`, or give it a default: `param {n}: … = …`"
                ))
            }
            EvalError::ParamTypeMismatch { param, ty, value } => {
                let d = Diagnostic::new(
                    Code::TypeMismatch,
                    value.span,
                    format!(
                        "param `{param}` expects {}, found {}",
                        ty.name,
                        value.kind.describe()
                    ),
                )
                .label(format!("expected {}", ty.name))
                .with_secondary(ty.span, "the param's declared type");
                let help = match (ty.name.as_str(), &value.kind) {
                    ("Int", ValueKind::Str(s)) if s.parse::<i64>().is_ok() => {
                        Some(format!("remove the quotes: `{s}`"))
                    }
                    ("Bool", ValueKind::Str(s)) if s == "true" || s == "false" => {
                        Some(format!("remove the quotes: `{s}`"))
                    }
                    ("String", ValueKind::Number(n)) => Some(format!("quote it: `\"{n}\"`")),
                    _ => None,
                };
                match help {
                    Some(h) => d.help(h),
                    None => d,
                }
            }
        }
    }
}

/// W0502 for a let or param nothing reads.
fn unused(name: &Ident, what: &str, help: String) -> Diagnostic {
    Diagnostic::new(
        Code::UnusedDeclaration,
        name.span,
        format!("unused {what} `{}`", name.name),
    )
    .label("never used")
    .help(help)
}

/// An operator over operands of the wrong kind (`r` is `None` for `!`).
fn op_error(span: Span, op: &str, l: &ValueKind, r: Option<&ValueKind>) -> Diagnostic {
    let what = match r {
        Some(r) => format!("{} and {}", l.describe(), r.describe()),
        None => l.describe().to_string(),
    };
    let d = Diagnostic::new(
        Code::InvalidOperation,
        span,
        format!("`{op}` is not defined for {what}"),
    )
    .label("cannot be evaluated");
    if matches!(
        (l, r),
        (ValueKind::Str(_), Some(ValueKind::Name(_)))
            | (ValueKind::Name(_), Some(ValueKind::Str(_)))
    ) {
        d.help("quote the name to compare it as a string: `env == \"prod\"`")
    } else if op == "+" {
        d.help("`+` joins two strings or two lists, or adds two numbers")
    } else {
        d
    }
}

/// Adds, to a diagnostic about a value at the place it is used, where the
/// value was written when it was read through a let, param or loop variable.
fn misuse(d: Diagnostic, v: &Value) -> Diagnostic {
    match &v.used_at {
        Some(u) if u.span != v.span => d.with_secondary(
            v.span,
            format!("`{}` is {}, set here", u.name, v.kind.describe()),
        ),
        _ => d,
    }
}

/// The string `s` as it would be written with its part `index` replaced by
/// `name` (the other interpolations kept as written).
fn written_with(s: &StringLit, index: usize, name: &str) -> String {
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
    written
}
