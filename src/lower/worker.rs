//! `worker`: a Deployment running `prefect worker start`, its ServiceAccount,
//! and the RBAC its type needs (a Role and RoleBinding per job namespace).

use super::Ctx;
use super::k8s::*;
use super::pod::{self, env, tracked};
use crate::check::model::{Component, Kind, TVal};

const APP: &str = "prefect-worker";

pub fn lower_worker(ctx: &Ctx, c: &Component, out: &mut Vec<Object>) {
    let f = &c.fields;
    let worker_type = f.enum_("type").unwrap_or("process").to_string();
    let kubernetes = worker_type == "kubernetes";
    let pool_name = match f.get("pool").map(|t| &t.value) {
        Some(TVal::Ref { name, .. }) | Some(TVal::Str(name)) => name.clone(),
        _ => String::new(),
    };
    let image = pod::image(ctx, c, kubernetes);
    let labels = pod::labels(
        ctx,
        APP,
        &c.name,
        "worker",
        &pod::image_version(&image.value),
    );
    let job_namespaces: Vec<String> = if f.strings("job-namespaces").is_empty() {
        vec![ctx.namespace.clone()]
    } else {
        f.strings("job-namespaces")
            .into_iter()
            .map(String::from)
            .collect()
    };

    // RBAC: what the type needs, plus what the user adds.
    let mut rules = Vec::new();
    if kubernetes {
        rules.push(pod::rule(
            &[""],
            &["events", "pods", "pods/log", "pods/status"],
            &["get", "watch", "list"],
        ));
        rules.push(pod::rule(
            &["batch"],
            &["jobs"],
            &[
                "get", "list", "watch", "create", "update", "patch", "delete",
            ],
        ));
        if pod::creates_key_secrets(c) {
            rules.push(pod::rule(
                &[""],
                &["secrets"],
                &["get", "create", "update", "patch"],
            ));
        }
    }
    let extra = pod::extra_rules(c);
    let needs_api = kubernetes || !extra.is_empty();
    let automount = Tracked {
        value: needs_api,
        prov: pod::derived(c, "automount-service-account-token"),
    };
    out.extend(pod::service_account(ctx, c, &labels, automount.clone()));
    if kubernetes {
        for ns in &job_namespaces {
            let mut r = rules.clone();
            r.extend(extra.iter().cloned());
            out.extend(pod::role_and_binding(ctx, c, ns, &labels, r));
        }
    } else if !extra.is_empty() {
        out.extend(pod::role_and_binding(
            ctx,
            c,
            &ctx.namespace,
            &labels,
            extra,
        ));
    }

    let mut args = pod::strings(&[
        "prefect",
        "worker",
        "start",
        "--type",
        &worker_type,
        "--pool",
        &pool_name,
    ]);
    for q in f.strings("queues") {
        args.extend(["--work-queue".to_string(), q.to_string()]);
    }
    args.extend([
        "--install-policy".to_string(),
        f.enum_("install-policy").unwrap_or("never").to_string(),
    ]);
    if let Some(l) = f.int("limit") {
        args.extend(["--limit".to_string(), l.to_string()]);
    }
    if let Some(n) = f.str("name") {
        args.extend(["--name".to_string(), n.to_string()]);
    }
    let healthcheck = f.bool("healthcheck") != Some(false);
    if healthcheck {
        args.push("--with-healthcheck".to_string());
    }

    let api = pod::api_env(ctx, c, kubernetes);
    let observer = if kubernetes {
        vec![env(
            "PREFECT_INTEGRATIONS_KUBERNETES_OBSERVER_NAMESPACES",
            job_namespaces.join(","),
        )]
    } else {
        Vec::new()
    };
    let vars = pod::client_env(
        c,
        &api,
        "PREFECT_WORKER_PREFETCH_SECONDS",
        "PREFECT_WORKER_QUERY_SECONDS",
        observer,
    );
    let mut container =
        pod::prefect_container(ctx, c, "prefect-worker", image.clone(), args, vars, f);
    if healthcheck {
        // `--with-healthcheck` serves /health on PREFECT_WORKER_WEBSERVER_PORT (8080).
        container.ports.push(ContainerPort {
            name: "health".into(),
            container_port: 8080,
            host_port: None,
            protocol: "TCP",
        });
        container.liveness_probe = Some(pod::http_probe("/health", "health", 10));
        container.readiness_probe = Some(pod::http_probe("/health", "health", 10));
    }
    let mut spec = pod::pod_spec(ctx, c, automount, vec![container.clone()]);
    pod::extra_containers(ctx, c, &mut spec);
    if let Some(init) = pool_sync(ctx, c, &worker_type, &pool_name, &container, &api) {
        spec.init_containers.push(init);
    }
    let replicas = f
        .get("replicas")
        .map(|t| tracked(f.int("replicas").unwrap_or(1), t));
    out.push(pod::deployment(
        ctx, c, &c.name, &labels, replicas, false, spec,
    ));
}

/// An init container that creates the worker's declared pool if it is
/// missing and applies the pool's concurrency limit, so the pool settings of
/// the site reach Prefect without a manual step.
fn pool_sync(
    ctx: &Ctx,
    c: &Component,
    worker_type: &str,
    pool_name: &str,
    main: &Container,
    api: &pod::ApiEnv,
) -> Option<Container> {
    let Some(TVal::Ref { name, .. }) = c.fields.get("pool").map(|t| &t.value) else {
        return None;
    };
    let pool = ctx.site.find(Kind::Pool, name)?;
    let limit = pool.fields.int("concurrency")?;
    let script = format!(
        "prefect work-pool inspect \"$POOL\" > /dev/null 2>&1 || prefect work-pool create \"$POOL\" --type \"$POOL_TYPE\"\nprefect work-pool set-concurrency-limit \"$POOL\" {limit}\n"
    );
    let mut vars = vec![
        env("HOME", pod::HOME),
        env("POOL", pool_name),
        env("POOL_TYPE", worker_type),
    ];
    vars.extend(api.vars.iter().cloned());
    vars.extend(api.auth.iter().cloned());
    Some(Container {
        name: "sync-pool".into(),
        command: pod::strings(&["/bin/sh", "-c"]),
        args: vec![script],
        env: vars,
        // Init containers serve nothing and cannot have these probes.
        ports: Vec::new(),
        liveness_probe: None,
        readiness_probe: None,
        startup_probe: None,
        ..main.clone()
    })
}
