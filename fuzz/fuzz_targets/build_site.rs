#![no_main]
//! `cargo +nightly fuzz run build_site`: see `prefectc_fuzz::props::build` for the property.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| prefectc_fuzz::props::build(data));
