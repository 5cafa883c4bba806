//! `AbstractStickyAssignor.GeneralAssignmentBuilder`: the sticky assignment when subscriptions
//! differ, without racks.
//!
//! 1. Keep every valid owned partition (`assignOwnedPartitions`); remember, for each partition,
//!    the member of the next-highest generation that claimed it (`prepopulateCurrentAssignments`).
//! 2. Hand each remaining partition, topics with fewer potential members first, to the member
//!    with the fewest partitions that can take it (`maybeAssign`, ordered by
//!    `SubscriptionComparator`: size, then member id).
//! 3. While the assignment is not balanced (`isBalanced`), move partitions from members that have
//!    more than one partition above another potential owner (`performReassignments`), preferring
//!    the previous owner, and undoing moves that would swap partitions of one topic between the
//!    same pair (`PartitionMovements`). If that did not lower the balance score, revert it.

use std::collections::BTreeSet;

use super::movements::PartitionMovements;
use super::{DEFAULT_GENERATION, OwnedClaims, remove_first};
use crate::assignor::error::KafkaThrows;
use crate::assignor::group::Group;

/// Runs the builder; the result is indexed by member.
pub(crate) fn build(group: &Group<'_>, claims: OwnedClaims) -> Result<Vec<Vec<usize>>, KafkaThrows> {
    let mut builder = Builder::new(group, claims);
    let previous = builder.prepopulate_current_assignments();
    let unassigned = builder.assign_owned_partitions();
    for m in 0..group.members.len() {
        builder.sorted.insert(builder.key(m));
    }
    builder.balance(&previous, unassigned)?;
    Ok(builder.current)
}

/// `ConsumerGenerationPair`: the previous owner of a partition and its generation.
#[derive(Clone, Copy, Debug)]
struct Previous {
    consumer: usize,
    generation: i32,
}

/// The builder's state, named after its Java fields.
struct Builder<'g, 'a> {
    group: &'g Group<'a>,
    claims: OwnedClaims,
    /// `topic2AllPotentialConsumers`, by topic index (members in subscription order).
    topic_consumers: Vec<Vec<usize>>,
    /// `currentAssignment`, by member. A member with a fixed assignment is taken out of the map
    /// during balancing (`participating[m] == false`) and put back at the end.
    current: Vec<Vec<usize>>,
    participating: Vec<bool>,
    /// `currentPartitionConsumer`, by partition index.
    owner: Vec<Option<usize>>,
    /// `sortedAllPartitions`.
    sorted_partitions: Vec<usize>,
    /// `sortedCurrentSubscriptions`: (partition count, id rank) of each member in the `TreeSet`.
    sorted: BTreeSet<(usize, usize)>,
    revocation_required: bool,
    movements: PartitionMovements,
}

impl<'g, 'a> Builder<'g, 'a> {
    /// The `GeneralAssignmentBuilder` constructor.
    fn new(group: &'g Group<'a>, claims: OwnedClaims) -> Builder<'g, 'a> {
        let mut topic_consumers = vec![Vec::new(); group.topics.len()];
        for &m in &group.subscription_order {
            for &t in &group.members[m].topics {
                topic_consumers[t].push(m);
            }
        }
        let current = claims.owned.clone();
        let mut owner = vec![None; group.total_partitions()];
        for &m in &claims.map_order {
            for &tp in &current[m] {
                owner[tp] = Some(m);
            }
        }
        // TopicComparator: fewer potential consumers first, then the name (topic indices
        // already follow String.compareTo); partitions ascending within a topic.
        let mut topics: Vec<usize> = (0..group.topics.len()).collect();
        topics.sort_by_key(|&t| (topic_consumers[t].len(), t));
        let sorted_partitions = topics
            .iter()
            .flat_map(|&t| {
                let first = group.topics[t].first;
                first..first + group.topics[t].partitions
            })
            .collect();
        Builder {
            group,
            participating: vec![true; group.members.len()],
            claims,
            topic_consumers,
            current,
            owner,
            sorted_partitions,
            sorted: BTreeSet::new(),
            revocation_required: false,
            movements: PartitionMovements::default(),
        }
    }

    /// A member's position in `sortedCurrentSubscriptions` (`SubscriptionComparator`).
    fn key(&self, m: usize) -> (usize, usize) {
        (self.current[m].len(), self.group.id_rank[m])
    }

    /// `currentAssignment.get(m).size()`, which throws for a member taken out of the map.
    fn size(&self, m: usize) -> Result<usize, KafkaThrows> {
        if self.participating[m] {
            Ok(self.current[m].len())
        } else {
            Err(KafkaThrows::null_pointer(format!(
                "GeneralAssignmentBuilder.performReassignments looks up member {:?}, whose \
                 assignment is fixed and was taken out of currentAssignment",
                self.group.members[m].id
            )))
        }
    }

    /// `prepopulateCurrentAssignments`: for each partition, the claim of the highest generation
    /// below `maxGeneration` (the first such member in subscription order on ties).
    fn prepopulate_current_assignments(&self) -> Vec<Option<Previous>> {
        let mut previous: Vec<Option<Previous>> = vec![None; self.group.total_partitions()];
        let max_generation = self.claims.max_generation;
        for &m in &self.group.subscription_order {
            let member = &self.group.members[m];
            let generation = match member.generation {
                Some(g) if g < max_generation => g,
                None if max_generation > DEFAULT_GENERATION => DEFAULT_GENERATION,
                _ => continue,
            };
            // updatePrevAssignment; claims on unknown topics are never looked up.
            for &tp in &member.owned {
                let replace = previous[tp].is_none_or(|p| generation > p.generation);
                if replace {
                    previous[tp] = Some(Previous {
                        consumer: m,
                        generation,
                    });
                }
            }
        }
        previous
    }

    /// `assignOwnedPartitions`: drops claims on topics the member no longer subscribes to
    /// (which requires a revocation) and returns the unassigned partitions in
    /// `sortedAllPartitions` order (`getUnassignedPartitions`).
    fn assign_owned_partitions(&mut self) -> Vec<usize> {
        let mut assigned = vec![false; self.group.total_partitions()];
        for &m in &self.claims.map_order {
            let member = &self.group.members[m];
            let group = self.group;
            let mut revoked = false;
            self.current[m].retain(|&tp| {
                if member.subscribes(group.partition_topic[tp]) {
                    assigned[tp] = true;
                    true
                } else {
                    // Kafka leaves currentPartitionConsumer stale here; maybeAssign
                    // overwrites it, since every topic has a subscriber.
                    revoked = true;
                    false
                }
            });
            self.revocation_required |= revoked;
        }
        self.sorted_partitions
            .iter()
            .copied()
            .filter(|&tp| !assigned[tp])
            .collect()
    }

    /// `getMaxAssignmentSize`: how many partitions the member's topics have.
    fn max_assignment_size(&self, m: usize) -> usize {
        let topics = &self.group.members[m].topics;
        if topics.len() == self.group.topics.len() {
            self.group.total_partitions()
        } else {
            topics.iter().map(|&t| self.group.topics[t].partitions).sum()
        }
    }

    /// `maybeAssignPartition` without racks: to the first member in `sortedCurrentSubscriptions`
    /// subscribed to the partition's topic.
    fn maybe_assign_partition(&mut self, tp: usize) {
        let topic = self.group.partition_topic[tp];
        let chosen = self
            .sorted
            .iter()
            .map(|&(_, rank)| self.group.by_id_rank[rank])
            .find(|&m| self.group.members[m].subscribes(topic));
        if let Some(m) = chosen {
            self.sorted.remove(&self.key(m));
            self.current[m].push(tp);
            self.owner[tp] = Some(m);
            self.sorted.insert(self.key(m));
        }
    }

    fn can_topic_participate_in_reassignment(&self, topic: usize) -> bool {
        self.topic_consumers[topic].len() >= 2
    }

    /// `canConsumerParticipateInReassignment`.
    fn can_consumer_participate_in_reassignment(&self, m: usize) -> bool {
        let size = self.current[m].len();
        if size < self.max_assignment_size(m) {
            return true;
        }
        self.current[m]
            .iter()
            .any(|&tp| self.can_topic_participate_in_reassignment(self.group.partition_topic[tp]))
    }

    /// `balance`.
    fn balance(
        &mut self,
        previous: &[Option<Previous>],
        mut unassigned: Vec<usize>,
    ) -> Result<(), KafkaThrows> {
        let initializing = self
            .sorted
            .last()
            .is_none_or(|&(size, _)| size == 0);

        for &tp in &unassigned {
            if self.topic_consumers[self.group.partition_topic[tp]].is_empty() {
                continue;
            }
            self.maybe_assign_partition(tp);
        }

        // Narrow the scope to partitions and members that can move.
        let fixed_topic: Vec<bool> = (0..self.group.topics.len())
            .map(|t| !self.can_topic_participate_in_reassignment(t))
            .collect();
        let partition_topic = &self.group.partition_topic;
        self.sorted_partitions
            .retain(|&tp| !fixed_topic[partition_topic[tp]]);
        unassigned.retain(|&tp| !fixed_topic[partition_topic[tp]]);
        for m in 0..self.group.members.len() {
            if !self.can_consumer_participate_in_reassignment(m) {
                self.sorted.remove(&self.key(m));
                self.participating[m] = false;
            }
        }

        let pre_balance_assignment: Vec<Option<Vec<usize>>> = (0..self.group.members.len())
            .map(|m| self.participating[m].then(|| self.current[m].clone()))
            .collect();
        let pre_balance_owner = self.owner.clone();

        if !self.revocation_required {
            self.perform_reassignments(&unassigned, previous)?;
        }
        let sorted_partitions = std::mem::take(&mut self.sorted_partitions);
        let reassignment_performed = self.perform_reassignments(&sorted_partitions, previous)?;
        self.sorted_partitions = sorted_partitions;

        if !initializing
            && reassignment_performed
            && self.balance_score_of_current() >= balance_score(&pre_balance_assignment)
        {
            for (m, list) in pre_balance_assignment.into_iter().enumerate() {
                if let Some(list) = list {
                    self.current[m] = list;
                }
            }
            self.owner = pre_balance_owner;
        }
        // The fixed assignments go back into the map; nothing reads the TreeSet afterwards.
        self.participating.iter_mut().for_each(|p| *p = true);
        Ok(())
    }

    fn balance_score_of_current(&self) -> i32 {
        let sizes: Vec<usize> = (0..self.group.members.len())
            .filter(|&m| self.participating[m])
            .map(|m| self.current[m].len())
            .collect();
        balance_score_of_sizes(sizes)
    }

    /// `performReassignments`: returns whether anything moved.
    fn perform_reassignments(
        &mut self,
        partitions: &[usize],
        previous: &[Option<Previous>],
    ) -> Result<bool, KafkaThrows> {
        let mut performed = false;
        loop {
            let mut modified = false;
            for &tp in partitions {
                if self.is_balanced() {
                    break;
                }
                let Some(consumer) = self.owner[tp] else {
                    return Err(KafkaThrows::null_pointer(format!(
                        "partition {} has no consumer in performReassignments",
                        self.group.topic_partition(tp)
                    )));
                };
                let consumer_size = self.size(consumer)?;
                if let Some(prev) = previous[tp] {
                    if consumer_size > self.size(prev.consumer)? + 1 {
                        self.reassign_partition_to(tp, prev.consumer);
                        performed = true;
                        modified = true;
                        continue;
                    }
                }
                let topic = self.group.partition_topic[tp];
                let mut better_suited = false;
                for &other in &self.topic_consumers[topic] {
                    if consumer_size > self.size(other)? + 1 {
                        better_suited = true;
                        break;
                    }
                }
                if better_suited {
                    self.reassign_partition(tp);
                    performed = true;
                    modified = true;
                }
            }
            if !modified {
                return Ok(performed);
            }
        }
    }

    /// `isBalanced`.
    fn is_balanced(&self) -> bool {
        let (Some(&(min, _)), Some(&(max, _))) = (self.sorted.first(), self.sorted.last()) else {
            return true;
        };
        if min + 1 >= max {
            return true;
        }
        // Every member that could take more must not be able to take a partition from a member
        // with at least two more.
        for &(count, rank) in &self.sorted {
            let m = self.group.by_id_rank[rank];
            if count == self.max_assignment_size(m) {
                continue;
            }
            for &topic in &self.group.members[m].topics {
                let first = self.group.topics[topic].first;
                for tp in first..first + self.group.topics[topic].partitions {
                    match self.owner[tp] {
                        Some(other) if other != m => {
                            if self.participating[other] && count + 1 < self.current[other].len() {
                                return false;
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        true
    }

    /// `reassignPartition(partition)`: to the first member in `sortedCurrentSubscriptions`
    /// subscribed to its topic.
    fn reassign_partition(&mut self, tp: usize) {
        let topic = self.group.partition_topic[tp];
        let new = self
            .sorted
            .iter()
            .map(|&(_, rank)| self.group.by_id_rank[rank])
            .find(|&m| self.group.members[m].subscribes(topic));
        if let Some(new) = new {
            self.reassign_partition_to(tp, new);
        }
    }

    /// `reassignPartition(partition, newConsumer)`.
    fn reassign_partition_to(&mut self, tp: usize, new: usize) {
        let Some(consumer) = self.owner[tp] else {
            return;
        };
        let moved = self
            .movements
            .actual_partition_to_be_moved(self.group, tp, consumer, new);
        self.process_partition_movement(moved, new);
    }

    /// `processPartitionMovement`.
    fn process_partition_movement(&mut self, tp: usize, new: usize) {
        let Some(old) = self.owner[tp] else {
            return;
        };
        self.sorted.remove(&self.key(old));
        self.sorted.remove(&self.key(new));
        self.movements.move_partition(self.group, tp, old, new);
        remove_first(&mut self.current[old], tp);
        self.current[new].push(tp);
        self.owner[tp] = Some(new);
        self.sorted.insert(self.key(new));
        self.sorted.insert(self.key(old));
    }
}

/// `getBalanceScore` over the members present in a snapshot.
fn balance_score(assignment: &[Option<Vec<usize>>]) -> i32 {
    balance_score_of_sizes(assignment.iter().flatten().map(Vec::len).collect())
}

/// The sum of `|a - b|` over all pairs of sizes, in Java's wrapping `int` arithmetic.
fn balance_score_of_sizes(mut sizes: Vec<usize>) -> i32 {
    sizes.sort_unstable();
    let mut score: i32 = 0;
    let mut prefix: i32 = 0;
    for (i, &size) in sizes.iter().enumerate() {
        let size = size as i32;
        // size * i - (sum of the smaller sizes)
        score = score.wrapping_add(size.wrapping_mul(i as i32).wrapping_sub(prefix));
        prefix = prefix.wrapping_add(size);
    }
    score
}

#[cfg(test)]
mod tests {
    use super::balance_score_of_sizes;

    #[test]
    fn balance_score_sums_pairwise_differences() {
        assert_eq!(balance_score_of_sizes(vec![]), 0);
        assert_eq!(balance_score_of_sizes(vec![3, 3, 3]), 0);
        // |1-2| + |1-4| + |2-4| = 1 + 3 + 2
        assert_eq!(balance_score_of_sizes(vec![4, 1, 2]), 6);
    }
}
