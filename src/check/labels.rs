//! Kubernetes' syntax for label and annotation keys and label values
//! (`k8s.io/apimachinery` `validation.IsQualifiedName` and
//! `IsValidLabelValue`): what the API server would refuse at apply time,
//! reported at the `.pfk` key or value with a corrected form.

/// The most bytes the annotations of one object may hold, keys and values.
pub const ANNOTATIONS_MAX_BYTES: usize = 256 * 1024;

/// What is wrong with a key or value, and a corrected form when there is one.
#[derive(Debug, PartialEq)]
pub struct Invalid {
    pub why: String,
    pub fixed: Option<String>,
}

/// A map written in the site that Kubernetes reads as labels or
/// annotations, by the field that holds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MapKind {
    Labels,
    Annotations,
}

impl MapKind {
    /// The kind of map at `path` (`pod-labels`, `ingress.annotations`,
    /// `prometheus-rule.labels`). An alert's `labels` and `annotations`
    /// are Prometheus's, not Kubernetes'.
    pub fn of(path: &str) -> Option<MapKind> {
        if path.contains("alerts[") {
            return None;
        }
        let field = path.rsplit('.').next().unwrap_or(path);
        match field {
            "labels" | "pod-labels" | "route-labels" | "node-selector" => Some(MapKind::Labels),
            "annotations"
            | "pod-annotations"
            | "route-annotations"
            | "service-account-annotations" => Some(MapKind::Annotations),
            _ => None,
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            MapKind::Labels => "label",
            MapKind::Annotations => "annotation",
        }
    }
}

/// `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`
fn name_chars_ok(s: &str) -> bool {
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    edge(s.chars().next())
        && edge(s.chars().next_back())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A DNS-1123 subdomain: dot-separated labels of lower-case letters,
/// digits and `-`, each starting and ending with a letter or digit.
/// The longest DNS subdomain (RFC 1123) Kubernetes accepts as a name.
pub const SUBDOMAIN_MAX: usize = 253;

pub(super) fn subdomain_ok(s: &str) -> bool {
    s.len() <= SUBDOMAIN_MAX
        && s.split('.').all(|label| {
            let edge =
                |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
            edge(label.chars().next())
                && edge(label.chars().next_back())
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

/// `s` with every character a name may not have replaced by `-`, the ends
/// trimmed to letters and digits, and cut to `max` characters.
fn fixed_name(s: &str, max: usize) -> Option<String> {
    let replaced: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let cut: String = replaced
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .chars()
        .take(max)
        .collect();
    let cut = cut.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    (!cut.is_empty()).then(|| cut.to_string())
}

fn fixed_subdomain(s: &str) -> Option<String> {
    let labels: Vec<String> = s
        .to_ascii_lowercase()
        .split('.')
        .filter_map(|l| {
            let l: String = l
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let l = l.trim_matches('-');
            (!l.is_empty()).then(|| l.to_string())
        })
        .collect();
    let joined = labels.join(".");
    (!joined.is_empty() && joined.len() <= 253).then_some(joined)
}

/// A label or annotation key: an optional DNS subdomain prefix and `/`,
/// then a name of at most 63 characters.
pub fn check_key(key: &str) -> Result<(), Invalid> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    let fix = || {
        let name = fixed_name(&name.replace('/', "-"), 63)?;
        match prefix {
            Some(p) => Some(format!("{}/{name}", fixed_subdomain(p)?)),
            None => Some(name),
        }
    };
    let invalid = |why: &str| {
        Err(Invalid {
            why: why.to_string(),
            fixed: fix(),
        })
    };
    if let Some(p) = prefix {
        if p.is_empty() || !subdomain_ok(p) {
            return invalid(
                "the prefix before `/` must be a DNS subdomain (lower-case letters, digits, `-` and `.`, at most 253 characters)",
            );
        }
        if name.contains('/') {
            return invalid("a key has at most one `/`");
        }
    }
    if name.is_empty() {
        return invalid("the name part of a key is empty");
    }
    if name.chars().count() > 63 {
        return invalid("the name part of a key has at most 63 characters");
    }
    if !name_chars_ok(name) {
        return invalid(
            "the name part of a key has letters, digits, `-`, `_` and `.`, and starts and ends with a letter or digit",
        );
    }
    Ok(())
}

/// A label value: empty, or at most 63 letters, digits, `-`, `_` and `.`,
/// starting and ending with a letter or digit.
pub fn check_label_value(value: &str) -> Result<(), Invalid> {
    if value.is_empty() {
        return Ok(());
    }
    let fixed = fixed_name(value, 63);
    if value.chars().count() > 63 {
        return Err(Invalid {
            why: "a label value has at most 63 characters".into(),
            fixed,
        });
    }
    if !name_chars_ok(value) {
        return Err(Invalid {
            why: "a label value has letters, digits, `-`, `_` and `.`, and starts and ends with a letter or digit".into(),
            fixed,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        for ok in [
            "team",
            "app.kubernetes.io/name",
            "a",
            "A_b.c-D",
            "example.com/x",
            &"k".repeat(63),
        ] {
            assert_eq!(check_key(ok), Ok(()), "{ok}");
        }
        for (bad, fixed) in [
            ("team name!", Some("team-name")),
            ("", None),
            ("-x", Some("x")),
            ("x-", Some("x")),
            ("a\0b", Some("a-b")),
            ("a\nb", Some("a-b")),
            ("a\u{202e}b", Some("a-b")),
            ("Example.com/x", Some("example.com/x")),
            ("/x", None),
            ("a/b/c", Some("a/b-c")),
            ("example.com/", None),
            ("ex_ample.com/x", Some("ex-ample.com/x")),
        ] {
            let err = check_key(bad).expect_err(bad);
            assert_eq!(err.fixed.as_deref(), fixed, "{bad:?}");
        }
        assert!(check_key(&"k".repeat(64)).is_err());
        assert!(check_key(&format!("{}/x", "a".repeat(254))).is_err());
    }

    #[test]
    fn label_values() {
        for ok in ["", "data", "3.4.25-python3.12", "a_b", &"v".repeat(63)] {
            assert_eq!(check_label_value(ok), Ok(()), "{ok}");
        }
        for (bad, fixed) in [
            ("team name!", Some("team-name")),
            ("x\0", Some("x")),
            ("ü", None),
            ("-lead", Some("lead")),
        ] {
            let err = check_label_value(bad).expect_err(bad);
            assert_eq!(err.fixed.as_deref(), fixed, "{bad:?}");
        }
        let long = "v".repeat(64);
        assert_eq!(
            check_label_value(&long).unwrap_err().fixed,
            Some("v".repeat(63))
        );
    }

    #[test]
    fn map_kinds() {
        assert_eq!(MapKind::of("labels"), Some(MapKind::Labels));
        assert_eq!(MapKind::of("pod-labels"), Some(MapKind::Labels));
        assert_eq!(
            MapKind::of("gateway.route-annotations"),
            Some(MapKind::Annotations)
        );
        assert_eq!(MapKind::of("prometheus-rule.labels"), Some(MapKind::Labels));
        assert_eq!(MapKind::of("prometheus-rule.alerts[0].labels"), None);
        assert_eq!(MapKind::of("env"), None);
        use crate::model::labels::{INSTANCE, Reserved, WORK_POOL, reserved_at};
        for path in ["labels", "pod-labels", "background-services.pod-labels"] {
            assert_eq!(
                reserved_at(path, INSTANCE),
                Some(Reserved::Selects),
                "{path}"
            );
            assert_eq!(reserved_at(path, WORK_POOL), None, "{path}");
        }
        for path in [
            "gateway.labels",
            "gateway.route-labels",
            "service-monitor.labels",
            "prometheus-rule.labels",
            "node-selector",
            "my-pod-labels",
            "flow-runs.labels",
        ] {
            assert_eq!(reserved_at(path, INSTANCE), None, "{path}");
        }
        assert_eq!(
            reserved_at("flow-runs.labels", WORK_POOL),
            Some(Reserved::Selects)
        );
    }
}
