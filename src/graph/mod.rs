//! `prefectc graph`: the site's topology, drawn from the objects a build
//! emits. Workloads (the server and its background services, migrations,
//! in-cluster PostgreSQL and Redis, workers, agents, the exporter), the
//! Ingress or Gateway in front of the server, the Secrets each workload
//! reads, the work pools the workers poll, the namespaces their flow runs
//! start in, and the connections the emitted NetworkPolicies allow, found by
//! evaluating them ([`netpol`]) against the pods' labels.
//!
//! Everything but the pools comes from the lowered objects; what the
//! checked model adds is read in one place, [`components`].

#[allow(clippy::wildcard_enum_match_arm)] // evaluates policies as JSON
pub mod netpol;
pub mod reach;
mod render;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::lower::k8s::Object;
use crate::map::{HashMap, HashSet};
use crate::model::{Kind, Site, Spec};
use crate::source::Span;
use netpol::{LabelMap, Pod, World, seq};
use reach::{End, Reach};

/// What a node stands for; it decides the shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    /// A Deployment or Job.
    Workload,
    /// A StatefulSet: an in-cluster database or Redis.
    Store,
    /// An Ingress, Gateway or HTTPRoute.
    Route,
    Secret,
    Pool,
    /// The pods the site's workers start for flow runs.
    FlowRuns,
    /// Pods and addresses that are not the site's.
    Peer,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Stable and unique: `Deployment/prefect/prefect`.
    pub id: String,
    /// Lines of text.
    pub label: Vec<String>,
    pub kind: NodeKind,
    /// The box it is drawn in: `namespace prefect`, `Prefect work pools`.
    pub group: Option<String>,
}

/// What an edge says; it decides the style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    /// A connection the NetworkPolicies allow; the label is the ports.
    Network,
    /// An Ingress, Gateway or route sending traffic to a workload.
    Routes,
    /// A workload (or route) reading a Secret; the label is the keys.
    Reads,
    /// A worker or agent polling a work pool.
    Polls,
    /// A worker or agent creating flow-run Jobs in a namespace.
    Creates,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub label: String,
}

/// The topology of one site, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub title: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Lines said under the title (no NetworkPolicies, DNS not drawn).
    pub notes: Vec<String>,
}

impl Graph {
    /// Graphviz DOT.
    pub fn dot(&self) -> String {
        render::dot(self)
    }

    /// A Mermaid flowchart (GitHub renders it in Markdown).
    pub fn mermaid(&self) -> String {
        render::mermaid(self)
    }
}

/// A component as the graph needs it.
struct ComponentFacts {
    header: Span,
    /// `pool`: its type.
    pool_type: Option<String>,
    /// `worker`, `agent`: the pool it polls.
    polls: Option<String>,
    kind: Kind,
    name: String,
}

/// Everything the graph reads from the checked model, in one place: the
/// site's name, and each component's kind, name and header (which objects
/// it emitted), a pool's type and the pool a worker or agent polls.
fn components(site: &Site) -> (String, Vec<ComponentFacts>) {
    let facts = site
        .components
        .iter()
        .map(|c| ComponentFacts {
            header: c.header,
            pool_type: c.spec.pool().map(|p| p.type_.as_str().to_string()),
            polls: match &c.spec {
                Spec::Worker(w) => Some(w.pool_name().to_string()),
                Spec::Agent(a) => a.pool.as_ref().map(|p| p.value.clone()),
                Spec::Server(_) | Spec::Pool(_) | Spec::Exporter(_) => None,
            },
            kind: c.kind,
            name: c.name.clone(),
        })
        .collect();
    (site.site.name.clone(), facts)
}

/// An address outside the cluster, for the egress the policies allow to
/// "anywhere" (TEST-NET-3, so it is no real address of anyone's).
const OUTSIDE: [u8; 4] = [203, 0, 113, 10];
const OUTSIDE_ID: &str = "peer/outside";
const OTHER_NAMESPACES_ID: &str = "peer/other-namespaces";
/// A namespace that is none of the site's, for the peer that stands for
/// every pod of other namespaces (an ingress controller, Prometheus).
const ELSEWHERE: &str = "prefectc-graph-elsewhere";

/// The site's graph, from its checked model and the objects it emitted.
pub fn graph(site: &Site, objects: &[Object]) -> Graph {
    let (site_name, facts) = components(site);
    let values = read(objects);
    let namespace = objects
        .iter()
        .find_map(|o| o.meta().namespace.as_deref())
        .unwrap_or("default")
        .to_string();
    let mut b = Builder {
        title: format!("site {site_name}"),
        namespace,
        ..Builder::default()
    };

    let mut world = World::from_objects(&values);
    let owners = owners(&facts, objects);
    for ((object, value), owner) in objects.iter().zip(&values).zip(&owners) {
        b.add_object(object, value, owner.map(|i| &facts[i]));
    }
    for value in &values {
        b.add_routes(value, &values, &world);
    }
    b.add_pools(objects, &owners, &facts);
    let flow_namespaces = b.add_flow_runs(&values);
    b.add_network(&mut world, &flow_namespaces);
    b.finish()
}

#[derive(Default)]
struct Builder {
    title: String,
    namespace: String,
    nodes: BTreeMap<String, Node>,
    /// (from, to, kind) → labels, merged.
    edges: BTreeMap<(String, String, EdgeKind), BTreeSet<String>>,
    /// Workload name → node id.
    workloads: BTreeMap<String, String>,
    notes: Vec<String>,
}

fn workload_id(kind: &str, namespace: &str, name: &str) -> String {
    format!("{kind}/{namespace}/{name}")
}

impl Builder {
    fn node(&mut self, id: &str, label: Vec<String>, kind: NodeKind, group: Option<String>) {
        self.nodes.entry(id.to_string()).or_insert(Node {
            id: id.to_string(),
            label,
            kind,
            group,
        });
    }

    fn edge(&mut self, from: &str, to: &str, kind: EdgeKind, label: impl Into<String>) {
        let label = label.into();
        let labels = self
            .edges
            .entry((from.to_string(), to.to_string(), kind))
            .or_default();
        if !label.is_empty() {
            labels.insert(label);
        }
    }

    /// A workload's node and the Secrets it reads; a route's Secrets.
    fn add_object(&mut self, object: &Object, value: &Value, component: Option<&ComponentFacts>) {
        let kind = object.kind();
        let meta = object.meta();
        let namespace = meta
            .namespace
            .as_deref()
            .map_or_else(|| self.namespace.clone(), str::to_string);
        match kind {
            "Deployment" | "StatefulSet" | "Job" => {
                let id = workload_id(kind, &namespace, &meta.name);
                let role =
                    value["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"]
                        .as_str()
                        .unwrap_or_default();
                let mut label = vec![meta.name.clone(), format!("{kind} · {role}")];
                if let Some(c) = component.filter(|c| c.name != meta.name) {
                    label.push(format!("of {} {}", c.kind.as_str(), c.name));
                }
                let node_kind = if kind == "StatefulSet" {
                    NodeKind::Store
                } else {
                    NodeKind::Workload
                };
                let group = namespace_group(&namespace);
                self.node(&id, label, node_kind, group);
                self.workloads.insert(meta.name.clone(), id.clone());
                self.add_secret_reads(&id, &namespace, &value["spec"]["template"]["spec"]);
            }
            "Ingress" => {
                let id = format!("Ingress/{namespace}/{}", meta.name);
                let hosts: Vec<&str> = seq(&value["spec"]["rules"])
                    .iter()
                    .filter_map(|r| r["host"].as_str())
                    .collect();
                let mut label = vec![format!("Ingress {}", meta.name)];
                label.extend(hosts.iter().map(|h| h.to_string()));
                let group = namespace_group(&namespace);
                self.node(&id, label, NodeKind::Route, group);
                for tls in seq(&value["spec"]["tls"]) {
                    if let Some(secret) = tls["secretName"].as_str() {
                        self.read_secret(&id, &namespace, secret, "TLS");
                    }
                }
            }
            "Gateway" => {
                let id = format!("Gateway/{namespace}/{}", meta.name);
                let class = value["spec"]["gatewayClassName"]
                    .as_str()
                    .unwrap_or_default();
                let label = vec![format!("Gateway {}", meta.name), format!("class {class}")];
                let group = namespace_group(&namespace);
                self.node(&id, label, NodeKind::Route, group);
                for listener in seq(&value["spec"]["listeners"]) {
                    for cert in seq(&listener["tls"]["certificateRefs"]) {
                        if let Some(secret) = cert["name"].as_str() {
                            self.read_secret(&id, &namespace, secret, "TLS");
                        }
                    }
                }
            }
            "HTTPRoute" => {
                let id = format!("HTTPRoute/{namespace}/{}", meta.name);
                let mut label = vec![format!("HTTPRoute {}", meta.name)];
                label.extend(
                    seq(&value["spec"]["hostnames"])
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string),
                );
                let group = namespace_group(&namespace);
                self.node(&id, label, NodeKind::Route, group);
                for parent in seq(&value["spec"]["parentRefs"]) {
                    if let Some(gateway) = parent["name"].as_str() {
                        let from = format!("Gateway/{namespace}/{gateway}");
                        self.edge(&from, &id, EdgeKind::Routes, "");
                    }
                }
            }
            _ => {}
        }
    }

    /// The Secrets a pod spec reads: env, envFrom, volumes (projected too)
    /// and image pull Secrets.
    fn add_secret_reads(&mut self, from: &str, namespace: &str, pod: &Value) {
        for container in seq(&pod["containers"])
            .iter()
            .chain(seq(&pod["initContainers"]))
        {
            for env in seq(&container["env"]) {
                let r = &env["valueFrom"]["secretKeyRef"];
                if let (Some(name), Some(key)) = (r["name"].as_str(), r["key"].as_str()) {
                    self.read_secret(from, namespace, name, key);
                }
            }
            for source in seq(&container["envFrom"]) {
                if let Some(name) = source["secretRef"]["name"].as_str() {
                    self.read_secret(from, namespace, name, "all keys");
                }
            }
        }
        for volume in seq(&pod["volumes"]) {
            if let Some(name) = volume["secret"]["secretName"].as_str() {
                self.read_secret(from, namespace, name, "volume");
            }
            for source in seq(&volume["projected"]["sources"]) {
                if let Some(name) = source["secret"]["name"].as_str() {
                    self.read_secret(from, namespace, name, "volume");
                }
            }
        }
        for pull in seq(&pod["imagePullSecrets"]) {
            if let Some(name) = pull["name"].as_str() {
                self.read_secret(from, namespace, name, "image pull");
            }
        }
    }

    fn read_secret(&mut self, from: &str, namespace: &str, secret: &str, what: &str) {
        let id = format!("Secret/{namespace}/{secret}");
        let group = namespace_group(namespace);
        self.node(
            &id,
            vec![format!("Secret {secret}")],
            NodeKind::Secret,
            group,
        );
        self.edge(from, &id, EdgeKind::Reads, what);
    }

    /// Ingress and route backends: the workloads behind the Services they
    /// name (a Service selects pods by label).
    fn add_routes(&mut self, value: &Value, values: &[Value], world: &World) {
        let namespace = value["metadata"]["namespace"]
            .as_str()
            .unwrap_or(&self.namespace)
            .to_string();
        let name = value["metadata"]["name"].as_str().unwrap_or_default();
        let (id, backends): (String, Vec<(&str, String)>) = match value["kind"].as_str() {
            Some("Ingress") => (
                format!("Ingress/{namespace}/{name}"),
                seq(&value["spec"]["rules"])
                    .iter()
                    .flat_map(|r| seq(&r["http"]["paths"]))
                    .filter_map(|p| {
                        let service = &p["backend"]["service"];
                        let port = service["port"]["name"]
                            .as_str()
                            .map_or_else(|| service["port"]["number"].to_string(), String::from);
                        Some((
                            service["name"].as_str()?,
                            format!("{} → {port}", p["path"].as_str().unwrap_or("/")),
                        ))
                    })
                    .collect(),
            ),
            Some("HTTPRoute") => (
                format!("HTTPRoute/{namespace}/{name}"),
                seq(&value["spec"]["rules"])
                    .iter()
                    .flat_map(|r| seq(&r["backendRefs"]))
                    .filter_map(|b| Some((b["name"].as_str()?, b["port"].to_string())))
                    .collect(),
            ),
            _ => return,
        };
        for (service, label) in backends {
            for pod in Self::service_pods(values, world, &namespace, service) {
                if let Some(to) = self.workloads.get(&pod.name).cloned() {
                    self.edge(&id, &to, EdgeKind::Routes, label.clone());
                }
            }
        }
    }

    /// The pods the Service `service` selects by its labels.
    fn service_pods<'a>(
        values: &[Value],
        world: &'a World,
        namespace: &str,
        service: &str,
    ) -> Vec<&'a Pod> {
        let Some(selector) = values
            .iter()
            .find(|v| {
                v["kind"] == "Service"
                    && v["metadata"]["name"] == service
                    && v["metadata"]["namespace"] == namespace
            })
            .map(|v| netpol::labels_of(&v["spec"]["selector"]))
            .filter(|s| !s.is_empty())
        else {
            return Vec::new();
        };
        world
            .pods
            .iter()
            .filter(|p| p.namespace == namespace)
            .filter(|p| selector.iter().all(|(k, v)| p.labels.get(k) == Some(v)))
            .collect()
    }

    /// Pools, and which workloads poll them.
    fn add_pools(
        &mut self,
        objects: &[Object],
        owners: &[Option<usize>],
        facts: &[ComponentFacts],
    ) {
        let group = Some("Prefect work pools".to_string());
        let mut declared = HashSet::default();
        for pool in facts.iter().filter(|c| c.kind == Kind::Pool) {
            let label = vec![
                format!("pool {}", pool.name),
                pool.pool_type.clone().unwrap_or_default(),
            ];
            self.node(
                &format!("pool/{}", pool.name),
                label,
                NodeKind::Pool,
                group.clone(),
            );
            declared.insert(pool.name.as_str());
        }
        for pool in facts.iter().filter_map(polled) {
            if !declared.contains(pool) {
                let label = vec![format!("pool {pool}"), "outside this site".to_string()];
                self.node(
                    &format!("pool/{pool}"),
                    label,
                    NodeKind::Pool,
                    group.clone(),
                );
            }
        }
        for (o, owner) in objects.iter().zip(owners) {
            let Some(pool) = owner.and_then(|i| polled(&facts[i])) else {
                continue;
            };
            if o.kind() == "Deployment"
                && let Some(from) = self.workloads.get(&o.meta().name).cloned()
            {
                self.edge(&from, &format!("pool/{pool}"), EdgeKind::Polls, "polls");
            }
        }
    }

    /// The namespaces whose Jobs a workload may create (its RBAC): a node
    /// for the flow runs in each, and an edge from each workload whose
    /// ServiceAccount is bound to a role that creates Jobs there. Returns
    /// those namespaces.
    fn add_flow_runs(&mut self, values: &[Value]) -> BTreeSet<String> {
        let creates_jobs = |role: &Value| {
            seq(&role["rules"]).iter().any(|rule| {
                let has = |field: &str, what: &str| {
                    seq(&rule[field]).iter().any(|v| v == what || v == "*")
                };
                has("resources", "jobs") && has("verbs", "create")
            })
        };
        // Roles by (kind, name); workloads by (namespace, ServiceAccount).
        let mut roles: HashMap<(&str, &str), Vec<&Value>> = HashMap::default();
        let mut runs_as: HashMap<(&str, &str), Vec<&str>> = HashMap::default();
        for v in values {
            let meta = &v["metadata"];
            if let (Some(kind), Some(name)) = (v["kind"].as_str(), meta["name"].as_str()) {
                roles.entry((kind, name)).or_default().push(v);
            }
            let account =
                netpol::pod_template(v).and_then(|t| t["spec"]["serviceAccountName"].as_str());
            if let (Some(ns), Some(sa)) = (meta["namespace"].as_str(), account) {
                let name = meta["name"].as_str().unwrap_or_default();
                runs_as.entry((ns, sa)).or_default().push(name);
            }
        }
        let mut namespaces = BTreeSet::new();
        for binding in values
            .iter()
            .filter(|v| v["kind"] == "RoleBinding" || v["kind"] == "ClusterRoleBinding")
        {
            let cluster_wide = binding["kind"] == "ClusterRoleBinding";
            let ns = binding["metadata"]["namespace"].as_str();
            let role_kind = binding["roleRef"]["kind"].as_str().unwrap_or_default();
            let role_name = binding["roleRef"]["name"].as_str().unwrap_or_default();
            let role = roles.get(&(role_kind, role_name)).and_then(|found| {
                found.iter().copied().find(|r| {
                    role_kind == "ClusterRole" || r["metadata"]["namespace"].as_str() == ns
                })
            });
            if !role.is_some_and(creates_jobs) {
                continue;
            }
            let target = if cluster_wide {
                "any namespace".to_string()
            } else {
                ns.unwrap_or(&self.namespace).to_string()
            };
            let id = format!("flow-runs/{target}");
            let group = (!cluster_wide).then(|| format!("namespace {target}"));
            self.node(
                &id,
                vec!["flow-run Jobs".into(), format!("in {target}")],
                NodeKind::FlowRuns,
                group,
            );
            if !cluster_wide {
                namespaces.insert(target.clone());
            }
            for subject in seq(&binding["subjects"]) {
                let (Some(sa), Some(sa_ns)) =
                    (subject["name"].as_str(), subject["namespace"].as_str())
                else {
                    continue;
                };
                for name in runs_as.get(&(sa_ns, sa)).into_iter().flatten() {
                    if let Some(from) = self.workloads.get(*name).cloned() {
                        self.edge(&from, &id, EdgeKind::Creates, "creates Jobs");
                    }
                }
            }
        }
        namespaces
    }

    /// The connections the NetworkPolicies allow between the site's pods,
    /// from the flow-run pods and from other namespaces to them, and from
    /// them to addresses outside the cluster. DNS (port 53, allowed to
    /// every pod) is not drawn.
    fn add_network(&mut self, world: &mut World, flow_namespaces: &BTreeSet<String>) {
        if world.policies.is_empty() {
            self.notes.push(
                "no NetworkPolicies (policy = baseline or privileged): every connection is allowed, none is drawn"
                    .into(),
            );
            return;
        }
        self.notes.push(
            "blue: connections the NetworkPolicies allow, by port (DNS, allowed to every pod, not drawn)"
                .into(),
        );
        // The peers: a pod of each flow-run namespace, and one of a
        // namespace that is none of the site's.
        let mut peer_ids: Vec<String> = Vec::new();
        let mut peers: Vec<Pod> = Vec::new();
        for ns in flow_namespaces {
            world.add_namespace(ns);
            peer_ids.push(format!("flow-runs/{ns}"));
            peers.push(peer_pod(ns));
        }
        world.add_namespace(ELSEWHERE);
        peer_ids.push(OTHER_NAMESPACES_ID.to_string());
        peers.push(peer_pod(ELSEWHERE));
        let reach = Reach::new(world, &peers);
        for to in 0..world.pods.len() {
            self.add_inbound(&reach, &peer_ids, to);
        }
        if self
            .edges
            .keys()
            .any(|(from, _, _)| from == OTHER_NAMESPACES_ID)
        {
            self.node(
                OTHER_NAMESPACES_ID,
                vec![
                    "pods in other namespaces".into(),
                    "(ingress controller, Prometheus, …)".into(),
                ],
                NodeKind::Peer,
                None,
            );
        }
        for from in 0..world.pods.len() {
            self.add_outbound(&reach, from);
        }
    }

    /// The connections to a site pod: from the other site pods, from the
    /// peers, and from addresses outside the cluster (a LoadBalancer's
    /// clients).
    fn add_inbound(&mut self, reach: &Reach, peer_ids: &[String], to_index: usize) {
        let to = reach.pod(End::Site(to_index));
        let Some(to_id) = self.workloads.get(&to.name).cloned() else {
            return;
        };
        for from_index in reach.sources(to_index) {
            let from = reach.pod(End::Site(from_index));
            if from.name == to.name {
                continue;
            }
            if let Some(from_id) = self.workloads.get(&from.name).cloned() {
                self.connect(reach, End::Site(from_index), &from_id, to_index, &to_id);
            }
        }
        for (i, peer_id) in peer_ids.iter().enumerate() {
            self.connect(reach, End::Peer(i), peer_id, to_index, &to_id);
        }
        for (_, port, proto) in &to.ports {
            if reach.can_enter(End::Site(to_index), OUTSIDE, *port, proto) {
                self.outside_node();
                self.edge(
                    OUTSIDE_ID,
                    &to_id,
                    EdgeKind::Network,
                    port_label(*port, proto),
                );
            }
        }
    }

    /// The connections from a site pod to addresses outside the cluster,
    /// on the ports its egress rules name (DNS left out).
    fn add_outbound(&mut self, reach: &Reach, from_index: usize) {
        let from = End::Site(from_index);
        let Some(from_id) = self.workloads.get(&reach.pod(from).name).cloned() else {
            return;
        };
        let mut ports: BTreeSet<(u16, String)> = BTreeSet::new();
        for policy in reach.policies(from, "Egress").iter() {
            for rule in seq(&policy["spec"]["egress"]) {
                for p in seq(&rule["ports"]) {
                    if let Some(port) = p["port"].as_u64().and_then(|p| u16::try_from(p).ok()) {
                        let proto = p["protocol"].as_str().unwrap_or("TCP").to_string();
                        ports.insert((port, proto));
                    }
                }
            }
        }
        for (port, proto) in ports.into_iter().filter(|(port, _)| *port != 53) {
            if reach.can_leave(from, OUTSIDE, port, &proto) {
                self.outside_node();
                self.edge(
                    &from_id,
                    OUTSIDE_ID,
                    EdgeKind::Network,
                    port_label(port, &proto),
                );
            }
        }
    }

    fn outside_node(&mut self) {
        self.node(
            OUTSIDE_ID,
            vec!["outside the cluster".into(), "(any address)".into()],
            NodeKind::Peer,
            None,
        );
    }

    /// An edge for each port of `to` that `from` may open.
    fn connect(&mut self, reach: &Reach, from: End, from_id: &str, to: usize, to_id: &str) {
        for (_, port, proto) in &reach.pod(End::Site(to)).ports {
            if reach.can(from, End::Site(to), *port, proto) {
                self.edge(from_id, to_id, EdgeKind::Network, port_label(*port, proto));
            }
        }
    }

    /// The legend of the edges the drawing has.
    fn legend(&self) -> Option<String> {
        let parts: Vec<&str> = [
            (EdgeKind::Routes, "purple: Ingress and Gateway routes"),
            (EdgeKind::Reads, "dashed: Secrets read (keys)"),
            (EdgeKind::Polls, "dotted: pools polled"),
            (EdgeKind::Creates, "bold: flow-run Jobs created"),
        ]
        .into_iter()
        .filter(|(kind, _)| self.edges.keys().any(|(_, _, k)| k == kind))
        .map(|(_, text)| text)
        .collect();
        (!parts.is_empty()).then(|| parts.join(" · "))
    }

    fn finish(mut self) -> Graph {
        if let Some(legend) = self.legend() {
            self.notes.push(legend);
        }
        let mut nodes: Vec<Node> = self.nodes.into_values().collect();
        // Groups in name order, then the peers that belong to none.
        nodes.sort_by(|a, b| {
            (a.group.is_none(), &a.group, a.kind, &a.id).cmp(&(
                b.group.is_none(),
                &b.group,
                b.kind,
                &b.id,
            ))
        });
        let drawn: HashSet<String> = nodes.iter().map(|n| n.id.clone()).collect();
        let edges = self
            .edges
            .into_iter()
            // An edge to a node that was never drawn (a route to a
            // Gateway of another site) is left out.
            .filter(|((from, to, _), _)| drawn.contains(from) && drawn.contains(to))
            .map(|((from, to, kind), labels)| Edge {
                from,
                to,
                kind,
                label: labels.into_iter().collect::<Vec<_>>().join(", "),
            })
            .collect();
        Graph {
            title: self.title,
            nodes,
            edges,
            notes: self.notes,
        }
    }
}

/// The kinds the graph reads.
const READ: [&str; 16] = [
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
    "Pod",
    "NetworkPolicy",
    "Service",
    "Ingress",
    "Gateway",
    "HTTPRoute",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
];

/// The objects as data, the way `kubectl` sees them; `null` for the kinds
/// the graph does not read (ConfigMaps, ServiceAccounts: a quarter of a
/// large site's objects, never held twice).
fn read(objects: &[Object]) -> Vec<Value> {
    objects
        .iter()
        .map(|o| {
            if READ.contains(&o.kind()) {
                serde_json::to_value(&o.resource).expect("objects serialise to JSON")
            } else {
                Value::Null
            }
        })
        .collect()
}

/// The pool a worker or agent polls.
fn polled(c: &ComponentFacts) -> Option<&str> {
    matches!(c.kind, Kind::Worker | Kind::Agent)
        .then_some(c.polls.as_deref())
        .flatten()
}

/// The component each object came from, as an index into `facts`.
/// Components a `for` generates share one header, so among those the one
/// named by the object's `app.kubernetes.io/instance` label is meant, else
/// the first.
fn owners(facts: &[ComponentFacts], objects: &[Object]) -> Vec<Option<usize>> {
    let mut first: HashMap<Span, usize> = HashMap::default();
    let mut named: HashMap<(Span, &str), usize> = HashMap::default();
    for (i, c) in facts.iter().enumerate() {
        first.entry(c.header).or_insert(i);
        named.entry((c.header, c.name.as_str())).or_insert(i);
    }
    objects
        .iter()
        .map(|o| {
            let instance = o.meta().labels.get("app.kubernetes.io/instance");
            instance
                .and_then(|name| named.get(&(o.origin, name.as_str())))
                .or_else(|| first.get(&o.origin))
                .copied()
        })
        .collect()
}

/// The box a namespace's nodes are drawn in.
fn namespace_group(namespace: &str) -> Option<String> {
    Some(format!("namespace {namespace}"))
}

/// A pod with no labels in `namespace`: what the site does not know about.
fn peer_pod(namespace: &str) -> Pod {
    Pod {
        name: String::new(),
        namespace: namespace.to_string(),
        labels: LabelMap::new(),
        ports: Vec::new(),
    }
}

fn port_label(port: u16, proto: &str) -> String {
    if proto == "TCP" {
        port.to_string()
    } else {
        format!("{port}/{proto}")
    }
}
