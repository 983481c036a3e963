//! The little of Helm's `tpl` an import evaluates in values: `{{
//! .Release.Name }}`, `{{ .Release.Namespace }}` and `{{ .Values.a.b }}`
//! (a string or number of the merged values). Anything else stays as
//! written and is reported.

use super::values::{Node, Value, scalar_text};

/// The release an import runs for.
#[derive(Debug, Clone, Default)]
pub struct Release {
    pub name: String,
    pub namespace: String,
}

/// `text` with the expressions it knows substituted; `Err` with the text
/// as far as it could go when an expression is not one of them.
pub fn evaluate(text: &str, release: &Release, root: &Node) -> Result<String, String> {
    if !text.contains("{{") {
        return Ok(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut ok = true;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find("}}") else {
            out.push_str(&rest[start..]);
            return Err(out);
        };
        let whole = &rest[start..start + len + 2];
        let inner = whole[2..whole.len() - 2].trim_matches('-').trim();
        match value_of(inner, release, root) {
            Some(v) => out.push_str(&v),
            None => {
                ok = false;
                out.push_str(whole);
            }
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    if ok { Ok(out) } else { Err(out) }
}

fn value_of(expr: &str, release: &Release, root: &Node) -> Option<String> {
    match expr {
        ".Release.Name" => Some(release.name.clone()),
        ".Release.Namespace" => Some(release.namespace.clone()),
        _ => {
            let path = expr.strip_prefix(".Values.")?;
            let node = root.at(path)?;
            match node.value {
                Value::Seq(_) | Value::Map(_) => None,
                _ => scalar_text(node),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_and_values_are_substituted() {
        let root =
            crate::import::yaml::parse(crate::source::FileId(0), "server:\n  apiBasePath: /api\n")
                .unwrap_or_else(|e| panic!("{e:?}"));
        let release = Release {
            name: "prefect".into(),
            namespace: "ops".into(),
        };
        let got = evaluate(
            "{{ .Release.Name }}.{{- .Release.Namespace -}}{{ .Values.server.apiBasePath }}",
            &release,
            &root,
        );
        assert_eq!(got, Ok("prefect.ops/api".to_string()));
        assert!(evaluate("{{ include \"x\" . }}", &release, &root).is_err());
        assert_eq!(evaluate("plain", &release, &root), Ok("plain".to_string()));
    }
}
