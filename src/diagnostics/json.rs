//! JSON Lines: one object per diagnostic, for editors and CI.

use serde::Serialize;

use super::{Diagnostic, Label};
use crate::source::{SourceMap, Span};

#[derive(Serialize)]
struct Location<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

impl<'a> Location<'a> {
    fn of(span: Span, sources: &'a SourceMap) -> Location<'a> {
        let f = sources.get(span.file);
        let (line, column) = f.line_col(span.start);
        let (end_line, end_column) = f.line_col(span.end);
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
    notes: &'a [String],
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
            notes: &d.notes,
        };
        out.push_str(&serde_json::to_string(&j).expect("diagnostics serialise to JSON"));
        out.push('\n');
    }
    out
}
