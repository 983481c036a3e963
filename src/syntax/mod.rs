//! Parsing: pest grammar → [`ast`]. A syntax error in one top-level
//! declaration does not hide the others: after a failed parse the file is cut
//! at declaration boundaries and each piece is parsed on its own.

pub mod ast;
mod build;
mod depth;
pub mod error;
mod flat;
mod moved;
mod parses;
mod recover;

pub use error::{SyntaxError, TokenFix};
pub use parses::Parses;
pub use recover::starts_declaration;

use pest::Parser;
use pest_derive::Parser;

use crate::diagnostics::{Diagnostics, kebab_case};
use crate::source::{Anchor, FileId, Span};

#[derive(Parser)]
#[grammar = "../grammar/prefectc.pest"]
struct PfkParser;

/// A file at least this large is parsed a few declarations at a time
/// ([`in_pieces`]), each piece's syntax tree built before the next is
/// parsed. pest records every token of what it parses in one queue, which
/// the tree is then built from: for a written-out site of 10,000 workers
/// (3.3 MB) that is a queue of about 80 MB, written once and read back
/// once, in pages the build takes only for it (docs/performance.md, "A
/// large file parsed in pieces"). Below this size the whole file is one
/// piece anyway.
const IN_PIECES_FROM: usize = 64 << 10;

/// The least a piece holds, in bytes of text (whole declarations, so one
/// larger declaration is a larger piece): its queue of tokens stays in the
/// processor's caches while its tree is built.
const PIECE_BYTES: usize = 16 << 10;

/// A file at least this large has its pieces parsed on two cores
/// ([`in_pieces`]): a written-out site of about 3,000 workers. Below,
/// the thread's start and its malloc arena cost more than they save.
const ON_BOTH_CORES_FROM: usize = 1 << 20;

/// Parses one file. Returns what could be parsed and the syntax errors.
pub fn parse(file: FileId, text: &str) -> (ast::File, Diagnostics) {
    let pieces =
        (text.len() >= IN_PIECES_FROM).then_some((PIECE_BYTES, text.len() >= ON_BOTH_CORES_FROM));
    parse_with(file, text, pieces)
}

/// [`parse`], always of the whole text at once: what [`parse`] of a
/// large file must equal (the tests and the `lsp` fuzz property hold it
/// to that).
#[doc(hidden)]
pub fn parse_whole(file: FileId, text: &str) -> (ast::File, Diagnostics) {
    parse_with(file, text, None)
}

/// The declarations of `text` parsed in pieces of at least `piece_bytes`
/// ([`in_pieces`]); `None` where the text is nested too deep or one piece
/// does not parse alone, and [`parse_whole`] must say what the text means.
/// With `both_cores`, another thread parses pieces too, as [`parse`] does
/// for a large file.
#[doc(hidden)]
pub fn parse_in_pieces(
    file: FileId,
    text: &str,
    piece_bytes: usize,
    both_cores: bool,
) -> Option<ast::File> {
    match in_pieces(file, text, piece_bytes, both_cores) {
        InPieces::Parsed(decls) => Some(ast::File::new(decls)),
        InPieces::TooDeep(_) | InPieces::Failed => None,
    }
}

/// `pieces`: the least bytes of a piece, and whether on both cores.
fn parse_with(file: FileId, text: &str, pieces: Option<(usize, bool)>) -> (ast::File, Diagnostics) {
    let mut diags = Diagnostics::default();
    // Text nested too deep is never given to pest (which recurses once per
    // level): the pieces that are not too deep are parsed on their own.
    let too_deep = match pieces {
        Some((bytes, both)) => match in_pieces(file, text, bytes, both) {
            InPieces::Parsed(decls) => return (ast::File::new(decls), diags),
            InPieces::TooDeep(e) => Some(e),
            InPieces::Failed => None,
        },
        None => depth::too_deep(file, text, 0..text.len()),
    };
    let parsed = match too_deep {
        None => PfkParser::parse(Rule::file, text).ok().and_then(root),
        // Too large to parse at all, in one piece or several.
        Some(e @ SyntaxError::TooManyTokens { .. }) => {
            diags.report(e);
            return (ast::File { decls: Vec::new() }, diags);
        }
        Some(_) => None,
    };
    match parsed {
        Some(tree) => {
            let decls = build::Builder::new((file.into(), 0), text, 0, &mut diags).file(tree);
            (ast::File::new(decls), diags)
        }
        None => {
            let mut decls = Vec::new();
            for chunk in recover::chunks(text) {
                let piece = &text[chunk.clone()];
                if let Some(e) = depth::too_deep(file, text, chunk.clone()) {
                    diags.report(e);
                    continue;
                }
                match PfkParser::parse(Rule::file, piece) {
                    Ok(pairs) => {
                        let mut builder =
                            build::Builder::new((file.into(), 0), text, chunk.start, &mut diags);
                        decls.extend(root(pairs).map(|t| builder.file(t)).unwrap_or_default());
                    }
                    Err(e) => diags.report(syntax_error(file, text, chunk, &e)),
                }
            }
            (ast::File::new(decls), diags)
        }
    }
}

/// What parsing a text in pieces ([`in_pieces`]) came to.
enum InPieces {
    /// Every piece parsed alone: the declarations of the whole text.
    Parsed(Vec<ast::Decl>),
    /// The whole text is nested too deep or has too many tokens: no piece
    /// of it is given to pest but those found not too deep alone.
    TooDeep(SyntaxError),
    /// The whole text is not too deep, but a piece does not parse alone, is
    /// nested too deep alone (a cut inside a string reads its text as code)
    /// or reports a diagnostic: the whole text is then parsed at once, and
    /// says what it means.
    Failed,
}

/// The declarations of `text`, parsed and built in pieces of
/// [`recover::chunks`]' declarations, at least `piece_bytes` each; their
/// spans count from the file's start, as a whole parse's. When every piece
/// parses, the declarations are those of the whole parse: a cut inside a
/// string, a comment or a block leaves a piece that does not parse, and a
/// declaration ends where the next one, which starts with a word or `@`,
/// cannot go on with it ([`Parses`] reads the language server's files in
/// the same pieces).
///
/// With `both_cores`, another thread takes pieces from the front while
/// this one looks at the whole text's nesting and size, and then takes
/// pieces from the back (the trees are all built here), so the result is
/// the same whichever thread parsed which piece.
fn in_pieces(file: FileId, text: &str, piece_bytes: usize, both_cores: bool) -> InPieces {
    let mut ranges = Vec::new();
    let mut start = 0;
    for chunk in recover::chunks(text) {
        if chunk.end - start < piece_bytes && chunk.end < text.len() {
            continue;
        }
        ranges.push(start..chunk.end);
        start = chunk.end;
    }
    let whole_too_deep = || depth::too_deep(file, text, 0..text.len());
    if !both_cores || ranges.len() < 2 {
        if let Some(e) = whole_too_deep() {
            return InPieces::TooDeep(e);
        }
        let mut decls = Vec::new();
        for range in &ranges {
            let Some(piece) = parsed_here(file, text, range.clone()) else {
                return InPieces::Failed;
            };
            decls.extend(piece);
        }
        return InPieces::Parsed(decls);
    }
    on_both_cores(file, text, &ranges, whole_too_deep)
}

/// Spans count from the file's start.
fn whole(file: FileId) -> (Anchor, usize) {
    (Anchor::from(file), 0)
}

/// The declarations of the piece `text[range]`, parsed alone and built on
/// this thread, their spans counted from the file's start; `None` as
/// [`parsed_alone`] and [`built`] say.
fn parsed_here(file: FileId, text: &str, range: std::ops::Range<usize>) -> Option<Vec<ast::Decl>> {
    let start = range.start;
    built(whole(file), text, start, parsed_alone(file, text, range)?)
}

/// [`in_pieces`] of the pieces `ranges` of `text`, on two cores;
/// `whole_too_deep` looks at the whole text.
fn on_both_cores(
    file: FileId,
    text: &str,
    ranges: &[std::ops::Range<usize>],
    whole_too_deep: impl FnOnce() -> Option<SyntaxError>,
) -> InPieces {
    // The pieces no thread has taken yet: the other thread takes them
    // from the front, this one from the back, until they meet.
    let untaken = std::sync::Mutex::new(0..ranges.len());
    let mut built_pieces: Vec<Option<Vec<ast::Decl>>> = Vec::new();
    built_pieces.resize_with(ranges.len(), || None);
    let outcome = std::thread::scope(|scope| {
        // The other thread parses the pieces it takes and sends each back
        // as a flat tree (`None` for one that does not parse alone). This
        // thread parses the pieces it takes, and builds every tree, so that
        // the syntax trees are in its malloc arena, as every later stage's
        // data: it builds the trees that have come back before it takes
        // another piece, and so parses fewer pieces than the other thread,
        // as many fewer as building costs. Each piece's declarations go to
        // the piece's place, so they are those of the pieces in order,
        // whichever thread parsed which.
        let (send, receive) = std::sync::mpsc::sync_channel(16);
        let untaken = &untaken;
        // When no thread starts, this one takes every piece.
        let _ = std::thread::Builder::new()
            .name("prefectc-parse".into())
            // pest recurses once per level of nesting, as on the main
            // thread, whose stack is at least as large (limits.rs).
            .stack_size(8 << 20)
            .spawn_scoped(scope, move || {
                while let Some(i) = take(untaken, Iterator::next) {
                    let tree = parsed_alone(file, text, ranges[i].clone()).map(flat::FlatTree::of);
                    let failed = tree.is_none();
                    // This thread stopped early: a piece failed.
                    if send.send((i, tree)).is_err() || failed {
                        break;
                    }
                }
            });
        // Meanwhile, the whole text: each piece is looked at alone before
        // pest parses it, but the whole text's nesting and size decide
        // what it means. Returning drops `receive`, which stops the other
        // thread after its piece.
        if let Some(e) = whole_too_deep() {
            return Err(Some(Box::new(e)));
        }
        let build_sent = |(i, tree): (usize, Option<flat::FlatTree>),
                          pieces: &mut [Option<Vec<ast::Decl>>]| {
            let range: &std::ops::Range<usize> = &ranges[i];
            let root = tree?;
            pieces[i] = Some(built(
                whole(file),
                text,
                range.start,
                root.root(&text[range.clone()]),
            )?);
            Some(())
        };
        loop {
            while let Ok(sent) = receive.try_recv() {
                build_sent(sent, &mut built_pieces).ok_or(None)?;
            }
            let Some(i) = take(untaken, DoubleEndedIterator::next_back) else {
                break;
            };
            built_pieces[i] = Some(parsed_here(file, text, ranges[i].clone()).ok_or(None)?);
        }
        // Every piece is taken: what is left is the other thread's, sent
        // until it stops (at once if it never started).
        for sent in receive.iter() {
            build_sent(sent, &mut built_pieces).ok_or(None)?;
        }
        Ok(())
    });
    match outcome {
        Ok(()) => {}
        Err(Some(e)) => return InPieces::TooDeep(*e),
        Err(None) => return InPieces::Failed,
    }
    let mut decls = Vec::new();
    for piece in built_pieces {
        // A piece the other thread took and never sent back (it stopped).
        let Some(piece) = piece else {
            return InPieces::Failed;
        };
        decls.extend(piece);
    }
    InPieces::Parsed(decls)
}

/// The piece `end` takes from the pieces no thread has taken yet
/// (`Iterator::next` the first, `DoubleEndedIterator::next_back` the
/// last); `None` once every piece is taken.
fn take(
    untaken: &std::sync::Mutex<std::ops::Range<usize>>,
    end: fn(&mut std::ops::Range<usize>) -> Option<usize>,
) -> Option<usize> {
    // A thread that panicked while holding the lock left the range as it
    // was: no piece is taken twice.
    end(&mut untaken
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner))
}

/// The tree of the `file` rule for `text[range]` parsed alone; `None` when
/// it is nested too deep or does not parse.
fn parsed_alone(
    file: FileId,
    text: &str,
    range: std::ops::Range<usize>,
) -> Option<pest::iterators::Pair<'_, Rule>> {
    if depth::too_deep(file, text, range.clone()).is_some() {
        return None;
    }
    root(PfkParser::parse(Rule::file, &text[range]).ok()?)
}

/// The tree of the `file` rule, the one pair pest gives for it.
fn root(mut pairs: pest::iterators::Pairs<'_, Rule>) -> Option<pest::iterators::Pair<'_, Rule>> {
    pairs.next()
}

/// The declarations of `text[range]`, one of [`recover::chunks`]' pieces,
/// parsed on their own (spans are offsets from `anchor`, the piece's start,
/// and doc comments are read from `text`); `None` when the piece is nested
/// too deep, fails to parse alone or reports a diagnostic: only [`parse`] of
/// the whole text then says what it means.
fn piece(
    file: FileId,
    anchor: Anchor,
    text: &str,
    range: std::ops::Range<usize>,
) -> Option<Vec<ast::Decl>> {
    let tree = parsed_alone(file, text, range.clone())?;
    built((anchor, range.start), text, range.start, tree)
}

/// The declarations of `tree`, the tree of the piece at `start` in `text`,
/// their spans counted from `anchor` (which is at the given offset of
/// `text`); `None` when building them reports a diagnostic.
fn built<'i>(
    anchor: (Anchor, usize),
    text: &str,
    start: usize,
    tree: impl build::Tree<'i>,
) -> Option<Vec<ast::Decl>> {
    let mut diags = Diagnostics::default();
    let decls = build::Builder::new(anchor, text, start, &mut diags).file(tree);
    diags.is_empty().then_some(decls)
}

/// The whole parse tree of one file, for the formatter, which needs every
/// token as written (the AST keeps only meaning). No error recovery: `Err`
/// holds the one syntax error (or E0106 for text nested too deep).
pub fn parse_tree(
    file: FileId,
    text: &str,
) -> Result<pest::iterators::Pairs<'_, Rule>, Diagnostics> {
    if let Some(e) = depth::too_deep(file, text, 0..text.len()) {
        let mut diags = Diagnostics::default();
        diags.report(e);
        return Err(diags);
    }
    PfkParser::parse(Rule::file, text).map_err(|e| {
        let mut diags = Diagnostics::default();
        diags.report(syntax_error(file, text, 0..text.len(), &e));
        diags
    })
}

/// The error for a piece that failed to parse: an unbalanced delimiter
/// if there is one (the most common cause and the clearest message), else
/// pest's own position with a readable list of what was expected.
fn syntax_error(
    file: FileId,
    text: &str,
    chunk: std::ops::Range<usize>,
    e: &pest::error::Error<Rule>,
) -> SyntaxError {
    if let Some(e) = recover::unbalanced(file, text, chunk.clone()) {
        return e;
    }
    let pos = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    } + chunk.start;
    let found = found_at(text, pos);
    let end = pos + found.len().max(usize::from(pos < text.len()));
    let span = Span::new(file, pos, end.min(text.len()).max(pos));
    let (expected, wants_assign) = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            (describe(positives), positives.contains(&Rule::assign_op))
        }
        pest::error::ErrorVariant::CustomError { message } => (message.clone(), false),
    };
    let fixed = wants_assign.then(|| assignment(text, pos, found)).flatten();
    let fix = match fixed {
        Some(_) => None,
        None => token_fix(file, text, pos, found),
    };
    SyntaxError::Unexpected {
        span,
        found: found.to_string(),
        expected,
        fixed,
        wants_assign,
        fix,
    }
}

/// The exact fix of a known mistake at the unexpected token `found` at
/// `pos`: an upper-case name, an unquoted version, a YAML list.
fn token_fix(file: FileId, text: &str, pos: usize, found: &str) -> Option<TokenFix> {
    let is_name_byte =
        |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-';
    if found.starts_with(|c: char| c.is_ascii_uppercase()) {
        // `myPool`: the lower-case start was read as a name of its own.
        let start = text[..pos]
            .bytes()
            .rev()
            .take_while(|b| is_name_byte(*b))
            .count();
        let start = pos - start;
        let end = pos + found.len();
        let name = kebab_case(&text[start..end]);
        let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        return valid.then(|| TokenFix::LowerCase {
            span: Span::new(file, start, end),
            name,
        });
    }
    if found.starts_with('.') && found[1..].starts_with(|c: char| c.is_ascii_digit()) {
        // `3.4.25`: a number, then `.25`.
        let number = text[..pos]
            .bytes()
            .rev()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let start = pos - number;
        let end = pos + found.len();
        let written = &text[start..end];
        let version = number > 0
            && written.split('.').count() >= 3
            && written
                .split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        return version.then(|| TokenFix::QuoteVersion {
            span: Span::new(file, start, end),
            text: written.to_string(),
        });
    }
    if found == "-" {
        return yaml_list(file, text, pos);
    }
    None
}

/// `field =` followed by YAML's `- item` lines, the first at `pos`: the
/// items, and the span from after the `=` to the end of the last item.
fn yaml_list(file: FileId, text: &str, pos: usize) -> Option<TokenFix> {
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..pos];
    if !indent.bytes().all(|b| b == b' ' || b == b'\t') {
        return None;
    }
    let before = text[..line_start].trim_end();
    if !before.ends_with('=') {
        return None;
    }
    let mut items = Vec::new();
    let mut end = pos;
    let mut at = line_start;
    while let Some(line) = text.get(at..).map(|r| r.split('\n').next().unwrap_or("")) {
        let Some(item) = line.strip_prefix(indent).and_then(|l| l.strip_prefix("- ")) else {
            break;
        };
        let item = item.trim();
        // A comment, or a nested structure, is not rewritten.
        if item.is_empty() || item.contains("//") || item.contains("/*") || item.ends_with(':') {
            return None;
        }
        items.push(item.to_string());
        end = at + line.trim_end().len();
        at += line.len() + 1;
        if at > text.len() {
            break;
        }
    }
    (!items.is_empty()).then(|| TokenFix::List {
        span: Span::new(file, before.len(), end),
        items,
    })
}

/// `key value` or `key: value` at `pos` (where `=` was expected), rewritten
/// as `key = value` from the text around it.
fn assignment(text: &str, pos: usize, found: &str) -> Option<String> {
    let line_start = text[..pos].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let before = text[line_start..pos].trim_end();
    let key_start = before
        .rfind(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'))
        .map(|i| i + 1)
        .unwrap_or(0);
    let key = &before[key_start..];
    let prefix = before[..key_start].trim_end();
    let starts_entry = prefix.is_empty() || prefix.ends_with('{') || prefix.ends_with(',');
    if key.is_empty() || !key.starts_with(|c: char| c.is_ascii_lowercase()) || !starts_entry {
        return None;
    }
    let rest = &text[pos + if found == ":" { 1 } else { 0 }..];
    let value = entry_value(rest).trim();
    (!value.is_empty()).then(|| format!("{key} = {value}"))
}

/// The text of one value at the start of `rest`: up to the end of the line,
/// or a `,` or `}` outside brackets and strings.
fn entry_value(rest: &str) -> &str {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                '\n' => return &rest[..i],
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '(' | '{' => depth += 1,
            ']' | ')' if depth > 0 => depth -= 1,
            '}' if depth > 0 => depth -= 1,
            '\n' => return &rest[..i],
            '}' | ',' if depth == 0 => return &rest[..i],
            _ => {}
        }
    }
    rest
}

/// The token-ish text at `pos`: a word, or one character.
fn found_at(text: &str, pos: usize) -> &str {
    let rest = text.get(pos..).unwrap_or("");
    let word = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .unwrap_or(rest.len());
    if word > 0 {
        &rest[..word]
    } else {
        rest.chars()
            .next()
            .map(|c| &rest[..c.len_utf8()])
            .unwrap_or("")
    }
}

fn describe(rules: &[Rule]) -> String {
    let mut names: Vec<&str> = rules.iter().filter_map(|r| rule_name(*r)).collect();
    names.sort_unstable();
    names.dedup();
    match names.len() {
        0 => "something else".to_string(),
        1 => names[0].to_string(),
        _ => {
            let last = names.pop().expect("two or more names");
            format!("{} or {last}", names.join(", "))
        }
    }
}

fn rule_name(r: Rule) -> Option<&'static str> {
    Some(match r {
        Rule::EOI => "end of file",
        Rule::decl | Rule::component | Rule::attribute => "a declaration",
        Rule::entry | Rule::field_key | Rule::cased_key => "a field",
        Rule::assign_op => "`=`",
        Rule::block => "`{`",
        Rule::expr | Rule::cond | Rule::prefix | Rule::literal | Rule::path => "a value",
        Rule::or_op | Rule::and_op | Rule::cmp_op | Rule::add_op => "an operator",
        Rule::ident | Rule::comp_name => "a name",
        Rule::type_expr | Rule::type_atom | Rule::type_name => "a type",
        Rule::dq_str | Rule::triple_str => "a string",
        Rule::kw_in => "`in`",
        Rule::kw_else => "`else`",
        Rule::extends | Rule::kw_extends => "`extends`",
        Rule::schema_field => "a schema field",
        Rule::named_arg | Rule::attr_arg => "an argument",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    fn parse_ok(text: &str) -> ast::File {
        let (f, d) = parse(FileId(0), text);
        assert!(d.is_empty(), "{d:?}");
        f
    }

    /// A file large enough to be parsed in pieces gives the tree and
    /// diagnostics a whole parse gives: when every piece parses, and when
    /// a cut falls inside a string (the piece below it does not parse
    /// alone) or the file has an error (the whole file then says where).
    #[test]
    fn a_large_file_parsed_in_pieces_is_parsed_as_a_whole() {
        let worker = |i: usize| {
            format!(
                "/// Team {i}.\nworker \"team-{i}\" {{\n  pool = \"pool\"\n  \
                 env  = {{ \"TEAM\" = \"t${{{i} + 1}}\" }}\n}}\n\n"
            )
        };
        let mut large: String = (0..4_000).map(worker).collect();
        assert!(large.len() >= 4 * IN_PIECES_FROM);
        let inside = large.find("worker \"team-2000\"").expect("worker 2000");
        let mut in_string = large.clone();
        in_string.insert_str(inside, "let s = \"\"\"\nworker w {\n\"\"\"\n");
        let mut broken = large.clone();
        broken.insert_str(inside, "worker w {\n");
        large.push_str("pool pool { type = kubernetes }\n");
        for (text, what, decls) in [
            (&large, "every piece parses", Some(4_001)),
            (&in_string, "a cut inside a string", Some(4_001)),
            (&broken, "an unclosed block", None),
        ] {
            let (tree, diags) = parse(FileId(0), text);
            let (whole, whole_diags) = parse_whole(FileId(0), text);
            assert!(tree == whole, "{what}: the trees differ");
            assert_eq!(format!("{diags:?}"), format!("{whole_diags:?}"), "{what}");
            match decls {
                Some(n) => {
                    assert!(diags.is_empty(), "{what}: {diags:?}");
                    assert_eq!(tree.decls.len(), n, "{what}");
                }
                None => assert!(!diags.is_empty(), "{what}: no error"),
            }
        }
        // Parsed in pieces indeed, on one core and on two: a piece that
        // does not parse alone is refused, and the others are not.
        let (whole, _) = parse_whole(FileId(0), &large);
        for both_cores in [false, true] {
            let pieces = parse_in_pieces(FileId(0), &large, PIECE_BYTES, both_cores);
            assert!(pieces == Some(whole.clone()), "on both cores: {both_cores}");
            assert!(parse_in_pieces(FileId(0), &in_string, 1, both_cores).is_none());
            assert!(parse_in_pieces(FileId(0), &broken, 1, both_cores).is_none());
        }
    }

    #[test]
    fn parses_components_and_expressions() {
        let f = parse_ok(
            r#"
            param env: String = "dev"
            let x = cloud { key = secret("a", "b") }
            site demo { namespace = "p", labels = { team = "x", "a.b/c" = env } }
            worker w extends t { replicas = if env == "prod" { 3 } else { 1 }, q += ["a"] }
            for t in ["a", "b"] { pool "${t}-jobs" { type = kubernetes } }
            "#,
        );
        assert_eq!(f.decls.len(), 5);
    }

    /// A string's text is read in one search to the next character that
    /// ends it, and both kinds of comment behind one `/`: what each stops
    /// at, and what still does not parse.
    #[test]
    fn strings_and_comments_read_as_before_the_searches() {
        let f = parse_ok(
            "site s { a = \"x$y $${z}w\\\"q\", b = \"\"\"l\"\"m$\n${z}\"\"\",\n\
             c = /* a * / b ** */ 1 /**/ , d = \"é/*\" // \"\n /// e\n }",
        );
        let ast::DeclKind::Component(c) = &f.decls[0].kind else {
            panic!("component expected")
        };
        let parts = |i: usize| {
            let ast::ExprKind::Str(s) = &c.body.entries[i].value.kind else {
                panic!("string expected at {i}")
            };
            s.parts
                .iter()
                .map(|p| match p {
                    ast::StrPart::Text(t) => t.clone(),
                    ast::StrPart::Interp(_) => "<z>".to_string(),
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(parts(0), ["x$y $", "<z>", "w\"q"]);
        assert_eq!(parts(1), ["l\"\"m$\n", "<z>"]);
        assert!(matches!(&c.body.entries[2].value.kind, ast::ExprKind::Number(n) if n == "1"));
        assert_eq!(parts(3), ["é/*"]);
        for bad in [
            "site s { a = \"x\ny\" }",
            "site s { a = 1 / 2 }",
            "site s { a = 1 } /",
            "site s { a = 1 } /* open",
            "site s { a = \"x",
            "site s { a = \"\"\"x\"\" }",
        ] {
            let (_, d) = parse(FileId(0), bad);
            assert!(d.has_errors(), "{bad:?} parsed");
        }
    }

    #[test]
    fn reads_quantities_and_strings() {
        let f = parse_ok("site s { m = 512Mi, c = 500m, p = 80%, s = \"a\\n${x}\" }");
        let ast::DeclKind::Component(c) = &f.decls[0].kind else {
            panic!("component expected")
        };
        assert!(matches!(
            &c.body.entries[0].value.kind,
            ast::ExprKind::Quantity { suffix, .. } if suffix == "Mi"
        ));
        let ast::ExprKind::Str(s) = &c.body.entries[3].value.kind else {
            panic!("string expected")
        };
        assert_eq!(s.parts.len(), 2);
    }

    /// The grammar reads a string or a number first, before any other
    /// operand; a keyword literal keeps its place after calls and tagged
    /// blocks, so `true(…)` is still a call and `none { … }` a tagged
    /// record (each then refused by check, not by the parser), and comments
    /// are whitespace wherever whitespace may be.
    #[test]
    fn operands_read_as_before_the_fast_paths() {
        let f = parse_ok(
            "site s { a = true(1), b = none { c = 1 }, d = -1, e = \"-\" + x, f = none, \n\
             g = /* c */ 5 // c\n /// d\n + 1Gi, h = [/**/] }",
        );
        let ast::DeclKind::Component(c) = &f.decls[0].kind else {
            panic!("component expected")
        };
        let kinds: Vec<&ast::ExprKind> = c.body.entries.iter().map(|e| &e.value.kind).collect();
        assert!(matches!(kinds[0], ast::ExprKind::Call { func, .. } if func.name == "true"));
        assert!(matches!(kinds[1], ast::ExprKind::Tagged { tag, .. } if tag[0].name == "none"));
        assert!(matches!(kinds[2], ast::ExprKind::Number(n) if n == "-1"));
        assert!(matches!(kinds[3], ast::ExprKind::Binary { .. }));
        assert!(matches!(kinds[4], ast::ExprKind::None));
        assert!(matches!(kinds[5], ast::ExprKind::Binary { .. }));
        assert!(matches!(kinds[6], ast::ExprKind::List(l) if l.is_empty()));
    }

    #[test]
    fn suggests_the_assignment_that_was_meant() {
        let text = "site s {\n  replicas 1\n  namespace: \"a, b\", x = 2 3\n}";
        let at = |t: &str| text.find(t).expect("in the text");
        assert_eq!(
            assignment(text, at("1"), "1").as_deref(),
            Some("replicas = 1")
        );
        assert_eq!(
            assignment(text, at(":"), ":").as_deref(),
            Some("namespace = \"a, b\"")
        );
        assert_eq!(assignment(text, at("3"), "3"), None);
    }

    #[test]
    fn recovers_at_declaration_boundaries() {
        let (f, d) = parse(
            FileId(0),
            "server a {\n  x = 1\n\npool b { type = process }\nworker c { = }\n",
        );
        assert_eq!(f.decls.len(), 1);
        assert_eq!(d.len(), 2);
        assert_eq!(d.0[0].code, Code::UnclosedDelimiter);
    }
}
