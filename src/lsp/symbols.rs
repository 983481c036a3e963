//! Document symbols: the declarations of a file (as far as it parsed), with
//! the fields of components and templates as children.

use lsp_types::{DocumentSymbol, SymbolKind};

use super::convert::LineIndex;
use crate::source::Span;
use crate::syntax::ast::{self, DeclKind, ExprKind};

/// The symbols of a file's tree; `text` is the text it was parsed from.
pub fn symbols(file: &ast::File, text: &str) -> Vec<DocumentSymbol> {
    let index = LineIndex::new(text);
    file.decls
        .iter()
        .filter_map(|d| decl(d, &index, text))
        .collect()
}

#[allow(deprecated)] // `deprecated` is a field every DocumentSymbol must set
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    span: Span,
    selection: Span,
    index: &LineIndex,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: index.range(span.start as usize, span.end as usize),
        // The selection must lie within the range.
        selection_range: index.range(
            selection.start.max(span.start) as usize,
            selection.end.min(span.end) as usize,
        ),
        children: (!children.is_empty()).then_some(children),
    }
}

fn decl(d: &ast::Decl, index: &LineIndex, text: &str) -> Option<DocumentSymbol> {
    let source = |s: Span| {
        text.get(s.start as usize..s.end as usize)
            .unwrap_or("")
            .to_string()
    };
    Some(match &d.kind {
        DeclKind::Import(path) => symbol(
            source(path.span),
            Some("import".into()),
            SymbolKind::FILE,
            d.span,
            path.span,
            index,
            Vec::new(),
        ),
        DeclKind::Param { name, .. } => symbol(
            name.name.clone(),
            Some("param".into()),
            SymbolKind::CONSTANT,
            d.span,
            name.span,
            index,
            Vec::new(),
        ),
        DeclKind::Let { name, .. } => symbol(
            name.name.clone(),
            Some("let".into()),
            SymbolKind::VARIABLE,
            d.span,
            name.span,
            index,
            Vec::new(),
        ),
        DeclKind::For { var, iter, body } => symbol(
            format!("for {} in {}", var.name, source(iter.span)),
            None,
            SymbolKind::NAMESPACE,
            d.span,
            var.span,
            index,
            body.iter().filter_map(|d| decl(d, index, text)).collect(),
        ),
        DeclKind::Component(c) | DeclKind::Template(c) => {
            let template = matches!(d.kind, DeclKind::Template(_));
            let detail = if template {
                format!("{} template", c.kind.name)
            } else {
                c.kind.name.clone()
            };
            symbol(
                source(c.name.span()),
                Some(detail),
                if template {
                    SymbolKind::INTERFACE
                } else {
                    SymbolKind::STRUCT
                },
                d.span,
                c.name.span(),
                index,
                fields(&c.body, index),
            )
        }
        DeclKind::Schema(_) | DeclKind::Enum { .. } | DeclKind::Union { .. } => return None,
    })
}

fn fields(block: &ast::Block, index: &LineIndex) -> Vec<DocumentSymbol> {
    block
        .entries
        .iter()
        .map(|e| {
            let children = match &e.value.kind {
                ExprKind::Record(b) | ExprKind::Tagged { body: b, .. } => fields(b, index),
                _ => Vec::new(),
            };
            symbol(
                e.key.name.clone(),
                None,
                SymbolKind::FIELD,
                e.span,
                e.key.span,
                index,
                children,
            )
        })
        .collect()
}
