//! Rules about access: RBAC rules.

use super::finding;
use crate::lower::k8s::{Object, PolicyRule};
use crate::policy::pods::object_name;
use crate::policy::wording::Escalation;
use crate::policy::{Cx, Finding, Violation};

/// Every rule of every Role and ClusterRole, with its object.
fn role_rules<'a>(cx: &Cx<'a>) -> impl Iterator<Item = (&'a Object, &'a PolicyRule)> {
    cx.objects()
        .iter()
        .flat_map(|o| o.resource.role_rules().iter().map(move |rule| (o, rule)))
}

pub fn wildcard(cx: &Cx, out: &mut Vec<Finding>) {
    for (o, r) in role_rules(cx) {
        let mut fields = Vec::new();
        for (name, list) in [
            ("verbs", &r.verbs),
            ("resources", &r.resources),
            ("api-groups", &r.api_groups),
        ] {
            if list.iter().any(|v| v == "*") {
                fields.push(name);
            }
        }
        if fields.is_empty() {
            continue;
        }
        out.push(finding(
            object_name(o),
            o.origin,
            r.prov.clone(),
            Violation::RbacWildcard {
                object: object_name(o),
                fields,
            },
        ));
    }
}

fn touches_secrets(r: &PolicyRule) -> bool {
    r.api_groups.iter().any(|g| g.is_empty() || g == "*")
        && r.resources.iter().any(|x| x == "secrets" || x == "*")
}

pub fn secrets(cx: &Cx, out: &mut Vec<Finding>) {
    for (o, r) in role_rules(cx) {
        // Rules prefectc generates serve a feature (API-key propagation).
        if r.prov.is_none() || !touches_secrets(r) || !r.resource_names.is_empty() {
            continue;
        }
        let reads: Vec<String> = r
            .verbs
            .iter()
            .filter(|&v| matches!(&**v, "get" | "list" | "watch" | "*"))
            .map(|v| v.to_string())
            .collect();
        if reads.is_empty() {
            continue;
        }
        out.push(finding(
            object_name(o),
            o.origin,
            r.prov.clone(),
            Violation::RbacSecrets {
                object: object_name(o),
                namespace: o
                    .meta()
                    .namespace
                    .as_deref()
                    .unwrap_or_default()
                    .to_string(),
                verbs: reads,
            },
        ));
    }
}

/// Resources through which a grant becomes more power.
const ESCALATING: &[&str] = &[
    "*",
    "roles",
    "clusterroles",
    "rolebindings",
    "clusterrolebindings",
    "serviceaccounts",
    "users",
    "groups",
];

pub fn escalation(cx: &Cx, out: &mut Vec<Finding>) {
    for (o, r) in role_rules(cx) {
        let verb = |v: &str| r.verbs.iter().any(|x| x == v);
        let resource = |x: &str| r.resources.iter().any(|y| y == x);
        let grant = if let Some(v) = ["bind", "escalate", "impersonate"]
            .into_iter()
            .find(|v| verb(v))
        {
            Escalation::Verb(v)
        } else if (verb("create") || verb("*")) && (resource("pods/exec") || resource("*")) {
            Escalation::PodsExec
        } else if verb("*") && ESCALATING.iter().any(|x| resource(x)) {
            Escalation::WildcardOnIdentities
        } else {
            continue;
        };
        out.push(finding(
            object_name(o),
            o.origin,
            r.prov.clone(),
            Violation::RbacEscalation {
                object: object_name(o),
                grant,
                api_groups: strings(&r.api_groups),
                resources: strings(&r.resources),
                verbs: strings(&r.verbs),
            },
        ));
    }
}

/// Owned copies of an RBAC rule's list, for a finding's wording.
fn strings(list: &[crate::lower::k8s::Word]) -> Vec<String> {
    list.iter().map(|w| w.to_string()).collect()
}
