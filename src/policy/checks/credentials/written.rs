//! The source lookup: where in the `.pfk` a lowered string was written.

use crate::model::{Prov, Site};
use crate::source::{SourceMap, Span};

/// The strings written in the site, per component, with the name (map key
/// or field) each is the value of: where a lowered string came from.
pub(super) struct Written<'a> {
    pub(super) site: &'a Site,
    pub(super) sources: &'a SourceMap,
}

struct Source<'a> {
    name: &'a str,
    value: &'a str,
    span: Span,
}

/// Whether the site may have written a value, asked before an object is
/// walked for it ([`Verdict::if_written`](super::screen::Verdict)): true
/// when [`Written::find`] may find it.
pub(super) struct MayBeWritten<'a> {
    site: &'a Site,
    /// Every string the site wrote, gathered when first asked.
    texts: Option<Vec<&'a str>>,
    /// The answers so far, by value.
    answers: crate::map::HashMap<String, bool>,
    /// The bytes of `texts` searched so far, and the most that may be.
    searched: usize,
    budget: usize,
}

/// The most bytes [`MayBeWritten`] searches in one build: past it, every
/// value may be written (and its object is walked), so that a site of
/// thousands of such values and thousands of written strings costs no
/// more than walking.
const SEARCH_BUDGET: usize = 1 << 26;

impl<'a> MayBeWritten<'a> {
    pub(super) fn new(site: &'a Site) -> Self {
        MayBeWritten {
            site,
            texts: None,
            answers: crate::map::HashMap::default(),
            searched: 0,
            budget: SEARCH_BUDGET,
        }
    }

    /// Whether `value` is a string the site wrote or a part of one, as
    /// written or with JSON's escapes: what [`Written::find`] looks for,
    /// in every component.
    pub(super) fn may_hold(&mut self, value: &str) -> bool {
        if let Some(&known) = self.answers.get(value) {
            return known;
        }
        let site = self.site;
        let texts = self.texts.get_or_insert_with(|| {
            let components = site.components.iter().map(|c| &c.written);
            std::iter::once(&site.site.written)
                .chain(components)
                .flat_map(|written| written.iter().filter_map(|w| w.text.as_deref()))
                .collect()
        });
        let bytes: usize = texts.iter().map(|t| t.len()).sum();
        if self.searched + bytes > self.budget {
            return true;
        }
        self.searched += bytes;
        let escaped = serde_json::to_string(value).unwrap_or_default();
        let escaped = escaped.trim_matches('"');
        // The empty string (which no rule flags) is no part of a text here:
        // the escaped form of any other is not empty either.
        let found = !value.is_empty()
            && texts
                .iter()
                .any(|t| t.contains(value) || t.contains(escaped));
        self.answers.insert(value.to_string(), found);
        found
    }
}

impl<'a> Written<'a> {
    fn of(&self, header: Span) -> Vec<Source<'a>> {
        let mut out = Vec::new();
        let site = &self.site.site;
        let components = self.site.components.iter().map(|c| (c.header, &c.written));
        for (at, written) in std::iter::once((site.header, &site.written)).chain(components) {
            if at == header {
                out.extend(written.iter().filter_map(|w| {
                    Some(Source {
                        name: w.name(),
                        value: w.text.as_deref()?,
                        span: w.span,
                    })
                }));
            }
        }
        out
    }

    /// The `.pfk` span of `value` (or of the written string containing
    /// `part` of it), looked up first in the component that produced the
    /// object, then in the site block, then anywhere.
    pub(super) fn find(
        &self,
        origin: Span,
        name: Option<&str>,
        value: &str,
        part: &str,
    ) -> Option<Prov> {
        let site = self.site.site.header;
        let mut all = Vec::new();
        for header in std::iter::once(origin)
            .chain(std::iter::once(site))
            .chain(self.site.components.iter().map(|c| c.header))
        {
            all.extend(self.of(header));
        }
        let by_name = all
            .iter()
            .find(|s| Some(s.name) == name && s.value == value);
        // Inside JSON text the value is written with JSON's escapes.
        let escaped = serde_json::to_string(part).unwrap_or_default();
        let escaped = escaped.trim_matches('"');
        let holds = |s: &&Source, text: &str| !text.is_empty() && s.value.contains(text);
        let source = by_name
            .or_else(|| all.iter().find(|s| s.value == value))
            .or_else(|| all.iter().find(|s| holds(s, part)))
            .or_else(|| all.iter().find(|s| holds(s, escaped)))?;
        if source.value == part {
            return Some(Prov::Source(source.span));
        }
        Some(Prov::Source(self.narrow(source.span, part, escaped)))
    }

    /// The part of `span` where `part` is written (as it is, or with JSON's
    /// escapes), so that a finding in a long string such as a base job
    /// template points at its line; `span` when it is not written as such.
    fn narrow(&self, span: Span, part: &str, escaped: &str) -> Span {
        let text = self.sources.text(span);
        // A whole JSON string first (`"hunter2"`, not the `hunter2` of a
        // longer word), then the part anywhere.
        let quoted = format!("\"{escaped}\"");
        let whole = text.find(&quoted).map(|i| (i + 1, escaped.len()));
        whole
            .or_else(|| {
                [part, escaped]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .find_map(|p| text.find(p).map(|i| (i, p.len())))
            })
            .map_or(span, |(i, len)| {
                let start = span.start as usize + i;
                Span::new(span.anchor, start, start + len)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::MayBeWritten;

    /// A value is held where the site wrote it, whole, in part or with
    /// JSON's escapes, in any component; not otherwise.
    #[test]
    fn a_value_is_held_where_the_site_wrote_it() {
        let out = crate::build_text(
            r#"site s { namespace = "prefect", prefect = "3.4.25", labels = { a = "in-the-site" } }
pool p { type = process }
worker w {
  pool = p
  api  = self-hosted { url = "http://prefect:4200/api" }
  env  = { NOTE = """{"k": "say \\\"hi\\\""}""" }
}"#,
        );
        let site = out.site.expect("builds");
        let mut written = MayBeWritten::new(&site);
        assert!(written.may_hold("in-the-site"));
        assert!(written.may_hold("the-site"));
        assert!(written.may_hold("http://prefect:4200/api"));
        assert!(written.may_hold(r#"say "hi""#), "with JSON's escapes");
        assert!(!written.may_hold("auth-string"));
        assert!(!written.may_hold("in-the-site-too"));
        assert!(!written.may_hold(""), "the empty string is held nowhere");
        // Asked again: the same answers.
        assert!(written.may_hold("the-site"));
        assert!(!written.may_hold("auth-string"));
    }

    /// Past the budget every value may be written (its object is walked):
    /// each search reads every written string once.
    #[test]
    fn past_the_budget_every_value_may_be_written() {
        let out = crate::build_text(r#"site s { namespace = "prefect", prefect = "3.4.25" }"#);
        let site = out.site.expect("builds");
        let mut written = MayBeWritten::new(&site);
        assert!(!written.may_hold("zero"), "the texts gathered");
        let texts = written.texts.as_ref().expect("gathered");
        let bytes: usize = texts.iter().map(|t| t.len()).sum();
        assert!(bytes > 2);
        written.budget = 3 * bytes;
        assert!(!written.may_hold("one"));
        assert!(!written.may_hold("two"));
        assert!(!written.may_hold("one"), "known: not searched again");
        assert!(written.may_hold("three"), "over the budget");
    }
}
