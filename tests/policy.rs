//! Policy fixtures: `tests/fixtures/policy/<case>.pfk`.
//!
//! A fixture's first line says what it shows:
//! - `// expect: RULE @ LINE`: the build reports RULE with its primary span
//!   on LINE, not waived (a waived finding is not in the diagnostics and has
//!   severity `note`), and with the severity the specification gives RULE
//!   under the fixture's profile (`policy = …`, `restricted` when unset):
//!   the levels of `tests/spec/POLICY.md` and `docs/policy.md`, read by
//!   `tests/support/spec.rs`, never the compiler's catalogue. A compiler
//!   code is an error when it starts with `E`, a warning with `W`. A leading
//!   comment line `// severity: error|warning` overrides both. The human
//!   rendering of every diagnostic is compared with
//!   `fixtures/policy/snapshots/<case>.snap`;
//! - `// passes: RULE[, RULE…]`: the build reports none of these rules and
//!   no error at all. A finding of a listed rule that a waiver suppressed
//!   does not count as passing, unless the fixture is about that waiver
//!   (its text has an `@allow` naming the rule): then the waived finding
//!   must be there, or the waiver is doing nothing and the fixture shows
//!   nothing.
//!
//! Every rule of the catalogue has at least one fixture of each kind.
//! Waiver expiry is judged against a fixed date, 2026-06-01.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use libtest_mimic::{Arguments, Failed, Trial};
use prefectc::diagnostics::{Diagnostic, Severity, render, rules};
use prefectc::{MemoryLoader, Options, Output};

mod support;

use support::spec::{self, Level};

const TODAY: &str = "2026-06-01";

enum Expect {
    Finding {
        rule: String,
        line: usize,
        /// From a `// severity:` line; else from the specification.
        severity: Option<Severity>,
    },
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
                let severity = text
                    .lines()
                    .take_while(|l| l.starts_with("//"))
                    .find_map(|l| l.strip_prefix("// severity:"))
                    .map(|s| match s.trim() {
                        "error" => Severity::Error,
                        "warning" => Severity::Warning,
                        other => panic!("{name}: unknown severity {other:?}"),
                    });
                Expect::Finding {
                    rule: rule.trim().to_string(),
                    line: line.trim().parse().expect("a line number"),
                    severity,
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
        .get(d.primary.span.anchor.file().unwrap())
        .line_col(d.primary.span.start)
        .0
}

/// The site's profile as the fixture writes it (`restricted` when unset).
fn profile(text: &str) -> &str {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("policy"))
        .filter_map(|rest| rest.trim_start().strip_prefix('='))
        .map(str::trim)
        .find(|p| spec::PROFILES.contains(p))
        .unwrap_or("restricted")
}

/// The severity a finding of `code` must have under `profile`.
fn specified_severity(table: &[(String, [Level; 3])], code: &str, profile: &str) -> Severity {
    match spec::level_of(table, code, profile) {
        Some(Level::Error) => Severity::Error,
        Some(Level::Warn) => Severity::Warning,
        Some(Level::Off) => panic!("{code} is off under {profile}: a fixture cannot expect it"),
        None if code.starts_with('E') => Severity::Error,
        None if code.starts_with('W') => Severity::Warning,
        None => panic!("{code} is neither a rule of POLICY.md nor a compiler code"),
    }
}

/// A finding in the pod of a worker's own base job template (its notes say
/// so) is fixed in the template's Job manifest, in Kubernetes' JSON field
/// names: a help that writes a `.pfk` field (`` `proc-mount = unmasked` ``)
/// cannot be applied there. The site's own fields (`kubernetes = "1.33"`)
/// can. What is wrong, or `None`.
fn pfk_help_for_a_template(d: &Diagnostic) -> Option<String> {
    const SITE_FIELDS: &[&str] = &["kubernetes"];
    if !d.notes.iter().any(|n| n.contains("base job template")) {
        return None;
    }
    let help = d.help.as_deref().unwrap_or_default();
    help.split('`').skip(1).step_by(2).find_map(|code| {
        let (field, _) = code.split_once(" = ")?;
        let pfk = !field.is_empty()
            && field.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
            && !SITE_FIELDS.contains(&field);
        pfk.then(|| {
            format!(
                "{}: the help of a finding in a worker's own template writes the .pfk field `{code}`: {help}",
                d.code.as_str()
            )
        })
    })
}

/// A note sending the user to "the worker's own base job template" in a
/// site that wrote none (prefectc generated the template from a pool's
/// `flow-runs`, which is where the change belongs). What is wrong, or
/// `None`.
fn template_note_without_a_template(f: &Fixture, diagnostics: &[Diagnostic]) -> Option<String> {
    if f.text.contains("base-job-template") {
        return None;
    }
    diagnostics
        .iter()
        .find(|d| d.notes.iter().any(|n| n.contains("own base job template")))
        .map(|d| {
            format!(
                "{} sends the user to a base job template the site does not write: {:?}",
                d.code.as_str(),
                d.notes
            )
        })
}

/// One fixture against its header: the finding it names at its line, with
/// the severity POLICY.md gives it under the fixture's profile and not
/// waived (a failing fixture), or none of the rules it names and no error
/// (a passing one). The expectation is judged before the snapshot, so a
/// wrong finding is reported as such.
fn check_fixture(f: &Fixture, table: &[(String, [Level; 3])]) -> Result<(), Failed> {
    let out = build(f);
    let seen: Vec<String> = out
        .diagnostics
        .iter()
        .map(|d| format!("{}@{}", d.code.as_str(), line_of(&out, d)))
        .collect();
    match &f.expect {
        Expect::Finding {
            rule,
            line,
            severity,
        } => {
            let want =
                severity.unwrap_or_else(|| specified_severity(table, rule, profile(&f.text)));
            let hit = out.diagnostics.iter().any(|d| {
                d.code.as_str() == rule
                    && line_of(&out, d) == *line
                    && d.severity == want
                    && d.policy.as_ref().is_none_or(|p| p.waived_by.is_none())
            });
            if !hit {
                let seen: Vec<String> = out
                    .diagnostics
                    .iter()
                    .map(|d| {
                        format!(
                            "{}@{} {}",
                            d.code.as_str(),
                            line_of(&out, d),
                            d.severity.as_str()
                        )
                    })
                    .collect();
                return Err(format!(
                    "wanted {rule} @ {line}, {}, not waived; saw {seen:?}",
                    want.as_str()
                )
                .into());
            }
            if let Some(bad) = out.diagnostics.iter().find_map(pfk_help_for_a_template) {
                return Err(bad.into());
            }
            if let Some(bad) = template_note_without_a_template(f, &out.diagnostics) {
                return Err(bad.into());
            }
            let rendered = render::human(&out.diagnostics, &out.sources, false);
            let description = f.text.lines().nth(1).unwrap_or_default();
            let description = description.trim_start_matches("// ").to_string();
            insta::with_settings!({
                snapshot_path => dir().join("snapshots"),
                prepend_module_to_snapshot => false,
                description => description,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(f.name.as_str(), rendered);
            });
            Ok(())
        }
        Expect::Passes(rules) => {
            let mut failures = Vec::new();
            // Notes (the OpenShift SCC note) are not findings.
            let bad: Vec<String> = out
                .diagnostics
                .iter()
                .filter(|d| d.severity != Severity::Note)
                .map(|d| format!("{}@{}", d.code.as_str(), line_of(&out, d)))
                .filter(|s| rules.iter().any(|r| s.starts_with(&format!("{r}@"))))
                .collect();
            if !bad.is_empty() || out.has_errors() {
                failures.push(format!("should pass {rules:?}; saw {seen:?}"));
            }
            for rule in rules {
                let waived = out.waived.iter().any(|d| d.code.as_str() == rule);
                let about_the_waiver = f
                    .text
                    .lines()
                    .any(|l| l.contains("@allow(") && l.contains(&format!("\"{rule}\"")));
                if waived && !about_the_waiver {
                    failures.push(format!(
                        "passes {rule} only because a waiver suppressed its finding"
                    ));
                }
                if about_the_waiver && !waived {
                    failures.push(format!("its waiver of {rule} suppresses nothing"));
                }
            }
            if failures.is_empty() {
                Ok(())
            } else {
                Err(failures.join("\n").into())
            }
        }
    }
}

/// One trial per fixture (`fixture::<name>`), so a failure names its
/// fixture and every failure is reported; then the tests about the set.
fn main() -> ExitCode {
    let args = Arguments::from_args();
    let table = std::sync::Arc::new(spec::table());
    let mut trials: Vec<Trial> = fixtures()
        .into_iter()
        .map(|f| {
            let table = table.clone();
            Trial::test(format!("fixture::{}", f.name), move || {
                check_fixture(&f, &table)
            })
        })
        .collect();
    assert!(!trials.is_empty(), "no policy fixtures found");
    let whole = |name: &str, test: fn()| {
        Trial::test(name.to_string(), move || {
            std::panic::catch_unwind(test).map_err(|e| {
                e.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "panicked".to_string())
                    .into()
            })
        })
    };
    trials.push(whole(
        "every_rule_has_a_failing_and_a_passing_fixture",
        every_rule_has_a_failing_and_a_passing_fixture,
    ));
    trials.push(whole(
        "a_sysctl_refused_for_the_version_names_the_version",
        a_sysctl_refused_for_the_version_names_the_version,
    ));
    libtest_mimic::run(&args, trials).exit_code()
}

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

/// The sysctls that joined the PSS safe set in a later Kubernetes than 1.0,
/// with that minor (the Pod Security Standards page).
const SYSCTLS_SINCE: &[(&str, u32)] = &[
    ("net.ipv4.ip_local_reserved_ports", 27),
    ("net.ipv4.tcp_keepalive_time", 29),
    ("net.ipv4.tcp_fin_timeout", 29),
    ("net.ipv4.tcp_keepalive_intvl", 29),
    ("net.ipv4.tcp_keepalive_probes", 29),
    ("net.ipv4.tcp_rmem", 32),
    ("net.ipv4.tcp_wmem", 32),
];

/// A sysctl refused only because of the site's Kubernetes version says so:
/// it names the version it is safe from, and raising `site.kubernetes` to
/// that version, as the help says, makes the finding go away. One that is
/// never safe does not suggest a version.
fn a_sysctl_refused_for_the_version_names_the_version() {
    let site = |minor: u32, sysctl: &str| {
        format!(
            "site demo {{\n  namespace = \"prefect\"\n  prefect = \"3.4.25\"\n  kubernetes = \"1.{minor}\"\n}}\n\
             server prefect {{ database = sqlite {{}} }}\npool scripts {{ type = process }}\n\
             worker w {{\n  pool = scripts\n  api = prefect\n  security {{ sysctls = {{ \"{sysctl}\" = \"1\" }} }}\n}}\n"
        )
    };
    let sysctl_findings = |out: &Output| -> Vec<Diagnostic> {
        out.diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "pss/sysctls")
            .cloned()
            .collect()
    };
    for (name, since) in SYSCTLS_SINCE {
        let out = prefectc::build(
            "site.pfk",
            site(since - 1, name),
            &MemoryLoader(Vec::new()),
            &Options::default(),
        );
        let found = sysctl_findings(&out);
        assert_eq!(found.len(), 1, "{name} under 1.{}", since - 1);
        let d = &found[0];
        let help = d.help.as_deref().unwrap_or_default();
        let wanted = format!("kubernetes = \"1.{since}\"");
        assert!(
            help.contains(&wanted) && d.primary.message.contains(&format!("1.{since}")),
            "{name}: the finding does not name 1.{since}: {} / {help}",
            d.primary.message
        );
        // The help, applied.
        let out = prefectc::build(
            "site.pfk",
            site(*since, name),
            &MemoryLoader(Vec::new()),
            &Options::default(),
        );
        assert!(sysctl_findings(&out).is_empty(), "{name} under 1.{since}");
    }
    let out = prefectc::build(
        "site.pfk",
        site(37, "kernel.msgmax"),
        &MemoryLoader(Vec::new()),
        &Options::default(),
    );
    let found = sysctl_findings(&out);
    assert_eq!(found.len(), 1);
    assert!(
        !found[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("kubernetes =")
    );
}
