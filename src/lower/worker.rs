//! `worker`: a Deployment running `prefect worker start`, its ServiceAccount,
//! the RBAC its type needs (a Role and RoleBinding per job namespace, a
//! ClusterRole for what is cluster-scoped), its base job template and the
//! init containers that bring the pool up to date.

use super::env::{
    ApiEnv, HOME, Polling, Release, api_env, client_env, env, for_release, judge_template_env,
    judge_user_env, merge_env,
};
use super::flow_runs::Made;
use super::k8s::*;
use super::meta::{image, image_version, labels, meta, owned, selector_of, share, words};
use super::network::{self, Traffic};
use super::rbac::{
    cluster_role_and_binding, cluster_uid_rule, extra_rules, role_and_binding, rule,
    service_account,
};
use super::security::container_security;
use super::workload::{
    Owner, deployment, extra_containers, override_main, pod_spec, prefect_container, replicas,
    resources, scaling, timed_probe,
};
use super::{Ctx, Lowered, flow_runs, template_pod};
use crate::model::prefect::{Version, job_template};
use crate::model::schema::{
    BaseJobTemplate, DnsConfig as UserDnsConfig, DnsPolicy, PoolOrString, Worker,
};
use crate::model::{Component, Kind, Spec};

/// Where the base job template is mounted, relative to the working directory.
macro_rules! template_file {
    () => {
        "baseJobTemplate.json"
    };
}
const TEMPLATE_FILE: &str = template_file!();
const TEMPLATE_VOLUME: &str = "base-job-template-file";
/// The port Prefect's worker serves `/health` on unless told otherwise.
const DEFAULT_HEALTH_PORT: i64 = 8080;

pub fn lower_worker(ctx: &Ctx, c: &Component, w: &Worker, out: &mut Lowered) {
    let owner = Owner {
        name: c.name.clone(),
        kind: c.kind,
        header: c.header,
        pod: w.workload(),
    };
    let worker_type = w.worker_type();
    let kubernetes = worker_type.starts_jobs();
    let pool_name = w.pool_name().to_string();
    let image = image(ctx, w.image.as_ref(), worker_type.image_variant(), c.header);
    let labels = share(
        ctx,
        labels(
            ctx,
            c.kind.app(),
            &c.name,
            "worker",
            &image_version(&image.value),
        ),
    );
    let job_namespaces = w.job_namespaces(&ctx.namespace);
    let observe_cluster = kubernetes && *w.observe_cluster;

    let needs_api = rbac(ctx, &owner, w, &labels, &job_namespaces, out);
    let automount = Tracked {
        value: needs_api,
        prov: owner.derived("automount-service-account-token"),
    };
    out.extend(service_account(ctx, &owner, &labels, automount.clone()));

    let release = Release::of(ctx, c);
    let template = base_job_template(ctx, c, w, release.version, &labels, out);
    // Sized for every flag below: grown from five words, it was
    // reallocated twice for each worker.
    let mut args = Vec::with_capacity(17 + 2 * w.queues.len());
    args.extend(["prefect", "worker", "start", "--type", worker_type.as_str()].map(Word::Borrowed));
    args.extend([Word::from("--pool"), pool_name.clone().into()]);
    for q in w.queues.iter() {
        args.extend([Word::from("--work-queue"), q.value.clone().into()]);
    }
    args.extend(words(&["--install-policy", w.install_policy.as_str()]));
    if let Some(l) = &w.limit {
        args.extend([Word::from("--limit"), l.value.to_string().into()]);
    }
    if let Some(n) = &w.name {
        args.extend([Word::from("--name"), n.value.clone().into()]);
    }
    let healthcheck = *w.healthcheck;
    if healthcheck {
        args.push("--with-healthcheck".into());
    }
    if template.is_some() {
        args.extend(words(&["--base-job-template", TEMPLATE_FILE]));
    }

    let api = api_env(ctx, &w.api, kubernetes);
    let mut extra = Vec::new();
    // The observer watches the job namespaces; unset, it watches the cluster.
    if kubernetes && !observe_cluster {
        extra.push(env(
            "PREFECT_INTEGRATIONS_KUBERNETES_OBSERVER_NAMESPACES",
            job_namespaces.join(","),
        ));
    }
    let health_port = *w.healthcheck_port;
    if healthcheck && health_port != DEFAULT_HEALTH_PORT {
        extra.push(env(
            "PREFECT_WORKER_WEBSERVER_PORT",
            health_port.to_string(),
        ));
    }
    let polling = Polling {
        prefetch: *w.prefetch,
        query_interval: *w.query_interval,
        http2: *w.http2,
        debug: *w.debug,
        cluster_uid: w.cluster_uid.as_deref().map(String::as_str),
        env: &w.env,
        prefetch_var: "PREFECT_WORKER_PREFETCH_SECONDS",
        query_var: "PREFECT_WORKER_QUERY_SECONDS",
    };
    // Check has refused a template that is no JSON: it is parsed once here.
    if let Some(t) = &w.base_job_template
        && let BaseJobTemplate::Inline(json) = &t.value
        && let Ok(template) = serde_json::from_str::<serde_json::Value>(json)
    {
        judge_template_env(&template, t.prov.span(), &release, out);
        // The flow-run pod the template describes, for the policy stage.
        if kubernetes {
            let flow_image = super::meta::image(ctx, None, None, c.header).value;
            let namespace = job_template::job_namespaces(&template)
                .into_iter()
                .next()
                .map_or_else(|| job_namespaces[0].to_string(), |j| j.namespace);
            if let Some(pod) = template_pod::pod_of(&template, &t.prov, &flow_image) {
                out.flow_runs.push(flow_runs::template_job(
                    c,
                    pod,
                    &namespace,
                    &pool_name,
                    release.version,
                ));
                flow_runs::isolate(ctx, c, &pool_name, &namespace, out);
            }
        }
    }
    let vars = client_env(&polling, &api, extra, &release, out);
    let pod = &owner.pod;
    let mut container = prefect_container(
        ctx,
        pod,
        "prefect-worker",
        image.clone(),
        args,
        vars,
        &w.resources,
    );
    if healthcheck {
        container.ports.push(ContainerPort {
            name: "health".into(),
            container_port: health_port,
            host_port: None,
            protocol: "TCP",
        });
        let health = || IntOrString::Str("health".into());
        container.liveness_probe = timed_probe(&w.probes.liveness, "/health", health());
        container.readiness_probe = timed_probe(&w.probes.readiness, "/health", health());
    }
    if template.is_some() {
        container.volume_mounts.push(template_mount());
    }
    // The sync init containers start from the main container as built,
    // without the user's command overrides and hooks. They call the API as
    // the worker does: the same release names, and their `init.env` judged
    // like the worker's `env`.
    // Made once for both, when there is one.
    let security = std::cell::OnceCell::new();
    let init = |name: &str, script: Word, vars: Vec<EnvVar>, out: &mut Lowered| {
        let vars = for_release(vars, &release, out);
        let derived: Vec<&EnvVar> = vars.iter().collect();
        judge_user_env(&[&w.init.env], &derived, Some(&release), out);
        let security = security
            .get_or_init(|| container_security(ctx, &w.security, Some(&w.init.security)).into());
        init_container(
            w,
            name,
            script,
            vars,
            &container,
            std::sync::Arc::clone(security),
        )
    };
    let mut init_containers = Vec::new();
    if let Some((script, vars)) = pool_sync(ctx, w, &pool_name, &api) {
        init_containers.push(init("sync-pool", script, vars, out));
    }
    if template.is_some() {
        let (script, vars) = template_sync(w, &pool_name, &api);
        init_containers.push(init("sync-base-job-template", script, vars, out));
    }
    let mut main = container;
    override_main(pod, &mut main);
    let mut spec = pod_spec(ctx, &owner, automount, vec![main]);
    extra_containers(ctx, pod, &mut spec);
    if let Some(t) = &template {
        spec.volumes.reserve_exact(1);
        spec.volumes.push(Volume {
            name: TEMPLATE_VOLUME.into(),
            config_map: Some(Box::new(ConfigMapSource {
                name: t.config_map.clone(),
                optional: false,
            })),
            ..Volume::default()
        });
    }
    // Exactly: a vector of containers (under 1 KiB each) grown from empty
    // takes room for four.
    spec.init_containers.reserve_exact(init_containers.len());
    spec.init_containers.extend(init_containers);
    spec.dns_policy = w.dns_policy.as_ref().map(|p| dns_policy(p.value));
    spec.dns_config = w.dns_config.as_ref().and_then(|d| dns_config(d));

    let target = ctx.site.api(&w.api);
    let mut egress = vec![network::dns()];
    egress.extend(network::api_egress(ctx, &target));
    if kubernetes {
        egress.push(network::kubernetes_api());
    }
    out.allow(Traffic {
        policy: c.name.clone(),
        origin: c.header,
        pods: selector_of(ctx, &labels),
        ingress: network::sidecar_ingress(&spec).into_iter().collect(),
        egress,
        api_client_of: target.server.map(|(name, _)| name.to_string()),
        flow_runs_in: if kubernetes {
            job_namespaces.iter().map(|n| n.to_string()).collect()
        } else {
            Vec::new()
        },
    });
    let mut deployment = deployment(ctx, &owner, &labels, replicas(pod), false, spec);
    if let (Some(t), Resource::Deployment(d)) = (
        &template,
        std::sync::Arc::make_mut(&mut deployment.resource),
    ) && let Some(sum) = &t.checksum
    {
        // A new template rolls the pods, so that the sync runs again.
        d.spec
            .template
            .metadata
            .annotations
            .insert("checksum/base-job-template".into(), sum.clone());
    }
    out.push(deployment);
    scaling(ctx, &owner, &labels, out);
}

/// The worker's Roles and ClusterRole; whether the worker calls the
/// Kubernetes API at all.
fn rbac(
    ctx: &Ctx,
    owner: &Owner,
    w: &Worker,
    labels: &Labels,
    job_namespaces: &[&str],
    out: &mut Lowered,
) -> bool {
    let extra = extra_rules(&w.rbac.extra_rules);
    if !w.worker_type().starts_jobs() {
        // A process (or cloud) worker starts no pods: it gets only what the user adds.
        if !extra.is_empty() {
            out.extend(role_and_binding(ctx, owner, &ctx.namespace, labels, extra));
            return true;
        }
        return false;
    }
    let key_secrets = key_secret_rules(ctx, w);
    // The two rules every such worker has, made once for the site when
    // they are all (the common case).
    let rules: std::sync::Arc<[PolicyRule]> = if key_secrets.is_empty() && extra.is_empty() {
        std::sync::Arc::clone(ctx.job_rules.get_or_init(|| job_rules().into()))
    } else {
        let mut rules = job_rules();
        rules.extend(key_secrets);
        rules.extend(extra);
        rules.into()
    };
    for ns in job_namespaces {
        out.extend(role_and_binding(
            ctx,
            owner,
            ns,
            labels,
            std::sync::Arc::clone(&rules),
        ));
    }
    let mut cluster = Vec::new();
    if *w.observe_cluster {
        cluster.push(rule(
            &[""],
            &["events", "pods", "pods/log", "pods/status"],
            &["get", "watch", "list"],
        ));
        cluster.push(rule(&["batch"], &["jobs"], &["get", "watch", "list"]));
    }
    cluster.extend(cluster_uid_rule(w.cluster_uid.is_some()));
    if !cluster.is_empty() {
        out.extend(cluster_role_and_binding(ctx, owner, labels, cluster));
    }
    true
}

/// What a worker that starts Jobs needs in each job namespace: to start and
/// watch the Jobs and read their pods' logs and events.
fn job_rules() -> Vec<PolicyRule> {
    vec![
        rule(
            &[""],
            &["events", "pods", "pods/log", "pods/status"],
            &["get", "watch", "list"],
        ),
        rule(
            &["batch"],
            &["jobs"],
            &[
                "get", "list", "watch", "create", "update", "patch", "delete",
            ],
        ),
    ]
}

/// With `key-propagation = create-secret` the worker writes the API key into
/// a Secret `prefect-<worker name>-api-key` in the job's namespace, updates
/// it for every run and deletes it when it stops. Kubernetes cannot limit
/// `create` to a name, but the rest is limited to that Secret when the
/// worker's `name` is known.
fn key_secret_rules(ctx: &Ctx, w: &Worker) -> Vec<PolicyRule> {
    if !ctx.site.api(&w.api).creates_key_secrets() {
        return Vec::new();
    }
    match w.name.as_ref().and_then(|n| slugify(n)) {
        Some(slug) => vec![
            rule(&[""], &["secrets"], &["create"]),
            PolicyRule {
                resource_names: vec![format!("prefect-{slug}-api-key").into()],
                ..rule(&[""], &["secrets"], &["get", "update", "delete"])
            },
        ],
        None => vec![rule(
            &[""],
            &["secrets"],
            &["get", "create", "update", "delete"],
        )],
    }
}

/// Prefect's `_slugify_name`: python-slugify with `[^a-zA-Z0-9-]+` replaced
/// by `-`, lower case, no repeated or outer dashes, at most 45 characters.
pub fn slugify(name: &str) -> Option<String> {
    let mut out = String::new();
    for ch in name.to_lowercase().chars() {
        if ch.is_ascii_alphanumeric() || ch == '-' {
            out.push(ch);
        } else {
            out.push('-');
        }
        if out.ends_with("--") {
            out.pop();
        }
    }
    let trimmed: String = out.trim_matches('-').chars().take(45).collect();
    let slug = trimmed.trim_matches('-').to_string();
    (!slug.is_empty()).then_some(slug)
}

/// The worker's base job template: the ConfigMap it is read from and, for
/// an inline template, that ConfigMap's checksum.
struct Template {
    config_map: String,
    checksum: Option<String>,
}

fn base_job_template(
    ctx: &Ctx,
    c: &Component,
    w: &Worker,
    prefect: Version,
    labels: &Labels,
    out: &mut Lowered,
) -> Option<Template> {
    let made = match w.base_job_template.as_ref().map(|t| &t.value) {
        Some(BaseJobTemplate::Existing(existing)) => {
            return Some(Template {
                config_map: existing.name.clone(),
                checksum: None,
            });
        }
        Some(BaseJobTemplate::Inline(json)) => Made::new(json.clone()),
        // A declared kubernetes pool: the pinned Prefect's default template
        // with the pool's flow-run pod written in (docs/flow-runs.md), and
        // Jobs in the worker's first job namespace (where its Role is).
        None if w.worker_type().starts_jobs() => {
            let PoolOrString::Pool(p) = &w.pool.value else {
                return None;
            };
            let pool = ctx.site.find(Kind::Pool, &p.name)?;
            let Spec::Pool(settings) = &pool.spec else {
                return None;
            };
            let namespace = w.job_namespaces(&ctx.namespace)[0].to_string();
            // The workers of a pool that share its job namespace share its
            // template and its flow runs: the flow-run pod is built, and its
            // Job judged, with the first of them (the Job's name is not
            // emitted, and findings name the pool).
            let jobs = &mut out.flow_runs;
            out.templates.of(&p.name, &namespace, prefect, || {
                let flow_run = flow_runs::pod(ctx, pool, &settings.flow_runs);
                jobs.push(flow_runs::job(
                    pool,
                    &flow_run,
                    &format!("{}-flow-run", c.name),
                    &namespace,
                ));
                flow_runs::made(ctx.kept, prefect, &namespace, &flow_run)
            })
        }
        None => return None,
    };
    // Named after the worker: two workers never share one (P-W6).
    let name = flow_runs::template_config_map(&c.name);
    let Made { text, checksum } = made;
    let mut data = crate::map::IndexMap::default();
    data.insert(TEMPLATE_FILE.to_string(), text);
    out.push(Object {
        resource: std::sync::Arc::new(Resource::ConfigMap(ConfigMap {
            api_version: "v1",
            kind: "ConfigMap",
            metadata: meta(ctx, &name, &ctx.namespace, labels),
            data,
        })),
        origin: c.header,
    });
    Some(Template {
        config_map: name,
        checksum: Some(checksum),
    })
}

fn template_mount() -> VolumeMount {
    VolumeMount {
        name: TEMPLATE_VOLUME.into(),
        mount_path: format!("{HOME}/{TEMPLATE_FILE}").into(),
        sub_path: Some(TEMPLATE_FILE.into()),
        read_only: true,
    }
}

/// The environment every init container needs to reach the API; what the
/// worker passes on to flow-run pods is no business of theirs.
fn api_vars(w: &Worker, api: &ApiEnv) -> Vec<EnvVar> {
    // Room for `HOME`, the cluster's UID and the pool's two.
    let mut vars = Vec::with_capacity(4 + api.vars.len() + api.auth.len());
    vars.push(env("HOME", HOME));
    vars.extend(
        api.vars
            .iter()
            .chain(&api.auth)
            .filter(|v| {
                !v.name
                    .starts_with("PREFECT_INTEGRATIONS_KUBERNETES_WORKER_")
            })
            .cloned(),
    );
    if let Some(uid) = &w.cluster_uid {
        vars.push(env("PREFECT_KUBERNETES_CLUSTER_UID", uid.value.clone()));
    }
    vars
}

/// Writes the base job template to the pool when the pool exists; a new
/// pool is created by the worker itself, from `--base-job-template`.
fn template_sync(w: &Worker, pool_name: &str, api: &ApiEnv) -> (Word, Vec<EnvVar>) {
    // The same words for every worker: borrowed, not made for each.
    const SCRIPT: &str = concat!(
        "if ! prefect work-pool inspect \"$POOL\" > /dev/null; then\n  echo \"Work pool $POOL does not exist yet: the worker creates it with this template.\"\n  exit 0\nfi\nprefect work-pool update \"$POOL\" --base-job-template ./",
        template_file!(),
        "\n"
    );
    let script = Word::Borrowed(SCRIPT);
    let mut vars = api_vars(w, api);
    vars.push(env("POOL", pool_name.to_string()));
    (script, vars)
}

/// Creates the worker's declared pool if it is missing and applies the
/// pool's concurrency limit, so the pool settings of the site reach Prefect
/// without a manual step.
fn pool_sync(ctx: &Ctx, w: &Worker, pool_name: &str, api: &ApiEnv) -> Option<(Word, Vec<EnvVar>)> {
    let PoolOrString::Pool(declared) = &w.pool.value else {
        return None;
    };
    let Spec::Pool(pool) = &ctx.site.find(Kind::Pool, &declared.name)?.spec else {
        return None;
    };
    let limit = pool.concurrency.as_ref()?.value;
    let script = format!(
        "prefect work-pool inspect \"$POOL\" > /dev/null 2>&1 || prefect work-pool create \"$POOL\" --type \"$POOL_TYPE\"\nprefect work-pool set-concurrency-limit \"$POOL\" {limit}\n"
    )
    .into();
    let mut vars = api_vars(w, api);
    vars.push(env("POOL", pool_name.to_string()));
    vars.push(env("POOL_TYPE", w.worker_type().as_str()));
    Some((script, vars))
}

/// An init container running `script` with the worker's image and mounts,
/// and the `init` settings (`security`, made from them once for both).
fn init_container(
    w: &Worker,
    name: &str,
    script: Word,
    mut vars: Vec<EnvVar>,
    main: &Container,
    security: std::sync::Arc<SecurityContext>,
) -> Container {
    merge_env(&mut vars, &w.init.env);
    Container {
        name: name.into(),
        command: words(&["/bin/sh", "-c"]),
        args: vec![script],
        env: vars,
        resources: w
            .init
            .resources
            .as_deref()
            .map(resources)
            .unwrap_or_else(|| main.resources.clone()),
        security_context: security,
        // Init containers serve nothing and cannot have these probes.
        ports: Vec::new(),
        liveness_probe: None,
        readiness_probe: None,
        startup_probe: None,
        // The rest as the main container has it: each field named, so
        // that a new one is a choice here (and the main container's env
        // and probes are not copied only to be dropped).
        image: main.image.clone(),
        image_pull_policy: main.image_pull_policy.clone(),
        working_dir: main.working_dir.clone(),
        env_from: main.env_from.clone(),
        lifecycle: main.lifecycle.clone(),
        volume_mounts: main.volume_mounts.clone(),
        restart_policy: main.restart_policy,
        prov: main.prov.clone(),
    }
}

fn dns_policy(p: DnsPolicy) -> &'static str {
    match p {
        DnsPolicy::ClusterFirst => "ClusterFirst",
        DnsPolicy::ClusterFirstWithHostNet => "ClusterFirstWithHostNet",
        DnsPolicy::Default => "Default",
        DnsPolicy::ConfigOnly => "None",
    }
}

/// The pod's `dnsConfig`; none at all when nothing is set (P-W8).
fn dns_config(d: &UserDnsConfig) -> Option<DnsConfig> {
    let options: Vec<DnsOption> = d
        .options
        .iter()
        .map(|(k, v)| DnsOption {
            name: k.clone(),
            value: (!v.is_empty()).then(|| v.value.clone()),
        })
        .collect();
    let config = DnsConfig {
        nameservers: owned(&d.nameservers),
        searches: owned(&d.searches),
        options,
    };
    (!config.nameservers.is_empty() || !config.searches.is_empty() || !config.options.is_empty())
        .then_some(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_follows_prefect() {
        assert_eq!(slugify("worker-a").as_deref(), Some("worker-a"));
        assert_eq!(slugify("My Worker__1").as_deref(), Some("my-worker-1"));
        assert_eq!(slugify("--x--").as_deref(), Some("x"));
        assert_eq!(slugify("!!!"), None);
        assert_eq!(slugify(&"a".repeat(60)).map(|s| s.len()), Some(45));
    }
}
