//! Rules about the site as a whole: network isolation, exposure,
//! namespaces, and how Prefect's components fit together.

use crate::map::{HashMap, HashSet};

use super::finding;
use crate::lower::k8s::{Labels, Object, Resource};
use crate::model::schema::Api;
use crate::model::{Component, Kind, Prov, Spec};
use crate::policy::pods::{object_name, pods, prov};
use crate::policy::{Cx, Finding, Violation};
use crate::source::Span;

/// The pod selectors of the NetworkPolicies among the objects, indexed so
/// that asking whether one selects a pod reads only the selectors that
/// could (a site of thousands of workers has thousands of policies).
struct Selectors<'a> {
    /// Namespaces with a policy that selects every pod.
    every_pod: HashSet<&'a str>,
    /// `(namespace, key, value)` → the selectors whose rarest label it is
    /// (a label all workers share would put every selector in one bucket;
    /// the rarest is usually the one naming the instance).
    by_label: HashMap<(&'a str, &'a str, &'a str), Vec<&'a Labels>>,
}

impl<'a> Selectors<'a> {
    fn of(objects: &'a [Object]) -> Self {
        let selectors: Vec<(&str, &Labels)> = objects
            .iter()
            .filter_map(|o| o.resource.network_policy())
            .filter_map(|p| {
                let ns = p.metadata.namespace.as_deref()?;
                Some((ns, &*p.spec.pod_selector.match_labels))
            })
            .collect();
        let mut count: HashMap<(&str, &str, &str), usize> = HashMap::default();
        for (ns, labels) in &selectors {
            for (k, v) in labels.iter() {
                *count.entry((ns, &**k, v.as_str())).or_default() += 1;
            }
        }
        let mut index = Selectors {
            every_pod: HashSet::default(),
            by_label: HashMap::default(),
        };
        for (ns, labels) in selectors {
            let rarest = labels
                .iter()
                .map(|(k, v)| (ns, &**k, v.as_str()))
                .min_by_key(|key| count[key]);
            match rarest {
                None => {
                    index.every_pod.insert(ns);
                }
                Some(key) => index.by_label.entry(key).or_default().push(labels),
            }
        }
        index
    }

    /// Whether a policy selects pods with `labels` in `ns`.
    fn select(&self, ns: &str, labels: &Labels) -> bool {
        self.every_pod.contains(ns)
            || labels.iter().any(|(k, v)| {
                self.by_label
                    .get(&(ns, &**k, v.as_str()))
                    .is_some_and(|selectors| {
                        selectors
                            .iter()
                            .any(|s| s.iter().all(|(k, v)| labels.get(k) == Some(v)))
                    })
            })
    }
}

pub fn network_policy(cx: &Cx, out: &mut Vec<Finding>) {
    let selectors = Selectors::of(cx.objects());
    for pod in pods(cx.objects()) {
        let ns = pod.object.meta().namespace.as_deref().unwrap_or_default();
        if !selectors.select(ns, &pod.meta.labels) {
            // The switch that turned the derivation off, if that is why.
            let switch = Some(&cx.site.settings().network_policies)
                .filter(|t| !t.prov.is_default())
                .map(|t| t.prov.clone());
            // A flow-run pod of a worker's own template: its pool's policy
            // selects the work-pool label, which the template must carry.
            let label = pod
                .object
                .meta()
                .labels
                .get(crate::model::labels::WORK_POOL)
                .filter(|_| {
                    pod.meta
                        .labels
                        .get(crate::model::labels::WORK_POOL)
                        .is_none()
                })
                .map(|pool| (crate::model::labels::WORK_POOL.to_string(), pool.clone()));
            let prov = if label.is_some() { None } else { switch };
            out.push(finding(
                pod.name(),
                pod.origin(),
                prov,
                Violation::NoNetworkPolicy {
                    pod: pod.name(),
                    label,
                },
            ));
        }
    }
}

pub fn exposed_without_auth(cx: &Cx, out: &mut Vec<Finding>) {
    for server in cx.site.of_kind(Kind::Server) {
        let Spec::Server(s) = &server.spec else {
            continue;
        };
        if s.auth.is_some() {
            continue;
        }
        let exposures = [
            ("ingress", s.ingress.as_ref().map(|t| &t.prov)),
            ("gateway", s.gateway.as_ref().map(|t| &t.prov)),
        ];
        for (field, prov) in exposures {
            let Some(prov) = prov else {
                continue;
            };
            out.push(finding(
                format!("server `{}`", server.name),
                server.header,
                Some(prov.clone()),
                Violation::ExposedWithoutAuth {
                    server: server.name.clone(),
                    field,
                },
            ));
        }
    }
}

/// Where the namespace `ns` of an object of `origin` was written: the
/// site's `namespace`, or a worker's `job-namespaces` entry.
/// Whether it came from `job-namespaces`.
/// A pool's objects (its flow runs' ServiceAccount and NetworkPolicy) are
/// in the job namespaces of the workers that join it.
fn namespace_prov(cx: &Cx, o: &Object, ns: &str) -> (Option<Prov>, bool) {
    let component = cx.component_at(o.origin);
    let workers: &[&Component] = match &component {
        Some(c) if c.kind == Kind::Pool => cx.workers_of(&c.name),
        Some(c) => std::slice::from_ref(c),
        None => &[],
    };
    let from_list = workers.iter().find_map(|c| {
        c.spec
            .worker()?
            .job_namespaces
            .iter()
            .find(|t| t.value == ns)
            .map(|t| t.prov.clone())
    });
    match from_list {
        Some(p) => (Some(p), true),
        None => (Some(cx.site.settings().namespace.prov.clone()), false),
    }
}

pub fn default_namespace(cx: &Cx, out: &mut Vec<Finding>) {
    for o in cx.objects() {
        if o.meta().namespace.as_deref() != Some("default") {
            continue;
        }
        let (prov, job_namespace) = namespace_prov(cx, o, "default");
        let violation = if job_namespace {
            Violation::DefaultJobNamespace
        } else {
            Violation::DefaultNamespace
        };
        out.push(finding(object_name(o), o.origin, prov, violation));
    }
}

/// The main container's image of each component's pod, by the
/// component's header and name (the first pod of that name).
fn images<'a>(cx: &Cx<'a>) -> HashMap<(Span, &'a str), &'a crate::lower::k8s::Tracked<String>> {
    let mut images = HashMap::default();
    for p in pods(cx.objects()) {
        if let Some(k) = p.spec.containers.first() {
            images
                .entry((p.origin(), p.object.meta().name.as_str()))
                .or_insert(&k.image);
        }
    }
    images
}

pub fn version_skew(cx: &Cx, out: &mut Vec<Finding>) {
    let images = images(cx);
    let image_of = |c: &Component| images.get(&(c.header, c.name.as_str())).copied();
    for c in cx
        .site
        .components
        .iter()
        .filter(|c| matches!(c.kind, Kind::Worker | Kind::Agent))
    {
        let Some(Api::Server(server)) = c.spec.api().map(|a| &a.value) else {
            continue;
        };
        let name = &server.name;
        let Some(server) = cx.site.find(Kind::Server, name) else {
            continue;
        };
        let (Some(mine), Some(theirs)) = (image_of(c), image_of(server)) else {
            continue;
        };
        // The release each runs (`Component::prefect`): a floating tag of
        // another major or line runs that one's newest release.
        let (Some((a, _)), Some((b, _))) = (c.prefect(cx.site), server.prefect(cx.site)) else {
            continue;
        };
        let (a, b) = (a.line(), b.line());
        if a != b {
            // Point at the image someone wrote: the client's, else the server's.
            let at = if mine.prov.is_default() && !theirs.prov.is_default() {
                theirs
            } else {
                mine
            };
            out.push(finding(
                format!("{} `{}`", c.kind.as_str(), c.name),
                c.header,
                prov(at),
                Violation::VersionSkew {
                    kind: c.kind,
                    component: c.name.clone(),
                    version: a.to_string(),
                    server: name.clone(),
                    server_version: b.to_string(),
                },
            ));
        }
    }
}

pub fn exporter_replicas(cx: &Cx, out: &mut Vec<Finding>) {
    // Each exporter's objects, found in one pass: a scan of every object
    // for each exporter was quadratic in a site of an exporter per team.
    let mut of_exporter: HashMap<Span, Vec<&Object>> = cx
        .site
        .of_kind(Kind::Exporter)
        .map(|c| (c.header, Vec::new()))
        .collect();
    if of_exporter.is_empty() {
        return;
    }
    for o in cx.objects() {
        if let Some(objects) = of_exporter.get_mut(&o.origin) {
            objects.push(o);
        }
    }
    for c in cx.site.of_kind(Kind::Exporter) {
        for &o in &of_exporter[&c.header] {
            let Resource::Deployment(d) = &*o.resource else {
                continue;
            };
            let autoscaling = c.spec.exporter().and_then(|e| e.autoscaling.as_ref());
            if let (None, Some(a)) = (&d.spec.replicas, autoscaling)
                && *a.max > 1
            {
                out.push(finding(
                    object_name(o),
                    o.origin,
                    Some(a.prov.clone()),
                    Violation::ExporterAutoscales {
                        exporter: c.name.clone(),
                    },
                ));
            }
            if let Some(r) = d.spec.replicas.as_ref().filter(|r| r.value > 1) {
                out.push(finding(
                    object_name(o),
                    o.origin,
                    prov(r),
                    Violation::ExporterReplicas {
                        exporter: c.name.clone(),
                        replicas: r.value,
                    },
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each NetworkPolicy is filed under its rarest label, so that a pod's
    /// lookup reads only the policies that could select it: with every
    /// worker's policy under the label all workers share, the index would
    /// be a scan of them all again (quadratic in a site of thousands).
    #[test]
    fn each_policy_is_filed_under_its_rarest_label() {
        let mut text = String::from(
            "site demo { namespace = \"prefect\", prefect = \"3.4.25\" }\n\
             server prefect { database = sqlite {} }\n\
             pool p { type = kubernetes }\n",
        );
        for i in 0..4 {
            text.push_str(&format!("worker w{i} {{ pool = p, api = prefect }}\n"));
        }
        let out = crate::build_text(&text);
        let objects = out.objects.expect("the site builds");
        let index = Selectors::of(&objects);
        let policies = objects
            .iter()
            .filter(|o| o.resource.network_policy().is_some())
            .count();
        assert!(policies >= 5, "a policy per worker and the server's");
        let filed: usize = index.by_label.values().map(Vec::len).sum();
        assert_eq!(filed + index.every_pod.len(), policies);
        assert!(
            index
                .by_label
                .values()
                .all(|selectors| selectors.len() == 1),
            "a bucket per policy: {:?}",
            index.by_label.keys().collect::<Vec<_>>()
        );
    }
}
