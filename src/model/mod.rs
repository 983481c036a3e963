//! The typed site model: what `check` hands to `lower` and `policy`.
//!
//! Every component is a Rust value of its schema's type ([`schema`],
//! generated from `stdlib/*.pfk`), with the standard library's defaults
//! filled in: a field with a default is never an `Option`. Every value
//! remembers where it came from ([`Located`]), so a policy finding about an
//! emitted field points at the `.pfk` line that set it.

pub mod api;
pub mod image;
mod kind;
pub mod labels;
pub mod moved;
pub mod namespaces;
pub mod prefect;
pub mod schema;
mod values;
mod worker;
pub mod workload;

use std::sync::Arc;

use crate::map::HashMap;

use crate::source::Span;

pub use kind::{Kind, KindInfo, StartsJobs};
pub use values::{
    AgentRef, ConfigMapKeyRef, ConfigMapName, ExporterRef, Located, Millis, PoolRef, Prov,
    Quantity, SecretKeyRef, SecretName, ServerRef, SiteRef, Waiver, WorkerRef, shared_path,
};

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
    /// The Prefect API a client component (worker, agent, exporter) talks to.
    pub fn api(&self) -> Option<&Located<schema::Api>> {
        match self {
            Spec::Worker(w) => Some(&w.api),
            Spec::Agent(a) => Some(&a.api),
            Spec::Exporter(e) => Some(&e.api),
            Spec::Server(_) | Spec::Pool(_) => None,
        }
    }

    pub fn server(&self) -> Option<&schema::Server> {
        match self {
            Spec::Server(s) => Some(s),
            Spec::Pool(_) | Spec::Worker(_) | Spec::Agent(_) | Spec::Exporter(_) => None,
        }
    }

    pub fn pool(&self) -> Option<&schema::Pool> {
        match self {
            Spec::Pool(p) => Some(p),
            Spec::Server(_) | Spec::Worker(_) | Spec::Agent(_) | Spec::Exporter(_) => None,
        }
    }

    pub fn worker(&self) -> Option<&schema::Worker> {
        match self {
            Spec::Worker(w) => Some(w),
            Spec::Server(_) | Spec::Pool(_) | Spec::Agent(_) | Spec::Exporter(_) => None,
        }
    }

    pub fn exporter(&self) -> Option<&schema::Exporter> {
        match self {
            Spec::Exporter(e) => Some(e),
            Spec::Server(_) | Spec::Pool(_) | Spec::Worker(_) | Spec::Agent(_) => None,
        }
    }

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
///
/// A site holds every value written in every component, so a `Written` is
/// kept small (56 bytes): its path is shared with every other component's
/// value at the same path ([`shared_path`]), the name is an offset
/// into it, and the text and waivers take no spare capacity.
pub struct Written {
    /// The dotted path of the field, map keys included: `env.API_TOKEN`.
    pub path: std::sync::Arc<String>,
    /// Where in `path` the field or map key it is the value of begins
    /// ([`Written::name`]).
    pub name_at: u32,
    pub span: Span,
    /// The text, for a string.
    pub text: Option<Box<str>>,
    /// The `@allow` waivers written on it.
    pub waivers: Box<[Waiver]>,
}

impl Written {
    /// The field or map key it is the value of: `API_TOKEN` (the end of
    /// its path).
    pub fn name(&self) -> &str {
        &self.path[self.name_at as usize..]
    }
}

/// The checked site.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub site: Component<Box<schema::Site>>,
    /// Every other component, in declaration order.
    /// Shared: the language server keeps a component an edit did not
    /// change from one build to the next (`check::KeptTyped`), and a
    /// build's stages read it without copying it (issue 17).
    pub components: Vec<Arc<Component>>,
    /// Where each component is in `components`, by kind and name: the
    /// stages look components up by reference for every worker, which
    /// was a scan of all of them each time (issue 17).
    index: HashMap<Kind, HashMap<String, usize>>,
}

impl Site {
    pub fn new(site: Component<Box<schema::Site>>, components: Vec<Arc<Component>>) -> Site {
        let mut index: HashMap<Kind, HashMap<String, usize>> = HashMap::default();
        for (i, c) in components.iter().enumerate() {
            // The first of two components of one kind and name (check
            // refuses the second) is the one a lookup finds.
            index
                .entry(c.kind)
                .or_default()
                .entry(c.name.clone())
                .or_insert(i);
        }
        Site {
            site,
            components,
            index,
        }
    }

    pub fn find(&self, kind: Kind, name: &str) -> Option<&Component> {
        let i = *self.index.get(&kind)?.get(name)?;
        self.components.get(i).map(|c| &**c)
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Component> {
        self.components
            .iter()
            .filter(move |c| c.kind == kind)
            .map(|c| &**c)
    }

    /// The site's own settings.
    pub fn settings(&self) -> &schema::Site {
        &self.site.spec
    }
}
