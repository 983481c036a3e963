//! What the charts share: names, the image tag and the Prefect release, the
//! site block, and the conversions many keys use (env lists, RBAC rules,
//! autoscaling, disruption budgets).

use super::error::Problem;
use super::pfk::{Block, Pfk};
use super::reader::{At, Reader};
pub use super::values::scalar_text;
use super::values::{Node, Value, last_wins};

/// A chart's name rule: `fullnameOverride`, else the release when it
/// already contains the chart's name, else `<release>-<name>`, cut to 63.
/// A name that is not a DNS-1035 label (what prefectc's component names
/// are, E0310) is E0704, at the key it came from.
pub fn fullname(r: &mut Reader, release: &str, chart: &str) -> String {
    let (name, from) = if let Some(full) = r.string("fullnameOverride") {
        (dns_cut(&full.value), "fullnameOverride")
    } else {
        let name = r
            .string("nameOverride")
            .map_or_else(|| chart.to_string(), |n| n.value);
        let from = if r.user_set("nameOverride") {
            "nameOverride"
        } else {
            ""
        };
        if release.contains(&name) {
            (dns_cut(release), from)
        } else {
            (dns_cut(&format!("{release}-{name}")), from)
        }
    };
    if is_label(&name) {
        return name;
    }
    r.refuse(
        from,
        "the component name it gives is not a DNS-1035 label (lower-case letters, digits and `-`, starting with a letter)",
        "choose a release name or `fullnameOverride` of that form",
    );
    "imported".to_string()
}

/// `^[a-z]([-a-z0-9]*[a-z0-9])?$`.
fn is_label(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_lowercase)
        && bytes
            .last()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

/// Cut to 63 characters without a trailing `-`, as the charts' helpers do.
fn dns_cut(name: &str) -> String {
    let cut: String = name.chars().take(63).collect();
    cut.trim_end_matches('-').to_string()
}

/// A Prefect release pinned by an image tag: `3.4.20-python3.12` →
/// `3.4.20`, `3.12`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    pub prefect: String,
    pub python: Option<String>,
}

/// The release a tag pins (`X.Y.Z[-pythonA.B][-kubernetes]`), or `None` for
/// a floating tag (`3-latest`, `latest`, `3-python3.11-kubernetes`).
pub fn pin_of_tag(tag: &str) -> Option<Pin> {
    let mut parts = tag.split('-');
    let version = parts.next()?;
    let numbers: Vec<&str> = version.split('.').collect();
    if numbers.len() != 3
        || numbers
            .iter()
            .any(|n| n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut python = None;
    for part in parts {
        if let Some(py) = part.strip_prefix("python") {
            python = Some(py.to_string());
        } else if part != "kubernetes" {
            return None;
        }
    }
    Some(Pin {
        prefect: version.to_string(),
        python,
    })
}

/// The Prefect release of the site: the tag's when it pins one, else
/// `--prefect`; a floating tag without `--prefect` is E0703, a tag that
/// disagrees with `--prefect` is E0704.
pub fn prefect_release(r: &mut Reader, tag_path: &str, flag: Option<&str>) -> Option<Pin> {
    let tag = r.string(tag_path)?;
    match (pin_of_tag(&tag.value), flag) {
        (Some(pin), Some(flag)) if pin.prefect != flag => {
            r.refuse(
                tag_path,
                &format!(
                    "the tag pins Prefect {} but --prefect says {flag}",
                    pin.prefect
                ),
                "drop --prefect, or pin the tag to the release you mean",
            );
            None
        }
        (Some(pin), _) => Some(pin),
        (None, Some(flag)) => Some(Pin {
            prefect: flag.to_string(),
            python: None,
        }),
        (None, None) => {
            let span = tag.span.or_else(|| r.key_span(tag_path)).or(r.fallback());
            if let Some(span) = span {
                r.problems.push(Problem::FloatingTag {
                    span,
                    path: tag_path.to_string(),
                    tag: tag.value,
                });
            }
            None
        }
    }
}

/// What the site block gets from one release.
#[derive(Debug, Clone, Default)]
pub struct SiteFields {
    pub namespace: String,
    pub prefect: String,
    pub python: Option<String>,
    pub labels: Option<Pfk>,
    pub annotations: Option<Pfk>,
    pub pull_secrets: Vec<String>,
}

impl SiteFields {
    /// The `site` block.
    pub fn block(&self) -> Block {
        let mut b = Block::default();
        b.set("namespace", Pfk::Str(self.namespace.clone()));
        b.set("prefect", Pfk::Str(self.prefect.clone()));
        if let Some(py) = self.python.as_ref().filter(|p| *p != "3.12") {
            b.set("python", Pfk::Str(py.clone()));
        }
        b.set_opt("labels", self.labels.clone());
        b.set_opt("annotations", self.annotations.clone());
        if !self.pull_secrets.is_empty() {
            b.set(
                "image-pull-secrets",
                Pfk::List(
                    self.pull_secrets
                        .iter()
                        .map(|s| Pfk::Str(s.clone()))
                        .collect(),
                ),
            );
        }
        b
    }
}

/// `namespaceOverride`, `commonLabels`, `commonAnnotations` into the site.
/// What every chart's import starts with: the component's name (`<fn>`),
/// `nameOverride` (no effect), and the site-wide keys.
pub fn release_head(
    r: &mut Reader,
    release: &str,
    namespace: &str,
    chart: &str,
) -> (String, SiteFields) {
    let name = fullname(r, release, chart);
    if r.string("nameOverride").is_some() {
        r.no_effect(
            "nameOverride",
            "prefectc's `app.kubernetes.io/name` label is always the chart's name",
        );
    }
    let mut site = SiteFields::default();
    site_common(r, namespace, &mut site);
    (name, site)
}

pub fn site_common(r: &mut Reader, namespace: &str, site: &mut SiteFields) {
    site.namespace = r
        .string("namespaceOverride")
        .map_or_else(|| namespace.to_string(), |n| n.value);
    site.labels = r.user_map("commonLabels");
    site.annotations = r.user_map("commonAnnotations");
}

/// An env list `[{name, value | valueFrom}]` as a `.pfk` map (a later
/// duplicate wins, as in Kubernetes); unsupported sources are W0701.
pub fn env_list(r: &mut Reader, path: &str) -> Option<Pfk> {
    if !r.user_set(path) {
        r.consume(path);
        return None;
    }
    let mut out: Vec<(String, Pfk)> = Vec::new();
    for item in r.list(path) {
        let Some(name) = str_at(item, "name") else {
            r.not_imported(path, "an entry without a `name`", None);
            continue;
        };
        let value = if let Some(v) = item.at("value") {
            let text = scalar_text(v).unwrap_or_default();
            Some(Pfk::Str(r.tpl(path, &text)))
        } else if let Some(s) = item.at("valueFrom.secretKeyRef") {
            key_ref(s).map(|(n, k)| Pfk::Secret(n, Some(k)))
        } else if let Some(c) = item.at("valueFrom.configMapKeyRef") {
            key_ref(c).map(|(n, k)| {
                Pfk::Raw(format!(
                    "config-map({}, {})",
                    super::pfk::quote(&n),
                    super::pfk::quote(&k)
                ))
            })
        } else {
            Some(Pfk::Str(String::new()))
        };
        match value {
            Some(v) => out.push((name, v)),
            None => r.not_imported(
                path,
                &format!("the source of `{name}` has no `.pfk` equivalent (only values, secretKeyRef and configMapKeyRef)"),
                None,
            ),
        }
    }
    (!out.is_empty()).then_some(Pfk::Map(last_wins(out, |(n, _)| n)))
}

fn key_ref(node: &Node) -> Option<(String, String)> {
    if node.at("optional").is_some() {
        return None;
    }
    Some((str_at(node, "name")?, str_at(node, "key")?))
}

/// A non-empty string at `key` of a map node.
pub fn str_at(node: &Node, key: &str) -> Option<String> {
    node.at(key).and_then(scalar_text).filter(|s| !s.is_empty())
}

/// Strings of a list at `key` of a map node.
fn strings_at(node: &Node, key: &str) -> Vec<String> {
    match node.at(key).map(|n| &n.value) {
        Some(Value::Seq(items)) => items.iter().filter_map(scalar_text).collect(),
        _ => Vec::new(),
    }
}

/// `role.extraPermissions` as `rbac { extra-rules = [...] }` (the core
/// group `""` is prefectc's default and left out).
pub fn extra_rules(r: &mut Reader, path: &str) -> Option<Pfk> {
    let mut rules = Vec::new();
    for item in r.list(path) {
        let mut rule = Block::default();
        let groups = strings_at(item, "apiGroups");
        if !groups.is_empty() && groups != [""] {
            rule.set("api-groups", str_list(&groups));
        }
        rule.set("resources", str_list(&strings_at(item, "resources")));
        rule.set("verbs", str_list(&strings_at(item, "verbs")));
        let names = strings_at(item, "resourceNames");
        if !names.is_empty() {
            rule.set("resource-names", str_list(&names));
        }
        rules.push(Pfk::Block(rule));
    }
    if rules.is_empty() {
        return None;
    }
    let mut rbac = Block::default();
    rbac.set("extra-rules", Pfk::List(rules));
    Some(Pfk::Block(rbac))
}

/// A list of strings.
pub fn str_list(items: &[String]) -> Pfk {
    Pfk::List(items.iter().map(|s| Pfk::Str(s.clone())).collect())
}

/// `{enabled, minReplicas, maxReplicas, targetCPU…, targetMemory…}` as an
/// `autoscaling` block when enabled.
pub fn autoscaling(r: &mut Reader, path: &str, cpu_key: &str, memory_key: &str) -> Option<Pfk> {
    let enabled = r.bool(&format!("{path}.enabled")).is_some_and(|b| b.value);
    if !enabled {
        r.consume(path);
        return None;
    }
    let mut b = Block::default();
    if let Some(min) = r
        .int(&format!("{path}.minReplicas"))
        .filter(|m| m.value != 1)
    {
        b.set("min", Pfk::Int(min.value));
    }
    let max = r
        .int(&format!("{path}.maxReplicas"))
        .map_or(100, |m| m.value);
    b.set("max", Pfk::Int(max));
    for (key, field) in [(cpu_key, "cpu"), (memory_key, "memory")] {
        if let Some(p) = r.int(&format!("{path}.{key}")).filter(|p| p.value > 0) {
            b.set(field, Pfk::Raw(format!("{}%", p.value)));
        }
    }
    Some(Pfk::Block(b))
}

/// `podDisruptionBudget{maxUnavailable, minAvailable, unhealthyPodEvictionPolicy}`.
pub fn disruption(r: &mut Reader, path: &str) -> Option<Pfk> {
    let mut b = Block::default();
    for (key, field) in [
        ("maxUnavailable", "max-unavailable"),
        ("minAvailable", "min-available"),
    ] {
        let p = format!("{path}.{key}");
        match r.node(&p).map(|n| &n.value) {
            Some(Value::Int(i)) => b.set(field, Pfk::Int(*i)),
            Some(Value::Null) | None => {}
            Some(_) => r.not_imported(&p, "prefectc's budgets are whole numbers of pods", None),
        }
    }
    let policy = format!("{path}.unhealthyPodEvictionPolicy");
    match r.string(&policy).map(|p| p.value).as_deref() {
        Some("IfHealthyBudget") => b.set(
            "unhealthy-pod-eviction-policy",
            Pfk::Raw("if-healthy-budget".into()),
        ),
        Some("AlwaysAllow") => b.set(
            "unhealthy-pod-eviction-policy",
            Pfk::Raw("always-allow".into()),
        ),
        Some(_) => r.not_imported(&policy, "not `IfHealthyBudget` or `AlwaysAllow`", None),
        None => {}
    }
    r.consume(path);
    (!b.is_empty()).then_some(Pfk::Block(b))
}

/// A user-set value that differs from `default`.
pub fn changed<T: PartialEq>(v: Option<At<T>>, default: &T) -> Option<T> {
    v.filter(|v| v.is_user() && v.value != *default)
        .map(|v| v.value)
}

/// A Kubernetes quantity (`500m`, `1`, `0.5`, `512Mi`, `1G`) as a `.pfk`
/// unit literal; anything else is not written as code.
pub fn quantity(text: &str) -> Option<Pfk> {
    const SUFFIXES: [&str; 14] = [
        "m", "k", "K", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
    ];
    let number = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &text[number.len()..];
    let mut parts = number.split('.');
    let whole = parts.next().unwrap_or_default();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let valid = digits(whole)
        && parts.next().is_none_or(digits)
        && parts.next().is_none()
        && (suffix.is_empty() || SUFFIXES.contains(&suffix));
    valid.then(|| Pfk::Raw(text.to_string()))
}

/// A quantity at `path`, or W0701 when it is not one.
pub fn quantity_at(r: &mut Reader, path: &str, value: &str) -> Option<Pfk> {
    let q = quantity(value);
    if q.is_none() {
        r.not_imported(path, "not a Kubernetes quantity prefectc reads", None);
    }
    q
}
