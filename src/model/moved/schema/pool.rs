// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! [`SameAfter`] and [`MoveSpans`] for the types of `stdlib/pool.pfk`.

use super::super::{MoveSpans, Mover, SameAfter, by_value, no_spans};
use crate::model::schema::*;
use crate::source::Edits;

by_value!(WorkerType);
no_spans!(WorkerType);

impl MoveSpans for Pool {
    fn move_spans(&mut self, m: &mut Mover) {
        self.type_.move_spans(m);
        self.concurrency.move_spans(m);
        self.flow_runs.move_spans(m);
    }
}

impl SameAfter for Pool {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.type_.same_after(edits, &now.type_)
            && self.concurrency.same_after(edits, &now.concurrency)
            && self.flow_runs.same_after(edits, &now.flow_runs)
    }
}

impl MoveSpans for FlowRuns {
    fn move_spans(&mut self, m: &mut Mover) {
        self.image.move_spans(m);
        self.image_pull_policy.move_spans(m);
        self.resources.move_spans(m);
        self.security.move_spans(m);
        self.env.move_spans(m);
        self.env_from.move_spans(m);
        self.labels.move_spans(m);
        self.annotations.move_spans(m);
        self.node_selector.move_spans(m);
        self.tolerations.move_spans(m);
        self.affinity.move_spans(m);
        self.priority_class.move_spans(m);
        self.service_account.move_spans(m);
        self.automount_service_account_token.move_spans(m);
        self.volumes.move_spans(m);
        self.volume_mounts.move_spans(m);
        self.ttl_after_finished.move_spans(m);
        self.backoff_limit.move_spans(m);
        self.active_deadline.move_spans(m);
    }
}

impl SameAfter for FlowRuns {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.image.same_after(edits, &now.image)
            && self
                .image_pull_policy
                .same_after(edits, &now.image_pull_policy)
            && self.resources.same_after(edits, &now.resources)
            && self.security.same_after(edits, &now.security)
            && self.env.same_after(edits, &now.env)
            && self.env_from.same_after(edits, &now.env_from)
            && self.labels.same_after(edits, &now.labels)
            && self.annotations.same_after(edits, &now.annotations)
            && self.node_selector.same_after(edits, &now.node_selector)
            && self.tolerations.same_after(edits, &now.tolerations)
            && self.affinity.same_after(edits, &now.affinity)
            && self.priority_class.same_after(edits, &now.priority_class)
            && self.service_account.same_after(edits, &now.service_account)
            && self
                .automount_service_account_token
                .same_after(edits, &now.automount_service_account_token)
            && self.volumes.same_after(edits, &now.volumes)
            && self.volume_mounts.same_after(edits, &now.volume_mounts)
            && self
                .ttl_after_finished
                .same_after(edits, &now.ttl_after_finished)
            && self.backoff_limit.same_after(edits, &now.backoff_limit)
            && self.active_deadline.same_after(edits, &now.active_deadline)
    }
}
