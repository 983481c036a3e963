//! `prefectc graph` finds the connections of a site through indexes
//! (`prefectc::graph::reach`) instead of judging every pair of pods against
//! every policy. Here the indexed answers are held against the oracle,
//! `prefectc::graph::netpol::World`, on every pair of pods and every port:
//! for every site the tests build, for a generated site of many workers,
//! and for a hand-made cluster whose policies use each kind of selector
//! and peer the evaluator knows.

mod support;

use prefectc::graph::netpol::{Dest, Pod, World};
use prefectc::graph::reach::{End, Reach};
use serde_json::{Value, json};

/// The oracle's world of a build's objects, and pods of the cluster around
/// it: in the site's namespace, in another one, and a Prometheus.
fn world_of(all: &[serde_yaml::Value]) -> World {
    let json: Vec<Value> = all
        .iter()
        .map(|o| serde_json::to_value(o).expect("the YAML of a build is JSON data"))
        .collect();
    let mut w = World::from_objects(&json);
    w.add_namespace("monitoring");
    w
}

/// The ports tried against `to`: its own, and a few it does not have.
fn ports(to: &Pod) -> Vec<(u16, String)> {
    let mut out: Vec<(u16, String)> = to
        .ports
        .iter()
        .map(|(_, port, proto)| (*port, proto.clone()))
        .collect();
    out.extend([80, 443, 4200, 5432, 6379].map(|p| (p, "TCP".to_string())));
    out.push((53, "UDP".to_string()));
    out
}

/// Every way `Reach` disagrees with `World::can` on `w`, with `peers`.
fn disagreements(w: &World, peers: &[Pod]) -> Vec<String> {
    let reach = Reach::new(w, peers);
    let mut out = Vec::new();
    for (t, to) in w.pods.iter().enumerate() {
        let sources = reach.sources(t);
        let ends = (0..w.pods.len())
            .map(|i| (End::Site(i), &w.pods[i]))
            .chain(peers.iter().enumerate().map(|(i, p)| (End::Peer(i), p)));
        for (end, from) in ends {
            for (port, proto) in ports(to) {
                let want = w.can(from, Dest::Pod(to), port, &proto);
                let got = reach.can(end, End::Site(t), port, &proto);
                if want != got {
                    out.push(format!(
                        "{}/{} -> {}/{} {port}/{proto}: oracle {want}, reach {got}",
                        from.namespace, from.name, to.namespace, to.name
                    ));
                }
                if let End::Site(f) = end
                    && want
                    && !sources.contains(&f)
                {
                    out.push(format!(
                        "{}/{} may reach {}/{} on {port}/{proto} but is not among its sources",
                        from.namespace, from.name, to.namespace, to.name
                    ));
                }
            }
            if let End::Site(f) = end {
                for (p, to) in peers.iter().enumerate() {
                    for (port, proto) in ports(to) {
                        let want = w.can(from, Dest::Pod(to), port, &proto);
                        if reach.can(End::Site(f), End::Peer(p), port, &proto) != want {
                            out.push(format!(
                                "{} -> peer {p} {port}/{proto}: oracle {want}",
                                from.name
                            ));
                        }
                    }
                }
            }
            let ip = [203, 0, 113, 10];
            for (port, proto) in ports(to) {
                if let End::Site(_) = end {
                    let want = w.can(from, Dest::External(ip), port, &proto);
                    if reach.can_leave(end, ip, port, &proto) != want {
                        out.push(format!(
                            "{} leaving on {port}/{proto}: oracle {want}",
                            from.name
                        ));
                    }
                }
            }
        }
        // From outside the cluster (a LoadBalancer's clients): its ingress.
        let ip = [198, 51, 100, 7];
        for (port, proto) in ports(to) {
            let ingress = w.selecting(to, "Ingress");
            let outside = Dest::External(ip);
            let want = w.allowed(&ingress, "Ingress", outside, Dest::Pod(to), port, &proto);
            if reach.can_enter(End::Site(t), ip, port, &proto) != want {
                out.push(format!(
                    "entering {} on {port}/{proto}: oracle {want}",
                    to.name
                ));
            }
        }
    }
    out
}

fn peer(name: &str, namespace: &str, labels: &[(&str, &str)]) -> Pod {
    Pod {
        name: name.into(),
        namespace: namespace.into(),
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ports: Vec::new(),
    }
}

fn peers(w: &mut World) -> Vec<Pod> {
    for ns in ["elsewhere", "jobs"] {
        w.add_namespace(ns);
    }
    vec![
        peer("", "elsewhere", &[]),
        peer("", "jobs", &[]),
        peer(
            "flow-run",
            "prefect",
            &[("prefect.io/work-pool-name", "k8s")],
        ),
        peer("visitor", "a", &[("app", "db"), ("tier", "data")]),
    ]
}

#[test]
fn every_site_s_connections_are_the_oracle_s() {
    let mut failures = Vec::new();
    for path in support::every_site() {
        let file = support::short(&path);
        let mut w = world_of(&support::objects(&support::build_file(&path), &file));
        let peers = peers(&mut w);
        failures.extend(
            disagreements(&w, &peers)
                .into_iter()
                .map(|d| format!("{file}: {d}")),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A site of `loops` workers made by a `for` and `written` written out.
fn workers(loops: usize, written: usize) -> String {
    let names: Vec<String> = (0..loops).map(|i| format!("\"{i}\"")).collect();
    let mut text = format!(
        "site s {{\n  namespace = \"prefect\"\n  prefect = \"3.4.25\"\n}}\n\
         server prefect {{\n  database = postgres {{ url = secret(\"db\", \"url\") }}\n}}\n\
         pool k8s {{\n  type = kubernetes\n}}\n\
         for t in [{}] {{\n  worker \"team-${{t}}\" {{\n    pool = k8s\n    api = prefect\n  }}\n}}\n",
        names.join(", ")
    );
    for i in 0..written {
        text.push_str(&format!(
            "worker w{i} {{\n  pool = k8s\n  api = prefect\n}}\n"
        ));
    }
    text
}

/// The indexes are what keeps `prefectc graph` linear: over a site of 200
/// workers, the sources judged for all pods together are a few per pod,
/// not every pod for every pod (40,000), and no pod is selected by more
/// than a few policies. A count, not a timing.
#[test]
fn the_pairs_judged_grow_with_the_site_not_its_square() {
    let w = world_of(&support::objects(
        &support::build_text(&workers(100, 100)),
        "workers",
    ));
    let pods = w.pods.len();
    assert!(pods > 200, "{pods} pods");
    let reach = Reach::new(&w, &[]);
    let judged: usize = (0..pods).map(|t| reach.sources(t).len()).sum();
    assert!(
        judged <= 3 * pods,
        "{judged} sources judged for {pods} pods"
    );
    for t in 0..pods {
        for direction in ["Ingress", "Egress"] {
            let n = reach.policies(End::Site(t), direction).len();
            assert!(n <= 3, "{} is selected by {n} policies", w.pods[t].name);
        }
    }
}

#[test]
fn many_workers_in_a_loop_and_written_out() {
    let text = workers(4, 12);
    let mut w = world_of(&support::objects(&support::build_text(&text), "workers"));
    assert!(w.pods.len() > 16, "{} pods", w.pods.len());
    let peers = peers(&mut w);
    let failures = disagreements(&w, &peers);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A cluster whose policies use every selector and peer the evaluator
/// knows, including the ones it refuses to judge.
fn hand_made() -> World {
    let mut w = World::default();
    w.add_pod(
        "api",
        "a",
        &[("app", "api"), ("tier", "web")],
        &[("http", 8080, "TCP")],
    );
    w.add_pod(
        "db",
        "a",
        &[("app", "db"), ("tier", "data")],
        &[("pg", 5432, "TCP")],
    );
    w.add_pod(
        "cache",
        "a",
        &[("app", "cache"), ("tier", "data")],
        &[("redis", 6379, "TCP")],
    );
    w.add_pod("job", "b", &[("app", "job")], &[("metrics", 9090, "TCP")]);
    w.add_pod("scraper", "mon", &[("app", "prom")], &[]);
    w.add_pod("open", "c", &[("app", "open")], &[("http", 80, "TCP")]);
    w.namespaces
        .get_mut("mon")
        .expect("mon exists")
        .insert("team".into(), "ops".into());
    let policies = [
        // matchExpressions only: every pod of the namespace is a candidate.
        json!({"kind": "NetworkPolicy", "metadata": {"namespace": "a", "name": "data"},
               "spec": {"podSelector": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["data"]}]},
                        "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "api", "tier": "web"}}}],
                                     "ports": [{"port": "pg"}, {"port": 6379}]}]}}),
        // A namespace selector by a label that is not the name.
        json!({"kind": "NetworkPolicy", "metadata": {"namespace": "b", "name": "job"},
               "spec": {"podSelector": {"matchLabels": {"app": "job"}},
                        "policyTypes": ["Ingress", "Egress"],
                        "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": "ops"}},
                                               "podSelector": {"matchLabels": {"app": "prom"}}}]}],
                        "egress": [{"to": [{"namespaceSelector": {}}], "ports": [{"port": 8000, "endPort": 9000}]},
                                   {"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["203.0.113.0/24"]}}]}]}}),
        // Every pod of namespace a, from anywhere in it, on a named port.
        json!({"kind": "NetworkPolicy", "metadata": {"namespace": "a", "name": "all"},
               "spec": {"podSelector": {}, "ingress": [{"from": [{"podSelector": {}}], "ports": [{"port": "http"}]}]}}),
        // A rule with no peers: everyone, on one port.
        json!({"kind": "NetworkPolicy", "metadata": {"namespace": "c", "name": "open"},
               "spec": {"podSelector": {"matchLabels": {"app": "open"}}, "ingress": [{"ports": [{"port": 80}]}]}}),
        // What the evaluator cannot judge selects or admits nothing.
        json!({"kind": "NetworkPolicy", "metadata": {"namespace": "a", "name": "odd"},
               "spec": {"podSelector": {"matchLabels": {"app": 7}},
                        "ingress": [{"from": [{"podSelector": {"matchExpressions": [{"key": "app", "operator": "Near"}]}}]}]}}),
        json!({"kind": "NetworkPolicy", "metadata": {"name": "no-namespace"},
               "spec": {"podSelector": {}, "policyTypes": ["Egress"]}}),
        json!({"kind": "NetworkPolicy", "metadata": {"namespace": "a", "name": "blocks"},
               "spec": {"podSelector": {"matchLabels": {"app": "api"}},
                        "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}}]},
                                    {"from": [{"namespaceSelector": {"matchExpressions": [{"key": "team", "operator": "Exists"}]}}]}]}}),
    ];
    w.policies.extend(policies);
    w
}

#[test]
fn every_selector_and_peer_kind_agrees_with_the_oracle() {
    let mut w = hand_made();
    let peers = peers(&mut w);
    let failures = disagreements(&w, &peers);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The cluster is not trivially closed or open: some pairs connect,
    // some do not.
    let reach = Reach::new(&w, &peers);
    let open: Vec<bool> = (0..w.pods.len())
        .flat_map(|t| (0..w.pods.len()).map(move |f| (f, t)))
        .flat_map(|(f, t)| {
            ports(&w.pods[t])
                .into_iter()
                .map(move |(p, proto)| (f, t, p, proto))
        })
        .map(|(f, t, p, proto)| reach.can(End::Site(f), End::Site(t), p, &proto))
        .collect();
    assert!(open.contains(&true) && open.contains(&false));
}
