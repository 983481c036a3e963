//! Between the compiler's byte offsets and the protocol's positions (lines
//! and UTF-16 columns), between paths and `file://` URIs, and from
//! [`crate::diagnostics::Diagnostic`] to the protocol's diagnostics.
//!
//! Every conversion clamps: a position past the end of a line or of the
//! text, or inside a UTF-16 surrogate pair, lands on the nearest character
//! boundary before it, never on a panic.

use std::path::{Path, PathBuf};

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range,
    Uri,
};

use crate::diagnostics::{Diagnostic, Severity};
use crate::source::Span;

/// Line starts of one text, for offset ↔ position conversions.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text`.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, line_starts }
    }

    /// The position of a byte offset (clamped to the text, and back to a
    /// character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|s| *s <= offset) - 1;
        let start = self.line_starts[line];
        let character = self.text[start..offset]
            .chars()
            .map(char::len_utf16)
            .sum::<usize>();
        Position::new(line as u32, character as u32)
    }

    /// The byte offset of a position: a line past the end is the end of the
    /// text, a column past the end of its line is the end of the line (before
    /// its `\r\n` or `\n`), a column inside a surrogate pair is the start of
    /// its character.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.line_starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self
            .line_starts
            .get(position.line as usize + 1)
            .map(|e| e - 1)
            .unwrap_or(self.text.len());
        let line = self.text[start..end].trim_end_matches('\r');
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            units += c.len_utf16();
            if units > position.character as usize {
                return start + i;
            }
        }
        start + line.len()
    }

    /// The range of the bytes `start..end` (clamped like [`Self::position`]).
    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end.max(start)))
    }

    /// The range of the whole text.
    pub fn full_range(&self) -> Range {
        self.range(0, self.text.len())
    }
}

/// A `file://` URI for an absolute path, percent-encoding what a URI path
/// cannot hold.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let mut text = String::from("file://");
    let raw = path.to_string_lossy().replace('\\', "/");
    if !raw.starts_with('/') {
        text.push('/');
    }
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=@".contains(&b) {
            text.push(b as char);
        } else {
            text.push_str(&format!("%{b:02X}"));
        }
    }
    text.parse().ok()
}

/// The path of a `file://` URI; for any other scheme, its path as a
/// relative path, so that unsaved buffers (`untitled:…`) are still analysed.
pub fn uri_to_path(uri: &Uri) -> PathBuf {
    let path = percent_decode(uri.path().as_str());
    let is_file = uri.scheme().is_some_and(|s| s.as_str() == "file");
    if !is_file {
        return PathBuf::from(path.trim_start_matches('/'));
    }
    // `file:///C:/x` on Windows: drop the slash before the drive letter.
    let bytes = path.as_bytes();
    if cfg!(windows) && bytes.len() > 2 && bytes[0] == b'/' && bytes[2] == b':' {
        return PathBuf::from(&path[1..]);
    }
    PathBuf::from(path)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One compiler diagnostic as the protocol's: the code (or rule id) as
/// `code`, the message as the CLI prints it, then the primary label, the
/// help and the notes on lines of their own; secondary labels become related
/// information at their own locations. `locate` gives a span's URI and
/// range (`None` for a file the editor cannot show).
pub fn diagnostic(
    d: &Diagnostic,
    locate: &dyn Fn(Span) -> Option<(Uri, Range)>,
) -> Option<lsp_types::Diagnostic> {
    let (_, range) = locate(d.primary.span)?;
    let mut message = d.message.clone();
    if !d.primary.message.is_empty() {
        message.push_str(&format!("\n{}", d.primary.message));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    for note in &d.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter_map(|l| {
            let (uri, range) = locate(l.span)?;
            Some(DiagnosticRelatedInformation {
                location: Location::new(uri, range),
                message: l.message.clone(),
            })
        })
        .collect();
    // The suggestion travels with the diagnostic: a client asks for code
    // actions with the diagnostics it was given, so the quick fix needs no
    // state in the server.
    let data = d.suggestion.as_ref().and_then(|s| {
        let (uri, range) = locate(s.span)?;
        Some(serde_json::json!({
            "fix": { "uri": uri, "range": range, "newText": s.replacement },
        }))
    });
    Some(lsp_types::Diagnostic {
        range,
        data,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Note => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        source: Some("prefectc".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..lsp_types::Diagnostic::default()
    })
}

/// The quick fix of a diagnostic published by [`diagnostic`]: the edit of
/// its suggestion, kept in its `data`. `None` for a diagnostic without one.
// `WorkspaceEdit::changes` is keyed by `Uri` (lsp_types' choice); nothing
// mutates a key while it is in the map.
#[allow(clippy::mutable_key_type)]
pub fn quick_fix(d: &lsp_types::Diagnostic) -> Option<lsp_types::CodeAction> {
    let fix = d.data.as_ref()?.get("fix")?;
    let uri: Uri = serde_json::from_value(fix.get("uri")?.clone()).ok()?;
    let range: Range = serde_json::from_value(fix.get("range")?.clone()).ok()?;
    let new_text = fix.get("newText")?.as_str()?.to_string();
    let title = format!("Replace with `{}`", new_text.trim());
    let edit = lsp_types::TextEdit::new(range, new_text);
    let changes = std::collections::HashMap::from([(uri, vec![edit])]);
    Some(lsp_types::CodeAction {
        title,
        kind: Some(lsp_types::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![d.clone()]),
        edit: Some(lsp_types::WorkspaceEdit::new(changes)),
        is_preferred: Some(true),
        ..lsp_types::CodeAction::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        let text = "a = \"é𝄞x\"\nb\r\nlast";
        let index = LineIndex::new(text);
        let x = text.find('x').expect("in the text");
        // `é` is one unit, `𝄞` two.
        assert_eq!(index.position(x), Position::new(0, 8));
        assert_eq!(index.offset(Position::new(0, 8)), x);
        assert_eq!(index.position(text.len()), Position::new(2, 4));
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "a𝄞\r\nb\n";
        let index = LineIndex::new(text);
        // Past the end of a line: the end of the line, before `\r\n`.
        assert_eq!(index.offset(Position::new(0, 99)), 5);
        // Inside the surrogate pair: the start of the character.
        assert_eq!(index.offset(Position::new(0, 2)), 1);
        // Past the last line: the end of the text.
        assert_eq!(index.offset(Position::new(9, 0)), text.len());
        // A byte offset inside a character, or past the end.
        assert_eq!(index.position(2), Position::new(0, 1));
        assert_eq!(index.position(999), Position::new(2, 0));
    }

    #[test]
    fn paths_round_trip_through_uris() {
        let path = Path::new("/tmp/my site/ä#1.pfk");
        let uri = path_to_uri(path).expect("a valid URI");
        assert_eq!(uri.as_str(), "file:///tmp/my%20site/%C3%A4%231.pfk");
        assert_eq!(uri_to_path(&uri), path);
    }
}
