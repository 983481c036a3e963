//! What follows from a worker's type: whether it starts Kubernetes Jobs (and
//! so needs RBAC in its job namespaces and the `-kubernetes` image), and
//! where those Jobs run.

use super::schema::{Worker, WorkerType};

impl WorkerType {
    /// Flow runs become Kubernetes Jobs in the job namespaces.
    pub fn starts_jobs(self) -> bool {
        self == WorkerType::Kubernetes
    }

    /// The Prefect image variant with the type's package installed.
    pub fn image_variant(self) -> Option<&'static str> {
        self.starts_jobs().then_some("kubernetes")
    }
}

impl Worker {
    /// The worker's type: written, or inferred from its pool by check (which
    /// reports E0402 when it cannot be), so never missing after check.
    pub fn worker_type(&self) -> WorkerType {
        self.type_.as_ref().map_or(WorkerType::Process, |t| t.value)
    }

    /// The namespaces where a kubernetes worker starts Jobs: `job-namespaces`,
    /// or the site's namespace when empty.
    pub fn job_namespaces<'a>(&'a self, site_namespace: &'a str) -> Vec<&'a str> {
        if self.job_namespaces.is_empty() {
            vec![site_namespace]
        } else {
            self.job_namespaces
                .iter()
                .map(|n| n.value.as_str())
                .collect()
        }
    }

    /// The pool's name: a declared pool's, or the one written.
    pub fn pool_name(&self) -> &str {
        match &self.pool.value {
            super::schema::PoolOrString::Pool(p) => &p.name,
            super::schema::PoolOrString::String(s) => s,
        }
    }
}
