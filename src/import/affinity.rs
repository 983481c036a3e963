//! `affinity` (docs/import-mapping.md §0.1): node affinity becomes
//! `required-nodes` / `preferred-nodes`; pod anti-affinity of one term over
//! the component's own pods becomes `spread`; any other pod (anti-)affinity,
//! which prefectc cannot express, is W0701.

use super::common::{scalar_text, str_at};
use super::pfk::{Block, Pfk};
use super::reader::Reader;
use super::values::{Node, Value};

const REQUIRED: &str =
    "nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
const PREFERRED: &str = "nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution";

/// The selector labels the chart gives the pods of `component` (none for
/// the exporter) of this release: `app.kubernetes.io/name` (`nameOverride`
/// or the chart's name), `instance` and `component`.
pub fn own_pods(r: &Reader, chart: &str, component: Option<&str>) -> Vec<(String, String)> {
    let name = r
        .root()
        .at("nameOverride")
        .and_then(scalar_text)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| chart.to_string());
    let mut out = vec![
        ("app.kubernetes.io/name".to_string(), name),
        (
            "app.kubernetes.io/instance".to_string(),
            r.release.name.clone(),
        ),
    ];
    if let Some(c) = component {
        out.push(("app.kubernetes.io/component".to_string(), c.to_string()));
    }
    out
}

/// A `podAntiAffinity` of one term over the component's own pods (`own`,
/// their selector labels) as `spread`: its `labelSelector.matchLabels`
/// names this release's instance and nothing but `own`'s labels.
fn spread(r: &mut Reader, anti: &str, own: &[(String, String)]) -> Option<Pfk> {
    let required = r.list(&format!(
        "{anti}.requiredDuringSchedulingIgnoredDuringExecution"
    ));
    let preferred = r.list(&format!(
        "{anti}.preferredDuringSchedulingIgnoredDuringExecution"
    ));
    let (term, weight) = match (required.as_slice(), preferred.as_slice()) {
        ([term], []) => (*term, None),
        ([], [p]) => {
            let Some(Value::Int(w)) = p.at("weight").map(|n| &n.value) else {
                return None;
            };
            (p.at("podAffinityTerm")?, Some(*w))
        }
        _ => return None,
    };
    let Value::Map(keys) = &term.value else {
        return None;
    };
    if keys
        .iter()
        .any(|e| !matches!(e.key.as_str(), "labelSelector" | "topologyKey"))
    {
        return None;
    }
    let selector = term.at("labelSelector")?;
    let Value::Map(parts) = &selector.value else {
        return None;
    };
    if parts.iter().any(|e| e.key != "matchLabels") {
        return None;
    }
    let Value::Map(labels) = &selector.at("matchLabels")?.value else {
        return None;
    };
    let instance = own.iter().find(|(k, _)| k.ends_with("/instance"));
    let names_instance = labels.iter().any(|e| {
        instance.is_some_and(|(k, v)| e.key == *k && scalar_text(&e.node).as_ref() == Some(v))
    });
    let all_own = labels.iter().all(|e| {
        own.iter()
            .any(|(k, v)| e.key == *k && scalar_text(&e.node).as_ref() == Some(v))
    });
    if !names_instance || !all_own {
        return None;
    }
    let mut b = Block::default();
    let key = str_at(term, "topologyKey")?;
    if key != "kubernetes.io/hostname" {
        b.set("topology-key", Pfk::Str(key));
    }
    match weight {
        None => b.set("required", Pfk::Bool(true)),
        Some(100) => {}
        Some(w) => b.set("weight", Pfk::Int(w)),
    }
    Some(Pfk::Block(b))
}

/// The `affinity` block, when the user set node affinity or kept the
/// component's own pods apart; `own` are its pods' selector labels
/// ([`own_pods`]).
pub fn affinity(r: &mut Reader, path: &str, own: &[(String, String)]) -> Option<Pfk> {
    if !r.user_set(path) {
        r.consume(path);
        return None;
    }
    let mut b = Block::default();
    let mut unsupported = false;
    let mut required = Vec::new();
    for term in r.list(&format!("{path}.{REQUIRED}")) {
        match expressions(term) {
            Some(m) => required.push(Pfk::Block(Block(vec![("match".into(), m)]))),
            None => unsupported = true,
        }
    }
    let mut preferred = Vec::new();
    for item in r.list(&format!("{path}.{PREFERRED}")) {
        let weight = match item.at("weight").map(|n| &n.value) {
            Some(Value::Int(w)) => Some(*w),
            _ => None,
        };
        match (weight, item.at("preference").and_then(expressions)) {
            (Some(w), Some(m)) => {
                let mut t = Block::default();
                t.set("weight", Pfk::Int(w));
                t.set("match", m);
                preferred.push(Pfk::Block(t));
            }
            _ => unsupported = true,
        }
    }
    if unsupported {
        r.not_imported(
            &format!("{path}.nodeAffinity"),
            "a node term with `matchFields` or without `matchExpressions`",
            None,
        );
    }
    let anti = format!("{path}.podAntiAffinity");
    if r.user_set(&anti) {
        match spread(r, &anti, own) {
            Some(s) => b.set("spread", s),
            None => r.not_imported(
                &anti,
                "prefectc keeps only the component's own pods apart: one term, selecting this release's pods of this component by their labels",
                Some("write `affinity { spread { topology-key = \"…\", required = … } }` in the site"),
            ),
        }
    }
    if r.user_set(&format!("{path}.podAffinity")) {
        r.not_imported(
            &format!("{path}.podAffinity"),
            "prefectc keeps only the component's own pods apart; it does not place pods next to others",
            None,
        );
    }
    if !required.is_empty() {
        b.set("required-nodes", Pfk::List(required));
    }
    if !preferred.is_empty() {
        b.set("preferred-nodes", Pfk::List(preferred));
    }
    r.consume(path);
    (!b.is_empty()).then_some(Pfk::Block(b))
}

/// A term's `matchExpressions` as `[NodeExpression]`; `None` with
/// `matchFields` or an unknown operator.
fn expressions(term: &Node) -> Option<Pfk> {
    if term.at("matchFields").is_some() {
        return None;
    }
    let Some(Value::Seq(items)) = term.at("matchExpressions").map(|n| &n.value) else {
        return None;
    };
    let mut out = Vec::new();
    for e in items {
        let operator = match str_at(e, "operator")?.as_str() {
            "In" => "in",
            "NotIn" => "not-in",
            "Exists" => "exists",
            "DoesNotExist" => "does-not-exist",
            "Gt" => "gt",
            "Lt" => "lt",
            _ => return None,
        };
        let mut x = Block::default();
        x.set("key", Pfk::Str(str_at(e, "key")?));
        x.set("operator", Pfk::Raw(operator.into()));
        if let Some(Value::Seq(values)) = e.at("values").map(|n| &n.value) {
            let values: Vec<Pfk> = values
                .iter()
                .filter_map(scalar_text)
                .map(Pfk::Str)
                .collect();
            if !values.is_empty() {
                x.set("values", Pfk::List(values));
            }
        }
        out.push(Pfk::Block(x));
    }
    (!out.is_empty()).then_some(Pfk::List(out))
}
