//! The type table read from the standard library's declarations: schemas,
//! enums and unions, and the component kinds they describe.

use crate::map::IndexMap;

use super::error::SchemaError;
use super::lazy::Lazy;
use super::model::Kind;
use super::types::{EnumDef, FieldDef, Prim, SchemaDef, Type, Types, UnionDef};
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
                            f.name.name.as_str().into(),
                            FieldDef {
                                name: f.name.name.clone(),
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
                                t.components.insert(k, name.name.clone());
                            }
                            None => diags.report(SchemaError::NoLowering {
                                span: name.span,
                                kind,
                            }),
                        }
                    }
                    t.schemas.insert(
                        name.name.clone(),
                        Lazy::new(SchemaDef {
                            name: name.name.as_str().into(),
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
