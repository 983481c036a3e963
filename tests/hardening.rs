//! Hardening oracle: the README promises that everything prefectc emits is
//! "hardened by default: non-root, no privilege escalation, all
//! capabilities dropped, seccomp `RuntimeDefault`, read-only root filesystem
//! with writable scratch volumes, resources set, pinned images", and
//! `docs/policy.md` adds "`automountServiceAccountToken: false` on every
//! ServiceAccount and pod" (a container that calls the Kubernetes API gets a
//! projected token volume instead).
//!
//! Every container and init container of every workload (Deployment,
//! StatefulSet, DaemonSet, Job, CronJob) of every example, parity program and
//! `tests/external/everything.pfk` is read from the emitted YAML and checked
//! field by field:
//!
//! - `runAsNonRoot: true`, on the container or inherited from the pod (an
//!   explicit container value wins), and `runAsUser` is not 0;
//! - `allowPrivilegeEscalation: false` and `privileged` not true;
//! - `capabilities.drop` holds `ALL`, and nothing is added;
//! - `seccompProfile.type` `RuntimeDefault` (or `Localhost` with a profile),
//!   on the container or inherited from the pod;
//! - `readOnlyRootFilesystem: true`;
//! - resources: CPU and memory requests and a memory limit (what
//!   `docs/policy.md`'s `pod/resources` asks; the README says only "resources
//!   set", so a CPU limit is not required);
//! - the image carries a digest, or a tag that starts with a
//!   `MAJOR.MINOR` version (`v` allowed before it) and does not say `latest`
//!   (`3-latest`, `3-python3.12` and a missing tag are floating);
//! - the pod and every ServiceAccount set `automountServiceAccountToken:
//!   false`, and a projected ServiceAccount token is mounted into the main
//!   container only.
//!
//! A site that waives a rule must be listed in [`EXCEPTIONS`], written by
//! hand: the oracle never asks the compiler what is waived.

mod support;

use serde_yaml::Value;
use support::{build_file, every_site, kind, name, objects, pod_template, seq, short};

/// (site file, object "Kind/name", container, field, why). A violation that
/// matches a row is expected; a row that matches nothing is stale and fails.
const EXCEPTIONS: &[(&str, &str, &str, &str, &str)] = &[];

/// The checks of one container, each a field and what is wrong with it.
fn violations(pod: &Value, c: &Value) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let sc = &c["securityContext"];
    let psc = &pod["securityContext"];
    let inherited = |field: &str| -> Value {
        if sc[field].is_null() {
            psc[field].clone()
        } else {
            sc[field].clone()
        }
    };
    if inherited("runAsNonRoot") != Value::Bool(true) {
        out.push(("runAsNonRoot", format!("{:?}", inherited("runAsNonRoot"))));
    }
    if inherited("runAsUser").as_u64() == Some(0) {
        out.push(("runAsUser", "0".into()));
    }
    if sc["allowPrivilegeEscalation"] != Value::Bool(false) {
        out.push((
            "allowPrivilegeEscalation",
            format!("{:?}", sc["allowPrivilegeEscalation"]),
        ));
    }
    if sc["privileged"] == Value::Bool(true) {
        out.push(("privileged", "true".into()));
    }
    if !seq(&sc["capabilities"]["drop"])
        .iter()
        .any(|d| d.as_str() == Some("ALL"))
    {
        out.push((
            "capabilities.drop",
            format!("{:?}", sc["capabilities"]["drop"]),
        ));
    }
    if !seq(&sc["capabilities"]["add"]).is_empty() {
        out.push((
            "capabilities.add",
            format!("{:?}", sc["capabilities"]["add"]),
        ));
    }
    let seccomp = inherited("seccompProfile");
    let seccomp_ok = match seccomp["type"].as_str() {
        Some("RuntimeDefault") => true,
        Some("Localhost") => seccomp["localhostProfile"].as_str().is_some(),
        _ => false,
    };
    if !seccomp_ok {
        out.push(("seccompProfile", format!("{seccomp:?}")));
    }
    if sc["readOnlyRootFilesystem"] != Value::Bool(true) {
        out.push((
            "readOnlyRootFilesystem",
            format!("{:?}", sc["readOnlyRootFilesystem"]),
        ));
    }
    let r = &c["resources"];
    for (field, v) in [
        ("resources.requests.cpu", &r["requests"]["cpu"]),
        ("resources.requests.memory", &r["requests"]["memory"]),
        ("resources.limits.memory", &r["limits"]["memory"]),
    ] {
        if v.is_null() {
            out.push((field, "unset".into()));
        }
    }
    let image = c["image"].as_str().unwrap_or_default();
    if !pinned(image) {
        out.push(("image", image.to_string()));
    }
    out
}

/// A digest, or a tag that starts with MAJOR.MINOR and does not say latest.
fn pinned(image: &str) -> bool {
    if let Some((_, digest)) = image.split_once('@') {
        return digest.starts_with("sha256:") && digest.len() == 7 + 64;
    }
    // The tag follows the last `:` after the last `/` (a registry may have a port).
    let last = image.rsplit('/').next().unwrap_or(image);
    let Some((_, tag)) = last.split_once(':') else {
        return false;
    };
    // `v1.30.1` is a version as much as `1.30.1`.
    let version = tag.strip_prefix('v').unwrap_or(tag);
    let mut parts = version.split(['.', '-']);
    let numeric =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let versioned = version.contains('.') && numeric(parts.next()) && numeric(parts.next());
    versioned && !tag.to_ascii_lowercase().contains("latest")
}

#[test]
fn the_pin_rule_itself() {
    for good in [
        "prefecthq/prefect:3.4.25-python3.12",
        "postgres:17.2",
        "envoyproxy/envoy:v1.30.1",
        "mirror.example.com:5000/prefecthq/prefect:3.4.25-python3.12-kubernetes",
        "busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    ] {
        assert!(pinned(good), "{good} is pinned");
    }
    for bad in [
        "prefecthq/prefect:3-latest",
        "prefecthq/prefect:latest",
        "prefecthq/prefect",
        "prefecthq/prefect:3-python3.12",
        "prefecthq/prefect:3",
        "mirror.example.com:5000/prefecthq/prefect",
        "prefecthq/prefect:3.4-latest",
        "envoyproxy/envoy:v1",
    ] {
        assert!(!pinned(bad), "{bad} floats");
    }
}

/// One violation: (site, object, container, field, what was found).
type Violation = (String, String, String, &'static str, String);

/// The violations of a build's objects; counts the containers read.
fn site_violations(site: &str, all: &[Value], containers: &mut usize) -> Vec<Violation> {
    let mut found = Vec::new();
    for o in all {
        if kind(o) == "ServiceAccount" && o["automountServiceAccountToken"] != Value::Bool(false) {
            found.push((
                site.to_string(),
                format!("ServiceAccount/{}", name(o)),
                "-".to_string(),
                "automountServiceAccountToken",
                format!("{:?}", o["automountServiceAccountToken"]),
            ));
        }
        let Some(template) = pod_template(o) else {
            continue;
        };
        let object = format!("{}/{}", kind(o), name(o));
        let pod = &template["spec"];
        if pod["automountServiceAccountToken"] != Value::Bool(false) {
            found.push((
                site.to_string(),
                object.clone(),
                "-".into(),
                "automountServiceAccountToken",
                format!("{:?}", pod["automountServiceAccountToken"]),
            ));
        }
        // docs/policy.md: "Only the main container gets" the projected token.
        let token_volumes: Vec<&str> = seq(&pod["volumes"])
            .iter()
            .filter(|v| {
                seq(&v["projected"]["sources"])
                    .iter()
                    .any(|s| !s["serviceAccountToken"].is_null())
            })
            .filter_map(|v| v["name"].as_str())
            .collect();
        let all_containers = seq(&pod["containers"])
            .iter()
            .chain(seq(&pod["initContainers"]));
        for (i, c) in all_containers.enumerate() {
            *containers += 1;
            let cname = c["name"].as_str().unwrap_or_default().to_string();
            let token_mount = seq(&c["volumeMounts"])
                .iter()
                .filter_map(|m| m["name"].as_str())
                .find(|m| token_volumes.contains(m));
            if let (true, Some(volume)) = (i > 0, token_mount) {
                found.push((
                    site.to_string(),
                    object.clone(),
                    cname.clone(),
                    "serviceAccountToken",
                    format!("mounted from volume {volume}, but it is not the main container"),
                ));
            }
            for (field, what) in violations(pod, c) {
                found.push((site.to_string(), object.clone(), cname.clone(), field, what));
            }
        }
    }
    found
}

#[test]
fn every_container_of_every_site_is_hardened() {
    let mut found = Vec::new();
    let mut containers = 0;
    for path in every_site() {
        let site = short(&path);
        let all = objects(&build_file(&path), &site);
        found.extend(site_violations(&site, &all, &mut containers));
    }
    assert!(containers >= 50, "only {containers} containers were read");
    let mut unexpected = Vec::new();
    for (site, object, container, field, what) in &found {
        if !EXCEPTIONS
            .iter()
            .any(|(s, o, c, f, _)| s == site && o == object && c == container && f == field)
        {
            unexpected.push(format!(
                "{site}: {object} container {container}: {field} is {what}"
            ));
        }
    }
    let stale: Vec<_> = EXCEPTIONS
        .iter()
        .filter(|(s, o, c, f, _)| {
            !found
                .iter()
                .any(|(s2, o2, c2, f2, _)| s == s2 && o == o2 && c == c2 && f == f2)
        })
        .collect();
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "{} hardening violations:\n{}\nstale exceptions: {stale:?}",
        unexpected.len(),
        unexpected.join("\n")
    );
}

/// The containers a user adds (sidecars, init containers, a native sidecar)
/// are hardened by default too: no example has them.
#[test]
fn containers_the_user_adds_are_hardened_by_default() {
    let text = r#"site demo {
  namespace = "prefect"
  prefect   = "3.4.25"
}
server prefect {
  database        = postgres.in-cluster { password = secret("pg", "password") }
  sidecars        = [{ name = "proxy", image = "envoyproxy/envoy:v1.30.1", ports = [{ name = "admin", port = 9901 }], readiness-probe = { path = "/ready", port = 9901 }, liveness-probe = { path = "/ready", port = 9901 } }]
  init-containers = [{ name = "wait", image = "busybox:1.36.1", command = ["true"] }]
}
pool jobs { type = kubernetes }
worker w {
  pool            = jobs
  api             = prefect
  sidecars        = [{ name = "log", image = "fluent/fluent-bit:3.1.9" }]
  init-containers = [{ name = "native", image = "busybox:1.36.1", sidecar = true }]
}
exporter metrics { api = prefect }
"#;
    let all = objects(&support::build_text(text), "the site with added containers");
    let mut containers = 0;
    let found = site_violations("inline", &all, &mut containers);
    assert!(containers >= 8, "only {containers} containers were read");
    assert!(found.is_empty(), "{found:#?}");
}

/// The examples' files with `line` added to (or replacing the `policy` of)
/// their site block: (root name, files by name).
fn with_site_setting(root: &std::path::Path, line: &str) -> (String, Vec<(String, String)>) {
    let dir = root.parent().expect("a file has a parent");
    let key = line.split('=').next().expect("a setting").trim();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a readable directory") {
        let path = entry.expect("a readable entry").path();
        if path.extension().is_none_or(|e| e != "pfk") || path.is_dir() {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a readable file");
        let mut out = String::new();
        let mut in_site = false;
        for l in text.lines() {
            if l.starts_with("site ") {
                in_site = true;
            } else if in_site && l.starts_with('}') {
                out.push_str(&format!("  {line}\n"));
                in_site = false;
            } else if in_site && l.trim_start().starts_with(&format!("{key} ")) {
                continue;
            }
            out.push_str(l);
            out.push('\n');
        }
        let name = path
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        files.push((name, out));
    }
    let root = root
        .file_name()
        .expect("a name")
        .to_string_lossy()
        .into_owned();
    (root, files)
}

/// The promise does not depend on the profile or the platform: under
/// `privileged` and `baseline`, and on OpenShift (where the user and group
/// are left to the SCC), every example is still hardened.
#[test]
fn the_examples_are_hardened_under_every_profile_and_on_openshift() {
    let mut found = Vec::new();
    for path in every_site() {
        let site = short(&path);
        if !site.starts_with("examples/") {
            continue;
        }
        for setting in [
            "policy = privileged",
            "policy = baseline",
            "platform = openshift",
        ] {
            let (root, files) = with_site_setting(&path, setting);
            let text = files
                .iter()
                .find(|(n, _)| *n == root)
                .expect("the root file")
                .1
                .clone();
            let out = prefectc::build(
                &root,
                text,
                &prefectc::MemoryLoader(files.clone()),
                &prefectc::Options {
                    today: Some(support::TODAY.into()),
                    ..prefectc::Options::default()
                },
            );
            let what = format!("{site} with {setting}");
            let all = objects(&out, &what);
            let mut containers = 0;
            found.extend(site_violations(&what, &all, &mut containers));
            assert!(containers > 0, "{what}: no containers");
        }
    }
    let lines: Vec<String> = found
        .iter()
        .map(|(s, o, c, f, w)| format!("{s}: {o} container {c}: {f} is {w}"))
        .collect();
    assert!(lines.is_empty(), "{}", lines.join("\n"));
}

#[test]
fn a_site_setting_is_added_to_the_site_block() {
    let root = support::manifest_dir().join("examples/production.pfk");
    let (_, files) = with_site_setting(&root, "policy = baseline");
    let text = &files
        .iter()
        .find(|(n, _)| n == "production.pfk")
        .expect("the root")
        .1;
    assert!(text.contains("  policy = baseline\n}"), "{text}");
    assert!(!text.contains("restricted"), "the old policy is gone");
}
