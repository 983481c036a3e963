//! One function per rule of the catalogue. A check reads the objects (and,
//! for the Prefect rules, the typed site) and pushes [`Finding`]s; levels,
//! waivers and rendering are the engine's business.
//!
//! Adding a rule: a row in `diagnostics/rules.rs`, a function here, a row in
//! [`CHECKS`] (with what the function reads, [`Scope`]), its [`Violation`]s and their wording in `policy/wording/`,
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

/// What a check reads of the objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Each object alone (`Cx::objects`, looking up the others only
    /// through [`Cx`]'s indexes): any part of the objects can be judged
    /// apart, the findings of the parts in order being the whole's.
    Object,
    /// The objects together (an index of them all) or the site alone:
    /// judged once, over every object, by a [`crate::policy::Cx`] that
    /// reads no credential screen.
    Site,
    /// The objects together as the credential screen judged them (its
    /// verdicts by position): judged once, by the `Cx` that holds the
    /// screen, which is not shared between threads.
    Screened,
}

/// Every rule id, its check and what the check reads, in catalogue order.
pub const CHECKS: &[(&str, Check, Scope)] = &[
    ("pss/host-process", pss::host_process, Scope::Object),
    ("pss/host-namespaces", pss::host_namespaces, Scope::Object),
    ("pss/privileged", pss::privileged, Scope::Object),
    (
        "pss/capabilities-baseline",
        pss::capabilities_baseline,
        Scope::Object,
    ),
    ("pss/host-path", pss::host_path, Scope::Object),
    ("pss/host-ports", pss::host_ports, Scope::Object),
    ("pss/apparmor", pss::apparmor, Scope::Object),
    ("pss/selinux", pss::selinux, Scope::Object),
    ("pss/proc-mount", pss::proc_mount, Scope::Object),
    ("pss/seccomp-baseline", pss::seccomp_baseline, Scope::Object),
    ("pss/sysctls", pss::sysctls, Scope::Object),
    ("pss/probe-host", pss::probe_host, Scope::Object),
    ("pss/volume-types", pss::volume_types, Scope::Object),
    (
        "pss/privilege-escalation",
        pss::privilege_escalation,
        Scope::Object,
    ),
    ("pss/run-as-non-root", pss::run_as_non_root, Scope::Object),
    ("pss/run-as-user", pss::run_as_user, Scope::Object),
    ("pss/seccomp", pss::seccomp, Scope::Object),
    ("pss/capabilities", pss::capabilities, Scope::Object),
    ("image/floating-tag", workload::floating_tag, Scope::Object),
    ("image/pull-policy", workload::pull_policy, Scope::Object),
    ("fs/read-only-root", workload::read_only_root, Scope::Object),
    ("pod/resources", workload::resources, Scope::Object),
    ("pod/probes", workload::probes, Scope::Object),
    (
        "sa/token-automount",
        workload::token_automount,
        Scope::Object,
    ),
    (
        "sa/default",
        workload::default_service_account,
        Scope::Object,
    ),
    ("rbac/wildcard", access::wildcard, Scope::Object),
    ("rbac/secrets", access::secrets, Scope::Object),
    ("rbac/escalation", access::escalation, Scope::Object),
    (
        "secret/literal",
        credentials::secret_literal,
        Scope::Screened,
    ),
    (
        "secret/known-format",
        credentials::known_format,
        Scope::Screened,
    ),
    ("net/policy", site::network_policy, Scope::Site),
    (
        "net/exposed-without-auth",
        site::exposed_without_auth,
        Scope::Site,
    ),
    ("ns/default", site::default_namespace, Scope::Object),
    ("prefect/version-skew", site::version_skew, Scope::Site),
    (
        "prefect/exporter-replicas",
        site::exporter_replicas,
        Scope::Site,
    ),
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
