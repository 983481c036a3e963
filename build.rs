//! Fingerprints what `stdlib/compiled.bin` (the standard library parsed and
//! typed ahead of time, see `src/stdlib.rs`) is made from: the schema files
//! and the definitions of the types it holds. The binary uses the compiled
//! form only when its recorded fingerprint is this one, and parses the
//! schema files otherwise, so an edited stdlib is never read stale (the
//! unit test `compiled_stdlib_is_fresh` then asks for the file to be made
//! again: `UPDATE_STDLIB=1 cargo test --lib compiled_stdlib`).

use std::fs;

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
