//! A block-style YAML serializer for Kubernetes objects. It writes what
//! serde_yaml (libyaml) writes for the same value —
//! the same layout, the same choice between plain, quoted and literal
//! scalars — about ten times faster, and it quotes every string a YAML 1.1
//! reader such as Kubernetes' would take for something else (booleans such
//! as `yes` and `on`, `1_000`, `0x1F`, `1:20`, `2001-12-14`, `<<`, …; see
//! [`yaml11_typed`](yaml11::yaml11_typed)), which a YAML 1.2 emitter leaves plain.

// The test-only reference writer matches JSON values by shape.
#![cfg_attr(test, allow(clippy::wildcard_enum_match_arm))]

mod recent;
#[cfg(test)]
mod reference;
mod scalar;
mod ser;
pub mod shared;
mod yaml11;

pub use ser::{to_string, write};

fn pad(out: &mut String, indent: usize) {
    // One copy for the usual depth instead of a push per space.
    const SPACES: &str = "                                                                ";
    match SPACES.get(..indent) {
        Some(spaces) => out.push_str(spaces),
        None => out.extend(std::iter::repeat_n(' ', indent)),
    }
}

#[cfg(test)]
mod tests {
    /// Indentation is that many spaces, deeper than the copied run too.
    #[test]
    fn pad_writes_indent_spaces() {
        for indent in [0, 1, 2, 63, 64, 65, 200] {
            let mut out = String::from("x");
            super::pad(&mut out, indent);
            assert_eq!(out, format!("x{}", " ".repeat(indent)));
        }
    }
}
