//! `prefectc diff OLD NEW` as a user runs it: the fixtures in
//! `tests/fixtures/diff/` each change `base.pfk` one way (the first comment
//! of each says how), the human report is pinned by a snapshot, and the exit
//! code is 0 for no change, 1 for changes, 2 for errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(format!("{name}.pfk"))
}

fn prefectc(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .arg("diff")
        .args(args)
        .output()
        .expect("prefectc runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// Runs `diff OLD NEW`, checks the exit code, and returns standard output.
fn diff(old: &Path, new: &Path, code: i32) -> String {
    let out = prefectc(&[old, new]);
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

fn snapshot(name: &str, report: &str) {
    insta::with_settings!({ snapshot_path => "snapshots/diff", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, report);
    });
}

/// `build -o` of a fixture, into a fresh directory.
fn built_dir(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = tmp.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .arg("build")
        .arg(fixture(name))
        .arg("-o")
        .arg(&dir)
        .status()
        .expect("prefectc runs");
    assert!(status.success());
    (tmp, dir)
}

/// `diff OLD NEW` of two fixtures: exit 1, a report that says `expected`,
/// pinned as snapshot `name`.
fn case(name: &str, old: &str, new: &str, expected: &str) -> String {
    let report = diff(&fixture(old), &fixture(new), 1);
    assert!(report.contains(expected), "{report}");
    snapshot(name, &report);
    report
}

#[test]
fn added_objects() {
    case(
        "added",
        "base",
        "added",
        "+ Deployment prefect/metrics (added)",
    );
}

#[test]
fn removed_objects() {
    case(
        "removed",
        "added",
        "base",
        "- Deployment prefect/shell (removed)",
    );
}

#[test]
fn changed_fields() {
    let report = case("changed", "base", "changed", "~ spec.replicas: 1 → 2");
    assert!(!report.contains("refused"), "{report}");
}

#[test]
fn a_change_kubernetes_refuses_in_place_says_what_to_do() {
    let report = case(
        "immutable",
        "base",
        "immutable",
        "refused in place: spec.volumeClaimTemplates",
    );
    assert!(report.contains("--cascade=orphan"), "{report}");
}

#[test]
fn nothing_changes_exit_0() {
    let report = diff(&fixture("base"), &fixture("base"), 0);
    assert_eq!(report, "no changes\n");
}

#[test]
fn a_directory_compares_like_the_build_that_wrote_it() {
    let (_tmp, dir) = built_dir("base");
    assert_eq!(diff(&dir, &fixture("base"), 0), "no changes\n");
    assert_eq!(diff(&fixture("base"), &dir, 0), "no changes\n");
    assert_eq!(
        diff(&dir, &fixture("changed"), 1),
        diff(&fixture("base"), &fixture("changed"), 1)
    );
    let (_tmp2, added) = built_dir("added");
    assert_eq!(
        diff(&dir, &added, 1),
        diff(&fixture("base"), &fixture("added"), 1)
    );
}

#[test]
fn a_site_that_does_not_build_is_exit_2_with_its_diagnostics() {
    let out = prefectc(&[&fixture("base"), &fixture("broken")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("E0201") && stderr.contains("broken.pfk:13"),
        "{stderr}"
    );

    let missing = prefectc(&[&fixture("base"), Path::new("/nonexistent/site.pfk")]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn a_directory_that_is_not_objects_is_exit_2_with_a_code() {
    let (_tmp, dir) = built_dir("base");
    std::fs::write(
        dir.join("zz-broken.yaml"),
        "---\nkind: ConfigMap\ndata: {a: b}\n",
    )
    .expect("writable");
    let out = prefectc(&[&dir, &fixture("base")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("E0601") && stderr.contains("zz-broken.yaml:2:1"),
        "{stderr}"
    );

    std::fs::write(
        dir.join("zz-broken.yaml"),
        "---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: jobs\n  namespace: prefect\n",
    )
    .expect("writable");
    let out = prefectc(&[&dir, &fixture("base")]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("E0602") && stderr.contains("ServiceAccount prefect/jobs is listed twice"),
        "{stderr}"
    );

    std::fs::write(dir.join("zz-broken.yaml"), "---\nkind: [unclosed\n").expect("writable");
    let out = prefectc(&[&dir, &fixture("base")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("E0601"));
}

#[test]
fn json_for_machines() {
    let out = Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .arg("diff")
        .arg(fixture("base"))
        .arg(fixture("immutable"))
        .args(["--format", "json"])
        .output()
        .expect("prefectc runs");
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["added"], serde_json::json!([]));
    assert_eq!(doc["refused"], 1);
    let changed = &doc["changed"][0];
    assert_eq!(changed["kind"], "StatefulSet");
    assert_eq!(changed["name"], "prefect-postgresql");
    assert_eq!(changed["fields"][0]["old"], "8Gi");
    assert_eq!(changed["fields"][0]["new"], "16Gi");
    assert_eq!(changed["refused"][0]["field"], "spec.volumeClaimTemplates");
}

/// `--param` reaches the build of each `.pfk` side: a directory built with
/// `env=prod` equals the site built with it, not the default.
#[test]
fn params_reach_the_build() {
    let production = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/production.pfk");
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = tmp.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .arg("build")
        .arg(&production)
        .args(["--param", "env=prod", "-o"])
        .arg(&dir)
        .status()
        .expect("prefectc runs");
    assert!(status.success());
    let run = |params: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_prefectc"))
            .arg("diff")
            .arg(&dir)
            .arg(&production)
            .args(params)
            .output()
            .expect("prefectc runs")
            .status
            .code()
    };
    assert_eq!(run(&["--param", "env=prod"]), Some(0));
    assert_eq!(run(&[]), Some(1));
}
