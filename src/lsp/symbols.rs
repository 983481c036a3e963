//! Document symbols: the declarations of a file (as far as it parsed), with
//! the fields of components and templates as children.

use lsp_types::{DocumentSymbol, SymbolKind};

use super::convert::LineIndex;
use crate::source::{Place, Span};
use crate::syntax::ast::{self, DeclKind, ExprKind};

/// The symbols of a file's tree; `text` is the text it was parsed from, and
/// `place` places a span of the tree in it.
pub fn symbols(file: &ast::File, text: &str, place: &dyn Fn(Span) -> Place) -> Vec<DocumentSymbol> {
    let doc = Doc {
        index: LineIndex::new(text),
        text,
        place,
    };
    file.decls.iter().filter_map(|d| decl(d, &doc)).collect()
}

/// The file the symbols are of.
struct Doc<'a> {
    index: LineIndex<'a>,
    text: &'a str,
    place: &'a dyn Fn(Span) -> Place,
}

impl Doc<'_> {
    /// The text of a span.
    fn source(&self, span: Span) -> String {
        let place = (self.place)(span);
        self.text.get(place.range()).unwrap_or("").to_string()
    }

    #[allow(deprecated)] // `deprecated` is a field every DocumentSymbol must set
    fn symbol(
        &self,
        (name, detail, kind): (String, Option<String>, SymbolKind),
        span: Span,
        selection: Span,
        children: Vec<DocumentSymbol>,
    ) -> DocumentSymbol {
        let (span, selection) = ((self.place)(span), (self.place)(selection));
        DocumentSymbol {
            name,
            detail,
            kind,
            tags: None,
            deprecated: None,
            range: self.index.range(span.start as usize, span.end as usize),
            // The selection must lie within the range.
            selection_range: self.index.range(
                selection.start.max(span.start) as usize,
                selection.end.min(span.end) as usize,
            ),
            children: (!children.is_empty()).then_some(children),
        }
    }
}

fn decl(d: &ast::Decl, doc: &Doc) -> Option<DocumentSymbol> {
    let source = |s: Span| doc.source(s);
    Some(match &d.kind {
        DeclKind::Import(path) => doc.symbol(
            (source(path.span), Some("import".into()), SymbolKind::FILE),
            d.span,
            path.span,
            Vec::new(),
        ),
        DeclKind::Param { name, .. } => doc.symbol(
            (
                name.name.clone(),
                Some("param".into()),
                SymbolKind::CONSTANT,
            ),
            d.span,
            name.span,
            Vec::new(),
        ),
        DeclKind::Let { name, .. } => doc.symbol(
            (name.name.clone(), Some("let".into()), SymbolKind::VARIABLE),
            d.span,
            name.span,
            Vec::new(),
        ),
        DeclKind::For { var, iter, body } => doc.symbol(
            (
                format!("for {} in {}", var.name, source(iter.span)),
                None,
                SymbolKind::NAMESPACE,
            ),
            d.span,
            var.span,
            body.iter().filter_map(|d| decl(d, doc)).collect(),
        ),
        DeclKind::Component(c) | DeclKind::Template(c) => {
            let template = matches!(d.kind, DeclKind::Template(_));
            let detail = if template {
                format!("{} template", c.kind.name)
            } else {
                c.kind.name.clone()
            };
            let kind = if template {
                SymbolKind::INTERFACE
            } else {
                SymbolKind::STRUCT
            };
            doc.symbol(
                (source(c.name.span()), Some(detail), kind),
                d.span,
                c.name.span(),
                fields(&c.body, doc),
            )
        }
        DeclKind::Schema(_) | DeclKind::Enum { .. } | DeclKind::Union { .. } => return None,
    })
}

fn fields(block: &ast::Block, doc: &Doc) -> Vec<DocumentSymbol> {
    block
        .entries
        .iter()
        .map(|e| {
            let children = match &e.value.kind {
                ExprKind::Record(b) | ExprKind::Tagged { body: b, .. } => fields(b, doc),
                _ => Vec::new(),
            };
            doc.symbol(
                (e.key.name.clone(), None, SymbolKind::FIELD),
                e.span,
                e.key.span,
                children,
            )
        })
        .collect()
}
