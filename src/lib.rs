//! prefectc: compiles a `.pfk` Prefect site into Kubernetes objects.
//!
//! The pipeline, one module per stage: [`syntax`] (parse) → [`resolve`] →
//! [`check`] → [`lower`] → [`emit`]. [`diagnostics`] is shared by all.
//! [`fmt`] lays a file out in the canonical way (`prefectc fmt`); [`lsp`] is
//! the language server (`prefectc lsp`) around all of them. [`diff`] compares
//! the objects of two builds or output directories (`prefectc diff`).

// A match over component kinds, specs or schema enums names every variant,
// so a new kind or variant is a compile error wherever it must be handled.
// The modules allowed below match over syntax trees, JSON and check's value
// tree, where a wildcard arm means "any other shape".
#![warn(clippy::wildcard_enum_match_arm)]

// pest_derive without `std` (see Cargo.toml) names `::alloc::boxed::Box`.
extern crate alloc;

pub mod calendar;
pub mod check;
pub mod cores;
#[allow(clippy::wildcard_enum_match_arm)]
pub mod diagnostics;
#[allow(clippy::wildcard_enum_match_arm)]
pub mod diff;
pub mod docs;
pub mod emit;
#[allow(clippy::wildcard_enum_match_arm)]
pub mod fmt;
pub mod graph;
#[allow(clippy::wildcard_enum_match_arm)]
pub mod import;
pub mod limits;
pub mod lower;
#[allow(clippy::wildcard_enum_match_arm)]
pub mod lsp;
pub mod map;
pub mod model;
pub mod pages;
pub mod policy;
#[allow(clippy::wildcard_enum_match_arm)]
pub mod resolve;
#[allow(clippy::wildcard_enum_match_arm)]
pub mod source;
mod stdlib;
#[allow(clippy::wildcard_enum_match_arm)]
pub mod syntax;
#[cfg(test)]
mod test_sites;

pub use fmt::{FormatError, format};
pub use stdlib::{STDLIB, Stdlib, stdlib};

use diagnostics::{Diagnostic, Diagnostics, IntoDiagnostic};
use lower::k8s::Object;
use resolve::ParamValues;
use source::{Loader, SourceMap};

/// What a build is asked to do beyond reading the file.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--param name=value`
    pub params: ParamValues,
    /// `--today YYYY-MM-DD`: the date waiver expiry is judged against
    /// (today in UTC when unset).
    pub today: Option<String>,
    /// `--kubernetes 1.xx`: the target version, overriding `site.kubernetes`.
    pub kubernetes: Option<String>,
    /// `--max-components N`: the budgets of evaluation
    /// ([`limits::Limits::with_components`]); the defaults otherwise.
    pub limits: limits::Limits,
    /// The caller reads no syntax tree: the syntax trees are dropped once
    /// the site is resolved, before it is checked, and the resolved tree
    /// once the site is checked ([`Output::resolved`] is then empty),
    /// before the checked values become the typed site, which lowers a
    /// large build's peak memory (`prefectc build` and `check`).
    pub without_trees: bool,
    /// The credential rules walk every object, whatever their screen says:
    /// the same report, more work. For the tests and the fuzz property that
    /// hold the screen to the walk (`docs/testing.md`).
    #[doc(hidden)]
    pub walk_every_object: bool,
}

/// The result of a build: the files read, the diagnostics (sorted), and the
/// objects when there was no error.
pub struct Output {
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    /// Policy findings suppressed by `@allow`, for the JSON and SARIF reports.
    pub waived: Vec<Diagnostic>,
    pub objects: Option<Vec<Object>>,
    /// The checked site when checking succeeded, for tools that need the
    /// components behind the objects (`prefectc graph`).
    pub site: Option<model::Site>,
    /// The resolved tree with the syntax trees of the files read, for tools
    /// such as the language server.
    pub resolved: resolve::Resolved,
}

impl Output {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn has_warnings(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_warning)
    }
}

/// Builds the site in `root_text` (named `root_name`, relative to the project
/// root); imports are read through `loader`.
/// A leading byte-order mark is dropped.
pub fn build(root_name: &str, root_text: String, loader: &dyn Loader, options: &Options) -> Output {
    build_unless(root_name, root_text, loader, options, None, &|| false).unwrap_or_else(|s| *s.0)
}

/// What one build keeps for the next build of the same root (the language
/// server's, after an edit): results of steps that depend on nothing but
/// their input, by that whole input, so what an edit did not change is not
/// made again. Each build's output is the same as without them.
#[derive(Default)]
pub struct Kept {
    /// Each file's last parse.
    pub parses: syntax::Parses,
    /// The last build's evaluations of components.
    pub evaluations: resolve::KeptEvaluations,
    /// What the last build's lowering made: base job templates, workers'
    /// objects.
    pub lowering: lower::Kept,
    /// The last build's checks of components.
    pub checks: check::KeptChecks,
    /// The last build's typed components.
    pub typed: check::KeptTyped,
    /// What the credential screen said of the last build's objects.
    pub screened: policy::KeptScreen,
    /// The texts of the files of the build whose lowering is kept, to find
    /// how an edit moved the spans it holds.
    pub texts: source::Texts,
}

/// A build given up between two stages because its result was no longer
/// wanted, with what it had done so far (no objects).
pub struct Superseded(pub Box<Output>);

/// [`build`], asking `superseded` after each stage (resolve, check, lower)
/// whether the result is still wanted: the language server drops the
/// analysis of a text a newer edit replaced instead of finishing it. With
/// `kept`, what the last build given the same `kept` made from the same
/// input is not made again.
pub fn build_unless(
    root_name: &str,
    root_text: String,
    loader: &dyn Loader,
    options: &Options,
    kept: Option<&Kept>,
    superseded: &dyn Fn() -> bool,
) -> Result<Output, Superseded> {
    let mut sources = SourceMap::default();
    let root = sources.add(root_name.to_string(), source::strip_bom(root_text));
    for (name, text) in STDLIB {
        sources.add(name.to_string(), *text);
    }
    let std = stdlib();
    let mut diags = std.diagnostics.clone();
    let (mut resolved, d) = resolve::resolve(
        &mut sources,
        root,
        &std.kinds,
        loader,
        &options.params,
        options.limits,
        kept.map(|k| (&k.parses, &k.evaluations)),
    );
    diags.extend(d);
    let given_up = |sources: SourceMap, diags: Diagnostics, site, resolved| {
        Superseded(Box::new(Output {
            diagnostics: diags.placed(&sources).sorted().0,
            sources,
            waived: Vec::new(),
            objects: None,
            site,
            resolved,
        }))
    };
    if superseded() {
        return Err(given_up(sources, diags, None, resolved));
    }
    if options.without_trees {
        // Check reads the resolved components, not the syntax trees nor the
        // top-level bindings: they go before the checked values are made,
        // which is a large build's peak.
        resolved.files = Vec::new();
        resolved.bindings = Vec::new();
    }
    let kubernetes = options.kubernetes.as_deref();
    let (site, d) = check::check(
        &resolved,
        &std.types,
        kubernetes,
        kept.map(|k| (&k.checks, &sources)),
    );
    diags.extend(d);
    if options.without_trees {
        resolved = resolve::Resolved::default();
    }
    let mut objects = None;
    let mut waived = Vec::new();
    let site = match site {
        Some(site) if !diags.has_errors() => {
            check::typed_site(site, kept.map(|k| (&k.typed, &sources)))
                .map_err(|bugs| diags.extend(bugs))
                .ok()
        }
        _ => None,
    };
    if superseded() {
        return Err(given_up(sources, diags, site, resolved));
    }
    let mut prescreened = None;
    let lowered = site.as_ref().map(|site| match kept {
        // The texts are those of the last build that lowered, as the kept
        // lowerings are.
        Some(k) => lower::lower(site, Some((&k.lowering, &k.texts.edits_to(&sources)))),
        None if cores::screen_beside(site.components.len()) && !options.walk_every_object => {
            let (lowering, screened) = lower_and_screen(site);
            prescreened = screened;
            lowering
        }
        None => lower::lower(site, None),
    });
    if superseded() {
        return Err(given_up(sources, diags, site, resolved));
    }
    if let (Some(site), Some(lowered)) = (&site, lowered) {
        let lower::Lowering {
            objects: mut objs,
            flow_runs,
            diagnostics: d,
            remade,
        } = lowered;
        if let Some(k) = kept {
            k.screened.remade(&remade);
        }
        diags.extend(d);
        if !diags.has_errors() {
            let today = options.today.clone().unwrap_or_else(policy::today_utc);
            // The flow-run Jobs are judged with the objects, and not emitted.
            let emitted = objs.len();
            objs.extend(flow_runs);
            let screening = if options.walk_every_object {
                policy::Screening::EveryObject
            } else if let Some(pre) = &prescreened {
                policy::Screening::Prescreened(pre)
            } else {
                policy::Screening::Screened(kept.map(|k| &k.screened))
            };
            let report = policy::run(site, &objs, &sources, &today, screening);
            objs.truncate(emitted);
            diags.extend(report.diagnostics);
            waived = Diagnostics(report.waived).placed(&sources).sorted().0;
            if !diags.has_errors() {
                objects = Some(objs);
            }
        }
    }
    Ok(Output {
        diagnostics: diags.placed(&sources).sorted().0,
        sources,
        waived,
        objects,
        site,
        resolved,
    })
}

/// Lowers `site` while another thread screens each component's objects
/// for credentials as lowering makes them ([`policy::Prescreened`]): what
/// the policy stage would screen after lowering, done beside it (a large
/// site on the command line, [`cores::screen_beside`]). The verdicts are
/// `None` when that thread could not start or did not finish; the policy
/// stage then screens every object itself.
fn lower_and_screen(site: &model::Site) -> (lower::Lowering, Option<policy::Prescreened>) {
    std::thread::scope(|scope| {
        // The objects of many components a message (`SCREEN_BATCH`):
        // lowering waits when the screen is this many messages behind.
        let (send, receive) = std::sync::mpsc::sync_channel(4);
        let screen = std::thread::Builder::new()
            .name("prefectc-screen".into())
            .spawn_scoped(scope, move || policy::Prescreened::receive(receive))
            .ok();
        // A screen that stopped leaves the objects to the policy stage.
        let mut batch = Vec::with_capacity(SCREEN_BATCH);
        let lowering = lower::lower_observed(site, None, &mut |objects| {
            batch.extend(objects.iter().map(|o| std::sync::Arc::clone(&o.resource)));
            if batch.len() >= SCREEN_BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(SCREEN_BATCH));
                let _ = send.send(full);
            }
        });
        let _ = send.send(batch);
        drop(send);
        let screened = screen.and_then(|s| s.join().ok());
        #[cfg(test)]
        if screened.is_some() {
            SCREENED_BESIDE.set(SCREENED_BESIDE.get() + 1);
        }
        (lowering, screened)
    })
}

/// How many objects lowering sends the screen beside it at once: a message
/// per component woke the screen's thread (and made the lowering thread
/// switch) a hundred thousand times at 100,000 workers
/// (docs/performance.md).
const SCREEN_BATCH: usize = 1024;

#[cfg(test)]
thread_local! {
    /// How many builds on this thread screened their objects beside lowering.
    pub(crate) static SCREENED_BESIDE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Builds the root file from its bytes as read: text that is not UTF-8 is
/// one E0105 at its first bad byte, and nothing is built.
pub fn build_bytes(
    root_name: &str,
    root_bytes: Vec<u8>,
    loader: &dyn Loader,
    options: &Options,
) -> Output {
    match source::decode(root_bytes) {
        Ok(text) => build(root_name, text, loader, options),
        Err(bad) => {
            let mut sources = SourceMap::default();
            let root = sources.add(root_name.to_string(), bad.lossy.clone());
            Output {
                sources,
                diagnostics: vec![resolve::ResolveError::not_utf8(root, &bad).into_diagnostic()],
                waived: Vec::new(),
                objects: None,
                site: None,
                resolved: resolve::Resolved::default(),
            }
        }
    }
}

/// Builds `text` as `site.pfk`, with no imports and default options: the
/// unit tests' way to a built site.
#[cfg(test)]
pub(crate) fn build_text(text: &str) -> Output {
    build(
        "site.pfk",
        text.to_string(),
        &MemoryLoader(Vec::new()),
        &Options::default(),
    )
}

/// A loader over an in-memory table: for tests and for files given on stdin.
pub struct MemoryLoader(pub Vec<(String, String)>);

impl Loader for MemoryLoader {
    fn load(&self, name: &str) -> Result<String, source::LoadError> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| source::strip_bom(t.clone()))
            .ok_or(source::LoadError::NotFound)
    }
}
