// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! Reads checked values into the types of `stdlib/exporter.pfk`.

use super::super::{FromRec, FromTyped, Mismatch, field, optional_field, record};
use crate::check::model::{Rec, TVal, Typed};
use crate::model::schema::*;

impl FromRec for Exporter {
    fn from_rec(rec: &Rec) -> Result<Exporter, Mismatch> {
        Ok(Exporter {
            api: field(rec, "api")?,
            image: field(rec, "image")?,
            image_pull_policy: field(rec, "image-pull-policy")?,
            replicas: field(rec, "replicas")?,
            port: field(rec, "port")?,
            service_port: field(rec, "service-port")?,
            service: field(rec, "service")?,
            pagination: field(rec, "pagination")?,
            pagination_limit: field(rec, "pagination-limit")?,
            csrf: field(rec, "csrf")?,
            env: field(rec, "env")?,
            env_from: field(rec, "env-from")?,
            service_monitor: optional_field(rec, "service-monitor")?,
            prometheus_rule: optional_field(rec, "prometheus-rule")?,
            autoscaling: optional_field(rec, "autoscaling")?,
            disruption: optional_field(rec, "disruption")?,
            resources: field(rec, "resources")?,
            security: field(rec, "security")?,
            pod_labels: field(rec, "pod-labels")?,
            pod_annotations: field(rec, "pod-annotations")?,
            node_selector: field(rec, "node-selector")?,
            tolerations: field(rec, "tolerations")?,
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
            automount_service_account_token: field(rec, "automount-service-account-token")?,
            volumes: field(rec, "volumes")?,
            volume_mounts: field(rec, "volume-mounts")?,
            sidecars: field(rec, "sidecars")?,
            init_containers: field(rec, "init-containers")?,
        })
    }
}

impl FromTyped for Exporter {
    fn from_typed(t: &Typed) -> Result<Exporter, Mismatch> {
        Exporter::from_rec(record(t, "Exporter")?)
    }
}

impl FromRec for ServiceMonitor {
    fn from_rec(rec: &Rec) -> Result<ServiceMonitor, Mismatch> {
        Ok(ServiceMonitor {
            interval: field(rec, "interval")?,
            timeout: optional_field(rec, "timeout")?,
            labels: field(rec, "labels")?,
            relabelings: field(rec, "relabelings")?,
            metric_relabelings: field(rec, "metric-relabelings")?,
        })
    }
}

impl FromTyped for ServiceMonitor {
    fn from_typed(t: &Typed) -> Result<ServiceMonitor, Mismatch> {
        ServiceMonitor::from_rec(record(t, "ServiceMonitor")?)
    }
}

impl FromRec for Relabeling {
    fn from_rec(rec: &Rec) -> Result<Relabeling, Mismatch> {
        Ok(Relabeling {
            source_labels: field(rec, "source-labels")?,
            separator: optional_field(rec, "separator")?,
            target_label: optional_field(rec, "target-label")?,
            regex: optional_field(rec, "regex")?,
            modulus: optional_field(rec, "modulus")?,
            replacement: optional_field(rec, "replacement")?,
            action: field(rec, "action")?,
        })
    }
}

impl FromTyped for Relabeling {
    fn from_typed(t: &Typed) -> Result<Relabeling, Mismatch> {
        Relabeling::from_rec(record(t, "Relabeling")?)
    }
}

impl FromTyped for RelabelAction {
    fn from_typed(t: &Typed) -> Result<RelabelAction, Mismatch> {
        match &t.value {
            TVal::Enum(v) => {
                RelabelAction::parse(v).ok_or_else(|| Mismatch::new("RelabelAction", t))
            }
            _ => Err(Mismatch::new("RelabelAction", t)),
        }
    }
}

impl FromRec for PrometheusRule {
    fn from_rec(rec: &Rec) -> Result<PrometheusRule, Mismatch> {
        Ok(PrometheusRule {
            labels: field(rec, "labels")?,
            builtin: field(rec, "builtin")?,
            alerts: field(rec, "alerts")?,
        })
    }
}

impl FromTyped for PrometheusRule {
    fn from_typed(t: &Typed) -> Result<PrometheusRule, Mismatch> {
        PrometheusRule::from_rec(record(t, "PrometheusRule")?)
    }
}

impl FromTyped for BuiltinAlert {
    fn from_typed(t: &Typed) -> Result<BuiltinAlert, Mismatch> {
        match &t.value {
            TVal::Enum(v) => BuiltinAlert::parse(v).ok_or_else(|| Mismatch::new("BuiltinAlert", t)),
            _ => Err(Mismatch::new("BuiltinAlert", t)),
        }
    }
}

impl FromRec for Alert {
    fn from_rec(rec: &Rec) -> Result<Alert, Mismatch> {
        Ok(Alert {
            name: field(rec, "name")?,
            expr: field(rec, "expr")?,
            pending: field(rec, "pending")?,
            labels: field(rec, "labels")?,
            annotations: field(rec, "annotations")?,
        })
    }
}

impl FromTyped for Alert {
    fn from_typed(t: &Typed) -> Result<Alert, Mismatch> {
        Alert::from_rec(record(t, "Alert")?)
    }
}
