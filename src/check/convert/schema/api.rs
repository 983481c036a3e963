// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! Reads checked values into the types of `stdlib/api.pfk`.

use super::super::{FromRec, FromTyped, Mismatch, field, optional_field, record};
use crate::check::model::{Rec, TVal, Typed};
use crate::model::schema::*;

impl FromTyped for Api {
    fn from_typed(t: &Typed) -> Result<Api, Mismatch> {
        match &t.value {
            TVal::Variant { tag, value } if tag == "server" => {
                Ok(Api::Server(FromTyped::from_typed(value)?))
            }
            TVal::Variant { tag, value } if tag == "self-hosted" => {
                Ok(Api::SelfHosted(FromTyped::from_typed(value)?))
            }
            TVal::Variant { tag, value } if tag == "cloud" => {
                Ok(Api::Cloud(FromTyped::from_typed(value)?))
            }
            TVal::Variant { tag, value } if tag == "customer-cloud" => {
                Ok(Api::CustomerCloud(FromTyped::from_typed(value)?))
            }
            _ => Err(Mismatch::new("Api", t)),
        }
    }
}

impl FromRec for SelfHosted {
    fn from_rec(rec: &Rec) -> Result<SelfHosted, Mismatch> {
        Ok(SelfHosted {
            url: field(rec, "url")?,
            auth: optional_field(rec, "auth")?,
        })
    }
}

impl FromTyped for SelfHosted {
    fn from_typed(t: &Typed) -> Result<SelfHosted, Mismatch> {
        SelfHosted::from_rec(record(t, "SelfHosted")?)
    }
}

impl FromRec for Cloud {
    fn from_rec(rec: &Rec) -> Result<Cloud, Mismatch> {
        Ok(Cloud {
            account: field(rec, "account")?,
            workspace: field(rec, "workspace")?,
            key: field(rec, "key")?,
            key_propagation: field(rec, "key-propagation")?,
        })
    }
}

impl FromTyped for Cloud {
    fn from_typed(t: &Typed) -> Result<Cloud, Mismatch> {
        Cloud::from_rec(record(t, "Cloud")?)
    }
}

impl FromRec for CustomerCloud {
    fn from_rec(rec: &Rec) -> Result<CustomerCloud, Mismatch> {
        Ok(CustomerCloud {
            api_url: field(rec, "api-url")?,
            account: field(rec, "account")?,
            workspace: field(rec, "workspace")?,
            key: field(rec, "key")?,
            cloud_api_url: optional_field(rec, "cloud-api-url")?,
            cloud_ui_url: optional_field(rec, "cloud-ui-url")?,
            key_propagation: field(rec, "key-propagation")?,
        })
    }
}

impl FromTyped for CustomerCloud {
    fn from_typed(t: &Typed) -> Result<CustomerCloud, Mismatch> {
        CustomerCloud::from_rec(record(t, "CustomerCloud")?)
    }
}

impl FromTyped for KeyPropagation {
    fn from_typed(t: &Typed) -> Result<KeyPropagation, Mismatch> {
        match &t.value {
            TVal::Enum(v) => {
                KeyPropagation::parse(v).ok_or_else(|| Mismatch::new("KeyPropagation", t))
            }
            _ => Err(Mismatch::new("KeyPropagation", t)),
        }
    }
}
