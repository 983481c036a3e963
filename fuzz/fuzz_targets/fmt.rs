#![no_main]
//! `cargo +nightly fuzz run fmt`: see `prefectc_fuzz::props::fmt` for the property.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| prefectc_fuzz::props::fmt(data));
