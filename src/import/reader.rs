//! Typed reads of the merged values. Every read marks its key as used, so
//! the keys the user set that no mapping read can be reported afterwards;
//! a value of the wrong kind is a diagnostic and reads as absent.

use std::collections::BTreeSet;

use super::error::Problem;
use super::pfk::Pfk;
use super::values::{Node, Value};
use crate::source::Span;

/// A value read from the values, with where the user wrote it (`None`: the
/// chart's default).
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub span: Option<Span>,
}

impl<T> At<T> {
    /// Whether the user set it.
    pub fn is_user(&self) -> bool {
        self.span.is_some()
    }
}

/// A Secret the site reads that the user must create, and where its value
/// is in the values (never the value itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretToCreate {
    pub name: String,
    pub key: String,
    /// The values key holding the credential, when the user wrote it.
    pub from: Option<String>,
    /// Why the Secret is needed, for the printed note.
    pub note: String,
}

/// The merged values and what reading them found.
pub struct Reader<'a> {
    root: &'a Node,
    used: BTreeSet<String>,
    pub problems: Vec<Problem>,
    pub secrets: Vec<SecretToCreate>,
    /// Spans of credential values, masked wherever source text is shown.
    pub masked: Vec<(Span, String)>,
    /// Where a diagnostic about a chart default points: the top of the first
    /// values file.
    fallback: Option<Span>,
    /// What `{{ .Release.* }}` in a value means.
    pub release: super::tpl::Release,
}

impl<'a> Reader<'a> {
    pub fn new(root: &'a Node, fallback: Option<Span>) -> Reader<'a> {
        Reader {
            fallback,
            release: super::tpl::Release::default(),
            root,
            used: BTreeSet::new(),
            problems: Vec::new(),
            secrets: Vec::new(),
            masked: Vec::new(),
        }
    }

    /// Marks `path` (and everything under it) as read.
    pub fn consume(&mut self, path: &str) {
        self.used.insert(path.to_string());
    }

    /// Whether `path` or a key above it was read.
    pub fn is_used(&self, path: &str) -> bool {
        let mut p = path;
        loop {
            if self.used.contains(p) {
                return true;
            }
            match p.rsplit_once('.') {
                Some((parent, _)) => p = parent,
                None => return false,
            }
        }
    }

    /// The node at `path`, marked as read.
    pub fn node(&mut self, path: &str) -> Option<&'a Node> {
        self.consume(path);
        self.root.at(path)
    }

    /// Whether the user set `path` or anything under it.
    pub fn user_set(&self, path: &str) -> bool {
        fn any_user(n: &Node) -> bool {
            n.is_user()
                || match &n.value {
                    Value::Map(entries) => entries
                        .iter()
                        .any(|e| e.key_span.is_some() || any_user(&e.node)),
                    Value::Seq(items) => items.iter().any(any_user),
                    _ => false,
                }
        }
        self.root
            .entry_at(path)
            .is_some_and(|e| e.key_span.is_some() || any_user(&e.node))
    }

    /// Where the key `path` was written (falls back to its value).
    pub fn key_span(&self, path: &str) -> Option<Span> {
        let e = self.root.entry_at(path)?;
        e.key_span.or(e.node.span)
    }

    fn wrong(&mut self, path: &str, node: &Node, expected: &'static str) {
        if let Some(span) = self.key_span(path).or(node.span) {
            self.problems.push(Problem::WrongType {
                span,
                path: path.to_string(),
                expected,
                found: node.value.what(),
            });
        }
    }

    /// A string (numbers and booleans read as their text, as Helm's
    /// templates print them); `null` and `""` read as absent.
    pub fn string(&mut self, path: &str) -> Option<At<String>> {
        let node = self.node(path)?;
        let value = match &node.value {
            Value::Str(s) if s.is_empty() => return None,
            Value::Str(s) => self.tpl(path, s),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Null => return None,
            Value::Seq(_) | Value::Map(_) => {
                self.wrong(path, node, "a string");
                return None;
            }
        };
        Some(At {
            value,
            span: node.span,
        })
    }

    /// `text` with the `{{ … }}` an import evaluates substituted; another
    /// expression is W0701 at `path`, and the text is kept as written.
    pub fn tpl(&mut self, path: &str, text: &str) -> String {
        match super::tpl::evaluate(text, &self.release, self.root) {
            Ok(t) => t,
            Err(t) => {
                self.report_at(path, |span, path| Problem::NotImported {
                    span,
                    path,
                    why: "a Helm template other than `.Release.Name`, `.Release.Namespace` or `.Values.…` is not evaluated; the text is kept as written".into(),
                    help: Some("write the value it renders to".into()),
                });
                t
            }
        }
    }

    /// A boolean (`"true"`/`"false"` strings too).
    pub fn bool(&mut self, path: &str) -> Option<At<bool>> {
        let node = self.node(path)?;
        let value = match &node.value {
            Value::Bool(b) => *b,
            Value::Str(s) if s == "true" || s == "false" => s == "true",
            Value::Null => return None,
            _ => {
                self.wrong(path, node, "a boolean");
                return None;
            }
        };
        Some(At {
            value,
            span: node.span,
        })
    }

    /// An integer (a string of digits too, as `port: "5432"`).
    pub fn int(&mut self, path: &str) -> Option<At<i64>> {
        let node = self.node(path)?;
        let value = match &node.value {
            Value::Int(i) => *i,
            Value::Str(s) if s.parse::<i64>().is_ok() => s.parse().unwrap_or_default(),
            Value::Null => return None,
            Value::Str(s) if s.is_empty() => return None,
            _ => {
                self.wrong(path, node, "an integer");
                return None;
            }
        };
        Some(At {
            value,
            span: node.span,
        })
    }

    /// A list of strings.
    pub fn strings(&mut self, path: &str) -> Option<At<Vec<String>>> {
        let node = self.node(path)?;
        let items = match &node.value {
            Value::Seq(items) => items,
            Value::Null => return None,
            _ => {
                self.wrong(path, node, "a list of strings");
                return None;
            }
        };
        let mut out = Vec::new();
        for item in items {
            match &item.value {
                Value::Str(s) => out.push(self.tpl(path, s)),
                Value::Int(i) => out.push(i.to_string()),
                Value::Bool(b) => out.push(b.to_string()),
                Value::Float(f) => out.push(f.clone()),
                _ => {
                    self.wrong(path, node, "a list of strings");
                    return None;
                }
            }
        }
        Some(At {
            value: out,
            span: node.span,
        })
    }

    /// A map of strings (labels, annotations).
    pub fn string_map(&mut self, path: &str) -> Option<At<Vec<(String, String)>>> {
        let node = self.node(path)?;
        let entries = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => return None,
            _ => {
                self.wrong(path, node, "a map of strings");
                return None;
            }
        };
        let mut out = Vec::new();
        for e in entries {
            let v = match &e.node.value {
                Value::Str(s) => self.tpl(&format!("{path}.{}", e.key), s),
                Value::Int(i) => i.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Float(f) => f.clone(),
                Value::Null => String::new(),
                _ => {
                    self.wrong(&format!("{path}.{}", e.key), &e.node, "a string");
                    continue;
                }
            };
            out.push((e.key.clone(), v));
        }
        let span = entries.iter().find_map(|e| e.key_span).or(node.span);
        Some(At { value: out, span })
    }

    /// A user-set, non-empty map of strings as a `.pfk` map.
    pub fn user_map(&mut self, path: &str) -> Option<Pfk> {
        let map = self.string_map(path)?;
        if map.value.is_empty() || !self.user_set(path) {
            return None;
        }
        Some(Pfk::Map(
            map.value
                .into_iter()
                .map(|(k, v)| (k, Pfk::Str(v)))
                .collect(),
        ))
    }

    /// The items of a list, each as its own node.
    pub fn list(&mut self, path: &str) -> Vec<&'a Node> {
        let Some(node) = self.node(path) else {
            return Vec::new();
        };
        match &node.value {
            Value::Seq(items) => items.iter().collect(),
            Value::Null => Vec::new(),
            _ => {
                self.wrong(path, node, "a list");
                Vec::new()
            }
        }
    }

    /// A plaintext credential at `path` becomes `secret(name, key)`: the
    /// value is masked in every shown source, a warning points at it, and
    /// the Secret is listed for the printed `kubectl` command.
    pub fn credential(&mut self, path: &str, name: &str, key: &str, note: &str) -> Pfk {
        let node = self.node(path);
        let user = node.is_some_and(Node::is_user);
        if let Some(node) = node.filter(|n| n.is_user()) {
            if let (Some(span), Value::Str(text)) = (node.span, &node.value) {
                self.masked.push((span, text.clone()));
            } else if let Some(span) = node.span {
                self.masked.push((span, String::new()));
            }
            if let Some(span) = self.key_span(path) {
                self.problems.push(Problem::Credential {
                    span,
                    path: path.to_string(),
                    secret: name.to_string(),
                    key: key.to_string(),
                });
            }
        }
        let default = node
            .is_some_and(|n| !n.is_user() && matches!(&n.value, Value::Str(s) if !s.is_empty()));
        if default && let Some(span) = self.nearest_user_key(path).or(self.fallback) {
            self.problems.push(Problem::DefaultCredential {
                span,
                path: path.to_string(),
                secret: name.to_string(),
                key: key.to_string(),
            });
        }
        self.secret_to_create(name, key, user.then(|| path.to_string()), note);
        Pfk::Secret(name.to_string(), Some(key.to_string()))
    }

    /// Where the user wrote `path` or the nearest key above it.
    fn nearest_user_key(&self, path: &str) -> Option<Span> {
        let mut p = path;
        loop {
            if let Some(span) = self.key_span(p) {
                return Some(span);
            }
            p = p.rsplit_once('.')?.0;
        }
    }

    /// Lists a Secret the user must create (once per name and key).
    pub fn secret_to_create(&mut self, name: &str, key: &str, from: Option<String>, note: &str) {
        if self.secrets.iter().any(|s| s.name == name && s.key == key) {
            return;
        }
        self.secrets.push(SecretToCreate {
            name: name.to_string(),
            key: key.to_string(),
            from,
            note: note.to_string(),
        });
    }

    /// A diagnostic at the key `path` (when the user wrote it).
    pub fn report_at(&mut self, path: &str, make: impl FnOnce(Span, String) -> Problem) {
        if let Some(span) = self.key_span(path).filter(|_| self.user_set(path)) {
            self.problems.push(make(span, path.to_string()));
        }
    }

    /// W0701 at `path` when the user set it; marks it read.
    pub fn not_imported(&mut self, path: &str, why: &str, help: Option<&str>) {
        self.consume(path);
        self.report_at(path, |span, path| Problem::NotImported {
            span,
            path,
            why: why.to_string(),
            help: help.map(str::to_string),
        });
    }

    /// W0702 at `path` when the user set it; marks it read.
    pub fn no_effect(&mut self, path: &str, why: &str) {
        self.consume(path);
        self.report_at(path, |span, path| Problem::NoEffect {
            span,
            path,
            why: why.to_string(),
        });
    }

    /// E0704 at `path` (or at the top of the values when it is a default).
    pub fn refuse(&mut self, path: &str, why: &str, help: &str) {
        self.consume(path);
        let span = self.key_span(path).or(self.fallback).unwrap_or_default();
        self.problems.push(Problem::Refused {
            span,
            path: path.to_string(),
            why: why.to_string(),
            help: help.to_string(),
        });
    }

    /// W0704 at `path` (or at the top of the values when it is a default):
    /// the site holds `placeholder` in `field` instead of the value.
    pub fn placeholder(&mut self, path: &str, why: &str, field: &str, placeholder: &str) {
        self.consume(path);
        let span = self.key_span(path).or(self.fallback).unwrap_or_default();
        self.problems.push(Problem::Placeholder {
            span,
            path: path.to_string(),
            why: why.to_string(),
            field: field.to_string(),
            placeholder: placeholder.to_string(),
        });
    }

    /// W0705 at `path`: the site holds the value completed (`why` says how).
    pub fn completed(&mut self, path: &str, why: &str) {
        let span = self.key_span(path).or(self.fallback).unwrap_or_default();
        self.problems.push(Problem::Completed {
            span,
            path: path.to_string(),
            why: why.to_string(),
        });
    }

    /// Where a diagnostic about a chart default points.
    pub fn fallback(&self) -> Option<Span> {
        self.fallback
    }

    /// The root of the values.
    pub fn root(&self) -> &'a Node {
        self.root
    }
}
