//! Policy fixtures: `tests/fixtures/policy/<case>.pfk`.
//!
//! A fixture's first line says what it shows:
//! - `// expect: RULE @ LINE`: the build reports RULE (not waived) with its
//!   primary span on LINE; the human rendering of every diagnostic is
//!   compared with `fixtures/policy/snapshots/<case>.snap`;
//! - `// passes: RULE[, RULE…]`: the build reports none of these rules and
//!   no error at all.
//!
//! Every rule of the catalogue has at least one fixture of each kind.
//! Waiver expiry is judged against a fixed date, 2026-06-01.

use std::fs;
use std::path::{Path, PathBuf};

use prefectc::diagnostics::{Diagnostic, Severity, render, rules};
use prefectc::{MemoryLoader, Options, Output};

const TODAY: &str = "2026-06-01";

enum Expect {
    Finding { rule: String, line: usize },
    Passes(Vec<String>),
}

struct Fixture {
    name: String,
    text: String,
    expect: Expect,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy")
}

fn fixtures() -> Vec<Fixture> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir())
        .expect("the policy fixtures directory exists")
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "pfk"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = fs::read_to_string(&path).unwrap();
            let first = text.lines().next().unwrap_or_default();
            let expect = if let Some(rest) = first.strip_prefix("// expect:") {
                let (rule, line) = rest
                    .split_once('@')
                    .unwrap_or_else(|| panic!("{name}: `// expect: RULE @ LINE`"));
                Expect::Finding {
                    rule: rule.trim().to_string(),
                    line: line.trim().parse().expect("a line number"),
                }
            } else if let Some(rest) = first.strip_prefix("// passes:") {
                Expect::Passes(rest.split(',').map(|r| r.trim().to_string()).collect())
            } else {
                panic!("{name}: the first line must be `// expect: …` or `// passes: …`")
            };
            Fixture { name, text, expect }
        })
        .collect()
}

fn build(f: &Fixture) -> Output {
    let options = Options {
        today: Some(TODAY.to_string()),
        ..Options::default()
    };
    prefectc::build(
        &format!("{}.pfk", f.name),
        f.text.clone(),
        &MemoryLoader(Vec::new()),
        &options,
    )
}

fn line_of(out: &Output, d: &Diagnostic) -> usize {
    out.sources
        .get(d.primary.span.file)
        .line_col(d.primary.span.start)
        .0
}

#[test]
fn every_policy_fixture_behaves_as_its_header_says() {
    let mut failures = Vec::new();
    for f in fixtures() {
        let out = build(&f);
        let seen: Vec<String> = out
            .diagnostics
            .iter()
            .map(|d| format!("{}@{}", d.code.as_str(), line_of(&out, d)))
            .collect();
        match &f.expect {
            Expect::Finding { rule, line } => {
                let hit = out
                    .diagnostics
                    .iter()
                    .any(|d| d.code.as_str() == rule && line_of(&out, d) == *line);
                if !hit {
                    failures.push(format!("{}: wanted {rule} @ {line}; saw {seen:?}", f.name));
                }
                let rendered = render::human(&out.diagnostics, &out.sources, false);
                insta::with_settings!({
                    snapshot_path => dir().join("snapshots"),
                    prepend_module_to_snapshot => false,
                    description => f.text.lines().nth(1).unwrap_or_default().trim_start_matches("// "),
                    omit_expression => true,
                }, {
                    insta::assert_snapshot!(f.name.as_str(), rendered);
                });
            }
            Expect::Passes(rules) => {
                // Notes (the OpenShift SCC note) are not findings.
                let bad: Vec<String> = out
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity != Severity::Note)
                    .map(|d| format!("{}@{}", d.code.as_str(), line_of(&out, d)))
                    .filter(|s| rules.iter().any(|r| s.starts_with(&format!("{r}@"))))
                    .collect();
                if !bad.is_empty() || out.has_errors() {
                    failures.push(format!("{}: should pass {rules:?}; saw {seen:?}", f.name));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_failing_and_a_passing_fixture() {
    let all = fixtures();
    let mut missing = Vec::new();
    for rule in rules::CATALOGUE {
        let fails = all
            .iter()
            .any(|f| matches!(&f.expect, Expect::Finding { rule: r, .. } if r == rule.id));
        let passes = all
            .iter()
            .any(|f| matches!(&f.expect, Expect::Passes(rs) if rs.iter().any(|r| r == rule.id)));
        if !fails {
            missing.push(format!("{}: no failing fixture", rule.id));
        }
        if !passes {
            missing.push(format!("{}: no passing fixture", rule.id));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
