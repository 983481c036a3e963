// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! The types of `stdlib/agent.pfk`.

use crate::map::IndexMap;

use super::*;

/// A Prefect 2 agent (legacy; workers replaced agents in Prefect 3).
#[derive(Debug, Clone, PartialEq)]
pub struct Agent {
    /// The Prefect API the agent talks to.
    pub api: Located<Api>,
    /// The work pool to poll.
    pub pool: Option<Located<String>>,
    /// Work queues to poll; `default` when neither queues nor pool are given.
    pub queues: Located<Vec<Located<String>>>,
    /// The image; derived from `site.prefect` when unset. Must be a Prefect 2 image.
    pub image: Option<Located<String>>,
    /// When the kubelet pulls the image.
    pub image_pull_policy: Located<PullPolicy>,
    /// Agent pods; each polls on its own.
    pub replicas: Located<i64>,
    /// The most flow runs the agent runs at once.
    pub limit: Option<Located<i64>>,
    /// How often the agent polls (`PREFECT_AGENT_QUERY_INTERVAL`).
    pub query_interval: Located<Millis>,
    /// How early scheduled runs are submitted.
    pub prefetch: Located<Millis>,
    /// Talk HTTP/2 to the API.
    pub http2: Located<bool>,
    /// Prefect's debug mode.
    pub debug: Located<bool>,
    /// The cluster UID reported with flow runs.
    pub cluster_uid: Option<Located<String>>,
    /// Extra environment.
    pub env: Located<IndexMap<String, Located<StringOrSecretOrConfigMap>>>,
    /// Whole Secrets and ConfigMaps exported as environment variables (`secret("name")`, `config-map("name")`).
    pub env_from: Located<Vec<Located<SecretNameOrConfigMapName>>>,
    /// Container resources.
    pub resources: Located<Resources>,
    /// Pod and container security.
    pub security: Located<Security>,
    /// RBAC beyond the Jobs and pods an agent manages.
    pub rbac: Located<Rbac>,
    /// Labels of the pods.
    pub pod_labels: Located<IndexMap<String, Located<String>>>,
    /// Annotations of the pods.
    pub pod_annotations: Located<IndexMap<String, Located<String>>>,
    /// Schedule only onto nodes with these labels.
    pub node_selector: Located<IndexMap<String, Located<String>>>,
    /// Taints the pods tolerate.
    pub tolerations: Located<Vec<Located<Toleration>>>,
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
}
