// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! The types of `stdlib/common.pfk`.

use crate::map::IndexMap;

use super::*;

/// Compute resources of a container.
#[derive(Debug, Clone, PartialEq)]
pub struct Resources {
    /// What the scheduler reserves for the container.
    pub requests: Located<ResourceList>,
    /// The most the container may use; above the memory limit it is killed.
    pub limits: Located<ResourceList>,
}

/// Amounts of CPU, memory and ephemeral storage.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceList {
    /// CPU, in cores (`1`, `0.5`) or millicores (`500m`).
    pub cpu: Option<Located<Quantity>>,
    /// Memory, in bytes with a binary (`512Mi`, `1Gi`) or decimal (`1G`) suffix.
    pub memory: Option<Located<Quantity>>,
    /// Scratch disk space.
    pub ephemeral_storage: Option<Located<Quantity>>,
    /// Extended resources by their qualified name, such as `"nvidia.com/gpu" = 1`: whole units, and requests equal to limits (Kubernetes does not overcommit them).
    pub extended: Located<IndexMap<String, Located<i64>>>,
}

/// The security settings of a workload's pod and containers. Every default is
/// the hardened choice: the Pod Security Standard "restricted" is met without
/// writing anything.
#[derive(Debug, Clone, PartialEq)]
pub struct Security {
    /// The user ID the containers run as (`none` leaves it to the image or the platform).
    pub run_as_user: Option<Located<i64>>,
    /// The primary group ID of the containers' processes.
    pub run_as_group: Option<Located<i64>>,
    /// The group that owns mounted volumes.
    pub fs_group: Option<Located<i64>>,
    /// When the kubelet changes mounted volumes' ownership to `fs-group`; Kubernetes' `always` when unset.
    pub fs_group_change_policy: Option<Located<FsGroupChangePolicy>>,
    /// More group IDs of the containers' processes, besides `run-as-group` (the group of a shared volume, a mounted device).
    pub supplemental_groups: Located<Vec<Located<i64>>>,
    /// Refuse to start a container whose user is root.
    pub run_as_non_root: Located<bool>,
    /// Mount the container's root filesystem read-only; /home/prefect and /tmp stay writable.
    pub read_only_root_filesystem: Located<bool>,
    /// Whether a process can gain more privileges than its parent (setuid binaries).
    pub allow_privilege_escalation: Located<bool>,
    /// Run the container privileged (host-level access).
    pub privileged: Located<bool>,
    /// Linux capabilities to add after dropping ALL.
    pub add_capabilities: Located<Vec<Located<String>>>,
    /// The seccomp profile of the pod.
    pub seccomp: Located<SeccompProfile>,
    /// The profile file under the kubelet's seccomp directory, for `seccomp = localhost`.
    pub seccomp_localhost_profile: Option<Located<String>>,
    /// The AppArmor profile of the pod; unset leaves the runtime's default.
    pub apparmor: Option<Located<AppArmorProfile>>,
    /// The profile loaded on the node, for `apparmor = localhost`.
    pub apparmor_localhost_profile: Option<Located<String>>,
    /// SELinux labels of the pod; unset leaves them to the runtime.
    pub selinux: Option<Box<Located<SeLinux>>>,
    /// How /proc is mounted in the containers.
    pub proc_mount: Located<ProcMount>,
    /// Namespaced kernel parameters of the pod (`net.ipv4.ip_local_port_range = "1024 65535"`).
    pub sysctls: Located<IndexMap<String, Located<String>>>,
    /// Use the node's network namespace.
    pub host_network: Located<bool>,
    /// Use the node's process ID namespace.
    pub host_pid: Located<bool>,
    /// Use the node's IPC namespace.
    pub host_ipc: Located<bool>,
    /// Run as a Windows HostProcess container.
    pub windows_host_process: Located<bool>,
}

/// Security settings of one extra container. Every field left unset takes
/// the value of the component's `security`.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerSecurity {
    /// The user ID the container runs as.
    pub run_as_user: Option<Located<i64>>,
    /// The primary group ID of the container's processes.
    pub run_as_group: Option<Located<i64>>,
    /// Refuse to start the container if its user is root.
    pub run_as_non_root: Option<Located<bool>>,
    /// Mount the container's root filesystem read-only.
    pub read_only_root_filesystem: Option<Located<bool>>,
    /// Whether a process can gain more privileges than its parent.
    pub allow_privilege_escalation: Option<Located<bool>>,
    /// Run the container privileged (host-level access).
    pub privileged: Option<Located<bool>>,
    /// Linux capabilities to add after dropping ALL.
    pub add_capabilities: Option<Located<Vec<Located<String>>>>,
    /// The seccomp profile of the container.
    pub seccomp: Option<Located<SeccompProfile>>,
    /// The AppArmor profile of the container.
    pub apparmor: Option<Located<AppArmorProfile>>,
    /// SELinux labels of the container.
    pub selinux: Option<Box<Located<SeLinux>>>,
    /// How /proc is mounted in the container.
    pub proc_mount: Option<Located<ProcMount>>,
}

/// AppArmor profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AppArmorProfile {
    /// The container runtime's default profile.
    RuntimeDefault,
    /// A profile loaded on the node (`apparmor-localhost-profile`).
    Localhost,
    /// No AppArmor confinement.
    Unconfined,
}

impl AppArmorProfile {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [AppArmorProfile] = &[
        AppArmorProfile::RuntimeDefault,
        AppArmorProfile::Localhost,
        AppArmorProfile::Unconfined,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            AppArmorProfile::RuntimeDefault => "runtime-default",
            AppArmorProfile::Localhost => "localhost",
            AppArmorProfile::Unconfined => "unconfined",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<AppArmorProfile> {
        AppArmorProfile::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text)
    }
}

/// SELinux labels.
#[derive(Debug, Clone, PartialEq)]
pub struct SeLinux {
    /// The SELinux type, such as `container_t`.
    pub type_: Option<Located<String>>,
    /// The SELinux user.
    pub user: Option<Located<String>>,
    /// The SELinux role.
    pub role: Option<Located<String>>,
    /// The SELinux level (MCS label), such as `s0:c123,c456`.
    pub level: Option<Located<String>>,
}

/// How /proc is mounted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProcMount {
    /// The runtime's default: parts of /proc are masked.
    Default,
    /// Nothing is masked (needs a user namespace).
    Unmasked,
}

impl ProcMount {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [ProcMount] = &[ProcMount::Default, ProcMount::Unmasked];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            ProcMount::Default => "default",
            ProcMount::Unmasked => "unmasked",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<ProcMount> {
        ProcMount::ALL.iter().copied().find(|v| v.as_str() == text)
    }
}

/// Seccomp profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SeccompProfile {
    /// The container runtime's default profile.
    RuntimeDefault,
    /// A profile installed on the node.
    Localhost,
    /// No seccomp filtering.
    Unconfined,
}

impl SeccompProfile {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [SeccompProfile] = &[
        SeccompProfile::RuntimeDefault,
        SeccompProfile::Localhost,
        SeccompProfile::Unconfined,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            SeccompProfile::RuntimeDefault => "runtime-default",
            SeccompProfile::Localhost => "localhost",
            SeccompProfile::Unconfined => "unconfined",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<SeccompProfile> {
        SeccompProfile::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text)
    }
}

/// When the kubelet pulls an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PullPolicy {
    /// Pull only if the image is not on the node (right for pinned tags).
    IfNotPresent,
    /// Pull on every start.
    Always,
    /// Never pull.
    Never,
}

impl PullPolicy {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [PullPolicy] = &[
        PullPolicy::IfNotPresent,
        PullPolicy::Always,
        PullPolicy::Never,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            PullPolicy::IfNotPresent => "if-not-present",
            PullPolicy::Always => "always",
            PullPolicy::Never => "never",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<PullPolicy> {
        PullPolicy::ALL.iter().copied().find(|v| v.as_str() == text)
    }
}

/// A toleration of a node taint.
#[derive(Debug, Clone, PartialEq)]
pub struct Toleration {
    /// The taint key (omit with `operator = exists` to tolerate every taint).
    pub key: Option<Located<String>>,
    /// How the key and value are matched.
    pub operator: Located<TolerationOperator>,
    /// The taint value to match.
    pub value: Option<Located<String>>,
    /// The taint effect to tolerate; every effect when unset.
    pub effect: Option<Located<TaintEffect>>,
    /// How long a `no-execute` taint is tolerated.
    pub toleration: Option<Located<Millis>>,
}

/// How a toleration matches a taint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TolerationOperator {
    /// Key and value must be equal.
    Equal,
    /// The key must exist; the value is ignored.
    Exists,
}

impl TolerationOperator {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [TolerationOperator] =
        &[TolerationOperator::Equal, TolerationOperator::Exists];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            TolerationOperator::Equal => "equal",
            TolerationOperator::Exists => "exists",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<TolerationOperator> {
        TolerationOperator::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text)
    }
}

/// Taint effects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaintEffect {
    /// New pods are not scheduled.
    NoSchedule,
    /// The scheduler avoids the node.
    PreferNoSchedule,
    /// Running pods are evicted.
    NoExecute,
}

impl TaintEffect {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [TaintEffect] = &[
        TaintEffect::NoSchedule,
        TaintEffect::PreferNoSchedule,
        TaintEffect::NoExecute,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            TaintEffect::NoSchedule => "no-schedule",
            TaintEffect::PreferNoSchedule => "prefer-no-schedule",
            TaintEffect::NoExecute => "no-execute",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<TaintEffect> {
        TaintEffect::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text)
    }
}

/// Horizontal pod autoscaling. Owns `spec.replicas` of the Deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct Autoscaling {
    /// The fewest replicas.
    pub min: Located<i64>,
    /// The most replicas.
    pub max: Located<i64>,
    /// Target average CPU utilisation, relative to the requests.
    pub cpu: Option<Located<u32>>,
    /// Target average memory utilisation, relative to the requests.
    pub memory: Option<Located<u32>>,
}

/// A PodDisruptionBudget: how many pods voluntary disruptions may take down.
#[derive(Debug, Clone, PartialEq)]
pub struct Disruption {
    /// Pods that may be unavailable at once.
    pub max_unavailable: Option<Located<i64>>,
    /// Pods that must stay available.
    pub min_available: Option<Located<i64>>,
    /// Whether a running pod that is not ready may be evicted when the budget is exhausted; Kubernetes' `if-healthy-budget` when unset.
    pub unhealthy_pod_eviction_policy: Option<Located<UnhealthyPodEvictionPolicy>>,
}

/// When a PodDisruptionBudget lets a running but unready pod be evicted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnhealthyPodEvictionPolicy {
    /// Only while the application is not disrupted (enough healthy pods).
    IfHealthyBudget,
    /// Always: an unready pod never blocks a node drain.
    AlwaysAllow,
}

impl UnhealthyPodEvictionPolicy {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [UnhealthyPodEvictionPolicy] = &[
        UnhealthyPodEvictionPolicy::IfHealthyBudget,
        UnhealthyPodEvictionPolicy::AlwaysAllow,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            UnhealthyPodEvictionPolicy::IfHealthyBudget => "if-healthy-budget",
            UnhealthyPodEvictionPolicy::AlwaysAllow => "always-allow",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<UnhealthyPodEvictionPolicy> {
        UnhealthyPodEvictionPolicy::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text)
    }
}

/// A rule of a Role: what the workload may do to which resources.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyRule {
    /// API groups; `""` is the core group.
    pub api_groups: Located<Vec<Located<String>>>,
    /// Resources, e.g. `"pods"`, `"pods/log"`.
    pub resources: Located<Vec<Located<String>>>,
    /// Verbs, e.g. `get`, `list`, `watch`.
    pub verbs: Located<Vec<Located<VerbOrString>>>,
    /// Restrict the rule to objects with these names.
    pub resource_names: Located<Vec<Located<String>>>,
}

/// Kubernetes API verbs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verb {
    /// Read one object.
    Get,
    /// Read a collection.
    List,
    /// Stream changes.
    Watch,
    /// Create objects.
    Create,
    /// Replace objects.
    Update,
    /// Patch objects.
    Patch,
    /// Delete objects.
    Delete,
    /// Delete a collection.
    Deletecollection,
    /// Bind roles (privilege escalation).
    Bind,
    /// Grant more than one holds (privilege escalation).
    Escalate,
    /// Act as another user (privilege escalation).
    Impersonate,
}

impl Verb {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [Verb] = &[
        Verb::Get,
        Verb::List,
        Verb::Watch,
        Verb::Create,
        Verb::Update,
        Verb::Patch,
        Verb::Delete,
        Verb::Deletecollection,
        Verb::Bind,
        Verb::Escalate,
        Verb::Impersonate,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::List => "list",
            Verb::Watch => "watch",
            Verb::Create => "create",
            Verb::Update => "update",
            Verb::Patch => "patch",
            Verb::Delete => "delete",
            Verb::Deletecollection => "deletecollection",
            Verb::Bind => "bind",
            Verb::Escalate => "escalate",
            Verb::Impersonate => "impersonate",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<Verb> {
        Verb::ALL.iter().copied().find(|v| v.as_str() == text)
    }
}

/// Prefect's logging levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LogLevel {
    /// Everything.
    Debug,
    /// Informational messages.
    Info,
    /// Warnings and errors.
    Warning,
    /// Errors only.
    Error,
    /// Critical errors only.
    Critical,
}

impl LogLevel {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [LogLevel] = &[
        LogLevel::Debug,
        LogLevel::Info,
        LogLevel::Warning,
        LogLevel::Error,
        LogLevel::Critical,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Debug => "debug",
            LogLevel::Info => "info",
            LogLevel::Warning => "warning",
            LogLevel::Error => "error",
            LogLevel::Critical => "critical",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<LogLevel> {
        LogLevel::ALL.iter().copied().find(|v| v.as_str() == text)
    }
}

/// How the component's Service exposes it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceOptions {
    /// The Service type.
    pub type_: Located<ServiceType>,
    /// The name of the Service port and of the container port it targets: at most 15 lower-case letters, digits and `-`, with a letter (Kubernetes' IANA_SVC_NAME).
    pub port_name: Located<String>,
    /// A fixed cluster IP, or `"None"` for a headless Service.
    pub cluster_ip: Option<Located<String>>,
    /// The node port, for `node-port` and `load-balancer` Services.
    pub node_port: Option<Located<i64>>,
    /// The application protocol of the port, e.g. `"http"` or `"kubernetes.io/h2c"`.
    pub app_protocol: Option<Located<String>>,
    /// Whether external traffic goes to node-local endpoints only, for `node-port` and `load-balancer` Services.
    pub external_traffic_policy: Option<Located<TrafficPolicy>>,
    /// Single or dual stack.
    pub ip_family_policy: Option<Located<IpFamilyPolicy>>,
    /// The IP families, in order of preference.
    pub ip_families: Located<Vec<Located<IpFamily>>>,
    /// Annotations of the Service (load balancer settings, …).
    pub annotations: Located<IndexMap<String, Located<String>>>,
    /// More ports, e.g. for a sidecar.
    pub extra_ports: Located<Vec<Located<ServicePort>>>,
}

/// Kubernetes Service types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServiceType {
    /// Reachable inside the cluster.
    ClusterIp,
    /// Also on a port of every node.
    NodePort,
    /// Also through a cloud load balancer.
    LoadBalancer,
}

impl ServiceType {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [ServiceType] = &[
        ServiceType::ClusterIp,
        ServiceType::NodePort,
        ServiceType::LoadBalancer,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceType::ClusterIp => "cluster-ip",
            ServiceType::NodePort => "node-port",
            ServiceType::LoadBalancer => "load-balancer",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<ServiceType> {
        ServiceType::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text)
    }
}

/// `externalTrafficPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TrafficPolicy {
    /// Any node may forward to any endpoint (source IP is lost).
    Cluster,
    /// Only node-local endpoints (keeps the client source IP).
    Local,
}

impl TrafficPolicy {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [TrafficPolicy] = &[TrafficPolicy::Cluster, TrafficPolicy::Local];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            TrafficPolicy::Cluster => "cluster",
            TrafficPolicy::Local => "local",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<TrafficPolicy> {
        TrafficPolicy::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text)
    }
}

/// `ipFamilyPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IpFamilyPolicy {
    /// One IP family.
    SingleStack,
    /// Both families where the cluster has them.
    PreferDualStack,
    /// Both families, or fail.
    RequireDualStack,
}

impl IpFamilyPolicy {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [IpFamilyPolicy] = &[
        IpFamilyPolicy::SingleStack,
        IpFamilyPolicy::PreferDualStack,
        IpFamilyPolicy::RequireDualStack,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            IpFamilyPolicy::SingleStack => "single-stack",
            IpFamilyPolicy::PreferDualStack => "prefer-dual-stack",
            IpFamilyPolicy::RequireDualStack => "require-dual-stack",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<IpFamilyPolicy> {
        IpFamilyPolicy::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text)
    }
}

/// IP families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IpFamily {
    /// IPv4.
    Ipv4,
    /// IPv6.
    Ipv6,
}

impl IpFamily {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [IpFamily] = &[IpFamily::Ipv4, IpFamily::Ipv6];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            IpFamily::Ipv4 => "ipv4",
            IpFamily::Ipv6 => "ipv6",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<IpFamily> {
        IpFamily::ALL.iter().copied().find(|v| v.as_str() == text)
    }
}

/// One more port on a Service.
#[derive(Debug, Clone, PartialEq)]
pub struct ServicePort {
    /// The port name.
    pub name: Located<String>,
    /// The port on the Service.
    pub port: Located<i64>,
    /// The container port it forwards to (by number); the same as `port` when unset.
    pub target_port: Option<Located<i64>>,
    /// The protocol.
    pub protocol: Located<Protocol>,
    /// The application protocol.
    pub app_protocol: Option<Located<String>>,
    /// The node port, for `node-port` and `load-balancer` Services.
    pub node_port: Option<Located<i64>>,
}

/// How a Deployment replaces its pods.
#[derive(Debug, Clone, PartialEq)]
pub enum UpdateStrategy {
    /// A few pods at a time.
    Rolling(Box<RollingUpdate>),
    /// All old pods stop before new ones start.
    Recreate(Box<Recreate>),
}

impl UpdateStrategy {
    /// The variant's tag as written in `.pfk` source.
    pub fn tag(&self) -> &'static str {
        match self {
            UpdateStrategy::Rolling(_) => "rolling",
            UpdateStrategy::Recreate(_) => "recreate",
        }
    }
}

/// A rolling update.
#[derive(Debug, Clone, PartialEq)]
pub struct RollingUpdate {
    /// Pods above the desired count during the update.
    pub max_surge: Located<IntOrPercent>,
    /// Pods below the desired count during the update.
    pub max_unavailable: Located<IntOrPercent>,
}

/// Stop every old pod before starting new ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Recreate {}

/// Node and pod affinity.
#[derive(Debug, Clone, PartialEq)]
pub struct Affinity {
    /// Nodes must match one of these terms.
    pub required_nodes: Located<Vec<Located<NodeTerm>>>,
    /// Nodes matching these terms are preferred, by weight.
    pub preferred_nodes: Located<Vec<Located<WeightedNodeTerm>>>,
    /// Keep the component's own pods apart.
    pub spread: Option<Box<Located<PodSpread>>>,
}

/// Node label expressions that must all match.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeTerm {
    /// The expressions.
    pub match_: Located<Vec<Located<NodeExpression>>>,
}

/// A preferred node term.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedNodeTerm {
    /// How much a match counts, from 1 to 100.
    pub weight: Located<i64>,
    /// The expressions.
    pub match_: Located<Vec<Located<NodeExpression>>>,
}

/// One node label expression.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeExpression {
    /// The node label.
    pub key: Located<String>,
    /// How the label is compared.
    pub operator: Located<SelectorOperator>,
    /// The values (none for `exists` and `does-not-exist`; one number for `gt` and `lt`).
    pub values: Located<Vec<Located<String>>>,
}

/// Label selector operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SelectorOperator {
    /// The label has one of the values.
    In,
    /// The label has none of the values.
    NotIn,
    /// The label is set.
    Exists,
    /// The label is not set.
    DoesNotExist,
    /// The label is a number greater than the value.
    Gt,
    /// The label is a number less than the value.
    Lt,
}

impl SelectorOperator {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [SelectorOperator] = &[
        SelectorOperator::In,
        SelectorOperator::NotIn,
        SelectorOperator::Exists,
        SelectorOperator::DoesNotExist,
        SelectorOperator::Gt,
        SelectorOperator::Lt,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            SelectorOperator::In => "in",
            SelectorOperator::NotIn => "not-in",
            SelectorOperator::Exists => "exists",
            SelectorOperator::DoesNotExist => "does-not-exist",
            SelectorOperator::Gt => "gt",
            SelectorOperator::Lt => "lt",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<SelectorOperator> {
        SelectorOperator::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text)
    }
}

/// Pod anti-affinity between the component's own pods.
#[derive(Debug, Clone, PartialEq)]
pub struct PodSpread {
    /// The node label that defines a domain (`kubernetes.io/hostname`: one pod per node).
    pub topology_key: Located<String>,
    /// Refuse to schedule rather than share a domain.
    pub required: Located<bool>,
    /// How much a preferred spread counts, from 1 to 100.
    pub weight: Located<i64>,
}

/// A topology spread constraint over the component's own pods.
#[derive(Debug, Clone, PartialEq)]
pub struct TopologySpread {
    /// The node label that defines a domain.
    pub topology_key: Located<String>,
    /// The largest allowed difference of pod counts between domains.
    pub max_skew: Located<i64>,
    /// What to do when the constraint cannot be met.
    pub when_unsatisfiable: Located<Unsatisfiable>,
}

/// `whenUnsatisfiable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unsatisfiable {
    /// Schedule anyway, preferring less skew.
    ScheduleAnyway,
    /// Leave the pod pending.
    DoNotSchedule,
}

impl Unsatisfiable {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [Unsatisfiable] =
        &[Unsatisfiable::ScheduleAnyway, Unsatisfiable::DoNotSchedule];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            Unsatisfiable::ScheduleAnyway => "schedule-anyway",
            Unsatisfiable::DoNotSchedule => "do-not-schedule",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<Unsatisfiable> {
        Unsatisfiable::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text)
    }
}

/// When the kubelet changes a volume's ownership and permissions to the pod's `fs-group`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FsGroupChangePolicy {
    /// Only when the volume's root does not match already: faster start for large volumes.
    OnRootMismatch,
    /// On every mount.
    Always,
}

impl FsGroupChangePolicy {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [FsGroupChangePolicy] = &[
        FsGroupChangePolicy::OnRootMismatch,
        FsGroupChangePolicy::Always,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            FsGroupChangePolicy::OnRootMismatch => "on-root-mismatch",
            FsGroupChangePolicy::Always => "always",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<FsGroupChangePolicy> {
        FsGroupChangePolicy::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text)
    }
}
