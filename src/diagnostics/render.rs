//! Human rendering through miette: the primary label, secondary labels in the
//! same file, and labels in other files as related reports.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{Diagnostic, Label, Severity};
use crate::source::{FileId, SourceFile, SourceMap};

/// A label on a line longer than this (in bytes), or longer than this
/// itself, is shown in a window of its line: miette pads a label to its
/// column and cannot pad past 65,535, and a screen-wide snippet of a
/// megabyte line helps nobody.
const LONG_LINE: usize = 1_000;

/// Lines of context around the labels (miette shows one; the others let
/// it find where lines start).
const EXCERPT_CONTEXT_LINES: usize = 2;

/// Bytes of the line shown on each side of a label in a window.
const WINDOW_CONTEXT: usize = 40;

/// The most bytes of one label underlined in a window.
const WINDOW_LABEL: usize = 80;

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
    let masked = mask_credentials(diags, sources);
    let sources = masked.as_ref().unwrap_or(sources);
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

/// The rules whose findings point at a credential written in source.
const CREDENTIAL_RULES: &[&str] = &["secret/literal", "secret/known-format"];

/// The shortest piece of a credential also masked where else it is
/// written: a shorter one would star ordinary words of the snippets.
const MASKED_ELSEWHERE_FROM: usize = 4;

/// The sources as the snippets show them: the characters a credential
/// rule points at are written as `*` (byte for byte, so that every span,
/// line and column stays where it is; quotes and line breaks are kept), in
/// every diagnostic that shows that line, and so is the same text wherever
/// else it is written (under a name no rule flags, on the line above). A
/// build log never repeats the credential it reports. `None` when no
/// finding points at one.
fn mask_credentials(diags: &[Diagnostic], sources: &SourceMap) -> Option<SourceMap> {
    let spans: Vec<_> = diags
        .iter()
        .filter(|d| CREDENTIAL_RULES.contains(&d.code.as_str()))
        .map(|d| d.primary.span)
        .collect();
    if spans.is_empty() {
        return None;
    }
    // The credentials' texts, between their quotes and line breaks.
    let mut pieces: Vec<&str> = spans
        .iter()
        .filter_map(|s| {
            let text = sources.get(file_of(*s)).text.as_ref();
            text.get(s.start as usize..(s.end as usize).min(text.len()))
        })
        .flat_map(|t| t.split(['"', '\n', '\r']))
        .filter(|p| p.len() >= MASKED_ELSEWHERE_FROM)
        .collect();
    pieces.sort_unstable();
    pieces.dedup();
    let elsewhere = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(&pieces)
        .ok();
    let mut masked = SourceMap::default();
    for (id, file) in sources.files() {
        let mut mine = spans.iter().filter(|s| file_of(**s) == id).peekable();
        let found = elsewhere.as_ref().map_or(Vec::new(), |e| {
            e.find_iter(file.text.as_ref()).map(|m| m.range()).collect()
        });
        if mine.peek().is_none() && found.is_empty() {
            masked.add(file.name.clone(), file.text.clone());
            continue;
        }
        let mut text = file.text.to_string();
        let len = text.len();
        let ranges = mine.map(|s| s.start as usize..(s.end as usize).min(len));
        for range in ranges.chain(found) {
            let Some(credential) = text.get(range.clone()) else {
                continue;
            };
            // Each character becomes as many `*` as it has bytes.
            let stars: String = credential
                .chars()
                .map(|c| match c {
                    '"' | '\n' | '\r' => c.to_string(),
                    _ => "*".repeat(c.len_utf8()),
                })
                .collect();
            text.replace_range(range, &stars);
        }
        masked.add(file.name.clone(), text);
    }
    Some(masked)
}

/// The file of a span of a report: reports are placed in their files
/// ([`crate::diagnostics::Diagnostics::placed`]).
fn file_of(span: crate::source::Span) -> FileId {
    debug_assert!(span.anchor.file().is_some(), "placed in its file");
    span.anchor.file().unwrap_or_default()
}

/// One file's part of a diagnostic, as miette wants it.
struct Report<'s> {
    code: &'static str,
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    source: Source<'s>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report<'s>>,
}

impl<'s> Report<'s> {
    fn new(d: &Diagnostic, sources: &'s SourceMap) -> Report<'s> {
        let file = file_of(d.primary.span);
        let mut labels = vec![(&d.primary, true)];
        let mut elsewhere: Vec<(FileId, Vec<&Label>)> = Vec::new();
        for l in &d.secondary {
            let at = file_of(l.span);
            if at == file {
                labels.push((l, false));
            } else if let Some((_, ls)) = elsewhere.iter_mut().find(|(f, _)| *f == at) {
                ls.push(l);
            } else {
                elsewhere.push((at, vec![l]));
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
            .map(|(f, ls)| {
                let mut help = None;
                let file = sources.get(f);
                let labels: Vec<(&Label, bool)> = ls.into_iter().map(|l| (l, true)).collect();
                let (source, labels) = source_and_labels(file, &labels, &mut help);
                Report {
                    code: "",
                    severity: miette::Severity::Advice,
                    message: format!("see {}", file.name),
                    help,
                    source,
                    labels,
                    related: Vec::new(),
                }
            })
            .collect();
        let (source, labels) = source_and_labels(sources.get(file), &labels, &mut help);
        Report {
            code: d.code.as_str(),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Note => miette::Severity::Advice,
            },
            message: d.message.clone(),
            help,
            source,
            labels,
            related,
        }
    }
}

/// What miette reads for one report's labels (the first is the anchor): the
/// whole file, or, when a label is on a very long line, a window of the
/// anchor's line with `…` on the sides. Labels outside the window become
/// notes in `help`, with their line and column.
fn source_and_labels<'s>(
    file: &'s SourceFile,
    labels: &[(&Label, bool)],
    help: &mut Option<String>,
) -> (Source<'s>, Vec<LabeledSpan>) {
    let long = labels.iter().any(|(l, _)| on_long_line(file, l));
    if !long {
        // The lines around the labels, not the whole file: miette reads its
        // source from the start for every label, which for a large file with
        // many diagnostics would be quadratic.
        let text = file.text.as_ref();
        let from = labels
            .iter()
            .map(|(l, _)| l.span.start as usize)
            .min()
            .unwrap_or(0);
        let to = labels
            .iter()
            .map(|(l, _)| l.span.end as usize)
            .max()
            .unwrap_or(0);
        let start = lines_before(text, from, EXCERPT_CONTEXT_LINES);
        let end = lines_after(text, to, EXCERPT_CONTEXT_LINES);
        let spans = labels
            .iter()
            .map(|(l, primary)| labeled(l, l.span.start as usize - start, *primary))
            .collect();
        let source = Source {
            name: file.name.clone(),
            text: &text[start..end],
            first_line: file.line_col(start as u32).0 - 1,
            file: Some((file, start)),
            window: None,
        };
        return (source, spans);
    }
    let text = file.text.as_ref();
    let anchor = labels[0].0.span;
    let (line, column) = file.line_col(anchor.start);
    let line_start = text[..anchor.start as usize]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line_end = text[anchor.start as usize..]
        .find('\n')
        .map_or(text.len(), |i| anchor.start as usize + i);
    let start = floor_char(
        text,
        (anchor.start as usize)
            .saturating_sub(WINDOW_CONTEXT)
            .max(line_start),
    );
    let shown = anchor.len().min(WINDOW_LABEL);
    let end = ceil_char(
        text,
        (anchor.start as usize + shown + WINDOW_CONTEXT).min(line_end),
    );
    let prefix = if start > line_start { "…" } else { "" };
    let suffix = if end < line_end { "…" } else { "" };
    let window = format!("{prefix}{}{suffix}", &text[start..end]);
    let mut spans = Vec::new();
    for (l, primary) in labels {
        let (from, to) = (l.span.start as usize, l.span.end as usize);
        if from >= start && from <= end {
            let to = ceil_char(text, to.min(from + WINDOW_LABEL).min(end));
            let shifted = Label {
                span: crate::source::Span::new(l.span.anchor, from, to),
                message: l.message.clone(),
            };
            spans.push(labeled(&shifted, from - start + prefix.len(), *primary));
        } else {
            let (line, column) = file.line_col(l.span.start);
            let note = format!("note: {} ({}:{line}:{column})", l.message, file.name);
            let h = help.get_or_insert_with(String::new);
            if !h.is_empty() {
                h.push('\n');
            }
            h.push_str(&note);
        }
    }
    let first_char = column - 1 - text[start..anchor.start as usize].chars().count();
    let source = Source {
        name: file.name.clone(),
        text: "",
        first_line: 0,
        file: None,
        window: Some(Window {
            text: window,
            line: line - 1,
            column: first_char,
            prefix_chars: prefix.chars().count(),
        }),
    };
    (source, spans)
}

fn on_long_line(file: &SourceFile, l: &Label) -> bool {
    let text = file.text.as_ref();
    let at = (l.span.start as usize).min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    line_end - line_start > LONG_LINE || l.span.len() > LONG_LINE
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The start of the line `lines` lines above the one holding `at`, or of
/// a nearer one: a line longer than [`LONG_LINE`] is no context, nor any
/// above it (a `for` loop's list of 10,000 items above a component's
/// header was 79 KB in each of its 10,000 diagnostics: 792 MB of text).
fn lines_before(text: &str, at: usize, lines: usize) -> usize {
    let mut start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    for _ in 0..lines {
        if start == 0 {
            break;
        }
        let above = text[..start - 1].rfind('\n').map_or(0, |i| i + 1);
        if start - 1 - above > LONG_LINE {
            break;
        }
        start = above;
    }
    start
}

/// The end (before its newline) of the line `lines` lines below the one
/// holding `at`, or of a nearer one: a line longer than [`LONG_LINE`] is
/// no context, nor any below it.
fn lines_after(text: &str, at: usize, lines: usize) -> usize {
    let mut end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    for _ in 0..lines {
        if end >= text.len() {
            break;
        }
        let below = text[end + 1..]
            .find('\n')
            .map_or(text.len(), |i| end + 1 + i);
        if below - (end + 1) > LONG_LINE {
            break;
        }
        end = below;
    }
    end
}

/// The text miette reads for a report.
#[cfg_attr(test, derive(Clone))]
struct Source<'s> {
    name: String,
    /// The lines around the labels, when there is no window.
    text: &'s str,
    /// The 0-based line of the file where `text` starts.
    first_line: usize,
    /// The file `text` is taken from, and where in it `text` starts.
    file: Option<(&'s SourceFile, usize)>,
    window: Option<Window>,
}

impl Source<'_> {
    /// How far into `text` miette may start reading for `span` with
    /// `before` lines of context, and how many lines that skips: the start
    /// of a line at least `before + 1` lines above the span's (never past
    /// `text`'s start), where miette, reading from there, finds what it
    /// finds reading from `text`'s start. miette reads from the start byte
    /// by byte for every label: a report whose labels are far apart (a
    /// warning on each worker pointing also at the site's header) read
    /// most of the file for each, quadratic in a site of thousands.
    fn skip(&self, span: &SourceSpan, before: usize) -> (usize, usize) {
        let Some((file, start)) = self.file else {
            return (0, 0);
        };
        let starts = file.snippet_line_starts();
        let line_of = |at: usize| starts.partition_point(|&s| s as usize <= at) - 1;
        let first = line_of(start);
        let line = line_of(start + span.offset());
        // One line more than asked: a label of no length at the start of
        // the text's first line ends where miette's count begins.
        let from = line.saturating_sub(before + 1).max(first);
        (starts[from] as usize - start, from - first)
    }
}

/// A piece of one long line, shown instead of the file.
#[cfg_attr(test, derive(Clone))]
struct Window {
    /// The piece, with `…` where the line goes on.
    text: String,
    /// The 0-based line of the file it is taken from.
    line: usize,
    /// The 0-based column (in characters) of its first character of the
    /// file, after `prefix_chars` characters of `…`.
    column: usize,
    prefix_chars: usize,
}

impl SourceCode for Source<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let Some(w) = &self.window else {
            let (skip, lines) = self.skip(span, before);
            let from = SourceSpan::new((span.offset() - skip).into(), span.len());
            let c = self.text[skip..].read_span(&from, before, after)?;
            return Ok(Box::new(MietteSpanContents::new_named(
                self.name.clone(),
                c.data(),
                SourceSpan::new((c.span().offset() + skip).into(), c.span().len()),
                self.first_line + lines + c.line(),
                c.column(),
                // miette counts the lines from the start of what it reads
                // and compares that with line numbers when it merges
                // snippets: count from the start of the file, as it would.
                self.first_line + lines + c.line_count(),
            )));
        };
        let c = w.text.as_str().read_span(span, before, after)?;
        // Lines and columns are the file's, so that the header points at the
        // right place; the window has one line.
        // miette counts bytes; the file's columns are characters.
        let before = floor_char(&w.text, c.column().min(w.text.len()));
        let chars = w.text[..before].chars().count();
        let column = (w.column + chars).saturating_sub(w.prefix_chars);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            c.data(),
            *c.span(),
            w.line + c.line(),
            column,
            c.line_count(),
        )))
    }
}

/// A miette label for `l`, starting at `offset` of the text miette reads.
fn labeled(l: &Label, offset: usize, primary: bool) -> LabeledSpan {
    let span = SourceSpan::new(offset.into(), l.span.len());
    let text = (!l.message.is_empty()).then(|| l.message.clone());
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What miette reads for a span is the same whether the renderer hands
    /// it the text from its start or from a few lines above the span
    /// (`Source::skip`): every span of a text with each kind of line break
    /// (`\n`, `\r\n`, a lone `\r`, empty lines), of no length and longer,
    /// with no context and with some.
    #[test]
    fn reading_from_near_the_span_reads_what_reading_from_the_start_reads() {
        let text = "site s {\r\n  a = 1\n\n\r\n  b = \"x\"\r\r  c = 2\n}\n\n// end\r\nworker w {\n  pool = p\n}";
        let file = SourceFile::new("t.pfk".into(), text.to_string());
        let near = Source {
            name: "t.pfk".into(),
            text,
            first_line: 0,
            file: Some((&file, 0)),
            window: None,
        };
        let from_start = Source {
            file: None,
            ..near.clone()
        };
        let mut skipped = 0;
        for offset in 0..=text.len() {
            for len in [0, 1, 3, 12] {
                for (before, after) in [(0, 0), (1, 1), (2, 2), (0, 2), (3, 1)] {
                    let span = SourceSpan::new(offset.into(), len);
                    let read = |s: &Source| {
                        s.read_span(&span, before, after).map(|c| {
                            (
                                c.data().to_vec(),
                                *c.span(),
                                c.line(),
                                c.column(),
                                c.line_count(),
                            )
                        })
                    };
                    let (a, b) = (read(&near), read(&from_start));
                    assert_eq!(
                        format!("{a:?}"),
                        format!("{b:?}"),
                        "span {offset}+{len}, context {before}/{after}"
                    );
                    skipped += usize::from(near.skip(&span, before).0 > 0);
                }
            }
        }
        assert!(
            skipped > 500,
            "the text is read from near the span ({skipped})"
        );
    }
}
