//! NetworkPolicies derived from the site graph (under `policy = restricted`):
//! a default-deny policy for every pod of the site, and per workload the
//! traffic the site itself implies — clients to the server's API, the
//! server to its database and Redis, Prometheus to the exporter, an ingress
//! controller or gateway to an exposed server, workers to the Kubernetes
//! API and to Prefect Cloud, and everyone to DNS.

use serde_json::{Value, json};

use super::Ctx;
use super::k8s::{Generic, Labels, Object, PodTemplate, Resource};
use super::pod;
use crate::check::model::{Component, Kind, TVal};

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
    match &o.resource {
        Resource::Deployment(d) => Some(&d.spec.template),
        Resource::Job(j) => Some(&j.spec.template),
        Resource::StatefulSet(s) => Some(&s.spec.template),
        _ => None,
    }
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

fn server_port(server: &Component) -> i64 {
    server.fields.int("port").unwrap_or(4200)
}

fn server_pods(server: &Component) -> Labels {
    pod::selector("prefect-server", &server.name, "server")
}

/// Egress from a client of the Prefect API (worker, agent, exporter).
fn api_egress(ctx: &Ctx, c: &Component) -> Vec<Value> {
    match c.fields.variant("api") {
        Some(("server", t)) => match &t.value {
            TVal::Ref { name, .. } => ctx
                .site
                .find(Kind::Server, name)
                .map(|s| {
                    vec![json!({
                        "to": [{"podSelector": {"matchLabels": server_pods(s)}}],
                        "ports": [tcp(server_port(s))],
                    })]
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        },
        Some((_, t)) => match &t.value {
            TVal::Record(r) => {
                let url = r.str("url").or(r.str("api-url")).unwrap_or("https://");
                vec![anywhere(&[url_port(url)])]
            }
            _ => Vec::new(),
        },
        None => Vec::new(),
    }
}

/// Ingress to a server's API port: from the clients that name it, and from
/// every namespace (the ingress controller or gateway) when it is exposed.
fn server_ingress(ctx: &Ctx, server: &Component) -> Vec<Value> {
    let port = tcp(server_port(server));
    let mut from = Vec::new();
    for c in &ctx.site.components {
        let Some(("server", t)) = c.fields.variant("api") else {
            continue;
        };
        if !matches!(&t.value, TVal::Ref { name, .. } if *name == server.name) {
            continue;
        }
        let app = match c.kind {
            Kind::Worker => ("prefect-worker", "worker"),
            Kind::Agent => ("prefect-agent", "agent"),
            Kind::Exporter => ("prometheus-prefect-exporter", "exporter"),
            _ => continue,
        };
        from.push(json!({"podSelector": {"matchLabels": pod::selector(app.0, &c.name, app.1)}}));
        // The flow runs a Kubernetes worker or an agent starts report to the
        // API from pods of their own, in the job namespaces.
        let starts_jobs = c.kind == Kind::Agent
            || (c.kind == Kind::Worker && c.fields.enum_("type") == Some("kubernetes"));
        if starts_jobs {
            let listed = c.fields.strings("job-namespaces");
            let namespaces = if listed.is_empty() {
                vec![ctx.namespace.as_str()]
            } else {
                listed
            };
            for ns in namespaces {
                let peer = if ns == ctx.namespace {
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
    let external = server
        .fields
        .record("service")
        .and_then(|s| s.enum_("type"))
        .is_some_and(|t| t != "cluster-ip");
    if external {
        // A NodePort or LoadBalancer Service: clients from anywhere.
        rules.push(json!({"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}, {"ipBlock": {"cidr": "::/0"}}], "ports": [port]}));
    } else if server.fields.get("ingress").is_some() || server.fields.get("gateway").is_some() {
        rules.push(json!({"from": [{"namespaceSelector": {}}], "ports": [port]}));
    }
    rules
}

/// Egress from the server's pods: the database and Redis, and HTTPS for
/// the webhooks and notifications automations send.
fn server_egress(server: &Component, database_only: bool) -> Vec<Value> {
    let mut ports = Vec::new();
    match server.fields.variant("database") {
        Some(("postgres", t)) => {
            if let TVal::Record(r) = &t.value {
                ports.push(r.int("port").unwrap_or(5432));
            }
        }
        Some(("postgres.in-cluster", _)) => ports.push(5432),
        _ => {}
    }
    if !database_only {
        if let Some(bg) = server.fields.record("background-services")
            && let Some((tag, t)) = bg.variant("messaging")
            && let TVal::Record(r) = &t.value
        {
            ports.push(if tag == "redis.in-cluster" {
                6379
            } else {
                r.int("port").unwrap_or(6379)
            });
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
    origin: &Component,
    select: Labels,
    ingress: Vec<Value>,
    egress: Vec<Value>,
) -> Object {
    let labels = pod::labels(
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
            metadata: pod::meta(ctx, name, &ctx.namespace, &labels),
            spec: json!({
                "podSelector": {"matchLabels": select},
                "policyTypes": ["Ingress", "Egress"],
                "ingress": ingress,
                "egress": egress,
            }),
        }),
        origin: origin.header,
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
        &ctx.site.site,
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
        let name = &match o.resource {
            Resource::Job(_) => super::server::migrations_base_name(&c.name),
            _ => o.meta().name.clone(),
        };
        let mut ingress = sidecar_ingress(t);
        let mut egress = vec![dns()];
        match c.kind {
            Kind::Server if *name == c.name => {
                ingress.extend(server_ingress(ctx, c));
                egress.extend(server_egress(c, false));
            }
            // The in-cluster database serves the server's own pods.
            Kind::Server if matches!(o.resource, Resource::StatefulSet(_)) => {
                ingress.push(json!({
                    "from": [{"podSelector": {"matchLabels": {
                        "app.kubernetes.io/name": "prefect-server",
                        "app.kubernetes.io/instance": c.name,
                    }}}],
                    "ports": t.spec.containers.iter().flat_map(|k| &k.ports).map(|p| tcp(p.container_port)).collect::<Vec<_>>(),
                }));
            }
            // The migrations Job needs only the database.
            Kind::Server if matches!(o.resource, Resource::Job(_)) => {
                egress.extend(server_egress(c, true));
            }
            Kind::Server => egress.extend(server_egress(c, false)),
            Kind::Worker | Kind::Agent => {
                egress.extend(api_egress(ctx, c));
                let kubernetes =
                    c.kind == Kind::Agent || c.fields.enum_("type") == Some("kubernetes");
                if kubernetes {
                    // The Kubernetes API: its address depends on the cluster.
                    egress.push(anywhere(&[443, 6443]));
                }
            }
            Kind::Exporter => {
                let port = c.fields.int("port").unwrap_or(8000);
                ingress.push(json!({"from": [{"namespaceSelector": {}}], "ports": [tcp(port)]}));
                egress.extend(api_egress(ctx, c));
            }
            Kind::Site | Kind::Pool => {}
        }
        out.push(network_policy(
            ctx,
            name,
            c,
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
