//! Turns pest's parse tree into the AST.

use pest::iterators::Pair;

use super::Rule;
use super::ast::*;
use super::error::SyntaxError;
use crate::diagnostics::Diagnostics;
use crate::source::{Anchor, Span};

pub struct Builder<'a> {
    /// What the spans count from: the file's start, or the piece's.
    anchor: Anchor,
    /// Where `anchor` is in `text`.
    base: usize,
    /// The whole file (doc comments are read from it).
    text: &'a str,
    /// Where the parsed piece starts in `text`.
    offset: usize,
    diags: &'a mut Diagnostics,
}

fn is_keyword(r: Rule) -> bool {
    matches!(
        r,
        Rule::kw_import
            | Rule::kw_param
            | Rule::kw_let
            | Rule::kw_for
            | Rule::kw_in
            | Rule::kw_template
            | Rule::kw_extends
            | Rule::kw_schema
            | Rule::kw_component
            | Rule::kw_enum
            | Rule::kw_union
            | Rule::kw_where
            | Rule::kw_if
            | Rule::kw_else
    )
}

/// A node of a parse tree, as the builder reads it: pest's own
/// [`Pair`], or a [`Node`](super::flat::Node) of a tree parsed on another
/// thread and sent back as plain data.
pub trait Tree<'i>: Clone {
    type Inner: Iterator<Item = Self>;
    fn as_rule(&self) -> Rule;
    /// The node's text, from the parsed text.
    fn as_str(&self) -> &'i str;
    /// Where the node starts and ends in the parsed text.
    fn range(&self) -> (usize, usize);
    fn into_inner(self) -> Self::Inner;
}

impl<'i> Tree<'i> for Pair<'i, Rule> {
    type Inner = pest::iterators::Pairs<'i, Rule>;
    fn as_rule(&self) -> Rule {
        Pair::as_rule(self)
    }
    fn as_str(&self) -> &'i str {
        Pair::as_str(self)
    }
    fn range(&self) -> (usize, usize) {
        let s = self.as_span();
        (s.start(), s.end())
    }
    fn into_inner(self) -> Self::Inner {
        Pair::into_inner(self)
    }
}

/// The children of a pair, without keyword tokens.
fn inner<'i, T: Tree<'i>>(p: T) -> impl Iterator<Item = T> {
    p.into_inner().filter(|c| !is_keyword(c.as_rule()))
}

impl<'a> Builder<'a> {
    /// The builder of `text[offset..]`'s tree, whose spans count from
    /// `anchor`, which is at `base` in `text`.
    pub fn new(
        (anchor, base): (Anchor, usize),
        text: &'a str,
        offset: usize,
        diags: &'a mut Diagnostics,
    ) -> Builder<'a> {
        debug_assert!(base <= offset);
        Builder {
            anchor,
            base,
            text,
            offset,
            diags,
        }
    }

    fn span<'i>(&self, p: &impl Tree<'i>) -> Span {
        let (start, end) = p.range();
        let from = self.offset - self.base;
        Span::new(self.anchor, from + start, from + end)
    }

    /// The text of the file before `span`.
    fn before(&self, span: Span) -> &'a str {
        &self.text[..self.base + span.start as usize]
    }

    /// The declarations of `file`, the tree of the `file` rule.
    pub fn file<'i>(&mut self, file: impl Tree<'i>) -> Vec<Decl> {
        inner(file)
            .filter(|p| p.as_rule() == Rule::decl)
            .map(|p| self.decl(p))
            .collect()
    }

    /// The `///` lines directly above the line where `span` starts.
    fn doc_before(&self, span: Span) -> Option<String> {
        let before = self.before(span);
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        if !before[line_start..].trim().is_empty() {
            return None;
        }
        let mut lines: Vec<&str> = Vec::new();
        for line in before[..line_start].lines().rev() {
            match line.trim_start().strip_prefix("///") {
                Some(doc) => lines.push(doc.strip_prefix(' ').unwrap_or(doc)),
                None => break,
            }
        }
        if lines.is_empty() {
            return None;
        }
        lines.reverse();
        Some(lines.join("\n"))
    }

    fn decl<'i, T: Tree<'i>>(&mut self, p: T) -> Decl {
        let span = self.span(&p);
        let mut attrs = Vec::new();
        let mut kind = None;
        for c in inner(p) {
            match c.as_rule() {
                Rule::attribute => attrs.push(self.attribute(c)),
                _ => kind = Some(self.decl_kind(c)),
            }
        }
        Decl {
            attrs,
            doc: self.doc_before(span),
            kind: kind.expect("a declaration has a body"),
            span,
        }
    }

    fn decl_kind<'i, T: Tree<'i>>(&mut self, p: T) -> DeclKind {
        let rule = p.as_rule();
        let mut it = inner(p);
        match rule {
            Rule::import_decl => DeclKind::Import(self.string(it.next().expect("import path"))),
            Rule::param_decl => {
                let name = self.ident(it.next().expect("param name"));
                let ty = self.type_expr(it.next().expect("param type"));
                let default = it.next().map(|e| self.expr(e));
                DeclKind::Param { name, ty, default }
            }
            Rule::let_decl => {
                let name = self.ident(it.next().expect("let name"));
                let value = self.expr(it.next().expect("let value"));
                DeclKind::Let { name, value }
            }
            Rule::for_decl => {
                let var = self.ident(it.next().expect("loop variable"));
                let iter = self.expr(it.next().expect("loop list"));
                let body = it.map(|d| self.decl(d)).collect();
                DeclKind::For { var, iter, body }
            }
            Rule::template_decl => DeclKind::Template(self.component(it)),
            Rule::component => DeclKind::Component(self.component(it)),
            Rule::schema_decl => self.schema(it),
            Rule::enum_decl => {
                let name = self.ident(it.next().expect("enum name"));
                let variants = it
                    .map(|v| {
                        let id = self.ident(v);
                        let doc = self.doc_before(id.span);
                        (id, doc)
                    })
                    .collect();
                DeclKind::Enum { name, variants }
            }
            Rule::union_decl => {
                let name = self.ident(it.next().expect("union name"));
                let variants = it
                    .map(|v| {
                        let mut vi = inner(v);
                        let tag = self.path_idents(vi.next().expect("variant tag"));
                        let tag = join_path(&tag);
                        let doc = self.doc_before(tag.span);
                        let ty = self.type_expr(vi.next().expect("variant type"));
                        UnionVariant { tag, doc, ty }
                    })
                    .collect();
                DeclKind::Union { name, variants }
            }
            r => unreachable!("the grammar has no declaration {r:?}"),
        }
    }

    fn component<'i, T: Tree<'i>>(&mut self, mut it: impl Iterator<Item = T>) -> Component {
        let kind = self.ident(it.next().expect("component kind"));
        let name_pair = it.next().expect("component name");
        let name_inner = inner(name_pair)
            .next()
            .expect("a name is an ident or a string");
        let name = match name_inner.as_rule() {
            Rule::ident => CompName::Ident(self.ident(name_inner)),
            _ => CompName::Str(self.string(name_inner)),
        };
        let mut extends = None;
        let mut body = None;
        for c in it {
            match c.as_rule() {
                Rule::extends => {
                    extends = Some(self.ident(inner(c).next().expect("template name")))
                }
                _ => body = Some(self.block(c)),
            }
        }
        Component {
            kind,
            name,
            extends,
            body: body.expect("a component has a block"),
        }
    }

    fn schema<'i, T: Tree<'i>>(&mut self, mut it: impl Iterator<Item = T>) -> DeclKind {
        // The keyword was filtered out; `component` vs `schema` is told by the text before the name.
        let name = self.ident(it.next().expect("schema name"));
        let head = self.before(name.span);
        let is_component = head.trim_end().ends_with("component");
        let fields = it
            .map(|f| {
                let span = self.span(&f);
                let mut fi = inner(f);
                let name = self.field_key(fi.next().expect("field name"));
                let ty = self.type_expr(fi.next().expect("field type"));
                let mut default = None;
                let mut constraint = None;
                for rest in fi {
                    let e = self.expr(rest.clone());
                    // `where` was filtered: a constraint follows the keyword in the text.
                    let before = self.before(e.span).trim_end();
                    if before.ends_with("where") {
                        constraint = Some(e);
                    } else {
                        default = Some(e);
                    }
                }
                SchemaField {
                    doc: self.doc_before(span),
                    name,
                    ty,
                    default,
                    constraint,
                    span,
                }
            })
            .collect();
        DeclKind::Schema(Schema {
            name,
            is_component,
            fields,
        })
    }

    fn type_expr<'i, T: Tree<'i>>(&mut self, p: T) -> TypeExpr {
        let mut alts: Vec<TypeExpr> = inner(p).map(|a| self.type_atom(a)).collect();
        if alts.len() == 1 {
            alts.pop().expect("one alternative")
        } else {
            TypeExpr::Union(alts)
        }
    }

    fn type_atom<'i, T: Tree<'i>>(&mut self, p: T) -> TypeExpr {
        let mut it = inner(p);
        let base = it.next().expect("a type");
        let ty = match base.as_rule() {
            Rule::list_type => TypeExpr::List(Box::new(
                self.type_expr(inner(base).next().expect("element type")),
            )),
            Rule::map_type => {
                let mut mi = inner(base);
                mi.next(); // the key type: always String
                TypeExpr::Map(Box::new(self.type_expr(mi.next().expect("value type"))))
            }
            Rule::ref_type => TypeExpr::Ref(self.ident(inner(base).next().expect("kind"))),
            _ => TypeExpr::Named(self.ident(base)),
        };
        if it.next().is_some() {
            TypeExpr::Optional(Box::new(ty))
        } else {
            ty
        }
    }

    fn attribute<'i, T: Tree<'i>>(&mut self, p: T) -> Attribute {
        let span = self.span(&p);
        let mut it = inner(p);
        let name = self.ident(it.next().expect("attribute name"));
        let args = it
            .map(|a| {
                let arg = inner(a).next().expect("an argument");
                if arg.as_rule() == Rule::named_arg {
                    let mut ni = inner(arg);
                    let name = self.ident(ni.next().expect("argument name"));
                    let value = self.expr(ni.next().expect("argument value"));
                    AttrArg {
                        name: Some(name),
                        value,
                    }
                } else {
                    AttrArg {
                        name: None,
                        value: self.expr(arg),
                    }
                }
            })
            .collect();
        Attribute { name, args, span }
    }

    fn block<'i, T: Tree<'i>>(&mut self, p: T) -> Block {
        let span = self.span(&p);
        let entries = inner(p).filter_map(|e| self.entry(e)).collect();
        Block { entries, span }
    }

    /// An entry of a block; `None` when its key was interpolated (reported
    /// here): it names no field, and checking it would only add noise.
    fn entry<'i, T: Tree<'i>>(&mut self, p: T) -> Option<Entry> {
        let span = self.span(&p);
        let mut attrs = Vec::new();
        let mut key = None;
        let mut op = AssignOp::Set;
        let mut value = None;
        for c in inner(p) {
            match c.as_rule() {
                Rule::attribute => attrs.push(self.attribute(c)),
                Rule::field_key => key = Some(self.entry_key(c)),
                Rule::assign_op => {
                    if c.as_str() == "+=" {
                        op = AssignOp::Append;
                    }
                }
                Rule::block => {
                    let b = self.block(c);
                    value = Some(Expr {
                        span: b.span,
                        kind: ExprKind::Record(b),
                    });
                }
                _ => value = Some(self.expr(c)),
            }
        }
        Some(Entry {
            attrs,
            key: key.expect("an entry has a key")?,
            op,
            value: value.expect("an entry has a value"),
            span,
        })
    }

    /// The name of a schema field.
    fn field_key<'i, T: Tree<'i>>(&mut self, p: T) -> Ident {
        let span = self.span(&p);
        self.entry_key(p).unwrap_or(Ident {
            name: String::new(),
            span,
        })
    }

    /// An identifier or a plain string; `None` for an interpolated string.
    fn entry_key<'i, T: Tree<'i>>(&mut self, p: T) -> Option<Ident> {
        let k = inner(p).next().expect("a key");
        match k.as_rule() {
            Rule::ident | Rule::cased_key => Some(self.ident(k)),
            _ => {
                let s = self.string(k);
                if let Some(name) = s.as_plain() {
                    return Some(Ident { name, span: s.span });
                }
                // The key with each `${name}` replaced by the name, as an example.
                let example: String = s
                    .parts
                    .iter()
                    .map(|p| match p {
                        StrPart::Text(t) => t.clone(),
                        StrPart::Interp(Expr {
                            kind: ExprKind::Path(ids),
                            ..
                        }) => ids.last().map(|i| i.name.clone()).unwrap_or_default(),
                        StrPart::Interp(_) => "x".to_string(),
                    })
                    .collect();
                self.diags.report(SyntaxError::InterpolatedKey {
                    span: s.span,
                    example,
                });
                None
            }
        }
    }

    fn ident<'i, T: Tree<'i>>(&self, p: T) -> Ident {
        Ident {
            name: p.as_str().to_string(),
            span: self.span(&p),
        }
    }

    fn path_idents<'i, T: Tree<'i>>(&self, p: T) -> Vec<Ident> {
        inner(p).map(|i| self.ident(i)).collect()
    }

    /// An `expr` or `cond`: operands with `!` prefixes, and infix operators,
    /// read in one loop into chains of one precedence each (see
    /// [`ExprKind::Binary`]). `!` binds tighter than every infix operator.
    fn expr<'i, T: Tree<'i>>(&mut self, p: T) -> Expr {
        let mut chains = Chains::default();
        let mut prefixes: Vec<Span> = Vec::new();
        let mut op = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::prefix => prefixes.push(self.span(&c)),
                Rule::or_op | Rule::and_op | Rule::cmp_op | Rule::add_op => {
                    op = Some(match c.as_str() {
                        "||" => BinOp::Or,
                        "&&" => BinOp::And,
                        "==" => BinOp::Eq,
                        "!=" => BinOp::Ne,
                        ">=" => BinOp::Ge,
                        "<=" => BinOp::Le,
                        ">" => BinOp::Gt,
                        "<" => BinOp::Lt,
                        _ => BinOp::Add,
                    })
                }
                _ => {
                    let mut operand = self.operand(c);
                    for at in prefixes.drain(..).rev() {
                        operand = Expr {
                            span: at.to(operand.span),
                            kind: ExprKind::Not(Box::new(operand)),
                        };
                    }
                    chains.push(op.take(), operand);
                }
            }
        }
        chains.finish()
    }

    fn operand<'i, T: Tree<'i>>(&mut self, p: T) -> Expr {
        let span = self.span(&p);
        let kind = match p.as_rule() {
            Rule::paren => return self.expr(inner(p).next().expect("parenthesised expression")),
            Rule::if_expr => {
                let mut it = inner(p);
                let cond = self.expr(it.next().expect("condition"));
                let then = self.expr(it.next().expect("then branch"));
                let otherwise = it.next().map(|e| {
                    if e.as_rule() == Rule::if_expr {
                        Box::new(self.operand(e))
                    } else {
                        Box::new(self.expr(e))
                    }
                });
                ExprKind::If {
                    cond: Box::new(cond),
                    then: Box::new(then),
                    otherwise,
                }
            }
            Rule::call => {
                let mut it = inner(p);
                let func = self.ident(it.next().expect("function name"));
                ExprKind::Call {
                    func,
                    args: it.map(|a| self.expr(a)).collect(),
                }
            }
            Rule::tagged => {
                let mut it = inner(p);
                let tag = self.path_idents(it.next().expect("tag"));
                let body = self.block(it.next().expect("tagged block"));
                ExprKind::Tagged { tag, body }
            }
            Rule::list => ExprKind::List(inner(p).map(|e| self.expr(e)).collect()),
            Rule::block => ExprKind::Record(self.block(p)),
            Rule::path => ExprKind::Path(self.path_idents(p)),
            Rule::literal => {
                let lit = inner(p).next().expect("a literal");
                match lit.as_rule() {
                    Rule::kw_true => ExprKind::Bool(true),
                    Rule::kw_false => ExprKind::Bool(false),
                    Rule::kw_none => ExprKind::None,
                    Rule::number => ExprKind::Number(lit.as_str().to_string()),
                    Rule::quantity => {
                        let s = lit.as_str();
                        let split = s
                            .find(|c: char| c.is_ascii_alphabetic() || c == '%')
                            .expect("a quantity has a suffix");
                        ExprKind::Quantity {
                            number: s[..split].to_string(),
                            suffix: s[split..].to_string(),
                        }
                    }
                    _ => ExprKind::Str(self.string(lit)),
                }
            }
            r => unreachable!("the grammar has no operand {r:?}"),
        };
        Expr { kind, span }
    }

    fn string<'i, T: Tree<'i>>(&mut self, p: T) -> StringLit {
        let span = self.span(&p);
        let triple = p.as_rule() == Rule::triple_str;
        let mut parts: Vec<StrPart> = Vec::new();
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::dq_text | Rule::tq_text => push_text(&mut parts, c.as_str()),
                Rule::escape => {
                    let esc_span = self.span(&c);
                    match unescape(c.as_str()) {
                        Some(ch) => push_text(&mut parts, ch.encode_utf8(&mut [0; 4])),
                        None => self.diags.report(SyntaxError::InvalidEscape {
                            span: esc_span,
                            escape: c.as_str().to_string(),
                        }),
                    }
                }
                Rule::interp => {
                    let e = inner(c).next().expect("interpolated expression");
                    parts.push(StrPart::Interp(self.expr(e)));
                }
                _ => {}
            }
        }
        if triple {
            dedent(&mut parts);
        }
        StringLit { parts, span }
    }
}

fn join_path(ids: &[Ident]) -> Ident {
    Ident {
        name: ids
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>()
            .join("."),
        span: ids[0].span.to(ids[ids.len() - 1].span),
    }
}

fn push_text(parts: &mut Vec<StrPart>, s: &str) {
    if let Some(StrPart::Text(t)) = parts.last_mut() {
        t.push_str(s);
    } else {
        parts.push(StrPart::Text(s.to_string()));
    }
}

fn unescape(esc: &str) -> Option<char> {
    match esc {
        "\\n" => Some('\n'),
        "\\t" => Some('\t'),
        "\\r" => Some('\r'),
        "\\\"" => Some('"'),
        "\\\\" => Some('\\'),
        "\\$" => Some('$'),
        _ => esc
            .strip_prefix("\\u{")
            .and_then(|h| h.strip_suffix('}'))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32),
    }
}

/// Strips the common leading indentation of a `"""` string, and the first
/// and last lines when they are blank.
fn dedent(parts: &mut [StrPart]) {
    let mut text = String::new();
    for p in parts.iter() {
        if let StrPart::Text(t) = p {
            text.push_str(t);
        } else {
            text.push('\u{0}');
        }
    }
    let indent = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let last = parts.len().saturating_sub(1);
    for (i, p) in parts.iter_mut().enumerate() {
        let StrPart::Text(t) = p else { continue };
        let mut out = String::with_capacity(t.len());
        for (n, line) in t.split('\n').enumerate() {
            if n > 0 {
                out.push('\n');
                let strip = line.len() - line.trim_start_matches([' ', '\t']).len();
                out.push_str(&line[strip.min(indent)..]);
            } else {
                out.push_str(line);
            }
        }
        if i == 0 && out.starts_with('\n') {
            out.remove(0);
        }
        if i == last
            && let Some(nl) = out.rfind('\n')
            && out[nl + 1..].trim().is_empty()
        {
            out.truncate(nl + 1);
        }
        *t = out;
    }
}

/// Precedence climbing without recursion: the open chains, lowest
/// precedence first, each waiting for the right operand of its last operator.
#[derive(Default)]
struct Chains {
    open: Vec<OpenChain>,
    /// The operand read last, not yet given to a chain.
    last: Option<Expr>,
}

struct OpenChain {
    level: u8,
    first: Expr,
    rest: Vec<(BinOp, Expr)>,
    pending: BinOp,
}

impl OpenChain {
    fn close(mut self, rhs: Expr) -> Expr {
        self.rest.push((self.pending, rhs));
        let end = self
            .rest
            .last()
            .map(|(_, e)| e.span)
            .unwrap_or(self.first.span);
        Expr {
            span: self.first.span.to(end),
            kind: ExprKind::Binary {
                first: Box::new(self.first),
                rest: self.rest,
            },
        }
    }
}

impl Chains {
    /// The next operand, with the operator that joins it to what came before.
    fn push(&mut self, op: Option<BinOp>, operand: Expr) {
        let (Some(op), Some(mut rhs)) = (op, self.last.take()) else {
            self.last = Some(operand);
            return;
        };
        let level = op.precedence();
        // Chains binding tighter than `op` are complete: they become its left operand.
        while let Some(top) = self.open.pop_if(|c| c.level > level) {
            rhs = top.close(rhs);
        }
        match self.open.last_mut() {
            Some(top) if top.level == level => {
                top.rest.push((top.pending, rhs));
                top.pending = op;
            }
            _ => self.open.push(OpenChain {
                level,
                first: rhs,
                rest: Vec::new(),
                pending: op,
            }),
        }
        self.last = Some(operand);
    }

    fn finish(mut self) -> Expr {
        let mut e = self.last.take().expect("an expression has an operand");
        while let Some(top) = self.open.pop() {
            e = top.close(e);
        }
        e
    }
}
