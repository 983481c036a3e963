//! The abstract syntax tree. Every node carries the span it was parsed from.

use crate::source::Span;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct File {
    /// Shared, not owned: the language server's parses keep each
    /// declaration from one build to the next ([`super::Parses`]), and a
    /// build reads the declarations of an unchanged piece without copying
    /// them (copying a 2,000-line file's tree was 3 M instructions a
    /// keystroke, issue 17).
    pub decls: Vec<std::sync::Arc<Decl>>,
}

impl File {
    pub fn new(decls: Vec<Decl>) -> File {
        File {
            decls: decls.into_iter().map(std::sync::Arc::new).collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Decl {
    pub attrs: Vec<Attribute>,
    /// The `///` lines in front of the declaration, joined with newlines.
    pub doc: Option<String>,
    pub kind: DeclKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum DeclKind {
    Import(StringLit),
    Param {
        name: Ident,
        ty: TypeExpr,
        default: Option<Expr>,
    },
    Let {
        name: Ident,
        value: Expr,
    },
    For {
        var: Ident,
        iter: Expr,
        body: Vec<Decl>,
    },
    Component(Component),
    Template(Component),
    Schema(Schema),
    Enum {
        name: Ident,
        variants: Vec<(Ident, Option<String>)>,
    },
    Union {
        name: Ident,
        variants: Vec<UnionVariant>,
    },
}

/// `KIND NAME [extends TEMPLATE] { … }`, also the body of a template.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Component {
    pub kind: Ident,
    pub name: CompName,
    pub extends: Option<Ident>,
    pub body: Block,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum CompName {
    Ident(Ident),
    Str(StringLit),
}

impl CompName {
    pub fn span(&self) -> Span {
        match self {
            CompName::Ident(i) => i.span,
            CompName::Str(s) => s.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Block {
    pub entries: Vec<Entry>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AssignOp {
    Set,
    Append,
}

/// `key = value`, `key += [..]` or `key { … }` (stored as a record value).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub attrs: Vec<Attribute>,
    pub key: Ident,
    pub op: AssignOp,
    pub value: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Attribute {
    pub name: Ident,
    pub args: Vec<AttrArg>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AttrArg {
    pub name: Option<Ident>,
    pub value: Expr,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Schema {
    pub name: Ident,
    /// `component X` rather than `schema X`: usable as a top-level kind.
    pub is_component: bool,
    pub fields: Vec<SchemaField>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SchemaField {
    pub name: Ident,
    pub doc: Option<String>,
    pub ty: TypeExpr,
    pub default: Option<Expr>,
    pub constraint: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct UnionVariant {
    pub tag: Ident,
    pub doc: Option<String>,
    pub ty: TypeExpr,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum TypeExpr {
    Named(Ident),
    List(Box<TypeExpr>),
    Map(Box<TypeExpr>),
    Ref(Ident),
    Optional(Box<TypeExpr>),
    Union(Vec<TypeExpr>),
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StringLit {
    pub parts: Vec<StrPart>,
    pub span: Span,
}

impl StringLit {
    /// The text, if the string has no interpolation.
    pub fn as_plain(&self) -> Option<String> {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                StrPart::Text(t) => s.push_str(t),
                StrPart::Interp(_) => return None,
            }
        }
        Some(s)
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum StrPart {
    Text(String),
    Interp(Expr),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Ge,
    Le,
    Gt,
    Lt,
    Add,
}

impl BinOp {
    /// How tightly the operator binds: `||` < `&&` < comparisons < `+`.
    pub fn precedence(self) -> u8 {
        match self {
            BinOp::Or => 1,
            BinOp::And => 2,
            BinOp::Eq | BinOp::Ne | BinOp::Ge | BinOp::Le | BinOp::Gt | BinOp::Lt => 3,
            BinOp::Add => 4,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "||",
            BinOp::And => "&&",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Ge => ">=",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Lt => "<",
            BinOp::Add => "+",
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ExprKind {
    Bool(bool),
    None,
    /// A number as written; whether it is an Int or a fraction is the type's business.
    Number(String),
    /// A number with a unit suffix, read against the expected type.
    Quantity {
        number: String,
        suffix: String,
    },
    Str(StringLit),
    List(Vec<Expr>),
    Record(Block),
    /// `sqlite { … }`, `postgres.in-cluster { … }`
    Tagged {
        tag: Vec<Ident>,
        body: Block,
    },
    /// A bare name or a member access: `prefect`, `kubernetes`, `acme.account`.
    Path(Vec<Ident>),
    Call {
        func: Ident,
        args: Vec<Expr>,
    },
    If {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Option<Box<Expr>>,
    },
    Not(Box<Expr>),
    /// Operators of one precedence applied left to right: `first op₁ e₁
    /// op₂ e₂ …`. A chain is one node however long it is, so that no stage
    /// recurses once per operand (`a + b + … + z` with 100,000 operands is
    /// fine); operands are chains of higher precedence or other expressions.
    Binary {
        first: Box<Expr>,
        rest: Vec<(BinOp, Expr)>,
    },
}
