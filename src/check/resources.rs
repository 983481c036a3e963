//! Extended resources (`limits = { extended = { "nvidia.com/gpu" = 1 } }`):
//! what the API server refuses (`k8s.io/kubernetes` `ValidateResourceRequirements`):
//! a name that is not `<domain>/<name>` outside `kubernetes.io`, a negative
//! amount, and a request without an equal limit (extended resources are
//! not overcommitted; a limit alone sets the request).

use super::error::{ExtendedProblem, RuleError};
use super::model::{CheckedComponent as Component, Rec, TVal, Typed};
use crate::diagnostics::Diagnostics;

/// Every `resources` of the component, at any depth (the main container's,
/// the extra containers', the init containers', a pool's flow runs').
pub fn extended_resources(c: &Component, diags: &mut Diagnostics) {
    walk(&c.fields, diags);
}

fn walk(rec: &Rec, diags: &mut Diagnostics) {
    if rec.schema == "Resources" {
        resources(rec, diags);
    }
    for t in rec.fields.values() {
        walk_value(t, diags);
    }
}

fn walk_value(t: &Typed, diags: &mut Diagnostics) {
    match &t.value {
        TVal::Record(r) => walk(r, diags),
        TVal::List(l) => l.iter().for_each(|t| walk_value(t, diags)),
        TVal::Map(m) => m.values().for_each(|t| walk_value(t, diags)),
        TVal::Variant { value, .. } => walk_value(value, diags),
        _ => {}
    }
}

/// The extended resources of a `ResourceList`: name → amount.
fn extended(list: Option<&Rec>) -> Vec<(&String, &Typed, i64)> {
    match list.and_then(|l| l.get("extended")).map(|t| &t.value) {
        Some(TVal::Map(m)) => m
            .iter()
            .filter_map(|(k, t)| match t.value {
                TVal::Int(n) => Some((k, t, n)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn resources(rec: &Rec, diags: &mut Diagnostics) {
    let requests = extended(rec.record("requests"));
    let limits = extended(rec.record("limits"));
    for (name, t, n) in requests.iter().chain(&limits) {
        let problem = if !name_ok(name) {
            Some(ExtendedProblem::Name)
        } else if *n < 0 {
            Some(ExtendedProblem::Negative)
        } else {
            None
        };
        if let Some(problem) = problem {
            diags.report(RuleError::ExtendedResource {
                span: t.prov.span(),
                name: name.to_string(),
                problem,
            });
        }
    }
    for (name, t, n) in &requests {
        let limit = limits.iter().find(|(l, ..)| l == name).map(|(.., l)| *l);
        if name_ok(name) && *n >= 0 && limit != Some(*n) {
            diags.report(RuleError::ExtendedResource {
                span: t.prov.span(),
                name: name.to_string(),
                problem: ExtendedProblem::RequestWithoutLimit { request: *n, limit },
            });
        }
    }
}

/// `<domain>/<name>`, a qualified name whose domain is not Kubernetes' own
/// (`kubernetes.io`, `*.kubernetes.io`) and that is not a quota name
/// (`requests.*`).
fn name_ok(name: &str) -> bool {
    let Some((domain, _)) = name.split_once('/') else {
        return false;
    };
    super::labels::check_key(name).is_ok()
        && domain != "kubernetes.io"
        && !domain.ends_with(".kubernetes.io")
        && !name.starts_with("requests.")
}

#[cfg(test)]
mod tests {
    use super::name_ok;

    #[test]
    fn names_of_extended_resources() {
        for ok in [
            "nvidia.com/gpu",
            "amd.com/gpu",
            "example.com/foo",
            "hugepages.example/x",
        ] {
            assert!(name_ok(ok), "{ok}");
        }
        for bad in [
            "gpu",
            "nvidia.com/",
            "/gpu",
            "kubernetes.io/gpu",
            "node.kubernetes.io/gpu",
            "requests.nvidia.com/gpu",
            "Nvidia.com/gpu",
            "nvidia.com/gpu/x",
        ] {
            assert!(!name_ok(bad), "{bad}");
        }
    }
}
