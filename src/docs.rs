//! Reference documentation generated from the standard library: every
//! component, schema, enum and union with its fields' types, defaults,
//! constraints and doc comments. `docs/components.md` is this output;
//! `tests/docs.rs` fails when the file is out of date.

use crate::STDLIB;
use crate::resolve::StdDecl;
use crate::source::Span;
use crate::syntax::ast::TypeExpr;

/// The text of a span of a standard-library file.
fn source(span: Span) -> &'static str {
    let text = span
        .anchor
        .file()
        .and_then(|f| (f.0 as usize).checked_sub(1))
        .and_then(|index| STDLIB.get(index))
        .map(|(_, t)| *t)
        .unwrap_or_default();
    text.get(span.start as usize..span.end as usize)
        .unwrap_or_default()
}

fn type_text(t: &TypeExpr) -> String {
    match t {
        TypeExpr::Named(i) => i.name.clone(),
        TypeExpr::List(t) => format!("[{}]", type_text(t)),
        TypeExpr::Map(t) => format!("{{String: {}}}", type_text(t)),
        TypeExpr::Ref(i) => format!("Ref<{}>", i.name),
        TypeExpr::Optional(t) => format!("{}?", type_text(t)),
        TypeExpr::Union(ts) => ts.iter().map(type_text).collect::<Vec<_>>().join(" | "),
    }
}

/// A table cell: one line, with `|` escaped.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

fn code(text: &str) -> String {
    format!("`{}`", cell(text))
}

fn doc_text(doc: Option<&str>) -> String {
    doc.map(cell).unwrap_or_default()
}

/// The file a declaration is written in, by its name's span.
fn decl_file(d: &StdDecl) -> u32 {
    match d {
        StdDecl::Schema { name, .. } | StdDecl::Enum { name, .. } | StdDecl::Union { name, .. } => {
            name.span.anchor.file().map_or(0, |f| f.0)
        }
    }
}

/// `### keyword `Name`` and the declaration's doc comment.
fn heading(out: &mut String, keyword: &str, name: &str, doc: Option<&str>) {
    out.push_str(&format!("### {keyword} `{name}`\n\n"));
    if let Some(doc) = doc {
        out.push_str(&format!("{}\n\n", doc.trim()));
    }
}

fn schema(out: &mut String, d: &StdDecl) {
    let StdDecl::Schema {
        name,
        is_component,
        doc,
        fields,
    } = d
    else {
        return;
    };
    let keyword = if *is_component { "component" } else { "schema" };
    heading(out, keyword, &name.name, doc.as_deref());
    out.push_str("| field | type | default | description |\n|---|---|---|---|\n");
    for f in fields {
        let ty = type_text(&f.ty);
        let default = match &f.default {
            Some(v) => code(source(v.span)),
            None if matches!(f.ty, TypeExpr::Optional(_)) => "unset".to_string(),
            None => "**required**".to_string(),
        };
        let mut description = doc_text(f.doc.as_deref());
        if f.constraint.is_some()
            && let Some((_, constraint)) = source(f.span).split_once(" where ")
        {
            description.push_str(&format!(" Constraint: {}.", code(constraint)));
        }
        out.push_str(&format!(
            "| `{}` | {} | {default} | {} |\n",
            f.name.name,
            code(&ty),
            description.trim()
        ));
    }
    out.push('\n');
}

fn enumeration(out: &mut String, d: &StdDecl) {
    let StdDecl::Enum {
        name,
        doc,
        variants,
    } = d
    else {
        return;
    };
    heading(out, "enum", &name.name, doc.as_deref());
    out.push_str("| variant | description |\n|---|---|\n");
    for (v, doc) in variants {
        out.push_str(&format!(
            "| `{}` | {} |\n",
            v.name,
            doc_text(doc.as_deref())
        ));
    }
    out.push('\n');
}

fn union(out: &mut String, d: &StdDecl) {
    let StdDecl::Union {
        name,
        doc,
        variants,
    } = d
    else {
        return;
    };
    heading(out, "union", &name.name, doc.as_deref());
    out.push_str("| variant | value | description |\n|---|---|---|\n");
    for (v, doc, ty) in variants {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            v.name,
            code(&type_text(ty)),
            doc_text(doc.as_deref())
        ));
    }
    out.push('\n');
}

/// `docs/components.md`: the standard library file by file, in the order
/// the compiler reads it.
pub fn components_markdown() -> String {
    let std = crate::stdlib();
    let mut out = String::from(
        "# Components and their schemas\n\n\
         Generated from the standard library (`stdlib/*.pfk`) by\n\
         `prefectc::docs::components_markdown()`: do not edit by hand.\n\
         `tests/docs.rs` fails when this file is out of date;\n\
         `UPDATE_DOCS=1 cargo test --test docs` rewrites it.\n\n\
         A field is **required** unless it has a default or its type is\n\
         optional (`T?`, unset by default). Block defaults merge with what\n\
         is written (`docs/language.md`).\n\n",
    );
    for (i, (path, _)) in STDLIB.iter().enumerate() {
        let file = i as u32 + 1;
        let decls: Vec<&StdDecl> = std
            .decls()
            .iter()
            .filter(|d| decl_file(d) == file)
            .collect();
        if decls.is_empty() {
            continue;
        }
        let path = path.trim_start_matches("<stdlib>/");
        out.push_str(&format!("## `stdlib/{path}`\n\n"));
        for d in decls {
            match d {
                StdDecl::Schema { .. } => schema(&mut out, d),
                StdDecl::Enum { .. } => enumeration(&mut out, d),
                StdDecl::Union { .. } => union(&mut out, d),
            }
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
