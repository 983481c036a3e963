//! `docs/components.md` is generated from the standard library; this test
//! fails when it is out of date. `UPDATE_DOCS=1 cargo test --test docs`
//! rewrites it.

use std::path::Path;

#[test]
fn components_reference_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/components.md");
    let generated = prefectc::docs::components_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).expect("docs/components.md is writable");
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/components.md is out of date: run `UPDATE_DOCS=1 cargo test --test docs`"
    );
}

#[test]
fn every_component_field_is_documented() {
    let text = prefectc::docs::components_markdown();
    for component in ["Site", "Server", "Pool", "Worker", "Agent", "Exporter"] {
        assert!(
            text.contains(&format!("### component `{component}`")),
            "{component} is missing"
        );
    }
    // A row whose description cell is empty is a field without a doc comment.
    for line in text.lines().filter(|l| l.starts_with("| `")) {
        assert!(!line.ends_with("|  |"), "undocumented: {line}");
    }
}

/// The README's tour is a site a reader will paste: it builds, under each
/// value of its param, with no error and no warning (it once stopped
/// building when two workers of one pool gained conflicting templates,
/// E0415, and nothing noticed).
#[test]
fn the_readme_tour_builds_cleanly() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let tour = readme
        .split("```pfk\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README has a pfk block");
    for env in ["staging", "prod"] {
        let mut options = prefectc::Options::default();
        options.params.insert("env".into(), env.into());
        let out = prefectc::build(
            "site.pfk",
            tour.to_string(),
            &prefectc::MemoryLoader(Vec::new()),
            &options,
        );
        let found: Vec<String> = out
            .diagnostics
            .iter()
            .filter(|d| d.is_error() || d.is_warning())
            .map(|d| format!("{} {}", d.code.as_str(), d.message))
            .collect();
        assert!(found.is_empty(), "env={env}: {found:?}");
        assert!(out.objects.is_some(), "env={env}");
    }
}
