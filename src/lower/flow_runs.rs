//! The flow-run Jobs of a declared kubernetes pool (`docs/flow-runs.md`).
//!
//! A kubernetes worker creates each flow run as a Job from its pool's base
//! job template. For a declared pool without a written template, prefectc
//! builds the flow-run pod from the pool's typed `flow-runs` settings with
//! the same builders as every other pod (so it is hardened the same way,
//! and the policy stage judges it like the others), then writes it into the
//! pinned Prefect's default template: a setting the template has a variable
//! for becomes that variable's default (a deployment's `job_variables` can
//! still override it), anything else is written into the Job manifest. The
//! rest of the default template is left as Prefect made it.

use crate::map::HashMap;
use std::cell::Cell;

use serde_json::{Map, Value, json};

use super::env::{HOME, Release, env, env_from, env_value, judge_flow_run_env, whole_seconds};
use super::k8s::*;
use super::meta::{fnv1a, image, labels, pull_policy, strings, tracked};
use super::network::network_policy;
use super::security::{container_security, host_sharing, pod_security};
use super::workload::{
    node_affinity, pull_secrets, resources, scratch_mount, scratch_volume, tolerations_of,
    user_volumes_of, volume_mounts,
};
use super::{Ctx, Lowered};
use crate::model::prefect::{Version, job_template};
use crate::model::schema::{FlowRuns, PolicyProfile, Pool, PoolOrString, Worker};
use crate::model::{Component, Kind, Prov, Site};

/// The container of Prefect's default template; its worker requires it.
pub const CONTAINER: &str = "prefect-job";

/// The pod label by which the flow-run pods of a pool are selected.
use crate::model::labels::WORK_POOL as POOL_LABEL;

/// The ServiceAccount prefectc creates for the flow runs of `pool` in each
/// of its job namespaces (no RBAC, no token).
pub fn service_account_name(pool: &str) -> String {
    format!("{pool}-flow-run")
}

/// The flow-run pod of a pool, typed: what the policy stage judges and
/// the template is written from.
#[derive(serde::Serialize)]
pub struct FlowRunPod {
    pub pod: PodTemplate,
    pub backoff_limit: Option<i64>,
    pub ttl_seconds: Option<i64>,
    pub active_deadline_seconds: Option<i64>,
    /// The Job's labels and annotations (`flow-runs.labels`, `.annotations`).
    pub job_labels: Labels,
    pub job_annotations: Labels,
}

/// The flow-run pod of `pool` (a declared kubernetes pool) with settings `fr`.
pub fn pod(ctx: &Ctx, pool: &Component, fr: &FlowRuns) -> FlowRunPod {
    let image = match &fr.image {
        Some(written) => tracked(written.value.clone(), written),
        None => {
            // The default image is pinned to the site's Prefect, so no rule
            // flags it and nothing reads this provenance today (written as
            // an assignment: as a struct field it was a mutant no test can
            // kill, docs/testing.md).
            let mut default = image(ctx, None, None, pool.header);
            default.prov = Prov::default_of(pool.header, "flow-runs.image");
            default
        }
    };
    let mut vars = vec![env("HOME", HOME)];
    vars.extend(fr.env.iter().map(|(name, v)| env_value(name.clone(), v)));
    let mut mounts = vec![scratch_mount(HOME, "home"), scratch_mount("/tmp", "tmp")];
    mounts.extend(volume_mounts(&fr.volume_mounts));
    let container = Container {
        name: CONTAINER.into(),
        image,
        image_pull_policy: pull_policy(&fr.image_pull_policy),
        command: Vec::new(),
        args: Vec::new(),
        // Writable under the read-only root: pull steps such as `git_clone`
        // write into the working directory.
        working_dir: Some(HOME.into()),
        ports: Vec::new(),
        env: vars,
        env_from: env_from(&fr.env_from),
        resources: resources(&fr.resources),
        security_context: container_security(ctx, &fr.security, None).into(),
        startup_probe: None,
        liveness_probe: None,
        readiness_probe: None,
        lifecycle: None,
        volume_mounts: mounts,
        restart_policy: None,
        prov: None,
    };
    let mut volumes = vec![scratch_volume()];
    volumes.extend(user_volumes_of(&fr.volumes));
    let [host_network, host_pid, host_ipc] = host_sharing(&fr.security);
    let service_account = fr
        .service_account
        .as_ref()
        .map_or_else(|| service_account_name(&pool.name), |s| s.value.clone());
    let mut pod_labels = Labels::default();
    pod_labels.insert(POOL_LABEL.into(), pool.name.clone());
    let spec = PodSpec {
        service_account_name: service_account,
        automount_service_account_token: tracked(
            *fr.automount_service_account_token,
            &fr.automount_service_account_token,
        ),
        host_network,
        host_pid,
        host_ipc,
        restart_policy: Some("Never"),
        dns_policy: None,
        dns_config: None,
        security_context: pod_security(ctx, &fr.security),
        image_pull_secrets: pull_secrets(ctx),
        node_selector: strings(&fr.node_selector),
        tolerations: tolerations_of(&fr.tolerations),
        scheduling: Scheduling {
            priority_class_name: fr.priority_class.as_ref().map(|p| p.value.clone()),
            termination_grace_period_seconds: None,
            affinity: fr.affinity.as_ref().and_then(|a| node_affinity(a)),
            topology_spread_constraints: Vec::new(),
        },
        init_containers: Vec::new(),
        containers: vec![container],
        volumes,
    };
    FlowRunPod {
        pod: PodTemplate {
            metadata: PodMeta {
                labels: pod_labels,
                annotations: strings(&fr.annotations),
            },
            spec,
        },
        backoff_limit: fr.backoff_limit.as_ref().map(|b| b.value),
        ttl_seconds: fr
            .ttl_after_finished
            .as_ref()
            .map(|d| whole_seconds(d.value)),
        active_deadline_seconds: fr.active_deadline.as_ref().map(|d| whole_seconds(d.value)),
        job_labels: strings(&fr.labels),
        job_annotations: strings(&fr.annotations),
    }
}

/// The annotation that marks a flow-run Job handed to the policy stage
/// (never emitted): its value says whose it is, for findings
/// ([`crate::policy`] names the Job "the flow-run Job of <value>").
pub const FLOW_RUN_OF: &str = "prefectc.dev/flow-run-of";

/// How the [`FLOW_RUN_OF`] value of a worker's own base job template ends:
/// a finding in that pod is fixed in the template's Job manifest.
pub const TEMPLATE_FLOW_RUN: &str = "'s base-job-template";

/// How the name of the ConfigMap holding a worker's base job template ends
/// (`<worker>-base-job-template`).
pub const TEMPLATE_CONFIG_MAP: &str = "-base-job-template";

/// The ConfigMap holding the base job template of the worker `worker`.
pub fn template_config_map(worker: &str) -> String {
    format!("{worker}{TEMPLATE_CONFIG_MAP}")
}

/// The flow-run Job as the policy stage sees it: the pod as a worker would
/// create it in `namespace` when a deployment overrides nothing. It is not
/// emitted (the template is); `name` only names it in findings.
pub fn job(pool: &Component, flow_run: &FlowRunPod, name: &str, namespace: &str) -> Object {
    flow_run_object(
        pool,
        &format!("pool `{}`", pool.name),
        name,
        namespace,
        flow_run.job_labels.clone(),
        flow_run.job_annotations.clone(),
        JobSpec {
            // Kubernetes' defaults where the template sets nothing.
            backoff_limit: flow_run.backoff_limit.unwrap_or(6),
            active_deadline_seconds: flow_run.active_deadline_seconds.unwrap_or(0),
            ttl_seconds_after_finished: flow_run.ttl_seconds.unwrap_or(0),
            template: flow_run.pod.clone(),
        },
    )
}

/// A flow-run Job for the policy stage, marked [`FLOW_RUN_OF`] `of`, its
/// findings reported at `owner`.
fn flow_run_object(
    owner: &Component,
    of: &str,
    name: &str,
    namespace: &str,
    labels: Labels,
    mut annotations: Labels,
    spec: JobSpec,
) -> Object {
    annotations.insert(FLOW_RUN_OF.into(), of.to_string());
    Object {
        resource: std::sync::Arc::new(Resource::Job(Box::new(Job {
            api_version: "batch/v1",
            kind: "Job",
            metadata: ObjectMeta {
                name: name.to_string(),
                namespace: Some(namespace.into()),
                labels: labels.into(),
                annotations: annotations.into(),
            },
            spec,
        }))),
        origin: owner.header,
    }
}

/// The flow-run Job of a worker's own base job template (`pod`, read by
/// [`super::template_pod`]), for the policy stage: in `namespace`, where
/// the template sends its Jobs by default, of pool `pool`. Prefect 3 labels
/// the pods of its Jobs with their work pool (2.20 copies only the
/// template's own labels), so the pod gets that label from 3.0 on.
pub fn template_job(
    worker: &Component,
    mut pod: PodTemplate,
    namespace: &str,
    pool: &str,
    prefect: Version,
) -> Object {
    if prefect.major >= 3 {
        pod.metadata
            .labels
            .insert(POOL_LABEL.into(), pool.to_string());
    }
    let mut labels = Labels::default();
    labels.insert(POOL_LABEL.into(), pool.to_string());
    flow_run_object(
        worker,
        &format!("worker `{}`{TEMPLATE_FLOW_RUN}", worker.name),
        &format!("{}-flow-run", worker.name),
        namespace,
        labels,
        Labels::default(),
        JobSpec {
            backoff_limit: 6,
            active_deadline_seconds: 0,
            ttl_seconds_after_finished: 0,
            template: pod,
        },
    )
}

/// Sets the default of the template variable `var`; false when the
/// release's template has no such variable.
fn set_default(template: &mut Value, var: &str, value: Value) -> bool {
    match template
        .pointer_mut(&format!("/variables/properties/{var}"))
        .and_then(Value::as_object_mut)
    {
        Some(v) => {
            v.insert("default".into(), value);
            true
        }
        None => false,
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("a lowered object serialises")
}

/// Whether `v` is a template placeholder (`"{{ name }}"`).
fn is_placeholder(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.contains("{{"))
}

/// Inserts the non-empty entries of `from` into `into`.
fn insert_all(into: &mut Map<String, Value>, from: Value) {
    if let Value::Object(from) = from {
        for (k, v) in from {
            let empty = match &v {
                Value::Null => true,
                Value::Array(a) => a.is_empty(),
                Value::Object(o) => o.is_empty(),
                Value::Bool(_) | Value::Number(_) | Value::String(_) => false,
            };
            if !empty {
                into.insert(k, v);
            }
        }
    }
}

/// The base job template of `flow_run` for Prefect `prefect`, with Jobs in
/// `namespace` by default, as JSON text.
pub fn template(prefect: Version, namespace: &str, flow_run: &FlowRunPod) -> String {
    let mut t = job_template::kubernetes_default(prefect);
    let pod = &flow_run.pod;
    let main = &pod.spec.containers[0];
    set_default(&mut t, "namespace", json!(namespace));
    set_default(&mut t, "image", json!(main.image.value));
    set_default(
        &mut t,
        "image_pull_policy",
        json!(main.image_pull_policy.value),
    );
    set_default(
        &mut t,
        "service_account_name",
        json!(pod.spec.service_account_name),
    );
    if let Some(ttl) = flow_run.ttl_seconds {
        set_default(&mut t, "finished_job_ttl", json!(ttl));
    }
    if !flow_run.job_labels.is_empty() {
        set_default(&mut t, "labels", to_json(&flow_run.job_labels));
    }
    let annotations_variable = flow_run.job_annotations.is_empty()
        || set_default(&mut t, "annotations", to_json(&flow_run.job_annotations));
    // CPU and memory are variables from 3.6 on; written into the container
    // before (and extended resources always).
    let mut literal_resources = Map::new();
    for (part, list) in [
        ("requests", &main.resources.requests),
        ("limits", &main.resources.limits),
    ] {
        for (name, q) in list {
            let var = match (&**name, part) {
                ("cpu", "requests") => Some("cpu_request"),
                ("cpu", _) => Some("cpu_limit"),
                ("memory", "requests") => Some("memory_request"),
                ("memory", _) => Some("memory_limit"),
                _ => None,
            };
            if !var.is_some_and(|var| set_default(&mut t, var, json!(q.value)))
                && let Value::Object(list) =
                    literal_resources.entry(part).or_insert_with(|| json!({}))
            {
                list.insert(name.to_string(), json!(q.value));
            }
        }
    }
    let backoff_variable = flow_run
        .backoff_limit
        .is_none_or(|b| set_default(&mut t, "backoff_limit", json!(b)));

    let Some(manifest) = t
        .pointer_mut("/job_configuration/job_manifest")
        .and_then(Value::as_object_mut)
    else {
        return print(&t);
    };
    if !annotations_variable {
        manifest
            .entry("metadata")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|m| m.insert("annotations".into(), to_json(&flow_run.job_annotations)));
    }
    if let Some(spec) = manifest.get_mut("spec").and_then(Value::as_object_mut) {
        if !backoff_variable {
            spec.insert("backoffLimit".into(), json!(flow_run.backoff_limit));
        }
        if let Some(deadline) = flow_run.active_deadline_seconds {
            spec.insert("activeDeadlineSeconds".into(), json!(deadline));
        }
        if let Some(template) = spec.get_mut("template").and_then(Value::as_object_mut) {
            let meta = template
                .entry("metadata")
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .expect("pod metadata is an object");
            insert_all(meta, to_json(&pod.metadata));
            if let Some(pod_spec) = template.get_mut("spec").and_then(Value::as_object_mut) {
                write_pod_spec(pod_spec, &pod.spec, literal_resources);
            }
        }
    }
    print(&t)
}

/// Writes the typed pod spec into the template's: keys the template holds
/// (placeholders, `restartPolicy`, the worker-required `parallelism` and
/// `completions`) stay; the typed spec adds the rest.
fn write_pod_spec(into: &mut Map<String, Value>, spec: &PodSpec, resources: Map<String, Value>) {
    let Value::Object(mut typed) = to_json(spec) else {
        return;
    };
    let containers = typed.remove("containers");
    for (k, v) in typed {
        if !into.contains_key(&k) {
            insert_all(into, json!({ k: v }));
        }
    }
    let (Some(Value::Array(typed)), Some(Value::Array(theirs))) =
        (containers, into.get_mut("containers"))
    else {
        return;
    };
    let (Some(Value::Object(typed)), Some(Value::Object(main))) =
        (typed.into_iter().next(), theirs.first_mut())
    else {
        return;
    };
    merge_container(main, typed, &resources);
}

/// Writes the typed main container into the template's (`main`): what the
/// worker renders from its variables stays, the `env` list replaces the
/// placeholder, `resources` are added beside the template's, and any other
/// key is written unless the template has a placeholder there (a variable
/// of a later release).
fn merge_container(
    main: &mut Map<String, Value>,
    typed: Map<String, Value>,
    resources: &Map<String, Value>,
) {
    for (k, v) in typed {
        match k.as_str() {
            // Prefect's worker renders these from its variables.
            "image" | "imagePullPolicy" | "args" | "name" => {}
            // A list: the worker puts its own variables (the `env`
            // variable, the API connection) in front of it.
            "env" => {
                main.insert(k, v);
            }
            "resources" if resources.is_empty() => {}
            "resources" => {
                let entry = main.entry("resources").or_insert_with(|| json!({}));
                if let Some(r) = entry.as_object_mut() {
                    for (part, list) in resources.clone() {
                        let slot = r.entry(part).or_insert_with(|| json!({}));
                        if let (Some(slot), Value::Object(list)) = (slot.as_object_mut(), list) {
                            slot.extend(list);
                        }
                    }
                }
            }
            _ if main.get(&k).is_some_and(is_placeholder) => {}
            _ => insert_all(main, json!({ k: v })),
        }
    }
}

fn print(t: &Value) -> String {
    let mut text = serde_json::to_string_pretty(t).expect("a JSON value prints");
    text.push('\n');
    // Kept to the end of the build, one per worker: without the slack of
    // the writer's doubling (up to half of each 10 KB text).
    text.shrink_to_fit();
    text
}

/// The flow runs' ServiceAccount in `namespace`, unless `fr` names one.
pub fn service_account(
    ctx: &Ctx,
    pool: &Component,
    fr: &FlowRuns,
    namespace: &str,
    labels: &Labels,
    out: &mut Lowered,
) {
    if fr.service_account.is_some() {
        return;
    }
    out.push(Object {
        resource: std::sync::Arc::new(Resource::ServiceAccount(ServiceAccount {
            api_version: "v1",
            kind: "ServiceAccount",
            metadata: super::meta::meta(ctx, &service_account_name(&pool.name), namespace, labels),
            automount_service_account_token: Tracked {
                value: false,
                prov: Prov::default_of(pool.header, "flow-runs.automount-service-account-token"),
            },
        })),
        origin: pool.header,
    });
}

/// The job namespaces of the workers that write `pool` a template prefectc
/// builds (kubernetes workers of the pool without `base-job-template`),
/// each once, in declaration order; each worker's first is where its
/// template sends Jobs by default.
pub fn namespaces_of(ctx: &Ctx, pool: &Component) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // By a set: a scan of the list for each was quadratic in a pool shared
    // by thousands of workers, each with a namespace of its own.
    let mut seen = crate::map::HashSet::default();
    let workers = ctx.generating.get(pool.name.as_str());
    for w in workers.into_iter().flatten() {
        for ns in w.job_namespaces(&ctx.namespace) {
            if seen.insert(ns) {
                out.push(ns.to_string());
            }
        }
    }
    out
}

/// The workers that write each pool a template prefectc builds, by the
/// pool's name, in declaration order: found once for the site ([`Ctx`]),
/// as a scan of every worker for each pool was quadratic in a site of a
/// pool per team.
pub(super) fn generating(site: &Site) -> HashMap<&str, Vec<&Worker>> {
    let mut by_pool: HashMap<&str, Vec<&Worker>> = HashMap::default();
    for w in site.of_kind(Kind::Worker).filter_map(|c| c.spec.worker()) {
        if let PoolOrString::Pool(p) = &w.pool.value
            && w.worker_type().starts_jobs()
            && w.base_job_template.is_none()
        {
            by_pool.entry(p.name.as_str()).or_default().push(w);
        }
    }
    by_pool
}

/// A declared kubernetes pool whose flow runs prefectc describes: in each
/// job namespace of its workers, the flow runs' ServiceAccount (unless
/// `flow-runs.service-account` names one) and, under `restricted`, a
/// NetworkPolicy selecting their pods (nothing may connect to a flow run;
/// flow code may connect anywhere: docs/flow-runs.md). Its `env` is judged
/// like a Prefect container's.
pub fn lower_pool(ctx: &Ctx, c: &Component, p: &Pool, out: &mut Lowered) {
    let namespaces = namespaces_of(ctx, c);
    if namespaces.is_empty() {
        return;
    }
    let fr = &p.flow_runs;
    let release = Release::of(ctx, c);
    judge_flow_run_env(&fr.env, &release, out);
    let labels = labels(ctx, "prefect-flow-run", &c.name, "flow-run", &ctx.prefect);
    for ns in &namespaces {
        service_account(ctx, c, fr, ns, &labels, out);
        isolate(ctx, c, &c.name, ns, out);
    }
}

/// Under `restricted` (with `network-policies`), the NetworkPolicy
/// `<owner>-flow-runs` in `namespace` selecting the flow-run pods of pool
/// `pool` by [`POOL_LABEL`]: no ingress (nothing connects to a flow run),
/// all egress (flow code reaches what prefectc cannot know).
pub fn isolate(ctx: &Ctx, owner: &Component, pool: &str, namespace: &str, out: &mut Lowered) {
    let settings = ctx.site.settings();
    if *settings.policy != PolicyProfile::Restricted || !*settings.network_policies {
        return;
    }
    let mut select = Labels::default();
    select.insert(POOL_LABEL.into(), pool.to_string());
    let mut policy = network_policy(
        ctx,
        &format!("{}-flow-runs", owner.name),
        owner.header,
        select.into(),
        Vec::new(),
        vec![NetworkRule {
            from: Vec::new(),
            to: Vec::new(),
            ports: Vec::new(),
        }],
    );
    if let Resource::NetworkPolicy(np) = std::sync::Arc::make_mut(&mut policy.resource) {
        np.metadata.namespace = Some(namespace.into());
    }
    out.push(policy);
}

/// The base job templates made so far, by pool, job namespace and release:
/// the text depends on nothing else, so the workers of one pool that agree
/// on those share one (made once, copied into each worker's ConfigMap).
#[derive(Default)]
pub(super) struct Templates {
    made: HashMap<TemplateKey, Made>,
    /// Every template asked for, in order ([`super::kept`] reads which a
    /// worker asked for).
    asked: Vec<TemplateUse>,
}

/// A pool's name, a job namespace and a release.
pub(super) type TemplateKey = (String, String, Version);

/// A template a worker asked for.
#[derive(Clone)]
pub(super) struct TemplateUse {
    pub key: TemplateKey,
    pub made: Made,
    /// Made for this worker, the first of its pool to ask; not found made.
    pub made_here: bool,
    /// What it was made from, when a build before may have made it
    /// ([`KeptTemplates`]).
    pub input: Option<TemplateInput>,
}

/// A base job template as a worker's ConfigMap holds it, with the checksum
/// that rolls the worker's pods when it changes: made once, shared by the
/// ConfigMaps of every worker it serves.
#[derive(Clone)]
pub(super) struct Made {
    pub text: Text,
    pub checksum: String,
}

impl Made {
    pub(super) fn new(text: String) -> Made {
        let checksum = format!("{:016x}", fnv1a(text.as_bytes()));
        Made {
            text: text.into(),
            checksum,
        }
    }
}

impl Templates {
    /// The template of `pool`'s flow runs in `namespace`, for `prefect`:
    /// `make` is called only for the first worker of the pool to ask.
    pub(super) fn of(
        &mut self,
        pool: &str,
        namespace: &str,
        prefect: Version,
        make: impl FnOnce() -> (Made, Option<TemplateInput>),
    ) -> Made {
        let key = (pool.to_string(), namespace.to_string(), prefect);
        let (made, made_here, input) = match self.made.get(&key) {
            Some(made) => (made.clone(), false, None),
            None => {
                let (made, input) = make();
                self.made.insert(key.clone(), made.clone());
                (made, true, input)
            }
        };
        self.asked.push(TemplateUse {
            key,
            made: made.clone(),
            made_here,
            input,
        });
        made
    }

    pub(super) fn get(&self, key: &TemplateKey) -> Option<&Made> {
        self.made.get(key)
    }

    pub(super) fn asked(&self) -> &[TemplateUse] {
        &self.asked
    }

    /// What a kept lowering asked for, asked again ([`super::kept`]).
    pub(super) fn ask(&mut self, used: &TemplateUse) {
        if used.made_here {
            self.made.insert(used.key.clone(), used.made.clone());
        }
        self.asked.push(used.clone());
    }
}

/// The template of `flow_run` in `namespace` for `prefect`: from `kept` when
/// an earlier build made the same one, with what it is made from.
pub(super) fn made(
    kept: Option<&KeptTemplates>,
    prefect: Version,
    namespace: &str,
    flow_run: &FlowRunPod,
) -> (Made, Option<TemplateInput>) {
    match kept {
        Some(kept) => kept.of(prefect, namespace, flow_run),
        None => (Made::new(template(prefect, namespace, flow_run)), None),
    }
}

/// Base job templates kept from one build for the next of the same site
/// (the language server's): by release, job namespace and the flow-run pod
/// as JSON, everything [`template`] makes the text from, so an edit that
/// leaves a pool's flow runs as they were does not make its template again.
/// Holds the templates the last build used and those this build has used
/// so far; the others are dropped when a build begins.
#[derive(Default)]
pub struct KeptTemplates {
    kept: crate::map::Generations<TemplateInput, Made>,
    made: Cell<usize>,
}

/// Release, job namespace, and the flow-run pod as JSON.
pub(super) type TemplateInput = (Version, String, String);

impl KeptTemplates {
    /// A lowering begins: what the last one used may be used again.
    pub(super) fn begin(&self) {
        self.kept.begin();
    }

    /// How many templates were made rather than taken from a build before.
    pub fn made(&self) -> usize {
        self.made.get()
    }

    /// How many templates are held: those of the last build and this one.
    pub fn held(&self) -> usize {
        self.kept.held()
    }

    fn of(
        &self,
        prefect: Version,
        namespace: &str,
        flow_run: &FlowRunPod,
    ) -> (Made, Option<TemplateInput>) {
        let Ok(pod) = serde_json::to_string(flow_run) else {
            return (Made::new(template(prefect, namespace, flow_run)), None);
        };
        let input = (prefect, namespace.to_string(), pod);
        let made = self.kept.get_or(&input, || {
            self.made.set(self.made.get() + 1);
            Made::new(template(prefect, namespace, flow_run))
        });
        (made, Some(input))
    }

    /// A template this build uses without asking for it (a kept worker's
    /// lowering made it): kept for the next build.
    pub(super) fn keep(&self, input: &TemplateInput, made: &Made) {
        self.kept.keep(input.clone(), made.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key the template renders from a variable keeps its placeholder; a
    /// literal of the template is replaced by the typed value; resources
    /// are added beside the template's placeholders.
    #[test]
    fn the_typed_container_is_merged_into_the_templates() {
        let Value::Object(mut main) = json!({
            "name": "prefect-job",
            "image": "{{ image }}",
            "workingDir": "{{ working_dir }}",
            "stdin": false,
            "env": "{{ env }}",
            "resources": {"limits": {"cpu": "{{ cpu_limit }}"}},
        }) else {
            unreachable!()
        };
        let Value::Object(typed) = json!({
            "name": "other",
            "image": "x:1",
            "workingDir": "/home/prefect",
            "stdin": true,
            "env": [{"name": "HOME", "value": "/home/prefect"}],
            "resources": {"limits": {"cpu": "1"}},
            "securityContext": {"privileged": false},
        }) else {
            unreachable!()
        };
        let Value::Object(extra) = json!({"limits": {"nvidia.com/gpu": "1"}}) else {
            unreachable!()
        };
        merge_container(&mut main, typed, &extra);
        assert_eq!(
            Value::Object(main),
            json!({
                "name": "prefect-job",
                "image": "{{ image }}",
                "workingDir": "{{ working_dir }}",
                "stdin": true,
                "env": [{"name": "HOME", "value": "/home/prefect"}],
                "resources": {"limits": {"cpu": "{{ cpu_limit }}", "nvidia.com/gpu": "1"}},
                "securityContext": {"privileged": false},
            })
        );
    }

    /// Without extended resources, a template without `resources` gets
    /// none: the worker's own (the pool's variables) apply.
    #[test]
    fn no_extended_resources_add_no_resources_key() {
        let Value::Object(mut main) = json!({"name": "prefect-job", "env": "{{ env }}"}) else {
            unreachable!()
        };
        let Value::Object(typed) = json!({
            "env": [],
            "resources": {"limits": {"cpu": "1"}},
        }) else {
            unreachable!()
        };
        merge_container(&mut main, typed, &Map::new());
        assert_eq!(
            Value::Object(main),
            json!({"name": "prefect-job", "env": []})
        );
    }
}
