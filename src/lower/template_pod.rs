//! The flow-run pod of a worker's own base job template, for the policy
//! stage: the Job manifest rendered with the template's variable defaults,
//! as the worker renders it when a deployment overrides nothing
//! ([`job_template::rendered_manifest`]), read into the typed pod every
//! policy rule reads. Every value points at the template (`prov`). A field
//! the manifest leaves out has Kubernetes' default: no securityContext is
//! no hardening, no `serviceAccountName` is the namespace's `default`, no
//! `automountServiceAccountToken` mounts the token.

use serde_json::Value;

use super::k8s::*;
use crate::model::Prov;
use crate::model::prefect::job_template;

/// Every volume type of the Pod API, for a type prefectc does not build.
const VOLUME_TYPES: &[&str] = &[
    "awsElasticBlockStore",
    "azureDisk",
    "azureFile",
    "cephfs",
    "cinder",
    "csi",
    "downwardAPI",
    "ephemeral",
    "fc",
    "flexVolume",
    "flocker",
    "gcePersistentDisk",
    "gitRepo",
    "glusterfs",
    "image",
    "iscsi",
    "photonPersistentDisk",
    "portworxVolume",
    "quobyte",
    "rbd",
    "scaleIO",
    "storageos",
    "vsphereVolume",
];

/// Reads values of one template, each pointing at it.
struct Reader<'a> {
    prov: &'a Prov,
}

impl Reader<'_> {
    fn tracked<T>(&self, value: T) -> Tracked<T> {
        Tracked {
            value,
            prov: self.prov.clone(),
        }
    }

    fn bool(&self, v: &Value, key: &str) -> Option<Tracked<bool>> {
        v.get(key).and_then(Value::as_bool).map(|b| self.tracked(b))
    }

    fn int(&self, v: &Value, key: &str) -> Option<Tracked<i64>> {
        v.get(key).and_then(Value::as_i64).map(|i| self.tracked(i))
    }

    fn profile(&self, v: Option<&Value>) -> Option<SeccompProfile> {
        let v = v?;
        let type_ = match v.get("type").and_then(Value::as_str)? {
            "RuntimeDefault" => "RuntimeDefault",
            "Localhost" => "Localhost",
            "Unconfined" => "Unconfined",
            _ => "Unknown",
        };
        Some(SeccompProfile {
            type_: self.tracked(type_),
            localhost_profile: v
                .get("localhostProfile")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
    }

    fn selinux(&self, v: Option<&Value>) -> Option<SeLinuxOptions> {
        let v = v?;
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        Some(SeLinuxOptions {
            type_: s("type"),
            user: s("user"),
            role: s("role"),
            level: s("level"),
            prov: Some(self.prov.clone()),
        })
    }

    fn windows(&self, v: Option<&Value>) -> Option<WindowsOptions> {
        self.bool(v?, "hostProcess")
            .map(|host_process| WindowsOptions { host_process })
    }

    fn pod_security(&self, v: Option<&Value>) -> PodSecurityContext {
        let Some(v) = v else {
            return PodSecurityContext::default();
        };
        PodSecurityContext {
            run_as_non_root: self.bool(v, "runAsNonRoot"),
            run_as_user: self.int(v, "runAsUser"),
            run_as_group: self.int(v, "runAsGroup"),
            fs_group: self.int(v, "fsGroup"),
            fs_group_change_policy: v
                .get("fsGroupChangePolicy")
                .and_then(Value::as_str)
                .map(|p| self.tracked(p.to_string())),
            supplemental_groups: list(v, "supplementalGroups")
                .iter()
                .filter_map(Value::as_i64)
                .map(|g| self.tracked(g))
                .collect(),
            seccomp_profile: self.profile(v.get("seccompProfile")),
            app_armor_profile: self.profile(v.get("appArmorProfile")).map(Box::new),
            se_linux_options: self.selinux(v.get("seLinuxOptions")).map(Box::new),
            sysctls: list(v, "sysctls")
                .iter()
                .map(|s| Sysctl {
                    name: text(s, "name"),
                    value: text(s, "value"),
                    prov: Some(self.prov.clone()),
                })
                .collect(),
            windows_options: self.windows(v.get("windowsOptions")).map(Box::new),
        }
    }

    /// A container's securityContext; what it leaves out is Kubernetes'
    /// default: escalation allowed, nothing dropped, a writable root.
    fn security(&self, v: Option<&Value>) -> SecurityContext {
        let empty = Value::Null;
        let v = v.unwrap_or(&empty);
        let caps = v.get("capabilities");
        let names = |k: &str| -> Vec<&Value> {
            caps.and_then(|c| c.get(k))
                .and_then(Value::as_array)
                .map(|a| a.iter().collect())
                .unwrap_or_default()
        };
        SecurityContext {
            allow_privilege_escalation: self
                .bool(v, "allowPrivilegeEscalation")
                .unwrap_or_else(|| self.tracked(true)),
            capabilities: Capabilities {
                drop: names("drop")
                    .into_iter()
                    .filter(|c| c.as_str() == Some("ALL"))
                    .map(|_| "ALL")
                    .collect(),
                add: names("add")
                    .into_iter()
                    .filter_map(Value::as_str)
                    .map(|c| self.tracked(c.to_string()))
                    .collect(),
            },
            privileged: self
                .bool(v, "privileged")
                .unwrap_or_else(|| self.tracked(false)),
            read_only_root_filesystem: self
                .bool(v, "readOnlyRootFilesystem")
                .unwrap_or_else(|| self.tracked(false)),
            run_as_non_root: self.bool(v, "runAsNonRoot"),
            run_as_user: self.int(v, "runAsUser"),
            run_as_group: self.int(v, "runAsGroup"),
            proc_mount: v
                .get("procMount")
                .and_then(Value::as_str)
                .filter(|m| *m != "Default")
                .map(|_| self.tracked("Unmasked")),
            seccomp_profile: self.profile(v.get("seccompProfile")),
            app_armor_profile: self.profile(v.get("appArmorProfile")).map(Box::new),
            se_linux_options: self.selinux(v.get("seLinuxOptions")).map(Box::new),
            windows_options: self.windows(v.get("windowsOptions")).map(Box::new),
        }
    }

    fn resources(&self, v: Option<&Value>) -> std::sync::Arc<ResourceRequirements> {
        let part = |k: &str| {
            v.and_then(|r| r.get(k))
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(name, q)| {
                            let q = q.as_str().map_or_else(|| q.to_string(), str::to_string);
                            (name.clone().into(), self.tracked(q))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        std::sync::Arc::new(ResourceRequirements {
            requests: part("requests"),
            limits: part("limits"),
            prov: Some(self.prov.clone()),
        })
    }

    /// A container; `default_image` is what the worker fills in for the
    /// first container when the manifest names no image.
    fn container(&self, v: &Value, default_image: Option<&str>) -> Container {
        let image = v
            .get("image")
            .and_then(Value::as_str)
            .or(default_image)
            .unwrap_or_default()
            .to_string();
        let policy = match v.get("imagePullPolicy").and_then(Value::as_str) {
            Some("Always") => "Always",
            Some("Never") => "Never",
            Some("IfNotPresent") => "IfNotPresent",
            // Kubernetes' default: Always for `latest` or no tag.
            _ => match crate::model::image::parse(&image).ok().and_then(|i| i.tag) {
                None | Some("latest") => "Always",
                Some(_) => "IfNotPresent",
            },
        };
        Container {
            name: text(v, "name"),
            image: self.tracked(image),
            image_pull_policy: self.tracked(policy),
            command: Vec::new(),
            args: Vec::new(),
            working_dir: None,
            ports: list(v, "ports")
                .iter()
                .map(|p| ContainerPort {
                    name: text(p, "name"),
                    container_port: p.get("containerPort").and_then(Value::as_i64).unwrap_or(0),
                    host_port: self.int(p, "hostPort"),
                    protocol: "TCP",
                })
                .collect(),
            env: Vec::new(),
            env_from: Vec::new(),
            resources: self.resources(v.get("resources")),
            security_context: self.security(v.get("securityContext")).into(),
            startup_probe: None,
            liveness_probe: None,
            readiness_probe: None,
            lifecycle: None,
            volume_mounts: Vec::new(),
            restart_policy: None,
            prov: Some(self.prov.clone()),
        }
    }

    fn volume(&self, v: &Value) -> Volume {
        let mut volume = Volume {
            name: text(v, "name"),
            prov: Some(self.prov.clone()),
            ..Volume::default()
        };
        if v.get("emptyDir").is_some() {
            volume.empty_dir = Some(Box::new(EmptyDir::default()));
        } else if let Some(c) = v.get("persistentVolumeClaim") {
            volume.persistent_volume_claim = Some(Box::new(PvcSource {
                claim_name: text(c, "claimName"),
                read_only: false,
            }));
        } else if let Some(c) = v.get("configMap") {
            volume.config_map = Some(Box::new(ConfigMapSource {
                name: text(c, "name"),
                optional: false,
            }));
        } else if let Some(s) = v.get("secret") {
            volume.secret = Some(Box::new(SecretSource {
                secret_name: text(s, "secretName"),
                optional: false,
            }));
        } else if let Some(h) = v.get("hostPath") {
            volume.host_path = Some(Box::new(HostPathSource {
                path: text(h, "path"),
            }));
        } else if let Some(p) = v.get("projected") {
            volume.projected = Some(std::sync::Arc::new(p.clone()));
        } else if let Some(n) = v.get("nfs") {
            volume.nfs = Some(Box::new(NfsSource {
                server: text(n, "server"),
                path: text(n, "path"),
                read_only: false,
            }));
        } else {
            volume.other = Some(
                VOLUME_TYPES
                    .iter()
                    .find(|t| v.get(**t).is_some())
                    .copied()
                    .unwrap_or("unknown"),
            );
        }
        volume
    }
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The flow-run pod of a kubernetes `template` (JSON), its values pointing
/// at `prov`; `default_image` is the image the worker gives a container
/// without one (its own release's Prefect image). `None` when the template
/// has no pod template to read.
pub fn pod_of(template: &Value, prov: &Prov, default_image: &str) -> Option<PodTemplate> {
    let manifest = job_template::rendered_manifest(template)?;
    let pod = manifest.pointer("/spec/template")?;
    let spec = pod.get("spec")?;
    let r = Reader { prov };
    let strings = |v: Option<&Value>| -> Labels {
        v.and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone().into(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let metadata = pod.get("metadata");
    Some(PodTemplate {
        metadata: PodMeta {
            labels: strings(metadata.and_then(|m| m.get("labels"))),
            annotations: strings(metadata.and_then(|m| m.get("annotations"))),
        },
        spec: PodSpec {
            service_account_name: spec
                .get("serviceAccountName")
                .and_then(Value::as_str)
                .unwrap_or("default")
                .to_string(),
            automount_service_account_token: r
                .bool(spec, "automountServiceAccountToken")
                .unwrap_or_else(|| r.tracked(true)),
            host_network: r.bool(spec, "hostNetwork"),
            host_pid: r.bool(spec, "hostPID"),
            host_ipc: r.bool(spec, "hostIPC"),
            restart_policy: Some("Never"),
            dns_policy: None,
            dns_config: None,
            security_context: r.pod_security(spec.get("securityContext")),
            image_pull_secrets: Vec::new(),
            node_selector: Labels::default(),
            tolerations: Vec::new(),
            scheduling: Scheduling::default(),
            init_containers: list(spec, "initContainers")
                .iter()
                .map(|c| r.container(c, None))
                .collect(),
            containers: list(spec, "containers")
                .iter()
                .enumerate()
                .map(|(i, c)| r.container(c, (i == 0).then_some(default_image)))
                .collect(),
            volumes: list(spec, "volumes").iter().map(|v| r.volume(v)).collect(),
        },
    })
}
