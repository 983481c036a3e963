//! Reads a values document into a [`Node`] tree that keeps, for every key and
//! value, where it was written. Built on yaml-rust2's event parser, with an
//! explicit stack (no recursion), a nesting limit and a node budget, so no
//! document can overflow the stack or expand aliases without end.

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::values::{Entry, Node, Value};
use crate::source::{FileId, Span};

/// The deepest nesting of maps and lists a values file may have.
pub const MAX_DEPTH: usize = 64;
/// The most nodes one document may expand to (aliases included).
pub const MAX_NODES: usize = 200_000;

/// Why a document could not be read, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub span: Span,
    pub message: String,
}

/// A container being filled while its events arrive.
enum Open {
    Seq(Vec<Node>, Span, usize),
    /// The entries, a key waiting for its value, the span, the anchor.
    Map(Vec<Entry>, Option<(String, Span)>, Span, usize),
}

/// Parses the first document of `text` (file `file`); an empty document is
/// an empty map. The top level must be a map.
pub fn parse(file: FileId, text: &str) -> Result<Node, YamlError> {
    if let Some((i, c)) = text
        .char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(YamlError {
            span: Span::new(file, i, i + c.len_utf8()),
            message: format!(
                "YAML does not allow the control character U+{:04X}",
                c as u32
            ),
        });
    }
    let mut reader = Reader {
        file,
        text,
        stack: Vec::new(),
        anchors: Vec::new(),
        nodes: 0,
        root: None,
    };
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, mark) = parser.next_token().map_err(|e| YamlError {
            span: reader.span_at(*e.marker(), 1),
            message: e.info().to_string(),
        })?;
        match event {
            Event::StreamEnd | Event::DocumentEnd => break,
            _ => reader.event(event, mark)?,
        }
        if reader.root.is_some() && reader.stack.is_empty() {
            break;
        }
    }
    let whole = Span::new(file, 0, 0);
    match reader.root {
        None => Ok(Node::new(Value::Map(Vec::new()), Some(whole))),
        Some(node) if matches!(node.value, Value::Map(_)) => Ok(node),
        Some(Node {
            value: Value::Null, ..
        }) => Ok(Node::new(Value::Map(Vec::new()), Some(whole))),
        Some(node) => Err(YamlError {
            span: node.span.unwrap_or(whole),
            message: format!("a values file is a map of keys, not {}", node.value.what()),
        }),
    }
}

struct Reader<'a> {
    file: FileId,
    text: &'a str,
    stack: Vec<Open>,
    /// Anchored nodes by anchor id, for aliases.
    anchors: Vec<(usize, Node)>,
    nodes: usize,
    root: Option<Node>,
}

impl Reader<'_> {
    fn event(&mut self, event: Event, mark: Marker) -> Result<(), YamlError> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let quoted = !matches!(style, TScalarStyle::Plain);
                let len = scalar_len(&text, style);
                let span = self.span_at(mark, len);
                let value = if quoted || tag.is_some() {
                    Value::Str(text)
                } else {
                    Value::plain(&text)
                };
                self.finish(Node::new(value, Some(span)), anchor, Some(span))
            }
            Event::SequenceStart(anchor, _) => {
                self.open(Open::Seq(Vec::new(), self.span_at(mark, 1), anchor))
            }
            Event::MappingStart(anchor, _) => {
                self.open(Open::Map(Vec::new(), None, self.span_at(mark, 1), anchor))
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            Event::Alias(id) => {
                let span = self.span_at(mark, 1);
                let node = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == id)
                    .map(|(_, n)| n.clone())
                    .ok_or_else(|| YamlError {
                        span,
                        message: "an alias to an anchor that is not defined".into(),
                    })?;
                self.count(node.count())?;
                self.finish(node.relocated(span), 0, Some(span))
            }
            Event::Nothing | Event::StreamStart | Event::DocumentStart => Ok(()),
            Event::StreamEnd | Event::DocumentEnd => Ok(()),
        }
    }

    fn count(&mut self, n: usize) -> Result<(), YamlError> {
        self.nodes += n;
        if self.nodes > MAX_NODES {
            return Err(YamlError {
                span: Span::new(self.file, 0, 0),
                message: format!("the document expands to more than {MAX_NODES} values"),
            });
        }
        Ok(())
    }

    fn open(&mut self, open: Open) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            let span = match &open {
                Open::Seq(_, s, _) | Open::Map(_, _, s, _) => *s,
            };
            return Err(YamlError {
                span,
                message: format!("maps and lists nested deeper than {MAX_DEPTH} levels"),
            });
        }
        self.count(1)?;
        self.stack.push(open);
        Ok(())
    }

    fn close(&mut self) -> Result<(), YamlError> {
        let (node, anchor) = match self.stack.pop() {
            Some(Open::Seq(items, span, anchor)) => {
                (Node::new(Value::Seq(items), Some(span)), anchor)
            }
            Some(Open::Map(entries, _, span, anchor)) => {
                // A later duplicate key wins, as in Helm.
                let entries = super::values::last_wins(entries, |e| &e.key);
                (Node::new(Value::Map(entries), Some(span)), anchor)
            }
            None => return Ok(()),
        };
        let span = node.span;
        self.finish(node, anchor, span)
    }

    /// A complete node: the value of a pending key, an item, a key, or the root.
    fn finish(&mut self, node: Node, anchor: usize, span: Option<Span>) -> Result<(), YamlError> {
        self.count(1)?;
        if anchor != 0 {
            self.anchors.push((anchor, node.clone()));
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Open::Seq(items, _, _)) => items.push(node),
            Some(Open::Map(entries, pending, _, _)) => match pending.take() {
                Some((key, key_span)) => {
                    // Duplicate keys are settled when the map closes.
                    entries.push(Entry {
                        key,
                        key_span: Some(key_span),
                        node,
                    });
                }
                None => {
                    let key_span = span.unwrap_or(Span::new(self.file, 0, 0));
                    let key = match node.value {
                        Value::Str(s) => s,
                        Value::Null => "null".into(),
                        Value::Bool(b) => b.to_string(),
                        Value::Int(i) => i.to_string(),
                        Value::Float(f) => f,
                        Value::Seq(_) | Value::Map(_) => {
                            return Err(YamlError {
                                span: key_span,
                                message: "a map key must be a plain string".into(),
                            });
                        }
                    };
                    *pending = Some((key, key_span));
                }
            },
        }
        Ok(())
    }

    /// The span of `len` bytes at `mark`, kept inside the text and on
    /// character boundaries.
    fn span_at(&self, mark: Marker, len: usize) -> Span {
        let start = floor_boundary(self.text, mark.index());
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let end = floor_boundary(self.text, (start + len.max(1)).min(line_end));
        Span::new(self.file, start, end.max(start))
    }
}

/// The bytes a scalar takes in the source, roughly: its text, plus quotes.
fn scalar_len(text: &str, style: TScalarStyle) -> usize {
    match style {
        TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => text.len() + 2,
        TScalarStyle::Plain => text.len(),
        TScalarStyle::Literal | TScalarStyle::Folded => 1,
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}
