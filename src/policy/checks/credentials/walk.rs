//! The JSON walk of emitted objects: every string of every object, with
//! the name it is the value of and a description of what holds it.

use serde_json::Value;

use crate::lower::k8s::Object;
use crate::policy::wording::{Container, Holder, JsonHolder};

/// One string of an emitted object.
pub(super) struct Leaf {
    /// The object it is in.
    pub(super) object: usize,
    /// What holds it, without the object: the env var `X` of container
    /// `c`, the annotation `a`, `args` of container `c`.
    pub(super) what: Holder,
    /// The name it is the value of (env var, map key, `--flag`), if any.
    pub(super) name: Option<String>,
    pub(super) value: String,
    /// The value part of a `--flag=value` or `--flag value` argument: a
    /// second view of an argument, for the name check only.
    pub(super) flag: bool,
}

/// A step into an object's JSON form.
#[derive(Clone)]
enum Seg {
    Key(String),
    Index(usize),
    /// Into a string value read as JSON.
    Json,
}

/// Every string of every object, with its name where it has one.
pub(super) fn leaves(objects: &[Object]) -> Vec<Leaf> {
    let mut out = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        let Ok(root) = serde_json::to_value(&o.resource) else {
            continue;
        };
        let mut walk = Walk {
            object: i,
            root: &root,
            path: Vec::new(),
            out: &mut out,
        };
        walk.value(&root, None);
    }
    out
}

struct Walk<'a> {
    object: usize,
    root: &'a Value,
    path: Vec<Seg>,
    out: &'a mut Vec<Leaf>,
}

impl Walk<'_> {
    fn in_json(&self) -> bool {
        self.path.iter().any(|s| matches!(s, Seg::Json))
    }

    fn last_key(&self) -> Option<&str> {
        self.path.iter().rev().find_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) | Seg::Json => None,
        })
    }

    fn value(&mut self, v: &Value, name: Option<String>) {
        match v {
            Value::String(s) => self.string(s, name),
            Value::Array(items) => {
                if matches!(self.last_key(), Some("args" | "command")) {
                    self.flags(items);
                }
                for (i, item) in items.iter().enumerate() {
                    self.path.push(Seg::Index(i));
                    self.value(item, None);
                    self.path.pop();
                }
            }
            Value::Object(map) => {
                // `{name: X, value: V}`: an env var (Kubernetes or a job
                // manifest inside a base job template).
                let env_name = match (map.get("name"), map.get("value")) {
                    (Some(Value::String(n)), Some(Value::String(_))) => Some(n.clone()),
                    _ => None,
                };
                for (k, child) in map {
                    self.path.push(Seg::Key(k.clone()));
                    let name = if k == "value" && env_name.is_some() {
                        env_name.clone()
                    } else {
                        self.name_of(k)
                    };
                    self.value(child, name);
                    self.path.pop();
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    /// The name a map key gives its value: every key of user data (labels,
    /// annotations, ConfigMap data, anything inside JSON), none of the
    /// Kubernetes schema's own field names. A key with a prefix
    /// (`nginx.ingress.kubernetes.io/auth-secret`) configures a tool whose
    /// schema prefectc does not know: only the content of its value is
    /// judged.
    fn name_of(&self, key: &str) -> Option<String> {
        let parent = self.path.iter().rev().nth(1);
        let grandparent = self.path.iter().rev().nth(2);
        if self.in_json() {
            // `variables.properties.X.default` is the default of X.
            if key == "default"
                && let (Some(Seg::Key(prop)), Some(Seg::Key(p))) = (parent, grandparent)
                && p == "properties"
            {
                return Some(prop.clone());
            }
            return Some(key.to_string());
        }
        match parent {
            Some(Seg::Key(p)) if matches!(p.as_str(), "labels" | "annotations") => {
                (!key.contains('/')).then(|| key.to_string())
            }
            Some(Seg::Key(p)) if p == "data" => Some(key.to_string()),
            _ => None,
        }
    }

    /// A string, or the strings of the JSON it holds (a base job template
    /// is judged value by value, each with its own name and path).
    fn string(&mut self, s: &str, name: Option<String>) {
        let t = s.trim_start();
        if (t.starts_with('{') || t.starts_with('['))
            && let Ok(json) = serde_json::from_str::<Value>(s)
        {
            self.path.push(Seg::Json);
            self.value(&json, None);
            self.path.pop();
            return;
        }
        let what = self.describe(name.as_deref());
        self.out.push(Leaf {
            object: self.object,
            what,
            name,
            value: s.to_string(),
            flag: false,
        });
    }

    /// `--password=V` and `--password V` in args and commands.
    fn flags(&mut self, items: &[Value]) {
        let text = |v: &Value| v.as_str().map(str::to_string);
        for (i, item) in items.iter().enumerate() {
            let Some(item) = text(item) else { continue };
            if !item.starts_with('-') {
                continue;
            }
            // Switches take no value: `--no-token run` is not a token.
            let bare = item.trim_start_matches('-');
            if !item.contains('=')
                && ["no-", "with-", "without-", "skip-", "enable-", "disable-"]
                    .iter()
                    .any(|p| bare.starts_with(p))
            {
                continue;
            }
            let (flag, value) = match item.split_once('=') {
                Some((f, v)) => (f.to_string(), Some(v.to_string())),
                None => (
                    item.clone(),
                    items
                        .get(i + 1)
                        .and_then(text)
                        .filter(|next| !next.starts_with('-')),
                ),
            };
            if let Some(value) = value {
                let what = Holder::Argument {
                    flag: flag.clone(),
                    container: self.container(),
                };
                self.out.push(Leaf {
                    object: self.object,
                    what,
                    name: Some(flag.trim_start_matches('-').to_string()),
                    value,
                    flag: true,
                });
            }
        }
    }

    /// The container the current path is in, if any.
    fn container(&self) -> Option<Container> {
        let mut at = self.root;
        let mut found = None;
        let mut init = None;
        for seg in &self.path {
            match seg {
                Seg::Key(k) => {
                    init = match k.as_str() {
                        "containers" => Some(false),
                        "initContainers" => Some(true),
                        _ => None,
                    };
                    at = &at[k.as_str()];
                }
                Seg::Index(i) => {
                    at = &at[*i];
                    if let Some(init) = init
                        && let Some(n) = at.get("name").and_then(Value::as_str)
                    {
                        found = Some(Container {
                            init,
                            name: n.to_string(),
                        });
                    }
                    init = None;
                }
                Seg::Json => break,
            }
        }
        found
    }

    /// What holds the string at the current path, for the message.
    fn describe(&self, name: Option<&str>) -> Holder {
        let keys: Vec<&str> = self
            .path
            .iter()
            .filter_map(|s| match s {
                Seg::Key(k) => Some(k.as_str()),
                Seg::Index(_) | Seg::Json => None,
            })
            .collect();
        let container = self.container();
        let json_at = self.path.iter().position(|s| matches!(s, Seg::Json));
        if let Some(at) = json_at {
            let path: Vec<String> = self.path[at + 1..]
                .iter()
                .map(|s| match s {
                    Seg::Key(k) => k.clone(),
                    Seg::Index(i) => i.to_string(),
                    Seg::Json => "(json)".into(),
                })
                .collect();
            let within = match self.path[..at].iter().rev().find_map(|s| match s {
                Seg::Key(k) => Some(k.as_str()),
                Seg::Index(_) | Seg::Json => None,
            }) {
                Some(k) if k.ends_with(".json") || k.contains("emplate") => {
                    JsonHolder::Of(k.to_string())
                }
                Some(k) => JsonHolder::In(k.to_string()),
                None => JsonHolder::Unnamed,
            };
            return Holder::Json {
                path,
                within,
                container,
            };
        }
        let last = keys.last().copied().unwrap_or_default();
        let parent = keys.iter().rev().nth(1).copied().unwrap_or_default();
        match (parent, last, name, container) {
            (_, "value", Some(n), container) if keys.contains(&"env") => Holder::EnvVar {
                name: n.to_string(),
                container,
            },
            ("labels", k, _, _) => Holder::Label(k.to_string()),
            ("annotations", k, _, _) => Holder::Annotation(k.to_string()),
            ("data", k, _, _) => Holder::ConfigMapKey(k.to_string()),
            (_, _, _, Some(container)) => {
                let field = keys
                    .iter()
                    .rev()
                    .find(|k| !matches!(**k, "value" | "name"))
                    .copied()
                    .unwrap_or(last);
                Holder::Field {
                    field: field.to_string(),
                    container,
                }
            }
            (_, _, _, None) => Holder::Path(keys.iter().map(|k| (*k).to_string()).collect()),
        }
    }
}
