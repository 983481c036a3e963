//! Three jobs.
//!
//! Writes the Prefect settings catalogue (`stdlib/prefect/*.tsv`) out as
//! Rust tables, `$OUT_DIR/catalogue.rs`, which `src/model/prefect/catalogue.rs`
//! includes: the files are read here with the module the tests read them
//! with (`src/model/prefect/tsv.rs`), so a build parses none of them.
//!
//! Fingerprints what `stdlib/compiled.bin` (the standard library parsed and
//! typed ahead of time, see `src/stdlib.rs`) is made from: the schema files
//! and the definitions of the types it holds. The binary uses the compiled
//! form only when its recorded fingerprint is this one, and parses the
//! schema files otherwise, so an edited stdlib is never read stale (the
//! unit test `compiled_stdlib_is_fresh` then asks for the file to be made
//! again: `UPDATE_STDLIB=1 cargo test --lib compiled_stdlib`).
//!
//! Hands the linker the order of the functions a small build runs when it
//! links the shipped binary (`hot_functions` below).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

#[allow(dead_code)]
#[path = "src/model/prefect/version.rs"]
mod version;

#[allow(dead_code)]
#[path = "src/model/prefect/tsv.rs"]
mod tsv;

use version::{Line, Version};

/// The Rust files that define the serialized types, and how a part decoded
/// on first use is written. (How `src/stdlib.rs` frames the parts is named
/// by the version in its header, not fingerprinted: that file holds tests
/// too, and a fingerprint that changes with them goes stale on every edit.)
const TYPES: &[&str] = &[
    "src/check/lazy.rs",
    "src/syntax/ast.rs",
    "src/resolve/tree.rs",
    "src/check/types.rs",
    "src/source.rs",
    "src/model/kind.rs",
];

fn main() {
    catalogue();
    fingerprint();
    hot_functions();
}

/// Has the linker lay out first the functions a small build runs
/// (`benches/hot-functions.txt`, made by `benches/hot_functions.py`) when it
/// links the shipped binary, `cargo release-static`: the production
/// example then pages in 2.9 instead of 5.3 MB of code (docs/performance.md,
/// "The code a build runs, laid out together"). Only there: the list names
/// functions by their mangled names, whose hashes differ between that build
/// and the default one, and that build is linked by the toolchain's own lld
/// (rustc's default for this target), which reads the list. A listed name
/// the binary lacks is skipped, so a stale list costs speed only.
fn hot_functions() {
    const LIST: &str = "benches/hot-functions.txt";
    println!("cargo::rerun-if-changed={LIST}");
    let var = |name| std::env::var(name).unwrap_or_default();
    let shipped = var("PROFILE") == "release"
        && var("TARGET") == "x86_64-unknown-linux-gnu"
        && var("CARGO_CFG_TARGET_FEATURE")
            .split(',')
            .any(|f| f == "crt-static");
    if shipped && Path::new(LIST).exists() {
        let list = Path::new(&var("CARGO_MANIFEST_DIR")).join(LIST);
        println!(
            "cargo::rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
            list.display()
        );
    }
}

/// `$OUT_DIR/catalogue.rs`: `CATALOGUES`, one per release line's file,
/// oldest first, and `INTEGRATIONS`.
fn catalogue() {
    println!("cargo::rerun-if-changed=src/model/prefect/tsv.rs");
    println!("cargo::rerun-if-changed=src/model/prefect/version.rs");
    let mut lines: Vec<(Line, String)> = Vec::new();
    let mut integrations = None;
    for entry in fs::read_dir("stdlib/prefect").expect("the stdlib/prefect directory") {
        let path = entry.expect("a directory entry").path();
        let Some(stem) = path
            .file_name()
            .and_then(|n| n.to_str()?.strip_suffix(".tsv"))
        else {
            continue;
        };
        println!("cargo::rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        match Line::parse(stem) {
            Some(line) => lines.push((line, text)),
            None if stem == "integrations" => integrations = Some(text),
            None => panic!("{}: not a release line's file", path.display()),
        }
    }
    lines.sort_by_key(|(line, _)| *line);
    let mut out = String::from("// Written by build.rs from stdlib/prefect/*.tsv.\n\n");
    let _ = writeln!(out, "static CATALOGUES: [Catalogue; {}] = [", lines.len());
    for (line, text) in lines {
        table(&mut out, Some(line), text);
        out.push_str(",\n");
    }
    out.push_str("];\n\nstatic INTEGRATIONS: Catalogue = ");
    table(
        &mut out,
        None,
        integrations.expect("stdlib/prefect/integrations.tsv"),
    );
    out.push_str(";\n");
    let dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&dir).join("catalogue.rs"), out).expect("writing catalogue.rs");
}

/// One `Catalogue { … }`, its rows as [`tsv::read`] reads them, packed
/// ([`tsv::pack`]): no pointers for the loader to relocate.
fn table(out: &mut String, line: Option<Line>, text: String) {
    let read = tsv::read(line, text.leak());
    let packed = tsv::pack(&read.rows);
    let version = |v: Version| format!("Version::new({}, {}, {})", v.major, v.minor, v.patch);
    let optional = |v: Option<String>| v.map_or("None".to_string(), |v| format!("Some({v})"));
    let range = |(start, end): (u32, u32)| format!("({start}, {end})");
    let mut rows = String::new();
    for (r, (name, replacement)) in read.rows.iter().zip(packed.ranges) {
        let _ = writeln!(
            rows,
            "        Packed {{ name: {}, status: Status::{:?}, replacement: {}, since: {}, until: {} }},",
            range(name),
            r.status,
            optional(replacement.map(range)),
            version(r.since),
            optional(r.until.map(version)),
        );
    }
    let line = line.map(|l| format!("Line {{ major: {}, minor: {} }}", l.major, l.minor));
    let _ = write!(
        out,
        "Catalogue {{\n    line: {},\n    dumped_from: {},\n    text: {:?},\n    rows: &[\n{rows}    ],\n}}",
        optional(line),
        optional(read.dumped_from.map(version)),
        packed.text,
    );
}

/// `PREFECTC_STDLIB_FINGERPRINT`: what the compiled stdlib is made from.
fn fingerprint() {
    let mut inputs: Vec<String> = fs::read_dir("stdlib")
        .expect("the stdlib directory")
        .filter_map(|e| Some(e.ok()?.path().to_str()?.to_string()))
        .filter(|p| p.ends_with(".pfk"))
        .collect();
    inputs.sort();
    inputs.extend(TYPES.iter().map(|t| t.to_string()));
    // FNV-1a over each file's name and bytes: stable across Rust releases
    // and machines, unlike std's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for path in &inputs {
        println!("cargo::rerun-if-changed={path}");
        let bytes = fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for b in path.bytes().chain([0]).chain(bytes) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo::rerun-if-changed=stdlib");
    println!("cargo::rustc-env=PREFECTC_STDLIB_FINGERPRINT={hash:016x}");
}
