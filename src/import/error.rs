//! The wording of `prefectc import`'s diagnostics: the importer says what it
//! found ([`Problem`]), this module says it to the user.

use crate::diagnostics::{Code, Diagnostic, IntoDiagnostic};
use crate::source::Span;

/// A problem with the values, as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A file or `--set` that cannot be read.
    Syntax { span: Span, message: String },
    /// A key holding another kind of value than the chart reads.
    WrongType {
        span: Span,
        path: String,
        expected: &'static str,
        found: &'static str,
    },
    /// A floating image tag and no `--prefect`.
    FloatingTag {
        span: Span,
        path: String,
        tag: String,
    },
    /// Values that cannot become a site.
    Refused {
        span: Span,
        path: String,
        why: String,
        help: String,
    },
    /// A key with an effect in the chart that the site does not carry.
    NotImported {
        span: Span,
        path: String,
        why: String,
        help: Option<String>,
    },
    /// A key that changes nothing in prefectc.
    NoEffect {
        span: Span,
        path: String,
        why: String,
    },
    /// The chart's well-known default credential is in effect (P-X4).
    DefaultCredential {
        span: Span,
        path: String,
        secret: String,
        key: String,
    },
    /// A value the site cannot hold, replaced by a visible placeholder.
    Placeholder {
        span: Span,
        path: String,
        why: String,
        field: String,
        placeholder: String,
    },
    /// The release does not fit the `--into` site.
    Into {
        span: Span,
        why: String,
        help: String,
    },
    /// A value completed with what prefectc requires and the chart left out.
    Completed {
        span: Span,
        path: String,
        why: String,
    },
    /// A policy rule waived to keep the chart's behaviour.
    Waived {
        span: Span,
        path: String,
        rules: Vec<String>,
        component: String,
    },
    /// A plaintext credential, replaced by a Secret reference.
    Credential {
        span: Span,
        path: String,
        secret: String,
        key: String,
    },
}

impl IntoDiagnostic for Problem {
    fn into_diagnostic(self) -> Diagnostic {
        match self {
            Problem::Syntax { span, message } => {
                Diagnostic::new(Code::ValuesSyntax, span, format!("cannot read the values: {message}"))
                    .label("here")
                    .help("fix the YAML (or the --set argument) and import again")
            }
            Problem::WrongType {
                span,
                path,
                expected,
                found,
            } => Diagnostic::new(
                Code::ValuesType,
                span,
                format!("`{path}` is {found}; the chart reads {expected} there"),
            )
            .label(format!("expected {expected}"))
            .help("correct the value; the key is left out of the site"),
            Problem::FloatingTag { span, path, tag } => Diagnostic::new(
                Code::FloatingTag,
                span,
                format!("`{path}` is the floating tag `{tag}`: it names no Prefect release"),
            )
            .label("floating tag")
            .help(
                "pass the release your pods run, `--prefect X.Y.Z` (what `prefect version` prints in a pod)",
            ),
            Problem::Refused {
                span,
                path,
                why,
                help,
            } => Diagnostic::new(
                Code::ValuesRefused,
                span,
                if path.is_empty() { why } else { format!("`{path}`: {why}") },
            )
                .label("cannot be imported")
                .help(help),
            Problem::NotImported {
                span,
                path,
                why,
                help,
            } => {
                let d = Diagnostic::new(Code::ValuesNotImported, span, format!("`{path}` is not imported: {why}"))
                    .label("left out of the site");
                match help {
                    Some(help) => d.help(help),
                    None => d.help("translate it by hand if the site needs it (docs/import-mapping.md)"),
                }
            }
            Problem::NoEffect { span, path, why } => {
                Diagnostic::new(Code::ValuesNoEffect, span, format!("`{path}` has no effect: {why}"))
                    .label("nothing written for this")
                    .help("drop the key from the values")
            }
            Problem::DefaultCredential {
                span,
                path,
                secret,
                key,
            } => Diagnostic::new(
                Code::ValuesCredential,
                span,
                format!(
                    "`{path}` is the chart's well-known default credential: the site reads Secret `{secret}`, key `{key}`, instead"
                ),
            )
            .label("default credential in effect")
            .help("give that Secret a new value (the command is printed below): anyone who knows the chart knows the default"),
            Problem::Placeholder {
                span,
                path,
                why,
                field,
                placeholder,
            } => Diagnostic::new(
                Code::ValuesPlaceholder,
                span,
                format!("`{path}`: {why}; the site has `{field} = \"{placeholder}\"` and will not connect until it is filled in"),
            )
            .label("placeholder written")
            .help(format!(
                "replace `{field} = \"{placeholder}\"` in the site with the {field} ID from the Prefect Cloud URL (`…/account/<account>/workspace/<workspace>/…`)"
            )),
            Problem::Into { span, why, help } => Diagnostic::new(
                Code::IntoConflict,
                span,
                format!("cannot add the release to the site: {why}"),
            )
            .label("here")
            .help(help),
            Problem::Completed { span, path, why } => Diagnostic::new(
                Code::ValuesCompleted,
                span,
                format!("`{path}`: {why}"),
            )
            .label("completed in the site")
            .help("review the site's value; to keep the values in step, write the same additions here"),
            Problem::Waived {
                span,
                path,
                rules,
                component,
            } => {
                let list = rules.iter().map(|r| format!("\"{r}\"")).collect::<Vec<_>>().join(", ");
                Diagnostic::new(
                    Code::ValuesWaived,
                    span,
                    format!("{} breaks policy rule{} {list}; the site keeps it with `@allow({list}, …)` on `{component}`", if path.is_empty() { "the release's values".to_string() } else { format!("`{path}`") }, if rules.len() > 1 { "s" } else { "" }),
                )
                .label("waiver written")
                .help(format!("narrow the grant (name the verbs and resources the worker needs) and remove the `@allow({list}, …)` from `{component}`"))
            }
            Problem::Credential {
                span,
                path,
                secret,
                key,
            } => Diagnostic::new(
                Code::ValuesCredential,
                span,
                format!("`{path}` is a plaintext credential: the site reads it from Secret `{secret}`, key `{key}`"),
            )
            .label("not copied")
            .help("create the Secret with the `kubectl create secret` command printed below, then remove the value from the values file"),
        }
    }
}
