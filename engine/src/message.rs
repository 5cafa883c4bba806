//! What actors send each other over the simulated network, named after Kafka's RPCs.

use std::sync::Arc;

use serde::Serialize;

use crate::assignor::{AssignorName, MemberSubscription};
use crate::config::Acks;
use crate::ids::{BrokerId, LeaderEpoch, Offset};
use crate::kafka_error::KafkaError;
use crate::log::{Batch, ProducerStamp, RecordBody};
use crate::topic::{PartitionState, TopicId, Tp};

/// A request's correlation id, unique per sender.
pub type Correlation = u64;

/// A message in flight between two parties.
#[derive(Clone, Debug)]
pub enum Message {
    /// A client asks a broker which broker leads each partition.
    MetadataRequest {
        /// Matches the response to the request.
        correlation: Correlation,
        /// The topics the client wants to know about.
        topics: Vec<TopicId>,
    },
    /// A broker answers from its metadata cache.
    MetadataResponse {
        /// The request answered.
        correlation: Correlation,
        /// Brokers the cluster considers alive (unfenced).
        brokers: Vec<BrokerId>,
        /// Per requested topic that the broker knows: each partition's leader and epoch.
        topics: Vec<(TopicId, Vec<PartitionLeader>)>,
    },
    /// A producer sends record batches to the leader of their partitions.
    ProduceRequest {
        /// Matches the response (none is sent for `acks=0`).
        correlation: Correlation,
        /// What the producer waits for.
        acks: Acks,
        /// How long the leader may hold the request waiting for replication.
        timeout_ms: u64,
        /// One batch per partition.
        batches: Vec<ProduceBatch>,
    },
    /// The leader's answer: per partition, the base offset or an error.
    ProduceResponse {
        /// The request answered.
        correlation: Correlation,
        /// Per partition of the request.
        partitions: Vec<(Tp, Result<Offset, KafkaError>)>,
    },
    /// A follower asks its leader for records from its log end on (a long poll).
    FetchRequest {
        /// Matches the response.
        correlation: Correlation,
        /// The follower asking.
        replica_id: BrokerId,
        /// `replica.fetch.wait.max.ms`.
        max_wait_ms: u64,
        /// Per partition the follower follows from this leader.
        partitions: Vec<FetchPartition>,
    },
    /// The leader's answer: records, its high watermark, or where the logs diverge.
    FetchResponse {
        /// The request answered.
        correlation: Correlation,
        /// Per partition of the request.
        partitions: Vec<FetchedPartition>,
    },
    /// A starting broker registers with the controller.
    BrokerRegistrationRequest {
        /// Which broker.
        broker: BrokerId,
        /// Which start of it (bumped on every start).
        incarnation: u32,
    },
    /// The controller's answer carries the whole metadata image, or why it refused.
    BrokerRegistrationResponse {
        /// Everything the broker must know, or `DUPLICATE_BROKER_REGISTRATION`.
        result: Result<MetadataUpdate, KafkaError>,
    },
    /// A broker's periodic sign of life.
    BrokerHeartbeatRequest {
        /// Which broker.
        broker: BrokerId,
        /// Which start of it.
        incarnation: u32,
        /// Whether it has caught up with the metadata and may be unfenced.
        caught_up: bool,
    },
    /// The controller's answer.
    BrokerHeartbeatResponse,
    /// A leader asks the controller to change a partition's ISR.
    AlterPartitionRequest {
        /// The leader asking.
        broker: BrokerId,
        /// The partition.
        tp: Tp,
        /// The leader's epoch for it.
        leader_epoch: LeaderEpoch,
        /// The partition epoch the change is based on.
        partition_epoch: u32,
        /// The ISR wanted.
        new_isr: Vec<BrokerId>,
    },
    /// The controller's answer: the new registration, or why not.
    AlterPartitionResponse {
        /// The partition.
        tp: Tp,
        /// The partition as now registered, or the error.
        result: Result<PartitionState, KafkaError>,
    },
    /// The controller publishes metadata changes to brokers (in KRaft, brokers replicate
    /// the `__cluster_metadata` log; this message stands for that).
    UpdateMetadata {
        /// The change.
        update: MetadataUpdate,
    },
    /// Not an RPC: the connection to `broker` broke (the broker crashed or refused).
    ConnectionClosed {
        /// The broker whose connection closed.
        broker: BrokerId,
    },
    /// A consumer asks any broker which broker coordinates its group.
    FindCoordinatorRequest {
        /// Matches the response.
        correlation: Correlation,
        /// The group.
        group: Arc<str>,
    },
    /// The answer: the leader of the group's `__consumer_offsets` partition.
    FindCoordinatorResponse {
        /// The request answered.
        correlation: Correlation,
        /// The coordinator, or the error (`COORDINATOR_NOT_AVAILABLE`).
        result: Result<BrokerId, KafkaError>,
    },
    /// A consumer joins (or rejoins) its group.
    JoinGroupRequest {
        /// Matches the response.
        correlation: Correlation,
        /// The join itself.
        join: Box<JoinRequest>,
    },
    /// The coordinator's answer once the rebalance's join phase is over.
    JoinGroupResponse {
        /// The request answered.
        correlation: Correlation,
        /// The generation and, for the leader, every member's subscription.
        result: Result<Box<JoinResult>, KafkaError>,
    },
    /// Members send their assignment (the leader) or ask for theirs.
    SyncGroupRequest {
        /// Matches the response.
        correlation: Correlation,
        /// The group.
        group: Arc<str>,
        /// The member.
        member: Arc<str>,
        /// The generation it joined.
        generation: i32,
        /// From the leader: every member's partitions.
        assignments: Vec<(Arc<str>, Vec<Tp>)>,
    },
    /// The member's partitions for this generation.
    SyncGroupResponse {
        /// The request answered.
        correlation: Correlation,
        /// The partitions, or the error.
        result: Result<Vec<Tp>, KafkaError>,
    },
    /// A member's sign of life.
    HeartbeatRequest {
        /// Matches the response.
        correlation: Correlation,
        /// The group.
        group: Arc<str>,
        /// The member.
        member: Arc<str>,
        /// Its generation.
        generation: i32,
    },
    /// `REBALANCE_IN_PROGRESS` tells the member to rejoin.
    HeartbeatResponse {
        /// The request answered.
        correlation: Correlation,
        /// An error, or none.
        error: Option<KafkaError>,
    },
    /// A member leaves its group cleanly.
    LeaveGroupRequest {
        /// The group.
        group: Arc<str>,
        /// The member.
        member: Arc<str>,
    },
    /// A member commits the next offsets to read.
    OffsetCommitRequest {
        /// Matches the response.
        correlation: Correlation,
        /// The group.
        group: Arc<str>,
        /// The member.
        member: Arc<str>,
        /// Its generation.
        generation: i32,
        /// The offsets.
        offsets: Vec<(Tp, Offset)>,
        /// The leader epoch of the record before each offset, where known
        /// (`committedLeaderEpoch`, KIP-320).
        leader_epochs: Vec<(Tp, LeaderEpoch)>,
    },
    /// The answer to a commit.
    OffsetCommitResponse {
        /// The request answered.
        correlation: Correlation,
        /// What was committed, or why not.
        result: Result<Vec<(Tp, Offset)>, KafkaError>,
    },
    /// A member asks where its group is in some partitions.
    OffsetFetchRequest {
        /// Matches the response.
        correlation: Correlation,
        /// The group.
        group: Arc<str>,
        /// The partitions.
        partitions: Vec<Tp>,
    },
    /// The committed offsets (none for a partition never committed).
    OffsetFetchResponse {
        /// The request answered.
        correlation: Correlation,
        /// Per partition, or the error.
        result: Result<Vec<(Tp, Option<Offset>)>, KafkaError>,
        /// The committed leader epochs, where the commit carried one.
        leader_epochs: Vec<(Tp, LeaderEpoch)>,
    },
    /// A consumer asks a leader for the earliest or latest offset it may read.
    ListOffsetsRequest {
        /// Matches the response.
        correlation: Correlation,
        /// Per partition: `true` for the latest offset, `false` for the earliest.
        partitions: Vec<(Tp, bool)>,
    },
    /// The offsets.
    ListOffsetsResponse {
        /// The request answered.
        correlation: Correlation,
        /// Per partition: the offset and the leader's current epoch.
        partitions: Vec<(Tp, ListedOffset)>,
    },
    /// A consumer checks its positions against the leader's log (KIP-320): where did the
    /// epoch of the record before each position end?
    OffsetsForLeaderEpochRequest {
        /// Matches the response.
        correlation: Correlation,
        /// Per partition: the leader epoch the consumer believes current, and the epoch
        /// whose end it asks for.
        partitions: Vec<(Tp, LeaderEpoch, LeaderEpoch)>,
    },
    /// The leader's answer (`LeaderEpochFileCache.endOffsetFor`): the largest epoch not
    /// above the one asked for and where it ended; `None` when the leader knows no such
    /// epoch (Kafka's UNDEFINED_EPOCH_OFFSET).
    OffsetsForLeaderEpochResponse {
        /// The request answered.
        correlation: Correlation,
        /// Per partition.
        partitions: Vec<(Tp, EpochEndOffset)>,
    },
    /// A consumer's fetch (Kafka's Fetch RPC with no replica id).
    ConsumerFetchRequest {
        /// Matches the response.
        correlation: Correlation,
        /// `fetch.max.wait.ms`.
        max_wait_ms: u64,
        /// Per partition: where to read from, and the leader epoch the consumer believes
        /// current (`currentLeaderEpoch`: an older one is fenced).
        partitions: Vec<ConsumerFetchPartition>,
    },
    /// Committed records (below the high watermark).
    ConsumerFetchResponse {
        /// The request answered.
        correlation: Correlation,
        /// Per partition.
        partitions: Vec<ConsumerFetched>,
    },
}

/// What a consumer sends to join a group.
#[derive(Clone, Debug)]
pub struct JoinRequest {
    /// The group.
    pub group: Arc<str>,
    /// The member (the consumer's name).
    pub member: Arc<str>,
    /// `group.instance.id` for a static member.
    pub instance_id: Option<Arc<str>>,
    /// `partition.assignment.strategy`.
    pub assignor: AssignorName,
    /// Subscribed topics.
    pub topics: Vec<Arc<str>>,
    /// Partitions it owns now (cooperative protocol, and sticky's user data).
    pub owned: Vec<Tp>,
    /// The generation of `owned`.
    pub generation: i32,
    /// `session.timeout.ms`.
    pub session_timeout_ms: u64,
    /// `max.poll.interval.ms`: how long the coordinator waits for members to rejoin.
    pub rebalance_timeout_ms: u64,
}

/// The coordinator's answer to a join.
#[derive(Clone, Debug)]
pub struct JoinResult {
    /// The new generation.
    pub generation: i32,
    /// The assignor the group uses.
    pub assignor: AssignorName,
    /// The member that computes the assignment.
    pub leader: Arc<str>,
    /// For the leader: every member's subscription, in join order.
    pub members: Vec<MemberSubscription>,
}

/// One partition of a consumer fetch response.
#[derive(Clone, Debug)]
pub struct ConsumerFetched {
    /// The partition.
    pub tp: Tp,
    /// An error instead of data.
    pub error: Option<KafkaError>,
    /// The leader's high watermark.
    pub high_watermark: Offset,
    /// Records from the fetch offset up to the high watermark.
    pub batches: Vec<Batch>,
}

/// One partition of a consumer's fetch: where to read from, and the leader epoch the
/// consumer believes current.
pub type ConsumerFetchPartition = (Tp, Offset, LeaderEpoch);

/// A `ListOffsets` answer for one partition: the offset and the leader's epoch.
pub type ListedOffset = Result<(Offset, LeaderEpoch), KafkaError>;

/// An `OffsetsForLeaderEpoch` answer for one partition (Kafka's `EpochEndOffset`): the
/// largest epoch not above the one asked for and where it ended, or `None` (undefined).
pub type EpochEndOffset = Result<Option<(LeaderEpoch, Offset)>, KafkaError>;

/// A partition's leader (if any) and leader epoch, as a metadata response gives it.
pub type PartitionLeader = (Option<BrokerId>, LeaderEpoch);

/// One partition's batch in a produce request.
#[derive(Clone, Debug)]
pub struct ProduceBatch {
    /// The partition.
    pub tp: Tp,
    /// The records.
    pub records: Arc<[RecordBody]>,
    /// Their size in bytes.
    pub size_bytes: u32,
    /// Set by an idempotent producer.
    pub producer: Option<ProducerStamp>,
}

/// One partition of a follower's fetch.
#[derive(Clone, Copy, Debug)]
pub struct FetchPartition {
    /// The partition.
    pub tp: Tp,
    /// The follower's log end offset: where it wants to read from.
    pub fetch_offset: Offset,
    /// The epoch of the follower's last record (KIP-595 fetch-based truncation).
    pub last_fetched_epoch: Option<LeaderEpoch>,
    /// The leader epoch the follower believes current.
    pub current_leader_epoch: LeaderEpoch,
}

/// One partition of a fetch response.
#[derive(Clone, Debug)]
pub struct FetchedPartition {
    /// The partition.
    pub tp: Tp,
    /// An error instead of data.
    pub error: Option<KafkaError>,
    /// The leader's high watermark.
    pub high_watermark: Offset,
    /// The leader's log end offset.
    pub log_end_offset: Offset,
    /// Set when the follower's log diverges: the epoch and its end offset on the leader.
    pub diverging_epoch: Option<(LeaderEpoch, Offset)>,
    /// The records.
    pub batches: Vec<Batch>,
}

/// A change of cluster metadata, or the whole of it.
#[derive(Clone, Debug, Default)]
pub struct MetadataUpdate {
    /// Partitions whose registration changed.
    pub partitions: Vec<(Tp, PartitionState)>,
    /// Every registered broker and whether it is fenced.
    pub brokers: Vec<(BrokerId, bool)>,
    /// Leaders of `__consumer_offsets` partitions that changed: who coordinates which groups.
    pub coordinators: Vec<(u32, Option<BrokerId>)>,
}

/// The kind of a message, for display and the trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum MessageKind {
    /// See [`Message::MetadataRequest`].
    MetadataRequest,
    /// See [`Message::MetadataResponse`].
    MetadataResponse,
    /// See [`Message::ProduceRequest`].
    ProduceRequest,
    /// See [`Message::ProduceResponse`].
    ProduceResponse,
    /// See [`Message::FetchRequest`].
    FetchRequest,
    /// See [`Message::FetchResponse`].
    FetchResponse,
    /// See [`Message::BrokerRegistrationRequest`].
    BrokerRegistrationRequest,
    /// See [`Message::BrokerRegistrationResponse`].
    BrokerRegistrationResponse,
    /// See [`Message::BrokerHeartbeatRequest`].
    BrokerHeartbeatRequest,
    /// See [`Message::BrokerHeartbeatResponse`].
    BrokerHeartbeatResponse,
    /// See [`Message::AlterPartitionRequest`].
    AlterPartitionRequest,
    /// See [`Message::AlterPartitionResponse`].
    AlterPartitionResponse,
    /// See [`Message::UpdateMetadata`].
    UpdateMetadata,
    /// See [`Message::ConnectionClosed`].
    ConnectionClosed,
    /// See [`Message::FindCoordinatorRequest`].
    FindCoordinatorRequest,
    /// See [`Message::FindCoordinatorResponse`].
    FindCoordinatorResponse,
    /// See [`Message::JoinGroupRequest`].
    JoinGroupRequest,
    /// See [`Message::JoinGroupResponse`].
    JoinGroupResponse,
    /// See [`Message::SyncGroupRequest`].
    SyncGroupRequest,
    /// See [`Message::SyncGroupResponse`].
    SyncGroupResponse,
    /// See [`Message::HeartbeatRequest`].
    HeartbeatRequest,
    /// See [`Message::HeartbeatResponse`].
    HeartbeatResponse,
    /// See [`Message::LeaveGroupRequest`].
    LeaveGroupRequest,
    /// See [`Message::OffsetCommitRequest`].
    OffsetCommitRequest,
    /// See [`Message::OffsetCommitResponse`].
    OffsetCommitResponse,
    /// See [`Message::OffsetFetchRequest`].
    OffsetFetchRequest,
    /// See [`Message::OffsetFetchResponse`].
    OffsetFetchResponse,
    /// See [`Message::ListOffsetsRequest`].
    ListOffsetsRequest,
    /// See [`Message::ListOffsetsResponse`].
    ListOffsetsResponse,
    /// See [`Message::OffsetsForLeaderEpochRequest`].
    OffsetsForLeaderEpochRequest,
    /// See [`Message::OffsetsForLeaderEpochResponse`].
    OffsetsForLeaderEpochResponse,
}

/// What a message is about: the path it travels on the stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageFamily {
    /// A producer's records and their acknowledgements.
    Produce,
    /// A follower fetching from its leader.
    Replicate,
    /// A consumer fetching records, or asking where to start.
    Consume,
    /// The consumer-group protocol with the coordinator.
    Group,
    /// The controller, registrations, heartbeats of brokers and metadata.
    Control,
    /// A connection that broke.
    Closed,
}

impl MessageKind {
    /// Kafka's name of the RPC (`FetchRequest`); the same as serde's.
    pub fn name(self) -> &'static str {
        use MessageKind as K;
        match self {
            K::MetadataRequest => "MetadataRequest",
            K::MetadataResponse => "MetadataResponse",
            K::ProduceRequest => "ProduceRequest",
            K::ProduceResponse => "ProduceResponse",
            K::FetchRequest => "FetchRequest",
            K::FetchResponse => "FetchResponse",
            K::BrokerRegistrationRequest => "BrokerRegistrationRequest",
            K::BrokerRegistrationResponse => "BrokerRegistrationResponse",
            K::BrokerHeartbeatRequest => "BrokerHeartbeatRequest",
            K::BrokerHeartbeatResponse => "BrokerHeartbeatResponse",
            K::AlterPartitionRequest => "AlterPartitionRequest",
            K::AlterPartitionResponse => "AlterPartitionResponse",
            K::UpdateMetadata => "UpdateMetadata",
            K::ConnectionClosed => "ConnectionClosed",
            K::FindCoordinatorRequest => "FindCoordinatorRequest",
            K::FindCoordinatorResponse => "FindCoordinatorResponse",
            K::JoinGroupRequest => "JoinGroupRequest",
            K::JoinGroupResponse => "JoinGroupResponse",
            K::SyncGroupRequest => "SyncGroupRequest",
            K::SyncGroupResponse => "SyncGroupResponse",
            K::HeartbeatRequest => "HeartbeatRequest",
            K::HeartbeatResponse => "HeartbeatResponse",
            K::LeaveGroupRequest => "LeaveGroupRequest",
            K::OffsetCommitRequest => "OffsetCommitRequest",
            K::OffsetCommitResponse => "OffsetCommitResponse",
            K::OffsetFetchRequest => "OffsetFetchRequest",
            K::OffsetFetchResponse => "OffsetFetchResponse",
            K::ListOffsetsRequest => "ListOffsetsRequest",
            K::ListOffsetsResponse => "ListOffsetsResponse",
            K::OffsetsForLeaderEpochRequest => "OffsetsForLeaderEpochRequest",
            K::OffsetsForLeaderEpochResponse => "OffsetsForLeaderEpochResponse",
        }
    }

    /// Whether it answers a request.
    pub fn is_response(self) -> bool {
        use MessageKind as K;
        matches!(
            self,
            K::MetadataResponse
                | K::ProduceResponse
                | K::FetchResponse
                | K::BrokerRegistrationResponse
                | K::BrokerHeartbeatResponse
                | K::AlterPartitionResponse
                | K::FindCoordinatorResponse
                | K::JoinGroupResponse
                | K::SyncGroupResponse
                | K::HeartbeatResponse
                | K::OffsetCommitResponse
                | K::OffsetFetchResponse
                | K::ListOffsetsResponse
                | K::OffsetsForLeaderEpochResponse
        )
    }

    /// Routine chatter that goes on whatever the learner does: heartbeats (of brokers to
    /// the controller, of consumers to their coordinator) and metadata refreshes.
    pub fn is_routine(self) -> bool {
        use MessageKind as K;
        matches!(
            self,
            K::BrokerHeartbeatRequest
                | K::BrokerHeartbeatResponse
                | K::HeartbeatRequest
                | K::HeartbeatResponse
                | K::MetadataRequest
                | K::MetadataResponse
        )
    }
}

impl Message {
    /// This message's kind.
    pub fn kind(&self) -> MessageKind {
        match self {
            Message::MetadataRequest { .. } => MessageKind::MetadataRequest,
            Message::MetadataResponse { .. } => MessageKind::MetadataResponse,
            Message::ProduceRequest { .. } => MessageKind::ProduceRequest,
            Message::ProduceResponse { .. } => MessageKind::ProduceResponse,
            Message::FetchRequest { .. } => MessageKind::FetchRequest,
            Message::FetchResponse { .. } => MessageKind::FetchResponse,
            Message::BrokerRegistrationRequest { .. } => MessageKind::BrokerRegistrationRequest,
            Message::BrokerRegistrationResponse { .. } => MessageKind::BrokerRegistrationResponse,
            Message::BrokerHeartbeatRequest { .. } => MessageKind::BrokerHeartbeatRequest,
            Message::BrokerHeartbeatResponse => MessageKind::BrokerHeartbeatResponse,
            Message::AlterPartitionRequest { .. } => MessageKind::AlterPartitionRequest,
            Message::AlterPartitionResponse { .. } => MessageKind::AlterPartitionResponse,
            Message::UpdateMetadata { .. } => MessageKind::UpdateMetadata,
            Message::ConnectionClosed { .. } => MessageKind::ConnectionClosed,
            Message::FindCoordinatorRequest { .. } => MessageKind::FindCoordinatorRequest,
            Message::FindCoordinatorResponse { .. } => MessageKind::FindCoordinatorResponse,
            Message::JoinGroupRequest { .. } => MessageKind::JoinGroupRequest,
            Message::JoinGroupResponse { .. } => MessageKind::JoinGroupResponse,
            Message::SyncGroupRequest { .. } => MessageKind::SyncGroupRequest,
            Message::SyncGroupResponse { .. } => MessageKind::SyncGroupResponse,
            Message::HeartbeatRequest { .. } => MessageKind::HeartbeatRequest,
            Message::HeartbeatResponse { .. } => MessageKind::HeartbeatResponse,
            Message::LeaveGroupRequest { .. } => MessageKind::LeaveGroupRequest,
            Message::OffsetCommitRequest { .. } => MessageKind::OffsetCommitRequest,
            Message::OffsetCommitResponse { .. } => MessageKind::OffsetCommitResponse,
            Message::OffsetFetchRequest { .. } => MessageKind::OffsetFetchRequest,
            Message::OffsetFetchResponse { .. } => MessageKind::OffsetFetchResponse,
            Message::ListOffsetsRequest { .. } => MessageKind::ListOffsetsRequest,
            Message::ListOffsetsResponse { .. } => MessageKind::ListOffsetsResponse,
            Message::OffsetsForLeaderEpochRequest { .. } => {
                MessageKind::OffsetsForLeaderEpochRequest
            }
            Message::OffsetsForLeaderEpochResponse { .. } => {
                MessageKind::OffsetsForLeaderEpochResponse
            }
            // Kafka's Fetch RPC, from a consumer.
            Message::ConsumerFetchRequest { .. } => MessageKind::FetchRequest,
            Message::ConsumerFetchResponse { .. } => MessageKind::FetchResponse,
        }
    }

    /// What the message is about. Followers and consumers both send Kafka's Fetch RPC:
    /// which of them sent it tells replication from consumption.
    pub fn family(&self) -> MessageFamily {
        match self {
            Message::ProduceRequest { .. } | Message::ProduceResponse { .. } => {
                MessageFamily::Produce
            }
            Message::FetchRequest { .. } | Message::FetchResponse { .. } => {
                MessageFamily::Replicate
            }
            Message::ConsumerFetchRequest { .. }
            | Message::ConsumerFetchResponse { .. }
            | Message::ListOffsetsRequest { .. }
            | Message::ListOffsetsResponse { .. }
            | Message::OffsetsForLeaderEpochRequest { .. }
            | Message::OffsetsForLeaderEpochResponse { .. } => MessageFamily::Consume,
            Message::FindCoordinatorRequest { .. }
            | Message::FindCoordinatorResponse { .. }
            | Message::JoinGroupRequest { .. }
            | Message::JoinGroupResponse { .. }
            | Message::SyncGroupRequest { .. }
            | Message::SyncGroupResponse { .. }
            | Message::HeartbeatRequest { .. }
            | Message::HeartbeatResponse { .. }
            | Message::LeaveGroupRequest { .. }
            | Message::OffsetCommitRequest { .. }
            | Message::OffsetCommitResponse { .. }
            | Message::OffsetFetchRequest { .. }
            | Message::OffsetFetchResponse { .. } => MessageFamily::Group,
            Message::ConnectionClosed { .. } => MessageFamily::Closed,
            Message::MetadataRequest { .. }
            | Message::MetadataResponse { .. }
            | Message::BrokerRegistrationRequest { .. }
            | Message::BrokerRegistrationResponse { .. }
            | Message::BrokerHeartbeatRequest { .. }
            | Message::BrokerHeartbeatResponse
            | Message::AlterPartitionRequest { .. }
            | Message::AlterPartitionResponse { .. }
            | Message::UpdateMetadata { .. } => MessageFamily::Control,
        }
    }

    /// Whether the sender waits for an answer to this message (so it must learn when the
    /// connection breaks).
    pub fn expects_response(&self) -> bool {
        match self {
            Message::ProduceRequest { acks, .. } => *acks != Acks::None,
            Message::MetadataRequest { .. }
            | Message::FetchRequest { .. }
            | Message::FindCoordinatorRequest { .. }
            | Message::JoinGroupRequest { .. }
            | Message::SyncGroupRequest { .. }
            | Message::HeartbeatRequest { .. }
            | Message::OffsetCommitRequest { .. }
            | Message::OffsetFetchRequest { .. }
            | Message::ListOffsetsRequest { .. }
            | Message::OffsetsForLeaderEpochRequest { .. }
            | Message::ConsumerFetchRequest { .. } => true,
            _ => false,
        }
    }

    /// The partitions this message is about and how many records it carries, for display.
    pub fn payload(&self) -> (Vec<Tp>, u64) {
        match self {
            Message::ProduceRequest { batches, .. } => (
                batches.iter().map(|b| b.tp).collect(),
                batches.iter().map(|b| b.records.len() as u64).sum(),
            ),
            Message::ProduceResponse { partitions, .. } => {
                (partitions.iter().map(|(tp, _)| *tp).collect(), 0)
            }
            Message::FetchRequest { partitions, .. } => {
                (partitions.iter().map(|p| p.tp).collect(), 0)
            }
            Message::FetchResponse { partitions, .. } => (
                partitions.iter().map(|p| p.tp).collect(),
                partitions
                    .iter()
                    .flat_map(|p| p.batches.iter())
                    .map(|b| u64::from(b.count))
                    .sum(),
            ),
            Message::AlterPartitionRequest { tp, .. }
            | Message::AlterPartitionResponse { tp, .. } => (vec![*tp], 0),
            Message::ConsumerFetchRequest { partitions, .. } => {
                (partitions.iter().map(|(tp, _, _)| *tp).collect(), 0)
            }
            Message::OffsetsForLeaderEpochRequest { partitions, .. } => {
                (partitions.iter().map(|(tp, _, _)| *tp).collect(), 0)
            }
            Message::OffsetsForLeaderEpochResponse { partitions, .. } => {
                (partitions.iter().map(|(tp, _)| *tp).collect(), 0)
            }
            Message::ConsumerFetchResponse { partitions, .. } => (
                partitions.iter().map(|p| p.tp).collect(),
                partitions
                    .iter()
                    .flat_map(|p| p.batches.iter())
                    .map(|b| u64::from(b.count))
                    .sum(),
            ),
            Message::SyncGroupResponse {
                result: Ok(tps), ..
            } => (tps.clone(), 0),
            Message::OffsetCommitRequest { offsets, .. } => {
                (offsets.iter().map(|(tp, _)| *tp).collect(), 0)
            }
            _ => (Vec::new(), 0),
        }
    }
}
