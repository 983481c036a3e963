//! The JSON walk of emitted objects: every string of every object, with
//! the name it is the value of. The strings either rule could flag are
//! kept, with a description of what holds them; the rest are judged and
//! dropped on the way.

use super::TextSet;

use serde_json::Value;

use super::formats::{Hit, credential_in};
use super::kept::KeptScreen;
use super::names::{credential_name, not_a_credential};
use super::screen::{Stacks, Verdict, may_flag};
use super::seen::Seen;
use crate::lower::k8s::{Object, Resource};
use crate::policy::wording::{Container, Holder, JsonHolder};

/// One string of an emitted object that a rule may flag.
pub(crate) struct Leaf {
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
    /// The known credential format in `value` (read with `name`).
    pub(super) hit: Option<Hit>,
}

impl Leaf {
    /// `secret/known-format` judges it: a known format, not in a flag's
    /// second view.
    pub(super) fn known_format(&self) -> Option<&Hit> {
        self.hit.as_ref().filter(|_| !self.flag)
    }

    /// `secret/literal` judges it: its name says credential, its value is
    /// not a reference or a placeholder, and it has no known format (that
    /// is the other rule's).
    pub(super) fn named_credential(&self) -> Option<&str> {
        self.name
            .as_deref()
            .filter(|_| self.hit.is_none())
            .filter(|n| credential_name(n) && !not_a_credential(&self.value))
    }
}

/// A step into an object's JSON form.
#[derive(Clone)]
enum Seg {
    Key(String),
    Index(usize),
    /// Into a string value read as JSON.
    Json,
}

/// Every string of every object but those `skipped` that either rule may
/// flag, with its name where it has one. (Each object is read once for both
/// rules: the walk and the JSON it parses are most of the policy stage's
/// time.)
/// With `kept`, an object screened by the build before is not screened again.
/// `written` tells whether the site may have written a value
/// ([`Verdict::if_written`](super::screen::Verdict)). With `every`, every
/// object is walked whatever the screen says.
pub(super) fn leaves(
    objects: &[Object],
    skipped: impl Fn(usize) -> bool + Sync,
    kept: Option<&KeptScreen>,
    mut written: impl FnMut(&str) -> bool,
    every: bool,
    prescreened: Option<&Prescreened>,
) -> Vec<Leaf> {
    let mut out = Vec::new();
    let mut clean = TextSet::default();
    let mut screened = Seen::default();
    let mut stacks = Stacks::default();
    // A large site with no screens kept (a build on the command line) is
    // screened on every core first.
    let parts = if kept.is_some() || every {
        1
    } else {
        crate::cores::parts(objects.len())
    };
    let mut at_once = match prescreened {
        Some(pre) => {
            let said = pre.verdicts(objects);
            #[cfg(test)]
            {
                PRESCREENED.set(PRESCREENED.get() + said.iter().flatten().count());
                let unsaid = objects
                    .iter()
                    .zip(&said)
                    .filter(|(o, v)| v.is_none() && !matches!(*o.resource, Resource::ConfigMap(_)));
                NOT_PRESCREENED
                    .with_borrow_mut(|n| n.extend(unsaid.map(|(o, _)| o.kind().to_string())));
            }
            said
        }
        None => screens_at_once(objects, &skipped, parts),
    };
    for (i, o) in objects.iter().enumerate() {
        if skipped(i) {
            continue;
        }
        // Most objects hold no string either rule could flag: the screen
        // says so at a fraction of the walk's cost.
        let mut screen = || may_flag(&o.resource, &mut screened, &mut stacks);
        let verdict = match (at_once.get_mut(i).and_then(Option::take), kept) {
            (Some(verdict), _) => verdict,
            (None, Some(kept)) => kept.may_flag(&o.resource, screen),
            (None, None) => screen(),
        };
        if !every && !verdict.may_flag(&mut written) {
            continue;
        }
        #[cfg(test)]
        WALKED.set(WALKED.get() + 1);
        let Ok(root) = serde_json::to_value(&o.resource) else {
            continue;
        };
        let mut walk = Walk {
            object: i,
            root: &root,
            path: Vec::new(),
            out: &mut out,
            clean: &mut clean,
        };
        walk.value(&root, None);
    }
    out
}

/// What the screen says of each object but those `skipped` (`None`), the
/// objects cut into `parts` runs screened at once
/// ([`crate::cores::at_once`]), each with a [`Seen`] of its own: what the
/// screen says of an object depends on nothing but the object, and `Seen`
/// only saves work. Empty for one part.
pub(super) fn screens_at_once(
    objects: &[Object],
    skipped: &(impl Fn(usize) -> bool + Sync),
    parts: usize,
) -> Vec<Option<Verdict>> {
    if parts < 2 {
        return Vec::new();
    }
    #[cfg(test)]
    AT_ONCE.set(AT_ONCE.get() + 1);
    let run = objects.len().div_ceil(parts).max(1);
    let runs: Vec<usize> = (0..objects.len()).step_by(run).collect();
    let verdicts = crate::cores::at_once(&runs, |&first| {
        let (mut seen, mut stacks) = (Seen::default(), Stacks::default());
        objects[first..(first + run).min(objects.len())]
            .iter()
            .enumerate()
            .map(|(j, o)| {
                (!skipped(first + j)).then(|| may_flag(&o.resource, &mut seen, &mut stacks))
            })
            .collect::<Vec<_>>()
    });
    verdicts.into_iter().flatten().collect()
}

#[cfg(test)]
thread_local! {
    /// How many times this thread screened objects at once.
    pub(super) static AT_ONCE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// How many objects this thread's policy stage took the verdicts of
    /// from the screen beside lowering ([`Prescreened`]).
    pub(super) static PRESCREENED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// The kinds of the objects but ConfigMaps this thread's policy stage
    /// had no verdict of from the screen beside lowering: none, as lowering
    /// sends it every object it makes.
    pub(super) static NOT_PRESCREENED: std::cell::RefCell<Vec<String>> =
        const { std::cell::RefCell::new(Vec::new()) };
    /// How many objects were walked on this thread.
    pub(super) static WALKED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

struct Walk<'a> {
    object: usize,
    root: &'a Value,
    path: Vec<Seg>,
    out: &'a mut Vec<Leaf>,
    /// JSON objects held in strings that had nothing to flag: the same base
    /// job template in a thousand ConfigMaps is judged once. What a JSON
    /// object's strings are judged by depends only on its text (names come
    /// from its own keys), so the text decides.
    clean: &'a mut TextSet,
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
            && !self.clean.contains(s)
            && let Ok(json) = serde_json::from_str::<Value>(s)
        {
            let before = self.out.len();
            self.path.push(Seg::Json);
            self.value(&json, None);
            self.path.pop();
            if json.is_object() && self.out.len() == before {
                self.clean.insert(s.to_string());
            }
            return;
        }
        if self.clean.contains(s) {
            return;
        }
        self.push(name, s.to_string(), None);
    }

    /// Keeps a string if a rule may flag it, with what holds it. `flag` is
    /// the `--flag` (as written) whose value it is.
    fn push(&mut self, name: Option<String>, value: String, flag: Option<String>) {
        let leaf = Leaf {
            object: self.object,
            what: Holder::Path(Vec::new()),
            hit: credential_in(&value, name.as_deref()),
            name,
            value,
            flag: flag.is_some(),
        };
        if leaf.known_format().is_none() && leaf.named_credential().is_none() {
            return;
        }
        let what = match flag {
            Some(flag) => Holder::Argument {
                flag,
                container: self.container(),
            },
            None => self.describe(leaf.name.as_deref()),
        };
        self.out.push(Leaf { what, ..leaf });
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
                let name = flag.trim_start_matches('-').to_string();
                self.push(Some(name), value, Some(flag));
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

/// What the screen said of the objects lowering made, screened on another
/// thread while lowering went on: by the address of each object's
/// resource, whose `Arc` it holds (so no other resource takes that
/// address while it is kept).
#[derive(Default)]
pub struct Prescreened {
    /// The resources the screen cleared.
    clean: crate::map::HashSet<usize>,
    /// What it said of the others.
    verdicts: crate::map::HashMap<usize, Verdict>,
    /// Every resource screened, held so that none is dropped and its
    /// address taken by another while the verdicts are kept (a resource
    /// lowering changed after it was screened is a copy, at an address of
    /// its own, and is screened again by the policy stage).
    held: Vec<std::sync::Arc<Resource>>,
}

impl Prescreened {
    /// Screens the resources received until the sender goes; ConfigMaps
    /// are left to the screen of the policy stage (a generated base job
    /// template is not screened at all).
    pub fn receive(from: std::sync::mpsc::Receiver<Vec<std::sync::Arc<Resource>>>) -> Prescreened {
        let (mut seen, mut stacks) = (Seen::default(), Stacks::default());
        let mut out = Prescreened::default();
        for batch in from {
            for r in batch {
                if matches!(*r, Resource::ConfigMap(_)) {
                    continue;
                }
                let verdict = may_flag(&r, &mut seen, &mut stacks);
                let at = std::sync::Arc::as_ptr(&r) as usize;
                if verdict == Verdict::default() {
                    out.clean.insert(at);
                } else {
                    out.verdicts.insert(at, verdict);
                }
                out.held.push(r);
            }
        }
        out
    }

    /// What the screen said of each of `objects`, `None` for one it did
    /// not screen (as [`screens_at_once`] says of a skipped one).
    pub(super) fn verdicts(&self, objects: &[Object]) -> Vec<Option<Verdict>> {
        objects
            .iter()
            .map(|o| {
                let at = std::sync::Arc::as_ptr(&o.resource) as usize;
                match self.clean.contains(&at) {
                    true => Some(Verdict::default()),
                    false => self.verdicts.get(&at).cloned(),
                }
            })
            .collect()
    }
}
