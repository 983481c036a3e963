//! The schemas' defaults, checked once per site: a field's default is
//! the same value for every component of a kind, and only the component
//! its provenance names differs. A site of a thousand workers checked each
//! worker's unset fields' defaults a thousand times.

use super::{Checker, Origin};
use crate::check::model::{Prov, TVal, Typed};
use crate::check::types::Type;
use crate::resolve::Value;
use crate::source::Span;

/// The defaults checked so far, by the addresses of the default's value
/// and of the type it was checked against (see
/// [`Checker::default_value`]): how often each was met, and once met
/// again, what it checked to, by the field's path.
pub type Memo = crate::map::HashMap<(usize, usize), (u32, Vec<(Box<str>, Option<Typed>)>)>;

/// How many components of a kind make their defaults worth keeping: a
/// default is kept the second time it is checked and copied from the third,
/// and keeping what is never copied costs more than it saves (the
/// production example, two workers and two pools, took 2.7 % more
/// instructions with every kind's defaults kept).
pub const MEMOIZED_FROM: usize = 3;

impl<'a> Checker<'a> {
    /// The default `d` of the field at `path`, checked against `ty`, with
    /// the provenance of a default of the component being checked.
    ///
    /// Checked twice, and copied after, when the site has at least
    /// [`MEMOIZED_FROM`] components of this kind
    /// ([`Checker::memoize_defaults`]), unless its check read the site
    /// ([`Checker::site`]: a reference, a member access) or reported
    /// something: then it is checked for each component, as before.
    ///
    /// The keys are the addresses of `d` and `ty`. Both live for `'a`,
    /// longer than the check (they are the schemas': a field's default, or
    /// a field of a default record, never a value made during the check),
    /// so no other value takes their address while the keys are kept.
    pub(super) fn default_value(
        &mut self,
        d: &'a Value,
        ty: &'a Type,
        path: &str,
    ) -> Option<Typed> {
        if !self.memoize_defaults {
            return self.value(d, ty, None, path, Origin::Default);
        }
        let key = (
            std::ptr::from_ref(d) as usize,
            std::ptr::from_ref(ty) as usize,
        );
        let (met, checked) = self.defaults.entry(key).or_default();
        *met += 1;
        // Kept from the second time on: most defaults of a small site are
        // met once, and keeping those cost more than it saved.
        let keep = *met > 1;
        if let Some(t) = checked
            .iter()
            .find(|(p, _)| &**p == path)
            .map(|(_, t)| t.clone())
        {
            self.copied_defaults += 1;
            return t.map(|mut t| {
                stamp(&mut t, self.header);
                t
            });
        }
        let (diags, reads, poisoned) = (self.diags.len(), self.site_reads.get(), self.poisoned);
        let t = self.value(d, ty, None, path, Origin::Default);
        if keep
            && (self.diags.len(), self.site_reads.get(), self.poisoned) == (diags, reads, poisoned)
        {
            let (_, checked) = self.defaults.entry(key).or_default();
            checked.push((path.into(), t.clone()));
        }
        t
    }
}

/// Makes every default's provenance in `t` name the component `header`.
#[allow(clippy::wildcard_enum_match_arm)] // only the variants that hold values
fn stamp(t: &mut Typed, header: Span) {
    if let Prov::Default { component, .. } = &mut t.prov {
        *component = header;
    }
    match &mut t.value {
        TVal::List(items) => items.iter_mut().for_each(|t| stamp(t, header)),
        TVal::Map(map) => map.values_mut().for_each(|t| stamp(t, header)),
        TVal::Record(rec) => rec.fields.values_mut().for_each(|t| stamp(t, header)),
        TVal::Variant { value, .. } => stamp(value, header),
        // The scalars, which hold no value. A new variant that holds
        // values needs an arm above: the test comparing kept defaults with
        // defaults checked each time compares every provenance.
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::stamp;
    use crate::check::model::{Prov, Rec, TVal, Typed};
    use crate::source::{FileId, Span};

    /// Every default's provenance in a value is stamped, at any depth:
    /// in a list's items, a map's values, a record's fields and a
    /// variant's value; a provenance written in a file is left alone. No
    /// stdlib default holds a non-empty map or a variant today, so the
    /// site tests cannot see those arms.
    #[test]
    fn every_default_inside_a_value_is_stamped() {
        let first = Span::new(FileId(0), 1, 2);
        let header = Span::new(FileId(0), 10, 20);
        let written = Span::new(FileId(0), 30, 40);
        let default = |value| Typed {
            value,
            prov: Prov::default_of(first, "f"),
        };
        let leaf = || default(TVal::Int(1));
        let mut rec = Rec::default();
        rec.fields.insert("a", leaf());
        rec.fields.insert(
            "b",
            Typed {
                value: TVal::Int(2),
                prov: Prov::Source(written),
            },
        );
        let map = [("k".to_string(), leaf())].into_iter().collect();
        let mut t = default(TVal::List(vec![
            leaf(),
            default(TVal::Map(Box::new(map))),
            default(TVal::Record(Box::new(rec))),
            default(TVal::Variant {
                tag: "v".into(),
                value: Box::new(leaf()),
            }),
        ]));
        stamp(&mut t, header);
        let mut provs = Vec::new();
        fn collect<'t>(t: &'t Typed, out: &mut Vec<&'t Prov>) {
            out.push(&t.prov);
            match &t.value {
                TVal::List(items) => items.iter().for_each(|t| collect(t, out)),
                TVal::Map(map) => map.values().for_each(|t| collect(t, out)),
                TVal::Record(rec) => rec.fields.values().for_each(|t| collect(t, out)),
                TVal::Variant { value, .. } => collect(value, out),
                _ => {}
            }
        }
        collect(&t, &mut provs);
        assert_eq!(provs.len(), 9);
        for p in provs {
            match p {
                Prov::Default { component, .. } => assert_eq!(*component, header),
                Prov::Source(s) => assert_eq!(*s, written),
            }
        }
    }
}
