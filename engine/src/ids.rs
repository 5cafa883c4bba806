//! Identifiers and simulated time, as newtypes with one `Display` each.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A broker's `node.id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BrokerId(pub u32);

impl fmt::Display for BrokerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A partition number within a topic (`orders-2` has partition 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PartitionId(pub u32);

impl fmt::Display for PartitionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A record's position in a partition's log.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Offset(pub u64);

impl Offset {
    /// The offset `n` records further on.
    pub fn plus(self, n: u64) -> Offset {
        Offset(self.0 + n)
    }
}

impl fmt::Display for Offset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Bumped by the controller on every leader change of a partition (KIP-101).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct LeaderEpoch(pub u32);

impl fmt::Display for LeaderEpoch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A point in simulated time, in milliseconds since the simulation started.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct SimTime(pub u64);

impl SimTime {
    /// The time `d` later, saturating rather than overflowing.
    pub fn after(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }

    /// How long since `earlier` (zero if `earlier` is later).
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ms", self.0)
    }
}

/// A span of simulated time in milliseconds.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct SimDuration(pub u64);

impl SimDuration {
    /// A duration of `ms` milliseconds.
    pub const fn ms(ms: u64) -> SimDuration {
        SimDuration(ms)
    }
}

impl fmt::Display for SimDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ms", self.0)
    }
}

/// A topic partition, displayed and parsed as Kafka prints it: `"orders-3"`.
///
/// Parsing splits at the **last** `-`, so topic names may contain dashes (`"my-topic-0"` is
/// partition 0 of `my-topic`). Serialized as that string.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct TopicPartition {
    /// The topic's name.
    pub topic: Arc<str>,
    /// The partition number within the topic.
    pub partition: u32,
}

impl TopicPartition {
    /// Partition `partition` of `topic`.
    pub fn new(topic: impl Into<Arc<str>>, partition: u32) -> TopicPartition {
        TopicPartition {
            topic: topic.into(),
            partition,
        }
    }
}

impl fmt::Display for TopicPartition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

/// Why a string is not a `"topic-partition"`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a topic partition like \"orders-3\": {reason}")]
pub struct ParseTopicPartitionError {
    /// The text that failed to parse.
    pub text: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl FromStr for TopicPartition {
    type Err = ParseTopicPartitionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let fail = |reason| ParseTopicPartitionError {
            text: s.to_string(),
            reason,
        };
        let (topic, number) = s.rsplit_once('-').ok_or_else(|| fail("no '-'"))?;
        if topic.is_empty() {
            return Err(fail("empty topic name"));
        }
        let canonical = !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
            && (number == "0" || !number.starts_with('0'));
        if !canonical {
            return Err(fail(
                "the partition is not a number written without leading zeros",
            ));
        }
        let partition = number
            .parse::<u32>()
            .map_err(|_| fail("the partition number is too large"))?;
        Ok(TopicPartition::new(topic, partition))
    }
}

impl TryFrom<String> for TopicPartition {
    type Error = ParseTopicPartitionError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<TopicPartition> for String {
    fn from(tp: TopicPartition) -> String {
        tp.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_partition_splits_at_the_last_dash() {
        let tp: TopicPartition = "my-topic-12".parse().expect("valid");
        assert_eq!(tp, TopicPartition::new("my-topic", 12));
        assert_eq!(tp.to_string(), "my-topic-12");
    }

    #[test]
    fn topic_partition_rejects_malformed_text() {
        for bad in ["topic", "-3", "t-", "t-x", "t-+3", "t-03", "t-99999999999"] {
            assert!(
                bad.parse::<TopicPartition>().is_err(),
                "{bad} should not parse"
            );
        }
        assert_eq!(
            "t-0".parse::<TopicPartition>(),
            Ok(TopicPartition::new("t", 0))
        );
    }

    #[test]
    fn topic_partition_serializes_as_its_string() {
        let tp = TopicPartition::new("orders", 3);
        let json = serde_json::to_string(&tp).expect("serializes");
        assert_eq!(json, "\"orders-3\"");
        let back: TopicPartition = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, tp);
        assert!(serde_json::from_str::<TopicPartition>("\"orders\"").is_err());
    }
}
