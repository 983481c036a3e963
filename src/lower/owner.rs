//! Whose objects a lowering emits: a component, or a part of one with a
//! name of its own (a server's background services).

use super::k8s::Tracked;
use crate::model::workload::Workload;
use crate::model::{Kind, Prov};
use crate::source::Span;

/// Whose pods these are: the names and the span the emitted objects carry,
/// and the pod settings they are built from.
pub struct Owner<'a> {
    /// The component's name, or `<server>-background-services`.
    pub name: String,
    pub kind: Kind,
    pub header: Span,
    pub pod: Workload<'a>,
}

impl Owner<'_> {
    /// A value prefectc derives for this component, attributed to `field`.
    pub fn derived(&self, field: &str) -> Prov {
        Prov::default_of(self.header, field)
    }

    /// `automountServiceAccountToken`, off unless a pod needs the token.
    pub fn no_token(&self) -> Tracked<bool> {
        Tracked {
            value: false,
            prov: self.derived("automount-service-account-token"),
        }
    }
}
