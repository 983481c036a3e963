#![no_main]
//! `cargo +nightly fuzz run import`: see `prefectc_fuzz::props::import` for the property.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| prefectc_fuzz::props::import(data));
