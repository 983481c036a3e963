//! Evaluation of expressions whose value does not depend on types: lets,
//! params, loop variables, interpolation, `if`, operators, built-in calls.

use indexmap::{IndexMap, IndexSet};

use super::ParamValues;
use super::budget::{Budget, Measure};
use super::tree::*;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::source::Span;
use crate::syntax::ast::{self, BinOp, Expr, ExprKind, Ident, StrPart, TypeExpr};

/// Loop variables (and lets declared inside loops), innermost last.
pub type Scope = Vec<(String, Bound)>;

/// What a name in a loop's scope stands for: a loop variable's value, or a
/// let of the loop body, evaluated when first read (with the bindings
/// before it in force) and then kept.
#[derive(Debug, Clone)]
pub enum Bound {
    Value(Value),
    Let { expr: Expr, upto: usize },
}

enum LetState {
    Unevaluated,
    InProgress,
    Done(Value),
    Failed,
}

struct Let {
    name: Ident,
    expr: Expr,
    state: LetState,
}

struct Param {
    name: Ident,
    ty: TypeExpr,
    default: Option<Expr>,
    value: Option<Value>,
}

pub struct Env {
    lets: IndexMap<String, Let>,
    params: IndexMap<String, Param>,
    scope: Scope,
    marks: Vec<usize>,
    /// The components declared so far (kind, name, name span): a bare name
    /// that is none of the above may name one, which says more than
    /// "cannot find" when it is misused.
    components: Vec<(String, String, Span)>,
    /// The lets and params read at least once, for W0502.
    used: IndexSet<String>,
    /// What evaluation has cost so far (E0313, and E0106 for its depth).
    pub budget: Budget,
    /// Some file failed to load or parse: an unknown name may be declared
    /// there, and is not reported ([`Resolved::names_lost`](super::Resolved)).
    pub names_lost: bool,
}

const BUILTINS: &[&str] = &["secret", "config-map"];

impl Env {
    pub fn new() -> Env {
        Env {
            lets: IndexMap::new(),
            params: IndexMap::new(),
            scope: Vec::new(),
            marks: Vec::new(),
            components: Vec::new(),
            used: IndexSet::new(),
            budget: Budget::default(),
            names_lost: false,
        }
    }

    pub fn bound_names(&self) -> Vec<String> {
        self.lets
            .keys()
            .chain(self.params.keys())
            .cloned()
            .collect()
    }

    /// Every top-level let and param with its value. A let that nothing
    /// read has no value: lets are evaluated only when read, so an unused
    /// one costs nothing, however expensive or wrong its expression.
    pub fn bindings(&mut self) -> Vec<Binding> {
        let mut out: Vec<Binding> = self
            .lets
            .values()
            .map(|l| Binding {
                value: match &l.state {
                    LetState::Done(v) => Some(v.clone()),
                    _ => None,
                },
                name: l.name.clone(),
                param_type: None,
            })
            .collect();
        out.extend(self.params.values().map(|p| Binding {
            name: p.name.clone(),
            param_type: Some(p.ty.clone()),
            value: p.value.clone(),
        }));
        out.sort_by_key(|b| (b.name.span.file, b.name.span.start));
        out
    }

    fn first_binding(&self, name: &str) -> Option<Span> {
        self.lets
            .get(name)
            .map(|l| l.name.span)
            .or_else(|| self.params.get(name).map(|p| p.name.span))
    }

    pub fn declare_let(&mut self, name: &Ident, expr: Expr, diags: &mut Diagnostics) {
        if let Some(first) = self.first_binding(&name.name) {
            diags.push(duplicate_binding(name, first));
            return;
        }
        self.lets.insert(
            name.name.clone(),
            Let {
                name: name.clone(),
                expr,
                state: LetState::Unevaluated,
            },
        );
    }

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

    pub fn declare_component(&mut self, kind: &str, name: &str, span: Span) {
        self.components
            .push((kind.to_string(), name.to_string(), span));
    }

    /// W0502 for every top-level let and param that nothing read. A name
    /// starting with `_` is unused on purpose.
    pub fn unused(&self, diags: &mut Diagnostics) {
        let lets = self.lets.values().map(|l| (&l.name, "let"));
        let params = self.params.values().map(|p| (&p.name, "param"));
        for (name, what) in lets.chain(params) {
            if self.used.contains(&name.name) || name.name.starts_with('_') {
                continue;
            }
            let help = if what == "param" {
                format!(
                    "nothing reads it, so `--param {}=…` would change nothing: use it, or \
                     remove it",
                    name.name
                )
            } else {
                "use it, or remove it; a name starting with `_` marks a let kept unused on \
                 purpose"
                    .to_string()
            };
            diags.push(
                Diagnostic::new(
                    Code::UnusedDeclaration,
                    name.span,
                    format!("unused {what} `{}`", name.name),
                )
                .label("never used")
                .help(help),
            );
        }
    }

    pub fn in_loop(&self) -> bool {
        !self.marks.is_empty()
    }

    /// The loop variables in force, copied for a component that is
    /// evaluated later; the copy counts against the budget.
    pub fn loop_scope(&mut self, span: Span, diags: &mut Diagnostics) -> Option<Scope> {
        let copied = self
            .scope
            .iter()
            .map(|(_, b)| match b {
                Bound::Value(v) => Measure::of(v).cost(),
                Bound::Let { .. } => 1,
            })
            .sum();
        self.budget.step(copied, span, diags)?;
        Some(self.scope.clone())
    }

    pub fn push_loop(&mut self, var: &Ident, item: Value) {
        self.marks.push(self.scope.len());
        self.scope.push((var.name.clone(), Bound::Value(item)));
    }

    pub fn pop_loop(&mut self) {
        let mark = self.marks.pop().expect("pop_loop after push_loop");
        self.scope.truncate(mark);
    }

    /// Binds a let of a loop body; like a top-level let it is evaluated
    /// only when read, so an unused one costs nothing.
    pub fn bind_loop_let(&mut self, name: &Ident, value: &Expr) {
        let upto = self.scope.len();
        self.scope.push((
            name.name.clone(),
            Bound::Let {
                expr: value.clone(),
                upto,
            },
        ));
    }

    /// The name of a component: an identifier, or an interpolated string.
    pub fn component_name(
        &mut self,
        name: &ast::CompName,
        diags: &mut Diagnostics,
    ) -> Option<(String, Span)> {
        match name {
            ast::CompName::Ident(i) => Some((i.name.clone(), i.span)),
            ast::CompName::Str(s) => self.interpolate(s, diags).map(|n| (n, s.span)),
        }
    }

    pub fn eval_list(&mut self, e: &Expr, diags: &mut Diagnostics) -> Option<Vec<Value>> {
        let v = self.eval(e, diags)?;
        match v.kind {
            ValueKind::List(items) => Some(items),
            _ => {
                diags.push(misuse(
                    Diagnostic::new(Code::TypeMismatch, e.span, "`for` needs a list")
                        .label(format!("expected a list, found {}", v.kind.describe()))
                        .help("write `for x in [\"a\", \"b\"] { … }`"),
                    &v,
                ));
                None
            }
        }
    }

    /// Evaluates a block with `scope` as the loop variables in force.
    pub fn block(&mut self, b: &ast::Block, scope: &Scope, diags: &mut Diagnostics) -> Record {
        let saved = std::mem::replace(&mut self.scope, scope.clone());
        let r = self.record(b, diags);
        self.scope = saved;
        r
    }

    pub fn attribute(
        &mut self,
        a: &ast::Attribute,
        scope: &Scope,
        diags: &mut Diagnostics,
    ) -> Attribute {
        let saved = std::mem::replace(&mut self.scope, scope.clone());
        let args = a
            .args
            .iter()
            .filter_map(|arg| self.eval(&arg.value, diags).map(|v| (arg.name.clone(), v)))
            .collect();
        self.scope = saved;
        Attribute {
            name: a.name.clone(),
            args,
            span: a.span,
        }
    }

    fn record(&mut self, b: &ast::Block, diags: &mut Diagnostics) -> Record {
        let mut fields: IndexMap<String, Field> = IndexMap::new();
        for e in &b.entries {
            // A value that failed keeps its field, poisoned, so that `check`
            // does not also report the field as missing.
            let value = self
                .eval(&e.value, diags)
                .unwrap_or(Value::poisoned(e.value.span));
            if let Some(first) = fields.get(&e.key.name) {
                diags.push(
                    Diagnostic::new(
                        Code::DuplicateField,
                        e.key.span,
                        format!("`{}` is set twice", e.key.name),
                    )
                    .label("set again here")
                    .with_secondary(first.key.span, "first set here")
                    .help("remove one of them"),
                );
                continue;
            }
            let attrs = if e.attrs.is_empty() {
                Vec::new()
            } else {
                let scope = self.scope.clone();
                e.attrs
                    .iter()
                    .map(|a| self.attribute(a, &scope, diags))
                    .collect()
            };
            fields.insert(
                e.key.name.clone(),
                Field {
                    key: e.key.clone(),
                    value,
                    attrs,
                    append_to_default: e.op == ast::AssignOp::Append,
                },
            );
        }
        Record {
            fields,
            span: b.span,
        }
    }

    /// The value of `e`; `None` after an error, which has been reported.
    pub fn eval(&mut self, e: &Expr, diags: &mut Diagnostics) -> Option<Value> {
        self.budget.enter(e.span, diags)?;
        let v = self.eval_within_budget(e, diags);
        self.budget.leave();
        v
    }

    fn eval_within_budget(&mut self, e: &Expr, diags: &mut Diagnostics) -> Option<Value> {
        let kind = match &e.kind {
            ExprKind::Bool(b) => ValueKind::Bool(*b),
            ExprKind::None => ValueKind::None,
            ExprKind::Number(n) => ValueKind::Number(n.clone()),
            ExprKind::Quantity { number, suffix } => ValueKind::Quantity {
                number: number.clone(),
                suffix: suffix.clone(),
            },
            ExprKind::Str(s) => ValueKind::Str(self.interpolate(s, diags)?),
            ExprKind::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut ok = true;
                for i in items {
                    match self.eval(i, diags) {
                        Some(v) => out.push(v),
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                ValueKind::List(out)
            }
            ExprKind::Record(b) => ValueKind::Record(self.record(b, diags)),
            ExprKind::Tagged { tag, body } => ValueKind::Tagged {
                tag: Ident {
                    name: tag
                        .iter()
                        .map(|i| i.name.as_str())
                        .collect::<Vec<_>>()
                        .join("."),
                    span: tag[0].span.to(tag[tag.len() - 1].span),
                },
                body: self.record(body, diags),
            },
            ExprKind::Path(ids) => return self.path(ids, e.span, diags),
            ExprKind::Call { func, args } => self.call(func, args, e.span, diags)?,
            ExprKind::If { .. } => return self.if_chain(e, diags),
            ExprKind::Not(inner) => {
                let v = self.eval(inner, diags)?;
                match v.kind {
                    ValueKind::Bool(b) => ValueKind::Bool(!b),
                    ref other => {
                        diags.push(misuse(op_error(e.span, "!", other, None), &v));
                        return None;
                    }
                }
            }
            ExprKind::Binary { first, rest } => return self.chain(first, rest, diags),
        };
        let v = Value::new(kind, e.span);
        if matches!(
            v.kind,
            ValueKind::Str(_)
                | ValueKind::List(_)
                | ValueKind::Record(_)
                | ValueKind::Tagged { .. }
        ) {
            self.budget.admit(&v, diags)?;
        }
        Some(v)
    }

    /// `if … else if … else …`, one arm after the other in a loop, so that
    /// a long chain of `else if` does not nest evaluation.
    fn if_chain(&mut self, e: &Expr, diags: &mut Diagnostics) -> Option<Value> {
        let mut arm = e;
        loop {
            let ExprKind::If {
                cond,
                then,
                otherwise,
            } = &arm.kind
            else {
                return self.eval(arm, diags);
            };
            let c = self.eval(cond, diags)?;
            let ValueKind::Bool(b) = c.kind else {
                let mut d = Diagnostic::new(
                    Code::TypeMismatch,
                    cond.span,
                    "an `if` condition must be a boolean",
                )
                .label(format!("expected a boolean, found {}", c.kind.describe()));
                if let (ValueKind::Str(text), Some(u)) = (&c.kind, &c.used_at) {
                    d = d.help(format!(
                        "compare it with a value: `if {} == \"{text}\" {{ … }}`",
                        u.name
                    ));
                }
                diags.push(misuse(d, &c));
                return None;
            };
            if b {
                return self.eval(then, diags);
            }
            match otherwise {
                Some(o) => {
                    self.budget.step(0, o.span, diags)?;
                    arm = o;
                }
                None => return Some(Value::new(ValueKind::None, arm.span)),
            }
        }
    }

    /// A chain of operators of one precedence, left to right, in a loop:
    /// `a + b + c` is `(a + b) + c`. The size of a growing string or list
    /// is carried along rather than measured again at every operand.
    fn chain(
        &mut self,
        first: &Expr,
        rest: &[(BinOp, Expr)],
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let mut acc = self.eval(first, diags)?;
        let mut size = Measure::of(&acc);
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
                let added = Measure::of(&r);
                size = size.joined(added);
                self.budget.fits(size, span, diags)?;
                self.budget.step(added.cost(), span, diags)?;
            }
            acc = Value::new(binary(*op, acc, r, span, diags)?, span);
        }
        Some(acc)
    }

    fn lookup(&mut self, name: &Ident, diags: &mut Diagnostics) -> Option<Option<Value>> {
        if let Some(i) = self.scope.iter().rposition(|(n, _)| *n == name.name) {
            let v = match &self.scope[i].1 {
                Bound::Value(v) => v.clone(),
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
                    self.scope[i].1 = Bound::Value(v.clone());
                    v
                }
            };
            return Some(Some(v).filter(|v| v.kind != ValueKind::Poisoned));
        }
        if let Some(p) = self.params.get(&name.name) {
            self.used.insert(name.name.clone());
            return Some(p.value.clone());
        }
        let slot = self.lets.get_mut(&name.name)?;
        self.used.insert(name.name.clone());
        match &slot.state {
            LetState::Done(v) => Some(Some(v.clone())),
            LetState::Failed => Some(None),
            LetState::InProgress => {
                let at = slot.name.span;
                slot.state = LetState::Failed;
                diags.push(
                    Diagnostic::new(
                        Code::UnresolvedName,
                        name.span,
                        format!("`{}` is defined in terms of itself", name.name),
                    )
                    .label("used while it is being defined")
                    .with_secondary(at, "defined here")
                    .help("a let cannot depend on itself, directly or through other lets"),
                );
                Some(None)
            }
            LetState::Unevaluated => {
                let expr = slot.expr.clone();
                slot.state = LetState::InProgress;
                // Lets are global: evaluate without the caller's loop variables.
                let saved = std::mem::take(&mut self.scope);
                let v = self.eval(&expr, diags);
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

    fn path(&mut self, ids: &[Ident], span: Span, diags: &mut Diagnostics) -> Option<Value> {
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
        let mut v = bound?;
        // Reading a name copies its value.
        let copied = Measure::of(&v).cost();
        self.budget.step(copied, span, diags)?;
        for member in &ids[1..] {
            let fields = match &v.kind {
                ValueKind::Record(r) | ValueKind::Tagged { body: r, .. } => &r.fields,
                // Its error has been reported.
                ValueKind::Poisoned => return None,
                other => {
                    diags.push(
                        Diagnostic::new(
                            Code::UnresolvedName,
                            member.span,
                            format!("no field `{}` here", member.name),
                        )
                        .label(format!("{} has no fields", other.describe())),
                    );
                    return None;
                }
            };
            match fields.get(&member.name) {
                Some(f) => v = f.value.clone(),
                None => {
                    let mut d = Diagnostic::new(
                        Code::UnresolvedName,
                        member.span,
                        format!("no field `{}` here", member.name),
                    )
                    .label("not set in this block");
                    if let Some(s) = did_you_mean(&member.name, fields.keys().map(String::as_str)) {
                        d = d.help(format!("did you mean `{s}`?"));
                    }
                    diags.push(d);
                    return None;
                }
            }
        }
        // The value keeps its definition's span, where diagnostics about it
        // point, and remembers this use, the outermost one.
        if v.kind == ValueKind::Poisoned {
            return None;
        }
        v.used_at = Some(Box::new(Use {
            name: ids
                .iter()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>()
                .join("."),
            span,
        }));
        Some(v)
    }

    fn call(
        &mut self,
        func: &Ident,
        args: &[Expr],
        span: Span,
        diags: &mut Diagnostics,
    ) -> Option<ValueKind> {
        if !BUILTINS.contains(&func.name.as_str()) {
            let mut d = Diagnostic::new(
                Code::UnresolvedName,
                func.span,
                format!("unknown function `{}`", func.name),
            )
            .label("not a built-in function");
            d = match did_you_mean(&func.name, BUILTINS.iter().copied()) {
                Some(s) => d.help(format!("did you mean `{s}(…)`?")),
                None => d.help(
                    "the built-in functions are `secret(name, key)` and `config-map(name, key)`",
                ),
            };
            diags.push(d);
            return None;
        }
        if args.is_empty() || args.len() > 2 {
            diags.push(
                Diagnostic::new(
                    Code::TypeMismatch,
                    span,
                    format!("`{}` takes a name and an optional key", func.name),
                )
                .label(format!("{} arguments given", args.len()))
                .help(format!("write `{}(\"name\", \"key\")`", func.name)),
            );
            return None;
        }
        let mut strs = Vec::new();
        for a in args {
            let v = self.eval(a, diags)?;
            match v.kind {
                ValueKind::Str(s) if !s.is_empty() => strs.push(s),
                ref other => {
                    let found = match other {
                        ValueKind::Str(_) => "an empty string",
                        other => other.describe(),
                    };
                    diags.push(misuse(
                        Diagnostic::new(
                            Code::TypeMismatch,
                            a.span,
                            format!("arguments of `{}` are non-empty strings", func.name),
                        )
                        .label(format!("expected a non-empty string, found {found}")),
                        &v,
                    ));
                    return None;
                }
            }
        }
        let name = strs.remove(0);
        let key = strs.pop();
        Some(if func.name == "secret" {
            ValueKind::Secret { name, key }
        } else {
            ValueKind::ConfigMap { name, key }
        })
    }

    fn interpolate(&mut self, s: &ast::StringLit, diags: &mut Diagnostics) -> Option<String> {
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

    fn unresolved(&self, name: &str, span: Span) -> Diagnostic {
        let mut d = Diagnostic::new(Code::UnresolvedName, span, format!("cannot find `{name}`"))
            .label("no let, param or loop variable has this name");
        let mut names: Vec<&str> = self.scope.iter().map(|(n, _)| n.as_str()).collect();
        names.extend(self.lets.keys().map(String::as_str));
        names.extend(self.params.keys().map(String::as_str));
        if let Some(s) = did_you_mean(name, names) {
            d = d.help(format!("did you mean `{s}`?"));
        }
        d
    }

    /// Evaluates the defaults of the standard library's schemas and collects
    /// its declarations.
    pub fn stdlib(&mut self, files: &[ast::File], diags: &mut Diagnostics) -> Vec<StdDecl> {
        let mut out = Vec::new();
        for f in files {
            for d in &f.decls {
                match &d.kind {
                    ast::DeclKind::Schema(s) => {
                        let fields = s
                            .fields
                            .iter()
                            .map(|f| SchemaField {
                                name: f.name.clone(),
                                doc: f.doc.clone(),
                                ty: f.ty.clone(),
                                default: f.default.as_ref().and_then(|e| self.eval(e, diags)),
                                constraint: f.constraint.clone(),
                                span: f.span,
                            })
                            .collect();
                        out.push(StdDecl::Schema {
                            name: s.name.clone(),
                            is_component: s.is_component,
                            doc: d.doc.clone(),
                            fields,
                        });
                    }
                    ast::DeclKind::Enum { name, variants } => out.push(StdDecl::Enum {
                        name: name.clone(),
                        doc: d.doc.clone(),
                        variants: variants.clone(),
                    }),
                    ast::DeclKind::Union { name, variants } => out.push(StdDecl::Union {
                        name: name.clone(),
                        doc: d.doc.clone(),
                        variants: variants
                            .iter()
                            .map(|v| (v.tag.clone(), v.doc.clone(), v.ty.clone()))
                            .collect(),
                    }),
                    _ => {}
                }
            }
        }
        out
    }
}

fn duplicate_binding(name: &Ident, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateComponent,
        name.span,
        format!("`{}` is declared twice", name.name),
    )
    .label("declared again here")
    .with_secondary(first, "first declared here")
    .help("lets and params share one namespace: rename one of them")
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

fn op_error(span: Span, op: &str, l: &ValueKind, r: Option<&ValueKind>) -> Diagnostic {
    let what = match r {
        Some(r) => format!("{} and {}", l.describe(), r.describe()),
        None => l.describe().to_string(),
    };
    let mut d = Diagnostic::new(
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
        d = d.help("quote the name to compare it as a string: `env == \"prod\"`");
    } else if op == "+" {
        d = d.help("`+` joins two strings or two lists, or adds two numbers");
    }
    d
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
        let d = op_error(span, op.symbol(), &l.kind, Some(&r.kind));
        diags.push(misuse(misuse(d, &l), &r));
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
