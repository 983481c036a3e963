//! Taking over a running release: `kubectl apply` of the imported site over
//! the chart's objects updates them in place, except where a field cannot
//! change. A Deployment's or StatefulSet's `spec.selector` is immutable: the
//! charts select `app.kubernetes.io/instance: <release>` (and their own
//! `name`/`component`), prefectc selects its component. Every workload of
//! the chart that the site writes under the same kind and name with another
//! selector must be deleted before the apply and is recreated by it; so must
//! a Job of the same name (a Job's pod template cannot change).

use std::collections::BTreeMap;

use crate::lower::k8s::Object;

use super::Chart;
use super::reader::Reader;

/// An object of the release to delete before `kubectl apply`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recreate {
    pub kind: String,
    pub name: String,
    /// The chart's selector, and the site's (`k=v,…`); empty for a Job.
    pub chart: String,
    pub site: String,
}

type Labels = BTreeMap<String, String>;

/// The chart's workloads (kind, name, selector) for this release, as its
/// templates name and select them.
fn chart_workloads(
    chart: Chart,
    r: &Reader,
    release: &str,
    fullname: &str,
) -> Vec<(&'static str, String, Labels)> {
    let name = r
        .root()
        .at("nameOverride")
        .and_then(super::values::scalar_text)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| chart.name().to_string());
    let labels = |pairs: &[(&str, &str)]| -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (format!("app.kubernetes.io/{k}"), (*v).to_string()))
            .collect()
    };
    match chart {
        Chart::Server => vec![
            (
                "Deployment",
                fullname.to_string(),
                labels(&[
                    ("name", &name),
                    ("instance", release),
                    ("component", "server"),
                ]),
            ),
            (
                "Deployment",
                format!("{fullname}-background-services"),
                labels(&[
                    ("name", &name),
                    ("instance", release),
                    ("component", "background-services"),
                ]),
            ),
            (
                "StatefulSet",
                format!("{release}-postgresql"),
                labels(&[
                    ("instance", release),
                    ("name", "postgresql"),
                    ("component", "primary"),
                ]),
            ),
            (
                "StatefulSet",
                format!("{release}-redis-master"),
                labels(&[
                    ("instance", release),
                    ("name", "redis"),
                    ("component", "master"),
                ]),
            ),
            (
                "Job",
                format!("{fullname}-db-migrations"),
                Labels::default(),
            ),
        ],
        Chart::Worker => vec![(
            "Deployment",
            fullname.to_string(),
            labels(&[
                ("name", &name),
                ("instance", release),
                ("component", "worker"),
            ]),
        )],
        Chart::Agent => vec![(
            "Deployment",
            fullname.to_string(),
            labels(&[
                ("name", &name),
                ("instance", release),
                ("component", "agent"),
            ]),
        )],
        Chart::Exporter => vec![(
            "Deployment",
            fullname.to_string(),
            labels(&[("name", &name), ("instance", release)]),
        )],
    }
}

/// The objects of the release that the site's `objects` replace under the
/// same kind and name but cannot update in place.
pub fn recreate(
    chart: Chart,
    r: &Reader,
    release: &str,
    fullname: &str,
    objects: &[Object],
) -> Vec<Recreate> {
    let mut out = Vec::new();
    for (kind, name, selector) in chart_workloads(chart, r, release, fullname) {
        let Some(ours) = objects
            .iter()
            .find(|o| o.kind() == kind && o.meta().name == name)
        else {
            continue;
        };
        let site = selector_of(ours);
        if kind == "Job" || site != selector {
            out.push(Recreate {
                kind: kind.to_string(),
                name,
                chart: text(&selector),
                site: text(&site),
            });
        }
    }
    out
}

/// `spec.selector.matchLabels` of an object.
pub fn selector_of(o: &Object) -> Labels {
    let value = serde_json::to_value(&o.resource).unwrap_or_default();
    value["spec"]["selector"]["matchLabels"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn text(labels: &Labels) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The commands, with what they are for; empty when nothing is recreated.
pub fn commands(list: &[Recreate], namespace: &str) -> String {
    if list.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "Taking over the Helm release: these objects cannot be updated in place (a selector or a Job's\n\
         template is immutable). Delete them just before `kubectl apply`; the apply recreates them:\n",
    );
    for o in list {
        if o.kind == "Job" {
            out.push_str(&format!(
                "# {} {}: a Job's pod template cannot change\n",
                o.kind, o.name
            ));
        } else {
            out.push_str(&format!(
                "# {} {}: the chart selects {}; the site selects {}\n",
                o.kind, o.name, o.chart, o.site
            ));
        }
        out.push_str(&format!(
            "kubectl delete {} {} --namespace {namespace} --cascade=foreground\n",
            o.kind.to_ascii_lowercase(),
            o.name
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::import::{Chart, Request, import};

    fn reference() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/parity/reference")
    }

    /// What the chart rendered (`helm.yaml`) against what the imported site
    /// builds: a workload of the same kind and name whose selector differs,
    /// or a Job of the same name, must be recreated; nothing else.
    fn expected(helm: &str, site: &str) -> Vec<(String, String)> {
        let built = crate::import::waivers::build(site);
        let objects = built.objects.unwrap_or_default();
        let mut out = Vec::new();
        for doc in serde_yaml::Deserializer::from_str(helm) {
            let Ok(v) = serde_yaml::Value::deserialize(doc) else {
                continue;
            };
            let kind = v["kind"].as_str().unwrap_or_default();
            let name = v["metadata"]["name"].as_str().unwrap_or_default();
            if !["Deployment", "StatefulSet", "DaemonSet", "Job"].contains(&kind) {
                continue;
            }
            let Some(ours) = objects
                .iter()
                .find(|o| o.kind() == kind && o.meta().name == name)
            else {
                continue;
            };
            let theirs: super::Labels = v["spec"]["selector"]["matchLabels"]
                .as_mapping()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| {
                            (
                                k.as_str().unwrap_or_default().into(),
                                v.as_str().unwrap_or_default().into(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            if kind == "Job" || super::selector_of(ours) != theirs {
                out.push((kind.to_string(), name.to_string()));
            }
        }
        out.sort();
        out
    }

    use serde::Deserialize;

    #[test]
    fn every_parity_case_lists_exactly_the_objects_to_recreate() {
        let mut seen = 0;
        for entry in std::fs::read_dir(reference())
            .expect("the reference cases")
            .flatten()
        {
            let case = entry.file_name().to_string_lossy().into_owned();
            let chart = match case.split('-').next() {
                Some("server") => Chart::Server,
                Some("worker") => Chart::Worker,
                Some("exporter") => Chart::Exporter,
                _ => Chart::Agent,
            };
            let hand = std::fs::read_to_string(reference().join(format!("../{case}.pfk")))
                .expect("the hand translation");
            let pin = hand
                .lines()
                .find_map(|l| l.trim().strip_prefix("prefect"))
                .and_then(|r| r.split('"').nth(1))
                .expect("a pin");
            let values = std::fs::read_to_string(entry.path().join("values.yaml")).expect("values");
            let out = import(&Request {
                chart,
                files: vec![("values.yaml".into(), values)],
                sets: Vec::new(),
                release: chart.default_release().into(),
                namespace: "default".into(),
                prefect: Some(pin.to_string()),
                into: None,
            });
            let site = out.site.clone().expect("imported");
            let helm = std::fs::read_to_string(entry.path().join("helm.yaml")).expect("helm.yaml");
            let mut ours: Vec<(String, String)> = out
                .recreate
                .iter()
                .map(|o| (o.kind.clone(), o.name.clone()))
                .collect();
            ours.sort();
            assert_eq!(ours, expected(&helm, &site), "{case}");
            let commands = out.takeover_commands();
            for (kind, name) in &ours {
                let line = format!(
                    "kubectl delete {} {name} --namespace default",
                    kind.to_ascii_lowercase()
                );
                assert!(commands.contains(&line), "{case}: {commands}");
            }
            seen += 1;
        }
        assert_eq!(seen, 16);
    }
}
