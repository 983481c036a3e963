// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! Reads checked values into the types of `stdlib/exporter.pfk`.

use super::super::{Fields, FromRec, FromTyped, Mismatch, field, optional_field, record};
use crate::check::model::{Rec, TVal, Typed};
use crate::model::schema::*;

impl FromRec for Exporter {
    fn from_rec(rec: Rec) -> Result<Exporter, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Exporter {
            api: field(&mut rec, "api")?,
            image: field(&mut rec, "image")?,
            image_pull_policy: field(&mut rec, "image-pull-policy")?,
            replicas: field(&mut rec, "replicas")?,
            port: field(&mut rec, "port")?,
            service_port: field(&mut rec, "service-port")?,
            service: field(&mut rec, "service")?,
            pagination: field(&mut rec, "pagination")?,
            pagination_limit: field(&mut rec, "pagination-limit")?,
            csrf: field(&mut rec, "csrf")?,
            env: field(&mut rec, "env")?,
            env_from: field(&mut rec, "env-from")?,
            service_monitor: optional_field(&mut rec, "service-monitor")?,
            prometheus_rule: optional_field(&mut rec, "prometheus-rule")?,
            autoscaling: optional_field(&mut rec, "autoscaling")?,
            disruption: optional_field(&mut rec, "disruption")?,
            resources: field(&mut rec, "resources")?,
            security: field(&mut rec, "security")?,
            pod_labels: field(&mut rec, "pod-labels")?,
            pod_annotations: field(&mut rec, "pod-annotations")?,
            node_selector: field(&mut rec, "node-selector")?,
            tolerations: field(&mut rec, "tolerations")?,
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
            automount_service_account_token: field(&mut rec, "automount-service-account-token")?,
            volumes: field(&mut rec, "volumes")?,
            volume_mounts: field(&mut rec, "volume-mounts")?,
            sidecars: field(&mut rec, "sidecars")?,
            init_containers: field(&mut rec, "init-containers")?,
        })
    }
}

impl FromTyped for Exporter {
    fn from_typed(t: Typed) -> Result<Exporter, Mismatch> {
        Exporter::from_rec(record(t, "Exporter")?)
    }
}

impl FromRec for ServiceMonitor {
    fn from_rec(rec: Rec) -> Result<ServiceMonitor, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(ServiceMonitor {
            interval: field(&mut rec, "interval")?,
            timeout: optional_field(&mut rec, "timeout")?,
            labels: field(&mut rec, "labels")?,
            relabelings: field(&mut rec, "relabelings")?,
            metric_relabelings: field(&mut rec, "metric-relabelings")?,
        })
    }
}

impl FromTyped for ServiceMonitor {
    fn from_typed(t: Typed) -> Result<ServiceMonitor, Mismatch> {
        ServiceMonitor::from_rec(record(t, "ServiceMonitor")?)
    }
}

impl FromRec for Relabeling {
    fn from_rec(rec: Rec) -> Result<Relabeling, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Relabeling {
            source_labels: field(&mut rec, "source-labels")?,
            separator: optional_field(&mut rec, "separator")?,
            target_label: optional_field(&mut rec, "target-label")?,
            regex: optional_field(&mut rec, "regex")?,
            modulus: optional_field(&mut rec, "modulus")?,
            replacement: optional_field(&mut rec, "replacement")?,
            action: field(&mut rec, "action")?,
        })
    }
}

impl FromTyped for Relabeling {
    fn from_typed(t: Typed) -> Result<Relabeling, Mismatch> {
        Relabeling::from_rec(record(t, "Relabeling")?)
    }
}

impl FromTyped for RelabelAction {
    fn from_typed(t: Typed) -> Result<RelabelAction, Mismatch> {
        match &t.value {
            TVal::Enum(v) => {
                RelabelAction::parse(v).ok_or_else(|| Mismatch::new("RelabelAction", &t))
            }
            _ => Err(Mismatch::new("RelabelAction", &t)),
        }
    }
}

impl FromRec for PrometheusRule {
    fn from_rec(rec: Rec) -> Result<PrometheusRule, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(PrometheusRule {
            labels: field(&mut rec, "labels")?,
            builtin: field(&mut rec, "builtin")?,
            alerts: field(&mut rec, "alerts")?,
        })
    }
}

impl FromTyped for PrometheusRule {
    fn from_typed(t: Typed) -> Result<PrometheusRule, Mismatch> {
        PrometheusRule::from_rec(record(t, "PrometheusRule")?)
    }
}

impl FromTyped for BuiltinAlert {
    fn from_typed(t: Typed) -> Result<BuiltinAlert, Mismatch> {
        match &t.value {
            TVal::Enum(v) => {
                BuiltinAlert::parse(v).ok_or_else(|| Mismatch::new("BuiltinAlert", &t))
            }
            _ => Err(Mismatch::new("BuiltinAlert", &t)),
        }
    }
}

impl FromRec for Alert {
    fn from_rec(rec: Rec) -> Result<Alert, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Alert {
            name: field(&mut rec, "name")?,
            expr: field(&mut rec, "expr")?,
            pending: field(&mut rec, "pending")?,
            labels: field(&mut rec, "labels")?,
            annotations: field(&mut rec, "annotations")?,
        })
    }
}

impl FromTyped for Alert {
    fn from_typed(t: Typed) -> Result<Alert, Mismatch> {
        Alert::from_rec(record(t, "Alert")?)
    }
}
