//! The parses of one root's files, kept from one build to the next: the
//! language server builds a site again after every edit, and a file whose
//! text did not change is not parsed again (issue 17).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use super::{ast, parse};
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
#[derive(Default)]
pub struct Parses {
    by_file: RefCell<HashMap<FileId, Parse>>,
    /// How many files were parsed (not copied), for tests and benches.
    parsed: Cell<usize>,
}

struct Parse {
    text: String,
    ast: ast::File,
    diagnostics: Diagnostics,
}

impl Parses {
    /// [`parse`], or the copy of the last parse of the same id and text.
    pub fn parse(&self, file: FileId, text: &str) -> (ast::File, Diagnostics) {
        if let Some(p) = self.by_file.borrow().get(&file)
            && p.text == text
        {
            return (p.ast.clone(), p.diagnostics.clone());
        }
        self.parsed.set(self.parsed.get() + 1);
        let (ast, diagnostics) = parse(file, text);
        self.by_file.borrow_mut().insert(
            file,
            Parse {
                text: text.to_string(),
                ast: ast.clone(),
                diagnostics: diagnostics.clone(),
            },
        );
        (ast, diagnostics)
    }

    /// How many files these parses have parsed rather than copied.
    pub fn parsed(&self) -> usize {
        self.parsed.get()
    }
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
}
