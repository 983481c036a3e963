//! `agent` (legacy, Prefect 2): a Deployment running `prefect agent start`,
//! with the Role an agent needs to run flow-run Jobs.

use super::Ctx;
use super::k8s::*;
use super::pod::{self, env, tracked};
use crate::check::model::Component;

const APP: &str = "prefect-agent";

pub fn lower_agent(ctx: &Ctx, c: &Component, out: &mut Vec<Object>) {
    let f = &c.fields;
    let image = pod::image(ctx, c, false);
    let labels = pod::labels(
        ctx,
        APP,
        &c.name,
        "agent",
        &pod::image_version(&image.value),
    );
    let automount = Tracked {
        value: true,
        prov: pod::derived(c, "automount-service-account-token"),
    };
    out.push(pod::service_account(ctx, c, &labels, automount.clone()));
    let mut rules = vec![
        pod::rule(
            &[""],
            &["pods", "pods/log", "pods/status"],
            &["get", "watch", "list"],
        ),
        pod::rule(
            &["batch"],
            &["jobs"],
            &[
                "get", "list", "watch", "create", "update", "patch", "delete",
            ],
        ),
    ];
    rules.extend(pod::extra_rules(c));
    out.extend(pod::role_and_binding(
        ctx,
        c,
        &ctx.namespace,
        &labels,
        rules,
    ));

    let mut args = pod::strings(&["prefect", "agent", "start"]);
    let queues = f.strings("queues");
    for q in &queues {
        args.extend(["--work-queue".to_string(), q.to_string()]);
    }
    match f.str("pool") {
        Some(p) => args.extend(["--pool".to_string(), p.to_string()]),
        None if queues.is_empty() => {
            args.extend(["--work-queue".to_string(), "default".to_string()])
        }
        None => {}
    }
    if let Some(l) = f.int("limit") {
        args.extend(["--limit".to_string(), l.to_string()]);
    }

    let api = pod::api_env(ctx, c, false);
    let mut vars = vec![
        env("HOME", pod::HOME),
        env(
            "PREFECT_AGENT_PREFETCH_SECONDS",
            pod::seconds_text(f.duration_ms("prefetch").unwrap_or(10_000)),
        ),
        env(
            "PREFECT_AGENT_QUERY_INTERVAL",
            pod::seconds_text(f.duration_ms("query-interval").unwrap_or(15_000)),
        ),
        env(
            "PREFECT_API_ENABLE_HTTP2",
            pod::bool_text(f.bool("http2") != Some(false)),
        ),
    ];
    vars.extend(api.vars.iter().take(1).cloned());
    if let Some(uid) = f.str("cluster-uid") {
        vars.push(env("PREFECT_KUBERNETES_CLUSTER_UID", uid));
    }
    vars.extend(api.vars.iter().skip(1).cloned());
    vars.push(env(
        "PREFECT_DEBUG_MODE",
        pod::bool_text(f.bool("debug") == Some(true)),
    ));
    vars.extend(api.auth.iter().cloned());
    pod::user_env(&mut vars, c);

    let sec = f.record("security").expect("security has a default");
    let container = Container {
        name: "prefect-agent".into(),
        image,
        image_pull_policy: pod::pull_policy(c),
        command: pod::tini(),
        args,
        working_dir: Some(pod::HOME.into()),
        ports: Vec::new(),
        env: vars,
        resources: pod::resources(f.record("resources").expect("resources have a default")),
        security_context: pod::container_security(ctx, sec),
        startup_probe: None,
        liveness_probe: None,
        readiness_probe: None,
        volume_mounts: vec![
            pod::scratch_mount(pod::HOME, "home"),
            pod::scratch_mount("/tmp", "tmp"),
        ],
    };
    let spec = pod::pod_spec(ctx, c, &c.name, automount, vec![container]);
    let replicas = f
        .get("replicas")
        .map(|t| tracked(f.int("replicas").unwrap_or(1), t));
    out.push(pod::deployment(
        ctx, c, &c.name, &labels, replicas, false, spec,
    ));
}
