//! Cross-component semantics: what no single field's type can say.

use super::model::{
    CheckedComponent as Component, CheckedSite as Site, Kind, Prov, Rec, TVal, Typed,
};
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::source::Span;

/// The oldest Prefect that can run the background services on their own.
const SPLIT_SERVICES_SINCE: (u32, u32, u32) = (3, 4, 16);
/// The Kubernetes minor versions the compiler targets (the three most recent).
pub const KUBERNETES_SUPPORTED: &[&str] = &["1.35", "1.36", "1.37"];

/// Runs the cross-component rules. Components in `failed` had errors (of
/// their own, or in values they use): rules about them would only repeat
/// those errors in other words.
pub fn check_site(site: &mut Site, failed: &[(Kind, String)], diags: &mut Diagnostics) {
    kubernetes_version(&site.site, diags);
    // `None` when the site's version did not check: rules that depend on it
    // are skipped rather than run against a made-up version.
    let prefect = site.site.fields.str("prefect").map(version_of);
    let pools: Vec<Component> = site.of_kind(Kind::Pool).cloned().collect();
    let openshift = site.site.fields.enum_("platform") == Some("openshift");
    for c in &mut site.components {
        if failed.iter().any(|(k, n)| *k == c.kind && *n == c.name) {
            continue;
        }
        match c.kind {
            Kind::Worker => {
                worker_pool(c, &pools, diags);
                base_job_template(c, diags);
                worker_settings(c, diags);
            }
            Kind::Server => server(c, prefect, diags),
            Kind::Agent => agent(c, &site.site, prefect, diags),
            Kind::Exporter => exporter(c, diags),
            _ => {}
        }
        scaling(c, diags);
        cloud_ids(c, diags);
        service(&c.fields, diags);
        if let Some(sec) = c.fields.record("security") {
            root_contradiction(sec, diags);
            localhost_profile(sec, diags);
            if openshift {
                assigned_by_openshift(sec, diags);
            }
        }
    }
    object_names(site, diags);
}

fn span_of(rec: &Rec, field: &str) -> Option<Span> {
    rec.get(field).map(|t| t.prov.span())
}

/// `3.4.25` → (3, 4, 25); missing parts are 0.
pub fn version_of(s: &str) -> (u32, u32, u32) {
    let mut it = s.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (
        it.next().unwrap_or(0),
        it.next().unwrap_or(0),
        it.next().unwrap_or(0),
    )
}

fn kubernetes_version(site: &Component, diags: &mut Diagnostics) {
    let Some(v) = site.fields.get("kubernetes") else {
        return;
    };
    let TVal::Str(text) = &v.value else { return };
    let (major, minor, _) = version_of(text);
    if KUBERNETES_SUPPORTED.contains(&text.as_str()) {
        return;
    }
    if major != 1 || minor < 25 {
        diags.push(
            Diagnostic::new(
                Code::UnsupportedVersion,
                v.prov.span(),
                format!("Kubernetes {text} cannot be served"),
            )
            .label("too old for the API versions prefectc emits (autoscaling/v2, policy/v1)")
            .help(format!("target one of {}", KUBERNETES_SUPPORTED.join(", "))),
        );
    } else {
        diags.push(
            Diagnostic::new(
                Code::KubernetesVersionWindow,
                v.prov.span(),
                format!("Kubernetes {text} is outside the supported window"),
            )
            .label(format!("supported: {}", KUBERNETES_SUPPORTED.join(", ")))
            .help(
                "the output may still work, but it is not validated against this version's schemas",
            ),
        );
    }
}

/// Resolves `pool = "name"` to a declared pool, infers the worker type from
/// the pool, and checks that both agree.
fn worker_pool(w: &mut Component, pools: &[Component], diags: &mut Diagnostics) {
    let Some(pool) = w.fields.get("pool").cloned() else {
        return;
    };
    let declared = match &pool.value {
        TVal::Ref { name, .. } => pools.iter().find(|p| p.name == *name),
        TVal::Str(name) => pools.iter().find(|p| p.name == *name),
        _ => None,
    };
    if let (Some(p), TVal::Str(_)) = (declared, &pool.value) {
        // A string naming a declared pool is a reference to it.
        w.fields.fields.insert(
            "pool".into(),
            Typed {
                value: TVal::Ref {
                    kind: Kind::Pool,
                    name: p.name.clone(),
                },
                ..pool.clone()
            },
        );
    }
    let worker_type = w.fields.get("type").cloned();
    match (declared, worker_type) {
        (Some(p), Some(t)) => {
            // A pool whose type did not check has been reported already.
            let Some(pool_type) = p.fields.get("type") else {
                return;
            };
            if pool_type.value != t.value {
                let (TVal::Enum(wt), TVal::Enum(pt)) = (&t.value, &pool_type.value) else {
                    return;
                };
                diags.push(
                    Diagnostic::new(Code::PoolTypeMismatch, t.prov.span(), format!("a {wt} worker cannot join the {pt} pool `{}`", p.name))
                        .label(format!("this worker is {wt}"))
                        .with_secondary(pool.prov.span(), format!("joins pool `{}`", p.name))
                        .with_secondary(pool_type.prov.span(), format!("pool `{}` is {pt}", p.name))
                        .help(format!("set `type = {pt}` (or drop `type`: it is inferred from the pool), or join a {wt} pool")),
                );
            }
        }
        (Some(p), None) => {
            // A pool whose type did not check has been reported already.
            if let Some(pool_type) = p.fields.get("type") {
                w.fields.fields.insert("type".into(), pool_type.clone());
            }
        }
        (None, Some(_)) => {}
        (None, None) => {
            let name = match &pool.value {
                TVal::Str(s) => s.clone(),
                _ => String::new(),
            };
            diags.push(
                Diagnostic::new(
                    Code::WorkerTypeRequired,
                    pool.prov.span(),
                    format!("the type of pool `{name}` is unknown"),
                )
                .label("no pool of this name is declared in the site")
                .with_secondary(w.header, "this worker needs a type")
                .help("add `type = kubernetes` (or process, …) to the worker, or declare the pool"),
            );
        }
    }
}

fn server(s: &Component, prefect: Option<(u32, u32, u32)>, diags: &mut Diagnostics) {
    let f = &s.fields;
    let replicas = f.get("replicas");
    if let Some(("sqlite", db)) = f.variant("database") {
        if let Some(r) = replicas.filter(|r| matches!(r.value, TVal::Int(n) if n > 1)) {
            diags.push(
                Diagnostic::new(
                    Code::SqliteScaling,
                    r.prov.span(),
                    "a server on SQLite runs one replica",
                )
                .label("more than one replica")
                .with_secondary(db.prov.span(), "SQLite lives on one ReadWriteOnce volume")
                .help(
                    "use `database = postgres { … }` to run several replicas, or remove `replicas`",
                ),
            );
        }
        if let Some(("rolling", u)) = f.variant("update-strategy") {
            diags.push(
                Diagnostic::new(
                    Code::SqliteScaling,
                    u.prov.span(),
                    "a server on SQLite is replaced with `recreate`",
                )
                .label("a rolling update starts the new pod before the old one stops")
                .with_secondary(db.prov.span(), "SQLite lives on one ReadWriteOnce volume")
                .help("remove `update-strategy`: SQLite servers always recreate their pod"),
            );
        }
        if let Some(a) = f.get("autoscaling") {
            diags.push(
                Diagnostic::new(
                    Code::SqliteScaling,
                    a.prov.span(),
                    "a server on SQLite cannot autoscale",
                )
                .label("autoscaling adds replicas")
                .with_secondary(db.prov.span(), "SQLite lives on one ReadWriteOnce volume")
                .help("use `database = postgres { … }`, or remove `autoscaling`"),
            );
        }
    }
    if let (Some(i), Some(g)) = (f.get("ingress"), f.get("gateway")) {
        diags.push(
            Diagnostic::new(
                Code::ExposureConflict,
                g.prov.span(),
                "a server is exposed through an Ingress or a Gateway, not both",
            )
            .label("Gateway API route")
            .with_secondary(i.prov.span(), "Ingress")
            .help("keep one of `ingress` and `gateway`"),
        );
    }
    if let Some(g) = f.record("gateway")
        && g.get("class").is_some() == g.get("name").is_some()
    {
        let at = f.get("gateway").map(|t| t.prov.span()).unwrap_or(s.header);
        diags.push(
                Diagnostic::new(Code::ExposureConflict, at, "a gateway needs either `class` or `name`")
                    .label("say which Gateway the route attaches to")
                    .help("`class = \"istio\"` creates a Gateway; `name = \"shared\"` attaches to an existing one"),
            );
    }
    if let Some(("postgres", pg)) = f.variant("database")
        && let TVal::Record(r) = &pg.value
    {
        match (r.get("url"), r.get("host")) {
            (Some(u), Some(h)) => diags.push(
                Diagnostic::new(
                    Code::ExposureConflict,
                    h.prov.span(),
                    "give the PostgreSQL URL or its parts, not both",
                )
                .label("host given")
                .with_secondary(u.prov.span(), "URL given"),
            ),
            (None, None) => diags.push(
                Diagnostic::new(
                    Code::MissingField,
                    pg.prov.span(),
                    "PostgreSQL needs `url` or `host`",
                )
                .label("no connection given")
                .help("write `postgres { url = secret(\"prefect-db\", \"connection-url\") }`"),
            ),
            (None, Some(_)) if r.get("password").is_none() => diags.push(
                Diagnostic::new(
                    Code::MissingField,
                    pg.prov.span(),
                    "PostgreSQL by parts needs `password`",
                )
                .label("no password")
                .help("add `password = secret(\"prefect-db\", \"password\")`"),
            ),
            _ => {}
        }
    }
    if let Some(bg) = f.record("background-services")
        && bg.bool("separate") == Some(true)
    {
        let at = span_of(bg, "separate").unwrap_or(s.header);
        if bg.get("messaging").is_none() {
            diags.push(
                    Diagnostic::new(Code::SplitWithoutRedis, at, "separate background services need Redis messaging")
                        .label("the services run in their own Deployment")
                        .help("add `messaging = redis { host = \"…\", password = secret(\"…\", \"…\") }` to `background-services`"),
                );
        }
        if prefect.is_some_and(|p| p < SPLIT_SERVICES_SINCE) {
            diags.push(
                Diagnostic::new(
                    Code::UnsupportedVersion,
                    at,
                    "separate background services need Prefect 3.4.16 or later",
                )
                .label("`prefect server services start` does not exist before 3.4.16")
                .help("raise `prefect` in the site, or remove `separate = true`"),
            );
        }
    }
    // Kubernetes requires a success threshold of 1 for these probes.
    for which in ["startup", "liveness"] {
        if let Some(t) = f
            .record("probes")
            .and_then(|p| p.record(which))
            .and_then(|r| r.get("success-threshold"))
            .filter(|t| t.value != TVal::Int(1))
        {
            diags.push(
                Diagnostic::new(
                    Code::ConstraintViolated,
                    t.prov.span(),
                    format!("a {which} probe's success threshold must be 1"),
                )
                .label("Kubernetes rejects any other value")
                .help("remove it; only the readiness probe takes a success threshold"),
            );
        }
    }
    // Without their own Deployment, every API replica runs the scheduler and
    // the other services, each with in-memory messaging.
    let split = f
        .record("background-services")
        .is_some_and(|bg| bg.bool("separate") == Some(true));
    let scaled = replicas
        .filter(|r| matches!(r.value, TVal::Int(n) if n > 1))
        .or(f.get("autoscaling"))
        .filter(|_| !split && !matches!(f.variant("database"), Some(("sqlite", _))));
    if let Some(at) = scaled {
        diags.push(
            Diagnostic::new(
                Code::ServicesInEveryReplica,
                at.prov.span(),
                "every replica of this server runs its own background services",
            )
            .label("more than one API pod")
            .help(
                "run the services once: `background-services { separate = true, messaging = redis { … } }`",
            )
            .note("the scheduler and the event services would run once per pod, each with in-memory messaging"),
        );
    }
}

/// Settings of a `service` block that its type ignores.
fn service(f: &Rec, diags: &mut Diagnostics) {
    let Some(svc) = f.record("service") else {
        return;
    };
    if svc.enum_("type").unwrap_or("cluster-ip") != "cluster-ip" {
        return;
    }
    let type_span = span_of(svc, "type");
    let mut inapplicable = |t: &Typed, what: &str| {
        let mut d = Diagnostic::new(
            Code::ExposureConflict,
            t.prov.span(),
            format!("`{what}` needs a `node-port` or `load-balancer` Service"),
        )
        .label("ignored by a ClusterIP Service")
        .help("set `type = node-port` (or `load-balancer`), or remove it");
        if let Some(at) = type_span {
            d = d.with_secondary(at, "the Service is ClusterIP");
        }
        diags.push(d);
    };
    for field in ["node-port", "external-traffic-policy"] {
        if let Some(t) = svc.get(field) {
            inapplicable(t, field);
        }
    }
    for p in svc.list("extra-ports") {
        if let TVal::Record(r) = &p.value
            && let Some(t) = r.get("node-port")
        {
            inapplicable(t, "node-port");
        }
    }
}

fn agent(
    a: &Component,
    site: &Component,
    prefect: Option<(u32, u32, u32)>,
    diags: &mut Diagnostics,
) {
    let f = &a.fields;
    // An agent without a pool polls Prefect 2's `default-agent-pool`.
    let pool = format!(
        "\n  pool   = \"{}\"",
        f.str("pool").unwrap_or("default-agent-pool")
    );
    let api = match f.variant("api") {
        Some((
            _,
            Typed {
                value: TVal::Ref { name, .. },
                ..
            },
        )) => name.clone(),
        Some((tag, _)) => format!("{tag} {{ … }}"),
        None => "…".to_string(),
    };
    let limit = f
        .int("limit")
        .map(|l| format!("\n  limit  = {l}"))
        .unwrap_or_default();
    let queues = f.strings("queues");
    let queues = if queues.is_empty() {
        String::new()
    } else {
        format!(
            "\n  queues = [{}]",
            queues
                .iter()
                .map(|q| format!("\"{q}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let worker = format!(
        "worker {} {{\n  type   = kubernetes\n  api    = {api}{pool}{queues}{limit}\n}}",
        a.name
    );
    let image_major = f
        .str("image")
        .and_then(|i| crate::model::image::parse(i).ok())
        .and_then(|i| i.tag)
        .map(|t| version_of(t).0);
    let Some(major) = image_major.or(prefect.map(|p| p.0)) else {
        return;
    };
    if major >= 3 {
        let site_prefect = site.fields.get("prefect").map(|t| t.prov.span());
        let mut d = Diagnostic::new(Code::AgentNeedsPrefect2, a.header, "agents do not exist in Prefect 3")
            .label("this agent would run a Prefect 3 image")
            .help(format!("replace it with a worker:\n{worker}\nor pin a Prefect 2 image: `image = \"prefecthq/prefect:2.20.14-python3.12\"`"));
        if let Some(s) = site_prefect {
            d = d.with_secondary(s, "the site runs Prefect 3");
        }
        diags.push(d);
        return;
    }
    diags.push(
        Diagnostic::new(Code::AgentDeprecated, a.header, "agents are deprecated")
            .label("a Prefect 2 agent")
            .help(format!(
                "workers replace agents in Prefect 3; the equivalent is:\n{worker}"
            )),
    );
}

/// A base job template is JSON in Prefect's format (`job_configuration`
/// and `variables`), and its job configuration is the worker type's: only a
/// kubernetes worker runs a Kubernetes `job_manifest`.
fn base_job_template(w: &Component, diags: &mut Diagnostics) {
    let Some(("inline", t)) = w.fields.variant("base-job-template") else {
        return;
    };
    let TVal::Str(text) = &t.value else { return };
    let span = t.prov.span();
    let worker_type = w.fields.enum_("type");
    let fail = |message: String, label: String, help: &str| {
        Diagnostic::new(Code::InvalidJobTemplate, span, message)
            .label(label)
            .help(help.to_string())
    };
    let json: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            diags.push(fail(
                "the base job template is not JSON".into(),
                format!("{e}"),
                "write the template as JSON text, e.g. `\"\"\"{ \"job_configuration\": { … }, \"variables\": { … } }\"\"\"`",
            ));
            return;
        }
    };
    let Some(obj) = json.as_object() else {
        diags.push(fail(
            "the base job template is not a JSON object".into(),
            "a template is an object with `job_configuration` and `variables`".into(),
            "wrap the template in `{ … }`",
        ));
        return;
    };
    let missing: Vec<&str> = ["job_configuration", "variables"]
        .into_iter()
        .filter(|k| !obj.get(*k).is_some_and(serde_json::Value::is_object))
        .collect();
    if !missing.is_empty() {
        diags.push(fail(
            format!(
                "the base job template has no {} object",
                missing
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            "Prefect rejects a template without both".into(),
            &format!(
                "start from `prefect work-pool get-default-base-job-template --type {}`",
                worker_type.unwrap_or("<type>")
            ),
        ));
        return;
    }
    let manifest = obj
        .get("job_configuration")
        .and_then(|c| c.get("job_manifest"));
    let Some(wt) = worker_type else { return };
    let at_type = w.fields.get("type").map(|t| t.prov.span());
    let mismatch = |message: String, label: &str| {
        let mut d = fail(
            message,
            label.to_string(),
            &format!("start from `prefect work-pool get-default-base-job-template --type {wt}`"),
        );
        if let Some(s) = at_type {
            d = d.with_secondary(s, format!("this makes the worker {wt}"));
        }
        d
    };
    match (wt, manifest) {
        ("kubernetes", None) => diags.push(mismatch(
            "a kubernetes worker's template needs `job_configuration.job_manifest`".into(),
            "no Kubernetes Job manifest",
        )),
        ("kubernetes", Some(m)) => {
            let kind = m.get("kind").and_then(serde_json::Value::as_str);
            if let Some(kind) = kind.filter(|k| *k != "Job") {
                diags.push(mismatch(
                    format!("the job manifest is a {kind}, not a Job"),
                    "a kubernetes worker starts flow runs as batch/v1 Jobs",
                ));
            }
        }
        (_, Some(_)) => diags.push(mismatch(
            format!("a {wt} worker's template has a Kubernetes `job_manifest`"),
            "only kubernetes workers run Job manifests",
        )),
        _ => {}
    }
}

/// Worker settings that only make sense together.
fn worker_settings(w: &Component, diags: &mut Diagnostics) {
    let f = &w.fields;
    // Settings of the Kubernetes integration: other types start no pods.
    if let Some(wt) = f.enum_("type").filter(|t| *t != "kubernetes") {
        let written = |name: &str| f.get(name).filter(|t| !t.prov.is_default());
        for field in ["job-namespaces", "observe-cluster"] {
            if let Some(t) = written(field) {
                let mut d = Diagnostic::new(
                    Code::IgnoredForWorkerType,
                    t.prov.span(),
                    format!("`{field}` has no effect on a {wt} worker"),
                )
                .label("only kubernetes workers start Jobs and observe them")
                .help(format!(
                    "remove `{field}`, or make the worker (and its pool) kubernetes"
                ));
                if let Some(ty) = f.get("type") {
                    d = d.with_secondary(ty.prov.span(), format!("this makes the worker {wt}"));
                }
                diags.push(d);
            }
        }
    }
    if let Some(p) = f
        .get("dns-policy")
        .filter(|p| p.value == TVal::Enum("config-only".into()))
        && f.record("dns-config")
            .is_none_or(|d| d.strings("nameservers").is_empty())
    {
        diags.push(
            Diagnostic::new(
                Code::MissingField,
                p.prov.span(),
                "`dns-policy = config-only` needs name servers",
            )
            .label("the pods would have no resolver at all")
            .help("add `dns-config { nameservers = [\"10.0.0.10\"] }`, or choose another policy"),
        );
    }
    if let Some((_, api)) = f.variant("api")
        && let TVal::Record(r) = &api.value
        && r.enum_("key-propagation") == Some("create-secret")
        && f.get("name").is_none()
        && f.enum_("type") == Some("kubernetes")
    {
        let at = r
            .get("key-propagation")
            .map(|t| t.prov.span())
            .unwrap_or(w.header);
        diags.push(
            Diagnostic::new(
                Code::UnscopedKeySecret,
                at,
                "the worker may write every Secret of its job namespaces",
            )
            .label("the worker creates a Secret named after itself")
            .with_secondary(w.header, "this worker has no `name`")
            .help(format!(
                "set `name = \"{}\"`: its Secret is then `prefect-{}-api-key`, and the Role grants get, update and delete on that Secret only",
                w.name, w.name
            )),
        );
    }
}

/// Exporter settings a typed schema cannot judge alone. (Several replicas
/// are the policy rule `prefect/exporter-replicas`.)
fn exporter(e: &Component, diags: &mut Diagnostics) {
    let f = &e.fields;
    if let Some(r) = f.record("prometheus-rule")
        && r.list("builtin").is_empty()
        && r.list("alerts").is_empty()
    {
        let at = span_of(f, "prometheus-rule").unwrap_or(e.header);
        diags.push(
            Diagnostic::new(
                Code::MissingField,
                at,
                "the PrometheusRule has no alerts",
            )
            .label("`builtin` and `alerts` are both empty")
            .help("add `alerts = [{ name = \"…\", expr = \"…\" }]`, keep some `builtin` alerts, or remove `prometheus-rule`"),
        );
    }
}

/// A Cloud API URL is built from the account and workspace IDs: empty ones
/// give `…/accounts//workspaces/`, which the agent chart renders by default.
fn cloud_ids(c: &Component, diags: &mut Diagnostics) {
    let Some((tag @ ("cloud" | "customer-cloud"), api)) = c.fields.variant("api") else {
        return;
    };
    let TVal::Record(r) = &api.value else { return };
    for field in ["account", "workspace"] {
        let Some(t) = r.get(field) else { continue };
        if matches!(&t.value, TVal::Str(s) if s.trim().is_empty()) {
            diags.push(
                Diagnostic::new(
                    Code::ConstraintViolated,
                    t.prov.span(),
                    format!("the {field} ID of `{tag}` is empty"),
                )
                .label(format!("the API URL would have an empty `{field}s/` segment"))
                .help(format!(
                    "copy the {field} ID from the Prefect Cloud URL: `…/account/<account>/workspace/<workspace>/…`"
                )),
            );
        }
    }
}

/// Autoscaling bounds, and disruption budgets that block every eviction.
fn scaling(c: &Component, diags: &mut Diagnostics) {
    let f = &c.fields;
    let auto = f.record("autoscaling");
    if let Some(a) = auto
        && let (Some(min), Some(max)) = (a.get("min"), a.get("max"))
        && let (TVal::Int(lo), TVal::Int(hi)) = (&min.value, &max.value)
        && lo > hi
    {
        diags.push(
            Diagnostic::new(
                Code::ConstraintViolated,
                max.prov.span(),
                format!("autoscaling `max` ({hi}) is below `min` ({lo})"),
            )
            .label("the most replicas")
            .with_secondary(min.prov.span(), "the fewest replicas")
            .help("raise `max` or lower `min`"),
        );
    }
    let Some(d) = f.record("disruption") else {
        return;
    };
    let pods = auto
        .and_then(|a| a.int("min"))
        .or_else(|| f.int("replicas"))
        .unwrap_or(1);
    let blocking = match (d.get("max-unavailable"), d.get("min-available")) {
        (Some(m), _) if m.value == TVal::Int(0) => {
            Some((m, "no pod may be unavailable".to_string()))
        }
        (_, Some(m)) if matches!(m.value, TVal::Int(n) if n >= pods) => Some((
            m,
            if pods == 1 {
                "the only pod must stay available".to_string()
            } else {
                format!("all {pods} pods must stay available")
            },
        )),
        _ => None,
    };
    if let Some((t, why)) = blocking {
        diags.push(
            Diagnostic::new(
                Code::BlockedEvictions,
                t.prov.span(),
                "this disruption budget blocks every eviction",
            )
            .label(why)
            .help("allow one pod to go: `max-unavailable = 1`; node drains and cluster upgrades wait on the budget forever otherwise"),
        );
    }
}

/// runAsUser 0 with runAsNonRoot true: the kubelet refuses to start the container.
/// A seccomp `Localhost` profile is a path below the kubelet's seccomp
/// directory: the API server rejects absolute paths and `..` (P-X3).
fn localhost_profile(sec: &Rec, diags: &mut Diagnostics) {
    let Some(t) = sec.get("seccomp-localhost-profile") else {
        return;
    };
    let TVal::Str(path) = &t.value else { return };
    if path.starts_with('/') || path.split('/').any(|part| part == "..") {
        let relative = path
            .strip_prefix("/var/lib/kubelet/seccomp/")
            .unwrap_or(path)
            .trim_start_matches('/');
        diags.push(
            Diagnostic::new(
                Code::ConstraintViolated,
                t.prov.span(),
                "a seccomp profile path is relative to the kubelet's seccomp directory",
            )
            .label("absolute, or leaves that directory")
            .help(format!(
                "write the path below `/var/lib/kubelet/seccomp`, e.g. `\"{}\"`",
                relative.replace("../", "")
            )),
        );
    }
}

fn root_contradiction(sec: &Rec, diags: &mut Diagnostics) {
    let (Some(user), Some(non_root)) = (sec.get("run-as-user"), sec.get("run-as-non-root")) else {
        return;
    };
    if user.value != TVal::Int(0) || non_root.value != TVal::Bool(true) {
        return;
    }
    let mut d = Diagnostic::new(
        Code::RootContradiction,
        non_root.prov.span(),
        "runAsNonRoot contradicts runAsUser 0",
    )
    .label("requires a non-root user")
    .with_secondary(user.prov.span(), "runs as root")
    .help(
        "to run as root, set `run-as-non-root = false`; otherwise choose a non-zero `run-as-user`",
    )
    .note("the kubelet refuses to start such a container");
    if let Prov::Default { field, .. } = &non_root.prov {
        d = d.note(format!("`{field}` is true by default"));
    }
    diags.push(d);
}

/// On OpenShift the restricted-v2 SCC assigns the user, group and fsGroup;
/// a value written for them is not emitted, so say so.
fn assigned_by_openshift(sec: &Rec, diags: &mut Diagnostics) {
    for field in ["run-as-user", "run-as-group", "fs-group"] {
        let Some(t) = sec.get(field).filter(|t| !t.prov.is_default()) else {
            continue;
        };
        diags.push(
            Diagnostic::new(
                Code::IgnoredOnPlatform,
                t.prov.span(),
                format!("`{field}` is ignored on OpenShift"),
            )
            .label("not emitted")
            .help(format!(
                "remove `{field}`: the restricted-v2 SCC assigns a non-root ID from the namespace's range"
            ))
            .note("`platform = openshift` leaves runAsUser, runAsGroup and fsGroup unset"),
        );
    }
}

/// Components of different kinds that would emit workloads of one name.
fn object_names(site: &Site, diags: &mut Diagnostics) {
    let emitting = |k: Kind| {
        matches!(
            k,
            Kind::Server | Kind::Worker | Kind::Agent | Kind::Exporter
        )
    };
    let comps: Vec<&Component> = site
        .components
        .iter()
        .filter(|c| emitting(c.kind))
        .collect();
    for (i, c) in comps.iter().enumerate() {
        if let Some(first) = comps[..i]
            .iter()
            .find(|o| o.name == c.name && o.kind != c.kind)
        {
            diags.push(
                Diagnostic::new(
                    Code::ObjectNameClash,
                    c.name_span,
                    format!(
                        "`{}` would emit objects named like {} `{}`",
                        c.name,
                        first.kind.as_str(),
                        first.name
                    ),
                )
                .label(format!(
                    "this {} emits a Deployment `{}`",
                    c.kind.as_str(),
                    c.name
                ))
                .with_secondary(
                    first.name_span,
                    format!("so does this {}", first.kind.as_str()),
                )
                .help("workloads share one namespace: give them different names"),
            );
        }
    }
}
