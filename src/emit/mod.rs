//! Emitting: a multi-document YAML stream, or a directory of one file per
//! object plus a `kustomization.yaml`, replaced atomically.

use std::io;
use std::path::Path;

use crate::lower::k8s::Object;

/// One YAML document.
fn document(o: &Object) -> String {
    let text = serde_yaml::to_string(&o.resource).expect("objects serialise to YAML");
    quote_yaml11_booleans(&text)
}

/// Words that YAML 1.1 readers (Kubernetes' own among them) take for
/// booleans, but serde_yaml's YAML 1.2 emitter writes as plain strings
/// (`true` and `false` in any case are booleans in 1.2 too, so serde_yaml
/// quotes those strings itself, and a plain `false` is a real boolean).
const YAML11_BOOLEANS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
    "OFF",
];

fn quoted(word: &str) -> String {
    if YAML11_BOOLEANS.contains(&word) {
        format!("'{word}'")
    } else {
        word.to_string()
    }
}

/// Quotes the plain scalars (keys and values) of block-style YAML that a
/// YAML 1.1 reader would turn into booleans: `--appendonly yes` must reach
/// the container as the string `yes`. Block scalars (`|`) are left alone.
fn quote_yaml11_booleans(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    // The indentation of a block scalar's header while inside its content.
    let mut block: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let indent = body.len() - body.trim_start_matches(' ').len();
        if let Some(header) = block {
            if body.trim().is_empty() || indent > header {
                out.push_str(line);
                continue;
            }
            block = None;
        }
        let mut rest = &body[indent..];
        let mut rebuilt = String::from(&body[..indent]);
        while let Some(after) = rest.strip_prefix("- ") {
            rebuilt.push_str("- ");
            rest = after;
        }
        let (key, value) = match rest.split_once(": ") {
            Some((k, v)) if !k.starts_with(['\'', '"']) => (Some(k), v),
            _ => match rest.strip_suffix(':') {
                Some(k) if !k.starts_with(['\'', '"']) && !k.contains(": ") => (Some(k), ""),
                _ => (None, rest),
            },
        };
        if let Some(k) = key {
            rebuilt.push_str(&quoted(k));
            rebuilt.push(':');
            if !value.is_empty() {
                rebuilt.push(' ');
            }
        }
        if value.starts_with('|') || value.starts_with('>') {
            block = Some(indent);
        }
        rebuilt.push_str(&quoted(value));
        out.push_str(&rebuilt);
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::quote_yaml11_booleans;

    #[test]
    fn yaml11_booleans_are_quoted_outside_block_scalars() {
        let input = "args:\n- --appendonly\n- yes\nenv:\n  'no': x\n  on: off\n  value: yes please\nscript: |-\n  yes\n  on: no\nnext: N\n";
        let expected = "args:\n- --appendonly\n- 'yes'\nenv:\n  'no': x\n  'on': 'off'\n  value: yes please\nscript: |-\n  yes\n  on: no\nnext: 'N'\n";
        assert_eq!(quote_yaml11_booleans(input), expected);
    }

    #[test]
    fn serde_yaml_output_round_trips_with_the_quotes() {
        let value: serde_yaml::Value =
            serde_yaml::from_str("a: [yes, 'no', 'True', false]\nb: {on: 'off'}")
                .expect("valid YAML");
        let text = quote_yaml11_booleans(&serde_yaml::to_string(&value).expect("serialises"));
        assert_eq!(
            serde_yaml::from_str::<serde_yaml::Value>(&text).expect("still valid"),
            value
        );
        assert!(
            text.contains("- 'yes'") && text.contains("'on': 'off'"),
            "{text}"
        );
    }
}
