//! Emitting: a multi-document YAML stream, or a directory of one file per
//! object plus a `kustomization.yaml`, replaced atomically.

use std::path::{Path, PathBuf};

use crate::lower::k8s::Object;

pub mod output_dir;
mod yaml;

pub use output_dir::OutputError;

/// One YAML document.
fn document(o: &Object) -> String {
    yaml::to_string(&o.resource).expect("objects serialise to YAML")
}

/// The objects as plain data, the form a YAML reader sees (for `diff` and
/// `graph`, which read a directory's YAML the same way).
pub fn values(objects: &[Object]) -> Vec<serde_json::Value> {
    objects
        .iter()
        .map(|o| serde_json::to_value(&o.resource).expect("objects serialise to JSON"))
        .collect()
}

/// The whole stream, each document introduced by `---`.
pub fn yaml(objects: &[Object]) -> String {
    let mut out = Vec::new();
    write_yaml(objects, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("the YAML writer writes UTF-8")
}

/// Writes the same stream as [`yaml`] to `w`, one object at a time: a site
/// of thousands of workers is never held twice, as objects and as text.
pub fn write_yaml(objects: &[Object], w: &mut impl std::io::Write) -> std::io::Result<()> {
    // One buffer for every document: a string made per document grew from
    // empty by doubling, each growth a copy (about 1.5 % of all
    // instructions at 10,000 workers, docs/performance.md).
    let mut text = String::new();
    yaml::shared::scope(|| {
        for o in objects {
            text.clear();
            text.push_str("---\n");
            yaml::write(&o.resource, &mut text).expect("objects serialise to YAML");
            w.write_all(text.as_bytes())?;
        }
        Ok::<(), std::io::Error>(())
    })?;
    w.flush()
}

/// The file name of an object in an output directory: `<kind>-<name>.yaml`,
/// and `<kind>-<namespace>_<name>.yaml` for an object in another namespace
/// than the site's (a job namespace). A kind has no `-` and a Kubernetes
/// name or namespace no `_`, so two objects never share a file (the
/// lowering refuses two objects of one kind, name and namespace).
pub fn file_name(o: &Object, site_namespace: &str) -> String {
    let m = o.meta();
    let kind = o.kind().to_ascii_lowercase();
    match m.namespace.as_deref() {
        Some(ns) if ns != site_namespace => format!("{kind}-{ns}_{}.yaml", m.name),
        _ => format!("{kind}-{}.yaml", m.name),
    }
}

/// Writes one file per object, a `kustomization.yaml` and the manifest
/// [`output_dir::MANIFEST`] into `dir`, replacing it as a whole (see
/// [`output_dir`]): a directory that holds anything prefectc did not write,
/// or one of `inputs` (the files the build read), is refused untouched, and
/// a failure leaves an existing `dir` as it was.
pub fn write_dir(
    objects: &[Object],
    site_namespace: &str,
    dir: &Path,
    inputs: &[PathBuf],
) -> Result<(), OutputError> {
    with_dir_files(objects, site_namespace, |files| {
        output_dir::write_files(files, dir, inputs, &mut |_| Ok(()))
    })
}

/// What differs between `dir` and what [`write_dir`] would write there
/// (`build -o DIR --check`): nothing is written.
pub fn compare_dir(
    objects: &[Object],
    site_namespace: &str,
    dir: &Path,
) -> std::io::Result<Vec<output_dir::Difference>> {
    with_dir_files(objects, site_namespace, |files| {
        output_dir::compare_files(files, dir)
    })
}

/// The files of an output directory, given to `f`: one per object, then
/// the `kustomization.yaml` listing them (the manifest is not a resource).
/// The names and the kustomization are made first; an object's text when
/// its file is written or compared.
fn with_dir_files<R>(
    objects: &[Object],
    site_namespace: &str,
    f: impl FnOnce(&output_dir::Files) -> R,
) -> R {
    let mut names = Vec::with_capacity(objects.len() + 1);
    let mut kustomization = String::from(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n",
    );
    for o in objects {
        let name = file_name(o, site_namespace);
        kustomization.push_str("  - ");
        kustomization.push_str(&name);
        kustomization.push('\n');
        names.push(name);
    }
    names.push("kustomization.yaml".to_string());
    let text = |i: usize| match objects.get(i) {
        Some(o) => document(o),
        None => kustomization.clone(),
    };
    // The objects live, unchanged, while the files are written.
    yaml::shared::scope(|| f(&output_dir::Files { names, text: &text }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::k8s::{Generic, ObjectMeta, Resource};

    fn object(kind: &'static str, namespace: Option<&str>, name: &str) -> Object {
        Object {
            resource: std::sync::Arc::new(Resource::Generic(Generic {
                api_version: "v1",
                kind,
                metadata: ObjectMeta {
                    name: name.into(),
                    namespace: namespace.map(str::to_string),
                    ..ObjectMeta::default()
                },
                spec: serde_json::Value::Null,
            })),
            origin: crate::source::Span::default(),
        }
    }

    /// Objects of one kind and name in several namespaces, and names that
    /// read like a namespace and a name joined by `-` or `.`, each get a
    /// file of their own (a collision once failed `-o` with "File exists").
    #[test]
    fn every_object_gets_its_own_file() {
        let mut objects = Vec::new();
        for kind in ["ServiceAccount", "Role", "RoleBinding", "NetworkPolicy"] {
            for (ns, name) in [
                (Some("prefect"), "k8s-flow-run"),
                (Some("flows"), "k8s-flow-run"),
                (Some("flows-gpu"), "k8s-flow-run"),
                (Some("flows"), "gpu-k8s-flow-run"),
                (Some("prefect"), "flows-gpu-k8s-flow-run"),
                (Some("prefect"), "flows_gpu"),
                (Some("a.b"), "c"),
                (Some("a"), "b.c"),
                (None, "k8s-flow-run-2"),
            ] {
                objects.push(object(kind, ns, name));
            }
        }
        let mut names: Vec<String> = objects.iter().map(|o| file_name(o, "prefect")).collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count, "{names:?}");
        // The site's namespace keeps the short names.
        assert_eq!(
            file_name(&object("ServiceAccount", Some("prefect"), "w"), "prefect"),
            "serviceaccount-w.yaml"
        );
        assert_eq!(
            file_name(&object("Role", Some("flows"), "w"), "prefect"),
            "role-flows_w.yaml"
        );
    }
}
