//! Checking resolved values against their expected types: fields, units,
//! defaults, constraints, references and waivers.

use indexmap::IndexMap;

use super::labels;

use super::model::{Kind, Prov, Rec, TVal, Typed, Waiver};
use super::types::{FieldDef, Prim, SchemaDef, Type, Types};
use super::units;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Label, did_you_mean, rules};
use crate::resolve::{self, Attribute, Record, Value, ValueKind};
use crate::source::Span;
use crate::syntax::ast::{BinOp, Expr, ExprKind};

/// Whether a value was written by the user or comes from a schema default.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Source,
    Default,
}

pub struct Checker<'a> {
    pub types: &'a Types,
    pub components: &'a [resolve::Component],
    pub bound_names: &'a [String],
    /// A file failed to load or parse: an unknown name may be declared
    /// there, and is not reported (`Resolved::names_lost`).
    pub names_lost: bool,
    /// The header of the component being checked.
    pub header: Span,
    /// Set when a value that failed in `resolve` was met: the component's
    /// cross-component rules are skipped, as they would only restate that
    /// error.
    pub poisoned: bool,
    pub diags: Diagnostics,
    /// The member accesses (`component.field…`) being resolved, innermost
    /// last: one met again is a cycle, and the chain is at most
    /// [`MAX_DEPTH`](crate::limits::MAX_DEPTH) long.
    pub members: Vec<((String, Vec<String>), Span)>,
}

impl<'a> Checker<'a> {
    fn prov(&self, origin: Origin, span: Span, path: &str) -> Prov {
        match origin {
            Origin::Source => Prov::Source(span),
            Origin::Default => Prov::Default {
                component: self.header,
                field: path.to_string(),
            },
        }
    }

    /// E0314 for every key, label value and annotation size of a map that
    /// Kubernetes reads as labels or annotations (it would refuse them at
    /// apply time). Names are printed escaped: a key may hold a newline or
    /// a bidi override.
    fn label_map(
        &mut self,
        kind: labels::MapKind,
        written: &crate::resolve::tree::Record,
        typed: &IndexMap<String, Typed>,
        span: Span,
    ) {
        let noun = kind.noun();
        let mut bytes = 0;
        for (k, f) in &written.fields {
            bytes += k.len();
            if let Err(e) = labels::check_key(k) {
                let mut d = Diagnostic::new(
                    Code::InvalidLabel,
                    f.key.span,
                    format!("`{}` is not a valid {noun} key", k.escape_debug()),
                )
                .label(e.why);
                d = d.help(match e.fixed {
                    Some(fixed) => format!("write the key as `\"{fixed}\"`"),
                    None => "a key is `name` or `prefix/name`: letters, digits, `-`, `_` and `.` (e.g. `\"example.com/team\"`)".to_string(),
                });
                self.diags.push(d);
            }
            let Some(Typed {
                value: TVal::Str(value),
                prov,
                ..
            }) = typed.get(k)
            else {
                continue;
            };
            bytes += value.len();
            if kind == labels::MapKind::Labels
                && let Err(e) = labels::check_label_value(value)
            {
                let mut d = Diagnostic::new(
                    Code::InvalidLabel,
                    prov.span(),
                    format!("not a valid value for the label `{}`", k.escape_debug()),
                )
                .label(e.why);
                d = d.help(match e.fixed {
                    Some(fixed) => format!("write `\"{fixed}\"`"),
                    None => {
                        "use letters, digits, `-`, `_` and `.`, or move the text into an annotation"
                            .to_string()
                    }
                });
                self.diags.push(d);
            }
        }
        if kind == labels::MapKind::Annotations && bytes > labels::ANNOTATIONS_MAX_BYTES {
            self.diags.push(
                Diagnostic::new(
                    Code::InvalidLabel,
                    span,
                    format!("these annotations hold {bytes} bytes"),
                )
                .label("Kubernetes allows 256 KiB of annotations per object")
                .help("keep large data in a ConfigMap and put its name in the annotation"),
            );
        }
    }

    fn typed(&self, value: TVal, origin: Origin, span: Span, path: &str) -> Typed {
        Typed {
            value,
            prov: self.prov(origin, span, path),
            waivers: Vec::new(),
        }
    }

    /// Checks a block against a schema. `defaults` is the default value of
    /// the whole block, if the parent field has one: fields the user does not
    /// write are taken from it before the schema's own field defaults.
    pub fn record(
        &mut self,
        r: &Record,
        schema: &SchemaDef,
        defaults: Option<&Record>,
        path: &str,
        origin: Origin,
        owner: Span,
    ) -> Rec {
        for (name, f) in &r.fields {
            if !schema.fields.contains_key(name) {
                let mut d = Diagnostic::new(Code::UnknownField, f.key.span, "unknown field")
                    .label(format!("{} has no field `{name}`", schema.name));
                d = match did_you_mean(name, schema.fields.keys().map(String::as_str)) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!(
                        "the fields of {} are: {}",
                        schema.name,
                        schema.fields.keys().cloned().collect::<Vec<_>>().join(", ")
                    )),
                };
                self.diags.push(d);
            }
        }
        let mut fields = IndexMap::new();
        for (name, def) in &schema.fields {
            let fpath = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            let inherited = defaults.and_then(|d| d.fields.get(name)).map(|f| &f.value);
            let fallback = inherited.or(def.default.as_ref());
            let typed = match r.fields.get(name) {
                Some(f) if matches!(f.value.kind, ValueKind::None) => {
                    if !def.ty.is_optional() {
                        self.diags.push(
                            Diagnostic::new(
                                Code::TypeMismatch,
                                f.value.span,
                                format!("`{name}` cannot be unset"),
                            )
                            .label(format!(
                                "`none` given for a field of type {}",
                                def.ty.display()
                            ))
                            .help("remove the line to keep the default, or give a value"),
                        );
                    }
                    None
                }
                Some(f)
                    if f.append_to_default && !matches!(def.ty.strip_optional(), Type::List(_)) =>
                {
                    self.diags.push(
                        Diagnostic::new(
                            Code::InvalidAppend,
                            f.key.span,
                            format!("cannot append to `{name}`"),
                        )
                        .label(format!(
                            "`{name}` has type {}, not a list",
                            def.ty.display()
                        ))
                        .help(format!("set it with `=`: `{name} = …`")),
                    );
                    None
                }
                Some(f)
                    if f.append_to_default
                        && !matches!(
                            f.value.kind,
                            ValueKind::List(_) | ValueKind::Poisoned | ValueKind::Member { .. }
                        ) =>
                {
                    self.diags
                        .push(resolve::append_non_list(&f.key, &f.value, None));
                    None
                }
                Some(f) if f.append_to_default && fallback.is_none() => {
                    self.diags.push(
                        Diagnostic::new(
                            Code::InvalidAppend,
                            f.key.span,
                            format!("`{name}` has nothing to append to"),
                        )
                        .label("nothing inherited, and no default")
                        .help(format!(
                            "set it with `=`: `{name} = {}`",
                            f.value.as_written()
                        )),
                    );
                    // Checked as if set with `=`, so that nothing else is reported.
                    let t = self.value(&f.value, &def.ty, None, &fpath, origin);
                    t.map(|mut t| {
                        t.waivers = self.waivers(&f.attrs);
                        t
                    })
                }
                Some(f) => {
                    let mut value = f.value.clone();
                    if f.append_to_default
                        && let (
                            Some(Value {
                                kind: ValueKind::List(base),
                                ..
                            }),
                            ValueKind::List(items),
                        ) = (fallback, &value.kind)
                    {
                        let mut all = base.clone();
                        all.extend(items.iter().cloned());
                        value.kind = ValueKind::List(all);
                    }
                    let sub_default = fallback.and_then(as_record);
                    let t = self.value(&value, &def.ty, sub_default, &fpath, origin);
                    t.map(|mut t| {
                        t.waivers = self.waivers(&f.attrs);
                        self.constraint(def, &t, value.span);
                        t
                    })
                }
                None => match fallback {
                    Some(d) => self.value(d, &def.ty, None, &fpath, Origin::Default),
                    None if def.ty.is_optional() => None,
                    None => {
                        let mut d = Diagnostic::new(
                            Code::MissingField,
                            owner,
                            format!("missing field `{name}`"),
                        )
                        .label(format!("{} needs `{name}`", schema.name));
                        let doc = def
                            .doc
                            .as_deref()
                            .unwrap_or("")
                            .lines()
                            .next()
                            .unwrap_or("");
                        d = d.help(format!("add `{name} = …` ({}): {doc}", def.ty.display()));
                        self.diags.push(d);
                        None
                    }
                },
            };
            if let Some(t) = typed {
                fields.insert(name.clone(), t);
            }
        }
        Rec {
            schema: schema.name.clone(),
            fields,
            span: r.span,
        }
    }

    fn constraint(&mut self, def: &FieldDef, t: &Typed, span: Span) {
        let Some(c) = &def.constraint else { return };
        let TVal::Int(v) = t.value else { return };
        if eval_constraint(c, &def.name, v) == Some(false) {
            let text = constraint_text(c);
            let mut d = Diagnostic::new(
                Code::ConstraintViolated,
                span,
                format!("`{}` must satisfy `{text}`", def.name),
            )
            .label(format!("{v} is out of range"));
            d = d.help(out_of_range_help(
                def,
                v,
                nearest_allowed(c, &def.name, v),
                &text,
            ));
            self.diags.push(d);
        }
    }

    /// Checks one value against a type. When the value was read through a
    /// let or param, diagnostics about it point at its definition and show
    /// the use, where the expected type comes from.
    fn value(
        &mut self,
        v: &Value,
        ty: &Type,
        default: Option<&Record>,
        path: &str,
        origin: Origin,
    ) -> Option<Typed> {
        let Some(used) = &v.used_at else {
            return self.value_here(v, ty, default, path, origin);
        };
        let before = self.diags.len();
        let t = self.value_here(v, ty, default, path, origin);
        for d in &mut self.diags.0[before..] {
            if d.primary.span != used.span && d.secondary.iter().all(|l| l.span != used.span) {
                d.secondary.push(Label {
                    span: used.span,
                    message: format!("`{}` is used here, as {}", used.name, ty.display()),
                });
            }
        }
        t
    }

    fn value_here(
        &mut self,
        v: &Value,
        ty: &Type,
        default: Option<&Record>,
        path: &str,
        origin: Origin,
    ) -> Option<Typed> {
        if v.kind == ValueKind::Poisoned {
            self.poisoned = true;
            return None;
        }
        if let ValueKind::Member {
            base,
            path: members,
        } = &v.kind
        {
            let key = (
                base.name.clone(),
                members.iter().map(|m| m.name.clone()).collect::<Vec<_>>(),
            );
            let access = || {
                std::iter::once(key.0.as_str())
                    .chain(key.1.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join(".")
            };
            if let Some(at) = self.members.iter().position(|(k, _)| *k == key) {
                self.poisoned = true;
                let round: Vec<String> = self.members[at..]
                    .iter()
                    .map(|((base, path), _)| format!("{base}.{}", path.join(".")))
                    .chain(std::iter::once(access()))
                    .collect();
                self.diags.push(
                    Diagnostic::new(
                        Code::UnresolvedName,
                        v.span,
                        format!("`{}` is defined in terms of itself", access()),
                    )
                    .label("reading this field leads back here")
                    .note(format!("the reads go round: {}", round.join(" → ")))
                    .help("write the value itself in one of the fields, or move it into a `let` both read"),
                );
                return None;
            }
            if self.members.len() >= crate::limits::MAX_DEPTH {
                self.poisoned = true;
                // Reported where the chain starts, in the component being
                // checked: that is the value whose reading goes too deep.
                let start = self.members.first().map_or(v.span, |(_, s)| *s);
                self.diags.push(
                    Diagnostic::new(
                        Code::NestingTooDeep,
                        start,
                        format!(
                            "this value is read through more than {} member accesses (`{}` among them)",
                            crate::limits::MAX_DEPTH,
                            access()
                        ),
                    )
                    .label("one field too many in the chain")
                    .help("write the value in a `let` and read that from every component"),
                );
                return None;
            }
            let target = self.member(base, members)?;
            self.members.push((key, v.span));
            let typed = self.value(&target, ty, default, path, origin);
            self.members.pop();
            return typed;
        }
        match ty {
            Type::Optional(inner) => self.value(v, inner, default, path, origin),
            Type::Prim(p) => self.prim(v, *p, path, origin),
            Type::Enum(name) => self.enum_value(v, name, path, origin),
            Type::Record(name) => {
                let schema = &self.types.schemas[name];
                match &v.kind {
                    ValueKind::Record(r) => {
                        let rec = self.record(r, schema, default, path, origin, v.span);
                        Some(self.typed(TVal::Record(rec), origin, v.span, path))
                    }
                    _ => {
                        self.mismatch(v, &format!("a {} block `{{ … }}`", name), None);
                        None
                    }
                }
            }
            Type::Union(name) => self.union_value(v, name, path, origin),
            Type::Ref(kind) => self.reference(v, *kind, path, origin),
            Type::List(inner) => match &v.kind {
                ValueKind::List(items) => {
                    let typed: Vec<Typed> = items
                        .iter()
                        .enumerate()
                        .filter_map(|(i, item)| {
                            self.value(item, inner, None, &format!("{path}[{i}]"), origin)
                        })
                        .collect();
                    Some(self.typed(TVal::List(typed), origin, v.span, path))
                }
                _ => {
                    let help = format!("wrap it in a list: `[{}]`", v.as_written());
                    self.mismatch(v, &format!("a list of {}", inner.display()), Some(help));
                    None
                }
            },
            Type::Map(inner) => match &v.kind {
                ValueKind::Record(r) => {
                    let mut m = IndexMap::new();
                    for (k, f) in &r.fields {
                        if let Some(t) =
                            self.value(&f.value, inner, None, &format!("{path}.{k}"), origin)
                        {
                            m.insert(k.clone(), t);
                        }
                    }
                    if let Some(kind) = labels::MapKind::of(path) {
                        self.label_map(kind, r, &m, v.span);
                    }
                    Some(self.typed(TVal::Map(m), origin, v.span, path))
                }
                _ => {
                    self.mismatch(v, "a map `{ key = value }`", None);
                    None
                }
            },
            Type::Alt(alts) => {
                let chosen = alts.iter().find(|t| self.fits(v, t)).cloned();
                match chosen {
                    Some(t) => self.value(v, &t, default, path, origin),
                    None => {
                        if let ValueKind::Name(n) = &v.kind {
                            let kinds: Vec<Kind> = alts
                                .iter()
                                .filter_map(|t| match t {
                                    Type::Ref(k) => Some(*k),
                                    _ => None,
                                })
                                .collect();
                            if !kinds.is_empty() {
                                self.unresolved(n, v.span, &kinds);
                                return None;
                            }
                        }
                        self.mismatch(v, &ty.display(), None);
                        None
                    }
                }
            }
        }
    }

    /// Whether `v` has the shape of `ty` (no diagnostics): picks the
    /// alternative of an anonymous union.
    fn fits(&self, v: &Value, ty: &Type) -> bool {
        match (ty.strip_optional(), &v.kind) {
            (Type::Prim(Prim::Secret | Prim::SecretName), ValueKind::Secret { .. }) => true,
            (Type::Prim(Prim::ConfigMap | Prim::ConfigMapName), ValueKind::ConfigMap { .. }) => {
                true
            }
            (
                Type::Prim(Prim::Secret | Prim::SecretName | Prim::ConfigMap | Prim::ConfigMapName),
                _,
            ) => false,
            (Type::Prim(Prim::Int | Prim::Port), ValueKind::Number(_)) => true,
            (Type::Prim(Prim::Bool), ValueKind::Bool(_)) => true,
            (
                Type::Prim(Prim::Cpu | Prim::Memory),
                ValueKind::Number(_) | ValueKind::Quantity { .. },
            ) => true,
            (Type::Prim(Prim::Duration | Prim::Percent), ValueKind::Quantity { .. }) => true,
            (Type::Prim(_), ValueKind::Str(_)) => true,
            (Type::Enum(e), ValueKind::Name(n) | ValueKind::Str(n)) => self.types.enum_has(e, n),
            (Type::Ref(k), ValueKind::Name(n)) => self.component_of(*k, n).is_some(),
            (Type::Record(_) | Type::Map(_), ValueKind::Record(_)) => true,
            (Type::Union(_), ValueKind::Tagged { .. }) => true,
            (Type::Union(u), ValueKind::Name(_)) => self.types.unions[u]
                .variants
                .iter()
                .any(|(_, _, t)| self.fits(v, t)),
            (Type::List(_), ValueKind::List(_)) => true,
            (_, ValueKind::Member { .. }) => true,
            _ => false,
        }
    }

    fn component_of(&self, kind: Kind, name: &str) -> Option<&resolve::Component> {
        self.components
            .iter()
            .find(|c| c.name == name && Kind::parse(&c.kind.name) == Some(kind))
    }

    fn mismatch(&mut self, v: &Value, expected: &str, help: Option<String>) {
        let found = match &v.kind {
            ValueKind::Name(n) => format!("the name `{n}`"),
            k => k.describe().to_string(),
        };
        let mut d = Diagnostic::new(
            Code::TypeMismatch,
            v.span,
            format!("expected {expected}, found {found}"),
        )
        .label(format!("expected {expected}"));
        if let Some(h) = help {
            d = d.help(h);
        }
        self.diags.push(d);
    }

    fn prim(&mut self, v: &Value, p: Prim, path: &str, origin: Origin) -> Option<Typed> {
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

    fn enum_value(&mut self, v: &Value, name: &str, path: &str, origin: Origin) -> Option<Typed> {
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

    fn union_value(&mut self, v: &Value, name: &str, path: &str, origin: Origin) -> Option<Typed> {
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

    fn reference(&mut self, v: &Value, kind: Kind, path: &str, origin: Origin) -> Option<Typed> {
        let ValueKind::Name(n) = &v.kind else {
            self.mismatch(v, &format!("the name of a {}", kind.as_str()), None);
            return None;
        };
        if self.component_of(kind, n).is_some() {
            return Some(self.typed(
                TVal::Ref {
                    kind,
                    name: n.clone(),
                },
                origin,
                v.span,
                path,
            ));
        }
        self.unresolved(n, v.span, &[kind]);
        None
    }

    /// `name` is no component of the expected kinds: say what it is, or what was meant.
    fn unresolved(&mut self, name: &str, span: Span, kinds: &[Kind]) {
        if let Some(other) = self.components.iter().find(|c| c.name == name) {
            let wanted: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            let matching: Vec<String> = self
                .components
                .iter()
                .filter(|c| Kind::parse(&c.kind.name).is_some_and(|k| kinds.contains(&k)))
                .map(|c| format!("`{}`", c.name))
                .collect();
            let wanted_text = wanted.join(" or ");
            let help = match matching.len() {
                0 => format!(
                    "no {wanted_text} is declared: add one, `{} NAME {{ … }}`",
                    wanted[0]
                ),
                1 => format!("the only {wanted_text} here is {}", matching[0]),
                _ => format!("the candidates here are {}", matching.join(", ")),
            };
            self.diags.push(
                Diagnostic::new(
                    Code::TypeMismatch,
                    span,
                    format!(
                        "`{name}` is a {}, not a {}",
                        other.kind.name,
                        wanted.join(" or ")
                    ),
                )
                .label(format!("expected a {}", wanted.join(" or ")))
                .with_secondary(other.name_span, format!("the {} `{name}`", other.kind.name))
                .help(help),
            );
            return;
        }
        if self.names_lost {
            // No component has this name, but a file failed to load or parse and
            // may declare it. The failure that lost the declaration has been reported; the
            // component's cross-component rules would only restate it.
            self.poisoned = true;
            return;
        }
        let mut candidates: Vec<&str> = self
            .components
            .iter()
            .filter(|c| {
                kinds.is_empty() || Kind::parse(&c.kind.name).is_some_and(|k| kinds.contains(&k))
            })
            .map(|c| c.name.as_str())
            .collect();
        candidates.extend(self.bound_names.iter().map(String::as_str));
        let what = if kinds.is_empty() {
            "no let or param".to_string()
        } else {
            format!(
                "no {}, let or param",
                kinds
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            )
        };
        let mut d = Diagnostic::new(Code::UnresolvedName, span, format!("cannot find `{name}`"))
            .label(format!("{what} has this name"));
        d = match did_you_mean(name, candidates.iter().copied()) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None if !kinds.is_empty() => d.help(format!(
                "declare it: `{} {name} {{ … }}`",
                kinds[0].as_str()
            )),
            None => d,
        };
        self.diags.push(d);
    }

    /// `component.field[.field…]`: the value written in another component.
    fn member(
        &mut self,
        base: &crate::syntax::ast::Ident,
        path: &[crate::syntax::ast::Ident],
    ) -> Option<Value> {
        let Some(c) = self.components.iter().find(|c| c.name == base.name) else {
            self.unresolved(&base.name, base.span, &[]);
            return None;
        };
        let mut fields = &c.body.fields;
        let mut found: Option<&Value> = None;
        for m in path {
            let Some(f) = fields.get(&m.name) else {
                self.diags.push(
                    Diagnostic::new(
                        Code::UnresolvedName,
                        m.span,
                        format!("`{}` sets no field `{}`", base.name, m.name),
                    )
                    .label("not written in that component")
                    .with_secondary(c.name_span, format!("the {} `{}`", c.kind.name, c.name))
                    .help("member access reads fields written in the component's block"),
                );
                return None;
            };
            if f.value.kind == ValueKind::Poisoned {
                self.poisoned = true;
                return None;
            }
            found = Some(&f.value);
            if let ValueKind::Record(r) | ValueKind::Tagged { body: r, .. } = &f.value.kind {
                fields = &r.fields;
            }
        }
        found.cloned()
    }

    /// Reads `@allow(…)` attributes.
    pub fn waivers(&mut self, attrs: &[Attribute]) -> Vec<Waiver> {
        let mut out = Vec::new();
        for a in attrs {
            if a.name.name != "allow" {
                self.diags.push(
                    Diagnostic::new(
                        Code::InvalidAttribute,
                        a.name.span,
                        format!("unknown attribute `@{}`", a.name.name),
                    )
                    .label("not an attribute prefectc knows")
                    .help("the only attribute is `@allow(\"rule-id\", reason = \"…\")`"),
                );
                continue;
            }
            if let Some(w) = self.waiver(a) {
                out.push(w);
            }
        }
        out
    }

    fn waiver(&mut self, a: &Attribute) -> Option<Waiver> {
        let mut w = Waiver {
            rules: Vec::new(),
            reason: String::new(),
            until: None,
            owner: None,
            span: a.span,
        };
        let mut ok = true;
        let mut has_reason = false;
        for (name, value) in &a.args {
            let ValueKind::Str(s) = &value.kind else {
                self.diags.push(
                    Diagnostic::new(
                        Code::InvalidAttribute,
                        value.span,
                        "`@allow` arguments are strings",
                    )
                    .label(format!("this is {}", value.kind.describe())),
                );
                ok = false;
                continue;
            };
            match name.as_ref().map(|n| n.name.as_str()) {
                None => {
                    if let Some(rule) = rules::find(s) {
                        if !rule.waivable {
                            self.diags.push(
                                Diagnostic::new(Code::InvalidAttribute, value.span, format!("`{s}` cannot be waived"))
                                    .label("not waivable")
                                    .help(if rule.unconditional {
                                        "nothing waives it, under any profile: remove what it finds (a credential goes into a Kubernetes Secret)"
                                    } else {
                                        "a site that truly needs this says `policy = privileged` on the site, where reviewers see it"
                                    }),
                            );
                            ok = false;
                        }
                        w.rules.push((s.clone(), value.span));
                    } else {
                        let mut d = Diagnostic::new(
                            Code::InvalidAttribute,
                            value.span,
                            format!("unknown policy rule `{s}`"),
                        )
                        .label("no rule has this id");
                        if let Some(m) = did_you_mean(s, rules::CATALOGUE.iter().map(|r| r.id)) {
                            d = d.help(format!("did you mean `{m}`?"));
                        } else {
                            d = d.help("`prefectc explain` lists the rule ids");
                        }
                        self.diags.push(d);
                        ok = false;
                    }
                }
                Some("reason") => {
                    if s.trim().is_empty() {
                        self.diags.push(
                            Diagnostic::new(
                                Code::InvalidAttribute,
                                value.span,
                                "the reason of a waiver is empty",
                            )
                            .label("say why the rule does not apply here"),
                        );
                        ok = false;
                    }
                    has_reason = true;
                    w.reason = s.clone();
                }
                Some("until") => {
                    if let Err(e) = crate::calendar::parse_date(s) {
                        self.diags.push(invalid_until(s, value.span, e));
                        ok = false;
                    }
                    w.until = Some(s.clone());
                }
                Some("owner") => w.owner = Some(s.clone()),
                Some(other) => {
                    let n = name.as_ref().expect("named argument");
                    self.diags.push(
                        Diagnostic::new(
                            Code::InvalidAttribute,
                            n.span,
                            format!("`@allow` has no argument `{other}`"),
                        )
                        .label("unknown argument")
                        .help("the arguments are rule ids, `reason`, `until` and `owner`"),
                    );
                    ok = false;
                }
            }
        }
        if w.rules.is_empty() && ok {
            self.diags.push(
                Diagnostic::new(
                    Code::InvalidAttribute,
                    a.span,
                    "a waiver must name the rules it waives",
                )
                .label("no rule ids")
                .help("write `@allow(\"pss/run-as-user\", reason = \"…\")`"),
            );
            ok = false;
        }
        if !has_reason {
            self.diags.push(
                Diagnostic::new(Code::InvalidAttribute, a.span, "a waiver must say why")
                    .label("`reason` is missing")
                    .help("add `reason = \"…\"`: why the rule does not apply here, and when that ends"),
            );
            ok = false;
        }
        ok.then_some(w)
    }
}

fn as_record(v: &Value) -> Option<&Record> {
    match &v.kind {
        ValueKind::Record(r) => Some(r),
        _ => None,
    }
}

fn variants_list(def: &super::types::EnumDef) -> String {
    def.variants
        .iter()
        .map(|(v, _)| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A waiver's `until` that is not a date: E0308 when it is not written
/// `YYYY-MM-DD` at all, E0310 when it names a day the calendar does not have.
fn invalid_until(s: &str, span: Span, e: crate::calendar::DateError) -> Diagnostic {
    use crate::calendar::DateError;
    match e {
        DateError::Shape => {
            Diagnostic::new(Code::InvalidAttribute, span, format!("`{s}` is not a date"))
                .label("expected YYYY-MM-DD")
                .help("write the expiry as `until = \"2027-01-31\"`")
        }
        _ => {
            let help = match e.suggestion() {
                Some(d) => format!("write a day that exists, e.g. `until = \"{d}\"`"),
                None => "write a day that exists, e.g. `until = \"2027-01-31\"`".to_string(),
            };
            Diagnostic::new(Code::InvalidFormat, span, format!("`{s}` is not a date"))
                .label(e.to_string())
                .help(help)
        }
    }
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

/// Evaluates a schema constraint with the field's value bound to its name.
fn eval_constraint(e: &Expr, field: &str, v: i64) -> Option<bool> {
    fn num(e: &Expr, field: &str, v: i64) -> Option<f64> {
        match &e.kind {
            ExprKind::Number(n) => n.parse().ok(),
            ExprKind::Path(p) if p.len() == 1 && p[0].name == field => Some(v as f64),
            _ => None,
        }
    }
    match &e.kind {
        ExprKind::Binary { first, rest } => match rest.as_slice() {
            [(BinOp::And | BinOp::Or, _), ..] => {
                let mut values = std::iter::once(&**first)
                    .chain(rest.iter().map(|(_, e)| e))
                    .map(|e| eval_constraint(e, field, v));
                if rest[0].0 == BinOp::And {
                    values.try_fold(true, |all, b| Some(all && b?))
                } else {
                    values.try_fold(false, |any, b| Some(any || b?))
                }
            }
            [(op, rhs)] => {
                let (a, b) = (num(first, field, v)?, num(rhs, field, v)?);
                Some(match op {
                    BinOp::Ge => a >= b,
                    BinOp::Le => a <= b,
                    BinOp::Gt => a > b,
                    BinOp::Lt => a < b,
                    BinOp::Eq => a == b,
                    BinOp::Ne => a != b,
                    _ => return None,
                })
            }
            _ => None,
        },
        ExprKind::Not(inner) => eval_constraint(inner, field, v).map(|b| !b),
        _ => None,
    }
}

/// For a violated constraint made of bounds (`min >= 1`, `a >= 0 && a <= 9`),
/// the allowed value nearest to `v`.
/// Fields whose smallest allowed value is drastic rather than small, with
/// what it does: suggested for `-1`, which usually means "no limit" or "the
/// default", it would turn a slip into an outage or a root container.
const DRASTIC_MINIMUM: &[(&str, &str)] = &[
    ("replicas", "runs no pod at all"),
    ("concurrency", "lets no flow run start"),
    ("run-as-user", "runs as root"),
    ("run-as-group", "runs with the root group"),
    ("fs-group", "gives mounted volumes to the root group"),
    (
        "max-unavailable",
        "blocks every voluntary eviction, and so node drains",
    ),
];

/// Optional fields whose absence means "no limit" (the stdlib's docs:
/// `pool.concurrency`, `worker.limit`, `agent.limit`).
const UNSET_IS_UNLIMITED: &[&str] = &["concurrency", "limit"];

/// What leaving an optional field without a default unset means, where it
/// is worth saying.
const UNSET_MEANS: &[(&str, &str)] = &[
    ("run-as-user", "to use the pod's"),
    ("run-as-group", "to use the pod's"),
];

/// The help of E0305 for `v` in field `def`, `nearest` the closest value
/// the constraint allows. A negative value below a lower bound is most
/// likely meant as "unset" (no limit, or the default): the help says to
/// remove the field, where that is allowed, and suggests the bound itself
/// only when it is not drastic ([`DRASTIC_MINIMUM`]). Every help, applied,
/// fixes the error: the field is optional or has a default, or the value
/// suggested satisfies the constraint.
fn out_of_range_help(def: &FieldDef, v: i64, nearest: Option<i64>, text: &str) -> String {
    let name = &def.name;
    let drastic = DRASTIC_MINIMUM
        .iter()
        .find(|(f, _)| f == name)
        .map(|(_, what)| *what);
    let below_bound = v < 0 && nearest.is_some_and(|n| n > v);
    let default_value = def.default.as_ref().and_then(|d| match &d.kind {
        ValueKind::Number(n) => n.parse::<i64>().ok(),
        _ => None,
    });
    let default = def
        .default
        .as_ref()
        .map(|_| default_value.map_or(String::new(), |n| format!(", {n}")));
    let remove = if !below_bound {
        None
    } else if let Some(default) = &default {
        Some(format!("remove `{name}` for the default{default}"))
    } else if def.ty.is_optional() {
        let meaning = if UNSET_IS_UNLIMITED.contains(&name.as_str()) {
            " for no limit".to_string()
        } else {
            UNSET_MEANS
                .iter()
                .find(|(f, _)| f == name)
                .map_or(String::new(), |(_, m)| format!(" {m}"))
        };
        Some(format!("leave `{name}` unset{meaning}: remove it"))
    } else {
        None
    };
    match (remove, nearest, drastic) {
        (Some(remove), Some(n), Some(what)) => {
            format!("{remove} (`{name} = {n}` {what})")
        }
        // The default is the bound: one way to say it.
        (Some(remove), Some(n), None) if default_value == Some(n) => remove,
        (Some(remove), Some(n), None) => {
            format!("{remove}, or use the smallest allowed value: `{name} = {n}`")
        }
        (Some(remove), None, _) => remove,
        // Every field of DRASTIC_MINIMUM is optional or has a default (a
        // unit test holds the table to that), so a drastic minimum is
        // never the only suggestion.
        (None, Some(n), _) => format!("the nearest allowed value is {n}: `{name} = {n}`"),
        (None, None, _) => format!("choose a value for which `{text}` holds"),
    }
}

fn nearest_allowed(e: &Expr, field: &str, v: i64) -> Option<i64> {
    let ExprKind::Binary { first, rest } = &e.kind else {
        return None;
    };
    if rest.iter().all(|(op, _)| *op == BinOp::And) {
        let violated = std::iter::once(&**first)
            .chain(rest.iter().map(|(_, e)| e))
            .find(|e| eval_constraint(e, field, v) == Some(false))?;
        return nearest_allowed(violated, field, v);
    }
    let [(op, rhs)] = rest.as_slice() else {
        return None;
    };
    let lhs = &**first;
    let is_field =
        |e: &Expr| matches!(&e.kind, ExprKind::Path(p) if p.len() == 1 && p[0].name == field);
    let number = |e: &Expr| match &e.kind {
        ExprKind::Number(n) => n.parse::<i64>().ok(),
        _ => None,
    };
    // Written as `field OP n`, or mirrored as `n OP field`.
    let (op, n) = if is_field(lhs) {
        (*op, number(rhs)?)
    } else if is_field(rhs) {
        let mirrored = match op {
            BinOp::Ge => BinOp::Le,
            BinOp::Le => BinOp::Ge,
            BinOp::Gt => BinOp::Lt,
            BinOp::Lt => BinOp::Gt,
            other => *other,
        };
        (mirrored, number(lhs)?)
    } else {
        return None;
    };
    match op {
        BinOp::Ge | BinOp::Le => Some(n),
        BinOp::Gt => n.checked_add(1),
        BinOp::Lt => n.checked_sub(1),
        _ => None,
    }
}

fn constraint_text(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Number(n) => n.clone(),
        ExprKind::Path(p) => p
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>()
            .join("."),
        ExprKind::Binary { first, rest } => {
            let mut text = constraint_text(first);
            for (op, e) in rest {
                text = format!("{text} {} {}", op.symbol(), constraint_text(e));
            }
            text
        }
        ExprKind::Not(i) => format!("!{}", constraint_text(i)),
        _ => "…".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value a help proposes, `` `field = N` ``, if it proposes one first.
    fn proposed(help: &str, field: &str) -> Option<i64> {
        let start = help.find(&format!("`{field} = "))? + field.len() + 4;
        help[start..].split('`').next()?.parse().ok()
    }

    /// Every field of the standard library with a constraint, given `-1`:
    /// the help, applied, fixes the error, and never proposes first a value
    /// that stops the work or runs as root.
    #[test]
    fn negative_values_get_a_help_that_fixes_them() {
        let types = &crate::stdlib().types;
        let mut seen = 0;
        for schema in types.schemas.values() {
            for def in schema.fields.values() {
                let Some(c) = &def.constraint else { continue };
                if eval_constraint(c, &def.name, -1) != Some(false) {
                    continue;
                }
                seen += 1;
                let name = &def.name;
                let help = out_of_range_help(def, -1, nearest_allowed(c, name, -1), "…");
                let what = format!("{}.{name}: {help}", schema.name);
                if help.starts_with("remove") || help.starts_with("leave") {
                    assert!(
                        def.default.is_some() || def.ty.is_optional(),
                        "{what}: removing a required field does not fix it"
                    );
                    if let Some(n) = proposed(&help, name)
                        && !DRASTIC_MINIMUM.iter().any(|(f, _)| f == name)
                    {
                        assert_eq!(eval_constraint(c, name, n), Some(true), "{what}");
                    }
                } else {
                    let n = proposed(&help, name).unwrap_or_else(|| panic!("{what}"));
                    assert_eq!(eval_constraint(c, name, n), Some(true), "{what}");
                    assert!(
                        !DRASTIC_MINIMUM.iter().any(|(f, _)| f == name),
                        "{what}: proposes a drastic minimum"
                    );
                }
                if UNSET_IS_UNLIMITED.contains(&name.as_str()) && def.ty.is_optional() {
                    assert!(help.contains("unset for no limit"), "{what}");
                }
            }
        }
        assert!(seen >= 20, "only {seen} constrained fields found");
        // The tables name fields that exist.
        let all: Vec<&str> = types
            .schemas
            .values()
            .flat_map(|s| s.fields.keys().map(String::as_str))
            .collect();
        for f in DRASTIC_MINIMUM
            .iter()
            .map(|(f, _)| *f)
            .chain(UNSET_IS_UNLIMITED.iter().copied())
            .chain(UNSET_MEANS.iter().map(|(f, _)| *f))
        {
            assert!(
                all.contains(&f),
                "`{f}` is no field of the standard library"
            );
        }
        // A drastic minimum is never the only way out: each such field can
        // be removed.
        for schema in types.schemas.values() {
            for def in schema.fields.values() {
                if DRASTIC_MINIMUM.iter().any(|(f, _)| *f == def.name) {
                    assert!(
                        def.default.is_some() || def.ty.is_optional(),
                        "{}.{} is required: removing it is no help",
                        schema.name,
                        def.name
                    );
                }
            }
        }
    }

    /// The help, word for word, for one field of each kind: written by hand
    /// from the standard library's docs, not copied from the output.
    #[test]
    fn each_kind_of_field_gets_its_own_help() {
        let types = &crate::stdlib().types;
        let cases: &[(&str, &str, i64, &str)] = &[
            (
                "Pool",
                "concurrency",
                -1,
                "leave `concurrency` unset for no limit: remove it \
                 (`concurrency = 0` lets no flow run start)",
            ),
            (
                "Worker",
                "limit",
                -1,
                "leave `limit` unset for no limit: remove it, \
                 or use the smallest allowed value: `limit = 1`",
            ),
            (
                "Worker",
                "replicas",
                -1,
                "remove `replicas` for the default, 1 (`replicas = 0` runs no pod at all)",
            ),
            (
                "ContainerSecurity",
                "run-as-user",
                -1,
                "leave `run-as-user` unset to use the pod's: remove it \
                 (`run-as-user = 0` runs as root)",
            ),
            (
                "Relabeling",
                "modulus",
                -1,
                "leave `modulus` unset: remove it, \
                 or use the smallest allowed value: `modulus = 1`",
            ),
            ("Redis", "db", -1, "remove `db` for the default, 0"),
            // Zero is not negative: not taken for "unset".
            (
                "Worker",
                "limit",
                0,
                "the nearest allowed value is 1: `limit = 1`",
            ),
            (
                "Autoscaling",
                "max",
                -1,
                "the nearest allowed value is 1: `max = 1`",
            ),
        ];
        for (schema, field, v, want) in cases {
            let def = &types.schemas[*schema].fields[*field];
            let c = def.constraint.as_ref().unwrap();
            let help = out_of_range_help(def, *v, nearest_allowed(c, field, *v), "…");
            assert_eq!(help, *want, "{schema}.{field} = {v}");
        }
    }

    /// Values out of range that are not negative keep the nearest bound.
    #[test]
    fn other_values_get_the_nearest_bound() {
        let types = &crate::stdlib().types;
        let weight = &types.schemas["WeightedNodeTerm"].fields["weight"];
        let c = weight.constraint.as_ref().unwrap();
        let help = out_of_range_help(weight, 101, nearest_allowed(c, "weight", 101), "…");
        assert_eq!(help, "the nearest allowed value is 100: `weight = 100`");
        let help = out_of_range_help(weight, -3, nearest_allowed(c, "weight", -3), "…");
        assert_eq!(help, "remove `weight` for the default, 1");
        let spread = &types.schemas["PodSpread"].fields["weight"];
        let help = out_of_range_help(spread, -3, nearest_allowed(c, "weight", -3), "…");
        assert_eq!(
            help,
            "remove `weight` for the default, 100, or use the smallest allowed value: `weight = 1`"
        );
    }
}
