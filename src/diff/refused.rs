//! The changes the Kubernetes API refuses to make to a live object (its
//! immutable fields), and what to do instead. An apply of such a change
//! fails with `field is immutable` (or `Forbidden`), whatever tool runs it.

use serde_json::Value;

use super::ObjectId;

/// A change Kubernetes does not make in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The field, `spec.selector`.
    pub field: String,
    /// What Kubernetes refuses.
    pub message: String,
    /// What to do instead.
    pub help: String,
}

/// The value at a dotted path (`spec.selector`), `None` when absent.
fn at<'a>(object: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(object, |v, step| v.get(step))
}

fn differs(old: &Value, new: &Value, path: &str) -> bool {
    at(old, path) != at(new, path)
}

/// `kubectl delete kind/name -n namespace`
fn delete(id: &ObjectId, extra: &str) -> String {
    let ns = id
        .namespace
        .as_deref()
        .map(|n| format!(" -n {n}"))
        .unwrap_or_default();
    format!(
        "kubectl delete {}/{}{ns}{extra}",
        id.kind.to_ascii_lowercase(),
        id.name
    )
}

/// The refused changes from `old` to `new`, one per immutable field that
/// differs.
pub fn judge(id: &ObjectId, old: &Value, new: &Value) -> Vec<Refusal> {
    let mut out = Vec::new();
    let mut refuse = |field: &str, message: String, help: String| {
        out.push(Refusal {
            field: field.to_string(),
            message,
            help,
        })
    };
    let kind = id.kind.as_str();
    let recreate = format!(
        "delete it and apply again (`{}`), or give the new one another name",
        delete(id, "")
    );
    match kind {
        "Deployment" | "ReplicaSet" | "DaemonSet" if differs(old, new, "spec.selector") => {
            refuse(
                "spec.selector",
                format!("a {kind}'s selector cannot change"),
                format!("{recreate}; its pods are replaced either way"),
            );
        }
        "StatefulSet" => {
            if differs(old, new, "spec.selector") {
                refuse(
                    "spec.selector",
                    "a StatefulSet's selector cannot change".into(),
                    format!(
                        "{recreate}; the new StatefulSet does not adopt the old pods, and its volumes are claimed again by name"
                    ),
                );
            }
            let orphan = format!(
                "delete the StatefulSet but keep its pods and volumes (`{}`), then apply: the new StatefulSet adopts the pods and their claims by name",
                delete(id, " --cascade=orphan")
            );
            for field in ["volumeClaimTemplates", "serviceName", "podManagementPolicy"] {
                let path = format!("spec.{field}");
                if differs(old, new, &path) {
                    let help = if field == "volumeClaimTemplates" {
                        format!(
                            "{orphan}; existing PersistentVolumeClaims keep their size and class (resize each claim itself, if its StorageClass allows expansion)"
                        )
                    } else {
                        orphan.clone()
                    };
                    refuse(
                        &path,
                        format!("a StatefulSet's {field} cannot change"),
                        help,
                    );
                }
            }
        }
        "Job" => {
            for field in ["spec.template", "spec.selector", "spec.completions"] {
                if differs(old, new, field) {
                    refuse(
                        field,
                        format!(
                            "a Job's {} cannot change",
                            field.trim_start_matches("spec.")
                        ),
                        format!(
                            "{recreate} (prefectc names its migrations Job after a hash of its spec for this reason)"
                        ),
                    );
                }
            }
        }
        "Service" => {
            for field in ["spec.clusterIP", "spec.clusterIPs"] {
                if differs(old, new, field) {
                    refuse(
                        field,
                        "a Service's cluster IP cannot change (nor a headless Service become one with an address)".into(),
                        format!("{recreate}; clients see no Service for a moment"),
                    );
                }
            }
            let external =
                |o: &Value| at(o, "spec.type").and_then(Value::as_str) == Some("ExternalName");
            if differs(old, new, "spec.type") && (external(old) || external(new)) {
                refuse(
                    "spec.type",
                    "a Service changing to or from ExternalName loses or needs a cluster IP, which an update does not allocate or release".into(),
                    format!("{recreate}; clients see no Service for a moment"),
                );
            }
        }
        "PersistentVolumeClaim" => {
            for field in [
                "spec.storageClassName",
                "spec.accessModes",
                "spec.volumeMode",
                "spec.volumeName",
                "spec.selector",
            ] {
                if differs(old, new, field) {
                    refuse(
                        field,
                        format!(
                            "a bound PersistentVolumeClaim's {} cannot change",
                            field.trim_start_matches("spec.")
                        ),
                        "copy the data to a new claim under another name and point the workload at it; deleting the claim deletes its volume under the usual `Delete` reclaim policy".into(),
                    );
                }
            }
            let size = |o: &Value| {
                at(o, "spec.resources.requests")
                    .and_then(|r| r.get("storage"))
                    .and_then(Value::as_str)
                    .and_then(quantity_bytes)
            };
            if let (Some(before), Some(after)) = (size(old), size(new))
                && after < before
            {
                refuse(
                    "spec.resources.requests.storage",
                    "a PersistentVolumeClaim cannot shrink".into(),
                    "keep the size, or copy the data to a new, smaller claim under another name"
                        .into(),
                );
            }
        }
        "ConfigMap" | "Secret" => {
            let immutable = |o: &Value| o.get("immutable") == Some(&Value::Bool(true));
            if immutable(old) {
                let data_changed = ["data", "binaryData", "stringData"]
                    .iter()
                    .any(|f| old.get(f) != new.get(f));
                if data_changed || !immutable(new) {
                    refuse(
                        if data_changed { "data" } else { "immutable" },
                        format!("an immutable {kind} cannot change"),
                        format!(
                            "give the new one another name and point its users at it (they restart to read it), or {}",
                            recreate.replace(", or give the new one another name", "")
                        ),
                    );
                }
            }
        }
        "RoleBinding" | "ClusterRoleBinding" if differs(old, new, "roleRef") => {
            refuse(
                "roleRef",
                format!("a {kind}'s roleRef cannot change"),
                recreate.clone(),
            );
        }
        _ => {}
    }
    out
}

/// Bytes of a Kubernetes quantity (`8Gi`, `500M`, `1e9`), for comparing
/// sizes; `None` for a form it does not know.
fn quantity_bytes(q: &str) -> Option<f64> {
    const SUFFIXES: &[(&str, f64)] = &[
        ("Ki", 1024.0),
        ("Mi", 1048576.0),
        ("Gi", 1073741824.0),
        ("Ti", 1099511627776.0),
        ("Pi", 1125899906842624.0),
        ("Ei", 1152921504606846976.0),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
        ("m", 1e-3),
    ];
    let (number, factor) = SUFFIXES
        .iter()
        .find_map(|(s, f)| q.strip_suffix(s).map(|n| (n, *f)))
        .unwrap_or((q, 1.0));
    number.parse::<f64>().ok().map(|n| n * factor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn id(kind: &str) -> ObjectId {
        ObjectId {
            kind: kind.into(),
            namespace: Some("p".into()),
            name: "x".into(),
        }
    }

    fn fields(kind: &str, old: Value, new: Value) -> Vec<String> {
        judge(&id(kind), &old, &new)
            .into_iter()
            .map(|r| r.field)
            .collect()
    }

    #[test]
    fn immutable_fields_are_refused() {
        let sel = |v: &str| json!({"spec": {"selector": {"matchLabels": {"a": v}}, "replicas": 1}});
        assert_eq!(fields("Deployment", sel("1"), sel("2")), ["spec.selector"]);
        let mut more = sel("1");
        more["spec"]["replicas"] = json!(3);
        assert!(fields("Deployment", sel("1"), more).is_empty());
        let sts = |size: &str, svc: &str| {
            json!({"spec": {"serviceName": svc,
            "volumeClaimTemplates": [{"spec": {"resources": {"requests": {"storage": size}}}}]}})
        };
        assert_eq!(
            fields("StatefulSet", sts("8Gi", "a"), sts("16Gi", "b")),
            ["spec.volumeClaimTemplates", "spec.serviceName"]
        );
        let job = |image: &str| json!({"spec": {"template": {"spec": {"image": image}}, "ttlSecondsAfterFinished": 1}});
        assert_eq!(fields("Job", job("a"), job("b")), ["spec.template"]);
        let svc = |t: &str, ip: Option<&str>| json!({"spec": {"type": t, "clusterIP": ip}});
        assert_eq!(
            fields(
                "Service",
                svc("ClusterIP", Some("None")),
                svc("ClusterIP", None)
            ),
            ["spec.clusterIP"]
        );
        assert_eq!(
            fields("Service", svc("ClusterIP", None), svc("ExternalName", None)),
            ["spec.type"]
        );
        assert!(fields("Service", svc("ClusterIP", None), svc("NodePort", None)).is_empty());
        let pvc = |class: &str, size: &str| {
            json!({"spec": {"storageClassName": class,
            "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": size}}}})
        };
        assert_eq!(
            fields("PersistentVolumeClaim", pvc("a", "2Gi"), pvc("b", "1Gi")),
            ["spec.storageClassName", "spec.resources.requests.storage"]
        );
        assert!(fields("PersistentVolumeClaim", pvc("a", "1Gi"), pvc("a", "2G")).is_empty());
        let cm = |v: &str, immutable: bool| json!({"immutable": immutable, "data": {"k": v}});
        assert_eq!(fields("ConfigMap", cm("a", true), cm("b", true)), ["data"]);
        assert!(fields("ConfigMap", cm("a", false), cm("b", true)).is_empty());
        let rb = |role: &str| json!({"roleRef": {"name": role}});
        assert_eq!(fields("RoleBinding", rb("a"), rb("b")), ["roleRef"]);
    }

    #[test]
    fn quantities() {
        assert_eq!(quantity_bytes("1Gi"), Some(1073741824.0));
        assert_eq!(quantity_bytes("2G"), Some(2e9));
        assert_eq!(quantity_bytes("100"), Some(100.0));
        assert_eq!(quantity_bytes("x"), None);
    }
}
