//! The problems of reading manifests for `prefectc diff`, as data, and
//! their wording: every message, label and help of the `diff` stage is
//! written here.

use super::ObjectId;
use crate::diagnostics::{Code, Diagnostic, IntoDiagnostic};
use crate::source::Span;

/// A problem in the YAML documents `diff` reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffError {
    /// A second document for an object already read (E0602).
    DuplicateObject {
        /// The second document.
        span: Span,
        /// The first.
        first: Span,
        object: ObjectId,
    },
    /// A document that is not a Kubernetes object: not YAML, or without a
    /// kind or name (E0601).
    InvalidManifest {
        /// Where the YAML parser or the object check stopped.
        span: Span,
        /// What the parser or the check says is wrong.
        why: String,
    },
}

impl IntoDiagnostic for DiffError {
    fn into_diagnostic(self) -> Diagnostic {
        match self {
            DiffError::DuplicateObject {
                span,
                first,
                object,
            } => Diagnostic::new(
                Code::DuplicateObject,
                span,
                format!("{object} is listed twice"),
            )
            .label("the second document for this object")
            .with_secondary(first, "the first")
            .help(
                "remove one of them, or rebuild the directory with `prefectc build SITE.pfk -o \
                 DIR`",
            ),
            DiffError::InvalidManifest { span, why } => Diagnostic::new(
                Code::InvalidManifest,
                span,
                "this document is not a Kubernetes object",
            )
            .label(why)
            .help(
                "rebuild the directory with `prefectc build SITE.pfk -o DIR`, or fix the \
                 document",
            ),
        }
    }
}
