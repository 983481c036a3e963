// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! Reads checked values into the site model's types, field by field.

mod agent;
mod api;
mod common;
mod exporter;
mod pod;
mod pool;
mod server;
mod site;
mod worker;

use super::{FromTyped, Mismatch};
use crate::check::model::Typed;
use crate::model::schema::*;

impl FromTyped for IntOrPercent {
    fn from_typed(t: Typed) -> Result<IntOrPercent, Mismatch> {
        if let Ok(v) = FromTyped::from_typed(t.clone()) {
            return Ok(IntOrPercent::Int(v));
        }
        if let Ok(v) = FromTyped::from_typed(t.clone()) {
            return Ok(IntOrPercent::Percent(v));
        }
        Err(Mismatch::new("IntOrPercent", &t))
    }
}

impl FromTyped for PoolOrString {
    fn from_typed(t: Typed) -> Result<PoolOrString, Mismatch> {
        if let Ok(v) = FromTyped::from_typed(t.clone()) {
            return Ok(PoolOrString::Pool(v));
        }
        if let Ok(v) = FromTyped::from_typed(t.clone()) {
            return Ok(PoolOrString::String(v));
        }
        Err(Mismatch::new("PoolOrString", &t))
    }
}

impl FromTyped for SecretNameOrConfigMapName {
    fn from_typed(t: Typed) -> Result<SecretNameOrConfigMapName, Mismatch> {
        if let Ok(v) = FromTyped::from_typed(t.clone()) {
            return Ok(SecretNameOrConfigMapName::SecretName(v));
        }
        if let Ok(v) = FromTyped::from_typed(t.clone()) {
            return Ok(SecretNameOrConfigMapName::ConfigMapName(v));
        }
        Err(Mismatch::new("SecretNameOrConfigMapName", &t))
    }
}

impl FromTyped for StringOrSecret {
    fn from_typed(t: Typed) -> Result<StringOrSecret, Mismatch> {
        if let Ok(v) = FromTyped::from_typed(t.clone()) {
            return Ok(StringOrSecret::String(v));
        }
        if let Ok(v) = FromTyped::from_typed(t.clone()) {
            return Ok(StringOrSecret::Secret(v));
        }
        Err(Mismatch::new("StringOrSecret", &t))
    }
}

impl FromTyped for StringOrSecretOrConfigMap {
    fn from_typed(t: Typed) -> Result<StringOrSecretOrConfigMap, Mismatch> {
        if let Ok(v) = FromTyped::from_typed(t.clone()) {
            return Ok(StringOrSecretOrConfigMap::String(v));
        }
        if let Ok(v) = FromTyped::from_typed(t.clone()) {
            return Ok(StringOrSecretOrConfigMap::Secret(v));
        }
        if let Ok(v) = FromTyped::from_typed(t.clone()) {
            return Ok(StringOrSecretOrConfigMap::ConfigMap(v));
        }
        Err(Mismatch::new("StringOrSecretOrConfigMap", &t))
    }
}

impl FromTyped for VerbOrString {
    fn from_typed(t: Typed) -> Result<VerbOrString, Mismatch> {
        if let Ok(v) = FromTyped::from_typed(t.clone()) {
            return Ok(VerbOrString::Verb(v));
        }
        if let Ok(v) = FromTyped::from_typed(t.clone()) {
            return Ok(VerbOrString::String(v));
        }
        Err(Mismatch::new("VerbOrString", &t))
    }
}
