//! The command line as a user runs it: exit codes, JSON diagnostics, stdin,
//! and the atomic output directory.

use std::io::Write;
use std::process::{Command, Stdio};

fn prefectc() -> Command {
    Command::new(env!("CARGO_BIN_EXE_prefectc"))
}

fn examples() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

const BROKEN: &str =
    "site s { namespace = \"p\", prefect = \"3.4.25\" }\nworker w {\n  api = nowhere\n}\n";

#[test]
fn exit_codes_follow_the_contract() {
    let ok = prefectc()
        .arg("build")
        .arg(examples().join("minimal.pfk"))
        .output()
        .expect("runs");
    assert_eq!(ok.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("kind: Deployment"));

    let missing = prefectc()
        .args(["build", "/nonexistent/site.pfk"])
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(2));

    let usage = prefectc()
        .args(["build", "x.pfk", "--param", "novalue"])
        .output()
        .expect("runs");
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn stdin_and_json_diagnostics() {
    let mut child = prefectc()
        .args(["check", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(BROKEN.as_bytes())
        .expect("writes");
    let out = child.wait_with_output().expect("finishes");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let first: serde_json::Value =
        serde_json::from_str(text.lines().next().expect("a line")).expect("JSON");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "<stdin>");
    for key in [
        "code",
        "message",
        "line",
        "column",
        "end_line",
        "end_column",
        "labels",
        "help",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    let codes: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        codes.contains(&"E0201".to_string()) || codes.contains(&"E0303".to_string()),
        "{codes:?}"
    );
}

#[test]
fn output_directory_is_replaced_atomically() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("deploy");
    let ok = prefectc()
        .arg("build")
        .arg(examples().join("minimal.pfk"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let kustomization = std::fs::read_to_string(out.join("kustomization.yaml")).expect("written");
    assert!(kustomization.contains("deployment-k8s.yaml"));
    let before: Vec<_> = std::fs::read_dir(&out)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();

    // A failed build leaves the directory exactly as it was.
    let broken = tmp.path().join("broken.pfk");
    std::fs::write(&broken, BROKEN).expect("writes");
    let failed = prefectc()
        .arg("build")
        .arg(&broken)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(failed.status.code(), Some(1));
    let after: Vec<_> = std::fs::read_dir(&out)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(before, after);
    assert_eq!(
        std::fs::read_to_string(out.join("kustomization.yaml")).expect("kept"),
        kustomization
    );
}

#[test]
fn explain_prints_a_long_explanation() {
    let out = prefectc()
        .args(["explain", "E0301"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("E0301"));
    let unknown = prefectc()
        .args(["explain", "E9999"])
        .output()
        .expect("runs");
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn kubernetes_flag_overrides_the_site_version() {
    let run = |version: &str| {
        prefectc()
            .arg("build")
            .arg(examples().join("scheduling.pfk"))
            .args(["--kubernetes", version])
            .output()
            .expect("runs")
    };
    let newer = run("1.37");
    assert_eq!(newer.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&newer.stdout).contains("enforce-version: v1.37"));

    let old = run("1.30");
    assert_eq!(
        old.status.code(),
        Some(0),
        "outside the window is a warning"
    );
    assert!(String::from_utf8_lossy(&old.stderr).contains("W0503"));

    assert_eq!(
        run("latest").status.code(),
        Some(2),
        "not a version: a usage error"
    );
}

#[test]
fn today_must_be_a_day_of_the_calendar() {
    for (date, why) in [
        ("9999-99-99", "there is no month 99"),
        ("2026-02-30", "February 2026 has 28 days"),
        ("2100-02-29", "February 2100 has 28 days"),
        ("2026-2-3", "not a date of the form YYYY-MM-DD"),
    ] {
        let out = prefectc()
            .args(["check"])
            .arg(examples().join("minimal.pfk"))
            .args(["--today", date])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{date}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why), "{date}: {err}");
    }
    let leap = prefectc()
        .args(["check"])
        .arg(examples().join("minimal.pfk"))
        .args(["--today", "2028-02-29"])
        .output()
        .expect("runs");
    assert_eq!(leap.status.code(), Some(0));
}

#[test]
fn max_components_sets_the_cap_and_refuses_what_is_no_number_of_components() {
    // `check` of the minimal example (four components) with these options.
    let check = |options: &[&str]| {
        prefectc()
            .arg("check")
            .args(options)
            .arg(examples().join("minimal.pfk"))
            .output()
            .expect("runs")
    };
    let capped = check(&["--max-components", "2", "--format", "json"]);
    assert_eq!(capped.status.code(), Some(1));
    let text = String::from_utf8_lossy(&capped.stdout);
    assert!(
        text.contains("\"E0313\"") && text.contains("more than 2 components"),
        "{text}"
    );
    assert_eq!(
        check(&["--max-components", "110000"]).status.code(),
        Some(0)
    );
    for bad in ["0", "2.5", "many", "200001"] {
        let out = check(&["--max-components", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("number of components from 1 to 200000"),
            "{bad}: {err}"
        );
    }
}
