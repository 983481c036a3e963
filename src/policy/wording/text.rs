//! The message, label and help of each [`Violation`].

use super::{Container, Credential, Escalation, Floating, Holder, JsonHolder, Violation};

/// The sentences of a finding.
pub struct Text {
    pub message: String,
    /// Says what is at the primary span.
    pub label: String,
    /// What to write instead.
    pub help: String,
}

/// What to do with a credential found in `holder`: what applies where it
/// is written (a label cannot read a Secret; a derived variable is set
/// through the field it comes from, not through `env`).
fn credential_help(holder: &Holder) -> String {
    match holder {
        Holder::EnvVar { .. }
        | Holder::Argument { .. }
        | Holder::Field { .. }
        | Holder::Path(_)
        | Holder::Json {
            container: Some(_), ..
        } => {
            "put it in a Kubernetes Secret and write `secret(\"name\", \"key\")` where the literal is (in a container's environment: `env = { NAME = secret(\"name\", \"key\") }`, which args read as `$(NAME)`), then rotate it".into()
        }
        Holder::Label(_) | Holder::Annotation(_) => {
            "remove it: anyone who can list the object reads its labels and annotations; keep the credential in a Kubernetes Secret the workload reads, then rotate it".into()
        }
        Holder::ConfigMapKey(_) | Holder::Json { container: None, .. } => {
            "read it from a Kubernetes Secret instead (in a job template, `\"valueFrom\": {\"secretKeyRef\": {\"name\": …, \"key\": …}}`); a ConfigMap is readable by anyone who can read the namespace's configuration; then rotate it".into()
        }
    }
}

/// The capabilities Pod Security baseline allows.
pub(super) const BASELINE_CAPABILITIES: &str = "baseline allows AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT";

pub(super) const SELINUX_HELP: &str = "use the type `container_t`, `container_init_t`, `container_kvm_t` or (from Kubernetes 1.31) `container_engine_t`, and leave `user` and `role` unset";

const SECCOMP_UNCONFINED_HELP: &str =
    "remove `seccomp = unconfined` (the default is `runtime-default`)";

const EXPORTER_LABEL: &str = "every replica exports the same series";

impl Violation {
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
                format!("remove it from `add-capabilities`; {BASELINE_CAPABILITIES}"),
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
            Violation::FloatingTag { image, why, pinned } => (
                format!("the image `{image}` is not pinned: {}", why.text()),
                "a floating tag".into(),
                format!("pin a version (`{pinned}`) or a digest (`…@sha256:…`)"),
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
                    "list exactly the {} the workload needs, e.g. {}",
                    fields.join(" and "),
                    fields
                        .iter()
                        .map(|f| match *f {
                            "verbs" => "`verbs = [\"get\", \"list\"]`",
                            "resources" => "`resources = [\"jobs\", \"pods\"]`",
                            _ => "`api-groups = [\"batch\"]`",
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
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
                format!("{} holds {}", holder.text(), kind.noun()),
                format!("{} written in source", kind.noun()),
                credential_help(holder),
            ),
            Violation::SecretLiteral { holder } => (
                format!(
                    "{} is written as a literal, and its name says it is a credential",
                    holder.text()
                ),
                "a credential in source".into(),
                credential_help(holder),
            ),
            Violation::NoNetworkPolicy { pod, label: None } => (
                format!("no NetworkPolicy selects the pods of {pod}"),
                "its pods accept and send any traffic".into(),
                "remove `network-policies = false` from the site: prefectc then derives the policies from the site graph".into(),
            ),
            Violation::NoNetworkPolicy {
                pod,
                label: Some((key, value)),
            } => (
                format!("no NetworkPolicy selects the pods of {pod}"),
                "its pods accept and send any traffic".into(),
                format!(
                    "label the template's pods: `\"metadata\": {{\"labels\": {{\"{key}\": \"{value}\"}}}}` in `job_manifest.spec.template`; the pool's flow-run NetworkPolicy selects them by it"
                ),
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
            Floating::LineOnly { tag, line } => {
                format!(
                    "`{tag}` names only the release line {line}, which moves with every patch release"
                )
            }
        }
    }
}

impl Credential {
    /// `a Prefect API key`.
    pub fn noun(self) -> &'static str {
        match self {
            Credential::PemPrivateKey => "a PEM private key",
            Credential::GoogleServiceAccountKey => "a Google service-account key",
            Credential::PrefectApiKey => "a Prefect API key",
            Credential::AwsAccessKeyId => "an AWS access key id",
            Credential::AwsSecretAccessKey => "an AWS secret access key",
            Credential::GitHubToken => "a GitHub token",
            Credential::GitLabToken => "a GitLab token",
            Credential::SlackToken => "a Slack token",
            Credential::AzureStorageAccountKey => "an Azure storage account key",
            Credential::JsonWebToken => "a JSON Web Token",
            Credential::WebhookUrl => "a webhook URL",
            Credential::UrlPassword => "a password in a URL",
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Wordings no fixture reaches, as the checks wrote them inline.
    #[test]
    fn wordings_no_fixture_reaches() {
        let message = |v: Violation| v.text().message;
        let setup = Container {
            init: true,
            name: "setup".into(),
        };
        assert_eq!(
            message(Violation::SecretLiteral {
                holder: Holder::Json {
                    path: vec!["a".into(), "0".into()],
                    within: JsonHolder::Unnamed,
                    container: Some(setup.clone()),
                }
            }),
            "`a.0` in a JSON value of init container `setup` is written as a literal, and its name says it is a credential"
        );
        let known = Violation::KnownFormat {
            holder: Holder::ConfigMapKey("token".into()),
            kind: Credential::GitHubToken,
        };
        assert_eq!(known.rule(), "secret/known-format");
        let text = known.text();
        assert_eq!(
            text.message,
            "the ConfigMap key `token` holds a GitHub token"
        );
        assert_eq!(text.label, "a GitHub token written in source");
        assert_eq!(
            message(Violation::KnownFormat {
                holder: Holder::Field {
                    field: "command".into(),
                    container: setup,
                },
                kind: Credential::PemPrivateKey,
            }),
            "`command` of init container `setup` holds a PEM private key"
        );
        assert_eq!(
            message(Violation::RbacEscalation {
                object: "Role/w".into(),
                grant: Escalation::WildcardOnIdentities,
                api_groups: vec![String::new()],
                resources: vec!["roles".into()],
                verbs: vec!["*".into()],
            }),
            "a rule of Role/w grants `*` on RBAC objects or identities (bind, escalate, impersonate)"
        );
        let autoscales = Violation::ExporterAutoscales {
            exporter: "metrics".into(),
        }
        .text();
        assert_eq!(
            autoscales.message,
            "exporter `metrics` autoscales to several replicas"
        );
        assert_eq!(autoscales.label, "every replica exports the same series");
        assert_eq!(
            message(Violation::SysctlUnsafe {
                sysctl: "kernel.msgmax".into()
            }),
            "the sysctl `kernel.msgmax` is not in the safe set"
        );
    }
}
