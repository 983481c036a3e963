//! Work pools and their base job templates: where a kubernetes worker's
//! flow-run Jobs run (`docs/work-pools.md`).
//!
//! A declared kubernetes pool gets, from lowering, the pinned Prefect's
//! default template with the namespace set to the worker's first job
//! namespace; these rules refuse what would put the Jobs elsewhere.

use super::error::RuleError;
use super::model::{CheckedComponent as Component, CheckedSite as Site, Kind, Prov, TVal, Typed};
use crate::diagnostics::{Diagnostics, Suggest};
use crate::map::{ByName, HashMap, HashSet};
use crate::model::prefect::{TagRelease, Version, job_template};
use crate::source::Span;
use std::sync::Arc;

/// The namespaces a worker may create Jobs in: `job-namespaces`, or the
/// site's namespace when empty (where its Role is).
fn allowed_namespaces(w: &Component, site_namespace: Option<&str>) -> Vec<String> {
    let written = w.fields.strings("job-namespaces");
    if written.is_empty() {
        site_namespace.map(str::to_string).into_iter().collect()
    } else {
        written.into_iter().map(str::to_string).collect()
    }
}

/// A kubernetes worker's inline template must create its Jobs where the
/// worker has RBAC (E0414).
pub(super) fn template_namespaces(
    w: &Component,
    template: &serde_json::Value,
    span: Span,
    site_namespace: Option<&str>,
    diags: &mut Diagnostics,
) {
    let allowed = allowed_namespaces(w, site_namespace);
    if allowed.is_empty() {
        return;
    }
    let outside = job_template::job_namespaces(template)
        .into_iter()
        .find(|j| !allowed.contains(&j.namespace));
    if let Some(j) = outside {
        let job_namespaces_at = w
            .fields
            .get("job-namespaces")
            .filter(|t| !t.prov.is_default())
            .map(|t| t.prov.span());
        diags.report(RuleError::TemplateNamespaceOutside {
            span,
            path: j.path,
            namespace: j.namespace,
            allowed,
            job_namespaces_at,
        });
    }
}

/// A kubernetes worker of a pool that is not declared here, with no
/// template of its own: prefectc must not overwrite the pool's template,
/// so that template decides where Jobs run (W0514).
pub(super) fn external_pool(w: &Component, site_namespace: Option<&str>, diags: &mut Diagnostics) {
    if w.fields.enum_("type") != Some("kubernetes") || w.fields.get("base-job-template").is_some() {
        return;
    }
    let Some(pool) = w.fields.get("pool") else {
        return;
    };
    let TVal::Str(name) = &pool.value else { return };
    let Some(namespace) = allowed_namespaces(w, site_namespace).into_iter().next() else {
        return;
    };
    diags.report(RuleError::ExternalPoolTemplate {
        span: pool.prov.span(),
        pool: name.clone(),
        namespace,
    });
}

/// What a worker writes to its pool as the base job template.
#[derive(PartialEq, Eq)]
enum Written<'a> {
    /// The template text of `base-job-template`.
    Inline(&'a str),
    /// An existing ConfigMap's template.
    Existing(&'a str),
    /// The default template of the Prefect the worker runs (which of
    /// [`job_template::kubernetes_template_of`]), running Jobs in this
    /// namespace.
    Default(String, Option<usize>),
}

/// Workers that share a declared pool write it one template each at start:
/// different ones overwrite each other (E0415).
pub(super) fn shared_pools(
    site: &Site,
    failed: &HashSet<(Kind, &str)>,
    site_namespace: Option<&str>,
    diags: &mut Diagnostics,
) {
    let pinned = site.site.fields.str("prefect").map(Version::lenient);
    // The first worker of each pool: its template, name and where.
    let mut seen: HashMap<&str, (Written, &str, Span)> = HashMap::default();
    for w in site.of_kind(Kind::Worker) {
        if failed.contains(&(w.kind, w.name.as_str())) {
            continue;
        }
        let Some(TVal::Ref { name: pool, .. }) = w.fields.get("pool").map(|p| &p.value) else {
            continue;
        };
        let (written, at) = match w.fields.variant("base-job-template") {
            Some(("inline", t)) => match &t.value {
                TVal::Str(text) => (Written::Inline(text), t.prov.span()),
                _ => continue,
            },
            Some((_, t)) => match &t.value {
                TVal::ConfigMap { name, .. } => (Written::Existing(name), t.prov.span()),
                _ => continue,
            },
            None if w.fields.enum_("type") == Some("kubernetes") => {
                let Some(ns) = allowed_namespaces(w, site_namespace).into_iter().next() else {
                    continue;
                };
                // A worker on another release's image writes that
                // release's default (`Component::prefect`).
                let template = pinned.map(|pinned| {
                    let runs = w
                        .fields
                        .str("image")
                        .and_then(|image| TagRelease::of_image_in(image, pinned))
                        .unwrap_or(pinned);
                    job_template::kubernetes_template_of(runs)
                });
                (Written::Default(ns, template), w.header)
            }
            None => continue,
        };
        match seen.get(pool.as_str()) {
            Some((first, first_worker, first_at)) if *first != written => {
                diags.report(RuleError::PoolTemplateConflict {
                    span: at,
                    pool: pool.clone(),
                    worker: w.name.clone(),
                    first_worker: first_worker.to_string(),
                    first: *first_at,
                });
            }
            Some(_) => {}
            None => {
                seen.insert(pool, (written, &w.name, at));
            }
        }
    }
}

/// A pool's `flow-runs`, written on a pool whose type starts no Kubernetes
/// Jobs, would reach nothing (E0416).
pub(super) fn flow_runs_of_pool(pool: &Component, diags: &mut Diagnostics) {
    let Some(written) = pool
        .fields
        .get("flow-runs")
        .filter(|t| !t.prov.is_default())
    else {
        return;
    };
    let pool_type = pool.fields.enum_("type").unwrap_or_default();
    if pool_type != "kubernetes" {
        diags.report(RuleError::FlowRunsNotKubernetes {
            span: written.prov.span(),
            pool: pool.name.clone(),
            pool_type: pool_type.to_string(),
        });
    }
}

/// A worker's own `base-job-template` takes the place of the template
/// prefectc builds from its pool's `flow-runs`, whose settings would be
/// lost (E0417).
pub(super) fn flow_runs_replaced(
    w: &Component,
    pools: &ByName<PoolFacts>,
    diags: &mut Diagnostics,
) {
    let Some(template) = w.fields.get("base-job-template") else {
        return;
    };
    let Some(TVal::Ref { name: pool, .. }) = w.fields.get("pool").map(|p| &p.value) else {
        return;
    };
    let flow_runs = pools
        .first(pool)
        .and_then(|p| p.flow_runs.as_ref())
        .filter(|prov| !prov.is_default());
    if let Some(flow_runs) = flow_runs {
        diags.report(RuleError::FlowRunsReplaced {
            span: template.prov.span(),
            worker: w.name.clone(),
            pool: pool.clone(),
            flow_runs: flow_runs.span(),
        });
    }
}

/// What the rules of a worker read of a declared pool: its name, its
/// checked type, and where its `flow-runs` come from.
pub(super) struct PoolFacts {
    /// The pool's checked values, which a worker completed from it is
    /// kept with ([`super::KeptChecks`]).
    pub checked: Arc<Component>,
    pub name: String,
    pub type_: Option<Typed>,
    pub flow_runs: Option<Prov>,
}

impl PoolFacts {
    pub fn of(pool: &Arc<Component>) -> PoolFacts {
        PoolFacts {
            checked: Arc::clone(pool),
            name: pool.name.clone(),
            type_: pool.fields.get("type").cloned(),
            flow_runs: pool.fields.get("flow-runs").map(|t| t.prov.clone()),
        }
    }
}

/// Every placeholder of a template's `job_configuration` must name one of
/// its `variables.properties`: Prefect's server refuses the template
/// otherwise (`validate_base_job_template`, which looks for
/// `{{ name }}` in the job configuration's JSON, whatever the name's kind),
/// and the worker's init container crash-loops on it (E0419). Each name is
/// reported once, in the order found.
pub(super) fn template_placeholders(
    template: &serde_json::Value,
    span: Span,
    diags: &mut Diagnostics,
) {
    let variables: Vec<String> = template
        .pointer("/variables/properties")
        .and_then(serde_json::Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    let Some(config) = template.get("job_configuration") else {
        return;
    };
    let mut reported: Vec<String> = Vec::new();
    for name in job_template::placeholders(config) {
        if variables.contains(&name) || reported.contains(&name) {
            continue;
        }
        let suggestion =
            crate::diagnostics::did_you_mean(&name, variables.iter().map(String::as_str))
                .map(str::to_string);
        reported.push(name.clone());
        diags.report(RuleError::UnknownPlaceholder {
            span,
            placeholder: name,
            variables: variables.clone(),
            suggestion,
        });
    }
}

/// What a rule completed a component from: a worker's pool (its name and
/// checked values).
pub type Completed = Option<(String, Arc<Component>)>;

/// Resolves `pool = "name"` to a declared pool, infers the worker type from
/// the pool, and checks that both agree. The worker is copied only when it
/// changes, and only if it is shared (with the checks kept for the next
/// build, [`super::KeptChecks`]). Returns the pool it completed the worker
/// from, if it changed it.
pub(super) fn worker_pool(
    w: &mut Arc<Component>,
    pools: &ByName<PoolFacts>,
    pool_names: &mut Suggest<&str>,
    diags: &mut Diagnostics,
) -> Completed {
    let pool = w.fields.get("pool").cloned()?;
    let declared = match &pool.value {
        TVal::Ref { name, .. } | TVal::Str(name) => pools.first(name),
        _ => None,
    };
    let from = |p: &PoolFacts| Some((p.name.clone(), Arc::clone(&p.checked)));
    let mut completed = None;
    if let (Some(p), TVal::Str(_)) = (declared, &pool.value) {
        // A string naming a declared pool is a reference to it.
        Arc::make_mut(w).fields.fields.insert(
            "pool",
            Typed {
                value: TVal::Ref {
                    kind: Kind::Pool,
                    name: p.name.clone(),
                },
                ..pool.clone()
            },
        );
        completed = from(p);
    }
    let worker_type = w.fields.get("type").cloned();
    match (declared, worker_type) {
        (Some(p), Some(t)) => {
            // A pool whose type did not check has been reported already.
            let Some(pool_type) = &p.type_ else {
                return completed;
            };
            if pool_type.value != t.value {
                let (TVal::Enum(wt), TVal::Enum(pt)) = (&t.value, &pool_type.value) else {
                    return completed;
                };
                diags.report(RuleError::PoolTypeMismatch {
                    span: t.prov.span(),
                    worker_type: wt.clone(),
                    pool_type: pt.clone(),
                    pool: p.name.clone(),
                    joins: pool.prov.span(),
                    pool_type_at: pool_type.prov.span(),
                });
            }
        }
        (Some(p), None) => {
            // A pool whose type did not check has been reported already.
            if let Some(pool_type) = &p.type_ {
                Arc::make_mut(w)
                    .fields
                    .fields
                    .insert("type", pool_type.clone());
                completed = from(p);
            }
        }
        (None, Some(_)) => {}
        (None, None) => {
            let name = match &pool.value {
                TVal::Str(s) => s.clone(),
                _ => String::new(),
            };
            let suggestion = pool_names.best(&name).map(str::to_string);
            diags.report(RuleError::UnknownPoolType {
                span: pool.prov.span(),
                pool: name,
                worker: w.header,
                suggestion,
            });
        }
    }
    completed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::prefect::Version;

    /// Prefect's own default templates, of every line, use only declared
    /// variables; a typo in one is found, with the right suggestion.
    #[test]
    fn placeholders_of_the_default_templates_are_declared() {
        for pin in ["2.20.16", "3.0.0", "3.2.0", "3.4.25", "3.6.0", "3.9.1"] {
            let t = job_template::kubernetes_default(Version::lenient(pin));
            let mut diags = Diagnostics::default();
            template_placeholders(&t, Span::default(), &mut diags);
            assert!(diags.0.is_empty(), "{pin}: {:?}", diags.0);
            let typo: serde_json::Value =
                serde_json::from_str(&t.to_string().replace("{{ image }}", "{{ imgae }}")).unwrap();
            template_placeholders(&typo, Span::default(), &mut diags);
            assert_eq!(diags.0.len(), 1, "{pin}");
            assert_eq!(diags.0[0].code.as_str(), "E0419");
            assert!(
                diags.0[0]
                    .help
                    .as_deref()
                    .is_some_and(|h| h.contains("{{ image }}")),
                "{pin}: {:?}",
                diags.0[0].help
            );
        }
    }
}
