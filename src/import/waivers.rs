//! Policy waivers the import writes to keep the chart's behaviour: the
//! charts install some values as written (a `*` verb or Secrets in
//! `role.extraPermissions`, a base job template without security settings)
//! that prefectc's policy refuses by default. The imported site is built
//! once (with `--into`, the site it joins, whose profile and settings
//! decide); every error-level finding of a waivable rule at the imported
//! component becomes an `@allow` on it, with a reason saying it was
//! imported, and a W0706 at the values key behind it. Never a silent
//! waiver.

use crate::diagnostics::{Code, Diagnostic};

use super::error::Problem;
use super::reader::Reader;

/// The site `text` built alone.
pub fn build(text: &str) -> crate::Output {
    crate::build(
        "site.pfk",
        text.to_string(),
        &crate::MemoryLoader(Vec::new()),
        &crate::Options::default(),
    )
}

/// The error-level, waivable policy findings of a build whose primary span
/// starts at byte `from` or later (the imported component, appended last):
/// their rule ids, in first-seen order.
pub fn findings(out: &crate::Output, from: usize) -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = Vec::new();
    for d in out
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && usize::try_from(d.primary.span.start).is_ok_and(|s| s >= from))
    {
        if let Some(id) = waivable(d)
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    ids
}

fn waivable(d: &Diagnostic) -> Option<&'static str> {
    match d.code {
        Code::Rule(rule) if rule.waivable && d.policy.is_some() => Some(rule.id),
        _ => None,
    }
}

/// The `@allow(…)` line for `ids`.
pub fn allow(ids: &[&str]) -> String {
    let list: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
    format!(
        "@allow({}, reason = \"imported from Helm values: the chart installs this as written; review and narrow it\")\n",
        list.join(", ")
    )
}

/// W0706 per values key behind `ids`: RBAC rules at the extra permissions,
/// the rest at the base job template (or the top of the values).
pub fn report(r: &mut Reader, ids: &[&str], component: &str, keys: &[(&str, &str)]) {
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for id in ids {
        let key = keys
            .iter()
            .find(|(prefix, key)| id.starts_with(prefix) && r.user_set(key))
            .map_or("", |(_, key)| *key);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push((*id).to_string()),
            None => groups.push((key, vec![(*id).to_string()])),
        }
    }
    for (key, rules) in groups {
        let span = r.key_span(key).or(r.fallback()).unwrap_or_default();
        r.problems.push(Problem::Waived {
            span,
            path: key.to_string(),
            rules,
            component: component.to_string(),
        });
    }
}
