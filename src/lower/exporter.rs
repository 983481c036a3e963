//! `exporter`: the Prometheus Prefect exporter's Deployment, Service and
//! optional ServiceMonitor.

use serde_json::json;

use super::Ctx;
use super::k8s::*;
use super::pod::{self, env, tracked};
use crate::check::model::{Component, TVal};

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
    out.push(pod::service(ctx, c, &labels, port));

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
    let container = Container {
        name: "prometheus-prefect-exporter".into(),
        image,
        image_pull_policy: pod::pull_policy(c),
        command: Vec::new(),
        args: Vec::new(),
        working_dir: None,
        ports: vec![ContainerPort {
            name: "http".into(),
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
    let mut spec = pod::pod_spec(ctx, c, no_token, vec![container]);
    pod::extra_containers(ctx, c, &mut spec);
    let replicas = f
        .get("replicas")
        .map(|t| tracked(f.int("replicas").unwrap_or(1), t));
    out.push(pod::deployment(
        ctx, c, &c.name, &labels, replicas, false, spec,
    ));

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
