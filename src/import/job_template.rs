//! A base job template from the values, completed the way the worker
//! completes it: the chart passes `baseJobTemplate.configuration` through
//! as written, and the kubernetes worker fails every flow run whose Job
//! manifest lacks the fields it needs (prefectc E0410), or sends the Jobs to
//! a namespace where the chart's Role does not reach (E0414). The import
//! adds what is missing, and says so (W0705) at the key.

use serde_json::{Map, Value, json};

use super::reader::Reader;

/// `json` with the worker-required fields added and, when it names no
/// namespace, the first of `namespaces`; unchanged when it is not a JSON
/// object with a `job_configuration` object, or needs nothing.
pub fn complete(r: &mut Reader, path: &str, json: &str, namespaces: &[String]) -> String {
    let Ok(Value::Object(mut template)) = serde_json::from_str::<Value>(json) else {
        return json.to_string();
    };
    let Some(Value::Object(config)) = template.get_mut("job_configuration") else {
        return json.to_string();
    };
    let mut added = Vec::new();
    if let Some(Value::Object(manifest)) = config.get_mut("job_manifest") {
        let required = json!({
            "spec": {"template": {"spec": {
                "parallelism": 1,
                "completions": 1,
                "restartPolicy": "Never",
                "containers": [{"name": "prefect-job"}],
            }}},
        });
        if let Value::Object(required) = required {
            add_missing(manifest, &required, "job_manifest", &mut added);
        }
    }
    if let Some(first) = namespaces.first()
        && !config.contains_key("namespace")
    {
        config.insert("namespace".to_string(), Value::String(first.clone()));
        added.push(format!("`job_configuration.namespace = \"{first}\"`"));
    }
    if added.is_empty() {
        return json.to_string();
    }
    let Ok(text) = serde_json::to_string(&Value::Object(template)) else {
        return json.to_string();
    };
    r.completed(
        path,
        &format!(
            "the template lacks what the worker needs to start a flow run, or where it may create Jobs; the site's template adds {}",
            added.join(", ")
        ),
    );
    text
}

/// Adds every key of `required` that `have` lacks (the first item of an
/// empty list too); a value of another type is left for `check` to report.
fn add_missing(
    have: &mut Map<String, Value>,
    required: &Map<String, Value>,
    at: &str,
    added: &mut Vec<String>,
) {
    for (k, want) in required {
        let here = format!("{at}.{k}");
        match (have.get_mut(k), want) {
            (None, _) => {
                have.insert(k.clone(), want.clone());
                added.push(format!("`{here}`"));
            }
            (Some(Value::Object(h)), Value::Object(w)) => add_missing(h, w, &here, added),
            (Some(Value::Array(h)), Value::Array(w)) if h.is_empty() => {
                h.extend(w.iter().cloned());
                added.push(format!("`{here}[0]`"));
            }
            (Some(Value::Array(h)), Value::Array(w)) => {
                if let (Some(Value::Object(h0)), Some(Value::Object(w0))) =
                    (h.first_mut(), w.first())
                {
                    add_missing(h0, w0, &format!("{here}[0]"), added);
                }
            }
            _ => {}
        }
    }
}
