//! Loading the root file and everything it imports, each file once.

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::source::{FileId, ImportPathError, Loader, SourceMap, Span, resolve_import_path};
use crate::syntax::{self, ast};

/// A parsed file.
pub struct Parsed {
    pub file: FileId,
    pub ast: ast::File,
}

/// Parses `root` and, depth first, every file it imports. Files come back in
/// dependency order (imports before importers).
pub fn load_all(
    sources: &mut SourceMap,
    root: FileId,
    loader: &dyn Loader,
    diags: &mut Diagnostics,
) -> Vec<Parsed> {
    let mut done = Vec::new();
    let mut stack = Vec::new();
    visit(sources, root, loader, diags, &mut stack, &mut done);
    done
}

fn visit(
    sources: &mut SourceMap,
    file: FileId,
    loader: &dyn Loader,
    diags: &mut Diagnostics,
    stack: &mut Vec<FileId>,
    done: &mut Vec<Parsed>,
) {
    let (ast, syntax_diags) = syntax::parse(file, &sources.get(file).text);
    diags.extend(syntax_diags);
    stack.push(file);
    for decl in &ast.decls {
        let ast::DeclKind::Import(path) = &decl.kind else {
            continue;
        };
        let Some(text) = path.as_plain() else {
            diags.push(
                Diagnostic::new(
                    Code::ImportNotFound,
                    path.span,
                    "an import path cannot be interpolated",
                )
                .label("write the path out")
                .help("imports are resolved before parameters and lets have values"),
            );
            continue;
        };
        let importer = sources.get(file).name.clone();
        let name = match resolve_import_path(&importer, &text) {
            Ok(n) => n,
            Err(e) => {
                let why = match e {
                    ImportPathError::Absolute => "an absolute path",
                    ImportPathError::EscapesRoot => "outside the project root",
                    ImportPathError::Empty => "an empty path",
                };
                diags.push(
                    Diagnostic::new(Code::ImportOutsideRoot, path.span, format!("cannot import `{text}`"))
                        .label(why)
                        .help("imports name files inside the project (the directory of the file given to prefectc), relative to the importing file"),
                );
                continue;
            }
        };
        if let Some(existing) = sources.find(&name) {
            if stack.contains(&existing) {
                let mut chain: Vec<String> = stack
                    .iter()
                    .skip_while(|f| **f != existing)
                    .map(|f| sources.get(*f).name.clone())
                    .collect();
                chain.push(name.clone());
                diags.push(
                    Diagnostic::new(
                        Code::ImportCycle,
                        path.span,
                        format!("import cycle: {}", chain.join(" → ")),
                    )
                    .label("this import closes the cycle")
                    .help("move what both files need into a third file that imports neither"),
                );
            }
            continue;
        }
        match loader.load(&name) {
            Ok(text) => {
                let id = sources.add(name, text);
                visit(sources, id, loader, diags, stack, done);
            }
            Err(e) => diags.push(unreadable(&importer, &name, path.span, &e)),
        }
    }
    stack.pop();
    done.push(Parsed { file, ast });
}

/// An import that names no readable file. The OS error text differs between
/// systems, so the message is built from its kind.
fn unreadable(importer: &str, name: &str, span: Span, e: &std::io::Error) -> Diagnostic {
    use std::io::ErrorKind;
    if e.kind() == ErrorKind::NotFound {
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
    let why = match e.kind() {
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::InvalidData => "not UTF-8 text".to_string(),
        ErrorKind::IsADirectory => "a directory, not a file".to_string(),
        other => other.to_string(),
    };
    Diagnostic::new(Code::ImportNotFound, span, format!("cannot read `{name}`"))
        .label(why)
        .help("an import names a readable `.pfk` text file inside the project")
}
