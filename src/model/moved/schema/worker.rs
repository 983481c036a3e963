// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! [`SameAfter`] and [`MoveSpans`] for the types of `stdlib/worker.pfk`.

use super::super::{MoveSpans, Mover, SameAfter, by_value, no_spans};
use crate::model::schema::*;
use crate::source::Edits;

by_value!(InstallPolicy, DnsPolicy);
no_spans!(InstallPolicy, DnsPolicy);

impl MoveSpans for Worker {
    fn move_spans(&mut self, m: &mut Mover) {
        self.pool.move_spans(m);
        self.type_.move_spans(m);
        self.api.move_spans(m);
        self.image.move_spans(m);
        self.image_pull_policy.move_spans(m);
        self.replicas.move_spans(m);
        self.queues.move_spans(m);
        self.name.move_spans(m);
        self.limit.move_spans(m);
        self.install_policy.move_spans(m);
        self.prefetch.move_spans(m);
        self.query_interval.move_spans(m);
        self.healthcheck.move_spans(m);
        self.healthcheck_port.move_spans(m);
        self.probes.move_spans(m);
        self.http2.move_spans(m);
        self.debug.move_spans(m);
        self.cluster_uid.move_spans(m);
        self.job_namespaces.move_spans(m);
        self.observe_cluster.move_spans(m);
        self.base_job_template.move_spans(m);
        self.init.move_spans(m);
        self.autoscaling.move_spans(m);
        self.disruption.move_spans(m);
        self.dns_policy.move_spans(m);
        self.dns_config.move_spans(m);
        self.env.move_spans(m);
        self.env_from.move_spans(m);
        self.resources.move_spans(m);
        self.security.move_spans(m);
        self.rbac.move_spans(m);
        self.pod_labels.move_spans(m);
        self.pod_annotations.move_spans(m);
        self.node_selector.move_spans(m);
        self.tolerations.move_spans(m);
        self.automount_service_account_token.move_spans(m);
        self.volumes.move_spans(m);
        self.volume_mounts.move_spans(m);
        self.sidecars.move_spans(m);
        self.init_containers.move_spans(m);
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
        self.service_account_annotations.move_spans(m);
    }
}

impl SameAfter for Worker {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.pool.same_after(edits, &now.pool)
            && self.type_.same_after(edits, &now.type_)
            && self.api.same_after(edits, &now.api)
            && self.image.same_after(edits, &now.image)
            && self
                .image_pull_policy
                .same_after(edits, &now.image_pull_policy)
            && self.replicas.same_after(edits, &now.replicas)
            && self.queues.same_after(edits, &now.queues)
            && self.name.same_after(edits, &now.name)
            && self.limit.same_after(edits, &now.limit)
            && self.install_policy.same_after(edits, &now.install_policy)
            && self.prefetch.same_after(edits, &now.prefetch)
            && self.query_interval.same_after(edits, &now.query_interval)
            && self.healthcheck.same_after(edits, &now.healthcheck)
            && self
                .healthcheck_port
                .same_after(edits, &now.healthcheck_port)
            && self.probes.same_after(edits, &now.probes)
            && self.http2.same_after(edits, &now.http2)
            && self.debug.same_after(edits, &now.debug)
            && self.cluster_uid.same_after(edits, &now.cluster_uid)
            && self.job_namespaces.same_after(edits, &now.job_namespaces)
            && self.observe_cluster.same_after(edits, &now.observe_cluster)
            && self
                .base_job_template
                .same_after(edits, &now.base_job_template)
            && self.init.same_after(edits, &now.init)
            && self.autoscaling.same_after(edits, &now.autoscaling)
            && self.disruption.same_after(edits, &now.disruption)
            && self.dns_policy.same_after(edits, &now.dns_policy)
            && self.dns_config.same_after(edits, &now.dns_config)
            && self.env.same_after(edits, &now.env)
            && self.env_from.same_after(edits, &now.env_from)
            && self.resources.same_after(edits, &now.resources)
            && self.security.same_after(edits, &now.security)
            && self.rbac.same_after(edits, &now.rbac)
            && self.pod_labels.same_after(edits, &now.pod_labels)
            && self.pod_annotations.same_after(edits, &now.pod_annotations)
            && self.node_selector.same_after(edits, &now.node_selector)
            && self.tolerations.same_after(edits, &now.tolerations)
            && self
                .automount_service_account_token
                .same_after(edits, &now.automount_service_account_token)
            && self.volumes.same_after(edits, &now.volumes)
            && self.volume_mounts.same_after(edits, &now.volume_mounts)
            && self.sidecars.same_after(edits, &now.sidecars)
            && self.init_containers.same_after(edits, &now.init_containers)
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
                .service_account_annotations
                .same_after(edits, &now.service_account_annotations)
    }
}

impl MoveSpans for Rbac {
    fn move_spans(&mut self, m: &mut Mover) {
        self.extra_rules.move_spans(m);
    }
}

impl SameAfter for Rbac {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.extra_rules.same_after(edits, &now.extra_rules)
    }
}

impl SameAfter for BaseJobTemplate {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        match self {
            BaseJobTemplate::Inline(a) => {
                matches!(now, BaseJobTemplate::Inline(b) if a.same_after(edits, b))
            }
            BaseJobTemplate::Existing(a) => {
                matches!(now, BaseJobTemplate::Existing(b) if a.same_after(edits, b))
            }
        }
    }
}

impl MoveSpans for BaseJobTemplate {
    fn move_spans(&mut self, m: &mut Mover) {
        match self {
            BaseJobTemplate::Inline(a) => a.move_spans(m),
            BaseJobTemplate::Existing(a) => a.move_spans(m),
        }
    }
}

impl MoveSpans for WorkerInit {
    fn move_spans(&mut self, m: &mut Mover) {
        self.resources.move_spans(m);
        self.security.move_spans(m);
        self.env.move_spans(m);
    }
}

impl SameAfter for WorkerInit {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.resources.same_after(edits, &now.resources)
            && self.security.same_after(edits, &now.security)
            && self.env.same_after(edits, &now.env)
    }
}

impl MoveSpans for DnsConfig {
    fn move_spans(&mut self, m: &mut Mover) {
        self.nameservers.move_spans(m);
        self.searches.move_spans(m);
        self.options.move_spans(m);
    }
}

impl SameAfter for DnsConfig {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.nameservers.same_after(edits, &now.nameservers)
            && self.searches.same_after(edits, &now.searches)
            && self.options.same_after(edits, &now.options)
    }
}

impl MoveSpans for WorkerProbes {
    fn move_spans(&mut self, m: &mut Mover) {
        self.liveness.move_spans(m);
        self.readiness.move_spans(m);
    }
}

impl SameAfter for WorkerProbes {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.liveness.same_after(edits, &now.liveness)
            && self.readiness.same_after(edits, &now.readiness)
    }
}
