//! The formatter: one canonical layout for `.pfk` files (`prefectc fmt`, and
//! later the language server's formatting request).
//!
//! It works on pest's parse tree rather than the AST, because the tree keeps
//! every token as written (the AST keeps only meaning); comments, which the
//! grammar skips, are recovered from the gaps between the tree's tokens. The
//! result is checked before it is returned: it must parse to the same tree,
//! token for token, with the same comments in the same order.

mod comments;
mod layout;
mod writer;

use pest::iterators::Pair;

use crate::diagnostics::Diagnostic;
use crate::source::FileId;
use crate::syntax::{self, Rule, ast};

/// Why a text was not formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The text does not parse: the syntax diagnostics `build` reports, with
    /// spans in `FileId(0)`.
    Syntax(Vec<Diagnostic>),
    /// The formatter's own result did not survive its check: a bug in the
    /// formatter. The text is best left as it was.
    Internal(String),
}

/// Formats one file. The result is idempotent and parses to the same tree
/// (hence builds the same output); a text with a syntax error is refused.
pub fn format(text: &str) -> Result<String, FormatError> {
    // A byte-order mark is kept: formatting changes the layout, not the
    // encoding. Diagnostics are then relative to the text after it, as a
    // build reports them.
    if let Some(rest) = text.strip_prefix('\u{FEFF}') {
        return format(rest).map(|out| format!("\u{FEFF}{out}"));
    }
    let (ast, diags) = syntax::parse(FileId(0), text);
    if !diags.is_empty() {
        return Err(FormatError::Syntax(diags.sorted().0));
    }
    let file = parse_file(text)?;
    let out = layout::Formatter::new(text, &file).run(file.clone());
    let again = parse_file(&out)
        .map_err(|_| FormatError::Internal("the formatted text does not parse".to_string()))?;
    if signature(&file) != signature(&again) {
        return Err(FormatError::Internal(
            "the formatted text parses to a different tree".to_string(),
        ));
    }
    if comment_texts(text, &file) != comment_texts(&out, &again) {
        return Err(FormatError::Internal(
            "the formatted text has different comments".to_string(),
        ));
    }
    // Doc comments are hover text: each must still document the same item.
    if docs(&ast.decls) != docs(&syntax::parse(FileId(0), &out).0.decls) {
        return Err(FormatError::Internal(
            "a doc comment moved away from its declaration".to_string(),
        ));
    }
    Ok(out)
}

/// Every doc comment of the AST, in order, with a gap for each item without.
fn docs<D: std::borrow::Borrow<ast::Decl>>(decls: &[D]) -> Vec<Option<&str>> {
    let mut out = Vec::new();
    for d in decls {
        let d = d.borrow();
        out.push(d.doc.as_deref());
        match &d.kind {
            ast::DeclKind::For { body, .. } => out.extend(docs(body)),
            ast::DeclKind::Schema(s) => out.extend(s.fields.iter().map(|f| f.doc.as_deref())),
            ast::DeclKind::Enum { variants, .. } => {
                out.extend(variants.iter().map(|(_, doc)| doc.as_deref()))
            }
            ast::DeclKind::Union { variants, .. } => {
                out.extend(variants.iter().map(|v| v.doc.as_deref()))
            }
            _ => {}
        }
    }
    out
}

fn parse_file(text: &str) -> Result<Pair<'_, Rule>, FormatError> {
    let mut pairs =
        syntax::parse_tree(FileId(0), text).map_err(|d| FormatError::Syntax(d.sorted().0))?;
    pairs
        .next()
        .ok_or_else(|| FormatError::Internal("the parser returned no file".to_string()))
}

/// The tree in pre-order: each node's rule, and the text of the leaves.
fn signature<'i>(file: &Pair<'i, Rule>) -> Vec<(Rule, &'i str)> {
    file.clone()
        .into_inner()
        .flatten()
        .map(|p| {
            let leaf = comments::is_leaf(&p) && p.clone().into_inner().next().is_none();
            let (start, end) = comments::leaf_range(&p);
            let start = start - p.as_span().start();
            let text = p
                .as_str()
                .get(start..end - p.as_span().start())
                .unwrap_or("");
            (p.as_rule(), if leaf { text } else { "" })
        })
        .collect()
}

fn comment_texts(text: &str, file: &Pair<'_, Rule>) -> Vec<String> {
    let mut leaves = Vec::new();
    comments::leaves(file.clone(), &mut leaves);
    comments::collect(text, &leaves)
        .into_iter()
        .map(|c| c.text)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_spacing_and_aligns_keys() {
        let text = "worker  w{pool=p\napi   =  prefect}";
        assert_eq!(
            format(text).expect("formats"),
            "worker w {\n  pool = p\n  api  = prefect\n}\n"
        );
    }

    #[test]
    fn keeps_comments_where_they_were() {
        let text = "// head\n\n/// doc\nsite s { // open\n  a = 1 // one\n  // own\n  bb = 2\n}\n";
        let out = format(text).expect("formats");
        assert_eq!(
            out,
            "// head\n\n/// doc\nsite s {  // open\n  a  = 1  // one\n  // own\n  bb = 2\n}\n"
        );
        assert_eq!(format(&out).expect("formats again"), out);
    }

    #[test]
    fn refuses_a_syntax_error() {
        let Err(FormatError::Syntax(diags)) = format("site s {\n") else {
            panic!("a syntax error expected")
        };
        assert_eq!(diags[0].code.as_str(), "E0102");
    }

    #[test]
    fn empty_and_comment_only_files() {
        assert_eq!(format("").expect("formats"), "");
        assert_eq!(format(" \n\n").expect("formats"), "");
        assert_eq!(format("  // c  \n\n").expect("formats"), "// c\n");
    }
}

/// Comments and line breaks put into every gap between two tokens of the
/// examples and the formatter's fixtures, one gap at a time: each variant
/// formats, idempotently (`format` itself checks that nothing else changed).
#[cfg(test)]
mod gap_tests {
    use super::*;

    fn inputs(dirs: &[&str]) -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "pfk") {
                    let text = std::fs::read_to_string(&p).expect("readable");
                    if parse_file(&text).is_ok() {
                        out.push((p.display().to_string(), text));
                    }
                }
            }
        }
        out.sort();
        out
    }

    fn gaps(text: &str) -> Vec<usize> {
        let file = parse_file(text).expect("an input parses");
        let mut leaves = Vec::new();
        comments::leaves(file, &mut leaves);
        let mut gaps: Vec<usize> = leaves.iter().flat_map(|&(s, e)| [s, e]).collect();
        gaps.dedup();
        gaps
    }

    /// Puts `inserts[(gap + shift) % len]` into each gap for every `shift`
    /// in `shifts`. The empty insert removes the whitespace around the gap.
    fn check_gaps(dirs: &[&str], shifts: std::ops::Range<usize>) -> usize {
        let inserts = [
            "/* c */",
            "// c\n",
            "\n",
            "\n\n",
            " /* a\nb */ ",
            "",
            "\n/// d\n",
        ];
        let mut runs = 0;
        for (name, text) in inputs(dirs) {
            for (i, at) in gaps(&text).into_iter().enumerate() {
                for shift in shifts.clone() {
                    let insert = inserts[(i + shift) % inserts.len()];
                    let variant = if insert.is_empty() {
                        format!("{}{}", text[..at].trim_end(), text[at..].trim_start())
                    } else {
                        format!("{}{insert}{}", &text[..at], &text[at..])
                    };
                    let once = match format(&variant) {
                        Ok(once) => once,
                        // A line comment before the end of a string's line, say.
                        Err(FormatError::Syntax(_)) => continue,
                        Err(FormatError::Internal(why)) => {
                            panic!("{name} with {insert:?} at {at}: {why}\n{variant}")
                        }
                    };
                    let twice = format(&once).expect("formatted text formats");
                    assert_eq!(once, twice, "{name} with {insert:?} at {at}:\n{variant}");
                    runs += 1;
                }
            }
        }
        runs
    }

    /// One kind of insertion per gap, taking turns.
    #[test]
    fn anything_in_any_gap_formats_idempotently() {
        let dirs = ["examples", "examples/teams", "tests/fixtures/fmt"];
        assert!(check_gaps(&dirs, 0..1) > 1000);
    }

    /// Every kind in every gap: `cargo test --release -- --ignored`.
    #[test]
    #[ignore = "slow in a debug build"]
    fn everything_in_every_gap_formats_idempotently() {
        let dirs = [
            "examples",
            "examples/teams",
            "tests/fixtures/fmt",
            "tests/fixtures/diagnostics",
            "stdlib",
        ];
        check_gaps(&dirs, 0..7);
    }
}
