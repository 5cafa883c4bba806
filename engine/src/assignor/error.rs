//! Why an assignment could not be computed.

use super::types::AssignorName;
use crate::ids::TopicPartition;

/// Invalid input to [`assign`](super::assign), or a case where Kafka's own assignor throws.
///
/// Each input error names the field and the reason. A member subscribed to a topic that is missing
/// from `partitions_per_topic` is **not** an error: Kafka skips topics without metadata.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AssignError {
    /// A key of `partitions_per_topic` is the empty string.
    #[error("partitions_per_topic: a topic name must not be empty")]
    EmptyTopicName,
    /// A topic with 0 partitions (Kafka has no such topic).
    #[error("partitions_per_topic[{topic:?}]: a topic has at least one partition, got 0")]
    NoPartitions {
        /// The topic.
        topic: String,
    },
    /// More topics than [`MAX_ASSIGN_TOPICS`](super::MAX_ASSIGN_TOPICS).
    #[error("partitions_per_topic: {count} topics is more than the {max} one assignment accepts")]
    TooManyTopics {
        /// How many were given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// More partitions in all than [`MAX_ASSIGN_PARTITIONS`](super::MAX_ASSIGN_PARTITIONS).
    #[error(
        "partitions_per_topic: {total} partitions in all is more than the {max} one assignment accepts"
    )]
    TooManyPartitions {
        /// The sum of all partition counts.
        total: u64,
        /// The limit.
        max: u64,
    },
    /// More members than [`MAX_ASSIGN_MEMBERS`](super::MAX_ASSIGN_MEMBERS).
    #[error("members: {count} members is more than the {max} one assignment accepts")]
    TooManyMembers {
        /// How many were given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// An empty `member_id`.
    #[error("members[{index}].member_id: must not be empty")]
    EmptyMemberId {
        /// Position in `members`.
        index: usize,
    },
    /// Two members with the same `member_id`.
    #[error("members[{index}].member_id: {member_id:?} is already the id of members[{first}]")]
    DuplicateMemberId {
        /// Position in `members` of the second one.
        index: usize,
        /// The repeated id.
        member_id: String,
        /// Position of the first one.
        first: usize,
    },
    /// An empty `group_instance_id` (Kafka rejects it when the member joins).
    #[error("members[{index}].group_instance_id: must not be empty (member {member_id:?})")]
    EmptyGroupInstanceId {
        /// Position in `members`.
        index: usize,
        /// The member.
        member_id: String,
    },
    /// Two static members with the same `group_instance_id` (the coordinator fences one of them).
    #[error(
        "members[{index}].group_instance_id: {group_instance_id:?} is already used by members[{first}]"
    )]
    DuplicateGroupInstanceId {
        /// Position in `members` of the second one.
        index: usize,
        /// The repeated instance id.
        group_instance_id: String,
        /// Position of the first one.
        first: usize,
    },
    /// A subscription longer than [`MAX_ASSIGN_TOPICS`](super::MAX_ASSIGN_TOPICS).
    #[error(
        "members[{index}].topics: {count} topics is more than the {max} one assignment accepts"
    )]
    TooManySubscribedTopics {
        /// Position in `members`.
        index: usize,
        /// How many were given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// An empty topic name in a subscription (`KafkaConsumer.subscribe` refuses it).
    #[error("members[{index}].topics: a topic name must not be empty (member {member_id:?})")]
    EmptySubscribedTopic {
        /// Position in `members`.
        index: usize,
        /// The member.
        member_id: String,
    },
    /// A topic listed twice in one subscription (a consumer subscribes to a set).
    #[error("members[{index}].topics: {topic:?} is listed twice (member {member_id:?})")]
    DuplicateSubscribedTopic {
        /// Position in `members`.
        index: usize,
        /// The member.
        member_id: String,
        /// The repeated topic.
        topic: String,
    },
    /// More owned partitions than [`MAX_ASSIGN_PARTITIONS`](super::MAX_ASSIGN_PARTITIONS).
    #[error(
        "members[{index}].owned_partitions: {count} partitions is more than the {max} one assignment accepts"
    )]
    TooManyOwnedPartitions {
        /// Position in `members`.
        index: usize,
        /// How many were given.
        count: usize,
        /// The limit.
        max: u64,
    },
    /// A partition listed twice in one member's owned partitions.
    #[error(
        "members[{index}].owned_partitions: {partition} is listed twice (member {member_id:?})"
    )]
    DuplicateOwnedPartition {
        /// Position in `members`.
        index: usize,
        /// The member.
        member_id: String,
        /// The repeated partition.
        partition: TopicPartition,
    },
    /// An owned partition beyond its topic's partition count (Kafka would hand it out again).
    #[error(
        "members[{index}].owned_partitions: {partition} does not exist, its topic has {partitions} partitions (member {member_id:?})"
    )]
    OwnedPartitionOutOfRange {
        /// Position in `members`.
        index: usize,
        /// The member.
        member_id: String,
        /// The partition that does not exist.
        partition: TopicPartition,
        /// The topic's partition count.
        partitions: u32,
    },
    /// Kafka's assignor throws for this input (its own sanity checks, or a
    /// `NullPointerException` on a path it never expected); the group's rebalance fails.
    /// A stand-in for [`assign`](super::assign) ([`AssignFn`](super::AssignFn)) that does
    /// not hold this assignor's code yet (the page fetches it first).
    #[error("{assignor}: the assignor's code is not loaded yet")]
    NotLoaded {
        /// The assignor.
        assignor: AssignorName,
    },
    #[error("{assignor}: Kafka's assignor throws {exception} here: {reason}")]
    KafkaAssignorThrows {
        /// The assignor that was run.
        assignor: AssignorName,
        /// The Java exception class.
        exception: &'static str,
        /// Kafka's message, or where it fails.
        reason: String,
    },
}

/// A Java exception one of the assignors would throw, before it is tied to an assignor name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct KafkaThrows {
    /// The Java exception class.
    pub(crate) exception: &'static str,
    /// Kafka's message, or where it fails.
    pub(crate) reason: String,
}

impl KafkaThrows {
    /// An `IllegalStateException` with Kafka's message.
    pub(crate) fn illegal_state(reason: impl Into<String>) -> KafkaThrows {
        KafkaThrows {
            exception: "IllegalStateException",
            reason: reason.into(),
        }
    }

    /// A `NullPointerException`, where Kafka looks up a member it does not have.
    pub(crate) fn null_pointer(reason: impl Into<String>) -> KafkaThrows {
        KafkaThrows {
            exception: "NullPointerException",
            reason: reason.into(),
        }
    }

    /// Ties the exception to the assignor that threw it.
    pub(crate) fn into_error(self, assignor: AssignorName) -> AssignError {
        AssignError::KafkaAssignorThrows {
            assignor,
            exception: self.exception,
            reason: self.reason,
        }
    }
}
