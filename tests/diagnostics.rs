//! Rendered diagnostics, one test per fixture.
//!
//! Every `tests/fixtures/diagnostics/<case>.pfk` is built on its own; every
//! directory `tests/fixtures/diagnostics/<case>/` is a small project whose
//! `main.pfk` is built with its imports read from that directory. The human
//! rendering of all diagnostics is compared with
//! `fixtures/diagnostics/snapshots/<case>.snap`, whose description is the
//! fixture's first line (what it demonstrates). Independently of the
//! snapshot, the fixture's leading comments name every error and warning the
//! build must give, `// expect: CODE @ LINE:COLUMN` (`@ FILE:LINE:COLUMN` in
//! an imported file), and the build must give exactly those. A panic fails
//! the fixture's test.

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use libtest_mimic::{Arguments, Failed, Trial};
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
    loader: Box<dyn Loader + Send>,
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

/// Builds a fixture; `Err` with the panic message if the compiler panicked.
fn build_fixture(f: &Fixture) -> Result<prefectc::Output, String> {
    let build = || {
        prefectc::build_bytes(
            &f.root_name,
            f.text.clone(),
            f.loader.as_ref(),
            &Options::default(),
        )
    };
    panic::catch_unwind(AssertUnwindSafe(build)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string())
    })
}

/// The `// expect: CODE @ [FILE:]LINE:COLUMN` lines of the fixture's
/// leading comment block: every error and warning it must produce, where.
/// A diagnostic in the root file names no file.
fn expected(f: &Fixture) -> Vec<String> {
    String::from_utf8_lossy(&f.text)
        .trim_start_matches('\u{FEFF}')
        .lines()
        .take_while(|l| l.starts_with("//"))
        .filter_map(|l| l.strip_prefix("// expect:"))
        .map(|e| e.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The errors and warnings of a build in the same form.
fn actual(f: &Fixture, out: &prefectc::Output) -> Vec<String> {
    out.diagnostics
        .iter()
        .filter(|d| d.is_error() || d.is_warning())
        .map(|d| {
            let file = out.sources.get(d.primary.span.anchor.file().unwrap());
            let (line, column) = file.line_col(d.primary.span.start);
            let at = if file.name == f.root_name {
                String::new()
            } else {
                format!("{}:", file.name)
            };
            format!("{} @ {at}{line}:{column}", d.code.as_str())
        })
        .collect()
}

fn check(f: &Fixture) -> Result<(), Failed> {
    let text = String::from_utf8_lossy(&f.text);
    let first_line = text
        .trim_start_matches('\u{FEFF}')
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    if !first_line.starts_with("//") {
        return Err("the first line must be a comment saying what the fixture demonstrates".into());
    }
    let out = build_fixture(f).map_err(|message| {
        format!("INTERNAL COMPILER ERROR: prefectc::build panicked: {message}")
    })?;
    let mut want = expected(f);
    if want.is_empty() {
        return Err(
            "the fixture names no `// expect: CODE @ LINE:COLUMN` in its first lines".into(),
        );
    }
    let mut got = actual(f, &out);
    want.sort();
    got.sort();
    if want != got {
        return Err(
            format!("expected diagnostics {want:?}\n     but the build gave {got:?}").into(),
        );
    }
    let rendered = render::human(&out.diagnostics, &out.sources, false);
    insta::with_settings!({
        snapshot_path => "fixtures/diagnostics/snapshots",
        prepend_module_to_snapshot => false,
        description => first_line,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(f.name.as_str(), rendered);
    });
    Ok(())
}

/// One test per fixture, so a failure names its fixture and every failure
/// is reported, not only the first.
fn main() -> ExitCode {
    let args = Arguments::from_args();
    let fixtures = fixtures();
    assert!(!fixtures.is_empty(), "no fixtures found");
    let trials = fixtures
        .into_iter()
        .map(|f| Trial::test(f.name.clone(), move || check(&f)))
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}
