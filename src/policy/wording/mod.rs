//! The wording of the policy stage. A check says what it found as a
//! [`Violation`] carrying data (the container, the capability, the image,
//! the port); this module turns it into the message, label and help of a
//! finding, words the notes a group of findings is reported with, and words
//! the stage's other diagnostics ([`Notice`]). Every sentence the policy
//! stage prints is written here, once.
//!
//! [`Violation`] and the data it carries are here; `text.rs` words a
//! violation, `manifest.rs` its help for a pod of a worker's own base job
//! template (in the Job manifest's terms), `report.rs` the diagnostics
//! findings are reported as and the stage's other diagnostics.

mod manifest;
mod report;
mod text;

use crate::model::Kind;

#[cfg(test)]
pub use report::component_name;
pub use report::{Group, Notice, waiver_expired};

/// One violation of a rule, as data. Each variant belongs to one rule
/// ([`Violation::rule`]); a rule may have several.
#[derive(Debug, Clone)]
pub enum Violation {
    /// `pss/host-process`: a Windows HostProcess container.
    HostProcess,
    /// `pss/host-namespaces`: `hostNetwork`, `hostPID` or `hostIPC`.
    HostNamespace {
        /// The `.pfk` field: `host-network`.
        field: &'static str,
        /// The Kubernetes field: `hostNetwork`.
        k8s_field: &'static str,
    },
    /// `pss/privileged`.
    Privileged { container: String },
    /// `pss/capabilities-baseline`: a capability outside the baseline set.
    CapabilityNotBaseline {
        container: String,
        capability: String,
    },
    /// `pss/host-path`.
    HostPath { volume: String, path: String },
    /// `pss/host-ports`.
    HostPort { container: String, port: i64 },
    /// `pss/apparmor`: `Unconfined` in the security context.
    AppArmorUnconfined,
    /// `pss/apparmor`: the beta annotation sets another profile.
    AppArmorAnnotation { key: String, value: String },
    /// `pss/selinux`: a type outside the allowed set.
    SelinuxType { type_: String },
    /// `pss/selinux`: a user or role is set.
    SelinuxUserOrRole,
    /// `pss/proc-mount`: an unmasked /proc.
    ProcMount { container: String },
    /// `pss/seccomp-baseline`: `Unconfined`.
    SeccompBaselineUnconfined,
    /// `pss/sysctls`: safe only from a later Kubernetes than the site's.
    SysctlNotYetSafe {
        sysctl: String,
        /// The `1.x` minor the site targets.
        minor: u32,
        /// The minor that made it safe.
        since: u32,
    },
    /// `pss/sysctls`: not in the safe set.
    SysctlUnsafe { sysctl: String },
    /// `pss/probe-host`.
    ProbeHost {
        /// `startup`, `liveness` or `readiness`.
        probe: &'static str,
        container: String,
        host: String,
    },
    /// `pss/volume-types`.
    VolumeType {
        volume: String,
        /// The Kubernetes volume type: `hostPath`, `nfs`.
        type_: &'static str,
    },
    /// `pss/privilege-escalation`.
    PrivilegeEscalation { container: String },
    /// `pss/run-as-non-root`: `runAsNonRoot: false`.
    RootAllowed { container: String },
    /// `pss/run-as-non-root`: unset.
    NonRootUnset { container: String },
    /// `pss/run-as-user`: `runAsUser: 0`.
    RootUser,
    /// `pss/seccomp`: a profile other than RuntimeDefault or Localhost.
    SeccompUnconfined { container: String },
    /// `pss/seccomp`: no profile.
    SeccompUnset { container: String },
    /// `pss/capabilities`: ALL is not dropped.
    CapabilitiesKept { container: String },
    /// `pss/capabilities`: a capability other than NET_BIND_SERVICE.
    CapabilityAdded {
        container: String,
        capability: String,
    },
    /// `image/floating-tag`.
    FloatingTag {
        image: String,
        why: Floating,
        /// The image pinned, for the help: a Prefect image at the site's
        /// release, any other at a placeholder version.
        pinned: String,
    },
    /// `image/pull-policy`: a floating image pulled `IfNotPresent`.
    PullIfNotPresent { image: String },
    /// `fs/read-only-root`.
    WritableRoot { container: String },
    /// `pod/resources`.
    MissingResources {
        container: String,
        /// `requests.cpu`, `requests.memory`, `limits.memory`.
        missing: Vec<&'static str>,
    },
    /// `pod/probes`.
    MissingProbes {
        container: String,
        /// `readiness`, `liveness`.
        missing: Vec<&'static str>,
    },
    /// `sa/token-automount`: a token mounted for an account granted nothing.
    UnusedToken { pod: String },
    /// `sa/default`.
    DefaultServiceAccount { pod: String },
    /// `rbac/wildcard`.
    RbacWildcard {
        object: String,
        /// `verbs`, `resources`, `api-groups`.
        fields: Vec<&'static str>,
    },
    /// `rbac/secrets`: reads every Secret of a namespace.
    RbacSecrets {
        object: String,
        namespace: String,
        /// The reading verbs granted.
        verbs: Vec<String>,
    },
    /// `rbac/escalation`.
    RbacEscalation {
        object: String,
        grant: Escalation,
        api_groups: Vec<String>,
        resources: Vec<String>,
        verbs: Vec<String>,
    },
    /// `secret/known-format`: a value of a known credential format.
    KnownFormat { holder: Holder, kind: Credential },
    /// `secret/literal`: a literal whose name says it is a credential.
    SecretLiteral { holder: Holder },
    /// `net/policy`.
    /// `label`: for a flow-run pod of a worker's own template, the label
    /// its pool's NetworkPolicy selects, which the template's pods lack.
    NoNetworkPolicy {
        pod: String,
        label: Option<(String, String)>,
    },
    /// `net/exposed-without-auth`.
    ExposedWithoutAuth {
        server: String,
        /// `ingress` or `gateway`.
        field: &'static str,
    },
    /// `ns/default`: the site's namespace.
    DefaultNamespace,
    /// `ns/default`: a worker's `job-namespaces` entry.
    DefaultJobNamespace,
    /// `prefect/version-skew`.
    VersionSkew {
        kind: Kind,
        component: String,
        /// The client's Prefect minor: `3.4`.
        version: String,
        server: String,
        server_version: String,
    },
    /// `prefect/exporter-replicas`: autoscaling above one replica.
    ExporterAutoscales { exporter: String },
    /// `prefect/exporter-replicas`: `replicas` above one.
    ExporterReplicas { exporter: String, replicas: i64 },
}

/// Why an image reference may change under the same name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Floating {
    /// No tag, which means `latest`.
    NoTag,
    /// `latest`, `stable`, `nightly`, …
    Rolling { tag: String },
    /// A bare major version: `3`, `v2`, `3-python3.11-kubernetes`.
    MajorOnly { tag: String, major: String },
    /// A Prefect release line without its patch: `3.3-python3.12`.
    LineOnly { tag: String, line: String },
}

/// A known credential format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    PemPrivateKey,
    GoogleServiceAccountKey,
    PrefectApiKey,
    AwsAccessKeyId,
    AwsSecretAccessKey,
    GitHubToken,
    GitLabToken,
    SlackToken,
    AzureStorageAccountKey,
    JsonWebToken,
    /// An incoming-webhook URL whose path is the secret (Slack, Discord,
    /// Microsoft Teams).
    WebhookUrl,
    /// A password in the userinfo of a URL.
    UrlPassword,
}

/// What an RBAC rule grants that escalates.
#[derive(Debug, Clone)]
pub enum Escalation {
    /// `bind`, `escalate` or `impersonate`.
    Verb(&'static str),
    /// `create` on `pods/exec`.
    PodsExec,
    /// `*` on RBAC objects or identities.
    WildcardOnIdentities,
}

/// What holds a string of an emitted object, for the credential rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// An env var.
    EnvVar {
        name: String,
        container: Option<Container>,
    },
    /// An argument of a container: `--password=…`.
    Argument {
        flag: String,
        container: Option<Container>,
    },
    Label(String),
    Annotation(String),
    ConfigMapKey(String),
    /// Another field of a container: `command`.
    Field {
        field: String,
        container: Container,
    },
    /// Any other field, by its path.
    Path(Vec<String>),
    /// A value inside a string that is JSON, by its path there.
    Json {
        path: Vec<String>,
        within: JsonHolder,
        container: Option<Container>,
    },
}

/// A container, as [`Holder`] names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Container {
    pub init: bool,
    pub name: String,
}

/// The field whose string value is JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonHolder {
    /// A document: `the JSON of \`baseJobTemplate\``.
    Of(String),
    /// `the JSON in \`x\``.
    In(String),
    /// No field names it.
    Unnamed,
}

impl Violation {
    /// The id of the rule it violates.
    pub fn rule(&self) -> &'static str {
        match self {
            Violation::HostProcess => "pss/host-process",
            Violation::HostNamespace { .. } => "pss/host-namespaces",
            Violation::Privileged { .. } => "pss/privileged",
            Violation::CapabilityNotBaseline { .. } => "pss/capabilities-baseline",
            Violation::HostPath { .. } => "pss/host-path",
            Violation::HostPort { .. } => "pss/host-ports",
            Violation::AppArmorUnconfined | Violation::AppArmorAnnotation { .. } => "pss/apparmor",
            Violation::SelinuxType { .. } | Violation::SelinuxUserOrRole => "pss/selinux",
            Violation::ProcMount { .. } => "pss/proc-mount",
            Violation::SeccompBaselineUnconfined => "pss/seccomp-baseline",
            Violation::SysctlNotYetSafe { .. } | Violation::SysctlUnsafe { .. } => "pss/sysctls",
            Violation::ProbeHost { .. } => "pss/probe-host",
            Violation::VolumeType { .. } => "pss/volume-types",
            Violation::PrivilegeEscalation { .. } => "pss/privilege-escalation",
            Violation::RootAllowed { .. } | Violation::NonRootUnset { .. } => "pss/run-as-non-root",
            Violation::RootUser => "pss/run-as-user",
            Violation::SeccompUnconfined { .. } | Violation::SeccompUnset { .. } => "pss/seccomp",
            Violation::CapabilitiesKept { .. } | Violation::CapabilityAdded { .. } => {
                "pss/capabilities"
            }
            Violation::FloatingTag { .. } => "image/floating-tag",
            Violation::PullIfNotPresent { .. } => "image/pull-policy",
            Violation::WritableRoot { .. } => "fs/read-only-root",
            Violation::MissingResources { .. } => "pod/resources",
            Violation::MissingProbes { .. } => "pod/probes",
            Violation::UnusedToken { .. } => "sa/token-automount",
            Violation::DefaultServiceAccount { .. } => "sa/default",
            Violation::RbacWildcard { .. } => "rbac/wildcard",
            Violation::RbacSecrets { .. } => "rbac/secrets",
            Violation::RbacEscalation { .. } => "rbac/escalation",
            Violation::KnownFormat { .. } => "secret/known-format",
            Violation::SecretLiteral { .. } => "secret/literal",
            Violation::NoNetworkPolicy { .. } => "net/policy",
            Violation::ExposedWithoutAuth { .. } => "net/exposed-without-auth",
            Violation::DefaultNamespace | Violation::DefaultJobNamespace => "ns/default",
            Violation::VersionSkew { .. } => "prefect/version-skew",
            Violation::ExporterAutoscales { .. } | Violation::ExporterReplicas { .. } => {
                "prefect/exporter-replicas"
            }
        }
    }
}
