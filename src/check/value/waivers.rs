//! Waivers: `@allow(…)` attributes and their `until` dates.

use super::Checker;
use crate::check::model::Waiver;
use crate::diagnostics::{Code, Diagnostic, did_you_mean, rules};
use crate::resolve::{Attribute, ValueKind};
use crate::source::Span;

impl Checker<'_> {
    /// Reads `@allow(…)` attributes.
    pub fn waivers(&mut self, attrs: &[Attribute]) -> Vec<Waiver> {
        let mut out = Vec::new();
        for a in attrs {
            if a.name.name != "allow" {
                self.diags.push(
                    Diagnostic::new(
                        Code::InvalidAttribute,
                        a.name.span,
                        format!("unknown attribute `@{}`", a.name.name),
                    )
                    .label("not an attribute prefectc knows")
                    .help("the only attribute is `@allow(\"rule-id\", reason = \"…\")`"),
                );
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
                self.diags.push(
                    Diagnostic::new(
                        Code::InvalidAttribute,
                        value.span,
                        "`@allow` arguments are strings",
                    )
                    .label(format!("this is {}", value.kind.describe())),
                );
                ok = false;
                continue;
            };
            match name.as_ref().map(|n| n.name.as_str()) {
                None => {
                    if let Some(rule) = rules::find(s) {
                        if !rule.waivable {
                            self.diags.push(
                                Diagnostic::new(Code::InvalidAttribute, value.span, format!("`{s}` cannot be waived"))
                                    .label("not waivable")
                                    .help(if rule.unconditional {
                                        "nothing waives it, under any profile: remove what it finds (a credential goes into a Kubernetes Secret)"
                                    } else {
                                        "a site that truly needs this says `policy = privileged` on the site, where reviewers see it"
                                    }),
                            );
                            ok = false;
                        }
                        w.rules.push((s.clone(), value.span));
                    } else {
                        let mut d = Diagnostic::new(
                            Code::InvalidAttribute,
                            value.span,
                            format!("unknown policy rule `{s}`"),
                        )
                        .label("no rule has this id");
                        if let Some(m) = did_you_mean(s, rules::CATALOGUE.iter().map(|r| r.id)) {
                            d = d.help(format!("did you mean `{m}`?"));
                        } else {
                            d = d.help("`prefectc explain` lists the rule ids");
                        }
                        self.diags.push(d);
                        ok = false;
                    }
                }
                Some("reason") => {
                    if s.trim().is_empty() {
                        self.diags.push(
                            Diagnostic::new(
                                Code::InvalidAttribute,
                                value.span,
                                "the reason of a waiver is empty",
                            )
                            .label("say why the rule does not apply here"),
                        );
                        ok = false;
                    }
                    has_reason = true;
                    w.reason = s.clone();
                }
                Some("until") => {
                    if let Err(e) = crate::calendar::parse_date(s) {
                        self.diags.push(invalid_until(s, value.span, e));
                        ok = false;
                    }
                    w.until = Some(s.clone());
                }
                Some("owner") => w.owner = Some(s.clone()),
                Some(other) => {
                    let n = name.as_ref().expect("named argument");
                    self.diags.push(
                        Diagnostic::new(
                            Code::InvalidAttribute,
                            n.span,
                            format!("`@allow` has no argument `{other}`"),
                        )
                        .label("unknown argument")
                        .help("the arguments are rule ids, `reason`, `until` and `owner`"),
                    );
                    ok = false;
                }
            }
        }
        if w.rules.is_empty() && ok {
            self.diags.push(
                Diagnostic::new(
                    Code::InvalidAttribute,
                    a.span,
                    "a waiver must name the rules it waives",
                )
                .label("no rule ids")
                .help("write `@allow(\"pss/run-as-user\", reason = \"…\")`"),
            );
            ok = false;
        }
        if !has_reason {
            self.diags.push(
                Diagnostic::new(Code::InvalidAttribute, a.span, "a waiver must say why")
                    .label("`reason` is missing")
                    .help("add `reason = \"…\"`: why the rule does not apply here, and when that ends"),
            );
            ok = false;
        }
        ok.then_some(w)
    }
}

/// A waiver's `until` that is not a date: E0308 when it is not written
/// `YYYY-MM-DD` at all, E0310 when it names a day the calendar does not have.
fn invalid_until(s: &str, span: Span, e: crate::calendar::DateError) -> Diagnostic {
    use crate::calendar::DateError;
    match e {
        DateError::Shape => {
            Diagnostic::new(Code::InvalidAttribute, span, format!("`{s}` is not a date"))
                .label("expected YYYY-MM-DD")
                .help("write the expiry as `until = \"2027-01-31\"`")
        }
        _ => {
            let help = match e.suggestion() {
                Some(d) => format!("write a day that exists, e.g. `until = \"{d}\"`"),
                None => "write a day that exists, e.g. `until = \"2027-01-31\"`".to_string(),
            };
            Diagnostic::new(Code::InvalidFormat, span, format!("`{s}` is not a date"))
                .label(e.to_string())
                .help(help)
        }
    }
}
