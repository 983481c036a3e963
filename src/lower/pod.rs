//! The pieces every Prefect workload shares: labels, images, hardened
//! security contexts, resources, scratch volumes, environment and RBAC.

use indexmap::IndexMap;

use super::Ctx;
use super::k8s::*;
use crate::check::model::{Component, Kind, Prov, Rec, TVal, Typed};

pub const HOME: &str = "/home/prefect";

/// `/usr/bin/tini -g -- /opt/prefect/entrypoint.sh`: the Prefect image's entrypoint.
pub fn tini() -> Vec<String> {
    ["/usr/bin/tini", "-g", "--", "/opt/prefect/entrypoint.sh"]
        .map(String::from)
        .to_vec()
}

pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// A derived value: a default of the component, named by its field.
pub fn derived(c: &Component, field: &str) -> Prov {
    Prov::Default {
        component: c.header,
        field: field.to_string(),
    }
}

pub fn tracked<T>(value: T, t: &Typed) -> Tracked<T> {
    Tracked {
        value,
        prov: t.prov.clone(),
    }
}

/// The labels of every object of a component.
pub fn labels(ctx: &Ctx, app: &str, instance: &str, component: &str, version: &str) -> Labels {
    let mut l = selector(app, instance, component);
    l.insert("app.kubernetes.io/part-of".into(), ctx.site_name.clone());
    l.insert("app.kubernetes.io/managed-by".into(), "prefectc".into());
    l.insert("app.kubernetes.io/version".into(), version_label(version));
    for (k, v) in &ctx.labels {
        l.entry(k.clone()).or_insert_with(|| v.clone());
    }
    l
}

/// The labels that select a component's pods.
pub fn selector(app: &str, instance: &str, component: &str) -> Labels {
    let mut l = IndexMap::new();
    l.insert("app.kubernetes.io/name".into(), app.into());
    l.insert("app.kubernetes.io/instance".into(), instance.into());
    l.insert("app.kubernetes.io/component".into(), component.into());
    l
}

/// A label value from an image tag: at most 63 characters, alphanumeric at both ends.
fn version_label(tag: &str) -> String {
    let v: String = tag.chars().take(63).collect();
    v.trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string()
}

pub fn meta(ctx: &Ctx, name: &str, namespace: &str, labels: &Labels) -> ObjectMeta {
    ObjectMeta {
        name: name.to_string(),
        namespace: Some(namespace.to_string()),
        labels: labels.clone(),
        annotations: ctx.annotations.clone(),
    }
}

/// The image of a component: its `image` field, else the Prefect image of
/// the site's version (`-kubernetes` variant when asked).
pub fn image(ctx: &Ctx, c: &Component, kubernetes_variant: bool) -> Tracked<String> {
    if let Some(t) = c.fields.get("image")
        && let TVal::Str(s) = &t.value
    {
        return tracked(s.clone(), t);
    }
    let suffix = if kubernetes_variant {
        "-kubernetes"
    } else {
        ""
    };
    Tracked {
        value: format!(
            "{}prefecthq/prefect:{}-python{}{suffix}",
            ctx.registry, ctx.prefect, ctx.python
        ),
        prov: derived(c, "image"),
    }
}

/// The tag of an image reference, for the version label.
pub fn image_version(image: &str) -> String {
    crate::check::image::parse(image)
        .ok()
        .and_then(|i| i.tag.map(str::to_string))
        .unwrap_or_else(|| "unversioned".to_string())
}

pub fn pull_policy(c: &Component) -> Tracked<&'static str> {
    let t = c
        .fields
        .get("image-pull-policy")
        .expect("image-pull-policy has a default");
    let v = match &t.value {
        TVal::Enum(s) if s == "always" => "Always",
        TVal::Enum(s) if s == "never" => "Never",
        _ => "IfNotPresent",
    };
    tracked(v, t)
}

fn int_field(sec: &Rec, name: &str, openshift: bool) -> Option<Tracked<i64>> {
    if openshift {
        return None;
    }
    sec.get(name).and_then(|t| match t.value {
        TVal::Int(i) => Some(tracked(i, t)),
        _ => None,
    })
}

fn bool_field(sec: &Rec, name: &str) -> Tracked<bool> {
    let t = sec.get(name).expect("security booleans have defaults");
    tracked(t.value == TVal::Bool(true), t)
}

pub fn pod_security(ctx: &Ctx, sec: &Rec) -> PodSecurityContext {
    let seccomp = sec.get("seccomp").expect("seccomp has a default");
    let profile = match &seccomp.value {
        TVal::Enum(s) if s == "localhost" => "Localhost",
        TVal::Enum(s) if s == "unconfined" => "Unconfined",
        _ => "RuntimeDefault",
    };
    PodSecurityContext {
        run_as_non_root: Some(bool_field(sec, "run-as-non-root")),
        run_as_user: int_field(sec, "run-as-user", ctx.openshift),
        run_as_group: int_field(sec, "run-as-group", ctx.openshift),
        fs_group: int_field(sec, "fs-group", ctx.openshift),
        seccomp_profile: Some(SeccompProfile {
            type_: tracked(profile, seccomp),
        }),
    }
}

pub fn container_security(ctx: &Ctx, sec: &Rec) -> SecurityContext {
    let add = sec
        .list("add-capabilities")
        .iter()
        .filter_map(|t| match &t.value {
            TVal::Str(s) => Some(tracked(s.clone(), t)),
            _ => None,
        })
        .collect();
    SecurityContext {
        allow_privilege_escalation: bool_field(sec, "allow-privilege-escalation"),
        capabilities: Capabilities {
            drop: vec!["ALL"],
            add,
        },
        privileged: bool_field(sec, "privileged"),
        read_only_root_filesystem: bool_field(sec, "read-only-root-filesystem"),
        run_as_non_root: Some(bool_field(sec, "run-as-non-root")),
        run_as_user: int_field(sec, "run-as-user", ctx.openshift),
        run_as_group: int_field(sec, "run-as-group", ctx.openshift),
    }
}

pub fn resources(r: &Rec) -> ResourceRequirements {
    let list = |name: &str| {
        let mut m = IndexMap::new();
        if let Some(rl) = r.record(name) {
            for (key, field) in [
                ("cpu", "cpu"),
                ("memory", "memory"),
                ("ephemeral-storage", "ephemeral-storage"),
            ] {
                if let Some(t) = rl.get(field)
                    && let TVal::Cpu(q) | TVal::Memory(q) = &t.value
                {
                    m.insert(key, tracked(q.text.clone(), t));
                }
            }
        }
        m
    };
    ResourceRequirements {
        requests: list("requests"),
        limits: list("limits"),
    }
}

/// The writable scratch volume: /home/prefect and /tmp (and more) under a
/// read-only root filesystem.
pub fn scratch_volume() -> Volume {
    Volume {
        name: "scratch".into(),
        empty_dir: Some(EmptyDir {}),
        persistent_volume_claim: None,
    }
}

pub fn scratch_mount(path: &str, sub: &str) -> VolumeMount {
    VolumeMount {
        name: "scratch".into(),
        mount_path: path.into(),
        sub_path: Some(sub.into()),
    }
}

pub fn env(name: &str, value: impl Into<String>) -> EnvVar {
    EnvVar {
        name: name.into(),
        value: Some(value.into()),
        value_from: None,
        prov: None,
    }
}

pub fn env_from_typed(name: &str, t: &Typed) -> EnvVar {
    let (value, value_from) = match &t.value {
        TVal::Secret { name, key } => (
            None,
            Some(EnvSource {
                secret_key_ref: Some(KeyRef {
                    name: name.clone(),
                    key: key.clone().unwrap_or_default(),
                }),
                config_map_key_ref: None,
            }),
        ),
        TVal::ConfigMap { name, key } => (
            None,
            Some(EnvSource {
                secret_key_ref: None,
                config_map_key_ref: Some(KeyRef {
                    name: name.clone(),
                    key: key.clone().unwrap_or_default(),
                }),
            }),
        ),
        TVal::Str(s) => (Some(s.clone()), None),
        other => (Some(format!("{other:?}")), None),
    };
    EnvVar {
        name: name.into(),
        value,
        value_from,
        prov: Some(t.prov.clone()),
    }
}

/// Appends the user's `env` map; a user variable replaces a derived one of
/// the same name in place, so nothing is set twice.
pub fn user_env(vars: &mut Vec<EnvVar>, c: &Component) {
    let Some(m) = c.fields.map("env") else { return };
    for (k, t) in m {
        let v = env_from_typed(k, t);
        match vars.iter_mut().find(|e| e.name == *k) {
            Some(existing) => *existing = v,
            None => vars.push(v),
        }
    }
}

pub fn bool_text(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

pub fn tolerations(c: &Component) -> Vec<Toleration> {
    c.fields
        .list("tolerations")
        .iter()
        .filter_map(|t| match &t.value {
            TVal::Record(r) => Some(Toleration {
                key: r.str("key").map(str::to_string),
                operator: if r.enum_("operator") == Some("exists") {
                    "Exists"
                } else {
                    "Equal"
                },
                value: r.str("value").map(str::to_string),
                effect: r.enum_("effect").map(|e| match e {
                    "no-schedule" => "NoSchedule",
                    "prefer-no-schedule" => "PreferNoSchedule",
                    _ => "NoExecute",
                }),
                toleration_seconds: r
                    .duration_ms("toleration")
                    .map(crate::check::units::seconds),
            }),
            _ => None,
        })
        .collect()
}

pub fn string_map(c: &Component, field: &str) -> Labels {
    c.fields
        .map(field)
        .map(|m| {
            m.iter()
                .filter_map(|(k, t)| match &t.value {
                    TVal::Str(s) => Some((k.clone(), s.clone())),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A pod spec with the site's pull secrets and the component's scheduling.
pub fn pod_spec(
    ctx: &Ctx,
    c: &Component,
    sa: &str,
    automount: Tracked<bool>,
    containers: Vec<Container>,
) -> PodSpec {
    let sec = c.fields.record("security").expect("security has a default");
    PodSpec {
        service_account_name: sa.into(),
        automount_service_account_token: automount,
        restart_policy: None,
        security_context: pod_security(ctx, sec),
        image_pull_secrets: ctx
            .pull_secrets
            .iter()
            .map(|n| LocalObjectReference { name: n.clone() })
            .collect(),
        node_selector: string_map(c, "node-selector"),
        tolerations: tolerations(c),
        init_containers: Vec::new(),
        containers,
        volumes: vec![scratch_volume()],
    }
}

pub fn pod_meta(c: &Component, labels: &Labels) -> PodMeta {
    let mut l = labels.clone();
    for (k, v) in string_map(c, "pod-labels") {
        l.entry(k).or_insert(v);
    }
    PodMeta {
        labels: l,
        annotations: string_map(c, "pod-annotations"),
    }
}

pub fn service_account(
    ctx: &Ctx,
    c: &Component,
    labels: &Labels,
    automount: Tracked<bool>,
) -> Object {
    let mut m = meta(ctx, &c.name, &ctx.namespace, labels);
    for (k, v) in string_map(c, "service-account-annotations") {
        m.annotations.insert(k, v);
    }
    Object {
        resource: Resource::ServiceAccount(ServiceAccount {
            api_version: "v1",
            kind: "ServiceAccount",
            metadata: m,
            automount_service_account_token: automount,
        }),
        origin: c.header,
    }
}

pub fn deployment(
    ctx: &Ctx,
    c: &Component,
    name: &str,
    labels: &Labels,
    replicas: Option<Tracked<i64>>,
    recreate: bool,
    pod: PodSpec,
) -> Object {
    let sel = LabelSelector {
        match_labels: selector(
            &labels["app.kubernetes.io/name"],
            &labels["app.kubernetes.io/instance"],
            &labels["app.kubernetes.io/component"],
        ),
    };
    Object {
        resource: Resource::Deployment(Deployment {
            api_version: "apps/v1",
            kind: "Deployment",
            metadata: meta(ctx, name, &ctx.namespace, labels),
            spec: DeploymentSpec {
                replicas,
                revision_history_limit: 10,
                selector: sel,
                strategy: Strategy {
                    type_: if recreate {
                        "Recreate"
                    } else {
                        "RollingUpdate"
                    },
                },
                template: PodTemplate {
                    metadata: pod_meta(c, labels),
                    spec: pod,
                },
            },
        }),
        origin: c.header,
    }
}

/// A Role with `rules` in `namespace`, and its binding to the component's
/// ServiceAccount (which lives in the site namespace).
pub fn role_and_binding(
    ctx: &Ctx,
    c: &Component,
    namespace: &str,
    labels: &Labels,
    rules: Vec<PolicyRule>,
) -> [Object; 2] {
    let role = Object {
        resource: Resource::Role(Role {
            api_version: "rbac.authorization.k8s.io/v1",
            kind: "Role",
            metadata: meta(ctx, &c.name, namespace, labels),
            rules,
        }),
        origin: c.header,
    };
    let binding = Object {
        resource: Resource::RoleBinding(RoleBinding {
            api_version: "rbac.authorization.k8s.io/v1",
            kind: "RoleBinding",
            metadata: meta(ctx, &c.name, namespace, labels),
            role_ref: RoleRef {
                api_group: "rbac.authorization.k8s.io",
                kind: "Role",
                name: c.name.clone(),
            },
            subjects: vec![Subject {
                kind: "ServiceAccount",
                name: c.name.clone(),
                namespace: ctx.namespace.clone(),
            }],
        }),
        origin: c.header,
    };
    [role, binding]
}

pub fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> PolicyRule {
    PolicyRule {
        api_groups: strings(groups),
        resources: strings(resources),
        resource_names: Vec::new(),
        verbs: strings(verbs),
        prov: None,
    }
}

/// The `rbac.extra-rules` of a component.
pub fn extra_rules(c: &Component) -> Vec<PolicyRule> {
    let Some(rbac) = c.fields.record("rbac") else {
        return Vec::new();
    };
    rbac.list("extra-rules")
        .iter()
        .filter_map(|t| match &t.value {
            TVal::Record(r) => Some(PolicyRule {
                api_groups: r
                    .strings("api-groups")
                    .into_iter()
                    .map(String::from)
                    .collect(),
                resources: r
                    .strings("resources")
                    .into_iter()
                    .map(String::from)
                    .collect(),
                resource_names: r
                    .strings("resource-names")
                    .into_iter()
                    .map(String::from)
                    .collect(),
                verbs: r.strings("verbs").into_iter().map(String::from).collect(),
                prov: Some(t.prov.clone()),
            }),
            _ => None,
        })
        .collect()
}

/// The environment that points a client at the Prefect API: URL,
/// credentials, and (for workers) Cloud key propagation.
pub struct ApiEnv {
    pub vars: Vec<EnvVar>,
    /// Auth variables, placed after the component's own settings.
    pub auth: Vec<EnvVar>,
}

pub fn api_env(ctx: &Ctx, c: &Component, propagate: bool) -> ApiEnv {
    let (tag, value) = c.fields.variant("api").expect("api is required");
    let mut vars = Vec::new();
    let mut auth = Vec::new();
    match (tag, &value.value) {
        ("server", TVal::Ref { name, .. }) => {
            let server = ctx
                .site
                .find(Kind::Server, name)
                .expect("checked: the server exists");
            vars.push(EnvVar {
                prov: Some(value.prov.clone()),
                ..env("PREFECT_API_URL", super::server::api_url(ctx, server))
            });
            if let Some(("basic", b)) = server.fields.variant("auth")
                && let TVal::Record(r) = &b.value
            {
                let cred = r.get("credentials").expect("credentials are required");
                auth.push(env_from_typed("PREFECT_API_AUTH_STRING", cred));
            }
        }
        (_, TVal::Record(r)) => {
            let url = match tag {
                "self-hosted" => r.str("url").unwrap_or_default().to_string(),
                "cloud" => cloud_url("https://api.prefect.cloud/api", r),
                _ => cloud_url(r.str("api-url").unwrap_or_default(), r),
            };
            vars.push(EnvVar {
                prov: Some(value.prov.clone()),
                ..env("PREFECT_API_URL", url)
            });
            if let Some(a) = r.get("auth") {
                auth.push(env_from_typed("PREFECT_API_AUTH_STRING", a));
            }
            if let Some(key) = r.get("key") {
                vars.push(env_from_typed("PREFECT_API_KEY", key));
                if let Some(u) = r.str("cloud-api-url") {
                    vars.push(env("PREFECT_CLOUD_API_URL", u));
                }
                if let Some(u) = r.str("cloud-ui-url") {
                    vars.push(env("PREFECT_CLOUD_UI_URL", u));
                }
                if propagate {
                    propagation(&mut vars, r, key);
                }
            }
        }
        _ => {}
    }
    ApiEnv { vars, auth }
}

fn cloud_url(base: &str, r: &Rec) -> String {
    format!(
        "{}/accounts/{}/workspaces/{}",
        base.trim_end_matches('/'),
        r.str("account").unwrap_or_default(),
        r.str("workspace").unwrap_or_default()
    )
}

fn propagation(vars: &mut Vec<EnvVar>, r: &Rec, key: &Typed) {
    match r.enum_("key-propagation") {
        Some("secret-ref") => {
            if let TVal::Secret { name, key: k } = &key.value {
                vars.push(env(
                    "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_API_KEY_SECRET_NAME",
                    name.clone(),
                ));
                vars.push(env(
                    "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_API_KEY_SECRET_KEY",
                    k.clone().unwrap_or_default(),
                ));
            }
        }
        Some("create-secret") => vars.push(env(
            "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_CREATE_SECRET_FOR_API_KEY",
            "true",
        )),
        _ => {}
    }
}

/// Whether the component's Cloud API key is propagated by creating Secrets.
pub fn creates_key_secrets(c: &Component) -> bool {
    matches!(
        c.fields.variant("api"),
        Some((_, Typed { value: TVal::Record(r), .. })) if r.enum_("key-propagation") == Some("create-secret")
    )
}

pub fn seconds_text(ms: u64) -> String {
    crate::check::units::seconds(ms).to_string()
}

/// The environment of a polling client (worker or agent), in the charts'
/// order: `HOME`, prefetch and poll interval, HTTP/2, the API URL, the cluster
/// UID, `extra` (the observer namespaces of a worker), the remaining API
/// variables, debug mode, auth, and finally the user's `env`.
pub fn client_env(
    c: &Component,
    api: &ApiEnv,
    prefetch_var: &str,
    query_var: &str,
    extra: Vec<EnvVar>,
) -> Vec<EnvVar> {
    let f = &c.fields;
    let mut vars = vec![
        env("HOME", HOME),
        env(
            prefetch_var,
            seconds_text(f.duration_ms("prefetch").unwrap_or(10_000)),
        ),
        env(
            query_var,
            seconds_text(f.duration_ms("query-interval").unwrap_or(5_000)),
        ),
        env(
            "PREFECT_API_ENABLE_HTTP2",
            bool_text(f.bool("http2") != Some(false)),
        ),
    ];
    vars.extend(api.vars.iter().take(1).cloned());
    if let Some(uid) = f.str("cluster-uid") {
        vars.push(env("PREFECT_KUBERNETES_CLUSTER_UID", uid));
    }
    vars.extend(extra);
    vars.extend(api.vars.iter().skip(1).cloned());
    vars.push(env(
        "PREFECT_DEBUG_MODE",
        bool_text(f.bool("debug") == Some(true)),
    ));
    vars.extend(api.auth.iter().cloned());
    user_env(&mut vars, c);
    vars
}

/// A container running a `prefect` command through the image's entrypoint,
/// hardened, with the scratch mounts; no ports and no probes.
pub fn prefect_container(
    ctx: &Ctx,
    c: &Component,
    name: &str,
    image: Tracked<String>,
    args: Vec<String>,
    env: Vec<EnvVar>,
    resources_of: &Rec,
) -> Container {
    let sec = c.fields.record("security").expect("security has a default");
    Container {
        name: name.into(),
        image,
        image_pull_policy: pull_policy(c),
        command: tini(),
        args,
        working_dir: Some(HOME.into()),
        ports: Vec::new(),
        env,
        resources: resources(
            resources_of
                .record("resources")
                .expect("resources have a default"),
        ),
        security_context: container_security(ctx, sec),
        startup_probe: None,
        liveness_probe: None,
        readiness_probe: None,
        volume_mounts: vec![scratch_mount(HOME, "home"), scratch_mount("/tmp", "tmp")],
    }
}

/// A ClusterIP Service with one `http` port selecting the component's pods.
pub fn service(ctx: &Ctx, c: &Component, labels: &Labels, port: i64) -> Object {
    Object {
        resource: Resource::Service(Service {
            api_version: "v1",
            kind: "Service",
            metadata: meta(ctx, &c.name, &ctx.namespace, labels),
            spec: ServiceSpec {
                type_: "ClusterIP",
                selector: selector(
                    &labels["app.kubernetes.io/name"],
                    &labels["app.kubernetes.io/instance"],
                    &labels["app.kubernetes.io/component"],
                ),
                ports: vec![ServicePort {
                    name: "http".into(),
                    port,
                    target_port: IntOrString::Str("http".into()),
                    protocol: "TCP",
                }],
            },
        }),
        origin: c.header,
    }
}
