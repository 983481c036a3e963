// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! [`SameAfter`] and [`MoveSpans`] for the types of the stdlib's schemas,
//! enums and unions, a module per stdlib file, and (here) for the
//! anonymous unions.

mod agent;
mod api;
mod common;
mod exporter;
mod pod;
mod pool;
mod server;
mod site;
mod worker;

use super::{MoveSpans, Mover, SameAfter};
use crate::model::schema::*;
use crate::source::Edits;

impl SameAfter for IntOrPercent {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        match self {
            IntOrPercent::Int(a) => matches!(now, IntOrPercent::Int(b) if a.same_after(edits, b)),
            IntOrPercent::Percent(a) => {
                matches!(now, IntOrPercent::Percent(b) if a.same_after(edits, b))
            }
        }
    }
}

impl MoveSpans for IntOrPercent {
    fn move_spans(&mut self, m: &mut Mover) {
        match self {
            IntOrPercent::Int(a) => a.move_spans(m),
            IntOrPercent::Percent(a) => a.move_spans(m),
        }
    }
}

impl SameAfter for PoolOrString {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        match self {
            PoolOrString::Pool(a) => matches!(now, PoolOrString::Pool(b) if a.same_after(edits, b)),
            PoolOrString::String(a) => {
                matches!(now, PoolOrString::String(b) if a.same_after(edits, b))
            }
        }
    }
}

impl MoveSpans for PoolOrString {
    fn move_spans(&mut self, m: &mut Mover) {
        match self {
            PoolOrString::Pool(a) => a.move_spans(m),
            PoolOrString::String(a) => a.move_spans(m),
        }
    }
}

impl SameAfter for SecretNameOrConfigMapName {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        match self {
            SecretNameOrConfigMapName::SecretName(a) => {
                matches!(now, SecretNameOrConfigMapName::SecretName(b) if a.same_after(edits, b))
            }
            SecretNameOrConfigMapName::ConfigMapName(a) => {
                matches!(now, SecretNameOrConfigMapName::ConfigMapName(b) if a.same_after(edits, b))
            }
        }
    }
}

impl MoveSpans for SecretNameOrConfigMapName {
    fn move_spans(&mut self, m: &mut Mover) {
        match self {
            SecretNameOrConfigMapName::SecretName(a) => a.move_spans(m),
            SecretNameOrConfigMapName::ConfigMapName(a) => a.move_spans(m),
        }
    }
}

impl SameAfter for StringOrSecret {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        match self {
            StringOrSecret::String(a) => {
                matches!(now, StringOrSecret::String(b) if a.same_after(edits, b))
            }
            StringOrSecret::Secret(a) => {
                matches!(now, StringOrSecret::Secret(b) if a.same_after(edits, b))
            }
        }
    }
}

impl MoveSpans for StringOrSecret {
    fn move_spans(&mut self, m: &mut Mover) {
        match self {
            StringOrSecret::String(a) => a.move_spans(m),
            StringOrSecret::Secret(a) => a.move_spans(m),
        }
    }
}

impl SameAfter for StringOrSecretOrConfigMap {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        match self {
            StringOrSecretOrConfigMap::String(a) => {
                matches!(now, StringOrSecretOrConfigMap::String(b) if a.same_after(edits, b))
            }
            StringOrSecretOrConfigMap::Secret(a) => {
                matches!(now, StringOrSecretOrConfigMap::Secret(b) if a.same_after(edits, b))
            }
            StringOrSecretOrConfigMap::ConfigMap(a) => {
                matches!(now, StringOrSecretOrConfigMap::ConfigMap(b) if a.same_after(edits, b))
            }
        }
    }
}

impl MoveSpans for StringOrSecretOrConfigMap {
    fn move_spans(&mut self, m: &mut Mover) {
        match self {
            StringOrSecretOrConfigMap::String(a) => a.move_spans(m),
            StringOrSecretOrConfigMap::Secret(a) => a.move_spans(m),
            StringOrSecretOrConfigMap::ConfigMap(a) => a.move_spans(m),
        }
    }
}

impl SameAfter for VerbOrString {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        match self {
            VerbOrString::Verb(a) => matches!(now, VerbOrString::Verb(b) if a.same_after(edits, b)),
            VerbOrString::String(a) => {
                matches!(now, VerbOrString::String(b) if a.same_after(edits, b))
            }
        }
    }
}

impl MoveSpans for VerbOrString {
    fn move_spans(&mut self, m: &mut Mover) {
        match self {
            VerbOrString::Verb(a) => a.move_spans(m),
            VerbOrString::String(a) => a.move_spans(m),
        }
    }
}
