// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.
//! [`SameAfter`] and [`MoveSpans`] for the types of `stdlib/server.pfk`.

use super::super::{MoveSpans, Mover, SameAfter, by_value, no_spans};
use crate::model::schema::*;
use crate::source::Edits;

by_value!(PathType, ListenerProtocol);
no_spans!(PathType, ListenerProtocol);

impl MoveSpans for Server {
    fn move_spans(&mut self, m: &mut Mover) {
        self.database.move_spans(m);
        self.image.move_spans(m);
        self.image_pull_policy.move_spans(m);
        self.replicas.move_spans(m);
        self.port.move_spans(m);
        self.base_path.move_spans(m);
        self.debug.move_spans(m);
        self.log_level.move_spans(m);
        self.ui.move_spans(m);
        self.auth.move_spans(m);
        self.background_services.move_spans(m);
        self.probes.move_spans(m);
        self.service.move_spans(m);
        self.migrations.move_spans(m);
        self.ingress.move_spans(m);
        self.gateway.move_spans(m);
        self.autoscaling.move_spans(m);
        self.disruption.move_spans(m);
        self.resources.move_spans(m);
        self.security.move_spans(m);
        self.env.move_spans(m);
        self.env_from.move_spans(m);
        self.pod_labels.move_spans(m);
        self.pod_annotations.move_spans(m);
        self.node_selector.move_spans(m);
        self.tolerations.move_spans(m);
        self.automount_service_account_token.move_spans(m);
        self.volumes.move_spans(m);
        self.volume_mounts.move_spans(m);
        self.sidecars.move_spans(m);
        self.init_containers.move_spans(m);
        self.command.move_spans(m);
        self.args.move_spans(m);
        self.extra_args.move_spans(m);
        self.revision_history.move_spans(m);
        self.update_strategy.move_spans(m);
        self.lifecycle.move_spans(m);
        self.termination_grace_period.move_spans(m);
        self.priority_class.move_spans(m);
        self.affinity.move_spans(m);
        self.topology_spread.move_spans(m);
        self.service_account.move_spans(m);
        self.service_account_annotations.move_spans(m);
    }
}

impl SameAfter for Server {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.database.same_after(edits, &now.database)
            && self.image.same_after(edits, &now.image)
            && self
                .image_pull_policy
                .same_after(edits, &now.image_pull_policy)
            && self.replicas.same_after(edits, &now.replicas)
            && self.port.same_after(edits, &now.port)
            && self.base_path.same_after(edits, &now.base_path)
            && self.debug.same_after(edits, &now.debug)
            && self.log_level.same_after(edits, &now.log_level)
            && self.ui.same_after(edits, &now.ui)
            && self.auth.same_after(edits, &now.auth)
            && self
                .background_services
                .same_after(edits, &now.background_services)
            && self.probes.same_after(edits, &now.probes)
            && self.service.same_after(edits, &now.service)
            && self.migrations.same_after(edits, &now.migrations)
            && self.ingress.same_after(edits, &now.ingress)
            && self.gateway.same_after(edits, &now.gateway)
            && self.autoscaling.same_after(edits, &now.autoscaling)
            && self.disruption.same_after(edits, &now.disruption)
            && self.resources.same_after(edits, &now.resources)
            && self.security.same_after(edits, &now.security)
            && self.env.same_after(edits, &now.env)
            && self.env_from.same_after(edits, &now.env_from)
            && self.pod_labels.same_after(edits, &now.pod_labels)
            && self.pod_annotations.same_after(edits, &now.pod_annotations)
            && self.node_selector.same_after(edits, &now.node_selector)
            && self.tolerations.same_after(edits, &now.tolerations)
            && self
                .automount_service_account_token
                .same_after(edits, &now.automount_service_account_token)
            && self.volumes.same_after(edits, &now.volumes)
            && self.volume_mounts.same_after(edits, &now.volume_mounts)
            && self.sidecars.same_after(edits, &now.sidecars)
            && self.init_containers.same_after(edits, &now.init_containers)
            && self.command.same_after(edits, &now.command)
            && self.args.same_after(edits, &now.args)
            && self.extra_args.same_after(edits, &now.extra_args)
            && self
                .revision_history
                .same_after(edits, &now.revision_history)
            && self.update_strategy.same_after(edits, &now.update_strategy)
            && self.lifecycle.same_after(edits, &now.lifecycle)
            && self
                .termination_grace_period
                .same_after(edits, &now.termination_grace_period)
            && self.priority_class.same_after(edits, &now.priority_class)
            && self.affinity.same_after(edits, &now.affinity)
            && self.topology_spread.same_after(edits, &now.topology_spread)
            && self.service_account.same_after(edits, &now.service_account)
            && self
                .service_account_annotations
                .same_after(edits, &now.service_account_annotations)
    }
}

impl SameAfter for Database {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        match self {
            Database::Sqlite(a) => matches!(now, Database::Sqlite(b) if a.same_after(edits, b)),
            Database::Postgres(a) => matches!(now, Database::Postgres(b) if a.same_after(edits, b)),
            Database::PostgresInCluster(a) => {
                matches!(now, Database::PostgresInCluster(b) if a.same_after(edits, b))
            }
        }
    }
}

impl MoveSpans for Database {
    fn move_spans(&mut self, m: &mut Mover) {
        match self {
            Database::Sqlite(a) => a.move_spans(m),
            Database::Postgres(a) => a.move_spans(m),
            Database::PostgresInCluster(a) => a.move_spans(m),
        }
    }
}

impl MoveSpans for InClusterPostgres {
    fn move_spans(&mut self, m: &mut Mover) {
        self.password.move_spans(m);
        self.user.move_spans(m);
        self.name.move_spans(m);
        self.image.move_spans(m);
        self.image_pull_policy.move_spans(m);
        self.persistence.move_spans(m);
        self.size.move_spans(m);
        self.storage_class.move_spans(m);
        self.resources.move_spans(m);
    }
}

impl SameAfter for InClusterPostgres {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.password.same_after(edits, &now.password)
            && self.user.same_after(edits, &now.user)
            && self.name.same_after(edits, &now.name)
            && self.image.same_after(edits, &now.image)
            && self
                .image_pull_policy
                .same_after(edits, &now.image_pull_policy)
            && self.persistence.same_after(edits, &now.persistence)
            && self.size.same_after(edits, &now.size)
            && self.storage_class.same_after(edits, &now.storage_class)
            && self.resources.same_after(edits, &now.resources)
    }
}

impl MoveSpans for Sqlite {
    fn move_spans(&mut self, m: &mut Mover) {
        self.size.move_spans(m);
        self.storage_class.move_spans(m);
    }
}

impl SameAfter for Sqlite {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.size.same_after(edits, &now.size)
            && self.storage_class.same_after(edits, &now.storage_class)
    }
}

impl MoveSpans for Postgres {
    fn move_spans(&mut self, m: &mut Mover) {
        self.url.move_spans(m);
        self.host.move_spans(m);
        self.port.move_spans(m);
        self.name.move_spans(m);
        self.user.move_spans(m);
        self.password.move_spans(m);
        self.driver.move_spans(m);
        self.secret.move_spans(m);
        self.keys.move_spans(m);
    }
}

impl SameAfter for Postgres {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.url.same_after(edits, &now.url)
            && self.host.same_after(edits, &now.host)
            && self.port.same_after(edits, &now.port)
            && self.name.same_after(edits, &now.name)
            && self.user.same_after(edits, &now.user)
            && self.password.same_after(edits, &now.password)
            && self.driver.same_after(edits, &now.driver)
            && self.secret.same_after(edits, &now.secret)
            && self.keys.same_after(edits, &now.keys)
    }
}

impl MoveSpans for PostgresKeys {
    fn move_spans(&mut self, m: &mut Mover) {
        self.host.move_spans(m);
        self.port.move_spans(m);
        self.name.move_spans(m);
        self.user.move_spans(m);
        self.password.move_spans(m);
        self.driver.move_spans(m);
    }
}

impl SameAfter for PostgresKeys {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.host.same_after(edits, &now.host)
            && self.port.same_after(edits, &now.port)
            && self.name.same_after(edits, &now.name)
            && self.user.same_after(edits, &now.user)
            && self.password.same_after(edits, &now.password)
            && self.driver.same_after(edits, &now.driver)
    }
}

impl SameAfter for ServerAuth {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        match self {
            ServerAuth::Basic(a) => matches!(now, ServerAuth::Basic(b) if a.same_after(edits, b)),
        }
    }
}

impl MoveSpans for ServerAuth {
    fn move_spans(&mut self, m: &mut Mover) {
        match self {
            ServerAuth::Basic(a) => a.move_spans(m),
        }
    }
}

impl MoveSpans for BasicAuth {
    fn move_spans(&mut self, m: &mut Mover) {
        self.credentials.move_spans(m);
    }
}

impl SameAfter for BasicAuth {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.credentials.same_after(edits, &now.credentials)
    }
}

impl MoveSpans for Ui {
    fn move_spans(&mut self, m: &mut Mover) {
        self.enabled.move_spans(m);
        self.api_url.move_spans(m);
        self.static_directory.move_spans(m);
    }
}

impl SameAfter for Ui {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.enabled.same_after(edits, &now.enabled)
            && self.api_url.same_after(edits, &now.api_url)
            && self
                .static_directory
                .same_after(edits, &now.static_directory)
    }
}

impl MoveSpans for ServerProbes {
    fn move_spans(&mut self, m: &mut Mover) {
        self.startup.move_spans(m);
        self.liveness.move_spans(m);
        self.readiness.move_spans(m);
    }
}

impl SameAfter for ServerProbes {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.startup.same_after(edits, &now.startup)
            && self.liveness.same_after(edits, &now.liveness)
            && self.readiness.same_after(edits, &now.readiness)
    }
}

impl MoveSpans for Migrations {
    fn move_spans(&mut self, m: &mut Mover) {
        self.enabled.move_spans(m);
        self.deadline.move_spans(m);
        self.backoff_limit.move_spans(m);
        self.ttl.move_spans(m);
        self.resources.move_spans(m);
        self.env.move_spans(m);
        self.command.move_spans(m);
        self.node_selector.move_spans(m);
        self.tolerations.move_spans(m);
        self.affinity.move_spans(m);
    }
}

impl SameAfter for Migrations {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.enabled.same_after(edits, &now.enabled)
            && self.deadline.same_after(edits, &now.deadline)
            && self.backoff_limit.same_after(edits, &now.backoff_limit)
            && self.ttl.same_after(edits, &now.ttl)
            && self.resources.same_after(edits, &now.resources)
            && self.env.same_after(edits, &now.env)
            && self.command.same_after(edits, &now.command)
            && self.node_selector.same_after(edits, &now.node_selector)
            && self.tolerations.same_after(edits, &now.tolerations)
            && self.affinity.same_after(edits, &now.affinity)
    }
}

impl MoveSpans for BackgroundServices {
    fn move_spans(&mut self, m: &mut Mover) {
        self.separate.move_spans(m);
        self.messaging.move_spans(m);
        self.docket_url.move_spans(m);
        self.replicas.move_spans(m);
        self.resources.move_spans(m);
        self.env.move_spans(m);
        self.security.move_spans(m);
        self.node_selector.move_spans(m);
        self.tolerations.move_spans(m);
        self.pod_labels.move_spans(m);
        self.pod_annotations.move_spans(m);
        self.service_account_annotations.move_spans(m);
        self.debug.move_spans(m);
        self.log_level.move_spans(m);
        self.priority_class.move_spans(m);
        self.affinity.move_spans(m);
        self.termination_grace_period.move_spans(m);
        self.command.move_spans(m);
        self.args.move_spans(m);
        self.lifecycle.move_spans(m);
        self.sidecars.move_spans(m);
        self.init_containers.move_spans(m);
        self.env_from.move_spans(m);
        self.revision_history.move_spans(m);
    }
}

impl SameAfter for BackgroundServices {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.separate.same_after(edits, &now.separate)
            && self.messaging.same_after(edits, &now.messaging)
            && self.docket_url.same_after(edits, &now.docket_url)
            && self.replicas.same_after(edits, &now.replicas)
            && self.resources.same_after(edits, &now.resources)
            && self.env.same_after(edits, &now.env)
            && self.security.same_after(edits, &now.security)
            && self.node_selector.same_after(edits, &now.node_selector)
            && self.tolerations.same_after(edits, &now.tolerations)
            && self.pod_labels.same_after(edits, &now.pod_labels)
            && self.pod_annotations.same_after(edits, &now.pod_annotations)
            && self
                .service_account_annotations
                .same_after(edits, &now.service_account_annotations)
            && self.debug.same_after(edits, &now.debug)
            && self.log_level.same_after(edits, &now.log_level)
            && self.priority_class.same_after(edits, &now.priority_class)
            && self.affinity.same_after(edits, &now.affinity)
            && self
                .termination_grace_period
                .same_after(edits, &now.termination_grace_period)
            && self.command.same_after(edits, &now.command)
            && self.args.same_after(edits, &now.args)
            && self.lifecycle.same_after(edits, &now.lifecycle)
            && self.sidecars.same_after(edits, &now.sidecars)
            && self.init_containers.same_after(edits, &now.init_containers)
            && self.env_from.same_after(edits, &now.env_from)
            && self
                .revision_history
                .same_after(edits, &now.revision_history)
    }
}

impl SameAfter for Messaging {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        match self {
            Messaging::Redis(a) => matches!(now, Messaging::Redis(b) if a.same_after(edits, b)),
            Messaging::RedisInCluster(a) => {
                matches!(now, Messaging::RedisInCluster(b) if a.same_after(edits, b))
            }
        }
    }
}

impl MoveSpans for Messaging {
    fn move_spans(&mut self, m: &mut Mover) {
        match self {
            Messaging::Redis(a) => a.move_spans(m),
            Messaging::RedisInCluster(a) => a.move_spans(m),
        }
    }
}

impl MoveSpans for InClusterRedis {
    fn move_spans(&mut self, m: &mut Mover) {
        self.password.move_spans(m);
        self.db.move_spans(m);
        self.image.move_spans(m);
        self.image_pull_policy.move_spans(m);
        self.persistence.move_spans(m);
        self.size.move_spans(m);
        self.storage_class.move_spans(m);
        self.resources.move_spans(m);
    }
}

impl SameAfter for InClusterRedis {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.password.same_after(edits, &now.password)
            && self.db.same_after(edits, &now.db)
            && self.image.same_after(edits, &now.image)
            && self
                .image_pull_policy
                .same_after(edits, &now.image_pull_policy)
            && self.persistence.same_after(edits, &now.persistence)
            && self.size.same_after(edits, &now.size)
            && self.storage_class.same_after(edits, &now.storage_class)
            && self.resources.same_after(edits, &now.resources)
    }
}

impl MoveSpans for Redis {
    fn move_spans(&mut self, m: &mut Mover) {
        self.host.move_spans(m);
        self.port.move_spans(m);
        self.db.move_spans(m);
        self.user.move_spans(m);
        self.password.move_spans(m);
        self.ssl.move_spans(m);
    }
}

impl SameAfter for Redis {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.host.same_after(edits, &now.host)
            && self.port.same_after(edits, &now.port)
            && self.db.same_after(edits, &now.db)
            && self.user.same_after(edits, &now.user)
            && self.password.same_after(edits, &now.password)
            && self.ssl.same_after(edits, &now.ssl)
    }
}

impl MoveSpans for Ingress {
    fn move_spans(&mut self, m: &mut Mover) {
        self.class.move_spans(m);
        self.host.move_spans(m);
        self.path.move_spans(m);
        self.path_type.move_spans(m);
        self.tls.move_spans(m);
        self.annotations.move_spans(m);
        self.extra_paths.move_spans(m);
        self.extra_hosts.move_spans(m);
        self.extra_tls.move_spans(m);
    }
}

impl SameAfter for Ingress {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.class.same_after(edits, &now.class)
            && self.host.same_after(edits, &now.host)
            && self.path.same_after(edits, &now.path)
            && self.path_type.same_after(edits, &now.path_type)
            && self.tls.same_after(edits, &now.tls)
            && self.annotations.same_after(edits, &now.annotations)
            && self.extra_paths.same_after(edits, &now.extra_paths)
            && self.extra_hosts.same_after(edits, &now.extra_hosts)
            && self.extra_tls.same_after(edits, &now.extra_tls)
    }
}

impl MoveSpans for IngressPath {
    fn move_spans(&mut self, m: &mut Mover) {
        self.path.move_spans(m);
        self.path_type.move_spans(m);
    }
}

impl SameAfter for IngressPath {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.path.same_after(edits, &now.path) && self.path_type.same_after(edits, &now.path_type)
    }
}

impl MoveSpans for IngressHost {
    fn move_spans(&mut self, m: &mut Mover) {
        self.host.move_spans(m);
        self.path.move_spans(m);
        self.path_type.move_spans(m);
    }
}

impl SameAfter for IngressHost {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.host.same_after(edits, &now.host)
            && self.path.same_after(edits, &now.path)
            && self.path_type.same_after(edits, &now.path_type)
    }
}

impl MoveSpans for IngressTls {
    fn move_spans(&mut self, m: &mut Mover) {
        self.hosts.move_spans(m);
        self.secret.move_spans(m);
    }
}

impl SameAfter for IngressTls {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.hosts.same_after(edits, &now.hosts) && self.secret.same_after(edits, &now.secret)
    }
}

impl MoveSpans for Gateway {
    fn move_spans(&mut self, m: &mut Mover) {
        self.class.move_spans(m);
        self.name.move_spans(m);
        self.namespace.move_spans(m);
        self.port.move_spans(m);
        self.extra_parents.move_spans(m);
        self.route.move_spans(m);
        self.route_name.move_spans(m);
        self.hostnames.move_spans(m);
        self.path.move_spans(m);
        self.tls.move_spans(m);
        self.listeners.move_spans(m);
        self.section.move_spans(m);
        self.redirect_to_https.move_spans(m);
        self.redirect_port.move_spans(m);
        self.http_section.move_spans(m);
        self.labels.move_spans(m);
        self.annotations.move_spans(m);
        self.infrastructure.move_spans(m);
        self.route_labels.move_spans(m);
        self.route_annotations.move_spans(m);
    }
}

impl SameAfter for Gateway {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.class.same_after(edits, &now.class)
            && self.name.same_after(edits, &now.name)
            && self.namespace.same_after(edits, &now.namespace)
            && self.port.same_after(edits, &now.port)
            && self.extra_parents.same_after(edits, &now.extra_parents)
            && self.route.same_after(edits, &now.route)
            && self.route_name.same_after(edits, &now.route_name)
            && self.hostnames.same_after(edits, &now.hostnames)
            && self.path.same_after(edits, &now.path)
            && self.tls.same_after(edits, &now.tls)
            && self.listeners.same_after(edits, &now.listeners)
            && self.section.same_after(edits, &now.section)
            && self
                .redirect_to_https
                .same_after(edits, &now.redirect_to_https)
            && self.redirect_port.same_after(edits, &now.redirect_port)
            && self.http_section.same_after(edits, &now.http_section)
            && self.labels.same_after(edits, &now.labels)
            && self.annotations.same_after(edits, &now.annotations)
            && self.infrastructure.same_after(edits, &now.infrastructure)
            && self.route_labels.same_after(edits, &now.route_labels)
            && self
                .route_annotations
                .same_after(edits, &now.route_annotations)
    }
}

impl MoveSpans for GatewayParent {
    fn move_spans(&mut self, m: &mut Mover) {
        self.name.move_spans(m);
        self.namespace.move_spans(m);
        self.section.move_spans(m);
        self.port.move_spans(m);
    }
}

impl SameAfter for GatewayParent {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.name.same_after(edits, &now.name)
            && self.namespace.same_after(edits, &now.namespace)
            && self.section.same_after(edits, &now.section)
            && self.port.same_after(edits, &now.port)
    }
}

impl MoveSpans for GatewayInfrastructure {
    fn move_spans(&mut self, m: &mut Mover) {
        self.labels.move_spans(m);
        self.annotations.move_spans(m);
        self.parameters.move_spans(m);
    }
}

impl SameAfter for GatewayInfrastructure {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.labels.same_after(edits, &now.labels)
            && self.annotations.same_after(edits, &now.annotations)
            && self.parameters.same_after(edits, &now.parameters)
    }
}

impl MoveSpans for GatewayParameters {
    fn move_spans(&mut self, m: &mut Mover) {
        self.group.move_spans(m);
        self.kind.move_spans(m);
        self.name.move_spans(m);
    }
}

impl SameAfter for GatewayParameters {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.group.same_after(edits, &now.group)
            && self.kind.same_after(edits, &now.kind)
            && self.name.same_after(edits, &now.name)
    }
}

impl MoveSpans for Listener {
    fn move_spans(&mut self, m: &mut Mover) {
        self.name.move_spans(m);
        self.port.move_spans(m);
        self.protocol.move_spans(m);
        self.hostname.move_spans(m);
        self.tls.move_spans(m);
    }
}

impl SameAfter for Listener {
    fn same_after(&self, edits: &Edits, now: &Self) -> bool {
        self.name.same_after(edits, &now.name)
            && self.port.same_after(edits, &now.port)
            && self.protocol.same_after(edits, &now.protocol)
            && self.hostname.same_after(edits, &now.hostname)
            && self.tls.same_after(edits, &now.tls)
    }
}
