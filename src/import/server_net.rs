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
pub fn ingress(r: &mut Reader, name: &str) -> Option<Pfk> {
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
    extra_paths(r, &mut b, name);
    extra_tls(r, &mut b);
    r.consume("ingress.servicePort");
    r.consume("ingress.selfSigned");
    Some(Pfk::Block(b))
}

/// Whether the keys of a map node are all among `known`; else the first
/// other one.
fn unknown_key(node: &Node, known: &[&str]) -> Option<String> {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .find(|e| !known.contains(&e.key.as_str()))
            .map(|e| e.key.clone()),
        _ => Some("(not a map)".into()),
    }
}

/// `ingress.extraPaths[]` (S85, verbatim Kubernetes paths): a path to the
/// server's own Service becomes `extra-paths`; a path to another backend
/// is W0701 (prefectc's Ingress routes only to the server).
fn extra_paths(r: &mut Reader, b: &mut Block, name: &str) {
    let path = "ingress.extraPaths";
    let port = r.int("service.port").map_or(4200, |p| p.value);
    let port_name = r
        .string("service.portName")
        .map_or_else(|| "server-svc-port".to_string(), |p| p.value);
    let mut out = Vec::new();
    for item in r.list(path) {
        let to_server = str_at(item, "backend.service.name").as_deref() == Some(name)
            && (str_at(item, "backend.service.port.number") == Some(port.to_string())
                || str_at(item, "backend.service.port.name").as_deref() == Some(&port_name));
        let Some(p) = str_at(item, "path").filter(|_| to_server) else {
            r.not_imported(
                path,
                &format!(
                    "a path to a backend other than the server's Service `{name}` port {port}: prefectc's Ingress routes only to the server"
                ),
                Some("route it with an Ingress of its own"),
            );
            continue;
        };
        let mut e = Block::default();
        e.set("path", Pfk::Str(p));
        let pt = str_at(item, "pathType").unwrap_or_else(|| "ImplementationSpecific".into());
        if pt != "Prefix" {
            e.set_opt("path-type", path_type(&pt));
        }
        out.push(Pfk::Block(e));
    }
    if !out.is_empty() {
        b.set("extra-paths", Pfk::List(out));
    }
}

/// `ingress.extraTls[]` `{hosts, secretName}` (S86) as `extra-tls`.
fn extra_tls(r: &mut Reader, b: &mut Block) {
    let path = "ingress.extraTls";
    let mut out = Vec::new();
    for item in r.list(path) {
        let secret = str_at(item, "secretName");
        let hosts: Vec<String> = match item.at("hosts").map(|h| &h.value) {
            Some(Value::Seq(hosts)) => hosts
                .iter()
                .filter_map(super::common::scalar_text)
                .collect(),
            _ => Vec::new(),
        };
        match (secret, unknown_key(item, &["hosts", "secretName"])) {
            (Some(secret), None) if !hosts.is_empty() => {
                let hosts: Vec<String> = hosts.iter().map(|h| r.tpl(path, h)).collect();
                let mut e = Block::default();
                e.set("hosts", super::common::str_list(&hosts));
                e.set("secret", Pfk::Secret(r.tpl(path, &secret), None));
                out.push(Pfk::Block(e));
            }
            _ => r.not_imported(
                path,
                "a TLS entry without `hosts` and `secretName`, or with another key",
                None,
            ),
        }
    }
    if !out.is_empty() {
        b.set("extra-tls", Pfk::List(out));
    }
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
    let gateway_name = r
        .string("gateway.name")
        .map_or_else(|| name.to_string(), |n| n.value);
    parent_ref(r, &mut b, parent, create, &gateway_name);
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
    infrastructure(r, &mut b);
    if !r.list("httproute.extraRules").is_empty() {
        r.not_imported(
            "httproute.extraRules",
            "prefectc's HTTPRoute routes only to the server",
            None,
        );
    }
    Some(Pfk::Block(b))
}

/// `gateway.infrastructure` (S94) `{labels, annotations, parametersRef}`;
/// another key is left for the leftover report (W0701).
fn infrastructure(r: &mut Reader, b: &mut Block) {
    let path = "gateway.infrastructure";
    if !r.user_set(path) {
        r.consume(path);
        return;
    }
    let mut i = Block::default();
    i.set_opt("labels", r.user_map(&format!("{path}.labels")));
    i.set_opt("annotations", r.user_map(&format!("{path}.annotations")));
    let params = format!("{path}.parametersRef");
    if r.user_set(&params) {
        let group = r.string(&format!("{params}.group")).map(|g| g.value);
        let kind = r.string(&format!("{params}.kind")).map(|k| k.value);
        let name = r.string(&format!("{params}.name")).map(|n| n.value);
        match (kind, name) {
            (Some(kind), Some(name)) => {
                let mut p = Block::default();
                p.set("group", Pfk::Str(group.unwrap_or_default()));
                p.set("kind", Pfk::Str(kind));
                p.set("name", Pfk::Str(name));
                i.set_block("parameters", p);
            }
            _ => r.not_imported(&params, "a parametersRef needs `kind` and `name`", None),
        }
    }
    b.set_block("infrastructure", i);
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
        Some(cert)
            if default_shape
                && no_hostnames
                && terminate
                && str_at(cert, "namespace").is_none() =>
        {
            let secret = str_at(cert, "name").unwrap_or_else(|| match hostnames.first() {
                Some(h) => format!("{h}-tls"),
                None => format!("{name}-tls"),
            });
            b.set("tls", Pfk::Secret(secret, None));
        }
        _ => match items
            .iter()
            .map(|l| custom_listener(r, l, name, hostnames))
            .collect::<Result<Vec<Pfk>, String>>()
        {
            Ok(listeners) => b.set("listeners", Pfk::List(listeners)),
            Err(why) => r.not_imported(
                "gateway.listeners",
                &why,
                Some("write `gateway.listeners = [...]` by hand"),
            ),
        },
    }
}

/// One listener of another shape as a `Listener`: HTTP, or HTTPS that
/// terminates one Secret of the site's namespace (its name, when empty,
/// defaulted as the chart does: `<first hostname>-tls` or `<fn>-tls`).
fn custom_listener(
    r: &mut Reader,
    l: &Node,
    name: &str,
    hostnames: &[String],
) -> Result<Pfk, String> {
    let listener = str_at(l, "name").ok_or("a listener without a name")?;
    if let Some(key) = unknown_key(l, &["name", "port", "protocol", "hostname", "tls"]) {
        return Err(format!(
            "listener `{listener}` has `{key}`, which has no `Listener` field"
        ));
    }
    let Some(Value::Int(port)) = l.at("port").map(|n| &n.value) else {
        return Err(format!("listener `{listener}` has no port number"));
    };
    let mut b = Block::default();
    b.set("name", Pfk::Str(listener.clone()));
    b.set("port", Pfk::Int(*port));
    let protocol = str_at(l, "protocol").unwrap_or_default();
    match protocol.as_str() {
        "HTTP" => b.set("protocol", Pfk::Raw("http".into())),
        "HTTPS" => b.set("protocol", Pfk::Raw("https".into())),
        other => {
            return Err(format!(
                "listener `{listener}` speaks `{other}`; prefectc's Gateway has HTTP and HTTPS listeners"
            ));
        }
    }
    b.set_opt(
        "hostname",
        str_at(l, "hostname").map(|h| Pfk::Str(r.tpl("gateway.listeners", &h))),
    );
    if protocol == "HTTPS" {
        let tls = l.at("tls");
        let mode = tls.and_then(|t| str_at(t, "mode"));
        let refs = match tls.and_then(|t| t.at("certificateRefs")).map(|n| &n.value) {
            Some(Value::Seq(refs)) => refs.as_slice(),
            _ => &[],
        };
        let [cert] = refs else {
            return Err(format!(
                "HTTPS listener `{listener}` does not have exactly one certificate"
            ));
        };
        if mode.is_some_and(|m| m != "Terminate")
            || str_at(cert, "namespace").is_some()
            || str_at(cert, "kind").is_some_and(|k| k != "Secret")
        {
            return Err(format!(
                "HTTPS listener `{listener}` passes TLS through, or takes its certificate from another namespace or kind"
            ));
        }
        let secret = str_at(cert, "name").unwrap_or_else(|| match hostnames.first() {
            Some(h) => format!("{h}-tls"),
            None => format!("{name}-tls"),
        });
        b.set(
            "tls",
            Pfk::Secret(r.tpl("gateway.listeners", &secret), None),
        );
    } else if l.at("tls").is_some_and(|t| !matches!(t.value, Value::Null)) {
        return Err(format!("HTTP listener `{listener}` has `tls`"));
    }
    Ok(Pfk::Block(b))
}

/// `httproute.parentRefs`: the default (`sectionName: https` on the created
/// Gateway) is prefectc's; otherwise the first parent's section and port.
/// The others are `extra-parents`; one without a name attaches to the
/// created Gateway (`gateway_name`), as in the chart.
fn parent_ref(
    r: &mut Reader,
    b: &mut Block,
    parent: Option<&Node>,
    create: bool,
    gateway_name: &str,
) {
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
    let path = "httproute.parentRefs";
    if unknown_key(p, &["name", "namespace", "sectionName", "port"]).is_some() {
        r.not_imported(
            path,
            "a parent reference with a key other than `name`, `namespace`, `sectionName` and `port`",
            None,
        );
    }
    let mut extra = Vec::new();
    for item in r.list(path).into_iter().skip(1) {
        let name = str_at(item, "name").unwrap_or_else(|| gateway_name.to_string());
        if unknown_key(item, &["name", "namespace", "sectionName", "port"]).is_some() {
            r.not_imported(
                path,
                "a parent reference with a key other than `name`, `namespace`, `sectionName` and `port`",
                None,
            );
            continue;
        }
        let mut e = Block::default();
        e.set("name", Pfk::Str(name));
        e.set_opt("namespace", str_at(item, "namespace").map(Pfk::Str));
        e.set_opt("section", str_at(item, "sectionName").map(Pfk::Str));
        if let Some(Value::Int(port)) = item.at("port").map(|n| &n.value) {
            e.set("port", Pfk::Int(*port));
        }
        extra.push(Pfk::Block(e));
    }
    if !extra.is_empty() {
        b.set("extra-parents", Pfk::List(extra));
    }
}
