//! The typed site model: what `check` hands to `lower`. Every value is typed
//! and remembers where it came from ([`Prov`]); defaults are filled in.

use indexmap::IndexMap;

use crate::source::Span;

/// Where a value came from: written in a `.pfk` file, or a schema default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prov {
    Source(Span),
    /// A default of the standard library, applied to the component whose
    /// header is `component`; `field` is the dotted path, e.g. `security.run-as-user`.
    Default {
        component: Span,
        field: String,
    },
}

impl Prov {
    /// The span a diagnostic about this value points at.
    pub fn span(&self) -> Span {
        match self {
            Prov::Source(s) => *s,
            Prov::Default { component, .. } => *component,
        }
    }

    pub fn is_default(&self) -> bool {
        matches!(self, Prov::Default { .. })
    }
}

/// A typed value and its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Typed {
    pub value: TVal,
    pub prov: Prov,
    /// `@allow` waivers written on this field.
    pub waivers: Vec<Waiver>,
}

/// A Kubernetes quantity: the canonical text and its value in thousandths
/// (millicores, millibytes) for comparisons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    pub text: String,
    pub milli: i128,
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
    Map(IndexMap<String, Typed>),
    Record(Rec),
    /// A value of a tagged union: `sqlite { … }`, or `prefect` as `server`.
    Variant {
        tag: String,
        value: Box<Typed>,
    },
}

/// A record checked against a schema; fields in schema order, defaults filled.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rec {
    pub schema: String,
    pub fields: IndexMap<String, Typed>,
    pub span: Span,
}

impl Rec {
    pub fn get(&self, name: &str) -> Option<&Typed> {
        self.fields.get(name)
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        match self.get(name).map(|t| &t.value) {
            Some(TVal::Str(s)) => Some(s),
            _ => None,
        }
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        match self.get(name).map(|t| &t.value) {
            Some(TVal::Int(i)) => Some(*i),
            _ => None,
        }
    }

    pub fn bool(&self, name: &str) -> Option<bool> {
        match self.get(name).map(|t| &t.value) {
            Some(TVal::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    pub fn enum_(&self, name: &str) -> Option<&str> {
        match self.get(name).map(|t| &t.value) {
            Some(TVal::Enum(s)) => Some(s),
            _ => None,
        }
    }

    pub fn duration_ms(&self, name: &str) -> Option<u64> {
        match self.get(name).map(|t| &t.value) {
            Some(TVal::Duration(d)) => Some(*d),
            _ => None,
        }
    }

    pub fn record(&self, name: &str) -> Option<&Rec> {
        match self.get(name).map(|t| &t.value) {
            Some(TVal::Record(r)) => Some(r),
            _ => None,
        }
    }

    pub fn list(&self, name: &str) -> &[Typed] {
        match self.get(name).map(|t| &t.value) {
            Some(TVal::List(l)) => l,
            _ => &[],
        }
    }

    /// The strings of a list field (enum variants included).
    pub fn strings(&self, name: &str) -> Vec<&str> {
        self.list(name)
            .iter()
            .filter_map(|t| match &t.value {
                TVal::Str(s) | TVal::Enum(s) => Some(s.as_str()),
                _ => None,
            })
            .collect()
    }

    pub fn map(&self, name: &str) -> Option<&IndexMap<String, Typed>> {
        match self.get(name).map(|t| &t.value) {
            Some(TVal::Map(m)) => Some(m),
            _ => None,
        }
    }

    /// The tag and body of a union field: `("sqlite", record)`.
    pub fn variant(&self, name: &str) -> Option<(&str, &Typed)> {
        match self.get(name).map(|t| &t.value) {
            Some(TVal::Variant { tag, value }) => Some((tag, value)),
            _ => None,
        }
    }
}

/// The component kinds the compiler can lower.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Site,
    Server,
    Pool,
    Worker,
    Agent,
    Exporter,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "site" => Kind::Site,
            "server" => Kind::Server,
            "pool" => Kind::Pool,
            "worker" => Kind::Worker,
            "agent" => Kind::Agent,
            "exporter" => Kind::Exporter,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Site => "site",
            Kind::Server => "server",
            Kind::Pool => "pool",
            Kind::Worker => "worker",
            Kind::Agent => "agent",
            Kind::Exporter => "exporter",
        }
    }
}

/// `@allow("rule", …, reason = "…", until = "YYYY-MM-DD", owner = "…")`
#[derive(Debug, Clone, PartialEq)]
pub struct Waiver {
    pub rules: Vec<(String, Span)>,
    pub reason: String,
    pub until: Option<String>,
    pub owner: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub kind: Kind,
    pub name: String,
    pub name_span: Span,
    /// `kind name`: where findings about defaults point.
    pub header: Span,
    pub waivers: Vec<Waiver>,
    pub doc: Option<String>,
    pub fields: Rec,
}

/// The checked site.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub site: Component,
    /// Every other component, in declaration order.
    pub components: Vec<Component>,
}

impl Site {
    pub fn find(&self, kind: Kind, name: &str) -> Option<&Component> {
        self.components
            .iter()
            .find(|c| c.kind == kind && c.name == name)
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Component> {
        self.components.iter().filter(move |c| c.kind == kind)
    }
}
