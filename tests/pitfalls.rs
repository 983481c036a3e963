//! The worker, exporter and agent pitfalls of the Helm charts
//! (`../shared/reference/HELM-CHARTS.md` §8) that prefectc prevents by
//! emitting something better, checked on the built objects. (The pitfalls it
//! prevents with a diagnostic are fixtures in `tests/fixtures/diagnostics`.)

use prefectc::{MemoryLoader, Options};
use serde::Deserialize;
use serde_yaml::Value;

/// Builds a site and returns its objects as YAML values; panics on errors.
fn build(text: &str) -> Vec<Value> {
    let out = prefectc::build(
        "site.pfk",
        text.to_string(),
        &MemoryLoader(Vec::new()),
        &Options {
            today: Some("2026-06-01".into()),
            ..Options::default()
        },
    );
    assert!(!out.has_errors(), "{:#?}", out.diagnostics);
    let yaml = prefectc::emit::yaml(out.objects.as_deref().expect("objects"));
    serde_yaml::Deserializer::from_str(&yaml)
        .map(|d| Value::deserialize(d).expect("valid YAML"))
        .collect()
}

fn objects<'a>(all: &'a [Value], kind: &str) -> Vec<&'a Value> {
    all.iter().filter(|o| o["kind"] == kind).collect()
}

fn named<'a>(all: &'a [Value], kind: &str, name: &str) -> &'a Value {
    objects(all, kind)
        .into_iter()
        .find(|o| o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind}/{name}"))
}

fn env_names(container: &Value) -> Vec<String> {
    container["env"]
        .as_sequence()
        .into_iter()
        .flatten()
        .map(|e| e["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

const SITE: &str = "site demo {\n  namespace = \"prefect\"\n  prefect   = \"3.4.25\"\n}\nserver prefect { database = sqlite {} }\n";

/// P-W2, P-W8: a process worker gets no Kubernetes RBAC, no token, no
/// observer environment, and the plain image.
#[test]
fn a_process_worker_gets_no_kubernetes_rbac() {
    let all = build(&format!(
        "{SITE}worker scripts {{\n  api  = prefect\n  pool = \"scripts\"\n  type = process\n}}\n"
    ));
    for kind in ["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"] {
        assert!(
            objects(&all, kind).is_empty(),
            "a process worker got a {kind}"
        );
    }
    let pod = &named(&all, "Deployment", "scripts")["spec"]["template"]["spec"];
    assert_eq!(pod["automountServiceAccountToken"], false);
    let container = &pod["containers"][0];
    assert!(
        !env_names(container)
            .iter()
            .any(|n| n.starts_with("PREFECT_INTEGRATIONS_KUBERNETES")),
        "a process worker got the Kubernetes observer env"
    );
    assert_eq!(
        container["image"], "prefecthq/prefect:3.4.25-python3.12",
        "a process worker runs the plain image"
    );
}

/// P-X8, P-W6: two workers of one namespace with inline templates get a
/// ConfigMap each, and each mounts its own.
#[test]
fn two_workers_get_distinct_template_config_maps() {
    let template =
        r#""""{ "job_configuration": { "job_manifest": { "kind": "Job" } }, "variables": {} }""""#;
    let all = build(&format!(
        "{SITE}for t in [\"etl\", \"ml\"] {{\n  worker \"${{t}}\" {{\n    api = prefect\n    pool = \"k8s\"\n    type = kubernetes\n    base-job-template = {template}\n  }}\n}}\n"
    ));
    let maps: Vec<&str> = objects(&all, "ConfigMap")
        .iter()
        .map(|o| o["metadata"]["name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(maps, ["etl-base-job-template", "ml-base-job-template"]);
    for w in ["etl", "ml"] {
        let volumes = &named(&all, "Deployment", w)["spec"]["template"]["spec"]["volumes"];
        let source = volumes
            .as_sequence()
            .into_iter()
            .flatten()
            .find_map(|v| v["configMap"]["name"].as_str())
            .expect("the template volume");
        assert_eq!(source, format!("{w}-base-job-template"));
    }
}

/// P-W7: an edit of an inline template changes the pods' checksum
/// annotation, so the pods roll and the sync init container runs again.
#[test]
fn editing_the_template_rolls_the_pods() {
    let checksum = |image: &str| {
        let all = build(&format!(
            "{SITE}worker jobs {{\n  api = prefect\n  pool = \"k8s\"\n  type = kubernetes\n  base-job-template = \"\"\"{{ \"job_configuration\": {{ \"job_manifest\": {{ \"kind\": \"Job\", \"image\": \"{image}\" }} }}, \"variables\": {{}} }}\"\"\"\n}}\n"
        ));
        let d = named(&all, "Deployment", "jobs");
        let annotations = &d["spec"]["template"]["metadata"]["annotations"];
        let init: Vec<&str> = d["spec"]["template"]["spec"]["initContainers"]
            .as_sequence()
            .into_iter()
            .flatten()
            .filter_map(|c| c["name"].as_str())
            .collect();
        assert_eq!(init, ["sync-base-job-template"]);
        annotations["checksum/base-job-template"]
            .as_str()
            .expect("a checksum")
            .to_string()
    };
    assert_ne!(checksum("a:1"), checksum("a:2"));
}

/// P-E1: the exporter's HPA is valid autoscaling/v2.
#[test]
fn the_exporter_hpa_is_valid_autoscaling_v2() {
    let all = build(&format!(
        "{SITE}@allow(\"prefect/exporter-replicas\", reason = \"tested\")\nexporter metrics {{\n  api = prefect\n  autoscaling {{ max = 2, memory = 80% }}\n}}\n"
    ));
    let hpa = named(&all, "HorizontalPodAutoscaler", "metrics");
    assert_eq!(hpa["apiVersion"], "autoscaling/v2");
    let metric = &hpa["spec"]["metrics"][0]["resource"];
    assert_eq!(metric["name"], "memory");
    assert_eq!(metric["target"]["type"], "Utilization");
    assert_eq!(metric["target"]["averageUtilization"], 80);
    assert!(metric.get("targetAverageUtilization").is_none());
    assert!(
        named(&all, "Deployment", "metrics")["spec"]
            .get("replicas")
            .is_none(),
        "the HPA owns the replicas"
    );
}

/// P-W8, P-X10: no empty `dnsConfig` stanza; a set one is written.
#[test]
fn dns_config_only_when_set() {
    let worker = |extra: &str| {
        let all = build(&format!(
            "{SITE}worker jobs {{\n  api = prefect\n  pool = \"k8s\"\n  type = kubernetes\n{extra}}}\n"
        ));
        named(&all, "Deployment", "jobs")["spec"]["template"]["spec"].clone()
    };
    let plain = worker("");
    assert!(plain.get("dnsConfig").is_none() && plain.get("dnsPolicy").is_none());
    let set = worker(
        "  dns-policy = config-only\n  dns-config { nameservers = [\"10.0.0.10\"], options = { ndots = \"2\", edns0 = \"\" } }\n",
    );
    assert_eq!(set["dnsPolicy"], "None");
    assert_eq!(set["dnsConfig"]["nameservers"][0], "10.0.0.10");
    assert!(set["dnsConfig"].get("searches").is_none());
    assert_eq!(set["dnsConfig"]["options"][0]["name"], "ndots");
    assert!(set["dnsConfig"]["options"][1].get("value").is_none());
}

/// P-W3: job namespaces each get a Role, cluster-wide observation gets a
/// ClusterRole (the chart gives neither), and the observer env follows.
#[test]
fn rbac_follows_job_namespaces_and_observer_scope() {
    let all = build(&format!(
        "{SITE}worker jobs {{\n  api = prefect\n  pool = \"k8s\"\n  type = kubernetes\n  cluster-uid = \"uid\"\n  job-namespaces = [\"flows-a\", \"flows-b\"]\n}}\n"
    ));
    let namespaces: Vec<&str> = objects(&all, "Role")
        .iter()
        .map(|r| r["metadata"]["namespace"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(namespaces, ["flows-a", "flows-b"]);
    assert!(
        objects(&all, "ClusterRole").is_empty(),
        "nothing cluster-scoped with a cluster UID"
    );
    let container = &named(&all, "Deployment", "jobs")["spec"]["template"]["spec"]["containers"][0];
    let observer = container["env"]
        .as_sequence()
        .into_iter()
        .flatten()
        .find(|e| e["name"] == "PREFECT_INTEGRATIONS_KUBERNETES_OBSERVER_NAMESPACES")
        .expect("observer namespaces");
    assert_eq!(observer["value"], "flows-a,flows-b");

    let all = build(&format!(
        "{SITE}worker jobs {{\n  api = prefect\n  pool = \"k8s\"\n  type = kubernetes\n  observe-cluster = true\n}}\n"
    ));
    let role = named(&all, "ClusterRole", "prefect-jobs");
    let rules = serde_yaml::to_string(&role["rules"]).expect("YAML");
    assert!(rules.contains("kube-system") && rules.contains("jobs"));
    assert!(!rules.contains("create"), "observation only reads");
    let container = &named(&all, "Deployment", "jobs")["spec"]["template"]["spec"]["containers"][0];
    assert!(
        !env_names(container)
            .contains(&"PREFECT_INTEGRATIONS_KUBERNETES_OBSERVER_NAMESPACES".to_string())
    );
}

/// P-W3: Secret rights only for create-secret key propagation, scoped to the
/// worker's own Secret.
#[test]
fn key_secret_rights_are_scoped() {
    let cloud = "cloud {\n    account = \"a\"\n    workspace = \"w\"\n    key = secret(\"prefect-api-key\", \"key\")\n    key-propagation = PROPAGATION\n  }";
    let role = |propagation: &str| {
        let all = build(&format!(
            "{SITE}worker jobs {{\n  api = {}\n  pool = \"k8s\"\n  type = kubernetes\n  name = \"Jobs A\"\n}}\n",
            cloud.replace("PROPAGATION", propagation)
        ));
        serde_yaml::to_string(&named(&all, "Role", "jobs")["rules"]).expect("YAML")
    };
    assert!(!role("secret-ref").contains("secrets"));
    let rules = role("create-secret");
    assert!(rules.contains("prefect-jobs-a-api-key"));
    let unscoped: Vec<&str> = rules
        .split("- apiGroups")
        .filter(|r| r.contains("secrets") && !r.contains("resourceNames"))
        .collect();
    assert_eq!(unscoped.len(), 1);
    assert!(
        unscoped[0].contains("create")
            && !unscoped[0].contains("get")
            && !unscoped[0].contains("list")
    );
}
