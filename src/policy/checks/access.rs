//! Rules about access: RBAC rules.

use super::finding;
use crate::lower::k8s::{Object, PolicyRule};
use crate::policy::pods::object_name;
use crate::policy::{Cx, Finding};

/// Every rule of every Role and ClusterRole, with its object.
fn role_rules<'a>(cx: &Cx<'a>) -> impl Iterator<Item = (&'a Object, &'a PolicyRule)> {
    cx.objects
        .iter()
        .flat_map(|o| o.resource.role_rules().iter().map(move |rule| (o, rule)))
}

fn rule_text(r: &PolicyRule) -> String {
    format!(
        "apiGroups {:?}, resources {:?}, verbs {:?}",
        r.api_groups, r.resources, r.verbs
    )
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
            "rbac/wildcard",
            object_name(o),
            o.origin,
            r.prov.clone(),
            format!(
                "a rule of {} grants `*` in {}",
                object_name(o),
                fields.join(", ")
            ),
            "a wildcard grants everything, including what exists tomorrow",
            format!(
                "list exactly the {} the workload needs, e.g. `verbs = [\"get\", \"list\"]`",
                fields.join(" and ")
            ),
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
        let reads: Vec<&str> = r
            .verbs
            .iter()
            .map(String::as_str)
            .filter(|v| matches!(*v, "get" | "list" | "watch" | "*"))
            .collect();
        if reads.is_empty() {
            continue;
        }
        out.push(finding(
            "rbac/secrets",
            object_name(o),
            o.origin,
            r.prov.clone(),
            format!(
                "a rule of {} lets the workload read every Secret in `{}`",
                object_name(o),
                o.meta().namespace.as_deref().unwrap_or_default()
            ),
            format!("{} on all Secrets", reads.join(", ")),
            "name the Secrets it needs: `resource-names = [\"…\"]` (and `verbs = [\"get\"]`)",
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
        let why = if let Some(v) = ["bind", "escalate", "impersonate"]
            .into_iter()
            .find(|v| verb(v))
        {
            format!("the verb `{v}`")
        } else if (verb("create") || verb("*")) && (resource("pods/exec") || resource("*")) {
            "`create` on `pods/exec` (a shell in any pod)".to_string()
        } else if verb("*") && ESCALATING.iter().any(|x| resource(x)) {
            "`*` on RBAC objects or identities (bind, escalate, impersonate)".to_string()
        } else {
            continue;
        };
        out.push(finding(
            "rbac/escalation",
            object_name(o),
            o.origin,
            r.prov.clone(),
            format!("a rule of {} grants {why}", object_name(o)),
            rule_text(r),
            "remove the rule: a Prefect workload never needs to grant or assume permissions (only a site-wide `policy = privileged` lets it through, as a warning)",
        ));
    }
}
