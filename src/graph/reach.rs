//! The connections between a site's pods, found without trying every pair.
//!
//! [`netpol::World`] judges one connection at a time and finds the policies
//! that select a pod by trying each policy, which is what an oracle should
//! do and what a site of a thousand workers cannot afford: every pair of
//! pods, each judged against every policy, grows with the cube of the site
//! (880 s for 1,000 workers). [`Reach`] asks the same questions of the same
//! evaluator, with two indexes built once:
//!
//! - the policies selecting each pod, per direction, found from each
//!   policy's side through an index of the pods by label;
//! - for a pod isolated for ingress, the pods its rules' peers can match:
//!   only those are judged as sources (a superset; [`Reach::can`] decides).
//!
//! A pod that is not isolated for ingress can be reached by every pod, so
//! every pod is judged; sites with NetworkPolicies isolate every pod.

use std::collections::BTreeSet;

use serde_json::Value;

use super::netpol::{Dest, Pod, World, selects, seq};
use crate::map::HashMap;

/// One end of a connection: a pod of the world, or one of the peers (pods
/// that are not in it, which the graph stands in for other namespaces
/// with), by index.
#[derive(Clone, Copy)]
pub enum End {
    Site(usize),
    Peer(usize),
}

pub struct Reach<'w> {
    world: &'w World,
    peers: &'w [Pod],
    /// Per pod of the world: the policies selecting it for ingress, egress.
    ingress: Vec<Vec<&'w Value>>,
    egress: Vec<Vec<&'w Value>>,
    /// The same per peer, found by [`World::selecting`] (they are few).
    peer_ingress: Vec<Vec<&'w Value>>,
    peer_egress: Vec<Vec<&'w Value>>,
    /// Namespace → its pods.
    in_namespace: HashMap<&'w str, Vec<usize>>,
    /// (namespace, label, value) → the pods of the namespace with it.
    by_label: HashMap<(&'w str, &'w str, &'w str), Vec<usize>>,
}

impl<'w> Reach<'w> {
    pub fn new(world: &'w World, peers: &'w [Pod]) -> Reach<'w> {
        let mut in_namespace: HashMap<&str, Vec<usize>> = HashMap::default();
        let mut by_label: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::default();
        for (i, pod) in world.pods.iter().enumerate() {
            in_namespace.entry(&pod.namespace).or_default().push(i);
            for (k, v) in &pod.labels {
                by_label.entry((&pod.namespace, k, v)).or_default().push(i);
            }
        }
        let mut reach = Reach {
            world,
            peers,
            ingress: vec![Vec::new(); world.pods.len()],
            egress: vec![Vec::new(); world.pods.len()],
            peer_ingress: peers
                .iter()
                .map(|p| world.selecting(p, "Ingress"))
                .collect(),
            peer_egress: peers.iter().map(|p| world.selecting(p, "Egress")).collect(),
            in_namespace,
            by_label,
        };
        for policy in &world.policies {
            let Some(ns) = policy["metadata"]["namespace"].as_str() else {
                continue;
            };
            let types = World::policy_types(policy);
            for i in reach.matching(ns, &policy["spec"]["podSelector"]) {
                if types.contains(&"Ingress") {
                    reach.ingress[i].push(policy);
                }
                if types.contains(&"Egress") {
                    reach.egress[i].push(policy);
                }
            }
        }
        reach
    }

    /// The pods of `namespace` a label selector selects, in index order.
    fn matching(&self, namespace: &str, selector: &Value) -> Vec<usize> {
        // The pods with the rarest of the selector's labels (a worker's
        // instance, not its component), or every pod of the namespace when
        // it names none; each is then judged whole.
        let labels = selector["matchLabels"].as_object();
        let candidates = if labels.is_some_and(|l| !l.is_empty()) {
            labels
                .into_iter()
                .flatten()
                .map(|(k, v)| {
                    v.as_str()
                        .and_then(|v| self.by_label.get(&(namespace, k.as_str(), v)))
                        .map_or(&[][..], Vec::as_slice)
                })
                .min_by_key(|pods| pods.len())
                .unwrap_or_default()
        } else {
            self.in_namespace
                .get(namespace)
                .map_or(&[][..], Vec::as_slice)
        };
        candidates
            .iter()
            .copied()
            .filter(|&i| selects(selector, &self.world.pods[i].labels))
            .collect()
    }

    pub fn pod(&self, end: End) -> &'w Pod {
        match end {
            End::Site(i) => &self.world.pods[i],
            End::Peer(i) => &self.peers[i],
        }
    }

    /// The policies selecting `end` for `direction`, as
    /// [`World::selecting`] finds them.
    pub fn policies(&self, end: End, direction: &str) -> &[&'w Value] {
        let ingress = direction == "Ingress";
        match end {
            End::Site(i) if ingress => &self.ingress[i],
            End::Site(i) => &self.egress[i],
            End::Peer(i) if ingress => &self.peer_ingress[i],
            End::Peer(i) => &self.peer_egress[i],
        }
    }

    /// May `from` open a connection to `to` on `port`/`protocol`? The
    /// answer of [`World::can`].
    pub fn can(&self, from: End, to: End, port: u16, protocol: &str) -> bool {
        let (from_pod, to_pod) = (self.pod(from), self.pod(to));
        let dest = Dest::Pod(to_pod);
        let egress = self.policies(from, "Egress");
        let ingress = self.policies(to, "Ingress");
        self.world
            .allowed(egress, "Egress", dest, dest, port, protocol)
            && self.world.allowed(
                ingress,
                "Ingress",
                Dest::Pod(from_pod),
                dest,
                port,
                protocol,
            )
    }

    /// May `from` reach an address outside the cluster? Only its egress
    /// decides.
    pub fn can_leave(&self, from: End, ip: [u8; 4], port: u16, protocol: &str) -> bool {
        let dest = Dest::External(ip);
        let egress = self.policies(from, "Egress");
        self.world
            .allowed(egress, "Egress", dest, dest, port, protocol)
    }

    /// May an address outside the cluster reach `to` (a LoadBalancer's
    /// clients)? Only its ingress decides.
    pub fn can_enter(&self, to: End, ip: [u8; 4], port: u16, protocol: &str) -> bool {
        let ingress = self.policies(to, "Ingress");
        let dest = Dest::Pod(self.pod(to));
        self.world
            .allowed(ingress, "Ingress", Dest::External(ip), dest, port, protocol)
    }

    /// The pods of the world that may be able to connect to pod `to`: those
    /// a peer of its ingress rules matches, or all when it is not isolated
    /// or a rule allows every peer. In index order.
    pub fn sources(&self, to: usize) -> Vec<usize> {
        let all = || (0..self.world.pods.len()).collect();
        let policies = &self.ingress[to];
        if policies.is_empty() {
            return all();
        }
        let mut found = BTreeSet::new();
        for policy in policies {
            let ns = policy["metadata"]["namespace"].as_str().unwrap_or_default();
            for rule in seq(&policy["spec"]["ingress"]) {
                let peers = seq(&rule["from"]);
                if peers.is_empty() {
                    return all();
                }
                for peer in peers.iter().filter(|p| p["ipBlock"].is_null()) {
                    let selector = &peer["namespaceSelector"];
                    let namespaces: Vec<&str> = if selector.is_null() {
                        vec![ns]
                    } else {
                        self.world
                            .namespaces
                            .iter()
                            .filter(|(_, labels)| selects(selector, labels))
                            .map(|(name, _)| name.as_str())
                            .collect()
                    };
                    for namespace in namespaces {
                        found.extend(self.matching(namespace, &peer["podSelector"]));
                    }
                }
            }
        }
        found.into_iter().collect()
    }
}
