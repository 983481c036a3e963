//! Policy: the rules of POLICY.md, run over the lowered objects before
//! anything is written. A finding points at the `.pfk` value that produced
//! the offending field (or, for a default, at the component header with a
//! note naming the field to set), honours `@allow` waivers, and becomes a
//! diagnostic whose code is the rule id and whose severity is the rule's
//! level under the site's profile.
//!
//! Each rule is one function in [`checks`]; [`CHECKS`] maps the ids of the
//! catalogue ([`crate::diagnostics::rules::CATALOGUE`]) to them. The rules
//! that judge each object alone judge a few dozen objects at a time, all of
//! them before the next few dozen, and a large site's objects in one part
//! per core ([`crate::cores`]); the others judge every object at once.

mod checks;
mod pods;
mod waivers;
mod wording;

use crate::diagnostics::rules::{self, Level, Rule};
use crate::diagnostics::{Diagnostic, Diagnostics, IntoDiagnostic, Severity};
use crate::lower::k8s::Object;
use crate::model::schema::{Platform, PolicyProfile};
use crate::model::{Kind, Prov, Site};
use crate::source::{SourceMap, Span};

pub use checks::{CHECKS, KeptScreen, Prescreened, is_credential};
pub use wording::Violation;

/// `site.policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Privileged,
    Baseline,
    Restricted,
}

impl Profile {
    pub fn of(site: &Site) -> Profile {
        match *site.settings().policy {
            PolicyProfile::Privileged => Profile::Privileged,
            PolicyProfile::Baseline => Profile::Baseline,
            PolicyProfile::Restricted => Profile::Restricted,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Privileged => "privileged",
            Profile::Baseline => "baseline",
            Profile::Restricted => "restricted",
        }
    }

    /// The level of `rule` under this profile. `privileged` switches off
    /// the Pod Security rules, turns the rules that cannot be waived into
    /// warnings (a site that truly needs them says so here, where
    /// reviewers see it), and keeps the others at their baseline level.
    /// An unconditional rule (`secret/known-format`) is an error under
    /// every profile.
    pub fn level(self, rule: &Rule) -> Level {
        if rule.unconditional {
            return Level::Error;
        }
        match self {
            Profile::Restricted => rule.restricted,
            Profile::Baseline => rule.baseline,
            Profile::Privileged if rule.id.starts_with("pss/") => Level::Off,
            Profile::Privileged if !rule.waivable => Level::Warn,
            Profile::Privileged => rule.baseline,
        }
    }
}

/// What a check needs: the objects, the typed site they came from, and the
/// Kubernetes minor version the site targets.
pub struct Cx<'a> {
    /// The objects a check judges: every object, or for a check of
    /// [`checks::Scope::Object`], the part of them being judged
    /// ([`Cx::objects`]).
    objects: std::cell::Cell<&'a [Object]>,
    /// Every object.
    pub all: &'a [Object],
    pub site: &'a Site,
    /// The source text, to point inside a long string (a base job
    /// template) at the part a finding is about.
    pub sources: &'a SourceMap,
    /// The `1.x` minor of `site.kubernetes`.
    pub kubernetes_minor: u32,
    /// The strings the credential rules judge, read once for both.
    leaves: std::cell::OnceCell<Vec<checks::Leaf>>,
    /// How the credential rules choose the objects they walk.
    screening: Screening<'a>,
    /// Whether each image reference floats, judged once per reference:
    /// two rules ask it of every container, whose images are a few.
    floating: std::cell::RefCell<crate::map::HashMap<String, Option<wording::Floating>>>,
    /// The first component of each header, made when a rule first places
    /// a finding at what a component wrote ([`Cx::component_at`]).
    by_header: std::cell::OnceCell<crate::map::HashMap<Span, &'a crate::model::Component>>,
    /// The workers of each pool, by the pool's name ([`Cx::workers_of`]).
    by_pool: std::cell::OnceCell<crate::map::HashMap<&'a str, Vec<&'a crate::model::Component>>>,
    /// The ServiceAccounts a RoleBinding names, with their namespaces
    /// ([`Cx::bound`]).
    bound: std::cell::OnceCell<crate::map::HashSet<(&'a str, &'a str)>>,
}

impl<'a> Cx<'a> {
    /// What the rules read of `site` and its `objects`.
    fn new(
        site: &'a Site,
        objects: &'a [Object],
        sources: &'a SourceMap,
        screening: Screening<'a>,
    ) -> Cx<'a> {
        Cx {
            objects: std::cell::Cell::new(objects),
            all: objects,
            site,
            sources,
            kubernetes_minor: site
                .settings()
                .kubernetes
                .split('.')
                .nth(1)
                .and_then(|m| m.parse().ok())
                .unwrap_or(u32::MAX),
            leaves: std::cell::OnceCell::new(),
            screening,
            floating: std::cell::RefCell::default(),
            by_header: std::cell::OnceCell::new(),
            by_pool: std::cell::OnceCell::new(),
            bound: std::cell::OnceCell::new(),
        }
    }

    /// The objects the check judges: every object, or for a check of
    /// [`checks::Scope::Object`], a part of them.
    pub fn objects(&self) -> &'a [Object] {
        self.objects.get()
    }

    // The three lookups below are asked once per object or pod with a
    // finding, which can be every object of the site (`namespace =
    // "default"`): each was a scan of every component or object, which
    // made a site of thousands quadratic (`benches/scaling.py --site
    // findings`). Each is an index made on first use.

    /// The first component (in declaration order) whose header is
    /// `header`: the workers of a `for` loop share theirs.
    pub fn component_at(&self, header: Span) -> Option<&'a crate::model::Component> {
        let site = self.site;
        self.by_header
            .get_or_init(|| {
                let mut by_header = crate::map::HashMap::default();
                for c in &site.components {
                    by_header.entry(c.header).or_insert(&**c);
                }
                by_header
            })
            .get(&header)
            .copied()
    }

    /// The workers that join the pool `pool`, in declaration order.
    pub fn workers_of(&self, pool: &str) -> &[&'a crate::model::Component] {
        let site = self.site;
        self.by_pool
            .get_or_init(|| {
                let mut by_pool: crate::map::HashMap<&str, Vec<_>> = Default::default();
                for c in site.of_kind(Kind::Worker) {
                    if let Some(w) = c.spec.worker() {
                        by_pool.entry(w.pool_name()).or_default().push(c);
                    }
                }
                by_pool
            })
            .get(pool)
            .map_or(&[], Vec::as_slice)
    }

    /// Whether a RoleBinding among the objects grants something to the
    /// ServiceAccount `sa` of namespace `ns`.
    pub fn bound(&self, sa: &str, ns: &str) -> bool {
        let objects = self.all;
        self.bound
            .get_or_init(|| {
                let mut bound = crate::map::HashSet::default();
                for b in objects.iter().filter_map(|o| o.resource.role_binding()) {
                    for s in b.subjects.iter().filter(|s| s.kind == "ServiceAccount") {
                        bound.insert((s.name.as_str(), s.namespace.as_str()));
                    }
                }
                bound
            })
            .contains(&(sa, ns))
    }

    /// [`checks::floating`] of `image`, remembered.
    pub fn floating(&self, image: &str) -> Option<wording::Floating> {
        if let Some(known) = self.floating.borrow().get(image) {
            return known.clone();
        }
        let judged = checks::floating(image);
        self.floating
            .borrow_mut()
            .insert(image.to_string(), judged.clone());
        judged
    }
}

/// One violation of a rule in one object.
#[derive(Debug, Clone)]
pub struct Finding {
    /// `Deployment/prefect`, `container prefect-worker of Deployment/w`.
    pub place: String,
    /// The header of the component whose object it is.
    pub origin: Span,
    /// Where the offending value came from; `None` when the compiler
    /// generated it for a feature of the component.
    pub prov: Option<Prov>,
    /// What is wrong, as data; [`wording`] words it.
    pub violation: Violation,
}

impl Finding {
    /// The id of the rule it violates.
    pub fn rule(&self) -> &'static str {
        self.violation.rule()
    }

    /// The span the diagnostic points at.
    fn span(&self) -> Span {
        self.prov.as_ref().map_or(self.origin, Prov::span)
    }
}

/// The result of the policy stage.
#[derive(Debug, Default)]
pub struct Report {
    /// Findings that count, dead and expired waivers.
    pub diagnostics: Diagnostics,
    /// Findings suppressed by a waiver, for the JSON and SARIF reports.
    pub waived: Vec<Diagnostic>,
}

/// How the credential rules choose the objects they walk.
#[derive(Clone, Copy)]
pub enum Screening<'a> {
    /// Those the screen cannot clear, with what it said of the objects of
    /// a build before (the language server's).
    Screened(Option<&'a KeptScreen>),
    /// What the screen said while the objects were lowered.
    Prescreened(&'a Prescreened),
    /// Every object, whatever the screen would say: the same report, more
    /// work (`Options::walk_every_object`).
    EveryObject,
}

/// Runs every rule that is on under the site's profile. `today`
/// (`YYYY-MM-DD`) decides which waivers have expired.
/// `objects` are the emitted objects followed by the flow-run Jobs the
/// pools' templates describe (not emitted): all are judged alike, as the
/// rules read every pod the site runs.
pub fn run(
    site: &Site,
    objects: &[Object],
    sources: &SourceMap,
    today: &str,
    screening: Screening,
) -> Report {
    if let Screening::Screened(Some(kept)) = screening {
        kept.begin();
    }
    let profile = Profile::of(site);
    let on = |id: &str| {
        profile.level(rules::find(id).expect("every check is in the catalogue")) != Level::Off
    };
    // Each check's findings, in the catalogue's order and each check's
    // in the objects' order, whoever judged them.
    let mut by_check: Vec<Vec<Finding>> = CHECKS.iter().map(|_| Vec::new()).collect();
    // Part `k` judges every `parts`-th run of `PART_RUN` objects from the
    // `k`-th: a site's objects are in kind order, and halves cut by count
    // cost each thread different work (one waited a quarter of a second
    // for the other at 100,000 workers).
    let parts = crate::cores::parts(objects.len());
    let runs: Vec<&[Object]> = objects.chunks(PART_RUN).collect();
    let object_checks = checks_of(checks::Scope::Object, &on);
    let judged = crate::cores::at_once(&(0..parts).collect::<Vec<_>>(), |&k| {
        // These checks read no credential screen (a kept one is not
        // shared between threads).
        let cx = Cx::new(site, objects, sources, Screening::EveryObject);
        runs.iter()
            .skip(k)
            .step_by(parts)
            .map(|run| judge_each(&cx, run, &object_checks))
            .collect::<Vec<_>>()
    });
    let mut judged: Vec<_> = judged.into_iter().map(Vec::into_iter).collect();
    for run in (0..runs.len()).filter_map(|i| judged[i % parts].next()) {
        for (all, mine) in by_check.iter_mut().zip(run) {
            all.extend(mine);
        }
    }
    // The site-wide checks: those that read the credential screen here,
    // the others beside them on another thread when the objects were judged
    // in parts (a large site), each with its own indexes.
    let cx = Cx::new(site, objects, sources, screening);
    let judged = std::thread::scope(|scope| {
        let beside = (parts > 1)
            .then(|| {
                std::thread::Builder::new()
                    .name("prefectc-part".into())
                    .spawn_scoped(scope, || {
                        let cx = Cx::new(site, objects, sources, Screening::EveryObject);
                        judge_site(&cx, &checks_of(checks::Scope::Site, &on))
                    })
                    .ok()
            })
            .flatten();
        let mut judged = judge_site(&cx, &checks_of(checks::Scope::Screened, &on));
        judged.extend(match beside.map(std::thread::ScopedJoinHandle::join) {
            Some(Ok(findings)) => {
                #[cfg(test)]
                SITE_RULES_BESIDE.set(SITE_RULES_BESIDE.get() + 1);
                findings
            }
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => judge_site(&cx, &checks_of(checks::Scope::Site, &on)),
        });
        judged
    });
    for (i, findings) in judged {
        debug_assert!(by_check[i].is_empty(), "{} is judged once", CHECKS[i].0);
        by_check[i] = findings;
    }
    for ((id, _, _), findings) in CHECKS.iter().zip(&by_check) {
        debug_assert!(
            findings.iter().all(|f| f.rule() == *id),
            "the check of {id} reports only {id}"
        );
    }
    let findings: Vec<Finding> = by_check.into_iter().flatten().collect();
    let waivers = waivers::Waivers::collect(site);
    let owners = owners(site);
    let mut report = Report::default();
    for (group, waiver) in group(findings, &waivers, today) {
        let first = &group[0];
        let rule = rules::find(first.rule()).expect("findings name catalogue rules");
        let mut d = wording::Group {
            rule,
            findings: &group,
            owner: owners.get(&first.origin).copied(),
            profile,
            level: profile.level(rule),
        }
        .into_diagnostic();
        match waiver {
            Some(waivers::Match::Active(by)) => {
                d.severity = Severity::Note;
                if let Some(p) = &mut d.policy {
                    p.waived_by = Some(by);
                }
                report.waived.push(d);
            }
            Some(waivers::Match::Expired(by)) => {
                let until = by.until.clone().unwrap_or_default();
                report
                    .diagnostics
                    .push(wording::waiver_expired(d, by.span, &until));
            }
            None => report.diagnostics.push(d),
        }
    }
    report
        .diagnostics
        .extend(Diagnostics(waivers.dead(profile)));
    report
        .diagnostics
        .extend(Diagnostics(waivers.expiring(today)));
    if let Some(note) = openshift_note(site, profile) {
        report.diagnostics.push(note);
    }
    report
}

/// How many objects the checks of [`checks::Scope::Object`] judge in turn
/// before the next ones: a check that read every object before the next
/// check began read each of a large site's objects from memory once per
/// check, where a few dozen stay in the caches for all of them.
const JUDGED_TOGETHER: usize = 64;

/// How many objects in a row one part of the object checks judges before
/// the run the next part judges. The tests' sites are small: runs of three
/// objects give their parts (`cores::PARTS`) several runs each to put back
/// in order.
#[cfg(not(test))]
const PART_RUN: usize = 1024;
#[cfg(test)]
const PART_RUN: usize = 3;

/// The findings of each of `checks` (those of [`checks::Scope::Object`]
/// that are on, [`checks_of`]) in `part` of the objects, by check (in
/// [`CHECKS`]' order; the others' lists empty).
fn judge_each<'a>(
    cx: &Cx<'a>,
    part: &'a [Object],
    checks: &[(usize, checks::Check)],
) -> Vec<Vec<Finding>> {
    let mut by_check: Vec<Vec<Finding>> = CHECKS.iter().map(|_| Vec::new()).collect();
    for together in part.chunks(JUDGED_TOGETHER) {
        cx.objects.set(together);
        for &(i, check) in checks {
            check(cx, &mut by_check[i]);
        }
    }
    by_check
}

#[cfg(test)]
thread_local! {
    /// How many builds on this thread judged the site-wide rules that read
    /// no screen on another thread.
    static SITE_RULES_BESIDE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The checks of `scope` that are `on`, each with its place in [`CHECKS`].
fn checks_of(scope: checks::Scope, on: &dyn Fn(&str) -> bool) -> Vec<(usize, checks::Check)> {
    CHECKS
        .iter()
        .enumerate()
        .filter(|(_, (id, _, s))| *s == scope && on(id))
        .map(|(i, (_, check, _))| (i, *check))
        .collect()
}

/// The findings of each of `checks` (site-wide ones), with its place in
/// [`CHECKS`].
fn judge_site(cx: &Cx, checks: &[(usize, checks::Check)]) -> Vec<(usize, Vec<Finding>)> {
    checks
        .iter()
        .map(|&(i, check)| {
            let mut findings = Vec::new();
            check(cx, &mut findings);
            (i, findings)
        })
        .collect()
}

/// On OpenShift `pss/run-as-user` is satisfied by the restricted-v2 SCC,
/// not by the manifests: reported as a note, so reviewers see why no
/// runAsUser is emitted.
fn openshift_note(site: &Site, profile: Profile) -> Option<Diagnostic> {
    let platform = &site.settings().platform;
    if platform.value != Platform::Openshift {
        return None;
    }
    let rule = rules::find("pss/run-as-user")?;
    if profile.level(rule) == Level::Off {
        return None;
    }
    Some(
        wording::Notice::OpenshiftRunAsUser {
            rule,
            platform: platform.prov.span(),
            profile,
        }
        .into_diagnostic(),
    )
}

/// Findings of one rule at one place in the source (the same value often
/// lands in several objects: a server's security is in its Deployments and
/// its migration Job), so one diagnostic lists them all, with the waiver
/// that covers them. Each finding is judged against the waivers on its
/// own: two workers that take one `let` are waived apart, and a waiver on
/// one of them leaves the other's finding reported.
fn group(
    findings: Vec<Finding>,
    waivers: &waivers::Waivers,
    today: &str,
) -> Vec<(Vec<Finding>, Option<waivers::Match>)> {
    // Findings are alike when they read alike: same rule, place in the
    // source, message and waiver.
    type Key = (
        &'static str,
        Span,
        Option<Prov>,
        String,
        Option<(Span, bool)>,
    );
    let mut groups: Vec<(Vec<Finding>, Option<waivers::Match>)> = Vec::new();
    // Each group by its key: a finding is not compared with every group (a
    // `for` loop's thousands of workers, each image named in its message,
    // were compared with each other: quadratic).
    let mut by_key: crate::map::HashMap<Key, usize> = crate::map::HashMap::default();
    for f in findings {
        let waiver = waivers.find(&f, today);
        let key = (
            f.rule(),
            f.span(),
            f.prov.clone(),
            f.violation.text().message,
            waiver.as_ref().map(waivers::Match::span),
        );
        match by_key.entry(key) {
            std::collections::hash_map::Entry::Occupied(at) => groups[*at.get()].0.push(f),
            std::collections::hash_map::Entry::Vacant(at) => {
                at.insert(groups.len());
                groups.push((vec![f], waiver));
            }
        }
    }
    groups
}

/// The kind and name of each component, by its header (the first
/// component of a header, the site before the others): looked up for every
/// diagnostic, which a scan of the components made quadratic.
fn owners(site: &Site) -> crate::map::HashMap<Span, (Kind, &str)> {
    let own = &site.site;
    let mut by_header = crate::map::HashMap::default();
    for (kind, name, header) in std::iter::once((own.kind, own.name.as_str(), own.header)).chain(
        site.components
            .iter()
            .map(|c| (c.kind, c.name.as_str(), c.header)),
    ) {
        by_header.entry(header).or_insert((kind, name));
    }
    by_header
}

/// Today in UTC, `YYYY-MM-DD`: the default date waivers are judged against.
pub fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    crate::calendar::date_of_unix_seconds(i64::try_from(secs).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Today is a day of the calendar, `YYYY-MM-DD`, and not before the day
    /// this test was written: waivers are judged against it when `--today`
    /// is not given.
    #[test]
    fn today_is_a_date_of_the_calendar_from_the_clock() {
        let today = today_utc();
        assert!(
            crate::calendar::parse_date(&today).is_ok(),
            "`{today}` is no date"
        );
        assert!(today.as_str() >= "2026-12-01", "`{today}` is in the past");
    }

    /// The notes of a finding about a default or a generated value name the
    /// component that produced it (no stdlib default breaks a rule today,
    /// so no fixture reaches them).
    #[test]
    fn notes_name_the_component_of_a_header() {
        let text = r#"site demo { namespace = "prefect", prefect = "3.4.25" }
server prefect { database = sqlite {} }
worker w { pool = "p", type = process, api = prefect }
"#;
        let out = crate::build_text(text);
        let site = out.site.expect("the site builds");
        let worker = site.find(crate::model::Kind::Worker, "w").expect("w");
        let owners = owners(&site);
        let name = |header| wording::component_name(owners.get(&header).copied());
        assert_eq!(name(worker.header), "`worker w`");
        assert_eq!(name(site.site.header), "`site demo`");
        assert_eq!(name(Span::default()), "the component");
    }

    /// A site whose objects are judged in parts (a large one) has its
    /// site-wide rules that read no screen judged on another thread, and
    /// one judged in one part (a small one, and the language server's)
    /// on this thread only; a test may ask for parts
    /// (`cores::tests::a_build_at_once_is_the_build_in_turn` holds the two
    /// to the same report).
    #[test]
    fn only_a_site_judged_in_parts_has_its_site_rules_judged_beside() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/production.pfk");
        let beside = |parts| {
            crate::cores::PARTS.set(parts);
            SITE_RULES_BESIDE.set(0);
            let out = crate::test_sites::build_at(&path, crate::Options::default());
            crate::cores::PARTS.set(None);
            assert!(out.objects.is_some(), "the production example builds");
            SITE_RULES_BESIDE.get()
        };
        assert_eq!(beside(None), 0, "a small site is judged on one thread");
        assert_eq!(beside(Some(1)), 0, "one part is judged on one thread");
        assert_eq!(beside(Some(2)), 1, "two parts: the site rules beside");
        assert_eq!(beside(Some(3)), 1, "three parts: the site rules beside");
    }

    #[test]
    fn every_rule_has_one_check_and_an_explanation() {
        for rule in rules::CATALOGUE {
            let n = CHECKS.iter().filter(|(id, _, _)| *id == rule.id).count();
            assert_eq!(n, 1, "{} has {n} checks", rule.id);
            let text = rules::explanation(rule);
            assert!(
                text.matches("```pfk").count() >= 2,
                "{} needs a failing and a passing example",
                rule.id
            );
        }
        assert_eq!(CHECKS.len(), rules::CATALOGUE.len());
    }
}
