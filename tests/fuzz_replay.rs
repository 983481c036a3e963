//! The fuzz targets' properties (`fuzz/src/props.rs`, the very file the
//! cargo-fuzz targets use) replayed on stable over the committed corpus
//! (`fuzz/corpus/<target>/`) and every past crash
//! (`fuzz/regressions/<target>/`).
//!
//! A crash whose fix has not landed yet is named in
//! `fuzz/regressions/KNOWN` (`<target>/<file>` a line, `#` comments). Each
//! known case runs in a child process — a stack overflow aborts the process
//! and cannot be caught — and its outcome is printed without failing the
//! test; with `FUZZ_REPLAY_STRICT=1` a known case that now passes fails it,
//! so that the list is kept short. Every other file must pass.

#[allow(dead_code)]
#[path = "../fuzz/src/props.rs"]
mod props;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Set in a child process: the target and the file it replays alone.
const ONE_TARGET: &str = "PREFECTC_FUZZ_REPLAY_TARGET";
const ONE_FILE: &str = "PREFECTC_FUZZ_REPLAY_FILE";

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && !p
                            .file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// `fuzz/regressions/KNOWN`: `target/file` names still expected to fail.
fn known() -> Vec<String> {
    std::fs::read_to_string(fuzz_dir().join("regressions/KNOWN"))
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Runs `f` on a thread with a large stack, as the fuzzer's release build
/// has more room per frame than a debug build.
fn on_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .expect("a thread")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

#[test]
fn corpus_and_fixed_regressions_keep_their_properties() {
    let known = known();
    let mut cases = Vec::new();
    for target in props::TARGETS {
        for sub in ["corpus", "regressions"] {
            for f in files(&fuzz_dir().join(sub).join(target)) {
                let name = format!("{target}/{}", f.file_name().unwrap().to_string_lossy());
                if sub == "regressions" && known.contains(&name) {
                    continue;
                }
                cases.push((*target, f));
            }
        }
    }
    assert!(
        cases.len() >= props::TARGETS.len(),
        "the corpus is missing: {}",
        fuzz_dir().display()
    );
    let count = cases.len();
    on_big_stack(move || {
        for (target, f) in cases {
            let data = std::fs::read(&f).expect("readable");
            let result = std::panic::catch_unwind(|| props::check(target, &data));
            assert!(
                result.is_ok(),
                "{target}: {} breaks a property (see the panic above); replay it with\n  \
                 {ONE_TARGET}={target} {ONE_FILE}={} cargo test --test fuzz_replay replay_one -- --nocapture",
                f.display(),
                f.display()
            );
        }
    });
    eprintln!("{count} corpus and regression files replayed");
}

#[test]
fn known_crashes_are_replayed_in_a_child_process() {
    let strict = std::env::var_os("FUZZ_REPLAY_STRICT").is_some_and(|v| v == "1");
    let mut fixed = Vec::new();
    for name in known() {
        let (target, file) = name.split_once('/').expect("KNOWN lines are target/file");
        let path = fuzz_dir().join("regressions").join(target).join(file);
        assert!(path.is_file(), "KNOWN names a missing file: {name}");
        let out = Command::new(std::env::current_exe().expect("the test binary"))
            .args(["--exact", "replay_one", "--nocapture", "--test-threads=1"])
            .env(ONE_TARGET, target)
            .env(ONE_FILE, &path)
            .output()
            .expect("the test binary runs");
        if out.status.success() {
            eprintln!("{name}: passes now; remove it from fuzz/regressions/KNOWN");
            fixed.push(name);
        } else {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let why = stderr
                .lines()
                .find(|l| l.contains("panicked at") || l.contains("overflow"))
                .unwrap_or("(no panic message)");
            eprintln!("{name}: still fails ({}): {why}", out.status);
        }
    }
    assert!(
        !strict || fixed.is_empty(),
        "fixed, still listed in fuzz/regressions/KNOWN: {fixed:?}"
    );
}

/// Replays one file in this process when the environment names one (the
/// child of `known_crashes_are_replayed_in_a_child_process`, or by hand).
#[test]
fn replay_one() {
    let (Some(target), Some(file)) = (std::env::var_os(ONE_TARGET), std::env::var_os(ONE_FILE))
    else {
        return;
    };
    let target = target.to_string_lossy().into_owned();
    let data = std::fs::read(&file).expect("readable");
    props::check(&target, &data);
}

#[test]
fn the_credential_checker_finds_what_it_should() {
    let found = |s: &str| props::find_credential(s).map(|c| c.kind);
    let key36 = "abcdefghijklmnopqrstuvwxyz0123456789";
    assert_eq!(found(&format!("key: pnu_{key36}")), Some("Prefect API key"));
    assert_eq!(found(&format!("pnb_{key36}")), Some("Prefect API key"));
    assert_eq!(found("pnu_short"), None);
    assert_eq!(
        found("-----BEGIN RSA PRIVATE KEY-----\nMII"),
        Some("PEM private key")
    );
    assert_eq!(
        found("-----BEGIN PRIVATE KEY-----"),
        Some("PEM private key")
    );
    assert_eq!(found("-----BEGIN CERTIFICATE-----"), None);
    assert_eq!(found(&format!("ghp_{key36}")), Some("GitHub token"));
    assert_eq!(
        found("github_pat_11ABCDEFG0123456789_abcdefghijkl"),
        Some("GitHub fine-grained token")
    );
    assert_eq!(found("AKIAIOSFODNN7EXAMPLE"), Some("AWS access key id"));
    assert_eq!(found("xAKIAIOSFODNN7EXAMPLE"), None);
    assert_eq!(
        found("postgresql+asyncpg://prefect:hunter2@db:5432/prefect"),
        Some("password in a URL")
    );
    assert_eq!(
        found("redis://:hunter2@redis:6379/0"),
        Some("password in a URL")
    );
    assert_eq!(
        found("postgresql://prefect:$(DB_PASSWORD)@db/prefect"),
        None
    );
    assert_eq!(
        found("postgresql://prefect:${DB_PASSWORD}@db/prefect"),
        None
    );
    assert_eq!(found("postgresql://prefect@db/prefect"), None);
    assert_eq!(found("postgresql://prefect:@db/prefect"), None);
    assert_eq!(
        found("http://prefect.prefect.svc.cluster.local:4200/api"),
        None
    );
    assert_eq!(found("sqlite+aiosqlite:////data/prefect.db"), None);
    assert_eq!(found("https://example.com/a:b@c"), None);
}

#[test]
fn the_properties_hold_on_the_examples() {
    let site = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/minimal.pfk"))
        .expect("readable");
    on_big_stack(move || {
        for target in props::TARGETS {
            props::check(target, &site);
        }
    });
}
