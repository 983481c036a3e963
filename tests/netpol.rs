//! NetworkPolicy oracle. The evaluator, `prefectc::graph::netpol` (a small
//! model of Kubernetes NetworkPolicy semantics written from the Kubernetes
//! documentation,
//! <https://kubernetes.io/docs/concepts/services-networking/network-policies/>,
//! not from prefectc's lowering; its semantics are listed there), answers
//! "may pod A open a connection to B on port P/protocol" for the pods and
//! policies a build emits plus a few pods of the cluster around it
//! (Prometheus, kube-dns, an ingress controller, a flow-run pod, a
//! stranger). Its own tests are here; then the examples are judged against
//! what `docs/policy.md` ("NetworkPolicies") says the site graph implies —
//! and nothing else.

mod support;

use std::collections::BTreeMap;

use serde_yaml::Value;
use support::{build_file, build_text, kind, manifest_dir, objects};

// ---------------------------------------------------------------- the model

// The evaluator is the library's (`prefectc graph` draws what it allows);
// it reads the objects as plain data, the way `kubectl` sees them.
use prefectc::graph::netpol::{Dest, Pod, World};

/// The pod of a workload by name; the test fails without it.
trait PodByName {
    fn pod(&self, name: &str) -> &Pod;
}

impl PodByName for World {
    fn pod(&self, name: &str) -> &Pod {
        self.find_pod(name).unwrap_or_else(|| {
            panic!(
                "no pod {name}; have {:?}",
                self.pods.iter().map(|p| &p.name).collect::<Vec<_>>()
            )
        })
    }
}

fn ip(s: &str) -> [u8; 4] {
    prefectc::graph::netpol::parse_ip(s).expect("an IPv4 address")
}

/// The evaluator's world of a build's objects.
fn world(all: &[Value]) -> World {
    let json: Vec<serde_json::Value> = all
        .iter()
        .map(|o| serde_json::to_value(o).expect("the YAML of a build is JSON data"))
        .collect();
    World::from_objects(&json)
}

fn labels_of(v: &Value) -> BTreeMap<String, String> {
    v.as_mapping()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
        .collect()
}

// ------------------------------------------------ the evaluator's own tests

fn two_pods() -> World {
    let mut w = World::default();
    w.add_pod("a", "x", &[("app", "a")], &[]);
    w.add_pod(
        "b",
        "x",
        &[("app", "b"), ("tier", "db")],
        &[("pg", 5432, "TCP")],
    );
    w.add_pod("c", "y", &[("app", "c")], &[]);
    w
}

fn policy(yaml: &str) -> serde_json::Value {
    serde_yaml::from_str(yaml).expect("a policy")
}

#[test]
fn no_policy_allows_everything() {
    let w = two_pods();
    assert!(w.can(w.pod("a"), Dest::Pod(w.pod("b")), 1234, "UDP"));
}

#[test]
fn a_selected_pod_is_isolated_and_rules_add_up() {
    let mut w = two_pods();
    w.policies.push(policy(
        "metadata: {namespace: x}\nspec: {podSelector: {matchLabels: {app: b}}, ingress: [{from: [{podSelector: {matchLabels: {app: a}}}], ports: [{port: pg}]}]}",
    ));
    let (a, b, c) = (w.pod("a"), w.pod("b"), w.pod("c"));
    assert!(
        w.can(a, Dest::Pod(b), 5432, "TCP"),
        "named port, same namespace"
    );
    assert!(!w.can(a, Dest::Pod(b), 5432, "UDP"), "other protocol");
    assert!(!w.can(a, Dest::Pod(b), 5433, "TCP"), "other port");
    assert!(
        !w.can(c, Dest::Pod(b), 5432, "TCP"),
        "a podSelector alone is this namespace"
    );
    assert!(
        w.can(b, Dest::Pod(a), 80, "TCP"),
        "egress is not isolated: no Egress type"
    );
    // a second policy adds to the first
    w.policies.push(policy(
        "metadata: {namespace: x}\nspec: {podSelector: {matchExpressions: [{key: tier, operator: In, values: [db]}]}, policyTypes: [Ingress], ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}], ports: [{port: 5000, endPort: 5500}]}]}",
    ));
    let (b, c) = (w.pod("b"), w.pod("c"));
    assert!(
        w.can(c, Dest::Pod(b), 5432, "TCP"),
        "union of policies, endPort range"
    );
    assert!(!w.can(c, Dest::Pod(b), 5501, "TCP"));
}

#[test]
fn egress_default_deny_and_ip_blocks() {
    let mut w = two_pods();
    w.policies.push(policy(
        "metadata: {namespace: x}\nspec: {podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]}]}",
    ));
    let a = w.pod("a");
    assert!(w.can(a, Dest::External(ip("10.2.3.4")), 443, "TCP"));
    assert!(
        !w.can(a, Dest::External(ip("10.1.3.4")), 443, "TCP"),
        "except"
    );
    assert!(!w.can(a, Dest::External(ip("192.168.0.1")), 443, "TCP"));
    assert!(
        !w.can(a, Dest::Pod(w.pod("c")), 443, "TCP"),
        "pods are not in the block"
    );
    let c = w.pod("c");
    assert!(
        w.can(c, Dest::Pod(w.pod("a")), 80, "TCP"),
        "namespace y is not selected"
    );
}

#[test]
fn both_selectors_in_one_peer_are_anded() {
    let mut w = two_pods();
    w.add_pod("d", "y", &[("app", "a")], &[]);
    w.policies.push(policy(
        "metadata: {namespace: x}\nspec: {podSelector: {matchLabels: {app: b}}, ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: a}}}]}]}",
    ));
    let b = w.pod("b");
    assert!(w.can(w.pod("d"), Dest::Pod(b), 1, "TCP"));
    assert!(!w.can(w.pod("c"), Dest::Pod(b), 1, "TCP"));
    assert!(
        w.pod("c").labels.get("app").is_some_and(|v| v == "c"),
        "c keeps its own labels"
    );
}

// ---------------------------------------------------- the examples' graphs

const DNS_NS: &str = "kube-system";

/// What `docs/policy.md` says the site graph lets through, written by hand
/// for each example.
struct Site {
    file: &'static str,
    /// The server's port; None when the site has no server.
    server: Option<u16>,
    /// Port of an external PostgreSQL, if the server uses one.
    external_db: Option<u16>,
    /// Port of an external Redis, if the server uses one.
    external_redis: Option<u16>,
    /// The server has an Ingress or Gateway (every namespace may reach it).
    exposed: bool,
    /// The server's Service is a LoadBalancer or NodePort: addresses
    /// outside the cluster may reach it.
    load_balancer: bool,
    /// Namespaces flow runs of kubernetes workers start in.
    job_namespaces: &'static [&'static str],
    /// Workers and agents that call the Kubernetes API (egress 443, 6443).
    kube_clients: &'static [&'static str],
    /// Workers and agents that talk to an API outside the site on this port.
    external_api: Option<u16>,
}

const SITES: &[Site] = &[
    Site {
        file: "examples/minimal.pfk",
        server: Some(4200),
        external_db: None,
        external_redis: None,
        exposed: false,
        load_balancer: false,
        // a worker without job-namespaces starts flow runs in its own namespace
        job_namespaces: &["prefect"],
        kube_clients: &["k8s"],
        external_api: None,
    },
    Site {
        file: "examples/production.pfk",
        server: Some(4200),
        external_db: Some(5432),
        external_redis: Some(6379),
        exposed: true,
        load_balancer: false,
        job_namespaces: &["flows"],
        kube_clients: &["jobs"],
        external_api: None,
    },
    Site {
        file: "examples/scheduling.pfk",
        server: Some(4200),
        external_db: Some(5432),
        external_redis: Some(6379),
        exposed: false,
        load_balancer: true,
        job_namespaces: &["prefect"],
        kube_clients: &["jobs"],
        external_api: None,
    },
    Site {
        file: "examples/teams/site.pfk",
        server: Some(4200),
        external_db: Some(5432),
        external_redis: None,
        exposed: false,
        load_balancer: false,
        job_namespaces: &["flows-etl", "flows-ml", "flows-finance"],
        kube_clients: &["etl", "ml", "finance"],
        external_api: None,
    },
    Site {
        file: "examples/cloud-workers.pfk",
        server: None,
        external_db: None,
        external_redis: None,
        exposed: false,
        load_balancer: false,
        job_namespaces: &[],
        kube_clients: &["gpu"],
        external_api: Some(443),
    },
    Site {
        file: "examples/legacy-agent.pfk",
        server: None,
        external_db: None,
        external_redis: None,
        exposed: false,
        load_balancer: false,
        job_namespaces: &[],
        kube_clients: &["default"],
        external_api: Some(4200),
    },
];

/// An address outside the cluster's pods (an external database, Redis, API).
const OUTSIDE: [u8; 4] = [10, 99, 0, 5];

fn component(p: &Pod) -> &str {
    p.labels
        .get("app.kubernetes.io/component")
        .map_or("", String::as_str)
}

/// The cluster around a site: DNS, Prometheus, an ingress controller, a
/// flow-run pod per job namespace, and strangers.
fn cluster(site: &Site, all: &[Value]) -> World {
    let mut w = world(all);
    w.add_pod(
        "kube-dns",
        DNS_NS,
        &[("k8s-app", "kube-dns")],
        &[("dns", 53, "UDP"), ("dns-tcp", 53, "TCP")],
    );
    w.add_pod(
        "prometheus",
        "monitoring",
        &[("app.kubernetes.io/name", "prometheus")],
        &[],
    );
    w.add_pod(
        "ingress-controller",
        "ingress-nginx",
        &[("app.kubernetes.io/name", "ingress-nginx")],
        &[],
    );
    w.add_pod("stranger", "elsewhere", &[("app", "stranger")], &[]);
    for ns in site.job_namespaces {
        w.add_pod(
            &format!("flow-run-{ns}"),
            ns,
            &[("job-name", "flow-run")],
            &[],
        );
    }
    w
}

/// Every way the site's policies differ from the graph, with `extra`
/// policies added to the cluster (for the negative control).
fn judge(site: &Site, extra: &[serde_json::Value]) -> Vec<String> {
    let path = manifest_dir().join(site.file);
    let all = objects(&build_file(&path), site.file);
    let mut w = cluster(site, &all);
    w.policies.extend(extra.iter().cloned());
    let mut failures = Vec::new();
    let mut expect = |from: &Pod, to: Dest, port: u16, proto: &str, want: bool| {
        if w.can(from, to, port, proto) != want {
            let to = match to {
                Dest::Pod(p) => format!("{}/{}", p.namespace, p.name),
                Dest::External(_) => "outside".into(),
            };
            failures.push(format!(
                "{}: {}/{} → {to} on {port}/{proto}: wanted {}",
                site.file,
                from.namespace,
                from.name,
                if want { "allowed" } else { "denied" }
            ));
        }
    };
    let site_pods: Vec<&Pod> = w
        .pods
        .iter()
        .filter(|p| p.labels.contains_key("app.kubernetes.io/part-of"))
        .collect();
    assert!(!site_pods.is_empty(), "{}: no pods", site.file);
    let of = |c: &str| -> Vec<&Pod> {
        site_pods
            .iter()
            .copied()
            .filter(|p| component(p) == c)
            .collect()
    };
    let clients: Vec<&Pod> = ["worker", "agent", "exporter"]
        .iter()
        .flat_map(|c| of(c))
        .collect();
    let dns = w.pod("kube-dns");
    let outside = Dest::External(OUTSIDE);
    let mut failures_outside = Vec::new();

    // Everything in the site resolves names.
    for p in &site_pods {
        expect(p, Dest::Pod(dns), 53, "UDP", true);
        expect(p, Dest::Pod(dns), 53, "TCP", true);
    }
    // Prometheus scrapes the exporters on their metrics port.
    for e in of("exporter") {
        let metrics = e.ports.first().expect("the exporter declares its port").1;
        expect(w.pod("prometheus"), Dest::Pod(e), metrics, "TCP", true);
        expect(w.pod("prometheus"), Dest::Pod(e), metrics + 1, "TCP", false);
    }
    if let Some(port) = site.server {
        for server in of("server") {
            let to = Dest::Pod(server);
            for c in &clients {
                expect(c, to, port, "TCP", true);
                expect(c, to, port + 1, "TCP", false);
            }
            for ns in site.job_namespaces {
                expect(w.pod(&format!("flow-run-{ns}")), to, port, "TCP", true);
            }
            expect(w.pod("ingress-controller"), to, port, "TCP", site.exposed);
            expect(w.pod("stranger"), to, port, "TCP", site.exposed);
            expect(w.pod("prometheus"), to, port, "TCP", site.exposed);
            // From outside the cluster only through a LoadBalancer or
            // NodePort Service (`docs/policy.md` does not say so; the
            // lowering does it, and it is what such a Service is for).
            let from_outside = w.allowed(
                &w.selecting(server, "Ingress"),
                "Ingress",
                outside,
                to,
                port,
                "TCP",
            );
            if from_outside != site.load_balancer {
                failures_outside.push(format!(
                    "{}: outside → server on {port}: wanted {}",
                    site.file,
                    if site.load_balancer {
                        "allowed"
                    } else {
                        "denied"
                    }
                ));
            }
            // the server starts nothing towards its clients
            for c in &clients {
                for (_, p, proto) in &c.ports {
                    expect(server, Dest::Pod(c), *p, proto, false);
                }
                expect(server, Dest::Pod(c), 8080, "TCP", false);
            }
        }
        for p in of("server")
            .into_iter()
            .chain(of("background-services"))
            .chain(of("migrations"))
        {
            if let Some(db) = site.external_db {
                expect(p, outside, db, "TCP", true);
            }
        }
        for p in of("server").into_iter().chain(of("background-services")) {
            if let Some(redis) = site.external_redis {
                expect(p, outside, redis, "TCP", true);
            }
        }
        for m in of("migrations") {
            if let Some(redis) = site.external_redis {
                expect(m, outside, redis, "TCP", false);
            }
            expect(m, outside, 443, "TCP", false);
        }
    }
    // Clients reach no database, no Redis, and no other client.
    for c in &clients {
        for port in [5432, 6379] {
            expect(c, outside, port, "TCP", false);
        }
        for other in &clients {
            for (_, p, proto) in &other.ports {
                expect(c, Dest::Pod(other), *p, proto, false);
            }
        }
        let instance = c
            .labels
            .get("app.kubernetes.io/instance")
            .cloned()
            .unwrap_or_default();
        let kube = site.kube_clients.contains(&instance.as_str());
        expect(c, outside, 6443, "TCP", kube);
        if let Some(api) = site.external_api {
            expect(c, outside, api, "TCP", true);
        }
    }
    // Strangers reach nothing of the site but what is exposed.
    for p in &site_pods {
        let exposed_port = match component(p) {
            "exporter" => p.ports.first().map(|x| x.1),
            "server" if site.exposed => site.server,
            _ => None,
        };
        for port in [80u16, 443, 4200, 5432, 8000, 8080] {
            let want = exposed_port == Some(port);
            expect(w.pod("stranger"), Dest::Pod(p), port, "TCP", want);
        }
    }
    failures.extend(failures_outside);
    failures
}

#[test]
fn the_examples_allow_what_the_site_graph_implies_and_nothing_else() {
    let failures: Vec<String> = SITES.iter().flat_map(|s| judge(s, &[])).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_example_is_judged() {
    let judged: Vec<String> = SITES.iter().map(|s| s.file.to_string()).collect();
    for path in support::every_site() {
        let file = support::short(&path);
        if file.starts_with("examples/") {
            assert!(judged.contains(&file), "{file} has no row in SITES");
        }
    }
}

/// In-cluster PostgreSQL and Redis: pod to pod, from the server only.
#[test]
fn in_cluster_stores_are_reached_by_the_server_only() {
    let out = build_text(
        r#"site demo {
  namespace = "prefect"
  prefect   = "3.4.25"
}
server prefect {
  database = postgres.in-cluster { password = secret("pg", "password") }
  background-services {
    separate  = true
    messaging = redis.in-cluster { password = secret("redis", "password") }
  }
}
pool jobs { type = kubernetes }
worker w {
  pool = jobs
  api  = prefect
}
exporter metrics { api = prefect }
"#,
    );
    let all = objects(&out, "the in-cluster site");
    let w = world(&all);
    let (pg, redis) = (w.pod("prefect-postgresql"), w.pod("prefect-redis"));
    for from in ["prefect", "prefect-background-services"] {
        assert!(
            w.can(w.pod(from), Dest::Pod(pg), 5432, "TCP"),
            "{from} → postgresql"
        );
        assert!(
            w.can(w.pod(from), Dest::Pod(redis), 6379, "TCP"),
            "{from} → redis"
        );
    }
    // The Job's name ends with a hash of its spec.
    let migrations = w
        .pods
        .iter()
        .find(|p| p.name.starts_with("prefect-db-migrations-"))
        .expect("the migrations Job's pod");
    assert!(w.can(migrations, Dest::Pod(pg), 5432, "TCP"));
    assert!(!w.can(migrations, Dest::Pod(redis), 6379, "TCP"));
    // In-cluster stores are reached at their pods only: no database or
    // Redis port to an address outside the cluster.
    let outside = Dest::External(ip("203.0.113.5"));
    for from in ["prefect", "prefect-background-services"] {
        assert!(
            !w.can(w.pod(from), outside, 5432, "TCP"),
            "{from} → outside:5432"
        );
        assert!(
            !w.can(w.pod(from), outside, 6379, "TCP"),
            "{from} → outside:6379"
        );
        assert!(w.can(w.pod(from), outside, 443, "TCP"), "{from} → webhooks");
    }
    assert!(!w.can(migrations, outside, 5432, "TCP"));
    for from in ["w", "metrics"] {
        assert!(
            !w.can(w.pod(from), Dest::Pod(pg), 5432, "TCP"),
            "{from} → postgresql"
        );
        assert!(
            !w.can(w.pod(from), Dest::Pod(redis), 6379, "TCP"),
            "{from} → redis"
        );
    }
    assert!(
        !w.can(pg, Dest::Pod(redis), 6379, "TCP"),
        "postgresql → redis"
    );
}

/// Workers generated by one `for` share a declaration header: each still
/// gets the traffic of its own type. (Before the policies were built from
/// each component's declared traffic, the process worker was matched to
/// the first worker of its loop and could reach the Kubernetes API.)
#[test]
fn loop_generated_workers_get_their_own_traffic() {
    let out = build_text(
        r#"site demo {
  namespace = "prefect"
  prefect   = "3.4.25"
}
server prefect { database = sqlite {} }
pool k8s { type = kubernetes }
pool local { type = process }
for p in ["k8s", "local"] {
  worker "w-${p}" {
    pool = p
    type = if p == "k8s" { kubernetes } else { process }
    api  = prefect
  }
}
"#,
    );
    let all = objects(&out, "the looped workers");
    let w = world(&all);
    let api_server = Dest::External(ip("10.96.0.1"));
    assert!(w.can(w.pod("w-k8s"), api_server, 6443, "TCP"));
    assert!(!w.can(w.pod("w-local"), api_server, 6443, "TCP"));
    assert!(!w.can(w.pod("w-local"), api_server, 443, "TCP"));
    for worker in ["w-k8s", "w-local"] {
        assert!(w.can(w.pod(worker), Dest::Pod(w.pod("prefect")), 4200, "TCP"));
    }
}

/// The negative control: a policy that allows everything to every pod of
/// the site's namespace must make the oracle fail (the worker would reach
/// the database, a stranger the server).
#[test]
fn an_allow_all_policy_makes_the_oracle_fail() {
    let site = &SITES[2]; // scheduling: not exposed, an external database
    assert!(judge(site, &[]).is_empty(), "the site passes as built");
    let allow_all = policy(
        "metadata: {namespace: prefect}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress], ingress: [{}], egress: [{}]}",
    );
    let failures = judge(site, &[allow_all]);
    for wanted in [
        "prefect/jobs → outside on 5432/TCP: wanted denied",
        "elsewhere/stranger → prefect/prefect on 4200/TCP: wanted denied",
    ] {
        assert!(
            failures.iter().any(|f| f.ends_with(wanted)),
            "the oracle missed `{wanted}`: {failures:#?}"
        );
    }
}

/// `docs/policy.md`: "any pod with sidecars: from every namespace on the
/// ports the sidecars declare" — and only those ports.
#[test]
fn a_sidecar_port_is_open_and_nothing_else_is() {
    let out = build_text(
        r#"site demo {
  namespace = "prefect"
  prefect   = "3.4.25"
}
server prefect {
  database = sqlite {}
  sidecars = [{ name = "proxy", image = "envoyproxy/envoy:v1.30.1", ports = [{ name = "admin", port = 9901 }], readiness-probe = { path = "/ready", port = 9901 }, liveness-probe = { path = "/ready", port = 9901 } }]
}
pool jobs { type = kubernetes }
worker w {
  pool = jobs
  api  = prefect
}
"#,
    );
    let all = objects(&out, "the site with a sidecar");
    let mut w = world(&all);
    w.add_pod("stranger", "elsewhere", &[("app", "stranger")], &[]);
    let (stranger, server, worker) = (w.pod("stranger"), w.pod("prefect"), w.pod("w"));
    assert!(
        w.can(stranger, Dest::Pod(server), 9901, "TCP"),
        "the sidecar's port"
    );
    assert!(
        !w.can(stranger, Dest::Pod(server), 4200, "TCP"),
        "the API is not exposed"
    );
    assert!(!w.can(stranger, Dest::Pod(server), 9902, "TCP"));
    assert!(w.can(worker, Dest::Pod(server), 4200, "TCP"));
    assert!(
        !w.can(stranger, Dest::Pod(worker), 8080, "TCP"),
        "the worker has no sidecar"
    );
}

// ------------------------------------------- invariants of every build

/// The pods a Service selects, and the container port its first port
/// reaches on each.
fn service_backends<'a>(w: &'a World, service: &Value) -> Vec<(&'a Pod, u16)> {
    let ns = service["metadata"]["namespace"]
        .as_str()
        .unwrap_or_default();
    let selector = labels_of(&service["spec"]["selector"]);
    let target = &service["spec"]["ports"][0]["targetPort"];
    w.pods
        .iter()
        .filter(|p| p.namespace == ns && !selector.is_empty())
        .filter(|p| selector.iter().all(|(k, v)| p.labels.get(k) == Some(v)))
        .filter_map(|p| {
            let port = match target {
                Value::Number(n) => n.as_u64().map(|n| n as u16),
                Value::String(name) => p.ports.iter().find(|x| x.0 == *name).map(|x| x.1),
                _ => None,
            }?;
            Some((p, port))
        })
        .collect()
}

/// Every example, parity program and `everything.pfk`: what holds whatever
/// the site. A client whose `PREFECT_API_URL` names a Service of the site
/// reaches a pod behind it on the port the Service forwards to (the URL,
/// the Service and the policies agree); every site pod resolves names;
/// clients, migrations and the in-cluster stores reach no store they do
/// not use.
#[test]
fn every_build_keeps_the_invariants() {
    let mut failures = Vec::new();
    let mut urls_followed = 0;
    for path in support::every_site() {
        let site = support::short(&path);
        let all = objects(&build_file(&path), &site);
        let mut w = world(&all);
        w.add_pod("kube-dns", DNS_NS, &[("k8s-app", "kube-dns")], &[]);
        let dns = w.pod("kube-dns");
        let site_pods: Vec<&Pod> = w
            .pods
            .iter()
            .filter(|p| p.labels.contains_key("app.kubernetes.io/part-of"))
            .collect();
        let stores: Vec<&Pod> = site_pods
            .iter()
            .copied()
            .filter(|p| matches!(component(p), "postgresql" | "redis"))
            .collect();
        for p in &site_pods {
            for proto in ["UDP", "TCP"] {
                if !w.can(p, Dest::Pod(dns), 53, proto) {
                    failures.push(format!("{site}: {} cannot resolve names ({proto})", p.name));
                }
            }
            let uses_stores = matches!(component(p), "server" | "background-services");
            for store in &stores {
                let reaches = w.can(p, Dest::Pod(store), store.ports[0].1, "TCP");
                let may = uses_stores
                    || (component(p) == "migrations" && component(store) == "postgresql");
                if reaches && !may {
                    failures.push(format!("{site}: {} reaches {}", p.name, store.name));
                }
            }
            if matches!(
                component(p),
                "worker" | "agent" | "exporter" | "postgresql" | "redis"
            ) {
                for port in [5432, 6379] {
                    if w.can(p, Dest::External(OUTSIDE), port, "TCP") {
                        failures.push(format!(
                            "{site}: {} reaches a database port {port} outside",
                            p.name
                        ));
                    }
                }
            }
        }
        // The API URL works through the Service and the policies.
        for o in all.iter().filter(|o| kind(o) == "Deployment") {
            let c = &o["spec"]["template"]["spec"]["containers"][0];
            let Some(url) = support::env_value(c, "PREFECT_API_URL") else {
                continue;
            };
            let Some(rest) = url.strip_prefix("http://") else {
                continue;
            };
            let authority = rest.split('/').next().unwrap_or_default();
            let (host, port) = authority.rsplit_once(':').unwrap_or((authority, "80"));
            let port: u16 = port.parse().expect("a port in the URL");
            let parts: Vec<&str> = host.split('.').collect();
            let [svc, ns, "svc", "cluster", "local"] = parts[..] else {
                continue;
            };
            let Some(service) = all.iter().find(|s| {
                kind(s) == "Service"
                    && support::name(s) == svc
                    && s["metadata"]["namespace"].as_str() == Some(ns)
            }) else {
                continue; // a server outside this site
            };
            let client = w.pod(support::name(o));
            if service["spec"]["ports"][0]["port"].as_u64() != Some(u64::from(port)) {
                failures.push(format!(
                    "{site}: {} calls {svc} on {port}, the Service listens on {:?}",
                    client.name, service["spec"]["ports"][0]["port"]
                ));
            }
            urls_followed += 1;
            let backends = service_backends(&w, service);
            if backends.is_empty() {
                failures.push(format!("{site}: Service {svc} selects no pod"));
            }
            for (pod, target) in backends {
                if !w.can(client, Dest::Pod(pod), target, "TCP") {
                    failures.push(format!(
                        "{site}: {} cannot reach {} on {target} behind {url}",
                        client.name, pod.name
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        urls_followed >= 10,
        "only {urls_followed} API URLs were followed"
    );
}

/// `docs/policy.md`: under `baseline` there are no NetworkPolicies.
#[test]
fn baseline_emits_no_network_policies() {
    let text = std::fs::read_to_string(manifest_dir().join("examples/minimal.pfk"))
        .expect("the example is readable")
        .replace(
            "  prefect   = \"3.4.25\"\n",
            "  prefect   = \"3.4.25\"\n  policy    = baseline\n",
        );
    assert!(text.contains("policy    = baseline"), "the profile was set");
    let all = objects(&build_text(&text), "minimal under baseline");
    let policies: Vec<&str> = all
        .iter()
        .filter(|o| kind(o) == "NetworkPolicy")
        .map(support::name)
        .collect();
    assert!(policies.is_empty(), "{policies:?}");
}

/// Each rule of a NetworkPolicy names each peer once: the server's API
/// clients whose flow runs share a namespace add it once, the site's own
/// (every pod of it) as much as another (by its name).
#[test]
fn a_rule_names_each_peer_once() {
    let mut text = String::from(
        "site demo {\n  namespace = \"prefect\"\n  prefect   = \"3.4.25\"\n}\n\
         server prefect { database = sqlite {} }\n",
    );
    for (i, ns) in ["prefect", "prefect", "flows", "flows"].iter().enumerate() {
        text.push_str(&format!(
            "pool p{i} {{ type = kubernetes }}\n\
             worker w{i} {{\n  pool = p{i}\n  api = prefect\n  job-namespaces = [\"{ns}\"]\n}}\n"
        ));
    }
    let all = objects(
        &build_text(&text),
        "four workers in two flow-run namespaces",
    );
    let mut rules = 0;
    for policy in all.iter().filter(|o| kind(o) == "NetworkPolicy") {
        for (direction, peers) in [("ingress", "from"), ("egress", "to")] {
            for rule in policy["spec"][direction]
                .as_sequence()
                .into_iter()
                .flatten()
            {
                let peers: Vec<&Value> = rule[peers].as_sequence().into_iter().flatten().collect();
                for (i, p) in peers.iter().enumerate() {
                    assert!(
                        !peers[..i].contains(p),
                        "{} lists {p:?} twice",
                        support::name(policy)
                    );
                }
                rules += 1;
            }
        }
    }
    assert!(rules > 0, "no rule was read");
    let server = all
        .iter()
        .find(|o| kind(o) == "NetworkPolicy" && support::name(o) == "prefect")
        .expect("the server's NetworkPolicy");
    let clients = serde_yaml::to_string(&server["spec"]["ingress"]).expect("YAML");
    assert!(
        clients.contains("kubernetes.io/metadata.name: flows"),
        "{clients}"
    );
}
