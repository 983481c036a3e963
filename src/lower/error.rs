//! The problems of lowering, as data, and their wording: every message,
//! label and help of the `lower` stage is written here.

use crate::diagnostics::{Code, Diagnostic, IntoDiagnostic};
use crate::model::prefect::Version;
use crate::source::Span;

/// A problem found in the Kubernetes objects the components lower to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LowerError {
    /// A user `env` entry named like a variable prefectc sets.
    DerivedVariable {
        at: Span,
        variable: String,
        /// The field that sets it.
        set_by: &'static str,
        /// Written in the `env` of a base job template (for flow runs).
        in_template: bool,
    },
    /// A `PREFECT_*` name in a Prefect container's `env` that its release
    /// does not read.
    UnknownSetting {
        at: Span,
        variable: String,
        release: Version,
        suggestion: Option<String>,
        /// A later release that reads it.
        first: Option<Version>,
    },
    /// A `PREFECT_*` name the release reads but calls deprecated.
    DeprecatedSetting {
        at: Span,
        variable: String,
        release: Version,
        replacement: Option<&'static str>,
    },
    /// A derived Prefect setting the release a component runs does not read.
    NotReadByRelease {
        at: Span,
        variable: String,
        /// The `.pfk` field that asks for it.
        field: &'static str,
        release: Version,
        /// The release comes from the component's image tag, not `site.prefect`.
        pinned_by_image: bool,
        /// The first release after it that reads it.
        first: Option<Version>,
        /// Else the last release before it that read it.
        last: Option<Version>,
        /// Prefect does without it: left out with a warning.
        left_out: bool,
    },

    /// Two components emit an object of the same kind, name and namespace.
    ObjectNameClash {
        /// The component of the second object, in output order.
        span: Span,
        /// The component of the first.
        first: Span,
        /// The Kubernetes kind of the objects.
        kind: String,
        name: String,
    },
    /// The annotations of one object (the site's, the component's and the
    /// checksums prefectc adds) pass Kubernetes' 256 KiB.
    OversizedAnnotations {
        span: Span,
        kind: String,
        name: String,
        bytes: usize,
    },
}

impl IntoDiagnostic for LowerError {
    fn into_diagnostic(self) -> Diagnostic {
        match self {
            LowerError::DerivedVariable {
                at,
                variable,
                set_by,
                in_template,
            } => {
                let place = if in_template {
                    "the template's env (the worker passes its own to flow runs)"
                } else {
                    "`env`"
                };
                let help = if set_by.starts_with('(') {
                    format!("remove `{variable}` from {place}: prefectc sets it {set_by}")
                } else {
                    format!("remove `{variable}` from {place} and set `{set_by}` instead")
                };
                Diagnostic::new(
                    Code::DerivedVariable,
                    at,
                    format!("`{variable}` is set by prefectc"),
                )
                .label("this would replace the value prefectc derives")
                .help(help)
            }
            LowerError::UnknownSetting {
                at,
                variable,
                release,
                suggestion,
                first,
            } => {
                let d = Diagnostic::new(
                    Code::UnknownPrefectSetting,
                    at,
                    format!("Prefect {release} has no setting `{variable}`"),
                )
                .label("Prefect ignores variables it does not know");
                match (first, suggestion) {
                    (Some(v), _) => d.help(format!(
                        "`{variable}` is read from Prefect {v} on: pin that release or a later one, or remove it"
                    )),
                    (None, Some(s)) => d.help(format!("did you mean `{s}`?")),
                    (None, None) => d.help(format!(
                        "remove `{variable}`; `prefect config view --show-defaults` lists Prefect {release}'s settings"
                    )),
                }
            }
            LowerError::DeprecatedSetting {
                at,
                variable,
                release,
                replacement,
            } => {
                let d = Diagnostic::new(
                    Code::DeprecatedPrefectSetting,
                    at,
                    format!("`{variable}` is deprecated in Prefect {release}"),
                )
                .label("still read, but Prefect will drop it");
                match replacement {
                    Some(r) => d.help(format!("write `{r}` instead")),
                    None => d.help(format!("remove `{variable}`")),
                }
            }
            LowerError::NotReadByRelease {
                at,
                variable,
                field,
                release,
                pinned_by_image,
                first,
                last,
                left_out,
            } => {
                let pin = if pinned_by_image {
                    "the image's tag"
                } else {
                    "`site.prefect`"
                };
                let raise = match (first, last, pinned_by_image) {
                    (Some(v), _, true) => format!("use an image of Prefect {v} or later"),
                    (Some(v), _, false) => format!("raise `site.prefect` to {v} or later"),
                    (None, Some(v), true) => format!("use an image of Prefect {v} or earlier"),
                    (None, Some(v), false) => format!("lower `site.prefect` to {v} or earlier"),
                    (None, None, _) => {
                        "no Prefect release prefectc knows reads it: remove it".into()
                    }
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
            LowerError::ObjectNameClash {
                span,
                first,
                kind,
                name,
            } => Diagnostic::new(
                Code::ObjectNameClash,
                span,
                format!("two components emit {kind} `{name}`"),
            )
            .label("emits it here")
            .with_secondary(first, "and so does this one")
            .help("rename one of the components"),
            LowerError::OversizedAnnotations {
                span,
                kind,
                name,
                bytes,
            } => Diagnostic::new(
                Code::InvalidLabel,
                span,
                format!("the annotations of {kind} `{name}` hold {bytes} bytes"),
            )
            .label("Kubernetes allows 256 KiB of annotations per object")
            .help("keep large data in a ConfigMap and put its name in the annotation")
            .note("the site's `annotations` are added to every object, besides the component's"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(first: Option<Version>, last: Option<Version>, pinned_by_image: bool) -> String {
        LowerError::NotReadByRelease {
            at: Span::default(),
            variable: "PREFECT_AGENT_QUERY_INTERVAL".into(),
            field: "query-interval",
            release: Version::new(3, 4, 25),
            pinned_by_image,
            first,
            last,
            left_out: false,
        }
        .into_diagnostic()
        .help
        .expect("E0411 has help")
    }

    /// E0411's help moves the release towards one that reads the setting:
    /// up for a newer setting, down for one Prefect dropped (a site's
    /// components cannot reach the second today: an agent, whose settings
    /// Prefect 3 dropped, is E0406 in a Prefect 3 site).
    #[test]
    fn the_help_names_the_nearest_release_that_reads_the_setting() {
        let (older, newer) = (Version::new(2, 20, 27), Version::new(3, 5, 0));
        let cases = [
            (
                (Some(newer), None, false),
                "raise `site.prefect` to 3.5.0 or later",
            ),
            (
                (Some(newer), None, true),
                "use an image of Prefect 3.5.0 or later",
            ),
            (
                (None, Some(older), false),
                "lower `site.prefect` to 2.20.27 or earlier",
            ),
            (
                (None, Some(older), true),
                "use an image of Prefect 2.20.27 or earlier",
            ),
            (
                (None, None, false),
                "no Prefect release prefectc knows reads it: remove it",
            ),
        ];
        for ((first, last, image), want) in cases {
            assert_eq!(
                help(first, last, image),
                format!("{want}, or remove `query-interval`")
            );
        }
    }
}
