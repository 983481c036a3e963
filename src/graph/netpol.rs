//! A NetworkPolicy evaluator: a small model of Kubernetes NetworkPolicy
//! semantics, written from the Kubernetes documentation
//! (<https://kubernetes.io/docs/concepts/services-networking/network-policies/>),
//! not from prefectc's lowering. It answers "may pod A open a connection to
//! B on port P/protocol" for pods and policies given as plain data.
//! `prefectc graph` draws the paths it allows; `tests/netpol.rs` judges the
//! examples' policies with it.
//!
//! The semantics modelled:
//! - a policy selects the pods of its own namespace its `podSelector`
//!   matches (`{}` is every pod); `matchLabels` and `matchExpressions`
//!   (`In`, `NotIn`, `Exists`, `DoesNotExist`) are ANDed;
//! - `policyTypes` absent means `Ingress`, plus `Egress` when the policy has
//!   an `egress` section;
//! - a pod selected by any policy with a direction is isolated in that
//!   direction (default deny); then a connection is allowed when any rule
//!   of any of those policies allows it (the union);
//! - a rule with no `from`/`to` allows every peer, with no `ports` every
//!   port; a peer is `podSelector` (this namespace), `namespaceSelector`
//!   (all pods of the matching namespaces), both (ANDed), or `ipBlock`
//!   (`cidr` minus `except`; it matches addresses outside the cluster's pods);
//! - a port is a number, a range (`endPort`) or a name (the destination
//!   container port of that name), with protocol `TCP` when unset;
//! - a connection needs the source's egress AND the destination's ingress
//!   (traffic to an address outside the cluster needs only egress).
//!
//! What it cannot judge (an unknown selector operator, a malformed CIDR)
//! matches nothing, so that a surprise never widens what is allowed.

use std::collections::BTreeMap;

use serde_json::Value;

/// Labels, sorted.
pub type LabelMap = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pod {
    pub name: String,
    pub namespace: String,
    pub labels: LabelMap,
    /// (name, number, protocol) of the container ports.
    pub ports: Vec<(String, u16, String)>,
}

/// Where a connection goes: a pod, or an IPv4 address outside the
/// cluster's pods.
#[derive(Debug, Clone, Copy)]
pub enum Dest<'a> {
    Pod(&'a Pod),
    External([u8; 4]),
}

/// Pods, namespaces and NetworkPolicies.
#[derive(Debug, Default)]
pub struct World {
    pub pods: Vec<Pod>,
    /// namespace → labels (every namespace has `kubernetes.io/metadata.name`).
    pub namespaces: BTreeMap<String, LabelMap>,
    pub policies: Vec<Value>,
}

/// The elements of a list, none for anything else.
pub fn seq(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or_default()
}

pub fn labels_of(v: &Value) -> LabelMap {
    v.as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect()
}

/// A LabelSelector; `null` (absent) is treated by the callers. A label
/// value that is not a string matches nothing.
pub fn selects(selector: &Value, labels: &LabelMap) -> bool {
    let by_labels = selector["matchLabels"]
        .as_object()
        .into_iter()
        .flatten()
        .all(|(k, v)| {
            v.as_str()
                .is_some_and(|v| labels.get(k).is_some_and(|h| h == v))
        });
    let by_expressions = seq(&selector["matchExpressions"]).iter().all(|e| {
        let key = e["key"].as_str().unwrap_or_default();
        let values: Vec<&str> = seq(&e["values"]).iter().filter_map(Value::as_str).collect();
        let have = labels.get(key).map(String::as_str);
        match e["operator"].as_str() {
            Some("In") => have.is_some_and(|h| values.contains(&h)),
            Some("NotIn") => have.is_none_or(|h| !values.contains(&h)),
            Some("Exists") => have.is_some(),
            Some("DoesNotExist") => have.is_none(),
            _ => false,
        }
    });
    by_labels && by_expressions
}

/// `10.1.2.3`; `None` for anything else.
pub fn parse_ip(s: &str) -> Option<[u8; 4]> {
    let parts: Vec<u8> = s
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    parts.try_into().ok()
}

/// Whether an IPv4 address is in a block; IPv6 blocks hold no IPv4
/// address, and a malformed block holds none.
fn in_cidr(ip: [u8; 4], cidr: &str) -> bool {
    let Some((net, bits)) = cidr.split_once('/') else {
        return false;
    };
    let (Some(net), Ok(bits)) = (parse_ip(net), bits.parse::<u32>()) else {
        return false;
    };
    if bits > 32 {
        return false;
    }
    let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
    u32::from_be_bytes(ip) & mask == u32::from_be_bytes(net) & mask
}

impl World {
    pub fn add_namespace(&mut self, ns: &str) {
        self.namespaces.entry(ns.to_string()).or_insert_with(|| {
            LabelMap::from([("kubernetes.io/metadata.name".to_string(), ns.to_string())])
        });
    }

    pub fn add_pod(
        &mut self,
        name: &str,
        ns: &str,
        labels: &[(&str, &str)],
        ports: &[(&str, u16, &str)],
    ) {
        self.add_namespace(ns);
        self.pods.push(Pod {
            name: name.into(),
            namespace: ns.into(),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ports: ports
                .iter()
                .map(|(n, p, proto)| (n.to_string(), *p, proto.to_string()))
                .collect(),
        });
    }

    /// The pods of the workloads' templates (Deployments, StatefulSets,
    /// Jobs, DaemonSets), named after their workload, and the
    /// NetworkPolicies of a set of objects given as data.
    pub fn from_objects(all: &[Value]) -> World {
        let mut w = World::default();
        for o in all {
            if o["kind"] == "NetworkPolicy" {
                w.policies.push(o.clone());
            }
            let Some(t) = pod_template(o) else { continue };
            let ns = o["metadata"]["namespace"].as_str().unwrap_or("default");
            w.add_namespace(ns);
            let spec = &t["spec"];
            let ports = seq(&spec["containers"])
                .iter()
                .chain(seq(&spec["initContainers"]))
                .flat_map(|c| seq(&c["ports"]))
                .filter_map(|p| {
                    Some((
                        p["name"].as_str().unwrap_or_default().to_string(),
                        u16::try_from(p["containerPort"].as_u64()?).ok()?,
                        p["protocol"].as_str().unwrap_or("TCP").to_string(),
                    ))
                })
                .collect();
            w.pods.push(Pod {
                name: o["metadata"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                namespace: ns.to_string(),
                labels: labels_of(&t["metadata"]["labels"]),
                ports,
            });
        }
        w
    }

    /// The pod of a workload, by its name.
    pub fn find_pod(&self, name: &str) -> Option<&Pod> {
        self.pods.iter().find(|p| p.name == name)
    }

    pub fn policy_types(policy: &Value) -> Vec<&str> {
        let spec = &policy["spec"];
        if spec["policyTypes"].is_null() {
            let mut t = vec!["Ingress"];
            if !spec["egress"].is_null() {
                t.push("Egress");
            }
            t
        } else {
            seq(&spec["policyTypes"])
                .iter()
                .filter_map(Value::as_str)
                .collect()
        }
    }

    /// The policies that select `pod` for `direction` (`Ingress`/`Egress`).
    pub fn selecting<'a>(&'a self, pod: &Pod, direction: &str) -> Vec<&'a Value> {
        self.policies
            .iter()
            .filter(|p| p["metadata"]["namespace"].as_str() == Some(&pod.namespace))
            .filter(|p| selects(&p["spec"]["podSelector"], &pod.labels))
            .filter(|p| Self::policy_types(p).contains(&direction))
            .collect()
    }

    /// Whether a peer of a rule of a policy in `policy_ns` matches `other`.
    fn peer_matches(&self, peer: &Value, policy_ns: &str, other: Dest) -> bool {
        match other {
            Dest::External(ip) => {
                let block = &peer["ipBlock"];
                !block.is_null()
                    && in_cidr(ip, block["cidr"].as_str().unwrap_or_default())
                    && !seq(&block["except"])
                        .iter()
                        .any(|e| in_cidr(ip, e.as_str().unwrap_or_default()))
            }
            Dest::Pod(pod) => {
                if !peer["ipBlock"].is_null() {
                    return false; // pod addresses are not in the blocks judged here
                }
                let ns_ok = if peer["namespaceSelector"].is_null() {
                    pod.namespace == policy_ns
                } else {
                    self.namespaces
                        .get(&pod.namespace)
                        .is_some_and(|labels| selects(&peer["namespaceSelector"], labels))
                };
                let pod_ok =
                    peer["podSelector"].is_null() || selects(&peer["podSelector"], &pod.labels);
                ns_ok && pod_ok
            }
        }
    }

    /// Whether a rule's `ports` let `port`/`protocol` through to `dest`.
    fn port_matches(rule: &Value, dest: Dest, port: u16, protocol: &str) -> bool {
        let ports = seq(&rule["ports"]);
        ports.is_empty()
            || ports.iter().any(|p| {
                let proto = p["protocol"].as_str().unwrap_or("TCP");
                if proto != protocol {
                    return false;
                }
                match &p["port"] {
                    Value::Null => true,
                    Value::Number(n) => {
                        let Some(from) = n.as_u64() else { return false };
                        let to = p["endPort"].as_u64().unwrap_or(from);
                        (from..=to).contains(&u64::from(port))
                    }
                    Value::String(name) => match dest {
                        Dest::Pod(d) => d
                            .ports
                            .iter()
                            .any(|(n, num, pr)| n == name && *num == port && pr == protocol),
                        Dest::External(_) => false,
                    },
                    _ => false,
                }
            })
    }

    /// Whether `policies`, those selecting a pod for `direction` (from
    /// [`World::selecting`], or a cache of it), let `other` through (to
    /// `dest`, the connection's destination, on `port`).
    pub fn allowed(
        &self,
        policies: &[&Value],
        direction: &str,
        other: Dest,
        dest: Dest,
        port: u16,
        protocol: &str,
    ) -> bool {
        if policies.is_empty() {
            return true; // not isolated in this direction
        }
        let (section, peers) = if direction == "Ingress" {
            ("ingress", "from")
        } else {
            ("egress", "to")
        };
        policies.iter().any(|p| {
            let ns = p["metadata"]["namespace"].as_str().unwrap_or_default();
            seq(&p["spec"][section]).iter().any(|rule| {
                let peers = seq(&rule[peers]);
                (peers.is_empty() || peers.iter().any(|peer| self.peer_matches(peer, ns, other)))
                    && Self::port_matches(rule, dest, port, protocol)
            })
        })
    }

    /// May `from` open a connection to `to` on `port`/`protocol`?
    pub fn can(&self, from: &Pod, to: Dest, port: u16, protocol: &str) -> bool {
        let policies = self.selecting(from, "Egress");
        let egress = self.allowed(&policies, "Egress", to, to, port, protocol);
        let ingress = match to {
            Dest::Pod(d) => {
                let policies = self.selecting(d, "Ingress");
                self.allowed(&policies, "Ingress", Dest::Pod(from), to, port, protocol)
            }
            Dest::External(_) => true,
        };
        egress && ingress
    }
}

/// The pod template of a workload given as data.
pub fn pod_template(o: &Value) -> Option<&Value> {
    match o["kind"].as_str()? {
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Job" => {
            Some(&o["spec"]["template"]).filter(|t| t.is_object())
        }
        "CronJob" => Some(&o["spec"]["jobTemplate"]["spec"]["template"]).filter(|t| t.is_object()),
        "Pod" => Some(o),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::in_cidr;

    #[test]
    fn blocks() {
        assert!(in_cidr([10, 1, 2, 3], "10.0.0.0/8"));
        assert!(in_cidr([203, 0, 113, 10], "0.0.0.0/0"));
        assert!(!in_cidr([192, 168, 0, 1], "10.0.0.0/8"));
        assert!(!in_cidr([10, 0, 0, 1], "::/0"));
        assert!(!in_cidr([10, 0, 0, 1], "10.0.0.0/40"));
        assert!(!in_cidr([10, 0, 0, 1], "nonsense"));
    }
}
