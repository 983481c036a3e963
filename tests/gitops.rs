//! The Argo CD Config Management Plugin (`deploy/argocd/plugin.yaml`): its
//! own `generate` command, run as Argo CD runs it (in the application's
//! directory, with `ARGOCD_APP_PARAMETERS` and `KUBE_VERSION` set), prints
//! exactly what `prefectc build --param … --kubernetes …` prints.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The plugin's generate command and arguments, read from the manifest.
fn generate() -> (Vec<String>, Vec<String>) {
    let text = std::fs::read_to_string(root().join("deploy/argocd/plugin.yaml")).unwrap();
    let plugin: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(plugin["kind"], "ConfigManagementPlugin");
    let strings = |v: &serde_yaml::Value| -> Vec<String> {
        v.as_sequence()
            .expect("a list")
            .iter()
            .map(|s| s.as_str().expect("a string").to_string())
            .collect()
    };
    let g = &plugin["spec"]["generate"];
    (strings(&g["command"]), strings(&g["args"]))
}

/// An application directory holding the production example as `site.pfk`.
fn app() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("examples/production.pfk"),
        dir.path().join("site.pfk"),
    )
    .unwrap();
    dir
}

/// Runs the plugin's generate command in `dir` with the given environment,
/// `prefectc` on the PATH, as the sidecar would.
fn run_plugin(dir: &Path, env: &[(&str, &str)]) -> Output {
    let (command, args) = generate();
    let bin: PathBuf = Path::new(env!("CARGO_BIN_EXE_prefectc"))
        .parent()
        .unwrap()
        .to_path_buf();
    let mut cmd = Command::new(&command[0]);
    cmd.args(&command[1..])
        .args(&args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the plugin runs")
}

fn prefectc(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("prefectc runs")
}

#[test]
fn the_plugin_builds_with_the_applications_parameters_and_cluster_version() {
    let dir = app();
    let direct = prefectc(
        dir.path(),
        &[
            "build",
            "site.pfk",
            "--param",
            "env=prod",
            "--kubernetes",
            "1.36",
        ],
    );
    assert!(direct.status.success());
    for kube in ["1.36", "1.36.2", "v1.36.2", "1.36+"] {
        let out = run_plugin(
            dir.path(),
            &[
                (
                    "ARGOCD_APP_PARAMETERS",
                    r#"[{"name":"env","string":"prod"}]"#,
                ),
                ("KUBE_VERSION", kube),
            ],
        );
        assert!(
            out.status.success(),
            "{kube}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.stdout, direct.stdout, "KUBE_VERSION={kube}");
    }
    // The version reaches the compiler: a cluster outside the supported
    // window is W0503 (on stderr; stdout stays the YAML stream).
    let old = run_plugin(dir.path(), &[("KUBE_VERSION", "1.30.4")]);
    assert!(old.status.success());
    assert!(String::from_utf8_lossy(&old.stderr).contains("W0503"));
    let none = run_plugin(dir.path(), &[]);
    assert!(!String::from_utf8_lossy(&none.stderr).contains("W0503"));
    // The parameter matters: without it the site is the staging one.
    let staging = run_plugin(dir.path(), &[("KUBE_VERSION", "1.36")]);
    assert!(staging.status.success());
    assert_ne!(staging.stdout, direct.stdout);
    let direct_staging = prefectc(dir.path(), &["build", "site.pfk", "--kubernetes", "1.36"]);
    assert_eq!(staging.stdout, direct_staging.stdout);
}

#[test]
fn the_plugin_builds_another_file_and_refuses_parameters_that_are_not_text() {
    let dir = app();
    std::fs::rename(dir.path().join("site.pfk"), dir.path().join("prefect.pfk")).unwrap();
    let out = run_plugin(dir.path(), &[("ARGOCD_ENV_PFK_FILE", "prefect.pfk")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        out.stdout,
        prefectc(dir.path(), &["build", "prefect.pfk"]).stdout
    );
    let out = run_plugin(
        dir.path(),
        &[
            ("ARGOCD_ENV_PFK_FILE", "prefect.pfk"),
            (
                "ARGOCD_APP_PARAMETERS",
                r#"[{"name":"env","array":["a","b"]}]"#,
            ),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("`env` is an array"));
}

#[test]
fn params_json_takes_an_object_too_and_param_wins() {
    let dir = app();
    let object = prefectc(
        dir.path(),
        &["build", "site.pfk", "--params-json", r#"{"env": "prod"}"#],
    );
    let flag = prefectc(dir.path(), &["build", "site.pfk", "--param", "env=prod"]);
    assert!(object.status.success());
    assert_eq!(object.stdout, flag.stdout);
    let both = prefectc(
        dir.path(),
        &[
            "build",
            "site.pfk",
            "--params-json",
            r#"{"env": "staging"}"#,
            "--param",
            "env=prod",
        ],
    );
    assert_eq!(both.stdout, flag.stdout);
    let bad = prefectc(dir.path(), &["build", "site.pfk", "--params-json", "[{]"]);
    assert_eq!(bad.status.code(), Some(2));
}
