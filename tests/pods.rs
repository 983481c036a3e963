//! Pod oracle: what the API server refuses in a pod beyond its JSON schema
//! (`ValidatePodSpec` in Kubernetes' `pkg/apis/core/validation`), checked on
//! every workload of every site (`support::every_site`: the examples, the
//! parity programs, the lowering fixtures and `tests/external/everything.pfk`).
//! A schema validator (`tests/external/validate.py`) passes all of these:
//!
//! - every `volumeMounts[].name` names a volume of the pod, or a
//!   `volumeClaimTemplates` entry of its StatefulSet;
//! - every volume has exactly one source (`emptyDir`, `secret`, …);
//! - volume names are unique in a pod, container names (init containers
//!   included) are unique in a pod, mount paths are unique in a container;
//! - container port names are IANA service names (at most 15 characters,
//!   lower-case letters, digits and single hyphens, at least one letter, no
//!   hyphen at either end) and unique in a container;
//! - every Service's named `targetPort` is a port name of a container of the
//!   pods it selects;
//! - a seccomp or AppArmor profile (pod or container) of type `Localhost`
//!   names its `localhostProfile`, and one of another type names none;
//! - an init container has no probes and no lifecycle hooks, unless it is a
//!   native sidecar (`restartPolicy: Always`).
//!
//! The rules are written here from the Kubernetes documentation, never taken
//! from prefectc.

mod support;

use std::collections::BTreeSet;

use serde_yaml::Value;
use support::{build_file, every_site, kind, name, objects, pod_template, seq, short};

/// A problem: site, object, what is wrong.
type Problem = (String, String, String);

/// The containers of a pod spec, init containers first.
fn containers(spec: &Value) -> impl Iterator<Item = &Value> {
    seq(&spec["initContainers"])
        .iter()
        .chain(seq(&spec["containers"]))
}

/// An IANA service name, as Kubernetes checks a container port's name.
fn iana_svc_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 15
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && s.bytes().any(|b| b.is_ascii_lowercase())
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// A seccomp or AppArmor profile of a securityContext (`whose`): type
/// `Localhost` needs `localhostProfile`, and no other type may have one
/// (`validateSeccompProfileField`, `validateAppArmorProfileField`).
fn profile_problems(whose: &str, context: &Value, out: &mut Vec<String>) {
    for field in ["seccompProfile", "appArmorProfile"] {
        let profile = &context[field];
        let Some(type_) = profile["type"].as_str() else {
            continue;
        };
        let localhost = profile["localhostProfile"]
            .as_str()
            .is_some_and(|p| !p.is_empty());
        if type_ == "Localhost" && !localhost {
            out.push(format!(
                "{whose}'s {field} is Localhost without a localhostProfile"
            ));
        }
        if type_ != "Localhost" && !profile["localhostProfile"].is_null() {
            out.push(format!(
                "{whose}'s {field} is {type_} with a localhostProfile"
            ));
        }
    }
}

/// What the API server would refuse in one workload's pod template.
fn pod_problems(o: &Value, template: &Value) -> Vec<String> {
    let spec = &template["spec"];
    let mut out = Vec::new();
    profile_problems("the pod", &spec["securityContext"], &mut out);
    let mut volumes = BTreeSet::new();
    for v in seq(&spec["volumes"]) {
        let vname = v["name"].as_str().unwrap_or_default();
        if vname.is_empty() {
            out.push("a volume has no name".to_string());
        }
        if !volumes.insert(vname.to_string()) {
            out.push(format!("volume `{vname}` is declared twice"));
        }
        let sources = v
            .as_mapping()
            .map(|m| m.keys().filter(|k| k.as_str() != Some("name")).count())
            .unwrap_or_default();
        if sources != 1 {
            out.push(format!("volume `{vname}` has {sources} sources, not one"));
        }
    }
    let claims: BTreeSet<&str> = seq(&o["spec"]["volumeClaimTemplates"])
        .iter()
        .filter_map(|c| c["metadata"]["name"].as_str())
        .collect();
    for c in seq(&spec["initContainers"]) {
        let sidecar = c["restartPolicy"].as_str() == Some("Always");
        for field in [
            "livenessProbe",
            "readinessProbe",
            "startupProbe",
            "lifecycle",
        ] {
            if !sidecar && !c[field].is_null() {
                out.push(format!(
                    "init container `{}` has a {field} (only a native sidecar may)",
                    c["name"].as_str().unwrap_or_default()
                ));
            }
        }
    }
    let mut names = BTreeSet::new();
    for c in containers(spec) {
        let cname = c["name"].as_str().unwrap_or_default();
        profile_problems(
            &format!("container `{cname}`"),
            &c["securityContext"],
            &mut out,
        );
        if !names.insert(cname) {
            out.push(format!("container `{cname}` is declared twice"));
        }
        let mut paths = BTreeSet::new();
        for m in seq(&c["volumeMounts"]) {
            let mname = m["name"].as_str().unwrap_or_default();
            if !volumes.contains(mname) && !claims.contains(mname) {
                out.push(format!(
                    "container `{cname}` mounts `{mname}`, which is no volume of the pod"
                ));
            }
            let path = m["mountPath"].as_str().unwrap_or_default();
            if !paths.insert(path) {
                out.push(format!("container `{cname}` mounts twice at `{path}`"));
            }
        }
        let mut ports = BTreeSet::new();
        for p in seq(&c["ports"]) {
            let Some(pname) = p["name"].as_str() else {
                continue;
            };
            if !iana_svc_name(pname) {
                out.push(format!(
                    "container `{cname}` has port name `{pname}`, not an IANA service name"
                ));
            }
            if !ports.insert(pname) {
                out.push(format!("container `{cname}` names two ports `{pname}`"));
            }
        }
    }
    out
}

/// Whether a pod template's labels match a Service's selector.
fn selects(selector: &Value, template: &Value) -> bool {
    let labels = &template["metadata"]["labels"];
    selector
        .as_mapping()
        .is_some_and(|m| !m.is_empty() && m.iter().all(|(k, v)| &labels[k] == v))
}

/// Named target ports of the Services that no selected container declares.
fn service_problems(all: &[Value]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for s in all.iter().filter(|o| kind(o) == "Service") {
        let selector = &s["spec"]["selector"];
        let pods: Vec<&Value> = all
            .iter()
            .filter_map(pod_template)
            .filter(|t| selects(selector, t))
            .collect();
        for p in seq(&s["spec"]["ports"]) {
            let Some(target) = p["targetPort"].as_str() else {
                continue;
            };
            let declared = pods.iter().any(|t| {
                containers(&t["spec"])
                    .flat_map(|c| seq(&c["ports"]))
                    .any(|cp| cp["name"].as_str() == Some(target))
            });
            if !declared {
                out.push((
                    format!("Service/{}", name(s)),
                    format!("targetPort `{target}` is no port of the pods it selects"),
                ));
            }
        }
    }
    out
}

fn problems_of(all: &[Value], site: &str) -> Vec<Problem> {
    let mut found = Vec::new();
    for o in all {
        if let Some(template) = pod_template(o) {
            let object = format!("{}/{}", kind(o), name(o));
            for p in pod_problems(o, template) {
                found.push((site.to_string(), object.clone(), p));
            }
        }
    }
    for (object, p) in service_problems(all) {
        found.push((site.to_string(), object, p));
    }
    found
}

#[test]
fn every_pod_of_every_site_is_one_the_api_server_accepts() {
    let mut found = Vec::new();
    let mut pods = 0;
    for path in every_site() {
        let site = short(&path);
        let all = objects(&build_file(&path), &site);
        pods += all.iter().filter_map(pod_template).count();
        found.extend(problems_of(&all, &site));
    }
    assert!(pods > 60, "only {pods} pods checked");
    assert!(found.is_empty(), "{found:#?}");
}

/// Negative controls: each rule above fails on a pod that breaks it.
#[test]
fn each_rule_refuses_a_pod_that_breaks_it() {
    let broken = [
        (
            "containers: [{name: a, volumeMounts: [{name: data, mountPath: /d}]}]\nvolumes: [{name: scratch, emptyDir: {}}]",
            "mounts `data`",
        ),
        (
            "containers: [{name: a}]\nvolumes: [{name: data}]",
            "0 sources",
        ),
        (
            "containers: [{name: a}]\nvolumes: [{name: data, emptyDir: {}, secret: {secretName: s}}]",
            "2 sources",
        ),
        (
            "containers: [{name: a}]\nvolumes: [{name: d, emptyDir: {}}, {name: d, emptyDir: {}}]",
            "declared twice",
        ),
        (
            "initContainers: [{name: a}]\ncontainers: [{name: a}]",
            "container `a` is declared twice",
        ),
        (
            "containers: [{name: a, volumeMounts: [{name: d, mountPath: /x}, {name: d, mountPath: /x}]}]\nvolumes: [{name: d, emptyDir: {}}]",
            "mounts twice",
        ),
        (
            "containers: [{name: a, ports: [{name: prefect-server-http, containerPort: 1}]}]",
            "not an IANA service name",
        ),
        (
            "containers: [{name: a, ports: [{name: Http, containerPort: 1}]}]",
            "not an IANA service name",
        ),
        (
            "containers: [{name: a, ports: [{name: '4200', containerPort: 1}]}]",
            "not an IANA service name",
        ),
        (
            "containers: [{name: a, ports: [{name: h--p, containerPort: 1}]}]",
            "not an IANA service name",
        ),
        (
            "containers: [{name: a, ports: [{name: http, containerPort: 1}, {name: http, containerPort: 2}]}]",
            "names two ports",
        ),
        (
            "initContainers: [{name: i, startupProbe: {tcpSocket: {port: 1}}}]\ncontainers: [{name: a}]",
            "init container `i` has a startupProbe",
        ),
        (
            "securityContext: {seccompProfile: {type: Localhost}}\ncontainers: [{name: a}]",
            "Localhost without a localhostProfile",
        ),
        (
            "containers: [{name: a, securityContext: {appArmorProfile: {type: RuntimeDefault, localhostProfile: p}}}]",
            "RuntimeDefault with a localhostProfile",
        ),
    ];
    for (spec, wanted) in broken {
        let spec: Value = serde_yaml::from_str(spec).expect("test YAML");
        let mut template = serde_yaml::Mapping::new();
        template.insert("spec".into(), spec);
        let template = Value::Mapping(template);
        let found = pod_problems(&Value::Null, &template);
        assert!(
            found.iter().any(|p| p.contains(wanted)),
            "{wanted}: {found:?}"
        );
    }
    // A valid pod, and a StatefulSet's claim template as a mount, pass.
    let ok: Value = serde_yaml::from_str(
        "spec: {containers: [{name: a, ports: [{name: http, containerPort: 1}], volumeMounts: [{name: data, mountPath: /d}]}]}",
    )
    .expect("test YAML");
    let set: Value =
        serde_yaml::from_str("spec: {volumeClaimTemplates: [{metadata: {name: data}}]}")
            .expect("test YAML");
    assert_eq!(pod_problems(&set, &ok), Vec::<String>::new());
    assert!(!pod_problems(&Value::Null, &ok).is_empty());
}

/// Negative control of the Service rule: a target port no pod declares.
#[test]
fn a_service_targeting_an_undeclared_port_is_refused() {
    let all: Vec<Value> = serde_yaml::Deserializer::from_str(
        "kind: Service\nmetadata: {name: s}\nspec: {selector: {app: x}, ports: [{port: 80, targetPort: http}]}\n---\n\
         kind: Deployment\nmetadata: {name: d}\nspec: {template: {metadata: {labels: {app: x}}, spec: {containers: [{name: a, ports: [{name: web, containerPort: 80}]}]}}}\n",
    )
    .map(|d| serde::Deserialize::deserialize(d).expect("test YAML"))
    .collect();
    assert_eq!(service_problems(&all).len(), 1);
    let fixed = serde_yaml::to_string(&all[1])
        .expect("YAML")
        .replace("name: web", "name: http");
    let all = vec![
        all[0].clone(),
        serde_yaml::from_str(&fixed).expect("test YAML"),
    ];
    assert_eq!(service_problems(&all), Vec::new());
}
