// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! [`SameAfter`] for the types of `stdlib/pod.pfk`.

use super::super::{SameAfter, by_value};
use crate::model::schema::*;
use crate::source::Edits;

by_value!(Protocol);

impl SameAfter for Container {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.name.same_after(edits, &now.name)
            && self.image.same_after(edits, &now.image)
            && self
                .image_pull_policy
                .same_after(edits, &now.image_pull_policy)
            && self.command.same_after(edits, &now.command)
            && self.args.same_after(edits, &now.args)
            && self.env.same_after(edits, &now.env)
            && self.env_from.same_after(edits, &now.env_from)
            && self.ports.same_after(edits, &now.ports)
            && self.resources.same_after(edits, &now.resources)
            && self.security.same_after(edits, &now.security)
            && self.volume_mounts.same_after(edits, &now.volume_mounts)
            && self.liveness_probe.same_after(edits, &now.liveness_probe)
            && self.readiness_probe.same_after(edits, &now.readiness_probe)
            && self.startup_probe.same_after(edits, &now.startup_probe)
            && self.sidecar.same_after(edits, &now.sidecar)
    }
}

impl SameAfter for Lifecycle {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.post_start.same_after(edits, &now.post_start)
            && self.pre_stop.same_after(edits, &now.pre_stop)
            && self.pre_stop_sleep.same_after(edits, &now.pre_stop_sleep)
    }
}

impl SameAfter for ContainerPort {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.name.same_after(edits, &now.name)
            && self.port.same_after(edits, &now.port)
            && self.host_port.same_after(edits, &now.host_port)
            && self.protocol.same_after(edits, &now.protocol)
    }
}

impl SameAfter for Probe {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.path.same_after(edits, &now.path)
            && self.port.same_after(edits, &now.port)
            && self.host.same_after(edits, &now.host)
            && self.command.same_after(edits, &now.command)
            && self.initial_delay.same_after(edits, &now.initial_delay)
            && self.period.same_after(edits, &now.period)
            && self.timeout.same_after(edits, &now.timeout)
            && self
                .failure_threshold
                .same_after(edits, &now.failure_threshold)
            && self
                .success_threshold
                .same_after(edits, &now.success_threshold)
    }
}

impl SameAfter for Volume {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        match self {
            Volume::EmptyDir(a) => matches!(now, Volume::EmptyDir(b) if a.same_after(edits, b)),
            Volume::ConfigMap(a) => matches!(now, Volume::ConfigMap(b) if a.same_after(edits, b)),
            Volume::Secret(a) => matches!(now, Volume::Secret(b) if a.same_after(edits, b)),
            Volume::Pvc(a) => matches!(now, Volume::Pvc(b) if a.same_after(edits, b)),
            Volume::HostPath(a) => matches!(now, Volume::HostPath(b) if a.same_after(edits, b)),
            Volume::Nfs(a) => matches!(now, Volume::Nfs(b) if a.same_after(edits, b)),
        }
    }
}

impl SameAfter for EmptyDirVolume {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.memory.same_after(edits, &now.memory)
            && self.size_limit.same_after(edits, &now.size_limit)
    }
}

impl SameAfter for ConfigMapVolume {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.name.same_after(edits, &now.name) && self.optional.same_after(edits, &now.optional)
    }
}

impl SameAfter for SecretVolume {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.name.same_after(edits, &now.name) && self.optional.same_after(edits, &now.optional)
    }
}

impl SameAfter for PvcVolume {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.claim.same_after(edits, &now.claim) && self.read_only.same_after(edits, &now.read_only)
    }
}

impl SameAfter for HostPathVolume {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.path.same_after(edits, &now.path)
    }
}

impl SameAfter for NfsVolume {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.server.same_after(edits, &now.server)
            && self.path.same_after(edits, &now.path)
            && self.read_only.same_after(edits, &now.read_only)
    }
}

impl SameAfter for VolumeMount {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.volume.same_after(edits, &now.volume)
            && self.path.same_after(edits, &now.path)
            && self.read_only.same_after(edits, &now.read_only)
            && self.sub_path.same_after(edits, &now.sub_path)
    }
}

impl SameAfter for ProbeTiming {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.enabled.same_after(edits, &now.enabled)
            && self.path.same_after(edits, &now.path)
            && self.initial_delay.same_after(edits, &now.initial_delay)
            && self.period.same_after(edits, &now.period)
            && self.timeout.same_after(edits, &now.timeout)
            && self
                .failure_threshold
                .same_after(edits, &now.failure_threshold)
            && self
                .success_threshold
                .same_after(edits, &now.success_threshold)
    }
}
