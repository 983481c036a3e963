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
        })
    }
}

impl FromTyped for Pool {
    fn from_typed(t: &Typed) -> Result<Pool, Mismatch> {
        Pool::from_rec(record(t, "Pool")?)
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
