// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! The Rust types of the stdlib's schemas, enums and unions, a module per
//! stdlib file: one struct per schema, one enum per enum or union, and
//! (here) one enum per anonymous union: `Ref<Pool> | String` is
//! [`PoolOrString`]. A field that may be unset (`T?`) is
//! `Option<Located<T>>` (`Option<Box<Located<T>>>` for a record); any other
//! is `Located<T>`, its default filled in. A union's record variants are
//! boxed.

mod site;
pub use site::*;
mod common;
pub use common::*;
mod pod;
pub use pod::*;
mod api;
pub use api::*;
mod server;
pub use server::*;
mod pool;
pub use pool::*;
mod worker;
pub use worker::*;
mod agent;
pub use agent::*;
mod exporter;
pub use exporter::*;

pub use super::values::*;

/// `Int | Percent`: the first alternative the value fits.
#[derive(Debug, Clone, PartialEq)]
pub enum IntOrPercent {
    Int(i64),
    Percent(u32),
}

/// `Ref<Pool> | String`: the first alternative the value fits.
#[derive(Debug, Clone, PartialEq)]
pub enum PoolOrString {
    Pool(PoolRef),
    String(String),
}

/// `SecretName | ConfigMapName`: the first alternative the value fits.
#[derive(Debug, Clone, PartialEq)]
pub enum SecretNameOrConfigMapName {
    SecretName(SecretName),
    ConfigMapName(ConfigMapName),
}

/// `String | Secret`: the first alternative the value fits.
#[derive(Debug, Clone, PartialEq)]
pub enum StringOrSecret {
    String(String),
    Secret(SecretKeyRef),
}

/// `String | Secret | ConfigMap`: the first alternative the value fits.
#[derive(Debug, Clone, PartialEq)]
pub enum StringOrSecretOrConfigMap {
    String(String),
    Secret(SecretKeyRef),
    ConfigMap(ConfigMapKeyRef),
}

/// `Verb | String`: the first alternative the value fits.
#[derive(Debug, Clone, PartialEq)]
pub enum VerbOrString {
    Verb(Verb),
    String(String),
}
