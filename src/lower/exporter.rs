//! `exporter`: the Prometheus Prefect exporter's Deployment and Service, and
//! optionally its ServiceMonitor, PrometheusRule, HPA and PDB.

use serde_json::json;

use super::env::{api_env, env, judge_user_env, merge_env};
use super::k8s::*;
use super::meta::{
    image_or_mirrored_default, image_version, labels, meta, owned, pull_policy, selector,
    selector_of, strings,
};
use super::network::{self, Traffic};
use super::rbac::service_account;
use super::security::container_security;
use super::workload::{
    Owner, deployment, extra_containers, override_main, pod_spec, replicas, resources, scaling,
    scratch_mount, service,
};
use super::{Ctx, Lowered};
use crate::model::schema::{BuiltinAlert, Exporter, PrometheusRule, Relabeling, ServiceMonitor};
use crate::model::{Component, Located};

pub fn lower_exporter(ctx: &Ctx, c: &Component, e: &Exporter, out: &mut Lowered) {
    let owner = Owner {
        name: c.name.clone(),
        kind: c.kind,
        header: c.header,
        pod: e.workload(),
    };
    let image = image_or_mirrored_default(ctx, &e.image);
    let labels = labels(
        ctx,
        c.kind.app(),
        &c.name,
        "exporter",
        &image_version(&image.value),
    );
    let port = *e.port;
    out.extend(service_account(ctx, &owner, &labels, owner.no_token()));
    let mut svc = service(ctx, &owner, &e.service, &labels, port);
    if let Resource::Service(s) = std::sync::Arc::make_mut(&mut svc.resource) {
        s.spec.ports[0].port = *e.service_port;
    }
    out.push(svc);

    let api = api_env(ctx, &e.api, false);
    let mut vars: Vec<EnvVar> = api.vars.iter().take(1).cloned().collect();
    if *e.csrf {
        vars.push(env("PREFECT_CSRF_ENABLED", "True"));
    }
    // The exporter listens on METRICS_PORT (8000 unless set): the container
    // port, Service and probes all follow `port`, so the process must too.
    vars.push(env("METRICS_PORT", port.to_string()));
    vars.push(env("PAGINATION_LIMIT", e.pagination_limit.to_string()));
    vars.push(env(
        "PAGINATION_ENABLED",
        if *e.pagination { "True" } else { "False" },
    ));
    vars.extend(api.vars.iter().skip(1).cloned());
    vars.extend(api.auth.iter().cloned());
    judge_user_env(&[&e.env], &vars.iter().collect::<Vec<_>>(), None, out);
    merge_env(&mut vars, &e.env);

    // The exporter collects from the API on every scrape: probe the socket, not /metrics.
    // The container port is named `service.port-name`.
    let probe = |initial| Probe {
        tcp_socket: Some(TcpSocket {
            port: IntOrString::Str(e.service.port_name.value.clone()),
            host: None,
        }),
        ..Probe::every_10s(initial)
    };
    let pod = &owner.pod;
    let mut container = Container {
        name: "prometheus-prefect-exporter".into(),
        image,
        image_pull_policy: pull_policy(&e.image_pull_policy),
        command: Vec::new(),
        args: Vec::new(),
        working_dir: None,
        ports: vec![ContainerPort {
            name: e.service.port_name.value.clone(),
            container_port: port,
            host_port: None,
            protocol: "TCP",
        }],
        env: vars,
        env_from: Vec::new(),
        resources: resources(&e.resources),
        security_context: container_security(ctx, &e.security, None).into(),
        startup_probe: None,
        liveness_probe: Some(Box::new(probe(10))),
        readiness_probe: Some(Box::new(probe(5))),
        lifecycle: None,
        volume_mounts: vec![scratch_mount("/tmp", "tmp")],
        restart_policy: None,
        prov: None,
    };
    override_main(pod, &mut container);
    let mut spec = pod_spec(ctx, &owner, owner.no_token(), vec![container]);
    extra_containers(ctx, pod, &mut spec);
    // Prometheus scrapes it from its own namespace.
    let target = ctx.site.api(&e.api);
    let mut ingress: Vec<network::Accept> = network::sidecar_ingress(&spec).into_iter().collect();
    ingress.push(network::Accept::Rule(network::from_any_namespace(vec![
        NetworkPort {
            protocol: "TCP",
            port: Some(port),
        },
    ])));
    let mut egress = vec![network::dns()];
    egress.extend(network::api_egress(ctx, &target));
    out.allow(Traffic {
        policy: c.name.clone(),
        origin: c.header,
        pods: selector_of(ctx, &labels),
        ingress,
        egress,
        api_client_of: target.server.map(|(name, _)| name.to_string()),
        flow_runs_in: Vec::new(),
    });
    out.push(deployment(ctx, &owner, &labels, replicas(pod), false, spec));
    scaling(ctx, &owner, &labels, out);
    if let Some(r) = &e.prometheus_rule {
        out.push(prometheus_rule(ctx, c, &labels, r));
    }
    if let Some(sm) = &e.service_monitor {
        let port_name = &e.service.port_name.value;
        out.push(service_monitor(ctx, c, &labels, sm, port_name));
    }
}

/// The ServiceMonitor scraping the Service port `port_name`.
fn service_monitor(
    ctx: &Ctx,
    c: &Component,
    labels: &Labels,
    sm: &ServiceMonitor,
    port_name: &str,
) -> Object {
    let mut l = labels.clone();
    l.extend(strings(&sm.labels));
    let seconds = |d: crate::model::Millis| format!("{}s", d.whole_seconds());
    // The Service port the endpoint scrapes, by its name.
    let mut endpoint = json!({
        "port": port_name,
        "path": "/metrics",
        "interval": seconds(*sm.interval),
    });
    if let Some(t) = &sm.timeout {
        endpoint["scrapeTimeout"] = json!(seconds(t.value));
    }
    for (steps, key) in [
        (&sm.relabelings, "relabelings"),
        (&sm.metric_relabelings, "metricRelabelings"),
    ] {
        let steps: Vec<serde_json::Value> = steps.iter().map(|s| relabeling(s)).collect();
        if !steps.is_empty() {
            endpoint[key] = json!(steps);
        }
    }
    Object {
        resource: std::sync::Arc::new(Resource::Generic(Generic {
            api_version: "monitoring.coreos.com/v1",
            kind: "ServiceMonitor",
            metadata: meta(ctx, &c.name, &ctx.namespace, &l),
            spec: json!({
                "selector": {"matchLabels": selector(ctx, c.kind.app(), &c.name, "exporter")},
                "namespaceSelector": {"matchNames": [ctx.namespace]},
                "endpoints": [endpoint],
            }),
        })),
        origin: c.header,
    }
}

/// One relabeling step, with only the fields that are set.
fn relabeling(r: &Relabeling) -> serde_json::Value {
    let mut step = serde_json::Map::new();
    if !r.source_labels.is_empty() {
        step.insert("sourceLabels".into(), json!(owned(&r.source_labels)));
    }
    for (value, key) in [
        (&r.separator, "separator"),
        (&r.target_label, "targetLabel"),
        (&r.regex, "regex"),
        (&r.replacement, "replacement"),
    ] {
        if let Some(v) = value {
            step.insert(key.into(), json!(v.value));
        }
    }
    if let Some(m) = &r.modulus {
        step.insert("modulus".into(), json!(m.value));
    }
    step.insert("action".into(), json!(r.action.as_str()));
    serde_json::Value::Object(step)
}

/// A Prometheus duration: the largest unit that divides it (`5m`, `90s`).
fn prometheus_duration(ms: u64) -> String {
    match ms {
        0 => "0s".into(),
        ms if ms % 3_600_000 == 0 => format!("{}h", ms / 3_600_000),
        ms if ms % 60_000 == 0 => format!("{}m", ms / 60_000),
        ms if ms % 1_000 == 0 => format!("{}s", ms / 1_000),
        ms => format!("{ms}ms"),
    }
}

/// An alerting rule as Prometheus writes it.
fn alert(
    name: &str,
    expr: String,
    pending_ms: u64,
    severity: &str,
    summary: &str,
) -> serde_json::Value {
    json!({
        "alert": name,
        "expr": expr,
        "for": prometheus_duration(pending_ms),
        "labels": {"severity": severity},
        "annotations": {"summary": summary},
    })
}

/// The built-in alert of an enum variant. Series are selected by the
/// exporter's `job` label (its Service's name), so two exporters of one
/// Prometheus do not set off each other's alerts.
fn builtin_alert(variant: BuiltinAlert, job: &str, namespace: &str) -> serde_json::Value {
    let sel = format!("job=\"{job}\",namespace=\"{namespace}\"");
    let all_paused = |metric: &str, label: &str| {
        format!("count({metric}{{{sel},{label}=\"True\"}}) == count({metric}{{{sel}}})")
    };
    match variant {
        BuiltinAlert::ExporterDown => alert(
            "PrefectExporterDown",
            format!("up{{{sel}}} == 0 or absent(up{{{sel}}})"),
            300_000,
            "critical",
            "The Prefect exporter cannot be scraped: no Prefect metrics",
        ),
        BuiltinAlert::WorkPoolsPaused => alert(
            "PrefectWorkPoolsPaused",
            all_paused("prefect_info_work_pools", "is_paused"),
            900_000,
            "warning",
            "Every Prefect work pool is paused: no flow run starts",
        ),
        BuiltinAlert::WorkQueuesPaused => alert(
            "PrefectWorkQueuesPaused",
            all_paused("prefect_info_work_queues", "is_paused"),
            900_000,
            "warning",
            "Every Prefect work queue is paused: no flow run starts",
        ),
        BuiltinAlert::DeploymentsPaused => alert(
            "PrefectDeploymentsPaused",
            format!(
                "count(prefect_info_deployment{{{sel},is_schedule_active=\"False\"}}) == count(prefect_info_deployment{{{sel}}})"
            ),
            900_000,
            "warning",
            "Every Prefect deployment schedule is paused",
        ),
        BuiltinAlert::FlowRunsFailed => alert(
            "PrefectFlowRunsFailed",
            format!(
                "group by (flow_name, flow_run_name, state_name) (count_over_time(prefect_info_flow_runs{{{sel},state_name=~\"Failed|Crashed\"}}[5m]))"
            ),
            0,
            "warning",
            "A Prefect flow run failed or crashed",
        ),
    }
}

fn prometheus_rule(ctx: &Ctx, c: &Component, labels: &Labels, r: &PrometheusRule) -> Object {
    let mut rules: Vec<serde_json::Value> = r
        .builtin
        .iter()
        .map(|b| builtin_alert(b.value, &c.name, &ctx.namespace))
        .collect();
    for a in r.alerts.iter() {
        let map = |m: &Located<crate::map::IndexMap<String, Located<String>>>| {
            m.iter()
                .map(|(k, v)| (k.clone(), json!(v.value)))
                .collect::<serde_json::Map<String, serde_json::Value>>()
        };
        let mut rule = json!({
            "alert": a.name.value,
            "expr": a.expr.value,
            "for": prometheus_duration(a.pending.0),
        });
        let (l, n) = (map(&a.labels), map(&a.annotations));
        if !l.is_empty() {
            rule["labels"] = serde_json::Value::Object(l);
        }
        if !n.is_empty() {
            rule["annotations"] = serde_json::Value::Object(n);
        }
        rules.push(rule);
    }
    let mut l = labels.clone();
    l.extend(strings(&r.labels));
    Object {
        resource: std::sync::Arc::new(Resource::Generic(Generic {
            api_version: "monitoring.coreos.com/v1",
            kind: "PrometheusRule",
            metadata: meta(ctx, &c.name, &ctx.namespace, &l),
            spec: json!({"groups": [{"name": c.name, "rules": rules}]}),
        })),
        origin: c.header,
    }
}

#[cfg(test)]
mod tests {
    use super::prometheus_duration;

    /// The largest unit that divides the duration, as Prometheus writes
    /// `for:` and `interval:` (`1h`, not `60m`; `90m`, not `1.5h`).
    #[test]
    fn a_prometheus_duration_takes_the_largest_unit_that_divides_it() {
        for (ms, text) in [
            (0, "0s"),
            (3_600_000, "1h"),
            (7_200_000, "2h"),
            (5_400_000, "90m"),
            (60_000, "1m"),
            (90_000, "90s"),
            (1_000, "1s"),
            (1_500, "1500ms"),
        ] {
            assert_eq!(prometheus_duration(ms), text, "{ms} ms");
        }
    }
}
