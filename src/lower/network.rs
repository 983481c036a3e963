//! NetworkPolicies (under `policy = restricted`): a default-deny policy for
//! every pod of the site, and one per workload allowing the traffic its
//! kind's lowering declared ([`Traffic`]): clients to the server's API, the
//! server to its database and Redis, Prometheus to the exporter, an ingress
//! controller or gateway to an exposed server, workers to the Kubernetes API
//! and to Prefect Cloud, and everyone to DNS. Ports come from where they are
//! defined: the server's `port`, the database's, the exporter's.

mod kept;

pub use kept::KeptPolicies;

use super::Ctx;
use super::k8s::*;
use super::meta::{labels as object_labels, meta_shared};
use crate::model::api::ApiTarget;
use crate::model::schema::Api;
use crate::source::Span;

/// What one workload's pods send and accept, declared by its kind's lowering.
#[derive(Clone)]
pub struct Traffic {
    /// The NetworkPolicy's name.
    pub policy: String,
    /// The component that declared it.
    pub origin: Span,
    /// The labels that select the pods.
    pub pods: SharedLabels,
    pub ingress: Vec<Accept>,
    pub egress: Vec<NetworkRule>,
    /// The API server this workload's pods call, by name, if it is one of
    /// the site's: the server's policy accepts them (and `flow_runs_in`).
    pub api_client_of: Option<String>,
    /// The namespaces of the flow-run pods these pods start: they report to
    /// the same API.
    pub flow_runs_in: Vec<String>,
}

/// An ingress rule, or the place in the list where a server accepts the
/// clients of its API (known once every component has declared its own).
#[derive(Clone)]
pub enum Accept {
    Rule(NetworkRule),
    ApiClients { server: String, port: i64 },
}

pub fn tcp(port: i64) -> NetworkPort {
    NetworkPort {
        protocol: "TCP",
        port: Some(port),
    }
}

pub fn rule(ports: Vec<NetworkPort>) -> NetworkRule {
    NetworkRule {
        from: Vec::new(),
        to: Vec::new(),
        ports,
    }
}

fn selector(labels: SharedLabels) -> Option<Selector> {
    Some(Selector {
        match_labels: labels,
    })
}

pub fn pods_peer(labels: SharedLabels) -> Peer {
    Peer {
        pod_selector: selector(labels),
        namespace_selector: None,
        ip_block: None,
    }
}

fn namespaces_peer(labels: SharedLabels) -> Peer {
    Peer {
        pod_selector: None,
        namespace_selector: selector(labels),
        ip_block: None,
    }
}

pub fn block(cidr: &'static str) -> Peer {
    Peer {
        pod_selector: None,
        namespace_selector: None,
        ip_block: Some(IpBlock { cidr }),
    }
}

/// Egress to the cluster DNS.
pub fn dns() -> NetworkRule {
    rule(vec![
        NetworkPort {
            protocol: "UDP",
            port: Some(53),
        },
        tcp(53),
    ])
}

/// Egress to any address on these ports (external services whose
/// addresses the site does not know).
/// Egress to any address on every TCP port: for a destination whose port
/// is read from a Secret at run time.
pub fn anywhere_any_tcp_port() -> NetworkRule {
    rule(vec![NetworkPort {
        protocol: "TCP",
        port: None,
    }])
}

pub fn anywhere(ports: &[i64]) -> NetworkRule {
    rule(ports.iter().map(|p| tcp(*p)).collect())
}

/// Ingress from any namespace (an ingress controller, a gateway,
/// Prometheus) on `ports`.
pub fn from_any_namespace(ports: Vec<NetworkPort>) -> NetworkRule {
    NetworkRule {
        from: vec![namespaces_peer(SharedLabels::default())],
        ..rule(ports)
    }
}

/// Ingress from the pods `labels` select on `ports`.
pub fn from_pods(labels: SharedLabels, ports: Vec<NetworkPort>) -> NetworkRule {
    NetworkRule {
        from: vec![pods_peer(labels)],
        ..rule(ports)
    }
}

/// The Kubernetes API: its address depends on the cluster.
pub fn kubernetes_api() -> NetworkRule {
    anywhere(&[443, 6443])
}

/// Ingress to the ports the user's extra containers declare.
pub fn sidecar_ingress(spec: &PodSpec) -> Option<Accept> {
    let ports: Vec<NetworkPort> = spec
        .containers
        .iter()
        .chain(&spec.init_containers)
        .filter(|k| k.prov.is_some())
        .flat_map(|k| &k.ports)
        .map(|p| NetworkPort {
            protocol: p.protocol,
            port: Some(p.container_port),
        })
        .collect();
    (!ports.is_empty()).then(|| Accept::Rule(from_any_namespace(ports)))
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

/// Egress from a client to its Prefect API: the server's pods on its port,
/// or any address on the URL's port.
pub fn api_egress(ctx: &Ctx, target: &ApiTarget) -> Vec<NetworkRule> {
    let url = match &target.api.value {
        Api::Server(_) => {
            return target
                .server
                .map(|(name, s)| NetworkRule {
                    to: vec![pods_peer(super::meta::selector(
                        ctx,
                        crate::model::Kind::Server.app(),
                        name,
                        crate::model::Kind::Server.as_str(),
                    ))],
                    ..rule(vec![tcp(*s.port)])
                })
                .into_iter()
                .collect();
        }
        Api::SelfHosted(s) => s.url.as_str(),
        Api::CustomerCloud(c) => c.api_url.as_str(),
        Api::Cloud(_) => "https://",
    };
    vec![anywhere(&[url_port(url)])]
}

pub(super) fn network_policy(
    ctx: &Ctx,
    name: &str,
    origin: Span,
    select: SharedLabels,
    ingress: Vec<NetworkRule>,
    egress: Vec<NetworkRule>,
) -> Object {
    let labels = ctx.network_policy_labels.get_or_init(|| {
        object_labels(
            ctx,
            "prefect-network-policy",
            &ctx.site_name,
            "network-policy",
            &ctx.prefect,
        )
        .into()
    });
    Object {
        resource: std::sync::Arc::new(Resource::NetworkPolicy(Box::new(NetworkPolicy {
            api_version: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: meta_shared(ctx, name, &ctx.namespace, labels.clone()),
            spec: NetworkPolicySpec {
                pod_selector: LabelSelector {
                    match_labels: select,
                },
                policy_types: vec!["Ingress", "Egress"],
                ingress,
                egress,
            },
        }))),
        origin,
    }
}

/// The peers of the clients of a server's API (`clients`, in declaration
/// order), and the namespaces their flow runs report from.
fn api_clients(ctx: &Ctx, clients: &[&Traffic]) -> Vec<Peer> {
    let mut from = Vec::new();
    // A flow-run namespace is added once: the site's own as every pod of
    // it (unless a client already selects every pod), another by its name
    // (a namespace selector, which no pod selector equals). Sets, not a
    // scan of the list, which was quadratic in the number of workers.
    let every_pod = pods_peer(SharedLabels::default());
    let mut has_every_pod = false;
    let mut namespaces = crate::map::HashSet::default();
    for t in clients {
        let pods = pods_peer(t.pods.clone());
        has_every_pod |= pods == every_pod;
        from.push(pods);
        for ns in &t.flow_runs_in {
            if **ns == *ctx.namespace {
                if !has_every_pod {
                    from.push(every_pod.clone());
                    has_every_pod = true;
                }
            } else if namespaces.insert(ns.as_str()) {
                let mut l = Labels::default();
                l.insert("kubernetes.io/metadata.name".into(), ns.clone());
                from.push(namespaces_peer(l.into()));
            }
        }
    }
    from
}

/// The site's NetworkPolicies, from the traffic every workload declared;
/// each the last build's in `kept` when that is the same.
pub fn lower_network(ctx: &Ctx, traffic: &[Traffic], kept: Option<&KeptPolicies>) -> Vec<Object> {
    let mut out = Vec::new();
    let mut site_pods = Labels::default();
    site_pods.insert(crate::model::labels::PART_OF.into(), ctx.site_name.clone());
    out.push(network_policy(
        ctx,
        &format!("{}-default-deny", ctx.site_name),
        ctx.site.site.header,
        site_pods.into(),
        Vec::new(),
        Vec::new(),
    ));
    // Each server's clients, found in one pass: a scan of all the traffic
    // for each server was quadratic in a site of a server per team.
    let mut clients: crate::map::HashMap<&str, Vec<&Traffic>> = Default::default();
    for t in traffic {
        if let Some(server) = t.api_client_of.as_deref() {
            clients.entry(server).or_default().push(t);
        }
    }
    for t in traffic {
        let mut ingress = Vec::new();
        for accept in &t.ingress {
            match accept {
                Accept::Rule(r) => ingress.push(r.clone()),
                Accept::ApiClients { server, port } => {
                    let of_server = clients.get(server.as_str()).map_or(&[][..], Vec::as_slice);
                    let from = api_clients(ctx, of_server);
                    if !from.is_empty() {
                        ingress.push(NetworkRule {
                            from,
                            ..rule(vec![tcp(*port)])
                        });
                    }
                }
            }
        }
        out.push(network_policy(
            ctx,
            &t.policy,
            t.origin,
            t.pods.clone(),
            ingress,
            t.egress.clone(),
        ));
    }
    if let Some(kept) = kept {
        out = out.into_iter().map(|o| kept.same_or(o)).collect();
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
