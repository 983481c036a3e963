//! Types, and the table of schemas, enums and unions read from the standard library.

use indexmap::IndexMap;

use super::model::Kind;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::resolve::{StdDecl, Value};
use crate::source::Span;
use crate::syntax::ast::{Expr, TypeExpr};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prim {
    String,
    Int,
    Bool,
    Cpu,
    Memory,
    Duration,
    Percent,
    Port,
    DnsName,
    Image,
    Url,
    Version,
    Secret,
    SecretName,
    ConfigMap,
    ConfigMapName,
}

impl Prim {
    fn parse(s: &str) -> Option<Prim> {
        Some(match s {
            "String" => Prim::String,
            "Int" => Prim::Int,
            "Bool" => Prim::Bool,
            "Cpu" => Prim::Cpu,
            "Memory" => Prim::Memory,
            "Duration" => Prim::Duration,
            "Percent" => Prim::Percent,
            "Port" => Prim::Port,
            "DnsName" => Prim::DnsName,
            "Image" => Prim::Image,
            "Url" => Prim::Url,
            "Version" => Prim::Version,
            "Secret" => Prim::Secret,
            "SecretName" => Prim::SecretName,
            "ConfigMap" => Prim::ConfigMap,
            "ConfigMapName" => Prim::ConfigMapName,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Prim::String => "String",
            Prim::Int => "Int",
            Prim::Bool => "Bool",
            Prim::Cpu => "Cpu",
            Prim::Memory => "Memory",
            Prim::Duration => "Duration",
            Prim::Percent => "Percent",
            Prim::Port => "Port",
            Prim::DnsName => "DnsName",
            Prim::Image => "Image",
            Prim::Url => "Url",
            Prim::Version => "Version",
            Prim::Secret => "Secret",
            Prim::SecretName => "SecretName",
            Prim::ConfigMap => "ConfigMap",
            Prim::ConfigMapName => "ConfigMapName",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    Prim(Prim),
    Enum(String),
    Record(String),
    Union(String),
    Ref(Kind),
    List(Box<Type>),
    Map(Box<Type>),
    Optional(Box<Type>),
    /// An anonymous union, `Ref<Pool> | String`: the first alternative the value fits.
    Alt(Vec<Type>),
}

impl Type {
    /// How the type is written.
    pub fn display(&self) -> String {
        match self {
            Type::Prim(p) => p.name().to_string(),
            Type::Enum(n) | Type::Record(n) | Type::Union(n) => n.clone(),
            Type::Ref(k) => format!("Ref<{}>", capitalise(k.as_str())),
            Type::List(t) => format!("[{}]", t.display()),
            Type::Map(t) => format!("{{String: {}}}", t.display()),
            Type::Optional(t) => format!("{}?", t.display()),
            Type::Alt(ts) => ts.iter().map(Type::display).collect::<Vec<_>>().join(" | "),
        }
    }

    pub fn is_optional(&self) -> bool {
        matches!(self, Type::Optional(_))
    }

    pub fn strip_optional(&self) -> &Type {
        match self {
            Type::Optional(t) => t,
            t => t,
        }
    }
}

pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

#[derive(Debug, Clone)]
pub struct FieldDef {
    pub name: String,
    pub doc: Option<String>,
    pub ty: Type,
    pub default: Option<Value>,
    pub constraint: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct SchemaDef {
    pub name: String,
    pub doc: Option<String>,
    pub fields: IndexMap<String, FieldDef>,
}

#[derive(Debug, Clone)]
pub struct EnumDef {
    pub name: String,
    pub doc: Option<String>,
    pub variants: Vec<(String, Option<String>)>,
}

#[derive(Debug, Clone)]
pub struct UnionDef {
    pub name: String,
    pub doc: Option<String>,
    pub variants: Vec<(String, Option<String>, Type)>,
}

/// Every type the standard library declares.
#[derive(Debug, Clone, Default)]
pub struct Types {
    pub schemas: IndexMap<String, SchemaDef>,
    pub enums: IndexMap<String, EnumDef>,
    pub unions: IndexMap<String, UnionDef>,
    /// Component kind → schema name.
    pub components: IndexMap<Kind, String>,
}

impl Types {
    pub fn build(decls: &[StdDecl], diags: &mut Diagnostics) -> Types {
        let mut t = Types::default();
        // Names first, so types can refer to ones declared later.
        let mut names: Vec<(String, char)> = Vec::new();
        for d in decls {
            match d {
                StdDecl::Schema { name, .. } => names.push((name.name.clone(), 's')),
                StdDecl::Enum { name, .. } => names.push((name.name.clone(), 'e')),
                StdDecl::Union { name, .. } => names.push((name.name.clone(), 'u')),
            }
        }
        let lookup = |n: &str| names.iter().find(|(x, _)| x == n).map(|(_, k)| *k);
        for d in decls {
            match d {
                StdDecl::Schema {
                    name,
                    is_component,
                    doc,
                    fields,
                } => {
                    let mut defs = IndexMap::new();
                    for f in fields {
                        let Some(ty) = convert(&f.ty, &lookup, diags) else {
                            continue;
                        };
                        defs.insert(
                            f.name.name.clone(),
                            FieldDef {
                                name: f.name.name.clone(),
                                doc: f.doc.clone(),
                                ty,
                                default: f.default.clone(),
                                constraint: f.constraint.clone(),
                                span: f.span,
                            },
                        );
                    }
                    if *is_component {
                        let kind = crate::resolve::kebab(&name.name);
                        match Kind::of_schema(&name.name) {
                            Some(k) => {
                                t.components.insert(k, name.name.clone());
                            }
                            None => diags.push(
                                Diagnostic::new(
                                    Code::UnknownKind,
                                    name.span,
                                    format!("no lowering for component `{kind}`"),
                                )
                                .label("the compiler cannot emit this kind"),
                            ),
                        }
                    }
                    t.schemas.insert(
                        name.name.clone(),
                        SchemaDef {
                            name: name.name.clone(),
                            doc: doc.clone(),
                            fields: defs,
                        },
                    );
                }
                StdDecl::Enum {
                    name,
                    doc,
                    variants,
                } => {
                    t.enums.insert(
                        name.name.clone(),
                        EnumDef {
                            name: name.name.clone(),
                            doc: doc.clone(),
                            variants: variants
                                .iter()
                                .map(|(v, d)| (v.name.clone(), d.clone()))
                                .collect(),
                        },
                    );
                }
                StdDecl::Union {
                    name,
                    doc,
                    variants,
                } => {
                    let vs = variants
                        .iter()
                        .filter_map(|(tag, d, ty)| {
                            convert(ty, &lookup, diags).map(|t| (tag.name.clone(), d.clone(), t))
                        })
                        .collect();
                    t.unions.insert(
                        name.name.clone(),
                        UnionDef {
                            name: name.name.clone(),
                            doc: doc.clone(),
                            variants: vs,
                        },
                    );
                }
            }
        }
        t
    }

    pub fn enum_has(&self, enum_name: &str, variant: &str) -> bool {
        self.enums
            .get(enum_name)
            .is_some_and(|e| e.variants.iter().any(|(v, _)| v == variant))
    }
}

fn convert(
    te: &TypeExpr,
    lookup: &dyn Fn(&str) -> Option<char>,
    diags: &mut Diagnostics,
) -> Option<Type> {
    Some(match te {
        TypeExpr::Named(i) => {
            if let Some(p) = Prim::parse(&i.name) {
                Type::Prim(p)
            } else {
                match lookup(&i.name) {
                    Some('s') => Type::Record(i.name.clone()),
                    Some('e') => Type::Enum(i.name.clone()),
                    Some(_) => Type::Union(i.name.clone()),
                    None => {
                        diags.push(
                            Diagnostic::new(
                                Code::UnresolvedName,
                                i.span,
                                format!("unknown type `{}`", i.name),
                            )
                            .label("no schema, enum, union or built-in type has this name"),
                        );
                        return None;
                    }
                }
            }
        }
        TypeExpr::List(t) => Type::List(Box::new(convert(t, lookup, diags)?)),
        TypeExpr::Map(t) => Type::Map(Box::new(convert(t, lookup, diags)?)),
        TypeExpr::Optional(t) => Type::Optional(Box::new(convert(t, lookup, diags)?)),
        TypeExpr::Ref(k) => match Kind::parse(&crate::resolve::kebab(&k.name)) {
            Some(kind) => Type::Ref(kind),
            None => {
                diags.push(
                    Diagnostic::new(
                        Code::UnknownKind,
                        k.span,
                        format!("`Ref<{}>` names no component kind", k.name),
                    )
                    .label("not a component kind"),
                );
                return None;
            }
        },
        TypeExpr::Union(ts) => Type::Alt(
            ts.iter()
                .map(|t| convert(t, lookup, diags))
                .collect::<Option<Vec<_>>>()?,
        ),
    })
}
