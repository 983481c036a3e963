//! The parses of one root's files, kept from one build to the next: the
//! language server builds a site again after every edit, and a file whose
//! text did not change is not parsed again (issue 17); in a file that did,
//! only the declarations whose text changed are.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::moved::Move;
use super::{ast, depth, parse, piece, recover};
use crate::diagnostics::Diagnostics;
use crate::source::FileId;

/// The last parse of each file of a build, by [`FileId`].
///
/// A parse depends on nothing but the file's id (its spans carry it) and
/// its text, so a file with the same id and text parses the same: its
/// tree and syntax diagnostics are copied from the last build. One entry
/// per id: a file that changes replaces its entry, and what a build no
/// longer reads stays until its id is parsed again (at most the number of
/// files the root ever had).
///
/// A changed text is cut into the pieces error recovery cuts it into
/// ([`recover::chunks`]: a declaration at column 0 each), and a piece's
/// declarations depend on nothing but its text and the `///` lines right
/// above it (its first declaration's doc comment), besides where it starts.
/// A piece seen in the last parse of the file is therefore not parsed
/// again: its declarations are moved to where it starts now. When every
/// piece parses on its own with no diagnostic, their declarations are what
/// parsing the whole text gives (a cut inside a string, a comment or a
/// block leaves a piece that does not parse alone); otherwise the whole
/// text is parsed, as without these parses.
#[derive(Default)]
pub struct Parses {
    by_file: RefCell<HashMap<FileId, Parse>>,
    /// How many files were parsed (not copied), for tests and benches.
    parsed: Cell<usize>,
    /// How many pieces of them were parsed (not moved).
    pieces_parsed: Cell<usize>,
}

struct Parse {
    text: String,
    /// The parse of the whole text, when its pieces did not all parse.
    whole: Option<(ast::File, Diagnostics)>,
    /// The declarations of the pieces that parsed, in their order, shared
    /// with the builds that read them.
    decls: Vec<Arc<ast::Decl>>,
    /// Those pieces, by their text with the `///` lines above them.
    pieces: HashMap<String, Piece>,
}

/// One piece of a parsed text.
struct Piece {
    /// How many bytes of its key are the `///` lines above it.
    above: usize,
    /// Where it started in the text.
    start: u32,
    /// Its declarations in [`Parse::decls`].
    decls: Range<usize>,
}

impl Parse {
    fn result(&self) -> (ast::File, Diagnostics) {
        match &self.whole {
            Some(whole) => whole.clone(),
            None => (
                ast::File {
                    decls: self.decls.clone(),
                },
                Diagnostics::default(),
            ),
        }
    }
}

impl Parses {
    /// [`parse`], or the copy of the last parse of the same id and text.
    pub fn parse(&self, file: FileId, text: &str) -> (ast::File, Diagnostics) {
        if let Some(p) = self.by_file.borrow().get(&file)
            && p.text == text
        {
            return p.result();
        }
        self.parsed.set(self.parsed.get() + 1);
        let last = self.by_file.borrow_mut().remove(&file);
        let next = self.by_pieces(file, text, last);
        let result = next.result();
        self.by_file.borrow_mut().insert(file, next);
        result
    }

    /// Parses `text` a piece at a time, moving the pieces `last` had, and
    /// parses the whole text too unless every piece parsed.
    fn by_pieces(&self, file: FileId, text: &str, last: Option<Parse>) -> Parse {
        let (mut last_decls, last_pieces) = match last {
            Some(p) => (p.decls.into_iter().map(Some).collect(), p.pieces),
            None => (Vec::new(), HashMap::new()),
        };
        let mut next = Parse {
            text: text.to_string(),
            whole: None,
            decls: Vec::new(),
            pieces: HashMap::new(),
        };
        // More tokens than allowed in the whole text, though not in any
        // piece: only the whole parse reports it.
        let mut every_piece = depth::too_deep(file, text, 0..text.len()).is_none();
        for chunk in recover::chunks(text) {
            let key_start = doc_lines_above(text, chunk.start);
            let key = &text[key_start..chunk.end];
            let above = chunk.start - key_start;
            let moved = last_pieces
                .get(key)
                .filter(|p| p.above == above)
                .and_then(|p| {
                    let decls: Option<Vec<_>> = last_decls
                        .get_mut(p.decls.clone())?
                        .iter_mut()
                        .map(Option::take)
                        .collect();
                    Some((decls?, p.start))
                });
            let decls = match moved {
                Some((mut decls, from)) => {
                    let to = chunk.start as u32;
                    if from != to {
                        // A copy of each declaration an earlier build
                        // still reads.
                        let by = Move { from, to };
                        decls.iter_mut().for_each(|d| by.decl(Arc::make_mut(d)));
                    }
                    decls
                }
                None => {
                    self.pieces_parsed.set(self.pieces_parsed.get() + 1);
                    match piece(file, text, chunk.clone()) {
                        Some(decls) => decls.into_iter().map(Arc::new).collect(),
                        None => {
                            every_piece = false;
                            continue;
                        }
                    }
                }
            };
            let at = next.decls.len();
            next.decls.extend(decls);
            next.pieces.insert(
                key.to_string(),
                Piece {
                    above,
                    start: chunk.start as u32,
                    decls: at..next.decls.len(),
                },
            );
        }
        if !every_piece {
            next.whole = Some(parse(file, text));
        }
        next
    }

    /// How many files these parses have parsed rather than copied.
    pub fn parsed(&self) -> usize {
        self.parsed.get()
    }

    /// How many pieces of files these parses have parsed rather than moved.
    pub fn pieces_parsed(&self) -> usize {
        self.pieces_parsed.get()
    }
}

/// Where the `///` lines right above the line starting at `at` start (`at`
/// when there are none): what the AST builder reads a doc comment from.
fn doc_lines_above(text: &str, at: usize) -> usize {
    text[..at]
        .split_inclusive('\n')
        .rev()
        .take_while(|line| line.trim_start().starts_with("///"))
        .fold(at, |start, line| start - line.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same id and text give the last parse's tree and diagnostics,
    /// bit for bit what parsing again gives; another text or another id is
    /// parsed.
    #[test]
    fn only_a_new_text_or_id_is_parsed() {
        let parses = Parses::default();
        let good = "pool p { type = kubernetes }\n";
        let bad = "pool p { type = }\n";
        let first = parses.parse(FileId(0), good);
        assert_eq!(parses.parsed(), 1);
        let again = parses.parse(FileId(0), good);
        assert_eq!(parses.parsed(), 1, "the same text is not parsed again");
        assert_eq!(again.0, first.0);
        assert_eq!(again.0, parse(FileId(0), good).0);

        let broken = parses.parse(FileId(0), bad);
        assert_eq!(parses.parsed(), 2, "a changed text is parsed");
        assert!(!broken.1.is_empty(), "with its syntax error");
        let broken_again = parses.parse(FileId(0), bad);
        assert_eq!(parses.parsed(), 2);
        assert_eq!(
            format!("{:?}", broken_again.1),
            format!("{:?}", broken.1),
            "the syntax error is copied with the tree"
        );

        // A text seen under another id: its spans name this file.
        let other = parses.parse(FileId(7), good);
        assert_eq!(parses.parsed(), 3);
        assert_eq!(other.0, parse(FileId(7), good).0);
        assert_ne!(other.0, first.0);
        // And the first id's entry is now the broken text's.
        parses.parse(FileId(0), good);
        assert_eq!(parses.parsed(), 4);
    }

    /// What these parses give for `text` is what parsing it whole gives:
    /// the tree, spans included, and the diagnostics.
    fn same_as_whole(parses: &Parses, text: &str, what: &str) {
        let (ast, diags) = parses.parse(FileId(3), text);
        let (whole, whole_diags) = parse(FileId(3), text);
        assert!(
            ast == whole,
            "{what}: the tree differs from the whole parse's"
        );
        assert_eq!(format!("{diags:?}"), format!("{whole_diags:?}"), "{what}");
    }

    const SITE: &str = "site s {\n  namespace = \"prefect\"\n}\n\n\
        /// The pool.\n/// Two lines.\npool p {\n  type = kubernetes\n}\n\n\
        /// The worker.\n@allow(\"PFK-S001\", reason = \"x\")\n\
        worker w {\n  pool = p\n  env = { \"A\" = \"${1 + 2}\" }\n}\n";

    /// A keystroke in one declaration parses that declaration's piece
    /// alone; a line added above them moves the others, spans and all.
    #[test]
    fn an_edit_parses_only_the_piece_it_is_in() {
        let parses = Parses::default();
        same_as_whole(&parses, SITE, "first parse");
        assert_eq!(parses.pieces_parsed(), 3, "site, pool and worker");

        let typed = SITE.replace("pool = p", "pool = pp");
        same_as_whole(&parses, &typed, "a keystroke in the worker");
        assert_eq!(parses.pieces_parsed(), 4, "the worker's piece alone");

        let above = format!("\n\n{typed}");
        same_as_whole(&parses, &above, "two lines added at the top");
        assert_eq!(parses.pieces_parsed(), 5, "the first piece alone");

        // The `///` lines above a declaration are its doc comment: a piece
        // whose doc lines changed is parsed again, though its text is not.
        let doc = above.replace("/// The worker.", "/// The team's worker.");
        same_as_whole(&parses, &doc, "the worker's doc comment changed");
        assert_eq!(
            parses.pieces_parsed(),
            7,
            "the pool's piece and the worker's"
        );
        let (ast, _) = parses.parse(FileId(3), &doc);
        assert_eq!(ast.decls[2].doc.as_deref(), Some("The team's worker."));
    }

    /// A declaration whose piece neither changed nor moved is the last
    /// build's, shared rather than copied; one that moved is a copy, so
    /// the last build's tree keeps its spans.
    #[test]
    fn an_unchanged_declaration_is_shared_with_the_last_build() {
        use std::sync::Arc;
        let parses = Parses::default();
        let (first, _) = parses.parse(FileId(3), SITE);
        let typed = SITE.replace("pool = p", "pool = pp");
        let (second, _) = parses.parse(FileId(3), &typed);
        assert!(Arc::ptr_eq(&first.decls[0], &second.decls[0]), "the site");
        assert!(Arc::ptr_eq(&first.decls[1], &second.decls[1]), "the pool");
        assert!(!Arc::ptr_eq(&first.decls[2], &second.decls[2]));

        let above = format!("\n{typed}");
        let (third, _) = parses.parse(FileId(3), &above);
        assert!(!Arc::ptr_eq(&second.decls[1], &third.decls[1]));
        assert_eq!(second, parse(FileId(3), &typed).0, "moved in a copy");
        assert_eq!(third, parse(FileId(3), &above).0);
    }

    /// Text where the cut before each declaration-like line is not between
    /// declarations, and broken text: the whole text says what it means.
    #[test]
    fn a_piece_that_does_not_parse_alone_makes_the_whole_text_parse() {
        let parses = Parses::default();
        let inside = "site s {\n  namespace = \"\"\"\nworker w {\n\"\"\"\n}\n";
        same_as_whole(&parses, inside, "a declaration line inside a string");
        assert_eq!(parses.parse(FileId(3), inside).0.decls.len(), 1);
        let comment = "/*\npool p {\n*/\nsite s {}\n";
        same_as_whole(&parses, comment, "a declaration line inside a comment");
        let broken = SITE.replace("type = kubernetes", "type = ");
        same_as_whole(&parses, &broken, "a syntax error in the pool");
        let fixed = broken.replace("type = ", "type = kubernetes");
        same_as_whole(&parses, &fixed, "the error fixed");
        let bad_escape = SITE.replace("\"A\"", "\"\\q\"");
        same_as_whole(&parses, &bad_escape, "a piece with a diagnostic");
        let doc_after = "/// A.\n@allow(\"x\")\n/// B.\npool p {}\n";
        same_as_whole(
            &parses,
            doc_after,
            "a doc comment between attribute and declaration",
        );
    }

    /// A small deterministic generator (xorshift), for the edits below.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }

        /// A char boundary of `text`.
        fn boundary(&mut self, text: &str) -> usize {
            let mut at = self.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        }
    }

    /// Every `.pfk` of the repository (stdlib, examples, test fixtures), and
    /// each after a run of random edits, each applied to the last: these
    /// parses agree with a whole parse of every text.
    #[test]
    fn pieces_agree_with_the_whole_parse_after_random_edits() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = crate::STDLIB.iter().map(|(_, t)| t.to_string()).collect();
        let mut dirs = vec![root.join("examples"), root.join("tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("a directory").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "pfk") {
                    texts.extend(std::fs::read_to_string(&path).ok());
                }
            }
        }
        assert!(texts.len() > 300, "{} files", texts.len());
        const INSERTS: &[&str] = &[
            "\n",
            " ",
            "x",
            "{",
            "}",
            "\"",
            "\"\"\"",
            "/*",
            "*/",
            "//",
            "/// doc\n",
            "pool q {\n",
            "@allow(\"PFK-S001\")\n",
            "\nworker w2 { pool = p }\n",
            "${",
            "é",
            "\r\n",
            "\t",
            "\r\n/// doc\r\n",
            "\r\npool q {}\r\n",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let parses = Parses::default();
        for (i, original) in texts.iter().enumerate() {
            let mut text = original.clone();
            same_as_whole(&parses, &text, &format!("file {i}"));
            for edit in 0..4 {
                let at = rng.boundary(&text);
                if rng.below(3) == 0 {
                    let mut end = text.len().min(at + 40);
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    let to = at + rng.boundary(&text[at..end]);
                    text.replace_range(at..to, "");
                } else {
                    text.insert_str(at, INSERTS[rng.below(INSERTS.len())]);
                }
                same_as_whole(&parses, &text, &format!("file {i}, edit {edit}"));
            }
        }
    }
}
