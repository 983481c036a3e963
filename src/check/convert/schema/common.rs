// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! Reads checked values into the types of `stdlib/common.pfk`.

use super::super::{Fields, FromRec, FromTyped, Mismatch, field, optional_field, record};
use crate::check::model::{Rec, TVal, Typed};
use crate::model::schema::*;

impl FromRec for Resources {
    fn from_rec(rec: Rec) -> Result<Resources, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Resources {
            requests: field(&mut rec, "requests")?,
            limits: field(&mut rec, "limits")?,
        })
    }
}

impl FromTyped for Resources {
    fn from_typed(t: Typed) -> Result<Resources, Mismatch> {
        Resources::from_rec(record(t, "Resources")?)
    }
}

impl FromRec for ResourceList {
    fn from_rec(rec: Rec) -> Result<ResourceList, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(ResourceList {
            cpu: optional_field(&mut rec, "cpu")?,
            memory: optional_field(&mut rec, "memory")?,
            ephemeral_storage: optional_field(&mut rec, "ephemeral-storage")?,
            extended: field(&mut rec, "extended")?,
        })
    }
}

impl FromTyped for ResourceList {
    fn from_typed(t: Typed) -> Result<ResourceList, Mismatch> {
        ResourceList::from_rec(record(t, "ResourceList")?)
    }
}

impl FromRec for Security {
    fn from_rec(rec: Rec) -> Result<Security, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Security {
            run_as_user: optional_field(&mut rec, "run-as-user")?,
            run_as_group: optional_field(&mut rec, "run-as-group")?,
            fs_group: optional_field(&mut rec, "fs-group")?,
            fs_group_change_policy: optional_field(&mut rec, "fs-group-change-policy")?,
            supplemental_groups: field(&mut rec, "supplemental-groups")?,
            run_as_non_root: field(&mut rec, "run-as-non-root")?,
            read_only_root_filesystem: field(&mut rec, "read-only-root-filesystem")?,
            allow_privilege_escalation: field(&mut rec, "allow-privilege-escalation")?,
            privileged: field(&mut rec, "privileged")?,
            add_capabilities: field(&mut rec, "add-capabilities")?,
            seccomp: field(&mut rec, "seccomp")?,
            seccomp_localhost_profile: optional_field(&mut rec, "seccomp-localhost-profile")?,
            apparmor: optional_field(&mut rec, "apparmor")?,
            apparmor_localhost_profile: optional_field(&mut rec, "apparmor-localhost-profile")?,
            selinux: optional_field(&mut rec, "selinux")?,
            proc_mount: field(&mut rec, "proc-mount")?,
            sysctls: field(&mut rec, "sysctls")?,
            host_network: field(&mut rec, "host-network")?,
            host_pid: field(&mut rec, "host-pid")?,
            host_ipc: field(&mut rec, "host-ipc")?,
            windows_host_process: field(&mut rec, "windows-host-process")?,
        })
    }
}

impl FromTyped for Security {
    fn from_typed(t: Typed) -> Result<Security, Mismatch> {
        Security::from_rec(record(t, "Security")?)
    }
}

impl FromRec for ContainerSecurity {
    fn from_rec(rec: Rec) -> Result<ContainerSecurity, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(ContainerSecurity {
            run_as_user: optional_field(&mut rec, "run-as-user")?,
            run_as_group: optional_field(&mut rec, "run-as-group")?,
            run_as_non_root: optional_field(&mut rec, "run-as-non-root")?,
            read_only_root_filesystem: optional_field(&mut rec, "read-only-root-filesystem")?,
            allow_privilege_escalation: optional_field(&mut rec, "allow-privilege-escalation")?,
            privileged: optional_field(&mut rec, "privileged")?,
            add_capabilities: optional_field(&mut rec, "add-capabilities")?,
            seccomp: optional_field(&mut rec, "seccomp")?,
            apparmor: optional_field(&mut rec, "apparmor")?,
            selinux: optional_field(&mut rec, "selinux")?,
            proc_mount: optional_field(&mut rec, "proc-mount")?,
        })
    }
}

impl FromTyped for ContainerSecurity {
    fn from_typed(t: Typed) -> Result<ContainerSecurity, Mismatch> {
        ContainerSecurity::from_rec(record(t, "ContainerSecurity")?)
    }
}

impl FromTyped for AppArmorProfile {
    fn from_typed(t: Typed) -> Result<AppArmorProfile, Mismatch> {
        match &t.value {
            TVal::Enum(v) => {
                AppArmorProfile::parse(v).ok_or_else(|| Mismatch::new("AppArmorProfile", &t))
            }
            _ => Err(Mismatch::new("AppArmorProfile", &t)),
        }
    }
}

impl FromRec for SeLinux {
    fn from_rec(rec: Rec) -> Result<SeLinux, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(SeLinux {
            type_: optional_field(&mut rec, "type")?,
            user: optional_field(&mut rec, "user")?,
            role: optional_field(&mut rec, "role")?,
            level: optional_field(&mut rec, "level")?,
        })
    }
}

impl FromTyped for SeLinux {
    fn from_typed(t: Typed) -> Result<SeLinux, Mismatch> {
        SeLinux::from_rec(record(t, "SeLinux")?)
    }
}

impl FromTyped for ProcMount {
    fn from_typed(t: Typed) -> Result<ProcMount, Mismatch> {
        match &t.value {
            TVal::Enum(v) => ProcMount::parse(v).ok_or_else(|| Mismatch::new("ProcMount", &t)),
            _ => Err(Mismatch::new("ProcMount", &t)),
        }
    }
}

impl FromTyped for SeccompProfile {
    fn from_typed(t: Typed) -> Result<SeccompProfile, Mismatch> {
        match &t.value {
            TVal::Enum(v) => {
                SeccompProfile::parse(v).ok_or_else(|| Mismatch::new("SeccompProfile", &t))
            }
            _ => Err(Mismatch::new("SeccompProfile", &t)),
        }
    }
}

impl FromTyped for PullPolicy {
    fn from_typed(t: Typed) -> Result<PullPolicy, Mismatch> {
        match &t.value {
            TVal::Enum(v) => PullPolicy::parse(v).ok_or_else(|| Mismatch::new("PullPolicy", &t)),
            _ => Err(Mismatch::new("PullPolicy", &t)),
        }
    }
}

impl FromRec for Toleration {
    fn from_rec(rec: Rec) -> Result<Toleration, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Toleration {
            key: optional_field(&mut rec, "key")?,
            operator: field(&mut rec, "operator")?,
            value: optional_field(&mut rec, "value")?,
            effect: optional_field(&mut rec, "effect")?,
            toleration: optional_field(&mut rec, "toleration")?,
        })
    }
}

impl FromTyped for Toleration {
    fn from_typed(t: Typed) -> Result<Toleration, Mismatch> {
        Toleration::from_rec(record(t, "Toleration")?)
    }
}

impl FromTyped for TolerationOperator {
    fn from_typed(t: Typed) -> Result<TolerationOperator, Mismatch> {
        match &t.value {
            TVal::Enum(v) => {
                TolerationOperator::parse(v).ok_or_else(|| Mismatch::new("TolerationOperator", &t))
            }
            _ => Err(Mismatch::new("TolerationOperator", &t)),
        }
    }
}

impl FromTyped for TaintEffect {
    fn from_typed(t: Typed) -> Result<TaintEffect, Mismatch> {
        match &t.value {
            TVal::Enum(v) => TaintEffect::parse(v).ok_or_else(|| Mismatch::new("TaintEffect", &t)),
            _ => Err(Mismatch::new("TaintEffect", &t)),
        }
    }
}

impl FromRec for Autoscaling {
    fn from_rec(rec: Rec) -> Result<Autoscaling, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Autoscaling {
            min: field(&mut rec, "min")?,
            max: field(&mut rec, "max")?,
            cpu: optional_field(&mut rec, "cpu")?,
            memory: optional_field(&mut rec, "memory")?,
        })
    }
}

impl FromTyped for Autoscaling {
    fn from_typed(t: Typed) -> Result<Autoscaling, Mismatch> {
        Autoscaling::from_rec(record(t, "Autoscaling")?)
    }
}

impl FromRec for Disruption {
    fn from_rec(rec: Rec) -> Result<Disruption, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Disruption {
            max_unavailable: optional_field(&mut rec, "max-unavailable")?,
            min_available: optional_field(&mut rec, "min-available")?,
            unhealthy_pod_eviction_policy: optional_field(
                &mut rec,
                "unhealthy-pod-eviction-policy",
            )?,
        })
    }
}

impl FromTyped for Disruption {
    fn from_typed(t: Typed) -> Result<Disruption, Mismatch> {
        Disruption::from_rec(record(t, "Disruption")?)
    }
}

impl FromTyped for UnhealthyPodEvictionPolicy {
    fn from_typed(t: Typed) -> Result<UnhealthyPodEvictionPolicy, Mismatch> {
        match &t.value {
            TVal::Enum(v) => UnhealthyPodEvictionPolicy::parse(v)
                .ok_or_else(|| Mismatch::new("UnhealthyPodEvictionPolicy", &t)),
            _ => Err(Mismatch::new("UnhealthyPodEvictionPolicy", &t)),
        }
    }
}

impl FromRec for PolicyRule {
    fn from_rec(rec: Rec) -> Result<PolicyRule, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(PolicyRule {
            api_groups: field(&mut rec, "api-groups")?,
            resources: field(&mut rec, "resources")?,
            verbs: field(&mut rec, "verbs")?,
            resource_names: field(&mut rec, "resource-names")?,
        })
    }
}

impl FromTyped for PolicyRule {
    fn from_typed(t: Typed) -> Result<PolicyRule, Mismatch> {
        PolicyRule::from_rec(record(t, "PolicyRule")?)
    }
}

impl FromTyped for Verb {
    fn from_typed(t: Typed) -> Result<Verb, Mismatch> {
        match &t.value {
            TVal::Enum(v) => Verb::parse(v).ok_or_else(|| Mismatch::new("Verb", &t)),
            _ => Err(Mismatch::new("Verb", &t)),
        }
    }
}

impl FromTyped for LogLevel {
    fn from_typed(t: Typed) -> Result<LogLevel, Mismatch> {
        match &t.value {
            TVal::Enum(v) => LogLevel::parse(v).ok_or_else(|| Mismatch::new("LogLevel", &t)),
            _ => Err(Mismatch::new("LogLevel", &t)),
        }
    }
}

impl FromRec for ServiceOptions {
    fn from_rec(rec: Rec) -> Result<ServiceOptions, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(ServiceOptions {
            type_: field(&mut rec, "type")?,
            port_name: field(&mut rec, "port-name")?,
            cluster_ip: optional_field(&mut rec, "cluster-ip")?,
            node_port: optional_field(&mut rec, "node-port")?,
            app_protocol: optional_field(&mut rec, "app-protocol")?,
            external_traffic_policy: optional_field(&mut rec, "external-traffic-policy")?,
            ip_family_policy: optional_field(&mut rec, "ip-family-policy")?,
            ip_families: field(&mut rec, "ip-families")?,
            annotations: field(&mut rec, "annotations")?,
            extra_ports: field(&mut rec, "extra-ports")?,
        })
    }
}

impl FromTyped for ServiceOptions {
    fn from_typed(t: Typed) -> Result<ServiceOptions, Mismatch> {
        ServiceOptions::from_rec(record(t, "ServiceOptions")?)
    }
}

impl FromTyped for ServiceType {
    fn from_typed(t: Typed) -> Result<ServiceType, Mismatch> {
        match &t.value {
            TVal::Enum(v) => ServiceType::parse(v).ok_or_else(|| Mismatch::new("ServiceType", &t)),
            _ => Err(Mismatch::new("ServiceType", &t)),
        }
    }
}

impl FromTyped for TrafficPolicy {
    fn from_typed(t: Typed) -> Result<TrafficPolicy, Mismatch> {
        match &t.value {
            TVal::Enum(v) => {
                TrafficPolicy::parse(v).ok_or_else(|| Mismatch::new("TrafficPolicy", &t))
            }
            _ => Err(Mismatch::new("TrafficPolicy", &t)),
        }
    }
}

impl FromTyped for IpFamilyPolicy {
    fn from_typed(t: Typed) -> Result<IpFamilyPolicy, Mismatch> {
        match &t.value {
            TVal::Enum(v) => {
                IpFamilyPolicy::parse(v).ok_or_else(|| Mismatch::new("IpFamilyPolicy", &t))
            }
            _ => Err(Mismatch::new("IpFamilyPolicy", &t)),
        }
    }
}

impl FromTyped for IpFamily {
    fn from_typed(t: Typed) -> Result<IpFamily, Mismatch> {
        match &t.value {
            TVal::Enum(v) => IpFamily::parse(v).ok_or_else(|| Mismatch::new("IpFamily", &t)),
            _ => Err(Mismatch::new("IpFamily", &t)),
        }
    }
}

impl FromRec for ServicePort {
    fn from_rec(rec: Rec) -> Result<ServicePort, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(ServicePort {
            name: field(&mut rec, "name")?,
            port: field(&mut rec, "port")?,
            target_port: optional_field(&mut rec, "target-port")?,
            protocol: field(&mut rec, "protocol")?,
            app_protocol: optional_field(&mut rec, "app-protocol")?,
            node_port: optional_field(&mut rec, "node-port")?,
        })
    }
}

impl FromTyped for ServicePort {
    fn from_typed(t: Typed) -> Result<ServicePort, Mismatch> {
        ServicePort::from_rec(record(t, "ServicePort")?)
    }
}

impl FromTyped for UpdateStrategy {
    fn from_typed(t: Typed) -> Result<UpdateStrategy, Mismatch> {
        match t.value {
            TVal::Variant { tag, value } if tag == "rolling" => {
                Ok(UpdateStrategy::Rolling(FromTyped::from_typed(*value)?))
            }
            TVal::Variant { tag, value } if tag == "recreate" => {
                Ok(UpdateStrategy::Recreate(FromTyped::from_typed(*value)?))
            }
            other => Err(Mismatch::of("UpdateStrategy", &other)),
        }
    }
}

impl FromRec for RollingUpdate {
    fn from_rec(rec: Rec) -> Result<RollingUpdate, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(RollingUpdate {
            max_surge: field(&mut rec, "max-surge")?,
            max_unavailable: field(&mut rec, "max-unavailable")?,
        })
    }
}

impl FromTyped for RollingUpdate {
    fn from_typed(t: Typed) -> Result<RollingUpdate, Mismatch> {
        RollingUpdate::from_rec(record(t, "RollingUpdate")?)
    }
}

impl FromRec for Recreate {
    fn from_rec(_rec: Rec) -> Result<Recreate, Mismatch> {
        Ok(Recreate {})
    }
}

impl FromTyped for Recreate {
    fn from_typed(t: Typed) -> Result<Recreate, Mismatch> {
        Recreate::from_rec(record(t, "Recreate")?)
    }
}

impl FromRec for Affinity {
    fn from_rec(rec: Rec) -> Result<Affinity, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Affinity {
            required_nodes: field(&mut rec, "required-nodes")?,
            preferred_nodes: field(&mut rec, "preferred-nodes")?,
            spread: optional_field(&mut rec, "spread")?,
        })
    }
}

impl FromTyped for Affinity {
    fn from_typed(t: Typed) -> Result<Affinity, Mismatch> {
        Affinity::from_rec(record(t, "Affinity")?)
    }
}

impl FromRec for NodeTerm {
    fn from_rec(rec: Rec) -> Result<NodeTerm, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(NodeTerm {
            match_: field(&mut rec, "match")?,
        })
    }
}

impl FromTyped for NodeTerm {
    fn from_typed(t: Typed) -> Result<NodeTerm, Mismatch> {
        NodeTerm::from_rec(record(t, "NodeTerm")?)
    }
}

impl FromRec for WeightedNodeTerm {
    fn from_rec(rec: Rec) -> Result<WeightedNodeTerm, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(WeightedNodeTerm {
            weight: field(&mut rec, "weight")?,
            match_: field(&mut rec, "match")?,
        })
    }
}

impl FromTyped for WeightedNodeTerm {
    fn from_typed(t: Typed) -> Result<WeightedNodeTerm, Mismatch> {
        WeightedNodeTerm::from_rec(record(t, "WeightedNodeTerm")?)
    }
}

impl FromRec for NodeExpression {
    fn from_rec(rec: Rec) -> Result<NodeExpression, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(NodeExpression {
            key: field(&mut rec, "key")?,
            operator: field(&mut rec, "operator")?,
            values: field(&mut rec, "values")?,
        })
    }
}

impl FromTyped for NodeExpression {
    fn from_typed(t: Typed) -> Result<NodeExpression, Mismatch> {
        NodeExpression::from_rec(record(t, "NodeExpression")?)
    }
}

impl FromTyped for SelectorOperator {
    fn from_typed(t: Typed) -> Result<SelectorOperator, Mismatch> {
        match &t.value {
            TVal::Enum(v) => {
                SelectorOperator::parse(v).ok_or_else(|| Mismatch::new("SelectorOperator", &t))
            }
            _ => Err(Mismatch::new("SelectorOperator", &t)),
        }
    }
}

impl FromRec for PodSpread {
    fn from_rec(rec: Rec) -> Result<PodSpread, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(PodSpread {
            topology_key: field(&mut rec, "topology-key")?,
            required: field(&mut rec, "required")?,
            weight: field(&mut rec, "weight")?,
        })
    }
}

impl FromTyped for PodSpread {
    fn from_typed(t: Typed) -> Result<PodSpread, Mismatch> {
        PodSpread::from_rec(record(t, "PodSpread")?)
    }
}

impl FromRec for TopologySpread {
    fn from_rec(rec: Rec) -> Result<TopologySpread, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(TopologySpread {
            topology_key: field(&mut rec, "topology-key")?,
            max_skew: field(&mut rec, "max-skew")?,
            when_unsatisfiable: field(&mut rec, "when-unsatisfiable")?,
        })
    }
}

impl FromTyped for TopologySpread {
    fn from_typed(t: Typed) -> Result<TopologySpread, Mismatch> {
        TopologySpread::from_rec(record(t, "TopologySpread")?)
    }
}

impl FromTyped for Unsatisfiable {
    fn from_typed(t: Typed) -> Result<Unsatisfiable, Mismatch> {
        match &t.value {
            TVal::Enum(v) => {
                Unsatisfiable::parse(v).ok_or_else(|| Mismatch::new("Unsatisfiable", &t))
            }
            _ => Err(Mismatch::new("Unsatisfiable", &t)),
        }
    }
}

impl FromTyped for FsGroupChangePolicy {
    fn from_typed(t: Typed) -> Result<FsGroupChangePolicy, Mismatch> {
        match &t.value {
            TVal::Enum(v) => FsGroupChangePolicy::parse(v)
                .ok_or_else(|| Mismatch::new("FsGroupChangePolicy", &t)),
            _ => Err(Mismatch::new("FsGroupChangePolicy", &t)),
        }
    }
}
