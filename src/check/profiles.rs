//! Localhost seccomp and AppArmor profiles: Kubernetes wants
//! `localhostProfile` exactly when the type is `Localhost`
//! (`validateSeccompProfileField`, `validateAppArmorProfileField`), so a
//! `localhost` type needs the profile, and a profile needs a container
//! that uses it.

use super::error::{ProfileKind, RuleError};
use super::model::{CheckedComponent as Component, Rec, TVal, Typed};
use crate::diagnostics::Diagnostics;
use crate::source::Span;

impl ProfileKind {
    /// The field of the profile type (`seccomp`) and of its localhost profile.
    fn fields(self) -> (&'static str, &'static str) {
        match self {
            ProfileKind::Seccomp => ("seccomp", "seccomp-localhost-profile"),
            ProfileKind::AppArmor => ("apparmor", "apparmor-localhost-profile"),
        }
    }
}

fn localhost<'a>(rec: &'a Rec, field: &str) -> Option<&'a Typed> {
    rec.get(field)
        .filter(|t| matches!(&t.value, TVal::Enum(v) if v == "localhost"))
}

/// The `security` blocks of a component's extra containers (sidecars, init
/// containers, a worker's `init`): their profile comes from the pod's.
fn container_securities(fields: &Rec) -> Vec<&Rec> {
    let mut out: Vec<&Rec> = ["sidecars", "init-containers"]
        .into_iter()
        .flat_map(|list| fields.list(list))
        .filter_map(|c| match &c.value {
            TVal::Record(r) => r.record("security"),
            _ => None,
        })
        .collect();
    out.extend(fields.record("init").and_then(|i| i.record("security")));
    out
}

/// The pod `security` blocks of a component: its own, and the separate
/// background services'.
fn pod_securities(f: &Rec) -> Vec<&Rec> {
    let mut pods: Vec<&Rec> = f.record("security").into_iter().collect();
    if let Some(bg) = f.record("background-services")
        && bg.bool("separate") == Some(true)
        && let Some(sec) = bg.record("security")
    {
        pods.push(sec);
    }
    pods
}

/// Checks both profiles of every pod of the component: its `security`, and
/// `background-services.security` when the services run on their own.
pub fn localhost_profiles(c: &Component, diags: &mut Diagnostics) {
    let f = &c.fields;
    let containers = container_securities(f);
    let pods = pod_securities(f);
    let mut reported: Vec<Span> = Vec::new();
    for kind in [ProfileKind::Seccomp, ProfileKind::AppArmor] {
        for pod in &pods {
            pod_profile(kind, pod, &containers, &mut reported, diags);
        }
    }
}

fn pod_profile(
    kind: ProfileKind,
    pod: &Rec,
    containers: &[&Rec],
    reported: &mut Vec<Span>,
    diags: &mut Diagnostics,
) {
    let (type_field, profile_field) = kind.fields();
    let profile = pod
        .get(profile_field)
        .filter(|t| matches!(&t.value, TVal::Str(s) if !s.trim().is_empty()));
    let users: Vec<(&Typed, bool)> = localhost(pod, type_field)
        .map(|t| (t, false))
        .into_iter()
        .chain(
            containers
                .iter()
                .filter_map(|c| localhost(c, type_field))
                .map(|t| (t, true)),
        )
        .collect();
    match profile {
        None => {
            for (t, container) in users {
                let span = t.prov.span();
                if reported.contains(&span) {
                    continue;
                }
                reported.push(span);
                diags.report(RuleError::LocalhostProfileMissing {
                    span,
                    kind,
                    container,
                });
            }
        }
        Some(p) if users.is_empty() => diags.report(RuleError::LocalhostProfileUnused {
            span: p.prov.span(),
            kind,
            type_at: pod
                .get(type_field)
                .filter(|t| !t.prov.is_default())
                .map(|t| t.prov.span()),
        }),
        Some(_) => {}
    }
}
