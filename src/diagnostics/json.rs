//! JSON Lines: one object per diagnostic, for editors and CI.

use serde::Serialize;

use super::{Diagnostic, Label, WaivedBy};
use crate::source::{SourceMap, Span};

#[derive(Serialize)]
pub struct Location<'a> {
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl<'a> Location<'a> {
    pub fn of(span: Span, sources: &'a SourceMap) -> Location<'a> {
        let place = sources.place(span);
        let f = sources.get(place.file);
        let (line, column) = f.line_col(place.start);
        let (end_line, end_column) = f.line_col(place.end);
        Location {
            file: &f.name,
            line,
            column,
            end_line,
            end_column,
        }
    }
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    #[serde(flatten)]
    location: Location<'a>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    #[serde(flatten)]
    location: Location<'a>,
    labels: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
    /// The edit that fixes the problem, when there is one: replace the
    /// text at this location with `replacement` (the language server's
    /// quick fix; `tests/suggestions.rs` applies every one).
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<JsonSuggestion<'a>>,
    notes: &'a [String],
    /// Policy findings only: the rule id (also the code), the site's
    /// profile, and the waiver that suppresses the finding (or null).
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    profile: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waived_by: Option<Option<JsonWaiver<'a>>>,
}

/// An edit that fixes a diagnostic.
#[derive(Serialize)]
struct JsonSuggestion<'a> {
    replacement: &'a str,
    #[serde(flatten)]
    location: Location<'a>,
}

/// An `@allow` waiver in a report.
#[derive(Serialize)]
pub struct JsonWaiver<'a> {
    pub reason: &'a str,
    pub until: Option<&'a str>,
    pub owner: Option<&'a str>,
    #[serde(flatten)]
    location: Location<'a>,
}

impl<'a> JsonWaiver<'a> {
    pub fn of(w: &'a WaivedBy, sources: &'a SourceMap) -> JsonWaiver<'a> {
        JsonWaiver {
            reason: &w.reason,
            until: w.until.as_deref(),
            owner: w.owner.as_deref(),
            location: Location::of(w.span, sources),
        }
    }
}

fn label<'a>(l: &'a Label, sources: &'a SourceMap) -> JsonLabel<'a> {
    JsonLabel {
        message: &l.message,
        location: Location::of(l.span, sources),
    }
}

/// One line of JSON per diagnostic, each ending in a newline.
pub fn lines(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diags {
        let j = JsonDiagnostic {
            code: d.code.as_str(),
            severity: d.severity.as_str(),
            message: &d.message,
            location: Location::of(d.primary.span, sources),
            labels: std::iter::once(&d.primary)
                .chain(&d.secondary)
                .map(|l| label(l, sources))
                .collect(),
            help: d.help.as_deref(),
            suggestion: d.suggestion.as_ref().map(|s| JsonSuggestion {
                replacement: &s.replacement,
                location: Location::of(s.span, sources),
            }),
            notes: &d.notes,
            rule: d.policy.as_ref().map(|_| d.code.as_str()),
            profile: d.policy.as_ref().map(|p| p.profile),
            waived_by: d
                .policy
                .as_ref()
                .map(|p| p.waived_by.as_ref().map(|w| JsonWaiver::of(w, sources))),
        };
        out.push_str(&serde_json::to_string(&j).expect("diagnostics serialise to JSON"));
        out.push('\n');
    }
    out
}
