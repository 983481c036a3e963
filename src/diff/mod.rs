//! `prefectc diff OLD NEW`: what changes between two sets of Kubernetes
//! objects (two builds, or a build and a directory written by `build -o`),
//! object by object and field by field, and which of those changes
//! Kubernetes refuses to make in place.
//!
//! The objects are compared as plain data ([`serde_json::Value`]), the
//! form both a build and a directory of YAML files reduce to: [`read`]
//! turns each input into a [`Manifest`], [`compare`] finds the changes,
//! [`refused`] judges them, and [`render`] prints them.

pub mod error;
pub mod read;
mod refused;
mod render;

use serde_json::Value;

use crate::lower::k8s::{Object, kind_rank};
use crate::map::HashMap;

pub use error::DiffError;
pub use read::{Manifest, ReadError};
pub use refused::Refusal;

/// Which object: its kind, namespace (`None` when cluster-scoped) and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectId {
    /// The id of an object given as data; `None` without a kind or a name.
    pub fn of(object: &Value) -> Option<ObjectId> {
        let meta = object.get("metadata")?;
        Some(ObjectId {
            kind: object.get("kind")?.as_str()?.to_string(),
            namespace: meta
                .get("namespace")
                .and_then(Value::as_str)
                .map(str::to_string),
            name: meta.get("name")?.as_str()?.to_string(),
        })
    }

    /// The order of the report: objects in the order a build emits them,
    /// then by namespace and name.
    fn sort_key(&self) -> (usize, &str, Option<&str>, &str) {
        (
            kind_rank(&self.kind),
            &self.kind,
            self.namespace.as_deref(),
            &self.name,
        )
    }
}

impl std::fmt::Display for ObjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {ns}/{}", self.kind, self.name),
            None => write!(f, "{} {}", self.kind, self.name),
        }
    }
}

/// One changed field of an object that is in both inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    /// `spec.template.spec.containers[prefect-server].image`: list elements
    /// that carry a name (or a mount path, or a port) are named by it.
    pub path: String,
    /// `None` when the field is new.
    pub old: Option<Value>,
    /// `None` when the field is gone.
    pub new: Option<Value>,
    /// A Secret's data: the values are not shown.
    pub hidden: bool,
}

/// An object in both inputs whose fields differ.
#[derive(Debug, Clone)]
pub struct Changed {
    pub id: ObjectId,
    pub fields: Vec<FieldChange>,
    /// The changes Kubernetes does not make to a live object.
    pub refused: Vec<Refusal>,
}

/// What changes from OLD to NEW, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub added: Vec<ObjectId>,
    pub removed: Vec<ObjectId>,
    pub changed: Vec<Changed>,
}

impl Report {
    /// Nothing is added, removed or changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// How many changes Kubernetes refuses in place.
    pub fn refused(&self) -> usize {
        self.changed.iter().map(|c| c.refused.len()).sum()
    }

    /// The report for people: one line per object, one per changed field.
    pub fn human(&self) -> String {
        render::human(self)
    }

    /// The report as one JSON document (`--format json`).
    pub fn json(&self) -> String {
        render::json(self)
    }
}

/// The objects of a build as data, the form a directory reads back to.
pub fn values(objects: &[Object]) -> Vec<Value> {
    crate::emit::values(objects)
}

/// What changes from `old` to `new`. Objects are matched by kind, namespace
/// and name; a manifest holds each at most once ([`read`] refuses a
/// duplicate).
pub fn compare(old: &Manifest, new: &Manifest) -> Report {
    let mut report = Report::default();
    for (id, object) in new.objects() {
        match old.get(id) {
            None => report.added.push(id.clone()),
            Some(before) => {
                let hidden = id.kind == "Secret";
                let mut fields = Vec::new();
                diff_value(&mut fields, String::new(), before, object, hidden);
                if !fields.is_empty() {
                    let refused = refused::judge(id, before, object);
                    report.changed.push(Changed {
                        id: id.clone(),
                        fields,
                        refused,
                    });
                }
            }
        }
    }
    for (id, _) in old.objects() {
        if new.get(id).is_none() {
            report.removed.push(id.clone());
        }
    }
    report.added.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report
        .removed
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report
        .changed
        .sort_by(|a, b| a.id.sort_key().cmp(&b.id.sort_key()));
    report
}

/// A map key in a path: bare when it reads as an identifier, else quoted
/// (`labels["app.kubernetes.io/name"]`).
fn key_step(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    match (plain, path.is_empty()) {
        (true, true) => key.to_string(),
        (true, false) => format!("{path}.{key}"),
        (false, _) => format!("{path}[{}]", Value::String(key.to_string())),
    }
}

/// Whether the values under this path are a Secret's data.
fn secret_data(path: &str) -> bool {
    ["data", "stringData"].iter().any(|f| {
        path == *f || path.starts_with(&format!("{f}.")) || path.starts_with(&format!("{f}["))
    })
}

fn diff_value(out: &mut Vec<FieldChange>, path: String, old: &Value, new: &Value, secret: bool) {
    if old == new {
        return;
    }
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                let p = key_step(&path, k);
                match b.get(k) {
                    Some(vb) => diff_value(out, p, va, vb, secret),
                    None => push(out, p, Some(va), None, secret),
                }
            }
            for (k, vb) in b {
                if !a.contains_key(k) {
                    push(out, key_step(&path, k), None, Some(vb), secret);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => diff_list(out, path, a, b, secret),
        _ => push(out, path, Some(old), Some(new), secret),
    }
}

fn push(
    out: &mut Vec<FieldChange>,
    path: String,
    old: Option<&Value>,
    new: Option<&Value>,
    secret: bool,
) {
    let hidden = secret && secret_data(&path);
    out.push(FieldChange {
        path,
        old: old.cloned(),
        new: new.cloned(),
        hidden,
    });
}

/// The fields that name a list's elements, tried in order: containers,
/// env, volumes and ports by name, claim templates by their metadata's
/// name, mounts by path, unnamed ports by number.
const ELEMENT_KEYS: &[&str] = &[
    "name",
    "metadata.name",
    "mountPath",
    "containerPort",
    "port",
];

/// The key every element of `list` has under one field, when those keys are
/// unique; `None` for a list of scalars or of unnamed elements.
fn element_keys(list: &[Value]) -> Option<(&'static str, Vec<String>)> {
    ELEMENT_KEYS.iter().find_map(|field| {
        let keys: Vec<String> = list
            .iter()
            .map(
                |e| match field.split('.').try_fold(e, |v, step| v.get(step))? {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                },
            )
            .collect::<Option<_>>()?;
        let mut unique = keys.clone();
        unique.sort();
        unique.dedup();
        (unique.len() == keys.len()).then_some((*field, keys))
    })
}

fn diff_list(out: &mut Vec<FieldChange>, path: String, a: &[Value], b: &[Value], secret: bool) {
    let keyed = match (element_keys(a), element_keys(b)) {
        (Some((fa, ka)), Some((fb, kb))) if fa == fb || a.is_empty() || b.is_empty() => {
            Some((ka, kb))
        }
        _ => None,
    };
    let Some((ka, kb)) = keyed.filter(|_| !a.is_empty() || !b.is_empty()) else {
        // Scalars (args, access modes) read best whole; unnamed elements by
        // position.
        if a.iter().chain(b).all(|v| !v.is_object() && !v.is_array()) {
            push(
                out,
                path,
                Some(&Value::from(a)),
                Some(&Value::from(b)),
                secret,
            );
            return;
        }
        for i in 0..a.len().max(b.len()) {
            let p = format!("{path}[{i}]");
            match (a.get(i), b.get(i)) {
                (Some(x), Some(y)) => diff_value(out, p, x, y, secret),
                (x, y) => push(out, p, x, y, secret),
            }
        }
        return;
    };
    // The keys are unique in each list (`element_keys`).
    let in_a: HashMap<&String, usize> = ka.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let in_b: HashMap<&String, usize> = kb.iter().enumerate().map(|(j, k)| (k, j)).collect();
    for (key, x) in ka.iter().zip(a) {
        let p = format!("{path}[{key}]");
        match in_b.get(key) {
            Some(&j) => diff_value(out, p, x, &b[j], secret),
            None => push(out, p, Some(x), None, secret),
        }
    }
    for (key, y) in kb.iter().zip(b) {
        if !in_a.contains_key(key) {
            push(out, format!("{path}[{key}]"), None, Some(y), secret);
        }
    }
    // The same elements in another order: the order can matter (the env
    // vars a later one refers to), so it is a change of its own.
    let common_a: Vec<&String> = ka.iter().filter(|k| in_b.contains_key(k)).collect();
    let common_b: Vec<&String> = kb.iter().filter(|k| in_a.contains_key(k)).collect();
    if common_a != common_b {
        let order = |keys: Vec<&String>| Value::from(keys.into_iter().cloned().collect::<Vec<_>>());
        push(
            out,
            format!("{path} (order)"),
            Some(&order(common_a)),
            Some(&order(common_b)),
            false,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn manifest(objects: Vec<Value>) -> Manifest {
        Manifest::from_values(objects).expect("no duplicates")
    }

    fn deployment(replicas: i64, env: Value) -> Value {
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "w", "namespace": "p", "labels": {"app.kubernetes.io/name": "x"}},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"a": "b"}},
                     "template": {"spec": {"containers": [{"name": "main", "env": env,
                        "args": ["a", "b"]}]}}}
        })
    }

    fn changed_paths(report: &Report) -> Vec<&str> {
        report.changed[0]
            .fields
            .iter()
            .map(|f| f.path.as_str())
            .collect()
    }

    #[test]
    fn paths_name_elements_by_their_keys() {
        let old = manifest(vec![deployment(
            1,
            json!([{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]),
        )]);
        let new = manifest(vec![deployment(
            2,
            json!([{"name": "B", "value": "3"}, {"name": "C", "value": "4"}]),
        )]);
        let report = compare(&old, &new);
        let paths = changed_paths(&report);
        assert_eq!(
            paths,
            [
                "spec.replicas",
                "spec.template.spec.containers[main].env[A]",
                "spec.template.spec.containers[main].env[B].value",
                "spec.template.spec.containers[main].env[C]",
            ]
        );
        assert!(report.changed[0].refused.is_empty());
    }

    #[test]
    fn order_and_quoted_keys() {
        let mut a = deployment(1, json!([{"name": "A"}, {"name": "B"}]));
        let mut b = deployment(1, json!([{"name": "B"}, {"name": "A"}]));
        b["metadata"]["labels"]["app.kubernetes.io/name"] = json!("y");
        a["spec"]["template"]["spec"]["containers"][0]["args"] = json!(["a"]);
        let report = compare(&manifest(vec![a]), &manifest(vec![b]));
        let paths = changed_paths(&report);
        assert_eq!(
            paths,
            [
                "metadata.labels[\"app.kubernetes.io/name\"]",
                "spec.template.spec.containers[main].env (order)",
                "spec.template.spec.containers[main].args",
            ]
        );
    }

    #[test]
    fn secret_values_are_never_shown() {
        let secret = |v: &str| {
            json!({"apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "s", "namespace": "p"}, "data": {"password": v}, "type": "Opaque"})
        };
        let report = compare(
            &manifest(vec![secret("c2VjcmV0")]),
            &manifest(vec![secret("b3RoZXI=")]),
        );
        let text = report.human();
        assert!(text.contains("data.password: (changed)"), "{text}");
        assert!(
            !text.contains("c2VjcmV0") && !text.contains("b3RoZXI="),
            "{text}"
        );
        let json = report.json();
        assert!(
            !json.contains("c2VjcmV0") && !json.contains("b3RoZXI="),
            "{json}"
        );
    }
}
