//! One function per rule of the catalogue. A check reads the objects (and,
//! for the Prefect rules, the typed site) and pushes [`Finding`]s; levels,
//! waivers and rendering are the engine's business.
//!
//! Adding a rule: a row in `diagnostics/rules.rs`, a function here, a row in
//! [`CHECKS`], its [`Violation`]s and their wording in `policy/wording/`,
//! its explanation in `diagnostics/explain/policy/`, and a
//! failing and a passing fixture under `tests/fixtures/policy/`.

mod access;
mod credentials;
pub use credentials::{KeptScreen, Prescreened, is_credential};
pub(super) use workload::floating;
mod pss;
mod site;
mod workload;

use super::{Cx, Finding, Violation};
use crate::model::Prov;
use crate::source::Span;
pub(super) use credentials::Leaf;

pub type Check = fn(&Cx, &mut Vec<Finding>);

/// Every rule id and its check, in catalogue order.
pub const CHECKS: &[(&str, Check)] = &[
    ("pss/host-process", pss::host_process),
    ("pss/host-namespaces", pss::host_namespaces),
    ("pss/privileged", pss::privileged),
    ("pss/capabilities-baseline", pss::capabilities_baseline),
    ("pss/host-path", pss::host_path),
    ("pss/host-ports", pss::host_ports),
    ("pss/apparmor", pss::apparmor),
    ("pss/selinux", pss::selinux),
    ("pss/proc-mount", pss::proc_mount),
    ("pss/seccomp-baseline", pss::seccomp_baseline),
    ("pss/sysctls", pss::sysctls),
    ("pss/probe-host", pss::probe_host),
    ("pss/volume-types", pss::volume_types),
    ("pss/privilege-escalation", pss::privilege_escalation),
    ("pss/run-as-non-root", pss::run_as_non_root),
    ("pss/run-as-user", pss::run_as_user),
    ("pss/seccomp", pss::seccomp),
    ("pss/capabilities", pss::capabilities),
    ("image/floating-tag", workload::floating_tag),
    ("image/pull-policy", workload::pull_policy),
    ("fs/read-only-root", workload::read_only_root),
    ("pod/resources", workload::resources),
    ("pod/probes", workload::probes),
    ("sa/token-automount", workload::token_automount),
    ("sa/default", workload::default_service_account),
    ("rbac/wildcard", access::wildcard),
    ("rbac/secrets", access::secrets),
    ("rbac/escalation", access::escalation),
    ("secret/literal", credentials::secret_literal),
    ("secret/known-format", credentials::known_format),
    ("net/policy", site::network_policy),
    ("net/exposed-without-auth", site::exposed_without_auth),
    ("ns/default", site::default_namespace),
    ("prefect/version-skew", site::version_skew),
    ("prefect/exporter-replicas", site::exporter_replicas),
];

/// Builds a finding; its rule is the violation's.
pub(super) fn finding(
    place: String,
    origin: Span,
    prov: Option<Prov>,
    violation: Violation,
) -> Finding {
    Finding {
        place,
        origin,
        prov,
        violation,
    }
}
