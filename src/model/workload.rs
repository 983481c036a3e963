//! What every workload kind (server, worker, agent, exporter) says about its
//! pods and main container: the same stdlib fields in each schema, seen
//! through one [`Workload`], so that one builder lowers them all.

use crate::map::IndexMap;

use super::schema::*;
use super::{Component, Spec};

/// A map of strings: labels, annotations, node selectors.
pub type StringMap = IndexMap<String, Located<String>>;

/// The pod and main-container settings of a workload component.
pub struct Workload<'a> {
    /// The image; derived from `site.prefect` when `None`.
    pub image: Option<&'a Located<String>>,
    pub image_pull_policy: &'a Located<PullPolicy>,
    pub replicas: &'a Located<i64>,
    pub resources: &'a Located<Resources>,
    pub security: &'a Located<Security>,
    pub env: &'a Located<IndexMap<String, Located<StringOrSecretOrConfigMap>>>,
    pub env_from: &'a Located<Vec<Located<SecretNameOrConfigMapName>>>,
    pub command: Option<&'a Located<Vec<Located<String>>>>,
    pub args: Option<&'a Located<Vec<Located<String>>>>,
    pub extra_args: &'a Located<Vec<Located<String>>>,
    pub lifecycle: Option<&'a Located<Lifecycle>>,
    pub pod_labels: &'a Located<StringMap>,
    pub pod_annotations: &'a Located<StringMap>,
    pub node_selector: &'a Located<StringMap>,
    pub tolerations: &'a Located<Vec<Located<Toleration>>>,
    pub affinity: Option<&'a Located<Affinity>>,
    pub topology_spread: &'a Located<Vec<Located<TopologySpread>>>,
    pub priority_class: Option<&'a Located<String>>,
    pub termination_grace_period: Option<&'a Located<Millis>>,
    pub automount_service_account_token: &'a Located<bool>,
    pub service_account: Option<&'a Located<String>>,
    /// Annotations of the ServiceAccount, for kinds that have them.
    pub service_account_annotations: Option<&'a Located<StringMap>>,
    pub volumes: &'a Located<IndexMap<String, Located<Volume>>>,
    pub volume_mounts: &'a Located<Vec<Located<VolumeMount>>>,
    pub sidecars: &'a Located<Vec<Located<Container>>>,
    pub init_containers: &'a Located<Vec<Located<Container>>>,
    pub revision_history: &'a Located<i64>,
    pub update_strategy: Option<&'a Located<UpdateStrategy>>,
    /// Horizontal autoscaling, for kinds that scale.
    pub autoscaling: Option<&'a Located<Autoscaling>>,
    /// A PodDisruptionBudget, for kinds that have one.
    pub disruption: Option<&'a Located<Disruption>>,
}

/// A `Workload` from the fields every workload schema shares, and the
/// parts only some have (`|s| None` where the schema lacks them).
macro_rules! workload {
    ($schema:ty, image: $image:expr, service_account_annotations: $sa:expr,
     autoscaling: $autoscaling:expr, disruption: $disruption:expr $(,)?) => {
        impl $schema {
            /// The pod and main-container settings.
            pub fn workload(&self) -> Workload<'_> {
                let (image, sa, autoscaling, disruption): (
                    fn(&$schema) -> Option<&Located<String>>,
                    fn(&$schema) -> Option<&Located<StringMap>>,
                    fn(&$schema) -> Option<&Located<Autoscaling>>,
                    fn(&$schema) -> Option<&Located<Disruption>>,
                ) = ($image, $sa, $autoscaling, $disruption);
                Workload {
                    image: image(self),
                    image_pull_policy: &self.image_pull_policy,
                    replicas: &self.replicas,
                    resources: &self.resources,
                    security: &self.security,
                    env: &self.env,
                    env_from: &self.env_from,
                    command: self.command.as_ref(),
                    args: self.args.as_ref(),
                    extra_args: &self.extra_args,
                    lifecycle: self.lifecycle.as_deref(),
                    pod_labels: &self.pod_labels,
                    pod_annotations: &self.pod_annotations,
                    node_selector: &self.node_selector,
                    tolerations: &self.tolerations,
                    affinity: self.affinity.as_deref(),
                    topology_spread: &self.topology_spread,
                    priority_class: self.priority_class.as_ref(),
                    termination_grace_period: self.termination_grace_period.as_ref(),
                    automount_service_account_token: &self.automount_service_account_token,
                    service_account: self.service_account.as_ref(),
                    service_account_annotations: sa(self),
                    volumes: &self.volumes,
                    volume_mounts: &self.volume_mounts,
                    sidecars: &self.sidecars,
                    init_containers: &self.init_containers,
                    revision_history: &self.revision_history,
                    update_strategy: self.update_strategy.as_ref(),
                    autoscaling: autoscaling(self),
                    disruption: disruption(self),
                }
            }
        }
    };
}

workload!(Server,
    image: |s| s.image.as_ref(),
    service_account_annotations: |s| Some(&s.service_account_annotations),
    autoscaling: |s| s.autoscaling.as_deref(),
    disruption: |s| s.disruption.as_deref(),
);
workload!(Worker,
    image: |s| s.image.as_ref(),
    service_account_annotations: |s| Some(&s.service_account_annotations),
    autoscaling: |s| s.autoscaling.as_deref(),
    disruption: |s| s.disruption.as_deref(),
);
workload!(Agent,
    image: |s| s.image.as_ref(),
    service_account_annotations: |_| None,
    autoscaling: |_| None,
    disruption: |_| None,
);
workload!(Exporter,
    image: |s| Some(&s.image),
    service_account_annotations: |_| None,
    autoscaling: |s| s.autoscaling.as_deref(),
    disruption: |s| s.disruption.as_deref(),
);

impl Component {
    /// The pod settings of a workload component; `None` for a pool.
    pub fn workload(&self) -> Option<Workload<'_>> {
        match &self.spec {
            Spec::Server(s) => Some(s.workload()),
            Spec::Worker(w) => Some(w.workload()),
            Spec::Agent(a) => Some(a.workload()),
            Spec::Exporter(e) => Some(e.workload()),
            Spec::Pool(_) => None,
        }
    }
}
