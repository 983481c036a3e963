//! Source files, spans, and the import loader. Root confinement lives here:
//! an import may name only files inside the directory of the root file.

use std::path::{Component, Path, PathBuf};

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both (same file assumed; otherwise `self`).
    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// One loaded file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in diagnostics: relative to the project root, or `<stdlib>/x.pfk`.
    pub name: String,
    pub text: String,
    /// Byte offsets at which lines start.
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(name: String, text: String) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        );
        SourceFile {
            name,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let offset = offset.min(self.text.len() as u32);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line] as usize;
        let col = self.text[start..offset as usize].chars().count();
        (line + 1, col + 1)
    }

    /// The text of the 1-based line `line`, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map(|e| *e as usize - 1)
            .unwrap_or(self.text.len());
        self.text[start as usize..end].trim_end_matches('\r')
    }
}

/// Every file of one build: the user's files first, then the standard library.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, name: String, text: String) -> FileId {
        self.files.push(SourceFile::new(name, text));
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn find(&self, name: &str) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.name == name)
            .map(|i| FileId(i as u32))
    }

    pub fn text(&self, span: Span) -> &str {
        let f = self.get(span.file);
        f.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}

/// Where the text of imported files comes from: the file system below a root
/// directory, or (in tests and for stdin) an in-memory table.
pub trait Loader {
    /// Reads `name` (a normalised, root-relative path with `/` separators).
    fn load(&self, name: &str) -> std::io::Result<String>;
}

/// Loads files below a root directory.
pub struct FsLoader {
    pub root: PathBuf,
}

impl Loader for FsLoader {
    fn load(&self, name: &str) -> std::io::Result<String> {
        std::fs::read_to_string(self.root.join(name))
    }
}

/// Why an import path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportPathError {
    Absolute,
    EscapesRoot,
    Empty,
}

/// Joins an import path onto the directory of the importing file and
/// normalises it, refusing anything that leaves the project root.
///
/// `importer` is the root-relative name of the importing file.
pub fn resolve_import_path(importer: &str, import: &str) -> Result<String, ImportPathError> {
    if import.is_empty() {
        return Err(ImportPathError::Empty);
    }
    let path = Path::new(import);
    if path.is_absolute()
        || import.starts_with('/')
        || import.starts_with('\\')
        || import.contains(':')
    {
        return Err(ImportPathError::Absolute);
    }
    let mut parts: Vec<String> = Path::new(importer)
        .parent()
        .map(|p| {
            p.components()
                .filter_map(|c| match c {
                    Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    for part in import.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(ImportPathError::EscapesRoot);
                }
            }
            p => parts.push(p.to_string()),
        }
    }
    if parts.is_empty() {
        return Err(ImportPathError::Empty);
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_are_relative_to_the_importer() {
        assert_eq!(
            resolve_import_path("site.pfk", "common.pfk").unwrap(),
            "common.pfk"
        );
        assert_eq!(
            resolve_import_path("teams/a.pfk", "../common.pfk").unwrap(),
            "common.pfk"
        );
        assert_eq!(
            resolve_import_path("teams/a.pfk", "./lib/x.pfk").unwrap(),
            "teams/lib/x.pfk"
        );
    }

    #[test]
    fn imports_cannot_leave_the_root() {
        assert_eq!(
            resolve_import_path("site.pfk", "../../../../etc/passwd"),
            Err(ImportPathError::EscapesRoot)
        );
        assert_eq!(
            resolve_import_path("site.pfk", "/etc/passwd"),
            Err(ImportPathError::Absolute)
        );
        assert_eq!(
            resolve_import_path("a/site.pfk", "../../x.pfk"),
            Err(ImportPathError::EscapesRoot)
        );
    }

    #[test]
    fn line_and_column_are_one_based() {
        let f = SourceFile::new("x".into(), "ab\ncd\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(4), (2, 2));
        assert_eq!(f.line_text(2), "cd");
    }
}
