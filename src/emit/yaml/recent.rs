//! The last texts a writer wrote, by key, the latest first: what the YAML
//! writer copies instead of writing again (a pool's long base job template,
//! `scalar.rs`; a value the objects share, `shared.rs`). Few are kept, so
//! a lookup is a short scan of memory the processor holds, not a table.

pub(super) struct Recent<K> {
    items: Vec<(K, String)>,
    most: usize,
}

impl<K> Recent<K> {
    /// At most `most` texts.
    pub(super) const fn new(most: usize) -> Self {
        Recent {
            items: Vec::new(),
            most,
        }
    }

    /// The text kept under the key `is` picks, made the latest.
    pub(super) fn find(&mut self, is: impl Fn(&K) -> bool) -> Option<&str> {
        let i = self.items.iter().position(|(k, _)| is(k))?;
        self.items[..=i].rotate_right(1);
        Some(&self.items[0].1)
    }

    /// `text` kept under `key`, the latest; with `most` kept, the oldest
    /// goes and its room holds this one.
    pub(super) fn keep(&mut self, key: K, text: &str) {
        let mut room = match self.items.len() < self.most {
            true => String::new(),
            false => self.items.pop().map(|(_, t)| t).unwrap_or_default(),
        };
        room.clear();
        room.push_str(text);
        self.items.insert(0, (key, room));
    }

    /// The keys kept, the latest first.
    #[cfg(test)]
    pub(super) fn keys(&self) -> impl Iterator<Item = &K> {
        self.items.iter().map(|(k, _)| k)
    }
}
