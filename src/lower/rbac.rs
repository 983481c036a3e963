//! ServiceAccounts, Roles and their bindings.

use super::Ctx;
use super::k8s::*;
use super::meta::{meta, strings};
use super::owner::Owner;
use crate::model::schema::{PolicyRule as Rule, VerbOrString};

/// The ServiceAccount of a component: named after it, except that
/// `default` belongs to the namespace (every pod without an account of its
/// own runs as it), so a component named `default` gets `<kind>-default`.
pub fn service_account_name(owner: &Owner) -> String {
    if let Some(existing) = owner.pod.service_account {
        existing.value.clone()
    } else if owner.name == "default" {
        format!("{}-default", owner.kind.as_str())
    } else {
        owner.name.clone()
    }
}

/// `automount-service-account-token = true`, when the user asks for it.
pub fn automount_field(owner: &Owner) -> Option<Tracked<bool>> {
    let t = owner.pod.automount_service_account_token;
    t.value.then(|| super::meta::tracked(true, t))
}

pub fn service_account(
    ctx: &Ctx,
    owner: &Owner,
    labels: &Labels,
    automount: Tracked<bool>,
) -> Option<Object> {
    // An existing account named by `service-account` is not ours to emit.
    if owner.pod.service_account.is_some() {
        return None;
    }
    // Pods mount the token explicitly where they need it (see `pod_spec`).
    let automount = automount_field(owner).unwrap_or(Tracked {
        value: false,
        prov: automount.prov,
    });
    let mut m = meta(ctx, &service_account_name(owner), &ctx.namespace, labels);
    if let Some(annotations) = owner.pod.service_account_annotations {
        m.annotations.extend(strings(annotations));
    }
    Some(Object {
        resource: std::sync::Arc::new(Resource::ServiceAccount(ServiceAccount {
            api_version: "v1",
            kind: "ServiceAccount",
            metadata: m,
            automount_service_account_token: automount,
        })),
        origin: owner.header,
    })
}

/// A Role with `rules` in `namespace`, and its binding to the component's
/// ServiceAccount (which lives in the site namespace).
pub fn role_and_binding(
    ctx: &Ctx,
    owner: &Owner,
    namespace: &str,
    labels: &Labels,
    rules: impl Into<std::sync::Arc<[PolicyRule]>>,
) -> [Object; 2] {
    let m = meta(ctx, &owner.name, namespace, labels);
    let role = Role {
        api_version: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: m.clone(),
        rules: rules.into(),
    };
    let binding = binding(ctx, owner, "Role", m);
    [
        Object {
            resource: std::sync::Arc::new(Resource::Role(role)),
            origin: owner.header,
        },
        Object {
            resource: std::sync::Arc::new(Resource::RoleBinding(binding)),
            origin: owner.header,
        },
    ]
}

/// The name of a component's cluster-scoped RBAC objects: cluster-wide
/// names must not clash between sites, so the namespace comes first.
pub fn cluster_name(ctx: &Ctx, owner: &Owner) -> String {
    format!("{}-{}", ctx.namespace, owner.name)
}

/// A ClusterRole with `rules` and its binding to the component's
/// ServiceAccount.
pub fn cluster_role_and_binding(
    ctx: &Ctx,
    owner: &Owner,
    labels: &Labels,
    rules: impl Into<std::sync::Arc<[PolicyRule]>>,
) -> [Object; 2] {
    let mut m = meta(ctx, &cluster_name(ctx, owner), "", labels);
    m.namespace = None;
    let role = Role {
        api_version: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: m.clone(),
        rules: rules.into(),
    };
    let binding = binding(ctx, owner, "ClusterRole", m);
    [
        Object {
            resource: std::sync::Arc::new(Resource::ClusterRole(role)),
            origin: owner.header,
        },
        Object {
            resource: std::sync::Arc::new(Resource::ClusterRoleBinding(binding)),
            origin: owner.header,
        },
    ]
}

/// A binding named by `m` of the role of that name to the component's ServiceAccount.
fn binding(ctx: &Ctx, owner: &Owner, role_kind: &'static str, m: ObjectMeta) -> RoleBinding {
    RoleBinding {
        api_version: "rbac.authorization.k8s.io/v1",
        kind: if role_kind == "ClusterRole" {
            "ClusterRoleBinding"
        } else {
            "RoleBinding"
        },
        role_ref: RoleRef {
            api_group: "rbac.authorization.k8s.io",
            kind: role_kind,
            name: m.name.clone(),
        },
        metadata: m,
        subjects: vec![Subject {
            kind: "ServiceAccount",
            name: service_account_name(owner),
            namespace: ctx.namespace.to_string(),
        }],
    }
}

pub fn rule(
    groups: &[&'static str],
    resources: &[&'static str],
    verbs: &[&'static str],
) -> PolicyRule {
    let words = |items: &[&'static str]| items.iter().map(|&s| Word::Borrowed(s)).collect();
    PolicyRule {
        api_groups: words(groups),
        resources: words(resources),
        resource_names: Vec::new(),
        verbs: words(verbs),
        prov: None,
    }
}

/// `rbac.extra-rules`, as written.
pub fn extra_rules(rules: &[crate::model::Located<Rule>]) -> Vec<PolicyRule> {
    let owned = |list: &[crate::model::Located<String>]| {
        list.iter().map(|s| Word::Owned(s.value.clone())).collect()
    };
    rules
        .iter()
        .map(|r| PolicyRule {
            api_groups: owned(&r.api_groups),
            resources: owned(&r.resources),
            resource_names: owned(&r.resource_names),
            verbs: r
                .verbs
                .iter()
                .map(|v| match &v.value {
                    VerbOrString::Verb(v) => Word::Borrowed(v.as_str()),
                    VerbOrString::String(s) => Word::Owned(s.clone()),
                })
                .collect(),
            prov: Some(r.prov.clone()),
        })
        .collect()
}

/// Without `cluster-uid`, Prefect identifies the cluster by the UID of the
/// `kube-system` namespace: reading that one namespace is all it needs.
pub fn cluster_uid_rule(cluster_uid_given: bool) -> Option<PolicyRule> {
    (!cluster_uid_given).then(|| PolicyRule {
        resource_names: vec!["kube-system".into()],
        ..rule(&[""], &["namespaces"], &["get"])
    })
}
