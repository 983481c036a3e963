//! `affinity` (docs/import-mapping.md §0.1): node affinity becomes
//! `required-nodes` / `preferred-nodes`; pod (anti-)affinity, which prefectc
//! expresses only as `spread` over the component's own pods, is W0701.

use super::common::{scalar_text, str_at};
use super::pfk::{Block, Pfk};
use super::reader::Reader;
use super::values::{Node, Value};

const REQUIRED: &str =
    "nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
const PREFERRED: &str = "nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution";

/// The `affinity` block, when the user set node affinity.
pub fn affinity(r: &mut Reader, path: &str) -> Option<Pfk> {
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
    for other in ["podAffinity", "podAntiAffinity"] {
        if r.user_set(&format!("{path}.{other}")) {
            r.not_imported(
                &format!("{path}.{other}"),
                "prefectc keeps only the component's own pods apart",
                Some("write `affinity { spread { topology-key = \"…\", required = … } }` in the site"),
            );
        }
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
