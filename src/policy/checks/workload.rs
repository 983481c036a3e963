//! Rules about what runs: images, filesystems, resources, probes and the
//! ServiceAccount a pod runs as.

use super::finding;
use crate::policy::pods::{each_container, pods, prov};
use crate::policy::{Cx, Finding};

/// Why an image reference may change under the same name, if it may.
pub fn floating(image: &str) -> Option<String> {
    let parsed = crate::model::image::parse(image).ok()?;
    if parsed.digest.is_some() {
        return None;
    }
    let Some(tag) = parsed.tag else {
        return Some("it has no tag, which means `latest`".into());
    };
    const ROLLING: &[&str] = &[
        "stable", "main", "master", "edge", "nightly", "dev", "develop", "current", "lts",
    ];
    if tag.contains("latest") || ROLLING.contains(&tag) {
        return Some(format!("`{tag}` is a rolling tag"));
    }
    // A bare major version, alone or with a variant: `3`, `v2`,
    // `3-python3.11-kubernetes`. Prefect moves these with every release.
    let version = tag.strip_prefix('v').unwrap_or(tag);
    let major: String = version.chars().take_while(char::is_ascii_digit).collect();
    let after = &version[major.len()..];
    if (1..=3).contains(&major.len()) && (after.is_empty() || after.starts_with('-')) {
        return Some(format!(
            "`{tag}` names only the major version {major}, which moves with every release"
        ));
    }
    None
}

pub fn floating_tag(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects, |pod, c| {
        let image = &c.container.image;
        if let Some(why) = floating(&image.value) {
            out.push(finding(
                "image/floating-tag",
                c.place(),
                pod.origin(),
                prov(image),
                format!("the image `{}` is not pinned: {why}", image.value),
                "a floating tag",
                "pin a version (`prefecthq/prefect:3.4.25-python3.12`) or a digest (`…@sha256:…`)",
            ));
        }
    });
}

pub fn pull_policy(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects, |pod, c| {
        let image = &c.container.image;
        let policy = &c.container.image_pull_policy;
        if policy.value == "IfNotPresent" && floating(&image.value).is_some() {
            out.push(finding(
                "image/pull-policy",
                c.place(),
                pod.origin(),
                prov(image),
                format!(
                    "the mutable image `{}` is pulled only if not present",
                    image.value
                ),
                "each node keeps whichever image it pulled first",
                "pin the tag, or set `image-pull-policy = always`",
            ));
        }
    });
}

pub fn read_only_root(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects, |pod, c| {
        let r = &c.container.security_context.read_only_root_filesystem;
        if !r.value {
            out.push(finding(
                "fs/read-only-root",
                c.place(),
                pod.origin(),
                prov(r),
                format!(
                    "container `{}` can write to its root filesystem",
                    c.container.name
                ),
                "a writable root filesystem",
                "remove `read-only-root-filesystem = false`; mount an `empty-dir` volume where the container writes",
            ));
        }
    });
}

pub fn resources(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects, |pod, c| {
        let r = &c.container.resources;
        let mut missing = Vec::new();
        if !r.requests.contains_key("cpu") {
            missing.push("requests.cpu");
        }
        if !r.requests.contains_key("memory") {
            missing.push("requests.memory");
        }
        if !r.limits.contains_key("memory") {
            missing.push("limits.memory");
        }
        if missing.is_empty() {
            return;
        }
        out.push(finding(
            "pod/resources",
            c.place(),
            pod.origin(),
            r.prov.clone().or_else(|| c.container.prov.clone()),
            format!(
                "container `{}` has no {}",
                c.container.name,
                missing.join(", ")
            ),
            "incomplete resources",
            format!(
                "set {} in `resources`, e.g. `resources = {{ requests = {{ cpu = 100m, memory = 256Mi }}, limits = {{ memory = 512Mi }} }}`",
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    });
}

pub fn probes(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects).filter(|p| p.long_running) {
        for c in pod.containers() {
            let k = c.container;
            let serves = !k.ports.is_empty();
            let runs = !c.init || k.restart_policy == Some("Always");
            if !serves || !runs {
                continue;
            }
            let mut missing = Vec::new();
            if k.readiness_probe.is_none() {
                missing.push("readiness");
            }
            if k.liveness_probe.is_none() {
                missing.push("liveness");
            }
            if missing.is_empty() {
                continue;
            }
            out.push(finding(
                "pod/probes",
                c.place(),
                pod.origin(),
                k.prov.clone(),
                format!(
                    "container `{}` serves a port but has no {} probe",
                    k.name,
                    missing.join(" or ")
                ),
                "a server without health checks",
                format!(
                    "add {} to the container",
                    missing
                        .iter()
                        .map(|m| format!("`{m}-probe = {{ path = \"/health\", port = … }}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            ));
        }
    }
}

/// Whether a RoleBinding among the objects grants something to the
/// ServiceAccount `sa` of namespace `ns`.
fn has_binding(cx: &Cx, sa: &str, ns: &str) -> bool {
    cx.objects.iter().any(|o| {
        o.resource.role_binding().is_some_and(|b| {
            b.subjects
                .iter()
                .any(|s| s.kind == "ServiceAccount" && s.name == sa && s.namespace == ns)
        })
    })
}

pub fn token_automount(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects) {
        let spec = pod.spec;
        let ns = pod.object.meta().namespace.clone().unwrap_or_default();
        let token = &spec.automount_service_account_token;
        if token.value && !has_binding(cx, &spec.service_account_name, &ns) {
            out.push(finding(
                "sa/token-automount",
                pod.name(),
                pod.origin(),
                prov(token),
                format!(
                    "{} mounts a Kubernetes API token it has no use for",
                    pod.name()
                ),
                "the token is mounted",
                "its ServiceAccount is granted nothing: do not mount the token (remove what asked for it)",
            ));
        }
    }
}

/// Where a component named its ServiceAccount.
fn service_account_prov(cx: &Cx, origin: crate::source::Span) -> Option<crate::model::Prov> {
    cx.site
        .components
        .iter()
        .find(|c| c.header == origin)
        .and_then(|c| c.workload())
        .and_then(|w| w.service_account)
        .map(|t| t.prov.clone())
}

pub fn default_service_account(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects) {
        let sa = &pod.spec.service_account_name;
        if sa.is_empty() || sa == "default" {
            out.push(finding(
                "sa/default",
                pod.name(),
                pod.origin(),
                service_account_prov(cx, pod.origin()),
                format!("{} runs as the namespace's default ServiceAccount", pod.name()),
                "the account every pod of the namespace shares",
                "remove `service-account`: prefectc then creates an account for the component, with only the permissions it needs",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::floating;

    #[test]
    fn pinned_and_floating_tags() {
        for pinned in [
            "prefecthq/prefect:3.4.25-python3.12",
            "busybox:1.36",
            "envoyproxy/envoy:v1.30.1",
            "redis@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "localhost:5000/app:2024.05.01",
            "ghcr.io/acme/flows:4f2a9c1",
            "acme/flows:20240501",
            "acme/flows:sha-4f2a9c1",
        ] {
            assert_eq!(floating(pinned), None, "{pinned}");
        }
        for moving in [
            "prefecthq/prefect:3-latest",
            "prefecthq/prefect:3-python3.11-kubernetes",
            "prefecthq/prefect:3",
            "acme/app:v2",
            "nginx",
            "nginx:latest",
            "nginx:stable",
            "localhost:5000/app",
        ] {
            assert!(floating(moving).is_some(), "{moving}");
        }
    }
}
