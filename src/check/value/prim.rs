//! Primitive values (numbers, quantities, durations, strings and their
//! formats), enum values and unions.

use super::{Checker, Origin};
use crate::check::model::{Kind, TVal, Typed};
use crate::check::types::{Prim, Type};
use crate::check::units;
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::resolve::{Value, ValueKind};

impl Checker<'_> {
    pub(super) fn prim(&mut self, v: &Value, p: Prim, path: &str, origin: Origin) -> Option<Typed> {
        let value = match (p, &v.kind) {
            (Prim::Secret, ValueKind::Secret { name, key }) => {
                if key.is_none() {
                    self.mismatch(
                        v,
                        "one key of a Secret",
                        Some(format!("name the key: `secret(\"{name}\", \"key\")`")),
                    );
                    return None;
                }
                TVal::Secret {
                    name: name.clone(),
                    key: key.clone(),
                }
            }
            (Prim::SecretName, ValueKind::Secret { name, key }) => {
                if key.is_some() {
                    self.mismatch(
                        v,
                        "a whole Secret",
                        Some(format!("drop the key: `secret(\"{name}\")`")),
                    );
                    return None;
                }
                TVal::Secret {
                    name: name.clone(),
                    key: None,
                }
            }
            (Prim::Secret | Prim::SecretName, ValueKind::Str(_)) => {
                self.diags.push(
                    Diagnostic::new(Code::LiteralSecret, v.span, "a credential cannot be written in source")
                        .label("a literal where a Secret reference is expected")
                        .help("store it in a Kubernetes Secret and reference it: `secret(\"name\", \"key\")`")
                        .note("prefectc never writes secret values into manifests"),
                );
                return None;
            }
            (Prim::ConfigMapName, ValueKind::ConfigMap { name, key }) => {
                if key.is_some() {
                    self.mismatch(
                        v,
                        "a whole ConfigMap",
                        Some(format!("drop the key: `config-map(\"{name}\")`")),
                    );
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
                        self.diags.push(
                            Diagnostic::new(
                                Code::ConstraintViolated,
                                v.span,
                                "a port is between 1 and 65535",
                            )
                            .label(format!("{i} is not a port"))
                            .help("choose a port between 1 and 65535"),
                        );
                        return None;
                    }
                    Ok(i) => TVal::Int(i),
                    Err(_) if n.bytes().all(|b| b.is_ascii_digit() || b == b'-') => {
                        self.diags.push(
                            Diagnostic::new(
                                Code::InvalidNumber,
                                v.span,
                                format!("`{n}` does not fit in a 64-bit integer"),
                            )
                            .label("too large"),
                        );
                        return None;
                    }
                    Err(_) => {
                        let whole = n.split('.').next().unwrap_or(n);
                        self.mismatch(v, "a whole number", Some(format!("round it: `{whole}`")));
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
            (Prim::DnsName | Prim::Image | Prim::Url | Prim::Version, ValueKind::Str(s)) => {
                if let Err((why, help)) = validate_format(p, s) {
                    let mut d = Diagnostic::new(
                        Code::InvalidFormat,
                        v.span,
                        format!("not a valid {}", p.name()),
                    )
                    .label(why);
                    if let Some(h) = help {
                        d = d.help(h);
                    }
                    self.diags.push(d);
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
                if let Some(c) = self.components.iter().find(|c| c.name == *n) {
                    let d = Diagnostic::new(
                        Code::TypeMismatch,
                        v.span,
                        format!("expected {}, found {} `{n}`", p.name(), c.kind.name),
                    )
                    .label(format!("expected {}", p.name()))
                    .help(format!("to use the text, quote it: `\"{n}\"`"));
                    self.diags.push(d);
                } else if !self.names_lost
                    && (self.bound_names.is_empty()
                        || did_you_mean(n, self.bound_names.iter().map(String::as_str)).is_none())
                {
                    self.mismatch(
                        v,
                        p.name(),
                        Some(format!("to use the text, quote it: `\"{n}\"`")),
                    );
                } else {
                    self.unresolved(n, v.span, &[]);
                }
                return None;
            }
            (
                Prim::String | Prim::DnsName | Prim::Url | Prim::Version | Prim::Image,
                ValueKind::Number(n),
            ) => {
                self.mismatch(v, p.name(), Some(format!("quote it: `\"{n}\"`")));
                return None;
            }
            (Prim::Int | Prim::Port, ValueKind::Str(s)) if s.parse::<i64>().is_ok() => {
                self.mismatch(v, p.name(), Some(format!("remove the quotes: `{s}`")));
                return None;
            }
            _ => {
                self.mismatch(v, p.name(), None);
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
        let label = e.label.unwrap_or_else(|| {
            match p {
                Prim::Cpu => "expected cores (`1`, `0.5`) or millicores (`500m`)",
                Prim::Memory => "expected a size with a unit: `512Mi`, `1Gi`, `1G`",
                Prim::Duration => "expected a duration with a unit: `500ms`, `15s`, `5m`, `1h`",
                Prim::Percent => "expected a percentage: `80%`",
                _ => "the unit does not fit this field",
            }
            .to_string()
        });
        let mut d = Diagnostic::new(Code::BadUnit, v.span, e.message).label(label);
        if let Some(s) = e.suggestion {
            d = d.help(format!("did you mean `{s}`?"));
        } else if let Some(h) = e.help {
            d = d.help(h);
        }
        self.diags.push(d);
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
                self.mismatch(
                    v,
                    &format!("a {name} (one of {})", variants_list(def)),
                    None,
                );
                return None;
            }
        };
        if !def.variants.iter().any(|(x, _)| x == variant) {
            let mut d = Diagnostic::new(
                Code::UnknownVariant,
                v.span,
                format!("`{variant}` is not a {name}"),
            )
            .label(format!("expected one of {}", variants_list(def)));
            if let Some(s) = did_you_mean(variant, def.variants.iter().map(|(x, _)| x.as_str())) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            self.diags.push(d);
            return None;
        }
        if let ValueKind::Name(n) = &v.kind
            && origin == Origin::Source
            && let Some(c) = self.components.iter().find(|c| c.name == *n)
        {
            self.diags.push(
                Diagnostic::new(
                    Code::AmbiguousName,
                    v.span,
                    format!("`{n}` is ambiguous here"),
                )
                .label(format!("both the {name} variant and a {}", c.kind.name))
                .with_secondary(c.name_span, format!("the {} `{n}`", c.kind.name))
                .help(format!(
                    "write the variant as a string, `\"{n}\"`, or rename the {}",
                    c.kind.name
                )),
            );
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
                let tags: Vec<&str> = def.variants.iter().map(|(t, _, _)| t.as_str()).collect();
                let mut d = Diagnostic::new(
                    Code::UnknownVariant,
                    tag.span,
                    format!("`{}` is not a kind of {name}", tag.name),
                )
                .label(format!("expected one of: {}", tags.join(", ")));
                if let Some(s) = did_you_mean(&tag.name, tags.iter().copied()) {
                    d = d.help(format!("did you mean `{s}`?"));
                }
                self.diags.push(d);
                return None;
            };
            let Type::Record(schema) = ty else {
                self.mismatch(v, &ty.display(), None);
                return None;
            };
            let schema = &self.types.schemas[schema];
            let rec = self.record(body, schema, None, path, origin, tag.span);
            let inner = self.typed(TVal::Record(rec), origin, v.span, path);
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
                        tag,
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
                let tags: Vec<String> = def
                    .variants
                    .iter()
                    .map(|(t, _, ty)| match ty {
                        Type::Ref(k) => format!("a {}", k.as_str()),
                        _ => format!("`{t} {{ … }}`"),
                    })
                    .collect();
                self.mismatch(v, &format!("{name} ({})", tags.join(", ")), None);
                None
            }
        }
    }
}

fn variants_list(def: &crate::check::types::EnumDef) -> String {
    def.variants
        .iter()
        .map(|(v, _)| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks the text of DnsName, Image, Url and Version values.
fn validate_format(p: Prim, s: &str) -> Result<(), (String, Option<String>)> {
    match p {
        Prim::DnsName => {
            if s.is_empty() || s.len() > 63 {
                return Err(("a DNS label has 1 to 63 characters".into(), None));
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
                return Err((
                    "lower-case letters, digits and `-`, starting and ending with a letter or digit".into(),
                    Some(format!("try `\"{}\"`", fixed.trim_matches('-'))),
                ));
            }
            Ok(())
        }
        Prim::Url => {
            if s.starts_with("http://") || s.starts_with("https://") {
                Ok(())
            } else if let Some((scheme, rest)) = s.split_once("://") {
                Err((
                    format!("`{scheme}://` is not an HTTP scheme"),
                    Some(format!(
                        "the Prefect API is served over HTTP: `\"https://{rest}\"`"
                    )),
                ))
            } else {
                Err((
                    "a URL starts with http:// or https://".into(),
                    Some(format!("add the scheme: `\"https://{s}\"`")),
                ))
            }
        }
        Prim::Version => {
            let ok = !s.is_empty()
                && s.split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            if ok {
                Ok(())
            } else {
                Err((
                    "a version is numbers separated by dots, e.g. `3.4.25`".into(),
                    None,
                ))
            }
        }
        Prim::Image => crate::model::image::parse(s).map(|_| ()).map_err(|e| {
            let help = match e.suggestion {
                Some(fixed) => format!("did you mean `\"{fixed}\"`?"),
                None => "write `registry/repository:tag` or `repository@sha256:…`".into(),
            };
            (e.message, Some(help))
        }),
        _ => Ok(()),
    }
}
