//! The parses of one root's files, kept from one build to the next: the
//! language server builds a site again after every edit, and a file whose
//! text did not change is not parsed again (issue 17); in a file that did,
//! only the declarations whose text changed are.

use std::cell::{Cell, RefCell};
use std::ops::Range;
use std::sync::Arc;

use super::moved::Respan;
use super::{ast, depth, parse, piece, recover};
use crate::diagnostics::Diagnostics;
use crate::limits::MAX_TOKENS;
use crate::map::HashMap;
use crate::source::{Anchor, FileId, Span};

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
/// above it (its first declaration's doc comment). Their spans count from
/// the piece's start, its [`Anchor`]: a piece seen in the last parse of the
/// file is therefore not parsed again, and its declarations, spans and all,
/// are the last parse's wherever the piece is now; only where its anchor
/// is changes ([`Parses::pieces`], which the build's source map is told).
/// When every piece parses on its own with no diagnostic, their
/// declarations are what parsing the whole text gives, placed (a cut
/// inside a string, a comment or a block leaves a piece that does not
/// parse alone); otherwise the whole text is parsed, as without these
/// parses, its spans counting from the file's start.
#[derive(Default)]
pub struct Parses {
    by_file: RefCell<HashMap<FileId, Parse>>,
    /// The number of the next piece's anchor: a piece parsed in any file
    /// takes a new one, so no two pieces of a build share one.
    next_anchor: Cell<u32>,
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
    /// Those pieces, by their text with the `///` lines above them (of two
    /// with the same text, the later).
    pieces: HashMap<String, Piece>,
    /// Where each of those pieces starts, by its anchor (all of them: two
    /// may have the same text).
    anchors: Vec<(Anchor, u32)>,
}

/// One piece of a parsed text.
struct Piece {
    /// How many bytes of its key are the `///` lines above it.
    above: usize,
    /// What its declarations' spans count from.
    anchor: Anchor,
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
        let (mut last_decls, mut last_pieces) = match last {
            Some(p) => (p.decls.into_iter().map(Some).collect(), p.pieces),
            None => (Vec::new(), HashMap::default()),
        };
        let mut next = Parse {
            text: text.to_string(),
            whole: None,
            decls: Vec::new(),
            pieces: HashMap::with_capacity_and_hasher(last_pieces.len(), Default::default()),
            anchors: Vec::new(),
        };
        // More tokens than allowed in the whole text, though not in any
        // piece: only the whole parse reports it. A token is a byte at
        // least, so a text of fewer bytes is not scanned (text nested too
        // deep is so in a piece, which then does not parse alone).
        let mut every_piece =
            text.len() <= MAX_TOKENS || depth::too_deep(file, text, 0..text.len()).is_none();
        for chunk in recover::chunks(text) {
            let key_start = doc_lines_above(text, chunk.start);
            let key = &text[key_start..chunk.end];
            let above = chunk.start - key_start;
            // Each piece of the last parse is used once (a text written
            // twice is parsed again the second time), its key kept.
            let moved = last_pieces
                .remove_entry(key)
                .filter(|(_, p)| p.above == above)
                .and_then(|(key, p)| {
                    let decls: Option<Vec<_>> = last_decls
                        .get_mut(p.decls.clone())?
                        .iter_mut()
                        .map(Option::take)
                        .collect();
                    Some((decls?, p.anchor, key))
                });
            let (decls, anchor, key) = match moved {
                Some(kept) => kept,
                None => {
                    self.pieces_parsed.set(self.pieces_parsed.get() + 1);
                    let anchor = Anchor::piece(self.next_anchor.get());
                    self.next_anchor.set(self.next_anchor.get() + 1);
                    match piece(file, anchor, text, chunk.clone()) {
                        Some(decls) => (
                            decls.into_iter().map(Arc::new).collect(),
                            anchor,
                            key.to_string(),
                        ),
                        None => {
                            every_piece = false;
                            continue;
                        }
                    }
                }
            };
            let at = next.decls.len();
            next.decls.extend(decls);
            next.anchors.push((anchor, chunk.start as u32));
            next.pieces.insert(
                key,
                Piece {
                    above,
                    anchor,
                    decls: at..next.decls.len(),
                },
            );
        }
        if !every_piece {
            next.whole = Some(parse(file, text));
        }
        next
    }

    /// Where the pieces of the last parse of `file` start in it, by their
    /// anchors: what a build's source map is told of the tree [`Parses::parse`]
    /// gave (none when the whole text was parsed).
    pub fn pieces(&self, file: FileId) -> Vec<(Anchor, u32)> {
        let by_file = self.by_file.borrow();
        match by_file.get(&file) {
            Some(p) if p.whole.is_none() => p.anchors.clone(),
            _ => Vec::new(),
        }
    }

    /// `tree`, the last parse of `file`, with its spans counted from the
    /// file's start, as a parse of the whole text gives them: every piece
    /// placed where [`Parses::pieces`] says (a copy of each declaration;
    /// for tests, which compare the two).
    pub fn placed(&self, file: FileId, mut tree: ast::File) -> ast::File {
        let pieces: HashMap<Anchor, u32> = self.pieces(file).into_iter().collect();
        let place = |span: Span| match pieces.get(&span.anchor) {
            Some(base) => Span {
                anchor: file.into(),
                start: base + span.start,
                end: base + span.end,
            },
            None => span,
        };
        for d in &mut tree.decls {
            Respan(&place).decl(Arc::make_mut(d));
        }
        tree
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
    use crate::syntax::{parse_in_pieces, parse_whole};

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
        assert_eq!(parses.placed(FileId(0), again.0), parse(FileId(0), good).0);

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
        assert_ne!(other.0, first.0, "its own anchors");
        assert_eq!(parses.placed(FileId(7), other.0), parse(FileId(7), good).0);
        // And the first id's entry is now the broken text's.
        parses.parse(FileId(0), good);
        assert_eq!(parses.parsed(), 4);
    }

    /// What these parses give for `text` is what parsing it whole gives:
    /// the tree, its spans placed in the file, and the diagnostics.
    /// The kept parses of `text`, and a build's parse of it in pieces of
    /// every size from one declaration up, are what a whole parse gives.
    fn same_as_whole(parses: &Parses, text: &str, what: &str) {
        let (ast, diags) = parses.parse(FileId(3), text);
        let ast = parses.placed(FileId(3), ast);
        let (whole, whole_diags) = parse_whole(FileId(3), text);
        assert!(
            ast == whole,
            "{what}: the tree differs from the whole parse's"
        );
        assert_eq!(format!("{diags:?}"), format!("{whole_diags:?}"), "{what}");
        for bytes in [1, 64, 1 << 10] {
            for both_cores in [false, true] {
                if let Some(pieces) = parse_in_pieces(FileId(3), text, bytes, both_cores) {
                    assert!(
                        pieces == whole && whole_diags.is_empty(),
                        "{what}: in pieces of {bytes} bytes (both cores: {both_cores}), \
                         the tree differs from the whole parse's"
                    );
                }
            }
        }
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

    /// A declaration whose piece did not change is the last build's,
    /// shared rather than copied, whether or not the piece moved: its
    /// spans count from the piece's start, and only where that is changes.
    #[test]
    fn an_unchanged_declaration_is_shared_with_the_last_build() {
        let parses = Parses::default();
        let (first, _) = parses.parse(FileId(3), SITE);
        let typed = SITE.replace("pool = p", "pool = pp");
        let (second, _) = parses.parse(FileId(3), &typed);
        assert!(Arc::ptr_eq(&first.decls[0], &second.decls[0]), "the site");
        assert!(Arc::ptr_eq(&first.decls[1], &second.decls[1]), "the pool");
        assert!(!Arc::ptr_eq(&first.decls[2], &second.decls[2]));
        let starts = |p: &Parses| {
            let mut s: Vec<u32> = p.pieces(FileId(3)).iter().map(|(_, s)| *s).collect();
            s.sort();
            s
        };
        let before = starts(&parses);

        let above = format!("\n{typed}");
        let (third, _) = parses.parse(FileId(3), &above);
        assert_eq!(parses.pieces_parsed(), 5, "the blank line's piece alone");
        for i in 0..3 {
            assert!(Arc::ptr_eq(&second.decls[i], &third.decls[i]), "moved {i}");
        }
        let after = starts(&parses);
        assert_eq!(after, [0, before[0] + 1, before[1] + 1, before[2] + 1]);
        assert_eq!(parses.placed(FileId(3), third), parse(FileId(3), &above).0);
    }

    /// Two pieces of the same text (a declaration written twice) are two
    /// pieces, each with its anchor, placed where each is, before an edit
    /// and after one above them.
    #[test]
    fn two_pieces_of_the_same_text_each_have_their_anchor() {
        let parses = Parses::default();
        let twice = "pool p { type = process }\n\npool p { type = process }\n\n";
        same_as_whole(&parses, twice, "written twice");
        assert_eq!(parses.pieces(FileId(3)).len(), 2);
        same_as_whole(&parses, &format!("\n{twice}"), "a line above both");
        let anchors: std::collections::HashSet<Anchor> =
            parses.pieces(FileId(3)).iter().map(|(a, _)| *a).collect();
        assert_eq!(anchors.len(), 3, "the blank line's, and one each");
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
