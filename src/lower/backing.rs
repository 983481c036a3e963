//! Backing services a development site can run next to its server:
//! `database = postgres.in-cluster { … }` and
//! `messaging = redis.in-cluster { … }`. Each is a single-replica
//! StatefulSet with a headless and a client Service. Unlike the charts'
//! bundled Bitnami subcharts, their passwords are never generated or written
//! by prefectc: they come from Secrets the user creates, and the data is
//! persistent by default.

use super::Ctx;
use super::k8s::*;
use super::pod::{self, env, env_from_typed, tracked};
use crate::check::model::{Component, Rec, TVal};

/// The port PostgreSQL listens on.
pub const POSTGRES_PORT: i64 = 5432;
/// The port Redis listens on.
pub const REDIS_PORT: i64 = 6379;

/// The in-cluster DNS name of a server's backing service `suffix`.
fn host(ctx: &Ctx, server: &Component, suffix: &str) -> String {
    format!(
        "{}-{suffix}.{}.svc.cluster.local",
        server.name, ctx.namespace
    )
}

/// The host of a server's in-cluster PostgreSQL.
pub fn postgres_host(ctx: &Ctx, server: &Component) -> String {
    host(ctx, server, "postgresql")
}

/// The host of a server's in-cluster Redis.
pub fn redis_host(ctx: &Ctx, server: &Component) -> String {
    host(ctx, server, "redis")
}
/// One backing service: what differs between PostgreSQL and Redis.
struct Backing<'a> {
    /// `postgresql` or `redis`: the object name suffix and the app label.
    app: &'static str,
    port_name: &'static str,
    port: i64,
    /// The `postgres.in-cluster` or `redis.in-cluster` record.
    spec: &'a Rec,
    args: Vec<String>,
    env: Vec<EnvVar>,
    /// Where the data volume is mounted.
    data_dir: &'static str,
    /// Writable directories besides `/tmp`, as (path, scratch sub-path).
    scratch: &'static [(&'static str, &'static str)],
    probe: Vec<String>,
    /// Size of the volume when `size` is unset.
    default_size: &'static str,
}

fn service(
    ctx: &Ctx,
    c: &Component,
    (port_name, port): (&str, i64),
    name: &str,
    labels: &Labels,
    headless: bool,
) -> Object {
    Object {
        resource: Resource::Service(Service {
            api_version: "v1",
            kind: "Service",
            metadata: pod::meta(ctx, name, &ctx.namespace, labels),
            spec: ServiceSpec {
                type_: "ClusterIP",
                cluster_ip: headless.then(|| "None".to_string()),
                publish_not_ready_addresses: headless.then_some(true),
                selector: pod::selector(
                    &labels["app.kubernetes.io/name"],
                    &labels["app.kubernetes.io/instance"],
                    &labels["app.kubernetes.io/component"],
                ),
                ports: vec![ServicePort {
                    name: port_name.into(),
                    port,
                    target_port: IntOrString::Str(port_name.into()),
                    protocol: "TCP",
                    ..ServicePort::default()
                }],
                ..ServiceSpec::default()
            },
        }),
        origin: c.header,
    }
}

fn exec_probe(command: &[String], initial: i64) -> Probe {
    Probe {
        exec: Some(ExecAction {
            command: command.to_vec(),
        }),
        failure_threshold: 6,
        ..Probe::every_10s(initial)
    }
}

fn mount(name: &str, path: &str) -> VolumeMount {
    VolumeMount {
        name: name.into(),
        mount_path: path.into(),
        sub_path: None,
        read_only: false,
    }
}

/// The StatefulSet, its headless Service and its client Service.
fn lower(ctx: &Ctx, c: &Component, b: Backing, out: &mut Vec<Object>) {
    let name = format!("{}-{}", c.name, b.app);
    let image_field = b.spec.get("image").expect("image has a default");
    let image = tracked(
        b.spec.str("image").unwrap_or_default().to_string(),
        image_field,
    );
    let labels = pod::labels(
        ctx,
        b.app,
        &c.name,
        b.app,
        &pod::image_version(&image.value),
    );
    let sec = c.fields.record("security").expect("security has a default");
    let persistent = b.spec.bool("persistence") != Some(false);
    let port = (b.port_name, b.port);

    let mut mounts = vec![mount("data", b.data_dir)];
    for (path, sub) in b.scratch {
        mounts.push(pod::scratch_mount(path, sub));
    }
    mounts.push(pod::scratch_mount("/tmp", "tmp"));
    let mut volumes = vec![pod::scratch_volume()];
    if b.app == "postgresql" {
        // PostgreSQL's shared memory outgrows the runtime's 64 MiB /dev/shm.
        mounts.push(mount("dshm", "/dev/shm"));
        volumes.push(Volume {
            name: "dshm".into(),
            empty_dir: Some(EmptyDir {
                medium: Some("Memory"),
                size_limit: None,
            }),
            ..Volume::default()
        });
    }
    let container = Container {
        name: b.app.into(),
        image,
        image_pull_policy: Tracked {
            value: "IfNotPresent",
            prov: pod::derived(c, "image-pull-policy"),
        },
        command: Vec::new(),
        args: b.args,
        working_dir: None,
        ports: vec![ContainerPort {
            name: b.port_name.into(),
            container_port: b.port,
            host_port: None,
            protocol: "TCP",
        }],
        env: b.env,
        env_from: Vec::new(),
        resources: pod::resources(b.spec.get("resources").expect("resources have a default")),
        security_context: pod::container_security(ctx, sec, None),
        startup_probe: None,
        liveness_probe: Some(exec_probe(&b.probe, 30)),
        readiness_probe: Some(exec_probe(&b.probe, 5)),
        lifecycle: None,
        volume_mounts: mounts,
        restart_policy: None,
        prov: None,
    };
    let mut claims = Vec::new();
    if persistent {
        let size = match b.spec.get("size").map(|t| &t.value) {
            Some(TVal::Memory(q)) => q.text.clone(),
            _ => b.default_size.into(),
        };
        let mut requests = Labels::new();
        requests.insert("storage".into(), size);
        claims.push(ClaimTemplate {
            metadata: ClaimMeta {
                name: "data".into(),
            },
            spec: PvcSpec {
                access_modes: vec!["ReadWriteOnce"],
                storage_class_name: b.spec.str("storage-class").map(str::to_string),
                resources: PvcResources { requests },
            },
        });
    } else {
        volumes.push(Volume {
            name: "data".into(),
            empty_dir: Some(EmptyDir {
                medium: None,
                size_limit: None,
            }),
            ..Volume::default()
        });
    }
    let spec = PodSpec {
        service_account_name: pod::service_account_name(c),
        automount_service_account_token: Tracked {
            value: false,
            prov: pod::derived(c, "automount-service-account-token"),
        },
        host_network: None,
        host_pid: None,
        host_ipc: None,
        restart_policy: None,
        security_context: pod::pod_security(ctx, sec),
        image_pull_secrets: pod::pull_secrets(ctx),
        node_selector: pod::string_map(c, "node-selector"),
        tolerations: pod::tolerations(c),
        scheduling: Scheduling::default(),
        dns_policy: None,
        dns_config: None,
        init_containers: Vec::new(),
        containers: vec![container],
        volumes,
    };
    let headless = format!("{name}-hl");
    out.push(service(ctx, c, port, &headless, &labels, true));
    out.push(service(ctx, c, port, &name, &labels, false));
    out.push(Object {
        resource: Resource::StatefulSet(StatefulSet {
            api_version: "apps/v1",
            kind: "StatefulSet",
            metadata: pod::meta(ctx, &name, &ctx.namespace, &labels),
            spec: StatefulSetSpec {
                replicas: 1,
                service_name: headless,
                selector: LabelSelector {
                    match_labels: pod::selector(
                        &labels["app.kubernetes.io/name"],
                        &labels["app.kubernetes.io/instance"],
                        &labels["app.kubernetes.io/component"],
                    ),
                },
                template: PodTemplate {
                    metadata: PodMeta {
                        labels: labels.clone(),
                        annotations: Labels::new(),
                    },
                    spec,
                },
                volume_claim_templates: claims,
            },
        }),
        origin: c.header,
    });
}

/// `database = postgres.in-cluster { … }`.
pub fn postgres(ctx: &Ctx, c: &Component, db: &Rec, out: &mut Vec<Object>) {
    let user = db.str("user").unwrap_or("prefect");
    let database = db.str("name").unwrap_or("prefect");
    let data_dir = "/var/lib/postgresql/data";
    let env = vec![
        env("POSTGRES_USER", user),
        env("POSTGRES_DB", database),
        env("PGDATA", format!("{data_dir}/pgdata")),
        env_from_typed(
            "POSTGRES_PASSWORD",
            db.get("password").expect("password is required"),
        ),
    ];
    let probe = pod::strings(&[
        "pg_isready",
        "-U",
        user,
        "-d",
        &format!("dbname={database}"),
        "-h",
        "127.0.0.1",
        "-p",
        &POSTGRES_PORT.to_string(),
    ]);
    lower(
        ctx,
        c,
        Backing {
            app: "postgresql",
            port_name: "tcp-postgresql",
            port: POSTGRES_PORT,
            spec: db,
            args: Vec::new(),
            env,
            data_dir,
            scratch: &[("/var/run/postgresql", "run")],
            probe,
            default_size: "8Gi",
        },
        out,
    );
}

/// `messaging = redis.in-cluster { … }`: Redis with a password and an
/// append-only file on the data volume.
pub fn redis(ctx: &Ctx, c: &Component, r: &Rec, out: &mut Vec<Object>) {
    let password = r.get("password").expect("password is required");
    // redis-cli reads the password from REDISCLI_AUTH, so it never shows in
    // a process list.
    let env = vec![
        env_from_typed("REDIS_PASSWORD", password),
        env_from_typed("REDISCLI_AUTH", password),
    ];
    let args = pod::strings(&[
        "--requirepass",
        "$(REDIS_PASSWORD)",
        "--appendonly",
        "yes",
        "--dir",
        "/data",
        "--port",
        &REDIS_PORT.to_string(),
    ]);
    lower(
        ctx,
        c,
        Backing {
            app: "redis",
            port_name: "tcp-redis",
            port: REDIS_PORT,
            spec: r,
            args,
            env,
            data_dir: "/data",
            scratch: &[],
            probe: pod::strings(&["redis-cli", "ping"]),
            default_size: "1Gi",
        },
        out,
    );
}
