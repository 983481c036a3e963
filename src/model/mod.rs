//! The typed site model: what `check` hands to `lower` and `policy`.
//!
//! Every component is a Rust value of its schema's type ([`schema`],
//! generated from `stdlib/*.pfk`), with the standard library's defaults
//! filled in: a field with a default is never an `Option`. Every value
//! remembers where it came from ([`Located`]), so a policy finding about an
//! emitted field points at the `.pfk` line that set it.

pub mod api;
pub mod image;
pub mod schema;
mod values;
mod worker;
pub mod workload;

use crate::source::Span;

pub use values::{
    AgentRef, ConfigMapKeyRef, ConfigMapName, ExporterRef, Located, Millis, PoolRef, Prov,
    Quantity, SecretKeyRef, SecretName, ServerRef, SiteRef, Waiver, WorkerRef,
};

/// The component kinds of the language. Matches over it are exhaustive:
/// adding a kind makes the compiler list every place that must learn it.
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
    pub const ALL: [Kind; 6] = [
        Kind::Site,
        Kind::Server,
        Kind::Pool,
        Kind::Worker,
        Kind::Agent,
        Kind::Exporter,
    ];

    /// The keyword that declares a component of this kind.
    pub fn parse(keyword: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == keyword)
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

/// A component's settings, typed by its kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Spec {
    Server(Box<schema::Server>),
    Pool(Box<schema::Pool>),
    Worker(Box<schema::Worker>),
    Agent(Box<schema::Agent>),
    Exporter(Box<schema::Exporter>),
}

impl Spec {
    pub fn kind(&self) -> Kind {
        match self {
            Spec::Server(_) => Kind::Server,
            Spec::Pool(_) => Kind::Pool,
            Spec::Worker(_) => Kind::Worker,
            Spec::Agent(_) => Kind::Agent,
            Spec::Exporter(_) => Kind::Exporter,
        }
    }
}

/// A checked component: its name, where it was declared, and its settings
/// (`S`: [`Spec`] for any kind, or one kind's schema such as the site's).
#[derive(Debug, Clone, PartialEq)]
pub struct Component<S = Spec> {
    pub kind: Kind,
    pub name: String,
    pub name_span: Span,
    /// `kind name`: where findings about defaults point.
    pub header: Span,
    /// `@allow` waivers written on the component.
    pub waivers: Vec<Waiver>,
    pub doc: Option<String>,
    /// The typed settings.
    pub spec: S,
    /// The component's body, `{ … }`.
    pub body: Span,
    /// Every value written in the body, in source order, for the checks
    /// that look at all of them whatever their field: field waivers and the
    /// credential scan. Read a setting through `spec`.
    pub written: Vec<Written>,
}

/// A value written in a component's body (not a default).
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// The dotted path of the field, map keys included: `env.API_TOKEN`.
    pub path: String,
    /// The field or map key it is the value of: `API_TOKEN`.
    pub name: String,
    pub span: Span,
    /// The text, for a string.
    pub text: Option<String>,
    /// The `@allow` waivers written on it.
    pub waivers: Vec<Waiver>,
}

/// The checked site.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub site: Component<Box<schema::Site>>,
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

    /// The site's own settings.
    pub fn settings(&self) -> &schema::Site {
        &self.site.spec
    }
}
