//! The keys the user set that no translation read: each is a diagnostic at
//! its line and column, worded by what the mapping says of it.

use super::Chart;
use super::error::Problem;
use super::reader::Reader;
use super::values::{Node, Value, user_leaves};

/// Keys no template of the chart reads, or that prefectc derives: W0702,
/// with what prefectc does instead (docs/import-mapping.md, `no-op` and
/// `derived` rows).
const NO_EFFECT: &[(Chart, &str, &str)] = &[
    (
        Chart::Server,
        "server.image",
        "the chart reads the image from `global.prefect.image`",
    ),
    (
        Chart::Server,
        "server.automountServiceAccountToken",
        "prefectc mounts the token only into the container that calls the Kubernetes API",
    ),
    (
        Chart::Server,
        "serviceAccount.automountServiceAccountToken",
        "prefectc's ServiceAccounts never automount their token",
    ),
    (
        Chart::Server,
        "server.containerSecurityContext.capabilities.drop",
        "prefectc drops every capability (`ALL`)",
    ),
    (
        Chart::Server,
        "ingress.servicePort",
        "the Ingress names prefectc's Service port",
    ),
    (
        Chart::Server,
        "backgroundServices.livenessProbe",
        "no template reads it; prefectc probes the services process",
    ),
    (
        Chart::Server,
        "backgroundServices.readinessProbe",
        "no template reads it; prefectc probes the services process",
    ),
    (
        Chart::Server,
        "backgroundServices.serviceAccount.automountServiceAccountToken",
        "prefectc's ServiceAccounts never automount their token",
    ),
    (
        Chart::Server,
        "backgroundServices.automountServiceAccountToken",
        "prefectc's ServiceAccounts never automount their token",
    ),
    (
        Chart::Server,
        "migrations.restartPolicy",
        "prefectc's migrations Job restarts `OnFailure`",
    ),
    (
        Chart::Worker,
        "worker.containerSecurityContext.capabilities.drop",
        "prefectc drops every capability (`ALL`)",
    ),
    (
        Chart::Worker,
        "worker.config.baseJobTemplate.name",
        "prefectc names the ConfigMap `<worker>-base-job-template`",
    ),
];

/// A user value that is not a map where the chart has a map (`server:
/// prod`) is E0702: the keys under it would silently read as absent.
pub fn check_shapes(r: &mut Reader, defaults: &Node) {
    let mut todo: Vec<(String, &Node)> = vec![(String::new(), defaults)];
    while let Some((path, node)) = todo.pop() {
        let Value::Map(entries) = &node.value else {
            continue;
        };
        for e in entries {
            let p = if path.is_empty() {
                e.key.clone()
            } else {
                format!("{path}.{}", e.key)
            };
            if !matches!(e.node.value, Value::Map(_)) {
                continue;
            }
            let found = r
                .root()
                .at(&p)
                .filter(|n| n.is_user() && !matches!(n.value, Value::Map(_) | Value::Null));
            match (found, r.key_span(&p)) {
                (Some(n), Some(span)) => {
                    r.consume(&p);
                    r.problems.push(Problem::WrongType {
                        span,
                        path: p,
                        expected: "a map",
                        found: n.value.what(),
                    });
                }
                _ => todo.push((p, &e.node)),
            }
        }
    }
}

/// Reports every user-set key that was not read.
pub fn report(r: &mut Reader, defaults: &Node, chart: Chart) {
    let leaves: Vec<(String, crate::source::Span)> = user_leaves(r.root())
        .into_iter()
        .map(|(path, span, _)| (path, span))
        .collect();
    for (path, span) in leaves {
        if r.is_used(&path) {
            continue;
        }
        let problem = if let Some((_, _, why)) = NO_EFFECT
            .iter()
            .find(|(c, key, _)| *c == chart && under(&path, key))
        {
            Problem::NoEffect {
                span,
                path,
                why: (*why).to_string(),
            }
        } else if !known(defaults, &path) {
            Problem::NoEffect {
                span,
                path,
                why: format!("the chart `{}` has no such key (a typo?)", chart.name()),
            }
        } else if path.starts_with("postgresql.") || path.starts_with("redis.") {
            Problem::NotImported {
                span,
                path,
                why: "a setting of the Bitnami subchart, which prefectc does not deploy".into(),
                help: Some(
                    "see `postgres.in-cluster` / `redis.in-cluster` in docs/components.md".into(),
                ),
            }
        } else {
            Problem::NotImported {
                span,
                path,
                why: "this importer does not translate it yet".into(),
                help: None,
            }
        };
        r.problems.push(problem);
    }
}

/// `path` is `key` or under it.
fn under(path: &str, key: &str) -> bool {
    path == key
        || path
            .strip_prefix(key)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Whether the chart has the key: it is in the defaults, or under a default
/// that is a free-form map (`podLabels: {}`) or a scalar/list placeholder.
fn known(defaults: &Node, path: &str) -> bool {
    let mut node = defaults;
    for key in path.split('.') {
        match &node.value {
            Value::Map(entries) if entries.is_empty() => return true,
            Value::Map(_) => match node.entry(key) {
                Some(e) => node = &e.node,
                None => return false,
            },
            _ => return true,
        }
    }
    true
}
