//! What the credential screen said of each object of one build, kept for
//! the next build of the same site (the language server's): an object the
//! lowering took from the build before ([`crate::lower::KeptWorkers`]) is
//! the same object, shared, and is not screened again (issue 17).

use std::cell::Cell;
use std::sync::Arc;

use super::screen::Verdict;
use crate::lower::k8s::Resource;
use crate::map::Generations;

/// The screen's answers for the last build's objects and this build's so
/// far, by the object's address. Each answer holds its object, so no other
/// object can be made at that address while the answer is kept.
#[derive(Default)]
pub struct KeptScreen {
    answers: Generations<usize, Answer>,
    screened: Cell<usize>,
}

#[derive(Clone)]
struct Answer {
    /// Held only for its address.
    _object: Arc<Resource>,
    /// What the screen said, which does not depend on the rest of the site
    /// (what it leaves to the site's written values is looked up again in
    /// each build).
    verdict: Verdict,
}

impl KeptScreen {
    /// A build's policy stage begins: what the last one screened may be
    /// answered again.
    pub(in crate::policy) fn begin(&self) {
        self.answers.begin();
    }

    /// How many objects were screened rather than answered from a build
    /// before.
    pub fn screened(&self) -> usize {
        self.screened.get()
    }

    /// How many answers are held: those of the last build and this one.
    pub fn held(&self) -> usize {
        self.answers.held()
    }

    /// The objects `remade` by a lowering to move their spans have the
    /// answers of the objects they copy: the screen reads no span. Before
    /// or after this build's policy stage begins.
    pub fn remade(&self, remade: &[crate::lower::Remade]) {
        for r in remade {
            let from = Arc::as_ptr(&r.from) as usize;
            if let Some(answer) = self.answers.peek(&from) {
                let to = Answer {
                    _object: Arc::clone(&r.to),
                    verdict: answer.verdict.clone(),
                };
                self.answers.keep(Arc::as_ptr(&r.to) as usize, to);
            }
        }
    }

    /// `screen`'s answer for `object`, or the answer a build before gave
    /// for the same object.
    pub(super) fn may_flag(
        &self,
        object: &Arc<Resource>,
        screen: impl FnOnce() -> Verdict,
    ) -> Verdict {
        let at = Arc::as_ptr(object) as usize;
        let answer = self.answers.get_or(&at, || {
            self.screened.set(self.screened.get() + 1);
            Answer {
                _object: Arc::clone(object),
                verdict: screen(),
            }
        });
        answer.verdict
    }
}
