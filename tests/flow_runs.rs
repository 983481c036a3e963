//! Flow-run pods (docs/flow-runs.md), judged from the emitted YAML: what a
//! declared kubernetes pool's workers get beside the template (a
//! ServiceAccount and, under `restricted`, a NetworkPolicy in each job
//! namespace; the job Namespaces with `create-namespace`), what the
//! template's flow-run pod carries from `flow-runs`, and what the policy
//! stage says about it. `tests/external/flow_run_jobs.py` renders the same
//! templates with the real worker; `tests/job_namespaces.rs` compares them
//! with Prefect's defaults.

mod support;

use serde_json::Value as Json;
use serde_yaml::Value;
use support::{build_text, kind, name, objects};

/// A site with a declared kubernetes pool (`POOL` is its body) and one
/// worker in `flows` and `flows-2`.
const SITE: &str = "site demo {\n  namespace = \"prefect\"\n  prefect   = \"3.4.25\"\n  SITE\n}\n\
server prefect { database = sqlite {} }\n\
pool jobs {\n  type = kubernetes\n  POOL\n}\n\
worker w {\n  pool           = jobs\n  api            = prefect\n  job-namespaces = [\"flows\", \"flows-2\"]\n}\n";

fn site(site_fields: &str, pool_fields: &str) -> String {
    SITE.replace("SITE", site_fields)
        .replace("POOL", pool_fields)
}

/// (kind, namespace, name) of every object.
fn placed(all: &[Value]) -> Vec<(String, String, String)> {
    all.iter()
        .map(|o| {
            (
                kind(o).to_string(),
                o["metadata"]["namespace"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                name(o).to_string(),
            )
        })
        .collect()
}

fn has(all: &[Value], kind: &str, namespace: &str, name: &str) -> bool {
    placed(all).contains(&(kind.into(), namespace.into(), name.into()))
}

/// Worker `w`'s base job template, read from its ConfigMap.
fn template_of(all: &[Value]) -> Json {
    let cm = all
        .iter()
        .find(|o| kind(o) == "ConfigMap" && name(o) == "w-base-job-template")
        .expect("the template's ConfigMap");
    serde_json::from_str(cm["data"]["baseJobTemplate.json"].as_str().unwrap())
        .expect("the template is JSON")
}

/// The flow-run pod template of worker `w`'s template.
fn flow_run_pod(all: &[Value]) -> Json {
    template_of(all)["job_configuration"]["job_manifest"]["spec"]["template"].clone()
}

fn codes(text: &str) -> Vec<String> {
    let mut c: Vec<String> = build_text(text)
        .diagnostics
        .iter()
        .map(|d| d.code.as_str().to_string())
        .collect();
    c.sort();
    c
}

/// In each job namespace: the flow runs' ServiceAccount (no token) and,
/// under `restricted`, a NetworkPolicy selecting the pool's flow-run pods
/// by the work-pool label the template puts on them, with no ingress and
/// all egress. Nothing in the site's namespace, where no flow runs.
#[test]
fn each_job_namespace_gets_the_flow_runs_account_and_policy() {
    let all = objects(&build_text(&site("", "")), "the site");
    for ns in ["flows", "flows-2"] {
        assert!(has(&all, "ServiceAccount", ns, "jobs-flow-run"), "{ns}");
        assert!(has(&all, "NetworkPolicy", ns, "jobs-flow-runs"), "{ns}");
    }
    assert!(!has(&all, "ServiceAccount", "prefect", "jobs-flow-run"));
    let sa = all
        .iter()
        .find(|o| kind(o) == "ServiceAccount" && name(o) == "jobs-flow-run")
        .unwrap();
    assert_eq!(sa["automountServiceAccountToken"], Value::Bool(false));
    let np = all
        .iter()
        .find(|o| kind(o) == "NetworkPolicy" && name(o) == "jobs-flow-runs")
        .unwrap();
    let selector = &np["spec"]["podSelector"]["matchLabels"];
    assert_eq!(selector["prefect.io/work-pool-name"].as_str(), Some("jobs"));
    assert_eq!(np["spec"]["ingress"].as_sequence().map(Vec::len), Some(0));
    let egress = np["spec"]["egress"].as_sequence().unwrap();
    assert_eq!(egress.len(), 1);
    assert!(
        egress[0].get("to").is_none()
            && egress[0]
                .get("ports")
                .and_then(Value::as_sequence)
                .is_none_or(Vec::is_empty)
    );
    // The template's pods carry the label the policy selects, and name the account.
    let pod = flow_run_pod(&all);
    assert_eq!(
        pod["metadata"]["labels"]["prefect.io/work-pool-name"],
        "jobs"
    );
    let t = template_of(&all);
    assert_eq!(
        t["variables"]["properties"]["service_account_name"]["default"],
        "jobs-flow-run"
    );
    // Without network policies (or under baseline), no flow-run policy.
    let off = objects(&build_text(&site("network-policies = false", "")), "off");
    assert!(
        !placed(&off)
            .iter()
            .any(|(k, _, n)| k == "NetworkPolicy" && n == "jobs-flow-runs")
    );
    let baseline = objects(&build_text(&site("policy = baseline", "")), "baseline");
    assert!(
        !placed(&baseline)
            .iter()
            .any(|(k, _, n)| k == "NetworkPolicy" && n == "jobs-flow-runs")
    );
    // A ServiceAccount of the user's replaces prefectc's.
    let own = objects(
        &build_text(&site("", "flow-runs { service-account = \"etl-runner\" }")),
        "own",
    );
    assert!(
        !placed(&own)
            .iter()
            .any(|(k, _, n)| k == "ServiceAccount" && n == "jobs-flow-run")
    );
    assert_eq!(
        flow_run_pod(&own)["spec"]["serviceAccountName"],
        "{{ service_account_name }}"
    );
}

/// With `create-namespace`, every job namespace is created and labelled
/// like the site's; one the cluster creates itself is not (W0516), and
/// without `create-namespace` none is.
#[test]
fn create_namespace_covers_the_job_namespaces() {
    let namespaces = |text: &str| -> Vec<(String, String)> {
        objects(&build_text(text), "the site")
            .iter()
            .filter(|o| kind(o) == "Namespace")
            .map(|o| {
                (
                    name(o).to_string(),
                    o["metadata"]["labels"]["pod-security.kubernetes.io/enforce"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                )
            })
            .collect()
    };
    let on = site("create-namespace = true", "");
    assert_eq!(
        namespaces(&on),
        [
            ("flows".to_string(), "restricted".to_string()),
            ("flows-2".to_string(), "restricted".to_string()),
            ("prefect".to_string(), "restricted".to_string()),
        ]
    );
    assert_eq!(namespaces(&site("", "")), Vec::<(String, String)>::new());
    let default = on.replace("[\"flows\", \"flows-2\"]", "[\"flows\", \"default\"]");
    assert_eq!(
        namespaces(&default),
        [
            ("flows".to_string(), "restricted".to_string()),
            ("prefect".to_string(), "restricted".to_string()),
        ]
    );
    assert!(codes(&default).contains(&"W0516".to_string()));
    assert!(!codes(&on).contains(&"W0516".to_string()));
    // A process worker's job namespaces are not namespaces of flow runs.
    let process = on
        .replace("type = kubernetes", "type = process")
        .replace("  job-namespaces = [\"flows\", \"flows-2\"]\n", "");
    assert_eq!(
        namespaces(&process),
        [("prefect".to_string(), "restricted".to_string())]
    );
}

/// What `flow-runs` says reaches the template's pod: the GPU limit and the
/// scheduling literally, the image and TTL as variable defaults, the env
/// (a secret by reference) in the container's list after `HOME`.
#[test]
fn flow_run_settings_reach_the_template() {
    let all = objects(
        &build_text(&site(
            "",
            "flow-runs {\n    image = \"ghcr.io/acme/train:2.1.0\"\n    resources = { requests = { cpu = 2, memory = 8Gi }, limits = { memory = 16Gi, extended = { \"nvidia.com/gpu\" = 2 } } }\n    node-selector = { \"nvidia.com/gpu.present\" = \"true\" }\n    env = { \"TOKEN\" = secret(\"api\", \"token\"), \"MODE\" = \"fast\" }\n    ttl-after-finished = 2m\n    backoff-limit = 3\n    active-deadline = 1h\n  }",
        )),
        "the site",
    );
    let t = template_of(&all);
    let var = |v: &str| t["variables"]["properties"][v]["default"].clone();
    assert_eq!(var("image"), "ghcr.io/acme/train:2.1.0");
    assert_eq!(var("finished_job_ttl"), 120);
    assert_eq!(var("backoff_limit"), 3);
    let job = &t["job_configuration"]["job_manifest"]["spec"];
    assert_eq!(job["activeDeadlineSeconds"], 3600);
    let pod = &job["template"]["spec"];
    let main = &pod["containers"][0];
    assert_eq!(main["resources"]["limits"]["nvidia.com/gpu"], "2");
    assert_eq!(main["resources"]["limits"]["memory"], "16Gi");
    assert_eq!(pod["nodeSelector"]["nvidia.com/gpu.present"], "true");
    let env: Vec<&str> = main["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(env, ["HOME", "TOKEN", "MODE"]);
    assert_eq!(main["env"][1]["valueFrom"]["secretKeyRef"]["name"], "api");
    // 2.20 has no `backoff_limit` variable: the limit is written into the Job.
    let old = objects(
        &build_text(&site("", "flow-runs { backoff-limit = 3 }").replace("3.4.25", "2.20.16")),
        "2.20",
    );
    let t = template_of(&old);
    assert!(t["variables"]["properties"].get("backoff_limit").is_none());
    assert_eq!(
        t["job_configuration"]["job_manifest"]["spec"]["backoffLimit"],
        3
    );
}

/// The policy stage judges the flow-run pod: the hardened default is clean,
/// and a privileged one is an error at the `flow-runs` value.
#[test]
fn the_policy_judges_the_flow_run_pod() {
    assert_eq!(codes(&site("", "")), Vec::<String>::new());
    let privileged = site("", "flow-runs { security { privileged = true } }");
    let out = build_text(&privileged);
    let found: Vec<(&str, usize)> = out
        .diagnostics
        .iter()
        .map(|d| {
            let file = out.sources.get(d.primary.span.anchor.file().unwrap());
            (d.code.as_str(), file.line_col(d.primary.span.start).0)
        })
        .collect();
    assert!(found.contains(&("pss/privileged", 9)), "{found:?}");
    // Under `privileged` the Pod Security rules are off.
    let off = privileged.replace("  \n}", "  policy = privileged\n}");
    assert!(!codes(&off).contains(&"pss/privileged".to_string()));
}

/// The base job template of a worker is made from its pool, its first job
/// namespace and the release it runs (workers that agree on all three
/// share one text, and E0415 holds the workers of one pool to that): a
/// worker of another pool, namespace or release gets its own, never its
/// neighbour's.
#[test]
fn each_worker_gets_the_template_of_its_pool_namespace_and_release() {
    let worker = |name: &str, pool: &str, namespace: &str, image: &str| {
        format!(
            "worker {name} {{\n  pool = {pool}\n  api = prefect\n  job-namespaces = [\"{namespace}\"]\n{image}}}\n"
        )
    };
    let image = |tag: &str| format!("  image = \"prefecthq/prefect:{tag}\"\n");
    let text = format!(
        "{}pool batch {{\n  type = kubernetes\n  flow-runs {{ image = \"ghcr.io/acme/batch:1.0.0\" }}\n}}\npool newer {{ type = kubernetes }}\npool spare {{ type = kubernetes }}\n{}{}{}{}{}",
        site("", ""),
        worker("same", "jobs", "flows", ""),
        worker("patch", "jobs", "flows", &image("3.4.24-python3.12")),
        worker("other", "batch", "flows", ""),
        worker("elsewhere", "spare", "batch", ""),
        worker("on-3-6", "newer", "flows", &image("3.6.0-python3.12")),
    );
    let all = objects(&build_text(&text), "the site");
    let template = |worker: &str| -> Json {
        let cm = all
            .iter()
            .find(|o| kind(o) == "ConfigMap" && name(o) == format!("{worker}-base-job-template"))
            .unwrap_or_else(|| panic!("{worker}'s template"));
        serde_json::from_str(cm["data"]["baseJobTemplate.json"].as_str().unwrap()).unwrap()
    };
    let namespace = |t: &Json| t["variables"]["properties"]["namespace"]["default"].clone();
    let w = template("w");
    assert_eq!(w, template("same"), "one pool, namespace and release");
    assert_eq!(w, template("patch"), "3.4.24 has 3.4.25's default template");
    assert_eq!(namespace(&w), "flows");
    // Another pool in the same namespace: its own flow-run image.
    let image = |t: &Json| t["variables"]["properties"]["image"]["default"].clone();
    assert_eq!(image(&template("other")), "ghcr.io/acme/batch:1.0.0");
    assert_eq!(image(&w), "prefecthq/prefect:3.4.25-python3.12");
    assert_eq!(namespace(&template("elsewhere")), "batch");
    // Prefect 3.6 has variables for CPU and memory; 3.4 has none.
    let cpu = |t: &Json| t["variables"]["properties"].get("cpu_request").is_some();
    assert!(!cpu(&w) && !cpu(&template("other")));
    assert!(cpu(&template("on-3-6")), "the 3.6 worker's own template");
}

/// A build given what the last build of the site kept (as the language
/// server gives it) takes a pool's template from it while the pool's flow
/// runs, job namespaces and release are as they were, makes it again when
/// they change, and drops what it no longer uses; each build writes the
/// same bytes as a build from nothing.
#[test]
fn a_kept_template_is_used_only_for_the_same_flow_runs() {
    let kept = prefectc::Kept::default();
    let build = |text: &str| {
        let with = prefectc::build_unless(
            "site.pfk",
            text.to_string(),
            &prefectc::MemoryLoader(Vec::new()),
            &prefectc::Options::default(),
            Some(&kept),
            &|| false,
        )
        .unwrap_or_else(|_| unreachable!("never given up"));
        let fresh = build_text(text);
        let yaml = |o: &prefectc::Output| o.objects.as_deref().map(prefectc::emit::yaml);
        assert_eq!(yaml(&with), yaml(&fresh));
        yaml(&with).expect("the site builds")
    };
    let plain = site("", "");
    let first = build(&plain);
    // One template: Jobs go to the worker's first job namespace.
    assert_eq!(
        (
            kept.lowering.templates.made(),
            kept.lowering.templates.held()
        ),
        (1, 1)
    );
    assert_eq!(build(&plain), first);
    assert_eq!(
        (
            kept.lowering.templates.made(),
            kept.lowering.templates.held()
        ),
        (1, 1)
    );

    let labelled = site("", "flow-runs { labels = { team = \"data\" } }");
    let with_labels = build(&labelled);
    assert!(with_labels.contains(r#""team": "data""#), "{with_labels}");
    // Made again; the old ones are held until the next build begins.
    assert_eq!(
        (
            kept.lowering.templates.made(),
            kept.lowering.templates.held()
        ),
        (2, 2)
    );
    assert_eq!(build(&labelled), with_labels);
    assert_eq!(
        (
            kept.lowering.templates.made(),
            kept.lowering.templates.held()
        ),
        (2, 1)
    );

    // Another release: another default template.
    let older = site("", "flow-runs { labels = { team = \"data\" } }").replace("3.4.25", "3.1.15");
    assert_ne!(build(&older), with_labels);
    assert_eq!(kept.lowering.templates.made(), 3);
}

/// The workers of a pool share its flow runs (E0415 holds them to one job
/// namespace and release): the policy stage judges one flow-run Job per
/// pool, not one per worker (its findings name the pool, so more would only
/// repeat them).
#[test]
fn one_flow_run_job_is_judged_per_pool() {
    let jobs = |workers: &str| {
        let text = site("", "").replace(
            "worker w {\n  pool           = jobs\n  api            = prefect\n  job-namespaces = [\"flows\", \"flows-2\"]\n}\n",
            workers,
        ) + "pool more { type = kubernetes }\n";
        let out = build_text(&text);
        let site = out.site.as_ref().expect("the site checks");
        let lowering = prefectc::lower::lower(site, None);
        let mut of: Vec<String> = lowering
            .flow_runs
            .iter()
            .map(|o| {
                let of = o.meta().annotations.get(prefectc::lower::FLOW_RUN_OF);
                format!(
                    "{} {} of {}",
                    o.kind(),
                    o.meta().namespace.as_deref().unwrap_or_default(),
                    of.map_or("?", String::as_str)
                )
            })
            .collect();
        of.sort();
        of
    };
    let worker = |name: &str, pool: &str| {
        format!(
            "worker {name} {{\n  pool = {pool}\n  api = prefect\n  job-namespaces = [\"flows\"]\n}}\n"
        )
    };
    let three = [
        worker("a", "jobs"),
        worker("b", "jobs"),
        worker("c", "jobs"),
    ]
    .concat();
    assert_eq!(jobs(&three), ["Job flows of pool `jobs`"]);
    let two_pools = [
        worker("a", "jobs"),
        worker("b", "more"),
        worker("c", "jobs"),
    ]
    .concat();
    assert_eq!(
        jobs(&two_pools),
        ["Job flows of pool `jobs`", "Job flows of pool `more`"]
    );
}
