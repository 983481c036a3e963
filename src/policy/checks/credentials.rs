//! Credentials written in source. Both rules read every string of every
//! emitted object (env values, args, commands, probes and hooks of every
//! container, labels, annotations, ConfigMap data, plain-data specs) and
//! every string inside a value that is itself JSON (a worker's base job
//! template, with its `variables` defaults and job manifest):
//!
//! - `secret/known-format`: the value has the form of a known credential
//!   (a Prefect API key, a password in a URL, …) whatever it is called;
//! - `secret/literal`: the value's name says it is a credential
//!   (`DB_PASS`, `dbPassword`, `--api-key=…`).
//!
//! A finding never quotes the value: it names the kind of credential and
//! where it is.

use serde_json::Value;

use super::finding;
use crate::lower::k8s::Object;
use crate::model::{Prov, Site};
use crate::policy::pods::object_name;
use crate::policy::{Cx, Finding};
use crate::source::{SourceMap, Span};

/// One string of an emitted object.
struct Leaf {
    /// The object it is in.
    object: usize,
    /// What holds it, without the object: "the env var `X` of container
    /// `c`", "the annotation `a`", "`args` of container `c`".
    what: String,
    /// The name it is the value of (env var, map key, `--flag`), if any.
    name: Option<String>,
    value: String,
    /// The value part of a `--flag=value` or `--flag value` argument: a
    /// second view of an argument, for the name check only.
    flag: bool,
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
fn leaves(objects: &[Object]) -> Vec<Leaf> {
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
                let what = format!("the argument `{flag}`{}", self.container_suffix());
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

    /// ` of container \`c\``, or nothing outside containers.
    fn container_suffix(&self) -> String {
        let mut at = self.root;
        let mut suffix = String::new();
        let mut kind = "";
        for seg in &self.path {
            match seg {
                Seg::Key(k) => {
                    kind = match k.as_str() {
                        "containers" => "container",
                        "initContainers" => "init container",
                        _ => "",
                    };
                    at = &at[k.as_str()];
                }
                Seg::Index(i) => {
                    at = &at[*i];
                    if !kind.is_empty()
                        && let Some(n) = at.get("name").and_then(Value::as_str)
                    {
                        suffix = format!(" of {kind} `{n}`");
                    }
                    kind = "";
                }
                Seg::Json => break,
            }
        }
        suffix
    }

    /// What holds the string at the current path, for the message.
    fn describe(&self, name: Option<&str>) -> String {
        let keys: Vec<&str> = self
            .path
            .iter()
            .filter_map(|s| match s {
                Seg::Key(k) => Some(k.as_str()),
                Seg::Index(_) | Seg::Json => None,
            })
            .collect();
        let suffix = self.container_suffix();
        let json_at = self.path.iter().position(|s| matches!(s, Seg::Json));
        if let Some(at) = json_at {
            let inner: Vec<String> = self.path[at + 1..]
                .iter()
                .map(|s| match s {
                    Seg::Key(k) => k.clone(),
                    Seg::Index(i) => i.to_string(),
                    Seg::Json => "(json)".into(),
                })
                .collect();
            let outer = match self.path[..at].iter().rev().find_map(|s| match s {
                Seg::Key(k) => Some(k.as_str()),
                Seg::Index(_) | Seg::Json => None,
            }) {
                Some(k) if k.ends_with(".json") || k.contains("emplate") => {
                    format!("the JSON of `{k}`")
                }
                Some(k) => format!("the JSON in `{k}`"),
                None => "a JSON value".to_string(),
            };
            return format!("`{}` in {outer}{suffix}", inner.join("."));
        }
        let last = keys.last().copied().unwrap_or_default();
        let parent = keys.iter().rev().nth(1).copied().unwrap_or_default();
        match (parent, last, name) {
            (_, "value", Some(n)) if keys.contains(&"env") => {
                format!("the env var `{n}`{suffix}")
            }
            ("labels", k, _) => format!("the label `{k}`"),
            ("annotations", k, _) => format!("the annotation `{k}`"),
            ("data", k, _) => format!("the ConfigMap key `{k}`"),
            _ if !suffix.is_empty() => {
                let field = keys
                    .iter()
                    .rev()
                    .find(|k| !matches!(**k, "value" | "name"))
                    .copied()
                    .unwrap_or(last);
                format!("`{field}`{suffix}")
            }
            _ => format!("`{}`", keys.join(".")),
        }
    }
}

/// The strings written in the site, per component, with the name (map key
/// or field) each is the value of: where a lowered string came from.
struct Written<'a> {
    site: &'a Site,
    sources: &'a SourceMap,
}

struct Source<'a> {
    name: &'a str,
    value: &'a str,
    span: Span,
}

impl<'a> Written<'a> {
    fn of(&self, header: Span) -> Vec<Source<'a>> {
        let mut out = Vec::new();
        let site = &self.site.site;
        let components = self.site.components.iter().map(|c| (c.header, &c.written));
        for (at, written) in std::iter::once((site.header, &site.written)).chain(components) {
            if at == header {
                out.extend(written.iter().filter_map(|w| {
                    Some(Source {
                        name: &w.name,
                        value: w.text.as_deref()?,
                        span: w.span,
                    })
                }));
            }
        }
        out
    }

    /// The `.pfk` span of `value` (or of the written string containing
    /// `part` of it), looked up first in the component that produced the
    /// object, then in the site block, then anywhere.
    fn find(&self, origin: Span, name: Option<&str>, value: &str, part: &str) -> Option<Prov> {
        let site = self.site.site.header;
        let mut all = Vec::new();
        for header in std::iter::once(origin)
            .chain(std::iter::once(site))
            .chain(self.site.components.iter().map(|c| c.header))
        {
            all.extend(self.of(header));
        }
        let by_name = all
            .iter()
            .find(|s| Some(s.name) == name && s.value == value);
        // Inside JSON text the value is written with JSON's escapes.
        let escaped = serde_json::to_string(part).unwrap_or_default();
        let escaped = escaped.trim_matches('"');
        let holds = |s: &&Source, text: &str| !text.is_empty() && s.value.contains(text);
        let source = by_name
            .or_else(|| all.iter().find(|s| s.value == value))
            .or_else(|| all.iter().find(|s| holds(s, part)))
            .or_else(|| all.iter().find(|s| holds(s, escaped)))?;
        if source.value == part {
            return Some(Prov::Source(source.span));
        }
        Some(Prov::Source(self.narrow(source.span, part, escaped)))
    }

    /// The part of `span` where `part` is written (as it is, or with JSON's
    /// escapes), so that a finding in a long string such as a base job
    /// template points at its line; `span` when it is not written as such.
    fn narrow(&self, span: Span, part: &str, escaped: &str) -> Span {
        let text = self.sources.text(span);
        // A whole JSON string first (`"hunter2"`, not the `hunter2` of a
        // longer word), then the part anywhere.
        let quoted = format!("\"{escaped}\"");
        let whole = text.find(&quoted).map(|i| (i + 1, escaped.len()));
        whole
            .or_else(|| {
                [part, escaped]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .find_map(|p| text.find(p).map(|i| (i, p.len())))
            })
            .map_or(span, |(i, len)| {
                let start = span.start as usize + i;
                Span::new(span.file, start, start + len)
            })
    }
}

const HELP: &str = "move it into a Kubernetes Secret, pass it as `env = { NAME = secret(\"name\", \"key\") }` (args refer to it as `$(NAME)`), and rotate it";

/// `secret/known-format`: a value that has the form of a known credential.
pub fn known_format(cx: &Cx, out: &mut Vec<Finding>) {
    let written = Written {
        site: cx.site,
        sources: cx.sources,
    };
    for leaf in leaves(cx.objects).into_iter().filter(|l| !l.flag) {
        let Some(hit) = credential_in(&leaf.value, leaf.name.as_deref()) else {
            continue;
        };
        let o = &cx.objects[leaf.object];
        out.push(finding(
            "secret/known-format",
            object_name(o),
            o.origin,
            written.find(
                o.origin,
                leaf.name.as_deref(),
                &leaf.value,
                hit.text(&leaf.value),
            ),
            format!("{} holds {}", leaf.what, hit.kind),
            format!("{} written in source", hit.kind),
            HELP,
        ));
    }
}

/// `secret/literal`: a literal whose name says it is a credential.
pub fn secret_literal(cx: &Cx, out: &mut Vec<Finding>) {
    let written = Written {
        site: cx.site,
        sources: cx.sources,
    };
    for leaf in leaves(cx.objects) {
        let Some(name) = leaf.name.as_deref() else {
            continue;
        };
        if !credential_name(name)
            || not_a_credential(&leaf.value)
            || credential_in(&leaf.value, Some(name)).is_some()
        {
            continue;
        }
        let o = &cx.objects[leaf.object];
        // Values prefectc computes itself are never credentials.
        let Some(prov) = written.find(o.origin, Some(name), &leaf.value, &leaf.value) else {
            continue;
        };
        out.push(finding(
            "secret/literal",
            object_name(o),
            o.origin,
            Some(prov),
            format!(
                "{} is written as a literal, and its name says it is a credential",
                leaf.what
            ),
            "a credential in source",
            HELP,
        ));
    }
}

/// Values that are not a credential whatever they are called: empty, a
/// switch, a short number, a reference (`$(VAR)`, `${VAR}`, `{{ var }}`)
/// or an absolute file path (`GOOGLE_APPLICATION_CREDENTIALS =
/// "/var/secrets/key.json"`).
fn not_a_credential(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null"
        )
        || (v.len() < 6 && v.parse::<f64>().is_ok())
        || placeholder(v)
        || file_path(v)
}

/// `$(VAR)` (Kubernetes), `${VAR}` / `$VAR` (shells), `{{ var }}`
/// (Prefect's job templates), a mask (`***`) or `<password>`.
fn placeholder(v: &str) -> bool {
    let ident = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ' ' | '-'))
    };
    let inside = |open: &str, close: &str| {
        v.strip_prefix(open)
            .and_then(|r| r.strip_suffix(close))
            .is_some_and(ident)
    };
    inside("$(", ")")
        || inside("${", "}")
        || inside("{{", "}}")
        || inside("<", ">")
        || v.strip_prefix('$').is_some_and(ident)
        || v.chars().all(|c| c == '*')
}

/// An absolute path of at least two segments (`/var/run/secret`), or of
/// one with an extension (`/key.json`).
fn file_path(v: &str) -> bool {
    let Some(rest) = v.strip_prefix('/') else {
        return false;
    };
    let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let plain = segments.iter().all(|s| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '+'))
    });
    plain && (segments.len() >= 2 || segments[0].contains('.'))
}

/// The words of a name: split on `_`, `-`, `.`, `/`, spaces and camelCase
/// (`dbPassword` → DB PASSWORD, `APIKey` → API KEY), upper-cased.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c.to_ascii_uppercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether a name (env var, key, flag) says it holds a credential:
/// `DB_PASSWORD`, `DB_PASS`, `dbPassword`, `PREFECT_API_KEY`, `--api-key`,
/// `GITHUB_TOKEN`, `BASIC_AUTH`. Names of settings *about* a credential
/// (`…_SECRET_NAME`, `…_FILE`, `…_PATH`, `…_URL`, `…_TTL`) do not, nor do
/// words that merely contain one (`PASSTHROUGH`, `BYPASS`).
fn credential_name(name: &str) -> bool {
    let words = words(name);
    // Names of settings about a credential, not of the credential itself.
    const ABOUT: &[&str] = &[
        "NAME",
        "NAMES",
        "REF",
        "FILE",
        "PATH",
        "DIR",
        "URL",
        "URI",
        "HOST",
        "PORT",
        "USER",
        "USERNAME",
        "AUDIENCE",
        "LENGTH",
        "MIN",
        "MAX",
        "TTL",
        "EXPIRY",
        "EXPIRATION",
        "ENABLED",
        "DISABLED",
        "TYPE",
        "HEADER",
        "KIND",
        "MODE",
        "ID",
        "SECONDS",
        "TIMEOUT",
        "INTERVAL",
        "DAYS",
        "VERSION",
        "ENDPOINT",
        "PROVIDER",
        "ALGORITHM",
        "REALM",
        "METHOD",
        "STRATEGY",
        "POLICY",
        "SCOPE",
        "SCOPES",
        "SIZE",
        "COUNT",
        "LIMIT",
        "RETRIES",
        "REQUIRED",
    ];
    let Some(last) = words.last() else {
        return false;
    };
    if ABOUT.contains(&last.as_str()) {
        return false;
    }
    // The shell's working directory, not a password.
    if words == ["PWD"] || words == ["OLDPWD"] {
        return false;
    }
    let has = |t: &str| words.iter().any(|w| w == t);
    let pair = |a: &str, b: &str| words.windows(2).any(|w| w[0] == a && w[1] == b);
    const ANYWHERE: &[&str] = &[
        "PASSWORD",
        "PASSWD",
        "PASSPHRASE",
        "PWD",
        "TOKEN",
        "SECRET",
        "APIKEY",
        "CREDENTIAL",
        "CREDENTIALS",
        "CREDS",
        "AUTHSTRING",
        "PRIVATEKEY",
        "ACCESSKEY",
        "SECRETKEY",
    ];
    const BEFORE_KEY: &[&str] = &[
        "API",
        "ACCESS",
        "PRIVATE",
        "SECRET",
        "ENCRYPTION",
        "SIGNING",
        "ACCOUNT",
        "MASTER",
        "CLIENT",
        "LICENSE",
    ];
    ANYWHERE.iter().any(|t| has(t))
        || BEFORE_KEY.iter().any(|a| pair(a, "KEY"))
        || pair("AUTH", "STRING")
        // `DB_PASS`, `BASIC_AUTH`: credentials only as the last word
        // (`PASS_THROUGH`, `AUTH_REALM` are not).
        || matches!(last.as_str(), "PASS" | "AUTH" | "PW")
}

/// A credential found in a value: its kind and where it is.
struct Hit {
    kind: &'static str,
    start: usize,
    end: usize,
}

impl Hit {
    fn text<'v>(&self, value: &'v str) -> &'v str {
        &value[self.start..self.end]
    }
}

/// Finds one credential format in a value: the byte range it occupies.
type Finder = fn(&str) -> Option<(usize, usize)>;

/// The first known credential format in `value`; `name` (the env var or
/// key it is the value of) lets a bare 40-character AWS secret key count.
fn credential_in(value: &str, name: Option<&str>) -> Option<Hit> {
    let checks: &[(&str, Finder)] = &[
        ("a PEM private key", pem_private_key),
        ("a Google service-account key", google_service_account),
        ("a Prefect API key", |v| {
            prefixed(v, &["pnu_", "pnb_"], 36, 36, alnum)
        }),
        ("an AWS access key id", |v| {
            prefixed(v, &["AKIA", "ASIA"], 16, 16, |c| {
                c.is_ascii_uppercase() || c.is_ascii_digit()
            })
        }),
        ("a GitHub token", |v| {
            prefixed(v, &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], 36, 255, alnum)
                .or_else(|| prefixed(v, &["github_pat_"], 22, 255, word))
        }),
        ("a GitLab token", |v| {
            prefixed(v, &["glpat-"], 20, 255, |c| word(c) || c == '-')
        }),
        ("a Slack token", |v| {
            prefixed(v, &["xoxa-", "xoxb-", "xoxp-", "xoxr-"], 10, 255, |c| {
                alnum(c) || c == '-'
            })
        }),
        ("an Azure storage account key", |v| {
            prefixed(v, &["AccountKey="], 20, 255, base64)
        }),
        ("a JSON Web Token", jwt),
        ("a password in a URL", url_password),
    ];
    // The `private_key` of a service-account key read as JSON.
    if name == Some("private_key") && !value.trim().is_empty() {
        return Some(Hit {
            kind: "a Google service-account key",
            start: 0,
            end: value.len(),
        });
    }
    for (kind, check) in checks {
        if let Some((start, end)) = check(value) {
            return Some(Hit { kind, start, end });
        }
    }
    let aws_name = name.is_some_and(|n| words(n).iter().any(|w| w == "AWS"));
    let v = value.trim();
    (aws_name
        && v.len() == 40
        && v.chars().all(base64)
        && v.chars().any(|c| c.is_ascii_lowercase())
        && v.chars().any(|c| c.is_ascii_uppercase())
        && v.chars().any(|c| c.is_ascii_digit()))
    .then(|| {
        let start = value.find(v).unwrap_or(0);
        Hit {
            kind: "an AWS secret access key",
            start,
            end: start + v.len(),
        }
    })
}

fn alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn base64(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')
}

/// `prefix` followed by `min..=max` characters of `body`, standing alone
/// (no word character right before the prefix or right after the body).
fn prefixed(
    v: &str,
    prefixes: &[&str],
    min: usize,
    max: usize,
    body: fn(char) -> bool,
) -> Option<(usize, usize)> {
    for p in prefixes {
        for (at, _) in v.match_indices(p) {
            if v[..at].chars().next_back().is_some_and(alnum) {
                continue;
            }
            let rest = &v[at + p.len()..];
            let n = rest.chars().take_while(|c| body(*c)).count();
            let after = rest[n..].chars().next();
            if (min..=max).contains(&n) && !after.is_some_and(alnum) {
                return Some((at, at + p.len() + n));
            }
        }
    }
    None
}

/// `-----BEGIN … PRIVATE KEY-----` (RSA, EC, OPENSSH, ENCRYPTED, PGP …).
fn pem_private_key(v: &str) -> Option<(usize, usize)> {
    for (at, _) in v.match_indices("-----BEGIN ") {
        let rest = &v[at..];
        let Some(end) = rest[11..].find("-----") else {
            continue;
        };
        let label = &rest[11..11 + end];
        if label.contains("PRIVATE KEY") {
            return Some((at, at + 11 + end + 5));
        }
    }
    None
}

/// `"private_key": "…"` of a Google service-account JSON key.
fn google_service_account(v: &str) -> Option<(usize, usize)> {
    for (at, _) in v.match_indices("\"private_key\"") {
        let rest = v[at + 13..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let rest = rest.trim_start();
        if rest.starts_with('"') && !rest.starts_with("\"\"") {
            return Some((at, at + 13));
        }
    }
    None
}

/// `eyJ….eyJ….…`: a header and a payload that are base64url JSON objects.
fn jwt(v: &str) -> Option<(usize, usize)> {
    let b64url = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_');
    for (at, _) in v.match_indices("eyJ") {
        if v[..at].chars().next_back().is_some_and(b64url) {
            continue;
        }
        let rest = &v[at..];
        let header = rest.chars().take_while(|c| b64url(*c)).count();
        if header < 10 || !rest[header..].starts_with(".eyJ") {
            continue;
        }
        let rest2 = &rest[header + 1..];
        let payload = rest2.chars().take_while(|c| b64url(*c)).count();
        if payload < 10 || !rest2[payload..].starts_with('.') {
            continue;
        }
        let sig = rest2[payload + 1..]
            .chars()
            .take_while(|c| b64url(*c))
            .count();
        return Some((at, at + header + 1 + payload + 1 + sig));
    }
    None
}

/// `scheme://user:password@host`, any scheme; `user:@host`, placeholders
/// (`${PASS}`, `$(PASS)`, `{{ pass }}`) and masks (`***`) are not passwords.
fn url_password(v: &str) -> Option<(usize, usize)> {
    for (at, _) in v.match_indices("://") {
        let scheme = v[..at]
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
            .count();
        if scheme == 0 {
            continue;
        }
        let rest = &v[at + 3..];
        let authority_len = rest
            .find(|c: char| matches!(c, '/' | '?' | '#' | '"' | '\'' | '`') || c.is_whitespace())
            .unwrap_or(rest.len());
        let authority = &rest[..authority_len];
        let Some(userinfo_end) = authority.rfind('@') else {
            continue;
        };
        let userinfo = &authority[..userinfo_end];
        let Some((_, password)) = userinfo.split_once(':') else {
            continue;
        };
        if password.is_empty() || placeholder(password) {
            continue;
        }
        let start = at + 3 + userinfo.len() - password.len();
        return Some((start, start + password.len()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_names() {
        for yes in [
            "PREFECT_API_KEY",
            "DB_PASSWORD",
            "DB_PASS",
            "dbPassword",
            "db-password",
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "PREFECT_API_AUTH_STRING",
            "apiKey",
            "APIKey",
            "api-key",
            "BASIC_AUTH",
            "SMTP_PWD",
            "client_secret",
            "GCP_CREDENTIALS",
        ] {
            assert!(credential_name(yes), "{yes}");
        }
        for no in [
            "PREFECT_INTEGRATIONS_KUBERNETES_WORKER_API_KEY_SECRET_NAME",
            "PREFECT_API_URL",
            "HOME",
            "PWD",
            "TOKEN_FILE",
            "TOKEN_AUDIENCE",
            "PASSWORD_MIN_LENGTH",
            "KEYBOARD",
            "PASSTHROUGH",
            "PASS_THROUGH",
            "BYPASS",
            "AUTH_REALM",
            "DB_SECRET_NAME",
            "PASSWORD_FILE",
            "CREDENTIALS_PATH",
            "AUTHOR",
            "monkey",
            "secretKeyRef",
        ] {
            assert!(!credential_name(no), "{no}");
        }
    }

    #[test]
    fn words_split_camel_case_and_separators() {
        assert_eq!(words("dbPassword"), ["DB", "PASSWORD"]);
        assert_eq!(words("APIKey"), ["API", "KEY"]);
        assert_eq!(words("PREFECT_API-KEY.x"), ["PREFECT", "API", "KEY", "X"]);
    }

    const PREFECT: &str = "pnu_0123456789abcdefghijklmnopqrstuvwxyz";

    #[test]
    fn known_formats() {
        let cases = [
            (PREFECT, "a Prefect API key"),
            (
                "key=pnb_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 rest",
                "a Prefect API key",
            ),
            ("AKIAIOSFODNN7EXAMPLE", "an AWS access key id"),
            ("ASIAIOSFODNN7EXAMPLE", "an AWS access key id"),
            ("ghp_0123456789abcdefghijklmnopqrstuvwxyz", "a GitHub token"),
            (
                "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
                "a GitHub token",
            ),
            ("glpat-abcdefghij0123456789", "a GitLab token"),
            ("xoxb-123456789012-abcdefghijkl", "a Slack token"),
            (
                "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abcdefghijklmnopqrstuv0123456789+/==;",
                "an Azure storage account key",
            ),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
                "a PEM private key",
            ),
            (
                "{\"type\": \"service_account\", \"private_key\": \"x\"}",
                "a Google service-account key",
            ),
            (
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                "a JSON Web Token",
            ),
            ("postgresql://u:p@db/prefect", "a password in a URL"),
            (
                "--url=redis+tls://default:s3cret@redis:6379/0",
                "a password in a URL",
            ),
            ("ftp://user:p%40ss@host", "a password in a URL"),
        ];
        for (value, kind) in cases {
            let hit = credential_in(value, None).unwrap_or_else(|| panic!("{value}"));
            assert_eq!(hit.kind, kind, "{value}");
        }
        assert_eq!(
            credential_in(
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                Some("AWS_SECRET_ACCESS_KEY")
            )
            .map(|h| h.kind),
            Some("an AWS secret access key")
        );
    }

    #[test]
    fn not_known_formats() {
        for value in [
            "pnu_abc",
            "postgresql://db/prefect",
            "https://user@host/",
            "postgresql://user:@host/db",
            "postgresql://user:${DB_PASS}@host/db",
            "postgresql://user:$(DB_PASS)@host/db",
            "postgresql://user:{{ password }}@host/db",
            "https://prefect.acme.io/api",
            "http://prefect.prefect.svc.cluster.local:4200/api",
            "-----BEGIN CERTIFICATE-----",
            "-----BEGIN PUBLIC KEY-----",
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "{\"private_key\": {\"type\": \"string\"}}",
            "AKIAshort",
            "passthrough",
        ] {
            assert!(credential_in(value, None).is_none(), "{value}");
        }
        // A 40-character string is a secret key only next to an AWS name.
        assert!(credential_in("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", Some("X")).is_none());
    }

    #[test]
    fn values_that_are_not_credentials() {
        for v in [
            "",
            "true",
            "300",
            "$(DB_PASSWORD)",
            "${DB_PASSWORD}",
            "{{ password }}",
            "/var/run/secrets/token",
            "/key.json",
        ] {
            assert!(not_a_credential(v), "{v}");
        }
        for v in ["hunter2", "/x", "12345678", "changeme"] {
            assert!(!not_a_credential(v), "{v}");
        }
    }
}
