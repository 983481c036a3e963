// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! [`SameAfter`] for the types of `stdlib/agent.pfk`.

use super::super::SameAfter;
use crate::model::schema::*;
use crate::source::Edits;

impl SameAfter for Agent {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.api.same_after(edits, &now.api)
            && self.pool.same_after(edits, &now.pool)
            && self.queues.same_after(edits, &now.queues)
            && self.image.same_after(edits, &now.image)
            && self
                .image_pull_policy
                .same_after(edits, &now.image_pull_policy)
            && self.replicas.same_after(edits, &now.replicas)
            && self.limit.same_after(edits, &now.limit)
            && self.query_interval.same_after(edits, &now.query_interval)
            && self.prefetch.same_after(edits, &now.prefetch)
            && self.http2.same_after(edits, &now.http2)
            && self.debug.same_after(edits, &now.debug)
            && self.cluster_uid.same_after(edits, &now.cluster_uid)
            && self.env.same_after(edits, &now.env)
            && self.env_from.same_after(edits, &now.env_from)
            && self.resources.same_after(edits, &now.resources)
            && self.security.same_after(edits, &now.security)
            && self.rbac.same_after(edits, &now.rbac)
            && self.pod_labels.same_after(edits, &now.pod_labels)
            && self.pod_annotations.same_after(edits, &now.pod_annotations)
            && self.node_selector.same_after(edits, &now.node_selector)
            && self.tolerations.same_after(edits, &now.tolerations)
            && self.command.same_after(edits, &now.command)
            && self.args.same_after(edits, &now.args)
            && self.extra_args.same_after(edits, &now.extra_args)
            && self
                .revision_history
                .same_after(edits, &now.revision_history)
            && self.update_strategy.same_after(edits, &now.update_strategy)
            && self.lifecycle.same_after(edits, &now.lifecycle)
            && self
                .termination_grace_period
                .same_after(edits, &now.termination_grace_period)
            && self.priority_class.same_after(edits, &now.priority_class)
            && self.affinity.same_after(edits, &now.affinity)
            && self.topology_spread.same_after(edits, &now.topology_spread)
            && self.service_account.same_after(edits, &now.service_account)
            && self
                .automount_service_account_token
                .same_after(edits, &now.automount_service_account_token)
            && self.volumes.same_after(edits, &now.volumes)
            && self.volume_mounts.same_after(edits, &now.volume_mounts)
            && self.sidecars.same_after(edits, &now.sidecars)
            && self.init_containers.same_after(edits, &now.init_containers)
    }
}
