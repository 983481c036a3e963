//! A part of the compiled standard library decoded on first use.
//!
//! `prefectc` reads the schemas it needs: a one-line site checks the `Site`
//! schema and the records it names, not the forty others, and decoding all
//! of them (their names, defaults and constraints, each a `String` copied
//! out of the binary) was two thirds of that build's instructions. So each
//! schema is written into the compiled form as a byte string of its own
//! (postcard) and decoded when it is first read. Built from the schema
//! files, it holds its value from the start.

use std::sync::OnceLock;

pub struct Lazy<T> {
    value: OnceLock<T>,
    /// The encoding of the value, borrowed from the binary.
    compiled: &'static [u8],
}

impl<T> Lazy<T> {
    pub fn new(value: T) -> Lazy<T> {
        Lazy {
            value: OnceLock::from(value),
            compiled: &[],
        }
    }

    /// Whether the value has been decoded (or was never compiled).
    pub fn is_decoded(&self) -> bool {
        self.value.get().is_some()
    }
}

impl<T: serde::Deserialize<'static>> std::ops::Deref for Lazy<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // The compiled form is written from these types and fingerprinted
        // with them (`src/stdlib.rs`): a binary that could not decode it
        // would not have read it. `compiled_stdlib_is_fresh` decodes every
        // part.
        self.value.get_or_init(|| {
            postcard::from_bytes(self.compiled)
                .expect("the compiled standard library matches the binary")
        })
    }
}

impl<T: Clone> Clone for Lazy<T> {
    fn clone(&self) -> Lazy<T> {
        Lazy {
            value: self.value.clone(),
            compiled: self.compiled,
        }
    }
}

impl<T: std::fmt::Debug + serde::Deserialize<'static>> std::fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl<T: serde::Serialize + serde::Deserialize<'static>> serde::Serialize for Lazy<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let bytes = postcard::to_stdvec(&**self).map_err(serde::ser::Error::custom)?;
        serializer.serialize_bytes(&bytes)
    }
}

/// Only from input that lives as long as the program (the embedded
/// compiled form): the bytes are borrowed and decoded when first read.
impl<'de: 'static, T> serde::Deserialize<'de> for Lazy<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Lazy<T>, D::Error> {
        let compiled: &'de [u8] = serde::Deserialize::deserialize(deserializer)?;
        Ok(Lazy {
            value: OnceLock::new(),
            compiled,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value written and read back is decoded when first read, and is
    /// the value written.
    #[test]
    fn a_compiled_value_is_decoded_when_first_read() {
        let value: Vec<(String, Option<u32>)> = vec![("a".into(), Some(3)), ("b".into(), None)];
        let written = postcard::to_stdvec(&Lazy::new(value.clone())).expect("serializes");
        let bytes: &'static [u8] = Box::leak(written.into_boxed_slice());
        let read: Lazy<Vec<(String, Option<u32>)>> = postcard::from_bytes(bytes).expect("reads");
        assert!(!read.is_decoded());
        assert_eq!(*read, value);
        assert!(read.is_decoded());
        assert_eq!(format!("{:?}", read.clone()), format!("{value:?}"));
    }
}
