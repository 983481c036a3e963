// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! Reads checked values into the types of `stdlib/agent.pfk`.

use super::super::{FromRec, FromTyped, Mismatch, field, optional_field, record};
use crate::check::model::{Rec, Typed};
use crate::model::schema::*;

impl FromRec for Agent {
    fn from_rec(rec: &Rec) -> Result<Agent, Mismatch> {
        Ok(Agent {
            api: field(rec, "api")?,
            pool: optional_field(rec, "pool")?,
            queues: field(rec, "queues")?,
            image: optional_field(rec, "image")?,
            image_pull_policy: field(rec, "image-pull-policy")?,
            replicas: field(rec, "replicas")?,
            limit: optional_field(rec, "limit")?,
            query_interval: field(rec, "query-interval")?,
            prefetch: field(rec, "prefetch")?,
            http2: field(rec, "http2")?,
            debug: field(rec, "debug")?,
            cluster_uid: optional_field(rec, "cluster-uid")?,
            env: field(rec, "env")?,
            env_from: field(rec, "env-from")?,
            resources: field(rec, "resources")?,
            security: field(rec, "security")?,
            rbac: field(rec, "rbac")?,
            pod_labels: field(rec, "pod-labels")?,
            pod_annotations: field(rec, "pod-annotations")?,
            node_selector: field(rec, "node-selector")?,
            tolerations: field(rec, "tolerations")?,
            command: optional_field(rec, "command")?,
            args: optional_field(rec, "args")?,
            extra_args: field(rec, "extra-args")?,
            revision_history: field(rec, "revision-history")?,
            update_strategy: optional_field(rec, "update-strategy")?,
            lifecycle: optional_field(rec, "lifecycle")?,
            termination_grace_period: optional_field(rec, "termination-grace-period")?,
            priority_class: optional_field(rec, "priority-class")?,
            affinity: optional_field(rec, "affinity")?,
            topology_spread: field(rec, "topology-spread")?,
            service_account: optional_field(rec, "service-account")?,
            automount_service_account_token: field(rec, "automount-service-account-token")?,
            volumes: field(rec, "volumes")?,
            volume_mounts: field(rec, "volume-mounts")?,
            sidecars: field(rec, "sidecars")?,
            init_containers: field(rec, "init-containers")?,
        })
    }
}

impl FromTyped for Agent {
    fn from_typed(t: &Typed) -> Result<Agent, Mismatch> {
        Agent::from_rec(record(t, "Agent")?)
    }
}
