//! The last step of `check`: the checked values ([`Rec`]) become the typed
//! site model ([`crate::model`]). Check has already judged every value, so a
//! value that does not fit its Rust type is a compiler bug, reported as one
//! (E0901), never a panic.

mod schema;

use std::sync::Arc;

use crate::map::IndexMap;

use crate::check::error::InternalMismatch;
use crate::check::model::{CheckedComponent, CheckedSite, Rec, TVal, Typed};
use crate::diagnostics::Diagnostics;
use crate::model::{
    AgentRef, ConfigMapKeyRef, ConfigMapName, ExporterRef, Kind, Located, Millis, PoolRef,
    Quantity, SecretKeyRef, SecretName, ServerRef, SiteRef, WorkerRef,
};
use crate::model::{Component, Prov, Site, Spec, Waiver, Written};

/// A checked value that does not fit the type the stdlib gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The dotted path of the field, innermost last once unwound.
    pub path: Vec<String>,
    pub expected: &'static str,
    pub found: String,
}

impl Mismatch {
    pub fn new(expected: &'static str, t: &Typed) -> Mismatch {
        Mismatch::of(expected, &t.value)
    }

    /// [`Mismatch::new`] of a value taken out of its [`Typed`].
    pub fn of(expected: &'static str, value: &TVal) -> Mismatch {
        Mismatch {
            path: Vec::new(),
            expected,
            found: format!("{value:?}").chars().take(80).collect(),
        }
    }

    fn missing(name: &str) -> Mismatch {
        Mismatch {
            path: vec![name.to_string()],
            expected: "a value (the field has a default or is required)",
            found: "nothing".to_string(),
        }
    }

    fn within(mut self, name: &str) -> Mismatch {
        self.path.insert(0, name.to_string());
        self
    }

    /// `security.run-as-user`
    pub fn field(&self) -> String {
        self.path.join(".")
    }
}

/// A value of the model read from one checked value, which it takes: the
/// checked values are dropped once the typed site is made, so their
/// strings, lists and maps move into it rather than being copied
/// (docs/performance.md).
pub trait FromTyped: Sized {
    fn from_typed(t: Typed) -> Result<Self, Mismatch>;
}

/// A schema's struct read from a checked record, which it takes.
pub trait FromRec: Sized {
    fn from_rec(rec: Rec) -> Result<Self, Mismatch>;
}

/// The record inside `t`.
fn record(t: Typed, expected: &'static str) -> Result<Rec, Mismatch> {
    match t.value {
        TVal::Record(r) => Ok(*r),
        other => Err(Mismatch::of(expected, &other)),
    }
}

/// A checked record's fields, taken one by one in the schema's order.
/// Check fills a record in that order, and a struct's fields are read in
/// it, so the next field is found by one comparison of its name, not a
/// hash lookup; a field elsewhere is looked up.
struct Fields {
    rec: Rec,
    next: usize,
}

impl Fields {
    fn of(rec: Rec) -> Fields {
        Fields { rec, next: 0 }
    }

    /// The value of the field `name`, if check filled it in, taken out
    /// (a placeholder left in its place).
    fn take(&mut self, name: &str) -> Option<Typed> {
        let at = match self.rec.fields.get_index(self.next) {
            Some((k, _)) if &**k == name => {
                let at = self.next;
                self.next += 1;
                at
            }
            // Out of order (a worker's `type`, which check derives after
            // its other fields), or not filled in: the fields after it are
            // still read in order.
            _ => {
                let at = self.rec.fields.get_index_of(name)?;
                #[cfg(test)]
                LOOKED_UP.with(|n| n.set(n.get() + 1));
                at
            }
        };
        let (_, t) = self.rec.fields.get_index_mut(at)?;
        let taken = Typed {
            value: TVal::Bool(false),
            prov: nowhere(),
        };
        Some(std::mem::replace(t, taken))
    }
}

#[cfg(test)]
thread_local! {
    /// How many fields [`Fields::take`] found out of the schema's order,
    /// by a lookup: what reading in order saves, seen by the tests.
    static LOOKED_UP: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The provenance of a value taken out of a checked record or moved into
/// a located one: a placeholder no conversion reads (a written span, so
/// no `Arc` is counted).
fn nowhere() -> Prov {
    Prov::Source(crate::source::Span::default())
}

/// A field check has filled in (written, or the stdlib's default), taken
/// out of `rec`.
fn field<T: FromTyped>(rec: &mut Fields, name: &str) -> Result<Located<T>, Mismatch> {
    let t = rec.take(name).ok_or_else(|| Mismatch::missing(name))?;
    Located::from_typed(t).map_err(|m| m.within(name))
}

/// A field the schema lets be unset: `Option<Located<T>>`, or
/// `Option<Box<Located<T>>>` for a record.
fn optional_field<L: FromTyped>(rec: &mut Fields, name: &str) -> Result<Option<L>, Mismatch> {
    rec.take(name)
        .map(|t| L::from_typed(t).map_err(|m| m.within(name)))
        .transpose()
}

impl<T: FromTyped> FromTyped for Box<T> {
    fn from_typed(t: Typed) -> Result<Self, Mismatch> {
        T::from_typed(t).map(Box::new)
    }
}

impl<T: FromTyped> FromTyped for Located<T> {
    fn from_typed(t: Typed) -> Result<Self, Mismatch> {
        // The provenance moves to the located value; `T` reads the value
        // only (no `Arc` count taken for a default's path, then dropped).
        let Typed { value, prov } = t;
        let value = T::from_typed(Typed {
            value,
            prov: nowhere(),
        })?;
        Ok(Located { value, prov })
    }
}

impl<T: FromTyped> FromTyped for Vec<T> {
    fn from_typed(t: Typed) -> Result<Self, Mismatch> {
        match t.value {
            TVal::List(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| T::from_typed(item).map_err(|m| m.within(&i.to_string())))
                .collect(),
            other => Err(Mismatch::of("a list", &other)),
        }
    }
}

impl<T: FromTyped> FromTyped for IndexMap<String, T> {
    fn from_typed(t: Typed) -> Result<Self, Mismatch> {
        match t.value {
            TVal::Map(entries) => entries
                .into_iter()
                .map(|(k, v)| {
                    let v = T::from_typed(v).map_err(|m| m.within(&k))?;
                    Ok((k, v))
                })
                .collect(),
            other => Err(Mismatch::of("a map", &other)),
        }
    }
}

/// `FromTyped` for a type read from one `TVal` variant.
macro_rules! from_value {
    ($ty:ty, $expected:literal, $pattern:pat => $value:expr) => {
        impl FromTyped for $ty {
            fn from_typed(t: Typed) -> Result<Self, Mismatch> {
                match t.value {
                    $pattern => Ok($value),
                    other => Err(Mismatch::of($expected, &other)),
                }
            }
        }
    };
}

from_value!(String, "a string", TVal::Str(s) => s);
from_value!(i64, "an integer", TVal::Int(i) => i);
from_value!(bool, "a boolean", TVal::Bool(b) => b);
from_value!(Quantity, "a quantity", TVal::Cpu(q) | TVal::Memory(q) => q);
from_value!(Millis, "a duration", TVal::Duration(ms) => Millis(ms));
from_value!(u32, "a percentage", TVal::Percent(p) => p);
from_value!(SecretKeyRef, "one key of a Secret",
    TVal::Secret { name, key: Some(key) } => SecretKeyRef { name, key });
from_value!(SecretName, "a whole Secret",
    TVal::Secret { name, key: None } => SecretName { name });
from_value!(ConfigMapKeyRef, "a ConfigMap",
    TVal::ConfigMap { name, key } => ConfigMapKeyRef { name, key });
from_value!(ConfigMapName, "a whole ConfigMap",
    TVal::ConfigMap { name, key: None } => ConfigMapName { name });
from_value!(SiteRef, "a site", TVal::Ref { kind: Kind::Site, name } => SiteRef { name });
from_value!(ServerRef, "a server", TVal::Ref { kind: Kind::Server, name } => ServerRef { name });
from_value!(PoolRef, "a pool", TVal::Ref { kind: Kind::Pool, name } => PoolRef { name });
from_value!(WorkerRef, "a worker", TVal::Ref { kind: Kind::Worker, name } => WorkerRef { name });
from_value!(AgentRef, "an agent", TVal::Ref { kind: Kind::Agent, name } => AgentRef { name });
from_value!(ExporterRef, "an exporter",
    TVal::Ref { kind: Kind::Exporter, name } => ExporterRef { name });

/// The typed site, or E0901 for each component whose values do not fit
/// their Rust types.
pub(super) fn typed_site(
    site: CheckedSite,
    kept: Option<(&super::kept::KeptTyped, &crate::source::SourceMap)>,
) -> Result<Site, Diagnostics> {
    let mut bugs = Diagnostics::default();
    let settings = component(site.site, |_, rec| FromRec::from_rec(rec).map(Box::new))
        .map_err(|bug| bugs.report(bug))
        .ok();
    let mut components = Vec::new();
    let kept = kept.map(|(k, sources)| (k, k.begin(sources)));
    for c in site.components {
        let typed = match &kept {
            // The memo keeps the checked component: converted from a copy.
            Some((k, edits)) => k.typed(c, edits, |c| component(c.clone(), spec).map(Arc::new)),
            // Not shared without the memo: converted from the component itself.
            None => component(Arc::unwrap_or_clone(c), spec).map(Arc::new),
        };
        match typed {
            Ok(c) => components.push(c),
            Err(bug) => bugs.report(bug),
        }
    }
    match settings {
        Some(settings) if !bugs.has_errors() => Ok(Site::new(settings, components)),
        _ => Err(bugs),
    }
}

fn spec(kind: Kind, values: Rec) -> Result<Spec, Mismatch> {
    Ok(match kind {
        Kind::Server => Spec::Server(Box::new(FromRec::from_rec(values)?)),
        Kind::Pool => Spec::Pool(Box::new(FromRec::from_rec(values)?)),
        Kind::Worker => Spec::Worker(Box::new(FromRec::from_rec(values)?)),
        Kind::Agent => Spec::Agent(Box::new(FromRec::from_rec(values)?)),
        Kind::Exporter => Spec::Exporter(Box::new(FromRec::from_rec(values)?)),
        // Check keeps the one site apart from the other components.
        Kind::Site => {
            return Err(Mismatch {
                path: Vec::new(),
                expected: "a component other than the site",
                found: "a second site".to_string(),
            });
        }
    })
}

/// The typed component of `c`, its values read by `spec`, which takes
/// them; or E0901 naming the field that did not fit.
fn component<S>(
    c: CheckedComponent,
    spec: impl FnOnce(Kind, Rec) -> Result<S, Mismatch>,
) -> Result<Component<S>, InternalMismatch> {
    let written = written(&c.fields);
    let body = c.fields.span;
    let CheckedComponent {
        kind,
        name,
        name_span,
        header,
        waivers,
        doc,
        fields,
    } = c;
    match spec(kind, fields) {
        Ok(spec) => Ok(Component {
            kind,
            name,
            name_span,
            header,
            waivers,
            doc,
            spec,
            body,
            written,
        }),
        Err(m) => Err(InternalMismatch {
            span: header,
            kind,
            component: name,
            field: m.field(),
            expected: m.expected,
            found: m.found,
        }),
    }
}

/// Every value written in `rec` and below, with its path.
fn written(rec: &Rec) -> Vec<Written> {
    fn record(rec: &Rec, path: &mut String, out: &mut Vec<Written>) {
        for (name, t) in &rec.fields {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(name);
            value(name, t, rec.waivers_of(name), path, out);
            path.truncate(len);
        }
    }
    /// `waivers`: those written on the field whose value `t` is (a list's
    /// items and a map's values have none of their own).
    fn value(name: &str, t: &Typed, waivers: &[Waiver], path: &mut String, out: &mut Vec<Written>) {
        let Prov::Source(span) = t.prov else {
            // A default is the schema's whole: nothing in it was written
            // (a worker's forty unset fields, and their records' fields,
            // were walked for none).
            debug_assert!(
                !holds_written(t),
                "a default holds a written value at {path}"
            );
            return;
        };
        debug_assert!(path.ends_with(name), "a path ends with its name");
        out.push(Written {
            path: crate::model::shared_path(path),
            // A path is part of a source file, which is at most
            // `MAX_FILE_BYTES`.
            name_at: u32::try_from(path.len() - name.len()).unwrap_or(u32::MAX),
            span,
            text: match &t.value {
                TVal::Str(s) => Some(s.as_str().into()),
                _ => None,
            },
            waivers: waivers.into(),
        });
        match &t.value {
            TVal::Record(r) => record(r, path, out),
            TVal::List(items) => {
                for item in items {
                    value(name, item, &[], path, out);
                }
            }
            TVal::Map(m) => {
                for (k, v) in m.iter() {
                    let len = path.len();
                    path.push('.');
                    path.push_str(k);
                    value(k, v, &[], path, out);
                    path.truncate(len);
                }
            }
            TVal::Variant { value: inner, .. } => value(name, inner, &[], path, out),
            TVal::Str(_)
            | TVal::Int(_)
            | TVal::Bool(_)
            | TVal::Cpu(_)
            | TVal::Memory(_)
            | TVal::Duration(_)
            | TVal::Percent(_)
            | TVal::Enum(_)
            | TVal::Ref { .. }
            | TVal::Secret { .. }
            | TVal::ConfigMap { .. } => {}
        }
    }
    let mut out = Vec::new();
    record(rec, &mut String::new(), &mut out);
    // Held with the typed site to the end of the build.
    out.shrink_to_fit();
    out
}

/// Whether `t` or anything in it was written (what [`written`] skips in a
/// default, asserting it is not).
#[allow(clippy::wildcard_enum_match_arm)] // only the variants that hold values
fn holds_written(t: &Typed) -> bool {
    matches!(t.prov, Prov::Source(_))
        || match &t.value {
            TVal::Record(r) => r.fields.values().any(holds_written),
            TVal::List(items) => items.iter().any(holds_written),
            TVal::Map(m) => m.values().any(holds_written),
            TVal::Variant { value, .. } => holds_written(value),
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    /// The checked site of `text`, before its conversion: the stages of
    /// `crate::build` up to `check`.
    fn checked(text: &str) -> CheckedSite {
        let std = crate::stdlib();
        let resolved = crate::check::resolved(text, std);
        let (site, diags) = crate::check::check(&resolved, &std.types, None, None);
        assert!(!diags.has_errors(), "{diags:?}");
        site.expect("a site")
    }

    const SITE: &str = r#"site demo { namespace = "prefect", prefect = "3.4.25" }
pool scripts { type = process }
worker w { pool = scripts, api = self-hosted { url = "https://p.example.com/api" } }
"#;

    #[test]
    fn a_checked_site_converts() {
        let site = typed_site(checked(SITE), None).expect("converts");
        assert_eq!(*site.settings().namespace, "prefect");
        assert_eq!(site.components.len(), 2);
    }

    /// A value check let through with the wrong type is E0901 naming the
    /// component and the field, for the site and for any other component,
    /// and no site is handed on.
    #[test]
    fn a_value_of_the_wrong_type_is_an_internal_error_naming_its_field() {
        let mut bad_site = checked(SITE);
        bad_site
            .site
            .fields
            .fields
            .get_mut("namespace")
            .expect("namespace")
            .value = TVal::Int(1);
        let bugs = typed_site(bad_site, None).expect_err("a bug");
        assert_eq!(bugs.0.len(), 1);
        assert_eq!(bugs.0[0].code, Code::InternalError);
        assert!(
            bugs.0[0].message.contains("`namespace` of site `demo`"),
            "{}",
            bugs.0[0].message
        );

        let mut bad_worker = checked(SITE);
        let worker = bad_worker
            .components
            .iter_mut()
            .find(|c| c.kind == Kind::Worker)
            .expect("the worker");
        std::sync::Arc::make_mut(worker)
            .fields
            .fields
            .get_mut("replicas")
            .expect("replicas")
            .value = TVal::Str("two".into());
        let bugs = typed_site(bad_worker, None).expect_err("a bug");
        assert_eq!(bugs.0.len(), 1);
        assert!(
            bugs.0[0].message.contains("`replicas` of worker `w`"),
            "{}",
            bugs.0[0].message
        );
    }

    /// A written value is found at any depth of a default: in a record's
    /// fields, a list's items, a map's values and a variant's value.
    #[test]
    fn a_written_value_is_found_inside_any_default() {
        let default = |value| Typed {
            value,
            prov: Prov::default_of(crate::source::Span::default(), "f"),
        };
        let written = || Typed {
            value: TVal::Int(1),
            prov: Prov::Source(crate::source::Span::new(crate::source::FileId(0), 1, 2)),
        };
        let mut rec = Rec::default();
        rec.fields.insert("a", written());
        let holding = [
            written(),
            default(TVal::Record(Box::new(rec))),
            default(TVal::List(vec![default(TVal::Int(2)), written()])),
            default(TVal::Map(Box::new(
                [("k".to_string(), written())].into_iter().collect(),
            ))),
            default(TVal::Variant {
                tag: "v".into(),
                value: Box::new(written()),
            }),
        ];
        for t in &holding {
            assert!(holds_written(t), "{t:?}");
        }
        let mut all_default = Rec::default();
        all_default
            .fields
            .insert("a", default(TVal::Str("x".into())));
        for t in [
            default(TVal::Int(1)),
            default(TVal::Record(Box::new(all_default))),
            default(TVal::List(vec![default(TVal::Int(2))])),
            default(TVal::Variant {
                tag: "v".into(),
                value: Box::new(default(TVal::Bool(true))),
            }),
        ] {
            assert!(!holds_written(&t), "{t:?}");
        }
    }

    /// A default is skipped whole, on the promise that nothing in it was
    /// written; a value that broke it (a written value inside a default
    /// record) stops a debug build, so every site the tests build keeps it.
    #[cfg(debug_assertions)]
    #[test]
    #[should_panic(expected = "a default holds a written value at security")]
    fn a_written_value_inside_a_default_stops_a_debug_build() {
        let mut site = checked(SITE);
        let worker = site
            .components
            .iter_mut()
            .find(|c| c.kind == Kind::Worker)
            .expect("the worker");
        let fields = &mut std::sync::Arc::make_mut(worker).fields.fields;
        let TVal::Record(security) = &mut fields.get_mut("security").expect("security").value
        else {
            panic!("security is a record")
        };
        let user = security.fields.get_mut("run-as-user").expect("run-as-user");
        user.prov = Prov::Source(crate::source::Span::new(crate::source::FileId(0), 0, 1));
        let _ = typed_site(site, None);
    }

    /// Check fills a record in the schema's order, and the conversion
    /// reads it so: of a site's fields only the worker's `type`, which
    /// check derives after the others, is looked up. A record in another
    /// order converts to the same values, its fields looked up.
    #[test]
    fn fields_are_read_in_the_schemas_order_or_looked_up() {
        let convert = |site: CheckedSite| {
            LOOKED_UP.with(|n| n.set(0));
            let typed = typed_site(site, None).expect("converts");
            // The values (the written ones are listed in the record's order).
            let specs: Vec<String> = std::iter::once(format!("{:?}", typed.site.spec))
                .chain(typed.components.iter().map(|c| format!("{:?}", c.spec)))
                .collect();
            (specs, LOOKED_UP.with(std::cell::Cell::get))
        };
        let (in_order, looked_up) = convert(checked(SITE));
        assert_eq!(looked_up, 1, "fields found out of order");
        let mut reversed = checked(SITE);
        reversed.site.fields.fields.reverse();
        for c in &mut reversed.components {
            std::sync::Arc::make_mut(c).fields.fields.reverse();
        }
        let (out_of_order, looked_up) = convert(reversed);
        assert_eq!(out_of_order, in_order);
        assert!(looked_up > 10, "{looked_up} fields looked up");
    }

    /// Every written value is listed under its dotted path, map keys
    /// included; defaults are not written values.
    #[test]
    fn written_values_carry_their_paths() {
        let text = r#"site demo { namespace = "prefect", prefect = "3.4.25" }
pool scripts { type = process }
worker w {
  pool = scripts
  api = self-hosted { url = "https://p.example.com/api" }
  env = { "API_TOKEN" = "x" }
  security { run-as-user = 1000 }
}
"#;
        let site = typed_site(checked(text), None).expect("converts");
        let worker = site.find(Kind::Worker, "w").expect("w");
        let paths: Vec<&str> = worker.written.iter().map(|w| w.path.as_str()).collect();
        for want in [
            "pool",
            "api",
            "api.url",
            "env",
            "env.API_TOKEN",
            "security",
            "security.run-as-user",
        ] {
            assert!(paths.contains(&want), "{want} in {paths:?}");
        }
        assert!(
            !paths.contains(&"replicas"),
            "a default is not written: {paths:?}"
        );
        let token = worker
            .written
            .iter()
            .find(|w| *w.path == "env.API_TOKEN")
            .expect("the token");
        assert_eq!(
            (token.name(), token.text.as_deref()),
            ("API_TOKEN", Some("x"))
        );
    }
}
