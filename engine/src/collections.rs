//! The maps and sets the simulation keeps its state in: sorted vectors (ICU4X's `litemap`).
//!
//! They iterate in key order like `BTreeMap` (determinism needs that) but compile to far
//! less code per key type, which keeps the page's wasm small; the maps here are small
//! (brokers, partitions of a broker, requests in flight), so their linear inserts cost
//! nothing that matters.

/// A map ordered by key.
pub type Map<K, V> = litemap::LiteMap<K, V>;

/// A set ordered by value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Set<K>(Map<K, ()>);

impl<K> Default for Set<K> {
    fn default() -> Self {
        Set(Map::new())
    }
}

impl<K: Ord> Set<K> {
    /// An empty set.
    pub fn new() -> Set<K> {
        Set(Map::new())
    }

    /// Adds `k`; returns whether it was new.
    pub fn insert(&mut self, k: K) -> bool {
        self.0.insert(k, ()).is_none()
    }

    /// Removes `k`; returns whether it was there.
    pub fn remove(&mut self, k: &K) -> bool {
        self.0.remove(k).is_some()
    }

    /// Whether `k` is in the set.
    pub fn contains(&self, k: &K) -> bool {
        self.0.contains_key(k)
    }

    /// The members, in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &K> {
        self.0.keys()
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Removes every member.
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

impl<K: Ord> FromIterator<K> for Set<K> {
    fn from_iter<I: IntoIterator<Item = K>>(iter: I) -> Self {
        let mut s = Set::new();
        for k in iter {
            s.insert(k);
        }
        s
    }
}
