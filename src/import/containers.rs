//! `extraContainers[]` / `extraInitContainers[]` (raw Kubernetes
//! containers) as `sidecars` / `init-containers` of `Container`s
//! (docs/import-mapping.md §0.1).

use super::common::{quantity, scalar_text, str_at, str_list};
use super::pfk::{Block, Pfk};
use super::reader::Reader;
use super::values::{Node, Value, last_wins};

/// The container keys translated; any other is W0701.
const KNOWN: [&str; 15] = [
    "name",
    "image",
    "imagePullPolicy",
    "command",
    "args",
    "env",
    "envFrom",
    "ports",
    "resources",
    "volumeMounts",
    "restartPolicy",
    "securityContext",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
];

/// The containers of the list at `path`; `init` allows `restartPolicy:
/// Always` (a native sidecar).
pub fn containers(r: &mut Reader, path: &str, init: bool) -> Option<Pfk> {
    let mut out = Vec::new();
    for c in r.list(path) {
        match container(c, init) {
            Ok(block) => out.push(Pfk::Block(block)),
            Err(why) => r.not_imported(
                path,
                &why,
                Some("add the container to the site by hand (`Container` in docs/components.md)"),
            ),
        }
    }
    (!out.is_empty()).then_some(Pfk::List(out))
}

fn strings(node: &Node, key: &str) -> Option<Vec<String>> {
    match node.at(key).map(|n| &n.value) {
        Some(Value::Seq(items)) => Some(items.iter().filter_map(scalar_text).collect()),
        _ => None,
    }
}

fn items<'n>(node: &'n Node, key: &str) -> &'n [Node] {
    match node.at(key).map(|n| &n.value) {
        Some(Value::Seq(items)) => items,
        _ => &[],
    }
}

fn container(c: &Node, init: bool) -> Result<Block, String> {
    let name = str_at(c, "name").ok_or("a container without a `name`")?;
    let Value::Map(entries) = &c.value else {
        return Err("a container that is not a map".into());
    };
    if let Some(other) = entries.iter().find(|e| !KNOWN.contains(&e.key.as_str())) {
        return Err(format!(
            "container `{name}` has `{}`, which has no `Container` field",
            other.key
        ));
    }
    let mut b = Block::default();
    b.set("name", Pfk::Str(name.clone()));
    b.set(
        "image",
        Pfk::Str(str_at(c, "image").ok_or(format!("container `{name}` has no `image`"))?),
    );
    match str_at(c, "imagePullPolicy").as_deref() {
        Some("Always") => b.set("image-pull-policy", Pfk::Raw("always".into())),
        Some("Never") => b.set("image-pull-policy", Pfk::Raw("never".into())),
        _ => {}
    }
    for (key, field) in [("command", "command"), ("args", "args")] {
        if let Some(list) = strings(c, key).filter(|l| !l.is_empty()) {
            b.set(field, str_list(&list));
        }
    }
    env(c, &name, &mut b)?;
    ports(c, &mut b);
    resources(c, &name, &mut b)?;
    mounts(c, &name, &mut b)?;
    if let Some(ctx) = c.at("securityContext") {
        let security = super::security::container_security(ctx, false)
            .map_err(|why| format!("container `{name}`: {why}"))?;
        b.set_opt("security", security);
    }
    for (key, field) in [
        ("livenessProbe", "liveness-probe"),
        ("readinessProbe", "readiness-probe"),
        ("startupProbe", "startup-probe"),
    ] {
        if let Some(p) = c.at(key).filter(|p| !matches!(p.value, Value::Null)) {
            let probe = super::security::probe(p)
                .map_err(|why| format!("container `{name}`, `{key}`: {why}"))?;
            b.set(field, probe);
        }
    }
    match str_at(c, "restartPolicy").as_deref() {
        Some("Always") if init => b.set("sidecar", Pfk::Bool(true)),
        None => {}
        Some(_) => {
            return Err(format!(
                "container `{name}` has a `restartPolicy` prefectc does not write"
            ));
        }
    }
    Ok(b)
}

fn env(c: &Node, name: &str, b: &mut Block) -> Result<(), String> {
    let mut env = Vec::new();
    for e in items(c, "env") {
        let var = str_at(e, "name").ok_or(format!(
            "container `{name}` has an env entry without a name"
        ))?;
        let value = if let Some(v) = e.at("value") {
            Pfk::Str(scalar_text(v).unwrap_or_default())
        } else if let Some(s) = e.at("valueFrom.secretKeyRef") {
            Pfk::Secret(
                str_at(s, "name").ok_or("a secretKeyRef without a name")?,
                Some(str_at(s, "key").ok_or("a secretKeyRef without a key")?),
            )
        } else {
            return Err(format!(
                "the source of `{var}` in container `{name}` is not translated"
            ));
        };
        env.push((var, value));
    }
    if !env.is_empty() {
        b.set("env", Pfk::Map(last_wins(env, |(n, _)| n)));
    }
    let mut from = Vec::new();
    for f in items(c, "envFrom") {
        if let Some(s) = f.at("secretRef").and_then(|s| str_at(s, "name")) {
            from.push(Pfk::Secret(s, None));
        } else if let Some(m) = f.at("configMapRef").and_then(|m| str_at(m, "name")) {
            from.push(Pfk::ConfigMap(m));
        } else {
            return Err(format!(
                "an `envFrom` of container `{name}` is not a secretRef or configMapRef"
            ));
        }
    }
    if !from.is_empty() {
        b.set("env-from", Pfk::List(from));
    }
    Ok(())
}

fn ports(c: &Node, b: &mut Block) {
    let mut out = Vec::new();
    for p in items(c, "ports") {
        let Some(Value::Int(port)) = p.at("containerPort").map(|n| &n.value) else {
            continue;
        };
        let mut pb = Block::default();
        pb.set_opt("name", str_at(p, "name").map(Pfk::Str));
        pb.set("port", Pfk::Int(*port));
        if str_at(p, "protocol").is_some_and(|x| x == "UDP") {
            pb.set("protocol", Pfk::Raw("udp".into()));
        }
        out.push(Pfk::Block(pb));
    }
    if !out.is_empty() {
        b.set("ports", Pfk::List(out));
    }
}

fn resources(c: &Node, name: &str, b: &mut Block) -> Result<(), String> {
    let mut res = Block::default();
    for part in ["requests", "limits"] {
        let mut list = Block::default();
        for key in ["cpu", "memory", "ephemeral-storage"] {
            if let Some(v) = c
                .at("resources")
                .and_then(|r| r.at(part))
                .and_then(|p| str_at(p, key))
            {
                let q =
                    quantity(&v).ok_or(format!("container `{name}`: `{v}` is not a quantity"))?;
                list.set(key, q);
            }
        }
        res.set_block(part, list);
    }
    b.set_block("resources", res);
    Ok(())
}

fn mounts(c: &Node, name: &str, b: &mut Block) -> Result<(), String> {
    let mut out = Vec::new();
    for m in items(c, "volumeMounts") {
        let (Some(volume), Some(path)) = (str_at(m, "name"), str_at(m, "mountPath")) else {
            return Err(format!(
                "a mount of container `{name}` without `name` and `mountPath`"
            ));
        };
        let mut mb = Block::default();
        mb.set("volume", Pfk::Str(volume));
        mb.set("path", Pfk::Str(path));
        if matches!(m.at("readOnly").map(|n| &n.value), Some(Value::Bool(true))) {
            mb.set("read-only", Pfk::Bool(true));
        }
        mb.set_opt("sub-path", str_at(m, "subPath").map(Pfk::Str));
        out.push(Pfk::Block(mb));
    }
    if !out.is_empty() {
        b.set("volume-mounts", Pfk::List(out));
    }
    Ok(())
}
