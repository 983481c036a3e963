//! What the Kubernetes API server refuses (issue 15), at the edges:
//! hosts, port names, localhost profiles, names of referred objects and
//! the labels prefectc sets. The refusals themselves are diagnostics
//! fixtures (`tests/fixtures/diagnostics/`); here, the values just inside
//! each boundary build, and what they build is judged from the emitted
//! YAML, the way `kubectl` reads it.

mod support;

use serde_yaml::Value;
use support::{build_text, env_value, find, objects, pod_template, seq};

const SITE: &str = r#"site demo {
  namespace = "prefect"
  prefect   = "3.4.25"
  labels    = { team = "data" }
}
"#;

fn site(body: &str) -> String {
    format!("{SITE}\n{body}\n")
}

/// The error codes of a build, with their messages.
fn errors(body: &str) -> Vec<(String, String)> {
    build_text(&site(body))
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code.as_str().to_string(), d.message.clone()))
        .collect()
}

fn built(body: &str) -> Vec<Value> {
    objects(&build_text(&site(body)), body)
}

fn main_container<'a>(deployment: &'a Value, name: &str) -> &'a Value {
    let template = pod_template(deployment).expect("a Deployment has a pod template");
    seq(&template["spec"]["containers"])
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no container {name}"))
}

/// The value of `var` in the server's main container.
fn server_env<'a>(all: &'a [Value], var: &str) -> &'a str {
    let deployment = find(all, "Deployment", "prefect");
    env_value(main_container(deployment, "prefect-server"), var)
        .unwrap_or_else(|| panic!("no {var}"))
}

#[test]
fn a_port_name_of_15_characters_names_the_service_and_container_port() {
    let all = built(
        r#"server prefect {
  database = sqlite {}
  service { port-name = "prefect-api-h15" }
}"#,
    );
    let service = find(&all, "Service", "prefect");
    assert_eq!(service["spec"]["ports"][0]["name"], "prefect-api-h15");
    assert_eq!(service["spec"]["ports"][0]["targetPort"], "prefect-api-h15");
    let deployment = find(&all, "Deployment", "prefect");
    let ports = &main_container(deployment, "prefect-server")["ports"];
    assert_eq!(ports[0]["name"], "prefect-api-h15");
}

#[test]
fn a_port_name_of_16_characters_is_refused() {
    let errors = errors(
        r#"server prefect {
  database = sqlite {}
  service { port-name = "prefect-api-h16x" }
}"#,
    );
    assert_eq!(
        errors,
        [("E0310".to_string(), "not a valid port name".to_string())]
    );
}

/// A server with a sidecar whose container port is named `name`.
fn sidecar_port(name: &str) -> String {
    format!(
        r#"server prefect {{
  database = sqlite {{}}
  sidecars = [{{ name = "proxy", image = "envoyproxy/envoy:v1.31.0", ports = [{{ name = "{name}", port = 9901 }}] }}]
}}"#
    )
}

#[test]
fn port_names_at_the_edges_of_iana_svc_name() {
    for ok in ["a", "h2c", "9a", "a-9"] {
        assert_eq!(errors(&sidecar_port(ok)), [], "{ok}");
    }
    for bad in ["-a", "a-", "a--b", "9", "A", ""] {
        assert_eq!(
            errors(&sidecar_port(bad)),
            [("E0310".to_string(), "not a valid port name".to_string())],
            "{bad:?}"
        );
    }
}

#[test]
fn wildcard_route_hosts_build_where_kubernetes_allows_them() {
    let all = built(
        r#"server prefect {
  database = sqlite {}
  ui { api-url = "https://prefect.example.com/api" }
  ingress {
    host        = "*.example.com"
    extra-hosts = [{ host = "*.example.org" }]
    extra-tls   = [{ hosts = ["*.example.org"], secret = secret("org-tls") }]
  }
}"#,
    );
    let ingress = find(&all, "Ingress", "prefect");
    let hosts: Vec<&str> = seq(&ingress["spec"]["rules"])
        .iter()
        .filter_map(|r| r["host"].as_str())
        .collect();
    assert_eq!(hosts, ["*.example.com", "*.example.org"]);
    assert_eq!(
        server_env(&all, "PREFECT_UI_API_URL"),
        "https://prefect.example.com/api"
    );
}

#[test]
fn the_ui_url_is_derived_from_a_plain_host() {
    let all = built(
        r#"server prefect {
  database = sqlite {}
  gateway { class = "istio", hostnames = ["prefect.example.com", "*.example.com"] }
}"#,
    );
    assert_eq!(
        server_env(&all, "PREFECT_UI_API_URL"),
        "https://prefect.example.com/api"
    );
}

#[test]
fn a_wildcard_host_needs_no_ui_url_when_the_ui_is_off() {
    let body = r#"server prefect {
  database = sqlite {}
  ui { enabled = false }
  gateway { class = "istio", hostnames = ["*.example.com"] }
}"#;
    assert_eq!(errors(body), []);
    let derived = r#"server prefect {
  database = sqlite {}
  gateway { class = "istio", hostnames = ["*.example.com"] }
}"#;
    assert_eq!(
        errors(derived),
        [(
            "E0310".to_string(),
            "the UI's API URL cannot be derived from a wildcard host".to_string()
        )]
    );
}

#[test]
fn hosts_a_client_connects_to_may_be_ip_addresses() {
    let body = r#"server prefect {
  database = postgres { host = "10.0.0.5", password = secret("db", "password") }
  background-services {
    separate  = true
    messaging = redis { host = "fd00::6" }
  }
}"#;
    assert_eq!(errors(body), []);
    let all = built(body);
    assert_eq!(server_env(&all, "PREFECT_SERVER_DATABASE_HOST"), "10.0.0.5");
}

#[test]
fn a_sidecar_loads_the_pod_s_localhost_profile() {
    let all = built(
        r#"server prefect {
  database = sqlite {}
  security { seccomp-localhost-profile = "profiles/envoy.json", apparmor-localhost-profile = "k8s-envoy" }
  sidecars = [{
    name     = "proxy"
    image    = "envoyproxy/envoy:v1.31.0"
    security { seccomp = localhost, apparmor = localhost }
  }]
}"#,
    );
    let deployment = find(&all, "Deployment", "prefect");
    let template = pod_template(deployment).expect("a pod template");
    assert_eq!(
        template["spec"]["securityContext"]["seccompProfile"],
        serde_yaml::from_str::<Value>("type: RuntimeDefault").expect("YAML")
    );
    let proxy = main_container(deployment, "proxy");
    assert_eq!(
        proxy["securityContext"]["seccompProfile"],
        serde_yaml::from_str::<Value>("{type: Localhost, localhostProfile: profiles/envoy.json}")
            .expect("YAML")
    );
    assert_eq!(
        proxy["securityContext"]["appArmorProfile"],
        serde_yaml::from_str::<Value>("{type: Localhost, localhostProfile: k8s-envoy}")
            .expect("YAML")
    );
}

#[test]
fn an_empty_localhost_profile_is_no_profile() {
    let errors = errors(
        r#"server prefect {
  database = sqlite {}
  security { seccomp = localhost, seccomp-localhost-profile = " " }
}"#,
    );
    assert_eq!(
        errors,
        [(
            "E0303".to_string(),
            "`seccomp = localhost` needs `seccomp-localhost-profile`".to_string()
        )]
    );
}

#[test]
fn a_profile_only_an_init_container_loads_is_used() {
    // The worker's init container sets seccomp = localhost: the worker's
    // profile is used, so it is not unused.
    let body = r#"pool jobs { type = kubernetes }
worker w {
  pool     = jobs
  api      = self-hosted { url = "https://prefect.example.com/api" }
  security { seccomp-localhost-profile = "profiles/init.json" }
  init { security { seccomp = localhost } }
}"#;
    assert_eq!(errors(body), []);
}

#[test]
fn pod_labels_win_over_the_site_s_on_the_pods() {
    let all = built(
        r#"server prefect {
  database   = sqlite {}
  pod-labels = { team = "platform" }
}"#,
    );
    let deployment = find(&all, "Deployment", "prefect");
    assert_eq!(deployment["metadata"]["labels"]["team"], "data");
    let template = pod_template(deployment).expect("a pod template");
    assert_eq!(template["metadata"]["labels"]["team"], "platform");
    assert_eq!(
        template["metadata"]["labels"]["app.kubernetes.io/name"],
        "prefect-server"
    );
}

#[test]
fn labels_prefectc_sets_may_be_written_where_they_select_nothing() {
    let body = r#"exporter metrics {
  api             = self-hosted { url = "https://prefect.example.com/api" }
  service-monitor { labels = { "app.kubernetes.io/part-of" = "monitoring" } }
}"#;
    assert_eq!(errors(body), []);
    let all = built(body);
    let monitor = find(&all, "ServiceMonitor", "metrics");
    assert_eq!(
        monitor["metadata"]["labels"]["app.kubernetes.io/part-of"],
        "monitoring"
    );
}

#[test]
fn names_of_referred_objects_at_their_edges() {
    let long = format!("{}.b", "a".repeat(251));
    let body = format!(
        r#"server prefect {{
  database       = postgres {{ url = secret("{long}", "url") }}
  priority-class = "system.high-1"
}}"#
    );
    assert_eq!(errors(&body), []);
    let too_long = format!("{}.b", "a".repeat(252));
    let body = format!(
        r#"server prefect {{
  database = postgres {{ url = secret("{too_long}", "url") }}
}}"#
    );
    assert_eq!(
        errors(&body),
        [("E0310".to_string(), "not a valid Secret name".to_string())]
    );
}

#[test]
/// `service.port-name` names the exporter's container port: its probes and
/// the ServiceMonitor's endpoint name the same port (they said `http`,
/// which no port was called once the name changed).
fn the_exporter_s_probes_and_service_monitor_follow_its_port_name() {
    let all = built(
        r#"exporter metrics {
  api             = self-hosted { url = "https://prefect.example.com/api" }
  service         { port-name = "scrape" }
  service-monitor {}
}"#,
    );
    let service = find(&all, "Service", "metrics");
    assert_eq!(service["spec"]["ports"][0]["name"], "scrape");
    let deployment = find(&all, "Deployment", "metrics");
    let exporter = main_container(deployment, "prometheus-prefect-exporter");
    assert_eq!(exporter["ports"][0]["name"], "scrape");
    for probe in ["livenessProbe", "readinessProbe"] {
        assert_eq!(exporter[probe]["tcpSocket"]["port"], "scrape", "{probe}");
    }
    let monitor = find(&all, "ServiceMonitor", "metrics");
    assert_eq!(monitor["spec"]["endpoints"][0]["port"], "scrape");
}

#[test]
/// `data` is the SQLite server's volume only: other pods may have one.
fn volume_names_prefectc_takes_depend_on_the_pod() {
    let long = "v".repeat(63);
    let body = format!(
        r#"server prefect {{
  database      = postgres {{ url = secret("db", "url") }}
  volumes       = {{ data = empty-dir {{}}, {long} = empty-dir {{}} }}
  volume-mounts = [{{ volume = "data", path = "/data" }}]
  sidecars      = [{{
    name          = "proxy"
    image         = "envoyproxy/envoy:v1.31.0"
    volume-mounts = [{{ volume = "{long}", path = "/v" }}]
  }}]
}}"#
    );
    assert_eq!(errors(&body), []);
    let all = built(&body);
    let deployment = find(&all, "Deployment", "prefect");
    let proxy = main_container(deployment, "proxy");
    assert!(
        seq(&proxy["volumeMounts"])
            .iter()
            .any(|m| m["name"] == long.as_str() && m["mountPath"] == "/v"),
        "{proxy:?}"
    );
    let sqlite = r#"server prefect {
  database = sqlite {}
  volumes  = { data = empty-dir {} }
}"#;
    assert_eq!(
        errors(sqlite),
        [(
            "E0408".to_string(),
            "prefectc adds a volume named `data` to these pods".to_string()
        )]
    );
    let too_long = format!(
        r#"server prefect {{
  database = sqlite {{}}
  volumes  = {{ {}v = empty-dir {{}} }}
}}"#,
        long
    );
    assert_eq!(
        errors(&too_long),
        [("E0310".to_string(), "not a valid DnsName".to_string())]
    );
}

#[test]
/// The separate background services are a second pod with the server's
/// sidecars: a sidecar asking for a profile neither pod has is reported
/// once; the services' own `security` counts only when they run apart.
fn localhost_profiles_of_the_background_services_pod() {
    let server = |separate: bool, sidecar: &str| {
        format!(
            r#"server prefect {{
  database = postgres {{ url = secret("db", "url") }}
  background-services {{
    separate  = {separate}
    messaging = redis {{ host = "redis.internal" }}
    security  {{ seccomp = localhost }}
  }}
  sidecars = [{{ name = "proxy", image = "envoyproxy/envoy:v1.31.0", security {{ {sidecar} }} }}]
}}"#
        )
    };
    let missing = |n: usize| {
        vec![
            (
                "E0303".to_string(),
                "`seccomp = localhost` needs `seccomp-localhost-profile`".to_string()
            );
            n
        ]
    };
    assert_eq!(errors(&server(true, "seccomp = localhost")), missing(2));
    assert_eq!(errors(&server(true, "")), missing(1));
    assert_eq!(errors(&server(false, "")), missing(0));
    assert_eq!(errors(&server(false, "seccomp = localhost")), missing(1));
}

#[test]
fn a_pod_s_own_localhost_type_uses_its_profile() {
    let body = r#"server prefect {
  database = sqlite {}
  security {
    seccomp                    = localhost
    seccomp-localhost-profile  = "profiles/prefect.json"
    apparmor                   = localhost
    apparmor-localhost-profile = "k8s-prefect"
  }
}"#;
    assert_eq!(errors(body), []);
    let all = built(body);
    let deployment = find(&all, "Deployment", "prefect");
    let template = pod_template(deployment).expect("a pod template");
    assert_eq!(
        template["spec"]["securityContext"]["appArmorProfile"]["localhostProfile"],
        "k8s-prefect"
    );
}

#[test]
fn resolver_settings_as_kubernetes_reads_them() {
    let body = r#"pool jobs { type = kubernetes }
worker w {
  pool       = jobs
  api        = self-hosted { url = "https://prefect.example.com/api" }
  dns-policy = config-only
  dns-config { nameservers = ["10.0.0.10", "fd00::a"], searches = ["corp.example.com."] }
}"#;
    assert_eq!(errors(body), []);
    let all = built(body);
    let template = pod_template(find(&all, "Deployment", "w")).expect("a pod template");
    let config = &template["spec"]["dnsConfig"];
    assert_eq!(config["nameservers"][1], "fd00::a");
    assert_eq!(config["searches"][0], "corp.example.com.");
}

#[test]
/// The pod's seccomp type is pointed at only when it is written.
fn an_unused_profile_points_at_a_written_type_only() {
    let secondary = |security: &str| {
        let out = build_text(&site(&format!(
            "server prefect {{\n  database = sqlite {{}}\n  security {{ {security} }}\n}}"
        )));
        let d = out
            .diagnostics
            .iter()
            .find(|d| d.code.as_str() == "E0404")
            .expect("E0404");
        d.secondary.len()
    };
    assert_eq!(secondary(r#"seccomp-localhost-profile = "p.json""#), 0);
    assert_eq!(
        secondary(r#"seccomp = unconfined, seccomp-localhost-profile = "p.json""#),
        1
    );
}

#[test]
/// Pod Security labels in the site's `labels` are written over only on
/// the Namespace prefectc emits; without `create-namespace` they stay.
fn pod_security_labels_conflict_only_with_an_emitted_namespace() {
    let site = |create: bool| {
        format!(
            r#"site demo {{
  namespace        = "prefect"
  prefect          = "3.4.25"
  create-namespace = {create}
  labels           = {{ "pod-security.kubernetes.io/warn" = "restricted" }}
}}
server prefect {{ database = sqlite {{}} }}
"#
        )
    };
    let codes = |text: &str| -> Vec<String> {
        build_text(text)
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code.as_str().to_string())
            .collect()
    };
    assert_eq!(codes(&site(true)), ["E0314"]);
    assert_eq!(codes(&site(false)), Vec::<String>::new());
    let all = objects(&build_text(&site(false)), "site");
    let deployment = find(&all, "Deployment", "prefect");
    assert_eq!(
        deployment["metadata"]["labels"]["pod-security.kubernetes.io/warn"],
        "restricted"
    );
}
