// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! [`SameAfter`] and [`MoveSpans`] for the types of `stdlib/common.pfk`.

use super::super::{MoveSpans, Mover, SameAfter, by_value, no_spans};
use crate::model::schema::*;
use crate::source::Edits;

by_value!(
    AppArmorProfile,
    ProcMount,
    SeccompProfile,
    PullPolicy,
    TolerationOperator,
    TaintEffect,
    UnhealthyPodEvictionPolicy,
    Verb,
    LogLevel,
    ServiceType,
    TrafficPolicy,
    IpFamilyPolicy,
    IpFamily,
    SelectorOperator,
    Unsatisfiable,
    FsGroupChangePolicy
);
no_spans!(
    AppArmorProfile,
    ProcMount,
    SeccompProfile,
    PullPolicy,
    TolerationOperator,
    TaintEffect,
    UnhealthyPodEvictionPolicy,
    Verb,
    LogLevel,
    ServiceType,
    TrafficPolicy,
    IpFamilyPolicy,
    IpFamily,
    SelectorOperator,
    Unsatisfiable,
    FsGroupChangePolicy
);

impl MoveSpans for Resources {
    fn move_spans(&mut self, m: &mut Mover) {
        self.requests.move_spans(m);
        self.limits.move_spans(m);
    }
}

impl SameAfter for Resources {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.requests.same_after(edits, &now.requests) && self.limits.same_after(edits, &now.limits)
    }
}

impl MoveSpans for ResourceList {
    fn move_spans(&mut self, m: &mut Mover) {
        self.cpu.move_spans(m);
        self.memory.move_spans(m);
        self.ephemeral_storage.move_spans(m);
        self.extended.move_spans(m);
    }
}

impl SameAfter for ResourceList {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.cpu.same_after(edits, &now.cpu)
            && self.memory.same_after(edits, &now.memory)
            && self
                .ephemeral_storage
                .same_after(edits, &now.ephemeral_storage)
            && self.extended.same_after(edits, &now.extended)
    }
}

impl MoveSpans for Security {
    fn move_spans(&mut self, m: &mut Mover) {
        self.run_as_user.move_spans(m);
        self.run_as_group.move_spans(m);
        self.fs_group.move_spans(m);
        self.fs_group_change_policy.move_spans(m);
        self.supplemental_groups.move_spans(m);
        self.run_as_non_root.move_spans(m);
        self.read_only_root_filesystem.move_spans(m);
        self.allow_privilege_escalation.move_spans(m);
        self.privileged.move_spans(m);
        self.add_capabilities.move_spans(m);
        self.seccomp.move_spans(m);
        self.seccomp_localhost_profile.move_spans(m);
        self.apparmor.move_spans(m);
        self.apparmor_localhost_profile.move_spans(m);
        self.selinux.move_spans(m);
        self.proc_mount.move_spans(m);
        self.sysctls.move_spans(m);
        self.host_network.move_spans(m);
        self.host_pid.move_spans(m);
        self.host_ipc.move_spans(m);
        self.windows_host_process.move_spans(m);
    }
}

impl SameAfter for Security {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.run_as_user.same_after(edits, &now.run_as_user)
            && self.run_as_group.same_after(edits, &now.run_as_group)
            && self.fs_group.same_after(edits, &now.fs_group)
            && self
                .fs_group_change_policy
                .same_after(edits, &now.fs_group_change_policy)
            && self
                .supplemental_groups
                .same_after(edits, &now.supplemental_groups)
            && self.run_as_non_root.same_after(edits, &now.run_as_non_root)
            && self
                .read_only_root_filesystem
                .same_after(edits, &now.read_only_root_filesystem)
            && self
                .allow_privilege_escalation
                .same_after(edits, &now.allow_privilege_escalation)
            && self.privileged.same_after(edits, &now.privileged)
            && self
                .add_capabilities
                .same_after(edits, &now.add_capabilities)
            && self.seccomp.same_after(edits, &now.seccomp)
            && self
                .seccomp_localhost_profile
                .same_after(edits, &now.seccomp_localhost_profile)
            && self.apparmor.same_after(edits, &now.apparmor)
            && self
                .apparmor_localhost_profile
                .same_after(edits, &now.apparmor_localhost_profile)
            && self.selinux.same_after(edits, &now.selinux)
            && self.proc_mount.same_after(edits, &now.proc_mount)
            && self.sysctls.same_after(edits, &now.sysctls)
            && self.host_network.same_after(edits, &now.host_network)
            && self.host_pid.same_after(edits, &now.host_pid)
            && self.host_ipc.same_after(edits, &now.host_ipc)
            && self
                .windows_host_process
                .same_after(edits, &now.windows_host_process)
    }
}

impl MoveSpans for ContainerSecurity {
    fn move_spans(&mut self, m: &mut Mover) {
        self.run_as_user.move_spans(m);
        self.run_as_group.move_spans(m);
        self.run_as_non_root.move_spans(m);
        self.read_only_root_filesystem.move_spans(m);
        self.allow_privilege_escalation.move_spans(m);
        self.privileged.move_spans(m);
        self.add_capabilities.move_spans(m);
        self.seccomp.move_spans(m);
        self.apparmor.move_spans(m);
        self.selinux.move_spans(m);
        self.proc_mount.move_spans(m);
    }
}

impl SameAfter for ContainerSecurity {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.run_as_user.same_after(edits, &now.run_as_user)
            && self.run_as_group.same_after(edits, &now.run_as_group)
            && self.run_as_non_root.same_after(edits, &now.run_as_non_root)
            && self
                .read_only_root_filesystem
                .same_after(edits, &now.read_only_root_filesystem)
            && self
                .allow_privilege_escalation
                .same_after(edits, &now.allow_privilege_escalation)
            && self.privileged.same_after(edits, &now.privileged)
            && self
                .add_capabilities
                .same_after(edits, &now.add_capabilities)
            && self.seccomp.same_after(edits, &now.seccomp)
            && self.apparmor.same_after(edits, &now.apparmor)
            && self.selinux.same_after(edits, &now.selinux)
            && self.proc_mount.same_after(edits, &now.proc_mount)
    }
}

impl MoveSpans for SeLinux {
    fn move_spans(&mut self, m: &mut Mover) {
        self.type_.move_spans(m);
        self.user.move_spans(m);
        self.role.move_spans(m);
        self.level.move_spans(m);
    }
}

impl SameAfter for SeLinux {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.type_.same_after(edits, &now.type_)
            && self.user.same_after(edits, &now.user)
            && self.role.same_after(edits, &now.role)
            && self.level.same_after(edits, &now.level)
    }
}

impl MoveSpans for Toleration {
    fn move_spans(&mut self, m: &mut Mover) {
        self.key.move_spans(m);
        self.operator.move_spans(m);
        self.value.move_spans(m);
        self.effect.move_spans(m);
        self.toleration.move_spans(m);
    }
}

impl SameAfter for Toleration {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.key.same_after(edits, &now.key)
            && self.operator.same_after(edits, &now.operator)
            && self.value.same_after(edits, &now.value)
            && self.effect.same_after(edits, &now.effect)
            && self.toleration.same_after(edits, &now.toleration)
    }
}

impl MoveSpans for Autoscaling {
    fn move_spans(&mut self, m: &mut Mover) {
        self.min.move_spans(m);
        self.max.move_spans(m);
        self.cpu.move_spans(m);
        self.memory.move_spans(m);
    }
}

impl SameAfter for Autoscaling {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.min.same_after(edits, &now.min)
            && self.max.same_after(edits, &now.max)
            && self.cpu.same_after(edits, &now.cpu)
            && self.memory.same_after(edits, &now.memory)
    }
}

impl MoveSpans for Disruption {
    fn move_spans(&mut self, m: &mut Mover) {
        self.max_unavailable.move_spans(m);
        self.min_available.move_spans(m);
        self.unhealthy_pod_eviction_policy.move_spans(m);
    }
}

impl SameAfter for Disruption {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.max_unavailable.same_after(edits, &now.max_unavailable)
            && self.min_available.same_after(edits, &now.min_available)
            && self
                .unhealthy_pod_eviction_policy
                .same_after(edits, &now.unhealthy_pod_eviction_policy)
    }
}

impl MoveSpans for PolicyRule {
    fn move_spans(&mut self, m: &mut Mover) {
        self.api_groups.move_spans(m);
        self.resources.move_spans(m);
        self.verbs.move_spans(m);
        self.resource_names.move_spans(m);
    }
}

impl SameAfter for PolicyRule {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.api_groups.same_after(edits, &now.api_groups)
            && self.resources.same_after(edits, &now.resources)
            && self.verbs.same_after(edits, &now.verbs)
            && self.resource_names.same_after(edits, &now.resource_names)
    }
}

impl MoveSpans for ServiceOptions {
    fn move_spans(&mut self, m: &mut Mover) {
        self.type_.move_spans(m);
        self.port_name.move_spans(m);
        self.cluster_ip.move_spans(m);
        self.node_port.move_spans(m);
        self.app_protocol.move_spans(m);
        self.external_traffic_policy.move_spans(m);
        self.ip_family_policy.move_spans(m);
        self.ip_families.move_spans(m);
        self.annotations.move_spans(m);
        self.extra_ports.move_spans(m);
    }
}

impl SameAfter for ServiceOptions {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.type_.same_after(edits, &now.type_)
            && self.port_name.same_after(edits, &now.port_name)
            && self.cluster_ip.same_after(edits, &now.cluster_ip)
            && self.node_port.same_after(edits, &now.node_port)
            && self.app_protocol.same_after(edits, &now.app_protocol)
            && self
                .external_traffic_policy
                .same_after(edits, &now.external_traffic_policy)
            && self
                .ip_family_policy
                .same_after(edits, &now.ip_family_policy)
            && self.ip_families.same_after(edits, &now.ip_families)
            && self.annotations.same_after(edits, &now.annotations)
            && self.extra_ports.same_after(edits, &now.extra_ports)
    }
}

impl MoveSpans for ServicePort {
    fn move_spans(&mut self, m: &mut Mover) {
        self.name.move_spans(m);
        self.port.move_spans(m);
        self.target_port.move_spans(m);
        self.protocol.move_spans(m);
        self.app_protocol.move_spans(m);
        self.node_port.move_spans(m);
    }
}

impl SameAfter for ServicePort {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.name.same_after(edits, &now.name)
            && self.port.same_after(edits, &now.port)
            && self.target_port.same_after(edits, &now.target_port)
            && self.protocol.same_after(edits, &now.protocol)
            && self.app_protocol.same_after(edits, &now.app_protocol)
            && self.node_port.same_after(edits, &now.node_port)
    }
}

impl SameAfter for UpdateStrategy {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        match self {
            UpdateStrategy::Rolling(a) => {
                matches!(now, UpdateStrategy::Rolling(b) if a.same_after(edits, b))
            }
            UpdateStrategy::Recreate(a) => {
                matches!(now, UpdateStrategy::Recreate(b) if a.same_after(edits, b))
            }
        }
    }
}

impl MoveSpans for UpdateStrategy {
    fn move_spans(&mut self, m: &mut Mover) {
        match self {
            UpdateStrategy::Rolling(a) => a.move_spans(m),
            UpdateStrategy::Recreate(a) => a.move_spans(m),
        }
    }
}

impl MoveSpans for RollingUpdate {
    fn move_spans(&mut self, m: &mut Mover) {
        self.max_surge.move_spans(m);
        self.max_unavailable.move_spans(m);
    }
}

impl SameAfter for RollingUpdate {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.max_surge.same_after(edits, &now.max_surge)
            && self.max_unavailable.same_after(edits, &now.max_unavailable)
    }
}

impl SameAfter for Recreate {
    fn same_after(&self, _: &Edits, _: &Self) -> bool {
        true
    }
}

impl MoveSpans for Recreate {
    fn move_spans(&mut self, _: &mut Mover) {}
}

impl MoveSpans for Affinity {
    fn move_spans(&mut self, m: &mut Mover) {
        self.required_nodes.move_spans(m);
        self.preferred_nodes.move_spans(m);
        self.spread.move_spans(m);
    }
}

impl SameAfter for Affinity {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.required_nodes.same_after(edits, &now.required_nodes)
            && self.preferred_nodes.same_after(edits, &now.preferred_nodes)
            && self.spread.same_after(edits, &now.spread)
    }
}

impl MoveSpans for NodeTerm {
    fn move_spans(&mut self, m: &mut Mover) {
        self.match_.move_spans(m);
    }
}

impl SameAfter for NodeTerm {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.match_.same_after(edits, &now.match_)
    }
}

impl MoveSpans for WeightedNodeTerm {
    fn move_spans(&mut self, m: &mut Mover) {
        self.weight.move_spans(m);
        self.match_.move_spans(m);
    }
}

impl SameAfter for WeightedNodeTerm {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.weight.same_after(edits, &now.weight) && self.match_.same_after(edits, &now.match_)
    }
}

impl MoveSpans for NodeExpression {
    fn move_spans(&mut self, m: &mut Mover) {
        self.key.move_spans(m);
        self.operator.move_spans(m);
        self.values.move_spans(m);
    }
}

impl SameAfter for NodeExpression {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.key.same_after(edits, &now.key)
            && self.operator.same_after(edits, &now.operator)
            && self.values.same_after(edits, &now.values)
    }
}

impl MoveSpans for PodSpread {
    fn move_spans(&mut self, m: &mut Mover) {
        self.topology_key.move_spans(m);
        self.required.move_spans(m);
        self.weight.move_spans(m);
    }
}

impl SameAfter for PodSpread {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.topology_key.same_after(edits, &now.topology_key)
            && self.required.same_after(edits, &now.required)
            && self.weight.same_after(edits, &now.weight)
    }
}

impl MoveSpans for TopologySpread {
    fn move_spans(&mut self, m: &mut Mover) {
        self.topology_key.move_spans(m);
        self.max_skew.move_spans(m);
        self.when_unsatisfiable.move_spans(m);
    }
}

impl SameAfter for TopologySpread {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.topology_key.same_after(edits, &now.topology_key)
            && self.max_skew.same_after(edits, &now.max_skew)
            && self
                .when_unsatisfiable
                .same_after(edits, &now.when_unsatisfiable)
    }
}
