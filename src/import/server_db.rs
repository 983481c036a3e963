//! The server's database and Redis (docs/import-mapping.md S104–S143), in
//! the chart's order of precedence: SQLite, a connection string, a
//! connection string from a Secret, the URL's parts, the legacy `secret.*`
//! block, the bundled PostgreSQL.

use super::common::changed;
use super::pfk::{Block, Pfk};
use super::reader::Reader;

/// Where the imported server keeps its state.
#[derive(Debug, Clone, PartialEq)]
pub enum Database {
    Sqlite(Block),
    Postgres(Block),
    InCluster(Block),
}

impl Database {
    /// The `database = …` value.
    pub fn pfk(&self) -> Pfk {
        match self {
            Database::Sqlite(b) => Pfk::Variant("sqlite".into(), b.clone()),
            Database::Postgres(b) => Pfk::Variant("postgres".into(), b.clone()),
            Database::InCluster(b) => Pfk::Variant("postgres.in-cluster".into(), b.clone()),
        }
    }
}

/// Reads the database keys.
pub fn database(r: &mut Reader, name: &str, release: &str) -> Option<Database> {
    let db = if r.bool("sqlite.enabled").is_some_and(|e| e.value) {
        Some(sqlite(r))
    } else if r.string("externalDatabase.connectionString").is_some() {
        let mut b = Block::default();
        b.set(
            "url",
            r.credential(
                "externalDatabase.connectionString",
                &format!("{name}-database"),
                "connection-string",
                "the database URL (it carries the password)",
            ),
        );
        Some(Database::Postgres(b))
    } else if let Some(key) = r.string("externalDatabase.connectionStringSecretKey") {
        let secret = existing_secret(r)?;
        let mut b = Block::default();
        b.set("url", Pfk::Secret(secret, Some(key.value)));
        Some(Database::Postgres(b))
    } else if external_parts_set(r) {
        Some(Database::Postgres(external_parts(r, name)?))
    } else if !r.bool("postgresql.enabled").is_none_or(|e| e.value) {
        Some(Database::Postgres(legacy_secret(r, name)?))
    } else {
        Some(in_cluster(r, release))
    };
    for key in ["sqlite", "externalDatabase", "secret", "postgresql.enabled"] {
        r.consume(key);
    }
    if !matches!(db, Some(Database::InCluster(_))) {
        r.consume("postgresql");
    }
    db
}

fn sqlite(r: &mut Reader) -> Database {
    let mut b = Block::default();
    if let Some(size) = changed(r.string("sqlite.persistence.size"), &"1Gi".to_string()) {
        b.set_opt(
            "size",
            super::common::quantity_at(r, "sqlite.persistence.size", &size),
        );
    }
    if let Some(class) = r.string("sqlite.persistence.storageClassName") {
        b.set("storage-class", Pfk::Str(class.value));
    }
    if r.bool("sqlite.persistence.enabled")
        .is_some_and(|e| !e.value)
    {
        r.not_imported(
            "sqlite.persistence.enabled",
            "prefectc always keeps SQLite on its PersistentVolumeClaim",
            None,
        );
    }
    Database::Sqlite(b)
}

/// `externalDatabase.existingSecret`, required by the `*SecretKey` keys (V15).
fn existing_secret(r: &mut Reader) -> Option<String> {
    match r.string("externalDatabase.existingSecret") {
        Some(s) => Some(s.value),
        None => {
            r.refuse(
                "externalDatabase",
                "a `*SecretKey` without `externalDatabase.existingSecret` (the chart refuses it too)",
                "set `externalDatabase.existingSecret` to the Secret holding the keys",
            );
            None
        }
    }
}

const PARTS: [&str; 10] = [
    "host",
    "hostSecretKey",
    "port",
    "portSecretKey",
    "name",
    "nameSecretKey",
    "username",
    "usernameSecretKey",
    "password",
    "passwordSecretKey",
];

fn external_parts_set(r: &mut Reader) -> bool {
    PARTS
        .iter()
        .any(|p| r.string(&format!("externalDatabase.{p}")).is_some())
}

/// The connection's parts and where each is read from (S105–S117): the
/// `.pfk` part, the chart's `*SecretKey`, its literal key, and the key
/// `PostgresKeys` reads when written nothing (`None`: read from no key).
const SECRET_PARTS: [(&str, &str, &str, Option<&str>); 6] = [
    ("host", "hostSecretKey", "host", Some("host")),
    ("port", "portSecretKey", "port", None),
    ("name", "nameSecretKey", "name", Some("dbname")),
    ("user", "usernameSecretKey", "username", Some("user")),
    (
        "password",
        "passwordSecretKey",
        "password",
        Some("password"),
    ),
    ("driver", "driverSecretKey", "driver", None),
];

/// The parts with the host, port, name or driver in `existingSecret`:
/// `postgres { secret = secret("<existingSecret>"), keys { … } }`, every
/// part read from its `*SecretKey` or written as the chart's literal
/// (its key then `none`).
fn secret_parts(r: &mut Reader, name: &str) -> Option<Block> {
    let secret = existing_secret(r)?;
    let mut b = Block::default();
    b.set("secret", Pfk::Secret(secret, None));
    let mut keys = Block::default();
    for (part, secret_key, literal, default_key) in SECRET_PARTS {
        if let Some(key) = r.string(&format!("externalDatabase.{secret_key}")) {
            keys.set(part, Pfk::Str(key.value));
            continue;
        }
        if default_key.is_some() {
            keys.set(part, Pfk::Raw("none".into()));
        }
        let path = format!("externalDatabase.{literal}");
        match part {
            "port" => {
                if let Some(port) = r.int(&path).filter(|p| p.value != 5432) {
                    b.set("port", Pfk::Int(port.value));
                }
            }
            "password" => {
                if r.string(&path).is_some() {
                    let p = r.credential(
                        &path,
                        &format!("{name}-database"),
                        "password",
                        "the database password",
                    );
                    b.set("password", p);
                }
            }
            _ => {
                if let Some(v) = r.string(&path) {
                    b.set(part, Pfk::Str(v.value));
                }
            }
        }
    }
    b.set_block("keys", keys);
    Some(b)
}

/// The URL in parts: literal values, or keys of `existingSecret`.
fn external_parts(r: &mut Reader, name: &str) -> Option<Block> {
    let in_secret = [
        "hostSecretKey",
        "portSecretKey",
        "nameSecretKey",
        "driverSecretKey",
    ]
    .iter()
    .any(|k| r.string(&format!("externalDatabase.{k}")).is_some());
    if in_secret {
        return secret_parts(r, name);
    }
    let mut b = Block::default();
    let secret = r.string("externalDatabase.existingSecret").map(|s| s.value);
    let from_secret = |r: &mut Reader, key: &str| {
        r.string(&format!("externalDatabase.{key}"))
            .map(|k| k.value)
    };
    if let Some(host) = r.string("externalDatabase.host") {
        b.set("host", Pfk::Str(host.value));
    }
    if let Some(port) = r.int("externalDatabase.port").filter(|p| p.value != 5432) {
        b.set("port", Pfk::Int(port.value));
    }
    if let Some(db) = r.string("externalDatabase.name") {
        b.set("name", Pfk::Str(db.value));
    }
    match (
        from_secret(r, "usernameSecretKey"),
        r.string("externalDatabase.username"),
    ) {
        (Some(key), _) => b.set("user", Pfk::Secret(secret.clone()?, Some(key))),
        (None, Some(user)) => b.set("user", Pfk::Str(user.value)),
        (None, None) => {}
    }
    if let Some(key) = from_secret(r, "passwordSecretKey") {
        b.set("password", Pfk::Secret(secret?, Some(key)));
    } else if r.string("externalDatabase.password").is_some() {
        let p = r.credential(
            "externalDatabase.password",
            &format!("{name}-database"),
            "password",
            "the database password",
        );
        b.set("password", p);
    }
    if let Some(driver) = r.string("externalDatabase.driver") {
        b.set("driver", Pfk::Str(driver.value));
    }
    Some(b)
}

/// The legacy `secret.*` block (S118–S121).
fn legacy_secret(r: &mut Reader, name: &str) -> Option<Block> {
    let mut b = Block::default();
    if !r.bool("secret.create").is_none_or(|c| c.value) {
        let secret = r
            .string("secret.name")
            .map_or_else(|| format!("{name}-postgresql-connection"), |s| s.value);
        b.set("url", Pfk::Secret(secret, Some("connection-string".into())));
        return Some(b);
    }
    r.consume("secret.name");
    let Some(host) = r.string("secret.host") else {
        r.refuse(
            "postgresql.enabled",
            "no database: the bundled PostgreSQL is off and nothing else is set (the chart refuses this too)",
            "set `externalDatabase.*`, or `secret.host`, `secret.port`, `secret.database`, `secret.username`",
        );
        return None;
    };
    b.set("host", Pfk::Str(host.value));
    if let Some(port) = r.int("secret.port").filter(|p| p.value != 5432) {
        b.set("port", Pfk::Int(port.value));
    }
    if let Some(db) = r.string("secret.database") {
        b.set("name", Pfk::Str(db.value));
    }
    if let Some(user) = r.string("secret.username") {
        b.set("user", Pfk::Str(user.value));
    }
    if r.string("secret.password").is_some() {
        let p = r.credential(
            "secret.password",
            &format!("{name}-database"),
            "password",
            "the database password",
        );
        b.set("password", p);
    }
    Some(b)
}

/// The bundled PostgreSQL (S122–S131): prefectc's in-cluster PostgreSQL,
/// with the password the subchart keeps in `<release>-postgresql`.
fn in_cluster(r: &mut Reader, release: &str) -> Database {
    let mut b = Block::default();
    let secret = format!("{release}-postgresql");
    let password = match r.string("postgresql.auth.existingSecret") {
        Some(existing) => {
            r.consume("postgresql.auth.password");
            Pfk::Secret(existing.value, Some("password".into()))
        }
        None => r.credential(
            "postgresql.auth.password",
            &secret,
            "password",
            "the bundled PostgreSQL's password (a running release already has this Secret)",
        ),
    };
    b.set("password", password);
    if let Some(user) = changed(r.string("postgresql.auth.username"), &"prefect".to_string()) {
        b.set("user", Pfk::Str(user));
    }
    let db = r
        .string("postgresql.auth.database")
        .map_or_else(|| "server".to_string(), |d| d.value);
    if db != "prefect" {
        b.set("name", Pfk::Str(db));
    }
    let persistence = r.bool("postgresql.primary.persistence.enabled");
    if persistence.is_some_and(|p| p.value) {
        if let Some(size) = r.string("postgresql.primary.persistence.size") {
            let p = "postgresql.primary.persistence.size";
            b.set_opt("size", super::common::quantity_at(r, p, &size.value));
        }
        if let Some(class) = r.string("postgresql.primary.persistence.storageClass") {
            b.set("storage-class", Pfk::Str(class.value));
        }
    }
    r.consume("postgresql.primary.persistence");
    Database::InCluster(b)
}

/// The Redis of separate background services (S132, S138–S141).
pub fn messaging(r: &mut Reader, name: &str, release: &str, bundled: bool) -> Option<Pfk> {
    let base = "backgroundServices.messaging.redis";
    if let Some(host) = r.string(&format!("{base}.host")) {
        let mut b = Block::default();
        b.set("host", Pfk::Str(host.value));
        if let Some(port) = changed(r.int(&format!("{base}.port")), &6379) {
            b.set("port", Pfk::Int(port));
        }
        if let Some(db) = changed(r.int(&format!("{base}.db")), &0) {
            b.set("db", Pfk::Int(db));
        }
        if let Some(user) = r.string(&format!("{base}.username")) {
            b.set("user", Pfk::Str(user.value));
        }
        if let Some(ssl) = changed(r.bool(&format!("{base}.ssl")), &false) {
            b.set("ssl", Pfk::Bool(ssl));
        }
        let key = r
            .string(&format!("{base}.existingSecretPasswordKey"))
            .map_or_else(|| "redis-password".to_string(), |k| k.value);
        if let Some(secret) = r.string(&format!("{base}.existingSecret")) {
            r.consume(&format!("{base}.password"));
            b.set("password", Pfk::Secret(secret.value, Some(key)));
        } else if r.string(&format!("{base}.password")).is_some() {
            let p = r.credential(
                &format!("{base}.password"),
                &format!("{name}-redis"),
                "password",
                "the Redis password",
            );
            b.set("password", p);
        }
        return Some(Pfk::Variant("redis".into(), b));
    }
    r.consume(base);
    if !bundled {
        return None;
    }
    let mut b = Block::default();
    let secret = format!("{release}-redis");
    let password = if r.string("redis.auth.password").is_some() {
        r.credential(
            "redis.auth.password",
            &secret,
            "redis-password",
            "the Redis password",
        )
    } else {
        r.secret_to_create(
            &secret,
            "redis-password",
            None,
            "the bundled Redis's password (a running release already has this Secret)",
        );
        Pfk::Secret(secret, Some("redis-password".into()))
    };
    b.set("password", password);
    Some(Pfk::Variant("redis.in-cluster".into(), b))
}
