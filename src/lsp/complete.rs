//! Completion: the fields of the block at the cursor, the values a field's
//! type allows (enum variants, union tags, components of the referenced
//! kind, lets, params and loop variables), templates after `extends`, rule
//! ids inside `@allow(`, and component kinds at the top level.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent,
    MarkupKind, TextEdit,
};

use super::context::{self, Frame, Scope, Token};
use super::convert::LineIndex;
use super::symbol::{At, entry_key};
use crate::check::model::Kind;
use crate::check::types::{Prim, Type};
use crate::diagnostics::rules::CATALOGUE;

/// Declarations that are not components.
const KEYWORDS: &[&str] = &["import", "param", "let", "for", "template"];

struct Items<'a> {
    items: Vec<CompletionItem>,
    index: LineIndex<'a>,
    replace: std::ops::Range<usize>,
}

impl Items<'_> {
    fn push(
        &mut self,
        label: &str,
        kind: CompletionItemKind,
        detail: Option<String>,
        doc: Option<&str>,
    ) {
        self.push_text(label, label, kind, detail, doc);
    }

    fn push_text(
        &mut self,
        label: &str,
        insert: &str,
        kind: CompletionItemKind,
        detail: Option<String>,
        doc: Option<&str>,
    ) {
        if self.items.iter().any(|i| i.label == label) {
            return;
        }
        let range = self.index.range(self.replace.start, self.replace.end);
        self.items.push(CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            detail,
            documentation: doc.map(|d| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: d.to_string(),
                })
            }),
            // Keeps the order of the schema, where it matters.
            sort_text: Some(format!("{:04}", self.items.len())),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                range,
                insert.to_string(),
            ))),
            ..CompletionItem::default()
        });
    }
}

/// The completions at the position; each replaces the word typed so far.
pub fn complete(at: &At) -> Vec<CompletionItem> {
    let offset = at.offset.min(at.text.len());
    let bytes = at.text.as_bytes();
    let mut start = offset;
    while start > 0 && (context::is_word_byte(bytes[start - 1]) || bytes[start - 1] == b'/') {
        start -= 1;
    }
    let ctx = context::context(at.text, start);
    let mut items = Items {
        items: Vec::new(),
        index: LineIndex::new(at.text),
        replace: start..offset,
    };
    if ctx.in_comment {
        return Vec::new();
    }
    if matches!(ctx.frames.last(), Some(Frame::Attribute { name }) if name == "allow") {
        rule_ids(&mut items, ctx.in_string);
        return items.items;
    }
    if ctx.in_string {
        return Vec::new();
    }
    // A path (`prefect.database`) is not completed past its first part.
    if bytes[..start].ends_with(b".") {
        return Vec::new();
    }
    let scope = context::scope(&ctx.frames, at.types);
    let toks = context::entry_tokens(&ctx.statement);
    match toks {
        [.., Token::Word(e, _)] if e == "extends" => templates(&mut items, at, toks),
        [] => match scope {
            Scope::TopLevel => top_level(&mut items, at),
            Scope::Record(schema) => {
                for (name, def) in &schema.fields {
                    items.push(
                        name,
                        CompletionItemKind::FIELD,
                        Some(def.ty.display()),
                        def.doc.as_deref(),
                    );
                }
            }
            Scope::List(item) => values(&mut items, at, &ctx.frames, item),
            Scope::Map(_) | Scope::Unknown => {}
        },
        [.., Token::Assign | Token::Op] => {
            if let Some(ty) = scope.value_type(entry_key(toks).as_deref()) {
                values(&mut items, at, &ctx.frames, ty);
            }
        }
        _ => {}
    }
    items.items
}

fn top_level(items: &mut Items, at: &At) {
    for (kind, schema) in &at.types.components {
        let doc = at.types.schemas.get(schema).and_then(|s| s.doc.as_deref());
        items.push(kind.as_str(), CompletionItemKind::CLASS, None, doc);
    }
    for k in KEYWORDS {
        items.push(k, CompletionItemKind::KEYWORD, None, None);
    }
}

/// `@allow(` takes the ids of the rules that may be waived.
fn rule_ids(items: &mut Items, in_string: bool) {
    for rule in CATALOGUE.iter().filter(|r| r.waivable) {
        let quoted = format!("\"{}\"", rule.id);
        let insert = if in_string { rule.id } else { &quoted };
        items.push_text(
            rule.id,
            insert,
            CompletionItemKind::CONSTANT,
            Some(rule.summary.to_string()),
            crate::diagnostics::explanation(rule.id),
        );
    }
}

fn templates(items: &mut Items, at: &At, toks: &[Token]) {
    let kind = match toks {
        [Token::Word(t, _), Token::Word(k, _), ..] if t == "template" => k,
        [Token::Word(k, _), ..] => k,
        _ => return,
    };
    for a in &at.analyses {
        for (_, t) in a.templates() {
            if t.kind.name == *kind
                && let crate::syntax::ast::CompName::Ident(name) = &t.name
            {
                items.push(
                    &name.name,
                    CompletionItemKind::CLASS,
                    Some(format!("{kind} template")),
                    None,
                );
            }
        }
    }
}

/// What may be written where a value of type `ty` is expected.
fn values(items: &mut Items, at: &At, frames: &[Frame], ty: &Type) {
    typed_values(items, at, ty);
    for frame in frames.iter().rev() {
        if let Frame::For { var, .. } = frame {
            items.push(
                var,
                CompletionItemKind::VARIABLE,
                Some("loop variable".into()),
                None,
            );
        }
    }
    for a in &at.analyses {
        for b in &a.output.resolved.bindings {
            let what = if b.param_type.is_some() {
                "param"
            } else {
                "let"
            };
            items.push(
                &b.name.name,
                CompletionItemKind::VARIABLE,
                Some(what.into()),
                None,
            );
        }
    }
}

fn typed_values(items: &mut Items, at: &At, ty: &Type) {
    match ty {
        Type::Optional(t) => {
            typed_values(items, at, t);
            items.push(
                "none",
                CompletionItemKind::KEYWORD,
                Some("unset".into()),
                None,
            );
        }
        Type::Enum(name) => {
            if let Some(def) = at.types.enums.get(name) {
                for (v, doc) in &def.variants {
                    items.push(
                        v,
                        CompletionItemKind::ENUM_MEMBER,
                        Some(name.to_string()),
                        doc.as_deref(),
                    );
                }
            }
        }
        Type::Ref(kind) => components(items, at, *kind),
        Type::Union(name) => {
            let Some(def) = at.types.unions.get(name) else {
                return;
            };
            for (tag, doc, t) in &def.variants {
                match t {
                    Type::Record(_) => items.push(
                        tag,
                        CompletionItemKind::STRUCT,
                        Some(name.to_string()),
                        doc.as_deref(),
                    ),
                    t => typed_values(items, at, t),
                }
            }
        }
        Type::Alt(ts) => ts.iter().for_each(|t| typed_values(items, at, t)),
        Type::Prim(Prim::Bool) => {
            items.push("true", CompletionItemKind::KEYWORD, None, None);
            items.push("false", CompletionItemKind::KEYWORD, None, None);
        }
        Type::Prim(p @ (Prim::Secret | Prim::SecretName | Prim::ConfigMap)) => {
            let call = match p {
                Prim::Secret => "secret(\"NAME\", \"KEY\")",
                Prim::SecretName => "secret(\"NAME\")",
                _ => "config-map(\"NAME\", \"KEY\")",
            };
            items.push(
                call,
                CompletionItemKind::FUNCTION,
                Some(p.name().into()),
                None,
            );
        }
        _ => {}
    }
}

fn components(items: &mut Items, at: &At, kind: Kind) {
    for a in &at.analyses {
        for c in a.components(Some(kind)) {
            items.push(
                &c.name,
                CompletionItemKind::REFERENCE,
                Some(kind.as_str().to_string()),
                c.doc.as_deref(),
            );
        }
    }
}
