//! Workers' lowerings kept from one build for the next of the same site
//! (the language server's): after a keystroke in one worker, that worker is
//! lowered again and every other worker's objects are those of the build
//! before, shared, not made again (issue 17).
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

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::flow_runs::TemplateUse;
use super::network::Traffic;
use super::{KeptTemplates, Lowered};
use crate::diagnostics::Diagnostic;
use crate::map::Generations;
use crate::model::{Component, Kind, Site, schema};

/// What one build's lowering leaves for the next build of the same site.
#[derive(Default)]
pub struct Kept {
    /// The base job templates it made.
    pub templates: KeptTemplates,
    /// Its workers' lowerings.
    pub workers: KeptWorkers,
}

/// The lowerings of the last build's workers, and of this build's so far.
#[derive(Default)]
pub struct KeptWorkers {
    /// What the kept lowerings read besides their workers.
    context: RefCell<Option<Context>>,
    /// By worker name.
    entries: Generations<String, Rc<Entry>>,
    reused: Cell<usize>,
    lowered: Cell<usize>,
}

/// The site component and every component that is not a worker, in order.
struct Context {
    site: Component<Box<schema::Site>>,
    others: Vec<Component>,
}

impl Context {
    fn of(site: &Site) -> Context {
        Context {
            site: site.site.clone(),
            others: not_workers(site).cloned().collect(),
        }
    }

    fn is(&self, site: &Site) -> bool {
        self.site == site.site
            && self.others.len() == not_workers(site).count()
            && self
                .others
                .iter()
                .zip(not_workers(site))
                .all(|(a, b)| a == b)
    }
}

fn not_workers(site: &Site) -> impl Iterator<Item = &Component> {
    site.components.iter().filter(|c| c.kind != Kind::Worker)
}

/// One worker's lowering: the worker, and what it added to the lowering.
struct Entry {
    worker: Component,
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
    /// they were.
    pub(super) fn begin(&self, site: &Site) {
        self.entries.begin();
        let mut context = self.context.borrow_mut();
        if !context.as_ref().is_some_and(|c| c.is(site)) {
            *context = Some(Context::of(site));
            self.entries.forget_last();
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

    /// The lowering of worker `c` into `out`: the kept one if it read what
    /// it would read now, else `lower`'s, kept for the next build.
    pub(super) fn lower(
        &self,
        c: &Component,
        templates: &KeptTemplates,
        out: &mut Lowered,
        lower: impl FnOnce(&mut Lowered),
    ) {
        if let Some(entry) = self.entries.take_last(&c.name)
            && entry.worker == *c
            && entry.templates.iter().all(|t| t.holds(out))
        {
            entry.replay(templates, out);
            self.reused.set(self.reused.get() + 1);
            self.entries.keep(c.name.clone(), entry);
            return;
        }
        let marks = Marks::of(out);
        lower(out);
        self.lowered.set(self.lowered.get() + 1);
        let entry = Rc::new(Entry {
            worker: c.clone(),
            templates: out.templates.asked()[marks.asked..].to_vec(),
            objects: out.objects[marks.objects..].to_vec(),
            flow_runs: out.flow_runs[marks.flow_runs..].to_vec(),
            traffic: out.traffic[marks.traffic..].to_vec(),
            diags: out.diags.0[marks.diags..].to_vec(),
        });
        self.entries.keep(c.name.clone(), entry);
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
