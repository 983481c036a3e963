//! Pod templates: pod specs, containers, security contexts, probes, environment and volumes.

use crate::map::IndexMap;
use serde::Serialize;

use super::{Labels, Tracked, Word, is_empty_map};
use crate::model::Prov;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodTemplate {
    pub metadata: PodMeta,
    pub spec: PodSpec,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodMeta {
    pub labels: Labels,
    #[serde(skip_serializing_if = "is_empty_map")]
    pub annotations: Labels,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalObjectReference {
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Toleration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub operator: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toleration_seconds: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    pub service_account_name: String,
    pub automount_service_account_token: Tracked<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_network: Option<Tracked<bool>>,
    #[serde(rename = "hostPID", skip_serializing_if = "Option::is_none")]
    pub host_pid: Option<Tracked<bool>>,
    #[serde(rename = "hostIPC", skip_serializing_if = "Option::is_none")]
    pub host_ipc: Option<Tracked<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns_policy: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns_config: Option<DnsConfig>,
    pub security_context: PodSecurityContext,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub image_pull_secrets: Vec<LocalObjectReference>,
    #[serde(skip_serializing_if = "is_empty_map")]
    pub node_selector: Labels,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
    #[serde(flatten)]
    pub scheduling: Scheduling,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<Container>,
    pub containers: Vec<Container>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
}

/// Pod-level scheduling and shutdown settings. Affinity and spread
/// constraints are plain data: no policy rule looks inside them.
#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Scheduling {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority_class_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affinity: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub topology_spread_constraints: Vec<serde_json::Value>,
}

/// A pod's resolver settings; only the parts that are set are written.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DnsConfig {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nameservers: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub searches: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<DnsOption>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DnsOption {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SeccompProfile {
    #[serde(rename = "type")]
    pub type_: Tracked<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub localhost_profile: Option<String>,
}

/// The same shape as [`SeccompProfile`]: `RuntimeDefault`, `Localhost` or `Unconfined`.
pub type AppArmorProfile = SeccompProfile;

#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SeLinuxOptions {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(skip)]
    pub prov: Option<Prov>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sysctl {
    pub name: String,
    pub value: String,
    #[serde(skip)]
    pub prov: Option<Prov>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WindowsOptions {
    pub host_process: Tracked<bool>,
}

#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct PodSecurityContext {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_as_non_root: Option<Tracked<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_as_user: Option<Tracked<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_as_group: Option<Tracked<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fs_group: Option<Tracked<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fs_group_change_policy: Option<Tracked<String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub supplemental_groups: Vec<Tracked<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seccomp_profile: Option<SeccompProfile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_armor_profile: Option<Box<AppArmorProfile>>,
    #[serde(rename = "seLinuxOptions", skip_serializing_if = "Option::is_none")]
    pub se_linux_options: Option<Box<SeLinuxOptions>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sysctls: Vec<Sysctl>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub windows_options: Option<Box<WindowsOptions>>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    pub drop: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub add: Vec<Tracked<String>>,
}

/// A container's security context. The profiles and options that are
/// seldom set (AppArmor, SELinux, Windows) are boxed, here and in
/// [`PodSecurityContext`]: every container and pod has a security context,
/// and inline they were a third of its size (560 → 368 bytes).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityContext {
    pub allow_privilege_escalation: Tracked<bool>,
    pub capabilities: Capabilities,
    pub privileged: Tracked<bool>,
    pub read_only_root_filesystem: Tracked<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_as_non_root: Option<Tracked<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_as_user: Option<Tracked<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_as_group: Option<Tracked<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proc_mount: Option<Tracked<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seccomp_profile: Option<SeccompProfile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_armor_profile: Option<Box<AppArmorProfile>>,
    #[serde(rename = "seLinuxOptions", skip_serializing_if = "Option::is_none")]
    pub se_linux_options: Option<Box<SeLinuxOptions>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub windows_options: Option<Box<WindowsOptions>>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerPort {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub container_port: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_port: Option<Tracked<i64>>,
    pub protocol: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyRef {
    pub name: String,
    pub key: String,
}

/// Exactly one of the two is set.
#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct EnvSource {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_key_ref: Option<KeyRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_map_key_ref: Option<KeyRef>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    /// Most are prefectc's own (`PREFECT_API_URL`): borrowed, not copied.
    pub name: Word,
    /// A word too: most values are prefectc's own (`/home/prefect`,
    /// `true`), borrowed, not copied for each container.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Word>,
    /// Boxed: most variables have a value, and a worker's pod has a few
    /// dozen variables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_from: Option<Box<EnvSource>>,
    #[serde(skip)]
    pub prov: Option<Prov>,
}

/// A whole Secret or ConfigMap exported as environment variables.
/// One of the two is set. (An enum would serialise as a YAML tag.)
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvFromSource {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<LocalObjectReference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_map_ref: Option<LocalObjectReference>,
}

#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRequirements {
    #[serde(skip_serializing_if = "is_empty_map")]
    pub requests: IndexMap<Word, Tracked<String>>,
    #[serde(skip_serializing_if = "is_empty_map")]
    pub limits: IndexMap<Word, Tracked<String>>,
    /// The `resources` value it came from.
    #[serde(skip)]
    pub prov: Option<Prov>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpGet {
    pub path: String,
    pub port: IntOrString,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<Tracked<String>>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecAction {
    pub command: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Probe {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_get: Option<HttpGet>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp_socket: Option<TcpSocket>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exec: Option<ExecAction>,
    pub initial_delay_seconds: i64,
    pub period_seconds: i64,
    pub timeout_seconds: i64,
    pub failure_threshold: i64,
    pub success_threshold: i64,
}

impl Probe {
    /// A probe with no action yet and the common timings: every 10 s, 5 s
    /// to answer, 3 failures.
    pub fn every_10s(initial_delay_seconds: i64) -> Probe {
        Probe {
            http_get: None,
            tcp_socket: None,
            exec: None,
            initial_delay_seconds,
            period_seconds: 10,
            timeout_seconds: 5,
            failure_threshold: 3,
            success_threshold: 1,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TcpSocket {
    pub port: IntOrString,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<Tracked<String>>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeMount {
    /// Words, not `String`s: most mounts are prefectc's own (`scratch` at
    /// `/tmp`), and each is copied into every container of a pod.
    pub name: Word,
    pub mount_path: Word,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_path: Option<Word>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    pub name: String,
    pub image: Tracked<String>,
    pub image_pull_policy: Tracked<&'static str>,
    /// Words, as a variable's name: most are prefectc's own (`worker`,
    /// `--pool`), borrowed rather than copied for each container.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<Word>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Word>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ContainerPort>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env_from: Vec<EnvFromSource>,
    /// Shared: a worker's init containers take the main container's.
    #[serde(serialize_with = "super::shared")]
    pub resources: std::sync::Arc<ResourceRequirements>,
    /// Shared, as the resources: a worker's two init containers have one.
    #[serde(serialize_with = "super::shared")]
    pub security_context: std::sync::Arc<SecurityContext>,
    /// The probes are boxed: a `Probe` is about 230 bytes and most
    /// containers (init containers, sidecars) have none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<Box<Probe>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Box<Probe>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Box<Probe>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volume_mounts: Vec<VolumeMount>,
    /// `Always` on an init container makes it a native sidecar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<&'static str>,
    /// The `sidecars` or `init-containers` entry it came from; `None` for
    /// the containers prefectc builds.
    #[serde(skip)]
    pub prov: Option<Prov>,
}

#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct EmptyDir {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub medium: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_limit: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PvcSource {
    pub claim_name: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMapSource {
    pub name: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretSource {
    pub secret_name: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HostPathSource {
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NfsSource {
    pub server: String,
    pub path: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
}

/// A pod volume; exactly one source is set. The sources are boxed: a pod
/// has a few volumes, each using one source, and the six held inline made
/// every volume 288 bytes (120 boxed; a worker's three volumes were 0.8 KB
/// of a 10,000-worker site's peak, docs/performance.md).
#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub empty_dir: Option<Box<EmptyDir>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persistent_volume_claim: Option<Box<PvcSource>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_map: Option<Box<ConfigMapSource>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<Box<SecretSource>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_path: Option<Box<HostPathSource>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nfs: Option<Box<NfsSource>>,
    /// Plain data: only the compiler builds projected volumes. Shared:
    /// every pod that reads the Kubernetes API mounts the same one.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "super::shared_some"
    )]
    pub projected: Option<std::sync::Arc<serde_json::Value>>,
    /// Another volume type, read from a user's base job template (which
    /// is judged, never emitted from this struct).
    #[serde(skip)]
    pub other: Option<&'static str>,
    /// The `volumes` entry it came from; `None` for the compiler's own volumes.
    #[serde(skip)]
    pub prov: Option<Prov>,
}

impl Volume {
    /// The volume type's name in the Pod API (`emptyDir`, `hostPath`, …).
    pub fn type_name(&self) -> &'static str {
        if let Some(other) = self.other {
            other
        } else if self.empty_dir.is_some() {
            "emptyDir"
        } else if self.persistent_volume_claim.is_some() {
            "persistentVolumeClaim"
        } else if self.config_map.is_some() {
            "configMap"
        } else if self.secret.is_some() {
            "secret"
        } else if self.host_path.is_some() {
            "hostPath"
        } else if self.projected.is_some() {
            "projected"
        } else {
            "nfs"
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum IntOrString {
    Int(i64),
    Str(String),
}

#[cfg(test)]
mod tests {
    /// A volume is the size of its name, its provenance and a pointer per
    /// source, not of every source held inline (288 bytes).
    #[test]
    fn a_volume_holds_its_sources_boxed() {
        let size = std::mem::size_of::<super::Volume>();
        assert!(size <= 160, "Volume: {size} bytes");
    }
}
