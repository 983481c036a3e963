//! Prefect-settings oracle ("valid is not right"): every `PREFECT_*`
//! variable of every container running a Prefect image must be a name the
//! Prefect release of that image reads — judged from the emitted YAML and
//! the catalogue files `stdlib/prefect/<line>.tsv` (dumped from the real
//! packages), read here on their own, not through the compiler.
//!
//! A Prefect 2.20 server given Prefect 3 names starts on SQLite with auth
//! off; a 3.4 server given the Docket URL of 3.6 ignores it. Both are valid
//! Kubernetes; this test is what fails on them.

mod support;

use std::collections::BTreeMap;

use serde_yaml::Value;
use support::{build_file, build_text, every_site, objects, pod_template, seq, short};

/// (major, minor, patch)
type Version = (u32, u32, u32);

fn version(text: &str) -> Option<Version> {
    let mut it = text.split('.').map(|p| p.parse::<u32>().ok());
    let v = (it.next()??, it.next()??, it.next()??);
    it.next().is_none().then_some(v)
}

/// name → the (since, until) of its rows in one catalogue file (a name has
/// several rows when its status changed inside the line).
fn catalogue(line: &str) -> BTreeMap<String, Vec<(Version, Option<Version>)>> {
    let path = support::manifest_dir().join(format!("stdlib/prefect/{line}.tsv"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut columns: Vec<String> = Vec::new();
    let mut rows = BTreeMap::new();
    for l in text.lines() {
        if let Some(header) = l.strip_prefix("# name\t") {
            columns = std::iter::once("name")
                .chain(header.split('\t'))
                .map(String::from)
                .collect();
            continue;
        }
        if l.starts_with('#') || l.is_empty() {
            continue;
        }
        let cells: Vec<&str> = l.split('\t').collect();
        let at = |c: &str| {
            let i = columns.iter().position(|x| x == c).expect("column");
            cells.get(i).copied().filter(|v| *v != "-")
        };
        let since = at("since").and_then(version).expect("since");
        rows.entry(cells[0].to_string())
            .or_insert_with(Vec::new)
            .push((since, at("until").and_then(version)));
    }
    assert!(rows.len() > 100, "{line}: {} rows", rows.len());
    rows
}

/// Whether release `v` reads `name`: a core setting of its line, or an
/// integration package's.
fn reads(v: Version, name: &str) -> bool {
    let line = format!("{}.{}", v.0, v.1);
    let core = catalogue(&line).get(name).is_some_and(|rows| {
        rows.iter()
            .any(|(since, until)| *since <= v && until.is_none_or(|u| v <= u))
    });
    core || catalogue_integrations().iter().any(|n| n == name)
}

fn catalogue_integrations() -> Vec<String> {
    let path = support::manifest_dir().join("stdlib/prefect/integrations.tsv");
    std::fs::read_to_string(path)
        .expect("integrations.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').next().unwrap_or_default().to_string())
        .collect()
}

/// Every Prefect-image container: (where, release, PREFECT_* names).
fn prefect_containers(all: &[Value]) -> Vec<(String, Version, Vec<String>)> {
    let mut out = Vec::new();
    for o in all {
        let Some(t) = pod_template(o) else { continue };
        for list in ["initContainers", "containers"] {
            for c in seq(&t["spec"][list]) {
                let image = c["image"].as_str().unwrap_or_default();
                let Some((_, tag)) = image.rsplit_once("prefecthq/prefect:") else {
                    continue;
                };
                let Some(v) = tag.split('-').next().and_then(version) else {
                    continue;
                };
                let names = seq(&c["env"])
                    .iter()
                    .filter_map(|e| e["name"].as_str())
                    .filter(|n| n.starts_with("PREFECT_"))
                    .map(String::from)
                    .collect();
                let at = format!(
                    "{}/{}[{}]",
                    o["kind"].as_str().unwrap_or_default(),
                    o["metadata"]["name"].as_str().unwrap_or_default(),
                    c["name"].as_str().unwrap_or_default()
                );
                out.push((at, v, names));
            }
        }
    }
    out
}

fn unread(all: &[Value]) -> Vec<String> {
    let mut bad = Vec::new();
    for (at, v, names) in prefect_containers(all) {
        for n in names {
            if !reads(v, &n) {
                bad.push(format!(
                    "{at}: Prefect {}.{}.{} does not read {n}",
                    v.0, v.1, v.2
                ));
            }
        }
    }
    bad
}

#[test]
fn every_prefect_variable_of_every_site_is_read_by_its_release() {
    let mut failures = Vec::new();
    let mut containers = 0;
    for path in every_site() {
        let out = build_file(&path);
        let all = objects(&out, &short(&path));
        containers += prefect_containers(&all).len();
        failures.extend(
            unread(&all)
                .into_iter()
                .map(|f| format!("{}: {f}", short(&path))),
        );
    }
    assert!(containers > 20, "only {containers} Prefect containers seen");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const PREFECT_2: &str = r#"site demo {
  namespace = "prefect"
  prefect   = "2.20.14"
}
server prefect {
  port     = 4310
  database = postgres { host = "pg", port = 6544, password = secret("pg", "password") }
}
agent old { api = prefect }
worker shell {
  type = process
  pool = "scripts"
  api  = prefect
}
"#;

/// A Prefect 2 server reads `PREFECT_API_DATABASE_CONNECTION_URL` (no URL
/// parts): prefectc writes the URL with the user through Kubernetes' `$(…)`
/// and the password as Prefect 2's own `${PREFECT_API_DATABASE_PASSWORD}`.
#[test]
fn a_prefect_2_site_gets_prefect_2_names() {
    let all = objects(&build_text(PREFECT_2), "the Prefect 2 site");
    let bad = unread(&all);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    let server =
        &support::find(&all, "Deployment", "prefect")["spec"]["template"]["spec"]["containers"][0];
    let env = |n: &str| support::env_value(server, n);
    assert_eq!(
        env("PREFECT_API_DATABASE_CONNECTION_URL"),
        Some(
            "postgresql+asyncpg://$(PREFECTC_DATABASE_USER):${PREFECT_API_DATABASE_PASSWORD}@pg:6544/prefect"
        )
    );
    // `$(VAR)` expands only variables declared before it.
    let names: Vec<&str> = seq(&server["env"])
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    let user = names.iter().position(|n| *n == "PREFECTC_DATABASE_USER");
    let url = names
        .iter()
        .position(|n| *n == "PREFECT_API_DATABASE_CONNECTION_URL");
    assert!(user.is_some() && user < url, "{names:?}");
    assert!(
        names.contains(&"PREFECT_API_DATABASE_PASSWORD"),
        "{names:?}"
    );
    assert_eq!(env("PREFECT_SERVER_API_PORT"), Some("4310"));
}

/// Negative control: the oracle refuses a Prefect 2 container given the
/// Prefect 3 database name (the bug of issue 15).
#[test]
fn the_oracle_refuses_prefect_3_names_in_a_prefect_2_container() {
    let mut all = objects(&build_text(PREFECT_2), "the Prefect 2 site");
    let planted = all
        .iter_mut()
        .find(|o| o["kind"] == "Deployment" && o["metadata"]["name"] == "prefect")
        .expect("the server");
    let env = planted["spec"]["template"]["spec"]["containers"][0]["env"]
        .as_sequence_mut()
        .expect("env");
    env.push(
        serde_yaml::from_str("{name: PREFECT_SERVER_DATABASE_CONNECTION_URL, value: x}").unwrap(),
    );
    let bad = unread(&all);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(bad[0].contains("PREFECT_SERVER_DATABASE_CONNECTION_URL"));
}

/// A site with separate background services on Redis, pinned to `release`,
/// with `replicas` services and a Docket URL.
fn split_site(release: &str, replicas: u32) -> String {
    format!(
        r#"site demo {{
  namespace = "prefect"
  prefect   = "{release}"
}}
server prefect {{
  database = postgres {{ url = secret("prefect-db", "connection-url") }}
  background-services {{
    separate   = true
    replicas   = {replicas}
    messaging  = redis {{ host = "redis.cache", password = secret("prefect-redis", "password") }}
    docket-url = secret("prefect-redis", "docket-url")
  }}
}}
"#
    )
}

fn codes(text: &str) -> Vec<String> {
    build_text(text)
        .diagnostics
        .iter()
        .map(|d| d.code.as_str().to_string())
        .collect()
}

/// The releases where behaviour (not a setting) changes, at their edges:
/// `prefect server services start` exists from 3.4.16 (E0409 before), and
/// background-services replicas coordinate through Docket from 3.6.7
/// (W0510 before, even with `docket-url`).
#[test]
fn release_boundaries_of_background_services() {
    assert!(codes(&split_site("3.4.15", 1)).contains(&"E0409".to_string()));
    assert!(!codes(&split_site("3.4.16", 1)).contains(&"E0409".to_string()));
    assert!(codes(&split_site("3.6.6", 2)).contains(&"W0510".to_string()));
    assert_eq!(codes(&split_site("3.6.7", 2)), Vec::<String>::new());
    // From 3.6.7 too, coordination needs the Docket URL.
    let without_docket = split_site("3.6.7", 2).replace(
        "    docket-url = secret(\"prefect-redis\", \"docket-url\")\n",
        "",
    );
    assert!(!without_docket.contains("docket-url"));
    assert!(codes(&without_docket).contains(&"W0510".to_string()));
}
