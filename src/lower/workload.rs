//! One builder for every kind's pods: the pod spec with its scheduling and
//! volumes, the main container's overrides, the user's extra containers,
//! and the Deployment, Service, HorizontalPodAutoscaler and
//! PodDisruptionBudget around them.

use serde_json::json;

use super::env::{HOME, env_from, env_value, whole_seconds};
use super::k8s::*;
use super::meta::{meta, owned, owned_words, pull_policy, selector_of, strings, tracked, words};
pub use super::owner::Owner;
use super::rbac::{automount_field, service_account_name};
use super::security::{container_security, host_sharing, pod_security};
use super::{Ctx, Lowered};
use crate::model::Located;
use crate::model::schema::{
    Affinity, Autoscaling, Container as UserContainer, Disruption, IntOrPercent, IpFamily,
    IpFamilyPolicy, NodeExpression, Probe as UserProbe, ProbeTiming, Protocol, Resources,
    SelectorOperator, ServiceOptions, ServiceType, TaintEffect, TolerationOperator, TrafficPolicy,
    UnhealthyPodEvictionPolicy, Unsatisfiable, UpdateStrategy, Volume as UserVolume,
    VolumeMount as UserMount,
};
use crate::model::workload::Workload;

/// `/usr/bin/tini -g -- /opt/prefect/entrypoint.sh`: the Prefect image's entrypoint.
pub fn tini() -> Vec<Word> {
    words(&["/usr/bin/tini", "-g", "--", "/opt/prefect/entrypoint.sh"])
}

pub fn resources(r: &Located<Resources>) -> std::sync::Arc<ResourceRequirements> {
    let list = |l: &crate::model::schema::ResourceList| {
        // Room for the three named resources; extended ones are rare.
        let mut m = crate::map::IndexMap::with_capacity_and_hasher(3, Default::default());
        for (key, q) in [
            ("cpu", &l.cpu),
            ("memory", &l.memory),
            ("ephemeral-storage", &l.ephemeral_storage),
        ] {
            if let Some(q) = q {
                m.insert(key.into(), tracked(q.text.clone(), q));
            }
        }
        for (name, n) in l.extended.iter() {
            m.insert(name.clone().into(), tracked(n.value.to_string(), n));
        }
        m
    };
    std::sync::Arc::new(ResourceRequirements {
        requests: list(&r.requests),
        limits: list(&r.limits),
        prov: Some(r.prov.clone()),
    })
}

/// The writable scratch volume: /home/prefect and /tmp (and more) under a
/// read-only root filesystem.
pub fn scratch_volume() -> Volume {
    Volume {
        name: "scratch".into(),
        empty_dir: Some(Box::new(EmptyDir::default())),
        ..Volume::default()
    }
}

pub fn scratch_mount(path: impl Into<Word>, sub: &'static str) -> VolumeMount {
    VolumeMount {
        name: "scratch".into(),
        mount_path: path.into(),
        sub_path: Some(sub.into()),
        read_only: false,
    }
}

pub fn tolerations(pod: &Workload) -> Vec<Toleration> {
    tolerations_of(pod.tolerations)
}

pub fn tolerations_of(list: &[Located<crate::model::schema::Toleration>]) -> Vec<Toleration> {
    list.iter()
        .map(|t| Toleration {
            key: t.key.as_ref().map(|k| k.value.clone()),
            operator: match *t.operator {
                TolerationOperator::Exists => "Exists",
                TolerationOperator::Equal => "Equal",
            },
            // `t.value` is the Located's: the toleration's own `value` is one deeper.
            value: t.value.value.as_ref().map(|v| v.value.clone()),
            effect: t.effect.as_ref().map(|e| match e.value {
                TaintEffect::NoSchedule => "NoSchedule",
                TaintEffect::PreferNoSchedule => "PreferNoSchedule",
                TaintEffect::NoExecute => "NoExecute",
            }),
            toleration_seconds: t.toleration.as_ref().map(|d| d.value.whole_seconds()),
        })
        .collect()
}

/// Where the kubelet mounts a ServiceAccount token.
const TOKEN_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The volume the kubelet would mount for an automounted token, written
/// out: a short-lived bound token, the cluster CA and the namespace.
fn api_access_volume() -> Volume {
    // The same for every pod: made once and shared (a JSON tree of a dozen
    // maps, 4 KB, was held by each worker's Deployment).
    static PROJECTED: std::sync::OnceLock<std::sync::Arc<serde_json::Value>> =
        std::sync::OnceLock::new();
    let projected = PROJECTED.get_or_init(|| {
        std::sync::Arc::new(json!({
            "defaultMode": 0o444,
            "sources": [
                {"serviceAccountToken": {"path": "token", "expirationSeconds": 3607}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
            ],
        }))
    });
    Volume {
        name: "kube-api-access".into(),
        projected: Some(std::sync::Arc::clone(projected)),
        ..Volume::default()
    }
}

/// A pod spec with the site's pull secrets and the component's scheduling.
/// `api_access` says whether the main container calls the Kubernetes API:
/// then its token is mounted explicitly into that container only, and
/// automounting stays off for every pod.
pub fn pod_spec(
    ctx: &Ctx,
    owner: &Owner,
    api_access: Tracked<bool>,
    containers: Vec<Container>,
) -> PodSpec {
    let pod = &owner.pod;
    let mut containers = containers;
    for container in &mut containers {
        container
            .volume_mounts
            .extend(volume_mounts(pod.volume_mounts));
    }
    if let Some(main) = containers.first_mut() {
        main.env_from = env_from(pod.env_from);
    }
    let automount = automount_field(owner);
    let token = api_access.value && automount.is_none();
    // Room for exactly these: a `Volume` is 288 bytes, and one pushed past
    // the capacity doubles it.
    let mut volumes = Vec::with_capacity(1 + usize::from(token) + pod.volumes.len());
    volumes.push(scratch_volume());
    if token {
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
    volumes.extend(user_volumes(pod));
    let automount = automount.unwrap_or(Tracked {
        value: false,
        prov: api_access.prov,
    });
    let [host_network, host_pid, host_ipc] = host_sharing(pod.security);
    PodSpec {
        service_account_name: service_account_name(owner),
        automount_service_account_token: automount,
        host_network,
        host_pid,
        host_ipc,
        restart_policy: None,
        dns_policy: None,
        dns_config: None,
        security_context: pod_security(ctx, pod.security),
        image_pull_secrets: pull_secrets(ctx),
        node_selector: strings(pod.node_selector),
        tolerations: tolerations(pod),
        scheduling: Scheduling {
            priority_class_name: pod.priority_class.map(|p| p.value.clone()),
            termination_grace_period_seconds: pod
                .termination_grace_period
                .map(|d| whole_seconds(d.value)),
            affinity: pod.affinity.and_then(|a| node_affinity(a)),
            topology_spread_constraints: Vec::new(),
        },
        init_containers: Vec::new(),
        containers,
        volumes,
    }
}

/// The site's image pull Secrets, for a pod spec.
pub fn pull_secrets(ctx: &Ctx) -> Vec<LocalObjectReference> {
    ctx.pull_secrets
        .iter()
        .map(|n| LocalObjectReference { name: n.clone() })
        .collect()
}

/// `command`, `args`, `extra-args` and `lifecycle` of the component's main
/// container (not of the helper pods it spawns, such as migrations).
pub fn override_main(pod: &Workload, main: &mut Container) {
    if let Some(command) = pod.command {
        main.command = owned_words(command);
    }
    if let Some(args) = pod.args {
        main.args = owned_words(args);
    }
    main.args.extend(owned_words(pod.extra_args));
    if let Some(l) = pod.lifecycle {
        let exec = |command: &[Located<String>]| {
            (!command.is_empty()).then(|| json!({"exec": {"command": owned(command)}}))
        };
        let mut hooks = serde_json::Map::new();
        if let Some(h) = exec(&l.post_start) {
            hooks.insert("postStart".into(), h);
        }
        // A sleep needs no shell in the image.
        if let Some(d) = &l.pre_stop_sleep {
            hooks.insert(
                "preStop".into(),
                json!({"sleep": {"seconds": whole_seconds(d.value)}}),
            );
        } else if let Some(h) = exec(&l.pre_stop) {
            hooks.insert("preStop".into(), h);
        }
        if !hooks.is_empty() {
            main.lifecycle = Some(serde_json::Value::Object(hooks));
        }
    }
}

fn node_term(expressions: &[Located<NodeExpression>]) -> serde_json::Value {
    let expressions: Vec<serde_json::Value> = expressions
        .iter()
        .map(|e| {
            let operator = match *e.operator {
                SelectorOperator::In => "In",
                SelectorOperator::NotIn => "NotIn",
                SelectorOperator::Exists => "Exists",
                SelectorOperator::DoesNotExist => "DoesNotExist",
                SelectorOperator::Gt => "Gt",
                SelectorOperator::Lt => "Lt",
            };
            let mut x = json!({"key": e.key.value, "operator": operator});
            if !e.values.is_empty() {
                x["values"] = json!(owned(&e.values));
            }
            x
        })
        .collect();
    json!({"matchExpressions": expressions})
}

/// The node part of `affinity`; the pod part needs the pods' labels and is
/// added by [`deployment`].
pub fn node_affinity(a: &Affinity) -> Option<serde_json::Value> {
    let required: Vec<serde_json::Value> = a
        .required_nodes
        .iter()
        .map(|t| node_term(&t.match_))
        .collect();
    let preferred: Vec<serde_json::Value> = a
        .preferred_nodes
        .iter()
        .map(|t| json!({"weight": *t.weight, "preference": node_term(&t.match_)}))
        .collect();
    let mut node = serde_json::Map::new();
    if !required.is_empty() {
        node.insert(
            "requiredDuringSchedulingIgnoredDuringExecution".into(),
            json!({"nodeSelectorTerms": required}),
        );
    }
    if !preferred.is_empty() {
        node.insert(
            "preferredDuringSchedulingIgnoredDuringExecution".into(),
            json!(preferred),
        );
    }
    (!node.is_empty()).then(|| json!({"nodeAffinity": node}))
}

/// `affinity.spread` and `topology-spread`, over the pods `selector` picks.
fn spread(pod: &Workload, spec: &mut PodSpec, selector: &Labels) {
    anti_affinity(pod, spec, selector);
    if pod.topology_spread.is_empty() {
        // Most pods have no constraint: the selector is not made as JSON.
        return;
    }
    let label_selector = json!({"matchLabels": selector});
    for t in pod.topology_spread.iter() {
        spec.scheduling.topology_spread_constraints.push(json!({
            "maxSkew": *t.max_skew,
            "topologyKey": t.topology_key.value,
            "whenUnsatisfiable": match *t.when_unsatisfiable {
                Unsatisfiable::DoNotSchedule => "DoNotSchedule",
                Unsatisfiable::ScheduleAnyway => "ScheduleAnyway",
            },
            "labelSelector": label_selector,
        }));
    }
}

/// `affinity.spread`: pod anti-affinity over the pods `selector` picks.
pub fn anti_affinity(pod: &Workload, spec: &mut PodSpec, selector: &Labels) {
    if let Some(p) = pod.affinity.and_then(|a| a.spread.as_ref()) {
        let label_selector = json!({"matchLabels": selector});
        let term = json!({"labelSelector": label_selector, "topologyKey": p.topology_key.value});
        let anti = if *p.required {
            json!({"requiredDuringSchedulingIgnoredDuringExecution": [term]})
        } else {
            json!({"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": *p.weight, "podAffinityTerm": term}
            ]})
        };
        let affinity = spec.scheduling.affinity.get_or_insert_with(|| json!({}));
        affinity["podAntiAffinity"] = anti;
    }
}

fn int_or_percent(v: &IntOrPercent) -> serde_json::Value {
    match v {
        IntOrPercent::Int(i) => json!(i),
        IntOrPercent::Percent(p) => json!(format!("{p}%")),
    }
}

/// The Deployment strategy: `Recreate` when forced (SQLite) or asked for.
fn strategy(pod: &Workload, recreate: bool) -> Strategy {
    let recreating = Strategy {
        type_: "Recreate",
        rolling_update: None,
    };
    match pod.update_strategy.map(|s| &s.value) {
        _ if recreate => recreating,
        Some(UpdateStrategy::Recreate(_)) => recreating,
        Some(UpdateStrategy::Rolling(r)) => Strategy {
            type_: "RollingUpdate",
            rolling_update: Some(json!({
                "maxSurge": int_or_percent(&r.max_surge),
                "maxUnavailable": int_or_percent(&r.max_unavailable),
            })),
        },
        None => Strategy {
            type_: "RollingUpdate",
            rolling_update: None,
        },
    }
}

/// The component's `volumes`, after the compiler's own.
fn user_volumes(pod: &Workload) -> Vec<Volume> {
    user_volumes_of(pod.volumes)
}

pub fn user_volumes_of(volumes: &crate::map::IndexMap<String, Located<UserVolume>>) -> Vec<Volume> {
    volumes
        .iter()
        .map(|(name, t)| {
            let mut v = Volume {
                name: name.clone(),
                prov: Some(t.prov.clone()),
                ..Volume::default()
            };
            match &t.value {
                UserVolume::EmptyDir(e) => {
                    v.empty_dir = Some(Box::new(EmptyDir {
                        medium: e.memory.value.then_some("Memory"),
                        size_limit: e.size_limit.as_ref().map(|q| q.text.clone()),
                    }))
                }
                UserVolume::ConfigMap(c) => {
                    v.config_map = Some(Box::new(ConfigMapSource {
                        name: c.name.value.clone(),
                        optional: *c.optional,
                    }))
                }
                UserVolume::Secret(s) => {
                    v.secret = Some(Box::new(SecretSource {
                        secret_name: s.name.value.clone(),
                        optional: *s.optional,
                    }))
                }
                UserVolume::Pvc(p) => {
                    v.persistent_volume_claim = Some(Box::new(PvcSource {
                        claim_name: p.claim.value.clone(),
                        read_only: *p.read_only,
                    }))
                }
                UserVolume::HostPath(h) => {
                    v.host_path = Some(Box::new(HostPathSource {
                        path: h.path.value.clone(),
                    }))
                }
                UserVolume::Nfs(n) => {
                    v.nfs = Some(Box::new(NfsSource {
                        server: n.server.value.clone(),
                        path: n.path.value.clone(),
                        read_only: *n.read_only,
                    }))
                }
            }
            v
        })
        .collect()
}

pub fn volume_mounts(list: &[Located<UserMount>]) -> Vec<VolumeMount> {
    list.iter()
        .map(|m| VolumeMount {
            name: m.volume.value.clone().into(),
            mount_path: m.path.value.clone().into(),
            sub_path: m.sub_path.as_ref().map(|s| s.value.clone().into()),
            read_only: *m.read_only,
        })
        .collect()
}

pub fn protocol(p: Protocol) -> &'static str {
    match p {
        Protocol::Tcp => "TCP",
        Protocol::Udp => "UDP",
        Protocol::Sctp => "SCTP",
    }
}

/// One of the user's `sidecars` or `init-containers`.
fn user_container(ctx: &Ctx, pod: &Workload, t: &Located<UserContainer>, init: bool) -> Container {
    let mut mounts = vec![scratch_mount("/tmp", "tmp")];
    mounts.extend(volume_mounts(&t.volume_mounts));
    Container {
        name: t.name.value.clone(),
        image: tracked(t.image.value.clone(), &t.image),
        image_pull_policy: pull_policy(&t.image_pull_policy),
        command: owned_words(&t.command),
        args: owned_words(&t.args),
        working_dir: None,
        ports: t
            .ports
            .iter()
            .map(|p| ContainerPort {
                name: p.name.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
                container_port: *p.port,
                host_port: p.host_port.as_ref().map(|h| tracked(h.value, h)),
                protocol: protocol(*p.protocol),
            })
            .collect(),
        env: t.env.iter().map(|(k, v)| env_value(k.clone(), v)).collect(),
        env_from: env_from(&t.env_from),
        resources: resources(&t.resources),
        security_context: container_security(ctx, pod.security, Some(&t.security)).into(),
        startup_probe: t.startup_probe.as_deref().map(user_probe).map(Box::new),
        liveness_probe: t.liveness_probe.as_deref().map(user_probe).map(Box::new),
        readiness_probe: t.readiness_probe.as_deref().map(user_probe).map(Box::new),
        lifecycle: None,
        volume_mounts: mounts,
        restart_policy: (init && *t.sidecar).then_some("Always"),
        prov: Some(t.prov.clone()),
    }
}

/// Adds the component's `sidecars` and `init-containers` to its main pod.
pub fn extra_containers(ctx: &Ctx, pod: &Workload, spec: &mut PodSpec) {
    // Exactly: a vector of containers grown from empty takes room for four.
    spec.containers.reserve_exact(pod.sidecars.len());
    spec.init_containers
        .reserve_exact(pod.init_containers.len());
    spec.containers.extend(
        pod.sidecars
            .iter()
            .map(|t| user_container(ctx, pod, t, false)),
    );
    spec.init_containers.extend(
        pod.init_containers
            .iter()
            .map(|t| user_container(ctx, pod, t, true)),
    );
}

fn user_probe(p: &Located<UserProbe>) -> Probe {
    let port = IntOrString::Int(p.port.as_ref().map_or(0, |p| p.value));
    let host = p.host.as_ref().map(|h| tracked(h.value.clone(), h));
    let command = owned(&p.command);
    let (mut http_get, mut tcp_socket, mut exec) = (None, None, None);
    if let Some(path) = &p.path {
        http_get = Some(HttpGet {
            path: path.value.clone(),
            port,
            host,
        });
    } else if !command.is_empty() {
        exec = Some(ExecAction { command });
    } else {
        tcp_socket = Some(TcpSocket { port, host });
    }
    Probe {
        http_get,
        tcp_socket,
        exec,
        initial_delay_seconds: whole_seconds(*p.initial_delay),
        period_seconds: whole_seconds(*p.period),
        timeout_seconds: whole_seconds(*p.timeout),
        failure_threshold: *p.failure_threshold,
        success_threshold: *p.success_threshold,
    }
}

/// The pods' labels: the component's, with `pod-labels` over the site's
/// (`check` refuses the labels prefectc sets in `pod-labels`).
pub fn pod_meta(pod: &Workload, labels: &Labels) -> PodMeta {
    let mut l = labels.clone();
    l.extend(strings(pod.pod_labels));
    PodMeta {
        labels: l,
        annotations: strings(pod.pod_annotations),
    }
}

/// A Deployment of `spec`'s pods; `recreate` forces the `Recreate` strategy.
pub fn deployment(
    ctx: &Ctx,
    owner: &Owner,
    labels: &Labels,
    replicas: Option<Tracked<i64>>,
    recreate: bool,
    mut spec: PodSpec,
) -> Object {
    let pod = &owner.pod;
    spread(pod, &mut spec, &selector_of(ctx, labels));
    Object {
        resource: std::sync::Arc::new(Resource::Deployment(Box::new(Deployment {
            api_version: "apps/v1",
            kind: "Deployment",
            metadata: meta(ctx, &owner.name, &ctx.namespace, labels),
            spec: DeploymentSpec {
                replicas,
                revision_history_limit: pod.revision_history.value,
                selector: LabelSelector {
                    match_labels: selector_of(ctx, labels),
                },
                strategy: strategy(pod, recreate),
                template: PodTemplate {
                    metadata: pod_meta(pod, labels),
                    spec,
                },
            },
        }))),
        origin: owner.header,
    }
}

/// The Deployment's `replicas`: none under autoscaling (the HPA owns it).
pub fn replicas(pod: &Workload) -> Option<Tracked<i64>> {
    if pod.autoscaling.is_some() {
        return None;
    }
    Some(tracked(pod.replicas.value, pod.replicas))
}

/// A container running a `prefect` command through the image's entrypoint,
/// hardened, with the scratch mounts; no ports and no probes.
pub fn prefect_container(
    ctx: &Ctx,
    pod: &Workload,
    name: &str,
    image: Tracked<String>,
    args: Vec<Word>,
    env: Vec<EnvVar>,
    resources_of: &Located<Resources>,
) -> Container {
    Container {
        name: name.into(),
        image,
        image_pull_policy: pull_policy(pod.image_pull_policy),
        command: tini(),
        args,
        working_dir: Some(HOME.into()),
        ports: Vec::new(),
        env,
        env_from: Vec::new(),
        resources: resources(resources_of),
        security_context: container_security(ctx, pod.security, None).into(),
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

/// An HTTP probe of a Prefect process timed by `t`, at its `path` or else
/// at `default_path`; `None` when it is switched off.
pub fn timed_probe(t: &ProbeTiming, default_path: &str, port: IntOrString) -> Option<Box<Probe>> {
    if !*t.enabled {
        return None;
    }
    Some(Box::new(Probe {
        http_get: Some(HttpGet {
            path: t
                .path
                .as_ref()
                .map_or_else(|| default_path.to_string(), |p| p.value.clone()),
            port,
            host: None,
        }),
        initial_delay_seconds: whole_seconds(*t.initial_delay),
        period_seconds: whole_seconds(*t.period),
        timeout_seconds: whole_seconds(*t.timeout),
        failure_threshold: *t.failure_threshold,
        // Only readiness probes may set it (checked: E0305 for the others).
        success_threshold: *t.success_threshold,
        ..Probe::every_10s(0)
    }))
}

/// The component's Service: one port named `service.port-name` selecting
/// its pods, shaped by its `service` block.
pub fn service(
    ctx: &Ctx,
    owner: &Owner,
    options: &ServiceOptions,
    labels: &Labels,
    port: i64,
) -> Object {
    let name = options.port_name.value.clone();
    let text = |t: &Option<Located<String>>| t.as_ref().map(|s| s.value.clone());
    let mut ports = vec![ServicePort {
        name: name.clone(),
        port,
        target_port: IntOrString::Str(name),
        protocol: "TCP",
        app_protocol: text(&options.app_protocol),
        node_port: options.node_port.as_ref().map(|n| n.value),
    }];
    for p in options.extra_ports.iter() {
        ports.push(ServicePort {
            name: p.name.value.clone(),
            port: *p.port,
            target_port: IntOrString::Int(p.target_port.as_ref().map_or(*p.port, |t| t.value)),
            protocol: protocol(*p.protocol),
            app_protocol: text(&p.app_protocol),
            node_port: p.node_port.as_ref().map(|n| n.value),
        });
    }
    let mut metadata = meta(ctx, &owner.name, &ctx.namespace, labels);
    metadata.annotations.extend(strings(&options.annotations));
    Object {
        resource: std::sync::Arc::new(Resource::Service(Box::new(Service {
            api_version: "v1",
            kind: "Service",
            metadata,
            spec: ServiceSpec {
                type_: match *options.type_ {
                    ServiceType::NodePort => "NodePort",
                    ServiceType::LoadBalancer => "LoadBalancer",
                    ServiceType::ClusterIp => "ClusterIP",
                },
                cluster_ip: text(&options.cluster_ip),
                external_traffic_policy: options.external_traffic_policy.as_ref().map(|p| match p
                    .value
                {
                    TrafficPolicy::Local => "Local",
                    TrafficPolicy::Cluster => "Cluster",
                }),
                ip_family_policy: options.ip_family_policy.as_ref().map(|p| match p.value {
                    IpFamilyPolicy::PreferDualStack => "PreferDualStack",
                    IpFamilyPolicy::RequireDualStack => "RequireDualStack",
                    IpFamilyPolicy::SingleStack => "SingleStack",
                }),
                ip_families: options
                    .ip_families
                    .iter()
                    .map(|f| match f.value {
                        IpFamily::Ipv6 => "IPv6",
                        IpFamily::Ipv4 => "IPv4",
                    })
                    .collect(),
                publish_not_ready_addresses: None,
                selector: selector_of(ctx, labels),
                ports,
            },
        }))),
        origin: owner.header,
    }
}

/// An autoscaling/v2 HorizontalPodAutoscaler of the component's Deployment:
/// utilisation targets in the `target` block autoscaling/v2 requires, CPU
/// at 80 % when no target is given.
pub fn autoscaler(ctx: &Ctx, owner: &Owner, labels: &Labels, a: &Autoscaling) -> Object {
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
    for (name, target) in [("cpu", &a.cpu), ("memory", &a.memory)] {
        if let Some(p) = target {
            metrics.push(metric(name, p.value));
        }
    }
    if metrics.is_empty() {
        metrics.push(metric("cpu", 80));
    }
    Object {
        resource: std::sync::Arc::new(Resource::HorizontalPodAutoscaler(Box::new(
            HorizontalPodAutoscaler {
                api_version: "autoscaling/v2",
                kind: "HorizontalPodAutoscaler",
                metadata: meta(ctx, &owner.name, &ctx.namespace, labels),
                spec: HpaSpec {
                    scale_target_ref: ScaleTargetRef {
                        api_version: "apps/v1",
                        kind: "Deployment",
                        name: owner.name.clone(),
                    },
                    min_replicas: *a.min,
                    max_replicas: *a.max,
                    metrics,
                },
            },
        ))),
        origin: owner.header,
    }
}

/// A PodDisruptionBudget over the component's pods; one pod at a time when
/// neither bound is given.
pub fn disruption_budget(ctx: &Ctx, owner: &Owner, labels: &Labels, d: &Disruption) -> Object {
    let max = d.max_unavailable.as_ref().map(|m| m.value);
    let min = d.min_available.as_ref().map(|m| m.value);
    Object {
        resource: std::sync::Arc::new(Resource::PodDisruptionBudget(Box::new(
            PodDisruptionBudget {
                api_version: "policy/v1",
                kind: "PodDisruptionBudget",
                metadata: meta(ctx, &owner.name, &ctx.namespace, labels),
                spec: PdbSpec {
                    max_unavailable: if max.is_none() && min.is_none() {
                        Some(1)
                    } else {
                        max
                    },
                    min_available: min,
                    unhealthy_pod_eviction_policy: d.unhealthy_pod_eviction_policy.as_ref().map(
                        |p| match p.value {
                            UnhealthyPodEvictionPolicy::IfHealthyBudget => "IfHealthyBudget",
                            UnhealthyPodEvictionPolicy::AlwaysAllow => "AlwaysAllow",
                        },
                    ),
                    selector: LabelSelector {
                        match_labels: selector_of(ctx, labels),
                    },
                },
            },
        ))),
        origin: owner.header,
    }
}

/// The HorizontalPodAutoscaler and PodDisruptionBudget the component asks for.
pub fn scaling(ctx: &Ctx, owner: &Owner, labels: &Labels, out: &mut Lowered) {
    if let Some(a) = owner.pod.autoscaling {
        out.push(autoscaler(ctx, owner, labels, a));
    }
    if let Some(d) = owner.pod.disruption {
        out.push(disruption_budget(ctx, owner, labels, d));
    }
}
