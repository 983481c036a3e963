//! The Kubernetes objects prefectc emits, as typed structs. Fields that policy
//! rules judge are [`Tracked`]: they serialise as their value and remember the
//! `.pfk` span (or default) they came from.

use crate::map::IndexMap;
use serde::{Serialize, Serializer};

use crate::model::Prov;
use crate::source::Span;

mod moved;
mod objects;
mod pod;

pub use objects::*;
pub use pod::*;

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Tracked<T> {
    pub value: T,
    pub prov: Prov,
}

impl<T: Serialize> Serialize for Tracked<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

pub type Labels = IndexMap<LabelKey, String>;

/// A label or annotation key: most are prefectc's own (`app.kubernetes.io/name`),
/// borrowed rather than copied into every object's map.
pub type LabelKey = Word;

/// A string that is most often one of prefectc's own, borrowed from the
/// binary rather than copied into every object: a label key, an RBAC
/// rule's verb or resource (a worker's Roles held some forty such
/// `String`s).
pub type Word = std::borrow::Cow<'static, str>;

pub(crate) fn is_empty_map<K, V>(m: &IndexMap<K, V>) -> bool {
    m.is_empty()
}

/// An object's labels or annotations, shared by the objects that have the
/// same ones: a worker's ServiceAccount, ConfigMap, Roles, bindings and
/// Deployment carry one set of labels, which a site of thousands of
/// workers held once per object (a dozen strings and a map each). Reads
/// go through to the map; a change copies it first when it is shared
/// ([`std::sync::Arc::make_mut`]). Empty, it holds nothing.
#[derive(Debug, Clone, Default)]
pub struct SharedLabels(Option<std::sync::Arc<Labels>>);

impl SharedLabels {
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|m| m.is_empty())
    }

    /// The same map as `other` when both hold one map.
    pub fn ptr_eq(&self, other: &SharedLabels) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => std::sync::Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}

impl From<Labels> for SharedLabels {
    fn from(labels: Labels) -> SharedLabels {
        SharedLabels((!labels.is_empty()).then(|| std::sync::Arc::new(labels)))
    }
}

/// The maps' entries, order aside (as `IndexMap`'s `==`).
impl PartialEq for SharedLabels {
    fn eq(&self, other: &SharedLabels) -> bool {
        self.ptr_eq(other) || **self == **other
    }
}

impl std::ops::Deref for SharedLabels {
    type Target = Labels;

    fn deref(&self) -> &Labels {
        static EMPTY: std::sync::OnceLock<Labels> = std::sync::OnceLock::new();
        match &self.0 {
            Some(m) => m,
            None => EMPTY.get_or_init(Labels::default),
        }
    }
}

impl std::ops::DerefMut for SharedLabels {
    fn deref_mut(&mut self) -> &mut Labels {
        std::sync::Arc::make_mut(self.0.get_or_insert_with(Default::default))
    }
}

impl Serialize for SharedLabels {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Some(labels) => shared(labels, s),
            None => (**self).serialize(s),
        }
    }
}

/// The newtype name of a value shared through an `Arc` by many objects:
/// a serializer that writes the same text for it at the same place each
/// time (the YAML writer) may write it once and copy it after (while the
/// objects live and do not change: `emit::yaml::shared`). Every other
/// serializer sees the value itself.
pub const SHARED: &str = "$prefectc::shared";

/// `value`, the content of an `Arc` the objects share, as [`SHARED`]: for
/// `#[serde(serialize_with = "shared")]`.
pub(crate) fn shared<T: Serialize + ?Sized, S: Serializer>(
    value: &std::sync::Arc<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_newtype_struct(SHARED, &**value)
}

/// [`shared`] for an optional `Arc`.
pub(crate) fn shared_some<T: Serialize + ?Sized, S: Serializer>(
    value: &Option<std::sync::Arc<T>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => shared(v, s),
        None => s.serialize_none(),
    }
}

#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<std::sync::Arc<str>>,
    #[serde(skip_serializing_if = "SharedLabels::is_empty")]
    pub labels: SharedLabels,
    #[serde(skip_serializing_if = "SharedLabels::is_empty")]
    pub annotations: SharedLabels,
}

/// One emitted object, with the component it came from.
#[derive(Debug, Clone)]
pub struct Object {
    pub resource: std::sync::Arc<Resource>,
    /// The header of the component that produced it.
    pub origin: Span,
}

impl Object {
    pub fn meta(&self) -> &ObjectMeta {
        match &*self.resource {
            Resource::ServiceAccount(o) => &o.metadata,
            Resource::ConfigMap(o) => &o.metadata,
            Resource::Role(o) | Resource::ClusterRole(o) => &o.metadata,
            Resource::RoleBinding(o) | Resource::ClusterRoleBinding(o) => &o.metadata,
            Resource::Service(o) => &o.metadata,
            Resource::PersistentVolumeClaim(o) => &o.metadata,
            Resource::StatefulSet(o) => &o.metadata,
            Resource::Deployment(o) => &o.metadata,
            Resource::Job(o) => &o.metadata,
            Resource::HorizontalPodAutoscaler(o) => &o.metadata,
            Resource::PodDisruptionBudget(o) => &o.metadata,
            Resource::Ingress(o) => &o.metadata,
            Resource::NetworkPolicy(o) => &o.metadata,
            Resource::Generic(o) => &o.metadata,
        }
    }

    pub fn kind(&self) -> &str {
        match &*self.resource {
            Resource::ServiceAccount(_) => "ServiceAccount",
            Resource::ConfigMap(_) => "ConfigMap",
            Resource::Role(o) | Resource::ClusterRole(o) => o.kind,
            Resource::RoleBinding(o) | Resource::ClusterRoleBinding(o) => o.kind,
            Resource::Service(_) => "Service",
            Resource::PersistentVolumeClaim(_) => "PersistentVolumeClaim",
            Resource::StatefulSet(_) => "StatefulSet",
            Resource::Deployment(_) => "Deployment",
            Resource::Job(_) => "Job",
            Resource::HorizontalPodAutoscaler(_) => "HorizontalPodAutoscaler",
            Resource::PodDisruptionBudget(_) => "PodDisruptionBudget",
            Resource::Ingress(_) => "Ingress",
            Resource::NetworkPolicy(_) => "NetworkPolicy",
            Resource::Generic(g) => g.kind,
        }
    }

    /// Position in the output: the order of LANGUAGE.md.
    pub fn rank(&self) -> usize {
        kind_rank(self.kind())
    }
}

/// The position of objects of `kind` in the output: the order of
/// LANGUAGE.md; kinds it does not list come last.
pub fn kind_rank(kind: &str) -> usize {
    const ORDER: &[&str] = &[
        "Namespace",
        "ServiceAccount",
        "ConfigMap",
        "ClusterRole",
        "ClusterRoleBinding",
        "Role",
        "RoleBinding",
        "Service",
        "PersistentVolumeClaim",
        "StatefulSet",
        "Deployment",
        "Job",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "Ingress",
        "Gateway",
        "HTTPRoute",
        "NetworkPolicy",
        "ServiceMonitor",
        "PrometheusRule",
    ];
    ORDER.iter().position(|k| *k == kind).unwrap_or(ORDER.len())
}

#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Resource {
    ServiceAccount(ServiceAccount),
    ConfigMap(ConfigMap),
    Role(Role),
    RoleBinding(RoleBinding),
    /// A [`Role`] whose kind is `ClusterRole` (no namespace).
    ClusterRole(Role),
    /// A [`RoleBinding`] whose kind is `ClusterRoleBinding` (no namespace).
    ClusterRoleBinding(RoleBinding),
    // The workloads, boxed: a pod template is most of an object's size,
    // and a site's objects are mostly small (ServiceAccounts, Roles,
    // ConfigMaps), so an unboxed enum made each of them 1.9 KB. The other
    // kinds larger than a RoleBinding are boxed too (a Service was 288
    // bytes, and every object took its size).
    Service(Box<Service>),
    PersistentVolumeClaim(Box<PersistentVolumeClaim>),
    StatefulSet(Box<StatefulSet>),
    Deployment(Box<Deployment>),
    Job(Box<Job>),
    HorizontalPodAutoscaler(Box<HorizontalPodAutoscaler>),
    PodDisruptionBudget(Box<PodDisruptionBudget>),
    Ingress(Box<Ingress>),
    NetworkPolicy(Box<NetworkPolicy>),
    /// Kinds whose whole spec is plain data (CRDs such as ServiceMonitor,
    /// Gateway, HTTPRoute): no policy rule looks inside them.
    Generic(Generic),
}

impl Resource {
    /// The pod template of a workload (Deployment, StatefulSet, Job).
    pub fn pod_template(&self) -> Option<&PodTemplate> {
        match self {
            Resource::Deployment(d) => Some(&d.spec.template),
            Resource::StatefulSet(s) => Some(&s.spec.template),
            Resource::Job(j) => Some(&j.spec.template),
            Resource::ServiceAccount(_)
            | Resource::ConfigMap(_)
            | Resource::Role(_)
            | Resource::RoleBinding(_)
            | Resource::ClusterRole(_)
            | Resource::ClusterRoleBinding(_)
            | Resource::Service(_)
            | Resource::PersistentVolumeClaim(_)
            | Resource::HorizontalPodAutoscaler(_)
            | Resource::PodDisruptionBudget(_)
            | Resource::Ingress(_)
            | Resource::NetworkPolicy(_)
            | Resource::Generic(_) => None,
        }
    }

    /// Whether its pods run to completion (a Job) rather than for good.
    pub fn is_job(&self) -> bool {
        matches!(self, Resource::Job(_))
    }

    /// The rules of a Role or ClusterRole.
    pub fn role_rules(&self) -> &[PolicyRule] {
        match self {
            Resource::Role(r) | Resource::ClusterRole(r) => &r.rules,
            Resource::ServiceAccount(_)
            | Resource::ConfigMap(_)
            | Resource::RoleBinding(_)
            | Resource::ClusterRoleBinding(_)
            | Resource::Service(_)
            | Resource::PersistentVolumeClaim(_)
            | Resource::StatefulSet(_)
            | Resource::Deployment(_)
            | Resource::Job(_)
            | Resource::HorizontalPodAutoscaler(_)
            | Resource::PodDisruptionBudget(_)
            | Resource::Ingress(_)
            | Resource::NetworkPolicy(_)
            | Resource::Generic(_) => &[],
        }
    }

    /// A RoleBinding (not a ClusterRoleBinding).
    pub fn role_binding(&self) -> Option<&RoleBinding> {
        match self {
            Resource::RoleBinding(b) => Some(b),
            Resource::ServiceAccount(_)
            | Resource::ConfigMap(_)
            | Resource::Role(_)
            | Resource::ClusterRole(_)
            | Resource::ClusterRoleBinding(_)
            | Resource::Service(_)
            | Resource::PersistentVolumeClaim(_)
            | Resource::StatefulSet(_)
            | Resource::Deployment(_)
            | Resource::Job(_)
            | Resource::HorizontalPodAutoscaler(_)
            | Resource::PodDisruptionBudget(_)
            | Resource::Ingress(_)
            | Resource::NetworkPolicy(_)
            | Resource::Generic(_) => None,
        }
    }

    /// A NetworkPolicy.
    pub fn network_policy(&self) -> Option<&NetworkPolicy> {
        match self {
            Resource::NetworkPolicy(p) => Some(p),
            Resource::ServiceAccount(_)
            | Resource::ConfigMap(_)
            | Resource::Role(_)
            | Resource::RoleBinding(_)
            | Resource::ClusterRole(_)
            | Resource::ClusterRoleBinding(_)
            | Resource::Service(_)
            | Resource::PersistentVolumeClaim(_)
            | Resource::StatefulSet(_)
            | Resource::Deployment(_)
            | Resource::Job(_)
            | Resource::HorizontalPodAutoscaler(_)
            | Resource::PodDisruptionBudget(_)
            | Resource::Ingress(_)
            | Resource::Generic(_) => None,
        }
    }
}
