// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! Reads checked values into the types of `stdlib/server.pfk`.

use super::super::{FromRec, FromTyped, Mismatch, field, optional_field, record};
use crate::check::model::{Rec, TVal, Typed};
use crate::model::schema::*;

impl FromRec for Server {
    fn from_rec(rec: &Rec) -> Result<Server, Mismatch> {
        Ok(Server {
            database: field(rec, "database")?,
            image: optional_field(rec, "image")?,
            image_pull_policy: field(rec, "image-pull-policy")?,
            replicas: field(rec, "replicas")?,
            port: field(rec, "port")?,
            base_path: field(rec, "base-path")?,
            debug: field(rec, "debug")?,
            log_level: field(rec, "log-level")?,
            ui: field(rec, "ui")?,
            auth: optional_field(rec, "auth")?,
            background_services: field(rec, "background-services")?,
            probes: field(rec, "probes")?,
            service: field(rec, "service")?,
            migrations: field(rec, "migrations")?,
            ingress: optional_field(rec, "ingress")?,
            gateway: optional_field(rec, "gateway")?,
            autoscaling: optional_field(rec, "autoscaling")?,
            disruption: optional_field(rec, "disruption")?,
            resources: field(rec, "resources")?,
            security: field(rec, "security")?,
            env: field(rec, "env")?,
            env_from: field(rec, "env-from")?,
            pod_labels: field(rec, "pod-labels")?,
            pod_annotations: field(rec, "pod-annotations")?,
            node_selector: field(rec, "node-selector")?,
            tolerations: field(rec, "tolerations")?,
            automount_service_account_token: field(rec, "automount-service-account-token")?,
            volumes: field(rec, "volumes")?,
            volume_mounts: field(rec, "volume-mounts")?,
            sidecars: field(rec, "sidecars")?,
            init_containers: field(rec, "init-containers")?,
            command: optional_field(rec, "command")?,
            args: optional_field(rec, "args")?,
            extra_args: field(rec, "extra-args")?,
            revision_history: field(rec, "revision-history")?,
            update_strategy: optional_field(rec, "update-strategy")?,
            lifecycle: optional_field(rec, "lifecycle")?,
            termination_grace_period: optional_field(rec, "termination-grace-period")?,
            priority_class: optional_field(rec, "priority-class")?,
            affinity: optional_field(rec, "affinity")?,
            topology_spread: field(rec, "topology-spread")?,
            service_account: optional_field(rec, "service-account")?,
            service_account_annotations: field(rec, "service-account-annotations")?,
        })
    }
}

impl FromTyped for Server {
    fn from_typed(t: &Typed) -> Result<Server, Mismatch> {
        Server::from_rec(record(t, "Server")?)
    }
}

impl FromTyped for Database {
    fn from_typed(t: &Typed) -> Result<Database, Mismatch> {
        match &t.value {
            TVal::Variant { tag, value } if tag == "sqlite" => {
                Ok(Database::Sqlite(FromTyped::from_typed(value)?))
            }
            TVal::Variant { tag, value } if tag == "postgres" => {
                Ok(Database::Postgres(FromTyped::from_typed(value)?))
            }
            TVal::Variant { tag, value } if tag == "postgres.in-cluster" => {
                Ok(Database::PostgresInCluster(FromTyped::from_typed(value)?))
            }
            _ => Err(Mismatch::new("Database", t)),
        }
    }
}

impl FromRec for InClusterPostgres {
    fn from_rec(rec: &Rec) -> Result<InClusterPostgres, Mismatch> {
        Ok(InClusterPostgres {
            password: field(rec, "password")?,
            user: field(rec, "user")?,
            name: field(rec, "name")?,
            image: field(rec, "image")?,
            image_pull_policy: field(rec, "image-pull-policy")?,
            persistence: field(rec, "persistence")?,
            size: field(rec, "size")?,
            storage_class: optional_field(rec, "storage-class")?,
            resources: field(rec, "resources")?,
        })
    }
}

impl FromTyped for InClusterPostgres {
    fn from_typed(t: &Typed) -> Result<InClusterPostgres, Mismatch> {
        InClusterPostgres::from_rec(record(t, "InClusterPostgres")?)
    }
}

impl FromRec for Sqlite {
    fn from_rec(rec: &Rec) -> Result<Sqlite, Mismatch> {
        Ok(Sqlite {
            size: field(rec, "size")?,
            storage_class: optional_field(rec, "storage-class")?,
        })
    }
}

impl FromTyped for Sqlite {
    fn from_typed(t: &Typed) -> Result<Sqlite, Mismatch> {
        Sqlite::from_rec(record(t, "Sqlite")?)
    }
}

impl FromRec for Postgres {
    fn from_rec(rec: &Rec) -> Result<Postgres, Mismatch> {
        Ok(Postgres {
            url: optional_field(rec, "url")?,
            host: optional_field(rec, "host")?,
            port: field(rec, "port")?,
            name: field(rec, "name")?,
            user: field(rec, "user")?,
            password: optional_field(rec, "password")?,
            driver: field(rec, "driver")?,
            secret: optional_field(rec, "secret")?,
            keys: field(rec, "keys")?,
        })
    }
}

impl FromTyped for Postgres {
    fn from_typed(t: &Typed) -> Result<Postgres, Mismatch> {
        Postgres::from_rec(record(t, "Postgres")?)
    }
}

impl FromRec for PostgresKeys {
    fn from_rec(rec: &Rec) -> Result<PostgresKeys, Mismatch> {
        Ok(PostgresKeys {
            host: optional_field(rec, "host")?,
            port: optional_field(rec, "port")?,
            name: optional_field(rec, "name")?,
            user: optional_field(rec, "user")?,
            password: optional_field(rec, "password")?,
            driver: optional_field(rec, "driver")?,
        })
    }
}

impl FromTyped for PostgresKeys {
    fn from_typed(t: &Typed) -> Result<PostgresKeys, Mismatch> {
        PostgresKeys::from_rec(record(t, "PostgresKeys")?)
    }
}

impl FromTyped for ServerAuth {
    fn from_typed(t: &Typed) -> Result<ServerAuth, Mismatch> {
        match &t.value {
            TVal::Variant { tag, value } if tag == "basic" => {
                Ok(ServerAuth::Basic(FromTyped::from_typed(value)?))
            }
            _ => Err(Mismatch::new("ServerAuth", t)),
        }
    }
}

impl FromRec for BasicAuth {
    fn from_rec(rec: &Rec) -> Result<BasicAuth, Mismatch> {
        Ok(BasicAuth {
            credentials: field(rec, "credentials")?,
        })
    }
}

impl FromTyped for BasicAuth {
    fn from_typed(t: &Typed) -> Result<BasicAuth, Mismatch> {
        BasicAuth::from_rec(record(t, "BasicAuth")?)
    }
}

impl FromRec for Ui {
    fn from_rec(rec: &Rec) -> Result<Ui, Mismatch> {
        Ok(Ui {
            enabled: field(rec, "enabled")?,
            api_url: optional_field(rec, "api-url")?,
            static_directory: field(rec, "static-directory")?,
        })
    }
}

impl FromTyped for Ui {
    fn from_typed(t: &Typed) -> Result<Ui, Mismatch> {
        Ui::from_rec(record(t, "Ui")?)
    }
}

impl FromRec for ServerProbes {
    fn from_rec(rec: &Rec) -> Result<ServerProbes, Mismatch> {
        Ok(ServerProbes {
            startup: field(rec, "startup")?,
            liveness: field(rec, "liveness")?,
            readiness: field(rec, "readiness")?,
        })
    }
}

impl FromTyped for ServerProbes {
    fn from_typed(t: &Typed) -> Result<ServerProbes, Mismatch> {
        ServerProbes::from_rec(record(t, "ServerProbes")?)
    }
}

impl FromRec for Migrations {
    fn from_rec(rec: &Rec) -> Result<Migrations, Mismatch> {
        Ok(Migrations {
            enabled: field(rec, "enabled")?,
            deadline: field(rec, "deadline")?,
            backoff_limit: field(rec, "backoff-limit")?,
            ttl: field(rec, "ttl")?,
            resources: field(rec, "resources")?,
            env: field(rec, "env")?,
            command: optional_field(rec, "command")?,
            node_selector: optional_field(rec, "node-selector")?,
            tolerations: optional_field(rec, "tolerations")?,
            affinity: optional_field(rec, "affinity")?,
        })
    }
}

impl FromTyped for Migrations {
    fn from_typed(t: &Typed) -> Result<Migrations, Mismatch> {
        Migrations::from_rec(record(t, "Migrations")?)
    }
}

impl FromRec for BackgroundServices {
    fn from_rec(rec: &Rec) -> Result<BackgroundServices, Mismatch> {
        Ok(BackgroundServices {
            separate: field(rec, "separate")?,
            messaging: optional_field(rec, "messaging")?,
            docket_url: optional_field(rec, "docket-url")?,
            replicas: field(rec, "replicas")?,
            resources: field(rec, "resources")?,
            env: field(rec, "env")?,
            security: optional_field(rec, "security")?,
            node_selector: optional_field(rec, "node-selector")?,
            tolerations: optional_field(rec, "tolerations")?,
            pod_labels: field(rec, "pod-labels")?,
            pod_annotations: field(rec, "pod-annotations")?,
            service_account_annotations: field(rec, "service-account-annotations")?,
            debug: optional_field(rec, "debug")?,
            log_level: optional_field(rec, "log-level")?,
            priority_class: optional_field(rec, "priority-class")?,
            affinity: optional_field(rec, "affinity")?,
            termination_grace_period: optional_field(rec, "termination-grace-period")?,
            command: optional_field(rec, "command")?,
            args: optional_field(rec, "args")?,
            lifecycle: optional_field(rec, "lifecycle")?,
            sidecars: field(rec, "sidecars")?,
            init_containers: field(rec, "init-containers")?,
            env_from: field(rec, "env-from")?,
            revision_history: optional_field(rec, "revision-history")?,
        })
    }
}

impl FromTyped for BackgroundServices {
    fn from_typed(t: &Typed) -> Result<BackgroundServices, Mismatch> {
        BackgroundServices::from_rec(record(t, "BackgroundServices")?)
    }
}

impl FromTyped for Messaging {
    fn from_typed(t: &Typed) -> Result<Messaging, Mismatch> {
        match &t.value {
            TVal::Variant { tag, value } if tag == "redis" => {
                Ok(Messaging::Redis(FromTyped::from_typed(value)?))
            }
            TVal::Variant { tag, value } if tag == "redis.in-cluster" => {
                Ok(Messaging::RedisInCluster(FromTyped::from_typed(value)?))
            }
            _ => Err(Mismatch::new("Messaging", t)),
        }
    }
}

impl FromRec for InClusterRedis {
    fn from_rec(rec: &Rec) -> Result<InClusterRedis, Mismatch> {
        Ok(InClusterRedis {
            password: field(rec, "password")?,
            db: field(rec, "db")?,
            image: field(rec, "image")?,
            image_pull_policy: field(rec, "image-pull-policy")?,
            persistence: field(rec, "persistence")?,
            size: field(rec, "size")?,
            storage_class: optional_field(rec, "storage-class")?,
            resources: field(rec, "resources")?,
        })
    }
}

impl FromTyped for InClusterRedis {
    fn from_typed(t: &Typed) -> Result<InClusterRedis, Mismatch> {
        InClusterRedis::from_rec(record(t, "InClusterRedis")?)
    }
}

impl FromRec for Redis {
    fn from_rec(rec: &Rec) -> Result<Redis, Mismatch> {
        Ok(Redis {
            host: field(rec, "host")?,
            port: field(rec, "port")?,
            db: field(rec, "db")?,
            user: optional_field(rec, "user")?,
            password: optional_field(rec, "password")?,
            ssl: field(rec, "ssl")?,
        })
    }
}

impl FromTyped for Redis {
    fn from_typed(t: &Typed) -> Result<Redis, Mismatch> {
        Redis::from_rec(record(t, "Redis")?)
    }
}

impl FromRec for Ingress {
    fn from_rec(rec: &Rec) -> Result<Ingress, Mismatch> {
        Ok(Ingress {
            class: optional_field(rec, "class")?,
            host: field(rec, "host")?,
            path: field(rec, "path")?,
            path_type: field(rec, "path-type")?,
            tls: optional_field(rec, "tls")?,
            annotations: field(rec, "annotations")?,
            extra_paths: field(rec, "extra-paths")?,
            extra_hosts: field(rec, "extra-hosts")?,
            extra_tls: field(rec, "extra-tls")?,
        })
    }
}

impl FromTyped for Ingress {
    fn from_typed(t: &Typed) -> Result<Ingress, Mismatch> {
        Ingress::from_rec(record(t, "Ingress")?)
    }
}

impl FromRec for IngressPath {
    fn from_rec(rec: &Rec) -> Result<IngressPath, Mismatch> {
        Ok(IngressPath {
            path: field(rec, "path")?,
            path_type: field(rec, "path-type")?,
        })
    }
}

impl FromTyped for IngressPath {
    fn from_typed(t: &Typed) -> Result<IngressPath, Mismatch> {
        IngressPath::from_rec(record(t, "IngressPath")?)
    }
}

impl FromRec for IngressHost {
    fn from_rec(rec: &Rec) -> Result<IngressHost, Mismatch> {
        Ok(IngressHost {
            host: field(rec, "host")?,
            path: field(rec, "path")?,
            path_type: field(rec, "path-type")?,
        })
    }
}

impl FromTyped for IngressHost {
    fn from_typed(t: &Typed) -> Result<IngressHost, Mismatch> {
        IngressHost::from_rec(record(t, "IngressHost")?)
    }
}

impl FromRec for IngressTls {
    fn from_rec(rec: &Rec) -> Result<IngressTls, Mismatch> {
        Ok(IngressTls {
            hosts: field(rec, "hosts")?,
            secret: field(rec, "secret")?,
        })
    }
}

impl FromTyped for IngressTls {
    fn from_typed(t: &Typed) -> Result<IngressTls, Mismatch> {
        IngressTls::from_rec(record(t, "IngressTls")?)
    }
}

impl FromTyped for PathType {
    fn from_typed(t: &Typed) -> Result<PathType, Mismatch> {
        match &t.value {
            TVal::Enum(v) => PathType::parse(v).ok_or_else(|| Mismatch::new("PathType", t)),
            _ => Err(Mismatch::new("PathType", t)),
        }
    }
}

impl FromRec for Gateway {
    fn from_rec(rec: &Rec) -> Result<Gateway, Mismatch> {
        Ok(Gateway {
            class: optional_field(rec, "class")?,
            name: optional_field(rec, "name")?,
            namespace: optional_field(rec, "namespace")?,
            port: optional_field(rec, "port")?,
            extra_parents: field(rec, "extra-parents")?,
            route: field(rec, "route")?,
            route_name: optional_field(rec, "route-name")?,
            hostnames: field(rec, "hostnames")?,
            path: field(rec, "path")?,
            tls: optional_field(rec, "tls")?,
            listeners: field(rec, "listeners")?,
            section: optional_field(rec, "section")?,
            redirect_to_https: optional_field(rec, "redirect-to-https")?,
            redirect_port: field(rec, "redirect-port")?,
            http_section: field(rec, "http-section")?,
            labels: field(rec, "labels")?,
            annotations: field(rec, "annotations")?,
            infrastructure: optional_field(rec, "infrastructure")?,
            route_labels: field(rec, "route-labels")?,
            route_annotations: field(rec, "route-annotations")?,
        })
    }
}

impl FromTyped for Gateway {
    fn from_typed(t: &Typed) -> Result<Gateway, Mismatch> {
        Gateway::from_rec(record(t, "Gateway")?)
    }
}

impl FromRec for GatewayParent {
    fn from_rec(rec: &Rec) -> Result<GatewayParent, Mismatch> {
        Ok(GatewayParent {
            name: field(rec, "name")?,
            namespace: optional_field(rec, "namespace")?,
            section: optional_field(rec, "section")?,
            port: optional_field(rec, "port")?,
        })
    }
}

impl FromTyped for GatewayParent {
    fn from_typed(t: &Typed) -> Result<GatewayParent, Mismatch> {
        GatewayParent::from_rec(record(t, "GatewayParent")?)
    }
}

impl FromRec for GatewayInfrastructure {
    fn from_rec(rec: &Rec) -> Result<GatewayInfrastructure, Mismatch> {
        Ok(GatewayInfrastructure {
            labels: field(rec, "labels")?,
            annotations: field(rec, "annotations")?,
            parameters: optional_field(rec, "parameters")?,
        })
    }
}

impl FromTyped for GatewayInfrastructure {
    fn from_typed(t: &Typed) -> Result<GatewayInfrastructure, Mismatch> {
        GatewayInfrastructure::from_rec(record(t, "GatewayInfrastructure")?)
    }
}

impl FromRec for GatewayParameters {
    fn from_rec(rec: &Rec) -> Result<GatewayParameters, Mismatch> {
        Ok(GatewayParameters {
            group: field(rec, "group")?,
            kind: field(rec, "kind")?,
            name: field(rec, "name")?,
        })
    }
}

impl FromTyped for GatewayParameters {
    fn from_typed(t: &Typed) -> Result<GatewayParameters, Mismatch> {
        GatewayParameters::from_rec(record(t, "GatewayParameters")?)
    }
}

impl FromRec for Listener {
    fn from_rec(rec: &Rec) -> Result<Listener, Mismatch> {
        Ok(Listener {
            name: field(rec, "name")?,
            port: field(rec, "port")?,
            protocol: field(rec, "protocol")?,
            hostname: optional_field(rec, "hostname")?,
            tls: optional_field(rec, "tls")?,
        })
    }
}

impl FromTyped for Listener {
    fn from_typed(t: &Typed) -> Result<Listener, Mismatch> {
        Listener::from_rec(record(t, "Listener")?)
    }
}

impl FromTyped for ListenerProtocol {
    fn from_typed(t: &Typed) -> Result<ListenerProtocol, Mismatch> {
        match &t.value {
            TVal::Enum(v) => {
                ListenerProtocol::parse(v).ok_or_else(|| Mismatch::new("ListenerProtocol", t))
            }
            _ => Err(Mismatch::new("ListenerProtocol", t)),
        }
    }
}
