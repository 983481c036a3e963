//! The walk over the parse tree that lays a file out (the rules are in
//! `docs/language.md`, "Canonical layout").
//!
//! Every token is written through [`Formatter::tok`] with its source
//! position, so the comments in front of it come out in front of it. Where a
//! token starts a line of its own (a declaration, an entry of an expanded
//! block, a closing bracket) [`Formatter::leading`] first places the comments
//! before it: on the line above, or at the end of the previous line when they
//! were written there.

use pest::iterators::Pair;

use super::comments::{self, Comment};
use super::writer::Writer;
use crate::syntax::Rule;

const INDENT: usize = 2;

type P<'i> = Pair<'i, Rule>;

/// Where an entry of an expanded block was written, for aligning `=`.
struct EntryLine {
    line: usize,
    key_len: usize,
    key_width: usize,
}

pub struct Formatter<'a> {
    text: &'a str,
    comments: Vec<Comment>,
    /// The first comment not yet written.
    next: usize,
    /// The end of the last token or comment written.
    last_end: usize,
    /// Positions of the newlines outside strings: a bracket with one inside
    /// is laid out one item per line.
    newlines: Vec<usize>,
    /// The last thing written was a block comment inside a line.
    after_block_comment: bool,
    out: Writer,
}

impl<'a> Formatter<'a> {
    pub fn new(text: &'a str, file: &P<'a>) -> Formatter<'a> {
        let mut leaves = Vec::new();
        comments::leaves(file.clone(), &mut leaves);
        let comments = comments::collect(text, &leaves);
        let mut newlines = Vec::new();
        let mut from = 0;
        for &(start, end) in leaves
            .iter()
            .chain(std::iter::once(&(text.len(), text.len())))
        {
            let gap = text.get(from..start.max(from)).unwrap_or("");
            newlines.extend(gap.match_indices('\n').map(|(i, _)| from + i));
            from = from.max(end);
        }
        Formatter {
            text,
            comments,
            next: 0,
            last_end: 0,
            newlines,
            after_block_comment: false,
            out: Writer::new(),
        }
    }

    /// Lays out the whole file.
    pub fn run(mut self, file: P<'a>) -> String {
        let decls: Vec<P<'a>> = file
            .into_inner()
            .filter(|p| p.as_rule() == Rule::decl)
            .collect();
        self.decls(decls, 0);
        self.leading(self.text.len(), 0, false);
        self.out.finish()
    }

    fn gap(&self, from: usize, to: usize) -> &'a str {
        self.text.get(from..to.max(from)).unwrap_or("")
    }

    fn has_newline(&self, start: usize, end: usize) -> bool {
        let i = self.newlines.partition_point(|&n| n < start);
        self.newlines.get(i).is_some_and(|&n| n < end)
    }

    fn comment_before(&self, pos: usize) -> Option<Comment> {
        self.comments
            .get(self.next)
            .filter(|c| c.start < pos)
            .cloned()
    }

    // ---- tokens and comments ----

    /// Writes `s`, found at `pos` in the source, after the comments before it.
    fn tok(&mut self, pos: usize, s: &str) {
        self.inline_comments(pos);
        if self.after_block_comment && !s.starts_with([')', ']', '}', ',']) {
            self.out.space();
        }
        self.after_block_comment = false;
        self.out.push_verbatim(s);
        self.last_end = self.last_end.max(pos + s.len());
    }

    /// Writes punctuation the grammar matches literally, at its place in
    /// the source if it is next there (so comments before it stay before it).
    fn punct(&mut self, s: &str) {
        match comments::find_token(self.text, self.last_end, s) {
            Some(pos) => self.tok(pos, s),
            None => self.out.push(s),
        }
    }

    fn leaf(&mut self, p: &P<'_>) {
        let (start, end) = comments::leaf_range(p);
        self.tok(start, self.gap(start, end));
    }

    /// Every leaf token under `p`, separated by single spaces.
    fn words(&mut self, p: &P<'_>) {
        let mut leaves = Vec::new();
        comments::leaves(p.clone(), &mut leaves);
        for (i, (start, end)) in leaves.into_iter().enumerate() {
            if i > 0 {
                self.out.space();
            }
            self.tok(start, self.gap(start, end));
        }
    }

    /// Comments before `pos` inside a line: a block comment stays in place, a
    /// line comment ends the line.
    fn inline_comments(&mut self, pos: usize) {
        while let Some(c) = self.comment_before(pos) {
            if c.is_line {
                self.out.trailing_comment(&c.text);
            } else {
                if !self.out.ends_with(&['(', '[']) {
                    self.out.space();
                }
                self.out.push_verbatim(&c.text);
                self.after_block_comment = true;
            }
            self.last_end = c.end;
            self.next += 1;
        }
    }

    /// Comments before an item that starts a line at `pos`. A comment written
    /// after code on its line stays there; the others get lines of their own
    /// at `indent`, with a blank line kept where there was one. `force` asks
    /// for a blank line before the first of them (or the item).
    ///
    /// Returns whether a blank line was written, and whether one should come
    /// right before the item.
    fn leading(&mut self, pos: usize, indent: usize, mut force: bool) -> (bool, bool) {
        let mut any_blank = false;
        while let Some(c) = self.comment_before(pos) {
            let gap = self.gap(self.last_end, c.start);
            if !gap.contains('\n') && !self.out.line_is_empty() && !self.out.ends_in_line_comment()
            {
                self.out.trailing_comment(&c.text);
            } else {
                if force || comments::has_blank_line(gap) {
                    self.out.blank();
                    any_blank = true;
                }
                force = false;
                self.out.own_line_comment(indent, &c.text);
            }
            self.last_end = c.end;
            self.next += 1;
        }
        self.after_block_comment = false;
        let before = force || comments::has_blank_line(self.gap(self.last_end, pos));
        (any_blank || before, before)
    }

    /// Starts the line of an item at `pos`, after the comments before it.
    fn item_line(&mut self, pos: usize, indent: usize) {
        self.leading(pos, indent, false);
        self.out.line(indent);
    }

    // ---- declarations ----

    /// Declarations, one blank line apart; a run of imports, params or
    /// one-line lets written without blank lines stays together.
    fn decls(&mut self, decls: Vec<P<'a>>, indent: usize) {
        let mut prev: Option<(Rule, usize, bool)> = None;
        for d in decls {
            let span = d.as_span();
            let has_attrs = d
                .clone()
                .into_inner()
                .any(|c| c.as_rule() == Rule::attribute);
            let Some(item) = d
                .clone()
                .into_inner()
                .find(|c| c.as_rule() != Rule::attribute)
            else {
                continue;
            };
            let kind = item.as_rule();
            let compact = matches!(prev, Some((k, end, true))
                if k == kind
                    && matches!(kind, Rule::import_decl | Rule::param_decl | Rule::let_decl)
                    && !has_attrs
                    && !comments::has_blank_line(self.gap(end, span.start())));
            let (_, blank) = self.leading(span.start(), indent, prev.is_some() && !compact);
            if blank {
                self.out.blank();
            }
            let mut first_line = None;
            for c in d.into_inner() {
                self.item_line(c.as_span().start(), indent);
                if c.as_rule() == Rule::attribute {
                    self.attribute(c, indent);
                } else {
                    first_line = Some(self.out.line_index());
                    self.decl_item(c, indent);
                }
            }
            let one_line = first_line == Some(self.out.line_index());
            prev = Some((kind, span.end(), one_line));
        }
    }

    fn decl_item(&mut self, p: P<'a>, indent: usize) {
        let end = p.as_span().end();
        match p.as_rule() {
            Rule::param_decl | Rule::let_decl => {
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::kw_param | Rule::kw_let => self.leaf(&c),
                        Rule::ident => {
                            self.out.space();
                            self.leaf(&c);
                        }
                        Rule::type_expr => {
                            self.punct(":");
                            self.out.space();
                            self.type_expr(c);
                        }
                        _ => {
                            self.out.space();
                            self.punct("=");
                            self.out.space();
                            self.expr(c, indent);
                        }
                    }
                }
            }
            Rule::for_decl => {
                let mut body = Vec::new();
                let mut head_end = end;
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::decl => body.push(c),
                        Rule::cond => {
                            self.out.space();
                            head_end = c.as_span().end();
                            self.expr(c, indent);
                        }
                        _ => {
                            self.out.space();
                            self.leaf(&c);
                        }
                    }
                }
                self.out.space();
                let open = comments::find_token(self.text, head_end, "{").unwrap_or(head_end);
                self.tok(open, "{");
                let close = end.saturating_sub(1);
                if body.is_empty() && self.comment_before(close).is_none() {
                    self.tok(close, "}");
                    return;
                }
                self.out.open();
                self.decls(body, indent + INDENT);
                self.leading(close, indent + INDENT, false);
                self.out.line(indent);
                self.tok(close, "}");
            }
            Rule::template_decl | Rule::component => {
                for c in p.into_inner() {
                    self.out.space();
                    if c.as_rule() == Rule::block {
                        self.block(c, indent);
                    } else {
                        self.words(&c);
                    }
                }
            }
            Rule::schema_decl | Rule::enum_decl | Rule::union_decl => {
                let mut items = Vec::new();
                let mut head_end = end;
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::schema_field | Rule::ident | Rule::union_variant => items.push(c),
                        _ => {
                            self.out.space();
                            head_end = c.as_span().end();
                            self.leaf(&c);
                        }
                    }
                }
                self.out.space();
                let open = comments::find_token(self.text, head_end, "{").unwrap_or(head_end);
                let close = end.saturating_sub(1);
                self.line_items(
                    ("{", open),
                    items,
                    ("}", close),
                    indent,
                    "",
                    |f, it, ind| f.schema_item(it, ind),
                );
            }
            // import_decl, and anything new: its tokens, spaced.
            _ => self.words(&p),
        }
    }

    /// A schema field, an enum variant or a union variant.
    fn schema_item(&mut self, p: P<'a>, indent: usize) {
        if p.as_rule() == Rule::ident {
            self.leaf(&p);
            return;
        }
        let mut after_where = false;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::field_key | Rule::path => self.words(&c),
                Rule::type_expr => {
                    self.punct(":");
                    self.out.space();
                    self.type_expr(c);
                }
                Rule::kw_where => {
                    self.out.space();
                    self.leaf(&c);
                    after_where = true;
                }
                _ => {
                    self.out.space();
                    if !after_where {
                        self.punct("=");
                        self.out.space();
                    }
                    self.expr(c, indent);
                }
            }
        }
    }

    fn type_expr(&mut self, p: P<'a>) {
        for (i, atom) in p.into_inner().enumerate() {
            if i > 0 {
                self.out.space();
                self.punct("|");
                self.out.space();
            }
            for c in atom.into_inner() {
                match c.as_rule() {
                    Rule::list_type => {
                        self.punct("[");
                        for t in c.into_inner() {
                            self.type_expr(t);
                        }
                        self.punct("]");
                    }
                    Rule::map_type => {
                        self.punct("{");
                        for t in c.into_inner() {
                            if t.as_rule() == Rule::type_name {
                                self.leaf(&t);
                                self.punct(":");
                                self.out.space();
                            } else {
                                self.type_expr(t);
                            }
                        }
                        self.punct("}");
                    }
                    Rule::ref_type => {
                        self.punct("Ref");
                        self.punct("<");
                        self.words(&c);
                        self.punct(">");
                    }
                    _ => self.leaf(&c),
                }
            }
        }
    }

    fn attribute(&mut self, p: P<'a>, indent: usize) {
        let span = p.as_span();
        self.tok(span.start(), "@");
        let mut args = Vec::new();
        let mut name_end = span.end();
        for c in p.into_inner() {
            if c.as_rule() == Rule::ident {
                name_end = c.as_span().end();
                self.leaf(&c);
            } else {
                args.push(c);
            }
        }
        if !span.as_str().ends_with(')') {
            return;
        }
        let open = comments::find_token(self.text, name_end, "(").unwrap_or(name_end);
        let close = span.end() - 1;
        self.items(("(", open), args, (")", close), indent, |f, arg, ind| {
            for c in arg.into_inner() {
                if c.as_rule() == Rule::named_arg {
                    for (i, n) in c.into_inner().enumerate() {
                        if i == 0 {
                            f.leaf(&n);
                            f.out.space();
                            f.punct("=");
                            f.out.space();
                        } else {
                            f.expr(n, ind);
                        }
                    }
                } else {
                    f.expr(c, ind);
                }
            }
        });
    }

    // ---- blocks ----

    /// `{ … }`: on one line when it was written on one line and none of its
    /// entries has an attribute; otherwise one entry per line.
    fn block(&mut self, p: P<'a>, indent: usize) {
        let span = p.as_span();
        let (open, close) = (span.start(), span.end().saturating_sub(1));
        let entries: Vec<P<'a>> = p.into_inner().collect();
        let has_attrs = entries.iter().any(|e| {
            e.clone()
                .into_inner()
                .any(|c| c.as_rule() == Rule::attribute)
        });
        if !has_attrs && !self.has_newline(open, close) {
            self.tok(open, "{");
            for (i, e) in entries.iter().enumerate() {
                if i > 0 {
                    self.out.push(",");
                }
                self.out.space();
                self.entry(e.clone(), indent, false);
            }
            self.inline_comments(close);
            if !entries.is_empty() {
                self.out.space();
            }
            self.tok(close, "}");
            return;
        }
        self.tok(open, "{");
        if entries.is_empty() && self.comment_before(close).is_none() {
            self.tok(close, "}");
            return;
        }
        self.out.open();
        let inner = indent + INDENT;
        let mut group: Vec<EntryLine> = Vec::new();
        for e in entries {
            let (any_blank, blank) = self.leading(e.as_span().start(), inner, false);
            if blank {
                self.out.blank();
            }
            if any_blank {
                self.align(&mut group);
            }
            let is_block = e.clone().into_inner().any(|c| c.as_rule() == Rule::block);
            let has_attrs = e
                .clone()
                .into_inner()
                .any(|c| c.as_rule() == Rule::attribute);
            let line = self.entry(e, inner, true);
            let multi_line = line
                .as_ref()
                .is_none_or(|l| l.line != self.out.line_index());
            // An entry under attributes, or a nested block over several
            // lines, stands apart: it is aligned with nothing.
            let apart = has_attrs || (is_block && multi_line);
            match line {
                Some(l) if !apart => {
                    group.push(l);
                    if multi_line {
                        self.align(&mut group);
                    }
                }
                _ => self.align(&mut group),
            }
        }
        self.align(&mut group);
        self.leading(close, inner, false);
        self.out.line(indent);
        self.tok(close, "}");
    }

    /// Pads the keys of a run of entries so that their `=` line up.
    fn align(&mut self, group: &mut Vec<EntryLine>) {
        let widest = group.iter().map(|e| e.key_width).max().unwrap_or(0);
        for e in group.drain(..) {
            self.out.pad(e.line, e.key_len, widest - e.key_width);
        }
    }

    /// One entry; with `own_lines` (an expanded block) each attribute and the
    /// key start lines of their own. Returns where the key was written.
    fn entry(&mut self, p: P<'a>, indent: usize, own_lines: bool) -> Option<EntryLine> {
        let mut at = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::attribute => {
                    if own_lines {
                        self.item_line(c.as_span().start(), indent);
                    }
                    self.attribute(c, indent);
                    if !own_lines {
                        self.out.space();
                    }
                }
                Rule::field_key => {
                    if own_lines {
                        self.item_line(c.as_span().start(), indent);
                    }
                    let key = c.as_str();
                    at = Some(EntryLine {
                        line: self.out.line_index(),
                        key_len: key.len(),
                        key_width: key.chars().count(),
                    });
                    self.words(&c);
                }
                Rule::assign_op => {
                    // `+=` sticks out one column to the left, so that `=` lines up.
                    if let Some(at) = at.as_mut().filter(|_| c.as_str() == "+=") {
                        at.key_width += 1;
                    }
                    self.out.space();
                    self.leaf(&c);
                }
                Rule::block => {
                    self.out.space();
                    self.block(c, indent);
                }
                _ => {
                    self.out.space();
                    self.expr(c, indent);
                }
            }
        }
        at.filter(|_| own_lines)
    }

    // ---- bracketed lists ----

    /// Items between brackets: on one line (`[a, b]`) when they were written
    /// on one line, else one per line, each followed by a comma.
    fn items<F>(
        &mut self,
        open: (&str, usize),
        items: Vec<P<'a>>,
        close: (&str, usize),
        indent: usize,
        mut item: F,
    ) where
        F: FnMut(&mut Self, P<'a>, usize),
    {
        if self.has_newline(open.1, close.1) {
            self.line_items(open, items, close, indent, ",", item);
            return;
        }
        self.tok(open.1, open.0);
        for (i, it) in items.into_iter().enumerate() {
            if i > 0 {
                self.out.push(",");
                self.out.space();
            }
            item(self, it, indent);
        }
        self.inline_comments(close.1);
        self.tok(close.1, close.0);
    }

    /// Items one per line between brackets, each followed by `sep`.
    fn line_items<F>(
        &mut self,
        open: (&str, usize),
        items: Vec<P<'a>>,
        close: (&str, usize),
        indent: usize,
        sep: &str,
        mut item: F,
    ) where
        F: FnMut(&mut Self, P<'a>, usize),
    {
        self.tok(open.1, open.0);
        if items.is_empty() && self.comment_before(close.1).is_none() {
            self.tok(close.1, close.0);
            return;
        }
        self.out.open();
        let inner = indent + INDENT;
        for it in items {
            let (_, blank) = self.leading(it.as_span().start(), inner, false);
            if blank {
                self.out.blank();
            }
            self.out.line(inner);
            item(self, it, inner);
            if !sep.is_empty() {
                self.out.push(sep);
            }
            // Comments before the item's comma in the source end its line: on
            // a line of their own they would become the next item's doc.
            if let Some(comma) = comments::find_token(self.text, self.last_end, ",") {
                while let Some(c) = self.comment_before(comma) {
                    self.out.trailing_comment(&c.text);
                    self.next += 1;
                }
                self.last_end = comma + 1;
            }
        }
        self.leading(close.1, inner, false);
        self.out.line(indent);
        self.tok(close.1, close.0);
    }

    // ---- expressions ----

    /// An `expr` or a `cond`: operands and operators, one space apart; `!`
    /// sticks to its operand.
    fn expr(&mut self, p: P<'a>, indent: usize) {
        let mut space = false;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::prefix => {
                    if space {
                        self.out.space();
                    }
                    self.leaf(&c);
                    space = false;
                }
                Rule::or_op | Rule::and_op | Rule::cmp_op | Rule::add_op => {
                    self.out.space();
                    self.leaf(&c);
                    space = true;
                }
                _ => {
                    if space {
                        self.out.space();
                    }
                    self.operand(c, indent);
                    space = false;
                }
            }
        }
    }

    fn operand(&mut self, p: P<'a>, indent: usize) {
        let span = p.as_span();
        let close = span.end().saturating_sub(1);
        match p.as_rule() {
            Rule::if_expr => {
                // pest's span of an `if` without `else` takes the blanks it
                // skipped looking for one: a newline after the `}` is not in
                // the `if` (else formatting it twice would differ).
                let end = span.start() + span.as_str().trim_end().len();
                let expanded = self.has_newline(span.start(), end);
                self.if_expr(p, indent, expanded);
            }
            Rule::block => self.block(p, indent),
            Rule::tagged => {
                for (i, c) in p.into_inner().enumerate() {
                    if i == 0 {
                        self.leaf(&c);
                    } else {
                        self.out.space();
                        self.block(c, indent);
                    }
                }
            }
            Rule::list => {
                let items = p.into_inner().collect();
                self.items(
                    ("[", span.start()),
                    items,
                    ("]", close),
                    indent,
                    |f, e, ind| f.expr(e, ind),
                );
            }
            Rule::call => {
                let mut it = p.into_inner();
                let Some(name) = it.next() else { return };
                self.leaf(&name);
                let name_end = name.as_span().end();
                let open = comments::find_token(self.text, name_end, "(").unwrap_or(name_end);
                self.items(
                    ("(", open),
                    it.collect(),
                    (")", close),
                    indent,
                    |f, e, ind| f.expr(e, ind),
                );
            }
            Rule::paren => {
                self.tok(span.start(), "(");
                for c in p.into_inner() {
                    self.expr(c, indent);
                }
                self.inline_comments(close);
                self.tok(close, ")");
            }
            // literal, path: tokens as written.
            _ => self.words(&p),
        }
    }

    /// `if c { a } else { b }`, on one line or with each branch on its own
    /// lines; an `else if` chain follows its head.
    fn if_expr(&mut self, p: P<'a>, indent: usize, expanded: bool) {
        let mut head_end = p.as_span().start();
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::kw_if | Rule::kw_else => {
                    if c.as_rule() == Rule::kw_else {
                        self.out.space();
                    }
                    head_end = c.as_span().end();
                    self.leaf(&c);
                }
                Rule::cond => {
                    self.out.space();
                    head_end = c.as_span().end();
                    self.expr(c, indent);
                }
                Rule::if_expr => {
                    self.out.space();
                    self.if_expr(c, indent, expanded);
                }
                _ => {
                    self.out.space();
                    let open = comments::find_token(self.text, head_end, "{").unwrap_or(head_end);
                    self.tok(open, "{");
                    let body_end = c.as_span().end();
                    let close = comments::find_token(self.text, body_end, "}").unwrap_or(body_end);
                    if expanded {
                        self.out.open();
                        self.item_line(c.as_span().start(), indent + INDENT);
                        self.expr(c, indent + INDENT);
                        self.leading(close, indent + INDENT, false);
                        self.out.line(indent);
                    } else {
                        self.out.space();
                        self.expr(c, indent);
                        self.inline_comments(close);
                        self.out.space();
                    }
                    self.tok(close, "}");
                }
            }
        }
    }
}
