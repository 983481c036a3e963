// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! [`SameAfter`] for the types of `stdlib/api.pfk`.

use super::super::{SameAfter, by_value};
use crate::model::schema::*;
use crate::source::Edits;

by_value!(KeyPropagation);

impl SameAfter for Api {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        match self {
            Api::Server(a) => matches!(now, Api::Server(b) if a.same_after(edits, b)),
            Api::SelfHosted(a) => matches!(now, Api::SelfHosted(b) if a.same_after(edits, b)),
            Api::Cloud(a) => matches!(now, Api::Cloud(b) if a.same_after(edits, b)),
            Api::CustomerCloud(a) => matches!(now, Api::CustomerCloud(b) if a.same_after(edits, b)),
        }
    }
}

impl SameAfter for SelfHosted {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.url.same_after(edits, &now.url) && self.auth.same_after(edits, &now.auth)
    }
}

impl SameAfter for Cloud {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.account.same_after(edits, &now.account)
            && self.workspace.same_after(edits, &now.workspace)
            && self.key.same_after(edits, &now.key)
            && self.key_propagation.same_after(edits, &now.key_propagation)
    }
}

impl SameAfter for CustomerCloud {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.api_url.same_after(edits, &now.api_url)
            && self.account.same_after(edits, &now.account)
            && self.workspace.same_after(edits, &now.workspace)
            && self.key.same_after(edits, &now.key)
            && self.cloud_api_url.same_after(edits, &now.cloud_api_url)
            && self.cloud_ui_url.same_after(edits, &now.cloud_ui_url)
            && self.key_propagation.same_after(edits, &now.key_propagation)
    }
}
