//! Emitting: a multi-document YAML stream, or a directory of one file per
//! object plus a `kustomization.yaml`, replaced atomically.

use std::io;
use std::path::Path;

use crate::lower::k8s::Object;

mod yaml;

/// One YAML document.
fn document(o: &Object) -> String {
    yaml::to_string(&o.resource).expect("objects serialise to YAML")
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

/// Writes one file per object and a `kustomization.yaml` into `dir`. The
/// files are written into a fresh directory beside `dir`, which then
/// replaces it: a failure leaves an existing `dir` as it was.
pub fn write_dir(objects: &[Object], dir: &Path) -> io::Result<()> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let staging = tempfile::Builder::new()
        .prefix(".prefectc-out-")
        .tempdir_in(&parent)?;
    let mut resources = String::new();
    for o in objects {
        let name = file_name(o);
        std::fs::write(staging.path().join(&name), document(o))?;
        resources.push_str(&format!("  - {name}\n"));
    }
    let kustomization = format!(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n{resources}"
    );
    std::fs::write(staging.path().join("kustomization.yaml"), kustomization)?;
    let staged = staging.keep();
    if dir.exists() {
        let old = tempfile::Builder::new()
            .prefix(".prefectc-old-")
            .tempdir_in(&parent)?
            .keep();
        std::fs::remove_dir(&old)?;
        std::fs::rename(dir, &old)?;
        if let Err(e) = std::fs::rename(&staged, dir) {
            // Put the old output back before reporting.
            let _ = std::fs::rename(&old, dir);
            let _ = std::fs::remove_dir_all(&staged);
            return Err(e);
        }
        std::fs::remove_dir_all(&old)?;
    } else if let Err(e) = std::fs::rename(&staged, dir) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(e);
    }
    Ok(())
}
