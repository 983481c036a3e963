//! Snapshot tests of rendered diagnostics.
//!
//! Every `tests/fixtures/diagnostics/<case>.pfk` is built on its own; every
//! directory `tests/fixtures/diagnostics/<case>/` is a small project whose
//! `main.pfk` is built with its imports read from that directory. The human
//! rendering of all diagnostics is compared with
//! `fixtures/diagnostics/snapshots/<case>.snap`, whose description is the
//! fixture's first line (what it demonstrates).

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use prefectc::diagnostics::render;
use prefectc::source::{FsLoader, Loader};
use prefectc::{MemoryLoader, Options};

/// One fixture: its snapshot name, the name of the root file in
/// diagnostics, the root file's text and where its imports come from.
struct Fixture {
    name: String,
    root_name: String,
    /// The bytes as read: a fixture may be not UTF-8 on purpose.
    text: Vec<u8>,
    loader: Box<dyn Loader>,
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagnostics")
}

/// Every fixture, sorted by name so the run is deterministic.
fn fixtures() -> Vec<Fixture> {
    let mut paths: Vec<PathBuf> = fs::read_dir(fixtures_dir())
        .expect("the fixtures directory exists")
        .map(|e| e.expect("a readable directory entry").path())
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("fixture names are UTF-8")
            .to_string();
        if path.is_dir() {
            if stem == "snapshots" {
                continue;
            }
            let main = path.join("main.pfk");
            let text = fs::read(&main).unwrap_or_else(|e| panic!("{}: {e}", main.display()));
            out.push(Fixture {
                name: stem,
                root_name: "main.pfk".to_string(),
                text,
                loader: Box::new(FsLoader { root: path }),
            });
        } else if path.extension().is_some_and(|e| e == "pfk") {
            let text = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            out.push(Fixture {
                root_name: format!("{stem}.pfk"),
                name: stem,
                text,
                loader: Box::new(MemoryLoader(Vec::new())),
            });
        }
    }
    out
}

/// Builds a fixture and renders its diagnostics; `Err` with the panic
/// message if the compiler panicked.
fn render_fixture(f: &Fixture) -> Result<String, String> {
    let build = || {
        prefectc::build_bytes(
            &f.root_name,
            f.text.clone(),
            f.loader.as_ref(),
            &Options::default(),
        )
    };
    let out = panic::catch_unwind(AssertUnwindSafe(build)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string())
    })?;
    assert!(
        !out.diagnostics.is_empty(),
        "{}: the fixture no longer produces any diagnostic",
        f.name
    );
    Ok(render::human(&out.diagnostics, &out.sources, false))
}

#[test]
fn rendered_diagnostics() {
    let fixtures = fixtures();
    assert!(!fixtures.is_empty(), "no fixtures found");
    for f in fixtures {
        let text = String::from_utf8_lossy(&f.text);
        let first_line = text
            .trim_start_matches('\u{FEFF}')
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        assert!(
            first_line.starts_with("//"),
            "{}: the first line must be a comment saying what the fixture demonstrates",
            f.name
        );
        let rendered = match render_fixture(&f) {
            Ok(rendered) => rendered,
            // A panic is a compiler bug. It is recorded in the snapshot, where
            // review sees it, rather than hiding every later fixture.
            Err(message) => {
                format!("INTERNAL COMPILER ERROR: prefectc::build panicked: {message}\n")
            }
        };
        insta::with_settings!({
            snapshot_path => "fixtures/diagnostics/snapshots",
            prepend_module_to_snapshot => false,
            description => first_line,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(f.name.as_str(), rendered);
        });
    }
}
