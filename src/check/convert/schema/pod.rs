// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! Reads checked values into the types of `stdlib/pod.pfk`.

use super::super::{Fields, FromRec, FromTyped, Mismatch, field, optional_field, record};
use crate::check::model::{Rec, TVal, Typed};
use crate::model::schema::*;

impl FromRec for Container {
    fn from_rec(rec: Rec) -> Result<Container, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Container {
            name: field(&mut rec, "name")?,
            image: field(&mut rec, "image")?,
            image_pull_policy: field(&mut rec, "image-pull-policy")?,
            command: field(&mut rec, "command")?,
            args: field(&mut rec, "args")?,
            env: field(&mut rec, "env")?,
            env_from: field(&mut rec, "env-from")?,
            ports: field(&mut rec, "ports")?,
            resources: field(&mut rec, "resources")?,
            security: field(&mut rec, "security")?,
            volume_mounts: field(&mut rec, "volume-mounts")?,
            liveness_probe: optional_field(&mut rec, "liveness-probe")?,
            readiness_probe: optional_field(&mut rec, "readiness-probe")?,
            startup_probe: optional_field(&mut rec, "startup-probe")?,
            sidecar: field(&mut rec, "sidecar")?,
        })
    }
}

impl FromTyped for Container {
    fn from_typed(t: Typed) -> Result<Container, Mismatch> {
        Container::from_rec(record(t, "Container")?)
    }
}

impl FromRec for Lifecycle {
    fn from_rec(rec: Rec) -> Result<Lifecycle, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Lifecycle {
            post_start: field(&mut rec, "post-start")?,
            pre_stop: field(&mut rec, "pre-stop")?,
            pre_stop_sleep: optional_field(&mut rec, "pre-stop-sleep")?,
        })
    }
}

impl FromTyped for Lifecycle {
    fn from_typed(t: Typed) -> Result<Lifecycle, Mismatch> {
        Lifecycle::from_rec(record(t, "Lifecycle")?)
    }
}

impl FromRec for ContainerPort {
    fn from_rec(rec: Rec) -> Result<ContainerPort, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(ContainerPort {
            name: optional_field(&mut rec, "name")?,
            port: field(&mut rec, "port")?,
            host_port: optional_field(&mut rec, "host-port")?,
            protocol: field(&mut rec, "protocol")?,
        })
    }
}

impl FromTyped for ContainerPort {
    fn from_typed(t: Typed) -> Result<ContainerPort, Mismatch> {
        ContainerPort::from_rec(record(t, "ContainerPort")?)
    }
}

impl FromTyped for Protocol {
    fn from_typed(t: Typed) -> Result<Protocol, Mismatch> {
        match &t.value {
            TVal::Enum(v) => Protocol::parse(v).ok_or_else(|| Mismatch::new("Protocol", &t)),
            _ => Err(Mismatch::new("Protocol", &t)),
        }
    }
}

impl FromRec for Probe {
    fn from_rec(rec: Rec) -> Result<Probe, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Probe {
            path: optional_field(&mut rec, "path")?,
            port: optional_field(&mut rec, "port")?,
            host: optional_field(&mut rec, "host")?,
            command: field(&mut rec, "command")?,
            initial_delay: field(&mut rec, "initial-delay")?,
            period: field(&mut rec, "period")?,
            timeout: field(&mut rec, "timeout")?,
            failure_threshold: field(&mut rec, "failure-threshold")?,
            success_threshold: field(&mut rec, "success-threshold")?,
        })
    }
}

impl FromTyped for Probe {
    fn from_typed(t: Typed) -> Result<Probe, Mismatch> {
        Probe::from_rec(record(t, "Probe")?)
    }
}

impl FromTyped for Volume {
    fn from_typed(t: Typed) -> Result<Volume, Mismatch> {
        match t.value {
            TVal::Variant { tag, value } if tag == "empty-dir" => {
                Ok(Volume::EmptyDir(FromTyped::from_typed(*value)?))
            }
            TVal::Variant { tag, value } if tag == "config-map" => {
                Ok(Volume::ConfigMap(FromTyped::from_typed(*value)?))
            }
            TVal::Variant { tag, value } if tag == "secret" => {
                Ok(Volume::Secret(FromTyped::from_typed(*value)?))
            }
            TVal::Variant { tag, value } if tag == "pvc" => {
                Ok(Volume::Pvc(FromTyped::from_typed(*value)?))
            }
            TVal::Variant { tag, value } if tag == "host-path" => {
                Ok(Volume::HostPath(FromTyped::from_typed(*value)?))
            }
            TVal::Variant { tag, value } if tag == "nfs" => {
                Ok(Volume::Nfs(FromTyped::from_typed(*value)?))
            }
            other => Err(Mismatch::of("Volume", &other)),
        }
    }
}

impl FromRec for EmptyDirVolume {
    fn from_rec(rec: Rec) -> Result<EmptyDirVolume, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(EmptyDirVolume {
            memory: field(&mut rec, "memory")?,
            size_limit: optional_field(&mut rec, "size-limit")?,
        })
    }
}

impl FromTyped for EmptyDirVolume {
    fn from_typed(t: Typed) -> Result<EmptyDirVolume, Mismatch> {
        EmptyDirVolume::from_rec(record(t, "EmptyDirVolume")?)
    }
}

impl FromRec for ConfigMapVolume {
    fn from_rec(rec: Rec) -> Result<ConfigMapVolume, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(ConfigMapVolume {
            name: field(&mut rec, "name")?,
            optional: field(&mut rec, "optional")?,
        })
    }
}

impl FromTyped for ConfigMapVolume {
    fn from_typed(t: Typed) -> Result<ConfigMapVolume, Mismatch> {
        ConfigMapVolume::from_rec(record(t, "ConfigMapVolume")?)
    }
}

impl FromRec for SecretVolume {
    fn from_rec(rec: Rec) -> Result<SecretVolume, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(SecretVolume {
            name: field(&mut rec, "name")?,
            optional: field(&mut rec, "optional")?,
        })
    }
}

impl FromTyped for SecretVolume {
    fn from_typed(t: Typed) -> Result<SecretVolume, Mismatch> {
        SecretVolume::from_rec(record(t, "SecretVolume")?)
    }
}

impl FromRec for PvcVolume {
    fn from_rec(rec: Rec) -> Result<PvcVolume, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(PvcVolume {
            claim: field(&mut rec, "claim")?,
            read_only: field(&mut rec, "read-only")?,
        })
    }
}

impl FromTyped for PvcVolume {
    fn from_typed(t: Typed) -> Result<PvcVolume, Mismatch> {
        PvcVolume::from_rec(record(t, "PvcVolume")?)
    }
}

impl FromRec for HostPathVolume {
    fn from_rec(rec: Rec) -> Result<HostPathVolume, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(HostPathVolume {
            path: field(&mut rec, "path")?,
        })
    }
}

impl FromTyped for HostPathVolume {
    fn from_typed(t: Typed) -> Result<HostPathVolume, Mismatch> {
        HostPathVolume::from_rec(record(t, "HostPathVolume")?)
    }
}

impl FromRec for NfsVolume {
    fn from_rec(rec: Rec) -> Result<NfsVolume, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(NfsVolume {
            server: field(&mut rec, "server")?,
            path: field(&mut rec, "path")?,
            read_only: field(&mut rec, "read-only")?,
        })
    }
}

impl FromTyped for NfsVolume {
    fn from_typed(t: Typed) -> Result<NfsVolume, Mismatch> {
        NfsVolume::from_rec(record(t, "NfsVolume")?)
    }
}

impl FromRec for VolumeMount {
    fn from_rec(rec: Rec) -> Result<VolumeMount, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(VolumeMount {
            volume: field(&mut rec, "volume")?,
            path: field(&mut rec, "path")?,
            read_only: field(&mut rec, "read-only")?,
            sub_path: optional_field(&mut rec, "sub-path")?,
        })
    }
}

impl FromTyped for VolumeMount {
    fn from_typed(t: Typed) -> Result<VolumeMount, Mismatch> {
        VolumeMount::from_rec(record(t, "VolumeMount")?)
    }
}

impl FromRec for ProbeTiming {
    fn from_rec(rec: Rec) -> Result<ProbeTiming, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(ProbeTiming {
            enabled: field(&mut rec, "enabled")?,
            path: optional_field(&mut rec, "path")?,
            initial_delay: field(&mut rec, "initial-delay")?,
            period: field(&mut rec, "period")?,
            timeout: field(&mut rec, "timeout")?,
            failure_threshold: field(&mut rec, "failure-threshold")?,
            success_threshold: field(&mut rec, "success-threshold")?,
        })
    }
}

impl FromTyped for ProbeTiming {
    fn from_typed(t: Typed) -> Result<ProbeTiming, Mismatch> {
        ProbeTiming::from_rec(record(t, "ProbeTiming")?)
    }
}
