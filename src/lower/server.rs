//! `server`: the API Deployment, its Service and ServiceAccount, the SQLite
//! volume, background services, migrations, exposure, autoscaling and PDB.

use super::backing;
use super::server_env::{database_env, messaging_env, split_env};

use super::env::{
    HOME, Release, env, for_release, judge_user_env, merge_env, secret_env, whole_seconds,
};
use super::k8s::NetworkRule;
use super::k8s::*;
use super::meta::{
    bool_text, image, image_version, labels, meta, owned, owned_words, pull_policy, selector,
    selector_of, strings, tracked, words,
};
use super::network::{self, Accept, Traffic};
use super::rbac::service_account;
use super::security::container_security;
use super::workload::{
    Owner, anti_affinity, deployment, extra_containers, override_main, pod_meta, pod_spec,
    prefect_container, process_probe, replicas, resources, scaling, scratch_mount, service,
    timed_probe, tini,
};
use super::{Ctx, Lowered};
use crate::model::api::base_path;
use crate::model::schema::{
    Affinity, Database, Ingress as UserIngress, Messaging, PathType, Server, ServerAuth,
    ServiceType, Toleration,
};
use crate::model::workload::{StringMap, Workload};
use crate::model::{Component, Kind, Located};

/// `app.kubernetes.io/name` of the server's pods.
fn app() -> &'static str {
    Kind::Server.app()
}

fn ui_api_url(s: &Server) -> String {
    if let Some(u) = &s.ui.api_url {
        return u.value.clone();
    }
    if let Some(i) = &s.ingress {
        return format!("https://{}{}", *i.host, base_path(s));
    }
    if let Some(host) = s.gateway.as_ref().and_then(|g| g.hostnames.first()) {
        return format!("https://{}{}", host.value, base_path(s));
    }
    format!("http://localhost:{}{}", *s.port, base_path(s))
}

pub fn lower_server(ctx: &Ctx, c: &Component, s: &Server, out: &mut Lowered) {
    let owner = Owner {
        name: c.name.clone(),
        kind: c.kind,
        header: c.header,
        pod: s.workload(),
    };
    let image = image(ctx, s.image.as_ref(), None, c.header);
    let version = image_version(&image.value);
    let labels = labels(ctx, app(), &c.name, "server", &version);
    let bg = &s.background_services;
    let split = *bg.separate;
    let sqlite = matches!(s.database.value, Database::Sqlite(_));
    let port = *s.port;
    let base = base_path(s);
    let static_dir = s.ui.static_directory.value.clone();

    out.extend(service_account(ctx, &owner, &labels, owner.no_token()));

    out.push(service(ctx, &owner, &s.service, &labels, port));

    // The environment, in the chart's order.
    let mut vars = vec![
        env("HOME", HOME),
        env("PREFECT_DEBUG_MODE", bool_text(*s.debug)),
        env(
            "PREFECT_LOGGING_SERVER_LEVEL",
            s.log_level.as_str().to_uppercase(),
        ),
        env("PREFECT_SERVER_API_BASE_PATH", base.clone()),
        env("PREFECT_SERVER_API_HOST", "0.0.0.0"),
        env("PREFECT_SERVER_API_PORT", port.to_string()),
        env("PREFECT_UI_API_URL", ui_api_url(s)),
        env("PREFECT_UI_STATIC_DIRECTORY", static_dir.clone()),
    ];
    if !*s.ui.enabled {
        vars.push(env("PREFECT_UI_ENABLED", "false"));
    }
    let release = Release::of(ctx, c);
    let db_env = for_release(database_env(ctx, c, s, &release), &release, out);
    vars.extend(db_env.iter().cloned());
    if let Some(auth) = &s.auth {
        match &auth.value {
            ServerAuth::Basic(b) => {
                vars.push(secret_env("PREFECT_SERVER_API_AUTH_STRING", &b.credentials))
            }
        }
    }
    let mut vars = for_release(vars, &release, out);
    let split_vars = for_release(
        if split {
            split_env(ctx, c, bg)
        } else {
            messaging_env(ctx, c, bg)
        },
        &release,
        out,
    );
    judge_user_env(
        &[&s.env],
        &vars.iter().chain(&split_vars).collect::<Vec<_>>(),
        Some(&release),
        out,
    );
    merge_env(&mut vars, &s.env);
    vars.extend(split_vars.iter().cloned());

    let mut args = words(&["prefect", "server", "start"]);
    if split {
        args.push("--no-services".into());
    }
    args.extend([Word::from("--port"), port.to_string().into()]);

    let mut mounts = vec![
        scratch_mount(HOME, "home"),
        scratch_mount("/tmp", "tmp"),
        scratch_mount(static_dir.clone(), "ui-build"),
    ];
    if sqlite {
        mounts.push(VolumeMount {
            name: "data".into(),
            mount_path: "/data".into(),
            sub_path: None,
            read_only: false,
        });
    }
    let pod = &owner.pod;
    let mut container = Container {
        name: "prefect-server".into(),
        image: image.clone(),
        image_pull_policy: pull_policy(&s.image_pull_policy),
        command: tini(),
        args,
        working_dir: Some(HOME.into()),
        ports: vec![ContainerPort {
            name: s.service.port_name.value.clone(),
            container_port: port,
            host_port: None,
            protocol: "TCP",
        }],
        env: vars,
        env_from: Vec::new(),
        resources: resources(&s.resources),
        security_context: container_security(ctx, &s.security, None).into(),
        startup_probe: timed_probe(
            &s.probes.startup,
            &format!("{base}/health"),
            IntOrString::Int(port),
        ),
        liveness_probe: timed_probe(
            &s.probes.liveness,
            &format!("{base}/health"),
            IntOrString::Int(port),
        ),
        readiness_probe: timed_probe(
            &s.probes.readiness,
            &format!("{base}/ready"),
            IntOrString::Int(port),
        ),
        lifecycle: None,
        volume_mounts: mounts,
        restart_policy: None,
        prov: None,
    };
    override_main(pod, &mut container);
    let mut spec = pod_spec(ctx, &owner, owner.no_token(), vec![container]);
    extra_containers(ctx, pod, &mut spec);
    if let Database::Sqlite(db) = &s.database.value {
        spec.volumes.push(Volume {
            name: "data".into(),
            persistent_volume_claim: Some(Box::new(PvcSource {
                claim_name: format!("{}-sqlite", c.name),
                read_only: false,
            })),
            ..Volume::default()
        });
        out.push(sqlite_pvc(ctx, c, db, &labels));
    }
    let mut accepts: Vec<Accept> = network::sidecar_ingress(&spec).into_iter().collect();
    accepts.push(Accept::ApiClients {
        server: c.name.clone(),
        port,
    });
    accepts.extend(exposure(s));
    out.allow(Traffic {
        policy: c.name.clone(),
        origin: c.header,
        pods: selector_of(ctx, &labels),
        ingress: accepts,
        egress: std::iter::once(network::dns())
            .chain(server_egress(ctx, &c.name, s, false))
            .collect(),
        api_client_of: None,
        flow_runs_in: Vec::new(),
    });
    // SQLite's ReadWriteOnce volume cannot be attached to a second pod during a rolling update.
    out.push(deployment(
        ctx,
        &owner,
        &labels,
        replicas(pod),
        sqlite,
        spec,
    ));

    if let Database::PostgresInCluster(db) = &s.database.value {
        backing::postgres(ctx, &owner, db, out);
    }
    if let Some(Messaging::RedisInCluster(r)) = bg.messaging.as_ref().map(|m| &m.value) {
        backing::redis(ctx, &owner, r, out);
    }
    if split {
        lower_background_services(ctx, c, s, &image, &db_env, &split_vars, out);
        // Off: the site's migrations run elsewhere (check refuses it
        // without `separate`, where the API itself migrates on start).
        if *s.migrations.enabled {
            lower_migrations(ctx, &owner, s, &image, &db_env, &release, out);
        }
    }
    scaling(ctx, &owner, &labels, out);
    if let Some(i) = &s.ingress {
        out.push(ingress(ctx, c, s, &labels, i));
    }
    if let Some(g) = &s.gateway {
        super::gateway::gateway(ctx, c, &labels, g, port, out);
    }
}

/// Ingress to a server's API from outside the site: from anywhere for a
/// NodePort or LoadBalancer Service, from every namespace (the ingress
/// controller or gateway) when exposed through them.
fn exposure(server: &Server) -> Option<Accept> {
    let port = vec![network::tcp(*server.port)];
    if *server.service.type_ != ServiceType::ClusterIp {
        Some(Accept::Rule(NetworkRule {
            from: vec![network::block("0.0.0.0/0"), network::block("::/0")],
            ..network::rule(port)
        }))
    } else if server.ingress.is_some() || server.gateway.is_some() {
        Some(Accept::Rule(network::from_any_namespace(port)))
    } else {
        None
    }
}

/// Egress from the server's pods (named `server`): the database and Redis,
/// and HTTPS for the webhooks and notifications automations send; only the
/// database for the migrations. An external store's address is unknown, so
/// any address on its port; an in-cluster one is reached at its own pods only.
fn server_egress(ctx: &Ctx, server: &str, s: &Server, database_only: bool) -> Vec<NetworkRule> {
    let store = |app: &str, port: i64| NetworkRule {
        to: vec![network::pods_peer(selector(ctx, app, server, app))],
        ..network::rule(vec![network::tcp(port)])
    };
    let mut in_cluster = Vec::new();
    let mut ports = Vec::new();
    match &s.database.value {
        // A port read from the Secret is not known here.
        Database::Postgres(p) if p.secret.is_some() && p.keys.port.is_some() => {
            in_cluster.push(network::anywhere_any_tcp_port())
        }
        Database::Postgres(p) => ports.push(*p.port),
        Database::PostgresInCluster(_) => {
            in_cluster.push(store(backing::POSTGRES_APP, backing::POSTGRES_PORT))
        }
        Database::Sqlite(_) => {}
    }
    if !database_only {
        match s.background_services.messaging.as_ref().map(|m| &m.value) {
            Some(Messaging::Redis(r)) => ports.push(*r.port),
            Some(Messaging::RedisInCluster(_)) => {
                in_cluster.push(store(backing::REDIS_APP, backing::REDIS_PORT))
            }
            None => {}
        }
        ports.push(443);
    }
    if !ports.is_empty() {
        in_cluster.push(network::anywhere(&ports));
    }
    in_cluster
}

fn sqlite_pvc(
    ctx: &Ctx,
    c: &Component,
    db: &crate::model::schema::Sqlite,
    labels: &Labels,
) -> Object {
    let mut requests = Labels::default();
    requests.insert("storage".into(), db.size.text.clone());
    Object {
        resource: std::sync::Arc::new(Resource::PersistentVolumeClaim(Box::new(
            PersistentVolumeClaim {
                api_version: "v1",
                kind: "PersistentVolumeClaim",
                metadata: meta(ctx, &format!("{}-sqlite", c.name), &ctx.namespace, labels),
                spec: PvcSpec {
                    access_modes: vec!["ReadWriteOnce"],
                    storage_class_name: db.storage_class.as_ref().map(|s| s.value.clone()),
                    resources: PvcResources { requests },
                },
            },
        ))),
        origin: c.header,
    }
}

/// `theirs` with `mine` added over it, attributed to `theirs`.
fn merged(theirs: &Located<StringMap>, mine: &Located<StringMap>) -> Located<StringMap> {
    let mut map = theirs.clone();
    map.value
        .extend(mine.iter().map(|(k, v)| (k.clone(), v.clone())));
    map
}

/// The server's pod settings `pod`, with a helper pod's own node selector,
/// tolerations and affinity where written.
fn own_scheduling<'a>(
    pod: &mut Workload<'a>,
    node_selector: Option<&'a Located<StringMap>>,
    tolerations: Option<&'a Located<Vec<Located<Toleration>>>>,
    affinity: Option<&'a Located<Affinity>>,
) {
    if let Some(nodes) = node_selector {
        pod.node_selector = nodes;
    }
    if let Some(tolerations) = tolerations {
        pod.tolerations = tolerations;
    }
    if affinity.is_some() {
        pod.affinity = affinity;
    }
}

fn lower_background_services(
    ctx: &Ctx,
    c: &Component,
    s: &Server,
    image: &Tracked<String>,
    db_env: &[EnvVar],
    split_vars: &[EnvVar],
    out: &mut Lowered,
) {
    let bg = &s.background_services;
    // The services run as a component of their own: the server's settings,
    // overridden or extended by those of `background-services`, and a
    // ServiceAccount of their own.
    let pod_labels = merged(&s.pod_labels, &bg.pod_labels);
    let pod_annotations = merged(&s.pod_annotations, &bg.pod_annotations);
    let mut pod = s.workload();
    if let Some(security) = &bg.security {
        pod.security = security;
    }
    own_scheduling(
        &mut pod,
        bg.node_selector.as_ref(),
        bg.tolerations.as_ref(),
        bg.affinity.as_deref(),
    );
    if let Some(p) = &bg.priority_class {
        pod.priority_class = Some(p);
    }
    if let Some(t) = &bg.termination_grace_period {
        pod.termination_grace_period = Some(t);
    }
    // The main container's own: the server's command, arguments, hooks and
    // extra containers are the API's.
    let no_extra_args = Located {
        value: Vec::new(),
        ..s.extra_args.clone()
    };
    pod.command = bg.command.as_ref();
    pod.args = bg.args.as_ref();
    pod.extra_args = &no_extra_args;
    pod.lifecycle = bg.lifecycle.as_deref();
    pod.sidecars = &bg.sidecars;
    pod.init_containers = &bg.init_containers;
    let mut env_from = s.env_from.clone();
    env_from.value.extend(bg.env_from.iter().cloned());
    pod.env_from = &env_from;
    if let Some(r) = &bg.revision_history {
        pod.revision_history = r;
    }
    pod.service_account_annotations = Some(&bg.service_account_annotations);
    pod.pod_labels = &pod_labels;
    pod.pod_annotations = &pod_annotations;
    let owner = Owner {
        name: format!("{}-background-services", c.name),
        kind: c.kind,
        header: c.header,
        pod,
    };
    let labels = labels(
        ctx,
        app(),
        &c.name,
        "background-services",
        &image_version(&image.value),
    );
    let debug = bg.debug.as_ref().unwrap_or(&s.debug);
    let log_level = bg.log_level.as_ref().unwrap_or(&s.log_level);
    let vars = vec![
        env("HOME", HOME),
        env("PREFECT_DEBUG_MODE", bool_text(**debug)),
        env(
            "PREFECT_LOGGING_SERVER_LEVEL",
            log_level.as_str().to_uppercase(),
        ),
        env("PREFECT_UI_ENABLED", "false"),
    ];
    let release = Release::of(ctx, c);
    let mut vars = for_release(vars, &release, out);
    vars.extend(db_env.iter().cloned());
    vars.extend(split_vars.iter().cloned());
    judge_user_env(
        &[&s.env, &bg.env],
        &vars.iter().collect::<Vec<_>>(),
        Some(&release),
        out,
    );
    merge_env(&mut vars, &s.env);
    merge_env(&mut vars, &bg.env);
    let mut container = prefect_container(
        ctx,
        &owner.pod,
        "prefect-background-services",
        image.clone(),
        words(&["prefect", "server", "services", "start"]),
        vars,
        &bg.resources,
    );
    // The services serve no health endpoint: check that they still run.
    container.liveness_probe = Some(Box::new(process_probe("services")));
    container.readiness_probe = Some(Box::new(process_probe("services")));
    override_main(&owner.pod, &mut container);
    out.extend(service_account(ctx, &owner, &labels, owner.no_token()));
    let mut spec = pod_spec(ctx, &owner, owner.no_token(), vec![container]);
    extra_containers(ctx, &owner.pod, &mut spec);
    out.allow(Traffic {
        policy: owner.name.clone(),
        origin: owner.header,
        pods: selector_of(ctx, &labels),
        ingress: network::sidecar_ingress(&spec).into_iter().collect(),
        egress: std::iter::once(network::dns())
            .chain(server_egress(ctx, &c.name, s, false))
            .collect(),
        api_client_of: None,
        flow_runs_in: Vec::new(),
    });
    let replicas = Some(tracked(bg.replicas.value, &bg.replicas));
    out.push(deployment(ctx, &owner, &labels, replicas, false, spec));
}

/// The longest server name a migrations Job name carries whole: a Job's
/// name becomes the value of its pods' `batch.kubernetes.io/job-name`
/// label, at most 63 characters, and the Job adds `-db-migrations-` and
/// 8 hex digits (23 characters).
const MIGRATIONS_NAME_PREFIX_MAX: usize = 63 - 23;

/// The part of the migrations Job's name that does not change with its
/// spec: `<server>-db-migrations`, the server's name cut to 40 characters
/// (and of a trailing `-`) when longer. Also the name of the Job's
/// NetworkPolicy, which selects its pods by label and so outlives each Job.
pub fn migrations_base_name(server: &str) -> String {
    let cut: String = server.chars().take(MIGRATIONS_NAME_PREFIX_MAX).collect();
    format!("{}-db-migrations", cut.trim_end_matches('-'))
}

/// The migrations Job's name: [`migrations_base_name`] and the first 8 hex
/// digits of a hash of the Job's rendered spec. A Job's pod template is
/// immutable, so a new image, setting or environment is a new Job: `kubectl
/// apply` and Flux create it instead of failing on the old one (which its
/// TTL removes), and Argo CD runs it as a new hook.
fn migrations_name(server: &str, spec: &JobSpec) -> String {
    let rendered = serde_json::to_string(spec).expect("a Job spec serialises to JSON");
    let hash = super::meta::fnv1a(rendered.as_bytes());
    format!("{}-{:08x}", migrations_base_name(server), hash >> 32)
}

/// The migrations Job. Argo CD sync waves order it after the database
/// settings and before the server Deployment, as a `Sync` hook that is
/// deleted before its next run; `kubectl apply` users run it first (see
/// docs/language.md and docs/gitops.md).
fn lower_migrations(
    ctx: &Ctx,
    owner: &Owner,
    s: &Server,
    image: &Tracked<String>,
    db_env: &[EnvVar],
    release: &Release,
    out: &mut Lowered,
) {
    let labels = labels(
        ctx,
        app(),
        &owner.name,
        "migrations",
        &image_version(&image.value),
    );
    let m = &s.migrations;
    // The server's pod settings, but the Job's own scheduling where written.
    let mut pod = s.workload();
    own_scheduling(
        &mut pod,
        m.node_selector.as_ref(),
        m.tolerations.as_ref(),
        m.affinity.as_deref(),
    );
    let owner = &Owner {
        name: owner.name.clone(),
        kind: owner.kind,
        header: owner.header,
        pod,
    };
    let mut vars = db_env.to_vec();
    vars.push(env("HOME", HOME));
    judge_user_env(
        &[&s.env, &m.env],
        &vars.iter().collect::<Vec<_>>(),
        Some(release),
        out,
    );
    merge_env(&mut vars, &s.env);
    merge_env(&mut vars, &m.env);
    let mut container = prefect_container(
        ctx,
        &owner.pod,
        "prefect-migrations",
        image.clone(),
        words(&["prefect", "server", "database", "upgrade", "-y"]),
        vars,
        &m.resources,
    );
    if let Some(command) = &m.command {
        container.command = owned_words(command);
        container.args = Vec::new();
    }
    let mut spec = pod_spec(ctx, owner, owner.no_token(), vec![container]);
    spec.restart_policy = Some("OnFailure");
    if m.affinity.is_some() {
        anti_affinity(&owner.pod, &mut spec, &selector_of(ctx, &labels));
    }
    // The Job's name changes with its spec; its policy selects its pods by
    // label and keeps one name. It needs only the database.
    out.allow(Traffic {
        policy: migrations_base_name(&owner.name),
        origin: owner.header,
        pods: selector_of(ctx, &labels),
        ingress: network::sidecar_ingress(&spec).into_iter().collect(),
        egress: std::iter::once(network::dns())
            .chain(server_egress(ctx, &owner.name, s, true))
            .collect(),
        api_client_of: None,
        flow_runs_in: Vec::new(),
    });
    let job_spec = JobSpec {
        backoff_limit: *m.backoff_limit,
        active_deadline_seconds: whole_seconds(*m.deadline),
        ttl_seconds_after_finished: whole_seconds(*m.ttl),
        template: PodTemplate {
            metadata: pod_meta(&owner.pod, &labels),
            spec,
        },
    };
    let mut meta = meta(
        ctx,
        &migrations_name(&owner.name, &job_spec),
        &ctx.namespace,
        &labels,
    );
    meta.annotations
        .insert("argocd.argoproj.io/sync-wave".into(), "-1".into());
    meta.annotations
        .insert("argocd.argoproj.io/hook".into(), "Sync".into());
    // The chart's Helm hook is deleted before its next creation too; it is
    // also deleted on success, which would drop the logs the TTL keeps.
    meta.annotations.insert(
        "argocd.argoproj.io/hook-delete-policy".into(),
        "BeforeHookCreation".into(),
    );
    out.push(Object {
        resource: std::sync::Arc::new(Resource::Job(Box::new(Job {
            api_version: "batch/v1",
            kind: "Job",
            metadata: meta,
            spec: job_spec,
        }))),
        origin: owner.header,
    });
}

fn path_type(p: PathType) -> &'static str {
    match p {
        PathType::Exact => "Exact",
        PathType::ImplementationSpecific => "ImplementationSpecific",
        PathType::Prefix => "Prefix",
    }
}

fn ingress(ctx: &Ctx, c: &Component, s: &Server, labels: &Labels, i: &UserIngress) -> Object {
    let host = i.host.value.clone();
    let mut meta = meta(ctx, &c.name, &ctx.namespace, labels);
    meta.annotations.extend(strings(&i.annotations));
    let mut tls = Vec::new();
    if let Some(secret) = &i.tls {
        tls.push(IngressTls {
            hosts: vec![host.clone()],
            secret_name: secret.name.clone(),
        });
    }
    for t in i.extra_tls.iter() {
        tls.push(IngressTls {
            hosts: owned(&t.hosts),
            secret_name: t.secret.name.clone(),
        });
    }
    let backend = IngressBackend {
        service: IngressBackendService {
            name: c.name.clone(),
            port: IngressPort {
                name: s.service.port_name.value.clone(),
            },
        },
    };
    let path = |path: &Located<String>, kind: &Located<PathType>| IngressPath {
        path: path.value.clone(),
        path_type: path_type(kind.value),
        backend: backend.clone(),
    };
    let mut paths = vec![path(&i.path, &i.path_type)];
    paths.extend(i.extra_paths.iter().map(|p| path(&p.path, &p.path_type)));
    let mut rules = vec![IngressRule {
        host,
        http: IngressHttp { paths },
    }];
    for h in i.extra_hosts.iter() {
        rules.push(IngressRule {
            host: h.host.value.clone(),
            http: IngressHttp {
                paths: vec![path(&h.path, &h.path_type)],
            },
        });
    }
    Object {
        resource: std::sync::Arc::new(Resource::Ingress(Box::new(Ingress {
            api_version: "networking.k8s.io/v1",
            kind: "Ingress",
            metadata: meta,
            spec: IngressSpec {
                ingress_class_name: i.class.as_ref().map(|c| c.value.clone()),
                tls,
                rules,
            },
        }))),
        origin: c.header,
    }
}

#[cfg(test)]
mod tests {
    use super::migrations_base_name;

    #[test]
    fn migrations_names_fit_a_label_value() {
        assert_eq!(migrations_base_name("prefect"), "prefect-db-migrations");
        let long = format!("{}-{}", "a".repeat(39), "b".repeat(23));
        let base = migrations_base_name(&long);
        assert_eq!(base, format!("{}-db-migrations", "a".repeat(39)));
        assert!(base.len() + 9 <= 63);
        assert_eq!(migrations_base_name(&"c".repeat(63)).len() + 9, 63);
    }
}
