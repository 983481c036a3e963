//! Human rendering through miette: the primary label, secondary labels in the
//! same file, and labels in other files as related reports.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use super::{Diagnostic, Label, Severity};
use crate::source::{FileId, SourceMap};

/// Renders every diagnostic, separated by blank lines.
pub fn human(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
        .with_urls(false);
    let mut out = String::new();
    for d in diags {
        let report = Report::new(d, sources);
        // Writing into a String cannot fail.
        let _ = handler.render_report(&mut out, &report);
        // miette ends a report with help text without a newline.
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// One file's part of a diagnostic, as miette wants it.
struct Report {
    code: &'static str,
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    source: NamedSource<String>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

impl Report {
    fn new(d: &Diagnostic, sources: &SourceMap) -> Report {
        let file = d.primary.span.file;
        let mut labels = vec![labeled(&d.primary, true)];
        let mut elsewhere: Vec<(FileId, Vec<&Label>)> = Vec::new();
        for l in &d.secondary {
            if l.span.file == file {
                labels.push(labeled(l, false));
            } else if let Some((_, ls)) = elsewhere.iter_mut().find(|(f, _)| *f == l.span.file) {
                ls.push(l);
            } else {
                elsewhere.push((l.span.file, vec![l]));
            }
        }
        let mut help = d.help.clone();
        for n in &d.notes {
            let h = help.get_or_insert_with(String::new);
            if !h.is_empty() {
                h.push('\n');
            }
            h.push_str("note: ");
            h.push_str(n);
        }
        let related = elsewhere
            .into_iter()
            .map(|(f, ls)| Report {
                code: "",
                severity: miette::Severity::Advice,
                message: format!("see {}", sources.get(f).name),
                help: None,
                source: named(sources, f),
                labels: ls.into_iter().map(|l| labeled(l, true)).collect(),
                related: Vec::new(),
            })
            .collect();
        Report {
            code: d.code.as_str(),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Note => miette::Severity::Advice,
            },
            message: d.message.clone(),
            help,
            source: named(sources, file),
            labels,
            related,
        }
    }
}

fn named(sources: &SourceMap, f: FileId) -> NamedSource<String> {
    let file = sources.get(f);
    NamedSource::new(file.name.clone(), file.text.clone())
}

fn labeled(l: &Label, primary: bool) -> LabeledSpan {
    let span = SourceSpan::new((l.span.start as usize).into(), l.span.len());
    let text = (!l.message.is_empty()).then(|| l.message.clone());
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}
