//! The checked values as a tree: what `check` builds from the resolved tree
//! before it turns each component into its typed [`crate::model`] value.

use crate::map::IndexMap;

use crate::source::Span;

pub use crate::model::{Component, Kind, Prov, Quantity, Site, Waiver};

/// A typed value and its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Typed {
    pub value: TVal,
    pub prov: Prov,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TVal {
    Str(String),
    Int(i64),
    Bool(bool),
    Cpu(Quantity),
    Memory(Quantity),
    /// Milliseconds.
    Duration(u64),
    Percent(u32),
    Enum(String),
    Ref {
        kind: Kind,
        name: String,
    },
    Secret {
        name: String,
        key: Option<String>,
    },
    ConfigMap {
        name: String,
        key: Option<String>,
    },
    List(Vec<Typed>),
    // A map and a record are boxed: every field of every checked record
    // holds a `TVal`, most of them scalars, and inline these two made each
    // 112 bytes (56 now, with the waivers beside the fields: see
    // `tests::a_checked_value_stays_small`). The checked
    // records of every component are held together until the typed site
    // is made, one of a large build's two peaks of memory
    // (docs/performance.md).
    Map(Box<IndexMap<String, Typed>>),
    Record(Box<Rec>),
    /// A value of a tagged union: `sqlite { … }`, or `prefect` as `server`.
    Variant {
        tag: String,
        value: Box<Typed>,
    },
}

/// A name the standard library declares: a type's, a field's, a variant's.
/// Borrowed from the compiled form embedded in the binary, so decoding the
/// schemas copies none of them (docs/performance.md, "The standard
/// library's names borrowed"). When the compiled form is stale, the types
/// are built from the schema files instead, once per process, and their
/// names are kept for the rest of it (`check::table::keep`).
pub type Name = &'static str;

/// A schema's field name, as the key of its fields
/// ([`crate::check::types::SchemaDef`]) and of every checked record's: the
/// standard library's own, as a site of thousands of workers checks the
/// same fields thousands of times (a `String` per field of every record was
/// 8 % of a 1,000-worker build's allocations; an `Arc` cost a count kept up
/// for every copy, and an allocation for every field decoded).
pub type FieldName = Name;

/// A record checked against a schema; fields in schema order, defaults filled.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rec {
    pub schema: FieldName,
    pub fields: IndexMap<FieldName, Typed>,
    pub span: Span,
    /// The `@allow` waivers written on fields, by field, in schema order:
    /// beside the fields rather than in each value, as nearly every field
    /// has none and a value is held for every field (docs/performance.md).
    pub waivers: Vec<(FieldName, Vec<Waiver>)>,
}

/// Reading fields by name belongs to `check`: every later stage reads the
/// typed [`crate::model`], so these accessors are private to it.
impl Rec {
    /// The waivers written on field `name`.
    pub(in crate::check) fn waivers_of(&self, name: &str) -> &[Waiver] {
        self.waivers
            .iter()
            .find(|(n, _)| &**n == name)
            .map_or(&[], |(_, w)| w.as_slice())
    }

    pub(in crate::check) fn get(&self, name: &str) -> Option<&Typed> {
        self.fields.get(name)
    }

    pub(in crate::check) fn str(&self, name: &str) -> Option<&str> {
        match self.get(name).map(|t| &t.value) {
            Some(TVal::Str(s)) => Some(s),
            _ => None,
        }
    }

    pub(in crate::check) fn int(&self, name: &str) -> Option<i64> {
        match self.get(name).map(|t| &t.value) {
            Some(TVal::Int(i)) => Some(*i),
            _ => None,
        }
    }

    pub(in crate::check) fn bool(&self, name: &str) -> Option<bool> {
        match self.get(name).map(|t| &t.value) {
            Some(TVal::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    pub(in crate::check) fn enum_(&self, name: &str) -> Option<&str> {
        match self.get(name).map(|t| &t.value) {
            Some(TVal::Enum(s)) => Some(s),
            _ => None,
        }
    }

    pub(in crate::check) fn record(&self, name: &str) -> Option<&Rec> {
        match self.get(name).map(|t| &t.value) {
            Some(TVal::Record(r)) => Some(r),
            _ => None,
        }
    }

    pub(in crate::check) fn list(&self, name: &str) -> &[Typed] {
        match self.get(name).map(|t| &t.value) {
            Some(TVal::List(l)) => l,
            _ => &[],
        }
    }

    /// The strings of a list field (enum variants included).
    pub(in crate::check) fn strings(&self, name: &str) -> Vec<&str> {
        self.list(name)
            .iter()
            .filter_map(|t| match &t.value {
                TVal::Str(s) | TVal::Enum(s) => Some(s.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The tag and body of a union field: `("sqlite", record)`.
    pub(in crate::check) fn variant(&self, name: &str) -> Option<(&str, &Typed)> {
        match self.get(name).map(|t| &t.value) {
            Some(TVal::Variant { tag, value }) => Some((tag, value)),
            _ => None,
        }
    }
}

/// A component as `check` sees it before it becomes typed: its values as a tree.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedComponent {
    pub kind: Kind,
    pub name: String,
    pub name_span: Span,
    /// `kind name`: where findings about defaults point.
    pub header: Span,
    pub waivers: Vec<Waiver>,
    pub doc: Option<String>,
    pub fields: Rec,
}

/// The site as `check`'s cross-component rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedSite {
    pub site: CheckedComponent,
    /// Every other component, in declaration order; shared with the checks
    /// kept for the next build ([`super::KeptChecks`]).
    pub components: Vec<std::sync::Arc<CheckedComponent>>,
}

impl CheckedSite {
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &CheckedComponent> {
        self.components
            .iter()
            .filter(move |c| c.kind == kind)
            .map(|c| &**c)
    }
}

#[cfg(test)]
mod tests {
    /// Every field of every checked record, defaults included, has a
    /// bucket, and the checked records of every component are held together
    /// until the typed site is made: one of a large build's two peaks of
    /// memory (docs/performance.md). A value stays 80 bytes, its bucket 104.
    #[test]
    fn a_checked_value_stays_small() {
        use std::mem::size_of;
        assert_eq!(size_of::<super::TVal>(), 56);
        assert_eq!(size_of::<super::Typed>(), 80);
        // An `IndexMap`'s bucket: the hash, the key and the value.
        assert_eq!(size_of::<(u64, super::FieldName, super::Typed)>(), 104);
    }
}
