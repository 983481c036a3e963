//! `prefectc graph`: the drawing of a small site is pinned in DOT and
//! Mermaid; Graphviz renders the DOT of every example (when `dot` is on the
//! PATH); the README's Mermaid block is the production example's drawing.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `prefectc graph FILE --format FORMAT`: standard output, after checking
/// the exit code.
fn graph(file: &Path, format: &str, code: i32) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .arg("graph")
        .arg(file)
        .args(["--format", format])
        .output()
        .expect("prefectc runs");
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn small() -> PathBuf {
    root().join("tests/fixtures/graph/small.pfk")
}

#[test]
fn a_small_site_in_dot_and_mermaid() {
    let dot = graph(&small(), "dot", 0);
    let mermaid = graph(&small(), "mermaid", 0);
    for (what, text) in [("dot", &dot), ("mermaid", &mermaid)] {
        assert_eq!(
            text,
            &graph(&small(), what, 0),
            "the same site draws the same {what}"
        );
    }
    insta::with_settings!({ snapshot_path => "snapshots/graph", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("small.dot", dot);
        insta::assert_snapshot!("small.mermaid", mermaid);
    });
}

/// What the picture must show of the small site, read from the DOT: the
/// connections its NetworkPolicies allow and none they do not.
#[test]
fn the_edges_are_what_the_policies_allow() {
    let dot = graph(&small(), "dot", 0);
    let edge = |from: &str, to: &str| {
        dot.lines()
            .find(|l| {
                l.trim_start()
                    .starts_with(&format!("\"{from}\" -> \"{to}\""))
            })
            .map(str::to_string)
    };
    let server = "Deployment/prefect/prefect";
    let label = |from: &str, to: &str| {
        let line = edge(from, to).unwrap_or_else(|| panic!("no edge {from} -> {to}:\n{dot}"));
        line.split("label=\"")
            .nth(1)
            .and_then(|l| l.split('"').next())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(label("Deployment/prefect/jobs", server), "4200");
    assert_eq!(label("Deployment/prefect/metrics", server), "4200");
    assert_eq!(
        label(server, "StatefulSet/prefect/prefect-postgresql"),
        "5432"
    );
    assert_eq!(label("flow-runs/flows", server), "4200");
    assert_eq!(label("Ingress/prefect/prefect", server), "/ → http");
    assert_eq!(
        label("Ingress/prefect/prefect", "Secret/prefect/prefect-tls"),
        "TLS"
    );
    assert_eq!(label("Deployment/prefect/jobs", "pool/jobs"), "polls");
    assert_eq!(
        label("Deployment/prefect/jobs", "flow-runs/flows"),
        "creates Jobs"
    );
    assert_eq!(
        label("Deployment/prefect/jobs", "Secret/prefect/prefect-auth"),
        "auth-string"
    );
    // The worker may not reach the database; nobody but the server may.
    for from in [
        "Deployment/prefect/jobs",
        "Deployment/prefect/metrics",
        "flow-runs/flows",
        "peer/other-namespaces",
    ] {
        assert_eq!(
            edge(from, "StatefulSet/prefect/prefect-postgresql"),
            None,
            "{from}"
        );
    }
}

/// Without NetworkPolicies every connection is allowed: none is drawn,
/// and the title says so.
#[test]
fn a_site_without_network_policies_says_so() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let file = tmp.path().join("baseline.pfk");
    let text = std::fs::read_to_string(small()).expect("readable").replace(
        "prefect   = \"3.4.25\"",
        "prefect   = \"3.4.25\"\n  policy    = baseline",
    );
    std::fs::write(&file, text).expect("writable");
    let dot = graph(&file, "dot", 0);
    assert!(dot.contains("no NetworkPolicies"), "{dot}");
    assert!(
        !dot.contains("color=\"#1d4ed8\""),
        "no network edge:\n{dot}"
    );
}

#[test]
fn errors_exit_like_build() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let broken = tmp.path().join("broken.pfk");
    std::fs::write(
        &broken,
        "site s { namespace = \"p\", prefect = \"3.4.25\" }\nworker w {\n  api = nowhere\n}\n",
    )
    .expect("writable");
    assert_eq!(graph(&broken, "dot", 1), "");
    assert_eq!(graph(&tmp.path().join("missing.pfk"), "dot", 2), "");
}

/// `examples/*.pfk`, `examples/*/site.pfk` and the shared spec's examples.
fn every_example() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [
        root().join("examples"),
        root().join("../shared/spec/examples"),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            println!(
                "note: {} is absent, its examples are not drawn",
                dir.display()
            );
            continue;
        };
        for entry in entries {
            let path = entry.expect("a readable entry").path();
            if path.is_dir() && path.join("site.pfk").exists() {
                files.push(path.join("site.pfk"));
            } else if path.extension().is_some_and(|e| e == "pfk") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Graphviz renders the DOT of every example. Without `dot` on the PATH
/// the drawings are still built, and the test says that it rendered none.
#[test]
fn graphviz_renders_every_example() {
    let files = every_example();
    assert!(files.len() >= 6, "the examples are found: {files:?}");
    let has_dot = Command::new("dot").arg("-V").output().is_ok();
    if !has_dot {
        println!(
            "note: Graphviz `dot` is not on the PATH; the drawings are built but not rendered"
        );
    }
    for file in files {
        let text = graph(&file, "dot", 0);
        assert!(text.starts_with("digraph site {"), "{}", file.display());
        if !has_dot {
            continue;
        }
        let mut child = Command::new("dot")
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("dot starts");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("a pipe");
            stdin.write_all(text.as_bytes()).expect("dot reads");
        }
        let out = child.wait_with_output().expect("dot ends");
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "dot -Tsvg failed on the graph of {}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
    }
}

/// The README shows `prefectc graph examples/production.pfk --format
/// mermaid`; it must be what the command prints today.
#[test]
fn the_readme_shows_the_production_graph() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let start = readme
        .find("```mermaid\n")
        .expect("README.md has a ```mermaid block")
        + "```mermaid\n".len();
    let end = start + readme[start..].find("```").expect("the block ends");
    let want = graph(&root().join("examples/production.pfk"), "mermaid", 0);
    assert_eq!(
        &readme[start..end],
        want,
        "README.md's Mermaid block is stale: replace it with the output of `prefectc graph examples/production.pfk --format mermaid`"
    );
}
