//! The policy rule catalogue of POLICY.md: stable ids, what each checks, and
//! its level per profile. Shared by `check` (validating `@allow`) and the
//! policy stage.

/// How a finding of a rule is treated under a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    Off,
    Warn,
    Error,
}

/// One policy rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rule {
    pub id: &'static str,
    pub summary: &'static str,
    pub baseline: Level,
    pub restricted: Level,
    /// What other scanners call it.
    pub anchors: &'static str,
    /// Whether `@allow` may waive it on a component.
    pub waivable: bool,
    /// An error under every profile, `privileged` included (and never
    /// waivable): what it finds is never right, whatever the site says.
    pub unconditional: bool,
}

const fn rule(
    id: &'static str,
    summary: &'static str,
    baseline: Level,
    restricted: Level,
    anchors: &'static str,
    waivable: bool,
) -> Rule {
    Rule {
        id,
        summary,
        baseline,
        restricted,
        anchors,
        waivable,
        unconditional: false,
    }
}

/// A rule that is an error under every profile and cannot be waived.
const fn unconditional(id: &'static str, summary: &'static str, anchors: &'static str) -> Rule {
    Rule {
        id,
        summary,
        baseline: Level::Error,
        restricted: Level::Error,
        anchors,
        waivable: false,
        unconditional: true,
    }
}

use Level::{Error, Off, Warn};

pub const CATALOGUE: &[Rule] = &[
    rule(
        "pss/host-process",
        "Windows hostProcess unset or false",
        Error,
        Error,
        "PSS baseline",
        true,
    ),
    rule(
        "pss/host-namespaces",
        "hostNetwork, hostPID, hostIPC unset or false",
        Error,
        Error,
        "PSS baseline",
        false,
    ),
    rule(
        "pss/privileged",
        "privileged unset or false",
        Error,
        Error,
        "PSS baseline",
        false,
    ),
    rule(
        "pss/capabilities-baseline",
        "added capabilities only from the PSS baseline list",
        Error,
        Error,
        "PSS baseline",
        true,
    ),
    rule(
        "pss/host-path",
        "no hostPath volumes",
        Error,
        Error,
        "PSS baseline",
        true,
    ),
    rule(
        "pss/host-ports",
        "no hostPort",
        Error,
        Error,
        "PSS baseline",
        true,
    ),
    rule(
        "pss/apparmor",
        "AppArmor profile unset, RuntimeDefault or Localhost",
        Error,
        Error,
        "PSS baseline",
        true,
    ),
    rule(
        "pss/selinux",
        "SELinux type in the allowed set; user and role unset",
        Error,
        Error,
        "PSS baseline",
        true,
    ),
    rule(
        "pss/proc-mount",
        "procMount Default",
        Error,
        Error,
        "PSS baseline",
        true,
    ),
    rule(
        "pss/seccomp-baseline",
        "seccomp profile not Unconfined",
        Error,
        Error,
        "PSS baseline",
        true,
    ),
    rule(
        "pss/sysctls",
        "only the safe sysctls (the set grows with the target version: 1.27, 1.29, 1.32, 1.37)",
        Error,
        Error,
        "PSS baseline",
        true,
    ),
    rule(
        "pss/probe-host",
        "probes and lifecycle hooks set no host (1.34+)",
        Error,
        Error,
        "PSS baseline",
        true,
    ),
    rule(
        "pss/volume-types",
        "volumes only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret",
        Warn,
        Error,
        "PSS restricted",
        true,
    ),
    rule(
        "pss/privilege-escalation",
        "allowPrivilegeEscalation false",
        Warn,
        Error,
        "PSS restricted",
        true,
    ),
    rule(
        "pss/run-as-non-root",
        "runAsNonRoot true (pod or every container)",
        Warn,
        Error,
        "PSS restricted",
        true,
    ),
    rule(
        "pss/run-as-user",
        "runAsUser not 0",
        Warn,
        Error,
        "PSS restricted",
        true,
    ),
    rule(
        "pss/seccomp",
        "seccomp RuntimeDefault or Localhost set",
        Warn,
        Error,
        "PSS restricted",
        true,
    ),
    rule(
        "pss/capabilities",
        "drop ALL; add at most NET_BIND_SERVICE",
        Warn,
        Error,
        "PSS restricted",
        true,
    ),
    rule(
        "image/floating-tag",
        "tag pinned to a version (no latest, no bare major like 3-latest, no missing tag), or a digest",
        Warn,
        Error,
        "checkov CKV_K8S_14/43, kube-score",
        true,
    ),
    rule(
        "image/pull-policy",
        "a mutable tag is not pulled with IfNotPresent",
        Warn,
        Warn,
        "checkov CKV_K8S_15",
        true,
    ),
    rule(
        "fs/read-only-root",
        "readOnlyRootFilesystem true",
        Warn,
        Warn,
        "checkov CKV_K8S_22, kube-linter, Polaris",
        true,
    ),
    rule(
        "pod/resources",
        "CPU and memory requests, and a memory limit, on every container",
        Warn,
        Warn,
        "checkov CKV_K8S_10–13, kube-score, Polaris",
        true,
    ),
    rule(
        "pod/probes",
        "long-running HTTP servers have readiness and liveness probes",
        Warn,
        Warn,
        "checkov CKV_K8S_8/9, kube-score",
        true,
    ),
    rule(
        "sa/token-automount",
        "pods that never call the Kubernetes API do not mount a token",
        Warn,
        Warn,
        "checkov CKV_K8S_38, Polaris",
        true,
    ),
    rule(
        "sa/default",
        "no workload runs as the namespace's default ServiceAccount",
        Warn,
        Error,
        "checkov CKV_K8S_41, kube-linter",
        true,
    ),
    rule(
        "rbac/wildcard",
        "no * in verbs, resources or apiGroups",
        Warn,
        Error,
        "checkov CKV_K8S_49, kube-linter wildcard-in-rules",
        true,
    ),
    rule(
        "rbac/secrets",
        "read access to Secrets only where a feature needs it, scoped with resourceNames where possible",
        Warn,
        Warn,
        "kube-linter access-to-secrets",
        true,
    ),
    rule(
        "rbac/escalation",
        "no bind, escalate or impersonate verbs; no create on pods/exec",
        Error,
        Error,
        "checkov CKV_K8S_155–158, kube-linter",
        false,
    ),
    rule(
        "secret/literal",
        "no literal value whose name says it is a credential (`…_PASSWORD`, `…_TOKEN`, `…_API_KEY`, `dbPassword`) in env, args, labels, annotations, ConfigMaps or base job templates",
        Error,
        Error,
        "checkov CKV_K8S_35; the charts' `admin:pass` defaults",
        false,
    ),
    unconditional(
        "secret/known-format",
        "no literal anywhere in the output has the form of a known credential (Prefect, AWS, GitHub, GitLab, Slack, Azure and Google keys, PEM private keys, JWTs, passwords in URLs)",
        "gitleaks and GitHub secret scanning formats; checkov CKV_SECRET_*",
    ),
    rule(
        "net/policy",
        "every emitted pod is selected by a NetworkPolicy the compiler derived from the site graph",
        Off,
        Warn,
        "kube-score networkpolicy-targets-pod",
        true,
    ),
    rule(
        "net/exposed-without-auth",
        "a server exposed through Ingress or Gateway has auth configured",
        Warn,
        Warn,
        "Prefect docs (self-hosted server has no users)",
        true,
    ),
    rule(
        "ns/default",
        "objects are not placed in the default namespace",
        Warn,
        Warn,
        "checkov CKV_K8S_21",
        true,
    ),
    rule(
        "prefect/version-skew",
        "workers and agents run the same Prefect minor version as the site's server",
        Warn,
        Warn,
        "Prefect compatibility notes",
        true,
    ),
    rule(
        "prefect/exporter-replicas",
        "the exporter runs one replica (several duplicate series)",
        Warn,
        Warn,
        "HELM-CHARTS.md §8 P-E1",
        true,
    ),
];

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    CATALOGUE.iter().find(|r| r.id == id)
}

/// The long explanation of a rule (`prefectc explain pss/run-as-user`).
pub fn explanation(rule: &Rule) -> &'static str {
    match rule.id {
        "pss/host-process" => include_str!("explain/policy/pss-host-process.md"),
        "pss/host-namespaces" => include_str!("explain/policy/pss-host-namespaces.md"),
        "pss/privileged" => include_str!("explain/policy/pss-privileged.md"),
        "pss/capabilities-baseline" => include_str!("explain/policy/pss-capabilities-baseline.md"),
        "pss/host-path" => include_str!("explain/policy/pss-host-path.md"),
        "pss/host-ports" => include_str!("explain/policy/pss-host-ports.md"),
        "pss/apparmor" => include_str!("explain/policy/pss-apparmor.md"),
        "pss/selinux" => include_str!("explain/policy/pss-selinux.md"),
        "pss/proc-mount" => include_str!("explain/policy/pss-proc-mount.md"),
        "pss/seccomp-baseline" => include_str!("explain/policy/pss-seccomp-baseline.md"),
        "pss/sysctls" => include_str!("explain/policy/pss-sysctls.md"),
        "pss/probe-host" => include_str!("explain/policy/pss-probe-host.md"),
        "pss/volume-types" => include_str!("explain/policy/pss-volume-types.md"),
        "pss/privilege-escalation" => include_str!("explain/policy/pss-privilege-escalation.md"),
        "pss/run-as-non-root" => include_str!("explain/policy/pss-run-as-non-root.md"),
        "pss/run-as-user" => include_str!("explain/policy/pss-run-as-user.md"),
        "pss/seccomp" => include_str!("explain/policy/pss-seccomp.md"),
        "pss/capabilities" => include_str!("explain/policy/pss-capabilities.md"),
        "image/floating-tag" => include_str!("explain/policy/image-floating-tag.md"),
        "image/pull-policy" => include_str!("explain/policy/image-pull-policy.md"),
        "fs/read-only-root" => include_str!("explain/policy/fs-read-only-root.md"),
        "pod/resources" => include_str!("explain/policy/pod-resources.md"),
        "pod/probes" => include_str!("explain/policy/pod-probes.md"),
        "sa/token-automount" => include_str!("explain/policy/sa-token-automount.md"),
        "sa/default" => include_str!("explain/policy/sa-default.md"),
        "rbac/wildcard" => include_str!("explain/policy/rbac-wildcard.md"),
        "rbac/secrets" => include_str!("explain/policy/rbac-secrets.md"),
        "rbac/escalation" => include_str!("explain/policy/rbac-escalation.md"),
        "secret/literal" => include_str!("explain/policy/secret-literal.md"),
        "secret/known-format" => include_str!("explain/policy/secret-known-format.md"),
        "net/policy" => include_str!("explain/policy/net-policy.md"),
        "net/exposed-without-auth" => include_str!("explain/policy/net-exposed-without-auth.md"),
        "ns/default" => include_str!("explain/policy/ns-default.md"),
        "prefect/version-skew" => include_str!("explain/policy/prefect-version-skew.md"),
        "prefect/exporter-replicas" => include_str!("explain/policy/prefect-exporter-replicas.md"),
        // Every catalogue id has an arm; a test checks it.
        _ => "",
    }
}
