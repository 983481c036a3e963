//! Go to definition: a reference to where it is declared, a field or kind to
//! its schema in the standard library (written out as files, see
//! [`super::stdlib_files`]), an import to the imported file.

use lsp_types::{Location, Position, Range};

use super::analysis::Documents;
use super::convert::{self, LineIndex};
use super::stdlib_files;
use super::symbol::{self, At, Symbol};
use crate::resolve::StdDecl;
use crate::source::Span;
use crate::syntax::ast;
use crate::{STDLIB, stdlib};

/// Where the word at the position is declared.
pub fn definition(at: &At, documents: &Documents) -> Option<Location> {
    let (_, symbol) = symbol::at(at)?;
    match symbol {
        Symbol::Field { def, .. } => {
            let declared = super::hover::stdlib_text(def.span)?;
            stdlib_location(Span {
                end: def.span.start + declared.len() as u32,
                ..def.span
            })
        }
        Symbol::Kind { schema, .. } => stdlib_location(std_decl_span(|d| match d {
            StdDecl::Schema { name, .. } if *name.name == *schema.name => Some(name.span),
            _ => None,
        })?),
        Symbol::Variant { def, variant } => stdlib_location(std_decl_span(|d| match d {
            StdDecl::Enum { name, variants, .. } if name.name == def.name => variants
                .iter()
                .find(|(v, _)| v.name == variant)
                .map(|(v, _)| v.span),
            _ => None,
        })?),
        Symbol::Tag { def, tag } => stdlib_location(std_decl_span(|d| match d {
            StdDecl::Union { name, variants, .. } if name.name == def.name => variants
                .iter()
                .find(|(t, _, _)| t.name == tag)
                .map(|(t, _, _)| t.span),
            _ => None,
        })?),
        Symbol::LoopVar { name, start } => {
            let index = LineIndex::new(at.text);
            Some(Location::new(
                documents.uri(at.path)?,
                index.range(start, start + name.len()),
            ))
        }
        Symbol::Binding { analysis, binding } => analysis.location(binding.name.span, documents),
        Symbol::Component {
            analysis,
            component,
        } => analysis.location(component.name_span, documents),
        Symbol::Template {
            analysis, template, ..
        } => {
            let span = match &template.name {
                ast::CompName::Ident(i) => i.span,
                ast::CompName::Str(s) => s.span,
            };
            analysis.location(span, documents)
        }
        Symbol::Import(path) => {
            if documents.get(&path).is_none() && !path.is_file() {
                return None;
            }
            let start = Position::new(0, 0);
            Some(Location::new(
                documents.uri(&path)?,
                Range::new(start, start),
            ))
        }
        Symbol::Code(_) => None,
    }
}

fn std_decl_span(find: impl Fn(&StdDecl) -> Option<Span>) -> Option<Span> {
    stdlib().decls().iter().find_map(find)
}

/// A span in the standard library, in its file in the cache directory.
fn stdlib_location(span: Span) -> Option<Location> {
    let file = span.anchor.file()?;
    let (_, text) = STDLIB.get((file.0 as usize).checked_sub(1)?)?;
    let index = LineIndex::new(text);
    let path = stdlib_files::path(file)?;
    Some(Location::new(
        convert::path_to_uri(&path)?,
        index.range(span.start as usize, span.end as usize),
    ))
}
