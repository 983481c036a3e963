//! Base job templates: the kubernetes worker's default template of each
//! release line (dumped from the real packages by
//! `tests/external/prefect_job_templates.py` into
//! `stdlib/prefect/kubernetes-job-template/<line>.json`), and where a
//! kubernetes template makes Prefect create its Jobs.
//!
//! Prefect's default puts flow-run Jobs in the namespace `default`, where a
//! worker of this site has no RBAC; a declared kubernetes pool gets the
//! default with only the namespace changed (see `docs/work-pools.md`).

use std::sync::OnceLock;

use serde_json::Value;

use super::version::{Line, Version};

/// The embedded templates: (line, JSON text), oldest line first.
const KUBERNETES: &[(&str, &str)] = &[
    (
        "2.20",
        include_str!("../../../stdlib/prefect/kubernetes-job-template/2.20.json"),
    ),
    (
        "3.0",
        include_str!("../../../stdlib/prefect/kubernetes-job-template/3.0.json"),
    ),
    (
        "3.1",
        include_str!("../../../stdlib/prefect/kubernetes-job-template/3.1.json"),
    ),
    (
        "3.2",
        include_str!("../../../stdlib/prefect/kubernetes-job-template/3.2.json"),
    ),
    (
        "3.3",
        include_str!("../../../stdlib/prefect/kubernetes-job-template/3.3.json"),
    ),
    (
        "3.4",
        include_str!("../../../stdlib/prefect/kubernetes-job-template/3.4.json"),
    ),
    (
        "3.5",
        include_str!("../../../stdlib/prefect/kubernetes-job-template/3.5.json"),
    ),
    (
        "3.6",
        include_str!("../../../stdlib/prefect/kubernetes-job-template/3.6.json"),
    ),
    (
        "3.7",
        include_str!("../../../stdlib/prefect/kubernetes-job-template/3.7.json"),
    ),
    (
        "3.8",
        include_str!("../../../stdlib/prefect/kubernetes-job-template/3.8.json"),
    ),
    (
        "3.9",
        include_str!("../../../stdlib/prefect/kubernetes-job-template/3.9.json"),
    ),
];

/// The namespace Prefect's kubernetes worker creates Jobs in when a
/// template names none (`KubernetesWorkerJobConfiguration.namespace`).
pub const PREFECT_DEFAULT_NAMESPACE: &str = "default";

/// The kubernetes worker's default base job template of the release line
/// `at` belongs to; a release outside every line gets the nearest line's
/// (check warns about such a pin, W0515).
pub fn kubernetes_default(at: Version) -> Value {
    // Parsed once per line: a site's workers all ask for it.
    static PARSED: [OnceLock<Value>; KUBERNETES.len()] =
        [const { OnceLock::new() }; KUBERNETES.len()];
    let i = kubernetes_template_of(at);
    PARSED[i]
        .get_or_init(|| {
            serde_json::from_str(KUBERNETES[i].1)
                .expect("an embedded job template is JSON (tests/job_templates.rs)")
        })
        .clone()
}

/// Which of the kubernetes worker's default templates the release `at`
/// has: two releases with the same one write the same default template.
pub fn kubernetes_template_of(at: Version) -> usize {
    KUBERNETES
        .iter()
        .rposition(|(line, _)| Line::parse(line).is_some_and(|l| l <= at.line()))
        .unwrap_or(0)
}

/// Where a kubernetes template says Jobs run: a place in the template and
/// the namespace it resolves to when a deployment overrides nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobNamespace {
    /// The JSON path of the value that decides it.
    pub path: String,
    pub namespace: String,
}

/// The namespaces a kubernetes template creates Jobs in, as Prefect
/// resolves them: `job_configuration.namespace` (a `{{ var }}` placeholder
/// reads the variable's default; no value at all is Prefect's `default`)
/// and a namespace written into the Job manifest's metadata (the API
/// server refuses a Job whose metadata names another namespace than the
/// one it is created in). A value mixing text and placeholders is not
/// resolved.
pub fn job_namespaces(template: &Value) -> Vec<JobNamespace> {
    let mut found = Vec::new();
    let config = template.get("job_configuration");
    let configured = config.and_then(|c| c.get("namespace"));
    match configured {
        None | Some(Value::Null) => found.push(JobNamespace {
            path: "job_configuration.namespace".into(),
            namespace: PREFECT_DEFAULT_NAMESPACE.into(),
        }),
        Some(v) => found.extend(resolve(template, v, "job_configuration.namespace")),
    }
    if let Some(v) = config.and_then(|c| c.pointer("/job_manifest/metadata/namespace")) {
        found.extend(resolve(
            template,
            v,
            "job_configuration.job_manifest.metadata.namespace",
        ));
    }
    found
}

/// A namespace value of a template: a literal, or a whole `{{ var }}`
/// placeholder resolved to the variable's default.
fn resolve(template: &Value, value: &Value, path: &str) -> Option<JobNamespace> {
    let text = value.as_str()?;
    let Some(var) = placeholder(text) else {
        return (!text.contains("{{")).then(|| JobNamespace {
            path: path.to_string(),
            namespace: text.to_string(),
        });
    };
    let default = template
        .get("variables")
        .and_then(|v| v.get("properties"))
        .and_then(|p| p.get(var))
        .and_then(|p| p.get("default"));
    Some(match default.and_then(Value::as_str) {
        Some(ns) => JobNamespace {
            path: format!("variables.properties.{var}.default"),
            namespace: ns.to_string(),
        },
        // An unset variable leaves the value out: Prefect's default.
        None => JobNamespace {
            path: format!("variables.properties.{var}.default"),
            namespace: PREFECT_DEFAULT_NAMESPACE.into(),
        },
    })
}

/// `{{ name }}` → `name`, when the text is one placeholder and nothing else.
fn placeholder(text: &str) -> Option<&str> {
    let inner = text.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    (!inner.is_empty() && inner.chars().all(placeholder_char)).then_some(inner)
}

/// A character of a placeholder's name (Prefect's `[\w\.\-\[\]$]`).
fn placeholder_char(c: char) -> bool {
    c.is_alphanumeric() || "_.-[]$".contains(c)
}

/// The names of the environment variables a template gives flow runs, as
/// written: `job_configuration.env` (an object, or a list of `name`
/// entries), the `env` variable's default, and the `env` of the Job
/// manifest's containers and init containers.
pub fn env_names(template: &Value) -> Vec<String> {
    let mut names = Vec::new();
    let config = template.get("job_configuration");
    if let Some(env) = config.and_then(|c| c.get("env")) {
        names.extend(names_of(env));
    }
    if let Some(env) = template.pointer("/variables/properties/env/default") {
        names.extend(names_of(env));
    }
    let pod = config.and_then(|c| c.pointer("/job_manifest/spec/template/spec"));
    for list in ["containers", "initContainers"] {
        let containers = pod.and_then(|p| p.get(list)).and_then(Value::as_array);
        for container in containers.into_iter().flatten() {
            if let Some(env) = container.get("env") {
                names.extend(names_of(env));
            }
        }
    }
    names
}

/// The names of an env value: an object's keys, or the `name`s of a list.
fn names_of(env: &Value) -> Vec<String> {
    match env {
        Value::Object(map) => map.keys().cloned().collect(),
        Value::Array(list) => list
            .iter()
            .filter_map(|e| e.get("name").and_then(Value::as_str))
            .map(str::to_string)
            .collect(),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn namespaces(t: Value) -> Vec<(String, String)> {
        job_namespaces(&t)
            .into_iter()
            .map(|j| (j.path, j.namespace))
            .collect()
    }

    #[test]
    fn every_line_defaults_to_prefects_default_namespace() {
        for (line, _) in KUBERNETES {
            let at = Line::parse(line).unwrap().first();
            let found = namespaces(kubernetes_default(at));
            assert!(!found.is_empty(), "{line}");
            for (_, ns) in found {
                assert_eq!(ns, "default", "{line}");
            }
        }
    }

    #[test]
    fn namespaces_resolve_literals_placeholders_and_absence() {
        let t = json!({"job_configuration": {"namespace": "flows"}, "variables": {}});
        assert_eq!(
            namespaces(t),
            [("job_configuration.namespace".into(), "flows".into())]
        );
        let t = json!({"job_configuration": {}, "variables": {}});
        assert_eq!(
            namespaces(t),
            [("job_configuration.namespace".into(), "default".into())]
        );
        let t = json!({
            "job_configuration": {"namespace": "{{ ns }}",
                "job_manifest": {"metadata": {"namespace": "other"}}},
            "variables": {"properties": {"ns": {"default": "flows"}}}
        });
        assert_eq!(
            namespaces(t),
            [
                ("variables.properties.ns.default".into(), "flows".into()),
                (
                    "job_configuration.job_manifest.metadata.namespace".into(),
                    "other".into()
                )
            ]
        );
        let t = json!({"job_configuration": {"namespace": "{{ns}}"},
            "variables": {"properties": {"ns": {"type": "string"}}}});
        assert_eq!(
            namespaces(t),
            [("variables.properties.ns.default".into(), "default".into())]
        );
        let t = json!({"job_configuration": {"namespace": "team-{{ ns }}"}, "variables": {}});
        assert!(namespaces(t).is_empty());
    }

    #[test]
    fn env_names_come_from_every_place_a_template_sets_env() {
        let t = json!({
            "job_configuration": {
                "env": {"A": "1"},
                "job_manifest": {"spec": {"template": {"spec": {
                    "containers": [{"env": [{"name": "B", "value": "2"}]}],
                    "initContainers": [{"env": [{"name": "C"}]}]
                }}}}
            },
            "variables": {"properties": {"env": {"default": {"D": "4"}}}}
        });
        assert_eq!(env_names(&t), ["A", "D", "B", "C"]);
        let t = json!({"job_configuration": {"env": [{"name": "E"}]}});
        assert_eq!(env_names(&t), ["E"]);
        assert!(env_names(&json!({"job_configuration": {"env": "{{ env }}"}})).is_empty());
    }
}

/// The names of the `{{ name }}` placeholders in `value`'s strings, at any
/// depth, in the order found (Prefect's `PLACEHOLDER_CAPTURE_REGEX`:
/// `{{\s*([\w\.\-\[\]$]+)\s*}}`).
pub fn placeholders(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect_placeholders(value, &mut out);
    out
}

fn collect_placeholders(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => {
            let mut rest = s.as_str();
            while let Some(start) = rest.find("{{") {
                let after = &rest[start + 2..];
                let inner = after.trim_start();
                let name_len = inner
                    .find(|c: char| !placeholder_char(c))
                    .unwrap_or(inner.len());
                let tail = inner[name_len..].trim_start();
                if name_len > 0 && tail.starts_with("}}") {
                    out.push(inner[..name_len].to_string());
                    rest = &tail[2..];
                } else {
                    // Not a placeholder here; one may start at the next brace.
                    rest = &rest[start + 1..];
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_placeholders(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect_placeholders(v, out)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod placeholder_tests {
    use super::placeholders;
    use serde_json::json;

    /// As Prefect's `PLACEHOLDER_CAPTURE_REGEX` finds them.
    #[test]
    fn placeholders_as_prefect_finds_them() {
        let found = placeholders(&json!({
            "a": "{{ image }}",
            "b": ["x-{{name}}-{{  env.FOO  }}", "{{{ inner }}}", "{{ not a name }}", "{{}}"],
            "c": {"d": "{{ prefect.blocks.secret.x }} {{ $HOME }} {{ a[0] }}"},
            "e": 1,
            "f": "{{ open"
        }));
        assert_eq!(
            found,
            [
                "image",
                "name",
                "env.FOO",
                "inner",
                "prefect.blocks.secret.x",
                "$HOME",
                "a[0]"
            ]
        );
    }
}

/// The Job manifest of a kubernetes template as the worker renders it when a
/// deployment overrides nothing: a string that is one whole `{{ var }}`
/// placeholder takes the variable's default (its JSON type kept), and its
/// key is dropped when the default is null or the variable undeclared, as
/// Prefect's `apply_values` does; placeholders inside longer strings stay
/// as written. `None` when there is no manifest object.
pub fn rendered_manifest(template: &Value) -> Option<Value> {
    let defaults = template
        .pointer("/variables/properties")
        .and_then(Value::as_object);
    let manifest = template.pointer("/job_configuration/job_manifest")?;
    manifest.is_object().then(|| render(manifest, defaults))?
}

/// `value` rendered; `None` when it renders to nothing (its key is dropped).
fn render(value: &Value, defaults: Option<&serde_json::Map<String, Value>>) -> Option<Value> {
    match value {
        Value::String(s) => match placeholder(s) {
            Some(var) => defaults
                .and_then(|d| d.get(var))
                .and_then(|v| v.get("default"))
                .filter(|d| !d.is_null())
                .cloned(),
            None => Some(value.clone()),
        },
        Value::Object(map) => Some(Value::Object(
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), render(v, defaults)?)))
                .collect(),
        )),
        Value::Array(items) => Some(Value::Array(
            items.iter().filter_map(|v| render(v, defaults)).collect(),
        )),
        Value::Null | Value::Bool(_) | Value::Number(_) => Some(value.clone()),
    }
}

/// What the kubernetes worker's own validation (`_validate_job_manifest`
/// of `prefect_kubernetes/worker.py`, 2.20 to 3.9) refuses in a rendered
/// manifest: it compares it with `_get_base_job_manifest()` (after adding
/// `metadata`, its `labels`, `annotations` and `namespace` when absent),
/// and every path of that base the manifest lacks is missing, every value
/// it has otherwise is incompatible. The worker refuses such a template for
/// every flow run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerRefusal {
    /// JSON pointers the manifest lacks, sorted.
    pub missing: Vec<String>,
    /// (JSON pointer, the value the worker requires), sorted.
    pub incompatible: Vec<(String, String)>,
}

/// The worker's refusal of the rendered `manifest`, if any.
pub fn worker_refusal(manifest: &Value) -> Option<WorkerRefusal> {
    let base = serde_json::json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "spec": {"template": {"spec": {
            "parallelism": 1,
            "completions": 1,
            "restartPolicy": "Never",
            "containers": [{"name": "prefect-job"}],
        }}},
    });
    let mut refusal = WorkerRefusal {
        missing: Vec::new(),
        incompatible: Vec::new(),
    };
    compare(manifest, &base, "", &mut refusal);
    refusal.missing.sort();
    refusal.incompatible.sort();
    (!refusal.missing.is_empty() || !refusal.incompatible.is_empty()).then_some(refusal)
}

/// The containers of a rendered Job `manifest` that have no image when the
/// worker creates the Job: the worker fills in only the first container's
/// (`_populate_image_if_not_present` of prefect-kubernetes, 2.20 to 3.9,
/// sets `containers[0].image` to its own Prefect image), and the API server
/// refuses a pod whose container or init container has none. Each as (its
/// JSON pointer, its name).
pub fn containers_without_image(manifest: &Value) -> Vec<(String, String)> {
    let Some(spec) = manifest.pointer("/spec/template/spec") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for list in ["initContainers", "containers"] {
        let Some(items) = spec.get(list).and_then(Value::as_array) else {
            continue;
        };
        for (i, c) in items.iter().enumerate() {
            let filled = list == "containers" && i == 0;
            let image = c.get("image").and_then(Value::as_str).unwrap_or_default();
            if !filled && image.trim().is_empty() {
                let name = c.get("name").and_then(Value::as_str).unwrap_or_default();
                out.push((
                    format!("/spec/template/spec/{list}/{i}/image"),
                    name.to_string(),
                ));
            }
        }
    }
    out
}

/// Walks `base` (what the worker requires) against `have`, as a JSON patch
/// from `have` to `base` would: a key of `base` absent from `have` is an
/// `add` (missing), a leaf that differs (or a value of another JSON type)
/// is a `replace` (incompatible); keys and items `base` lacks are removals,
/// which the worker ignores.
fn compare(have: &Value, base: &Value, at: &str, out: &mut WorkerRefusal) {
    match (have, base) {
        (Value::Object(h), Value::Object(b)) => {
            for (k, bv) in b {
                let path = format!("{at}/{k}");
                match h.get(k) {
                    None => out.missing.push(path),
                    Some(hv) => compare(hv, bv, &path, out),
                }
            }
        }
        (Value::Array(h), Value::Array(b)) => {
            for (i, bv) in b.iter().enumerate() {
                let path = format!("{at}/{i}");
                match h.get(i) {
                    None => out.missing.push(path),
                    Some(hv) => compare(hv, bv, &path, out),
                }
            }
        }
        (h, b) if h == b => {}
        (_, b) => out.incompatible.push((at.to_string(), b.to_string())),
    }
}

#[cfg(test)]
mod rendering_tests {
    use super::*;
    use serde_json::json;

    /// Every line's default template renders to a manifest its worker
    /// accepts; taking a required field away, or changing one, is refused.
    #[test]
    fn the_worker_accepts_its_default_and_refuses_what_it_lacks() {
        for (line, _) in KUBERNETES {
            let at = Version::lenient(&format!("{line}.0"));
            let t = kubernetes_default(at);
            let m = rendered_manifest(&t).expect("a manifest");
            assert_eq!(worker_refusal(&m), None, "{line}");
            // The null defaults (service account, TTL) drop their keys.
            assert!(
                m.pointer("/spec/template/spec/serviceAccountName")
                    .is_none(),
                "{line}"
            );
            assert_eq!(
                m.pointer("/spec/template/spec/containers/0/name"),
                Some(&json!("prefect-job"))
            );
        }
        let mut m = rendered_manifest(&kubernetes_default(Version::lenient("3.9.1"))).unwrap();
        m["spec"]["template"]["spec"]
            .as_object_mut()
            .unwrap()
            .remove("completions");
        m["spec"]["template"]["spec"]["parallelism"] = json!("1");
        m["spec"]["template"]["spec"]["containers"][0]["name"] = json!("main");
        assert_eq!(
            worker_refusal(&m),
            Some(WorkerRefusal {
                missing: vec!["/spec/template/spec/completions".into()],
                incompatible: vec![
                    (
                        "/spec/template/spec/containers/0/name".into(),
                        "\"prefect-job\"".into()
                    ),
                    ("/spec/template/spec/parallelism".into(), "1".into()),
                ],
            })
        );
        let empty = json!({"apiVersion": "batch/v1", "kind": "Job"});
        assert_eq!(
            worker_refusal(&empty).map(|r| r.missing),
            Some(vec!["/spec".to_string()])
        );
    }

    /// A whole placeholder takes its variable's default, its type kept; a
    /// null default or an undeclared variable drops the key; a placeholder
    /// inside a longer string stays.
    #[test]
    fn placeholders_render_as_the_worker_renders_them() {
        let t = json!({
            "variables": {"properties": {
                "uid": {"type": "integer", "default": 10001},
                "sa": {"type": "string", "default": null},
                "img": {"default": "x:1"},
            }},
            "job_configuration": {"job_manifest": {
                "a": "{{ uid }}", "b": "{{sa}}", "c": "{{ nope }}", "d": "pre-{{ img }}",
                "e": ["{{ img }}", "{{ sa }}"], "f": {"g": "{{ img }}"}
            }}
        });
        assert_eq!(
            rendered_manifest(&t),
            Some(json!({"a": 10001, "d": "pre-{{ img }}", "e": ["x:1"], "f": {"g": "x:1"}}))
        );
        assert_eq!(rendered_manifest(&json!({"job_configuration": {}})), None);
    }
}
