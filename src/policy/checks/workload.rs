//! Rules about what runs: images, filesystems, resources, probes and the
//! ServiceAccount a pod runs as.

use super::finding;
use crate::model::prefect::{TagRelease, is_prefect_repository};
use crate::policy::pods::{each_container, pods, prov};
use crate::policy::wording::Floating;
use crate::policy::{Cx, Finding, Violation};

/// Why an image reference may change under the same name, if it may.
pub fn floating(image: &str) -> Option<Floating> {
    let parsed = crate::model::image::parse(image).ok()?;
    if parsed.digest.is_some() {
        return None;
    }
    let Some(tag) = parsed.tag else {
        return Some(Floating::NoTag);
    };
    const ROLLING: &[&str] = &[
        "stable", "main", "master", "edge", "nightly", "dev", "develop", "current", "lts",
    ];
    if tag.contains("latest") || ROLLING.contains(&tag) {
        return Some(Floating::Rolling {
            tag: tag.to_string(),
        });
    }
    // A bare major version, alone or with a variant: `3`, `v2`,
    // `3-python3.11-kubernetes`. Prefect moves these with every release.
    let version = tag.strip_prefix('v').unwrap_or(tag);
    let major: String = version.chars().take_while(char::is_ascii_digit).collect();
    let after = &version[major.len()..];
    if (1..=3).contains(&major.len()) && (after.is_empty() || after.starts_with('-')) {
        return Some(Floating::MajorOnly {
            tag: tag.to_string(),
            major,
        });
    }
    // A Prefect line (`3.3-python3.12`): Prefect publishes each patch
    // release under it. (Other images' `16.4`, `1.36` are releases.)
    if let Some(TagRelease::Floating {
        major,
        minor: Some(minor),
    }) = TagRelease::of_parsed(&parsed)
    {
        return Some(Floating::LineOnly {
            tag: tag.to_string(),
            line: format!("{major}.{minor}"),
        });
    }
    None
}

pub fn floating_tag(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects(), |pod, c| {
        let image = &c.container.image;
        if let Some(why) = cx.floating(&image.value) {
            out.push(finding(
                c.place(),
                pod.origin(),
                prov(image),
                Violation::FloatingTag {
                    image: image.value.clone(),
                    pinned: pinned(cx, &image.value),
                    why,
                },
            ));
        }
    });
}

/// `image` pinned, as the help's example. A Prefect image at the site's
/// release, or, when its tag names another major version or line
/// (`2-latest` in a Prefect 3 site), at the newest release of it prefectc
/// knows; with the tag's `-kubernetes` variant. Any other image at a
/// placeholder version. A fixed example would tell a PostgreSQL image, or
/// an agent's Prefect 2 image in a Prefect 3 site, to become the site's
/// Prefect image.
fn pinned(cx: &Cx, image: &str) -> String {
    let (repository, tag) = match crate::model::image::parse(image) {
        Ok(p) => (p.repository, p.tag.unwrap_or_default()),
        Err(_) => (image, ""),
    };
    if !is_prefect_repository(repository) {
        return format!("{repository}:<version>");
    }
    let site = cx.site.prefect();
    let release = TagRelease::of_image_in(image, site).unwrap_or(site);
    let variant = if tag.ends_with("-kubernetes") {
        "-kubernetes"
    } else {
        ""
    };
    let python = &cx.site.settings().python.value;
    format!("{repository}:{release}-python{python}{variant}")
}

pub fn pull_policy(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects(), |pod, c| {
        let image = &c.container.image;
        let policy = &c.container.image_pull_policy;
        if policy.value == "IfNotPresent" && cx.floating(&image.value).is_some() {
            out.push(finding(
                c.place(),
                pod.origin(),
                prov(image),
                Violation::PullIfNotPresent {
                    image: image.value.clone(),
                },
            ));
        }
    });
}

pub fn read_only_root(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects(), |pod, c| {
        let r = &c.container.security_context.read_only_root_filesystem;
        if !r.value {
            out.push(finding(
                c.place(),
                pod.origin(),
                prov(r),
                Violation::WritableRoot {
                    container: c.container.name.clone(),
                },
            ));
        }
    });
}

pub fn resources(cx: &Cx, out: &mut Vec<Finding>) {
    each_container(cx.objects(), |pod, c| {
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
            c.place(),
            pod.origin(),
            r.prov.clone().or_else(|| c.container.prov.clone()),
            Violation::MissingResources {
                container: c.container.name.clone(),
                missing,
            },
        ));
    });
}

pub fn probes(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects()).filter(|p| p.long_running) {
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
                c.place(),
                pod.origin(),
                k.prov.clone(),
                Violation::MissingProbes {
                    container: k.name.clone(),
                    missing,
                },
            ));
        }
    }
}

pub fn token_automount(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects()) {
        let spec = pod.spec;
        let ns = pod.object.meta().namespace.clone().unwrap_or_default();
        let token = &spec.automount_service_account_token;
        if token.value && !cx.bound(&spec.service_account_name, &ns) {
            out.push(finding(
                pod.name(),
                pod.origin(),
                prov(token),
                Violation::UnusedToken { pod: pod.name() },
            ));
        }
    }
}

/// Where a component named its ServiceAccount.
fn service_account_prov(cx: &Cx, origin: crate::source::Span) -> Option<crate::model::Prov> {
    cx.component_at(origin)
        .and_then(|c| c.workload())
        .and_then(|w| w.service_account)
        .map(|t| t.prov.clone())
}

pub fn default_service_account(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects()) {
        let sa = &pod.spec.service_account_name;
        if sa.is_empty() || sa == "default" {
            out.push(finding(
                pod.name(),
                pod.origin(),
                service_account_prov(cx, pod.origin()),
                Violation::DefaultServiceAccount { pod: pod.name() },
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
            // A line of another image is a release of it.
            "postgres:16.4",
        ] {
            assert_eq!(floating(pinned), None, "{pinned}");
        }
        for moving in [
            "prefecthq/prefect:3-latest",
            "prefecthq/prefect:3-python3.11-kubernetes",
            "prefecthq/prefect:3",
            "prefecthq/prefect:3.3-python3.12",
            "mirror.io/prefecthq/prefect:2.20",
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
