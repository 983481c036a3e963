//! Chart `prefect-worker` → `worker <fn>` (docs/import-mapping.md §2).

use super::common::{self, changed, env_list};
use super::pfk::{Block, Pfk};
use super::pod;
use super::reader::Reader;
use super::server::{Imported, pull_policy};

/// The chart's name, for `<fn>`.
pub const CHART: &str = "prefect-worker";

/// The worker types prefectc knows, by the chart's spelling.
const TYPES: [&str; 8] = [
    "process",
    "kubernetes",
    "docker",
    "ecs",
    "cloud-run",
    "cloud-run-v2",
    "vertex-ai",
    "azure-container-instance",
];

/// How the worker reaches Prefect (`worker.apiConfig`, W33).
#[derive(Debug, Clone, PartialEq)]
pub enum Api {
    Cloud(Block),
    CustomerCloud(Block),
    SelfHosted(Block),
}

impl Api {
    fn pfk(self) -> Pfk {
        match self {
            Api::Cloud(b) => Pfk::Variant("cloud".into(), b),
            Api::CustomerCloud(b) => Pfk::Variant("customer-cloud".into(), b),
            Api::SelfHosted(b) => Pfk::Variant("self-hosted".into(), b),
        }
    }
}

/// Reads the worker chart's values.
pub fn import(
    r: &mut Reader,
    release: &str,
    namespace: &str,
    prefect: Option<&str>,
) -> Option<Imported> {
    let (name, mut site) = common::release_head(r, release, namespace, CHART);
    let pin = common::prefect_release(r, "worker.image.prefectTag", prefect);
    site.pull_secrets = r
        .strings("worker.image.pullSecrets")
        .map(|s| s.value)
        .unwrap_or_default();
    let mut b = Block::default();
    let api = api(r, &name);
    b.set_opt("api", api.map(Api::pfk));
    config(r, &mut b);
    image(r, &mut b, pin.as_ref().map(|p| p.prefect.as_str()));
    deployment(r, &mut b);
    rbac(r, &mut b);
    let pin = pin?;
    site.prefect = pin.prefect;
    site.python = pin.python.filter(|_| r.user_set("worker.image.prefectTag"));
    Some(Imported {
        site,
        name,
        block: b,
    })
}

/// The Cloud ID written when the values have none prefectc accepts: a UUID
/// (so the site passes `check`) that is visibly not a real one.
pub const PLACEHOLDER_ID: &str = "00000000-0000-0000-0000-000000000000";

/// A Cloud ID must be a UUID (prefectc E0310); empty, the chart renders a
/// broken URL (P-A1). Either way the site gets [`PLACEHOLDER_ID`] and a
/// W0704 at the key says the site will not connect until it is replaced.
pub fn cloud_id(r: &mut Reader, path: &str) -> Option<String> {
    let field = if path.ends_with("accountId") {
        "account"
    } else {
        "workspace"
    };
    let why = match r.string(path) {
        Some(id) if is_uuid(&id.value) => return Some(id.value),
        Some(id) => format!(
            "`{}` is not a Prefect Cloud {field} ID (a UUID); the chart would render it into a URL Cloud does not serve",
            id.value
        ),
        None => format!("the {field} ID is empty; the chart would render `accounts//workspaces/`"),
    };
    r.placeholder(path, &why, field, PLACEHOLDER_ID);
    Some(PLACEHOLDER_ID.to_string())
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `jobApiKeyPropagation`: `secretRef` → `secret-ref`, `autoSecret` →
/// `create-secret`, `envVar` → `off` (prefectc's default).
fn propagation(r: &mut Reader, path: &str) -> Option<Pfk> {
    match r.string(path).map(|p| p.value).as_deref() {
        Some("secretRef") | None => Some(Pfk::Raw("secret-ref".into())),
        Some("autoSecret") => Some(Pfk::Raw("create-secret".into())),
        Some("envVar") => None,
        Some(_) => {
            r.not_imported(path, "not `secretRef`, `autoSecret` or `envVar`", None);
            None
        }
    }
}

/// The API key Secret `{name, key}`.
fn api_key(r: &mut Reader, base: &str) -> Pfk {
    let name = r
        .string(&format!("{base}.apiKeySecret.name"))
        .map_or_else(|| "prefect-api-key".to_string(), |n| n.value);
    let key = r
        .string(&format!("{base}.apiKeySecret.key"))
        .map_or_else(|| "key".to_string(), |k| k.value);
    Pfk::Secret(name, Some(key))
}

/// `worker.apiConfig` and its block; the other two blocks are ignored, as
/// the chart ignores them (P-W1).
fn api(r: &mut Reader, name: &str) -> Option<Api> {
    let mode = r
        .string("worker.apiConfig")
        .map_or_else(|| "cloud".to_string(), |m| m.value);
    let basic_auth = r
        .bool("worker.selfHostedServerApiConfig.basicAuth.enabled")
        .is_some_and(|e| e.value);
    let api = api_mode(r, name, &mode, basic_auth);
    for block in [
        "cloudApiConfig",
        "customerManagedCloudApiConfig",
        "selfHostedServerApiConfig",
    ] {
        r.consume(&format!("worker.{block}"));
    }
    let api = api?;
    if basic_auth && !matches!(api, Api::SelfHosted(_)) {
        r.not_imported(
            "worker.selfHostedServerApiConfig.basicAuth.enabled",
            "basic auth applies to a self-hosted server only in prefectc",
            None,
        );
    }
    Some(api)
}

fn api_mode(r: &mut Reader, name: &str, mode: &str, basic_auth: bool) -> Option<Api> {
    let api = match mode {
        "cloud" => {
            let mut b = Block::default();
            let account = cloud_id(r, "worker.cloudApiConfig.accountId");
            let workspace = cloud_id(r, "worker.cloudApiConfig.workspaceId");
            b.set("account", Pfk::Str(account?));
            b.set("workspace", Pfk::Str(workspace?));
            b.set("key", api_key(r, "worker.cloudApiConfig"));
            b.set_opt(
                "key-propagation",
                propagation(r, "worker.cloudApiConfig.jobApiKeyPropagation"),
            );
            if changed(
                r.string("worker.cloudApiConfig.cloudUrl"),
                &"https://api.prefect.cloud/api".to_string(),
            )
            .is_some()
            {
                r.not_imported(
                    "worker.cloudApiConfig.cloudUrl",
                    "`cloud` has no URL field",
                    Some("use `apiConfig: customerManagedCloud` (prefectc's `customer-cloud { api-url }`)"),
                );
            }
            Api::Cloud(b)
        }
        "customerManagedCloud" => {
            let base = "worker.customerManagedCloudApiConfig";
            let mut b = Block::default();
            let url = r.string(&format!("{base}.apiUrl"));
            let account = cloud_id(r, &format!("{base}.accountId"));
            let workspace = cloud_id(r, &format!("{base}.workspaceId"));
            let Some(url) = url else {
                r.refuse(
                    &format!("{base}.apiUrl"),
                    "required by the chart",
                    "set the installation's API URL",
                );
                return None;
            };
            b.set("api-url", Pfk::Str(url.value));
            b.set("account", Pfk::Str(account?));
            b.set("workspace", Pfk::Str(workspace?));
            b.set("key", api_key(r, base));
            for (key, field) in [
                ("cloudApiUrl", "cloud-api-url"),
                ("cloudUiUrl", "cloud-ui-url"),
            ] {
                if let Some(u) = r.string(&format!("{base}.{key}")) {
                    b.set(field, Pfk::Str(u.value));
                }
            }
            b.set_opt(
                "key-propagation",
                propagation(r, &format!("{base}.jobApiKeyPropagation")),
            );
            Api::CustomerCloud(b)
        }
        "selfHostedServer" => {
            let base = "worker.selfHostedServerApiConfig";
            let mut b = Block::default();
            let Some(url) = r.string(&format!("{base}.apiUrl")) else {
                r.refuse(
                    &format!("{base}.apiUrl"),
                    "required by the chart",
                    "set the server's API URL",
                );
                return None;
            };
            b.set("url", Pfk::Str(url.value));
            if basic_auth {
                let auth = match r.string(&format!("{base}.basicAuth.existingSecret")) {
                    Some(s) => {
                        r.consume(&format!("{base}.basicAuth.authString"));
                        Pfk::Secret(s.value, Some("auth-string".into()))
                    }
                    None => r.credential(
                        &format!("{base}.basicAuth.authString"),
                        &format!("{name}-basic-auth"),
                        "auth-string",
                        "the server's basic auth (`user:password`)",
                    ),
                };
                b.set("auth", auth);
            }
            Api::SelfHosted(b)
        }
        _ => {
            r.refuse(
                "worker.apiConfig",
                "not `cloud`, `customerManagedCloud` or `selfHostedServer`",
                "use one of the chart's three modes",
            );
            return None;
        }
    };
    Some(api)
}

/// `worker.config.*`.
fn config(r: &mut Reader, b: &mut Block) {
    let c = "worker.config";
    match r.string(&format!("{c}.workPool")) {
        Some(pool) => b.set("pool", Pfk::Str(pool.value)),
        None => r.refuse(
            &format!("{c}.workPool"),
            "a worker needs its work pool (the chart refuses this too)",
            "set `worker.config.workPool`",
        ),
    }
    let t = r
        .string(&format!("{c}.type"))
        .map_or_else(|| "kubernetes".to_string(), |t| t.value);
    if TYPES.contains(&t.as_str()) {
        b.set("type", Pfk::Raw(t));
    } else {
        r.refuse(
            &format!("{c}.type"),
            &format!("`{t}` is not a worker type prefectc knows"),
            &format!("one of {}", TYPES.join(", ")),
        );
    }
    if let Some(q) = r
        .strings(&format!("{c}.workQueues"))
        .filter(|q| !q.value.is_empty())
    {
        b.set("queues", common::str_list(&q.value));
    }
    if let Some(n) = r.int(&format!("{c}.limit")).filter(|l| l.value > 0) {
        b.set("limit", Pfk::Int(n.value));
    }
    if let Some(n) = r.string(&format!("{c}.name")) {
        b.set("name", Pfk::Str(n.value));
    }
    match changed(
        r.string(&format!("{c}.installPolicy")),
        &"prompt".to_string(),
    )
    .as_deref()
    {
        Some(p @ ("always" | "if-not-present" | "never")) => {
            b.set("install-policy", Pfk::Raw(p.into()))
        }
        Some(_) => r.not_imported(
            &format!("{c}.installPolicy"),
            "not `always`, `if-not-present` or `never`",
            None,
        ),
        None => {}
    }
    for (key, field) in [
        ("queryInterval", "query-interval"),
        ("prefetchSeconds", "prefetch"),
    ] {
        let default = if key == "queryInterval" { 5 } else { 10 };
        if let Some(s) = changed(r.int(&format!("{c}.{key}")), &default) {
            b.set(field, Pfk::Raw(format!("{s}s")));
        }
    }
    if let Some(h) = changed(r.bool(&format!("{c}.http2")), &true) {
        b.set("http2", Pfk::Bool(h));
    }
    let mut namespaces = Vec::new();
    if let Some(ns) = r.string("role.namespace") {
        namespaces.push(ns.value);
    }
    if let Some(ns) = r.string(&format!("{c}.jobNamespace")) {
        for n in ns.value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            if !namespaces.iter().any(|x| x == n) {
                namespaces.push(n.to_string());
            }
        }
    }
    if !namespaces.is_empty() {
        b.set("job-namespaces", common::str_list(&namespaces));
    }
    if let Some(o) = changed(r.bool(&format!("{c}.observerClusterWide")), &false) {
        b.set("observe-cluster", Pfk::Bool(o));
    }
    let bjt = format!("{c}.baseJobTemplate");
    if let Some(cm) = r.string(&format!("{bjt}.existingConfigMapName")) {
        b.set("base-job-template", Pfk::ConfigMap(cm.value));
    } else if let Some(json) = r.string(&format!("{bjt}.configuration")) {
        let text = super::job_template::complete(
            r,
            &format!("{bjt}.configuration"),
            &json.value,
            &namespaces,
        );
        b.set("base-job-template", Pfk::Text(text));
    } else if r
        .node(&format!("{bjt}.configuration"))
        .is_some_and(|n| n.is_user())
    {
        r.not_imported(
            &format!("{bjt}.configuration"),
            "a template written as a YAML map is not translated yet (the chart's ConfigMap of it is invalid too)",
            Some("write it as a JSON string (`configuration: |`)"),
        );
    }
    if let Some(cid) = r.string("worker.clusterUid") {
        b.set("cluster-uid", Pfk::Str(cid.value));
    }
}

fn image(r: &mut Reader, b: &mut Block, prefect: Option<&str>) {
    let repo = changed(
        r.string("worker.image.repository"),
        &"prefecthq/prefect".to_string(),
    );
    if let (Some(repo), Some(tag)) = (repo, r.string("worker.image.prefectTag")) {
        let tag = match common::pin_of_tag(&tag.value) {
            Some(_) => tag.value,
            None => prefect.map_or(tag.value, |p| format!("{p}-python3.12")),
        };
        b.set("image", Pfk::Str(format!("{repo}:{tag}")));
    }
    if let Some(p) = changed(
        r.string("worker.image.pullPolicy"),
        &"IfNotPresent".to_string(),
    ) {
        b.set_opt("image-pull-policy", pull_policy(&p));
    }
    if let Some(d) = changed(r.bool("worker.image.debug"), &false) {
        b.set("debug", Pfk::Bool(d));
    }
}

/// Replicas, scaling, probes, environment, scheduling.
fn deployment(r: &mut Reader, b: &mut Block) {
    let w = "worker";
    if let Some(n) = changed(r.int(&format!("{w}.replicaCount")), &1) {
        b.set("replicas", Pfk::Int(n));
    }
    if let Some(n) = changed(r.int(&format!("{w}.revisionHistoryLimit")), &10) {
        b.set("revision-history", Pfk::Int(n));
    }
    b.set_opt(
        "autoscaling",
        common::autoscaling(
            r,
            "worker.autoscaling",
            "targetCPUUtilizationPercentage",
            "targetMemoryUtilizationPercentage",
        ),
    );
    b.set_opt(
        "disruption",
        common::disruption(r, "worker.podDisruptionBudget"),
    );
    if r.bool("worker.livenessProbe.enabled")
        .is_some_and(|e| e.is_user() && !e.value)
    {
        r.no_effect(
            "worker.livenessProbe.enabled",
            "prefectc's worker always serves /health and is probed there",
        );
    }
    r.consume("worker.livenessProbe.enabled");
    if let Some(env) = env_list(r, "worker.extraEnvVars") {
        b.set("env", env);
    }
    let mut from = Vec::new();
    if let Some(cm) = r.string("worker.extraEnvVarsCM") {
        from.push(Pfk::ConfigMap(cm.value));
    }
    for cm in r
        .strings("worker.extraEnvVarsCMs")
        .map(|l| l.value)
        .unwrap_or_default()
    {
        from.push(Pfk::ConfigMap(cm));
    }
    if let Some(s) = r.string("worker.extraEnvVarsSecret") {
        from.push(Pfk::Secret(s.value, None));
    }
    for s in r
        .strings("worker.extraEnvVarsSecrets")
        .map(|l| l.value)
        .unwrap_or_default()
    {
        from.push(Pfk::Secret(s, None));
    }
    if !from.is_empty() {
        b.set("env-from", Pfk::List(from));
    }
    if let Some(a) = r
        .strings("worker.extraArgs")
        .filter(|a| !a.value.is_empty())
    {
        b.set("extra-args", common::str_list(&a.value));
    }
    if let Some(c) = r.strings("worker.command").filter(|c| !c.value.is_empty()) {
        b.set("command", common::str_list(&c.value));
    }
    if let Some(a) = r.strings("worker.args").filter(|a| !a.value.is_empty()) {
        b.set("args", common::str_list(&a.value));
    }
    if let Some(p) = r.string("worker.priorityClassName") {
        b.set("priority-class", Pfk::Str(p.value));
    }
    b.set_opt("pod-labels", r.user_map("worker.podLabels"));
    b.set_opt("pod-annotations", r.user_map("worker.podAnnotations"));
    b.set_opt("node-selector", r.user_map("worker.nodeSelector"));
    let defaults = pod::ResourceDefaults {
        requests: ["100m", "256Mi"],
        limits: ["1", "1Gi"],
    };
    b.set_opt(
        "resources",
        pod::resources(r, "worker.resources", &defaults),
    );
    b.set_opt("tolerations", pod::tolerations(r, "worker.tolerations"));
    b.set_opt(
        "affinity",
        super::affinity::affinity(
            r,
            "worker.affinity",
            &super::affinity::own_pods(r, CHART, Some("worker")),
        ),
    );
    dns(r, b);
    init(r, b);
    b.set_opt("volumes", super::volumes::volumes(r, "worker.extraVolumes"));
    b.set_opt(
        "sidecars",
        super::containers::containers(r, "worker.extraContainers", false),
    );
    b.set_opt(
        "init-containers",
        super::containers::containers(r, "worker.initContainer.extraContainers", true),
    );
    b.set_opt(
        "volume-mounts",
        super::volumes::mounts(r, "worker.extraVolumeMounts"),
    );
    b.set_opt(
        "security",
        pod::security(
            r,
            "worker.podSecurityContext",
            "worker.containerSecurityContext",
        ),
    );
    if let Some(liveness) = pod::probe(r, "worker.livenessProbe", [10, 10, 5, 3, 1], false) {
        let mut probes = Block::default();
        probes.set("liveness", liveness);
        b.set("probes", Pfk::Block(probes));
    }
}

/// `serviceAccount.*`, `role.*`, `rolebinding.*`.
fn rbac(r: &mut Reader, b: &mut Block) {
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
            Some("set `fullnameOverride`, or `serviceAccount.create: false` to use an existing account"),
        );
    }
    b.set_opt(
        "service-account-annotations",
        r.user_map("serviceAccount.annotations"),
    );
    b.set_opt("rbac", common::extra_rules(r, "role.extraPermissions"));
    for key in ["role.create", "rolebinding.create"] {
        if r.bool(key).is_some_and(|c| !c.value) {
            r.not_imported(
                key,
                "prefectc always creates the RBAC its worker type needs",
                None,
            );
        }
    }
}

/// `worker.dnsPolicy` and `worker.dnsConfig` (W13, W14).
fn dns(r: &mut Reader, b: &mut Block) {
    match r.string("worker.dnsPolicy").map(|p| p.value).as_deref() {
        Some("ClusterFirst") => b.set("dns-policy", Pfk::Raw("cluster-first".into())),
        Some("ClusterFirstWithHostNet") => {
            b.set("dns-policy", Pfk::Raw("cluster-first-with-host-net".into()))
        }
        Some("Default") => b.set("dns-policy", Pfk::Raw("default".into())),
        Some("None") => b.set("dns-policy", Pfk::Raw("config-only".into())),
        Some(_) => r.not_imported("worker.dnsPolicy", "not a Kubernetes DNS policy", None),
        None => {}
    }
    let mut c = Block::default();
    for key in ["nameservers", "searches"] {
        if let Some(list) = r
            .strings(&format!("worker.dnsConfig.{key}"))
            .filter(|l| !l.value.is_empty())
        {
            c.set(key, common::str_list(&list.value));
        }
    }
    let options: Vec<(String, Pfk)> = r
        .list("worker.dnsConfig.options")
        .into_iter()
        .filter_map(|o| {
            let name = common::str_at(o, "name")?;
            let value = o
                .at("value")
                .and_then(common::scalar_text)
                .unwrap_or_default();
            Some((name, Pfk::Str(value)))
        })
        .collect();
    if !options.is_empty() {
        c.set("options", Pfk::Map(options));
    }
    b.set_block("dns-config", c);
}

/// `worker.initContainer.*` (W09–W11): the init containers prefectc adds.
fn init(r: &mut Reader, b: &mut Block) {
    let mut i = Block::default();
    let defaults = pod::ResourceDefaults {
        requests: ["", ""],
        limits: ["", ""],
    };
    i.set_opt(
        "resources",
        pod::resources(r, "worker.initContainer.resources", &defaults),
    );
    let path = "worker.initContainer.containerSecurityContext";
    if let Some(ctx) = r.node(path) {
        match super::security::container_security(ctx, true) {
            Ok(security) => i.set_opt("security", security),
            Err(why) => r.not_imported(path, &why, None),
        }
    }
    if let Some(env) = env_list(r, "worker.initContainer.extraEnvVars") {
        i.set("env", env);
    }
    b.set_block("init", i);
}
