//! The sites of the repository and of the shared specification, for the
//! tests that hold a build to another way of making it (the credential
//! screen to the walk, work done at once to work done in turn).

use std::path::{Path, PathBuf};

use crate::source::FsLoader;
use crate::{Options, Output, build_bytes};

/// The `.pfk` files under each of `dirs` (relative to the repository),
/// recursively, in a fixed order.
pub(crate) fn under(dirs: &[&str]) -> Vec<PathBuf> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    for dir in dirs {
        sites(&here.join(dir), &mut all);
    }
    all
}

fn sites(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            sites(&p, out);
        } else if p.extension().is_some_and(|e| e == "pfk") {
            out.push(p);
        }
    }
}

/// A build of the site at `path`, its imports read from its directory, on
/// a fixed day.
pub(crate) fn build_at(path: &Path, options: Options) -> Output {
    let root = path.parent().expect("a file in a directory");
    let name = path.file_name().expect("a file").to_string_lossy();
    let bytes = std::fs::read(path).expect("readable");
    let options = Options {
        today: Some("2026-12-05".into()),
        ..options
    };
    let loader = FsLoader {
        root: root.to_path_buf(),
    };
    build_bytes(&name, bytes, &loader, &options)
}
