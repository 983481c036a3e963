// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! Reads checked values into the types of `stdlib/server.pfk`.

use super::super::{Fields, FromRec, FromTyped, Mismatch, field, optional_field, record};
use crate::check::model::{Rec, TVal, Typed};
use crate::model::schema::*;

impl FromRec for Server {
    fn from_rec(rec: Rec) -> Result<Server, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Server {
            database: field(&mut rec, "database")?,
            image: optional_field(&mut rec, "image")?,
            image_pull_policy: field(&mut rec, "image-pull-policy")?,
            replicas: field(&mut rec, "replicas")?,
            port: field(&mut rec, "port")?,
            base_path: field(&mut rec, "base-path")?,
            debug: field(&mut rec, "debug")?,
            log_level: field(&mut rec, "log-level")?,
            ui: field(&mut rec, "ui")?,
            auth: optional_field(&mut rec, "auth")?,
            background_services: field(&mut rec, "background-services")?,
            probes: field(&mut rec, "probes")?,
            service: field(&mut rec, "service")?,
            migrations: field(&mut rec, "migrations")?,
            ingress: optional_field(&mut rec, "ingress")?,
            gateway: optional_field(&mut rec, "gateway")?,
            autoscaling: optional_field(&mut rec, "autoscaling")?,
            disruption: optional_field(&mut rec, "disruption")?,
            resources: field(&mut rec, "resources")?,
            security: field(&mut rec, "security")?,
            env: field(&mut rec, "env")?,
            env_from: field(&mut rec, "env-from")?,
            pod_labels: field(&mut rec, "pod-labels")?,
            pod_annotations: field(&mut rec, "pod-annotations")?,
            node_selector: field(&mut rec, "node-selector")?,
            tolerations: field(&mut rec, "tolerations")?,
            automount_service_account_token: field(&mut rec, "automount-service-account-token")?,
            volumes: field(&mut rec, "volumes")?,
            volume_mounts: field(&mut rec, "volume-mounts")?,
            sidecars: field(&mut rec, "sidecars")?,
            init_containers: field(&mut rec, "init-containers")?,
            command: optional_field(&mut rec, "command")?,
            args: optional_field(&mut rec, "args")?,
            extra_args: field(&mut rec, "extra-args")?,
            revision_history: field(&mut rec, "revision-history")?,
            update_strategy: optional_field(&mut rec, "update-strategy")?,
            lifecycle: optional_field(&mut rec, "lifecycle")?,
            termination_grace_period: optional_field(&mut rec, "termination-grace-period")?,
            priority_class: optional_field(&mut rec, "priority-class")?,
            affinity: optional_field(&mut rec, "affinity")?,
            topology_spread: field(&mut rec, "topology-spread")?,
            service_account: optional_field(&mut rec, "service-account")?,
            service_account_annotations: field(&mut rec, "service-account-annotations")?,
        })
    }
}

impl FromTyped for Server {
    fn from_typed(t: Typed) -> Result<Server, Mismatch> {
        Server::from_rec(record(t, "Server")?)
    }
}

impl FromTyped for Database {
    fn from_typed(t: Typed) -> Result<Database, Mismatch> {
        match t.value {
            TVal::Variant { tag, value } if tag == "sqlite" => {
                Ok(Database::Sqlite(FromTyped::from_typed(*value)?))
            }
            TVal::Variant { tag, value } if tag == "postgres" => {
                Ok(Database::Postgres(FromTyped::from_typed(*value)?))
            }
            TVal::Variant { tag, value } if tag == "postgres.in-cluster" => {
                Ok(Database::PostgresInCluster(FromTyped::from_typed(*value)?))
            }
            other => Err(Mismatch::of("Database", &other)),
        }
    }
}

impl FromRec for InClusterPostgres {
    fn from_rec(rec: Rec) -> Result<InClusterPostgres, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(InClusterPostgres {
            password: field(&mut rec, "password")?,
            user: field(&mut rec, "user")?,
            name: field(&mut rec, "name")?,
            image: field(&mut rec, "image")?,
            image_pull_policy: field(&mut rec, "image-pull-policy")?,
            persistence: field(&mut rec, "persistence")?,
            size: field(&mut rec, "size")?,
            storage_class: optional_field(&mut rec, "storage-class")?,
            resources: field(&mut rec, "resources")?,
        })
    }
}

impl FromTyped for InClusterPostgres {
    fn from_typed(t: Typed) -> Result<InClusterPostgres, Mismatch> {
        InClusterPostgres::from_rec(record(t, "InClusterPostgres")?)
    }
}

impl FromRec for Sqlite {
    fn from_rec(rec: Rec) -> Result<Sqlite, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Sqlite {
            size: field(&mut rec, "size")?,
            storage_class: optional_field(&mut rec, "storage-class")?,
        })
    }
}

impl FromTyped for Sqlite {
    fn from_typed(t: Typed) -> Result<Sqlite, Mismatch> {
        Sqlite::from_rec(record(t, "Sqlite")?)
    }
}

impl FromRec for Postgres {
    fn from_rec(rec: Rec) -> Result<Postgres, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Postgres {
            url: optional_field(&mut rec, "url")?,
            host: optional_field(&mut rec, "host")?,
            port: field(&mut rec, "port")?,
            name: field(&mut rec, "name")?,
            user: field(&mut rec, "user")?,
            password: optional_field(&mut rec, "password")?,
            driver: field(&mut rec, "driver")?,
            secret: optional_field(&mut rec, "secret")?,
            keys: field(&mut rec, "keys")?,
        })
    }
}

impl FromTyped for Postgres {
    fn from_typed(t: Typed) -> Result<Postgres, Mismatch> {
        Postgres::from_rec(record(t, "Postgres")?)
    }
}

impl FromRec for PostgresKeys {
    fn from_rec(rec: Rec) -> Result<PostgresKeys, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(PostgresKeys {
            host: optional_field(&mut rec, "host")?,
            port: optional_field(&mut rec, "port")?,
            name: optional_field(&mut rec, "name")?,
            user: optional_field(&mut rec, "user")?,
            password: optional_field(&mut rec, "password")?,
            driver: optional_field(&mut rec, "driver")?,
        })
    }
}

impl FromTyped for PostgresKeys {
    fn from_typed(t: Typed) -> Result<PostgresKeys, Mismatch> {
        PostgresKeys::from_rec(record(t, "PostgresKeys")?)
    }
}

impl FromTyped for ServerAuth {
    fn from_typed(t: Typed) -> Result<ServerAuth, Mismatch> {
        match t.value {
            TVal::Variant { tag, value } if tag == "basic" => {
                Ok(ServerAuth::Basic(FromTyped::from_typed(*value)?))
            }
            other => Err(Mismatch::of("ServerAuth", &other)),
        }
    }
}

impl FromRec for BasicAuth {
    fn from_rec(rec: Rec) -> Result<BasicAuth, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(BasicAuth {
            credentials: field(&mut rec, "credentials")?,
        })
    }
}

impl FromTyped for BasicAuth {
    fn from_typed(t: Typed) -> Result<BasicAuth, Mismatch> {
        BasicAuth::from_rec(record(t, "BasicAuth")?)
    }
}

impl FromRec for Ui {
    fn from_rec(rec: Rec) -> Result<Ui, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Ui {
            enabled: field(&mut rec, "enabled")?,
            api_url: optional_field(&mut rec, "api-url")?,
            static_directory: field(&mut rec, "static-directory")?,
        })
    }
}

impl FromTyped for Ui {
    fn from_typed(t: Typed) -> Result<Ui, Mismatch> {
        Ui::from_rec(record(t, "Ui")?)
    }
}

impl FromRec for ServerProbes {
    fn from_rec(rec: Rec) -> Result<ServerProbes, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(ServerProbes {
            startup: field(&mut rec, "startup")?,
            liveness: field(&mut rec, "liveness")?,
            readiness: field(&mut rec, "readiness")?,
        })
    }
}

impl FromTyped for ServerProbes {
    fn from_typed(t: Typed) -> Result<ServerProbes, Mismatch> {
        ServerProbes::from_rec(record(t, "ServerProbes")?)
    }
}

impl FromRec for Migrations {
    fn from_rec(rec: Rec) -> Result<Migrations, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Migrations {
            enabled: field(&mut rec, "enabled")?,
            deadline: field(&mut rec, "deadline")?,
            backoff_limit: field(&mut rec, "backoff-limit")?,
            ttl: field(&mut rec, "ttl")?,
            resources: field(&mut rec, "resources")?,
            env: field(&mut rec, "env")?,
            command: optional_field(&mut rec, "command")?,
            node_selector: optional_field(&mut rec, "node-selector")?,
            tolerations: optional_field(&mut rec, "tolerations")?,
            affinity: optional_field(&mut rec, "affinity")?,
        })
    }
}

impl FromTyped for Migrations {
    fn from_typed(t: Typed) -> Result<Migrations, Mismatch> {
        Migrations::from_rec(record(t, "Migrations")?)
    }
}

impl FromRec for BackgroundServices {
    fn from_rec(rec: Rec) -> Result<BackgroundServices, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(BackgroundServices {
            separate: field(&mut rec, "separate")?,
            messaging: optional_field(&mut rec, "messaging")?,
            docket_url: optional_field(&mut rec, "docket-url")?,
            replicas: field(&mut rec, "replicas")?,
            resources: field(&mut rec, "resources")?,
            env: field(&mut rec, "env")?,
            security: optional_field(&mut rec, "security")?,
            node_selector: optional_field(&mut rec, "node-selector")?,
            tolerations: optional_field(&mut rec, "tolerations")?,
            pod_labels: field(&mut rec, "pod-labels")?,
            pod_annotations: field(&mut rec, "pod-annotations")?,
            service_account_annotations: field(&mut rec, "service-account-annotations")?,
            debug: optional_field(&mut rec, "debug")?,
            log_level: optional_field(&mut rec, "log-level")?,
            priority_class: optional_field(&mut rec, "priority-class")?,
            affinity: optional_field(&mut rec, "affinity")?,
            termination_grace_period: optional_field(&mut rec, "termination-grace-period")?,
            command: optional_field(&mut rec, "command")?,
            args: optional_field(&mut rec, "args")?,
            lifecycle: optional_field(&mut rec, "lifecycle")?,
            sidecars: field(&mut rec, "sidecars")?,
            init_containers: field(&mut rec, "init-containers")?,
            env_from: field(&mut rec, "env-from")?,
            revision_history: optional_field(&mut rec, "revision-history")?,
        })
    }
}

impl FromTyped for BackgroundServices {
    fn from_typed(t: Typed) -> Result<BackgroundServices, Mismatch> {
        BackgroundServices::from_rec(record(t, "BackgroundServices")?)
    }
}

impl FromTyped for Messaging {
    fn from_typed(t: Typed) -> Result<Messaging, Mismatch> {
        match t.value {
            TVal::Variant { tag, value } if tag == "redis" => {
                Ok(Messaging::Redis(FromTyped::from_typed(*value)?))
            }
            TVal::Variant { tag, value } if tag == "redis.in-cluster" => {
                Ok(Messaging::RedisInCluster(FromTyped::from_typed(*value)?))
            }
            other => Err(Mismatch::of("Messaging", &other)),
        }
    }
}

impl FromRec for InClusterRedis {
    fn from_rec(rec: Rec) -> Result<InClusterRedis, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(InClusterRedis {
            password: field(&mut rec, "password")?,
            db: field(&mut rec, "db")?,
            image: field(&mut rec, "image")?,
            image_pull_policy: field(&mut rec, "image-pull-policy")?,
            persistence: field(&mut rec, "persistence")?,
            size: field(&mut rec, "size")?,
            storage_class: optional_field(&mut rec, "storage-class")?,
            resources: field(&mut rec, "resources")?,
        })
    }
}

impl FromTyped for InClusterRedis {
    fn from_typed(t: Typed) -> Result<InClusterRedis, Mismatch> {
        InClusterRedis::from_rec(record(t, "InClusterRedis")?)
    }
}

impl FromRec for Redis {
    fn from_rec(rec: Rec) -> Result<Redis, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Redis {
            host: field(&mut rec, "host")?,
            port: field(&mut rec, "port")?,
            db: field(&mut rec, "db")?,
            user: optional_field(&mut rec, "user")?,
            password: optional_field(&mut rec, "password")?,
            ssl: field(&mut rec, "ssl")?,
        })
    }
}

impl FromTyped for Redis {
    fn from_typed(t: Typed) -> Result<Redis, Mismatch> {
        Redis::from_rec(record(t, "Redis")?)
    }
}

impl FromRec for Ingress {
    fn from_rec(rec: Rec) -> Result<Ingress, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Ingress {
            class: optional_field(&mut rec, "class")?,
            host: field(&mut rec, "host")?,
            path: field(&mut rec, "path")?,
            path_type: field(&mut rec, "path-type")?,
            tls: optional_field(&mut rec, "tls")?,
            annotations: field(&mut rec, "annotations")?,
            extra_paths: field(&mut rec, "extra-paths")?,
            extra_hosts: field(&mut rec, "extra-hosts")?,
            extra_tls: field(&mut rec, "extra-tls")?,
        })
    }
}

impl FromTyped for Ingress {
    fn from_typed(t: Typed) -> Result<Ingress, Mismatch> {
        Ingress::from_rec(record(t, "Ingress")?)
    }
}

impl FromRec for IngressPath {
    fn from_rec(rec: Rec) -> Result<IngressPath, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(IngressPath {
            path: field(&mut rec, "path")?,
            path_type: field(&mut rec, "path-type")?,
        })
    }
}

impl FromTyped for IngressPath {
    fn from_typed(t: Typed) -> Result<IngressPath, Mismatch> {
        IngressPath::from_rec(record(t, "IngressPath")?)
    }
}

impl FromRec for IngressHost {
    fn from_rec(rec: Rec) -> Result<IngressHost, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(IngressHost {
            host: field(&mut rec, "host")?,
            path: field(&mut rec, "path")?,
            path_type: field(&mut rec, "path-type")?,
        })
    }
}

impl FromTyped for IngressHost {
    fn from_typed(t: Typed) -> Result<IngressHost, Mismatch> {
        IngressHost::from_rec(record(t, "IngressHost")?)
    }
}

impl FromRec for IngressTls {
    fn from_rec(rec: Rec) -> Result<IngressTls, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(IngressTls {
            hosts: field(&mut rec, "hosts")?,
            secret: field(&mut rec, "secret")?,
        })
    }
}

impl FromTyped for IngressTls {
    fn from_typed(t: Typed) -> Result<IngressTls, Mismatch> {
        IngressTls::from_rec(record(t, "IngressTls")?)
    }
}

impl FromTyped for PathType {
    fn from_typed(t: Typed) -> Result<PathType, Mismatch> {
        match &t.value {
            TVal::Enum(v) => PathType::parse(v).ok_or_else(|| Mismatch::new("PathType", &t)),
            _ => Err(Mismatch::new("PathType", &t)),
        }
    }
}

impl FromRec for Gateway {
    fn from_rec(rec: Rec) -> Result<Gateway, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Gateway {
            class: optional_field(&mut rec, "class")?,
            name: optional_field(&mut rec, "name")?,
            namespace: optional_field(&mut rec, "namespace")?,
            port: optional_field(&mut rec, "port")?,
            extra_parents: field(&mut rec, "extra-parents")?,
            route: field(&mut rec, "route")?,
            route_name: optional_field(&mut rec, "route-name")?,
            hostnames: field(&mut rec, "hostnames")?,
            path: field(&mut rec, "path")?,
            tls: optional_field(&mut rec, "tls")?,
            listeners: field(&mut rec, "listeners")?,
            section: optional_field(&mut rec, "section")?,
            redirect_to_https: optional_field(&mut rec, "redirect-to-https")?,
            redirect_port: field(&mut rec, "redirect-port")?,
            http_section: field(&mut rec, "http-section")?,
            labels: field(&mut rec, "labels")?,
            annotations: field(&mut rec, "annotations")?,
            infrastructure: optional_field(&mut rec, "infrastructure")?,
            route_labels: field(&mut rec, "route-labels")?,
            route_annotations: field(&mut rec, "route-annotations")?,
        })
    }
}

impl FromTyped for Gateway {
    fn from_typed(t: Typed) -> Result<Gateway, Mismatch> {
        Gateway::from_rec(record(t, "Gateway")?)
    }
}

impl FromRec for GatewayParent {
    fn from_rec(rec: Rec) -> Result<GatewayParent, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(GatewayParent {
            name: field(&mut rec, "name")?,
            namespace: optional_field(&mut rec, "namespace")?,
            section: optional_field(&mut rec, "section")?,
            port: optional_field(&mut rec, "port")?,
        })
    }
}

impl FromTyped for GatewayParent {
    fn from_typed(t: Typed) -> Result<GatewayParent, Mismatch> {
        GatewayParent::from_rec(record(t, "GatewayParent")?)
    }
}

impl FromRec for GatewayInfrastructure {
    fn from_rec(rec: Rec) -> Result<GatewayInfrastructure, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(GatewayInfrastructure {
            labels: field(&mut rec, "labels")?,
            annotations: field(&mut rec, "annotations")?,
            parameters: optional_field(&mut rec, "parameters")?,
        })
    }
}

impl FromTyped for GatewayInfrastructure {
    fn from_typed(t: Typed) -> Result<GatewayInfrastructure, Mismatch> {
        GatewayInfrastructure::from_rec(record(t, "GatewayInfrastructure")?)
    }
}

impl FromRec for GatewayParameters {
    fn from_rec(rec: Rec) -> Result<GatewayParameters, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(GatewayParameters {
            group: field(&mut rec, "group")?,
            kind: field(&mut rec, "kind")?,
            name: field(&mut rec, "name")?,
        })
    }
}

impl FromTyped for GatewayParameters {
    fn from_typed(t: Typed) -> Result<GatewayParameters, Mismatch> {
        GatewayParameters::from_rec(record(t, "GatewayParameters")?)
    }
}

impl FromRec for Listener {
    fn from_rec(rec: Rec) -> Result<Listener, Mismatch> {
        let mut rec = Fields::of(rec);
        Ok(Listener {
            name: field(&mut rec, "name")?,
            port: field(&mut rec, "port")?,
            protocol: field(&mut rec, "protocol")?,
            hostname: optional_field(&mut rec, "hostname")?,
            tls: optional_field(&mut rec, "tls")?,
        })
    }
}

impl FromTyped for Listener {
    fn from_typed(t: Typed) -> Result<Listener, Mismatch> {
        Listener::from_rec(record(t, "Listener")?)
    }
}

impl FromTyped for ListenerProtocol {
    fn from_typed(t: Typed) -> Result<ListenerProtocol, Mismatch> {
        match &t.value {
            TVal::Enum(v) => {
                ListenerProtocol::parse(v).ok_or_else(|| Mismatch::new("ListenerProtocol", &t))
            }
            _ => Err(Mismatch::new("ListenerProtocol", &t)),
        }
    }
}
