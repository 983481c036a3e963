//! Values shared by many objects, written once: a value serialised as a
//! newtype struct named [`crate::lower::k8s::SHARED`] is written the
//! first time it is met at a place, and copied from that writing each time
//! after, while [`scope`] runs. The objects of a site share such values
//! through an `Arc` (a worker's labels in each of its objects, one security
//! context in each of its containers, the API-access volume in every pod),
//! and they are the same at the same place, so what is written is the
//! same too.
//!
//! A value is known by its address. Inside one [`scope`], the objects
//! written are borrowed and none changes, so no other value can be at the
//! address of one written before. Outside a scope nothing is kept. Every
//! other serializer (JSON, the credential screen) sees the newtype as the
//! value itself.

use std::cell::RefCell;

use super::recent::Recent;

pub(super) use crate::lower::k8s::SHARED as NAME;

/// Where a value is written, as the writer tells it: the same place
/// gives the same text for the same value.
pub(super) type Place = (u8, usize);

/// A value's address and type, and where it was written.
type Key = (usize, &'static str, Place);

/// How many writings are kept: the last ones. A value mostly meets
/// itself again close by (a container's security context in the next
/// container, the Roles' rules in the next Role, the API-access volume in
/// the next pod). A worker's labels are met again a kind of objects later
/// (the objects are sorted by kind): every writing kept, 10,000 workers
/// held 5.7 MB more at the peak for 2 % fewer instructions.
const RECENT: usize = 16;

thread_local! {
    /// The last writings, while a scope runs.
    static WRITTEN: RefCell<Option<Recent<Key>>> = const { RefCell::new(None) };
}

/// Runs `f`, in which shared values are written once per place. The
/// values written must not change nor be dropped before `f` returns.
pub fn scope<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(Option<Recent<Key>>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let before = self.0.take();
            WRITTEN.with_borrow_mut(|w| *w = before);
        }
    }
    let before = WRITTEN.with_borrow_mut(|w| w.replace(Recent::new(RECENT)));
    let _reset = Reset(before);
    f()
}

/// Writes `value` at `at` into `out` with `write`, or copies what was
/// written for it there lately.
pub(super) fn write<T: ?Sized, E>(
    value: &T,
    at: Place,
    out: &mut String,
    write: impl FnOnce(&mut String) -> Result<(), E>,
) -> Result<(), E> {
    let key = (
        std::ptr::from_ref(value).cast::<()>() as usize,
        std::any::type_name::<T>(),
        at,
    );
    let found = WRITTEN.with_borrow_mut(|w| {
        w.as_mut().map(|w| match w.find(|k| *k == key) {
            Some(text) => {
                out.push_str(text);
                true
            }
            None => false,
        })
    });
    match found {
        None => write(out),
        Some(true) => Ok(()),
        Some(false) => {
            let start = out.len();
            write(out)?;
            WRITTEN.with_borrow_mut(|w| {
                if let Some(w) = w {
                    w.keep(key, &out[start..]);
                }
            });
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde::Serialize;

    use crate::lower::k8s::shared;

    #[derive(Serialize)]
    struct Inner {
        a: &'static str,
        list: Vec<&'static str>,
    }

    #[derive(Serialize)]
    struct Item {
        #[serde(serialize_with = "shared")]
        inner: Arc<Inner>,
        n: u32,
    }

    /// A shared value as a sequence's item.
    #[derive(Serialize)]
    struct Bare(#[serde(serialize_with = "shared")] Arc<Inner>);

    /// One shared value at the top of a document, as a mapping's value at
    /// two depths and as a sequence item.
    #[derive(Serialize)]
    struct Outer {
        #[serde(serialize_with = "shared")]
        top: Arc<Inner>,
        items: Vec<Item>,
        nested: Vec<Vec<Item>>,
        bare: Vec<Bare>,
    }

    fn outer(inner: &Arc<Inner>, other: &Arc<Inner>) -> Outer {
        let item = |i: &Arc<Inner>, n| Item {
            inner: Arc::clone(i),
            n,
        };
        Outer {
            top: Arc::clone(inner),
            items: vec![item(inner, 1), item(other, 2), item(inner, 3)],
            nested: vec![vec![item(inner, 4)], vec![]],
            bare: vec![Bare(Arc::clone(other)), Bare(Arc::clone(inner))],
        }
    }

    /// What a scope writes is what is written without one, the value
    /// written at each place as it is written there, whichever was
    /// written first; and a scope keeps nothing once it is over.
    #[test]
    fn a_shared_value_is_written_as_at_its_place() {
        let inner = Arc::new(Inner {
            a: "x: y",
            list: vec!["1", "yes"],
        });
        let other = Arc::new(Inner {
            a: "z",
            list: Vec::new(),
        });
        let documents = [outer(&inner, &other), outer(&other, &inner)];
        let alone: Vec<String> = documents
            .iter()
            .map(|d| super::super::to_string(d).unwrap())
            .collect();
        let (scoped, held) = super::scope(|| {
            let texts: Vec<String> = documents
                .iter()
                .map(|d| super::super::to_string(d).unwrap())
                .collect();
            (
                texts,
                super::WRITTEN.with_borrow(|w| w.as_ref().map(|w| w.keys().count())),
            )
        });
        assert_eq!(scoped, alone);
        // Two values, each at the top, as a mapping's value at two depths
        // and as an item: the writings were kept and copied.
        assert_eq!(held, Some(8));
        assert!(super::WRITTEN.with_borrow(Option::is_none));
        assert!(alone[0].contains("top:\n  a: 'x: y'\n  list:\n  - '1'\n  - 'yes'\n"));
    }

    /// More values in turn than the writings kept: each is written as
    /// without a scope, whether copied or written again (the room of the
    /// oldest writing is reused), and only the last [`super::RECENT`] are
    /// held.
    #[test]
    fn more_values_than_kept_are_each_written_as_they_are() {
        let values: Vec<Arc<Inner>> = (0..=super::RECENT)
            .map(|i| {
                Arc::new(Inner {
                    a: ["short", "a longer text than the others"][i % 2],
                    list: vec!["x"; i],
                })
            })
            .collect();
        let items: Vec<Bare> = values
            .iter()
            .chain(values.iter().rev())
            .chain(values.iter())
            .map(|v| Bare(Arc::clone(v)))
            .collect();
        let alone = super::super::to_string(&items).unwrap();
        let (scoped, held) = super::scope(|| {
            let text = super::super::to_string(&items).unwrap();
            (
                text,
                super::WRITTEN.with_borrow(|w| w.as_ref().map(|w| w.keys().count())),
            )
        });
        assert_eq!(scoped, alone);
        assert_eq!(held, Some(super::RECENT));
    }
}
