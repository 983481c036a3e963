//! A server's Gateway API exposure: the Gateway prefectc creates (or the
//! existing one it attaches to), the HTTPRoute to the server's Service, and
//! the HTTP-to-HTTPS redirect route.

use serde_json::json;

use super::k8s::*;
use super::meta::{meta, owned, strings};
use super::{Ctx, Lowered};
use crate::model::schema::{Gateway, GatewayInfrastructure, ListenerProtocol};
use crate::model::{Component, Located, SecretName};

fn listener(
    name: &str,
    port: i64,
    protocol: &str,
    hostname: Option<&str>,
    tls: Option<&str>,
) -> serde_json::Value {
    let mut l = json!({"name": name, "port": port, "protocol": protocol});
    if let Some(h) = hostname {
        l["hostname"] = json!(h);
    }
    if let Some(secret) = tls {
        l["tls"] =
            json!({"mode": "Terminate", "certificateRefs": [{"kind": "Secret", "name": secret}]});
    }
    l
}

fn secret_name(t: &Option<Located<SecretName>>) -> Option<&str> {
    t.as_ref().map(|s| s.name.as_str())
}

/// A parent reference of an HTTPRoute.
fn parent_ref(
    name: &str,
    namespace: Option<&Located<String>>,
    section: Option<&str>,
    port: Option<&Located<i64>>,
) -> serde_json::Value {
    let mut p = json!({"name": name});
    if let Some(ns) = namespace {
        p["namespace"] = json!(ns.value);
    }
    if let Some(s) = section {
        p["sectionName"] = json!(s);
    }
    if let Some(port) = port {
        p["port"] = json!(port.value);
    }
    p
}

/// A created Gateway's `spec.infrastructure`.
fn infrastructure(i: &GatewayInfrastructure) -> serde_json::Value {
    let mut v = json!({});
    if !i.labels.is_empty() {
        v["labels"] = json!(strings(&i.labels));
    }
    if !i.annotations.is_empty() {
        v["annotations"] = json!(strings(&i.annotations));
    }
    if let Some(p) = &i.parameters {
        v["parametersRef"] =
            json!({"group": p.group.value, "kind": p.kind.value, "name": p.name.value});
    }
    v
}

pub fn gateway(
    ctx: &Ctx,
    c: &Component,
    labels: &Labels,
    g: &Gateway,
    port: i64,
    out: &mut Lowered,
) {
    let hostnames = owned(&g.hostnames);
    let tls = secret_name(&g.tls);
    let custom = &g.listeners;
    let is_https = |p: ListenerProtocol| p == ListenerProtocol::Https;
    // Whether a created Gateway serves HTTPS, and so whether plain HTTP redirects.
    let https = tls.is_some() || custom.iter().any(|l| is_https(*l.protocol));
    let (parent, section) = if let Some(class) = &g.class {
        let class = class.value.as_str();
        let gateway_name = g
            .name
            .as_ref()
            .map_or(c.name.as_str(), |n| n.value.as_str());
        let listeners: Vec<serde_json::Value> = if custom.is_empty() {
            let mut l = vec![listener("http", 80, "HTTP", None, None)];
            if let Some(secret) = tls {
                l.push(listener("https", 443, "HTTPS", None, Some(secret)));
            }
            l
        } else {
            custom
                .iter()
                .map(|l| {
                    listener(
                        &l.name,
                        *l.port,
                        if is_https(*l.protocol) {
                            "HTTPS"
                        } else {
                            "HTTP"
                        },
                        l.hostname.as_deref().map(String::as_str),
                        secret_name(&l.tls),
                    )
                })
                .collect()
        };
        let mut meta = meta(ctx, gateway_name, &ctx.namespace, labels);
        meta.labels.extend(strings(&g.labels));
        meta.annotations.extend(strings(&g.annotations));
        let mut spec = json!({"gatewayClassName": class, "listeners": listeners});
        if let Some(i) = &g.infrastructure {
            spec["infrastructure"] = infrastructure(i);
        }
        out.push(Object {
            resource: std::sync::Arc::new(Resource::Generic(Generic {
                api_version: "gateway.networking.k8s.io/v1",
                kind: "Gateway",
                metadata: meta,
                spec,
            })),
            origin: c.header,
        });
        let section = g
            .section
            .as_ref()
            .map(|s| s.value.clone())
            .or_else(|| https.then(|| "https".to_string()));
        (gateway_name.to_string(), section)
    } else {
        let name = g.name.as_ref().map(|n| n.value.clone()).unwrap_or_default();
        (name, g.section.as_ref().map(|s| s.value.clone()))
    };
    if !*g.route {
        return;
    }
    // An existing Gateway's namespace; a created one is in the site's.
    let namespace = g.namespace.as_ref().filter(|_| g.class.is_none());
    let route_name = g
        .route_name
        .as_ref()
        .map_or(c.name.as_str(), |n| n.value.as_str());
    let route_meta = |name: &str| {
        let mut meta = meta(ctx, name, &ctx.namespace, labels);
        meta.labels.extend(strings(&g.route_labels));
        meta.annotations.extend(strings(&g.route_annotations));
        meta
    };
    let mut parents = vec![parent_ref(
        &parent,
        namespace,
        section.as_deref(),
        g.port.as_ref(),
    )];
    parents.extend(g.extra_parents.iter().map(|p| {
        parent_ref(
            &p.name,
            p.namespace.as_ref(),
            p.section.as_deref().map(String::as_str),
            p.port.as_ref(),
        )
    }));
    // Both routes serve the same host names.
    let mut route = |name: &str, mut spec: serde_json::Value| {
        if !hostnames.is_empty() {
            spec["hostnames"] = json!(hostnames);
        }
        out.push(Object {
            resource: std::sync::Arc::new(Resource::Generic(Generic {
                api_version: "gateway.networking.k8s.io/v1",
                kind: "HTTPRoute",
                metadata: route_meta(name),
                spec,
            })),
            origin: c.header,
        });
    };
    route(
        route_name,
        json!({
            "parentRefs": parents,
            "rules": [{
                "matches": [{"path": {"type": "PathPrefix", "value": g.path.value}}],
                "backendRefs": [{"name": c.name, "port": port}],
            }],
        }),
    );
    // Plain HTTP answers with a redirect: by default once a created Gateway
    // serves HTTPS; on an existing Gateway when asked.
    let redirect = g
        .redirect_to_https
        .as_ref()
        .map_or(https && g.class.is_some(), |r| r.value);
    if redirect {
        let http = parent_ref(&parent, namespace, Some(&g.http_section), None);
        route(
            &format!("{route_name}-tls-redirect"),
            json!({
                "parentRefs": [http],
                "rules": [{"filters": [{"type": "RequestRedirect", "requestRedirect": {
                    "scheme": "https",
                    "port": *g.redirect_port,
                    "statusCode": 301,
                }}]}],
            }),
        );
    }
}
