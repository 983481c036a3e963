//! The screen judged by the walk: every site of the repository and the
//! shared specification built twice, once as a build does (objects the
//! screen clears, and values no one wrote, are not walked) and once with
//! every object walked. The findings, and everything else a build reports,
//! must be the same: the screen may only save work.

use super::walk::WALKED;
use crate::source::FsLoader;
use crate::{Options, build};
use std::path::{Path, PathBuf};

/// The `.pfk` files under `dir`, recursively, in a fixed order.
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

/// What a build of `path` reports, every object walked or not.
fn report(path: &Path, every_object: bool) -> String {
    let root = path.parent().expect("a file in a directory");
    let name = path.file_name().expect("a file").to_string_lossy();
    let text = std::fs::read_to_string(path).expect("readable");
    let options = Options {
        today: Some("2026-12-05".into()),
        walk_every_object: every_object,
        ..Options::default()
    };
    let loader = FsLoader {
        root: root.to_path_buf(),
    };
    let out = build(&name, text, &loader, &options);
    format!("{:#?}\n{:#?}", out.diagnostics, out.waived)
}

/// The sites that hold credentials or that the screen reads differently:
/// the examples, the policy and lowering fixtures, the specification's.
#[test]
fn the_screen_changes_no_report() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    for dir in [
        "examples",
        "tests/fixtures/policy",
        "tests/fixtures/lowering",
        "tests/fixtures/reports",
        "../shared/spec/examples",
    ] {
        sites(&here.join(dir), &mut all);
    }
    assert!(all.len() > 200, "the sites are where they were");
    let mut secrets = 0;
    for path in &all {
        let screened = report(path, false);
        assert_eq!(
            screened,
            report(path, true),
            "{}: the screen changed what the build reports",
            path.display()
        );
        secrets += usize::from(screened.contains("secret/"));
    }
    // The sites include findings of both credential rules.
    assert!(secrets >= 40, "{secrets} sites with credential findings");
}

/// The production example's worker gets the key of its API's Secret in
/// an env var whose name says credential (`…_AUTH_STRING_SECRET_KEY`):
/// prefectc's own value, written nowhere in the site, so no object is
/// walked. Every object is walked when asked.
#[test]
fn the_production_example_walks_no_object() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/production.pfk");
    let text = std::fs::read_to_string(&path).expect("readable");
    assert!(text.contains("auth = basic"), "the example has basic auth");
    WALKED.set(0);
    let screened = report(&path, false);
    assert_eq!(WALKED.get(), 0, "{screened}");
    report(&path, true);
    assert!(WALKED.get() > 20, "{} objects walked", WALKED.get());
}
