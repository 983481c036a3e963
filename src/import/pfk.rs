//! The `.pfk` text an import writes: a small tree of fields and values,
//! rendered as text and then laid out by `prefectc fmt`.

use std::fmt::Write;

/// A value of a `.pfk` field.
#[derive(Debug, Clone, PartialEq)]
pub enum Pfk {
    Str(String),
    Int(i64),
    Bool(bool),
    /// Written as is: an enum variant, a quantity, a duration (`80%`, `5Gi`).
    Raw(String),
    /// A text block (`"""…"""`), for JSON.
    Text(String),
    List(Vec<Pfk>),
    /// A map with string keys: `{ "k" = v }`.
    Map(Vec<(String, Pfk)>),
    /// A record or nested block: `{ field = v }`.
    Block(Block),
    /// A variant with its block: `postgres.in-cluster { … }`.
    Variant(String, Block),
    /// `secret("name", "key")`, or `secret("name")` without a key.
    Secret(String, Option<String>),
    /// `config-map("name")`.
    ConfigMap(String),
}

/// Fields in the order they are written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Block(pub Vec<(String, Pfk)>);

impl Block {
    /// Adds a field.
    pub fn set(&mut self, field: &str, value: Pfk) {
        self.0.push((field.to_string(), value));
    }

    /// Adds a field when there is a value.
    pub fn set_opt(&mut self, field: &str, value: Option<Pfk>) {
        if let Some(v) = value {
            self.set(field, v);
        }
    }

    /// Adds a nested block when it has fields.
    pub fn set_block(&mut self, field: &str, block: Block) {
        if !block.0.is_empty() {
            self.set(field, Pfk::Block(block));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A string literal, escaped for `.pfk` (`\$` keeps `${` from interpolating).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Renders a top-level declaration: `kind name { … }`.
pub fn declaration(kind: &str, name: &str, block: &Block) -> String {
    let mut out = format!("{kind} {name} ");
    write_block(&mut out, block, 0);
    out.push('\n');
    out
}

fn write_block(out: &mut String, block: &Block, depth: usize) {
    out.push_str("{\n");
    for (field, value) in &block.0 {
        indent(out, depth + 1);
        out.push_str(field);
        match value {
            Pfk::Block(inner) => {
                out.push(' ');
                write_block(out, inner, depth + 1);
            }
            other => {
                out.push_str(" = ");
                write_value(out, other, depth + 1);
            }
        }
        out.push('\n');
    }
    indent(out, depth);
    out.push('}');
}

fn write_value(out: &mut String, value: &Pfk, depth: usize) {
    match value {
        Pfk::Str(s) => out.push_str(&quote(s)),
        Pfk::Int(i) => out.push_str(&i.to_string()),
        Pfk::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Pfk::Raw(r) => out.push_str(r),
        Pfk::Text(t) => write_text(out, t, depth),
        Pfk::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item, depth);
            }
            out.push(']');
        }
        Pfk::Map(entries) => {
            out.push_str("{ ");
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quote(k));
                out.push_str(" = ");
                write_value(out, v, depth);
            }
            out.push_str(" }");
        }
        Pfk::Block(block) => write_block(out, block, depth),
        Pfk::Variant(name, block) => {
            out.push_str(name);
            out.push(' ');
            write_block(out, block, depth);
        }
        Pfk::Secret(name, key) => {
            out.push_str("secret(");
            out.push_str(&quote(name));
            if let Some(key) = key {
                out.push_str(", ");
                out.push_str(&quote(key));
            }
            out.push(')');
        }
        Pfk::ConfigMap(name) => {
            out.push_str("config-map(");
            out.push_str(&quote(name));
            out.push(')');
        }
    }
}

/// A `"""` block: the text on its own lines, indented one level deeper.
/// Text that cannot sit in one (it holds `"""`, a backslash or `${`) is an
/// escaped string instead.
fn write_text(out: &mut String, text: &str, depth: usize) {
    let body = text.trim_end_matches('\n');
    if body.contains("\"\"\"") || body.contains('\\') || body.contains('$') || body.contains('\r') {
        out.push_str(&quote(text));
        return;
    }
    out.push_str("\"\"\"\n");
    for line in body.lines() {
        if !line.trim().is_empty() {
            indent(out, depth + 1);
            out.push_str(line);
        }
        out.push('\n');
    }
    indent(out, depth + 1);
    out.push_str("\"\"\"");
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(quote("a\"b\\c${d}\n"), r#""a\"b\\c\${d}\n""#);
    }

    #[test]
    fn a_declaration_formats() {
        let mut b = Block::default();
        b.set("pool", Pfk::Str("default".into()));
        let mut api = Block::default();
        api.set("url", Pfk::Str("http://x".into()));
        b.set("api", Pfk::Variant("self-hosted".into(), api));
        let text = declaration("worker", "w", &b);
        let formatted = crate::fmt::format(&text).expect("formats");
        assert!(formatted.contains("api  = self-hosted {"), "{formatted}");
        assert!(formatted.contains("url = \"http://x\""), "{formatted}");
    }
}
