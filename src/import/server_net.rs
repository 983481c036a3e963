//! The server's exposure: `ingress.*` (S76–S87) and `gateway.*` /
//! `httproute.*` (S88–S103).

use super::common::{changed, str_at};
use super::pfk::{Block, Pfk};
use super::reader::Reader;
use super::values::{Node, Value};

/// `ImplementationSpecific` → `implementation-specific`.
fn path_type(t: &str) -> Option<Pfk> {
    match t {
        "Prefix" => Some(Pfk::Raw("prefix".into())),
        "Exact" => Some(Pfk::Raw("exact".into())),
        "ImplementationSpecific" => Some(Pfk::Raw("implementation-specific".into())),
        _ => None,
    }
}

/// The `ingress` block when `ingress.enabled`.
pub fn ingress(r: &mut Reader) -> Option<Pfk> {
    let enabled = r.bool("ingress.enabled").is_some_and(|e| e.value);
    if !enabled {
        r.consume("ingress");
        return None;
    }
    if r.bool("gateway.enabled").is_some_and(|g| g.value) {
        r.refuse(
            "ingress.enabled",
            "an Ingress and a Gateway at once (the chart refuses this too)",
            "keep one of `ingress.enabled` and `gateway.enabled`",
        );
        return None;
    }
    let mut b = Block::default();
    if let Some(class) = r.string("ingress.className") {
        b.set("class", Pfk::Str(class.value));
    }
    let Some(host) = r.string("ingress.host.hostname") else {
        r.not_imported(
            "ingress.host.hostname",
            "prefectc's Ingress needs a host",
            Some("set `ingress.host.hostname`"),
        );
        return None;
    };
    b.set("host", Pfk::Str(host.value.clone()));
    if let Some(path) = changed(r.string("ingress.host.path"), &"/".to_string()) {
        b.set("path", Pfk::Str(path));
    }
    let pt = r
        .string("ingress.host.pathType")
        .map_or_else(|| "ImplementationSpecific".to_string(), |t| t.value);
    if pt != "Prefix" {
        b.set_opt("path-type", path_type(&pt));
    }
    let annotations = r
        .string_map("ingress.annotations")
        .map(|a| a.value)
        .unwrap_or_default();
    let cert_manager = annotations
        .iter()
        .any(|(k, _)| k.starts_with("cert-manager.io/"));
    let self_signed = r.bool("ingress.selfSigned").is_some_and(|s| s.value);
    if r.bool("ingress.tls").is_some_and(|t| t.value) {
        if cert_manager || self_signed {
            b.set("tls", Pfk::Secret(format!("{}-tls", host.value), None));
        } else {
            r.no_effect(
                "ingress.tls",
                "the chart adds TLS only with a cert-manager annotation or `ingress.selfSigned`",
            );
        }
    }
    if !annotations.is_empty() {
        b.set(
            "annotations",
            Pfk::Map(
                annotations
                    .into_iter()
                    .map(|(k, v)| (k, Pfk::Str(v)))
                    .collect(),
            ),
        );
    }
    let extra: Vec<Pfk> = r
        .list("ingress.extraHosts")
        .into_iter()
        .filter_map(extra_host)
        .collect();
    if !extra.is_empty() {
        b.set("extra-hosts", Pfk::List(extra));
    }
    r.consume("ingress.servicePort");
    r.consume("ingress.selfSigned");
    Some(Pfk::Block(b))
}

/// An `ingress.extraHosts[]` entry `{name, path, pathType}`.
fn extra_host(node: &Node) -> Option<Pfk> {
    let mut h = Block::default();
    h.set("host", Pfk::Str(str_at(node, "name")?));
    if let Some(path) = str_at(node, "path").filter(|p| p != "/") {
        h.set("path", Pfk::Str(path));
    }
    let pt = str_at(node, "pathType").unwrap_or_else(|| "ImplementationSpecific".into());
    if pt != "Prefix" {
        h.set_opt("path-type", path_type(&pt));
    }
    Some(Pfk::Block(h))
}

/// The `gateway` block when `gateway.enabled`.
pub fn gateway(r: &mut Reader, name: &str) -> Option<Pfk> {
    if !r.bool("gateway.enabled").is_some_and(|e| e.value) {
        r.consume("gateway");
        r.consume("httproute");
        return None;
    }
    let mut b = Block::default();
    let create = r.bool("gateway.create").is_none_or(|c| c.value);
    let parent = r.list("httproute.parentRefs").into_iter().next();
    if create {
        let Some(class) = r.string("gateway.className") else {
            r.refuse(
                "gateway.className",
                "a Gateway to create needs a GatewayClass (the chart refuses this too)",
                "set `gateway.className`",
            );
            return None;
        };
        b.set("class", Pfk::Str(class.value));
        if let Some(n) = r.string("gateway.name") {
            b.set("name", Pfk::Str(n.value));
        }
    } else if let Some(p) = parent {
        b.set_opt("name", str_at(p, "name").map(Pfk::Str));
        b.set_opt("namespace", str_at(p, "namespace").map(Pfk::Str));
    }
    if let Some(route) = changed(r.bool("httproute.enabled"), &true) {
        b.set("route", Pfk::Bool(route));
    }
    if let Some(n) = r.string("httproute.name") {
        b.set("route-name", Pfk::Str(n.value));
    }
    let hostnames = r
        .strings("httproute.hostnames")
        .map(|h| h.value)
        .unwrap_or_default();
    if !hostnames.is_empty() {
        b.set("hostnames", super::common::str_list(&hostnames));
    }
    if let Some(path) = changed(r.string("httproute.path"), &"/".to_string()) {
        b.set("path", Pfk::Str(path));
    }
    if create {
        listeners(r, &mut b, name, &hostnames);
    }
    parent_ref(r, &mut b, parent, create);
    if let Some(redirect) = r.bool("httproute.tls.redirect") {
        if !create && redirect.value {
            b.set("redirect-to-https", Pfk::Bool(true));
        } else if create && !redirect.value && has_tls(&b) {
            b.set("redirect-to-https", Pfk::Bool(false));
        }
    }
    if let Some(port) = changed(r.int("httproute.tls.redirectPort"), &443) {
        b.set("redirect-port", Pfk::Int(port));
    }
    b.set_opt("labels", r.user_map("gateway.labels"));
    b.set_opt("annotations", r.user_map("gateway.annotations"));
    b.set_opt("route-labels", r.user_map("httproute.labels"));
    b.set_opt("route-annotations", r.user_map("httproute.annotations"));
    if r.user_set("gateway.infrastructure") {
        r.not_imported(
            "gateway.infrastructure",
            "not translated by this importer yet",
            Some("write `gateway.infrastructure { … }` by hand"),
        );
    }
    if !r.list("httproute.extraRules").is_empty() {
        r.not_imported(
            "httproute.extraRules",
            "prefectc's HTTPRoute routes only to the server",
            None,
        );
    }
    Some(Pfk::Block(b))
}

fn has_tls(b: &Block) -> bool {
    b.0.iter().any(|(k, _)| k == "tls" || k == "listeners")
}

/// The chart's default listener shape (HTTP:80 and HTTPS:443 terminating
/// one Secret) becomes `tls`; another shape is not imported yet.
fn listeners(r: &mut Reader, b: &mut Block, name: &str, hostnames: &[String]) {
    let items = r.list("gateway.listeners");
    let shape: Vec<(Option<String>, Option<String>, Option<String>)> = items
        .iter()
        .map(|l| (str_at(l, "name"), str_at(l, "port"), str_at(l, "protocol")))
        .collect();
    let default_shape = shape
        == [
            (Some("http".into()), Some("80".into()), Some("HTTP".into())),
            (
                Some("https".into()),
                Some("443".into()),
                Some("HTTPS".into()),
            ),
        ];
    let no_hostnames = items.iter().all(|l| str_at(l, "hostname").is_none());
    let https = items.get(1).copied();
    let refs = https.and_then(|l| l.at("tls.certificateRefs"));
    let single_ref = match refs.map(|n| &n.value) {
        Some(Value::Seq(refs)) if refs.len() == 1 => Some(&refs[0]),
        _ => None,
    };
    let terminate = https
        .and_then(|l| str_at(l, "tls.mode"))
        .is_none_or(|m| m == "Terminate");
    match single_ref {
        Some(cert) if default_shape && no_hostnames && terminate && str_at(cert, "namespace").is_none() => {
            let secret = str_at(cert, "name").unwrap_or_else(|| match hostnames.first() {
                Some(h) => format!("{h}-tls"),
                None => format!("{name}-tls"),
            });
            b.set("tls", Pfk::Secret(secret, None));
        }
        _ => r.not_imported(
            "gateway.listeners",
            "only the chart's default listeners (HTTP on 80, HTTPS on 443 with one certificate) are translated yet",
            Some("write `gateway.listeners = [...]` by hand"),
        ),
    }
}

/// `httproute.parentRefs`: the default (`sectionName: https` on the created
/// Gateway) is prefectc's; otherwise the first parent's section and port.
fn parent_ref(r: &mut Reader, b: &mut Block, parent: Option<&Node>, create: bool) {
    let Some(p) = parent else {
        return;
    };
    if let Some(section) = str_at(p, "sectionName").filter(|s| !(create && s == "https")) {
        b.set("section", Pfk::Str(section));
    }
    if let Some(port) = p.at("port").and_then(|n| match n.value {
        Value::Int(i) => Some(i),
        _ => None,
    }) {
        b.set("port", Pfk::Int(port));
    }
    let more = match r.node("httproute.parentRefs").map(|n| &n.value) {
        Some(Value::Seq(items)) => items.len() > 1,
        _ => false,
    };
    if more {
        r.not_imported(
            "httproute.parentRefs",
            "only the first parent reference is translated yet",
            Some("add the others as `gateway.extra-parents` by hand"),
        );
    }
}
