//! The volumes of a component's pods: a mount names a volume the pod has,
//! and a volume of the site does not take the name of one prefectc adds
//! (the API server refuses a mount of no volume and two volumes of one
//! name). The syntax of the names (DNS labels) is checked with the values.

use super::error::RuleError;
use super::model::{CheckedComponent as Component, Kind, Rec, TVal, Typed};
use crate::diagnostics::{Diagnostics, did_you_mean};

/// The volume every workload of prefectc has: its writable scratch space.
const SCRATCH: &str = "scratch";
/// The volume of a SQLite server's database.
const SQLITE_DATA: &str = "data";

/// The names of the volumes prefectc adds to the component's pods.
fn added(c: &Component) -> Vec<&'static str> {
    let sqlite =
        c.kind == Kind::Server && matches!(c.fields.variant("database"), Some(("sqlite", _)));
    let mut names = vec![SCRATCH];
    if sqlite {
        names.push(SQLITE_DATA);
    }
    names
}

/// The `volume-mounts` of the main container and of every extra container.
fn mounts(f: &Rec) -> Vec<&Typed> {
    f.list("volume-mounts")
        .iter()
        .chain(extra_container_mounts(f))
        .collect()
}

/// The `volume-mounts` of the extra containers of `f`.
fn extra_container_mounts(f: &Rec) -> impl Iterator<Item = &Typed> {
    ["sidecars", "init-containers"]
        .into_iter()
        .flat_map(|list| f.list(list))
        .filter_map(|c| match &c.value {
            TVal::Record(r) => Some(r.list("volume-mounts")),
            _ => None,
        })
        .flatten()
}

/// The component's pods, and a pool's flow-run pods (`flow-runs`, which
/// prefectc gives the same scratch volume).
pub fn volumes(c: &Component, diags: &mut Diagnostics) {
    pod_volumes(&c.fields, &added(c), diags);
    // The background services' pods have the server's volumes.
    if let Some(bg) = c.fields.record("background-services") {
        known_volumes(
            &declared(&c.fields),
            extra_container_mounts(bg).collect(),
            diags,
        );
    }
    if let Some(flow_runs) = c.fields.record("flow-runs") {
        pod_volumes(flow_runs, &[SCRATCH], diags);
    }
}

/// The `volumes` and `volume-mounts` of one pod's settings `f`, beside the
/// volumes prefectc adds (`added`).
fn pod_volumes(f: &Rec, added: &[&str], diags: &mut Diagnostics) {
    let declared = declared(f);
    for (name, t) in &declared {
        if added.contains(&name.as_str()) {
            diags.report(RuleError::VolumeNameTaken {
                span: t.prov.span(),
                name: name.to_string(),
            });
        }
    }
    known_volumes(&declared, mounts(f), diags);
}

/// The `volumes` of one pod's settings `f`.
fn declared(f: &Rec) -> Vec<(&String, &Typed)> {
    match f.get("volumes").map(|t| &t.value) {
        Some(TVal::Map(m)) => m.iter().collect(),
        _ => Vec::new(),
    }
}

/// Each of `mounts` names one of the `declared` volumes.
fn known_volumes(declared: &[(&String, &Typed)], mounts: Vec<&Typed>, diags: &mut Diagnostics) {
    for m in mounts {
        let TVal::Record(r) = &m.value else { continue };
        let Some(v) = r.get("volume") else { continue };
        let TVal::Str(name) = &v.value else { continue };
        if declared.iter().any(|(d, _)| *d == name) {
            continue;
        }
        let names: Vec<String> = declared.iter().map(|(d, _)| d.to_string()).collect();
        let suggestion = did_you_mean(name, names.iter().map(String::as_str)).map(str::to_string);
        diags.report(RuleError::UnknownVolume {
            span: v.prov.span(),
            name: name.clone(),
            volumes: names,
            suggestion,
        });
    }
}
