//! The source lookup: where in the `.pfk` a lowered string was written.

use crate::map::IndexMap;
use crate::model::{self, Prov, Site};
use crate::source::{SourceMap, Span};

/// The strings written in the site, per component, with the name (map key
/// or field) each is the value of: where a lowered string came from.
pub(super) struct Written<'a> {
    site: &'a Site,
    sources: &'a SourceMap,
    /// What the site block and each component wrote, by header, the
    /// headers in the order they are first met (the site's first). The
    /// components of one `for` loop share their header. Gathered when a
    /// finding is first looked up (most builds have none).
    by_header: std::cell::OnceCell<IndexMap<Span, Vec<&'a [model::Written]>>>,
    /// Each string written, by value and by value and name, made when
    /// first looked up in.
    exact: std::cell::OnceCell<Exact<'a>>,
}

/// Where each string was written: in each of [`Written::by_header`]'s
/// entries (by its index), the first place, the entries in their order.
#[derive(Default)]
struct Exact<'a> {
    by_value: crate::map::HashMap<&'a str, IndexMap<usize, Span>>,
    by_value_and_name: crate::map::HashMap<(&'a str, &'a str), IndexMap<usize, Span>>,
}

impl Exact<'_> {
    /// The place `places` gives for a header: the first of the headers
    /// `first` (the origin's, then the site's) that has one, else the
    /// first header in order that has one.
    fn first(places: &IndexMap<usize, Span>, first: [Option<usize>; 2]) -> Option<Span> {
        first
            .into_iter()
            .flatten()
            .find_map(|h| places.get(&h))
            .or_else(|| places.first().map(|(_, span)| span))
            .copied()
    }
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
    pub(super) fn new(site: &'a Site, sources: &'a SourceMap) -> Self {
        Written {
            site,
            sources,
            by_header: std::cell::OnceCell::new(),
            exact: std::cell::OnceCell::new(),
        }
    }

    fn by_header(&self) -> &IndexMap<Span, Vec<&'a [model::Written]>> {
        self.by_header.get_or_init(|| {
            let mut by_header: IndexMap<Span, Vec<&'a [model::Written]>> = IndexMap::default();
            let own = &self.site.site;
            let components = self.site.components.iter();
            let components = components.map(|c| (c.header, c.written.as_slice()));
            for (at, written) in
                std::iter::once((own.header, own.written.as_slice())).chain(components)
            {
                by_header.entry(at).or_default().push(written);
            }
            by_header
        })
    }

    fn exact(&self) -> &Exact<'a> {
        self.exact.get_or_init(|| {
            let mut exact = Exact::default();
            for (at, header) in self.by_header().keys().enumerate() {
                for s in self.of(*header) {
                    let by_value = exact.by_value.entry(s.value).or_default();
                    by_value.entry(at).or_insert(s.span);
                    let by_name = exact.by_value_and_name.entry((s.value, s.name));
                    by_name.or_default().entry(at).or_insert(s.span);
                }
            }
            exact
        })
    }

    /// The strings written where the header is `header`.
    fn of(&self, header: Span) -> impl Iterator<Item = Source<'a>> + '_ {
        let written = self.by_header().get(&header).into_iter().flatten();
        written.flat_map(|written| {
            written.iter().filter_map(|w| {
                Some(Source {
                    name: w.name(),
                    value: w.text.as_deref()?,
                    span: w.span,
                })
            })
        })
    }

    /// The `.pfk` span of `value` (or of the written string containing
    /// `part` of it), looked up first in the component that produced the
    /// object, then in the site block, then anywhere (a header's
    /// components together, where the header is first met). A string
    /// written as it is, is found in an index; one that holds it, by
    /// reading the strings in that order: reading every component's
    /// strings for every component was cubic in a `for` loop's findings
    /// (1,000 workers, each with a literal password: 44.6 s).
    pub(super) fn find(
        &self,
        origin: Span,
        name: Option<&str>,
        value: &str,
        part: &str,
    ) -> Option<Prov> {
        let site = self.site.site.header;
        // Written as it is: found by its value in one lookup.
        let first = [origin, site].map(|h| self.by_header().get_index_of(&h));
        let exact = self.exact();
        let named = name.and_then(|name| exact.by_value_and_name.get(&(value, name)));
        let written = named
            .or_else(|| exact.by_value.get(value))
            .and_then(|places| Exact::first(places, first));
        if let Some(span) = written {
            // `part` is `value` but where the value is narrowed further
            // (a `--flag=value` argument's value).
            if value == part {
                return Some(Prov::Source(span));
            }
            let escaped = serde_json::to_string(part).unwrap_or_default();
            return Some(Prov::Source(self.narrow(
                span,
                part,
                escaped.trim_matches('"'),
            )));
        }
        // The origin's and the site's strings are read a second time in
        // their turn: the first string found is the same.
        let others = self.by_header().keys().copied();
        let headers = [origin, site].into_iter().chain(others);
        let all = || headers.clone().flat_map(|h| self.of(h));
        // Inside JSON text the value is written with JSON's escapes.
        let escaped = serde_json::to_string(part).unwrap_or_default();
        let escaped = escaped.trim_matches('"');
        let holds = |s: &Source, text: &str| !text.is_empty() && s.value.contains(text);
        let source = all()
            .find(|s| holds(s, part))
            .or_else(|| all().find(|s| holds(s, escaped)))?;
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
