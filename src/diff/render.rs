//! The diff report for people and for machines.

use serde_json::{Value, json};

use super::{FieldChange, ObjectId, Report};

/// A value as it reads in the report: compact JSON (strings quoted).
fn show(v: &Value) -> String {
    serde_json::to_string(v).expect("JSON values serialise")
}

fn field_line(f: &FieldChange) -> String {
    let value = |v: &Option<Value>| match (v, f.hidden) {
        (Some(_), true) => "(hidden)".to_string(),
        (Some(v), false) => show(v),
        (None, _) => String::new(),
    };
    match (&f.old, &f.new) {
        (Some(_), Some(_)) if f.hidden => format!("~ {}: (changed)", f.path),
        (Some(_), Some(_)) => format!("~ {}: {} → {}", f.path, value(&f.old), value(&f.new)),
        (None, _) => format!("+ {}: {}", f.path, value(&f.new)),
        (_, None) => format!("- {}: {}", f.path, value(&f.old)),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn human(report: &Report) -> String {
    let mut out = String::new();
    for id in &report.added {
        out.push_str(&format!("+ {id} (added)\n"));
    }
    for id in &report.removed {
        out.push_str(&format!("- {id} (removed)\n"));
    }
    for c in &report.changed {
        out.push_str(&format!("~ {}\n", c.id));
        for f in &c.fields {
            out.push_str(&format!("    {}\n", field_line(f)));
        }
        for r in &c.refused {
            out.push_str(&format!(
                "    refused in place: {}: {}\n      help: {}\n",
                r.field, r.message, r.help
            ));
        }
    }
    if report.is_empty() {
        out.push_str("no changes\n");
    } else {
        out.push_str(&format!(
            "{} added, {} removed, {} changed",
            report.added.len(),
            report.removed.len(),
            report.changed.len()
        ));
        match report.refused() {
            0 => out.push('\n'),
            n => out.push_str(&format!(
                "; {} Kubernetes refuses in place\n",
                plural(n, "change", "changes")
            )),
        }
    }
    out
}

fn id_json(id: &ObjectId) -> Value {
    json!({"kind": id.kind, "namespace": id.namespace, "name": id.name})
}

fn field_json(f: &FieldChange) -> Value {
    let value = |v: &Option<Value>| match v {
        Some(_) if f.hidden => json!("(hidden)"),
        Some(v) => v.clone(),
        None => Value::Null,
    };
    let change = match (&f.old, &f.new) {
        (Some(_), Some(_)) => "changed",
        (None, _) => "added",
        (_, None) => "removed",
    };
    json!({
        "path": f.path,
        "change": change,
        "old": value(&f.old),
        "new": value(&f.new),
        "hidden": f.hidden,
    })
}

pub fn json(report: &Report) -> String {
    let changed: Vec<Value> = report
        .changed
        .iter()
        .map(|c| {
            let mut v = id_json(&c.id);
            v["fields"] = c.fields.iter().map(field_json).collect();
            v["refused"] = c
                .refused
                .iter()
                .map(|r| json!({"field": r.field, "message": r.message, "help": r.help}))
                .collect();
            v
        })
        .collect();
    let doc = json!({
        "added": report.added.iter().map(id_json).collect::<Vec<_>>(),
        "removed": report.removed.iter().map(id_json).collect::<Vec<_>>(),
        "changed": changed,
        "refused": report.refused(),
    });
    serde_json::to_string_pretty(&doc).expect("JSON values serialise") + "\n"
}
