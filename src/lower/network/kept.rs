//! The site's NetworkPolicies of one build kept for the next build of the
//! same site (the language server's, issue 17). They are made from every
//! workload's traffic on every build (the server's lists each client of
//! its API), so a keystroke made one per worker again, and the credential
//! screen read each (21 M instructions a keystroke at 21,008 lines). A
//! policy made the same as the last build's, byte for byte, is the last
//! build's object, shared: the screen's answer for it is kept by address
//! ([`crate::policy::KeptScreen`]).
//!
//! "The same" is what the YAML says: the labels' order counts (it is the
//! order they are written in), though `SharedLabels`' `==` leaves it aside.

use std::cell::Cell;
use std::sync::Arc;

use crate::lower::k8s::{
    LabelSelector, NetworkPolicy, NetworkPolicySpec, NetworkRule, Object, ObjectMeta, Peer,
    Resource, Selector, SharedLabels,
};
use crate::map::Generations;

/// The last build's NetworkPolicies and this build's so far, by name.
#[derive(Default)]
pub struct KeptPolicies {
    entries: Generations<String, Arc<Resource>>,
    made: Cell<usize>,
    reused: Cell<usize>,
}

impl KeptPolicies {
    /// A lowering begins.
    pub(in crate::lower) fn begin(&self) {
        self.entries.begin();
    }

    /// How many policies were made anew (not the last build's).
    pub fn made(&self) -> usize {
        self.made.get()
    }

    /// How many policies were the last build's.
    pub fn reused(&self) -> usize {
        self.reused.get()
    }

    /// `object`, a policy just made, or the last build's policy of its name
    /// when that is the same.
    pub(in crate::lower) fn same_or(&self, object: Object) -> Object {
        let Resource::NetworkPolicy(made) = &*object.resource else {
            return object;
        };
        let name = &made.metadata.name;
        if let Some(last) = self.entries.take_last(name)
            && matches!(&*last, Resource::NetworkPolicy(l) if l.same(made))
        {
            self.reused.set(self.reused.get() + 1);
            self.entries.keep(name.clone(), Arc::clone(&last));
            return Object {
                resource: last,
                origin: object.origin,
            };
        }
        self.made.set(self.made.get() + 1);
        self.entries
            .keep(name.clone(), Arc::clone(&object.resource));
        object
    }
}

/// Whether two values write the same YAML. Each impl names every field,
/// so that a field added is a compile error here until it is compared.
trait Same {
    fn same(&self, other: &Self) -> bool;
}

impl<T: Same> Same for Vec<T> {
    fn same(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a.same(b))
    }
}

impl<T: Same> Same for Option<T> {
    fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (Some(a), Some(b)) => a.same(b),
            (None, None) => true,
            _ => false,
        }
    }
}

impl<T: Same> Same for Box<T> {
    fn same(&self, other: &Self) -> bool {
        (**self).same(other)
    }
}

/// In order.
impl Same for SharedLabels {
    fn same(&self, other: &Self) -> bool {
        self.ptr_eq(other) || self.iter().eq(other.iter())
    }
}

impl Same for ObjectMeta {
    fn same(&self, other: &Self) -> bool {
        let ObjectMeta {
            name,
            namespace,
            labels,
            annotations,
        } = self;
        *name == other.name
            && *namespace == other.namespace
            && labels.same(&other.labels)
            && annotations.same(&other.annotations)
    }
}

impl Same for NetworkPolicy {
    fn same(&self, other: &Self) -> bool {
        let NetworkPolicy {
            api_version,
            kind,
            metadata,
            spec,
        } = self;
        *api_version == other.api_version
            && *kind == other.kind
            && metadata.same(&other.metadata)
            && spec.same(&other.spec)
    }
}

impl Same for NetworkPolicySpec {
    fn same(&self, other: &Self) -> bool {
        let NetworkPolicySpec {
            pod_selector,
            policy_types,
            ingress,
            egress,
        } = self;
        pod_selector.same(&other.pod_selector)
            && *policy_types == other.policy_types
            && ingress.same(&other.ingress)
            && egress.same(&other.egress)
    }
}

impl Same for LabelSelector {
    fn same(&self, other: &Self) -> bool {
        let LabelSelector { match_labels } = self;
        match_labels.same(&other.match_labels)
    }
}

impl Same for Selector {
    fn same(&self, other: &Self) -> bool {
        let Selector { match_labels } = self;
        match_labels.same(&other.match_labels)
    }
}

impl Same for NetworkRule {
    fn same(&self, other: &Self) -> bool {
        let NetworkRule { from, to, ports } = self;
        from.same(&other.from) && to.same(&other.to) && *ports == other.ports
    }
}

impl Same for Peer {
    fn same(&self, other: &Self) -> bool {
        let Peer {
            pod_selector,
            namespace_selector,
            ip_block,
        } = self;
        pod_selector.same(&other.pod_selector)
            && namespace_selector.same(&other.namespace_selector)
            && *ip_block == other.ip_block
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::k8s::{Labels, NetworkPort};

    fn labels(pairs: &[(&'static str, &str)]) -> SharedLabels {
        let mut l = Labels::default();
        for (k, v) in pairs {
            l.insert((*k).into(), (*v).to_string());
        }
        l.into()
    }

    /// A policy labelled `own`, accepting pods labelled `peer` on `port`.
    fn policy(own: SharedLabels, peer: SharedLabels, port: i64) -> NetworkPolicy {
        NetworkPolicy {
            api_version: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: ObjectMeta {
                name: "p".into(),
                namespace: Some("prefect".into()),
                labels: own.clone(),
                annotations: SharedLabels::default(),
            },
            spec: NetworkPolicySpec {
                pod_selector: LabelSelector { match_labels: own },
                policy_types: vec!["Ingress", "Egress"],
                ingress: vec![NetworkRule {
                    from: vec![Peer {
                        pod_selector: Some(Selector { match_labels: peer }),
                        namespace_selector: None,
                        ip_block: None,
                    }],
                    to: Vec::new(),
                    ports: vec![NetworkPort {
                        protocol: "TCP",
                        port: Some(port),
                    }],
                }],
                egress: Vec::new(),
            },
        }
    }

    #[test]
    fn the_same_is_what_the_yaml_says() {
        let ab = || labels(&[("a", "1"), ("b", "2")]);
        let ba = || labels(&[("b", "2"), ("a", "1")]);
        let p = policy(ab(), ab(), 4200);
        assert!(p.same(&p.clone()));
        assert!(p.same(&policy(ab(), ab(), 4200)), "equal, not shared");
        // `==` leaves the labels' order aside; the YAML does not.
        assert!(ab() == ba());
        assert!(!p.same(&policy(ba(), ab(), 4200)), "its own labels");
        assert!(!p.same(&policy(ab(), ba(), 4200)), "a peer's labels");
        assert!(!p.same(&policy(ab(), ab(), 4201)), "a port");
        let mut other = p.clone();
        other.metadata.name = "q".into();
        assert!(!p.same(&other), "the name");
        let mut other = p.clone();
        other.spec.ingress[0].from[0].namespace_selector = Some(Selector { match_labels: ab() });
        assert!(!p.same(&other), "a selector more");
        assert!(!other.same(&p), "a selector less");
        let mut other = p.clone();
        other.spec.pod_selector.match_labels = ba();
        assert!(!p.same(&other), "the pods it selects");
    }
}
