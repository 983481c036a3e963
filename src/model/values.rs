//! The value types the schemas are built from, and [`Located`], which pairs
//! a value with where it came from.

use std::ops::Deref;
use std::sync::Arc;

use crate::source::Span;

/// Where a value came from: written in a `.pfk` file, or a schema default.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Prov {
    Source(Span),
    /// A default of the standard library, applied to the component whose
    /// header is `component`; `field` is the dotted path, e.g. `security.run-as-user`.
    Default {
        component: Span,
        /// Shared, as every value made from this default clones it, and
        /// behind one thin pointer, which keeps `Prov` at 24 bytes: a site
        /// holds one per value.
        field: Arc<String>,
    },
}

impl Prov {
    /// The default of `field` (a dotted path) of the component whose header
    /// is `component`, or a value prefectc derives for it, attributed to the
    /// field that would set it.
    ///
    /// The paths are the schema's, the same for every component of a kind:
    /// each thread keeps one `Arc` per path (up to `SHARED_PATHS` of
    /// them), so a site of thousands of workers holds each path once
    /// instead of once per value made from a default.
    pub fn default_of(component: Span, field: &str) -> Prov {
        Prov::Default {
            component,
            field: shared_path(field),
        }
    }

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

/// A field's dotted path, shared: the paths are the schema's, the same for
/// every component of a kind (map keys aside), so each thread keeps one
/// `Arc` per path (up to `SHARED_PATHS` of them) and a site of thousands
/// of workers holds each once, for the defaults ([`Prov::default_of`]) and
/// the values written ([`Written`](crate::model::Written)).
pub fn shared_path(path: &str) -> Arc<String> {
    thread_local! {
        static PATHS: std::cell::RefCell<crate::map::HashSet<SharedPath>> =
            std::cell::RefCell::default();
    }
    PATHS.with_borrow_mut(|paths| match paths.get(path) {
        Some(SharedPath(shared)) => Arc::clone(shared),
        None => {
            let shared = Arc::new(path.to_string());
            if paths.len() < SHARED_PATHS {
                paths.insert(SharedPath(Arc::clone(&shared)));
            }
            shared
        }
    })
}

/// A shared path as its own key, found by the text: a key of its own (a
/// `Box<str>` beside the `Arc`) was a third allocation for every path.
#[derive(PartialEq, Eq)]
struct SharedPath(Arc<String>);

/// Hashed and compared as the text it holds, as `Borrow` requires.
impl std::hash::Hash for SharedPath {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.as_str().hash(state);
    }
}

impl std::borrow::Borrow<str> for SharedPath {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// How many distinct paths a thread shares ([`shared_path`]): a bound for
/// a long-lived process (the language server); past it a path is made
/// anew for each value.
const SHARED_PATHS: usize = 4096;

/// `@allow("rule", …, reason = "…", until = "YYYY-MM-DD", owner = "…")`
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Waiver {
    pub rules: Vec<(String, Span)>,
    pub reason: String,
    pub until: Option<String>,
    pub owner: Option<String>,
    pub span: Span,
}

/// A value of the site model with its provenance. Reads through to the
/// value: `worker.replicas.value` or `*worker.replicas`. The `@allow`
/// waivers written on a value are in its component's
/// [`written`](crate::model::Component::written) values, where the policy
/// stage reads them; a site holds hundreds of `Located` values per
/// component, so they carry nothing more.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub prov: Prov,
}

impl<T> Deref for Located<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// A Kubernetes quantity: the canonical text and its value in thousandths
/// (millicores, millibytes) for comparisons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    pub text: String,
    /// The value in thousandths ([`Quantity::milli`]), as the two halves of
    /// an `i128`: a field of that type aligned every checked value to 16
    /// bytes, and a site holds one for every field of every component.
    milli: [u64; 2],
}

impl Quantity {
    pub fn new(text: String, milli: i128) -> Quantity {
        let bits = milli as u128;
        Quantity {
            text,
            milli: [(bits >> 64) as u64, bits as u64],
        }
    }

    /// The value in thousandths: millicores, millibytes.
    pub fn milli(&self) -> i128 {
        ((u128::from(self.milli[0]) << 64) | u128::from(self.milli[1])) as i128
    }
}

/// A duration in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Millis(pub u64);

impl Millis {
    /// Whole seconds, rounded up: Kubernetes and Prefect take seconds, and
    /// `1500ms` must not become a shorter `1`.
    pub fn whole_seconds(self) -> u64 {
        self.0.div_ceil(1000)
    }
}

/// One key of a Secret: `secret("name", "key")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretKeyRef {
    pub name: String,
    pub key: String,
}

/// A whole Secret: `secret("name")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretName {
    pub name: String,
}

/// A ConfigMap, or one key of it: `config-map("name", "key")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigMapKeyRef {
    pub name: String,
    pub key: Option<String>,
}

/// A whole ConfigMap: `config-map("name")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigMapName {
    pub name: String,
}

macro_rules! component_refs {
    ($($name:ident: $kind:literal),* $(,)?) => {
        $(
            #[doc = concat!("A reference to a `", $kind, "` of this site, by name (`Ref<…>` in the stdlib).")]
            #[derive(Debug, Clone, PartialEq, Eq)]
            pub struct $name {
                pub name: String,
            }
        )*
    };
}

component_refs! {
    SiteRef: "site",
    ServerRef: "server",
    PoolRef: "pool",
    WorkerRef: "worker",
    AgentRef: "agent",
    ExporterRef: "exporter",
}

#[cfg(test)]
mod tests {
    use super::{Arc, Located, Millis, Prov, Quantity, shared_path};

    /// The two halves give back the `i128` they were made from, sign and
    /// all (a mutant dropping a half, or a shift, is caught here).
    #[test]
    fn a_quantity_keeps_its_thousandths() {
        for milli in [
            0,
            1,
            -1,
            1_000,
            i128::from(u64::MAX) + 1,
            9_223_372_036_854_775_807_000,
            i128::MIN,
            i128::MAX,
        ] {
            assert_eq!(Quantity::new(String::new(), milli).milli(), milli);
        }
        assert_eq!(std::mem::size_of::<Quantity>(), 40);
        assert_eq!(std::mem::align_of::<Quantity>(), 8);
    }

    #[test]
    fn whole_seconds_round_up() {
        assert_eq!(Millis(0).whole_seconds(), 0);
        assert_eq!(Millis(1).whole_seconds(), 1);
        assert_eq!(Millis(1_000).whole_seconds(), 1);
        assert_eq!(Millis(1_500).whole_seconds(), 2);
        assert_eq!(Millis(15_000).whole_seconds(), 15);
    }

    /// A site holds a provenance for every value it has (a worker's struct
    /// holds about two hundred): it stays one span and a thin pointer, and
    /// a value carries nothing else (docs/performance.md).
    #[test]
    fn a_value_s_provenance_and_waivers_stay_small() {
        use std::mem::size_of;
        assert_eq!(size_of::<Prov>(), 24);
        assert_eq!(size_of::<Option<Prov>>(), 24);
        assert_eq!(size_of::<Located<bool>>(), 32);
        assert_eq!(size_of::<crate::model::Written>(), 56);
    }

    /// A union holds its record variants boxed: a worker's `api`, most
    /// often a name, is not the size of a Prefect Cloud's settings, nor a
    /// volume the size of its largest kind (docs/performance.md).
    #[test]
    fn a_union_is_the_size_of_its_names_not_its_records() {
        use crate::model::schema::{Api, Volume};
        use std::mem::size_of;
        assert!(size_of::<Api>() <= 64, "Api: {} bytes", size_of::<Api>());
        assert!(
            size_of::<Volume>() <= 64,
            "Volume: {} bytes",
            size_of::<Volume>()
        );
    }

    /// Components share the path of their values: the same path is one
    /// `Arc`, made once per thread.
    #[test]
    fn a_path_is_made_once_and_shared() {
        let (a, b) = (shared_path("env.API_TOKEN"), shared_path("env.API_TOKEN"));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(*a, "env.API_TOKEN");
        assert!(!Arc::ptr_eq(&a, &shared_path("env.API_TOKENS")));
    }
}
