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
        s.extend(iter);
        s
    }
}

impl<K: Ord> Extend<K> for Set<K> {
    fn extend<I: IntoIterator<Item = K>>(&mut self, iter: I) {
        for k in iter {
            self.insert(k);
        }
    }
}

/// Sorts `v` so that no element is `less` than the one before it (a heapsort).
///
/// The standard library's sorts compile to 2–4 KB of wasm for every element type and
/// comparison they are used with; this one to a few hundred bytes, and the lists sorted here
/// are short. It is not stable: callers sort by keys that are unique, or whole elements, so
/// every correct sort gives the same order (the determinism digests check it).
pub fn sort_by<T>(v: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    let len = v.len();
    // The first `len / 2` steps build a max-heap; then each step moves the largest
    // remaining element to the end and sifts the new root down.
    for i in (0..len + len / 2).rev() {
        let (mut node, end) = if i >= len {
            (i - len, len)
        } else {
            v.swap(0, i);
            (0, i)
        };
        loop {
            let mut child = 2 * node + 1;
            if child >= end {
                break;
            }
            if child + 1 < end && less(&v[child], &v[child + 1]) {
                child += 1;
            }
            if !less(&v[node], &v[child]) {
                break;
            }
            v.swap(node, child);
            node = child;
        }
    }
}

/// [`sort_by`] in the element's own order.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, |a, b| a < b);
}

// proptest is a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sort_matches_std(mut v in proptest::collection::vec(0u8..20, 0..200)) {
            let mut want = v.clone();
            want.sort_unstable();
            sort(&mut v);
            prop_assert_eq!(v, want);
        }

        #[test]
        fn sort_by_key_matches_std(v in proptest::collection::vec(any::<u16>(), 0..200)) {
            let mut got: Vec<(u16, usize)> = v.iter().copied().zip(0..).collect();
            let mut want = got.clone();
            want.sort_unstable_by_key(|&(k, i)| (k, i));
            sort_by(&mut got, |a, b| (a.0, a.1) < (b.0, b.1));
            prop_assert_eq!(got, want);
        }
    }
}
