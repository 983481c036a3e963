//! The resolved tree: what `resolve` hands to `check`. Imports are loaded,
//! `for` loops expanded, lets and params substituted, templates merged.
//! Values are evaluated but untyped: `512Mi` is still a number and a suffix,
//! and a bare name is still a name until `check` knows the expected type.

use crate::map::IndexMap;

use crate::source::FileId;
use crate::source::Span;
use crate::syntax::ast::{Expr, File, Ident, TypeExpr};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Value {
    pub kind: ValueKind,
    /// Where the value is written. A value read through a let, param or loop
    /// variable keeps the span of its definition.
    pub span: Span,
    /// For a value read through a name, where it was read: diagnostics about
    /// the value point at its definition and show this use too.
    pub used_at: Option<Box<Use>>,
}

impl Value {
    pub fn new(kind: ValueKind, span: Span) -> Value {
        Value {
            kind,
            span,
            used_at: None,
        }
    }

    /// A value that failed to evaluate, written at `span`.
    pub fn poisoned(span: Span) -> Value {
        Value::new(ValueKind::Poisoned, span)
    }

    /// The value as it could be written in source, for help texts; `…`
    /// stands for what is too long to repeat.
    pub fn as_written(&self) -> String {
        match &self.kind {
            ValueKind::Str(s) => format!("{s:?}"),
            ValueKind::Number(n) | ValueKind::Name(n) => n.clone(),
            ValueKind::Bool(b) => b.to_string(),
            ValueKind::Quantity { number, suffix } => format!("{number}{suffix}"),
            ValueKind::List(items) if items.len() <= 3 => format!(
                "[{}]",
                items
                    .iter()
                    .map(Value::as_written)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ValueKind::List(_) => "[…]".to_string(),
            ValueKind::Record(_) => "{ … }".to_string(),
            _ => "…".to_string(),
        }
    }
}

/// A use of a let, param or loop variable.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Use {
    /// The name as written, e.g. `small` or `team.queues`.
    pub name: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ValueKind {
    Bool(bool),
    None,
    Number(String),
    Quantity {
        number: String,
        suffix: String,
    },
    Str(String),
    List(Vec<Value>),
    Record(Record),
    Tagged {
        tag: Ident,
        body: Record,
    },
    /// A bare identifier bound to no let, param or loop variable: an enum
    /// variant or a component reference, depending on the expected type.
    Name(String),
    /// `component.field`: a property of a component, read by `check`.
    Member {
        base: Ident,
        path: Vec<Ident>,
    },
    /// `secret(name)` / `secret(name, key)`
    Secret {
        name: String,
        key: Option<String>,
    },
    /// `config-map(name)` / `config-map(name, key)`
    ConfigMap {
        name: String,
        key: Option<String>,
    },
    /// A value whose evaluation failed, after its error was reported. The
    /// field keeps it so that `check` neither reports the field as missing
    /// nor derives further errors from it: one error per root cause.
    Poisoned,
}

impl ValueKind {
    /// How the value is described in messages: "a string", "a list" …
    pub fn describe(&self) -> &'static str {
        match self {
            ValueKind::Bool(_) => "a boolean",
            ValueKind::None => "`none`",
            ValueKind::Number(_) => "a number",
            ValueKind::Quantity { .. } => "a quantity",
            ValueKind::Str(_) => "a string",
            ValueKind::List(_) => "a list",
            ValueKind::Record(_) => "a block",
            ValueKind::Tagged { .. } => "a tagged block",
            ValueKind::Name(_) => "a name",
            ValueKind::Member { .. } => "a member access",
            ValueKind::Secret { .. } => "a secret reference",
            ValueKind::ConfigMap { .. } => "a config-map reference",
            ValueKind::Poisoned => "an invalid value",
        }
    }
}

/// A block after merging: fields in the order they were first written.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Record {
    pub fields: IndexMap<String, Field>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Field {
    pub key: Ident,
    pub value: Value,
    pub attrs: Vec<Attribute>,
    /// Set by `+=` when nothing was inherited: the schema default goes first.
    pub append_to_default: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Attribute {
    pub name: Ident,
    pub args: Vec<(Option<Ident>, Value)>,
    pub span: Span,
}

/// One component to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub kind: Ident,
    pub name: String,
    pub name_span: Span,
    /// The whole declaration.
    pub span: Span,
    pub attrs: Vec<Attribute>,
    pub doc: Option<String>,
    pub body: Record,
}

impl Component {
    /// `kind name`: where diagnostics about the whole component point.
    pub fn header(&self) -> Span {
        self.kind.span.to(self.name_span)
    }
}

/// A doc comment of the standard library. Read from the compiled form
/// embedded in the binary (`src/stdlib.rs`), it borrows the binary's bytes:
/// docs are two thirds of the library's text, repeated in every schema that
/// spreads another, and copying each into a `String` (and checking that it
/// is UTF-8) was a fifth of a small build's instructions, for text that only
/// the language server's hover and `prefectc docs` show. Parsed from the
/// schema files, it owns its text.
#[derive(Clone)]
pub struct Doc(DocText);

#[derive(Clone)]
enum DocText {
    Owned(String),
    /// UTF-8, as it was serialized from a `str`; checked when read.
    Compiled(&'static [u8]),
}

impl From<String> for Doc {
    fn from(text: String) -> Doc {
        Doc(DocText::Owned(text))
    }
}

impl std::ops::Deref for Doc {
    type Target = str;

    fn deref(&self) -> &str {
        match &self.0 {
            DocText::Owned(text) => text,
            // The compiled form is written from `str`s and fingerprinted, so
            // this never fails; a corrupt one would read as no text.
            DocText::Compiled(bytes) => std::str::from_utf8(bytes).unwrap_or_default(),
        }
    }
}

/// Two docs are equal when their texts are, however each is held.
impl PartialEq for Doc {
    fn eq(&self, other: &Doc) -> bool {
        **self == **other
    }
}

impl Eq for Doc {}

impl std::fmt::Debug for Doc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl serde::Serialize for Doc {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.as_bytes())
    }
}

/// Only from input that lives as long as the program (the embedded
/// compiled form), so the text is borrowed, never copied.
impl<'de: 'static> serde::Deserialize<'de> for Doc {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Doc, D::Error> {
        let bytes: &'de [u8] = serde::Deserialize::deserialize(deserializer)?;
        Ok(Doc(DocText::Compiled(bytes)))
    }
}

/// A schema, enum or union from the standard library.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub enum StdDecl {
    Schema {
        name: Ident,
        is_component: bool,
        doc: Option<Doc>,
        fields: Vec<SchemaField>,
    },
    Enum {
        name: Ident,
        doc: Option<Doc>,
        variants: Vec<(Ident, Option<Doc>)>,
    },
    Union {
        name: Ident,
        doc: Option<Doc>,
        variants: Vec<(Ident, Option<Doc>, TypeExpr)>,
    },
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct SchemaField {
    pub name: Ident,
    pub doc: Option<Doc>,
    pub ty: TypeExpr,
    pub default: Option<Value>,
    /// Evaluated by `check` with the field's value bound to its name.
    pub constraint: Option<Expr>,
    pub span: Span,
}

/// A top-level let or param and its value, for tools (the language
/// server's hover) rather than for `check`.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub name: Ident,
    /// The declared type of a param; `None` for a let.
    pub param_type: Option<TypeExpr>,
    /// `None` when evaluating it failed (the error is reported where it is used).
    pub value: Option<Value>,
}

/// Everything `check` needs, and what tools read beside it.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// Shared: the language server keeps a component's check with the
    /// component it checked (`check::KeptChecks`).
    pub components: Vec<std::sync::Arc<Component>>,
    /// The syntax tree of every file read (the root and its imports), in
    /// dependency order.
    pub files: Vec<(FileId, File)>,
    /// Top-level lets and params, in declaration order.
    pub bindings: Vec<Binding>,
    /// Names of lets and params, for did-you-mean suggestions.
    pub bound_names: Vec<String>,
    /// Some declaration was lost to a syntax error: what seems missing may
    /// only be unreadable.
    pub incomplete: bool,
    /// A file failed to parse or an import could not be read: a name that
    /// cannot be found may be declared there, so it is not reported
    /// (the failure is, and fixing it shows what is really missing).
    pub names_lost: bool,
}
