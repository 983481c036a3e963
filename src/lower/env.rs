//! Environment variables: the user's `env` and `env-from`, Secret
//! references, and the variables that point a Prefect client at its API.

use crate::map::IndexMap;

use super::error::LowerError;
use super::k8s::*;
use super::meta::bool_text;
use super::{Ctx, Lowered};
use crate::diagnostics::did_you_mean;
use crate::model::api::ApiTarget;
use crate::model::prefect::{Catalogue, Setting, Status, Version, VersionSource, job_template};
use crate::model::schema::{
    Api, KeyPropagation, SecretNameOrConfigMapName, StringOrSecret, StringOrSecretOrConfigMap,
};
use crate::model::{Component, Located, Millis, Prov, SecretKeyRef};
use crate::source::Span;

pub const HOME: &str = "/home/prefect";

pub fn env(name: impl Into<Word>, value: impl Into<Word>) -> EnvVar {
    EnvVar {
        name: name.into(),
        value: Some(value.into()),
        value_from: None,
        prov: None,
    }
}

fn key_ref(name: &str, key: &str) -> KeyRef {
    KeyRef {
        name: name.to_string(),
        key: key.to_string(),
    }
}

/// `name` read from one key of a Secret.
pub fn secret_env(name: impl Into<Word>, secret: &Located<SecretKeyRef>) -> EnvVar {
    EnvVar {
        name: name.into(),
        value: None,
        value_from: Some(Box::new(EnvSource {
            secret_key_ref: Some(key_ref(&secret.name, &secret.key)),
            config_map_key_ref: None,
        })),
        prov: Some(secret.prov.clone()),
    }
}

/// `name` set to a written value, attributed to it.
pub fn text_env(name: impl Into<Word>, value: &Located<String>) -> EnvVar {
    EnvVar {
        prov: Some(value.prov.clone()),
        ..env(name, value.value.clone())
    }
}

/// `name` set to a written value or read from a Secret.
pub fn string_or_secret_env(name: impl Into<Word>, value: &Located<StringOrSecret>) -> EnvVar {
    match &value.value {
        StringOrSecret::String(s) => EnvVar {
            prov: Some(value.prov.clone()),
            ..env(name, s.clone())
        },
        StringOrSecret::Secret(s) => secret_env(
            name,
            &Located {
                value: s.clone(),
                prov: value.prov.clone(),
            },
        ),
    }
}

/// A variable of the user's `env`: a value, or a Secret or ConfigMap key.
pub fn env_value(name: impl Into<Word>, value: &Located<StringOrSecretOrConfigMap>) -> EnvVar {
    let (text, from) = match &value.value {
        StringOrSecretOrConfigMap::String(s) => (Some(Word::Owned(s.clone())), None),
        StringOrSecretOrConfigMap::Secret(s) => (
            None,
            Some(EnvSource {
                secret_key_ref: Some(key_ref(&s.name, &s.key)),
                config_map_key_ref: None,
            }),
        ),
        StringOrSecretOrConfigMap::ConfigMap(c) => (
            None,
            Some(EnvSource {
                secret_key_ref: None,
                config_map_key_ref: Some(key_ref(&c.name, c.key.as_deref().unwrap_or_default())),
            }),
        ),
    };
    EnvVar {
        name: name.into(),
        value: text,
        value_from: from.map(Box::new),
        prov: Some(value.prov.clone()),
    }
}

/// Appends a user `env` map to `vars`; a name already set is replaced in
/// place, so nothing is set twice.
pub fn merge_env(
    vars: &mut Vec<EnvVar>,
    user: &IndexMap<String, Located<StringOrSecretOrConfigMap>>,
) {
    // The place of each user name among `vars`, found in one pass over
    // `vars` with the user's map as the index (no map built per call): a
    // map of thousands of variables merges in linear time. The first
    // variable of a name is the one replaced.
    let mut at: Vec<Option<usize>> = vec![None; user.len()];
    for (i, e) in vars.iter().enumerate() {
        if let Some(j) = user.get_index_of(&*e.name) {
            at[j].get_or_insert(i);
        }
    }
    for ((name, value), at) in user.iter().zip(at) {
        let v = env_value(name.clone(), value);
        match at {
            Some(i) => vars[i] = v,
            None => vars.push(v),
        }
    }
}

/// A user `env` map.
pub type EnvMap = IndexMap<String, Located<StringOrSecretOrConfigMap>>;

/// Judges the user's `env` maps of a container before they are merged
/// into `derived` (the variables prefectc sets): a name prefectc sets is
/// refused (E0413, naming the field that sets it), since a user value
/// would silently replace the derived one; in a Prefect container
/// (`release`), a `PREFECT_*` name the release does not read is refused
/// (E0412, with a did-you-mean or the first release that reads it) and a
/// deprecated one is a warning naming its replacement (W0513).
pub fn judge_user_env(
    maps: &[&EnvMap],
    derived: &[&EnvVar],
    release: Option<&Release>,
    out: &mut Lowered,
) {
    for (name, value) in maps.iter().flat_map(|m| m.iter()) {
        let at = value.prov.span();
        if let Some(var) = derived.iter().find(|v| v.name == *name) {
            out.report(LowerError::DerivedVariable {
                at,
                variable: name.clone(),
                set_by: derived_by(&var.name),
                in_template: false,
            });
            continue;
        }
        if let Some(release) = release {
            judge_prefect_name(name, at, release.version, out);
        }
    }
}

/// Judges a `PREFECT_*` name a user gives Prefect `v` (other names pass):
/// one `v` does not read is refused (E0412, with a did-you-mean or the
/// first release that reads it), a deprecated one is a warning naming its
/// replacement (W0513).
fn judge_prefect_name(name: &str, at: Span, v: Version, out: &mut Lowered) {
    if !name.starts_with("PREFECT_") {
        return;
    }
    let catalogue = Catalogue::of(v);
    match catalogue.lookup(name, v).map(|r| (r.status, r.replacement)) {
        Some((Status::Setting | Status::Alias | Status::Logging, _)) => {}
        Some((Status::Deprecated, replacement)) => out.report(LowerError::DeprecatedSetting {
            at,
            variable: name.to_string(),
            release: v,
            replacement,
        }),
        None if Catalogue::integrations().lookup(name, v).is_some() => {}
        None => {
            let candidates = catalogue.names(v).chain(Catalogue::integrations().names(v));
            out.report(LowerError::UnknownSetting {
                at,
                variable: name.to_string(),
                release: v,
                suggestion: did_you_mean(name, candidates).map(str::to_string),
                first: Catalogue::first_release_reading(name).filter(|f| *f > v),
            })
        }
    }
}

/// Judges the environment a worker's inline base job template gives flow
/// runs (`template` is its JSON text, written at `at`), like a container's
/// `env`: the API connection the worker passes on to its flow runs is
/// refused (E0413: a template value would replace it), and `PREFECT_*`
/// names are judged against the worker's release, which flow runs are
/// taken to run too (docs/work-pools.md).
pub fn judge_template_env(
    template: &serde_json::Value,
    at: Span,
    release: &Release,
    out: &mut Lowered,
) {
    for name in job_template::env_names(template) {
        judge_flow_run_name(&name, at, true, release, out);
    }
}

/// Judges a pool's `flow-runs.env` like a template's environment; `HOME`
/// is refused too (the flow-run container's writable home).
pub fn judge_flow_run_env(map: &EnvMap, release: &Release, out: &mut Lowered) {
    for (name, value) in map {
        let at = value.prov.span();
        if name == "HOME" {
            out.report(LowerError::DerivedVariable {
                at,
                variable: name.clone(),
                set_by: derived_by(name),
                in_template: false,
            });
        } else {
            judge_flow_run_name(name, at, false, release, out);
        }
    }
}

/// One variable name of a flow run's environment, written at `at` (inside
/// a base job template when `in_template`).
fn judge_flow_run_name(
    name: &str,
    at: Span,
    in_template: bool,
    release: &Release,
    out: &mut Lowered,
) {
    let passed_on = Setting::of_name(name).filter(|s| {
        matches!(
            s,
            Setting::ApiUrl | Setting::ApiKey | Setting::ApiAuthString
        )
    });
    match passed_on {
        Some(setting) => out.report(LowerError::DerivedVariable {
            at,
            variable: name.to_string(),
            set_by: set_by(setting),
            in_template,
        }),
        None => judge_prefect_name(name, at, release.version, out),
    }
}

/// What decides a variable prefectc sets, for a user who sets it again.
fn derived_by(name: &str) -> &'static str {
    if let Some(setting) = Setting::of_name(name) {
        return set_by(setting);
    }
    match name {
        "HOME" => "(the writable home of the read-only image, /home/prefect)",
        "METRICS_PORT" => "port",
        "PAGINATION_LIMIT" => "pagination-limit",
        "PAGINATION_ENABLED" => "pagination",
        "PREFECT_CSRF_ENABLED" => "csrf",
        "PREFECT_KUBERNETES_CLUSTER_UID" => "cluster-uid",
        "PREFECT_INTEGRATIONS_KUBERNETES_OBSERVER_NAMESPACES" => "job-namespaces",
        "POOL" | "POOL_TYPE" => "pool",
        _ if name.starts_with("PREFECTC_DATABASE_") => "database",
        _ if name.starts_with("PREFECT_REDIS_MESSAGING_") => "background-services.messaging",
        _ if name.starts_with("PREFECT_INTEGRATIONS_KUBERNETES_WORKER_") => "api",
        _ => "(the component's settings)",
    }
}

/// `env-from`: whole Secrets and ConfigMaps, in the order written.
pub fn env_from(list: &[Located<SecretNameOrConfigMapName>]) -> Vec<EnvFromSource> {
    list.iter()
        .map(|source| match &source.value {
            SecretNameOrConfigMapName::SecretName(s) => EnvFromSource {
                secret_ref: Some(LocalObjectReference {
                    name: s.name.clone(),
                }),
                config_map_ref: None,
            },
            SecretNameOrConfigMapName::ConfigMapName(c) => EnvFromSource {
                secret_ref: None,
                config_map_ref: Some(LocalObjectReference {
                    name: c.name.clone(),
                }),
            },
        })
        .collect()
}

/// Whole seconds of a duration, rounded up, for the integer fields of the API.
pub fn whole_seconds(d: Millis) -> i64 {
    i64::try_from(d.whole_seconds()).unwrap_or(i64::MAX)
}

pub fn seconds_text(d: Millis) -> String {
    d.whole_seconds().to_string()
}

/// The environment that points a client at the Prefect API: URL,
/// credentials, and (for workers) Cloud key propagation.
pub struct ApiEnv {
    pub vars: Vec<EnvVar>,
    /// Auth variables, placed after the component's own settings.
    pub auth: Vec<EnvVar>,
}

/// The API variables of a client of `api`; `propagate` passes the
/// credentials on to the flow-run pods a Kubernetes worker starts.
pub fn api_env(ctx: &Ctx, api: &Located<Api>, propagate: bool) -> ApiEnv {
    let target: ApiTarget = ctx.site.api(api);
    let mut vars = vec![EnvVar {
        prov: Some(api.prov.clone()),
        ..env("PREFECT_API_URL", target.url(&ctx.namespace))
    }];
    let mut auth = Vec::new();
    if let Some(credentials) = target.basic_auth() {
        auth.push(secret_env("PREFECT_API_AUTH_STRING", credentials));
        if propagate {
            auth.push(env(
                "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_API_AUTH_STRING_SECRET_NAME",
                credentials.name.clone(),
            ));
            auth.push(env(
                "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_API_AUTH_STRING_SECRET_KEY",
                credentials.key.clone(),
            ));
        }
    }
    if let Some(key) = target.key() {
        vars.push(secret_env("PREFECT_API_KEY", key.key));
        if let Some(u) = key.cloud_api_url {
            vars.push(env("PREFECT_CLOUD_API_URL", u.to_string()));
        }
        if let Some(u) = key.cloud_ui_url {
            vars.push(env("PREFECT_CLOUD_UI_URL", u.to_string()));
        }
        if propagate {
            match key.propagation {
                KeyPropagation::SecretRef => {
                    vars.push(env(
                        "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_API_KEY_SECRET_NAME",
                        key.key.name.clone(),
                    ));
                    vars.push(env(
                        "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_API_KEY_SECRET_KEY",
                        key.key.key.clone(),
                    ));
                }
                KeyPropagation::CreateSecret => vars.push(env(
                    "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_CREATE_SECRET_FOR_API_KEY",
                    "true",
                )),
                KeyPropagation::Off => {}
            }
        }
    }
    ApiEnv { vars, auth }
}

/// The settings of a client that polls the API (worker or agent).
pub struct Polling<'a> {
    pub prefetch: Millis,
    pub query_interval: Millis,
    pub http2: bool,
    pub debug: bool,
    pub cluster_uid: Option<&'a str>,
    pub env: &'a IndexMap<String, Located<StringOrSecretOrConfigMap>>,
    /// The names of the prefetch and poll-interval variables.
    pub prefetch_var: &'static str,
    pub query_var: &'static str,
}

/// The environment of a polling client, in the charts' order: `HOME`,
/// prefetch and poll interval, HTTP/2, the API URL, the cluster UID, `extra`
/// (the observer namespaces of a worker), the remaining API variables, debug
/// mode, auth, and finally the user's `env`.
pub fn client_env(
    client: &Polling,
    api: &ApiEnv,
    extra: Vec<EnvVar>,
    release: &Release,
    out: &mut Lowered,
) -> Vec<EnvVar> {
    let mut vars = vec![
        env("HOME", HOME),
        env(client.prefetch_var, seconds_text(client.prefetch)),
        env(client.query_var, seconds_text(client.query_interval)),
        env("PREFECT_API_ENABLE_HTTP2", bool_text(client.http2)),
    ];
    vars.extend(api.vars.iter().take(1).cloned());
    if let Some(uid) = client.cluster_uid {
        vars.push(env("PREFECT_KUBERNETES_CLUSTER_UID", uid.to_string()));
    }
    vars.extend(extra);
    vars.extend(api.vars.iter().skip(1).cloned());
    vars.push(env("PREFECT_DEBUG_MODE", bool_text(client.debug)));
    vars.extend(api.auth.iter().cloned());
    let mut vars = for_release(vars, release, out);
    judge_user_env(
        &[client.env],
        &vars.iter().collect::<Vec<_>>(),
        Some(release),
        out,
    );
    merge_env(&mut vars, client.env);
    vars
}

/// The Prefect release a container runs, and the component it belongs to.
pub struct Release<'a> {
    pub version: Version,
    pub source: VersionSource,
    pub component: &'a Component,
}

impl<'a> Release<'a> {
    /// The release a Prefect component runs (see [`Component::prefect`]).
    pub fn of(ctx: &Ctx, component: &'a Component) -> Release<'a> {
        let (version, source) = component
            .prefect(ctx.site)
            .unwrap_or((ctx.site.prefect(), VersionSource::Site));
        Release {
            version,
            source,
            component,
        }
    }
}

/// The `.pfk` field that decides a derived setting: where a problem with
/// it is reported, and what a user's `env` entry of the same name is told
/// to set instead.
pub fn set_by(setting: Setting) -> &'static str {
    match setting {
        Setting::ApiUrl => "api",
        Setting::ApiKey => "api.key",
        Setting::ApiEnableHttp2 => "http2",
        // A client's credentials come with its `api` (a site server's
        // `auth`, or `auth` of a `self-hosted` one); the server's own from
        // its `auth`.
        Setting::ApiAuthString => "api",
        Setting::ServerAuthString => "auth",
        Setting::ServerHost => "(the server listens on every address)",
        Setting::ServerPort => "port",
        Setting::ServerBasePath => "base-path",
        Setting::DatabaseConnectionUrl
        | Setting::DatabaseDriver
        | Setting::DatabaseHost
        | Setting::DatabasePort
        | Setting::DatabaseName
        | Setting::DatabaseUser
        | Setting::DatabasePassword => "database",
        Setting::DatabaseMigrateOnStart => "background-services.separate",
        Setting::UiApiUrl => "ui.api-url",
        Setting::UiStaticDirectory => "ui.static-directory",
        Setting::UiEnabled => "ui.enabled",
        Setting::DebugMode => "debug",
        Setting::ServerLogLevel => "log-level",
        Setting::MessagingBroker
        | Setting::MessagingCache
        | Setting::EventsCausalOrdering
        | Setting::ConcurrencyLeaseStorage => "background-services.messaging",
        Setting::DocketUrl => "background-services.docket-url",
        Setting::CloudApiUrl | Setting::CloudUiUrl => "api",
        Setting::WorkerQuerySeconds | Setting::AgentQueryInterval => "query-interval",
        Setting::WorkerPrefetchSeconds | Setting::AgentPrefetchSeconds => "prefetch",
        Setting::WorkerWebserverPort => "healthcheck-port",
    }
}

/// Where to report a problem with a derived variable: the value it came
/// from, else the field that decides it when written, else the component.
fn report_at(var: &EnvVar, field: &str, c: &Component) -> Span {
    if let Some(Prov::Source(span)) = &var.prov {
        return *span;
    }
    let nested = format!("{field}.");
    c.written
        .iter()
        .find(|w| *w.path == field || w.path.starts_with(&nested))
        .map(|w| w.span)
        .unwrap_or(c.header)
}

/// Names the Prefect settings among `vars` as `release` reads them (Prefect
/// 2 reads the database URL as `PREFECT_API_DATABASE_CONNECTION_URL`,
/// Prefect 3 as `PREFECT_SERVER_DATABASE_CONNECTION_URL`). A setting the
/// release does not read at all is an error at the field that asks for it,
/// naming the first release that reads it, with two exceptions that lose
/// nothing: the API base path `/api` (where every release serves its API)
/// and the Docket URL (background services coordinate without Docket
/// before it exists), which are left out, the latter with a warning.
pub fn for_release(mut vars: Vec<EnvVar>, release: &Release, out: &mut Lowered) -> Vec<EnvVar> {
    // In place: the list is not copied for each container.
    vars.retain_mut(|var| {
        let Some(setting) = Setting::of_name(&var.name) else {
            return true;
        };
        match setting.env_name(release.version) {
            Ok(name) => {
                var.name = name.into();
                true
            }
            Err(_)
                if setting == Setting::ServerBasePath && var.value.as_deref() == Some("/api") =>
            {
                false
            }
            Err(not_read) => {
                let field = set_by(setting);
                let at = report_at(var, field, release.component);
                out.report(LowerError::NotReadByRelease {
                    at,
                    variable: var.name.to_string(),
                    field,
                    release: release.version,
                    pinned_by_image: release.source == VersionSource::ImageTag,
                    first: not_read.first,
                    last: not_read.last,
                    left_out: setting == Setting::DocketUrl,
                });
                false
            }
        }
    });
    vars
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    /// A name prefectc has no reason on record for is described generically,
    /// never attributed to a field that does not set it (every variable
    /// prefectc derives has its reason: tests/derived_env.rs).
    #[test]
    fn a_name_without_a_reason_is_attributed_to_no_field() {
        assert_eq!(derived_by("SOMETHING_ELSE"), "(the component's settings)");
        assert_eq!(derived_by("PREFECTC_DATABASE_PORT"), "database");
    }

    /// A variable set to a written value is attributed to where it is
    /// written, as a finding about it must point there.
    #[test]
    fn a_written_value_s_variable_is_attributed_to_it() {
        let at = Prov::Source(Span::new(FileId(0), 10, 20));
        let text = Located {
            value: "prefect".to_string(),
            prov: at.clone(),
        };
        assert_eq!(text_env("USER", &text).prov, Some(at.clone()));
        let either = Located {
            value: StringOrSecret::String("prefect".into()),
            prov: at.clone(),
        };
        assert_eq!(string_or_secret_env("USER", &either).prov, Some(at));
    }
}
