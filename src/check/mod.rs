//! Types, units, defaults, constraints and the cross-component rules: from
//! the resolved tree to the typed [`model::Site`].

#[allow(clippy::wildcard_enum_match_arm)] // reads the value tree
mod convert;
mod dns;
mod error;
#[cfg(test)]
mod generate;
#[allow(clippy::wildcard_enum_match_arm)] // reads the value tree
mod kept;
pub(crate) mod labels;
pub mod lazy;
#[allow(clippy::wildcard_enum_match_arm)] // compares the value tree
mod memo;
#[allow(clippy::wildcard_enum_match_arm)] // reads the value tree
pub mod model;
#[allow(clippy::wildcard_enum_match_arm)] // reads the value tree
mod pools;
#[allow(clippy::wildcard_enum_match_arm)] // reads the value tree
mod profiles;
#[allow(clippy::wildcard_enum_match_arm)] // reads the value tree
mod resources;
#[allow(clippy::wildcard_enum_match_arm)] // reads the value tree
mod rules;
#[allow(clippy::wildcard_enum_match_arm)] // reads the value tree
mod settings;
mod table;
#[allow(clippy::wildcard_enum_match_arm)] // reads the value tree
pub mod types;
pub mod units;
#[allow(clippy::wildcard_enum_match_arm)] // reads the value tree
mod value;
#[allow(clippy::wildcard_enum_match_arm)] // reads the value tree
mod volumes;

use std::sync::Arc;

use crate::diagnostics::Diagnostics;
use crate::resolve::Resolved;
use error::{NameProblem, RuleError, ValueError};
pub use kept::KeptTyped;
pub use memo::KeptChecks;
use model::{CheckedComponent, CheckedSite, Kind};
use types::Types;
use value::{Checker, Origin, SiteNames};

/// Checks every component; `None` when there is no site to lower.
/// `kubernetes` overrides the site's target version (`--kubernetes`).
///
/// With `kept` (and the files of this build, for what an edit moved), a
/// component whose check the last build given the same `kept` made from
/// the same values, reading the same of the site, is not checked again.
pub fn check(
    resolved: &Resolved,
    types: &Types,
    kubernetes: Option<&str>,
    kept: Option<(&KeptChecks, &crate::source::SourceMap)>,
) -> (Option<CheckedSite>, Diagnostics) {
    let memoized_from = value::defaults::MEMOIZED_FROM;
    let (site, diags, _) = check_with(resolved, types, kubernetes, memoized_from, kept);
    (site, diags)
}

/// [`check`], keeping the defaults of the kinds with at least
/// `memoized_from` components ([`Checker::default_value`]); also how many
/// defaults were copied rather than checked.
fn check_with(
    resolved: &Resolved,
    types: &Types,
    kubernetes: Option<&str>,
    memoized_from: usize,
    kept: Option<(&KeptChecks, &crate::source::SourceMap)>,
) -> (Option<CheckedSite>, Diagnostics, usize) {
    let mut diags = Diagnostics::default();
    let site = SiteNames {
        components: crate::map::ByName::new(&resolved.components, |c: &Arc<_>| c.name.as_str()),
        bound_names: &resolved.bound_names,
        names_lost: resolved.names_lost,
    };
    let mut checker = Checker::new(types, &site);
    let mut per_kind: crate::map::HashMap<&str, usize> = Default::default();
    for c in &resolved.components {
        *per_kind.entry(c.kind.name.as_str()).or_default() += 1;
    }
    let mut sites: Vec<Arc<CheckedComponent>> = Vec::new();
    let mut components = Vec::new();
    let mut failed = Vec::new();
    let kept = kept.map(|(k, sources)| (k, k.begin(sources)));
    let mut taken = match &kept {
        Some((k, edits)) => k.take_all(&resolved.components, edits, &site),
        None => Vec::new(),
    };
    // The checks to keep once the rules have completed them, with their
    // index in `components`.
    let mut fresh = Vec::new();
    for (i, c) in resolved.components.iter().enumerate() {
        let Some(kind) = Kind::parse(&c.kind.name) else {
            continue;
        };
        let Some(schema) = types
            .components
            .get(&kind)
            .and_then(|s| types.schemas.get(s))
        else {
            continue;
        };
        if let (Some((k, _)), Some(entry)) = (&kept, taken.get_mut(i).and_then(Option::take)) {
            checker.diags.0.extend(entry.diags.iter().cloned());
            if entry.failed {
                failed.push((kind, c.name.clone()));
            }
            let checked = Arc::clone(&entry.checked);
            k.reuse(kind, entry);
            if kind == Kind::Site {
                sites.push(checked);
            } else {
                components.push(checked);
            }
            continue;
        }
        checker.header = c.header();
        checker.poisoned = false;
        checker.memoize_defaults = per_kind.get(c.kind.name.as_str()) >= Some(&memoized_from);
        // Diagnostics are only added: the component's are those after these
        // (counting all errors again for each component was quadratic).
        let before = checker.diags.len();
        let fields = checker.record(&c.body, schema, None, "", Origin::Source, c.header());
        let waivers = checker.waivers(&c.attrs);
        if let Err(problem) = dns_label(&c.name) {
            checker.diags.report(ValueError::InvalidComponentName {
                span: c.name_span,
                name: c.name.clone(),
                problem,
            });
        }
        let is_failed = checker.poisoned || checker.diags.iter().skip(before).any(|d| d.is_error());
        if is_failed {
            failed.push((kind, c.name.clone()));
        }
        let comp = Arc::new(CheckedComponent {
            kind,
            name: c.name.clone(),
            name_span: c.name_span,
            header: c.header(),
            waivers,
            doc: c.doc.clone(),
            fields,
        });
        let reads = checker.take_reads();
        let kept_check = kept.as_ref().and_then(|(k, _)| {
            let diags = &checker.diags.0[before..];
            Some((*k, k.fresh(kind, i, reads, &site, diags, is_failed)?))
        });
        if kind == Kind::Site {
            // No rule completes the site: kept as checked.
            if let Some((k, f)) = kept_check {
                k.keep(f, c, Arc::clone(&comp), None);
            }
            sites.push(comp);
        } else {
            if let Some((_, f)) = kept_check {
                fresh.push((components.len(), f));
            }
            components.push(comp);
        }
    }
    diags.extend(checker.diags);
    let site = match sites.len() {
        1 => sites.pop(),
        // A site lost to a syntax error has been reported already.
        0 if resolved.incomplete => None,
        0 => {
            diags.report(RuleError::NoSite);
            None
        }
        _ => {
            for extra in &sites[1..] {
                diags.report(RuleError::SecondSite {
                    span: extra.header,
                    first: sites[0].header,
                });
            }
            sites.into_iter().next()
        }
    };
    // Kept once the rules have completed them: what a worker takes from
    // its pool is kept with the pool it was taken from.
    let mut keep = |components: &[Arc<CheckedComponent>],
                    from: &[Option<(String, Arc<CheckedComponent>)>]| {
        if let Some((k, _)) = &kept {
            for (at, f) in std::mem::take(&mut fresh) {
                let c = &resolved.components[f.resolved];
                k.keep(
                    f,
                    c,
                    Arc::clone(&components[at]),
                    from.get(at).cloned().flatten(),
                );
            }
        }
    };
    let Some(site) = site else {
        keep(&components, &[]);
        return (None, diags, checker.copied_defaults);
    };
    let mut site = Some(CheckedSite {
        site: Arc::unwrap_or_clone(site),
        components,
    });
    if let (Some(s), Some(version)) = (&mut site, kubernetes)
        && let Some(t) = s.site.fields.fields.get_mut("kubernetes")
    {
        t.value = model::TVal::Str(version.to_string());
    }
    if let Some(s) = &mut site {
        let completed = rules::check_site(s, &failed, &mut diags);
        keep(&s.components, &completed);
    }
    (site, diags, checker.copied_defaults)
}

/// The checked site as the typed model `lower` and `policy` read. Only for a
/// build without errors so far: a component with errors may lack values its
/// type requires.
///
/// With `kept` (and the files of this build, for what an edit moved), a
/// component whose checked values are those of the last build given the
/// same `kept` is the typed component that build made, not converted
/// again.
pub fn typed_site(
    site: CheckedSite,
    kept: Option<(&KeptTyped, &crate::source::SourceMap)>,
) -> Result<crate::model::Site, Diagnostics> {
    convert::typed_site(site, kept)
}

fn dns_label(s: &str) -> Result<(), NameProblem> {
    if s.is_empty() || s.len() > 63 {
        return Err(NameProblem::Length);
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(NameProblem::Characters);
    }
    if s.starts_with('-') || s.ends_with('-') || s.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(NameProblem::Edges);
    }
    Ok(())
}

/// The resolved site of `text`, with the standard library `std`: the
/// stages of `crate::build` before `check`, for tests of `check`.
#[cfg(test)]
pub(crate) fn resolved(text: &str, std: &crate::Stdlib) -> Resolved {
    let mut sources = crate::source::SourceMap::default();
    let root = sources.add("site.pfk".into(), text.to_string());
    for (name, text) in crate::STDLIB {
        sources.add(name.to_string(), text.to_string());
    }
    let (resolved, diags) = crate::resolve::resolve(
        &mut sources,
        root,
        &std.kinds,
        &crate::MemoryLoader(Vec::new()),
        &Default::default(),
        Default::default(),
        None,
    );
    assert!(!diags.has_errors(), "{diags:?}");
    resolved
}

#[cfg(test)]
mod tests {
    use super::{NameProblem, dns_label};

    /// A default filled in inside a list's item is located by the item's
    /// index: the rule `rbac.extra-rules[1]`'s unset `api-groups` is the
    /// default `[""]`, its one item `rbac.extra-rules[1].api-groups[0]`
    /// (where a finding about it is said to come from).
    #[test]
    fn a_default_inside_a_list_item_names_the_item() {
        use crate::check::model::{Prov, TVal};
        let text = "site demo { namespace = \"prefect\", prefect = \"3.4.25\" }\n\
                    server prefect { database = sqlite {} }\n\
                    worker w { pool = \"p\", type = kubernetes, api = prefect, rbac { extra-rules = [\n\
                      { resources = [\"pods\"], verbs = [get] },\n\
                      { resources = [\"jobs\"], verbs = [list] },\n\
                    ] } }\n";
        let std = crate::stdlib();
        let resolved = super::resolved(text, std);
        let (site, diags, _) = super::check_with(&resolved, &std.types, None, usize::MAX, None);
        assert!(!diags.has_errors(), "{diags:?}");
        let site = site.expect("a checked site");
        let worker = site.of_kind(crate::model::Kind::Worker).next().expect("w");
        let field = |prov: &Prov| match prov {
            Prov::Default { field, .. } => field.to_string(),
            Prov::Source(_) => "written".to_string(),
        };
        let rbac = worker.fields.record("rbac").expect("rbac");
        let rules = rbac.list("extra-rules");
        assert_eq!(rules.len(), 2);
        let mut seen = Vec::new();
        for rule in rules {
            let TVal::Record(rule) = &rule.value else {
                panic!("{rule:?}")
            };
            let groups = rule.get("api-groups").expect("api-groups");
            seen.push(field(&groups.prov));
            for item in rule.list("api-groups") {
                seen.push(field(&item.prov));
            }
        }
        assert_eq!(
            seen,
            [
                "rbac.extra-rules[0].api-groups",
                "rbac.extra-rules[0].api-groups[0]",
                "rbac.extra-rules[1].api-groups",
                "rbac.extra-rules[1].api-groups[0]",
            ]
        );
    }

    /// Which defaults are copied rather than checked: from the third
    /// component of a kind of three or more, every default the first two
    /// checked but one that reads the site. What the memo saves, not only
    /// what it gives: its mutants that leave the output alone change these
    /// counts.
    #[test]
    fn defaults_are_copied_from_the_third_component_of_a_kind() {
        use crate::check::types::Types;
        use crate::check::value::defaults::MEMOIZED_FROM;
        let site = |n: usize, pool: bool| {
            let mut text = String::from(
                "site demo { namespace = \"prefect\", prefect = \"3.4.25\" }\n\
                 server prefect { database = sqlite {} }\n\
                 pool jobs { type = kubernetes }\n",
            );
            for i in 0..n {
                let pool = if pool { "pool = jobs, " } else { "" };
                text += &format!("worker w-{i} {{ {pool}api = prefect }}\n");
            }
            text
        };
        let std = crate::stdlib();
        let copied = |types: &Types, text: &str, from: usize| {
            let resolved = super::resolved(text, std);
            let (site, diags, copied) = super::check_with(&resolved, types, None, from, None);
            assert!(site.is_some() && !diags.has_errors(), "{diags:?}");
            copied
        };
        let types = &std.types;
        let [c3, c4, c5] = [3, 4, 5].map(|n| copied(types, &site(n, true), MEMOIZED_FROM));
        // Every worker from the third copies the same defaults (its unset
        // fields', whole). The second copies only those the first two met
        // under a second path (the same schema's default in two places),
        // kept the second time they were met: fewer.
        let later = c4 - c3;
        assert!(later > 10, "{later}");
        assert_eq!(c5 - c4, later);
        assert!(c3 - later < later, "{c3} {later}");
        assert_eq!(copied(types, &site(2, true), MEMOIZED_FROM), 0);
        assert_eq!(copied(types, &site(5, true), usize::MAX), 0);
        // A worker's pool defaulting to `jobs`, a name its check looks up
        // among the components: checked for every worker, never copied.
        let mut named = types.clone();
        let worker = named.components[&crate::model::Kind::Worker];
        let mut schema = (*named.schemas[&worker]).clone();
        let pool = schema.fields.get_mut("pool").expect("a pool field");
        pool.default = Some(Box::new(crate::resolve::Value::new(
            crate::resolve::ValueKind::Name("jobs".into()),
            crate::source::Span::default(),
        )));
        named
            .schemas
            .insert(worker, crate::check::lazy::Lazy::new(schema));
        assert_eq!(copied(&named, &site(5, false), MEMOIZED_FROM), c5);
    }

    /// Defaults kept and copied to each component of a kind check to what
    /// checking them for each component gives: the same values, the same
    /// provenance (the component's own header), the same diagnostics. On
    /// sites where every kind's defaults are kept from its second
    /// component on, and in a `for` loop of workers that set different
    /// fields (so that each leaves different defaults unset).
    ///
    /// Negative controls: without the stamp of the component's header on a
    /// copied default, or with the field's path left out of the key, it
    /// fails.
    #[test]
    fn defaults_kept_check_as_defaults_checked_each_time() {
        let loop_ = r#"site demo { namespace = "prefect", prefect = "3.4.25" }
server prefect { database = sqlite {} }
pool jobs { type = kubernetes }
for w in [{ n = "a", r = 1 }, { n = "b", r = 2 }, { n = "c", r = 1 }, { n = "d", r = 3 }] {
  worker "w-${w.n}" {
    pool     = jobs
    api      = prefect
    replicas = w.r
    security { run-as-user = 1001 }
  }
}
worker plain-1 { pool = jobs, api = prefect }
worker plain-2 { pool = jobs, api = prefect, resources { limits { memory = 1Gi } } }
"#;
        let sites = [
            include_str!("../../examples/production.pfk"),
            include_str!("../../examples/scheduling.pfk"),
            include_str!("../../examples/cloud-workers.pfk"),
            include_str!("../../examples/legacy-agent.pfk"),
            include_str!("../../examples/minimal.pfk"),
            loop_,
        ];
        for text in sites {
            let std = crate::stdlib();
            let resolved = super::resolved(text, std);
            let each = super::check_with(&resolved, &std.types, None, usize::MAX, None);
            let kept = super::check_with(&resolved, &std.types, None, 1, None);
            assert_eq!(each.2, 0);
            assert!(each.0.is_some() && !each.1.has_errors(), "{:?}", each.1);
            assert_eq!(kept.0, each.0, "{text}");
            assert_eq!(format!("{:?}", kept.1), format!("{:?}", each.1));
        }
    }

    /// The codes of a build of `text`.
    fn codes(text: &str) -> Vec<String> {
        crate::build(
            "site.pfk",
            text.to_string(),
            &crate::MemoryLoader(Vec::new()),
            &crate::Options::default(),
        )
        .diagnostics
        .iter()
        .map(|d| d.code.as_str().to_string())
        .collect()
    }

    /// Annotation keys count toward Kubernetes' 256 KiB as well as values:
    /// long keys with empty values pass the limit on their own.
    #[test]
    fn annotation_keys_count_toward_the_size_limit() {
        let prefix = [
            "a".repeat(63),
            "b".repeat(63),
            "c".repeat(63),
            "d".repeat(60),
        ]
        .join(".");
        let site = |n: usize| {
            let annotations: Vec<String> = (0..n)
                .map(|i| format!("\"{prefix}/{}{i:05}\" = \"\"", "k".repeat(50)))
                .collect();
            format!(
                "site demo {{ namespace = \"prefect\", prefect = \"3.4.25\" }}\n\
                 server prefect {{\n  database = sqlite {{}}\n  pod-annotations = {{ {} }}\n}}\n",
                annotations.join(", ")
            )
        };
        // About 310 bytes a key: 900 keys pass 256 KiB, 800 do not.
        assert!(codes(&site(900)).contains(&"E0314".to_string()));
        assert!(!codes(&site(800)).contains(&"E0314".to_string()));
    }

    /// A wildcard Ingress host gives no UI API URL (E0310), unless the UI
    /// is off or its API URL is written: each on its own is enough.
    #[test]
    fn a_wildcard_host_needs_the_ui_url_only_when_it_is_derived() {
        let site = |ui: &str| {
            format!(
                "site demo {{ namespace = \"prefect\", prefect = \"3.4.25\" }}\n\
                 server prefect {{\n  database = sqlite {{}}\n  ingress {{ host = \"*.example.com\" }}\n  {ui}\n}}\n"
            )
        };
        assert!(codes(&site("")).contains(&"E0310".to_string()));
        assert!(!codes(&site("ui { enabled = false }")).contains(&"E0310".to_string()));
        assert!(
            !codes(&site(
                "ui { api-url = \"https://prefect.example.com/api\" }"
            ))
            .contains(&"E0310".to_string())
        );
    }

    /// Component names are DNS labels: 1 to 63 characters, each edge a
    /// letter or digit (a leading digit refused: the name starts objects'
    /// names). 63 and 64 characters are both tested, so a slip in the
    /// length bound fails.
    #[test]
    fn component_names_are_dns_labels() {
        assert!(dns_label(&"a".repeat(63)).is_ok());
        assert!(matches!(
            dns_label(&"a".repeat(64)),
            Err(NameProblem::Length)
        ));
        assert!(matches!(dns_label(""), Err(NameProblem::Length)));
        assert!(matches!(dns_label("Etl"), Err(NameProblem::Characters)));
        assert!(matches!(dns_label("etl-"), Err(NameProblem::Edges)));
        assert!(matches!(dns_label("-etl"), Err(NameProblem::Edges)));
        assert!(matches!(dns_label("1etl"), Err(NameProblem::Edges)));
        assert!(dns_label("etl-2").is_ok());
    }
}
