//! The Pod Security Standards, baseline and restricted, with the admission
//! controller's semantics: init containers count, an unset field is a
//! violation where the standard requires a value, container values override
//! the pod's, and a control applies from the Kubernetes version that
//! introduced it.

use super::finding;
use crate::policy::pods::{Ctr, Pod, each_container, pods, prov};
use crate::policy::{Cx, Finding};

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
    for pod in pods(cx.objects) {
        let hits = both_levels(&pod, pod.security().windows_options.as_ref(), |c| {
            c.container.security_context.windows_options.as_ref()
        });
        for (place, w) in hits {
            if w.host_process.value {
                out.push(finding(
                    "pss/host-process",
                    place,
                    pod.origin(),
                    prov(&w.host_process),
                    "a Windows HostProcess container has full access to the node".into(),
                    "HostProcess is asked for here",
                    "remove `windows-host-process = true` from `security`",
                ));
            }
        }
    }
}

pub fn host_namespaces(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects) {
        let spec = pod.spec;
        for (field, name, value) in [
            ("host-network", "hostNetwork", &spec.host_network),
            ("host-pid", "hostPID", &spec.host_pid),
            ("host-ipc", "hostIPC", &spec.host_ipc),
        ] {
            if let Some(t) = value.as_ref().filter(|t| t.value) {
                out.push(finding(
                    "pss/host-namespaces",
                    pod.name(),
                    pod.origin(),
                    prov(t),
                    format!("the pod shares the node's namespace ({name}: true)"),
                    "this shares a namespace of the node",
                    format!("remove `{field} = true` from `security`"),
                ));
            }
        }
    }
}

pub fn privileged(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects, |pod, c| {
        let p = &c.container.security_context.privileged;
        if p.value {
            out.push(finding(
                "pss/privileged",
                c.place(),
                pod.origin(),
                prov(p),
                format!("container `{}` runs privileged", c.container.name),
                "a privileged container is root on the node",
                "remove `privileged = true`; add the one capability the container needs instead",
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
    each_container(cx.objects, |pod, c| {
        for cap in &c.container.security_context.capabilities.add {
            if !BASELINE_CAPABILITIES.contains(&capability_name(&cap.value)) {
                out.push(finding(
                    "pss/capabilities-baseline",
                    c.place(),
                    pod.origin(),
                    prov(cap),
                    format!(
                        "container `{}` adds the capability `{}`",
                        c.container.name, cap.value
                    ),
                    "not in the Pod Security baseline set",
                    "remove it from `add-capabilities`; baseline allows AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT",
                ));
            }
        }
    });
}

pub fn host_path(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects) {
        for v in &pod.spec.volumes {
            if let Some(h) = &v.host_path {
                out.push(finding(
                    "pss/host-path",
                    pod.name(),
                    pod.origin(),
                    v.prov.clone(),
                    format!(
                        "volume `{}` mounts the node's directory `{}`",
                        v.name, h.path
                    ),
                    "a hostPath volume",
                    "use a `pvc`, `config-map`, `secret` or `empty-dir` volume instead",
                ));
            }
        }
    }
}

pub fn host_ports(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects, |pod, c| {
        for p in &c.container.ports {
            if let Some(h) = p.host_port.as_ref().filter(|h| h.value != 0) {
                out.push(finding(
                    "pss/host-ports",
                    c.place(),
                    pod.origin(),
                    prov(h),
                    format!(
                        "container `{}` opens port {} on the node",
                        c.container.name, h.value
                    ),
                    "a hostPort",
                    "remove `host-port`; expose the port through a Service",
                ));
            }
        }
    });
}

pub fn apparmor(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects) {
        let profiles = both_levels(&pod, pod.security().app_armor_profile.as_ref(), |c| {
            c.apparmor()
        });
        for (place, p) in profiles {
            if p.type_.value == "Unconfined" {
                out.push(finding(
                    "pss/apparmor",
                    place,
                    pod.origin(),
                    prov(&p.type_),
                    "AppArmor is switched off (Unconfined)".into(),
                    "unconfined",
                    "remove `apparmor = unconfined` (the runtime's default profile applies), or use `localhost` with a profile",
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
                    "pss/apparmor",
                    pod.name(),
                    pod.origin(),
                    annotation_prov(cx, pod.origin(), key),
                    format!("the annotation `{key}` sets the AppArmor profile `{value}`"),
                    "unconfined",
                    "remove the annotation, or set `security.apparmor`",
                ));
            }
        }
    }
}

/// Where a pod annotation was written.
fn annotation_prov(cx: &Cx, origin: crate::source::Span, key: &str) -> Option<crate::model::Prov> {
    cx.site
        .components
        .iter()
        .find(|c| c.header == origin)
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
    for pod in pods(cx.objects) {
        let all = both_levels(&pod, pod.security().se_linux_options.as_ref(), |c| {
            c.selinux()
        });
        for (place, s) in all {
            let bad_type = s
                .type_
                .as_deref()
                .filter(|t| !selinux_type_allowed(t, cx.kubernetes_minor));
            let problem = if let Some(t) = bad_type {
                format!("the SELinux type `{t}` is not allowed")
            } else if s.user.is_some() || s.role.is_some() {
                "an SELinux user or role is set".to_string()
            } else {
                continue;
            };
            out.push(finding(
                "pss/selinux",
                place,
                pod.origin(),
                s.prov.clone(),
                problem,
                "SELinux labels",
                "use the type `container_t`, `container_init_t`, `container_kvm_t` or (from Kubernetes 1.31) `container_engine_t`, and leave `user` and `role` unset",
            ));
        }
    }
}

pub fn proc_mount(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects, |pod, c| {
        if let Some(p) = &c.container.security_context.proc_mount
            && p.value != "Default"
        {
            out.push(finding(
                "pss/proc-mount",
                c.place(),
                pod.origin(),
                prov(p),
                format!("container `{}` mounts /proc unmasked", c.container.name),
                "unmasked /proc",
                "remove `proc-mount = unmasked`",
            ));
        }
    });
}

pub fn seccomp_baseline(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects) {
        let all = both_levels(&pod, pod.security().seccomp_profile.as_ref(), |c| {
            c.container.security_context.seccomp_profile.as_ref()
        });
        for (place, p) in all {
            if p.type_.value == "Unconfined" {
                out.push(finding(
                    "pss/seccomp-baseline",
                    place,
                    pod.origin(),
                    prov(&p.type_),
                    "seccomp filtering is switched off (Unconfined)".into(),
                    "unconfined",
                    "remove `seccomp = unconfined` (the default is `runtime-default`)",
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
    for pod in pods(cx.objects) {
        for s in &pod.security().sysctls {
            let since = SAFE_SYSCTLS
                .iter()
                .find(|(n, _)| *n == s.name)
                .map(|(_, since)| *since);
            let (message, label, help) = match since {
                Some(since) if cx.kubernetes_minor >= since => continue,
                // Safe in a later Kubernetes than the site targets.
                Some(since) => (
                    format!(
                        "the sysctl `{}` is not in the safe set of Kubernetes 1.{}",
                        s.name, cx.kubernetes_minor
                    ),
                    format!("safe from Kubernetes 1.{since}"),
                    format!(
                        "if the cluster runs Kubernetes 1.{since} or later, raise the site's \
                         `kubernetes = \"1.{since}\"` (or `--kubernetes 1.{since}`); otherwise \
                         remove it from `sysctls`"
                    ),
                ),
                None => (
                    format!("the sysctl `{}` is not in the safe set", s.name),
                    "an unsafe sysctl".to_string(),
                    "remove it from `sysctls`; only namespaced, isolated sysctls (such as \
                     `net.ipv4.ip_local_port_range`) are allowed"
                        .to_string(),
                ),
            };
            out.push(finding(
                "pss/sysctls",
                pod.name(),
                pod.origin(),
                s.prov.clone(),
                message,
                label,
                help,
            ));
        }
    }
}

pub fn probe_host(cx: &Cx, out: &mut Vec<Finding>) {
    if cx.kubernetes_minor < 34 {
        return;
    }
    each_container(cx.objects, |pod, c| {
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
                    "pss/probe-host",
                    c.place(),
                    pod.origin(),
                    prov(h),
                    format!(
                        "the {kind} probe of `{}` checks the host `{}`",
                        k.name, h.value
                    ),
                    "a probe host",
                    "remove `host`: a probe checks the pod's own address",
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
    for pod in pods(cx.objects) {
        for v in &pod.spec.volumes {
            let t = v.type_name();
            if !RESTRICTED_VOLUMES.contains(&t) {
                out.push(finding(
                    "pss/volume-types",
                    pod.name(),
                    pod.origin(),
                    v.prov.clone(),
                    format!("volume `{}` is of type {t}", v.name),
                    "not a restricted volume type",
                    "use a `pvc` (a PersistentVolumeClaim can bind the same storage), `config-map`, `secret` or `empty-dir` volume",
                ));
            }
        }
    }
}

pub fn privilege_escalation(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects, |pod, c| {
        let a = &c.container.security_context.allow_privilege_escalation;
        if a.value {
            out.push(finding(
                "pss/privilege-escalation",
                c.place(),
                pod.origin(),
                prov(a),
                format!(
                    "container `{}` allows privilege escalation",
                    c.container.name
                ),
                "setuid binaries can gain privileges",
                "keep `allow-privilege-escalation` false (the default); Kubernetes turns it on for privileged containers and CAP_SYS_ADMIN",
            ));
        }
    });
}

pub fn run_as_non_root(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects, |pod, c| match c.run_as_non_root() {
        Some(t) if t.value => {}
        Some(t) => out.push(finding(
            "pss/run-as-non-root",
            c.place(),
            pod.origin(),
            prov(t),
            format!("container `{}` may run as root", c.container.name),
            "runAsNonRoot is false",
            "remove `run-as-non-root = false` (the default is true)",
        )),
        None => out.push(finding(
            "pss/run-as-non-root",
            c.place(),
            pod.origin(),
            None,
            format!("container `{}` does not set runAsNonRoot", c.container.name),
            "runAsNonRoot is unset",
            "set `run-as-non-root = true` in `security`",
        )),
    });
}

pub fn run_as_user(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects) {
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
    finding(
        "pss/run-as-user",
        place,
        pod.origin(),
        prov(u),
        "the workload runs as root (runAsUser 0)".into(),
        "user 0 is root",
        "remove `run-as-user = 0` (the default user is 10001), or set another non-zero user",
    )
}

pub fn seccomp(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects, |pod, c| {
        let ok = |t: &str| t == "RuntimeDefault" || t == "Localhost";
        match c.seccomp() {
            Some(p) if ok(p.type_.value) => {}
            Some(p) => out.push(finding(
                "pss/seccomp",
                c.place(),
                pod.origin(),
                prov(&p.type_),
                format!("container `{}` has no seccomp filter", c.container.name),
                "not RuntimeDefault or Localhost",
                "remove `seccomp = unconfined` (the default is `runtime-default`)",
            )),
            None => out.push(finding(
                "pss/seccomp",
                c.place(),
                pod.origin(),
                None,
                format!("container `{}` sets no seccomp profile", c.container.name),
                "no seccomp profile",
                "set `seccomp = runtime-default` in `security`",
            )),
        }
    });
}

pub fn capabilities(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects, |pod, c| {
        let caps = &c.container.security_context.capabilities;
        if !caps.drop.contains(&"ALL") {
            out.push(finding(
                "pss/capabilities",
                c.place(),
                pod.origin(),
                None,
                format!(
                    "container `{}` does not drop ALL capabilities",
                    c.container.name
                ),
                "capabilities are kept",
                "drop ALL capabilities",
            ));
        }
        for cap in &caps.add {
            if capability_name(&cap.value) != "NET_BIND_SERVICE" {
                out.push(finding(
                    "pss/capabilities",
                    c.place(),
                    pod.origin(),
                    prov(cap),
                    format!(
                        "container `{}` adds the capability `{}`",
                        c.container.name, cap.value
                    ),
                    "restricted allows only NET_BIND_SERVICE",
                    "remove it from `add-capabilities`",
                ));
            }
        }
    });
}
