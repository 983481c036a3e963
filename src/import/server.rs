//! Chart `prefect-server` → `server <fn>` (docs/import-mapping.md §1).

use super::common::{self, SiteFields, changed, env_list};
use super::pfk::{Block, Pfk};
use super::pod;
use super::reader::Reader;
use super::server_db::{Database, database};
use super::server_net::{gateway, ingress};
use super::values::last_wins;

/// The chart's name, for `<fn>`.
pub const CHART: &str = "prefect-server";

/// What the server release becomes: the site's fields and the component.
pub struct Imported {
    pub site: SiteFields,
    pub name: String,
    pub block: Block,
}

/// Reads the server chart's values.
pub fn import(
    r: &mut Reader,
    release: &str,
    namespace: &str,
    prefect: Option<&str>,
) -> Option<Imported> {
    let name = common::fullname(r, release, CHART);
    name_override(r);
    let mut site = SiteFields::default();
    common::site_common(r, namespace, &mut site);
    let pin = common::prefect_release(r, "global.prefect.image.prefectTag", prefect);
    let mut b = Block::default();
    image(r, &mut b, pin.as_ref().map(|p| p.prefect.as_str()));
    site.pull_secrets = r
        .strings("global.prefect.image.pullSecrets")
        .map(|s| s.value)
        .unwrap_or_default();
    for key in [
        "global.prefect.prefectApiUrl",
        "global.prefect.prefectApiHost",
    ] {
        if r.user_set(key) {
            r.refuse(
                key,
                "the chart refuses this key (it moved to `server.uiConfig.prefectUiApiUrl`)",
                "set `server.uiConfig.prefectUiApiUrl` instead: it becomes `ui.api-url`",
            );
        }
    }
    let db = database(r, &name, release);
    b.set_opt("database", db.as_ref().map(Database::pfk));
    let sqlite = matches!(db, Some(Database::Sqlite(_)));
    basics(r, &mut b, sqlite);
    match pod::update_strategy(r, "server.updateStrategy") {
        Some(Pfk::Variant(kind, _)) if sqlite && kind == "rolling" => r.no_effect(
            "server.updateStrategy",
            "a SQLite server always recreates its pod (one writer of the volume)",
        ),
        s => b.set_opt("update-strategy", s),
    }
    ui(r, &mut b);
    auth(r, &mut b, &name);
    b.set_opt("ingress", ingress(r, &name));
    b.set_opt("gateway", gateway(r, &name));
    scaling(r, &mut b, sqlite);
    environment(r, &mut b);
    super::server_bg::background_services(r, &mut b, &name, release);
    migrations(r, &mut b);
    service(r, &mut b);
    service_account(r, &mut b);
    pod_settings(r, &mut b);
    if let Some(pin) = pin {
        site.prefect = pin.prefect;
        site.python = pin
            .python
            .filter(|_| r.user_set("global.prefect.image.prefectTag"));
    } else {
        return None;
    }
    Some(Imported {
        site,
        name,
        block: b,
    })
}

/// `nameOverride` changes only the chart's `name` label, which prefectc fixes.
fn name_override(r: &mut Reader) {
    if r.string("nameOverride").is_some() {
        r.no_effect(
            "nameOverride",
            "prefectc's `app.kubernetes.io/name` label is always the chart's name; the component is named by `fullnameOverride`",
        );
    }
}

/// A repository other than Docker Hub's `prefecthq/prefect` is the server's image.
fn image(r: &mut Reader, b: &mut Block, prefect: Option<&str>) {
    let repo = r.string("global.prefect.image.repository");
    if let (Some(repo), Some(tag)) = (
        changed(repo, &"prefecthq/prefect".to_string()),
        r.string("global.prefect.image.prefectTag"),
    ) {
        let tag = match common::pin_of_tag(&tag.value) {
            Some(_) => tag.value,
            None => prefect.map_or(tag.value, |p| format!("{p}-python3.12")),
        };
        b.set("image", Pfk::Str(format!("{repo}:{tag}")));
    }
    if let Some(policy) = changed(
        r.string("global.prefect.image.pullPolicy"),
        &"IfNotPresent".to_string(),
    ) {
        b.set_opt("image-pull-policy", pull_policy(&policy));
    }
    r.no_effect(
        "server.image",
        "the chart reads the image from `global.prefect.image`",
    );
}

/// `IfNotPresent` → `if-not-present`.
pub fn pull_policy(policy: &str) -> Option<Pfk> {
    match policy {
        "Always" => Some(Pfk::Raw("always".into())),
        "IfNotPresent" => Some(Pfk::Raw("if-not-present".into())),
        "Never" => Some(Pfk::Raw("never".into())),
        _ => None,
    }
}

/// Replicas, paths, logging, command and arguments, scheduling.
fn basics(r: &mut Reader, b: &mut Block, sqlite: bool) {
    if let Some(n) = changed(r.int("server.replicaCount"), &1) {
        if sqlite {
            r.no_effect(
                "server.replicaCount",
                "a SQLite server runs one replica (the chart forces 1 too)",
            );
        } else {
            b.set("replicas", Pfk::Int(n));
        }
    }
    if let Some(path) = changed(r.string("server.apiBasePath"), &"/api".to_string()) {
        b.set("base-path", Pfk::Str(path));
    }
    if let Some(debug) = changed(r.bool("server.debug"), &false) {
        b.set("debug", Pfk::Bool(debug));
    }
    if let Some(level) = changed(r.string("server.loggingLevel"), &"WARNING".to_string()) {
        let level = level.to_lowercase();
        if ["debug", "info", "warning", "error", "critical"].contains(&level.as_str()) {
            b.set("log-level", Pfk::Raw(level));
        } else {
            r.not_imported("server.loggingLevel", "not a Python logging level", None);
        }
    }
    if let Some(n) = changed(r.int("server.revisionHistoryLimit"), &10) {
        b.set("revision-history", Pfk::Int(n));
    }
    let args = r.strings("server.args").filter(|a| !a.value.is_empty());
    if let Some(cmd) = r.strings("server.command").filter(|c| !c.value.is_empty()) {
        b.set("command", common::str_list(&cmd.value));
    }
    let extra = r
        .strings("server.extraArgs")
        .filter(|a| !a.value.is_empty());
    match (args, extra) {
        (Some(args), extra) => {
            b.set("args", common::str_list(&args.value));
            if extra.is_some() {
                r.no_effect(
                    "server.extraArgs",
                    "the chart ignores it when `server.args` is set",
                );
            }
        }
        (None, Some(extra)) => b.set("extra-args", common::str_list(&extra.value)),
        (None, None) => {}
    }
    if let Some(s) = r
        .int("server.terminationGracePeriodSeconds")
        .filter(|s| s.is_user())
    {
        b.set(
            "termination-grace-period",
            Pfk::Raw(format!("{}s", s.value)),
        );
    }
    if let Some(p) = r.string("server.priorityClassName") {
        b.set("priority-class", Pfk::Str(p.value));
    }
    b.set_opt("pod-labels", r.user_map("server.podLabels"));
    b.set_opt("pod-annotations", r.user_map("server.podAnnotations"));
    b.set_opt("node-selector", r.user_map("server.nodeSelector"));
    if r.bool("server.automountServiceAccountToken")
        .is_some_and(|t| t.is_user() && t.value)
    {
        b.set("automount-service-account-token", Pfk::Bool(true));
    }
    let drop = r.strings("server.containerSecurityContext.capabilities.drop");
    if drop.is_some_and(|d| d.is_user() && !d.value.iter().any(|c| c == "ALL")) {
        r.no_effect(
            "server.containerSecurityContext.capabilities.drop",
            "prefectc drops every capability (`ALL`) anyway",
        );
    }
}

/// `server.uiConfig`.
fn ui(r: &mut Reader, b: &mut Block) {
    let mut ui = Block::default();
    let url = r.string("server.uiConfig.prefectUiApiUrl");
    if let Some(url) = changed(url, &"http://localhost:4200/api".to_string()) {
        ui.set("api-url", Pfk::Str(url));
    }
    if let Some(dir) = changed(
        r.string("server.uiConfig.prefectUiStaticDirectory"),
        &"/ui_build".to_string(),
    ) {
        ui.set("static-directory", Pfk::Str(dir));
    }
    r.no_effect(
        "server.uiConfig.enabled",
        "no template of the chart reads it; to turn the UI off, `ui.enabled = false` in the site",
    );
    if r.user_set("server.uiConfig.prefectUiUrl") {
        r.refuse(
            "server.uiConfig.prefectUiUrl",
            "the chart refuses this removed key",
            "set `server.uiConfig.prefectUiApiUrl` instead",
        );
    }
    b.set_block("ui", ui);
}

/// `server.basicAuth`: a Secret reference; a literal auth string is a credential.
fn auth(r: &mut Reader, b: &mut Block, name: &str) {
    if !r.bool("server.basicAuth.enabled").is_some_and(|e| e.value) {
        r.consume("server.basicAuth");
        return;
    }
    let credentials = match r.string("server.basicAuth.existingSecret") {
        Some(secret) => {
            r.consume("server.basicAuth.authString");
            Pfk::Secret(secret.value, Some("auth-string".into()))
        }
        None => r.credential(
            "server.basicAuth.authString",
            &format!("{name}-basic-auth"),
            "auth-string",
            "the server's basic auth (`user:password`)",
        ),
    };
    let mut basic = Block::default();
    basic.set("credentials", credentials);
    b.set("auth", Pfk::Variant("basic".into(), basic));
}

/// `server.autoscaling` (none for SQLite).
fn scaling(r: &mut Reader, b: &mut Block, sqlite: bool) {
    let auto = common::autoscaling(r, "server.autoscaling", "targetCPU", "targetMemory");
    match auto {
        Some(_) if sqlite => r.no_effect(
            "server.autoscaling.enabled",
            "a SQLite server cannot scale (the chart drops the HPA too)",
        ),
        Some(auto) => b.set("autoscaling", auto),
        None => {}
    }
}

/// `global.prefect.env`, `server.env`, `server.extraEnvVarsCM/Secret`.
fn environment(r: &mut Reader, b: &mut Block) {
    let mut env = Vec::new();
    for path in ["global.prefect.env", "server.env"] {
        if let Some(Pfk::Map(entries)) = env_list(r, path) {
            env.extend(entries);
        }
    }
    if !env.is_empty() {
        b.set("env", Pfk::Map(last_wins(env, |(n, _)| n)));
    }
    let mut from = Vec::new();
    if let Some(cm) = r.string("server.extraEnvVarsCM") {
        from.push(Pfk::ConfigMap(cm.value));
    }
    if let Some(secret) = r.string("server.extraEnvVarsSecret") {
        from.push(Pfk::Secret(secret.value, None));
    }
    if !from.is_empty() {
        b.set("env-from", Pfk::List(from));
    }
}

/// `migrations.*`.
fn migrations(r: &mut Reader, b: &mut Block) {
    let mut m = Block::default();
    if let Some(false) = r
        .bool("migrations.enabled")
        .filter(|e| e.is_user())
        .map(|e| e.value)
    {
        m.set("enabled", Pfk::Bool(false));
    }
    if let Some(env) = env_list(r, "migrations.env") {
        m.set("env", env);
    }
    if let Some(n) = changed(r.int("migrations.backoffLimit"), &5) {
        m.set("backoff-limit", Pfk::Int(n));
    }
    match changed(r.int("migrations.timeoutSeconds"), &300) {
        Some(0) => r.not_imported(
            "migrations.timeoutSeconds",
            "prefectc's Job always has a deadline",
            None,
        ),
        Some(n) => m.set("deadline", Pfk::Raw(format!("{n}s"))),
        None => {}
    }
    let defaults = pod::ResourceDefaults {
        requests: ["100m", "128Mi"],
        limits: ["500m", "256Mi"],
    };
    m.set_opt(
        "resources",
        pod::resources(r, "migrations.resources", &defaults),
    );
    m.set_opt("node-selector", r.user_map("migrations.nodeSelector"));
    m.set_opt("tolerations", pod::tolerations(r, "migrations.tolerations"));
    m.set_opt(
        "affinity",
        super::affinity::affinity(r, "migrations.affinity", &[]),
    );
    let command = r.string("migrations.command").filter(|c| c.is_user());
    let entrypoint = r.strings("migrations.entrypoint").filter(|e| e.is_user());
    if command.is_some() || entrypoint.is_some() {
        let mut full = entrypoint.map_or_else(
            || vec!["/bin/sh".to_string(), "-c".to_string()],
            |e| e.value,
        );
        let cmd = command.map_or_else(
            || "prefect server database upgrade -y".to_string(),
            |c| c.value,
        );
        full.push(cmd.trim().to_string());
        m.set("command", common::str_list(&full));
    }
    r.consume("migrations.restartPolicy");
    b.set_block("migrations", m);
}

/// `service.*`.
fn service(r: &mut Reader, b: &mut Block) {
    let port = r.int("service.port");
    let target = r.int("service.targetPort");
    if let Some(p) = changed(port.clone(), &4200) {
        b.set("port", Pfk::Int(p));
    } else if let Some(t) = changed(target.clone(), &4200) {
        b.set("port", Pfk::Int(t));
    }
    if let (Some(p), Some(t)) = (port, target)
        && p.value != t.value
        && (p.is_user() || t.is_user())
    {
        r.not_imported(
            "service.targetPort",
            "prefectc has one port for the pod and the Service",
            Some("`port` takes `service.port`, the port clients and worker URLs use"),
        );
    }
    b.set_opt(
        "service",
        super::service::options(r, Some("server-svc-port")),
    );
}

/// `serviceAccount.*`: prefectc creates `<fn>` unless told to use another.
fn service_account(r: &mut Reader, b: &mut Block) {
    let create = r.bool("serviceAccount.create").is_none_or(|c| c.value);
    let name = r.string("serviceAccount.name");
    if !create {
        let n = name.map_or_else(|| "default".to_string(), |n| n.value);
        b.set("service-account", Pfk::Str(n));
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
    if r.bool("serviceAccount.automountServiceAccountToken")
        .is_some_and(|t| t.is_user() && t.value)
    {
        r.no_effect(
            "serviceAccount.automountServiceAccountToken",
            "prefectc's ServiceAccounts never automount their token",
        );
    }
}

/// Resources, tolerations, security contexts and probes of the API pods.
fn pod_settings(r: &mut Reader, b: &mut Block) {
    let defaults = pod::ResourceDefaults {
        requests: ["500m", "512Mi"],
        limits: ["1", "1Gi"],
    };
    b.set_opt(
        "resources",
        pod::resources(r, "server.resources", &defaults),
    );
    b.set_opt("tolerations", pod::tolerations(r, "server.tolerations"));
    b.set_opt(
        "security",
        pod::security(
            r,
            "server.podSecurityContext",
            "server.containerSecurityContext",
        ),
    );
    let mut probes = Block::default();
    for (key, field, defaults) in [
        ("startupProbe", "startup", [0, 10, 5, 30, 1]),
        ("livenessProbe", "liveness", [10, 10, 5, 3, 1]),
        ("readinessProbe", "readiness", [10, 10, 5, 3, 1]),
    ] {
        let path = format!("server.{key}");
        let mut timing = match pod::probe(r, &path, defaults, true) {
            Some(Pfk::Block(t)) => t,
            _ => Block::default(),
        };
        if let Some(p) = r.string(&format!("{path}.path")).filter(|p| p.is_user()) {
            if p.value.contains("{{") {
                r.not_imported(
                    &format!("{path}.path"),
                    "a Helm template in the path is not evaluated",
                    None,
                );
            } else {
                timing.set("path", Pfk::Str(p.value));
            }
        }
        probes.set_block(field, timing);
    }
    b.set_block("probes", probes);
    b.set_opt("lifecycle", pod::lifecycle(r, "server.lifecycle"));
    b.set_opt(
        "affinity",
        super::affinity::affinity(
            r,
            "server.affinity",
            &super::affinity::own_pods(r, CHART, Some("server")),
        ),
    );
    b.set_opt("volumes", super::volumes::volumes(r, "server.extraVolumes"));
    b.set_opt(
        "sidecars",
        super::containers::containers(r, "server.extraContainers", false),
    );
    b.set_opt(
        "init-containers",
        super::containers::containers(r, "server.extraInitContainers", true),
    );
    b.set_opt(
        "volume-mounts",
        super::volumes::mounts(r, "server.extraVolumeMounts"),
    );
}
