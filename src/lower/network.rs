//! NetworkPolicies derived from the site graph (under `policy = restricted`):
//! a default-deny policy for every pod of the site, and per workload the
//! traffic the site itself implies — clients to the server's API, the
//! server to its database and Redis, Prometheus to the exporter, an ingress
//! controller or gateway to an exposed server, workers to the Kubernetes
//! API and to Prefect Cloud, and everyone to DNS.

use crate::source::Span;
use serde_json::{Value, json};

use super::Ctx;
use super::backing;
use super::k8s::{Generic, Labels, Object, PodTemplate, Resource};
use super::meta::{labels as object_labels, meta, selector};
use crate::model::schema::Server;
use crate::model::schema::{Api, Database, Messaging, ServiceType};
use crate::model::{Component, Kind, Spec, StartsJobs};

/// The labels that identify a pod template's pods.
fn pod_selector(t: &PodTemplate) -> Labels {
    t.metadata
        .labels
        .iter()
        .filter(|(k, _)| {
            matches!(
                k.as_str(),
                "app.kubernetes.io/name"
                    | "app.kubernetes.io/instance"
                    | "app.kubernetes.io/component"
            )
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn template(o: &Object) -> Option<&PodTemplate> {
    o.resource.pod_template()
}

fn tcp(port: i64) -> Value {
    json!({"protocol": "TCP", "port": port})
}

fn dns() -> Value {
    json!({"ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]})
}

/// Egress to any address on these ports (external services whose
/// addresses the site does not know).
fn anywhere(ports: &[i64]) -> Value {
    json!({"ports": ports.iter().map(|p| tcp(*p)).collect::<Vec<_>>()})
}

/// The port of a URL: explicit, else 443 for https and 80 for http.
fn url_port(url: &str) -> i64 {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    host.rsplit_once(':')
        .filter(|(h, _)| !h.ends_with(']') || h.starts_with('['))
        .and_then(|(_, p)| p.parse().ok())
        .unwrap_or(if scheme == "http" { 80 } else { 443 })
}

fn server_pods(name: &str) -> Labels {
    selector(Kind::Server.app(), name, Kind::Server.as_str())
}

/// Egress from a client of the Prefect API (worker, agent, exporter).
fn api_egress(ctx: &Ctx, c: &Component) -> Vec<Value> {
    let Some(api) = c.spec.api() else {
        return Vec::new();
    };
    let target = ctx.site.api(api);
    match &api.value {
        Api::Server(_) => target
            .server
            .map(|(name, s)| {
                vec![json!({
                    "to": [{"podSelector": {"matchLabels": server_pods(name)}}],
                    "ports": [tcp(*s.port)],
                })]
            })
            .unwrap_or_default(),
        Api::SelfHosted(_) | Api::Cloud(_) | Api::CustomerCloud(_) => {
            let url = match &api.value {
                Api::SelfHosted(s) => s.url.as_str(),
                Api::CustomerCloud(c) => c.api_url.as_str(),
                Api::Cloud(_) | Api::Server(_) => "https://",
            };
            vec![anywhere(&[url_port(url)])]
        }
    }
}

/// Whether a component's pods start flow-run pods of their own.
fn starts_jobs(c: &Component) -> bool {
    match (c.kind.info().starts_jobs, &c.spec) {
        (StartsJobs::Always, _) => true,
        (StartsJobs::ByWorkerType, Spec::Worker(w)) => w.worker_type().starts_jobs(),
        (StartsJobs::ByWorkerType | StartsJobs::Never, _) => false,
    }
}

/// Ingress to a server's API port: from the clients that name it, and from
/// every namespace (the ingress controller or gateway) when it is exposed.
fn server_ingress(ctx: &Ctx, name: &str, server: &Server) -> Vec<Value> {
    let port = tcp(*server.port);
    let mut from = Vec::new();
    for c in &ctx.site.components {
        let Some(Api::Server(r)) = c.spec.api().map(|a| &a.value) else {
            continue;
        };
        if r.name != name {
            continue;
        }
        if !c.kind.info().api_client {
            continue;
        }
        from.push(json!({"podSelector": {"matchLabels": selector(c.kind.app(), &c.name, c.kind.as_str())}}));
        // The flow runs a Kubernetes worker or an agent starts report to the
        // API from pods of their own, in the job namespaces.
        if starts_jobs(c) {
            let namespaces = c.spec.worker().map_or_else(
                || vec![ctx.namespace.clone()],
                |w| w.job_namespaces(&ctx.namespace),
            );
            for ns in &namespaces {
                let peer = if *ns == ctx.namespace {
                    json!({"podSelector": {}})
                } else {
                    json!({"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": ns}}})
                };
                if !from.contains(&peer) {
                    from.push(peer);
                }
            }
        }
    }
    let mut rules = Vec::new();
    if !from.is_empty() {
        rules.push(json!({"from": from, "ports": [port.clone()]}));
    }
    let external = *server.service.type_ != ServiceType::ClusterIp;
    if external {
        // A NodePort or LoadBalancer Service: clients from anywhere.
        rules.push(json!({"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}, {"ipBlock": {"cidr": "::/0"}}], "ports": [port]}));
    } else if server.ingress.is_some() || server.gateway.is_some() {
        rules.push(json!({"from": [{"namespaceSelector": {}}], "ports": [port]}));
    }
    rules
}

/// Egress from the server's pods: the database and Redis, and HTTPS for
/// the webhooks and notifications automations send.
fn server_egress(server: &Server, database_only: bool) -> Vec<Value> {
    let mut ports = Vec::new();
    match &server.database.value {
        Database::Postgres(p) => ports.push(*p.port),
        Database::PostgresInCluster(_) => ports.push(backing::POSTGRES_PORT),
        Database::Sqlite(_) => {}
    }
    if !database_only {
        match server
            .background_services
            .messaging
            .as_ref()
            .map(|m| &m.value)
        {
            Some(Messaging::Redis(r)) => ports.push(*r.port),
            Some(Messaging::RedisInCluster(_)) => ports.push(backing::REDIS_PORT),
            None => {}
        }
        ports.push(443);
    }
    if ports.is_empty() {
        Vec::new()
    } else {
        vec![anywhere(&ports)]
    }
}

/// Ingress to the ports extra containers declare.
fn sidecar_ingress(t: &PodTemplate) -> Vec<Value> {
    let ports: Vec<Value> = t
        .spec
        .containers
        .iter()
        .chain(&t.spec.init_containers)
        .filter(|k| k.prov.is_some())
        .flat_map(|k| &k.ports)
        .map(|p| json!({"protocol": p.protocol, "port": p.container_port}))
        .collect();
    if ports.is_empty() {
        Vec::new()
    } else {
        vec![json!({"from": [{"namespaceSelector": {}}], "ports": ports})]
    }
}

fn network_policy(
    ctx: &Ctx,
    name: &str,
    origin: Span,
    select: Labels,
    ingress: Vec<Value>,
    egress: Vec<Value>,
) -> Object {
    let labels = object_labels(
        ctx,
        "prefect-network-policy",
        &ctx.site_name,
        "network-policy",
        &ctx.prefect,
    );
    Object {
        resource: Resource::Generic(Generic {
            api_version: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: meta(ctx, name, &ctx.namespace, &labels),
            spec: json!({
                "podSelector": {"matchLabels": select},
                "policyTypes": ["Ingress", "Egress"],
                "ingress": ingress,
                "egress": egress,
            }),
        }),
        origin,
    }
}

/// The site's NetworkPolicies, given the objects lowered so far.
pub fn lower_network(ctx: &Ctx, objects: &[Object]) -> Vec<Object> {
    let mut out = Vec::new();
    let mut site_pods = Labels::new();
    site_pods.insert("app.kubernetes.io/part-of".into(), ctx.site_name.clone());
    out.push(network_policy(
        ctx,
        &format!("{}-default-deny", ctx.site_name),
        ctx.site.site.header,
        site_pods,
        Vec::new(),
        Vec::new(),
    ));
    for o in objects {
        let Some(t) = template(o) else { continue };
        let Some(c) = ctx.site.components.iter().find(|c| c.header == o.origin) else {
            continue;
        };
        // A migrations Job's name changes with its spec; its policy selects
        // its pods by label and keeps one name.
        let name = &if o.resource.is_job() {
            super::server::migrations_base_name(&c.name)
        } else {
            o.meta().name.clone()
        };
        let mut ingress = sidecar_ingress(t);
        let mut egress = vec![dns()];
        match &c.spec {
            Spec::Server(s) if *name == c.name => {
                ingress.extend(server_ingress(ctx, &c.name, s));
                egress.extend(server_egress(s, false));
            }
            // The in-cluster database serves the server's own pods.
            Spec::Server(_) if matches!(o.resource, Resource::StatefulSet(_)) => {
                ingress.push(json!({
                    "from": [{"podSelector": {"matchLabels": {
                        "app.kubernetes.io/name": Kind::Server.app(),
                        "app.kubernetes.io/instance": c.name,
                    }}}],
                    "ports": t.spec.containers.iter().flat_map(|k| &k.ports).map(|p| tcp(p.container_port)).collect::<Vec<_>>(),
                }));
            }
            // The migrations Job needs only the database.
            Spec::Server(s) if matches!(o.resource, Resource::Job(_)) => {
                egress.extend(server_egress(s, true));
            }
            Spec::Server(s) => egress.extend(server_egress(s, false)),
            Spec::Worker(_) | Spec::Agent(_) => {
                egress.extend(api_egress(ctx, c));
                if starts_jobs(c) {
                    // The Kubernetes API: its address depends on the cluster.
                    egress.push(anywhere(&[443, 6443]));
                }
            }
            Spec::Exporter(e) => {
                ingress.push(json!({"from": [{"namespaceSelector": {}}], "ports": [tcp(*e.port)]}));
                egress.extend(api_egress(ctx, c));
            }
            Spec::Pool(_) => {}
        }
        out.push(network_policy(
            ctx,
            name,
            c.header,
            pod_selector(t),
            ingress,
            egress,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::url_port;

    #[test]
    fn ports_of_urls() {
        assert_eq!(url_port("https://api.prefect.cloud/api"), 443);
        assert_eq!(url_port("http://prefect.ns.svc:4200/api"), 4200);
        assert_eq!(url_port("http://prefect/api"), 80);
        assert_eq!(url_port("https://user:pw@host:8443/x"), 8443);
    }
}
