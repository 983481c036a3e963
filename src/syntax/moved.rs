//! Every span of a parsed declaration mapped by one function:
//! [`super::Parses::placed`] places the spans of a piece's declarations in
//! their file (a piece's count from its own start, see
//! [`crate::source::Anchor`]), for the tests that compare them with a parse
//! of the whole text.

use super::ast::*;
use crate::source::Span;

/// The function each span is mapped by.
#[derive(Clone, Copy)]
pub struct Respan<'a>(pub &'a dyn Fn(Span) -> Span);

impl Respan<'_> {
    fn span(self, span: &mut Span) {
        *span = (self.0)(*span);
    }

    pub fn decl(self, d: &mut Decl) {
        for a in &mut d.attrs {
            self.attribute(a);
        }
        self.span(&mut d.span);
        match &mut d.kind {
            DeclKind::Import(s) => self.string(s),
            DeclKind::Param { name, ty, default } => {
                self.ident(name);
                self.ty(ty);
                if let Some(e) = default {
                    self.expr(e);
                }
            }
            DeclKind::Let { name, value } => {
                self.ident(name);
                self.expr(value);
            }
            DeclKind::For { var, iter, body } => {
                self.ident(var);
                self.expr(iter);
                for d in body {
                    self.decl(d);
                }
            }
            DeclKind::Component(c) | DeclKind::Template(c) => self.component(c),
            DeclKind::Schema(s) => {
                self.ident(&mut s.name);
                for f in &mut s.fields {
                    self.ident(&mut f.name);
                    self.ty(&mut f.ty);
                    for e in [&mut f.default, &mut f.constraint].into_iter().flatten() {
                        self.expr(e);
                    }
                    self.span(&mut f.span);
                }
            }
            DeclKind::Enum { name, variants } => {
                self.ident(name);
                for (v, _) in variants {
                    self.ident(v);
                }
            }
            DeclKind::Union { name, variants } => {
                self.ident(name);
                for v in variants {
                    self.ident(&mut v.tag);
                    self.ty(&mut v.ty);
                }
            }
        }
    }

    fn ident(self, i: &mut Ident) {
        self.span(&mut i.span);
    }

    fn attribute(self, a: &mut Attribute) {
        self.ident(&mut a.name);
        for arg in &mut a.args {
            if let Some(n) = &mut arg.name {
                self.ident(n);
            }
            self.expr(&mut arg.value);
        }
        self.span(&mut a.span);
    }

    fn component(self, c: &mut Component) {
        self.ident(&mut c.kind);
        match &mut c.name {
            CompName::Ident(i) => self.ident(i),
            CompName::Str(s) => self.string(s),
        }
        if let Some(e) = &mut c.extends {
            self.ident(e);
        }
        self.block(&mut c.body);
    }

    fn block(self, b: &mut Block) {
        for e in &mut b.entries {
            for a in &mut e.attrs {
                self.attribute(a);
            }
            self.ident(&mut e.key);
            self.expr(&mut e.value);
            self.span(&mut e.span);
        }
        self.span(&mut b.span);
    }

    fn ty(self, t: &mut TypeExpr) {
        match t {
            TypeExpr::Named(i) | TypeExpr::Ref(i) => self.ident(i),
            TypeExpr::List(t) | TypeExpr::Map(t) | TypeExpr::Optional(t) => self.ty(t),
            TypeExpr::Union(ts) => {
                for t in ts {
                    self.ty(t);
                }
            }
        }
    }

    fn string(self, s: &mut StringLit) {
        for p in &mut s.parts {
            match p {
                StrPart::Text(_) => {}
                StrPart::Interp(e) => self.expr(e),
            }
        }
        self.span(&mut s.span);
    }

    fn expr(self, e: &mut Expr) {
        self.span(&mut e.span);
        match &mut e.kind {
            ExprKind::Bool(_) | ExprKind::None | ExprKind::Number(_) => {}
            ExprKind::Quantity { .. } => {}
            ExprKind::Str(s) => self.string(s),
            ExprKind::List(items) => {
                for i in items {
                    self.expr(i);
                }
            }
            ExprKind::Record(b) => self.block(b),
            ExprKind::Tagged { tag, body } => {
                for t in tag {
                    self.ident(t);
                }
                self.block(body);
            }
            ExprKind::Path(parts) => {
                for p in parts {
                    self.ident(p);
                }
            }
            ExprKind::Call { func, args } => {
                self.ident(func);
                for a in args {
                    self.expr(a);
                }
            }
            ExprKind::If {
                cond,
                then,
                otherwise,
            } => {
                self.expr(cond);
                self.expr(then);
                if let Some(o) = otherwise {
                    self.expr(o);
                }
            }
            ExprKind::Not(e) => self.expr(e),
            ExprKind::Binary { first, rest } => {
                self.expr(first);
                for (_, e) in rest {
                    self.expr(e);
                }
            }
        }
    }
}
