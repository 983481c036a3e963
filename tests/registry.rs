//! Registry oracle: with `site.registry` set (an air-gapped site behind a
//! mirror of Docker Hub), every image prefectc chooses is pulled through the
//! mirror — the Prefect images, and the exporter's, PostgreSQL's and Redis'
//! stdlib defaults (Docker Hub's official images under `library/`, as a
//! pull-through mirror serves them). An image written in the site is used as
//! written. Judged from the emitted YAML: every container and init container
//! of every pod template.

mod support;

use serde_yaml::Value;
use support::{build_text, find, objects, pod_template, seq};

const MIRROR: &str = "mirror.example.com";

fn site(extra: &str) -> String {
    format!(
        r#"site demo {{
  namespace = "prefect"
  prefect   = "3.4.25"
  registry  = "{MIRROR}"
}}
server prefect {{
  database = postgres.in-cluster {{ password = secret("pg", "password") }}
  background-services {{
    separate  = true
    messaging = redis.in-cluster {{ password = secret("redis", "password") }}
  }}
}}
pool jobs {{ type = kubernetes }}
worker k8s {{
  pool = jobs
  api  = prefect
}}
{extra}
"#
    )
}

/// (workload, container, image) of every container of every pod template.
fn images(all: &[Value]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for o in all {
        let Some(template) = pod_template(o) else {
            continue;
        };
        for list in ["initContainers", "containers"] {
            for c in seq(&template["spec"][list]) {
                out.push((
                    support::name(o).to_string(),
                    c["name"].as_str().unwrap_or_default().to_string(),
                    c["image"].as_str().unwrap_or_default().to_string(),
                ));
            }
        }
    }
    out
}

#[test]
fn every_chosen_image_comes_through_the_mirror() {
    let all = objects(
        &build_text(&site("exporter metrics { api = prefect }")),
        "the site",
    );
    let images = images(&all);
    // Every kind of workload is there: API, services, migrations, worker,
    // exporter, PostgreSQL, Redis.
    assert!(images.len() >= 7, "{images:#?}");
    for (workload, container, image) in &images {
        assert!(
            image.starts_with(&format!("{MIRROR}/")),
            "{workload}/{container} pulls `{image}` from outside the mirror"
        );
    }
    // Docker Hub's official images are `library/…` on a mirror.
    let postgres = &find(&all, "StatefulSet", "prefect-postgresql")["spec"]["template"]["spec"]["containers"]
        [0]["image"];
    assert!(
        postgres
            .as_str()
            .is_some_and(|i| i.starts_with(&format!("{MIRROR}/library/postgres:"))),
        "{postgres:?}"
    );
}

#[test]
fn an_image_written_in_the_site_is_used_as_written() {
    let all = objects(
        &build_text(&site(
            r#"exporter metrics {
  api   = prefect
  image = "ghcr.io/acme/exporter:1.2.0"
}"#,
        )),
        "the site",
    );
    let exporter =
        &find(&all, "Deployment", "metrics")["spec"]["template"]["spec"]["containers"][0]["image"];
    assert_eq!(exporter.as_str(), Some("ghcr.io/acme/exporter:1.2.0"));
}

/// Negative control: without `registry`, the defaults come from Docker Hub
/// as written in the stdlib (so the first test is not passing by accident).
#[test]
fn without_a_registry_images_are_docker_hub_references() {
    let text = site("exporter metrics { api = prefect }")
        .replace(&format!("  registry  = \"{MIRROR}\"\n"), "");
    let all = objects(&build_text(&text), "the site");
    assert!(
        images(&all)
            .iter()
            .all(|(_, _, image)| !image.starts_with(MIRROR))
    );
}
