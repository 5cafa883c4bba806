//! Every record a consumer received, in the order consumers received them, duplicates
//! after a rebalance included: the `consumed` list.

use std::collections::VecDeque;

use crate::collections::Map;
use std::sync::Arc;

use serde::Serialize;

use crate::ids::{Offset, PartitionId, SimTime};
use crate::log::RecordId;
use crate::topic::Tp;

/// One delivery to a consumer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConsumedRecord {
    /// The consumer.
    pub consumer: Arc<str>,
    /// Its group.
    pub group: Arc<str>,
    /// The topic.
    pub topic: Arc<str>,
    /// The partition.
    pub partition: PartitionId,
    /// The offset.
    pub offset: Offset,
    /// The key.
    pub key: Option<Arc<str>>,
    /// The value.
    pub value: Option<Arc<str>>,
    /// The produced record, if its contents were kept.
    pub record: Option<RecordId>,
    /// Whether the group had delivered this offset before (redelivery).
    pub redelivered: bool,
    /// When it arrived.
    pub at_ms: u64,
}

/// The deliveries, the oldest dropped beyond a capacity.
#[derive(Clone, Debug)]
pub struct ConsumedTable {
    records: VecDeque<ConsumedRecord>,
    capacity: usize,
    total: u64,
    /// Per group and partition, the offset after the highest delivered one.
    delivered_to: Map<(Arc<str>, Tp), Offset>,
}

impl ConsumedTable {
    /// A table that keeps at most `capacity` deliveries.
    pub fn with_capacity(capacity: usize) -> ConsumedTable {
        ConsumedTable {
            records: VecDeque::new(),
            capacity,
            total: 0,
            delivered_to: Map::new(),
        }
    }

    /// Records a delivery; returns whether the group had delivered that offset before.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push(
        &mut self,
        consumer: &Arc<str>,
        group: &Arc<str>,
        topic: Arc<str>,
        tp: Tp,
        offset: Offset,
        key: Option<Arc<str>>,
        value: Option<Arc<str>>,
        record: Option<RecordId>,
        at: SimTime,
    ) -> bool {
        let next = self
            .delivered_to
            .entry((group.clone(), tp))
            .or_insert(Offset(0));
        let redelivered = offset < *next;
        *next = (*next).max(offset.plus(1));
        self.total += 1;
        if self.capacity > 0 {
            if self.records.len() == self.capacity {
                self.records.pop_front();
            }
            self.records.push_back(ConsumedRecord {
                consumer: consumer.clone(),
                group: group.clone(),
                topic,
                partition: tp.partition,
                offset,
                key,
                value,
                record,
                redelivered,
                at_ms: at.0,
            });
        }
        redelivered
    }

    /// The log of `tp` was truncated at `offset` (a consumer found out by validating its
    /// position): the records the group read from there on are gone, and whatever is
    /// read at those offsets later is new, not a redelivery.
    pub(crate) fn truncated(&mut self, group: &Arc<str>, tp: Tp, offset: Offset) {
        if let Some(next) = self.delivered_to.get_mut(&(group.clone(), tp)) {
            *next = (*next).min(offset);
        }
    }

    /// The kept deliveries, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &ConsumedRecord> {
        self.records.iter()
    }

    /// How many deliveries in all.
    pub fn total(&self) -> u64 {
        self.total
    }
}
