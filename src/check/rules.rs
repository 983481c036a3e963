//! Cross-component semantics: what no single field's type can say.

use super::model::{Component, Kind, Prov, Rec, Site, TVal, Typed};
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
            Kind::Worker => worker_pool(c, &pools, diags),
            Kind::Server => server(c, prefect, diags),
            Kind::Agent => agent(c, &site.site, prefect, diags),
            _ => {}
        }
        if let Some(sec) = c.fields.record("security") {
            root_contradiction(sec, diags);
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
    service(f, diags);
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
    let pool = f
        .str("pool")
        .map(|p| format!("\n  pool   = \"{p}\""))
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
        "worker {} {{\n  type   = kubernetes\n  api    = …{pool}{queues}\n}}",
        a.name
    );
    let image_major = f
        .str("image")
        .and_then(|i| super::image::parse(i).ok())
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

/// runAsUser 0 with runAsNonRoot true: the kubelet refuses to start the container.
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
