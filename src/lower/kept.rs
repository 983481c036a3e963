//! Workers' and pools' lowerings kept from one build for the next of the
//! same site (the language server's): after a keystroke in one worker,
//! that worker is lowered again and every other worker's objects are those
//! of the build before, shared, not made again (issue 17); so are the
//! pools' whose workers' job namespaces are as they were.
//!
//! What a worker's lowering reads is the worker itself, the site's
//! settings (the `site` component), the components of the other kinds (the
//! server its API names, its pool), and whether a worker before it made
//! the template of its pool (the first makes it and judges the pool's
//! flow-run Job; the others copy it). It reads no other worker. So a kept
//! lowering is used only when all of that is as it was: the site and the
//! other kinds' components are compared once a build, each worker with the
//! one kept under its name, and the template it found made (or made) must
//! be found so again.
//!
//! They are compared after the edits ([`Edits`]): a keystroke above a
//! worker in its file moves every span of it, and of what it reads below
//! the keystroke, without changing what it is. A kept lowering of a
//! worker that is the same but moved is used with its spans moved (the
//! objects' origins, the traffic's, the diagnostics'), and kept so.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use super::flow_runs::TemplateUse;
use super::network::Traffic;
use super::{KeptTemplates, Lowered};
use crate::diagnostics::Diagnostic;
use crate::map::Generations;
use crate::model::moved::SameAfter;
use crate::model::{Component, Kind, Site, schema};
use crate::source::{Edits, Sameness};

/// What one build's lowering leaves for the next build of the same site.
#[derive(Default)]
pub struct Kept {
    /// The base job templates it made.
    pub templates: KeptTemplates,
    /// Its workers' and pools' lowerings.
    pub workers: KeptWorkers,
    /// Its NetworkPolicies made from every workload's traffic.
    pub policies: super::network::KeptPolicies,
}

/// The lowerings of the last build's workers and pools, and of this
/// build's so far. A pool's lowering (the ServiceAccount and the
/// NetworkPolicy of its flow runs in each job namespace) reads the pool,
/// the context, and the job namespaces of the workers that generate its
/// template, which it is kept with.
#[derive(Default)]
pub struct KeptWorkers {
    /// What the kept lowerings read besides their workers.
    context: RefCell<Option<Context>>,
    /// By kind and name.
    entries: Generations<(Kind, String), Rc<Entry>>,
    /// Whether this build's context is the last one's moved.
    context_moved: Cell<bool>,
    reused: Cell<usize>,
    lowered: Cell<usize>,
    pools_reused: Cell<usize>,
}

/// The site component and every component that is not a worker, in order.
struct Context {
    site: Component<Box<schema::Site>>,
    others: Vec<Arc<Component>>,
}

impl Context {
    fn of(site: &Site) -> Context {
        Context {
            site: site.site.clone(),
            others: not_workers(site).cloned().collect(),
        }
    }

    fn compare(&self, site: &Site, edits: &Edits) -> Sameness {
        edits.compare(|edits| {
            self.site.same_after(edits, &site.site)
                && self.others.len() == not_workers(site).count()
                && self
                    .others
                    .iter()
                    .zip(not_workers(site))
                    .all(|(a, b)| Arc::ptr_eq(a, b) || a.same_after(edits, b))
        })
    }
}

fn not_workers(site: &Site) -> impl Iterator<Item = &Arc<Component>> {
    site.components.iter().filter(|c| c.kind != Kind::Worker)
}

/// One worker's or pool's lowering: the component, what else it read, and
/// what it added to the lowering.
struct Entry {
    /// The component, shared with the build it was lowered in: the same
    /// one again (`check::KeptTyped` gives a component an edit did not
    /// change back unmoved) is the same without comparing.
    component: Arc<Component>,
    /// What it read of the other components besides the context: a pool,
    /// the job namespaces of its workers; nothing for a worker.
    reads: Vec<String>,
    /// The templates it asked for (one at most), and whether it found them made.
    templates: Vec<TemplateUse>,
    objects: Vec<super::k8s::Object>,
    flow_runs: Vec<super::k8s::Object>,
    traffic: Vec<Traffic>,
    diags: Vec<Diagnostic>,
}

/// How much of each list a lowering had before a worker's.
struct Marks {
    objects: usize,
    flow_runs: usize,
    traffic: usize,
    diags: usize,
    asked: usize,
}

impl Marks {
    fn of(out: &Lowered) -> Marks {
        Marks {
            objects: out.objects.len(),
            flow_runs: out.flow_runs.len(),
            traffic: out.traffic.len(),
            diags: out.diags.0.len(),
            asked: out.templates.asked().len(),
        }
    }
}

impl KeptWorkers {
    /// A lowering of `site` begins: the last build's lowerings may be used
    /// again if the site and the components that are not workers are as
    /// they were, after `edits`.
    pub(super) fn begin(&self, site: &Site, edits: &Edits) {
        self.entries.begin();
        let mut context = self.context.borrow_mut();
        let same = match context.as_ref() {
            Some(c) => c.compare(site, edits),
            None => Sameness::Different,
        };
        self.context_moved.set(same == Sameness::Moved);
        match same {
            Sameness::Equal => {}
            Sameness::Moved => *context = Some(Context::of(site)),
            Sameness::Different => {
                *context = Some(Context::of(site));
                self.entries.forget_last();
            }
        }
    }

    /// How many workers were taken from a build before.
    pub fn reused(&self) -> usize {
        self.reused.get()
    }

    /// How many workers were lowered.
    pub fn lowered(&self) -> usize {
        self.lowered.get()
    }

    /// How many pools were taken from a build before.
    pub fn pools_reused(&self) -> usize {
        self.pools_reused.get()
    }

    /// The lowering of worker `c` into `out`: the kept one if it read what
    /// it would read now, else `lower`'s, kept for the next build.
    /// `reads`: what the lowering reads of the other components besides
    /// the context (a pool's workers' job namespaces).
    pub(super) fn lower(
        &self,
        c: &Arc<Component>,
        edits: &Edits,
        reads: Vec<String>,
        templates: &KeptTemplates,
        out: &mut Lowered,
        lower: impl FnOnce(&mut Lowered),
    ) {
        let key = (c.kind, c.name.clone());
        let worker = c.kind == Kind::Worker;
        if let Some(last) = self.entries.take_last(&key)
            && last.reads == reads
            && last.templates.iter().all(|t| t.holds(out))
            && let Some(entry) = Entry::after(&last, edits, self.context_moved.get(), c)
        {
            out.remade.extend(last.remade(&entry));
            entry.replay(templates, out);
            let reused = if worker {
                &self.reused
            } else {
                &self.pools_reused
            };
            reused.set(reused.get() + 1);
            self.entries.keep(key, entry);
            return;
        }
        let marks = Marks::of(out);
        lower(out);
        if worker {
            self.lowered.set(self.lowered.get() + 1);
        }
        let entry = Rc::new(Entry {
            component: Arc::clone(c),
            reads,
            templates: out.templates.asked()[marks.asked..].to_vec(),
            objects: out.objects[marks.objects..].to_vec(),
            flow_runs: out.flow_runs[marks.flow_runs..].to_vec(),
            traffic: out.traffic[marks.traffic..].to_vec(),
            diags: out.diags.0[marks.diags..].to_vec(),
        });
        self.entries.keep(key, entry);
    }
}

impl TemplateUse {
    /// Whether the lowering finds the template as this one did: made by a
    /// worker before it, or not yet made.
    fn holds(&self, out: &Lowered) -> bool {
        out.templates.get(&self.key).is_none() == self.made_here
    }
}

impl Entry {
    /// The kept lowering `entry` as it is after `edits`, if its worker is
    /// `c` after them: the same entry when no span of it moved, else one
    /// with its spans moved; none when any span has no place now.
    ///
    /// A worker's lowering reads nothing but the worker and the context,
    /// so when neither moved no span of what it made did.
    fn after(
        entry: &Rc<Entry>,
        edits: &Edits,
        context_moved: bool,
        c: &Arc<Component>,
    ) -> Option<Rc<Entry>> {
        // One shared by both builds was made by neither edits nor `check`
        // again: no span of it moved.
        let same = match Arc::ptr_eq(&entry.component, c) {
            true => Sameness::Equal,
            false => edits.compare(|edits| entry.component.same_after(edits, c)),
        };
        match same {
            Sameness::Different => None,
            Sameness::Equal if !context_moved => Some(Rc::clone(entry)),
            Sameness::Equal | Sameness::Moved => entry.moved(edits, c).map(Rc::new),
        }
    }

    /// The objects of `now`, this entry after an edit, that are copies of
    /// this entry's.
    fn remade<'a>(&'a self, now: &'a Entry) -> impl Iterator<Item = super::Remade> + 'a {
        let last = self.objects.iter().chain(&self.flow_runs);
        last.zip(now.objects.iter().chain(&now.flow_runs))
            .filter(|(a, b)| !std::sync::Arc::ptr_eq(&a.resource, &b.resource))
            .map(|(a, b)| super::Remade {
                from: std::sync::Arc::clone(&a.resource),
                to: std::sync::Arc::clone(&b.resource),
            })
    }

    /// The entry with every span moved by `edits`, for worker `c`.
    fn moved(&self, edits: &Edits, c: &Arc<Component>) -> Option<Entry> {
        let to = |s| edits.span(s);
        let objects = |objects: &[super::k8s::Object]| {
            objects
                .iter()
                .map(|o| o.moved(&to))
                .collect::<Option<Vec<_>>>()
        };
        Some(Entry {
            component: Arc::clone(c),
            reads: self.reads.clone(),
            templates: self.templates.clone(),
            objects: objects(&self.objects)?,
            flow_runs: objects(&self.flow_runs)?,
            traffic: self
                .traffic
                .iter()
                .map(|t| {
                    let mut t = t.clone();
                    t.origin = edits.span(t.origin)?;
                    Some(t)
                })
                .collect::<Option<_>>()?,
            diags: self
                .diags
                .iter()
                .map(|d| d.moved(|s| edits.span(s)))
                .collect::<Option<_>>()?,
        })
    }

    /// Adds what the worker's lowering added, as it did.
    fn replay(&self, templates: &KeptTemplates, out: &mut Lowered) {
        for t in &self.templates {
            out.templates.ask(t);
            if let (true, Some(input)) = (t.made_here, &t.input) {
                templates.keep(input, &t.made);
            }
        }
        out.objects.extend(self.objects.iter().cloned());
        out.flow_runs.extend(self.flow_runs.iter().cloned());
        out.traffic.extend(self.traffic.iter().cloned());
        out.diags.0.extend(self.diags.iter().cloned());
    }
}
