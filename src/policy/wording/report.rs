//! A group of findings as one diagnostic, and the policy stage's other
//! diagnostics.

use crate::diagnostics::rules::{Level, Rule};
use crate::diagnostics::{Code, Diagnostic, IntoDiagnostic, PolicyInfo, Severity};
use crate::lower::{TEMPLATE_CONFIG_MAP, TEMPLATE_FLOW_RUN};
use crate::model::{Kind, Prov};
use crate::policy::{Finding, Profile};
use crate::source::Span;

/// `worker installer`, for notes: the component whose header a finding's
/// origin is, if any.
pub fn component_name(owner: Option<(Kind, &str)>) -> String {
    owner.map_or_else(
        || "the component".to_string(),
        |(kind, name)| format!("`{} {name}`", kind.as_str()),
    )
}

/// Findings of one rule at one place in the source, reported as one
/// diagnostic.
pub struct Group<'a> {
    pub rule: &'static Rule,
    /// At least one.
    pub findings: &'a [Finding],
    /// The component of the first finding's origin.
    pub owner: Option<(Kind, &'a str)>,
    pub profile: Profile,
    pub level: Level,
}

impl IntoDiagnostic for Group<'_> {
    fn into_diagnostic(self) -> Diagnostic {
        let Group {
            rule,
            findings,
            owner,
            profile,
            level,
        } = self;
        let first = &findings[0];
        let text = first.violation.text();
        // A pod of a worker's own template is written in the Job manifest.
        let in_template = findings
            .iter()
            .all(|f| f.place.ends_with(TEMPLATE_FLOW_RUN));
        let help = in_template
            .then(|| first.violation.manifest_help())
            .flatten()
            .unwrap_or(text.help);
        let mut d = Diagnostic::new(Code::Rule(rule), first.span(), text.message)
            .label(text.label)
            .help(help);
        d.severity = if level == Level::Error {
            Severity::Error
        } else {
            Severity::Warning
        };
        match &first.prov {
            Some(Prov::Default { field, .. }) => {
                let owner = component_name(owner);
                d = d.note(format!(
                    "this comes from the default of `{field}` of {owner}: set `{field}` there to change it"
                ));
            }
            None => {
                let owner = component_name(owner);
                d = d.note(format!("prefectc generates this for {owner}"));
            }
            Some(Prov::Source(_)) => {}
        }
        // Each place once, in the findings' order: by a set, as a loop's
        // thousands of workers are one group (a scan of the places so far
        // for each was quadratic: 10,000 workers, 13 % of the build).
        let mut seen = crate::map::HashSet::default();
        let unique: Vec<&str> = findings
            .iter()
            .map(|f| f.place.as_str())
            .filter(|p| seen.insert(*p))
            .collect();
        d = d.note(format!("found in {}", unique.join(", ")));
        // The flow-run pod of the template, or the ConfigMap that holds it.
        let of_template = |p: &&str| {
            p.ends_with(TEMPLATE_FLOW_RUN)
                || (p.starts_with("ConfigMap/") && p.ends_with(TEMPLATE_CONFIG_MAP))
        };
        if unique.iter().any(of_template) {
            d = d.note(
                "that Job comes from the worker's own base job template: make the change in its Job manifest, with Kubernetes' field names (`prefectc explain` shows them), or drop the template and describe the flow runs with the pool's `flow-runs`, which prefectc hardens",
            );
        }
        let level_text = if level == Level::Error {
            "an error"
        } else {
            "a warning"
        };
        d = d.note(format!(
            "`{}` is {level_text} under the `{}` profile (`prefectc explain {}`)",
            rule.id,
            profile.as_str(),
            rule.id
        ));
        d.policy = Some(PolicyInfo {
            profile: profile.as_str(),
            waived_by: None,
        });
        d
    }
}

/// A finding's diagnostic whose waiver has expired: it names the waiver.
pub fn waiver_expired(d: Diagnostic, waiver: Span, until: &str) -> Diagnostic {
    d.with_secondary(waiver, format!("this waiver expired on {until}"))
        .note(format!(
            "the waiver expired on {until}: renew `until` only if the reason still holds"
        ))
}

/// The policy stage's diagnostics that are not findings.
pub enum Notice {
    /// On OpenShift `pss/run-as-user` is satisfied by the restricted-v2
    /// SCC, not by the manifests.
    OpenshiftRunAsUser {
        rule: &'static Rule,
        /// The site's `platform`.
        platform: Span,
        profile: Profile,
    },
    /// W0511: an active waiver expires within the notice period.
    WaiverExpiresSoon {
        waiver: Span,
        component: Span,
        days_left: i64,
        until: String,
    },
    /// W0504: a rule id of a waiver matched no finding.
    DeadWaiver {
        at: Span,
        component: Span,
        rule: String,
        /// The profile, when the rule does not run under it.
        off_under: Option<Profile>,
    },
}

impl IntoDiagnostic for Notice {
    fn into_diagnostic(self) -> Diagnostic {
        match self {
            Notice::OpenshiftRunAsUser {
                rule,
                platform,
                profile,
            } => {
                let mut d = Diagnostic::new(
                    Code::Rule(rule),
                    platform,
                    "`pss/run-as-user` is satisfied by OpenShift's restricted-v2 SCC",
                )
                .label("runAsUser, runAsGroup and fsGroup are left unset")
                .help("nothing to change: leave `run-as-user` unset on OpenShift")
                .note("the SCC assigns every pod a non-root user from the namespace's UID range");
                d.severity = Severity::Note;
                d.policy = Some(PolicyInfo {
                    profile: profile.as_str(),
                    waived_by: None,
                });
                d
            }
            Notice::WaiverExpiresSoon {
                waiver,
                component,
                days_left,
                until,
            } => {
                let when = match days_left {
                    0 => "today".to_string(),
                    1 => "tomorrow".to_string(),
                    n => format!("in {n} days"),
                };
                Diagnostic::new(
                    Code::WaiverExpiresSoon,
                    waiver,
                    format!("this waiver expires {when}, on {until}"),
                )
                .label("expires soon")
                .with_secondary(component, "in this component")
                .help(format!(
                    "fix what it waives before {until}, or move `until` later if the reason still holds"
                ))
            }
            Notice::DeadWaiver {
                at,
                component,
                rule,
                off_under,
            } => {
                let mut d = Diagnostic::new(
                    Code::DeadWaiver,
                    at,
                    format!("the waiver of `{rule}` matches no finding"),
                )
                .label("nothing to waive here")
                .with_secondary(component, "in this component")
                .help("remove the rule id from `@allow` (or the whole waiver)");
                if let Some(profile) = off_under {
                    d = d.note(format!(
                        "`{rule}` does not run under the `{}` profile",
                        profile.as_str()
                    ));
                }
                d
            }
        }
    }
}
