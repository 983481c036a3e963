// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! The types of `stdlib/pod.pfk`.

use crate::map::IndexMap;

use super::*;

/// An extra container next to a component's main container: a sidecar, or
/// (in `init-containers`) one that runs before it.
#[derive(Debug, Clone, PartialEq)]
pub struct Container {
    /// The container's name, unique within the pod.
    pub name: Located<String>,
    /// The image, pinned to a version or a digest.
    pub image: Located<String>,
    /// When the kubelet pulls the image.
    pub image_pull_policy: Located<PullPolicy>,
    /// Replaces the image's entrypoint.
    pub command: Located<Vec<Located<String>>>,
    /// Arguments to the entrypoint.
    pub args: Located<Vec<Located<String>>>,
    /// Environment: a value, or `secret(name, key)` / `config-map(name, key)`.
    pub env: Located<IndexMap<String, Located<StringOrSecretOrConfigMap>>>,
    /// Whole Secrets and ConfigMaps exported as environment variables (`secret("name")`, `config-map("name")`).
    pub env_from: Located<Vec<Located<SecretNameOrConfigMapName>>>,
    /// Ports the container listens on.
    pub ports: Located<Vec<Located<ContainerPort>>>,
    /// Container resources.
    pub resources: Located<Resources>,
    /// Security settings; unset fields take the component's `security`.
    pub security: Located<ContainerSecurity>,
    /// Volumes of the component mounted into this container.
    pub volume_mounts: Located<Vec<Located<VolumeMount>>>,
    /// Restarts the container when it fails this check.
    pub liveness_probe: Option<Box<Located<Probe>>>,
    /// Sends traffic only while this check passes.
    pub readiness_probe: Option<Box<Located<Probe>>>,
    /// Holds the other probes until this one passes once.
    pub startup_probe: Option<Box<Located<Probe>>>,
    /// For an init container: keep it running next to the main container (a native sidecar, Kubernetes 1.29+).
    pub sidecar: Located<bool>,
}

/// Hooks run in the main container at start and before it stops.
#[derive(Debug, Clone, PartialEq)]
pub struct Lifecycle {
    /// A command run right after the container starts.
    pub post_start: Located<Vec<Located<String>>>,
    /// A command run before the container is stopped.
    pub pre_stop: Located<Vec<Located<String>>>,
    /// Wait this long before the container is stopped (e.g. while a load balancer drains it).
    pub pre_stop_sleep: Option<Located<Millis>>,
}

/// A port a container listens on.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerPort {
    /// The port's name, referable from probes and Services: at most 15 lower-case letters, digits and `-`, with a letter.
    pub name: Option<Located<String>>,
    /// The port number in the container.
    pub port: Located<i64>,
    /// Also open this port on the node's address.
    pub host_port: Option<Located<i64>>,
    /// The transport protocol.
    pub protocol: Located<Protocol>,
}

/// Transport protocols.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
    /// SCTP.
    Sctp,
}

impl Protocol {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [Protocol] = &[Protocol::Tcp, Protocol::Udp, Protocol::Sctp];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Sctp => "sctp",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<Protocol> {
        Protocol::ALL.iter().copied().find(|v| v.as_str() == text)
    }
}

/// A health check of a container: an HTTP GET when `path` is set, else a
/// command when `command` is set, else a TCP connection to `port`.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    /// The HTTP path to GET.
    pub path: Option<Located<String>>,
    /// The port to probe.
    pub port: Option<Located<i64>>,
    /// The host to probe instead of the pod's IP: a DNS name or an IP address, not a URL.
    pub host: Option<Located<String>>,
    /// A command run in the container; exit code 0 is healthy.
    pub command: Located<Vec<Located<String>>>,
    /// Time before the first check.
    pub initial_delay: Located<Millis>,
    /// Time between checks.
    pub period: Located<Millis>,
    /// Time a check may take.
    pub timeout: Located<Millis>,
    /// Consecutive failures before the check counts as failed.
    pub failure_threshold: Located<i64>,
    /// Consecutive successes before the check counts as passed.
    pub success_threshold: Located<i64>,
}

/// A volume of a component's pods, named by its key in `volumes`.
#[derive(Debug, Clone, PartialEq)]
pub enum Volume {
    /// Scratch space that lives as long as the pod.
    EmptyDir(Box<EmptyDirVolume>),
    /// The keys of a ConfigMap as files.
    ConfigMap(Box<ConfigMapVolume>),
    /// The keys of a Secret as files.
    Secret(Box<SecretVolume>),
    /// An existing PersistentVolumeClaim.
    Pvc(Box<PvcVolume>),
    /// A directory of the node (PSS baseline forbids it).
    HostPath(Box<HostPathVolume>),
    /// An NFS export (not a volume type PSS restricted allows).
    Nfs(Box<NfsVolume>),
}

impl Volume {
    /// The variant's tag as written in `.pfk` source.
    pub fn tag(&self) -> &'static str {
        match self {
            Volume::EmptyDir(_) => "empty-dir",
            Volume::ConfigMap(_) => "config-map",
            Volume::Secret(_) => "secret",
            Volume::Pvc(_) => "pvc",
            Volume::HostPath(_) => "host-path",
            Volume::Nfs(_) => "nfs",
        }
    }
}

/// An `empty-dir` volume.
#[derive(Debug, Clone, PartialEq)]
pub struct EmptyDirVolume {
    /// Keep it in memory (tmpfs).
    pub memory: Located<bool>,
    /// The most it may hold.
    pub size_limit: Option<Located<Quantity>>,
}

/// A `config-map` volume.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigMapVolume {
    /// The ConfigMap's name.
    pub name: Located<String>,
    /// Fail pod start when the ConfigMap is missing.
    pub optional: Located<bool>,
}

/// A `secret` volume.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretVolume {
    /// The Secret's name.
    pub name: Located<String>,
    /// Fail pod start when the Secret is missing.
    pub optional: Located<bool>,
}

/// A `pvc` volume.
#[derive(Debug, Clone, PartialEq)]
pub struct PvcVolume {
    /// The claim's name.
    pub claim: Located<String>,
    /// Mount it read-only.
    pub read_only: Located<bool>,
}

/// A `host-path` volume.
#[derive(Debug, Clone, PartialEq)]
pub struct HostPathVolume {
    /// The directory on the node.
    pub path: Located<String>,
}

/// An `nfs` volume.
#[derive(Debug, Clone, PartialEq)]
pub struct NfsVolume {
    /// The NFS server: a DNS name or an IP address.
    pub server: Located<String>,
    /// The exported path.
    pub path: Located<String>,
    /// Mount it read-only.
    pub read_only: Located<bool>,
}

/// Where a volume appears in a container.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeMount {
    /// The volume: a key of the component's `volumes`.
    pub volume: Located<String>,
    /// The directory in the container.
    pub path: Located<String>,
    /// Mount it read-only.
    pub read_only: Located<bool>,
    /// Mount one entry of the volume instead of its root.
    pub sub_path: Option<Located<String>>,
}

/// When and how often an HTTP health probe of a Prefect process runs, and
/// the path it asks.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeTiming {
    /// Run the probe.
    pub enabled: Located<bool>,
    /// The HTTP path to GET, whole (nothing is prepended); unset, the endpoint Prefect serves for this probe.
    pub path: Option<Located<String>>,
    /// Wait this long after the container starts.
    pub initial_delay: Located<Millis>,
    /// Run it this often.
    pub period: Located<Millis>,
    /// Fail an attempt after this long.
    pub timeout: Located<Millis>,
    /// Consecutive failures before the probe fails.
    pub failure_threshold: Located<i64>,
    /// Consecutive successes before it passes again (readiness only: startup and liveness probes need 1).
    pub success_threshold: Located<i64>,
}
