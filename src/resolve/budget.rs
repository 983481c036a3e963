//! What evaluation may cost (E0313) and how deep it may recurse (E0106):
//! the limits of [`crate::limits`], counted while lets, loops and operators
//! are evaluated, so that no input makes a build slow, huge or overflow the
//! stack.

use super::tree::{Value, ValueKind};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::limits::{MAX_COMPONENTS, MAX_DEPTH, MAX_STEPS, MAX_STRING_BYTES, MAX_VALUE_ELEMENTS};
use crate::source::Span;

/// The size of a value: its elements (every value inside it, itself
/// included), the bytes of its longest string, and how deep it nests.
#[derive(Debug, Clone, Copy, Default)]
pub struct Measure {
    pub elements: usize,
    pub string_bytes: usize,
    pub depth: usize,
}

impl Measure {
    /// The measure of `v`; the walk stops once a limit is crossed, so it
    /// costs at most [`MAX_VALUE_ELEMENTS`] steps and recurses at most
    /// [`MAX_DEPTH`] levels below the values it was built from.
    pub fn of(v: &Value) -> Measure {
        let mut m = Measure::default();
        m.add(v, 1);
        m
    }

    fn add(&mut self, v: &Value, depth: usize) {
        self.elements += 1;
        self.depth = self.depth.max(depth);
        if self.elements > MAX_VALUE_ELEMENTS || self.depth > MAX_DEPTH {
            return;
        }
        match &v.kind {
            ValueKind::Str(s) => self.string_bytes = self.string_bytes.max(s.len()),
            ValueKind::List(items) => {
                for i in items {
                    self.add(i, depth + 1);
                    if self.elements > MAX_VALUE_ELEMENTS {
                        return;
                    }
                }
            }
            ValueKind::Record(r) | ValueKind::Tagged { body: r, .. } => {
                for f in r.fields.values() {
                    self.add(&f.value, depth + 1);
                    if self.elements > MAX_VALUE_ELEMENTS {
                        return;
                    }
                }
            }
            _ => {}
        }
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

/// The running costs of one build.
#[derive(Debug, Default)]
pub struct Budget {
    steps: u64,
    components: usize,
    /// Expressions being evaluated, innermost last (through lets too).
    depth: usize,
    /// A build-wide limit (steps, components) was crossed and reported:
    /// evaluation stops quietly from then on.
    exhausted: bool,
}

impl Budget {
    /// One expression more (and `copied` elements copied), evaluated at `span`.
    pub fn step(&mut self, copied: usize, span: Span, diags: &mut Diagnostics) -> Option<()> {
        if self.exhausted {
            return None;
        }
        self.steps += 1 + copied as u64;
        if self.steps > MAX_STEPS {
            self.exhausted = true;
            diags.push(exceeded(
                span,
                format!("evaluating the site takes more than {MAX_STEPS} steps"),
                "the build stopped while evaluating this expression",
                "the site computes too much: look for doublings through lets, long lists \
                 copied many times, or `for` loops nested over long lists",
            ));
            return None;
        }
        Some(())
    }

    /// Enters one level of evaluation; [`Budget::leave`] must follow when it is `Some`.
    pub fn enter(&mut self, span: Span, diags: &mut Diagnostics) -> Option<()> {
        self.step(0, span, diags)?;
        if self.depth >= MAX_DEPTH {
            self.exhausted = true;
            diags.push(
                Diagnostic::new(
                    Code::NestingTooDeep,
                    span,
                    format!("nesting too deep: evaluation goes more than {MAX_DEPTH} levels deep"),
                )
                .label("evaluating this needs values nested inside more than 128 others, counted through lets")
                .help(
                    "flatten it: fewer lets defined through other lets, fewer nested values",
                ),
            );
            return None;
        }
        self.depth += 1;
        Some(())
    }

    pub fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Whether `v`, just built at `span`, fits the limits of one value;
    /// copying it counts as steps.
    pub fn admit(&mut self, v: &Value, diags: &mut Diagnostics) -> Option<Measure> {
        let m = Measure::of(v);
        self.check(m, v.span, diags)?;
        Some(m)
    }

    /// Whether a value of measure `m` at `span` fits the limits of one value.
    pub fn check(&mut self, m: Measure, span: Span, diags: &mut Diagnostics) -> Option<()> {
        if self.exhausted {
            return None;
        }
        let help = "a value this large is generated by mistake: look for doublings through \
                    lets (`let b = a + a`) or a list copied into itself";
        if m.string_bytes > MAX_STRING_BYTES {
            diags.push(exceeded(
                span,
                format!("this string is longer than {MAX_STRING_BYTES} bytes"),
                "this expression gives a string longer than the limit",
                help,
            ));
            return None;
        }
        if m.elements > MAX_VALUE_ELEMENTS {
            diags.push(exceeded(
                span,
                format!("this value has more than {MAX_VALUE_ELEMENTS} elements"),
                "this expression gives a value larger than the limit",
                help,
            ));
            return None;
        }
        if m.depth > MAX_DEPTH {
            self.exhausted = true;
            diags.push(
                Diagnostic::new(
                    Code::NestingTooDeep,
                    span,
                    format!("nesting too deep: a value nested more than {MAX_DEPTH} levels"),
                )
                .label("this value nests lists or blocks more than 128 levels deep")
                .help("flatten it: fewer lists or blocks inside each other"),
            );
            return None;
        }
        self.step(m.elements, span, diags)
    }

    /// One component more, declared (or generated) at `span`.
    pub fn component(&mut self, span: Span, diags: &mut Diagnostics) -> Option<()> {
        if self.exhausted {
            return None;
        }
        self.components += 1;
        if self.components > MAX_COMPONENTS {
            self.exhausted = true;
            diags.push(exceeded(
                span,
                format!("the site declares more than {MAX_COMPONENTS} components"),
                "this is one component too many",
                "generate fewer components: a `for` loop over a long list, or loops nested \
                 inside each other, multiply quickly",
            ));
            return None;
        }
        Some(())
    }
}

fn exceeded(span: Span, message: String, label: &str, help: &str) -> Diagnostic {
    Diagnostic::new(
        Code::EvaluationBudget,
        span,
        format!("evaluation budget exceeded: {message}"),
    )
    .label(label)
    .help(help)
}
