//! `database = postgres.in-cluster { … }`: a plain PostgreSQL StatefulSet
//! for development sites, with its Services. Unlike the chart's bundled
//! subchart, its password is never generated or written by prefectc: it comes
//! from a Secret the user creates, and the data is persistent by default.

use super::Ctx;
use super::k8s::*;
use super::pod::{self, env, env_from_typed, tracked};
use crate::check::model::{Component, Rec};

/// The port PostgreSQL listens on.
pub const PORT: i64 = 5432;

/// The StatefulSet and Service name of a server's in-cluster database.
pub fn name(server: &Component) -> String {
    format!("{}-postgresql", server.name)
}

/// The in-cluster DNS name the server connects to.
pub fn host(ctx: &Ctx, server: &Component) -> String {
    format!("{}.{}.svc.cluster.local", name(server), ctx.namespace)
}

fn service(ctx: &Ctx, c: &Component, name: &str, labels: &Labels, headless: bool) -> Object {
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
                    name: "tcp-postgresql".into(),
                    port: PORT,
                    target_port: IntOrString::Str("tcp-postgresql".into()),
                    protocol: "TCP",
                    ..ServicePort::default()
                }],
                ..ServiceSpec::default()
            },
        }),
        origin: c.header,
    }
}

fn ready_probe(user: &str, database: &str, initial: i64) -> Probe {
    Probe {
        exec: Some(ExecAction {
            command: vec![
                "pg_isready".into(),
                "-U".into(),
                user.into(),
                "-d".into(),
                format!("dbname={database}"),
                "-h".into(),
                "127.0.0.1".into(),
                "-p".into(),
                PORT.to_string(),
            ],
        }),
        failure_threshold: 6,
        ..Probe::every_10s(initial)
    }
}

/// The StatefulSet, its headless Service and its client Service.
pub fn lower(ctx: &Ctx, c: &Component, db: &Rec, out: &mut Vec<Object>) {
    let name = name(c);
    let image_field = db.get("image").expect("image has a default");
    let image = tracked(db.str("image").unwrap_or_default().to_string(), image_field);
    let labels = pod::labels(
        ctx,
        "postgresql",
        &c.name,
        "database",
        &pod::image_version(&image.value),
    );
    let user = db.str("user").unwrap_or("prefect");
    let database = db.str("name").unwrap_or("prefect");
    let sec = c.fields.record("security").expect("security has a default");
    let persistent = db.bool("persistence") != Some(false);

    let data_dir = "/var/lib/postgresql/data";
    let mut vars = vec![
        env("POSTGRES_USER", user),
        env("POSTGRES_DB", database),
        env("PGDATA", format!("{data_dir}/pgdata")),
    ];
    vars.push(env_from_typed(
        "POSTGRES_PASSWORD",
        db.get("password").expect("password is required"),
    ));
    let mut mounts = vec![
        VolumeMount {
            name: "data".into(),
            mount_path: data_dir.into(),
            sub_path: None,
            read_only: false,
        },
        pod::scratch_mount("/var/run/postgresql", "run"),
        pod::scratch_mount("/tmp", "tmp"),
    ];
    // PostgreSQL's shared memory outgrows the runtime's 64 MiB /dev/shm.
    mounts.push(VolumeMount {
        name: "dshm".into(),
        mount_path: "/dev/shm".into(),
        sub_path: None,
        read_only: false,
    });
    let container = Container {
        name: "postgresql".into(),
        image,
        image_pull_policy: Tracked {
            value: "IfNotPresent",
            prov: pod::derived(c, "database"),
        },
        command: Vec::new(),
        args: Vec::new(),
        working_dir: None,
        ports: vec![ContainerPort {
            name: "tcp-postgresql".into(),
            container_port: PORT,
            host_port: None,
            protocol: "TCP",
        }],
        env: vars,
        env_from: Vec::new(),
        resources: pod::resources(db.get("resources").expect("resources have a default")),
        security_context: pod::container_security(ctx, sec, None),
        startup_probe: None,
        liveness_probe: Some(ready_probe(user, database, 30)),
        readiness_probe: Some(ready_probe(user, database, 5)),
        volume_mounts: mounts,
        restart_policy: None,
        prov: None,
    };
    let mut volumes = vec![
        pod::scratch_volume(),
        Volume {
            name: "dshm".into(),
            empty_dir: Some(EmptyDir {
                medium: Some("Memory"),
                size_limit: None,
            }),
            ..Volume::default()
        },
    ];
    let mut claims = Vec::new();
    if persistent {
        let size = match db.get("size").map(|t| &t.value) {
            Some(crate::check::model::TVal::Memory(q)) => q.text.clone(),
            _ => "8Gi".into(),
        };
        let mut requests = Labels::new();
        requests.insert("storage".into(), size);
        claims.push(ClaimTemplate {
            metadata: ClaimMeta {
                name: "data".into(),
            },
            spec: PvcSpec {
                access_modes: vec!["ReadWriteOnce"],
                storage_class_name: db.str("storage-class").map(str::to_string),
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
        image_pull_secrets: ctx
            .pull_secrets
            .iter()
            .map(|n| LocalObjectReference { name: n.clone() })
            .collect(),
        node_selector: pod::string_map(c, "node-selector"),
        tolerations: pod::tolerations(c),
        init_containers: Vec::new(),
        containers: vec![container],
        volumes,
    };
    let headless = format!("{name}-hl");
    out.push(service(ctx, c, &headless, &labels, true));
    out.push(service(ctx, c, &name, &labels, false));
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
