//! `prefectc import`: every parity case of a supported chart imports into a
//! site that is formatted, builds, and builds the same objects, container
//! arguments and environment names as the hand-written translation in
//! `tests/parity/<case>.pfk`; no credential of a case is ever printed; and
//! the diagnostics point at the keys they are about.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use prefectc::diagnostics::render;
use prefectc::import::{Chart, Imported, Request, import};
use serde_yaml::Value;
use support::{
    build_file, build_text, case_chart, case_pin, kind, name, objects, pod_template, seq,
};

fn parity_dir() -> PathBuf {
    support::manifest_dir().join("tests/parity")
}

fn fixtures() -> PathBuf {
    support::manifest_dir().join("tests/fixtures/import")
}

fn values_path(case: &str) -> PathBuf {
    parity_dir()
        .join("reference")
        .join(case)
        .join("values.yaml")
}

/// `prefectc import <chart> -f values.yaml --namespace default --prefect <pin>`.
fn import_case(case: &str) -> Imported {
    let chart = case_chart(case);
    let text = std::fs::read_to_string(values_path(case)).expect("values.yaml");
    import(&Request {
        chart,
        files: vec![("values.yaml".into(), text)],
        sets: Vec::new(),
        release: chart.default_release().into(),
        namespace: "default".into(),
        prefect: Some(case_pin(case)),
        into: None,
    })
}

fn rendered(out: &Imported) -> String {
    render::human(&out.diagnostics, &out.sources, false)
}

/// What the comparison looks at: objects (kind and name), and per
/// container of each workload its args and its env names.
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    objects: BTreeSet<String>,
    containers: BTreeMap<String, (Vec<String>, BTreeSet<String>)>,
}

fn shape(objs: &[Value]) -> Shape {
    let mut out = Shape {
        objects: BTreeSet::new(),
        containers: BTreeMap::new(),
    };
    for o in objs {
        let id = format!("{}/{}", kind(o), name(o));
        out.objects.insert(id.clone());
        let Some(template) = pod_template(o) else {
            continue;
        };
        let spec = &template["spec"];
        for c in seq(&spec["initContainers"])
            .iter()
            .chain(seq(&spec["containers"]))
        {
            let args = seq(&c["args"])
                .iter()
                .map(|a| a.as_str().unwrap_or_default().to_string())
                .collect();
            let env = seq(&c["env"])
                .iter()
                .map(|e| e["name"].as_str().unwrap_or_default().to_string())
                .collect();
            let cname = c["name"].as_str().unwrap_or_default();
            out.containers.insert(format!("{id}/{cname}"), (args, env));
        }
    }
    out
}

/// The imported site is formatted, builds, and matches the hand translation.
fn same_as_hand_written(case: &str) {
    let out = import_case(case);
    let site = out
        .site
        .clone()
        .unwrap_or_else(|| panic!("{case} was not imported:\n{}", rendered(&out)));
    assert_eq!(
        prefectc::format(&site).ok().as_deref(),
        Some(site.as_str()),
        "{case}: not `fmt` output"
    );
    let built = build_text(&site);
    let errors: Vec<String> = built
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.code.as_str(), d.message))
        .collect();
    assert!(
        errors.is_empty(),
        "{case}: the imported site does not build: {errors:#?}\n{site}"
    );
    let hand = build_file(&parity_dir().join(format!("{case}.pfk")));
    let ours = shape(&objects(&built, case));
    let theirs = shape(&objects(&hand, case));
    assert_eq!(ours.objects, theirs.objects, "{case}: objects\n{site}");
    assert_eq!(
        ours.containers, theirs.containers,
        "{case}: containers\n{site}"
    );
}

/// The warnings of `case` of these codes, each as `code line:column`.
fn warnings_of(case: &str, codes: &[&str]) -> Vec<String> {
    let out = import_case(case);
    out.diagnostics
        .iter()
        .filter(|d| codes.contains(&d.code.as_str()))
        .map(|d| {
            let span = d.primary.span;
            let (line, col) = out
                .sources
                .get(span.anchor.file().unwrap())
                .line_col(span.start);
            format!("{} {line}:{col}", d.code.as_str())
        })
        .collect()
}

macro_rules! parity_cases {
    ($($test:ident => $case:literal,)*) => {
        $(
            #[test]
            fn $test() {
                same_as_hand_written($case);
            }
        )*
    };
}

parity_cases! {
    server_default => "server-default",
    server_bgservices => "server-bgservices",
    server_external_db => "server-external-db",
    server_external_db_components => "server-external-db-components",
    server_gateway => "server-gateway",
    server_ingress => "server-ingress",
    server_legacy_secret => "server-legacy-secret",
    server_sqlite => "server-sqlite",
    worker_selfhosted => "worker-selfhosted",
    worker_cloud => "worker-cloud",
    exporter_default => "exporter-default",
    exporter_monitoring => "exporter-monitoring",
    agent_server => "agent-server",
    agent_default => "agent-default",
    worker_cmcloud_process => "worker-cmcloud-process",
    worker_rbac_bjt => "worker-rbac-bjt",
}

/// The Cloud IDs prefectc cannot hold become a visible placeholder, never
/// silently: W0704 at each key (at the top of the values for the agent
/// chart's empty defaults).
#[test]
fn cloud_ids_that_are_not_uuids_are_placeholders_with_a_warning() {
    let w = |case| warnings_of(case, &["W0704"]);
    assert_eq!(w("worker-cmcloud-process"), ["W0704 6:5", "W0704 7:5"]);
    assert_eq!(w("agent-default"), ["W0704 1:1"; 2]);
    let zero = "\"00000000-0000-0000-0000-000000000000\"";
    for case in ["worker-cmcloud-process", "agent-default"] {
        let site = import_case(case).site.expect("imported");
        assert_eq!(site.matches(zero).count(), 2, "{site}");
    }
}

/// The inline base job template is completed (W0705 at the key) and the
/// chart's grants the policy refuses are waived, each waiver named by a
/// W0706 at the key behind it, the reason saying it was imported.
#[test]
fn worker_rbac_bjt_completes_its_template_and_says_what_it_waives() {
    let (case, w) = ("worker-rbac-bjt", ["W0705", "W0706"]);
    let want = ["W0705 13:7", "W0706 13:7", "W0706 26:3"];
    assert_eq!(warnings_of(case, &w), want);
    let site = import_case(case).site.expect("imported");
    let allow = site.lines().find(|l| l.starts_with("@allow("));
    let allow = allow.unwrap_or_else(|| panic!("no waiver:\n{site}"));
    for needle in ["\"rbac/wildcard\"", "reason = \"imported from Helm values"] {
        assert!(allow.contains(needle), "{needle}: {allow}");
    }
    for needle in ["\"namespace\":\"flow-runs\"", "\"restartPolicy\":\"Never\""] {
        assert!(site.contains(needle), "{needle}:\n{site}");
    }
}

/// Every parity case, imported through the binary: none of the cases'
/// plaintext credentials appears on standard output or standard error.
#[test]
fn no_case_prints_a_credential() {
    const SECRETS: [&str; 4] = ["s3cr3t", "prefect-rocks", "admin:pass", "prefect-password"];
    let reference = parity_dir().join("reference");
    let mut cases: Vec<String> = std::fs::read_dir(&reference)
        .expect("the reference cases")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= 16);
    for case in cases {
        let chart = case_chart(&case);
        for prefect in [Some(case_pin(&case)), None] {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_prefectc"));
            cmd.args(["import", chart.name(), "-f"])
                .arg(values_path(&case));
            cmd.args(["--namespace", "default"]);
            if let Some(p) = &prefect {
                cmd.args(["--prefect", p]);
            }
            let out = cmd.output().expect("prefectc runs");
            let printed = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            for secret in SECRETS {
                assert!(
                    !printed.contains(secret),
                    "{case} prints `{secret}`:\n{printed}"
                );
            }
        }
    }
}

/// A credential on the line next to another diagnostic is masked in that
/// diagnostic's snippet too.
#[test]
fn a_neighbouring_snippet_does_not_show_a_credential() {
    let text = "server:\n  basicAuth:\n    enabled: true\n    authString: alice:wonderland\n    bogus: 1\n";
    let out = import(&request(Chart::Server, &[text], &[], Some("3.4.25")));
    let shown = rendered(&out);
    assert!(shown.contains("server.basicAuth.bogus"), "{shown}");
    assert!(!shown.contains("wonderland"), "{shown}");
    assert!(
        out.site
            .as_deref()
            .is_some_and(|s| s.contains("secret(\"prefect-server-basic-auth\", \"auth-string\")"))
    );
}

fn request(chart: Chart, files: &[&str], sets: &[&str], prefect: Option<&str>) -> Request {
    Request {
        chart,
        files: files
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("values{i}.yaml"), t.to_string()))
            .collect(),
        sets: sets.iter().map(|s| s.to_string()).collect(),
        release: chart.default_release().into(),
        namespace: "default".into(),
        prefect: prefect.map(str::to_string),
        into: None,
    }
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).expect("the fixture")
}

/// `(code, line, column)` of every diagnostic.
fn positions(out: &Imported) -> Vec<(String, usize, usize)> {
    out.diagnostics
        .iter()
        .map(|d| {
            let file = out.sources.get(d.primary.span.anchor.file().unwrap());
            let (line, col) = file.line_col(d.primary.span.start);
            (d.code.as_str().to_string(), line, col)
        })
        .collect()
}

#[test]
fn unsupported_keys_are_reported_at_their_line_and_column() {
    let out = import(&request(
        Chart::Server,
        &[&fixture("unsupported.yaml")],
        &[],
        Some("3.4.25"),
    ));
    insta::assert_snapshot!("unsupported", rendered(&out));
    let found = positions(&out);
    assert!(found.contains(&("W0701".into(), 5, 3)), "{found:?}");
    assert!(found.contains(&("W0702".into(), 8, 5)), "{found:?}");
    // Negative control: a key that is translated (`server.debug`, line 3)
    // has no diagnostic.
    assert!(!found.iter().any(|(_, line, _)| *line == 3), "{found:?}");
    assert!(
        out.site
            .as_deref()
            .is_some_and(|s| s.contains("debug = true"))
    );
}

/// A created Gateway with its own listeners, infrastructure and a second
/// parent reference imports whole: no W0701, and the build has the
/// listeners, `spec.infrastructure` and both parent references.
#[test]
fn gateway_listeners_infrastructure_and_parents_import_and_build() {
    let site = imports_and_builds(
        Chart::Server,
        "gateway.yaml",
        &[
            "tls      = secret(\"prefect-cert\")",
            "section       = \"secure\"",
            "namespace = \"gateways\"",
            "kind  = \"EnvoyProxy\"",
        ],
    );
    let objs = objects(&build_text(&site), "gateway.yaml");
    let gateway = objs
        .iter()
        .find(|o| kind(o) == "Gateway")
        .expect("a Gateway");
    let listeners: Vec<(&str, i64)> = seq(&gateway["spec"]["listeners"])
        .iter()
        .map(|l| {
            (
                l["name"].as_str().unwrap_or_default(),
                l["port"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(listeners, [("web", 8080), ("secure", 8443)]);
    assert_eq!(
        gateway["spec"]["infrastructure"]["parametersRef"]["name"].as_str(),
        Some("prefect-proxy")
    );
    let route = objs
        .iter()
        .find(|o| kind(o) == "HTTPRoute")
        .expect("an HTTPRoute");
    let parents: Vec<Option<&str>> = seq(&route["spec"]["parentRefs"])
        .iter()
        .map(|p| p["sectionName"].as_str())
        .collect();
    assert_eq!(parents, [Some("secure"), Some("web")]);
}

/// `ingress.extraPaths` to the server's Service and `extraTls` import; a
/// path to another backend is W0701 at the key, and the rest is imported.
#[test]
fn ingress_extra_paths_and_tls_import() {
    let out = import(&Request {
        release: "prefect-server".into(),
        ..request(
            Chart::Server,
            &[&fixture("ingress.yaml")],
            &[],
            Some("3.4.25"),
        )
    });
    let found = positions(&out);
    assert!(found.contains(&("W0701".into(), 7, 3)), "{found:?}");
    let not_imported = found.iter().filter(|f| f.0 == "W0701").count();
    assert_eq!(not_imported, 1, "only the path to grafana: {found:?}");
    let site = out.site.expect("a site");
    assert!(site.contains("path = \"/api\""), "{site}");
    assert!(!site.contains("/grafana"), "{site}");
    assert!(
        site.contains("secret = secret(\"prefect-wildcard-tls\")"),
        "{site}"
    );
    let built = build_text(&site);
    assert!(!built.has_errors(), "{site}");
    let objs = objects(&built, "ingress.yaml");
    let ingress = objs
        .iter()
        .find(|o| kind(o) == "Ingress")
        .expect("an Ingress");
    let paths: Vec<&str> = seq(&ingress["spec"]["rules"][0]["http"]["paths"])
        .iter()
        .filter_map(|p| p["path"].as_str())
        .collect();
    assert!(paths.contains(&"/api"), "{paths:?}");
    let tls_hosts: Vec<&str> = seq(&ingress["spec"]["tls"])
        .iter()
        .flat_map(|t| seq(&t["hosts"]).iter().filter_map(Value::as_str))
        .collect();
    assert!(
        tls_hosts.contains(&"prefect.internal.example.com"),
        "{tls_hosts:?}"
    );
}

/// An external PostgreSQL whose host, port and user are keys of
/// `existingSecret` (S110) imports as `postgres { secret, keys }`, the
/// written name beside them; the build reads each part from its key.
#[test]
fn database_parts_from_a_secret_import_and_build() {
    let site = imports_and_builds(
        Chart::Server,
        "database_secret.yaml",
        &[
            "secret = secret(\"db-app\")",
            "name   = \"prefect_prod\"",
            "host     = \"host\"",
            "name     = none",
            "user     = \"username\"",
        ],
    );
    let objs = objects(&build_text(&site), "database_secret.yaml");
    let server = objs
        .iter()
        .find(|o| kind(o) == "Deployment")
        .expect("the server's Deployment");
    let env = seq(&pod_template(server).expect("a pod")["spec"]["containers"][0]["env"]);
    let from = |var: &str| -> Option<(String, String)> {
        let e = env.iter().find(|e| e["name"].as_str() == Some(var))?;
        let r = &e["valueFrom"]["secretKeyRef"];
        Some((
            r["name"].as_str()?.to_string(),
            r["key"].as_str()?.to_string(),
        ))
    };
    assert_eq!(
        from("PREFECT_SERVER_DATABASE_HOST"),
        Some(("db-app".into(), "host".into()))
    );
    assert_eq!(
        from("PREFECT_SERVER_DATABASE_PORT"),
        Some(("db-app".into(), "port".into()))
    );
    assert_eq!(
        from("PREFECT_SERVER_DATABASE_USER"),
        Some(("db-app".into(), "username".into()))
    );
    let name = env
        .iter()
        .find(|e| e["name"].as_str() == Some("PREFECT_SERVER_DATABASE_NAME"))
        .and_then(|e| e["value"].as_str());
    assert_eq!(name, Some("prefect_prod"));
}

/// What `security` or `Probe` cannot hold is W0701 at its key: a group
/// that is not a number, a container's SELinux labels that differ from the
/// pod's, a probe on a named port, a Windows option; what it can hold is
/// still imported.
#[test]
fn untranslatable_security_and_probes_are_reported_at_their_keys() {
    let out = import(&request(
        Chart::Server,
        &[&fixture("security_untranslated.yaml")],
        &[],
        Some("3.4.25"),
    ));
    let found = positions(&out);
    for at in [(4, 5), (8, 5)] {
        assert!(found.contains(&("W0701".into(), at.0, at.1)), "{found:?}");
    }
    let containers = found
        .iter()
        .filter(|f| **f == ("W0701".to_string(), 10, 3))
        .count();
    assert_eq!(containers, 2, "{found:?}");
    let text: String = out
        .diagnostics
        .iter()
        .map(|d| d.message.clone() + "\n")
        .collect();
    for why in [
        "a probe on a named port",
        "`securityContext.windowsOptions` has no `ContainerSecurity` field",
    ] {
        assert!(text.contains(why), "{why}:\n{text}");
    }
    let site = out.site.expect("the rest is imported");
    assert!(site.contains("type = \"container_t\""), "{site}");
    assert!(!site.contains("container_init_t"), "{site}");
    assert!(!site.contains("supplemental-groups"), "{site}");
}

#[test]
fn a_floating_tag_needs_prefect() {
    let out = import(&request(
        Chart::Worker,
        &[&fixture("floating.yaml")],
        &[],
        None,
    ));
    insta::assert_snapshot!("floating", rendered(&out));
    assert!(out.site.is_none());
    assert_eq!(positions(&out), [("E0703".to_string(), 7, 17)]);
    let help = out.diagnostics[0].help.as_deref().unwrap_or_default();
    assert!(help.contains("--prefect X.Y.Z"), "{help}");
    let pinned = import(&request(
        Chart::Worker,
        &[&fixture("floating.yaml")],
        &[],
        Some("3.4.25"),
    ));
    assert!(pinned.site.is_some(), "{}", rendered(&pinned));
}

#[test]
fn files_merge_in_order_and_null_deletes_a_default() {
    let first = "server:\n  loggingLevel: DEBUG\n  debug: true\n";
    let second =
        "server:\n  loggingLevel: INFO\nsqlite:\n  enabled: true\n  persistence:\n    size: null\n";
    let out = import(&request(
        Chart::Server,
        &[first, second],
        &[],
        Some("3.4.25"),
    ));
    let site = out.site.expect("imported");
    assert!(site.contains("log-level = info"), "{site}");
    assert!(
        site.contains("debug     = true") || site.contains("debug = true"),
        "{site}"
    );
    // `size: null` deleted the chart's 1Gi: prefectc's default applies.
    assert!(
        site.contains("database  = sqlite {}") || !site.contains("size"),
        "{site}"
    );
}

#[test]
fn set_wins_over_files_with_lists_and_escapes() {
    let file = "worker:\n  config:\n    workPool: from-file\n    workQueues: [a, b]\n  apiConfig: selfHostedServer\n  selfHostedServerApiConfig:\n    apiUrl: http://s:4200/api\n";
    let sets = [
        "worker.config.workPool=from-set,worker.config.workQueues[1]=z",
        r"worker.podLabels.team=a\,b",
    ];
    let out = import(&request(Chart::Worker, &[file], &sets, Some("3.4.25")));
    let site = out
        .site
        .clone()
        .unwrap_or_else(|| panic!("{}", rendered(&out)));
    assert!(site.contains("\"from-set\""), "{site}");
    assert!(site.contains("[\"a\", \"z\"]"), "{site}");
    assert!(site.contains("\"a,b\""), "{site}");
}

#[test]
fn a_bad_set_points_into_the_set_arguments() {
    let out = import(&request(
        Chart::Worker,
        &[],
        &["worker.config.workPool"],
        Some("3.4.25"),
    ));
    assert!(out.site.is_none());
    insta::assert_snapshot!("bad_set", rendered(&out));
}

#[test]
fn malformed_and_mistyped_values_are_diagnostics_not_panics() {
    let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
    let aliases = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n";
    let inputs = [
        "server: [1\n".to_string(),
        "- a\n- b\n".to_string(),
        "server: prod\n".to_string(),
        "server:\n  replicaCount: three\n  podLabels: [a]\n".to_string(),
        "global:\n  prefect:\n    image:\n      prefectTag: {a: 1}\n".to_string(),
        "\u{0}\u{1}: [\n".to_string(),
        deep,
        aliases.to_string(),
    ];
    for chart in [Chart::Server, Chart::Worker, Chart::Exporter, Chart::Agent] {
        for input in &inputs {
            let out = import(&request(chart, &[input], &[], Some("3.4.25")));
            assert!(!out.diagnostics.is_empty(), "{input:.40}: no diagnostic");
            let _ = rendered(&out);
        }
    }
}

#[test]
fn a_wrong_type_is_e0702_at_the_key() {
    let out = import(&request(
        Chart::Server,
        &["server:\n  replicaCount: three\n"],
        &[],
        Some("3.4.25"),
    ));
    assert!(
        positions(&out).contains(&("E0702".to_string(), 2, 3)),
        "{}",
        rendered(&out)
    );
}

/// The values files of the tests are real files, so the fixtures can be
/// imported by hand too.
#[test]
fn the_fixtures_exist() {
    for f in ["unsupported.yaml", "floating.yaml"] {
        assert!(Path::new(&fixtures().join(f)).is_file(), "{f}");
    }
}

/// A credential given with `--set` is masked in the `<--set>` snippet, also
/// when another pair of the same argument is malformed.
#[test]
fn a_set_credential_is_masked_even_next_to_a_bad_pair() {
    let sets = ["secret.password=hunter22,bad..key=zzz"];
    let out = import(&request(Chart::Server, &[], &sets, Some("3.4.25")));
    let shown = rendered(&out);
    assert!(shown.contains("E0701"), "{shown}");
    assert!(!shown.contains("hunter22"), "{shown}");
}

/// The binary: the site on standard output, the Secret to create on
/// standard error with a placeholder that reads the values file, exit 0;
/// a floating tag without `--prefect` is exit 1 with nothing on standard
/// output.
#[test]
fn the_command_prints_the_site_and_the_kubectl_command() {
    let values = values_path("server-legacy-secret");
    let out = Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .args(["import", "prefect-server", "-f"])
        .arg(&values)
        .args(["--prefect", "3.4.25"])
        .output()
        .expect("prefectc runs");
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.starts_with("site default {"), "{stdout}");
    assert!(
        stderr
            .contains("kubectl create secret generic prefect-server-database --namespace default"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--from-literal=password=\"$(yq '.secret.password' "),
        "{stderr}"
    );
    let floating = Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .args(["import", "prefect-server", "-f"])
        .arg(&values)
        .output()
        .expect("prefectc runs");
    assert_eq!(floating.status.code(), Some(1));
    assert!(floating.stdout.is_empty());
    assert!(String::from_utf8_lossy(&floating.stderr).contains("E0703"));
    // `--into`: the file is rewritten in place, its comment kept.
    let dir = std::env::temp_dir().join(format!("prefectc-into-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let site = dir.join("site.pfk");
    std::fs::write(&site, format!("// ours\n{stdout}")).expect("written");
    let into = Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .args(["import", "prefect-worker", "-f"])
        .arg(values_path("worker-selfhosted"))
        .args(["--prefect", "3.4.25", "--namespace", "default", "--into"])
        .arg(&site)
        .output()
        .expect("prefectc runs");
    let text = std::fs::read_to_string(&site).expect("the site");
    assert_eq!(
        into.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&into.stderr)
    );
    assert!(into.stdout.is_empty() && text.starts_with("// ours\nsite default {"));
    assert!(text.contains("worker prefect-worker {\n  api "), "{text}");
    assert_eq!(
        std::fs::read_dir(&dir).expect("listed").count(),
        1,
        "a leftover file"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The fixture imports without a diagnostic into a site that contains
/// `expected` and builds without errors.
fn imports_and_builds(chart: Chart, fixture_name: &str, expected: &[&str]) -> String {
    let out = import(&request(
        chart,
        &[&fixture(fixture_name)],
        &[],
        Some("3.4.25"),
    ));
    let site = out
        .site
        .clone()
        .unwrap_or_else(|| panic!("{}", rendered(&out)));
    // W0703: the bundled PostgreSQL's default password, for a server.
    let codes: Vec<&str> = out.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.iter().all(|c| *c == "W0703"), "{}", rendered(&out));
    for e in expected {
        assert!(site.contains(e), "{e}:\n{site}");
    }
    let built = build_text(&site);
    let errors: Vec<String> = built
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.code.as_str(), d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{site}");
    site
}

/// Resources, tolerations, security contexts and probe timings import into
/// a site that builds; the chart's own defaults among them write nothing.
#[test]
fn pod_level_keys_import_and_build() {
    let site = imports_and_builds(
        Chart::Server,
        "pod.yaml",
        &[
            "cpu    = 250m",
            "memory = 2Gi",
            "key    = \"dedicated\"",
            "effect = no-schedule",
            "toleration = 30s",
            "run-as-user = 2000",
            "fs-group    = 2000",
            "period = 20s",
            "enabled = false",
        ],
    );
    assert!(!site.contains("read-only-root-filesystem"), "{site}");
}

#[test]
fn service_keys_import_and_build() {
    imports_and_builds(
        Chart::Server,
        "service.yaml",
        &[
            "type                    = node-port",
            "node-port               = 30420",
            "external-traffic-policy = local",
            "ip-families             = [ipv4, ipv6]",
            "name        = \"metrics\"",
        ],
    );
}

/// Values that are not code are never written as code: quotes, `${`,
/// newlines and a quantity or level that is not one all give a site that
/// formats (or a warning), never a syntax error in the printed site.
#[test]
fn odd_strings_stay_strings() {
    let sets = [
        r#"server.uiConfig.prefectUiApiUrl=http://x/${a}"\n"#,
        r#"commonLabels.te"am=v"a${l}"#,
        "server.loggingLevel=WARN ING",
        "server.resources.requests.cpu=x y",
        "server.extraArgs={--a=${b},\"c\"}",
    ];
    let out = import(&request(Chart::Server, &[], &sets, Some("3.4.25")));
    let site = out
        .site
        .clone()
        .unwrap_or_else(|| panic!("{}", rendered(&out)));
    assert_eq!(prefectc::format(&site).ok().as_deref(), Some(site.as_str()));
    // `\n` in `--set` is Helm's escape of `n`.
    assert!(site.contains(r#""http://x/\${a}\"n""#), "{site}");
    let codes: Vec<&str> = out.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["W0703", "W0701", "W0701"], "{}", rendered(&out));
}

/// A release or override that cannot name a component is E0704.
#[test]
fn a_name_that_is_not_a_label_is_refused() {
    let out = import(&request(
        Chart::Worker,
        &[&fixture("floating.yaml")],
        &["fullnameOverride=My Worker"],
        Some("3.4.25"),
    ));
    assert!(out.site.is_none());
    assert_eq!(
        out.diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect::<Vec<_>>(),
        ["E0704"]
    );
}

#[test]
fn background_service_keys_import_and_build() {
    imports_and_builds(
        Chart::Server,
        "background.yaml",
        &[
            "separate  = true",
            "replicas  = 2",
            "log-level = info",
            "cpu    = 100m",
            "pod-labels = { \"team\" = \"platform\" }",
            "env-from   = [secret(\"bg-env\")]",
            "host     = \"redis.example.com\"",
            "password = secret(\"redis-auth\", \"redis-password\")",
        ],
    );
}

/// Without `runAsSeparateDeployment` the Deployment's keys do nothing.
#[test]
fn background_keys_without_a_separate_deployment_have_no_effect() {
    let out = import(&request(
        Chart::Server,
        &["backgroundServices:\n  replicaCount: 3\n"],
        &[],
        Some("3.4.25"),
    ));
    let found = positions(&out);
    assert!(found.contains(&("W0702".to_string(), 2, 3)), "{found:?}");
    assert!(
        found.iter().all(|(c, ..)| c == "W0702" || c == "W0703"),
        "{found:?}"
    );
}

#[test]
fn volume_keys_import_and_build() {
    imports_and_builds(
        Chart::Worker,
        "volumes.yaml",
        &[
            "\"cache\" = empty-dir {",
            "size-limit = 256Mi",
            "name = \"worker-certs\"",
            "volume    = \"certs\"",
            "read-only = true",
        ],
    );
}

/// Basic auth enabled without a string or Secret: the chart's default
/// `admin:pass` is in effect. The warning names the key, not the value.
#[test]
fn a_default_credential_in_effect_is_a_warning_without_its_value() {
    let text = "worker:\n  config:\n    workPool: p\n  apiConfig: selfHostedServer\n  selfHostedServerApiConfig:\n    apiUrl: http://s:4200/api\n    basicAuth:\n      enabled: true\n";
    let out = import(&request(Chart::Worker, &[text], &[], Some("3.4.25")));
    assert_eq!(
        positions(&out),
        [("W0703".to_string(), 7, 5)],
        "{}",
        rendered(&out)
    );
    let all = format!(
        "{}{}",
        rendered(&out),
        out.kubectl_commands(&["values.yaml".into()])
    );
    assert!(!all.contains("admin:pass"), "{all}");
    assert!(
        all.contains("--from-literal=auth-string='<auth-string>'"),
        "{all}"
    );
    let site = out.site.expect("imported");
    assert!(
        site.contains("auth = secret(\"prefect-worker-basic-auth\", \"auth-string\")"),
        "{site}"
    );
}

#[test]
fn rollout_and_migration_keys_import_and_build() {
    imports_and_builds(
        Chart::Server,
        "rollout.yaml",
        &[
            "update-strategy = rolling {",
            "max-unavailable = 0%",
            "pre-stop-sleep = 5s",
            "deadline = 600s",
            "memory = 512Mi",
        ],
    );
}

#[test]
fn dns_and_init_keys_import_and_build() {
    imports_and_builds(
        Chart::Worker,
        "dns.yaml",
        &[
            "dns-policy = config-only",
            "nameservers = [\"10.0.0.10\"]",
            "options     = { \"ndots\" = \"2\" }",
            "env = { \"HTTPS_PROXY\" = \"http://proxy:3128\" }",
            "init {\n    security {\n      run-as-user = 3000",
        ],
    );
}

/// SELinux labels, an AppArmor profile, supplementary groups: each is a
/// field of `security`, none a W0701.
#[test]
fn labels_profiles_and_groups_import_and_build() {
    imports_and_builds(
        Chart::Server,
        "security.yaml",
        &[
            "supplemental-groups = [3000, 3001]",
            "type  = \"container_t\"",
            "level = \"s0:c123,c456\"",
            "apparmor                   = localhost",
            "apparmor-localhost-profile = \"prefect-server\"",
        ],
    );
}

#[test]
fn node_affinity_imports_and_builds() {
    imports_and_builds(
        Chart::Worker,
        "affinity.yaml",
        &[
            "required-nodes",
            "operator = in",
            "values   = [\"prefect\"]",
            "weight = 50",
            "operator = exists",
        ],
    );
}

/// Anti-affinity of one term over the component's own pods (this
/// release's worker) becomes `spread`; the build keeps the pods apart over
/// the same topology key with the same weight.
#[test]
fn own_pod_anti_affinity_imports_as_spread() {
    let site = imports_and_builds(
        Chart::Worker,
        "affinity_spread.yaml",
        &[
            "topology-key = \"topology.kubernetes.io/zone\"",
            "weight       = 80",
        ],
    );
    let objs = objects(&build_text(&site), "affinity_spread.yaml");
    let worker = objs
        .iter()
        .find(|o| kind(o) == "Deployment")
        .expect("the worker's Deployment");
    let terms = seq(
        &pod_template(worker).expect("a pod")["spec"]["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"],
    );
    assert_eq!(terms.len(), 1, "{site}");
    assert_eq!(terms[0]["weight"].as_i64(), Some(80));
    assert_eq!(
        terms[0]["podAffinityTerm"]["topologyKey"].as_str(),
        Some("topology.kubernetes.io/zone")
    );
}

/// Anti-affinity against other pods has no `.pfk` form: W0701 at the key,
/// and the rest of the worker is imported.
#[test]
fn anti_affinity_against_other_pods_is_reported() {
    let out = import(&request(
        Chart::Worker,
        &[&fixture("affinity_other_pods.yaml")],
        &[],
        Some("3.4.25"),
    ));
    let found = positions(&out);
    assert_eq!(found, [("W0701".to_string(), 9, 5)], "{}", rendered(&out));
    let site = out.site.expect("a site");
    assert!(!site.contains("spread"), "{site}");
}

/// `{{ .Release.Name }}`, `{{ .Release.Namespace }}` and `{{ .Values.… }}`
/// are evaluated; another template is kept as written and reported.
#[test]
fn helm_templates_in_values_are_evaluated_or_reported() {
    let text = "server:\n  env:\n    - name: URL\n      value: http://{{ .Release.Name }}.{{ .Release.Namespace }}{{ .Values.server.apiBasePath }}\n  podLabels:\n    a: '{{ include \"x\" . }}'\n";
    let mut req = request(Chart::Server, &[text], &[], Some("3.4.25"));
    req.namespace = "ops".into();
    let out = import(&req);
    let site = out
        .site
        .clone()
        .unwrap_or_else(|| panic!("{}", rendered(&out)));
    assert!(
        site.contains("\"URL\" = \"http://prefect.ops/api\""),
        "{site}"
    );
    let found = positions(&out);
    assert!(
        found.contains(&("W0701".to_string(), 6, 5)),
        "{}",
        rendered(&out)
    );
}

#[test]
fn containers_import_and_build() {
    imports_and_builds(
        Chart::Server,
        "containers.yaml",
        &[
            "name  = \"proxy\"",
            "image = \"nginx:1.27.3\"",
            "port = 8080",
            "\"MODE\" = \"edge\"",
            "sidecar = true",
            "run-as-user                = 3000",
            "add-capabilities           = [\"NET_BIND_SERVICE\"]",
            "path   = \"/ready\"",
            "period = 5s",
            "failure-threshold = 6",
            "command = [\"cat\", \"/tmp/started\"]",
        ],
    );
}

/// Every key of every chart's defaults, set in turn to a value of each
/// other kind (a list, a map, a word, a negative number): import
/// never panics, and prints a site only without errors.
#[test]
fn every_key_of_every_chart_with_a_wrong_kind_does_not_panic() {
    let replacements = [
        Value::Sequence(vec![Value::from(1)]),
        serde_yaml::from_str::<Value>("{a: 1}").expect("a map"),
        Value::from("x y"),
        Value::from(-1),
    ];
    let mut runs = 0;
    for chart in [Chart::Server, Chart::Worker, Chart::Exporter, Chart::Agent] {
        let path = support::manifest_dir().join(format!("src/import/charts/{}.yaml", chart.name()));
        let defaults: Value =
            serde_yaml::from_str(&std::fs::read_to_string(path).expect("the chart")).expect("YAML");
        for leaf in leaves(&defaults, Vec::new()) {
            for replacement in &replacements {
                let mut doc = Value::Mapping(Default::default());
                set_at(&mut doc, &leaf, replacement.clone());
                let text = serde_yaml::to_string(&doc).expect("serialises");
                let out = import(&request(chart, &[&text], &[], Some("3.4.25")));
                assert!(
                    out.site.is_none() || !out.has_errors(),
                    "{}",
                    leaf.join(".")
                );
                let _ = rendered(&out);
                runs += 1;
            }
        }
    }
    assert!(runs > 1000, "{runs}");
}

fn leaves(v: &Value, path: Vec<String>) -> Vec<Vec<String>> {
    match v {
        Value::Mapping(m) if !m.is_empty() => m
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v)))
            .flat_map(|(k, v)| {
                let mut p = path.clone();
                p.push(k);
                leaves(v, p)
            })
            .collect(),
        _ => vec![path],
    }
}

fn set_at(doc: &mut Value, path: &[String], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        *doc = value;
        return;
    };
    let Value::Mapping(m) = doc else {
        return;
    };
    let entry = m
        .entry(Value::from(first.as_str()))
        .or_insert_with(|| Value::Mapping(Default::default()));
    set_at(entry, rest, value);
}

#[test]
fn relabelings_import_and_build() {
    imports_and_builds(
        Chart::Exporter,
        "monitoring.yaml",
        &[
            "source-labels = [\"__meta_kubernetes_pod_node_name\"]",
            "target-label  = \"node\"",
            "action        = replace",
            "metric-relabelings",
            "action = drop",
        ],
    );
}

#[test]
fn a_port_name_imports() {
    let out = import(&request(
        Chart::Server,
        &["service:\n  portName: api\n"],
        &[],
        Some("3.4.25"),
    ));
    let site = out.site.unwrap_or_default();
    assert!(site.contains("port-name = \"api\""), "{site}");
}

/// Runs the binary: `prefectc import CHART -f FIXTURE ARGS…`, stdout and
/// stderr together, and whether it succeeded.
fn import_fixture(chart: Chart, file: &str, args: &[&str]) -> (String, bool) {
    let out = Command::new(env!("CARGO_BIN_EXE_prefectc"))
        .args(["import", chart.name(), "-f"])
        .arg(fixtures().join(file))
        .args(args)
        .output()
        .expect("prefectc runs");
    (
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        out.status.success(),
    )
}

/// Credentials a careless user leaves anywhere in the values (an env list,
/// annotations, labels, arguments, the site-wide annotations) are never
/// printed, whatever key they came through: an env var's value becomes a
/// Secret reference (W0703, with the `kubectl create secret` command and a
/// placeholder); where no reference can stand, the value is refused
/// (E0704) at its line. An ordinary value beside them is carried over.
#[test]
fn credentials_anywhere_in_the_values_are_never_printed() {
    let (printed, ok) = import_fixture(Chart::Server, "credentials_server.yaml", &[]);
    for secret in [
        "ghp_0123456789",
        "s3cr3t-in-env",
        "pnu_0123456789",
        "pnu_abcdefghij",
        "eyJhbGciOiJIUzI1NiJ9",
        "AKIAIOSFODNN7EXAMPLE",
        "hunter2-annotation",
    ] {
        assert!(!printed.contains(secret), "prints `{secret}`:\n{printed}");
    }
    assert!(!ok, "the label, annotations and argument are refused");
    for refused in [
        "`pod-annotations.vault-token`",
        "`pod-labels.uploader`",
        "`extra-args`",
        "`annotations.backup-url`",
    ] {
        assert!(
            printed.contains(refused),
            "{refused} is refused:\n{printed}"
        );
    }

    let (printed, ok) = import_fixture(
        Chart::Worker,
        "credentials_worker.yaml",
        &["--prefect", "3.4.25"],
    );
    for secret in [
        "wJalrXUtnFEMI",
        "xoxb-012345678901",
        "abcdefghijklmnopqrstuvwx",
        "hunter2-worker-annotation",
    ] {
        assert!(!printed.contains(secret), "prints `{secret}`:\n{printed}");
    }
    assert!(!ok, "the annotation is refused");
    assert!(
        printed.contains("`pod-annotations.registry-password`"),
        "{printed}"
    );
}

/// With the refused values removed, the env credentials are references to
/// a Secret the printed command creates, and the site builds; the ordinary
/// variable beside them is carried over as written (negative control).
#[test]
fn env_credentials_become_secret_references_and_the_site_builds() {
    let text =
        std::fs::read_to_string(fixtures().join("credentials_worker.yaml")).expect("the fixture");
    let env_only = text
        .split("  podAnnotations:")
        .next()
        .expect("the env part")
        .to_string();
    let out = import(&request(Chart::Worker, &[&env_only], &[], Some("3.4.25")));
    let site = out
        .site
        .as_deref()
        .unwrap_or_else(|| panic!("{}", rendered(&out)));
    assert!(
        site.contains(
            r#""AWS_SECRET_ACCESS_KEY" = secret("prefect-worker-env", "aws-secret-access-key")"#
        ),
        "{site}"
    );
    assert!(
        site.contains(r#""SLACK_BOT" = secret("prefect-worker-env", "slack-bot")"#),
        "{site}"
    );
    assert!(site.contains(r#""REGION" = "eu-west-1""#), "{site}");
    assert!(
        out.secrets
            .iter()
            .any(|s| s.name == "prefect-worker-env" && s.key == "aws-secret-access-key")
    );
    let built = build_text(site);
    assert!(!built.has_errors(), "{:?}", built.diagnostics);
}
