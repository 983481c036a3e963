//! The server's own Prefect settings: where its database is, and the
//! messaging and Docket settings its background services share.

use super::Ctx;
use super::backing;
use super::env::{Release, env, secret_env, string_or_secret_env, text_env};
use super::k8s::*;
use crate::model::Component;
use crate::model::Located;
use crate::model::SecretKeyRef;
use crate::model::prefect::Setting;
use crate::model::schema::{BackgroundServices, Database, Messaging, Postgres, Server};

/// One part of a PostgreSQL connection: written (or derived), or read from
/// a key of the `postgres` block's `secret`.
enum Part {
    /// A variable's value or source, under a name given by [`Part::var`].
    Written(EnvVar),
    Secret(Located<SecretKeyRef>),
}

impl Part {
    fn text(value: impl Into<Word>) -> Part {
        Part::Written(env("", value))
    }

    /// The part as the variable `name`.
    fn var(&self, name: impl Into<Word>) -> EnvVar {
        match self {
            Part::Written(v) => EnvVar {
                name: name.into(),
                ..v.clone()
            },
            Part::Secret(s) => secret_env(name, s),
        }
    }
}

/// The connection's parts; the password is always from a Secret.
struct Parts {
    driver: Part,
    host: Part,
    port: Part,
    name: Part,
    user: Part,
    password: Option<Part>,
}

/// The parts of an existing PostgreSQL: each from `secret` when `keys`
/// names a key for it, else as written.
fn postgres_parts(p: &Postgres) -> Parts {
    let from = |key: &Option<Located<String>>| {
        let (secret, key) = p.secret.as_ref().zip(key.as_ref())?;
        Some(Part::Secret(Located {
            value: SecretKeyRef {
                name: secret.name.clone(),
                key: key.value.clone(),
            },
            prov: secret.prov.clone(),
        }))
    };
    let k = &p.keys;
    Parts {
        driver: from(&k.driver).unwrap_or_else(|| Part::text(p.driver.value.clone())),
        host: from(&k.host).unwrap_or_else(|| {
            Part::text(p.host.as_ref().map(|h| h.value.clone()).unwrap_or_default())
        }),
        port: from(&k.port).unwrap_or_else(|| Part::text(p.port.to_string())),
        name: from(&k.name).unwrap_or_else(|| Part::text(p.name.value.clone())),
        user: from(&k.user).unwrap_or_else(|| Part::Written(string_or_secret_env("", &p.user))),
        password: from(&k.password).or_else(|| p.password.clone().map(Part::Secret)),
    }
}

/// The environment that points Prefect at its database.
pub fn database_env(ctx: &Ctx, c: &Component, s: &Server, release: &Release) -> Vec<EnvVar> {
    let parts = match &s.database.value {
        Database::Sqlite(_) => {
            return vec![env(
                "PREFECT_SERVER_DATABASE_CONNECTION_URL",
                "sqlite+aiosqlite:////data/prefect.db",
            )];
        }
        Database::Postgres(p) => {
            if let Some(url) = &p.url {
                return vec![secret_env("PREFECT_SERVER_DATABASE_CONNECTION_URL", url)];
            }
            postgres_parts(p)
        }
        Database::PostgresInCluster(p) => Parts {
            driver: Part::text(backing::POSTGRES_DRIVER),
            host: Part::text(backing::postgres_host(ctx, &c.name)),
            port: Part::text(backing::POSTGRES_PORT.to_string()),
            name: Part::text(p.name.value.clone()),
            user: Part::Written(text_env("", &p.user)),
            password: Some(Part::Secret(p.password.clone())),
        },
    };
    // Prefect assembles the URL from its parts, so the password is never
    // spliced into a string by us. A release that reads no parts (Prefect
    // 2) gets a URL whose password Prefect fills in itself.
    let mut v = if Setting::DatabaseHost.env_name(release.version).is_ok() {
        vec![
            parts.driver.var("PREFECT_SERVER_DATABASE_DRIVER"),
            parts.host.var("PREFECT_SERVER_DATABASE_HOST"),
            parts.port.var("PREFECT_SERVER_DATABASE_PORT"),
            parts.name.var("PREFECT_SERVER_DATABASE_NAME"),
            parts.user.var("PREFECT_SERVER_DATABASE_USER"),
        ]
    } else {
        url_template(&parts)
    };
    v.extend(
        parts
            .password
            .map(|p| p.var("PREFECT_SERVER_DATABASE_PASSWORD")),
    );
    v
}

/// The variable holding the database user for [`url_template`]: written or
/// from a Secret, it reaches the URL through Kubernetes' `$(VAR)` expansion.
const URL_USER: &str = "PREFECTC_DATABASE_USER";

/// A connection URL for a release that reads no URL parts (Prefect 2): the
/// user, and every part read from a Secret, through Kubernetes' `$(VAR)`
/// expansion of variables declared before it ([`URL_USER`],
/// `PREFECTC_DATABASE_<PART>`), and the password as
/// `${PREFECT_API_DATABASE_PASSWORD}`, which Prefect 2 fills in from that
/// setting itself (its documented way to keep the password out of the URL).
/// Prefect does not escape it, so the password must be URL-safe
/// (docs/prefect-versions.md).
fn url_template(parts: &Parts) -> Vec<EnvVar> {
    let mut v = vec![parts.user.var(URL_USER)];
    let mut text = |part: &Part, which: &str| match part {
        Part::Written(t) => t.value.as_deref().unwrap_or_default().to_string(),
        Part::Secret(_) => {
            let name = format!("PREFECTC_DATABASE_{which}");
            v.push(part.var(name.clone()));
            format!("$({name})")
        }
    };
    let driver = text(&parts.driver, "DRIVER");
    let host = text(&parts.host, "HOST");
    let port = text(&parts.port, "PORT");
    let name = text(&parts.name, "NAME");
    v.push(env(
        "PREFECT_SERVER_DATABASE_CONNECTION_URL",
        format!("{driver}://$({URL_USER}):${{PREFECT_API_DATABASE_PASSWORD}}@{host}:{port}/{name}"),
    ));
    v
}

/// The settings of separate background services, shared by the API and the
/// services' Deployment: migrations run elsewhere, then messaging.
pub fn split_env(ctx: &Ctx, c: &Component, bg: &BackgroundServices) -> Vec<EnvVar> {
    let mut v = vec![env("PREFECT_SERVER_DATABASE_MIGRATE_ON_START", "false")];
    v.extend(messaging_env(ctx, c, bg));
    v
}

/// Messaging and Docket settings, wherever the services run: written
/// `background-services { messaging = redis { … } }` reaches the API pods
/// even when the services run inside them.
pub fn messaging_env(ctx: &Ctx, c: &Component, bg: &BackgroundServices) -> Vec<EnvVar> {
    let mut v = Vec::new();
    if let Some(messaging) = &bg.messaging {
        v.push(env("PREFECT_MESSAGING_BROKER", "prefect_redis.messaging"));
        v.push(env("PREFECT_MESSAGING_CACHE", "prefect_redis.messaging"));
        v.push(env(
            "PREFECT_SERVER_EVENTS_CAUSAL_ORDERING",
            "prefect_redis.ordering",
        ));
        v.push(env(
            "PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE",
            "prefect_redis.lease_storage",
        ));
        let (host, port, ssl, db, user, password) = match &messaging.value {
            Messaging::Redis(r) => (
                r.host.value.clone(),
                *r.port,
                *r.ssl,
                *r.db,
                r.user.as_ref(),
                r.password.as_ref(),
            ),
            Messaging::RedisInCluster(r) => (
                backing::redis_host(ctx, &c.name),
                backing::REDIS_PORT,
                false,
                *r.db,
                None,
                Some(&r.password),
            ),
        };
        v.push(env("PREFECT_REDIS_MESSAGING_HOST", host));
        v.push(env("PREFECT_REDIS_MESSAGING_PORT", port.to_string()));
        if ssl {
            v.push(env("PREFECT_REDIS_MESSAGING_SSL", "true"));
        }
        v.push(env("PREFECT_REDIS_MESSAGING_DB", db.to_string()));
        if let Some(u) = user {
            v.push(env("PREFECT_REDIS_MESSAGING_USERNAME", u.value.clone()));
        }
        if let Some(p) = password {
            v.push(secret_env("PREFECT_REDIS_MESSAGING_PASSWORD", p));
        }
    }
    if let Some(d) = &bg.docket_url {
        v.push(secret_env("PREFECT_SERVER_DOCKET_URL", d));
    }
    v
}
