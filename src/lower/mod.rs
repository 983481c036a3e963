//! Lowering: the typed site model → Kubernetes objects, one file per
//! component kind. Every object remembers its component, and every field a
//! policy rule judges remembers its `.pfk` span.

mod agent;
mod backing;
mod env;
pub mod error;
mod exporter;
mod flow_runs;
mod gateway;
pub mod k8s;
mod kept;
pub use kept::{Kept, KeptWorkers};
mod template_pod;
pub use flow_runs::{
    FLOW_RUN_OF, KeptTemplates, TEMPLATE_CONFIG_MAP, TEMPLATE_FLOW_RUN, template_config_map,
};
mod meta;
mod network;
mod owner;
mod rbac;
mod security;
mod server;
mod server_env;
mod worker;
mod workload;

use crate::diagnostics::Diagnostics;
use crate::model::schema::{Platform, PolicyProfile};
use crate::model::{Site, Spec};
use crate::source::Edits;
pub use error::LowerError;
use k8s::{Generic, Labels, Object, Resource};

/// What lowering the components produces: their objects, and the traffic
/// their pods need, from which the NetworkPolicies are built.
#[derive(Default)]
pub struct Lowered {
    pub objects: Vec<Object>,
    /// The flow-run Jobs of the pools whose template prefectc builds: judged
    /// by the policy stage like every pod, emitted only inside the template.
    pub flow_runs: Vec<Object>,
    pub traffic: Vec<network::Traffic>,
    /// What the lowering found wrong (a setting the pinned Prefect does not read).
    pub diags: Diagnostics,
    templates: flow_runs::Templates,
    /// Objects of kept lowerings copied to move their spans ([`Lowering::remade`]).
    remade: Vec<Remade>,
}

/// An object a kept lowering copied to move the spans it holds, and the
/// object it copied: the same object but for its spans.
pub struct Remade {
    pub from: std::sync::Arc<Resource>,
    pub to: std::sync::Arc<Resource>,
}

impl Lowered {
    pub fn push(&mut self, object: Object) {
        self.objects.push(object);
    }

    pub fn extend(&mut self, objects: impl IntoIterator<Item = Object>) {
        self.objects.extend(objects);
    }

    pub fn report(&mut self, e: impl crate::diagnostics::IntoDiagnostic) {
        self.diags.report(e);
    }

    /// Declares the traffic of one workload's pods.
    pub fn allow(&mut self, traffic: network::Traffic) {
        self.traffic.push(traffic);
    }
}

/// What every component's lowering needs to know about the site.
pub struct Ctx<'a> {
    pub site: &'a Site,
    pub site_name: String,
    /// The site's namespace, shared by every object in it (not a copy an
    /// object, [`meta::meta_shared`]).
    pub namespace: std::sync::Arc<str>,
    pub prefect: String,
    pub python: String,
    /// `mirror.example.com/` or empty.
    pub registry: String,
    pub openshift: bool,
    pub labels: Labels,
    /// The site's annotations, which every object's metadata shares.
    pub annotations: k8s::SharedLabels,
    pub pull_secrets: Vec<String>,
    /// Base job templates an earlier build of the site made.
    pub kept: Option<&'a KeptTemplates>,
    /// The workers that write each pool a template prefectc builds, by
    /// the pool's name. Read by the pools' lowering only: a worker's
    /// lowering reads no other worker, which `kept.rs` counts on (a worker
    /// whose lowering read this would need its kept lowering keyed by
    /// those workers too).
    pub generating: crate::map::HashMap<&'a str, Vec<&'a crate::model::schema::Worker>>,
    /// The labels of the last object made ([`meta::meta`]), shared with
    /// the next one when it has the same.
    last_labels: std::cell::RefCell<Option<k8s::SharedLabels>>,
    /// The selectors made last ([`meta::selector`]), for reuse.
    recent_selectors: std::cell::RefCell<Vec<k8s::SharedLabels>>,
    /// The rules of a worker's Role in a job namespace, when it adds none
    /// of its own: one list for the site.
    job_rules: std::cell::OnceCell<std::sync::Arc<[k8s::PolicyRule]>>,
    /// The labels of every NetworkPolicy of the site (one a component),
    /// made once.
    network_policy_labels: std::cell::OnceCell<k8s::SharedLabels>,
}

impl<'a> Ctx<'a> {
    fn new(site: &'a Site, kept: Option<&'a KeptTemplates>) -> Ctx<'a> {
        let s = site.settings();
        Ctx {
            site,
            kept,
            generating: flow_runs::generating(site),
            site_name: site.site.name.clone(),
            namespace: s.namespace.value.as_str().into(),
            prefect: s.prefect.value.clone(),
            python: s.python.value.clone(),
            registry: s
                .registry
                .as_ref()
                .map(|r| format!("{}/", r.trim_end_matches('/')))
                .unwrap_or_default(),
            openshift: *s.platform == Platform::Openshift,
            labels: meta::strings(&s.labels),
            annotations: meta::strings(&s.annotations).into(),
            last_labels: std::cell::RefCell::default(),
            recent_selectors: std::cell::RefCell::default(),
            job_rules: std::cell::OnceCell::new(),
            network_policy_labels: std::cell::OnceCell::new(),
            pull_secrets: s
                .image_pull_secrets
                .iter()
                .map(|n| n.value.clone())
                .collect(),
        }
    }
}

/// A Namespace of the site (its own, or a job namespace), labelled so that
/// the Pod Security admission controller enforces the level the site's
/// `policy` checks.
fn namespace(ctx: &Ctx, name: &str) -> Object {
    let s = ctx.site.settings();
    let level = s.policy.as_str();
    let version = format!("v{}", *s.kubernetes);
    let mut meta = meta::meta(ctx, name, name, &ctx.labels);
    meta.namespace = None;
    for mode in crate::model::labels::POD_SECURITY_MODES {
        meta.labels.insert(
            format!("{}{mode}", crate::model::labels::POD_SECURITY).into(),
            level.to_string(),
        );
        meta.labels.insert(
            format!("{}{mode}-version", crate::model::labels::POD_SECURITY).into(),
            version.clone(),
        );
    }
    Object {
        resource: std::sync::Arc::new(Resource::Generic(Generic {
            api_version: "v1",
            kind: "Namespace",
            metadata: meta,
            spec: serde_json::Value::Null,
        })),
        origin: ctx.site.site.header,
    }
}

/// What the lowering gives the later stages.
pub struct Lowering {
    /// The objects to emit, in output order.
    pub objects: Vec<Object>,
    /// The flow-run Jobs the pools' templates describe, for the policy
    /// stage only ([`Lowered::flow_runs`]).
    pub flow_runs: Vec<Object>,
    pub diagnostics: Diagnostics,
    /// The objects (emitted or flow-run Jobs) of kept workers' lowerings
    /// that were copied only to move their spans after an edit, for the
    /// credential screen, which reads no span: its answer for the object
    /// copied is the copy's ([`crate::policy::KeptScreen::remade`]).
    pub remade: Vec<Remade>,
}

/// Lowers every component, then sorts the objects into output order. The
/// base job templates in `kept` are used instead of made again, and so are
/// its workers' lowerings, when what they read is the same after `Edits`
/// (how the files changed since the build `kept` was last given to); what
/// this lowering does not use is dropped when the next one begins (a build
/// that stops before lowering leaves them as they are).
pub fn lower(site: &Site, kept: Option<(&Kept, &Edits)>) -> Lowering {
    lower_observed(site, kept, &mut |_| {})
}

/// [`lower`], `made` given every object as soon as it is made: each
/// component's (those emitted, then its flow-run Jobs), then the site's
/// own (namespaces, network policies). An object made is never changed
/// after (`lib::lower_and_screen` screens it meanwhile).
pub fn lower_observed(
    site: &Site,
    kept: Option<(&Kept, &Edits)>,
    made: &mut dyn FnMut(&[Object]),
) -> Lowering {
    if let Some((kept, edits)) = kept {
        kept.templates.begin();
        kept.workers.begin(site, edits);
        kept.policies.begin();
    }
    let ctx = Ctx::new(site, kept.map(|(k, _)| &k.templates));
    let mut out = Lowered::default();
    for c in &site.components {
        let (objects, flow_runs) = (out.objects.len(), out.flow_runs.len());
        match &c.spec {
            Spec::Server(s) => server::lower_server(&ctx, c, s, &mut out),
            Spec::Worker(w) => match kept {
                Some((kept, edits)) => {
                    kept.workers
                        .lower(c, edits, Vec::new(), &kept.templates, &mut out, |out| {
                            worker::lower_worker(&ctx, c, w, out);
                        })
                }
                None => worker::lower_worker(&ctx, c, w, &mut out),
            },
            Spec::Agent(a) => agent::lower_agent(&ctx, c, a, &mut out),
            Spec::Exporter(e) => exporter::lower_exporter(&ctx, c, e, &mut out),
            Spec::Pool(p) => match kept {
                Some((kept, edits)) => {
                    let namespaces = flow_runs::namespaces_of(&ctx, c);
                    kept.workers
                        .lower(c, edits, namespaces, &kept.templates, &mut out, |out| {
                            flow_runs::lower_pool(&ctx, c, p, out);
                        })
                }
                None => flow_runs::lower_pool(&ctx, c, p, &mut out),
            },
        }
        made(&out.objects[objects..]);
        made(&out.flow_runs[flow_runs..]);
    }
    let Lowered {
        mut objects,
        flow_runs,
        traffic,
        diags: found,
        templates: _,
        remade,
    } = out;
    let settings = site.settings();
    let components = objects.len();
    if *settings.create_namespace {
        objects.push(namespace(&ctx, &ctx.namespace));
        // The job namespaces of kubernetes workers, where flow-run pods
        // run, are the site's too (check warns about one the cluster
        // creates, W0516).
        let mut created = crate::map::HashSet::default();
        created.insert(&*ctx.namespace);
        for w in site.components.iter().filter_map(|c| c.spec.worker()) {
            if !w.worker_type().starts_jobs() {
                continue;
            }
            for ns in w.job_namespaces(&ctx.namespace) {
                if !crate::model::namespaces::created_by_cluster(ns) && created.insert(ns) {
                    objects.push(namespace(&ctx, ns));
                }
            }
        }
    }
    // Under `restricted` every pod is isolated to the traffic the site implies.
    if *settings.policy == PolicyProfile::Restricted && *settings.network_policies {
        let policies = network::lower_network(&ctx, &traffic, kept.map(|(k, _)| &k.policies));
        objects.extend(policies);
    }
    made(&objects[components..]);
    let order = sorted_order(
        &objects,
        |o| (o.rank(), o.kind()),
        |o| (&o.meta().name, &o.meta().namespace),
    );
    permute(&mut objects, order);
    let mut diags = found;
    // One report per pair of components, however many objects clash.
    let mut reported = crate::map::HashSet::default();
    for w in objects.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if a.kind() == b.kind()
            && a.meta().name == b.meta().name
            && a.meta().namespace == b.meta().namespace
            && reported.insert((a.origin, b.origin))
        {
            diags.report(LowerError::ObjectNameClash {
                span: b.origin,
                first: a.origin,
                kind: b.kind().to_string(),
                name: b.meta().name.clone(),
            });
        }
    }
    for e in oversized_annotations(&objects) {
        diags.report(e);
    }
    Lowering {
        objects,
        flow_runs,
        diagnostics: diags,
        remade,
    }
}

/// The indices of `items` in the order a stable sort by `group`, then
/// `key`, puts them (`sort_by_key`). The items are put in their groups
/// first (a site's objects are of a score of kinds), and each group is
/// sorted by `key` with a stable sort, which takes a group already in order
/// (a kind's objects, made in the order their components are written,
/// which is often by name) in one pass; each key is made once, not twice a
/// comparison.
fn sorted_order<'a, T, G: Ord, K: Ord>(
    items: &'a [T],
    group: impl Fn(&'a T) -> G,
    key: impl Fn(&'a T) -> K,
) -> Vec<usize> {
    let mut groups: std::collections::BTreeMap<G, Vec<(K, usize)>> = Default::default();
    for (i, item) in items.iter().enumerate() {
        groups.entry(group(item)).or_default().push((key(item), i));
    }
    let mut order = Vec::with_capacity(items.len());
    for (_, mut members) in groups {
        members.sort_by(|a, b| a.0.cmp(&b.0));
        order.extend(members.into_iter().map(|(_, i)| i));
    }
    order
}

/// Moves `items` into `order` (`order[k]`: the index of the item that
/// belongs at `k`) without the buffer `sort_by` makes of half the items:
/// the objects are the largest thing a build holds when it sorts them (440
/// bytes each, a 3.5 MB buffer for 1,000 workers), so each moves once,
/// following the cycles of the permutation.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// E0314 for an object whose annotations (the site's, the component's and
/// the checksums prefectc adds) pass Kubernetes' 256 KiB: each map was
/// checked on its own in `check`, their sum only exists here. One report
/// per component.
fn oversized_annotations(objects: &[Object]) -> Vec<LowerError> {
    let size = |a: &Labels| a.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>();
    let mut reported = crate::map::HashSet::default();
    let mut out = Vec::new();
    for o in objects {
        let pod = o.resource.pod_template().map(|t| &t.metadata.annotations);
        let bytes = size(&o.meta().annotations).max(pod.map_or(0, size));
        if bytes <= crate::check::labels::ANNOTATIONS_MAX_BYTES || !reported.insert(o.origin) {
            continue;
        }
        out.push(LowerError::OversizedAnnotations {
            span: o.origin,
            kind: o.kind().to_string(),
            name: o.meta().name.clone(),
            bytes,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{permute, sorted_order};

    /// A worker's objects share one map of labels (a change to one of
    /// them copies it first), and labels in another order are not taken
    /// for the same: the output keeps each object's order.
    #[test]
    fn a_component_s_objects_share_their_labels() {
        let text = r#"site demo { namespace = "prefect", prefect = "3.4.25" }
server prefect { database = sqlite {} }
pool p { type = kubernetes }
worker w { pool = p, api = prefect }
"#;
        let out = crate::build_text(text);
        let objects = out.objects.expect("the site builds");
        let of = |kind: &str| {
            objects
                .iter()
                .find(|o| o.kind() == kind && o.meta().name == "w")
                .unwrap_or_else(|| panic!("a {kind} named w"))
                .meta()
        };
        let (account, deployment) = (of("ServiceAccount"), of("Deployment"));
        assert!(account.labels.ptr_eq(&deployment.labels));
        assert!(!account.labels.is_empty());

        let ctx_site = out.site.expect("the site");
        let ctx = super::Ctx::new(&ctx_site, None);
        let mut labels = super::k8s::Labels::default();
        labels.insert("a".into(), "1".into());
        labels.insert("b".into(), "2".into());
        let first = super::meta::meta(&ctx, "x", "prefect", &labels);
        let same = super::meta::meta(&ctx, "y", "prefect", &labels);
        assert!(first.labels.ptr_eq(&same.labels));
        labels.swap_indices(0, 1);
        let swapped = super::meta::meta(&ctx, "z", "prefect", &labels);
        assert!(!swapped.labels.ptr_eq(&first.labels));
        assert_eq!(swapped.labels.keys().collect::<Vec<_>>(), ["b", "a"]);
        let mut changed = same.clone();
        changed.labels.insert("c".into(), "3".into());
        assert_eq!(first.labels.len(), 2, "a change copies a shared map");
        assert_eq!(changed.labels.len(), 3);
        // No labels hold no map: any two are the same, none is another's.
        let none = super::k8s::SharedLabels::from(super::k8s::Labels::default());
        assert!(none.ptr_eq(&super::k8s::SharedLabels::from(
            super::k8s::Labels::default()
        )));
        assert!(!none.ptr_eq(&first.labels) && !first.labels.ptr_eq(&none));
    }

    /// Two shared maps are equal when they hold the same entries, whether
    /// or not they are one map (the network policies compare selectors).
    #[test]
    fn shared_labels_compare_by_their_entries() {
        use super::k8s::{Labels, SharedLabels};
        let map = |pairs: &[(&'static str, &str)]| -> SharedLabels {
            let mut l = Labels::default();
            for (k, v) in pairs {
                l.insert((*k).into(), (*v).to_string());
            }
            l.into()
        };
        let a = map(&[("a", "1"), ("b", "2")]);
        assert_eq!(a, a.clone(), "one map");
        assert_eq!(
            a,
            map(&[("a", "1"), ("b", "2")]),
            "two maps, the same entries"
        );
        assert_eq!(a, map(&[("b", "2"), ("a", "1")]), "in another order");
        assert_ne!(a, map(&[("a", "1"), ("b", "3")]));
        assert_ne!(a, map(&[("a", "1")]));
        assert_ne!(a, SharedLabels::default());
        assert_eq!(SharedLabels::default(), map(&[]));
    }

    /// What most workers have alike is one value, not a copy per object:
    /// the selector of a worker's pods (its Deployment's, its
    /// NetworkPolicy's and the API server's peer), the resources and the
    /// security context its init containers take, and the rules of every
    /// worker's Role that adds none of its own. A worker with rules of its
    /// own gets its own list.
    #[test]
    fn what_workers_have_alike_is_shared() {
        use super::k8s::{Object, Resource};
        use std::sync::Arc;
        let text = r#"site demo { namespace = "prefect", prefect = "3.4.25" }
server prefect { database = sqlite {} }
pool p { type = kubernetes, concurrency = 5 }
worker w { pool = p, api = prefect }
worker v { pool = p, api = prefect }
worker x {
  pool = p
  api = prefect
  rbac = { extra-rules = [{ api-groups = [""], resources = ["configmaps"], verbs = ["get"] }] }
}
"#;
        let out = crate::build_text(text);
        let objects = out.objects.expect("the site builds");
        let find = |kind: &str, name: &str| -> &Object {
            objects
                .iter()
                .find(|o| o.kind() == kind && o.meta().name == name)
                .unwrap_or_else(|| panic!("a {kind} named {name}"))
        };
        let Resource::Deployment(d) = &*find("Deployment", "w").resource else {
            panic!("a Deployment");
        };
        let policy = find("NetworkPolicy", "w").resource.network_policy();
        let selected = &policy.expect("a NetworkPolicy").spec.pod_selector;
        assert!(d.spec.selector.match_labels.ptr_eq(&selected.match_labels));
        assert!(!d.spec.selector.match_labels.is_empty());
        let server = find("NetworkPolicy", "prefect").resource.network_policy();
        let peers: Vec<_> = server
            .expect("the server's NetworkPolicy")
            .spec
            .ingress
            .iter()
            .flat_map(|r| &r.from)
            .filter_map(|p| p.pod_selector.as_ref())
            .collect();
        assert!(
            peers
                .iter()
                .any(|p| p.match_labels.ptr_eq(&d.spec.selector.match_labels)),
            "the server admits w by w's selector"
        );

        let pod = &d.spec.template.spec;
        let (main, init) = (&pod.containers[0], &pod.init_containers);
        assert_eq!(init.len(), 2, "sync-pool and sync-base-job-template");
        assert!(
            init.iter()
                .all(|c| Arc::ptr_eq(&c.resources, &main.resources))
        );
        assert!(Arc::ptr_eq(
            &init[0].security_context,
            &init[1].security_context
        ));

        let rules = |name: &str| find("Role", name).resource.role_rules().as_ptr();
        assert_eq!(rules("w"), rules("v"));
        assert_ne!(rules("w"), rules("x"));
        assert_eq!(find("Role", "x").resource.role_rules().len(), 3);
    }

    /// The same order as the standard library's stable sort, equal items
    /// kept as they came, for every arrangement of a few items and for a
    /// long one with many ties.
    #[test]
    fn sorts_in_place_as_a_stable_sort_does() {
        let mut cases: Vec<Vec<(u8, u8, usize)>> = Vec::new();
        for n in 0..7usize {
            for seed in 0..200usize {
                cases.push(
                    (0..n)
                        .map(|i| (seed * 7 + i * 13) ^ (seed >> 2))
                        .map(|r| ((r % 3) as u8, ((r / 3) % 4) as u8))
                        .enumerate()
                        .map(|(i, (g, k))| (g, k, i))
                        .collect(),
                );
            }
        }
        let long = |i: usize| (((i * 7919) % 5) as u8, ((i * 104_729) % 31) as u8, i);
        cases.push((0..5000).map(long).collect());
        // Groups already in order, and in reverse order, with ties.
        cases.push(
            (0..600)
                .map(|i| ((i % 3) as u8, (i / 7) as u8, i))
                .collect(),
        );
        cases.push(
            (0..600)
                .map(|i| ((i % 3) as u8, (90 - i / 7) as u8, i))
                .collect(),
        );
        for case in cases {
            let mut expected = case.clone();
            expected.sort_by_key(|a| (a.0, a.1));
            let mut got = case;
            let order = sorted_order(&got, |a| a.0, |a| a.1);
            permute(&mut got, order);
            assert_eq!(got, expected);
        }
    }
}
