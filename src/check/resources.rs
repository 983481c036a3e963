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
    use super::*;
    use crate::map::IndexMap;
    use crate::model::Prov;
    use crate::source::Span;

    fn typed(value: TVal) -> Typed {
        Typed {
            value,
            prov: Prov::Source(Span::default()),
        }
    }

    fn rec(schema: &'static str, fields: Vec<(&'static str, Typed)>) -> Typed {
        typed(TVal::Record(Box::new(Rec {
            schema,
            fields: fields.into_iter().collect(),
            span: Span::default(),
            waivers: Vec::new(),
        })))
    }

    /// `Resources` with a GPU requested and no limit: refused.
    fn bad_resources() -> Typed {
        let mut extended = IndexMap::default();
        extended.insert("nvidia.com/gpu".to_string(), typed(TVal::Int(1)));
        rec(
            "Resources",
            vec![(
                "requests",
                rec(
                    "ResourceList",
                    vec![("extended", typed(TVal::Map(Box::new(extended))))],
                ),
            )],
        )
    }

    /// `Resources` with these extended requests and limits.
    fn resources_of(requests: &[(&str, i64)], limits: &[(&str, i64)]) -> Typed {
        let list = |items: &[(&str, i64)]| {
            let map: IndexMap<String, Typed> = items
                .iter()
                .map(|(k, n)| (k.to_string(), typed(TVal::Int(*n))))
                .collect();
            rec(
                "ResourceList",
                vec![("extended", typed(TVal::Map(Box::new(map))))],
            )
        };
        rec(
            "Resources",
            vec![("requests", list(requests)), ("limits", list(limits))],
        )
    }

    /// The labels of the diagnostics found in `t`, which say the problem.
    fn labels(t: &Typed) -> Vec<String> {
        let mut diags = Diagnostics::default();
        walk_value(t, &mut diags);
        diags.0.iter().map(|d| d.primary.message.clone()).collect()
    }

    fn found(t: &Typed) -> usize {
        let mut diags = Diagnostics::default();
        walk_value(t, &mut diags);
        diags.0.len()
    }

    /// The walk reaches `resources` wherever the value tree holds them:
    /// in a record, a list (extra containers), a map and a union's variant.
    #[test]
    fn resources_are_found_at_any_depth() {
        assert_eq!(found(&bad_resources()), 1);
        assert_eq!(found(&typed(TVal::List(vec![bad_resources()]))), 1);
        let mut map = IndexMap::default();
        map.insert("x".to_string(), bad_resources());
        assert_eq!(found(&typed(TVal::Map(Box::new(map)))), 1);
        let variant = typed(TVal::Variant {
            tag: "in-cluster".into(),
            value: Box::new(rec("Postgres", vec![("resources", bad_resources())])),
        });
        assert_eq!(found(&variant), 1);
        assert_eq!(found(&typed(TVal::Int(1))), 0);
    }

    /// Each problem is reported once, as itself: a bad name or a negative
    /// amount is not also "a request without a limit"; zero is an amount.
    #[test]
    fn each_problem_of_an_extended_resource_once() {
        let gpu = "nvidia.com/gpu";
        assert_eq!(
            labels(&resources_of(&[(gpu, 1)], &[(gpu, 1)])),
            Vec::<String>::new()
        );
        assert_eq!(
            labels(&resources_of(&[], &[(gpu, 0)])),
            Vec::<String>::new()
        );
        assert_eq!(
            labels(&resources_of(&[(gpu, 0)], &[(gpu, 0)])),
            Vec::<String>::new()
        );
        assert_eq!(
            labels(&resources_of(&[], &[(gpu, -1)])),
            ["a negative amount"]
        );
        assert_eq!(
            labels(&resources_of(&[(gpu, -1)], &[])),
            ["a negative amount"]
        );
        assert_eq!(
            labels(&resources_of(&[("gpu", 1)], &[])),
            ["not a resource name of a device plugin or an operator"]
        );
        assert_eq!(
            labels(&resources_of(&[(gpu, 2)], &[(gpu, 1)])),
            ["requests 2, but the limit is 1"]
        );
        assert_eq!(
            labels(&resources_of(&[(gpu, 1)], &[])),
            ["requests 1 with no limit"]
        );
    }

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
