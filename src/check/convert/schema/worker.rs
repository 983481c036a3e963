// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! Reads checked values into the types of `stdlib/worker.pfk`.

use super::super::{FromRec, FromTyped, Mismatch, field, optional_field, record};
use crate::check::model::{Rec, TVal, Typed};
use crate::model::schema::*;

impl FromRec for Worker {
    fn from_rec(rec: &Rec) -> Result<Worker, Mismatch> {
        Ok(Worker {
            pool: field(rec, "pool")?,
            type_: optional_field(rec, "type")?,
            api: field(rec, "api")?,
            image: optional_field(rec, "image")?,
            image_pull_policy: field(rec, "image-pull-policy")?,
            replicas: field(rec, "replicas")?,
            queues: field(rec, "queues")?,
            name: optional_field(rec, "name")?,
            limit: optional_field(rec, "limit")?,
            install_policy: field(rec, "install-policy")?,
            prefetch: field(rec, "prefetch")?,
            query_interval: field(rec, "query-interval")?,
            healthcheck: field(rec, "healthcheck")?,
            healthcheck_port: field(rec, "healthcheck-port")?,
            probes: field(rec, "probes")?,
            http2: field(rec, "http2")?,
            debug: field(rec, "debug")?,
            cluster_uid: optional_field(rec, "cluster-uid")?,
            job_namespaces: field(rec, "job-namespaces")?,
            observe_cluster: field(rec, "observe-cluster")?,
            base_job_template: optional_field(rec, "base-job-template")?,
            init: field(rec, "init")?,
            autoscaling: optional_field(rec, "autoscaling")?,
            disruption: optional_field(rec, "disruption")?,
            dns_policy: optional_field(rec, "dns-policy")?,
            dns_config: optional_field(rec, "dns-config")?,
            env: field(rec, "env")?,
            env_from: field(rec, "env-from")?,
            resources: field(rec, "resources")?,
            security: field(rec, "security")?,
            rbac: field(rec, "rbac")?,
            pod_labels: field(rec, "pod-labels")?,
            pod_annotations: field(rec, "pod-annotations")?,
            node_selector: field(rec, "node-selector")?,
            tolerations: field(rec, "tolerations")?,
            automount_service_account_token: field(rec, "automount-service-account-token")?,
            volumes: field(rec, "volumes")?,
            volume_mounts: field(rec, "volume-mounts")?,
            sidecars: field(rec, "sidecars")?,
            init_containers: field(rec, "init-containers")?,
            command: optional_field(rec, "command")?,
            args: optional_field(rec, "args")?,
            extra_args: field(rec, "extra-args")?,
            revision_history: field(rec, "revision-history")?,
            update_strategy: optional_field(rec, "update-strategy")?,
            lifecycle: optional_field(rec, "lifecycle")?,
            termination_grace_period: optional_field(rec, "termination-grace-period")?,
            priority_class: optional_field(rec, "priority-class")?,
            affinity: optional_field(rec, "affinity")?,
            topology_spread: field(rec, "topology-spread")?,
            service_account: optional_field(rec, "service-account")?,
            service_account_annotations: field(rec, "service-account-annotations")?,
        })
    }
}

impl FromTyped for Worker {
    fn from_typed(t: &Typed) -> Result<Worker, Mismatch> {
        Worker::from_rec(record(t, "Worker")?)
    }
}

impl FromTyped for InstallPolicy {
    fn from_typed(t: &Typed) -> Result<InstallPolicy, Mismatch> {
        match &t.value {
            TVal::Enum(v) => {
                InstallPolicy::parse(v).ok_or_else(|| Mismatch::new("InstallPolicy", t))
            }
            _ => Err(Mismatch::new("InstallPolicy", t)),
        }
    }
}

impl FromRec for Rbac {
    fn from_rec(rec: &Rec) -> Result<Rbac, Mismatch> {
        Ok(Rbac {
            extra_rules: field(rec, "extra-rules")?,
        })
    }
}

impl FromTyped for Rbac {
    fn from_typed(t: &Typed) -> Result<Rbac, Mismatch> {
        Rbac::from_rec(record(t, "Rbac")?)
    }
}

impl FromTyped for BaseJobTemplate {
    fn from_typed(t: &Typed) -> Result<BaseJobTemplate, Mismatch> {
        match &t.value {
            TVal::Variant { tag, value } if tag == "inline" => {
                Ok(BaseJobTemplate::Inline(FromTyped::from_typed(value)?))
            }
            TVal::Variant { tag, value } if tag == "existing" => {
                Ok(BaseJobTemplate::Existing(FromTyped::from_typed(value)?))
            }
            _ => Err(Mismatch::new("BaseJobTemplate", t)),
        }
    }
}

impl FromRec for WorkerInit {
    fn from_rec(rec: &Rec) -> Result<WorkerInit, Mismatch> {
        Ok(WorkerInit {
            resources: optional_field(rec, "resources")?,
            security: field(rec, "security")?,
            env: field(rec, "env")?,
        })
    }
}

impl FromTyped for WorkerInit {
    fn from_typed(t: &Typed) -> Result<WorkerInit, Mismatch> {
        WorkerInit::from_rec(record(t, "WorkerInit")?)
    }
}

impl FromTyped for DnsPolicy {
    fn from_typed(t: &Typed) -> Result<DnsPolicy, Mismatch> {
        match &t.value {
            TVal::Enum(v) => DnsPolicy::parse(v).ok_or_else(|| Mismatch::new("DnsPolicy", t)),
            _ => Err(Mismatch::new("DnsPolicy", t)),
        }
    }
}

impl FromRec for DnsConfig {
    fn from_rec(rec: &Rec) -> Result<DnsConfig, Mismatch> {
        Ok(DnsConfig {
            nameservers: field(rec, "nameservers")?,
            searches: field(rec, "searches")?,
            options: field(rec, "options")?,
        })
    }
}

impl FromTyped for DnsConfig {
    fn from_typed(t: &Typed) -> Result<DnsConfig, Mismatch> {
        DnsConfig::from_rec(record(t, "DnsConfig")?)
    }
}

impl FromRec for WorkerProbes {
    fn from_rec(rec: &Rec) -> Result<WorkerProbes, Mismatch> {
        Ok(WorkerProbes {
            liveness: field(rec, "liveness")?,
            readiness: field(rec, "readiness")?,
        })
    }
}

impl FromTyped for WorkerProbes {
    fn from_typed(t: &Typed) -> Result<WorkerProbes, Mismatch> {
        WorkerProbes::from_rec(record(t, "WorkerProbes")?)
    }
}
