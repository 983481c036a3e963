//! Cross-component semantics: what no single field's type can say.

use super::error::{AgentApi, AgentReplacement, Blocking, RuleError};
use super::model::{
    CheckedComponent as Component, CheckedSite as Site, Kind, Prov, Rec, TVal, Typed,
};
use super::pools;
use crate::diagnostics::Diagnostics;
use crate::map::{ByName, HashMap, HashSet};
use crate::model::prefect::job_template;
use crate::source::Span;

/// The oldest Prefect that can run the background services on their own.
const SPLIT_SERVICES_SINCE: (u32, u32, u32) = (3, 4, 16);
/// Background-services replicas coordinate through Docket (and so run each
/// scheduled job once) from this release, with `docket-url` set.
const DOCKET_COORDINATION_SINCE: (u32, u32, u32) = (3, 6, 7);
/// The Kubernetes minor versions the compiler targets (the three most recent).
pub const KUBERNETES_SUPPORTED: &[&str] = &["1.35", "1.36", "1.37"];

/// Runs the cross-component rules. Components in `failed` had errors (of
/// their own, or in values they use): rules about them would only repeat
/// those errors in other words. Returns, for each component, the pool the
/// rules completed it from.
pub fn check_site(
    site: &mut Site,
    failed: &[(Kind, String)],
    diags: &mut Diagnostics,
) -> Vec<pools::Completed> {
    kubernetes_version(&site.site, diags);
    prefect_pins(site, diags);
    namespace_labels(&site.site, diags);
    // `None` when the site's version did not check: rules that depend on it
    // are skipped rather than run against a made-up version.
    let prefect = site.site.fields.str("prefect").map(version_of);
    // What the workers' rules read of the pools, taken out before the
    // workers are completed (a copy of every pool cost 2.2 M of this
    // stage's 5.8 M instructions a keystroke, at 105 teams).
    let pools: Vec<pools::PoolFacts> = site
        .components
        .iter()
        .filter(|c| c.kind == Kind::Pool)
        .map(pools::PoolFacts::of)
        .collect();
    let pools = ByName::new(&pools, |p| p.name.as_str());
    // What a pool name that is none may have meant (E0402), indexed on the
    // first.
    let mut pool_names =
        crate::diagnostics::Suggest::names(pools.all().iter().map(|p| p.name.as_str()).collect());
    // Looked up for every component: a set, not a scan of the list.
    let failed: HashSet<(Kind, &str)> = failed.iter().map(|(k, n)| (*k, n.as_str())).collect();
    let namespace = site.site.fields.str("namespace").map(str::to_string);
    let namespace = namespace.as_deref();
    let openshift = site.site.fields.enum_("platform") == Some("openshift");
    let mut completed = vec![None; site.components.len()];
    for (c, completed) in site.components.iter_mut().zip(&mut completed) {
        if failed.contains(&(c.kind, c.name.as_str())) {
            continue;
        }
        match c.kind {
            Kind::Worker => {
                *completed = pools::worker_pool(c, &pools, &mut pool_names, diags);
                job_namespaces_created(c, &site.site, diags);
                base_job_template(c, namespace, diags);
                pools::external_pool(c, namespace, diags);
                pools::flow_runs_replaced(c, &pools, diags);
                worker_settings(c, diags);
                super::settings::worker_probes(c, diags);
            }
            Kind::Server => {
                server(c, prefect, diags);
                super::settings::server_migrations(c, diags);
                super::settings::postgres_secret(c, diags);
                super::settings::background_services_pods(c, diags);
                super::settings::gateway(c, diags);
            }
            Kind::Agent => agent(c, &site.site, prefect, diags),
            Kind::Exporter => exporter(c, diags),
            Kind::Pool => pools::flow_runs_of_pool(c, diags),
            _ => {}
        }
        super::settings::supplemental_groups(c, diags);
        super::settings::probe_success_thresholds(c, diags);
        super::resources::extended_resources(c, diags);
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
        super::profiles::localhost_profiles(c, diags);
        super::volumes::volumes(c, diags);
    }
    pools::shared_pools(site, &failed, namespace, diags);
    object_names(site, diags);
    completed
}

fn span_of(rec: &Rec, field: &str) -> Option<Span> {
    rec.get(field).map(|t| t.prov.span())
}

/// `3.4.25` → (3, 4, 25); missing parts are 0.
pub fn version_of(s: &str) -> (u32, u32, u32) {
    let v = crate::model::prefect::Version::lenient(s);
    (v.major, v.minor, v.patch)
}

/// With `create-namespace`, prefectc creates the job namespaces of
/// kubernetes workers too, labelled like the site's; one the cluster
/// creates itself (`default`, `kube-*`) is left alone (W0516).
fn job_namespaces_created(w: &Component, site: &Component, diags: &mut Diagnostics) {
    let Some(create) = site.fields.get("create-namespace") else {
        return;
    };
    if create.value != TVal::Bool(true) || w.fields.enum_("type") != Some("kubernetes") {
        return;
    }
    for ns in w.fields.list("job-namespaces") {
        if let TVal::Str(name) = &ns.value
            && crate::model::namespaces::created_by_cluster(name)
        {
            diags.report(RuleError::JobNamespaceNotCreated {
                span: ns.prov.span(),
                namespace: name.clone(),
                create_namespace: create.prov.span(),
            });
        }
    }
}

/// With `create-namespace`, prefectc labels the Namespace for Pod Security
/// admission from `policy`: the same labels in the site's `labels` would be
/// written over.
fn namespace_labels(site: &Component, diags: &mut Diagnostics) {
    if site.fields.bool("create-namespace") != Some(true) {
        return;
    }
    let Some(TVal::Map(labels)) = site.fields.get("labels").map(|t| &t.value) else {
        return;
    };
    for (key, value) in labels.iter() {
        if crate::model::labels::is_pod_security(key) {
            diags.report(RuleError::PodSecurityLabel {
                span: value.prov.span(),
                key: key.clone(),
                policy: site
                    .fields
                    .get("policy")
                    .filter(|p| !p.prov.is_default())
                    .map(|p| p.prov.span()),
            });
        }
    }
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
    let span = v.prov.span();
    let version = text.clone();
    let supported = KUBERNETES_SUPPORTED;
    if major != 1 || minor < 25 {
        diags.report(RuleError::KubernetesTooOld {
            span,
            version,
            supported,
        });
    } else {
        diags.report(RuleError::KubernetesOutsideWindow {
            span,
            version,
            supported,
        });
    }
}

/// A Prefect release outside the lines of the settings catalogue, pinned
/// by `site.prefect` or by the tag of a written image, is checked as the
/// nearest line: say so (W0515).
fn prefect_pins(site: &Site, diags: &mut Diagnostics) {
    use crate::model::prefect::{Catalogue, TagRelease, Version};
    let site_pin = site
        .site
        .fields
        .get("prefect")
        .and_then(|t| match &t.value {
            TVal::Str(s) => Some((t.prov.span(), Version::lenient(s), s.clone())),
            _ => None,
        });
    // Images written on the components that run Prefect (see
    // `Component::prefect`): the exporter's tag is the exporter's release.
    let image_pins = site.components.iter().filter_map(|c| {
        if matches!(c.kind, Kind::Pool | Kind::Exporter) {
            return None;
        }
        let image = c.fields.get("image").filter(|t| !t.prov.is_default())?;
        let TVal::Str(text) = &image.value else {
            return None;
        };
        let TagRelease::Release(v) = TagRelease::of_image(text)? else {
            return None;
        };
        Some((image.prov.span(), v, v.to_string()))
    });
    for (span, v, version) in site_pin.into_iter().chain(image_pins) {
        if Catalogue::knows(v) {
            continue;
        }
        diags.report(RuleError::PrefectOutsideCatalogue {
            span,
            version,
            known: known_lines(),
            nearest: Catalogue::of(v)
                .line
                .map(|l| l.to_string())
                .unwrap_or_default(),
        });
    }
}

/// The catalogue's release lines, a run of minors of one major as a range:
/// `2.20 and 3.0–3.9`.
fn known_lines() -> String {
    line_ranges(crate::model::prefect::Catalogue::lines())
}

fn line_ranges(lines: impl Iterator<Item = crate::model::prefect::Line>) -> String {
    let mut runs: Vec<(u32, u32, u32)> = Vec::new();
    for l in lines {
        match runs.last_mut() {
            Some((major, _, last)) if *major == l.major && *last + 1 == l.minor => *last = l.minor,
            _ => runs.push((l.major, l.minor, l.minor)),
        }
    }
    let parts: Vec<String> = runs
        .iter()
        .map(|(major, first, last)| {
            if first == last {
                format!("{major}.{first}")
            } else {
                format!("{major}.{first}–{major}.{last}")
            }
        })
        .collect();
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => parts.concat(),
    }
}

fn server(s: &Component, prefect: Option<(u32, u32, u32)>, diags: &mut Diagnostics) {
    let f = &s.fields;
    let replicas = f.get("replicas");
    if let Some(("sqlite", db)) = f.variant("database") {
        if let Some(r) = replicas.filter(|r| matches!(r.value, TVal::Int(n) if n > 1)) {
            diags.report(RuleError::SqliteReplicas {
                span: r.prov.span(),
                database: db.prov.span(),
            });
        }
        if let Some(("rolling", u)) = f.variant("update-strategy") {
            diags.report(RuleError::SqliteRollingUpdate {
                span: u.prov.span(),
                database: db.prov.span(),
            });
        }
        if let Some(a) = f.get("autoscaling") {
            diags.report(RuleError::SqliteAutoscaling {
                span: a.prov.span(),
                database: db.prov.span(),
            });
        }
    }
    if let (Some(i), Some(g)) = (f.get("ingress"), f.get("gateway")) {
        diags.report(RuleError::IngressAndGateway {
            span: g.prov.span(),
            ingress: i.prov.span(),
        });
    }
    wildcard_ui_host(f, diags);
    if let Some(g) = f.record("gateway")
        && g.get("class").is_none()
        && g.get("name").is_none()
    {
        let at = f.get("gateway").map(|t| t.prov.span()).unwrap_or(s.header);
        diags.report(RuleError::GatewayTarget { span: at });
    }
    if let Some(("postgres", pg)) = f.variant("database")
        && let TVal::Record(r) = &pg.value
    {
        let from_secret = |part| super::settings::postgres_from_secret(r, part);
        let host = r.get("host").is_some() || from_secret("host");
        match (r.get("url"), r.get("host")) {
            (Some(u), Some(h)) => diags.report(RuleError::PostgresUrlAndHost {
                span: h.prov.span(),
                url: u.prov.span(),
            }),
            (None, _) if !host => diags.report(RuleError::PostgresNoConnection {
                span: pg.prov.span(),
            }),
            (None, _) if r.get("password").is_none() && !from_secret("password") => {
                diags.report(RuleError::PostgresNoPassword {
                    span: pg.prov.span(),
                });
            }
            _ => {}
        }
    }
    if let Some(bg) = f.record("background-services")
        && bg.bool("separate") == Some(true)
    {
        let at = span_of(bg, "separate").unwrap_or(s.header);
        if bg.get("messaging").is_none() {
            diags.report(RuleError::SplitWithoutRedis { span: at });
        }
        if prefect.is_some_and(|p| p < SPLIT_SERVICES_SINCE) {
            diags.report(RuleError::SplitNeedsNewerPrefect { span: at });
        }
        if let Some(("sqlite", db)) = f.variant("database") {
            diags.report(RuleError::SqliteSplit {
                span: at,
                database: db.prov.span(),
            });
        }
        let coordinated = bg.get("docket-url").is_some()
            && prefect.is_some_and(|p| p >= DOCKET_COORDINATION_SINCE);
        if let Some(r) = bg.get("replicas")
            && matches!(r.value, TVal::Int(n) if n > 1)
            && !coordinated
        {
            diags.report(RuleError::UncoordinatedServiceReplicas {
                span: r.prov.span(),
                docket_since: format!(
                    "{}.{}.{}",
                    DOCKET_COORDINATION_SINCE.0,
                    DOCKET_COORDINATION_SINCE.1,
                    DOCKET_COORDINATION_SINCE.2
                ),
            });
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
        diags.report(RuleError::ServicesInEveryReplica {
            span: at.prov.span(),
        });
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
    let mut inapplicable = |t: &Typed, field: &'static str| {
        diags.report(RuleError::ClusterIpSetting {
            span: t.prov.span(),
            field,
            type_at: type_span,
        });
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

/// The UI's API URL is derived from the Ingress host or the first Gateway
/// hostname when `ui.api-url` is unset: a wildcard there is no address a
/// browser can call.
fn wildcard_ui_host(f: &Rec, diags: &mut Diagnostics) {
    let Some(ui) = f.record("ui") else { return };
    if ui.bool("enabled") == Some(false) || ui.get("api-url").is_some() {
        return;
    }
    let host = f.record("ingress").and_then(|i| i.get("host")).or_else(|| {
        f.record("gateway")
            .and_then(|g| g.list("hostnames").first())
    });
    if let Some(h) = host
        && let TVal::Str(text) = &h.value
        && let Some(domain) = text.strip_prefix("*.")
    {
        diags.report(RuleError::WildcardUiHost {
            span: h.prov.span(),
            domain: domain.to_string(),
        });
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
    let replacement = AgentReplacement {
        name: a.name.clone(),
        api: match f.variant("api") {
            Some((
                _,
                Typed {
                    value: TVal::Ref { name, .. },
                    ..
                },
            )) => AgentApi::Ref(name.clone()),
            Some((tag, _)) => AgentApi::Inline(tag.to_string()),
            None => AgentApi::Unknown,
        },
        pool: f.str("pool").unwrap_or("default-agent-pool").to_string(),
        queues: f.strings("queues").iter().map(|q| q.to_string()).collect(),
        limit: f.int("limit"),
    };
    let image_major = f
        .str("image")
        .and_then(crate::model::prefect::TagRelease::of_image)
        .map(crate::model::prefect::TagRelease::major);
    let Some(major) = image_major.or(prefect.map(|p| p.0)) else {
        return;
    };
    if major >= 3 {
        let site_prefect = site.fields.get("prefect").map(|t| t.prov.span());
        diags.report(RuleError::AgentOnPrefect3 {
            span: a.header,
            replacement,
            site_prefect,
        });
        return;
    }
    diags.report(RuleError::AgentDeprecated {
        span: a.header,
        replacement,
    });
}

/// A base job template is JSON in Prefect's format (`job_configuration`
/// and `variables`), and its job configuration is the worker type's: only a
/// kubernetes worker runs a Kubernetes `job_manifest`.
fn base_job_template(w: &Component, site_namespace: Option<&str>, diags: &mut Diagnostics) {
    let Some(("inline", t)) = w.fields.variant("base-job-template") else {
        return;
    };
    let TVal::Str(text) = &t.value else { return };
    let span = t.prov.span();
    let worker_type = w.fields.enum_("type");
    let json: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            diags.report(RuleError::TemplateNotJson {
                span,
                error: e.to_string(),
            });
            return;
        }
    };
    let Some(obj) = json.as_object() else {
        diags.report(RuleError::TemplateNotObject { span });
        return;
    };
    let missing: Vec<&str> = ["job_configuration", "variables"]
        .into_iter()
        .filter(|k| !obj.get(*k).is_some_and(serde_json::Value::is_object))
        .collect();
    if !missing.is_empty() {
        diags.report(RuleError::TemplateMissing {
            span,
            missing,
            worker_type: worker_type.map(str::to_string),
        });
        return;
    }
    pools::template_placeholders(&json, span, diags);
    let manifest = obj
        .get("job_configuration")
        .and_then(|c| c.get("job_manifest"));
    let Some(wt) = worker_type else { return };
    let type_at = w.fields.get("type").map(|t| t.prov.span());
    let worker_type = wt.to_string();
    match (wt, manifest) {
        ("kubernetes", None) => diags.report(RuleError::TemplateNoJobManifest {
            span,
            worker_type,
            type_at,
        }),
        ("kubernetes", Some(m)) => {
            let kind = m.get("kind").and_then(serde_json::Value::as_str);
            if let Some(kind) = kind.filter(|k| *k != "Job") {
                diags.report(RuleError::TemplateManifestNotJob {
                    span,
                    kind: kind.to_string(),
                    worker_type,
                    type_at,
                });
                return;
            }
            let rendered = job_template::rendered_manifest(&json);
            if let Some(refusal) = rendered.as_ref().and_then(job_template::worker_refusal) {
                diags.report(RuleError::TemplateRefusedByWorker {
                    span,
                    missing: refusal.missing,
                    incompatible: refusal.incompatible,
                });
            }
            for (path, container) in rendered
                .as_ref()
                .map(job_template::containers_without_image)
                .unwrap_or_default()
            {
                diags.report(RuleError::TemplateContainerWithoutImage {
                    span,
                    path,
                    container,
                });
            }
            pools::template_namespaces(w, &json, span, site_namespace, diags);
        }
        (_, Some(_)) => diags.report(RuleError::TemplateUnexpectedManifest {
            span,
            worker_type,
            type_at,
        }),
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
                diags.report(RuleError::IgnoredForWorkerType {
                    span: t.prov.span(),
                    field,
                    worker_type: wt.to_string(),
                    type_at: f.get("type").map(|ty| ty.prov.span()),
                });
            }
        }
    }
    if let Some(p) = f
        .get("dns-policy")
        .filter(|p| p.value == TVal::Enum("config-only".into()))
        && f.record("dns-config")
            .is_none_or(|d| d.strings("nameservers").is_empty())
    {
        diags.report(RuleError::DnsConfigOnlyWithoutServers {
            span: p.prov.span(),
        });
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
        diags.report(RuleError::UnscopedKeySecret {
            span: at,
            worker: w.header,
            name: w.name.clone(),
        });
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
        diags.report(RuleError::PrometheusRuleNoAlerts { span: at });
    }
}

/// The API URL a client is given, judged as Prefect will read it. A Cloud
/// API URL is built from the account and workspace IDs: empty ones give
/// `…/accounts//workspaces/` (the agent chart's default render), and
/// anything but a UUID is a workspace Cloud does not have. A customer-managed
/// Cloud's `api-url` is the installation's: the workspace URL users copy
/// would get the account and workspace path twice. A self-hosted URL with
/// no path is the server's UI address, not its API.
fn cloud_ids(c: &Component, diags: &mut Diagnostics) {
    let Some((tag, api)) = c.fields.variant("api") else {
        return;
    };
    let TVal::Record(r) = &api.value else { return };
    if tag == "self-hosted" {
        if let Some(t) = r.get("url")
            && let TVal::Str(url) = &t.value
            && url_path(url).is_empty()
        {
            diags.report(RuleError::SelfHostedUrlWithoutPath {
                span: t.prov.span(),
                url: url.clone(),
            });
        }
        return;
    }
    if !matches!(tag, "cloud" | "customer-cloud") {
        return;
    }
    for field in ["account", "workspace"] {
        let Some(t) = r.get(field) else { continue };
        let TVal::Str(s) = &t.value else { continue };
        if s.trim().is_empty() {
            diags.report(RuleError::EmptyCloudId {
                span: t.prov.span(),
                field,
                api: tag.to_string(),
            });
        } else if !is_uuid(s) {
            diags.report(RuleError::CloudIdNotUuid {
                span: t.prov.span(),
                field,
                value: s.clone(),
            });
        }
    }
    if let Some(t) = r.get("api-url")
        && let TVal::Str(url) = &t.value
        && let Some(i) = url.find("/accounts/")
    {
        diags.report(RuleError::CloudApiUrlWithWorkspace {
            span: t.prov.span(),
            installation: url[..i].to_string(),
        });
    }
}

/// `8-4-4-4-12` hexadecimal digits: how Prefect Cloud names accounts and
/// workspaces.
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The path of an `http(s)://host[:port]/path` URL, without its slashes at
/// the ends: empty for `http://host:4200` and `http://host:4200/`.
fn url_path(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    rest.split_once('/')
        .map_or("", |(_, p)| p.trim_matches('/'))
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
        diags.report(RuleError::AutoscalingMaxBelowMin {
            span: max.prov.span(),
            min_at: min.prov.span(),
            min: *lo,
            max: *hi,
        });
    }
    let Some(d) = f.record("disruption") else {
        return;
    };
    let pods = auto
        .and_then(|a| a.int("min"))
        .or_else(|| f.int("replicas"))
        .unwrap_or(1);
    let blocking = match (d.get("max-unavailable"), d.get("min-available")) {
        (Some(m), _) if m.value == TVal::Int(0) => Some((m, Blocking::NoneUnavailable)),
        (_, Some(m)) if matches!(m.value, TVal::Int(n) if n >= pods) => Some((
            m,
            if pods == 1 {
                Blocking::OnlyPod
            } else {
                Blocking::AllPods(pods)
            },
        )),
        _ => None,
    };
    if let Some((t, why)) = blocking {
        diags.report(RuleError::BlockingDisruptionBudget {
            span: t.prov.span(),
            why,
        });
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
        diags.report(RuleError::SeccompPathNotRelative {
            span: t.prov.span(),
            path: path.clone(),
        });
    }
}

fn root_contradiction(sec: &Rec, diags: &mut Diagnostics) {
    let (Some(user), Some(non_root)) = (sec.get("run-as-user"), sec.get("run-as-non-root")) else {
        return;
    };
    if user.value != TVal::Int(0) || non_root.value != TVal::Bool(true) {
        return;
    }
    let default_field = match &non_root.prov {
        Prov::Default { field, .. } => Some(field.to_string()),
        Prov::Source(_) => None,
    };
    diags.report(RuleError::RootContradiction {
        span: non_root.prov.span(),
        user: user.prov.span(),
        default_field,
    });
}

/// On OpenShift the restricted-v2 SCC assigns the user, group and fsGroup;
/// a value written for them is not emitted, so say so.
fn assigned_by_openshift(sec: &Rec, diags: &mut Diagnostics) {
    for field in ["run-as-user", "run-as-group", "fs-group"] {
        let Some(t) = sec.get(field).filter(|t| !t.prov.is_default()) else {
            continue;
        };
        diags.report(RuleError::IgnoredOnOpenShift {
            span: t.prov.span(),
            field,
        });
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
    // The components before each, by name (a scan of all those before
    // each was quadratic in the site's size).
    let mut before: HashMap<&str, Vec<&Component>> = HashMap::default();
    for c in site.components.iter().filter(|c| emitting(c.kind)) {
        let same = before.entry(c.name.as_str()).or_default();
        let clash = same.iter().find(|o| o.kind != c.kind).copied();
        same.push(c);
        if let Some(first) = clash {
            diags.report(RuleError::ObjectNameClash {
                span: c.name_span,
                name: c.name.clone(),
                kind: c.kind,
                first_kind: first.kind,
                first: first.name_span,
            });
        }
    }
}

#[cfg(test)]
mod line_range_tests {
    use super::line_ranges;
    use crate::model::prefect::Line;

    fn ranges(lines: &[&str]) -> String {
        line_ranges(lines.iter().map(|l| Line::parse(l).unwrap()))
    }

    #[test]
    fn runs_of_minors_of_one_major_are_ranges() {
        assert_eq!(ranges(&["3.0", "3.1", "3.2"]), "3.0–3.2");
        assert_eq!(ranges(&["3.4"]), "3.4");
        assert_eq!(ranges(&["2.20", "3.0", "3.1"]), "2.20 and 3.0–3.1");
        // A gap in one major, and the next major's minor that continues the count.
        assert_eq!(ranges(&["3.0", "3.2", "4.3"]), "3.0, 3.2 and 4.3");
        assert_eq!(ranges(&["3.3", "4.4"]), "3.3 and 4.4");
    }
}
