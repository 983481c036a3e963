// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! Reads checked values into the types of `stdlib/site.pfk`.

use super::super::{Fields, FromRec, FromTyped, Mismatch, field, optional_field, record};
use crate::check::model::{Rec, TVal, Typed};
use crate::model::schema::*;

impl FromRec for Site {
    fn from_rec(rec: Rec) -> Result<Site, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Site {
            namespace: field(&mut rec, "namespace")?,
            create_namespace: field(&mut rec, "create-namespace")?,
            prefect: field(&mut rec, "prefect")?,
            python: field(&mut rec, "python")?,
            kubernetes: field(&mut rec, "kubernetes")?,
            policy: field(&mut rec, "policy")?,
            network_policies: field(&mut rec, "network-policies")?,
            platform: field(&mut rec, "platform")?,
            labels: field(&mut rec, "labels")?,
            annotations: field(&mut rec, "annotations")?,
            registry: optional_field(&mut rec, "registry")?,
            image_pull_secrets: field(&mut rec, "image-pull-secrets")?,
        })
    }
}

impl FromTyped for Site {
    fn from_typed(t: Typed) -> Result<Site, Mismatch> {
        Site::from_rec(record(t, "Site")?)
    }
}

impl FromTyped for PolicyProfile {
    fn from_typed(t: Typed) -> Result<PolicyProfile, Mismatch> {
        match &t.value {
            TVal::Enum(v) => {
                PolicyProfile::parse(v).ok_or_else(|| Mismatch::new("PolicyProfile", &t))
            }
            _ => Err(Mismatch::new("PolicyProfile", &t)),
        }
    }
}

impl FromTyped for Platform {
    fn from_typed(t: Typed) -> Result<Platform, Mismatch> {
        match &t.value {
            TVal::Enum(v) => Platform::parse(v).ok_or_else(|| Mismatch::new("Platform", &t)),
            _ => Err(Mismatch::new("Platform", &t)),
        }
    }
}
