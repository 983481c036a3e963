//! Lowering, one feature at a time: each `tests/fixtures/lowering/*.pfk` is
//! a small site that shows one feature (its first line says which, as
//! `// shows: …`), built without any diagnostic, its YAML pinned by an insta
//! snapshot (`tests/fixtures/lowering/snapshots/`). A change to how one
//! feature is lowered shows up in that feature's snapshot, not only inside
//! a whole example's. One trial per fixture, so a failure names it.
//!
//! The snapshots agree with the code by construction: review every diff.
//! The oracles that judge the YAML independently (tests/hardening.rs,
//! netpol.rs, ports.rs, readback) read these fixtures too, through
//! `support::every_site`.

mod support;

use std::path::PathBuf;
use std::process::ExitCode;

use libtest_mimic::{Arguments, Failed, Trial};
use prefectc::diagnostics::render;

fn dir() -> PathBuf {
    support::manifest_dir().join("tests/fixtures/lowering")
}

fn check(path: PathBuf) -> Result<(), Failed> {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = std::fs::read_to_string(&path).map_err(|e| format!("unreadable: {e}"))?;
    let shows = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("// shows: "))
        .ok_or("the first line must be `// shows: <the feature>`")?
        .to_string();
    let out = support::build_file(&path);
    if !out.diagnostics.is_empty() {
        return Err(format!(
            "a feature fixture builds without diagnostics:\n{}",
            render::human(&out.diagnostics, &out.sources, false)
        )
        .into());
    }
    let objects = out.objects.as_deref().ok_or("no objects")?;
    let yaml = prefectc::emit::yaml(objects);
    insta::with_settings!({
        snapshot_path => dir().join("snapshots"),
        prepend_module_to_snapshot => false,
        description => shows,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name.as_str(), yaml);
    });
    Ok(())
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/fixtures/lowering exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pfk"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no lowering fixtures found");
    let trials = paths
        .into_iter()
        .map(|p| {
            let name = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Trial::test(name, move || check(p))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}
