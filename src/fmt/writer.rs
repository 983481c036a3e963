//! The formatter's output: a list of lines, each with an indentation, its
//! code and an optional end-of-line comment. Keeping lines apart until the end
//! lets the formatter pad keys after the fact (`=` aligned in a block) and
//! align the comments of neighbouring lines.

/// One output line.
#[derive(Debug, Default)]
struct Line {
    indent: usize,
    code: String,
    /// A comment after the code, aligned with its neighbours when rendered.
    comment: Option<String>,
    /// A continuation of a multi-line string or block comment: printed exactly
    /// as it was written, without indentation.
    raw: bool,
}

impl Line {
    fn is_blank(&self) -> bool {
        !self.raw && self.code.is_empty() && self.comment.is_none()
    }
}

#[derive(Debug, Default)]
pub struct Writer {
    lines: Vec<Line>,
    /// No content since the last opening bracket (or the start of the file):
    /// a blank line here would be noise.
    fresh: bool,
}

impl Writer {
    pub fn new() -> Writer {
        Writer {
            lines: Vec::new(),
            fresh: true,
        }
    }

    /// Starts a new line at `indent`.
    pub fn line(&mut self, indent: usize) {
        self.lines.push(Line {
            indent,
            ..Line::default()
        });
    }

    /// The index of the current line.
    pub fn line_index(&self) -> usize {
        self.lines.len().saturating_sub(1)
    }

    /// Ends a run of items: a blank line follows, unless there already is
    /// one or nothing came since the last opening bracket.
    pub fn blank(&mut self) {
        if self.fresh || self.lines.last().is_none_or(Line::is_blank) {
            return;
        }
        self.lines.push(Line::default());
    }

    /// Marks the start of a bracketed body (or of the file).
    pub fn open(&mut self) {
        self.fresh = true;
    }

    fn current(&mut self) -> &mut Line {
        if self.lines.is_empty() {
            self.lines.push(Line::default());
        }
        self.lines.last_mut().expect("a line was just ensured")
    }

    /// Appends code to the current line. After an end-of-line comment the
    /// code moves to a continuation line, one level deeper.
    pub fn push(&mut self, text: &str) {
        self.fresh = false;
        if self.current().comment.is_some() {
            let indent = self.continuation_indent();
            self.line(indent);
        }
        self.current().code.push_str(text);
    }

    /// Appends a space unless the line is empty or already ends in one.
    pub fn space(&mut self) {
        let line = self.current();
        if line.comment.is_none() && !line.code.is_empty() && !line.code.ends_with(' ') {
            line.code.push(' ');
        }
    }

    /// Whether the current line's code ends with one of `chars`.
    pub fn ends_with(&self, chars: &[char]) -> bool {
        self.lines
            .last()
            .is_some_and(|l| l.comment.is_none() && l.code.ends_with(chars))
    }

    /// Appends text exactly as written. Its first line joins the current
    /// line; the others are raw lines.
    pub fn push_verbatim(&mut self, text: &str) {
        let mut parts = text.split('\n');
        self.push(parts.next().unwrap_or(""));
        for part in parts {
            self.lines.push(Line {
                code: part.to_string(),
                raw: true,
                ..Line::default()
            });
        }
    }

    /// Whether the current line ends in a `//` comment: nothing can follow.
    pub fn ends_in_line_comment(&self) -> bool {
        self.lines
            .last()
            .and_then(|l| l.comment.as_ref())
            .is_some_and(|c| c.starts_with("//"))
    }

    /// Attaches a comment to the end of the current line.
    pub fn trailing_comment(&mut self, text: &str) {
        self.fresh = false;
        if text.contains('\n') {
            // A multi-line block comment cannot sit in the comment column.
            self.space();
            self.push_verbatim(text);
            return;
        }
        if self.ends_in_line_comment() {
            // Nothing can follow a line comment on its line.
            let indent = self.continuation_indent();
            self.line(indent);
        }
        let line = self.current();
        // A space written before a token that the comment now precedes. (The
        // current line ends in code or a closing delimiter, never inside a
        // string, so no string loses a space.)
        let code = line.code.trim_end_matches(' ').len();
        line.code.truncate(code);
        match &mut line.comment {
            Some(c) => {
                c.push(' ');
                c.push_str(text);
            }
            None => line.comment = Some(text.to_string()),
        }
    }

    /// A comment on a line of its own.
    pub fn own_line_comment(&mut self, indent: usize, text: &str) {
        self.line(indent);
        self.push_verbatim(text);
    }

    /// Whether anything was written on the current line.
    pub fn line_is_empty(&self) -> bool {
        self.lines.last().is_none_or(Line::is_blank)
    }

    /// Inserts `n` spaces into line `index` at byte offset `at` of its code.
    pub fn pad(&mut self, index: usize, at: usize, n: usize) {
        if let Some(line) = self.lines.get_mut(index)
            && !line.raw
            && line.code.is_char_boundary(at)
        {
            line.code.insert_str(at, &" ".repeat(n));
        }
    }

    fn continuation_indent(&self) -> usize {
        self.lines
            .iter()
            .rev()
            .find(|l| !l.raw)
            .map_or(0, |l| l.indent)
            + 2
    }

    /// The text: comments of neighbouring lines at one indentation are
    /// aligned two spaces after the longest code; blank lines at the ends are
    /// dropped; the text ends in a newline unless it is empty.
    pub fn finish(mut self) -> String {
        while self.lines.last().is_some_and(Line::is_blank) {
            self.lines.pop();
        }
        let first = self.lines.iter().position(|l| !l.is_blank());
        let lines = &self.lines[first.unwrap_or(self.lines.len())..];
        let columns = comment_columns(lines);
        let mut out = String::new();
        for (line, column) in lines.iter().zip(columns) {
            if !line.raw && !line.code.is_empty() {
                out.extend(std::iter::repeat_n(' ', line.indent));
            }
            out.push_str(&line.code);
            if let Some(c) = &line.comment {
                if line.code.is_empty() {
                    out.extend(std::iter::repeat_n(' ', line.indent));
                } else {
                    let width = line.code.chars().count();
                    out.extend(std::iter::repeat_n(
                        ' ',
                        column.saturating_sub(width).max(2),
                    ));
                }
                out.push_str(c);
            }
            out.push('\n');
        }
        out
    }
}

/// For each line, the column (relative to its indentation) where its
/// comment starts: runs of consecutive commented lines with one indentation
/// share the column after their longest code.
fn comment_columns(lines: &[Line]) -> Vec<usize> {
    let mut columns = vec![0; lines.len()];
    let aligned = |l: &Line| l.comment.is_some() && !l.raw && !l.code.is_empty();
    let mut i = 0;
    while i < lines.len() {
        if !aligned(&lines[i]) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < lines.len() && aligned(&lines[j]) && lines[j].indent == lines[i].indent {
            j += 1;
        }
        let widest = lines[i..j]
            .iter()
            .map(|l| l.code.chars().count())
            .max()
            .unwrap_or(0);
        for c in &mut columns[i..j] {
            *c = widest + 2;
        }
        i = j;
    }
    columns
}
