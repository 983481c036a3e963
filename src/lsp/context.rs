//! Where a position is, read from the text as it is now: the blocks around
//! it (component, field, tagged block, list, `for`, attribute arguments) and
//! the tokens of the entry being written. The text is often broken while it
//! is being typed, so this reads tokens and brackets only and never needs a
//! parse to succeed; what the blocks mean comes from the stdlib schemas
//! ([`Scope`]).

use crate::check::model::Kind;
use crate::check::types::{SchemaDef, Type, Types};

/// A bracket open at the position, and what its header says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// `kind name {`, `template kind name {`
    Component { kind: String },
    /// `key {`, `key = {`, `key = tag {`
    Field { key: String, tag: Option<String> },
    /// `key = [`, `key += [`
    List { key: String },
    /// `{ … }` or `tag { … }` directly inside a list.
    Element { tag: Option<String> },
    /// `for var in … {`
    For { var: String, var_start: usize },
    /// `@name(`
    Attribute { name: String },
    /// Anything else: `( )`, lists in expressions, `if` branches, `${ }`.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// An identifier or dotted path, and where it starts.
    Word(String, usize),
    /// A string literal (its text is not needed).
    Str,
    /// `=` or `+=`
    Assign,
    /// `@`
    At,
    /// A bracketed group that was closed.
    Group,
    /// An operator: the expression goes on.
    Op,
    /// A number or quantity.
    Other,
}

/// The context at one offset.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Open brackets, outermost first.
    pub frames: Vec<Frame>,
    /// The tokens of the current entry before the offset, in the innermost
    /// bracket.
    pub statement: Vec<Token>,
    pub in_string: bool,
    pub in_comment: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Code,
    Str { triple: bool },
}

struct Open {
    frame: Frame,
    closer: u8,
    /// The enclosing entry's tokens, restored when the bracket closes.
    saved: Vec<Token>,
    /// Set for `${`: the string mode to return to.
    resume: Option<Mode>,
}

/// A byte of an identifier: `[A-Za-z0-9_-]`.
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The word (identifier or dotted path) around `offset`: its range.
pub fn word_at(text: &str, offset: usize) -> std::ops::Range<usize> {
    let bytes = text.as_bytes();
    let offset = offset.min(bytes.len());
    let part = |b: u8| is_word_byte(b) || b == b'.';
    let mut start = offset;
    while start > 0 && part(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = offset;
    while end < bytes.len() && part(bytes[end]) {
        end += 1;
    }
    start..end
}

/// Reads `text` up to `end`.
pub fn context(text: &str, end: usize) -> Context {
    let bytes = text.as_bytes();
    let end = end.min(bytes.len());
    let mut stack: Vec<Open> = Vec::new();
    let mut statement: Vec<Token> = Vec::new();
    let mut mode = Mode::Code;
    let mut in_comment = false;
    let mut i = 0;
    while i < end {
        let b = bytes[i];
        if let Mode::Str { triple } = mode {
            if b == b'\\' {
                i += 2;
            } else if triple && bytes[i..].starts_with(b"\"\"\"") {
                mode = Mode::Code;
                statement.push(Token::Str);
                i += 3;
            } else if !triple && (b == b'"' || b == b'\n') {
                mode = Mode::Code;
                statement.push(Token::Str);
                i += 1;
            } else if bytes[i..].starts_with(b"${") {
                stack.push(Open {
                    frame: Frame::Other,
                    closer: b'}',
                    saved: std::mem::take(&mut statement),
                    resume: Some(mode),
                });
                mode = Mode::Code;
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        // A declaration in column 0 starts afresh, as the parser's error
        // recovery does: an unclosed block above does not swallow it.
        if !stack.is_empty()
            && (i == 0 || bytes[i - 1] == b'\n')
            && crate::syntax::starts_declaration(&text[i..])
        {
            stack.clear();
            statement.clear();
        }
        match b {
            b'\n' => {
                let continues = matches!(statement.last(), Some(Token::Assign | Token::Op));
                let in_braces = stack.last().is_none_or(|o| o.closer == b'}');
                if in_braces && !continues {
                    statement.clear();
                }
                i += 1;
            }
            b' ' | b'\t' | b'\r' => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let close = text[i..].find('\n').map(|n| i + n);
                in_comment = close.is_none_or(|c| c >= end);
                i = close.unwrap_or(bytes.len());
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let close = text[i + 2..].find("*/").map(|n| i + 2 + n + 2);
                in_comment = close.is_none_or(|c| c > end);
                i = close.unwrap_or(bytes.len());
            }
            b'"' => {
                let triple = bytes[i..].starts_with(b"\"\"\"");
                mode = Mode::Str { triple };
                i += if triple { 3 } else { 1 };
            }
            b'{' | b'[' | b'(' => {
                let parent = stack.last().map(|o| &o.frame);
                let frame = match b {
                    b'{' => brace(&statement, parent),
                    b'[' => bracket(&statement),
                    _ => paren(&statement),
                };
                let closer = match b {
                    b'{' => b'}',
                    b'[' => b']',
                    _ => b')',
                };
                stack.push(Open {
                    frame,
                    closer,
                    saved: std::mem::take(&mut statement),
                    resume: None,
                });
                i += 1;
            }
            b'}' | b']' | b')' => {
                if stack.last().is_some_and(|o| o.closer == b) {
                    let open = stack.pop().expect("checked above");
                    statement = open.saved;
                    match open.resume {
                        Some(m) => mode = m,
                        None => statement.push(Token::Group),
                    }
                }
                i += 1;
            }
            b',' => {
                statement.clear();
                i += 1;
            }
            b'=' if bytes.get(i + 1) != Some(&b'=') => {
                statement.push(Token::Assign);
                i += 1;
            }
            b'+' if bytes.get(i + 1) == Some(&b'=') => {
                statement.push(Token::Assign);
                i += 2;
            }
            b'@' => {
                statement.push(Token::At);
                i += 1;
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let start = i;
                while i < bytes.len() && (is_word_byte(bytes[i]) || bytes[i] == b'.') {
                    i += 1;
                }
                statement.push(Token::Word(text[start..i].to_string(), start));
            }
            b'=' | b'!' | b'<' | b'>' | b'&' | b'|' | b'+' => {
                while i < end && b"=!<>&|+".contains(&bytes[i]) {
                    i += 1;
                }
                statement.push(Token::Op);
            }
            _ => {
                // Numbers with their unit, stray bytes; skip whole UTF-8
                // characters.
                i += 1;
                while i < bytes.len() && (is_word_byte(bytes[i]) || !text.is_char_boundary(i)) {
                    i += 1;
                }
                statement.push(Token::Other);
            }
        }
    }
    Context {
        frames: stack.into_iter().map(|o| o.frame).collect(),
        statement,
        in_string: matches!(mode, Mode::Str { .. }),
        in_comment: in_comment && mode == Mode::Code,
    }
}

/// The tokens of an entry without its leading attributes (`@allow(…)`).
pub fn entry_tokens(statement: &[Token]) -> &[Token] {
    let mut rest = statement;
    while let [Token::At, Token::Word(..), tail @ ..] = rest {
        rest = match tail {
            [Token::Group, tail @ ..] => tail,
            tail => tail,
        };
    }
    rest
}

fn brace(statement: &[Token], parent: Option<&Frame>) -> Frame {
    let toks = entry_tokens(statement);
    let in_list = matches!(parent, Some(Frame::List { .. }));
    let top = matches!(parent, None | Some(Frame::For { .. }));
    match toks {
        [Token::Word(f, _), Token::Word(var, start), ..] if f == "for" && top => Frame::For {
            var: var.clone(),
            var_start: *start,
        },
        [Token::Word(t, _), Token::Word(kind, _), ..] if t == "template" && top => {
            Frame::Component { kind: kind.clone() }
        }
        [Token::Word(kind, _), Token::Word(..) | Token::Str, ..] if top => {
            Frame::Component { kind: kind.clone() }
        }
        [Token::Word(key, _), Token::Assign] => Frame::Field {
            key: key.clone(),
            tag: None,
        },
        [Token::Word(key, _), Token::Assign, Token::Word(tag, _)] => Frame::Field {
            key: key.clone(),
            tag: Some(tag.clone()),
        },
        [] if in_list => Frame::Element { tag: None },
        [Token::Word(tag, _)] if in_list => Frame::Element {
            tag: Some(tag.clone()),
        },
        [Token::Word(key, _)] if !top => Frame::Field {
            key: key.clone(),
            tag: None,
        },
        _ => Frame::Other,
    }
}

fn bracket(statement: &[Token]) -> Frame {
    match entry_tokens(statement) {
        [Token::Word(key, _), Token::Assign] => Frame::List { key: key.clone() },
        _ => Frame::Other,
    }
}

fn paren(statement: &[Token]) -> Frame {
    match statement {
        [.., Token::At, Token::Word(name, _)] => Frame::Attribute { name: name.clone() },
        _ => Frame::Other,
    }
}

/// What the entries of the innermost block are, by the schemas.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'t> {
    /// Declarations.
    TopLevel,
    /// Fields of a schema.
    Record(&'t SchemaDef),
    /// Keys of a map, each with a value of this type.
    Map(&'t Type),
    /// Items of a list of this type.
    List(&'t Type),
    /// Nothing the schemas describe (an attribute, an expression).
    Unknown,
}

impl<'t> Scope<'t> {
    /// The type of the value of an entry `key` (the item type in a list).
    pub fn value_type(self, key: Option<&str>) -> Option<&'t Type> {
        match (self, key) {
            (Scope::Record(s), Some(k)) => s.fields.get(k).map(|f| &f.ty),
            (Scope::Map(t), Some(_)) | (Scope::List(t), _) => Some(t),
            _ => None,
        }
    }
}

/// Follows the frames through the schemas, from the component kind down.
pub fn scope<'t>(frames: &[Frame], types: &'t Types) -> Scope<'t> {
    let mut scope = Scope::TopLevel;
    for frame in frames {
        scope = match (frame, scope) {
            (Frame::For { .. }, Scope::TopLevel) => Scope::TopLevel,
            (Frame::Component { kind }, Scope::TopLevel) => Kind::parse(kind)
                .and_then(|k| types.components.get(&k))
                .and_then(|s| types.schemas.get(s))
                .map_or(Scope::Unknown, |s| Scope::Record(s)),
            (Frame::Field { key, tag }, s) => match s.value_type(Some(key)) {
                Some(t) => enter(t, tag.as_deref(), types),
                None => Scope::Unknown,
            },
            (Frame::List { key }, s) => match s.value_type(Some(key)).map(Type::strip_optional) {
                Some(Type::List(item)) => Scope::List(item),
                _ => Scope::Unknown,
            },
            (Frame::Element { tag }, Scope::List(item)) => enter(item, tag.as_deref(), types),
            _ => Scope::Unknown,
        };
    }
    scope
}

/// The block a value of type `ty` opens, `tag { … }` when tagged.
fn enter<'t>(ty: &'t Type, tag: Option<&str>, types: &'t Types) -> Scope<'t> {
    match (ty, tag) {
        (Type::Optional(t), _) => enter(t, tag, types),
        (Type::Record(n), None) => types
            .schemas
            .get(n)
            .map_or(Scope::Unknown, |s| Scope::Record(s)),
        (Type::Map(t), None) => Scope::Map(t),
        (Type::Union(u), Some(tag)) => types
            .unions
            .get(u)
            .and_then(|u| u.variants.iter().find(|(t, _, _)| *t == tag))
            .map_or(Scope::Unknown, |(_, _, t)| enter(t, None, types)),
        (Type::Alt(alts), _) => alts
            .iter()
            .map(|t| enter(t, tag, types))
            .find(|s| !matches!(s, Scope::Unknown))
            .unwrap_or(Scope::Unknown),
        _ => Scope::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_marker(text: &str) -> (String, usize) {
        let at = text.find('|').expect("a marker");
        (text.replacen('|', "", 1), at)
    }

    #[test]
    fn frames_follow_blocks_lists_and_tags() {
        let (text, at) = at_marker(
            "for t in [\"a\"] {\n  server \"${t}\" {\n    database = postgres {\n      url = secret(\"a\", \"b\")\n    }\n    extra = [{ x = 1 }, {|",
        );
        let ctx = context(&text, at);
        assert_eq!(
            ctx.frames,
            vec![
                Frame::For {
                    var: "t".into(),
                    var_start: 4
                },
                Frame::Component {
                    kind: "server".into()
                },
                Frame::List {
                    key: "extra".into()
                },
                Frame::Element { tag: None },
            ]
        );
    }

    #[test]
    fn strings_comments_and_interpolation() {
        let (text, at) = at_marker("worker w {\n  name = \"x-${tea|");
        let ctx = context(&text, at);
        assert!(!ctx.in_string);
        assert_eq!(ctx.frames.last(), Some(&Frame::Other));
        let (text, at) = at_marker("// see E03|01\nsite s {}");
        assert!(context(&text, at).in_comment);
        let (text, at) = at_marker("site s { namespace = \"{[|\" }");
        let ctx = context(&text, at);
        assert!(ctx.in_string);
        assert_eq!(ctx.frames.len(), 1);
    }

    #[test]
    fn attribute_arguments() {
        let (text, at) = at_marker("@allow(\"pss/run|");
        let ctx = context(&text, at);
        assert_eq!(
            ctx.frames,
            vec![Frame::Attribute {
                name: "allow".into()
            }]
        );
        assert!(ctx.in_string);
    }

    #[test]
    fn scope_reads_the_schemas() {
        let types = &crate::stdlib().types;
        let (text, at) = at_marker("worker w {\n  resources {\n    limits { | }");
        match scope(&context(&text, at).frames, types) {
            Scope::Record(s) => assert!(s.fields.contains_key("memory"), "{}", s.name),
            other => panic!("{other:?}"),
        }
        let (text, at) = at_marker("server s {\n  database = postgres {\n    |");
        match scope(&context(&text, at).frames, types) {
            Scope::Record(s) => assert!(s.fields.contains_key("url"), "{}", s.name),
            other => panic!("{other:?}"),
        }
    }
}
