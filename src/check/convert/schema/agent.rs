// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! Reads checked values into the types of `stdlib/agent.pfk`.

use super::super::{Fields, FromRec, FromTyped, Mismatch, field, optional_field, record};
use crate::check::model::{Rec, Typed};
use crate::model::schema::*;

impl FromRec for Agent {
    fn from_rec(rec: Rec) -> Result<Agent, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Agent {
            api: field(&mut rec, "api")?,
            pool: optional_field(&mut rec, "pool")?,
            queues: field(&mut rec, "queues")?,
            image: optional_field(&mut rec, "image")?,
            image_pull_policy: field(&mut rec, "image-pull-policy")?,
            replicas: field(&mut rec, "replicas")?,
            limit: optional_field(&mut rec, "limit")?,
            query_interval: field(&mut rec, "query-interval")?,
            prefetch: field(&mut rec, "prefetch")?,
            http2: field(&mut rec, "http2")?,
            debug: field(&mut rec, "debug")?,
            cluster_uid: optional_field(&mut rec, "cluster-uid")?,
            env: field(&mut rec, "env")?,
            env_from: field(&mut rec, "env-from")?,
            resources: field(&mut rec, "resources")?,
            security: field(&mut rec, "security")?,
            rbac: field(&mut rec, "rbac")?,
            pod_labels: field(&mut rec, "pod-labels")?,
            pod_annotations: field(&mut rec, "pod-annotations")?,
            node_selector: field(&mut rec, "node-selector")?,
            tolerations: field(&mut rec, "tolerations")?,
            command: optional_field(&mut rec, "command")?,
            args: optional_field(&mut rec, "args")?,
            extra_args: field(&mut rec, "extra-args")?,
            revision_history: field(&mut rec, "revision-history")?,
            update_strategy: optional_field(&mut rec, "update-strategy")?,
            lifecycle: optional_field(&mut rec, "lifecycle")?,
            termination_grace_period: optional_field(&mut rec, "termination-grace-period")?,
            priority_class: optional_field(&mut rec, "priority-class")?,
            affinity: optional_field(&mut rec, "affinity")?,
            topology_spread: field(&mut rec, "topology-spread")?,
            service_account: optional_field(&mut rec, "service-account")?,
            automount_service_account_token: field(&mut rec, "automount-service-account-token")?,
            volumes: field(&mut rec, "volumes")?,
            volume_mounts: field(&mut rec, "volume-mounts")?,
            sidecars: field(&mut rec, "sidecars")?,
            init_containers: field(&mut rec, "init-containers")?,
        })
    }
}

impl FromTyped for Agent {
    fn from_typed(t: Typed) -> Result<Agent, Mismatch> {
        Agent::from_rec(record(t, "Agent")?)
    }
}
