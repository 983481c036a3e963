//! `extraVolumes[]` and `extraVolumeMounts[]` (docs/import-mapping.md §0.1)
//! as `volumes` and `volume-mounts`.

use super::common::{quantity, str_at};
use super::pfk::{Block, Pfk};
use super::reader::Reader;
use super::values::{Node, Value};

fn flag(node: &Node, key: &str) -> bool {
    matches!(node.at(key).map(|n| &n.value), Some(Value::Bool(true)))
}

/// One volume source, or `None` for a type prefectc has not.
fn source(v: &Node) -> Option<Pfk> {
    let mut b = Block::default();
    let variant = if let Some(e) = v.at("emptyDir") {
        if str_at(e, "medium").is_some_and(|m| m == "Memory") {
            b.set("memory", Pfk::Bool(true));
        }
        if let Some(size) = str_at(e, "sizeLimit") {
            b.set("size-limit", quantity(&size)?);
        }
        "empty-dir"
    } else if let Some(c) = v.at("configMap") {
        b.set("name", Pfk::Str(str_at(c, "name")?));
        if flag(c, "optional") {
            b.set("optional", Pfk::Bool(true));
        }
        "config-map"
    } else if let Some(s) = v.at("secret") {
        b.set("name", Pfk::Str(str_at(s, "secretName")?));
        if flag(s, "optional") {
            b.set("optional", Pfk::Bool(true));
        }
        "secret"
    } else if let Some(p) = v.at("persistentVolumeClaim") {
        b.set("claim", Pfk::Str(str_at(p, "claimName")?));
        if flag(p, "readOnly") {
            b.set("read-only", Pfk::Bool(true));
        }
        "pvc"
    } else if let Some(h) = v.at("hostPath") {
        b.set("path", Pfk::Str(str_at(h, "path")?));
        "host-path"
    } else if let Some(n) = v.at("nfs") {
        b.set("server", Pfk::Str(str_at(n, "server")?));
        b.set("path", Pfk::Str(str_at(n, "path")?));
        if flag(n, "readOnly") {
            b.set("read-only", Pfk::Bool(true));
        }
        "nfs"
    } else {
        return None;
    };
    Some(Pfk::Variant(variant.into(), b))
}

/// `extraVolumes[]` as `volumes = { <name> = <type> { … } }`.
pub fn volumes(r: &mut Reader, path: &str) -> Option<Pfk> {
    let mut out = Vec::new();
    for v in r.list(path) {
        match (str_at(v, "name"), source(v)) {
            (Some(name), Some(src)) => out.push((name, src)),
            _ => r.not_imported(
                path,
                "a volume without a name, or of a type prefectc has not (emptyDir, configMap, secret, persistentVolumeClaim, hostPath, nfs)",
                None,
            ),
        }
    }
    (!out.is_empty()).then_some(Pfk::Map(out))
}

/// `extraVolumeMounts[]` as `volume-mounts = [{ volume, path, read-only, sub-path }]`.
pub fn mounts(r: &mut Reader, path: &str) -> Option<Pfk> {
    let mut out = Vec::new();
    for m in r.list(path) {
        let (Some(volume), Some(mount)) = (str_at(m, "name"), str_at(m, "mountPath")) else {
            r.not_imported(path, "a mount without `name` and `mountPath`", None);
            continue;
        };
        if m.at("subPathExpr").is_some() || m.at("mountPropagation").is_some() {
            r.not_imported(
                path,
                "`subPathExpr` and `mountPropagation` have no `.pfk` field",
                None,
            );
        }
        let mut b = Block::default();
        b.set("volume", Pfk::Str(volume));
        b.set("path", Pfk::Str(mount));
        if flag(m, "readOnly") {
            b.set("read-only", Pfk::Bool(true));
        }
        b.set_opt("sub-path", str_at(m, "subPath").map(Pfk::Str));
        out.push(Pfk::Block(b));
    }
    (!out.is_empty()).then_some(Pfk::List(out))
}
