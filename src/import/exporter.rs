//! Chart `prometheus-prefect-exporter` → `exporter <fn>` (docs/import-mapping.md §3).

use super::common::{self, changed, env_list, str_at};
use super::pfk::{Block, Pfk};
use super::pod;
use super::reader::Reader;
use super::server::{Imported, pull_policy};
use super::values::{Node, Value};
use crate::map::HashSet;

/// The chart's name, for `<fn>`.
pub const CHART: &str = "prometheus-prefect-exporter";

const DEFAULT_URL: &str = "http://prefect-server.prefect.svc.cluster.local:4200/api";

/// Reads the exporter chart's values. The exporter's image is its own, so
/// the site's Prefect release comes from `--prefect` alone.
pub fn import(
    r: &mut Reader,
    release: &str,
    namespace: &str,
    prefect: Option<&str>,
) -> Option<Imported> {
    let (name, mut site) = common::release_head(r, release, namespace, CHART);
    site.pull_secrets = r
        .list("imagePullSecrets")
        .into_iter()
        .filter_map(|s| str_at(s, "name"))
        .collect();
    let mut b = Block::default();
    api(r, &mut b, &name);
    image(r, &mut b);
    settings(r, &mut b);
    monitoring(r, &mut b);
    deployment(r, &mut b);
    let Some(prefect) = prefect else {
        let span = r.fallback();
        if let Some(span) = span {
            r.problems.push(super::error::Problem::Refused {
                span,
                path: "--prefect".into(),
                why: "the exporter's values name no Prefect release (its image is the exporter's own)".into(),
                help: "pass the release of the server it reads, `--prefect X.Y.Z`".into(),
            });
        }
        return None;
    };
    site.prefect = prefect.to_string();
    Some(Imported {
        site,
        name,
        block: b,
    })
}

fn api(r: &mut Reader, b: &mut Block, name: &str) {
    let url = r
        .string("prefectApiUrl")
        .map_or_else(|| DEFAULT_URL.to_string(), |u| u.value);
    let mut api = Block::default();
    api.set("url", Pfk::Str(url));
    if r.bool("basicAuth.enabled").is_some_and(|e| e.value) {
        let auth = match r.string("basicAuth.existingSecret") {
            Some(s) => {
                r.consume("basicAuth.authString");
                Pfk::Secret(s.value, Some("auth-string".into()))
            }
            None => r.credential(
                "basicAuth.authString",
                &format!("{name}-basic-auth"),
                "auth-string",
                "the server's basic auth (`user:password`)",
            ),
        };
        api.set("auth", auth);
    }
    r.consume("basicAuth");
    b.set("api", Pfk::Variant("self-hosted".into(), api));
}

fn image(r: &mut Reader, b: &mut Block) {
    let repo = r.string("image.repository");
    let tag = r.string("image.tag");
    if repo.as_ref().is_some_and(|x| x.is_user()) || tag.as_ref().is_some_and(|x| x.is_user()) {
        let repo = repo.map_or_else(
            || "prefecthq/prometheus-prefect-exporter".to_string(),
            |x| x.value,
        );
        let tag = tag.map_or_else(|| "1.1.0".to_string(), |x| x.value);
        if format!("{repo}:{tag}") != "prefecthq/prometheus-prefect-exporter:1.1.0" {
            b.set("image", Pfk::Str(format!("{repo}:{tag}")));
        }
    }
    if let Some(p) = changed(r.string("image.pullPolicy"), &"IfNotPresent".to_string()) {
        b.set_opt("image-pull-policy", pull_policy(&p));
    }
}

fn settings(r: &mut Reader, b: &mut Block) {
    if let Some(csrf) = changed(r.bool("csrfAuth"), &false) {
        b.set("csrf", Pfk::Bool(csrf));
    }
    if let Some(p) = changed(r.bool("pagination.enabled"), &true) {
        b.set("pagination", Pfk::Bool(p));
    }
    if let Some(l) = changed(r.int("pagination.limit"), &200) {
        b.set("pagination-limit", Pfk::Int(l));
    }
    let mut env: Vec<(String, Pfk)> = r
        .string_map("env")
        .map(|m| m.value)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k.to_uppercase(), Pfk::Str(v)))
        .collect();
    // An `extraEnvVars` entry replaces the `env` entries of its name (the
    // list, already one entry per name, goes last). Two `env` keys that
    // upper-case alike (`foo`, `FOO`) both stay: the site then refuses the
    // repeated key, where the user sees both, rather than one being
    // dropped here unsaid.
    if let Some(Pfk::Map(extra)) = env_list(r, "extraEnvVars") {
        let replaced: HashSet<&str> = extra.iter().map(|(n, _)| n.as_str()).collect();
        env.retain(|(n, _)| !replaced.contains(n.as_str()));
        env.extend(extra);
    }
    if !env.is_empty() {
        b.set("env", Pfk::Map(env));
    }
    if let Some(a) = r.strings("containerArgs").filter(|a| !a.value.is_empty()) {
        b.set("args", common::str_list(&a.value));
    }
    b.set_opt("service", super::service::options(r, None));
    if let Some(n) = changed(r.int("service.port"), &80) {
        b.set("service-port", Pfk::Int(n));
    }
    if let Some(n) = changed(r.int("service.targetPort"), &8000) {
        b.set("port", Pfk::Int(n));
    }
}

/// `serviceMonitor.*` and `prometheusRule.*`.
fn monitoring(r: &mut Reader, b: &mut Block) {
    if r.bool("serviceMonitor.enabled").is_some_and(|e| e.value) {
        let mut sm = Block::default();
        sm.set_opt("labels", r.user_map("serviceMonitor.additionalLabels"));
        if let Some(i) = changed(r.string("serviceMonitor.interval"), &"30s".to_string()) {
            sm.set_opt("interval", duration(&i));
        }
        if let Some(t) = r.string("serviceMonitor.scrapeTimeout") {
            sm.set_opt("timeout", duration(&t.value));
        }
        for (key, field) in [
            ("relabelings", "relabelings"),
            ("metricRelabelings", "metric-relabelings"),
        ] {
            let path = format!("serviceMonitor.{key}");
            let steps: Vec<Pfk> = r.list(&path).into_iter().filter_map(relabeling).collect();
            if !steps.is_empty() {
                sm.set(field, Pfk::List(steps));
            }
        }
        b.set("service-monitor", Pfk::Block(sm));
    }
    r.consume("serviceMonitor.enabled");
    if r.bool("prometheusRule.enabled").is_some_and(|e| e.value) {
        let mut pr = Block::default();
        pr.set_opt("labels", r.user_map("prometheusRule.additionalLabels"));
        let alerts: Vec<Pfk> = r
            .list("prometheusRule.rules")
            .into_iter()
            .filter_map(alert)
            .collect();
        if !alerts.is_empty() {
            pr.set("alerts", Pfk::List(alerts));
        }
        b.set("prometheus-rule", Pfk::Block(pr));
    }
    r.consume("prometheusRule.enabled");
}

/// A Prometheus duration prefectc reads (`500ms`, `15s`, `5m`, `1h`).
fn duration(text: &str) -> Option<Pfk> {
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = &text[digits.len()..];
    let ok = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && matches!(unit, "ms" | "s" | "m" | "h");
    ok.then(|| Pfk::Raw(text.to_string()))
}

/// A `prometheusRule.rules[]` alert (recording rules are left out).
fn alert(node: &Node) -> Option<Pfk> {
    let mut a = Block::default();
    a.set("name", Pfk::Str(str_at(node, "alert")?));
    a.set("expr", Pfk::Str(str_at(node, "expr")?));
    if let Some(d) = str_at(node, "for").filter(|f| f.trim_start_matches('0').len() > 1) {
        a.set_opt("pending", duration(&d));
    }
    for key in ["labels", "annotations"] {
        if let Some(Value::Map(entries)) = node.at(key).map(|n| &n.value) {
            let map: Vec<(String, Pfk)> = entries
                .iter()
                .filter_map(|e| Some((e.key.clone(), Pfk::Str(common::scalar_text(&e.node)?))))
                .collect();
            if !map.is_empty() {
                a.set(key, Pfk::Map(map));
            }
        }
    }
    Some(Pfk::Block(a))
}

fn deployment(r: &mut Reader, b: &mut Block) {
    if let Some(n) = changed(r.int("replicaCount"), &1) {
        b.set("replicas", Pfk::Int(n));
    }
    if let Some(n) = changed(r.int("revisionHistoryLimit"), &10) {
        b.set("revision-history", Pfk::Int(n));
    }
    b.set_opt("disruption", common::disruption(r, "podDisruptionBudget"));
    b.set_opt(
        "autoscaling",
        common::autoscaling(
            r,
            "autoscaling",
            "targetCPUUtilizationPercentage",
            "targetMemoryUtilizationPercentage",
        ),
    );
    b.set_opt("pod-labels", r.user_map("podLabels"));
    b.set_opt("pod-annotations", r.user_map("podAnnotations"));
    b.set_opt("node-selector", r.user_map("nodeSelector"));
    let defaults = pod::ResourceDefaults {
        requests: ["50m", "128Mi"],
        limits: ["250m", "256Mi"],
    };
    b.set_opt("resources", pod::resources(r, "resources", &defaults));
    b.set_opt("tolerations", pod::tolerations(r, "tolerations"));
    b.set_opt(
        "affinity",
        super::affinity::affinity(r, "affinity", &super::affinity::own_pods(r, CHART, None)),
    );
    b.set_opt(
        "security",
        pod::security(r, "podSecurityContext", "securityContext"),
    );
    for probe in ["livenessProbe", "readinessProbe"] {
        if r.bool(probe).is_some_and(|p| p.is_user() && !p.value) {
            r.no_effect(probe, "prefectc always probes the exporter's port");
        }
        r.consume(probe);
    }
    service_account(r, b);
    if r.bool("ingress.enabled").is_some_and(|e| e.is_user()) {
        r.no_effect("ingress", "the chart has no Ingress template");
    }
    r.consume("ingress");
}

/// `serviceAccount.*` (E10–E12): prefectc creates `<fn>` unless told to
/// use another account.
fn service_account(r: &mut Reader, b: &mut Block) {
    let create = r.bool("serviceAccount.create").is_none_or(|c| c.value);
    let name = r.string("serviceAccount.name");
    if let Some(existing) = r.string("serviceAccount.useServiceAccount") {
        b.set("service-account", Pfk::Str(existing.value));
    } else if !create {
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
            "an exporter has no `service-account-annotations`",
            None,
        );
    }
}

/// A Prometheus relabeling step `{sourceLabels, separator, targetLabel,
/// regex, modulus, replacement, action}`.
fn relabeling(node: &Node) -> Option<Pfk> {
    const ACTIONS: [&str; 11] = [
        "replace",
        "keep",
        "drop",
        "keepequal",
        "dropequal",
        "hashmod",
        "labelmap",
        "labeldrop",
        "labelkeep",
        "lowercase",
        "uppercase",
    ];
    let mut b = Block::default();
    if let Some(Value::Seq(labels)) = node.at("sourceLabels").map(|n| &n.value) {
        let labels: Vec<String> = labels.iter().filter_map(common::scalar_text).collect();
        b.set("source-labels", common::str_list(&labels));
    }
    for (key, field) in [
        ("separator", "separator"),
        ("targetLabel", "target-label"),
        ("regex", "regex"),
        ("replacement", "replacement"),
    ] {
        b.set_opt(field, str_at(node, key).map(Pfk::Str));
    }
    if let Some(Value::Int(m)) = node.at("modulus").map(|n| &n.value) {
        b.set("modulus", Pfk::Int(*m));
    }
    if let Some(action) = str_at(node, "action").map(|a| a.to_lowercase()) {
        if !ACTIONS.contains(&action.as_str()) {
            return None;
        }
        b.set("action", Pfk::Raw(action));
    }
    (!b.is_empty()).then_some(Pfk::Block(b))
}

#[cfg(test)]
mod tests {
    use crate::import::{Chart, Request, import};

    fn env_line(values: &str) -> String {
        let out = import(&Request {
            chart: Chart::Exporter,
            files: vec![("values.yaml".into(), values.into())],
            sets: Vec::new(),
            release: Chart::Exporter.default_release().into(),
            namespace: "default".into(),
            prefect: Some("3.4.25".into()),
            into: None,
        });
        let site = out.site.expect("the values import");
        site.lines()
            .find(|l| l.trim_start().starts_with("env "))
            .unwrap_or_default()
            .trim()
            .to_string()
    }

    /// `extraEnvVars` replaces the `env` entries of its names, the last of
    /// a name winning; keys of `env` that upper-case alike are both kept,
    /// for the site to refuse where the user sees them, never one dropped.
    #[test]
    fn extra_env_vars_replace_env_and_nothing_is_dropped_unsaid() {
        assert_eq!(
            env_line(
                "env:\n  foo: \"1\"\n  bar: \"2\"\nextraEnvVars:\n  - name: FOO\n    value: \"3\"\n  - name: BAZ\n    value: \"4\"\n  - name: FOO\n    value: \"5\"\n"
            ),
            r#"env = { "BAR" = "2", "BAZ" = "4", "FOO" = "5" }"#
        );
        assert_eq!(
            env_line("env:\n  foo: \"1\"\n  FOO: \"2\"\n"),
            r#"env = { "FOO" = "1", "FOO" = "2" }"#
        );
    }
}
