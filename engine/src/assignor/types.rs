//! The assignors' public data: names, topic partitions, the input a group leader sees and the
//! assignment it hands back.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ids::TopicPartition;

/// One of Kafka's four consumer partition assignors (`partition.assignment.strategy`).
///
/// Serialized with Kafka's own names: `"range"`, `"roundrobin"`, `"sticky"`,
/// `"cooperative-sticky"` (each assignor's `name()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AssignorName {
    /// `org.apache.kafka.clients.consumer.RangeAssignor`, Kafka's default.
    #[serde(rename = "range")]
    Range,
    /// `org.apache.kafka.clients.consumer.RoundRobinAssignor`.
    #[serde(rename = "roundrobin")]
    RoundRobin,
    /// `org.apache.kafka.clients.consumer.StickyAssignor` (eager protocol).
    #[serde(rename = "sticky")]
    Sticky,
    /// `org.apache.kafka.clients.consumer.CooperativeStickyAssignor` (cooperative protocol).
    #[serde(rename = "cooperative-sticky")]
    CooperativeSticky,
}

impl AssignorName {
    /// All four assignors, in the order listed above.
    pub const ALL: [AssignorName; 4] = [
        AssignorName::Range,
        AssignorName::RoundRobin,
        AssignorName::Sticky,
        AssignorName::CooperativeSticky,
    ];

    /// Parses Kafka's name of an assignor (`"range"`, `"roundrobin"`, `"sticky"`,
    /// `"cooperative-sticky"`); anything else is `None`.
    pub fn parse(s: &str) -> Option<Self> {
        AssignorName::ALL.into_iter().find(|a| a.name() == s)
    }

    /// Kafka's name of the assignor, as its `name()` returns it.
    pub fn name(self) -> &'static str {
        match self {
            AssignorName::Range => "range",
            AssignorName::RoundRobin => "roundrobin",
            AssignorName::Sticky => "sticky",
            AssignorName::CooperativeSticky => "cooperative-sticky",
        }
    }

    /// Whether the assignor follows the cooperative rebalance protocol (KIP-429): only
    /// `cooperative-sticky` does; the others revoke everything before every rebalance.
    pub fn is_cooperative(self) -> bool {
        self == AssignorName::CooperativeSticky
    }
}

impl fmt::Display for AssignorName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for AssignorName {
    type Err = UnknownAssignorError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AssignorName::parse(s).ok_or_else(|| UnknownAssignorError(s.to_string()))
    }
}

/// A string that names none of the four assignors.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown assignor {0:?}: expected \"range\", \"roundrobin\", \"sticky\" or \"cooperative-sticky\""
)]
pub struct UnknownAssignorError(pub String);

/// One member's subscription as the group leader sees it (an entry of `input.members[]` in the
/// assignor vectors, and of the `kafka-sim assign` file).
///
/// Lists are taken in the order given, as the leader decoded them. (The Java consumer's
/// `ConsumerProtocol.serializeSubscription` sends `topics` and `owned_partitions` sorted by
/// topic, then partition; a caller modelling the wire should pass them so. Which member gets
/// which partition does not depend on it, only the order within a member's list can.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberSubscription {
    /// The coordinator-given `member.id`.
    pub member_id: String,
    /// Subscribed topics, in the order the member sent them. Topics missing from
    /// `partitions_per_topic` are ignored, as Kafka ignores topics without metadata.
    pub topics: Vec<String>,
    /// `group.instance.id` of a static member (KIP-345).
    #[serde(default)]
    pub group_instance_id: Option<String>,
    /// Partitions the member owned before this rebalance (`Subscription.ownedPartitions`, or the
    /// eager `StickyAssignor`'s user data). Only the sticky assignors read them.
    #[serde(default)]
    pub owned_partitions: Vec<TopicPartition>,
    /// The group generation in which the member owned them; absent means unknown
    /// (`DEFAULT_GENERATION`, -1). Only the sticky assignors read it.
    #[serde(default)]
    pub generation: Option<i32>,
}

/// Everything one assignor run needs: topic metadata and the members' subscriptions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignmentInput {
    /// Partition count of each topic the cluster has.
    pub partitions_per_topic: BTreeMap<String, u32>,
    /// The group's members, in the order the coordinator listed them in the JoinGroup response
    /// (this order fills Java's `HashMap` of subscriptions, which the sticky assignors iterate).
    pub members: Vec<MemberSubscription>,
}

/// What one assignor run hands out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentOutput {
    /// Every member, possibly with an empty list, with its partitions in the order Kafka's
    /// assignor produced them.
    pub assignment: BTreeMap<String, Vec<TopicPartition>>,
    /// Sticky assignors: partitions moving to a new owner, and that owner. For
    /// `cooperative-sticky` these are withheld from `assignment` in this rebalance: their
    /// previous owner revokes them first and a follow-up rebalance hands them over.
    pub partitions_transferring_ownership: BTreeMap<TopicPartition, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignor_names_round_trip_through_kafka_names() {
        for a in AssignorName::ALL {
            assert_eq!(AssignorName::parse(a.name()), Some(a));
            let json = serde_json::to_string(&a).expect("serializes");
            assert_eq!(json, format!("\"{}\"", a.name()));
            assert_eq!(a.name().parse::<AssignorName>(), Ok(a));
        }
        assert_eq!(AssignorName::parse("Range"), None);
        assert!(AssignorName::CooperativeSticky.is_cooperative());
        assert!(!AssignorName::Sticky.is_cooperative());
    }

    #[test]
    fn member_subscription_rejects_unknown_fields() {
        let json = r#"{"member_id":"c1","topics":["t"],"rack":"a"}"#;
        assert!(serde_json::from_str::<MemberSubscription>(json).is_err());
        let json = r#"{"member_id":"c1","topics":["t"]}"#;
        let m: MemberSubscription = serde_json::from_str(json).expect("minimal member");
        assert_eq!(m.generation, None);
        assert!(m.owned_partitions.is_empty());
    }
}
