//! Primitive values (numbers, quantities, durations, strings and their
//! formats), enum values and unions.

use super::{Checker, Origin};
use crate::check::error::{Expected, FormatProblem, PrimFix, UnionAlternative, ValueError};
use crate::check::labels::{self, MapKind};
use crate::check::model::{Kind, TVal, Typed};
use crate::check::types::{Prim, Type};
use crate::check::{dns, units};
use crate::diagnostics::did_you_mean;
use crate::resolve::{Value, ValueKind};

/// Whether the text of a string, written without its quotes, is a valid
/// value of `p`: `"3"` for an Int, `"true"` for a Bool, `"500m"` for a Cpu.
/// Then the help of the mismatch is to remove the quotes, for every type
/// whose values are written unquoted.
fn unquoted_fits(p: Prim, s: &str) -> bool {
    // The number and the suffix as the grammar splits a quantity.
    let digits = s.strip_prefix('-').unwrap_or(s);
    let int_len = digits.bytes().take_while(u8::is_ascii_digit).count();
    let frac_len = match digits[int_len..].strip_prefix('.') {
        Some(f) if int_len > 0 => {
            let n = f.bytes().take_while(u8::is_ascii_digit).count();
            if n > 0 { n + 1 } else { 0 }
        }
        _ => 0,
    };
    if int_len == 0 {
        return p == Prim::Bool && (s == "true" || s == "false");
    }
    let split = s.len() - digits.len() + int_len + frac_len;
    let (number, suffix) = s.split_at(split);
    let suffix_ok =
        suffix == "%" || (!suffix.is_empty() && suffix.bytes().all(|b| b.is_ascii_alphabetic()));
    let suffix = if suffix.is_empty() {
        None
    } else if suffix_ok {
        Some(suffix)
    } else {
        return false;
    };
    match p {
        Prim::Int => suffix.is_none() && number.parse::<i64>().is_ok(),
        Prim::Port => suffix.is_none() && number.parse::<u16>().is_ok_and(|n| n > 0),
        Prim::Cpu => units::cpu(number, suffix).is_ok(),
        Prim::Memory => units::memory(number, suffix).is_ok(),
        Prim::Duration => units::duration(number, suffix).is_ok(),
        Prim::Percent => units::percent(number, suffix).is_ok(),
        Prim::Bool
        | Prim::String
        | Prim::DnsName
        | Prim::Host
        | Prim::RouteHost
        | Prim::ObjectName
        | Prim::PortName
        | Prim::Registry
        | Prim::IpAddress
        | Prim::LabelKey
        | Prim::Image
        | Prim::Url
        | Prim::Version
        | Prim::Secret
        | Prim::SecretName
        | Prim::ConfigMap
        | Prim::ConfigMapName => false,
    }
}

impl Checker<'_> {
    pub(super) fn prim(&mut self, v: &Value, p: Prim, path: &str, origin: Origin) -> Option<Typed> {
        // `secret("name", …)` and `config-map("name", …)` name an object:
        // a DNS subdomain, or the API server refuses the pod.
        if let ValueKind::Secret { name, .. } | ValueKind::ConfigMap { name, .. } = &v.kind
            && self.fits(v, &Type::Prim(p))
            && let Err(syntax) = dns::object_name(name)
        {
            self.diags.report(ValueError::InvalidFormat {
                span: v.span,
                prim: p,
                problem: FormatProblem::Name(syntax),
            });
            return None;
        }
        let value = match (p, &v.kind) {
            (Prim::Secret, ValueKind::Secret { name, key }) => {
                if key.is_none() {
                    let secret = name.clone();
                    self.mismatch(v, Expected::SecretKey { secret });
                    return None;
                }
                TVal::Secret {
                    name: name.clone(),
                    key: key.clone(),
                }
            }
            (Prim::SecretName, ValueKind::Secret { name, key }) => {
                if key.is_some() {
                    let secret = name.clone();
                    self.mismatch(v, Expected::WholeSecret { secret });
                    return None;
                }
                TVal::Secret {
                    name: name.clone(),
                    key: None,
                }
            }
            (Prim::Secret | Prim::SecretName, ValueKind::Str(_)) => {
                self.diags
                    .report(ValueError::LiteralSecret { span: v.span });
                return None;
            }
            (Prim::ConfigMapName, ValueKind::ConfigMap { name, key }) => {
                if key.is_some() {
                    let config_map = name.clone();
                    self.mismatch(v, Expected::WholeConfigMap { config_map });
                    return None;
                }
                TVal::ConfigMap {
                    name: name.clone(),
                    key: None,
                }
            }
            (Prim::ConfigMap, ValueKind::ConfigMap { name, key }) => TVal::ConfigMap {
                name: name.clone(),
                key: key.clone(),
            },
            (Prim::Int, ValueKind::Number(n)) | (Prim::Port, ValueKind::Number(n)) => {
                match n.parse::<i64>() {
                    Ok(i) if p == Prim::Port && !(1..=65535).contains(&i) => {
                        self.diags.report(ValueError::PortOutOfRange {
                            span: v.span,
                            port: i,
                        });
                        return None;
                    }
                    Ok(i) => TVal::Int(i),
                    Err(_) if n.bytes().all(|b| b.is_ascii_digit() || b == b'-') => {
                        self.diags.report(ValueError::IntegerTooLarge {
                            span: v.span,
                            number: n.clone(),
                        });
                        return None;
                    }
                    Err(_) => {
                        let whole = n.split('.').next().unwrap_or(n);
                        let whole = whole.to_string();
                        self.mismatch(v, Expected::WholeNumber { whole });
                        return None;
                    }
                }
            }
            (Prim::Bool, ValueKind::Bool(b)) => TVal::Bool(*b),
            (Prim::Cpu, ValueKind::Number(n)) => TVal::Cpu(self.unit(v, p, units::cpu(n, None))?),
            (Prim::Cpu, ValueKind::Quantity { number, suffix }) => {
                TVal::Cpu(self.unit(v, p, units::cpu(number, Some(suffix)))?)
            }
            (Prim::Memory, ValueKind::Number(n)) => {
                TVal::Memory(self.unit(v, p, units::memory(n, None))?)
            }
            (Prim::Memory, ValueKind::Quantity { number, suffix }) => {
                TVal::Memory(self.unit(v, p, units::memory(number, Some(suffix)))?)
            }
            (Prim::Duration, ValueKind::Number(n)) => {
                TVal::Duration(self.unit(v, p, units::duration(n, None))?)
            }
            (Prim::Duration, ValueKind::Quantity { number, suffix }) => {
                TVal::Duration(self.unit(v, p, units::duration(number, Some(suffix)))?)
            }
            (Prim::Percent, ValueKind::Number(n)) => {
                TVal::Percent(self.unit(v, p, units::percent(n, None))?)
            }
            (Prim::Percent, ValueKind::Quantity { number, suffix }) => {
                TVal::Percent(self.unit(v, p, units::percent(number, Some(suffix)))?)
            }
            (Prim::String, ValueKind::Str(s)) => TVal::Str(s.clone()),
            (Prim::LabelKey, ValueKind::Str(s)) => {
                if let Err(e) = labels::check_key(s) {
                    self.diags.report(ValueError::InvalidLabelKey {
                        span: v.span,
                        map: MapKind::Labels,
                        key: s.clone(),
                        why: e.why,
                        fixed: e.fixed,
                    });
                    return None;
                }
                TVal::Str(s.clone())
            }
            (_, ValueKind::Str(s)) if p.has_format() => {
                if let Err(problem) = validate_format(p, s) {
                    self.diags.report(ValueError::InvalidFormat {
                        span: v.span,
                        prim: p,
                        problem,
                    });
                    return None;
                }
                TVal::Str(s.clone())
            }
            (_, ValueKind::Name(n))
                if !matches!(
                    p,
                    Prim::Secret | Prim::SecretName | Prim::ConfigMap | Prim::ConfigMapName
                ) =>
            {
                if let Some(c) = self.site().components.first(n) {
                    self.diags.report(ValueError::ComponentForPrim {
                        span: v.span,
                        prim: p,
                        name: n.clone(),
                        kind: c.kind.name.clone(),
                    });
                } else if !self.site().names_lost
                    && (self.site().bound_names.is_empty()
                        || did_you_mean(n, self.site().bound_names.iter().map(String::as_str))
                            .is_none())
                {
                    let fix = Some(PrimFix::QuoteName(n.clone()));
                    self.mismatch(v, Expected::Prim { prim: p, fix });
                } else {
                    self.unresolved(n, v.span, &[]);
                }
                return None;
            }
            (_, ValueKind::Number(n))
                if matches!(p, Prim::String | Prim::LabelKey) || p.has_format() =>
            {
                let fix = Some(PrimFix::QuoteNumber(n.clone()));
                self.mismatch(v, Expected::Prim { prim: p, fix });
                return None;
            }
            (_, ValueKind::Str(s)) if unquoted_fits(p, s) => {
                let fix = Some(PrimFix::Unquote(s.clone()));
                self.mismatch(v, Expected::Prim { prim: p, fix });
                return None;
            }
            _ => {
                self.mismatch(v, Expected::Prim { prim: p, fix: None });
                return None;
            }
        };
        Some(self.typed(value, origin, v.span, path))
    }

    fn unit<T>(&mut self, v: &Value, p: Prim, r: Result<T, units::UnitError>) -> Option<T> {
        let e = match r {
            Ok(x) => return Some(x),
            Err(e) => e,
        };
        self.diags.report(ValueError::BadUnit {
            span: v.span,
            prim: p,
            error: e,
        });
        None
    }

    pub(super) fn enum_value(
        &mut self,
        v: &Value,
        name: &str,
        path: &str,
        origin: Origin,
    ) -> Option<Typed> {
        let def = &self.types.enums[name];
        let variant = match &v.kind {
            ValueKind::Name(n) | ValueKind::Str(n) => n,
            _ => {
                let expected = Expected::Enum {
                    name: name.to_string(),
                    variants: variants_of(def),
                };
                self.mismatch(v, expected);
                return None;
            }
        };
        if !def.variants.iter().any(|(x, _)| x == variant) {
            let suggestion =
                did_you_mean(variant, def.variants.iter().map(|(x, _)| *x)).map(str::to_string);
            self.diags.report(ValueError::UnknownEnumVariant {
                span: v.span,
                variant: variant.clone(),
                enum_name: name.to_string(),
                variants: variants_of(def),
                suggestion,
            });
            return None;
        }
        if let ValueKind::Name(n) = &v.kind
            && origin == Origin::Source
            && let Some(c) = self.named(n).next()
        {
            self.diags.report(ValueError::AmbiguousEnumName {
                span: v.span,
                name: n.clone(),
                enum_name: name.to_string(),
                kind: c.kind.name.clone(),
                declared: c.name_span,
            });
            return None;
        }
        Some(self.typed(TVal::Enum(variant.clone()), origin, v.span, path))
    }

    pub(super) fn union_value(
        &mut self,
        v: &Value,
        name: &str,
        path: &str,
        origin: Origin,
    ) -> Option<Typed> {
        let def = &self.types.unions[name];
        if let ValueKind::Tagged { tag, body } = &v.kind {
            let Some((_, _, ty)) = def.variants.iter().find(|(t, _, _)| *t == tag.name) else {
                let tags: Vec<&str> = def.variants.iter().map(|(t, _, _)| *t).collect();
                let suggestion = did_you_mean(&tag.name, tags.iter().copied()).map(str::to_string);
                self.diags.report(ValueError::UnknownUnionTag {
                    span: tag.span,
                    tag: tag.name.clone(),
                    union_name: name.to_string(),
                    tags: tags.iter().map(|t| t.to_string()).collect(),
                    suggestion,
                });
                return None;
            };
            let Type::Record(schema) = ty else {
                self.mismatch(v, Expected::Type(ty.clone()));
                return None;
            };
            let schema = &self.types.schemas[schema];
            let rec = self.record(body, schema, None, path, origin, tag.span);
            let inner = self.typed(TVal::Record(Box::new(rec)), origin, v.span, path);
            return Some(self.typed(
                TVal::Variant {
                    tag: tag.name.clone(),
                    value: Box::new(inner),
                },
                origin,
                v.span,
                path,
            ));
        }
        let chosen = def
            .variants
            .iter()
            .find(|(_, _, t)| !matches!(t, Type::Record(_)) && self.fits(v, t))
            .cloned();
        match chosen {
            Some((tag, _, ty)) => {
                let inner = self.value(v, &ty, None, path, origin)?;
                Some(self.typed(
                    TVal::Variant {
                        tag: tag.to_string(),
                        value: Box::new(inner),
                    },
                    origin,
                    v.span,
                    path,
                ))
            }
            None => {
                let kinds: Vec<Kind> = def
                    .variants
                    .iter()
                    .filter_map(|(_, _, t)| match t {
                        Type::Ref(k) => Some(*k),
                        _ => None,
                    })
                    .collect();
                if let ValueKind::Name(n) = &v.kind
                    && !kinds.is_empty()
                {
                    self.unresolved(n, v.span, &kinds);
                    return None;
                }
                let alternatives = def
                    .variants
                    .iter()
                    .map(|(t, _, ty)| match ty {
                        Type::Ref(k) => UnionAlternative::Ref(*k),
                        _ => UnionAlternative::Tagged(t.to_string()),
                    })
                    .collect();
                let expected = Expected::Union {
                    name: name.to_string(),
                    alternatives,
                };
                self.mismatch(v, expected);
                None
            }
        }
    }
}

fn variants_of(def: &crate::check::types::EnumDef) -> Vec<String> {
    def.variants.iter().map(|(v, _)| v.to_string()).collect()
}

/// Checks the text of DnsName, Host, RouteHost, ObjectName, PortName,
/// Image, Url and Version values.
pub(super) fn validate_format(p: Prim, s: &str) -> Result<(), FormatProblem> {
    match p {
        Prim::Host => dns::host(s).map_err(FormatProblem::Name),
        Prim::RouteHost => dns::route_host(s).map_err(FormatProblem::Name),
        Prim::ObjectName => dns::object_name(s).map_err(FormatProblem::Name),
        Prim::PortName => dns::port_name(s).map_err(FormatProblem::Name),
        Prim::Registry => dns::registry(s).map_err(FormatProblem::Name),
        Prim::IpAddress => dns::ip_address(s).map_err(FormatProblem::Name),
        Prim::DnsName => {
            if s.is_empty() || s.len() > 63 {
                return Err(FormatProblem::DnsLength);
            }
            let ok = s
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !s.starts_with('-')
                && !s.ends_with('-');
            if !ok {
                let fixed: String = s
                    .to_ascii_lowercase()
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect();
                return Err(FormatProblem::DnsChars {
                    fixed: fixed.trim_matches('-').to_string(),
                });
            }
            Ok(())
        }
        Prim::Url => {
            if s.starts_with("http://") || s.starts_with("https://") {
                Ok(())
            } else if let Some((scheme, rest)) = s.split_once("://") {
                Err(FormatProblem::UrlScheme {
                    scheme: scheme.to_string(),
                    rest: rest.to_string(),
                })
            } else {
                Err(FormatProblem::UrlNoScheme {
                    text: s.to_string(),
                })
            }
        }
        Prim::Version => {
            let ok = !s.is_empty()
                && s.split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            if ok {
                Ok(())
            } else {
                Err(FormatProblem::Version)
            }
        }
        Prim::Image => {
            crate::model::image::parse(s)
                .map(|_| ())
                .map_err(|e| FormatProblem::Image {
                    message: e.message,
                    suggestion: e.suggestion,
                })
        }
        _ => Ok(()),
    }
}
