//! One analysis of a root file and its imports: [`crate::build`] run on the
//! editor's texts, with its diagnostics mapped to the files they are in.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_types::Uri;

use super::convert::{self, LineIndex};
use crate::Kept;
use crate::check::model::Kind;
use crate::limits::Limits;
use crate::source::{self, FileId, FsLoader, LoadError, Loader, Place, Span};
use crate::syntax::ast;
use crate::{Options, Output, resolve};

/// The texts the editor has open, by path: they win over the files on disk.
#[derive(Default)]
pub struct Documents {
    open: HashMap<PathBuf, Document>,
}

/// One open document.
pub struct Document {
    /// The URI as the editor wrote it (publishing under another spelling of
    /// the same path would not reach the buffer).
    pub uri: Uri,
    pub text: String,
}

impl Documents {
    /// Records a document the editor opened (or reopened).
    pub fn open(&mut self, path: PathBuf, uri: Uri, text: String) {
        self.open.insert(path, Document { uri, text });
    }

    /// Replaces the text of an open document; `false` if it is not open.
    pub fn change(&mut self, path: &Path, text: String) -> bool {
        match self.open.get_mut(path) {
            Some(d) => {
                d.text = text;
                true
            }
            None => false,
        }
    }

    /// Forgets a document: its file is read from disk again.
    pub fn close(&mut self, path: &Path) {
        self.open.remove(path);
    }

    /// The open document at `path`.
    pub fn get(&self, path: &Path) -> Option<&Document> {
        self.open.get(path)
    }

    /// The paths of the open documents.
    pub fn paths(&self) -> impl Iterator<Item = &PathBuf> {
        self.open.keys()
    }

    /// The URI to publish a file's diagnostics under.
    pub fn uri(&self, path: &Path) -> Option<Uri> {
        match self.open.get(path) {
            Some(d) => Some(d.uri.clone()),
            None => convert::path_to_uri(path),
        }
    }

    /// The text of a file: the editor's if it is open, else the disk's
    /// (only a regular file, of at most [`source::MAX_SOURCE_BYTES`]).
    pub fn read(&self, path: &Path) -> Result<String, LoadError> {
        match self.open.get(path) {
            Some(d) => Ok(d.text.clone()),
            None => source::decode(source::read_regular_file(path)?).map_err(LoadError::NotUtf8),
        }
    }
}

/// Imports read through the open documents first, then the disk, both
/// confined to the root as the command line confines them.
struct DocumentLoader<'a> {
    disk: FsLoader,
    documents: &'a Documents,
}

impl Loader for DocumentLoader<'_> {
    fn load(&self, name: &str) -> Result<String, LoadError> {
        match self.disk.confine(name) {
            // A buffer not saved yet has no file on disk.
            Ok(_) | Err(LoadError::NotFound) => {}
            Err(e) => return Err(e),
        }
        match self.documents.get(&self.disk.root.join(name)) {
            Some(d) => Ok(d.text.clone()),
            None => self.disk.load(name),
        }
    }

    fn real_path(&self, name: &str) -> Option<PathBuf> {
        self.disk.real_path(name)
    }
}

/// How many directories above a file a site that imports it is looked for.
const ROOT_SEARCH_LEVELS: usize = 3;
/// How many candidate files are read at most.
const ROOT_SEARCH_FILES: usize = 64;

/// A file opened on its own may be imported by a site that is not open:
/// finds a `.pfk` file in its directory or up to three directories above
/// that imports it (directly or not), so that it is checked as part of
/// that site. Candidates that do not mention the file's name are not built.
pub fn find_root(path: &Path, documents: &Documents) -> Option<PathBuf> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let mut read = 0;
    for dir in path.ancestors().skip(1).take(ROOT_SEARCH_LEVELS + 1) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        // Only regular files: a link could lead out of the directory, and
        // a named pipe would be waited on.
        let mut candidates: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "pfk") && p != path)
            .collect();
        candidates.sort();
        for candidate in candidates {
            if read == ROOT_SEARCH_FILES {
                return None;
            }
            read += 1;
            let Ok(text) = documents.read(&candidate) else {
                continue;
            };
            if !text.contains("import") || !text.contains(name.as_str()) {
                continue;
            }
            if Analysis::run(&candidate, documents).file(path).is_some() {
                return Some(candidate);
            }
        }
    }
    None
}

/// The build of one root file.
pub struct Analysis {
    pub root: PathBuf,
    pub output: Output,
    /// The path of each file of the build by [`FileId`]; `None` for the
    /// standard library.
    paths: Vec<Option<PathBuf>>,
}

impl Analysis {
    /// Builds `root` as `prefectc check` would, reading the editor's texts.
    /// A root that cannot be read is built as an empty file: its E0210
    /// says what is missing.
    pub fn run(root: &Path, documents: &Documents) -> Analysis {
        Analysis::run_unless(root, documents, None, &|| false).unwrap_or_else(|partial| *partial)
    }

    /// [`Analysis::run`], given up between stages as soon as `superseded`
    /// says a newer edit makes it useless: then `Err` with what was done.
    /// With what the root's last analysis kept, what an edit did not
    /// change (a file's parse, a pool's template) is not made again.
    pub fn run_unless(
        root: &Path,
        documents: &Documents,
        kept: Option<&Kept>,
        superseded: &dyn Fn() -> bool,
    ) -> Result<Analysis, Box<Analysis>> {
        Analysis::run_within(root, documents, Limits::default(), kept, superseded)
    }

    /// [`Analysis::run_unless`] within `limits`: the budgets of evaluation
    /// the client asked for (`initializationOptions.maxComponents`).
    pub fn run_within(
        root: &Path,
        documents: &Documents,
        limits: Limits,
        kept: Option<&Kept>,
        superseded: &dyn Fn() -> bool,
    ) -> Result<Analysis, Box<Analysis>> {
        let root_dir = root.parent().unwrap_or(Path::new("")).to_path_buf();
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = documents.read(root).unwrap_or_default();
        let loader = DocumentLoader {
            disk: FsLoader {
                root: root_dir.clone(),
            },
            documents,
        };
        let analysis = |output: Output| {
            let paths = output
                .sources
                .files()
                .map(|(id, f)| match id {
                    FileId(0) => Some(root.to_path_buf()),
                    _ if f.name.starts_with("<stdlib>/") => None,
                    _ => Some(root_dir.join(&f.name)),
                })
                .collect();
            Analysis {
                root: root.to_path_buf(),
                output,
                paths,
            }
        };
        let options = Options {
            limits,
            ..Options::default()
        };
        crate::build_unless(&name, text, &loader, &options, kept, superseded)
            .map(analysis)
            .map_err(|given_up| Box::new(analysis(*given_up.0)))
    }

    /// The path of a file of the build (`None` for the standard library).
    pub fn path(&self, file: FileId) -> Option<&Path> {
        self.paths.get(file.0 as usize)?.as_deref()
    }

    /// The id of a path among the build's files.
    pub fn file(&self, path: &Path) -> Option<FileId> {
        self.paths
            .iter()
            .position(|p| p.as_deref() == Some(path))
            .map(|i| FileId(i as u32))
    }

    /// The paths of the user's files in this build: the root and its imports.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.paths.iter().filter_map(|p| p.as_deref())
    }

    /// Where a span of this build is in its file.
    pub fn place(&self, span: Span) -> Place {
        self.output.sources.place(span)
    }

    /// The text of a file as this build read it.
    pub fn text(&self, file: FileId) -> &str {
        &self.output.sources.get(file).text
    }

    /// The syntax tree of a file, as far as it parsed.
    pub fn ast(&self, file: FileId) -> Option<&ast::File> {
        self.output
            .resolved
            .files
            .iter()
            .find(|(id, _)| *id == file)
            .map(|(_, f)| f)
    }

    /// No syntax error in any file: its trees are whole.
    pub fn parsed_cleanly(&self) -> bool {
        !self
            .output
            .diagnostics
            .iter()
            .any(|d| d.code.as_str().starts_with("E01"))
    }

    /// The range of a span in its file, with the file's URI.
    pub fn location(&self, span: Span, documents: &Documents) -> Option<lsp_types::Location> {
        let place = self.place(span);
        let uri = match self.path(place.file) {
            Some(p) => documents.uri(p)?,
            None => super::stdlib_files::uri(place.file)?,
        };
        let index = LineIndex::new(self.text(place.file));
        Some(lsp_types::Location::new(
            uri,
            index.range(place.start as usize, place.end as usize),
        ))
    }

    /// The diagnostics of every user file of the build (an empty list for
    /// a file without any), as the protocol publishes them.
    pub fn diagnostics(&self, documents: &Documents) -> Vec<(PathBuf, Vec<lsp_types::Diagnostic>)> {
        let mut by_file: Vec<(PathBuf, Vec<lsp_types::Diagnostic>)> = self
            .files()
            .map(|p| (p.to_path_buf(), Vec::new()))
            .collect();
        // One line index and URI per file, built when a span first needs it.
        let files: Vec<OnceCell<Option<(Uri, LineIndex)>>> =
            self.paths.iter().map(|_| OnceCell::new()).collect();
        let locate = |span: Span| {
            let place = self.place(span);
            let cell = files.get(place.file.0 as usize)?;
            let (uri, index) = cell
                .get_or_init(|| {
                    let uri = match self.path(place.file) {
                        Some(p) => documents.uri(p),
                        None => super::stdlib_files::uri(place.file),
                    };
                    Some((uri?, LineIndex::new(self.text(place.file))))
                })
                .as_ref()?;
            Some((
                uri.clone(),
                index.range(place.start as usize, place.end as usize),
            ))
        };
        for d in &self.output.diagnostics {
            // The standard library has no diagnostics in a release; should
            // it have, they are no file's in the editor.
            let Some(path) = self.path(self.place(d.primary.span).file) else {
                continue;
            };
            let Some(converted) = convert::diagnostic(d, &locate) else {
                continue;
            };
            if let Some((_, list)) = by_file.iter_mut().find(|(p, _)| p == path) {
                list.push(converted);
            }
        }
        by_file
    }

    /// The components of a kind (any kind for `None`), in declaration order.
    pub fn components(&self, kind: Option<Kind>) -> impl Iterator<Item = &resolve::Component> {
        self.output
            .resolved
            .components
            .iter()
            .filter(move |c| kind.is_none() || Kind::parse(&c.kind.name) == kind)
            .map(|c| &**c)
    }

    /// The templates declared in any file of the build (inside `for` loops
    /// too): their file and declaration.
    pub fn templates(&self) -> Vec<(FileId, &ast::Component)> {
        fn walk<'a, D: std::borrow::Borrow<ast::Decl>>(
            file: FileId,
            decls: &'a [D],
            out: &mut Vec<(FileId, &'a ast::Component)>,
        ) {
            for d in decls {
                match &d.borrow().kind {
                    ast::DeclKind::Template(c) => out.push((file, c)),
                    ast::DeclKind::For { body, .. } => walk(file, body, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        for (file, ast) in &self.output.resolved.files {
            walk(*file, &ast.decls, &mut out);
        }
        out
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// Looking for a site that imports a file reads only regular files: a
    /// named pipe is not waited on, a link (maybe leading out of the
    /// directory) is not followed.
    #[test]
    fn the_root_search_opens_only_regular_files() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path();
        std::fs::write(dir.join("pools.pfk"), "pool jobs { type = process }\n").expect("writes");
        let made = std::process::Command::new("mkfifo")
            .arg(dir.join("a-pipe.pfk"))
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        std::os::unix::fs::symlink("/dev/zero", dir.join("b-zero.pfk")).expect("symlink");
        let site = "import \"pools.pfk\"\nsite s { namespace = \"p\", prefect = \"3.4.25\" }\n";
        std::fs::write(dir.join("c-site.pfk"), site).expect("writes");
        let found = find_root(&dir.join("pools.pfk"), &Documents::default());
        assert_eq!(found, Some(dir.join("c-site.pfk")));
    }
}
