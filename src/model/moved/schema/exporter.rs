// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! [`SameAfter`] and [`MoveSpans`] for the types of `stdlib/exporter.pfk`.

use super::super::{MoveSpans, Mover, SameAfter, by_value, no_spans};
use crate::model::schema::*;
use crate::source::Edits;

by_value!(RelabelAction, BuiltinAlert);
no_spans!(RelabelAction, BuiltinAlert);

impl MoveSpans for Exporter {
    fn move_spans(&mut self, m: &mut Mover) {
        self.api.move_spans(m);
        self.image.move_spans(m);
        self.image_pull_policy.move_spans(m);
        self.replicas.move_spans(m);
        self.port.move_spans(m);
        self.service_port.move_spans(m);
        self.service.move_spans(m);
        self.pagination.move_spans(m);
        self.pagination_limit.move_spans(m);
        self.csrf.move_spans(m);
        self.env.move_spans(m);
        self.env_from.move_spans(m);
        self.service_monitor.move_spans(m);
        self.prometheus_rule.move_spans(m);
        self.autoscaling.move_spans(m);
        self.disruption.move_spans(m);
        self.resources.move_spans(m);
        self.security.move_spans(m);
        self.pod_labels.move_spans(m);
        self.pod_annotations.move_spans(m);
        self.node_selector.move_spans(m);
        self.tolerations.move_spans(m);
        self.command.move_spans(m);
        self.args.move_spans(m);
        self.extra_args.move_spans(m);
        self.revision_history.move_spans(m);
        self.update_strategy.move_spans(m);
        self.lifecycle.move_spans(m);
        self.termination_grace_period.move_spans(m);
        self.priority_class.move_spans(m);
        self.affinity.move_spans(m);
        self.topology_spread.move_spans(m);
        self.service_account.move_spans(m);
        self.automount_service_account_token.move_spans(m);
        self.volumes.move_spans(m);
        self.volume_mounts.move_spans(m);
        self.sidecars.move_spans(m);
        self.init_containers.move_spans(m);
    }
}

impl SameAfter for Exporter {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.api.same_after(edits, &now.api)
            && self.image.same_after(edits, &now.image)
            && self
                .image_pull_policy
                .same_after(edits, &now.image_pull_policy)
            && self.replicas.same_after(edits, &now.replicas)
            && self.port.same_after(edits, &now.port)
            && self.service_port.same_after(edits, &now.service_port)
            && self.service.same_after(edits, &now.service)
            && self.pagination.same_after(edits, &now.pagination)
            && self
                .pagination_limit
                .same_after(edits, &now.pagination_limit)
            && self.csrf.same_after(edits, &now.csrf)
            && self.env.same_after(edits, &now.env)
            && self.env_from.same_after(edits, &now.env_from)
            && self.service_monitor.same_after(edits, &now.service_monitor)
            && self.prometheus_rule.same_after(edits, &now.prometheus_rule)
            && self.autoscaling.same_after(edits, &now.autoscaling)
            && self.disruption.same_after(edits, &now.disruption)
            && self.resources.same_after(edits, &now.resources)
            && self.security.same_after(edits, &now.security)
            && self.pod_labels.same_after(edits, &now.pod_labels)
            && self.pod_annotations.same_after(edits, &now.pod_annotations)
            && self.node_selector.same_after(edits, &now.node_selector)
            && self.tolerations.same_after(edits, &now.tolerations)
            && self.command.same_after(edits, &now.command)
            && self.args.same_after(edits, &now.args)
            && self.extra_args.same_after(edits, &now.extra_args)
            && self
                .revision_history
                .same_after(edits, &now.revision_history)
            && self.update_strategy.same_after(edits, &now.update_strategy)
            && self.lifecycle.same_after(edits, &now.lifecycle)
            && self
                .termination_grace_period
                .same_after(edits, &now.termination_grace_period)
            && self.priority_class.same_after(edits, &now.priority_class)
            && self.affinity.same_after(edits, &now.affinity)
            && self.topology_spread.same_after(edits, &now.topology_spread)
            && self.service_account.same_after(edits, &now.service_account)
            && self
                .automount_service_account_token
                .same_after(edits, &now.automount_service_account_token)
            && self.volumes.same_after(edits, &now.volumes)
            && self.volume_mounts.same_after(edits, &now.volume_mounts)
            && self.sidecars.same_after(edits, &now.sidecars)
            && self.init_containers.same_after(edits, &now.init_containers)
    }
}

impl MoveSpans for ServiceMonitor {
    fn move_spans(&mut self, m: &mut Mover) {
        self.interval.move_spans(m);
        self.timeout.move_spans(m);
        self.labels.move_spans(m);
        self.relabelings.move_spans(m);
        self.metric_relabelings.move_spans(m);
    }
}

impl SameAfter for ServiceMonitor {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.interval.same_after(edits, &now.interval)
            && self.timeout.same_after(edits, &now.timeout)
            && self.labels.same_after(edits, &now.labels)
            && self.relabelings.same_after(edits, &now.relabelings)
            && self
                .metric_relabelings
                .same_after(edits, &now.metric_relabelings)
    }
}

impl MoveSpans for Relabeling {
    fn move_spans(&mut self, m: &mut Mover) {
        self.source_labels.move_spans(m);
        self.separator.move_spans(m);
        self.target_label.move_spans(m);
        self.regex.move_spans(m);
        self.modulus.move_spans(m);
        self.replacement.move_spans(m);
        self.action.move_spans(m);
    }
}

impl SameAfter for Relabeling {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.source_labels.same_after(edits, &now.source_labels)
            && self.separator.same_after(edits, &now.separator)
            && self.target_label.same_after(edits, &now.target_label)
            && self.regex.same_after(edits, &now.regex)
            && self.modulus.same_after(edits, &now.modulus)
            && self.replacement.same_after(edits, &now.replacement)
            && self.action.same_after(edits, &now.action)
    }
}

impl MoveSpans for PrometheusRule {
    fn move_spans(&mut self, m: &mut Mover) {
        self.labels.move_spans(m);
        self.builtin.move_spans(m);
        self.alerts.move_spans(m);
    }
}

impl SameAfter for PrometheusRule {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.labels.same_after(edits, &now.labels)
            && self.builtin.same_after(edits, &now.builtin)
            && self.alerts.same_after(edits, &now.alerts)
    }
}

impl MoveSpans for Alert {
    fn move_spans(&mut self, m: &mut Mover) {
        self.name.move_spans(m);
        self.expr.move_spans(m);
        self.pending.move_spans(m);
        self.labels.move_spans(m);
        self.annotations.move_spans(m);
    }
}

impl SameAfter for Alert {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.name.same_after(edits, &now.name)
            && self.expr.same_after(edits, &now.expr)
            && self.pending.same_after(edits, &now.pending)
            && self.labels.same_after(edits, &now.labels)
            && self.annotations.same_after(edits, &now.annotations)
    }
}
