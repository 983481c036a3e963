//! The lowering's problems as data, and their wording.

use crate::diagnostics::{Code, Diagnostic, IntoDiagnostic};
use crate::model::prefect::Version;
use crate::source::Span;

pub enum LowerError {
    /// A derived Prefect setting the release a component runs does not read.
    NotReadByRelease {
        at: Span,
        variable: String,
        /// The `.pfk` field that asks for it.
        field: &'static str,
        release: Version,
        /// The release comes from the component's image tag, not `site.prefect`.
        pinned_by_image: bool,
        /// The first release that reads it.
        first: Option<Version>,
        /// Prefect does without it: left out with a warning.
        left_out: bool,
    },
}

impl IntoDiagnostic for LowerError {
    fn into_diagnostic(self) -> Diagnostic {
        match self {
            LowerError::NotReadByRelease {
                at,
                variable,
                field,
                release,
                pinned_by_image,
                first,
                left_out,
            } => {
                let pin = if pinned_by_image {
                    "the image's tag"
                } else {
                    "`site.prefect`"
                };
                let raise = match (first, pinned_by_image) {
                    (Some(v), true) => format!("use an image of Prefect {v} or later"),
                    (Some(v), false) => format!("raise `site.prefect` to {v} or later"),
                    (None, _) => "no Prefect release prefectc knows reads it: remove it".into(),
                };
                if left_out {
                    Diagnostic::new(
                        Code::LeftOutForRelease,
                        at,
                        format!("Prefect {release} has no `{variable}`: left out"),
                    )
                    .label(format!("`{field}` is not used by Prefect {release}"))
                    .help(format!("{raise}, or remove `{field}`"))
                } else {
                    Diagnostic::new(
                        Code::NotReadByRelease,
                        at,
                        format!("Prefect {release} does not read `{variable}`"),
                    )
                    .label(format!("`{field}` needs `{variable}`"))
                    .help(format!("{raise}, or remove `{field}`"))
                    .note(format!(
                        "Prefect {release} (from {pin}) would start without it, silently ignoring `{field}`"
                    ))
                }
            }
        }
    }
}
