// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! Reads checked values into the types of `stdlib/api.pfk`.

use super::super::{Fields, FromRec, FromTyped, Mismatch, field, optional_field, record};
use crate::check::model::{Rec, TVal, Typed};
use crate::model::schema::*;

impl FromTyped for Api {
    fn from_typed(t: Typed) -> Result<Api, Mismatch> {
        match t.value {
            TVal::Variant { tag, value } if tag == "server" => {
                Ok(Api::Server(FromTyped::from_typed(*value)?))
            }
            TVal::Variant { tag, value } if tag == "self-hosted" => {
                Ok(Api::SelfHosted(FromTyped::from_typed(*value)?))
            }
            TVal::Variant { tag, value } if tag == "cloud" => {
                Ok(Api::Cloud(FromTyped::from_typed(*value)?))
            }
            TVal::Variant { tag, value } if tag == "customer-cloud" => {
                Ok(Api::CustomerCloud(FromTyped::from_typed(*value)?))
            }
            other => Err(Mismatch::of("Api", &other)),
        }
    }
}

impl FromRec for SelfHosted {
    fn from_rec(rec: Rec) -> Result<SelfHosted, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(SelfHosted {
            url: field(&mut rec, "url")?,
            auth: optional_field(&mut rec, "auth")?,
        })
    }
}

impl FromTyped for SelfHosted {
    fn from_typed(t: Typed) -> Result<SelfHosted, Mismatch> {
        SelfHosted::from_rec(record(t, "SelfHosted")?)
    }
}

impl FromRec for Cloud {
    fn from_rec(rec: Rec) -> Result<Cloud, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Cloud {
            account: field(&mut rec, "account")?,
            workspace: field(&mut rec, "workspace")?,
            key: field(&mut rec, "key")?,
            key_propagation: field(&mut rec, "key-propagation")?,
        })
    }
}

impl FromTyped for Cloud {
    fn from_typed(t: Typed) -> Result<Cloud, Mismatch> {
        Cloud::from_rec(record(t, "Cloud")?)
    }
}

impl FromRec for CustomerCloud {
    fn from_rec(rec: Rec) -> Result<CustomerCloud, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(CustomerCloud {
            api_url: field(&mut rec, "api-url")?,
            account: field(&mut rec, "account")?,
            workspace: field(&mut rec, "workspace")?,
            key: field(&mut rec, "key")?,
            cloud_api_url: optional_field(&mut rec, "cloud-api-url")?,
            cloud_ui_url: optional_field(&mut rec, "cloud-ui-url")?,
            key_propagation: field(&mut rec, "key-propagation")?,
        })
    }
}

impl FromTyped for CustomerCloud {
    fn from_typed(t: Typed) -> Result<CustomerCloud, Mismatch> {
        CustomerCloud::from_rec(record(t, "CustomerCloud")?)
    }
}

impl FromTyped for KeyPropagation {
    fn from_typed(t: Typed) -> Result<KeyPropagation, Mismatch> {
        match &t.value {
            TVal::Enum(v) => {
                KeyPropagation::parse(v).ok_or_else(|| Mismatch::new("KeyPropagation", &t))
            }
            _ => Err(Mismatch::new("KeyPropagation", &t)),
        }
    }
}
