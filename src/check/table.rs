//! The type table read from the standard library's declarations: schemas,
//! enums and unions, and the component kinds they describe.

use crate::map::IndexMap;

use super::error::SchemaError;
use super::lazy::Lazy;
use super::model::Kind;
use super::types::{EnumDef, FieldDef, Name, Prim, SchemaDef, Type, Types, UnionDef};
use crate::diagnostics::Diagnostics;
use crate::resolve::StdDecl;
use crate::syntax::ast::TypeExpr;

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
                    let mut defs = IndexMap::default();
                    for f in fields {
                        let Some(ty) = convert(&f.ty, &lookup, diags) else {
                            continue;
                        };
                        defs.insert(
                            keep(&f.name.name),
                            FieldDef {
                                name: keep(&f.name.name),
                                doc: f.doc.clone(),
                                ty,
                                default: f.default.clone().map(Box::new),
                                constraint: f.constraint.clone().map(Box::new),
                                span: f.span,
                            },
                        );
                    }
                    if *is_component {
                        let kind = crate::resolve::kebab(&name.name);
                        match Kind::of_schema(&name.name) {
                            Some(k) => {
                                t.components.insert(k, keep(&name.name));
                            }
                            None => diags.report(SchemaError::NoLowering {
                                span: name.span,
                                kind,
                            }),
                        }
                    }
                    t.schemas.insert(
                        keep(&name.name),
                        Lazy::new(SchemaDef {
                            name: keep(&name.name),
                            doc: doc.clone(),
                            fields: defs,
                        }),
                    );
                }
                StdDecl::Enum {
                    name,
                    doc,
                    variants,
                } => {
                    t.enums.insert(
                        keep(&name.name),
                        EnumDef {
                            name: keep(&name.name),
                            doc: doc.clone(),
                            variants: variants
                                .iter()
                                .map(|(v, d)| (keep(&v.name), d.clone()))
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
                            convert(ty, &lookup, diags).map(|t| (keep(&tag.name), d.clone(), t))
                        })
                        .collect();
                    t.unions.insert(
                        keep(&name.name),
                        UnionDef {
                            name: keep(&name.name),
                            doc: doc.clone(),
                            variants: vs,
                        },
                    );
                }
            }
        }
        t
    }
}

/// A name of the schema files, kept for the process, as the compiled
/// form's are ([`Name`]). The types are built from the files once per
/// process, and only when the compiled form is stale (`crate::stdlib`):
/// what this keeps is bounded by the files.
fn keep(name: &str) -> Name {
    Box::leak(name.into())
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
                    Some('s') => Type::Record(keep(&i.name)),
                    Some('e') => Type::Enum(keep(&i.name)),
                    Some(_) => Type::Union(keep(&i.name)),
                    None => {
                        diags.report(SchemaError::UnknownType {
                            span: i.span,
                            name: i.name.clone(),
                        });
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
                diags.report(SchemaError::RefNamesNoKind {
                    span: k.span,
                    name: k.name.clone(),
                });
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
