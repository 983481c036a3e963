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

/// The selector labels among a component's labels.
pub fn selector_of(labels: &Labels) -> Labels {
    selector(
        &labels["app.kubernetes.io/name"],
        &labels["app.kubernetes.io/instance"],
        &labels["app.kubernetes.io/component"],
    )
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
    pull_policy_of(&c.fields)
}

fn pull_policy_of(r: &Rec) -> Tracked<&'static str> {
    let t = r
        .get("image-pull-policy")
        .expect("image-pull-policy has a default");
    let v = match &t.value {
        TVal::Enum(s) if s == "always" => "Always",
        TVal::Enum(s) if s == "never" => "Never",
        _ => "IfNotPresent",
    };
    tracked(v, t)
}

/// A security setting: the container's own (`ContainerSecurity`), else the
/// component's (`Security`).
fn sec_get<'a>(own: Option<&'a Rec>, sec: &'a Rec, name: &str) -> Option<&'a Typed> {
    own.and_then(|o| o.get(name)).or_else(|| sec.get(name))
}

fn int_field(own: Option<&Rec>, sec: &Rec, name: &str, openshift: bool) -> Option<Tracked<i64>> {
    if openshift {
        return None;
    }
    sec_get(own, sec, name).and_then(|t| match t.value {
        TVal::Int(i) => Some(tracked(i, t)),
        _ => None,
    })
}

fn bool_field(own: Option<&Rec>, sec: &Rec, name: &str) -> Tracked<bool> {
    let t = sec_get(own, sec, name).expect("security booleans have defaults");
    tracked(t.value == TVal::Bool(true), t)
}

/// `Some` only when the setting is true: the host-sharing switches are
/// omitted unless asked for.
fn true_field(sec: &Rec, name: &str) -> Option<Tracked<bool>> {
    sec.get(name)
        .filter(|t| t.value == TVal::Bool(true))
        .map(|t| tracked(true, t))
}

/// A seccomp or AppArmor profile from its enum and localhost profile name.
fn profile(t: &Typed, localhost: Option<&str>) -> SeccompProfile {
    let type_ = match &t.value {
        TVal::Enum(s) if s == "localhost" => "Localhost",
        TVal::Enum(s) if s == "unconfined" => "Unconfined",
        _ => "RuntimeDefault",
    };
    SeccompProfile {
        type_: tracked(type_, t),
        localhost_profile: localhost
            .filter(|_| type_ == "Localhost")
            .map(str::to_string),
    }
}

fn se_linux(t: &Typed) -> Option<SeLinuxOptions> {
    let TVal::Record(r) = &t.value else {
        return None;
    };
    Some(SeLinuxOptions {
        type_: r.str("type").map(str::to_string),
        user: r.str("user").map(str::to_string),
        role: r.str("role").map(str::to_string),
        level: r.str("level").map(str::to_string),
        prov: Some(t.prov.clone()),
    })
}

pub fn pod_security(ctx: &Ctx, sec: &Rec) -> PodSecurityContext {
    let seccomp = sec.get("seccomp").expect("seccomp has a default");
    PodSecurityContext {
        run_as_non_root: Some(bool_field(None, sec, "run-as-non-root")),
        run_as_user: int_field(None, sec, "run-as-user", ctx.openshift),
        run_as_group: int_field(None, sec, "run-as-group", ctx.openshift),
        fs_group: int_field(None, sec, "fs-group", ctx.openshift),
        seccomp_profile: Some(profile(seccomp, sec.str("seccomp-localhost-profile"))),
        app_armor_profile: sec
            .get("apparmor")
            .map(|t| profile(t, sec.str("apparmor-localhost-profile"))),
        se_linux_options: sec.get("selinux").and_then(se_linux),
        sysctls: sec
            .map("sysctls")
            .into_iter()
            .flatten()
            .filter_map(|(k, t)| match &t.value {
                TVal::Str(v) => Some(Sysctl {
                    name: k.clone(),
                    value: v.clone(),
                    prov: Some(t.prov.clone()),
                }),
                _ => None,
            })
            .collect(),
        windows_options: true_field(sec, "windows-host-process")
            .map(|host_process| WindowsOptions { host_process }),
    }
}

/// The security context of a container of a component whose security is
/// `sec`; `own` are an extra container's overrides.
pub fn container_security(ctx: &Ctx, sec: &Rec, own: Option<&Rec>) -> SecurityContext {
    let add = sec_get(own, sec, "add-capabilities")
        .map(|t| match &t.value {
            TVal::List(items) => items
                .iter()
                .filter_map(|t| match &t.value {
                    TVal::Str(s) => Some(tracked(s.clone(), t)),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        })
        .unwrap_or_default();
    let own_get = |name: &str| own.and_then(|o| o.get(name));
    let privileged = bool_field(own, sec, "privileged");
    let mut escalation = bool_field(own, sec, "allow-privilege-escalation");
    // Kubernetes rejects allowPrivilegeEscalation false next to privileged
    // or CAP_SYS_ADMIN: the default gives way to what was asked for.
    let sys_admin = add
        .iter()
        .find(|c: &&Tracked<String>| c.value.trim_start_matches("CAP_") == "SYS_ADMIN");
    let forced_by = if privileged.value {
        Some(&privileged.prov)
    } else {
        sys_admin.map(|c| &c.prov)
    };
    if let Some(cause) = forced_by
        && escalation.prov.is_default()
    {
        escalation = Tracked {
            value: true,
            prov: cause.clone(),
        };
    }
    SecurityContext {
        allow_privilege_escalation: escalation,
        capabilities: Capabilities {
            drop: vec!["ALL"],
            add,
        },
        privileged,
        read_only_root_filesystem: bool_field(own, sec, "read-only-root-filesystem"),
        run_as_non_root: Some(bool_field(own, sec, "run-as-non-root")),
        run_as_user: int_field(own, sec, "run-as-user", ctx.openshift),
        run_as_group: int_field(own, sec, "run-as-group", ctx.openshift),
        proc_mount: sec_get(own, sec, "proc-mount")
            .filter(|t| t.value == TVal::Enum("unmasked".into()))
            .map(|t| tracked("Unmasked", t)),
        seccomp_profile: own_get("seccomp")
            .map(|t| profile(t, sec.str("seccomp-localhost-profile"))),
        app_armor_profile: own_get("apparmor")
            .map(|t| profile(t, sec.str("apparmor-localhost-profile"))),
        se_linux_options: own_get("selinux").and_then(se_linux),
        windows_options: None,
    }
}

pub fn resources(t: &Typed) -> ResourceRequirements {
    let empty = Rec::default();
    let r = match &t.value {
        TVal::Record(r) => r,
        _ => &empty,
    };
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
        prov: Some(t.prov.clone()),
    }
}

/// The writable scratch volume: /home/prefect and /tmp (and more) under a
/// read-only root filesystem.
pub fn scratch_volume() -> Volume {
    Volume {
        name: "scratch".into(),
        empty_dir: Some(EmptyDir::default()),
        ..Volume::default()
    }
}

pub fn scratch_mount(path: &str, sub: &str) -> VolumeMount {
    VolumeMount {
        name: "scratch".into(),
        mount_path: path.into(),
        sub_path: Some(sub.into()),
        read_only: false,
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
    merge_env(vars, &c.fields, "env");
}

/// Appends the map `field` of `r` to `vars`; a name already set is replaced
/// in place.
pub fn merge_env(vars: &mut Vec<EnvVar>, r: &Rec, field: &str) {
    let Some(m) = r.map(field) else { return };
    for (k, t) in m {
        let v = env_from_typed(k, t);
        match vars.iter_mut().find(|e| e.name == *k) {
            Some(existing) => *existing = v,
            None => vars.push(v),
        }
    }
}

/// `env-from`: whole Secrets and ConfigMaps, in the order written.
pub fn env_from(list: &[Typed]) -> Vec<EnvFromSource> {
    list.iter()
        .filter_map(|t| match &t.value {
            TVal::Secret { name, .. } => Some(EnvFromSource {
                secret_ref: Some(LocalObjectReference { name: name.clone() }),
                config_map_ref: None,
            }),
            TVal::ConfigMap { name, .. } => Some(EnvFromSource {
                secret_ref: None,
                config_map_ref: Some(LocalObjectReference { name: name.clone() }),
            }),
            _ => None,
        })
        .collect()
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

/// The ServiceAccount of a component: named after it, except that
/// `default` belongs to the namespace (every pod without an account of its
/// own runs as it), so a component named `default` gets `<kind>-default`.
pub fn service_account_name(c: &Component) -> String {
    if let Some(existing) = c.fields.str("service-account") {
        existing.to_string()
    } else if c.name == "default" {
        format!("{}-default", c.kind.as_str())
    } else {
        c.name.clone()
    }
}

/// `automount-service-account-token = true`, when the user asks for it.
fn automount_field(c: &Component) -> Option<Tracked<bool>> {
    c.fields
        .get("automount-service-account-token")
        .filter(|t| t.value == TVal::Bool(true))
        .map(|t| tracked(true, t))
}

/// Where the kubelet mounts a ServiceAccount token.
const TOKEN_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The volume the kubelet would mount for an automounted token, written
/// out: a short-lived bound token, the cluster CA and the namespace.
fn api_access_volume() -> Volume {
    Volume {
        name: "kube-api-access".into(),
        projected: Some(serde_json::json!({
            "defaultMode": 0o444,
            "sources": [
                {"serviceAccountToken": {"path": "token", "expirationSeconds": 3607}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
            ],
        })),
        ..Volume::default()
    }
}

/// A pod spec with the site's pull secrets and the component's scheduling.
/// `api_access` says whether the main container calls the Kubernetes API:
/// then its token is mounted explicitly into that container only, and
/// automounting stays off for every pod.
pub fn pod_spec(
    ctx: &Ctx,
    c: &Component,
    api_access: Tracked<bool>,
    containers: Vec<Container>,
) -> PodSpec {
    let sec = c.fields.record("security").expect("security has a default");
    let mut containers = containers;
    for container in &mut containers {
        container
            .volume_mounts
            .extend(volume_mounts(c.fields.list("volume-mounts")));
    }
    if let Some(main) = containers.first_mut() {
        main.env_from = env_from(c.fields.list("env-from"));
    }
    let mut volumes = vec![scratch_volume()];
    let automount = automount_field(c);
    if api_access.value && automount.is_none() {
        volumes.push(api_access_volume());
        if let Some(main) = containers.first_mut() {
            main.volume_mounts.push(VolumeMount {
                name: "kube-api-access".into(),
                mount_path: TOKEN_DIR.into(),
                sub_path: None,
                read_only: true,
            });
        }
    }
    volumes.extend(user_volumes(c));
    let automount = automount.unwrap_or(Tracked {
        value: false,
        prov: api_access.prov,
    });
    PodSpec {
        service_account_name: service_account_name(c),
        automount_service_account_token: automount,
        host_network: true_field(sec, "host-network"),
        host_pid: true_field(sec, "host-pid"),
        host_ipc: true_field(sec, "host-ipc"),
        restart_policy: None,
        dns_policy: None,
        dns_config: None,
        security_context: pod_security(ctx, sec),
        image_pull_secrets: pull_secrets(ctx),
        node_selector: string_map(c, "node-selector"),
        tolerations: tolerations(c),
        scheduling: Scheduling {
            priority_class_name: c.fields.str("priority-class").map(str::to_string),
            termination_grace_period_seconds: c
                .fields
                .duration_ms("termination-grace-period")
                .map(whole_seconds),
            affinity: node_affinity(c),
            topology_spread_constraints: Vec::new(),
        },
        init_containers: Vec::new(),
        containers,
        volumes,
    }
}

/// `command`, `args`, `extra-args` and `lifecycle` of the component's main
/// container (not of the helper pods it spawns, such as migrations).
pub fn override_main(c: &Component, main: &mut Container) {
    let f = &c.fields;
    let owned =
        |name: &str| -> Vec<String> { f.strings(name).into_iter().map(String::from).collect() };
    if f.get("command").is_some() {
        main.command = owned("command");
    }
    if f.get("args").is_some() {
        main.args = owned("args");
    }
    main.args.extend(owned("extra-args"));
    if let Some(l) = f.record("lifecycle") {
        let exec = |name: &str| {
            let command: Vec<&str> = l.strings(name);
            (!command.is_empty()).then(|| serde_json::json!({"exec": {"command": command}}))
        };
        let mut hooks = serde_json::Map::new();
        if let Some(h) = exec("post-start") {
            hooks.insert("postStart".into(), h);
        }
        // A sleep needs no shell in the image.
        if let Some(ms) = l.duration_ms("pre-stop-sleep") {
            hooks.insert(
                "preStop".into(),
                serde_json::json!({"sleep": {"seconds": whole_seconds(ms)}}),
            );
        } else if let Some(h) = exec("pre-stop") {
            hooks.insert("preStop".into(), h);
        }
        if !hooks.is_empty() {
            main.lifecycle = Some(serde_json::Value::Object(hooks));
        }
    }
}

fn node_term(t: &Typed) -> Option<serde_json::Value> {
    let TVal::Record(r) = &t.value else {
        return None;
    };
    let expressions: Vec<serde_json::Value> = r
        .list("match")
        .iter()
        .filter_map(|e| match &e.value {
            TVal::Record(e) => {
                let operator = match e.enum_("operator").unwrap_or("in") {
                    "not-in" => "NotIn",
                    "exists" => "Exists",
                    "does-not-exist" => "DoesNotExist",
                    "gt" => "Gt",
                    "lt" => "Lt",
                    _ => "In",
                };
                let mut x = serde_json::json!({"key": e.str("key").unwrap_or_default(), "operator": operator});
                let values = e.strings("values");
                if !values.is_empty() {
                    x["values"] = serde_json::json!(values);
                }
                Some(x)
            }
            _ => None,
        })
        .collect();
    Some(serde_json::json!({"matchExpressions": expressions}))
}

/// The node part of `affinity`; the pod part needs the pods' labels and is
/// added by [`deployment`].
fn node_affinity(c: &Component) -> Option<serde_json::Value> {
    let a = c.fields.record("affinity")?;
    let required: Vec<serde_json::Value> = a
        .list("required-nodes")
        .iter()
        .filter_map(node_term)
        .collect();
    let preferred: Vec<serde_json::Value> = a
        .list("preferred-nodes")
        .iter()
        .filter_map(|t| match &t.value {
            TVal::Record(r) => Some(serde_json::json!({
                "weight": r.int("weight").unwrap_or(1),
                "preference": node_term(t)?,
            })),
            _ => None,
        })
        .collect();
    let mut node = serde_json::Map::new();
    if !required.is_empty() {
        node.insert(
            "requiredDuringSchedulingIgnoredDuringExecution".into(),
            serde_json::json!({"nodeSelectorTerms": required}),
        );
    }
    if !preferred.is_empty() {
        node.insert(
            "preferredDuringSchedulingIgnoredDuringExecution".into(),
            serde_json::json!(preferred),
        );
    }
    (!node.is_empty()).then(|| serde_json::json!({"nodeAffinity": node}))
}

/// `affinity.spread` and `topology-spread`, over the pods `selector` picks.
fn spread(c: &Component, spec: &mut PodSpec, selector: &Labels) {
    let label_selector = serde_json::json!({"matchLabels": selector});
    if let Some(p) = c.fields.record("affinity").and_then(|a| a.record("spread")) {
        let key = p.str("topology-key").unwrap_or("kubernetes.io/hostname");
        let term = serde_json::json!({"labelSelector": label_selector, "topologyKey": key});
        let anti = if p.bool("required") == Some(true) {
            serde_json::json!({"requiredDuringSchedulingIgnoredDuringExecution": [term]})
        } else {
            serde_json::json!({"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": p.int("weight").unwrap_or(100), "podAffinityTerm": term}
            ]})
        };
        let affinity = spec
            .scheduling
            .affinity
            .get_or_insert_with(|| serde_json::json!({}));
        affinity["podAntiAffinity"] = anti;
    }
    for t in c.fields.list("topology-spread") {
        if let TVal::Record(r) = &t.value {
            spec.scheduling.topology_spread_constraints.push(serde_json::json!({
                "maxSkew": r.int("max-skew").unwrap_or(1),
                "topologyKey": r.str("topology-key").unwrap_or("topology.kubernetes.io/zone"),
                "whenUnsatisfiable": if r.enum_("when-unsatisfiable") == Some("do-not-schedule") {
                    "DoNotSchedule"
                } else {
                    "ScheduleAnyway"
                },
                "labelSelector": label_selector,
            }));
        }
    }
}

fn int_or_percent(t: Option<&Typed>, default: &str) -> serde_json::Value {
    match t.map(|t| &t.value) {
        Some(TVal::Int(i)) => serde_json::json!(i),
        Some(TVal::Percent(p)) => serde_json::json!(format!("{p}%")),
        _ => serde_json::json!(default),
    }
}

/// The Deployment strategy: `Recreate` when forced (SQLite) or asked for.
fn strategy(c: &Component, recreate: bool) -> Strategy {
    match c.fields.variant("update-strategy") {
        _ if recreate => Strategy {
            type_: "Recreate",
            rolling_update: None,
        },
        Some(("recreate", _)) => Strategy {
            type_: "Recreate",
            rolling_update: None,
        },
        Some((_, t)) => {
            let r = match &t.value {
                TVal::Record(r) => Some(r),
                _ => None,
            };
            Strategy {
                type_: "RollingUpdate",
                rolling_update: Some(serde_json::json!({
                    "maxSurge": int_or_percent(r.and_then(|r| r.get("max-surge")), "25%"),
                    "maxUnavailable": int_or_percent(r.and_then(|r| r.get("max-unavailable")), "25%"),
                })),
            }
        }
        None => Strategy {
            type_: "RollingUpdate",
            rolling_update: None,
        },
    }
}

/// The component's `volumes`, after the compiler's own.
fn user_volumes(c: &Component) -> Vec<Volume> {
    let Some(m) = c.fields.map("volumes") else {
        return Vec::new();
    };
    m.iter()
        .filter_map(|(name, t)| {
            let TVal::Variant { tag, value } = &t.value else {
                return None;
            };
            let TVal::Record(r) = &value.value else {
                return None;
            };
            let text = |f: &str| r.str(f).unwrap_or_default().to_string();
            let flag = |f: &str| r.bool(f) == Some(true);
            let mut v = Volume {
                name: name.clone(),
                prov: Some(t.prov.clone()),
                ..Volume::default()
            };
            match tag.as_str() {
                "empty-dir" => {
                    v.empty_dir = Some(EmptyDir {
                        medium: flag("memory").then_some("Memory"),
                        size_limit: match r.get("size-limit").map(|t| &t.value) {
                            Some(TVal::Memory(q)) => Some(q.text.clone()),
                            _ => None,
                        },
                    })
                }
                "config-map" => {
                    v.config_map = Some(ConfigMapSource {
                        name: text("name"),
                        optional: flag("optional"),
                    })
                }
                "secret" => {
                    v.secret = Some(SecretSource {
                        secret_name: text("name"),
                        optional: flag("optional"),
                    })
                }
                "pvc" => {
                    v.persistent_volume_claim = Some(PvcSource {
                        claim_name: text("claim"),
                        read_only: flag("read-only"),
                    })
                }
                "host-path" => v.host_path = Some(HostPathSource { path: text("path") }),
                _ => {
                    v.nfs = Some(NfsSource {
                        server: text("server"),
                        path: text("path"),
                        read_only: flag("read-only"),
                    })
                }
            }
            Some(v)
        })
        .collect()
}

fn volume_mounts(list: &[Typed]) -> Vec<VolumeMount> {
    list.iter()
        .filter_map(|t| match &t.value {
            TVal::Record(r) => Some(VolumeMount {
                name: r.str("volume").unwrap_or_default().to_string(),
                mount_path: r.str("path").unwrap_or_default().to_string(),
                sub_path: r.str("sub-path").map(str::to_string),
                read_only: r.bool("read-only") == Some(true),
            }),
            _ => None,
        })
        .collect()
}

/// Adds the component's `sidecars` and `init-containers` to its main pod.
pub fn extra_containers(ctx: &Ctx, c: &Component, spec: &mut PodSpec) {
    let sec = c.fields.record("security").expect("security has a default");
    let build = |t: &Typed, init: bool| -> Option<Container> {
        let TVal::Record(r) = &t.value else {
            return None;
        };
        let mut env = Vec::new();
        for (k, v) in r.map("env").into_iter().flatten() {
            env.push(env_from_typed(k, v));
        }
        let mut mounts = vec![scratch_mount("/tmp", "tmp")];
        mounts.extend(volume_mounts(r.list("volume-mounts")));
        let image = r.get("image").expect("image is required");
        Some(Container {
            name: r.str("name").unwrap_or_default().to_string(),
            image: tracked(r.str("image").unwrap_or_default().to_string(), image),
            image_pull_policy: pull_policy_of(r),
            command: r.strings("command").into_iter().map(String::from).collect(),
            args: r.strings("args").into_iter().map(String::from).collect(),
            working_dir: None,
            ports: r
                .list("ports")
                .iter()
                .filter_map(|p| match &p.value {
                    TVal::Record(p) => Some(ContainerPort {
                        name: p.str("name").unwrap_or_default().to_string(),
                        container_port: p.int("port").unwrap_or_default(),
                        host_port: p.get("host-port").and_then(|t| match t.value {
                            TVal::Int(i) => Some(tracked(i, t)),
                            _ => None,
                        }),
                        protocol: protocol_of(p),
                    }),
                    _ => None,
                })
                .collect(),
            env,
            env_from: env_from(r.list("env-from")),
            resources: resources(r.get("resources").expect("resources have a default")),
            security_context: container_security(ctx, sec, r.record("security")),
            startup_probe: r.get("startup-probe").and_then(user_probe),
            liveness_probe: r.get("liveness-probe").and_then(user_probe),
            readiness_probe: r.get("readiness-probe").and_then(user_probe),
            lifecycle: None,
            volume_mounts: mounts,
            restart_policy: (init && r.bool("sidecar") == Some(true)).then_some("Always"),
            prov: Some(t.prov.clone()),
        })
    };
    spec.containers.extend(
        c.fields
            .list("sidecars")
            .iter()
            .filter_map(|t| build(t, false)),
    );
    spec.init_containers.extend(
        c.fields
            .list("init-containers")
            .iter()
            .filter_map(|t| build(t, true)),
    );
}

fn user_probe(t: &Typed) -> Option<Probe> {
    let TVal::Record(r) = &t.value else {
        return None;
    };
    let port = IntOrString::Int(r.int("port").unwrap_or_default());
    let host = r.get("host").and_then(|t| match &t.value {
        TVal::Str(s) => Some(tracked(s.clone(), t)),
        _ => None,
    });
    let seconds = |f: &str| crate::check::units::seconds(r.duration_ms(f).unwrap_or(0)) as i64;
    let command: Vec<String> = r.strings("command").into_iter().map(String::from).collect();
    let (mut http_get, mut tcp_socket, mut exec) = (None, None, None);
    if let Some(path) = r.str("path") {
        http_get = Some(HttpGet {
            path: path.to_string(),
            port,
            host,
        });
    } else if !command.is_empty() {
        exec = Some(ExecAction { command });
    } else {
        tcp_socket = Some(TcpSocket { port, host });
    }
    Some(Probe {
        http_get,
        tcp_socket,
        exec,
        initial_delay_seconds: seconds("initial-delay"),
        period_seconds: seconds("period"),
        timeout_seconds: seconds("timeout"),
        failure_threshold: r.int("failure-threshold").unwrap_or(3),
        success_threshold: r.int("success-threshold").unwrap_or(1),
    })
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
) -> Option<Object> {
    // An existing account named by `service-account` is not ours to emit.
    if c.fields.get("service-account").is_some() {
        return None;
    }
    // Pods mount the token explicitly where they need it (see `pod_spec`).
    let automount = automount_field(c).unwrap_or(Tracked {
        value: false,
        prov: automount.prov,
    });
    let mut m = meta(ctx, &service_account_name(c), &ctx.namespace, labels);
    for (k, v) in string_map(c, "service-account-annotations") {
        m.annotations.insert(k, v);
    }
    Some(Object {
        resource: Resource::ServiceAccount(ServiceAccount {
            api_version: "v1",
            kind: "ServiceAccount",
            metadata: m,
            automount_service_account_token: automount,
        }),
        origin: c.header,
    })
}

pub fn deployment(
    ctx: &Ctx,
    c: &Component,
    name: &str,
    labels: &Labels,
    replicas: Option<Tracked<i64>>,
    recreate: bool,
    mut pod: PodSpec,
) -> Object {
    spread(
        c,
        &mut pod,
        &selector(
            &labels["app.kubernetes.io/name"],
            &labels["app.kubernetes.io/instance"],
            &labels["app.kubernetes.io/component"],
        ),
    );
    let sel = LabelSelector {
        match_labels: selector_of(labels),
    };
    Object {
        resource: Resource::Deployment(Deployment {
            api_version: "apps/v1",
            kind: "Deployment",
            metadata: meta(ctx, name, &ctx.namespace, labels),
            spec: DeploymentSpec {
                replicas,
                revision_history_limit: c.fields.int("revision-history").unwrap_or(10),
                selector: sel,
                strategy: strategy(c, recreate),
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
    rbac_objects(ctx, c, meta(ctx, &c.name, namespace, labels), false, rules)
}

/// A Role (or, when `cluster`, a ClusterRole) named by `m` with `rules`,
/// and a binding of the same name to the component's ServiceAccount.
fn rbac_objects(
    ctx: &Ctx,
    c: &Component,
    m: ObjectMeta,
    cluster: bool,
    rules: Vec<PolicyRule>,
) -> [Object; 2] {
    let (role_kind, binding_kind) = if cluster {
        ("ClusterRole", "ClusterRoleBinding")
    } else {
        ("Role", "RoleBinding")
    };
    let role = Role {
        api_version: "rbac.authorization.k8s.io/v1",
        kind: role_kind,
        metadata: m.clone(),
        rules,
    };
    let binding = RoleBinding {
        api_version: "rbac.authorization.k8s.io/v1",
        kind: binding_kind,
        role_ref: RoleRef {
            api_group: "rbac.authorization.k8s.io",
            kind: role_kind,
            name: m.name.clone(),
        },
        metadata: m,
        subjects: vec![Subject {
            kind: "ServiceAccount",
            name: service_account_name(c),
            namespace: ctx.namespace.clone(),
        }],
    };
    let (role, binding) = if cluster {
        (
            Resource::ClusterRole(role),
            Resource::ClusterRoleBinding(binding),
        )
    } else {
        (Resource::Role(role), Resource::RoleBinding(binding))
    };
    [
        Object {
            resource: role,
            origin: c.header,
        },
        Object {
            resource: binding,
            origin: c.header,
        },
    ]
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
                if propagate {
                    auth.extend(auth_propagation(cred));
                }
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
                if propagate {
                    auth.extend(auth_propagation(a));
                }
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

/// Flow-run pods of a kubernetes worker read the basic-auth string from the
/// same Secret as the worker: the worker writes the reference into their env.
fn auth_propagation(auth: &Typed) -> Vec<EnvVar> {
    let TVal::Secret { name, key } = &auth.value else {
        return Vec::new();
    };
    vec![
        env(
            "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_API_AUTH_STRING_SECRET_NAME",
            name.clone(),
        ),
        env(
            "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_API_AUTH_STRING_SECRET_KEY",
            key.clone().unwrap_or_default(),
        ),
    ]
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

/// The site's image pull Secrets, for a pod spec.
pub fn pull_secrets(ctx: &Ctx) -> Vec<LocalObjectReference> {
    ctx.pull_secrets
        .iter()
        .map(|n| LocalObjectReference { name: n.clone() })
        .collect()
}

/// Whole seconds of a duration, rounded up, for the integer fields of the API.
pub fn whole_seconds(ms: u64) -> i64 {
    i64::try_from(crate::check::units::seconds(ms)).unwrap_or(i64::MAX)
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
        env_from: Vec::new(),
        resources: resources(
            resources_of
                .get("resources")
                .expect("resources have a default"),
        ),
        security_context: container_security(ctx, sec, None),
        startup_probe: None,
        liveness_probe: None,
        readiness_probe: None,
        lifecycle: None,
        volume_mounts: vec![scratch_mount(HOME, "home"), scratch_mount("/tmp", "tmp")],
        restart_policy: None,
        prov: None,
    }
}

/// A probe for a Prefect process that serves no health endpoint (Prefect 2
/// agents, background services): it passes while a process whose command
/// line contains `word` runs. The bracket keeps the probe's own shell from
/// matching itself.
pub fn process_probe(word: &str) -> Probe {
    let mut chars = word.chars();
    let first = chars.next().unwrap_or('x');
    let rest: String = chars.collect();
    Probe {
        exec: Some(ExecAction {
            command: vec![
                "/bin/sh".into(),
                "-c".into(),
                format!("grep -qs '[{first}]{rest}' /proc/[0-9]*/cmdline"),
            ],
        }),
        period_seconds: 30,
        ..Probe::every_10s(10)
    }
}

/// An HTTP probe of a named container port.
pub fn http_probe(path: &str, port: &str, initial: i64) -> Probe {
    Probe {
        http_get: Some(HttpGet {
            path: path.into(),
            port: IntOrString::Str(port.into()),
            host: None,
        }),
        ..Probe::every_10s(initial)
    }
}

/// The name of the component's main port: `service.port-name`, else `http`.
pub fn port_name(c: &Component) -> String {
    c.fields
        .record("service")
        .and_then(|s| s.str("port-name"))
        .unwrap_or("http")
        .to_string()
}

fn protocol_of(r: &Rec) -> &'static str {
    match r.enum_("protocol") {
        Some("udp") => "UDP",
        Some("sctp") => "SCTP",
        _ => "TCP",
    }
}

/// The component's Service: one port named [`port_name`] selecting its pods,
/// shaped by its `service` block when it has one.
pub fn service(ctx: &Ctx, c: &Component, labels: &Labels, port: i64) -> Object {
    let options = c.fields.record("service");
    let opt = |name: &str| options.and_then(|o| o.str(name)).map(str::to_string);
    let node_port = |r: &Rec| r.int("node-port");
    let name = port_name(c);
    let mut ports = vec![ServicePort {
        name: name.clone(),
        port,
        target_port: IntOrString::Str(name),
        protocol: "TCP",
        app_protocol: opt("app-protocol"),
        node_port: options.and_then(node_port),
    }];
    for t in options.map(|o| o.list("extra-ports")).unwrap_or_default() {
        let TVal::Record(p) = &t.value else { continue };
        let number = p.int("port").unwrap_or_default();
        ports.push(ServicePort {
            name: p.str("name").unwrap_or_default().to_string(),
            port: number,
            target_port: IntOrString::Int(p.int("target-port").unwrap_or(number)),
            protocol: protocol_of(p),
            app_protocol: p.str("app-protocol").map(str::to_string),
            node_port: node_port(p),
        });
    }
    let mut metadata = meta(ctx, &c.name, &ctx.namespace, labels);
    if let Some(o) = options {
        for (k, v) in o.map("annotations").into_iter().flatten() {
            if let TVal::Str(v) = &v.value {
                metadata.annotations.insert(k.clone(), v.clone());
            }
        }
    }
    let enum_of = |name: &str| options.and_then(|o| o.enum_(name));
    Object {
        resource: Resource::Service(Service {
            api_version: "v1",
            kind: "Service",
            metadata,
            spec: ServiceSpec {
                type_: match enum_of("type") {
                    Some("node-port") => "NodePort",
                    Some("load-balancer") => "LoadBalancer",
                    _ => "ClusterIP",
                },
                cluster_ip: opt("cluster-ip"),
                external_traffic_policy: enum_of("external-traffic-policy").map(|p| match p {
                    "local" => "Local",
                    _ => "Cluster",
                }),
                ip_family_policy: enum_of("ip-family-policy").map(|p| match p {
                    "prefer-dual-stack" => "PreferDualStack",
                    "require-dual-stack" => "RequireDualStack",
                    _ => "SingleStack",
                }),
                ip_families: options
                    .map(|o| o.list("ip-families"))
                    .unwrap_or_default()
                    .iter()
                    .map(|t| match &t.value {
                        TVal::Enum(v) if v == "ipv6" => "IPv6",
                        _ => "IPv4",
                    })
                    .collect(),
                publish_not_ready_addresses: None,
                selector: selector_of(labels),
                ports,
            },
        }),
        origin: c.header,
    }
}

/// The name of a component's cluster-scoped RBAC objects: cluster-wide
/// names must not clash between sites, so the namespace comes first.
pub fn cluster_name(ctx: &Ctx, c: &Component) -> String {
    format!("{}-{}", ctx.namespace, c.name)
}

/// A ClusterRole with `rules` and its binding to the component's
/// ServiceAccount.
pub fn cluster_role_and_binding(
    ctx: &Ctx,
    c: &Component,
    labels: &Labels,
    rules: Vec<PolicyRule>,
) -> [Object; 2] {
    let mut m = meta(ctx, &cluster_name(ctx, c), "", labels);
    m.namespace = None;
    rbac_objects(ctx, c, m, true, rules)
}

/// Without `cluster-uid`, Prefect identifies the cluster by the UID of the
/// `kube-system` namespace: reading that one namespace is all it needs.
pub fn cluster_uid_rule(c: &Component) -> Option<PolicyRule> {
    if c.fields.get("cluster-uid").is_some() {
        return None;
    }
    Some(PolicyRule {
        resource_names: vec!["kube-system".into()],
        ..rule(&[""], &["namespaces"], &["get"])
    })
}

/// An autoscaling/v2 HorizontalPodAutoscaler of the component's Deployment:
/// utilisation targets in the `target` block autoscaling/v2 requires, CPU
/// at 80 % when no target is given.
pub fn autoscaler(ctx: &Ctx, c: &Component, labels: &Labels, a: &Rec) -> Object {
    let metric = |name, average_utilization| MetricSpec {
        type_: "Resource",
        resource: ResourceMetric {
            name,
            target: MetricTarget {
                type_: "Utilization",
                average_utilization,
            },
        },
    };
    let mut metrics = Vec::new();
    for name in ["cpu", "memory"] {
        if let Some(TVal::Percent(p)) = a.get(name).map(|t| &t.value) {
            metrics.push(metric(name, *p));
        }
    }
    if metrics.is_empty() {
        metrics.push(metric("cpu", 80));
    }
    Object {
        resource: Resource::HorizontalPodAutoscaler(HorizontalPodAutoscaler {
            api_version: "autoscaling/v2",
            kind: "HorizontalPodAutoscaler",
            metadata: meta(ctx, &c.name, &ctx.namespace, labels),
            spec: HpaSpec {
                scale_target_ref: ScaleTargetRef {
                    api_version: "apps/v1",
                    kind: "Deployment",
                    name: c.name.clone(),
                },
                min_replicas: a.int("min").unwrap_or(1),
                max_replicas: a.int("max").unwrap_or(1),
                metrics,
            },
        }),
        origin: c.header,
    }
}

/// A PodDisruptionBudget over the component's pods; one pod at a time when
/// neither bound is given.
pub fn disruption_budget(ctx: &Ctx, c: &Component, labels: &Labels, d: &Rec) -> Object {
    let max = d.int("max-unavailable");
    let min = d.int("min-available");
    Object {
        resource: Resource::PodDisruptionBudget(PodDisruptionBudget {
            api_version: "policy/v1",
            kind: "PodDisruptionBudget",
            metadata: meta(ctx, &c.name, &ctx.namespace, labels),
            spec: PdbSpec {
                max_unavailable: if max.is_none() && min.is_none() {
                    Some(1)
                } else {
                    max
                },
                min_available: min,
                selector: LabelSelector {
                    match_labels: selector_of(labels),
                },
            },
        }),
        origin: c.header,
    }
}

/// The Deployment's `replicas`: none under autoscaling (the HPA owns it).
pub fn replicas(c: &Component) -> Option<Tracked<i64>> {
    if c.fields.get("autoscaling").is_some() {
        return None;
    }
    c.fields
        .get("replicas")
        .map(|t| tracked(c.fields.int("replicas").unwrap_or(1), t))
}
