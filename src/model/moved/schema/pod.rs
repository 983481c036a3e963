// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! [`SameAfter`] and [`MoveSpans`] for the types of `stdlib/pod.pfk`.

use super::super::{MoveSpans, Mover, SameAfter, by_value, no_spans};
use crate::model::schema::*;
use crate::source::Edits;

by_value!(Protocol);
no_spans!(Protocol);

impl MoveSpans for Container {
    fn move_spans(&mut self, m: &mut Mover) {
        self.name.move_spans(m);
        self.image.move_spans(m);
        self.image_pull_policy.move_spans(m);
        self.command.move_spans(m);
        self.args.move_spans(m);
        self.env.move_spans(m);
        self.env_from.move_spans(m);
        self.ports.move_spans(m);
        self.resources.move_spans(m);
        self.security.move_spans(m);
        self.volume_mounts.move_spans(m);
        self.liveness_probe.move_spans(m);
        self.readiness_probe.move_spans(m);
        self.startup_probe.move_spans(m);
        self.sidecar.move_spans(m);
    }
}

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

impl MoveSpans for Lifecycle {
    fn move_spans(&mut self, m: &mut Mover) {
        self.post_start.move_spans(m);
        self.pre_stop.move_spans(m);
        self.pre_stop_sleep.move_spans(m);
    }
}

impl SameAfter for Lifecycle {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.post_start.same_after(edits, &now.post_start)
            && self.pre_stop.same_after(edits, &now.pre_stop)
            && self.pre_stop_sleep.same_after(edits, &now.pre_stop_sleep)
    }
}

impl MoveSpans for ContainerPort {
    fn move_spans(&mut self, m: &mut Mover) {
        self.name.move_spans(m);
        self.port.move_spans(m);
        self.host_port.move_spans(m);
        self.protocol.move_spans(m);
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

impl MoveSpans for Probe {
    fn move_spans(&mut self, m: &mut Mover) {
        self.path.move_spans(m);
        self.port.move_spans(m);
        self.host.move_spans(m);
        self.command.move_spans(m);
        self.initial_delay.move_spans(m);
        self.period.move_spans(m);
        self.timeout.move_spans(m);
        self.failure_threshold.move_spans(m);
        self.success_threshold.move_spans(m);
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

impl MoveSpans for Volume {
    fn move_spans(&mut self, m: &mut Mover) {
        match self {
            Volume::EmptyDir(a) => a.move_spans(m),
            Volume::ConfigMap(a) => a.move_spans(m),
            Volume::Secret(a) => a.move_spans(m),
            Volume::Pvc(a) => a.move_spans(m),
            Volume::HostPath(a) => a.move_spans(m),
            Volume::Nfs(a) => a.move_spans(m),
        }
    }
}

impl MoveSpans for EmptyDirVolume {
    fn move_spans(&mut self, m: &mut Mover) {
        self.memory.move_spans(m);
        self.size_limit.move_spans(m);
    }
}

impl SameAfter for EmptyDirVolume {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.memory.same_after(edits, &now.memory)
            && self.size_limit.same_after(edits, &now.size_limit)
    }
}

impl MoveSpans for ConfigMapVolume {
    fn move_spans(&mut self, m: &mut Mover) {
        self.name.move_spans(m);
        self.optional.move_spans(m);
    }
}

impl SameAfter for ConfigMapVolume {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.name.same_after(edits, &now.name) && self.optional.same_after(edits, &now.optional)
    }
}

impl MoveSpans for SecretVolume {
    fn move_spans(&mut self, m: &mut Mover) {
        self.name.move_spans(m);
        self.optional.move_spans(m);
    }
}

impl SameAfter for SecretVolume {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.name.same_after(edits, &now.name) && self.optional.same_after(edits, &now.optional)
    }
}

impl MoveSpans for PvcVolume {
    fn move_spans(&mut self, m: &mut Mover) {
        self.claim.move_spans(m);
        self.read_only.move_spans(m);
    }
}

impl SameAfter for PvcVolume {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.claim.same_after(edits, &now.claim) && self.read_only.same_after(edits, &now.read_only)
    }
}

impl MoveSpans for HostPathVolume {
    fn move_spans(&mut self, m: &mut Mover) {
        self.path.move_spans(m);
    }
}

impl SameAfter for HostPathVolume {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.path.same_after(edits, &now.path)
    }
}

impl MoveSpans for NfsVolume {
    fn move_spans(&mut self, m: &mut Mover) {
        self.server.move_spans(m);
        self.path.move_spans(m);
        self.read_only.move_spans(m);
    }
}

impl SameAfter for NfsVolume {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.server.same_after(edits, &now.server)
            && self.path.same_after(edits, &now.path)
            && self.read_only.same_after(edits, &now.read_only)
    }
}

impl MoveSpans for VolumeMount {
    fn move_spans(&mut self, m: &mut Mover) {
        self.volume.move_spans(m);
        self.path.move_spans(m);
        self.read_only.move_spans(m);
        self.sub_path.move_spans(m);
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

impl MoveSpans for ProbeTiming {
    fn move_spans(&mut self, m: &mut Mover) {
        self.enabled.move_spans(m);
        self.path.move_spans(m);
        self.initial_delay.move_spans(m);
        self.period.move_spans(m);
        self.timeout.move_spans(m);
        self.failure_threshold.move_spans(m);
        self.success_threshold.move_spans(m);
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
