// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! The types of `stdlib/site.pfk`.

use crate::map::IndexMap;

use super::*;

/// The site: one namespace of one cluster, and what every component in it shares.
/// Exactly one `site` per build.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// The namespace every object is placed in.
    pub namespace: Located<String>,
    /// Emit the Namespace too, labelled so that Pod Security admission enforces `policy` (for GitOps tools that own the namespace).
    pub create_namespace: Located<bool>,
    /// The Prefect version every Prefect image is pinned to, e.g. `3.4.25`.
    pub prefect: Located<String>,
    /// The Python version of the derived Prefect images (`prefecthq/prefect:<prefect>-python<python>`).
    pub python: Located<String>,
    /// The Kubernetes minor version the output targets, e.g. `"1.35"`.
    pub kubernetes: Located<String>,
    /// The Pod Security Standard every pod must meet; policy checks enforce it.
    pub policy: Located<PolicyProfile>,
    /// Under `restricted`, emit NetworkPolicies derived from the site graph. Turn off only where the cluster's network plugin ignores them or another tool owns them (`net/policy` then warns).
    pub network_policies: Located<bool>,
    /// Where the site runs: `openshift` leaves runAsUser, runAsGroup and fsGroup to the SCC.
    pub platform: Located<Platform>,
    /// Labels added to every object.
    pub labels: Located<IndexMap<String, Located<String>>>,
    /// Annotations added to every object.
    pub annotations: Located<IndexMap<String, Located<String>>>,
    /// A registry mirroring Docker Hub: the images prefectc chooses (Prefect's, and the exporter's, PostgreSQL's and Redis' defaults) are pulled from it (`registry.example.com/prefecthq/prefect:…`, `registry.example.com/library/postgres:…`); an image written in the site is used as written.
    pub registry: Option<Located<String>>,
    /// Names of image pull Secrets added to every pod.
    pub image_pull_secrets: Located<Vec<Located<String>>>,
}

/// The Pod Security Standard profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PolicyProfile {
    /// No restrictions.
    Privileged,
    /// Prevents known privilege escalations.
    Baseline,
    /// Current pod hardening best practice (the default).
    Restricted,
}

impl PolicyProfile {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [PolicyProfile] = &[
        PolicyProfile::Privileged,
        PolicyProfile::Baseline,
        PolicyProfile::Restricted,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyProfile::Privileged => "privileged",
            PolicyProfile::Baseline => "baseline",
            PolicyProfile::Restricted => "restricted",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<PolicyProfile> {
        PolicyProfile::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text)
    }
}

/// The platform the site runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Platform {
    /// Any conformant Kubernetes.
    Kubernetes,
    /// OpenShift: the restricted-v2 SCC assigns user and group IDs.
    Openshift,
}

impl Platform {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [Platform] = &[Platform::Kubernetes, Platform::Openshift];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Kubernetes => "kubernetes",
            Platform::Openshift => "openshift",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<Platform> {
        Platform::ALL.iter().copied().find(|v| v.as_str() == text)
    }
}
