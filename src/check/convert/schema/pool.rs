// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! Reads checked values into the types of `stdlib/pool.pfk`.

use super::super::{Fields, FromRec, FromTyped, Mismatch, field, optional_field, record};
use crate::check::model::{Rec, TVal, Typed};
use crate::model::schema::*;

impl FromRec for Pool {
    fn from_rec(rec: Rec) -> Result<Pool, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Pool {
            type_: field(&mut rec, "type")?,
            concurrency: optional_field(&mut rec, "concurrency")?,
            flow_runs: field(&mut rec, "flow-runs")?,
        })
    }
}

impl FromTyped for Pool {
    fn from_typed(t: Typed) -> Result<Pool, Mismatch> {
        Pool::from_rec(record(t, "Pool")?)
    }
}

impl FromRec for FlowRuns {
    fn from_rec(rec: Rec) -> Result<FlowRuns, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(FlowRuns {
            image: optional_field(&mut rec, "image")?,
            image_pull_policy: field(&mut rec, "image-pull-policy")?,
            resources: field(&mut rec, "resources")?,
            security: field(&mut rec, "security")?,
            env: field(&mut rec, "env")?,
            env_from: field(&mut rec, "env-from")?,
            labels: field(&mut rec, "labels")?,
            annotations: field(&mut rec, "annotations")?,
            node_selector: field(&mut rec, "node-selector")?,
            tolerations: field(&mut rec, "tolerations")?,
            affinity: optional_field(&mut rec, "affinity")?,
            priority_class: optional_field(&mut rec, "priority-class")?,
            service_account: optional_field(&mut rec, "service-account")?,
            automount_service_account_token: field(&mut rec, "automount-service-account-token")?,
            volumes: field(&mut rec, "volumes")?,
            volume_mounts: field(&mut rec, "volume-mounts")?,
            ttl_after_finished: optional_field(&mut rec, "ttl-after-finished")?,
            backoff_limit: optional_field(&mut rec, "backoff-limit")?,
            active_deadline: optional_field(&mut rec, "active-deadline")?,
        })
    }
}

impl FromTyped for FlowRuns {
    fn from_typed(t: Typed) -> Result<FlowRuns, Mismatch> {
        FlowRuns::from_rec(record(t, "FlowRuns")?)
    }
}

impl FromTyped for WorkerType {
    fn from_typed(t: Typed) -> Result<WorkerType, Mismatch> {
        match &t.value {
            TVal::Enum(v) => WorkerType::parse(v).ok_or_else(|| Mismatch::new("WorkerType", &t)),
            _ => Err(Mismatch::new("WorkerType", &t)),
        }
    }
}
