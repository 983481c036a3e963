// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! The types of `stdlib/api.pfk`.

use super::*;

/// The Prefect API a worker, agent or exporter talks to.
#[derive(Debug, Clone, PartialEq)]
pub enum Api {
    /// A `server` of this site: the in-cluster URL and its basic-auth Secret are derived.
    Server(ServerRef),
    /// A Prefect server outside this site.
    SelfHosted(Box<SelfHosted>),
    /// Prefect Cloud.
    Cloud(Box<Cloud>),
    /// A customer-managed Prefect Cloud installation.
    CustomerCloud(Box<CustomerCloud>),
}

impl Api {
    /// The variant's tag as written in `.pfk` source.
    pub fn tag(&self) -> &'static str {
        match self {
            Api::Server(_) => "server",
            Api::SelfHosted(_) => "self-hosted",
            Api::Cloud(_) => "cloud",
            Api::CustomerCloud(_) => "customer-cloud",
        }
    }
}

/// A Prefect server reached by URL.
#[derive(Debug, Clone, PartialEq)]
pub struct SelfHosted {
    /// The API URL, ending in `/api`.
    pub url: Located<String>,
    /// The basic-auth string (`user:password`) the server expects.
    pub auth: Option<Located<SecretKeyRef>>,
}

/// A Prefect Cloud workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Cloud {
    /// The account ID (a UUID).
    pub account: Located<String>,
    /// The workspace ID (a UUID).
    pub workspace: Located<String>,
    /// The API key.
    pub key: Located<SecretKeyRef>,
    /// How flow-run pods get the API key: `off`, `secret-ref` (they read the same Secret),
    /// or `create-secret` (the worker creates one; needs Secret write access).
    pub key_propagation: Located<KeyPropagation>,
}

/// A customer-managed Prefect Cloud.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerCloud {
    /// The API URL of the installation.
    pub api_url: Located<String>,
    /// The account ID.
    pub account: Located<String>,
    /// The workspace ID.
    pub workspace: Located<String>,
    /// The API key.
    pub key: Located<SecretKeyRef>,
    /// The Cloud API URL (`PREFECT_CLOUD_API_URL`).
    pub cloud_api_url: Option<Located<String>>,
    /// The Cloud UI URL (`PREFECT_CLOUD_UI_URL`).
    pub cloud_ui_url: Option<Located<String>>,
    /// How flow-run pods get the API key.
    pub key_propagation: Located<KeyPropagation>,
}

/// How flow-run pods started by a Kubernetes worker get the Cloud API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyPropagation {
    /// They do not get it from the worker.
    Off,
    /// They read it from the worker's API-key Secret.
    SecretRef,
    /// The worker creates a Secret for them.
    CreateSecret,
}

impl KeyPropagation {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [KeyPropagation] = &[
        KeyPropagation::Off,
        KeyPropagation::SecretRef,
        KeyPropagation::CreateSecret,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyPropagation::Off => "off",
            KeyPropagation::SecretRef => "secret-ref",
            KeyPropagation::CreateSecret => "create-secret",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<KeyPropagation> {
        KeyPropagation::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text)
    }
}
