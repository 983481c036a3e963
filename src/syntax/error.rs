//! The problems of parsing, as data, and their wording: every message,
//! label and help of the `syntax` stage is written here.

use crate::diagnostics::{Code, Diagnostic, IntoDiagnostic};
use crate::limits::{MAX_DEPTH, MAX_TOKENS};
use crate::source::Span;

/// A problem found while parsing one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxError {
    /// pest stopped at a token it did not expect (and no unbalanced
    /// delimiter explains it).
    Unexpected {
        span: Span,
        /// The token found, as written; empty at the end of the file.
        found: String,
        /// What the grammar expected there, as a readable list.
        expected: String,
        /// `key value` or `key: value` rewritten as `key = value`, when an
        /// `=` was expected and the line reads as a field.
        fixed: Option<String>,
        /// The grammar expected an `=` (or `+=`) there.
        wants_assign: bool,
        /// An exact fix read from the text around the token, if the
        /// mistake is a known one.
        fix: Option<TokenFix>,
    },
    /// A string opened with `"` and never closed.
    UnterminatedString { span: Span },
    /// A closer that does not match the innermost open delimiter.
    MismatchedCloser {
        span: Span,
        found: char,
        expected: char,
        opened: Span,
    },
    /// A closer with nothing open.
    UnexpectedCloser { span: Span, found: char },
    /// A delimiter still open at the end of the piece.
    Unclosed {
        span: Span,
        open: char,
        close: char,
        /// Where the closer was expected by, when it is not the opener.
        expected_by: Option<Span>,
    },
    /// The file has more than [`MAX_TOKENS`] tokens (E0313).
    TooManyTokens { span: Span },
    /// A construct nested more than [`MAX_DEPTH`] levels deep (E0106).
    NestingTooDeep {
        span: Span,
        /// What is nested there: `bracket`, `interpolation`, `` `!` ``, ….
        what: &'static str,
    },
    /// A block key written as a string with `${…}` in it.
    InterpolatedKey {
        span: Span,
        /// The key with each interpolation replaced by a name.
        example: String,
    },
    /// A `\` escape that is not one of the valid ones.
    InvalidEscape { span: Span, escape: String },
}

/// A mistake at an unexpected token whose fix is known exactly: the text at
/// `span` is replaced by what the variant says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenFix {
    /// A name with upper-case letters (`ETL`, `myPool`): `name` is it in
    /// lower-case with hyphens.
    LowerCase { span: Span, name: String },
    /// A version written as a number with two dots (`3.4.25`): `text` is
    /// it as written, to be quoted.
    QuoteVersion { span: Span, text: String },
    /// A YAML list, one `- item` per line: `items` are the items as
    /// written; `span` runs from after the `=` to the end of the last one.
    List { span: Span, items: Vec<String> },
}

impl IntoDiagnostic for SyntaxError {
    fn into_diagnostic(self) -> Diagnostic {
        match self {
            SyntaxError::Unexpected {
                span,
                found,
                expected,
                fixed,
                wants_assign,
                fix,
            } => {
                let shown = if found.is_empty() {
                    "end of file".to_string()
                } else {
                    format!("`{found}`")
                };
                let d = Diagnostic::new(Code::SyntaxError, span, format!("unexpected {shown}"))
                    .label(format!("expected {expected}"));
                if let Some(fix) = fix {
                    match fix {
                        TokenFix::LowerCase { span, name } => d
                            .help(format!("names are lower-case, with hyphens: `{name}`"))
                            .suggest(span, name),
                        TokenFix::QuoteVersion { span, text } => d
                            .help(format!("a version is text: quote it, `\"{text}\"`"))
                            .suggest(span, format!("\"{text}\"")),
                        TokenFix::List { span, items } => {
                            let list = format!("[{}]", items.join(", "));
                            d.help(format!(
                                "a list is written in brackets, not as YAML's `- item` lines: \
                                 `{list}`"
                            ))
                            .suggest(span, format!(" {list}"))
                        }
                    }
                } else if let Some(fixed) = fixed {
                    d.help(format!("fields are set with `=`: `{fixed}`"))
                } else if found.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                    d.help("names are lower-case, with hyphens: `my-pool`")
                } else if found == ":" || wants_assign {
                    d.help("fields are set with `=`: `replicas = 2`")
                } else {
                    d
                }
            }
            SyntaxError::UnterminatedString { span } => {
                Diagnostic::new(Code::UnclosedDelimiter, span, "unterminated string")
                    .label("this string is never closed")
                    .help(
                        "close it with `\"` on the same line, or use `\"\"\"` for a multi-line \
                         string",
                    )
            }
            SyntaxError::MismatchedCloser {
                span,
                found,
                expected,
                opened,
            } => Diagnostic::new(
                Code::UnclosedDelimiter,
                span,
                format!("mismatched `{found}`"),
            )
            .label(format!("expected `{expected}` here"))
            .with_secondary(opened, "opened here"),
            SyntaxError::UnexpectedCloser { span, found } => Diagnostic::new(
                Code::UnclosedDelimiter,
                span,
                format!("unexpected closing `{found}`"),
            )
            .label("nothing is open here")
            .help("remove it, or open the block it was meant to close"),
            SyntaxError::Unclosed {
                span,
                open,
                close,
                expected_by,
            } => {
                let d =
                    Diagnostic::new(Code::UnclosedDelimiter, span, format!("unclosed `{open}`"))
                        .label(format!("this `{open}` is never closed"))
                        .help(format!("add `{close}` where the block ends"));
                match expected_by {
                    Some(by) => d.with_secondary(by, format!("`{close}` expected by here")),
                    None => d,
                }
            }
            SyntaxError::TooManyTokens { span } => Diagnostic::new(
                Code::EvaluationBudget,
                span,
                format!("evaluation budget exceeded: the file has more than {MAX_TOKENS} tokens"),
            )
            .label(format!("token {} starts here", MAX_TOKENS + 1))
            .help(
                "split the site into files that import each other, or generate fewer \
                 components with `for` loops",
            ),
            SyntaxError::NestingTooDeep { span, what } => Diagnostic::new(
                Code::NestingTooDeep,
                span,
                format!("nesting too deep: more than {MAX_DEPTH} levels"),
            )
            .label(format!(
                "this {what} is nested more than {MAX_DEPTH} levels deep"
            ))
            .help(
                "flatten it: name inner values with `let` and use the names, or move shared \
                 settings into a `template`",
            ),
            SyntaxError::InterpolatedKey { span, example } => {
                Diagnostic::new(Code::SyntaxError, span, "a key cannot be interpolated")
                    .label("a key must be a plain string")
                    .help(format!(
                        "write the key out in full, e.g. `{example:?} = …`: \
                         only values can be interpolated"
                    ))
            }
            SyntaxError::InvalidEscape { span, escape } => Diagnostic::new(
                Code::InvalidEscape,
                span,
                format!("unknown escape `{escape}`"),
            )
            .label("not a valid escape")
            .help(r#"valid escapes are \n \t \" \\ \$ and \u{hex}"#),
        }
    }
}
