//! `service.*` of the server and the exporter (S65–S75, E25, E28) as
//! `ServiceOptions`.

use super::common::{changed, str_at};
use super::pfk::{Block, Pfk};
use super::reader::Reader;
use super::values::Value;

/// The Service block from `service.*`; `port_name` is the chart's default
/// port name, when the chart has one (prefectc's is `http`).
pub fn options(r: &mut Reader, port_name: Option<&str>) -> Option<Pfk> {
    let mut s = Block::default();
    let kind = r
        .string("service.type")
        .map_or_else(|| "ClusterIP".to_string(), |t| t.value);
    match kind.as_str() {
        "ClusterIP" => {}
        "NodePort" => s.set("type", Pfk::Raw("node-port".into())),
        "LoadBalancer" => s.set("type", Pfk::Raw("load-balancer".into())),
        _ => r.not_imported(
            "service.type",
            "prefectc's Services are ClusterIP, NodePort or LoadBalancer",
            None,
        ),
    }
    if let Some(default) = port_name {
        r.consume("service.portName");
        if let Some(name) = changed(r.string("service.portName"), &default.to_string()) {
            let valid = name.len() <= 15
                && name.bytes().any(|b| b.is_ascii_lowercase())
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if valid {
                s.set("port-name", Pfk::Str(name));
            } else {
                r.not_imported(
                    "service.portName",
                    "a port name is at most 15 lower-case letters, digits and `-`",
                    None,
                );
            }
        }
    }
    if let Some(p) = r.string("service.appProtocol") {
        s.set("app-protocol", Pfk::Str(p.value));
    }
    let exposed = kind == "NodePort" || kind == "LoadBalancer";
    if let Some(n) = r.int("service.nodePort").filter(|_| exposed) {
        s.set("node-port", Pfk::Int(n.value));
    }
    if let Some(ip) = r
        .string("service.clusterIP")
        .filter(|_| kind == "ClusterIP")
    {
        s.set("cluster-ip", Pfk::Str(ip.value));
    }
    if kind == "NodePort" {
        match r
            .string("service.externalTrafficPolicy")
            .filter(|p| p.is_user())
            .map(|p| p.value)
            .as_deref()
        {
            Some("Local") => s.set("external-traffic-policy", Pfk::Raw("local".into())),
            Some("Cluster") => s.set("external-traffic-policy", Pfk::Raw("cluster".into())),
            _ => {}
        }
    }
    r.consume("service.externalTrafficPolicy");
    match r
        .string("service.ipFamilyPolicy")
        .map(|p| p.value)
        .as_deref()
    {
        Some("SingleStack") => s.set("ip-family-policy", Pfk::Raw("single-stack".into())),
        Some("PreferDualStack") => s.set("ip-family-policy", Pfk::Raw("prefer-dual-stack".into())),
        Some("RequireDualStack") => {
            s.set("ip-family-policy", Pfk::Raw("require-dual-stack".into()))
        }
        Some(_) => r.not_imported(
            "service.ipFamilyPolicy",
            "not a Kubernetes IP family policy",
            None,
        ),
        None => {}
    }
    let families: Vec<Pfk> = r
        .strings("service.ipFamilies")
        .map(|f| f.value)
        .unwrap_or_default()
        .iter()
        .filter_map(|f| match f.as_str() {
            "IPv4" => Some(Pfk::Raw("ipv4".into())),
            "IPv6" => Some(Pfk::Raw("ipv6".into())),
            _ => None,
        })
        .collect();
    if !families.is_empty() {
        s.set("ip-families", Pfk::List(families));
    }
    s.set_opt("annotations", r.user_map("service.annotations"));
    extra_ports(r, &mut s);
    (!s.is_empty()).then_some(Pfk::Block(s))
}

/// `service.extraPorts[]` `{name, port, targetPort, nodePort}`.
fn extra_ports(r: &mut Reader, s: &mut Block) {
    let mut ports = Vec::new();
    for item in r.list("service.extraPorts") {
        let int = |key: &str| match item.at(key).map(|n| &n.value) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        };
        let (Some(name), Some(port)) = (str_at(item, "name"), int("port")) else {
            r.not_imported(
                "service.extraPorts",
                "an entry without a `name` and a numeric `port`",
                None,
            );
            continue;
        };
        let mut p = Block::default();
        p.set("name", Pfk::Str(name));
        p.set("port", Pfk::Int(port));
        p.set_opt("target-port", int("targetPort").map(Pfk::Int));
        p.set_opt("node-port", int("nodePort").map(Pfk::Int));
        ports.push(Pfk::Block(p));
    }
    if !ports.is_empty() {
        s.set("extra-ports", Pfk::List(ports));
    }
}
