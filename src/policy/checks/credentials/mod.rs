//! Credentials written in source. Both rules read every string of every
//! emitted object (env values, args, commands, probes and hooks of every
//! container, labels, annotations, ConfigMap data, plain-data specs) and
//! every string inside a value that is itself JSON (a worker's base job
//! template, with its `variables` defaults and job manifest):
//!
//! - `secret/known-format`: the value has the form of a known credential
//!   (a Prefect API key, a password in a URL, …) whatever it is called;
//! - `secret/literal`: the value's name says it is a credential
//!   (`DB_PASS`, `dbPassword`, `--api-key=…`).
//!
//! A finding never quotes the value: it names the kind of credential and
//! where it is.

#[cfg(test)]
mod every_object;
mod formats;
mod kept;
mod literals;
mod names;
mod screen;
mod seen;
mod walk;
mod written;

use super::finding;
use crate::lower::k8s::Resource;
use crate::lower::template_config_map;
use crate::policy::pods::object_name;
use crate::policy::{Cx, Finding, Screening, Violation};
use crate::source::Span;
use formats::credential_in;
pub use kept::KeptScreen;
use names::{credential_name, not_a_credential};
pub(crate) use walk::Leaf;
pub use walk::Prescreened;
use walk::leaves;
use written::{MayBeWritten, Written};

/// JSON texts judged clean, so that the same base job template in many
/// ConfigMaps is read once. Hashed with foldhash: SipHash took 8
/// instructions a byte of each 10 KB template, twice per template.
type TextSet = std::collections::HashSet<String, foldhash::fast::FixedState>;

impl Cx<'_> {
    /// The strings of every object that either credential rule may flag,
    /// found once for both. The ConfigMap of a base job template prefectc
    /// generated from a pool's `flow-runs` is left out: the flow-run Job
    /// among the objects holds the same values, and is where a finding
    /// points at the `.pfk` field to change (the ConfigMap's finding told
    /// the user to edit a template they never wrote). Left out before the
    /// screen: reading a 10 KB template only to drop what it found was a
    /// fifth of the credential rules' time.
    fn leaves(&self) -> &[Leaf] {
        self.leaves.get_or_init(|| {
            let generated = generated_templates(self);
            let mut written = MayBeWritten::new(self.site);
            let (kept, every, prescreened) = match self.screening {
                Screening::Screened(kept) => (kept, false, None),
                Screening::EveryObject => (None, true, None),
                Screening::Prescreened(pre) => (None, false, Some(pre)),
            };
            leaves(
                self.all,
                |i| generated.contains(&i),
                kept,
                |v| written.may_hold(v),
                every,
                prescreened,
            )
        })
    }
}

/// The indexes of the ConfigMaps holding a base job template prefectc
/// generated: a worker's `<name>-base-job-template` when the worker wrote
/// no `base-job-template` of its own. Known by the ConfigMap's name and
/// the worker's header together: the workers of one `for` loop share their
/// header, so by the header alone only one of them was known and the
/// others' templates were screened (a 3,000-worker loop, 3.4 % of the main
/// thread's instructions). With the crate's hasher: SipHash was 0.4 % of a
/// 1,000-worker build's instructions.
fn generated_templates(cx: &Cx) -> crate::map::HashSet<usize> {
    let generating: crate::map::HashMap<String, Span> = cx
        .site
        .of_kind(crate::model::Kind::Worker)
        .filter(|c| {
            c.spec
                .worker()
                .is_some_and(|w| w.base_job_template.is_none())
        })
        .map(|c| (template_config_map(&c.name), c.header))
        .collect();
    cx.objects()
        .iter()
        .enumerate()
        .filter(|(_, o)| {
            matches!(*o.resource, Resource::ConfigMap(_))
                && generating.get(o.meta().name.as_str()) == Some(&o.origin)
        })
        .map(|(i, _)| i)
        .collect()
}

/// `secret/known-format`: a value that has the form of a known credential.
pub fn known_format(cx: &Cx, out: &mut Vec<Finding>) {
    let written = Written::new(cx.site, cx.sources);
    for leaf in cx.leaves() {
        let Some(hit) = leaf.known_format() else {
            continue;
        };
        let o = &cx.objects()[leaf.object];
        out.push(finding(
            object_name(o),
            o.origin,
            written.find(
                o.origin,
                leaf.name.as_deref(),
                &leaf.value,
                hit.text(&leaf.value),
            ),
            Violation::KnownFormat {
                holder: leaf.what.clone(),
                kind: hit.kind,
            },
        ));
    }
}

/// `secret/literal`: a literal whose name says it is a credential.
pub fn secret_literal(cx: &Cx, out: &mut Vec<Finding>) {
    let written = Written::new(cx.site, cx.sources);
    for leaf in cx.leaves() {
        let Some(name) = leaf.named_credential() else {
            continue;
        };
        let o = &cx.objects()[leaf.object];
        // Values prefectc computes itself are never credentials.
        let Some(prov) = written.find(o.origin, Some(name), &leaf.value, &leaf.value) else {
            continue;
        };
        out.push(finding(
            object_name(o),
            o.origin,
            Some(prov),
            Violation::SecretLiteral {
                holder: leaf.what.clone(),
            },
        ));
    }
}

/// Whether `value`, written under `name` (an env var, a label or annotation
/// key, a flag), is a credential as the two rules judge one: it has a known
/// credential's form whatever it is called, or its name says credential and
/// it is neither a reference nor a placeholder. `prefectc import` asks this
/// of every chart value before carrying it into a site.
pub fn is_credential(name: Option<&str>, value: &str) -> bool {
    credential_in(value, name).is_some()
        || name.is_some_and(|n| credential_name(n) && !not_a_credential(value))
}

#[cfg(test)]
mod tests {
    use super::{Screening, generated_templates, is_credential};

    /// Every ConfigMap of a template prefectc generated is left out of the
    /// screen, a `for` loop's too (its workers share one header), and none
    /// whose template the site wrote.
    #[test]
    fn every_generated_template_and_no_written_one_is_left_out() {
        let out = crate::build_text(
            r#"
site demo {
  namespace = "prefect"
  prefect   = "3.4.25"
}
server prefect { database = sqlite {} }
pool k8s { type = kubernetes }
for t in ["a", "b", "c"] {
  worker "team-${t}" {
    pool = k8s
    api  = prefect
  }
}
pool own { type = kubernetes }
worker own {
  pool = own
  api  = prefect
  base-job-template = """
    {
      "variables": {"properties": {}},
      "job_configuration": {"namespace": "prefect", "job_manifest": {"apiVersion": "batch/v1", "kind": "Job", "spec": {"template": {"spec": {"parallelism": 1, "completions": 1, "restartPolicy": "Never", "serviceAccountName": "flow-runs", "automountServiceAccountToken": false, "securityContext": {"runAsNonRoot": true, "runAsUser": 10001, "seccompProfile": {"type": "RuntimeDefault"}}, "containers": [{"securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}, "readOnlyRootFilesystem": true}, "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"memory": "1Gi"}}, "name": "prefect-job"}]}}}}}
    }
    """
}
"#,
        );
        let (Some(site), Some(objects)) = (&out.site, &out.objects) else {
            panic!("not built: {:#?}", out.diagnostics);
        };
        let cx = crate::policy::Cx::new(site, objects, &out.sources, Screening::Screened(None));
        let mut left_out: Vec<&str> = generated_templates(&cx)
            .into_iter()
            .map(|i| objects[i].meta().name.as_str())
            .collect();
        left_out.sort_unstable();
        assert_eq!(
            left_out,
            [
                "team-a-base-job-template",
                "team-b-base-job-template",
                "team-c-base-job-template"
            ]
        );
        // The site's own template is a ConfigMap too, and screened.
        assert!(
            objects
                .iter()
                .any(|o| o.meta().name == "own-base-job-template"),
            "the written template is a ConfigMap"
        );
    }

    #[test]
    fn a_credential_by_form_or_by_name_and_nothing_else() {
        let key = "pnu_0123456789abcdefghijABCDEFGHIJ012345";
        assert!(is_credential(None, key));
        assert!(is_credential(Some("NOTES"), key));
        assert!(is_credential(Some("DB_PASSWORD"), "s3cr3tvalue"));
        assert!(is_credential(Some("dbPassword"), "s3cr3tvalue"));
        assert!(is_credential(
            Some("URL"),
            "postgresql+asyncpg://prefect:hunter2@db:5432/prefect"
        ));
        assert!(is_credential(
            Some("vault-token"),
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
        ));
        // Not credentials: ordinary values, references, placeholders.
        assert!(!is_credential(Some("LOG_LEVEL"), "DEBUG"));
        assert!(!is_credential(None, "s3cr3tvalue"));
        assert!(!is_credential(Some("DB_PASSWORD"), "$(DB_PASSWORD)"));
        assert!(!is_credential(Some("DB_PASSWORD"), ""));
        assert!(!is_credential(Some("URL"), "postgresql://db:5432/prefect"));
    }
}
