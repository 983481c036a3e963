//! Evaluation of expressions whose value does not depend on types: lets,
//! params, loop variables, interpolation, `if`, operators, built-in calls.

mod interpolate;
mod names;
mod ops;
mod params;

use crate::map::{IndexMap, IndexSet};

use super::budget::Budget;
use super::error::EvalError;
use super::tree::*;
use crate::diagnostics::{Diagnostics, did_you_mean};
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{self, Expr, ExprKind, Ident, TypeExpr};

/// Loop variables (and lets declared inside loops), innermost last.
pub type Scope = Vec<(String, Bound)>;

/// What a name in a loop's scope stands for: a loop variable's value, or a
/// let of the loop body, evaluated when first read (with the bindings
/// before it in force) and then kept.
///
/// A value is shared: the scope is copied for every component a loop
/// declares and again each time the component's block is evaluated, and
/// copying a loop's record for each was a dozen allocations a component.
#[derive(Debug, Clone, PartialEq)]
pub enum Bound {
    Value(std::sync::Arc<Value>),
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
    /// The components declared so far, by name (the first of a name: its
    /// kind and name span): a bare name that is none of the above may name
    /// one, which says more than "cannot find" when it is misused. A map,
    /// not a list scanned for each such name.
    components: crate::map::HashMap<String, (String, Span)>,
    /// The lets and params read at least once, for W0502.
    used: IndexSet<String>,
    /// What evaluation has cost so far (E0313, and E0106 for its depth).
    pub budget: Budget,
    /// Some file failed to load or parse: an unknown name may be declared
    /// there, and is not reported ([`Resolved::names_lost`](super::Resolved)).
    pub names_lost: bool,
    /// What the component being evaluated reads, while the language
    /// server's memo records it ([`super::kept`]).
    pub recording: Option<Recording>,
}

/// What one component's evaluation read of the top-level bindings, and
/// what it cost beyond evaluating the lets it was the first to read.
#[derive(Debug, Default)]
pub struct Recording {
    /// Each top-level name read outside the loop variables, and what it
    /// gave: `None` when no let or param has it (a bare name), else the
    /// value (`None` for a let that failed).
    pub reads: Vec<(String, Option<Option<Value>>)>,
    /// The steps spent evaluating lets this component read first: a later
    /// build that finds them evaluated does not spend them again.
    pub let_steps: u64,
    /// How many lets are being evaluated, outermost first: what they read
    /// is theirs, not the component's.
    in_let: usize,
}

impl Recording {
    /// `name`, read outside any let, gave `found`.
    fn read(&mut self, name: &str, found: Option<Option<&Value>>) {
        if self.in_let == 0 {
            let found = found.map(|v| v.cloned());
            self.reads.push((name.to_string(), found));
        }
    }
}

const BUILTINS: &[&str] = &["secret", "config-map"];

impl Env {
    pub fn new() -> Env {
        Env {
            lets: IndexMap::default(),
            params: IndexMap::default(),
            scope: Vec::new(),
            marks: Vec::new(),
            components: Default::default(),
            used: IndexSet::default(),
            budget: Budget::default(),
            names_lost: false,
            recording: None,
        }
    }

    /// What a top-level name stands for now, as [`Recording::reads`] holds
    /// it, without evaluating anything: `Err` for a let not evaluated yet.
    pub fn peek(&self, name: &str) -> Result<Option<Option<&Value>>, ()> {
        if let Some(p) = self.params.get(name) {
            return Ok(Some(p.value.as_ref()));
        }
        match self.lets.get(name).map(|l| &l.state) {
            None => Ok(None),
            Some(LetState::Done(v)) => Ok(Some(Some(v))),
            Some(LetState::Failed) => Ok(Some(None)),
            Some(LetState::Unevaluated | LetState::InProgress) => Err(()),
        }
    }

    /// `name`, a let or param, is read (for W0502).
    pub fn mark_used(&mut self, name: &str) {
        if !self.used.contains(name) {
            self.used.insert(name.to_string());
        }
    }

    pub fn bound_names(&self) -> Vec<String> {
        self.lets
            .keys()
            .chain(self.params.keys())
            .cloned()
            .collect()
    }

    /// Every top-level let and param with its value, in the order they
    /// are written (`sources` places their spans). A let that nothing
    /// read has no value: lets are evaluated only when read, so an unused
    /// one costs nothing, however expensive or wrong its expression.
    pub fn bindings(&mut self, sources: &SourceMap) -> Vec<Binding> {
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
        out.sort_by_key(|b| sources.place(b.name.span));
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
            diags.report(EvalError::DuplicateBinding {
                name: name.clone(),
                first,
            });
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

    pub fn declare_component(&mut self, kind: &str, name: &str, span: Span) {
        self.components
            .entry(name.to_string())
            .or_insert_with(|| (kind.to_string(), span));
    }

    /// W0502 for every top-level let and param that nothing read. A name
    /// starting with `_` is unused on purpose.
    pub fn unused(&self, diags: &mut Diagnostics) {
        let lets = self.lets.values().map(|l| (&l.name, false));
        let params = self.params.values().map(|p| (&p.name, true));
        for (name, is_param) in lets.chain(params) {
            if self.used.contains(&name.name) || name.name.starts_with('_') {
                continue;
            }
            let name = name.clone();
            diags.report(if is_param {
                EvalError::UnusedParam { name }
            } else {
                EvalError::UnusedLet { name }
            });
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
                Bound::Value(v) => self.budget.measure(v).cost(),
                Bound::Let { .. } => 1,
            })
            .sum();
        self.budget.step(copied, span, diags)?;
        Some(self.scope.clone())
    }

    pub fn push_loop(&mut self, var: &Ident, item: Value) {
        self.marks.push(self.scope.len());
        self.scope
            .push((var.name.clone(), Bound::Value(item.into())));
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
                diags.report(EvalError::ForNeedsList {
                    span: e.span,
                    value: v,
                });
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
        // Sized once: a record of a `for` loop's body is made again for
        // every item, and grown one insert at a time it was reallocated
        // and rehashed each time.
        let mut fields: IndexMap<String, Field> =
            IndexMap::with_capacity_and_hasher(b.entries.len(), Default::default());
        for e in &b.entries {
            // A value that failed keeps its field, poisoned, so that `check`
            // does not also report the field as missing.
            let value = self
                .eval(&e.value, diags)
                .unwrap_or(Value::poisoned(e.value.span));
            if let Some(first) = fields.get(&e.key.name) {
                diags.report(EvalError::DuplicateField {
                    key: e.key.clone(),
                    first: first.key.span,
                });
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
                    name: names::dotted(tag),
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
                    _ => {
                        diags.report(EvalError::InvalidNot {
                            span: e.span,
                            operand: v,
                        });
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
                diags.report(EvalError::ConditionNotBool {
                    span: cond.span,
                    value: c,
                });
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

    fn call(
        &mut self,
        func: &Ident,
        args: &[Expr],
        span: Span,
        diags: &mut Diagnostics,
    ) -> Option<ValueKind> {
        if !BUILTINS.contains(&func.name.as_str()) {
            diags.report(EvalError::UnknownFunction {
                func: func.clone(),
                suggestion: did_you_mean(&func.name, BUILTINS.iter().copied()),
            });
            return None;
        }
        if args.is_empty() || args.len() > 2 {
            diags.report(EvalError::ArgumentCount {
                span,
                func: func.name.clone(),
                given: args.len(),
            });
            return None;
        }
        let mut strs = Vec::new();
        for a in args {
            let v = self.eval(a, diags)?;
            match v.kind {
                ValueKind::Str(s) if !s.is_empty() => strs.push(s),
                _ => {
                    diags.report(EvalError::InvalidArgument {
                        span: a.span,
                        func: func.name.clone(),
                        value: v,
                    });
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
                                doc: f.doc.clone().map(Doc::from),
                                ty: f.ty.clone(),
                                default: f.default.as_ref().and_then(|e| self.eval(e, diags)),
                                constraint: f.constraint.clone(),
                                span: f.span,
                            })
                            .collect();
                        out.push(StdDecl::Schema {
                            name: s.name.clone(),
                            is_component: s.is_component,
                            doc: d.doc.clone().map(Doc::from),
                            fields,
                        });
                    }
                    ast::DeclKind::Enum { name, variants } => out.push(StdDecl::Enum {
                        name: name.clone(),
                        doc: d.doc.clone().map(Doc::from),
                        variants: variants
                            .iter()
                            .map(|(v, doc)| (v.clone(), doc.clone().map(Doc::from)))
                            .collect(),
                    }),
                    ast::DeclKind::Union { name, variants } => out.push(StdDecl::Union {
                        name: name.clone(),
                        doc: d.doc.clone().map(Doc::from),
                        variants: variants
                            .iter()
                            .map(|v| (v.tag.clone(), v.doc.clone().map(Doc::from), v.ty.clone()))
                            .collect(),
                    }),
                    _ => {}
                }
            }
        }
        out
    }
}
