#![no_main]
//! `cargo +nightly fuzz run lsp`: see `prefectc_fuzz::props::lsp` for the property.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| prefectc_fuzz::props::lsp(data));
