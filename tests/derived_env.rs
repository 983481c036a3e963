//! Derived environment oracle: prefectc never silently overrides what a
//! user writes. For one site per kind of component, every variable prefectc
//! puts in the environment of the main container (or of the init containers
//! it adds to a worker) is found in the emitted YAML, never taken from the
//! compiler's tables, then written by the user in that component's `env`
//! (or the worker's `init { env }`). The rebuild must either
//!
//! - refuse it (E0413), with a help that names the field of the component
//!   that decides the variable (a field declared in `stdlib/*.pfk`, read
//!   here from the schema text) or says why prefectc sets it, never the
//!   catch-all "(the component's settings)"; or
//! - build, with the user's value in every container the place reaches.

mod support;

use std::collections::BTreeSet;

use serde_yaml::Value;
use support::{build_text, find, manifest_dir, objects, pod_template, seq};

/// A site with one component under test; `{ENV}` marks where its `env` goes.
struct Case {
    name: &'static str,
    /// The component's kind in `stdlib/*.pfk` (`component Server`).
    schema: &'static str,
    /// The Deployment whose main container is judged.
    deployment: &'static str,
    text: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "server on SQLite",
        schema: "Server",
        deployment: "prefect",
        text: r#"site demo { namespace = "prefect", prefect = "3.4.25" }
server prefect {
  database = sqlite {}
  {ENV}
}
"#,
    },
    Case {
        name: "server on PostgreSQL with separate services and Redis",
        schema: "Server",
        deployment: "prefect",
        text: r#"site demo { namespace = "prefect", prefect = "3.4.25" }
server prefect {
  database = postgres {
    host     = "db.example.com"
    user     = "prefect"
    password = secret("db", "password")
  }
  background-services {
    separate  = true
    messaging = redis { host = "redis.example.com", password = secret("redis", "password") }
  }
  {ENV}
}
"#,
    },
    Case {
        name: "kubernetes worker",
        schema: "Worker",
        deployment: "w",
        text: r#"site demo { namespace = "prefect", prefect = "3.4.25" }
server prefect { database = sqlite {} }
pool k8s {
  type        = kubernetes
  concurrency = 5
}
worker w {
  pool           = k8s
  api            = prefect
  queues         = ["etl"]
  job-namespaces = ["flows"]
  cluster-uid    = "0b8e6b4c-1234-4d5e-9f00-aabbccddeeff"
  {ENV}
}
"#,
    },
    Case {
        name: "process worker on Prefect Cloud",
        schema: "Worker",
        deployment: "w",
        text: r#"site demo { namespace = "prefect", prefect = "3.4.25" }
worker w {
  pool = "scripts"
  type = process
  api  = cloud {
    account   = "11111111-2222-3333-4444-555555555555"
    workspace = "66666666-7777-8888-9999-000000000000"
    key       = secret("prefect-api-key", "key")
  }
  {ENV}
}
"#,
    },
    Case {
        name: "server with basic auth",
        schema: "Server",
        deployment: "prefect",
        text: r#"site demo { namespace = "prefect", prefect = "3.4.25" }
server prefect {
  database = sqlite {}
  auth     = basic { credentials = secret("prefect-auth", "auth-string") }
  {ENV}
}
"#,
    },
    Case {
        name: "kubernetes worker on Prefect Cloud, passing the key on",
        schema: "Worker",
        deployment: "w",
        text: r#"site demo { namespace = "prefect", prefect = "3.4.25" }
worker w {
  pool = "k8s"
  type = kubernetes
  api  = cloud {
    account         = "11111111-2222-3333-4444-555555555555"
    workspace       = "66666666-7777-8888-9999-000000000000"
    key             = secret("prefect-api-key", "key")
    key-propagation = secret-ref
  }
  {ENV}
}
"#,
    },
    Case {
        name: "kubernetes worker of a server with basic auth",
        schema: "Worker",
        deployment: "w",
        text: r#"site demo { namespace = "prefect", prefect = "3.4.25" }
server prefect {
  database = sqlite {}
  auth     = basic { credentials = secret("prefect-auth", "auth-string") }
}
worker w {
  pool = "k8s"
  type = kubernetes
  api  = prefect
  {ENV}
}
"#,
    },
    Case {
        name: "agent",
        schema: "Agent",
        deployment: "a",
        text: r#"site demo { namespace = "prefect", prefect = "2.20.16" }
agent a {
  api = cloud {
    account   = "11111111-2222-3333-4444-555555555555"
    workspace = "66666666-7777-8888-9999-000000000000"
    key       = secret("prefect-api-key", "key")
  }
  {ENV}
}
"#,
    },
    Case {
        name: "exporter",
        schema: "Exporter",
        deployment: "e",
        text: r#"site demo { namespace = "prefect", prefect = "3.4.25" }
server prefect { database = sqlite {} }
exporter e {
  api  = prefect
  csrf = true
  {ENV}
}
"#,
    },
    Case {
        name: "Prefect 2 server on PostgreSQL",
        schema: "Server",
        deployment: "prefect",
        text: r#"site demo { namespace = "prefect", prefect = "2.20.16" }
server prefect {
  database = postgres {
    host     = "db.example.com"
    user     = "prefect"
    password = secret("db", "password")
  }
  {ENV}
}
"#,
    },
    Case {
        name: "Prefect 2 server on PostgreSQL, every part from a Secret",
        schema: "Server",
        deployment: "prefect",
        text: r#"site demo { namespace = "prefect", prefect = "2.20.16" }
server prefect {
  database = postgres {
    secret = secret("db")
    keys   = { port = "port", driver = "driver" }
  }
  {ENV}
}
"#,
    },
];

/// The fields of `component NAME { … }` in the standard library's text.
fn schema_fields(component: &str) -> BTreeSet<String> {
    let header = format!("component {component} {{");
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(manifest_dir().join("stdlib")).expect("stdlib/") {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|e| e != "pfk") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a schema file");
        let Some(start) = text.find(&header) else {
            continue;
        };
        for line in text[start + header.len()..].lines() {
            if line.starts_with('}') {
                break;
            }
            let line = line.trim();
            if let Some((field, _)) = line.split_once(':')
                && !line.starts_with("///")
                && !field.contains(' ')
                && !field.is_empty()
            {
                out.insert(field.to_string());
            }
        }
    }
    assert!(!out.is_empty(), "no fields found for {component}");
    out
}

/// Where a user writes a variable: the component's `env` (the main
/// container's) or a worker's `init { env }` (the init containers prefectc
/// adds).
#[derive(Clone, Copy, Debug)]
enum Place {
    Main,
    Init,
}

impl Place {
    fn write(self, var: &str, value: &str) -> String {
        match self {
            Place::Main => format!("env = {{ \"{var}\" = \"{value}\" }}"),
            Place::Init => format!("init {{ env = {{ \"{var}\" = \"{value}\" }} }}"),
        }
    }
}

/// The env of the containers of `deployment` a place reaches: (name,
/// literal value), one entry per container and variable.
fn env_of(all: &[Value], deployment: &str, place: Place) -> Vec<(String, Option<String>)> {
    let template = pod_template(find(all, "Deployment", deployment)).expect("a pod");
    let spec = &template["spec"];
    let containers = match place {
        Place::Main => &seq(&spec["containers"])[..1],
        Place::Init => seq(&spec["initContainers"]),
    };
    containers
        .iter()
        .flat_map(|c| seq(&c["env"]))
        .map(|e| {
            (
                e["name"].as_str().expect("a name").to_string(),
                e["value"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// What is wrong when the user writes `var` in the case's component.
fn judge(case: &Case, place: Place, var: &str, fields: &BTreeSet<String>) -> Option<String> {
    let value = "from-the-user";
    let text = case.text.replace("{ENV}", &place.write(var, value));
    let out = build_text(&text);
    let refusals: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && d.code.as_str() == "E0413")
        .collect();
    if let Some(d) = refusals.first() {
        let help = d.help.clone().unwrap_or_default();
        if help.contains("(the component's settings)") {
            return Some(format!("refused with the catch-all help: {help}"));
        }
        // `… and set `FIELD` instead`: the field's first part is the
        // component's own.
        if let Some(field) = help
            .split("set `")
            .nth(1)
            .and_then(|rest| rest.split('`').next())
        {
            let first = field.split('.').next().unwrap_or_default();
            if !fields.contains(first) {
                return Some(format!(
                    "the help names `{field}`, no field of the component"
                ));
            }
        } else if !help.contains("prefectc sets it (") {
            return Some(format!("refused without naming what sets it: {help}"));
        }
        return None;
    }
    if out.diagnostics.iter().any(|d| d.is_error()) {
        return Some(format!(
            "refused with another error: {:?}",
            out.diagnostics
                .iter()
                .map(|d| (d.code.as_str(), d.message.as_str()))
                .collect::<Vec<_>>()
        ));
    }
    let env = env_of(&objects(&out, &text), case.deployment, place);
    let written: Vec<_> = env.iter().filter(|(n, _)| n == var).collect();
    if !written.is_empty() && written.iter().all(|(_, v)| v.as_deref() == Some(value)) {
        return None;
    }
    Some(format!(
        "built without a refusal, and the containers have {written:?}"
    ))
}

#[test]
fn every_derived_variable_is_refused_or_the_user_s_value_wins() {
    let mut problems = Vec::new();
    let mut judged = 0;
    for case in CASES {
        let fields = schema_fields(case.schema);
        let base = case.text.replace("{ENV}", "");
        let all = objects(&build_text(&base), case.name);
        for place in [Place::Main, Place::Init] {
            let env: BTreeSet<String> = env_of(&all, case.deployment, place)
                .into_iter()
                .map(|(name, _)| name)
                .collect();
            if let Place::Main = place {
                assert!(!env.is_empty(), "{}: no environment", case.name);
            }
            for var in &env {
                judged += 1;
                if let Some(p) = judge(case, place, var, &fields) {
                    problems.push(format!("{} ({place:?}): {var}: {p}", case.name));
                }
            }
        }
    }
    assert!(judged > 30, "only {judged} variables judged");
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Negative controls: the schema reader finds fields, and a help naming no
/// field of the component is caught.
#[test]
fn the_oracle_can_fail() {
    let fields = schema_fields("Exporter");
    assert!(fields.contains("pagination-limit") && fields.contains("api"));
    assert!(!fields.contains("database"));
    // A variable the user may set freely is not refused: it is the user's.
    let case = CASES
        .iter()
        .find(|c| c.schema == "Exporter")
        .expect("an exporter case");
    assert_eq!(judge(case, Place::Main, "MY_OWN_SETTING", &fields), None);
    // The server's database settings named against the exporter's fields.
    let server = &CASES[1];
    assert!(judge(server, Place::Main, "PREFECT_SERVER_DATABASE_HOST", &fields).is_some());
}

/// A name in the server's `env` and again in `background-services.env` or
/// `migrations.env` takes the later value, once, where the server's was
/// (`stdlib/server.pfk`: "a name set in both takes this value").
#[test]
fn a_service_s_env_replaces_the_server_s_in_place() {
    let all = objects(
        &build_text(
            r#"site demo { namespace = "prefect", prefect = "3.4.25" }
server prefect {
  database = postgres { url = secret("db", "url") }
  env = { "TEAM" = "a", "KEEP" = "k" }
  background-services {
    separate  = true
    messaging = redis {
      host     = "redis.cache.svc.cluster.local"
      password = secret("redis", "password")
    }
    env = { "TEAM" = "b", "MORE" = "m" }
  }
  migrations {
    env = { "TEAM" = "c" }
  }
}
"#,
        ),
        "a server with three envs",
    );
    let user = |o: &Value| -> Vec<(String, String)> {
        let spec = &pod_template(o).expect("a pod template")["spec"];
        seq(&seq(&spec["containers"])[0]["env"])
            .iter()
            .filter_map(|e| {
                Some((
                    e["name"].as_str()?.to_string(),
                    e["value"].as_str()?.to_string(),
                ))
            })
            .filter(|(n, _)| ["TEAM", "KEEP", "MORE"].contains(&n.as_str()))
            .collect()
    };
    // The migrations Job's name ends in a hash of its spec.
    let job = all
        .iter()
        .find(|o| {
            o["kind"] == "Job"
                && o["metadata"]["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("prefect-db-migrations-"))
        })
        .expect("the migrations Job");
    let pairs = |p: &[(&str, &str)]| -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        user(find(&all, "Deployment", "prefect")),
        pairs(&[("TEAM", "a"), ("KEEP", "k")])
    );
    assert_eq!(
        user(find(&all, "Deployment", "prefect-background-services")),
        pairs(&[("TEAM", "b"), ("KEEP", "k"), ("MORE", "m")])
    );
    assert_eq!(user(job), pairs(&[("TEAM", "c"), ("KEEP", "k")]));
}
