//! Loading the root file and everything it imports, each file once.

use std::collections::HashMap;
use std::path::PathBuf;

use super::error::{ResolveError, Unreadable};
use crate::diagnostics::Diagnostics;
use crate::source::{FileId, LoadError, Loader, SourceMap, Span, resolve_import_path};
use crate::syntax::{self, Parses, ast};

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
    parses: Option<&Parses>,
    diags: &mut Diagnostics,
) -> Vec<Parsed> {
    let mut walk = Walk {
        sources,
        loader,
        parses,
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
    /// The last build's parses, when the caller keeps them.
    parses: Option<&'a Parses>,
    diags: &'a mut Diagnostics,
    /// The files being visited, importers first.
    stack: Vec<FileId>,
    done: Vec<Parsed>,
    by_real_path: HashMap<PathBuf, FileId>,
}

impl Walk<'_> {
    fn visit(&mut self, file: FileId) {
        let text = &self.sources.get(file).text;
        let (ast, syntax_diags) = match self.parses {
            Some(parses) => {
                let parsed = parses.parse(file, text);
                for (anchor, start) in parses.pieces(file) {
                    self.sources.add_piece(anchor, file, start);
                }
                parsed
            }
            None => syntax::parse(file, text),
        };
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
            self.diags
                .report(ResolveError::InterpolatedImport { span: path.span });
            return;
        };
        let importer = self.sources.get(file).name.clone();
        let name = match resolve_import_path(&importer, &text) {
            Ok(n) => n,
            Err(why) => {
                self.diags.report(ResolveError::ImportOutsideRoot {
                    span: path.span,
                    path: text,
                    why,
                });
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
                self.diags.report(self.cycle(existing, &name, path.span));
            }
            return;
        }
        let loaded = self.loader.load(&name);
        let id = match loaded {
            Ok(text) => self.sources.add(name, text),
            Err(LoadError::NotUtf8(bad)) => {
                let id = self.sources.add(name, bad.lossy.clone());
                self.diags.report(ResolveError::not_utf8(id, &bad));
                // Not parsed: its text is not what the file says.
                self.remember(real, id);
                return;
            }
            Err(e) => {
                self.diags
                    .report(unreadable(importer, text, name, path.span, e));
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

    fn cycle(&self, existing: FileId, name: &str, span: Span) -> ResolveError {
        let mut chain: Vec<String> = self
            .stack
            .iter()
            .skip_while(|f| **f != existing)
            .map(|f| self.sources.get(*f).name.clone())
            .collect();
        chain.push(name.to_string());
        let first = &self.sources.get(existing).name;
        if first == name {
            return ResolveError::ImportCycle { span, chain };
        }
        // One file by two paths: a symbolic link leads back to it.
        ResolveError::ImportCycleThroughLink {
            span,
            chain,
            name: name.to_string(),
            first: first.clone(),
        }
    }
}

/// An import that names no readable file. The OS error text differs between
/// systems, so only its kind is kept (and worded in `error`).
fn unreadable(
    importer: String,
    text: String,
    name: String,
    span: Span,
    e: LoadError,
) -> ResolveError {
    let why = match e {
        LoadError::NotFound => {
            return ResolveError::ImportNotFound {
                span,
                importer,
                name,
            };
        }
        LoadError::OutsideRoot => return ResolveError::ImportThroughLink { span, path: text },
        LoadError::NotRegular(kind) => Unreadable::NotRegular(kind),
        LoadError::TooLarge => Unreadable::TooLarge,
        LoadError::NotUtf8(_) => Unreadable::NotUtf8,
        LoadError::Io(io) => Unreadable::Io(io.kind()),
    };
    ResolveError::ImportUnreadable { span, name, why }
}
