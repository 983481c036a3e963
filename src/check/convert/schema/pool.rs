// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! Reads checked values into the types of `stdlib/pool.pfk`.

use super::super::{FromRec, FromTyped, Mismatch, field, optional_field, record};
use crate::check::model::{Rec, TVal, Typed};
use crate::model::schema::*;

impl FromRec for Pool {
    fn from_rec(rec: &Rec) -> Result<Pool, Mismatch> {
        Ok(Pool {
            type_: field(rec, "type")?,
            concurrency: optional_field(rec, "concurrency")?,
            flow_runs: field(rec, "flow-runs")?,
        })
    }
}

impl FromTyped for Pool {
    fn from_typed(t: &Typed) -> Result<Pool, Mismatch> {
        Pool::from_rec(record(t, "Pool")?)
    }
}

impl FromRec for FlowRuns {
    fn from_rec(rec: &Rec) -> Result<FlowRuns, Mismatch> {
        Ok(FlowRuns {
            image: optional_field(rec, "image")?,
            image_pull_policy: field(rec, "image-pull-policy")?,
            resources: field(rec, "resources")?,
            security: field(rec, "security")?,
            env: field(rec, "env")?,
            env_from: field(rec, "env-from")?,
            labels: field(rec, "labels")?,
            annotations: field(rec, "annotations")?,
            node_selector: field(rec, "node-selector")?,
            tolerations: field(rec, "tolerations")?,
            affinity: optional_field(rec, "affinity")?,
            priority_class: optional_field(rec, "priority-class")?,
            service_account: optional_field(rec, "service-account")?,
            automount_service_account_token: field(rec, "automount-service-account-token")?,
            volumes: field(rec, "volumes")?,
            volume_mounts: field(rec, "volume-mounts")?,
            ttl_after_finished: optional_field(rec, "ttl-after-finished")?,
            backoff_limit: optional_field(rec, "backoff-limit")?,
            active_deadline: optional_field(rec, "active-deadline")?,
        })
    }
}

impl FromTyped for FlowRuns {
    fn from_typed(t: &Typed) -> Result<FlowRuns, Mismatch> {
        FlowRuns::from_rec(record(t, "FlowRuns")?)
    }
}

impl FromTyped for WorkerType {
    fn from_typed(t: &Typed) -> Result<WorkerType, Mismatch> {
        match &t.value {
            TVal::Enum(v) => WorkerType::parse(v).ok_or_else(|| Mismatch::new("WorkerType", t)),
            _ => Err(Mismatch::new("WorkerType", t)),
        }
    }
}
