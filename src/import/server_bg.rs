//! The server's background services (S132, S137–S159): Redis messaging,
//! Docket, and the Deployment of their own.

use super::common::{changed, env_list};
use super::pfk::{Block, Pfk};
use super::pod;
use super::reader::Reader;

/// The keys of the separate Deployment, read only with
/// `runAsSeparateDeployment`.
const SEPARATE_ONLY: [&str; 20] = [
    "affinity",
    "extraContainers",
    "extraInitContainers",
    "replicaCount",
    "priorityClassName",
    "terminationGracePeriodSeconds",
    "debug",
    "loggingLevel",
    "args",
    "command",
    "revisionHistoryLimit",
    "resources",
    "podSecurityContext",
    "containerSecurityContext",
    "podLabels",
    "podAnnotations",
    "nodeSelector",
    "tolerations",
    "extraEnvVarsCM",
    "extraEnvVarsSecret",
];

/// `backgroundServices.*` and the Redis they need.
pub fn background_services(r: &mut Reader, b: &mut Block, name: &str, release: &str) {
    let separate = r
        .bool("backgroundServices.runAsSeparateDeployment")
        .is_some_and(|s| s.value);
    let redis = r.bool("redis.enabled").is_some_and(|e| e.value);
    let mut bg = Block::default();
    if separate {
        bg.set("separate", Pfk::Bool(true));
        if let Some(n) = changed(r.int("backgroundServices.replicaCount"), &1) {
            bg.set("replicas", Pfk::Int(n));
        }
        bg.set_opt(
            "messaging",
            super::server_db::messaging(r, name, release, redis),
        );
    } else {
        if redis {
            r.no_effect(
                "redis.enabled",
                "the chart's Prefect uses Redis only with `backgroundServices.runAsSeparateDeployment`; prefectc deploys none",
            );
        }
        r.consume("backgroundServices.runAsSeparateDeployment");
        r.consume("backgroundServices.messaging.broker");
        r.consume("backgroundServices.messaging.cache");
    }
    let docket =
        if let Some(secret) = r.string("backgroundServices.messaging.docket.existingSecret") {
            let key = r
                .string("backgroundServices.messaging.docket.existingSecretKey")
                .map_or_else(|| "docket-url".to_string(), |k| k.value);
            r.consume("backgroundServices.messaging.docket.url");
            Some(Pfk::Secret(secret.value, Some(key)))
        } else if r
            .string("backgroundServices.messaging.docket.url")
            .is_some()
        {
            Some(r.credential(
                "backgroundServices.messaging.docket.url",
                &format!("{name}-docket"),
                "url",
                "the Docket URL (a Redis URL carries its password)",
            ))
        } else {
            None
        };
    r.consume("backgroundServices.messaging.docket");
    bg.set_opt("docket-url", docket);
    if let Some(env) = env_list(r, "backgroundServices.env") {
        bg.set("env", env);
    }
    if separate {
        deployment(r, &mut bg);
    } else {
        for key in SEPARATE_ONLY {
            if r.user_set(&format!("backgroundServices.{key}")) {
                r.no_effect(
                    &format!("backgroundServices.{key}"),
                    "the chart reads it only with `backgroundServices.runAsSeparateDeployment`",
                );
            }
        }
    }
    b.set_block("background-services", bg);
}

/// The separate Deployment's own settings; unset ones are the server's in
/// prefectc, and the chart's defaults equal the server's.
fn deployment(r: &mut Reader, bg: &mut Block) {
    let p = |k: &str| format!("backgroundServices.{k}");
    if let Some(n) = r.string(&p("priorityClassName")) {
        bg.set("priority-class", Pfk::Str(n.value));
    }
    if let Some(s) = r
        .int(&p("terminationGracePeriodSeconds"))
        .filter(|s| s.is_user())
    {
        bg.set(
            "termination-grace-period",
            Pfk::Raw(format!("{}s", s.value)),
        );
    }
    if let Some(d) = changed(r.bool(&p("debug")), &false) {
        bg.set("debug", Pfk::Bool(d));
    }
    if let Some(level) = changed(r.string(&p("loggingLevel")), &"WARNING".to_string()) {
        let level = level.to_lowercase();
        if ["debug", "info", "warning", "error", "critical"].contains(&level.as_str()) {
            bg.set("log-level", Pfk::Raw(level));
        } else {
            r.not_imported(&p("loggingLevel"), "not a Python logging level", None);
        }
    }
    for (key, field) in [("command", "command"), ("args", "args")] {
        if let Some(list) = r.strings(&p(key)).filter(|l| !l.value.is_empty()) {
            bg.set(field, super::common::str_list(&list.value));
        }
    }
    if let Some(n) = changed(r.int(&p("revisionHistoryLimit")), &10) {
        bg.set("revision-history", Pfk::Int(n));
    }
    let defaults = pod::ResourceDefaults {
        requests: ["250m", "512Mi"],
        limits: ["1", "1Gi"],
    };
    bg.set_opt("resources", pod::resources(r, &p("resources"), &defaults));
    bg.set_opt(
        "security",
        pod::security(r, &p("podSecurityContext"), &p("containerSecurityContext")),
    );
    bg.set_opt("pod-labels", r.user_map(&p("podLabels")));
    bg.set_opt("pod-annotations", r.user_map(&p("podAnnotations")));
    bg.set_opt("node-selector", r.user_map(&p("nodeSelector")));
    bg.set_opt("tolerations", pod::tolerations(r, &p("tolerations")));
    bg.set_opt(
        "affinity",
        super::affinity::affinity(
            r,
            &p("affinity"),
            &super::affinity::own_pods(r, super::Chart::Server.name(), Some("background-services")),
        ),
    );
    bg.set_opt(
        "sidecars",
        super::containers::containers(r, &p("extraContainers"), false),
    );
    bg.set_opt(
        "init-containers",
        super::containers::containers(r, &p("extraInitContainers"), true),
    );
    let mut from = Vec::new();
    if let Some(cm) = r.string(&p("extraEnvVarsCM")) {
        from.push(Pfk::ConfigMap(cm.value));
    }
    if let Some(s) = r.string(&p("extraEnvVarsSecret")) {
        from.push(Pfk::Secret(s.value, None));
    }
    if !from.is_empty() {
        bg.set("env-from", Pfk::List(from));
    }
    bg.set_opt(
        "service-account-annotations",
        r.user_map(&p("serviceAccount.annotations")),
    );
}
