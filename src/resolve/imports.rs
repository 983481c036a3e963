//! Loading the root file and everything it imports, each file once.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::source::{
    FileId, ImportPathError, LoadError, Loader, MAX_SOURCE_BYTES, NotUtf8, SourceMap, Span,
    resolve_import_path,
};
use crate::syntax::{self, ast};

/// A parsed file.
pub struct Parsed {
    pub file: FileId,
    pub ast: ast::File,
}

/// Parses `root` and, depth first, every file it imports. Files come back in
/// dependency order (imports before importers). A file is one file by its
/// real path: reached by two paths (through a symbolic link) it is read
/// once, and a cycle through a link is a cycle.
pub fn load_all(
    sources: &mut SourceMap,
    root: FileId,
    loader: &dyn Loader,
    diags: &mut Diagnostics,
) -> Vec<Parsed> {
    let mut walk = Walk {
        sources,
        loader,
        diags,
        stack: Vec::new(),
        done: Vec::new(),
        by_real_path: HashMap::new(),
    };
    let root_name = walk.sources.get(root).name.clone();
    if let Some(real) = loader.real_path(&root_name) {
        walk.by_real_path.insert(real, root);
    }
    walk.visit(root);
    walk.done
}

/// The state of one depth-first walk over the imports.
struct Walk<'a> {
    sources: &'a mut SourceMap,
    loader: &'a dyn Loader,
    diags: &'a mut Diagnostics,
    /// The files being visited, importers first.
    stack: Vec<FileId>,
    done: Vec<Parsed>,
    by_real_path: HashMap<PathBuf, FileId>,
}

impl Walk<'_> {
    fn visit(&mut self, file: FileId) {
        let (ast, syntax_diags) = syntax::parse(file, &self.sources.get(file).text);
        self.diags.extend(syntax_diags);
        self.stack.push(file);
        for decl in &ast.decls {
            if let ast::DeclKind::Import(path) = &decl.kind {
                self.import(file, path);
            }
        }
        self.stack.pop();
        self.done.push(Parsed { file, ast });
    }

    fn import(&mut self, file: FileId, path: &ast::StringLit) {
        let Some(text) = path.as_plain() else {
            self.diags.push(
                Diagnostic::new(
                    Code::ImportNotFound,
                    path.span,
                    "an import path cannot be interpolated",
                )
                .label("write the path out")
                .help("imports are resolved before parameters and lets have values"),
            );
            return;
        };
        let importer = self.sources.get(file).name.clone();
        let name = match resolve_import_path(&importer, &text) {
            Ok(n) => n,
            Err(e) => {
                let why = match e {
                    ImportPathError::Absolute => "an absolute path",
                    ImportPathError::EscapesRoot => "outside the project root",
                    ImportPathError::Empty => "an empty path",
                };
                self.diags.push(outside_root(&text, path.span, why));
                return;
            }
        };
        let real = self.loader.real_path(&name);
        let seen = self.sources.find(&name).or_else(|| {
            real.as_ref()
                .and_then(|r| self.by_real_path.get(r).copied())
        });
        if let Some(existing) = seen {
            if self.stack.contains(&existing) {
                self.diags.push(self.cycle(existing, &name, path.span));
            }
            return;
        }
        let loaded = self.loader.load(&name);
        let id = match loaded {
            Ok(text) => self.sources.add(name, text),
            Err(LoadError::NotUtf8(bad)) => {
                let id = self.sources.add(name, bad.lossy.clone());
                self.diags.push(not_utf8(id, &bad));
                // Not parsed: its text is not what the file says.
                self.remember(real, id);
                return;
            }
            Err(e) => {
                self.diags
                    .push(unreadable(&importer, &text, &name, path.span, &e));
                return;
            }
        };
        self.remember(real, id);
        self.visit(id);
    }

    fn remember(&mut self, real: Option<PathBuf>, id: FileId) {
        if let Some(real) = real {
            self.by_real_path.insert(real, id);
        }
    }

    fn cycle(&self, existing: FileId, name: &str, span: Span) -> Diagnostic {
        let mut chain: Vec<String> = self
            .stack
            .iter()
            .skip_while(|f| **f != existing)
            .map(|f| self.sources.get(*f).name.clone())
            .collect();
        chain.push(name.to_string());
        let diagnostic = Diagnostic::new(
            Code::ImportCycle,
            span,
            format!("import cycle: {}", chain.join(" → ")),
        );
        let first = &self.sources.get(existing).name;
        if first == name {
            return diagnostic
                .label("this import closes the cycle")
                .help("move what both files need into a third file that imports neither");
        }
        // One file by two paths: a symbolic link leads back to it.
        diagnostic
            .label(format!(
                "this import closes the cycle: `{name}` is `{first}` through a symbolic link"
            ))
            .help(format!(
                "a file cannot import itself: remove this import, or the link that makes `{name}` \
                 lead to `{first}`"
            ))
    }
}

fn outside_root(text: &str, span: Span, why: &str) -> Diagnostic {
    Diagnostic::new(Code::ImportOutsideRoot, span, format!("cannot import `{text}`"))
        .label(why)
        .help("imports name files inside the project (the directory of the file given to prefectc), relative to the importing file")
}

/// A file that is not UTF-8, at its first bad byte.
pub fn not_utf8(file: FileId, bad: &NotUtf8) -> Diagnostic {
    let end = bad.lossy[bad.offset..]
        .chars()
        .next()
        .map_or(bad.offset, |c| bad.offset + c.len_utf8());
    Diagnostic::new(
        Code::NotUtf8,
        Span::new(file, bad.offset, end),
        "file is not UTF-8",
    )
    .label(format!("byte 0x{:02X} is not UTF-8", bad.byte))
    .help("save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`); prefectc reads no other encoding")
}

/// An import that names no readable file. The OS error text differs between
/// systems, so the message is built from its kind.
fn unreadable(importer: &str, text: &str, name: &str, span: Span, e: &LoadError) -> Diagnostic {
    use std::io::ErrorKind;
    let (why, help) = match e {
        LoadError::NotFound => {
            return Diagnostic::new(
                Code::ImportNotFound,
                span,
                format!("file not found: `{name}`"),
            )
            .label("no such file in the project")
            .help(format!(
                "the path is relative to the importing file, `{importer}`: check the spelling, \
                 or create `{name}`"
            ));
        }
        LoadError::OutsideRoot => {
            return outside_root(
                text,
                span,
                "resolves outside the project root through a symbolic link",
            )
            .help(
                "imports read only files inside the project (the directory of the file given to \
                 prefectc): copy the file into the project instead of linking to it",
            );
        }
        LoadError::NotRegular(kind) => (
            format!("not a regular file: `{name}` is {kind}"),
            "an import names a regular `.pfk` file inside the project".to_string(),
        ),
        LoadError::TooLarge => (
            format!("larger than the {} MiB limit", MAX_SOURCE_BYTES >> 20),
            "split it into smaller files that import each other".to_string(),
        ),
        LoadError::NotUtf8(_) => ("not UTF-8 text".to_string(), "save it as UTF-8".to_string()),
        LoadError::Io(io) => (
            match io.kind() {
                ErrorKind::PermissionDenied => "permission denied".to_string(),
                ErrorKind::InvalidData => "not UTF-8 text".to_string(),
                ErrorKind::IsADirectory => "a directory, not a file".to_string(),
                other => other.to_string(),
            },
            "an import names a readable `.pfk` text file inside the project".to_string(),
        ),
    };
    Diagnostic::new(Code::ImportNotFound, span, format!("cannot read `{name}`"))
        .label(why)
        .help(help)
}
