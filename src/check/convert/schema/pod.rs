// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! Reads checked values into the types of `stdlib/pod.pfk`.

use super::super::{FromRec, FromTyped, Mismatch, field, optional_field, record};
use crate::check::model::{Rec, TVal, Typed};
use crate::model::schema::*;

impl FromRec for Container {
    fn from_rec(rec: &Rec) -> Result<Container, Mismatch> {
        Ok(Container {
            name: field(rec, "name")?,
            image: field(rec, "image")?,
            image_pull_policy: field(rec, "image-pull-policy")?,
            command: field(rec, "command")?,
            args: field(rec, "args")?,
            env: field(rec, "env")?,
            env_from: field(rec, "env-from")?,
            ports: field(rec, "ports")?,
            resources: field(rec, "resources")?,
            security: field(rec, "security")?,
            volume_mounts: field(rec, "volume-mounts")?,
            liveness_probe: optional_field(rec, "liveness-probe")?,
            readiness_probe: optional_field(rec, "readiness-probe")?,
            startup_probe: optional_field(rec, "startup-probe")?,
            sidecar: field(rec, "sidecar")?,
        })
    }
}

impl FromTyped for Container {
    fn from_typed(t: &Typed) -> Result<Container, Mismatch> {
        Container::from_rec(record(t, "Container")?)
    }
}

impl FromRec for Lifecycle {
    fn from_rec(rec: &Rec) -> Result<Lifecycle, Mismatch> {
        Ok(Lifecycle {
            post_start: field(rec, "post-start")?,
            pre_stop: field(rec, "pre-stop")?,
            pre_stop_sleep: optional_field(rec, "pre-stop-sleep")?,
        })
    }
}

impl FromTyped for Lifecycle {
    fn from_typed(t: &Typed) -> Result<Lifecycle, Mismatch> {
        Lifecycle::from_rec(record(t, "Lifecycle")?)
    }
}

impl FromRec for ContainerPort {
    fn from_rec(rec: &Rec) -> Result<ContainerPort, Mismatch> {
        Ok(ContainerPort {
            name: optional_field(rec, "name")?,
            port: field(rec, "port")?,
            host_port: optional_field(rec, "host-port")?,
            protocol: field(rec, "protocol")?,
        })
    }
}

impl FromTyped for ContainerPort {
    fn from_typed(t: &Typed) -> Result<ContainerPort, Mismatch> {
        ContainerPort::from_rec(record(t, "ContainerPort")?)
    }
}

impl FromTyped for Protocol {
    fn from_typed(t: &Typed) -> Result<Protocol, Mismatch> {
        match &t.value {
            TVal::Enum(v) => Protocol::parse(v).ok_or_else(|| Mismatch::new("Protocol", t)),
            _ => Err(Mismatch::new("Protocol", t)),
        }
    }
}

impl FromRec for Probe {
    fn from_rec(rec: &Rec) -> Result<Probe, Mismatch> {
        Ok(Probe {
            path: optional_field(rec, "path")?,
            port: optional_field(rec, "port")?,
            host: optional_field(rec, "host")?,
            command: field(rec, "command")?,
            initial_delay: field(rec, "initial-delay")?,
            period: field(rec, "period")?,
            timeout: field(rec, "timeout")?,
            failure_threshold: field(rec, "failure-threshold")?,
            success_threshold: field(rec, "success-threshold")?,
        })
    }
}

impl FromTyped for Probe {
    fn from_typed(t: &Typed) -> Result<Probe, Mismatch> {
        Probe::from_rec(record(t, "Probe")?)
    }
}

impl FromTyped for Volume {
    fn from_typed(t: &Typed) -> Result<Volume, Mismatch> {
        match &t.value {
            TVal::Variant { tag, value } if tag == "empty-dir" => {
                Ok(Volume::EmptyDir(FromTyped::from_typed(value)?))
            }
            TVal::Variant { tag, value } if tag == "config-map" => {
                Ok(Volume::ConfigMap(FromTyped::from_typed(value)?))
            }
            TVal::Variant { tag, value } if tag == "secret" => {
                Ok(Volume::Secret(FromTyped::from_typed(value)?))
            }
            TVal::Variant { tag, value } if tag == "pvc" => {
                Ok(Volume::Pvc(FromTyped::from_typed(value)?))
            }
            TVal::Variant { tag, value } if tag == "host-path" => {
                Ok(Volume::HostPath(FromTyped::from_typed(value)?))
            }
            TVal::Variant { tag, value } if tag == "nfs" => {
                Ok(Volume::Nfs(FromTyped::from_typed(value)?))
            }
            _ => Err(Mismatch::new("Volume", t)),
        }
    }
}

impl FromRec for EmptyDirVolume {
    fn from_rec(rec: &Rec) -> Result<EmptyDirVolume, Mismatch> {
        Ok(EmptyDirVolume {
            memory: field(rec, "memory")?,
            size_limit: optional_field(rec, "size-limit")?,
        })
    }
}

impl FromTyped for EmptyDirVolume {
    fn from_typed(t: &Typed) -> Result<EmptyDirVolume, Mismatch> {
        EmptyDirVolume::from_rec(record(t, "EmptyDirVolume")?)
    }
}

impl FromRec for ConfigMapVolume {
    fn from_rec(rec: &Rec) -> Result<ConfigMapVolume, Mismatch> {
        Ok(ConfigMapVolume {
            name: field(rec, "name")?,
            optional: field(rec, "optional")?,
        })
    }
}

impl FromTyped for ConfigMapVolume {
    fn from_typed(t: &Typed) -> Result<ConfigMapVolume, Mismatch> {
        ConfigMapVolume::from_rec(record(t, "ConfigMapVolume")?)
    }
}

impl FromRec for SecretVolume {
    fn from_rec(rec: &Rec) -> Result<SecretVolume, Mismatch> {
        Ok(SecretVolume {
            name: field(rec, "name")?,
            optional: field(rec, "optional")?,
        })
    }
}

impl FromTyped for SecretVolume {
    fn from_typed(t: &Typed) -> Result<SecretVolume, Mismatch> {
        SecretVolume::from_rec(record(t, "SecretVolume")?)
    }
}

impl FromRec for PvcVolume {
    fn from_rec(rec: &Rec) -> Result<PvcVolume, Mismatch> {
        Ok(PvcVolume {
            claim: field(rec, "claim")?,
            read_only: field(rec, "read-only")?,
        })
    }
}

impl FromTyped for PvcVolume {
    fn from_typed(t: &Typed) -> Result<PvcVolume, Mismatch> {
        PvcVolume::from_rec(record(t, "PvcVolume")?)
    }
}

impl FromRec for HostPathVolume {
    fn from_rec(rec: &Rec) -> Result<HostPathVolume, Mismatch> {
        Ok(HostPathVolume {
            path: field(rec, "path")?,
        })
    }
}

impl FromTyped for HostPathVolume {
    fn from_typed(t: &Typed) -> Result<HostPathVolume, Mismatch> {
        HostPathVolume::from_rec(record(t, "HostPathVolume")?)
    }
}

impl FromRec for NfsVolume {
    fn from_rec(rec: &Rec) -> Result<NfsVolume, Mismatch> {
        Ok(NfsVolume {
            server: field(rec, "server")?,
            path: field(rec, "path")?,
            read_only: field(rec, "read-only")?,
        })
    }
}

impl FromTyped for NfsVolume {
    fn from_typed(t: &Typed) -> Result<NfsVolume, Mismatch> {
        NfsVolume::from_rec(record(t, "NfsVolume")?)
    }
}

impl FromRec for VolumeMount {
    fn from_rec(rec: &Rec) -> Result<VolumeMount, Mismatch> {
        Ok(VolumeMount {
            volume: field(rec, "volume")?,
            path: field(rec, "path")?,
            read_only: field(rec, "read-only")?,
            sub_path: optional_field(rec, "sub-path")?,
        })
    }
}

impl FromTyped for VolumeMount {
    fn from_typed(t: &Typed) -> Result<VolumeMount, Mismatch> {
        VolumeMount::from_rec(record(t, "VolumeMount")?)
    }
}

impl FromRec for ProbeTiming {
    fn from_rec(rec: &Rec) -> Result<ProbeTiming, Mismatch> {
        Ok(ProbeTiming {
            enabled: field(rec, "enabled")?,
            path: optional_field(rec, "path")?,
            initial_delay: field(rec, "initial-delay")?,
            period: field(rec, "period")?,
            timeout: field(rec, "timeout")?,
            failure_threshold: field(rec, "failure-threshold")?,
            success_threshold: field(rec, "success-threshold")?,
        })
    }
}

impl FromTyped for ProbeTiming {
    fn from_typed(t: &Typed) -> Result<ProbeTiming, Mismatch> {
        ProbeTiming::from_rec(record(t, "ProbeTiming")?)
    }
}
