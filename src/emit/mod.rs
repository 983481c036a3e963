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
    let mut out = String::new();
    for o in objects {
        out.push_str("---\n");
        out.push_str(&document(o));
    }
    out
}

/// The file name of an object in an output directory.
pub fn file_name(o: &Object) -> String {
    let m = o.meta();
    let ns = match (o.kind(), &m.namespace) {
        ("Role" | "RoleBinding", Some(ns)) => format!("{ns}-"),
        _ => String::new(),
    };
    format!("{}-{ns}{}.yaml", o.kind().to_ascii_lowercase(), m.name)
}

/// Writes one file per object, a `kustomization.yaml` and the manifest
/// [`output_dir::MANIFEST`] into `dir`, replacing it as a whole (see
/// [`output_dir`]): a directory that holds anything prefectc did not write,
/// or one of `inputs` (the files the build read), is refused untouched, and
/// a failure leaves an existing `dir` as it was.
pub fn write_dir(objects: &[Object], dir: &Path, inputs: &[PathBuf]) -> Result<(), OutputError> {
    output_dir::write_files(&dir_files(objects), dir, inputs, &mut |_| Ok(()))
}

/// What differs between `dir` and what [`write_dir`] would write there
/// (`build -o DIR --check`): nothing is written.
pub fn compare_dir(objects: &[Object], dir: &Path) -> std::io::Result<Vec<output_dir::Difference>> {
    output_dir::compare_files(&dir_files(objects), dir)
}

/// The files of an output directory: one per object, then the
/// `kustomization.yaml` listing them (the manifest is not a resource).
fn dir_files(objects: &[Object]) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut resources = String::new();
    for o in objects {
        let name = file_name(o);
        resources.push_str(&format!("  - {name}\n"));
        files.push((name, document(o)));
    }
    let kustomization = format!(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n{resources}"
    );
    files.push(("kustomization.yaml".to_string(), kustomization));
    files
}
