//! Waivers: `@allow(…)` attributes and their `until` dates.

use super::Checker;
use crate::check::error::WaiverError;
use crate::check::model::Waiver;
use crate::diagnostics::{did_you_mean, rules};
use crate::resolve::{Attribute, ValueKind};

impl Checker<'_> {
    /// Reads `@allow(…)` attributes.
    pub fn waivers(&mut self, attrs: &[Attribute]) -> Vec<Waiver> {
        let mut out = Vec::new();
        for a in attrs {
            if a.name.name != "allow" {
                self.diags.report(WaiverError::UnknownAttribute {
                    span: a.name.span,
                    name: a.name.name.clone(),
                });
                continue;
            }
            if let Some(w) = self.waiver(a) {
                out.push(w);
            }
        }
        out
    }

    fn waiver(&mut self, a: &Attribute) -> Option<Waiver> {
        let mut w = Waiver {
            rules: Vec::new(),
            reason: String::new(),
            until: None,
            owner: None,
            span: a.span,
        };
        let mut ok = true;
        let mut has_reason = false;
        for (name, value) in &a.args {
            let ValueKind::Str(s) = &value.kind else {
                self.diags.report(WaiverError::NotAString {
                    span: value.span,
                    found: value.kind.describe(),
                });
                ok = false;
                continue;
            };
            match name.as_ref().map(|n| n.name.as_str()) {
                None => {
                    if let Some(rule) = rules::find(s) {
                        if !rule.waivable {
                            self.diags.report(WaiverError::NotWaivable {
                                span: value.span,
                                rule: s.clone(),
                                unconditional: rule.unconditional,
                            });
                            ok = false;
                        }
                        w.rules.push((s.clone(), value.span));
                    } else {
                        self.diags.report(WaiverError::UnknownRule {
                            span: value.span,
                            rule: s.clone(),
                            suggestion: did_you_mean(s, rules::CATALOGUE.iter().map(|r| r.id)),
                        });
                        ok = false;
                    }
                }
                Some("reason") => {
                    if s.trim().is_empty() {
                        self.diags
                            .report(WaiverError::EmptyReason { span: value.span });
                        ok = false;
                    }
                    has_reason = true;
                    w.reason = s.clone();
                }
                Some("until") => {
                    if let Err(e) = crate::calendar::parse_date(s) {
                        self.diags.report(invalid_until(s, value.span, e));
                        ok = false;
                    }
                    w.until = Some(s.clone());
                }
                Some("owner") => w.owner = Some(s.clone()),
                Some(other) => {
                    let n = name.as_ref().expect("named argument");
                    self.diags.report(WaiverError::UnknownArgument {
                        span: n.span,
                        name: other.to_string(),
                    });
                    ok = false;
                }
            }
        }
        if w.rules.is_empty() && ok {
            self.diags.report(WaiverError::NoRules { span: a.span });
            ok = false;
        }
        if !has_reason {
            self.diags.report(WaiverError::NoReason { span: a.span });
            ok = false;
        }
        ok.then_some(w)
    }
}

/// A waiver's `until` that is not a date: E0308 when it is not written
/// `YYYY-MM-DD` at all, E0310 when it names a day the calendar does not have.
fn invalid_until(s: &str, span: crate::source::Span, e: crate::calendar::DateError) -> WaiverError {
    use crate::calendar::DateError;
    let text = s.to_string();
    match e {
        DateError::Shape => WaiverError::UntilNotDate { span, text },
        DateError::NoSuchMonth(_) | DateError::NoSuchDay { .. } => WaiverError::UntilNoSuchDay {
            span,
            text,
            error: e,
        },
    }
}
