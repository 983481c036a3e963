//! Source files, spans, and the import loader. Root confinement lives here:
//! an import may name only files inside the directory of the root file.

use crate::map::HashMap;
use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

mod edits;
pub use edits::{Edits, Sameness, Texts};

/// Index of a file in a [`SourceMap`].
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct FileId(pub u32);

/// What a [`Span`]'s offsets count from: the start of a file, or the start
/// of a piece of one. The language server parses a file a declaration at a
/// time (`syntax::Parses`), and the spans of a declaration count from where
/// its piece starts: an edit above it moves the piece, not its spans, so
/// everything made from it (its checked values, its objects, their
/// diagnostics) is the same value as before the edit, and kept as such
/// (issue 17). Where each piece starts is the [`SourceMap`]'s to say; a
/// span is placed in its file by [`SourceMap::place`].
///
/// A file's anchor is its [`FileId`]'s number; a piece's has the top bit
/// set, and a number the parses give it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct Anchor(u32);

const PIECE: u32 = 1 << 31;

impl Anchor {
    /// The anchor of the piece numbered `n` (below 2^31).
    pub fn piece(n: u32) -> Anchor {
        Anchor(PIECE | n)
    }

    /// The file this anchor is the start of, or `None` for a piece's.
    pub fn file(self) -> Option<FileId> {
        (self.0 & PIECE == 0).then_some(FileId(self.0))
    }
}

impl From<FileId> for Anchor {
    fn from(file: FileId) -> Anchor {
        debug_assert!(file.0 & PIECE == 0, "a file id below 2^31");
        Anchor(file.0)
    }
}

/// A byte range of a source text: offsets from its [`Anchor`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct Span {
    pub anchor: Anchor,
    pub start: u32,
    pub end: u32,
}

/// A span placed in its file: offsets from the file's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Place {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Place {
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl Span {
    pub fn new(anchor: impl Into<Anchor>, start: usize, end: usize) -> Span {
        Span {
            anchor: anchor.into(),
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both (same anchor assumed; otherwise `self`).
    pub fn to(self, other: Span) -> Span {
        if self.anchor != other.anchor {
            return self;
        }
        Span {
            anchor: self.anchor,
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
    /// The text; the standard library's is borrowed from the binary, not
    /// copied into every build.
    pub text: Cow<'static, str>,
    /// Byte offsets at which lines start, found when a position is first
    /// asked for (most builds never ask about the standard library).
    line_starts: OnceLock<Vec<u32>>,
    /// Byte offsets at which lines start as miette counts them (after a
    /// `\n`, a `\r\n` or a lone `\r`), found when a snippet is first
    /// rendered ([`SourceFile::snippet_line_starts`]).
    snippet_line_starts: OnceLock<Vec<u32>>,
}

impl SourceFile {
    pub fn new(name: String, text: impl Into<Cow<'static, str>>) -> SourceFile {
        SourceFile {
            name,
            text: text.into(),
            line_starts: OnceLock::new(),
            snippet_line_starts: OnceLock::new(),
        }
    }

    /// Where lines start as miette counts them when it reads a snippet:
    /// after a `\n`, a `\r\n` or a lone `\r`. Lets the renderer hand
    /// miette the text from a few lines above a label instead of from far
    /// above it, which miette reads byte by byte.
    pub fn snippet_line_starts(&self) -> &[u32] {
        self.snippet_line_starts.get_or_init(|| {
            let b = self.text.as_bytes();
            std::iter::once(0)
                .chain(
                    b.iter()
                        .enumerate()
                        .filter(|&(i, &c)| {
                            c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n'))
                        })
                        .map(|(i, _)| i as u32 + 1),
                )
                .collect()
        })
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(
                    self.text
                        .bytes()
                        .enumerate()
                        .filter(|(_, b)| *b == b'\n')
                        .map(|(i, _)| i as u32 + 1),
                )
                .collect()
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let offset = offset.min(self.text.len() as u32);
        let line_starts = self.line_starts();
        let line = match line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = line_starts[line] as usize;
        let col = self.text[start..offset as usize].chars().count();
        (line + 1, col + 1)
    }

    /// The text of the 1-based line `line`, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let line_starts = self.line_starts();
        let Some(&start) = line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = line_starts
            .get(line)
            .map(|e| *e as usize - 1)
            .unwrap_or(self.text.len());
        self.text[start as usize..end].trim_end_matches('\r')
    }
}

/// Every file of one build: the user's files first, then the standard
/// library; and where the pieces of them start whose spans count from there
/// ([`Anchor`]).
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    pieces: HashMap<Anchor, (FileId, u32)>,
}

impl SourceMap {
    pub fn add(&mut self, name: String, text: impl Into<Cow<'static, str>>) -> FileId {
        self.files.push(SourceFile::new(name, text));
        FileId(self.files.len() as u32 - 1)
    }

    /// The piece `anchor` starts at `start` in `file` in this build.
    pub fn add_piece(&mut self, anchor: Anchor, file: FileId, start: u32) {
        debug_assert!(anchor.file().is_none(), "a piece's anchor");
        self.pieces.insert(anchor, (file, start));
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

    /// The file `anchor` is in, and the offset in it its spans count from.
    /// A piece this build does not have (a span kept from an earlier one
    /// by mistake) is placed at the start of the first file.
    pub fn anchor(&self, anchor: Anchor) -> (FileId, u32) {
        match anchor.file() {
            Some(file) => (file, 0),
            None => {
                let found = self.pieces.get(&anchor).copied();
                debug_assert!(found.is_some(), "a piece of this build");
                found.unwrap_or_default()
            }
        }
    }

    /// Where `span` is in its file.
    pub fn place(&self, span: Span) -> Place {
        let (file, base) = self.anchor(span.anchor);
        Place {
            file,
            start: base + span.start,
            end: base + span.end,
        }
    }

    pub fn text(&self, span: Span) -> &str {
        let place = self.place(span);
        self.get(place.file).text.get(place.range()).unwrap_or("")
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}

/// The largest source file prefectc reads (the root, an import, or
/// standard input): more is a mistake, such as a link to `/dev/zero`.
pub const MAX_SOURCE_BYTES: u64 = 16 * 1024 * 1024;

/// Why a source file could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    NotFound,
    /// Its real path (symbolic links resolved) is outside the project root.
    OutsideRoot,
    /// A directory, named pipe, device or socket: the words for it.
    NotRegular(&'static str),
    /// Larger than [`MAX_SOURCE_BYTES`].
    TooLarge,
    NotUtf8(NotUtf8),
    Io(std::io::Error),
}

impl From<std::io::Error> for LoadError {
    fn from(e: std::io::Error) -> LoadError {
        match e.kind() {
            std::io::ErrorKind::NotFound => LoadError::NotFound,
            _ => LoadError::Io(e),
        }
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NotFound => write!(f, "no such file"),
            LoadError::OutsideRoot => write!(
                f,
                "it resolves outside the project root through a symbolic link"
            ),
            LoadError::NotRegular(kind) => write!(f, "not a regular file ({kind})"),
            LoadError::TooLarge => {
                write!(f, "larger than the {} MiB limit", MAX_SOURCE_BYTES >> 20)
            }
            LoadError::NotUtf8(bad) => {
                write!(f, "not UTF-8 (byte {} is 0x{:02X})", bad.offset, bad.byte)
            }
            LoadError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// A file whose bytes are not UTF-8: its text decoded lossily (the bytes
/// before `offset` are the file's own, so spans up to it are exact).
#[derive(Debug, Clone)]
pub struct NotUtf8 {
    pub lossy: String,
    /// The byte offset (after a byte-order mark) of the first bad byte.
    pub offset: usize,
    pub byte: u8,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether the bytes start with a UTF-8 byte-order mark.
pub fn has_bom(bytes: &[u8]) -> bool {
    bytes.starts_with(BOM)
}

/// A source file's text: UTF-8, with a leading byte-order mark dropped
/// (spans are offsets into the text without it).
pub fn decode(mut bytes: Vec<u8>) -> Result<String, NotUtf8> {
    if has_bom(&bytes) {
        bytes.drain(..BOM.len());
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        NotUtf8 {
            lossy: String::from_utf8_lossy(&bytes).into_owned(),
            offset,
            byte: bytes[offset],
        }
    })
}

/// Drops a leading byte-order mark from text already decoded.
pub fn strip_bom(text: String) -> String {
    match text.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// Reads a regular file of at most [`MAX_SOURCE_BYTES`]. The type is
/// checked on the opened file (no race with a rename), and on Unix the open
/// does not block, so a named pipe is refused instead of waited on.
pub fn read_regular_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(LoadError::NotRegular(file_kind(&meta.file_type())));
    }
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(LoadError::TooLarge);
    }
    read_capped(file)
}

/// Reads at most [`MAX_SOURCE_BYTES`] (standard input, or a file that grew).
pub fn read_capped(reader: impl std::io::Read) -> Result<Vec<u8>, LoadError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(LoadError::TooLarge);
    }
    Ok(bytes)
}

/// A few words for a kind of file: "a directory", "a named pipe".
pub fn file_kind(t: &std::fs::FileType) -> &'static str {
    if t.is_file() {
        return "a regular file";
    }
    if t.is_dir() {
        return "a directory";
    }
    if t.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    "a special file"
}

/// Where the text of imported files comes from: the file system below a root
/// directory, or (in tests and for stdin) an in-memory table.
pub trait Loader {
    /// Reads `name` (a normalised, root-relative path with `/` separators).
    fn load(&self, name: &str) -> Result<String, LoadError>;

    /// The real path of `name`, when it names a file on disk: one file
    /// reached by two paths (through a symbolic link) is one file.
    fn real_path(&self, _name: &str) -> Option<PathBuf> {
        None
    }
}

/// Loads files below a root directory: only regular files whose real path
/// (symbolic links resolved) is inside the real root.
pub struct FsLoader {
    pub root: PathBuf,
}

impl FsLoader {
    /// The real path of `name`, refused if it is outside the real root.
    /// A file that does not exist is [`LoadError::NotFound`], unless its
    /// directory is outside (an editor's unsaved buffer there is not read
    /// either).
    pub fn confine(&self, name: &str) -> Result<PathBuf, LoadError> {
        // An empty root (a file named without a directory) is `.`.
        let base = if self.root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            self.root.as_path()
        };
        let root = std::fs::canonicalize(base)?;
        let path = base.join(name);
        let real = match std::fs::canonicalize(&path) {
            Ok(real) => real,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return match path.parent().map(std::fs::canonicalize) {
                    Some(Ok(dir)) if !dir.starts_with(&root) => Err(LoadError::OutsideRoot),
                    _ => Err(LoadError::NotFound),
                };
            }
            Err(e) => return Err(e.into()),
        };
        if real.starts_with(&root) {
            Ok(real)
        } else {
            Err(LoadError::OutsideRoot)
        }
    }
}

impl Loader for FsLoader {
    fn load(&self, name: &str) -> Result<String, LoadError> {
        let real = self.confine(name)?;
        decode(read_regular_file(&real)?).map_err(LoadError::NotUtf8)
    }

    fn real_path(&self, name: &str) -> Option<PathBuf> {
        self.confine(name).ok()
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
        let f = SourceFile::new("x".into(), "ab\ncd\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(4), (2, 2));
        assert_eq!(f.line_text(2), "cd");
    }
}
