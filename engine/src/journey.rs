//! A record's journey: what the page shows when a learner clicks a record. Everything a
//! Kafka rule decides (committed or not, lost or not) is decided here, not in the view.

use std::sync::Arc;

use serde::Serialize;

use crate::ids::{BrokerId, LeaderEpoch, Offset, PartitionId};
use crate::kafka_error::KafkaError;
use crate::log::RecordId;
use crate::partitioner::PartitionChoice;
use crate::produced::ProduceStatus;
use crate::sim::Simulation;
use crate::topic::Tp;

/// One broker's copy of the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordCopy {
    /// The broker.
    pub broker: BrokerId,
    /// Where the copy is.
    pub offset: Offset,
    /// The epoch it was written in.
    pub leader_epoch: LeaderEpoch,
    /// Whether that broker leads the partition now.
    pub on_leader: bool,
}

/// A copy that was truncated away.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LostCopy {
    /// The broker that lost it.
    pub broker: BrokerId,
    /// Where it was.
    pub offset: Offset,
    /// When it was truncated.
    pub truncated_at_ms: u64,
    /// The leader whose log replaced it.
    pub leader: BrokerId,
}

/// One delivery of the record to a consumer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// The consumer.
    pub consumer: Arc<str>,
    /// The offset it read.
    pub offset: Offset,
    /// Whether it was a redelivery.
    pub redelivered: bool,
}

/// Everything about one produced record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordJourney {
    /// The record.
    pub record: RecordId,
    /// Its producer.
    pub producer: Arc<str>,
    /// Its topic.
    pub topic: Arc<str>,
    /// Its key.
    pub key: Option<Arc<str>>,
    /// Its value.
    pub value: Option<Arc<str>>,
    /// How the partition was chosen: the hash and `hash mod partitions`.
    pub choice: Option<PartitionChoice>,
    /// The partition.
    pub partition: Option<PartitionId>,
    /// The producer's view: pending, acknowledged or failed.
    pub status: ProduceStatus,
    /// The offset the producer was told.
    pub acked_offset: Option<Offset>,
    /// Kafka's error if it failed.
    pub error: Option<KafkaError>,
    /// The last error met on the way (a retry or what a timeout hides).
    pub last_error: Option<KafkaError>,
    /// How many times it was sent.
    pub attempts: u32,
    /// The copies in the replicas' logs now (several on one broker if a retry duplicated it).
    pub copies: Vec<RecordCopy>,
    /// Copies lost to truncation.
    pub lost: Vec<LostCopy>,
    /// Whether a copy on the leader is below the high watermark: committed, and visible to
    /// consumers.
    pub committed: bool,
    /// The partition's high watermark.
    pub high_watermark: Option<Offset>,
    /// Acknowledged but no longer in the leader's log: an acknowledged record was lost.
    pub acked_but_lost: bool,
    /// How many copies the leader holds (more than one: a retry duplicated it).
    pub copies_on_leader: usize,
    /// Deliveries to consumers (the kept ones).
    pub deliveries: Vec<Delivery>,
}

impl Simulation {
    /// The journey of `record`, if the simulation still keeps it.
    pub fn journey(&self, record: RecordId) -> Option<RecordJourney> {
        let p = self.produced().get(record)?;
        let topic = self.topics().find(&p.topic);
        let tp = topic
            .zip(p.partition)
            .map(|(topic, partition)| Tp { topic, partition });
        let state = tp.and_then(|tp| self.controller().partition(tp));
        let leader = state.and_then(|s| s.leader);
        let mut copies = Vec::new();
        let mut lost = Vec::new();
        if let (Some(tp), Some(st)) = (tp, state) {
            for b in &st.replicas {
                let Some(replica) = self.broker(*b).and_then(|br| br.replica(tp)) else {
                    continue;
                };
                for (offset, leader_epoch, body) in replica.log().kept_records() {
                    if body.id == record {
                        copies.push(RecordCopy {
                            broker: *b,
                            offset,
                            leader_epoch,
                            on_leader: leader == Some(*b),
                        });
                    }
                }
                for l in replica.lost_records() {
                    if l.record == Some(record) {
                        lost.push(LostCopy {
                            broker: *b,
                            offset: l.offset,
                            truncated_at_ms: l.truncated_at_ms,
                            leader: l.leader,
                        });
                    }
                }
            }
        }
        let high_watermark = leader
            .zip(tp)
            .and_then(|(l, tp)| self.broker(l)?.replica(tp))
            .map(|r| r.log().high_watermark());
        let on_leader: Vec<&RecordCopy> = copies.iter().filter(|c| c.on_leader).collect();
        let committed = on_leader
            .iter()
            .any(|c| high_watermark.is_some_and(|hw| c.offset < hw));
        let acked_but_lost = p.status == ProduceStatus::Acked
            && p.offset.is_some()
            && leader.is_some()
            && !on_leader.iter().any(|c| Some(c.offset) == p.offset);
        let deliveries = self
            .consumed()
            .iter()
            .filter(|c| c.record == Some(record))
            .map(|c| Delivery {
                consumer: c.consumer.clone(),
                offset: c.offset,
                redelivered: c.redelivered,
            })
            .collect();
        Some(RecordJourney {
            record,
            producer: p.producer.clone(),
            topic: p.topic.clone(),
            key: p.key.clone(),
            value: p.value.clone(),
            choice: p.choice.clone(),
            partition: p.partition,
            status: p.status,
            acked_offset: p.offset,
            error: p.error,
            last_error: p.last_error,
            attempts: p.attempts,
            copies_on_leader: on_leader.len(),
            copies,
            lost,
            committed,
            high_watermark,
            acked_but_lost,
            deliveries,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::SimOptions;
    use crate::log::RecordId;
    use crate::scenario::{parse, run};

    #[test]
    fn an_acknowledged_record_lost_to_truncation_says_so() {
        let text =
            include_str!("../../scenarios/failures/1-acks1-leader-dies-before-replicating.json");
        let doc = parse(text).expect("valid");
        let r = run(&doc, SimOptions::default()).expect("runs");
        let j = r.sim.journey(RecordId(0)).expect("record R");
        assert_eq!(j.value.as_deref(), Some("R"));
        assert!(j.acked_but_lost);
        assert!(j.copies.is_empty());
        assert_eq!(j.lost.len(), 1);
        assert_eq!(j.lost[0].broker.0, 1);
        let s = r.sim.journey(RecordId(1)).expect("record S");
        assert!(s.committed && !s.acked_but_lost);
        assert_eq!(s.copies.len(), 3);
        assert_eq!(s.copies_on_leader, 1);
        assert!(matches!(
            s.choice,
            Some(crate::partitioner::PartitionChoice::Crc32 { .. })
        ));
    }
}
