//! Pod-level keys every chart shares (docs/import-mapping.md §0.1):
//! resources, tolerations, security contexts and probe timings.

use super::common::{scalar_text, str_at};
use super::pfk::{Block, Pfk};
use super::reader::Reader;
use super::values::Value;

/// Requests and limits (cpu, memory) of a component, as prefectc defaults them.
pub struct ResourceDefaults {
    pub requests: [&'static str; 2],
    pub limits: [&'static str; 2],
}

/// `resources.{requests,limits}.{cpu,memory,ephemeral-storage}`: written
/// when the user set them and they differ from prefectc's defaults; `{}`
/// (the chart then sets none) is W0701: prefectc always sets them.
pub fn resources(r: &mut Reader, path: &str, defaults: &ResourceDefaults) -> Option<Pfk> {
    if !r.user_set(path) {
        r.consume(path);
        return None;
    }
    let mut block = Block::default();
    let mut same = true;
    for (part, default) in [("requests", defaults.requests), ("limits", defaults.limits)] {
        let mut list = Block::default();
        for (i, key) in ["cpu", "memory", "ephemeral-storage"]
            .into_iter()
            .enumerate()
        {
            let Some(v) = r.string(&format!("{path}.{part}.{key}")) else {
                same &= i == 2;
                continue;
            };
            same &= default.get(i).is_some_and(|d| quantity_eq(d, &v.value));
            let p = format!("{path}.{part}.{key}");
            if let Some(q) = super::common::quantity_at(r, &p, &v.value) {
                list.set(key, q);
            }
        }
        block.set_block(part, list);
    }
    r.consume(path);
    if block.is_empty() {
        r.not_imported(
            path,
            "prefectc always sets requests and limits (the chart sets none for `{}`)",
            Some("leave the key out to take prefectc's defaults, or write `resources` in the site"),
        );
        return None;
    }
    (!same).then_some(Pfk::Block(block))
}

/// `1000m` is `1`.
fn quantity_eq(a: &str, b: &str) -> bool {
    let milli = |s: &str| -> Option<u64> {
        match s.strip_suffix('m') {
            Some(m) => m.parse().ok(),
            None => s.parse::<u64>().ok().map(|c| c * 1000),
        }
    };
    a == b || (milli(a).is_some() && milli(a) == milli(b))
}

/// `tolerations[]` `{key, operator, value, effect, tolerationSeconds}`.
pub fn tolerations(r: &mut Reader, path: &str) -> Option<Pfk> {
    if !r.user_set(path) {
        r.consume(path);
        return None;
    }
    let mut out = Vec::new();
    for item in r.list(path) {
        let mut t = Block::default();
        t.set_opt("key", str_at(item, "key").map(Pfk::Str));
        match str_at(item, "operator").as_deref() {
            Some("Exists") => t.set("operator", Pfk::Raw("exists".into())),
            Some("Equal") | None => {}
            Some(_) => {
                r.not_imported(path, "an operator other than `Equal` or `Exists`", None);
                return None;
            }
        }
        t.set_opt("value", str_at(item, "value").map(Pfk::Str));
        let effect = match str_at(item, "effect").as_deref() {
            Some("NoSchedule") => Some("no-schedule"),
            Some("PreferNoSchedule") => Some("prefer-no-schedule"),
            Some("NoExecute") => Some("no-execute"),
            _ => None,
        };
        t.set_opt("effect", effect.map(|e| Pfk::Raw(e.into())));
        if let Some(s) = item.at("tolerationSeconds").and_then(|n| match n.value {
            Value::Int(i) => Some(i),
            _ => None,
        }) {
            t.set("toleration", Pfk::Raw(format!("{s}s")));
        }
        out.push(Pfk::Block(t));
    }
    (!out.is_empty()).then_some(Pfk::List(out))
}

/// The `security` block from a pod and a container security context, one
/// `.pfk` field per Kubernetes field. The charts' defaults (uid 1001,
/// non-root, read-only root, no escalation, RuntimeDefault) are prefectc's
/// or hardened further by it, and write nothing; two contexts that disagree
/// on one field are W0701.
pub fn security(r: &mut Reader, pod: &str, container: &str) -> Option<Pfk> {
    let mut b = Block::default();
    for (key, field) in [
        ("runAsUser", "run-as-user"),
        ("runAsGroup", "run-as-group"),
        ("fsGroup", "fs-group"),
    ] {
        let values: Vec<(String, i64)> = [pod, container]
            .iter()
            .map(|ctx| format!("{ctx}.{key}"))
            .filter_map(|p| {
                r.int(&p)
                    .filter(|v| v.is_user() && v.value != 1001)
                    .map(|v| (p, v.value))
            })
            .collect();
        match values.as_slice() {
            [] => {}
            [(_, v)] => b.set(field, Pfk::Int(*v)),
            [(_, a), (p, b2)] if a != b2 => {
                r.not_imported(
                    p,
                    &format!("the pod's `{key}` differs; prefectc has one value"),
                    None,
                );
                b.set(field, Pfk::Int(*a));
            }
            [(_, v), ..] => b.set(field, Pfk::Int(*v)),
        }
    }
    for (key, field, hardened) in super::security::HARDENED {
        let relaxed = [pod, container]
            .iter()
            .filter_map(|ctx| r.bool(&format!("{ctx}.{key}")))
            .any(|v| v.is_user() && v.value != hardened);
        if relaxed {
            b.set(field, Pfk::Bool(!hardened));
        }
    }
    if let Some(add) = r
        .strings(&format!("{container}.capabilities.add"))
        .filter(|a| !a.value.is_empty())
    {
        b.set("add-capabilities", super::common::str_list(&add.value));
    }
    r.consume(&format!("{container}.capabilities.drop"));
    seccomp(r, &mut b, pod);
    seccomp(r, &mut b, container);
    let sysctls: Vec<(String, Pfk)> = r
        .list(&format!("{pod}.sysctls"))
        .into_iter()
        .filter_map(|s| {
            Some((
                str_at(s, "name")?,
                Pfk::Str(s.at("value").and_then(scalar_text)?),
            ))
        })
        .collect();
    if !sysctls.is_empty() {
        b.set("sysctls", Pfk::Map(sysctls));
    }
    supplemental_groups(r, &mut b, pod);
    labels_and_profiles(r, &mut b, pod, container);
    match r
        .string(&format!("{pod}.fsGroupChangePolicy"))
        .map(|p| p.value)
        .as_deref()
    {
        Some("OnRootMismatch") => b.set(
            "fs-group-change-policy",
            Pfk::Raw("on-root-mismatch".into()),
        ),
        Some("Always") => b.set("fs-group-change-policy", Pfk::Raw("always".into())),
        _ => {}
    }
    (!b.is_empty()).then_some(Pfk::Block(b))
}

/// `supplementalGroups` of the pod context.
fn supplemental_groups(r: &mut Reader, b: &mut Block, pod: &str) {
    let path = format!("{pod}.supplementalGroups");
    let items = r.list(&path);
    let groups: Vec<Pfk> = items
        .iter()
        .filter_map(|n| match n.value {
            Value::Int(g) if g >= 0 => Some(Pfk::Int(g)),
            _ => None,
        })
        .collect();
    if groups.len() != items.len() {
        r.not_imported(&path, "a group that is not a non-negative number", None);
    } else if !groups.is_empty() {
        b.set("supplemental-groups", Pfk::List(groups));
    }
}

/// `seLinuxOptions`, `appArmorProfile`, `windowsOptions.hostProcess` (pod
/// or container: prefectc's `security` writes one value for both) and the
/// container's `procMount`. Two contexts that disagree are W0701 at the
/// container's.
fn labels_and_profiles(r: &mut Reader, b: &mut Block, pod: &str, container: &str) {
    let mut selinux = None;
    for ctx in [pod, container] {
        let path = format!("{ctx}.seLinuxOptions");
        let Some(node) = r.node(&path).filter(|n| n.is_user()) else {
            continue;
        };
        match super::security::selinux(node) {
            Ok(Some(s)) if selinux.as_ref().is_some_and(|first| *first != s) => {
                r.not_imported(
                    &path,
                    "the pod's `seLinuxOptions` differ; prefectc has one",
                    None,
                );
            }
            Ok(s) => selinux = selinux.or(s),
            Err(why) => r.not_imported(&path, &why, None),
        }
    }
    b.set_opt("selinux", selinux);
    let mut apparmor: Option<(String, Option<String>)> = None;
    for ctx in [pod, container] {
        let path = format!("{ctx}.appArmorProfile");
        let Some(kind) = r.string(&format!("{path}.type")).filter(|t| t.is_user()) else {
            r.consume(&path);
            continue;
        };
        let localhost = r
            .string(&format!("{path}.localhostProfile"))
            .map(|p| p.value);
        let this = (kind.value, localhost);
        match &apparmor {
            Some(first) if *first != this => {
                r.not_imported(
                    &path,
                    "the pod's `appArmorProfile` differs; prefectc has one",
                    None,
                );
            }
            _ => apparmor = Some(this),
        }
    }
    match apparmor {
        Some((kind, _)) if kind == "RuntimeDefault" => {
            b.set("apparmor", Pfk::Raw("runtime-default".into()));
        }
        Some((kind, _)) if kind == "Unconfined" => b.set("apparmor", Pfk::Raw("unconfined".into())),
        Some((kind, profile)) if kind == "Localhost" => {
            b.set("apparmor", Pfk::Raw("localhost".into()));
            b.set_opt("apparmor-localhost-profile", profile.map(Pfk::Str));
        }
        Some((kind, _)) => r.not_imported(
            &format!("{container}.appArmorProfile.type"),
            &format!("`{kind}` is not an AppArmor profile type"),
            None,
        ),
        None => {}
    }
    if [pod, container].iter().any(|ctx| {
        r.bool(&format!("{ctx}.windowsOptions.hostProcess"))
            .is_some_and(|h| h.is_user() && h.value)
    }) {
        b.set("windows-host-process", Pfk::Bool(true));
    }
    match r
        .string(&format!("{container}.procMount"))
        .map(|p| p.value)
        .as_deref()
    {
        None | Some("Default") => {}
        Some("Unmasked") => b.set("proc-mount", Pfk::Raw("unmasked".into())),
        Some(other) => r.not_imported(
            &format!("{container}.procMount"),
            &format!("`{other}` is not a proc mount type"),
            None,
        ),
    }
}

/// `seccompProfile.type` other than `RuntimeDefault`.
fn seccomp(r: &mut Reader, b: &mut Block, ctx: &str) {
    let path = format!("{ctx}.seccompProfile.type");
    match r
        .string(&path)
        .filter(|t| t.is_user())
        .map(|t| t.value)
        .as_deref()
    {
        Some("Unconfined") => b.set("seccomp", Pfk::Raw("unconfined".into())),
        Some("Localhost") => {
            let profile = r.string(&format!("{ctx}.seccompProfile.localhostProfile"));
            b.set("seccomp", Pfk::Raw("localhost".into()));
            if let Some(p) = profile {
                // prefectc takes the path relative to the kubelet's seccomp
                // directory; the charts' schemas force an absolute one (P-X3).
                b.set(
                    "seccomp-localhost-profile",
                    Pfk::Str(p.value.trim_start_matches('/').to_string()),
                );
            }
        }
        _ => {}
    }
    r.consume(&format!("{ctx}.seccompProfile"));
}

/// One probe's `enabled` and `config.*Seconds`/thresholds as a
/// `ProbeTiming` block; only what differs from `defaults`
/// (initial delay, period, timeout, failure, success); `enabled` says
/// whether the chart's `enabled` maps to the probe's.
pub fn probe(r: &mut Reader, path: &str, defaults: [i64; 5], enabled: bool) -> Option<Pfk> {
    let mut b = Block::default();
    if enabled
        && r.bool(&format!("{path}.enabled"))
            .is_some_and(|e| e.is_user() && !e.value)
    {
        b.set("enabled", Pfk::Bool(false));
    }
    let keys = [
        ("initialDelaySeconds", "initial-delay", true),
        ("periodSeconds", "period", true),
        ("timeoutSeconds", "timeout", true),
        ("failureThreshold", "failure-threshold", false),
        ("successThreshold", "success-threshold", false),
    ];
    for ((key, field, seconds), default) in keys.into_iter().zip(defaults) {
        if let Some(v) = r
            .int(&format!("{path}.config.{key}"))
            .filter(|v| v.is_user() && v.value != default)
        {
            b.set(
                field,
                if seconds {
                    Pfk::Raw(format!("{}s", v.value))
                } else {
                    Pfk::Int(v.value)
                },
            );
        }
    }
    (!b.is_empty()).then_some(Pfk::Block(b))
}

/// `updateStrategy` `{type, rollingUpdate{maxSurge, maxUnavailable}}`; the
/// bare `RollingUpdate` is Kubernetes' 25%/25%, prefectc's default.
pub fn update_strategy(r: &mut Reader, path: &str) -> Option<Pfk> {
    if !r.user_set(path) {
        r.consume(path);
        return None;
    }
    let kind = r.string(&format!("{path}.type")).map(|t| t.value);
    match kind.as_deref() {
        Some("Recreate") => Some(Pfk::Variant("recreate".into(), Block::default())),
        Some("RollingUpdate") | None => {
            let mut b = Block::default();
            for (key, field) in [
                ("maxSurge", "max-surge"),
                ("maxUnavailable", "max-unavailable"),
            ] {
                let p = format!("{path}.rollingUpdate.{key}");
                match r.node(&p).map(|n| &n.value) {
                    Some(Value::Int(i)) => b.set(field, Pfk::Int(*i)),
                    Some(Value::Str(s)) if percent(s).is_some() => b.set_opt(field, percent(s)),
                    Some(Value::Null) | None => {}
                    Some(_) => r.not_imported(&p, "not a number or a percentage", None),
                }
            }
            r.consume(path);
            (!b.is_empty()).then(|| Pfk::Variant("rolling".into(), b))
        }
        Some(_) => {
            r.not_imported(
                &format!("{path}.type"),
                "not `RollingUpdate` or `Recreate`",
                None,
            );
            None
        }
    }
}

fn percent(s: &str) -> Option<Pfk> {
    let n = s.strip_suffix('%')?;
    (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then(|| Pfk::Raw(s.to_string()))
}

/// `lifecycle.postStart.exec.command`, `preStop.exec.command`,
/// `preStop.sleep.seconds`; other handlers are W0701.
pub fn lifecycle(r: &mut Reader, path: &str) -> Option<Pfk> {
    if !r.user_set(path) {
        r.consume(path);
        return None;
    }
    let mut b = Block::default();
    for (hook, field) in [("postStart", "post-start"), ("preStop", "pre-stop")] {
        let cmd = format!("{path}.{hook}.exec.command");
        if let Some(c) = r.strings(&cmd).filter(|c| !c.value.is_empty()) {
            b.set(field, super::common::str_list(&c.value));
        }
    }
    if let Some(s) = r.int(&format!("{path}.preStop.sleep.seconds")) {
        b.set("pre-stop-sleep", Pfk::Raw(format!("{}s", s.value)));
    }
    (!b.is_empty()).then_some(Pfk::Block(b))
}
