//! The maps and sets the stages keep. Insertion-ordered (`indexmap`), so
//! what is emitted follows what was written, whatever the hashes; hashed
//! with foldhash instead of the standard SipHash, whose cost per short key
//! (a field name, a label) was 4 % of a large build's instructions. Its
//! `RandomState` is seeded per process, as the standard one is (minimal
//! resistance to keys chosen to collide), and the output never depends on
//! it: nothing iterates a hash order.

pub type IndexMap<K, V> = indexmap::IndexMap<K, V, foldhash::fast::RandomState>;
pub type IndexSet<T> = indexmap::IndexSet<T, foldhash::fast::RandomState>;
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

/// Items indexed by a name once, for lookups that would otherwise scan
/// all of them: a scan per component is quadratic in a site's size (at
/// 10,000 workers, a tenth of a build). Several items of one name (a
/// clash, reported elsewhere) are all kept, in their order.
pub struct ByName<'a, T> {
    all: &'a [T],
    /// The first item of each name.
    first: HashMap<&'a str, usize>,
    /// The next item of the same name after each item.
    next: Vec<Option<usize>>,
}

impl<'a, T> ByName<'a, T> {
    pub fn new(all: &'a [T], name: impl Fn(&'a T) -> &'a str) -> ByName<'a, T> {
        let mut first = HashMap::default();
        let mut next = vec![None; all.len()];
        for (i, item) in all.iter().enumerate().rev() {
            next[i] = first.insert(name(item), i);
        }
        ByName { all, first, next }
    }

    /// Every item, in their order.
    pub fn all(&self) -> &'a [T] {
        self.all
    }

    /// The items named `name`, in their order.
    pub fn named(&self, name: &str) -> impl Iterator<Item = &'a T> + '_ {
        let all = self.all;
        std::iter::successors(self.first.get(name).copied(), |&i| self.next[i])
            .map(move |i| &all[i])
    }

    /// The first item named `name`.
    pub fn first(&self, name: &str) -> Option<&'a T> {
        self.first.get(name).map(|&i| &self.all[i])
    }
}

/// Results kept from one build for the next of the same site (the
/// language server's): those the last build used, and those this build
/// has used so far. A build begins with [`Generations::begin`]; what the
/// last build held and this one did not use is dropped when the next one
/// begins, so what is held never outgrows two builds.
pub struct Generations<K, V> {
    last: std::cell::RefCell<HashMap<K, V>>,
    now: std::cell::RefCell<HashMap<K, V>>,
}

impl<K, V> Default for Generations<K, V> {
    fn default() -> Self {
        Generations {
            last: std::cell::RefCell::default(),
            now: std::cell::RefCell::default(),
        }
    }
}

impl<K: Eq + std::hash::Hash + Clone, V: Clone> Generations<K, V> {
    /// A build begins: what the last one used may be used again. The
    /// map the build fills is the one before's, emptied: its room is kept,
    /// so a build of thousands of entries does not grow a map from nothing
    /// (rehashing it at each doubling).
    pub fn begin(&self) {
        let mut last = self.last.borrow_mut();
        let mut now = self.now.borrow_mut();
        std::mem::swap(&mut *last, &mut *now);
        now.clear();
    }

    /// Nothing the last build held may be used again.
    pub fn forget_last(&self) {
        self.last.borrow_mut().clear();
    }

    /// The value of `key` this build or the last one used, else `make`'s;
    /// held for the next build.
    pub fn get_or(&self, key: &K, make: impl FnOnce() -> V) -> V {
        if let Some(v) = self.now.borrow().get(key) {
            return v.clone();
        }
        let v = self.take_last(key).unwrap_or_else(make);
        self.keep(key.clone(), v.clone());
        v
    }

    /// The value of `key` the last build used, taken out: [`Self::keep`]
    /// it if this build uses it.
    pub fn take_last(&self, key: &K) -> Option<V> {
        self.last.borrow_mut().remove(key)
    }

    /// `value` used by this build, held for the next.
    pub fn keep(&self, key: K, value: V) {
        self.last.borrow_mut().remove(&key);
        self.now.borrow_mut().insert(key, value);
    }

    /// The value of `key` this build or the last one used, left where it is.
    pub fn peek(&self, key: &K) -> Option<V> {
        let now = self.now.borrow().get(key).cloned();
        now.or_else(|| self.last.borrow().get(key).cloned())
    }

    /// How many values are held: the last build's and this one's.
    pub fn held(&self) -> usize {
        self.last.borrow().len() + self.now.borrow().len()
    }
}

#[cfg(test)]
mod tests {
    use super::ByName;

    /// What a scan of all items would find: the first of a name, and all
    /// of a name in their order.
    #[test]
    fn finds_what_a_scan_finds() {
        let items = [("a", 0), ("b", 1), ("a", 2), ("c", 3), ("a", 4)];
        let index = ByName::new(&items, |(n, _)| n);
        for name in ["a", "b", "c", "d", ""] {
            let scanned: Vec<_> = items.iter().filter(|(n, _)| *n == name).collect();
            assert_eq!(index.named(name).collect::<Vec<_>>(), scanned, "{name}");
            assert_eq!(index.first(name), scanned.first().copied(), "{name}");
        }
        assert_eq!(index.all().len(), 5);
    }
}
