//! The properties the fuzz targets check. They live in `props.rs` so that
//! `tests/fuzz_replay.rs` of the main crate can include the same file and
//! replay the corpus and every past crash on stable, without libFuzzer.

pub mod props;
