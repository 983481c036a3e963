//! Writes the Rust side of the standard library: the types of the site model
//! (`src/model/schema.rs`) and their conversion from checked values
//! (`src/check/convert/schema.rs`), both from the schemas in `stdlib/*.pfk`.
//!
//! The files are generated and committed, like rust-analyzer's `sourcegen`:
//! the test below regenerates them and fails when the committed ones differ,
//! so a schema and its Rust type cannot drift apart. After editing the
//! stdlib, run `UPDATE_SCHEMA=1 cargo test --lib generated_code` to rewrite
//! them.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::types::{EnumDef, Prim, SchemaDef, Type, Types, UnionDef, capitalise};
use crate::resolve::StdDecl;

const HEADER: &str = "// @generated from stdlib/*.pfk by src/check/generate.rs; do not edit.\n\
// Regenerate with `UPDATE_SCHEMA=1 cargo test --lib generated_code`.\n";

/// Rust keywords a kebab-case field name can collide with.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// `run-as-user` → `run_as_user`; `type` → `type_`.
pub fn field_ident(name: &str) -> String {
    let ident = name.replace('-', "_");
    if KEYWORDS.contains(&ident.as_str()) {
        format!("{ident}_")
    } else {
        ident
    }
}

/// `if-not-present` → `IfNotPresent`.
pub fn variant_ident(name: &str) -> String {
    name.split(['-', '.']).map(capitalise).collect()
}

/// The anonymous unions (`String | Secret`) met while rendering, by the
/// name their Rust enum gets.
type Alternatives = BTreeMap<String, Vec<Type>>;

/// The name of one alternative of an anonymous union, as a variant.
fn alternative_name(ty: &Type) -> String {
    match ty {
        Type::Prim(p) => p.name().to_string(),
        Type::Enum(n) | Type::Record(n) | Type::Union(n) => n.to_string(),
        Type::Ref(k) => capitalise(k.as_str()),
        Type::List(t) => format!("ListOf{}", alternative_name(t)),
        Type::Map(t) => format!("MapOf{}", alternative_name(t)),
        Type::Optional(t) => alternative_name(t),
        Type::Alt(ts) => alt_name(ts),
    }
}

/// `Ref<Pool> | String` → `PoolOrString`.
fn alt_name(ts: &[Type]) -> String {
    ts.iter()
        .map(alternative_name)
        .collect::<Vec<_>>()
        .join("Or")
}

fn prim_type(p: Prim) -> &'static str {
    match p {
        Prim::String
        | Prim::DnsName
        | Prim::Host
        | Prim::RouteHost
        | Prim::ObjectName
        | Prim::PortName
        | Prim::Registry
        | Prim::LabelKey
        | Prim::IpAddress
        | Prim::Image
        | Prim::Url
        | Prim::Version => "String",
        Prim::Int | Prim::Port => "i64",
        Prim::Bool => "bool",
        Prim::Cpu | Prim::Memory => "Quantity",
        Prim::Duration => "Millis",
        Prim::Percent => "u32",
        Prim::Secret => "SecretKeyRef",
        Prim::SecretName => "SecretName",
        Prim::ConfigMap => "ConfigMapKeyRef",
        Prim::ConfigMapName => "ConfigMapName",
    }
}

/// The Rust type of a value of `ty` (without the field's [`Located`]).
fn rust_type(ty: &Type, alts: &mut Alternatives) -> String {
    match ty {
        Type::Prim(p) => prim_type(*p).to_string(),
        Type::Enum(n) | Type::Record(n) | Type::Union(n) => n.to_string(),
        Type::Ref(k) => format!("{}Ref", capitalise(k.as_str())),
        Type::List(t) => format!("Vec<Located<{}>>", rust_type(t, alts)),
        Type::Map(t) => format!("IndexMap<String, Located<{}>>", rust_type(t, alts)),
        Type::Optional(t) => format!("Option<Located<{}>>", rust_type(t, alts)),
        Type::Alt(ts) => {
            for t in ts {
                rust_type(t, alts);
            }
            let name = alt_name(ts);
            alts.insert(name.clone(), ts.clone());
            name
        }
    }
}

/// A field holds `Option<Located<T>>` when the schema lets it be unset
/// (`T?`, with or without a default: `= none` unsets one); otherwise check
/// has filled it, from the source or the default, and it is `Located<T>`.
fn is_optional_field(ty: &Type) -> bool {
    ty.is_optional()
}

/// An optional record is boxed, `Option<Box<Located<T>>>`: most are left
/// unset, and inline each would cost its whole size in every component
/// (a worker's `affinity`, `autoscaling`, `dns-config`, `lifecycle` and its
/// init containers' `resources` were 1.7 KB of its 7.2 KB).
fn is_boxed_field(ty: &Type) -> bool {
    ty.is_optional() && matches!(ty.strip_optional(), Type::Record(_))
}

fn doc_lines(out: &mut String, doc: Option<&str>, indent: &str) {
    if let Some(doc) = doc {
        for line in doc.lines() {
            if line.trim().is_empty() {
                let _ = writeln!(out, "{indent}///");
            } else {
                let _ = writeln!(out, "{indent}/// {}", line.trim_end());
            }
        }
    }
}

fn record_type(out: &mut String, s: &SchemaDef, alts: &mut Alternatives) {
    doc_lines(out, s.doc.as_deref(), "");
    let _ = writeln!(out, "#[derive(Debug, Clone, PartialEq)]");
    let _ = writeln!(out, "pub struct {} {{", s.name);
    for f in s.fields.values() {
        doc_lines(out, f.doc.as_deref(), "    ");
        let inner = rust_type(f.ty.strip_optional(), alts);
        let ty = if is_boxed_field(&f.ty) {
            format!("Option<Box<Located<{inner}>>>")
        } else if is_optional_field(&f.ty) {
            format!("Option<Located<{inner}>>")
        } else {
            format!("Located<{inner}>")
        };
        let _ = writeln!(out, "    pub {}: {ty},", field_ident(f.name));
    }
    let _ = writeln!(out, "}}\n");
}

fn enum_type(out: &mut String, e: &EnumDef) {
    doc_lines(out, e.doc.as_deref(), "");
    let name = &e.name;
    let _ = writeln!(
        out,
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\npub enum {name} {{"
    );
    for (v, doc) in &e.variants {
        doc_lines(out, doc.as_deref(), "    ");
        let _ = writeln!(out, "    {},", variant_ident(v));
    }
    let _ = writeln!(out, "}}\n\nimpl {name} {{");
    let _ = writeln!(out, "    /// Every variant, in the stdlib's order.");
    let _ = write!(out, "    pub const ALL: &'static [{name}] = &[");
    for (v, _) in &e.variants {
        let _ = write!(out, "{name}::{}, ", variant_ident(v));
    }
    let _ = writeln!(out, "];\n");
    let _ = writeln!(out, "    /// The variant as written in `.pfk` source.");
    let _ = writeln!(
        out,
        "    pub fn as_str(self) -> &'static str {{\n        match self {{"
    );
    for (v, _) in &e.variants {
        let _ = writeln!(out, "            {name}::{} => \"{v}\",", variant_ident(v));
    }
    let _ = writeln!(out, "        }}\n    }}\n");
    let _ = writeln!(out, "    /// The variant written `text` in `.pfk` source.");
    let _ = writeln!(
        out,
        "    pub fn parse(text: &str) -> Option<{name}> {{\n        {name}::ALL.iter().copied().find(|v| v.as_str() == text)\n    }}\n}}\n"
    );
}

fn union_type(out: &mut String, u: &UnionDef, alts: &mut Alternatives) {
    doc_lines(out, u.doc.as_deref(), "");
    let name = &u.name;
    let _ = writeln!(
        out,
        "#[derive(Debug, Clone, PartialEq)]\npub enum {name} {{"
    );
    for (tag, doc, ty) in &u.variants {
        doc_lines(out, doc.as_deref(), "    ");
        let inner = rust_type(ty, alts);
        // A record variant is boxed: inline, the largest variant sets the
        // size of every value of the union, and a worker's `api`, most
        // often a `server` of the site (a name), held 344 bytes for the
        // fields of its record variants (3.4 MiB of 10,000 workers' peak
        // memory; `model::values::tests` holds `Api` and `Volume` small).
        let ty = if matches!(ty, Type::Record(_)) {
            format!("Box<{inner}>")
        } else {
            inner
        };
        let _ = writeln!(out, "    {}({ty}),", variant_ident(tag));
    }
    let _ = writeln!(out, "}}\n\nimpl {name} {{");
    let _ = writeln!(
        out,
        "    /// The variant's tag as written in `.pfk` source."
    );
    let _ = writeln!(
        out,
        "    pub fn tag(&self) -> &'static str {{\n        match self {{"
    );
    for (tag, _, _) in &u.variants {
        let _ = writeln!(
            out,
            "            {name}::{}(_) => \"{tag}\",",
            variant_ident(tag)
        );
    }
    let _ = writeln!(out, "        }}\n    }}\n}}\n");
}

fn alt_type(out: &mut String, name: &str, ts: &[Type]) {
    let display = ts.iter().map(Type::display).collect::<Vec<_>>().join(" | ");
    let _ = writeln!(
        out,
        "/// `{display}`: the first alternative the value fits."
    );
    let _ = writeln!(
        out,
        "#[derive(Debug, Clone, PartialEq)]\npub enum {name} {{"
    );
    for t in ts {
        let _ = writeln!(
            out,
            "    {}({}),",
            alternative_name(t),
            rust_type(t, &mut Alternatives::new())
        );
    }
    let _ = writeln!(out, "}}\n");
}

fn record_conversion(out: &mut String, s: &SchemaDef, alts: &mut Alternatives) {
    let name = &s.name;
    let (rec, fields) = if s.fields.is_empty() {
        ("_rec", "")
    } else {
        ("rec", "        let mut rec = Fields::of(rec);\n")
    };
    let _ = writeln!(
        out,
        "impl FromRec for {name} {{\n    fn from_rec({rec}: Rec) -> Result<{name}, Mismatch> {{\n{fields}        Ok({name} {{"
    );
    for f in s.fields.values() {
        rust_type(&f.ty, alts);
        let read = if is_optional_field(&f.ty) {
            "optional_field"
        } else {
            "field"
        };
        let _ = writeln!(
            out,
            "            {}: {read}(&mut rec, \"{}\")?,",
            field_ident(f.name),
            f.name
        );
    }
    let _ = writeln!(out, "        }})\n    }}\n}}\n");
    let _ = writeln!(
        out,
        "impl FromTyped for {name} {{\n    fn from_typed(t: Typed) -> Result<{name}, Mismatch> {{\n        {name}::from_rec(record(t, \"{name}\")?)\n    }}\n}}\n"
    );
}

fn enum_conversion(out: &mut String, e: &EnumDef) {
    let name = &e.name;
    let _ = writeln!(
        out,
        "impl FromTyped for {name} {{\n    fn from_typed(t: Typed) -> Result<{name}, Mismatch> {{\n        match &t.value {{\n            TVal::Enum(v) => {name}::parse(v).ok_or_else(|| Mismatch::new(\"{name}\", &t)),\n            _ => Err(Mismatch::new(\"{name}\", &t)),\n        }}\n    }}\n}}\n"
    );
}

fn union_conversion(out: &mut String, u: &UnionDef, alts: &mut Alternatives) {
    let name = &u.name;
    let _ = writeln!(
        out,
        "impl FromTyped for {name} {{\n    fn from_typed(t: Typed) -> Result<{name}, Mismatch> {{\n        match t.value {{"
    );
    for (tag, _, ty) in &u.variants {
        rust_type(ty, alts);
        let _ = writeln!(
            out,
            "            TVal::Variant {{ tag, value }} if tag == \"{tag}\" => Ok({name}::{}(FromTyped::from_typed(*value)?)),",
            variant_ident(tag)
        );
    }
    let _ = writeln!(
        out,
        "            other => Err(Mismatch::of(\"{name}\", &other)),\n        }}\n    }}\n}}\n"
    );
}

fn alt_conversion(out: &mut String, name: &str, ts: &[Type]) {
    let _ = writeln!(
        out,
        "impl FromTyped for {name} {{\n    fn from_typed(t: Typed) -> Result<{name}, Mismatch> {{"
    );
    // Each alternative is tried on a copy (a scalar, or a name): a
    // conversion that fails has consumed what it was given.
    for ty in ts {
        let _ = writeln!(
            out,
            "        if let Ok(v) = FromTyped::from_typed(t.clone()) {{\n            return Ok({name}::{}(v));\n        }}",
            alternative_name(ty)
        );
    }
    let _ = writeln!(
        out,
        "        Err(Mismatch::new(\"{name}\", &t))\n    }}\n}}\n"
    );
}

/// [`SameAfter`](crate::model::moved::SameAfter) and
/// [`MoveSpans`](crate::model::moved::MoveSpans) for a record: field by
/// field.
fn record_moved(out: &mut String, s: &SchemaDef) {
    let name = &s.name;
    if s.fields.is_empty() {
        let _ = writeln!(
            out,
            "impl SameAfter for {name} {{\n    fn same_after(&self, _: &Edits, _: &Self) -> bool {{\n        true\n    }}\n}}\n"
        );
        let _ = writeln!(
            out,
            "impl MoveSpans for {name} {{\n    fn move_spans(&mut self, _: &mut Mover) {{}}\n}}\n"
        );
        return;
    }
    let moves: String = s
        .fields
        .values()
        .map(|f| format!("        self.{}.move_spans(m);\n", field_ident(f.name)))
        .collect();
    let _ = writeln!(
        out,
        "impl MoveSpans for {name} {{\n    fn move_spans(&mut self, m: &mut Mover) {{\n{moves}    }}\n}}\n"
    );
    let fields: Vec<String> = s
        .fields
        .values()
        .map(|f| {
            let f = field_ident(f.name);
            format!("self.{f}.same_after(edits, &now.{f})")
        })
        .collect();
    let _ = writeln!(
        out,
        "impl SameAfter for {name} {{\n    fn same_after(&self, edits: &Edits, now: &Self) -> bool {{\n        {}\n    }}\n}}\n",
        fields.join("\n            && ")
    );
}

/// [`SameAfter`](crate::model::moved::SameAfter) for an enum of variants
/// with a value each: the same variant, and the same value.
fn variants_moved(out: &mut String, name: &str, variants: &[String]) {
    let _ = writeln!(
        out,
        "impl SameAfter for {name} {{\n    fn same_after(&self, edits: &Edits, now: &Self) -> bool {{\n        match self {{"
    );
    for v in variants {
        let _ = writeln!(
            out,
            "            {name}::{v}(a) => matches!(now, {name}::{v}(b) if a.same_after(edits, b)),"
        );
    }
    let _ = writeln!(out, "        }}\n    }}\n}}\n");
    let _ = writeln!(
        out,
        "impl MoveSpans for {name} {{\n    fn move_spans(&mut self, m: &mut Mover) {{\n        match self {{"
    );
    for v in variants {
        let _ = writeln!(out, "            {name}::{v}(a) => a.move_spans(m),");
    }
    let _ = writeln!(out, "        }}\n    }}\n}}\n");
}

/// One stdlib file's declarations, in their order.
struct StdFile {
    /// `worker` for `stdlib/worker.pfk`: the module name of its Rust side.
    module: String,
    declarations: Vec<String>,
}

/// The stdlib files and the names each declares.
fn std_files(decls: &[StdDecl]) -> Vec<StdFile> {
    let mut files: Vec<StdFile> = crate::STDLIB
        .iter()
        .map(|(path, _)| StdFile {
            module: path
                .trim_start_matches("<stdlib>/")
                .trim_end_matches(".pfk")
                .to_string(),
            declarations: Vec::new(),
        })
        .collect();
    for d in decls {
        let name = match d {
            StdDecl::Schema { name, .. }
            | StdDecl::Enum { name, .. }
            | StdDecl::Union { name, .. } => name,
        };
        // The stdlib's files take the ids 1, 2, … in every source map.
        let index = name
            .span
            .anchor
            .file()
            .and_then(|f| (f.0 as usize).checked_sub(1))
            .unwrap_or(usize::MAX);
        if let Some(file) = files.get_mut(index) {
            file.declarations.push(name.name.clone());
        }
    }
    files
}

/// The generated files, `(path, text)`: a module per stdlib file under
/// `src/model/schema/`, `src/check/convert/schema/` and
/// `src/model/moved/schema/`, and the anonymous unions in each `mod.rs`.
pub fn generated_files(types: &Types, decls: &[StdDecl]) -> Vec<(String, String)> {
    let mut alts = Alternatives::new();
    let mut out = Vec::new();
    let files = std_files(decls);
    for file in &files {
        let (mut model, mut convert, mut moved) = (String::new(), String::new(), String::new());
        let mut plain = Vec::new();
        for name in &file.declarations {
            if let Some(s) = types.schemas.get(name.as_str()) {
                record_type(&mut model, s, &mut alts);
                record_conversion(&mut convert, s, &mut alts);
                record_moved(&mut moved, s);
            } else if let Some(e) = types.enums.get(name.as_str()) {
                enum_type(&mut model, e);
                enum_conversion(&mut convert, e);
                plain.push(e.name);
            } else if let Some(u) = types.unions.get(name.as_str()) {
                union_type(&mut model, u, &mut alts);
                union_conversion(&mut convert, u, &mut alts);
                let variants: Vec<String> = u
                    .variants
                    .iter()
                    .map(|(tag, _, _)| variant_ident(tag))
                    .collect();
                variants_moved(&mut moved, u.name, &variants);
            }
        }
        let (by_value, plain) = if plain.is_empty() {
            ("", String::new())
        } else {
            (
                ", by_value, no_spans",
                format!("by_value!({0});\nno_spans!({0});\n\n", plain.join(", ")),
            )
        };
        let moved = format!(
            "{HEADER}//! [`SameAfter`] and [`MoveSpans`] for the types of `stdlib/{}.pfk`.\n\nuse super::super::{{MoveSpans, Mover, SameAfter{by_value}}};\nuse crate::model::schema::*;\nuse crate::source::Edits;\n\n{plain}{moved}",
            file.module
        );
        let index_map = if model.contains("IndexMap<") {
            "use crate::map::IndexMap;\n\n"
        } else {
            ""
        };
        let model = format!(
            "{HEADER}//! The types of `stdlib/{}.pfk`.\n\n{index_map}use super::*;\n\n{model}",
            file.module
        );
        let tree = if convert.contains("TVal::") {
            "Rec, TVal, Typed"
        } else {
            "Rec, Typed"
        };
        let readers: Vec<&str> = [
            ("Fields", "Fields::of"),
            ("FromRec", "impl FromRec"),
            ("FromTyped", "FromTyped"),
            ("Mismatch", "Mismatch"),
            ("field", " field(&mut rec"),
            ("optional_field", "optional_field(&mut rec"),
            ("record", "record(t"),
        ]
        .into_iter()
        .filter(|(_, used)| convert.contains(used))
        .map(|(name, _)| name)
        .collect();
        let readers = readers.join(", ");
        let convert = format!(
            "{HEADER}//! Reads checked values into the types of `stdlib/{}.pfk`.\n\nuse super::super::{{{readers}}};\nuse crate::check::model::{{{tree}}};\nuse crate::model::schema::*;\n\n{convert}",
            file.module
        );
        out.push((format!("src/model/schema/{}.rs", file.module), model));
        out.push((
            format!("src/check/convert/schema/{}.rs", file.module),
            convert,
        ));
        out.push((format!("src/model/moved/schema/{}.rs", file.module), moved));
    }
    let modules: String = files
        .iter()
        .map(|f| format!("mod {};\npub use {}::*;\n", f.module, f.module))
        .collect();
    let mut model = format!(
        "{HEADER}//! The Rust types of the stdlib's schemas, enums and unions, a module per\n//! stdlib file: one struct per schema, one enum per enum or union, and\n//! (here) one enum per anonymous union: `Ref<Pool> | String` is\n//! [`PoolOrString`]. A field that may be unset (`T?`) is\n//! `Option<Located<T>>` (`Option<Box<Located<T>>>` for a record); any other\n//! is `Located<T>`, its default filled in. A union's record variants are\n//! boxed.\n\n{modules}\npub use super::values::*;\n\n"
    );
    let mut convert = format!(
        "{HEADER}//! Reads checked values into the site model's types, field by field.\n\n{}\nuse super::{{FromTyped, Mismatch}};\nuse crate::check::model::Typed;\nuse crate::model::schema::*;\n\n",
        files
            .iter()
            .map(|f| format!("mod {};\n", f.module))
            .collect::<String>()
    );
    let mut moved = format!(
        "{HEADER}//! [`SameAfter`] and [`MoveSpans`] for the types of the stdlib's schemas,\n//! enums and unions, a module per stdlib file, and (here) for the\n//! anonymous unions.\n\n{}\nuse super::{{MoveSpans, Mover, SameAfter}};\nuse crate::model::schema::*;\nuse crate::source::Edits;\n\n",
        files
            .iter()
            .map(|f| format!("mod {};\n", f.module))
            .collect::<String>()
    );
    for (name, ts) in &alts {
        alt_type(&mut model, name, ts);
        alt_conversion(&mut convert, name, ts);
        let variants: Vec<String> = ts.iter().map(alternative_name).collect();
        variants_moved(&mut moved, name, &variants);
    }
    out.push(("src/model/moved/schema/mod.rs".to_string(), moved));
    out.push(("src/model/schema/mod.rs".to_string(), model));
    out.push(("src/check/convert/schema/mod.rs".to_string(), convert));
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::{Command, Stdio};

    /// rustfmt, so that the committed files pass `cargo fmt --check`.
    fn rustfmt(text: &str) -> String {
        use std::io::Write;
        let mut child = Command::new("rustfmt")
            .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("rustfmt is installed with the toolchain");
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(text.as_bytes())
            .expect("rustfmt reads its input");
        let out = child.wait_with_output().expect("rustfmt runs");
        assert!(
            out.status.success(),
            "rustfmt refused the generated code:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("rustfmt writes UTF-8")
    }

    #[test]
    fn generated_code_is_up_to_date() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let bless = std::env::var_os("UPDATE_SCHEMA").is_some();
        let mut stale = Vec::new();
        let std = crate::stdlib();
        for (path, text) in super::generated_files(&std.types, std.decls()) {
            let text = rustfmt(&text);
            let file = root.join(&path);
            if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
                if bless {
                    std::fs::write(&file, text).expect("the source tree is writable");
                } else {
                    stale.push(path);
                }
            }
        }
        assert!(
            stale.is_empty(),
            "{stale:?} differ from the stdlib; run `UPDATE_SCHEMA=1 cargo test --lib generated_code` and review the diff"
        );
    }
}
