//! Namespaces the cluster creates itself: prefectc never emits a Namespace
//! object for them, so with `create-namespace` a job namespace among them
//! keeps whatever Pod Security labels the cluster gave it.

/// The namespaces every Kubernetes cluster creates.
pub const CREATED_BY_CLUSTER: [&str; 4] =
    ["default", "kube-system", "kube-public", "kube-node-lease"];

/// Whether the cluster creates `namespace` itself.
pub fn created_by_cluster(namespace: &str) -> bool {
    CREATED_BY_CLUSTER.contains(&namespace)
}
