//! `worker`: a Deployment running `prefect worker start`, its ServiceAccount,
//! the RBAC its type needs (a Role and RoleBinding per job namespace, a
//! ClusterRole for what is cluster-scoped), its base job template and the
//! init containers that bring the pool up to date.

use super::Ctx;
use super::k8s::*;
use super::pod::{self, env};
use crate::check::model::{Component, Kind, Rec, TVal};

const APP: &str = "prefect-worker";
/// Where the base job template is mounted, relative to the working directory.
const TEMPLATE_FILE: &str = "baseJobTemplate.json";
const TEMPLATE_VOLUME: &str = "base-job-template-file";

pub fn lower_worker(ctx: &Ctx, c: &Component, out: &mut Vec<Object>) {
    let f = &c.fields;
    let worker_type = f.enum_("type").unwrap_or("process").to_string();
    let kubernetes = worker_type == "kubernetes";
    let pool_name = match f.get("pool").map(|t| &t.value) {
        Some(TVal::Ref { name, .. }) | Some(TVal::Str(name)) => name.clone(),
        _ => String::new(),
    };
    let image = pod::image(ctx, c, kubernetes);
    let labels = pod::labels(
        ctx,
        APP,
        &c.name,
        "worker",
        &pod::image_version(&image.value),
    );
    let job_namespaces: Vec<String> = if f.strings("job-namespaces").is_empty() {
        vec![ctx.namespace.clone()]
    } else {
        f.strings("job-namespaces")
            .into_iter()
            .map(String::from)
            .collect()
    };
    let observe_cluster = kubernetes && f.bool("observe-cluster") == Some(true);

    let needs_api = rbac(ctx, c, &labels, kubernetes, &job_namespaces, out);
    let automount = Tracked {
        value: needs_api,
        prov: pod::derived(c, "automount-service-account-token"),
    };
    out.extend(pod::service_account(ctx, c, &labels, automount.clone()));

    let template = base_job_template(ctx, c, &labels, out);
    let mut args = pod::strings(&[
        "prefect",
        "worker",
        "start",
        "--type",
        &worker_type,
        "--pool",
        &pool_name,
    ]);
    for q in f.strings("queues") {
        args.extend(["--work-queue".to_string(), q.to_string()]);
    }
    args.extend([
        "--install-policy".to_string(),
        f.enum_("install-policy").unwrap_or("never").to_string(),
    ]);
    if let Some(l) = f.int("limit") {
        args.extend(["--limit".to_string(), l.to_string()]);
    }
    if let Some(n) = f.str("name") {
        args.extend(["--name".to_string(), n.to_string()]);
    }
    let healthcheck = f.bool("healthcheck") != Some(false);
    if healthcheck {
        args.push("--with-healthcheck".to_string());
    }
    if template.is_some() {
        args.extend(["--base-job-template".to_string(), TEMPLATE_FILE.to_string()]);
    }

    let api = pod::api_env(ctx, c, kubernetes);
    let mut extra = Vec::new();
    // The observer watches the job namespaces; unset, it watches the cluster.
    if kubernetes && !observe_cluster {
        extra.push(env(
            "PREFECT_INTEGRATIONS_KUBERNETES_OBSERVER_NAMESPACES",
            job_namespaces.join(","),
        ));
    }
    let health_port = f.int("healthcheck-port").unwrap_or(8080);
    if healthcheck && health_port != 8080 {
        extra.push(env(
            "PREFECT_WORKER_WEBSERVER_PORT",
            health_port.to_string(),
        ));
    }
    let vars = pod::client_env(
        c,
        &api,
        "PREFECT_WORKER_PREFETCH_SECONDS",
        "PREFECT_WORKER_QUERY_SECONDS",
        extra,
    );
    let mut container =
        pod::prefect_container(ctx, c, "prefect-worker", image.clone(), args, vars, f);
    if healthcheck {
        container.ports.push(ContainerPort {
            name: "health".into(),
            container_port: health_port,
            host_port: None,
            protocol: "TCP",
        });
        container.liveness_probe = Some(pod::http_probe("/health", "health", 10));
        container.readiness_probe = Some(pod::http_probe("/health", "health", 10));
    }
    if template.is_some() {
        container.volume_mounts.push(template_mount());
    }
    // The sync init containers start from the main container as built,
    // without the user's command overrides and hooks.
    let mut main = container.clone();
    pod::override_main(c, &mut main);
    let mut spec = pod::pod_spec(ctx, c, automount, vec![main]);
    pod::extra_containers(ctx, c, &mut spec);
    if let Some(t) = &template {
        spec.volumes.push(Volume {
            name: TEMPLATE_VOLUME.into(),
            config_map: Some(ConfigMapSource {
                name: t.config_map.clone(),
                optional: false,
            }),
            ..Volume::default()
        });
    }
    let init = |name: &str, script: String, vars: Vec<EnvVar>| {
        init_container(ctx, c, name, script, vars, &container)
    };
    if let Some((script, vars)) = pool_sync(ctx, c, &worker_type, &pool_name, &api) {
        spec.init_containers.push(init("sync-pool", script, vars));
    }
    if template.is_some() {
        let (script, vars) = template_sync(c, &pool_name, &api);
        spec.init_containers
            .push(init("sync-base-job-template", script, vars));
    }
    spec.dns_policy = f.enum_("dns-policy").map(dns_policy);
    spec.dns_config = f.record("dns-config").and_then(dns_config);

    let mut deployment = pod::deployment(ctx, c, &c.name, &labels, pod::replicas(c), false, spec);
    if let (Some(t), Resource::Deployment(d)) = (&template, &mut deployment.resource)
        && let Some(sum) = &t.checksum
    {
        // A new template rolls the pods, so that the sync runs again.
        d.spec
            .template
            .metadata
            .annotations
            .insert("checksum/base-job-template".into(), sum.clone());
    }
    out.push(deployment);
    if let Some(a) = f.record("autoscaling") {
        out.push(pod::autoscaler(ctx, c, &labels, a));
    }
    if let Some(d) = f.record("disruption") {
        out.push(pod::disruption_budget(ctx, c, &labels, d));
    }
}

/// The worker's Roles and ClusterRole; whether the worker calls the
/// Kubernetes API at all.
fn rbac(
    ctx: &Ctx,
    c: &Component,
    labels: &Labels,
    kubernetes: bool,
    job_namespaces: &[String],
    out: &mut Vec<Object>,
) -> bool {
    let extra = pod::extra_rules(c);
    if !kubernetes {
        // A process (or cloud) worker starts no pods: it gets only what the user adds.
        if !extra.is_empty() {
            out.extend(pod::role_and_binding(ctx, c, &ctx.namespace, labels, extra));
            return true;
        }
        return false;
    }
    let mut rules = vec![
        pod::rule(
            &[""],
            &["events", "pods", "pods/log", "pods/status"],
            &["get", "watch", "list"],
        ),
        pod::rule(
            &["batch"],
            &["jobs"],
            &[
                "get", "list", "watch", "create", "update", "patch", "delete",
            ],
        ),
    ];
    rules.extend(key_secret_rules(c));
    rules.extend(extra);
    for ns in job_namespaces {
        out.extend(pod::role_and_binding(ctx, c, ns, labels, rules.clone()));
    }
    let mut cluster = Vec::new();
    if c.fields.bool("observe-cluster") == Some(true) {
        cluster.push(pod::rule(
            &[""],
            &["events", "pods", "pods/log", "pods/status"],
            &["get", "watch", "list"],
        ));
        cluster.push(pod::rule(&["batch"], &["jobs"], &["get", "watch", "list"]));
    }
    cluster.extend(pod::cluster_uid_rule(c));
    if !cluster.is_empty() {
        out.extend(pod::cluster_role_and_binding(ctx, c, labels, cluster));
    }
    true
}

/// With `key-propagation = create-secret` the worker writes the API key into
/// a Secret `prefect-<worker name>-api-key` in the job's namespace, updates
/// it for every run and deletes it when it stops. Kubernetes cannot limit
/// `create` to a name, but the rest is limited to that Secret when the
/// worker's `name` is known.
fn key_secret_rules(c: &Component) -> Vec<PolicyRule> {
    if !pod::creates_key_secrets(c) {
        return Vec::new();
    }
    match c.fields.str("name").and_then(slugify) {
        Some(slug) => vec![
            pod::rule(&[""], &["secrets"], &["create"]),
            PolicyRule {
                resource_names: vec![format!("prefect-{slug}-api-key")],
                ..pod::rule(&[""], &["secrets"], &["get", "update", "delete"])
            },
        ],
        None => vec![pod::rule(
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
    labels: &Labels,
    out: &mut Vec<Object>,
) -> Option<Template> {
    let (_, t) = c.fields.variant("base-job-template")?;
    match &t.value {
        TVal::ConfigMap { name, .. } => Some(Template {
            config_map: name.clone(),
            checksum: None,
        }),
        TVal::Str(json) => {
            // Named after the worker: two workers never share one (P-W6).
            let name = format!("{}-base-job-template", c.name);
            let mut data = indexmap::IndexMap::new();
            data.insert(TEMPLATE_FILE.to_string(), json.clone());
            out.push(Object {
                resource: Resource::ConfigMap(ConfigMap {
                    api_version: "v1",
                    kind: "ConfigMap",
                    metadata: pod::meta(ctx, &name, &ctx.namespace, labels),
                    data,
                }),
                origin: c.header,
            });
            Some(Template {
                config_map: name,
                checksum: Some(format!("{:016x}", fnv1a(json.as_bytes()))),
            })
        }
        _ => None,
    }
}

/// FNV-1a, 64 bits: a checksum that is the same in every build and every
/// Rust version, for the annotation that rolls pods when data changes.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn template_mount() -> VolumeMount {
    VolumeMount {
        name: TEMPLATE_VOLUME.into(),
        mount_path: format!("{}/{TEMPLATE_FILE}", pod::HOME),
        sub_path: Some(TEMPLATE_FILE.into()),
        read_only: true,
    }
}

/// The environment every init container needs to reach the API; what the
/// worker passes on to flow-run pods is no business of theirs.
fn api_vars(c: &Component, api: &pod::ApiEnv) -> Vec<EnvVar> {
    let mut vars = vec![env("HOME", pod::HOME)];
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
    if let Some(uid) = c.fields.str("cluster-uid") {
        vars.push(env("PREFECT_KUBERNETES_CLUSTER_UID", uid));
    }
    vars
}

/// Writes the base job template to the pool when the pool exists; a new
/// pool is created by the worker itself, from `--base-job-template`.
fn template_sync(c: &Component, pool_name: &str, api: &pod::ApiEnv) -> (String, Vec<EnvVar>) {
    let script = format!(
        "if ! prefect work-pool inspect \"$POOL\" > /dev/null; then\n  echo \"Work pool $POOL does not exist yet: the worker creates it with this template.\"\n  exit 0\nfi\nprefect work-pool update \"$POOL\" --base-job-template ./{TEMPLATE_FILE}\n"
    );
    let mut vars = api_vars(c, api);
    vars.push(env("POOL", pool_name));
    (script, vars)
}

/// Creates the worker's declared pool if it is missing and applies the
/// pool's concurrency limit, so the pool settings of the site reach Prefect
/// without a manual step.
fn pool_sync(
    ctx: &Ctx,
    c: &Component,
    worker_type: &str,
    pool_name: &str,
    api: &pod::ApiEnv,
) -> Option<(String, Vec<EnvVar>)> {
    let Some(TVal::Ref { name, .. }) = c.fields.get("pool").map(|t| &t.value) else {
        return None;
    };
    let pool = ctx.site.find(Kind::Pool, name)?;
    let limit = pool.fields.int("concurrency")?;
    let script = format!(
        "prefect work-pool inspect \"$POOL\" > /dev/null 2>&1 || prefect work-pool create \"$POOL\" --type \"$POOL_TYPE\"\nprefect work-pool set-concurrency-limit \"$POOL\" {limit}\n"
    );
    let mut vars = api_vars(c, api);
    vars.push(env("POOL", pool_name));
    vars.push(env("POOL_TYPE", worker_type));
    Some((script, vars))
}

/// An init container running `script` with the worker's image and mounts,
/// and the `init` settings.
fn init_container(
    ctx: &Ctx,
    c: &Component,
    name: &str,
    script: String,
    mut vars: Vec<EnvVar>,
    main: &Container,
) -> Container {
    let empty = Rec::default();
    let init = c.fields.record("init").unwrap_or(&empty);
    let sec = c.fields.record("security").expect("security has a default");
    for (k, t) in init.map("env").into_iter().flatten() {
        let v = pod::env_from_typed(k, t);
        match vars.iter_mut().find(|e| e.name == *k) {
            Some(existing) => *existing = v,
            None => vars.push(v),
        }
    }
    Container {
        name: name.into(),
        command: pod::strings(&["/bin/sh", "-c"]),
        args: vec![script],
        env: vars,
        resources: init
            .get("resources")
            .map(pod::resources)
            .unwrap_or_else(|| main.resources.clone()),
        security_context: pod::container_security(ctx, sec, init.record("security")),
        // Init containers serve nothing and cannot have these probes.
        ports: Vec::new(),
        liveness_probe: None,
        readiness_probe: None,
        startup_probe: None,
        ..main.clone()
    }
}

fn dns_policy(p: &str) -> &'static str {
    match p {
        "cluster-first" => "ClusterFirst",
        "cluster-first-with-host-net" => "ClusterFirstWithHostNet",
        "default" => "Default",
        _ => "None",
    }
}

/// The pod's `dnsConfig`; none at all when nothing is set (P-W8).
fn dns_config(r: &Rec) -> Option<DnsConfig> {
    let strings = |f: &str| -> Vec<String> { r.strings(f).into_iter().map(String::from).collect() };
    let options: Vec<DnsOption> = r
        .map("options")
        .into_iter()
        .flatten()
        .map(|(k, t)| DnsOption {
            name: k.clone(),
            value: match &t.value {
                TVal::Str(s) if !s.is_empty() => Some(s.clone()),
                _ => None,
            },
        })
        .collect();
    let config = DnsConfig {
        nameservers: strings("nameservers"),
        searches: strings("searches"),
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

    #[test]
    fn fnv1a_is_stable() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
