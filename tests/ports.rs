//! Ports and options oracle: sites built with NON-default ports and options
//! (server port 4300 and base path `/prefect/api`, PostgreSQL on 6543 by
//! host and port or by URL, Redis on 6390 with TLS, in-cluster PostgreSQL and
//! Redis), judged from the emitted YAML against what the `.pfk` says:
//!
//! - every Prefect client (worker, agent, exporter) gets
//!   `PREFECT_API_URL = http://<service>.<namespace>.svc.cluster.local:<port><base-path>`;
//! - the server's Service port, the container port its `targetPort` names,
//!   `PREFECT_SERVER_API_PORT` and the probes all use the server's port, and
//!   the probes' paths start with the base path;
//! - the server, background services and migrations get the database
//!   host/port, and the server and background services the Redis
//!   host/port/db/TLS settings (`PREFECT_REDIS_MESSAGING_*`, Prefect's names);
//! - the exporter process is told its port (`METRICS_PORT`), which the
//!   container port, Service and probes use;
//! - each NetworkPolicy allows exactly the ports these imply, nothing more.
//!
//! The expected values are written here from the site text, never taken
//! from the compiler.

mod support;

use std::collections::BTreeSet;

use serde_yaml::Value;
use support::{build_text, env_value, find, kind, objects, pod_template, seq};

const NS: &str = "prefect";

/// What the site text says, so what the YAML must carry.
struct Expect {
    server: &'static str,
    port: u16,
    base_path: &'static str,
    db_host: Option<&'static str>,
    /// None for SQLite.
    db_port: Option<u16>,
    /// host, port, db, ssl
    redis: Option<(&'static str, u16, u16, bool)>,
    /// Deployments that are Prefect clients of the server, and whether each
    /// calls the Kubernetes API (kubernetes workers and agents: egress to 443
    /// and 6443, `docs/policy.md`).
    clients: &'static [(&'static str, bool)],
}

fn api_url(e: &Expect) -> String {
    format!(
        "http://{}.{NS}.svc.cluster.local:{}{}",
        e.server, e.port, e.base_path
    )
}

fn main_container(workload: &Value) -> &Value {
    &pod_template(workload).expect("a workload")["spec"]["containers"][0]
}

/// (protocol, port) of a `ports` list in a NetworkPolicy rule.
fn rule_ports(rule: &Value) -> BTreeSet<(String, u64)> {
    seq(&rule["ports"])
        .iter()
        .map(|p| {
            (
                p["protocol"].as_str().unwrap_or("TCP").to_string(),
                p["port"].as_u64().expect("numeric NetworkPolicy ports"),
            )
        })
        .collect()
}

/// Every TCP port a policy allows in one direction, DNS left out.
fn allowed_tcp(policy: &Value, direction: &str) -> BTreeSet<u64> {
    seq(&policy["spec"][direction])
        .iter()
        .flat_map(rule_ports)
        .filter(|(proto, port)| !(*port == 53 && (proto == "UDP" || proto == "TCP")))
        .map(|(_, port)| port)
        .collect()
}

fn set(ports: &[u16]) -> BTreeSet<u64> {
    ports.iter().map(|&p| u64::from(p)).collect()
}

/// The container port a Service's targetPort reaches in `container`.
fn target_port(container: &Value, target: &Value) -> Option<u64> {
    if let Some(n) = target.as_u64() {
        return Some(n);
    }
    let name = target.as_str()?;
    seq(&container["ports"])
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["containerPort"].as_u64())
}

fn check_site(text: &str, e: &Expect) {
    let out = build_text(text);
    let all = objects(&out, "the site");
    let mut failures = Vec::new();
    let mut check = |ok: bool, what: String| {
        if !ok {
            failures.push(what);
        }
    };

    // Clients find the API at the server's Service, namespace, port and path.
    let url = api_url(e);
    for (client, _) in e.clients {
        let d = all
            .iter()
            .find(|o| kind(o) == "Deployment" && support::name(o) == *client)
            .unwrap_or_else(|| panic!("no Deployment/{client}"));
        let got = env_value(main_container(d), "PREFECT_API_URL");
        check(
            got == Some(url.as_str()),
            format!("{client}: PREFECT_API_URL is {got:?}, wanted {url}"),
        );
    }

    // The server listens, is served and is probed on its port.
    let server = find(&all, "Deployment", e.server);
    let sc = main_container(server);
    let service = find(&all, "Service", e.server);
    let sp = &service["spec"]["ports"][0];
    check(
        sp["port"].as_u64() == Some(e.port.into()),
        format!("Service port is {:?}, wanted {}", sp["port"], e.port),
    );
    check(
        target_port(sc, &sp["targetPort"]) == Some(e.port.into()),
        format!(
            "Service targetPort {:?} does not reach container port {}",
            sp["targetPort"], e.port
        ),
    );
    let port_text = e.port.to_string();
    check(
        env_value(sc, "PREFECT_SERVER_API_PORT") == Some(port_text.as_str()),
        format!(
            "PREFECT_SERVER_API_PORT is {:?}",
            env_value(sc, "PREFECT_SERVER_API_PORT")
        ),
    );
    // Prefect 2 has no base path setting: it always serves `/api`.
    let prefect_2 = sc["image"]
        .as_str()
        .is_some_and(|i| i.contains("prefect:2."));
    let base_var = env_value(sc, "PREFECT_SERVER_API_BASE_PATH");
    check(
        base_var == Some(e.base_path) || (prefect_2 && base_var.is_none() && e.base_path == "/api"),
        format!("PREFECT_SERVER_API_BASE_PATH is {base_var:?}"),
    );
    for probe in ["startupProbe", "livenessProbe", "readinessProbe"] {
        let get = &sc[probe]["httpGet"];
        check(
            target_port(sc, &get["port"]) == Some(e.port.into()),
            format!("{probe} port is {:?}, wanted {}", get["port"], e.port),
        );
        let path = get["path"].as_str().unwrap_or_default();
        check(
            path.starts_with(&format!("{}/", e.base_path)),
            format!("{probe} path {path:?} is not under {}", e.base_path),
        );
    }

    // The database and Redis settings reach every container that needs them.
    let db_port = e.db_port.map(|p| p.to_string()).unwrap_or_default();
    let bg = format!("{}-background-services", e.server);
    // The Job's name carries a hash of its spec; its NetworkPolicy's does not.
    let migrations = format!("{}-db-migrations", e.server);
    let is_migrations =
        |o: &Value| kind(o) == "Job" && support::name(o).starts_with(&format!("{migrations}-"));
    let mut db_users: Vec<&Value> = vec![server];
    db_users.extend(
        all.iter()
            .filter(|o| (kind(o) == "Deployment" && support::name(o) == bg) || is_migrations(o)),
    );
    for w in &db_users {
        let c = main_container(w);
        let who = support::name(w);
        if let Some(host) = e.db_host {
            check(
                env_value(c, "PREFECT_SERVER_DATABASE_HOST") == Some(host),
                format!(
                    "{who}: PREFECT_SERVER_DATABASE_HOST is {:?}",
                    env_value(c, "PREFECT_SERVER_DATABASE_HOST")
                ),
            );
            check(
                env_value(c, "PREFECT_SERVER_DATABASE_PORT") == Some(db_port.as_str()),
                format!(
                    "{who}: PREFECT_SERVER_DATABASE_PORT is {:?}, wanted {db_port}",
                    env_value(c, "PREFECT_SERVER_DATABASE_PORT")
                ),
            );
        }
    }
    for w in db_users.iter().filter(|w| kind(w) == "Deployment") {
        let c = main_container(w);
        let who = support::name(w);
        let Some((host, port, db, ssl)) = e.redis else {
            break;
        };
        let env = |n: &str| env_value(c, n).map(str::to_ascii_lowercase);
        let want = [
            ("PREFECT_REDIS_MESSAGING_HOST", Some(host.to_string())),
            ("PREFECT_REDIS_MESSAGING_PORT", Some(port.to_string())),
            ("PREFECT_REDIS_MESSAGING_DB", Some(db.to_string())),
        ];
        for (var, value) in want {
            check(
                env(var) == value,
                format!("{who}: {var} is {:?}, wanted {value:?}", env(var)),
            );
        }
        // Prefect reads SSL as a boolean; unset means false.
        let got_ssl = env("PREFECT_REDIS_MESSAGING_SSL");
        let ok = if ssl {
            got_ssl.as_deref() == Some("true")
        } else {
            matches!(got_ssl.as_deref(), None | Some("false"))
        };
        check(
            ok,
            format!("{who}: PREFECT_REDIS_MESSAGING_SSL is {got_ssl:?}, wanted {ssl}"),
        );
    }

    // The NetworkPolicies allow exactly these ports.
    let redis_port = e.redis.map(|r| r.1);
    let mut server_egress: Vec<u16> = e.db_port.into_iter().chain([443]).collect();
    server_egress.extend(redis_port);
    let policy = |n: &str| find(&all, "NetworkPolicy", n);
    let mut want_policies: Vec<(String, &str, BTreeSet<u64>)> = vec![
        (e.server.into(), "ingress", set(&[e.port])),
        (e.server.into(), "egress", set(&server_egress)),
    ];
    if all
        .iter()
        .any(|o| kind(o) == "Deployment" && support::name(o) == bg)
    {
        want_policies.push((bg.clone(), "ingress", set(&[])));
        want_policies.push((bg.clone(), "egress", set(&server_egress)));
    }
    if all.iter().any(is_migrations) {
        let db: Vec<u16> = e.db_port.into_iter().collect();
        want_policies.push((migrations.clone(), "egress", set(&db)));
    }
    for (client, calls_kubernetes) in e.clients {
        let mut ports = vec![e.port];
        if *calls_kubernetes {
            ports.extend([443, 6443]);
        }
        want_policies.push((client.to_string(), "egress", set(&ports)));
    }
    for (name, direction, want) in want_policies {
        let got = allowed_tcp(policy(&name), direction);
        check(
            got == want,
            format!("NetworkPolicy {name} {direction}: allows {got:?}, wanted {want:?}"),
        );
    }
    // Clients reach the server's pods on its port, by selector.
    for (client, _) in e.clients {
        let to_server = seq(&policy(client)["spec"]["egress"])
            .iter()
            .filter(|r| {
                seq(&r["to"]).iter().any(|peer| {
                    peer["podSelector"]["matchLabels"]["app.kubernetes.io/instance"] == e.server
                })
            })
            .flat_map(rule_ports)
            .map(|(_, p)| p)
            .collect::<BTreeSet<_>>();
        check(
            to_server == set(&[e.port]),
            format!("{client}: egress to the server's pods on {to_server:?}"),
        );
    }

    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const SITE: &str = "site demo {\n  namespace = \"prefect\"\n  prefect   = \"3.4.25\"\n}\n";

const CLIENTS: &str = r#"
pool jobs { type = kubernetes }
worker k8s {
  pool = jobs
  api  = prefect
}
worker scripts {
  pool = "scripts"
  type = process
  api  = prefect
}
exporter metrics { api = prefect }
"#;

#[test]
fn external_postgres_and_redis_on_other_ports() {
    let text = format!(
        r#"{SITE}
server prefect {{
  port      = 4300
  base-path = "/prefect/api"
  database  = postgres {{
    host     = "pg.db.svc.cluster.local"
    port     = 6543
    password = secret("prefect-db", "password")
  }}
  background-services {{
    separate  = true
    messaging = redis {{
      host     = "redis.cache.svc.cluster.local"
      port     = 6390
      db       = 3
      ssl      = true
      password = secret("prefect-redis", "password")
    }}
  }}
}}
{CLIENTS}"#
    );
    check_site(
        &text,
        &Expect {
            server: "prefect",
            port: 4300,
            base_path: "/prefect/api",
            db_host: Some("pg.db.svc.cluster.local"),
            db_port: Some(6543),
            redis: Some(("redis.cache.svc.cluster.local", 6390, 3, true)),
            clients: &[("k8s", true), ("scripts", false), ("metrics", false)],
        },
    );
}

#[test]
fn redis_without_tls_and_the_database_by_url() {
    let text = format!(
        r#"{SITE}
server prefect {{
  port     = 4301
  database = postgres {{ url = secret("prefect-db", "url"), port = 6543 }}
  background-services {{
    separate  = true
    messaging = redis {{ host = "redis.cache", port = 6391 }}
  }}
}}
{CLIENTS}"#
    );
    check_site(
        &text,
        &Expect {
            server: "prefect",
            port: 4301,
            base_path: "/api",
            db_host: None,
            db_port: Some(6543),
            redis: Some(("redis.cache", 6391, 0, false)),
            clients: &[("k8s", true), ("scripts", false), ("metrics", false)],
        },
    );
}

#[test]
fn in_cluster_postgres_and_redis() {
    let text = format!(
        r#"{SITE}
server prefect {{
  port      = 4300
  base-path = "/p/api"
  database  = postgres.in-cluster {{ password = secret("pg", "password") }}
  background-services {{
    separate  = true
    messaging = redis.in-cluster {{ password = secret("redis", "password"), db = 2 }}
  }}
}}
{CLIENTS}"#
    );
    check_site(
        &text,
        &Expect {
            server: "prefect",
            port: 4300,
            base_path: "/p/api",
            db_host: Some("prefect-postgresql.prefect.svc.cluster.local"),
            db_port: Some(5432),
            redis: Some(("prefect-redis.prefect.svc.cluster.local", 6379, 2, false)),
            clients: &[("k8s", true), ("scripts", false), ("metrics", false)],
        },
    );
    // The in-cluster stores listen on the ports their Services and policies name.
    let all = objects(&build_text(&text), "the site");
    for (store, port) in [("prefect-postgresql", 5432u64), ("prefect-redis", 6379)] {
        let c = main_container(find(&all, "StatefulSet", store));
        let sp = &find(&all, "Service", store)["spec"]["ports"][0];
        assert_eq!(sp["port"].as_u64(), Some(port), "{store} Service port");
        assert_eq!(
            target_port(c, &sp["targetPort"]),
            Some(port),
            "{store} targetPort"
        );
        assert_eq!(
            allowed_tcp(find(&all, "NetworkPolicy", store), "ingress"),
            BTreeSet::from([port]),
            "{store} ingress"
        );
    }
}

/// A Prefect 2 agent is a client too.
#[test]
fn an_agent_finds_the_server_on_its_port() {
    let text = r#"site legacy {
  namespace = "prefect"
  prefect   = "2.20.14"
}
server prefect {
  port      = 4310
  database  = postgres { url = secret("pg", "url"), port = 6544 }
}
agent old { api = prefect }
"#;
    // A Prefect 2 server serves its API at /api, and reads the database
    // from one URL (tests/prefect_settings.rs checks the URL it is given).
    check_site(
        text,
        &Expect {
            server: "prefect",
            port: 4310,
            base_path: "/api",
            db_host: None,
            db_port: Some(6544),
            redis: None,
            clients: &[("old", true)],
        },
    );
}

/// The exporter's own port and Service port, and a renamed server port.
#[test]
fn the_exporter_port_and_a_renamed_service_port() {
    let text = format!(
        r#"{SITE}
server prefect {{
  port     = 4300
  database = sqlite {{}}
  service  {{ port-name = "api" }}
}}
exporter metrics {{
  api          = prefect
  port         = 9100
  service-port = 9200
}}
"#
    );
    check_site(
        &text,
        &Expect {
            server: "prefect",
            port: 4300,
            base_path: "/api",
            db_host: None,
            db_port: None,
            redis: None,
            clients: &[("metrics", false)],
        },
    );
    let all = objects(&build_text(&text), "the site");
    let exporter = main_container(find(&all, "Deployment", "metrics"));
    let sp = &find(&all, "Service", "metrics")["spec"]["ports"][0];
    assert_eq!(
        sp["port"].as_u64(),
        Some(9200),
        "the exporter's Service port"
    );
    assert_eq!(target_port(exporter, &sp["targetPort"]), Some(9100));
    for probe in ["livenessProbe", "readinessProbe"] {
        let p = &exporter[probe];
        let port = if p["httpGet"].is_null() {
            &p["tcpSocket"]["port"]
        } else {
            &p["httpGet"]["port"]
        };
        assert_eq!(target_port(exporter, port), Some(9100), "{probe}");
    }
    // The exporter process listens where METRICS_PORT says (8000 when
    // unset: prometheus-prefect-exporter's main.py).
    assert_eq!(
        env_value(exporter, "METRICS_PORT"),
        Some("9100"),
        "the exporter process must listen on the container port"
    );
    assert_eq!(
        allowed_tcp(find(&all, "NetworkPolicy", "metrics"), "ingress"),
        BTreeSet::from([9100]),
        "Prometheus scrapes the container port"
    );
}

/// Redis for the API pods alone (the services run inside them), base path
/// written with a trailing slash. (The messaging settings used to be dropped
/// unless the services ran separately: found by this oracle.)
#[test]
fn redis_for_the_api_pods_alone() {
    let text = format!(
        r#"{SITE}
server prefect {{
  port      = 4302
  base-path = "/prefect/api/"
  database  = postgres {{ host = "pg", port = 6545, password = secret("pg", "password") }}
  background-services {{
    messaging = redis {{ host = "redis", port = 6392, ssl = true }}
  }}
}}
{CLIENTS}"#
    );
    check_site(
        &text,
        &Expect {
            server: "prefect",
            port: 4302,
            base_path: "/prefect/api",
            db_host: Some("pg"),
            db_port: Some(6545),
            redis: Some(("redis", 6392, 0, true)),
            clients: &[("k8s", true), ("scripts", false), ("metrics", false)],
        },
    );
}

/// A base path written with a trailing slash is the same path.
#[test]
fn a_base_path_with_a_trailing_slash() {
    let text = format!(
        r#"{SITE}
server prefect {{
  port      = 4303
  base-path = "/prefect/api/"
  database  = postgres {{ host = "pg", port = 6546, password = secret("pg", "password") }}
}}
{CLIENTS}"#
    );
    check_site(
        &text,
        &Expect {
            server: "prefect",
            port: 4303,
            base_path: "/prefect/api",
            db_host: Some("pg"),
            db_port: Some(6546),
            redis: None,
            clients: &[("k8s", true), ("scripts", false), ("metrics", false)],
        },
    );
}

/// Clients of an API outside the site reach exactly the port of its URL
/// (443 for Prefect Cloud), and carry the URL they were given.
#[test]
fn clients_of_an_api_outside_the_site() {
    let text = format!(
        r#"{SITE}
worker custom {{
  pool = "p"
  type = process
  api  = customer-cloud {{ api-url = "https://prefect.internal.example.com:8443/api", account = "6e02a1db-07de-4760-a15f-ab1d3d3a2a0a", workspace = "54d7a7ea-3bb6-4d6e-9e05-1f1c1a7c9c52", key = secret("k", "key") }}
}}
worker selfhosted {{
  pool = "p"
  type = kubernetes
  api  = self-hosted {{ url = "http://prefect.other.svc:4201/api" }}
}}
worker cloud {{
  pool = "p"
  type = process
  api  = cloud {{ account = "6e02a1db-07de-4760-a15f-ab1d3d3a2a0a", workspace = "54d7a7ea-3bb6-4d6e-9e05-1f1c1a7c9c52", key = secret("k", "key") }}
}}
exporter metrics {{
  api  = self-hosted {{ url = "http://prefect.other.svc:4202/prefect/api" }}
  port = 9000
}}
"#
    );
    let all = objects(&build_text(&text), "the site");
    let cases: [(&str, Option<&str>, &[u16]); 4] = [
        (
            "custom",
            Some(
                "https://prefect.internal.example.com:8443/api/accounts/6e02a1db-07de-4760-a15f-ab1d3d3a2a0a/workspaces/54d7a7ea-3bb6-4d6e-9e05-1f1c1a7c9c52",
            ),
            &[8443],
        ),
        (
            "selfhosted",
            Some("http://prefect.other.svc:4201/api"),
            &[4201, 443, 6443],
        ),
        (
            "cloud",
            Some(
                "https://api.prefect.cloud/api/accounts/6e02a1db-07de-4760-a15f-ab1d3d3a2a0a/workspaces/54d7a7ea-3bb6-4d6e-9e05-1f1c1a7c9c52",
            ),
            &[443],
        ),
        (
            "metrics",
            Some("http://prefect.other.svc:4202/prefect/api"),
            &[4202],
        ),
    ];
    let mut failures = Vec::new();
    for (client, url, ports) in cases {
        let c = main_container(find(&all, "Deployment", client));
        let got = env_value(c, "PREFECT_API_URL");
        if let Some(url) = url
            && got != Some(url)
        {
            failures.push(format!(
                "{client}: PREFECT_API_URL is {got:?}, wanted {url}"
            ));
        }
        let allowed = allowed_tcp(find(&all, "NetworkPolicy", client), "egress");
        if allowed != set(ports) {
            failures.push(format!("{client}: egress {allowed:?}, wanted {ports:?}"));
        }
    }
    assert_eq!(
        allowed_tcp(find(&all, "NetworkPolicy", "metrics"), "ingress"),
        BTreeSet::from([9000])
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
