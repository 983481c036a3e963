//! Annotations are free text, but Kubernetes refuses an object whose
//! annotations hold more than 256 KiB (E0314). The inputs are built in
//! memory: a fixture file this large would slow `tests/no_panic.rs`, which
//! builds every prefix of every fixture.

use prefectc::{MemoryLoader, Options};

fn codes(site_annotation: usize, account_annotation: usize) -> Vec<(String, String)> {
    let text = format!(
        r#"site demo {{
  namespace   = "prefect"
  prefect     = "3.4.25"
  annotations = {{ "example.com/site-notes" = "{}" }}
}}

server prefect {{ database = sqlite {{}} }}
pool scripts {{ type = process }}

worker w {{
  pool            = scripts
  api             = prefect
  service-account-annotations = {{ "example.com/notes" = "{}" }}
}}
"#,
        "s".repeat(site_annotation),
        "p".repeat(account_annotation)
    );
    let out = prefectc::build(
        "site.pfk",
        text,
        &MemoryLoader(Vec::new()),
        &Options::default(),
    );
    out.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code.as_str().to_string(), d.message.clone()))
        .collect()
}

#[test]
fn one_map_over_256_kib_is_refused() {
    let errors = codes(10, 300 * 1024);
    assert!(
        errors
            .iter()
            .any(|(c, m)| c == "E0314" && m.starts_with("these annotations hold")),
        "{errors:?}"
    );
}

#[test]
/// The site's annotations go on every object, the ServiceAccount's own
/// besides: each map is small enough, their sum on the ServiceAccount is not.
fn the_site_s_and_the_component_s_annotations_count_together() {
    let errors = codes(140 * 1024, 140 * 1024);
    assert!(
        errors
            .iter()
            .any(|(c, m)| c == "E0314" && m.contains("ServiceAccount `w`")),
        "{errors:?}"
    );
}

#[test]
fn annotations_within_the_limit_build() {
    assert_eq!(codes(100 * 1024, 100 * 1024), Vec::new());
}
