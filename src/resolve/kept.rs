//! The evaluations of one build kept for the next build of the same site
//! (the language server's, issue 17): a component whose declaration, loop
//! variables and templates are the last build's, and whose reads of the
//! top-level lets and params give what they gave, evaluates as it did, and
//! is not evaluated again. At 21,008 lines evaluating every component was
//! 33 M instructions a keystroke, and dropping the last build's components
//! 14 M more; a kept one is shared with the build before.
//!
//! A declaration is the same when it is the same parsed declaration (the
//! language server's parses keep an unchanged one from build to build,
//! [`crate::syntax::Parses`], with its spans counted from its piece); the
//! entry holds the top-level declarations it read, so that their addresses
//! are not reused while it compares them.
//!
//! Only an evaluation that reported nothing is kept: its diagnostics would
//! otherwise have to be given again, and a let it was the first to read
//! reports its own only once. And only one whose lets were all evaluated
//! before it in the build that takes it: evaluating a let is the first
//! reader's, with its steps and its errors. What is taken then gives what
//! evaluating would have: the same values, the same steps counted
//! ([`super::budget::Budget::replay`]), the same names marked used.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use super::eval::{Env, Recording, Scope};
use super::tree::{Component, Value};
use crate::map::Generations;
use crate::syntax::ast;

/// The last build's evaluations and this build's so far, by kind and name.
#[derive(Default)]
pub struct KeptEvaluations {
    entries: Generations<(String, String), Rc<Entry>>,
    made: Cell<usize>,
    reused: Cell<usize>,
}

/// A declaration as the memo compares it: by address, while `root`, the
/// top-level declaration holding it, is held.
pub(super) struct Declared {
    /// Held, never read: while it is, `decl` is not freed, and no other
    /// declaration can be at its address.
    _root: Arc<ast::Decl>,
    decl: *const ast::Decl,
    scope: Scope,
}

impl Declared {
    pub(super) fn new(root: &Arc<ast::Decl>, decl: &ast::Decl, scope: &Scope) -> Declared {
        Declared {
            _root: Arc::clone(root),
            decl: decl as *const ast::Decl,
            scope: scope.clone(),
        }
    }

    /// Whether `decl`, in force with `scope`, is this declaration.
    pub(super) fn is(&self, decl: &ast::Decl, scope: &Scope) -> bool {
        std::ptr::eq(self.decl, decl) && self.scope == *scope
    }
}

/// One component's evaluation, kept for the next build.
pub(super) struct Entry {
    /// The component's declaration, then each template it extends, nearest
    /// first.
    declared: Vec<Declared>,
    reads: Vec<(String, Option<Option<Value>>)>,
    /// The steps it counted, less the lets it was the first to read.
    steps: u64,
    /// The names of the templates it extends.
    pub chain: Vec<String>,
    pub component: Arc<Component>,
}

impl KeptEvaluations {
    /// How many components were evaluated.
    pub fn evaluated(&self) -> usize {
        self.made.get()
    }

    /// How many evaluations were taken from a build before.
    pub fn reused(&self) -> usize {
        self.reused.get()
    }

    /// A build begins.
    pub(super) fn begin(&self) {
        self.entries.begin();
    }

    /// The last build's evaluation of the component `(kind, name)`
    /// declared as `declared` says, if what it read reads the same in
    /// `env`; its steps are counted and its names marked used.
    pub(super) fn take(
        &self,
        key: &(String, String),
        declared: &[(&ast::Decl, &Scope)],
        env: &mut Env,
    ) -> Option<Rc<Entry>> {
        let entry = self.entries.take_last(key)?;
        let same = entry.declared.len() == declared.len()
            && entry
                .declared
                .iter()
                .zip(declared)
                .all(|(d, (decl, scope))| d.is(decl, scope))
            && entry
                .reads
                .iter()
                .all(|(name, was)| env.peek(name) == Ok(was.as_ref().map(Option::as_ref)));
        if !same {
            return None;
        }
        env.budget.replay(entry.steps)?;
        for (name, was) in &entry.reads {
            if was.is_some() {
                env.mark_used(name);
            }
        }
        self.reused.set(self.reused.get() + 1);
        self.entries.keep(key.clone(), Rc::clone(&entry));
        Some(entry)
    }

    /// A component is evaluated: what it reads is recorded.
    pub(super) fn start(&self, env: &mut Env) -> u64 {
        self.made.set(self.made.get() + 1);
        env.recording = Some(Recording::default());
        env.budget.steps()
    }

    /// The component evaluated since [`Self::start`] (at `steps`) is kept,
    /// unless it reported something.
    pub(super) fn keep(
        &self,
        env: &mut Env,
        steps: u64,
        reported: bool,
        declared: Vec<Declared>,
        chain: &[String],
        component: &Arc<Component>,
    ) {
        let Some(recording) = env.recording.take() else {
            return;
        };
        if reported {
            return;
        }
        let key = (component.kind.name.clone(), component.name.clone());
        let entry = Entry {
            declared,
            reads: recording.reads,
            steps: env.budget.steps() - steps - recording.let_steps,
            chain: chain.to_vec(),
            component: Arc::clone(component),
        };
        self.entries.keep(key, Rc::new(entry));
    }
}
