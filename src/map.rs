//! The maps and sets the stages keep. Insertion-ordered (`indexmap`), so
//! what is emitted follows what was written, whatever the hashes; hashed
//! with foldhash instead of the standard SipHash, whose cost per short key
//! (a field name, a label) was 4 % of a large build's instructions. Its
//! `RandomState` is seeded per process, as the standard one is (minimal
//! resistance to keys chosen to collide), and the output never depends on
//! it: nothing iterates a hash order.

pub type IndexMap<K, V> = indexmap::IndexMap<K, V, foldhash::fast::RandomState>;
pub type IndexSet<T> = indexmap::IndexSet<T, foldhash::fast::RandomState>;
