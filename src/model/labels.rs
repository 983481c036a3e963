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
