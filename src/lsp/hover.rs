//! Hover: a field's declaration and doc comment from its schema, the value
//! a name stands for, a diagnostic code's long explanation.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::convert::LineIndex;
use super::symbol::{self, At, Symbol};
use crate::STDLIB;
use crate::resolve::{Record, Value, ValueKind};
use crate::source::Span;
use crate::syntax::ast;

/// The hover of the word at the position, as Markdown.
pub fn hover(at: &At) -> Option<Hover> {
    let (range, symbol) = symbol::at(at)?;
    let markdown = describe(at, &symbol)?;
    let index = LineIndex::new(at.text);
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(index.range(range.start, range.end)),
    })
}

fn describe(at: &At, symbol: &Symbol) -> Option<String> {
    Some(match symbol {
        Symbol::Field { schema, def } => {
            // The declaration as the schema writes it: type, default, constraint.
            let declared = stdlib_text(def.span)
                .map(str::to_string)
                .unwrap_or_else(|| format!("{}: {}", def.name, def.ty.display()));
            with_doc(
                format!("{}\n\n*field of `{}`*", code_block(&declared), schema.name),
                def.doc.as_deref(),
            )
        }
        Symbol::Kind { kind, schema } => with_doc(
            code_block(&format!("{} NAME {{ … }}", kind.as_str())),
            schema.doc.as_deref(),
        ),
        Symbol::Variant { def, variant } => {
            let doc = def
                .variants
                .iter()
                .find(|(v, _)| v == variant)
                .and_then(|(_, d)| d.as_deref());
            with_doc(code_block(&format!("{variant}: {}", def.name)), doc)
        }
        Symbol::Tag { def, tag } => {
            let (_, doc, ty) = def.variants.iter().find(|(t, _, _)| t == tag)?;
            with_doc(
                code_block(&format!("{tag} {{ … }}: {} ({})", def.name, ty.display())),
                doc.as_deref(),
            )
        }
        Symbol::LoopVar { name, start } => {
            let line_end = at.text[*start..]
                .find('\n')
                .map_or(at.text.len(), |n| start + n);
            let line_start = at.text[..*start].rfind('\n').map_or(0, |n| n + 1);
            format!(
                "loop variable `{name}`\n\n{}",
                code_block(at.text[line_start..line_end].trim_end_matches(['{', ' ']))
            )
        }
        Symbol::Binding { binding, .. } => {
            let value = binding
                .value
                .as_ref()
                .map_or_else(|| "(no value)".to_string(), |v| render(v, 0));
            let declared = match &binding.param_type {
                Some(ty) => format!("param {}: {} = {value}", binding.name.name, type_text(ty)),
                None => format!("let {} = {value}", binding.name.name),
            };
            code_block(&declared)
        }
        Symbol::Component { component, .. } => {
            let header = format!(
                "{} {} {}",
                component.kind.name,
                component.name,
                render_record(&component.body, 0)
            );
            with_doc(code_block(&header), component.doc.as_deref())
        }
        Symbol::Template {
            analysis,
            file,
            template,
        } => {
            let span = analysis.place(template.kind.span.to(template.body.span));
            let text = analysis.text(*file);
            let source = text.get(span.range())?;
            code_block(&format!("template {source}"))
        }
        Symbol::Import(path) => format!("`{}`", path.display()),
        Symbol::Code(code) => {
            let text = crate::diagnostics::explanation(code.as_str())?;
            format!("**{}**: {}\n\n{text}", code.as_str(), code.title())
        }
    })
}

fn code_block(text: &str) -> String {
    format!("```pfk\n{text}\n```")
}

fn with_doc(head: String, doc: Option<&str>) -> String {
    match doc {
        Some(d) => format!("{head}\n\n{d}"),
        None => head,
    }
}

/// The source text of a declaration in the standard library, without the
/// blank and comment lines its span may end with (the doc comment of the
/// next field).
pub fn stdlib_text(span: Span) -> Option<&'static str> {
    let file = span.anchor.file()?;
    let (_, text) = STDLIB.get((file.0 as usize).checked_sub(1)?)?;
    let mut source = text.get(span.start as usize..span.end as usize)?.trim_end();
    while let Some((before, last)) = source.rsplit_once('\n')
        && last.trim_start().starts_with("//")
    {
        source = before.trim_end();
    }
    Some(source)
}

fn type_text(ty: &ast::TypeExpr) -> String {
    match ty {
        ast::TypeExpr::Named(i) => i.name.clone(),
        ast::TypeExpr::List(t) => format!("[{}]", type_text(t)),
        ast::TypeExpr::Map(t) => format!("{{String: {}}}", type_text(t)),
        ast::TypeExpr::Ref(i) => format!("Ref<{}>", i.name),
        ast::TypeExpr::Optional(t) => format!("{}?", type_text(t)),
        ast::TypeExpr::Union(ts) => ts.iter().map(type_text).collect::<Vec<_>>().join(" | "),
    }
}

/// Deep enough to show a block's settings; deeper levels are `{ … }`.
const DEPTH: usize = 3;

/// A value as it could be written.
pub fn render(v: &Value, depth: usize) -> String {
    match &v.kind {
        ValueKind::List(items) => {
            if depth >= DEPTH {
                return "[…]".to_string();
            }
            let items: Vec<String> = items.iter().map(|i| render(i, depth + 1)).collect();
            format!("[{}]", items.join(", "))
        }
        ValueKind::Record(r) => render_record(r, depth),
        ValueKind::Tagged { tag, body } => format!("{} {}", tag.name, render_record(body, depth)),
        ValueKind::None => "none".to_string(),
        ValueKind::Member { base, path } => std::iter::once(base)
            .chain(path)
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>()
            .join("."),
        ValueKind::Secret { name, key } | ValueKind::ConfigMap { name, key } => {
            let func = if matches!(v.kind, ValueKind::Secret { .. }) {
                "secret"
            } else {
                "config-map"
            };
            match key {
                Some(k) => format!("{func}({name:?}, {k:?})"),
                None => format!("{func}({name:?})"),
            }
        }
        ValueKind::Poisoned => "(invalid)".to_string(),
        _ => v.as_written(),
    }
}

fn render_record(r: &Record, depth: usize) -> String {
    if r.fields.is_empty() {
        return "{}".to_string();
    }
    if depth >= DEPTH {
        return "{ … }".to_string();
    }
    let indent = "  ".repeat(depth + 1);
    let mut out = String::from("{\n");
    for (key, f) in &r.fields {
        let op = if f.append_to_default { "+=" } else { "=" };
        out.push_str(&format!(
            "{indent}{key} {op} {}\n",
            render(&f.value, depth + 1)
        ));
    }
    out.push_str(&"  ".repeat(depth));
    out.push('}');
    out
}
