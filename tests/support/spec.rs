//! The levels of the policy rules per profile, read from the specification
//! (`tests/spec/POLICY.md`, a copy of `../shared/spec/POLICY.md`) and the
//! sentences of `docs/policy.md` it leaves out — never from
//! `src/diagnostics/rules.rs`.
//!
//! - `baseline` and `restricted` are the two columns of POLICY.md's rule
//!   table (its header names them).
//! - POLICY.md has no `privileged` column: `docs/policy.md` ("Profiles")
//!   says every `pss/*` rule is off, `secret/literal` and `rbac/escalation`
//!   become warnings, and every other rule keeps its baseline level
//!   ([`privileged`]).
//! - `secret/known-format` is not in the table; `docs/policy.md` makes it an
//!   error under every profile ([`EXTRA_RULES`]).

use super::manifest_dir;

/// How a finding of a rule is reported under a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    Warn,
    Error,
}

pub const PROFILES: [&str; 3] = ["privileged", "baseline", "restricted"];

/// Rules whose levels the specification states outside POLICY.md's table.
const EXTRA_RULES: &[(&str, [Level; 3])] = &[(
    // docs/policy.md, "Credentials": "An error under every profile; never waivable."
    "secret/known-format",
    [Level::Error, Level::Error, Level::Error],
)];

pub fn policy_md() -> String {
    std::fs::read_to_string(manifest_dir().join("tests/spec/POLICY.md"))
        .expect("tests/spec/POLICY.md is checked in")
}

fn level(word: &str) -> Level {
    match word.trim() {
        "off" => Level::Off,
        "warn" | "warning" => Level::Warn,
        "error" => Level::Error,
        other => panic!("POLICY.md uses a level this test does not know: {other:?}"),
    }
}

/// `docs/policy.md`: under `privileged` every `pss/*` rule is off, the rules
/// that cannot be waived on a component become warnings, and the others keep
/// their baseline level.
fn privileged(id: &str, baseline: Level) -> Level {
    if id.starts_with("pss/") {
        Level::Off
    } else if id == "secret/literal" || id == "rbac/escalation" {
        Level::Warn
    } else {
        baseline
    }
}

/// Rule id → levels under [`PROFILES`], in that order.
pub fn table() -> Vec<(String, [Level; 3])> {
    let text = policy_md();
    let cells = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect()
    };
    let header = text
        .lines()
        .find(|l| l.starts_with("| id |"))
        .expect("POLICY.md has the rule table");
    let header = cells(header);
    let column = |name: &str| {
        header
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("POLICY.md's table has no `{name}` column"))
    };
    let (id_col, baseline_col, restricted_col) =
        (column("id"), column("baseline"), column("restricted"));
    let mut out: Vec<(String, [Level; 3])> = text
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let row = cells(l);
            let id = row[id_col].trim_matches('`').to_string();
            let baseline = level(&row[baseline_col]);
            let restricted = level(&row[restricted_col]);
            (
                id.clone(),
                [privileged(&id, baseline), baseline, restricted],
            )
        })
        .collect();
    for (id, levels) in EXTRA_RULES {
        out.push((id.to_string(), *levels));
    }
    out
}

/// The level of `rule` under `profile`, or None when the specification does
/// not name the rule.
pub fn level_of(table: &[(String, [Level; 3])], rule: &str, profile: &str) -> Option<Level> {
    let column = PROFILES.iter().position(|p| *p == profile)?;
    table
        .iter()
        .find(|(id, _)| id == rule)
        .map(|(_, levels)| levels[column])
}
