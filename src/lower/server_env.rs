//! The server's own Prefect settings: where its database is, and the
//! messaging and Docket settings its background services share.

use super::Ctx;
use super::backing;
use super::env::{Release, env, secret_env, string_or_secret_env, text_env};
use super::k8s::*;
use crate::model::Component;
use crate::model::Located;
use crate::model::prefect::Setting;
use crate::model::schema::{BackgroundServices, Database, Messaging, Server};

/// The environment that points Prefect at its database.
pub fn database_env(ctx: &Ctx, c: &Component, s: &Server, release: &Release) -> Vec<EnvVar> {
    // Prefect assembles the URL from its parts, so the password is never
    // spliced into a string by us. A release that reads no parts (Prefect
    // 2) gets a URL whose password Prefect fills in itself.
    let by_parts = Setting::DatabaseHost.env_name(release.version).is_ok();
    let parts = |driver: &str, host: String, port: i64, name: &Located<String>| {
        if !by_parts {
            return vec![url_template(driver, &host, port, &name.value)];
        }
        vec![
            env("PREFECT_SERVER_DATABASE_DRIVER", driver),
            env("PREFECT_SERVER_DATABASE_HOST", host),
            env("PREFECT_SERVER_DATABASE_PORT", port.to_string()),
            env("PREFECT_SERVER_DATABASE_NAME", name.value.clone()),
        ]
    };
    match &s.database.value {
        Database::Sqlite(_) => vec![env(
            "PREFECT_SERVER_DATABASE_CONNECTION_URL",
            "sqlite+aiosqlite:////data/prefect.db",
        )],
        Database::Postgres(p) => {
            if let Some(url) = &p.url {
                return vec![secret_env("PREFECT_SERVER_DATABASE_CONNECTION_URL", url)];
            }
            let host = p.host.as_ref().map(|h| h.value.clone()).unwrap_or_default();
            let mut v = parts(&p.driver, host, *p.port, &p.name);
            v.insert(
                0,
                string_or_secret_env(
                    if by_parts {
                        "PREFECT_SERVER_DATABASE_USER"
                    } else {
                        URL_USER
                    },
                    &p.user,
                ),
            );
            if by_parts {
                v.rotate_left(1);
            }
            if let Some(password) = &p.password {
                v.push(secret_env("PREFECT_SERVER_DATABASE_PASSWORD", password));
            }
            v
        }
        Database::PostgresInCluster(p) => {
            let host = backing::postgres_host(ctx, &c.name);
            let mut v = parts(
                backing::POSTGRES_DRIVER,
                host,
                backing::POSTGRES_PORT,
                &p.name,
            );
            let user = if by_parts {
                "PREFECT_SERVER_DATABASE_USER"
            } else {
                URL_USER
            };
            v.insert(0, text_env(user, &p.user));
            if by_parts {
                v.rotate_left(1);
            }
            v.push(secret_env("PREFECT_SERVER_DATABASE_PASSWORD", &p.password));
            v
        }
    }
}

/// The variable holding the database user for [`url_template`]: written or
/// from a Secret, it reaches the URL through Kubernetes' `$(VAR)` expansion.
const URL_USER: &str = "PREFECTC_DATABASE_USER";

/// A connection URL for a release that reads no URL parts (Prefect 2): the
/// user through Kubernetes' `$(VAR)` expansion of [`URL_USER`], declared
/// before it, and the password as `${PREFECT_API_DATABASE_PASSWORD}`, which
/// Prefect 2 fills in from that setting itself (its documented way to keep
/// the password out of the URL). Prefect does not escape it, so the
/// password must be URL-safe (docs/prefect-versions.md).
fn url_template(driver: &str, host: &str, port: i64, name: &str) -> EnvVar {
    env(
        "PREFECT_SERVER_DATABASE_CONNECTION_URL",
        format!("{driver}://$({URL_USER}):${{PREFECT_API_DATABASE_PASSWORD}}@{host}:{port}/{name}"),
    )
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
