//! Checking resolved values against their expected types: fields, units,
//! defaults, constraints, references and waivers.

mod constraint;
pub(super) mod defaults;
mod names;
mod prim;
mod waivers;

use crate::map::IndexMap;

use super::labels;

use super::error::{self, Expected, Found, ValueError};
use super::model::{Kind, Prov, Rec, TVal, Typed};
use super::types::{Prim, SchemaDef, Type, Types};
use crate::diagnostics::{Diagnostics, did_you_mean, kebab_case};
use crate::resolve::{self, Record, Value, ValueKind};
use crate::source::Span;

/// Whether a value was written by the user or comes from a schema default.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Source,
    Default,
}

/// What a component's check read of the site (`check::KeptChecks` keeps
/// the check while these are unchanged).
#[derive(Default, Debug)]
pub struct Reads {
    /// The names it looked up among the components.
    pub names: Vec<String>,
    /// It read more than components by name: the candidates for a name
    /// that is none, the values of another component.
    pub whole: bool,
}

/// What the check of a value may read of the site besides the value: read
/// only through [`Checker::site`], which counts the reads, so that a
/// default whose check read none is known to check alike for every
/// component ([`Checker::default_value`]).
pub struct SiteNames<'a> {
    /// The site's components, by name.
    pub components: crate::map::ByName<'a, std::sync::Arc<resolve::Component>>,
    pub bound_names: &'a [String],
    /// A file failed to load or parse: an unknown name may be declared
    /// there, and is not reported (`Resolved::names_lost`).
    pub names_lost: bool,
}

pub struct Checker<'a> {
    pub types: &'a Types,
    site: &'a SiteNames<'a>,
    /// How often [`Checker::site`] was read.
    site_reads: std::cell::Cell<usize>,
    /// What the check of the current component read of the site.
    reads: std::cell::RefCell<Reads>,
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
    /// A buffer for fields' paths, reused from record to record.
    pub path_buf: String,
    /// The schemas' defaults checked so far ([`Checker::default_value`]).
    defaults: defaults::Memo,
    /// Whether the component being checked is one of many of its kind,
    /// whose defaults are worth keeping ([`defaults::MEMOIZED_FROM`]).
    pub memoize_defaults: bool,
    /// How many defaults were copied rather than checked.
    pub copied_defaults: usize,
    /// The names a name that is none is compared with, by the kinds it
    /// should have been, made on the first such name ([`names::NamesOf`]).
    names_of: Vec<(Vec<Kind>, names::NamesOf<'a>)>,
}

impl<'a> Checker<'a> {
    pub fn new(types: &'a Types, site: &'a SiteNames<'a>) -> Self {
        Checker {
            types,
            site,
            site_reads: std::cell::Cell::new(0),
            reads: Default::default(),
            header: Span::default(),
            poisoned: false,
            diags: Diagnostics::default(),
            members: Vec::new(),
            path_buf: String::new(),
            defaults: Default::default(),
            memoize_defaults: false,
            copied_defaults: 0,
            names_of: Vec::new(),
        }
    }

    /// The site's components and names, for the check of a value that
    /// reads them (a member access, a name to suggest): what it read is not
    /// said, so the component's check reads all of it ([`Reads::whole`]).
    fn site(&self) -> &'a SiteNames<'a> {
        self.reads.borrow_mut().whole = true;
        self.named_site()
    }

    fn named_site(&self) -> &'a SiteNames<'a> {
        self.site_reads.set(self.site_reads.get() + 1);
        self.site
    }

    /// The site's components named `name`: a read of the site the
    /// component's check names ([`Reads::names`]).
    fn named(&self, name: &str) -> impl Iterator<Item = &'a resolve::Component> + 'a {
        self.reads.borrow_mut().names.push(name.to_string());
        self.named_site().components.named(name).map(|c| &**c)
    }

    /// What the checks of values read of the site since the last call.
    pub fn take_reads(&self) -> Reads {
        std::mem::take(&mut self.reads.borrow_mut())
    }

    fn prov(&self, origin: Origin, span: Span, path: &str) -> Prov {
        match origin {
            Origin::Source => Prov::Source(span),
            Origin::Default => Prov::default_of(self.header, path),
        }
    }

    /// E0314 for every key, label value and annotation size of a map that
    /// Kubernetes reads as labels or annotations (it would refuse them at
    /// apply time), and for a label prefectc sets written where it would
    /// be dropped (`labels`, `pod-labels`). Names are printed escaped: a key may hold a newline or
    /// a bidi override.
    fn label_map(
        &mut self,
        kind: labels::MapKind,
        written: &crate::resolve::tree::Record,
        typed: &IndexMap<String, Typed>,
        span: Span,
        path: &str,
    ) {
        let labels = kind == labels::MapKind::Labels;
        let mut bytes = 0;
        for (k, f) in &written.fields {
            bytes += k.len();
            if labels && let Some(use_) = crate::model::labels::reserved_at(path, k) {
                self.diags.report(ValueError::ReservedLabel {
                    span: f.key.span,
                    key: k.clone(),
                    use_,
                });
                continue;
            }
            if let Err(e) = labels::check_key(k) {
                self.diags.report(ValueError::InvalidLabelKey {
                    span: f.key.span,
                    map: kind,
                    key: k.clone(),
                    why: e.why,
                    fixed: e.fixed,
                });
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
                self.diags.report(ValueError::InvalidLabelValue {
                    span: prov.span(),
                    key: k.clone(),
                    why: e.why,
                    fixed: e.fixed,
                });
            }
        }
        if kind == labels::MapKind::Annotations && bytes > labels::ANNOTATIONS_MAX_BYTES {
            self.diags
                .report(ValueError::AnnotationsTooLarge { span, bytes });
        }
    }

    /// The keys of `volumes` name the pods' volumes: DNS labels (E0310 at
    /// the key).
    fn volume_names(&mut self, written: &crate::resolve::tree::Record) {
        for (k, f) in &written.fields {
            if let Err(problem) = prim::validate_format(Prim::DnsName, k) {
                self.diags.report(ValueError::InvalidFormat {
                    span: f.key.span,
                    prim: Prim::DnsName,
                    problem,
                });
            }
        }
    }

    fn typed(&self, value: TVal, origin: Origin, span: Span, path: &str) -> Typed {
        Typed {
            value,
            prov: self.prov(origin, span, path),
        }
    }

    /// Checks a block against a schema. `defaults` is the default value of
    /// the whole block, if the parent field has one: fields the user does not
    /// write are taken from it before the schema's own field defaults.
    pub fn record(
        &mut self,
        r: &Record,
        schema: &'a SchemaDef,
        defaults: Option<&'a Record>,
        path: &str,
        origin: Origin,
        owner: Span,
    ) -> Rec {
        for (name, f) in &r.fields {
            if !schema.fields.contains_key(name.as_str()) {
                // Helm's `nodeSelector` is `node-selector`: the kebab form
                // first (never the name as written, which is no field),
                // then the closest field to the name as written.
                let fields = schema.fields.keys().map(|k| &**k);
                let kebab = kebab_case(name);
                let suggestion = schema
                    .fields
                    .get_key_value(kebab.as_str())
                    .map(|(k, _)| &**k)
                    .or_else(|| did_you_mean(name, fields.clone()))
                    .or_else(|| did_you_mean(&kebab, fields));
                self.diags.report(ValueError::UnknownField {
                    span: f.key.span,
                    field: name.to_string(),
                    schema: schema.name.to_string(),
                    suggestion: suggestion.map(str::to_string),
                    written: suggestion.is_some_and(|s| r.fields.contains_key(s)),
                    fields: schema.fields.keys().map(|k| k.to_string()).collect(),
                });
            }
        }
        // Sized once: grown one insert at a time, a worker's records were
        // reallocated and rehashed a dozen times each.
        let mut fields =
            IndexMap::with_capacity_and_hasher(schema.fields.len(), Default::default());
        let mut buf = std::mem::take(&mut self.path_buf);
        buf.clear();
        buf.push_str(path);
        let mut waivers = Vec::new();
        for (name, def) in &schema.fields {
            // The field's path, in one buffer per record (a `String` per
            // field with a value was 8.5 K of a keystroke's 147 K
            // allocations, at 105 teams).
            buf.truncate(path.len());
            if !path.is_empty() {
                buf.push('.');
            }
            buf.push_str(name);
            let inherited = defaults
                .and_then(|d| d.fields.get(&**name))
                .map(|f| &f.value);
            let fallback = inherited.or(def.default.as_deref());
            let typed = match r.fields.get(&**name) {
                Some(f) if matches!(f.value.kind, ValueKind::None) => {
                    if !def.ty.is_optional() {
                        self.diags.report(ValueError::CannotUnset {
                            span: f.value.span,
                            field: name.to_string(),
                            ty: def.ty.clone(),
                        });
                    }
                    None
                }
                Some(f)
                    if f.append_to_default && !matches!(def.ty.strip_optional(), Type::List(_)) =>
                {
                    self.diags.report(ValueError::AppendToNonList {
                        span: f.key.span,
                        field: name.to_string(),
                        ty: def.ty.clone(),
                    });
                    None
                }
                Some(f)
                    if f.append_to_default
                        && !matches!(
                            f.value.kind,
                            ValueKind::List(_) | ValueKind::Poisoned | ValueKind::Member { .. }
                        ) =>
                {
                    self.diags.report(resolve::ResolveError::AppendNonList {
                        key: f.key.clone(),
                        value: f.value.clone(),
                        inherited: None,
                    });
                    None
                }
                Some(f) if f.append_to_default && fallback.is_none() => {
                    self.diags.report(ValueError::NothingToAppendTo {
                        span: f.key.span,
                        field: name.to_string(),
                        written: f.value.as_written(),
                    });
                    // Checked as if set with `=`, so that nothing else is reported.
                    let t = self.value(&f.value, &def.ty, None, &buf, origin);
                    if t.is_some() {
                        waived(self.waivers(&f.attrs), name, &mut waivers);
                    }
                    t
                }
                Some(f) => {
                    // `+=` checks the default's items and the written ones
                    // as one list; `=` checks the value as written, not a
                    // copy of it.
                    let appended;
                    let value = match (f.append_to_default, fallback, &f.value.kind) {
                        (
                            true,
                            Some(Value {
                                kind: ValueKind::List(base),
                                ..
                            }),
                            ValueKind::List(items),
                        ) => {
                            let mut all = base.clone();
                            all.extend(items.iter().cloned());
                            let mut value = f.value.clone();
                            value.kind = ValueKind::List(all);
                            appended = value;
                            &appended
                        }
                        _ => &f.value,
                    };
                    let sub_default = fallback.and_then(as_record);
                    let t = self.value(value, &def.ty, sub_default, &buf, origin);
                    if let Some(t) = &t {
                        waived(self.waivers(&f.attrs), name, &mut waivers);
                        self.constraint(def, t, value.span);
                    }
                    t
                }
                None => match fallback {
                    Some(d) => self.default_value(d, &def.ty, &buf),
                    None if def.ty.is_optional() => None,
                    None => {
                        let doc = def
                            .doc
                            .as_deref()
                            .unwrap_or("")
                            .lines()
                            .next()
                            .unwrap_or("");
                        self.diags.report(ValueError::MissingField {
                            span: owner,
                            field: name.to_string(),
                            schema: schema.name.to_string(),
                            ty: def.ty.clone(),
                            doc: doc.to_string(),
                        });
                        None
                    }
                },
            };
            if let Some(t) = typed {
                fields.insert(*name, t);
            }
        }
        // Kept for the next record (a nested one, checked meanwhile, took
        // an empty buffer and made its own).
        self.path_buf = buf;
        Rec {
            schema: schema.name,
            fields,
            span: r.span,
            waivers,
        }
    }

    /// Checks one value against a type. When the value was read through a
    /// let or param, diagnostics about it point at its definition and show
    /// the use, where the expected type comes from.
    fn value(
        &mut self,
        v: &Value,
        ty: &Type,
        default: Option<&'a Record>,
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
                d.secondary
                    .push(error::used_here(used.span, &used.name, ty));
            }
        }
        t
    }

    fn value_here(
        &mut self,
        v: &Value,
        ty: &Type,
        default: Option<&'a Record>,
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
                self.diags.report(ValueError::MemberCycle {
                    span: v.span,
                    access: access(),
                    round,
                });
                return None;
            }
            if self.members.len() >= crate::limits::MAX_DEPTH {
                self.poisoned = true;
                // Reported where the chain starts, in the component being
                // checked: that is the value whose reading goes too deep.
                let start = self.members.first().map_or(v.span, |(_, s)| *s);
                self.diags.report(ValueError::MemberChainTooDeep {
                    span: start,
                    access: access(),
                    limit: crate::limits::MAX_DEPTH,
                });
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
                let types: &'a Types = self.types;
                let schema = &types.schemas[name];
                match &v.kind {
                    ValueKind::Record(r) => {
                        let rec = self.record(r, schema, default, path, origin, v.span);
                        Some(self.typed(TVal::Record(Box::new(rec)), origin, v.span, path))
                    }
                    _ => {
                        self.mismatch(
                            v,
                            Expected::Block {
                                schema: name.to_string(),
                            },
                        );
                        None
                    }
                }
            }
            Type::Union(name) => self.union_value(v, name, path, origin),
            Type::Ref(kind) => self.reference(v, *kind, path, origin),
            Type::List(inner) => match &v.kind {
                ValueKind::List(items) => {
                    // Each item's path in one buffer, as a record's fields
                    // (a `String` made for each item of every list).
                    let mut typed = Vec::with_capacity(items.len());
                    let mut buf = std::mem::take(&mut self.path_buf);
                    for (i, item) in items.iter().enumerate() {
                        buf.clear();
                        buf.push_str(path);
                        buf.push('[');
                        buf.push_str(itoa::Buffer::new().format(i));
                        buf.push(']');
                        typed.extend(self.value(item, inner, None, &buf, origin));
                    }
                    self.path_buf = buf;
                    Some(self.typed(TVal::List(typed), origin, v.span, path))
                }
                _ => {
                    let expected = Expected::List {
                        item: (**inner).clone(),
                        written: v.as_written(),
                    };
                    self.mismatch(v, expected);
                    None
                }
            },
            Type::Map(inner) => match &v.kind {
                ValueKind::Record(r) => {
                    let mut m =
                        IndexMap::with_capacity_and_hasher(r.fields.len(), Default::default());
                    let mut buf = std::mem::take(&mut self.path_buf);
                    for (k, f) in &r.fields {
                        buf.clear();
                        buf.push_str(path);
                        buf.push('.');
                        buf.push_str(k);
                        if let Some(t) = self.value(&f.value, inner, None, &buf, origin) {
                            m.insert(k.clone(), t);
                        }
                    }
                    self.path_buf = buf;
                    if path == "volumes" || path.ends_with(".volumes") {
                        self.volume_names(r);
                    }
                    if let Some(kind) = labels::MapKind::of(path) {
                        self.label_map(kind, r, &m, v.span, path);
                    }
                    Some(self.typed(TVal::Map(Box::new(m)), origin, v.span, path))
                }
                _ => {
                    self.mismatch(v, Expected::Map);
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
                        self.mismatch(v, Expected::Type(ty.clone()));
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

    fn component_of(&self, kind: Kind, name: &str) -> Option<&'a resolve::Component> {
        self.named(name)
            .find(|c| Kind::parse(&c.kind.name) == Some(kind))
    }

    fn mismatch(&mut self, v: &Value, expected: Expected) {
        self.diags.report(ValueError::TypeMismatch {
            span: v.span,
            expected,
            found: Found::of(v),
        });
    }
}

fn as_record(v: &Value) -> Option<&Record> {
    match &v.kind {
        ValueKind::Record(r) => Some(r),
        _ => None,
    }
}

/// Keeps `written` as the waivers of field `name`, unless there are none.
fn waived(
    written: Vec<crate::model::Waiver>,
    name: &super::model::FieldName,
    waivers: &mut Vec<(super::model::FieldName, Vec<crate::model::Waiver>)>,
) {
    if !written.is_empty() {
        waivers.push((*name, written));
    }
}
