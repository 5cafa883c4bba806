//! The few pieces of Java's standard library whose exact behaviour decides Kafka's assignments:
//! `String.hashCode`, `String.compareTo` and Kafka's `TopicPartition.hashCode`.
//!
//! Java strings are sequences of UTF-16 code units, so both functions work on `encode_utf16()`:
//! for text outside the Basic Multilingual Plane that order differs from Rust's `str` order.

use std::cmp::Ordering;

use super::java_hashmap::JavaKey;

/// `java.lang.String.hashCode`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 code units, in
/// wrapping 32-bit arithmetic.
pub(crate) fn string_hash_code(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

/// `java.lang.String.compareTo`: lexicographic over UTF-16 code units, a proper prefix first.
pub(crate) fn string_compare(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Kafka's `TopicPartition.hashCode` (`clients/.../common/TopicPartition.java`):
/// `31 * (31 + partition) + topic.hashCode()`, wrapping.
pub(crate) fn topic_partition_hash_code(topic_hash: i32, partition: i32) -> i32 {
    31i32
        .wrapping_mul(31i32.wrapping_add(partition))
        .wrapping_add(topic_hash)
}

/// A `java.lang.String` key of an emulated `HashMap`: hashed and compared as Java does.
#[derive(Clone, Copy, Debug)]
pub(crate) struct JavaString<'a> {
    text: &'a str,
    hash: i32,
}

impl<'a> JavaString<'a> {
    /// Wraps `text`, computing its `hashCode` once.
    pub(crate) fn new(text: &'a str) -> JavaString<'a> {
        JavaString {
            text,
            hash: string_hash_code(text),
        }
    }

    /// The wrapped text.
    pub(crate) fn text(self) -> &'a str {
        self.text
    }
}

impl PartialEq for JavaString<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for JavaString<'_> {}

impl JavaKey for JavaString<'_> {
    fn java_hash_code(&self) -> i32 {
        self.hash
    }

    fn java_compare_to(&self, other: &Self) -> Option<Ordering> {
        // String implements Comparable, so tree bins order colliding strings by compareTo.
        Some(string_compare(self.text, other.text))
    }

    fn identity_tie_break(&self, other: &Self) -> Ordering {
        // Only reached for equal strings, which a map never holds twice.
        string_compare(self.text, other.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_hash_code_matches_java() {
        // Values printed by `"...".hashCode()` on OpenJDK 17.
        assert_eq!(string_hash_code(""), 0);
        assert_eq!(string_hash_code("a"), 97);
        assert_eq!(string_hash_code("consumer1"), -421_004_549);
        assert_eq!(string_hash_code("topic"), 110_546_223);
        assert_eq!(string_hash_code("Aa"), string_hash_code("BB"));
    }

    #[test]
    fn string_hash_code_uses_utf16_code_units() {
        // U+1F600 is the surrogate pair D83D DE00 in UTF-16.
        let expected = 0xD83Di32.wrapping_mul(31).wrapping_add(0xDE00);
        assert_eq!(string_hash_code("\u{1F600}"), expected);
    }

    #[test]
    fn string_compare_orders_by_utf16_not_by_code_point() {
        // U+FF5E (one unit, 0xFF5E) sorts after U+1F600 (first unit 0xD83D) in Java,
        // while Rust's str order (by code point) puts it first.
        assert_eq!(string_compare("\u{FF5E}", "\u{1F600}"), Ordering::Greater);
        assert_eq!("\u{FF5E}".cmp("\u{1F600}"), Ordering::Less);
        assert_eq!(string_compare("consumer", "consumer1"), Ordering::Less);
        assert_eq!(string_compare("B", "a"), Ordering::Less);
    }

    #[test]
    fn topic_partition_hash_code_matches_kafka() {
        // new TopicPartition("topic", 2).hashCode() on OpenJDK 17.
        assert_eq!(
            topic_partition_hash_code(string_hash_code("topic"), 2),
            31 * 33 + 110_546_223
        );
    }
}
