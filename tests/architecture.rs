//! The shape of `src/` that docs/architecture.md promises: no module imports
//! another that imports it back (at any depth), no source file longer than
//! 900 lines, and no stage after `check` reading check's value tree.
//!
//! References are found by scanning the text for `crate::a::b`, `super::a`
//! and `super::{a, b}`: enough for this code base's `use` style, and a
//! reference it cannot see only makes the test miss a cycle, never invent one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 900;

fn sources() -> BTreeMap<String, (PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&root).expect("under src");
                let mut parts: Vec<String> = rel
                    .with_extension("")
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if matches!(
                    parts.last().map(String::as_str),
                    Some("mod" | "lib" | "main")
                ) {
                    parts.pop();
                }
                let text = std::fs::read_to_string(&path).expect("a source file is UTF-8");
                out.insert(parts.join("::"), (path, text));
            }
        }
    }
    out
}

/// The text without line comments and without the unit tests at the end
/// (tests may use anything).
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Paths written after `prefix` (`crate::`, `super::`), as `a::b::c`.
fn paths_after(text: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().last();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for item in inner.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
            continue;
        }
        let path: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        out.push(path.trim_end_matches(':').to_string());
    }
    out
}

/// The longest module of `modules` that `path` names.
fn module_of(path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|m| modules.contains(m))
}

/// Module → the modules it refers to, neither its ancestors nor its descendants.
fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let files = sources();
    let modules: BTreeSet<String> = files.keys().cloned().collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, (_, text)) in &files {
        let text = code(text);
        let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
        let mut targets = paths_after(&text, "crate::");
        for p in paths_after(&text, "super::") {
            targets.push(if parent.is_empty() {
                p
            } else {
                format!("{parent}::{p}")
            });
        }
        for target in targets {
            let Some(t) = module_of(&target, &modules) else {
                continue;
            };
            let related = t == *module
                || t.starts_with(&format!("{module}::"))
                || module.starts_with(&format!("{t}::"));
            if !related {
                edges.entry(module.clone()).or_default().insert(t);
            }
        }
    }
    edges
}

/// The graph with every module cut to its first `depth` segments, keeping
/// only edges inside one top-level module when `depth > 1`.
fn at_depth(
    edges: &BTreeMap<String, BTreeSet<String>>,
    depth: usize,
) -> BTreeMap<String, BTreeSet<String>> {
    let cut = |m: &str| m.split("::").take(depth).collect::<Vec<_>>().join("::");
    let top = |m: &str| m.split("::").next().unwrap_or("").to_string();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in edges {
        for to in tos {
            let (a, b) = (cut(from), cut(to));
            if a != b && (depth == 1 || top(from) == top(to)) {
                out.entry(a).or_default().insert(b);
            }
        }
    }
    out
}

/// A cycle of `graph`, if it has one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| n == node) {
            let mut c = path[i..].to_vec();
            c.push(node.to_string());
            return Some(c);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let edges = edges();
    for depth in 1..=4 {
        if let Some(c) = cycle(&at_depth(&edges, depth)) {
            panic!("an import cycle: {}", c.join(" → "));
        }
    }
}

/// Negative control: the scan sees a cycle planted in a graph of this shape.
#[test]
fn the_cycle_search_finds_a_planted_cycle() {
    let mut edges = edges();
    edges
        .entry("lower::worker".into())
        .or_default()
        .insert("lower::agent".into());
    edges
        .entry("lower::agent".into())
        .or_default()
        .insert("lower::worker".into());
    assert!(cycle(&at_depth(&edges, 2)).is_some());
    // And the references it reads are real ones.
    let stages = at_depth(&self::edges(), 1);
    assert!(stages["lower"].contains("model"), "{stages:?}");
    assert!(stages["check"].contains("model"), "{stages:?}");
}

#[test]
fn no_source_file_is_longer_than_900_lines() {
    let long: Vec<String> = sources()
        .values()
        .filter_map(|(path, text)| {
            let lines = text.lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", path.display()))
        })
        .collect();
    assert!(long.is_empty(), "split by concern: {long:?}");
}

/// After `check` the site is typed: lower, policy and the tools that read
/// the site never see check's value tree.
#[test]
fn later_stages_read_the_typed_model_only() {
    for (module, (path, text)) in sources() {
        let stage = module.split("::").next().unwrap_or("");
        if !matches!(
            stage,
            "lower" | "policy" | "emit" | "graph" | "diff" | "model"
        ) {
            continue;
        }
        let text = code(&text);
        for tree in ["check::model", "TVal", "Typed {", "Rec {", "&Rec"] {
            assert!(
                !text.contains(tree),
                "{} reads check's value tree (`{tree}`): read crate::model instead",
                path.display()
            );
        }
    }
}

/// Whether a module words diagnostics: a stage's error module
/// (`syntax::error`, `resolve::error::eval`, `check::error::rules`,
/// `policy::wording::report`, …) or the diagnostics module itself.
fn words_diagnostics(module: &str) -> bool {
    let parts: Vec<&str> = module.split("::").collect();
    parts.first() == Some(&"diagnostics")
        || parts
            .iter()
            .skip(1)
            .any(|p| *p == "error" || *p == "wording")
}

/// Diagnostics are data (issue 14): the code that finds a problem builds
/// its stage's error kind, and the wording (message, label, help, notes)
/// is written in one module per stage, so no `Diagnostic::new` elsewhere.
#[test]
fn diagnostics_are_worded_in_one_module_per_stage() {
    let mut inline = Vec::new();
    for (module, (path, text)) in sources() {
        if !words_diagnostics(&module) && code(&text).contains("Diagnostic::new(") {
            inline.push(path.display().to_string());
        }
    }
    assert!(
        inline.is_empty(),
        "word these in the stage's error module, as an error kind: {inline:?}"
    );
}

/// Negative control: the test's module filter keeps a stage module out,
/// so a `Diagnostic::new` planted there would be found.
#[test]
fn a_stage_module_is_not_a_wording_module() {
    assert!(!words_diagnostics("check::rules"));
    assert!(!words_diagnostics("lower::server"));
    assert!(!words_diagnostics("error"));
    assert!(words_diagnostics("check::error::rules"));
    assert!(words_diagnostics("policy::wording::report"));
    assert!(words_diagnostics("lower::error"));
}
