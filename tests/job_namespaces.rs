//! Job-namespace oracle (issue 15, PrefectHQ/prefect-helm #457, #516, #582):
//! a kubernetes worker's flow-run Jobs must be created where the worker may
//! create them. Judged from the emitted YAML alone, for every example,
//! parity program and `tests/external/everything.pfk`:
//!
//! - a kubernetes worker Deployment (`prefect worker start --type
//!   kubernetes`) that passes `--base-job-template` mounts the template from a
//!   ConfigMap of the build; the namespaces that template makes Prefect create
//!   Jobs in (`job_configuration.namespace`, a `{{ var }}` placeholder read
//!   from the variable's default, Prefect's `default` when there is none; and
//!   a namespace in the Job manifest's metadata) must each hold a RoleBinding
//!   of the worker's ServiceAccount to a Role granting `create` on
//!   `batch/jobs`;
//! - a kubernetes worker without a template of the build joins a pool whose
//!   own template decides: the build must say so (W0514).
//!
//! And the template prefectc gives a declared kubernetes pool is, for every
//! release line, the committed default of that line
//! (`stdlib/prefect/kubernetes-job-template/<line>.json`, read here from the
//! file) with the pool's flow-run settings written in and nothing of
//! Prefect's taken away.

mod support;

use serde_json::Value as Json;
use serde_yaml::Value;
use support::{build_file, build_text, every_site, kind, name, objects, pod_template, seq, short};

/// The main container's arguments of a worker Deployment.
fn worker_args(d: &Value) -> Option<Vec<&str>> {
    let pod = pod_template(d)?;
    let main = seq(&pod["spec"]["containers"]).first()?;
    let args: Vec<&str> = seq(&main["args"])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let i = args.iter().position(|a| *a == "worker")?;
    (args.get(i + 1) == Some(&"start")).then_some(args)
}

fn flag<'a>(args: &[&'a str], name: &str) -> Option<&'a str> {
    let i = args.iter().position(|a| *a == name)?;
    args.get(i + 1).copied()
}

/// The namespaces a template creates Jobs in, resolved as Prefect does.
fn template_namespaces(t: &Json) -> Vec<String> {
    let resolve = |v: &Json| -> Option<String> {
        let s = v.as_str()?;
        let inner = s
            .trim()
            .strip_prefix("{{")
            .and_then(|r| r.strip_suffix("}}"));
        match inner {
            Some(var) => Some(
                t["variables"]["properties"][var.trim()]["default"]
                    .as_str()
                    .unwrap_or("default")
                    .to_string(),
            ),
            None if s.contains("{{") => None,
            None => Some(s.to_string()),
        }
    };
    let config = &t["job_configuration"];
    let mut out = Vec::new();
    match &config["namespace"] {
        Json::Null => out.push("default".to_string()),
        v => out.extend(resolve(v)),
    }
    if let Some(v) = config.pointer("/job_manifest/metadata/namespace") {
        out.extend(resolve(v));
    }
    out
}

/// Whether `sa` (in `sa_ns`) may create batch Jobs in `ns`.
fn may_create_jobs(all: &[Value], sa: &str, sa_ns: &str, ns: &str) -> bool {
    let in_ns = |o: &Value| o["metadata"]["namespace"].as_str() == Some(ns);
    let grants = |role: &Value| {
        seq(&role["rules"]).iter().any(|r| {
            let has = |field: &str, want: &str| {
                seq(&r[field])
                    .iter()
                    .any(|v| v.as_str() == Some(want) || v.as_str() == Some("*"))
            };
            has("apiGroups", "batch") && has("resources", "jobs") && has("verbs", "create")
        })
    };
    all.iter()
        .filter(|o| kind(o) == "RoleBinding" && in_ns(o))
        .filter(|b| {
            seq(&b["subjects"]).iter().any(|s| {
                s["kind"].as_str() == Some("ServiceAccount")
                    && s["name"].as_str() == Some(sa)
                    && s["namespace"].as_str() == Some(sa_ns)
            })
        })
        .any(|b| {
            let role = b["roleRef"]["name"].as_str();
            all.iter()
                .any(|r| kind(r) == "Role" && in_ns(r) && Some(name(r)) == role && grants(r))
        })
}

/// Every way the objects of one build break the promise, in words.
fn judge(all: &[Value], warned_pool_template: bool) -> Vec<String> {
    let mut problems = Vec::new();
    for d in all.iter().filter(|o| kind(o) == "Deployment") {
        let Some(args) = worker_args(d) else { continue };
        if flag(&args, "--type") != Some("kubernetes") {
            continue;
        }
        let pod = &pod_template(d).expect("a Deployment has a pod template")["spec"];
        let sa = pod["serviceAccountName"].as_str().unwrap_or("default");
        let sa_ns = d["metadata"]["namespace"].as_str().unwrap_or("default");
        if flag(&args, "--base-job-template").is_none() {
            if !warned_pool_template {
                problems.push(format!(
                    "{}: a kubernetes worker without a template and no W0514",
                    name(d)
                ));
            }
            continue;
        }
        let map = seq(&pod["volumes"])
            .iter()
            .find(|v| v["name"].as_str() == Some("base-job-template-file"))
            .and_then(|v| v["configMap"]["name"].as_str())
            .expect("the template volume");
        let Some(cm) = all
            .iter()
            .find(|o| kind(o) == "ConfigMap" && name(o) == map)
        else {
            continue; // an existing ConfigMap: not in the build
        };
        let text = cm["data"]["baseJobTemplate.json"]
            .as_str()
            .expect("the template's key");
        let t: Json = serde_json::from_str(text).expect("the template is JSON");
        for ns in template_namespaces(&t) {
            if !may_create_jobs(all, sa, sa_ns, &ns) {
                problems.push(format!(
                    "{}: Jobs go to `{ns}`, where `{sa}` may not create them",
                    name(d)
                ));
            }
        }
    }
    problems
}

#[test]
fn every_kubernetes_worker_creates_jobs_where_it_may() {
    let mut failures = Vec::new();
    let mut judged = 0;
    for site in every_site() {
        let out = build_file(&site);
        let warned = out.diagnostics.iter().any(|d| d.code.as_str() == "W0514");
        let all = objects(&out, &short(&site));
        judged += all
            .iter()
            .filter(|o| kind(o) == "Deployment" && worker_args(o).is_some())
            .count();
        failures.extend(
            judge(&all, warned)
                .into_iter()
                .map(|p| format!("{}: {p}", short(&site))),
        );
    }
    assert!(judged >= 5, "only {judged} workers judged");
    assert!(failures.is_empty(), "{failures:#?}");
}

const SITE: &str = "site demo {\n  namespace = \"prefect\"\n  prefect   = \"PIN\"\n}\npool jobs { type = kubernetes }\nworker jobs {\n  api = self-hosted { url = \"http://prefect.prefect.svc:4200/api\" }\n  pool = jobs\n  job-namespaces = [\"flows\", \"flows-gpu\"]\n}\n";

/// The negative control: the oracle catches a worker whose template runs
/// Jobs in Prefect's `default` (what prefectc emitted before issue 15), and
/// one that names a namespace without a Role.
#[test]
fn the_oracle_catches_jobs_outside_the_workers_rbac() {
    let out = build_text(&SITE.replace("PIN", "3.4.25"));
    let mut all = objects(&out, "the site");
    assert_eq!(judge(&all, false), Vec::<String>::new());
    let cm = all
        .iter_mut()
        .find(|o| kind(o) == "ConfigMap" && name(o) == "jobs-base-job-template")
        .expect("the derived template");
    let text = cm["data"]["baseJobTemplate.json"]
        .as_str()
        .unwrap()
        .to_string();
    for (planted, namespace) in [
        (
            text.replace("\"default\": \"flows\"", "\"default\": \"default\""),
            "default",
        ),
        (
            text.replace("\"default\": \"flows\"", "\"default\": \"flows-cpu\""),
            "flows-cpu",
        ),
    ] {
        let mut all = all.clone();
        let cm = all
            .iter_mut()
            .find(|o| kind(o) == "ConfigMap" && name(o) == "jobs-base-job-template")
            .unwrap();
        cm["data"]["baseJobTemplate.json"] = Value::String(planted);
        let problems = judge(&all, false);
        assert_eq!(problems.len(), 2, "{problems:?}"); // config and manifest metadata
        assert!(
            problems[0].contains(&format!("`{namespace}`")),
            "{problems:?}"
        );
    }
    // Without a template of the build, only a warning makes it right.
    let external = build_text(
        &SITE
            .replace("PIN", "3.4.25")
            .replace("pool jobs { type = kubernetes }\n", "")
            .replace("pool = jobs", "pool = \"jobs\"\n  type = kubernetes"),
    );
    let all = objects(&external, "the site");
    assert!(
        external
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "W0514")
    );
    assert_eq!(judge(&all, true), Vec::<String>::new());
    assert_eq!(judge(&all, false).len(), 1);
}

/// Every `{{ placeholder }}` string of `expected` with its JSON pointer.
fn placeholders(j: &Json, at: &str, out: &mut Vec<(String, String)>) {
    match j {
        Json::String(s) if s.contains("{{") => out.push((at.to_string(), s.clone())),
        Json::Object(m) => {
            for (k, v) in m {
                placeholders(v, &format!("{at}/{k}"), out);
            }
        }
        Json::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                placeholders(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// For every release line, the template of a declared kubernetes pool is
/// the line's committed default (read here from the file) with the pool's
/// flow-run settings written in and nothing of Prefect's taken away
/// (docs/flow-runs.md):
/// - the same variables, in Prefect's order, each with Prefect's schema;
///   only the defaults of the namespace (the worker's first job
///   namespace), the image (the site's Prefect image), the pull policy,
///   the ServiceAccount (`<pool>-flow-run`) and, from 3.6 on, the CPU and
///   memory variables differ;
/// - every placeholder of Prefect's Job manifest is still there, except the
///   container's `env`, which becomes a list (the worker puts its own
///   variables in front of it);
/// - the flow-run pod is hardened: non-root, seccomp RuntimeDefault, no
///   privilege escalation, every capability dropped, read-only root.
#[test]
fn a_declared_pool_gets_its_lines_default_template_with_the_flow_run_settings_written_in() {
    let dir = support::manifest_dir().join("stdlib/prefect/kubernetes-job-template");
    let mut lines: Vec<String> = std::fs::read_dir(&dir)
        .expect("the templates directory")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    lines.sort();
    assert_eq!(lines.len(), 11, "{lines:?}");
    for line in lines {
        let committed = std::fs::read_to_string(dir.join(format!("{line}.json"))).unwrap();
        let expected: Json = serde_json::from_str(&committed).unwrap();
        assert_eq!(
            expected["variables"]["properties"]["namespace"]["default"], "default",
            "{line}: Prefect's default"
        );
        // A patch release of the line (2.20's .16 is what the e2e runs).
        let pin = if line == "2.20" {
            "2.20.16".to_string()
        } else {
            format!("{line}.0")
        };
        let out = build_text(&SITE.replace("PIN", &pin));
        let all = objects(&out, &pin);
        let cm = all
            .iter()
            .find(|o| kind(o) == "ConfigMap" && name(o) == "jobs-base-job-template")
            .unwrap_or_else(|| panic!("{pin}: no template"));
        let emitted: Json =
            serde_json::from_str(cm["data"]["baseJobTemplate.json"].as_str().unwrap()).unwrap();
        // Variables: Prefect's, in Prefect's order, with Prefect's schemas.
        let vars = |j: &Json| j["variables"]["properties"].as_object().unwrap().clone();
        let (ours, theirs) = (vars(&emitted), vars(&expected));
        assert_eq!(
            ours.keys().collect::<Vec<_>>(),
            theirs.keys().collect::<Vec<_>>(),
            "{pin}"
        );
        // CPU and memory are variables from 3.6 on.
        let new_line = line
            .strip_prefix("3.")
            .and_then(|m| m.parse::<u32>().ok())
            .is_some_and(|m| m >= 6);
        for (var, schema) in &theirs {
            let mut mine = ours[var].clone();
            let default = mine.as_object_mut().unwrap().remove("default");
            let mut prefects = schema.clone();
            let prefect_default = prefects.as_object_mut().unwrap().remove("default");
            assert_eq!(mine, prefects, "{pin}: variable {var}");
            let want = match var.as_str() {
                "namespace" => Some(Json::from("flows")),
                "image" => Some(Json::from(format!("prefecthq/prefect:{pin}-python3.12"))),
                "image_pull_policy" => Some(Json::from("IfNotPresent")),
                "service_account_name" => Some(Json::from("jobs-flow-run")),
                "cpu_request" if new_line => Some(Json::from("500m")),
                "memory_request" if new_line => Some(Json::from("512Mi")),
                "cpu_limit" if new_line => Some(Json::from("1")),
                "memory_limit" if new_line => Some(Json::from("2Gi")),
                _ => prefect_default,
            };
            assert_eq!(default, want, "{pin}: default of {var}");
        }
        // The job configuration: Prefect's, the manifest aside.
        for (key, value) in expected["job_configuration"].as_object().unwrap() {
            if key != "job_manifest" {
                assert_eq!(&emitted["job_configuration"][key], value, "{pin}: {key}");
            }
        }
        let mut theirs = Vec::new();
        placeholders(
            &expected["job_configuration"]["job_manifest"],
            "",
            &mut theirs,
        );
        let manifest = &emitted["job_configuration"]["job_manifest"];
        for (at, placeholder) in theirs {
            if at == "/spec/template/spec/containers/0/env" {
                assert!(manifest.pointer(&at).unwrap().is_array(), "{pin}: env");
                continue;
            }
            assert_eq!(
                manifest.pointer(&at).and_then(Json::as_str),
                Some(placeholder.as_str()),
                "{pin}: {at}"
            );
        }
        let pod = &manifest["spec"]["template"]["spec"];
        assert_eq!(pod["parallelism"], 1, "{pin}: the worker requires it");
        assert_eq!(pod["completions"], 1, "{pin}: the worker requires it");
        assert_eq!(pod["securityContext"]["runAsNonRoot"], true, "{pin}");
        assert_eq!(
            pod["securityContext"]["seccompProfile"]["type"], "RuntimeDefault",
            "{pin}"
        );
        assert_eq!(pod["automountServiceAccountToken"], false, "{pin}");
        let main = &pod["containers"][0];
        assert_eq!(main["name"], "prefect-job", "{pin}");
        let sc = &main["securityContext"];
        assert_eq!(sc["allowPrivilegeEscalation"], false, "{pin}");
        assert_eq!(sc["readOnlyRootFilesystem"], true, "{pin}");
        assert_eq!(sc["capabilities"]["drop"][0], "ALL", "{pin}");
        assert!(judge(&all, false).is_empty(), "{pin}");
    }
}

/// The codes of a build, sorted.
fn codes(text: &str) -> Vec<String> {
    let mut codes: Vec<String> = build_text(text)
        .diagnostics
        .iter()
        .map(|d| d.code.as_str().to_string())
        .collect();
    codes.sort();
    codes
}

/// A site with one declared pool of `pool_type` and a worker per body.
fn pool_site(pool_type: &str, workers: &[&str]) -> String {
    let mut text = format!(
        "site demo {{\n  namespace = \"prefect\"\n  prefect   = \"3.4.25\"\n}}\npool jobs {{ type = {pool_type} }}\n"
    );
    for (i, body) in workers.iter().enumerate() {
        text.push_str(&format!(
            "worker w{i} {{\n  api = self-hosted {{ url = \"http://prefect.prefect.svc:4200/api\" }}\n  pool = jobs\n  name = \"w{i}\"\n  healthcheck = false\n{body}\n}}\n"
        ));
    }
    text
}

/// A kubernetes template the worker accepts (the fields it requires of
/// every Job, E0410) and the policy rules pass (a hardened pod), creating
/// Jobs in `NS`.
const KUBE_TEMPLATE: &str = r#"{"job_configuration": {"namespace": "NS", "job_manifest": {"apiVersion": "batch/v1", "kind": "Job", "spec": {"template": {"spec": {"parallelism": 1, "completions": 1, "restartPolicy": "Never", "serviceAccountName": "flow-runs", "automountServiceAccountToken": false, "securityContext": {"runAsNonRoot": true, "runAsUser": 10001, "seccompProfile": {"type": "RuntimeDefault"}}, "containers": [{"name": "prefect-job", "image": "ghcr.io/acme/flows:1.4.2", "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}, "readOnlyRootFilesystem": true}, "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"memory": "1Gi"}}}]}}}}}, "variables": {}}"#;

/// E0415 compares what each worker of a declared pool writes to it: the
/// text of inline templates, the names of existing ConfigMaps, the
/// namespace and the release of the default template; a worker that writes nothing, or
/// whose own errors were reported, is not compared.
#[test]
fn workers_of_one_pool_conflict_only_over_templates_they_write() {
    let inline = |ns: &str| {
        format!(
            "  base-job-template = \"\"\"{}\"\"\"",
            KUBE_TEMPLATE.replace("NS", ns)
        )
    };
    let e0415 = vec!["E0415".to_string()];
    // Inline templates: the same text agrees, another text conflicts.
    let same = inline("prefect");
    assert_eq!(
        codes(&pool_site("kubernetes", &[&same, &same])),
        Vec::<String>::new()
    );
    let other = format!("{}\n  job-namespaces = [\"flows\"]", inline("flows"));
    assert_eq!(codes(&pool_site("kubernetes", &[&same, &other])), e0415);
    // Existing ConfigMaps: by name.
    let cm = |n: &str| format!("  base-job-template = config-map(\"{n}\")");
    assert_eq!(
        codes(&pool_site("kubernetes", &[&cm("t"), &cm("t")])),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(&pool_site("kubernetes", &[&cm("t"), &cm("u")])),
        e0415
    );
    // The default template of one worker against another's inline one.
    assert_eq!(codes(&pool_site("kubernetes", &["", &other])), e0415);
    // Default templates: of the release each worker runs. Another patch of
    // the pinned line, or a floating tag of it, writes the same one; an
    // image of a line with another default template writes that one.
    let image = |tag: &str| format!("  image = \"prefecthq/prefect:{tag}\"");
    // (A floating tag is the policy's error, not this rule's.)
    for same_template in ["3.4.24-python3.12", "3-latest", "3.4-python3.12"] {
        let found = codes(&pool_site("kubernetes", &["", &image(same_template)]));
        assert!(
            !found.contains(&"E0415".to_string()),
            "{same_template}: {found:?}"
        );
    }
    for other_template in [
        "3.6.0-python3.12",
        "3.1.15-python3.12",
        "2.20.16-python3.11",
    ] {
        let found = codes(&pool_site("kubernetes", &["", &image(other_template)]));
        assert!(
            found.contains(&"E0415".to_string()),
            "{other_template}: {found:?}"
        );
    }
    // Two workers on the same other release agree with each other.
    let newer = image("3.6.0-python3.12");
    assert!(!codes(&pool_site("kubernetes", &[&newer, &newer])).contains(&"E0415".to_string()));
    // A process worker without a template writes nothing to its pool.
    let process_template =
        r#"  base-job-template = """{"job_configuration": {"command": "run"}, "variables": {}}""""#;
    assert_eq!(
        codes(&pool_site("process", &["", process_template])),
        Vec::<String>::new()
    );
    // A worker with errors of its own is not compared as well.
    let failed = "  job-namespaces = [\"flows\"]\n  replicas = -1";
    assert_eq!(
        codes(&pool_site("kubernetes", &["", failed])),
        vec!["E0305"]
    );
    assert_eq!(
        codes(&pool_site(
            "kubernetes",
            &["", "  job-namespaces = [\"flows\"]"]
        )),
        e0415
    );
}

/// The settings of the integration packages the image carries pass in a
/// template's env like in a container's (`PREFECT_REDIS_MESSAGING_HOST` is
/// prefect-redis'); a misspelt one does not.
#[test]
fn integration_settings_pass_in_a_templates_env() {
    let site = |name: &str| {
        pool_site(
            "kubernetes",
            &[&format!(
                "  base-job-template = \"\"\"{}\"\"\"",
                KUBE_TEMPLATE.replace("NS", "prefect").replace(
                    "\"job_manifest\"",
                    &format!("\"env\": {{\"{name}\": \"x\"}}, \"job_manifest\"")
                )
            )],
        )
    };
    assert_eq!(
        codes(&site("PREFECT_REDIS_MESSAGING_HOST")),
        Vec::<String>::new()
    );
    assert_eq!(codes(&site("PREFECT_REDIS_MESSAGING_HOTS")), vec!["E0412"]);
}
