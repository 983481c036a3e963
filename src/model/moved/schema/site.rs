// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! [`SameAfter`] for the types of `stdlib/site.pfk`.

use super::super::{SameAfter, by_value};
use crate::model::schema::*;
use crate::source::Edits;

by_value!(PolicyProfile, Platform);

impl SameAfter for Site {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.namespace.same_after(edits, &now.namespace)
            && self
                .create_namespace
                .same_after(edits, &now.create_namespace)
            && self.prefect.same_after(edits, &now.prefect)
            && self.python.same_after(edits, &now.python)
            && self.kubernetes.same_after(edits, &now.kubernetes)
            && self.policy.same_after(edits, &now.policy)
            && self
                .network_policies
                .same_after(edits, &now.network_policies)
            && self.platform.same_after(edits, &now.platform)
            && self.labels.same_after(edits, &now.labels)
            && self.annotations.same_after(edits, &now.annotations)
            && self.registry.same_after(edits, &now.registry)
            && self
                .image_pull_secrets
                .same_after(edits, &now.image_pull_secrets)
    }
}
