//! `AbstractStickyAssignor.PartitionMovements`: the net movement of each partition during one
//! general assignment, used to move partitions of a topic back rather than swapping two of
//! them between the same pair of members.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::assignor::group::Group;
use crate::assignor::java::topic_partition_hash_code;
use crate::assignor::java_hashmap::{JavaHashSet, JavaKey};

/// A `TopicPartition` in a `HashSet`: hashed by Kafka's `TopicPartition.hashCode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PartitionKey {
    partition: usize,
    hash: i32,
}

impl JavaKey for PartitionKey {
    fn java_hash_code(&self) -> i32 {
        self.hash
    }

    fn java_compare_to(&self, _other: &Self) -> Option<Ordering> {
        // TopicPartition does not implement Comparable.
        None
    }

    fn identity_tie_break(&self, other: &Self) -> Ordering {
        // Two partitions of one topic never share a hash code (31 * partition is injective),
        // and each set here holds a single topic, so Java's identity tie-break is never used.
        self.partition.cmp(&other.partition)
    }
}

/// `ConsumerPair`: a move from `src` to `dst` (member indices).
type ConsumerPair = (usize, usize);

/// `PartitionMovements`.
#[derive(Clone, Debug, Default)]
pub(crate) struct PartitionMovements {
    /// `partitionMovementsByTopic`: topic, then pair, then the partitions that made that move.
    by_topic: BTreeMap<usize, BTreeMap<ConsumerPair, JavaHashSet<PartitionKey>>>,
    /// `partitionMovements`: each moved partition's net move.
    movements: BTreeMap<usize, ConsumerPair>,
}

impl PartitionMovements {
    fn key(group: &Group<'_>, partition: usize) -> PartitionKey {
        let topic = &group.topics[group.partition_topic[partition]];
        PartitionKey {
            partition,
            hash: topic_partition_hash_code(topic.hash, (partition - topic.first) as i32),
        }
    }

    /// `removeMovementRecordOfPartition`.
    fn remove_record(&mut self, group: &Group<'_>, partition: usize) -> Option<ConsumerPair> {
        let pair = self.movements.remove(&partition)?;
        let topic = group.partition_topic[partition];
        if let Some(for_topic) = self.by_topic.get_mut(&topic) {
            if let Some(set) = for_topic.get_mut(&pair) {
                set.remove(&Self::key(group, partition));
                if set.is_empty() {
                    for_topic.remove(&pair);
                }
            }
            if for_topic.is_empty() {
                self.by_topic.remove(&topic);
            }
        }
        Some(pair)
    }

    /// `addPartitionMovementRecord`.
    fn add_record(&mut self, group: &Group<'_>, partition: usize, pair: ConsumerPair) {
        self.movements.insert(partition, pair);
        let topic = group.partition_topic[partition];
        self.by_topic
            .entry(topic)
            .or_default()
            .entry(pair)
            .or_default()
            .insert(Self::key(group, partition));
    }

    /// `movePartition`: records a move, collapsing a move back to where the partition started.
    pub(crate) fn move_partition(
        &mut self,
        group: &Group<'_>,
        partition: usize,
        old: usize,
        new: usize,
    ) {
        if self.movements.contains_key(&partition) {
            if let Some((src, _dst)) = self.remove_record(group, partition)
                && src != new
            {
                self.add_record(group, partition, (src, new));
            }
        } else {
            self.add_record(group, partition, (old, new));
        }
    }

    /// `getTheActualPartitionToBeMoved`: if a partition of the same topic earlier moved the
    /// opposite way, move that one (the first in its `HashSet`'s order) instead.
    pub(crate) fn actual_partition_to_be_moved(
        &self,
        group: &Group<'_>,
        partition: usize,
        old: usize,
        new: usize,
    ) -> usize {
        let topic = group.partition_topic[partition];
        let Some(for_topic) = self.by_topic.get(&topic) else {
            return partition;
        };
        let old = match self.movements.get(&partition) {
            Some(&(src, _)) => src,
            None => old,
        };
        match for_topic.get(&(new, old)).and_then(|set| set.first()) {
            Some(key) => key.partition,
            None => partition,
        }
    }
}
