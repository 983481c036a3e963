//! SARIF 2.1.0, as GitHub code scanning reads it: every rule (policy rules
//! and the compiler's own codes) in `tool.driver.rules`, one result per
//! diagnostic with its `.pfk` location, and the waived policy findings under
//! `runs[0].properties.waivers` (GitHub ignores `suppressions`).

use serde_json::{Value, json};

use super::json::{JsonWaiver, Location};
use super::rules::{self, Level, Rule};
use super::{Code, Diagnostic, Severity};
use crate::source::{SourceMap, Span};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where the long form of a rule's standard lives.
fn help_uri(rule: &Rule) -> &'static str {
    let family = rule.id.split('/').next().unwrap_or_default();
    match family {
        "pss" => "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
        "rbac" => "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "secret" => "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
        "net" => "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
        "image" => "https://kubernetes.io/docs/concepts/containers/images/",
        "sa" => {
            "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
        }
        "prefect" => "https://docs.prefect.io/v3/advanced/self-hosted",
        _ => "https://kubernetes.io/docs/concepts/security/security-checklist/",
    }
}

/// GitHub's 0–10 scale: what breaking the rule exposes.
fn security_severity(rule: &Rule) -> &'static str {
    match rule.id {
        "pss/privileged" | "pss/host-namespaces" | "rbac/escalation" | "secret/literal" => "9.0",
        "secret/known-format" => "9.5",
        _ if rule.baseline == Level::Error => "8.0",
        _ if rule.restricted == Level::Error => "6.5",
        _ => "4.0",
    }
}

/// The ids other scanners use for the same check, as tags.
fn tags(rule: &Rule) -> Vec<String> {
    let mut t = vec!["security".to_string(), "kubernetes".to_string()];
    t.extend(
        rule.anchors
            .split([',', ';'])
            .map(|s| s.trim().trim_matches('`').to_string())
            .filter(|s| !s.is_empty()),
    );
    t
}

fn level_text(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warn => "warning",
        Level::Off => "none",
    }
}

fn policy_rule(rule: &'static Rule) -> Value {
    let text = rules::explanation(rule);
    json!({
        "id": rule.id,
        "name": rule.id.replace(['/', '-'], "_"),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": first_paragraph(text)},
        "helpUri": help_uri(rule),
        "help": {"text": text, "markdown": text},
        "defaultConfiguration": {"level": level_text(rule.restricted)},
        "properties": {
            "tags": tags(rule),
            "security-severity": security_severity(rule),
            "precision": "very-high",
        },
    })
}

fn compiler_rule(code: Code) -> Value {
    let text = super::explanation(code.as_str()).unwrap_or_default();
    let level = if code.severity() == Severity::Error {
        "error"
    } else {
        "warning"
    };
    json!({
        "id": code.as_str(),
        "name": code.title(),
        "shortDescription": {"text": code.title()},
        "fullDescription": {"text": first_paragraph(text)},
        "help": {"text": text, "markdown": text},
        "defaultConfiguration": {"level": level},
        "properties": {"tags": ["correctness"]},
    })
}

/// The explanation's first paragraph after its title.
fn first_paragraph(md: &str) -> String {
    md.split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#'))
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn location(span: Span, sources: &SourceMap, message: Option<&str>) -> Value {
    let l = Location::of(span, sources);
    let mut v = json!({
        "physicalLocation": {
            "artifactLocation": {"uri": l.file},
            "region": {
                "startLine": l.line,
                "startColumn": l.column,
                "endLine": l.end_line,
                "endColumn": l.end_column,
            },
        },
    });
    if let Some(m) = message.filter(|m| !m.is_empty()) {
        v["message"] = json!({"text": m});
    }
    v
}

/// The result's message: the diagnostic, its help and its notes.
fn message(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    if let Some(h) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(h);
    }
    for n in &d.notes {
        text.push_str("\nnote: ");
        text.push_str(n);
    }
    text
}

fn result(d: &Diagnostic, index: usize, sources: &SourceMap) -> Value {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    let mut v = json!({
        "ruleId": d.code.as_str(),
        "ruleIndex": index,
        "level": level,
        "message": {"text": message(d)},
        "locations": [location(d.primary.span, sources, Some(&d.primary.message))],
    });
    if let Some(s) = &d.suggestion {
        // SARIF's fix: the artifact, the region deleted and the text put in
        // its place (GitHub code scanning shows it as a suggested change).
        let at = location(s.span, sources, None);
        v["fixes"] = json!([{
            "description": {"text": d.help.as_deref().unwrap_or("apply the suggested change")},
            "artifactChanges": [{
                "artifactLocation": at["physicalLocation"]["artifactLocation"],
                "replacements": [{
                    "deletedRegion": at["physicalLocation"]["region"],
                    "insertedContent": {"text": s.replacement},
                }],
            }],
        }]);
    }
    if !d.secondary.is_empty() {
        v["relatedLocations"] = d
            .secondary
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut r = location(l.span, sources, Some(&l.message));
                r["id"] = json!(i + 1);
                r
            })
            .collect();
    }
    v
}

/// The whole report of a build: its diagnostics and its waived findings.
pub fn report(diagnostics: &[Diagnostic], waived: &[Diagnostic], sources: &SourceMap) -> String {
    let mut ids: Vec<Code> = Code::ALL.to_vec();
    ids.extend(rules::CATALOGUE.iter().map(Code::Rule));
    let rules: Vec<Value> = ids
        .iter()
        .map(|c| match c {
            Code::Rule(r) => policy_rule(r),
            other => compiler_rule(*other),
        })
        .collect();
    let index = |d: &Diagnostic| ids.iter().position(|c| c.as_str() == d.code.as_str());
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| result(d, index(d).unwrap_or_default(), sources))
        .collect();
    let waivers: Vec<Value> = waived
        .iter()
        .filter_map(|d| {
            let by = d.policy.as_ref()?.waived_by.as_ref()?;
            Some(json!({
                "ruleId": d.code.as_str(),
                "message": d.message,
                "location": location(d.primary.span, sources, None),
                "waiver": JsonWaiver::of(by, sources),
            }))
        })
        .collect();
    let sarif = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "prefectc",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {"waivers": waivers},
        }],
    });
    serde_json::to_string_pretty(&sarif).expect("SARIF serialises")
}
