// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! The types of `stdlib/pool.pfk`.

use crate::map::IndexMap;

use super::*;

/// A Prefect work pool. Workers of the same type join it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    /// The kind of infrastructure flow runs are started on.
    pub type_: Located<WorkerType>,
    /// The most flow runs of the pool that may run at once.
    pub concurrency: Option<Located<i64>>,
    /// The flow-run Jobs of a kubernetes pool: prefectc writes them into the pool's base job template, hardened to the site's policy (docs/flow-runs.md).
    pub flow_runs: Located<FlowRuns>,
}

/// The pods a kubernetes worker starts for the flow runs of its pool. prefectc
/// starts from the pinned Prefect's default base job template and changes only
/// what these say; every default is the hardened choice. A deployment may still
/// override the template's variables (`job_variables`: image, env, namespace, …).
#[derive(Debug, Clone, PartialEq)]
pub struct FlowRuns {
    /// The image of the flow-run container; the site's Prefect image (`prefecthq/prefect:<prefect>-python<python>`) when unset.
    pub image: Option<Located<String>>,
    /// When the kubelet pulls the image.
    pub image_pull_policy: Located<PullPolicy>,
    /// The flow-run container's resources; extended resources such as GPUs under `extended` (`limits = { extended = { "nvidia.com/gpu" = 1 } }`).
    pub resources: Located<Resources>,
    /// Pod and container security.
    pub security: Located<Security>,
    /// Extra environment: a value, or `secret(name, key)` / `config-map(name, key)`.
    pub env: Located<IndexMap<String, Located<StringOrSecretOrConfigMap>>>,
    /// Whole Secrets and ConfigMaps exported as environment variables (`secret("name")`, `config-map("name")`).
    pub env_from: Located<Vec<Located<SecretNameOrConfigMapName>>>,
    /// Labels of the Jobs and their pods.
    pub labels: Located<IndexMap<String, Located<String>>>,
    /// Annotations of the Jobs and their pods.
    pub annotations: Located<IndexMap<String, Located<String>>>,
    /// Schedule only onto nodes with these labels.
    pub node_selector: Located<IndexMap<String, Located<String>>>,
    /// Taints the pods tolerate.
    pub tolerations: Located<Vec<Located<Toleration>>>,
    /// Node affinity of the pods.
    pub affinity: Option<Box<Located<Affinity>>>,
    /// The PriorityClass of the pods.
    pub priority_class: Option<Located<String>>,
    /// Run as this existing ServiceAccount instead of the one prefectc creates in each job namespace (`<pool>-flow-run`, with no RBAC).
    pub service_account: Option<Located<String>>,
    /// Mount a ServiceAccount token into the flow-run container (for flows that call the Kubernetes API).
    pub automount_service_account_token: Located<bool>,
    /// Volumes of the pods, by name (`data = pvc { claim = "data" }`).
    pub volumes: Located<IndexMap<String, Located<Volume>>>,
    /// Volumes mounted into the flow-run container.
    pub volume_mounts: Located<Vec<Located<VolumeMount>>>,
    /// Delete a finished Job and its pods after this long; kept until deleted when unset.
    pub ttl_after_finished: Option<Located<Millis>>,
    /// How many times Kubernetes restarts a failed flow-run pod (Prefect's own retries are separate); the template's default when unset.
    pub backoff_limit: Option<Located<i64>>,
    /// Stop a flow run's Job that runs longer than this.
    pub active_deadline: Option<Located<Millis>>,
}

/// The kinds of workers and pools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WorkerType {
    /// Flow runs as local processes of the worker.
    Process,
    /// Flow runs as Kubernetes Jobs.
    Kubernetes,
    /// Flow runs as Docker containers.
    Docker,
    /// Flow runs as AWS ECS tasks.
    Ecs,
    /// Flow runs as Google Cloud Run jobs.
    CloudRun,
    /// Flow runs as Google Cloud Run v2 jobs.
    CloudRunV2,
    /// Flow runs as Vertex AI custom jobs.
    VertexAi,
    /// Flow runs as Azure Container Instances.
    AzureContainerInstance,
}

impl WorkerType {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [WorkerType] = &[
        WorkerType::Process,
        WorkerType::Kubernetes,
        WorkerType::Docker,
        WorkerType::Ecs,
        WorkerType::CloudRun,
        WorkerType::CloudRunV2,
        WorkerType::VertexAi,
        WorkerType::AzureContainerInstance,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            WorkerType::Process => "process",
            WorkerType::Kubernetes => "kubernetes",
            WorkerType::Docker => "docker",
            WorkerType::Ecs => "ecs",
            WorkerType::CloudRun => "cloud-run",
            WorkerType::CloudRunV2 => "cloud-run-v2",
            WorkerType::VertexAi => "vertex-ai",
            WorkerType::AzureContainerInstance => "azure-container-instance",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<WorkerType> {
        WorkerType::ALL.iter().copied().find(|v| v.as_str() == text)
    }
}
