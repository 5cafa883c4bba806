//! Kafka's protocol error codes that the simulation can produce, with Kafka's names.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An error code from Kafka's protocol (`org.apache.kafka.common.protocol.Errors`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KafkaError {
    /// 1: the fetch offset is outside the log.
    OffsetOutOfRange,
    /// 3: the broker does not know the topic or partition (yet).
    UnknownTopicOrPartition,
    /// 5: no leader is known for the partition.
    LeaderNotAvailable,
    /// 6: the broker is not the leader (or a replica) of the partition.
    NotLeaderOrFollower,
    /// 7: the request did not complete in time.
    RequestTimedOut,
    /// 13: the connection broke before a response arrived.
    NetworkException,
    /// 15: the group's coordinator is not available.
    CoordinatorNotAvailable,
    /// 16: this broker does not coordinate the group.
    NotCoordinator,
    /// 19: `acks=all` refused because the ISR is smaller than `min.insync.replicas`.
    NotEnoughReplicas,
    /// 20: written, but the ISR shrank below `min.insync.replicas` before it was answered.
    NotEnoughReplicasAfterAppend,
    /// 22: the member's generation is not the group's.
    IllegalGeneration,
    /// 25: the coordinator does not know the member.
    UnknownMemberId,
    /// 27: the group is rebalancing: the member must rejoin.
    RebalanceInProgress,
    /// 38: the replication factor cannot be met.
    InvalidReplicationFactor,
    /// 45: an idempotent producer's sequence number has a gap.
    OutOfOrderSequenceNumber,
    /// 47: a producer epoch older than the one the broker knows.
    InvalidProducerEpoch,
    /// 74: the request's leader epoch is older than the partition's.
    FencedLeaderEpoch,
    /// 75: the request's leader epoch is newer than the broker knows.
    UnknownLeaderEpoch,
    /// 87: `AlterPartition` named a partition epoch that is no longer current.
    InvalidUpdateVersion,
    /// 101: another incarnation of the broker id still has a valid session.
    DuplicateBrokerRegistration,
    /// 107: `AlterPartition` tried to add a replica that may not join the ISR (fenced).
    IneligibleReplica,
    /// librdkafka's local `RD_KAFKA_RESP_ERR__FATAL` (-150): the producer raised a fatal
    /// error earlier and refuses to produce (Confluent.Kafka: `ErrorCode.Local_Fatal`).
    #[serde(rename = "_FATAL")]
    Fatal,
    /// librdkafka's local `RD_KAFKA_RESP_ERR__PURGE_QUEUE` (-152): the record was still
    /// queued in the producer when its queues were purged (after a fatal error).
    #[serde(rename = "_PURGE_QUEUE")]
    PurgeQueue,
}

impl KafkaError {
    /// Kafka's name for the error, as `kafka-console-producer` and the clients print it.
    pub fn name(self) -> &'static str {
        match self {
            KafkaError::OffsetOutOfRange => "OFFSET_OUT_OF_RANGE",
            KafkaError::UnknownTopicOrPartition => "UNKNOWN_TOPIC_OR_PARTITION",
            KafkaError::LeaderNotAvailable => "LEADER_NOT_AVAILABLE",
            KafkaError::NotLeaderOrFollower => "NOT_LEADER_OR_FOLLOWER",
            KafkaError::RequestTimedOut => "REQUEST_TIMED_OUT",
            KafkaError::NetworkException => "NETWORK_EXCEPTION",
            KafkaError::CoordinatorNotAvailable => "COORDINATOR_NOT_AVAILABLE",
            KafkaError::NotCoordinator => "NOT_COORDINATOR",
            KafkaError::IllegalGeneration => "ILLEGAL_GENERATION",
            KafkaError::UnknownMemberId => "UNKNOWN_MEMBER_ID",
            KafkaError::RebalanceInProgress => "REBALANCE_IN_PROGRESS",
            KafkaError::NotEnoughReplicas => "NOT_ENOUGH_REPLICAS",
            KafkaError::NotEnoughReplicasAfterAppend => "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
            KafkaError::InvalidReplicationFactor => "INVALID_REPLICATION_FACTOR",
            KafkaError::OutOfOrderSequenceNumber => "OUT_OF_ORDER_SEQUENCE_NUMBER",
            KafkaError::InvalidProducerEpoch => "INVALID_PRODUCER_EPOCH",
            KafkaError::FencedLeaderEpoch => "FENCED_LEADER_EPOCH",
            KafkaError::UnknownLeaderEpoch => "UNKNOWN_LEADER_EPOCH",
            KafkaError::InvalidUpdateVersion => "INVALID_UPDATE_VERSION",
            KafkaError::DuplicateBrokerRegistration => "DUPLICATE_BROKER_REGISTRATION",
            KafkaError::IneligibleReplica => "INELIGIBLE_REPLICA",
            KafkaError::Fatal => "_FATAL",
            KafkaError::PurgeQueue => "_PURGE_QUEUE",
        }
    }

    /// Every error the simulation can produce that a client sees (not the internal
    /// `_FATAL` and `_PURGE_QUEUE`).
    pub const CLIENT_VISIBLE: [KafkaError; 21] = [
        KafkaError::OffsetOutOfRange,
        KafkaError::UnknownTopicOrPartition,
        KafkaError::LeaderNotAvailable,
        KafkaError::NotLeaderOrFollower,
        KafkaError::RequestTimedOut,
        KafkaError::NetworkException,
        KafkaError::CoordinatorNotAvailable,
        KafkaError::NotCoordinator,
        KafkaError::NotEnoughReplicas,
        KafkaError::NotEnoughReplicasAfterAppend,
        KafkaError::IllegalGeneration,
        KafkaError::UnknownMemberId,
        KafkaError::RebalanceInProgress,
        KafkaError::InvalidReplicationFactor,
        KafkaError::OutOfOrderSequenceNumber,
        KafkaError::InvalidProducerEpoch,
        KafkaError::FencedLeaderEpoch,
        KafkaError::UnknownLeaderEpoch,
        KafkaError::InvalidUpdateVersion,
        KafkaError::DuplicateBrokerRegistration,
        KafkaError::IneligibleReplica,
    ];

    /// The error Kafka names `name` (`NOT_ENOUGH_REPLICAS`), among those a client sees.
    pub fn from_name(name: &str) -> Option<KafkaError> {
        KafkaError::CLIENT_VISIBLE
            .into_iter()
            .find(|e| e.name() == name)
    }

    /// Whether a producer retries after this error (Kafka's `RetriableException`s).
    pub fn is_retriable(self) -> bool {
        matches!(
            self,
            KafkaError::UnknownTopicOrPartition
                | KafkaError::LeaderNotAvailable
                | KafkaError::NotLeaderOrFollower
                | KafkaError::RequestTimedOut
                | KafkaError::NetworkException
                | KafkaError::NotEnoughReplicas
                | KafkaError::NotEnoughReplicasAfterAppend
                | KafkaError::FencedLeaderEpoch
                | KafkaError::UnknownLeaderEpoch
        )
    }

    /// Whether the client should refresh its metadata before retrying: the leader it
    /// used is gone or wrong (Java's `InvalidMetadataException`s).
    pub fn invalidates_metadata(self) -> bool {
        matches!(
            self,
            KafkaError::UnknownTopicOrPartition
                | KafkaError::LeaderNotAvailable
                | KafkaError::NotLeaderOrFollower
                | KafkaError::NetworkException
                | KafkaError::FencedLeaderEpoch
                | KafkaError::UnknownLeaderEpoch
        )
    }
}

impl fmt::Display for KafkaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_client_visible_error_is_found_by_its_name_and_the_internal_ones_are_not() {
        for e in KafkaError::CLIENT_VISIBLE {
            assert_eq!(KafkaError::from_name(e.name()), Some(e));
            // The serde name is the same: traces and lessons agree.
            assert_eq!(serde_json::to_value(e).expect("serializes"), e.name());
        }
        assert_eq!(KafkaError::from_name("_FATAL"), None);
        assert_eq!(KafkaError::from_name("not_enough_replicas"), None);
    }
}
