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

/// The objects a writer writes at a time: about 300 KB of YAML.
const BATCH: usize = 128;

/// Writes the same stream as [`yaml`] to `w`, `FLUSH` bytes of documents
/// at a time (a large site: a batch at a time, by one writer per core,
/// [`crate::cores::parts`]): a site of thousands of workers is never held
/// twice, as objects and as text, and `w` needs no buffer of its own.
pub fn write_yaml(objects: &[Object], w: &mut impl std::io::Write) -> std::io::Result<()> {
    write_yaml_by(objects, w, crate::cores::parts(objects.len()), BATCH)
}

/// How many bytes of documents a small build gathers before it writes them.
const FLUSH: usize = 16 << 10;

/// The buffers another writer writes into: two waiting in the channel,
/// one it writes, one this thread writes out. Each then comes back.
const BUFFERS: usize = 4;

/// [`write_yaml`] by `writers` writers, in batches of `batch` objects:
/// batch `i` is written by writer `i % writers`, writer 0 being this
/// thread, which writes every batch to `w` in order. A writer is at most
/// two batches ahead of `w`. The YAML of an object depends on nothing but
/// the object, so who writes it does not change it.
fn write_yaml_by(
    objects: &[Object],
    w: &mut impl std::io::Write,
    writers: usize,
    batch: usize,
) -> std::io::Result<()> {
    // One buffer for every document or batch this thread writes: a string
    // made per document grew from empty by doubling, each growth a copy
    // (about 1.5 % of all instructions at 10,000 workers,
    // docs/performance.md).
    let mut text = String::new();
    if writers < 2 || objects.len() <= batch {
        // Documents gathered up to `FLUSH` bytes, then written: a buffer
        // the size of the whole production example was 16 more pages
        // touched, and so was the command line's 64 KiB `BufWriter` that
        // this made unnecessary (docs/performance.md, stop 67).
        return yaml::shared::scope(|| {
            for o in objects {
                append_batch(std::slice::from_ref(o), &mut text);
                if text.len() >= FLUSH {
                    w.write_all(text.as_bytes())?;
                    text.clear();
                }
            }
            w.write_all(text.as_bytes())?;
            w.flush()
        });
    }
    let batches: Vec<&[Object]> = objects.chunks(batch.max(1)).collect();
    std::thread::scope(|scope| {
        // The other writers' batches as they write them, and the buffers
        // this thread has written out, which go back to be written into
        // again: a buffer made for each batch was a large allocation, whose
        // pages glibc could map afresh each time (docs/performance.md).
        // `None` for a writer that could not start, whose batches this
        // thread writes.
        let others: Vec<_> = (1..writers)
            .map(|k| {
                let (send, receive) = std::sync::mpsc::sync_channel::<String>(2);
                let (give_back, given_back) = std::sync::mpsc::channel::<String>();
                let batches = &batches;
                std::thread::Builder::new()
                    .name(format!("yaml-{k}"))
                    .spawn_scoped(scope, move || {
                        yaml::shared::scope(|| {
                            let mut made = 0;
                            for batch in batches.iter().skip(k).step_by(writers) {
                                let mut text = match given_back.try_recv() {
                                    Ok(text) => text,
                                    Err(_) if made < BUFFERS => {
                                        made += 1;
                                        String::new()
                                    }
                                    // Every buffer is on its way back, or
                                    // this thread stopped early.
                                    Err(_) => match given_back.recv() {
                                        Ok(text) => text,
                                        Err(_) => break,
                                    },
                                };
                                write_batch(batch, &mut text);
                                // This thread stopped early (a closed pipe).
                                if send.send(text).is_err() {
                                    break;
                                }
                            }
                        });
                    })
                    .ok()
                    .map(|_| (receive, give_back))
            })
            .collect();
        yaml::shared::scope(|| {
            for (i, batch) in batches.iter().enumerate() {
                match (i % writers)
                    .checked_sub(1)
                    .and_then(|k| others[k].as_ref())
                {
                    Some((other, give_back)) => {
                        let written = other.recv().expect("a writer ends after its batches");
                        w.write_all(written.as_bytes())?;
                        // A writer that has ended needs no buffer.
                        let _ = give_back.send(written);
                    }
                    None => {
                        write_batch(batch, &mut text);
                        w.write_all(text.as_bytes())?;
                    }
                }
            }
            w.flush()
        })
    })
}

/// The documents of `batch`, each introduced by `---`, in place of
/// `text`'s.
fn write_batch(batch: &[Object], text: &mut String) {
    text.clear();
    append_batch(batch, text);
}

/// The YAML documents of `batch`, after what `text` holds.
fn append_batch(batch: &[Object], text: &mut String) {
    for o in batch {
        text.push_str("---\n");
        yaml::write(&o.resource, text).expect("objects serialise to YAML");
    }
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
                    namespace: namespace.map(Into::into),
                    ..ObjectMeta::default()
                },
                spec: serde_json::Value::Null,
            })),
            origin: crate::source::Span::default(),
        }
    }

    /// The stream written by several writers is the stream one writer
    /// writes, byte for byte, whatever the number of writers and the size
    /// of a batch: a site of 40 workers (over 300 objects, three batches
    /// and some) whose workers share labels, security contexts and a pool's
    /// base job template. In batches of 7 objects each writer writes many
    /// batches, the later ones into buffers given back.
    #[test]
    fn several_writers_write_what_one_writes() {
        let out = crate::build_text(
            "site s {\n  namespace = \"prefect\"\n  prefect = \"3.4.25\"\n}\n\
             server prefect {\n  database = sqlite {}\n}\n\
             pool jobs {\n  type = kubernetes\n}\n\
             for t in [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\"] {\n\
             for n in [\"1\", \"2\", \"3\", \"4\", \"5\"] {\n\
             worker \"team-${t}${n}\" {\n  pool = jobs\n  api = prefect\n\
             env = { TEAM = \"${t}${n}\" }\n  pod-labels = { team = t }\n}\n}\n}\n",
        );
        let objects = out.objects.expect("the site builds");
        assert!(objects.len() > 2 * BATCH + 1, "{} objects", objects.len());
        let by = |writers, batch| {
            let mut bytes = Vec::new();
            write_yaml_by(&objects, &mut bytes, writers, batch).expect("writing to memory");
            bytes
        };
        let one = by(1, BATCH);
        assert_eq!(String::from_utf8(one.clone()).unwrap(), yaml(&objects));
        for writers in [2, 3, 4] {
            for batch in [BATCH, 7] {
                assert!(
                    by(writers, batch) == one,
                    "{writers} writers, batches of {batch}: another stream"
                );
            }
        }
    }

    /// A reader that goes away ends the writers, and the error is the
    /// writer's to report.
    #[test]
    fn a_closed_stream_ends_every_writer() {
        struct Closed;
        impl std::io::Write for Closed {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let objects: Vec<Object> = (0..1000)
            .map(|i| object("ConfigMap", None, &format!("c{i}")))
            .collect();
        let e = write_yaml_by(&objects, &mut Closed, 3, 7).expect_err("a closed stream");
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe);
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
