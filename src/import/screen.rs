//! The last pass before a component is printed: no credential reaches the
//! site, whichever key of the values it came through. Every string of the
//! component is judged as the build's credential rules judge one
//! ([`crate::policy::is_credential`]: a known credential's form, or a name
//! that says credential), so a value the build would refuse is never written
//! in the first place:
//!
//! - the value of an environment variable becomes a reference to a Secret
//!   the user creates (`secret("<component>-env", "<key>")`, with the
//!   `kubectl create secret` command printed, its value a placeholder) and a
//!   warning at the value (W0703);
//! - anywhere else (a label or annotation, an argument, a URL, a job
//!   template) it cannot be a reference, so it is left out with an error at
//!   the value (E0704) saying how to pass it instead.
//!
//! Either way the value is masked in every snippet a diagnostic shows.

use super::error::Problem;
use super::pfk::{Block, Pfk};
use super::reader::Reader;
use super::values::{Node, Value};
use crate::policy::is_credential;
use crate::source::Span;

/// Screens the block of component `component` (its name in the site).
pub fn screen(block: &mut Block, r: &mut Reader, component: &str) {
    let mut cx = Cx { r, component };
    cx.block(block, "");
}

struct Cx<'r, 'a> {
    r: &'r mut Reader<'a>,
    component: &'r str,
}

/// Blocks whose values name keys of a Secret (`postgres { keys { password
/// = "password" } }`): a key's name is not the credential it holds.
const SECRET_KEY_NAMES: &[&str] = &["database.keys"];

impl Cx<'_, '_> {
    fn block(&mut self, block: &mut Block, path: &str) {
        if SECRET_KEY_NAMES.contains(&path) {
            return;
        }
        block.0.retain_mut(|(field, value)| {
            let here = join(path, field);
            self.value(value, &here, Some(field.as_str()))
        });
    }

    /// Screens one value; false when it must be left out.
    fn value(&mut self, value: &mut Pfk, path: &str, name: Option<&str>) -> bool {
        match value {
            Pfk::Str(s) | Pfk::Raw(s) if is_credential(name, s) => {
                let text = std::mem::take(s);
                self.refuse(path, &text);
                false
            }
            Pfk::Text(t) if text_holds_credential(t) => {
                let text = std::mem::take(t);
                self.refuse(path, &text);
                false
            }
            Pfk::Map(entries) => {
                let env = is_env(path);
                entries.retain_mut(|(key, v)| {
                    let here = join(path, key);
                    match v {
                        Pfk::Str(s) if env && is_credential(Some(key), s) => {
                            let text = std::mem::take(s);
                            *v = self.secret_for(key, &here, &text);
                            true
                        }
                        _ => self.value(v, &here, Some(key.as_str())),
                    }
                });
                true
            }
            Pfk::List(items) => {
                items.retain_mut(|item| self.value(item, path, None));
                true
            }
            Pfk::Block(b) | Pfk::Variant(_, b) => {
                self.block(b, path);
                true
            }
            _ => true,
        }
    }

    /// The value of env var `var` becomes a Secret reference.
    fn secret_for(&mut self, var: &str, path: &str, text: &str) -> Pfk {
        let secret = format!("{}-env", self.component);
        let key = var.to_ascii_lowercase().replace('_', "-");
        let span = self.mask(text);
        self.r.problems.push(Problem::Credential {
            span,
            path: path.to_string(),
            secret: secret.clone(),
            key: key.clone(),
        });
        self.r.secret_to_create(
            &secret,
            &key,
            None,
            &format!("the value of `{var}` found in the values (never copied)"),
        );
        Pfk::Secret(secret, Some(key))
    }

    /// A credential where no Secret can be referenced is left out.
    fn refuse(&mut self, path: &str, text: &str) {
        let span = self.mask(text);
        self.r.problems.push(Problem::Refused {
            span,
            path: path.to_string(),
            why: "holds a credential, which the site never carries in plain text; it is left out".into(),
            help: "keep the credential in a Kubernetes Secret and pass it to the container as an env var (`env = { NAME = secret(\"name\", \"key\") }`; an argument reads it as `$(NAME)`), then rotate it".into(),
        });
    }

    /// Masks the credential wherever the values show it, and returns where
    /// it is written (or, for a value made from several, the first part).
    fn mask(&mut self, text: &str) -> Span {
        let mut found = Vec::new();
        holding(self.r.root(), text, &mut found);
        for (span, value) in &found {
            self.r.masked.push((*span, value.clone()));
        }
        found
            .first()
            .map(|(s, _)| *s)
            .or(self.r.fallback())
            .unwrap_or_default()
    }
}

/// Whether a map at `path` is an environment (`env`, `init.env`, a
/// sidecar's `env`).
fn is_env(path: &str) -> bool {
    path == "env" || path.ends_with(".env")
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

/// Whether a text block (a job template's JSON) holds a credential in any
/// of its strings, judged under the key it is the value of.
fn text_holds_credential(text: &str) -> bool {
    fn walk(v: &serde_json::Value, key: Option<&str>) -> bool {
        match v {
            serde_json::Value::String(s) => is_credential(key, s),
            serde_json::Value::Array(items) => items.iter().any(|i| walk(i, key)),
            serde_json::Value::Object(m) => m.iter().any(|(k, v)| walk(v, Some(k))),
            _ => false,
        }
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => walk(&v, None),
        Err(_) => is_credential(None, text),
    }
}

/// The user-written scalars whose text is `text`, or is part of it, or
/// holds it (a templated value, a `--flag=value` argument).
fn holding(node: &Node, text: &str, out: &mut Vec<(Span, String)>) {
    match &node.value {
        Value::Map(entries) => entries.iter().for_each(|e| holding(&e.node, text, out)),
        Value::Seq(items) => items.iter().for_each(|i| holding(i, text, out)),
        Value::Str(s) if !s.is_empty() && (text.contains(s.as_str()) || s.contains(text)) => {
            if let Some(span) = node.span {
                out.push((span, s.clone()));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments_are_env_maps_at_any_depth() {
        assert!(is_env("env"));
        assert!(is_env("init.env"));
        assert!(is_env("sidecars.env"));
        assert!(!is_env("pod-annotations"));
        assert!(!is_env("environment"));
    }

    #[test]
    fn a_job_template_holds_a_credential_by_key_or_by_form() {
        assert!(text_holds_credential(
            r#"{"variables": {"properties": {"api_key": {"default": "pnu_0123456789abcdefghijABCDEFGHIJ012345"}}}}"#
        ));
        assert!(text_holds_credential(
            r#"{"env": [{"name": "X", "value": "postgresql://u:hunter2@db/x"}]}"#
        ));
        assert!(!text_holds_credential(
            r#"{"job_configuration": {"namespace": "{{ namespace }}"}}"#
        ));
    }
}
