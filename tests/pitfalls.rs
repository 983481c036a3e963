//! The server, worker, exporter and agent pitfalls of the Helm charts
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
    let template = r#""""{ "job_configuration": { "namespace": "prefect", "job_manifest": { "apiVersion": "batch/v1", "kind": "Job", "spec": { "template": { "spec": { "parallelism": 1, "completions": 1, "restartPolicy": "Never", "serviceAccountName": "flow-runs", "automountServiceAccountToken": false, "securityContext": {"runAsNonRoot": true, "runAsUser": 10001, "seccompProfile": {"type": "RuntimeDefault"}}, "containers": [{ "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}, "readOnlyRootFilesystem": true}, "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"memory": "1Gi"}}, "name": "prefect-job", "image": "ghcr.io/acme/flows:1.4.2" }] } } } } }, "variables": {} }""""#;
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
            "{SITE}worker jobs {{\n  api = prefect\n  pool = \"k8s\"\n  type = kubernetes\n  base-job-template = \"\"\"{{ \"job_configuration\": {{ \"namespace\": \"prefect\", \"job_manifest\": {{ \"apiVersion\": \"batch/v1\", \"kind\": \"Job\", \"spec\": {{ \"template\": {{ \"spec\": {{ \"parallelism\": 1, \"completions\": 1, \"restartPolicy\": \"Never\", \"serviceAccountName\": \"flow-runs\", \"automountServiceAccountToken\": false, \"securityContext\": {{\"runAsNonRoot\": true, \"runAsUser\": 10001, \"seccompProfile\": {{\"type\": \"RuntimeDefault\"}}}}, \"containers\": [{{ \"securityContext\": {{\"allowPrivilegeEscalation\": false, \"capabilities\": {{\"drop\": [\"ALL\"]}}, \"readOnlyRootFilesystem\": true}}, \"resources\": {{\"requests\": {{\"cpu\": \"100m\", \"memory\": \"256Mi\"}}, \"limits\": {{\"memory\": \"1Gi\"}}}}, \"name\": \"prefect-job\", \"image\": \"{image}\" }}] }} }} }} }} }}, \"variables\": {{}} }}\"\"\"\n}}\n"
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
    assert_ne!(
        checksum("ghcr.io/acme/flows:1.4.1"),
        checksum("ghcr.io/acme/flows:1.4.2")
    );
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
    let cloud = "cloud {\n    account = \"6e02a1db-07de-4760-a15f-ab1d3d3a2a0a\"\n    workspace = \"54d7a7ea-3bb6-4d6e-9e05-1f1c1a7c9c52\"\n    key = secret(\"prefect-api-key\", \"key\")\n    key-propagation = PROPAGATION\n  }";
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

const DEMO: &str = "site demo {\n  namespace = \"prefect\"\n  prefect   = \"3.4.25\"\n}\n";

fn secret_ref<'a>(container: &'a Value, name: &str) -> &'a Value {
    let var = container["env"]
        .as_sequence()
        .into_iter()
        .flatten()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no env {name}"));
    &var["valueFrom"]["secretKeyRef"]
}

/// P-S1, P-S2: the in-cluster PostgreSQL and Redis keep their data on a
/// volume claim, and their passwords come from the user's Secrets (nothing
/// generated, nothing written).
#[test]
fn in_cluster_backing_services_persist_and_read_user_secrets() {
    let all = build(&format!(
        "{DEMO}server prefect {{\n  database = postgres.in-cluster {{ password = secret(\"pg\", \"password\") }}\n  background-services {{\n    separate = true\n    messaging = redis.in-cluster {{ password = secret(\"redis\", \"password\") }}\n  }}\n}}\n"
    ));
    assert!(
        objects(&all, "Secret").is_empty(),
        "prefectc wrote a Secret"
    );
    for (name, var, secret) in [
        ("prefect-postgresql", "POSTGRES_PASSWORD", "pg"),
        ("prefect-redis", "REDIS_PASSWORD", "redis"),
    ] {
        let set = named(&all, "StatefulSet", name);
        let claims = set["spec"]["volumeClaimTemplates"]
            .as_sequence()
            .expect("a volume claim template");
        assert_eq!(claims[0]["metadata"]["name"], "data", "{name}");
        let container = &set["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(secret_ref(container, var)["name"], secret, "{name}");
    }
    // The server reaches both through their Services, with the same Secrets.
    let server = &named(&all, "Deployment", "prefect")["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(
        secret_ref(server, "PREFECT_SERVER_DATABASE_PASSWORD")["name"],
        "pg"
    );
    assert_eq!(
        secret_ref(server, "PREFECT_REDIS_MESSAGING_PASSWORD")["name"],
        "redis"
    );
    let host = server["env"]
        .as_sequence()
        .into_iter()
        .flatten()
        .find(|e| e["name"] == "PREFECT_SERVER_DATABASE_HOST")
        .expect("a database host");
    assert_eq!(
        host["value"],
        "prefect-postgresql.prefect.svc.cluster.local"
    );
    named(&all, "Service", "prefect-postgresql");
    named(&all, "Service", "prefect-redis");
}

/// The one migrations Job: `<server>-db-migrations-<8 hex>`.
fn migrations_job(all: &[Value]) -> &Value {
    let jobs = objects(all, "Job");
    let [job] = jobs.as_slice() else {
        panic!("one Job, got {}", jobs.len());
    };
    let name = job["metadata"]["name"].as_str().expect("a name");
    let hash = name
        .rsplit_once('-')
        .map(|(_, h)| h)
        .expect("a hash suffix");
    assert!(
        name.contains("-db-migrations-")
            && hash.len() == 8
            && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{name}"
    );
    job
}

fn split_server(name: &str, prefect: &str, migrations: &str) -> String {
    format!(
        "site demo {{\n  namespace = \"prefect\"\n  prefect   = \"{prefect}\"\n}}\nserver {name} {{\n  database = postgres {{ url = secret(\"db\", \"url\") }}\n  background-services {{\n    separate = true\n    messaging = redis {{ host = \"redis\" }}\n  }}\n{migrations}}}\n"
    )
}

/// Jobs are immutable, so an upgrade must be a new Job: the name carries a
/// hash of the Job's spec, the same for the same input, another for another
/// image or setting, and within the 63 characters of the `job-name` label.
#[test]
fn the_migrations_job_is_renamed_by_what_it_runs() {
    let name_of = |text: &str| {
        migrations_job(&build(text))["metadata"]["name"]
            .as_str()
            .expect("a name")
            .to_string()
    };
    let base = name_of(&split_server("prefect", "3.4.25", ""));
    assert!(base.starts_with("prefect-db-migrations-"), "{base}");
    assert_eq!(base, name_of(&split_server("prefect", "3.4.25", "")));
    assert_ne!(base, name_of(&split_server("prefect", "3.4.26", "")));
    assert_ne!(
        base,
        name_of(&split_server(
            "prefect",
            "3.4.25",
            "  migrations { backoff-limit = 2 }\n"
        ))
    );
    let long = format!("p{}", "-x".repeat(31));
    let name = name_of(&split_server(&long, "3.4.25", ""));
    assert!(name.len() <= 63, "{name} has {} characters", name.len());
    assert!(name.starts_with(&long[..39]), "{name}");
}

/// P-S5, P-S15: the migrations Job has writable scratch under its read-only
/// root filesystem, runs before the server in Argo CD's order, and no
/// server-side pod mounts a token; the background services are probed.
#[test]
fn migrations_are_ordered_writable_and_no_server_pod_has_a_token() {
    let all = build(&format!(
        "{DEMO}server prefect {{\n  database = postgres {{ url = secret(\"db\", \"url\") }}\n  background-services {{\n    separate = true\n    messaging = redis {{ host = \"redis\" }}\n  }}\n}}\n"
    ));
    let job = migrations_job(&all);
    assert_eq!(
        job["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"], "-1",
        "the Job runs in an earlier sync wave than the server"
    );
    assert_eq!(
        job["metadata"]["annotations"]["argocd.argoproj.io/hook-delete-policy"],
        "BeforeHookCreation",
        "Argo CD deletes the last run before the next"
    );
    let container = &job["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["securityContext"]["readOnlyRootFilesystem"], true);
    let mounts: Vec<&str> = container["volumeMounts"]
        .as_sequence()
        .into_iter()
        .flatten()
        .filter_map(|m| m["mountPath"].as_str())
        .collect();
    assert!(
        mounts.contains(&"/home/prefect") && mounts.contains(&"/tmp"),
        "{mounts:?}"
    );
    for o in objects(&all, "Deployment")
        .into_iter()
        .chain(objects(&all, "Job"))
    {
        let pod = &o["spec"]["template"]["spec"];
        assert_eq!(
            pod["automountServiceAccountToken"], false,
            "{:?}",
            o["metadata"]["name"]
        );
    }
    let services = &named(&all, "Deployment", "prefect-background-services")["spec"]["template"]["spec"]
        ["containers"][0];
    assert!(services["livenessProbe"].is_mapping() && services["readinessProbe"].is_mapping());
}

/// P-S7, P-S6: TLS certificates are the Secrets the site names (nothing
/// derived from a host name), and a Gateway with HTTPS redirects plain HTTP.
#[test]
fn exposure_uses_the_named_certificates() {
    let ingress = build(&format!(
        "{DEMO}server prefect {{\n  database = sqlite {{}}\n  ingress {{\n    host = \"prefect.example.com\"\n    tls = secret(\"prefect-cert\")\n  }}\n}}\n"
    ));
    let tls = &named(&ingress, "Ingress", "prefect")["spec"]["tls"][0];
    assert_eq!(tls["secretName"], "prefect-cert");
    let gateway = build(&format!(
        "{DEMO}server prefect {{\n  database = sqlite {{}}\n  gateway {{\n    class = \"istio\"\n    hostnames = [\"prefect.example.com\"]\n    tls = secret(\"prefect-cert\")\n  }}\n}}\n"
    ));
    let listeners = named(&gateway, "Gateway", "prefect")["spec"]["listeners"]
        .as_sequence()
        .expect("listeners");
    assert_eq!(
        listeners[1]["tls"]["certificateRefs"][0]["name"],
        "prefect-cert"
    );
    let redirect = named(&gateway, "HTTPRoute", "prefect-tls-redirect");
    assert_eq!(redirect["spec"]["parentRefs"][0]["sectionName"], "http");
    assert_eq!(
        named(&gateway, "HTTPRoute", "prefect")["spec"]["parentRefs"][0]["sectionName"],
        "https"
    );
}

/// P-S8, P-S9, P-S14: externalTrafficPolicy reaches a LoadBalancer Service;
/// a SQLite server recreates its one pod; PostgreSQL by parts never becomes a
/// URL with the password spliced in.
#[test]
fn services_sqlite_and_database_parts() {
    let all = build(&format!(
        "{DEMO}server prefect {{\n  database = sqlite {{}}\n  service {{\n    type = load-balancer\n    external-traffic-policy = local\n  }}\n}}\n"
    ));
    let service = named(&all, "Service", "prefect");
    assert_eq!(service["spec"]["externalTrafficPolicy"], "Local");
    let deployment = named(&all, "Deployment", "prefect");
    assert_eq!(deployment["spec"]["strategy"]["type"], "Recreate");
    assert_eq!(deployment["spec"]["replicas"], 1);

    let parts = build(&format!(
        "{DEMO}server prefect {{\n  database = postgres {{\n    host = \"db\"\n    password = secret(\"db\", \"password\")\n  }}\n}}\n"
    ));
    let container =
        &named(&parts, "Deployment", "prefect")["spec"]["template"]["spec"]["containers"][0];
    let names = env_names(container);
    assert!(!names.contains(&"PREFECT_SERVER_DATABASE_CONNECTION_URL".to_string()));
    assert_eq!(
        secret_ref(container, "PREFECT_SERVER_DATABASE_PASSWORD")["key"],
        "password"
    );
}

/// P-S12: every namespaced object of the site is in the site's namespace.
#[test]
fn one_namespace_for_everything() {
    let all = build(&format!(
        "{DEMO}server prefect {{\n  database = postgres.in-cluster {{ password = secret(\"pg\", \"password\") }}\n}}\n"
    ));
    for o in &all {
        assert_eq!(
            o["metadata"]["namespace"], "prefect",
            "{:?}",
            o["metadata"]["name"]
        );
    }
}
