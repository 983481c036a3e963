//! What the word at a position names: a schema field, a component kind, an
//! enum variant or union tag, a loop variable, a let or param, a component,
//! a template, an imported file, or a diagnostic code. Hover and
//! go-to-definition both start here.
//!
//! Names are looked up in the analyses of the file, newest first: when the
//! text is broken, what it lost is still found in the last good analysis.

use std::path::{Path, PathBuf};

use super::analysis::Analysis;
use super::context::{self, Context, Frame, Scope, Token};
use crate::check::model::Kind;
use crate::check::types::{EnumDef, FieldDef, SchemaDef, Type, Types, UnionDef};
use crate::diagnostics::Code;
use crate::resolve::{Binding, Component};
use crate::source::FileId;
use crate::syntax::ast;

/// A position in a file, with what is known about the file.
pub struct At<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub offset: usize,
    /// The analyses that include the file, newest first.
    pub analyses: Vec<&'a Analysis>,
    pub types: &'a Types,
}

/// What a word names, with what hover and definition need of it.
pub enum Symbol<'a> {
    Field {
        schema: &'a SchemaDef,
        def: &'a FieldDef,
    },
    Kind {
        kind: Kind,
        schema: &'a SchemaDef,
    },
    Variant {
        def: &'a EnumDef,
        variant: &'a str,
    },
    Tag {
        def: &'a UnionDef,
        tag: &'a str,
    },
    LoopVar {
        name: String,
        start: usize,
    },
    Binding {
        analysis: &'a Analysis,
        binding: &'a Binding,
    },
    Component {
        analysis: &'a Analysis,
        component: &'a Component,
    },
    Template {
        analysis: &'a Analysis,
        file: FileId,
        template: &'a ast::Component,
    },
    Import(PathBuf),
    Code(Code),
}

/// The word at the position, and what it names.
pub fn at<'a>(at: &At<'a>) -> Option<(std::ops::Range<usize>, Symbol<'a>)> {
    if let Some(found) = code(at) {
        return Some(found);
    }
    let range = context::word_at(at.text, at.offset);
    let ctx = context::context(at.text, range.start);
    if ctx.in_comment {
        return None;
    }
    if ctx.in_string {
        return import(at, &ctx);
    }
    let word = at.text.get(range.clone()).filter(|w| !w.is_empty())?;
    // Within a dotted path, the part under the cursor and those before it.
    let upto = at.text[at.offset.min(range.end)..range.end]
        .find('.')
        .map_or(range.end, |n| at.offset + n);
    let path: Vec<&str> = at.text[range.start..upto].split('.').collect();
    let next = next_token(&at.text[range.end..]);
    let scope = context::scope(&ctx.frames, at.types);
    let toks = context::entry_tokens(&ctx.statement);
    let symbol = match toks {
        // `kind name {` at the top level
        [] if matches!(scope, Scope::TopLevel)
            && next.starts_with(|c: char| c.is_ascii_lowercase() || c == '"') =>
        {
            kind(word, at.types)
        }
        // `template kind name {`
        [Token::Word(t, _)] if t == "template" && matches!(scope, Scope::TopLevel) => {
            kind(word, at.types)
        }
        // an entry's key
        [] if (next.starts_with('=') || next.starts_with("+=") || next.starts_with('{'))
            && let Scope::Record(schema) = scope
            && let Some(def) = schema.fields.get(word) =>
        {
            Some(Symbol::Field { schema, def })
        }
        [.., Token::Word(e, _)] if e == "extends" => template(at, &ctx, word),
        [Token::Word(kind_word, _)] if matches!(scope, Scope::TopLevel) => {
            declared_component(at, kind_word, word)
        }
        _ => {
            let key = entry_key(toks);
            let expected = scope.value_type(key.as_deref());
            if next.starts_with('{') && path.len() == 1 {
                tag(expected, word, at.types)
            } else {
                value(at, &ctx, &path, expected)
            }
        }
    }?;
    Some((range, symbol))
}

/// The key of the entry whose value is being written: `key = …`.
pub fn entry_key(toks: &[Token]) -> Option<String> {
    match toks {
        [Token::Word(key, _), Token::Assign, ..] => Some(key.clone()),
        _ => None,
    }
}

fn next_token(rest: &str) -> &str {
    rest.trim_start_matches([' ', '\t'])
}

fn kind<'a>(word: &str, types: &'a Types) -> Option<Symbol<'a>> {
    let kind = Kind::parse(word)?;
    let schema = types.schemas.get(types.components.get(&kind)?)?;
    Some(Symbol::Kind { kind, schema })
}

/// A diagnostic code or rule id in a comment or a string (`@allow("…")`).
fn code<'a>(at: &At<'a>) -> Option<(std::ops::Range<usize>, Symbol<'a>)> {
    let bytes = at.text.as_bytes();
    let part = |b: u8| context::is_word_byte(b) || b == b'/';
    let mut start = at.offset.min(bytes.len());
    while start > 0 && part(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = at.offset.min(bytes.len());
    while end < bytes.len() && part(bytes[end]) {
        end += 1;
    }
    let code = Code::parse(at.text.get(start..end)?)?;
    let ctx = context::context(at.text, start);
    (ctx.in_comment || ctx.in_string).then_some((start..end, Symbol::Code(code)))
}

/// `import "x.pfk"`: the file, relative to the importing file.
fn import<'a>(at: &At<'a>, ctx: &Context) -> Option<(std::ops::Range<usize>, Symbol<'a>)> {
    if !ctx.frames.is_empty()
        || !matches!(ctx.statement.as_slice(), [Token::Word(w, _)] if w == "import")
    {
        return None;
    }
    let start = at.text[..at.offset].rfind('"')? + 1;
    let end = start + at.text[start..].find(['"', '\n'])?;
    let dir = at.path.parent().unwrap_or(Path::new(""));
    let mut path = dir.to_path_buf();
    for part in at.text[start..end].split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                path.pop();
            }
            p => path.push(p),
        }
    }
    Some((start..end, Symbol::Import(path)))
}

/// `worker w extends NAME`: the template of the declaration's kind.
fn template<'a>(at: &At<'a>, ctx: &Context, name: &str) -> Option<Symbol<'a>> {
    let toks = context::entry_tokens(&ctx.statement);
    let kind = match toks {
        [Token::Word(t, _), Token::Word(k, _), ..] if t == "template" => k,
        [Token::Word(k, _), ..] => k,
        _ => return None,
    };
    at.analyses.iter().find_map(|a| {
        a.templates()
            .into_iter()
            .find(|(_, t)| {
                t.kind.name == *kind && matches!(&t.name, ast::CompName::Ident(i) if i.name == name)
            })
            .map(|(file, template)| Symbol::Template {
                analysis: a,
                file,
                template,
            })
    })
}

/// `kind NAME {`: the component being declared.
fn declared_component<'a>(at: &At<'a>, kind: &str, name: &str) -> Option<Symbol<'a>> {
    let kind = Kind::parse(kind)?;
    component(at, Some(kind), name)
}

fn component<'a>(at: &At<'a>, kind: Option<Kind>, name: &str) -> Option<Symbol<'a>> {
    at.analyses.iter().find_map(|a| {
        a.components(kind)
            .find(|c| c.name == name)
            .map(|component| Symbol::Component {
                analysis: a,
                component,
            })
    })
}

/// A name in a value: a loop variable, let, param, component or variant.
fn value<'a>(
    at: &At<'a>,
    ctx: &Context,
    path: &[&str],
    expected: Option<&'a Type>,
) -> Option<Symbol<'a>> {
    let base = path.first()?;
    if path.len() == 1 {
        let loop_var = ctx.frames.iter().rev().find_map(|f| match f {
            Frame::For { var, var_start } if var == base => Some(*var_start),
            _ => None,
        });
        if let Some(start) = loop_var {
            return Some(Symbol::LoopVar {
                name: base.to_string(),
                start,
            });
        }
    }
    if let Some(found) = at.analyses.iter().find_map(|a| {
        a.output
            .resolved
            .bindings
            .iter()
            .find(|b| b.name.name == *base)
            .map(|binding| Symbol::Binding {
                analysis: a,
                binding,
            })
    }) {
        return Some(found);
    }
    let kinds = expected.map(referenced_kinds).unwrap_or_default();
    if let Some(found) = kinds
        .iter()
        .find_map(|k| component(at, Some(*k), base))
        .or_else(|| component(at, None, base))
    {
        return Some(found);
    }
    variant(expected?, base, at.types)
}

/// The component kinds a value of this type may name.
pub fn referenced_kinds(ty: &Type) -> Vec<Kind> {
    match ty {
        Type::Ref(k) => vec![*k],
        Type::Optional(t) | Type::List(t) => referenced_kinds(t),
        Type::Alt(ts) => ts.iter().flat_map(referenced_kinds).collect(),
        Type::Union(u) => crate::stdlib()
            .types
            .unions
            .get(u)
            .map(|u| {
                u.variants
                    .iter()
                    .flat_map(|(_, _, t)| referenced_kinds(t))
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn variant<'a>(ty: &Type, name: &str, types: &'a Types) -> Option<Symbol<'a>> {
    match ty {
        Type::Enum(e) => {
            let def = types.enums.get(e)?;
            let (variant, _) = def.variants.iter().find(|(v, _)| *v == name)?;
            Some(Symbol::Variant { def, variant })
        }
        Type::Optional(t) | Type::List(t) => variant(t, name, types),
        Type::Alt(ts) => ts.iter().find_map(|t| variant(t, name, types)),
        _ => None,
    }
}

/// `field = TAG { … }`
fn tag<'a>(ty: Option<&Type>, name: &str, types: &'a Types) -> Option<Symbol<'a>> {
    match ty? {
        Type::Union(u) => {
            let def = types.unions.get(u)?;
            let (tag, _, _) = def.variants.iter().find(|(t, _, _)| *t == name)?;
            Some(Symbol::Tag { def, tag })
        }
        Type::Optional(t) | Type::List(t) => tag(Some(t), name, types),
        Type::Alt(ts) => ts.iter().find_map(|t| tag(Some(t), name, types)),
        _ => None,
    }
}
