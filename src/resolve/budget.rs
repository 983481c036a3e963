//! What evaluation may cost (E0313) and how deep it may recurse (E0106):
//! the limits of [`crate::limits`], counted while lets, loops and operators
//! are evaluated, so that no input makes a build slow, huge or overflow the
//! stack.

use super::error::ResolveError;
use super::tree::{Value, ValueKind};
use crate::diagnostics::Diagnostics;
use crate::limits::{Limits, MAX_DEPTH};
use crate::source::Span;

/// The size of a value: its elements (every value inside it, at any
/// depth), the bytes of all its strings, and how deep it nests.
#[derive(Debug, Clone, Copy, Default)]
pub struct Measure {
    pub elements: usize,
    pub string_bytes: usize,
    pub depth: usize,
}

impl Measure {
    /// The measure of `v`; the walk stops once more than `max_elements`
    /// elements are counted or [`MAX_DEPTH`] levels are crossed, so it costs
    /// at most that many steps and recurses at most that deep below the
    /// values it was built from. ([`Budget::measure`] gives the build's
    /// limit.)
    fn of(v: &Value, max_elements: usize) -> Measure {
        let mut m = Measure::default();
        m.add_inside(v, 0, max_elements);
        m
    }

    /// Counts what is inside `v`, which is nested `depth` levels deep.
    fn add_inside(&mut self, v: &Value, depth: usize, max_elements: usize) {
        match &v.kind {
            ValueKind::Str(s) => self.string_bytes += s.len(),
            ValueKind::List(items) => self.add_items(items.iter(), depth, max_elements),
            ValueKind::Record(r) | ValueKind::Tagged { body: r, .. } => {
                self.add_items(r.fields.values().map(|f| &f.value), depth, max_elements);
            }
            _ => {}
        }
    }

    /// Counts the items of a list or record nested `depth` levels deep, and
    /// what is inside them. (Generic, not a boxed iterator: a record of a
    /// `for` loop's list is measured each time the loop reads it.)
    fn add_items<'v>(
        &mut self,
        items: impl Iterator<Item = &'v Value>,
        depth: usize,
        max_elements: usize,
    ) {
        self.depth = self.depth.max(depth + 1);
        if self.depth > MAX_DEPTH {
            return;
        }
        for item in items {
            self.elements += 1;
            if self.elements > max_elements {
                return;
            }
            self.add_inside(item, depth + 1, max_elements);
        }
    }

    /// What copying the value costs, in steps: one per element, one per 16
    /// bytes of text.
    pub fn cost(self) -> usize {
        self.elements + self.string_bytes / 16
    }

    /// `a + b` of two lists or strings.
    pub fn joined(self, other: Measure) -> Measure {
        Measure {
            elements: self.elements + other.elements,
            string_bytes: self.string_bytes + other.string_bytes,
            depth: self.depth.max(other.depth),
        }
    }
}

/// The running costs of one build, and its limits.
#[derive(Debug, Default)]
pub struct Budget {
    limits: Limits,
    steps: u64,
    components: usize,
    /// Expressions being evaluated, innermost last (through lets too).
    depth: usize,
    /// A build-wide limit (steps, components) was crossed and reported:
    /// evaluation stops quietly from then on.
    exhausted: bool,
}

impl Budget {
    /// A build within `limits`, nothing counted yet.
    pub fn new(limits: Limits) -> Budget {
        Budget {
            limits,
            ..Budget::default()
        }
    }

    /// The measure of `v`, counted up to this build's limit of elements.
    pub fn measure(&self, v: &Value) -> Measure {
        Measure::of(v, self.limits.elements)
    }

    /// One expression more (and `copied` elements copied), evaluated at `span`.
    pub fn step(&mut self, copied: usize, span: Span, diags: &mut Diagnostics) -> Option<()> {
        if self.exhausted {
            return None;
        }
        self.steps += 1 + copied as u64;
        if self.steps > self.limits.steps {
            self.exhausted = true;
            diags.report(ResolveError::TooManySteps {
                span,
                limit: self.limits.steps,
            });
            return None;
        }
        Some(())
    }

    /// Enters one level of evaluation; [`Budget::leave`] must follow when it is `Some`.
    pub fn enter(&mut self, span: Span, diags: &mut Diagnostics) -> Option<()> {
        self.step(0, span, diags)?;
        if self.depth >= MAX_DEPTH {
            self.exhausted = true;
            diags.report(ResolveError::EvaluationTooDeep { span });
            return None;
        }
        self.depth += 1;
        Some(())
    }

    /// The steps counted so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Counts `steps` at once, for an evaluation a build before made and
    /// this one takes: unless that would cross the limit, where the
    /// evaluation must be made again to be stopped where it crosses it.
    pub fn replay(&mut self, steps: u64) -> Option<()> {
        let total = self.steps.checked_add(steps)?;
        if self.exhausted || total > self.limits.steps {
            return None;
        }
        self.steps = total;
        Some(())
    }

    /// Whether a limit of the whole build was crossed: what was resolved is
    /// incomplete, and checking it would only say so at length.
    pub fn exhausted(&self) -> bool {
        self.exhausted
    }

    pub fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Whether `v`, just built at `span`, fits the limits of one value;
    /// copying it counts as steps.
    pub fn admit(&mut self, v: &Value, diags: &mut Diagnostics) -> Option<Measure> {
        let m = self.measure(v);
        self.fits(m, v.span, diags)?;
        self.step(m.cost(), v.span, diags)?;
        Some(m)
    }

    /// Whether a value of measure `m` at `span` fits the limits of one value
    /// (what building it cost is the caller's to count).
    pub fn fits(&mut self, m: Measure, span: Span, diags: &mut Diagnostics) -> Option<()> {
        if self.exhausted {
            return None;
        }
        if m.string_bytes > self.limits.string_bytes {
            diags.report(ResolveError::TextTooLong {
                span,
                limit: self.limits.string_bytes,
            });
            return None;
        }
        if m.elements > self.limits.elements {
            diags.report(ResolveError::TooManyElements {
                span,
                limit: self.limits.elements,
            });
            return None;
        }
        if m.depth > MAX_DEPTH {
            self.exhausted = true;
            diags.report(ResolveError::ValueTooDeep { span });
            return None;
        }
        Some(())
    }

    /// One component more, declared (or generated) at `span`.
    pub fn component(&mut self, span: Span, diags: &mut Diagnostics) -> Option<()> {
        if self.exhausted {
            return None;
        }
        self.components += 1;
        if self.components > self.limits.components {
            self.exhausted = true;
            diags.report(ResolveError::TooManyComponents {
                span,
                limit: self.limits.components,
            });
            return None;
        }
        Some(())
    }
}
