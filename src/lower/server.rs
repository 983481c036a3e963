//! `server`: the API Deployment, its Service and ServiceAccount, the SQLite
//! volume, background services, migrations, exposure, autoscaling and PDB.

use serde_json::json;

use super::Ctx;
use super::backing;
use super::k8s::*;
use super::pod::{self, env, env_from_typed, tracked};
use crate::check::model::{Component, Rec, TVal};

const APP: &str = "prefect-server";

fn port(c: &Component) -> i64 {
    c.fields.int("port").unwrap_or(4200)
}

fn base_path(c: &Component) -> String {
    let p = c.fields.str("base-path").unwrap_or("/api");
    format!("/{}", p.trim_matches('/'))
}

/// The in-cluster API URL of a server.
pub fn api_url(ctx: &Ctx, c: &Component) -> String {
    format!(
        "http://{}.{}.svc.cluster.local:{}{}",
        c.name,
        ctx.namespace,
        port(c),
        base_path(c)
    )
}

fn ui_api_url(c: &Component) -> String {
    let ui = c.fields.record("ui");
    if let Some(u) = ui.and_then(|u| u.str("api-url")) {
        return u.to_string();
    }
    if let Some(host) = c.fields.record("ingress").and_then(|i| i.str("host")) {
        return format!("https://{host}{}", base_path(c));
    }
    if let Some(host) = c
        .fields
        .record("gateway")
        .and_then(|g| g.strings("hostnames").first().map(|h| h.to_string()))
    {
        return format!("https://{host}{}", base_path(c));
    }
    format!("http://localhost:{}{}", port(c), base_path(c))
}

/// The environment that points Prefect at its database.
fn database_env(ctx: &Ctx, c: &Component) -> Vec<EnvVar> {
    let Some((tag, db)) = c.fields.variant("database") else {
        return Vec::new();
    };
    let TVal::Record(r) = &db.value else {
        return Vec::new();
    };
    match tag {
        "sqlite" => vec![env(
            "PREFECT_SERVER_DATABASE_CONNECTION_URL",
            "sqlite+aiosqlite:////data/prefect.db",
        )],
        _ => {
            if let Some(url) = r.get("url") {
                return vec![env_from_typed(
                    "PREFECT_SERVER_DATABASE_CONNECTION_URL",
                    url,
                )];
            }
            // Prefect assembles the URL from its parts, so the password is never
            // spliced into a string by us.
            let in_cluster = tag == "postgres.in-cluster";
            let (host, port) = if in_cluster {
                (backing::postgres_host(ctx, c), backing::POSTGRES_PORT)
            } else {
                (
                    r.str("host").unwrap_or_default().to_string(),
                    r.int("port").unwrap_or(5432),
                )
            };
            let mut v = vec![
                env(
                    "PREFECT_SERVER_DATABASE_DRIVER",
                    r.str("driver").unwrap_or("postgresql+asyncpg"),
                ),
                env("PREFECT_SERVER_DATABASE_HOST", host),
                env("PREFECT_SERVER_DATABASE_PORT", port.to_string()),
                env(
                    "PREFECT_SERVER_DATABASE_NAME",
                    r.str("name").unwrap_or("prefect"),
                ),
            ];
            match r.get("user") {
                Some(u) => v.push(env_from_typed("PREFECT_SERVER_DATABASE_USER", u)),
                None => v.push(env("PREFECT_SERVER_DATABASE_USER", "prefect")),
            }
            if let Some(p) = r.get("password") {
                v.push(env_from_typed("PREFECT_SERVER_DATABASE_PASSWORD", p));
            }
            v
        }
    }
}

/// The settings of separate background services, shared by the API and the
/// services' Deployment: migrations run elsewhere, then messaging.
fn split_env(ctx: &Ctx, c: &Component, bg: &Rec) -> Vec<EnvVar> {
    let mut v = vec![env("PREFECT_SERVER_DATABASE_MIGRATE_ON_START", "false")];
    v.extend(messaging_env(ctx, c, bg));
    v
}

/// Messaging and Docket settings, wherever the services run: written
/// `background-services { messaging = redis { … } }` reaches the API pods
/// even when the services run inside them.
fn messaging_env(ctx: &Ctx, c: &Component, bg: &Rec) -> Vec<EnvVar> {
    let mut v = Vec::new();
    if let Some((tag, redis)) = bg.variant("messaging")
        && let TVal::Record(r) = &redis.value
    {
        let in_cluster = tag == "redis.in-cluster";
        v.push(env("PREFECT_MESSAGING_BROKER", "prefect_redis.messaging"));
        v.push(env("PREFECT_MESSAGING_CACHE", "prefect_redis.messaging"));
        v.push(env(
            "PREFECT_SERVER_EVENTS_CAUSAL_ORDERING",
            "prefect_redis.ordering",
        ));
        v.push(env(
            "PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE",
            "prefect_redis.lease_storage",
        ));
        let (host, port) = if in_cluster {
            (backing::redis_host(ctx, c), backing::REDIS_PORT)
        } else {
            (
                r.str("host").unwrap_or_default().to_string(),
                r.int("port").unwrap_or(6379),
            )
        };
        v.push(env("PREFECT_REDIS_MESSAGING_HOST", host));
        v.push(env("PREFECT_REDIS_MESSAGING_PORT", port.to_string()));
        if r.bool("ssl") == Some(true) {
            v.push(env("PREFECT_REDIS_MESSAGING_SSL", "true"));
        }
        v.push(env(
            "PREFECT_REDIS_MESSAGING_DB",
            r.int("db").unwrap_or(0).to_string(),
        ));
        if let Some(u) = r.str("user") {
            v.push(env("PREFECT_REDIS_MESSAGING_USERNAME", u));
        }
        if let Some(p) = r.get("password") {
            v.push(env_from_typed("PREFECT_REDIS_MESSAGING_PASSWORD", p));
        }
    }
    if let Some(d) = bg.get("docket-url") {
        v.push(env_from_typed("PREFECT_SERVER_DOCKET_URL", d));
    }
    v
}

/// An HTTP probe of the API, timed by `probes.<which>`; `None` when it is
/// switched off.
fn probe(c: &Component, which: &str, path: String, port: i64) -> Option<Probe> {
    let t = c.fields.record("probes").and_then(|p| p.record(which))?;
    if t.bool("enabled") == Some(false) {
        return None;
    }
    let secs =
        |name: &str, default: u64| pod::whole_seconds(t.duration_ms(name).unwrap_or(default));
    Some(Probe {
        http_get: Some(HttpGet {
            path,
            port: IntOrString::Int(port),
            host: None,
        }),
        initial_delay_seconds: secs("initial-delay", 10_000),
        period_seconds: secs("period", 10_000),
        timeout_seconds: secs("timeout", 5_000),
        failure_threshold: t.int("failure-threshold").unwrap_or(3),
        // Only readiness probes may set it (checked: E0305 for the others).
        success_threshold: t.int("success-threshold").unwrap_or(1),
        ..Probe::every_10s(0)
    })
}

pub fn lower_server(ctx: &Ctx, c: &Component, out: &mut Vec<Object>) {
    let f = &c.fields;
    let image = pod::image(ctx, c, false);
    let version = pod::image_version(&image.value);
    let labels = pod::labels(ctx, APP, &c.name, "server", &version);
    let sec = f.record("security").expect("security has a default");
    let bg = f
        .record("background-services")
        .expect("background-services has a default");
    let split = bg.bool("separate") == Some(true);
    let sqlite = matches!(f.variant("database"), Some(("sqlite", _)));
    let port = port(c);
    let base = base_path(c);
    let ui = f.record("ui").expect("ui has a default");
    let static_dir = ui
        .str("static-directory")
        .unwrap_or("/ui_build")
        .to_string();
    let no_token = Tracked {
        value: false,
        prov: pod::derived(c, "automount-service-account-token"),
    };

    out.extend(pod::service_account(ctx, c, &labels, no_token.clone()));

    out.push(pod::service(ctx, c, &labels, port));

    // The environment, in the chart's order.
    let mut vars = vec![
        env("HOME", pod::HOME),
        env(
            "PREFECT_DEBUG_MODE",
            pod::bool_text(f.bool("debug") == Some(true)),
        ),
        env(
            "PREFECT_LOGGING_SERVER_LEVEL",
            f.enum_("log-level").unwrap_or("warning").to_uppercase(),
        ),
        env("PREFECT_SERVER_API_BASE_PATH", base.clone()),
        env("PREFECT_SERVER_API_HOST", "0.0.0.0"),
        env("PREFECT_SERVER_API_PORT", port.to_string()),
        env("PREFECT_UI_API_URL", ui_api_url(c)),
        env("PREFECT_UI_STATIC_DIRECTORY", static_dir.clone()),
    ];
    if ui.bool("enabled") == Some(false) {
        vars.push(env("PREFECT_UI_ENABLED", "false"));
    }
    let db_env = database_env(ctx, c);
    vars.extend(db_env.iter().cloned());
    if let Some(("basic", b)) = f.variant("auth")
        && let TVal::Record(r) = &b.value
    {
        vars.push(env_from_typed(
            "PREFECT_SERVER_API_AUTH_STRING",
            r.get("credentials").expect("credentials are required"),
        ));
    }
    pod::user_env(&mut vars, c);
    let split_vars = if split {
        split_env(ctx, c, bg)
    } else {
        messaging_env(ctx, c, bg)
    };
    vars.extend(split_vars.iter().cloned());

    let mut args = pod::strings(&["prefect", "server", "start"]);
    if split {
        args.push("--no-services".into());
    }
    args.extend(["--port".to_string(), port.to_string()]);

    let mut mounts = vec![
        pod::scratch_mount(pod::HOME, "home"),
        pod::scratch_mount("/tmp", "tmp"),
        pod::scratch_mount(&static_dir, "ui-build"),
    ];
    if sqlite {
        mounts.push(VolumeMount {
            name: "data".into(),
            mount_path: "/data".into(),
            sub_path: None,
            read_only: false,
        });
    }
    let mut container = Container {
        name: "prefect-server".into(),
        image: image.clone(),
        image_pull_policy: pod::pull_policy(c),
        command: pod::tini(),
        args,
        working_dir: Some(pod::HOME.into()),
        ports: vec![ContainerPort {
            name: pod::port_name(c),
            container_port: port,
            host_port: None,
            protocol: "TCP",
        }],
        env: vars,
        env_from: Vec::new(),
        resources: pod::resources(f.get("resources").expect("resources have a default")),
        security_context: pod::container_security(ctx, sec, None),
        startup_probe: probe(c, "startup", format!("{base}/health"), port),
        liveness_probe: probe(c, "liveness", format!("{base}/health"), port),
        readiness_probe: probe(c, "readiness", format!("{base}/ready"), port),
        lifecycle: None,
        volume_mounts: mounts,
        restart_policy: None,
        prov: None,
    };
    pod::override_main(c, &mut container);
    let mut spec = pod::pod_spec(ctx, c, no_token.clone(), vec![container]);
    pod::extra_containers(ctx, c, &mut spec);
    if sqlite {
        spec.volumes.push(Volume {
            name: "data".into(),
            persistent_volume_claim: Some(PvcSource {
                claim_name: format!("{}-sqlite", c.name),
                read_only: false,
            }),
            ..Volume::default()
        });
        out.push(sqlite_pvc(ctx, c, &labels));
    }
    let replicas = if f.get("autoscaling").is_some() {
        None
    } else {
        f.get("replicas")
            .map(|t| tracked(f.int("replicas").unwrap_or(1), t))
    };
    // SQLite's ReadWriteOnce volume cannot be attached to a second pod during a rolling update.
    out.push(pod::deployment(
        ctx, c, &c.name, &labels, replicas, sqlite, spec,
    ));

    if let Some(("postgres.in-cluster", db)) = f.variant("database")
        && let TVal::Record(r) = &db.value
    {
        backing::postgres(ctx, c, r, out);
    }
    if let Some(("redis.in-cluster", redis)) = bg.variant("messaging")
        && let TVal::Record(r) = &redis.value
    {
        backing::redis(ctx, c, r, out);
    }
    if split {
        lower_background_services(ctx, c, bg, &image, &db_env, &split_vars, out);
        lower_migrations(ctx, c, &image, &db_env, out);
    }
    if let Some(a) = f.record("autoscaling") {
        out.push(pod::autoscaler(ctx, c, &labels, a));
    }
    if let Some(d) = f.record("disruption") {
        out.push(pod::disruption_budget(ctx, c, &labels, d));
    }
    if let Some(i) = f.record("ingress") {
        out.push(ingress(ctx, c, &labels, i));
    }
    if let Some(g) = f.record("gateway") {
        gateway(ctx, c, &labels, g, port, out);
    }
}

fn sqlite_pvc(ctx: &Ctx, c: &Component, labels: &Labels) -> Object {
    let (_, db) = c.fields.variant("database").expect("checked: a database");
    let TVal::Record(r) = &db.value else {
        unreachable!("sqlite is a record")
    };
    let size = match r.get("size").map(|t| &t.value) {
        Some(TVal::Memory(q)) => q.text.clone(),
        _ => "1Gi".into(),
    };
    let mut requests = Labels::new();
    requests.insert("storage".into(), size);
    Object {
        resource: Resource::PersistentVolumeClaim(PersistentVolumeClaim {
            api_version: "v1",
            kind: "PersistentVolumeClaim",
            metadata: pod::meta(ctx, &format!("{}-sqlite", c.name), &ctx.namespace, labels),
            spec: PvcSpec {
                access_modes: vec!["ReadWriteOnce"],
                storage_class_name: r.str("storage-class").map(str::to_string),
                resources: PvcResources { requests },
            },
        }),
        origin: c.header,
    }
}

fn lower_background_services(
    ctx: &Ctx,
    c: &Component,
    bg: &Rec,
    image: &Tracked<String>,
    db_env: &[EnvVar],
    split_vars: &[EnvVar],
    out: &mut Vec<Object>,
) {
    let f = &c.fields;
    let name = format!("{}-background-services", c.name);
    // The services run as a component of their own: the server's settings,
    // overridden or extended by those of `background-services`, and a
    // ServiceAccount of their own.
    let mut own = c.clone();
    own.name = name.clone();
    for field in [
        "security",
        "node-selector",
        "tolerations",
        "service-account-annotations",
    ] {
        if let Some(t) = bg.get(field) {
            own.fields.fields.insert(field.into(), t.clone());
        }
    }
    for field in ["pod-labels", "pod-annotations"] {
        if let (Some(TVal::Map(mine)), Some(TVal::Map(theirs))) = (
            bg.get(field).map(|t| &t.value),
            own.fields.get(field).map(|t| &t.value),
        ) {
            let mut merged = theirs.clone();
            merged.extend(mine.iter().map(|(k, v)| (k.clone(), v.clone())));
            let mut t = own.fields.get(field).expect("checked above").clone();
            t.value = TVal::Map(merged);
            own.fields.fields.insert(field.into(), t);
        }
    }
    let labels = pod::labels(
        ctx,
        APP,
        &c.name,
        "background-services",
        &pod::image_version(&image.value),
    );
    let c = &own;
    let mut vars = vec![
        env("HOME", pod::HOME),
        env(
            "PREFECT_DEBUG_MODE",
            pod::bool_text(f.bool("debug") == Some(true)),
        ),
        env(
            "PREFECT_LOGGING_SERVER_LEVEL",
            f.enum_("log-level").unwrap_or("warning").to_uppercase(),
        ),
        env("PREFECT_UI_ENABLED", "false"),
    ];
    vars.extend(db_env.iter().cloned());
    vars.extend(split_vars.iter().cloned());
    pod::user_env(&mut vars, c);
    pod::merge_env(&mut vars, bg, "env");
    let mut container = pod::prefect_container(
        ctx,
        c,
        "prefect-background-services",
        image.clone(),
        pod::strings(&["prefect", "server", "services", "start"]),
        vars,
        bg,
    );
    // The services serve no health endpoint: check that they still run.
    container.liveness_probe = Some(pod::process_probe("services"));
    container.readiness_probe = Some(pod::process_probe("services"));
    let no_token = Tracked {
        value: false,
        prov: pod::derived(c, "automount-service-account-token"),
    };
    out.extend(pod::service_account(ctx, c, &labels, no_token.clone()));
    let spec = pod::pod_spec(ctx, c, no_token, vec![container]);
    let replicas = bg
        .get("replicas")
        .map(|t| tracked(bg.int("replicas").unwrap_or(1), t));
    out.push(pod::deployment(
        ctx, c, &name, &labels, replicas, false, spec,
    ));
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
    let hash = super::worker::fnv1a(rendered.as_bytes());
    format!("{}-{:08x}", migrations_base_name(server), hash >> 32)
}

/// The migrations Job. Argo CD sync waves order it after the database
/// settings and before the server Deployment, as a `Sync` hook that is
/// deleted before its next run; `kubectl apply` users run it first (see
/// docs/language.md and docs/gitops.md).
fn lower_migrations(
    ctx: &Ctx,
    c: &Component,
    image: &Tracked<String>,
    db_env: &[EnvVar],
    out: &mut Vec<Object>,
) {
    let labels = pod::labels(
        ctx,
        APP,
        &c.name,
        "migrations",
        &pod::image_version(&image.value),
    );
    let m = c
        .fields
        .record("migrations")
        .expect("migrations have a default");
    let mut vars = db_env.to_vec();
    vars.push(env("HOME", pod::HOME));
    pod::user_env(&mut vars, c);
    pod::merge_env(&mut vars, m, "env");
    let mut container = pod::prefect_container(
        ctx,
        c,
        "prefect-migrations",
        image.clone(),
        pod::strings(&["prefect", "server", "database", "upgrade", "-y"]),
        vars,
        m,
    );
    if m.get("command").is_some() {
        container.command = m.strings("command").into_iter().map(String::from).collect();
        container.args = Vec::new();
    }
    let no_token = Tracked {
        value: false,
        prov: pod::derived(c, "automount-service-account-token"),
    };
    let mut spec = pod::pod_spec(ctx, c, no_token, vec![container]);
    spec.restart_policy = Some("OnFailure");
    let job_spec = JobSpec {
        backoff_limit: m.int("backoff-limit").unwrap_or(5),
        active_deadline_seconds: pod::whole_seconds(m.duration_ms("deadline").unwrap_or(300_000)),
        ttl_seconds_after_finished: pod::whole_seconds(m.duration_ms("ttl").unwrap_or(3_600_000)),
        template: PodTemplate {
            metadata: pod::pod_meta(c, &labels),
            spec,
        },
    };
    let mut meta = pod::meta(
        ctx,
        &migrations_name(&c.name, &job_spec),
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
        resource: Resource::Job(Job {
            api_version: "batch/v1",
            kind: "Job",
            metadata: meta,
            spec: job_spec,
        }),
        origin: c.header,
    });
}

fn path_type(r: &Rec) -> &'static str {
    match r.enum_("path-type") {
        Some("exact") => "Exact",
        Some("implementation-specific") => "ImplementationSpecific",
        _ => "Prefix",
    }
}

fn annotate(meta: &mut ObjectMeta, r: &Rec, field: &str) {
    for (k, v) in r.map(field).into_iter().flatten() {
        if let TVal::Str(s) = &v.value {
            meta.annotations.insert(k.clone(), s.clone());
        }
    }
}

fn ingress(ctx: &Ctx, c: &Component, labels: &Labels, i: &Rec) -> Object {
    let host = i.str("host").unwrap_or_default().to_string();
    let mut meta = pod::meta(ctx, &c.name, &ctx.namespace, labels);
    annotate(&mut meta, i, "annotations");
    let mut tls = Vec::new();
    if let Some(TVal::Secret { name, .. }) = i.get("tls").map(|t| &t.value) {
        tls.push(IngressTls {
            hosts: vec![host.clone()],
            secret_name: name.clone(),
        });
    }
    for t in i.list("extra-tls") {
        if let TVal::Record(r) = &t.value
            && let Some(TVal::Secret { name, .. }) = r.get("secret").map(|s| &s.value)
        {
            tls.push(IngressTls {
                hosts: r.strings("hosts").into_iter().map(String::from).collect(),
                secret_name: name.clone(),
            });
        }
    }
    let backend = IngressBackend {
        service: IngressBackendService {
            name: c.name.clone(),
            port: IngressPort {
                name: pod::port_name(c),
            },
        },
    };
    let path = |r: &Rec| IngressPath {
        path: r.str("path").unwrap_or("/").to_string(),
        path_type: path_type(r),
        backend: backend.clone(),
    };
    let mut paths = vec![path(i)];
    paths.extend(i.list("extra-paths").iter().filter_map(|t| match &t.value {
        TVal::Record(r) => Some(path(r)),
        _ => None,
    }));
    let mut rules = vec![IngressRule {
        host,
        http: IngressHttp { paths },
    }];
    for t in i.list("extra-hosts") {
        if let TVal::Record(r) = &t.value {
            rules.push(IngressRule {
                host: r.str("host").unwrap_or_default().to_string(),
                http: IngressHttp {
                    paths: vec![path(r)],
                },
            });
        }
    }
    Object {
        resource: Resource::Ingress(Ingress {
            api_version: "networking.k8s.io/v1",
            kind: "Ingress",
            metadata: meta,
            spec: IngressSpec {
                ingress_class_name: i.str("class").map(str::to_string),
                tls,
                rules,
            },
        }),
        origin: c.header,
    }
}

fn listener(
    name: &str,
    port: i64,
    protocol: &str,
    hostname: Option<&str>,
    tls: Option<&str>,
) -> serde_json::Value {
    let mut l = json!({"name": name, "port": port, "protocol": protocol});
    if let Some(h) = hostname {
        l["hostname"] = json!(h);
    }
    if let Some(secret) = tls {
        l["tls"] =
            json!({"mode": "Terminate", "certificateRefs": [{"kind": "Secret", "name": secret}]});
    }
    l
}

fn secret_name(t: Option<&crate::check::model::Typed>) -> Option<&str> {
    match t.map(|t| &t.value) {
        Some(TVal::Secret { name, .. }) => Some(name.as_str()),
        _ => None,
    }
}

fn gateway(ctx: &Ctx, c: &Component, labels: &Labels, g: &Rec, port: i64, out: &mut Vec<Object>) {
    let hostnames = g.strings("hostnames");
    let tls = secret_name(g.get("tls"));
    let custom: Vec<&Rec> = g
        .list("listeners")
        .iter()
        .filter_map(|t| match &t.value {
            TVal::Record(r) => Some(r),
            _ => None,
        })
        .collect();
    // Whether the Gateway serves HTTPS, and so whether plain HTTP redirects.
    let https = tls.is_some() || custom.iter().any(|l| l.enum_("protocol") == Some("https"));
    let (parent, section) = if let Some(class) = g.str("class") {
        let listeners: Vec<serde_json::Value> = if custom.is_empty() {
            let mut l = vec![listener("http", 80, "HTTP", None, None)];
            if let Some(secret) = tls {
                l.push(listener("https", 443, "HTTPS", None, Some(secret)));
            }
            l
        } else {
            custom
                .iter()
                .map(|l| {
                    listener(
                        l.str("name").unwrap_or_default(),
                        l.int("port").unwrap_or_default(),
                        if l.enum_("protocol") == Some("https") {
                            "HTTPS"
                        } else {
                            "HTTP"
                        },
                        l.str("hostname"),
                        secret_name(l.get("tls")),
                    )
                })
                .collect()
        };
        let mut meta = pod::meta(ctx, &c.name, &ctx.namespace, labels);
        for (k, v) in g.map("labels").into_iter().flatten() {
            if let TVal::Str(s) = &v.value {
                meta.labels.insert(k.clone(), s.clone());
            }
        }
        annotate(&mut meta, g, "annotations");
        out.push(Object {
            resource: Resource::Generic(Generic {
                api_version: "gateway.networking.k8s.io/v1",
                kind: "Gateway",
                metadata: meta,
                spec: json!({"gatewayClassName": class, "listeners": listeners}),
            }),
            origin: c.header,
        });
        let section = g
            .str("section")
            .map(str::to_string)
            .or_else(|| https.then(|| "https".to_string()));
        (json!({"name": c.name}), section)
    } else {
        let mut p = json!({"name": g.str("name").unwrap_or_default()});
        if let Some(ns) = g.str("namespace") {
            p["namespace"] = json!(ns);
        }
        (p, g.str("section").map(str::to_string))
    };
    let route_meta = |name: &str| {
        let mut meta = pod::meta(ctx, name, &ctx.namespace, labels);
        for (k, v) in g.map("route-labels").into_iter().flatten() {
            if let TVal::Str(s) = &v.value {
                meta.labels.insert(k.clone(), s.clone());
            }
        }
        annotate(&mut meta, g, "route-annotations");
        meta
    };
    let parent_at = |section: Option<&str>| {
        let mut p = parent.clone();
        if let Some(s) = section {
            p["sectionName"] = json!(s);
        }
        p
    };
    let mut spec = json!({
        "parentRefs": [parent_at(section.as_deref())],
        "rules": [{
            "matches": [{"path": {"type": "PathPrefix", "value": g.str("path").unwrap_or("/")}}],
            "backendRefs": [{"name": c.name, "port": port}],
        }],
    });
    if !hostnames.is_empty() {
        spec["hostnames"] = json!(hostnames);
    }
    out.push(Object {
        resource: Resource::Generic(Generic {
            api_version: "gateway.networking.k8s.io/v1",
            kind: "HTTPRoute",
            metadata: route_meta(&c.name),
            spec,
        }),
        origin: c.header,
    });
    // Plain HTTP answers with a redirect once the Gateway serves HTTPS.
    if https && g.bool("redirect-to-https") != Some(false) && g.str("class").is_some() {
        let mut redirect = json!({
            "parentRefs": [parent_at(Some("http"))],
            "rules": [{"filters": [{"type": "RequestRedirect", "requestRedirect": {
                "scheme": "https",
                "port": g.int("redirect-port").unwrap_or(443),
                "statusCode": 301,
            }}]}],
        });
        if !hostnames.is_empty() {
            redirect["hostnames"] = json!(hostnames);
        }
        out.push(Object {
            resource: Resource::Generic(Generic {
                api_version: "gateway.networking.k8s.io/v1",
                kind: "HTTPRoute",
                metadata: route_meta(&format!("{}-tls-redirect", c.name)),
                spec: redirect,
            }),
            origin: c.header,
        });
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
