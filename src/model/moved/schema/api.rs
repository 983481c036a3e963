// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! [`SameAfter`] and [`MoveSpans`] for the types of `stdlib/api.pfk`.

use super::super::{MoveSpans, Mover, SameAfter, by_value, no_spans};
use crate::model::schema::*;
use crate::source::Edits;

by_value!(KeyPropagation);
no_spans!(KeyPropagation);

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

impl MoveSpans for Api {
    fn move_spans(&mut self, m: &mut Mover) {
        match self {
            Api::Server(a) => a.move_spans(m),
            Api::SelfHosted(a) => a.move_spans(m),
            Api::Cloud(a) => a.move_spans(m),
            Api::CustomerCloud(a) => a.move_spans(m),
        }
    }
}

impl MoveSpans for SelfHosted {
    fn move_spans(&mut self, m: &mut Mover) {
        self.url.move_spans(m);
        self.auth.move_spans(m);
    }
}

impl SameAfter for SelfHosted {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.url.same_after(edits, &now.url) && self.auth.same_after(edits, &now.auth)
    }
}

impl MoveSpans for Cloud {
    fn move_spans(&mut self, m: &mut Mover) {
        self.account.move_spans(m);
        self.workspace.move_spans(m);
        self.key.move_spans(m);
        self.key_propagation.move_spans(m);
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

impl MoveSpans for CustomerCloud {
    fn move_spans(&mut self, m: &mut Mover) {
        self.api_url.move_spans(m);
        self.account.move_spans(m);
        self.workspace.move_spans(m);
        self.key.move_spans(m);
        self.cloud_api_url.move_spans(m);
        self.cloud_ui_url.move_spans(m);
        self.key_propagation.move_spans(m);
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
