//! Parity with the official Helm charts.
//!
//! Every `tests/parity/<case>.pfk` expresses the intent of the chart values in
//! `tests/parity/reference/<case>/values.yaml`; its build is compared with the
//! chart's `helm template` output (`reference/<case>/helm.yaml`, copied from
//! `../shared/reference/cases`). Both sides are flattened into `path = value`
//! lines over the parts that decide what runs (see `docs/parity.md`), and every
//! line that differs must be covered by an accepted difference listed, with its
//! reason, in `docs/parity.md`. An accepted difference that no longer matches
//! anything fails the test too, so the list cannot go stale.
//!
//! `PARITY_SHOW=<case> cargo test --test parity -- --nocapture` prints every
//! difference of a case, accepted or not.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use prefectc::import::{Request, import};
use prefectc::source::FsLoader;
use prefectc::{Options, build};
use serde_yaml::Value;

mod support;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parity")
}

/// The cases with a reference render, by name.
fn reference_cases() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir().join("reference"))
        .expect("tests/parity/reference exists")
        .map(|e| {
            e.expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    out.sort();
    out
}

// ---------------------------------------------------------------------------
// Flattening

/// One object, flattened: path → rendered leaf value.
type Flat = BTreeMap<String, String>;

/// The container fields that decide what a Prefect process does.
const CONTAINER_FIELDS: &[&str] = &[
    "command",
    "args",
    "workingDir",
    "env",
    "envFrom",
    "ports",
    "startupProbe",
    "livenessProbe",
    "readinessProbe",
    "volumeMounts",
];

fn get<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.as_mapping().and_then(|m| m.get(key))
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => format!("{s:?}"),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => serde_json::to_string(other).unwrap_or_else(|_| format!("{other:?}")),
    }
}

/// The key that names an element of a list, when it has one: ports by number
/// and mounts by path (their names are each side's own), the rest by name.
fn element_key(list: &str, item: &Value) -> Option<(&'static str, String)> {
    let keys: &[&str] = if list.ends_with("ports") {
        &["containerPort", "port", "name"]
    } else if list.ends_with("volumeMounts") {
        &["mountPath"]
    } else {
        &["name", "alert", "record"]
    };
    for key in keys {
        if let Some(v) = get(item, key) {
            let text = match v {
                Value::String(s) => s.clone(),
                other => scalar(other),
            };
            return Some((key, text));
        }
    }
    None
}

fn flatten_into(out: &mut Flat, path: &str, value: &Value) {
    // A `subPathExpr` without `$(…)` is a plain `subPath`.
    if path.ends_with(".subPathExpr") && value.as_str().is_some_and(|s| !s.contains("$(")) {
        let plain = format!("{}subPath", path.trim_end_matches("subPathExpr"));
        out.insert(plain, scalar(value));
        return;
    }
    match value {
        Value::Mapping(map) => {
            if map.is_empty() {
                out.insert(path.to_string(), "{}".into());
            }
            for (k, v) in map {
                let key = match k {
                    Value::String(s) => s.clone(),
                    other => scalar(other),
                };
                flatten_into(out, &format!("{path}.{key}"), v);
            }
        }
        Value::Sequence(items) if items.iter().all(|i| !i.is_mapping()) => {
            let rendered: Vec<String> = items.iter().map(scalar).collect();
            out.insert(path.to_string(), format!("[{}]", rendered.join(", ")));
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                let (field, key) = element_key(path, item).unwrap_or(("", i.to_string()));
                let at = format!("{path}[{key}]");
                out.insert(at.clone(), "exists".into());
                // The key is in the path already; a mount's volume name is
                // each side's own.
                let skip: &[&str] = if path.ends_with("volumeMounts") {
                    &[field, "name"]
                } else {
                    &[field]
                };
                let rest = without(item, skip);
                if rest.as_mapping().is_none_or(|m| !m.is_empty()) {
                    flatten_into(out, &at, &rest);
                }
            }
        }
        Value::String(s) if looks_like_json(s) => match serde_json::from_str::<Value>(s) {
            Ok(parsed) => flatten_into(out, &format!("{path}(json)"), &parsed),
            Err(_) => {
                out.insert(path.to_string(), scalar(value));
            }
        },
        Value::Tagged(tagged) => flatten_into(out, path, &tagged.value),
        // An explicit `null` is the field left unset.
        Value::Null => {}
        leaf => {
            out.insert(path.to_string(), scalar(leaf));
        }
    }
}

/// Command-line arguments by flag: the leading words under `args`, then each
/// `--flag` (in any order, `--flag=value` or `--flag value`) with the values
/// that follow it under `args[--flag]`, so that one differing flag is one
/// difference.
fn flatten_args(out: &mut Flat, path: &str, args: &Value) {
    let Some(items) = args.as_sequence() else {
        flatten_into(out, path, args);
        return;
    };
    let words: Vec<String> = items
        .iter()
        .map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| scalar(v)))
        .collect();
    let quoted = |ws: &[String]| {
        let parts: Vec<String> = ws.iter().map(|w| format!("{w:?}")).collect();
        format!("[{}]", parts.join(", "))
    };
    let lead = words.iter().take_while(|w| !w.starts_with("--")).count();
    out.insert(path.to_string(), quoted(&words[..lead]));
    let mut flags: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for word in &words[lead..] {
        if let Some(flag) = word.strip_prefix("--") {
            let (flag, value) = match flag.split_once('=') {
                Some((f, v)) => (f, Some(v.to_string())),
                None => (flag, None),
            };
            let values = flags.entry(format!("--{flag}")).or_default();
            values.extend(value);
            current = Some(format!("--{flag}"));
        } else if let Some(flag) = &current {
            flags.entry(flag.clone()).or_default().push(word.clone());
        }
    }
    for (flag, values) in flags {
        out.insert(format!("{path}[{flag}]"), quoted(&values));
    }
}

fn looks_like_json(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with('{') && s.trim_end().ends_with('}')
}

/// RBAC rules as `group/resource` → sorted verbs, so the way rules are split
/// into entries does not matter.
fn flatten_rules(out: &mut Flat, path: &str, rules: &Value) {
    let mut by_resource: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let strings = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_sequence)
            .map(|s| {
                s.iter()
                    .map(|x| x.as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    for rule in rules.as_sequence().into_iter().flatten() {
        let groups = strings(get(rule, "apiGroups"));
        let names = strings(get(rule, "resourceNames"));
        let verbs = strings(get(rule, "verbs"));
        for group in &groups {
            for resource in strings(get(rule, "resources")) {
                let mut key = format!("{group}/{resource}");
                if !names.is_empty() {
                    key.push_str(&format!("({})", names.join(",")));
                }
                by_resource
                    .entry(key)
                    .or_default()
                    .extend(verbs.iter().cloned());
            }
        }
    }
    for (resource, mut verbs) in by_resource {
        verbs.sort();
        verbs.dedup();
        out.insert(format!("{path}.rules[{resource}]"), verbs.join(","));
    }
}

fn without(value: &Value, keys: &[&str]) -> Value {
    let mut value = value.clone();
    if let Some(map) = value.as_mapping_mut() {
        for key in keys {
            map.remove(*key);
        }
    }
    value
}

/// The compared parts of one object, under `Kind/name`.
fn flatten_object(out: &mut Flat, object: &Value) {
    let kind = get(object, "kind").and_then(Value::as_str).unwrap_or("?");
    let name = get(object, "metadata")
        .and_then(|m| get(m, "name"))
        .and_then(Value::as_str)
        .unwrap_or("?");
    let id = format!("{kind}/{name}");
    out.insert(id.clone(), "exists".into());
    let spec = get(object, "spec");
    match kind {
        "Deployment" | "StatefulSet" | "DaemonSet" | "Job" => {
            if let Some(replicas) = spec.and_then(|s| get(s, "replicas")) {
                out.insert(format!("{id}.replicas"), scalar(replicas));
            }
            let pod = spec
                .and_then(|s| get(s, "template"))
                .and_then(|t| get(t, "spec"));
            for list in ["initContainers", "containers"] {
                let containers = pod.and_then(|p| get(p, list)).and_then(Value::as_sequence);
                for container in containers.into_iter().flatten() {
                    let cname = element_key(list, container).unwrap_or_default().1;
                    let cpath = format!("{id}.{list}[{cname}]");
                    out.insert(cpath.clone(), "exists".into());
                    for field in CONTAINER_FIELDS {
                        if let Some(v) = get(container, field) {
                            let path = format!("{cpath}.{field}");
                            if *field == "args" {
                                flatten_args(out, &path, v);
                            } else {
                                flatten_into(out, &path, v);
                            }
                        }
                    }
                }
            }
        }
        "Role" | "ClusterRole" => {
            if let Some(rules) = get(object, "rules") {
                flatten_rules(out, &id, rules);
            }
        }
        "RoleBinding" | "ClusterRoleBinding" => {
            for key in ["roleRef", "subjects"] {
                if let Some(v) = get(object, key) {
                    flatten_into(out, &format!("{id}.{key}"), v);
                }
            }
        }
        "ConfigMap" => {
            if let Some(data) = get(object, "data") {
                flatten_into(out, &format!("{id}.data"), data);
            }
        }
        "ServiceAccount" => {
            if let Some(v) = get(object, "automountServiceAccountToken") {
                out.insert(format!("{id}.automountServiceAccountToken"), scalar(v));
            }
            if let Some(v) = get(object, "metadata").and_then(|m| get(m, "annotations")) {
                flatten_into(out, &format!("{id}.annotations"), v);
            }
        }
        // Selectors follow each side's own labels; what they select is the
        // object of the same name.
        "Service" | "PodDisruptionBudget" | "ServiceMonitor" => {
            if let Some(spec) = spec {
                flatten_into(out, &format!("{id}.spec"), &without(spec, &["selector"]));
            }
        }
        // A Secret's data is generated by the chart and never by us.
        "Secret" => {}
        _ => {
            if let Some(spec) = spec {
                flatten_into(out, &format!("{id}.spec"), spec);
            }
        }
    }
}

fn documents(text: &str) -> Vec<Value> {
    serde_yaml::Deserializer::from_str(text)
        .map(|d| Value::deserialize(d).expect("the YAML parses"))
        .filter(|v| !v.is_null())
        .collect()
}

fn object_id(object: &Value) -> String {
    let field = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("?").to_string();
    let name = get(object, "metadata").and_then(|m| get(m, "name"));
    format!("{}/{}", field(get(object, "kind")), field(name))
}

fn single_container(object: &mut Value) -> Option<&mut Value> {
    let containers = object
        .get_mut("spec")?
        .get_mut("template")?
        .get_mut("spec")?
        .get_mut("containers")?
        .as_sequence_mut()?;
    match containers.as_mut_slice() {
        [only] => Some(only),
        _ => None,
    }
}

/// Our migrations Job's name ends with `-` and 8 hex digits of a hash of its
/// spec (an upgrade is a new Job): compares it with the chart's Job of the
/// name without them, the hash itself remaining a difference
/// (`Job/name.nameHash`).
fn unhash_job_names(ours: &mut [Value]) -> Flat {
    let mut hashed = Flat::new();
    for object in ours.iter_mut() {
        if get(object, "kind").and_then(Value::as_str) != Some("Job") {
            continue;
        }
        let Some(Value::String(name)) = object.get_mut("metadata").and_then(|m| m.get_mut("name"))
        else {
            continue;
        };
        if let Some((base, hash)) = name.rsplit_once('-')
            && hash.len() == 8
            && hash.bytes().all(|b| b.is_ascii_hexdigit())
        {
            hashed.insert(format!("Job/{base}.nameHash"), format!("{hash:?}"));
            *name = base.to_string();
        }
    }
    hashed
}

/// Pairs the one container of a workload with the chart's one container of
/// the same workload when their names differ, so that what the containers do
/// is still compared; the rename itself remains a difference
/// (`Kind/name.containers[chart].renamed = "ours"`).
fn pair_single_containers(chart: &[Value], ours: &mut [Value]) -> Flat {
    let mut renamed = Flat::new();
    for object in ours.iter_mut() {
        let id = object_id(object);
        let Some(theirs) = chart.iter().find(|c| object_id(c) == id) else {
            continue;
        };
        let mut theirs = theirs.clone();
        let Some(their_name) = single_container(&mut theirs)
            .and_then(|c| get(c, "name"))
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            continue;
        };
        if let Some(mine) = single_container(object)
            && let Some(map) = mine.as_mapping_mut()
            && let Some(Value::String(my_name)) = map.get("name").cloned()
            && my_name != their_name
        {
            map.insert("name".into(), Value::String(their_name.clone()));
            renamed.insert(
                format!("{id}.containers[{their_name}].renamed"),
                format!("{my_name:?}"),
            );
        }
    }
    renamed
}

fn flatten_all(objects: &[Value]) -> Flat {
    let mut out = Flat::new();
    for object in objects {
        flatten_object(&mut out, object);
    }
    out
}

use serde::Deserialize;

// ---------------------------------------------------------------------------
// Differences

/// `- path = chart value`, `+ path = our value`, `~ path = chart → ours`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Difference {
    sign: char,
    path: String,
    detail: String,
}

impl Difference {
    fn key(&self) -> String {
        format!("{} {}", self.sign, self.path)
    }
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} = {}", self.sign, self.path, self.detail)
    }
}

fn differences(chart: &Flat, ours: &Flat) -> Vec<Difference> {
    let mut out = Vec::new();
    for (path, value) in chart {
        match ours.get(path) {
            None => out.push(Difference {
                sign: '-',
                path: path.clone(),
                detail: value.clone(),
            }),
            Some(mine) if mine != value => out.push(Difference {
                sign: '~',
                path: path.clone(),
                detail: format!("{value} → {mine}"),
            }),
            Some(_) => {}
        }
    }
    for (path, value) in ours {
        if !chart.contains_key(path) {
            out.push(Difference {
                sign: '+',
                path: path.clone(),
                detail: value.clone(),
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Accepted differences, read from docs/parity.md

#[derive(Debug)]
struct Accepted {
    /// `all` or a case name.
    scope: String,
    pattern: String,
    line: usize,
}

/// Bullets of the form ``- `PATTERN` — reason`` under `### all cases` or
/// `### <case>` headings of the "Accepted differences" section.
fn accepted() -> Vec<Accepted> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/parity.md");
    let text = std::fs::read_to_string(&path).expect("docs/parity.md exists");
    let mut out = Vec::new();
    let mut in_section = false;
    let mut scope: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        if let Some(h) = line.strip_prefix("## ") {
            in_section = h.trim() == "Accepted differences";
            scope = None;
            continue;
        }
        if !in_section {
            continue;
        }
        if let Some(h) = line.strip_prefix("### ") {
            let h = h.trim();
            scope = Some(if h == "all cases" {
                "all".into()
            } else {
                h.trim_matches('`').to_string()
            });
            continue;
        }
        let Some(rest) = line.strip_prefix("- `") else {
            continue;
        };
        let Some((pattern, reason)) = rest.split_once('`') else {
            continue;
        };
        let scope = scope
            .clone()
            .unwrap_or_else(|| panic!("docs/parity.md:{}: a bullet outside a ### case", i + 1));
        let reason = reason.trim_start_matches([' ', '—', '-', ':']).trim();
        assert!(
            !reason.is_empty(),
            "docs/parity.md:{}: `{pattern}` has no reason",
            i + 1
        );
        out.push(Accepted {
            scope,
            pattern: pattern.to_string(),
            line: i + 1,
        });
    }
    out
}

/// `*` matches within one path step (no `.`), `**` matches anything.
fn glob(pattern: &str, text: &str) -> bool {
    fn go(p: &[u8], t: &[u8]) -> bool {
        match p {
            [] => t.is_empty(),
            [b'*', b'*', rest @ ..] => (0..=t.len()).any(|i| go(rest, &t[i..])),
            [b'*', rest @ ..] => {
                let mut i = 0;
                loop {
                    if go(rest, &t[i..]) {
                        return true;
                    }
                    if i == t.len() || t[i] == b'.' {
                        return false;
                    }
                    i += 1;
                }
            }
            [c, rest @ ..] => t.first() == Some(c) && go(rest, &t[1..]),
        }
    }
    go(pattern.as_bytes(), text.as_bytes())
}

// ---------------------------------------------------------------------------
// The cases

fn build_case(case: &str) -> Result<String, String> {
    let path = dir().join(format!("{case}.pfk"));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    build_text(case, text)
}

/// `text` built as `<case>.pfk` (imports from `tests/parity/`), as YAML.
fn build_text(case: &str, text: String) -> Result<String, String> {
    let options = Options {
        today: Some("2026-06-01".to_string()),
        ..Options::default()
    };
    let out = build(
        &format!("{case}.pfk"),
        text,
        &FsLoader { root: dir() },
        &options,
    );
    match out.objects.as_deref() {
        Some(objects) if !out.has_errors() => Ok(prefectc::emit::yaml(objects)),
        _ => Err(format!("{case}.pfk does not build: {:#?}", out.diagnostics)),
    }
}

/// Reference cases whose parity program is not written yet; the list shrinks
/// to nothing as the parity work lands.
const PENDING: &[&str] = &[];

#[test]
fn every_reference_case_has_a_parity_program() {
    let missing: Vec<String> = reference_cases()
        .into_iter()
        .filter(|c| !dir().join(format!("{c}.pfk")).exists())
        .collect();
    assert_eq!(
        missing, PENDING,
        "cases without tests/parity/<case>.pfk must be exactly the PENDING list"
    );
}

/// The differences of one case's build (`yaml`) from the chart's render
/// that no accepted difference of `docs/parity.md` covers; marks in `used`
/// the accepted differences that matched.
fn unaccepted(case: &str, yaml: &str, accepted: &[Accepted], used: &mut [bool]) -> Vec<String> {
    let show = std::env::var("PARITY_SHOW").ok();
    let mut ours = documents(yaml);
    let hashed = unhash_job_names(&mut ours);
    let helm = std::fs::read_to_string(dir().join("reference").join(case).join("helm.yaml"))
        .expect("helm.yaml is readable");
    let chart = documents(&helm);
    let renamed = pair_single_containers(&chart, &mut ours);
    let mut ours = flatten_all(&ours);
    ours.extend(renamed);
    ours.extend(hashed);
    let chart = flatten_all(&chart);
    let mut failures = Vec::new();
    for difference in differences(&chart, &ours) {
        let key = difference.key();
        let mut covered = false;
        for (i, a) in accepted.iter().enumerate() {
            if (a.scope == "all" || a.scope == case) && glob(&a.pattern, &key) {
                used[i] = true;
                covered = true;
            }
        }
        if show.as_deref() == Some(case) {
            println!(
                "{} {difference}",
                if covered { "accepted" } else { "DIFFERS " }
            );
        }
        if !covered {
            failures.push(format!("{case}: {difference}"));
        }
    }
    failures
}

#[test]
fn parity_with_the_charts() {
    let accepted = accepted();
    let mut used = vec![false; accepted.len()];
    let mut failures = Vec::new();
    for case in reference_cases() {
        if !dir().join(format!("{case}.pfk")).exists() {
            continue;
        }
        match build_case(&case) {
            Ok(yaml) => failures.extend(unaccepted(&case, &yaml, &accepted, &mut used)),
            Err(e) => failures.push(e),
        }
    }
    for (a, used) in accepted.iter().zip(&used) {
        if !used && (a.scope == "all" || dir().join(format!("{}.pfk", a.scope)).exists()) {
            failures.push(format!(
                "docs/parity.md:{}: `{}` ({}) matches no difference any more",
                a.line, a.pattern, a.scope
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "parity failures:\n{}",
        failures.join("\n")
    );
}

/// Issue 19's promise, judged by this comparator: `prefectc import <chart>
/// -f values.yaml --namespace default --prefect <the hand translation's
/// pin>` gives, for every case, a site whose build differs from the chart's
/// render only by the differences `docs/parity.md` accepts for that case.
#[test]
fn parity_of_imported_sites_with_the_charts() {
    let accepted = accepted();
    let mut used = vec![false; accepted.len()];
    let mut failures = Vec::new();
    for case in reference_cases() {
        let pin = support::case_pin(&case);
        let values =
            std::fs::read_to_string(dir().join("reference").join(&case).join("values.yaml"))
                .expect("values.yaml is readable");
        let chart = support::case_chart(&case);
        let out = import(&Request {
            chart,
            files: vec![("values.yaml".into(), values)],
            sets: Vec::new(),
            release: chart.default_release().into(),
            namespace: "default".into(),
            prefect: Some(pin),
            into: None,
        });
        let Some(site) = out.site else {
            failures.push(format!("{case}: not imported"));
            continue;
        };
        match build_text(&case, site) {
            Ok(yaml) => failures.extend(unaccepted(&case, &yaml, &accepted, &mut used)),
            Err(e) => failures.push(format!("imported: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "parity failures of imported sites:\n{}",
        failures.join("\n")
    );
}

#[test]
fn glob_matches_within_and_across_steps() {
    assert!(glob("+ NetworkPolicy/*", "+ NetworkPolicy/prefect"));
    assert!(!glob("+ NetworkPolicy/*", "+ NetworkPolicy/prefect.spec"));
    assert!(glob("+ NetworkPolicy/**", "+ NetworkPolicy/prefect.spec.x"));
    assert!(glob(
        "~ Deployment/*.containers[*].env[X].value",
        "~ Deployment/a.containers[b].env[X].value"
    ));
    assert!(!glob("~ Deployment/*.env", "- Deployment/a.env"));
}
