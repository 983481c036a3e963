// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! The types of `stdlib/server.pfk`.

use crate::map::IndexMap;

use super::*;

/// A Prefect server: the API and the UI, and optionally its background
/// services in a Deployment of their own.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// Where the server keeps its state.
    pub database: Located<Database>,
    /// The image; derived from `site.prefect` when unset.
    pub image: Option<Located<String>>,
    /// When the kubelet pulls the image.
    pub image_pull_policy: Located<PullPolicy>,
    /// Pods of the API Deployment (ignored under `autoscaling`).
    pub replicas: Located<i64>,
    /// The port the API listens on, in the pod and on the Service.
    pub port: Located<i64>,
    /// The path the API is served under; probes and derived URLs follow it.
    pub base_path: Located<String>,
    /// Prefect's debug mode.
    pub debug: Located<bool>,
    /// The server's log level.
    pub log_level: Located<LogLevel>,
    /// The UI.
    pub ui: Located<Ui>,
    /// Authentication in front of the API.
    pub auth: Option<Located<ServerAuth>>,
    /// The scheduler, the event services and the rest of the background work.
    pub background_services: Located<BackgroundServices>,
    /// Timings and paths of the API's health probes (the default paths follow `base-path`).
    pub probes: Located<ServerProbes>,
    /// The Service in front of the API.
    pub service: Located<ServiceOptions>,
    /// The database migrations Job, emitted with `background-services.separate` unless `migrations.enabled = false`.
    pub migrations: Located<Migrations>,
    /// Exposure through an Ingress (exclusive with `gateway`).
    pub ingress: Option<Box<Located<Ingress>>>,
    /// Exposure through the Gateway API (exclusive with `ingress`).
    pub gateway: Option<Box<Located<Gateway>>>,
    /// Horizontal autoscaling of the API Deployment.
    pub autoscaling: Option<Box<Located<Autoscaling>>>,
    /// A PodDisruptionBudget for the API pods.
    pub disruption: Option<Box<Located<Disruption>>>,
    /// Container resources.
    pub resources: Located<Resources>,
    /// Pod and container security.
    pub security: Located<Security>,
    /// Extra environment: a value, or `secret(name, key)` / `config-map(name, key)`.
    pub env: Located<IndexMap<String, Located<StringOrSecretOrConfigMap>>>,
    /// Whole Secrets and ConfigMaps exported as environment variables (`secret("name")`, `config-map("name")`).
    pub env_from: Located<Vec<Located<SecretNameOrConfigMapName>>>,
    /// Labels of the pods.
    pub pod_labels: Located<IndexMap<String, Located<String>>>,
    /// Annotations of the pods.
    pub pod_annotations: Located<IndexMap<String, Located<String>>>,
    /// Schedule only onto nodes with these labels.
    pub node_selector: Located<IndexMap<String, Located<String>>>,
    /// Taints the pods tolerate.
    pub tolerations: Located<Vec<Located<Toleration>>>,
    /// Let Kubernetes mount the ServiceAccount token into every container. Off: prefectc mounts it explicitly, into the main container only, where the Kubernetes API is called.
    pub automount_service_account_token: Located<bool>,
    /// Volumes of the pods, by name (`cache = empty-dir {}`).
    pub volumes: Located<IndexMap<String, Located<Volume>>>,
    /// Volumes mounted into the main container.
    pub volume_mounts: Located<Vec<Located<VolumeMount>>>,
    /// Containers running next to the main container.
    pub sidecars: Located<Vec<Located<Container>>>,
    /// Containers that run before the main container (or, with `sidecar = true`, beside it).
    pub init_containers: Located<Vec<Located<Container>>>,
    /// Replace the main container's command (the image's entrypoint).
    pub command: Option<Located<Vec<Located<String>>>>,
    /// Replace the main container's arguments.
    pub args: Option<Located<Vec<Located<String>>>>,
    /// Arguments appended to the main container's.
    pub extra_args: Located<Vec<Located<String>>>,
    /// Old ReplicaSets kept for rollbacks.
    pub revision_history: Located<i64>,
    /// How the Deployment replaces its pods (SQLite always recreates).
    pub update_strategy: Option<Located<UpdateStrategy>>,
    /// Hooks of the main container.
    pub lifecycle: Option<Box<Located<Lifecycle>>>,
    /// How long pods get to stop after SIGTERM.
    pub termination_grace_period: Option<Located<Millis>>,
    /// The PriorityClass of the pods.
    pub priority_class: Option<Located<String>>,
    /// Node affinity and spreading of the pods over nodes.
    pub affinity: Option<Box<Located<Affinity>>>,
    /// Spread the pods over zones or nodes.
    pub topology_spread: Located<Vec<Located<TopologySpread>>>,
    /// Run as this existing ServiceAccount instead of one prefectc creates for the component.
    pub service_account: Option<Located<String>>,
    /// Annotations of the ServiceAccount (IRSA, Workload Identity).
    pub service_account_annotations: Located<IndexMap<String, Located<String>>>,
}

/// Where the server keeps its state.
#[derive(Debug, Clone, PartialEq)]
pub enum Database {
    /// SQLite on a PersistentVolumeClaim: one replica, no autoscaling.
    Sqlite(Box<Sqlite>),
    /// An existing PostgreSQL.
    Postgres(Box<Postgres>),
    /// A PostgreSQL StatefulSet next to the server, for development and tests.
    PostgresInCluster(Box<InClusterPostgres>),
}

impl Database {
    /// The variant's tag as written in `.pfk` source.
    pub fn tag(&self) -> &'static str {
        match self {
            Database::Sqlite(_) => "sqlite",
            Database::Postgres(_) => "postgres",
            Database::PostgresInCluster(_) => "postgres.in-cluster",
        }
    }
}

/// A plain PostgreSQL StatefulSet (`<server>-postgresql`) with a headless and a
/// client Service. Its password comes from a Secret you create: prefectc never
/// generates or writes one.
#[derive(Debug, Clone, PartialEq)]
pub struct InClusterPostgres {
    /// The password of `user`, from a Secret.
    pub password: Located<SecretKeyRef>,
    /// The user Prefect connects as (created at first start).
    pub user: Located<String>,
    /// The database (created at first start).
    pub name: Located<String>,
    /// The PostgreSQL image.
    pub image: Located<String>,
    /// When the kubelet pulls the image.
    pub image_pull_policy: Located<PullPolicy>,
    /// Keep the data on a PersistentVolumeClaim; off, it lives in an emptyDir and dies with the pod.
    pub persistence: Located<bool>,
    /// The size of the volume.
    pub size: Located<Quantity>,
    /// The StorageClass of the volume; the cluster default when unset.
    pub storage_class: Option<Located<String>>,
    /// Container resources.
    pub resources: Located<Resources>,
}

/// SQLite on a volume.
#[derive(Debug, Clone, PartialEq)]
pub struct Sqlite {
    /// The size of the volume.
    pub size: Located<Quantity>,
    /// The StorageClass of the volume; the cluster default when unset.
    pub storage_class: Option<Located<String>>,
}

/// An existing PostgreSQL: either a whole connection URL from a Secret, or its
/// parts, written or read from a Secret (`secret`).
#[derive(Debug, Clone, PartialEq)]
pub struct Postgres {
    /// The connection URL (`postgresql+asyncpg://…`), from a Secret.
    pub url: Option<Located<SecretKeyRef>>,
    /// The host, when the URL is given in parts: a DNS name or an IP address.
    pub host: Option<Located<String>>,
    /// The port.
    pub port: Located<i64>,
    /// The database name.
    pub name: Located<String>,
    /// The user, written or from a Secret.
    pub user: Located<StringOrSecret>,
    /// The password, from a Secret.
    pub password: Option<Located<SecretKeyRef>>,
    /// The SQLAlchemy driver.
    pub driver: Located<String>,
    /// A Secret holding the connection's parts, as a database operator writes it (CloudNativePG's `<cluster>-app`, Crunchy PGO's `<cluster>-pguser-<user>`): each part with a key in `keys` is read from it instead of being written here.
    pub secret: Option<Located<SecretName>>,
    /// The keys of `secret` the parts are read from.
    pub keys: Located<PostgresKeys>,
}

/// The keys of a PostgreSQL Secret, one per part of the connection; `none`
/// for a part written in the `postgres` block instead.
#[derive(Debug, Clone, PartialEq)]
pub struct PostgresKeys {
    /// The host.
    pub host: Option<Located<String>>,
    /// The port; unset by default, so that the NetworkPolicy names the written `port` (read from the Secret, the server's pods may reach any TCP port).
    pub port: Option<Located<String>>,
    /// The database name.
    pub name: Option<Located<String>>,
    /// The user.
    pub user: Option<Located<String>>,
    /// The password.
    pub password: Option<Located<String>>,
    /// The SQLAlchemy driver; operators do not store one.
    pub driver: Option<Located<String>>,
}

/// Authentication of the server API.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerAuth {
    /// HTTP basic auth.
    Basic(Box<BasicAuth>),
}

impl ServerAuth {
    /// The variant's tag as written in `.pfk` source.
    pub fn tag(&self) -> &'static str {
        match self {
            ServerAuth::Basic(_) => "basic",
        }
    }
}

/// HTTP basic auth for the API and UI.
#[derive(Debug, Clone, PartialEq)]
pub struct BasicAuth {
    /// The `user:password` string, from a Secret.
    pub credentials: Located<SecretKeyRef>,
}

/// The Prefect UI served by the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Ui {
    /// Serve the UI.
    pub enabled: Located<bool>,
    /// The API URL the browser uses; `https://<ingress host><base-path>` when exposed, else `http://localhost:<port><base-path>`.
    pub api_url: Option<Located<String>>,
    /// Where the UI's static files are copied at start-up (a writable scratch directory).
    pub static_directory: Located<String>,
}

/// The startup, liveness and readiness probes of the API.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerProbes {
    /// `<base-path>/health` (or its `path`) until the API first answers.
    pub startup: Located<ProbeTiming>,
    /// `<base-path>/health` (or its `path`): restart the container when it stops answering.
    pub liveness: Located<ProbeTiming>,
    /// `<base-path>/ready` (or its `path`): take the pod out of the Service while the database is unreachable.
    pub readiness: Located<ProbeTiming>,
}

/// The Job that runs `prefect server database upgrade` before the server serves.
#[derive(Debug, Clone, PartialEq)]
pub struct Migrations {
    /// Emit the Job. Off for a site whose migrations run elsewhere (a pipeline step, another release): nothing in the site then migrates the database, as the API and the background services start with migrations on start switched off.
    pub enabled: Located<bool>,
    /// How long the Job may run before it is failed.
    pub deadline: Located<Millis>,
    /// Retries before the Job fails.
    pub backoff_limit: Located<i64>,
    /// How long a finished Job is kept.
    pub ttl: Located<Millis>,
    /// Container resources.
    pub resources: Located<Resources>,
    /// More environment for the Job, after the server's `env`; a name set in both takes this value.
    pub env: Located<IndexMap<String, Located<StringOrSecretOrConfigMap>>>,
    /// Replace the Job's command (by default the image's entrypoint running `prefect server database upgrade -y`).
    pub command: Option<Located<Vec<Located<String>>>>,
    /// Schedule the Job's pod only onto nodes with these labels; the server's `node-selector` when unset.
    pub node_selector: Option<Located<IndexMap<String, Located<String>>>>,
    /// Taints the Job's pod tolerates; the server's `tolerations` when unset.
    pub tolerations: Option<Located<Vec<Located<Toleration>>>>,
    /// Node affinity of the Job's pod; the server's `affinity` when unset.
    pub affinity: Option<Box<Located<Affinity>>>,
}

/// Prefect's background services.
#[derive(Debug, Clone, PartialEq)]
pub struct BackgroundServices {
    /// Run them in a Deployment of their own (needs Redis messaging).
    pub separate: Located<bool>,
    /// The message broker shared by the API and the services.
    pub messaging: Option<Located<Messaging>>,
    /// The Docket URL (`PREFECT_SERVER_DOCKET_URL`), from a Secret.
    pub docket_url: Option<Located<SecretKeyRef>>,
    /// Pods of the background-services Deployment.
    pub replicas: Located<i64>,
    /// Container resources of the background services.
    pub resources: Located<Resources>,
    /// More environment, after the server's `env`; a name set in both takes this value.
    pub env: Located<IndexMap<String, Located<StringOrSecretOrConfigMap>>>,
    /// Pod and container security; the server's when unset.
    pub security: Option<Box<Located<Security>>>,
    /// Schedule only onto nodes with these labels; the server's when unset.
    pub node_selector: Option<Located<IndexMap<String, Located<String>>>>,
    /// Taints the pods tolerate; the server's when unset.
    pub tolerations: Option<Located<Vec<Located<Toleration>>>>,
    /// Labels of the pods, besides the server's `pod-labels`.
    pub pod_labels: Located<IndexMap<String, Located<String>>>,
    /// Annotations of the pods, besides the server's `pod-annotations`.
    pub pod_annotations: Located<IndexMap<String, Located<String>>>,
    /// Annotations of the background services' own ServiceAccount (IRSA, Workload Identity).
    pub service_account_annotations: Located<IndexMap<String, Located<String>>>,
    /// Prefect's debug mode in the services; the server's `debug` when unset.
    pub debug: Option<Located<bool>>,
    /// The services' log level; the server's `log-level` when unset.
    pub log_level: Option<Located<LogLevel>>,
    /// The PriorityClass of the pods; the server's when unset.
    pub priority_class: Option<Located<String>>,
    /// Node affinity and spreading of the pods; the server's when unset.
    pub affinity: Option<Box<Located<Affinity>>>,
    /// How long pods get to stop after SIGTERM; the server's when unset.
    pub termination_grace_period: Option<Located<Millis>>,
    /// Replace the services container's command (the image's entrypoint); the server's `command` does not apply here.
    pub command: Option<Located<Vec<Located<String>>>>,
    /// Replace the services container's arguments (`prefect server services start`). Its probes look for a process whose command line contains `services`.
    pub args: Option<Located<Vec<Located<String>>>>,
    /// Hooks of the services container; the server's `lifecycle` does not apply here.
    pub lifecycle: Option<Box<Located<Lifecycle>>>,
    /// Containers running next to the services container; the server's `sidecars` do not run here.
    pub sidecars: Located<Vec<Located<Container>>>,
    /// Containers that run before the services container (or, with `sidecar = true`, beside it); the server's do not run here.
    pub init_containers: Located<Vec<Located<Container>>>,
    /// Whole Secrets and ConfigMaps exported as environment variables of the services container, after the server's `env-from`.
    pub env_from: Located<Vec<Located<SecretNameOrConfigMapName>>>,
    /// Old ReplicaSets kept for rollbacks; the server's `revision-history` when unset.
    pub revision_history: Option<Located<i64>>,
}

/// Message brokers.
#[derive(Debug, Clone, PartialEq)]
pub enum Messaging {
    /// Redis (`prefect-redis`).
    Redis(Box<Redis>),
    /// A Redis StatefulSet next to the server (`<server>-redis`), for development and tests.
    RedisInCluster(Box<InClusterRedis>),
}

impl Messaging {
    /// The variant's tag as written in `.pfk` source.
    pub fn tag(&self) -> &'static str {
        match self {
            Messaging::Redis(_) => "redis",
            Messaging::RedisInCluster(_) => "redis.in-cluster",
        }
    }
}

/// A Redis StatefulSet with a password and an append-only file. Its password
/// comes from a Secret you create: prefectc never generates or writes one.
#[derive(Debug, Clone, PartialEq)]
pub struct InClusterRedis {
    /// The password, from a Secret.
    pub password: Located<SecretKeyRef>,
    /// The database number Prefect uses.
    pub db: Located<i64>,
    /// The Redis image.
    pub image: Located<String>,
    /// When the kubelet pulls the image.
    pub image_pull_policy: Located<PullPolicy>,
    /// Keep the data on a PersistentVolumeClaim; off, it lives in an emptyDir and dies with the pod.
    pub persistence: Located<bool>,
    /// The size of the volume.
    pub size: Located<Quantity>,
    /// The StorageClass of the volume; the cluster default when unset.
    pub storage_class: Option<Located<String>>,
    /// Container resources.
    pub resources: Located<Resources>,
}

/// An existing Redis.
#[derive(Debug, Clone, PartialEq)]
pub struct Redis {
    /// The host: a DNS name or an IP address.
    pub host: Located<String>,
    /// The port.
    pub port: Located<i64>,
    /// The database number.
    pub db: Located<i64>,
    /// The user.
    pub user: Option<Located<String>>,
    /// The password, from a Secret.
    pub password: Option<Located<SecretKeyRef>>,
    /// Connect with TLS.
    pub ssl: Located<bool>,
}

/// An Ingress for the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Ingress {
    /// The IngressClass; the cluster default when unset.
    pub class: Option<Located<String>>,
    /// The host name (`prefect.example.com`, not a URL; `*.example.com` routes every host of the domain).
    pub host: Located<String>,
    /// The path.
    pub path: Located<String>,
    /// How the path matches.
    pub path_type: Located<PathType>,
    /// The TLS certificate for `host`, from a `kubernetes.io/tls` Secret (with cert-manager: the Secret it fills).
    pub tls: Option<Located<SecretName>>,
    /// Annotations of the Ingress.
    pub annotations: Located<IndexMap<String, Located<String>>>,
    /// More paths on `host` routed to the server.
    pub extra_paths: Located<Vec<Located<IngressPath>>>,
    /// More host names routed to the server.
    pub extra_hosts: Located<Vec<Located<IngressHost>>>,
    /// More TLS certificates, e.g. for `extra-hosts`.
    pub extra_tls: Located<Vec<Located<IngressTls>>>,
}

/// One more path routed to the server.
#[derive(Debug, Clone, PartialEq)]
pub struct IngressPath {
    /// The path.
    pub path: Located<String>,
    /// How the path matches.
    pub path_type: Located<PathType>,
}

/// One more host routed to the server.
#[derive(Debug, Clone, PartialEq)]
pub struct IngressHost {
    /// The host name (`*.` allowed).
    pub host: Located<String>,
    /// The path.
    pub path: Located<String>,
    /// How the path matches.
    pub path_type: Located<PathType>,
}

/// A TLS certificate for some hosts.
#[derive(Debug, Clone, PartialEq)]
pub struct IngressTls {
    /// The hosts it serves.
    pub hosts: Located<Vec<Located<String>>>,
    /// The `kubernetes.io/tls` Secret.
    pub secret: Located<SecretName>,
}

/// How an Ingress path matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathType {
    /// Path prefix, element-wise.
    Prefix,
    /// The exact path.
    Exact,
    /// As the IngressClass decides.
    ImplementationSpecific,
}

impl PathType {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [PathType] = &[
        PathType::Prefix,
        PathType::Exact,
        PathType::ImplementationSpecific,
    ];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            PathType::Prefix => "prefix",
            PathType::Exact => "exact",
            PathType::ImplementationSpecific => "implementation-specific",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<PathType> {
        PathType::ALL.iter().copied().find(|v| v.as_str() == text)
    }
}

/// Gateway API exposure: a new Gateway of a class, or an existing Gateway.
#[derive(Debug, Clone, PartialEq)]
pub struct Gateway {
    /// Create a Gateway of this GatewayClass.
    pub class: Option<Located<String>>,
    /// With `class`, the name of the Gateway prefectc creates (the server's name when unset); without, the existing Gateway the route attaches to.
    pub name: Option<Located<String>>,
    /// The namespace of the existing Gateway.
    pub namespace: Option<Located<String>>,
    /// The port of the Gateway the route attaches to (the parent reference's `port`); any listener's when unset.
    pub port: Option<Located<i64>>,
    /// More existing Gateways (or listeners) the route attaches to, after the first.
    pub extra_parents: Located<Vec<Located<GatewayParent>>>,
    /// Emit the HTTPRoute; off, a created Gateway is emitted alone (for routes made elsewhere).
    pub route: Located<bool>,
    /// The HTTPRoute's name (the redirect route adds `-tls-redirect`); the server's name when unset.
    pub route_name: Option<Located<String>>,
    /// Host names of the HTTPRoute (`*.` allowed).
    pub hostnames: Located<Vec<Located<String>>>,
    /// The path.
    pub path: Located<String>,
    /// The TLS certificate of a created Gateway's HTTPS listener.
    pub tls: Option<Located<SecretName>>,
    /// The listeners of a created Gateway; derived when empty (HTTP on 80, and HTTPS on 443 with `tls`).
    pub listeners: Located<Vec<Located<Listener>>>,
    /// The listener (section) of the Gateway the route attaches to; `https` when a created Gateway has TLS.
    pub section: Option<Located<String>>,
    /// Redirect plain HTTP to HTTPS with a second HTTPRoute on the `http-section` listener of the first Gateway. Unset: on for a created Gateway with an HTTPS listener, off for an existing Gateway (whose listeners prefectc does not know: write `true` for the usual shared Gateway).
    pub redirect_to_https: Option<Located<bool>>,
    /// The HTTPS port the redirect points to.
    pub redirect_port: Located<i64>,
    /// The plain-HTTP listener (section) the redirect route attaches to.
    pub http_section: Located<String>,
    /// Labels of a created Gateway.
    pub labels: Located<IndexMap<String, Located<String>>>,
    /// Annotations of a created Gateway.
    pub annotations: Located<IndexMap<String, Located<String>>>,
    /// What a created Gateway's implementation creates for it (`spec.infrastructure`).
    pub infrastructure: Option<Box<Located<GatewayInfrastructure>>>,
    /// Labels of the HTTPRoutes.
    pub route_labels: Located<IndexMap<String, Located<String>>>,
    /// Annotations of the HTTPRoutes.
    pub route_annotations: Located<IndexMap<String, Located<String>>>,
}

/// One more Gateway an HTTPRoute attaches to.
#[derive(Debug, Clone, PartialEq)]
pub struct GatewayParent {
    /// The Gateway's name.
    pub name: Located<String>,
    /// Its namespace; the site's when unset.
    pub namespace: Option<Located<String>>,
    /// The listener (section) to attach to; every listener that allows the route when unset.
    pub section: Option<Located<String>>,
    /// The port to attach to; any listener's when unset.
    pub port: Option<Located<i64>>,
}

/// The infrastructure a Gateway's implementation creates for it (its
/// Deployment and Service, for an in-cluster implementation).
#[derive(Debug, Clone, PartialEq)]
pub struct GatewayInfrastructure {
    /// Labels of the resources the implementation creates.
    pub labels: Located<IndexMap<String, Located<String>>>,
    /// Annotations of the resources the implementation creates.
    pub annotations: Located<IndexMap<String, Located<String>>>,
    /// A resource of the implementation with more settings (`parametersRef`).
    pub parameters: Option<Box<Located<GatewayParameters>>>,
}

/// A reference to an implementation's parameters resource.
#[derive(Debug, Clone, PartialEq)]
pub struct GatewayParameters {
    /// Its API group (`gateway.envoyproxy.io`); the core group is `""`.
    pub group: Located<String>,
    /// Its kind (`EnvoyProxy`).
    pub kind: Located<String>,
    /// Its name.
    pub name: Located<String>,
}

/// A listener of a created Gateway.
#[derive(Debug, Clone, PartialEq)]
pub struct Listener {
    /// The listener name (the section routes attach to).
    pub name: Located<String>,
    /// The port.
    pub port: Located<i64>,
    /// The protocol.
    pub protocol: Located<ListenerProtocol>,
    /// Only requests for this host name (`*.` allowed).
    pub hostname: Option<Located<String>>,
    /// The TLS certificate, for HTTPS listeners.
    pub tls: Option<Located<SecretName>>,
}

/// Gateway listener protocols.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ListenerProtocol {
    /// Plain HTTP.
    Http,
    /// HTTP over TLS, terminated at the Gateway.
    Https,
}

impl ListenerProtocol {
    /// Every variant, in the stdlib's order.
    pub const ALL: &'static [ListenerProtocol] = &[ListenerProtocol::Http, ListenerProtocol::Https];

    /// The variant as written in `.pfk` source.
    pub fn as_str(self) -> &'static str {
        match self {
            ListenerProtocol::Http => "http",
            ListenerProtocol::Https => "https",
        }
    }

    /// The variant written `text` in `.pfk` source.
    pub fn parse(text: &str) -> Option<ListenerProtocol> {
        ListenerProtocol::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == text)
    }
}
