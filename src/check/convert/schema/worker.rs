// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! Reads checked values into the types of `stdlib/worker.pfk`.

use super::super::{Fields, FromRec, FromTyped, Mismatch, field, optional_field, record};
use crate::check::model::{Rec, TVal, Typed};
use crate::model::schema::*;

impl FromRec for Worker {
    fn from_rec(rec: Rec) -> Result<Worker, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Worker {
            pool: field(&mut rec, "pool")?,
            type_: optional_field(&mut rec, "type")?,
            api: field(&mut rec, "api")?,
            image: optional_field(&mut rec, "image")?,
            image_pull_policy: field(&mut rec, "image-pull-policy")?,
            replicas: field(&mut rec, "replicas")?,
            queues: field(&mut rec, "queues")?,
            name: optional_field(&mut rec, "name")?,
            limit: optional_field(&mut rec, "limit")?,
            install_policy: field(&mut rec, "install-policy")?,
            prefetch: field(&mut rec, "prefetch")?,
            query_interval: field(&mut rec, "query-interval")?,
            healthcheck: field(&mut rec, "healthcheck")?,
            healthcheck_port: field(&mut rec, "healthcheck-port")?,
            probes: field(&mut rec, "probes")?,
            http2: field(&mut rec, "http2")?,
            debug: field(&mut rec, "debug")?,
            cluster_uid: optional_field(&mut rec, "cluster-uid")?,
            job_namespaces: field(&mut rec, "job-namespaces")?,
            observe_cluster: field(&mut rec, "observe-cluster")?,
            base_job_template: optional_field(&mut rec, "base-job-template")?,
            init: field(&mut rec, "init")?,
            autoscaling: optional_field(&mut rec, "autoscaling")?,
            disruption: optional_field(&mut rec, "disruption")?,
            dns_policy: optional_field(&mut rec, "dns-policy")?,
            dns_config: optional_field(&mut rec, "dns-config")?,
            env: field(&mut rec, "env")?,
            env_from: field(&mut rec, "env-from")?,
            resources: field(&mut rec, "resources")?,
            security: field(&mut rec, "security")?,
            rbac: field(&mut rec, "rbac")?,
            pod_labels: field(&mut rec, "pod-labels")?,
            pod_annotations: field(&mut rec, "pod-annotations")?,
            node_selector: field(&mut rec, "node-selector")?,
            tolerations: field(&mut rec, "tolerations")?,
            automount_service_account_token: field(&mut rec, "automount-service-account-token")?,
            volumes: field(&mut rec, "volumes")?,
            volume_mounts: field(&mut rec, "volume-mounts")?,
            sidecars: field(&mut rec, "sidecars")?,
            init_containers: field(&mut rec, "init-containers")?,
            command: optional_field(&mut rec, "command")?,
            args: optional_field(&mut rec, "args")?,
            extra_args: field(&mut rec, "extra-args")?,
            revision_history: field(&mut rec, "revision-history")?,
            update_strategy: optional_field(&mut rec, "update-strategy")?,
            lifecycle: optional_field(&mut rec, "lifecycle")?,
            termination_grace_period: optional_field(&mut rec, "termination-grace-period")?,
            priority_class: optional_field(&mut rec, "priority-class")?,
            affinity: optional_field(&mut rec, "affinity")?,
            topology_spread: field(&mut rec, "topology-spread")?,
            service_account: optional_field(&mut rec, "service-account")?,
            service_account_annotations: field(&mut rec, "service-account-annotations")?,
        })
    }
}

impl FromTyped for Worker {
    fn from_typed(t: Typed) -> Result<Worker, Mismatch> {
        Worker::from_rec(record(t, "Worker")?)
    }
}

impl FromTyped for InstallPolicy {
    fn from_typed(t: Typed) -> Result<InstallPolicy, Mismatch> {
        match &t.value {
            TVal::Enum(v) => {
                InstallPolicy::parse(v).ok_or_else(|| Mismatch::new("InstallPolicy", &t))
            }
            _ => Err(Mismatch::new("InstallPolicy", &t)),
        }
    }
}

impl FromRec for Rbac {
    fn from_rec(rec: Rec) -> Result<Rbac, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Rbac {
            extra_rules: field(&mut rec, "extra-rules")?,
        })
    }
}

impl FromTyped for Rbac {
    fn from_typed(t: Typed) -> Result<Rbac, Mismatch> {
        Rbac::from_rec(record(t, "Rbac")?)
    }
}

impl FromTyped for BaseJobTemplate {
    fn from_typed(t: Typed) -> Result<BaseJobTemplate, Mismatch> {
        match t.value {
            TVal::Variant { tag, value } if tag == "inline" => {
                Ok(BaseJobTemplate::Inline(FromTyped::from_typed(*value)?))
            }
            TVal::Variant { tag, value } if tag == "existing" => {
                Ok(BaseJobTemplate::Existing(FromTyped::from_typed(*value)?))
            }
            other => Err(Mismatch::of("BaseJobTemplate", &other)),
        }
    }
}

impl FromRec for WorkerInit {
    fn from_rec(rec: Rec) -> Result<WorkerInit, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(WorkerInit {
            resources: optional_field(&mut rec, "resources")?,
            security: field(&mut rec, "security")?,
            env: field(&mut rec, "env")?,
        })
    }
}

impl FromTyped for WorkerInit {
    fn from_typed(t: Typed) -> Result<WorkerInit, Mismatch> {
        WorkerInit::from_rec(record(t, "WorkerInit")?)
    }
}

impl FromTyped for DnsPolicy {
    fn from_typed(t: Typed) -> Result<DnsPolicy, Mismatch> {
        match &t.value {
            TVal::Enum(v) => DnsPolicy::parse(v).ok_or_else(|| Mismatch::new("DnsPolicy", &t)),
            _ => Err(Mismatch::new("DnsPolicy", &t)),
        }
    }
}

impl FromRec for DnsConfig {
    fn from_rec(rec: Rec) -> Result<DnsConfig, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(DnsConfig {
            nameservers: field(&mut rec, "nameservers")?,
            searches: field(&mut rec, "searches")?,
            options: field(&mut rec, "options")?,
        })
    }
}

impl FromTyped for DnsConfig {
    fn from_typed(t: Typed) -> Result<DnsConfig, Mismatch> {
        DnsConfig::from_rec(record(t, "DnsConfig")?)
    }
}

impl FromRec for WorkerProbes {
    fn from_rec(rec: Rec) -> Result<WorkerProbes, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(WorkerProbes {
            liveness: field(&mut rec, "liveness")?,
            readiness: field(&mut rec, "readiness")?,
        })
    }
}

impl FromTyped for WorkerProbes {
    fn from_typed(t: Typed) -> Result<WorkerProbes, Mismatch> {
        WorkerProbes::from_rec(record(t, "WorkerProbes")?)
    }
}
