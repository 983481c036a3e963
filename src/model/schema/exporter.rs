// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! The types of `stdlib/exporter.pfk`.

use crate::map::IndexMap;

use super::*;

/// The Prometheus Prefect exporter: turns the Prefect API into metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct Exporter {
    /// The Prefect API to read.
    pub api: Located<Api>,
    /// The exporter image.
    pub image: Located<String>,
    /// When the kubelet pulls the image.
    pub image_pull_policy: Located<PullPolicy>,
    /// Exporter pods; more than one duplicates every series.
    pub replicas: Located<i64>,
    /// The port metrics are served on, in the container.
    pub port: Located<i64>,
    /// The port of the exporter's Service.
    pub service_port: Located<i64>,
    /// The Service in front of the exporter (its port is `service-port`).
    pub service: Located<ServiceOptions>,
    /// Page through API results.
    pub pagination: Located<bool>,
    /// Results per page.
    pub pagination_limit: Located<i64>,
    /// Send Prefect's CSRF token (servers with CSRF protection on).
    pub csrf: Located<bool>,
    /// Extra environment.
    pub env: Located<IndexMap<String, Located<StringOrSecretOrConfigMap>>>,
    /// Whole Secrets and ConfigMaps exported as environment variables (`secret("name")`, `config-map("name")`).
    pub env_from: Located<Vec<Located<SecretNameOrConfigMapName>>>,
    /// A Prometheus Operator ServiceMonitor.
    pub service_monitor: Option<Box<Located<ServiceMonitor>>>,
    /// A Prometheus Operator PrometheusRule: a default set of alerts, and yours.
    pub prometheus_rule: Option<Box<Located<PrometheusRule>>>,
    /// Horizontal autoscaling. Every replica exports every series, so more than one duplicates them (policy rule `prefect/exporter-replicas`).
    pub autoscaling: Option<Box<Located<Autoscaling>>>,
    /// A PodDisruptionBudget for the exporter pods.
    pub disruption: Option<Box<Located<Disruption>>>,
    /// Container resources.
    pub resources: Located<Resources>,
    /// Pod and container security.
    pub security: Located<Security>,
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

/// A Prometheus Operator ServiceMonitor.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceMonitor {
    /// How often Prometheus scrapes.
    pub interval: Located<Millis>,
    /// The scrape timeout.
    pub timeout: Option<Located<Millis>>,
    /// Labels Prometheus selects ServiceMonitors by.
    pub labels: Located<IndexMap<String, Located<String>>>,
    /// Relabelings applied to the target before it is scraped.
    pub relabelings: Located<Vec<Located<Relabeling>>>,
    /// Relabelings applied to the scraped samples.
    pub metric_relabelings: Located<Vec<Located<Relabeling>>>,
}

/// A Prometheus relabeling step.
#[derive(Debug, Clone, PartialEq)]
pub struct Relabeling {
    /// Labels whose values are joined into the input.
    pub source_labels: Located<Vec<Located<String>>>,
    /// The separator between the joined values; Prometheus uses `;`.
    pub separator: Option<Located<String>>,
    /// The label the result is written to.
    pub target_label: Option<Located<String>>,
    /// The regular expression the input is matched against; Prometheus uses `(.*)`.
    pub regex: Option<Located<String>>,
    /// The modulus of `hashmod`.
    pub modulus: Option<Located<i64>>,
    /// The replacement, with `$1`-style references; Prometheus uses `$1`.
    pub replacement: Option<Located<String>>,
    /// What the step does.
    pub action: Located<RelabelAction>,
}

/// Prometheus relabeling actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RelabelAction {
    /// Write `replacement` to `target-label`.
    Replace,
    /// Keep only the targets or samples that match.
    Keep,
    /// Drop the targets or samples that match.
    Drop,
    /// Keep when the input equals `target-label`'s value.
    Keepequal,
    /// Drop when the input equals `target-label`'s value.
    Dropequal,
    /// Write a hash of the input modulo `modulus` to `target-label`.
    Hashmod,
    /// Copy the labels whose names match to names given by `replacement`.
    Labelmap,
    /// Remove the labels whose names match.
    Labeldrop,
    /// Keep only the labels whose names match.
    Labelkeep,
    /// Write the lower-cased input to `target-label`.
    Lowercase,
    /// Write the upper-cased input to `target-label`.
    Uppercase,
}

impl RelabelAction {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [RelabelAction] = &[
        RelabelAction::Replace,
        RelabelAction::Keep,
        RelabelAction::Drop,
        RelabelAction::Keepequal,
        RelabelAction::Dropequal,
        RelabelAction::Hashmod,
        RelabelAction::Labelmap,
        RelabelAction::Labeldrop,
        RelabelAction::Labelkeep,
        RelabelAction::Lowercase,
        RelabelAction::Uppercase,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            RelabelAction::Replace => "replace",
            RelabelAction::Keep => "keep",
            RelabelAction::Drop => "drop",
            RelabelAction::Keepequal => "keepequal",
            RelabelAction::Dropequal => "dropequal",
            RelabelAction::Hashmod => "hashmod",
            RelabelAction::Labelmap => "labelmap",
            RelabelAction::Labeldrop => "labeldrop",
            RelabelAction::Labelkeep => "labelkeep",
            RelabelAction::Lowercase => "lowercase",
            RelabelAction::Uppercase => "uppercase",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<RelabelAction> {
        RelabelAction::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text)
    }
}

/// A Prometheus Operator PrometheusRule over the exporter's metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct PrometheusRule {
    /// Labels Prometheus selects rules by.
    pub labels: Located<IndexMap<String, Located<String>>>,
    /// The alerts prefectc writes; leave one out to switch it off (`builtin = []` for none).
    pub builtin: Located<Vec<Located<BuiltinAlert>>>,
    /// Alerts of your own.
    pub alerts: Located<Vec<Located<Alert>>>,
}

/// The alerts prefectc can write for an exporter. The metric names are the
/// exporter's, as in the sample alerts of the prometheus-prefect-exporter chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BuiltinAlert {
    /// `PrefectExporterDown`: Prometheus cannot scrape the exporter for 5 minutes (critical).
    ExporterDown,
    /// `PrefectWorkPoolsPaused`: every work pool is paused for 15 minutes (warning).
    WorkPoolsPaused,
    /// `PrefectWorkQueuesPaused`: every work queue is paused for 15 minutes (warning).
    WorkQueuesPaused,
    /// `PrefectDeploymentsPaused`: every deployment's schedule is paused for 15 minutes (warning).
    DeploymentsPaused,
    /// `PrefectFlowRunsFailed`: a flow run failed or crashed in the last 5 minutes (warning).
    FlowRunsFailed,
}

impl BuiltinAlert {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [BuiltinAlert] = &[
        BuiltinAlert::ExporterDown,
        BuiltinAlert::WorkPoolsPaused,
        BuiltinAlert::WorkQueuesPaused,
        BuiltinAlert::DeploymentsPaused,
        BuiltinAlert::FlowRunsFailed,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            BuiltinAlert::ExporterDown => "exporter-down",
            BuiltinAlert::WorkPoolsPaused => "work-pools-paused",
            BuiltinAlert::WorkQueuesPaused => "work-queues-paused",
            BuiltinAlert::DeploymentsPaused => "deployments-paused",
            BuiltinAlert::FlowRunsFailed => "flow-runs-failed",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<BuiltinAlert> {
        BuiltinAlert::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text)
    }
}

/// A Prometheus alerting rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// The alert's name (`alert`).
    pub name: Located<String>,
    /// The PromQL condition.
    pub expr: Located<String>,
    /// How long the condition must hold before the alert fires (`for`).
    pub pending: Located<Millis>,
    /// Labels of the alert, such as `severity = "critical"`.
    pub labels: Located<IndexMap<String, Located<String>>>,
    /// Annotations of the alert, such as `summary` and `description`.
    pub annotations: Located<IndexMap<String, Located<String>>>,
}
