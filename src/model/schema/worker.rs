// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! The types of `stdlib/worker.pfk`.

use crate::map::IndexMap;

use super::*;

/// A Prefect worker: polls one work pool and starts flow runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Worker {
    /// The pool to join: a declared `pool`, or the name of a pool that exists outside this site.
    pub pool: Located<PoolOrString>,
    /// The execution environment. Inferred from `pool` when it is a declared pool.
    pub type_: Option<Located<WorkerType>>,
    /// The Prefect API the worker talks to.
    pub api: Located<Api>,
    /// The image; derived from `site.prefect` and the type when unset.
    pub image: Option<Located<String>>,
    /// When the kubelet pulls the image.
    pub image_pull_policy: Located<PullPolicy>,
    /// Worker pods.
    pub replicas: Located<i64>,
    /// Work queues to poll; every queue of the pool when empty.
    pub queues: Located<Vec<Located<String>>>,
    /// The worker's name in Prefect; Prefect generates one when unset.
    pub name: Option<Located<String>>,
    /// The most flow runs this worker runs at once.
    pub limit: Option<Located<i64>>,
    /// Whether the worker may install its type's package at start-up (needs a writable filesystem).
    pub install_policy: Located<InstallPolicy>,
    /// How early scheduled runs are submitted.
    pub prefetch: Located<Millis>,
    /// How often the worker polls the pool.
    pub query_interval: Located<Millis>,
    /// Serve /health (`--with-healthcheck`) on `healthcheck-port` and probe it.
    pub healthcheck: Located<bool>,
    /// The port of the health endpoint (`PREFECT_WORKER_WEBSERVER_PORT`), declared as container port `health`.
    pub healthcheck_port: Located<i64>,
    /// Timings and paths of the probes of the health endpoint (with `healthcheck`); the chart's `worker.livenessProbe.config`.
    pub probes: Located<WorkerProbes>,
    /// Talk HTTP/2 to the API.
    pub http2: Located<bool>,
    /// Prefect's debug mode.
    pub debug: Located<bool>,
    /// The cluster UID reported with flow runs; unset lets Prefect read kube-system's UID.
    pub cluster_uid: Option<Located<String>>,
    /// Namespaces where a kubernetes worker starts Jobs: a Role and RoleBinding in each (the site namespace when empty).
    pub job_namespaces: Located<Vec<Located<String>>>,
    /// Watch flow-run pods and Jobs in every namespace (a ClusterRole), not only in `job-namespaces`.
    pub observe_cluster: Located<bool>,
    /// The pool's base job template: JSON text, checked against the worker type and kept in the ConfigMap `<worker>-base-job-template` (editing it rolls the pods), or `config-map("name")`, an existing ConfigMap with the key `baseJobTemplate.json` (restart the worker after editing it). An init container writes it to the pool before the worker starts.
    pub base_job_template: Option<Located<BaseJobTemplate>>,
    /// The init containers prefectc adds (`sync-base-job-template`, `sync-pool`).
    pub init: Located<WorkerInit>,
    /// Horizontal autoscaling of the worker Deployment (replaces `replicas`).
    pub autoscaling: Option<Box<Located<Autoscaling>>>,
    /// A PodDisruptionBudget for the worker pods.
    pub disruption: Option<Box<Located<Disruption>>>,
    /// How the pods resolve names; Kubernetes' `ClusterFirst` when unset.
    pub dns_policy: Option<Located<DnsPolicy>>,
    /// Resolver settings added to (or, with `dns-policy = config-only`, replacing) the policy's.
    pub dns_config: Option<Box<Located<DnsConfig>>>,
    /// Extra environment: a value, or `secret(name, key)` / `config-map(name, key)`.
    pub env: Located<IndexMap<String, Located<StringOrSecretOrConfigMap>>>,
    /// Whole Secrets and ConfigMaps exported as environment variables (`secret("name")`, `config-map("name")`).
    pub env_from: Located<Vec<Located<SecretNameOrConfigMapName>>>,
    /// Container resources.
    pub resources: Located<Resources>,
    /// Pod and container security.
    pub security: Located<Security>,
    /// RBAC beyond what the worker type needs.
    pub rbac: Located<Rbac>,
    /// Labels of the pods.
    pub pod_labels: Located<IndexMap<String, Located<String>>>,
    /// Annotations of the pods.
    pub pod_annotations: Located<IndexMap<String, Located<String>>>,
    /// Schedule only onto nodes with these labels.
    pub node_selector: Located<IndexMap<String, Located<String>>>,
    /// Taints the pods tolerate.
    pub tolerations: Located<Vec<Located<Toleration>>>,
    /// Let Kubernetes mount the ServiceAccount token into every container. Off: prefectc mounts it explicitly, into the main container only, where the Kubernetes API is called.
    pub automount_service_account_token: Located<bool>,
    /// Volumes of the pods, by name (`cache = empty-dir {}`).
    pub volumes: Located<IndexMap<String, Located<Volume>>>,
    /// Volumes mounted into the main container.
    pub volume_mounts: Located<Vec<Located<VolumeMount>>>,
    /// Containers running next to the main container.
    pub sidecars: Located<Vec<Located<Container>>>,
    /// Containers that run before the main container (or, with `sidecar = true`, beside it).
    pub init_containers: Located<Vec<Located<Container>>>,
    /// Replace the main container's command (the image's entrypoint).
    pub command: Option<Located<Vec<Located<String>>>>,
    /// Replace the main container's arguments.
    pub args: Option<Located<Vec<Located<String>>>>,
    /// Arguments appended to the main container's.
    pub extra_args: Located<Vec<Located<String>>>,
    /// Old ReplicaSets kept for rollbacks.
    pub revision_history: Located<i64>,
    /// How the Deployment replaces its pods.
    pub update_strategy: Option<Located<UpdateStrategy>>,
    /// Hooks of the main container.
    pub lifecycle: Option<Box<Located<Lifecycle>>>,
    /// How long pods get to stop after SIGTERM.
    pub termination_grace_period: Option<Located<Millis>>,
    /// The PriorityClass of the pods.
    pub priority_class: Option<Located<String>>,
    /// Node affinity and spreading of the pods over nodes.
    pub affinity: Option<Box<Located<Affinity>>>,
    /// Spread the pods over zones or nodes.
    pub topology_spread: Located<Vec<Located<TopologySpread>>>,
    /// Run as this existing ServiceAccount instead of one prefectc creates for the component.
    pub service_account: Option<Located<String>>,
    /// Annotations of the ServiceAccount (IRSA, Workload Identity).
    pub service_account_annotations: Located<IndexMap<String, Located<String>>>,
}

/// Whether a worker installs its type's package at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InstallPolicy {
    /// Always install.
    Always,
    /// Install when missing.
    IfNotPresent,
    /// Never install: the image must have it (the hardened default).
    Never,
}

impl InstallPolicy {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [InstallPolicy] = &[
        InstallPolicy::Always,
        InstallPolicy::IfNotPresent,
        InstallPolicy::Never,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            InstallPolicy::Always => "always",
            InstallPolicy::IfNotPresent => "if-not-present",
            InstallPolicy::Never => "never",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<InstallPolicy> {
        InstallPolicy::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text)
    }
}

/// Extra RBAC rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Rbac {
    /// Rules added to the component's Role.
    pub extra_rules: Located<Vec<Located<PolicyRule>>>,
}

/// Where a worker's base job template comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum BaseJobTemplate {
    /// The template as JSON text (`"""{ "job_configuration": …, "variables": … }"""`).
    Inline(String),
    /// An existing ConfigMap with the template under the key `baseJobTemplate.json`.
    Existing(ConfigMapName),
}

impl BaseJobTemplate {
    /// The variant's tag as written in `.pfk` source.
    pub fn tag(&self) -> &'static str {
        match self {
            BaseJobTemplate::Inline(_) => "inline",
            BaseJobTemplate::Existing(_) => "existing",
        }
    }
}

/// Settings of the init containers prefectc adds to a worker. Unset fields
/// follow the worker's own.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerInit {
    /// Their resources; the worker's when unset.
    pub resources: Option<Box<Located<Resources>>>,
    /// Their security settings, over the worker's `security`.
    pub security: Located<ContainerSecurity>,
    /// Extra environment: a value, or `secret(name, key)` / `config-map(name, key)`.
    pub env: Located<IndexMap<String, Located<StringOrSecretOrConfigMap>>>,
}

/// How a pod resolves names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DnsPolicy {
    /// The cluster DNS, then the node's resolvers (Kubernetes' default).
    ClusterFirst,
    /// `cluster-first` for pods on the host network.
    ClusterFirstWithHostNet,
    /// The node's resolver configuration.
    Default,
    /// Only `dns-config` (Kubernetes' `None`; `none` would unset the field).
    ConfigOnly,
}

impl DnsPolicy {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [DnsPolicy] = &[
        DnsPolicy::ClusterFirst,
        DnsPolicy::ClusterFirstWithHostNet,
        DnsPolicy::Default,
        DnsPolicy::ConfigOnly,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            DnsPolicy::ClusterFirst => "cluster-first",
            DnsPolicy::ClusterFirstWithHostNet => "cluster-first-with-host-net",
            DnsPolicy::Default => "default",
            DnsPolicy::ConfigOnly => "config-only",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<DnsPolicy> {
        DnsPolicy::ALL.iter().copied().find(|v| v.as_str() == text)
    }
}

/// Resolver settings of a pod.
#[derive(Debug, Clone, PartialEq)]
pub struct DnsConfig {
    /// Name server IP addresses.
    pub nameservers: Located<Vec<Located<String>>>,
    /// Search domains (DNS names).
    pub searches: Located<Vec<Located<String>>>,
    /// Resolver options by name (`ndots = "2"`); an empty value writes the option without one (`edns0 = ""`).
    pub options: Located<IndexMap<String, Located<String>>>,
}

/// The liveness and readiness probes of a worker's health endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerProbes {
    /// `/health` (or its `path`) on `healthcheck-port`: restart the worker when it stops polling.
    pub liveness: Located<ProbeTiming>,
    /// `/health` (or its `path`) on `healthcheck-port`: mark the pod unready while the worker does not poll.
    pub readiness: Located<ProbeTiming>,
}
