//! Names, imports, templates and `for` expansion: from parsed files to one
//! [`Resolved`] tree of components with evaluated, untyped values.

mod budget;
pub mod error;
mod eval;
mod imports;
mod kept;
mod merge;
pub mod tree;

use std::borrow::Borrow;
use std::ops::ControlFlow;
use std::sync::Arc;

use crate::map::{IndexMap, IndexSet};

use crate::diagnostics::{Code, Diagnostics, did_you_mean};
use crate::limits::MAX_DEPTH;
use crate::source::{FileId, Loader, SourceMap, Span};
use crate::syntax::Parses;
use crate::syntax::ast::{self, DeclKind};
pub use error::{EvalError, ResolveError};
pub use kept::KeptEvaluations;
pub use tree::*;

use error::{LoopClash, Misplaced};
use eval::{Env, Scope};

/// Values given on the command line with `--param name=value`.
pub type ParamValues = IndexMap<String, String>;

/// Resolves the root file, its imports and the standard library files,
/// evaluating within `limits`. With `kept` (the language server's), each file's parse and each
/// component's evaluation the last build made are not made again when
/// nothing they read changed.
pub fn resolve(
    sources: &mut SourceMap,
    root: FileId,
    kinds: &[String],
    loader: &dyn Loader,
    params: &ParamValues,
    limits: crate::limits::Limits,
    kept: Option<(&Parses, &KeptEvaluations)>,
) -> (Resolved, Diagnostics) {
    let parses = kept.map(|(p, _)| p);
    let mut diags = Diagnostics::default();
    let files = imports::load_all(sources, root, loader, parses, &mut diags);
    // A file that failed to parse (a declaration cut out by recovery) or an
    // import that could not be read declares names nobody can see: a name
    // that seems missing may be one of them. Reporting it would ask for a
    // declaration that, once the file is fixed, would be a duplicate.
    let names_lost = diags.iter().any(|d| loses_names(d.code));
    let mut env = Env::new();
    env.budget = budget::Budget::new(limits);
    env.names_lost = names_lost;
    // A build that lost names reads what it cannot see: its evaluations
    // are neither taken nor kept.
    let kept = kept.map(|(_, k)| k).filter(|_| !names_lost);
    if let Some(k) = kept {
        k.begin();
    }
    let mut collector = Collector {
        names_lost,
        kept,
        kinds,
        templates: IndexMap::default(),
        pending: Vec::new(),
        extended: IndexSet::default(),
        template_names: Default::default(),
    };
    for f in &files {
        collector.globals(&mut env, &f.ast.decls, true, &mut diags);
    }
    env.bind_params(params, &mut diags);
    for f in &files {
        collector.file(&mut env, &f.ast.decls, &mut diags);
    }
    let mut components = collector.finish(&mut env, &mut diags);
    // What looks unused in a build with errors may be used by a
    // declaration that was lost to them.
    if !diags.has_errors() {
        env.unused(&mut diags);
        collector.unused(&mut diags);
    }
    let bound_names = env.bound_names();
    let bindings = env.bindings(sources);
    let mut incomplete = names_lost
        || diags
            .iter()
            .any(|d| d.code.as_str().starts_with("E01") || d.code == Code::EvaluationBudget);
    if env.budget.exhausted() {
        // Past a limit of the build (E0313, E0106) the components are
        // partial: checking them would only repeat that at length.
        components.clear();
        incomplete = true;
    }
    (
        Resolved {
            components,
            files: files.into_iter().map(|f| (f.file, f.ast)).collect(),
            bindings,
            bound_names,
            incomplete,
            names_lost,
        },
        diags,
    )
}

/// Whether a diagnostic of loading means some declarations were not read:
/// a syntax error (recovery drops the declaration it is in), a file that is
/// not UTF-8, or an import that could not be read.
fn loses_names(code: Code) -> bool {
    code.as_str().starts_with("E01")
        || matches!(code, Code::ImportNotFound | Code::ImportOutsideRoot)
}

/// Parses and evaluates the standard library files (`(id, text)` pairs).
pub fn stdlib(files: &[(FileId, &str)]) -> (Vec<StdDecl>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let asts: Vec<ast::File> = files
        .iter()
        .map(|(id, text)| {
            let (ast, d) = crate::syntax::parse(*id, text);
            diags.extend(d);
            ast
        })
        .collect();
    let decls = Env::new().stdlib(&asts, &mut diags);
    (decls, diags)
}

/// `WorkerPool` → `worker-pool`: the keyword of a component schema.
pub fn kebab(type_name: &str) -> String {
    let mut out = String::new();
    for (i, c) in type_name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A template or component waiting for its body to be evaluated.
/// A component or template, with the loop variables in force where it was
/// declared (its declaration is borrowed: a `for` loop generating many
/// components does not copy it for each).
struct Pending<'a> {
    /// The top-level declaration holding it (itself, outside loops).
    root: &'a Arc<ast::Decl>,
    decl: &'a ast::Decl,
    comp: &'a ast::Component,
    name: String,
    name_span: Span,
    /// The loop variables in force where it was declared.
    scope: Scope,
}

struct Collector<'a> {
    /// Some file failed to load or parse: a template it declared may be
    /// the one an `extends` cannot find.
    names_lost: bool,
    /// The language server's memo of evaluations.
    kept: Option<&'a KeptEvaluations>,
    kinds: &'a [String],
    templates: IndexMap<(String, String), Pending<'a>>,
    pending: Vec<Pending<'a>>,
    /// (kind, name) of the templates some component extends, for W0502.
    extended: IndexSet<(String, String)>,
    /// What an `extends` naming no template may have meant, made once all
    /// templates are collected, on the first such name.
    template_names: std::cell::RefCell<Option<TemplateNames>>,
}

/// The templates by name, for an `extends` that names none of its kind:
/// looked up, not scanned for each (a site of thousands of misspelt
/// `extends` was quadratic).
struct TemplateNames {
    /// The kind of the first template of each name.
    kind_of: crate::map::HashMap<String, String>,
    /// Did-you-mean over the templates of each kind.
    of_kind: crate::map::HashMap<String, crate::diagnostics::Suggest<String>>,
}

impl TemplateNames {
    fn of(templates: &IndexMap<(String, String), Pending<'_>>) -> TemplateNames {
        let mut kind_of = crate::map::HashMap::default();
        let mut names: crate::map::HashMap<String, Vec<String>> = Default::default();
        for (kind, name) in templates.keys() {
            kind_of.entry(name.clone()).or_insert_with(|| kind.clone());
            names.entry(kind.clone()).or_default().push(name.clone());
        }
        let of_kind = names
            .into_iter()
            .map(|(kind, names)| (kind, crate::diagnostics::Suggest::closest(names)))
            .collect();
        TemplateNames { kind_of, of_kind }
    }
}

impl<'a> Collector<'a> {
    /// First pass: lets and params (global), refusing declarations that
    /// belong elsewhere.
    fn globals<D: Borrow<ast::Decl>>(
        &mut self,
        env: &mut Env,
        decls: &[D],
        top: bool,
        diags: &mut Diagnostics,
    ) {
        for d in decls {
            let d = d.borrow();
            if !d.attrs.is_empty() && !matches!(d.kind, DeclKind::Component(_)) {
                diags.report(ResolveError::MisplacedAttribute {
                    span: d.attrs[0].span,
                });
            }
            match &d.kind {
                DeclKind::Let { name, value } if top => env.declare_let(name, value.clone(), diags),
                DeclKind::Param { name, ty, default } if top => {
                    env.declare_param(name, ty.clone(), default.clone(), diags)
                }
                DeclKind::Import(s) if !top => diags.report(ResolveError::Misplaced {
                    span: s.span,
                    what: Misplaced::Import,
                }),
                DeclKind::Param { name, .. } if !top => diags.report(ResolveError::Misplaced {
                    span: name.span,
                    what: Misplaced::Param,
                }),
                DeclKind::Schema(ast::Schema { name, .. })
                | DeclKind::Enum { name, .. }
                | DeclKind::Union { name, .. } => diags.report(ResolveError::Misplaced {
                    span: name.span,
                    what: Misplaced::Type,
                }),
                _ => {}
            }
        }
    }

    /// Second pass: the components and templates of a file, expanding
    /// `for` loops. Past the limit of components, the rest of the file is
    /// skipped (and of a loop's body, the rest of that body).
    fn file(&mut self, env: &mut Env, decls: &'a [Arc<ast::Decl>], diags: &mut Diagnostics) {
        let _ = decls
            .iter()
            .try_for_each(|d| self.declaration(env, d, d, diags));
    }

    /// One declaration of the second pass, inside the top-level `root`;
    /// `Break` once the limit of components is crossed.
    fn declaration(
        &mut self,
        env: &mut Env,
        d: &'a ast::Decl,
        root: &'a Arc<ast::Decl>,
        diags: &mut Diagnostics,
    ) -> ControlFlow<()> {
        match &d.kind {
            DeclKind::Component(c) | DeclKind::Template(c) => {
                let is_template = matches!(d.kind, DeclKind::Template(_));
                if !self.known_kind(&c.kind, diags) {
                    return ControlFlow::Continue(());
                }
                let Some((name, name_span)) = env.component_name(&c.name, diags) else {
                    return ControlFlow::Continue(());
                };
                // Generated components are counted, and stop at the limit.
                let (Some(()), Some(scope)) = (
                    env.budget.component(name_span, diags),
                    env.loop_scope(name_span, diags),
                ) else {
                    return ControlFlow::Break(());
                };
                let pending = Pending {
                    root,
                    decl: d,
                    comp: c,
                    name: name.clone(),
                    name_span,
                    scope,
                };
                if is_template {
                    let key = (c.kind.name.clone(), name);
                    if let Some(first) = self.templates.get(&key) {
                        diags.report(duplicate("template", &pending, first));
                    } else {
                        self.templates.insert(key, pending);
                    }
                } else {
                    env.declare_component(&c.kind.name, &pending.name, name_span);
                    self.pending.push(pending);
                }
            }
            DeclKind::For { var, iter, body } => {
                let Some(items) = env.eval_list(iter, diags) else {
                    return ControlFlow::Continue(());
                };
                for item in items {
                    env.push_loop(var, item);
                    self.globals(env, body, false, diags);
                    let _ = body
                        .iter()
                        .try_for_each(|b| self.declaration(env, b, root, diags));
                    env.pop_loop();
                }
            }
            DeclKind::Let { name, value } if env.in_loop() => env.bind_loop_let(name, value),
            _ => {}
        }
        ControlFlow::Continue(())
    }

    /// W0502 for every template that no component extends.
    fn unused(&self, diags: &mut Diagnostics) {
        for (key, t) in &self.templates {
            if self.extended.contains(key) || t.name.starts_with('_') {
                continue;
            }
            let (kind, name) = key;
            diags.report(ResolveError::UnusedTemplate {
                span: t.name_span,
                kind: kind.clone(),
                name: name.clone(),
            });
        }
    }

    fn known_kind(&self, kind: &ast::Ident, diags: &mut Diagnostics) -> bool {
        if self.kinds.contains(&kind.name) {
            return true;
        }
        diags.report(ResolveError::UnknownKind {
            span: kind.span,
            kind: kind.name.clone(),
            kinds: self.kinds.to_vec(),
            suggestion: did_you_mean(&kind.name, self.kinds.iter().map(String::as_str))
                .map(str::to_string),
        });
        false
    }

    /// Evaluates every component body, merges it onto its template, and
    /// reports duplicates.
    fn finish(&mut self, env: &mut Env, diags: &mut Diagnostics) -> Vec<Arc<Component>> {
        let mut seen: IndexMap<(String, String), usize> = IndexMap::default();
        let mut out = Vec::new();
        let pending = std::mem::take(&mut self.pending);
        for (i, p) in pending.iter().enumerate() {
            if env.budget.exhausted() {
                break;
            }
            let key = (p.comp.kind.name.clone(), p.name.clone());
            if let Some(first) = seen.get(&key) {
                diags.report(duplicate(&p.comp.kind.name, p, &pending[*first]));
                continue;
            }
            // What the language server's memo compares and keeps: `p`'s
            // declaration and those of the templates it extends, nearest
            // first (`None` where `body` reports an error instead).
            let declared = self.kept.map(|kept| {
                let templates = templates_of(&self.templates, p);
                let declared = templates.map(|t| std::iter::once(p).chain(t).collect::<Vec<_>>());
                (kept, declared)
            });
            if let Some((kept, Some(declared))) = &declared
                && let Some(entry) = taken(kept, env, declared, &key)
            {
                for name in &entry.chain {
                    self.extended.insert((key.0.clone(), name.clone()));
                }
                seen.insert(key, i);
                out.push(Arc::clone(&entry.component));
                continue;
            }
            seen.insert(key, i);
            let recording =
                declared.map(|(kept, declared)| (kept, declared, kept.start(env), diags.len()));
            let mut chain = Vec::new();
            let body = self.body(env, p, &mut chain, diags);
            // `chain` now names every template the component inherits from.
            for name in &chain {
                self.extended
                    .insert((p.comp.kind.name.clone(), name.clone()));
            }
            let Some(body) = body else {
                env.recording = None;
                continue;
            };
            let attrs = p
                .decl
                .attrs
                .iter()
                .map(|a| env.attribute(a, &p.scope, diags))
                .collect();
            let component = Arc::new(Component {
                kind: p.comp.kind.clone(),
                name: p.name.clone(),
                name_span: p.name_span,
                span: p.decl.span,
                attrs,
                doc: p.decl.doc.clone(),
                body,
            });
            if let Some((kept, declared, steps, before)) = recording {
                let reported = diags.len() != before || declared.is_none();
                let declared = declared
                    .unwrap_or_default()
                    .into_iter()
                    .map(|d| kept::Declared::new(d.root, d.decl, &d.scope))
                    .collect();
                kept.keep(env, steps, reported, declared, &chain, &component);
            }
            out.push(component);
        }
        out
    }

    /// The merged body of a component or template: its template's body
    /// (recursively) with its own entries on top.
    fn body(
        &self,
        env: &mut Env,
        p: &Pending,
        chain: &mut Vec<String>,
        diags: &mut Diagnostics,
    ) -> Option<Record> {
        let own = env.block(&p.comp.body, &p.scope, diags);
        let Some(parent) = &p.comp.extends else {
            return Some(own);
        };
        let key = (p.comp.kind.name.clone(), parent.name.clone());
        let Some(template) = self.templates.get(&key) else {
            let mut names = self.template_names.borrow_mut();
            let names = names.get_or_insert_with(|| TemplateNames::of(&self.templates));
            let other_kind = names.kind_of.get(&parent.name).cloned();
            let (kind, name) = (p.comp.kind.name.clone(), parent.name.clone());
            let span = parent.span;
            diags.report(match other_kind {
                Some(other_kind) => ResolveError::TemplateOfOtherKind {
                    span,
                    kind,
                    name,
                    other_kind,
                },
                // It may be declared in the file that failed.
                None if self.names_lost => return None,
                None => {
                    let suggestion = names
                        .of_kind
                        .get_mut(&p.comp.kind.name)
                        .and_then(|s| s.best(&parent.name))
                        .map(str::to_string);
                    ResolveError::UnknownTemplate {
                        span,
                        kind,
                        name,
                        suggestion,
                    }
                }
            });
            return None;
        };
        if chain.contains(&parent.name) {
            diags.report(ResolveError::ExtendsCycle {
                span: parent.span,
                chain: chain.clone(),
                name: parent.name.clone(),
            });
            return None;
        }
        if chain.len() >= MAX_DEPTH {
            diags.report(ResolveError::ExtendsTooDeep { span: parent.span });
            return None;
        }
        chain.push(parent.name.clone());
        let base = self.body(env, template, chain, diags)?;
        Some(merge::merge(base, own, diags))
    }
}

/// `second` has the kind and name of `first`. When both come from one
/// declaration in a `for` loop, the labels point at the loop values that
/// produced them.
/// The last build's evaluation of the component `key`, declared as
/// `declared` says (its own declaration, then its templates'), when the
/// language server's memo has it and nothing it read changed.
fn taken(
    kept: &KeptEvaluations,
    env: &mut Env,
    declared: &[&Pending],
    key: &(String, String),
) -> Option<std::rc::Rc<kept::Entry>> {
    let declared: Vec<(&ast::Decl, &Scope)> = declared.iter().map(|d| (d.decl, &d.scope)).collect();
    kept.take(key, &declared, env)
}

/// The templates `p` extends, nearest first, as [`Collector::body`] follows
/// them; `None` where it reports an error instead.
fn templates_of<'t, 'a>(
    templates: &'t IndexMap<(String, String), Pending<'a>>,
    p: &'t Pending<'a>,
) -> Option<Vec<&'t Pending<'a>>> {
    let mut out: Vec<&Pending<'a>> = Vec::new();
    let mut at = p;
    while let Some(parent) = &at.comp.extends {
        let template = templates.get(&(at.comp.kind.name.clone(), parent.name.clone()))?;
        if out.len() >= MAX_DEPTH || out.iter().any(|t| std::ptr::eq(*t, template)) {
            return None;
        }
        out.push(template);
        at = template;
    }
    Some(out)
}

fn duplicate(kind: &str, second: &Pending, first: &Pending) -> ResolveError {
    let (span, kind, name) = (second.name_span, kind.to_string(), second.name.clone());
    if second.name_span != first.name_span {
        return ResolveError::DuplicateComponent {
            span,
            first: first.name_span,
            kind,
            name,
        };
    }
    let mut clashes = Vec::new();
    for ((var, v2), (_, v1)) in second.scope.iter().zip(&first.scope) {
        // The loop variables; a let of the body follows from them.
        let (eval::Bound::Value(v1), eval::Bound::Value(v2)) = (v1, v2) else {
            continue;
        };
        if v1.span != v2.span {
            clashes.push(LoopClash {
                var: var.clone(),
                first: (**v1).clone(),
                second: (**v2).clone(),
            });
        }
    }
    let fixed_name = matches!(second.comp.name, ast::CompName::Ident(_));
    let fixed_name_var = match second.scope.first() {
        Some((var, _)) if fixed_name => Some(var.clone()),
        _ => None,
    };
    ResolveError::DuplicateInLoop {
        span,
        kind,
        name,
        clashes,
        fixed_name_var,
    }
}
