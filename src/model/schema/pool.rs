// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! The types of `stdlib/pool.pfk`.

use super::*;

/// A Prefect work pool. Workers of the same type join it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    /// The kind of infrastructure flow runs are started on.
    pub type_: Located<WorkerType>,
    /// The most flow runs of the pool that may run at once.
    pub concurrency: Option<Located<i64>>,
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
