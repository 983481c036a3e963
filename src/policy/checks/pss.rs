//! The Pod Security Standards, baseline and restricted, with the admission
//! controller's semantics: init containers count, an unset field is a
//! violation where the standard requires a value, container values override
//! the pod's, and a control applies from the Kubernetes version that
//! introduced it.

use super::finding;
use crate::policy::pods::{Ctr, Pod, each_container, pods, prov};
use crate::policy::{Cx, Finding, Violation};

/// A setting at both levels: the pod's own value and each container's
/// explicit one, each with where it is.
fn both_levels<'a, T>(
    pod: &Pod<'a>,
    of_pod: Option<&'a T>,
    of_container: impl Fn(&Ctr<'a>) -> Option<&'a T>,
) -> Vec<(String, &'a T)> {
    let mut all: Vec<(String, &'a T)> = of_pod.map(|v| (pod.name(), v)).into_iter().collect();
    for c in pod.containers() {
        if let Some(v) = of_container(&c) {
            all.push((c.place(), v));
        }
    }
    all
}

pub fn host_process(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects()) {
        let hits = both_levels(&pod, pod.security().windows_options.as_ref(), |c| {
            c.container.security_context.windows_options.as_ref()
        });
        for (place, w) in hits {
            if w.host_process.value {
                out.push(finding(
                    place,
                    pod.origin(),
                    prov(&w.host_process),
                    Violation::HostProcess,
                ));
            }
        }
    }
}

pub fn host_namespaces(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects()) {
        let spec = pod.spec;
        for (field, k8s_field, value) in [
            ("host-network", "hostNetwork", &spec.host_network),
            ("host-pid", "hostPID", &spec.host_pid),
            ("host-ipc", "hostIPC", &spec.host_ipc),
        ] {
            if let Some(t) = value.as_ref().filter(|t| t.value) {
                out.push(finding(
                    pod.name(),
                    pod.origin(),
                    prov(t),
                    Violation::HostNamespace { field, k8s_field },
                ));
            }
        }
    }
}

pub fn privileged(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects(), |pod, c| {
        let p = &c.container.security_context.privileged;
        if p.value {
            out.push(finding(
                c.place(),
                pod.origin(),
                prov(p),
                Violation::Privileged {
                    container: c.container.name.clone(),
                },
            ));
        }
    });
}

/// Capabilities PSS baseline allows to be added.
const BASELINE_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

fn capability_name(c: &str) -> &str {
    c.strip_prefix("CAP_").unwrap_or(c)
}

pub fn capabilities_baseline(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects(), |pod, c| {
        for cap in &c.container.security_context.capabilities.add {
            if !BASELINE_CAPABILITIES.contains(&capability_name(&cap.value)) {
                out.push(finding(
                    c.place(),
                    pod.origin(),
                    prov(cap),
                    Violation::CapabilityNotBaseline {
                        container: c.container.name.clone(),
                        capability: cap.value.clone(),
                    },
                ));
            }
        }
    });
}

pub fn host_path(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects()) {
        for v in &pod.spec.volumes {
            if let Some(h) = &v.host_path {
                out.push(finding(
                    pod.name(),
                    pod.origin(),
                    v.prov.clone(),
                    Violation::HostPath {
                        volume: v.name.clone(),
                        path: h.path.clone(),
                    },
                ));
            }
        }
    }
}

pub fn host_ports(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects(), |pod, c| {
        for p in &c.container.ports {
            if let Some(h) = p.host_port.as_ref().filter(|h| h.value != 0) {
                out.push(finding(
                    c.place(),
                    pod.origin(),
                    prov(h),
                    Violation::HostPort {
                        container: c.container.name.clone(),
                        port: h.value,
                    },
                ));
            }
        }
    });
}

pub fn apparmor(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects()) {
        let profiles = both_levels(&pod, pod.security().app_armor_profile.as_deref(), |c| {
            c.apparmor()
        });
        for (place, p) in profiles {
            if p.type_.value == "Unconfined" {
                out.push(finding(
                    place,
                    pod.origin(),
                    prov(&p.type_),
                    Violation::AppArmorUnconfined,
                ));
            }
        }
        for (key, value) in &pod.meta.annotations {
            if key.starts_with("container.apparmor.security.beta.kubernetes.io/")
                && !(value.is_empty()
                    || value == "runtime/default"
                    || value.starts_with("localhost/"))
            {
                out.push(finding(
                    pod.name(),
                    pod.origin(),
                    annotation_prov(cx, pod.origin(), key),
                    Violation::AppArmorAnnotation {
                        key: key.to_string(),
                        value: value.clone(),
                    },
                ));
            }
        }
    }
}

/// Where a pod annotation was written.
fn annotation_prov(cx: &Cx, origin: crate::source::Span, key: &str) -> Option<crate::model::Prov> {
    cx.component_at(origin)
        .and_then(|c| c.workload())
        .and_then(|w| w.pod_annotations.get(key))
        .map(|t| t.prov.clone())
}

/// SELinux types PSS baseline allows (`container_engine_t` from 1.31).
fn selinux_type_allowed(t: &str, minor: u32) -> bool {
    matches!(
        t,
        "" | "container_t" | "container_init_t" | "container_kvm_t"
    ) || (t == "container_engine_t" && minor >= 31)
}

pub fn selinux(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects()) {
        let all = both_levels(&pod, pod.security().se_linux_options.as_deref(), |c| {
            c.selinux()
        });
        for (place, s) in all {
            let bad_type = s
                .type_
                .as_deref()
                .filter(|t| !selinux_type_allowed(t, cx.kubernetes_minor));
            let violation = if let Some(t) = bad_type {
                Violation::SelinuxType {
                    type_: t.to_string(),
                }
            } else if s.user.is_some() || s.role.is_some() {
                Violation::SelinuxUserOrRole
            } else {
                continue;
            };
            out.push(finding(place, pod.origin(), s.prov.clone(), violation));
        }
    }
}

pub fn proc_mount(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects(), |pod, c| {
        if let Some(p) = &c.container.security_context.proc_mount
            && p.value != "Default"
        {
            out.push(finding(
                c.place(),
                pod.origin(),
                prov(p),
                Violation::ProcMount {
                    container: c.container.name.clone(),
                },
            ));
        }
    });
}

pub fn seccomp_baseline(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects()) {
        let all = both_levels(&pod, pod.security().seccomp_profile.as_ref(), |c| {
            c.container.security_context.seccomp_profile.as_ref()
        });
        for (place, p) in all {
            if p.type_.value == "Unconfined" {
                out.push(finding(
                    place,
                    pod.origin(),
                    prov(&p.type_),
                    Violation::SeccompBaselineUnconfined,
                ));
            }
        }
    }
}

/// The sysctls PSS baseline allows, with the minor version that added them.
const SAFE_SYSCTLS: &[(&str, u32)] = &[
    ("kernel.shm_rmid_forced", 0),
    ("net.ipv4.ip_local_port_range", 0),
    ("net.ipv4.ip_unprivileged_port_start", 0),
    ("net.ipv4.tcp_syncookies", 0),
    ("net.ipv4.ping_group_range", 0),
    ("net.ipv4.ip_local_reserved_ports", 27),
    ("net.ipv4.tcp_keepalive_time", 29),
    ("net.ipv4.tcp_fin_timeout", 29),
    ("net.ipv4.tcp_keepalive_intvl", 29),
    ("net.ipv4.tcp_keepalive_probes", 29),
    ("net.ipv4.tcp_rmem", 32),
    ("net.ipv4.tcp_wmem", 32),
];

pub fn sysctls(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects()) {
        for s in &pod.security().sysctls {
            let since = SAFE_SYSCTLS
                .iter()
                .find(|(n, _)| *n == s.name)
                .map(|(_, since)| *since);
            let violation = match since {
                Some(since) if cx.kubernetes_minor >= since => continue,
                // Safe in a later Kubernetes than the site targets.
                Some(since) => Violation::SysctlNotYetSafe {
                    sysctl: s.name.clone(),
                    minor: cx.kubernetes_minor,
                    since,
                },
                None => Violation::SysctlUnsafe {
                    sysctl: s.name.clone(),
                },
            };
            out.push(finding(pod.name(), pod.origin(), s.prov.clone(), violation));
        }
    }
}

pub fn probe_host(cx: &Cx, out: &mut Vec<Finding>) {
    if cx.kubernetes_minor < 34 {
        return;
    }
    each_container(cx.objects(), |pod, c| {
        let k = c.container;
        for (kind, probe) in [
            ("startup", &k.startup_probe),
            ("liveness", &k.liveness_probe),
            ("readiness", &k.readiness_probe),
        ] {
            let Some(p) = probe else { continue };
            let host = p
                .http_get
                .as_ref()
                .and_then(|h| h.host.as_ref())
                .or(p.tcp_socket.as_ref().and_then(|t| t.host.as_ref()));
            if let Some(h) = host.filter(|h| !h.value.is_empty()) {
                out.push(finding(
                    c.place(),
                    pod.origin(),
                    prov(h),
                    Violation::ProbeHost {
                        probe: kind,
                        container: k.name.clone(),
                        host: h.value.clone(),
                    },
                ));
            }
        }
    });
}

/// Volume types PSS restricted allows.
const RESTRICTED_VOLUMES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

pub fn volume_types(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects()) {
        for v in &pod.spec.volumes {
            let t = v.type_name();
            if !RESTRICTED_VOLUMES.contains(&t) {
                out.push(finding(
                    pod.name(),
                    pod.origin(),
                    v.prov.clone(),
                    Violation::VolumeType {
                        volume: v.name.clone(),
                        type_: t,
                    },
                ));
            }
        }
    }
}

pub fn privilege_escalation(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects(), |pod, c| {
        let a = &c.container.security_context.allow_privilege_escalation;
        if a.value {
            out.push(finding(
                c.place(),
                pod.origin(),
                prov(a),
                Violation::PrivilegeEscalation {
                    container: c.container.name.clone(),
                },
            ));
        }
    });
}

pub fn run_as_non_root(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects(), |pod, c| match c.run_as_non_root() {
        Some(t) if t.value => {}
        Some(t) => out.push(finding(
            c.place(),
            pod.origin(),
            prov(t),
            Violation::RootAllowed {
                container: c.container.name.clone(),
            },
        )),
        None => out.push(finding(
            c.place(),
            pod.origin(),
            None,
            Violation::NonRootUnset {
                container: c.container.name.clone(),
            },
        )),
    });
}

pub fn run_as_user(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects()) {
        if let Some(u) = &pod.security().run_as_user
            && u.value == 0
        {
            out.push(root_user(pod.name(), &pod, u));
        }
        for c in pod.containers() {
            if let Some(u) = &c.container.security_context.run_as_user
                && u.value == 0
            {
                out.push(root_user(c.place(), &pod, u));
            }
        }
    }
}

fn root_user(place: String, pod: &Pod, u: &crate::lower::k8s::Tracked<i64>) -> Finding {
    finding(place, pod.origin(), prov(u), Violation::RootUser)
}

pub fn seccomp(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects(), |pod, c| {
        let ok = |t: &str| t == "RuntimeDefault" || t == "Localhost";
        match c.seccomp() {
            Some(p) if ok(p.type_.value) => {}
            Some(p) => out.push(finding(
                c.place(),
                pod.origin(),
                prov(&p.type_),
                Violation::SeccompUnconfined {
                    container: c.container.name.clone(),
                },
            )),
            None => out.push(finding(
                c.place(),
                pod.origin(),
                None,
                Violation::SeccompUnset {
                    container: c.container.name.clone(),
                },
            )),
        }
    });
}

pub fn capabilities(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects(), |pod, c| {
        let caps = &c.container.security_context.capabilities;
        if !caps.drop.contains(&"ALL") {
            out.push(finding(
                c.place(),
                pod.origin(),
                None,
                Violation::CapabilitiesKept {
                    container: c.container.name.clone(),
                },
            ));
        }
        for cap in &caps.add {
            if capability_name(&cap.value) != "NET_BIND_SERVICE" {
                out.push(finding(
                    c.place(),
                    pod.origin(),
                    prov(cap),
                    Violation::CapabilityAdded {
                        container: c.container.name.clone(),
                        capability: cap.value.clone(),
                    },
                ));
            }
        }
    });
}
