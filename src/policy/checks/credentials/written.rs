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
