//! Rules about access: RBAC rules and credentials written into env.

use super::finding;
use crate::lower::k8s::{Object, PolicyRule, Resource};
use crate::policy::pods::{object_name, pods};
use crate::policy::{Cx, Finding};

/// Every rule of every Role and ClusterRole, with its object.
fn role_rules<'a>(cx: &Cx<'a>) -> impl Iterator<Item = (&'a Object, &'a PolicyRule)> {
    cx.objects.iter().flat_map(|o| match &o.resource {
        Resource::Role(r) | Resource::ClusterRole(r) => {
            r.rules.iter().map(move |rule| (o, rule)).collect()
        }
        _ => Vec::new(),
    })
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

/// Whether an environment variable's name says it holds a credential.
fn credential_name(name: &str) -> bool {
    let up = name.to_ascii_uppercase();
    let tokens: Vec<&str> = up.split(['_', '-', '.']).collect();
    // Names of settings about a credential, not of the credential itself.
    const ABOUT: &[&str] = &[
        "NAME",
        "REF",
        "FILE",
        "PATH",
        "DIR",
        "URL",
        "HOST",
        "PORT",
        "USER",
        "AUDIENCE",
        "LENGTH",
        "MIN",
        "MAX",
        "TTL",
        "EXPIRY",
        "EXPIRATION",
        "ENABLED",
        "TYPE",
        "HEADER",
    ];
    if tokens.last().is_some_and(|t| ABOUT.contains(t)) {
        return false;
    }
    let has = |t: &str| tokens.contains(&t);
    let pair = |a: &str, b: &str| tokens.windows(2).any(|w| w[0] == a && w[1] == b);
    [
        "PASSWORD",
        "PASSWD",
        "PWD",
        "TOKEN",
        "SECRET",
        "APIKEY",
        "CREDENTIALS",
    ]
    .iter()
    .any(|t| has(t))
        || pair("API", "KEY")
        || pair("ACCESS", "KEY")
        || pair("PRIVATE", "KEY")
        || pair("AUTH", "STRING")
}

/// Why a literal value looks like a credential, whatever its name.
fn credential_value(value: &str) -> Option<&'static str> {
    if value.starts_with("pnu_") || value.starts_with("pnb_") {
        return Some("a Prefect API key");
    }
    if let Some((_, rest)) = value.split_once("://")
        && let Some((userinfo, _)) = rest.split_once('@')
        && userinfo.contains(':')
        && !userinfo.contains('/')
    {
        return Some("a URL with a password");
    }
    None
}

pub fn secret_literal(cx: &Cx, out: &mut Vec<Finding>) {
    for pod in pods(cx.objects) {
        for c in pod.containers() {
            for e in &c.container.env {
                let Some(value) = e.value.as_deref().filter(|v| !v.is_empty()) else {
                    continue;
                };
                // Values prefectc computes itself are never credentials.
                if e.prov.is_none() {
                    continue;
                }
                // A path, a number or a switch is not a credential, whatever
                // the variable is called (GOOGLE_APPLICATION_CREDENTIALS).
                let plain = value.starts_with('/')
                    || value.parse::<f64>().is_ok()
                    || matches!(value, "true" | "false");
                let why = credential_value(value).or_else(|| {
                    (!plain && credential_name(&e.name)).then_some("a credential by its name")
                });
                let Some(why) = why else { continue };
                out.push(finding(
                    "secret/literal",
                    c.place(),
                    pod.origin(),
                    e.prov.clone(),
                    format!("`{}` is set to a literal that looks like {why}", e.name),
                    "a credential in source",
                    format!(
                        "store it in a Kubernetes Secret and write `{} = secret(\"name\", \"key\")`",
                        e.name
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_names() {
        for yes in [
            "PREFECT_API_KEY",
            "DB_PASSWORD",
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "PREFECT_API_AUTH_STRING",
        ] {
            assert!(credential_name(yes), "{yes}");
        }
        for no in [
            "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_API_KEY_SECRET_NAME",
            "PREFECT_API_URL",
            "HOME",
            "TOKEN_FILE",
            "TOKEN_AUDIENCE",
            "PASSWORD_MIN_LENGTH",
            "KEYBOARD",
        ] {
            assert!(!credential_name(no), "{no}");
        }
    }

    #[test]
    fn credential_values() {
        assert!(credential_value("postgresql://u:p@db/prefect").is_some());
        assert!(credential_value("pnu_abc").is_some());
        assert!(credential_value("postgresql://db/prefect").is_none());
        assert!(credential_value("https://user@host/").is_none());
    }
}
