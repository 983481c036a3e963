//! `exporter`: the Prometheus Prefect exporter's Deployment and Service, and
//! optionally its ServiceMonitor, PrometheusRule, HPA and PDB.

use serde_json::json;

use super::Ctx;
use super::k8s::*;
use super::pod::{self, env, tracked};
use crate::check::model::{Component, Rec, TVal};

const APP: &str = "prometheus-prefect-exporter";

pub fn lower_exporter(ctx: &Ctx, c: &Component, out: &mut Vec<Object>) {
    let f = &c.fields;
    let image_t = f.get("image").expect("image has a default");
    let image = match &image_t.value {
        TVal::Str(s) => tracked(s.clone(), image_t),
        _ => unreachable!("an Image is a string"),
    };
    let labels = pod::labels(
        ctx,
        APP,
        &c.name,
        "exporter",
        &pod::image_version(&image.value),
    );
    let port = f.int("port").unwrap_or(8000);
    let no_token = Tracked {
        value: false,
        prov: pod::derived(c, "automount-service-account-token"),
    };
    out.extend(pod::service_account(ctx, c, &labels, no_token.clone()));
    let mut service = pod::service(ctx, c, &labels, port);
    if let Resource::Service(svc) = &mut service.resource {
        svc.spec.ports[0].port = f.int("service-port").unwrap_or(80);
    }
    out.push(service);

    let api = pod::api_env(ctx, c, false);
    let mut vars: Vec<EnvVar> = api.vars.iter().take(1).cloned().collect();
    if f.bool("csrf") == Some(true) {
        vars.push(env("PREFECT_CSRF_ENABLED", "True"));
    }
    vars.push(env(
        "PAGINATION_LIMIT",
        f.int("pagination-limit").unwrap_or(200).to_string(),
    ));
    vars.push(env(
        "PAGINATION_ENABLED",
        if f.bool("pagination") == Some(false) {
            "False"
        } else {
            "True"
        },
    ));
    vars.extend(api.vars.iter().skip(1).cloned());
    vars.extend(api.auth.iter().cloned());
    pod::user_env(&mut vars, c);

    // The exporter collects from the API on every scrape: probe the socket, not /metrics.
    let probe = |initial| Probe {
        tcp_socket: Some(TcpSocket {
            port: IntOrString::Str("http".into()),
            host: None,
        }),
        ..Probe::every_10s(initial)
    };
    let sec = f.record("security").expect("security has a default");
    let mut container = Container {
        name: "prometheus-prefect-exporter".into(),
        image,
        image_pull_policy: pod::pull_policy(c),
        command: Vec::new(),
        args: Vec::new(),
        working_dir: None,
        ports: vec![ContainerPort {
            name: pod::port_name(c),
            container_port: port,
            host_port: None,
            protocol: "TCP",
        }],
        env: vars,
        env_from: Vec::new(),
        resources: pod::resources(f.get("resources").expect("resources have a default")),
        security_context: pod::container_security(ctx, sec, None),
        startup_probe: None,
        liveness_probe: Some(probe(10)),
        readiness_probe: Some(probe(5)),
        lifecycle: None,
        volume_mounts: vec![pod::scratch_mount("/tmp", "tmp")],
        restart_policy: None,
        prov: None,
    };
    pod::override_main(c, &mut container);
    let mut spec = pod::pod_spec(ctx, c, no_token, vec![container]);
    pod::extra_containers(ctx, c, &mut spec);
    out.push(pod::deployment(
        ctx,
        c,
        &c.name,
        &labels,
        pod::replicas(c),
        false,
        spec,
    ));
    if let Some(a) = f.record("autoscaling") {
        out.push(pod::autoscaler(ctx, c, &labels, a));
    }
    if let Some(d) = f.record("disruption") {
        out.push(pod::disruption_budget(ctx, c, &labels, d));
    }
    if let Some(r) = f.record("prometheus-rule") {
        out.push(prometheus_rule(ctx, c, &labels, r));
    }

    if let Some(sm) = f.record("service-monitor") {
        let mut l = labels.clone();
        for (k, v) in sm.map("labels").into_iter().flatten() {
            if let TVal::Str(s) = &v.value {
                l.insert(k.clone(), s.clone());
            }
        }
        let mut endpoint = json!({
            "port": "http",
            "path": "/metrics",
            "interval": format!("{}s", crate::check::units::seconds(sm.duration_ms("interval").unwrap_or(30_000))),
        });
        if let Some(t) = sm.duration_ms("timeout") {
            endpoint["scrapeTimeout"] = json!(format!("{}s", crate::check::units::seconds(t)));
        }
        for (field, key) in [
            ("relabelings", "relabelings"),
            ("metric-relabelings", "metricRelabelings"),
        ] {
            let steps: Vec<serde_json::Value> =
                sm.list(field).iter().filter_map(relabeling).collect();
            if !steps.is_empty() {
                endpoint[key] = json!(steps);
            }
        }
        out.push(Object {
            resource: Resource::Generic(Generic {
                api_version: "monitoring.coreos.com/v1",
                kind: "ServiceMonitor",
                metadata: pod::meta(ctx, &c.name, &ctx.namespace, &l),
                spec: json!({
                    "selector": {"matchLabels": pod::selector(APP, &c.name, "exporter")},
                    "namespaceSelector": {"matchNames": [ctx.namespace]},
                    "endpoints": [endpoint],
                }),
            }),
            origin: c.header,
        });
    }
}

/// One relabeling step, with only the fields that are set.
fn relabeling(t: &crate::check::model::Typed) -> Option<serde_json::Value> {
    let TVal::Record(r) = &t.value else {
        return None;
    };
    let mut step = serde_json::Map::new();
    let sources = r.strings("source-labels");
    if !sources.is_empty() {
        step.insert("sourceLabels".into(), json!(sources));
    }
    for (field, key) in [
        ("separator", "separator"),
        ("target-label", "targetLabel"),
        ("regex", "regex"),
        ("replacement", "replacement"),
    ] {
        if let Some(v) = r.str(field) {
            step.insert(key.into(), json!(v));
        }
    }
    if let Some(m) = r.int("modulus") {
        step.insert("modulus".into(), json!(m));
    }
    step.insert(
        "action".into(),
        json!(r.enum_("action").unwrap_or("replace")),
    );
    Some(serde_json::Value::Object(step))
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
fn builtin_alert(variant: &str, job: &str, namespace: &str) -> Option<serde_json::Value> {
    let sel = format!("job=\"{job}\",namespace=\"{namespace}\"");
    let all_paused = |metric: &str, label: &str| {
        format!("count({metric}{{{sel},{label}=\"True\"}}) == count({metric}{{{sel}}})")
    };
    Some(match variant {
        "exporter-down" => alert(
            "PrefectExporterDown",
            format!("up{{{sel}}} == 0 or absent(up{{{sel}}})"),
            300_000,
            "critical",
            "The Prefect exporter cannot be scraped: no Prefect metrics",
        ),
        "work-pools-paused" => alert(
            "PrefectWorkPoolsPaused",
            all_paused("prefect_info_work_pools", "is_paused"),
            900_000,
            "warning",
            "Every Prefect work pool is paused: no flow run starts",
        ),
        "work-queues-paused" => alert(
            "PrefectWorkQueuesPaused",
            all_paused("prefect_info_work_queues", "is_paused"),
            900_000,
            "warning",
            "Every Prefect work queue is paused: no flow run starts",
        ),
        "deployments-paused" => alert(
            "PrefectDeploymentsPaused",
            format!(
                "count(prefect_info_deployment{{{sel},is_schedule_active=\"False\"}}) == count(prefect_info_deployment{{{sel}}})"
            ),
            900_000,
            "warning",
            "Every Prefect deployment schedule is paused",
        ),
        "flow-runs-failed" => alert(
            "PrefectFlowRunsFailed",
            format!(
                "group by (flow_name, flow_run_name, state_name) (count_over_time(prefect_info_flow_runs{{{sel},state_name=~\"Failed|Crashed\"}}[5m]))"
            ),
            0,
            "warning",
            "A Prefect flow run failed or crashed",
        ),
        _ => return None,
    })
}

fn prometheus_rule(ctx: &Ctx, c: &Component, labels: &Labels, r: &Rec) -> Object {
    let mut rules: Vec<serde_json::Value> = r
        .list("builtin")
        .iter()
        .filter_map(|t| match &t.value {
            TVal::Enum(v) => builtin_alert(v, &c.name, &ctx.namespace),
            _ => None,
        })
        .collect();
    for t in r.list("alerts") {
        let TVal::Record(a) = &t.value else { continue };
        let map = |field: &str| -> serde_json::Map<String, serde_json::Value> {
            a.map(field)
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| match &v.value {
                    TVal::Str(s) => Some((k.clone(), json!(s))),
                    _ => None,
                })
                .collect()
        };
        let mut rule = json!({
            "alert": a.str("name").unwrap_or_default(),
            "expr": a.str("expr").unwrap_or_default(),
            "for": prometheus_duration(a.duration_ms("pending").unwrap_or(0)),
        });
        let (l, n) = (map("labels"), map("annotations"));
        if !l.is_empty() {
            rule["labels"] = serde_json::Value::Object(l);
        }
        if !n.is_empty() {
            rule["annotations"] = serde_json::Value::Object(n);
        }
        rules.push(rule);
    }
    let mut l = labels.clone();
    for (k, v) in r.map("labels").into_iter().flatten() {
        if let TVal::Str(s) = &v.value {
            l.insert(k.clone(), s.clone());
        }
    }
    Object {
        resource: Resource::Generic(Generic {
            api_version: "monitoring.coreos.com/v1",
            kind: "PrometheusRule",
            metadata: pod::meta(ctx, &c.name, &ctx.namespace, &l),
            spec: json!({"groups": [{"name": c.name, "rules": rules}]}),
        }),
        origin: c.header,
    }
}
