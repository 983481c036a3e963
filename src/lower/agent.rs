//! `agent` (legacy, Prefect 2): a Deployment running `prefect agent start`,
//! with the Role an agent needs to run flow-run Jobs.

use super::env::{Polling, Release, api_env, client_env};
use super::k8s::*;
use super::meta::{image, image_version, labels, selector_of, words};
use super::network::{self, Traffic};
use super::rbac::{
    cluster_role_and_binding, cluster_uid_rule, extra_rules, role_and_binding, rule,
    service_account,
};
use super::workload::{
    Owner, deployment, extra_containers, override_main, pod_spec, prefect_container, process_probe,
    replicas,
};
use super::{Ctx, Lowered};
use crate::model::Component;
use crate::model::schema::Agent;

pub fn lower_agent(ctx: &Ctx, c: &Component, agent: &Agent, out: &mut Lowered) {
    let owner = Owner {
        name: c.name.clone(),
        kind: c.kind,
        header: c.header,
        pod: agent.workload(),
    };
    let image = image(ctx, agent.image.as_ref(), None, c.header);
    let labels = labels(
        ctx,
        c.kind.app(),
        &c.name,
        "agent",
        &image_version(&image.value),
    );
    let automount = Tracked {
        value: true,
        prov: owner.derived("automount-service-account-token"),
    };
    out.extend(service_account(ctx, &owner, &labels, automount.clone()));
    let mut rules = vec![
        rule(
            &[""],
            &["pods", "pods/log", "pods/status"],
            &["get", "watch", "list"],
        ),
        rule(
            &["batch"],
            &["jobs"],
            &[
                "get", "list", "watch", "create", "update", "patch", "delete",
            ],
        ),
    ];
    rules.extend(extra_rules(&agent.rbac.extra_rules));
    out.extend(role_and_binding(
        ctx,
        &owner,
        &ctx.namespace,
        &labels,
        rules,
    ));
    // Prefect 2 reads kube-system's UID too when none is given.
    if let Some(rule) = cluster_uid_rule(agent.cluster_uid.is_some()) {
        out.extend(cluster_role_and_binding(ctx, &owner, &labels, vec![rule]));
    }

    let mut args = words(&["prefect", "agent", "start"]);
    for q in agent.queues.iter() {
        args.extend([Word::from("--work-queue"), q.value.clone().into()]);
    }
    match &agent.pool {
        Some(p) => args.extend([Word::from("--pool"), p.value.clone().into()]),
        None if agent.queues.is_empty() => args.extend(words(&["--work-queue", "default"])),
        None => {}
    }
    if let Some(l) = &agent.limit {
        args.extend([Word::from("--limit"), l.value.to_string().into()]);
    }

    let api = api_env(ctx, &agent.api, false);
    let polling = Polling {
        prefetch: *agent.prefetch,
        query_interval: *agent.query_interval,
        http2: *agent.http2,
        debug: *agent.debug,
        cluster_uid: agent.cluster_uid.as_deref().map(String::as_str),
        env: &agent.env,
        prefetch_var: "PREFECT_AGENT_PREFETCH_SECONDS",
        query_var: "PREFECT_AGENT_QUERY_INTERVAL",
    };
    let vars = client_env(&polling, &api, Vec::new(), &Release::of(ctx, c), out);
    let pod = &owner.pod;
    let mut container = prefect_container(
        ctx,
        pod,
        "prefect-agent",
        image,
        args,
        vars,
        &agent.resources,
    );
    // Prefect 2 agents serve no health endpoint: check that the agent still runs.
    container.liveness_probe = Some(Box::new(process_probe("agent")));
    container.readiness_probe = Some(Box::new(process_probe("agent")));
    override_main(pod, &mut container);
    let mut spec = pod_spec(ctx, &owner, automount, vec![container]);
    extra_containers(ctx, pod, &mut spec);
    // An agent runs flow runs as Jobs in its own namespace.
    let target = ctx.site.api(&agent.api);
    let mut egress = vec![network::dns()];
    egress.extend(network::api_egress(ctx, &target));
    egress.push(network::kubernetes_api());
    out.allow(Traffic {
        policy: c.name.clone(),
        origin: c.header,
        pods: selector_of(ctx, &labels),
        ingress: network::sidecar_ingress(&spec).into_iter().collect(),
        egress,
        api_client_of: target.server.map(|(name, _)| name.to_string()),
        flow_runs_in: vec![ctx.namespace.to_string()],
    });
    out.push(deployment(ctx, &owner, &labels, replicas(pod), false, spec));
}
