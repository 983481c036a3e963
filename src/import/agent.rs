//! Chart `prefect-agent` (legacy) → `agent <fn>` (docs/import-mapping.md §4).

use super::common::{self, changed, env_list};
use super::pfk::{Block, Pfk};
use super::pod;
use super::reader::Reader;
use super::server::{Imported, pull_policy};
use super::worker::cloud_id;

/// The chart's name, for `<fn>`.
pub const CHART: &str = "prefect-agent";

/// Reads the agent chart's values.
pub fn import(
    r: &mut Reader,
    release: &str,
    namespace: &str,
    prefect: Option<&str>,
) -> Option<Imported> {
    let (name, mut site) = common::release_head(r, release, namespace, CHART);
    let pin = common::prefect_release(r, "agent.image.prefectTag", prefect);
    site.pull_secrets = r
        .strings("agent.image.pullSecrets")
        .map(|s| s.value)
        .unwrap_or_default();
    let mut b = Block::default();
    let api = api(r);
    b.set_opt("api", api);
    config(r, &mut b);
    if let Some(p) = changed(
        r.string("agent.image.pullPolicy"),
        &"IfNotPresent".to_string(),
    ) {
        b.set_opt("image-pull-policy", pull_policy(&p));
    }
    if let Some(d) = changed(r.bool("agent.image.debug"), &false) {
        b.set("debug", Pfk::Bool(d));
    }
    if let Some(repo) = changed(
        r.string("agent.image.repository"),
        &"prefecthq/prefect".to_string(),
    ) {
        let tag = pin
            .as_ref()
            .map_or_else(String::new, |p| format!("{}-python3.11", p.prefect));
        b.set("image", Pfk::Str(format!("{repo}:{tag}")));
    }
    deployment(r, &mut b);
    let pin = pin?;
    site.prefect = pin.prefect;
    site.python = pin.python.filter(|_| r.user_set("agent.image.prefectTag"));
    Some(Imported {
        site,
        name,
        block: b,
    })
}

/// `agent.apiConfig`: `cloud`, anything else is a self-hosted server.
fn api(r: &mut Reader) -> Option<Pfk> {
    let mode = r
        .string("agent.apiConfig")
        .map_or_else(|| "cloud".to_string(), |m| m.value);
    let api = if mode == "cloud" {
        let account = cloud_id(r, "agent.cloudApiConfig.accountId");
        let workspace = cloud_id(r, "agent.cloudApiConfig.workspaceId");
        let key_name = r
            .string("agent.cloudApiConfig.apiKeySecret.name")
            .map_or_else(|| "prefect-api-key".to_string(), |n| n.value);
        let key = r
            .string("agent.cloudApiConfig.apiKeySecret.key")
            .map_or_else(|| "key".to_string(), |k| k.value);
        if changed(
            r.string("agent.cloudApiConfig.cloudUrl"),
            &"https://api.prefect.cloud/api".to_string(),
        )
        .is_some()
        {
            r.not_imported(
                "agent.cloudApiConfig.cloudUrl",
                "`cloud` has no URL field",
                None,
            );
        }
        let (account, workspace) = (account?, workspace?);
        let mut b = Block::default();
        b.set("account", Pfk::Str(account));
        b.set("workspace", Pfk::Str(workspace));
        b.set("key", Pfk::Secret(key_name, Some(key)));
        Some(Pfk::Variant("cloud".into(), b))
    } else {
        let url = r.string("agent.serverApiConfig.apiUrl");
        let mut b = Block::default();
        if url.as_ref().is_some_and(|u| !u.is_user()) {
            r.report_at("agent.apiConfig", |span, path| {
                super::error::Problem::NotImported {
                    span,
                    path,
                    why: "the chart's default server URL is the agent pod itself (127.0.0.1)"
                        .into(),
                    help: Some(
                        "set `agent.serverApiConfig.apiUrl` to the server's Service URL".into(),
                    ),
                }
            });
        }
        b.set("url", Pfk::Str(url.map_or_else(String::new, |u| u.value)));
        Some(Pfk::Variant("self-hosted".into(), b))
    };
    r.consume("agent.cloudApiConfig");
    r.consume("agent.serverApiConfig");
    api
}

/// `agent.config.*`, `agent.clusterUid`.
fn config(r: &mut Reader, b: &mut Block) {
    let c = "agent.config";
    if let Some(q) = r
        .strings(&format!("{c}.workQueues"))
        .filter(|q| !q.value.is_empty())
    {
        b.set("queues", common::str_list(&q.value));
    }
    if let Some(p) = r.string(&format!("{c}.workPool")) {
        b.set("pool", Pfk::Str(p.value));
    }
    if let Some(n) = r.int(&format!("{c}.limit")).filter(|l| l.value > 0) {
        b.set("limit", Pfk::Int(n.value));
    }
    if let Some(s) = changed(r.int(&format!("{c}.queryInterval")), &5) {
        b.set("query-interval", Pfk::Raw(format!("{s}s")));
    }
    if let Some(s) = changed(r.int(&format!("{c}.prefetchSeconds")), &10) {
        b.set("prefetch", Pfk::Raw(format!("{s}s")));
    }
    if let Some(h) = changed(r.bool(&format!("{c}.http2")), &true) {
        b.set("http2", Pfk::Bool(h));
    }
    if let Some(cid) = r.string("agent.clusterUid") {
        b.set("cluster-uid", Pfk::Str(cid.value));
    }
}

fn deployment(r: &mut Reader, b: &mut Block) {
    if let Some(n) = changed(r.int("agent.replicaCount"), &1) {
        b.set("replicas", Pfk::Int(n));
    }
    if let Some(env) = env_list(r, "agent.extraEnvVars") {
        b.set("env", env);
    }
    let mut from = Vec::new();
    if let Some(cm) = r.string("agent.extraEnvVarsCM") {
        from.push(Pfk::ConfigMap(cm.value));
    }
    if let Some(s) = r.string("agent.extraEnvVarsSecret") {
        from.push(Pfk::Secret(s.value, None));
    }
    if !from.is_empty() {
        b.set("env-from", Pfk::List(from));
    }
    if let Some(a) = r.strings("agent.extraArgs").filter(|a| !a.value.is_empty()) {
        b.set("extra-args", common::str_list(&a.value));
    }
    if let Some(p) = r.string("agent.priorityClassName") {
        b.set("priority-class", Pfk::Str(p.value));
    }
    b.set_opt("pod-labels", r.user_map("agent.podLabels"));
    b.set_opt("pod-annotations", r.user_map("agent.podAnnotations"));
    b.set_opt("node-selector", r.user_map("agent.nodeSelector"));
    let create = r.bool("serviceAccount.create").is_none_or(|c| c.value);
    let name = r.string("serviceAccount.name");
    if !create {
        b.set(
            "service-account",
            Pfk::Str(name.map_or_else(|| "default".to_string(), |n| n.value)),
        );
    } else if name.is_some() {
        r.not_imported(
            "serviceAccount.name",
            "prefectc names the ServiceAccount it creates after the component",
            None,
        );
    }
    if r.user_set("serviceAccount.annotations") {
        r.not_imported(
            "serviceAccount.annotations",
            "an agent has no `service-account-annotations`",
            None,
        );
    }
    b.set_opt("rbac", common::extra_rules(r, "role.extraPermissions"));
    let defaults = pod::ResourceDefaults {
        requests: ["100m", "256Mi"],
        limits: ["1", "1Gi"],
    };
    b.set_opt("resources", pod::resources(r, "agent.resources", &defaults));
    b.set_opt("tolerations", pod::tolerations(r, "agent.tolerations"));
    b.set_opt(
        "affinity",
        super::affinity::affinity(
            r,
            "agent.affinity",
            &super::affinity::own_pods(r, CHART, Some("agent")),
        ),
    );
    b.set_opt("volumes", super::volumes::volumes(r, "agent.extraVolumes"));
    b.set_opt(
        "sidecars",
        super::containers::containers(r, "agent.extraContainers", false),
    );
    b.set_opt(
        "volume-mounts",
        super::volumes::mounts(r, "agent.extraVolumeMounts"),
    );
    b.set_opt(
        "security",
        pod::security(
            r,
            "agent.podSecurityContext",
            "agent.containerSecurityContext",
        ),
    );
}
