//! The event trace: what happened, in past tense, bounded in length.

use std::collections::VecDeque;
use std::sync::Arc;

use serde::Serialize;

use crate::ids::{BrokerId, LeaderEpoch, Offset, PartitionId};
use crate::kafka_error::KafkaError;
use crate::log::RecordId;

/// Why a replica left the ISR.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IsrShrinkReason {
    /// The controller fenced its broker (missed heartbeats, or it restarted).
    BrokerFenced,
    /// It was not caught up for `replica.lag.time.max.ms`.
    LaggingFollower,
}

/// Why a leader was elected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ElectionReason {
    /// The previous leader's broker was fenced.
    LeaderFenced,
    /// A broker of the ISR came back while the partition was offline.
    BrokerUnfenced,
    /// The preferred replica took leadership back (`auto.leader.rebalance.enable`).
    PreferredReplica,
}

/// Something that happened in the simulation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type")]
pub enum Event {
    /// A new empty broker joined.
    BrokerAdded {
        /// Its id.
        broker: BrokerId,
    },
    /// A broker crashed; messages to and from it were lost.
    BrokerStopped {
        /// Its id.
        broker: BrokerId,
        /// How many messages in flight were lost.
        messages_lost: u64,
    },
    /// A started broker gave up: it could not register with the controller within
    /// `initial.broker.registration.timeout.ms`, and shuts down (a `BrokerStopped` follows).
    BrokerRegistrationTimedOut {
        /// Its id.
        broker: BrokerId,
        /// `initial.broker.registration.timeout.ms`.
        timeout_ms: u64,
    },
    /// A stopped broker started again with its log.
    BrokerStarted {
        /// Its id.
        broker: BrokerId,
    },
    /// The controller fenced a broker: it may lead nothing and left every ISR it could.
    BrokerFenced {
        /// Its id.
        broker: BrokerId,
    },
    /// The controller unfenced a broker.
    BrokerUnfenced {
        /// Its id.
        broker: BrokerId,
    },
    /// A topic was created.
    TopicCreated {
        /// Its name.
        topic: Arc<str>,
        /// The replicas of each partition.
        assignment: Vec<Vec<BrokerId>>,
    },
    /// A topic could not be created.
    TopicCreationFailed {
        /// Its name.
        topic: Arc<str>,
        /// Kafka's error.
        error: KafkaError,
    },
    /// A producer accepted a record and chose its partition.
    RecordQueued {
        /// The producer.
        producer: Arc<str>,
        /// The record.
        record: RecordId,
        /// Its topic.
        topic: Arc<str>,
        /// The partition chosen.
        partition: PartitionId,
    },
    /// A leader appended a record to its log.
    RecordAppended {
        /// The leader.
        broker: BrokerId,
        /// The topic.
        topic: Arc<str>,
        /// The partition.
        partition: PartitionId,
        /// The offset it got.
        offset: Offset,
        /// The leader epoch it was written in.
        leader_epoch: LeaderEpoch,
        /// The record.
        record: RecordId,
        /// Its key.
        key: Option<Arc<str>>,
        /// Its value.
        value: Option<Arc<str>>,
    },
    /// A leader refused a produce request for a partition.
    ProduceRejected {
        /// The broker that refused.
        broker: BrokerId,
        /// The topic.
        topic: Arc<str>,
        /// The partition.
        partition: PartitionId,
        /// Why.
        error: KafkaError,
    },
    /// A follower copied records from its leader.
    RecordsReplicated {
        /// The follower.
        broker: BrokerId,
        /// The leader it fetched from.
        leader: BrokerId,
        /// The topic.
        topic: Arc<str>,
        /// The partition.
        partition: PartitionId,
        /// First offset copied.
        from_offset: Offset,
        /// The follower's log end offset afterwards.
        to_offset: Offset,
    },
    /// A leader's high watermark moved up: records below it are committed.
    HighWatermarkAdvanced {
        /// The leader.
        broker: BrokerId,
        /// The topic.
        topic: Arc<str>,
        /// The partition.
        partition: PartitionId,
        /// The new high watermark.
        high_watermark: Offset,
    },
    /// A replica left the ISR.
    ReplicaLeftIsr {
        /// The topic.
        topic: Arc<str>,
        /// The partition.
        partition: PartitionId,
        /// The replica's broker.
        broker: BrokerId,
        /// The ISR afterwards.
        isr: Vec<BrokerId>,
        /// Why.
        reason: IsrShrinkReason,
    },
    /// A replica joined the ISR.
    ReplicaJoinedIsr {
        /// The topic.
        topic: Arc<str>,
        /// The partition.
        partition: PartitionId,
        /// The replica's broker.
        broker: BrokerId,
        /// The ISR afterwards.
        isr: Vec<BrokerId>,
    },
    /// The controller elected a leader.
    LeaderElected {
        /// The topic.
        topic: Arc<str>,
        /// The partition.
        partition: PartitionId,
        /// The new leader.
        leader: BrokerId,
        /// The previous one, if any.
        previous: Option<BrokerId>,
        /// The new leader epoch.
        leader_epoch: LeaderEpoch,
        /// Whether the leader came from outside the ISR (records may be lost).
        unclean: bool,
        /// Why.
        reason: ElectionReason,
    },
    /// No replica could lead: the partition is offline.
    PartitionWentOffline {
        /// The topic.
        topic: Arc<str>,
        /// The partition.
        partition: PartitionId,
        /// The leader it lost.
        previous: Option<BrokerId>,
        /// The new leader epoch.
        leader_epoch: LeaderEpoch,
        /// The ISR it keeps.
        isr: Vec<BrokerId>,
    },
    /// A replica removed a record that its leader does not have (KIP-101 truncation).
    RecordTruncated {
        /// The replica's broker.
        broker: BrokerId,
        /// The topic.
        topic: Arc<str>,
        /// The partition.
        partition: PartitionId,
        /// Where the record was.
        offset: Offset,
        /// The epoch it was written in.
        leader_epoch: LeaderEpoch,
        /// The record, if its contents were still kept.
        record: Option<RecordId>,
        /// Its key.
        key: Option<Arc<str>>,
        /// Its value.
        value: Option<Arc<str>>,
        /// The leader whose log this replica now follows.
        leader: BrokerId,
    },
    /// A producer received a success for a record.
    ProduceAcked {
        /// The producer.
        producer: Arc<str>,
        /// The record.
        record: RecordId,
        /// The topic.
        topic: Arc<str>,
        /// The partition.
        partition: PartitionId,
        /// Where it was written (`None` for `acks=0`).
        offset: Option<Offset>,
    },
    /// A producer will send a batch again after an error.
    ProduceRetried {
        /// The producer.
        producer: Arc<str>,
        /// The topic.
        topic: Arc<str>,
        /// The partition.
        partition: PartitionId,
        /// How many records the batch holds.
        records: u32,
        /// The error that caused the retry.
        error: KafkaError,
        /// Which attempt comes next (2 = first retry).
        attempt: u32,
    },
    /// A consumer joined a group (the coordinator saw its first JoinGroup).
    MemberJoined {
        /// The group.
        group: Arc<str>,
        /// The consumer.
        member: Arc<str>,
    },
    /// A static member came back under a new member id and took its place (KIP-345).
    StaticMemberReplaced {
        /// The group.
        group: Arc<str>,
        /// The member it replaced.
        old_member: Arc<str>,
        /// The new member.
        member: Arc<str>,
    },
    /// The coordinator started a rebalance: members must rejoin.
    RebalanceStarted {
        /// The group.
        group: Arc<str>,
        /// The generation being replaced.
        generation: i32,
        /// Why.
        reason: String,
    },
    /// The coordinator removed a member.
    MemberRemoved {
        /// The group.
        group: Arc<str>,
        /// The member.
        member: Arc<str>,
        /// Why.
        reason: String,
    },
    /// The join phase of a rebalance completed: a new generation and its leader.
    GroupJoinCompleted {
        /// The group.
        group: Arc<str>,
        /// The new generation.
        generation: i32,
        /// The member that computes the assignment.
        leader: Arc<str>,
        /// The members, in join order.
        members: Vec<Arc<str>>,
    },
    /// The leader's assignment was handed out: the group is stable.
    GroupStabilized {
        /// The group.
        group: Arc<str>,
        /// Its generation.
        generation: i32,
    },
    /// The group has no members left.
    GroupEmptied {
        /// The group.
        group: Arc<str>,
        /// Its generation.
        generation: i32,
    },
    /// A consumer received partitions.
    PartitionsAssigned {
        /// The consumer.
        consumer: Arc<str>,
        /// The partitions (`orders-1`).
        partitions: Vec<String>,
    },
    /// A consumer gave partitions up (before a rebalance, or because they moved).
    PartitionsRevoked {
        /// The consumer.
        consumer: Arc<str>,
        /// The partitions.
        partitions: Vec<String>,
    },
    /// A consumer lost its partitions without committing (its membership was fenced).
    PartitionsLost {
        /// The consumer.
        consumer: Arc<str>,
        /// The partitions.
        partitions: Vec<String>,
    },
    /// The coordinator stored a consumer's commit.
    OffsetsCommitted {
        /// The consumer.
        consumer: Arc<str>,
        /// The group.
        group: Arc<str>,
        /// Next offset to read per partition.
        offsets: Vec<(String, Offset)>,
    },
    /// A consumer's position was set by `auto.offset.reset`.
    OffsetReset {
        /// The consumer.
        consumer: Arc<str>,
        /// The partition.
        partition: String,
        /// The new position.
        offset: Offset,
        /// Why (no committed offset, or OFFSET_OUT_OF_RANGE).
        reason: String,
    },
    /// A consumer read a record.
    RecordConsumed {
        /// The consumer.
        consumer: Arc<str>,
        /// The topic.
        topic: Arc<str>,
        /// The partition.
        partition: PartitionId,
        /// The offset.
        offset: Offset,
        /// Whether its group had delivered it before (redelivery after a rebalance).
        redelivered: bool,
    },
    /// A consumer process died.
    ConsumerStopped {
        /// The consumer.
        consumer: Arc<str>,
    },
    /// A consumer closed and left its group.
    ConsumerLeft {
        /// The consumer.
        consumer: Arc<str>,
    },
    /// A producer gave up on a record.
    ProduceFailed {
        /// The producer.
        producer: Arc<str>,
        /// The record.
        record: RecordId,
        /// The topic.
        topic: Arc<str>,
        /// The partition.
        partition: Option<PartitionId>,
        /// Kafka's error name.
        error: KafkaError,
    },
}

/// One entry of the trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TraceEntry {
    /// Position in the whole history (keeps counting when old entries are dropped).
    pub seq: u64,
    /// Simulated time it happened.
    pub time_ms: u64,
    /// What happened.
    #[serde(flatten)]
    pub event: Event,
}

/// The most recent events, at most `capacity` of them.
#[derive(Clone, Debug)]
pub struct Trace {
    entries: VecDeque<TraceEntry>,
    capacity: usize,
    next_seq: u64,
}

impl Event {
    /// Whether it concerns one record (queued, appended, copied, acknowledged, read, or a
    /// high watermark moving past it): many a second under load, where the rest are rare.
    pub fn is_record_level(&self) -> bool {
        matches!(
            self,
            Event::RecordQueued { .. }
                | Event::RecordAppended { .. }
                | Event::RecordsReplicated { .. }
                | Event::HighWatermarkAdvanced { .. }
                | Event::ProduceAcked { .. }
                | Event::RecordConsumed { .. }
        )
    }
}

impl Trace {
    /// A trace that keeps the last `capacity` events (0 keeps none).
    pub fn with_capacity(capacity: usize) -> Trace {
        Trace {
            entries: VecDeque::new(),
            capacity,
            next_seq: 0,
        }
    }

    /// Whether events are kept at all; callers skip building events when not.
    pub fn is_recording(&self) -> bool {
        self.capacity > 0
    }

    /// Counts an event that is not kept (the trace is off).
    pub fn count_unrecorded(&mut self) {
        self.next_seq += 1;
    }

    /// Records `event` at `time_ms`.
    pub fn push(&mut self, time_ms: u64, event: Event) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if self.capacity == 0 {
            return;
        }
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(TraceEntry {
            seq,
            time_ms,
            event,
        });
    }

    /// The kept events, oldest first.
    pub fn entries(&self) -> impl Iterator<Item = &TraceEntry> {
        self.entries.iter()
    }

    /// Kept events with `seq >= from`.
    pub fn since(&self, from: u64) -> impl Iterator<Item = &TraceEntry> {
        let start = self.entries.partition_point(|e| e.seq < from);
        self.entries.range(start..)
    }

    /// How many events happened in all.
    pub fn total(&self) -> u64 {
        self.next_seq
    }

    /// How many events were dropped because the trace was full.
    pub fn dropped(&self) -> u64 {
        self.next_seq - self.entries.len() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trace_keeps_only_the_latest_events() {
        let mut t = Trace::with_capacity(2);
        for b in 1..=3 {
            t.push(
                b,
                Event::BrokerAdded {
                    broker: BrokerId(b as u32),
                },
            );
        }
        let seqs: Vec<u64> = t.entries().map(|e| e.seq).collect();
        assert_eq!(seqs, vec![1, 2]);
        assert_eq!(t.total(), 3);
        assert_eq!(t.dropped(), 1);
        assert_eq!(t.since(2).count(), 1);
    }

    #[test]
    fn events_serialize_with_their_type_name() {
        let e = TraceEntry {
            seq: 0,
            time_ms: 5,
            event: Event::BrokerFenced {
                broker: BrokerId(2),
            },
        };
        let json = serde_json::to_string(&e).expect("serializes");
        assert_eq!(
            json,
            r#"{"seq":0,"time_ms":5,"type":"BrokerFenced","broker":2}"#
        );
    }
}
