//! Rules about settings that only mean something together with others: a
//! setting that needs another one, or that another one turns off.

use super::error::{RuleError, SettingError};
use super::model::{CheckedComponent as Component, Rec, TVal, Typed};
use crate::diagnostics::Diagnostics;

/// Those of `fields` written in `rec` in the source (not stdlib defaults).
fn written_of<'a>(
    rec: &'a Rec,
    fields: &'a [&'static str],
) -> impl Iterator<Item = (&'static str, &'a Typed)> {
    fields.iter().filter_map(|field| {
        rec.get(field)
            .filter(|t| !t.prov.is_default())
            .map(|t| (*field, t))
    })
}

/// The fields of `rec` written in the source (not stdlib defaults), but `except`.
fn written<'a>(rec: &'a Rec, except: &'a str) -> impl Iterator<Item = (&'a str, &'a Typed)> {
    rec.fields
        .iter()
        .filter(move |&(name, t)| &**name != except && !t.prov.is_default())
        .map(|(name, t)| (&**name, t))
}

/// `migrations.enabled = false`: only a Job there is can be turned off, and
/// the Job's other settings would go nowhere.
pub fn server_migrations(s: &Component, diags: &mut Diagnostics) {
    let Some(m) = s.fields.record("migrations") else {
        return;
    };
    let Some(off) = m.get("enabled").filter(|t| t.value == TVal::Bool(false)) else {
        return;
    };
    let separate = s
        .fields
        .record("background-services")
        .is_some_and(|bg| bg.bool("separate") == Some(true));
    if !separate {
        diags.report(SettingError::MigrationsOffInServerPod {
            span: off.prov.span(),
        });
    }
    for (field, t) in written(m, "enabled") {
        diags.report(SettingError::SettingOfDisabled {
            span: t.prov.span(),
            field: format!("migrations.{field}"),
            off: off.prov.span(),
            what: "the migrations Job",
        });
    }
}

/// Every `Security` record of a component, at any depth (the component's,
/// `background-services.security`, a pool's `flow-runs.security`).
fn security_records<'a>(rec: &'a Rec, out: &mut Vec<&'a Rec>) {
    if rec.schema == "Security" {
        out.push(rec);
    }
    for t in rec.fields.values() {
        if let TVal::Record(r) = &t.value {
            security_records(r, out);
        }
    }
}

/// Group IDs are not negative: Kubernetes refuses the pod.
pub fn supplemental_groups(c: &Component, diags: &mut Diagnostics) {
    let mut records = Vec::new();
    security_records(&c.fields, &mut records);
    for sec in records {
        for g in sec.list("supplemental-groups") {
            if let TVal::Int(value) = g.value
                && value < 0
            {
                diags.report(SettingError::NegativeGroup {
                    span: g.prov.span(),
                    value,
                });
            }
        }
    }
}

/// Kubernetes requires a success threshold of 1 for startup and liveness
/// probes (the server's `probes`, the worker's).
pub fn probe_success_thresholds(c: &Component, diags: &mut Diagnostics) {
    let Some(probes) = c.fields.record("probes") else {
        return;
    };
    for which in ["startup", "liveness"] {
        if let Some(t) = probes
            .record(which)
            .and_then(|r| r.get("success-threshold"))
            .filter(|t| t.value != TVal::Int(1))
        {
            diags.report(RuleError::ProbeSuccessThreshold {
                span: t.prov.span(),
                probe: which,
            });
        }
    }
}

/// A worker's `probes` written with `healthcheck = false`: there is no
/// health endpoint to probe.
pub fn worker_probes(w: &Component, diags: &mut Diagnostics) {
    let Some(off) = w
        .fields
        .get("healthcheck")
        .filter(|t| t.value == TVal::Bool(false))
    else {
        return;
    };
    let Some(probes) = w.fields.record("probes") else {
        return;
    };
    for (which, t) in written(probes, "") {
        diags.report(SettingError::SettingOfDisabled {
            span: t.prov.span(),
            field: format!("probes.{which}"),
            off: off.prov.span(),
            what: "the health endpoint",
        });
    }
}

/// The `postgres` block of a server, if its database is one.
fn postgres(s: &Component) -> Option<&Rec> {
    match s.fields.variant("database") {
        Some((
            "postgres",
            Typed {
                value: TVal::Record(r),
                ..
            },
        )) => Some(r),
        _ => None,
    }
}

/// Whether the part `part` of a `postgres` block is read from its `secret`.
pub fn postgres_from_secret(pg: &Rec, part: &str) -> bool {
    pg.get("secret").is_some() && pg.record("keys").and_then(|k| k.get(part)).is_some()
}

/// A `postgres` block's `secret` and `keys` against what is written: a part
/// comes from one place, and `keys` mean nothing without `secret`.
pub fn postgres_secret(s: &Component, diags: &mut Diagnostics) {
    let Some(pg) = postgres(s) else {
        return;
    };
    let Some(secret) = pg.get("secret") else {
        if let Some(keys) = pg.get("keys").filter(|k| !k.prov.is_default()) {
            diags.report(SettingError::KeysWithoutSecret {
                span: keys.prov.span(),
            });
        }
        return;
    };
    if let Some(url) = pg.get("url") {
        diags.report(SettingError::PostgresUrlAndSecret {
            span: secret.prov.span(),
            url: url.prov.span(),
        });
        return;
    }
    for part in ["host", "port", "name", "user", "password", "driver"] {
        let key = pg.record("keys").and_then(|k| k.str(part));
        if let (Some(key), Some(written)) = (key, pg.get(part).filter(|t| !t.prov.is_default())) {
            diags.report(SettingError::PostgresPartTwice {
                span: written.prov.span(),
                part,
                key: key.to_string(),
                secret: secret.prov.span(),
            });
        }
    }
}

/// The settings of the background services' own pods.
const SERVICES_POD: &[&str] = &[
    "debug",
    "log-level",
    "priority-class",
    "affinity",
    "termination-grace-period",
    "command",
    "args",
    "lifecycle",
    "sidecars",
    "init-containers",
    "env-from",
    "revision-history",
];

/// The settings of the background services' own pods, written on a server
/// whose services run inside its API pods: there are no such pods.
pub fn background_services_pods(s: &Component, diags: &mut Diagnostics) {
    let Some(bg) = s.fields.record("background-services") else {
        return;
    };
    if bg.bool("separate") == Some(true) {
        return;
    }
    for (field, t) in written_of(bg, SERVICES_POD) {
        diags.report(SettingError::NeedsSeparateServices {
            span: t.prov.span(),
            field,
        });
    }
}

/// The settings of a Gateway prefectc creates.
const CREATED_GATEWAY: &[&str] = &[
    "listeners",
    "tls",
    "labels",
    "annotations",
    "infrastructure",
];

/// The settings of the HTTPRoute (the host names also make the UI's URL).
const ROUTE: &[&str] = &[
    "route-name",
    "path",
    "section",
    "port",
    "extra-parents",
    "redirect-to-https",
    "route-labels",
    "route-annotations",
];

/// A `gateway` block's settings against its kind: a created Gateway
/// (`class`) or an existing one, with or without a route.
pub fn gateway(s: &Component, diags: &mut Diagnostics) {
    let Some(g) = s.fields.record("gateway") else {
        return;
    };
    let route_off = g.get("route").filter(|t| t.value == TVal::Bool(false));
    let Some(class) = g.get("class") else {
        for (field, t) in written_of(g, CREATED_GATEWAY) {
            diags.report(SettingError::NeedsGatewayClass {
                span: t.prov.span(),
                field,
            });
        }
        if let Some(t) = route_off {
            diags.report(SettingError::NothingToEmit {
                span: t.prov.span(),
            });
        }
        return;
    };
    if let Some(ns) = g.get("namespace") {
        diags.report(SettingError::NamespaceOfCreatedGateway {
            span: ns.prov.span(),
            class: class.prov.span(),
        });
    }
    let https = g.get("tls").is_some()
        || g.list("listeners").iter().any(|l| match &l.value {
            TVal::Record(r) => r.enum_("protocol") == Some("https"),
            _ => false,
        });
    if let Some(t) = g
        .get("redirect-to-https")
        .filter(|t| t.value == TVal::Bool(true))
        && !https
    {
        diags.report(SettingError::RedirectWithoutHttps {
            span: t.prov.span(),
        });
    }
    if let Some(off) = route_off {
        for (field, t) in written_of(g, ROUTE) {
            diags.report(SettingError::SettingOfDisabled {
                span: t.prov.span(),
                field: format!("gateway.{field}"),
                off: off.prov.span(),
                what: "the HTTPRoute",
            });
        }
    }
}
