//! The objects `prefectc diff` compares, read from a directory written by
//! `build -o` or from a YAML stream. A build's own objects become a
//! [`Manifest`] through [`Manifest::from_values`].

use std::path::Path;

use serde_json::Value;

use super::{DiffError, ObjectId};
use crate::diagnostics::{Diagnostic, IntoDiagnostic};
use crate::map::HashMap;
use crate::resolve::ResolveError;
use crate::source::{self, FileId, LoadError, SourceMap, Span};

/// A set of objects, each once, in the order they were read.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    objects: Vec<(ObjectId, Value)>,
    /// Where each id is in `objects`.
    index: HashMap<ObjectId, usize>,
}

/// Why an input could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The directory or one of its files cannot be read.
    Io(String, LoadError),
    /// Documents that are not objects, or an object given twice: E0601,
    /// E0602, E0105, with spans in the files of the caller's source map.
    Invalid(Vec<Diagnostic>),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(path, e) => write!(f, "cannot read {path}: {e}"),
            ReadError::Invalid(d) => write!(f, "{} problem(s) in the manifests", d.len()),
        }
    }
}

impl Manifest {
    /// The objects of a build. Only a document without a kind or name, or a
    /// second document for one object, is refused; a build has neither.
    pub fn from_values(values: Vec<Value>) -> Result<Manifest, ObjectId> {
        let mut manifest = Manifest::default();
        for value in values {
            let id = ObjectId::of(&value).unwrap_or_else(|| ObjectId {
                kind: String::new(),
                namespace: None,
                name: String::new(),
            });
            if manifest.get(&id).is_some() {
                return Err(id);
            }
            manifest.push(id, value);
        }
        Ok(manifest)
    }

    /// Adds an object whose id the manifest does not hold yet.
    fn push(&mut self, id: ObjectId, value: Value) {
        debug_assert!(!self.index.contains_key(&id), "{id} given twice");
        self.index.insert(id.clone(), self.objects.len());
        self.objects.push((id, value));
    }

    pub fn get(&self, id: &ObjectId) -> Option<&Value> {
        self.index.get(id).map(|&i| &self.objects[i].1)
    }

    /// The objects, in the order they were read.
    pub fn objects(&self) -> &[(ObjectId, Value)] {
        &self.objects
    }
}

/// Whether `diff` reads `path` as YAML (a directory, or a `.yaml` or
/// `.yml` file) rather than building it as a site.
pub fn is_manifest(path: &Path) -> bool {
    path.is_dir() || path.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

/// Reads a directory's `*.yaml` and `*.yml` files (not its
/// `kustomization.yaml`, not its subdirectories), in name order, or one
/// YAML file. The files go into `sources`, so that diagnostics can point
/// into them.
pub fn read_path(path: &Path, sources: &mut SourceMap) -> Result<Manifest, ReadError> {
    let files = if path.is_dir() {
        yaml_files(path)?
    } else {
        vec![path.to_path_buf()]
    };
    let mut manifest = Spanned::default();
    let mut problems = Vec::new();
    for file in files {
        let shown = file.display().to_string();
        let bytes =
            source::read_regular_file(&file).map_err(|e| ReadError::Io(shown.clone(), e))?;
        let text = match source::decode(bytes) {
            Ok(text) => text,
            Err(bad) => {
                let id = sources.add(shown, bad.lossy.clone());
                problems.push(ResolveError::not_utf8(id, &bad).into_diagnostic());
                continue;
            }
        };
        let id = sources.add(shown, text);
        manifest.read_stream(id, &sources.get(id).text, &mut problems);
    }
    if problems.is_empty() {
        Ok(manifest.manifest)
    } else {
        Err(ReadError::Invalid(problems))
    }
}

/// A manifest being read, with where each object was found.
#[derive(Default)]
struct Spanned {
    manifest: Manifest,
    /// Where each object was read, for a second document of it.
    spans: HashMap<ObjectId, Span>,
}

impl Spanned {
    /// Reads the documents of one YAML stream, file `id` of the caller's
    /// source map, into the manifest; problems go to `problems`.
    fn read_stream(&mut self, id: FileId, text: &str, problems: &mut Vec<Diagnostic>) {
        for (start, document) in documents(text) {
            // Spans start at the document's first node, after the marker's
            // line break.
            let lead = document.len() - document.trim_start().len();
            let (start, document) = (start + lead, &document[lead..]);
            let span = |from: usize, to: usize| Span::new(id, start + from, start + to);
            match parse_object(document) {
                Ok(None) => {}
                Ok(Some((object_id, value))) => {
                    let here = span(0, document.trim_end().len());
                    if let Some(&first) = self.spans.get(&object_id) {
                        problems.push(
                            DiffError::DuplicateObject {
                                span: here,
                                first,
                                object: object_id,
                            }
                            .into_diagnostic(),
                        );
                        continue;
                    }
                    self.spans.insert(object_id.clone(), here);
                    self.manifest.push(object_id, value);
                }
                Err((offset, why)) => {
                    // The parser's offset may count characters rather
                    // than bytes: step back to a character boundary.
                    // An error at the end points at the last character.
                    let mut at = offset.min(document.trim_end().len().saturating_sub(1));
                    while !document.is_char_boundary(at) {
                        at -= 1;
                    }
                    let end = document[at..]
                        .chars()
                        .next()
                        .map_or(at, |c| at + c.len_utf8());
                    problems.push(
                        DiffError::InvalidManifest {
                            span: span(at, end),
                            why,
                        }
                        .into_diagnostic(),
                    );
                }
            }
        }
    }
}

fn yaml_files(dir: &Path) -> Result<Vec<std::path::PathBuf>, ReadError> {
    let io = |e: std::io::Error| ReadError::Io(dir.display().to_string(), LoadError::from(e));
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let yaml = name.ends_with(".yaml") || name.ends_with(".yml");
        let kustomization = matches!(name.as_str(), "kustomization.yaml" | "kustomization.yml");
        if yaml && !kustomization && entry.file_type().map_err(io)?.is_file() {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

/// The documents of a YAML stream with their byte offsets: the text between
/// lines that start with `---`.
fn documents(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let separator =
            line.starts_with("---") && line[3..].chars().next().is_none_or(char::is_whitespace);
        if separator {
            out.push((start, &text[start..offset]));
            // The separator line may carry the document's first node
            // (`--- {kind: …}`); keep it, without the marker.
            start = offset + 3;
        }
        offset += line.len();
    }
    out.push((start, &text[start..]));
    out.into_iter()
        .filter(|(_, d)| !d.trim().is_empty())
        .collect()
}

/// One document as an object: `Ok(None)` for an empty one, else the
/// object or where and why it is not one.
fn parse_object(document: &str) -> Result<Option<(ObjectId, Value)>, (usize, String)> {
    let value: Value = serde_yaml::from_str(document).map_err(|e| {
        let at = e.location().map_or(0, |l| l.index());
        (
            at,
            format!(
                "not YAML that JSON can hold: {}",
                without_positions(&e.to_string())
            ),
        )
    })?;
    if value.is_null() {
        return Ok(None);
    }
    if !value.is_object() {
        return Err((
            0,
            "a document here is a map with `kind` and `metadata`".into(),
        ));
    }
    match ObjectId::of(&value) {
        Some(id) => Ok(Some((id, value))),
        None => Err((0, "this map has no `kind` or no `metadata.name`".into())),
    }
}

/// A YAML error's text without its ` at line L column C` parts: they count
/// from the document, not the file, and the diagnostic's span says where.
fn without_positions(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = |t: &str| t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let line = digits(after);
        match after[line..].strip_prefix(" column ") {
            Some(col) if line > 0 && digits(col) > 0 => rest = &col[digits(col)..],
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{Spanned, documents, without_positions};
    use crate::source::FileId;

    /// Every prefix of a stream reads without a panic, and every span stays
    /// inside the text on character boundaries.
    #[test]
    fn every_prefix_reads() {
        let text = "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"é\"\n  namespace: p\ndata: {a: \"ü\", b: [1, 2]}\n--- {kind: Secret, metadata: {name: s}}\n---\nkind: ConfigMap\nmetadata: {name: \"é\", namespace: p}\n";
        for end in (0..=text.len()).filter(|i| text.is_char_boundary(*i)) {
            let prefix = &text[..end];
            let mut manifest = Spanned::default();
            let mut problems = Vec::new();
            manifest.read_stream(FileId(0), prefix, &mut problems);
            for d in &problems {
                let span = d.primary.span;
                assert!(span.end as usize <= prefix.len(), "{prefix:?}: {d:?}");
                assert!(prefix.is_char_boundary(span.start as usize));
                assert!(prefix.is_char_boundary(span.end as usize));
            }
        }
    }

    #[test]
    fn yaml_messages_lose_their_positions() {
        assert_eq!(
            without_positions(
                "did not find ',' at line 5 column 1, while parsing at line 4 column 19"
            ),
            "did not find ',', while parsing"
        );
        assert_eq!(without_positions("at line x"), "at line x");
    }

    #[test]
    fn documents_split_at_markers() {
        let text = "---\na: 1\n---\nb: 2\n--- {c: 3}\n";
        let docs: Vec<_> = documents(text);
        assert_eq!(docs, [(3, "\na: 1\n"), (12, "\nb: 2\n"), (21, " {c: 3}\n")]);
        assert_eq!(&text[12..], "\nb: 2\n--- {c: 3}\n");
    }
}
