//! The problems of lowering, as data, and their wording: every message,
//! label and help of the `lower` stage is written here.

use crate::diagnostics::{Code, Diagnostic, IntoDiagnostic};
use crate::source::Span;

/// A problem found in the Kubernetes objects the components lower to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LowerError {
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
