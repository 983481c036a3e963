// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! [`SameAfter`] and [`MoveSpans`] for the types of `stdlib/site.pfk`.

use super::super::{MoveSpans, Mover, SameAfter, by_value, no_spans};
use crate::model::schema::*;
use crate::source::Edits;

by_value!(PolicyProfile, Platform);
no_spans!(PolicyProfile, Platform);

impl MoveSpans for Site {
    fn move_spans(&mut self, m: &mut Mover) {
        self.namespace.move_spans(m);
        self.create_namespace.move_spans(m);
        self.prefect.move_spans(m);
        self.python.move_spans(m);
        self.kubernetes.move_spans(m);
        self.policy.move_spans(m);
        self.network_policies.move_spans(m);
        self.platform.move_spans(m);
        self.labels.move_spans(m);
        self.annotations.move_spans(m);
        self.registry.move_spans(m);
        self.image_pull_secrets.move_spans(m);
    }
}

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
