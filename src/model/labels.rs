//! The labels prefectc sets on every object it emits. Those that select
//! pods (Deployments, Services, disruption budgets, NetworkPolicies) cannot
//! be written in the site: `check` refuses them in `labels` and
//! `pod-labels`, `lower` writes them.

/// The kind of workload (`prefect-server`, `prefect-worker`, …).
pub const NAME: &str = "app.kubernetes.io/name";
/// The component's name.
pub const INSTANCE: &str = "app.kubernetes.io/instance";
/// The part of the component (`server`, `background-services`, …).
pub const COMPONENT: &str = "app.kubernetes.io/component";
/// The site's name: every NetworkPolicy of the site selects its pods by it.
pub const PART_OF: &str = "app.kubernetes.io/part-of";
/// `prefectc`.
pub const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
/// The tag of the component's image.
pub const VERSION: &str = "app.kubernetes.io/version";

/// The work pool of a flow-run pod: prefectc writes it into the pod
/// template of the base job template it builds for a pool, and the pool's
/// NetworkPolicy selects the flow-run pods by it (Prefect 3 sets the same
/// label, to the same value). `flow-runs.labels` may not set it.
pub const WORK_POOL: &str = "prefect.io/work-pool-name";

/// The prefix of the Pod Security admission labels prefectc writes on
/// the Namespace (`create-namespace`) from the site's `policy`.
pub const POD_SECURITY: &str = "pod-security.kubernetes.io/";

/// The Pod Security admission modes prefectc labels the Namespace with.
pub const POD_SECURITY_MODES: [&str; 3] = ["enforce", "audit", "warn"];

/// How prefectc uses a label it sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reserved {
    /// A selector selects pods by it.
    Selects,
    /// It only describes the object.
    Describes,
}

/// How prefectc uses the label `key` of a pod, if it sets it.
pub fn reserved(key: &str) -> Option<Reserved> {
    match key {
        NAME | INSTANCE | COMPONENT | PART_OF => Some(Reserved::Selects),
        MANAGED_BY | VERSION => Some(Reserved::Describes),
        _ => None,
    }
}

/// How prefectc uses the label `key` of the map at `path` (`pod-labels`,
/// `flow-runs.labels`), if it sets it on the same pods: the site's `labels`
/// (on every object) and every `pod-labels` go on the component's pods,
/// where prefectc's own labels select them; `flow-runs.labels` go on the
/// flow-run pods (Prefect copies a Job's labels to its pod), selected by
/// [`WORK_POOL`]. The labels of a Gateway, an HTTPRoute, a ServiceMonitor or
/// a PrometheusRule select nothing and are written over prefectc's.
pub fn reserved_at(path: &str, key: &str) -> Option<Reserved> {
    let on_pods = path == "labels" || path == "pod-labels" || path.ends_with(".pod-labels");
    if on_pods {
        reserved(key)
    } else if path == "flow-runs.labels" && key == WORK_POOL {
        Some(Reserved::Selects)
    } else {
        None
    }
}

/// Whether `key` is a Pod Security admission label prefectc writes on the
/// Namespace it emits.
pub fn is_pod_security(key: &str) -> bool {
    key.strip_prefix(POD_SECURITY).is_some_and(|mode| {
        let mode = mode.strip_suffix("-version").unwrap_or(mode);
        POD_SECURITY_MODES.contains(&mode)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_keys() {
        for key in [NAME, INSTANCE, COMPONENT, PART_OF] {
            assert_eq!(reserved(key), Some(Reserved::Selects), "{key}");
        }
        for key in [MANAGED_BY, VERSION] {
            assert_eq!(reserved(key), Some(Reserved::Describes), "{key}");
        }
        for key in ["team", "app.kubernetes.io/team", "app", "example.com/name"] {
            assert_eq!(reserved(key), None, "{key}");
            assert!(!is_pod_security(key), "{key}");
        }
        for key in [
            "pod-security.kubernetes.io/enforce",
            "pod-security.kubernetes.io/audit-version",
            "pod-security.kubernetes.io/warn",
        ] {
            assert!(is_pod_security(key), "{key}");
            assert_eq!(reserved(key), None, "{key}");
        }
        for key in [
            "pod-security.kubernetes.io/exempt",
            "pod-security.kubernetes.io/enforce-level",
            "example.com/pod-security.kubernetes.io/enforce",
        ] {
            assert!(!is_pod_security(key), "{key}");
        }
    }
}
