//! `@allow` waivers: which finding each one suppresses, which have expired,
//! and which suppress nothing (W0504).

use std::cell::Cell;

use super::wording::Notice;
use super::{Finding, Profile};
use crate::calendar;
use crate::diagnostics::rules::{self, Level};
use crate::diagnostics::{Diagnostic, IntoDiagnostic, WaivedBy};
use crate::model::{Prov, Site, Waiver};
use crate::source::Span;

/// How many days before its `until` a waiver is reported (W0511).
pub const EXPIRY_NOTICE_DAYS: i64 = 14;

/// A waiver and where it applies.
struct Entry<'a> {
    waiver: &'a Waiver,
    /// The header of the component it is written in.
    component: Span,
    /// Whether that component is the site block.
    site: bool,
    scope: Scope,
    /// How many findings each of its rule ids matched.
    used: Vec<Cell<usize>>,
}

enum Scope {
    /// On a component: its objects, and values written in its body.
    Component { body: Span },
    /// On a field: values written inside it, and defaults under its path.
    Field { span: Span, path: String },
}

pub enum Match {
    Active(WaivedBy),
    Expired(WaivedBy),
}

impl Match {
    /// The waiver's `@allow`, with whether it is still active.
    pub fn span(&self) -> (Span, bool) {
        match self {
            Match::Active(by) => (by.span, true),
            Match::Expired(by) => (by.span, false),
        }
    }
}

pub struct Waivers<'a> {
    /// The site's waivers first, then each component's, in order.
    entries: Vec<Entry<'a>>,
    /// How many of `entries` are the site's.
    site_entries: usize,
    /// The indexes of each other component's entries, by its header: the
    /// only ones besides the site's that may cover its findings (a scan of
    /// every entry for every finding was quadratic in a large site).
    by_component: crate::map::HashMap<Span, Vec<usize>>,
}

impl<'a> Waivers<'a> {
    pub fn collect(site: &'a Site) -> Waivers<'a> {
        let mut entries = Vec::new();
        // The components of a `for` loop share their header, and its body's
        // waivers are the same in each: one entry stands for them all, so
        // that a finding in any of them uses it (one entry per component
        // left all but one unused, each a W0504 "matches no finding", and
        // a finding read all of them: quadratic).
        let mut met = crate::map::HashSet::default();
        let mut push = |entry: Entry<'a>| {
            let (span, path) = match &entry.scope {
                Scope::Component { body } => (*body, None),
                Scope::Field { span, path } => (*span, Some(path.clone())),
            };
            if met.insert((entry.waiver, entry.component, span, path)) {
                entries.push(entry);
            }
        };
        let own = &site.site;
        let components = site
            .components
            .iter()
            .map(|c| (c.header, &c.waivers, c.body, &c.written));
        for (header, waivers, body, written) in
            std::iter::once((own.header, &own.waivers, own.body, &own.written)).chain(components)
        {
            let is_site = header == own.header;
            for w in waivers {
                push(Entry::new(w, header, is_site, Scope::Component { body }));
            }
            for value in written {
                for w in &value.waivers {
                    push(Entry::new(
                        w,
                        header,
                        is_site,
                        Scope::Field {
                            span: value.span,
                            path: value.path.to_string(),
                        },
                    ));
                }
            }
        }
        let site_entries = entries.iter().take_while(|e| e.site).count();
        let mut by_component: crate::map::HashMap<Span, Vec<usize>> = Default::default();
        for (i, e) in entries.iter().enumerate().skip(site_entries) {
            by_component.entry(e.component).or_default().push(i);
        }
        Waivers {
            entries,
            site_entries,
            by_component,
        }
    }

    /// The waiver that covers `f`, preferring the innermost (a field's over
    /// its component's) and an active one over an expired one.
    pub fn find(&self, f: &Finding, today: &str) -> Option<Match> {
        let mut expired = None;
        // Those that may cover it ([`Entry::covers`]), last first: its own
        // component's, then the site's.
        let own = self
            .by_component
            .get(&f.origin)
            .map_or(&[][..], Vec::as_slice);
        let candidates = own
            .iter()
            .rev()
            .copied()
            .chain((0..self.site_entries).rev());
        for e in candidates.map(|i| &self.entries[i]) {
            let Some(i) = e.waiver.rules.iter().position(|(id, _)| id == f.rule()) else {
                continue;
            };
            if !e.covers(f) {
                continue;
            }
            e.used[i].set(e.used[i].get() + 1);
            let by = WaivedBy {
                span: e.waiver.span,
                reason: e.waiver.reason.clone(),
                until: e.waiver.until.clone(),
                owner: e.waiver.owner.clone(),
            };
            match &e.waiver.until {
                Some(until) if until.as_str() < today => {
                    expired.get_or_insert(Match::Expired(by));
                }
                _ => return Some(Match::Active(by)),
            }
        }
        expired
    }

    /// W0511 for every waiver that is still active but expires within
    /// [`EXPIRY_NOTICE_DAYS`] of `today`: CI that runs with `--deny warnings`
    /// learns two weeks ahead, not on the day the build starts failing.
    pub fn expiring(&self, today: &str) -> Vec<Diagnostic> {
        let Ok(today) = calendar::parse_date(today) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in &self.entries {
            let Some(until) = e.waiver.until.as_deref() else {
                continue;
            };
            let Ok(date) = calendar::parse_date(until) else {
                continue;
            };
            let left = date.days_since_epoch() - today.days_since_epoch();
            if !(0..=EXPIRY_NOTICE_DAYS).contains(&left) {
                continue;
            }
            out.push(
                Notice::WaiverExpiresSoon {
                    waiver: e.waiver.span,
                    component: e.component,
                    days_left: left,
                    until: until.to_string(),
                }
                .into_diagnostic(),
            );
        }
        out
    }

    /// W0504 for every rule id of a waiver that matched nothing.
    pub fn dead(&self, profile: Profile) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for e in &self.entries {
            for ((id, span), used) in e.waiver.rules.iter().zip(&e.used) {
                if used.get() > 0 {
                    continue;
                }
                let off = rules::find(id).is_some_and(|rule| profile.level(rule) == Level::Off);
                out.push(
                    Notice::DeadWaiver {
                        at: *span,
                        component: e.component,
                        rule: id.to_string(),
                        off_under: off.then_some(profile),
                    }
                    .into_diagnostic(),
                );
            }
        }
        out
    }
}

impl<'a> Entry<'a> {
    fn new(waiver: &'a Waiver, component: Span, site: bool, scope: Scope) -> Entry<'a> {
        Entry {
            waiver,
            component,
            site,
            scope,
            used: waiver.rules.iter().map(|_| Cell::new(0)).collect(),
        }
    }

    /// A waiver covers findings in the objects of its own component only:
    /// a value written in a shared `let` or read from another component
    /// (`prefect.database.url`) is waived where the waiver is, and reported
    /// everywhere else. The site block is the exception: its fields (the
    /// namespace, labels) land in every component's objects.
    fn covers(&self, f: &Finding) -> bool {
        let own = f.origin == self.component;
        match &self.scope {
            Scope::Component { body } => {
                own || (self.site
                    && matches!(&f.prov, Some(Prov::Source(s)) if contains(*body, *s)))
            }
            Scope::Field { .. } if !own && !self.site => false,
            Scope::Field { span, path } => match &f.prov {
                Some(Prov::Source(s)) => contains(*span, *s),
                Some(Prov::Default { component, field }) => {
                    *component == self.component
                        && (**field == *path || field.starts_with(&format!("{path}.")))
                }
                None => false,
            },
        }
    }
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.anchor == inner.anchor && outer.start <= inner.start && inner.end <= outer.end
}

#[cfg(test)]
mod tests {
    //! Which findings about a *default* a field's waiver covers. No stdlib
    //! default breaks a rule today, so no fixture reaches this branch of
    //! [`Entry::covers`] (`tests/fixtures/policy/waiver_*` cover written
    //! values); these cases pin what it must do when one does.
    use super::*;
    use crate::policy::wording::Violation;
    use crate::source::FileId;

    fn span(start: usize, end: usize) -> Span {
        Span::new(FileId::default(), start, end)
    }

    fn waiver() -> Waiver {
        Waiver {
            rules: vec![("pss/host-process".into(), span(1, 2))],
            reason: "a test".into(),
            until: None,
            owner: None,
            span: span(0, 3),
        }
    }

    /// A finding in the objects of the component whose header is `origin`,
    /// from the default of `field` of the component whose header is `of`.
    fn default_of(origin: Span, of: Span, field: &str) -> Finding {
        Finding {
            place: "Deployment/w".into(),
            origin,
            prov: Some(Prov::default_of(of, field)),
            violation: Violation::HostProcess,
        }
    }

    /// A waiver on the field `flow-runs` of the component at `header`.
    fn on_field<'a>(w: &'a Waiver, header: Span, site: bool) -> Entry<'a> {
        let scope = Scope::Field {
            span: span(40, 60),
            path: "flow-runs".into(),
        };
        Entry::new(w, header, site, scope)
    }

    #[test]
    fn a_field_waiver_covers_its_own_defaults_at_and_under_its_path() {
        let (w, me) = (waiver(), span(10, 20));
        let e = on_field(&w, me, false);
        assert!(e.covers(&default_of(me, me, "flow-runs")));
        assert!(e.covers(&default_of(me, me, "flow-runs.image")));
    }

    #[test]
    fn a_field_waiver_leaves_other_fields_defaults_reported() {
        let (w, me) = (waiver(), span(10, 20));
        let e = on_field(&w, me, false);
        assert!(!e.covers(&default_of(me, me, "image")));
        // A prefix of the name is not a path under it.
        assert!(!e.covers(&default_of(me, me, "flow-runs-image")));
    }

    #[test]
    fn a_field_waiver_leaves_another_components_defaults_reported() {
        let (w, me, other) = (waiver(), span(10, 20), span(100, 110));
        // On the site block, which reaches into every component's objects:
        // a default belongs to the component that has it.
        let e = on_field(&w, me, true);
        assert!(!e.covers(&default_of(other, other, "flow-runs.image")));
        assert!(e.covers(&default_of(other, me, "flow-runs.image")));
        // On a component: neither another's default nor its own default in
        // another's objects.
        let e = on_field(&w, me, false);
        assert!(!e.covers(&default_of(other, other, "flow-runs.image")));
        assert!(!e.covers(&default_of(other, me, "flow-runs.image")));
    }
}
