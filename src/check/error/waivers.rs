//! The wording of [`WaiverError`].

use super::WaiverError;
use crate::diagnostics::{Code, Diagnostic, IntoDiagnostic};

impl IntoDiagnostic for WaiverError {
    fn into_diagnostic(self) -> Diagnostic {
        match self {
            WaiverError::UnknownAttribute { span, name } => Diagnostic::new(
                Code::InvalidAttribute,
                span,
                format!("unknown attribute `@{name}`"),
            )
            .label("not an attribute prefectc knows")
            .help("the only attribute is `@allow(\"rule-id\", reason = \"…\")`"),
            WaiverError::NotAString { span, found } => Diagnostic::new(
                Code::InvalidAttribute,
                span,
                "`@allow` arguments are strings",
            )
            .label(format!("this is {found}")),
            WaiverError::NotWaivable {
                span,
                rule,
                unconditional,
            } => Diagnostic::new(
                Code::InvalidAttribute,
                span,
                format!("`{rule}` cannot be waived"),
            )
            .label("not waivable")
            .help(if unconditional {
                "nothing waives it, under any profile: remove what it finds (a credential goes into a Kubernetes Secret)"
            } else {
                "a site that truly needs this says `policy = privileged` on the site, where reviewers see it"
            }),
            WaiverError::UnknownRule {
                span,
                rule,
                suggestion,
            } => {
                let d = Diagnostic::new(
                    Code::InvalidAttribute,
                    span,
                    format!("unknown policy rule `{rule}`"),
                )
                .label("no rule has this id");
                match suggestion {
                    Some(m) => d.help(format!("did you mean `{m}`?")),
                    None => d.help("`prefectc explain` lists the rule ids"),
                }
            }
            WaiverError::EmptyReason { span } => Diagnostic::new(
                Code::InvalidAttribute,
                span,
                "the reason of a waiver is empty",
            )
            .label("say why the rule does not apply here"),
            WaiverError::UntilNotDate { span, text } => Diagnostic::new(
                Code::InvalidAttribute,
                span,
                format!("`{text}` is not a date"),
            )
            .label("expected YYYY-MM-DD")
            .help("write the expiry as `until = \"2027-01-31\"`"),
            WaiverError::UntilNoSuchDay { span, text, error } => {
                let help = match error.suggestion() {
                    Some(d) => format!("write a day that exists, e.g. `until = \"{d}\"`"),
                    None => "write a day that exists, e.g. `until = \"2027-01-31\"`".to_string(),
                };
                Diagnostic::new(Code::InvalidFormat, span, format!("`{text}` is not a date"))
                    .label(error.to_string())
                    .help(help)
            }
            WaiverError::UnknownArgument { span, name } => Diagnostic::new(
                Code::InvalidAttribute,
                span,
                format!("`@allow` has no argument `{name}`"),
            )
            .label("unknown argument")
            .help("the arguments are rule ids, `reason`, `until` and `owner`"),
            WaiverError::NoRules { span } => Diagnostic::new(
                Code::InvalidAttribute,
                span,
                "a waiver must name the rules it waives",
            )
            .label("no rule ids")
            .help("write `@allow(\"pss/run-as-user\", reason = \"…\")`"),
            WaiverError::NoReason { span } => {
                Diagnostic::new(Code::InvalidAttribute, span, "a waiver must say why")
                    .label("`reason` is missing")
                    .help(
                        "add `reason = \"…\"`: why the rule does not apply here, and when that ends",
                    )
            }
        }
    }
}
