//! A container's Kubernetes `securityContext` and probes as `.pfk`: the
//! `ContainerSecurity` of an extra container or of the worker's init
//! containers (W10), and a `Probe`. Each reads a raw node and says what it
//! cannot translate, so the caller reports it (nothing is dropped silently).

use super::common::{scalar_text, str_at, str_list};
use super::pfk::{Block, Pfk};
use super::values::{Entry, Node, Value};

/// The keys of a container `securityContext` a `ContainerSecurity` holds.
const SECURITY_KEYS: [&str; 11] = [
    "runAsUser",
    "runAsGroup",
    "runAsNonRoot",
    "readOnlyRootFilesystem",
    "allowPrivilegeEscalation",
    "privileged",
    "capabilities",
    "seccompProfile",
    "appArmorProfile",
    "seLinuxOptions",
    "procMount",
];

/// The booleans of a securityContext, their `.pfk` field, and the hardened
/// value (the charts' default and prefectc's).
pub const HARDENED: [(&str, &str, bool); 4] = [
    ("runAsNonRoot", "run-as-non-root", true),
    ("readOnlyRootFilesystem", "read-only-root-filesystem", true),
    (
        "allowPrivilegeEscalation",
        "allow-privilege-escalation",
        false,
    ),
    ("privileged", "privileged", false),
];

/// The keys of a Kubernetes probe a `Probe` holds.
const PROBE_KEYS: [&str; 8] = [
    "httpGet",
    "tcpSocket",
    "exec",
    "initialDelaySeconds",
    "periodSeconds",
    "timeoutSeconds",
    "failureThreshold",
    "successThreshold",
];

/// The entries of a map node; `what` names it in the error.
fn entries<'n>(node: &'n Node, what: &str) -> Result<&'n [Entry], String> {
    match &node.value {
        Value::Map(e) => Ok(e),
        Value::Null => Ok(&[]),
        _ => Err(format!("{what} is not a map")),
    }
}

fn boolean(node: &Node, key: &str) -> Result<Option<bool>, String> {
    match node.at(key).map(|n| &n.value) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(format!("`{key}` is not a boolean")),
    }
}

fn integer(node: &Node, key: &str) -> Result<Option<i64>, String> {
    match node.at(key).map(|n| &n.value) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Int(i)) => Ok(Some(*i)),
        Some(_) => Err(format!("`{key}` is not an integer")),
    }
}

/// Whether `key` of `node` was written by the user (not a chart default).
fn user(node: &Node, key: &str) -> bool {
    node.at(key).is_some_and(Node::is_user)
}

/// A container's `securityContext` as a `ContainerSecurity` block (whose
/// unset fields take the component's `security`). With `chart_defaults`
/// (the chart's own context, W10) a value equal to the chart's default
/// (uid 1001, non-root, read-only, no escalation) writes nothing: prefectc's
/// is the same or harder. `None` when nothing is to be written; an error
/// names what has no `ContainerSecurity` field.
pub fn container_security(ctx: &Node, chart_defaults: bool) -> Result<Option<Pfk>, String> {
    let keys = entries(ctx, "`securityContext`")?;
    if let Some(other) = keys
        .iter()
        .find(|e| !SECURITY_KEYS.contains(&e.key.as_str()) && !matches!(e.node.value, Value::Null))
    {
        return Err(format!(
            "`securityContext.{}` has no `ContainerSecurity` field",
            other.key
        ));
    }
    let mut b = Block::default();
    for (key, field) in [("runAsUser", "run-as-user"), ("runAsGroup", "run-as-group")] {
        if let Some(v) = integer(ctx, key)?
            && user(ctx, key)
            && !(chart_defaults && v == 1001)
        {
            b.set(field, Pfk::Int(v));
        }
    }
    for (key, field, hardened) in HARDENED {
        if let Some(v) = boolean(ctx, key)?
            && user(ctx, key)
            && !(chart_defaults && v == hardened)
        {
            b.set(field, Pfk::Bool(v));
        }
    }
    if let Some(caps) = ctx.at("capabilities") {
        for e in entries(caps, "`capabilities`")? {
            match (e.key.as_str(), &e.node.value) {
                ("add", Value::Seq(items)) if !items.is_empty() => {
                    let add: Vec<String> = items.iter().filter_map(scalar_text).collect();
                    b.set("add-capabilities", str_list(&add));
                }
                // prefectc drops ALL from every container.
                ("add" | "drop", _) => {}
                (other, _) => {
                    return Err(format!("`capabilities.{other}` is not a capability list"));
                }
            }
        }
    }
    for (key, field) in [
        ("seccompProfile", "seccomp"),
        ("appArmorProfile", "apparmor"),
    ] {
        let Some(profile) = ctx.at(key).filter(|p| p.is_user()) else {
            continue;
        };
        match str_at(profile, "type").as_deref() {
            None => {}
            Some("RuntimeDefault") => b.set(field, Pfk::Raw("runtime-default".into())),
            Some("Unconfined") => b.set(field, Pfk::Raw("unconfined".into())),
            Some(other) => {
                return Err(format!(
                    "a `{key}` of type `{other}` for one container has no `ContainerSecurity` field (a Localhost profile is set for the whole component, in `security`)"
                ));
            }
        }
    }
    if let Some(s) = ctx.at("seLinuxOptions") {
        b.set_opt("selinux", selinux(s)?);
    }
    match str_at(ctx, "procMount").as_deref() {
        None | Some("Default") => {}
        Some("Unmasked") => b.set("proc-mount", Pfk::Raw("unmasked".into())),
        Some(other) => return Err(format!("`procMount: {other}` is not a proc mount type")),
    }
    Ok((!b.is_empty()).then_some(Pfk::Block(b)))
}

/// `seLinuxOptions` `{type, user, role, level}` as a `SeLinux` block.
pub fn selinux(node: &Node) -> Result<Option<Pfk>, String> {
    let mut b = Block::default();
    for e in entries(node, "`seLinuxOptions`")? {
        let field = match e.key.as_str() {
            k @ ("type" | "user" | "role" | "level") => k,
            other => return Err(format!("`seLinuxOptions.{other}` is not an SELinux label")),
        };
        b.set_opt(
            field,
            scalar_text(&e.node).filter(|v| !v.is_empty()).map(Pfk::Str),
        );
    }
    Ok((!b.is_empty()).then_some(Pfk::Block(b)))
}

/// A Kubernetes probe as a `Probe`: an HTTP GET, a TCP connection or a
/// command, with its timings.
pub fn probe(p: &Node) -> Result<Pfk, String> {
    let keys = entries(p, "the probe")?;
    if let Some(other) = keys.iter().find(|e| !PROBE_KEYS.contains(&e.key.as_str())) {
        return Err(format!("a probe's `{}` has no `Probe` field", other.key));
    }
    let mut b = Block::default();
    let port = |action: &Node| -> Result<Option<Pfk>, String> {
        match action.at("port").map(|n| &n.value) {
            None => Ok(None),
            Some(Value::Int(i)) => Ok(Some(Pfk::Int(*i))),
            Some(_) => Err("a probe on a named port (prefectc's `Probe` takes a number)".into()),
        }
    };
    for (action, known) in [
        ("httpGet", &["path", "port", "host", "scheme"][..]),
        ("tcpSocket", &["port", "host"][..]),
        ("exec", &["command"][..]),
    ] {
        if let Some(node) = p.at(action) {
            for e in entries(node, &format!("`{action}`"))? {
                if !known.contains(&e.key.as_str()) {
                    return Err(format!(
                        "a probe's `{action}.{}` has no `Probe` field",
                        e.key
                    ));
                }
            }
        }
    }
    if let Some(http) = p.at("httpGet") {
        if str_at(http, "scheme").is_some_and(|s| s != "HTTP") {
            return Err("an HTTPS probe (prefectc's `Probe` GETs over HTTP)".into());
        }
        b.set(
            "path",
            Pfk::Str(str_at(http, "path").unwrap_or_else(|| "/".into())),
        );
        b.set_opt("port", port(http)?);
        b.set_opt("host", str_at(http, "host").map(Pfk::Str));
    } else if let Some(tcp) = p.at("tcpSocket") {
        b.set_opt("port", port(tcp)?);
        b.set_opt("host", str_at(tcp, "host").map(Pfk::Str));
    } else if let Some(exec) = p.at("exec") {
        let command: Vec<String> = match exec.at("command").map(|n| &n.value) {
            Some(Value::Seq(items)) => items.iter().filter_map(scalar_text).collect(),
            _ => Vec::new(),
        };
        if command.is_empty() {
            return Err("an `exec` probe without a command".into());
        }
        b.set("command", str_list(&command));
    } else {
        return Err("a probe without `httpGet`, `tcpSocket` or `exec`".into());
    }
    for (key, field, seconds) in [
        ("initialDelaySeconds", "initial-delay", true),
        ("periodSeconds", "period", true),
        ("timeoutSeconds", "timeout", true),
        ("failureThreshold", "failure-threshold", false),
        ("successThreshold", "success-threshold", false),
    ] {
        if let Some(v) = integer(p, key)? {
            b.set(
                field,
                if seconds {
                    Pfk::Raw(format!("{v}s"))
                } else {
                    Pfk::Int(v)
                },
            );
        }
    }
    Ok(Pfk::Block(b))
}
