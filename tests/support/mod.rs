//! What the oracle tests share: building a `.pfk` file or text and reading
//! the emitted YAML back as plain `serde_yaml::Value`s, the way a user (or
//! `kubectl`) sees it. Nothing here looks at the compiler's internals.

#![allow(dead_code)] // each test crate uses its own part of this module

use std::path::{Path, PathBuf};

use prefectc::source::FsLoader;
use prefectc::{MemoryLoader, Options, Output};
use serde::Deserialize;
use serde_yaml::Value;

/// The date waiver expiry is judged against, so results do not depend on the day.
pub const TODAY: &str = "2026-06-01";

pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn options() -> Options {
    Options {
        today: Some(TODAY.into()),
        ..Options::default()
    }
}

/// Builds `text` as `site.pfk` with no imports.
pub fn build_text(text: &str) -> Output {
    prefectc::build(
        "site.pfk",
        text.to_string(),
        &MemoryLoader(Vec::new()),
        &options(),
    )
}

/// Builds a file on disk, its imports read beside it.
pub fn build_file(path: &Path) -> Output {
    let text = std::fs::read_to_string(path).expect("the input is readable");
    let root = path.parent().expect("a file has a parent").to_path_buf();
    let name = path.file_name().expect("a file name").to_string_lossy();
    prefectc::build(&name, text, &FsLoader { root }, &options())
}

/// The objects of a build as YAML values, read back from the emitted text;
/// panics with the diagnostics when the build failed.
pub fn objects(out: &Output, what: &str) -> Vec<Value> {
    let objects = out.objects.as_deref().unwrap_or_else(|| {
        let errors: Vec<String> = out
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{} {}", d.code.as_str(), d.message))
            .collect();
        panic!("{what} does not build: {errors:#?}")
    });
    let yaml = prefectc::emit::yaml(objects);
    serde_yaml::Deserializer::from_str(&yaml)
        .map(|d| Value::deserialize(d).expect("the emitted YAML parses"))
        .collect()
}

/// The build roots of the examples (`examples/*.pfk`, `examples/*/site.pfk`),
/// the parity programs, the lowering fixtures (one feature each) and
/// `tests/external/everything.pfk`, sorted.
pub fn every_site() -> Vec<PathBuf> {
    let root = manifest_dir();
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root.join("examples")).expect("examples/ exists") {
        let path = entry.expect("a readable entry").path();
        if path.is_dir() {
            out.push(path.join("site.pfk"));
        } else if path.extension().is_some_and(|e| e == "pfk") {
            out.push(path);
        }
    }
    for entry in std::fs::read_dir(root.join("tests/parity")).expect("tests/parity exists") {
        let path = entry.expect("a readable entry").path();
        if path.extension().is_some_and(|e| e == "pfk") {
            out.push(path);
        }
    }
    let lowering = root.join("tests/fixtures/lowering");
    for entry in std::fs::read_dir(lowering).expect("tests/fixtures/lowering exists") {
        let path = entry.expect("a readable entry").path();
        if path.extension().is_some_and(|e| e == "pfk") {
            out.push(path);
        }
    }
    out.push(root.join("tests/external/everything.pfk"));
    out.sort();
    out
}

/// `path` relative to the crate, for messages.
pub fn short(path: &Path) -> String {
    path.strip_prefix(manifest_dir())
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

pub fn kind(o: &Value) -> &str {
    o["kind"].as_str().unwrap_or_default()
}

pub fn name(o: &Value) -> &str {
    o["metadata"]["name"].as_str().unwrap_or_default()
}

pub fn seq(v: &Value) -> &[Value] {
    v.as_sequence().map(Vec::as_slice).unwrap_or_default()
}

/// The object of this kind and name; panics when there is none.
pub fn find<'a>(all: &'a [Value], kind_: &str, name_: &str) -> &'a Value {
    all.iter()
        .find(|o| kind(o) == kind_ && name(o) == name_)
        .unwrap_or_else(|| panic!("no {kind_}/{name_} in the output"))
}

/// The pod template spec of a workload (Deployment, StatefulSet, DaemonSet,
/// ReplicaSet, Job, CronJob), or None for other kinds.
pub fn pod_template(o: &Value) -> Option<&Value> {
    match kind(o) {
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" => {
            Some(&o["spec"]["template"])
        }
        "CronJob" => Some(&o["spec"]["jobTemplate"]["spec"]["template"]),
        "Pod" => Some(o),
        _ => None,
    }
}

/// The value of env var `var` of a container, when it is a literal value.
pub fn env_value<'a>(container: &'a Value, var: &str) -> Option<&'a str> {
    seq(&container["env"])
        .iter()
        .find(|e| e["name"] == var)
        .and_then(|e| e["value"].as_str())
}

pub mod spec;

/// The chart of a parity case (`tests/parity/reference/<case>`), from its
/// name: `server-…`, `worker-…`, `exporter-…`, else the agent.
pub fn case_chart(case: &str) -> prefectc::import::Chart {
    use prefectc::import::Chart;
    match case.split('-').next() {
        Some("server") => Chart::Server,
        Some("worker") => Chart::Worker,
        Some("exporter") => Chart::Exporter,
        _ => Chart::Agent,
    }
}

/// The Prefect release the hand translation `tests/parity/<case>.pfk` pins.
pub fn case_pin(case: &str) -> String {
    let path = manifest_dir().join(format!("tests/parity/{case}.pfk"));
    let text = std::fs::read_to_string(path).expect("the case's .pfk");
    text.lines()
        .find_map(|l| l.trim().strip_prefix("prefect"))
        .and_then(|rest| rest.split('"').nth(1))
        .expect("the case pins a release")
        .to_string()
}
