//! Backing services a development site can run next to its server:
//! `database = postgres.in-cluster { … }` and
//! `messaging = redis.in-cluster { … }`. Each is a single-replica
//! StatefulSet with a headless and a client Service. Unlike the charts'
//! bundled Bitnami subcharts, their passwords are never generated or written
//! by prefectc: they come from Secrets the user creates, and the data is
//! persistent by default.

use super::env::{env, secret_env};
use super::k8s::*;
use super::meta::{
    image_or_mirrored_default, image_version, labels, meta, pull_policy, selector_of, strings,
    strings_of, words,
};
use super::network::{self, Accept, Traffic};
use super::rbac::service_account_name;
use super::security::container_security;
use super::security::pod_security;
use super::workload::{Owner, pull_secrets, resources, scratch_mount, scratch_volume, tolerations};
use super::{Ctx, Lowered};
use crate::model::schema::{InClusterPostgres, InClusterRedis, PullPolicy, Resources};
use crate::model::{Kind, Located, Quantity};

/// `app.kubernetes.io/name` (and component) of the in-cluster PostgreSQL.
pub const POSTGRES_APP: &str = "postgresql";
/// `app.kubernetes.io/name` (and component) of the in-cluster Redis.
pub const REDIS_APP: &str = "redis";
/// The port PostgreSQL listens on.
pub const POSTGRES_PORT: i64 = 5432;
/// The port Redis listens on.
pub const REDIS_PORT: i64 = 6379;
/// The SQLAlchemy driver Prefect uses for PostgreSQL.
pub const POSTGRES_DRIVER: &str = "postgresql+asyncpg";

/// The in-cluster DNS name of server `server`'s backing service `suffix`.
fn host(ctx: &Ctx, server: &str, suffix: &str) -> String {
    format!("{server}-{suffix}.{}.svc.cluster.local", ctx.namespace)
}

/// The host of a server's in-cluster PostgreSQL.
pub fn postgres_host(ctx: &Ctx, server: &str) -> String {
    host(ctx, server, "postgresql")
}

/// The host of a server's in-cluster Redis.
pub fn redis_host(ctx: &Ctx, server: &str) -> String {
    host(ctx, server, "redis")
}
/// One backing service: what differs between PostgreSQL and Redis.
struct Backing<'a> {
    /// `postgresql` or `redis`: the object name suffix and the app label.
    app: &'static str,
    port_name: &'static str,
    port: i64,
    image: &'a Located<String>,
    pull_policy: &'a Located<PullPolicy>,
    persistence: bool,
    size: &'a Quantity,
    storage_class: Option<&'a Located<String>>,
    resources: &'a Located<Resources>,
    args: Vec<Word>,
    env: Vec<EnvVar>,
    /// Where the data volume is mounted.
    data_dir: &'static str,
    /// Writable directories besides `/tmp`, as (path, scratch sub-path).
    scratch: &'static [(&'static str, &'static str)],
    probe: Vec<String>,
}

fn service(
    ctx: &Ctx,
    owner: &Owner,
    (port_name, port): (&str, i64),
    name: &str,
    labels: &Labels,
    headless: bool,
) -> Object {
    Object {
        resource: std::sync::Arc::new(Resource::Service(Box::new(Service {
            api_version: "v1",
            kind: "Service",
            metadata: meta(ctx, name, &ctx.namespace, labels),
            spec: ServiceSpec {
                cluster_ip: headless.then(|| "None".to_string()),
                publish_not_ready_addresses: headless.then_some(true),
                selector: selector_of(ctx, labels),
                ports: vec![ServicePort {
                    name: port_name.into(),
                    port,
                    target_port: IntOrString::Str(port_name.into()),
                    protocol: "TCP",
                    ..ServicePort::default()
                }],
                ..ServiceSpec::default()
            },
        }))),
        origin: owner.header,
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

fn mount(name: &'static str, path: &'static str) -> VolumeMount {
    VolumeMount {
        name: name.into(),
        mount_path: path.into(),
        sub_path: None,
        read_only: false,
    }
}

/// The StatefulSet, its headless Service and its client Service.
fn lower(ctx: &Ctx, owner: &Owner, b: Backing, out: &mut Lowered) {
    let name = format!("{}-{}", owner.name, b.app);
    let image = image_or_mirrored_default(ctx, b.image);
    let labels = labels(ctx, b.app, &owner.name, b.app, &image_version(&image.value));
    let sec = owner.pod.security;
    let persistent = b.persistence;
    let port = (b.port_name, b.port);

    let mut mounts = vec![mount("data", b.data_dir)];
    for (path, sub) in b.scratch {
        mounts.push(scratch_mount(*path, sub));
    }
    mounts.push(scratch_mount("/tmp", "tmp"));
    let mut volumes = vec![scratch_volume()];
    if b.app == POSTGRES_APP {
        // PostgreSQL's shared memory outgrows the runtime's 64 MiB /dev/shm.
        mounts.push(mount("dshm", "/dev/shm"));
        volumes.push(Volume {
            name: "dshm".into(),
            empty_dir: Some(Box::new(EmptyDir {
                medium: Some("Memory"),
                size_limit: None,
            })),
            ..Volume::default()
        });
    }
    let container = Container {
        name: b.app.into(),
        image,
        image_pull_policy: pull_policy(b.pull_policy),
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
        resources: resources(b.resources),
        security_context: container_security(ctx, sec, None).into(),
        startup_probe: None,
        liveness_probe: Some(Box::new(exec_probe(&b.probe, 30))),
        readiness_probe: Some(Box::new(exec_probe(&b.probe, 5))),
        lifecycle: None,
        volume_mounts: mounts,
        restart_policy: None,
        prov: None,
    };
    let mut claims = Vec::new();
    if persistent {
        let mut requests = Labels::default();
        requests.insert("storage".into(), b.size.text.clone());
        claims.push(ClaimTemplate {
            metadata: ClaimMeta {
                name: "data".into(),
            },
            spec: PvcSpec {
                access_modes: vec!["ReadWriteOnce"],
                storage_class_name: b.storage_class.map(|s| s.value.clone()),
                resources: PvcResources { requests },
            },
        });
    } else {
        volumes.push(Volume {
            name: "data".into(),
            empty_dir: Some(Box::new(EmptyDir {
                medium: None,
                size_limit: None,
            })),
            ..Volume::default()
        });
    }
    let spec = PodSpec {
        service_account_name: service_account_name(owner),
        automount_service_account_token: owner.no_token(),
        host_network: None,
        host_pid: None,
        host_ipc: None,
        restart_policy: None,
        security_context: pod_security(ctx, sec),
        image_pull_secrets: pull_secrets(ctx),
        node_selector: strings(owner.pod.node_selector),
        tolerations: tolerations(&owner.pod),
        scheduling: Scheduling::default(),
        dns_policy: None,
        dns_config: None,
        init_containers: Vec::new(),
        containers: vec![container],
        volumes,
    };
    // It serves the server's own pods.
    let mut server_pods = Labels::default();
    server_pods.insert("app.kubernetes.io/name".into(), Kind::Server.app().into());
    server_pods.insert("app.kubernetes.io/instance".into(), owner.name.clone());
    let ports = spec
        .containers
        .iter()
        .flat_map(|k| &k.ports)
        .map(|p| NetworkPort {
            protocol: "TCP",
            port: Some(p.container_port),
        })
        .collect();
    let mut ingress: Vec<Accept> = network::sidecar_ingress(&spec).into_iter().collect();
    ingress.push(Accept::Rule(network::from_pods(server_pods.into(), ports)));
    out.allow(Traffic {
        policy: name.clone(),
        origin: owner.header,
        pods: selector_of(ctx, &labels),
        ingress,
        egress: vec![network::dns()],
        api_client_of: None,
        flow_runs_in: Vec::new(),
    });
    let headless = format!("{name}-hl");
    out.push(service(ctx, owner, port, &headless, &labels, true));
    out.push(service(ctx, owner, port, &name, &labels, false));
    out.push(Object {
        resource: std::sync::Arc::new(Resource::StatefulSet(Box::new(StatefulSet {
            api_version: "apps/v1",
            kind: "StatefulSet",
            metadata: meta(ctx, &name, &ctx.namespace, &labels),
            spec: StatefulSetSpec {
                replicas: 1,
                service_name: headless,
                selector: LabelSelector {
                    match_labels: selector_of(ctx, &labels),
                },
                template: PodTemplate {
                    metadata: PodMeta {
                        labels: labels.clone(),
                        annotations: Labels::default(),
                    },
                    spec,
                },
                volume_claim_templates: claims,
            },
        }))),
        origin: owner.header,
    });
}

/// `database = postgres.in-cluster { … }`.
pub fn postgres(ctx: &Ctx, owner: &Owner, db: &InClusterPostgres, out: &mut Lowered) {
    let user = db.user.as_str();
    let database = db.name.as_str();
    let data_dir = "/var/lib/postgresql/data";
    let env = vec![
        env("POSTGRES_USER", user.to_string()),
        env("POSTGRES_DB", database.to_string()),
        env("PGDATA", format!("{data_dir}/pgdata")),
        secret_env("POSTGRES_PASSWORD", &db.password),
    ];
    let probe = strings_of(&[
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
        owner,
        Backing {
            app: POSTGRES_APP,
            port_name: "tcp-postgresql",
            port: POSTGRES_PORT,
            image: &db.image,
            pull_policy: &db.image_pull_policy,
            persistence: *db.persistence,
            size: &db.size,
            storage_class: db.storage_class.as_ref(),
            resources: &db.resources,
            args: Vec::new(),
            env,
            data_dir,
            scratch: &[("/var/run/postgresql", "run")],
            probe,
        },
        out,
    );
}

/// `messaging = redis.in-cluster { … }`: Redis with a password and an
/// append-only file on the data volume.
pub fn redis(ctx: &Ctx, owner: &Owner, r: &InClusterRedis, out: &mut Lowered) {
    // redis-cli reads the password from REDISCLI_AUTH, so it never shows in
    // a process list.
    let env = vec![
        secret_env("REDIS_PASSWORD", &r.password),
        secret_env("REDISCLI_AUTH", &r.password),
    ];
    let mut args = words(&[
        "--requirepass",
        "$(REDIS_PASSWORD)",
        "--appendonly",
        "yes",
        "--dir",
        "/data",
        "--port",
    ]);
    args.push(REDIS_PORT.to_string().into());
    lower(
        ctx,
        owner,
        Backing {
            app: REDIS_APP,
            port_name: "tcp-redis",
            port: REDIS_PORT,
            image: &r.image,
            pull_policy: &r.image_pull_policy,
            persistence: *r.persistence,
            size: &r.size,
            storage_class: r.storage_class.as_ref(),
            resources: &r.resources,
            args,
            env,
            data_dir: "/data",
            scratch: &[],
            probe: strings_of(&["redis-cli", "ping"]),
        },
        out,
    );
}
