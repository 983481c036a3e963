//! The standard library as files an editor can open: go-to-definition on a
//! field lands in its schema. The schemas are compiled into the binary; the
//! first time a location in them is asked for, they are written to
//! `$XDG_CACHE_HOME/prefectc/stdlib/<version>/` (`~/.cache/…` without
//! `XDG_CACHE_HOME`), each file through a temporary file and a rename, and
//! only when its content differs, so concurrent servers agree.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lsp_types::Uri;

use super::convert;
use crate::STDLIB;
use crate::source::FileId;

/// Where the files go, whether or not they have been written yet.
pub fn dir() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(
        cache
            .join("prefectc")
            .join("stdlib")
            .join(env!("CARGO_PKG_VERSION")),
    )
}

/// The directory with every stdlib file written, once per process; `None`
/// when it cannot be written (then there is no location to go to).
fn written() -> Option<&'static Path> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = dir()?;
        std::fs::create_dir_all(&dir).ok()?;
        for (name, text) in STDLIB {
            let path = dir.join(file_name(name));
            if std::fs::read_to_string(&path).is_ok_and(|t| t == *text) {
                continue;
            }
            let mut tmp = tempfile::NamedTempFile::new_in(&dir).ok()?;
            tmp.write_all(text.as_bytes()).ok()?;
            tmp.persist(&path).ok()?;
        }
        Some(dir)
    })
    .as_deref()
}

/// `<stdlib>/worker.pfk` → `worker.pfk`
fn file_name(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// The path of a stdlib file (a build's file ids 1, 2, … are the stdlib's).
pub fn path(file: FileId) -> Option<PathBuf> {
    let (name, _) = STDLIB.get((file.0 as usize).checked_sub(1)?)?;
    Some(written()?.join(file_name(name)))
}

pub fn uri(file: FileId) -> Option<Uri> {
    convert::path_to_uri(&path(file)?)
}

/// Whether `path` is one of the written stdlib files (not a site to check).
pub fn contains(path: &Path) -> bool {
    dir().is_some_and(|d| path.starts_with(d))
}
