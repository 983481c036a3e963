//! The wording of the policy stage. A check says what it found as a
//! [`Violation`] carrying data (the container, the capability, the image,
//! the port); this module turns it into the message, label and help of a
//! finding, words the notes a group of findings is reported with, and words
//! the stage's other diagnostics ([`Notice`]). Every sentence the policy
//! stage prints is written here, once.

use crate::diagnostics::rules::{Level, Rule};
use crate::diagnostics::{Code, Diagnostic, IntoDiagnostic, PolicyInfo, Severity};
use crate::model::{Kind, Prov};
use crate::source::Span;

use super::{Finding, Profile};

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
    FloatingTag { image: String, why: Floating },
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
    KnownFormat {
        holder: Holder,
        /// `a Prefect API key`.
        kind: &'static str,
    },
    /// `secret/literal`: a literal whose name says it is a credential.
    SecretLiteral { holder: Holder },
    /// `net/policy`.
    NoNetworkPolicy { pod: String },
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

/// The sentences of a finding.
pub struct Text {
    pub message: String,
    /// Says what is at the primary span.
    pub label: String,
    /// What to write instead.
    pub help: String,
}

const CREDENTIAL_HELP: &str = "move it into a Kubernetes Secret, pass it as `env = { NAME = secret(\"name\", \"key\") }` (args refer to it as `$(NAME)`), and rotate it";

const SELINUX_HELP: &str = "use the type `container_t`, `container_init_t`, `container_kvm_t` or (from Kubernetes 1.31) `container_engine_t`, and leave `user` and `role` unset";

const SECCOMP_UNCONFINED_HELP: &str =
    "remove `seccomp = unconfined` (the default is `runtime-default`)";

const EXPORTER_LABEL: &str = "every replica exports the same series";

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

    /// The message, label and help of a finding.
    pub fn text(&self) -> Text {
        let (message, label, help): (String, String, String) = match self {
            Violation::HostProcess => (
                "a Windows HostProcess container has full access to the node".into(),
                "HostProcess is asked for here".into(),
                "remove `windows-host-process = true` from `security`".into(),
            ),
            Violation::HostNamespace { field, k8s_field } => (
                format!("the pod shares the node's namespace ({k8s_field}: true)"),
                "this shares a namespace of the node".into(),
                format!("remove `{field} = true` from `security`"),
            ),
            Violation::Privileged { container } => (
                format!("container `{container}` runs privileged"),
                "a privileged container is root on the node".into(),
                "remove `privileged = true`; add the one capability the container needs instead"
                    .into(),
            ),
            Violation::CapabilityNotBaseline {
                container,
                capability,
            } => (
                format!("container `{container}` adds the capability `{capability}`"),
                "not in the Pod Security baseline set".into(),
                "remove it from `add-capabilities`; baseline allows AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT".into(),
            ),
            Violation::HostPath { volume, path } => (
                format!("volume `{volume}` mounts the node's directory `{path}`"),
                "a hostPath volume".into(),
                "use a `pvc`, `config-map`, `secret` or `empty-dir` volume instead".into(),
            ),
            Violation::HostPort { container, port } => (
                format!("container `{container}` opens port {port} on the node"),
                "a hostPort".into(),
                "remove `host-port`; expose the port through a Service".into(),
            ),
            Violation::AppArmorUnconfined => (
                "AppArmor is switched off (Unconfined)".into(),
                "unconfined".into(),
                "remove `apparmor = unconfined` (the runtime's default profile applies), or use `localhost` with a profile".into(),
            ),
            Violation::AppArmorAnnotation { key, value } => (
                format!("the annotation `{key}` sets the AppArmor profile `{value}`"),
                "unconfined".into(),
                "remove the annotation, or set `security.apparmor`".into(),
            ),
            Violation::SelinuxType { type_ } => (
                format!("the SELinux type `{type_}` is not allowed"),
                "SELinux labels".into(),
                SELINUX_HELP.into(),
            ),
            Violation::SelinuxUserOrRole => (
                "an SELinux user or role is set".into(),
                "SELinux labels".into(),
                SELINUX_HELP.into(),
            ),
            Violation::ProcMount { container } => (
                format!("container `{container}` mounts /proc unmasked"),
                "unmasked /proc".into(),
                "remove `proc-mount = unmasked`".into(),
            ),
            Violation::SeccompBaselineUnconfined => (
                "seccomp filtering is switched off (Unconfined)".into(),
                "unconfined".into(),
                SECCOMP_UNCONFINED_HELP.into(),
            ),
            Violation::SysctlNotYetSafe {
                sysctl,
                minor,
                since,
            } => (
                format!("the sysctl `{sysctl}` is not in the safe set of Kubernetes 1.{minor}"),
                format!("safe from Kubernetes 1.{since}"),
                format!(
                    "if the cluster runs Kubernetes 1.{since} or later, raise the site's \
                     `kubernetes = \"1.{since}\"` (or `--kubernetes 1.{since}`); otherwise \
                     remove it from `sysctls`"
                ),
            ),
            Violation::SysctlUnsafe { sysctl } => (
                format!("the sysctl `{sysctl}` is not in the safe set"),
                "an unsafe sysctl".into(),
                "remove it from `sysctls`; only namespaced, isolated sysctls (such as \
                 `net.ipv4.ip_local_port_range`) are allowed"
                    .into(),
            ),
            Violation::ProbeHost {
                probe,
                container,
                host,
            } => (
                format!("the {probe} probe of `{container}` checks the host `{host}`"),
                "a probe host".into(),
                "remove `host`: a probe checks the pod's own address".into(),
            ),
            Violation::VolumeType { volume, type_ } => (
                format!("volume `{volume}` is of type {type_}"),
                "not a restricted volume type".into(),
                "use a `pvc` (a PersistentVolumeClaim can bind the same storage), `config-map`, `secret` or `empty-dir` volume".into(),
            ),
            Violation::PrivilegeEscalation { container } => (
                format!("container `{container}` allows privilege escalation"),
                "setuid binaries can gain privileges".into(),
                "keep `allow-privilege-escalation` false (the default); Kubernetes turns it on for privileged containers and CAP_SYS_ADMIN".into(),
            ),
            Violation::RootAllowed { container } => (
                format!("container `{container}` may run as root"),
                "runAsNonRoot is false".into(),
                "remove `run-as-non-root = false` (the default is true)".into(),
            ),
            Violation::NonRootUnset { container } => (
                format!("container `{container}` does not set runAsNonRoot"),
                "runAsNonRoot is unset".into(),
                "set `run-as-non-root = true` in `security`".into(),
            ),
            Violation::RootUser => (
                "the workload runs as root (runAsUser 0)".into(),
                "user 0 is root".into(),
                "remove `run-as-user = 0` (the default user is 10001), or set another non-zero user".into(),
            ),
            Violation::SeccompUnconfined { container } => (
                format!("container `{container}` has no seccomp filter"),
                "not RuntimeDefault or Localhost".into(),
                SECCOMP_UNCONFINED_HELP.into(),
            ),
            Violation::SeccompUnset { container } => (
                format!("container `{container}` sets no seccomp profile"),
                "no seccomp profile".into(),
                "set `seccomp = runtime-default` in `security`".into(),
            ),
            Violation::CapabilitiesKept { container } => (
                format!("container `{container}` does not drop ALL capabilities"),
                "capabilities are kept".into(),
                "drop ALL capabilities".into(),
            ),
            Violation::CapabilityAdded {
                container,
                capability,
            } => (
                format!("container `{container}` adds the capability `{capability}`"),
                "restricted allows only NET_BIND_SERVICE".into(),
                "remove it from `add-capabilities`".into(),
            ),
            Violation::FloatingTag { image, why } => (
                format!("the image `{image}` is not pinned: {}", why.text()),
                "a floating tag".into(),
                "pin a version (`prefecthq/prefect:3.4.25-python3.12`) or a digest (`…@sha256:…`)"
                    .into(),
            ),
            Violation::PullIfNotPresent { image } => (
                format!("the mutable image `{image}` is pulled only if not present"),
                "each node keeps whichever image it pulled first".into(),
                "pin the tag, or set `image-pull-policy = always`".into(),
            ),
            Violation::WritableRoot { container } => (
                format!("container `{container}` can write to its root filesystem"),
                "a writable root filesystem".into(),
                "remove `read-only-root-filesystem = false`; mount an `empty-dir` volume where the container writes".into(),
            ),
            Violation::MissingResources { container, missing } => (
                format!("container `{container}` has no {}", missing.join(", ")),
                "incomplete resources".into(),
                format!(
                    "set {} in `resources`, e.g. `resources = {{ requests = {{ cpu = 100m, memory = 256Mi }}, limits = {{ memory = 512Mi }} }}`",
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            Violation::MissingProbes { container, missing } => (
                format!(
                    "container `{container}` serves a port but has no {} probe",
                    missing.join(" or ")
                ),
                "a server without health checks".into(),
                format!(
                    "add {} to the container",
                    missing
                        .iter()
                        .map(|m| format!("`{m}-probe = {{ path = \"/health\", port = … }}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            ),
            Violation::UnusedToken { pod } => (
                format!("{pod} mounts a Kubernetes API token it has no use for"),
                "the token is mounted".into(),
                "its ServiceAccount is granted nothing: do not mount the token (remove what asked for it)".into(),
            ),
            Violation::DefaultServiceAccount { pod } => (
                format!("{pod} runs as the namespace's default ServiceAccount"),
                "the account every pod of the namespace shares".into(),
                "remove `service-account`: prefectc then creates an account for the component, with only the permissions it needs".into(),
            ),
            Violation::RbacWildcard { object, fields } => (
                format!("a rule of {object} grants `*` in {}", fields.join(", ")),
                "a wildcard grants everything, including what exists tomorrow".into(),
                format!(
                    "list exactly the {} the workload needs, e.g. `verbs = [\"get\", \"list\"]`",
                    fields.join(" and ")
                ),
            ),
            Violation::RbacSecrets {
                object,
                namespace,
                verbs,
            } => (
                format!("a rule of {object} lets the workload read every Secret in `{namespace}`"),
                format!("{} on all Secrets", verbs.join(", ")),
                "name the Secrets it needs: `resource-names = [\"…\"]` (and `verbs = [\"get\"]`)"
                    .into(),
            ),
            Violation::RbacEscalation {
                object,
                grant,
                api_groups,
                resources,
                verbs,
            } => (
                format!("a rule of {object} grants {}", grant.text()),
                format!("apiGroups {api_groups:?}, resources {resources:?}, verbs {verbs:?}"),
                "remove the rule: a Prefect workload never needs to grant or assume permissions (only a site-wide `policy = privileged` lets it through, as a warning)".into(),
            ),
            Violation::KnownFormat { holder, kind } => (
                format!("{} holds {kind}", holder.text()),
                format!("{kind} written in source"),
                CREDENTIAL_HELP.into(),
            ),
            Violation::SecretLiteral { holder } => (
                format!(
                    "{} is written as a literal, and its name says it is a credential",
                    holder.text()
                ),
                "a credential in source".into(),
                CREDENTIAL_HELP.into(),
            ),
            Violation::NoNetworkPolicy { pod } => (
                format!("no NetworkPolicy selects the pods of {pod}"),
                "its pods accept and send any traffic".into(),
                "remove `network-policies = false` from the site: prefectc then derives the policies from the site graph".into(),
            ),
            Violation::ExposedWithoutAuth { server, field } => (
                format!("server `{server}` is exposed through its {field} without authentication"),
                "anyone who reaches this address can run flows".into(),
                "add `auth = basic { credentials = secret(\"prefect-auth\", \"auth-string\") }`, or put authentication in front of it".into(),
            ),
            Violation::DefaultNamespace => (
                "objects are placed in the `default` namespace".into(),
                "the namespace every unqualified `kubectl` command lands in".into(),
                "give the site its own namespace, e.g. `namespace = \"prefect\"`".into(),
            ),
            Violation::DefaultJobNamespace => (
                "objects are placed in the `default` namespace".into(),
                "the namespace every unqualified `kubectl` command lands in".into(),
                "run flow-run Jobs in a namespace of their own: replace `\"default\"` in `job-namespaces`".into(),
            ),
            Violation::VersionSkew {
                kind,
                component,
                version,
                server,
                server_version,
            } => (
                format!(
                    "{} `{component}` runs Prefect {version} against server `{server}` on Prefect {server_version}",
                    kind.as_str()
                ),
                "this image decides the Prefect version of one side".into(),
                "run one Prefect minor version on both sides: leave `image` unset on both to follow `site.prefect`, or pin both to the same minor".into(),
            ),
            Violation::ExporterAutoscales { exporter } => (
                format!("exporter `{exporter}` autoscales to several replicas"),
                EXPORTER_LABEL.into(),
                "remove `autoscaling`: one exporter serves every scrape, and Prometheus would count every series once per replica".into(),
            ),
            Violation::ExporterReplicas { exporter, replicas } => (
                format!("exporter `{exporter}` runs {replicas} replicas"),
                EXPORTER_LABEL.into(),
                "set `replicas = 1`: Prometheus would scrape each replica and count every series several times".into(),
            ),
        };
        Text {
            message,
            label,
            help,
        }
    }
}

impl Floating {
    fn text(&self) -> String {
        match self {
            Floating::NoTag => "it has no tag, which means `latest`".into(),
            Floating::Rolling { tag } => format!("`{tag}` is a rolling tag"),
            Floating::MajorOnly { tag, major } => {
                format!(
                    "`{tag}` names only the major version {major}, which moves with every release"
                )
            }
        }
    }
}

impl Escalation {
    fn text(&self) -> String {
        match self {
            Escalation::Verb(v) => format!("the verb `{v}`"),
            Escalation::PodsExec => "`create` on `pods/exec` (a shell in any pod)".into(),
            Escalation::WildcardOnIdentities => {
                "`*` on RBAC objects or identities (bind, escalate, impersonate)".into()
            }
        }
    }
}

impl Container {
    /// ` of container \`c\``.
    fn suffix(container: Option<&Container>) -> String {
        container.map_or_else(String::new, |c| {
            let kind = if c.init {
                "init container"
            } else {
                "container"
            };
            format!(" of {kind} `{}`", c.name)
        })
    }
}

impl Holder {
    /// "the env var `X` of container `c`", "the annotation `a`".
    fn text(&self) -> String {
        match self {
            Holder::EnvVar { name, container } => {
                format!(
                    "the env var `{name}`{}",
                    Container::suffix(container.as_ref())
                )
            }
            Holder::Argument { flag, container } => {
                format!(
                    "the argument `{flag}`{}",
                    Container::suffix(container.as_ref())
                )
            }
            Holder::Label(k) => format!("the label `{k}`"),
            Holder::Annotation(k) => format!("the annotation `{k}`"),
            Holder::ConfigMapKey(k) => format!("the ConfigMap key `{k}`"),
            Holder::Field { field, container } => {
                format!("`{field}`{}", Container::suffix(Some(container)))
            }
            Holder::Path(keys) => format!("`{}`", keys.join(".")),
            Holder::Json {
                path,
                within,
                container,
            } => {
                let outer = match within {
                    JsonHolder::Of(k) => format!("the JSON of `{k}`"),
                    JsonHolder::In(k) => format!("the JSON in `{k}`"),
                    JsonHolder::Unnamed => "a JSON value".to_string(),
                };
                format!(
                    "`{}` in {outer}{}",
                    path.join("."),
                    Container::suffix(container.as_ref())
                )
            }
        }
    }
}

/// `worker installer`, for notes: the component whose header a finding's
/// origin is, if any.
pub fn component_name(owner: Option<(Kind, &str)>) -> String {
    owner.map_or_else(
        || "the component".to_string(),
        |(kind, name)| format!("`{} {name}`", kind.as_str()),
    )
}

/// Findings of one rule at one place in the source, reported as one
/// diagnostic.
pub struct Group<'a> {
    pub rule: &'static Rule,
    /// At least one.
    pub findings: &'a [Finding],
    /// The component of the first finding's origin.
    pub owner: Option<(Kind, &'a str)>,
    pub profile: Profile,
    pub level: Level,
}

impl IntoDiagnostic for Group<'_> {
    fn into_diagnostic(self) -> Diagnostic {
        let Group {
            rule,
            findings,
            owner,
            profile,
            level,
        } = self;
        let first = &findings[0];
        let text = first.violation.text();
        let mut d = Diagnostic::new(Code::Rule(rule), first.span(), text.message)
            .label(text.label)
            .help(text.help);
        d.severity = if level == Level::Error {
            Severity::Error
        } else {
            Severity::Warning
        };
        match &first.prov {
            Some(Prov::Default { field, .. }) => {
                let owner = component_name(owner);
                d = d.note(format!(
                    "this comes from the default of `{field}` of {owner}: set `{field}` there to change it"
                ));
            }
            None => {
                let owner = component_name(owner);
                d = d.note(format!("prefectc generates this for {owner}"));
            }
            Some(Prov::Source(_)) => {}
        }
        let mut unique: Vec<&str> = Vec::new();
        for p in findings.iter().map(|f| f.place.as_str()) {
            if !unique.contains(&p) {
                unique.push(p);
            }
        }
        d = d.note(format!("found in {}", unique.join(", ")));
        let level_text = if level == Level::Error {
            "an error"
        } else {
            "a warning"
        };
        d = d.note(format!(
            "`{}` is {level_text} under the `{}` profile (`prefectc explain {}`)",
            rule.id,
            profile.as_str(),
            rule.id
        ));
        d.policy = Some(PolicyInfo {
            profile: profile.as_str(),
            waived_by: None,
        });
        d
    }
}

/// A finding's diagnostic whose waiver has expired: it names the waiver.
pub fn waiver_expired(d: Diagnostic, waiver: Span, until: &str) -> Diagnostic {
    d.with_secondary(waiver, format!("this waiver expired on {until}"))
        .note(format!(
            "the waiver expired on {until}: renew `until` only if the reason still holds"
        ))
}

/// The policy stage's diagnostics that are not findings.
pub enum Notice {
    /// On OpenShift `pss/run-as-user` is satisfied by the restricted-v2
    /// SCC, not by the manifests.
    OpenshiftRunAsUser {
        rule: &'static Rule,
        /// The site's `platform`.
        platform: Span,
        profile: Profile,
    },
    /// W0511: an active waiver expires within the notice period.
    WaiverExpiresSoon {
        waiver: Span,
        component: Span,
        days_left: i64,
        until: String,
    },
    /// W0504: a rule id of a waiver matched no finding.
    DeadWaiver {
        at: Span,
        component: Span,
        rule: String,
        /// The profile, when the rule does not run under it.
        off_under: Option<Profile>,
    },
}

impl IntoDiagnostic for Notice {
    fn into_diagnostic(self) -> Diagnostic {
        match self {
            Notice::OpenshiftRunAsUser {
                rule,
                platform,
                profile,
            } => {
                let mut d = Diagnostic::new(
                    Code::Rule(rule),
                    platform,
                    "`pss/run-as-user` is satisfied by OpenShift's restricted-v2 SCC",
                )
                .label("runAsUser, runAsGroup and fsGroup are left unset")
                .help("nothing to change: leave `run-as-user` unset on OpenShift")
                .note("the SCC assigns every pod a non-root user from the namespace's UID range");
                d.severity = Severity::Note;
                d.policy = Some(PolicyInfo {
                    profile: profile.as_str(),
                    waived_by: None,
                });
                d
            }
            Notice::WaiverExpiresSoon {
                waiver,
                component,
                days_left,
                until,
            } => {
                let when = match days_left {
                    0 => "today".to_string(),
                    1 => "tomorrow".to_string(),
                    n => format!("in {n} days"),
                };
                Diagnostic::new(
                    Code::WaiverExpiresSoon,
                    waiver,
                    format!("this waiver expires {when}, on {until}"),
                )
                .label("expires soon")
                .with_secondary(component, "in this component")
                .help(format!(
                    "fix what it waives before {until}, or move `until` later if the reason still holds"
                ))
            }
            Notice::DeadWaiver {
                at,
                component,
                rule,
                off_under,
            } => {
                let mut d = Diagnostic::new(
                    Code::DeadWaiver,
                    at,
                    format!("the waiver of `{rule}` matches no finding"),
                )
                .label("nothing to waive here")
                .with_secondary(component, "in this component")
                .help("remove the rule id from `@allow` (or the whole waiver)");
                if let Some(profile) = off_under {
                    d = d.note(format!(
                        "`{rule}` does not run under the `{}` profile",
                        profile.as_str()
                    ));
                }
                d
            }
        }
    }
}
