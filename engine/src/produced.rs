//! Every record handed to a producer and what became of it: the `produced` list.

use std::collections::VecDeque;
use std::sync::Arc;

use serde::Serialize;

use crate::ids::{Offset, PartitionId, SimTime};
use crate::kafka_error::KafkaError;
use crate::log::RecordId;
use crate::partitioner::PartitionChoice;

/// Where a produced record stands, from the producer's point of view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProduceStatus {
    /// Neither acknowledged nor failed yet.
    Pending,
    /// The producer received a success.
    Acked,
    /// The producer gave up or was refused.
    Failed,
}

/// One record handed to a producer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProducedRecord {
    /// Its id.
    pub record: RecordId,
    /// The producer's name.
    pub producer: Arc<str>,
    /// The topic.
    pub topic: Arc<str>,
    /// Its key.
    pub key: Option<Arc<str>>,
    /// Its value.
    pub value: Option<Arc<str>>,
    /// The partition, once the producer chose it.
    pub partition: Option<PartitionId>,
    /// How the partitioner chose it: the arithmetic a learner can check.
    pub choice: Option<PartitionChoice>,
    /// Where it stands.
    pub status: ProduceStatus,
    /// Where it was written, as acknowledged.
    pub offset: Option<Offset>,
    /// Kafka's error name when it failed.
    pub error: Option<KafkaError>,
    /// The last error a send of it met, even if it was retried (what a timeout hides).
    pub last_error: Option<KafkaError>,
    /// How many times it was sent.
    pub attempts: u32,
    /// When it was handed to the producer.
    pub produced_at: SimTime,
    /// When it was acknowledged or failed.
    pub completed_at: Option<SimTime>,
}

/// The produced records, the oldest dropped beyond a capacity.
#[derive(Clone, Debug)]
pub struct ProducedTable {
    records: VecDeque<ProducedRecord>,
    first_id: u64,
    next_id: u64,
    capacity: usize,
    /// Records kept past the capacity (the outcome of a `produce` step, which the CLI
    /// prints however many records were auto-produced after it).
    pinned: crate::collections::Set<u64>,
    kept_pinned: crate::collections::Map<u64, ProducedRecord>,
}

impl ProducedTable {
    /// A table that keeps at most `capacity` records.
    pub fn with_capacity(capacity: usize) -> ProducedTable {
        ProducedTable {
            records: VecDeque::new(),
            first_id: 0,
            next_id: 0,
            capacity,
            pinned: crate::collections::Set::new(),
            kept_pinned: crate::collections::Map::new(),
        }
    }

    /// Keeps record `id` even once older than the capacity allows.
    pub fn pin(&mut self, id: RecordId) {
        self.pinned.insert(id.0);
    }

    /// The id the next record will get.
    pub fn next_id(&self) -> RecordId {
        RecordId(self.next_id)
    }

    /// Adds a record (its `record` field must be [`ProducedTable::next_id`]).
    pub fn push(&mut self, rec: ProducedRecord) {
        self.next_id += 1;
        if self.capacity == 0 {
            self.first_id = self.next_id;
            return;
        }
        if self.records.len() == self.capacity {
            if let Some(old) = self.records.pop_front()
                && self.pinned.contains(&old.record.0)
            {
                self.kept_pinned.insert(old.record.0, old);
            }
            self.first_id += 1;
        }
        self.records.push_back(rec);
    }

    /// The record with this id, unless dropped.
    pub fn get(&self, id: RecordId) -> Option<&ProducedRecord> {
        match id.0.checked_sub(self.first_id) {
            Some(idx) => self.records.get(idx as usize),
            None => self.kept_pinned.get(&id.0),
        }
    }

    /// The record with this id, to update.
    pub fn get_mut(&mut self, id: RecordId) -> Option<&mut ProducedRecord> {
        match id.0.checked_sub(self.first_id) {
            Some(idx) => self.records.get_mut(idx as usize),
            None => self.kept_pinned.get_mut(&id.0),
        }
    }

    /// The kept records, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &ProducedRecord> {
        self.records.iter()
    }

    /// How many records were produced in all.
    pub fn total(&self) -> u64 {
        self.next_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: u64) -> ProducedRecord {
        ProducedRecord {
            record: RecordId(id),
            producer: "p".into(),
            topic: "t".into(),
            key: None,
            value: None,
            partition: None,
            choice: None,
            status: ProduceStatus::Pending,
            offset: None,
            error: None,
            last_error: None,
            attempts: 0,
            produced_at: SimTime(0),
            completed_at: None,
        }
    }

    #[test]
    fn a_pinned_record_outlives_the_capacity_and_others_do_not() {
        let mut t = ProducedTable::with_capacity(2);
        t.pin(RecordId(0));
        for id in 0..5 {
            t.push(record(id));
        }
        assert!(t.get(RecordId(0)).is_some(), "pinned");
        assert!(t.get(RecordId(1)).is_none(), "dropped");
        assert!(t.get(RecordId(4)).is_some(), "recent");
        t.get_mut(RecordId(0)).expect("pinned").status = ProduceStatus::Acked;
        assert_eq!(
            t.get(RecordId(0)).map(|r| r.status),
            Some(ProduceStatus::Acked)
        );
        assert_eq!(t.total(), 5);
    }
}
