//! The help of a finding in the flow-run pod of a worker's own base job
//! template. That pod is written in the template's Job manifest, in
//! Kubernetes' JSON field names, not in `.pfk` fields: "remove
//! `proc-mount = unmasked`" cannot be applied there. Each violation a
//! template's pod can have says here what to write in the manifest
//! instead; `None` keeps the help of `text.rs`, which is right there too
//! (it names no `.pfk` field of the pod, or the field is the site's).
//!
//! The match has no catch-all arm: a new violation decides here.

use super::Violation;
use super::text::{BASELINE_CAPABILITIES, SELINUX_HELP};

const SECCOMP: &str = "set `\"seccompProfile\": {\"type\": \"RuntimeDefault\"}` in the pod's `securityContext` and remove every `\"Unconfined\"` profile from the containers' `securityContext`";

const NON_ROOT: &str = "set `\"runAsNonRoot\": true` in the pod's `securityContext` (`job_manifest.spec.template.spec.securityContext`) and remove `\"runAsNonRoot\": false` from the containers'";

impl Violation {
    /// What to write in the Job manifest of a worker's own base job
    /// template instead of what the finding points at; `None` when the
    /// help of [`Violation::text`] applies there as written.
    pub fn manifest_help(&self) -> Option<String> {
        let help = match self {
            Violation::HostProcess => {
                "remove `\"hostProcess\": true` from `windowsOptions` in the pod's and the containers' `securityContext`".into()
            }
            Violation::HostNamespace { k8s_field, .. } => {
                format!("remove `\"{k8s_field}\": true` from the pod spec (`job_manifest.spec.template.spec`)")
            }
            Violation::Privileged { container } => format!(
                "remove `\"privileged\": true` from the `securityContext` of container `{container}`; add the one capability it needs to `capabilities.add` instead"
            ),
            Violation::CapabilityNotBaseline { .. } => format!(
                "remove it from `securityContext.capabilities.add` of the container; {BASELINE_CAPABILITIES}"
            ),
            Violation::CapabilityAdded { .. } => {
                "remove it from `securityContext.capabilities.add` of the container (restricted allows only NET_BIND_SERVICE)".into()
            }
            Violation::CapabilitiesKept { container } => format!(
                "set `\"capabilities\": {{\"drop\": [\"ALL\"]}}` in the `securityContext` of container `{container}`"
            ),
            Violation::HostPath { .. } => {
                "replace the `hostPath` volume with a `persistentVolumeClaim`, `configMap`, `secret` or `emptyDir` volume".into()
            }
            Violation::VolumeType { .. } => {
                "replace it with a `persistentVolumeClaim` (a PersistentVolumeClaim can bind the same storage), `configMap`, `secret` or `emptyDir` volume".into()
            }
            Violation::HostPort { .. } => {
                "remove `hostPort` from the container's `ports`; expose the port through a Service".into()
            }
            Violation::AppArmorUnconfined => {
                "remove `\"appArmorProfile\": {\"type\": \"Unconfined\"}` (the runtime's default profile applies), or use `{\"type\": \"Localhost\", \"localhostProfile\": …}`".into()
            }
            Violation::AppArmorAnnotation { .. } => {
                "remove the annotation from the pod's `metadata.annotations`, or set `appArmorProfile` in its `securityContext`".into()
            }
            Violation::SelinuxType { .. } | Violation::SelinuxUserOrRole => {
                format!("in `seLinuxOptions` of the pod's and the containers' `securityContext`, {SELINUX_HELP}")
            }
            Violation::ProcMount { container } => format!(
                "remove `\"procMount\": \"Unmasked\"` from the `securityContext` of container `{container}` (the default is `Default`)"
            ),
            Violation::SeccompBaselineUnconfined | Violation::SeccompUnconfined { .. } => {
                SECCOMP.into()
            }
            Violation::SeccompUnset { .. } => {
                "set `\"seccompProfile\": {\"type\": \"RuntimeDefault\"}` in the pod's `securityContext`".into()
            }
            Violation::PrivilegeEscalation { container } => format!(
                "set `\"allowPrivilegeEscalation\": false` in the `securityContext` of container `{container}` (unset, Kubernetes allows it), and keep it unprivileged, without CAP_SYS_ADMIN"
            ),
            Violation::RootAllowed { .. } | Violation::NonRootUnset { .. } => NON_ROOT.into(),
            Violation::RootUser => {
                "remove `\"runAsUser\": 0` from the pod's and the containers' `securityContext`, or set a non-zero user such as 10001".into()
            }
            Violation::PullIfNotPresent { .. } => {
                "pin the tag, or set `\"imagePullPolicy\": \"Always\"` on the container".into()
            }
            Violation::WritableRoot { container } => format!(
                "set `\"readOnlyRootFilesystem\": true` in the `securityContext` of container `{container}`; mount an `emptyDir` volume where it writes"
            ),
            Violation::MissingResources { missing, .. } => format!(
                "set {} in the container's `resources`, e.g. `\"resources\": {{\"requests\": {{\"cpu\": \"100m\", \"memory\": \"256Mi\"}}, \"limits\": {{\"memory\": \"512Mi\"}}}}`",
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Violation::UnusedToken { .. } => {
                "set `\"automountServiceAccountToken\": false` in the pod spec (`job_manifest.spec.template.spec`)".into()
            }
            Violation::DefaultServiceAccount { .. } => {
                "set `\"serviceAccountName\"` in the pod spec to an account made for the flow runs, granted only what they need".into()
            }
            // Named in Kubernetes' terms already, or not a pod's field.
            Violation::SysctlNotYetSafe { .. }
            | Violation::SysctlUnsafe { .. }
            | Violation::ProbeHost { .. }
            | Violation::FloatingTag { .. }
            | Violation::MissingProbes { .. }
            | Violation::RbacWildcard { .. }
            | Violation::RbacSecrets { .. }
            | Violation::RbacEscalation { .. }
            | Violation::KnownFormat { .. }
            | Violation::SecretLiteral { .. }
            | Violation::NoNetworkPolicy { .. }
            | Violation::ExposedWithoutAuth { .. }
            | Violation::DefaultNamespace
            | Violation::DefaultJobNamespace
            | Violation::VersionSkew { .. }
            | Violation::ExporterAutoscales { .. }
            | Violation::ExporterReplicas { .. } => return None,
        };
        Some(help)
    }
}
