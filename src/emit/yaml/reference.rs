//! The reference writer, for tests: a JSON value written as YAML the
//! simple way, which the streaming [`Serializer`](serde::Serializer) in
//! `ser.rs` must match byte for byte.

use serde_json::{Map, Value};

use super::pad;
use super::scalar::{write_number, write_scalar};

/// Writes a JSON value as one YAML document (no `---`): the reference the
/// streaming writer ([`to_string`]) is tested against.
pub fn write(out: &mut String, value: &Value) {
    match value {
        Value::Object(map) if !map.is_empty() => write_entries(out, map, 0, false),
        Value::Array(items) if !items.is_empty() => write_items(out, items, 0, false),
        other => {
            write_inline(out, other, 0);
            out.push('\n');
        }
    }
}

/// A map's entries at `indent`; the first one continues the current line
/// when `inline` (after `- `).
fn write_entries(out: &mut String, map: &Map<String, Value>, indent: usize, inline: bool) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 || !inline {
            pad(out, indent);
        }
        write_scalar(out, key, indent, true);
        out.push(':');
        match value {
            Value::Object(m) if !m.is_empty() => {
                out.push('\n');
                write_entries(out, m, indent + 2, false);
            }
            // Sequences in a mapping are not indented.
            Value::Array(items) if !items.is_empty() => {
                out.push('\n');
                write_items(out, items, indent, false);
            }
            other => {
                out.push(' ');
                write_inline(out, other, indent + 2);
                out.push('\n');
            }
        }
    }
}

/// A sequence's items with their dashes at `indent`.
fn write_items(out: &mut String, items: &[Value], indent: usize, inline: bool) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !inline {
            pad(out, indent);
        }
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => write_entries(out, m, indent + 2, true),
            Value::Array(inner) if !inner.is_empty() => write_items(out, inner, indent + 2, true),
            other => {
                write_inline(out, other, indent + 2);
                out.push('\n');
            }
        }
    }
}

/// A value on the current line; block scalars continue at `indent`.
fn write_inline(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_scalar(out, s, indent, false),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::emit::yaml::scalar::{is_break, is_printable};
    use crate::emit::yaml::to_string;
    use crate::emit::yaml::yaml11::yaml11_typed;

    fn yaml(v: &serde_json::Value) -> String {
        let mut out = String::new();
        super::write(&mut out, v);
        out
    }

    /// Tricky strings as values, keys and list items.
    fn samples() -> Vec<&'static str> {
        vec![
            "",
            " ",
            "a",
            "-",
            "-c",
            "--port",
            "- x",
            "? x",
            "?x",
            ":",
            "a:b",
            "a: b",
            "a:",
            "a #b",
            "a#b",
            "#a",
            "@a",
            "`a",
            "%a",
            "!a",
            "&a",
            "*a",
            "|",
            ">",
            "'",
            "\"",
            "'a'",
            "it's",
            "a,b",
            "[a]",
            "{a}",
            "---",
            "...",
            "--- x",
            "~",
            "null",
            "Null",
            "true",
            "False",
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "n",
            "0",
            "1",
            "-1",
            "+1",
            "007",
            "-007",
            "0x1F",
            "0o17",
            "0b101",
            "1.5",
            "1e3",
            ".5",
            "5.",
            ".inf",
            "-.inf",
            ".nan",
            "inf",
            "nan",
            "1_000",
            "1_000.5",
            "12:30",
            "1:20",
            "1:20.5",
            "0x_1F",
            "2026-06-01",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14 21:59:43.10 -5",
            "=",
            "<<",
            " lead",
            "trail ",
            "tab\there",
            "a\nb",
            "a\nb\n",
            "a\n\nb\n\n",
            "\n",
            " a\nb",
            "a \nb",
            "a\n b",
            "x\r",
            "é",
            "日本",
            "\u{85}",
            "\u{feff}",
            "\u{7}",
            "back\\slash",
            "http://x:80/api",
            "C:\\path",
            "key=value",
            "500m",
            "1Gi",
            "3.4.25",
            "'1'",
        ]
    }

    #[test]
    fn serializing_directly_equals_writing_the_json_value() {
        for s in samples() {
            let value = json!({ s: [s, { s: s }, [], {}, [[s]]], "n": { "k": s, "i": -3, "f": 1.5, "b": true, "z": null } });
            assert_eq!(
                to_string(&value).expect("serialises"),
                yaml(&value),
                "{s:?}"
            );
        }
    }

    #[test]
    fn every_sample_reads_back_unchanged() {
        for s in samples() {
            let value = json!({ s: [s, { s: s }], "nested": { "k": s } });
            let text = yaml(&value);
            let back: serde_json::Value = serde_yaml::from_str(&text)
                .unwrap_or_else(|e| panic!("{s:?} gave invalid YAML {text:?}: {e}"));
            assert_eq!(back, value, "{s:?} as {text:?}");
        }
    }

    #[test]
    fn the_layout_is_serde_yaml_s() {
        let value = json!({
            "apiVersion": "v1",
            "metadata": { "name": "x", "labels": {}, "port": 4200, "on": true },
            "spec": {
                "list": [],
                "args": ["a", "yes", "two\nlines\n"],
                "ports": [{ "name": "http", "port": 80 }, { "x": { "y": 1 } }],
                "nested": [["a", "b"], []],
                "none": null,
            },
        });
        let ours = yaml(&value);
        let theirs = serde_yaml::to_string(&value).expect("serialises");
        // serde_yaml leaves `yes` and the keys `on` and `y` plain; everything
        // else matches.
        let theirs = theirs
            .replace("- yes", "- 'yes'")
            .replace("  on:", "  'on':")
            .replace(" y: 1", " 'y': 1");
        assert_eq!(ours, theirs);
    }

    #[test]
    fn every_sample_is_written_like_serde_yaml_or_safer() {
        for s in samples() {
            let value = json!({ "k": s, "l": [s] });
            let ours = yaml(&value);
            let theirs = serde_yaml::to_string(&value).expect("serialises");
            let yaml11 = yaml11_typed(s);
            // Characters serde_yaml sends through its single-quoted or folded
            // paths are double-quoted here: still the same string.
            let rare = s
                .chars()
                .any(|c| c != '\n' && (is_break(c) || !is_printable(c) || c == '\t'));
            if !yaml11 && !rare {
                assert_eq!(ours, theirs, "{s:?}");
            }
        }
    }
}
