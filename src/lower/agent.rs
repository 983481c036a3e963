//! `agent` (legacy, Prefect 2): a Deployment running `prefect agent start`,
//! with the Role an agent needs to run flow-run Jobs.

use super::Ctx;
use super::k8s::*;
use super::pod;
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
    out.extend(pod::service_account(ctx, c, &labels, automount.clone()));
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
    // Prefect 2 reads kube-system's UID too when none is given.
    if let Some(rule) = pod::cluster_uid_rule(c) {
        out.extend(pod::cluster_role_and_binding(ctx, c, &labels, vec![rule]));
    }

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
    let vars = pod::client_env(
        c,
        &api,
        "PREFECT_AGENT_PREFETCH_SECONDS",
        "PREFECT_AGENT_QUERY_INTERVAL",
        Vec::new(),
    );
    let mut container = pod::prefect_container(ctx, c, "prefect-agent", image, args, vars, f);
    // Prefect 2 agents serve no health endpoint: check that the agent still runs.
    container.liveness_probe = Some(pod::process_probe("agent"));
    container.readiness_probe = Some(pod::process_probe("agent"));
    pod::override_main(c, &mut container);
    let mut spec = pod::pod_spec(ctx, c, automount, vec![container]);
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
}
